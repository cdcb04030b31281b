/* shingle_set.h — exact shingle sets, to verify candidate pairs (internal, dedup stage).
 *
 * A MinHash estimate is too coarse to tell a trimmed copy (high containment, middling
 * Jaccard) from a rewrite: candidates are verified on the exact, sorted sets of their
 * shingle hashes. */
#ifndef SL_DEDUP_SHINGLE_SET_H
#define SL_DEDUP_SHINGLE_SET_H

#include <stddef.h>
#include <stdint.h>

#include "storyline.h" /* sl_error */

typedef struct shingle_set {
    uint64_t *v; /* sorted, distinct */
    size_t n, cap;
    uint64_t *tmp; /* the sort's scratch */
    size_t tmp_cap;
} shingle_set;

/* Replace s with the shingles of normalised text t[0..n). SL_ERR_NOMEM leaves s empty. */
sl_error sli_shingle_set_of(shingle_set *s, const char *t, size_t n);
void sli_shingle_set_free(shingle_set *s);

/* Jaccard similarity and containment (shared shingles over the smaller set's) of a, b. */
void sli_shingle_set_compare(const shingle_set *a, const shingle_set *b, double *jaccard,
                         double *containment);

#endif
