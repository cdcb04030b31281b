/* article_read.c — reading articles, sources and statistics back out of the store. */
#include "store_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The columns every article query selects, in the order fill_article() reads them. The
 * raw text is a zstd frame in raws and the cleaned text spans of it (sl_raw, sl_text:
 * texts.c); the event is in article_events. A read-only open of a store made before
 * events, facts or pages adds none of them. */
static void article_select(const sl_store *st, const char *tail, char *sql, size_t size)
{
    snprintf(sql, size,
             "SELECT id, source, url, date, title, byline, credit, chars_raw, chars_clean,"
             " meta, origin, batch, CASE WHEN ?1 & 1 THEN sl_text(text, r.raw) END,"
             " CASE WHEN ?1 & 2 THEN sl_raw(r.raw) END,"
             " (SELECT 'F' || family FROM members m WHERE m.rid = articles.rid), %s, %s, %s"
             " %s",
             st->has_events ? "(SELECT 'E' || event FROM article_events e"
                              " WHERE e.rid = articles.rid)"
                            : "NULL",
             st->has_facts ? "CASE WHEN ?1 & 4 THEN (SELECT " STORE_FACTS_JSON
                             " FROM article_facts f WHERE f.rid = articles.rid) END"
                           : "NULL",
             /* the page's: lang, site_name, charset, and where the date came from (the
              * input or the page, else the text's rules, else the fetch date) */
             st->has_pages ? "(SELECT lang FROM pages p WHERE p.rid = articles.rid),"
                             " (SELECT site_name FROM pages p WHERE p.rid = articles.rid),"
                             " (SELECT charset FROM pages p WHERE p.rid = articles.rid),"
                             " (SELECT CASE WHEN articles.date IS NULL THEN NULL"
                             " WHEN p.date_from IS NOT NULL THEN p.date_from"
                             " WHEN p.fetch_date IS NOT NULL AND p.fetch_date = articles.date"
                             " THEN 'warc-date' ELSE 'text' END"
                             " FROM pages p WHERE p.rid = articles.rid) FROM articles"
                             " LEFT JOIN raws r ON r.rid = articles.rid"
                           : "NULL, NULL, NULL, NULL FROM articles"
                             " LEFT JOIN raws r ON r.rid = articles.rid",
             tail);
}

static void fill_article(sqlite3_stmt *s, sl_article *a)
{
    memset(a, 0, sizeof *a);
    a->id = sli_store_column_text(s, 0);
    a->source = sli_store_column_text(s, 1);
    a->url = sli_store_column_text(s, 2);
    a->date = sli_store_column_text(s, 3);
    a->title = sli_store_column_text(s, 4);
    a->byline = sli_store_column_text(s, 5);
    a->credit = sli_store_column_text(s, 6);
    a->chars_raw = sqlite3_column_int64(s, 7);
    a->chars_clean = sqlite3_column_int64(s, 8);
    a->meta = sli_store_column_text(s, 9);
    a->origin = sli_store_column_text(s, 10);
    a->batch = sqlite3_column_int64(s, 11);
    a->text = sli_store_column_text(s, 12);
    a->raw = sli_store_column_text(s, 13);
    a->family = sli_store_column_text(s, 14);
    a->event = sli_store_column_text(s, 15);
    a->facts = sli_store_column_text(s, 16);
    a->lang = sli_store_column_text(s, 17);
    a->site_name = sli_store_column_text(s, 18);
    a->charset = sli_store_column_text(s, 19);
    a->date_source = sli_store_column_text(s, 20);
}

/* The articles in the readers' date order (article_keys.c), each read by its rid. */
struct article_walk {
    sl_store *st;
    sqlite3_stmt *s;
    sl_article_fn fn;
    void *user;
};

static sl_error walk_one(void *user, long long rid, int *stop)
{
    struct article_walk *w = user;
    sqlite3_bind_int64(w->s, 2, rid);
    int rc = sqlite3_step(w->s);
    sl_error err = SL_OK;
    if (rc == SQLITE_ROW) {
        sl_article a;
        fill_article(w->s, &a);
        *stop = w->fn(w->user, &a) != 0;
    } else if (rc != SQLITE_DONE) {
        err = sli_store_fail(w->st, rc, "reading articles");
    }
    sqlite3_reset(w->s);
    return err;
}

static sl_error each_in_order(sl_store *st, unsigned with, long long offset, long long limit,
                              sl_article_fn fn, void *user)
{
    char sql[4096];
    article_select(st, "WHERE articles.rid = ?2", sql, sizeof sql);
    struct article_walk w = {st, NULL, fn, user};
    sl_error err = sli_store_prepare(st, sql, &w.s);
    if (err)
        return err;
    sqlite3_bind_int(w.s, 1, (int)with);
    err = sli_store_article_order(st, offset, limit, walk_one, &w);
    sqlite3_finalize(w.s);
    return err;
}

sl_error sl_store_each_article(sl_store *st, unsigned with, sl_article_fn fn, void *user)
{
    if (!st || !fn)
        return SL_ERR_INVALID;
    return each_in_order(st, with, 0, -1, fn, user);
}

sl_error sli_store_each_article_page(sl_store *st, unsigned with, long long offset,
                                     long long limit, sl_article_fn fn, void *user)
{
    return each_in_order(st, with, offset > 0 ? offset : 0, limit > 0 ? limit : -1, fn, user);
}

/* Copy a possibly-NULL string; *ok is cleared when memory runs out. */
static const char *dup_or_null(const char *s, int *ok)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *ok = 0;
    return d;
}

sl_error sl_store_get_article(sl_store *st, const char *id, unsigned with, sl_article **out)
{
    if (!out)
        return SL_ERR_INVALID;
    *out = NULL;
    if (!st || !id)
        return SL_ERR_INVALID;
    /* Its statement is kept on the handle (prepared once: preparing it cost more than
     * reading the article), keyed by its SQL made once per handle. */
    if (!st->get_sql) {
        char sql[4096];
        article_select(st, "WHERE id=?2", sql, sizeof sql);
        if (!(st->get_sql = strdup(sql)))
            return SL_ERR_NOMEM;
    }
    sqlite3_stmt *s;
    sl_error err = sli_store_borrow(st, st->get_sql, &s);
    if (err)
        return err;
    sqlite3_bind_int(s, 1, (int)with);
    sli_store_bind_text(s, 2, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        sl_article a;
        fill_article(s, &a);
        sl_article *copy = calloc(1, sizeof *copy);
        int ok = copy != NULL;
        if (copy) {
            *copy = a;
            copy->id = dup_or_null(a.id, &ok);
            copy->source = dup_or_null(a.source, &ok);
            copy->url = dup_or_null(a.url, &ok);
            copy->date = dup_or_null(a.date, &ok);
            copy->title = dup_or_null(a.title, &ok);
            copy->byline = dup_or_null(a.byline, &ok);
            copy->credit = dup_or_null(a.credit, &ok);
            copy->family = dup_or_null(a.family, &ok);
            copy->event = dup_or_null(a.event, &ok);
            copy->text = dup_or_null(a.text, &ok);
            copy->raw = dup_or_null(a.raw, &ok);
            copy->meta = dup_or_null(a.meta, &ok);
            copy->origin = dup_or_null(a.origin, &ok);
            copy->facts = dup_or_null(a.facts, &ok);
            copy->lang = dup_or_null(a.lang, &ok);
            copy->site_name = dup_or_null(a.site_name, &ok);
            copy->charset = dup_or_null(a.charset, &ok);
            copy->date_source = dup_or_null(a.date_source, &ok);
        }
        if (!ok) {
            sl_article_free(copy);
            err = SL_ERR_NOMEM;
        } else {
            *out = copy;
        }
    } else if (rc == SQLITE_DONE) {
        err = SL_ERR_NOT_FOUND;
    } else {
        err = sli_store_fail(st, rc, "reading article");
    }
    sli_store_return(st, s);
    return err;
}

void sl_article_free(sl_article *a)
{
    if (!a)
        return;
    const char *fields[] = {a->id,     a->source, a->url,  a->date, a->title,
                            a->byline, a->credit, a->family, a->event, a->text,
                            a->raw,    a->meta,   a->origin, a->facts,
                            a->lang,   a->site_name, a->charset, a->date_source};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        free((void *)fields[i]);
    free(a);
}

sl_error sl_store_article_page(sl_store *st, const char *id, sl_page_field_fn fn, void *user)
{
    if (!st || !id || !fn)
        return SL_ERR_INVALID;
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(
        st,
        st->has_pages
            ? "SELECT a.rid, p.rid, p.charset, p.title, p.title_from, p.date, p.date_from,"
              " p.author, p.author_from, p.site_name, p.site_name_from, p.canonical,"
              " p.canonical_from, p.lang, p.lang_from, p.description, p.description_from,"
              " p.fetch_date FROM articles a LEFT JOIN pages p ON p.rid = a.rid WHERE a.id=?1"
            : "SELECT rid, NULL FROM articles WHERE id=?1",
        &s);
    if (err)
        return err;
    sli_store_bind_text(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 1) != SQLITE_NULL) {
        static const char *const names[] = {"title", "date",  "author",     "site_name",
                                            "canonical", "lang", "description"};
        const char *v = sli_store_column_text(s, 2);
        int stop = v && fn(user, "charset", v, "");
        for (int i = 0; !stop && i < 7; i++) {
            v = sli_store_column_text(s, 3 + 2 * i);
            const char *from = sli_store_column_text(s, 4 + 2 * i);
            if (v)
                stop = fn(user, names[i], v, from ? from : "");
        }
        v = sli_store_column_text(s, 17);
        if (!stop && v)
            fn(user, "fetch_date", v, "WARC-Date");
    } else if (rc == SQLITE_DONE) {
        err = SL_ERR_NOT_FOUND;
    } else if (rc != SQLITE_ROW) {
        err = sli_store_fail(st, rc, "reading page metadata");
    }
    sqlite3_finalize(s);
    return err;
}

sl_error sl_store_each_source(sl_store *st, sl_source_fn fn, void *user)
{
    if (!st || !fn)
        return SL_ERR_INVALID;
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st,
                                 "SELECT source, count(*), min(date), max(date) FROM articles"
                                 " GROUP BY source ORDER BY source",
                                 &s);
    if (err)
        return err;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (fn(user, sli_store_column_text(s, 0), sqlite3_column_int64(s, 1),
               sli_store_column_text(s, 2), sli_store_column_text(s, 3)))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "reading sources");
    sqlite3_finalize(s);
    return err;
}

/* Run a one-row query and hand its statement to `fill`. */
static sl_error one_row(sl_store *st, const char *sql, void (*fill)(sqlite3_stmt *, sl_stats *),
                        sl_stats *out)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, sql, &s);
    if (err)
        return err;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        fill(s, out);
    else if (rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "reading statistics");
    sqlite3_finalize(s);
    return err;
}

static void copy_text(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

static void fill_counts(sqlite3_stmt *s, sl_stats *o)
{
    o->articles = sqlite3_column_int64(s, 0);
    o->sources = sqlite3_column_int64(s, 1);
    o->dated = sqlite3_column_int64(s, 2);
    o->chars_raw = sqlite3_column_int64(s, 3);
    copy_text(o->date_first, sizeof o->date_first, sli_store_column_text(s, 4));
    copy_text(o->date_last, sizeof o->date_last, sli_store_column_text(s, 5));
}

static void fill_batches(sqlite3_stmt *s, sl_stats *o)
{
    o->batches = sqlite3_column_int64(s, 0);
}

static void fill_families(sqlite3_stmt *s, sl_stats *o)
{
    o->families = sqlite3_column_int64(s, 0);
    o->family_members = sqlite3_column_int64(s, 1);
}

static void fill_last(sqlite3_stmt *s, sl_stats *o)
{
    o->last.added = sqlite3_column_int64(s, 0);
    o->last.updated = sqlite3_column_int64(s, 1);
    o->last.present = sqlite3_column_int64(s, 2);
    o->last.skipped = sqlite3_column_int64(s, 3);
    o->last.files = sqlite3_column_int64(s, 4);
    o->last.bytes = sqlite3_column_int64(s, 5);
    o->last.seconds = sqlite3_column_double(s, 6);
    copy_text(o->last_at, sizeof o->last_at, sli_store_column_text(s, 7));
}

static void fill_facts(sqlite3_stmt *s, sl_stats *o)
{
    o->with_facts = sqlite3_column_int64(s, 0);
    o->quotes = sqlite3_column_int64(s, 1);
    o->entities = sqlite3_column_int64(s, 2);
}

static long long file_size(const char *path, const char *suffix)
{
    char name[4096];
    struct stat sb;
    snprintf(name, sizeof name, "%s%s", path, suffix);
    return stat(name, &sb) == 0 ? (long long)sb.st_size : 0;
}

sl_error sl_store_stats(sl_store *st, sl_stats *out)
{
    if (!st || !out)
        return SL_ERR_INVALID;
    memset(out, 0, sizeof *out);
    sl_error err = one_row(st,
                           "SELECT count(*), count(DISTINCT source), count(date),"
                           " coalesce(sum(chars_raw), 0), min(date), max(date)"
                           " FROM articles",
                           fill_counts, out);
    if (!err)
        err = one_row(st, "SELECT count(*) FROM batches WHERE committed_at IS NOT NULL",
                      fill_batches, out);
    if (!err)
        err = one_row(st, "SELECT count(DISTINCT family), count(*) FROM members", fill_families,
                      out);
    if (!err)
        err = one_row(st,
                      "SELECT added, updated, present, skipped, files, bytes, seconds,"
                      " committed_at FROM batches WHERE committed_at IS NOT NULL"
                      " ORDER BY id DESC LIMIT 1",
                      fill_last, out);
    if (!err && st->has_facts)
        err = one_row(st,
                      "SELECT (SELECT count(*) FROM article_facts),"
                      " (SELECT count(*) FROM quotes), (SELECT count(*) FROM event_entities)"
                      " + (SELECT coalesce(sum(shown), 0) FROM entity_memos WHERE shown > 0)",
                      fill_facts, out);
    out->store_bytes = file_size(st->path, "") + file_size(st->path, "-wal");
    return err;
}
