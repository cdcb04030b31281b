/* bloom.h — a Bloom filter over 64-bit keys (internal).
 *
 * The store's filter of the dedup stage's stored keys (store/key_filter.c) is a chain of
 * these: most keys of a new article are in no other article, and the filter answers
 * those without a search in SQLite's b-tree. Sized for a number of keys, 16 bits each
 * (rounded up to a cache line, 8 KiB at least); the 4 probes of a key fall in one
 * 512-bit block (one cache line: one miss a lookup): about 0.3% false positives when
 * full, which only cost a search. */
#ifndef SL_CORE_BLOOM_H
#define SL_CORE_BLOOM_H

#include <stdint.h>

#include "storyline.h" /* sl_error */

#define BLOOM_BITS_PER_KEY 16

typedef struct bloom {
    uint64_t *bits;
    uint64_t blocks; /* of 512 bits (8 words) */
} bloom;

/* A filter for `keys` keys: SL_ERR_NOMEM, or SL_ERR_TOO_BIG past 2^32 blocks. */
sl_error sli_bloom_init(bloom *b, uint64_t keys);
/* The same at `bits_per_key` (false positives when full, measured at 1M keys: 8 bits
 * 2.5%, 10 bits 1.25%, 16 bits 0.27%). */
sl_error sli_bloom_init_bits(bloom *b, uint64_t keys, unsigned bits_per_key);
/* An empty filter of `blocks` blocks (at least 128), e.g. one to read a saved one into. */
sl_error sli_bloom_init_blocks(bloom *b, uint64_t blocks);
/* Whether a filter of `blocks` blocks is one these functions make (a saved size that is
 * not says the filter is damaged). */
int sli_bloom_blocks_made(uint64_t blocks);
void sli_bloom_free(bloom *b);
/* Its size in bytes. */
uint64_t sli_bloom_bytes(const bloom *b);
void sli_bloom_add(bloom *b, uint64_t key);
/* 0: certainly never added; 1: perhaps added. */
int sli_bloom_maybe(const bloom *b, uint64_t key);
/* The same with the block chosen by `place`, in order: keys added in ascending place
 * fill the blocks front to back (a scan of a b-tree of hashed keys fills the filter
 * without a cache miss a key). `place` must be spread over 32 bits (a hash's bits) and
 * a key always come with the same place. */
void sli_bloom_add_placed(bloom *b, uint32_t place, uint64_t key);
int sli_bloom_maybe_placed(const bloom *b, uint32_t place, uint64_t key);
/* The same in parts, for a filter read a block at a time (store/settled_filter.c): the
 * index of the block that `place` picks in a filter of `blocks` blocks, and whether
 * `key` may be in that block (its 8 words). */
uint64_t sli_bloom_block_index(uint64_t blocks, uint32_t place);
int sli_bloom_block_maybe(const uint64_t *block, uint64_t key);

#endif
