/* event_rows.c — events read back for the readers (cluster/event_read.c makes of them
 * sl_store_each_event and the JSON shapes). */
#include "store_impl.h"

/* Run s (bound) to its end: fn(user, row) for each row of EVENT_ROWS_SELECT's columns. */
static sl_error step_rows(sl_store *st, sqlite3_stmt *s, const char *what,
                         sl_error (*fn)(void *user, const store_event_article *row),
                         void *user)
{
    sl_error err = SL_OK;
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_event_article row = {
            .event = sqlite3_column_int64(s, 0),
            .storyline = sqlite3_column_int64(s, 1),
            .id = sli_store_column_text(s, 2),
            .source = sli_store_column_text(s, 3),
            .date = sli_store_column_text(s, 4),
            .title = sli_store_column_text(s, 5),
            .rid = sqlite3_column_int64(s, 6),
            .has_text = sqlite3_column_int(s, 7),
            .family = sli_store_column_text(s, 8),
        };
        err = fn(user, &row);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, what);
    return err;
}

#define EVENT_ROWS_SELECT                                                                  \
    "SELECT e.id, e.storyline, a.id, a.source, substr(a.date, 1, 10), a.title, a.rid,"    \
    " length(a.text) > 0, (SELECT 'F' || family FROM members m WHERE m.rid = a.rid)"       \
    " FROM events e JOIN article_events ae ON ae.event = e.id"                             \
    " JOIN articles a ON a.rid = ae.rid"

/* One event's articles: found by article_events_event (a statement of its own, not
 * "WHERE ?1 = 0 OR e.id = ?1": with the OR, SQLite scans every article of every event
 * even for one, 430 ms on 100,000 articles), kept on the handle. */
static const char event_articles_sql[] =
    EVENT_ROWS_SELECT " WHERE e.id = ?1 ORDER BY a.date IS NULL, a.date, a.rid";

sl_error sli_store_event_articles(sl_store *st, long long event,
                                  sl_error (*fn)(void *user, const store_event_article *row),
                                  void *user)
{
    if (!st->has_events)
        return SL_OK;
    sqlite3_stmt *s;
    sl_error err = sli_store_borrow(st, event_articles_sql, &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, event);
    err = step_rows(st, s, "reading an event", fn, user);
    sli_store_return(st, s);
    return err;
}

sl_error sli_store_each_event_article(sl_store *st, long long only,
                                      sl_error (*fn)(void *user,
                                                     const store_event_article *row),
                                      void *user)
{
    if (only)
        return sli_store_event_articles(st, only, fn, user);
    if (!st->has_events)
        return SL_OK;
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(
        st,
        EVENT_ROWS_SELECT
        " ORDER BY e.day_last IS NULL, e.day_last DESC, e.id DESC, a.date IS NULL, a.date, a.rid",
        &s);
    if (err)
        return err;
    err = step_rows(st, s, "reading events", fn, user);
    sqlite3_finalize(s);
    return err;
}

sl_error sli_store_article_text(sl_store *st, long long rid,
                                void (*fn)(void *user, const char *text), void *user)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, "SELECT text FROM article_text WHERE rid=?1", &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, rid);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        fn(user, sli_store_column_text(s, 0));
    else
        err = rc == SQLITE_DONE ? SL_ERR_NOT_FOUND : sli_store_fail(st, rc, "reading article");
    sqlite3_finalize(s);
    return err;
}
