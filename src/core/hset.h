/* hset.h — a set of 64-bit hashes, open addressing (internal).
 *
 * For the small sets of one article (its lines, its words): sized once for the count
 * expected, it grows when it fills past half, and every call is O(1) on average. */
#ifndef SL_CORE_HSET_H
#define SL_CORE_HSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct hset {
    uint64_t *slot; /* 0 marks an empty slot; stored values have their low bit set */
    size_t mask, n;
} hset;

/* Returns 0 when out of memory. */
int sli_hset_init(hset *h, size_t expect);
void sli_hset_free(hset *h);
/* Add x: 1 if it was new, 0 if it was there, -1 when out of memory. */
int sli_hset_add(hset *h, uint64_t x);
int sli_hset_has(const hset *h, uint64_t x);

#endif
