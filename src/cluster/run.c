/* run.c — a batch's clustering: noting articles, document frequencies, placing, saving,
 * storylines. (Events placed again: reopen.c, which sees the run through run.h.) */
#include "run.h"

#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"
#include "../core/u64map.h"
#include "../core/workers.h"
#include "../text/date.h"
#include "agglo.h"
#include "feature_cache.h"
#include "loader.h"
#include "reopen.h"

typedef struct slot_work {
    features f;
    int day;
} slot_work;

typedef struct key_event {
    uint64_t term;
    long long event;
} key_event;

struct cluster_run {
    sl_store *st;
    store_events es;
    cluster_params p;
    unsigned threads, nslots;
    features_ctx **ctx;
    slot_work *slots;
    cdoc *docs;
    size_t n, cap;
    cterm *terms;
    size_t nterms, terms_cap;
    loader_found *found; /* the docs' searches made before the placing (cdoc.found) */
    size_t nfound, found_cap;

    /* placing */
    engine *e;
    int stored;          /* the store had events before this run */
    loader load;         /* the stored events brought into the engine */
    u64map family;       /* rid -> the rid that founded its family */
    u64map family_event; /* founding rid -> event, for this run */
    key_event *keys;
    size_t nkeys, keys_cap;

    reopen reopen;       /* events placed again: reopen.c's */
    feature_cache *cache; /* the batch's, lent (may be NULL) */
    workers *team;       /* links scored on every core (agglo.c) */
};

/* Threads that score a chunk's links: the events stage runs after cleaning, with the
 * cores to itself. */
#define CLUSTER_THREADS 4

/* Articles placed together: links among them are all weighed before any is joined. A
 * larger batch goes in chunks, in date order, each chunk meeting the events of those
 * before it as a later batch would. */
#define CLUSTER_CHUNK 2048

sl_error sli_cluster_run_create(sl_store *st, unsigned threads, unsigned slots,
                                feature_cache *cache, cluster_run **out)
{
    cluster_run *r = calloc(1, sizeof *r);
    if (!r)
        return SL_ERR_NOMEM;
    r->st = st;
    r->cache = cache;
    sli_cluster_params_default(&r->p);
    r->threads = threads ? threads : 1;
    r->nslots = slots ? slots : 1;
    r->ctx = calloc(r->threads, sizeof *r->ctx);
    r->slots = calloc(r->nslots, sizeof *r->slots);
    sl_error err = !r->ctx || !r->slots ? SL_ERR_NOMEM : SL_OK;
    for (unsigned t = 0; !err && t < r->threads; t++)
        err = sli_features_ctx_create(&r->ctx[t]);
    if (!err)
        err = sli_store_event_open(st, &r->es);
    sli_loader_init(&r->load, &r->es);
    if (err) {
        sli_cluster_run_free(r);
        return err;
    }
    *out = r;
    return SL_OK;
}

void sli_cluster_run_free(cluster_run *r)
{
    if (!r)
        return;
    sli_store_event_close(&r->es);
    for (unsigned t = 0; r->ctx && t < r->threads; t++)
        sli_features_ctx_free(r->ctx[t]);
    free(r->ctx);
    free(r->slots);
    free(r->docs);
    free(r->terms);
    free(r->found);
    free(r->keys);
    sli_engine_free(r->e);
    sli_loader_free(&r->load);
    sli_u64map_free(&r->family);
    sli_u64map_free(&r->family_event);
    sli_reopen_free(&r->reopen);
    sli_workers_free(r->team);
    free(r);
}

void sli_run_parts(cluster_run *r, run_parts *out)
{
    *out = (run_parts){r->st, &r->es, &r->p, r->e, r->ctx[0], &r->slots[0].f, r->team, r->cache};
}

size_t sli_run_ndocs(const cluster_run *r)
{
    return r->n;
}

cdoc *sli_run_doc(cluster_run *r, size_t i)
{
    return &r->docs[i];
}

/* --- noting --- */

sl_error sli_cluster_sink_prepare(cluster_run *r, unsigned thread, unsigned slot, const clean_done *a)
{
    slot_work *w = &r->slots[slot];
    int ok;
    long day = sli_text_iso_days(a->date, &ok);
    w->day = ok ? (int)day : ENGINE_NO_DAY;
    return sli_features_extract(r->ctx[thread], a->title, a->text, a->len, &w->f);
}

/* Keep an article's features for placing. */
sl_error sli_run_note_doc(cluster_run *r, long long rid, long long was, int day,
                      const features *f)
{
    uint32_t used = 0;
    for (int v = 0; v < VIEWS; v++)
        used += f->n[v];
    cdoc *docs = sli_grow_array(r->docs, &r->cap, r->n + 1, sizeof *docs, 1024);
    if (!docs)
        return SL_ERR_NOMEM;
    r->docs = docs;
    cterm *terms = sli_grow_array(r->terms, &r->terms_cap, r->nterms + used, sizeof *terms, 65536);
    if (!terms)
        return SL_ERR_NOMEM;
    r->terms = terms;
    cdoc *d = &r->docs[r->n++];
    *d = (cdoc){0};
    d->rid = rid;
    d->was = was;
    d->counted = was != 0;
    d->day = day;
    d->at = (uint32_t)r->nterms;
    for (int v = 0; v < VIEWS; v++) {
        d->n[v] = (uint16_t)f->n[v];
        if (f->n[v])
            memcpy(r->terms + r->nterms, f->terms + f->at[v], f->n[v] * sizeof *r->terms);
        r->nterms += f->n[v];
    }
    /* an article placed again (was) is kept once, by the slice that first noted it */
    if (r->cache && !(was && sli_feature_cache_has(r->cache, rid)))
        sli_feature_cache_put(r->cache, rid, day, f);
    return SL_OK;
}

sl_error sli_cluster_sink_done(cluster_run *r, unsigned slot, const clean_done *a)
{
    return sli_run_note_doc(r, a->rid, 0, r->slots[slot].day, &r->slots[slot].f);
}

void sli_run_doc_features(const cluster_run *r, const cdoc *d, features *f)
{
    uint32_t used = 0;
    for (int v = 0; v < VIEWS; v++) {
        f->at[v] = used;
        f->n[v] = d->n[v];
        if (d->n[v])
            memcpy(f->terms + used, r->terms + d->at + used, d->n[v] * sizeof *f->terms);
        used += d->n[v];
    }
}

/* --- document frequencies --- */

/* A term and its count, ordered as the store keeps terms (signed). */
typedef struct term_count {
    int64_t term; /* as the store orders it */
    uint64_t n;
} term_count;

static int by_term(const void *a, const void *b)
{
    int64_t x = ((const term_count *)a)->term, y = ((const term_count *)b)->term;
    return (x > y) - (x < y);
}

/* The distinct ids of a document's views (t: view after view, n[v] terms each, each view
 * in id order: features.h) into ids, ascending; how many. The views merged, not sorted
 * together (a sort per document showed in profiles). */
static size_t distinct_terms(const cterm *t, const uint16_t n[VIEWS], uint64_t *ids)
{
    size_t at[VIEWS], end[VIEWS], total = 0, m = 0;
    for (int v = 0; v < VIEWS; v++) {
        at[v] = total;
        total += n[v];
        end[v] = total;
    }
    for (;;) {
        int best = -1;
        for (int v = 0; v < VIEWS; v++)
            if (at[v] < end[v] && (best < 0 || t[at[v]].id < t[at[best]].id))
                best = v;
        if (best < 0)
            return m;
        uint64_t id = t[at[best]++].id;
        if (!m || ids[m - 1] != id)
            ids[m++] = id;
    }
}

/* Count the documents docs[from..n) per term, add the stored counts, give them to the
 * engine, and save the sums (the terms of reopened articles too, counted once already). */
sl_error sli_run_update_df(cluster_run *r, size_t from)
{
    long long added = 0;
    u64map batch = {0};
    sl_error err = sli_u64map_init(&batch, 4096); /* grows */
    uint64_t ids[FEATURES_MAX];
    for (size_t i = from; !err && i < r->n; i++) {
        const cdoc *d = &r->docs[i];
        added += !d->counted;
        size_t n = distinct_terms(r->terms + d->at, d->n, ids); /* views share terms */
        for (size_t k = 0; !err && k < n; k++) {
            uint64_t *c;
            err = sli_u64map_put(&batch, ids[k], &c, NULL);
            if (!err && !d->counted) /* a reopened article was counted when it came */
                ++*c;
        }
    }
    long long docs = 0;
    if (!err)
        err = sli_store_event_counter(r->st, "docs", &docs);
    /* The terms in the order the store keeps them (signed), so that consecutive reads and
     * writes fall on the same b-tree pages: in a store of a million articles a batch's
     * terms in hash order took a page read each (docs/profile.md, "Eighth round"). */
    term_count *tc = err ? NULL : malloc((batch.n ? batch.n : 1) * sizeof *tc);
    if (!err && !tc)
        err = SL_ERR_NOMEM;
    size_t nt = 0, pos = 0;
    uint64_t key, val;
    while (!err && sli_u64map_next(&batch, &pos, &key, &val))
        if (key) /* as before: the id 0 is no term */
            tc[nt++] = (term_count){(int64_t)key, val};
    if (!err)
        qsort(tc, nt, sizeof *tc, by_term);
    for (size_t i = 0; !err && i < nt; i++) {
        uint64_t term = (uint64_t)tc[i].term;
        /* A term only placed-again articles hold was counted: read, not written. */
        long long df;
        if (tc[i].n)
            err = sli_store_event_add_df(&r->es, term, (long long)tc[i].n, &df);
        else if (sli_engine_has_df(r->e, term))
            continue;
        else
            err = sli_store_event_df(&r->es, term, &df);
        if (!err)
            err = sli_engine_set_df(r->e, term, (double)df);
    }
    free(tc);
    sli_engine_set_ndocs(r->e, (double)(docs + added));
    if (!err)
        err = sli_store_event_set_counter(r->st, "docs", docs + added);
    sli_u64map_free(&batch);
    return err;
}

/* --- loading stored events (loader.c) --- */

sl_error sli_run_find_kept(cluster_run *r, const run_query *q, size_t n)
{
    return sli_loader_find(&r->load, q, n);
}

sl_error sli_run_load_kept(cluster_run *r, size_t k, const run_query *q)
{
    return sli_loader_load(&r->load, k, q);
}

sl_error sli_run_keep_found(cluster_run *r, size_t i, size_t k)
{
    const loader_found *f = sli_loader_found(&r->load, k);
    if (!f)
        return SL_OK;
    loader_found *p = sli_grow_array(r->found, &r->found_cap, r->nfound + 1, sizeof *p, 4096);
    if (!p)
        return SL_ERR_NOMEM;
    r->found = p;
    r->found[r->nfound++] = *f;
    r->docs[i].found = (uint32_t)r->nfound;
    return SL_OK;
}

sl_error sli_run_take_family(void *user, long long rid, long long family)
{
    cluster_run *r = user;
    uint64_t *slot;
    sl_error err = sli_u64map_put(&r->family, (uint64_t)rid, &slot, NULL);
    if (err)
        return err;
    *slot = (uint64_t)family;
    return SL_OK;
}

/* The event this article's family is in already (0 if none). */
sl_error sli_run_family_event(cluster_run *r, long long rid, long long *event)
{
    *event = 0;
    const uint64_t *fam = sli_u64map_get(&r->family, (uint64_t)rid);
    if (!fam)
        return SL_OK;
    const uint64_t *ev = sli_u64map_get(&r->family_event, *fam);
    if (ev) {
        *event = (long long)*ev;
        return SL_OK;
    }
    if (!r->stored)
        return SL_OK;
    sl_error err = sli_store_event_family_event(&r->es, (long long)*fam, event);
    if (!err && *event && !sli_engine_event(r->e, *event))
        err = sli_loader_event(&r->load, *event, NULL);
    if (!err && *event && !sli_engine_event(r->e, *event))
        *event = 0; /* reopened, not placed again yet */
    return err;
}

static sl_error note_keys(cluster_run *r, const avec *a, long long event)
{
    key_event *p = sli_grow_array(r->keys, &r->keys_cap, r->nkeys + ENGINE_KEYS, sizeof *p, 4096);
    if (!p)
        return SL_ERR_NOMEM;
    r->keys = p;
    for (int k = 0; k < a->nkeys && k < ENGINE_KEYS; k++)
        r->keys[r->nkeys++] = (key_event){a->keys[k], event};
    return SL_OK;
}

static int by_day(const void *a, const void *b)
{
    const cdoc *x = a, *y = b;
    int ux = x->day == ENGINE_NO_DAY, uy = y->day == ENGINE_NO_DAY;
    if (ux != uy)
        return ux - uy;
    if (!ux && x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return x->rid < y->rid ? -1 : x->rid > y->rid;
}

static int by_key(const void *a, const void *b)
{
    const key_event *x = a, *y = b;
    if (x->term != y->term)
        return x->term < y->term ? -1 : 1;
    return x->event < y->event ? -1 : x->event > y->event;
}

/* --- storylines --- */

/* Candidate pairs are weighed this many at a time: first found in order (the store's
 * reads and the engine's postings stay on this thread), then their centroids compared on
 * the run's threads (they only read), then joined in the order found. */
#define LINK_BLOCK 4096

typedef struct link_pair {
    cevent *ev, *o;
    int close; /* near enough in time, names and body to link */
} link_pair;

typedef struct linking {
    cluster_run *r;
    u64map parent; /* storyline -> the storyline it joined (union-find) */
    link_pair *pair;
    size_t n, cap;
    unsigned threads;
    sl_error err;
} linking;

static long long find(linking *l, long long s)
{
    const uint64_t *p;
    while ((p = sli_u64map_get(&l->parent, (uint64_t)s)) && (long long)*p != s)
        s = (long long)*p;
    return s;
}

static void weigh_pairs(void *user, unsigned t)
{
    linking *l = user;
    const cluster_params *p = &l->r->p;
    for (size_t i = t; i < l->n; i += l->threads) {
        link_pair *x = &l->pair[i];
        x->close = sli_engine_days_apart(x->ev, x->o) <= p->link_days &&
                   sli_engine_centroid_cos(x->ev, x->o, VIEW_NAMES) >= p->link_names &&
                   sli_engine_centroid_cos(x->ev, x->o, VIEW_BODY) >= p->link_body;
    }
}

/* Weigh the pairs found, then join their storylines in the order found (a pair already
 * in one storyline is passed over, as it would have been before weighing). */
static sl_error link_pairs(linking *l)
{
    workers *team = l->r->team;
    l->threads = team && l->n > 1 ? sli_workers_count(team) : 1;
    if (l->threads > 1)
        sli_workers_run(team, weigh_pairs, l);
    else
        weigh_pairs(l, 0);
    for (size_t i = 0; i < l->n; i++) {
        const link_pair *x = &l->pair[i];
        long long a = find(l, x->ev->storyline), b = find(l, x->o->storyline);
        if (a == b || !x->close)
            continue;
        /* roots: a and b; the older storyline (smaller id) names both */
        uint64_t *s;
        sl_error err = sli_u64map_put(&l->parent, (uint64_t)(a < b ? b : a), &s, NULL);
        if (err)
            return err;
        *s = (uint64_t)(a < b ? a : b);
    }
    l->n = 0;
    return SL_OK;
}

/* The dirty events' storylines are linked this many events at a time: their keys taken,
 * the stored events their searches bring in found on every core, then each event's
 * loaded and its neighbours paired in turn. */
#define LINK_EVENTS 1024

typedef struct dirty_events {
    cevent **ev;
    uint64_t (*keys)[ENGINE_KEYS * 2];
    run_query *q;
    size_t n;
    sl_error err;
} dirty_events;

static int note_dirty(void *user, cevent *ev)
{
    dirty_events *d = user;
    if (!ev->dirty)
        return 0;
    size_t nkeys;
    d->err = sli_engine_event_keys(ev, d->keys[d->n], ENGINE_KEYS * 2, &nkeys);
    d->ev[d->n] = ev;
    d->q[d->n] = (run_query){d->keys[d->n], nkeys, 2, NULL};
    d->n++;
    return d->err != SL_OK;
}

/* Pair event k of d with its neighbours, once the stored ones are loaded. */
static sl_error link_one(linking *l, dirty_events *d, size_t k)
{
    cluster_run *r = l->r;
    cevent *ev = d->ev[k];
    sl_error err = sli_run_load_kept(r, k, &d->q[k]);
    long long cand[ENGINE_KEYS * 2 * ENGINE_MAX_POSTINGS];
    size_t n = err ? 0 : sli_engine_neighbours(r->e, ev, d->q[k].terms, d->q[k].n, cand,
                                              sizeof cand / sizeof *cand);
    if (n) {
        link_pair *p = sli_grow_array(l->pair, &l->cap, l->n + n, sizeof *p, 1024);
        if (p)
            l->pair = p;
        else
            err = SL_ERR_NOMEM;
    }
    for (size_t i = 0; !err && i < n; i++) {
        cevent *o = sli_engine_event(r->e, cand[i]);
        if (o)
            l->pair[l->n++] = (link_pair){ev, o, 0};
    }
    if (!err && l->n >= LINK_BLOCK)
        err = link_pairs(l);
    return err;
}

/* The dirty events in order (those loaded meanwhile are not dirty), LINK_EVENTS at a
 * time. */
static sl_error link_dirty(linking *l)
{
    engine *e = l->r->e;
    dirty_events d = {malloc(LINK_EVENTS * sizeof *d.ev), malloc(LINK_EVENTS * sizeof *d.keys),
                      malloc(LINK_EVENTS * sizeof *d.q), 0, SL_OK};
    sl_error err = d.ev && d.keys && d.q ? SL_OK : SL_ERR_NOMEM;
    size_t nev = sli_engine_size(e);
    for (size_t at = 0; !err && at < nev; at += LINK_EVENTS) {
        d.n = 0;
        sli_engine_each_in(e, at, at + LINK_EVENTS < nev ? at + LINK_EVENTS : nev, note_dirty, &d);
        err = d.err;
        if (!err)
            err = sli_run_find_kept(l->r, d.q, d.n);
        for (size_t k = 0; !err && k < d.n; k++)
            err = link_one(l, &d, k);
    }
    free(d.ev);
    free(d.keys);
    free(d.q);
    return err;
}

static int relabel(void *user, cevent *ev)
{
    linking *l = user;
    long long s = find(l, ev->storyline);
    if (s != ev->storyline) {
        ev->storyline = s;
        ev->dirty = 1;
    }
    return 0;
}

static sl_error link_storylines(cluster_run *r)
{
    linking l = {.r = r};
    l.err = link_dirty(&l);
    if (!l.err)
        l.err = link_pairs(&l);
    free(l.pair);
    size_t pos = 0;
    uint64_t key, up;
    while (!l.err && sli_u64map_next(&l.parent, &pos, &key, &up)) {
        long long from = (long long)key, to = from ? find(&l, from) : 0;
        if (to != from) /* stored events not loaded in this run */
            l.err = sli_store_event_move_storyline(&r->es, from, to);
    }
    if (!l.err)
        sli_engine_each(r->e, relabel, &l);
    sli_u64map_free(&l.parent);
    return l.err;
}

/* --- placing --- */

/* Place docs[0..n) (in date order) together, and note where they went. */
static sl_error place_chunk(cluster_run *r, const cdoc *docs, size_t n)
{
    features f;
    u64map first = {0}; /* family -> its first position in the chunk */
    avec *a = malloc(n * sizeof *a);
    long long *into = malloc(n * sizeof *into), *event = malloc(n * sizeof *event);
    long long *was = malloc(n * sizeof *was);
    uint32_t *group = malloc(n * sizeof *group);
    run_query *q = malloc(n * sizeof *q);
    sl_error err = a && into && event && was && group && q ? SL_OK : SL_ERR_NOMEM;
    for (size_t i = 0; !err && i < n; i++) {
        was[i] = docs[i].was;
        sli_run_doc_features(r, &docs[i], &f);
        sli_engine_vector(r->e, &f, docs[i].day, &a[i]);
    }
    for (size_t i = 0; !err && i < n; i++)
        q[i] = (run_query){a[i].keys, (size_t)a[i].nkeys, engine_keys_needed(&a[i]),
                           docs[i].found ? &r->found[docs[i].found - 1] : NULL};
    if (!err) /* the stored events each article's search brings in, found on every core */
        err = sli_run_find_kept(r, q, n);
    for (size_t i = 0; !err && i < n; i++) {
        err = sli_run_family_event(r, docs[i].rid, &into[i]);
        if (!err)
            err = sli_run_load_kept(r, i, &q[i]);
        group[i] = (uint32_t)i;
        const uint64_t *fam = sli_u64map_get(&r->family, (uint64_t)docs[i].rid);
        if (!err && fam) {
            int added;
            uint64_t *pos;
            err = sli_u64map_put(&first, *fam, &pos, &added);
            if (!err && added)
                *pos = i;
            else if (!err)
                group[i] = (uint32_t)*pos;
        }
    }
    if (!err)
        err = sli_agglo_place(r->e, a, into, group, was, n, event);
    for (size_t i = 0; !err && i < n; i++) {
        err = sli_store_event_put_article(&r->es, docs[i].rid, event[i]);
        if (!err)
            err = note_keys(r, &a[i], event[i]);
        const uint64_t *fam = sli_u64map_get(&r->family, (uint64_t)docs[i].rid);
        if (!err && fam && !sli_u64map_get(&r->family_event, *fam)) {
            uint64_t *slot;
            err = sli_u64map_put(&r->family_event, *fam, &slot, NULL);
            if (!err)
                *slot = (uint64_t)event[i];
        }
    }
    sli_u64map_free(&first);
    free(a);
    free(into);
    free(event);
    free(was);
    free(group);
    free(q);
    return err;
}

sl_error sli_cluster_run_place(cluster_run *r, long long batch,
                           void (*progress)(void *user, size_t done, size_t total), void *user)
{
    long long max_id = 0;
    /* A batch of no articles of its own (every one already stored) changes no event, and
     * leaves the open ones open: it reopens none, so noting which it made or changed would
     * close them all. */
    size_t own = sli_run_ndocs(r);
    sl_error err = r->team ? SL_OK : sli_workers_create(sli_workers_cpus(CLUSTER_THREADS), &r->team);
    if (!err && batch)
        err = sli_reopen_stale(&r->reopen, r);
    if (!err)
        err = sli_store_event_max_id(r->st, &max_id);
    if (!err)
        err = sli_engine_create(&r->p, max_id + 1, &r->e);
    if (err)
        return err;
    sli_engine_set_team(r->e, r->team);
    r->stored = max_id > 0;
    sli_loader_start(&r->load, r->e, r->team, r->stored);
    err = sli_run_update_df(r, 0);
    if (!err)
        err = sli_store_event_batch_families(r->st, batch, sli_run_take_family, r);
    if (!err && r->stored && batch)
        err = sli_reopen_near(&r->reopen, r);
    if (r->n)
        qsort(r->docs, r->n, sizeof *r->docs, by_day);
    for (size_t at = 0; !err && at < r->n; at += CLUSTER_CHUNK) {
        size_t m = r->n - at < CLUSTER_CHUNK ? r->n - at : CLUSTER_CHUNK;
        err = place_chunk(r, r->docs + at, m);
        if (progress)
            progress(user, at + m, r->n);
    }
    free(r->found); /* the placing's searches are made */
    r->found = NULL;
    r->nfound = r->found_cap = 0;
    if (!err)
        err = link_storylines(r);
    if (!err) /* blobs made and packed on the team, put in order */
        err = sli_event_save_dirty(&r->es, r->e, r->team);
    if (!err && own)
        err = sli_reopen_keep_open(r->e, r->st);
    /* Key terms in order, each pair once: sorted inserts into the b-tree. */
    if (r->nkeys)
        qsort(r->keys, r->nkeys, sizeof *r->keys, by_key);
    for (size_t i = 0; !err && i < r->nkeys; i++)
        if (!i || by_key(&r->keys[i], &r->keys[i - 1]))
            err = sli_store_event_put_key(&r->es, r->keys[i].term, r->keys[i].event);
    sli_store_event_end_reads(&r->es); /* the settle may write the blocks it reads */
    return err ? err : sli_store_event_settle(r->st);
}

sl_error sli_cluster_forget(sl_store *st)
{
    return sli_store_event_clear(st);
}
