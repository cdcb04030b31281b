/* settled_filter.c — a Bloom filter over the settled dedup keys, saved in the store.
 *
 * A small batch into a large store searches each of its keys in the settled blocks
 * (lsh_blocks, paras_blocks): 40,000 b-tree searches for 1,000 articles, about a quarter
 * of a second into a store of a million, where most keys of a new article are in no
 * other. The handle's filter (key_filter.c) answers those without a search, but building
 * it is a scan of every stored key, which such a batch does not pay. This filter is that
 * scan saved: made once the blocks stop changing (the end of a batch whose merge of the
 * recent keys dropped it, or the migration to version 15), and asked by a later process
 * before a settled search (SETTLED_BITS_PER_KEY bits a settled key: 50 MB at a million
 * articles).
 *
 * A small batch reads only the 64-byte blocks its keys fall in, as it asks them (a key's
 * block is picked by its stored order, and the batch asks its keys in that order: each
 * row of the filter is read front to back through one blob handle). Reading the whole
 * filter took 50 MB of new memory, whose first touch cost more than the reading on this
 * project's machine (docs/profile.md, "Twenty-eighth round"); a batch of 1,000 articles
 * reads 40,000 blocks, 2.5 MB. A large batch's handle filter begins with the whole
 * filter (sli_store_settled_filter_take), read at once.
 *
 * It holds every settled key or it is not there: the merge of the recent keys and the
 * clear delete it in their own transaction, so that a rolled back batch leaves the store's
 * filter and blocks as they were together. The recent keys are not in it (a batch writes
 * them; rewriting a filter of tens of MB a batch would cost more than their searches,
 * which are in small tables): they are searched as before.
 *
 * A handle's copy is forgotten when another connection has written the store (PRAGMA
 * data_version: it may have settled keys), on every path of a batch's plan, since every
 * settled search asks it. The filter is a summary of the blocks: one that is damaged is
 * deleted and made again, one that memory cannot hold is not used; the keys are searched.
 *
 * Rows: dedup_filter(part, bits), part p holding blocks p * PART_BLOCKS on, and counter
 * "dedup_filter_blocks" the filter's size in 512-bit blocks (no counter: no filter). */
#include "store_impl.h"

#include <stdlib.h>
#include <string.h>

#include "../core/bloom.h"
#include "../core/grow.h"
#include "../core/u64map.h"

/* Bits a settled key: 1.25% of absent keys searched all the same (each one search,
 * about 6 us), against 10 bits to write once and read a process. */
#define SETTLED_BITS_PER_KEY 10
/* Blocks a row: 1 MiB. */
#define PART_BLOCKS 16384
#define BLOCKS_COUNTER "dedup_filter_blocks"
/* A read of the filter costs about what a search does for every SETTLED_LOAD_PAYS keys
 * it holds (docs/dedup.md): read for a batch that searches more than that share. */
#define SETTLED_LOAD_PAYS 4096
/* A filter read a block at a time keeps at most this part of its blocks between batches:
 * a bound on memory (50 MB / 8, about twice that held), not fitted. */
#define SETTLED_KEEP_SHARE 8

/* Whole (b.bits every block: made here, or read for a handle filter), or read a block at
 * a time (b.bits NULL, b.blocks the filter's size): the blocks read so far are in
 * `words`, 8 a block, found through `at` (block -> its index in them + 1). */
struct store_settled_filter {
    bloom b;
    long long data_version; /* PRAGMA data_version when read or made */
    u64map at;
    uint64_t *words;
    size_t n_read, cap_read;  /* blocks in words, and their room */
    sqlite3_blob *h;          /* on row `part` while a transaction reads (NULL: none) */
    uint64_t part;
};

/* The blob handle closed (a statement of its own: it must not outlive the transaction,
 * which it would keep reading after the commit). */
static void close_part(struct store_settled_filter *f)
{
    sqlite3_blob_close(f->h);
    f->h = NULL;
}

void sli_store_settled_filter_forget(sl_store *st)
{
    struct store_settled_filter *f = st->settled;
    if (!f)
        return;
    close_part(f);
    sli_bloom_free(&f->b);
    sli_u64map_free(&f->at);
    free(f->words);
    free(f);
    st->settled = NULL;
}

void sli_store_settled_filter_rest(sl_store *st)
{
    if (st->settled)
        close_part(st->settled);
}

sl_error sli_store_settled_filter_delete(sl_store *st)
{
    sli_store_settled_filter_forget(st);
    return sli_store_exec(st, "DELETE FROM dedup_filter;"
                              " DELETE FROM counters WHERE name='" BLOCKS_COUNTER "';");
}

struct scan_to {
    bloom *b;
    int paragraphs;
};

static void scanned(void *user, long long key, long long rid)
{
    (void)rid;
    const struct scan_to *sc = user;
    /* as stored already: the place and bits of a stored key are its own */
    sli_bloom_add_placed(sc->b, sli_store_dedup_key_place((uint64_t)key),
                         sli_store_dedup_key_bits(sc->paragraphs, (uint64_t)key));
}

static sl_error count_keys(sl_store *st, uint64_t *keys)
{
    sqlite3_stmt *s;
    /* rows of both tables: a block holds about KEY_BLOCK_ENTRIES (32) keys */
    sl_error err = sli_store_prepare(st, "SELECT (SELECT count(*) FROM lsh_blocks)"
                                         " + (SELECT count(*) FROM paras_blocks)", &s);
    if (err)
        return err;
    int rc = sqlite3_step(s);
    *keys = rc == SQLITE_ROW ? 32 * (uint64_t)sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? SL_OK : sli_store_fail(st, rc, "counting keys");
}

static sl_error save(sl_store *st, const bloom *b)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, "INSERT INTO dedup_filter(part, bits) VALUES(?1, ?2)",
                                     &s);
    for (uint64_t at = 0, part = 0; !err && at < b->blocks; at += PART_BLOCKS, part++) {
        uint64_t n = b->blocks - at < PART_BLOCKS ? b->blocks - at : PART_BLOCKS;
        sqlite3_bind_int64(s, 1, (sqlite3_int64)part);
        sqlite3_bind_blob(s, 2, b->bits + at * 8, (int)(n * 64), SQLITE_STATIC);
        int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            err = sli_store_fail(st, rc, "saving the keys' filter");
    }
    sqlite3_finalize(s);
    if (!err)
        err = sli_store_event_set_counter(st, BLOCKS_COUNTER, (long long)b->blocks);
    return err;
}

sl_error sli_store_dedup_keep_filter(sl_store *st)
{
    long long blocks = 0;
    sl_error err = sli_store_event_counter(st, BLOCKS_COUNTER, &blocks);
    if (err || blocks > 0)
        return err; /* made already: it holds every settled key */
    uint64_t keys;
    err = count_keys(st, &keys);
    if (err || !keys)
        return err; /* no settled key: every search finds nothing at once */
    sli_store_settled_filter_forget(st);
    bloom b;
    err = sli_bloom_init_bits(&b, keys, SETTLED_BITS_PER_KEY);
    if (err == SL_ERR_TOO_BIG || err == SL_ERR_NOMEM)
        return SL_OK; /* none: searched in the b-tree, and the next batch tries again */
    static const char *const tables[2] = {"lsh_blocks", "paras_blocks"};
    for (int t = 0; !err && t < 2; t++) {
        struct scan_to sc = {&b, t};
        err = sli_store_key_blocks_each(st, sli_dedup_blocks(), tables[t], scanned, &sc);
    }
    if (!err)
        err = sli_store_exec(st, "DELETE FROM dedup_filter;");
    if (!err)
        err = save(st, &b);
    /* kept on the handle: this process's next batch need not read it back */
    long long version = 0;
    struct store_settled_filter *f = NULL;
    if (!err && !sl_store_data_version(st, &version) && (f = malloc(sizeof *f))) {
        *f = (struct store_settled_filter){.b = b, .data_version = version};
        st->settled = f;
    } else {
        sli_bloom_free(&b);
    }
    return err;
}

/* Part p into the filter's blocks from p * PART_BLOCKS: read through an incremental blob
 * handle, straight into them (a column's value would be a megabyte allocated and copied
 * again, each part). 1: read; 0: damaged (absent, or of another size); -1: SQLite failed. */
static int read_part(sl_store *st, sqlite3_blob **h, bloom *b, uint64_t part, int *rc)
{
    uint64_t at = part * PART_BLOCKS;
    uint64_t n = b->blocks - at < PART_BLOCKS ? b->blocks - at : PART_BLOCKS;
    *rc = *h ? sqlite3_blob_reopen(*h, (sqlite3_int64)part)
             : sqlite3_blob_open(st->db, "main", "dedup_filter", "bits", (sqlite3_int64)part, 0, h);
    if (*rc == SQLITE_ERROR) /* no such row, or not a blob */
        return 0;
    if (*rc != SQLITE_OK)
        return -1;
    if ((uint64_t)sqlite3_blob_bytes(*h) != n * 64)
        return 0;
    *rc = sqlite3_blob_read(*h, b->bits + at * 8, (int)(n * 64), 0);
    return *rc == SQLITE_OK ? 1 : -1;
}

/* Block `block` of a filter read a block at a time into f->words (its index there in
 * *at). 1: read; 0: damaged (its row absent, or of another size); -1: SQLite failed
 * (*rc; out of memory too: SQLite then rolls the transaction back, which must fail the
 * batch); -2: this file's own memory. */
static int read_block(sl_store *st, struct store_settled_filter *f, uint64_t block,
                      size_t *at, int *rc)
{
    uint64_t part = block / PART_BLOCKS, first = part * PART_BLOCKS;
    uint64_t n = f->b.blocks - first < PART_BLOCKS ? f->b.blocks - first : PART_BLOCKS;
    *rc = SQLITE_OK;
    if (!f->h || f->part != part) {
        *rc = f->h ? sqlite3_blob_reopen(f->h, (sqlite3_int64)part)
                   : sqlite3_blob_open(st->db, "main", "dedup_filter", "bits",
                                       (sqlite3_int64)part, 0, &f->h);
        if (*rc != SQLITE_OK) /* a reopen that failed leaves the handle unusable */
            close_part(f);
        if (*rc == SQLITE_ERROR) /* no such row, or not a blob */
            return 0;
        if (*rc != SQLITE_OK)
            return -1;
        f->part = part;
        if ((uint64_t)sqlite3_blob_bytes(f->h) != n * 64)
            return 0;
    }
    uint64_t *w = sli_grow_array(f->words, &f->cap_read, (f->n_read + 1) * 8, sizeof *w, 512);
    if (!w)
        return -2;
    f->words = w;
    *rc = sqlite3_blob_read(f->h, w + f->n_read * 8, 64, (int)((block - first) * 64));
    if (*rc != SQLITE_OK)
        return -1;
    uint64_t *slot;
    if (sli_u64map_put(&f->at, block, &slot, NULL))
        return -2;
    *slot = f->n_read + 1;
    *at = f->n_read++;
    st->settled_blocks_read++;
    return 1;
}

/* The filter's keys as key_filter.c's: the stored key's order picks the block, the salted
 * key the bits (sli_store_dedup_key_place, _bits). A block not read yet is read; one
 * that is damaged deletes the filter (made again at the batch's end) and leaves the key
 * and every later one searched. */
sl_error sli_store_dedup_settled_maybe(sl_store *st, int paragraphs, uint64_t key, int *maybe)
{
    struct store_settled_filter *f = st->settled;
    *maybe = 1;
    if (!f)
        return SL_OK;
    uint32_t place = sli_store_dedup_key_place(key);
    uint64_t bits = sli_store_dedup_key_bits(paragraphs, key);
    if (f->b.bits) {
        *maybe = sli_bloom_maybe_placed(&f->b, place, bits);
        return SL_OK;
    }
    uint64_t block = sli_bloom_block_index(f->b.blocks, place);
    const uint64_t *slot = sli_u64map_get(&f->at, block);
    size_t at;
    if (slot) {
        at = (size_t)*slot - 1;
    } else {
        int rc, got = read_block(st, f, block, &at, &rc);
        if (got == -2) { /* a summary memory cannot hold: not used */
            sli_store_settled_filter_forget(st);
            return SL_OK;
        }
        if (got < 0)
            return sli_store_fail(st, rc, "reading the keys' filter");
        if (!got)
            return sli_store_settled_filter_delete(st);
    }
    *maybe = sli_bloom_block_maybe(f->words + at * 8, bits);
    return SL_OK;
}

/* Read into the handle (st->settled). A filter that cannot be had leaves the batch to
 * search every key: memory (SL_OK, none read), or damage, a part missing or of another
 * size (SL_OK, the filter deleted in the batch's transaction: its end makes it again
 * from the blocks, which it is only a summary of). */
static sl_error load(sl_store *st, long long blocks, long long version)
{
    struct store_settled_filter *f = calloc(1, sizeof *f);
    if (!f)
        return SL_OK;
    sl_error err = sli_bloom_init_blocks(&f->b, (uint64_t)blocks);
    if (err) { /* SL_ERR_NOMEM, or SL_ERR_TOO_BIG: a size no filter is made with */
        free(f);
        return err == SL_ERR_TOO_BIG ? sli_store_settled_filter_delete(st) : SL_OK;
    }
    int got = f->b.blocks == (uint64_t)blocks; /* 128 blocks at least */
    uint64_t part = 0, parts = ((uint64_t)blocks + PART_BLOCKS - 1) / PART_BLOCKS;
    sqlite3_blob *h = NULL;
    int rc = SQLITE_OK;
    while (got == 1 && part < parts && (got = read_part(st, &h, &f->b, part, &rc)) == 1)
        part++;
    sqlite3_blob_close(h);
    if (got < 0)
        err = sli_store_fail(st, rc, "reading the keys' filter");
    if (got != 1) {
        sli_bloom_free(&f->b);
        free(f);
        return err ? err : sli_store_settled_filter_delete(st); /* damaged */
    }
    f->data_version = version;
    st->settled = f;
    return SL_OK;
}

void sli_store_settled_filter_check(sl_store *st, long long version)
{
    if (st->settled && st->settled->data_version != version)
        sli_store_settled_filter_forget(st); /* another connection wrote: it may have settled */
}

sl_error sli_store_settled_filter_take(sl_store *st, long long version, bloom *out,
                                       uint64_t *keys, int *got)
{
    *got = 0;
    sli_store_settled_filter_check(st, version);
    if (st->settled && !st->settled->b.bits) /* read a block at a time: read it whole */
        sli_store_settled_filter_forget(st);
    if (!st->settled) {
        long long blocks = 0;
        sl_error err = sli_store_event_counter(st, BLOCKS_COUNTER, &blocks);
        if (!err && blocks > 0)
            err = load(st, blocks, version);
        if (err || !st->settled)
            return err;
    }
    *out = st->settled->b; /* its bits the caller's now */
    *keys = st->settled->b.blocks * 512 / SETTLED_BITS_PER_KEY;
    st->settled->b = (bloom){NULL, 0};
    sli_store_settled_filter_forget(st);
    *got = 1;
    return SL_OK;
}

sl_error sli_store_settled_filter_plan(sl_store *st, uint64_t stored, uint64_t arriving,
                                       long long version)
{
    sli_store_settled_filter_check(st, version);
    /* The blocks read are kept for the handle's next batches, up to a part in
     * SETTLED_KEEP_SHARE of the filter (each kept block costs about twice its 64 bytes):
     * then read again from nothing. */
    struct store_settled_filter *kept = st->settled;
    if (kept && !kept->b.bits && kept->n_read > kept->b.blocks / SETTLED_KEEP_SHARE)
        sli_store_settled_filter_forget(st);
    if (st->settled || arriving * SETTLED_LOAD_PAYS < stored)
        return SL_OK;
    long long blocks = 0;
    sl_error err = sli_store_event_counter(st, BLOCKS_COUNTER, &blocks);
    if (err || blocks <= 0)
        return err;
    if (!sli_bloom_blocks_made((uint64_t)blocks)) /* a size no filter is made with */
        return sli_store_settled_filter_delete(st);
    struct store_settled_filter *f = calloc(1, sizeof *f);
    if (!f)
        return SL_OK; /* none: every key searched */
    f->b.blocks = (uint64_t)blocks; /* read a block at a time, as asked */
    f->data_version = version;
    st->settled = f;
    return SL_OK;
}
