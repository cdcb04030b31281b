/* api.c — the public face of the clean stage: explain one article, re-clean them all. */
#include "clean_store.h"

#include "../cluster/cluster.h"  /* sli_cluster_forget */
#include "../dedup/dedup.h"      /* sli_dedup_forget */
#include "../ingest/stages.h"    /* sli_stages_run */

typedef struct explain_ctx {
    sl_line_fn fn;
    void *user;
} explain_ctx;

static int explain_one(void *user, const char *line, size_t len, clean_label label,
                       const char *why, const char *detail)
{
    explain_ctx *x = user;
    sl_line l = {line, len, sli_clean_label_name(label), label == CLEAN_BODY, why, detail};
    return x->fn(x->user, &l);
}

sl_error sl_explain_article(sl_store *st, const char *id, sl_line_fn fn, void *user)
{
    if (!st || !id || !fn)
        return SL_ERR_INVALID;
    explain_ctx x = {fn, user};
    return sli_clean_explain(st, id, explain_one, &x);
}

typedef struct reclean_ctx {
    void (*progress)(void *user, long long done);
    void *user;
} reclean_ctx;

static void one_cleaned(void *user, long long done, int last)
{
    reclean_ctx *x = user;
    if (x->progress && !last && done % 256 == 0)
        x->progress(x->user, done);
}

sl_error sl_store_reclean(sl_store *st, void (*progress)(void *user, long long done), void *user,
                          long long *articles)
{
    if (!st)
        return SL_ERR_INVALID;
    if (sli_store_readonly(st))
        return SL_ERR_INVALID;
    reclean_ctx x = {progress, user};
    stages_hooks hooks = {one_cleaned, NULL, NULL, &x};
    stages_result r = {0};
    sl_error err = sli_store_begin(st);
    if (err)
        return err;
    /* The cleaned text changes: so may signatures, families and events, all made again
     * (event ids are given anew). */
    err = sli_dedup_forget(st);
    if (!err)
        err = sli_cluster_forget(st);
    if (!err)
        err = sli_stages_run(st, 0, &hooks, &r);
    if (!err)
        err = sli_store_commit(st);
    else
        sli_store_rollback(st);
    if (articles)
        *articles = r.cleaned;
    return err;
}
