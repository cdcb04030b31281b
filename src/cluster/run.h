/* run.h — what reopen.c may use of a batch's clustering run (internal to cluster).
 *
 * run.c owns the run (struct cluster_run is its own): the noted articles, the engine,
 * the stored events loaded, the families. Reopening (reopen.c) owns its own state
 * (reopen.h) and sees the run only through the functions below: the parts it works
 * with, lent for one call (sli_run_parts), the noted articles, and the run's services. */
#ifndef SL_CLUSTER_RUN_H
#define SL_CLUSTER_RUN_H

#include "cluster.h"
#include "engine.h"
#include "event_blob.h"
#include "loader.h"

/* An article noted for placing. */
typedef struct cdoc {
    long long rid;
    long long was;        /* the event it was in, when placed again (0: new) */
    int counted;          /* counted in the document frequencies already */
    int day;
    uint32_t at;          /* into the run's terms */
    uint16_t n[VIEWS];
    uint32_t found;       /* what its search found before the placing: the run's
                             found-th (sli_run_keep_found), 0 if none */
} cdoc;

/* The parts of a run that reopening works with, lent for one call. */
typedef struct run_parts {
    sl_store *st;
    store_events *es;
    const cluster_params *p;
    engine *e;          /* NULL until the placing begins */
    features_ctx *ctx;  /* the first cleaning thread's: cleaning is over */
    features *scratch;  /* ... and its scratch */
    struct workers *team; /* the run's threads (its first is the caller) */
    struct feature_cache *cache; /* the batch's features of its recent articles, or NULL */
} run_parts;

void sli_run_parts(cluster_run *r, run_parts *out);

/* The articles noted so far, and the i-th (valid until the next sli_run_note_doc). */
size_t sli_run_ndocs(const cluster_run *r);
cdoc *sli_run_doc(cluster_run *r, size_t i);

/* Keep an article's features for placing: `was` the event it was in when placed again
 * (0: new to the stage). */
sl_error sli_run_note_doc(cluster_run *r, long long rid, long long was, int day,
                      const features *f);
/* The features sli_run_note_doc kept of d, into f. */
void sli_run_doc_features(const cluster_run *r, const cdoc *d, features *f);
/* Document frequencies of the terms of the noted articles from `from` on, counted, saved
 * and given to the engine. */
sl_error sli_run_update_df(cluster_run *r, size_t from);
/* Note that rid's family was founded by `family` (a callback: user is the run). */
sl_error sli_run_take_family(void *user, long long rid, long long family);
/* The event this article's family is in already (0 if none). */
sl_error sli_run_family_event(cluster_run *r, long long rid, long long *event);
/* The stored events searches bring in (loader.h: sli_loader_find, sli_loader_load),
 * through the run's loader. */
sl_error sli_run_find_kept(cluster_run *r, const run_query *q, size_t n);
sl_error sli_run_load_kept(cluster_run *r, size_t k, const run_query *q);
/* Keep what search k of the last sli_run_find_kept found as article i's (noted, not yet
 * placed: its search then, the same, is not made again). */
sl_error sli_run_keep_found(cluster_run *r, size_t i, size_t k);

#endif
