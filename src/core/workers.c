/* workers.c — a generation counter under one mutex: each run bumps it, each thread runs
 * once per generation, the last one to finish wakes the caller. */
#define _GNU_SOURCE /* SCHED_IDLE */
#include "workers.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct member {
    struct workers *team;
    unsigned index;
    pthread_t thread;
} member;

struct workers {
    pthread_mutex_t lock;
    pthread_cond_t start, finished;
    unsigned long generation;
    unsigned n, running;
    int stop;
    void (*fn)(void *user, unsigned i);
    void *user;
    member *members; /* n - 1 of them: thread 0 is the caller */
};

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
    if (n < 1)
        n = 1;
    return (unsigned)n < cap ? (unsigned)n : cap;
}
