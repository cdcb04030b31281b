/* digests.c — the present stage's rows: each event's headline and summary
 * (event_digests), and what the stage reads to make them. */
#include "store_impl.h"

#include <stdlib.h>
#include <string.h>

#include "dict_codec.h"

/* Summaries (version 7) are kept as zstd frames (BLOB) made with the store's summary
 * dictionary (digest_dict) when that is shorter, else as text; the dictionary is trained
 * from the first DIGEST_DICT_SAMPLES summaries by event once an event id reaches that
 * many. docs/store-size.md, "Summaries". */
#define DIGEST_DICT_SAMPLES 1000
#define DIGEST_DICT_BYTES 65536
#define DIGEST_DICT_SQL "SELECT dict FROM digest_dict WHERE id=?1"

struct store_digest_stmts {
    sqlite3_stmt *members, *text, *put, *drop, *kept;
    dict_codec codec;
    int want_dict;     /* the store has no summary dictionary yet */
    long long dict_at; /* the event id from which to try to train it */
};

/* sl_summary(x): a stored summary as text, unpacked when it is a frame. A frame that
 * does not unpack is an error that says how to make the summaries again. */
static void summary_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    dict_codec *c = sqlite3_user_data(ctx);
    const char *text = NULL;
    size_t len = 0;
    sl_error err = sli_codec_read(c, sqlite3_context_db_handle(ctx), argv[0], &text, &len);
    sli_codec_result(ctx, c, err, text, len, 1, 0,
                     "an event's summary is damaged (run `storyline clean` to make them"
                     " again)");
}

static void codec_destroy(void *p)
{
    sli_codec_clear(p);
    free(p);
}

sl_error sli_store_digest_functions(sl_store *st)
{
    dict_codec *c = malloc(sizeof *c);
    if (!c)
        return SL_ERR_NOMEM;
    sli_codec_init(c, DIGEST_DICT_SQL, 0);
    /* on failure SQLite calls codec_destroy itself */
    int rc = sqlite3_create_function_v2(st->db, "sl_summary", 1,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC, c, summary_fn,
                                        NULL, NULL, codec_destroy);
    return rc == SQLITE_OK ? SL_OK : sli_store_fail(st, rc, "opening it");
}

static const char *const statements[] = {
    "SELECT a.rid, coalesce(m.family, 0), a.title, substr(a.date, 1, 10), a.source, a.batch"
    " FROM article_events ae JOIN articles a ON a.rid = ae.rid"
    " LEFT JOIN members m ON m.rid = a.rid WHERE ae.event = ?1"
    " ORDER BY a.date IS NULL, a.date, a.rid",
    "SELECT text FROM article_text WHERE rid = ?1",
    ("INSERT OR REPLACE INTO event_digests(event, headline, summary, inputs)"
     " VALUES(?1, ?2, ?3, ?4)"),
    "DELETE FROM event_digests WHERE event = ?1",
    "SELECT summary FROM event_digests WHERE event = ?1 AND inputs = ?2",
};

#define STATEMENTS (sizeof statements / sizeof *statements)

static void slots(struct store_digest_stmts *q, sqlite3_stmt **slot[STATEMENTS])
{
    sqlite3_stmt **all[] = {&q->members, &q->text, &q->put, &q->drop, &q->kept};
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

/* Whether count's one value is not 0 (a column's presence). */
static sl_error has_column(sl_store *st, const char *count, int *has)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, count, &s);
    if (err)
        return err;
    int rc = sqlite3_step(s);
    *has = rc == SQLITE_ROW && sqlite3_column_int(s, 0) > 0;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? SL_OK : sli_store_fail(st, rc, "reading its summaries' table");
}

sl_error sli_store_digests_open(sl_store *st, store_digests *sd)
{
    memset(sd, 0, sizeof *sd);
    sd->st = st;
    sd->q = calloc(1, sizeof *sd->q);
    if (!sd->q)
        return SL_ERR_NOMEM;
    sli_codec_init(&sd->q->codec, DIGEST_DICT_SQL, 0);
    sd->q->dict_at = DIGEST_DICT_SAMPLES;
    sqlite3_stmt **slot[STATEMENTS];
    slots(sd->q, slot);
    /* event_digests.inputs (the hash of what the summary was made from: digest.c) is added
     * by the first writer that makes digests; a build before it replaces a row without it,
     * which leaves it NULL: made again next time */
    int has_inputs = 0;
    sl_error err = has_column(st, "SELECT count(*) FROM pragma_table_info('event_digests')"
                                  " WHERE name = 'inputs'",
                              &has_inputs);
    if (!err && !has_inputs)
        err = sli_store_exec(st, "ALTER TABLE event_digests ADD COLUMN inputs INTEGER;");
    if (!err)
        err = sli_store_prepare_all(st, statements, slot, STATEMENTS);
    /* made by the first writer that packs (a table of the schema's version 7) */
    if (!err)
        err = sli_store_exec(st, "CREATE TABLE IF NOT EXISTS digest_dict("
                                 "id INTEGER PRIMARY KEY, dict BLOB NOT NULL);");
    int found = 0;
    if (!err)
        err = sli_codec_load(st, &sd->q->codec, "digest_dict", &found);
    sd->q->want_dict = !found;
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
    sli_codec_clear(&sd->q->codec);
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
            .batch = sqlite3_column_int64(s, 5),
        };
        err = oom ? SL_ERR_NOMEM : fn(user, &m);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(sd->st, rc, "reading an event's articles");
    sqlite3_reset(s);
    return err;
}

/* fn(user, text, len) with s's one row's first column, if there is one and it is not
 * NULL; s reset. */
static sl_error step_text(store_digests *sd, sqlite3_stmt *s,
                          sl_error (*fn)(void *user, const char *text, size_t len), void *user,
                          const char *what)
{
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
        err = sli_store_fail(sd->st, rc, what);
    }
    sqlite3_reset(s);
    return err;
}

sl_error sli_store_digest_text(store_digests *sd, long long rid,
                               sl_error (*fn)(void *user, const char *text, size_t len),
                               void *user)
{
    sqlite3_bind_int64(sd->q->text, 1, rid);
    return step_text(sd, sd->q->text, fn, user, "reading an article's text");
}

static sl_error step_once(store_digests *sd, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE ? SL_OK : sli_store_fail(sd->st, rc, what);
}

sl_error sli_store_digest_kept(store_digests *sd, long long event, long long inputs,
                               char **summary)
{
    *summary = NULL;
    sqlite3_stmt *s = sd->q->kept;
    sqlite3_bind_int64(s, 1, event);
    sqlite3_bind_int64(s, 2, inputs);
    int rc = sqlite3_step(s);
    sl_error err = SL_OK;
    if (rc == SQLITE_ROW) {
        const char *text = NULL;
        size_t len = 0;
        dict_codec *c = &sd->q->codec;
        err = sli_codec_read(c, sd->st->db, sqlite3_column_value(s, 0), &text, &len);
        int failed = c->failed;
        c->failed = 0;
        if (err == SL_ERR_STORE && failed)
            err = sli_store_fail(sd->st, failed, "reading the summaries' dictionary");
        else if (err == SL_ERR_STORE) /* damaged: not kept, made again and saved over it */
            err = SL_OK;
        else if (!err && text && !(*summary = malloc(len + 1)))
            err = SL_ERR_NOMEM;
        else if (!err && text) {
            memcpy(*summary, text, len);
            (*summary)[len] = '\0';
        }
    } else if (rc != SQLITE_DONE) {
        err = sli_store_fail(sd->st, rc, "reading an event's summary");
    }
    sqlite3_reset(s);
    return err;
}

sl_error sli_store_digest_put(store_digests *sd, long long event, const char *headline,
                              const char *summary, long long inputs)
{
    dict_codec *c = &sd->q->codec;
    sl_error err = SL_OK;
    if (sd->q->want_dict && event >= sd->q->dict_at) {
        /* as the centroids (events.c): ids are a hint, tried again after the shortfall */
        unsigned had = 0;
        err = sli_codec_train(sd->st, c,
                              "SELECT sl_summary(summary) FROM event_digests"
                              " WHERE summary != '' ORDER BY event LIMIT ?1",
                              DIGEST_DICT_SAMPLES, DIGEST_DICT_BYTES,
                              "INSERT OR IGNORE INTO digest_dict(id, dict) VALUES(?1, ?2)",
                              "the summaries", &had);
        sd->q->want_dict = had < DIGEST_DICT_SAMPLES;
        sd->q->dict_at = event + (DIGEST_DICT_SAMPLES - had);
    }
    const void *packed = NULL;
    size_t packed_len = 0;
    if (!err && summary && *summary && c->dicted)
        err = sli_codec_pack(c, summary, strlen(summary), &packed, &packed_len);
    if (err)
        return err;
    sqlite3_stmt *s = sd->q->put;
    sqlite3_bind_int64(s, 1, event);
    sli_store_bind_text(s, 2, headline);
    if (packed) /* the frame lives in the codec until its next use, after this step */
        sqlite3_bind_blob(s, 3, packed, (int)packed_len, SQLITE_STATIC);
    else
        sli_store_bind_text(s, 3, summary ? summary : "");
    if (inputs)
        sqlite3_bind_int64(s, 4, inputs);
    else
        sqlite3_bind_null(s, 4);
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
                                     only ? "SELECT event, headline, sl_summary(summary)"
                                            " FROM event_digests WHERE event = ?1"
                                          : "SELECT event, headline, sl_summary(summary)"
                                            " FROM event_digests WHERE ?1 = 0",
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
