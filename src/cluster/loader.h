/* loader.h — the stored events a batch's placing brings into its engine (internal to
 * cluster).
 *
 * An article's search (sli_engine_candidates) can return only events the engine holds;
 * the loader brings in, before each search, the stored events it could return: those
 * indexed under `need` of the search's terms in the store's event keys (the newest
 * ENGINE_MAX_POSTINGS of each term, read once a run), past ENGINE_BEST_CANDIDATES those
 * under the most. Which ones is a tally over the postings, pure once they are read: it is
 * made for many searches at once on the run's threads (sli_loader_find), and each
 * search's events are then loaded on the caller's thread, in turn (sli_loader_load), as
 * the store's reads and the engine's postings must be. The run owns the loader; the store
 * handle, the engine and the team are lent to it. */
#ifndef SL_CLUSTER_LOADER_H
#define SL_CLUSTER_LOADER_H

#include "../core/u64map.h"
#include "engine.h"
#include "event_blob.h"

struct workers;

/* What a search brings in (sli_loader_find): its events, ascending, each with the keys
 * that found it (bit k: the search's k-th term). It is a pure function of the search's
 * terms and `need`, once their postings are read, and they are read once a run: so a
 * search made again in the run may be given what it found before (run_query.found). The
 * same search, not merely the same article: `query` identifies the terms, in order, and
 * `need` it was made for, and a search given another's result makes its own instead. */
typedef struct loader_found {
    long long event[ENGINE_BEST_CANDIDATES];
    uint64_t keys[ENGINE_BEST_CANDIDATES];
    uint64_t query;
    uint32_t n;
} loader_found;

/* A search's terms, under how many of them an event must be found, and what the same
 * search found before in this run (NULL: not made yet). */
typedef struct run_query {
    const uint64_t *terms;
    size_t n;
    int need;
    const loader_found *found;
} run_query;

typedef struct loader {
    store_events *es;      /* lent */
    engine *e;             /* lent: set by sli_loader_start */
    struct workers *team;  /* lent (NULL: the caller alone) */
    int stored;            /* the store had events before the run: else nothing to load */
    u64map posted;         /* term -> its stored postings in posted_ids */
    u64map dropped;        /* stale keys forgotten this run, (term, event) hashed */
    long long *posted_ids;
    size_t nposted, posted_cap;
    struct finder *finders; /* a search's scratch, one a thread of the team */
    unsigned nfinders;
    loader_found *kept;    /* sli_loader_find's searches' events */
    size_t kept_cap;
} loader;

/* Empty, reading through es. */
void sli_loader_init(loader *l, store_events *es);
/* Loading begins: into engine e, found on team (may be NULL), from a store that had
 * events (`stored`) or not. */
void sli_loader_start(loader *l, engine *e, struct workers *team, int stored);
void sli_loader_free(loader *l);

/* Bring stored event id into the engine, indexed under *term (term NULL: not indexed). A
 * key of an event that is gone (an open event placed again elsewhere) is forgotten, in
 * the store too, so that it no longer takes one of the term's newest postings; if the
 * event forms again in this run, its articles' keys are saved again. */
sl_error sli_loader_event(loader *l, long long id, const uint64_t *term);

/* Which stored events each search of q[0..n) brings in, found for all of them at once
 * (their terms' postings read in the store's order, then tallied on the team); then
 * sli_loader_load(l, k, &q[k]) brings in search k's, k from 0 up, between whatever the
 * caller does with the engine. The postings are read once a run and the placing writes
 * no key before the run saves them, so the events loaded, and their order, are those of
 * searching and loading one query after another. The terms must stay where they are
 * until loaded; the next sli_loader_find forgets what this one found. */
sl_error sli_loader_find(loader *l, const run_query *q, size_t n);
sl_error sli_loader_load(loader *l, size_t k, const run_query *q);
/* What search k of the last sli_loader_find found (valid until the next; NULL when the
 * store had no events). */
const loader_found *sli_loader_found(const loader *l, size_t k);

#endif
