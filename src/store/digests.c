/* digests.c — the present stage's rows: each event's headline and summary
 * (event_digests), and what the stage reads to make them. */
#include "store_impl.h"

#include <stdlib.h>
#include <string.h>

struct store_digest_stmts {
    sqlite3_stmt *members, *text, *put, *drop;
};

static const char *const statements[] = {
    "SELECT a.rid, coalesce(m.family, 0), a.title, substr(a.date, 1, 10), a.source"
    " FROM article_events ae JOIN articles a ON a.rid = ae.rid"
    " LEFT JOIN members m ON m.rid = a.rid WHERE ae.event = ?1"
    " ORDER BY a.date IS NULL, a.date, a.rid",
    "SELECT text FROM article_text WHERE rid = ?1",
    "INSERT OR REPLACE INTO event_digests(event, headline, summary) VALUES(?1, ?2, ?3)",
    "DELETE FROM event_digests WHERE event = ?1",
};

#define STATEMENTS (sizeof statements / sizeof *statements)

static void slots(struct store_digest_stmts *q, sqlite3_stmt **slot[STATEMENTS])
{
    sqlite3_stmt **all[] = {&q->members, &q->text, &q->put, &q->drop};
    _Static_assert(sizeof all / sizeof *all == STATEMENTS, "a slot each");
    memcpy(slot, all, sizeof all);
}

/* Column text; *oom set when SQLite could not make it (not NULL in the row). */
static const char *col(sqlite3_stmt *s, int i, int *oom)
{
    const char *t = sli_store_column_text(s, i);
    if (!t && sqlite3_column_type(s, i) != SQLITE_NULL)
        *oom = 1;
    return t;
}

sl_error sli_store_digests_open(sl_store *st, store_digests *sd)
{
    memset(sd, 0, sizeof *sd);
    sd->st = st;
    sd->q = calloc(1, sizeof *sd->q);
    if (!sd->q)
        return SL_ERR_NOMEM;
    sqlite3_stmt **slot[STATEMENTS];
    slots(sd->q, slot);
    sl_error err = sli_store_prepare_all(st, statements, slot, STATEMENTS);
    if (err)
        sli_store_digests_close(sd);
    return err;
}

void sli_store_digests_close(store_digests *sd)
{
    if (!sd->q)
        return;
    sqlite3_stmt **slot[STATEMENTS];
    slots(sd->q, slot);
    sli_store_finalize_all(slot, STATEMENTS);
    free(sd->q);
    sd->q = NULL;
}

sl_error sli_store_digest_members(store_digests *sd, long long event,
                                  sl_error (*fn)(void *user, const store_digest_member *m),
                                  void *user)
{
    sqlite3_stmt *s = sd->q->members;
    sqlite3_bind_int64(s, 1, event);
    sl_error err = SL_OK;
    int rc;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int oom = 0;
        store_digest_member m = {
            .rid = sqlite3_column_int64(s, 0),
            .family = sqlite3_column_int64(s, 1),
            .title = col(s, 2, &oom),
            .date = col(s, 3, &oom),
            .source = col(s, 4, &oom),
        };
        err = oom ? SL_ERR_NOMEM : fn(user, &m);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(sd->st, rc, "reading an event's articles");
    sqlite3_reset(s);
    return err;
}

sl_error sli_store_digest_text(store_digests *sd, long long rid,
                               sl_error (*fn)(void *user, const char *text, size_t len),
                               void *user)
{
    sqlite3_stmt *s = sd->q->text;
    sqlite3_bind_int64(s, 1, rid);
    int rc = sqlite3_step(s);
    sl_error err = SL_OK;
    if (rc == SQLITE_ROW) {
        int oom = 0;
        const char *t = col(s, 0, &oom);
        if (oom)
            err = SL_ERR_NOMEM;
        else if (t)
            err = fn(user, t, (size_t)sqlite3_column_bytes(s, 0));
    } else if (rc != SQLITE_DONE) {
        err = sli_store_fail(sd->st, rc, "reading an article's text");
    }
    sqlite3_reset(s);
    return err;
}

static sl_error step_once(store_digests *sd, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE ? SL_OK : sli_store_fail(sd->st, rc, what);
}

sl_error sli_store_digest_put(store_digests *sd, long long event, const char *headline,
                              const char *summary)
{
    sqlite3_stmt *s = sd->q->put;
    sqlite3_bind_int64(s, 1, event);
    sli_store_bind_text(s, 2, headline);
    sli_store_bind_text(s, 3, summary ? summary : "");
    return step_once(sd, s, "saving an event's summary");
}

sl_error sli_store_digest_drop(store_digests *sd, long long event)
{
    sqlite3_stmt *s = sd->q->drop;
    sqlite3_bind_int64(s, 1, event);
    return step_once(sd, s, "forgetting an event's summary");
}

sl_error sli_store_digest_clear(sl_store *st)
{
    return sli_store_exec(st, "DELETE FROM event_digests");
}

sl_error sli_store_each_digest(sl_store *st, long long only,
                               sl_error (*fn)(void *user, long long event,
                                              const char *headline, const char *summary),
                               void *user)
{
    if (!st->has_digests)
        return SL_OK;
    sqlite3_stmt *s;
    /* "WHERE event = ?1" for one: with "?1 = 0 OR event = ?1" SQLite reads every row */
    sl_error err = sli_store_prepare(st,
                                     only ? "SELECT event, headline, summary FROM event_digests"
                                            " WHERE event = ?1"
                                          : "SELECT event, headline, summary FROM event_digests"
                                            " WHERE ?1 = 0",
                                     &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, only);
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int oom = 0;
        const char *headline = col(s, 1, &oom), *summary = col(s, 2, &oom);
        err = oom ? SL_ERR_NOMEM : fn(user, sqlite3_column_int64(s, 0), headline, summary);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "reading events' summaries");
    sqlite3_finalize(s);
    return err;
}
