/* features.h — what clustering reads of one article: weighted terms in five views
 * (internal).
 *
 * Views: the title's words, the body's words, the names in title and body (capitalised
 * words that do not just open a sentence, and pairs of them), and the details (numbers
 * other than years, and weekdays: what tells one earthquake or one shooting from another
 * of the same kind), and the quotes (pairs of neighbouring terms inside quotation marks:
 * outlets rewriting one story keep its quotes word for word). Words are case-folded, stop words
 * dropped and the rest stemmed (Snowball English); a term is the 64-bit hash of its stem,
 * so title and body share document frequencies while names count apart. Each view keeps
 * its most frequent terms only (FEATURES_MAX_*), weighted 1 + ln(tf); IDF is applied
 * later, when document frequencies of the whole batch are known. */
#ifndef SL_CLUSTER_FEATURES_H
#define SL_CLUSTER_FEATURES_H

#include <stddef.h>
#include <stdint.h>

#include "storyline.h"

enum { VIEW_TITLE, VIEW_BODY, VIEW_NAMES, VIEW_DETAILS, VIEW_QUOTES, VIEWS };

#define FEATURES_MAX_TITLE 24
#define FEATURES_MAX_BODY 96
#define FEATURES_MAX_NAMES 32
#define FEATURES_MAX_DETAILS 16
#define FEATURES_MAX_QUOTES 24
#define FEATURES_MAX \
    (FEATURES_MAX_TITLE + FEATURES_MAX_BODY + FEATURES_MAX_NAMES + FEATURES_MAX_DETAILS + \
     FEATURES_MAX_QUOTES)

/* A term's id: the top TERM_ID_BITS bits of its 64-bit hash, the low bit set (never 0).
 * Why not the whole hash: a store keeps every id of every centroid (5 bytes each,
 * event_blob.c; 8 before) and of the event keys and frequencies (SQLite writes an integer
 * under 2^47 in 6 bytes, a hash in 8). Taking the top bits keeps the hashes' order, so
 * vectors sort and dots add up as they did. Two words whose hashes share those bits count
 * as one term: among n terms about n^2 / 2^40 pairs (5 million terms at a million
 * articles: about 23 pairs; 50 million: 2,300), each a pair of rare words at most
 * weighed together. docs/tuned-constants.md. */
#define TERM_ID_BITS 40

static inline uint64_t sli_term_id(uint64_t hash)
{
    return hash >> (64 - TERM_ID_BITS) | 1u;
}

typedef struct cterm {
    uint64_t id;
    float w;
    float idf; /* in vectors and centroids: the IDF the weight was made with (0: unknown);
                  in features, 0 */
    float q;   /* in vectors and centroids: the sum of its articles' squared weights (w^2
                  for one article), to renormalise them when the IDF changes; in features, 0 */
} cterm;

/* One article's terms: view v is terms[at[v] .. at[v] + n[v]), in id order (a vector and
 * the document frequencies' count rely on it). */
typedef struct features {
    cterm terms[FEATURES_MAX];
    uint32_t at[VIEWS], n[VIEWS];
} features;

/* Per-thread scratch (the stemmer is not thread-safe). */
typedef struct features_ctx features_ctx;

sl_error sli_features_ctx_create(features_ctx **out);
void sli_features_ctx_free(features_ctx *c);

/* Fill f from a title (may be NULL) and cleaned body text s[0..n). */
sl_error sli_features_extract(features_ctx *c, const char *title, const char *s, size_t n,
                          features *f);

/* 1 when the case-folded word w[0..n) is an English stop word (exposed for tests). */
int sli_features_is_stop(const char *w, size_t n);

#endif
