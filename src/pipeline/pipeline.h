/* pipeline.h — the stages run in order over a store's articles (internal, the pipeline).
 *
 * The pipeline sits above every stage: ingest stores a batch's articles raw; at commit
 * the pipeline cleans each one (sketching it for dedup and extracting its clustering
 * features as it is cleaned, on the cleaning threads; its facts extracted beside the
 * later stages: facts_queue.h), then matches families, then places events: families must be known before events,
 * as copies enter an event together; then makes again the quotes and entities of every
 * event the placing touched (facts_stage.c), and their headlines and summaries
 * (src/present/). A batch runs the stages over its own
 * articles (sl_batch_commit, batch.c); `storyline clean` over every article
 * (sl_store_reclean). No stage includes this header or a stage after its own
 * (docs/architecture.md). The caller holds the transaction. */
#ifndef SL_PIPELINE_H
#define SL_PIPELINE_H

#include <stddef.h>

#include "storyline.h"

typedef struct pipeline_hooks {
    /* after each article cleaned (last 0), and once more when all are (last 1) */
    void (*cleaned)(void *user, long long done, int last);
    void (*matched)(void *user, size_t done, size_t total);
    void (*clustered)(void *user, size_t done, size_t total);
    void (*facts)(void *user, size_t done, size_t total); /* events' facts made again */
    void *user;
} pipeline_hooks;

typedef struct pipeline_result {
    long long cleaned;   /* articles cleaned */
    long long empty;     /* ... of which nothing was left */
    double clean_seconds, match_seconds, cluster_seconds;
    /* the facts stage: saving articles' facts and making events' again (wall time),
     * and the extraction's time summed over the cleaning threads (within clean_seconds) */
    double facts_seconds, facts_extract_seconds;
    double present_seconds; /* the touched events' headlines and summaries made again */
} pipeline_result;

struct feature_cache;

/* Run the stages after ingest over the articles of batch (0: every article). hooks may be
 * NULL, and so may any of its functions. defer_events: the touched events' facts and
 * digests are not made but left pending in the store, for the next run that does not
 * defer (pipeline.c says when that is safe). cache (may be NULL): the batch's features of
 * its recent articles (cluster/feature_cache.h), its generation for this run begun. */
sl_error sli_pipeline_run(sl_store *st, long long batch, const pipeline_hooks *hooks,
                          int defer_events, struct feature_cache *cache, pipeline_result *out);

/* --- the facts stage (facts_stage.c) --- */

#include "../clean/clean.h" /* clean_done */

typedef struct facts_run facts_run;
/* Opens the store's facts tables, which starts noting the events touched: create it
 * before the cluster stage writes. */
sl_error sli_facts_run_create(sl_store *st, facts_run **out);
void sli_facts_run_free(facts_run *r);
/* The facts of one cleaned article (CPU work only; any thread): its text read with its
 * headline before it (unless the headline is in Title Case, which says nothing of names),
 * relative dates resolved against date ("YYYY-MM-DD...", may be NULL). scratch holds the
 * joined text. The pipeline's extraction, and sl_write_text_facts's. */
struct sli_facts_ctx;
struct sli_facts;
struct buf;
sl_error sli_facts_of_article(const struct sli_facts_ctx *ctx, const char *title,
                              const char *text, size_t len, const char *date,
                              struct buf *scratch, struct sli_facts *out);

/* A cleaned article's facts: its input queued (facts_queue.h), on the store's thread in rid
 * order (a clean_sink's done); then extracted beside the later stages from
 * sli_facts_run_extract on, and saved, in the order queued, by the first of
 * sli_facts_run_events and _defer (or here, when the queue reaches its bound). */
sl_error sli_facts_run_queue(facts_run *r, const clean_done *a);
void sli_facts_run_extract(facts_run *r);
/* After the placing, in two steps: _begin saves the articles' facts, takes the events
 * touched since the create (sli_facts_run_touched from then on) and starts reading their
 * quotes as stored, on a thread of its own where it can (facts_stage.c, old_reading),
 * so that the caller may do other work on the touched events meanwhile (the present
 * stage: it reads none of the facts' tables and writes none of them); _events then makes
 * their quotes (variants grouped, ids kept where a wording survives) and entities again
 * (and begins first, when not begun). progress may be NULL. */
sl_error sli_facts_run_begin(facts_run *r);
sl_error sli_facts_run_events(facts_run *r,
                              void (*progress)(void *user, size_t done, size_t total),
                              void *user);
/* Instead of sli_facts_run_events: the events touched since the create left pending in
 * the store (sli_store_facts_defer), for the next run's sli_facts_run_events. */
sl_error sli_facts_run_defer(facts_run *r);
/* The events the last sli_facts_run_begin took (gone ones included), ascending: the
 * later stages' work (the present stage); none once _events failed. Valid until the run
 * is freed or begun again. */
void sli_facts_run_touched(const facts_run *r, const long long **ids, size_t *n);
/* Processor seconds of the articles' extraction so far, summed over the threads. */
double sli_facts_run_extract_seconds(const facts_run *r);

#endif
