/* stages.c — clean, match families, place events: the stages after ingest. */
#include "stages.h"

#include <time.h>

#include "../clean/clean_store.h" /* sli_clean_stored */
#include "../cluster/cluster.h"   /* cluster_run */
#include "../dedup/dedup.h"       /* dedup_run */

typedef struct sinks {
    const stages_hooks *hooks;
    dedup_run *dedup;
    cluster_run *cluster;
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
    return err ? err : sli_cluster_sink_done(s->cluster, slot, a);
}

sl_error sli_stages_run(sl_store *st, long long batch, const stages_hooks *hooks,
                    stages_result *out)
{
    *out = (stages_result){0};
    sinks s = {hooks, NULL, NULL, 0};
    double t0 = now();
    sl_error err = sli_dedup_run_create(st, CLEAN_MAX_THREADS, CLEAN_CHUNK, &s.dedup);
    if (!err)
        err = sli_cluster_run_create(st, CLEAN_MAX_THREADS, CLEAN_CHUNK, &s.cluster);
    clean_sink sink = {prepared, done, &s};
    if (!err) /* each article is sketched and featured as it is cleaned */
        err = sli_clean_stored(st, batch, &sink, &out->empty);
    out->cleaned = s.cleaned;
    if (!err && hooks && hooks->cleaned)
        hooks->cleaned(hooks->user, s.cleaned, 1);
    double t1 = now();
    if (!err) /* families */
        err = sli_dedup_run_match(s.dedup, hooks ? hooks->matched : NULL, hooks ? hooks->user : NULL);
    sli_dedup_run_free(s.dedup);
    double t2 = now();
    if (!err) /* events and storylines, once families are known */
        err = sli_cluster_run_place(s.cluster, batch, hooks ? hooks->clustered : NULL,
                                hooks ? hooks->user : NULL);
    sli_cluster_run_free(s.cluster);
    out->clean_seconds = t1 - t0;
    out->match_seconds = t2 - t1;
    out->cluster_seconds = now() - t2;
    return err;
}
