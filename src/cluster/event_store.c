/* event_store.c — reading and writing the cluster stage's tables. */
#include "event_store.h"

#include "../core/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The statements, in the order of slots() below. */
static const char *const statements[] = {
    "SELECT event FROM event_keys WHERE term=?1 ORDER BY event DESC LIMIT ?2",
    "SELECT storyline, articles, dated, day_first, day_last, day_sum, centroid"
    " FROM events WHERE id=?1",
    "INSERT OR REPLACE INTO events(id, storyline, articles, dated, day_first, day_last,"
    " day_sum, centroid) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "INSERT OR IGNORE INTO event_keys(term, event) VALUES(?1, ?2)",
    "INSERT OR REPLACE INTO article_events(rid, event) VALUES(?1, ?2)",
    "SELECT ae.event FROM members m JOIN article_events ae ON ae.rid = m.rid"
    " WHERE m.family=?1 LIMIT 1",
    "INSERT INTO term_df(term, n) VALUES(?1, ?2)"
    " ON CONFLICT(term) DO UPDATE SET n = n + excluded.n RETURNING n",
    "SELECT ae.rid, m.family FROM article_events ae LEFT JOIN members m ON m.rid = ae.rid"
    " WHERE ae.event=?1 ORDER BY ae.rid",
    "SELECT title, text, date FROM articles WHERE rid=?1",
    "DELETE FROM events WHERE id=?1",
    "DELETE FROM event_keys WHERE term=?1 AND event=?2",
    "UPDATE events SET storyline=?2 WHERE storyline=?1",
    "SELECT ae.event, coalesce(e.articles, 0) FROM article_events ae"
    " LEFT JOIN events e ON e.id = ae.event WHERE ae.rid=?1",
    "SELECT n FROM term_df WHERE term=?1",
};

#define STATEMENTS (sizeof statements / sizeof *statements)

static void slots(event_store *es, sqlite3_stmt **slot[STATEMENTS])
{
    sqlite3_stmt **all[] = {&es->by_key,      &es->load,         &es->save,
                            &es->put_key,     &es->put_article,  &es->family_event,
                            &es->put_df,      &es->members,      &es->article,
                            &es->drop,        &es->drop_key,     &es->move,
                            &es->article_event, &es->get_df};
    _Static_assert(sizeof all / sizeof *all == STATEMENTS, "one slot a statement");
    memcpy(slot, all, sizeof all);
}

sl_error sli_event_store_open(sl_store *st, event_store *es)
{
    memset(es, 0, sizeof *es);
    es->st = st;
    sqlite3_stmt **slot[STATEMENTS];
    slots(es, slot);
    for (size_t i = 0; i < STATEMENTS; i++) {
        sl_error err = sli_store_prepare(st, statements[i], slot[i]);
        if (err) {
            sli_event_store_close(es);
            return err;
        }
    }
    return SL_OK;
}

void sli_event_store_close(event_store *es)
{
    sqlite3_stmt **slot[STATEMENTS];
    slots(es, slot);
    for (size_t i = 0; i < STATEMENTS; i++)
        sqlite3_finalize(*slot[i]);
    memset(es, 0, sizeof *es);
}

/* Step a statement that returns no rows, then reset it. */
static sl_error run(event_store *es, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SL_OK : sli_store_fail(es->st, rc, what);
}

sl_error sli_event_store_by_key(event_store *es, uint64_t term, long long *ids, size_t max,
                            size_t *n)
{
    sqlite3_stmt *s = es->by_key;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)term);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)max);
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max)
        ids[(*n)++] = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SL_OK : sli_store_fail(es->st, rc, "event keys");
}

/* A centroid blob opens with this word: "SL" and a letter for the term layout, then the
 * number of views, so that one written with other views is told apart rather than misread.
 * "SLE" terms are (id, weight, idf, q): the IDF the weight was made with, and the sum of
 * the articles' squared weights. Stores made before wrote "SLD" (id, weight, idf: q
 * unknown, 0) or "SLC" (id, weight: IDF unknown, the weight is kept as it is), and four
 * views (before the quotes: read with the quotes view empty). */
#define BLOB_MAGIC (0x534C4500u | VIEWS)
#define BLOB_MAGIC_NO_Q 0x534C4400u
#define BLOB_MAGIC_NO_IDF 0x534C4300u
#define BLOB_VIEWS_OLDEST 4
#define TERM_BYTES (sizeof(uint64_t) + 3 * sizeof(float))

static size_t blob_size(const cevent *ev)
{
    size_t n = sizeof(uint32_t);
    for (int v = 0; v < VIEWS; v++)
        n += sizeof(uint32_t) + ev->c[v].n * TERM_BYTES;
    return n;
}

static sl_error read_blob(cevent *ev, const unsigned char *p, size_t len)
{
    const unsigned char *end = p + len;
    uint32_t magic;
    if (len < sizeof magic)
        return SL_ERR_STORE;
    memcpy(&magic, p, sizeof magic);
    uint32_t layout = magic & ~0xFFu, views = magic & 0xFFu;
    int floats = layout == (BLOB_MAGIC & ~0xFFu) ? 3 : layout == BLOB_MAGIC_NO_Q ? 2
               : layout == BLOB_MAGIC_NO_IDF ? 1 : 0;
    if (!floats || views < BLOB_VIEWS_OLDEST || views > VIEWS)
        return SL_ERR_STORE_VERSION;
    size_t term_bytes = sizeof(uint64_t) + (size_t)floats * sizeof(float);
    p += sizeof magic;
    for (int v = 0; v < (int)views; v++) {
        uint32_t n;
        if ((size_t)(end - p) < sizeof n)
            return SL_ERR_STORE;
        memcpy(&n, p, sizeof n);
        p += sizeof n;
        if ((size_t)(end - p) / term_bytes < n)
            return SL_ERR_STORE;
        centroid *c = &ev->c[v];
        c->t = malloc((n ? n : 1) * sizeof *c->t);
        if (!c->t)
            return SL_ERR_NOMEM;
        for (uint32_t i = 0; i < n; i++) {
            float f[3] = {0, 0, 0};
            memcpy(&c->t[i].id, p, sizeof(uint64_t));
            memcpy(f, p + sizeof(uint64_t), (size_t)floats * sizeof(float));
            c->t[i].w = f[0];
            c->t[i].idf = f[1];
            c->t[i].q = f[2];
            p += term_bytes;
        }
        c->n = n;
        double s = 0;
        for (uint32_t i = 0; i < n; i++)
            s += (double)c->t[i].w * c->t[i].w;
        c->norm2 = s;
    }
    return SL_OK;
}

sl_error sli_event_store_load(event_store *es, long long id, cevent *ev)
{
    memset(ev, 0, sizeof *ev);
    sqlite3_stmt *s = es->load;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    sl_error err = SL_OK;
    if (rc == SQLITE_ROW) {
        ev->id = id;
        ev->storyline = sqlite3_column_int64(s, 0);
        ev->n = sqlite3_column_int(s, 1);
        ev->ndated = sqlite3_column_int(s, 2);
        ev->first = sqlite3_column_int(s, 3);
        ev->last = sqlite3_column_int(s, 4);
        ev->daysum = sqlite3_column_double(s, 5);
        err = read_blob(ev, sqlite3_column_blob(s, 6), (size_t)sqlite3_column_bytes(s, 6));
        if (err == SL_ERR_STORE)
            snprintf(es->st->errmsg, sizeof es->st->errmsg, "event %lld: centroid damaged", id);
        if (err == SL_ERR_STORE_VERSION)
            snprintf(es->st->errmsg, sizeof es->st->errmsg,
                     "event %lld: centroid of another storyline version (run `storyline "
                     "clean` to cluster again)", id);
    } else {
        err = rc == SQLITE_DONE ? SL_ERR_NOT_FOUND : sli_store_fail(es->st, rc, "load event");
    }
    sqlite3_reset(s);
    if (err)
        sli_cevent_clear(ev);
    return err;
}

sl_error sli_event_store_save(event_store *es, const cevent *ev)
{
    size_t len = blob_size(ev);
    unsigned char *blob = malloc(len), *p = blob;
    if (!blob)
        return SL_ERR_NOMEM;
    uint32_t magic = BLOB_MAGIC;
    memcpy(p, &magic, sizeof magic);
    p += sizeof magic;
    for (int v = 0; v < VIEWS; v++) {
        uint32_t n = ev->c[v].n;
        memcpy(p, &n, sizeof n);
        p += sizeof n;
        for (uint32_t i = 0; i < n; i++) {
            const cterm *t = &ev->c[v].t[i];
            float f[3] = {t->w, t->idf, t->q};
            memcpy(p, &t->id, sizeof(uint64_t));
            memcpy(p + sizeof(uint64_t), f, sizeof f);
            p += TERM_BYTES;
        }
    }
    sqlite3_stmt *s = es->save;
    sqlite3_bind_int64(s, 1, ev->id);
    sqlite3_bind_int64(s, 2, ev->storyline);
    sqlite3_bind_int(s, 3, ev->n);
    sqlite3_bind_int(s, 4, ev->ndated);
    if (ev->ndated) {
        sqlite3_bind_int(s, 5, ev->first);
        sqlite3_bind_int(s, 6, ev->last);
    } else {
        sqlite3_bind_null(s, 5);
        sqlite3_bind_null(s, 6);
    }
    sqlite3_bind_double(s, 7, ev->daysum);
    sqlite3_bind_blob(s, 8, blob, (int)len, free);
    return run(es, s, "save event");
}

sl_error sli_event_store_put_key(event_store *es, uint64_t term, long long event)
{
    sqlite3_bind_int64(es->put_key, 1, (sqlite3_int64)term);
    sqlite3_bind_int64(es->put_key, 2, event);
    return run(es, es->put_key, "event key");
}

sl_error sli_event_store_put_article(event_store *es, long long rid, long long event)
{
    sqlite3_bind_int64(es->put_article, 1, rid);
    sqlite3_bind_int64(es->put_article, 2, event);
    return run(es, es->put_article, "article event");
}

/* The one integer statement s gives for key (0 when it gives no row). */
static sl_error one_id(event_store *es, sqlite3_stmt *s, long long key, long long *out,
                       const char *what)
{
    sqlite3_bind_int64(s, 1, key);
    int rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SL_OK : sli_store_fail(es->st, rc, what);
}

sl_error sli_event_store_family_event(event_store *es, long long family, long long *event)
{
    return one_id(es, es->family_event, family, event, "family event");
}

sl_error sli_event_store_add_df(event_store *es, uint64_t term, long long n, long long *df)
{
    sqlite3_stmt *s = es->put_df;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)term);
    sqlite3_bind_int64(s, 2, n);
    int rc = sqlite3_step(s);
    *df = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : n;
    if (rc == SQLITE_ROW)
        rc = sqlite3_step(s); /* runs the statement to its end */
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SL_OK : sli_store_fail(es->st, rc, "term df");
}

sl_error sli_event_store_df(event_store *es, uint64_t term, long long *df)
{
    sqlite3_stmt *s = es->get_df;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)term);
    int rc = sqlite3_step(s);
    *df = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SL_OK : sli_store_fail(es->st, rc, "term df");
}

sl_error sli_event_store_members(event_store *es, long long id,
                             sl_error (*fn)(void *user, long long rid, long long family),
                             void *user)
{
    sqlite3_stmt *s = es->members;
    sqlite3_bind_int64(s, 1, id);
    sl_error err = SL_OK;
    int rc;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW)
        err = fn(user, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1));
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(es->st, rc, "event articles");
    sqlite3_reset(s);
    return err;
}

sl_error sli_event_store_article(event_store *es, long long rid,
                             sl_error (*fn)(void *user, const char *title, const char *text,
                                            size_t len, const char *date),
                             void *user)
{
    sqlite3_stmt *s = es->article;
    sqlite3_bind_int64(s, 1, rid);
    int rc = sqlite3_step(s);
    sl_error err;
    if (rc == SQLITE_ROW) {
        const char *text = sli_store_column_text(s, 1);
        err = fn(user, sli_store_column_text(s, 0), text ? text : "",
                 (size_t)sqlite3_column_bytes(s, 1), sli_store_column_text(s, 2));
    } else {
        err = rc == SQLITE_DONE ? SL_ERR_NOT_FOUND : sli_store_fail(es->st, rc, "article");
    }
    sqlite3_reset(s);
    return err;
}

sl_error sli_event_store_article_event(event_store *es, long long rid, long long *event,
                                   long long *articles)
{
    sqlite3_stmt *s = es->article_event;
    sqlite3_bind_int64(s, 1, rid);
    int rc = sqlite3_step(s);
    *event = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    *articles = rc == SQLITE_ROW ? sqlite3_column_int64(s, 1) : 0;
    sqlite3_reset(s);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return SL_OK;
    return sli_store_fail(es->st, rc, "reading an article's event");
}

sl_error sli_event_store_drop(event_store *es, long long id)
{
    sqlite3_bind_int64(es->drop, 1, id);
    return run(es, es->drop, "drop event");
}

sl_error sli_event_store_drop_key(event_store *es, uint64_t term, long long event)
{
    sqlite3_bind_int64(es->drop_key, 1, (sqlite3_int64)term);
    sqlite3_bind_int64(es->drop_key, 2, event);
    return run(es, es->drop_key, "drop event key");
}

sl_error sli_event_store_open_ids(sl_store *st, open_event **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, "SELECT o.id, e.articles FROM open_events o"
                                     " JOIN events e ON e.id = o.id ORDER BY o.id DESC", &s);
    size_t cap = 0;
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        open_event *p = sli_grow_array(*out, &cap, *n + 1, sizeof *p, 256);
        if (!p)
            err = SL_ERR_NOMEM;
        else
            (*out = p)[(*n)++] = (open_event){sqlite3_column_int64(s, 0),
                                              sqlite3_column_int64(s, 1)};
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "open events");
    sqlite3_finalize(s);
    if (err) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return err;
}

sl_error sli_event_store_set_open(sl_store *st, const long long *ids, size_t n)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_exec(st, "DELETE FROM open_events");
    if (!err)
        err = sli_store_prepare(st, "INSERT OR IGNORE INTO open_events(id) VALUES(?1)", &s);
    if (err)
        return err;
    for (size_t i = 0; !err && i < n; i++) {
        sqlite3_bind_int64(s, 1, ids[i]);
        int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            err = sli_store_fail(st, rc, "open events");
    }
    sqlite3_finalize(s);
    return err;
}

static sl_error one_value(sl_store *st, const char *sql, const char *bind, long long *out)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, sql, &s);
    if (err)
        return err;
    if (bind)
        sqlite3_bind_text(s, 1, bind, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, sql);
    sqlite3_finalize(s);
    return err;
}

sl_error sli_event_store_counter(sl_store *st, const char *name, long long *value)
{
    return one_value(st, "SELECT value FROM counters WHERE name=?1", name, value);
}

sl_error sli_event_store_set_counter(sl_store *st, const char *name, long long value)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, "INSERT OR REPLACE INTO counters(name, value)"
                                     " VALUES(?1, ?2)", &s);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, value);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "counter");
    sqlite3_finalize(s);
    return err;
}

sl_error sli_event_store_max_id(sl_store *st, long long *id)
{
    return one_value(st, "SELECT max(coalesce((SELECT max(id) FROM events), 0),"
                         " coalesce((SELECT value FROM counters WHERE name='event_ids'), 0))",
                     NULL, id);
}

sl_error sli_event_store_last_placed(sl_store *st, long long *rid)
{
    return one_value(st, "SELECT coalesce(max(rid), 0) FROM article_events", NULL, rid);
}

sl_error sli_event_store_batch_families(sl_store *st, long long batch,
                                    sl_error (*fn)(void *user, long long rid, long long family),
                                    void *user)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, "SELECT m.rid, m.family FROM members m"
                                     " JOIN articles a ON a.rid = m.rid"
                                     " WHERE ?1 = 0 OR a.batch = ?1", &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, batch);
    int rc;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW)
        err = fn(user, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1));
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "families of the batch");
    sqlite3_finalize(s);
    return err;
}

sl_error sli_event_store_move_storyline(event_store *es, long long from, long long to)
{
    sqlite3_bind_int64(es->move, 1, from);
    sqlite3_bind_int64(es->move, 2, to);
    return run(es, es->move, "storyline");
}

sl_error sli_event_store_clear(sl_store *st)
{
    return sli_store_exec(st, "DELETE FROM events; DELETE FROM event_keys;"
                          " DELETE FROM article_events; DELETE FROM term_df;"
                          " DELETE FROM open_events;"
                          " DELETE FROM counters WHERE name IN ('docs', 'event_ids');");
}
