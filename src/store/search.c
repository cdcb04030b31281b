/* search.c — full-text search over the articles (the FTS5 index articles_fts, kept by
 * triggers: store.c): words made into a query that FTS5 cannot read as syntax, hits
 * ranked by bm25 with a snippet. */
#include "store_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"

/* The weight of a match in the title against one in the text (bm25's column weights):
 * chosen, not fitted (docs/store.md, "Search"). */
#define SEARCH_TITLE_WEIGHT "5.0"
#define SEARCH_MAX_WORDS 32
#define SEARCH_MAX_BYTES 1000

static int space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A word holds a letter or digit: ASCII ones, or any non-ASCII character (the
 * tokenizer decides; one that is only punctuation matches nothing). */
static int wordy(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] >= 0x80 || (p[i] >= '0' && p[i] <= '9') || ((p[i] | 0x20) >= 'a' &&
                                                             (p[i] | 0x20) <= 'z'))
            return 1;
    return 0;
}

/* q as an FTS5 query: each word (a run between white space that holds a letter or digit)
 * a string in double quotes, its own quotes doubled, the strings joined by AND. Inside
 * a string FTS5 reads no operator, column filter, prefix star or parenthesis: the
 * tokenizer makes words of what is there. */
static sl_error make_query(sl_store *st, const char *q, buf *out)
{
    size_t len = q ? strlen(q) : 0;
    if (!q || len > SEARCH_MAX_BYTES) {
        sli_store_set_error(st, "a search query is at most %d bytes", SEARCH_MAX_BYTES);
        return SL_ERR_INVALID;
    }
    const unsigned char *p = (const unsigned char *)q;
    int words = 0;
    sl_error err = SL_OK;
    for (size_t i = 0; !err && i < len;) {
        while (i < len && space(p[i]))
            i++;
        size_t start = i;
        while (i < len && !space(p[i]))
            i++;
        if (i == start || !wordy(p + start, i - start))
            continue;
        if (++words > SEARCH_MAX_WORDS) {
            sli_store_set_error(st, "a search query is at most %d words", SEARCH_MAX_WORDS);
            return SL_ERR_INVALID;
        }
        if (words > 1)
            err = sli_buf_puts(out, " AND ");
        if (!err)
            err = sli_buf_putc(out, '"');
        for (size_t k = start; !err && k < i; k++)
            err = p[k] == '"' ? sli_buf_puts(out, "\"\"") : sli_buf_putc(out, (char)p[k]);
        if (!err)
            err = sli_buf_putc(out, '"');
    }
    if (!err && !words) {
        sli_store_set_error(st, "a search query needs a word (letters or digits)");
        return SL_ERR_INVALID;
    }
    return err;
}

/* Ranking every match of a word that most articles hold costs about 1 us a match (100 ms
 * for 100,000): the matches are ranked in windows of this many, newest stored first
 * (docs/store.md, "Search", says how it was chosen). A query with fewer matches is
 * ranked whole. */
#define SEARCH_WINDOW 1000

/* The ranked rowids of window ?4 (offset ?4, SEARCH_WINDOW matches by rowid, newest
 * first): page ?2 (offset), ?3 (limit) of them. */
static const char rank_sql[] =
    "SELECT rowid, r FROM (SELECT rowid, bm25(articles_fts, " SEARCH_TITLE_WEIGHT ", 1.0) AS r"
    "  FROM articles_fts WHERE articles_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?5 OFFSET ?4)"
    " ORDER BY r, rowid DESC LIMIT ?3 OFFSET ?2";
/* One hit: its article and snippet. */
static const char hit_sql[] =
    "SELECT a.id, a.title, a.source, substr(a.date, 1, 10), ae.event,"
    " snippet(articles_fts, -1, char(2), char(3), '\xE2\x80\xA6', 16)"
    " FROM articles_fts JOIN articles a ON a.rid = articles_fts.rowid"
    " LEFT JOIN article_events ae ON ae.rid = a.rid"
    " WHERE articles_fts MATCH ?1 AND articles_fts.rowid = ?2";
/* The hits of a query are its newest SEARCH_MAX_HITS matches: counting every match of a
 * word most articles hold costs 10 ms on 100,000 articles, this many 1 ms. */
#define SEARCH_MAX_HITS 10000
#define STR_(x) #x
#define STR(x) STR_(x)
static const char count_sql[] =
    "SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ?1"
    " ORDER BY rowid DESC LIMIT " STR(SEARCH_MAX_HITS) ")";

/* A failure of a query this file made: an FTS5 error means the query was not what
 * make_query promises (never SQL text in the message: it would show the query). */
static sl_error failed(sl_store *st, int rc)
{
    if ((rc & 0xFF) == SQLITE_ERROR) {
        sli_store_set_error(st, "the search query could not be read");
        return SL_ERR_INVALID;
    }
    return sli_store_fail(st, rc, "searching");
}

sl_error sli_store_search(sl_store *st, const char *q, long long offset, long long limit,
                          long long *total, sl_hit_fn fn, void *user)
{
    if (total)
        *total = 0;
    buf match;
    sli_buf_init(&match, BUF_UNLIMITED);
    sl_error err = make_query(st, q, &match);
    if (err) {
        sli_buf_free(&match);
        return err;
    }
    if (!st->has_fts) {
        sli_buf_free(&match);
        sli_store_set_error(st, "this store has no search index yet (it was made by an "
                                "earlier storyline): run `storyline add` or `storyline clean`"
                                " on it, with a store that can be written, to build it");
        return SL_ERR_UNSUPPORTED;
    }
    sqlite3_stmt *s = NULL;
    int rc = SQLITE_DONE;
    if (total) {
        err = sli_store_borrow(st, count_sql, &s);
        if (!err) {
            sqlite3_bind_text(s, 1, sli_buf_str(&match), -1, SQLITE_STATIC);
            rc = sqlite3_step(s);
            if (rc == SQLITE_ROW)
                *total = sqlite3_column_int64(s, 0);
            else
                err = failed(st, rc);
            sli_store_return(st, s);
        }
    }
    /* the page's hits, window by window */
    typedef struct ranked {
        long long rid;
        double rank;
    } ranked;
    long long want = limit > 0 ? limit : -1, at = offset > 0 ? offset : 0;
    ranked *page = NULL;
    size_t n = 0, cap = 0;
    if (total && at >= *total)
        want = 0; /* past the end */
    for (long long w = at / SEARCH_WINDOW; !err && want != 0 && w < SEARCH_MAX_HITS / SEARCH_WINDOW;
         w++) {
        long long skip = at - w * SEARCH_WINDOW; /* into this window */
        if (skip < 0)
            skip = 0;
        err = sli_store_borrow(st, rank_sql, &s);
        if (err)
            break;
        sqlite3_bind_text(s, 1, sli_buf_str(&match), -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, skip);
        sqlite3_bind_int64(s, 3, want);
        sqlite3_bind_int64(s, 4, w * SEARCH_WINDOW);
        sqlite3_bind_int64(s, 5, SEARCH_WINDOW);
        size_t before = n;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            if (n == cap) {
                ranked *v = realloc(page, (cap = cap ? 2 * cap : 64) * sizeof *v);
                if (!v) {
                    err = SL_ERR_NOMEM;
                    break;
                }
                page = v;
            }
            page[n++] = (ranked){sqlite3_column_int64(s, 0), sqlite3_column_double(s, 1)};
        }
        if (!err && rc != SQLITE_DONE)
            err = failed(st, rc);
        sli_store_return(st, s);
        if (want > 0)
            want -= (long long)(n - before);
        /* a window that gave none after its skip: the matches have run out when it
         * held fewer than a window's */
        if (n == before && skip == 0)
            break;
        if (total && *total && (w + 1) * SEARCH_WINDOW >= *total)
            break;
    }
    for (size_t i = 0; !err && i < n; i++) {
        err = sli_store_borrow(st, hit_sql, &s);
        if (err)
            break;
        sqlite3_bind_text(s, 1, sli_buf_str(&match), -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, page[i].rid);
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            char event[32];
            int has_event = sqlite3_column_type(s, 4) != SQLITE_NULL;
            if (has_event)
                snprintf(event, sizeof event, "E%lld", sqlite3_column_int64(s, 4));
            const char *snippet = sli_store_column_text(s, 5);
            sl_hit hit = {sli_store_column_text(s, 0),
                          sli_store_column_text(s, 1),
                          sli_store_column_text(s, 2),
                          sli_store_column_text(s, 3),
                          has_event ? event : NULL,
                          snippet ? snippet : "",
                          page[i].rank};
            if (!hit.id || !hit.source)
                err = SL_ERR_NOMEM;
            else if (fn(user, &hit))
                n = i; /* stop */
        } else if (rc != SQLITE_DONE) { /* DONE: gone since it was ranked */
            err = failed(st, rc);
        }
        sli_store_return(st, s);
    }
    free(page);
    sli_buf_free(&match);
    return err;
}
