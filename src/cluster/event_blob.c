/* event_blob.c — an event to and from the store: the centroid blob's layout
 * (event_blob.h); the SQL is the store's. */
#include "event_blob.h"

#include <stdlib.h>
#include <string.h>

/* A centroid blob opens with this word: "SL" and a letter for the term layout, then the
 * number of views, so that one written with other views is told apart rather than misread.
 * "SLF" terms are (id, weight, idf, q): the IDF the weight was made with, and the sum of
 * the articles' squared weights; a view's terms follow a bitmap (bit i of byte i / 8: term
 * i's q is its weight squared, (float)((double)w * w), as for a term of one article, and
 * is not written: 89% of the terms of a generated store of 30,000 articles, a blob 17%
 * smaller). "SLE" (written until then) is the same without the bitmap, every q written.
 * Stores made before wrote "SLD" (id, weight, idf: q unknown, 0) or "SLC" (id, weight:
 * IDF unknown, the weight is kept as it is), and four views (before the quotes: read with
 * the quotes view empty). */
#define BLOB_MAGIC (0x534C4600u | VIEWS)
#define BLOB_MAGIC_Q_ALL 0x534C4500u
#define BLOB_MAGIC_NO_Q 0x534C4400u
#define BLOB_MAGIC_NO_IDF 0x534C4300u
#define BLOB_VIEWS_OLDEST 4
#define TERM_BYTES (sizeof(uint64_t) + 3 * sizeof(float))

/* q as one article makes it: its weight squared (the only form the bitmap stands for). */
static float q_of_one(float w)
{
    return (float)((double)w * w);
}

/* The blob's size at most: every q written. */
static size_t blob_size(const cevent *ev)
{
    size_t n = sizeof(uint32_t);
    for (int v = 0; v < VIEWS; v++)
        n += sizeof(uint32_t) + (ev->c[v].n + 7) / 8 + ev->c[v].n * TERM_BYTES;
    return n;
}

static sl_error read_blob(cevent *ev, const unsigned char *p, size_t len)
{
    const unsigned char *end = p + len;
    uint32_t magic;
    if (len < sizeof magic)
        return SL_ERR_STORE;
    memcpy(&magic, p, sizeof magic);
    uint32_t layout = magic & ~0xFFu, views = magic & 0xFFu;
    int bitmap = layout == (BLOB_MAGIC & ~0xFFu);
    int floats = bitmap || layout == BLOB_MAGIC_Q_ALL ? 3 : layout == BLOB_MAGIC_NO_Q ? 2
               : layout == BLOB_MAGIC_NO_IDF ? 1 : 0;
    if (!floats || views < BLOB_VIEWS_OLDEST || views > VIEWS)
        return SL_ERR_STORE_VERSION;
    p += sizeof magic;
    for (int v = 0; v < (int)views; v++) {
        uint32_t n;
        if ((size_t)(end - p) < sizeof n)
            return SL_ERR_STORE;
        memcpy(&n, p, sizeof n);
        p += sizeof n;
        const unsigned char *q_of_w = NULL; /* the bitmap, if any */
        uint32_t squared = 0;               /* terms whose q is not written */
        if (bitmap) {
            if ((size_t)(end - p) < ((size_t)n + 7) / 8)
                return SL_ERR_STORE;
            q_of_w = p;
            p += ((size_t)n + 7) / 8;
            for (uint32_t i = 0; i < n; i++)
                squared += q_of_w[i / 8] >> (i % 8) & 1u;
        }
        size_t bytes = (size_t)n * (sizeof(uint64_t) + (size_t)floats * sizeof(float)) -
                       (size_t)squared * sizeof(float);
        if ((size_t)(end - p) < bytes)
            return SL_ERR_STORE;
        centroid *c = &ev->c[v];
        c->t = malloc((n ? n : 1) * sizeof *c->t);
        if (!c->t)
            return SL_ERR_NOMEM;
        for (uint32_t i = 0; i < n; i++) {
            int one = q_of_w && (q_of_w[i / 8] >> (i % 8) & 1u);
            int here = one ? floats - 1 : floats;
            float f[3] = {0, 0, 0};
            memcpy(&c->t[i].id, p, sizeof(uint64_t));
            memcpy(f, p + sizeof(uint64_t), (size_t)here * sizeof(float));
            c->t[i].w = f[0];
            c->t[i].idf = f[1];
            c->t[i].q = one ? q_of_one(f[0]) : f[2];
            p += sizeof(uint64_t) + (size_t)here * sizeof(float);
        }
        c->n = n;
        double s = 0;
        for (uint32_t i = 0; i < n; i++)
            s += (double)c->t[i].w * c->t[i].w;
        c->norm2 = s;
    }
    return SL_OK;
}

typedef struct loading {
    sl_store *st;
    cevent *ev;
} loading;

static sl_error take_row(void *user, const store_event_row *row)
{
    loading *l = user;
    cevent *ev = l->ev;
    ev->id = row->id;
    ev->storyline = row->storyline;
    ev->n = row->articles;
    ev->ndated = row->dated;
    ev->first = row->day_first;
    ev->last = row->day_last;
    ev->daysum = row->day_sum;
    sl_error err = read_blob(ev, row->centroid, row->centroid_len);
    if (err == SL_ERR_STORE)
        sli_store_set_error(l->st,
                            "event %lld: centroid damaged (run `storyline clean` to cluster "
                            "again)",
                            row->id);
    if (err == SL_ERR_STORE_VERSION)
        sli_store_set_error(l->st,
                            "event %lld: centroid of another storyline version (run `storyline "
                            "clean` to cluster again)", row->id);
    return err;
}

sl_error sli_event_load(store_events *es, long long id, cevent *ev)
{
    memset(ev, 0, sizeof *ev);
    loading l = {es->st, ev};
    sl_error err = sli_store_event_get(es, id, take_row, &l);
    if (err)
        sli_cevent_clear(ev);
    return err;
}

/* ev's centroid as a blob (malloc'd; NULL when out of memory), its length in *len. */
static unsigned char *write_blob(const cevent *ev, size_t *len)
{
    unsigned char *blob = calloc(1, blob_size(ev)), *p = blob;
    if (!blob)
        return NULL;
    uint32_t magic = BLOB_MAGIC;
    memcpy(p, &magic, sizeof magic);
    p += sizeof magic;
    for (int v = 0; v < VIEWS; v++) {
        uint32_t n = ev->c[v].n;
        memcpy(p, &n, sizeof n);
        p += sizeof n;
        unsigned char *q_of_w = p; /* zeroed by calloc */
        p += ((size_t)n + 7) / 8;
        for (uint32_t i = 0; i < n; i++) {
            const cterm *t = &ev->c[v].t[i];
            /* compared as bits: q_of_one gives back exactly these */
            float one = q_of_one(t->w);
            int squared = memcmp(&one, &t->q, sizeof one) == 0;
            float f[3] = {t->w, t->idf, t->q};
            size_t floats = squared ? 2 : 3;
            if (squared)
                q_of_w[i / 8] |= (unsigned char)(1u << (i % 8));
            memcpy(p, &t->id, sizeof(uint64_t));
            memcpy(p + sizeof(uint64_t), f, floats * sizeof(float));
            p += sizeof(uint64_t) + floats * sizeof(float);
        }
    }
    *len = (size_t)(p - blob);
    return blob;
}

sl_error sli_event_save(store_events *es, const cevent *ev)
{
    size_t len;
    unsigned char *blob = write_blob(ev, &len);
    if (!blob)
        return SL_ERR_NOMEM;
    store_event_row row = {
        .id = ev->id,
        .storyline = ev->storyline,
        .articles = ev->n,
        .dated = ev->ndated,
        .day_first = ev->first,
        .day_last = ev->last,
        .day_sum = ev->daysum,
        .centroid = blob,
        .centroid_len = len,
    };
    sl_error err = sli_store_event_put(es, &row);
    free(blob);
    return err;
}
