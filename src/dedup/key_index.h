/* key_index.h — a batch's band and paragraph keys in memory (internal, dedup stage).
 *
 * A multimap from 64-bit keys to 32-bit values (the articles of one batch), sized once
 * for the number of keys it will hold, insert-only. A slot keeps 32 bits of the key
 * beside its position, which is chosen from the other 32 bits, so keys are told apart
 * on about 32 + log2(slots) bits: a rare false match only costs a verified candidate.
 * The position is the key's high 32 bits scaled, so keys must be spread in their high
 * bits (hashes are; narrower keys are mixed first: family_group.c, core/mix.h).
 * About 20 bytes a key (a slot at load 0.7 and an entry), against SQLite's b-tree
 * search per key that this replaces.
 *
 * Why it is not the core table (core/u64map.h): it holds many values per key, and it is
 * the largest table of a batch (32 band keys and up to 256 paragraph keys an article).
 * Written over u64map (key -> newest entry, at most half full, 16 bytes a slot) it would
 * take about 40 bytes a key, twice this; and an exact key is not needed here. */
#ifndef SL_DEDUP_KEY_INDEX_H
#define SL_DEDUP_KEY_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "storyline.h" /* sl_error */

typedef struct key_index key_index;

/* *ix: an index for at most `keys` insertions (NULL on error: SL_ERR_NOMEM, or
 * SL_ERR_TOO_BIG past 2^32 - 2 keys). */
sl_error sli_key_index_create(size_t keys, key_index **ix);
void sli_key_index_free(key_index *ix);

/* Add (key, value). SL_ERR_TOO_BIG when the index is full (more than `keys` insertions),
 * which leaves it as it was. */
sl_error sli_key_index_add(key_index *ix, uint64_t key, uint32_t value);

/* Call fn(user, value) for each value added under key, newest first. */
void sli_key_index_each(const key_index *ix, uint64_t key, void (*fn)(void *user, uint32_t value),
                    void *user);

/* Bytes held. */
size_t sli_key_index_bytes(const key_index *ix);

#endif
