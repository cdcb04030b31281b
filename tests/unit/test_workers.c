/* test_workers.c — the fork-join team: run hands fn to every thread once, the caller's as
 * thread 0; start and wait hand it to the others only, while the caller does something
 * else (the cleaner saves a chunk meanwhile), and wait returns once all of them are done. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_and_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
