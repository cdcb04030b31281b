/* events.c — the cluster stage's tables: events (with their storylines), their key terms,
 * each article's event, document frequencies, counters and the open events. */
#include "store_impl.h"

#include "../core/grow.h"
#include "dict_codec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Recent rows (since version 8). An event key or a document frequency saved goes to
 * event_keys_recent or term_df_recent; a read adds the settled ones (keys: each once,
 * newest first; frequencies: the two counts summed); sli_store_event_settle merges the
 * recent tables into the settled ones, in term order, once the articles stored since the
 * last merge pass 1/EVENT_RECENT_SHARE of those stored before it. Since version 12 the
 * settled keys and frequencies are packed in blocks (event_key_blocks, term_df_blocks:
 * key_blocks.c); before, they were rows (event_keys, term_df). Why: terms are hashes, and a
 * batch's tens of thousands of them land on every leaf page of a large b-tree, which its
 * commit then writes again (the same write amplification as the dedup keys': families.c,
 * "Recent keys", whose share this is, not fitted).
 *
 * For the same reason a key of a vanished event is not deleted from event_keys when a
 * search meets it (sli_store_event_drop_key): it is noted in event_keys_gone (since
 * version 9), which a read takes as deleted, and the merge deletes it from event_keys.
 * Deleting them at once rewrote a third of event_keys' pages in +1,000 into a store of a
 * million articles (7,400 keys; docs/profile.md, "Eighth round"). A key that its event
 * saves again (an open event that forms again keeps its id) goes to event_keys_recent,
 * which a read takes whatever event_keys_gone says, and which the merge inserts after
 * the deletes. */
#define EVENT_RECENT_SHARE 16

/* Set once every key's events in event_key_blocks ascend, as the merge writes them: a
 * search then reads a large block's newest events from its end (key_blocks.c). Absent
 * (0) in a store made before, whose migration to version 12 may have folded two terms'
 * events into one key out of order; the next batch's settle puts them in order. Not a
 * version: an older storyline reads and writes such blocks as it did. */
#define ORDERED_COUNTER "event_keys_ordered"

/* The statements, in the order of slots() below. */
static const char *const statements[] = {
    "SELECT event FROM event_keys_recent WHERE term=?1 ORDER BY event DESC LIMIT ?2",
    "SELECT storyline, articles, dated, day_first, day_last, day_sum, centroid"
    " FROM events WHERE id=?1",
    "INSERT OR REPLACE INTO events(id, storyline, articles, dated, day_first, day_last,"
    " day_sum, centroid) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "INSERT OR IGNORE INTO event_keys_recent(term, event) VALUES(?1, ?2)",
    "INSERT OR REPLACE INTO article_events(rid, event) VALUES(?1, ?2)",
    "SELECT ae.event FROM members m JOIN article_events ae ON ae.rid = m.rid"
    " WHERE m.family=?1 LIMIT 1",
    /* the sum is made by the caller (sli_store_event_add_df), not by an upsert RETURNING
     * it: SQLite runs a RETURNING through a table of its own, opened and closed at each
     * step, which was half of the per-term write's time (docs/profile.md, "Sixteenth
     * round") */
    "INSERT OR REPLACE INTO term_df_recent(term, n) VALUES(?1, ?2)",
    "SELECT ae.rid, m.family FROM article_events ae LEFT JOIN members m ON m.rid = ae.rid"
    " WHERE ae.event=?1 ORDER BY ae.rid",
    "SELECT title, text, date FROM article_text WHERE rid=?1",
    "DELETE FROM events WHERE id=?1",
    "INSERT OR IGNORE INTO event_keys_gone(term, event) VALUES(?1, ?2)",
    "DELETE FROM event_keys_recent WHERE term=?1 AND event=?2",
    "UPDATE events SET storyline=?2 WHERE storyline=?1",
    "SELECT ae.event, coalesce(e.articles, 0) FROM article_events ae"
    " LEFT JOIN events e ON e.id = ae.event WHERE ae.rid=?1",
    "SELECT n FROM term_df_recent WHERE term=?1",
    "SELECT block, length(entries), CASE WHEN length(entries) <= ?2 THEN entries END"
    " FROM event_key_blocks WHERE block <= ?1 ORDER BY block DESC LIMIT 1",
    "SELECT event FROM event_keys_gone WHERE term=?1 ORDER BY event DESC",
    "SELECT block, entries FROM term_df_blocks WHERE block <= ?1 ORDER BY block DESC LIMIT 1",
};

#define STATEMENTS (sizeof statements / sizeof *statements)

/* Centroids (version 7) are kept as zstd frames made with the store's centroid
 * dictionary (centroid_dict), trained from its first CENTROID_DICT_SAMPLES events once
 * their ids pass that many; before it, as they are (without a dictionary a centroid packs
 * to 0.96 of itself: term ids are hashes). docs/store-size.md, "Centroids". */
#define CENTROID_DICT_SAMPLES 1000
#define CENTROID_DICT_BYTES 65536
#define CENTROID_DICT_SQL "SELECT dict FROM centroid_dict WHERE id=?1"

struct store_event_stmts {
    sqlite3_stmt *by_key, *load, *save, *put_key, *put_article, *family_event, *put_df;
    sqlite3_stmt *members, *article, *drop, *gone_key, *drop_recent_key, *move,
        *article_event, *get_df, *key_block, *gone_of, *df_block;
    long long *settled, *gone; /* a search's settled and forgotten events */
    size_t settled_cap, gone_cap;
    sqlite3_blob *blob; /* the large blocks of event_key_blocks, read in parts */
    store_key_reads reads;
    int ordered;        /* counter ORDERED_COUNTER: the blocks' events ascend */
    dict_codec centroids;
    int want_dict;      /* the store has no centroid dictionary yet */
    long long dict_at;  /* the event id from which to try to train it */
};

/* The statements' slots, in the order of statements[]. */
static void slots(struct store_event_stmts *q, sqlite3_stmt **slot[STATEMENTS])
{
    sqlite3_stmt **all[] = {&q->by_key,      &q->load,         &q->save,
                            &q->put_key,     &q->put_article,  &q->family_event,
                            &q->put_df,      &q->members,      &q->article,
                            &q->drop,        &q->gone_key,     &q->drop_recent_key,
                            &q->move,        &q->article_event, &q->get_df,
                            &q->key_block,   &q->gone_of,      &q->df_block};
    _Static_assert(sizeof all / sizeof *all == STATEMENTS, "one slot a statement");
    memcpy(slot, all, sizeof all);
}

sl_error sli_store_event_open(sl_store *st, store_events *es)
{
    memset(es, 0, sizeof *es);
    es->st = st;
    es->q = calloc(1, sizeof *es->q);
    if (!es->q)
        return SL_ERR_NOMEM;
    sli_codec_init(&es->q->centroids, CENTROID_DICT_SQL, 1);
    es->q->centroids.keep_dict = 1; /* for sli_store_event_packers */
    es->q->dict_at = CENTROID_DICT_SAMPLES;
    sqlite3_stmt **slot[STATEMENTS];
    slots(es->q, slot);
    sl_error err = sli_store_prepare_all(st, statements, slot, STATEMENTS);
    /* made by the first writer that packs (a table of the schema's version 7) */
    if (!err)
        err = sli_store_exec(st, "CREATE TABLE IF NOT EXISTS centroid_dict("
                                 "id INTEGER PRIMARY KEY, dict BLOB NOT NULL);");
    int found = 0;
    if (!err)
        err = sli_codec_load(st, &es->q->centroids, "centroid_dict", &found);
    long long ordered = 0;
    if (!err)
        err = sli_store_event_counter(st, ORDERED_COUNTER, &ordered);
    es->q->ordered = ordered == 1;
    es->q->want_dict = !found;
    if (err)
        sli_store_event_close(es);
    return err;
}

void sli_store_event_end_reads(store_events *es)
{
    if (es->q) {
        sqlite3_blob_close(es->q->blob);
        es->q->blob = NULL;
    }
}

void sli_store_event_key_reads(const store_events *es, store_key_reads *out)
{
    *out = es->q->reads;
}

void sli_store_event_close(store_events *es)
{
    if (es->q) {
        sqlite3_stmt **slot[STATEMENTS];
        slots(es->q, slot);
        sli_store_event_end_reads(es);
        sli_store_finalize_all(slot, STATEMENTS);
        sli_codec_clear(&es->q->centroids);
        free(es->q->settled);
        free(es->q->gone);
        free(es->q);
    }
    memset(es, 0, sizeof *es);
}

/* Step a statement that returns no rows, then reset it. */
static sl_error run(store_events *es, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SL_OK : sli_store_fail(es->st, rc, what);
}

sl_error sli_store_event_by_key(store_events *es, uint64_t term, long long *ids, size_t max,
                            size_t *n)
{
    struct store_event_stmts *q = es->q;
    *n = 0;
    size_t ns = 0, ng = 0;
    int rc = SQLITE_DONE;
    sl_error err = SL_OK;
    sqlite3_bind_int64(q->gone_of, 1, (sqlite3_int64)term);
    while (!err && (rc = sqlite3_step(q->gone_of)) == SQLITE_ROW) {
        long long *p = sli_grow_array(q->gone, &q->gone_cap, ng + 1, sizeof *p, 16);
        if (!p)
            err = SL_ERR_NOMEM;
        else
            (q->gone = p)[ng++] = sqlite3_column_int64(q->gone_of, 0);
    }
    sqlite3_reset(q->gone_of);
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(es->st, rc, "event keys");
    /* The settled events, newest first: the merge below takes at most max + ng of them
     * (ordered, each event once: an event it takes is given, or forgotten (ng at most), or
     * the one given just before, from the recent table, which gives one of the max); all
     * of them where a term's events may be out of order and repeated. */
    if (!err)
        err = sli_store_key_blocks_newest(es->st, sli_event_key_blocks(), q->key_block,
                                          "event_key_blocks", &q->blob, term, q->ordered,
                                          q->ordered ? max + ng : SIZE_MAX, &q->settled,
                                          &q->settled_cap, &ns, &q->reads);
    if (err)
        return err;
    /* the settled events not forgotten and the recent ones, newest first, each once */
    sqlite3_stmt *s = q->by_key;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)term);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)max);
    size_t i = 0, g = 0;
    int have = (rc = sqlite3_step(s)) == SQLITE_ROW;
    long long recent = have ? sqlite3_column_int64(s, 0) : 0;
    while (*n < max) {
        /* the forgotten ones passed over: both lists newest first */
        while (i < ns) {
            while (g < ng && q->gone[g] > q->settled[i])
                g++;
            if (g == ng || q->gone[g] != q->settled[i])
                break;
            i++;
        }
        long long next;
        if (have && (i == ns || recent >= q->settled[i])) {
            next = recent;
            have = (rc = sqlite3_step(s)) == SQLITE_ROW;
            if (have)
                recent = sqlite3_column_int64(s, 0);
        } else if (i < ns) {
            next = q->settled[i++];
        } else {
            break;
        }
        if (!*n || ids[*n - 1] != next)
            ids[(*n)++] = next;
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SL_OK : sli_store_fail(es->st, rc, "event keys");
}

sl_error sli_store_event_get(store_events *es, long long id,
                             sl_error (*fn)(void *user, const store_event_row *row),
                             void *user)
{
    sqlite3_stmt *s = es->q->load;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    sl_error err = SL_OK;
    const char *centroid = NULL;
    size_t centroid_len = 0;
    if (rc == SQLITE_ROW) {
        err = sli_codec_read(&es->q->centroids, es->st->db, sqlite3_column_value(s, 6),
                             &centroid, &centroid_len);
        int failed = es->q->centroids.failed;
        es->q->centroids.failed = 0;
        if (err == SL_ERR_STORE && failed)
            err = sli_store_fail(es->st, failed, "reading the centroids' dictionary");
        else if (err == SL_ERR_STORE)
            sli_store_set_error(es->st,
                                "event %lld: centroid damaged (run `storyline clean` to"
                                " cluster again)",
                                id);
    }
    if (rc == SQLITE_ROW && !err) {
        store_event_row row = {
            .id = id,
            .storyline = sqlite3_column_int64(s, 0),
            .articles = sqlite3_column_int(s, 1),
            .dated = sqlite3_column_int(s, 2),
            .day_first = sqlite3_column_int(s, 3),
            .day_last = sqlite3_column_int(s, 4),
            .day_sum = sqlite3_column_double(s, 5),
            .centroid = centroid,
            .centroid_len = centroid_len,
        };
        err = fn(user, &row);
    } else if (rc != SQLITE_ROW) {
        err = rc == SQLITE_DONE ? SL_ERR_NOT_FOUND : sli_store_fail(es->st, rc, "load event");
    }
    sqlite3_reset(s);
    return err;
}

sl_error sli_store_event_put(store_events *es, const store_event_row *row)
{
    sqlite3_stmt *s = es->q->save;
    sqlite3_bind_int64(s, 1, row->id);
    sqlite3_bind_int64(s, 2, row->storyline);
    sqlite3_bind_int(s, 3, row->articles);
    sqlite3_bind_int(s, 4, row->dated);
    if (row->dated) {
        sqlite3_bind_int(s, 5, row->day_first);
        sqlite3_bind_int(s, 6, row->day_last);
    } else {
        sqlite3_bind_null(s, 5);
        sqlite3_bind_null(s, 6);
    }
    sqlite3_bind_double(s, 7, row->day_sum);
    dict_codec *c = &es->q->centroids;
    sl_error err = SL_OK;
    if (es->q->want_dict && row->id >= es->q->dict_at) {
        /* ids are a hint (dropped events leave gaps): too few centroids yet, tried again
         * once the shortfall can be there; samples zstd cannot train from leave none for
         * this handle */
        unsigned had = 0;
        err = sli_codec_train(es->st, c, "SELECT centroid FROM events ORDER BY id LIMIT ?1",
                              CENTROID_DICT_SAMPLES, CENTROID_DICT_BYTES,
                              "INSERT OR IGNORE INTO centroid_dict(id, dict) VALUES(?1, ?2)",
                              "the centroids", &had);
        es->q->want_dict = had < CENTROID_DICT_SAMPLES;
        es->q->dict_at = row->id + (CENTROID_DICT_SAMPLES - had);
    }
    const void *packed = NULL;
    size_t packed_len = 0;
    if (!err && c->dicted && !row->packed)
        err = sli_codec_pack(c, row->centroid, row->centroid_len, &packed, &packed_len);
    if (err)
        return err;
    /* SQLITE_STATIC: the blob outlives the one step (the binding is replaced by the next
     * save, or finalised, before it is read again; the packed frame lives in the codec
     * until its next use, which is after this step, or, packed already, in the caller's
     * buffer until this put returns). */
    if (packed)
        sqlite3_bind_blob(s, 8, packed, (int)packed_len, SQLITE_STATIC);
    else
        sqlite3_bind_blob(s, 8, row->centroid, (int)row->centroid_len, SQLITE_STATIC);
    return run(es, s, "save event");
}

sl_error sli_store_event_packers(store_events *es, unsigned n, packer **out)
{
    memset(out, 0, n * sizeof *out);
    if (es->q->want_dict || !es->q->centroids.dicted)
        return SL_OK; /* without a dictionary put packs nothing (docs/store-size.md) */
    for (unsigned k = 0; k < n; k++)
        if (!(out[k] = sli_codec_packer_like(&es->q->centroids))) {
            for (unsigned j = 0; j < k; j++) {
                sli_packer_free(out[j]);
                out[j] = NULL;
            }
            return SL_ERR_NOMEM;
        }
    return SL_OK;
}

sl_error sli_store_event_pack(packer *p, store_event_row *row, buf *out)
{
    const void *packed;
    size_t packed_len;
    sl_error err = sli_codec_pack_into(p, row->centroid, row->centroid_len, out, &packed,
                                       &packed_len);
    if (!err && packed) {
        row->centroid = packed;
        row->centroid_len = packed_len;
    }
    row->packed = !err;
    return err;
}

sl_error sli_store_event_put_key(store_events *es, uint64_t term, long long event)
{
    sqlite3_bind_int64(es->q->put_key, 1, (sqlite3_int64)term);
    sqlite3_bind_int64(es->q->put_key, 2, event);
    return run(es, es->q->put_key, "event key");
}

sl_error sli_store_event_put_article(store_events *es, long long rid, long long event)
{
    sqlite3_bind_int64(es->q->put_article, 1, rid);
    sqlite3_bind_int64(es->q->put_article, 2, event);
    return run(es, es->q->put_article, "article event");
}

/* The one integer statement s gives for key (0 when it gives no row). */
static sl_error one_id(store_events *es, sqlite3_stmt *s, long long key, long long *out,
                       const char *what)
{
    sqlite3_bind_int64(s, 1, key);
    int rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SL_OK : sli_store_fail(es->st, rc, what);
}

sl_error sli_store_event_family_event(store_events *es, long long family, long long *event)
{
    return one_id(es, es->q->family_event, family, event, "family event");
}

/* Term's settled frequency (in the blocks) into *df (0 when none). */
static sl_error settled_df(store_events *es, uint64_t term, long long *df)
{
    int n = 0;
    *df = 0;
    return sli_store_key_blocks_find(es->st, sli_term_df_blocks(), es->q->df_block, term, df, 1,
                                     &n);
}

sl_error sli_store_event_add_df(store_events *es, uint64_t term, long long n, long long *df)
{
    sqlite3_stmt *g = es->q->get_df;
    sqlite3_bind_int64(g, 1, (sqlite3_int64)term);
    int rc = sqlite3_step(g);
    long long recent = n + (rc == SQLITE_ROW ? sqlite3_column_int64(g, 0) : 0);
    sqlite3_reset(g);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sli_store_fail(es->st, rc, "term df");
    sqlite3_stmt *s = es->q->put_df;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)term);
    sqlite3_bind_int64(s, 2, recent);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return sli_store_fail(es->st, rc, "term df");
    sl_error err = settled_df(es, term, df);
    *df += recent;
    return err;
}

sl_error sli_store_event_df(store_events *es, uint64_t term, long long *df)
{
    sqlite3_stmt *s = es->q->get_df;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)term);
    int rc = sqlite3_step(s);
    long long recent = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sli_store_fail(es->st, rc, "term df");
    sl_error err = settled_df(es, term, df);
    *df += recent;
    return err;
}

sl_error sli_store_event_members(store_events *es, long long id,
                             sl_error (*fn)(void *user, long long rid, long long family),
                             void *user)
{
    sqlite3_stmt *s = es->q->members;
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

sl_error sli_store_event_article(store_events *es, long long rid,
                             sl_error (*fn)(void *user, const char *title, const char *text,
                                            size_t len, const char *date),
                             void *user)
{
    sqlite3_stmt *s = es->q->article;
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

sl_error sli_store_event_article_event(store_events *es, long long rid, long long *event,
                                   long long *articles)
{
    sqlite3_stmt *s = es->q->article_event;
    sqlite3_bind_int64(s, 1, rid);
    int rc = sqlite3_step(s);
    *event = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    *articles = rc == SQLITE_ROW ? sqlite3_column_int64(s, 1) : 0;
    sqlite3_reset(s);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return SL_OK;
    return sli_store_fail(es->st, rc, "reading an article's event");
}

sl_error sli_store_event_drop(store_events *es, long long id)
{
    sqlite3_bind_int64(es->q->drop, 1, id);
    return run(es, es->q->drop, "drop event");
}

sl_error sli_store_event_drop_key(store_events *es, uint64_t term, long long event)
{
    sl_error err = SL_OK;
    sqlite3_stmt *both[] = {es->q->gone_key, es->q->drop_recent_key};
    for (int i = 0; !err && i < 2; i++) {
        sqlite3_bind_int64(both[i], 1, (sqlite3_int64)term);
        sqlite3_bind_int64(both[i], 2, event);
        err = run(es, both[i], "drop event key");
    }
    return err;
}

sl_error sli_store_event_open_ids(sl_store *st, store_open_event **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, "SELECT o.id, e.articles FROM open_events o"
                                     " JOIN events e ON e.id = o.id ORDER BY o.id DESC", &s);
    size_t cap = 0;
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_open_event *p = sli_grow_array(*out, &cap, *n + 1, sizeof *p, 256);
        if (!p)
            err = SL_ERR_NOMEM;
        else
            (*out = p)[(*n)++] = (store_open_event){sqlite3_column_int64(s, 0),
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

sl_error sli_store_event_set_open(sl_store *st, const long long *ids, size_t n)
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

sl_error sli_store_event_counter(sl_store *st, const char *name, long long *value)
{
    return one_value(st, "SELECT value FROM counters WHERE name=?1", name, value);
}

sl_error sli_store_event_set_counter(sl_store *st, const char *name, long long value)
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

sl_error sli_store_event_max_id(sl_store *st, long long *id)
{
    return one_value(st, "SELECT max(coalesce((SELECT max(id) FROM events), 0),"
                         " coalesce((SELECT value FROM counters WHERE name='event_ids'), 0))",
                     NULL, id);
}

sl_error sli_store_event_last_placed(sl_store *st, long long *rid)
{
    return one_value(st, "SELECT coalesce(max(rid), 0) FROM article_events", NULL, rid);
}

sl_error sli_store_event_batch_families(sl_store *st, long long batch,
                                    sl_error (*fn)(void *user, long long rid, long long family),
                                    void *user)
{
    /* Two statements, not one with `?1 = 0 OR a.batch = ?1`: SQLite plans that one as
     * a scan of every article's batch (articles_batch whole, 690 pages of 16 KB at a
     * million articles, read at every slice and every batch), where a batch's own are
     * one range of the index. */
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, batch ? "SELECT m.rid, m.family FROM articles a"
                                                 " JOIN members m ON m.rid = a.rid"
                                                 " WHERE a.batch = ?1"
                                               : "SELECT m.rid, m.family FROM members m"
                                                 " JOIN articles a ON a.rid = m.rid", &s);
    if (err)
        return err;
    if (batch)
        sqlite3_bind_int64(s, 1, batch);
    int rc;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW)
        err = fn(user, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1));
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "families of the batch");
    sqlite3_finalize(s);
    return err;
}

sl_error sli_store_event_move_storyline(store_events *es, long long from, long long to)
{
    sqlite3_bind_int64(es->q->move, 1, from);
    sqlite3_bind_int64(es->q->move, 2, to);
    return run(es, es->q->move, "storyline");
}

sl_error sli_store_event_clear(sl_store *st)
{
    return sli_store_exec(st, "DELETE FROM events; DELETE FROM event_key_blocks;"
                          " DELETE FROM event_keys_recent; DELETE FROM event_keys_gone;"
                          " DELETE FROM article_events;"
                          " DELETE FROM term_df_blocks; DELETE FROM term_df_recent;"
                          " DELETE FROM open_events; DELETE FROM counters"
                          " WHERE name IN ('docs', 'event_ids', 'events_settled');");
}

/* The recent tables into the blocks, in term order: frequencies added; the forgotten
 * keys deleted, then the recent ones inserted (a key saved again after it was forgotten
 * stays). */
static sl_error merge_recent(sl_store *st)
{
    sl_error err = sli_store_key_blocks_merge(st, sli_term_df_blocks(), "term_df_blocks",
                                              "SELECT term, n FROM term_df_recent ORDER BY term");
    if (!err)
        err = sli_store_key_blocks_merge(
            st, sli_event_key_blocks(), "event_key_blocks",
            "SELECT term, event, 0 FROM event_keys_gone UNION ALL"
            " SELECT term, event, 1 FROM event_keys_recent ORDER BY 1, 2, 3");
    return err ? err : sli_store_exec(st, "DELETE FROM term_df_recent;"
                                          " DELETE FROM event_keys_gone;"
                                          " DELETE FROM event_keys_recent;");
}

/* The event keys' blocks put in order once (ORDERED_COUNTER), then merged as due. */
sl_error sli_store_event_settle(sl_store *st)
{
    long long ordered = 0;
    sl_error err = sli_store_event_counter(st, ORDERED_COUNTER, &ordered);
    if (!err && ordered != 1)
        err = sli_store_key_blocks_order(st, sli_event_key_blocks(), "event_key_blocks");
    if (!err && ordered != 1)
        err = sli_store_event_set_counter(st, ORDERED_COUNTER, 1);
    return err ? err : sli_store_settle_with(st, "events_settled", EVENT_RECENT_SHARE,
                                             merge_recent);
}
