/* lines.c — the cleaner's view of the store: sources, line repetition counts, and the
 * articles to (re)clean. */
#include "store_impl.h"

#include <stdlib.h>
#include <string.h>

struct store_line_stmts {
    sqlite3_stmt *same, *sources;
};

sl_error sli_store_source_id(sl_store *st, const char *name, long long *id)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st,
                                 "INSERT INTO sources(name) VALUES(?1) ON CONFLICT(name) DO NOTHING;",
                                 &s);
    if (err)
        return err;
    sli_store_bind_text(s, 1, name);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return sli_store_fail(st, rc, "adding source");
    err = sli_store_prepare(st, "SELECT id FROM sources WHERE name=?1", &s);
    if (err)
        return err;
    sli_store_bind_text(s, 1, name);
    rc = sqlite3_step(s);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
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

sl_error sli_store_lines_add(sl_store *st, const store_line_count *v, size_t n)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st,
                                 "INSERT INTO line_counts(hash, source, articles) VALUES(?1,?2,?3)"
                                 " ON CONFLICT(hash, source) DO UPDATE SET articles = articles + ?3",
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

sl_error sli_store_line_reader_open(sl_store *st, store_line_reader *r)
{
    memset(r, 0, sizeof *r);
    r->st = st;
    r->q = calloc(1, sizeof *r->q);
    if (!r->q)
        return SL_ERR_NOMEM;
    sl_error err = sli_store_prepare(st, "SELECT articles FROM line_counts WHERE hash=?1 AND source=?2",
                                 &r->q->same);
    if (!err)
        /* Capped: past a handful of sources a line is common, however many more. */
        err = sli_store_prepare(st,
                            "SELECT count(*) FROM (SELECT 1 FROM line_counts WHERE hash=?1 LIMIT 64)",
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
#define ROWS "SELECT a.rid, a.id, a.source, r.raw, a.title_in, a.date_in," \
             " p.hints, p.author, p.fetch_date" \
             " FROM articles a LEFT JOIN raws r ON r.rid = a.rid LEFT JOIN pages p ON p.rid = a.rid"
#define NO_PAGES "SELECT a.rid, a.id, a.source, r.raw, a.title_in, a.date_in," \
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

sl_error sli_store_update_cleaned(sl_store *st, store_stmt **stmt, long long rid,
                              const store_clean_update *u)
{
    /* The cleaned text as spans of the raw text it was cleaned from (texts.c): the raw
     * text read back. Its statement is kept on the handle. */
    static const char raw_sql[] = "SELECT raw FROM raws WHERE rid=?1";
    sqlite3_stmt *s, *r;
    sl_error err = sli_store_cached(st, stmt,
                                    "UPDATE articles SET text=?2, chars_clean=?3, title=?4,"
                                    " date=?5, byline=?6, credit=?7 WHERE rid=?1",
                                    &s);
    if (err || (err = sli_store_borrow(st, raw_sql, &r)))
        return err;
    sqlite3_bind_int64(r, 1, rid);
    int rc = sqlite3_step(r);
    size_t npacked = 0;
    const void *packed = rc == SQLITE_ROW ? sli_store_column_blob(st, r, 0, &npacked, &err,
                                                                  "reading raw text")
                                          : NULL;
    const void *blob = NULL;
    size_t size = 0;
    int unpacked = 0; /* the failure, if any, is the frame's (else SQLite's, said) */
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        err = sli_store_fail(st, rc, "reading raw text");
    } else if (!err) {
        unpacked = 1;
        err = sli_store_repack_text(st->texts, packed, npacked, u->text, u->text_len, &blob,
                                    &size);
    }
    sli_store_return(st, r);
    int failed = unpacked && err == SL_ERR_STORE ? sli_store_texts_failed(st->texts) : 0;
    if (failed)
        return sli_store_fail(st, failed, "reading a raw text's dictionary");
    if (unpacked && err == SL_ERR_STORE)
        sli_store_set_error(st, "the raw text of an article (rid %lld) cannot be read back:"
                                " the store is damaged", rid);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, rid);
    sqlite3_bind_blob(s, 2, size ? blob : "", (int)size, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, u->chars_clean);
    sli_store_bind_text(s, 4, u->title);
    sli_store_bind_text(s, 5, u->date);
    sli_store_bind_text(s, 6, u->byline);
    sli_store_bind_text(s, 7, u->credit);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE ? SL_OK : sli_store_fail(st, rc, "saving cleaned article");
}
