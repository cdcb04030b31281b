/* workers.h — a fixed team of threads for fork-join work (internal).
 *
 * sli_workers_run() hands fn to every thread of the team, the caller's included as thread 0,
 * and returns when all are done: the CPU-bound parts of a stage run on every core while
 * the store stays with the calling thread. The threads wait between runs; they are made
 * once, by sli_workers_create(), and ended by sli_workers_free(). */
#ifndef SL_CORE_WORKERS_H
#define SL_CORE_WORKERS_H

#include "storyline.h" /* sl_error */

typedef struct workers workers;

/* A team of `n` threads (the caller and n - 1 more; n is at least 1) in *out. Fewer if
 * threads cannot be made: the work is the same, on fewer cores. */
sl_error sli_workers_create(unsigned n, workers **out);
void sli_workers_free(workers *w);
unsigned sli_workers_count(const workers *w);

/* fn(user, i) on thread i, for every i below sli_workers_count(); returns when all return. */
void sli_workers_run(workers *w, void (*fn)(void *user, unsigned i), void *user);

/* sli_workers_run in two halves: fn(user, i) on every thread but the caller's (i from 1),
 * started here, while the caller does something else (its own share too, if it likes);
 * sli_workers_wait returns when they are done. One start, then one wait, before the next
 * run or start. */
void sli_workers_start(workers *w, void (*fn)(void *user, unsigned i), void *user);
void sli_workers_wait(workers *w);

/* fn(user, thread, k) for every k below n, each once, the items taken in turn by whichever
 * thread of the team comes for the next (the caller's included, as thread 0) through an
 * atomic counter; returns when all n are done. For many small items: a thread that wakes
 * late takes fewer, so the caller waits only for the items under way when none are left,
 * not for a thread's fixed part. What fn makes must not depend on which thread runs an
 * item; `thread` (below sli_workers_count) only picks that thread's scratch. Not beside a
 * start and its wait. */
void sli_workers_share(workers *w, size_t n, void (*fn)(void *user, unsigned thread, size_t k),
                       void *user);

/* sli_workers_share, but the caller first runs meanwhile(mine) while the other threads take
 * the items, then takes what is left beside them: the caller's own serial work overlaps
 * the items (meanwhile must change nothing that fn reads). w may be NULL: the caller
 * alone, meanwhile first. */
void sli_workers_share_beside(workers *w, size_t n,
                              void (*fn)(void *user, unsigned thread, size_t k), void *user,
                              void (*meanwhile)(void *mine), void *mine);

/* The calling thread put at the lowest priority the system has (Linux: SCHED_IDLE), so
 * that it runs on what other threads leave of the processors; elsewhere, or where the
 * system refuses, nothing changes. For a thread of a team made for background work. */
void sli_workers_lowest_priority(void);

/* The number of processors this process may run on (Linux: its affinity, as taskset sets
 * it; else those online), at least 1 and at most `cap`. */
unsigned sli_workers_cpus(unsigned cap);

#endif
