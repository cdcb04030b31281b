/* event_read.c — events and storylines read back: sl_store_each_event and the JSON
 * shapes of docs/output.md (event, storyline). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"
#include "../core/json_writer.h"
#include "../core/u64map.h"
#include "../store/store.h"

#define SUMMARY_SENTENCES 3
#define SUMMARY_MAX_CHARS 600

typedef struct member {
    char *id, *source, *family; /* family: "F3" or NULL */
    char date[11];              /* "" when undated */
} member;

typedef struct event_row {
    long long id, storyline;
    char *headline;
    char first[11], last[11]; /* "" when undated */
    long long lead;           /* rid of the first article with text, for the summary */
    char *digest;             /* the present stage's summary (lines), NULL if not made */
    size_t at, n;             /* into events.m */
} event_row;

typedef struct events {
    event_row *e;
    size_t n, cap;
    member *m;
    size_t nm, mcap;
} events;

static void events_free(events *x)
{
    for (size_t i = 0; i < x->n; i++) {
        free(x->e[i].headline);
        free(x->e[i].digest);
    }
    for (size_t i = 0; i < x->nm; i++) {
        free(x->m[i].id);
        free(x->m[i].source);
        free(x->m[i].family);
    }
    free(x->e);
    free(x->m);
}

static char *dup(const char *s, int *ok)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    *ok &= d != NULL;
    return d;
}

/* One article of an event, added to x (a new event_row when its event is new). */
static sl_error take_article(void *user, const store_event_article *row)
{
    events *x = user;
    if (!x->n || x->e[x->n - 1].id != row->event) {
        event_row *p = sli_grow_array(x->e, &x->cap, x->n + 1, sizeof *p, 64);
        if (!p)
            return SL_ERR_NOMEM;
        x->e = p;
        event_row *e = &x->e[x->n++];
        memset(e, 0, sizeof *e);
        e->id = row->event;
        e->storyline = row->storyline;
        e->at = x->nm;
    }
    event_row *e = &x->e[x->n - 1];
    member *grown = sli_grow_array(x->m, &x->mcap, x->nm + 1, sizeof *grown, 256);
    if (!grown)
        return SL_ERR_NOMEM;
    x->m = grown;
    member *m = &x->m[x->nm++];
    int ok = 1;
    m->id = dup(row->id, &ok);
    m->source = dup(row->source, &ok);
    m->family = dup(row->family, &ok);
    e->n++;
    const char *date = row->date;
    m->date[0] = '\0';
    if (date && strlen(date) == 10) {
        memcpy(m->date, date, 11);
        if (!e->first[0])
            memcpy(e->first, date, 11);
        memcpy(e->last, date, 11);
    }
    if (!e->headline)
        e->headline = dup(row->title, &ok);
    if (!e->lead && row->has_text)
        e->lead = row->rid;
    return ok ? SL_OK : SL_ERR_NOMEM;
}

/* --- headline and summary (the present stage's, docs/present.md) --- */

typedef struct digests {
    events *x;
    u64map at; /* event id -> index in x->e + 1 */
} digests;

/* An event's headline and summary as the present stage made them, in place of the first
 * title and the lead's sentences. */
static sl_error take_digest(void *user, long long event, const char *headline,
                            const char *summary)
{
    digests *d = user;
    uint64_t *at = sli_u64map_get(&d->at, (uint64_t)event);
    if (!at)
        return SL_OK;
    event_row *e = &d->x->e[*at - 1];
    int ok = 1;
    if (headline) {
        free(e->headline);
        e->headline = dup(headline, &ok);
    }
    free(e->digest);
    e->digest = dup(summary ? summary : "", &ok);
    return ok ? SL_OK : SL_ERR_NOMEM;
}

static sl_error read_digests(sl_store *st, long long only, events *x)
{
    digests d = {x, {0}};
    sl_error err = sli_u64map_init(&d.at, x->n);
    for (size_t i = 0; !err && i < x->n; i++) {
        uint64_t *v;
        err = sli_u64map_put(&d.at, (uint64_t)x->e[i].id, &v, NULL);
        if (!err)
            *v = i + 1;
    }
    if (!err && x->n)
        err = sli_store_each_digest(st, only, take_digest, &d);
    sli_u64map_free(&d.at);
    return err;
}

/* Events (all, or the one with id `only`) with their articles, newest event first. */
static sl_error load(sl_store *st, long long only, events *x)
{
    memset(x, 0, sizeof *x);
    sl_error err = sli_store_each_event_article(st, only, take_article, x);
    if (!err)
        err = read_digests(st, only, x);
    if (err)
        events_free(x);
    return err;
}

static void name(char *out, size_t size, char prefix, long long id)
{
    snprintf(out, size, "%c%lld", prefix, id);
}

static long long parse_id(const char *id, char prefix);
static sl_error summary_lines(sl_store *st, const event_row *e, char **text, const char ***v,
                              size_t *n);

/* Events (all, or the one with id `only`) through fn; SL_ERR_NOT_FOUND when `only` is
 * absent. */
static sl_error each_event(sl_store *st, long long only, sl_event_fn fn, void *user)
{
    events x;
    sl_error err = load(st, only, &x);
    if (err)
        return err;
    if (only && !x.n) {
        events_free(&x);
        return SL_ERR_NOT_FOUND;
    }
    const char **ids = malloc((x.nm ? x.nm : 1) * sizeof *ids);
    const char **src = malloc((x.nm ? x.nm : 1) * sizeof *src);
    const char **dates = malloc((x.nm ? x.nm : 1) * sizeof *dates);
    if (!ids || !src || !dates)
        err = SL_ERR_NOMEM;
    for (size_t i = 0; !err && i < x.nm; i++) {
        ids[i] = x.m[i].id;
        src[i] = x.m[i].source;
        dates[i] = x.m[i].date[0] ? x.m[i].date : NULL;
    }
    for (size_t i = 0; !err && i < x.n; i++) {
        const event_row *e = &x.e[i];
        char id[32], sl[32];
        name(id, sizeof id, 'E', e->id);
        name(sl, sizeof sl, 'S', e->storyline);
        char *text;
        const char **lines;
        size_t nl;
        err = summary_lines(st, e, &text, &lines, &nl);
        sl_event ev = {id,         sl,         e->headline, e->first[0] ? e->first : NULL,
                       e->last[0] ? e->last : NULL, ids + e->at, src + e->at, dates + e->at,
                       e->n, lines, nl};
        int stop = !err && fn(user, &ev);
        free(lines);
        free(text);
        if (stop)
            break;
    }
    free(ids);
    free(src);
    free(dates);
    events_free(&x);
    return err;
}

sl_error sl_store_each_event(sl_store *st, sl_event_fn fn, void *user)
{
    if (!st || !fn)
        return SL_ERR_INVALID;
    return each_event(st, 0, fn, user);
}

sl_error sl_store_get_event(sl_store *st, const char *id, sl_event_fn fn, void *user)
{
    if (!st || !id || !fn)
        return SL_ERR_INVALID;
    long long n = parse_id(id, 'E');
    return n ? each_event(st, n, fn, user) : SL_ERR_NOT_FOUND;
}

/* --- JSON --- */

typedef struct lead_out {
    char *s; /* NULL when out of memory */
    int read;
} lead_out;

/* The lead's first sentences, joined by newlines into a malloc'd string: a sentence ends
 * at . ! or ? before a space or line end. */
static void sentences(void *user, const char *t)
{
    lead_out *o = user;
    char **out = &o->s;
    o->read = 1;
    size_t len = t ? strlen(t) : 0, at = 0, used = 0;
    char *s = malloc(len + 1), *p = s;
    for (int k = 0; s && k < SUMMARY_SENTENCES && at < len && used < SUMMARY_MAX_CHARS; k++) {
        while (at < len && (t[at] == ' ' || t[at] == '\n'))
            at++;
        size_t end = at;
        while (end < len && !((t[end] == '.' || t[end] == '!' || t[end] == '?') &&
                              (end + 1 == len || t[end + 1] == ' ' || t[end + 1] == '\n')) &&
               t[end] != '\n')
            end++;
        if (end < len && t[end] != '\n')
            end++; /* the full stop */
        if (end > at) {
            if (p > s)
                *p++ = '\n';
            memcpy(p, t + at, end - at);
            p += end - at;
        }
        used += end - at;
        at = end;
    }
    if (s)
        *p = '\0';
    *out = s;
}

/* The summary's sentences (*v, *n: pointers into *text, all malloc'd): the present
 * stage's; or, for an event it has not made (a store made before the stage), the first
 * article's lead sentences. */
static sl_error summary_lines(sl_store *st, const event_row *e, char **text, const char ***v,
                              size_t *n)
{
    *text = NULL;
    *v = NULL;
    *n = 0;
    sl_error err = SL_OK;
    if (e->digest) {
        if (!(*text = strdup(e->digest)))
            return SL_ERR_NOMEM;
    } else if (e->lead) {
        lead_out o = {NULL, 0};
        err = sli_store_article_text(st, e->lead, sentences, &o);
        *text = o.s;
        if (err == SL_ERR_NOT_FOUND)
            err = SL_OK;
        if (!err && o.read && !o.s)
            return SL_ERR_NOMEM;
    }
    if (err || !*text || !**text)
        return err;
    size_t lines = 1;
    for (const char *c = *text; *c; c++)
        lines += *c == '\n';
    if (!(*v = malloc(lines * sizeof **v)))
        return SL_ERR_NOMEM;
    for (char *c = *text, *next; c; c = next) {
        next = strchr(c, '\n');
        if (next)
            *next++ = '\0';
        if (*c)
            (*v)[(*n)++] = c;
    }
    return SL_OK;
}

static void summary(sl_store *st, const event_row *e, jw *w)
{
    sli_jw_key(w, "summary");
    sli_jw_begin_array(w);
    char *text;
    const char **v;
    size_t n;
    sl_error err = summary_lines(st, e, &text, &v, &n);
    for (size_t i = 0; i < n; i++)
        sli_jw_string(w, v[i]);
    if (err && !w->err)
        w->err = err; /* not an empty summary: the output fails */
    free(v);
    free(text);
    sli_jw_end_array(w);
}

/* Distinct strings of m[0..n) (field at offset), in order of first appearance. */
static void distinct(jw *w, const char *key, const member *m, size_t n, int families)
{
    sli_jw_key(w, key);
    sli_jw_begin_array(w);
    for (size_t i = 0; i < n; i++) {
        const char *v = families ? m[i].family : m[i].source;
        if (!v)
            continue;
        size_t j = 0;
        while (j < i && !((families ? m[j].family : m[j].source) &&
                          !strcmp(families ? m[j].family : m[j].source, v)))
            j++;
        if (j == i)
            sli_jw_string(w, v);
    }
    sli_jw_end_array(w);
}

static sl_error quote_id(void *user, long long id)
{
    char name[32];
    snprintf(name, sizeof name, "Q%lld", id);
    sli_jw_string(user, name);
    return SL_OK;
}

static sl_error entity(void *user, const store_fact_entity *e)
{
    jw *w = user;
    sli_jw_begin_object(w);
    sli_jw_kv_string(w, "name", e->name);
    sli_jw_kv_string(w, "type", e->type);
    sli_jw_kv_int(w, "count", e->count);
    sli_jw_end_object(w);
    return SL_OK;
}

static void event_json(sl_store *st, jw *w, const events *x, const event_row *e)
{
    char id[32];
    sli_jw_begin_object(w);
    name(id, sizeof id, 'E', e->id);
    sli_jw_kv_string(w, "id", id);
    sli_jw_kv_string(w, "headline", e->headline);
    sli_jw_kv_string(w, "date_first", e->first[0] ? e->first : NULL);
    sli_jw_kv_string(w, "date_last", e->last[0] ? e->last : NULL);
    name(id, sizeof id, 'S', e->storyline);
    sli_jw_kv_string(w, "storyline", id);
    sli_jw_key(w, "articles");
    sli_jw_begin_array(w);
    for (size_t i = 0; i < e->n; i++)
        sli_jw_string(w, x->m[e->at + i].id);
    sli_jw_end_array(w);
    distinct(w, "families", x->m + e->at, e->n, 1);
    distinct(w, "sources", x->m + e->at, e->n, 0);
    summary(st, e, w);
    sli_jw_key(w, "quotes"); /* made by the facts stage */
    sli_jw_begin_array(w);
    sl_error err = sli_store_event_quote_ids(st, e->id, quote_id, w);
    sli_jw_end_array(w);
    sli_jw_key(w, "entities");
    sli_jw_begin_array(w);
    if (!err)
        err = sli_store_event_entity_rows(st, e->id, entity, w);
    sli_jw_end_array(w);
    sli_jw_end_object(w);
    if (err && !w->err)
        w->err = err; /* not an empty list: the output fails */
}

sl_error sl_write_events(sl_store *st, sl_write_fn fn, void *user)
{
    if (!st || !fn)
        return SL_ERR_INVALID;
    events x;
    sl_error err = load(st, 0, &x);
    if (err)
        return err;
    jw w;
    sli_jw_init(&w, fn, user, 1);
    sli_jw_begin_array(&w);
    for (size_t i = 0; i < x.n; i++)
        event_json(st, &w, &x, &x.e[i]);
    sli_jw_end_array(&w);
    sli_jw_newline(&w);
    events_free(&x);
    return sli_jw_finish(&w);
}

/* "E12" (or "12") as 12; 0 if not an event id. */
static long long parse_id(const char *id, char prefix)
{
    if (*id == prefix)
        id++;
    char *end;
    long long v = strtoll(id, &end, 10);
    return *id && !*end && v > 0 ? v : 0;
}

sl_error sl_write_event(sl_store *st, const char *id, sl_write_fn fn, void *user)
{
    if (!st || !id || !fn)
        return SL_ERR_INVALID;
    long long n = parse_id(id, 'E');
    if (!n)
        return SL_ERR_NOT_FOUND;
    events x;
    sl_error err = load(st, n, &x);
    if (err)
        return err;
    if (!x.n) {
        events_free(&x);
        return SL_ERR_NOT_FOUND;
    }
    jw w;
    sli_jw_init(&w, fn, user, 1);
    event_json(st, &w, &x, &x.e[0]);
    sli_jw_newline(&w);
    events_free(&x);
    return sli_jw_finish(&w);
}

static int by_storyline(const void *a, const void *b)
{
    const event_row *const *x = a, *const *y = b;
    if ((*x)->storyline != (*y)->storyline)
        return (*x)->storyline < (*y)->storyline ? -1 : 1;
    return (*x)->id < (*y)->id ? -1 : (*x)->id > (*y)->id; /* ids grow with time */
}

sl_error sl_write_storylines(sl_store *st, sl_write_fn fn, void *user)
{
    if (!st || !fn)
        return SL_ERR_INVALID;
    events x;
    sl_error err = load(st, 0, &x); /* newest first: storylines come out newest first */
    if (err)
        return err;
    const event_row **by = malloc((x.n ? x.n : 1) * sizeof *by);
    if (!by) {
        events_free(&x);
        return SL_ERR_NOMEM;
    }
    for (size_t i = 0; i < x.n; i++)
        by[i] = &x.e[i];
    qsort(by, x.n, sizeof *by, by_storyline);
    u64map done = {0};
    jw w;
    sli_jw_init(&w, fn, user, 1);
    sli_jw_begin_array(&w);
    for (size_t i = 0; i < x.n; i++) { /* in the order their newest event comes */
        long long sl = x.e[i].storyline;
        size_t lo = 0, hi = x.n;
        while (lo < hi) { /* the storyline's first event in `by` */
            size_t mid = (lo + hi) / 2;
            if (by[mid]->storyline < sl)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t end = lo;
        while (end < x.n && by[end]->storyline == sl)
            end++;
        int added = 1;
        if (end - lo >= 2 && (err = sli_u64map_put(&done, (uint64_t)sl, NULL, &added)))
            break;
        if (end - lo < 2 || !added)
            continue; /* a single event; or a storyline written already */
        char id[32];
        sli_jw_begin_object(&w);
        name(id, sizeof id, 'S', sl);
        sli_jw_kv_string(&w, "id", id);
        sli_jw_kv_string(&w, "title", by[lo]->headline);
        sli_jw_key(&w, "events");
        sli_jw_begin_array(&w);
        const char *first = NULL, *last = NULL;
        for (size_t k = lo; k < end; k++) {
            name(id, sizeof id, 'E', by[k]->id);
            sli_jw_string(&w, id);
            if (by[k]->first[0] && (!first || strcmp(by[k]->first, first) < 0))
                first = by[k]->first;
            if (by[k]->last[0] && (!last || strcmp(by[k]->last, last) > 0))
                last = by[k]->last;
        }
        sli_jw_end_array(&w);
        sli_jw_kv_string(&w, "date_first", first);
        sli_jw_kv_string(&w, "date_last", last);
        sli_jw_end_object(&w);
    }
    sli_jw_end_array(&w);
    sli_jw_newline(&w);
    sli_u64map_free(&done);
    free(by);
    events_free(&x);
    sl_error werr = sli_jw_finish(&w);
    return err ? err : werr;
}
