/* article_write.c — a batch's writes: add, update, or find an article present. */
#include "store_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct store_writer_stmts {
    sqlite3_stmt *by_id, *by_hash, *insert, *update, *source_add, *put_raw, *put_page, *no_page;
};

/* The journal mode the store is in now ("wal", "truncate", ...), after asking for `want`
 * (NULL: only asking). */
static sl_error journal_mode(sl_store *st, const char *want, char out[16])
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA journal_mode%s%s", want ? "=" : "", want ? want : "");
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, sql, &s);
    if (err)
        return err;
    int rc = sqlite3_step(s);
    out[0] = '\0';
    if (rc == SQLITE_ROW)
        snprintf(out, 16, "%s", sli_store_column_text(s, 0) ? sli_store_column_text(s, 0) : "");
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? SL_OK : sli_store_fail(st, rc, "journal mode");
}

/* Back to the WAL, and to synchronous=NORMAL with it; when the switch fails (another
 * connection got in first), FULL stays: without the WAL, NORMAL could skip syncs that
 * a power cut would make matter. The next batch tries again. Outside any transaction. */
static void share(sl_store *st)
{
    /* A failure here is not the caller's: the message of the failure that ended the
     * batch (a full disk during a first load) stays for sl_store_errmsg. */
    char kept[sizeof st->errmsg];
    memcpy(kept, st->errmsg, sizeof kept);
    char mode[16] = "";
    journal_mode(st, "WAL", mode);
    sqlite3_exec(st->db, strcmp(mode, "wal") ? "PRAGMA synchronous=FULL"
                                             : "PRAGMA synchronous=NORMAL",
                 NULL, NULL, NULL);
    memcpy(st->errmsg, kept, sizeof kept);
}

/* A batch into a store that holds no article yet (a first load) takes the store alone:
 * a rollback journal in place of the WAL. New pages then go straight to the file, once,
 * and reads of what the batch wrote need no search of a WAL index that grows with the
 * batch: a 1M-article first load writes half the bytes. Other connections cannot read
 * while it runs; later batches use the WAL, so readers keep reading while they run. When
 * another connection has the store open, the switch is refused and the batch stays with
 * the WAL. */
static sl_error take_alone(store_writer *w, int exclusive)
{
    char mode[16] = "";
    sl_error err = journal_mode(w->st, NULL, mode);
    if (err)
        return err;
    int any = 0;
    if (exclusive == 0) {
        sqlite3_stmt *s;
        err = sli_store_prepare(w->st, "SELECT EXISTS(SELECT 1 FROM articles)", &s);
        if (err)
            return err;
        int rc = sqlite3_step(s);
        any = rc == SQLITE_ROW && sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
        if (rc != SQLITE_ROW)
            return sli_store_fail(w->st, rc, "counting articles");
    }
    if (exclusive < 0 || (exclusive == 0 && any)) {
        if (strcmp(mode, "wal")) /* left so by a batch that could not switch back */
            share(w->st);
        return SL_OK;
    }
    /* Another connection's lock will not go away by waiting: ask once. */
    sqlite3_busy_timeout(w->st->db, 0);
    err = journal_mode(w->st, "TRUNCATE", mode);
    sqlite3_busy_timeout(w->st->db, STORE_BUSY_MS);
    if (err == SL_ERR_BUSY) { /* another connection has the store open */
        w->st->errmsg[0] = '\0';
        return SL_OK;
    }
    if (err || strcmp(mode, "truncate"))
        return err;
    w->alone = 1;
    return sli_store_exec(w->st, "PRAGMA synchronous=FULL");
}

/* Back to the WAL after a batch that took the store alone. */
static void share_again(store_writer *w)
{
    if (!w->alone)
        return;
    share(w->st);
    w->alone = 0;
}

/* The batch's row in batches (its id in w->batch), within the transaction. */
static sl_error batch_row(store_writer *w)
{
    char now[32];
    sli_store_now(now);
    sqlite3_stmt *stmt;
    sl_error err = sli_store_prepare(w->st, "INSERT INTO batches(started_at) VALUES(?)", &stmt);
    if (!err) {
        sli_store_bind_text(stmt, 1, now);
        int rc = sqlite3_step(stmt);
        if (rc != SQLITE_DONE)
            err = sli_store_fail(w->st, rc, "recording batch");
        sqlite3_finalize(stmt);
    }
    w->batch = sqlite3_last_insert_rowid(w->st->db);
    return err;
}

sl_error sli_store_writer_begin(sl_store *st, store_writer *w, int exclusive)
{
    memset(w, 0, sizeof *w);
    w->st = st;
    if (st->readonly)
        return SL_ERR_INVALID;
    w->q = calloc(1, sizeof *w->q); /* freed by sli_store_writer_end */
    if (!w->q)
        return SL_ERR_NOMEM;
    sl_error err = take_alone(w, exclusive);
    if (!err)
        err = sli_store_begin(st);
    if (err)
        return err;
    err = batch_row(w);
    if (!err)
        err = sli_store_prepare(st, "SELECT rid, hash FROM articles WHERE id=?", &w->q->by_id);
    if (!err)
        err = sli_store_prepare(st, "SELECT 1 FROM articles WHERE hash=? AND source=?", &w->q->by_hash);
    if (!err)
        err = sli_store_prepare(st,
                            "INSERT INTO articles(id, source, url, date, title, byline, credit,"
                            " text, hash, chars_raw, chars_clean, meta, origin, batch,"
                            " title_in, date_in)"
                            " VALUES(?1,?2,?3,?4,?5,?6,?7,?9,?11,?12,?13,?14,?15,?16,?17,?18)",
                            &w->q->insert);
    if (!err)
        err = sli_store_prepare(st,
                            "UPDATE articles SET source=?2, url=?3, date=?4, title=?5, byline=?6,"
                            " credit=?7, text=?9, hash=?11, chars_raw=?12,"
                            " chars_clean=?13, meta=?14, origin=?15, batch=?16, title_in=?17,"
                            " date_in=?18 WHERE id=?1",
                            &w->q->update);
    if (!err)
        err = sli_store_prepare(st, "INSERT OR REPLACE INTO raws(rid, raw) VALUES(?1, ?2)",
                            &w->q->put_raw);
    if (!err)
        err = sli_store_prepare(st,
                                "INSERT OR REPLACE INTO pages(rid, hints, charset, title,"
                                " title_from, date, date_from, author, author_from, site_name,"
                                " site_name_from, canonical, canonical_from, lang, lang_from,"
                                " description, description_from, fetch_date)"
                                " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,"
                                "?17,?18)",
                                &w->q->put_page);
    if (!err)
        err = sli_store_prepare(st, "DELETE FROM pages WHERE rid=?1", &w->q->no_page);
    if (!err)
        err = sli_store_prepare(st,
                            "INSERT INTO sources(name, articles) VALUES(?, 1)"
                            " ON CONFLICT(name) DO UPDATE SET articles = articles + 1",
                            &w->q->source_add);
    if (err)
        sli_store_writer_end(w);
    return err;
}

/* Bind the article's columns, in the order both INSERT and UPDATE use. */
static void bind_article(sqlite3_stmt *s, const store_article *a, long long batch)
{
    sli_store_bind_text(s, 1, a->id);
    sli_store_bind_text(s, 2, a->source);
    sli_store_bind_text(s, 3, a->url);
    sli_store_bind_text(s, 4, a->date);
    sli_store_bind_text(s, 5, a->title);
    sli_store_bind_text(s, 6, a->byline);
    sli_store_bind_text(s, 7, a->credit);
    /* SQLITE_STATIC: the texts outlive the statement's single step. */
    /* the raw text goes to raws (put_raw), the cleaned text comes at commit (lines.c):
     * empty until then, so that the raw text its spans point into is replaced only while
     * it has none (store.c, the search index's triggers) */
    sqlite3_bind_zeroblob(s, 9, 0);
    sqlite3_bind_blob(s, 11, a->hash, 16, SQLITE_STATIC);
    sqlite3_bind_int64(s, 12, a->chars_raw);
    sqlite3_bind_int64(s, 13, a->chars_clean);
    sli_store_bind_text(s, 14, a->meta);
    sli_store_bind_text(s, 15, a->origin);
    sqlite3_bind_int64(s, 16, batch);
    sli_store_bind_text(s, 17, a->title_in);
    sli_store_bind_text(s, 18, a->date_in);
}

static sl_error step_done(store_writer *w, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE ? SL_OK : sli_store_fail(w->st, rc, what);
}

/* The raw text, and the page's row: written, replaced, or (text input) deleted. */
static sl_error put_raw(store_writer *w, const store_article *a)
{
    const void *blob;
    size_t size;
    sl_error err = sli_store_pack_raw(w->st->texts, a->source, a->raw, a->raw_len, &blob,
                                      &size);
    if (err == SL_ERR_STORE) { /* reading or saving the source's dictionary */
        int failed = sli_store_texts_failed(w->st->texts);
        return sli_store_fail(w->st, failed ? failed : sqlite3_extended_errcode(w->st->db),
                              "packing a raw text with its source's dictionary");
    }
    if (err)
        return err;
    sqlite3_bind_int64(w->q->put_raw, 1, w->rid);
    sqlite3_bind_blob(w->q->put_raw, 2, blob, (int)size, SQLITE_STATIC);
    err = step_done(w, w->q->put_raw, "saving raw text");
    if (err)
        return err;
    const store_page *p = a->page;
    if (!p) {
        sqlite3_bind_int64(w->q->no_page, 1, w->rid);
        return step_done(w, w->q->no_page, "saving page metadata");
    }
    sqlite3_stmt *s = w->q->put_page;
    sqlite3_bind_int64(s, 1, w->rid);
    if (p->hints)
        sqlite3_bind_blob(s, 2, p->hints, (int)p->n_hints, SQLITE_STATIC);
    sli_store_bind_text(s, 3, p->charset);
    const store_page_field *f[] = {&p->title,     &p->date,      &p->author, &p->site_name,
                                   &p->canonical, &p->lang,      &p->description};
    for (int i = 0; i < 7; i++) {
        sli_store_bind_text(s, 4 + 2 * i, f[i]->value && *f[i]->value ? f[i]->value : NULL);
        sli_store_bind_text(s, 5 + 2 * i, f[i]->value && *f[i]->value ? f[i]->from : NULL);
    }
    sli_store_bind_text(s, 18, p->fetch_date);
    return step_done(w, s, "saving page metadata");
}

sl_error sli_store_writer_put(store_writer *w, const store_article *a, store_outcome *outcome)
{
    /* The same id: present if the text is the same, else the new text replaces it. */
    sli_store_bind_text(w->q->by_id, 1, a->id);
    int rc = sqlite3_step(w->q->by_id);
    if (rc == SQLITE_ROW) {
        const void *h = sqlite3_column_blob(w->q->by_id, 1);
        int same = h && sqlite3_column_bytes(w->q->by_id, 1) == 16 && !memcmp(h, a->hash, 16);
        if (same) {
            sqlite3_reset(w->q->by_id);
            *outcome = STORE_PRESENT;
            return SL_OK;
        }
        w->rid = sqlite3_column_int64(w->q->by_id, 0);
        bind_article(w->q->update, a, w->batch);
        *outcome = STORE_UPDATED;
        sqlite3_reset(w->q->by_id);
        sl_error err = step_done(w, w->q->update, "updating article");
        return err ? err : put_raw(w, a);
    }
    sqlite3_reset(w->q->by_id);
    if (rc != SQLITE_DONE)
        return sli_store_fail(w->st, rc, "looking up article");

    /* The same text from the same source under another id: the same article. */
    sqlite3_bind_blob(w->q->by_hash, 1, a->hash, 16, SQLITE_STATIC);
    sli_store_bind_text(w->q->by_hash, 2, a->source);
    rc = sqlite3_step(w->q->by_hash);
    sqlite3_reset(w->q->by_hash);
    if (rc == SQLITE_ROW) {
        *outcome = STORE_PRESENT;
        return SL_OK;
    }
    if (rc != SQLITE_DONE)
        return sli_store_fail(w->st, rc, "looking up article text");

    bind_article(w->q->insert, a, w->batch);
    *outcome = STORE_ADDED;
    sl_error err = step_done(w, w->q->insert, "adding article");
    if (err)
        return err;
    w->rid = sqlite3_last_insert_rowid(w->st->db);
    err = put_raw(w, a);
    if (err)
        return err;
    sli_store_bind_text(w->q->source_add, 1, a->source);
    return step_done(w, w->q->source_add, "counting source");
}

/* Record the batch's summary in its row and commit its transaction. */
static sl_error record_commit(store_writer *w, const sl_batch_summary *sum)
{
    char now[32];
    sli_store_now(now);
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(w->st,
                                 "UPDATE batches SET committed_at=?, added=?, updated=?,"
                                 " present=?, skipped=?, files=?, bytes=?, seconds=? WHERE id=?",
                                 &s);
    if (err)
        return err;
    sli_store_bind_text(s, 1, now);
    sqlite3_bind_int64(s, 2, sum->added);
    sqlite3_bind_int64(s, 3, sum->updated);
    sqlite3_bind_int64(s, 4, sum->present);
    sqlite3_bind_int64(s, 5, sum->skipped);
    sqlite3_bind_int64(s, 6, sum->files);
    sqlite3_bind_int64(s, 7, sum->bytes);
    sqlite3_bind_double(s, 8, sum->seconds);
    sqlite3_bind_int64(s, 9, w->batch);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return sli_store_fail(w->st, rc, "recording batch");
    return sli_store_commit(w->st);
}

sl_error sli_store_writer_commit(store_writer *w, const sl_batch_summary *sum)
{
    sl_error err = record_commit(w, sum);
    if (!err)
        share_again(w);
    return err;
}

sl_error sli_store_writer_next(store_writer *w, const sl_batch_summary *sum)
{
    /* The journal stays as it is: a first load that took the store alone keeps it for
     * its later slices, with the statements prepared. */
    sl_error err = record_commit(w, sum);
    if (!err)
        err = sli_store_begin(w->st);
    if (!err)
        err = batch_row(w);
    return err;
}

void sli_store_writer_end(store_writer *w)
{
    if (!w->st)
        return;
    if (w->q) {
        sqlite3_finalize(w->q->by_id);
        sqlite3_finalize(w->q->by_hash);
        sqlite3_finalize(w->q->insert);
        sqlite3_finalize(w->q->update);
        sqlite3_finalize(w->q->source_add);
        sqlite3_finalize(w->q->put_raw);
        sqlite3_finalize(w->q->put_page);
        sqlite3_finalize(w->q->no_page);
        free(w->q);
        w->q = NULL;
    }
    sli_store_rollback(w->st);
    share_again(w);
    w->st = NULL;
}
