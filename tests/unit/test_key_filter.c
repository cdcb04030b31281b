/* test_key_filter.c — the dedup stage's filter of stored keys, kept on the store handle
 * across batches (src/store/key_filter.c): it must hold every stored key, whoever wrote
 * it, or not be used at all; and the recent keys' tables (src/store/families.c), which
 * searches and the filter's scan must read as well as the large ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "corpus.h"
#include "scratch.h"
#include "store/store.h"
#include "store/store_impl.h" /* sli_store_prepare: the tables counted */

static corpus *gen;

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* A copy's text: the article's, or a word added to each of its lines (a near copy: found
 * through the band keys only, not as the same text nor by a paragraph). */
static int near_copies;

/* Articles [from, to) of the generator, and a copy (another id and outlet) of article
 * copy_of when it is >= 0, in one batch through st. */
static void batch(sl_store *st, long long from, long long to, long long copy_of)
{
    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(st, NULL, &b), SL_OK);
    for (long long k = from; k < to; k++) {
        corpus_article a;
        assert_int_equal(corpus_article_n(gen, (uint64_t)k, &a), 0);
        sl_article_input in = {.id = a.id, .source = a.source, .date = a.date,
                               .title = a.title, .text = a.text, .text_len = a.text_len};
        assert_int_equal(sl_batch_add_article(b, &in), SL_OK);
    }
    if (copy_of >= 0) {
        corpus_article a;
        assert_int_equal(corpus_article_n(gen, (uint64_t)copy_of, &a), 0);
        char id[64];
        snprintf(id, sizeof id, "%s-copy", a.id);
        char *near = NULL;
        size_t near_len = 0;
        if (near_copies) { /* a word before each line's end: no paragraph the same */
            near = malloc(a.text_len * 2 + 8);
            assert_non_null(near);
            for (size_t i = 0; i < a.text_len; i++) {
                if (a.text[i] == '\n') {
                    memcpy(near + near_len, " Noon", 5);
                    near_len += 5;
                }
                near[near_len++] = a.text[i];
            }
            memcpy(near + near_len, " Noon", 5);
            near_len += 5;
        }
        sl_article_input in = {.id = id, .source = "copies.example", .date = a.date,
                               .title = a.title, .text = near ? near : a.text,
                               .text_len = near ? near_len : a.text_len};
        assert_int_equal(sl_batch_add_article(b, &in), SL_OK);
        free(near);
    }
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
}

/* The family of the copy of article k and of article k itself: both the same, not none. */
static void assert_copy_found(sl_store *st, long long k)
{
    corpus_article a;
    assert_int_equal(corpus_article_n(gen, (uint64_t)k, &a), 0);
    char id[64];
    snprintf(id, sizeof id, "%s-copy", a.id);
    sl_article *orig = NULL, *copy = NULL;
    assert_int_equal(sl_store_get_article(st, a.id, 0, &orig), SL_OK);
    assert_int_equal(sl_store_get_article(st, id, 0, &copy), SL_OK);
    assert_non_null(copy->family);
    assert_non_null(orig->family);
    assert_string_equal(copy->family, orig->family);
    sl_article_free(orig);
    sl_article_free(copy);
}

static long long filter_keys(sl_store *st)
{
    int links, grown;
    uint64_t bytes;
    return sli_store_dedup_filter_keys(st, &links, &grown, &bytes);
}

/* Keys saved through one handle go into its filter as they are saved: it grows links
 * past its capacity, holds every key, is made one filter again when a batch's searches
 * pay for a scan, keeps keys a rolled back transaction saved (harmless), and is
 * dropped by a clear. */
static void test_filter_holds_saved_keys(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("keyfilter", dir, db, &st), 0);
    enum { KEYS = 30000 };
    uint64_t *keys = malloc(KEYS * sizeof *keys);
    assert_non_null(keys);
    for (int i = 0; i < KEYS; i++)
        keys[i] = next_rand();

    assert_int_equal(sli_store_begin(st), SL_OK);
    const store_key_filter *f;
    assert_int_equal(sli_store_dedup_filter_plan(st, 0, 100, &f), SL_OK);
    assert_non_null(f); /* an empty store: made at no cost */
    store_dedup d;
    assert_int_equal(sli_store_dedup_open(st, &d), SL_OK);
    for (int i = 0; i < KEYS; i++)
        assert_int_equal(sli_store_dedup_add_key(&d, i & 1, keys[i], 1 + i % 50), SL_OK);
    int links, grown;
    uint64_t bytes;
    assert_int_equal(sli_store_dedup_filter_keys(st, &links, &grown, &bytes), KEYS);
    assert_true(links > 1); /* sized for 200 keys: grown */
    for (int i = 0; i < KEYS; i++)
        assert_true(sli_store_dedup_filter_maybe(f, i & 1, keys[i]));
    /* a paragraph key is not a band key */
    int other = 0;
    for (int i = 0; i < KEYS; i++)
        other += sli_store_dedup_filter_maybe(f, !(i & 1), keys[i]);
    assert_true(other < KEYS / 50);
    assert_int_equal(sli_store_commit(st), SL_OK);

    /* Saved and rolled back: the filter is dropped (it could lack keys the rollback
     * took back in: test_rolled_back_clear_filters). */
    assert_int_equal(sli_store_begin(st), SL_OK);
    assert_int_equal(sli_store_dedup_add_key(&d, 0, 42, 7), SL_OK);
    assert_int_equal(filter_keys(st), KEYS + 1);
    sli_store_rollback(st);
    assert_int_equal(filter_keys(st), -1);

    /* A large batch: the filter is made again, one link, from the store. */
    assert_int_equal(sli_store_begin(st), SL_OK);
    assert_int_equal(sli_store_dedup_filter_plan(st, KEYS, KEYS, &f), SL_OK);
    assert_non_null(f);
    assert_int_equal(sli_store_dedup_filter_keys(st, &links, &grown, &bytes), KEYS);
    assert_int_equal(links, 1);
    assert_true(bytes <= 2 * 2 * KEYS * 2 + 8192); /* 16 bits a key, room for twice */
    for (int i = 0; i < KEYS; i++)
        assert_true(sli_store_dedup_filter_maybe(f, i & 1, keys[i]));
    int false_pos = 0;
    for (int i = 0; i < KEYS; i++)
        false_pos += sli_store_dedup_filter_maybe(f, 0, next_rand());
    assert_true(false_pos < KEYS / 100);
    /* A small batch into a store whose keys are many: no scan, the filter kept; after a
     * rollback that is not one (a commit came first), still kept. */
    assert_int_equal(sli_store_commit(st), SL_OK);
    sli_store_rollback(st);
    assert_int_equal(filter_keys(st), KEYS);
    assert_int_equal(sli_store_begin(st), SL_OK);
    assert_int_equal(sli_store_dedup_filter_plan(st, 1000000000, 10, &f), SL_OK);
    assert_non_null(f);
    assert_int_equal(sli_store_dedup_clear(st), SL_OK);
    assert_int_equal(filter_keys(st), -1);
    sli_store_rollback(st);
    /* ... and with none kept, no scan either. */
    assert_int_equal(sli_store_begin(st), SL_OK);
    assert_int_equal(sli_store_dedup_filter_plan(st, 1000000000, 10, &f), SL_OK);
    assert_null(f);
    assert_int_equal(filter_keys(st), -1);
    sli_store_rollback(st);
    sli_store_dedup_close(&d);
    free(keys);
    scratch_close(st, dir);
}

/* Another connection adds an article between two batches of one handle: the handle's
 * filter lacks its keys, so it must not be used; a copy of that article is found. */
static void test_other_connection_between_batches(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *a, *b;
    assert_int_equal(scratch_store("keyfilter-two", dir, db, &a), 0);
    batch(a, 0, 40, -1); /* the filter made (empty), sized for twice this batch's keys */
    batch(a, 40, 45, -1);
    int links, grown;
    uint64_t bytes;
    assert_true(sli_store_dedup_filter_keys(a, &links, &grown, &bytes) > 0); /* kept */
    assert_int_equal(grown, 0); /* so the next batch would use it as it is */
    assert_int_equal(sl_store_open(db, 0, &b), SL_OK);
    batch(b, 100, 101, -1);
    sl_store_free(b);
    batch(a, 45, 50, 100); /* a copy of what the other connection wrote */
    assert_copy_found(a, 100);
    batch(a, 50, 55, 10); /* and of what this one wrote, the filter made again */
    assert_copy_found(a, 10);
    scratch_close(a, dir);
}

/* The keys cleared in a transaction rolled back: they are stored still, so the filter
 * the handle keeps must hold them (dropped and made again, not emptied). */
static void test_clear_rolled_back(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("keyfilter-clear", dir, db, &st), 0);
    batch(st, 0, 40, -1);
    batch(st, 40, 45, -1);
    int links, grown;
    uint64_t bytes;
    assert_true(sli_store_dedup_filter_keys(st, &links, &grown, &bytes) > 0);
    assert_int_equal(grown, 0); /* the next batch would use it as it is */
    assert_int_equal(sli_store_begin(st), SL_OK);
    assert_int_equal(sli_store_dedup_clear(st), SL_OK);
    sli_store_rollback(st);
    batch(st, 40, 45, 5);
    assert_copy_found(st, 5);
    scratch_close(st, dir);
}

/* One number from the store. */
static long long count_of(sl_store *st, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sli_store_prepare(st, sql, &s), SL_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

/* The settled keys (the blocks'), each asked of a filter: *keys of them, how many it
 * says are not stored returned. */
typedef int (*maybe_fn)(const void *filter, int paragraphs, uint64_t key);

struct key_check {
    maybe_fn maybe;
    const void *filter;
    int paragraphs;
    long long keys, missed;
};

static void check_key(void *user, long long key, long long rid)
{
    (void)rid;
    struct key_check *c = user;
    c->keys++;
    c->missed += !c->maybe(c->filter, c->paragraphs, (uint64_t)key);
}

static long long settled_keys_missed(sl_store *st, maybe_fn maybe, const void *filter,
                                     long long *keys)
{
    static const char *const tables[2] = {"lsh_blocks", "paras_blocks"};
    struct key_check c = {maybe, filter, 0, 0, 0};
    for (c.paragraphs = 0; c.paragraphs < 2; c.paragraphs++)
        assert_int_equal(sli_store_key_blocks_each(st, sli_dedup_blocks(), tables[c.paragraphs],
                                                   check_key, &c),
                         SL_OK);
    *keys = c.keys;
    return c.missed;
}

static int saved_maybe(const void *st, int paragraphs, uint64_t key)
{
    int maybe;
    assert_int_equal(sli_store_dedup_settled_maybe((sl_store *)st, paragraphs, key, &maybe),
                     SL_OK);
    return maybe;
}

static int handle_maybe(const void *f, int paragraphs, uint64_t key)
{
    return sli_store_dedup_filter_maybe(f, paragraphs, key);
}

/* Through st's saved filter, read as a small batch into a large store would read it. */
static long long settled_missed(sl_store *st, long long *keys)
{
    assert_int_equal(sli_store_begin(st), SL_OK);
    long long version;
    assert_int_equal(sl_store_data_version(st, &version), SL_OK);
    assert_int_equal(sli_store_settled_filter_plan(st, 1000, 1, version), SL_OK);
    assert_non_null(st->settled);
    long long missed = settled_keys_missed(st, saved_maybe, st, keys);
    assert_int_equal(sli_store_commit(st), SL_OK);
    return missed;
}

/* Through st's own filter, as a large batch would use it. */
static long long handle_missed(sl_store *st, long long *keys)
{
    assert_int_equal(sli_store_begin(st), SL_OK);
    const store_key_filter *f;
    assert_int_equal(sli_store_dedup_filter_plan(st, 1000, 1000, &f), SL_OK);
    assert_non_null(f);
    long long missed = settled_keys_missed(st, handle_maybe, f, keys);
    assert_int_equal(sli_store_commit(st), SL_OK);
    return missed;
}

/* Keys in the recent tables are found as those in the large ones: by a handle that
 * searches the b-trees (no filter), and by one whose filter a scan made; they are merged
 * into the large tables once the store has grown by more than a sixteenth since the last
 * merge, and not before. */
static void test_recent_keys(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *a, *b, *c;
    assert_int_equal(scratch_store("keyfilter-recent", dir, db, &a), 0);
    near_copies = 1;
    static const char recent[] = "SELECT (SELECT count(*) FROM lsh_recent)"
                                 " + (SELECT count(*) FROM paras_recent)";
    static const char settled[] = "SELECT value FROM counters WHERE name='dedup_settled'";
    batch(a, 0, 64, -1); /* rids 1-64: merged at once (nothing stored before) */
    assert_int_equal(count_of(a, recent), 0);
    assert_true(count_of(a, "SELECT count(*) FROM lsh_blocks") > 0);
    assert_int_equal(count_of(a, settled), 64);
    batch(a, 64, 66, -1); /* rids 65-66: 2 x 16 <= 64, recent */
    assert_true(count_of(a, recent) > 0);
    assert_int_equal(count_of(a, settled), 64);
    sl_store_free(a);
    /* Searched in both b-trees: a copy of article 64, whose keys are recent only. */
    assert_int_equal(sl_store_open(db, 0, &b), SL_OK);
    batch(b, 66, 66, 64); /* rid 67: 3 x 16 <= 64 */
    assert_int_equal(filter_keys(b), -1); /* no filter: each key searched */
    assert_copy_found(b, 64);
    assert_true(count_of(b, recent) > 0);
    sl_store_free(b);
    /* A filter made when 3 articles' searches pay for it, from the settled keys' saved
     * filter and a scan of the recent keys (two links as built), holds the recent keys: a
     * copy of article 65 is found; then 70 articles, 6 x 16 > 64: merged. */
    assert_int_equal(sl_store_open(db, 0, &c), SL_OK);
    batch(c, 66, 68, 65);
    int links, grown;
    uint64_t bytes;
    assert_true(sli_store_dedup_filter_keys(c, &links, &grown, &bytes) > 0);
    assert_int_equal(links, 2);
    assert_int_equal(grown, 0);
    long long keys;
    assert_int_equal(handle_missed(c, &keys), 0); /* every settled key, through link 0 */
    assert_true(keys > 64 * 30);
    assert_copy_found(c, 65);
    assert_int_equal(count_of(c, recent), 0);
    assert_int_equal(count_of(c, settled), 70);
    batch(c, 68, 69, 66); /* after the merge, from the large tables */
    assert_copy_found(c, 66);
    assert_true(count_of(c, recent) > 0);
    /* A clear empties them too (and the counter). */
    assert_int_equal(sli_store_begin(c), SL_OK);
    assert_int_equal(sli_store_dedup_clear(c), SL_OK);
    assert_int_equal(count_of(c, recent), 0);
    assert_int_equal(count_of(c, "SELECT count(*) FROM counters WHERE name='dedup_settled'"), 0);
    sli_store_rollback(c);
    scratch_close(c, dir);
    near_copies = 0;
}

/* --- the settled keys' saved filter (src/store/settled_filter.c) --- */

static const char filter_rows[] = "SELECT count(*) FROM dedup_filter";
static const char filter_counter[] =
    "SELECT count(*) FROM counters WHERE name='dedup_filter_blocks' AND value > 0";

/* A batch whose keys are settled leaves a filter of them in the store, which a later
 * handle reads: it holds every settled key, answers most absent keys, and a near copy
 * of a settled article is found through it; a later settle makes it again with the keys
 * it merged. */
static void test_settled_filter_saved(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *a, *b;
    assert_int_equal(scratch_store("keyfilter-settled", dir, db, &a), 0);
    near_copies = 1;
    batch(a, 0, 64, -1); /* rids 1-64, merged at once: settled */
    assert_int_equal(count_of(a, filter_counter), 1);
    assert_true(count_of(a, filter_rows) > 0);
    sl_store_free(a);

    assert_int_equal(sl_store_open(db, 0, &b), SL_OK);
    long long keys;
    assert_int_equal(settled_missed(b, &keys), 0);
    assert_true(keys > 64 * 30);
    int absent = 0;
    for (int i = 0; i < 10000; i++)
        absent += !saved_maybe(b, i & 1, next_rand());
    assert_true(absent > 9900);
    /* Its own filter none (no scan pays), the saved one read: the copy found. */
    sli_store_settled_filter_forget(b);
    batch(b, 64, 64, 10); /* rid 65 */
    assert_int_equal(filter_keys(b), -1);
    assert_non_null(b->settled);
    /* the keys settled nowhere not searched: 14 of the copy's (the rest its original's) */
    assert_true(b->settled_spared >= 10);
    assert_copy_found(b, 10);
    /* Articles 64-69 (rids 66-71): 7 x 16 > 64, merged; the filter made again. */
    batch(b, 64, 70, -1);
    assert_int_equal(count_of(b, "SELECT value FROM counters WHERE name='dedup_settled'"), 71);
    assert_int_equal(count_of(b, filter_counter), 1);
    sl_store_free(b);
    assert_int_equal(sl_store_open(db, 0, &b), SL_OK);
    long long more;
    assert_int_equal(settled_missed(b, &more), 0);
    assert_true(more > keys);
    batch(b, 70, 70, 67); /* a near copy of article 67, settled by that merge */
    assert_copy_found(b, 67);
    /* A clear deletes it, in its transaction. */
    assert_int_equal(sli_store_begin(b), SL_OK);
    assert_int_equal(sli_store_dedup_clear(b), SL_OK);
    assert_int_equal(count_of(b, filter_rows), 0);
    assert_int_equal(count_of(b, filter_counter), 0);
    assert_null(b->settled);
    sli_store_rollback(b);
    assert_int_equal(count_of(b, filter_counter), 1);
    scratch_close(b, dir);
    near_copies = 0;
}

/* Statements of st's connection in progress (a blob handle is one). */
static int statements_busy(sl_store *st)
{
    int n = 0;
    for (sqlite3_stmt *s = sqlite3_next_stmt(st->db, NULL); s; s = sqlite3_next_stmt(st->db, s))
        n += sqlite3_stmt_busy(s) != 0;
    return n;
}

/* A small batch reads the saved filter a block at a time, each block once, as its keys
 * ask; a large batch's handle filter then begins with the whole filter, read again. */
static void test_settled_filter_blocks(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("keyfilter-blocks", dir, db, &st), 0);
    batch(st, 0, 64, -1); /* settled, the filter made */
    sl_store_free(st);
    assert_int_equal(sl_store_open(db, 0, &st), SL_OK);
    assert_int_equal(sli_store_begin(st), SL_OK);
    long long version;
    assert_int_equal(sl_store_data_version(st, &version), SL_OK);
    assert_int_equal(sli_store_settled_filter_plan(st, 1000, 1, version), SL_OK);
    assert_non_null(st->settled);
    assert_int_equal(st->settled_blocks_read, 0); /* nothing read until asked */
    uint64_t keys[3] = {next_rand(), next_rand(), next_rand()};
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 3; i++)
            (void)saved_maybe(st, i & 1, keys[i]);
    assert_true(st->settled_blocks_read >= 1 && st->settled_blocks_read <= 3);
    uint64_t read = st->settled_blocks_read;
    assert_true(statements_busy(st) > 0); /* the blob handle */
    assert_int_equal(sli_store_commit(st), SL_OK);
    assert_int_equal(statements_busy(st), 0); /* its blob handle closed first */
    for (int i = 0; i < 3; i++) /* the blocks read are kept: none read again */
        (void)saved_maybe(st, i & 1, keys[i]);
    assert_int_equal(st->settled_blocks_read, read);
    /* Every settled key passes, read a block at a time; then a handle filter taken from
     * it holds them all too (the whole filter read for it). */
    long long all, again;
    assert_int_equal(settled_missed(st, &all), 0);
    assert_true(st->settled_blocks_read > read);
    assert_int_equal(handle_missed(st, &again), 0);
    assert_int_equal(again, all);
    /* A rollback closes it too. */
    sli_store_settled_filter_forget(st);
    assert_int_equal(sli_store_begin(st), SL_OK);
    assert_int_equal(sli_store_settled_filter_plan(st, 1000, 1, version), SL_OK);
    (void)saved_maybe(st, 0, next_rand());
    assert_true(statements_busy(st) > 0);
    sli_store_rollback(st);
    assert_int_equal(statements_busy(st), 0);
    scratch_close(st, dir);
}

/* A clear rolled back after a filter was made from what it left: the handle must not
 * keep that filter, which lacks the keys the rollback took back in. */
static void test_rolled_back_clear_filters(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("keyfilter-rollback", dir, db, &st), 0);
    near_copies = 1;
    batch(st, 0, 64, -1);
    assert_int_equal(sli_store_begin(st), SL_OK);
    assert_int_equal(sli_store_dedup_clear(st), SL_OK);
    /* one key settled (its block: the gap 0, rid 1), and a filter made of it */
    assert_int_equal(sli_store_exec(st, "INSERT INTO lsh_blocks(block, entries)"
                                        " VALUES(0, x'0001')"), SL_OK);
    assert_int_equal(sli_store_dedup_keep_filter(st), SL_OK);
    assert_non_null(st->settled);
    assert_int_equal(count_of(st, filter_counter), 1);
    sli_store_rollback(st);
    assert_null(st->settled);
    batch(st, 64, 64, 10);
    assert_copy_found(st, 10);
    scratch_close(st, dir);
    near_copies = 0;
}

/* A damaged filter (a part of another size, a part missing, a size no filter has): the
 * batch that would read it searches every key instead (a near copy of a settled article
 * found), deletes it, and makes it again at its end. */
static void test_settled_filter_damaged(void **state)
{
    (void)state;
    static const char *const damage[] = {
        "UPDATE dedup_filter SET bits = x'00' WHERE part = 0",
        "DELETE FROM dedup_filter",
        "UPDATE counters SET value = 5 WHERE name = 'dedup_filter_blocks'",
    };
    near_copies = 1;
    for (size_t k = 0; k < sizeof damage / sizeof *damage; k++) {
        char dir[64], db[128];
        sl_store *st;
        assert_int_equal(scratch_store("keyfilter-damaged", dir, db, &st), 0);
        batch(st, 0, 64, -1);
        long long blocks = count_of(st, "SELECT value FROM counters"
                                        " WHERE name = 'dedup_filter_blocks'");
        assert_int_equal(sli_store_exec(st, damage[k]), SL_OK);
        sl_store_free(st);
        assert_int_equal(sl_store_open(db, 0, &st), SL_OK);
        batch(st, 64, 64, 10 + (long long)k);
        assert_int_equal(st->settled_spared, 0); /* every key searched */
        assert_non_null(st->settled); /* made again at the batch's end, kept */
        assert_copy_found(st, 10 + (long long)k);
        assert_int_equal(count_of(st, "SELECT value FROM counters"
                                      " WHERE name = 'dedup_filter_blocks'"), blocks);
        sl_store_free(st);
        assert_int_equal(sl_store_open(db, 0, &st), SL_OK);
        long long keys;
        assert_int_equal(settled_missed(st, &keys), 0);
        scratch_close(st, dir);
    }
    near_copies = 0;
}

/* Another connection settles keys after this handle read (or made) the filter: the
 * handle's copy is forgotten, whichever way the next batch searches (here through a
 * filter of its own, which a scan makes), and a near copy of an article the other
 * connection settled is found. */
static void test_settled_filter_other_connection(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *a, *b;
    assert_int_equal(scratch_store("keyfilter-stale", dir, db, &a), 0);
    near_copies = 1;
    batch(a, 0, 64, -1); /* settled; the filter made and kept on a */
    assert_non_null(a->settled);
    assert_int_equal(sl_store_open(db, 0, &b), SL_OK);
    batch(b, 64, 200, -1); /* settled again, by b */
    sl_store_free(b);
    batch(a, 200, 210, 150);
    assert_copy_found(a, 150);
    scratch_close(a, dir);
    near_copies = 0;
}

/* A store of version 14 (no filter) migrated by a writer: the filter made from its
 * blocks; a reader reads it as it is before that. */
static void test_settled_filter_migrated(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("keyfilter-v14", dir, db, &st), 0);
    batch(st, 0, 64, -1);
    assert_int_equal(sli_store_exec(st, "DROP TABLE dedup_filter;"
                                        " DELETE FROM counters WHERE name='dedup_filter_blocks';"
                                        " PRAGMA user_version=14"),
                     SL_OK);
    sl_store_free(st);
    assert_int_equal(sl_store_open(db, SL_OPEN_READONLY, &st), SL_OK);
    sl_store_free(st);
    assert_int_equal(sl_store_open(db, 0, &st), SL_OK);
    assert_int_equal(count_of(st, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(count_of(st, filter_counter), 1);
    sli_store_settled_filter_forget(st); /* the rows read, not the migration's copy */
    long long keys;
    assert_int_equal(settled_missed(st, &keys), 0);
    assert_true(keys > 64 * 30);
    scratch_close(st, dir);
}

static int setup_corpus(void **state)
{
    (void)state;
    gen = corpus_create(31, 1500);
    return gen ? 0 : -1;
}

static int teardown_corpus(void **state)
{
    (void)state;
    corpus_free(gen);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filter_holds_saved_keys),
        cmocka_unit_test(test_other_connection_between_batches),
        cmocka_unit_test(test_clear_rolled_back),
        cmocka_unit_test(test_recent_keys),
        cmocka_unit_test(test_settled_filter_saved),
        cmocka_unit_test(test_settled_filter_blocks),
        cmocka_unit_test(test_rolled_back_clear_filters),
        cmocka_unit_test(test_settled_filter_damaged),
        cmocka_unit_test(test_settled_filter_other_connection),
        cmocka_unit_test(test_settled_filter_migrated),
    };
    return cmocka_run_group_tests(tests, setup_corpus, teardown_corpus);
}
