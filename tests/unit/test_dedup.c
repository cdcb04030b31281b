/* test_dedup.c — the dedup stage's data structures: the in-memory key index finds every
 * value added under a key and nothing of other keys, the Bloom filter never forgets a key
 * and rarely imagines one, and exact shingle sets (radix-sorted) give the Jaccard and
 * containment of a definition by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/bloom.h"
#include "dedup/key_index.h"
#include "dedup/shingle_set.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

typedef struct found {
    uint32_t v[64];
    size_t n;
} found;

static void on_value(void *user, uint32_t value)
{
    found *f = user;
    if (f->n < 64)
        f->v[f->n++] = value;
}

static void test_key_index_finds_every_value(void **state)
{
    (void)state;
    enum { KEYS = 50000 };
    uint64_t *keys = malloc(KEYS * sizeof *keys);
    key_index *ix;
    assert_int_equal(sli_key_index_create(KEYS * 2, &ix), SL_OK);
    assert_non_null(ix);
    for (uint32_t i = 0; i < KEYS; i++) {
        keys[i] = next_rand();
        assert_int_equal(sli_key_index_add(ix, keys[i], i), SL_OK);
    }
    /* Every fifth key a second value, added later: found first. */
    for (uint32_t i = 0; i < KEYS; i += 5)
        assert_int_equal(sli_key_index_add(ix, keys[i], KEYS + i), SL_OK);
    for (uint32_t i = 0; i < KEYS; i++) {
        found f = {0};
        sli_key_index_each(ix, keys[i], on_value, &f);
        if (i % 5 == 0) {
            assert_int_equal(f.n, 2);
            assert_int_equal(f.v[0], KEYS + i);
            assert_int_equal(f.v[1], i);
        } else {
            assert_int_equal(f.n, 1);
            assert_int_equal(f.v[0], i);
        }
    }
    /* Keys never added find nothing: these differ from added ones in the top bit (the
     * slot) or in the lowest (the tag kept in the slot). */
    size_t stray = 0;
    for (uint32_t i = 0; i < KEYS; i++) {
        found f = {0};
        sli_key_index_each(ix, keys[i] ^ 1ull << 63, on_value, &f);
        sli_key_index_each(ix, keys[i] ^ 1u, on_value, &f);
        stray += f.n;
    }
    assert_int_equal(stray, 0);
    assert_true(sli_key_index_bytes(ix) <= (size_t)KEYS * 2 * 20);
    sli_key_index_free(ix);
    free(keys);
}

static void test_key_index_full_and_empty(void **state)
{
    (void)state;
    key_index *ix;
    assert_int_equal(sli_key_index_create(3, &ix), SL_OK);
    assert_int_equal(sli_key_index_add(ix, 7, 1), SL_OK);
    assert_int_equal(sli_key_index_add(ix, 7, 2), SL_OK);
    assert_int_equal(sli_key_index_add(ix, 8, 3), SL_OK);
    /* full: refused, not overrun */
    assert_int_equal(sli_key_index_add(ix, 9, 4), SL_ERR_TOO_BIG);
    found f = {0};
    sli_key_index_each(ix, 9, on_value, &f);
    assert_int_equal(f.n, 0);
    sli_key_index_free(ix);
    sli_key_index_free(NULL);
    assert_int_equal(sli_key_index_create(0, &ix), SL_OK);
    assert_non_null(ix);
    key_index *ix2 = ix; /* set to NULL on error */
    assert_int_equal(sli_key_index_create((size_t)UINT32_MAX, &ix2), SL_ERR_TOO_BIG);
    assert_null(ix2);
    sli_key_index_each(ix, 1, on_value, &f);
    assert_int_equal(f.n, 0);
    sli_key_index_free(ix);
}

static void test_bloom(void **state)
{
    (void)state;
    enum { KEYS = 100000 };
    bloom b;
    assert_int_equal(sli_bloom_init(&b, KEYS), SL_OK);
    uint64_t seed = rng;
    for (int i = 0; i < KEYS; i++)
        sli_bloom_add(&b, next_rand());
    rng = seed;
    for (int i = 0; i < KEYS; i++)
        assert_true(sli_bloom_maybe(&b, next_rand()));
    int false_pos = 0;
    for (int i = 0; i < KEYS; i++)
        false_pos += sli_bloom_maybe(&b, next_rand());
    assert_true(false_pos < KEYS / 100); /* designed for about 0.3% */
    sli_bloom_free(&b);
}

/* Placed by the caller (ascending places fill the blocks in order): every key added is
 * found with its place, and keys not added (random places) rarely are, as unplaced. */
static void test_bloom_placed(void **state)
{
    (void)state;
    enum { KEYS = 100000 };
    bloom b;
    assert_int_equal(sli_bloom_init(&b, KEYS), SL_OK);
    uint64_t seed = rng;
    for (uint32_t i = 0; i < KEYS; i++) /* places ascending, as a b-tree's scan gives */
        sli_bloom_add_placed(&b, i * (UINT32_MAX / KEYS), next_rand());
    rng = seed;
    for (uint32_t i = 0; i < KEYS; i++)
        assert_true(sli_bloom_maybe_placed(&b, i * (UINT32_MAX / KEYS), next_rand()));
    int false_pos = 0;
    for (int i = 0; i < KEYS; i++) {
        uint64_t k = next_rand();
        false_pos += sli_bloom_maybe_placed(&b, (uint32_t)(k >> 32), k);
    }
    assert_true(false_pos < KEYS / 100);
    /* A key added is not found at another block's place. */
    bloom one;
    assert_int_equal(sli_bloom_init(&one, 1), SL_OK); /* 128 blocks */
    sli_bloom_add_placed(&one, 0, 42);
    assert_true(sli_bloom_maybe_placed(&one, 0, 42));
    assert_false(sli_bloom_maybe_placed(&one, UINT32_MAX, 42));
    sli_bloom_free(&one);
    sli_bloom_free(&b);
}

/* Sized by bits a key or by blocks: every key added found; the share of absent keys
 * found within what bloom.h says of each size (measured at 1M keys: 8 bits 2.5%, 10
 * 1.25%, 16 0.27%), and the blocks as asked for (at least 128). */
static void test_bloom_sizes(void **state)
{
    (void)state;
    enum { KEYS = 50000 };
    static const struct {
        unsigned bits;
        int most_in_10000; /* false positives */
    } sizes[] = {{8, 350}, {10, 180}, {16, 50}};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        bloom b;
        assert_int_equal(sli_bloom_init_bits(&b, KEYS, sizes[s].bits), SL_OK);
        assert_int_equal(b.blocks, (KEYS * sizes[s].bits + 511) / 512);
        uint64_t seed = rng;
        for (int i = 0; i < KEYS; i++)
            sli_bloom_add(&b, next_rand());
        rng = seed;
        for (int i = 0; i < KEYS; i++)
            assert_true(sli_bloom_maybe(&b, next_rand()));
        int false_pos = 0;
        for (int i = 0; i < 10000; i++)
            false_pos += sli_bloom_maybe(&b, next_rand());
        assert_true(false_pos <= sizes[s].most_in_10000);
        assert_true(false_pos > 0); /* a filter, not a set */
        sli_bloom_free(&b);
    }
    bloom b;
    assert_int_equal(sli_bloom_init_blocks(&b, 1000), SL_OK);
    assert_int_equal(b.blocks, 1000);
    assert_int_equal(sli_bloom_bytes(&b), 64000);
    sli_bloom_free(&b);
    assert_int_equal(sli_bloom_init_blocks(&b, 3), SL_OK);
    assert_int_equal(b.blocks, 128);
    sli_bloom_free(&b);
    assert_int_equal(sli_bloom_init_bits(&b, 10, 0), SL_ERR_TOO_BIG);
}

/* A text of n distinct words: w0 w1 ... */
static char *words(int from, int n)
{
    char *t = malloc((size_t)n * 12 + 1), *p = t;
    for (int i = 0; i < n; i++)
        p += sprintf(p, "%sw%d", i ? " " : "", from + i);
    *p = '\0';
    return t;
}

static void test_shingle_sets(void **state)
{
    (void)state;
    shingle_set a = {0}, b = {0};
    /* 104 words: 100 shingles; the first 54 words of them: 50 shingles, all shared. */
    char *ta = words(0, 104), *tb = words(0, 54);
    assert_int_equal(sli_shingle_set_of(&a, ta, strlen(ta)), SL_OK);
    assert_int_equal(sli_shingle_set_of(&b, tb, strlen(tb)), SL_OK);
    assert_int_equal(a.n, 100);
    assert_int_equal(b.n, 50);
    for (size_t i = 1; i < a.n; i++)
        assert_true(a.v[i - 1] < a.v[i]); /* sorted, distinct */
    double j, c;
    sli_shingle_set_compare(&a, &b, &j, &c);
    assert_true(j > 0.4999 && j < 0.5001);
    assert_true(c > 0.9999);
    /* Disjoint words: nothing shared. */
    char *tc = words(1000, 60);
    assert_int_equal(sli_shingle_set_of(&b, tc, strlen(tc)), SL_OK);
    sli_shingle_set_compare(&a, &b, &j, &c);
    assert_true(j == 0 && c == 0);
    /* A text repeating itself: one shingle per distinct run of 5 words. */
    char rep[1400] = "";
    for (int i = 0; i < 50; i++)
        strcat(rep, "one two three four five ");
    assert_int_equal(sli_shingle_set_of(&b, rep, strlen(rep)), SL_OK);
    assert_int_equal(b.n, 5);
    /* Empty text: an empty set, and comparisons with it are 0. */
    assert_int_equal(sli_shingle_set_of(&b, "", 0), SL_OK);
    sli_shingle_set_compare(&a, &b, &j, &c);
    assert_true(b.n == 0 && j == 0 && c == 0);
    sli_shingle_set_free(&a);
    sli_shingle_set_free(&b);
    free(ta);
    free(tb);
    free(tc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_index_finds_every_value),
        cmocka_unit_test(test_key_index_full_and_empty),
        cmocka_unit_test(test_bloom),
        cmocka_unit_test(test_bloom_placed),
        cmocka_unit_test(test_bloom_sizes),
        cmocka_unit_test(test_shingle_sets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
