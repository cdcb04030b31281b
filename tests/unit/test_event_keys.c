/* test_event_keys.c — a search of the stored events by key term (sli_store_event_by_key)
 * through the packed blocks, the recent rows and the forgotten ones: the newest `max`
 * events, each once, as a model of the three sets gives them, whether the blocks are read
 * whole or, once the store's blocks are known to be in order (counter event_keys_ordered),
 * a large block's last key from its end (src/store/key_blocks.c). Property test: hot terms
 * with thousands of events (blocks of many kB, some after small keys in the same block),
 * event ids of one to six bytes, pairs deleted and forgotten, terms whose search takes
 * exactly `max` plus the forgotten of their settled events, merges between rounds; and
 * how each block was read (in order: none read whole). A block out of order under the
 * counter is read whole; the settle puts a block's events in order, for a store whose
 * migration folded two terms into one. */
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
#include "store/store_impl.h" /* sli_store_exec, the blocks' functions */

/* The merge cuts a block between two keys once it holds this many entries
 * (KEY_BLOCK_ENTRIES, key_blocks.c): a search relies on it. */
#define BLOCK_ENTRIES 32
#define TERMS 64
#define MOST_EVENTS 6000

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* One term's events in a set: a sorted array, each once. */
typedef struct {
    long long *v;
    size_t n, cap;
} set;

static int set_find(const set *s, long long e, size_t *at)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->v[mid] < e)
            lo = mid + 1;
        else
            hi = mid;
    }
    *at = lo;
    return lo < s->n && s->v[lo] == e;
}

static void set_add(set *s, long long e)
{
    size_t at;
    if (set_find(s, e, &at))
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        assert_non_null(s->v);
    }
    memmove(s->v + at + 1, s->v + at, (s->n - at) * sizeof *s->v);
    s->v[at] = e;
    s->n++;
}

static void set_del(set *s, long long e)
{
    size_t at;
    if (!set_find(s, e, &at))
        return;
    memmove(s->v + at, s->v + at + 1, (s->n - at - 1) * sizeof *s->v);
    s->n--;
}

/* The model: per term, the settled pairs (in the blocks), the recent ones and the
 * forgotten ones. */
static set settled[TERMS], recent[TERMS], gone[TERMS];

/* Term i's id: spread, so that blocks hold runs of several terms. */
static uint64_t term_of(int i)
{
    return (uint64_t)i * 7919u + 3u;
}

/* An event id of one to six bytes as a varint. */
static long long random_event(void)
{
    static const int bits[] = {6, 13, 20, 27, 34, 40};
    return 1 + (long long)(next_rand() % (1ull << bits[next_rand() % 6]));
}

static void exec(sl_store *st, const char *sql)
{
    assert_int_equal(sli_store_exec(st, sql), SL_OK);
}

/* Rows into table (term, event[, op]) through one statement. */
static void insert_row(sqlite3_stmt *s, uint64_t term, long long event, int op)
{
    sqlite3_bind_int64(s, 1, (sqlite3_int64)term);
    sqlite3_bind_int64(s, 2, event);
    if (op >= 0)
        sqlite3_bind_int(s, 3, op);
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_reset(s);
}

/* One round's changes: pairs merged into the blocks (inserted, some deleted), then recent
 * and forgotten rows left beside them. */
static void change(sl_store *st, int round)
{
    assert_int_equal(sli_store_begin(st), SL_OK);
    exec(st, "CREATE TEMP TABLE src(term INTEGER, event INTEGER, op INTEGER)");
    sqlite3_stmt *s;
    assert_int_equal(sli_store_prepare(st, "INSERT INTO src VALUES(?1, ?2, ?3)", &s), SL_OK);
    for (int t = 0; t < TERMS; t++) {
        /* some stored pairs deleted, as a merge deletes the forgotten ones (not those the
         * round adds: a delete goes before an insert of the same pair) */
        for (size_t i = 0; round && settled[t].n && i < settled[t].n / 10; i++) {
            long long e = settled[t].v[next_rand() % settled[t].n];
            insert_row(s, term_of(t), e, 0);
            set_del(&settled[t], e);
        }
        /* five hot terms: thousands of events over the rounds */
        size_t add = t % 13 == 0 ? MOST_EVENTS / 4 + next_rand() % 500 : next_rand() % 24;
        for (size_t i = 0; i < add; i++) {
            long long e = random_event();
            insert_row(s, term_of(t), e, 1);
            set_add(&settled[t], e);
        }
    }
    sqlite3_finalize(s);
    assert_int_equal(sli_store_key_blocks_merge(st, sli_event_key_blocks(), "event_key_blocks",
                                                "SELECT term, event, op FROM src"
                                                " ORDER BY 1, 2, 3"),
                     SL_OK);
    exec(st, "DROP TABLE src");
    exec(st, "DELETE FROM event_keys_recent; DELETE FROM event_keys_gone");
    sqlite3_stmt *r, *g;
    assert_int_equal(sli_store_prepare(st, "INSERT OR IGNORE INTO event_keys_recent"
                                           " VALUES(?1, ?2)", &r), SL_OK);
    assert_int_equal(sli_store_prepare(st, "INSERT OR IGNORE INTO event_keys_gone"
                                           " VALUES(?1, ?2)", &g), SL_OK);
    for (int t = 0; t < TERMS; t++) {
        recent[t].n = gone[t].n = 0;
        /* a quarter of the terms, a hot one among them, with no recent event and their
         * newest settled ones forgotten, no other: a search then takes exactly max + the
         * forgotten of the settled events (the most it may need) */
        int tight = t % 4 == 1;
        for (size_t i = 0, k = tight ? 0 : next_rand() % 5; i < k; i++) {
            /* newer and older ones; for another quarter, the newest settled one again */
            long long e = i % 2 && settled[t].n ? settled[t].v[settled[t].n - 1] + 1 + (long long)i
                                                 : random_event();
            if (t % 4 == 2 && i == 0 && settled[t].n)
                e = settled[t].v[settled[t].n - 1];
            insert_row(r, term_of(t), e, -1);
            set_add(&recent[t], e);
        }
        /* forgotten: the newest settled ones mostly (what a search passes over), a recent
         * one (read all the same), one never stored */
        size_t k = t % 13 == 0 ? 40 + next_rand() % 200 : next_rand() % 4;
        for (size_t i = 0; i < k && i < settled[t].n; i++) {
            size_t back = i % 3 == 2 && !tight ? next_rand() % settled[t].n : i; /* older */
            long long e = settled[t].v[settled[t].n - 1 - back];
            insert_row(g, term_of(t), e, -1);
            set_add(&gone[t], e);
        }
        if (recent[t].n) {
            insert_row(g, term_of(t), recent[t].v[0], -1);
            set_add(&gone[t], recent[t].v[0]);
        }
        if (!tight) {
            insert_row(g, term_of(t), (long long)(1ull << 45), -1);
            set_add(&gone[t], (long long)(1ull << 45));
        }
    }
    sqlite3_finalize(r);
    sqlite3_finalize(g);
    assert_int_equal(sli_store_commit(st), SL_OK);
}

/* The model's answer: the settled events not forgotten and the recent ones, newest
 * first, each once, max at most. */
static size_t model_find(int t, size_t max, long long *out)
{
    size_t n = 0, i = settled[t].n, j = recent[t].n, at;
    while (n < max) {
        while (i && set_find(&gone[t], settled[t].v[i - 1], &at))
            i--;
        long long a = i ? settled[t].v[i - 1] : -1, b = j ? recent[t].v[j - 1] : -1;
        if (a < 0 && b < 0)
            break;
        long long e = a > b ? a : b;
        if (a == e)
            i--;
        if (b == e)
            j--;
        out[n++] = e;
    }
    return n;
}

static long long *found, *want;
static long long head_reads, tail_reads; /* large blocks read in parts, in order */

static void check_all(sl_store *st, int ordered)
{
    store_events es;
    assert_int_equal(sli_store_event_open(st, &es), SL_OK);
    static const size_t maxes[] = {1, 2, 5, 48, 64, 300, MOST_EVENTS * 2};
    assert_int_equal(sli_store_begin(st), SL_OK); /* a search runs in the batch's transaction */
    for (int t = 0; t < TERMS; t++)
        for (size_t m = 0; m < sizeof maxes / sizeof *maxes; m++) {
            size_t n = 0, w = model_find(t, maxes[m], want);
            assert_int_equal(sli_store_event_by_key(&es, term_of(t), found, maxes[m], &n),
                             SL_OK);
            if (n != w || memcmp(found, want, n * sizeof *found))
                fail_msg("term %d, max %zu, ordered %d: %zu events, not the model's %zu", t,
                         maxes[m], ordered, n, w);
        }
    size_t n = 9;
    assert_int_equal(sli_store_event_by_key(&es, term_of(TERMS) + 1, found, 10, &n), SL_OK);
    assert_int_equal(n, 0); /* a term never stored */
    /* how the blocks were read: in order, no large block read whole (every one the
     * merge wrote is read in parts); not in order, every one */
    store_key_reads reads;
    sli_store_event_key_reads(&es, &reads);
    assert_true(reads.row > 0);
    if (ordered) {
        assert_int_equal(reads.whole, 0);
        head_reads += reads.head;
        tail_reads += reads.tail;
    } else {
        assert_true(reads.head == 0 && reads.tail == 0 && reads.whole > 0);
    }
    sli_store_event_close(&es); /* as a run ends: its blob handle closed first */
    sli_store_rollback(st);
}

/* Every block: an entry at index BLOCK_ENTRIES or later is its last key's. *large gets
 * the blocks of more than 1 kB whose last key follows others in the block (read from the
 * head, then the end), *hot those of one key. */
static void check_blocks(const char *db, int *large, int *hot)
{
    sqlite3 *h;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT block, entries FROM event_key_blocks",
                                        -1, &s, NULL),
                     SQLITE_OK);
    *large = *hot = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        size_t len = (size_t)sqlite3_column_bytes(s, 1);
        store_key_block b;
        sli_store_key_block_start(&b, sli_event_key_blocks(), sqlite3_column_int64(s, 0),
                                  sqlite3_column_blob(s, 1), len);
        uint64_t place = 0, first = 0, late = UINT64_MAX;
        long long value;
        size_t i = 0;
        while (sli_store_key_block_next(&b, &place, &value) == 1) {
            if (!i)
                first = place;
            if (i == BLOCK_ENTRIES)
                late = place;
            if (i > BLOCK_ENTRIES)
                assert_true(place == late);
            i++;
        }
        if (len > 1024 && first == place)
            (*hot)++;
        else if (len > 1024)
            (*large)++;
    }
    sqlite3_finalize(s);
    sqlite3_close(h);
}

static void test_newest_as_model(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("event-keys", dir, db, &st), 0);
    found = malloc(MOST_EVENTS * 4 * sizeof *found);
    want = malloc(MOST_EVENTS * 4 * sizeof *want);
    assert_true(found && want);
    int large_seen = 0, hot_seen = 0;
    for (int round = 0; round < 4; round++) {
        change(st, round);
        int large, hot;
        check_blocks(db, &large, &hot);
        large_seen += large;
        hot_seen += hot;
        exec(st, "DELETE FROM counters WHERE name = 'event_keys_ordered'");
        check_all(st, 0);
        exec(st, "INSERT OR REPLACE INTO counters(name, value) VALUES('event_keys_ordered', 1)");
        check_all(st, 1);
    }
    assert_true(large_seen > 0 && hot_seen > 0); /* both ways of reading a large block */
    assert_true(head_reads > 0 && tail_reads > 0);
    for (int t = 0; t < TERMS; t++) {
        free(settled[t].v);
        free(recent[t].v);
        free(gone[t].v);
    }
    free(found);
    free(want);
    scratch_close(st, dir);
}

static void put_varint(unsigned char **p, uint64_t v)
{
    while (v >= 0x80) {
        *(*p)++ = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    *(*p)++ = (unsigned char)v;
}

/* A block written by hand into store file db, as rowid `block` (beside the store's
 * handle, apart from the merge); with `ordered`, the counter that says the blocks are in
 * order set too. */
static void put_block(const char *db, long long block, const unsigned char *blob, size_t n,
                      int ordered)
{
    sqlite3 *h;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "INSERT INTO event_key_blocks VALUES(?1, ?2)", -1,
                                        &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(s, 1, block);
    sqlite3_bind_blob(s, 2, blob, (int)n, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    if (ordered)
        assert_int_equal(sqlite3_exec(h, "INSERT INTO counters(name, value)"
                                         " VALUES('event_keys_ordered', 1)", NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(h);
}

/* A store whose blocks came from a migration that folded two terms into one: a key's
 * events out of order and repeated. A search reads them all and sorts them until the
 * next settle puts them in order and sets the counter; the answers stay the same. */
static void test_settle_orders(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("event-keys-order", dir, db, &st), 0);
    /* term 9 after term 5 in one block: 5's events 1..2 and 9's, two runs folded into
     * one (odd ones descending, even ones ascending, 2,000 each, 100 repeated) */
    unsigned char blob[16384], *p = blob;
    put_varint(&p, 0), put_varint(&p, 1);
    put_varint(&p, 0), put_varint(&p, 2);
    put_varint(&p, 4), put_varint(&p, 3999);
    for (long long e = 3997; e >= 1; e -= 2)
        put_varint(&p, 0), put_varint(&p, (uint64_t)e);
    for (long long e = 2; e <= 4000; e += 2)
        put_varint(&p, 0), put_varint(&p, (uint64_t)e);
    for (long long e = 100; e < 200; e++)
        put_varint(&p, 0), put_varint(&p, (uint64_t)e);
    assert_true((size_t)(p - blob) > 1024 && (size_t)(p - blob) < sizeof blob);
    put_block(db, 5, blob, (size_t)(p - blob), 0);
    sqlite3 *h;
    sqlite3_stmt *s;
    long long ids[64];
    for (int pass = 0; pass < 2; pass++) {
        store_events es;
        assert_int_equal(sli_store_event_open(st, &es), SL_OK);
        size_t n = 0;
        assert_int_equal(sli_store_event_by_key(&es, 9, ids, 50, &n), SL_OK);
        assert_int_equal(n, 50);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(ids[i], 4000 - (long long)i);
        assert_int_equal(sli_store_event_by_key(&es, 5, ids, 50, &n), SL_OK);
        assert_true(n == 2 && ids[0] == 2 && ids[1] == 1);
        sli_store_event_close(&es);
        if (pass)
            break;
        assert_int_equal(scratch_int(db, "SELECT count(*) FROM counters"
                                         " WHERE name = 'event_keys_ordered'"),
                         0);
        assert_int_equal(sli_store_begin(st), SL_OK);
        assert_int_equal(sli_store_event_settle(st), SL_OK);
        assert_int_equal(sli_store_commit(st), SL_OK);
        assert_int_equal(scratch_int(db, "SELECT value FROM counters"
                                         " WHERE name = 'event_keys_ordered'"),
                         1);
        /* 2 + 4,000 entries, each once, ascending in each key */
        assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(h, "SELECT entries FROM event_key_blocks"
                                               " WHERE block = 5", -1, &s, NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        store_key_block b;
        sli_store_key_block_start(&b, sli_event_key_blocks(), 5, sqlite3_column_blob(s, 0),
                                  (size_t)sqlite3_column_bytes(s, 0));
        uint64_t place, last_place = 0;
        long long value, last = 0;
        int entries = 0;
        while (sli_store_key_block_next(&b, &place, &value) == 1) {
            assert_true(place > last_place || value > last);
            last_place = place;
            last = value;
            entries++;
        }
        assert_int_equal(entries, 4002);
        sqlite3_finalize(s);
        sqlite3_close(h);
    }
    scratch_close(st, dir);
}

/* A store whose counter says its blocks are in order while one is not (a block written by
 * hand here; nothing the merge writes): the search finds its end out of order, reads the
 * block whole and gives the newest events all the same. */
static void test_out_of_order_read_whole(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("event-keys-broken", dir, db, &st), 0);
    unsigned char blob[8192], *p = blob;
    put_varint(&p, 0), put_varint(&p, 1);
    for (long long e = 2; e <= 1000; e++) /* 1..1000, then 5,000 before 4,000 */
        put_varint(&p, 0), put_varint(&p, (uint64_t)e);
    put_varint(&p, 0), put_varint(&p, 5000);
    put_varint(&p, 0), put_varint(&p, 4000);
    assert_true((size_t)(p - blob) > 1024);
    put_block(db, 7, blob, (size_t)(p - blob), 1);
    store_events es;
    assert_int_equal(sli_store_event_open(st, &es), SL_OK);
    long long ids[8];
    store_key_reads reads;
    size_t n = 0;
    assert_int_equal(sli_store_event_by_key(&es, 7, ids, 3, &n), SL_OK);
    assert_true(n == 3 && ids[0] == 5000 && ids[1] == 4000 && ids[2] == 1000);
    sli_store_event_key_reads(&es, &reads);
    assert_true(reads.tail == 0 && reads.whole == 1);
    sli_store_event_close(&es);
    scratch_close(st, dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_newest_as_model),
        cmocka_unit_test(test_settle_orders),
        cmocka_unit_test(test_out_of_order_read_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
