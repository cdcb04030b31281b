/* facts_out.c — facts read back: quotes with their variants (sl_store_each_quote,
 * sl_write_quotes), an event's entities, an article's facts one by one. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/grow.h"
#include "../core/json_writer.h"
#include "../cluster/cluster.h"
#include "../store/store.h"
#include "export.h"
#include "storyline.h"

/* --- quotes: the store's rows (one per article of each variant) made into sl_quote --- */

typedef struct variant_at {
    size_t text;  /* in the pool */
    size_t first; /* its first article in the article arrays */
} variant_at;

typedef struct quote_acc {
    sl_quote_fn fn;
    void *user;
    long long id; /* the quote being gathered; 0 before the first */
    int variant;  /* its last variant's number */
    buf pool;     /* its strings, NUL-separated */
    size_t head[5]; /* id, event, text, speaker, kind (SIZE_MAX: NULL) */
    variant_at *v;
    size_t nv, vcap;
    size_t *art;  /* article id, source, date per article (SIZE_MAX: NULL) */
    size_t na, acap;
    /* pointers made when a quote is handed over */
    sl_quote_variant *out;
    size_t ocap;
    const char **ptrs;
    size_t pcap;
    int stopped;
} quote_acc;

#define NONE ((size_t)-1)

static sl_error put(buf *pool, const char *s, size_t *at)
{
    if (!s) {
        *at = NONE;
        return SL_OK;
    }
    *at = pool->len;
    sl_error err = sli_buf_append(pool, s, strlen(s));
    return err ? err : sli_buf_putc(pool, '\0');
}

static const char *at(const quote_acc *q, size_t off)
{
    return off == NONE ? NULL : q->pool.data + off;
}

static sl_error hand_over(quote_acc *q)
{
    if (!q->id || q->stopped)
        return SL_OK;
    sl_quote_variant *out = sli_grow_array(q->out, &q->ocap, q->nv + 1, sizeof *out, 8);
    if (!out)
        return SL_ERR_NOMEM;
    q->out = out;
    const char **p = sli_grow_array(q->ptrs, &q->pcap, 3 * q->na + 1, sizeof *p, 32);
    if (!p)
        return SL_ERR_NOMEM;
    q->ptrs = p;
    const char **ids = p, **sources = p + q->na, **dates = p + 2 * q->na;
    for (size_t i = 0; i < q->na; i++) {
        ids[i] = at(q, q->art[3 * i]);
        sources[i] = at(q, q->art[3 * i + 1]);
        dates[i] = at(q, q->art[3 * i + 2]);
    }
    for (size_t v = 0; v < q->nv; v++) {
        size_t first = q->v[v].first, end = v + 1 < q->nv ? q->v[v + 1].first : q->na;
        out[v] = (sl_quote_variant){at(q, q->v[v].text), ids + first, sources + first,
                                    dates + first, end - first};
    }
    sl_quote quote = {at(q, q->head[0]), at(q, q->head[1]), at(q, q->head[2]),
                      at(q, q->head[3]), at(q, q->head[4]), out, q->nv};
    if (q->fn(q->user, &quote))
        q->stopped = 1;
    return SL_OK;
}

static sl_error take_row(void *user, const store_quote_row *r)
{
    quote_acc *q = user;
    if (q->stopped)
        return SL_OK;
    sl_error err = SL_OK;
    if (r->id != q->id) {
        err = hand_over(q);
        if (err || q->stopped)
            return err;
        q->id = r->id;
        q->nv = q->na = 0;
        q->variant = -1;
        sli_buf_clear(&q->pool);
        char id[32], event[32];
        snprintf(id, sizeof id, "Q%lld", r->id);
        snprintf(event, sizeof event, "E%lld", r->event);
        err = put(&q->pool, id, &q->head[0]);
        if (!err)
            err = put(&q->pool, event, &q->head[1]);
        if (!err)
            err = put(&q->pool, r->text ? r->text : "", &q->head[2]);
        if (!err)
            err = put(&q->pool, r->speaker, &q->head[3]);
        if (!err)
            err = put(&q->pool, r->kind ? r->kind : "speech", &q->head[4]);
        if (err)
            return err;
    }
    if (r->variant != q->variant) {
        variant_at *v = sli_grow_array(q->v, &q->vcap, q->nv + 1, sizeof *v, 8);
        if (!v)
            return SL_ERR_NOMEM;
        q->v = v;
        err = put(&q->pool, r->variant_text ? r->variant_text : "", &v[q->nv].text);
        if (err)
            return err;
        v[q->nv++].first = q->na;
        q->variant = r->variant;
    }
    size_t *a = sli_grow_array(q->art, &q->acap, 3 * (q->na + 1), sizeof *a, 48);
    if (!a)
        return SL_ERR_NOMEM;
    q->art = a;
    size_t *mine = a + 3 * q->na;
    err = put(&q->pool, r->article, &mine[0]);
    if (!err)
        err = put(&q->pool, r->source, &mine[1]);
    if (!err)
        err = put(&q->pool, r->date, &mine[2]);
    if (!err)
        q->na++;
    return err;
}

/* The quotes of `event` (0: all), of ids first..last when last is not 0. */
static sl_error quotes_in(sl_store *st, long long event, long long first, long long last,
                          sl_quote_fn fn, void *user)
{
    quote_acc q;
    memset(&q, 0, sizeof q);
    q.fn = fn;
    q.user = user;
    sli_buf_init(&q.pool, BUF_UNLIMITED);
    sl_error err = last ? sli_store_quote_rows(st, event, first, last, take_row, &q)
                        : sli_store_each_quote_row(st, event, take_row, &q);
    if (!err)
        err = hand_over(&q);
    sli_buf_free(&q.pool);
    free(q.v);
    free(q.art);
    free(q.out);
    free(q.ptrs);
    return err;
}

static sl_error each_quote(sl_store *st, long long event, sl_quote_fn fn, void *user)
{
    return quotes_in(st, event, 0, 0, fn, user);
}

sl_error sl_store_each_quote(sl_store *st, const char *event, sl_quote_fn fn, void *user)
{
    if (!st || !fn)
        return SL_ERR_INVALID;
    long long e = 0;
    if (event) {
        int known = 0;
        e = sli_cluster_parse_id(event, 'E');
        sl_error err = e ? sli_store_event_known(st, e, &known) : SL_OK;
        if (err)
            return err;
        if (!known)
            return SL_ERR_NOT_FOUND;
    }
    return each_quote(st, e, fn, user);
}

/* --- entities of an event --- */

typedef struct entity_pass {
    sl_entity_fn fn;
    void *user;
    int stopped;
} entity_pass;

static sl_error pass_entity(void *user, const store_fact_entity *e)
{
    entity_pass *p = user;
    if (p->stopped)
        return SL_OK;
    sl_entity out = {e->name ? e->name : "", e->type ? e->type : "person", e->count};
    p->stopped = p->fn(p->user, &out) != 0;
    return SL_OK;
}

sl_error sl_store_event_entities(sl_store *st, const char *event, sl_entity_fn fn, void *user)
{
    if (!st || !event || !fn)
        return SL_ERR_INVALID;
    long long e = sli_cluster_parse_id(event, 'E');
    int known = 0;
    sl_error err = e ? sli_store_event_known(st, e, &known) : SL_OK;
    if (err)
        return err;
    if (!known)
        return SL_ERR_NOT_FOUND;
    entity_pass p = {fn, user, 0};
    return sli_store_event_entity_rows(st, e, pass_entity, &p);
}

/* --- an article's facts, one by one --- */

typedef struct fact_pass {
    sl_fact_fn fn;
    void *user;
    sl_error err;
} fact_pass;

static const char *str(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

static double num(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) &&
                   (json_object_is_type(v, json_type_int) ||
                    json_object_is_type(v, json_type_double))
               ? json_object_get_double(v)
               : 0;
}

static void pass_facts(void *user, const char *json)
{
    fact_pass *p = user;
    if (!json)
        return;
    json_object *root = json_tokener_parse(json);
    if (!root) { /* stored by this library: unreadable only when memory ran out */
        p->err = SL_ERR_NOMEM;
        return;
    }
    static const char *const lists[] = {"quotes", "entities", "amounts", "dates"};
    static const char *const kinds[] = {"quote", "entity", "amount", "date"};
    int stop = 0;
    for (size_t l = 0; !stop && l < 4; l++) {
        json_object *arr;
        if (!json_object_object_get_ex(root, lists[l], &arr) ||
            !json_object_is_type(arr, json_type_array))
            continue;
        size_t n = json_object_array_length(arr);
        for (size_t i = 0; !stop && i < n; i++) {
            json_object *o = json_object_array_get_idx(arr, i);
            sl_fact f = {.kind = kinds[l]};
            switch (l) {
            case 0:
                f.text = str(o, "text");
                f.speaker = str(o, "speaker");
                f.type = str(o, "kind");
                break;
            case 1:
                f.text = str(o, "name");
                f.type = str(o, "type");
                f.value = num(o, "count");
                break;
            case 2:
                f.text = str(o, "text");
                f.type = str(o, "unit");
                f.value = num(o, "value");
                break;
            default:
                f.text = str(o, "text");
                f.date = str(o, "date");
                break;
            }
            if (!f.text)
                f.text = "";
            stop = p->fn(p->user, &f) != 0;
        }
    }
    json_object_put(root);
}

sl_error sl_store_article_facts(sl_store *st, const char *id, sl_fact_fn fn, void *user)
{
    if (!st || !id || !fn)
        return SL_ERR_INVALID;
    sl_article *a;
    sl_error err = sl_store_get_article(st, id, 0, &a); /* SL_ERR_NOT_FOUND when absent */
    if (err)
        return err;
    sl_article_free(a);
    fact_pass p = {fn, user, SL_OK};
    err = sli_store_article_facts(st, id, pass_facts, &p);
    return err ? err : p.err;
}

/* --- quotes written out --- */

typedef struct quote_writer {
    sl_format format;
    jw w;
    buf csv;
    sl_write_fn fn;
    void *user;
    sl_error err;
} quote_writer;

static void quote_json(jw *w, const sl_quote *q)
{
    sli_jw_begin_object(w);
    sli_jw_kv_string(w, "id", q->id);
    sli_jw_kv_string(w, "text", q->text);
    sli_jw_kv_string(w, "speaker", q->speaker);
    sli_jw_kv_string(w, "kind", q->kind);
    sli_jw_kv_string(w, "event", q->event);
    sli_jw_key(w, "variants");
    sli_jw_begin_array(w);
    for (size_t v = 0; v < q->n_variants; v++) {
        const sl_quote_variant *x = &q->variants[v];
        sli_jw_begin_object(w);
        sli_jw_kv_string(w, "text", x->text);
        sli_jw_key(w, "articles");
        sli_jw_begin_array(w);
        for (size_t i = 0; i < x->n; i++)
            sli_jw_string(w, x->articles[i]);
        sli_jw_end_array(w);
        sli_jw_key(w, "sources");
        sli_jw_begin_array(w);
        for (size_t i = 0; i < x->n; i++)
            sli_jw_string(w, x->sources[i]);
        sli_jw_end_array(w);
        /* how the wording travelled: who printed it, when (the store's order: earliest
         * first, undated last) */
        sli_jw_key(w, "printed");
        sli_jw_begin_array(w);
        for (size_t i = 0; i < x->n; i++) {
            sli_jw_begin_object(w);
            sli_jw_kv_string(w, "article", x->articles[i]);
            sli_jw_kv_string(w, "source", x->sources[i]);
            sli_jw_kv_string(w, "date", x->dates[i]);
            sli_jw_end_object(w);
        }
        sli_jw_end_array(w);
        sli_jw_end_object(w);
    }
    sli_jw_end_array(w);
    sli_jw_end_object(w);
}

static int write_quote(void *user, const sl_quote *q)
{
    quote_writer *x = user;
    if (x->format != SL_FORMAT_CSV) {
        quote_json(&x->w, q);
        if (x->format == SL_FORMAT_JSONL)
            sli_jw_newline(&x->w);
        return x->w.err != SL_OK;
    }
    for (size_t v = 0; v < q->n_variants && !x->err; v++) {
        const sl_quote_variant *var = &q->variants[v];
        char n[24];
        snprintf(n, sizeof n, "%zu", v + 1);
        for (size_t i = 0; i < var->n && !x->err; i++) {
            const char *vals[] = {q->id,    q->event,        q->speaker,     q->kind,
                                  q->text,  n,               var->text,      var->articles[i],
                                  var->sources[i], var->dates[i]};
            size_t nv = sizeof vals / sizeof *vals;
            for (size_t k = 0; k < nv && !x->err; k++)
                x->err = sli_csv_field(&x->csv, vals[k], k + 1 == nv);
        }
    }
    if (!x->err && x->csv.len >= 16384) {
        if (x->fn(x->user, x->csv.data, x->csv.len))
            x->err = SL_ERR_WRITE;
        sli_buf_clear(&x->csv);
    }
    return x->err != SL_OK;
}

static int quote_to_jw(void *user, const sl_quote *q)
{
    jw *w = user;
    quote_json(w, q);
    return w->err != SL_OK;
}

sl_error sli_quotes_json(sl_store *st, long long event, long long first, long long last,
                         jw *w)
{
    return last ? quotes_in(st, event, first, last, quote_to_jw, w) : SL_OK;
}

sl_error sl_write_quotes(sl_store *st, sl_format format, sl_write_fn fn, void *user)
{
    if (!st || !fn || format > SL_FORMAT_CSV)
        return SL_ERR_INVALID;
    quote_writer x = {.format = format, .fn = fn, .user = user};
    sli_jw_init(&x.w, fn, user, format == SL_FORMAT_JSON);
    sli_buf_init(&x.csv, BUF_UNLIMITED);
    if (format == SL_FORMAT_JSON) {
        sli_jw_begin_array(&x.w);
    } else if (format == SL_FORMAT_CSV) {
        static const char *const cols[] = {"quote",   "event",   "speaker", "kind",
                                           "text",    "variant", "variant_text", "article",
                                           "source",  "date"};
        size_t n = sizeof cols / sizeof *cols;
        for (size_t i = 0; i < n && !x.err; i++)
            x.err = sli_csv_field(&x.csv, cols[i], i + 1 == n);
    }
    sl_error err = x.err ? x.err : each_quote(st, 0, write_quote, &x);
    if (format == SL_FORMAT_JSON) {
        sli_jw_end_array(&x.w);
        sli_jw_newline(&x.w);
    }
    sl_error werr = sli_jw_finish(&x.w);
    if (!err && !x.err && x.csv.len && fn(user, x.csv.data, x.csv.len))
        x.err = SL_ERR_WRITE;
    sli_buf_free(&x.csv);
    return err ? err : x.err ? x.err : werr;
}
