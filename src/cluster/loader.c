/* loader.c — the stored events a batch's placing brings into its engine: the postings
 * read once a run, the searches' tallies made on the team, the events loaded in order. */
#include "loader.h"

#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"
#include "../core/workers.h"
#include "tally.h"

/* The keys a search has at most: each event kept notes the keys that found it as bits. */
#define QUERY_KEYS_MAX 64
_Static_assert(ENGINE_QUERY_KEYS <= QUERY_KEYS_MAX && ENGINE_KEYS * 2 <= QUERY_KEYS_MAX,
               "a search's keys must fit the bits of kept.keys");

/* A stored event's posting met by a search. */
typedef struct found {
    long long event;
    uint32_t key; /* which of the keys found it */
} found;

/* A search's scratch: the postings met, the tally. Every thread's is reserved alike before
 * the searches are shared out, so that a run's allocations are the same in number
 * whichever thread takes which search (tests/cli/test_oom.sh counts them). */
typedef struct finder {
    found *found;
    long long *ids;
    size_t room; /* postings each array holds */
    tally tally;
} finder;

void sli_loader_init(loader *l, store_events *es)
{
    *l = (loader){0};
    l->es = es;
}

void sli_loader_start(loader *l, engine *e, struct workers *team, int stored)
{
    l->e = e;
    l->team = team;
    l->stored = stored;
}

void sli_loader_free(loader *l)
{
    sli_u64map_free(&l->posted);
    sli_u64map_free(&l->dropped);
    free(l->posted_ids);
    for (unsigned t = 0; t < l->nfinders; t++) {
        finder *f = &l->finders[t];
        free(f->found);
        free(f->ids);
        sli_tally_free(&f->tally);
    }
    free(l->finders);
    free(l->kept);
    *l = (loader){0};
}

/* A key (term, event) as one map key: a rare collision only leaves a stale key. */
static uint64_t drop_slot(uint64_t term, long long event)
{
    return (term ^ ((uint64_t)event * 0x9E3779B97F4A7C15ull)) | 1;
}

sl_error sli_loader_event(loader *l, long long id, const uint64_t *term)
{
    cevent ev;
    if (sli_engine_event(l->e, id))
        return term ? sli_engine_index(l->e, id, term, 1) : SL_OK;
    if (term && sli_u64map_get(&l->dropped, drop_slot(*term, id)))
        return SL_OK; /* the postings read once a run still list it */
    sl_error err = sli_event_load(l->es, id, &ev);
    if (err == SL_ERR_NOT_FOUND && term) {
        err = sli_store_event_drop_key(l->es, *term, id);
        if (!err)
            err = sli_u64map_put(&l->dropped, drop_slot(*term, id), NULL, NULL);
        return err;
    }
    if (err == SL_ERR_NOT_FOUND)
        return SL_OK;
    return err ? err : sli_engine_adopt(l->e, &ev, term, term ? 1 : 0);
}

/* The stored events indexed under term (the newest ENGINE_MAX_POSTINGS), read once a
 * run: *ids into l->posted_ids, *n of them. */
static sl_error stored_postings(loader *l, uint64_t term, const long long **ids, size_t *n)
{
    int added;
    uint64_t *slot;
    sl_error err = sli_u64map_put(&l->posted, term, &slot, &added);
    if (err)
        return err;
    if (added) {
        long long *p = sli_grow_array(l->posted_ids, &l->posted_cap,
                                  l->nposted + ENGINE_MAX_POSTINGS, sizeof *p, 4096);
        if (!p)
            return SL_ERR_NOMEM;
        l->posted_ids = p;
        size_t got;
        err = sli_store_event_by_key(l->es, term, p + l->nposted, ENGINE_MAX_POSTINGS, &got);
        if (err)
            return err;
        *slot = (uint64_t)l->nposted << 8 | got; /* where, and how many (<= 48) */
        l->nposted += got;
    }
    *ids = l->posted_ids + (*slot >> 8);
    *n = (size_t)(*slot & 0xff);
    return SL_OK;
}

/* The place of id in ids[0..n) (ascending, n at most ENGINE_BEST_CANDIDATES), or n when
 * it is not there: a few steps inline, where bsearch's calls through a comparison showed
 * in profiles (a search's postings are up to ENGINE_CANDIDATES). */
static uint32_t rank_of(const long long *ids, size_t n, long long id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)(lo < n && ids[lo] == id ? lo : n);
}

/* f->found[0..nf) (postings in key order) cut to the best events found `need` times (few
 * of them), into *out: ascending, each with the keys that found it. Pure: it reads nothing
 * of the run, and grows none of f's arrays (they are reserved for nf): it allocates
 * nothing (the tally ranks and sorts in place, core/select.h). */
static void keep_found(finder *f, size_t nf, int need, loader_found *out)
{
    out->n = 0;
    if (!nf)
        return;
    long long *ids = f->ids;
    for (size_t i = 0; i < nf; i++)
        ids[i] = f->found[i].event;
    size_t nids = sli_tally_at_least(&f->tally, ids, nf, need, ENGINE_BEST_CANDIDATES);
    for (size_t r = 0; r < nids; r++) {
        out->event[r] = ids[r];
        out->keys[r] = 0;
    }
    for (size_t i = 0; i < nf; i++) {
        uint32_t rank = rank_of(ids, nids, f->found[i].event);
        if (rank < nids)
            out->keys[rank] |= (uint64_t)1 << f->found[i].key;
    }
    out->n = (uint32_t)nids;
}

/* Every thread's finder (the team's, the caller's first) with room for `room` postings. */
static sl_error finders_room(loader *l, unsigned threads, size_t room)
{
    if (l->nfinders < threads) {
        finder *f = realloc(l->finders, threads * sizeof *f);
        if (!f)
            return SL_ERR_NOMEM;
        memset(f + l->nfinders, 0, (threads - l->nfinders) * sizeof *f);
        l->finders = f;
        l->nfinders = threads;
    }
    for (unsigned t = 0; t < threads; t++) {
        finder *f = &l->finders[t];
        if (f->room >= room)
            continue;
        found *p = realloc(f->found, room * sizeof *p);
        if (p)
            f->found = p;
        long long *ids = p ? realloc(f->ids, room * sizeof *ids) : NULL;
        if (ids)
            f->ids = ids;
        if (!p || !ids || sli_tally_reserve(&f->tally, room))
            return SL_ERR_NOMEM;
        f->room = room;
    }
    return SL_OK;
}

/* A search's terms (in order) and need as one number (loader_found.query). */
static uint64_t query_of(const run_query *q)
{
    uint64_t h = (uint64_t)q->n * 0x9E3779B97F4A7C15ull ^ (uint64_t)q->need;
    for (size_t t = 0; t < q->n; t++)
        h = (h ^ q->terms[t]) * 0xFF51AFD7ED558CCDull;
    return h;
}

/* Whether search q is given what it found before (and it is this search's). */
static int given(const run_query *q)
{
    return q->found && q->found->query == query_of(q);
}

/* Terms in the order the store keeps them (signed). */
static int by_signed(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The stored postings of every term of q[0..n) read, in the order the store keeps the
 * terms (signed), so that consecutive reads fall on the same pages of event_keys; each
 * search then finds them read (stored_postings keeps them for the run). The same postings
 * as read one search at a time: the placing writes no key before the run saves them, and
 * a key forgotten meanwhile is one the run notes in l->dropped. */
static sl_error prefetch_postings(loader *l, const run_query *q, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += q[i].n;
    int64_t *t = malloc((total ? total : 1) * sizeof *t);
    if (!t)
        return SL_ERR_NOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (given(&q[i])) /* its result is known: its postings are not needed */
            continue;
        for (size_t k = 0; k < q[i].n; k++)
            if (!sli_u64map_get(&l->posted, q[i].terms[k]))
                t[m++] = (int64_t)q[i].terms[k];
    }
    qsort(t, m, sizeof *t, by_signed);
    sl_error err = SL_OK;
    for (size_t i = 0; !err && i < m; i++) {
        const long long *ids;
        size_t got;
        if (!i || t[i] != t[i - 1])
            err = stored_postings(l, (uint64_t)t[i], &ids, &got);
    }
    free(t);
    return err;
}

typedef struct finding {
    loader *l;
    const run_query *q;
} finding;

/* Search k's events, by the thread that took it. Reads l->posted (every term read
 * already) and writes only its thread's finder and its own result. */
static void find_one(void *user, unsigned thread, size_t k)
{
    finding *x = user;
    loader *l = x->l;
    finder *f = &l->finders[thread];
    const run_query *q = &x->q[k];
    uint64_t query = query_of(q);
    if (q->found && q->found->query == query) { /* given(q) */
        l->kept[k] = *q->found;
        return;
    }
    size_t nf = 0;
    for (size_t t = 0; t < q->n; t++) {
        const uint64_t *slot = sli_u64map_get(&l->posted, q->terms[t]);
        size_t got = slot ? (size_t)(*slot & 0xff) : 0;
        const long long *ids = slot ? l->posted_ids + (*slot >> 8) : NULL;
        for (size_t i = 0; i < got; i++)
            f->found[nf++] = (found){ids[i], (uint32_t)t};
    }
    keep_found(f, nf, q->need, &l->kept[k]);
    l->kept[k].query = query;
}

sl_error sli_loader_find(loader *l, const run_query *q, size_t n)
{
    if (!l->stored || !n)
        return SL_OK;
    size_t most = 0; /* keys of the longest search */
    for (size_t k = 0; k < n; k++)
        if (q[k].n > most)
            most = q[k].n;
    if (most > QUERY_KEYS_MAX) /* not made by the engine (the assertion above) */
        return SL_ERR_INVALID;
    unsigned threads = l->team ? sli_workers_count(l->team) : 1;
    sl_error err = finders_room(l, threads, most * ENGINE_MAX_POSTINGS);
    loader_found *kp = err ? NULL : sli_grow_array(l->kept, &l->kept_cap, n, sizeof *kp, 256);
    if (!err && !kp)
        err = SL_ERR_NOMEM;
    if (err)
        return err;
    l->kept = kp;
    err = prefetch_postings(l, q, n);
    if (err)
        return err;
    finding x = {l, q};
    if (threads > 1 && n > 1)
        sli_workers_share(l->team, n, find_one, &x);
    else
        for (size_t k = 0; k < n; k++)
            find_one(&x, 0, k);
    return SL_OK;
}

sl_error sli_loader_load(loader *l, size_t k, const run_query *q)
{
    if (!l->stored)
        return SL_OK;
    const loader_found *kp = &l->kept[k];
    sl_error err = SL_OK;
    /* by event (ascending), each under its keys in order: as one search's walk loaded them */
    for (uint32_t r = 0; !err && r < kp->n; r++)
        for (uint64_t keys = kp->keys[r]; !err && keys; keys &= keys - 1)
            err = sli_loader_event(l, kp->event[r], &q->terms[__builtin_ctzll(keys)]);
    return err;
}

const loader_found *sli_loader_found(const loader *l, size_t k)
{
    return l->stored ? &l->kept[k] : NULL;
}
