/* search.c — full-text search over the articles (the FTS5 index articles_fts, kept by
 * triggers: store.c): words made into a query that FTS5 cannot read as syntax, hits
 * ranked by bm25 with a snippet. */
#include "store_impl.h"

#include <stdio.h>
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

static const char search_sql[] =
    "SELECT a.id, a.title, a.source, substr(a.date, 1, 10), ae.event,"
    " snippet(articles_fts, -1, char(2), char(3), '\xE2\x80\xA6', 16),"
    " bm25(articles_fts, " SEARCH_TITLE_WEIGHT ", 1.0) AS r"
    " FROM articles_fts JOIN articles a ON a.rid = articles_fts.rowid"
    " LEFT JOIN article_events ae ON ae.rid = a.rid"
    " WHERE articles_fts MATCH ?1 ORDER BY r, a.rid LIMIT ?3 OFFSET ?2";
static const char count_sql[] =
    "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1";

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
    if (!err)
        err = sli_store_borrow(st, search_sql, &s);
    if (err) {
        sli_buf_free(&match);
        return err;
    }
    sqlite3_bind_text(s, 1, sli_buf_str(&match), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, offset > 0 ? offset : 0);
    sqlite3_bind_int64(s, 3, limit > 0 ? limit : -1);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
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
                      sqlite3_column_double(s, 6)};
        if (!hit.id || !hit.source) {
            err = SL_ERR_NOMEM;
            break;
        }
        if (fn(user, &hit))
            break;
    }
    if (!err && rc != SQLITE_ROW && rc != SQLITE_DONE)
        err = failed(st, rc);
    sli_store_return(st, s);
    sli_buf_free(&match);
    return err;
}
