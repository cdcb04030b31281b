/* pipeline.c — clean, match families, place events (the articles' facts extracted beside
 * the two: facts_queue.h), make the touched
 * events' facts again: the stages after ingest, over a batch (batch.c) or over every
 * article (sl_store_reclean, below). */
#include "pipeline.h"

#include <limits.h>
#include <time.h>

#include "../clean/clean.h"     /* sli_clean_stored */
#include "../cluster/cluster.h" /* cluster_run */
#include "../dedup/dedup.h"     /* dedup_run */
#include "../present/present.h" /* sli_present_run */
#include "../store/store.h"     /* sli_store_begin */

typedef struct sinks {
    const pipeline_hooks *hooks;
    dedup_run *dedup;
    cluster_run *cluster;
    facts_run *facts;
    long long cleaned;
} sinks;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static sl_error prepared(void *user, unsigned thread, unsigned slot, const clean_done *a)
{
    sinks *s = user;
    sl_error err = sli_dedup_sink_prepare(s->dedup, thread, slot, a);
    return err ? err : sli_cluster_sink_prepare(s->cluster, thread, slot, a);
}

static sl_error done(void *user, unsigned slot, const clean_done *a)
{
    sinks *s = user;
    s->cleaned++;
    if (s->hooks && s->hooks->cleaned)
        s->hooks->cleaned(s->hooks->user, s->cleaned, 0);
    sl_error err = sli_dedup_sink_done(s->dedup, slot, a);
    if (!err)
        err = sli_cluster_sink_done(s->cluster, slot, a);
    return err ? err : sli_facts_run_queue(s->facts, a);
}

/* Deferred events. A batch in slices touches its large events in slice after slice, and
 * each time their quotes were grouped and their entities merged again from all of their
 * articles, and their digests made again: 21,379 events' facts made for the 10,627 events
 * of a 30,000-article first load in six slices. Its slices may leave the events they
 * touch pending (events_pending) for the last, which makes each once. The caller says when
 * (batch.c): a slice that updated an article (its facts saved again) does not defer, and
 * makes the pending events with its own. That keeps the memos of earlier groupings right:
 * a memo resumes only over articles whose facts no run since has saved again, and a run
 * knows only the articles it saved (an article new in a deferred slice is past every
 * memo's articles: rids grow). A reader during the batch sees the touched events'
 * quotes, entities and summaries as they were (new events without them) until the last
 * slice. A batch stopped between slices leaves its events pending: the next batch makes
 * them with its own. */
sl_error sli_pipeline_run(sl_store *st, long long batch, const pipeline_hooks *hooks,
                          int defer_events, struct feature_cache *cache, pipeline_result *out)
{
    *out = (pipeline_result){0};
    sinks s = {hooks, NULL, NULL, NULL, 0};
    double t0 = now();
    sl_error err = sli_dedup_run_create(st, CLEAN_MAX_THREADS, CLEAN_SLOTS, &s.dedup);
    if (!err)
        err = sli_cluster_run_create(st, CLEAN_MAX_THREADS, CLEAN_SLOTS, cache, &s.cluster);
    if (!err) /* before anything is placed: it notes the events the placing touches */
        err = sli_facts_run_create(st, &s.facts);
    clean_sink sink = {prepared, done, &s};
    if (!err) /* each article is sketched and featured as it is cleaned, its facts queued */
        err = sli_clean_stored(st, batch, &sink, &out->empty);
    out->cleaned = s.cleaned;
    if (!err && hooks && hooks->cleaned)
        hooks->cleaned(hooks->user, s.cleaned, 1);
    /* the facts extracted beside the match and the placing, which leave a processor
     * mostly idle; saved when the facts stage begins */
    if (!err)
        sli_facts_run_extract(s.facts);
    double t1 = now();
    if (!err) /* families */
        err = sli_dedup_run_match(s.dedup, hooks ? hooks->matched : NULL, hooks ? hooks->user : NULL);
    sli_dedup_run_free(s.dedup);
    /* the settled keys' filter made again, once a batch (its last slice), if a settle of
     * this batch deleted it */
    if (!err && !defer_events)
        err = sli_store_dedup_keep_filter(st);
    double t2 = now();
    if (!err) /* events and storylines, once families are known */
        err = sli_cluster_run_place(s.cluster, batch, hooks ? hooks->clustered : NULL,
                                hooks ? hooks->user : NULL);
    sli_cluster_run_free(s.cluster);
    double t3 = now(), t4 = t3, t5 = t3;
    if (!err && defer_events) {
        err = sli_facts_run_defer(s.facts);
    } else if (!err) {
        /* the quotes and entities of the events touched, once events are placed; their
         * headlines and summaries while the facts stage reads their old quotes on a
         * thread of its own (sli_facts_run_begin): the present stage reads and writes
         * none of the facts' tables */
        err = sli_facts_run_begin(s.facts);
        t4 = now();
        if (!err) {
            const long long *ids;
            size_t n;
            sli_facts_run_touched(s.facts, &ids, &n);
            err = sli_present_run(st, ids, n, NULL, NULL);
        }
        t5 = now();
        if (!err)
            err = sli_facts_run_events(s.facts, hooks ? hooks->facts : NULL,
                                       hooks ? hooks->user : NULL);
    }
    double extract = s.facts ? sli_facts_run_extract_seconds(s.facts) : 0;
    sli_facts_run_free(s.facts);
    double t6 = now();
    out->present_seconds = t5 - t4;
    out->clean_seconds = t1 - t0;
    out->match_seconds = t2 - t1;
    out->cluster_seconds = t3 - t2;
    out->facts_seconds = (t4 - t3) + (t6 - t5);
    out->facts_extract_seconds = extract;
    return err;
}

/* --- re-cleaning every article --- */

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
    pipeline_hooks hooks = {one_cleaned, NULL, NULL, NULL, &x};
    pipeline_result r = {0};
    sl_error err = sli_store_begin(st);
    if (err)
        return err;
    /* The cleaned text changes: so may signatures, families and events, all made again
     * (event ids are given anew), and facts: every article's extracted again, every
     * event's made again (the old events noted as touched first, so that their quotes
     * go, and a quote printed again keeps its id). */
    err = sli_store_facts_touch_all(st);
    if (!err)
        err = sli_present_forget(st);
    if (!err)
        err = sli_dedup_forget(st);
    if (!err)
        err = sli_cluster_forget(st);
    if (!err) /* every article: the largest cache (a batch before may have set less) */
        err = sli_store_cache_for(st, LLONG_MAX / 64);
    if (!err)
        err = sli_pipeline_run(st, 0, &hooks, 0, NULL, &r);
    if (!err)
        err = sli_store_commit(st);
    if (err) /* a failed commit too leaves the transaction open */
        sli_store_rollback(st);
    if (articles)
        *articles = r.cleaned;
    return err;
}
