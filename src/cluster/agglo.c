/* agglo.c — a chunk's articles into events by average-link agglomeration. */
#include "agglo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"
#include "../core/workers.h"

#define INDEX_RATIO 2 /* a cluster with this many times the other's terms is looked up in */
#define INDEX_BYTES (16u << 20) /* indexes a chunk makes at most (then the dots walk): the
                                   stored events a batch meets are many and large */
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
    cindex ix;       /* its terms by id (index_of), when ix_ver is ver */
    uint32_t ix_ver;
    int ix_has;
} node;

typedef struct link {
    double s;
    uint32_t a, b, va, vb;
} link;

/* What is known of a link's dot products (sli_engine_dots), per view: an upper bound (as
 * computed, or a sum of its parts'), noted when both sides had these versions. Floats,
 * rounded up: only ever read as bounds. */
typedef struct known {
    uint32_t va, vb; /* versions of the lower and the higher node */
    float d[VIEWS];
} known;

/* A neighbour of a merged cluster, on its way into the new list. */
typedef struct merging {
    uint32_t r;
    int bounded; /* d holds an upper bound */
    int below;   /* ... that says the link cannot reach the bar */
    double d[VIEWS];
} merging;

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
    u64map pair;       /* two nodes (pair_key) -> index + 1 into kn */
    known *kn;
    size_t nkn, kn_cap;
    merging *mg;       /* merge's scratch */
    size_t mg_cap;
    struct pending *mp; /* merge's links to compute */
    size_t mp_cap;
    size_t ix_bytes;   /* held by the nodes' indexes */
} agglo;

static cevent *cluster(node *x)
{
    return x->ev ? x->ev : &x->own;
}

static const cevent *cluster_of(const node *x)
{
    return x->ev ? x->ev : &x->own;
}

static uint32_t terms_in(const cevent *c)
{
    uint32_t n = 0;
    for (int v = 0; v < VIEWS; v++)
        n += c->c[v].n;
    return n;
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
    if (p != g->node) /* only when it moved: threads scoring links read g->node meanwhile */
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
    const uint64_t *held = sli_u64map_get(&g->event_node, (uint64_t)id);
    if (held) {
        *at = (uint32_t)(*held - 1);
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

/* --- what is known of links --- */

static uint64_t pair_key(uint32_t a, uint32_t b)
{
    return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a; /* never 0: a != b */
}

/* The dots (or bounds) noted for roots a and b at their present versions, or NULL. */
static const known *known_get(const agglo *g, uint32_t a, uint32_t b)
{
    const uint64_t *at = sli_u64map_get(&g->pair, pair_key(a, b));
    if (!at || !*at)
        return NULL;
    const known *k = &g->kn[*at - 1];
    uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
    return k->va == g->node[lo].ver && k->vb == g->node[hi].ver ? k : NULL;
}

static sl_error known_put(agglo *g, uint32_t a, uint32_t b, const double d[VIEWS])
{
    int added;
    uint64_t *at;
    sl_error err = sli_u64map_put(&g->pair, pair_key(a, b), &at, &added);
    if (err)
        return err;
    if (added) {
        known *k = sli_grow_array(g->kn, &g->kn_cap, g->nkn + 1, sizeof *k, 1024);
        if (!k)
            return SL_ERR_NOMEM; /* the key stays with index 0: never read (below) */
        g->kn = k;
        *at = ++g->nkn;
    }
    if (!*at)
        return SL_ERR_NOMEM;
    known *k = &g->kn[*at - 1];
    uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
    k->va = g->node[lo].ver;
    k->vb = g->node[hi].ver;
    for (int v = 0; v < VIEWS; v++) {
        float f = (float)d[v];
        k->d[v] = (double)f < d[v] ? nextafterf(f, INFINITY) : f;
    }
    return SL_OK;
}

/* Node r's index, built for its cluster as it is now; NULL without room (then dots walk). */
static const cindex *index_of(agglo *g, uint32_t r)
{
    node *x = &g->node[r];
    if (!x->ix_has || x->ix_ver != x->ver) {
        x->ix_has = 0;
        size_t had = x->ix.cap;
        if (!had && g->ix_bytes > INDEX_BYTES)
            return NULL; /* a new one past the budget: walk */
        sl_error err = sli_cindex_build(&x->ix, cluster(x));
        g->ix_bytes += (x->ix.cap - had) * (sizeof *x->ix.id + sizeof *x->ix.w);
        if (err)
            return NULL;
        x->ix_has = 1;
        x->ix_ver = x->ver;
    }
    return &x->ix;
}

/* How a dot of nodes a and b is made: the node whose index the other's terms are looked
 * up in (its index built here), or UINT32_MAX for a walk of both. Where one is much the
 * larger (an event, a grown cluster), the smaller's terms are looked up in the larger's
 * index (made once a version); two of a size walk both (a look-up that misses the cache
 * costs more than a walk's step). */
static uint32_t index_side(agglo *g, uint32_t a, uint32_t b)
{
    uint32_t na = terms_in(cluster(&g->node[a])), nb = terms_in(cluster(&g->node[b]));
    uint32_t side = nb >= INDEX_RATIO * na ? b : na >= INDEX_RATIO * nb ? a : UINT32_MAX;
    return side != UINT32_MAX && index_of(g, side) ? side : UINT32_MAX;
}


/* A link connect_all or merge makes: scored first (on every thread), then joined in this
 * order. */
typedef struct pending {
    uint32_t a, b, side; /* roots; side: index_side's */
    uint32_t at;         /* merge's: the neighbour whose bound it completes */
    double s, d[VIEWS];
} pending;

typedef struct pendings {
    agglo *g;
    pending *p;
    size_t n, cap;
    size_t block; /* links a thread scores in a row */
    int bounds_only; /* the dots' bounds, not the link (merge's sides) */
} pendings;

#define PENDING_BLOCK 64 /* links a thread scores in a row, of a chunk's first links */
/* A chunk's first links are scored and noted this many at a time (as they are noted: the
 * clusters do not change until all are), in one array used again: a chunk of 2,048
 * articles notes some 100,000, 6 MB that were touched afresh (page faults: a quarter of
 * the main thread's events-stage samples in +1,000 into 30k). */
#define CONNECT_BLOCK 4096
/* A merge's links to compute (at most NEIGHBOURS_MAX) are shared out from this many on, in
 * blocks of MERGE_BLOCK; fewer are scored by the calling thread. */
#define MERGE_THREADED 8
#define MERGE_BLOCK 4

/* Score link l (reads only). The view that says whether its sides share content at all
 * (body_min; the body, the largest) last: first the others, and that view's upper bound
 * (sli_engine_dot_bound); when even so the link cannot reach the bar
 * (sli_engine_link_below), it is not computed (it would not be pushed) and the bound is
 * noted instead, which is all merge reads of it. Else as sli_engine_link_dots.
 * bounds_only (a merge's side, which only bounds the merged cluster's dots): every view's
 * dot but the body's, and the body's bound, not its dot. A merge computes the link of
 * the merged cluster whose bound, so made, may reach the bar: most do not (61% of the
 * sides of +25,000 into a million generated articles, 89% with the body's dot). */
static void score_one(const agglo *g, pending *l, int bounds_only)
{
    const node *x = &g->node[l->a], *y = &g->node[l->b];
    const cevent *a = cluster_of(x), *b = cluster_of(y);
    /* the side not indexed is looked up in the other's index */
    const cevent *from = l->side == l->a ? b : a, *in = from == a ? b : a;
    const cindex *ix = l->side == l->a ? &x->ix : l->side == l->b ? &y->ix : NULL;
    if (bounds_only) {
        for (int v = 0; v < VIEWS; v++)
            l->d[v] = v == VIEW_BODY ? sli_engine_dot_bound(a, b, v)
                                     : sli_engine_dot_view(from, in, ix, v);
        return;
    }
    l->s = sli_engine_link_unless_under(g->p, a, b, from, ix, g->p->join, l->d);
}

/* Block k of pd's links. */
static void score_pending(void *user, unsigned thread, size_t k)
{
    (void)thread;
    pendings *pd = user;
    size_t b = pd->block;
    for (size_t i = k * b; i < pd->n && i < (k + 1) * b; i++)
        score_one(pd->g, &pd->p[i], pd->bounds_only);
}

/* Note the link of a and b (resolved to their roots) to be scored. */
static sl_error connect(agglo *g, pendings *pd, uint32_t a, uint32_t b)
{
    a = find(g, a);
    b = find(g, b);
    if (a == b || (g->node[a].ev && g->node[b].ev))
        return SL_OK;
    pending *p = sli_grow_array(pd->p, &pd->cap, pd->n + 1, sizeof *p, 4096);
    if (!p)
        return SL_ERR_NOMEM;
    pd->p = p;
    p[pd->n++] = (pending){a, b, index_side(g, a, b), 0, 0, {0}};
    return SL_OK;
}

/* Score pd's links: on the engine's threads (they only read the clusters) when there are
 * more than `least`, in blocks of `block` taken in turn. */
static void score_links(agglo *g, pendings *pd, size_t least, size_t block)
{
    workers *team = sli_engine_team(g->e);
    pd->g = g;
    pd->block = block;
    if (team && pd->n > least) {
        sli_workers_share(team, (pd->n + block - 1) / block, score_pending, pd);
    } else {
        pd->block = pd->n;
        if (pd->n)
            score_pending(pd, 0, 0);
    }
}

/* Link the scored links in the order they were noted, as if each had been scored then. */
static sl_error note_links(agglo *g, pendings *pd)
{
    /* room for every link noted, made once (each doubling of the table would touch new
     * pages and move what it holds) */
    sl_error err = sli_u64map_reserve(&g->pair, g->nkn + pd->n);
    known *kn = err ? NULL : sli_grow_array(g->kn, &g->kn_cap, g->nkn + pd->n, sizeof *kn, 1024);
    if (!err && !kn)
        err = SL_ERR_NOMEM;
    if (kn)
        g->kn = kn;
    for (size_t i = 0; !err && i < pd->n; i++) {
        const pending *l = &pd->p[i];
        err = add_nb(&g->node[l->a], l->b);
        if (!err)
            err = add_nb(&g->node[l->b], l->a);
        if (!err)
            err = known_put(g, l->a, l->b, l->d);
        if (!err)
            err = push(g, l->s, l->a, l->b);
    }
    return err;
}

/* Gone joins keep: clusters merged, links joined (each neighbour once, resolved to its
 * root) and scored anew.
 *
 * Average link is linear in the clusters' summed vectors: the dot of keep + gone with a
 * neighbour is the dot of keep with it plus that of gone (Lance-Williams for average
 * linkage). Not exactly here: a centroid keeps its ENGINE_CENTROID_MAX heaviest terms a
 * view, so the merged one may drop some, and its weights are float sums. But as weights
 * are positive, the sum of the parts' dots is an upper bound of the merged cluster's dot,
 * and a link that cannot reach the bar even so is not computed (it would not be pushed):
 * its bound is noted for the next merge. A link that may reach the bar is computed from
 * the merged centroid as before, so every link pushed, and every decision, is what it
 * was. The part not known (a neighbour of keep that gone never linked to) is bounded
 * from gone's own centroid, before the merge, when gone is the smaller side: every view's
 * dot but the body's, whose bound (Cauchy-Schwarz) stands in for it. The links
 * computed are computed first (on every thread when there are MERGE_THREADED of them),
 * then noted and pushed in the neighbours' order, as if each had been computed then. */
static sl_error merge(agglo *g, uint32_t keep, uint32_t gone)
{
    node *k = &g->node[keep], *o = &g->node[gone];
    o->up = keep;
    sl_error err = next_visit(g);
    if (err)
        return err;
    /* the neighbours: the first NEIGHBOURS_MAX roots among keep's links, then gone's */
    merging *mg = sli_grow_array(g->mg, &g->mg_cap, NEIGHBOURS_MAX, sizeof *mg, NEIGHBOURS_MAX);
    if (!mg)
        return SL_ERR_NOMEM;
    g->mg = mg;
    uint32_t *st = g->stamp;
    size_t m = 0;
    int small_gone = terms_in(&o->own) <= terms_in(cluster(k));
    /* the sides not noted, computed (below) from their centroids as they are */
    pending *mp = sli_grow_array(g->mp, &g->mp_cap, NEIGHBOURS_MAX, sizeof *mp, NEIGHBOURS_MAX);
    if (!mp)
        return SL_ERR_NOMEM;
    g->mp = mp;
    pendings side = {.p = mp, .bounds_only = 1};
    st[keep] = g->visit;
    for (size_t i = 0; i < k->nnb + o->nnb && m < NEIGHBOURS_MAX; i++) {
        uint32_t r = find(g, i < k->nnb ? k->nb[i] : o->nb[i - k->nnb]);
        if (st[r] == g->visit || (k->ev && g->node[r].ev))
            continue;
        st[r] = g->visit;
        mg[m].r = r;
        mg[m].bounded = 0;
        const known *kk = known_get(g, keep, r), *ko = known_get(g, gone, r);
        /* a side not known is computed when it is the smaller: else the merged cluster's
         * link costs hardly more */
        if ((kk && ko) || (kk && small_gone) || (ko && !small_gone)) {
            for (int v = 0; v < VIEWS; v++) /* the other side's added below */
                mg[m].d[v] = kk && ko ? (double)kk->d[v] + ko->d[v] : kk ? kk->d[v] : ko->d[v];
            if (!kk || !ko) {
                uint32_t from = kk ? gone : keep;
                mp[side.n++] = (pending){from, r, index_side(g, from, r), (uint32_t)m, 0, {0}};
            }
            mg[m].bounded = 1;
        }
        m++;
    }
    score_links(g, &side, MERGE_THREADED - 1, MERGE_BLOCK);
    for (size_t i = 0; i < side.n; i++) /* a + b is b + a, bit for bit */
        for (int v = 0; v < VIEWS; v++)
            mg[mp[i].at].d[v] += mp[i].d[v];

    int rescaled = 0;
    err = sli_cevent_merge(cluster(k), &o->own, &rescaled);
    sli_cevent_clear(&o->own);
    if (err)
        return err;
    k->ver++;
    o->ver++;
    free(o->nb);
    o->nb = NULL;
    o->nnb = 0;
    g->ix_bytes -= o->ix.cap * (sizeof *o->ix.id + sizeof *o->ix.w);
    sli_cindex_free(&o->ix);
    o->ix_has = 0;
    uint32_t *nb = sli_grow_array(k->nb, &k->nb_cap, m, sizeof *nb, 8);
    if (!nb)
        return SL_ERR_NOMEM;
    k->nb = nb;
    k->nnb = m;

    pendings pd = {.p = mp};
    for (size_t i = 0; i < m; i++) {
        uint32_t r = mg[i].r;
        k->nb[i] = r;
        /* a weight rescaled to another IDF may have grown: then the sum bounds nothing */
        mg[i].below = mg[i].bounded && !rescaled &&
                      sli_engine_link_below(g->p, cluster(k), cluster(&g->node[r]), mg[i].d);
        if (!mg[i].below)
            mp[pd.n++] = (pending){keep, r, index_side(g, keep, r), 0, 0, {0}};
    }
    score_links(g, &pd, MERGE_THREADED - 1, MERGE_BLOCK);
    const pending *l = mp;
    for (size_t i = 0; !err && i < m; i++) {
        if (mg[i].below) {
            err = known_put(g, keep, mg[i].r, mg[i].d);
        } else {
            err = known_put(g, keep, mg[i].r, l->d);
            if (!err)
                err = push(g, l->s, keep, mg[i].r);
            l++;
        }
    }
    return err;
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

/* What connect_all keeps from one article to the next: the chunk's key terms' postings
 * (the articles so far, newest first), and per article the key terms it shares with the
 * one being linked. */
typedef struct gathering {
    const avec *a;
    size_t n, i; /* the chunk's articles; the next to link */
    u64map heads; /* key term -> index + 1 of its newest posting */
    posting *post;
    size_t npost, post_cap;
    uint8_t *hits;
    long long cand[ENGINE_CANDIDATES];
    agglo *g;
    pendings *into; /* the block being gathered (gather_into) */
    sl_error err;
} gathering;

/* Nodes an article can add (the events it finds): gather stops short of the room made
 * for them, so that the node array does not move while links are scored. */
#define ARTICLE_NODES ENGINE_BEST_CANDIDATES
/* The room for new nodes made before a block of links is gathered. */
#define GATHER_NODES (64 * ARTICLE_NODES)

/* Note the links of the articles from x->i on, into pd, until CONNECT_BLOCK links are
 * noted, the chunk ends, or the node array's room (as it stands) might not hold the next
 * article's events. */
static sl_error gather(agglo *g, gathering *x, pendings *pd)
{
    const avec *a = x->a;
    sl_error err = SL_OK;
    for (; !err && x->i < x->n && pd->n < CONNECT_BLOCK && g->n + ARTICLE_NODES <= g->cap;
         x->i++) {
        size_t i = x->i;
        /* the articles before it that share enough key terms with it */
        err = next_visit(g);
        int need = engine_keys_needed(&a[i]);
        for (int k = 0; !err && k < a[i].nkeys; k++) {
            const uint64_t *head = sli_u64map_get(&x->heads, a[i].keys[k]);
            uint32_t at = head ? (uint32_t)*head : 0;
            /* !err: a failed link stops the scan (the next one would overwrite it) */
            for (int read = 0; !err && at && read < ENGINE_MAX_POSTINGS; read++) {
                uint32_t j = x->post[at - 1].article;
                at = x->post[at - 1].next;
                if (g->stamp[j] != g->visit) {
                    g->stamp[j] = g->visit;
                    x->hits[j] = 0;
                }
                if (++x->hits[j] == need)
                    err = connect(g, pd, (uint32_t)i, j);
            }
        }
        size_t nc = err ? 0
                        : sli_engine_candidates(g->e, a[i].keys, (size_t)a[i].nkeys, 0, need,
                                                x->cand, ENGINE_CANDIDATES);
        for (size_t c = 0; !err && c < nc; c++) {
            uint32_t at;
            err = event_node(g, x->cand[c], &at);
            if (!err && at != UINT32_MAX)
                err = connect(g, pd, (uint32_t)i, at);
        }
        for (int k = 0; !err && k < a[i].nkeys && k < ENGINE_KEYS; k++) {
            int added;
            uint64_t *head;
            posting *p = sli_u64map_put(&x->heads, a[i].keys[k], &head, &added)
                             ? NULL
                             : sli_grow_array(x->post, &x->post_cap, x->npost + 1, sizeof *p,
                                              4096);
            if (!p) {
                err = SL_ERR_NOMEM;
                break;
            }
            x->post = p;
            x->post[x->npost] = (posting){(uint32_t)i, (uint32_t)*head};
            *head = ++x->npost;
        }
    }
    return err;
}

/* gather, as the caller's work beside a share (sli_workers_share_beside). */
static void gather_into(void *user)
{
    gathering *x = user;
    x->err = gather(x->g, x, x->into);
}

/* Link every article to the chunk's articles and the engine's events that share a key
 * term with it. The links are gathered CONNECT_BLOCK at a time, and a block is scored by
 * the other threads while this one gathers the next (the clusters do not change until
 * every link is noted: scoring only reads them, and gathering only adds nodes, into room
 * made beforehand, builds indexes of nodes no link being scored looks up, and writes what
 * scoring does not read: the stamps, the union-find's shortened paths), then shared out
 * between all, then noted in the order gathered. */
static sl_error connect_all(agglo *g, const avec *a, size_t n)
{
    gathering x = {.a = a, .n = n, .hits = malloc(n ? n : 1), .g = g};
    pendings pd[2] = {{.g = g, .block = PENDING_BLOCK}, {.g = g, .block = PENDING_BLOCK}};
    sl_error err = x.hits ? sli_u64map_init(&x.heads, n * ENGINE_KEYS) : SL_ERR_NOMEM;
    for (int cur = 0; !err && (pd[cur].n || x.i < n); cur ^= 1) {
        pendings *now = &pd[cur], *next = &pd[cur ^ 1];
        /* room for the nodes the next block may add */
        node *room = sli_grow_array(g->node, &g->cap, g->n + GATHER_NODES, sizeof *room, 256);
        if (!room) {
            err = SL_ERR_NOMEM;
            break;
        }
        g->node = room;
        next->n = 0;
        x.into = next;
        size_t blocks = (now->n + PENDING_BLOCK - 1) / PENDING_BLOCK;
        sli_workers_share_beside(sli_engine_team(g->e), blocks, score_pending, now, gather_into,
                                 &x);
        err = x.err;
        if (!err)
            err = note_links(g, now);
        now->n = 0;
    }
    free(pd[0].p);
    free(pd[1].p);
    free(x.post);
    free(x.hits);
    sli_u64map_free(&x.heads);
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
        sli_cindex_free(&g->node[i].ix);
    }
    free(g->node);
    free(g->heap);
    free(g->stamp);
    sli_u64map_free(&g->event_node);
    sli_u64map_free(&g->pair);
    free(g->kn);
    free(g->mg);
    free(g->mp);
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
