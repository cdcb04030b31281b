/* reopen.c — events placed again: their articles taken back among a batch's and the
 * events forgotten, so that the placing decides on them again (it gives an event its id
 * back when it forms again). Open events, events of updated articles, and events a batch
 * article links to doubtfully. */
#include "run.h"

#include <math.h>
#include <stdlib.h>

#include "../core/grow.h"
#include "../text/date.h"

/* Events of up to this many articles that a batch made or changed stay open: the next
 * batch places their articles again, among its own and with its document frequencies,
 * before they are final. A first decision on a story made from one or two articles, with
 * the frequencies of a few dozen, is the one most likely to differ from the decision the
 * same articles would get in one larger batch. */
#define OPEN_MAX 5

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
    long day = date ? sli_text_iso_days(date, &ok) : 0;
    sl_error err = sli_features_extract(o->r->ctx[0], title, text, len, f);
    return err ? err : sli_run_note_doc(o->r, o->rid, o->event, ok ? (int)day : ENGINE_NO_DAY, f);
}

static sl_error reopen_member(void *user, long long rid, long long family)
{
    reopening *o = user;
    o->rid = rid;
    if (sli_u64map_get(&o->r->own, (uint64_t)rid)) /* updated by this batch: placed as its own */
        return SL_OK;
    sl_error err = sli_store_event_article(&o->r->es, rid, reopen_text, o);
    if (err == SL_ERR_NOT_FOUND)
        return SL_OK;
    if (!err && family)
        err = sli_run_take_family(o->r, rid, family);
    return err;
}

/* Take event id's articles (but the batch's own) back among the batch's, and forget it:
 * the placing gives the id back when the event forms again. */
static sl_error reopen_event(cluster_run *r, long long id)
{
    int added;
    sl_error err = sli_u64map_put(&r->reopened, (uint64_t)id, NULL, &added);
    if (err)
        return err;
    if (!added)
        return SL_OK;
    reopening o = {r, id, 0};
    err = sli_store_event_members(&r->es, id, reopen_member, &o);
    return err ? err : sli_store_event_drop(&r->es, id);
}

/* Articles the batch updates were placed before, with their old text: each is placed
 * again (counted once in the frequencies) and its old event reopened, so that no event
 * keeps an article, or the weight of a text, that is gone. An event too large for the
 * budget (four times the batch, and 2048 articles) keeps its old centroid and count. */
static sl_error reopen_updated(cluster_run *r)
{
    long long last = 0, budget = 4 * (long long)r->n + 2048;
    size_t own = r->n; /* reopening notes more */
    sl_error err = sli_store_event_last_placed(r->st, &last);
    for (size_t i = 0; !err && i < own; i++) {
        long long event = 0, articles = 0;
        if (r->docs[i].rid > last)
            continue; /* new to the stage */
        err = sli_store_event_article_event(&r->es, r->docs[i].rid, &event, &articles);
        if (err || !event)
            continue;
        /* It claims no id: the id stays with the articles that stay. */
        r->docs[i].counted = 1;
        if (articles && articles <= budget && !sli_u64map_get(&r->reopened, (uint64_t)event)) {
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
sl_error sli_run_reopen(cluster_run *r)
{
    store_open_event *open = NULL;
    size_t n = 0;
    long long budget = (long long)r->n / 2;
    sl_error err = sli_u64map_init(&r->own, 2 * r->n + 16);
    if (!err)
        err = sli_u64map_init(&r->reopened, 64);
    for (size_t i = 0; !err && i < r->n; i++)
        err = sli_u64map_put(&r->own, (uint64_t)r->docs[i].rid, NULL, NULL);
    if (!err)
        err = reopen_updated(r);
    if (!err)
        err = sli_store_event_open_ids(r->st, &open, &n);
    for (size_t i = 0; !err && i < n && budget > 0; i++) {
        if (open[i].articles > budget || sli_u64map_get(&r->reopened, (uint64_t)open[i].id))
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
 * NEAR_MAX articles, within a budget of an eighth of the batch's arriving articles (not
 * those placed again already) and NEAR_MAX more. The scan computes each article's vector
 * once more than the placing does: measured cheap next to the placing (the events it loads
 * stay in the engine for it). */
#define NEAR_MAX 64
#define NEAR_LOW 0.5  /* the doubtful links: from NEAR_LOW to NEAR_HIGH times the bar */
#define NEAR_HIGH 1.5
#define NEAR_SHARE_OF_BATCH 8

/* The stored event article a links to best (0 if none), and the link. */
static sl_error best_stored(cluster_run *r, const avec *a, long long *cand, long long *id,
                            double *link)
{
    int need = engine_keys_needed(a);
    *id = 0;
    *link = -1;
    sl_error err = sli_run_load_found(r, a->keys, (size_t)a->nkeys, need);
    size_t n = err ? 0
                   : sli_engine_candidates(r->e, a->keys, (size_t)a->nkeys, 0, need, cand,
                                       ENGINE_CANDIDATES);
    cevent one;
    if (!err && n)
        err = sli_cevent_of_article(a, &one);
    for (size_t k = 0; !err && k < n; k++) {
        const cevent *ev = sli_engine_event(r->e, cand[k]);
        double s = ev ? sli_engine_link(&r->p, &one, ev) : -1;
        if (s > *link) {
            *link = s;
            *id = cand[k];
        }
    }
    if (!err && n)
        sli_cevent_clear(&one);
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

sl_error sli_run_reopen_near(cluster_run *r)
{
    size_t own = r->n, nn = 0, arriving = 0; /* reopening notes more */
    for (size_t i = 0; i < own; i++)
        arriving += !r->docs[i].counted;
    long long budget = (long long)arriving / NEAR_SHARE_OF_BATCH + NEAR_MAX;
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
        err = sli_run_family_event(r, r->docs[i].rid, &into);
        if (err || into)
            continue;
        sli_run_doc_features(r, &r->docs[i], f);
        sli_engine_vector(r->e, f, r->docs[i].day, a);
        err = best_stored(r, a, cand, &id, &link);
        if (err || !id || link >= hi || link < lo || sli_engine_event(r->e, id)->n > NEAR_MAX)
            continue;
        v[nn++] = (near){fabs(link - r->p.join), id};
    }
    if (nn)
        qsort(v, nn, sizeof *v, by_doubt);
    for (size_t k = 0; !err && k < nn && budget > 0; k++) {
        const cevent *ev = sli_engine_event(r->e, v[k].event);
        if (!ev || ev->n > budget)
            continue;
        budget -= ev->n;
        sli_engine_forget(r->e, v[k].event);
        err = reopen_event(r, v[k].event);
    }
    free(a);
    free(cand);
    free(v);
    return err || r->n == own ? err : sli_run_update_df(r, own); /* their terms' frequencies */
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
    long long *p = sli_grow_array(o->ids, &o->cap, o->n + 1, sizeof *p, 256);
    if (!p) {
        o->err = SL_ERR_NOMEM;
        return 1;
    }
    o->ids = p;
    o->ids[o->n++] = ev->id;
    return 0;
}

/* The small events this batch made or changed are the next batch's to reopen. */
sl_error sli_run_keep_open(cluster_run *r)
{
    opening o = {0};
    sli_engine_each(r->e, note_open, &o);
    sl_error err = o.err ? o.err : sli_store_event_set_open(r->st, o.ids, o.n);
    free(o.ids);
    if (!err)
        err = sli_store_event_set_counter(r->st, "event_ids", sli_engine_next_id(r->e) - 1);
    return err;
}
