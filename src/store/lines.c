/* lines.c — the cleaner's view of the store: sources, line repetition counts, and the
 * articles to (re)clean. */
#include "store_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct store_line_stmts {
    sqlite3_stmt *same, *sources;
};

/* Borrowed (kept on the handle), not prepared per call: the cleaner's line counts ask
 * for each article whose source is not the last one's, and a crawl interleaves its sites
 * (two prepares an article were 7% of a 20k add's reading). */
static const char source_add_sql[] =
    "INSERT INTO sources(name) VALUES(?1) ON CONFLICT(name) DO NOTHING;";
static const char source_id_sql[] = "SELECT id FROM sources WHERE name=?1";

sl_error sli_store_source_id(sl_store *st, const char *name, long long *id)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_borrow(st, source_add_sql, &s);
    if (err)
        return err;
    sli_store_bind_text(s, 1, name);
    int rc = sqlite3_step(s);
    sli_store_return(st, s);
    if (rc != SQLITE_DONE)
        return sli_store_fail(st, rc, "adding source");
    err = sli_store_borrow(st, source_id_sql, &s);
    if (err)
        return err;
    sli_store_bind_text(s, 1, name);
    rc = sqlite3_step(s);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sli_store_return(st, s);
    return rc == SQLITE_ROW ? SL_OK : sli_store_fail(st, rc, "reading source");
}

sl_error sli_store_source_find(sl_store *st, const char *name, long long *id, long long *articles)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, "SELECT id, articles FROM sources WHERE name=?1", &s);
    if (err)
        return err;
    sli_store_bind_text(s, 1, name);
    int rc = sqlite3_step(s);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    *articles = rc == SQLITE_ROW ? sqlite3_column_int64(s, 1) : 0;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SL_OK : sli_store_fail(st, rc, "reading source");
}

/* Recent counts (since version 9). A batch's counts go to line_counts_recent; a read sums
 * a pair's counts in both tables, and counts the sources of a line across both;
 * sli_store_lines_settle merges the recent table into line_counts, in key order, once the
 * articles stored since the last merge pass 1/LINES_RECENT_SHARE of those stored before
 * it. Why: lines are hashes, and a batch's thousands of pairs land on most leaf pages of a
 * large table, which its commit then writes again (959 of its pages in +1,000 into a
 * store of a million articles; docs/profile.md, "Eighth round"). The share is the dedup
 * keys' (families.c), not fitted. */
#define LINES_RECENT_SHARE 16

sl_error sli_store_lines_add(sl_store *st, const store_line_count *v, size_t n)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st,
                                 "INSERT INTO line_counts_recent(hash, source, articles)"
                                 " VALUES(?1,?2,?3) ON CONFLICT(hash, source)"
                                 " DO UPDATE SET articles = articles + ?3",
                                 &s);
    for (size_t i = 0; !err && i < n; i++) {
        sqlite3_bind_int64(s, 1, (sqlite3_int64)v[i].hash);
        sqlite3_bind_int64(s, 2, v[i].source);
        sqlite3_bind_int64(s, 3, v[i].articles);
        int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            err = sli_store_fail(st, rc, "counting lines");
    }
    sqlite3_finalize(s);
    return err;
}

sl_error sli_store_lines_settle(sl_store *st)
{
    return sli_store_settle(st, "lines_settled", LINES_RECENT_SHARE,
                            "INSERT INTO line_counts(hash, source, articles)"
                            " SELECT hash, source, articles FROM line_counts_recent"
                            " WHERE 1 ORDER BY hash, source ON CONFLICT(hash, source)"
                            " DO UPDATE SET articles = articles + excluded.articles;"
                            "DELETE FROM line_counts_recent;");
}

sl_error sli_store_line_reader_open(sl_store *st, store_line_reader *r)
{
    memset(r, 0, sizeof *r);
    r->st = st;
    r->q = calloc(1, sizeof *r->q);
    if (!r->q)
        return SL_ERR_NOMEM;
    sl_error err = sli_store_prepare(
        st,
        "SELECT coalesce((SELECT articles FROM line_counts WHERE hash=?1 AND source=?2), 0)"
        " + coalesce((SELECT articles FROM line_counts_recent WHERE hash=?1 AND source=?2), 0)",
        &r->q->same);
    if (!err)
        /* Capped: past a handful of sources a line is common, however many more. Each
         * side capped too, so that a line of thousands of sources costs 128 rows at most
         * (a LIMIT on the UNION alone would read both sides whole first). */
        err = sli_store_prepare(st,
                                "SELECT count(*) FROM (SELECT source FROM (SELECT source FROM"
                                " line_counts WHERE hash=?1 LIMIT 64) UNION SELECT source FROM"
                                " (SELECT source FROM line_counts_recent WHERE hash=?1 LIMIT 64)"
                                " LIMIT 64)",
                                &r->q->sources);
    if (err)
        sli_store_line_reader_close(r);
    return err;
}

void sli_store_line_reader_close(store_line_reader *r)
{
    if (r->q) {
        sqlite3_finalize(r->q->same);
        sqlite3_finalize(r->q->sources);
        free(r->q);
    }
    r->q = NULL;
}

sl_error sli_store_line_lookup(store_line_reader *r, long long source, uint64_t hash,
                           long *same_source, long *sources)
{
    sqlite3_stmt *same = r->q->same, *all = r->q->sources;
    sqlite3_bind_int64(same, 1, (sqlite3_int64)hash);
    sqlite3_bind_int64(same, 2, source);
    int rc = sqlite3_step(same);
    *same_source = rc == SQLITE_ROW ? (long)sqlite3_column_int64(same, 0) : 0;
    sqlite3_reset(same);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sli_store_fail(r->st, rc, "reading line counts");
    sqlite3_bind_int64(all, 1, (sqlite3_int64)hash);
    rc = sqlite3_step(all);
    *sources = rc == SQLITE_ROW ? (long)sqlite3_column_int64(all, 0) : 0;
    sqlite3_reset(all);
    return rc == SQLITE_ROW ? SL_OK : sli_store_fail(r->st, rc, "reading line counts");
}

sl_error sli_store_each_for_cleaning(sl_store *st, long long batch, const char *id,
                                 store_clean_fn fn, void *user)
{
    sqlite3_stmt *s;
    /* The raw text is a zstd frame in raws (texts.c), unpacked here for the cleaner. The
     * page's row (HTML articles) is in pages, which a read-only open of a store made
     * before it does not add. */
#define ROWS "SELECT a.rid, a.id, a.source, r.raw, " STORE_TITLE_IN ", " STORE_DATE_IN "," \
             " p.hints, p.author, p.fetch_date" \
             " FROM articles a LEFT JOIN raws r ON r.rid = a.rid LEFT JOIN pages p ON p.rid = a.rid"
#define NO_PAGES "SELECT a.rid, a.id, a.source, r.raw, " STORE_TITLE_IN ", " STORE_DATE_IN "," \
                 " NULL, NULL, NULL FROM articles a LEFT JOIN raws r ON r.rid = a.rid"
    const char *by_id = st->has_pages ? ROWS " WHERE a.id=?2" : NO_PAGES " WHERE a.id=?2";
    const char *sql = id      ? by_id
                      : batch ? ROWS " WHERE a.batch=?1 ORDER BY a.rid" /* a writer: has both */
                      : st->has_pages ? ROWS " ORDER BY a.rid"
                                      : NO_PAGES " ORDER BY a.rid";
#undef ROWS
#undef NO_PAGES
    sl_error err = sli_store_prepare(st, sql, &s);
    if (err)
        return err;
    int rc = SQLITE_DONE, found = 0;
    buf raw; /* the row's raw text, unpacked: valid until the next row */
    sli_buf_init(&raw, BUF_UNLIMITED);
    if (batch)
        sqlite3_bind_int64(s, 1, batch);
    if (id)
        sli_store_bind_text(s, 2, id);
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        size_t npacked;
        const void *packed = sli_store_column_blob(st, s, 3, &npacked, &err, "reading raw text");
        if (err)
            break;
        err = sli_store_unpack_raw(st->texts, packed, npacked, &raw);
        int failed = err == SL_ERR_STORE ? sli_store_texts_failed(st->texts) : 0;
        if (failed) {
            err = sli_store_fail(st, failed, "reading a raw text's dictionary");
            break;
        }
        if (err) {
            if (err == SL_ERR_STORE)
                sli_store_set_error(st, "the raw text of article %s cannot be read back: the"
                                        " store is damaged",
                                    sli_store_column_text(s, 1));
            break;
        }
        store_clean_row row = {
            sqlite3_column_int64(s, 0), sli_store_column_text(s, 1), sli_store_column_text(s, 2),
            sli_buf_str(&raw), sli_store_column_text(s, 4), sli_store_column_text(s, 5),
            NULL, 0, sli_store_column_text(s, 7), sli_store_column_text(s, 8),
        };
        /* the blob first, then its size (SQLite's order) */
        row.hints = sqlite3_column_blob(s, 6);
        row.n_hints = row.hints ? (size_t)sqlite3_column_bytes(s, 6) : 0;
        found = 1;
        err = fn(user, &row);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "reading articles to clean");
    sqlite3_finalize(s);
    sli_buf_free(&raw);
    if (!err && id && !found)
        err = SL_ERR_NOT_FOUND;
    return err;
}

/* The cleaned articles, saved STORE_CLEAN_ROWS at a time by one UPDATE (one statement's
 * overhead for many rows). The cleaned text is packed as spans of the raw text the
 * cleaner had (texts.c). The search index takes them after the cleaning's last UPDATE
 * (sli_store_search_cleaned). */

struct store_clean_saver {
    sqlite3_stmt *s; /* the UPDATE of STORE_CLEAN_ROWS rows (unused ones NULL) */
    unsigned n;
    long long rid[STORE_CLEAN_ROWS];
    store_clean_update u[STORE_CLEAN_ROWS]; /* the caller's texts, until the flush */
    size_t at[STORE_CLEAN_ROWS], size[STORE_CLEAN_ROWS]; /* each packed text in packed */
    buf packed;
};

#define SAVE_COLS 7

void sli_store_clean_saver_free(store_clean_saver *v)
{
    if (!v)
        return;
    sqlite3_finalize(v->s);
    sli_buf_free(&v->packed);
    free(v);
}

static sl_error saver_new(sl_store *st, store_clean_saver **out)
{
    store_clean_saver *v = calloc(1, sizeof *v);
    if (!v)
        return SL_ERR_NOMEM;
    sli_buf_init(&v->packed, BUF_UNLIMITED);
    buf sql;
    sli_buf_init(&sql, BUF_UNLIMITED);
    sl_error err = sli_buf_puts(&sql, "WITH c(rid, text, chars, title, date, byline, credit)"
                                      " AS (VALUES ");
    for (unsigned i = 0; !err && i < STORE_CLEAN_ROWS; i++) {
        char row[96];
        unsigned p = i * SAVE_COLS + 1;
        snprintf(row, sizeof row, "%s(?%u,?%u,?%u,?%u,?%u,?%u,?%u)", i ? "," : "", p, p + 1,
                 p + 2, p + 3, p + 4, p + 5, p + 6);
        err = sli_buf_puts(&sql, row);
    }
    if (!err)
        err = sli_buf_puts(&sql, ") UPDATE articles SET text=c.text, chars_clean=c.chars,"
                                 " title=c.title, date=c.date, byline=c.byline,"
                                 " credit=c.credit, " STORE_SAME_IN("title") ", "
                                 STORE_SAME_IN("date") " FROM c WHERE articles.rid = c.rid");
    if (!err)
        err = sli_store_prepare(st, sli_buf_str(&sql), &v->s);
    sli_buf_free(&sql);
    if (err) {
        sli_store_clean_saver_free(v);
        return err;
    }
    *out = v;
    return SL_OK;
}

sl_error sli_store_cleaned_flush(sl_store *st, store_clean_saver *v)
{
    if (!v || !v->n)
        return SL_OK;
    sqlite3_stmt *s = v->s;
    for (unsigned i = 0; i < v->n; i++) {
        const store_clean_update *u = &v->u[i];
        int p = (int)(i * SAVE_COLS + 1);
        sqlite3_bind_int64(s, p, v->rid[i]);
        /* never NULL: the empty text is an empty blob */
        sqlite3_bind_blob(s, p + 1, v->size[i] ? v->packed.data + v->at[i] : "",
                          (int)v->size[i], SQLITE_STATIC);
        sqlite3_bind_int64(s, p + 2, u->chars_clean);
        sli_store_bind_text(s, p + 3, u->title);
        sli_store_bind_text(s, p + 4, u->date);
        sli_store_bind_text(s, p + 5, u->byline);
        sli_store_bind_text(s, p + 6, u->credit);
    }
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    v->n = 0;
    sli_buf_clear(&v->packed);
    return rc == SQLITE_DONE ? SL_OK : sli_store_fail(st, rc, "saving cleaned articles");
}

sl_error sli_store_cleaned_put(sl_store *st, store_clean_saver **saver, long long rid,
                               const store_clean_update *u)
{
    sl_error err = *saver ? SL_OK : saver_new(st, saver);
    if (err)
        return err;
    store_clean_saver *v = *saver;
    const void *blob = NULL;
    size_t size = 0;
    err = sli_store_pack_text(st->texts, u->raw, u->raw_len, u->text, u->text_len, &blob,
                              &size);
    if (!err) {
        v->at[v->n] = v->packed.len;
        err = sli_buf_append(&v->packed, blob, size);
    }
    if (err)
        return err;
    v->rid[v->n] = rid;
    v->size[v->n] = size;
    v->u[v->n] = *u;
    if (++v->n == STORE_CLEAN_ROWS)
        return sli_store_cleaned_flush(st, v);
    return SL_OK;
}
