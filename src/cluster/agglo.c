/* agglo.c — a chunk's articles into events by average-link agglomeration. */
#include "agglo.h"

#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"

#define NEIGHBOURS_MAX 128 /* a cluster's links kept: one of thousands of copies of a story
                               needs no more to find the rest */

typedef struct node {
    cevent own;  /* a cluster of this chunk's articles, when ev is NULL */
    cevent *ev;  /* an event the engine held before the chunk */
    uint32_t up; /* union-find: itself when a cluster's root */
    uint32_t ver;
    long long claim; /* the reopened event's id it takes back, when it becomes an event */
    uint32_t *nb; /* nodes it links to (possibly merged away since: resolve with find) */
    size_t nnb, nb_cap;
} node;

typedef struct link {
    double s;
    uint32_t a, b, va, vb;
} link;

typedef struct agglo {
    engine *e;
    const cluster_params *p;
    node *node;
    size_t n, cap;
    u64map event_node; /* event id -> node index + 1 */
    link *heap;
    size_t nheap, heap_cap;
    uint32_t *stamp;   /* per node: the visit that saw it last */
    size_t stamp_cap, stamp_n;
    uint32_t visit;
} agglo;

static cevent *cluster(node *x)
{
    return x->ev ? x->ev : &x->own;
}

static uint32_t find(agglo *g, uint32_t i)
{
    while (g->node[i].up != i) {
        g->node[i].up = g->node[g->node[i].up].up;
        i = g->node[i].up;
    }
    return i;
}

static sl_error new_node(agglo *g, uint32_t *at)
{
    node *p = sli_grow_array(g->node, &g->cap, g->n + 1, sizeof *p, 256);
    if (!p)
        return SL_ERR_NOMEM;
    g->node = p;
    memset(&g->node[g->n], 0, sizeof *g->node);
    g->node[g->n].up = (uint32_t)g->n;
    *at = (uint32_t)g->n++;
    return SL_OK;
}

/* The node of engine event id (made on first use); *at = UINT32_MAX if the engine does
 * not hold it. */
static sl_error event_node(agglo *g, long long id, uint32_t *at)
{
    *at = UINT32_MAX;
    const uint64_t *known = sli_u64map_get(&g->event_node, (uint64_t)id);
    if (known) {
        *at = (uint32_t)(*known - 1);
        return SL_OK;
    }
    cevent *ev = sli_engine_event(g->e, id);
    if (!ev)
        return SL_OK;
    sl_error err = new_node(g, at);
    if (err)
        return err;
    g->node[*at].ev = ev;
    uint64_t *slot;
    err = sli_u64map_put(&g->event_node, (uint64_t)id, &slot, NULL);
    if (err)
        return err;
    *slot = *at + 1;
    return SL_OK;
}

/* A new visit: stamps for every node, none equal to g->visit. */
static sl_error next_visit(agglo *g)
{
    uint32_t *st = sli_grow_array(g->stamp, &g->stamp_cap, g->n, sizeof *st, 256);
    if (!st)
        return SL_ERR_NOMEM;
    g->stamp = st;
    if (g->stamp_n < g->stamp_cap) { /* fresh room reads as unseen */
        memset(st + g->stamp_n, 0, (g->stamp_cap - g->stamp_n) * sizeof *st);
        g->stamp_n = g->stamp_cap;
    }
    g->visit++;
    return SL_OK;
}

/* --- the heap of links, strongest on top --- */

static sl_error push(agglo *g, double s, uint32_t a, uint32_t b)
{
    if (s < g->p->join) /* never joins as it is; scored again if either side changes */
        return SL_OK;
    link *h = sli_grow_array(g->heap, &g->heap_cap, g->nheap + 1, sizeof *h, 1024);
    if (!h)
        return SL_ERR_NOMEM;
    g->heap = h;
    size_t i = g->nheap++;
    link l = {s, a, b, g->node[a].ver, g->node[b].ver};
    while (i > 0 && h[(i - 1) / 2].s < s) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = l;
    return SL_OK;
}

static link pop(agglo *g)
{
    link *h = g->heap, top = h[0], last = h[--g->nheap];
    size_t i = 0, n = g->nheap;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h[c + 1].s > h[c].s)
            c++;
        if (h[c].s <= last.s)
            break;
        h[i] = h[c];
        i = c;
    }
    if (n)
        h[i] = last;
    return top;
}

/* --- links --- */

static sl_error add_nb(node *x, uint32_t y)
{
    uint32_t *p = sli_grow_array(x->nb, &x->nb_cap, x->nnb + 1, sizeof *p, 8);
    if (!p)
        return SL_ERR_NOMEM;
    x->nb = p;
    x->nb[x->nnb++] = y;
    return SL_OK;
}

static sl_error connect(agglo *g, uint32_t a, uint32_t b)
{
    a = find(g, a);
    b = find(g, b);
    if (a == b || (g->node[a].ev && g->node[b].ev))
        return SL_OK;
    sl_error err = add_nb(&g->node[a], b);
    if (!err)
        err = add_nb(&g->node[b], a);
    if (!err)
        err = push(g, sli_engine_link(g->p, cluster(&g->node[a]), cluster(&g->node[b])), a, b);
    return err;
}

/* Gone joins keep: clusters merged, links joined (each neighbour once, resolved to its
 * root) and scored anew. */
static sl_error merge(agglo *g, uint32_t keep, uint32_t gone)
{
    node *k = &g->node[keep], *o = &g->node[gone];
    sl_error err = sli_cevent_merge(cluster(k), &o->own);
    sli_cevent_clear(&o->own);
    if (err)
        return err;
    o->up = keep;
    k->ver++;
    o->ver++;
    for (size_t i = 0; i < o->nnb; i++)
        if ((err = add_nb(k, o->nb[i])))
            return err;
    free(o->nb);
    o->nb = NULL;
    o->nnb = 0;

    if ((err = next_visit(g)))
        return err;
    uint32_t *st = g->stamp;
    size_t m = 0;
    st[keep] = g->visit;
    for (size_t i = 0; i < k->nnb && m < NEIGHBOURS_MAX; i++) {
        uint32_t r = find(g, k->nb[i]);
        if (st[r] == g->visit || (k->ev && g->node[r].ev))
            continue;
        st[r] = g->visit;
        k->nb[m++] = r;
        err = push(g, sli_engine_link(g->p, cluster(k), cluster(&g->node[r])), keep, r);
        if (err)
            return err;
    }
    k->nnb = m;
    return SL_OK;
}

static sl_error agglomerate(agglo *g)
{
    while (g->nheap) {
        link l = pop(g); /* at least the join bar: push keeps no weaker link */
        node *a = &g->node[l.a], *b = &g->node[l.b];
        if (a->ver != l.va || b->ver != l.vb)
            continue; /* stale: one side has merged since (merge bumps both) */
        uint32_t keep = l.a, gone = l.b;
        if (b->ev || (!a->ev && cluster(b)->n > cluster(a)->n))
            keep = l.b, gone = l.a;
        sl_error err = merge(g, keep, gone);
        if (err)
            return err;
    }
    return SL_OK;
}

/* --- the chunk --- */

typedef struct posting {
    uint32_t article, next; /* next: index + 1 of the older posting of the term */
} posting;

/* Link every article to the chunk's articles and the engine's events that share a key
 * term with it. */
static sl_error connect_all(agglo *g, const avec *a, size_t n)
{
    u64map heads = {0};
    posting *post = NULL;
    size_t npost = 0, post_cap = 0;
    long long cand[ENGINE_CANDIDATES];
    uint8_t *hits = malloc(n ? n : 1); /* per article: key terms in common with this one */
    sl_error err = hits ? sli_u64map_init(&heads, 4 * n * ENGINE_KEYS) : SL_ERR_NOMEM;
    for (size_t i = 0; !err && i < n; i++) {
        /* the articles before it that share enough key terms with it */
        err = next_visit(g);
        int need = engine_keys_needed(&a[i]);
        for (int k = 0; !err && k < a[i].nkeys; k++) {
            const uint64_t *head = sli_u64map_get(&heads, a[i].keys[k]);
            uint32_t at = head ? (uint32_t)*head : 0;
            /* !err: a failed link stops the scan (the next one would overwrite it) */
            for (int read = 0; !err && at && read < ENGINE_MAX_POSTINGS; read++) {
                uint32_t j = post[at - 1].article;
                at = post[at - 1].next;
                if (g->stamp[j] != g->visit) {
                    g->stamp[j] = g->visit;
                    hits[j] = 0;
                }
                if (++hits[j] == need)
                    err = connect(g, (uint32_t)i, j);
            }
        }
        size_t nc = err ? 0
                        : sli_engine_candidates(g->e, a[i].keys, (size_t)a[i].nkeys, 0, need,
                                            cand, ENGINE_CANDIDATES);
        for (size_t c = 0; !err && c < nc; c++) {
            uint32_t at;
            err = event_node(g, cand[c], &at);
            if (!err && at != UINT32_MAX)
                err = connect(g, (uint32_t)i, at);
        }
        for (int k = 0; !err && k < a[i].nkeys && k < ENGINE_KEYS; k++) {
            int added;
            uint64_t *head;
            posting *p = sli_u64map_put(&heads, a[i].keys[k], &head, &added)
                             ? NULL
                             : sli_grow_array(post, &post_cap, npost + 1, sizeof *p, 4096);
            if (!p) {
                err = SL_ERR_NOMEM;
                break;
            }
            post = p;
            post[npost] = (posting){(uint32_t)i, (uint32_t)*head};
            *head = ++npost;
        }
    }
    free(post);
    free(hits);
    sli_u64map_free(&heads);
    return err;
}

/* Articles whose family has an event start in it; copies start together. */
static sl_error seed(agglo *g, const long long *into, const uint32_t *group, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t to = UINT32_MAX;
        if (into && into[i]) {
            sl_error err = event_node(g, into[i], &to);
            if (err)
                return err;
        }
        if (to == UINT32_MAX && group && group[i] < i)
            to = find(g, group[i]);
        if (to == UINT32_MAX)
            continue;
        sl_error err = merge(g, to, (uint32_t)i);
        if (err)
            return err;
    }
    return SL_OK;
}

static void agglo_free(agglo *g)
{
    for (size_t i = 0; i < g->n; i++) {
        sli_cevent_clear(&g->node[i].own);
        free(g->node[i].nb);
    }
    free(g->node);
    free(g->heap);
    free(g->stamp);
    sli_u64map_free(&g->event_node);
}

/* A new event with reopened articles takes back the id of its first one, when no event
 * has it yet: an event placed again as it was keeps its id. */
static sl_error claim_ids(agglo *g, const long long *was, size_t n)
{
    if (!was)
        return SL_OK;
    u64map claimed = {0};
    sl_error err = sli_u64map_init(&claimed, 64);
    for (size_t i = 0; !err && i < n; i++) {
        node *r = &g->node[find(g, (uint32_t)i)];
        if (!was[i] || r->ev || r->claim || sli_engine_event(g->e, was[i]) ||
            sli_u64map_get(&claimed, (uint64_t)was[i]))
            continue;
        err = sli_u64map_put(&claimed, (uint64_t)was[i], NULL, NULL);
        r->claim = was[i];
    }
    sli_u64map_free(&claimed);
    return err;
}

sl_error sli_agglo_place(engine *e, const avec *a, const long long *into, const uint32_t *group,
                     const long long *was, size_t n, long long *event)
{
    agglo g = {.e = e, .p = sli_engine_params(e)};
    sl_error err = SL_OK;
    for (size_t i = 0; !err && i < n; i++) {
        uint32_t at;
        err = new_node(&g, &at);
        if (!err)
            err = sli_cevent_of_article(&a[i], &g.node[at].own);
    }
    if (!err)
        err = seed(&g, into, group, n);
    if (!err)
        err = connect_all(&g, a, n);
    if (!err)
        err = agglomerate(&g);
    if (!err)
        err = claim_ids(&g, was, n);
    /* New events in chunk order: an id follows its first article. */
    for (size_t i = 0; !err && i < n; i++) {
        node *r = &g.node[find(&g, (uint32_t)i)];
        if (!r->ev)
            err = sli_engine_take(e, &r->own, r->claim, &r->ev);
        if (!err) {
            event[i] = r->ev->id;
            err = sli_engine_index(e, r->ev->id, a[i].keys,
                               (size_t)(a[i].nkeys < ENGINE_KEYS ? a[i].nkeys : ENGINE_KEYS));
        }
    }
    agglo_free(&g);
    return err;
}
