/* run.c — a batch's clustering: noting articles, document frequencies, placing, saving,
 * storylines. */
#include "cluster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"
#include "../text/date.h"
#include "agglo.h"
#include "event_store.h"

/* Articles placed together: links among them are all weighed before any is joined. A
 * larger batch goes in chunks, in date order, each chunk meeting the events of those
 * before it as a later batch would. */
#define CLUSTER_CHUNK 2048

/* Events of up to this many articles that a batch made or changed stay open: the next
 * batch places their articles again, among its own and with its document frequencies,
 * before they are final. A first decision on a story made from one or two articles, with
 * the frequencies of a few dozen, is the one most likely to differ from the decision the
 * same articles would get in one larger batch. */
#define OPEN_MAX 5

typedef struct cdoc {
    long long rid;
    long long was;        /* the event it was in, when placed again (0: new) */
    int counted;          /* counted in the document frequencies already */
    int day;
    uint32_t at;          /* into cluster_run.terms */
    uint16_t n[VIEWS];
} cdoc;

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
    event_store es;
    cluster_params p;
    unsigned threads, nslots;
    features_ctx **ctx;
    slot_work *slots;
    cdoc *docs;
    size_t n, cap;
    cterm *terms;
    size_t nterms, terms_cap;

    /* placing */
    engine *e;
    int stored;          /* the store had events before this run */
    u64map posted;       /* term -> its stored postings in posted_ids (stored_postings) */
    u64map dropped;      /* stale keys forgotten this run (load_event), by drop_slot */
    long long *posted_ids;
    size_t nposted, posted_cap;
    struct found *found; /* load_found's scratch */
    size_t found_cap;
    u64map family;       /* rid -> the rid that founded its family */
    u64map family_event; /* founding rid -> event, for this run */
    key_event *keys;
    size_t nkeys, keys_cap;

    /* reopening */
    u64map own;          /* rids of the batch's own articles */
    u64map reopened;     /* events placed again from their articles this run */
};

sl_error cluster_run_create(sl_store *st, unsigned threads, unsigned slots, cluster_run **out)
{
    cluster_run *r = calloc(1, sizeof *r);
    if (!r)
        return SL_ERR_NOMEM;
    r->st = st;
    cluster_params_default(&r->p);
    r->threads = threads ? threads : 1;
    r->nslots = slots ? slots : 1;
    r->ctx = calloc(r->threads, sizeof *r->ctx);
    r->slots = calloc(r->nslots, sizeof *r->slots);
    sl_error err = !r->ctx || !r->slots ? SL_ERR_NOMEM : SL_OK;
    for (unsigned t = 0; !err && t < r->threads; t++)
        err = features_ctx_create(&r->ctx[t]);
    if (!err)
        err = event_store_open(st, &r->es);
    if (err) {
        cluster_run_free(r);
        return err;
    }
    *out = r;
    return SL_OK;
}

void cluster_run_free(cluster_run *r)
{
    if (!r)
        return;
    event_store_close(&r->es);
    for (unsigned t = 0; r->ctx && t < r->threads; t++)
        features_ctx_free(r->ctx[t]);
    free(r->ctx);
    free(r->slots);
    free(r->docs);
    free(r->terms);
    free(r->keys);
    engine_free(r->e);
    u64map_free(&r->posted);
    u64map_free(&r->dropped);
    free(r->posted_ids);
    free(r->found);
    u64map_free(&r->family);
    u64map_free(&r->family_event);
    u64map_free(&r->own);
    u64map_free(&r->reopened);
    free(r);
}

/* --- noting --- */

sl_error cluster_sink_prepare(cluster_run *r, unsigned thread, unsigned slot, const clean_done *a)
{
    slot_work *w = &r->slots[slot];
    int ok;
    long day = text_iso_days(a->date, &ok);
    w->day = ok ? (int)day : ENGINE_NO_DAY;
    return features_extract(r->ctx[thread], a->title, a->text, a->len, &w->f);
}

/* Keep an article's features for placing. */
static sl_error note_doc(cluster_run *r, long long rid, long long was, int day,
                         const features *f)
{
    uint32_t used = 0;
    for (int v = 0; v < VIEWS; v++)
        used += f->n[v];
    cdoc *docs = grow_array(r->docs, &r->cap, r->n + 1, sizeof *docs, 1024);
    if (!docs)
        return SL_ERR_NOMEM;
    r->docs = docs;
    cterm *terms = grow_array(r->terms, &r->terms_cap, r->nterms + used, sizeof *terms, 65536);
    if (!terms)
        return SL_ERR_NOMEM;
    r->terms = terms;
    cdoc *d = &r->docs[r->n++];
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
    return SL_OK;
}

sl_error cluster_sink_done(cluster_run *r, unsigned slot, const clean_done *a)
{
    return note_doc(r, a->rid, 0, r->slots[slot].day, &r->slots[slot].f);
}

static void doc_features(const cluster_run *r, const cdoc *d, features *f)
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

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Count the documents docs[from..n) per term, add the stored counts, give them to the
 * engine, and save the sums (the terms of reopened articles too, counted once already). */
static sl_error update_df(cluster_run *r, size_t from)
{
    long long added = 0;
    u64map batch = {0};
    sl_error err = u64map_init(&batch, 4096) ? SL_OK : SL_ERR_NOMEM; /* grows */
    uint64_t ids[FEATURES_MAX];
    for (size_t i = from; !err && i < r->n; i++) {
        const cdoc *d = &r->docs[i];
        added += !d->counted;
        size_t n = 0;
        for (int v = 0; v < VIEWS; v++)
            n += d->n[v];
        for (size_t k = 0; k < n; k++)
            ids[k] = r->terms[d->at + k].id;
        qsort(ids, n, sizeof *ids, by_u64); /* title and body share terms: count once */
        for (size_t k = 0; !err && k < n; k++) {
            if (k && ids[k] == ids[k - 1])
                continue;
            uint64_t *c = u64map_put(&batch, ids[k], NULL);
            if (!c)
                err = SL_ERR_NOMEM;
            else if (!d->counted) /* a reopened article was counted when it came */
                ++*c;
        }
    }
    long long docs = 0;
    if (!err)
        err = event_store_counter(r->st, "docs", &docs);
    for (size_t i = 0; !err && i <= batch.mask; i++) {
        if (!batch.key[i])
            continue;
        /* A term only placed-again articles hold was counted: read, not written. */
        long long df;
        if (batch.val[i])
            err = event_store_add_df(&r->es, batch.key[i], (long long)batch.val[i], &df);
        else if (engine_has_df(r->e, batch.key[i]))
            continue;
        else
            err = event_store_df(&r->es, batch.key[i], &df);
        if (!err)
            err = engine_set_df(r->e, batch.key[i], (double)df);
    }
    engine_set_ndocs(r->e, (double)(docs + added));
    if (!err)
        err = event_store_set_counter(r->st, "docs", docs + added);
    u64map_free(&batch);
    return err;
}

/* --- loading stored events --- */

/* A key (term, event) as one map key: a rare collision only leaves a stale key. */
static uint64_t drop_slot(uint64_t term, long long event)
{
    return (term ^ ((uint64_t)event * 0x9E3779B97F4A7C15ull)) | 1;
}

/* Bring stored event id into the engine, indexed under term (when not NULL). */
static sl_error load_event(cluster_run *r, long long id, const uint64_t *term)
{
    cevent ev;
    if (engine_event(r->e, id))
        return term ? engine_index(r->e, id, term, 1) : SL_OK;
    if (term && u64map_get(&r->dropped, drop_slot(*term, id)))
        return SL_OK; /* the postings read once a run still list it */
    sl_error err = event_store_load(&r->es, id, &ev);
    /* A key of an event that is gone (an open event placed again elsewhere): forgotten,
     * so that it no longer takes one of the term's newest postings. If the event forms
     * again in this run, its articles' keys are saved again. */
    if (err == SL_ERR_NOT_FOUND && term) {
        err = event_store_drop_key(&r->es, *term, id);
        if (!err && !u64map_put(&r->dropped, drop_slot(*term, id), NULL))
            err = SL_ERR_NOMEM;
        return err;
    }
    if (err == SL_ERR_NOT_FOUND)
        return SL_OK;
    return err ? err : engine_adopt(r->e, &ev, term, term ? 1 : 0);
}

/* The stored events indexed under term (the newest ENGINE_MAX_POSTINGS), read once a
 * run: *ids into r->posted_ids, *n of them. */
static sl_error stored_postings(cluster_run *r, uint64_t term, const long long **ids, size_t *n)
{
    int added;
    uint64_t *slot = u64map_put(&r->posted, term, &added);
    if (!slot)
        return SL_ERR_NOMEM;
    if (added) {
        long long *p = grow_array(r->posted_ids, &r->posted_cap,
                                  r->nposted + ENGINE_MAX_POSTINGS, sizeof *p, 4096);
        if (!p)
            return SL_ERR_NOMEM;
        r->posted_ids = p;
        size_t got;
        sl_error err = event_store_by_key(&r->es, term, p + r->nposted, ENGINE_MAX_POSTINGS,
                                          &got);
        if (err)
            return err;
        *slot = (uint64_t)r->nposted << 8 | got; /* where, and how many (<= 48) */
        r->nposted += got;
    }
    *ids = r->posted_ids + (*slot >> 8);
    *n = (size_t)(*slot & 0xff);
    return SL_OK;
}

typedef struct found {
    long long event;
    uint32_t key; /* which of the keys found it */
} found;

static int by_found(const void *a, const void *b)
{
    const found *x = a, *y = b;
    if (x->event != y->event)
        return x->event < y->event ? -1 : 1;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* Bring into the engine the stored events indexed under `need` of these terms (the only
 * ones a search by them can return: engine_candidates), indexed under those terms. An
 * event that shares one term is not read. */
static sl_error load_found(cluster_run *r, const uint64_t *terms, size_t n, int need)
{
    if (!r->stored)
        return SL_OK;
    size_t nf = 0;
    sl_error err = SL_OK;
    for (size_t k = 0; !err && k < n; k++) {
        const long long *ids;
        size_t got;
        err = stored_postings(r, terms[k], &ids, &got);
        found *f = err ? NULL : grow_array(r->found, &r->found_cap, nf + got, sizeof *f, 1024);
        if (!err && !f)
            err = SL_ERR_NOMEM;
        if (f)
            r->found = f;
        for (size_t i = 0; !err && i < got; i++)
            f[nf++] = (found){ids[i], (uint32_t)k};
    }
    if (err || !nf)
        return err;
    qsort(r->found, nf, sizeof *r->found, by_found);
    for (size_t i = 0, end; !err && i < nf; i = end) {
        for (end = i + 1; end < nf && r->found[end].event == r->found[i].event;)
            end++;
        if (end - i < (size_t)need)
            continue;
        for (size_t k = i; !err && k < end; k++)
            err = load_event(r, r->found[k].event, &terms[r->found[k].key]);
    }
    return err;
}

static sl_error take_family(void *user, long long rid, long long family)
{
    cluster_run *r = user;
    uint64_t *slot = u64map_put(&r->family, (uint64_t)rid, NULL);
    if (!slot)
        return SL_ERR_NOMEM;
    *slot = (uint64_t)family;
    return SL_OK;
}

/* The event this article's family is in already (0 if none). */
static sl_error family_event(cluster_run *r, long long rid, long long *event)
{
    *event = 0;
    const uint64_t *fam = u64map_get(&r->family, (uint64_t)rid);
    if (!fam)
        return SL_OK;
    const uint64_t *ev = u64map_get(&r->family_event, *fam);
    if (ev) {
        *event = (long long)*ev;
        return SL_OK;
    }
    if (!r->stored)
        return SL_OK;
    sl_error err = event_store_family_event(&r->es, (long long)*fam, event);
    if (!err && *event && !engine_event(r->e, *event))
        err = load_event(r, *event, NULL);
    if (!err && *event && !engine_event(r->e, *event))
        *event = 0; /* reopened, not placed again yet */
    return err;
}

static sl_error note_keys(cluster_run *r, const avec *a, long long event)
{
    key_event *p = grow_array(r->keys, &r->keys_cap, r->nkeys + ENGINE_KEYS, sizeof *p, 4096);
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

typedef struct linking {
    cluster_run *r;
    u64map parent; /* storyline -> the storyline it joined (union-find) */
    sl_error err;
} linking;

static long long find(linking *l, long long s)
{
    const uint64_t *p;
    while ((p = u64map_get(&l->parent, (uint64_t)s)) && (long long)*p != s)
        s = (long long)*p;
    return s;
}

static int link_one(void *user, cevent *ev)
{
    linking *l = user;
    cluster_run *r = l->r;
    if (!ev->dirty)
        return 0;
    uint64_t keys[ENGINE_KEYS * 2];
    size_t nkeys = engine_event_keys(ev, keys, ENGINE_KEYS * 2);
    l->err = load_found(r, keys, nkeys, 2);
    long long cand[ENGINE_KEYS * 2 * ENGINE_MAX_POSTINGS];
    size_t n = l->err ? 0 : engine_neighbours(r->e, ev, keys, nkeys, cand,
                                              sizeof cand / sizeof *cand);
    for (size_t i = 0; i < n; i++) {
        cevent *o = engine_event(r->e, cand[i]);
        if (!o)
            continue;
        long long a = find(l, ev->storyline), b = find(l, o->storyline);
        if (a == b || engine_days_apart(ev, o) > r->p.link_days)
            continue;
        if (engine_centroid_cos(ev, o, VIEW_NAMES) < r->p.link_names ||
            engine_centroid_cos(ev, o, VIEW_BODY) < r->p.link_body)
            continue;
        /* roots: a and b; the older storyline (smaller id) names both */
        uint64_t *s = u64map_put(&l->parent, (uint64_t)(a < b ? b : a), NULL);
        if (!s) {
            l->err = SL_ERR_NOMEM;
            return 1;
        }
        *s = (uint64_t)(a < b ? a : b);
    }
    return l->err != SL_OK;
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
    linking l = {r, {0}, SL_OK};
    engine_each(r->e, link_one, &l);
    for (size_t i = 0; !l.err && i <= l.parent.mask && l.parent.key; i++) {
        long long from = (long long)l.parent.key[i], to = from ? find(&l, from) : 0;
        if (to != from) /* stored events not loaded in this run */
            l.err = event_store_move_storyline(&r->es, from, to);
    }
    if (!l.err)
        engine_each(r->e, relabel, &l);
    u64map_free(&l.parent);
    return l.err;
}

/* --- placing --- */

typedef struct saving {
    cluster_run *r;
    sl_error err;
} saving;

static int save_one(void *user, cevent *ev)
{
    saving *s = user;
    if (ev->dirty)
        s->err = event_store_save(&s->r->es, ev);
    return s->err != SL_OK;
}

/* Place docs[0..n) (in date order) together, and note where they went. */
static sl_error place_chunk(cluster_run *r, const cdoc *docs, size_t n)
{
    features f;
    u64map first = {0}; /* family -> its first position in the chunk */
    avec *a = malloc(n * sizeof *a);
    long long *into = malloc(n * sizeof *into), *event = malloc(n * sizeof *event);
    long long *was = malloc(n * sizeof *was);
    uint32_t *group = malloc(n * sizeof *group);
    sl_error err = a && into && event && was && group ? SL_OK : SL_ERR_NOMEM;
    for (size_t i = 0; !err && i < n; i++) {
        was[i] = docs[i].was;
        doc_features(r, &docs[i], &f);
        engine_vector(r->e, &f, docs[i].day, &a[i]);
        err = family_event(r, docs[i].rid, &into[i]);
        if (!err)
            err = load_found(r, a[i].keys, (size_t)a[i].nkeys, a[i].nkeys >= 4 ? 2 : 1);
        group[i] = (uint32_t)i;
        const uint64_t *fam = u64map_get(&r->family, (uint64_t)docs[i].rid);
        if (!err && fam) {
            int added;
            uint64_t *pos = u64map_put(&first, *fam, &added);
            if (!pos)
                err = SL_ERR_NOMEM;
            else if (added)
                *pos = i;
            else
                group[i] = (uint32_t)*pos;
        }
    }
    if (!err)
        err = agglo_place(r->e, a, into, group, was, n, event);
    for (size_t i = 0; !err && i < n; i++) {
        err = event_store_put_article(&r->es, docs[i].rid, event[i]);
        if (!err)
            err = note_keys(r, &a[i], event[i]);
        const uint64_t *fam = u64map_get(&r->family, (uint64_t)docs[i].rid);
        if (!err && fam && !u64map_get(&r->family_event, *fam)) {
            uint64_t *slot = u64map_put(&r->family_event, *fam, NULL);
            if (!slot)
                err = SL_ERR_NOMEM;
            else
                *slot = (uint64_t)event[i];
        }
    }
    u64map_free(&first);
    free(a);
    free(into);
    free(event);
    free(was);
    free(group);
    return err;
}

/* --- open events --- */

typedef struct reopening {
    cluster_run *r;
    long long event, rid;
} reopening;

static sl_error reopen_text(void *user, const char *title, const char *text, size_t len,
                            const char *date)
{
    reopening *o = user;
    features *f = &o->r->slots[0].f; /* cleaning is over: its scratch is free */
    int ok = 0;
    long day = date ? text_iso_days(date, &ok) : 0;
    sl_error err = features_extract(o->r->ctx[0], title, text, len, f);
    return err ? err : note_doc(o->r, o->rid, o->event, ok ? (int)day : ENGINE_NO_DAY, f);
}

static sl_error reopen_member(void *user, long long rid, long long family)
{
    reopening *o = user;
    o->rid = rid;
    if (u64map_get(&o->r->own, (uint64_t)rid)) /* updated by this batch: placed as its own */
        return SL_OK;
    sl_error err = event_store_article(&o->r->es, rid, reopen_text, o);
    if (err == SL_ERR_NOT_FOUND)
        return SL_OK;
    if (!err && family)
        err = take_family(o->r, rid, family);
    return err;
}

/* Take event id's articles (but the batch's own) back among the batch's, and forget it:
 * the placing gives the id back when the event forms again. */
static sl_error reopen_event(cluster_run *r, long long id)
{
    int added;
    if (!u64map_put(&r->reopened, (uint64_t)id, &added))
        return SL_ERR_NOMEM;
    if (!added)
        return SL_OK;
    reopening o = {r, id, 0};
    sl_error err = event_store_members(&r->es, id, reopen_member, &o);
    return err ? err : event_store_drop(&r->es, id);
}

/* Articles the batch updates were placed before, with their old text: each is placed
 * again (counted once in the frequencies) and its old event reopened, so that no event
 * keeps an article, or the weight of a text, that is gone. An event too large for the
 * budget (four times the batch, and 2048 articles) keeps its old centroid and count. */
static sl_error reopen_updated(cluster_run *r)
{
    long long last = 0, budget = 4 * (long long)r->n + 2048;
    size_t own = r->n; /* reopening notes more */
    sl_error err = event_store_last_placed(r->st, &last);
    for (size_t i = 0; !err && i < own; i++) {
        long long event = 0, articles = 0;
        if (r->docs[i].rid > last)
            continue; /* new to the stage */
        err = event_store_article_event(&r->es, r->docs[i].rid, &event, &articles);
        if (err || !event)
            continue;
        /* It claims no id: the id stays with the articles that stay. */
        r->docs[i].counted = 1;
        if (articles && articles <= budget && !u64map_get(&r->reopened, (uint64_t)event)) {
            budget -= articles;
            err = reopen_event(r, event);
        }
    }
    return err;
}

/* Take the open events' articles back among the batch's, and forget the events: the
 * placing gives each its id back when it forms again. The newest go first, up to half as
 * many articles as the batch brings (a batch costs at most 1.5 times its own placing;
 * date-ordered five-batch runs of the dev sets agree as with no limit, down to a quarter);
 * the rest stay as they are. */
static sl_error reopen(cluster_run *r)
{
    open_event *open = NULL;
    size_t n = 0;
    long long budget = (long long)r->n / 2;
    sl_error err = u64map_init(&r->own, 2 * r->n + 16) && u64map_init(&r->reopened, 64)
                       ? SL_OK
                       : SL_ERR_NOMEM;
    for (size_t i = 0; !err && i < r->n; i++)
        if (!u64map_put(&r->own, (uint64_t)r->docs[i].rid, NULL))
            err = SL_ERR_NOMEM;
    if (!err)
        err = reopen_updated(r);
    if (!err)
        err = event_store_open_ids(r->st, &open, &n);
    for (size_t i = 0; !err && i < n && budget > 0; i++) {
        if (open[i].articles > budget || u64map_get(&r->reopened, (uint64_t)open[i].id))
            continue;
        budget -= open[i].articles;
        err = reopen_event(r, open[i].id);
    }
    free(open);
    return err;
}

/* Doubtful decisions, weighed again: an article whose best link to a stored event lies
 * within half the bar of the bar (it falls just short, or joins by little) is placed with
 * that event's articles rather than against its centroid, as one batch would have placed
 * it (linked to the closest of them first, or kept apart from a sibling event the
 * centroid blurs into). The events of the most doubtful links go first, each of up to
 * NEAR_MAX articles, within a budget of an eighth of the batch and NEAR_MAX articles. */
#define NEAR_MAX 64
#define NEAR_LOW 0.5  /* the doubtful links: from NEAR_LOW to NEAR_HIGH times the bar */
#define NEAR_HIGH 1.5
#define NEAR_SHARE_OF_BATCH 8

/* The stored event article a links to best (0 if none), and the link. */
static sl_error best_stored(cluster_run *r, const avec *a, long long *cand, long long *id,
                            double *link)
{
    int need = a->nkeys >= 4 ? 2 : 1;
    *id = 0;
    *link = -1;
    sl_error err = load_found(r, a->keys, (size_t)a->nkeys, need);
    size_t n = err ? 0
                   : engine_candidates(r->e, a->keys, (size_t)a->nkeys, 0, need, cand,
                                       ENGINE_CANDIDATES);
    cevent one;
    if (!err && n)
        err = cevent_of_article(a, &one);
    for (size_t k = 0; !err && k < n; k++) {
        const cevent *ev = engine_event(r->e, cand[k]);
        double s = ev ? engine_link(&r->p, &one, ev) : -1;
        if (s > *link) {
            *link = s;
            *id = cand[k];
        }
    }
    if (!err && n)
        cevent_clear(&one);
    return err;
}

typedef struct near {
    double doubt; /* how far the link is from the bar */
    long long event;
} near;

static int by_doubt(const void *a, const void *b)
{
    const near *x = a, *y = b;
    if (x->doubt != y->doubt)
        return x->doubt < y->doubt ? -1 : 1;
    return (x->event > y->event) - (x->event < y->event);
}

static sl_error reopen_near(cluster_run *r)
{
    size_t own = r->n, nn = 0; /* reopening notes more */
    long long budget = (long long)own / NEAR_SHARE_OF_BATCH + NEAR_MAX;
    features *f = &r->slots[0].f;
    avec *a = malloc(sizeof *a);
    long long *cand = malloc(ENGINE_CANDIDATES * sizeof *cand);
    near *v = malloc((own ? own : 1) * sizeof *v);
    double lo = NEAR_LOW * r->p.join, hi = NEAR_HIGH * r->p.join;
    sl_error err = a && cand && v ? SL_OK : SL_ERR_NOMEM;
    for (size_t i = 0; !err && i < own; i++) {
        long long into = 0, id = 0;
        if (r->docs[i].counted)
            continue; /* placed again already */
        double link = 0;
        err = family_event(r, r->docs[i].rid, &into);
        if (err || into)
            continue;
        doc_features(r, &r->docs[i], f);
        engine_vector(r->e, f, r->docs[i].day, a);
        err = best_stored(r, a, cand, &id, &link);
        if (err || !id || link >= hi || link < lo || engine_event(r->e, id)->n > NEAR_MAX)
            continue;
        v[nn++] = (near){fabs(link - r->p.join), id};
    }
    if (nn)
        qsort(v, nn, sizeof *v, by_doubt);
    for (size_t k = 0; !err && k < nn && budget > 0; k++) {
        const cevent *ev = engine_event(r->e, v[k].event);
        if (!ev || ev->n > budget)
            continue;
        budget -= ev->n;
        engine_forget(r->e, v[k].event);
        err = reopen_event(r, v[k].event);
    }
    free(a);
    free(cand);
    free(v);
    return err || r->n == own ? err : update_df(r, own); /* their terms' frequencies */
}

typedef struct opening {
    long long *ids;
    size_t n, cap;
    sl_error err;
} opening;

static int note_open(void *user, cevent *ev)
{
    opening *o = user;
    if (!ev->dirty || ev->n > OPEN_MAX)
        return 0;
    long long *p = grow_array(o->ids, &o->cap, o->n + 1, sizeof *p, 256);
    if (!p) {
        o->err = SL_ERR_NOMEM;
        return 1;
    }
    o->ids = p;
    o->ids[o->n++] = ev->id;
    return 0;
}

/* The small events this batch made or changed are the next batch's to reopen. */
static sl_error keep_open(cluster_run *r)
{
    opening o = {0};
    engine_each(r->e, note_open, &o);
    sl_error err = o.err ? o.err : event_store_set_open(r->st, o.ids, o.n);
    free(o.ids);
    if (!err)
        err = event_store_set_counter(r->st, "event_ids", engine_next_id(r->e) - 1);
    return err;
}

sl_error cluster_run_place(cluster_run *r, long long batch,
                           void (*progress)(void *user, size_t done, size_t total), void *user)
{
    long long max_id = 0;
    sl_error err = batch ? reopen(r) : SL_OK;
    if (!err)
        err = event_store_max_id(r->st, &max_id);
    if (!err)
        err = engine_create(&r->p, max_id + 1, &r->e);
    if (err)
        return err;
    r->stored = max_id > 0;
    err = update_df(r, 0);
    if (!err)
        err = event_store_batch_families(r->st, batch, take_family, r);
    if (!err && r->stored && batch)
        err = reopen_near(r);
    if (r->n)
        qsort(r->docs, r->n, sizeof *r->docs, by_day);
    for (size_t at = 0; !err && at < r->n; at += CLUSTER_CHUNK) {
        size_t m = r->n - at < CLUSTER_CHUNK ? r->n - at : CLUSTER_CHUNK;
        err = place_chunk(r, r->docs + at, m);
        if (progress)
            progress(user, at + m, r->n);
    }
    if (!err)
        err = link_storylines(r);
    saving sv = {r, SL_OK};
    if (!err) {
        engine_each(r->e, save_one, &sv);
        err = sv.err;
    }
    if (!err)
        err = keep_open(r);
    /* Key terms in order, each pair once: sorted inserts into the b-tree. */
    if (r->nkeys)
        qsort(r->keys, r->nkeys, sizeof *r->keys, by_key);
    for (size_t i = 0; !err && i < r->nkeys; i++)
        if (!i || by_key(&r->keys[i], &r->keys[i - 1]))
            err = event_store_put_key(&r->es, r->keys[i].term, r->keys[i].event);
    return err;
}

sl_error cluster_forget(sl_store *st)
{
    return event_store_clear(st);
}
