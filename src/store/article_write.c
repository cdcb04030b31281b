/* article_write.c — a batch's writes: add, update, or find an article present. */
#include "store_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/workers.h"

/* New articles of text input wait, PUT_ROWS at most, to be added by one INSERT: until
 * version 14 the search index's trigger (store.c) put each one's title in FTS5's memory,
 * and FTS5 writes what it holds out as a new segment of its index at every statement's
 * start (its xSavepoint), so an INSERT an article made a segment an article, merged again
 * and again (a fifth of ingest's time); one statement for many rows is still less work.
 * The rows wait only while nothing reads them:
 * sli_store_writer_flush before the batch's stages, and before an article whose id, or
 * text and source, is one of them (the same id again is an update, the same text from the
 * same source present), as if each were added.
 *
 * Packing their raw texts (zstd) was most of the reading thread's time: a full group of
 * PUT_ROWS is packed on a thread of the writer's own while the reading thread reads and
 * holds the next group, and added when that one is full (or at the flush). Each text's
 * dictionary is chosen as it comes, on the reading thread (sli_store_raw_dict: the
 * dictionaries learn in the same order), so every frame is the one packed in place. */
#define PUT_ROWS 64
#define HELD_BYTES (16u << 20) /* a group is sent early past this many bytes held */
#define HELD_TEXTS 11 /* id, source, url, date, title, byline, credit, meta, origin,
                         title_in, date_in */
#define NO_TEXT ((size_t)-1)

typedef struct held_article {
    size_t text[HELD_TEXTS]; /* offsets in the group's held, or NO_TEXT for NULL */
    size_t raw, raw_len;     /* the raw text in held */
    const pack_dict *dict;   /* to pack it with (NULL: none) */
    size_t packed, packed_size; /* the packed raw text in the group's packed */
    unsigned char hash[16];
    long long chars_raw, chars_clean;
} held_article;

/* PUT_ROWS articles held, at most: the one filling, and the one being packed. */
typedef struct held_group {
    held_article rows[PUT_ROWS];
    unsigned n;
    buf held;    /* the rows' texts and raw texts */
    buf packed;  /* their raw texts packed, end to end */
    sl_error err; /* the packing's */
} held_group;

/* A packer and its output, one a thread. */
typedef struct pack_slot {
    packer *p;
    buf out;
} pack_slot;

struct store_writer_stmts {
    sqlite3_stmt *by_id, *by_hash, *insert, *update, *source_add, *put_raw, *put_page, *no_page;
    sqlite3_stmt *insert_many; /* PUT_ROWS articles */
    held_group group[2];
    unsigned fill;    /* the group being filled */
    int flying;       /* the group being packed on the other thread, or -1 */
    workers *team;    /* the calling thread and (unless it could not be made) one more */
    pack_slot slot[2]; /* the calling thread's packer, the other's */
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

/* The INSERT of PUT_ROWS articles: the columns of `insert` below, row after row. */
#define INSERT_COLS "id, source, url, date, title, byline, credit, text, hash, chars_raw," \
                    " chars_clean, meta, origin, batch, title_in, date_in"
enum { MANY_COLS = 16 };

static sl_error prepare_insert_many(sl_store *st, sqlite3_stmt **out)
{
    buf sql;
    sli_buf_init(&sql, BUF_UNLIMITED);
    sl_error err = sli_buf_puts(&sql, "INSERT INTO articles(" INSERT_COLS ") VALUES");
    for (unsigned i = 0; !err && i < PUT_ROWS; i++) {
        err = sli_buf_puts(&sql, i ? ",(" : "(");
        for (unsigned c = 0; !err && c < MANY_COLS; c++) {
            char p[16];
            snprintf(p, sizeof p, "%s?%u", c ? "," : "", i * MANY_COLS + c + 1);
            err = sli_buf_puts(&sql, p);
        }
        if (!err)
            err = sli_buf_putc(&sql, ')');
    }
    if (!err)
        err = sli_store_prepare(st, sli_buf_str(&sql), out);
    sli_buf_free(&sql);
    return err;
}

sl_error sli_store_last_rid(sl_store *st, long long *rid)
{
    *rid = 0;
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, "SELECT coalesce(max(rid), 0) FROM articles", &s);
    if (err)
        return err;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *rid = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? SL_OK : sli_store_fail(st, rc, "counting articles");
}

/* sli_store_settle and sli_store_settle_with: merge_sql, or else merge, when due. */
static sl_error settle(sl_store *st, const char *counter, long long share,
                       const char *merge_sql, sl_error (*merge)(sl_store *st))
{
    long long settled = 0, last = 0;
    sl_error err = sli_store_event_counter(st, counter, &settled); /* absent: 0 */
    if (!err)
        err = sli_store_last_rid(st, &last);
    if (err || last <= settled || (last - settled) * share <= settled)
        return err;
    err = merge_sql ? sli_store_exec(st, merge_sql) : merge(st);
    return err ? err : sli_store_event_set_counter(st, counter, last);
}

sl_error sli_store_settle(sl_store *st, const char *counter, long long share,
                          const char *merge_sql)
{
    return settle(st, counter, share, merge_sql, NULL);
}

sl_error sli_store_settle_with(sl_store *st, const char *counter, long long share,
                               sl_error (*merge)(sl_store *st))
{
    return settle(st, counter, share, NULL, merge);
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
    w->q->flying = -1;
    for (int g = 0; g < 2; g++) {
        sli_buf_init(&w->q->group[g].held, BUF_UNLIMITED);
        sli_buf_init(&w->q->group[g].packed, BUF_UNLIMITED);
        sli_buf_init(&w->q->slot[g].out, BUF_UNLIMITED);
        if (!(w->q->slot[g].p = sli_store_raw_packer()))
            return SL_ERR_NOMEM;
    }
    sl_error err = sli_workers_create(sli_workers_cpus(2), &w->q->team);
    if (!err)
        err = take_alone(w, exclusive);
    if (!err)
        err = sli_store_begin(st);
    if (err)
        return err;
    err = sli_store_last_rid(st, &w->stored);
    if (!err)
        err = batch_row(w);
    if (!err)
        err = sli_store_prepare(st, "SELECT rid, hash FROM articles WHERE id=?", &w->q->by_id);
    if (!err)
        err = sli_store_prepare(st, STORE_SAME_TEXT_SQL, &w->q->by_hash);
    if (!err)
        err = sli_store_prepare(st,
                            "INSERT INTO articles(" INSERT_COLS ")"
                            " VALUES(?1,?2,?3,?4,?5,?6,?7,?9,?11,?12,?13,?14,?15,?16,?17,?18)",
                            &w->q->insert);
    if (!err)
        err = prepare_insert_many(st, &w->q->insert_many);
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

/* raw[0..n) of `source` packed (texts.c): *blob valid until the next packing. */
static sl_error pack_raw(store_writer *w, const char *source, const char *raw, size_t n,
                         const void **blob, size_t *size)
{
    sl_error err = sli_store_pack_raw(w->st->texts, source, raw, n, blob, size);
    if (err == SL_ERR_STORE) { /* reading or saving the source's dictionary */
        int failed = sli_store_texts_failed(w->st->texts);
        return sli_store_fail(w->st, failed ? failed : sqlite3_extended_errcode(w->st->db),
                              "packing a raw text with its source's dictionary");
    }
    return err;
}

/* The packed raw text of article `rid`, and its page's row: written, replaced, or (p
 * NULL: text input) deleted. */
static sl_error save_raw(store_writer *w, long long rid, const void *blob, size_t size,
                         const store_page *p)
{
    sqlite3_bind_int64(w->q->put_raw, 1, rid);
    sqlite3_bind_blob(w->q->put_raw, 2, size ? blob : "", (int)size, SQLITE_STATIC);
    sl_error err = step_done(w, w->q->put_raw, "saving raw text");
    if (err)
        return err;
    if (!p) {
        sqlite3_bind_int64(w->q->no_page, 1, rid);
        return step_done(w, w->q->no_page, "saving page metadata");
    }
    sqlite3_stmt *s = w->q->put_page;
    sqlite3_bind_int64(s, 1, rid);
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

/* The raw text packed, then saved with the page's row, for the article w->rid. */
static sl_error put_raw(store_writer *w, const store_article *a)
{
    const void *blob;
    size_t size;
    sl_error err = pack_raw(w, a->source, a->raw, a->raw_len, &blob, &size);
    return err ? err : save_raw(w, w->rid, blob, size, a->page);
}

/* --- new articles held for one INSERT (PUT_ROWS, above) --- */

static const char *held_text(const held_group *g, const held_article *h, int i)
{
    return h->text[i] == NO_TEXT ? NULL : g->held.data + h->text[i];
}

/* Whether a held article (either group) has id `id`, or the same text from `source`
 * (hash). The group being packed is only read here: its packing writes other fields. */
static int held_find(const struct store_writer_stmts *q, const char *id,
                     const unsigned char *hash, const char *source)
{
    for (int k = 0; k < 2; k++) {
        const held_group *g = &q->group[k];
        if ((unsigned)k != q->fill && k != q->flying)
            continue;
        for (unsigned i = 0; i < g->n; i++) {
            const held_article *h = &g->rows[i];
            if (id && !strcmp(held_text(g, h, 0), id))
                return 1;
            if (hash && !memcmp(h->hash, hash, 16) && !strcmp(held_text(g, h, 1), source))
                return 1;
        }
    }
    return 0;
}

/* Bind held article h: to the INSERT of many, as its row whose first parameter is
 * `first` (the columns of INSERT_COLS in order), or (first 0) to the one-row `insert`,
 * whose parameter numbers are bind_article's. */
static void bind_held(const held_group *g, sqlite3_stmt *s, int first, const held_article *h,
                      long long batch)
{
    static const int one[MANY_COLS] = {1, 2, 3, 4, 5, 6, 7, 9, 11, 12, 13, 14, 15, 16, 17, 18};
    int p[MANY_COLS];
    for (int c = 0; c < MANY_COLS; c++)
        p[c] = first ? first + c : one[c];
    for (int i = 0; i < 7; i++) /* id .. credit */
        sli_store_bind_text(s, p[i], held_text(g, h, i));
    sqlite3_bind_zeroblob(s, p[7], 0); /* the cleaned text comes at commit */
    sqlite3_bind_blob(s, p[8], h->hash, 16, SQLITE_STATIC);
    sqlite3_bind_int64(s, p[9], h->chars_raw);
    sqlite3_bind_int64(s, p[10], h->chars_clean);
    sli_store_bind_text(s, p[11], held_text(g, h, 7));  /* meta */
    sli_store_bind_text(s, p[12], held_text(g, h, 8));  /* origin */
    sqlite3_bind_int64(s, p[13], batch);
    sli_store_bind_text(s, p[14], held_text(g, h, 9));  /* title_in */
    sli_store_bind_text(s, p[15], held_text(g, h, 10)); /* date_in */
}

/* Pack the raw texts of group g with slot's packer (any thread: nothing of the store). */
static void pack_group(held_group *g, pack_slot *slot)
{
    sli_buf_clear(&g->packed);
    g->err = SL_OK;
    for (unsigned i = 0; !g->err && i < g->n; i++) {
        held_article *h = &g->rows[i];
        g->err = sli_pack_with(slot->p, h->dict, g->held.data + h->raw, h->raw_len, &slot->out);
        h->packed = g->packed.len;
        h->packed_size = slot->out.len;
        if (!g->err)
            g->err = sli_buf_append(&g->packed, slot->out.data, slot->out.len);
    }
}

/* The other thread's part: the group in flight packed. */
static void pack_flying(void *user, unsigned i)
{
    struct store_writer_stmts *q = user;
    if (i == 1)
        pack_group(&q->group[q->flying], &q->slot[1]);
}

static void group_clear(held_group *g)
{
    g->n = 0;
    sli_buf_clear(&g->held);
    sli_buf_clear(&g->packed);
    g->err = SL_OK;
}

/* Add group g, packed: its rows, then each one's raw text and source. */
static sl_error add_group(store_writer *w, held_group *g)
{
    struct store_writer_stmts *q = w->q;
    unsigned n = g->n;
    sl_error err = g->err;
    if (!err && n == PUT_ROWS) {
        for (unsigned i = 0; i < n; i++)
            bind_held(g, q->insert_many, (int)(i * MANY_COLS + 1), &g->rows[i], w->batch);
        err = step_done(w, q->insert_many, "adding articles");
    } else if (!err) { /* the last few of a slice: one at a time */
        for (unsigned i = 0; !err && i < n; i++) {
            bind_held(g, q->insert, 0, &g->rows[i], w->batch);
            err = step_done(w, q->insert, "adding article");
        }
    }
    /* each one's row id (by id: an INSERT of many says only the last), raw text, source */
    for (unsigned i = 0; !err && i < n; i++) {
        const held_article *h = &g->rows[i];
        sli_store_bind_text(q->by_id, 1, held_text(g, h, 0));
        int rc = sqlite3_step(q->by_id);
        long long rid = rc == SQLITE_ROW ? sqlite3_column_int64(q->by_id, 0) : 0;
        sqlite3_reset(q->by_id);
        if (rc != SQLITE_ROW)
            err = sli_store_fail(w->st, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
                                 "looking up article added");
        if (!err)
            err = save_raw(w, rid, g->packed.data + h->packed, h->packed_size, NULL);
        if (!err) {
            sli_store_bind_text(q->source_add, 1, held_text(g, h, 1));
            err = step_done(w, q->source_add, "counting source");
        }
        w->rid = rid;
    }
    group_clear(g); /* whatever happens: a failure fails the batch */
    return err;
}

/* The group in flight, if any: wait for its packing, then add it. */
static sl_error land(store_writer *w)
{
    struct store_writer_stmts *q = w->q;
    if (q->flying < 0)
        return SL_OK;
    held_group *g = &q->group[q->flying];
    sli_workers_wait(q->team);
    q->flying = -1;
    return add_group(w, g);
}

/* The group being filled is full: sent to be packed on the other thread (packed and added
 * here when there is none), and the one in flight before it, packed by now, added here
 * meanwhile: the other thread idled while this one added a group (a third of the reading
 * thread's time) when the next packing started after it. */
static sl_error send(store_writer *w)
{
    struct store_writer_stmts *q = w->q;
    held_group *g = &q->group[q->fill];
    if (sli_workers_count(q->team) < 2) {
        pack_group(g, &q->slot[0]);
        return add_group(w, g);
    }
    int landed = q->flying;
    if (landed >= 0)
        sli_workers_wait(q->team);
    q->flying = (int)q->fill;
    q->fill ^= 1; /* the landed group's room, once it is added */
    sli_workers_start(q->team, pack_flying, q);
    return landed >= 0 ? add_group(w, &q->group[landed]) : SL_OK;
}

sl_error sli_store_writer_flush(store_writer *w)
{
    struct store_writer_stmts *q = w->q;
    if (!q)
        return SL_OK;
    sl_error err = land(w);
    held_group *g = &q->group[q->fill];
    if (!err && g->n) {
        pack_group(g, &q->slot[0]);
        return add_group(w, g);
    }
    group_clear(g);
    return err;
}

/* Hold the new article a (text input), its raw text's dictionary chosen; the group sent
 * when full. */
static sl_error hold(store_writer *w, const store_article *a)
{
    struct store_writer_stmts *q = w->q;
    held_group *g = &q->group[q->fill];
    held_article *h = &g->rows[g->n];
    sl_error err = sli_store_raw_dict(w->st->texts, a->source, a->raw, a->raw_len, &h->dict);
    if (err == SL_ERR_STORE) { /* reading or saving the source's dictionary */
        int failed = sli_store_texts_failed(w->st->texts);
        return sli_store_fail(w->st, failed ? failed : sqlite3_extended_errcode(w->st->db),
                              "packing a raw text with its source's dictionary");
    }
    if (err)
        return err;
    h->raw = g->held.len;
    h->raw_len = a->raw_len;
    err = sli_buf_append(&g->held, a->raw, a->raw_len);
    const char *t[HELD_TEXTS] = {a->id,   a->source, a->url,      a->date,
                                 a->title, a->byline, a->credit,   a->meta,
                                 a->origin, a->title_in, a->date_in};
    for (int i = 0; !err && i < HELD_TEXTS; i++) {
        h->text[i] = t[i] ? g->held.len : NO_TEXT;
        if (t[i])
            err = sli_buf_append(&g->held, t[i], strlen(t[i]) + 1);
    }
    if (err)
        return err;
    memcpy(h->hash, a->hash, 16);
    h->chars_raw = a->chars_raw;
    h->chars_clean = a->chars_clean;
    if (++g->n == PUT_ROWS || g->held.len > HELD_BYTES)
        return send(w);
    return SL_OK;
}

sl_error sli_store_writer_put(store_writer *w, const store_article *a, store_outcome *outcome)
{
    /* An article held with the same id: added first, then this one updates it or is
     * present. A page's article goes alone (its row names the page's). */
    sl_error err = SL_OK;
    if (a->page || held_find(w->q, a->id, NULL, NULL))
        err = sli_store_writer_flush(w);
    if (err)
        return err;
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
        /* its batch set anew: no summary made from its old text is kept (present/digest.c) */
        bind_article(w->q->update, a, w->batch);
        *outcome = STORE_UPDATED;
        sqlite3_reset(w->q->by_id);
        err = step_done(w, w->q->update, "updating article");
        return err ? err : put_raw(w, a);
    }
    sqlite3_reset(w->q->by_id);
    if (rc != SQLITE_DONE)
        return sli_store_fail(w->st, rc, "looking up article");

    /* The same text from the same source under another id: the same article. */
    if (held_find(w->q, NULL, a->hash, a->source)) {
        *outcome = STORE_PRESENT;
        return SL_OK;
    }
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

    *outcome = STORE_ADDED;
    if (!a->page)
        return hold(w, a);
    bind_article(w->q->insert, a, w->batch);
    err = step_done(w, w->q->insert, "adding article");
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
    err = sli_store_articles_settle(w->st);
    if (!err)
        err = sli_store_commit(w->st);
    if (!err)
        w->commits++;
    return err;
}

sl_error sli_store_writer_commit(store_writer *w, const sl_batch_summary *sum)
{
    sl_error err = sli_store_writer_flush(w);
    if (!err)
        err = record_commit(w, sum);
    if (!err)
        share_again(w);
    return err;
}

sl_error sli_store_writer_next(store_writer *w, const sl_batch_summary *sum)
{
    /* The journal stays as it is: a first load that took the store alone keeps it for
     * its later slices, with the statements prepared. */
    sl_error err = sli_store_writer_flush(w);
    if (!err)
        err = record_commit(w, sum);
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
        sqlite3_finalize(w->q->insert_many);
        if (w->q->flying >= 0) /* a failure while a group was being packed */
            sli_workers_wait(w->q->team);
        sli_workers_free(w->q->team);
        for (int g = 0; g < 2; g++) {
            sli_buf_free(&w->q->group[g].held);
            sli_buf_free(&w->q->group[g].packed);
            sli_buf_free(&w->q->slot[g].out);
            sli_packer_free(w->q->slot[g].p);
        }
        free(w->q);
        w->q = NULL;
    }
    sli_store_rollback(w->st);
    share_again(w);
    w->st = NULL;
}
