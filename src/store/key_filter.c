/* key_filter.c — the dedup stage's filter of stored keys, kept on the handle.
 *
 * A chain of Bloom filters (core/bloom.h) over every stored key (the blocks of lsh_blocks
 * and paras_blocks and the recent tables), as stored (sli_store_dedup_stored_key;
 * paragraph keys salted apart). It is built by one scan of the blocks and the recent
 * rows, or, when the store keeps a saved filter of the settled keys (settled_filter.c),
 * from that filter as its first link and a scan of the recent rows; then every key that
 * sli_store_dedup_add_key saves is added to it, so that it lives across the slices and
 * batches of one open handle. It must hold every stored key; extra keys (a slice rolled
 * back, an updated article's old keys) only cost a b-tree search. So:
 * - another connection's commit (PRAGMA data_version changed) drops it: its keys are
 *   not in it;
 * - sli_store_dedup_clear drops it (emptying it instead would be wrong if the clear were
 *   rolled back);
 * - when the keys added pass its capacity, a link as large as the whole chain is added
 *   (no scan while keys are saved); a link that cannot be made drops it;
 * - a write transaction rolled back drops it (store.c: it may lack keys the rollback
 *   took back in);
 * - sli_store_dedup_filter_plan builds it again when links have grown since it was built
 *   and the batch's searches pay for the scan. */
#include "store_impl.h"

#include <stdlib.h>

#include "../core/bloom.h"

#define KEY_FILTER_LINKS 16
/* Paragraph keys share the filter with band keys: salted apart. */
#define KEY_FILTER_PARA_SALT 0x5bd1e9955bd1e995ull
/* A scan of the stored keys costs about 1/32 of a b-tree search a key (docs/dedup.md). */
#define KEY_FILTER_SCAN_PAYS 32

struct store_key_filter {
    bloom link[KEY_FILTER_LINKS];
    int links;
    int built_links; /* links when built: 2 when it began with the saved filter */
    uint64_t capacity; /* keys the links are sized for, together */
    uint64_t keys;     /* keys added (scanned and saved; some twice) */
    long long data_version; /* PRAGMA data_version when it held every stored key */
};

uint64_t sli_store_dedup_key_bits(int paragraphs, uint64_t key)
{
    uint64_t k = sli_store_dedup_stored_key(key);
    return paragraphs ? k ^ KEY_FILTER_PARA_SALT : k;
}

/* A key's block: its stored value's order (signed, as the b-tree sorts it) on 32 bits, so
 * that the build's scan, in the b-tree's order, fills the filter front to back: at 12M
 * keys, a cache and TLB miss a key was most of the scan. Band and paragraph keys share
 * their blocks (their bits differ: the salt is in sli_store_dedup_key_bits). */
uint32_t sli_store_dedup_key_place(uint64_t key)
{
    return (uint32_t)sli_store_dedup_stored_key(key) ^ 0x80000000u;
}

void sli_store_key_filter_drop(sl_store *st)
{
    store_key_filter *f = st->key_filter;
    if (!f)
        return;
    for (int i = 0; i < f->links; i++)
        sli_bloom_free(&f->link[i]);
    free(f);
    st->key_filter = NULL;
}

/* A link for `keys` more keys; SL_OK or why not (the chain as it was). */
static sl_error add_link(store_key_filter *f, uint64_t keys)
{
    if (f->links == KEY_FILTER_LINKS)
        return SL_ERR_TOO_BIG;
    sl_error err = sli_bloom_init(&f->link[f->links], keys);
    if (err)
        return err;
    f->links++;
    f->capacity += keys;
    return SL_OK;
}

void sli_store_key_filter_add(sl_store *st, int paragraphs, uint64_t key)
{
    store_key_filter *f = st->key_filter;
    if (!f)
        return;
    if (f->keys >= f->capacity && add_link(f, f->capacity)) {
        sli_store_key_filter_drop(st); /* searched in the b-tree instead: never wrong */
        return;
    }
    sli_bloom_add_placed(&f->link[f->links - 1], sli_store_dedup_key_place(key),
                         sli_store_dedup_key_bits(paragraphs, key));
    f->keys++;
}

int sli_store_dedup_filter_maybe(const store_key_filter *f, int paragraphs, uint64_t key)
{
    uint64_t k = sli_store_dedup_key_bits(paragraphs, key);
    uint32_t place = sli_store_dedup_key_place(key);
    for (int i = f->links - 1; i >= 0; i--) /* the newest first: the newest keys */
        if (sli_bloom_maybe_placed(&f->link[i], place, k))
            return 1;
    return 0;
}

static sl_error data_version(sl_store *st, long long *v)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_borrow(st, "PRAGMA data_version", &s);
    if (err)
        return err;
    int rc = sqlite3_step(s);
    *v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sli_store_return(st, s);
    return rc == SQLITE_ROW ? SL_OK : sli_store_fail(st, rc, "reading the data version");
}

/* A key of the blocks, scanned into the filter (while it stands). */
struct scan_to {
    sl_store *st;
    int paragraphs;
};

static void scanned(void *user, long long key, long long rid)
{
    (void)rid;
    struct scan_to *sc = user;
    if (sc->st->key_filter) /* as stored already: stored_key() leaves such a key as it is */
        sli_store_key_filter_add(sc->st, sc->paragraphs, (uint64_t)key);
}

/* Stored keys into st->key_filter, as it stands: from a scan of the key blocks' tables
 * (`rows` 0), or of the rows the two SELECTs give (`rows` 1: the recent keys). */
static sl_error scan_into(sl_store *st, const char *const tables[2], int rows)
{
    sl_error err = SL_OK;
    for (int t = 0; !err && t < 2 && !rows; t++) {
        struct scan_to sc = {st, t};
        err = sli_store_key_blocks_each(st, sli_dedup_blocks(), tables[t], scanned, &sc);
        if (!err && !st->key_filter)
            err = SL_ERR_NOMEM; /* a link could not be made */
    }
    for (int t = 0; !err && t < 2 && rows; t++) {
        sqlite3_stmt *s;
        err = sli_store_prepare(st, tables[t], &s);
        if (err)
            break;
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW && st->key_filter) {
            /* as stored already: stored_key() leaves such a key as it is */
            sli_store_key_filter_add(st, t & 1, (uint64_t)sqlite3_column_int64(s, 0));
        }
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
            err = sli_store_fail(st, rc, "reading keys");
        else if (!st->key_filter)
            err = SL_ERR_NOMEM; /* a link could not be made */
    }
    return err;
}

/* A new filter with room for `capacity` keys: the settled keys' saved filter as its first
 * link when the store has one (then only the recent keys are scanned into a second), else
 * one link filled by a scan of every stored key. */
static sl_error build(sl_store *st, uint64_t capacity, long long version)
{
    sli_store_key_filter_drop(st);
    store_key_filter *f = calloc(1, sizeof *f);
    if (!f)
        return SL_ERR_NOMEM;
    uint64_t saved = 0;
    int got = 0;
    sl_error err = sli_store_settled_filter_take(st, version, &f->link[0], &saved, &got);
    if (!err && got) {
        f->links = 1;
        f->capacity = f->keys = saved;
    }
    if (!err)
        err = add_link(f, got && capacity > 2 * saved ? capacity - saved : capacity);
    if (err) {
        for (int i = 0; i < f->links; i++)
            sli_bloom_free(&f->link[i]);
        free(f);
        return err;
    }
    f->built_links = f->links;
    f->data_version = version;
    st->key_filter = f;
    static const char *const blocks[2] = {"lsh_blocks", "paras_blocks"};
    static const char *const recent[2] = {"SELECT key FROM lsh_recent",
                                          "SELECT key FROM paras_recent"};
    if (!got)
        err = scan_into(st, blocks, 0);
    if (!err)
        err = scan_into(st, recent, 1);
    if (err)
        sli_store_key_filter_drop(st);
    return err;
}

sl_error sli_store_dedup_filter_plan(sl_store *st, uint64_t stored, uint64_t arriving,
                                     const store_key_filter **out)
{
    *out = NULL;
    long long version;
    sl_error err = data_version(st, &version);
    if (err)
        return err;
    store_key_filter *f = st->key_filter;
    if (f && f->data_version != version)
        sli_store_key_filter_drop(st); /* another connection wrote: keys it lacks */
    sli_store_settled_filter_check(st, version); /* asked by every search: on every path */
    f = st->key_filter;
    /* Searches made without the filter, this batch's included: a scan pays once they
     * outnumber 1/32 of the stored keys (a small batch into a large store searches;
     * many of them through one handle scan once). */
    uint64_t searched = st->keys_searched + arriving;
    int scan_pays = stored <= KEY_FILTER_SCAN_PAYS * searched;
    if (f && (f->links == f->built_links || !scan_pays)) {
        *out = f;
        return SL_OK;
    }
    if (!scan_pays) { /* searched, the settled keys through their saved filter if it pays */
        st->keys_searched = searched;
        return sli_store_settled_filter_plan(st, stored, arriving, version);
    }
    /* Built, or a chain made one filter again: room for as many keys again, so that
     * scans stay geometric (about twice the keys scanned over a handle's life). */
    err = build(st, 2 * (stored + arriving), version);
    if (err == SL_ERR_TOO_BIG) /* too large for a filter: searched */
        err = SL_OK;
    if (!err)
        st->keys_searched = 0;
    *out = st->key_filter;
    return err;
}

long long sli_store_dedup_filter_keys(sl_store *st, int *links, int *grown, uint64_t *bytes)
{
    store_key_filter *f = st->key_filter;
    *links = f ? f->links : 0;
    *grown = f ? f->links - f->built_links : 0;
    *bytes = 0;
    for (int i = 0; f && i < f->links; i++)
        *bytes += sli_bloom_bytes(&f->link[i]);
    return f ? (long long)f->keys : -1;
}
