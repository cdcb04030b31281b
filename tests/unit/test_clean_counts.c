/* test_clean_counts.c — a batch's line counts (clean/clean_counts.c), through the store:
 * each distinct short line counted once per article and per source, pairs whose keys in the
 * core table collide kept apart, the counts added to the store at a flush, and counting
 * going on after it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "clean/clean_store.h"
#include "scratch.h"

/* clean_counts.c's mix of the source id (copied: the pair (hash, source) is found under
 * hash ^ mix(source)); a test below makes two pairs collide with it. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x9E3779B97F4A7C15ull;
    return x ^ x >> 29;
}

/* Note one article of `source` whose lines have these hashes (and these lengths). */
static void note(clean_counts *c, sl_store *st, const char *source, const uint64_t *hash,
                 const int *chars, size_t n)
{
    clean_line lines[8];
    assert_true(n <= 8);
    memset(lines, 0, sizeof lines);
    for (size_t i = 0; i < n; i++) {
        lines[i].hash = hash[i];
        lines[i].chars = chars ? chars[i] : 40;
    }
    clean_result r;
    memset(&r, 0, sizeof r);
    r.lines = lines;
    r.n = n;
    assert_int_equal(sli_clean_counts_note(c, st, source, &r), SL_OK);
}

static long count(sl_store *st, long long source, uint64_t hash)
{
    store_line_reader rd;
    long same = -1, sources = -1;
    assert_int_equal(sli_store_line_reader_open(st, &rd), SL_OK);
    assert_int_equal(sli_store_line_lookup(&rd, source, hash, &same, &sources), SL_OK);
    sli_store_line_reader_close(&rd);
    return same;
}

static void test_counts(void **state)
{
    (void)state;
    char dir[] = "/tmp/sl-test-counts-XXXXXX", db[64];
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/s.db", dir);
    sl_store *st;
    assert_int_equal(sl_store_open(db, SL_OPEN_CREATE, &st), SL_OK);
    long long a, b;
    assert_int_equal(sli_store_source_id(st, "a.example", &a), SL_OK);
    assert_int_equal(sli_store_source_id(st, "b.example", &b), SL_OK);
    assert_true(a != b);
    clean_counts *c;
    assert_int_equal(sli_clean_counts_create(&c), SL_OK);
    assert_non_null(c);

    const uint64_t h1 = 0x1234567890abcdefull, h2 = 0, h3 = 77;
    /* (b, hc) is found under the same key as (a, h1) */
    const uint64_t hc = h1 ^ mix((uint64_t)a) ^ mix((uint64_t)b);
    note(c, st, "a.example", (uint64_t[]){h1, h1, h2, h3}, (int[]){40, 40, 1, 301}, 4);
    note(c, st, "a.example", (uint64_t[]){h1}, NULL, 1);
    note(c, st, "b.example", (uint64_t[]){hc, h1}, NULL, 2);
    note(c, st, "a.example", (uint64_t[]){h2}, NULL, 1);
    note(c, st, "b.example", (uint64_t[]){hc}, NULL, 1);
    assert_int_equal(count(st, a, h1), 0); /* nothing in the store before the flush */
    assert_int_equal(sli_clean_counts_flush(c, st), SL_OK);

    assert_int_equal(count(st, a, h1), 2); /* twice in the first article: counted once */
    assert_int_equal(count(st, a, h2), 2); /* hash 0 is a hash like another */
    assert_int_equal(count(st, a, h3), 0); /* longer than CLEAN_COUNTED_CHARS: not counted */
    assert_int_equal(count(st, b, hc), 2); /* its key collides with (a, h1)'s: kept apart */
    assert_int_equal(count(st, b, h1), 1);
    assert_int_equal(count(st, a, hc), 0);

    /* After a flush the batch's table is empty; what follows adds to the store's counts. */
    note(c, st, "a.example", (uint64_t[]){h1}, NULL, 1);
    note(c, st, "b.example", (uint64_t[]){h3}, NULL, 1);
    assert_int_equal(sli_clean_counts_flush(c, st), SL_OK);
    assert_int_equal(count(st, a, h1), 3);
    assert_int_equal(count(st, b, h3), 1);
    assert_int_equal(count(st, b, hc), 2);
    assert_int_equal(sli_clean_counts_flush(c, st), SL_OK); /* nothing: no change */
    assert_int_equal(count(st, a, h1), 3);

    /* Many distinct lines: the entries and the table grow past their first room. */
    for (uint64_t i = 0; i < 3000; i++)
        note(c, st, "b.example", (uint64_t[]){1000 + 2 * i, 1001 + 2 * i}, NULL, 2);
    note(c, st, "b.example", (uint64_t[]){1000, 6999}, NULL, 2);
    assert_int_equal(sli_clean_counts_flush(c, st), SL_OK);
    assert_int_equal(count(st, b, 1000), 2);
    assert_int_equal(count(st, b, 6999), 2);
    assert_int_equal(count(st, b, 4000), 1);
    assert_int_equal(count(st, a, 1000), 0);

    sli_clean_counts_free(c);
    sli_clean_counts_free(NULL);
    sl_store_free(st);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
