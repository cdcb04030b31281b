/* clean_store.c — cleaning articles held in the store. */
#include "clean_store.h"

#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"
#include "../core/utf8.h"
#include "../core/workers.h"

/* Articles are cleaned a chunk at a time. The store stays with the calling thread: it
 * reads the chunk, looks up the line counts, saves the results. The work between (split
 * the lines, label them, and what the next stage prepares) runs on every core; and the
 * chunk before is saved (and handed to the next stage) while the other threads label
 * this one, so that they do not wait on the store. Two chunks are under way, in the two
 * halves of jobs[]. */

/* One article of a chunk. */
typedef struct job {
    long long rid;
    buf raw, title_in, date_in, source;
    int has_title_in, has_date_in;
    /* HTML articles: the DOM hints, the page's author and the fetch date */
    buf hints, author, fetch_date;
    int has_hints, has_author, has_fetch_date;
    long long source_id, source_articles;
    clean_result r;
    clean_repeats *rep; /* one per line */
    size_t rep_cap;
    buf title;
    clean_done done;
    sl_error err;
} job;

typedef struct cleaner {
    sl_store *st;
    store_line_reader reader;
    store_clean_saver *saver; /* the chunk's cleaned texts, saved by one statement */
    long long source_id, source_articles;
    char *source_name;
    const clean_sink *sink;
    clean_explain_fn explain;
    void *explain_user;
    long long empty;
    workers *team;
    job jobs[CLEAN_SLOTS];
    unsigned half;    /* the half of jobs being filled: from half * CLEAN_CHUNK */
    unsigned n;       /* jobs filled in it */
    unsigned pending; /* jobs of the other half labelled and not saved yet */
    unsigned base, count; /* the jobs being split or labelled: base .. base + count - 1 */
} cleaner;

static void job_init(job *j)
{
    memset(j, 0, sizeof *j);
    sli_buf_init(&j->raw, BUF_UNLIMITED);
    sli_buf_init(&j->title_in, BUF_UNLIMITED);
    sli_buf_init(&j->date_in, BUF_UNLIMITED);
    sli_buf_init(&j->source, BUF_UNLIMITED);
    sli_buf_init(&j->title, BUF_UNLIMITED);
    sli_buf_init(&j->hints, BUF_UNLIMITED);
    sli_buf_init(&j->author, BUF_UNLIMITED);
    sli_buf_init(&j->fetch_date, BUF_UNLIMITED);
    sli_clean_result_init(&j->r, BUF_UNLIMITED);
}

static void job_free(job *j)
{
    sli_buf_free(&j->raw);
    sli_buf_free(&j->title_in);
    sli_buf_free(&j->date_in);
    sli_buf_free(&j->source);
    sli_buf_free(&j->title);
    sli_buf_free(&j->hints);
    sli_buf_free(&j->author);
    sli_buf_free(&j->fetch_date);
    sli_clean_result_free(&j->r);
    free(j->rep);
}

static sl_error copy_text(buf *b, const char *s, int *has)
{
    sli_buf_clear(b);
    if (has)
        *has = s != NULL;
    return s ? sli_buf_puts(b, s) : SL_OK;
}

/* The repetition counts were looked up before labelling: hand them over. */
static void lookup(void *user, const uint64_t *hashes, size_t n, clean_repeats *out)
{
    job *j = user;
    (void)hashes;
    memcpy(out, j->rep, n * sizeof *out);
}

static sl_error use_source(cleaner *cl, const char *name)
{
    if (cl->source_name && !strcmp(cl->source_name, name))
        return SL_OK;
    sl_error err = sli_store_source_find(cl->st, name, &cl->source_id, &cl->source_articles);
    if (err)
        return err;
    free(cl->source_name);
    cl->source_name = strdup(name);
    return cl->source_name ? SL_OK : SL_ERR_NOMEM;
}

/* Store work: the source's counts and the line counts of each line of a split job. */
static sl_error look_up_lines(cleaner *cl, job *j)
{
    sl_error err = use_source(cl, sli_buf_str(&j->source));
    if (err)
        return err;
    j->source_id = cl->source_id;
    j->source_articles = cl->source_articles;
    clean_repeats *v = sli_grow_array(j->rep, &j->rep_cap, j->r.n, sizeof *v, 64);
    if (!v)
        return SL_ERR_NOMEM;
    j->rep = v;
    if (j->r.n)
        memset(j->rep, 0, j->r.n * sizeof *j->rep);
    for (size_t i = 0; !err && i < j->r.n; i++) {
        const clean_line *l = &j->r.lines[i];
        if (l->chars > CLEAN_COUNTED_CHARS)
            continue; /* never counted */
        err = sli_store_line_lookup(&cl->reader, j->source_id, l->hash, &j->rep[i].same_source,
                                &j->rep[i].sources);
    }
    return err;
}

/* CPU work, on thread t: split every job the thread owns. */
static void split_jobs(void *user, unsigned t)
{
    cleaner *cl = user;
    for (unsigned k = t; k < cl->count; k += sli_workers_count(cl->team)) {
        job *j = &cl->jobs[cl->base + k];
        j->err = sli_clean_split(sli_buf_str(&j->raw), j->raw.len, &j->r, NULL);
    }
}

static sl_error label_job(cleaner *cl, unsigned t, unsigned k)
{
    job *j = &cl->jobs[k];
    const char *raw = sli_buf_str(&j->raw);
    clean_input in = {j->has_title_in ? sli_buf_str(&j->title_in) : NULL, j->source_articles,
                      lookup, j, NULL, 0};
    if (j->has_hints) {
        in.hints = (const unsigned char *)j->hints.data;
        in.n_hints = j->hints.len;
    }
    sl_error err = sli_clean_label_lines(raw, j->raw.len, &in, &j->r);
    if (err || cl->explain)
        return err;
    const char *title = in.title;
    sli_buf_clear(&j->title);
    if (!title && j->r.title_line >= 0) {
        const clean_line *l = &j->r.lines[j->r.title_line];
        err = sli_buf_append(&j->title, raw + l->start, l->len);
        if (err)
            return err;
        title = j->title.data;
    }
    j->done = (clean_done){
        .rid = j->rid,
        .text = sli_buf_str(&j->r.text),
        .len = j->r.text.len,
        /* The input's or the page's date, else the text's, else the fetch date. */
        .date = j->has_date_in     ? sli_buf_str(&j->date_in)
                : j->r.date.kind   ? j->r.date.iso
                : j->has_fetch_date ? sli_buf_str(&j->fetch_date)
                                    : NULL,
        .title = title,
        /* The byline the text prints, else the page's author. */
        .byline = j->r.byline[0] ? j->r.byline : j->has_author ? sli_buf_str(&j->author) : NULL,
        .credit = j->r.credit[0] ? j->r.credit : NULL,
    };
    j->done.chars = sli_utf8_count(j->r.text.data, j->r.text.len);
    if (cl->sink && cl->sink->prepare)
        err = cl->sink->prepare(cl->sink->user, t, k, &j->done);
    return err;
}

/* CPU work, on thread t: label the jobs thread t owns, and prepare the next stage's. The
 * calling thread (0) owns the last count / n jobs (an equal share; all of them when
 * alone), the others the rest in turn. It saves the chunk before first, but that is
 * short beside labelling: with half a share, as before, it waited for the other thread
 * half of the cleaning of +25,000 articles into a store of a million (docs/profile.md,
 * "Eighteenth round"). The share is fixed, not taken as threads come free: each thread's
 * buffers then grow the same way from run to run, and so does the count of allocations
 * (tests/cli/test_oom.sh fails the Nth). */
static void label_jobs(void *user, unsigned t)
{
    cleaner *cl = user;
    unsigned n = sli_workers_count(cl->team);
    unsigned mine = cl->count / n;
    unsigned first = t == 0 ? cl->count - mine : t - 1;
    unsigned end = t == 0 ? cl->count : cl->count - mine;
    unsigned step = t == 0 ? 1 : n - 1;
    for (unsigned k = first; k < end; k += step) {
        job *j = &cl->jobs[cl->base + k];
        if (!j->err)
            j->err = label_job(cl, t, cl->base + k);
    }
}

static sl_error save_job(cleaner *cl, unsigned k)
{
    job *j = &cl->jobs[k];
    if (cl->explain) {
        const char *raw = sli_buf_str(&j->raw);
        for (size_t i = 0; i < j->r.n; i++) {
            const clean_line *l = &j->r.lines[i];
            if (cl->explain(cl->explain_user, raw + l->start, l->len, l->label,
                            l->why ? l->why : "prose", l->detail))
                break;
        }
        return SL_OK;
    }
    store_clean_update u = {
        .raw = sli_buf_str(&j->raw),
        .raw_len = j->raw.len,
        .text = j->done.text,
        .text_len = j->done.len,
        .chars_clean = j->done.chars,
        .title = j->done.title,
        .date = j->done.date,
        .byline = j->done.byline,
        .credit = j->done.credit,
    };
    cl->empty += j->done.len == 0;
    return sli_store_cleaned_put(cl->st, &cl->saver, j->rid, &u);
}

/* The next stage's part of an article saved. */
static sl_error done_job(cleaner *cl, unsigned k)
{
    if (cl->explain || !cl->sink || !cl->sink->done)
        return SL_OK;
    return cl->sink->done(cl->sink->user, k, &cl->jobs[k].done);
}

/* A chunk is saved by one statement (sli_store_cleaned_put flushes itself when full). */
_Static_assert(CLEAN_CHUNK <= STORE_CLEAN_ROWS, "a chunk is saved by one UPDATE");

/* Save the labelled jobs first .. first + n - 1, then hand them to the next stage. */
static sl_error save_jobs(cleaner *cl, unsigned first, unsigned n)
{
    sl_error err = SL_OK;
    for (unsigned k = first; !err && k < first + n; k++)
        err = cl->jobs[k].err ? cl->jobs[k].err : save_job(cl, k);
    if (!err)
        err = sli_store_cleaned_flush(cl->st, cl->saver);
    for (unsigned k = first; !err && k < first + n; k++)
        err = done_job(cl, k);
    return err;
}

/* The chunk filled in the current half: split, look up, then labelled on the other
 * threads while this one saves the chunk before (if any) and then helps. */
static sl_error run_chunk(cleaner *cl)
{
    unsigned n = cl->n;
    cl->n = 0;
    if (!n)
        return SL_OK;
    cl->base = cl->half * CLEAN_CHUNK;
    cl->count = n;
    sli_workers_run(cl->team, split_jobs, cl);
    sl_error err = SL_OK;
    for (unsigned k = cl->base; !err && k < cl->base + n; k++)
        err = cl->jobs[k].err ? cl->jobs[k].err : look_up_lines(cl, &cl->jobs[k]);
    if (err)
        return err;
    sli_workers_start(cl->team, label_jobs, cl);
    if (cl->pending)
        err = save_jobs(cl, (cl->half ^ 1) * CLEAN_CHUNK, cl->pending);
    cl->pending = 0;
    if (!err)
        label_jobs(cl, 0);
    sli_workers_wait(cl->team);
    if (err)
        return err;
    cl->pending = n;
    cl->half ^= 1;
    return SL_OK;
}

static sl_error take_row(void *user, const store_clean_row *row)
{
    cleaner *cl = user;
    job *j = &cl->jobs[cl->half * CLEAN_CHUNK + cl->n];
    j->rid = row->rid;
    j->err = SL_OK;
    memset(&j->done, 0, sizeof j->done);
    sl_error err = copy_text(&j->raw, row->raw ? row->raw : "", NULL);
    if (!err)
        err = copy_text(&j->title_in, row->title_in, &j->has_title_in);
    if (!err)
        err = copy_text(&j->date_in, row->date_in, &j->has_date_in);
    if (!err)
        err = copy_text(&j->source, row->source ? row->source : "", NULL);
    if (!err)
        err = copy_text(&j->author, row->author, &j->has_author);
    if (!err)
        err = copy_text(&j->fetch_date, row->fetch_date, &j->has_fetch_date);
    sli_buf_clear(&j->hints);
    j->has_hints = row->hints != NULL;
    if (!err && row->hints)
        err = sli_buf_append(&j->hints, row->hints, row->n_hints);
    if (err)
        return err;
    if (++cl->n == CLEAN_CHUNK)
        return run_chunk(cl);
    return SL_OK;
}

static sl_error run(cleaner *cl, long long batch, const char *id)
{
    sl_error err = sli_workers_create(id ? 1 : sli_workers_cpus(CLEAN_MAX_THREADS), &cl->team);
    if (err)
        return err;
    for (unsigned k = 0; k < CLEAN_SLOTS; k++)
        job_init(&cl->jobs[k]);
    err = sli_store_line_reader_open(cl->st, &cl->reader);
    if (!err && !cl->explain)
        err = sli_store_search_cleaning(cl->st, batch);
    if (!err)
        err = sli_store_each_for_cleaning(cl->st, batch, id, take_row, cl);
    if (!err)
        err = run_chunk(cl); /* the last, partial chunk */
    if (!err && cl->pending) /* and the last labelled */
        err = save_jobs(cl, (cl->half ^ 1) * CLEAN_CHUNK, cl->pending);
    if (!err && !cl->explain) /* what was cleaned into the search index, in one statement */
        err = sli_store_search_cleaned(cl->st, batch);
    sli_store_line_reader_close(&cl->reader);
    sli_store_clean_saver_free(cl->saver);
    for (unsigned k = 0; k < CLEAN_SLOTS; k++)
        job_free(&cl->jobs[k]);
    sli_workers_free(cl->team);
    free(cl->source_name);
    return err;
}

sl_error sli_clean_stored(sl_store *st, long long batch, const clean_sink *sink, long long *empty)
{
    cleaner *cl = calloc(1, sizeof *cl);
    if (!cl)
        return SL_ERR_NOMEM;
    cl->st = st;
    cl->sink = sink;
    sl_error err = run(cl, batch, NULL);
    if (empty)
        *empty = cl->empty;
    free(cl);
    return err;
}

sl_error sli_clean_explain(sl_store *st, const char *id, clean_explain_fn fn, void *user)
{
    cleaner *cl = calloc(1, sizeof *cl);
    if (!cl)
        return SL_ERR_NOMEM;
    cl->st = st;
    cl->explain = fn;
    cl->explain_user = user;
    sl_error err = run(cl, 0, id);
    free(cl);
    return err;
}
