/* facts_stage.c — the facts stage in the pipeline: each article's facts extracted beside
 * the match and the placing (facts_queue.h) and saved before the events'; then, once
 * events are placed, the quotes and entities of every event the run touched made again
 * (quote variants grouped, entities merged: a round of events on two threads while the
 * next is read), keeping the id of a quote whose wording survives. */
#include "pipeline.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../core/grow.h"
#include "../core/json_writer.h"
#include "../core/u64map.h"
#include "../core/utf8.h"
#include "../core/workers.h"
#include "../facts/facts.h"
#include "facts_queue.h"
#include "../store/store.h"

struct facts_run {
    sl_store *st;
    sli_facts_ctx *ctx; /* read-only, shared by the threads */
    store_facts sf;
    facts_queue *queue; /* the articles cleaned, their facts extracted beside the placing */
    store_fact_quote *q;
    size_t qcap;
    u64map put;         /* the articles whose facts were saved since the last events run,
                           each -> its entities in `saved` + 1 (0: not kept) */
    /* Those articles' entities as saved, kept (up to ENTITY_CACHE_BYTES of names) so that
     * merging them need not read them back from their packed facts objects. */
    struct saved_article {
        size_t first, n; /* in saved_e */
    } *saved;
    size_t n_saved, cap_saved;
    struct saved_entity {
        size_t name;     /* in saved_names */
        sli_entity_type type;
        int count;
    } *saved_e;
    size_t n_saved_e, cap_saved_e;
    buf saved_names;
    double extract_seconds; /* the articles' extraction, processor time */
    long long *touched; /* the events touched (sli_facts_run_begin), for later stages */
    size_t n_touched;
    struct quote_work *w;         /* from sli_facts_run_begin to the end of _events */
    struct old_reading *old;      /* the touched events' old quotes, being read */
};

/* The cleaned input the queue holds at most before its articles are extracted and saved
 * there and then: a slice of 40,000 articles (a million in the store) holds about 160 MB
 * (4.0 KB an article, the first 3,000 of bench/curve.sh's corpus cleaned).
 * A bound on memory, not fitted. */
#define FACTS_QUEUE_BYTES ((size_t)256 << 20)

sl_error sli_facts_run_create(sl_store *st, facts_run **out)
{
    *out = NULL;
    facts_run *r = calloc(1, sizeof *r);
    if (!r)
        return SL_ERR_NOMEM;
    r->st = st;
    sli_buf_init(&r->saved_names, BUF_UNLIMITED);
    sl_error err = sli_facts_ctx_create(&r->ctx);
    if (!err)
        err = sli_facts_queue_create(r->ctx, FACTS_QUEUE_BYTES, &r->queue);
    if (!err) /* before the cluster stage writes: it notes the events touched */
        err = sli_store_facts_open(st, &r->sf);
    if (err) {
        sli_facts_run_free(r);
        return err;
    }
    *out = r;
    return SL_OK;
}

static void events_end(facts_run *r);

void sli_facts_run_free(facts_run *r)
{
    if (!r)
        return;
    events_end(r); /* first: the old quotes' thread writes into r->w */
    sli_facts_queue_free(r->queue); /* first: its thread reads ctx */
    sli_store_facts_close(&r->sf);
    free(r->touched);
    free(r->q);
    sli_u64map_free(&r->put);
    free(r->saved);
    free(r->saved_e);
    sli_buf_free(&r->saved_names);
    sli_facts_ctx_free(r->ctx);
    free(r);
}

double sli_facts_run_extract_seconds(const facts_run *r)
{
    return r->extract_seconds;
}

/* A headline in Title Case ("Harbour Bridge Closed After Storm") capitalises every word,
 * so it says nothing of which are names: it is left out. Sentence-case headlines are read.
 * Title Case: of the words of four letters or more, at least 3 and all but one begin with
 * a capital (one lower-case word is allowed for a quoted phrase or a brand). */
static int title_case(const char *t)
{
    int words = 0, lower = 0;
    for (const char *p = t; *p;) {
        while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            p++;
        const char *w = p;
        while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
            p++;
        if (p - w >= 4) {
            words++;
            lower += *w >= 'a' && *w <= 'z';
        }
    }
    return words >= 3 && lower <= 1;
}

sl_error sli_facts_of_article(const sli_facts_ctx *ctx, const char *title, const char *text,
                              size_t len, const char *date, buf *scratch, sli_facts *out)
{
    char day[11];
    const char *d = NULL;
    if (date && strlen(date) >= 10) {
        memcpy(day, date, 10);
        day[10] = '\0';
        d = day;
    }
    /* The headline is read too: it names the story's people and places (the cleaner keeps
     * it apart from the text). A blank line keeps it a paragraph of its own. */
    const char *in = text;
    size_t in_len = text ? len : 0;
    if (title && *title && !title_case(title)) {
        sli_buf_clear(scratch);
        sl_error err = sli_buf_append(scratch, title, strlen(title));
        if (!err)
            err = sli_buf_append(scratch, "\n\n", 2);
        if (!err && in_len)
            err = sli_buf_append(scratch, text, in_len);
        if (err)
            return err;
        in = sli_buf_str(scratch);
        in_len = scratch->len;
    }
    return sli_facts_extract(ctx, in ? in : "", in_len, d, out);
}

/* The names of the entities kept for the merge, at most (16 MiB: an article's run about
 * 150 bytes, so a slice of 100,000 articles; beyond it they are read back from the store,
 * the same entities, slower). A bound on memory, not fitted. */
#define ENTITY_CACHE_BYTES (16u << 20)

/* Article rid's facts saved: noted, and its entities kept when there is room and every name
 * is valid UTF-8 (the facts object holds an invalid byte as U+FFFD: such an article's
 * entities are read back from it, as they are merged, not as extracted). */
static sl_error keep_saved(facts_run *r, long long rid, const sli_facts *f)
{
    uint64_t *slot;
    sl_error err = sli_u64map_put(&r->put, (uint64_t)rid, &slot, NULL);
    if (err)
        return err;
    *slot = 0;
    size_t bytes = 0;
    for (size_t i = 0; i < f->n_entities; i++) {
        size_t len = strlen(f->entities[i].name);
        if (sli_utf8_invalid_at(f->entities[i].name, len) != len)
            return SL_OK;
        bytes += len + 1;
    }
    if (r->saved_names.len + bytes > ENTITY_CACHE_BYTES)
        return SL_OK;
    struct saved_article *sa =
        sli_grow_array(r->saved, &r->cap_saved, r->n_saved + 1, sizeof *sa, 64);
    if (!sa)
        return SL_ERR_NOMEM;
    r->saved = sa;
    struct saved_entity *se = sli_grow_array(r->saved_e, &r->cap_saved_e,
                                             r->n_saved_e + f->n_entities + 1, sizeof *se, 256);
    if (!se)
        return SL_ERR_NOMEM;
    r->saved_e = se;
    sa[r->n_saved] = (struct saved_article){r->n_saved_e, f->n_entities};
    for (size_t i = 0; !err && i < f->n_entities; i++) {
        const sli_entity *e = &f->entities[i];
        se[r->n_saved_e + i] = (struct saved_entity){r->saved_names.len, e->type,
                                                     e->count > 1000000000 ? 1000000000
                                                                           : e->count};
        err = sli_buf_append(&r->saved_names, e->name, strlen(e->name) + 1);
    }
    if (err)
        return err;
    r->n_saved_e += f->n_entities;
    *slot = ++r->n_saved;
    return SL_OK;
}

/* An article's facts saved (the queue's finish hands them over in the order queued). */
static sl_error save(void *user, long long rid, const sli_facts *f, const char *json,
                     double seconds)
{
    facts_run *r = user;
    r->extract_seconds += seconds;
    store_fact_quote *q = sli_grow_array(r->q, &r->qcap, f->n_quotes + 1, sizeof *q, 16);
    if (!q)
        return SL_ERR_NOMEM;
    r->q = q;
    for (size_t i = 0; i < f->n_quotes; i++)
        q[i] = (store_fact_quote){f->quotes[i].text, f->quotes[i].speaker,
                                  sli_quote_kind_name(f->quotes[i].kind)};
    /* noted: an event's entity memo made before holds its old entities */
    sl_error err = keep_saved(r, rid, f);
    if (!err)
        err = sli_store_facts_put(&r->sf, rid, json, q, f->n_quotes, f->n_entities);
    return err;
}

sl_error sli_facts_run_queue(facts_run *r, const clean_done *a)
{
    sl_error err = sli_facts_queue_put(r->queue, a->rid, a->title, a->text,
                                       a->text ? a->len : 0, a->date);
    if (!err && sli_facts_queue_full(r->queue)) { /* its bound: extracted and saved now */
        sli_facts_queue_start(r->queue);
        err = sli_facts_queue_finish(r->queue, save, r);
    }
    return err;
}

void sli_facts_run_extract(facts_run *r)
{
    sli_facts_queue_start(r->queue);
}

/* --- an event's quotes and entities --- */

static uint64_t text_key(const char *s)
{
    return XXH3_64bits(s, strlen(s));
}

/* The quotes an event's articles print, copied (the store's rows live for one call). */
typedef struct gathered {
    sli_quote_seen *seen;
    size_t n, cap;
    long long *rid;
    size_t rcap;
    int *qn;        /* each one's place among its article's quotes */
    size_t qcap;
    buf pool;       /* the strings, NUL-separated */
    size_t *at;     /* offsets in pool: text, speaker, article, date (SIZE_MAX: NULL) */
    size_t acap;
} gathered;

static sl_error pool_put(buf *pool, const char *s, size_t *at)
{
    if (!s) {
        *at = (size_t)-1;
        return SL_OK;
    }
    *at = pool->len;
    sl_error err = sli_buf_append(pool, s, strlen(s));
    return err ? err : sli_buf_putc(pool, '\0');
}

static sl_error gather_quote(void *user, const store_seen_quote *q)
{
    gathered *g = user;
    sli_quote_seen *seen = sli_grow_array(g->seen, &g->cap, g->n + 1, sizeof *seen, 32);
    if (!seen)
        return SL_ERR_NOMEM;
    g->seen = seen;
    long long *rid = sli_grow_array(g->rid, &g->rcap, g->n + 1, sizeof *rid, 32);
    if (!rid)
        return SL_ERR_NOMEM;
    g->rid = rid;
    size_t *at = sli_grow_array(g->at, &g->acap, 4 * (g->n + 1), sizeof *at, 128);
    if (!at)
        return SL_ERR_NOMEM;
    g->at = at;
    size_t *mine = at + 4 * g->n;
    sl_error err = pool_put(&g->pool, q->text, &mine[0]);
    if (!err)
        err = pool_put(&g->pool, q->speaker, &mine[1]);
    if (!err)
        err = pool_put(&g->pool, q->article, &mine[2]);
    if (!err)
        err = pool_put(&g->pool, q->date, &mine[3]);
    if (err)
        return err;
    seen[g->n] = (sli_quote_seen){
        .kind = q->kind && !strcmp(q->kind, "phrase") ? SLI_QUOTE_PHRASE : SLI_QUOTE_SPEECH,
        .order = q->rid};
    rid[g->n] = q->rid;
    int *qn = sli_grow_array(g->qn, &g->qcap, g->n + 1, sizeof *qn, 32);
    if (!qn)
        return SL_ERR_NOMEM;
    g->qn = qn;
    qn[g->n] = q->n;
    g->n++;
    return SL_OK;
}

/* The strings' pointers, once the pool no longer moves. */
static void gathered_fix(gathered *g)
{
    for (size_t i = 0; i < g->n; i++) {
        const size_t *at = g->at + 4 * i;
        const char *base = g->pool.data;
        g->seen[i].text = base + at[0];
        g->seen[i].speaker = at[1] == (size_t)-1 ? NULL : base + at[1];
        g->seen[i].article = base + at[2];
        g->seen[i].date = at[3] == (size_t)-1 ? NULL : base + at[3];
    }
}

/* What an event's quotes are worked out with; kept from one event to the next. */
typedef struct quote_work {
    const gathered *g; /* the event's quotes being saved (its slot's) */
    size_t *start, *vidx, *vstart, *vorder;
    size_t cap;
    long long *rids;
    u64map variant;  /* text key -> variant number + 1, per quote */
    u64map speakers; /* speaker key -> count, per quote */
    /* The old quotes of the touched events, by the wordings they printed: one wording may
     * be printed in several events (a stock phrase, a quote two stories share), each its
     * own quote, so each wording keeps every old id that printed it. */
    u64map old;      /* text key -> its first old_node + 1 not yet given */
    u64map old_ev;   /* (text key, old event) -> that event's old quote id */
    struct old_node {
        long long id;
        size_t next, tail; /* the next node of the same text (SIZE_MAX: none); tail: the
                              last, kept in the first */
    } *nodes;
    size_t n_nodes, cap_nodes;
    long long noting; /* the event whose old quotes note_old is given */
    u64map used;     /* quote ids given in this run */
    long long next;  /* the last quote id given */
    /* The old quotes as stored, each by a hash of all its rows: a quote made again the
     * same (same id, event, wordings, articles) is not written again. */
    struct old_quote {
        long long id, event;
        uint64_t head, variants, articles; /* hashes of its row, variants, articles */
    } *oq;
    size_t n_oq, cap_oq;
    u64map oq_at;    /* quote id -> its oq + 1 */
} quote_work;

static void quote_work_free(quote_work *w)
{
    free(w->start);
    free(w->vidx);
    free(w->vstart);
    free(w->vorder);
    free(w->rids);
    sli_u64map_free(&w->variant);
    sli_u64map_free(&w->speakers);
    sli_u64map_free(&w->old);
    sli_u64map_free(&w->old_ev);
    free(w->nodes);
    sli_u64map_free(&w->used);
    free(w->oq);
    sli_u64map_free(&w->oq_at);
}

/* The hashes a quote's rows are compared by (the old as read, the new as to be written). */
static uint64_t hash_str(const char *s, uint64_t h)
{
    return s ? XXH3_64bits_withSeed(s, strlen(s) + 1, h) : XXH3_64bits_withSeed("", 0, ~h);
}

static uint64_t hash_num(long long a, long long b, uint64_t h)
{
    long long v[2] = {a, b};
    return XXH3_64bits_withSeed(v, sizeof v, h);
}

static uint64_t quote_head(long long event, const char *text, const char *speaker,
                           const char *kind)
{
    return hash_str(kind, hash_str(speaker, hash_str(text, hash_num(event, 0, 0x51))));
}

/* The key of a wording as printed by an event. */
static uint64_t text_event_key(uint64_t text, long long event)
{
    uint64_t e = (uint64_t)event;
    return text ^ XXH3_64bits(&e, sizeof e);
}

static sl_error note_old(void *user, const store_old_variant *v)
{
    quote_work *w = user;
    long long quote = v->quote;
    uint64_t key = text_key(v->text), *slot;
    int added;
    sl_error err = sli_u64map_put(&w->oq_at, (uint64_t)quote, &slot, &added);
    if (!err && added) { /* its first variant: the quote's row */
        struct old_quote *oq = sli_grow_array(w->oq, &w->cap_oq, w->n_oq + 1, sizeof *oq, 64);
        if (!oq)
            return SL_ERR_NOMEM;
        w->oq = oq;
        oq[w->n_oq] = (struct old_quote){quote, w->noting,
                                         quote_head(w->noting, v->quote_text, v->speaker,
                                                    v->kind),
                                         0x56, 0x41};
        *slot = ++w->n_oq;
    }
    if (!err) {
        struct old_quote *oq = &w->oq[*slot - 1];
        oq->variants = hash_str(v->text, hash_num(v->n, 0, oq->variants));
        err = sli_u64map_put(&w->old_ev, text_event_key(key, w->noting), &slot, &added);
    }
    if (!err && added)
        *slot = (uint64_t)quote;
    struct old_node *nodes =
        err ? NULL : sli_grow_array(w->nodes, &w->cap_nodes, w->n_nodes + 1, sizeof *nodes, 64);
    if (!err && !nodes)
        err = SL_ERR_NOMEM;
    if (!err) {
        w->nodes = nodes;
        err = sli_u64map_put(&w->old, key, &slot, &added);
    }
    if (err)
        return err;
    size_t n = w->n_nodes++;
    w->nodes[n] = (struct old_node){quote, (size_t)-1, n};
    if (added) {
        *slot = n + 1;
    } else { /* appended: the old ids of a wording in the order they were noted */
        struct old_node *head = &w->nodes[*slot - 1];
        w->nodes[head->tail].next = n;
        head->tail = n;
    }
    return SL_OK;
}

static sl_error note_old_article(void *user, long long quote, int n, long long rid)
{
    quote_work *w = user;
    const uint64_t *at = sli_u64map_get(&w->oq_at, (uint64_t)quote);
    if (at) {
        struct old_quote *oq = &w->oq[*at - 1];
        oq->articles = hash_num(n, rid, oq->articles);
    }
    return SL_OK;
}

static sl_error work_room(quote_work *w, size_t n)
{
    if (n + 1 <= w->cap)
        return SL_OK;
    size_t cap = 2 * n + 16;
    size_t **arrays[] = {&w->start, &w->vidx, &w->vstart, &w->vorder};
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++) {
        size_t *p = realloc(*arrays[i], cap * sizeof **arrays[i]);
        if (!p)
            return SL_ERR_NOMEM;
        *arrays[i] = p;
    }
    long long *r = realloc(w->rids, cap * sizeof *r);
    if (!r)
        return SL_ERR_NOMEM;
    w->rids = r;
    w->cap = cap;
    return SL_OK;
}

/* The first old id of the wording with this key not given yet (0 if none); the ones given
 * are dropped from the front of its list as they are met, so each is passed over once. */
static long long old_unused(quote_work *w, uint64_t key)
{
    uint64_t *head = sli_u64map_get(&w->old, key);
    while (head && *head) {
        const struct old_node *h = &w->nodes[*head - 1];
        if (!sli_u64map_has(&w->used, (uint64_t)h->id))
            return h->id;
        if (h->next != (size_t)-1)
            w->nodes[h->next].tail = h->tail;
        *head = h->next == (size_t)-1 ? 0 : h->next + 1;
    }
    return 0;
}

/* The quote id of event `event`'s utterance whose wordings are m[0..k) (canonical first):
 * the old id of this event's quote that printed one of them, else of another touched
 * event's (the first noted), unless given already; else a new one. */
static sl_error quote_id(quote_work *w, long long event, const size_t *m, size_t k,
                         long long *id)
{
    const sli_quote_seen *seen = w->g->seen;
    for (size_t j = 0; j < k; j++) {
        const uint64_t *old =
            sli_u64map_get(&w->old_ev, text_event_key(text_key(seen[m[j]].text), event));
        if (old && !sli_u64map_has(&w->used, *old)) {
            *id = (long long)*old;
            return sli_u64map_put(&w->used, *old, NULL, NULL);
        }
    }
    for (size_t j = 0; j < k; j++) {
        long long old = old_unused(w, text_key(seen[m[j]].text));
        if (old) {
            *id = old;
            return sli_u64map_put(&w->used, (uint64_t)old, NULL, NULL);
        }
    }
    *id = ++w->next;
    return sli_u64map_put(&w->used, (uint64_t)*id, NULL, NULL);
}

/* The speaker the members m[0..k) name most often (of equals, the first to reach that
 * count); NULL when none names one. */
static sl_error quote_speaker(quote_work *w, const size_t *m, size_t k, const char **out)
{
    *out = NULL;
    sli_u64map_clear(&w->speakers);
    uint64_t best = 0;
    for (size_t j = 0; j < k; j++) {
        const char *s = w->g->seen[m[j]].speaker;
        if (!s)
            continue;
        uint64_t *c;
        sl_error err = sli_u64map_put(&w->speakers, text_key(s), &c, NULL);
        if (err)
            return err;
        if (++*c > best) {
            best = *c;
            *out = s;
        }
    }
    return SL_OK;
}

/* One utterance: its members m[0..k) in seen order (earliest first). */
static sl_error save_quote(facts_run *r, quote_work *w, long long event, size_t canon,
                           const size_t *m, size_t k)
{
    const sli_quote_seen *seen = w->g->seen;
    /* canonical first among the wordings asked for an id */
    size_t *ask = w->vorder; /* scratch: k slots */
    ask[0] = canon;
    size_t na = 1;
    for (size_t j = 0; j < k; j++)
        if (m[j] != canon)
            ask[na++] = m[j];
    long long id;
    sl_error err = quote_id(w, event, ask, na, &id);
    const char *speaker = NULL;
    if (!err)
        err = quote_speaker(w, m, k, &speaker);
    int speech = 0;
    for (size_t j = 0; j < k; j++)
        speech |= seen[m[j]].kind == SLI_QUOTE_SPEECH;
    const char *kind = speech ? "speech" : "phrase";
    /* Variants: distinct wordings in order of first print; each with its articles. */
    sli_u64map_clear(&w->variant);
    size_t nv = 0;
    for (size_t j = 0; !err && j < k; j++) {
        uint64_t *v;
        int added;
        err = sli_u64map_put(&w->variant, text_key(seen[m[j]].text), &v, &added);
        if (!err && added)
            *v = ++nv;
        if (!err)
            w->vidx[j] = (size_t)*v - 1;
    }
    if (err)
        return err;
    for (size_t v = 0; v <= nv; v++)
        w->vstart[v] = 0;
    for (size_t j = 0; j < k; j++)
        w->vstart[w->vidx[j] + 1]++;
    for (size_t v = 0; v < nv; v++)
        w->vstart[v + 1] += w->vstart[v];
    /* members bucketed by variant, in seen order (ask[] is done with: reuse it) */
    size_t *fill = w->start; /* scratch: nv slots */
    for (size_t v = 0; v < nv; v++)
        fill[v] = w->vstart[v];
    for (size_t j = 0; j < k; j++)
        w->vorder[fill[w->vidx[j]]++] = m[j];
    /* The same rows as its old id's (its event's, stored before): nothing to write. */
    const uint64_t *was = sli_u64map_get(&w->oq_at, (uint64_t)id);
    if (was && w->oq[*was - 1].event == event &&
        w->oq[*was - 1].head == quote_head(event, seen[canon].text, speaker, kind)) {
        uint64_t hv = 0x56, ha = 0x41;
        for (size_t v = 0; v < nv; v++) {
            hv = hash_str(seen[w->vorder[w->vstart[v]]].text, hash_num((long long)v, 0, hv));
            long long last = 0;
            for (size_t p = w->vstart[v]; p < w->vstart[v + 1]; p++) {
                long long rid = w->g->rid[w->vorder[p]];
                if (p == w->vstart[v] || rid != last)
                    ha = hash_num((long long)v, rid, ha);
                last = rid;
            }
        }
        if (hv == w->oq[*was - 1].variants && ha == w->oq[*was - 1].articles)
            return SL_OK;
    }
    if (was) /* an old id, its rows otherwise: made again */
        err = sli_store_facts_drop_quote(&r->sf, id);
    if (!err)
        err = sli_store_facts_put_quote(&r->sf, id, event, seen[canon].text, speaker, kind,
                                        w->g->rid[canon], w->g->qn[canon]);
    for (size_t v = 0; !err && v < nv; v++) {
        size_t nr = 0;
        for (size_t p = w->vstart[v]; p < w->vstart[v + 1]; p++) {
            long long rid = w->g->rid[w->vorder[p]];
            if (!nr || w->rids[nr - 1] != rid) /* an article's quotes come together */
                w->rids[nr++] = rid;
        }
        err = sli_store_facts_put_variant(&r->sf, id, (int)v, seen[w->vorder[w->vstart[v]]].text,
                                          w->rids, nr);
    }
    return err;
}

/* An article stored before the facts stage (its store made by an older storyline):
 * extracted now, on this thread, once its event is touched, from what the cleaning
 * thread would have read (its title too). */
typedef struct late {
    facts_run *r;
    long long rid;
} late;

static sl_error extract_late(void *user, const char *text, size_t len, const char *date,
                             const char *title)
{
    late *x = user;
    sl_error err = sli_facts_queue_put(x->r->queue, x->rid, title, text, len, date);
    return err ? err : sli_facts_queue_finish(x->r->queue, save, x->r);
}

static sl_error missing_facts(facts_run *r, long long event)
{
    long long *rids;
    size_t n;
    sl_error err = sli_store_facts_missing(&r->sf, event, &rids, &n);
    for (size_t i = 0; !err && i < n; i++) {
        late x = {r, rids[i]};
        err = sli_store_facts_article(&r->sf, rids[i], extract_late, &x);
    }
    free(rids);
    return err;
}

/* An event's entities: every article's, in article order (by rid), merged. The merge
 * resumes from the event's memo (docs/facts-entities.md, "Resuming"): the state the last
 * merge ended in, saved with the rids it had merged. When those are the event's first
 * articles now, none of them saved again since (r->put), only the later ones are read
 * and merged: the same result as merging all of them afresh. */
typedef struct entity_work {
    sli_entity_merge m; /* the event's */
    sli_entity *one;    /* the articles' to merge */
    size_t n, cap;
    buf pool;
    size_t *at;
    size_t acap;
    long long *rids;    /* the event's articles */
    size_t n_rids, cap_rids;
    buf memo;
} entity_work;

static void entity_work_free(entity_work *x)
{
    sli_entity_merge_free(&x->m);
    free(x->one);
    free(x->at);
    free(x->rids);
    sli_buf_free(&x->pool);
    sli_buf_free(&x->memo);
}

static sli_entity_type type_of(const char *name)
{
    return !strcmp(name, "org") ? SLI_ENTITY_ORG
           : !strcmp(name, "place") ? SLI_ENTITY_PLACE
                                    : SLI_ENTITY_PERSON;
}

static sl_error take_entity(void *user, const char *name, const char *type, long long count)
{
    entity_work *x = user;
    sli_entity *one = sli_grow_array(x->one, &x->cap, x->n + 1, sizeof *one, 32);
    if (!one)
        return SL_ERR_NOMEM;
    x->one = one;
    size_t *at = sli_grow_array(x->at, &x->acap, x->n + 1, sizeof *at, 32);
    if (!at)
        return SL_ERR_NOMEM;
    x->at = at;
    sl_error err = pool_put(&x->pool, name, &at[x->n]);
    if (err)
        return err;
    long long c = count < 0 ? 0 : count > 1000000000 ? 1000000000 : count;
    one[x->n++] = (sli_entity){NULL, type_of(type), (int)c};
    return SL_OK;
}

static sl_error take_entities(void *user, const char *json, size_t len)
{
    return sli_facts_read_entities(json, len, take_entity, user);
}

/* The memo's head: "EE1", the count of rids merged, the hash of them (in order), then the
 * merge's state. */
static uint64_t rids_hash(const long long *rids, size_t n)
{
    return XXH3_64bits_withSeed(rids, n * sizeof *rids, 0x454d);
}

/* The entities of the event's articles from `from` on, in x (copied: a slot's own). */
static sl_error gather_entities(facts_run *r, entity_work *x, size_t from)
{
    x->n = 0;
    sli_buf_clear(&x->pool);
    sl_error err = SL_OK;
    for (size_t i = from; !err && i < x->n_rids; i++) {
        const uint64_t *kept = sli_u64map_get(&r->put, (uint64_t)x->rids[i]);
        if (!kept || !*kept) {
            err = sli_store_facts_article_entities(&r->sf, x->rids[i], take_entities, x);
            continue;
        }
        const struct saved_article *sa = &r->saved[*kept - 1];
        for (size_t k = 0; !err && k < sa->n; k++) {
            const struct saved_entity *se = &r->saved_e[sa->first + k];
            err = take_entity(x, r->saved_names.data + se->name,
                              sli_entity_type_name(se->type), se->count);
        }
    }
    return err;
}

/* The gathered entities merged into x->m, and (when the merge has anything new) its memo
 * made in x->memo. */
static sl_error merge_gathered(entity_work *x, size_t from)
{
    for (size_t i = 0; i < x->n; i++)
        x->one[i].name = x->pool.data + x->at[i];
    sl_error err = sli_entities_merge_more(&x->m, x->one, x->n);
    if (err || from >= x->n_rids)
        return err;
    sli_buf_clear(&x->memo);
    unsigned char head[19] = {'E', 'E', '1'};
    uint64_t k = x->n_rids, h = rids_hash(x->rids, x->n_rids);
    for (int i = 0; i < 8; i++) {
        head[3 + i] = (unsigned char)(k >> (8 * i));
        head[11 + i] = (unsigned char)(h >> (8 * i));
    }
    err = sli_buf_append(&x->memo, head, sizeof head);
    return err ? err : sli_entity_merge_save(&x->m, &x->memo);
}

/* An event shows its most mentioned entities, STORE_EVENT_ENTITIES (100): what a reader
 * scans. A large event's long tail (names seen once in one of a thousand articles) is not
 * shown; each article keeps all of its own. A product choice, not fitted. */

typedef struct ranked {
    int count;
    size_t at;
} ranked;

/* Most mentioned first; equals in the order they came. */
static int by_count(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* --- the touched events' facts, a round at a time --- */

/* One touched event's quotes and entities, made in three steps: read from the store (on
 * the store's thread), grouped and merged (on any thread: it touches nothing but its
 * slot), then written (on the store's thread, in the events' order: quote ids are given
 * in it). While one round of events is grouped and merged, the next is read. */
typedef struct event_slot {
    long long event;
    int exists;
    gathered g;                /* the quotes its articles print */
    void *qmemo;               /* the memo of the last grouping, as read (NULL: none) */
    size_t qmemo_len;
    size_t *group, *canonical; /* the grouping */
    size_t gcap, ng;
    buf qmemo_out;             /* this grouping's memo */
    entity_work x;             /* its entities: the articles' from `from` on, merged */
    void *ememo;               /* the entity memo as read, when it fits (its first ememo_k
                                  articles, none saved again since) */
    size_t ememo_len, ememo_k;
    size_t from;               /* the articles the memo had merged */
    int redo;                  /* the memo would not load: merged from all, when written */
    sl_error err;              /* the grouping's or the merge's */
} event_slot;

/* Events a round: they are read while the round before is grouped and merged. Bounds on
 * the memory the three rounds hold, not fitted: at most EVENT_ROUND events, and no more
 * once a round holds ROUND_BYTES (a large event's quotes fill a round alone); a slot that
 * grew past SLOT_KEEP_BYTES lets its room go once written. The first round holds at most
 * FIRST_ROUND_BYTES and each next one twice the last, up to ROUND_BYTES: the first round
 * is read with nothing to overlap, and the touched events come oldest (largest) first, so
 * in +1,000 into a million it held 17 MB of the 19 read, read, grouped and written alone
 * (docs/profile.md, "Nineteenth round"). */
#define EVENT_ROUND 64
#define ROUND_BYTES ((size_t)32 << 20)
#define FIRST_ROUND_BYTES ((size_t)1 << 20)
#define SLOT_KEEP_BYTES ((size_t)1 << 20)

static void slot_init(event_slot *s)
{
    memset(s, 0, sizeof *s);
    sli_buf_init(&s->g.pool, BUF_UNLIMITED);
    sli_buf_init(&s->qmemo_out, BUF_UNLIMITED);
    sli_buf_init(&s->x.pool, BUF_UNLIMITED);
    sli_buf_init(&s->x.memo, BUF_UNLIMITED);
}

static void slot_free(event_slot *s)
{
    free(s->g.seen);
    free(s->g.rid);
    free(s->g.qn);
    free(s->g.at);
    sli_buf_free(&s->g.pool);
    free(s->qmemo);
    free(s->group);
    free(s->canonical);
    sli_buf_free(&s->qmemo_out);
    entity_work_free(&s->x);
    free(s->ememo);
}

/* The entity memo, kept when its head says it merged the event's first articles as they
 * are now (none saved again since: r->put); loaded when merged. */
static sl_error read_entity_memo(facts_run *r, event_slot *s)
{
    entity_work *x = &s->x;
    void *memo = NULL;
    size_t len = 0;
    sl_error err = sli_store_facts_get_entity_memo(&r->sf, s->event, &memo, &len);
    const unsigned char *p = memo;
    if (err || len < 3 + 8 + 8 || memcmp(p, "EE1", 3)) {
        free(memo);
        return err;
    }
    uint64_t k = 0, h = 0;
    for (int i = 0; i < 8; i++) {
        k |= (uint64_t)p[3 + i] << (8 * i);
        h |= (uint64_t)p[11 + i] << (8 * i);
    }
    int ok = k > 0 && k <= x->n_rids && rids_hash(x->rids, (size_t)k) == h;
    for (size_t i = 0; ok && i < k; i++)
        ok = !sli_u64map_has(&r->put, (uint64_t)x->rids[i]);
    if (!ok) {
        free(memo);
        return SL_OK;
    }
    s->ememo = memo;
    s->ememo_len = len;
    s->ememo_k = (size_t)k;
    return SL_OK;
}

static sl_error read_slot(facts_run *r, event_slot *s, long long event, int complete)
{
    s->event = event;
    s->exists = 0;
    s->err = SL_OK;
    s->g.n = 0;
    sli_buf_clear(&s->g.pool);
    free(s->qmemo);
    s->qmemo = NULL;
    s->qmemo_len = 0;
    free(s->ememo);
    s->ememo = NULL;
    s->ememo_len = s->ememo_k = s->from = 0;
    s->redo = 0;
    sl_error err = sli_store_facts_event_exists(&r->sf, event, &s->exists);
    if (err || !s->exists)
        return err;
    if (!complete)
        err = missing_facts(r, event);
    if (!err)
        err = sli_store_facts_event_quotes(&r->sf, event, gather_quote, &s->g);
    if (!err && s->g.n)
        err = sli_store_facts_get_memo(&r->sf, event, &s->qmemo, &s->qmemo_len);
    if (!err)
        err = sli_store_facts_event_rids(&r->sf, event, &s->x.rids, &s->x.n_rids,
                                         &s->x.cap_rids);
    if (!err && s->x.n_rids)
        err = read_entity_memo(r, s);
    return err ? err : gather_entities(r, &s->x, s->ememo_k);
}

/* Grouped from the memo of the last grouping when these quotes begin with the quotes it
 * was made of (an event that gained articles dated no earlier than its others): the same
 * result, without comparing the old quotes again (docs/facts-variants.md, "Resuming"). */
static sl_error group_quotes(event_slot *s)
{
    gathered *g = &s->g;
    if (!g->n)
        return SL_OK;
    gathered_fix(g);
    if (g->n + 1 > s->gcap) {
        size_t cap = 2 * g->n + 16;
        size_t *group = realloc(s->group, cap * sizeof *group);
        if (group)
            s->group = group;
        size_t *canonical = group ? realloc(s->canonical, cap * sizeof *canonical) : NULL;
        if (!canonical)
            return SL_ERR_NOMEM;
        s->canonical = canonical;
        s->gcap = cap;
    }
    return sli_quotes_group_memo(g->seen, g->n, s->group, s->canonical, &s->ng, NULL, s->qmemo,
                                 s->qmemo_len, &s->qmemo_out, NULL);
}

static sl_error merge_entities(event_slot *s)
{
    entity_work *x = &s->x;
    sli_entity_merge_clear(&x->m);
    if (s->ememo_k) {
        int ok = 0;
        sl_error err = sli_entity_merge_load(&x->m, (const unsigned char *)s->ememo + 19,
                                             s->ememo_len - 19, &ok);
        if (err || !ok) { /* a memo that will not load: all merged when written */
            s->redo = !err;
            return err;
        }
        s->from = s->ememo_k;
    }
    return merge_gathered(x, s->from);
}

/* A slot's step on any thread. */
static void make_slot(event_slot *s)
{
    if (!s->exists)
        return;
    s->err = group_quotes(s);
    if (!s->err)
        s->err = merge_entities(s);
}

/* The slots of a round, taken in turn by the threads. */
typedef struct making {
    event_slot *s;
    size_t n;
    atomic_size_t next;
} making;

static void make_slots(void *user, unsigned thread)
{
    (void)thread;
    making *m = user;
    size_t k;
    while ((k = atomic_fetch_add(&m->next, 1)) < m->n)
        make_slot(&m->s[k]);
}

static sl_error write_quotes(facts_run *r, quote_work *w, event_slot *s)
{
    gathered *g = &s->g;
    if (!g->n) /* no quotes: no memo */
        return sli_store_facts_put_memo(&r->sf, s->event, NULL, 0);
    sl_error err = sli_store_facts_put_memo(&r->sf, s->event, s->qmemo_out.data, s->qmemo_out.len);
    if (!err)
        err = work_room(w, g->n);
    if (err)
        return err;
    w->g = g;
    size_t ng = s->ng;
    /* members of each utterance, in seen order: counting sort by group */
    size_t *start = malloc((ng + 1) * sizeof *start), *m = malloc(g->n * sizeof *m);
    if (!start || !m) {
        free(start);
        free(m);
        return SL_ERR_NOMEM;
    }
    memset(start, 0, (ng + 1) * sizeof *start);
    for (size_t i = 0; i < g->n; i++)
        start[s->group[i] + 1]++;
    for (size_t u = 0; u < ng; u++)
        start[u + 1] += start[u];
    for (size_t i = 0; i < g->n; i++)
        m[start[s->group[i]]++] = i;
    for (size_t u = ng; u > 0; u--) /* back to the starts */
        start[u] = start[u - 1];
    start[0] = 0;
    for (size_t u = 0; !err && u < ng; u++)
        err = save_quote(r, w, s->event, s->canonical[u], m + start[u], start[u + 1] - start[u]);
    free(start);
    free(m);
    return err;
}

static sl_error write_entities(facts_run *r, event_slot *s)
{
    entity_work *x = &s->x;
    sl_error err = SL_OK;
    if (s->redo) { /* the memo would not load: every article's, merged afresh */
        sli_entity_merge_clear(&x->m);
        s->from = 0;
        err = gather_entities(r, x, 0);
        if (!err)
            err = merge_gathered(x, 0);
    }
    const sli_facts *acc = &x->m.acc;
    size_t shown = acc->n_entities < STORE_EVENT_ENTITIES ? acc->n_entities
                                                          : STORE_EVENT_ENTITIES;
    /* Readers read the shown entities from the memo (since version 5): written as rows
     * only when it cannot be kept (docs/store-size.md, "Fourth round"). */
    int kept = 0;
    if (!err && s->from < x->n_rids) /* the memo, when it has anything new to say */
        err = sli_store_facts_put_entity_memo(&r->sf, s->event, x->memo.data, x->memo.len,
                                              shown, &kept);
    else if (!err && !x->n_rids)
        err = sli_store_facts_put_entity_memo(&r->sf, s->event, NULL, 0, 0, NULL);
    else if (!err) { /* the memo holds all of it as it is */
        kept = 1;
        err = sli_store_facts_entity_memo_shown(&r->sf, s->event, shown);
    }
    if (err || kept || !acc->n_entities)
        return err;
    size_t n = acc->n_entities;
    ranked *idx = malloc(n * sizeof *idx);
    if (!idx)
        return SL_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        idx[i] = (ranked){acc->entities[i].count, i};
    qsort(idx, n, sizeof *idx, by_count);
    n = shown;
    for (size_t i = 0; !err && i < n; i++) {
        const sli_entity *e = &acc->entities[idx[i].at];
        store_fact_entity se = {e->name, sli_entity_type_name(e->type), e->count};
        err = sli_store_facts_put_entity(&r->sf, s->event, (int)i, &se);
    }
    free(idx);
    return err;
}

static sl_error write_slot(facts_run *r, quote_work *w, event_slot *s)
{
    if (s->err)
        return s->err;
    if (!s->exists) { /* dropped: its memos too */
        sl_error err = sli_store_facts_put_memo(&r->sf, s->event, NULL, 0);
        return err ? err : sli_store_facts_put_entity_memo(&r->sf, s->event, NULL, 0, 0, NULL);
    }
    sl_error err = write_quotes(r, w, s);
    return err ? err : write_entities(r, s);
}

/* The bytes a slot keeps from event to event (its buffers' room, roughly: the larger). */
static size_t slot_bytes(const event_slot *s)
{
    return s->g.pool.cap + s->g.cap * (sizeof *s->g.seen + sizeof *s->g.rid + sizeof *s->g.qn) +
           s->g.acap * sizeof *s->g.at + s->gcap * 2 * sizeof *s->group + s->qmemo_out.cap +
           s->qmemo_len + s->x.pool.cap + s->x.cap * sizeof *s->x.one + s->x.memo.cap +
           s->ememo_len;
}

/* The bytes an event read holds (what its grouping and merge will hold is of its size). */
static size_t slot_read_bytes(const event_slot *s)
{
    return s->g.pool.len + s->g.n * (sizeof *s->g.seen + 4 * sizeof *s->g.at) + s->qmemo_len +
           s->x.pool.len + s->x.n * sizeof *s->x.one + s->ememo_len;
}

/* Up to `most` events from ids into s, fewer once the round holds `limit` bytes (at least
 * one); *got of them. */
static sl_error read_round(facts_run *r, event_slot *s, const long long *ids, size_t most,
                           size_t limit, int complete, size_t *got)
{
    sl_error err = SL_OK;
    size_t bytes = 0, i = 0;
    for (; !err && i < most && (!i || bytes < limit); i++) {
        err = read_slot(r, &s[i], ids[i], complete);
        bytes += slot_read_bytes(&s[i]);
    }
    *got = i;
    return err;
}

/* A round's slots written in order; a slot that grew large lets its room go. */
static sl_error write_round(facts_run *r, quote_work *w, event_slot *s, size_t n, size_t at,
                            size_t total,
                            void (*progress)(void *user, size_t done, size_t total), void *user)
{
    sl_error err = SL_OK;
    for (size_t i = 0; !err && i < n; i++) {
        err = write_slot(r, w, &s[i]);
        if (progress && ((at + i) % 256 == 255 || at + i + 1 == total))
            progress(user, at + i + 1, total);
        if (slot_bytes(&s[i]) > SLOT_KEEP_BYTES) { /* a large event's room let go */
            slot_free(&s[i]);
            slot_init(&s[i]);
        }
    }
    return err;
}

/* --- the touched events' old quotes, read beside the rest --- */

/* Every touched event's quotes as stored, noted in the quote work (note_old) before any
 * is written: a survivor keeps its id, and the ids are given across the touched events
 * (quote_id). The reading took a quarter of the stage with the other processor idle
 * (+1,000 into a million: docs/profile.md, "Twenty-second round"), so where the store
 * gives a snapshot of itself as last committed (sli_store_snapshot), a thread of its own
 * reads through it while the store's thread goes on with the stage (the articles'
 * quotes read and grouped), and the first write waits for it. The snapshot reads what
 * the writer's handle would: nothing before the first write changes these quotes (the
 * batch's own articles are not among their printings; an article updated has its
 * quotes' texts written out first, the same texts: store/facts.c). Without one, the
 * store's thread reads them first, as before. */
typedef struct old_reading {
    facts_run *r;
    quote_work *w;
    const long long *ids;
    size_t n;
    sl_store *snap;        /* the snapshot, or NULL: read on the store's thread */
    store_old_quotes *q;
    workers *team;         /* its thread, while it reads */
    sl_error err;
} old_reading;

static sl_error read_old(old_reading *o)
{
    sl_error err = SL_OK;
    for (size_t i = 0; !err && i < o->n; i++) {
        o->w->noting = o->ids[i];
        err = sli_store_old_quotes_variants(o->q, o->ids[i], note_old, o->w);
        if (!err)
            err = sli_store_old_quotes_articles(o->q, o->ids[i], note_old_article, o->w);
    }
    return err;
}

static void read_old_thread(void *user, unsigned thread)
{
    (void)thread;
    old_reading *o = user;
    o->err = read_old(o);
}

/* Begun: on a thread of its own when a snapshot, a thread and the snapshot's statements
 * can be had, else read now on the store's thread. */
static sl_error old_begin(old_reading *o)
{
    sl_error err = SL_OK;
    if (o->n > 1 && sli_workers_cpus(2) > 1)
        err = sli_store_snapshot(o->r->st, &o->snap);
    if (!err && o->snap &&
        (sli_workers_create(2, &o->team) || sli_workers_count(o->team) < 2 ||
         sli_store_old_quotes_open(o->snap, &o->q) != SL_OK)) {
        sli_workers_free(o->team);
        o->team = NULL;
        sl_store_free(o->snap);
        o->snap = NULL;
    }
    if (!err && !o->q)
        err = sli_store_old_quotes_open(o->r->st, &o->q);
    if (err)
        return err;
    if (!o->team)
        return read_old(o);
    sli_workers_start(o->team, read_old_thread, o);
    return SL_OK;
}

/* Ended: its thread waited for (no-op when done), its handles let go; its error. */
static sl_error old_end(old_reading *o)
{
    if (o->team) {
        sli_workers_wait(o->team);
        sli_workers_free(o->team);
        o->team = NULL;
    }
    sli_store_old_quotes_free(o->q); /* before the snapshot's handle */
    o->q = NULL;
    if (o->err && o->snap) /* what failed, told by the writer's handle */
        sli_store_copy_error(o->r->st, o->snap);
    sl_store_free(o->snap);
    o->snap = NULL;
    sl_error err = o->err;
    o->err = SL_OK;
    return err;
}

/* Every touched event's quotes and entities. With a thread beside the store's: in rounds,
 * three at once: while the other thread groups and merges one round, the store's thread
 * writes the round before it and reads the round after, then helps with the grouping
 * (the writing was a third of the store's thread's time, with the other thread idle,
 * when it came after the grouping: docs/profile.md, "Nineteenth round"). Without one (a
 * single processor, a store whose articles lack facts: an event's read extracts and
 * saves them, or no thread to be had), one event at a time: read, made, written. The
 * store's reads and writes come in the same order either way (write k-1, read k+1, write
 * k, ...; one at a time: read k, write k, read k+1), and no read sees what a write of
 * another event changed, so the same rows are written in the same order
 * (tests/cli/test_one_cpu.sh). */
static sl_error make_events(facts_run *r, quote_work *w, old_reading *old,
                            const long long *ids, size_t n, int complete,
                            void (*progress)(void *user, size_t done, size_t total), void *user)
{
    workers *team = NULL;
    if (complete && n > 1 && sli_workers_cpus(2) > 1 && sli_workers_create(2, &team))
        team = NULL; /* none to be had: one at a time */
    if (team && sli_workers_count(team) < 2) {
        sli_workers_free(team);
        team = NULL;
    }
    size_t round = team ? EVENT_ROUND : 1, rounds = team ? 3 : 1;
    event_slot *slots = malloc(rounds * round * sizeof *slots);
    if (!slots) {
        sli_workers_free(team);
        return SL_ERR_NOMEM;
    }
    for (size_t i = 0; i < rounds * round; i++)
        slot_init(&slots[i]);
    /* made: the round being grouped; done: the one before it, to be written; next: the
     * one after it, being read. Each holds a third of the slots (one event's, alone). */
    event_slot *made = slots, *done = slots + (rounds - 1) * round, *next = slots;
    size_t at = 0, made_n = 0, done_n = 0, done_at = 0, limit = FIRST_ROUND_BYTES;
    sl_error err = read_round(r, made, ids, n < round ? n : round, limit, complete, &made_n);
    while (!err && made_n) {
        size_t next_at = at + made_n, most = n - next_at < round ? n - next_at : round;
        size_t next_n = 0;
        making mk = {made, made_n, 0};
        limit = 2 * limit < ROUND_BYTES ? 2 * limit : ROUND_BYTES;
        if (team) {
            next = slots + ((size_t)(made - slots) / round + 1) % rounds * round;
            sli_workers_start(team, make_slots, &mk);
            if (done_n) /* the first write: the old quotes noted by then */
                err = old_end(old);
            if (!err)
                err = write_round(r, w, done, done_n, done_at, n, progress, user);
            if (!err)
                err = read_round(r, next, ids + next_at, most, limit, complete, &next_n);
            make_slots(&mk, 0);
            sli_workers_wait(team);
            done = made;
            done_n = made_n;
            done_at = at;
            made = next;
        } else {
            make_slots(&mk, 0);
            err = old_end(old);
            if (!err)
                err = write_round(r, w, made, made_n, at, n, progress, user);
            if (!err)
                err = read_round(r, made, ids + next_at, most, limit, complete, &next_n);
        }
        at = next_at;
        made_n = next_n;
    }
    sl_error waited = old_end(old); /* also when nothing was written, or on failure */
    if (!err)
        err = waited;
    if (!err && team)
        err = write_round(r, w, done, done_n, done_at, n, progress, user);
    sli_workers_free(team);
    for (size_t i = 0; i < rounds * round; i++)
        slot_free(&slots[i]);
    free(slots);
    return err;
}

/* The quote work and the old quotes' reading let go (its thread waited for): after
 * the events, or when the run ends without them. */
static void events_end(facts_run *r)
{
    if (r->old) {
        old_end(r->old);
        free(r->old);
        r->old = NULL;
    }
    if (r->w) {
        quote_work_free(r->w);
        free(r->w);
        r->w = NULL;
    }
}

sl_error sli_facts_run_begin(facts_run *r)
{
    events_end(r); /* a run begun before and never ended */
    free(r->touched);
    r->touched = NULL;
    r->n_touched = 0;
    r->w = calloc(1, sizeof *r->w);
    r->old = calloc(1, sizeof *r->old);
    if (!r->w || !r->old)
        return SL_ERR_NOMEM;
    /* the articles' facts first: the events' are made of them */
    sl_error err = sli_facts_queue_finish(r->queue, save, r);
    if (!err)
        err = sli_store_facts_touched(&r->sf, &r->touched, &r->n_touched);
    /* The ids of the quotes the touched events had, by the wordings they printed: an
     * utterance that survives (its event redone, merged into another, formed again)
     * keeps its id; and each old quote's rows by their hashes: one made again the same
     * is left as it is, the others are written again or dropped. Read beside what
     * follows, up to the first write (old_reading). */
    *r->old = (old_reading){.r = r, .w = r->w, .ids = r->touched, .n = r->n_touched};
    return err ? err : old_begin(r->old);
}

sl_error sli_facts_run_events(facts_run *r, void (*progress)(void *user, size_t done,
                                                             size_t total),
                              void *user)
{
    if (!r->w || !r->old) { /* not begun: begun now */
        sl_error err = sli_facts_run_begin(r);
        if (err) {
            events_end(r);
            return err;
        }
    }
    quote_work *w = r->w;
    const long long *ids = r->touched;
    size_t n = r->n_touched;
    sl_error err = SL_OK;
    for (size_t i = 0; !err && i < n; i++)
        err = sli_store_facts_clear_entities(&r->sf, ids[i]);
    if (!err)
        err = sli_store_event_counter(r->st, "quote_ids", &w->next);
    int complete = 0;
    if (!err && n)
        err = sli_store_facts_complete(&r->sf, &complete);
    long long first = w->next;
    if (!err && n)
        err = make_events(r, w, r->old, ids, n, complete, progress, user);
    sl_error waited = old_end(r->old); /* done already, unless a step failed before */
    if (!err)
        err = waited;
    /* the old quotes no event made again */
    for (size_t i = 0; !err && i < w->n_oq; i++)
        if (!sli_u64map_has(&w->used, (uint64_t)w->oq[i].id))
            err = sli_store_facts_drop_quote(&r->sf, w->oq[i].id);
    if (!err && w->next != first)
        err = sli_store_event_set_counter(r->st, "quote_ids", w->next);
    if (err) {
        free(r->touched);
        r->touched = NULL;
        r->n_touched = 0;
    }
    events_end(r);
    /* the memos made now hold these articles' facts as saved */
    sli_u64map_clear(&r->put);
    r->n_saved = r->n_saved_e = 0;
    sli_buf_clear(&r->saved_names);
    return err;
}

sl_error sli_facts_run_defer(facts_run *r)
{
    events_end(r); /* a run begun and not made: its reading stopped first */
    free(r->touched);
    r->touched = NULL;
    r->n_touched = 0;
    sl_error err = sli_facts_queue_finish(r->queue, save, r);
    return err ? err : sli_store_facts_defer(&r->sf);
}

void sli_facts_run_touched(const facts_run *r, const long long **ids, size_t *n)
{
    *ids = r->touched;
    *n = r->n_touched;
}
