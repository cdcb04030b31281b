/* event_read.c — events and storylines read back: sl_store_each_event and the JSON
 * shapes of docs/output.md (event, storyline). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"
#include "../core/json_writer.h"
#include "../core/u64map.h"
#include "../text/date.h"
#include "../dedup/dedup.h"
#include "../store/store.h"
#include "cluster.h"

#define SUMMARY_SENTENCES 3
#define SUMMARY_MAX_CHARS 600

typedef struct member {
    char *id, *source, *family; /* family: "F3" or NULL */
    char date[11];              /* "" when undated */
    long long rid;
    const char *relation; /* in its family: "origin", "copy", ...; NULL if none */
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
    m->rid = row->rid;
    m->relation = NULL;
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

/* --- the timeline: each article's relation in its family, origins before copies --- */

/* The family number of "F3"; 0 if none. */
static long long family_number(const char *family)
{
    return family && family[0] == 'F' ? strtoll(family + 1, NULL, 10) : 0;
}

typedef struct relate_ctx {
    member *m;
    size_t n;
} relate_ctx;

static sl_error take_relations(void *user, long long family, const dedup_member *dm, size_t n)
{
    (void)family;
    relate_ctx *c = user;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < c->n; i++)
            if (c->m[i].rid == dm[k].rid)
                c->m[i].relation = dm[k].relation; /* a static string */
    return SL_OK;
}

/* The relations of event e's articles (each family read and compared with its origin as
 * `families` does), and the timeline order: articles come by day (undated last), then in
 * the store's order; an origin that comes after a member of its family (the same day: an
 * origin is its family's earliest dated member) moves to just before the first of them. */
static sl_error relate(sl_store *st, events *x, event_row *e)
{
    member *m = x->m + e->at;
    long long *fams = malloc((e->n ? e->n : 1) * sizeof *fams);
    if (!fams)
        return SL_ERR_NOMEM;
    size_t nf = 0;
    for (size_t i = 0; i < e->n; i++) {
        long long f = family_number(m[i].family);
        size_t k = 0;
        while (k < nf && fams[k] != f)
            k++;
        if (f && k == nf)
            fams[nf++] = f;
    }
    relate_ctx c = {m, e->n};
    sl_error err = sli_dedup_families(st, fams, nf, take_relations, &c);
    free(fams);
    if (err)
        return err;
    for (size_t p = 0; p < e->n; p++) {
        if (!m[p].relation || strcmp(m[p].relation, "origin"))
            continue;
        size_t q = 0;
        while (q < p && !(m[q].family && !strcmp(m[q].family, m[p].family)))
            q++;
        if (q < p) {
            member origin = m[p];
            memmove(m + q + 1, m + q, (p - q) * sizeof *m);
            m[q] = origin;
        }
    }
    return SL_OK;
}

/* Events (all, or the one with id `only`) with their articles, newest event first; with
 * their timelines (relations and order) when `timeline`. */
static sl_error load_events(sl_store *st, long long only, int timeline, events *x)
{
    memset(x, 0, sizeof *x);
    sl_error err = only ? sli_store_event_articles(st, only, take_article, x)
                        : sli_store_each_event_article(st, 0, take_article, x);
    if (!err)
        err = read_digests(st, only, x);
    for (size_t i = 0; !err && timeline && i < x->n; i++)
        err = relate(st, x, &x->e[i]);
    if (err)
        events_free(x);
    return err;
}

static sl_error load(sl_store *st, long long only, events *x)
{
    return load_events(st, only, 1, x);
}

static void name(char *out, size_t size, char prefix, long long id)
{
    snprintf(out, size, "%c%lld", prefix, id);
}

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
    const char **fams = malloc((x.nm ? x.nm : 1) * sizeof *fams);
    const char **rels = malloc((x.nm ? x.nm : 1) * sizeof *rels);
    if (!ids || !src || !dates || !fams || !rels)
        err = SL_ERR_NOMEM;
    for (size_t i = 0; !err && i < x.nm; i++) {
        ids[i] = x.m[i].id;
        src[i] = x.m[i].source;
        dates[i] = x.m[i].date[0] ? x.m[i].date : NULL;
        fams[i] = x.m[i].family;
        rels[i] = x.m[i].relation;
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
        ev.families = fams + e->at;
        ev.relations = rels + e->at;
        int stop = !err && fn(user, &ev);
        free(lines);
        free(text);
        if (stop)
            break;
    }
    free(ids);
    free(src);
    free(dates);
    free(fams);
    free(rels);
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
    long long n = sli_cluster_parse_id(id, 'E');
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

/* The event's timeline: one entry per article, in the order relate() gave. */
static void timeline_json(jw *w, const member *m, size_t n)
{
    sli_jw_key(w, "timeline");
    sli_jw_begin_array(w);
    for (size_t i = 0; i < n; i++) {
        sli_jw_begin_object(w);
        sli_jw_kv_string(w, "date", m[i].date[0] ? m[i].date : NULL);
        sli_jw_kv_string(w, "source", m[i].source);
        sli_jw_kv_string(w, "article", m[i].id);
        sli_jw_kv_string(w, "family", m[i].family);
        sli_jw_kv_string(w, "relation", m[i].relation);
        sli_jw_end_object(w);
    }
    sli_jw_end_array(w);
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
    timeline_json(w, x->m + e->at, e->n);
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

/* An id as the readers print it (cluster.h). */
long long sli_cluster_parse_id(const char *id, char prefix)
{
    if (*id == prefix)
        id++;
    char *end;
    long long v = strtoll(id, &end, 10);
    return *id >= '0' && *id <= '9' && !*end && v > 0 ? v : 0;
}

sl_error sl_write_event(sl_store *st, const char *id, sl_write_fn fn, void *user)
{
    if (!st || !id || !fn)
        return SL_ERR_INVALID;
    long long n = sli_cluster_parse_id(id, 'E');
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

/* --- pages: event objects and storyline objects by id (export/lists.c) --- */

sl_error sli_events_json(sl_store *st, const long long *ids, size_t n, jw *w)
{
    for (size_t i = 0; i < n && !w->err; i++) {
        events x;
        sl_error err = load(st, ids[i], &x);
        if (err)
            return err;
        if (x.n) /* gone since the page was listed: passed over */
            event_json(st, w, &x, &x.e[0]);
        events_free(&x);
    }
    return SL_OK;
}

/* The events of a storyline as the events table keeps them (sli_store_storyline_rows),
 * copied: a storyline of hundreds of events costs hundreds of rows, not their articles. */
typedef struct story_event {
    long long id, articles;
    char first[11], last[11]; /* "" when undated */
    char *headline;
} story_event;

typedef struct story {
    story_event *ev; /* in date order */
    size_t n, cap;
} story;

static void story_free(story *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->ev[i].headline);
    free(s->ev);
}

static sl_error take_story_row(void *user, const store_storyline_row *row)
{
    story *s = user;
    story_event *grown = sli_grow_array(s->ev, &s->cap, s->n + 1, sizeof *grown, 16);
    if (!grown)
        return SL_ERR_NOMEM;
    s->ev = grown;
    story_event *e = &s->ev[s->n];
    memset(e, 0, sizeof *e);
    e->id = row->event;
    e->articles = row->articles;
    if (row->dated) {
        sli_text_days_iso((long)row->day_first, e->first);
        sli_text_days_iso((long)row->day_last, e->last);
    }
    int ok = 1;
    e->headline = dup(row->headline, &ok);
    if (!ok)
        return SL_ERR_NOMEM;
    s->n++;
    return SL_OK;
}

static int by_id(const void *a, const void *b)
{
    long long x = (*(const story_event *const *)a)->id;
    long long y = (*(const story_event *const *)b)->id;
    return x < y ? -1 : x > y;
}

/* Storyline `sl` as a storyline object (docs/output.md); *found 0 when it has no event. */
static sl_error storyline_json(sl_store *st, long long sl, jw *w, int *found)
{
    story s = {0};
    sl_error err = sli_store_storyline_rows(st, sl, take_story_row, &s);
    *found = s.n > 0;
    const story_event **by = NULL;
    if (!err && s.n && !(by = malloc(s.n * sizeof *by)))
        err = SL_ERR_NOMEM;
    if (err || !s.n) {
        story_free(&s);
        return err;
    }
    for (size_t i = 0; i < s.n; i++)
        by[i] = &s.ev[i];
    qsort(by, s.n, sizeof *by, by_id); /* ids grow with time: the first event first */
    char id[32];
    sli_jw_begin_object(w);
    name(id, sizeof id, 'S', sl);
    sli_jw_kv_string(w, "id", id);
    sli_jw_kv_string(w, "title", by[0]->headline);
    sli_jw_key(w, "events");
    sli_jw_begin_array(w);
    const char *first = NULL, *last = NULL;
    for (size_t k = 0; k < s.n; k++) {
        name(id, sizeof id, 'E', by[k]->id);
        sli_jw_string(w, id);
        if (by[k]->first[0] && (!first || strcmp(by[k]->first, first) < 0))
            first = by[k]->first;
        if (by[k]->last[0] && (!last || strcmp(by[k]->last, last) > 0))
            last = by[k]->last;
    }
    sli_jw_end_array(w);
    sli_jw_kv_string(w, "date_first", first);
    sli_jw_kv_string(w, "date_last", last);
    sli_jw_key(w, "timeline");
    sli_jw_begin_array(w);
    for (size_t k = 0; k < s.n; k++) { /* the store's date order */
        const story_event *e = &s.ev[k];
        sli_jw_begin_object(w);
        name(id, sizeof id, 'E', e->id);
        sli_jw_kv_string(w, "event", id);
        sli_jw_kv_string(w, "date_first", e->first[0] ? e->first : NULL);
        sli_jw_kv_string(w, "date_last", e->last[0] ? e->last : NULL);
        sli_jw_kv_string(w, "headline", e->headline);
        sli_jw_kv_int(w, "articles", e->articles);
        sli_jw_end_object(w);
    }
    sli_jw_end_array(w);
    sli_jw_end_object(w);
    free(by);
    story_free(&s);
    return SL_OK;
}

sl_error sli_storylines_json(sl_store *st, const long long *ids, size_t n, jw *w)
{
    for (size_t i = 0; i < n && !w->err; i++) {
        int found;
        sl_error err = storyline_json(st, ids[i], w, &found);
        if (err)
            return err;
    }
    return SL_OK;
}

sl_error sl_write_storyline(sl_store *st, const char *id, sl_write_fn fn, void *user)
{
    if (!st || !id || !fn)
        return SL_ERR_INVALID;
    long long n = sli_cluster_parse_id(id, 'S');
    if (!n)
        return SL_ERR_NOT_FOUND;
    jw w;
    sli_jw_init(&w, fn, user, 1);
    int found = 0;
    sl_error err = storyline_json(st, n, &w, &found);
    if (!err && !found) {
        sli_buf_free(&w.out); /* nothing was written */
        return SL_ERR_NOT_FOUND;
    }
    sli_jw_newline(&w);
    sl_error werr = sli_jw_finish(&w);
    return err ? err : werr;
}
