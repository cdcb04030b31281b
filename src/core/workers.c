/* workers.c — a generation counter under one mutex: each run bumps it, each thread runs
 * once per generation, the last one to finish wakes the caller. A share (sli_workers_share)
 * bumps it too, but hands its items out through an atomic counter, so that a thread that
 * wakes late finds fewer (or none) left: the caller never waits for a thread's fixed part,
 * only for the items under way when it runs out. */
#define _GNU_SOURCE /* SCHED_IDLE */
#include "workers.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct member {
    struct workers *team;
    unsigned index;
    pthread_t thread;
} member;

/* A share's items: the caller's, on its stack; a thread reads it only while counted in
 * `active`, which the caller waits to see at 0 before it returns. */
typedef struct share {
    void (*fn)(void *user, unsigned thread, size_t k);
    void *user;
    size_t n;
    atomic_size_t next, done;
} share;

struct workers {
    pthread_mutex_t lock;
    pthread_cond_t start, finished, left;
    unsigned long generation;
    unsigned n, running;
    int stop;
    void (*fn)(void *user, unsigned i);
    void *user;
    int sharing;   /* the generation is a share's (its job may be over: `job` NULL) */
    share *job;    /* the share open now, or NULL */
    unsigned active; /* threads taking the open share's items */
    member *members; /* n - 1 of them: thread 0 is the caller */
};

static void take_items(share *j, unsigned thread)
{
    size_t k;
    while ((k = atomic_fetch_add_explicit(&j->next, 1, memory_order_relaxed)) < j->n) {
        j->fn(j->user, thread, k);
        atomic_fetch_add_explicit(&j->done, 1, memory_order_release);
    }
}

static void *loop(void *arg)
{
    member *m = arg;
    workers *w = m->team;
    unsigned long seen = 0;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->stop && w->generation == seen)
            pthread_cond_wait(&w->start, &w->lock);
        if (w->stop)
            break;
        seen = w->generation;
        if (w->sharing) { /* a share's: its items if it is still open, else none */
            share *j = w->job;
            if (!j)
                continue;
            w->active++;
            pthread_mutex_unlock(&w->lock);
            take_items(j, m->index);
            pthread_mutex_lock(&w->lock);
            if (--w->active == 0)
                pthread_cond_signal(&w->left);
            continue;
        }
        pthread_mutex_unlock(&w->lock);
        w->fn(w->user, m->index);
        pthread_mutex_lock(&w->lock);
        if (--w->running == 0)
            pthread_cond_signal(&w->finished);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

sl_error sli_workers_create(unsigned n, workers **out)
{
    workers *w = calloc(1, sizeof *w);
    *out = w;
    if (!w)
        return SL_ERR_NOMEM;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->start, NULL);
    pthread_cond_init(&w->finished, NULL);
    pthread_cond_init(&w->left, NULL);
    w->n = 1;
    if (n > 1)
        w->members = calloc(n - 1, sizeof *w->members);
    for (unsigned i = 1; w->members && i < n; i++) {
        member *m = &w->members[i - 1];
        m->team = w;
        m->index = i;
        if (pthread_create(&m->thread, NULL, loop, m) != 0)
            break; /* fewer threads: the work still gets done */
        w->n++;
    }
    return SL_OK;
}

void sli_workers_free(workers *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = 1;
    pthread_cond_broadcast(&w->start);
    pthread_mutex_unlock(&w->lock);
    for (unsigned i = 1; i < w->n; i++)
        pthread_join(w->members[i - 1].thread, NULL);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->start);
    pthread_cond_destroy(&w->finished);
    pthread_cond_destroy(&w->left);
    free(w->members);
    free(w);
}

unsigned sli_workers_count(const workers *w)
{
    return w->n;
}

void sli_workers_start(workers *w, void (*fn)(void *user, unsigned i), void *user)
{
    pthread_mutex_lock(&w->lock);
    w->fn = fn;
    w->user = user;
    w->sharing = 0;
    w->running = w->n - 1;
    w->generation++;
    pthread_cond_broadcast(&w->start);
    pthread_mutex_unlock(&w->lock);
}

void sli_workers_wait(workers *w)
{
    pthread_mutex_lock(&w->lock);
    while (w->running)
        pthread_cond_wait(&w->finished, &w->lock);
    pthread_mutex_unlock(&w->lock);
}

void sli_workers_run(workers *w, void (*fn)(void *user, unsigned i), void *user)
{
    sli_workers_start(w, fn, user);
    fn(user, 0);
    sli_workers_wait(w);
}

/* The items under way on the other threads, once the caller has run out: each is one
 * item's work (a few microseconds), so the caller spins on the count, and yields its
 * processor only if that goes on (a thread taken off its processor mid-item). */
#define SPINS_BEFORE_YIELD 4096

void sli_workers_share(workers *w, size_t n, void (*fn)(void *user, unsigned thread, size_t k),
                       void *user)
{
    sli_workers_share_beside(w, n, fn, user, NULL, NULL);
}

void sli_workers_share_beside(workers *w, size_t n,
                              void (*fn)(void *user, unsigned thread, size_t k), void *user,
                              void (*meanwhile)(void *mine), void *mine)
{
    share j = {fn, user, n, 0, 0};
    int others = w && w->n > 1 && (n > 1 || (n && meanwhile));
    if (others) {
        pthread_mutex_lock(&w->lock);
        w->sharing = 1;
        w->job = &j;
        w->generation++;
        pthread_cond_broadcast(&w->start);
        pthread_mutex_unlock(&w->lock);
    }
    if (meanwhile)
        meanwhile(mine);
    take_items(&j, 0);
    if (!others)
        return;
    for (unsigned spins = 0; atomic_load_explicit(&j.done, memory_order_acquire) < n; spins++)
        if (spins >= SPINS_BEFORE_YIELD)
            sched_yield();
    pthread_mutex_lock(&w->lock);
    w->job = NULL; /* closed: a thread that wakes for it now takes nothing */
    while (w->active)
        pthread_cond_wait(&w->left, &w->lock);
    pthread_mutex_unlock(&w->lock);
}

void sli_workers_lowest_priority(void)
{
#ifdef SCHED_IDLE
    struct sched_param none = {0};
    (void)pthread_setschedparam(pthread_self(), SCHED_IDLE, &none);
#endif
}

unsigned sli_workers_cpus(unsigned cap)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
#ifdef CPU_COUNT
    /* the processors this process may run on (taskset, a container's cpuset), where the
     * system says */
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        n = CPU_COUNT(&set);
#endif
    if (n < 1)
        n = 1;
    return (unsigned)n < cap ? (unsigned)n : cap;
}
