/* key_index.h — a batch's band and paragraph keys in memory (internal, dedup stage).
 *
 * A multimap from 64-bit keys to 32-bit values (the articles of one batch), sized once
 * for the number of keys it will hold, insert-only. A slot keeps 32 bits of the key
 * beside its position, which is chosen from the other 32 bits, so keys are told apart
 * on about 32 + log2(slots) bits: a rare false match only costs a verified candidate.
 * About 20 bytes a key (a slot at load 0.7 and an entry), against SQLite's b-tree
 * search per key that this replaces. */
#ifndef SL_DEDUP_KEY_INDEX_H
#define SL_DEDUP_KEY_INDEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct key_index key_index;

/* An index for at most `keys` insertions; NULL when out of memory. */
key_index *sli_key_index_create(size_t keys);
void sli_key_index_free(key_index *ix);

/* Add (key, value). Returns 0 when the index is full (more than `keys` insertions). */
int sli_key_index_add(key_index *ix, uint64_t key, uint32_t value);

/* Call fn(user, value) for each value added under key, newest first. */
void sli_key_index_each(const key_index *ix, uint64_t key, void (*fn)(void *user, uint32_t value),
                    void *user);

/* Bytes held. */
size_t sli_key_index_bytes(const key_index *ix);

#endif
