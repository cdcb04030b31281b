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

/* `n` articles of `source`, each printing the line "Share this story" and a line of its
 * own. */
static void add_shared(sl_store *st, const char *source, int from, int n)
{
    sl_batch *b;
    assert_int_equal(sl_batch_begin(st, NULL, &b), SL_OK);
    for (int i = from; i < from + n; i++) {
        char id[32], text[256];
        snprintf(id, sizeof id, "%s-%d", source, i);
        snprintf(text, sizeof text,
                 "The ferry to island %d ran late on Monday after a storm.\n\n"
                 "Share this story\n",
                 i);
        sl_article_input in = {.id = id, .source = source, .text = text};
        assert_int_equal(sl_batch_add_article(b, &in), SL_OK);
    }
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
}

/* A batch's counts go to line_counts_recent, are read with line_counts (a pair's counts
 * summed, a line's sources counted once across both), and are merged into line_counts
 * once the articles since the last merge pass a sixteenth of those before it (lines.c). */
static void test_recent_counts(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("counts-recent", dir, db, &st), 0);
    static const char recent[] = "SELECT count(*) FROM line_counts_recent";
    add_shared(st, "a.example", 0, 32); /* nothing stored before: merged at once */
    assert_int_equal(scratch_int(db, recent), 0);
    long long share = scratch_int(db, "SELECT hash FROM line_counts WHERE articles = 32");
    assert_true(share != 0);
    add_shared(st, "a.example", 32, 1); /* 2 x 16 <= 32: kept recent */
    add_shared(st, "b.example", 0, 1);
    assert_int_equal(scratch_int(db, recent), 4);
    long long a, b, none;
    assert_int_equal(sli_store_source_find(st, "a.example", &a, &none), SL_OK);
    assert_int_equal(sli_store_source_find(st, "b.example", &b, &none), SL_OK);
    store_line_reader rd;
    long same = -1, sources = -1;
    assert_int_equal(sli_store_line_reader_open(st, &rd), SL_OK);
    assert_int_equal(sli_store_line_lookup(&rd, a, (uint64_t)share, &same, &sources), SL_OK);
    assert_int_equal(same, 33); /* 32 merged + 1 recent */
    assert_int_equal(sources, 2); /* a in both tables, b in the recent one */
    assert_int_equal(sli_store_line_lookup(&rd, b, (uint64_t)share, &same, &sources), SL_OK);
    assert_int_equal(same, 1);
    sli_store_line_reader_close(&rd);
    add_shared(st, "b.example", 1, 8); /* 10 x 16 > 32: merged, the sums kept */
    assert_int_equal(scratch_int(db, recent), 0);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT group_concat(articles, '') FROM (SELECT articles FROM"
             " line_counts WHERE hash = %lld ORDER BY source)", share);
    assert_int_equal(scratch_int(db, sql), 339); /* a 33, b 9 */
    assert_int_equal(scratch_int(db, "SELECT value FROM counters WHERE name='lines_settled'"),
                     42);
    sl_store_free(st);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_recent_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
