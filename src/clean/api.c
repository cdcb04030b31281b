/* api.c — the public face of the clean stage: explain one article, re-clean them all. */
#include "clean_store.h"

#include "../cluster/cluster.h" /* cluster_run */
#include "../dedup/dedup.h"     /* dedup_run */

typedef struct explain_ctx {
    sl_line_fn fn;
    void *user;
} explain_ctx;

static int explain_one(void *user, const char *line, size_t len, clean_label label,
                       const char *why, const char *detail)
{
    explain_ctx *x = user;
    sl_line l = {line, len, clean_label_name(label), label == CLEAN_BODY, why, detail};
    return x->fn(x->user, &l);
}

sl_error sl_explain_article(sl_store *st, const char *id, sl_line_fn fn, void *user)
{
    if (!st || !id || !fn)
        return SL_ERR_INVALID;
    explain_ctx x = {fn, user};
    return clean_explain(st, id, explain_one, &x);
}

typedef struct reclean_ctx {
    void (*progress)(void *user, long long done);
    void *user;
    long long done;
    dedup_run *dedup;
    cluster_run *cluster;
} reclean_ctx;

static sl_error one_prepared(void *user, unsigned thread, unsigned slot, const clean_done *a)
{
    reclean_ctx *x = user;
    sl_error err = dedup_sink_prepare(x->dedup, thread, slot, a);
    return err ? err : cluster_sink_prepare(x->cluster, thread, slot, a);
}

static sl_error one_done(void *user, unsigned slot, const clean_done *a)
{
    reclean_ctx *x = user;
    x->done++;
    if (x->progress && x->done % 256 == 0)
        x->progress(x->user, x->done);
    sl_error err = dedup_sink_done(x->dedup, slot, a);
    return err ? err : cluster_sink_done(x->cluster, slot, a);
}

sl_error sl_store_reclean(sl_store *st, void (*progress)(void *user, long long done), void *user,
                          long long *articles)
{
    if (!st)
        return SL_ERR_INVALID;
    if (st->readonly)
        return SL_ERR_INVALID;
    reclean_ctx x = {progress, user, 0, NULL, NULL};
    sl_error err = store_exec(st, "BEGIN IMMEDIATE");
    if (err)
        return err;
    /* The cleaned text changes: so may signatures, families and events, all made again
     * (event ids are given anew). */
    err = dedup_forget(st);
    if (!err)
        err = cluster_forget(st);
    if (!err)
        err = dedup_run_create(st, CLEAN_MAX_THREADS, CLEAN_CHUNK, &x.dedup);
    if (!err)
        err = cluster_run_create(st, CLEAN_MAX_THREADS, CLEAN_CHUNK, &x.cluster);
    clean_sink sink = {one_prepared, one_done, &x};
    if (!err)
        err = clean_stored(st, 0, &sink, NULL);
    if (!err)
        err = dedup_run_match(x.dedup, NULL, NULL);
    dedup_run_free(x.dedup);
    if (!err)
        err = cluster_run_place(x.cluster, 0, NULL, NULL);
    cluster_run_free(x.cluster);
    if (!err)
        err = store_exec(st, "COMMIT");
    else
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    if (articles)
        *articles = x.done;
    return err;
}
