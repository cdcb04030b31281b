/* dedup.h — syndication families (internal, dedup stage).
 *
 * The articles of a batch are noted as they are cleaned (signature made and saved, band
 * and paragraph keys kept in memory), then matched in date order, each against the store
 * and the earlier articles of the batch. Candidates are the articles that share an LSH
 * band of the MinHash signature (32 bands of 4 values: a pair is found with probability
 * 0.87 at Jaccard 0.5, 0.9999 at 0.8, 0.05 at 0.2) or a paragraph (a cleaned line of 10
 * words or more, normalised: trimmed copies and copies with a sidebar share their first
 * paragraphs whatever their Jaccard). The batch's keys are looked up in memory, the
 * stored ones in SQLite (behind a Bloom filter when the batch is large against the
 * store), and saved in key order at the end. Candidates are verified on their exact
 * shingle sets: Jaccard J and containment C (shared shingles over the shorter text's). A
 * match (J >= 0.4 or C >= 0.8) joins the family of the article it matched, but only if
 * it also matches that family's first article (C >= 0.5): a family never grows by a
 * chain of weak links. An article that is a copy (J or C >= 0.8) of members of two
 * families merges them when their first articles match each other (C >= 0.5). */
#ifndef SL_DEDUP_H
#define SL_DEDUP_H

#include "../clean/clean.h" /* clean_done */
#include "../sketch/sketch.h"
#include "../store/store.h"
#include "shingle_set.h"

#define DEDUP_BANDS 32      /* LSH bands of a signature, of SKETCH_K / DEDUP_BANDS values */
#define DEDUP_MAX_PARAS 256 /* paragraph keys kept an article */
#define DEDUP_MIN_SHINGLES 5 /* a text of fewer shingles matches nothing */

/* The verification's rules, given a candidate pair's Jaccard j and containment c (both
 * texts of DEDUP_MIN_SHINGLES shingles or more): does one join the other's family, and is
 * it a copy (one that may bridge two families)? The dedup stage and sl_write_text_compare
 * both decide by these. */
int sli_dedup_is_match(double j, double c);
int sli_dedup_is_copy(double j, double c);

/* A verified candidate: an article (the store's rid, or a group's number) and its Jaccard
 * and containment with the article being matched. */
typedef struct verified {
    long long rid;
    double j, c;
} verified;

/* Where the family rules read and write families: the store's tables for a batch
 * (dedup.c), a map in memory for a group of articles on a worker (family_group.c). A
 * family is named by its first article's rid (0: none). */
typedef struct family_ops {
    sl_error (*family_of)(void *user, long long rid, long long *family);
    /* Jaccard and containment of two articles' texts (a: the one being matched, or a
     * family's first article) */
    sl_error (*compare)(void *user, long long a, long long b, double *j, double *c);
    sl_error (*set_member)(void *user, long long rid, long long family, long long matched,
                           double j, double c);
    /* the members of family `gone` moved into family `keep` */
    sl_error (*merge)(void *user, long long keep, long long gone);
} family_ops;

/* The family rules for one article `self` whose verified candidates are ok[0..nok)
 * (nok >= 1, in the order they were found): it joins the family of the best (the highest
 * J + C, the first of equals), made with that candidate as its first article if it had
 * none, unless the family's first article does not match it too (C < 0.5); a copy of
 * its family and of members of other families merges those whose first articles match
 * each other (C >= 0.5) into the lower. family_rules.c; the one implementation of them. */
sl_error sli_dedup_join(const family_ops *ops, void *user, long long self, const verified *ok,
                        size_t nok);

/* Is an article (its date, "" if none; its shingle count; its id) a better origin for its
 * family than the best so far? The earliest day (undated last); on the same day the
 * earlier time (a date without a time after one with it), then the longer text (more
 * shingles), then the smaller id. family_read.c, for the store's families and a group's. */
int sli_dedup_origin_before(const char *date, long long shingles, const char *id,
                            const char *best_date, long long best_shingles, const char *best_id);
/* A member's relation to its family's origin, from their Jaccard and containment:
 * "copy", "contained" or "rewrite". */
const char *sli_dedup_relation(double j, double c);
/* One family as sl_write_families writes it ({"id", "origin", "members": [...]}, members[0]
 * the origin); nonzero when the writer failed. api.c. */
int sli_dedup_family_json(void *jw_writer, const char *family, const sl_family_member *m,
                          size_t n);

/* A cleaned text's exact shingle set, normalised into norm first: how every candidate is
 * verified. */
sl_error sli_dedup_set_of_text(const char *text, size_t len, buf *norm, shingle_set *set);

/* Two cleaned texts compared as a candidate pair is verified: each normalised (into norm,
 * scratch) and made its exact shingle set; the sets' sizes, Jaccard and containment, and
 * the verdicts. sl_write_text_compare. */
typedef struct dedup_verdict {
    size_t na, nb;  /* shingles of a and of b */
    double j, c;
    int match, copy;
} dedup_verdict;
sl_error sli_dedup_compare(const char *a, size_t alen, const char *b, size_t blen, buf *norm,
                           dedup_verdict *out);

/* One cleaned text's keys (CPU work only; any thread): its normalised form into norm,
 * its signature, band keys and paragraph keys (*nparas of them). The pipeline's prepare,
 * and sl_write_text_sketch on a text without a store. */
sl_error sli_dedup_text_keys(const char *text, size_t len, buf *norm, sketch *sk,
                             uint64_t bands[DEDUP_BANDS], uint64_t paras[DEDUP_MAX_PARAS],
                             uint32_t *nparas);

typedef struct dedup_run dedup_run;

/* A run whose articles are prepared by up to `threads` threads at once, `slots` of them
 * in flight (the cleaner's threads and chunk: clean_store.h). */
sl_error sli_dedup_run_create(sl_store *st, unsigned threads, unsigned slots, dedup_run **out);
void sli_dedup_run_free(dedup_run *r);

/* One cleaned article of the batch, in two steps. First, on any thread, CPU work only
 * (distinct slots may be prepared at once, each thread with its own number): its
 * normalised text, signature, band and paragraph keys. `date` (may be NULL) orders the
 * matching. Then, on the thread that owns the store, the article of `slot` is noted: its
 * signature saved, its keys kept for sli_dedup_run_match. */
sl_error sli_dedup_run_prepare(dedup_run *r, unsigned thread, unsigned slot, long long rid,
                           const char *text, size_t len, const char *date);
sl_error sli_dedup_run_note(dedup_run *r, unsigned slot);

/* The two steps as the cleaner's sink (clean_store.h), user being the dedup_run. */
sl_error sli_dedup_sink_prepare(void *user, unsigned thread, unsigned slot, const clean_done *a);
sl_error sli_dedup_sink_done(void *user, unsigned slot, const clean_done *a);

/* Match the noted articles, in date order (undated last), against the store and each
 * other; record families and save their keys. progress (may be NULL) is called after
 * each article with the number matched and the number to match. */
sl_error sli_dedup_run_match(dedup_run *r, void (*progress)(void *user, size_t done, size_t total),
                         void *user);

/* Forget all keys and families (before every article is noted and matched again, after
 * `storyline clean`). */
sl_error sli_dedup_forget(sl_store *st);

/* The exact shingle set of stored article rid (its cleaned text, normalised), read with
 * d; text and norm are scratch buffers. */
typedef struct shingle_set shingle_set;
sl_error sli_dedup_load_set(store_dedup *d, long long rid, buf *text, buf *norm, shingle_set *set);

/* One member of a family, compared with the family's origin. */
typedef struct dedup_member {
    long long rid;
    double jaccard, containment;
    const char *relation; /* "origin", "copy", "contained", "rewrite" */
} dedup_member;

/* Every family of two or more articles, its members ordered origin first: fn(user,
 * family, members, n). The origin is the earliest dated member (undated last), ties to
 * the longest text. */
sl_error sli_dedup_each_family(sl_store *st,
                           sl_error (*fn)(void *user, long long family,
                                          const dedup_member *members, size_t n),
                           void *user);
/* The same for families[0..n) (their founders' rids), in that order; one with fewer
 * than two members is passed over. */
sl_error sli_dedup_families(sl_store *st, const long long *families, size_t n,
                            sl_error (*fn)(void *user, long long family,
                                           const dedup_member *members, size_t n),
                            void *user);
/* The family objects of docs/output.md for families[0..n), in that order, to w. */
struct jw;
sl_error sli_dedup_families_json(sl_store *st, const long long *families, size_t n,
                                 struct jw *w);

#endif
