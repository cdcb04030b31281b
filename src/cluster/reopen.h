/* reopen.h — events placed again (reopen.c, internal to cluster): the open events, the
 * events of updated articles, and those a batch article links to doubtfully. run.c holds
 * a reopen and calls these at their steps of the placing; the fields are reopen.c's. */
#ifndef SL_CLUSTER_REOPEN_H
#define SL_CLUSTER_REOPEN_H

#include "../core/u64map.h"
#include "run.h"

/* Articles taken back, read from the store in order and waiting for their features
 * (extracted a block at a time on the run's threads, then noted in the order read). */
typedef struct reopen_queue {
    struct reopen_item *item;
    size_t n, cap;
    char *text;          /* their titles and texts, one after another */
    size_t len, text_cap;
    features *f;         /* the block's features (REOPEN_BLOCK) */
    features_ctx **ctx;  /* per thread but the first (which uses the run's) */
    unsigned nctx;
} reopen_queue;

typedef struct reopen {
    u64map own;      /* rids of the batch's own articles */
    u64map reopened; /* events placed again from their articles this run */
    reopen_queue q;
} reopen;

/* Before the engine exists, take back the articles of the events the batch updates and of
 * the open events. */
sl_error sli_reopen_stale(reopen *o, cluster_run *r);
/* Once the engine has the batch's frequencies (and after sli_reopen_stale), those of
 * stored events a batch article links to doubtfully. */
sl_error sli_reopen_near(reopen *o, cluster_run *r);
/* After placing, note the events that stay open for the next batch. */
sl_error sli_reopen_keep_open(engine *e, sl_store *st);
void sli_reopen_free(reopen *o);

#endif
