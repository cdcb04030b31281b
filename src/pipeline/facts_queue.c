/* facts_queue.c — articles queued with their input, taken one at a time by the queue's
 * thread and, at the finish, by the caller's, through one atomic counter; each result
 * kept in its article's place, so that the finish hands them over in the order queued. */
#include "facts_queue.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/buf.h"
#include "../core/grow.h"
#include "../core/json_writer.h"
#include "../core/workers.h"
#include "../facts/facts.h"
#include "pipeline.h" /* sli_facts_of_article */

typedef struct job {
    long long rid;
    char *in;          /* title, text and date, each followed by a NUL */
    size_t text_at, len, date_at;
    unsigned char has_title, has_text, has_date;
    sli_facts f;       /* once extracted */
    char *json;        /* f as saved */
    double seconds;
    sl_error err;
} job;

struct facts_queue {
    const sli_facts_ctx *ctx;
    job *jobs;
    size_t n, cap;
    size_t bytes, max;   /* of the input held; the bound on it */
    atomic_size_t next;  /* the next job to take */
    atomic_size_t by_thread; /* jobs the queue's thread extracted since the last start */
    workers *team;       /* the caller and one thread; made at the first start */
    int started;
};

/* The calling thread's processor time: an extraction on the queue's thread may wait
 * behind the stages beside it, which is not the extraction's time. */
static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

sl_error sli_facts_queue_create(const sli_facts_ctx *ctx, size_t max_bytes, facts_queue **out)
{
    *out = NULL;
    facts_queue *q = calloc(1, sizeof *q);
    if (!q)
        return SL_ERR_NOMEM;
    q->ctx = ctx;
    q->max = max_bytes;
    atomic_init(&q->next, 0);
    atomic_init(&q->by_thread, 0);
    *out = q;
    return SL_OK;
}

static void clear_jobs(facts_queue *q)
{
    for (size_t i = 0; i < q->n; i++) {
        free(q->jobs[i].in);
        free(q->jobs[i].json);
        sli_facts_clear(&q->jobs[i].f);
    }
    q->n = 0;
    q->bytes = 0;
}

/* The queue's thread is told to stop by the counter run past the end. */
static void stop(facts_queue *q)
{
    if (!q->started)
        return;
    atomic_store(&q->next, q->n);
    sli_workers_wait(q->team);
    q->started = 0;
}

void sli_facts_queue_free(facts_queue *q)
{
    if (!q)
        return;
    stop(q);
    sli_workers_free(q->team);
    clear_jobs(q);
    free(q->jobs);
    free(q);
}

sl_error sli_facts_queue_put(facts_queue *q, long long rid, const char *title,
                             const char *text, size_t len, const char *date)
{
    if (q->started)
        return SL_ERR_STATE;
    size_t tl = title ? strlen(title) : 0, dl = date ? strlen(date) : 0;
    if (!text)
        len = 0;
    job *jobs = sli_grow_array(q->jobs, &q->cap, q->n + 1, sizeof *jobs, 256);
    if (!jobs)
        return SL_ERR_NOMEM;
    q->jobs = jobs;
    size_t size = tl + 1 + len + 1 + dl + 1;
    char *in = malloc(size);
    if (!in)
        return SL_ERR_NOMEM;
    job *j = &jobs[q->n];
    *j = (job){.rid = rid, .in = in, .text_at = tl + 1, .len = len,
               .date_at = tl + 1 + len + 1, .has_title = title != NULL,
               .has_text = text != NULL, .has_date = date != NULL};
    memcpy(in, title ? title : "", tl + 1);
    if (len)
        memcpy(in + j->text_at, text, len);
    in[j->text_at + len] = '\0';
    memcpy(in + j->date_at, date ? date : "", dl + 1);
    q->n++;
    q->bytes += size;
    return SL_OK;
}

int sli_facts_queue_full(const facts_queue *q)
{
    return q->bytes >= q->max;
}

/* An article's facts and their JSON. Its buffers are its own, not a thread's reused from
 * article to article: then what an article allocates does not depend on which thread
 * took the articles before it, and a run's allocations are the same in number from run to
 * run (tests/cli/test_oom.sh fails the allocation one past the last and expects none). */
static void extract(facts_queue *q, job *j)
{
    double t0 = cpu_now();
    buf scratch; /* title and text were bounded when the article was read */
    sli_buf_init(&scratch, BUF_UNLIMITED);
    j->err = sli_facts_of_article(q->ctx, j->has_title ? j->in : NULL,
                                  j->has_text ? j->in + j->text_at : NULL, j->len,
                                  j->has_date ? j->in + j->date_at : NULL, &scratch, &j->f);
    sli_buf_free(&scratch);
    if (!j->err) {
        jw w;
        sli_jw_init(&w, NULL, NULL, 0);
        sli_facts_write_json_stored(&w, &j->f);
        j->err = w.err;
        if (!j->err && !(j->json = sli_buf_take(&w.out)))
            j->err = SL_ERR_NOMEM;
        sli_buf_free(&w.out);
    }
    /* j->in is freed by the caller's thread (clear_jobs), not here: a free of the
     * caller's memory takes its heap's lock, which a thread at the lowest priority could
     * hold while it waits for a processor. */
    j->seconds = cpu_now() - t0;
}

/* Take jobs until none is left: on the queue's thread (i 1), at the lowest priority (it
 * runs on what the stages beside it leave of the processors), and on the caller's (i 0)
 * at the finish. */
static void take(void *user, unsigned i)
{
    facts_queue *q = user;
    if (i)
        sli_workers_lowest_priority();
    for (;;) {
        size_t at = atomic_fetch_add(&q->next, 1);
        if (at >= q->n)
            return;
        extract(q, &q->jobs[at]);
        if (i)
            atomic_fetch_add(&q->by_thread, 1);
    }
}

void sli_facts_queue_start(facts_queue *q)
{
    if (q->started || !q->n)
        return;
    atomic_store(&q->next, 0);
    atomic_store(&q->by_thread, 0);
    if (!q->team && sli_workers_create(2, &q->team))
        return; /* no thread: the finish extracts them all */
    if (sli_workers_count(q->team) < 2)
        return;
    sli_workers_start(q->team, take, q);
    q->started = 1;
}

size_t sli_facts_queue_by_thread(const facts_queue *q)
{
    return atomic_load(&q->by_thread);
}

sl_error sli_facts_queue_finish(facts_queue *q, facts_queue_fn fn, void *user)
{
    if (!q->started) {
        atomic_store(&q->next, 0);
        atomic_store(&q->by_thread, 0);
    }
    take(q, 0);
    if (q->started) {
        sli_workers_wait(q->team);
        q->started = 0;
    }
    sl_error err = SL_OK;
    for (size_t i = 0; !err && i < q->n; i++) {
        job *j = &q->jobs[i];
        err = j->err ? j->err : fn(user, j->rid, &j->f, j->json, j->seconds);
    }
    clear_jobs(q);
    return err;
}
