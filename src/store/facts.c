/* facts.c — the facts stage's tables: each article's facts (its JSON object, its quotes
 * and entities as rows), and per event its quotes (Q ids) with their variants and the
 * articles that print each, and its entities. Also which events a batch touched: temporary
 * triggers on article_events and events note every event that gains, loses or is dropped
 * an article into temp.facts_touched, so the facts stage redoes those events alone,
 * whatever the cluster stage did (placing, reopening, merging, re-cleaning). */
#include "store_impl.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"
#include "../core/json_writer.h"
#include "../core/pack.h"
#include "../core/varint.h"
#include "dict_codec.h"

/* An article's facts JSON is kept packed (docs/store-size.md): a zstd frame as a BLOB
 * when that is shorter than the text, else the text as it is (TEXT; so are the facts of
 * stores made before). Frames are made with the store's dictionary once it has one (table
 * facts_dict, the frame's dictionary id as its key), trained from its first
 * FACTS_DICT_SAMPLES facts once that many are stored; before, without one. The SQL
 * function sl_facts_json(column), registered on every connection, reads either back. */
#define FACTS_DICT_SAMPLES 1000  /* facts a dictionary is trained from (2.7 MB of JSON on
                                    generated news: 2000 gave 0.4% smaller) */
#define FACTS_DICT_BYTES 65536   /* its size (32 KB: 3.5% bigger facts, 112 KB: 1% less) */
/* The entity memos' dictionary (version 7): trained from the first MEMO_DICT_SAMPLES memos
 * once that many were stored or saved, 64 KB (docs/store-size.md, "Entity memos"). */
#define MEMO_DICT_SAMPLES 1000
#define MEMO_DICT_BYTES 65536
/* The printings' texts (article_quotes.text, version 11): packed with a dictionary trained
 * from the first QUOTE_DICT_SAMPLES texts (by rid, n) once that many were saved, 32 KB
 * (docs/store-size.md, "Eleventh round"); a frame (BLOB) where that is shorter, else the
 * text. Read through sl_quote_text(x). */
#define QUOTE_DICT_SAMPLES 1000
#define QUOTE_DICT_BYTES 32768

/* What a facts object kept without its quotes begins with (sli_facts_write_json_stored):
 * since version 5 the stage keeps an article's quotes as rows only (article_quotes), and
 * an object that begins so and has quotes (article_facts.quotes) has them put back as it
 * is read: sl_facts_json(x, q), q the array sl_quotes_json made of the rows, in order
 * (STORE_FACTS_JSON). An object with its quotes (every store made before) reads as it is. */
#define QUOTES_LEFT_OUT "{\"quotes\":[]"

/* sl_facts_json(x): x as text, unpacked when it is a frame; sl_facts_json(x, q): the
 * same with the quotes array q put back where the object left it empty (q NULL: as it
 * is). */
static void facts_json_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    dict_codec *c = sqlite3_user_data(ctx);
    const char *text = NULL;
    size_t len = 0;
    sl_error err = sli_codec_read(c, sqlite3_context_db_handle(ctx), argv[0], &text, &len);
    if (err == SL_ERR_NOMEM)
        sqlite3_result_error_nomem(ctx);
    else if (err && c->failed) {
        sqlite3_result_error(ctx, sqlite3_errstr(c->failed), -1);
        sqlite3_result_error_code(ctx, c->failed);
    } else if (err) {
        sqlite3_result_error(ctx, "an article's facts are damaged", -1);
        sqlite3_result_error_code(ctx, SQLITE_CORRUPT);
    }
    c->failed = 0;
    if (err)
        return;
    const char *quotes = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : NULL;
    size_t skip = sizeof QUOTES_LEFT_OUT - 1;
    if (argc > 1 && !quotes && sqlite3_value_type(argv[1]) != SQLITE_NULL)
        sqlite3_result_error_nomem(ctx); /* there, but not had: not an object without quotes */
    else if (!text)
        sqlite3_result_null(ctx);
    else if (!quotes || len < skip || memcmp(text, QUOTES_LEFT_OUT, skip))
        sqlite3_result_text(ctx, text, (int)len, SQLITE_TRANSIENT);
    else { /* {"quotes": + q + the rest */
        size_t qn = strlen(quotes), head = sizeof "{\"quotes\":" - 1;
        char *out = sqlite3_malloc64(head + qn + (len - skip) + 1);
        if (!out) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        memcpy(out, text, head);
        memcpy(out + head, quotes, qn);
        memcpy(out + head + qn, text + skip, len - skip);
        sqlite3_result_text(ctx, out, (int)(head + qn + len - skip), sqlite3_free);
    }
}

/* sl_quotes_json(text, speaker, kind), an aggregate: the rows, in the order given, as the
 * facts object's "quotes" array, as sli_facts_write_json writes it; NULL for none. */
static void quotes_json_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    jw **w = sqlite3_aggregate_context(ctx, sizeof *w);
    if (!w) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (!*w) {
        *w = malloc(sizeof **w);
        if (!*w) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        sli_jw_init(*w, NULL, NULL, 0);
        sli_jw_begin_array(*w);
    }
    sli_jw_begin_object(*w);
    sli_jw_kv_string(*w, "text", (const char *)sqlite3_value_text(argv[0]));
    sli_jw_kv_string(*w, "speaker", (const char *)sqlite3_value_text(argv[1]));
    sli_jw_kv_string(*w, "kind", (const char *)sqlite3_value_text(argv[2]));
    sli_jw_end_object(*w);
}

static void quotes_json_final(sqlite3_context *ctx)
{
    jw **w = sqlite3_aggregate_context(ctx, 0);
    if (!w || !*w) {
        sqlite3_result_null(ctx);
        return;
    }
    sli_jw_end_array(*w);
    if ((*w)->err == SL_ERR_NOMEM)
        sqlite3_result_error_nomem(ctx);
    else if ((*w)->err)
        sqlite3_result_error(ctx, "an article's quotes could not be written", -1);
    else
        sqlite3_result_text(ctx, (*w)->out.data ? (*w)->out.data : "", (int)(*w)->out.len,
                            SQLITE_TRANSIENT);
    sli_buf_free(&(*w)->out);
    free(*w);
    *w = NULL;
}

/* sl_memo(x): an entity memo as the stage wrote it, unpacked when it is a frame (made
 * with the store's memo dictionary, memo_dict; version 7), else x as it is. A frame that
 * does not unpack (or whose dictionary is gone) is no memo, NULL: a memo is a cache, which
 * the next batch that touches the event makes again, as it does for a memo that does not
 * parse. */
static void memo_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    dict_codec *c = sqlite3_user_data(ctx);
    const char *data = NULL;
    size_t len = 0;
    sl_error err = sli_codec_read(c, sqlite3_context_db_handle(ctx), argv[0], &data, &len);
    sli_codec_result(ctx, c, err, data, len, 0, 1, NULL);
}

/* sl_quote_text(x): a printing's text as the stage saved it, unpacked when it is a frame
 * (made with quote_dict), else x as it is. A frame that does not unpack is an error: the
 * text is kept nowhere else. */
static void quote_text_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    dict_codec *c = sqlite3_user_data(ctx);
    const char *data = NULL;
    size_t len = 0;
    sl_error err = sli_codec_read(c, sqlite3_context_db_handle(ctx), argv[0], &data, &len);
    sli_codec_result(ctx, c, err, data, len, 1, 0,
                     "an article's quote is damaged (run `storyline clean` to extract the"
                     " facts again)");
}

static void codec_destroy(void *p)
{
    sli_codec_clear(p);
    free(p);
}

#define FACTS_DICT_SQL "SELECT dict FROM facts_dict WHERE id=?1"
#define MEMO_DICT_SQL "SELECT dict FROM memo_dict WHERE id=?1"
#define QUOTE_DICT_SQL "SELECT dict FROM quote_dict WHERE id=?1"

sl_error sli_store_facts_functions(sl_store *st)
{
    dict_codec *c = malloc(sizeof *c), *m = malloc(sizeof *m), *qt = malloc(sizeof *qt);
    if (!c || !m || !qt) {
        free(c);
        free(m);
        free(qt);
        return SL_ERR_NOMEM;
    }
    sli_codec_init(c, FACTS_DICT_SQL, 0);
    sli_codec_init(m, MEMO_DICT_SQL, 1);
    sli_codec_init(qt, QUOTE_DICT_SQL, 0);
    /* on failure SQLite calls codec_destroy itself */
    int rc = sqlite3_create_function_v2(st->db, "sl_quote_text", 1,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC, qt, quote_text_fn,
                                        NULL, NULL, codec_destroy);
    if (rc != SQLITE_OK) {
        codec_destroy(c);
        codec_destroy(m);
        return sli_store_fail(st, rc, "opening it");
    }
    rc = sqlite3_create_function_v2(st->db, "sl_memo", 1,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC, m, memo_fn,
                                        NULL, NULL, codec_destroy);
    if (rc != SQLITE_OK) {
        codec_destroy(c);
        return sli_store_fail(st, rc, "opening it");
    }
    rc = sqlite3_create_function_v2(st->db, "sl_facts_json", 1,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC, c, facts_json_fn,
                                        NULL, NULL, codec_destroy);
    /* the same codec (destroyed with the first) */
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(st->db, "sl_facts_json", 2,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC, c, facts_json_fn,
                                        NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(st->db, "sl_quotes_json", 3, SQLITE_UTF8, NULL, NULL,
                                        quotes_json_step, quotes_json_final, NULL);
    return rc == SQLITE_OK ? SL_OK : sli_store_fail(st, rc, "opening it");
}

/* The statements, in the order of slots() below. */
static const char *const statements[] = {
    "INSERT OR REPLACE INTO article_facts(rid, json, quotes, entities) VALUES(?1,?2,?3,?4)",
    "DELETE FROM article_quotes WHERE rid=?1",
    "INSERT INTO article_quotes(rid, n, text, speaker, kind) VALUES(?1,?2,?3,?4,?5)",
    /* an event's quotes as its articles print them: earliest article first */
    "SELECT sl_quote_text(q.text), q.speaker, q.kind, a.id, substr(a.date, 1, 10), a.rid, q.n"
    " FROM article_events ae JOIN article_quotes q ON q.rid = ae.rid"
    " JOIN articles a ON a.rid = ae.rid WHERE ae.event=?1"
    " ORDER BY a.date IS NULL, substr(a.date, 1, 10), a.rid, q.n",
    /* an article's entities, read from its facts object (the one place they are kept) */
    "SELECT json_extract(sl_facts_json(json), '$.entities') FROM article_facts WHERE rid=?1",
    "SELECT rid FROM article_events WHERE event=?1 ORDER BY rid",
    "SELECT sl_memo(memo) FROM entity_memos WHERE event=?1",
    "INSERT OR REPLACE INTO entity_memos(event, memo, shown) VALUES(?1,?2,?3)",
    "DELETE FROM entity_memos WHERE event=?1",
    "DELETE FROM variant_articles WHERE quote=?1",
    "DELETE FROM quote_variants WHERE quote=?1",
    "DELETE FROM quotes WHERE id=?1",
    "DELETE FROM event_entities WHERE event=?1",
    "INSERT INTO quotes(id, event, text, speaker, kind) VALUES(?1,?2,?3,?4,?5)",
    /* the same, referring to printing (?6, ?7) when that holds the text (version 5): the
     * speaker and kind left NULL where the printing's are the same; a NULL speaker can
     * only refer to a printing without one. No row when the printing does not fit. */
    "INSERT INTO quotes(id, event, text, speaker, kind, rid, n)"
    " SELECT ?1, ?2, NULL, CASE WHEN aq.speaker IS ?4 THEN NULL ELSE ?4 END,"
    "  CASE WHEN aq.kind IS ?5 THEN NULL ELSE ?5 END, ?6, ?7"
    " FROM article_quotes aq WHERE aq.rid=?6 AND aq.n=?7 AND sl_quote_text(aq.text)=?3"
    "  AND (?4 IS NOT NULL OR aq.speaker IS NULL)",
    /* an article's printings as stored, to be compared with the ones to be saved */
    "SELECT sl_quote_text(text), speaker, kind FROM article_quotes WHERE rid=?1 ORDER BY n",
    /* the quotes that refer to an article's printings, before those change: their text,
     * speaker and kind written out */
    "UPDATE quotes SET text = sl_quote_text(aq.text),"
    " speaker = coalesce(quotes.speaker, aq.speaker),"
    " kind = coalesce(quotes.kind, aq.kind), rid = NULL, n = NULL FROM article_quotes aq"
    " WHERE quotes.rid=?1 AND quotes.text IS NULL AND aq.rid = quotes.rid"
    " AND aq.n = quotes.n",
    "INSERT INTO quote_variants(quote, n, text) VALUES(?1,?2,?3)",
    "INSERT INTO variant_articles(quote, n, k, rid) VALUES(?1,?2,?3,?4)",
    "INSERT INTO event_entities(event, n, name, type, count) VALUES(?1,?2,?3,?4,?5)",
    "SELECT 1 FROM events WHERE id=?1",
    "UPDATE entity_memos SET shown=?2 WHERE event=?1",
    ("SELECT ae.rid FROM article_events ae LEFT JOIN article_facts f ON f.rid = ae.rid"
     " WHERE ae.event=?1 AND f.rid IS NULL ORDER BY ae.rid"),
    "SELECT text, substr(date, 1, 10), title FROM article_text WHERE rid=?1",
    "SELECT memo FROM quote_memos WHERE event=?1",
    "INSERT OR REPLACE INTO quote_memos(event, memo) VALUES(?1,?2)",
    "DELETE FROM quote_memos WHERE event=?1",
};

#define STATEMENTS (sizeof statements / sizeof *statements)

/* The quotes that refer to an article's printings, found when those change (version 5). */
#define QUOTES_REF_SQL "CREATE INDEX IF NOT EXISTS quotes_ref ON quotes(rid) WHERE rid IS NOT NULL;"

struct store_facts_stmts {
    long long last_quote;  /* the quote saved last, and its text (malloc'd, or NULL) */
    char *quote_text;
    dict_codec codec;      /* packs the facts JSON */
    long long stored;      /* facts rows, until the dictionary is trained */
    int want_dict;         /* the store has no dictionary yet */
    dict_codec memos;      /* packs the entity memos (version 7) */
    long long memos_put;   /* entity memos stored or saved, until their dictionary is trained */
    int want_memo_dict;    /* the store has no memo dictionary yet */
    dict_codec quotes;     /* packs the printings' texts (version 11) */
    long long quotes_put;  /* printings saved, until their dictionary is trained */
    int want_quote_dict;   /* the store has no quote dictionary yet */
    sqlite3_stmt *put, *del_quotes, *put_quote;
    sqlite3_stmt *seen, *ents, *ev_rids, *ememo, *put_ememo, *del_ememo, *clear_va, *clear_v, *clear_q, *clear_e;
    sqlite3_stmt *quote, *quote_ref, *printed, *write_out;
    sqlite3_stmt *variant, *variant_article, *entity, *exists, *missing, *text;
    sqlite3_stmt *memo, *put_memo, *del_memo, *shown;
};

static void slots(struct store_facts_stmts *q, sqlite3_stmt **slot[STATEMENTS])
{
    sqlite3_stmt **all[] = {&q->put,     &q->del_quotes, &q->put_quote,
                            &q->seen,    &q->ents,       &q->ev_rids,      &q->ememo,
                            &q->put_ememo, &q->del_ememo,
                            &q->clear_va, &q->clear_v,   &q->clear_q,      &q->clear_e,
                            &q->quote,   &q->quote_ref,  &q->printed,      &q->write_out,
                            &q->variant,    &q->variant_article, &q->entity,
                            &q->exists, &q->shown, &q->missing, &q->text, &q->memo, &q->put_memo,
                            &q->del_memo};
    _Static_assert(sizeof all / sizeof *all == STATEMENTS, "one slot a statement");
    memcpy(slot, all, sizeof all);
}

/* The store's dictionary in `table` loaded into c, if it has one; else *stored is what
 * `count` says (the values stored) and *want set. */
static sl_error load_dict(store_facts *sf, dict_codec *c, const char *table, const char *count,
                          long long *stored, int *want)
{
    int found = 0;
    sl_error err = sli_codec_load(sf->st, c, table, &found);
    if (err || found)
        return err;
    sqlite3_stmt *s;
    err = sli_store_prepare(sf->st, count, &s);
    if (err)
        return err;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *stored = sqlite3_column_int64(s, 0);
        *want = 1;
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? SL_OK : sli_store_fail(sf->st, rc, "counting what it packs");
}

/* Train the store's facts dictionary from its first FACTS_DICT_SAMPLES facts (by rid).
 * Fewer than that stored (the count is the handle's estimate): tried again once the
 * shortfall is stored. Samples zstd cannot train from leave the store without one: this handle
 * stops trying. */
static sl_error train_dict(store_facts *sf)
{
    unsigned had = 0;
    sl_error err = sli_codec_train(
        sf->st, &sf->q->codec,
        "SELECT sl_facts_json(json) FROM article_facts ORDER BY rid LIMIT ?1",
        FACTS_DICT_SAMPLES, FACTS_DICT_BYTES,
        "INSERT OR IGNORE INTO facts_dict(id, dict) VALUES(?1, ?2)", "the facts", &had);
    if (had >= FACTS_DICT_SAMPLES)
        sf->q->want_dict = 0;
    else
        sf->q->stored = had;
    return err;
}

/* The same for the entity memos: from the first MEMO_DICT_SAMPLES memos by event (a
 * damaged one, NULL, is not one of them). */
static sl_error train_memo_dict(store_facts *sf)
{
    unsigned had = 0;
    sl_error err = sli_codec_train(
        sf->st, &sf->q->memos,
        "SELECT sl_memo(memo) FROM entity_memos WHERE sl_memo(memo) IS NOT NULL"
        " ORDER BY event LIMIT ?1",
        MEMO_DICT_SAMPLES, MEMO_DICT_BYTES,
        "INSERT OR IGNORE INTO memo_dict(id, dict) VALUES(?1, ?2)", "the entity memos",
        &had);
    if (had >= MEMO_DICT_SAMPLES)
        sf->q->want_memo_dict = 0;
    else
        sf->q->memos_put = had;
    return err;
}

/* The same for the printings' texts: from the first QUOTE_DICT_SAMPLES by rid and n. */
static sl_error train_quote_dict(store_facts *sf)
{
    unsigned had = 0;
    sl_error err = sli_codec_train(
        sf->st, &sf->q->quotes,
        "SELECT sl_quote_text(text) FROM article_quotes ORDER BY rid, n LIMIT ?1",
        QUOTE_DICT_SAMPLES, QUOTE_DICT_BYTES,
        "INSERT OR IGNORE INTO quote_dict(id, dict) VALUES(?1, ?2)", "the quotes", &had);
    if (had >= QUOTE_DICT_SAMPLES)
        sf->q->want_quote_dict = 0;
    else
        sf->q->quotes_put = had;
    return err;
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
    sli_codec_init(&sf->q->codec, FACTS_DICT_SQL, 0);
    sli_codec_init(&sf->q->memos, MEMO_DICT_SQL, 1);
    sli_codec_init(&sf->q->quotes, QUOTE_DICT_SQL, 0);
    sl_error err = sli_store_touched_log(st);
    sqlite3_stmt **slot[STATEMENTS];
    slots(sf->q, slot);
    /* The facts stage's own tables, made by the first writer that needs them (a store
     * made before them reads as it did): the facts' dictionary, and per event the memo of
     * its quotes' grouping (docs/facts-variants.md, "Resuming"), which the next batch
     * resumes from; a memo is a pure function of the quotes it was made from, so one
     * that does not fit them is ignored, never wrong. */
    if (!err)
        err = sli_store_exec(st, "CREATE TABLE IF NOT EXISTS facts_dict("
                                 "id INTEGER PRIMARY KEY, dict BLOB NOT NULL);"
                                 "CREATE TABLE IF NOT EXISTS memo_dict("
                                 "id INTEGER PRIMARY KEY, dict BLOB NOT NULL);"
                                 "CREATE TABLE IF NOT EXISTS quote_dict("
                                 "id INTEGER PRIMARY KEY, dict BLOB NOT NULL);"
                                 "CREATE TABLE IF NOT EXISTS quote_memos("
                                 "event INTEGER PRIMARY KEY, memo BLOB NOT NULL);"
                                 /* (and of its entities' merge, entity_memos: made with
                                  * the schema since version 5, as readers read it) */
                                 QUOTES_REF_SQL);
    if (!err)
        err = sli_store_prepare_all(st, statements, slot, STATEMENTS);
    if (!err)
        err = load_dict(sf, &sf->q->codec, "facts_dict", "SELECT count(*) FROM article_facts",
                        &sf->q->stored, &sf->q->want_dict);
    if (!err)
        err = load_dict(sf, &sf->q->memos, "memo_dict", "SELECT count(*) FROM entity_memos",
                        &sf->q->memos_put, &sf->q->want_memo_dict);
    if (!err)
        err = load_dict(sf, &sf->q->quotes, "quote_dict", "SELECT count(*) FROM article_quotes",
                        &sf->q->quotes_put, &sf->q->want_quote_dict);
    if (err)
        sli_store_facts_close(sf);
    return err;
}

void sli_store_facts_close(store_facts *sf)
{
    if (sf->q) {
        free(sf->q->quote_text);
        sli_codec_clear(&sf->q->codec);
        sli_codec_clear(&sf->q->memos);
        sli_codec_clear(&sf->q->quotes);
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

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether article rid's printings as stored are q[0..nq) (*same), text, speaker and kind. */
static sl_error same_printings(store_facts *sf, long long rid, const store_fact_quote *q,
                               size_t nq, int *same)
{
    sqlite3_stmt *s = sf->q->printed;
    sqlite3_bind_int64(s, 1, rid);
    size_t i = 0;
    int rc, fits = 1, oom = 0;
    while (fits && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *text = col(s, 0, &oom), *speaker = col(s, 1, &oom), *kind = col(s, 2, &oom);
        fits = !oom && i < nq && same_text(text, q[i].text) && same_text(speaker, q[i].speaker) &&
               same_text(kind, q[i].kind);
        i++;
    }
    sqlite3_reset(s);
    if (oom)
        return SL_ERR_NOMEM;
    if (fits && rc != SQLITE_DONE)
        return sli_store_fail(sf->st, rc, "reading an article's quotes");
    *same = fits && i == nq;
    return SL_OK;
}

sl_error sli_store_facts_put(store_facts *sf, long long rid, const char *json,
                             const store_fact_quote *q, size_t nq, size_t ne)
{
    struct store_facts_stmts *fq = sf->q;
    sl_error err = SL_OK;
    if (fq->want_dict && fq->stored >= FACTS_DICT_SAMPLES)
        err = train_dict(sf);
    size_t len = json ? strlen(json) : 0;
    if (err) /* the dictionary not trained, or not saved (a full disk): the batch fails */
        return err;
    const void *packed = NULL;
    size_t packed_len = 0;
    if (json)
        err = sli_codec_pack(&fq->codec, json, len, &packed, &packed_len);
    if (err)
        return err;
    fq->stored++;
    sqlite3_stmt *s = fq->put;
    sqlite3_bind_int64(s, 1, rid);
    if (packed)
        sqlite3_bind_blob(s, 2, packed, (int)packed_len, SQLITE_STATIC);
    else
        sli_store_bind_text(s, 2, json);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)nq);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)ne);
    err = run(sf, s, "saving an article's facts");
    int same = 0;
    if (!err)
        err = same_printings(sf, rid, q, nq, &same);
    if (err || same) /* the rows, and the quotes that refer to them, stay as they are */
        return err;
    /* The quotes that refer to these printings hold what they said from now on. */
    sqlite3_bind_int64(sf->q->write_out, 1, rid);
    err = run(sf, sf->q->write_out, "saving an article's quotes");
    if (!err) {
        sqlite3_bind_int64(sf->q->del_quotes, 1, rid);
        err = run(sf, sf->q->del_quotes, "saving an article's quotes");
    }
    for (size_t i = 0; !err && i < nq; i++) {
        if (fq->want_quote_dict && fq->quotes_put >= QUOTE_DICT_SAMPLES)
            err = train_quote_dict(sf);
        if (!err && q[i].text)
            err = sli_codec_pack(&fq->quotes, q[i].text, strlen(q[i].text), &packed,
                                 &packed_len);
        if (err)
            break;
        fq->quotes_put++;
        s = sf->q->put_quote;
        sqlite3_bind_int64(s, 1, rid);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
        if (q[i].text && packed)
            sqlite3_bind_blob(s, 3, packed, (int)packed_len, SQLITE_STATIC);
        else
            sli_store_bind_text(s, 3, q[i].text);
        sli_store_bind_text(s, 4, q[i].speaker);
        sli_store_bind_text(s, 5, q[i].kind);
        err = run(sf, s, "saving an article's quotes");
    }
    return err;
}

sl_error sli_store_facts_defer(store_facts *sf)
{
    return sli_store_exec(sf->st, "INSERT OR IGNORE INTO main.events_pending"
                                  " SELECT event FROM temp.facts_touched;"
                                  "DELETE FROM temp.facts_touched;");
}

sl_error sli_store_facts_touched(store_facts *sf, long long **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(sf->st, "SELECT event FROM temp.facts_touched"
                                     " UNION SELECT id FROM main.events_pending ORDER BY 1",
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
        err = sli_store_exec(sf->st, "DELETE FROM temp.facts_touched;"
                                     "DELETE FROM main.events_pending;");
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

sl_error sli_store_facts_complete(store_facts *sf, int *complete)
{
    /* A store made before the facts stage lacks the facts of the articles it held then
     * (each extracted when its event is next touched, or by `storyline clean`); looking
     * for them read every article of every touched event (a b-tree search each: 11,500
     * page reads for +1,000 into a million articles). So once the store has as many
     * facts as articles, counter facts_complete keeps its last article's rid: every
     * article added after has its facts saved in its own batch. The counter holds while
     * that article has its facts; facts tables made anew (as a store from before them
     * gets at its next writable open) delete it (store.c, setup_schema). One statement:
     * 0 when the counter holds, the last rid when the counts say complete now (0 for an
     * empty store), NULL when not (CASE evaluates the counts only when needed). */
    *complete = 0;
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(
        sf->st,
        "SELECT CASE WHEN EXISTS(SELECT 1 FROM counters c JOIN article_facts f"
        "  ON f.rid = c.value WHERE c.name = 'facts_complete') THEN 0"
        " WHEN (SELECT count(*) FROM articles) = (SELECT count(*) FROM article_facts)"
        " THEN coalesce((SELECT max(rid) FROM articles), 0) END",
        &s);
    if (err)
        return err;
    int rc = sqlite3_step(s);
    *complete = rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL;
    long long last = *complete ? sqlite3_column_int64(s, 0) : 0;
    if (rc != SQLITE_ROW)
        err = sli_store_fail(sf->st, rc, "counting the articles' facts");
    sqlite3_finalize(s);
    if (!err && last > 0)
        err = sli_store_event_set_counter(sf->st, "facts_complete", last);
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
            .n = sqlite3_column_int(s, 6),
        };
        err = oom || !q.text || !q.kind || !q.article ? SL_ERR_NOMEM : fn(user, &q);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(sf->st, rc, "reading an event's quotes");
    sqlite3_reset(s);
    return err;
}

sl_error sli_store_facts_article_entities(store_facts *sf, long long rid,
                                          sl_error (*fn)(void *user, const char *json,
                                                         size_t len),
                                          void *user)
{
    sqlite3_stmt *s = sf->q->ents;
    sqlite3_bind_int64(s, 1, rid);
    sl_error err = SL_OK;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
        int oom = 0;
        const char *t = col(s, 0, &oom);
        err = oom || !t ? SL_ERR_NOMEM : fn(user, t, (size_t)sqlite3_column_bytes(s, 0));
        if (err == SL_ERR_STORE) /* the array does not read as entities */
            err = sli_store_fail(sf->st, SQLITE_CORRUPT, "reading an article's entities");
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        err = sli_store_fail(sf->st, rc, "reading an article's entities");
    }
    sqlite3_reset(s);
    return err;
}

sl_error sli_store_facts_event_rids(store_facts *sf, long long event, long long **rids,
                                    size_t *n, size_t *cap)
{
    *n = 0;
    sqlite3_stmt *s = sf->q->ev_rids;
    sqlite3_bind_int64(s, 1, event);
    sl_error err = SL_OK;
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        long long *r = sli_grow_array(*rids, cap, *n + 1, sizeof *r, 64);
        if (!r)
            err = SL_ERR_NOMEM;
        else {
            *rids = r;
            r[(*n)++] = sqlite3_column_int64(s, 0);
        }
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(sf->st, rc, "reading an event's articles");
    sqlite3_reset(s);
    return err;
}

/* --- the touched events' quotes as stored (on any handle) --- */

struct store_old_quotes {
    sl_store *st;
    sqlite3_stmt *variants, *articles;
};

sl_error sli_store_old_quotes_open(sl_store *st, store_old_quotes **out)
{
    *out = NULL;
    store_old_quotes *q = calloc(1, sizeof *q);
    if (!q)
        return SL_ERR_NOMEM;
    q->st = st;
    sl_error err = sli_store_prepare(
        st,
        /* the variant's text as stored: '' where it is the quote's own (STORE_VARIANT_TEXT),
         * put in place below rather than unpacked twice a row */
        "SELECT v.quote, v.n, v.text, " STORE_QUOTE_TEXT ", " STORE_QUOTE_SPEAKER
        ", " STORE_QUOTE_KIND " FROM " STORE_QUOTES_FROM " JOIN quote_variants v ON v.quote = q.id"
        " WHERE q.event=?1 ORDER BY v.quote, v.n",
        &q->variants);
    if (!err)
        err = sli_store_prepare(st,
                                "SELECT va.quote, va.n, va.rid FROM quotes q JOIN variant_articles va"
                                " ON va.quote = q.id WHERE q.event=?1 ORDER BY va.quote, va.n, va.k",
                                &q->articles);
    if (err) {
        sli_store_old_quotes_free(q);
        return err;
    }
    *out = q;
    return SL_OK;
}

void sli_store_old_quotes_free(store_old_quotes *q)
{
    if (!q)
        return;
    sqlite3_finalize(q->variants);
    sqlite3_finalize(q->articles);
    free(q);
}

sl_error sli_store_old_quotes_variants(store_old_quotes *q, long long event,
                                       sl_error (*fn)(void *user, const store_old_variant *v),
                                       void *user)
{
    sqlite3_stmt *s = q->variants;
    sqlite3_bind_int64(s, 1, event);
    sl_error err = SL_OK;
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int oom = 0;
        store_old_variant v = {sqlite3_column_int64(s, 0), sqlite3_column_int(s, 1),
                               col(s, 2, &oom), col(s, 3, &oom), col(s, 4, &oom),
                               col(s, 5, &oom)};
        if (v.text && !*v.text)
            v.text = v.quote_text;
        err = oom || !v.text || !v.quote_text || !v.kind ? SL_ERR_NOMEM : fn(user, &v);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(q->st, rc, "reading an event's quotes");
    sqlite3_reset(s);
    return err;
}

sl_error sli_store_old_quotes_articles(store_old_quotes *q, long long event,
                                       sl_error (*fn)(void *user, long long quote, int n,
                                                      long long rid),
                                       void *user)
{
    sqlite3_stmt *s = q->articles;
    sqlite3_bind_int64(s, 1, event);
    sl_error err = SL_OK;
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW)
        err = fn(user, sqlite3_column_int64(s, 0), sqlite3_column_int(s, 1),
                 sqlite3_column_int64(s, 2));
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(q->st, rc, "reading an event's quotes");
    sqlite3_reset(s);
    return err;
}

sl_error sli_store_facts_drop_quote(store_facts *sf, long long id)
{
    sqlite3_stmt *const order[] = {sf->q->clear_va, sf->q->clear_v, sf->q->clear_q};
    sl_error err = SL_OK;
    for (size_t i = 0; !err && i < sizeof order / sizeof *order; i++) {
        sqlite3_bind_int64(order[i], 1, id);
        err = run(sf, order[i], "clearing an event's facts");
    }
    return err;
}

static sl_error get_memo(store_facts *sf, sqlite3_stmt *s, long long event, void **memo,
                         size_t *len, const char *what)
{
    *memo = NULL;
    *len = 0;
    sqlite3_bind_int64(s, 1, event);
    int rc = sqlite3_step(s);
    sl_error err = SL_OK;
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_BLOB) {
        const void *p = sqlite3_column_blob(s, 0);
        int n = sqlite3_column_bytes(s, 0);
        /* an empty memo is no memo (SQLite gives NULL for it): the work starts afresh */
        *memo = n > 0 && p ? malloc((size_t)n) : NULL;
        if (n > 0 && !*memo)
            err = SL_ERR_NOMEM;
        else if (n > 0) {
            memcpy(*memo, p, (size_t)n);
            *len = (size_t)n;
        }
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        err = sli_store_fail(sf->st, rc, what);
    }
    sqlite3_reset(s);
    return err;
}

static sl_error put_memo(store_facts *sf, sqlite3_stmt *put, sqlite3_stmt *del,
                         long long event, const void *memo, size_t len, const char *what)
{
    if (len > 0x7fffffff)
        len = 0; /* longer than SQLite keeps: none, the next batch starts afresh */
    sqlite3_stmt *s = len ? put : del;
    sqlite3_bind_int64(s, 1, event);
    if (len)
        sqlite3_bind_blob(s, 2, memo, (int)len, SQLITE_STATIC);
    return run(sf, s, what);
}

sl_error sli_store_facts_get_memo(store_facts *sf, long long event, void **memo, size_t *len)
{
    return get_memo(sf, sf->q->memo, event, memo, len, "reading an event's quotes");
}

sl_error sli_store_facts_put_memo(store_facts *sf, long long event, const void *memo,
                                  size_t len)
{
    return put_memo(sf, sf->q->put_memo, sf->q->del_memo, event, memo, len,
                    "saving an event's quotes");
}

sl_error sli_store_facts_get_entity_memo(store_facts *sf, long long event, void **memo,
                                         size_t *len)
{
    return get_memo(sf, sf->q->ememo, event, memo, len, "reading an event's entities");
}

sl_error sli_store_facts_put_entity_memo(store_facts *sf, long long event, const void *memo,
                                         size_t len, size_t shown, int *kept)
{
    if (len > 0x7fffffff)
        len = 0; /* longer than SQLite keeps: none, the next batch starts afresh */
    if (kept)
        *kept = len > 0;
    struct store_facts_stmts *fq = sf->q;
    sl_error err = SL_OK;
    if (fq->want_memo_dict && fq->memos_put >= MEMO_DICT_SAMPLES)
        err = train_memo_dict(sf);
    /* packed once the store has its dictionary (the memos before it, the first thousand,
     * are kept as they are: without a dictionary a memo packs to 0.58 of itself, with
     * one to 0.41) */
    const void *packed = NULL;
    size_t packed_len = 0;
    if (!err && len && fq->memos.dicted)
        err = sli_codec_pack(&fq->memos, memo, len, &packed, &packed_len);
    if (err)
        return err;
    fq->memos_put += len > 0;
    sqlite3_bind_int64(fq->put_ememo, 3, (sqlite3_int64)shown);
    return put_memo(sf, fq->put_ememo, fq->del_ememo, event, packed ? packed : memo,
                    packed ? packed_len : len, "saving an event's entities");
}

sl_error sli_store_facts_entity_memo_shown(store_facts *sf, long long event, size_t shown)
{
    sqlite3_bind_int64(sf->q->shown, 1, event);
    sqlite3_bind_int64(sf->q->shown, 2, (sqlite3_int64)shown);
    return run(sf, sf->q->shown, "saving an event's entities");
}

sl_error sli_store_facts_clear_entities(store_facts *sf, long long event)
{
    sqlite3_bind_int64(sf->q->clear_e, 1, event);
    return run(sf, sf->q->clear_e, "clearing an event's facts");
}

sl_error sli_store_facts_put_quote(store_facts *sf, long long id, long long event,
                                   const char *text, const char *speaker, const char *kind,
                                   long long rid, int n)
{
    free(sf->q->quote_text);
    sf->q->last_quote = id;
    sf->q->quote_text = text ? strdup(text) : NULL;
    if (text && !sf->q->quote_text)
        return SL_ERR_NOMEM;
    /* a reference to the printing when it fits (one row, or none), else the text */
    sl_error err = SL_OK;
    for (int ref = 1; ref >= 0 && !err; ref--) {
        sqlite3_stmt *s = ref ? sf->q->quote_ref : sf->q->quote;
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int64(s, 2, event);
        sli_store_bind_text(s, 3, text);
        sli_store_bind_text(s, 4, speaker);
        sli_store_bind_text(s, 5, kind);
        if (ref) {
            sqlite3_bind_int64(s, 6, rid);
            sqlite3_bind_int(s, 7, n);
        }
        err = run(sf, s, "saving a quote");
        if (!err && ref && sqlite3_changes(sf->st->db) > 0)
            break;
    }
    return err;
}

sl_error sli_store_facts_put_variant(store_facts *sf, long long quote, int n, const char *text,
                                     const long long *rids, size_t nrids)
{
    sqlite3_stmt *s = sf->q->variant;
    sqlite3_bind_int64(s, 1, quote);
    sqlite3_bind_int(s, 2, n);
    /* the quote's own wording: '' (STORE_VARIANT_TEXT) */
    int own = quote == sf->q->last_quote && text && sf->q->quote_text &&
              strcmp(text, sf->q->quote_text) == 0;
    sli_store_bind_text(s, 3, own ? "" : text);
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
                                    " SELECT event FROM event_entities UNION"
                                    " SELECT event FROM entity_memos");
}

/* --- an event's entities read from its memo (version 5) ---
 *
 * The facts stage keeps an event's merged entities in its memo (entity_memos.memo, as
 * facts_stage.c writes it: "EE1", the count and the hash of the rids merged, 8 bytes each;
 * then the merge's state as sli_entity_merge_save writes it: "EM2", the count of entities,
 * and each one's type (sli_entity_type: 0 person, 1 org, 2 place), count, name and the
 * name it came with (varints, a name its length first), then the renames). The rows of
 * event_entities held its most mentioned STORE_EVENT_ENTITIES again; since version 5 they
 * are read from the memo here, ranked as the stage ranked them (most mentioned first,
 * equals in the merge's order), and the rows are written only for an event whose memo
 * could not be kept (docs/store-size.md, "Fourth round"). Only the entities are read. */
static const char *const entity_types[] = {"person", "org", "place"};

typedef struct memo_entity {
    size_t name; /* in names */
    int type;
    long long count;
} memo_entity;

typedef struct memo_rank {
    long long count;
    size_t at; /* in e */
} memo_rank;

typedef struct memo_list {
    memo_entity *e;
    size_t n;
    memo_rank *rank; /* e's, most mentioned first */
    size_t shown;    /* rank[0..shown): the ones the event shows */
    buf names;       /* NUL-terminated */
} memo_list;

static void memo_list_init(memo_list *l)
{
    memset(l, 0, sizeof *l);
    sli_buf_init(&l->names, BUF_UNLIMITED);
}

static void memo_list_free(memo_list *l)
{
    free(l->e);
    free(l->rank);
    sli_buf_free(&l->names);
}

/* A name's length, then its bytes: *name, *len (0 only when `optional`). */
static int memo_name(const unsigned char **p, const unsigned char *end, int optional,
                     const unsigned char **name, size_t *len)
{
    uint64_t n;
    if (!sli_varint_get(p, end, &n) || n > (uint64_t)(end - *p) || (!n && !optional) ||
        memchr(*p, '\0', (size_t)n))
        return 0;
    *name = *p;
    *len = (size_t)n;
    *p += n;
    return 1;
}

/* Most mentioned first; equals in the merge's order (facts_stage.c's by_count). */
static int memo_by_count(const void *a, const void *b)
{
    const memo_rank *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* The entities memo[0..len) holds, ranked, into l (empty: a memo that does not read as
 * one, which shows none; the next batch that touches its event merges it afresh). */
static sl_error memo_entities(const unsigned char *p, size_t len, memo_list *l)
{
    const unsigned char *end = p + len;
    uint64_t n = 0;
    int good = len >= 22 && !memcmp(p, "EE1", 3) && !memcmp(p + 19, "EM2", 3);
    if (good) {
        p += 22;
        good = sli_varint_get(&p, end, &n) && n <= (uint64_t)(end - p) / 4;
    }
    if (good && n) {
        l->e = malloc((size_t)n * sizeof *l->e);
        l->rank = malloc((size_t)n * sizeof *l->rank);
        if (!l->e || !l->rank)
            return SL_ERR_NOMEM;
    }
    for (uint64_t i = 0; good && i < n; i++) {
        uint64_t type, count;
        const unsigned char *name, *first;
        size_t nl, fl;
        good = sli_varint_get(&p, end, &type) && type <= 2 && sli_varint_get(&p, end, &count) &&
               count <= INT_MAX && memo_name(&p, end, 0, &name, &nl) &&
               memo_name(&p, end, 1, &first, &fl);
        if (!good)
            break;
        l->e[l->n++] = (memo_entity){l->names.len, (int)type, (long long)count};
        sl_error err = sli_buf_append(&l->names, (const char *)name, nl);
        if (!err)
            err = sli_buf_putc(&l->names, '\0');
        if (err)
            return err;
    }
    good = good && p < end; /* the renames follow */
    if (!good) {
        l->n = 0;
        return SL_OK;
    }
    for (size_t i = 0; i < l->n; i++)
        l->rank[i] = (memo_rank){l->e[i].count, i};
    if (l->n > 1)
        qsort(l->rank, l->n, sizeof *l->rank, memo_by_count);
    l->shown = l->n < STORE_EVENT_ENTITIES ? l->n : STORE_EVENT_ENTITIES;
    return SL_OK;
}

/* Version 3 to 4: an article's entities are kept in its facts object only (they were
 * also rows of article_entities, read by nothing but the facts stage). */
sl_error sli_store_facts_migrate_v3(sl_store *st)
{
    return sli_store_exec(st, "DROP TABLE IF EXISTS article_entities");
}

/* Version 4 to 5: the quotes table made again, each quote referring to a printing of its
 * text among the articles of its variants (the first by rid, then n) where one has it,
 * with a speaker that fits (a quote without one refers only to a printing without one);
 * its speaker and kind NULL where that printing's are the same. A quote no printing holds
 * keeps its text. The rows read as before (STORE_QUOTE_TEXT and the rest, store_impl.h). */
static const char quotes_v5_sql[] =
    "CREATE TABLE quotes_v5(id INTEGER PRIMARY KEY, event INTEGER NOT NULL,"
    "  text TEXT, speaker TEXT, kind TEXT, rid INTEGER, n INTEGER);"
    "WITH ref AS (SELECT va.quote AS quote, min(aq.rid * 4294967296 + aq.n) AS at"
    "  FROM quotes q JOIN variant_articles va ON va.quote = q.id"
    "  JOIN article_quotes aq ON aq.rid = va.rid AND aq.text = q.text"
    "   AND (q.speaker IS NOT NULL OR aq.speaker IS NULL)"
    "  GROUP BY va.quote)"
    " INSERT INTO quotes_v5(id, event, text, speaker, kind, rid, n)"
    " SELECT q.id, q.event, CASE WHEN aq.rid IS NULL THEN q.text END,"
    "  CASE WHEN aq.rid IS NULL OR q.speaker IS NOT aq.speaker THEN q.speaker END,"
    "  CASE WHEN aq.rid IS NULL OR q.kind IS NOT aq.kind THEN q.kind END, aq.rid, aq.n"
    " FROM quotes q LEFT JOIN ref r ON r.quote = q.id"
    " LEFT JOIN article_quotes aq ON aq.rid = r.at / 4294967296 AND aq.n = r.at % 4294967296"
    " ORDER BY q.id;"
    "DROP TABLE quotes;"
    "ALTER TABLE quotes_v5 RENAME TO quotes;"
    "CREATE INDEX quotes_event ON quotes(event);" QUOTES_REF_SQL;

/* Version 4 to 5, an event's entities: entity_memos gets `shown`; each memo whose
 * entities, ranked, are the event's rows, one for one, is where they are read from from
 * now on (the rows dropped, `shown` set); a memo that is not (damaged, of a merge that
 * went otherwise) is dropped, and the rows stay: the event reads as before, and its next
 * merge starts afresh. */
static sl_error entities_v5(sl_store *st)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st,
                                     "SELECT (SELECT count(*) FROM sqlite_master WHERE"
                                     " type='table' AND name='entity_memos'),"
                                     " (SELECT count(*) FROM pragma_table_info('entity_memos')"
                                     " WHERE name='shown')",
                                     &s);
    if (err)
        return err;
    int rc = sqlite3_step(s);
    int old = rc == SQLITE_ROW && sqlite3_column_int(s, 0) && !sqlite3_column_int(s, 1);
    sqlite3_finalize(s);
    s = NULL;
    if (rc != SQLITE_ROW)
        return sli_store_fail(st, rc, "migrating it to version 5");
    if (!old) /* none yet (made with the schema after), or made as version 5's */
        return SL_OK;
    err = sli_store_exec(st, "ALTER TABLE entity_memos ADD COLUMN shown INTEGER NOT NULL"
                             " DEFAULT 0");
    /* the events first: rows are changed while they are visited */
    long long *events = NULL;
    size_t n = 0, cap = 0;
    if (!err)
        err = sli_store_prepare(st, "SELECT event FROM entity_memos ORDER BY event", &s);
    rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        long long *e = sli_grow_array(events, &cap, n + 1, sizeof *e, 1024);
        if (!e)
            err = SL_ERR_NOMEM;
        else {
            events = e;
            events[n++] = sqlite3_column_int64(s, 0);
        }
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "migrating it to version 5");
    sqlite3_finalize(s);
    static const char *const sql[] = {
        "SELECT sl_memo(memo) FROM entity_memos WHERE event=?1",
        "SELECT name, type, count FROM event_entities WHERE event=?1 ORDER BY n",
        "DELETE FROM event_entities WHERE event=?1",
        "UPDATE entity_memos SET shown=?2 WHERE event=?1",
        "DELETE FROM entity_memos WHERE event=?1",
    };
    sqlite3_stmt *q[5] = {NULL};
    for (size_t i = 0; !err && i < 5; i++)
        err = sli_store_prepare(st, sql[i], &q[i]);
    memo_list l;
    memo_list_init(&l);
    for (size_t i = 0; !err && i < n; i++) {
        memo_list_free(&l);
        memo_list_init(&l);
        sqlite3_bind_int64(q[0], 1, events[i]);
        rc = sqlite3_step(q[0]);
        if (rc == SQLITE_ROW && sqlite3_column_type(q[0], 0) == SQLITE_BLOB) {
            const void *p = sqlite3_column_blob(q[0], 0);
            int len = sqlite3_column_bytes(q[0], 0);
            err = len <= 0 ? SL_OK : !p ? SL_ERR_NOMEM : memo_entities(p, (size_t)len, &l);
        } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            err = sli_store_fail(st, rc, "migrating it to version 5");
        }
        sqlite3_reset(q[0]);
        /* the same entities as the rows, in their order? */
        int same = !err && rc == SQLITE_ROW;
        size_t k = 0;
        sqlite3_bind_int64(q[1], 1, events[i]);
        while (!err && same && (rc = sqlite3_step(q[1])) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(q[1], 0);
            const char *type = (const char *)sqlite3_column_text(q[1], 1);
            const memo_entity *m = k < l.shown ? &l.e[l.rank[k].at] : NULL;
            same = m && name && type && !strcmp(name, l.names.data + m->name) &&
                   !strcmp(type, entity_types[m->type]) &&
                   sqlite3_column_int64(q[1], 2) == m->count;
            k++;
        }
        if (!err && same && rc != SQLITE_DONE)
            err = sli_store_fail(st, rc, "migrating it to version 5");
        sqlite3_reset(q[1]);
        same = same && k == l.shown;
        for (int j = same ? 2 : 4; !err && j <= (same ? 3 : 4); j++) {
            sqlite3_bind_int64(q[j], 1, events[i]);
            if (j == 3)
                sqlite3_bind_int64(q[j], 2, (sqlite3_int64)l.shown);
            rc = sqlite3_step(q[j]);
            sqlite3_reset(q[j]);
            if (rc != SQLITE_DONE)
                err = sli_store_fail(st, rc, "migrating it to version 5");
        }
    }
    memo_list_free(&l);
    for (size_t i = 0; i < 5; i++)
        sqlite3_finalize(q[i]);
    free(events);
    return err;
}

sl_error sli_store_facts_migrate_v4(sl_store *st)
{
    sl_error err = entities_v5(st);
    if (err)
        return err;
    /* a store made before the facts tables gets them after, as version 5 has them */
    sqlite3_stmt *s;
    err = sli_store_prepare(st,
                                     "SELECT (SELECT count(*) FROM sqlite_master WHERE"
                                     " type='table' AND name='quotes'),"
                                     " (SELECT count(*) FROM pragma_table_info('quotes')"
                                     " WHERE name='rid')",
                                     &s);
    if (err)
        return err;
    int rc = sqlite3_step(s);
    int has = rc == SQLITE_ROW && sqlite3_column_int(s, 0);
    int old = has && !sqlite3_column_int(s, 1);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW)
        return sli_store_fail(st, rc, "migrating it to version 5");
    return !has ? SL_OK : sli_store_exec(st, old ? quotes_v5_sql : QUOTES_REF_SQL);
}

/* --- read back (the public readers: export/ and the CLI through storyline.h) --- */

sl_error sli_store_article_facts(sl_store *st, const char *id,
                                 void (*fn)(void *user, const char *json), void *user)
{
    if (!st->has_facts)
        return SL_OK;
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st,
                                     "SELECT " STORE_FACTS_JSON " FROM articles a"
                                     " JOIN article_facts f"
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
#define EACH_QUOTE_SQL(where)                                                              \
    "SELECT q.id, q.event, " STORE_QUOTE_TEXT ", " STORE_QUOTE_SPEAKER ", " STORE_QUOTE_KIND    \
    ", v.n, " STORE_VARIANT_TEXT ", a.id, a.source, substr(a.date, 1, 10)"                      \
    " FROM " STORE_QUOTES_FROM " JOIN quote_variants v ON v.quote = q.id"                      \
    " JOIN variant_articles va ON va.quote = q.id AND va.n = v.n"                              \
    " JOIN articles a ON a.rid = va.rid" where " ORDER BY q.id, v.n, va.k"
    /* One event's by its index: with "?1 = 0 OR q.event = ?1" SQLite scanned every
     * variant's articles for each event (0.19 s an event at a million articles). */
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, event ? EACH_QUOTE_SQL(" WHERE q.event = ?1")
                                               : EACH_QUOTE_SQL(""), &s);
#undef EACH_QUOTE_SQL
    if (err)
        return err;
    if (event)
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
    int rc = SQLITE_DONE, rows = 0;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int oom = 0;
        store_fact_entity e = {col(s, 0, &oom), col(s, 1, &oom),
                               sqlite3_column_int64(s, 2)};
        rows = 1;
        err = oom ? SL_ERR_NOMEM : fn(user, &e);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "reading an event's entities");
    sli_store_return(st, s);
    /* none as rows: the event's memo holds them (version 5), when it has one */
    if (err || rows || !st->has_memos)
        return err;
    err = sli_store_borrow(st, "SELECT sl_memo(memo) FROM entity_memos WHERE event=?1", &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, event);
    rc = sqlite3_step(s);
    memo_list l;
    memo_list_init(&l);
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_BLOB) {
        const void *p = sqlite3_column_blob(s, 0);
        int n = sqlite3_column_bytes(s, 0);
        /* an empty memo (SQLite gives NULL for it) is none */
        err = n <= 0 ? SL_OK : !p ? SL_ERR_NOMEM : memo_entities(p, (size_t)n, &l);
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        err = sli_store_fail(st, rc, "reading an event's entities");
    }
    sli_store_return(st, s);
    for (size_t i = 0; !err && i < l.shown; i++) {
        const memo_entity *m = &l.e[l.rank[i].at];
        store_fact_entity e = {l.names.data + m->name, entity_types[m->type], m->count};
        err = fn(user, &e);
    }
    memo_list_free(&l);
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
