/* reopen.c — events placed again: their articles taken back among a batch's and the
 * events forgotten, so that the placing decides on them again (it gives an event its id
 * back when it forms again). Open events, events of updated articles, and events a batch
 * article links to doubtfully. */
#include "reopen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"
#include "../core/workers.h"
#include "../text/date.h"
#include "feature_cache.h"

/* Events of up to this many articles that a batch made or changed stay open: the next
 * batch places their articles again, among its own and with its document frequencies,
 * before they are final. A first decision on a story made from one or two articles, with
 * the frequencies of a few dozen, is the one most likely to differ from the decision the
 * same articles would get in one larger batch. */
#define OPEN_MAX 5

typedef struct reopening {
    reopen *o;
    cluster_run *r;
    run_parts v;
    long long event, rid;
} reopening;

/* Articles placed again a block at a time: those whose features the batch's cache does
 * not hold are extracted together, on the run's threads (the extraction was a tenth of
 * the events stage's main thread in a 30k add, with the other core idle). */
#define REOPEN_BLOCK 256

typedef struct reopen_item {
    long long rid, event;
    int day;
    int cached;    /* its features taken from the batch's cache, not extracted */
    int has_title;
    size_t title, text, len; /* into the queue's text */
    sl_error err;
} reopen_item;

typedef struct extracting {
    reopen_queue *q;
    const run_parts *v;
    unsigned threads;
} extracting;

static void extract_one(void *user, unsigned t)
{
    extracting *x = user;
    reopen_queue *q = x->q;
    features_ctx *ctx = t ? q->ctx[t - 1] : x->v->ctx;
    for (size_t k = t; k < q->n; k += x->threads) {
        reopen_item *it = &q->item[k];
        if (it->cached)
            continue;
        it->err = sli_features_extract(ctx, it->has_title ? q->text + it->title : NULL,
                                       q->text + it->text, it->len, &q->f[k]);
    }
}

/* Extract the queued articles' features and note them, in the order they were read. */
static sl_error reopen_flush(reopen *o, cluster_run *r)
{
    reopen_queue *q = &o->q;
    if (!q->n)
        return SL_OK;
    run_parts v;
    sli_run_parts(r, &v);
    unsigned threads = v.team ? sli_workers_count(v.team) : 1;
    sl_error err = SL_OK;
    if (threads > 1 && q->nctx < threads - 1) {
        features_ctx **c = realloc(q->ctx, (threads - 1) * sizeof *c);
        if (c)
            q->ctx = c;
        else
            err = SL_ERR_NOMEM;
        while (!err && q->nctx < threads - 1) {
            err = sli_features_ctx_create(&q->ctx[q->nctx]);
            if (!err)
                q->nctx++;
        }
    }
    size_t extract = 0;
    for (size_t k = 0; k < q->n; k++)
        extract += !q->item[k].cached;
    if (!err && extract) {
        extracting x = {q, &v, threads > 1 && extract > 1 ? threads : 1};
        if (x.threads > 1)
            sli_workers_run(v.team, extract_one, &x);
        else
            extract_one(&x, 0);
    }
    for (size_t k = 0; !err && k < q->n; k++) {
        const reopen_item *it = &q->item[k];
        err = it->err ? it->err : sli_run_note_doc(r, it->rid, it->event, it->day, &q->f[k]);
    }
    q->n = 0;
    q->len = 0;
    return err;
}

static void reopen_queue_free(reopen_queue *q)
{
    free(q->item);
    free(q->text);
    free(q->f);
    for (unsigned t = 0; t < q->nctx; t++)
        sli_features_ctx_free(q->ctx[t]);
    free(q->ctx);
    *q = (reopen_queue){0};
}

/* Room in the queue for one more item (and the block's features). */
static sl_error queue_room(reopen_queue *q)
{
    if (!q->f && !(q->f = malloc(REOPEN_BLOCK * sizeof *q->f)))
        return SL_ERR_NOMEM;
    reopen_item *it = sli_grow_array(q->item, &q->cap, q->n + 1, sizeof *it, 64);
    if (!it)
        return SL_ERR_NOMEM;
    q->item = it;
    return SL_OK;
}

static sl_error reopen_text(void *user, const char *title, const char *text, size_t len,
                            const char *date)
{
    reopening *x = user;
    reopen_queue *q = &x->o->q;
    int ok = 0;
    long day = date ? sli_text_iso_days(date, &ok) : 0;
    size_t tl = title ? strlen(title) + 1 : 0;
    sl_error err = queue_room(q);
    if (err)
        return err;
    char *t = sli_grow_array(q->text, &q->text_cap, q->len + tl + len + 1, 1, 65536);
    if (!t)
        return SL_ERR_NOMEM;
    q->text = t;
    reopen_item *it = &q->item[q->n++];
    *it = (reopen_item){x->rid, x->event, ok ? (int)day : ENGINE_NO_DAY, 0, title != NULL,
                        q->len, q->len + tl, len, SL_OK};
    if (title)
        memcpy(q->text + q->len, title, tl);
    memcpy(q->text + q->len + tl, text, len);
    q->text[q->len + tl + len] = 0;
    q->len += tl + len + 1;
    return q->n == REOPEN_BLOCK ? reopen_flush(x->o, x->r) : SL_OK;
}

static sl_error reopen_member(void *user, long long rid, long long family)
{
    reopening *x = user;
    x->rid = rid;
    if (sli_u64map_get(&x->o->own, (uint64_t)rid)) /* updated by this batch: placed as its own */
        return SL_OK;
    reopen_queue *q = &x->o->q;
    sl_error err = x->v.cache ? queue_room(q) : SL_OK;
    int day;
    if (!err && x->v.cache && sli_feature_cache_get(x->v.cache, rid, &day, &q->f[q->n])) {
        /* noted by an earlier slice of this batch: its features as they were noted */
        q->item[q->n++] = (reopen_item){.rid = rid, .event = x->event, .day = day, .cached = 1};
        if (q->n == REOPEN_BLOCK)
            err = reopen_flush(x->o, x->r);
    } else if (!err) {
        err = sli_store_event_article(x->v.es, rid, reopen_text, x);
    }
    if (err == SL_ERR_NOT_FOUND)
        return SL_OK;
    if (!err && family)
        err = sli_run_take_family(x->r, rid, family);
    return err;
}

/* Take event id's articles (but the batch's own) back among the batch's, and forget it:
 * the placing gives the id back when the event forms again. */
static sl_error reopen_event(reopen *o, cluster_run *r, long long id)
{
    int added = 0;
    sl_error err = sli_u64map_put(&o->reopened, (uint64_t)id, NULL, &added);
    if (err)
        return err;
    if (!added)
        return SL_OK;
    reopening x = {o, r, {0}, id, 0};
    sli_run_parts(r, &x.v);
    err = sli_store_event_members(x.v.es, id, reopen_member, &x);
    return err ? err : sli_store_event_drop(x.v.es, id);
}

/* Articles the batch updates were placed before, with their old text: each is placed
 * again (counted once in the frequencies) and its old event reopened, so that no event
 * keeps an article, or the weight of a text, that is gone. An event too large for the
 * budget (four times the batch, and 2048 articles) keeps its old centroid and count. */
static sl_error reopen_updated(reopen *o, cluster_run *r)
{
    run_parts v;
    sli_run_parts(r, &v);
    size_t own = sli_run_ndocs(r); /* reopening notes more */
    long long last = 0, budget = 4 * (long long)own + 2048;
    sl_error err = sli_store_event_last_placed(v.st, &last);
    for (size_t i = 0; !err && i < own; i++) {
        long long event = 0, articles = 0;
        cdoc *d = sli_run_doc(r, i);
        if (d->rid > last)
            continue; /* new to the stage */
        err = sli_store_event_article_event(v.es, d->rid, &event, &articles);
        if (err || !event)
            continue;
        /* It claims no id: the id stays with the articles that stay. */
        d->counted = 1;
        if (articles && articles <= budget && !sli_u64map_get(&o->reopened, (uint64_t)event)) {
            budget -= articles;
            err = reopen_event(o, r, event);
        }
    }
    return err;
}

/* Take the open events' articles back among the batch's, and forget the events: the
 * placing gives each its id back when it forms again. The newest go first, up to half as
 * many articles as the batch brings (a batch costs at most 1.5 times its own placing;
 * date-ordered five-batch runs of the dev sets agree as with no limit, down to a quarter);
 * the rest stay as they are. */
sl_error sli_reopen_stale(reopen *o, cluster_run *r)
{
    store_open_event *open = NULL;
    size_t n = 0, ndocs = sli_run_ndocs(r);
    long long budget = (long long)ndocs / 2;
    sl_error err = sli_u64map_init(&o->own, 2 * ndocs + 16);
    if (!err)
        err = sli_u64map_init(&o->reopened, 64);
    for (size_t i = 0; !err && i < ndocs; i++)
        err = sli_u64map_put(&o->own, (uint64_t)sli_run_doc(r, i)->rid, NULL, NULL);
    if (!err)
        err = reopen_updated(o, r);
    run_parts v;
    sli_run_parts(r, &v);
    if (!err)
        err = sli_store_event_open_ids(v.st, &open, &n);
    for (size_t i = 0; !err && i < n && budget > 0; i++) {
        if (open[i].articles > budget || sli_u64map_get(&o->reopened, (uint64_t)open[i].id))
            continue;
        budget -= open[i].articles;
        err = reopen_event(o, r, open[i].id);
    }
    free(open);
    if (!err)
        err = reopen_flush(o, r);
    return err;
}

void sli_reopen_free(reopen *o)
{
    reopen_queue_free(&o->q);
    sli_u64map_free(&o->own);
    sli_u64map_free(&o->reopened);
}

/* Doubtful decisions, weighed again: an article whose best link to a stored event lies
 * within half the bar's evidence of the bar's (it falls just short, or joins by little:
 * sli_engine_link_at, from NEAR_LOW to NEAR_HIGH times the bar's evidence) is placed with
 * that event's articles rather than against its centroid, as one batch would have placed
 * it (linked to the closest of them first, or kept apart from a sibling event the
 * centroid blurs into). The events of the most doubtful links go first, each of up to
 * NEAR_MAX articles, within a budget of an eighth of the batch's arriving articles (not
 * those placed again already) and NEAR_MAX more. The scan computes each article's vector
 * once more than the placing does: measured cheap next to the placing (the events it loads
 * stay in the engine for it). */
#define NEAR_MAX 64
#define NEAR_LOW 0.5  /* the doubtful links: from NEAR_LOW to NEAR_HIGH times the bar's
                         evidence (sli_engine_link_at) */
#define NEAR_HIGH 1.5
#define NEAR_SHARE_OF_BATCH 8

/* The batch articles whose best stored link is sought, a block at a time: their vectors,
 * and the stored events their searches bring in found on the engine's threads
 * (sli_run_find_kept); then those events loaded and each article's candidates found in
 * order (the store's reads stay on this thread); then their links scored (they only read
 * the events) and weighed in order. A block's loading (the store's reads, this thread's
 * alone) runs while the block before is scored on the other threads, which then share
 * what is left of it with this one: the engine sees the same loads in the same order. */
#define SCAN_BLOCK 128

typedef struct scan_item {
    avec a;
    size_t doc;       /* the run's article */
    size_t nc;        /* candidates: ev + k * ENGINE_BEST_CANDIDATES (none: not scanned) */
    long long id;     /* the best (0 if none) */
    double link;
    int nomem;
} scan_item;

/* A block of articles on its way through the scan. */
typedef struct scan_block {
    scan_item *item;
    run_query *q;
    long long *cand;   /* ENGINE_CANDIDATES an item: the candidates' search's room */
    const cevent **ev; /* ENGINE_BEST_CANDIDATES an item: the candidates, as held */
    size_t n;
} scan_block;

typedef struct scan {
    const run_parts *v;
    scan_block *now;   /* the block being scored */
    double lo;         /* the least doubtful link */
} scan;

/* The stored event each article links to best, and the link, as one walk over the
 * candidates in order would find it (the first of equal links). Reads the candidates'
 * events through the block's pointers, not the engine's tables, which the loading of the
 * next block changes meanwhile. */
static void scan_links(void *user, unsigned thread, size_t k)
{
    (void)thread;
    scan *sc = user;
    scan_item *it = &sc->now->item[k];
    const cevent *const *ev = sc->now->ev + k * ENGINE_BEST_CANDIDATES;
    it->id = 0;
    it->link = -1;
    it->nomem = 0;
    cevent one;
    if (!it->nc)
        return;
    if (sli_cevent_of_article(&it->a, &one)) {
        it->nomem = 1;
        return;
    }
    for (size_t c = 0; c < it->nc; c++) {
        /* a link under the doubtful ones, or under the best so far, is not computed:
         * it changes nothing (the first of equal links stays) */
        double d[VIEWS], floor = it->link > sc->lo ? it->link : sc->lo;
        double s = ev[c] && ev[c]->n && one.n
                       ? sli_engine_link_unless_under(sc->v->p, &one, ev[c], &one, NULL, floor, d)
                       : -1;
        if (s > it->link) {
            it->link = s;
            it->id = ev[c]->id;
        }
    }
    sli_cevent_clear(&one);
}

static void scan_block_free(scan_block *b)
{
    free(b->item);
    free(b->q);
    free(b->cand);
    free(b->ev);
}

static sl_error scan_block_init(scan_block *b)
{
    *b = (scan_block){malloc(SCAN_BLOCK * sizeof *b->item), malloc(SCAN_BLOCK * sizeof *b->q),
                      malloc(SCAN_BLOCK * ENGINE_CANDIDATES * sizeof *b->cand),
                      malloc(SCAN_BLOCK * ENGINE_BEST_CANDIDATES * sizeof *b->ev), 0};
    return b->item && b->q && b->cand && b->ev ? SL_OK : SL_ERR_NOMEM;
}

/* Block b: the next articles from *i on not placed again already (up to SCAN_BLOCK),
 * their vectors and searches; the stored events each search brings in found (on every
 * core), and kept for the placing, which searches again for the same article. */
static sl_error scan_fill(cluster_run *r, const run_parts *rp, size_t own, size_t *i,
                          scan_block *b)
{
    features *f = rp->scratch;
    for (b->n = 0; *i < own && b->n < SCAN_BLOCK; ++*i) {
        const cdoc *d = sli_run_doc(r, *i);
        if (d->counted)
            continue;
        scan_item *it = &b->item[b->n];
        it->doc = *i;
        sli_run_doc_features(r, d, f);
        sli_engine_vector(rp->e, f, d->day, &it->a);
        b->q[b->n++] = (run_query){it->a.keys, (size_t)it->a.nkeys, engine_keys_needed(&it->a),
                                   NULL};
    }
    sl_error err = b->n ? sli_run_find_kept(r, b->q, b->n) : SL_OK;
    for (size_t k = 0; !err && k < b->n; k++)
        err = sli_run_keep_found(r, b->item[k].doc, k);
    return err;
}

/* Block b's events loaded, in order, as one article after another: an article whose
 * family is in an event is passed over (no candidates), the others' events loaded, their
 * candidates found (and taken as the engine holds them). */
static sl_error scan_load(cluster_run *r, const run_parts *rp, scan_block *b)
{
    sl_error err = SL_OK;
    for (size_t k = 0; !err && k < b->n; k++) {
        long long into = 0;
        scan_item *it = &b->item[k];
        it->nc = 0;
        err = sli_run_family_event(r, sli_run_doc(r, it->doc)->rid, &into);
        if (err || into)
            continue;
        err = sli_run_load_kept(r, k, &b->q[k]);
        long long *cand = b->cand + k * ENGINE_CANDIDATES;
        it->nc = err ? 0
                     : sli_engine_candidates(rp->e, it->a.keys, (size_t)it->a.nkeys, 0,
                                             b->q[k].need, cand, ENGINE_CANDIDATES);
        if (it->nc > ENGINE_BEST_CANDIDATES) /* never: the search keeps as many at most */
            it->nc = ENGINE_BEST_CANDIDATES;
        for (size_t c = 0; c < it->nc; c++)
            b->ev[k * ENGINE_BEST_CANDIDATES + c] = sli_engine_event(rp->e, cand[c]);
    }
    return err;
}

/* A block's loading, as the caller's work beside the block before's scoring
 * (sli_workers_share_beside). */
typedef struct loading {
    cluster_run *r;
    const run_parts *rp;
    scan_block *b;
    sl_error err;
} loading;

static void load_beside(void *user)
{
    loading *x = user;
    x->err = x->b->n ? scan_load(x->r, x->rp, x->b) : SL_OK;
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

sl_error sli_reopen_near(reopen *o, cluster_run *r)
{
    run_parts rp;
    sli_run_parts(r, &rp);
    size_t own = sli_run_ndocs(r), nn = 0, arriving = 0; /* reopening notes more */
    for (size_t i = 0; i < own; i++)
        arriving += !sli_run_doc(r, i)->counted;
    long long budget = (long long)arriving / NEAR_SHARE_OF_BATCH + NEAR_MAX;
    workers *team = sli_engine_team(rp.e);
    scan sc = {.v = &rp};
    scan_block blk[2];
    sl_error err = scan_block_init(&blk[0]), err1 = scan_block_init(&blk[1]);
    err = err ? err : err1;
    near *v = malloc((own ? own : 1) * sizeof *v);
    if (!err && !v)
        err = SL_ERR_NOMEM;
    double lo = sli_engine_link_at(rp.p, NEAR_LOW), hi = sli_engine_link_at(rp.p, NEAR_HIGH);
    sc.lo = lo;
    double bar = sli_engine_link_at(rp.p, 1); /* the join bar (kept inside 0..1) */
    double bar_logit = log(bar / (1 - bar));
    size_t i = 0;
    if (!err)
        err = scan_fill(r, &rp, own, &i, &blk[0]);
    if (!err)
        err = scan_load(r, &rp, &blk[0]);
    for (int cur = 0; !err && blk[cur].n; cur ^= 1) {
        scan_block *next = &blk[cur ^ 1];
        /* the next block's searches (on every core), then its loading (on this thread)
         * while the other threads score this one */
        err = scan_fill(r, &rp, own, &i, next);
        if (err)
            break;
        sc.now = &blk[cur];
        loading ld = {r, &rp, next, SL_OK};
        sli_workers_share_beside(team, sc.now->n, scan_links, &sc, load_beside, &ld);
        err = ld.err;
        for (size_t k = 0; !err && k < sc.now->n; k++) {
            const scan_item *it = &sc.now->item[k];
            if (it->nomem)
                err = SL_ERR_NOMEM;
            if (err || !it->id || it->link >= hi || it->link < lo ||
                sli_engine_event(rp.e, it->id)->n > NEAR_MAX)
                continue;
            v[nn++] = (near){fabs(log(it->link / (1 - it->link)) - bar_logit), it->id};
        }
    }
    if (nn)
        qsort(v, nn, sizeof *v, by_doubt);
    for (size_t k = 0; !err && k < nn && budget > 0; k++) {
        const cevent *ev = sli_engine_event(rp.e, v[k].event);
        if (!ev || ev->n > budget)
            continue;
        budget -= ev->n;
        sli_engine_forget(rp.e, v[k].event);
        err = reopen_event(o, r, v[k].event);
    }
    if (!err)
        err = reopen_flush(o, r);
    scan_block_free(&blk[0]);
    scan_block_free(&blk[1]);
    free(v);
    /* their terms' frequencies */
    return err || sli_run_ndocs(r) == own ? err : sli_run_update_df(r, own);
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
sl_error sli_reopen_keep_open(engine *e, sl_store *st)
{
    opening o = {0};
    sli_engine_each(e, note_open, &o);
    sl_error err = o.err ? o.err : sli_store_event_set_open(st, o.ids, o.n);
    free(o.ids);
    if (!err)
        err = sli_store_event_set_counter(st, "event_ids", sli_engine_next_id(e) - 1);
    return err;
}
