/* dedup.h — syndication families (internal, dedup stage).
 *
 * Each new article is matched against the whole store: candidates are the articles that
 * share an LSH band of the MinHash signature (32 bands of 4 values: a pair is found with
 * probability 0.87 at Jaccard 0.5, 0.9999 at 0.8, 0.05 at 0.2) or a paragraph (a cleaned
 * line of 10 words or more, normalised: trimmed copies and copies with a sidebar share
 * their first paragraphs whatever their Jaccard). Candidates are verified on their exact
 * shingle sets: Jaccard J and containment C (shared shingles over the shorter text's). A
 * match (J >= 0.4 or C >= 0.8) joins the family of the article it matched, but only if it
 * also matches that family's first article (C >= 0.5): a family never grows by a chain of
 * weak links. */
#ifndef SL_DEDUP_H
#define SL_DEDUP_H

#include "../store/store.h"

/* Match the articles of `batch` (in date order) against the store and record families;
 * their signatures are saved on the way. */
sl_error dedup_stored(sl_store *st, long long batch);

/* Forget all families and match every stored article again, in date order (after the
 * cleaned text changed: `storyline clean`). */
sl_error dedup_rebuild(sl_store *st);

/* One member of a family, compared with the family's origin. */
typedef struct dedup_member {
    long long rid;
    double jaccard, containment;
    const char *relation; /* "origin", "copy", "contained", "rewrite" */
} dedup_member;

/* Every family of two or more articles, its members ordered origin first: fn(user,
 * family, members, n). The origin is the earliest dated member (undated last), ties to
 * the longest text. */
sl_error dedup_each_family(sl_store *st,
                           sl_error (*fn)(void *user, long long family,
                                          const dedup_member *members, size_t n),
                           void *user);

#endif
