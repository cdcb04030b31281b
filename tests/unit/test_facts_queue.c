/* test_facts_queue.c — facts extracted beside the later stages (pipeline/facts_queue.h):
 * what a finish hands over is what extracting each article in turn gives, in the order
 * queued, with the queue's thread started (and taking some) or not; nothing is queued while it runs; the
 * first error stops the hand-over and empties the queue; the bound says when it is full;
 * a queue freed while its thread runs loses nothing to a leak (the sanitizers' part). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/json_writer.h"
#include "facts/facts.h"
#include "pipeline/facts_queue.h"
#include "pipeline/pipeline.h"

#define ARTICLES 120

static sli_facts_ctx *ctx;

static int setup(void **state)
{
    (void)state;
    return sli_facts_ctx_create(&ctx) == SL_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sli_facts_ctx_free(ctx);
    return 0;
}

/* Article i: a quote with a speaker, names, an amount, a date; some without a title or a
 * date, one without a text. */
typedef struct article {
    char title[128], text[1024], date[32];
    const char *t, *x, *d;
} article;

static void make(article *a, int i)
{
    snprintf(a->title, sizeof a->title, "Council %d votes on the harbour bridge", i);
    snprintf(a->text, sizeof a->text,
             "OSLO, March %d, 2023 — \"We will rebuild the bridge within %d months,\" said "
             "Mayor Anna Berg%c on Tuesday. The plan costs 2,50,%03d kroner.\n\n"
             "Transport Minister Lars Olsen said the %s had agreed. \"This is %s,\" he told "
             "reporters in Bergen.",
             1 + i % 28, 3 + i % 9, 'a' + i % 26, i, i % 2 ? "government" : "council",
             i % 3 ? "good news" : "a start");
    snprintf(a->date, sizeof a->date, "2023-03-%02d", 1 + i % 28);
    a->t = i % 5 == 4 ? NULL : a->title;
    a->x = i == 7 ? NULL : a->text;
    a->d = i % 4 == 3 ? NULL : a->date;
}

/* ARTICLES made-up articles (freed by the caller). */
static article *make_all(void)
{
    article *arts = calloc(ARTICLES, sizeof *arts);
    assert_non_null(arts);
    for (int i = 0; i < ARTICLES; i++)
        make(&arts[i], i);
    return arts;
}

/* A queue whose bound no test reaches. */
static facts_queue *queue(void)
{
    facts_queue *q;
    assert_int_equal(sli_facts_queue_create(ctx, (size_t)1 << 30, &q), SL_OK);
    return q;
}

/* What each article's extraction gives, as the facts stage saves it. */
static char *expected_json(const article *a)
{
    buf scratch;
    sli_buf_init(&scratch, BUF_UNLIMITED);
    sli_facts f = {0};
    assert_int_equal(sli_facts_of_article(ctx, a->t, a->x, a->x ? strlen(a->x) : 0, a->d,
                                          &scratch, &f),
                     SL_OK);
    jw w;
    sli_jw_init(&w, NULL, NULL, 0);
    sli_facts_write_json_stored(&w, &f);
    assert_int_equal(w.err, SL_OK);
    char *s = strdup(sli_buf_str(&w.out));
    sli_buf_free(&w.out);
    sli_facts_clear(&f);
    sli_buf_free(&scratch);
    return s;
}

typedef struct got {
    long long rid[ARTICLES];
    char *json[ARTICLES];
    size_t quotes[ARTICLES];
    size_t n;
    size_t fail_at; /* fn fails at this call (ARTICLES + 1: never) */
} got;

static sl_error take(void *user, long long rid, const sli_facts *f, const char *json,
                     double seconds)
{
    got *g = user;
    assert_true(seconds >= 0);
    if (g->n == g->fail_at)
        return SL_ERR_IO;
    assert_true(g->n < ARTICLES);
    g->rid[g->n] = rid;
    g->json[g->n] = strdup(json);
    g->quotes[g->n] = f->n_quotes;
    g->n++;
    return SL_OK;
}

static void got_free(got *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->json[i]);
}

static void put_all(facts_queue *q, article *arts)
{
    for (int i = 0; i < ARTICLES; i++)
        assert_int_equal(sli_facts_queue_put(q, 1000 + i, arts[i].t, arts[i].x,
                                             arts[i].x ? strlen(arts[i].x) : 0, arts[i].d),
                         SL_OK);
}

static void check_same(int start)
{
    article *arts = make_all();
    facts_queue *q = queue();
    for (int round = 0; round < 2; round++) { /* a queue used again after its finish */
        put_all(q, arts);
        if (start) {
            sli_facts_queue_start(q);
            /* the queue's thread, at the lowest priority, gets a processor while this
             * one sleeps: the hand-over below then has articles it extracted */
            for (int wait = 0; wait < 500 && !sli_facts_queue_by_thread(q); wait++)
                nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
        }
        got g = {.fail_at = ARTICLES + 1};
        assert_int_equal(sli_facts_queue_finish(q, take, &g), SL_OK);
        if (start)
            assert_true(sli_facts_queue_by_thread(q) > 0);
        else
            assert_int_equal(sli_facts_queue_by_thread(q), 0);
        assert_int_equal(g.n, ARTICLES);
        size_t quoted = 0;
        for (int i = 0; i < ARTICLES; i++) {
            assert_int_equal(g.rid[i], 1000 + i);
            char *want = expected_json(&arts[i]);
            assert_string_equal(g.json[i], want);
            free(want);
            quoted += g.quotes[i] > 0;
        }
        assert_true(quoted > ARTICLES / 2); /* the made-up articles do have quotes */
        got_free(&g);
    }
    sli_facts_queue_free(q);
    free(arts);
}

static void test_same_as_one_by_one_started(void **state)
{
    (void)state;
    check_same(1);
}

static void test_same_as_one_by_one_not_started(void **state)
{
    (void)state;
    check_same(0);
}

static void test_no_put_while_started(void **state)
{
    (void)state;
    article a;
    make(&a, 1);
    facts_queue *q = queue();
    assert_int_equal(sli_facts_queue_put(q, 1, a.t, a.x, strlen(a.x), a.d), SL_OK);
    sli_facts_queue_start(q);
    assert_int_equal(sli_facts_queue_put(q, 2, a.t, a.x, strlen(a.x), a.d), SL_ERR_STATE);
    got g = {.fail_at = ARTICLES + 1};
    assert_int_equal(sli_facts_queue_finish(q, take, &g), SL_OK);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.rid[0], 1);
    got_free(&g);
    sli_facts_queue_free(q);
}

static void test_first_error_stops_and_empties(void **state)
{
    (void)state;
    article *arts = make_all();
    facts_queue *q = queue();
    put_all(q, arts);
    sli_facts_queue_start(q);
    got g = {.fail_at = 10};
    assert_int_equal(sli_facts_queue_finish(q, take, &g), SL_ERR_IO);
    assert_int_equal(g.n, 10);
    got_free(&g);
    got again = {.fail_at = ARTICLES + 1};
    assert_int_equal(sli_facts_queue_finish(q, take, &again), SL_OK);
    assert_int_equal(again.n, 0);
    sli_facts_queue_free(q);
    free(arts);
}

static void test_bound(void **state)
{
    (void)state;
    article a;
    make(&a, 2);
    size_t one = strlen(a.t) + strlen(a.x) + strlen(a.d) + 3;
    facts_queue *q;
    assert_int_equal(sli_facts_queue_create(ctx, 3 * one, &q), SL_OK);
    for (int i = 0; i < 3; i++) {
        assert_false(sli_facts_queue_full(q));
        assert_int_equal(sli_facts_queue_put(q, i, a.t, a.x, strlen(a.x), a.d), SL_OK);
    }
    assert_true(sli_facts_queue_full(q));
    got g = {.fail_at = ARTICLES + 1};
    assert_int_equal(sli_facts_queue_finish(q, take, &g), SL_OK);
    assert_int_equal(g.n, 3);
    assert_false(sli_facts_queue_full(q));
    got_free(&g);
    sli_facts_queue_free(q);
}

static void test_free_while_running(void **state)
{
    (void)state;
    article *arts = make_all();
    facts_queue *q = queue();
    put_all(q, arts);
    sli_facts_queue_start(q);
    sli_facts_queue_free(q);
    sli_facts_queue_free(NULL);
    free(arts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_one_by_one_started),
        cmocka_unit_test(test_same_as_one_by_one_not_started),
        cmocka_unit_test(test_no_put_while_started),
        cmocka_unit_test(test_first_error_stops_and_empties),
        cmocka_unit_test(test_bound),
        cmocka_unit_test(test_free_while_running),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
