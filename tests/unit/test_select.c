/* test_select.c — the inline selection and sort (core/select.h) against qsort: random
 * arrays of every size up to 300 and past the insertion bound, and the inputs that break a
 * naive quicksort (sorted, reversed, organ pipe, a few distinct high bits); every k from 0
 * to n for the selection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/select.h"

static inline int before(const long long *x, const long long *y)
{
    return *x < *y;
}

SLI_DEFINE_SELECT(select_ll, long long, before)
SLI_DEFINE_SORT(sort_ll, long long, before)

static int by_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* a[0..n) distinct, in one of five shapes. */
static void fill(long long *a, size_t n, int shape, uint64_t *seed)
{
    for (size_t i = 0; i < n; i++) {
        *seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
        long long r = (long long)(*seed >> 20); /* distinct whp; made distinct below */
        switch (shape) {
        case 0: a[i] = r * 1024 + (long long)i; break;              /* random */
        case 1: a[i] = (long long)i; break;                          /* sorted */
        case 2: a[i] = (long long)(n - i); break;                    /* reversed */
        case 3: a[i] = i < n / 2 ? 2 * (long long)i : 2 * (long long)(n - i) + 1; break; /* organ pipe */
        default: a[i] = ((long long)(i % 3) << 40) + (long long)i; break; /* high bits */
        }
    }
}

static void test_sort(void **state)
{
    (void)state;
    uint64_t seed = 7;
    long long a[1000], b[1000];
    for (int shape = 0; shape < 5; shape++)
        for (size_t n = 0; n <= 1000; n += n < 40 ? 1 : 37) {
            fill(a, n, shape, &seed);
            memcpy(b, a, n * sizeof *a);
            sort_ll(a, n);
            qsort(b, n, sizeof *b, by_ll);
            assert_memory_equal(a, b, n * sizeof *a);
        }
}

static void test_select(void **state)
{
    (void)state;
    uint64_t seed = 11;
    long long a[300], b[300], c[300];
    for (int shape = 0; shape < 5; shape++)
        for (size_t n = 0; n <= 300; n += n < 40 ? 1 : 23)
            for (size_t k = 0; k <= n; k++) {
                fill(a, n, shape, &seed);
                memcpy(b, a, n * sizeof *a);
                qsort(b, n, sizeof *b, by_ll);
                memcpy(c, a, n * sizeof *a);
                select_ll(c, n, k);
                /* the k first are b[0..k) (as a set), the rest the others */
                qsort(c, k, sizeof *c, by_ll);
                qsort(c + k, n - k, sizeof *c, by_ll);
                assert_memory_equal(c, b, n * sizeof *c);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort),
        cmocka_unit_test(test_select),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
