/* feature_cache.c — a batch's recent articles' features, by rid (feature_cache.h). */
#include "feature_cache.h"

#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/u64map.h"

/* Generations kept: the slice being noted and the two before it. */
#define FEATURE_CACHE_SLICES 3
/* The entries' bytes, all generations together, at most: 9 a term (a 40-bit id, a float),
 * about 1.4 KB an article of the generated corpus, so some 95,000 articles: two slices of
 * 40,000, the slices a store of a million articles gets (a 25th of it; they grow to
 * SL_SLICE_GROWN_MAX, 50,000). The maps' slots and the buffers' spare room come on top
 * (a buffer doubles as it grows). A bound on memory, not fitted: with 48 MiB a generation
 * instead (12 bytes a term), slices of 40,000 found 67% of the articles they placed again;
 * with 192 MiB for all (12 bytes a term), all of them (21,671 of 21,671). */
#define FEATURE_CACHE_BYTES (128u << 20)

/* A value in a generation's map: the entry's offset + 1, or NOT_KEPT. */
#define NOT_KEPT UINT64_MAX

/* A term: its id's low 5 bytes (ids are under 2^40: features.h), then its weight. */
#define ID_BYTES 5
#define TERM_BYTES (ID_BYTES + sizeof(float))
#define HEAD_BYTES (sizeof(int32_t) + VIEWS * sizeof(uint16_t))
_Static_assert(TERM_ID_BITS <= 8 * ID_BYTES, "a term id fits its bytes");

typedef struct generation {
    u64map at; /* rid -> offset + 1 of its entry in bytes, or NOT_KEPT */
    buf bytes; /* entries: day (int32), n[VIEWS] (uint16 each), then each term */
} generation;

struct feature_cache {
    generation g[FEATURE_CACHE_SLICES];
    unsigned cur; /* the generation being filled */
    int keep;     /* whether the current slice's notes are kept */
    size_t bytes; /* the entries' bytes, all generations */
};

sl_error sli_feature_cache_create(feature_cache **out)
{
    feature_cache *c = calloc(1, sizeof *c);
    if (!c)
        return SL_ERR_NOMEM;
    for (unsigned i = 0; i < FEATURE_CACHE_SLICES; i++)
        sli_buf_init(&c->g[i].bytes, FEATURE_CACHE_BYTES);
    *out = c;
    return SL_OK;
}

/* A generation emptied, its memory given back. */
static void forget(feature_cache *c, generation *g)
{
    c->bytes -= g->bytes.len;
    sli_u64map_free(&g->at);
    sli_buf_free(&g->bytes);
    sli_buf_init(&g->bytes, FEATURE_CACHE_BYTES);
}

void sli_feature_cache_free(feature_cache *c)
{
    if (!c)
        return;
    sli_feature_cache_clear(c);
    free(c);
}

void sli_feature_cache_clear(feature_cache *c)
{
    for (unsigned i = 0; i < FEATURE_CACHE_SLICES; i++)
        forget(c, &c->g[i]);
}

void sli_feature_cache_next_slice(feature_cache *c, int keep)
{
    c->cur = (c->cur + 1) % FEATURE_CACHE_SLICES;
    c->keep = keep;
    forget(c, &c->g[c->cur]); /* the oldest, for the new slice */
}

/* Room for `need` more bytes: the generations before the current one forgotten, oldest
 * first (so that those left are always the newest: a rid's newest features or mark is
 * never forgotten while older ones are kept). 0 when there is none even so. */
static int make_room(feature_cache *c, size_t need)
{
    for (unsigned k = FEATURE_CACHE_SLICES - 1; c->bytes + need > FEATURE_CACHE_BYTES; k--) {
        if (k == 0)
            return 0;
        generation *g = &c->g[(c->cur + FEATURE_CACHE_SLICES - k) % FEATURE_CACHE_SLICES];
        if (g->at.n || g->bytes.len)
            forget(c, g);
    }
    return 1;
}

void sli_feature_cache_put(feature_cache *c, long long rid, int day, const features *f)
{
    if (!c->keep)
        return;
    generation *g = &c->g[c->cur];
    uint64_t *slot;
    if (sli_u64map_put(&g->at, (uint64_t)rid, &slot, NULL)) {
        /* no mark could be made: an older generation's features could be taken */
        sli_feature_cache_clear(c);
        return;
    }
    size_t terms = 0;
    int ok = 1;
    for (int v = 0; v < VIEWS; v++) {
        terms += f->n[v];
        for (uint32_t i = 0; i < f->n[v]; i++)
            ok &= f->terms[f->at[v] + i].id >> (8 * ID_BYTES) == 0;
    }
    size_t need = HEAD_BYTES + terms * TERM_BYTES, off = g->bytes.len;
    if (!ok || !make_room(c, need) || sli_buf_reserve(&g->bytes, need)) {
        *slot = NOT_KEPT; /* read back from the store */
        return;
    }
    unsigned char *p = (unsigned char *)g->bytes.data + off;
    int32_t d = day;
    memcpy(p, &d, sizeof d);
    p += sizeof d;
    for (int v = 0; v < VIEWS; v++) {
        uint16_t n = (uint16_t)f->n[v];
        memcpy(p, &n, sizeof n);
        p += sizeof n;
    }
    for (int v = 0; v < VIEWS; v++)
        for (uint32_t i = 0; i < f->n[v]; i++) {
            const cterm *t = &f->terms[f->at[v] + i];
            for (int b = 0; b < ID_BYTES; b++)
                p[b] = (unsigned char)(t->id >> (8 * b));
            memcpy(p + ID_BYTES, &t->w, sizeof t->w);
            p += TERM_BYTES;
        }
    g->bytes.len += need;
    c->bytes += need;
    *slot = (uint64_t)off + 1;
}

/* rid's newest entry (NULL when it has none, or is marked not kept). */
static const unsigned char *entry(const feature_cache *c, long long rid)
{
    for (unsigned k = 0; k < FEATURE_CACHE_SLICES; k++) {
        const generation *g = &c->g[(c->cur + FEATURE_CACHE_SLICES - k) % FEATURE_CACHE_SLICES];
        const uint64_t *slot = sli_u64map_get(&g->at, (uint64_t)rid);
        if (slot)
            return *slot == NOT_KEPT ? NULL
                                     : (const unsigned char *)g->bytes.data + (*slot - 1);
    }
    return NULL;
}

int sli_feature_cache_has(const feature_cache *c, long long rid)
{
    return entry(c, rid) != NULL;
}

int sli_feature_cache_get(const feature_cache *c, long long rid, int *day, features *f)
{
    const unsigned char *p = entry(c, rid);
    if (!p)
        return 0;
    int32_t d;
    memcpy(&d, p, sizeof d);
    p += sizeof d;
    *day = d;
    uint32_t at = 0;
    for (int v = 0; v < VIEWS; v++) {
        uint16_t n;
        memcpy(&n, p, sizeof n);
        p += sizeof n;
        f->at[v] = at;
        f->n[v] = n;
        at += n;
    }
    for (uint32_t i = 0; i < at; i++) {
        cterm *t = &f->terms[i];
        t->id = 0;
        for (int b = 0; b < ID_BYTES; b++)
            t->id |= (uint64_t)p[b] << (8 * b);
        memcpy(&t->w, p + ID_BYTES, sizeof t->w);
        t->idf = 0;
        t->q = 0;
        p += TERM_BYTES;
    }
    return 1;
}
