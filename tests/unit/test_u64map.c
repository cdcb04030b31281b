/* test_u64map.c — the core hash table (core/u64map.h): a map and a set of 64-bit keys,
 * checked against a plain reference on random operations, key 0 and keys that differ only
 * in their high bits included; clear, reserve and iteration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/u64map.h"

static void test_map_basics(void **state)
{
    (void)state;
    u64map m = {0}; /* zeroed: an empty map that allocates on the first put */
    assert_null(sli_u64map_get(&m, 1));
    assert_false(sli_u64map_has(&m, 0));
    for (uint64_t k = 1; k <= 5000; k++) {
        int added;
        uint64_t *v;
        assert_int_equal(sli_u64map_put(&m, k, &v, &added), SL_OK);
        assert_non_null(v);
        assert_true(added);
        *v = k * 3;
    }
    int added;
    uint64_t *v;
    assert_int_equal(sli_u64map_put(&m, 77, &v, &added), SL_OK);
    assert_int_equal(*v, 231);
    assert_false(added);
    assert_int_equal(m.n, 5000);
    for (uint64_t k = 1; k <= 5000; k++)
        assert_int_equal(*sli_u64map_get(&m, k), k * 3);
    assert_null(sli_u64map_get(&m, 5001));
    assert_false(sli_u64map_has(&m, 5001));

    /* key 0 is a key like another */
    assert_null(sli_u64map_get(&m, 0));
    assert_int_equal(sli_u64map_put(&m, 0, &v, &added), SL_OK);
    assert_true(added);
    assert_int_equal(*v, 0);
    *v = 9;
    assert_int_equal(sli_u64map_put(&m, 0, &v, &added), SL_OK);
    assert_false(added);
    assert_int_equal(*sli_u64map_get(&m, 0), 9);
    assert_int_equal(m.n, 5001);

    /* clear empties it and keeps its room */
    size_t slots = m.mask + 1;
    sli_u64map_clear(&m);
    assert_int_equal(m.n, 0);
    assert_int_equal(m.mask + 1, slots);
    assert_null(sli_u64map_get(&m, 77));
    assert_null(sli_u64map_get(&m, 0));

    sli_u64map_free(&m);
    assert_null(sli_u64map_get(&m, 1));
    sli_u64map_free(&m); /* twice: left empty */
}

static void test_set(void **state)
{
    (void)state;
    u64map s;
    assert_int_equal(sli_u64map_init_set(&s, 4), SL_OK);
    assert_null(s.val);
    int added;
    uint64_t *v = (uint64_t *)&added;
    /* 2k and 2k+1 are two keys (an earlier set merged them) */
    for (uint64_t k = 0; k < 1000; k++) {
        assert_int_equal(sli_u64map_put(&s, k, &v, &added), SL_OK);
        assert_null(v); /* a set holds no values */
        assert_true(added);
    }
    for (uint64_t k = 0; k < 1000; k++) {
        assert_int_equal(sli_u64map_put(&s, k, NULL, &added), SL_OK);
        assert_false(added);
        assert_true(sli_u64map_has(&s, k));
        assert_null(sli_u64map_get(&s, k));
    }
    assert_false(sli_u64map_has(&s, 1000));
    assert_int_equal(s.n, 1000);
    sli_u64map_clear(&s);
    assert_false(sli_u64map_has(&s, 0));
    assert_false(sli_u64map_has(&s, 5));
    assert_int_equal(sli_u64map_put(&s, 5, NULL, &added), SL_OK);
    assert_true(added);
    assert_null(s.val); /* still a set */
    sli_u64map_free(&s);
}

/* reserve: room for n keys, so that adding them neither moves the values nor fails. */
static void test_reserve(void **state)
{
    (void)state;
    u64map m = {0};
    assert_int_equal(sli_u64map_reserve(&m, 1000), SL_OK);
    size_t slots = m.mask + 1;
    assert_true(slots >= 2000);
    uint64_t *first;
    assert_int_equal(sli_u64map_put(&m, 1, &first, NULL), SL_OK);
    *first = 42;
    for (uint64_t k = 2; k <= 1000; k++)
        assert_int_equal(sli_u64map_put(&m, k << 40, NULL, NULL), SL_OK);
    assert_int_equal(m.mask + 1, slots); /* no growth: the first value did not move */
    assert_int_equal(*first, 42);
    assert_int_equal(sli_u64map_reserve(&m, 10), SL_OK); /* never shrinks */
    assert_int_equal(m.mask + 1, slots);
    assert_int_equal(sli_u64map_reserve(&m, 5000), SL_OK); /* grows, keeping what it holds */
    assert_true(m.mask + 1 >= 10000);
    assert_int_equal(*sli_u64map_get(&m, 1), 42);
    for (uint64_t k = 2; k <= 1000; k++)
        assert_true(sli_u64map_has(&m, k << 40));
    sli_u64map_free(&m);
}

static int by_key(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Property: random puts and lookups agree with a plain list of (key, value) pairs, on
 * keys drawn from a small range (many repeats), from the high bits only, and with 0;
 * iteration gives each key once with its value. */
static void test_against_reference(void **state)
{
    (void)state;
    uint64_t seed = 7;
    for (int round = 0; round < 40; round++) {
        int set = round % 4 == 3;
        u64map m = {0};
        if (set)
            assert_int_equal(sli_u64map_init_set(&m, (size_t)round), SL_OK);
        size_t cap = 3000, n = 0;
        uint64_t(*ref)[2] = calloc(cap, sizeof *ref);
        assert_non_null(ref);
        uint64_t range = 1 + (uint64_t)round * 37;
        for (int op = 0; op < 2500; op++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            uint64_t key = (seed >> 33) % range;
            if (round % 2)
                key <<= 40; /* keys apart only in their high bits */
            size_t at = 0;
            while (at < n && ref[at][0] != key)
                at++;
            if (op % 3 == 2) { /* a lookup */
                assert_int_equal(sli_u64map_has(&m, key), at < n);
                if (!set && at < n)
                    assert_int_equal(*sli_u64map_get(&m, key), ref[at][1]);
                else
                    assert_null(sli_u64map_get(&m, key));
                continue;
            }
            int added;
            uint64_t *v;
            assert_int_equal(sli_u64map_put(&m, key, &v, &added), SL_OK);
            assert_int_equal(added, at == n);
            if (at == n) {
                ref[n][0] = key;
                ref[n++][1] = 0;
            }
            if (!set) {
                assert_int_equal(*v, ref[at][1]);
                *v = ref[at][1] = ref[at][1] + (seed & 0xffff) + 1;
            }
        }
        assert_int_equal(m.n, n);
        uint64_t(*seen)[2] = calloc(n + 1, sizeof *seen);
        assert_non_null(seen);
        size_t k = 0;
        uint64_t key, val;
        for (size_t pos = 0; sli_u64map_next(&m, &pos, &key, &val);) {
            assert_true(k < n);
            seen[k][0] = key;
            seen[k++][1] = val;
        }
        assert_int_equal(k, n);
        qsort(seen, n, sizeof *seen, by_key);
        qsort(ref, n, sizeof *ref, by_key);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(seen[i][0], ref[i][0]);
            assert_int_equal(seen[i][1], set ? 0 : ref[i][1]);
        }
        free(seen);
        free(ref);
        sli_u64map_free(&m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_basics),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_reserve),
        cmocka_unit_test(test_against_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
