/* u64map.h — the hash table of 64-bit keys (internal): open addressing, linear probing.
 *
 * A map from any 64-bit key to a 64-bit value, or a set of keys (sli_u64map_init_set: no
 * values held). It grows when it fills past half, so every call is O(1) on average, and
 * sli_u64map_clear empties it keeping its room. Key 0 is held beside the slots (0 marks an
 * empty slot), so every key is allowed.
 *
 * It is the one general table: the sets of an article's lines and words (clean), the
 * candidates of a match (dedup), the maps of the cluster stage, the tally of candidate
 * ids (cluster/tally.c: a map cleared per query, counts as values) and a batch's line
 * counts (clean/clean_counts.c: entries in an array, found through a map). One table
 * stays apart, dedup/key_index.c: see docs/core.md for why.
 *
 * Out of memory: sl_error SL_ERR_NOMEM, the table left as it was. A zeroed u64map is an
 * empty map that allocates on its first sli_u64map_put. */
#ifndef SL_CORE_U64MAP_H
#define SL_CORE_U64MAP_H

#include <stddef.h>
#include <stdint.h>

#include "storyline.h" /* sl_error */

typedef struct u64map {
    uint64_t *key;     /* the slots; 0 marks an empty one (key 0 is in has_zero) */
    uint64_t *val;     /* the values, beside the keys; NULL in a set */
    size_t mask;       /* slots - 1 (slots a power of two); 0 before the first allocation */
    size_t n;          /* keys held, key 0 included */
    int set;           /* a set: no values */
    int has_zero;      /* key 0 is held, with the value zero_val */
    uint64_t zero_val;
} u64map;

/* A map (values start at 0) or a set, with room for `expect` keys before it grows. */
sl_error sli_u64map_init(u64map *m, size_t expect);
sl_error sli_u64map_init_set(u64map *m, size_t expect);
/* Frees the slots; m is left a zeroed (empty) map. */
void sli_u64map_free(u64map *m);
/* Empties m, keeping its room (and whether it is a set). */
void sli_u64map_clear(u64map *m);
/* Room for `expect` keys in all, so that adding up to that many cannot fail. */
sl_error sli_u64map_reserve(u64map *m, size_t expect);

/* Adds key if absent (value 0); *added (if not NULL) says whether it was. In a map, *val
 * (if not NULL) is the key's value slot, valid until the next call that adds; in a set it
 * is NULL. SL_ERR_NOMEM leaves m as it was (*added 0, *val NULL). */
sl_error sli_u64map_put(u64map *m, uint64_t key, uint64_t **val, int *added);

/* The key's value slot in a map, or NULL if absent (or m is a set). */
uint64_t *sli_u64map_get(const u64map *m, uint64_t key);
/* 1 if key is held, else 0 (a map or a set). */
int sli_u64map_has(const u64map *m, uint64_t key);

/* Iteration: start with *pos = 0; each call gives the next key (and its value, 0 in a
 * set) and returns 1, or returns 0 at the end. Slot order; key 0 comes last. */
int sli_u64map_next(const u64map *m, size_t *pos, uint64_t *key, uint64_t *val);

#endif
