/* tally.h — which ids a list names at least `need` times (internal).
 *
 * Candidate search reads up to ENGINE_CANDIDATES event ids (the postings of an article's
 * key terms) and keeps those found under `need` keys or more. Sorting the whole list to
 * count them showed in the profile at a million articles; a hash table, id -> count,
 * counts them in one pass, and only the few ids kept are sorted. Reserved once for the
 * longest list, it is not emptied between lists: a slot counts for the list that stamped
 * it last (clearing the whole table for each list cost more than the counting, 8% of the
 * events stage's main thread at 30k). */
#ifndef SL_CLUSTER_TALLY_H
#define SL_CLUSTER_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "../core/u64map.h"
#include "storyline.h" /* sl_error */

typedef struct tally_pair {
    long long id;
    uint32_t n;
} tally_pair;

typedef struct tally_slot {
    long long id;
    uint32_t list; /* the list that stamped it: empty for any other */
    uint32_t n;
} tally_slot;

typedef struct tally {
    tally_slot *slot; /* id -> times counted by the last sli_tally_at_least */
    size_t mask;      /* slots - 1 */
    uint32_t list;    /* the last list's stamp */
    tally_pair *pair; /* room to rank the ids kept */
    size_t room;      /* ids reserved */
} tally;

/* Room to count n ids. */
sl_error sli_tally_reserve(tally *t, size_t n);

/* Count ids[0..n) (all positive; n no more than reserved) afresh: ids becomes those
 * counted `need` times or more, each once, ascending; returns how many. Past `most`,
 * only the `most` counted most often are kept (the highest ids first on ties). */
size_t sli_tally_at_least(tally *t, long long *ids, size_t n, int need, size_t most);

/* How many times the last sli_tally_at_least counted id. */
uint32_t sli_tally_count(const tally *t, long long id);

/* Frees the table (t itself is the caller's); t is left empty. */
void sli_tally_free(tally *t);

#endif
