/* facts.c — the facts stage's tables: each article's facts (its JSON object, its quotes
 * and entities as rows), and per event its quotes (Q ids) with their variants and the
 * articles that print each, and its entities. Also which events a batch touched: temporary
 * triggers on article_events and events note every event that gains, loses or is dropped
 * an article into temp.facts_touched, so the facts stage redoes those events alone,
 * whatever the cluster stage did (placing, reopening, merging, re-cleaning). */
#include "store_impl.h"

#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"

/* The statements, in the order of slots() below. */
static const char *const statements[] = {
    "INSERT OR REPLACE INTO article_facts(rid, json, quotes, entities) VALUES(?1,?2,?3,?4)",
    "DELETE FROM article_quotes WHERE rid=?1",
    "DELETE FROM article_entities WHERE rid=?1",
    "INSERT INTO article_quotes(rid, n, text, speaker, kind) VALUES(?1,?2,?3,?4,?5)",
    "INSERT INTO article_entities(rid, n, name, type, count) VALUES(?1,?2,?3,?4,?5)",
    /* an event's quotes as its articles print them: earliest article first */
    "SELECT q.text, q.speaker, q.kind, a.id, substr(a.date, 1, 10), a.rid"
    " FROM article_events ae JOIN article_quotes q ON q.rid = ae.rid"
    " JOIN articles a ON a.rid = ae.rid WHERE ae.event=?1"
    " ORDER BY a.date IS NULL, substr(a.date, 1, 10), a.rid, q.n",
    "SELECT e.name, e.type, e.count, ae.rid FROM article_events ae"
    " JOIN article_entities e ON e.rid = ae.rid WHERE ae.event=?1 ORDER BY ae.rid, e.n",
    "SELECT v.quote, v.text FROM quotes q JOIN quote_variants v ON v.quote = q.id"
    " WHERE q.event=?1 ORDER BY v.quote, v.n",
    "DELETE FROM variant_articles WHERE quote IN (SELECT id FROM quotes WHERE event=?1)",
    "DELETE FROM quote_variants WHERE quote IN (SELECT id FROM quotes WHERE event=?1)",
    "DELETE FROM quotes WHERE event=?1",
    "DELETE FROM event_entities WHERE event=?1",
    "INSERT INTO quotes(id, event, text, speaker, kind) VALUES(?1,?2,?3,?4,?5)",
    "INSERT INTO quote_variants(quote, n, text) VALUES(?1,?2,?3)",
    "INSERT INTO variant_articles(quote, n, k, rid) VALUES(?1,?2,?3,?4)",
    "INSERT INTO event_entities(event, n, name, type, count) VALUES(?1,?2,?3,?4,?5)",
    "SELECT 1 FROM events WHERE id=?1",
    "SELECT ae.rid FROM article_events ae LEFT JOIN article_facts f ON f.rid = ae.rid"
    " WHERE ae.event=?1 AND f.rid IS NULL ORDER BY ae.rid",
    "SELECT text, substr(date, 1, 10), title FROM article_text WHERE rid=?1",
};

#define STATEMENTS (sizeof statements / sizeof *statements)

struct store_facts_stmts {
    sqlite3_stmt *put, *del_quotes, *del_entities, *put_quote, *put_entity;
    sqlite3_stmt *seen, *ents, *old, *clear_va, *clear_v, *clear_q, *clear_e;
    sqlite3_stmt *quote, *variant, *variant_article, *entity, *exists, *missing, *text;
};

static void slots(struct store_facts_stmts *q, sqlite3_stmt **slot[STATEMENTS])
{
    sqlite3_stmt **all[] = {&q->put,     &q->del_quotes, &q->del_entities, &q->put_quote,
                            &q->put_entity, &q->seen,    &q->ents,         &q->old,
                            &q->clear_va, &q->clear_v,   &q->clear_q,      &q->clear_e,
                            &q->quote,   &q->variant,    &q->variant_article, &q->entity,
                            &q->exists, &q->missing, &q->text};
    _Static_assert(sizeof all / sizeof *all == STATEMENTS, "one slot a statement");
    memcpy(slot, all, sizeof all);
}

sl_error sli_store_facts_open(sl_store *st, store_facts *sf)
{
    memset(sf, 0, sizeof *sf);
    sf->st = st;
    if (st->readonly)
        return SL_ERR_INVALID;
    sf->q = calloc(1, sizeof *sf->q);
    if (!sf->q)
        return SL_ERR_NOMEM;
    sl_error err = sli_store_touched_log(st);
    sqlite3_stmt **slot[STATEMENTS];
    slots(sf->q, slot);
    if (!err)
        err = sli_store_prepare_all(st, statements, slot, STATEMENTS);
    if (err)
        sli_store_facts_close(sf);
    return err;
}

void sli_store_facts_close(store_facts *sf)
{
    if (sf->q) {
        sqlite3_stmt **slot[STATEMENTS];
        slots(sf->q, slot);
        sli_store_finalize_all(slot, STATEMENTS);
        free(sf->q);
    }
    memset(sf, 0, sizeof *sf);
}

/* Column text; *oom set when a value that is there could not be had (SQLite converts
 * and copies: out of memory), which is not to pass for NULL. */
static const char *col(sqlite3_stmt *s, int i, int *oom)
{
    const char *t = sli_store_column_text(s, i);
    if (!t && sqlite3_column_type(s, i) != SQLITE_NULL)
        *oom = 1;
    return t;
}

/* Step a statement that returns no rows, then reset it. */
static sl_error run(store_facts *sf, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE ? SL_OK : sli_store_fail(sf->st, rc, what);
}

sl_error sli_store_facts_put(store_facts *sf, long long rid, const char *json,
                             const store_fact_quote *q, size_t nq,
                             const store_fact_entity *e, size_t ne)
{
    sqlite3_stmt *s = sf->q->put;
    sqlite3_bind_int64(s, 1, rid);
    sli_store_bind_text(s, 2, json);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)nq);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)ne);
    sl_error err = run(sf, s, "saving an article's facts");
    if (!err) {
        sqlite3_bind_int64(sf->q->del_quotes, 1, rid);
        err = run(sf, sf->q->del_quotes, "saving an article's quotes");
    }
    if (!err) {
        sqlite3_bind_int64(sf->q->del_entities, 1, rid);
        err = run(sf, sf->q->del_entities, "saving an article's entities");
    }
    for (size_t i = 0; !err && i < nq; i++) {
        s = sf->q->put_quote;
        sqlite3_bind_int64(s, 1, rid);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
        sli_store_bind_text(s, 3, q[i].text);
        sli_store_bind_text(s, 4, q[i].speaker);
        sli_store_bind_text(s, 5, q[i].kind);
        err = run(sf, s, "saving an article's quotes");
    }
    for (size_t i = 0; !err && i < ne; i++) {
        s = sf->q->put_entity;
        sqlite3_bind_int64(s, 1, rid);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
        sli_store_bind_text(s, 3, e[i].name);
        sli_store_bind_text(s, 4, e[i].type);
        sqlite3_bind_int64(s, 5, e[i].count);
        err = run(sf, s, "saving an article's entities");
    }
    return err;
}

sl_error sli_store_facts_touched(store_facts *sf, long long **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(sf->st, "SELECT event FROM temp.facts_touched ORDER BY event",
                                     &s);
    if (err)
        return err;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        long long *grown = sli_grow_array(*ids, &cap, *n + 1, sizeof **ids, 64);
        if (!grown) {
            err = SL_ERR_NOMEM;
            break;
        }
        *ids = grown;
        (*ids)[(*n)++] = sqlite3_column_int64(s, 0);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(sf->st, rc, "reading the events a batch touched");
    sqlite3_finalize(s);
    if (!err)
        err = sli_store_exec(sf->st, "DELETE FROM temp.facts_touched");
    if (err) {
        free(*ids);
        *ids = NULL;
        *n = 0;
    }
    return err;
}

sl_error sli_store_facts_event_exists(store_facts *sf, long long event, int *exists)
{
    sqlite3_stmt *s = sf->q->exists;
    sqlite3_bind_int64(s, 1, event);
    int rc = sqlite3_step(s);
    *exists = rc == SQLITE_ROW;
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SL_OK
                                                 : sli_store_fail(sf->st, rc, "reading an event");
}

sl_error sli_store_facts_missing(store_facts *sf, long long event, long long **rids, size_t *n)
{
    *rids = NULL;
    *n = 0;
    sqlite3_stmt *s = sf->q->missing;
    sqlite3_bind_int64(s, 1, event);
    size_t cap = 0;
    sl_error err = SL_OK;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        long long *grown = sli_grow_array(*rids, &cap, *n + 1, sizeof **rids, 16);
        if (!grown) {
            err = SL_ERR_NOMEM;
            break;
        }
        *rids = grown;
        (*rids)[(*n)++] = sqlite3_column_int64(s, 0);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(sf->st, rc, "reading an event's articles");
    sqlite3_reset(s);
    if (err) {
        free(*rids);
        *rids = NULL;
        *n = 0;
    }
    return err;
}

sl_error sli_store_facts_article(store_facts *sf, long long rid,
                                 sl_error (*fn)(void *user, const char *text, size_t len,
                                                const char *date, const char *title),
                                 void *user)
{
    sqlite3_stmt *s = sf->q->text;
    sqlite3_bind_int64(s, 1, rid);
    int rc = sqlite3_step(s);
    sl_error err = SL_OK;
    if (rc == SQLITE_ROW) {
        int oom = 0;
        const char *text = col(s, 0, &oom);
        size_t len = text ? (size_t)sqlite3_column_bytes(s, 0) : 0;
        const char *date = col(s, 1, &oom);
        const char *title = col(s, 2, &oom);
        err = oom ? SL_ERR_NOMEM : fn(user, text ? text : "", len, date, title);
    } else if (rc != SQLITE_DONE) {
        err = sli_store_fail(sf->st, rc, "reading an article");
    }
    sqlite3_reset(s);
    return err;
}

sl_error sli_store_facts_event_quotes(store_facts *sf, long long event,
                                      sl_error (*fn)(void *user, const store_seen_quote *q),
                                      void *user)
{
    sqlite3_stmt *s = sf->q->seen;
    sqlite3_bind_int64(s, 1, event);
    sl_error err = SL_OK;
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int oom = 0;
        store_seen_quote q = {
            .text = col(s, 0, &oom),
            .speaker = col(s, 1, &oom),
            .kind = col(s, 2, &oom),
            .article = col(s, 3, &oom),
            .date = col(s, 4, &oom),
            .rid = sqlite3_column_int64(s, 5),
        };
        err = oom || !q.text || !q.kind || !q.article ? SL_ERR_NOMEM : fn(user, &q);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(sf->st, rc, "reading an event's quotes");
    sqlite3_reset(s);
    return err;
}

sl_error sli_store_facts_event_entities(store_facts *sf, long long event,
                                        sl_error (*fn)(void *user, long long rid,
                                                       const store_fact_entity *e),
                                        void *user)
{
    sqlite3_stmt *s = sf->q->ents;
    sqlite3_bind_int64(s, 1, event);
    sl_error err = SL_OK;
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int oom = 0;
        store_fact_entity e = {col(s, 0, &oom), col(s, 1, &oom),
                               sqlite3_column_int64(s, 2)};
        err = oom || !e.name || !e.type ? SL_ERR_NOMEM
                                        : fn(user, sqlite3_column_int64(s, 3), &e);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(sf->st, rc, "reading an event's entities");
    sqlite3_reset(s);
    return err;
}

sl_error sli_store_facts_old_variants(store_facts *sf, long long event,
                                      sl_error (*fn)(void *user, long long quote,
                                                     const char *text),
                                      void *user)
{
    sqlite3_stmt *s = sf->q->old;
    sqlite3_bind_int64(s, 1, event);
    sl_error err = SL_OK;
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int oom = 0;
        const char *t = col(s, 1, &oom);
        err = oom || !t ? SL_ERR_NOMEM : fn(user, sqlite3_column_int64(s, 0), t);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(sf->st, rc, "reading an event's quotes");
    sqlite3_reset(s);
    return err;
}

sl_error sli_store_facts_clear_event(store_facts *sf, long long event)
{
    sqlite3_stmt *const order[] = {sf->q->clear_va, sf->q->clear_v, sf->q->clear_q,
                                   sf->q->clear_e};
    sl_error err = SL_OK;
    for (size_t i = 0; !err && i < sizeof order / sizeof *order; i++) {
        sqlite3_bind_int64(order[i], 1, event);
        err = run(sf, order[i], "clearing an event's facts");
    }
    return err;
}

sl_error sli_store_facts_put_quote(store_facts *sf, long long id, long long event,
                                   const char *text, const char *speaker, const char *kind)
{
    sqlite3_stmt *s = sf->q->quote;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, event);
    sli_store_bind_text(s, 3, text);
    sli_store_bind_text(s, 4, speaker);
    sli_store_bind_text(s, 5, kind);
    return run(sf, s, "saving a quote");
}

sl_error sli_store_facts_put_variant(store_facts *sf, long long quote, int n, const char *text,
                                     const long long *rids, size_t nrids)
{
    sqlite3_stmt *s = sf->q->variant;
    sqlite3_bind_int64(s, 1, quote);
    sqlite3_bind_int(s, 2, n);
    sli_store_bind_text(s, 3, text);
    sl_error err = run(sf, s, "saving a quote's variant");
    for (size_t k = 0; !err && k < nrids; k++) {
        s = sf->q->variant_article;
        sqlite3_bind_int64(s, 1, quote);
        sqlite3_bind_int(s, 2, n);
        sqlite3_bind_int64(s, 3, (sqlite3_int64)k);
        sqlite3_bind_int64(s, 4, rids[k]);
        err = run(sf, s, "saving a quote's variant");
    }
    return err;
}

sl_error sli_store_facts_put_entity(store_facts *sf, long long event, int n,
                                    const store_fact_entity *e)
{
    sqlite3_stmt *s = sf->q->entity;
    sqlite3_bind_int64(s, 1, event);
    sqlite3_bind_int(s, 2, n);
    sli_store_bind_text(s, 3, e->name);
    sli_store_bind_text(s, 4, e->type);
    sqlite3_bind_int64(s, 5, e->count);
    return run(sf, s, "saving an event's entities");
}

sl_error sli_store_facts_touch_all(sl_store *st)
{
    sl_error err = sli_store_touched_log(st);
    return err ? err
               : sli_store_exec(st, "INSERT OR IGNORE INTO temp.facts_touched"
                                    " SELECT event FROM quotes UNION"
                                    " SELECT event FROM event_entities");
}

/* --- read back (the public readers: export/ and the CLI through storyline.h) --- */

sl_error sli_store_article_facts(sl_store *st, const char *id,
                                 void (*fn)(void *user, const char *json), void *user)
{
    if (!st->has_facts)
        return SL_OK;
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st,
                                     "SELECT f.json FROM articles a JOIN article_facts f"
                                     " ON f.rid = a.rid WHERE a.id=?1",
                                     &s);
    if (err)
        return err;
    sli_store_bind_text(s, 1, id);
    int rc = sqlite3_step(s);
    int oom = 0;
    const char *json = rc == SQLITE_ROW ? col(s, 0, &oom) : NULL;
    if (oom)
        err = SL_ERR_NOMEM;
    else if (rc == SQLITE_ROW)
        fn(user, json);
    else if (rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "reading an article's facts");
    sqlite3_finalize(s);
    return err;
}

sl_error sli_store_each_quote_row(sl_store *st, long long event,
                                  sl_error (*fn)(void *user, const store_quote_row *row),
                                  void *user)
{
    if (!st->has_facts)
        return SL_OK;
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(
        st,
        "SELECT q.id, q.event, q.text, q.speaker, q.kind, v.n, v.text, a.id, a.source,"
        " substr(a.date, 1, 10)"
        " FROM quotes q JOIN quote_variants v ON v.quote = q.id"
        " JOIN variant_articles va ON va.quote = q.id AND va.n = v.n"
        " JOIN articles a ON a.rid = va.rid"
        " WHERE ?1 = 0 OR q.event = ?1 ORDER BY q.id, v.n, va.k",
        &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, event);
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int oom = 0;
        store_quote_row r = {
            .id = sqlite3_column_int64(s, 0),
            .event = sqlite3_column_int64(s, 1),
            .text = col(s, 2, &oom),
            .speaker = col(s, 3, &oom),
            .kind = col(s, 4, &oom),
            .variant = sqlite3_column_int(s, 5),
            .variant_text = col(s, 6, &oom),
            .article = col(s, 7, &oom),
            .source = col(s, 8, &oom),
            .date = col(s, 9, &oom),
        };
        err = oom ? SL_ERR_NOMEM : fn(user, &r);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "reading quotes");
    sqlite3_finalize(s);
    return err;
}

sl_error sli_store_event_quote_ids(sl_store *st, long long event,
                                   sl_error (*fn)(void *user, long long id), void *user)
{
    if (!st->has_facts)
        return SL_OK;
    sqlite3_stmt *s;
    sl_error err = sli_store_borrow(st, "SELECT id FROM quotes WHERE event=?1 ORDER BY id", &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, event);
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW)
        err = fn(user, sqlite3_column_int64(s, 0));
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "reading an event's quotes");
    sli_store_return(st, s);
    return err;
}

sl_error sli_store_event_entity_rows(sl_store *st, long long event,
                                     sl_error (*fn)(void *user, const store_fact_entity *e),
                                     void *user)
{
    if (!st->has_facts)
        return SL_OK;
    sqlite3_stmt *s;
    sl_error err = sli_store_borrow(
        st, "SELECT name, type, count FROM event_entities WHERE event=?1 ORDER BY n", &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, event);
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int oom = 0;
        store_fact_entity e = {col(s, 0, &oom), col(s, 1, &oom),
                               sqlite3_column_int64(s, 2)};
        err = oom ? SL_ERR_NOMEM : fn(user, &e);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "reading an event's entities");
    sli_store_return(st, s);
    return err;
}

sl_error sli_store_event_known(sl_store *st, long long event, int *exists)
{
    *exists = 0;
    if (!st->has_events)
        return SL_OK;
    sqlite3_stmt *s;
    sl_error err = sli_store_borrow(st, "SELECT 1 FROM events WHERE id=?1", &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, event);
    int rc = sqlite3_step(s);
    *exists = rc == SQLITE_ROW;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "reading an event");
    sli_store_return(st, s);
    return err;
}
