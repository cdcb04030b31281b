/* u64map.h — a map from nonzero 64-bit keys to 64-bit values, open addressing (internal).
 *
 * Grows when it fills past half; every call is O(1) on average. */
#ifndef SL_CORE_U64MAP_H
#define SL_CORE_U64MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct u64map {
    uint64_t *key; /* 0 marks an empty slot */
    uint64_t *val;
    size_t mask, n;
} u64map;

/* Returns 0 when out of memory. */
int sli_u64map_init(u64map *m, size_t expect);
void sli_u64map_free(u64map *m);

/* The value's slot for key (nonzero), added with value 0 if absent (*added = 1 then).
 * NULL when out of memory. The pointer is valid until the next call that adds. */
uint64_t *sli_u64map_put(u64map *m, uint64_t key, int *added);

/* The value for key, or NULL if absent. */
uint64_t *sli_u64map_get(const u64map *m, uint64_t key);

#endif
