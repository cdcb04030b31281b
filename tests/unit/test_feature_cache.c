/* test_feature_cache.c — a batch's features of its recent articles (cluster/feature_cache.h):
 * what is put comes back term for term; a generation a slice, the oldest forgotten; the
 * newest features of a rid win; past the bound the oldest go first, and a rid whose
 * newest features could not be kept is not answered at all; a slice that keeps nothing
 * adds nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cluster/feature_cache.h"

/* Made-up features of article `seed`: each view some terms in id order. */
static void make(features *f, unsigned seed, unsigned per_view)
{
    uint32_t at = 0;
    for (int v = 0; v < VIEWS; v++) {
        f->at[v] = at;
        f->n[v] = (seed + (unsigned)v) % (per_view + 1);
        for (uint32_t i = 0; i < f->n[v]; i++) {
            cterm *t = &f->terms[at + i];
            /* every byte of a 40-bit id used, the largest id among them */
            t->id = i + 1 == f->n[v] && v == VIEWS - 1
                        ? (1ull << 40) - 1
                        : ((uint64_t)seed << 28) + (uint64_t)v * 1000 + i * 7 + 1;
            t->w = 1.0f + (float)(seed % 13) / 7.0f + (float)i / 3.0f;
            t->idf = 0;
            t->q = 0;
        }
        at += f->n[v];
    }
}

static void assert_same(const features *a, const features *b)
{
    for (int v = 0; v < VIEWS; v++) {
        assert_int_equal(a->n[v], b->n[v]);
        for (uint32_t i = 0; i < a->n[v]; i++) {
            const cterm *x = &a->terms[a->at[v] + i], *y = &b->terms[b->at[v] + i];
            assert_true(x->id == y->id);
            assert_memory_equal(&x->w, &y->w, sizeof x->w);
            assert_true(y->idf == 0 && y->q == 0);
        }
    }
}

/* Each test's cache and two features (too large for the stack). */
typedef struct fixture {
    feature_cache *c;
    features *f, *g;
} fixture;

static int setup(void **state)
{
    fixture *x = calloc(1, sizeof *x);
    if (!x || sli_feature_cache_create(&x->c) || !(x->f = malloc(sizeof *x->f)) ||
        !(x->g = malloc(sizeof *x->g)))
        return -1;
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    fixture *x = *state;
    sli_feature_cache_free(x->c);
    free(x->f);
    free(x->g);
    free(x);
    return 0;
}

static void test_round_trip(void **state)
{
    fixture *x = *state;
    feature_cache *c = x->c;
    features *f = x->f, *g = x->g;
    sli_feature_cache_next_slice(c, 1);
    for (unsigned rid = 1; rid <= 500; rid++) {
        make(f, rid, 30);
        sli_feature_cache_put(c, rid, (int)rid - 250, f);
    }
    for (unsigned rid = 1; rid <= 500; rid++) {
        int day = 0;
        make(f, rid, 30);
        assert_true(sli_feature_cache_get(c, rid, &day, g));
        assert_int_equal(day, (int)rid - 250);
        assert_same(f, g);
    }
    int day;
    assert_false(sli_feature_cache_get(c, 501, &day, g));
    assert_true(sli_feature_cache_has(c, 500));
    assert_false(sli_feature_cache_has(c, 501));
    sli_feature_cache_free(NULL);
}

static void test_generations(void **state)
{
    fixture *x = *state;
    feature_cache *c = x->c;
    features *f = x->f, *g = x->g;
    int day;
    /* slice 1 puts rid 1; slice 2 puts rid 1 anew (updated) and rid 2 */
    sli_feature_cache_next_slice(c, 1);
    make(f, 10, 20);
    sli_feature_cache_put(c, 1, 5, f);
    sli_feature_cache_next_slice(c, 1);
    make(f, 11, 20);
    sli_feature_cache_put(c, 1, 6, f);
    make(f, 12, 20);
    sli_feature_cache_put(c, 2, 7, f);
    assert_true(sli_feature_cache_get(c, 1, &day, g));
    assert_int_equal(day, 6); /* the newest */
    make(f, 11, 20);
    assert_same(f, g);
    /* two slices on, slice 1 is gone but slice 2 is kept */
    sli_feature_cache_next_slice(c, 1);
    sli_feature_cache_next_slice(c, 1);
    assert_true(sli_feature_cache_get(c, 2, &day, g));
    assert_int_equal(day, 7);
    assert_true(sli_feature_cache_get(c, 1, &day, g));
    assert_int_equal(day, 6);
    /* one more: slice 2 forgotten too */
    sli_feature_cache_next_slice(c, 1);
    assert_false(sli_feature_cache_get(c, 1, &day, g));
    assert_false(sli_feature_cache_get(c, 2, &day, g));
}

/* Past the bound the oldest generation goes first, then the current one keeps no more:
 * what is kept is always the newest (an older generation's features of a rid are never
 * answered while a newer one's are forgotten). */
static void test_full(void **state)
{
    fixture *x = *state;
    feature_cache *c = x->c;
    features *f = x->f, *g = x->g;
    int day;
    sli_feature_cache_next_slice(c, 1);
    make(f, 3, 10);
    sli_feature_cache_put(c, 7, 1, f);
    sli_feature_cache_next_slice(c, 1);
    sli_feature_cache_put(c, 8, 2, f);
    sli_feature_cache_next_slice(c, 1);
    /* fill the third: full-size features until one is not kept */
    uint32_t at = 0;
    for (int v = 0; v < VIEWS; v++) {
        f->at[v] = at;
        at += f->n[v] = 38;
    }
    for (uint32_t i = 0; i < at; i++)
        f->terms[i] = (cterm){i + 1, 1.5f, 0, 0};
    long long rid = 1000;
    int seven_gone_at = 0, eight_gone_at = 0;
    for (;; rid++) {
        sli_feature_cache_put(c, rid, 0, f);
        int has7 = sli_feature_cache_get(c, 7, &day, g);
        int has8 = sli_feature_cache_get(c, 8, &day, g);
        assert_true(!has7 || has8); /* the older goes first */
        if (!has7 && !seven_gone_at)
            seven_gone_at = (int)rid;
        if (!has8 && !eight_gone_at)
            eight_gone_at = (int)rid;
        if (!sli_feature_cache_get(c, rid, &day, g))
            break;
        assert_true(rid < 10000000); /* the bound is 128 MiB */
    }
    assert_true(seven_gone_at > 0 && eight_gone_at > 0);
    assert_true(rid > 1000 + 10000); /* the current slice kept many */
    assert_true(sli_feature_cache_get(c, 1000, &day, g)); /* and keeps them */
    /* rid 8 noted again now (an updated article): not kept, and not answered */
    sli_feature_cache_put(c, 8, 3, f);
    assert_false(sli_feature_cache_get(c, 8, &day, g));
    assert_false(sli_feature_cache_has(c, 8));
    /* the next slice has room again: the oldest are forgotten for it */
    sli_feature_cache_next_slice(c, 1);
    make(f, 4, 10);
    sli_feature_cache_put(c, 8, 4, f);
    assert_true(sli_feature_cache_get(c, 8, &day, g));
    assert_int_equal(day, 4);
    assert_same(f, g);
}

/* A rid whose newest features are not kept (here an id past the 40 bits a term id has)
 * is not answered from an older generation; a slice that keeps nothing (a batch's last)
 * adds nothing; clear forgets all. */
static void test_marks(void **state)
{
    fixture *x = *state;
    feature_cache *c = x->c;
    features *f = x->f, *g = x->g;
    int day;
    sli_feature_cache_next_slice(c, 1);
    make(f, 5, 10);
    sli_feature_cache_put(c, 7, 1, f);
    sli_feature_cache_put(c, 9, 1, f);
    assert_true(sli_feature_cache_get(c, 7, &day, g));
    sli_feature_cache_next_slice(c, 1);
    f->terms[0].id = 1ull << 40; /* not a term id: not kept */
    sli_feature_cache_put(c, 7, 2, f);
    assert_false(sli_feature_cache_get(c, 7, &day, g));
    assert_false(sli_feature_cache_has(c, 7));
    assert_true(sli_feature_cache_has(c, 9)); /* the slice before still answers the rest */
    /* a slice that keeps nothing */
    sli_feature_cache_next_slice(c, 0);
    make(f, 6, 10);
    sli_feature_cache_put(c, 11, 3, f);
    assert_false(sli_feature_cache_has(c, 11));
    assert_true(sli_feature_cache_has(c, 9));
    sli_feature_cache_clear(c);
    assert_false(sli_feature_cache_has(c, 9));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_generations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_marks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
