/* digest.c — the present stage in the pipeline: the headline and summary of every event a
 * batch touched, made again and saved (event_digests); a summary whose inputs did not
 * change is kept (below). */
#include "present.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../core/grow.h"
#include "../core/u64map.h"
#include "../core/workers.h"
#include "../store/store.h"

/* The work is shared out in rounds (docs/present.md "Threads"; docs/tuned-constants.md):
 * the calling thread reads a round's events from the store (it alone may), every thread
 * makes a share of their digests while it reads the next round, then it saves them. */
#define PRESENT_THREADS_MAX 4
#define ROUND_EVENTS 64           /* events in a round, at most */
#define ROUND_BYTES (4u << 20)    /* ... and about this many bytes of text read */
#define PRESENT_COST_TEXT 2000    /* a text's bytes the digest looks at, about (its first
                                   * sentences): the part of its cost that a share counts */
#define PRESENT_COST_TITLE 60     /* ... and of each title, compared with the others' */
#define PRESENT_CALLER_SHARE 0.6  /* the caller's share of a round, against 1 for each
                                   * other thread: it reads the next round first */

typedef struct one {
    long long rid, family, batch; /* batch: that of the text read (store_digest_member) */
    char *title;
} one;

/* The summary is a pure function of the texts it reads (the first PRESENT_ARTICLES_MAX
 * articles of one family each, by date) and of the code that reads them: an event whose
 * articles there are the same ones, with the same families, put by the same batches (a
 * cleaned text is made in the batch that puts its article, again only when a later batch
 * puts another text under its id, which sets its batch anew, or by re-cleaning all, which
 * forgets every digest), keeps its saved summary, and only its headline (from its titles)
 * is made again. An event that gains articles dated after its first 40 (news as it
 * arrives) reads none of their texts. DIGEST_CODE names the summary's code in the hash:
 * change it with anything that changes a summary (present.h's bounds, summary.c,
 * sentences.c, words.c and the stop words and stems it uses, src/text/stopwords.c and
 * stem_memo.c, joined() below, the params), so that no summary of the code before is
 * kept. */
#define DIGEST_CODE 3 /* 1: 6f08ac6's inputs (each text's hash); 2: 30b8662's (the store's
                       * count of updates) */

/* One event of a round: what the calling thread read for it, then what a thread made of
 * it. */
typedef struct event_job {
    long long id;
    one *m;          /* one article per family (its origin when in the event), by date */
    size_t n, cap;
    present_article *a;
    size_t acap;
    char *text[PRESENT_ARTICLES_MAX]; /* the texts read (a[i].text) */
    size_t reads;
    size_t cost;     /* the bytes the digest looks at, about: the share of a thread */
    long headline;   /* out: index into m, -1 if none */
    char *summary;   /* out: malloc'd */
    long long inputs; /* the hash of what the summary is made from */
    char *kept;      /* the summary saved with these inputs (malloc'd), or NULL */
    sl_error err;    /* out */
} event_job;

/* A round: up to ROUND_EVENTS events read, then made on every thread, then saved. Two
 * rounds alternate: the calling thread reads the next while the other threads make
 * this one. */
typedef struct round {
    event_job job[ROUND_EVENTS];
    size_t n;
    size_t lo[PRESENT_THREADS_MAX], hi[PRESENT_THREADS_MAX]; /* thread i: job[lo[i]..hi[i]) */
    present_words **w;                    /* a set per thread */
    const present_params *p;
} round;

static void job_clear(event_job *x)
{
    for (size_t i = 0; i < x->n; i++)
        free(x->m[i].title);
    x->n = 0;
    for (size_t i = 0; i < x->reads; i++) {
        free(x->text[i]);
        x->text[i] = NULL;
    }
    x->reads = 0;
    free(x->summary);
    x->summary = NULL;
    free(x->kept);
    x->kept = NULL;
    x->inputs = 0;
    x->headline = -1;
    x->cost = 0;
    x->err = SL_OK;
}

static void job_free(event_job *x)
{
    job_clear(x);
    free(x->m);
    free(x->a);
}

static char *copy(const char *s, int *ok)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    *ok &= d != NULL;
    return d;
}

typedef struct member_ctx {
    event_job *x;
    u64map *fam; /* family -> index in x->m + 1 */
} member_ctx;

static sl_error take_member(void *user, const store_digest_member *m)
{
    member_ctx *c = user;
    event_job *x = c->x;
    if (m->family) {
        uint64_t *at = sli_u64map_get(c->fam, (uint64_t)m->family);
        if (at) { /* a copy: its family's origin stands for it, in the earliest's place */
            one *o = &x->m[*at - 1];
            if (m->rid == m->family && o->rid != m->family) {
                int ok = 1;
                char *t = copy(m->title, &ok);
                if (!ok)
                    return SL_ERR_NOMEM;
                free(o->title);
                o->title = t;
                o->rid = m->rid;
                o->batch = m->batch;
            }
            return SL_OK;
        }
    }
    if (x->n >= PRESENT_TITLES_MAX)
        return SL_OK; /* the work is bounded: later articles are not read */
    one *grown = sli_grow_array(x->m, &x->cap, x->n + 1, sizeof *grown, 64);
    if (!grown)
        return SL_ERR_NOMEM;
    x->m = grown;
    int ok = 1;
    x->m[x->n] = (one){m->rid, m->family, m->batch, copy(m->title, &ok)};
    if (!ok)
        return SL_ERR_NOMEM;
    x->n++;
    uint64_t *v;
    sl_error err =
        m->family ? sli_u64map_put(c->fam, (uint64_t)m->family, &v, NULL) : SL_OK;
    if (!err && m->family)
        *v = x->n;
    return err;
}

typedef struct text_out {
    char **text;
    size_t *len;
} text_out;

static sl_error take_text(void *user, const char *text, size_t len)
{
    text_out *o = user;
    *o->text = malloc(len + 1);
    if (!*o->text)
        return SL_ERR_NOMEM;
    memcpy(*o->text, text, len);
    (*o->text)[len] = '\0';
    *o->len = len;
    return SL_OK;
}

/* The summary's sentences joined by newlines, in a malloc'd string. */
static char *joined(const present_digest *d, const present_article *a)
{
    size_t total = 1;
    for (size_t i = 0; i < d->n; i++)
        total += d->pick[i].len + 1;
    char *s = malloc(total), *p = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < d->n; i++) {
        if (i)
            *p++ = '\n';
        const char *from = a[d->pick[i].article].text + d->pick[i].start;
        for (size_t k = 0; k < d->pick[i].len; k++)
            *p++ = from[k] == '\n' ? ' ' : from[k];
    }
    *p = '\0';
    return s;
}

/* The hash of what the summary of m[0..reads) is made from: each article, its family and
 * the batch that put its text (never 0: 0 is none). */
static long long summary_inputs(const one *m, size_t reads)
{
    uint64_t v[2 + 3 * PRESENT_ARTICLES_MAX] = {DIGEST_CODE, reads};
    size_t k = 2;
    for (size_t i = 0; i < reads && i < PRESENT_ARTICLES_MAX; i++) {
        v[k++] = (uint64_t)m[i].rid;
        v[k++] = (uint64_t)m[i].family;
        v[k++] = (uint64_t)m[i].batch;
    }
    uint64_t h = XXH3_64bits(v, k * sizeof *v);
    return h ? (long long)h : 1;
}

/* Read event `id`'s articles and texts into x (the calling thread: the store's). */
static sl_error read_event(store_digests *sd, u64map *fam, event_job *x, long long id)
{
    job_clear(x);
    sli_u64map_clear(fam);
    x->id = id;
    member_ctx c = {x, fam};
    sl_error err = sli_store_digest_members(sd, id, take_member, &c);
    if (err || !x->n) /* none: the event has gone */
        return err;
    present_article *grown = sli_grow_array(x->a, &x->acap, x->n, sizeof *grown, 64);
    if (!grown)
        return SL_ERR_NOMEM;
    x->a = grown;
    size_t reads = x->n < PRESENT_ARTICLES_MAX ? x->n : PRESENT_ARTICLES_MAX;
    x->cost = PRESENT_COST_TITLE * x->n;
    for (size_t i = 0; i < x->n; i++)
        x->a[i] = (present_article){x->m[i].title, NULL, 0, x->m[i].family};
    x->inputs = summary_inputs(x->m, reads);
    err = sli_store_digest_kept(sd, id, x->inputs, &x->kept);
    if (x->kept) /* the summary as saved: no text to read */
        reads = 0;
    for (size_t i = 0; !err && i < reads; i++) {
        text_out o = {&x->text[i], &x->a[i].len};
        err = sli_store_digest_text(sd, x->m[i].rid, take_text, &o);
        x->a[i].text = x->text[i];
        x->reads = i + 1;
        x->cost += x->a[i].len < PRESENT_COST_TEXT ? x->a[i].len : PRESENT_COST_TEXT;
    }
    return err;
}

/* Make the headline and summary of x (any thread: nothing of the store). */
static void make_event(present_words *w, const present_params *p, event_job *x)
{
    if (!x->n)
        return;
    if (x->kept) { /* the summary kept: the headline alone */
        x->summary = x->kept;
        x->kept = NULL;
        x->err = sli_present_headline(w, x->a, x->n, &x->headline);
        return;
    }
    present_digest d;
    x->err = sli_present_digest(w, x->a, x->n, p, &d);
    if (!x->err && !(x->summary = joined(&d, x->a)))
        x->err = SL_ERR_NOMEM;
    if (!x->err)
        x->headline = d.headline;
}

static void make_share(void *user, unsigned i)
{
    round *r = user;
    for (size_t k = r->lo[i]; k < r->hi[i]; k++)
        make_event(r->w[i], r->p, &r->job[k]);
}

/* Each thread's share of the round, fixed by the jobs' costs (not taken as threads come
 * free: the allocations, which test_oom counts, stay the same from run to run). Threads
 * 1.. take the first shares in order, thread 0 (the caller, which reads the next round
 * first) the last, a smaller one. */
static void shares(round *r, unsigned threads)
{
    size_t total = 0;
    for (size_t k = 0; k < r->n; k++)
        total += r->job[k].cost;
    double whole = PRESENT_CALLER_SHARE + (double)(threads - 1);
    size_t k = 0, done = 0;
    for (unsigned t = 1; t < threads; t++) {
        double until = (double)total * (double)t / whole;
        r->lo[t] = k;
        while (k < r->n && (double)done + (double)r->job[k].cost / 2 < until)
            done += r->job[k++].cost;
        r->hi[t] = k;
    }
    r->lo[0] = k;
    r->hi[0] = r->n;
}

/* Save the round's digests in order (the calling thread); the first error stops it. */
static sl_error save_round(store_digests *sd, round *r)
{
    sl_error err = SL_OK;
    for (size_t k = 0; !err && k < r->n; k++) {
        event_job *x = &r->job[k];
        if (!x->n) /* the event has gone */
            err = sli_store_digest_drop(sd, x->id);
        else if (x->err)
            err = x->err;
        else
            err = sli_store_digest_put(sd, x->id,
                                       x->headline >= 0 ? x->a[x->headline].title : NULL,
                                       x->summary, x->inputs);
    }
    return err;
}

/* Read the events ids[*at ..] into r, up to ROUND_EVENTS or ROUND_BYTES of text. */
static sl_error read_round(store_digests *sd, u64map *fam, round *r, const long long *ids,
                           size_t n, size_t *at)
{
    r->n = 0;
    size_t bytes = 0;
    sl_error err = SL_OK;
    while (!err && *at < n && r->n < ROUND_EVENTS && bytes < ROUND_BYTES) {
        event_job *x = &r->job[r->n++];
        err = read_event(sd, fam, x, ids[(*at)++]);
        for (size_t i = 0; i < x->reads; i++)
            bytes += x->a[i].len;
    }
    return err;
}

sl_error sli_present_run(sl_store *st, const long long *ids, size_t n,
                         void (*progress)(void *user, size_t done, size_t total), void *user)
{
    store_digests sd;
    memset(&sd, 0, sizeof sd);
    u64map fam;
    memset(&fam, 0, sizeof fam);
    workers *team = NULL;
    present_words *w[PRESENT_THREADS_MAX] = {NULL};
    round *r = calloc(2, sizeof *r);
    sl_error err = r ? sli_u64map_init(&fam, 64) : SL_ERR_NOMEM;
    if (!err)
        err = sli_store_digests_open(st, &sd);
    if (!err)
        err = sli_workers_create(sli_workers_cpus(PRESENT_THREADS_MAX), &team);
    unsigned threads = team ? sli_workers_count(team) : 1;
    for (unsigned t = 0; !err && t < threads; t++)
        err = sli_present_words_create(&w[t]);
    size_t at = 0, done = 0;
    round *now = r, *next = r ? r + 1 : NULL;
    if (!err)
        err = read_round(&sd, &fam, now, ids, n, &at);
    while (!err && now->n) {
        shares(now, threads);
        now->w = w;
        now->p = NULL;
        if (threads > 1)
            sli_workers_start(team, make_share, now);
        sl_error read = read_round(&sd, &fam, next, ids, n, &at);
        make_share(now, 0);
        if (threads > 1)
            sli_workers_wait(team);
        err = save_round(&sd, now);
        for (size_t k = 0; progress && !err && k < now->n; k++, done++)
            if (done % 256 == 255 || done + 1 == n)
                progress(user, done + 1, n);
        if (!err)
            err = read;
        round *t = now;
        now = next;
        next = t;
    }
    for (size_t k = 0; r && k < 2 * ROUND_EVENTS; k++)
        job_free(&r[k / ROUND_EVENTS].job[k % ROUND_EVENTS]);
    free(r);
    sli_u64map_free(&fam);
    for (unsigned t = 0; t < PRESENT_THREADS_MAX; t++)
        sli_present_words_free(w[t]);
    sli_workers_free(team);
    sli_store_digests_close(&sd);
    return err;
}

sl_error sli_present_forget(sl_store *st)
{
    return sli_store_digest_clear(st);
}
