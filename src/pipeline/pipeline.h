/* pipeline.h — the stages run in order over a store's articles (internal, the pipeline).
 *
 * The pipeline sits above every stage: ingest stores a batch's articles raw; at commit
 * the pipeline cleans each one (sketching it for dedup and extracting its clustering
 * features as it is cleaned, on the cleaning threads), then matches families, then
 * places events: families must be known before events, as copies enter an event
 * together. A batch runs the stages over its own articles (sl_batch_commit, batch.c);
 * `storyline clean` over every article (sl_store_reclean). No stage includes this header
 * or a stage after its own (docs/architecture.md). The caller holds the transaction. */
#ifndef SL_PIPELINE_H
#define SL_PIPELINE_H

#include <stddef.h>

#include "storyline.h"

typedef struct pipeline_hooks {
    /* after each article cleaned (last 0), and once more when all are (last 1) */
    void (*cleaned)(void *user, long long done, int last);
    void (*matched)(void *user, size_t done, size_t total);
    void (*clustered)(void *user, size_t done, size_t total);
    void *user;
} pipeline_hooks;

typedef struct pipeline_result {
    long long cleaned;   /* articles cleaned */
    long long empty;     /* ... of which nothing was left */
    double clean_seconds, match_seconds, cluster_seconds;
} pipeline_result;

/* Run the stages after ingest over the articles of batch (0: every article). hooks may be
 * NULL, and so may any of its functions. */
sl_error sli_pipeline_run(sl_store *st, long long batch, const pipeline_hooks *hooks,
                          pipeline_result *out);

#endif
