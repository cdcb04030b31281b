/* bloom.h — a Bloom filter over 64-bit keys (internal, dedup stage).
 *
 * Over the keys already stored when a large batch is matched: most keys of a new article
 * are in no other article, and the filter answers those without a search in SQLite's
 * b-tree. 16 bits a key, 4 probes: about 0.2% false positives, which only cost a search. */
#ifndef SL_DEDUP_BLOOM_H
#define SL_DEDUP_BLOOM_H

#include <stdint.h>

#include "storyline.h" /* sl_error */

typedef struct bloom {
    uint64_t *bits;
    uint64_t mask; /* number of bits - 1 (a power of two) */
} bloom;

sl_error sli_bloom_init(bloom *b, uint64_t keys);
void sli_bloom_free(bloom *b);
void sli_bloom_add(bloom *b, uint64_t key);
/* 0: certainly never added; 1: perhaps added. */
int sli_bloom_maybe(const bloom *b, uint64_t key);

#endif
