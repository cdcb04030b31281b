/* key_blocks.c — settled keys packed into blocks: the dedup index's (version 11), the
 * event keys and the terms' document frequencies (version 12).
 *
 * Why: as one row a (key, rid) pair, the band and paragraph keys took 13 bytes a key in a
 * WITHOUT ROWID b-tree (5 of them SQLite's row overhead): about 530 bytes an article, a
 * tenth of a store. Packed, a run of about KEY_BLOCK_ENTRIES keys in key order is one row:
 * its first key (as an unsigned 32-bit number) is the rowid, and the blob holds each
 * entry as two varints, the key's distance from the entry before (the first's is 0) and
 * the rid: about 4.5 bytes a key. A key's block is the row with the largest rowid not
 * above it (one b-tree search, as before). A key's entries (one a rid, rids ascending)
 * never span two blocks, and a block keeps at most STORE_KEY_MAX_RIDS of a key: the
 * lowest, which are all a search ever returns (sli_store_dedup_candidates gives the
 * lowest `max` rids, `max` at most that).
 *
 * Keys arrive in the recent tables (lsh_recent, paras_recent: rows, as before) and are
 * merged into the blocks (sli_store_key_blocks_merge) once the recent tables pass a
 * sixteenth of the store (families.c): a pass over the blocks in key order, a few hundred
 * at a time, rewriting those that gain keys.
 *
 * The event keys (term, event) and document frequencies (term, n) of the cluster stage
 * took 15 and 14 bytes a row as rows of WITHOUT ROWID b-trees (events.c says why they
 * pass through recent tables too); packed the same way, a term id's gap and an event or
 * a count take about 5 and 4. They differ from the dedup keys in what a key keeps
 * (store_block_kind): every event (a search filters them), or one count, the sum.
 *
 * A search of the event keys wants a term's newest events only, and reads a large
 * block's last key from the blob's end (sli_store_key_blocks_newest): it relies on the
 * merge's cut (only between two keys, once a block holds KEY_BLOCK_ENTRIES: so a key
 * with an entry at that index or later is the block's last) and on a key's values
 * ascending (counter event_keys_ordered, events.c). */
#include "store_impl.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "../core/grow.h"
#include "../core/varint.h"

/* Entries a block is cut at (more when its last key has several values): about 150
 * bytes, a hundred blocks a 16 KB page. Blocks of 16 or 64 entries measured 4.86 and
 * 4.41 bytes a dedup key against 4.58 (docs/store-size.md). The event keys' search
 * relies on the cut (above): a smaller number would need the blocks cut again. */
#define KEY_BLOCK_ENTRIES 32
/* Blocks read and rewritten at a time by a merge. */
#define MERGE_CHUNK 256

static const store_block_kind dedup_blocks = {
    INT32_MIN, INT32_MAX, 0x80000000LL, STORE_KEY_MAX_RIDS, 0,
    "the dedup index", "run `storyline clean` to match again"};
/* term ids (src/cluster/features.h) */
static const store_block_kind event_key_blocks = {
    0, (1LL << STORE_TERM_ID_BITS) - 1, 0, 0, 0, "the event keys",
    "run `storyline clean` to cluster again"};
static const store_block_kind term_df_blocks = {
    0, (1LL << STORE_TERM_ID_BITS) - 1, 0, 0, 1, "the terms' frequencies",
    "run `storyline clean` to cluster again"};

/* The kinds as the header names them (functions, not exported data: a library's
 * globals get other names under AddressSanitizer, which tests/cli/test_symbols.sh
 * refuses). */
const store_block_kind *sli_dedup_blocks(void)
{
    return &dedup_blocks;
}

const store_block_kind *sli_event_key_blocks(void)
{
    return &event_key_blocks;
}

const store_block_kind *sli_term_df_blocks(void)
{
    return &term_df_blocks;
}

/* Above every place of kind k. */
static uint64_t places_end(const store_block_kind *k)
{
    return (uint64_t)(k->most + k->offset) + 1;
}

uint64_t sli_store_key_place(long long stored)
{
    return (uint64_t)(stored + dedup_blocks.offset);
}

int sli_store_key_block_next(store_key_block *b, uint64_t *place, long long *value)
{
    if (b->place >= b->limit) /* a rowid no block of the kind has */
        return -1;
    if (b->p >= b->end)
        return 0;
    uint64_t gap, v;
    if (!sli_varint_get(&b->p, b->end, &gap) || !sli_varint_get(&b->p, b->end, &v) ||
        gap >= b->limit || v > (uint64_t)INT64_MAX)
        return -1;
    b->place += gap;
    if (b->place >= b->limit)
        return -1;
    *place = b->place;
    *value = (long long)v;
    return 1;
}

static sl_error damaged(sl_store *st, const store_block_kind *k, long long block)
{
    sli_store_set_error(st, "%s is damaged (block %lld): %s", k->name, block, k->redo);
    return SL_ERR_STORE;
}

void sli_store_key_block_start(store_key_block *b, const store_block_kind *k, long long block,
                               const void *blob, size_t n)
{
    b->p = blob;
    b->end = b->p + n;
    b->place = (uint64_t)block;
    b->limit = places_end(k);
}

sl_error sli_store_key_blocks_find(sl_store *st, const store_block_kind *k, sqlite3_stmt *find,
                                   uint64_t place, long long *values, int max, int *n)
{
    *n = 0;
    if (max <= 0)
        return SL_OK;
    sqlite3_bind_int64(find, 1, (sqlite3_int64)place);
    int rc = sqlite3_step(find);
    sl_error err = SL_OK;
    if (rc == SQLITE_ROW) {
        size_t len = 0;
        const void *blob = sli_store_column_blob(st, find, 1, &len, &err, "reading keys");
        store_key_block b;
        sli_store_key_block_start(&b, k, sqlite3_column_int64(find, 0), blob, blob ? len : 0);
        uint64_t at;
        long long value;
        int got = 0;
        while (!err && *n < max && (got = sli_store_key_block_next(&b, &at, &value)) == 1 &&
               at <= place)
            if (at == place)
                values[(*n)++] = value;
        if (!err && *n < max && got < 0)
            err = damaged(st, k, sqlite3_column_int64(find, 0));
    } else if (rc != SQLITE_DONE) {
        err = sli_store_fail(st, rc, "finding keys");
    }
    sqlite3_reset(find);
    return err;
}

/* --- the merge --- */

typedef struct {
    uint64_t place;
    long long value;
} entry;

static int by_place_value(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->place != y->place)
        return x->place < y->place ? -1 : 1;
    return x->value < y->value ? -1 : x->value > y->value;
}

/* A merge's state: the source's next row, the block being cut, the statements. */
typedef struct {
    sl_store *st;
    const store_block_kind *k;
    sqlite3_stmt *src, *chunk, *del, *put;
    int have_src, src_ops; /* src_ops: the source gives a third column, the op */
    int src_seen;          /* a row read from the source (next then holds the last) */
    entry next;            /* the source's row, when have_src */
    int next_deletes;      /* ... which deletes its pair */
    entry *old;            /* the chunk's entries */
    size_t nold, capold;
    buf blob;              /* the block being cut */
    int in_block;          /* entries in it */
    uint64_t start, last_place;
    entry pend;            /* the entry to write next, when pending (a sum may grow) */
    int pending;
    int run;               /* values of pend.place kept so far */
} merge;

static sl_error src_step(merge *m)
{
    int rc = sqlite3_step(m->src);
    m->have_src = rc == SQLITE_ROW;
    if (m->have_src) {
        long long key = sqlite3_column_int64(m->src, 0);
        if (key < m->k->least || key > m->k->most) {
            sli_store_set_error(m->st, "%s holds a key out of its range (%lld)", m->k->name,
                                key);
            return SL_ERR_STORE;
        }
        uint64_t place = (uint64_t)(key + m->k->offset);
        if (m->src_seen && place < m->next.place) {
            sli_store_set_error(m->st, "%s: keys to merge out of order (%lld)", m->k->name, key);
            return SL_ERR_STORE;
        }
        m->src_seen = 1;
        m->next = (entry){place, sqlite3_column_int64(m->src, 1)};
        m->next_deletes = m->src_ops && sqlite3_column_int(m->src, 2) == 0;
        return SL_OK;
    }
    return rc == SQLITE_DONE ? SL_OK : sli_store_fail(m->st, rc, "reading keys to merge");
}

static sl_error flush_block(merge *m)
{
    if (!m->in_block)
        return SL_OK;
    sqlite3_bind_int64(m->put, 1, (sqlite3_int64)m->start);
    sqlite3_bind_blob(m->put, 2, m->blob.data, (int)m->blob.len, SQLITE_STATIC);
    int rc = sqlite3_step(m->put);
    sqlite3_reset(m->put);
    m->in_block = 0;
    sli_buf_clear(&m->blob);
    return rc == SQLITE_DONE ? SL_OK : sli_store_fail(m->st, rc, "saving keys");
}

/* The pending entry into the block being cut: a block is cut only between two keys, once
 * it holds KEY_BLOCK_ENTRIES. */
static sl_error put_pending(merge *m)
{
    if (!m->pending)
        return SL_OK;
    entry e = m->pend;
    m->pending = 0;
    sl_error err = SL_OK;
    if (m->in_block >= KEY_BLOCK_ENTRIES && e.place != m->last_place)
        err = flush_block(m);
    if (!err && !m->in_block)
        m->start = e.place;
    if (!err)
        err = sli_buf_put_varint(&m->blob, e.place - (m->in_block ? m->last_place : m->start));
    if (!err)
        err = sli_buf_put_varint(&m->blob, (uint64_t)e.value);
    if (!err) {
        m->in_block++;
        m->last_place = e.place;
    }
    return err;
}

/* The next entry of the merged stream, in (place, value) order: repeated pairs once, a
 * key's values past the kind's cap left out, or (a sum) its values added. */
static sl_error emit(merge *m, entry e)
{
    if (m->pending && e.place == m->pend.place) {
        if (m->k->sum) {
            m->pend.value += e.value;
            return SL_OK;
        }
        if (e.value == m->pend.value || (m->k->cap && m->run >= m->k->cap))
            return SL_OK;
        m->run++;
    } else {
        m->run = 1;
    }
    sl_error err = put_pending(m);
    m->pend = e;
    m->pending = 1;
    return err;
}

/* The blocks from `pos` on, MERGE_CHUNK at most, decoded into m->old; *bound: the next
 * block's rowid after them (the kind's end when none). */
static sl_error read_chunk(merge *m, uint64_t pos, uint64_t *bound)
{
    m->nold = 0;
    *bound = places_end(m->k);
    sqlite3_bind_int64(m->chunk, 1, (sqlite3_int64)pos);
    sqlite3_bind_int(m->chunk, 2, MERGE_CHUNK + 1);
    sl_error err = SL_OK;
    int rc, rows = 0;
    while (!err && (rc = sqlite3_step(m->chunk)) == SQLITE_ROW) {
        long long block = sqlite3_column_int64(m->chunk, 0);
        if (++rows > MERGE_CHUNK) {
            *bound = (uint64_t)block;
            break;
        }
        size_t len = 0;
        const void *blob = sli_store_column_blob(m->st, m->chunk, 1, &len, &err, "reading keys");
        store_key_block b;
        sli_store_key_block_start(&b, m->k, block, blob, blob ? len : 0);
        entry e;
        int got;
        while (!err && (got = sli_store_key_block_next(&b, &e.place, &e.value)) == 1) {
            entry *grown = sli_grow_array(m->old, &m->capold, m->nold + 1, sizeof *m->old, 64);
            if (!grown)
                err = SL_ERR_NOMEM;
            else
                (m->old = grown)[m->nold++] = e;
        }
        if (!err && got < 0)
            err = damaged(m->st, m->k, block);
    }
    if (!err && rc != SQLITE_ROW && rc != SQLITE_DONE)
        err = sli_store_fail(m->st, rc, "reading keys");
    sqlite3_reset(m->chunk);
    /* A key's values are in order, but for terms that the version-12 migration made one
     * (store.c): sorted here, so that a delete meets its pair and repeats are dropped,
     * and the blocks rewritten are in order again. */
    for (size_t i = 1; !err && i < m->nold; i++)
        if (m->old[i].place == m->old[i - 1].place && m->old[i].value < m->old[i - 1].value) {
            qsort(m->old, m->nold, sizeof *m->old, by_place_value);
            break;
        }
    return err;
}

static sl_error run_merge(merge *m)
{
    sl_error err = src_step(m);
    uint64_t pos = 0, end = places_end(m->k);
    while (!err && m->have_src) {
        uint64_t bound;
        err = read_chunk(m, pos, &bound);
        if (err)
            break;
        if (m->next.place >= bound) { /* nothing arrives here: the chunk stays */
            pos = bound;
            continue;
        }
        sqlite3_bind_int64(m->del, 1, (sqlite3_int64)pos);
        sqlite3_bind_int64(m->del, 2, (sqlite3_int64)bound);
        int rc = sqlite3_step(m->del);
        sqlite3_reset(m->del);
        if (rc != SQLITE_DONE) {
            err = sli_store_fail(m->st, rc, "rewriting keys");
            break;
        }
        m->pending = 0;
        size_t i = 0;
        while (!err && (i < m->nold || (m->have_src && m->next.place < bound))) {
            /* the source first on a tie: its delete meets the pair it deletes */
            int from_src = m->have_src && m->next.place < bound &&
                           (i == m->nold || m->next.place < m->old[i].place ||
                            (m->next.place == m->old[i].place &&
                             (m->k->sum || m->next.value <= m->old[i].value)));
            if (!from_src) {
                err = emit(m, m->old[i++]);
                continue;
            }
            if (!m->next_deletes)
                err = emit(m, m->next);
            else if (i < m->nold && m->old[i].place == m->next.place &&
                     m->old[i].value == m->next.value)
                i++;
            if (!err)
                err = src_step(m);
        }
        if (!err)
            err = put_pending(m);
        if (!err)
            err = flush_block(m);
        pos = bound;
        if (bound == end)
            break;
    }
    return err;
}

sl_error sli_store_key_blocks_merge(sl_store *st, const store_block_kind *k, const char *table,
                                    const char *source_sql)
{
    merge m = {.st = st, .k = k};
    sli_buf_init(&m.blob, BUF_UNLIMITED);
    char sql[3][160];
    snprintf(sql[0], sizeof sql[0],
             "SELECT block, entries FROM %s WHERE block >= ?1 ORDER BY block LIMIT ?2", table);
    snprintf(sql[1], sizeof sql[1], "DELETE FROM %s WHERE block >= ?1 AND block < ?2", table);
    snprintf(sql[2], sizeof sql[2], "INSERT INTO %s(block, entries) VALUES(?1, ?2)", table);
    sl_error err = sli_store_prepare(st, source_sql, &m.src);
    if (!err)
        m.src_ops = sqlite3_column_count(m.src) >= 3;
    if (!err)
        err = sli_store_prepare(st, sql[0], &m.chunk);
    if (!err)
        err = sli_store_prepare(st, sql[1], &m.del);
    if (!err)
        err = sli_store_prepare(st, sql[2], &m.put);
    if (!err)
        err = run_merge(&m);
    sqlite3_finalize(m.src);
    sqlite3_finalize(m.chunk);
    sqlite3_finalize(m.del);
    sqlite3_finalize(m.put);
    free(m.old);
    sli_buf_free(&m.blob);
    return err;
}

sl_error sli_store_key_blocks_each(sl_store *st, const store_block_kind *k, const char *table,
                                   void (*fn)(void *user, long long key, long long value),
                                   void *user)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT block, entries FROM %s ORDER BY block", table);
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, sql, &s);
    if (err)
        return err;
    int rc;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        size_t len = 0;
        const void *blob = sli_store_column_blob(st, s, 1, &len, &err, "reading keys");
        store_key_block b;
        sli_store_key_block_start(&b, k, sqlite3_column_int64(s, 0), blob, blob ? len : 0);
        uint64_t place;
        long long value;
        int got;
        while (!err && (got = sli_store_key_block_next(&b, &place, &value)) == 1)
            fn(user, (long long)place - k->offset, value);
        if (!err && got < 0)
            err = damaged(st, k, sqlite3_column_int64(s, 0));
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "reading keys");
    sqlite3_finalize(s);
    return err;
}

/* --- a key's newest values, read in part (the event keys: events.c) --- */

/* A block of up to this many bytes comes whole with the search's row; a larger one is
 * read in parts through an incremental blob handle. */
#define NEWEST_WHOLE 1024
/* The first bytes read of a larger block: room for the KEY_BLOCK_ENTRIES + 1 entries
 * that tell its last key (below), at up to 15 bytes an entry (a gap of 40 bits takes 6,
 * an event id rarely more than 4). */
#define NEWEST_HEAD 512
/* The most bytes an entry of a key's run takes after its first: a gap of 0 (one byte)
 * and a value of up to 10. */
#define RUN_ENTRY_MOST 11

_Static_assert(NEWEST_WHOLE >= NEWEST_HEAD, "a block read in parts is longer than its head");

/* One search of sli_store_key_blocks_newest: where it reads, what it wants, where the
 * values go. */
typedef struct newest {
    sl_store *st;
    const store_block_kind *k;
    const char *table;
    sqlite3_blob **blob;
    long long block; /* the block's rowid */
    size_t len;      /* its bytes */
    uint64_t place;  /* the key's */
    size_t want;
    long long **values;
    size_t *cap, *n;
    store_key_reads *reads; /* or NULL */
} newest;

static sl_error room_for(newest *q, size_t n)
{
    long long *p = sli_grow_array(*q->values, q->cap, n, sizeof *p, 64);
    if (!p)
        return SL_ERR_NOMEM;
    *q->values = p;
    return SL_OK;
}

static int by_value_desc(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* The key's values in the whole blob, newest (largest) first, `want` at most: as stored
 * they ascend (reversed here), but for keys a migration folded into one in a store not
 * yet put in order (sorted here). */
static sl_error whole_newest(newest *q, const void *blob, size_t len)
{
    store_key_block b;
    sli_store_key_block_start(&b, q->k, q->block, blob, len);
    uint64_t at;
    long long value, *v;
    int got, ascending = 1;
    sl_error err = SL_OK;
    size_t n = 0;
    while (!err && (got = sli_store_key_block_next(&b, &at, &value)) == 1 && at <= q->place)
        if (at == q->place && !(err = room_for(q, n + 1))) {
            v = *q->values;
            ascending &= !n || v[n - 1] < value;
            v[n++] = value;
        }
    if (!err && got < 0)
        return damaged(q->st, q->k, q->block);
    v = *q->values;
    if (!ascending) {
        qsort(v, n, sizeof *v, by_value_desc);
    } else {
        for (size_t i = 0, j = n ? n - 1 : 0; i < j; i++, j--) {
            long long t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
    }
    *q->n = n < q->want ? n : q->want;
    return err;
}

/* The blob handle at the block: moved there, or (none yet, or one that will not move:
 * its row changed since) opened. */
static sl_error blob_at(newest *q)
{
    int rc = *q->blob ? sqlite3_blob_reopen(*q->blob, q->block) : SQLITE_ERROR;
    if (rc != SQLITE_OK) {
        sqlite3_blob_close(*q->blob);
        *q->blob = NULL;
        rc = sqlite3_blob_open(q->st->db, "main", q->table, "entries", q->block, 0, q->blob);
    }
    return rc == SQLITE_OK ? SL_OK : sli_store_fail(q->st, rc, "reading keys");
}

/* n bytes of the block from `at` (len is under INT_MAX: the caller checks). */
static sl_error blob_read(newest *q, void *to, size_t n, size_t at)
{
    int rc = sqlite3_blob_read(*q->blob, to, (int)n, (int)at);
    return rc == SQLITE_OK ? SL_OK : sli_store_fail(q->st, rc, "reading keys");
}

/* The whole of a large block, read through the handle. */
static sl_error read_whole(newest *q)
{
    if (q->reads)
        q->reads->whole++;
    void *all = malloc(q->len);
    if (!all)
        return SL_ERR_NOMEM;
    sl_error err = blob_read(q, all, q->len, 0);
    if (!err)
        err = whole_newest(q, all, q->len);
    free(all);
    return err;
}

/* The run's last values, backward from the end of tail[0..len): each a gap of 0 and a
 * value, newer before older; into values from *n on, strictly descending, until `want`
 * or an entry whose start lies before tail (or at its start, when `aligned` is 0).
 * *rest: tail's bytes not taken. 0 when an entry breaks the rule (a gap that is not 0, an
 * order that is not descending): the caller reads the block whole. (A varint's last byte
 * is the one with its high bit clear, and a gap of 0 is the one byte 0: the encoder
 * never ends a longer varint with it.) */
static int run_backward(const unsigned char *tail, size_t len, int aligned, size_t want,
                        long long *values, size_t *n, size_t *rest)
{
    size_t e = len;
    while (*n < want && e > 0) {
        size_t j = e - 1;
        if (tail[j] & 0x80)
            return 0;
        while (j > 0 && (tail[j - 1] & 0x80))
            j--;
        if (j == 0) { /* no room for its gap: the entry began before tail */
            *rest = e;
            return !aligned;
        }
        if (tail[j - 1] != 0) /* another key's entry */
            return 0;
        const unsigned char *p = tail + j;
        uint64_t v;
        if (!sli_varint_get(&p, tail + e, &v) || p != tail + e || v > (uint64_t)INT64_MAX ||
            (*n && (long long)v >= values[*n - 1]))
            return 0;
        values[(*n)++] = (long long)v;
        e = j - 1;
    }
    *rest = e;
    return 1;
}

/* A large block's key, read in parts. The merge cuts a block only between two keys once
 * it holds KEY_BLOCK_ENTRIES entries (put_pending), so an entry at that index or later is
 * the block's last key's, and so is every entry after it, ascending: that key's newest
 * values are the blob's last bytes, read backward. A key whose run ends in the head, or
 * that comes after the last key, is answered from the head. Anything else (a head that
 * does not tell, an entry that breaks a rule) reads the block whole. */
static sl_error part_newest(newest *q)
{
    sl_error err = blob_at(q);
    unsigned char head[NEWEST_HEAD];
    if (!err)
        err = blob_read(q, head, sizeof head, 0);
    if (err)
        return err;
    long long mine[NEWEST_HEAD / 2]; /* the key's values in the head (2 bytes an entry at least) */
    size_t nmine = 0, i = 0, after = 0;
    store_key_block b;
    sli_store_key_block_start(&b, q->k, q->block, head, sizeof head);
    uint64_t at;
    long long value;
    int got, last = 0, ascending = 1;
    for (; (got = sli_store_key_block_next(&b, &at, &value)) == 1 && at <= q->place; i++) {
        if (at != q->place) {
            if (i >= KEY_BLOCK_ENTRIES) /* the last key's, below the key: not here */
                break;
            continue;
        }
        ascending &= !nmine || mine[nmine - 1] < value;
        mine[nmine++] = value;
        if (i >= KEY_BLOCK_ENTRIES) {
            last = 1;
            after = (size_t)(b.p - head);
            break;
        }
    }
    *q->n = 0;
    if (!ascending) /* a store whose counter says what its blocks do not */
        return read_whole(q);
    if (!last && got == 1) { /* the run ends in the head, or the key is not there */
        if (q->reads)
            q->reads->head++;
        err = room_for(q, nmine);
        for (size_t j = 0; !err && j < nmine && *q->n < q->want; j++)
            (*q->values)[(*q->n)++] = mine[nmine - 1 - j];
        return err;
    }
    if (!last) /* the head ended first */
        return read_whole(q);
    size_t len = q->len, want = q->want;
    size_t span = want < (len - after) / RUN_ENTRY_MOST ? (want + 1) * RUN_ENTRY_MOST
                                                         : len - after;
    size_t from = len - after > span ? len - span : after;
    unsigned char *tail = malloc(len - from);
    if (!tail)
        return SL_ERR_NOMEM;
    size_t rest = 0;
    err = blob_read(q, tail, len - from, from);
    if (!err)
        err = room_for(q, want < len ? want : len);
    int ok = !err && run_backward(tail, len - from, from == after, want, *q->values, q->n,
                                  &rest);
    free(tail);
    if (err)
        return err;
    long long *v = *q->values;
    size_t n = *q->n;
    if (ok && n < want && (from != after || rest != 0))
        ok = 0; /* fewer than wanted, yet the run goes on before tail */
    if (ok && n < want && n && mine[nmine - 1] >= v[n - 1])
        ok = 0;
    if (!ok)
        return read_whole(q);
    if (q->reads)
        q->reads->tail++;
    for (size_t j = 0; n < want && j < nmine; j++)
        v[n++] = mine[nmine - 1 - j];
    *q->n = n;
    return SL_OK;
}

sl_error sli_store_key_blocks_newest(sl_store *st, const store_block_kind *k,
                                     sqlite3_stmt *find, const char *table, sqlite3_blob **blob,
                                     uint64_t place, int ordered, size_t want,
                                     long long **values, size_t *cap, size_t *n,
                                     store_key_reads *reads)
{
    newest q = {st, k, table, blob, 0, 0, place, want, values, cap, n, reads};
    *n = 0;
    if (!want)
        return SL_OK;
    sqlite3_bind_int64(find, 1, (sqlite3_int64)place);
    sqlite3_bind_int(find, 2, NEWEST_WHOLE);
    int rc = sqlite3_step(find);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(find);
        return rc == SQLITE_DONE ? SL_OK : sli_store_fail(st, rc, "finding keys");
    }
    q.block = sqlite3_column_int64(find, 0);
    long long len = sqlite3_column_int64(find, 1);
    sl_error err = SL_OK;
    if (sqlite3_column_type(find, 2) != SQLITE_NULL || len <= NEWEST_WHOLE) {
        size_t got = 0;
        const void *whole = sli_store_column_blob(st, find, 2, &got, &err, "reading keys");
        if (!err && reads)
            reads->row++;
        if (!err)
            err = whole_newest(&q, whole, whole ? got : 0);
        sqlite3_reset(find);
        return err;
    }
    sqlite3_reset(find);
    if (len > INT_MAX)
        return damaged(st, k, q.block);
    q.len = (size_t)len;
    if (!ordered) { /* a key's values may lie in any order: all of them read */
        err = blob_at(&q);
        return err ? err : read_whole(&q);
    }
    return part_newest(&q);
}

/* --- a kind's runs put in order --- */

/* The entries of one block, sorted and each pair once, encoded again into out; 1 when
 * they were not (so the block must be written again), 0 when they were. */
static int block_in_order(long long block, entry *e, size_t n, buf *out, sl_error *err)
{
    int sorted = 1;
    for (size_t i = 1; sorted && i < n; i++)
        sorted = e[i].place != e[i - 1].place || e[i].value > e[i - 1].value;
    if (sorted)
        return 0;
    qsort(e, n, sizeof *e, by_place_value);
    sli_buf_clear(out);
    for (size_t i = 0; !*err && i < n; i++) {
        if (i && e[i].place == e[i - 1].place && e[i].value == e[i - 1].value)
            continue;
        *err = sli_buf_put_varint(out, e[i].place - (i ? e[i - 1].place : (uint64_t)block));
        if (!*err)
            *err = sli_buf_put_varint(out, (uint64_t)e[i].value);
    }
    return 1;
}

/* A block written again: its rowid, and where its entries lie in the chunk's buffer. */
typedef struct {
    long long block;
    size_t at, len;
} block_fix;

sl_error sli_store_key_blocks_order(sl_store *st, const store_block_kind *k, const char *table)
{
    char sql[2][128];
    snprintf(sql[0], sizeof sql[0],
             "SELECT block, entries FROM %s WHERE block > ?1 ORDER BY block LIMIT ?2", table);
    snprintf(sql[1], sizeof sql[1], "UPDATE %s SET entries = ?2 WHERE block = ?1", table);
    sqlite3_stmt *read = NULL, *put = NULL;
    sl_error err = sli_store_prepare(st, sql[0], &read);
    if (!err)
        err = sli_store_prepare(st, sql[1], &put);
    entry *e = NULL;
    size_t cap = 0;
    buf one, fixed; /* one block encoded again; the chunk's blocks written again */
    sli_buf_init(&one, BUF_UNLIMITED);
    sli_buf_init(&fixed, BUF_UNLIMITED);
    block_fix fix[MERGE_CHUNK];
    long long after = -1;
    int rows = MERGE_CHUNK;
    /* a chunk of blocks read, then the ones out of order written (not while reading) */
    while (!err && rows == MERGE_CHUNK) {
        size_t nfix = 0;
        rows = 0;
        sli_buf_clear(&fixed);
        sqlite3_bind_int64(read, 1, after);
        sqlite3_bind_int(read, 2, MERGE_CHUNK);
        int rc = SQLITE_DONE;
        while (!err && (rc = sqlite3_step(read)) == SQLITE_ROW) {
            rows++;
            long long block = after = sqlite3_column_int64(read, 0);
            size_t len = 0, n = 0;
            const void *blob = sli_store_column_blob(st, read, 1, &len, &err, "reading keys");
            store_key_block b;
            sli_store_key_block_start(&b, k, block, blob, blob ? len : 0);
            entry x;
            int got;
            while (!err && (got = sli_store_key_block_next(&b, &x.place, &x.value)) == 1) {
                entry *grown = sli_grow_array(e, &cap, n + 1, sizeof *e, 64);
                if (!grown)
                    err = SL_ERR_NOMEM;
                else
                    (e = grown)[n++] = x;
            }
            if (!err && got < 0)
                err = damaged(st, k, block);
            if (!err && block_in_order(block, e, n, &one, &err) && !err) {
                fix[nfix++] = (block_fix){block, fixed.len, one.len};
                err = sli_buf_append(&fixed, one.data, one.len);
            }
        }
        if (!err && rc != SQLITE_DONE)
            err = sli_store_fail(st, rc, "reading keys");
        sqlite3_reset(read);
        for (size_t i = 0; !err && i < nfix; i++) {
            sqlite3_bind_int64(put, 1, fix[i].block);
            sqlite3_bind_blob(put, 2, fixed.data + fix[i].at, (int)fix[i].len, SQLITE_STATIC);
            rc = sqlite3_step(put);
            sqlite3_reset(put);
            if (rc != SQLITE_DONE)
                err = sli_store_fail(st, rc, "putting keys in order");
        }
    }
    sqlite3_finalize(read);
    sqlite3_finalize(put);
    free(e);
    sli_buf_free(&one);
    sli_buf_free(&fixed);
    return err;
}
