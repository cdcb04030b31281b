/* test_facts_store.c — the facts stage's plumbing, apart from what the extractors find:
 * facts planted in the store, events' quotes grouped and saved, ids kept across runs,
 * events touched noted by the store, dropped events' quotes gone, rollback, and the
 * readers (sl_store_each_quote, sl_store_event_entities, sl_store_article_facts, the
 * article and event JSON). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/json_writer.h"
#include "pipeline/pipeline.h"
#include "store/store.h"
#include "store/store_impl.h"
#include "scratch.h"

typedef struct fixture {
    char dir[64], db[128];
    sl_store *st;
} fixture;

/* Four articles, then events set by hand: E1 = a1, a2, a3 (a3 the latest); E2 = b1. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || scratch_store("facts", f->dir, f->db, &f->st))
        return -1;
    sl_batch *b;
    if (sl_batch_begin(f->st, NULL, &b))
        return -1;
    static const sl_article_input in[] = {
        {"a1", "wire.example", NULL, "2024-03-15", "One", "First article text here.", 0},
        {"a2", "daily.example", NULL, "2024-03-15", "Two", "Second article, other words.", 0},
        {"a3", "herald.example", NULL, "2024-03-16", "Three", "Third article about it.", 0},
        {"b1", "other.example", NULL, "2024-03-10", "Four", "Something else entirely.", 0},
    };
    for (size_t i = 0; i < sizeof in / sizeof *in; i++)
        if (sl_batch_add_article(b, &in[i]))
            return -1;
    if (sl_batch_commit(b, NULL))
        return -1;
    sl_batch_free(b);
    if (sli_store_exec(f->st,
                       "DELETE FROM article_events; DELETE FROM events;"
                       " DELETE FROM quotes; DELETE FROM quote_variants;"
                       " DELETE FROM variant_articles; DELETE FROM event_entities;"
                       " INSERT INTO events VALUES(1, 1, 3, 0, NULL, NULL, 0, x'');"
                       " INSERT INTO events VALUES(2, 2, 1, 0, NULL, NULL, 0, x'');"
                       " INSERT INTO article_events SELECT rid, 1 FROM articles"
                       "  WHERE id IN ('a1', 'a2', 'a3');"
                       " INSERT INTO article_events SELECT rid, 2 FROM articles WHERE id='b1';"
                       " DELETE FROM temp.facts_touched;"))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sl_store_free(f->st);
    remove_tree(f->dir);
    free(f);
    return 0;
}

static long long rid_of(sl_store *st, const char *id)
{
    sqlite3_stmt *s;
    assert_int_equal(sli_store_prepare(st, "SELECT rid FROM articles WHERE id=?1", &s), SL_OK);
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long rid = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return rid;
}

typedef struct planted {
    const char *article;
    store_fact_quote q[3];
    size_t nq;
    store_fact_entity e[3];
    size_t ne;
} planted;

/* In one transaction: plant the facts, note `touch` (SQL) as touched, run the stage. */
static void run_stage(sl_store *st, const planted *p, size_t n, const char *touch)
{
    assert_int_equal(sli_store_begin(st), SL_OK);
    facts_run *r;
    assert_int_equal(sli_facts_run_create(st, &r), SL_OK);
    store_facts sf;
    assert_int_equal(sli_store_facts_open(st, &sf), SL_OK);
    for (size_t i = 0; i < n; i++) {
        /* the entities live in the facts object */
        char json[1024];
        int len = snprintf(json, sizeof json, "{\"entities\":[");
        for (size_t k = 0; k < p[i].ne; k++)
            len += snprintf(json + len, sizeof json - (size_t)len,
                            "%s{\"name\":\"%s\",\"type\":\"%s\",\"count\":%lld}",
                            k ? "," : "", p[i].e[k].name, p[i].e[k].type, p[i].e[k].count);
        snprintf(json + len, sizeof json - (size_t)len, "]}");
        assert_int_equal(sli_store_facts_put(&sf, rid_of(st, p[i].article), json, p[i].q,
                                             p[i].nq, p[i].ne),
                         SL_OK);
    }
    sli_store_facts_close(&sf);
    if (touch && sli_store_exec(st, touch))
        fail_msg("%s", sl_store_errmsg(st));
    sl_error err = sli_facts_run_events(r, NULL, NULL);
    if (err)
        fprintf(stderr, "%s\n", sl_store_errmsg(st));
    assert_int_equal(err, SL_OK);
    sli_facts_run_free(r);
    assert_int_equal(sli_store_commit(st), SL_OK);
}

/* A count from one SQL row. */
static long long sql_int(sl_store *st, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sli_store_prepare(st, sql, &s), SL_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

/* The quotes as one line each: "Q1 E1 speaker kind | text | v1: a1 a2 | v2: a3". */
typedef struct lines {
    char s[8][512];
    size_t n;
} lines;

static int take_quote(void *user, const sl_quote *q)
{
    lines *l = user;
    assert_true(l->n < 8);
    char *o = l->s[l->n++];
    int k = snprintf(o, 512, "%s %s %s %s | %s", q->id, q->event,
                     q->speaker ? q->speaker : "-", q->kind, q->text);
    for (size_t v = 0; v < q->n_variants; v++) {
        k += snprintf(o + k, 512 - (size_t)k, " | %s:", q->variants[v].text);
        for (size_t i = 0; i < q->variants[v].n; i++)
            k += snprintf(o + k, 512 - (size_t)k, " %s/%s", q->variants[v].articles[i],
                          q->variants[v].sources[i]);
    }
    return 0;
}

static void expect_quotes(sl_store *st, const char *event, const char *const *want, size_t n)
{
    lines l = {0};
    assert_int_equal(sl_store_each_quote(st, event, take_quote, &l), SL_OK);
    for (size_t i = 0; i < l.n && i < n; i++)
        assert_string_equal(l.s[i], want[i]);
    assert_int_equal(l.n, n);
}

#define SAID(t, s) {t, s, "speech"}

static const planted round1[] = {
    /* a2 is listed first but a1 has the lower rid: a1's wording is printed first */
    {"a2", {SAID("Stay home.", "Ann Lee"), SAID("We are ready.", NULL)}, 2,
     {{"Ann Lee", "person", 2}, {"Harbour Board", "org", 1}}, 2},
    {"a1", {SAID("Stay home.", "Ann Lee"), {"hostile forces", NULL, "phrase"}}, 2,
     {{"Ann Lee", "person", 1}, {"Elling", "place", 4}}, 2},
    {"b1", {SAID("Something else.", "Bo Ek")}, 1, {{"Bo Ek", "person", 1}}, 1},
};

static void test_group_and_read(void **state)
{
    fixture *f = *state;
    run_stage(f->st, round1, 3, "INSERT OR IGNORE INTO temp.facts_touched VALUES(1), (2)");
    static const char *const want[] = {
        "Q1 E1 Ann Lee speech | Stay home. | Stay home.: a1/wire.example a2/daily.example",
        "Q2 E1 - phrase | hostile forces | hostile forces: a1/wire.example",
        "Q3 E1 - speech | We are ready. | We are ready.: a2/daily.example",
        "Q4 E2 Bo Ek speech | Something else. | Something else.: b1/other.example",
    };
    expect_quotes(f->st, NULL, want, 4);
    expect_quotes(f->st, "E2", want + 3, 1);
    expect_quotes(f->st, "2", want + 3, 1);
    /* a wording that is its quote's text is kept as '' (each here), and read as it; the
     * wordings of stores made before read the same */
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM quote_variants WHERE text = ''"), 4);
    assert_int_equal(sli_store_exec(f->st, "UPDATE quote_variants SET text = (SELECT "
                                           STORE_QUOTE_TEXT " FROM " STORE_QUOTES_FROM
                                           " WHERE q.id = quote)"),
                     SL_OK);
    expect_quotes(f->st, NULL, want, 4);
    lines none = {0};
    assert_int_equal(sl_store_each_quote(f->st, "E9", take_quote, &none), SL_ERR_NOT_FOUND);
    assert_int_equal(sl_store_each_quote(f->st, "Q1", take_quote, &none), SL_ERR_NOT_FOUND);
}

/* Version 5: a quote refers to the printing its text is (article_quotes' rid, n), with
 * no text, and the speaker and kind that printing lacks; when that printing changes (its
 * article's facts saved again, other quotes) the quote writes them out first, and reads
 * the same; made again, it refers to a printing again. An article saved again with the
 * same printings leaves its rows and the quotes that refer to them as they are. */
static void test_quotes_refer(void **state)
{
    fixture *f = *state;
    static const char said[] = "We will rebuild the harbour wall before the winter storms come.";
    static const planted round[] = {
        {"a1", {{said, NULL, "phrase"}}, 1, {{0}}, 0},
        {"a2", {SAID(said, "Ann Lee")}, 1, {{0}}, 0},
        {"a3", {SAID(said, "Ann Lee")}, 1, {{0}}, 0},
        {"b1", {SAID("Something else.", "Bo Ek")}, 1, {{0}}, 0},
    };
    run_stage(f->st, round, 4, "INSERT OR IGNORE INTO temp.facts_touched VALUES(1), (2)");
    char want[2][512];
    snprintf(want[0], sizeof want[0],
             "Q1 E1 Ann Lee speech | %s | %s: a1/wire.example a2/daily.example a3/herald.example",
             said, said);
    snprintf(want[1], sizeof want[1],
             "Q2 E2 Bo Ek speech | Something else. | Something else.: b1/other.example");
    const char *const w[] = {want[0], want[1]};
    expect_quotes(f->st, NULL, w, 2);
    /* Q1 refers to a1's printing (no speaker, a phrase): its own speaker and kind kept */
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM quotes q JOIN articles a"
                                    " ON a.rid = q.rid WHERE q.id = 1 AND a.id = 'a1'"
                                    " AND q.text IS NULL AND q.n = 0"
                                    " AND q.speaker = 'Ann Lee' AND q.kind = 'speech'"),
                     1);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM quotes WHERE id = 2 AND text IS NULL"
                                    " AND speaker IS NULL AND kind IS NULL"),
                     1);
    /* b1 saved again the same: its rows kept, Q2 still refers to them */
    static const planted same[] = {{"b1", {SAID("Something else.", "Bo Ek")}, 1, {{0}}, 0}};
    run_stage(f->st, same, 1, NULL);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM quotes WHERE text IS NULL"), 2);
    /* a1 prints something else now (its event not made again yet): Q1 reads the same */
    static const planted other[] = {{"a1", {SAID("Nothing to add.", "Cy Orr")}, 1, {{0}}, 0}};
    run_stage(f->st, other, 1, NULL);
    expect_quotes(f->st, NULL, w, 2);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM quotes WHERE id = 1 AND rid IS NULL"
                                    " AND text IS NOT NULL AND speaker = 'Ann Lee'"
                                    " AND kind = 'speech'"),
                     1);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM quotes WHERE id = 2 AND text IS NULL"),
                     1);
    /* made again: Q1 keeps its id and refers to a2's printing */
    run_stage(f->st, NULL, 0, "INSERT OR IGNORE INTO temp.facts_touched VALUES(1)");
    snprintf(want[0], sizeof want[0],
             "Q1 E1 Ann Lee speech | %s | %s: a2/daily.example a3/herald.example", said, said);
    snprintf(want[1], sizeof want[1],
             "Q2 E2 Bo Ek speech | Something else. | Something else.: b1/other.example");
    char third[512];
    snprintf(third, sizeof third,
             "Q3 E1 Cy Orr speech | Nothing to add. | Nothing to add.: a1/wire.example");
    const char *const w2[] = {want[0], want[1], third};
    expect_quotes(f->st, NULL, w2, 3);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM quotes q JOIN articles a"
                                    " ON a.rid = q.rid WHERE q.id = 1 AND a.id = 'a2'"
                                    " AND q.text IS NULL AND q.speaker IS NULL"
                                    " AND q.kind IS NULL"),
                     1);
}

static int take_entity(void *user, const sl_entity *e)
{
    lines *l = user;
    assert_true(l->n < 8);
    snprintf(l->s[l->n++], 512, "%s %s %lld", e->name, e->type, e->count);
    return 0;
}

/* Entities merged over the event's articles, most mentioned first (ties: first seen). */
static void test_event_entities(void **state)
{
    fixture *f = *state;
    run_stage(f->st, round1, 3, "INSERT OR IGNORE INTO temp.facts_touched VALUES(1), (2)");
    lines l = {0};
    assert_int_equal(sl_store_event_entities(f->st, "E1", take_entity, &l), SL_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.s[0], "Elling place 4");
    assert_string_equal(l.s[1], "Ann Lee person 3");
    assert_string_equal(l.s[2], "Harbour Board org 1");
    assert_int_equal(sl_store_event_entities(f->st, "E7", take_entity, &l), SL_ERR_NOT_FOUND);
    /* version 5: read from the events' memos, no rows; `stats` counts them there */
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM event_entities"), 0);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM entity_memos WHERE"
                                    " (event = 1 AND shown = 3) OR (event = 2 AND shown = 1)"),
                     2);
    sl_stats stats;
    assert_int_equal(sl_store_stats(f->st, &stats), SL_OK);
    assert_int_equal(stats.entities, 4);
    /* rows, where an event has them, are what it shows (an event whose memo could not be
     * kept; a store migrated from version 4 whose memo did not fit them) */
    assert_int_equal(sli_store_exec(f->st, "INSERT INTO event_entities"
                                           " VALUES(1, 0, 'Only Row', 'org', 7)"),
                     SL_OK);
    lines rows = {0};
    assert_int_equal(sl_store_event_entities(f->st, "E1", take_entity, &rows), SL_OK);
    assert_int_equal(rows.n, 1);
    assert_string_equal(rows.s[0], "Only Row org 7");
    /* a memo cut anywhere reads as none, or (cut in its renames, after the entities) as
     * its entities; never past its end (AddressSanitizer) */
    assert_int_equal(sli_store_exec(f->st, "DELETE FROM event_entities;"
                                           " CREATE TEMP TABLE kept AS SELECT memo FROM"
                                           " entity_memos WHERE event = 1"),
                     SL_OK);
    long long len = sql_int(f->st, "SELECT length(memo) FROM temp.kept");
    for (long long cut = 0; cut < len; cut++) {
        char sql[160];
        snprintf(sql, sizeof sql, "UPDATE entity_memos SET memo = (SELECT substr(memo, 1, %lld)"
                                  " FROM temp.kept) WHERE event = 1", cut);
        assert_int_equal(sli_store_exec(f->st, sql), SL_OK);
        lines cutl = {0};
        assert_int_equal(sl_store_event_entities(f->st, "E1", take_entity, &cutl), SL_OK);
        assert_true(cutl.n == 0 || (cutl.n == 3 && cut > 22));
    }
    /* a memo that does not read as one shows none */
    assert_int_equal(sli_store_exec(f->st, "UPDATE entity_memos SET memo = x'454531'"
                                           " WHERE event = 1"),
                     SL_OK);
    lines none = {0};
    assert_int_equal(sl_store_event_entities(f->st, "E1", take_entity, &none), SL_OK);
    assert_int_equal(none.n, 0);
    lines two = {0};
    assert_int_equal(sl_store_event_entities(f->st, "E2", take_entity, &two), SL_OK);
    assert_int_equal(two.n, 1);
    assert_string_equal(two.s[0], "Bo Ek person 1");
}

/* A later run: a3 prints Q1's wording and a new one; a1 no longer prints "hostile forces".
 * Q1 keeps its id and gains a3; the gone quote's id is not given again. */
static void test_ids_stable(void **state)
{
    fixture *f = *state;
    run_stage(f->st, round1, 3, "INSERT OR IGNORE INTO temp.facts_touched VALUES(1), (2)");
    static const planted round2[] = {
        {"a3", {SAID("Stay home.", "Ann Lee"), SAID("Roads reopen Monday.", "Ann Lee")}, 2,
         {{0}}, 0},
        {"a1", {SAID("Stay home.", "Ann Lee")}, 1, {{0}}, 0},
    };
    run_stage(f->st, round2, 2, "INSERT OR IGNORE INTO temp.facts_touched VALUES(1)");
    static const char *const want[] = {
        ("Q1 E1 Ann Lee speech | Stay home. | Stay home.: a1/wire.example a2/daily.example"
         " a3/herald.example"),
        "Q3 E1 - speech | We are ready. | We are ready.: a2/daily.example",
        "Q4 E2 Bo Ek speech | Something else. | Something else.: b1/other.example",
        "Q5 E1 Ann Lee speech | Roads reopen Monday. | Roads reopen Monday.: a3/herald.example",
    };
    expect_quotes(f->st, NULL, want, 4);
}

/* One wording printed in two events is two quotes (each event's own); run again with
 * both events touched (as `storyline clean` touches every event), each keeps its id,
 * and an event keeps its own old id even when the other no longer prints the wording. */
static void test_ids_stable_shared_wording(void **state)
{
    fixture *f = *state;
    static const planted round[] = {
        {"a1", {SAID("We will rebuild.", "Ann Lee")}, 1, {{0}}, 0},
        {"b1", {SAID("We will rebuild.", "Bo Ek")}, 1, {{0}}, 0},
    };
    static const char *const want[] = {
        "Q1 E1 Ann Lee speech | We will rebuild. | We will rebuild.: a1/wire.example",
        "Q2 E2 Bo Ek speech | We will rebuild. | We will rebuild.: b1/other.example",
    };
    run_stage(f->st, round, 2, "INSERT OR IGNORE INTO temp.facts_touched VALUES(1), (2)");
    expect_quotes(f->st, NULL, want, 2);
    for (int k = 0; k < 2; k++) { /* again, and again: nothing changed, no id changes */
        run_stage(f->st, NULL, 0, "INSERT OR IGNORE INTO temp.facts_touched VALUES(1), (2)");
        expect_quotes(f->st, NULL, want, 2);
    }
    /* a1 no longer prints it: E2's quote keeps Q2 (not E1's old Q1) */
    static const planted gone[] = {{"a1", {{0}}, 0, {{0}}, 0}};
    run_stage(f->st, gone, 1, "INSERT OR IGNORE INTO temp.facts_touched VALUES(1), (2)");
    expect_quotes(f->st, NULL, want + 1, 1);
}

/* Quotes made again the same are not written again; one that changed is, and the rows
 * read back are those a full rewrite gives (the same as test_ids_stable's). The writes are
 * counted by a trigger of the test's own on the quotes' three tables. */
static void test_unchanged_not_written(void **state)
{
    fixture *f = *state;
    assert_int_equal(sli_store_exec(f->st,
                                    "CREATE TEMP TABLE writes(n);"
                                    "CREATE TEMP TRIGGER w1 AFTER INSERT ON main.quotes"
                                    " BEGIN INSERT INTO writes VALUES(1); END;"
                                    "CREATE TEMP TRIGGER w2 AFTER INSERT ON main.quote_variants"
                                    " BEGIN INSERT INTO writes VALUES(1); END;"
                                    "CREATE TEMP TRIGGER w3 AFTER INSERT ON main.variant_articles"
                                    " BEGIN INSERT INTO writes VALUES(1); END;"
                                    "CREATE TEMP TRIGGER w4 AFTER DELETE ON main.quotes"
                                    " BEGIN INSERT INTO writes VALUES(1); END;"),
                     SL_OK);
    run_stage(f->st, round1, 3, "INSERT OR IGNORE INTO temp.facts_touched VALUES(1), (2)");
    assert_true(sql_int(f->st, "SELECT count(*) FROM temp.writes") > 0);
    assert_int_equal(sli_store_exec(f->st, "DELETE FROM temp.writes"), SL_OK);
    /* both events made again, nothing changed: nothing written, ids kept */
    run_stage(f->st, NULL, 0, "INSERT OR IGNORE INTO temp.facts_touched VALUES(1), (2)");
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM temp.writes"), 0);
    /* a3 prints Q1 again: Q1 is written again (1 quote, 1 variant, 3 articles, its
     * delete), nothing else; then the others are as before */
    static const planted more[] = {{"a3", {SAID("Stay home.", "Ann Lee")}, 1, {{0}}, 0}};
    run_stage(f->st, more, 1, "INSERT OR IGNORE INTO temp.facts_touched VALUES(1)");
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM temp.writes"), 6);
    static const char *const want[] = {
        ("Q1 E1 Ann Lee speech | Stay home. | Stay home.: a1/wire.example a2/daily.example"
         " a3/herald.example"),
        "Q2 E1 - phrase | hostile forces | hostile forces: a1/wire.example",
        "Q3 E1 - speech | We are ready. | We are ready.: a2/daily.example",
        "Q4 E2 Bo Ek speech | Something else. | Something else.: b1/other.example",
    };
    expect_quotes(f->st, NULL, want, 4);
    /* a1 no longer prints "hostile forces": Q2 dropped */
    static const planted less[] = {{"a1", {SAID("Stay home.", "Ann Lee")}, 1, {{0}}, 0}};
    run_stage(f->st, less, 1, "INSERT OR IGNORE INTO temp.facts_touched VALUES(1)");
    const char *const want2[] = {want[0], want[2], want[3]};
    expect_quotes(f->st, NULL, want2, 3);
}

/* The store notes the events touched: an article put into an event, moved, its event
 * dropped; the log is emptied when read, and a rolled-back run forgets it. */
static void test_touched_log(void **state)
{
    fixture *f = *state;
    sl_store *st = f->st;
    assert_int_equal(sli_store_begin(st), SL_OK);
    store_facts sf;
    assert_int_equal(sli_store_facts_open(st, &sf), SL_OK);
    long long *ids;
    size_t n;
    assert_int_equal(sli_store_facts_touched(&sf, &ids, &n), SL_OK);
    assert_int_equal(n, 0);
    free(ids);
    char sql[128];
    snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO article_events VALUES(%lld, 2)",
             rid_of(st, "a3")); /* moved from E1 to E2 */
    assert_int_equal(sli_store_exec(st, sql), SL_OK);
    assert_int_equal(sli_store_facts_touched(&sf, &ids, &n), SL_OK);
    assert_int_equal(n, 2);
    assert_true(ids[0] == 1 && ids[1] == 2);
    free(ids);
    assert_int_equal(sli_store_exec(st, "DELETE FROM events WHERE id=2"), SL_OK);
    assert_int_equal(sli_store_facts_touched(&sf, &ids, &n), SL_OK);
    assert_int_equal(n, 1);
    assert_true(ids[0] == 2);
    free(ids);
    assert_int_equal(sli_store_exec(st, "INSERT OR IGNORE INTO temp.facts_touched VALUES(5)"), SL_OK);
    sli_store_facts_close(&sf);
    sli_store_rollback(st);
    assert_int_equal(sli_store_begin(st), SL_OK);
    assert_int_equal(sli_store_facts_open(st, &sf), SL_OK);
    assert_int_equal(sli_store_facts_touched(&sf, &ids, &n), SL_OK);
    assert_int_equal(n, 0);
    free(ids);
    sli_store_facts_close(&sf);
    sli_store_rollback(st);
}

/* A dropped event's quotes and entities go when the stage next runs. */
static void test_dropped_event(void **state)
{
    fixture *f = *state;
    run_stage(f->st, round1, 3, "INSERT OR IGNORE INTO temp.facts_touched VALUES(1), (2)");
    run_stage(f->st, NULL, 0, "DELETE FROM events WHERE id=2");
    static const char *const want[] = {
        "Q1 E1 Ann Lee speech | Stay home. | Stay home.: a1/wire.example a2/daily.example",
        "Q2 E1 - phrase | hostile forces | hostile forces: a1/wire.example",
        "Q3 E1 - speech | We are ready. | We are ready.: a2/daily.example",
    };
    expect_quotes(f->st, NULL, want, 3);
    sl_stats s;
    assert_int_equal(sl_store_stats(f->st, &s), SL_OK);
    assert_int_equal(s.quotes, 3);
    assert_int_equal(s.entities, 3);
}

static int take_fact(void *user, const sl_fact *f)
{
    lines *l = user;
    assert_true(l->n < 8);
    snprintf(l->s[l->n++], 512, "%s %s %s %s %s %g", f->kind, f->text,
             f->speaker ? f->speaker : "-", f->type ? f->type : "-", f->date ? f->date : "-",
             f->value);
    return 0;
}

static int collect(void *user, const char *data, size_t len)
{
    buf *b = user;
    return sli_buf_append(b, data, len) != SL_OK;
}

/* An article's stored facts object: one by one, and in its JSON. */
static void test_article_facts(void **state)
{
    fixture *f = *state;
    sl_store *st = f->st;
    static const char json[] =
        "{\"quotes\":[{\"text\":\"Stay home.\",\"speaker\":\"Ann Lee\",\"kind\":\"speech\"}],"
        "\"entities\":[{\"name\":\"Ann Lee\",\"type\":\"person\",\"count\":2}],"
        "\"amounts\":[{\"text\":\"2,50,000 farmers\",\"value\":250000,\"unit\":\"farmers\"}],"
        "\"dates\":[{\"text\":\"in May\",\"date\":\"2024-05\"}]}";
    assert_int_equal(sli_store_begin(st), SL_OK);
    store_facts sf;
    assert_int_equal(sli_store_facts_open(st, &sf), SL_OK);
    assert_int_equal(sli_store_facts_put(&sf, rid_of(st, "a1"), json, NULL, 0, 0), SL_OK);
    sli_store_facts_close(&sf);
    assert_int_equal(sli_store_commit(st), SL_OK);
    lines l = {0};
    assert_int_equal(sl_store_article_facts(st, "a1", take_fact, &l), SL_OK);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.s[0], "quote Stay home. Ann Lee speech - 0");
    assert_string_equal(l.s[1], "entity Ann Lee - person - 2");
    assert_string_equal(l.s[2], "amount 2,50,000 farmers - farmers - 250000");
    assert_string_equal(l.s[3], "date in May - - 2024-05 0");
    assert_int_equal(sl_store_article_facts(st, "nope", take_fact, &l), SL_ERR_NOT_FOUND);
    buf out;
    sli_buf_init(&out, BUF_UNLIMITED);
    assert_int_equal(sl_write_article(st, "a1", collect, &out), SL_OK);
    const char *facts = strstr(sli_buf_str(&out), "\"facts\"");
    assert_non_null(facts);
    assert_non_null(strstr(facts, "{\"quotes\":[{\"text\":\"Stay home.\""));
    sli_buf_free(&out);
    sl_article *a;
    assert_int_equal(sl_store_get_article(st, "a1", SL_WITH_FACTS, &a), SL_OK);
    assert_string_equal(a->facts, json);
    sl_article_free(a);
    assert_int_equal(sl_store_get_article(st, "a1", 0, &a), SL_OK);
    assert_null(a->facts);
    sl_article_free(a);
}

/* Version 5: the stage keeps an article's facts object without its quotes (an empty
 * "quotes" array, sli_facts_write_json_stored) and its quotes as rows; read back, the
 * object has them again, as the JSON writer writes them (escapes, a speaker null, order).
 * An object kept with its quotes (stores made before) reads as it is. */
static void test_article_facts_quotes_put_back(void **state)
{
    fixture *f = *state;
    sl_store *st = f->st;
    static const char rest[] = "\"entities\":[],\"amounts\":[],"
                               "\"dates\":[{\"text\":\"in May\",\"date\":\"2024-05\"}]}";
    char stored[256];
    snprintf(stored, sizeof stored, "{\"quotes\":[],%s", rest);
    static const store_fact_quote q[] = {
        {"We said \"no\" \\ twice, caf\xc3\xa9\n", NULL, "phrase"},
        {"Stay home.", "Ann Lee", "speech"},
    };
    assert_int_equal(sli_store_begin(st), SL_OK);
    store_facts sf;
    assert_int_equal(sli_store_facts_open(st, &sf), SL_OK);
    assert_int_equal(sli_store_facts_put(&sf, rid_of(st, "a1"), stored, q, 2, 0), SL_OK);
    /* a2: its quotes in the object, as every store made before keeps them */
    assert_int_equal(sli_store_facts_put(&sf, rid_of(st, "a2"), "{\"quotes\":[{\"text\":"
                                         "\"Old.\",\"speaker\":null,\"kind\":\"speech\"}],"
                                         "\"entities\":[],\"amounts\":[],\"dates\":[]}",
                                         q + 1, 1, 0),
                     SL_OK);
    sli_store_facts_close(&sf);
    assert_int_equal(sli_store_commit(st), SL_OK);
    jw w;
    sli_jw_init(&w, NULL, NULL, 0);
    sli_jw_begin_object(&w);
    sli_jw_key(&w, "quotes");
    sli_jw_begin_array(&w);
    for (int i = 0; i < 2; i++) {
        sli_jw_begin_object(&w);
        sli_jw_kv_string(&w, "text", q[i].text);
        sli_jw_kv_string(&w, "speaker", q[i].speaker);
        sli_jw_kv_string(&w, "kind", q[i].kind);
        sli_jw_end_object(&w);
    }
    sli_jw_end_array(&w);
    assert_int_equal(w.err, SL_OK);
    assert_int_equal(sli_buf_append(&w.out, ",", 1), SL_OK);
    assert_int_equal(sli_buf_append(&w.out, rest, strlen(rest)), SL_OK);
    sl_article *a;
    assert_int_equal(sl_store_get_article(st, "a1", SL_WITH_FACTS, &a), SL_OK);
    assert_string_equal(a->facts, sli_buf_str(&w.out));
    sl_article_free(a);
    lines l = {0};
    assert_int_equal(sl_store_article_facts(st, "a1", take_fact, &l), SL_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.s[1], "quote Stay home. Ann Lee speech - 0");
    sli_buf_free(&w.out);
    assert_int_equal(sl_store_get_article(st, "a2", SL_WITH_FACTS, &a), SL_OK);
    assert_non_null(strstr(a->facts, "\"Old.\""));
    assert_null(strstr(a->facts, "Stay home."));
    sl_article_free(a);
}

/* The facts JSON of article i of test_facts_packed: alike in shape, not in names. */
static void made_json(int i, char *out, size_t size)
{
    static const char *const names[] = {"Ann Lee", "Tom Price", "Elling", "Ministry of Health",
                                        "Port Authority", "Kim Ode", "City Council"};
    snprintf(out, size,
             "{\"quotes\":[{\"text\":\"We will reopen the bridge by %d May.\","
             "\"speaker\":\"%s\",\"kind\":\"speech\"}],\"entities\":["
             "{\"name\":\"%s\",\"type\":\"person\",\"count\":%d},"
             "{\"name\":\"%s\",\"type\":\"org\",\"count\":%d}],\"amounts\":["
             "{\"text\":\"%d farmers\",\"value\":%d,\"unit\":\"farmers\"}],"
             "\"dates\":[{\"text\":\"in May\",\"date\":\"2024-05-%02d\"}]}",
             i % 31, names[i % 7], names[(i / 7) % 7], i % 5 + 1, names[(i * 3 + 1) % 7],
             i % 4 + 1, i * 37, i * 37, i % 28 + 1);
}

/* Facts are kept packed (a BLOB) when that is shorter, else as the text (TEXT, as stores
 * made before kept them all); both read back as written. Once FACTS_DICT_SAMPLES facts
 * are stored, a dictionary is trained from them and kept: facts packed after are
 * smaller, and a new connection reads them. A damaged frame is an error, not text. */
static void test_facts_packed(void **state)
{
    fixture *f = *state;
    sl_store *st = f->st;
    static const char small[] = "{\"quotes\":[],\"entities\":[],\"amounts\":[],\"dates\":[]}";
    char json[1024];
    made_json(1, json, sizeof json);
    assert_int_equal(sli_store_exec(st, "PRAGMA foreign_keys=OFF"), SL_OK);
    assert_int_equal(sli_store_begin(st), SL_OK);
    store_facts sf;
    assert_int_equal(sli_store_facts_open(st, &sf), SL_OK);
    assert_int_equal(sli_store_facts_put(&sf, rid_of(st, "a1"), json, NULL, 0, 0), SL_OK);
    assert_int_equal(sli_store_facts_put(&sf, rid_of(st, "a2"), small, NULL, 0, 0), SL_OK);
    /* rows of articles that are not there (foreign keys off): 1,000 to 2,099 */
    for (int i = 0; i < 1100; i++) {
        char one[1024];
        made_json(i, one, sizeof one);
        assert_int_equal(sli_store_facts_put(&sf, 1000 + i, one, NULL, 0, 0), SL_OK);
    }
    sli_store_facts_close(&sf);
    assert_int_equal(sli_store_commit(st), SL_OK);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM article_facts f JOIN articles a"
                                 " ON a.rid = f.rid WHERE a.id = 'a1' AND typeof(json) = 'blob'"),
                     1);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM article_facts f JOIN articles a"
                                 " ON a.rid = f.rid WHERE a.id = 'a2' AND typeof(json) = 'text'"),
                     1);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM facts_dict"), 1);
    /* article 1's facts written again as rid 2001, after the dictionary: smaller */
    assert_true(sql_int(st, "SELECT length(json) FROM article_facts WHERE rid = 2001") * 2 <
                sql_int(st, "SELECT length(json) FROM article_facts WHERE rid = 1001"));
    sl_article *a;
    assert_int_equal(sl_store_get_article(st, "a1", SL_WITH_FACTS, &a), SL_OK);
    assert_string_equal(a->facts, json);
    sl_article_free(a);
    assert_int_equal(sl_store_get_article(st, "a2", SL_WITH_FACTS, &a), SL_OK);
    assert_string_equal(a->facts, small);
    sl_article_free(a);

    /* a new connection loads the dictionary */
    sl_store_free(f->st);
    assert_int_equal(sl_store_open(f->db, SL_OPEN_READONLY, &f->st), SL_OK);
    st = f->st;
    sqlite3_stmt *s;
    assert_int_equal(sli_store_prepare(st,
                                       "SELECT rid, sl_facts_json(json) FROM article_facts"
                                       " WHERE rid >= 1000 ORDER BY rid DESC",
                                       &s),
                     SL_OK);
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        made_json((int)sqlite3_column_int64(s, 0) - 1000, json, sizeof json);
        assert_string_equal((const char *)sqlite3_column_text(s, 1), json);
        n++;
    }
    sqlite3_finalize(s);
    assert_int_equal(n, 1100);
    lines l = {0};
    assert_int_equal(sl_store_article_facts(st, "a1", take_fact, &l), SL_OK);
    assert_int_equal(l.n, 5);
    assert_string_equal(l.s[0], "quote We will reopen the bridge by 1 May. Tom Price speech - 0");

    /* damaged: cut short */
    sl_store_free(f->st);
    assert_int_equal(sl_store_open(f->db, 0, &f->st), SL_OK);
    st = f->st;
    assert_int_equal(sli_store_exec(st, "UPDATE article_facts SET json = substr(json, 1, 12)"
                                        " WHERE rid = (SELECT rid FROM articles WHERE id = 'a1')"),
                     SL_OK);
    l.n = 0;
    assert_int_equal(sl_store_article_facts(st, "a1", take_fact, &l), SL_ERR_STORE);
    assert_non_null(strstr(sl_store_errmsg(st), "facts are damaged"));
    assert_int_equal(sl_store_get_article(st, "a1", SL_WITH_FACTS, &a), SL_ERR_STORE);
}

/* A memo like the stage's: its tag ("EE1"), then names that repeat from one event to the
 * next. */
static size_t made_memo(int i, char *out, size_t size)
{
    static const char *names[] = {"Harbour Authority", "Tom Price", "Anna Berg",
                                  "Port of Velma", "Ministry of Transport", "Lena Holt",
                                  "United Dockworkers"};
    int n = snprintf(out, size, "EE1%c%s%c%s%c%s%c%d", 3, names[i % 7], 1, names[(i / 7) % 7],
                     2, names[(i * 3 + 1) % 7], 1, i);
    return (size_t)n;
}

/* Entity memos (version 7): kept as they are until MEMO_DICT_SAMPLES are stored, then a
 * dictionary is trained from them (memo_dict) and later memos are kept as frames, shorter;
 * both read back as written, through the stage and through sl_memo on a new read-only
 * connection; a damaged frame is no memo (a cache: the next batch makes it again), and so
 * is one whose dictionary is gone. */
static void test_memos_packed(void **state)
{
    fixture *f = *state;
    sl_store *st = f->st;
    /* the memos stored count towards the samples: the dictionary is trained before the
     * memo that would make them MEMO_DICT_SAMPLES (1,000) */
    long long before = sql_int(st, "SELECT count(*) FROM entity_memos"), raw = 1000 - before;
    assert_int_equal(sli_store_begin(st), SL_OK);
    store_facts sf;
    assert_int_equal(sli_store_facts_open(st, &sf), SL_OK);
    char memo[256];
    for (int i = 1; i <= 1100; i++) {
        size_t n = made_memo(i, memo, sizeof memo);
        int kept = 0;
        assert_int_equal(sli_store_facts_put_entity_memo(&sf, 100000 + i, memo, n, 2, &kept),
                         SL_OK);
        assert_true(kept);
    }
    assert_int_equal(sql_int(st, "SELECT count(*) FROM memo_dict"), 1);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM entity_memos WHERE event > 100000"
                                 " AND hex(substr(memo, 1, 4)) = '28B52FFD'"),
                     1100 - raw);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM entity_memos WHERE event > 100000"
                                 " AND substr(memo, 1, 3) = CAST('EE1' AS BLOB)"),
                     raw);
    size_t n1100 = made_memo(1100, memo, sizeof memo);
    assert_true(sql_int(st, "SELECT length(memo) FROM entity_memos WHERE event = 101100") <
                (long long)n1100);
    int picks[] = {1, 1000, 1001, 1100};
    for (size_t k = 0; k < sizeof picks / sizeof *picks; k++) {
        size_t n = made_memo(picks[k], memo, sizeof memo);
        void *got = NULL;
        size_t len = 0;
        assert_int_equal(sli_store_facts_get_entity_memo(&sf, 100000 + picks[k], &got, &len),
                         SL_OK);
        assert_int_equal(len, n);
        assert_memory_equal(got, memo, n);
        free(got);
    }
    sli_store_facts_close(&sf);
    assert_int_equal(sli_store_commit(st), SL_OK);

    /* a new connection reads them with the dictionary it loads */
    sl_store_free(f->st);
    assert_int_equal(sl_store_open(f->db, SL_OPEN_READONLY, &f->st), SL_OK);
    st = f->st;
    sqlite3_stmt *s;
    assert_int_equal(sli_store_prepare(st,
                                       "SELECT event, sl_memo(memo) FROM entity_memos"
                                       " WHERE event > 100000 ORDER BY event DESC",
                                       &s),
                     SL_OK);
    int rows = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        size_t n = made_memo((int)sqlite3_column_int64(s, 0) - 100000, memo, sizeof memo);
        assert_int_equal(sqlite3_column_bytes(s, 1), (int)n);
        assert_memory_equal(sqlite3_column_blob(s, 1), memo, n);
        rows++;
    }
    sqlite3_finalize(s);
    assert_int_equal(rows, 1100);

    /* damaged: a frame cut short; then every frame without its dictionary */
    sl_store_free(f->st);
    assert_int_equal(sl_store_open(f->db, 0, &f->st), SL_OK);
    st = f->st;
    assert_int_equal(sli_store_exec(st, "UPDATE entity_memos SET memo = substr(memo, 1, 12)"
                                        " WHERE event = 101100"),
                     SL_OK);
    assert_int_equal(sli_store_facts_open(st, &sf), SL_OK);
    void *got = NULL;
    size_t len = 0;
    assert_int_equal(sli_store_facts_get_entity_memo(&sf, 101100, &got, &len), SL_OK);
    assert_null(got);
    assert_int_equal(len, 0);
    sli_store_facts_close(&sf);
    sl_store_free(f->st);
    assert_int_equal(scratch_exec(f->db, "DELETE FROM memo_dict"), SQLITE_OK);
    assert_int_equal(sl_store_open(f->db, 0, &f->st), SL_OK);
    st = f->st;
    assert_int_equal(sli_store_facts_open(st, &sf), SL_OK);
    assert_int_equal(sli_store_facts_get_entity_memo(&sf, 101050, &got, &len), SL_OK);
    assert_null(got);
    made_memo(5, memo, sizeof memo); /* a raw memo still reads */
    assert_int_equal(sli_store_facts_get_entity_memo(&sf, 100005, &got, &len), SL_OK);
    assert_int_equal(len, strlen(memo));
    free(got);
    sli_store_facts_close(&sf);
}

/* Printing i's text: about 100 bytes, words shared with the others (as quotes share
 * words), none the same. */
static void made_quote(int i, char *out, size_t cap)
{
    snprintf(out, cap, "The harbour council will meet on day %d to decide the ferry schedule"
             " for Kessa Island, %d residents were told.", i, i * 7 + 3);
}

/* The printings' texts (article_quotes.text, version 11) are packed with a dictionary
 * trained from the first 1,000 saved: frames after it, shorter than their texts; every
 * one reads back as saved, through sl_quote_text and in the article's facts, on a new
 * connection; a damaged frame is an error, not a text. */
static void test_quotes_packed(void **state)
{
    fixture *f = *state;
    sl_store *st = f->st;
    long long before = sql_int(st, "SELECT count(*) FROM article_quotes"), raw = 1000 - before;
    enum { N = 1100 };
    static char texts[N][160];
    static store_fact_quote q[N];
    for (int i = 0; i < N; i++) {
        made_quote(i, texts[i], sizeof texts[i]);
        q[i] = (store_fact_quote){texts[i], "Ana Lind", "speech"};
    }
    assert_int_equal(sli_store_begin(st), SL_OK);
    store_facts sf;
    assert_int_equal(sli_store_facts_open(st, &sf), SL_OK);
    long long rid = rid_of(st, "b1");
    assert_int_equal(sli_store_facts_put(&sf, rid, "{\"quotes\":[],\"entities\":[]}", q, N, 0),
                     SL_OK);
    sli_store_facts_close(&sf);
    assert_int_equal(sli_store_commit(st), SL_OK);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM quote_dict"), 1);
    /* the same printings saved again are found the same (read through sl_quote_text):
     * only the facts row is written, not the 1,100 rows again */
    assert_int_equal(sli_store_begin(st), SL_OK);
    assert_int_equal(sli_store_facts_open(st, &sf), SL_OK);
    sqlite3_int64 changes = sqlite3_total_changes64(st->db);
    assert_int_equal(sli_store_facts_put(&sf, rid, "{\"quotes\":[],\"entities\":[]}", q, N, 0),
                     SL_OK);
    assert_int_equal(sqlite3_total_changes64(st->db) - changes, 1);
    sli_store_facts_close(&sf);
    assert_int_equal(sli_store_commit(st), SL_OK);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM article_quotes WHERE rid = %lld AND n >= %lld"
             " AND typeof(text) = 'blob' AND length(text) < 80", rid, raw);
    assert_int_equal(sql_int(st, sql), N - raw);

    /* a new connection reads them back with the dictionary it loads */
    sl_store_free(f->st);
    assert_int_equal(sl_store_open(f->db, SL_OPEN_READONLY, &f->st), SL_OK);
    st = f->st;
    sqlite3_stmt *s;
    assert_int_equal(sli_store_prepare(st, "SELECT n, sl_quote_text(text) FROM article_quotes"
                                           " WHERE rid = ?1 ORDER BY n DESC", &s),
                     SL_OK);
    sqlite3_bind_int64(s, 1, rid);
    int rows = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        assert_int_equal(sqlite3_column_type(s, 1), SQLITE_TEXT);
        assert_string_equal((const char *)sqlite3_column_text(s, 1),
                            texts[sqlite3_column_int(s, 0)]);
        rows++;
    }
    sqlite3_finalize(s);
    assert_int_equal(rows, N);
    sl_article *a = NULL;
    assert_int_equal(sl_store_get_article(st, "b1", SL_WITH_FACTS, &a), SL_OK);
    assert_non_null(strstr(a->facts, texts[N - 1]));
    assert_non_null(strstr(a->facts, texts[0]));
    sl_article_free(a);

    /* damaged: a frame cut short */
    sl_store_free(f->st);
    assert_int_equal(sl_store_open(f->db, 0, &f->st), SL_OK);
    st = f->st;
    snprintf(sql, sizeof sql, "UPDATE article_quotes SET text = substr(text, 1, 12)"
             " WHERE rid = %lld AND n = %d", rid, N - 1);
    assert_int_equal(sli_store_exec(st, sql), SL_OK);
    snprintf(sql, sizeof sql, "SELECT sl_quote_text(text) FROM article_quotes"
             " WHERE rid = %lld AND n = %d", rid, N - 1);
    assert_int_equal(sli_store_prepare(st, sql, &s), SL_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_CORRUPT);
    assert_non_null(strstr(sqlite3_errmsg(sqlite3_db_handle(s)), "an article's quote is damaged"));
    sqlite3_finalize(s);
}

/* The event object lists its quote ids and entities. */
static void test_event_json(void **state)
{
    fixture *f = *state;
    run_stage(f->st, round1, 3, "INSERT OR IGNORE INTO temp.facts_touched VALUES(1), (2)");
    buf out;
    sli_buf_init(&out, BUF_UNLIMITED);
    assert_int_equal(sl_write_event(f->st, "E1", collect, &out), SL_OK);
    const char *s = sli_buf_str(&out);
    const char *q = strstr(s, "\"quotes\""), *e = strstr(s, "\"entities\"");
    assert_true(q && e && q < e);
    const char *q1 = strstr(q, "\"Q1\""), *q2 = strstr(q, "\"Q2\""), *q3 = strstr(q, "\"Q3\"");
    assert_true(q1 && q2 && q3 && q1 < q2 && q2 < q3 && q3 < e);
    assert_null(strstr(s, "\"Q4\"")); /* E2's */
    const char *elling = strstr(e, "\"Elling\""), *ann = strstr(e, "\"Ann Lee\"");
    assert_true(elling && ann && elling < ann);
    sli_buf_free(&out);
}

/* A store made before the facts tables: read-only, it has none (and no quotes); opened
 * for writing, it gets them. */
static void test_older_store(void **state)
{
    fixture *f = *state;
    assert_int_equal(sli_store_exec(f->st,
                                    "DROP TABLE article_facts; DROP TABLE article_quotes;"
                                    " DROP TABLE IF EXISTS entity_memos; DROP TABLE quotes;"
                                    " DROP TABLE quote_variants; DROP TABLE variant_articles;"
                                    " DROP TABLE event_entities;"),
                     SL_OK);
    sl_store_free(f->st);
    assert_int_equal(sl_store_open(f->db, SL_OPEN_READONLY, &f->st), SL_OK);
    lines l = {0};
    assert_int_equal(sl_store_each_quote(f->st, NULL, take_quote, &l), SL_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(sl_store_article_facts(f->st, "a1", take_fact, &l), SL_OK);
    assert_int_equal(l.n, 0);
    sl_article *a;
    assert_int_equal(sl_store_get_article(f->st, "a1", SL_WITH_FACTS, &a), SL_OK);
    assert_null(a->facts);
    sl_article_free(a);
    sl_store_free(f->st);
    assert_int_equal(sl_store_open(f->db, 0, &f->st), SL_OK);
    assert_true(f->st->has_facts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_group_and_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quotes_refer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_entities, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ids_stable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ids_stable_shared_wording, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unchanged_not_written, setup, teardown),
        cmocka_unit_test_setup_teardown(test_touched_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dropped_event, setup, teardown),
        cmocka_unit_test_setup_teardown(test_article_facts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_article_facts_quotes_put_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_facts_packed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memos_packed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quotes_packed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_older_store, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
