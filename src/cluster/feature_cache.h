/* feature_cache.h — the features of a batch's recent articles, kept from one slice to the
 * next (internal to cluster).
 *
 * Why: each slice of a batch places again the articles of the open events and of the
 * events its own articles link to doubtfully (reopen.c), about 0.6 an arriving article,
 * and nearly all of them are articles of the two slices before (20,000 generated
 * articles in slices of 5,000: 83% within one slice back, all within two). Each was read
 * back from the store (its raw text unpacked and cut to the cleaned lines) and its
 * features extracted again: the same features the run had noted, a pure function of the
 * article's title and cleaned text, which no later slice of the batch changes (an article
 * it updates is noted anew, as one of the slice's own, and its new features replace the
 * old; in the batch's last slice, which keeps nothing, the old stay, unread: a slice never
 * places its own articles again).
 *
 * The cache keeps what sli_run_note_doc notes, by rid (an article placed again only when
 * the cache does not have it already: put again, it would fill the current generation
 * while the slice still reads the one before): a generation a slice, the last
 * FEATURE_CACHE_SLICES of them, their entries up to FEATURE_CACHE_BYTES together (past it
 * the oldest generations are forgotten first, then the rest of the current slice is not
 * kept, and is read back as before). A rid is looked up newest first; one whose features
 * could not be kept is marked in its generation, so that an older generation's are not
 * taken.
 *
 * The batch owns it (pipeline/batch.c), makes it at its first slice that is not its last,
 * begins a generation at each slice, and empties it when another connection has written
 * to the store between two slices (PRAGMA data_version): that writer may have updated or
 * cleaned again an article the cache holds. */
#ifndef SL_CLUSTER_FEATURE_CACHE_H
#define SL_CLUSTER_FEATURE_CACHE_H

#include "features.h"

typedef struct feature_cache feature_cache;

sl_error sli_feature_cache_create(feature_cache **out);
void sli_feature_cache_free(feature_cache *c);
/* A new slice begins: the oldest generation is forgotten, and the slice's notes are kept
 * unless keep is 0 (the batch's last slice: no slice after it would read them). */
void sli_feature_cache_next_slice(feature_cache *c, int keep);
/* Everything forgotten. */
void sli_feature_cache_clear(feature_cache *c);
/* Keep rid's features (as noted: views in id order, term ids under 2^TERM_ID_BITS) and
 * day, unless the slice keeps none. Never fails: features it cannot keep (no room, no
 * memory, an id out of range) are marked not kept, or, when not even the mark can be
 * made, the cache is emptied. */
void sli_feature_cache_put(feature_cache *c, long long rid, int day, const features *f);
/* 1 when rid's features are kept. */
int sli_feature_cache_has(const feature_cache *c, long long rid);
/* 1 with *day and *f (the terms as put, views in order, idf and q 0) when rid's are kept;
 * else 0. */
int sli_feature_cache_get(const feature_cache *c, long long rid, int *day, features *f);

#endif
