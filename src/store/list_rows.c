/* list_rows.c — what the pages of the lists read (export/lists.c, cluster/event_read.c):
 * counts, the ids of one page, one storyline's events, one
 * family's members, the quote rows of a range of ids. Each call costs what its page
 * holds (an index walked to the offset, rows of the page), not what the store holds;
 * statements are kept on the handle (sli_store_borrow). */
#include "store_impl.h"

#include <stdlib.h>
#include <string.h>

/* Run s (bound) to the end: fn(user, column 0) for each row. */
static sl_error each_id(sl_store *st, sqlite3_stmt *s, const char *what,
                        sl_error (*fn)(void *user, long long id), void *user)
{
    sl_error err = SL_OK;
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW)
        err = fn(user, sqlite3_column_int64(s, 0));
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, what);
    return err;
}

static const char *const count_sql[] = {
    [SL_LIST_EVENTS] = "SELECT count(*) FROM events",
    [SL_LIST_STORYLINES] = "SELECT count(*) FROM (SELECT storyline FROM events"
                           " GROUP BY storyline HAVING count(*) >= 2)",
    [SL_LIST_FAMILIES] = "SELECT count(*) FROM (SELECT family FROM members"
                         " GROUP BY family HAVING count(*) >= 2)",
    [SL_LIST_QUOTES] = "SELECT count(*) FROM quotes",
    [SL_LIST_ARTICLES] = "SELECT count(*) FROM articles",
};
static const char count_event_quotes_sql[] = "SELECT count(*) FROM quotes WHERE event=?1";

/* Whether the tables of list `what` are in this store (a read-only open of an older
 * store may lack them: its lists are empty). */
static int has_tables(const sl_store *st, sl_list what)
{
    switch (what) {
    case SL_LIST_EVENTS:
    case SL_LIST_STORYLINES:
        return st->has_events;
    case SL_LIST_QUOTES:
        return st->has_facts;
    default:
        return 1;
    }
}

sl_error sli_store_list_count(sl_store *st, sl_list what, long long event, long long *n)
{
    *n = 0;
    if ((unsigned)what > SL_LIST_ARTICLES)
        return SL_ERR_INVALID;
    if (!has_tables(st, what))
        return SL_OK;
    const char *sql = what == SL_LIST_QUOTES && event ? count_event_quotes_sql
                                                      : count_sql[what];
    sqlite3_stmt *s;
    sl_error err = sli_store_borrow(st, sql, &s);
    if (err)
        return err;
    if (what == SL_LIST_QUOTES && event)
        sqlite3_bind_int64(s, 1, event);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    else
        err = sli_store_fail(st, rc, "counting");
    sli_store_return(st, s);
    return err;
}

/* The orders: events newest first (by last day, undated last, then id: the index
 * events_order); a storyline where its newest event comes in that order; families by
 * founder; quotes by id; articles by date (sli_store_article_order). ?1 offset, ?2 limit
 * (-1: none), ?3 the event (quotes). */
static const char *const ids_sql[] = {
    [SL_LIST_EVENTS] = "SELECT id FROM events"
                       " ORDER BY day_last IS NULL, day_last DESC, id DESC"
                       " LIMIT ?2 OFFSET ?1",
    [SL_LIST_STORYLINES] =
        "SELECT storyline FROM (SELECT storyline, id, day_last,"
        "  count(*) OVER (PARTITION BY storyline) AS n,"
        "  row_number() OVER (PARTITION BY storyline"
        "   ORDER BY day_last IS NULL, day_last DESC, id DESC) AS r FROM events)"
        " WHERE r = 1 AND n >= 2 ORDER BY day_last IS NULL, day_last DESC, id DESC"
        " LIMIT ?2 OFFSET ?1",
    [SL_LIST_FAMILIES] = ("SELECT family FROM members GROUP BY family HAVING count(*) >= 2"
                          " ORDER BY family LIMIT ?2 OFFSET ?1"),
    [SL_LIST_QUOTES] = "SELECT id FROM quotes ORDER BY id LIMIT ?2 OFFSET ?1",
    /* SL_LIST_ARTICLES: by date, walked in article_keys.c */
};
struct id_walk {
    sl_error (*fn)(void *user, long long id);
    void *user;
};

static sl_error id_one(void *user, long long rid, int *stop)
{
    (void)stop;
    struct id_walk *w = user;
    return w->fn(w->user, rid);
}

static const char ids_event_quotes_sql[] =
    "SELECT id FROM quotes WHERE event=?3 ORDER BY id LIMIT ?2 OFFSET ?1";

sl_error sli_store_list_ids(sl_store *st, sl_list what, long long event, long long offset,
                            long long limit, sl_error (*fn)(void *user, long long id),
                            void *user)
{
    if ((unsigned)what > SL_LIST_ARTICLES)
        return SL_ERR_INVALID;
    if (!has_tables(st, what))
        return SL_OK;
    if (what == SL_LIST_ARTICLES) {
        struct id_walk w = {fn, user};
        return sli_store_article_order(st, offset > 0 ? offset : 0, limit > 0 ? limit : -1,
                                       id_one, &w);
    }
    const char *sql = what == SL_LIST_QUOTES && event ? ids_event_quotes_sql : ids_sql[what];
    sqlite3_stmt *s;
    sl_error err = sli_store_borrow(st, sql, &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, offset > 0 ? offset : 0);
    sqlite3_bind_int64(s, 2, limit > 0 ? limit : -1);
    if (what == SL_LIST_QUOTES && event)
        sqlite3_bind_int64(s, 3, event);
    err = each_id(st, s, "reading a page", fn, user);
    sli_store_return(st, s);
    return err;
}

static const char storyline_events_sql[] =
    "SELECT id FROM events WHERE storyline=?1"
    " ORDER BY day_first IS NULL, day_first, day_last, id";

sl_error sli_store_storyline_events(sl_store *st, long long storyline,
                                    sl_error (*fn)(void *user, long long event), void *user)
{
    if (!st->has_events)
        return SL_OK;
    sqlite3_stmt *s;
    sl_error err = sli_store_borrow(st, storyline_events_sql, &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, storyline);
    err = each_id(st, s, "reading a storyline", fn, user);
    sli_store_return(st, s);
    return err;
}

static const char family_sql[] = "SELECT rid FROM members WHERE family=?1 ORDER BY rid";

sl_error sli_store_family_members(sl_store *st, long long family,
                                  sl_error (*fn)(void *user, long long family,
                                                 const long long *rids, size_t n),
                                  void *user)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_borrow(st, family_sql, &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, family);
    long long *rids = NULL;
    size_t n = 0, cap = 0;
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            long long *v = realloc(rids, cap * sizeof *v);
            if (!v) {
                err = SL_ERR_NOMEM;
                break;
            }
            rids = v;
        }
        rids[n++] = sqlite3_column_int64(s, 0);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "reading a family");
    sli_store_return(st, s);
    if (!err && n)
        err = fn(user, family, rids, n);
    free(rids);
    return err;
}

static const char quote_rows_sql[] =
    "SELECT q.id, q.event, " STORE_QUOTE_TEXT ", " STORE_QUOTE_SPEAKER ", " STORE_QUOTE_KIND
    ", v.n, " STORE_VARIANT_TEXT ", a.id, a.source, substr(a.date, 1, 10)"
    " FROM " STORE_QUOTES_FROM " JOIN quote_variants v ON v.quote = q.id"
    " JOIN variant_articles va ON va.quote = q.id AND va.n = v.n"
    " JOIN articles a ON a.rid = va.rid"
    " WHERE q.id BETWEEN ?1 AND ?2 AND (?3 = 0 OR q.event = ?3) ORDER BY q.id, v.n, va.k";

sl_error sli_store_quote_rows(sl_store *st, long long event, long long first, long long last,
                              sl_error (*fn)(void *user, const store_quote_row *row),
                              void *user)
{
    if (!st->has_facts)
        return SL_OK;
    sqlite3_stmt *s;
    sl_error err = sli_store_borrow(st, quote_rows_sql, &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, first);
    sqlite3_bind_int64(s, 2, last);
    sqlite3_bind_int64(s, 3, event);
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_quote_row r = {
            .id = sqlite3_column_int64(s, 0),
            .event = sqlite3_column_int64(s, 1),
            .text = sli_store_column_text(s, 2),
            .speaker = sli_store_column_text(s, 3),
            .kind = sli_store_column_text(s, 4),
            .variant = sqlite3_column_int(s, 5),
            .variant_text = sli_store_column_text(s, 6),
            .article = sli_store_column_text(s, 7),
            .source = sli_store_column_text(s, 8),
            .date = sli_store_column_text(s, 9),
        };
        if ((!r.text || !r.article) && sqlite3_errcode(st->db) == SQLITE_NOMEM)
            err = SL_ERR_NOMEM;
        else
            err = fn(user, &r);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "reading quotes");
    sli_store_return(st, s);
    return err;
}

/* A storyline's events from the events table alone (their counts and days are kept
 * there), with the present stage's headline where it made one: a storyline of hundreds
 * of events reads hundreds of rows, not their articles. */
static const char storyline_rows_sql[] =
    "SELECT e.id, e.articles, e.day_first, e.day_last, d.headline FROM events e"
    " LEFT JOIN event_digests d ON d.event = e.id WHERE e.storyline=?1"
    " ORDER BY e.day_first IS NULL, e.day_first, e.day_last, e.id";
static const char storyline_rows_old_sql[] = /* a store made before event_digests */
    "SELECT e.id, e.articles, e.day_first, e.day_last, NULL FROM events e"
    " WHERE e.storyline=?1 ORDER BY e.day_first IS NULL, e.day_first, e.day_last, e.id";
/* The title take_article would give: the first titled article in the event's order. */
static const char first_title_sql[] =
    "SELECT a.title FROM article_events ae JOIN articles a ON a.rid = ae.rid"
    " WHERE ae.event=?1 AND a.title IS NOT NULL"
    " ORDER BY a.date IS NULL, a.date, a.rid LIMIT 1";

static sl_error first_title(sl_store *st, long long event, char **out)
{
    *out = NULL;
    sqlite3_stmt *s;
    sl_error err = sli_store_borrow(st, first_title_sql, &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, event);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_text(s, 0) &&
        !(*out = strdup((const char *)sqlite3_column_text(s, 0))))
        err = SL_ERR_NOMEM;
    else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "reading an event's title");
    sli_store_return(st, s);
    return err;
}

sl_error sli_store_storyline_rows(sl_store *st, long long storyline,
                                  sl_error (*fn)(void *user, const store_storyline_row *row),
                                  void *user)
{
    if (!st->has_events)
        return SL_OK;
    sqlite3_stmt *s;
    sl_error err = sli_store_borrow(st, st->has_digests ? storyline_rows_sql
                                                        : storyline_rows_old_sql, &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, storyline);
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_storyline_row row = {
            .event = sqlite3_column_int64(s, 0),
            .articles = sqlite3_column_int64(s, 1),
            .dated = sqlite3_column_type(s, 2) != SQLITE_NULL,
            .day_first = sqlite3_column_int64(s, 2),
            .day_last = sqlite3_column_int64(s, 3),
            .headline = (const char *)sqlite3_column_text(s, 4),
        };
        char *title = NULL;
        if (!row.headline) /* no digest: the first title, as the event reads */
            err = first_title(st, row.event, &title);
        if (!err) {
            if (title)
                row.headline = title;
            err = fn(user, &row);
        }
        free(title);
    }
    if (!err && rc != SQLITE_DONE && rc != SQLITE_ROW)
        err = sli_store_fail(st, rc, "reading a storyline");
    sli_store_return(st, s);
    return err;
}
