/* key_blocks.c — the dedup index's settled keys, packed into blocks (version 11).
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
 * at a time, rewriting those that gain keys. */
#include "store_impl.h"

#include <stdio.h>
#include <stdlib.h>

#include "../core/grow.h"
#include "../core/varint.h"

/* Entries a block is cut at (more when its last key has several rids): about 150 bytes,
 * a hundred blocks a 16 KB page. Blocks of 16 or 64 entries measured 4.86 and 4.41
 * bytes a key against 4.58 (docs/store-size.md). */
#define KEY_BLOCK_ENTRIES 32
/* Blocks read and rewritten at a time by a merge. */
#define MERGE_CHUNK 256
/* Above every block's rowid: the unsigned keys end at 2^32 - 1. */
#define BLOCKS_END (1ull << 32)

uint64_t sli_store_key_place(long long stored)
{
    return (uint64_t)(stored + 0x80000000LL);
}

int sli_store_key_block_next(store_key_block *b, uint64_t *place, long long *rid)
{
    if (b->p >= b->end)
        return 0;
    uint64_t gap, r;
    if (!sli_varint_get(&b->p, b->end, &gap) || !sli_varint_get(&b->p, b->end, &r) ||
        gap >= BLOCKS_END || r > (uint64_t)INT64_MAX)
        return -1;
    b->place += gap;
    if (b->place >= BLOCKS_END)
        return -1;
    *place = b->place;
    *rid = (long long)r;
    return 1;
}

static sl_error damaged(sl_store *st, long long block)
{
    sli_store_set_error(st, "the dedup index is damaged (block %lld): run `storyline clean` to"
                        " match again", block);
    return SL_ERR_STORE;
}

void sli_store_key_block_start(store_key_block *b, long long block, const void *blob, size_t n)
{
    b->p = blob;
    b->end = b->p + n;
    b->place = (uint64_t)block;
}

sl_error sli_store_key_blocks_find(sl_store *st, sqlite3_stmt *find, uint64_t place,
                                   long long *rids, int max, int *n)
{
    *n = 0;
    sqlite3_bind_int64(find, 1, (sqlite3_int64)place);
    int rc = sqlite3_step(find);
    sl_error err = SL_OK;
    if (rc == SQLITE_ROW) {
        size_t len = 0;
        const void *blob = sli_store_column_blob(st, find, 1, &len, &err, "reading keys");
        store_key_block b;
        sli_store_key_block_start(&b, sqlite3_column_int64(find, 0), blob, blob ? len : 0);
        uint64_t at;
        long long rid;
        int got;
        while (!err && (got = sli_store_key_block_next(&b, &at, &rid)) == 1 && at <= place)
            if (at == place && *n < max)
                rids[(*n)++] = rid;
        if (!err && got < 0)
            err = damaged(st, sqlite3_column_int64(find, 0));
    } else if (rc != SQLITE_DONE) {
        err = sli_store_fail(st, rc, "finding candidates");
    }
    sqlite3_reset(find);
    return err;
}

/* --- the merge --- */

typedef struct {
    uint64_t place;
    long long rid;
} entry;

/* A merge's state: the source's next row, the block being cut, the statements. */
typedef struct {
    sl_store *st;
    sqlite3_stmt *src, *chunk, *del, *put;
    int have_src;
    entry next;          /* the source's row, when have_src */
    entry *old;          /* the chunk's entries */
    size_t nold, capold;
    buf blob;            /* the block being cut */
    int in_block;        /* entries in it */
    uint64_t start, last_place;
    long long last_rid;
    int run;             /* entries of last_place kept so far */
    int any;             /* an entry emitted (last_place/last_rid valid) */
} merge;

static sl_error src_step(merge *m)
{
    int rc = sqlite3_step(m->src);
    m->have_src = rc == SQLITE_ROW;
    if (m->have_src) {
        long long key = sqlite3_column_int64(m->src, 0);
        if (key < INT32_MIN || key > INT32_MAX) {
            sli_store_set_error(m->st, "the dedup index holds a key of more than 32 bits (%lld)",
                                key);
            return SL_ERR_STORE;
        }
        m->next = (entry){sli_store_key_place(key), sqlite3_column_int64(m->src, 1)};
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

/* The next entry of the merged stream, in (place, rid) order: repeated pairs once, and a
 * key's rids past STORE_KEY_MAX_RIDS left out. */
static sl_error emit(merge *m, entry e)
{
    if (m->any && e.place == m->last_place) {
        if (e.rid == m->last_rid || m->run >= STORE_KEY_MAX_RIDS)
            return SL_OK;
        m->run++;
    } else {
        m->run = 1;
        /* a block is cut only between two keys */
        if (m->in_block >= KEY_BLOCK_ENTRIES) {
            sl_error err = flush_block(m);
            if (err)
                return err;
        }
    }
    if (!m->in_block)
        m->start = e.place;
    sl_error err = sli_buf_put_varint(&m->blob, e.place - (m->in_block ? m->last_place : m->start));
    if (!err)
        err = sli_buf_put_varint(&m->blob, (uint64_t)e.rid);
    if (err)
        return err;
    m->in_block++;
    m->any = 1;
    m->last_place = e.place;
    m->last_rid = e.rid;
    return SL_OK;
}

/* The blocks from `pos` on, MERGE_CHUNK at most, decoded into m->old; *bound: the next
 * block's rowid after them (BLOCKS_END when none). */
static sl_error read_chunk(merge *m, uint64_t pos, uint64_t *bound)
{
    m->nold = 0;
    *bound = BLOCKS_END;
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
        sli_store_key_block_start(&b, block, blob, blob ? len : 0);
        entry e;
        int got;
        while (!err && (got = sli_store_key_block_next(&b, &e.place, &e.rid)) == 1) {
            entry *grown = sli_grow_array(m->old, &m->capold, m->nold + 1, sizeof *m->old, 64);
            if (!grown)
                err = SL_ERR_NOMEM;
            else
                (m->old = grown)[m->nold++] = e;
        }
        if (!err && got < 0)
            err = damaged(m->st, block);
    }
    if (!err && rc != SQLITE_ROW && rc != SQLITE_DONE)
        err = sli_store_fail(m->st, rc, "reading keys");
    sqlite3_reset(m->chunk);
    return err;
}

static sl_error run_merge(merge *m)
{
    sl_error err = src_step(m);
    uint64_t pos = 0;
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
        m->any = 0;
        size_t i = 0;
        while (!err && (i < m->nold || (m->have_src && m->next.place < bound))) {
            int from_src = m->have_src && m->next.place < bound &&
                           (i == m->nold || m->next.place < m->old[i].place ||
                            (m->next.place == m->old[i].place && m->next.rid < m->old[i].rid));
            if (from_src) {
                err = emit(m, m->next);
                if (!err)
                    err = src_step(m);
            } else {
                err = emit(m, m->old[i++]);
            }
        }
        if (!err)
            err = flush_block(m);
        pos = bound;
        if (bound == BLOCKS_END)
            break;
    }
    return err;
}

sl_error sli_store_key_blocks_merge(sl_store *st, const char *table, const char *source_sql)
{
    merge m = {.st = st};
    sli_buf_init(&m.blob, BUF_UNLIMITED);
    char sql[3][160];
    snprintf(sql[0], sizeof sql[0],
             "SELECT block, entries FROM %s WHERE block >= ?1 ORDER BY block LIMIT ?2", table);
    snprintf(sql[1], sizeof sql[1], "DELETE FROM %s WHERE block >= ?1 AND block < ?2", table);
    snprintf(sql[2], sizeof sql[2], "INSERT INTO %s(block, entries) VALUES(?1, ?2)", table);
    sl_error err = sli_store_prepare(st, source_sql, &m.src);
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

sl_error sli_store_key_blocks_each(sl_store *st, const char *table,
                                   void (*fn)(void *user, long long key, long long rid),
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
        sli_store_key_block_start(&b, sqlite3_column_int64(s, 0), blob, blob ? len : 0);
        uint64_t place;
        long long rid;
        int got;
        while (!err && (got = sli_store_key_block_next(&b, &place, &rid)) == 1)
            fn(user, (long long)place - 0x80000000LL, rid);
        if (!err && got < 0)
            err = damaged(st, sqlite3_column_int64(s, 0));
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "reading keys");
    sqlite3_finalize(s);
    return err;
}
