/* stages.h — the stages after ingest, over a store's articles (internal).
 *
 * Clean each article (sketching it for dedup and extracting its clustering features as it
 * is cleaned, on the cleaning threads), then match families, then place events: families
 * must be known before events, as copies enter an event together. A batch runs the stages
 * over its own articles (sl_batch_commit); `storyline clean` over every article
 * (sl_store_reclean). The caller holds the transaction. */
#ifndef SL_INGEST_STAGES_H
#define SL_INGEST_STAGES_H

#include <stddef.h>

#include "storyline.h"

typedef struct stages_hooks {
    /* after each article cleaned (last 0), and once more when all are (last 1) */
    void (*cleaned)(void *user, long long done, int last);
    void (*matched)(void *user, size_t done, size_t total);
    void (*clustered)(void *user, size_t done, size_t total);
    void *user;
} stages_hooks;

typedef struct stages_result {
    long long cleaned;   /* articles cleaned */
    long long empty;     /* ... of which nothing was left */
    double clean_seconds, match_seconds, cluster_seconds;
} stages_result;

/* Run the stages over the articles of batch (0: every article). hooks may be NULL, and so
 * may any of its functions. */
sl_error sli_stages_run(sl_store *st, long long batch, const stages_hooks *hooks,
                    stages_result *out);

#endif
