/* batch.c — a batch from begin to commit: ingest stores its articles (src/ingest), the
 * cleaner splits and counts their lines as they are stored (given to ingest as
 * ingest_lines), and the commit runs the stages and ends the batch's transaction. A
 * batch with slice_articles set is committed in slices: ingest calls commit_slice (its
 * ingest_lines.slice) each time a slice is full, which runs the stages over the slice,
 * commits it as a batch of its own and begins the next; sl_batch_commit ends the last. */
#include "pipeline.h"

#include <stdlib.h>

#include "../clean/clean.h"   /* sli_clean_split, clean_counts */
#include "../cluster/cluster.h" /* feature_cache */
#include "../ingest/ingest.h" /* struct sl_batch, sli_ingest_begin */

/* A batch: ingest's part first, so that an sl_batch * is one of these. */
typedef struct pipeline_batch {
    sl_batch b;
    clean_counts *counts; /* line repetition counted during the batch */
    feature_cache *features; /* its recent articles' features, from slice to slice: made
                                at its first slice that is not its last */
    long long data_version;  /* PRAGMA data_version during the slice before */
    clean_result lines;   /* the lines of the record being stored */
    sl_batch_summary base; /* b.sum when the current slice began */
    double slice_t0;       /* seconds since the batch began, when the slice began */
    double staged;         /* seconds spent in the stages of the slices committed */
} pipeline_batch;

static sl_error split_lines(void *user, const char *text, size_t len, buf *norm, size_t *lines)
{
    pipeline_batch *p = user;
    sl_error err = sli_clean_split(text, len, &p->lines, norm);
    *lines = p->lines.n;
    return err;
}

static sl_error count_lines(void *user, sl_store *st, const char *source)
{
    pipeline_batch *p = user;
    return sli_clean_counts_note(p->counts, st, source, &p->lines);
}

static sl_error slice_full(void *user);

sl_error sl_batch_begin(sl_store *st, const sl_ingest_options *opts, sl_batch **out)
{
    if (!out)
        return SL_ERR_INVALID;
    *out = NULL;
    if (!st)
        return SL_ERR_INVALID;
    pipeline_batch *p = calloc(1, sizeof *p);
    if (!p)
        return SL_ERR_NOMEM;
    sli_clean_result_init(&p->lines, BUF_UNLIMITED);
    sl_error err = sli_clean_counts_create(&p->counts);
    if (err) {
        sl_batch_free(&p->b);
        return err;
    }
    ingest_lines lines = {split_lines, count_lines, slice_full, p};
    err = sli_ingest_begin(&p->b, st, opts, &lines);
    if (err) {
        sl_batch_free(&p->b);
        return err;
    }
    *out = &p->b;
    return SL_OK;
}

/* Progress of the commit's stages: every 256 articles, and at the end of each. */
static void stage_progress(sl_batch *b, const char *stage, long long done, long long total)
{
    if (!b->opt.on_progress || (done % 256 && done != total))
        return;
    long long n = b->sum.added + b->sum.updated + b->sum.present + b->sum.skipped;
    sl_progress p = {n, b->sum.bytes, b->bytes_total, "", stage, done, total};
    b->opt.on_progress(b->opt.user, &p);
}

static void cleaned(void *user, long long done, int last)
{
    sl_batch *b = user;
    /* Added + updated in the slice: an id updated within it counts twice but is cleaned
     * once, so the total may be short of it: the last report says so. */
    long long total = b->sum.added + b->sum.updated - b->slice_from;
    if (!last)
        stage_progress(b, "cleaning", done, total > done ? total : done);
    else if (done != total)
        stage_progress(b, "cleaning", done, done);
}

static void matched(void *user, size_t done, size_t total)
{
    stage_progress(user, "matching", (long long)done, (long long)total);
}

static void clustered(void *user, size_t done, size_t total)
{
    stage_progress(user, "clustering", (long long)done, (long long)total);
}

static void facts(void *user, size_t done, size_t total)
{
    stage_progress(user, "facts", (long long)done, (long long)total);
}

/* Run the commit's stages over the current slice (the whole batch when not sliced) and
 * commit it with its own counts; then, unless `last`, begin the next slice. The times of
 * the stages add up in b->sum across slices. */
static sl_error commit_slice(pipeline_batch *p, int last)
{
    sl_batch *b = &p->b;
    /* The articles held for one INSERT added (article_write.c): ingest's time. */
    sl_error err = sli_store_writer_flush(&b->w);
    double t0 = sli_ingest_seconds(b);
    /* Line counts first, so that every article of the slice is cleaned against all of
     * them, whatever its place in the slice. */
    if (!err)
        err = sli_clean_counts_flush(p->counts, b->st);
    double flushed = sli_ingest_seconds(b); /* the line counts' time is the cleaning's */
    /* The features of the articles this batch noted, for the later slices that place them
     * again (cluster/feature_cache.h): none for a batch of one slice; forgotten when
     * another connection wrote between two slices (it may have changed an article). */
    if (!err && !last && !p->features)
        err = sli_feature_cache_create(&p->features);
    long long version = 0;
    if (!err && p->features && !(err = sl_store_data_version(b->st, &version))) {
        if (b->sum.slices && version != p->data_version)
            sli_feature_cache_clear(p->features);
        p->data_version = version;
        sli_feature_cache_next_slice(p->features, !last);
    }
    pipeline_hooks hooks = {cleaned, matched, clustered, facts, b};
    pipeline_result r = {0};
    /* The slices before the last leave their events' facts to it, unless they updated an
     * article (pipeline.c, "Deferred events"). */
    int defer = !last && b->sum.updated == p->base.updated;
    if (!err)
        err = sli_store_cache_for(b->st, b->sum.added + b->sum.updated - b->slice_from);
    if (!err)
        err = sli_pipeline_run(b->st, b->w.batch, &hooks, defer, p->features, &r);
    b->sum.empty += r.empty;
    b->sum.clean_seconds += r.clean_seconds + flushed - t0;
    b->sum.match_seconds += r.match_seconds;
    b->sum.cluster_seconds += r.cluster_seconds;
    b->sum.facts_seconds += r.facts_seconds;
    b->sum.facts_extract_seconds += r.facts_extract_seconds;
    b->sum.present_seconds += r.present_seconds;
    /* The slice's row: its own counts and time. */
    sl_batch_summary s = b->sum;
    s.added -= p->base.added;
    s.updated -= p->base.updated;
    s.present -= p->base.present;
    s.skipped -= p->base.skipped;
    s.files -= p->base.files;
    s.bytes -= p->base.bytes;
    s.seconds = sli_ingest_seconds(b) - p->slice_t0;
    unsigned commits = b->w.commits;
    double c0 = sli_ingest_seconds(b);
    if (!err) /* the slice's transaction, begun by sli_ingest_begin or the last slice */
        err = last ? sli_store_writer_commit(&b->w, &s) : sli_store_writer_next(&b->w, &s);
    b->sum.commit_seconds += sli_ingest_seconds(b) - c0;
    if (err && b->w.commits != commits)
        b->sum.slices++; /* committed; what failed was beginning the next slice */
    if (err) {
        b->state = BATCH_FAILED;
        return err;
    }
    b->sum.slices++;
    double t1 = sli_ingest_seconds(b);
    p->staged += t1 - t0;
    p->base = b->sum;
    p->slice_t0 = t1;
    b->slice_from = b->sum.added + b->sum.updated;
    return SL_OK;
}

static sl_error slice_full(void *user)
{
    pipeline_batch *p = user;
    return commit_slice(p, 0);
}

sl_error sl_batch_commit(sl_batch *b, sl_batch_summary *sum)
{
    if (!b)
        return SL_ERR_INVALID;
    if (b->state != BATCH_OPEN)
        return SL_ERR_STATE;
    pipeline_batch *p = (pipeline_batch *)b;
    /* Reading and storing (the articles held added first): the time until now less the
     * earlier slices' stages. */
    sl_error err = sli_store_writer_flush(&b->w);
    if (err) {
        b->state = BATCH_FAILED;
        return err;
    }
    b->sum.ingest_seconds = sli_ingest_seconds(b) - p->staged;
    err = commit_slice(p, 1);
    if (err)
        return err;
    b->sum.seconds = sli_ingest_seconds(b);
    b->state = BATCH_COMMITTED;
    if (sum)
        *sum = b->sum;
    return SL_OK;
}

void sl_batch_free(sl_batch *b)
{
    if (!b)
        return;
    pipeline_batch *p = (pipeline_batch *)b;
    sli_ingest_end(b); /* rolls back unless committed */
    sli_clean_counts_free(p->counts);
    sli_feature_cache_free(p->features);
    sli_clean_result_free(&p->lines);
    free(p);
}

/* A reading batch over path: each article to read_fn, or packed to record_fn. */
static sl_error read_into(const char *path, const sl_ingest_options *opts, sl_read_fn read_fn,
                          sl_record_fn record_fn, void *user, sl_batch_summary *summary)
{
    pipeline_batch *p = calloc(1, sizeof *p);
    if (!p)
        return SL_ERR_NOMEM;
    sli_clean_result_init(&p->lines, BUF_UNLIMITED);
    /* The lines are split (an article without any is reported, as a batch reports it),
     * not counted: there is no store to count them in. */
    ingest_lines lines = {split_lines, NULL, NULL, p};
    sl_ingest_options o = opts ? *opts : (sl_ingest_options){0};
    o.slice_articles = 0;
    p->b.read_fn = read_fn;
    p->b.record_fn = record_fn;
    p->b.read_user = user;
    sl_error err = sli_ingest_begin(&p->b, NULL, &o, &lines);
    if (!err)
        err = sl_batch_add_path(&p->b, path);
    p->b.sum.seconds = sli_ingest_seconds(&p->b);
    p->b.sum.ingest_seconds = p->b.sum.seconds;
    if (summary)
        *summary = p->b.sum;
    sl_batch_free(&p->b);
    return err;
}

sl_error sl_read_path(const char *path, const sl_ingest_options *opts, sl_read_fn fn, void *user,
                      sl_batch_summary *summary)
{
    if (!path || !fn)
        return SL_ERR_INVALID;
    return read_into(path, opts, fn, NULL, user, summary);
}

sl_error sl_read_records(const char *path, const sl_ingest_options *opts, sl_record_fn fn,
                         void *user, sl_batch_summary *summary)
{
    if (!path || !fn)
        return SL_ERR_INVALID;
    return read_into(path, opts, NULL, fn, user, summary);
}
