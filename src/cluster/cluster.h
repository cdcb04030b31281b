/* cluster.h — the cluster stage: a batch's articles into events and storylines (internal).
 *
 * Like dedup's run, a cluster run is fed by the cleaner (sli_cluster_sink_prepare on any
 * thread, sli_cluster_sink_done on the store's) and placed once families are known
 * (sli_cluster_run_place, after sli_dedup_run_match): the articles of the events the batch before
 * left open taken back among the batch's, articles in date order (undated last), a
 * family's articles into the event its first placed member joined, each other article
 * into the best stored or new event, then storylines linked among the events it touched,
 * and the small events it made or changed left open for the next batch. Everything is
 * written inside the caller's transaction. */
#ifndef SL_CLUSTER_CLUSTER_H
#define SL_CLUSTER_CLUSTER_H

#include "../clean/clean.h" /* clean_done */
#include "../store/store.h"
#include "features.h" /* an article's features, for sl_write_text_features */
#include "feature_cache.h" /* a batch's features of its recent articles, which it keeps */

typedef struct cluster_run cluster_run;

/* cache (may be NULL): the batch's features of its recent articles (feature_cache.h),
 * lent for the run's life, its generation for this run begun by the caller: the run adds
 * the articles it notes (unless the generation keeps nothing: a batch's last slice), and
 * takes those it places again from it. */
sl_error sli_cluster_run_create(sl_store *st, unsigned threads, unsigned slots,
                                feature_cache *cache, cluster_run **out);
void sli_cluster_run_free(cluster_run *r);

sl_error sli_cluster_sink_prepare(cluster_run *r, unsigned thread, unsigned slot, const clean_done *a);
sl_error sli_cluster_sink_done(cluster_run *r, unsigned slot, const clean_done *a);

/* Place the noted articles of `batch` (0: every article, after sli_cluster_forget). progress
 * may be NULL. */
sl_error sli_cluster_run_place(cluster_run *r, long long batch,
                           void (*progress)(void *user, size_t done, size_t total), void *user);

/* Drop every event, storyline and document frequency. */
sl_error sli_cluster_forget(sl_store *st);

/* Pages of the lists (event_read.c, for export/lists.c): the event objects
 * (docs/output.md) of events ids[0..n), in that order, to w (an id that is gone is passed
 * over); the storyline objects, with their timelines, of storylines ids[0..n). */
struct jw;
/* "E12" (or "12") as 12 for prefix 'E', "S3" as 3 for 'S'; 0 if not such an id. */
long long sli_cluster_parse_id(const char *id, char prefix);
sl_error sli_events_json(sl_store *st, const long long *ids, size_t n, struct jw *w);
sl_error sli_storylines_json(sl_store *st, const long long *ids, size_t n, struct jw *w);

#endif
