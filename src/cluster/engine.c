/* engine.c — online event clustering: vectors, candidate search, joining (scoring: link.c). */
#include "engine.h"

#include "../core/grow.h"
#include "tally.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


void sli_cluster_params_default(cluster_params *p)
{
    /* The link model: bench/events_cv.sh's in-sample fit over both dev sets, rounded
     * (docs/cluster.md, "The link model"; cross-validated there) */
    p->bias = -6.7f;
    p->w[VIEW_TITLE] = 5.3f;
    p->w[VIEW_BODY] = 4.4f;
    p->w[VIEW_NAMES] = 12.0f;
    p->w[VIEW_DETAILS] = 4.2f;
    p->w[VIEW_QUOTES] = 1.7f;
    p->join = 0.4f;
    p->body_min = 0.02f;
    p->body_terms = 10;
    p->quote_terms = 4;
    p->grace_days = 7.0f; /* the time prior (link.c), by hand */
    p->boost = 2.0f;
    p->tau_days = 150.0f;
    p->time_floor = 0.4f;
    p->mean_window = 30.0f;
    p->idf_prior = 500.0f;
    p->link_names = 0.4f;
    p->link_body = 0.25f;
    p->link_days = 400.0f;
}

/* A term's postings: the newest ENGINE_MAX_POSTINGS events indexed under it, oldest
 * first (the newest last), in one array. Only these are ever read (a search and an index
 * read that many from the newest): an older posting is dropped as a new one comes. */
typedef struct plist {
    long long *ev;
    uint32_t n, cap;
} plist;

struct engine {
    cluster_params p;
    long long next_id;
    cevent **ev;
    size_t nev, ev_cap;
    u64map by_id;   /* event id -> index + 1 into ev */
    u64map heads;   /* term -> index + 1 of its postings in lists */
    plist *lists;
    size_t nlists, lists_cap;
    u64map df;      /* term -> document frequency */
    double ndocs;
    tally tally;    /* sli_engine_candidates' counts */
    struct workers *team;
};

sl_error sli_engine_create(const cluster_params *p, long long next_id, engine **out)
{
    engine *e = calloc(1, sizeof *e);
    if (!e)
        return SL_ERR_NOMEM;
    e->p = *p;
    e->next_id = next_id > 0 ? next_id : 1;
    if (sli_tally_reserve(&e->tally, ENGINE_CANDIDATES)) {
        free(e);
        return SL_ERR_NOMEM;
    }
    *out = e;
    return SL_OK;
}

static void event_free(cevent *ev)
{
    if (!ev)
        return;
    sli_cevent_clear(ev);
    free(ev);
}

void sli_engine_free(engine *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nev; i++)
        event_free(e->ev[i]);
    free(e->ev);
    for (size_t i = 0; i < e->nlists; i++)
        free(e->lists[i].ev);
    free(e->lists);
    sli_u64map_free(&e->by_id);
    sli_u64map_free(&e->heads);
    sli_u64map_free(&e->df);
    sli_tally_free(&e->tally);
    free(e);
}

const cluster_params *sli_engine_params(const engine *e)
{
    return &e->p;
}

void sli_engine_set_team(engine *e, struct workers *team)
{
    e->team = team;
}

struct workers *sli_engine_team(const engine *e)
{
    return e->team;
}

long long sli_engine_next_id(const engine *e)
{
    return e->next_id;
}

void sli_engine_set_ndocs(engine *e, double ndocs)
{
    e->ndocs = ndocs;
}

sl_error sli_engine_set_df(engine *e, uint64_t term, double df)
{
    uint64_t *slot;
    sl_error err = sli_u64map_put(&e->df, term, &slot, NULL);
    if (err)
        return err;
    *slot = (uint64_t)df;
    return SL_OK;
}

int sli_engine_has_df(const engine *e, uint64_t term)
{
    return sli_u64map_get(&e->df, term) != NULL;
}

/* --- article vectors --- */

/* What the engine's IDFs are made against: articles + 1 + idf_prior (a blob's "base",
 * event_blob.c). */
static double idf_base(const engine *e)
{
    double n = e->ndocs > 0 ? e->ndocs : 1;
    return n + 1 + e->p.idf_prior;
}

/* The IDF of a term of document frequency *df (NULL: none). */
static double idf_of(const engine *e, const uint64_t *df)
{
    return log(idf_base(e) / ((df ? (double)*df : 0) + 1)) + 1;
}

static double idf(const engine *e, uint64_t term)
{
    return idf_of(e, sli_u64map_get(&e->df, term));
}

static int by_term(const void *a, const void *b)
{
    const cterm *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int by_weight(const void *a, const void *b)
{
    const cterm *x = a, *y = b;
    if (x->w != y->w)
        return x->w > y->w ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* x before y in the order of keys: heavier first, ties to the lower id. */
static int heavier(const cterm *x, const cterm *y)
{
    return x->w != y->w ? x->w > y->w : x->id < y->id;
}

/* The `max` (at most ENGINE_QUERY_KEYS) heaviest distinct terms of t[0..n) into keys,
 * heaviest first: a term that comes in several views counts at its heaviest. Selected
 * into a short sorted list, not by sorting t (which showed in profiles: a vector is made
 * for every article placed, and again for every one placed again). With an engine, terms
 * no other article has are passed over: they find nothing. */
static int top_keys(const engine *e, const cterm *t, size_t n, uint64_t *keys, size_t max)
{
    cterm best[ENGINE_QUERY_KEYS];
    size_t k = 0;
    if (max > ENGINE_QUERY_KEYS)
        max = ENGINE_QUERY_KEYS;
    for (size_t i = 0; i < n && max; i++) {
        if (k == max && !heavier(&t[i], &best[k - 1]))
            continue;
        if (e) {
            const uint64_t *df = sli_u64map_get(&e->df, t[i].id);
            if (!df || *df < 2)
                continue;
        }
        size_t j = 0;
        while (j < k && best[j].id != t[i].id)
            j++;
        if (j < k) { /* held: kept at its heavier weight */
            if (!heavier(&t[i], &best[j]))
                continue;
            memmove(best + j, best + j + 1, (k - j - 1) * sizeof *best);
            k--;
        } else if (k == max) {
            k--; /* the lightest gives way */
        }
        size_t at = k++;
        while (at > 0 && heavier(&t[i], &best[at - 1])) {
            best[at] = best[at - 1];
            at--;
        }
        best[at] = t[i];
    }
    for (size_t j = 0; j < k; j++)
        keys[j] = best[j].id;
    return (int)k;
}

/* 1 when t[0..n) is in id order (features come so: sli_features_extract). */
static int in_id_order(const cterm *t, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++)
        if (t[i - 1].id >= t[i].id)
            return 0;
    return 1;
}

void sli_engine_vector(const engine *e, const features *f, int day, avec *a)
{
    uint32_t used = 0;
    for (int v = 0; v < VIEWS; v++) {
        a->at[v] = used;
        a->n[v] = f->n[v];
        if ((v == VIEW_BODY && f->n[v] < e->p.body_terms && f->n[VIEW_TITLE]) ||
            (v == VIEW_QUOTES && f->n[v] < e->p.quote_terms))
            a->n[v] = 0;
        double norm2 = 0;
        for (uint32_t i = 0; i < a->n[v]; i++) {
            const cterm *t = &f->terms[f->at[v] + i];
            double x = idf(e, t->id);
            float w = (float)(t->w * x);
            a->t[used + i] = (cterm){t->id, w, (float)x, 0};
            norm2 += (double)w * w;
        }
        double inv = norm2 > 0 ? 1 / sqrt(norm2) : 0;
        for (uint32_t i = 0; i < a->n[v]; i++) {
            cterm *t = &a->t[used + i];
            t->w = (float)(t->w * inv);
            t->q = t->w * t->w;
        }
        if (!in_id_order(a->t + used, a->n[v]))
            qsort(a->t + used, a->n[v], sizeof *a->t, by_term);
        used += a->n[v];
    }
    /* keys from every view but the quotes */
    a->nkeys = top_keys(e, a->t, a->at[VIEW_QUOTES], a->keys, ENGINE_QUERY_KEYS);
    a->day = day;
    a->base = idf_base(e);
}

/* --- events --- */

cevent *sli_engine_event(engine *e, long long id)
{
    const uint64_t *at = sli_u64map_get(&e->by_id, (uint64_t)id);
    return at && *at ? e->ev[*at - 1] : NULL;
}

void sli_engine_forget(engine *e, long long id)
{
    uint64_t *at = sli_u64map_get(&e->by_id, (uint64_t)id);
    if (!at || !*at)
        return;
    event_free(e->ev[*at - 1]);
    e->ev[*at - 1] = NULL;
    *at = 0; /* its postings stay: a search finds no event under them */
}

/* The postings of term, made empty when new; NULL without room. */
static plist *postings_of(engine *e, uint64_t term)
{
    plist *l = sli_grow_array(e->lists, &e->lists_cap, e->nlists + 1, sizeof *l, 1024);
    if (!l)
        return NULL;
    e->lists = l;
    int added;
    uint64_t *head;
    if (sli_u64map_put(&e->heads, term, &head, &added))
        return NULL;
    if (added) {
        e->lists[e->nlists] = (plist){0};
        *head = ++e->nlists;
    }
    return &e->lists[*head - 1];
}

sl_error sli_engine_index(engine *e, long long id, const uint64_t *keys, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        plist *l = postings_of(e, keys[i]);
        if (!l)
            return SL_ERR_NOMEM;
        /* Once per term among the postings a search reads (it would count twice), and
         * the newest: one held already moves to the newest place. */
        uint32_t at = l->n;
        while (at > 0 && l->ev[at - 1] != id)
            at--;
        if (at) {
            memmove(l->ev + at - 1, l->ev + at, (l->n - at) * sizeof *l->ev);
            l->ev[l->n - 1] = id;
            continue;
        }
        if (l->n == ENGINE_MAX_POSTINGS) { /* the oldest drops out of sight */
            memmove(l->ev, l->ev + 1, (l->n - 1) * sizeof *l->ev);
            l->n--;
        } else if (l->n == l->cap) {
            uint32_t cap = l->cap ? 2 * l->cap : 4;
            if (cap > ENGINE_MAX_POSTINGS)
                cap = ENGINE_MAX_POSTINGS;
            long long *ev = realloc(l->ev, cap * sizeof *ev);
            if (!ev)
                return SL_ERR_NOMEM;
            l->ev = ev;
            l->cap = cap;
        }
        l->ev[l->n++] = id;
    }
    return SL_OK;
}

static sl_error hold(engine *e, cevent *ev)
{
    cevent **p = sli_grow_array(e->ev, &e->ev_cap, e->nev + 1, sizeof *p, 256);
    if (!p)
        return SL_ERR_NOMEM;
    e->ev = p;
    uint64_t *slot;
    sl_error err = sli_u64map_put(&e->by_id, (uint64_t)ev->id, &slot, NULL);
    if (err)
        return err;
    e->ev[e->nev++] = ev;
    *slot = e->nev;
    if (ev->id >= e->next_id)
        e->next_id = ev->id + 1;
    return SL_OK;
}

sl_error sli_engine_adopt(engine *e, cevent *src, const uint64_t *keys, size_t nkeys)
{
    cevent *ev = malloc(sizeof *ev);
    sl_error err = ev ? SL_OK : SL_ERR_NOMEM;
    if (!err) {
        *ev = *src;
        memset(src->c, 0, sizeof src->c); /* the engine's now */
        sli_engine_reweight(e, ev);
        err = hold(e, ev);
    }
    if (err) {
        sli_cevent_clear(ev ? ev : src);
        free(ev);
        return err;
    }
    return sli_engine_index(e, ev->id, keys, nkeys); /* held: the engine frees it */
}

static void centroid_norm(centroid *c)
{
    double s = 0;
    for (uint32_t i = 0; i < c->n; i++)
        s += (double)c->t[i].w * c->t[i].w;
    c->norm2 = s;
}

void sli_cevent_hint_base(cevent *ev, double base)
{
    if (!(base >= 1) || !isfinite(base))
        return; /* no batch's (a damaged blob's): the memo's tables take 0 as empty */
    unsigned n = ev->n_base_hints, at = 0;
    while (at < n && ev->base_hint[at] != base)
        at++;
    if (at == n && n < CEVENT_BASE_HINTS)
        ev->n_base_hints = (unsigned char)++n;
    if (at == n) /* not there, and full: the oldest goes */
        at = n - 1;
    memmove(ev->base_hint + 1, ev->base_hint, at * sizeof *ev->base_hint);
    ev->base_hint[0] = base;
}

void sli_engine_reweight(const engine *e, cevent *ev)
{
    int reweighted = 0;
    for (int v = 0; v < VIEWS; v++) {
        centroid *c = &ev->c[v];
        double q_then = 0, q_now = 0;
        for (uint32_t i = 0; i < c->n; i++) {
            cterm *t = &c->t[i];
            q_then += t->q;
            const uint64_t *df = t->idf > 0 ? sli_u64map_get(&e->df, t->id) : NULL;
            if (df) {
                float now = (float)idf_of(e, df), d = now / t->idf;
                t->w *= d;
                t->q *= d * d;
                t->idf = now;
                reweighted = 1;
            }
            q_now += t->q;
        }
        /* Each article was a unit vector; under the new IDF it is not. Their mean squared
         * length is known from q (exactly, for one article): divide it out. */
        if (q_then > 0 && q_now > 0) {
            float k = (float)sqrt(q_then / q_now);
            for (uint32_t i = 0; i < c->n; i++) {
                c->t[i].w *= k;
                c->t[i].q *= k * k;
            }
        }
        centroid_norm(c);
    }
    if (reweighted) /* against idf_of's base, whether or not its IDF changed */
        sli_cevent_hint_base(ev, idf_base(e));
}

/* The k-th largest of w[0..n) (1 <= k <= n), w reordered: Hoare's selection. */
static float kth_largest(float *w, uint32_t n, uint32_t k)
{
    uint32_t lo = 0, hi = n - 1, want = k - 1;
    while (lo < hi) {
        float pivot = w[lo + (hi - lo) / 2];
        uint32_t i = lo, j = hi;
        while (i <= j) {
            while (w[i] > pivot)
                i++;
            while (w[j] < pivot)
                j--;
            if (i <= j) {
                float t = w[i];
                w[i] = w[j];
                w[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (want <= j)
            hi = j;
        else if (want >= i)
            lo = i;
        else
            break;
    }
    return w[want];
}

/* Keep the `max` heaviest of m[0..k) (sorted by term, and left so), ties to the lower
 * term ids; the new count. Selection, not sorting: this runs on every merge. */
static uint32_t keep_heaviest(cterm *m, uint32_t k, uint32_t max)
{
    float *w = malloc(k * sizeof *w);
    if (!w) { /* no room to select: sort instead */
        qsort(m, k, sizeof *m, by_weight);
        qsort(m, max, sizeof *m, by_term);
        return max;
    }
    for (uint32_t i = 0; i < k; i++)
        w[i] = m[i].w;
    float cut = kth_largest(w, k, max);
    free(w);
    uint32_t above = 0;
    for (uint32_t i = 0; i < k; i++)
        above += m[i].w > cut;
    uint32_t ties = max - above, n = 0;
    for (uint32_t i = 0; i < k; i++)
        if (m[i].w > cut || (m[i].w == cut && ties && ties--))
            m[n++] = m[i];
    return n;
}

/* c += t[0..n) (both sorted by term); the lightest terms go past ENGINE_CENTROID_MAX. */
static sl_error centroid_add(centroid *c, const cterm *t, uint32_t n, int *rescaled)
{
    if (!n)
        return SL_OK;
    uint32_t cap = c->n + n;
    cterm *m = malloc(cap * sizeof *m);
    if (!m)
        return SL_ERR_NOMEM;
    uint32_t i = 0, j = 0, k = 0;
    while (i < c->n || j < n) {
        if (j == n || (i < c->n && c->t[i].id < t[j].id))
            m[k++] = c->t[i++];
        else if (i == c->n || t[j].id < c->t[i].id)
            m[k++] = t[j++];
        else { /* a weight made with another IDF is brought to the newer one first */
            m[k] = c->t[i++];
            if (m[k].idf > 0 && t[j].idf > 0 && m[k].idf != t[j].idf) {
                float d = t[j].idf / m[k].idf;
                if (rescaled)
                    *rescaled = 1;
                m[k].w *= d;
                m[k].q *= d * d;
            }
            m[k].idf = t[j].idf;
            m[k].q += t[j].q;
            m[k++].w += t[j++].w;
        }
    }
    if (k > ENGINE_CENTROID_MAX)
        k = keep_heaviest(m, k, ENGINE_CENTROID_MAX);
    free(c->t);
    c->t = m;
    c->n = k;
    centroid_norm(c);
    return SL_OK;
}

static void note_days(cevent *ev, int first, int last, int ndated, double daysum)
{
    if (!ndated)
        return;
    if (!ev->ndated || first < ev->first)
        ev->first = first;
    if (!ev->ndated || last > ev->last)
        ev->last = last;
    ev->ndated += ndated;
    ev->daysum += daysum;
}

sl_error sli_cevent_of_article(const avec *a, cevent *ev)
{
    memset(ev, 0, sizeof *ev);
    for (int v = 0; v < VIEWS; v++) {
        sl_error err = centroid_add(&ev->c[v], a->t + a->at[v], a->n[v], NULL);
        if (err) {
            sli_cevent_clear(ev);
            return err;
        }
    }
    ev->n = 1;
    sli_cevent_hint_base(ev, a->base);
    if (a->day != ENGINE_NO_DAY)
        note_days(ev, a->day, a->day, 1, a->day);
    return SL_OK;
}

sl_error sli_cevent_merge(cevent *dst, const cevent *src, int *rescaled)
{
    for (int v = 0; v < VIEWS; v++) {
        sl_error err = centroid_add(&dst->c[v], src->c[v].t, src->c[v].n, rescaled);
        if (err)
            return err;
    }
    dst->n += src->n;
    for (unsigned k = src->n_base_hints; k-- > 0;) /* src's newest first, dst's after */
        sli_cevent_hint_base(dst, src->base_hint[k]);
    note_days(dst, src->first, src->last, src->ndated, src->daysum);
    dst->dirty = 1;
    return SL_OK;
}

void sli_cevent_clear(cevent *ev)
{
    for (int v = 0; v < VIEWS; v++) {
        free(ev->c[v].t);
        ev->c[v].t = NULL;
        ev->c[v].n = 0;
    }
}

size_t sli_engine_candidates(engine *e, const uint64_t *keys, size_t nkeys, long long skip,
                         int need, long long *out, size_t max)
{
    size_t n = 0;
    if (max > ENGINE_CANDIDATES) /* the tally's room */
        max = ENGINE_CANDIDATES;
    for (size_t k = 0; k < nkeys; k++) {
        const uint64_t *head = sli_u64map_get(&e->heads, keys[k]);
        const plist *l = head ? &e->lists[*head - 1] : NULL;
        for (uint32_t at = l ? l->n : 0; at > 0 && n < max; at--) /* the newest first */
            if (l->ev[at - 1] != skip)
                out[n++] = l->ev[at - 1];
    }
    return sli_tally_at_least(&e->tally, out, n, need, ENGINE_BEST_CANDIDATES);
}

sl_error sli_engine_take(engine *e, cevent *ev, long long id, cevent **out)
{
    cevent *held = malloc(sizeof *held);
    if (!held)
        return SL_ERR_NOMEM;
    *held = *ev;
    held->id = id ? id : e->next_id;
    held->storyline = held->id;
    held->dirty = 1;
    sl_error err = hold(e, held);
    if (err) {
        free(held);
        return err;
    }
    memset(ev, 0, sizeof *ev);
    *out = held;
    return SL_OK;
}

int sli_engine_each(engine *e, int (*fn)(void *user, cevent *ev), void *user)
{
    for (size_t i = 0; i < e->nev; i++) {
        int rc = e->ev[i] ? fn(user, e->ev[i]) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

size_t sli_engine_size(const engine *e)
{
    return e->nev;
}

int sli_engine_each_in(engine *e, size_t from, size_t to, int (*fn)(void *user, cevent *ev),
                       void *user)
{
    for (size_t i = from; i < to && i < e->nev; i++) {
        int rc = e->ev[i] ? fn(user, e->ev[i]) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

sl_error sli_engine_event_keys(const cevent *ev, uint64_t *out, size_t max, size_t *nkeys)
{
    size_t n = 0;
    *nkeys = 0;
    for (int v = 0; v < VIEW_QUOTES; v++) /* as an article's keys: not the quotes */
        n += ev->c[v].n;
    cterm *all = malloc((n ? n : 1) * sizeof *all);
    if (!all)
        return SL_ERR_NOMEM; /* not "no keys": the event would go unlinked, quietly */
    size_t k = 0;
    for (int v = 0; v < VIEW_QUOTES; v++) {
        double inv = ev->c[v].norm2 > 0 ? 1 / sqrt(ev->c[v].norm2) : 0;
        for (uint32_t i = 0; i < ev->c[v].n; i++)
            all[k++] = (cterm){ev->c[v].t[i].id, (float)(ev->c[v].t[i].w * inv)};
    }
    *nkeys = (size_t)top_keys(NULL, all, k, out, max);
    free(all);
    return SL_OK;
}

size_t sli_engine_neighbours(engine *e, const cevent *ev, const uint64_t *keys, size_t nkeys,
                         long long *out, size_t max)
{
    return sli_engine_candidates(e, keys, nkeys, ev->id, 2, out, max);
}
