/* test_key_blocks.c — the dedup index's settled keys packed into blocks
 * (src/store/key_blocks.c): a search through the blocks and the recent rows gives what a
 * table of (key, rid) rows gave, the lowest `max` rids of the key, whatever the merges in
 * between; a damaged block is an error, not a wrong answer. Property test against a
 * model: random keys (a few hot ones with more rids than a block keeps, the ends of the
 * 32-bit range), merged at random points. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scratch.h"
#include "storyline.h"
#include "store/store.h"
#include "store/store_impl.h" /* sli_store_exec: a block damaged */

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* The model: every (key as stored, rid) pair added, kept sorted when asked. */
typedef struct {
    long long key, rid;
} pair;

static pair *model;
static size_t nmodel, capmodel;

static void model_add(long long key, long long rid)
{
    if (nmodel == capmodel) {
        capmodel = capmodel ? capmodel * 2 : 1024;
        model = realloc(model, capmodel * sizeof *model);
        assert_non_null(model);
    }
    model[nmodel++] = (pair){key, rid};
}

static int by_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->rid < y->rid ? -1 : x->rid > y->rid;
}

/* A test's end: the dedup handle closed, its transaction rolled back, the store and the
 * model freed, the folder removed. */
static void close_all(store_dedup *d, sl_store *st, const char *dir)
{
    sli_store_dedup_close(d);
    sli_store_rollback(st);
    sl_store_free(st);
    free(model);
    model = NULL;
    nmodel = capmodel = 0;
    remove_tree(dir);
}

/* The model's answer for key: its distinct rids, ascending, max at most. */
static int model_find(long long key, int max, long long *out)
{
    int n = 0;
    long long last = -1;
    for (size_t i = 0; i < nmodel && n < max; i++)
        if (model[i].key == key && model[i].rid != last)
            out[n++] = last = model[i].rid;
    return n;
}

typedef struct {
    long long rids[STORE_KEY_MAX_RIDS + 1];
    int n;
} found;

static void collect(void *user, long long rid)
{
    found *f = user;
    assert_true(f->n <= STORE_KEY_MAX_RIDS);
    f->rids[f->n++] = rid;
}

/* A 64-bit key whose stored form (its low 32 bits, sign extended) is `stored`, with high
 * bits that the index drops. */
static uint64_t whole_key(long long stored)
{
    return (next_rand() << 32) | (uint32_t)stored;
}

static void merge_recent(sl_store *st)
{
    assert_int_equal(sli_store_key_blocks_merge(st, sli_dedup_blocks(), "lsh_blocks",
                                                "SELECT key, rid FROM lsh_recent ORDER BY key, rid"),
                     SL_OK);
    assert_int_equal(sli_store_exec(st, "DELETE FROM lsh_recent"), SL_OK);
}

/* Every key of the model (and some absent ones) searched with several `max`. */
static void check_all(store_dedup *d, const long long *keys, size_t nkeys)
{
    qsort(model, nmodel, sizeof *model, by_pair);
    static const int maxes[] = {1, 5, STORE_KEY_MAX_RIDS};
    for (size_t k = 0; k < nkeys; k++)
        for (size_t m = 0; m < sizeof maxes / sizeof *maxes; m++) {
            long long want[STORE_KEY_MAX_RIDS];
            int nw = model_find(keys[k], maxes[m], want);
            found f = {.n = 0};
            assert_int_equal(sli_store_dedup_candidates(d, 0, whole_key(keys[k]), maxes[m],
                                                        collect, &f),
                             SL_OK);
            assert_int_equal(f.n, nw);
            for (int i = 0; i < nw; i++)
                assert_int_equal(f.rids[i], want[i]);
        }
}

/* Entries of the blocks, walked in order: (key, rid) strictly ascending, each a pair of
 * the model, and no key with more than STORE_KEY_MAX_RIDS. */
typedef struct {
    long long key, rid;
    int any, run;
    size_t n;
} walk;

static void walked(void *user, long long key, long long rid)
{
    walk *w = user;
    assert_true(key >= INT32_MIN && key <= INT32_MAX);
    if (w->any) {
        assert_true(key > w->key || (key == w->key && rid > w->rid));
        w->run = key == w->key ? w->run + 1 : 1;
    } else {
        w->run = 1;
    }
    assert_true(w->run <= STORE_KEY_MAX_RIDS);
    pair p = {key, rid};
    assert_non_null(bsearch(&p, model, nmodel, sizeof *model, by_pair));
    *w = (walk){key, rid, 1, w->run, w->n + 1};
}

static void test_blocks_as_rows(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("key-blocks", dir, db, &st), 0);
    assert_int_equal(sli_store_begin(st), SL_OK);
    store_dedup d;
    assert_int_equal(sli_store_dedup_open(st, &d), SL_OK);

    /* keys: the ends of the range, 0 and -1, hot keys, and many of one or two rids */
    enum { NKEYS = 3000 };
    static long long keys[NKEYS + 40];
    size_t nkeys = 0;
    keys[nkeys++] = INT32_MIN;
    keys[nkeys++] = INT32_MAX;
    keys[nkeys++] = 0;
    keys[nkeys++] = -1;
    for (int i = 0; i < 6; i++) /* hot keys: far more rids than a block keeps of one */
        keys[nkeys++] = (long long)(int32_t)(uint32_t)next_rand();
    while (nkeys < NKEYS) {
        /* clustered keys, so that blocks hold runs of close keys and long gaps */
        uint32_t base = (uint32_t)next_rand() & 0xFFFFF000u;
        for (int j = 0; j < 8 && nkeys < NKEYS; j++)
            keys[nkeys++] = (long long)(int32_t)(base | ((uint32_t)next_rand() & 0xFFF));
    }
    long long rid = 1;
    for (int round = 0; round < 6; round++) {
        for (int i = 0; i < 4000; i++, rid++) {
            size_t k = i % 5 == 0 ? next_rand() % 10 : next_rand() % nkeys;
            /* a rid given again under a key it has (as an updated article's keys) */
            long long r = i % 97 == 0 && rid > 10 ? rid - 1 - (long long)(next_rand() % 10) : rid;
            assert_int_equal(sli_store_dedup_add_key(&d, 0, whole_key(keys[k]), r), SL_OK);
            model_add(keys[k], r);
        }
        check_all(&d, keys, 200); /* some in the recent rows only */
        if (round != 3) /* once, two rounds' keys recent at once */
            merge_recent(st);
        check_all(&d, keys, nkeys);
    }
    /* absent keys: nothing */
    for (int i = 0; i < 200; i++) {
        long long k = (long long)(int32_t)(uint32_t)next_rand();
        found f = {.n = 0};
        assert_int_equal(sli_store_dedup_candidates(&d, 0, whole_key(k), STORE_KEY_MAX_RIDS,
                                                    collect, &f),
                         SL_OK);
        long long want[STORE_KEY_MAX_RIDS];
        assert_int_equal(f.n, model_find(k, STORE_KEY_MAX_RIDS, want));
    }
    /* more than a block keeps is refused, not answered short */
    found f = {.n = 0};
    assert_int_equal(sli_store_dedup_candidates(&d, 0, whole_key(keys[0]),
                                                STORE_KEY_MAX_RIDS + 1, collect, &f),
                     SL_ERR_INVALID);

    /* the walk over every block */
    walk w = {0};
    assert_int_equal(sli_store_key_blocks_each(st, sli_dedup_blocks(), "lsh_blocks", walked, &w), SL_OK);
    assert_true(w.n > 0);
    long long blocks = 0;
    {
        sqlite3_stmt *s;
        assert_int_equal(sli_store_prepare(st, "SELECT count(*), max(length(entries))"
                                               " FROM lsh_blocks", &s), SL_OK);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        blocks = sqlite3_column_int64(s, 0);
        /* a block is cut at 32 entries, a hot key's 64 kept whole: a few hundred bytes */
        assert_true(sqlite3_column_int64(s, 1) < 1000);
        sqlite3_finalize(s);
    }
    assert_true(blocks > (long long)w.n / 100 && blocks < (long long)w.n / 16);

    /* a damaged block: an error naming it, for a search and for the walk */
    assert_int_equal(sli_store_exec(st, "UPDATE lsh_blocks SET entries = x'ffffffffffffffffffffff'"
                                        " WHERE block = (SELECT min(block) FROM lsh_blocks)"),
                     SL_OK);
    f.n = 0;
    assert_int_equal(sli_store_dedup_candidates(&d, 0, whole_key(INT32_MIN), STORE_KEY_MAX_RIDS,
                                                collect, &f),
                     SL_ERR_STORE);
    assert_non_null(strstr(sl_store_errmsg(st), "the dedup index is damaged"));
    w = (walk){0};
    assert_int_equal(sli_store_key_blocks_each(st, sli_dedup_blocks(), "lsh_blocks", walked, &w), SL_ERR_STORE);
    /* a block of a rowid no key has (past 2^32 - 1): damaged too */
    assert_int_equal(sli_store_exec(st, "DELETE FROM lsh_blocks WHERE block = (SELECT min(block)"
                                        " FROM lsh_blocks);"
                                        "INSERT INTO lsh_blocks VALUES(4294967296, x'0001')"),
                     SL_OK);
    w = (walk){0};
    assert_int_equal(sli_store_key_blocks_each(st, sli_dedup_blocks(), "lsh_blocks", walked, &w), SL_ERR_STORE);

    close_all(&d, st, dir);
}

/* The block at `offset` in rowid order: its rowid and its entries' bytes (malloc'd). */
static long long block_at(sl_store *st, int offset, char **hex)
{
    sqlite3_stmt *s;
    assert_int_equal(sli_store_prepare(st, "SELECT block, hex(entries) FROM lsh_blocks"
                                           " ORDER BY block LIMIT 1 OFFSET ?1", &s),
                     SL_OK);
    sqlite3_bind_int(s, 1, offset);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long block = sqlite3_column_int64(s, 0);
    *hex = strdup((const char *)sqlite3_column_text(s, 1));
    assert_non_null(*hex);
    sqlite3_finalize(s);
    return block;
}

/* A merge reads the blocks a chunk (256) at a time: a chunk that no new key falls in is
 * left as it was, and a new key equal to the first key of a chunk's first block (the
 * bound of the chunk before) is merged into that block, not left before it. */
static void test_merge_chunks(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("key-blocks-chunks", dir, db, &st), 0);
    assert_int_equal(sli_store_begin(st), SL_OK);
    store_dedup d;
    assert_int_equal(sli_store_dedup_open(st, &d), SL_OK);
    /* 20,000 keys, 16 apart, one rid each: 625 blocks of 32, three chunks */
    for (long long k = 0; k < 20000; k++)
        assert_int_equal(sli_store_dedup_add_key(&d, 0, whole_key(INT32_MIN + 16 * k), k + 1),
                         SL_OK);
    merge_recent(st);
    char *first = NULL, *bound_hex = NULL, *last_hex = NULL;
    long long b0 = block_at(st, 0, &first);
    long long bound = block_at(st, 256, &bound_hex); /* the second chunk's first block */
    long long last = block_at(st, 624, &last_hex);
    assert_int_equal(b0, 0);
    /* a new rid under the bound's key, and one in the last block */
    long long at_bound = bound - 0x80000000LL, in_last = last - 0x80000000LL + 3;
    assert_int_equal(sli_store_dedup_add_key(&d, 0, whole_key(at_bound), 90001), SL_OK);
    assert_int_equal(sli_store_dedup_add_key(&d, 0, whole_key(in_last), 90002), SL_OK);
    merge_recent(st);
    /* the first chunk untouched; the bound's block still first with the bound's key */
    char *first2 = NULL, *bound2_hex = NULL;
    assert_int_equal(block_at(st, 0, &first2), 0);
    assert_string_equal(first2, first);
    assert_int_equal(block_at(st, 256, &bound2_hex), bound);
    assert_string_not_equal(bound2_hex, bound_hex);
    found f = {.n = 0};
    assert_int_equal(sli_store_dedup_candidates(&d, 0, whole_key(at_bound), STORE_KEY_MAX_RIDS,
                                                collect, &f),
                     SL_OK);
    assert_int_equal(f.n, 2);
    assert_int_equal(f.rids[0], 256 * 32 + 1);
    assert_int_equal(f.rids[1], 90001);
    f.n = 0;
    assert_int_equal(sli_store_dedup_candidates(&d, 0, whole_key(in_last), STORE_KEY_MAX_RIDS,
                                                collect, &f),
                     SL_OK);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.rids[0], 90002);
    assert_int_equal(sli_store_dedup_candidates(&d, 0, whole_key(0), -1, collect, &f),
                     SL_ERR_INVALID);
    free(first);
    free(bound_hex);
    free(last_hex);
    free(first2);
    free(bound2_hex);
    sli_store_dedup_close(&d);
    sli_store_rollback(st);
    sl_store_free(st);
    remove_tree(dir);
}

/* A version-10 store (keys as rows in lsh and paras, more in the recent tables, some
 * pairs in both) migrated by a writer's open: every key's candidates are the rows' (the
 * union, rids in order), from the blocks and the recent rows; the row tables gone. */
static void test_migrated_rows(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("key-blocks-v10", dir, db, &st), 0);
    assert_int_equal(sli_store_exec(st,
                                    "DROP TABLE lsh_blocks; DROP TABLE paras_blocks;"
                                    "CREATE TABLE lsh(key INTEGER NOT NULL, rid INTEGER NOT NULL,"
                                    "  PRIMARY KEY(key, rid)) WITHOUT ROWID;"
                                    "CREATE TABLE paras(key INTEGER NOT NULL, rid INTEGER NOT NULL,"
                                    "  PRIMARY KEY(key, rid)) WITHOUT ROWID;"
                                    "PRAGMA user_version=10"),
                     SL_OK);
    sqlite3_stmt *rows, *recent;
    assert_int_equal(sli_store_prepare(st, "INSERT OR IGNORE INTO lsh VALUES(?1, ?2)", &rows),
                     SL_OK);
    assert_int_equal(sli_store_prepare(st, "INSERT OR IGNORE INTO lsh_recent VALUES(?1, ?2)",
                                       &recent),
                     SL_OK);
    enum { NKEYS = 500 };
    static long long keys[NKEYS];
    for (int k = 0; k < NKEYS; k++)
        keys[k] = k < 2 ? (k ? INT32_MAX : INT32_MIN) : (long long)(int32_t)(uint32_t)next_rand();
    for (int i = 0; i < 6000; i++) {
        size_t at = i % 7 == 0 ? (size_t)(i % 3) : (size_t)(next_rand() % NKEYS);
        long long key = keys[at], rid = 1 + i;
        int where = i % 10; /* 0-6 the rows, 7-8 recent, 9 both */
        if (where <= 6 || where == 9) {
            sqlite3_bind_int64(rows, 1, key);
            sqlite3_bind_int64(rows, 2, rid);
            assert_int_equal(sqlite3_step(rows), SQLITE_DONE);
            sqlite3_reset(rows);
        }
        if (where >= 7) {
            sqlite3_bind_int64(recent, 1, key);
            sqlite3_bind_int64(recent, 2, rid);
            assert_int_equal(sqlite3_step(recent), SQLITE_DONE);
            sqlite3_reset(recent);
        }
        model_add(key, rid);
    }
    sqlite3_finalize(rows);
    sqlite3_finalize(recent);
    sl_store_free(st);

    assert_int_equal(sl_store_open(db, 0, &st), SL_OK); /* migrated */
    sqlite3_stmt *s;
    assert_int_equal(sli_store_prepare(st, "SELECT (SELECT user_version FROM pragma_user_version),"
                                           " (SELECT count(*) FROM sqlite_schema"
                                           "  WHERE name IN ('lsh', 'paras'))", &s),
                     SL_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), STORE_SCHEMA_VERSION);
    assert_int_equal(sqlite3_column_int(s, 1), 0);
    sqlite3_finalize(s);
    assert_int_equal(sli_store_begin(st), SL_OK);
    store_dedup d;
    assert_int_equal(sli_store_dedup_open(st, &d), SL_OK);
    check_all(&d, keys, NKEYS);
    close_all(&d, st, dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_as_rows),
        cmocka_unit_test(test_merge_chunks),
        cmocka_unit_test(test_migrated_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
