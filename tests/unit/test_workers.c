/* test_workers.c — the fork-join team: run hands fn to every thread once, the caller's as
 * thread 0; start and wait hand it to the others only, while the caller does something
 * else (the cleaner saves a chunk meanwhile), and wait returns once all of them are done;
 * share runs each of n items once, on whichever thread takes it, all done when it returns;
 * share_beside does so while the caller first runs work of its own. */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/workers.h"

typedef struct tally {
    atomic_int runs[8];
    atomic_int total;
} tally;

static void count(void *user, unsigned i)
{
    tally *t = user;
    atomic_fetch_add(&t->runs[i], 1);
    atomic_fetch_add(&t->total, 1);
}

static void test_run_and_start(void **state)
{
    (void)state;
    workers *w = NULL;
    assert_int_equal(sli_workers_create(4, &w), SL_OK);
    unsigned n = sli_workers_count(w);
    assert_true(n >= 1 && n <= 4);
    tally t = {0};
    sli_workers_run(w, count, &t);
    for (unsigned i = 0; i < n; i++)
        assert_int_equal(atomic_load(&t.runs[i]), 1);
    for (int round = 0; round < 50; round++) {
        tally s = {0};
        sli_workers_start(w, count, &s);
        sli_workers_wait(w);
        /* every thread but the caller's, once each, all done when wait returns */
        assert_int_equal(atomic_load(&s.runs[0]), 0);
        for (unsigned i = 1; i < n; i++)
            assert_int_equal(atomic_load(&s.runs[i]), 1);
        assert_int_equal(atomic_load(&s.total), (int)n - 1);
    }
    /* and run again after: the generations stay in step */
    tally u = {0};
    sli_workers_run(w, count, &u);
    assert_int_equal(atomic_load(&u.total), (int)n);
    sli_workers_free(w);
}

#define ITEMS 3000

typedef struct items {
    atomic_int seen[ITEMS];
    atomic_int calls;
    atomic_int by_thread[8]; /* items each thread took */
    atomic_int bad_thread;   /* items given a thread index past the team */
    unsigned threads;        /* the team's size */
    atomic_uint sink; /* the work kept, so that it is done */
} items;

static void one_item(void *user, unsigned thread, size_t k)
{
    items *it = user;
    if (thread >= it->threads) { /* checked by the caller: cmocka's asserts are its own */
        atomic_fetch_add(&it->bad_thread, 1);
        return;
    }
    atomic_fetch_add(&it->by_thread[thread], 1);
    unsigned x = (unsigned)k;
    for (int i = 0; i < 200; i++) /* a little work, so that the threads overlap */
        x = x * 1103515245u + 12345u;
    atomic_store_explicit(&it->sink, x, memory_order_relaxed);
    atomic_fetch_add(&it->seen[k], 1);
    atomic_fetch_add(&it->calls, 1);
}

static void check_items(items *it, size_t n)
{
    assert_int_equal(atomic_load(&it->bad_thread), 0); /* each thread's scratch indexable */
    assert_int_equal(atomic_load(&it->calls), (int)n);
    int taken = 0;
    for (unsigned t = 0; t < it->threads; t++)
        taken += atomic_load(&it->by_thread[t]);
    assert_int_equal(taken, (int)n);
    for (size_t k = 0; k < ITEMS; k++)
        assert_int_equal(atomic_load(&it->seen[k]), k < n ? 1 : 0);
}

static void test_share(void **state)
{
    (void)state;
    workers *w = NULL;
    assert_int_equal(sli_workers_create(4, &w), SL_OK);
    unsigned n = sli_workers_count(w);
    static items it; /* large: not on the stack */
    /* sizes from none to many, one after another (a thread may wake for a share that is
     * over: it takes nothing of it, and items of the next only once that one is open);
     * each item exactly once, all done on return */
    const size_t sizes[] = {0, 1, 2, 3, 7, 64, ITEMS, 1, 500, ITEMS};
    for (int round = 0; round < 20; round++)
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            memset(&it, 0, sizeof it);
            it.threads = n;
            sli_workers_share(w, sizes[s], one_item, &it);
            check_items(&it, sizes[s]);
        }
    /* a share between runs and starts: the generations stay in step */
    tally t = {0};
    sli_workers_run(w, count, &t);
    assert_int_equal(atomic_load(&t.total), (int)n);
    memset(&it, 0, sizeof it);
    it.threads = n;
    sli_workers_share(w, ITEMS, one_item, &it);
    check_items(&it, ITEMS);
    tally u = {0};
    sli_workers_start(w, count, &u);
    sli_workers_wait(w);
    assert_int_equal(atomic_load(&u.total), (int)n - 1);
    sli_workers_free(w);

    /* a team of one: the caller takes every item */
    assert_int_equal(sli_workers_create(1, &w), SL_OK);
    memset(&it, 0, sizeof it);
    it.threads = 1;
    sli_workers_share(w, 100, one_item, &it);
    check_items(&it, 100);
    assert_int_equal(atomic_load(&it.by_thread[0]), 100);
    sli_workers_free(w);
}

/* The caller's work beside a share: the items a share of the other threads took before it
 * ended counted, so that the test sees they worked meanwhile. */
typedef struct beside {
    items *it;
    int want;      /* items meanwhile waits (a while at most) to see taken */
    int runs;      /* meanwhile's runs */
    int taken_by_others; /* items the other threads had taken when meanwhile ended */
} beside;

static void meanwhile(void *mine)
{
    beside *b = mine;
    b->runs++;
    /* long enough for a woken thread to take items (it is not required to) */
    for (int spin = 0; spin < 100000 && atomic_load(&b->it->calls) < b->want; spin++)
        sched_yield();
    int others = 0;
    for (unsigned t = 1; t < b->it->threads; t++)
        others += atomic_load(&b->it->by_thread[t]);
    b->taken_by_others = others;
}

/* share_beside: meanwhile runs once, on the caller, before the caller takes items; every
 * item once; the other threads take items while meanwhile runs; with no team (NULL) the
 * caller runs meanwhile, then every item. */
static void test_share_beside(void **state)
{
    (void)state;
    workers *w = NULL;
    assert_int_equal(sli_workers_create(4, &w), SL_OK);
    static items it;
    const size_t sizes[] = {0, 1, 2, 64, ITEMS};
    int others_worked = 0;
    for (int round = 0; round < 10; round++)
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            memset(&it, 0, sizeof it);
            it.threads = sli_workers_count(w);
            beside b = {&it, sizes[s] < 64 ? (int)sizes[s] : 64, 0, 0};
            sli_workers_share_beside(w, sizes[s], one_item, &it, meanwhile, &b);
            check_items(&it, sizes[s]);
            assert_int_equal(b.runs, 1);
            others_worked += b.taken_by_others > 0;
        }
    assert_true(others_worked > 0);
    sli_workers_free(w);

    memset(&it, 0, sizeof it);
    it.threads = 1;
    beside b = {&it, 0, 0, 0};
    sli_workers_share_beside(NULL, 100, one_item, &it, meanwhile, &b);
    check_items(&it, 100);
    assert_int_equal(b.runs, 1);
    assert_int_equal(atomic_load(&it.by_thread[0]), 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_and_start),
        cmocka_unit_test(test_share),
        cmocka_unit_test(test_share_beside),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
