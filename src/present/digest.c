/* digest.c — the present stage in the pipeline: the headline and summary of every event a
 * batch touched, made again and saved (event_digests). */
#include "present.h"

#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"
#include "../core/u64map.h"
#include "../store/store.h"

typedef struct one {
    long long rid, family;
    char *title;
} one;

typedef struct event_work {
    one *m;          /* one article per family (its origin when in the event), by date */
    size_t n, cap;
    u64map fam;      /* family -> index in m + 1 */
    present_article *a;
    size_t acap;
    char **text;     /* the texts read */
} event_work;

static void members_clear(event_work *x)
{
    for (size_t i = 0; i < x->n; i++)
        free(x->m[i].title);
    x->n = 0;
    sli_u64map_clear(&x->fam);
}

static char *copy(const char *s, int *ok)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    *ok &= d != NULL;
    return d;
}

static sl_error take_member(void *user, const store_digest_member *m)
{
    event_work *x = user;
    if (m->family) {
        uint64_t *at = sli_u64map_get(&x->fam, (uint64_t)m->family);
        if (at) { /* a copy: its family's origin stands for it, in the earliest's place */
            one *o = &x->m[*at - 1];
            if (m->rid == m->family && o->rid != m->family) {
                int ok = 1;
                char *t = copy(m->title, &ok);
                if (!ok)
                    return SL_ERR_NOMEM;
                free(o->title);
                o->title = t;
                o->rid = m->rid;
            }
            return SL_OK;
        }
    }
    if (x->n >= PRESENT_TITLES_MAX)
        return SL_OK; /* the work is bounded: later articles are not read */
    one *grown = sli_grow_array(x->m, &x->cap, x->n + 1, sizeof *grown, 64);
    if (!grown)
        return SL_ERR_NOMEM;
    x->m = grown;
    int ok = 1;
    x->m[x->n] = (one){m->rid, m->family, copy(m->title, &ok)};
    if (!ok)
        return SL_ERR_NOMEM;
    x->n++;
    uint64_t *v;
    sl_error err =
        m->family ? sli_u64map_put(&x->fam, (uint64_t)m->family, &v, NULL) : SL_OK;
    if (!err && m->family)
        *v = x->n;
    return err;
}

typedef struct text_out {
    char **text;
    size_t *len;
} text_out;

static sl_error take_text(void *user, const char *text, size_t len)
{
    text_out *o = user;
    *o->text = malloc(len + 1);
    if (!*o->text)
        return SL_ERR_NOMEM;
    memcpy(*o->text, text, len);
    (*o->text)[len] = '\0';
    *o->len = len;
    return SL_OK;
}

/* The summary's sentences joined by newlines, in a malloc'd string. */
static char *joined(const present_digest *d, const present_article *a)
{
    size_t total = 1;
    for (size_t i = 0; i < d->n; i++)
        total += d->pick[i].len + 1;
    char *s = malloc(total), *p = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < d->n; i++) {
        if (i)
            *p++ = '\n';
        const char *from = a[d->pick[i].article].text + d->pick[i].start;
        for (size_t k = 0; k < d->pick[i].len; k++)
            *p++ = from[k] == '\n' ? ' ' : from[k];
    }
    *p = '\0';
    return s;
}

static sl_error one_event(store_digests *sd, present_words *w, event_work *x, long long id)
{
    members_clear(x);
    sl_error err = sli_store_digest_members(sd, id, take_member, x);
    if (err)
        return err;
    if (!x->n) /* the event has gone */
        return sli_store_digest_drop(sd, id);
    present_article *grown = sli_grow_array(x->a, &x->acap, x->n, sizeof *grown, 64);
    if (!grown)
        return SL_ERR_NOMEM;
    x->a = grown;
    size_t reads = x->n < PRESENT_ARTICLES_MAX ? x->n : PRESENT_ARTICLES_MAX;
    for (size_t i = 0; i < x->n; i++)
        x->a[i] = (present_article){x->m[i].title, NULL, 0, x->m[i].family};
    for (size_t i = 0; !err && i < reads; i++) {
        text_out o = {&x->text[i], &x->a[i].len};
        err = sli_store_digest_text(sd, x->m[i].rid, take_text, &o);
        x->a[i].text = x->text[i];
    }
    present_digest d;
    if (!err)
        err = sli_present_digest(w, x->a, x->n, NULL, &d);
    char *summary = NULL;
    if (!err && !(summary = joined(&d, x->a)))
        err = SL_ERR_NOMEM;
    if (!err)
        err = sli_store_digest_put(sd, id, d.headline >= 0 ? x->a[d.headline].title : NULL,
                                   summary);
    free(summary);
    for (size_t i = 0; i < reads; i++) {
        free(x->text[i]);
        x->text[i] = NULL;
    }
    return err;
}

sl_error sli_present_run(sl_store *st, const long long *ids, size_t n,
                         void (*progress)(void *user, size_t done, size_t total), void *user)
{
    store_digests sd;
    present_words *w = NULL;
    event_work x;
    memset(&x, 0, sizeof x);
    x.text = calloc(PRESENT_ARTICLES_MAX, sizeof *x.text);
    sl_error err = x.text ? sli_u64map_init(&x.fam, 64) : SL_ERR_NOMEM;
    if (!err)
        err = sli_store_digests_open(st, &sd);
    else
        memset(&sd, 0, sizeof sd);
    if (!err)
        err = sli_present_words_create(&w);
    for (size_t i = 0; !err && i < n; i++) {
        err = one_event(&sd, w, &x, ids[i]);
        if (progress && (i % 256 == 255 || i + 1 == n))
            progress(user, i + 1, n);
    }
    members_clear(&x);
    free(x.m);
    free(x.a);
    free(x.text);
    sli_u64map_free(&x.fam);
    sli_present_words_free(w);
    sli_store_digests_close(&sd);
    return err;
}

sl_error sli_present_forget(sl_store *st)
{
    return sli_store_digest_clear(st);
}
