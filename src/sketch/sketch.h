/* sketch.h — MinHash signatures of article text (internal, sketch stage).
 *
 * Text (the normalised form: lower case, single spaces) is cut into words; every run of
 * SKETCH_SHINGLE consecutive words is a shingle, hashed once to 64 bits. The signature is
 * a one-permutation MinHash (Li, Owen & Zhang 2012) with optimal densification
 * (Shrivastava 2017): the shingle's hash picks one of SKETCH_K bins and keeps the
 * smallest value per bin; bins left empty borrow the value of a bin chosen by a fixed
 * random walk, so that two signatures agree on a bin with probability equal to the
 * Jaccard similarity of their shingle sets. One pass over the text, no allocation.
 *
 * The fraction of equal values between two signatures estimates Jaccard similarity with
 * a standard error of about sqrt(J(1-J)/SKETCH_K) (0.044 at J=0.5 for K=128). */
#ifndef SL_SKETCH_H
#define SL_SKETCH_H

#include <stddef.h>
#include <stdint.h>

#define SKETCH_K 128
#define SKETCH_SHINGLE 5 /* words per shingle */

typedef struct sketch {
    uint32_t v[SKETCH_K];
    uint32_t shingles; /* shingles seen (0: empty text; the signature is then all zero) */
} sketch;

/* Sketch s[0..n) (normalised text). Texts shorter than SKETCH_SHINGLE words count as one
 * shingle of all their words. */
void sli_sketch_text(const char *s, size_t n, sketch *out);

/* Estimated Jaccard similarity of two signatures, 0..1 (0 if either is empty). */
double sli_sketch_jaccard(const sketch *a, const sketch *b);

/* The hashes of the shingles of s[0..n), for exact comparisons (tests, verification):
 * calls fn for each, in order. */
void sli_sketch_each_shingle(const char *s, size_t n, void (*fn)(void *user, uint64_t h),
                         void *user);

#endif
