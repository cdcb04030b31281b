/* event_blob.c — an event to and from the store: the centroid blob's layout
 * (event_blob.h); the SQL is the store's. */
#include "event_blob.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A centroid blob opens with this word: "SL" and a letter for the term layout, then the
 * number of views, so that one written with other views is told apart rather than misread.
 * "SLG" (event_blob.h) writes a term's IDF as the document frequency it was made from,
 * against one of the blob's few bases (IDF = (float)(ln(base / (df + 1)) + 1), as
 * engine.c makes it, base = articles + 1 + idf_prior): a varint of one or two bytes for a
 * float, as long as that formula gives the float back bit for bit (checked as it is
 * written; else the float follows); and in an event of one article, a term's weight as
 * its tf weight's index (below, "weights"), the same way. Stores made before wrote "SLF": terms (id, weight,
 * idf, q) after a bitmap saying which q is the weight squared and not written (a blob 17%
 * smaller than "SLE", written until then, the same without the bitmap, every q written);
 * before that "SLD" (id, weight, idf: q unknown, 0) or "SLC" (id, weight: IDF unknown,
 * the weight is kept as it is), and four views (before the quotes: read with the quotes
 * view empty). "SLH" is "SLG" with a term's id in ID_BYTES bytes (TERM_ID_BITS, features.h)
 * instead of 8: the older layouts' ids are the whole hashes, taken to their top bits as
 * they are read (where two of a view become one, the first is kept). */
#define ID_BYTES 5
_Static_assert(TERM_ID_BITS <= 8 * ID_BYTES, "a term id fits its bytes");
_Static_assert(TERM_ID_BITS == STORE_TERM_ID_BITS, "the store's blocks hold every term id");
#define BLOB_MAGIC (0x534C4800u | VIEWS)
#define BLOB_MAGIC_IDS64 0x534C4700u
#define BLOB_MAGIC_BITMAP 0x534C4600u
#define BLOB_MAGIC_Q_ALL 0x534C4500u
#define BLOB_MAGIC_NO_Q 0x534C4400u
#define BLOB_MAGIC_NO_IDF 0x534C4300u
#define BLOB_VIEWS_OLDEST 4
#define TERM_BYTES (sizeof(uint64_t) + 3 * sizeof(float))
#define VARINT_MAX 10
/* Bases a blob holds at most: a term's IDF was made in the batch that last brought it to
 * the store's frequencies; an event keeps terms of a few batches at most (past these,
 * the float is written). */
#define BASES_MAX 8
/* A base is looked for from the heaviest-IDF term whose IDF no base gives yet, taking it
 * as of df 0 ... BASE_GUESSES - 1 (the rarest term of an event is nearly always of df 1
 * or 2), and is kept if it gives back at least half of BASE_SAMPLE other such terms. The
 * search stops after GUESSES_FAILED such terms in a row gave none: past the event's
 * hinted bases (find_bases) the terms left are mostly a few of each of several old
 * batches, and a failed guess costs hundreds of IDFs computed (docs/tuned-constants.md). */
#define BASE_GUESSES 16
#define BASE_SAMPLE 16
#define GUESSES_FAILED 2
/* Frequencies whose IDF a reader keeps at hand per base (most terms of a centroid). */
#define DF_CACHED 64
/* The tf weights a view of one article may use (features.c: 1 + ln tf, tf up to this) */
#define TF_MAX 64

/* q as one article makes it: its weight squared (the only form the bitmap stands for). */
static float q_of_one(float w)
{
    return (float)((double)w * w);
}

/* The IDF of a term of document frequency df against base: engine.c's formula, the same
 * operations in the same order, so the same float. */
static double idf_exact(double base, double df)
{
    return log(base / (df + 1)) + 1;
}

static float idf_of(double base, double df)
{
    return (float)idf_exact(base, df);
}

static int same_float(float a, float b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* The document frequency whose IDF against base is x (above 1, finite) bit for bit, or
 * -1. */
static double df_for_computed(double base, float x)
{
    double guess = nearbyint(base / exp((double)x - 1)) - 1;
    const double near[3] = {guess, guess - 1, guess + 1}; /* the guess is nearly always it */
    for (int k = 0; k < 3; k++)
        if (near[k] >= 0 && near[k] < 0x1p40 && same_float(idf_of(base, near[k]), x))
            return near[k];
    return -1;
}

/* An idf_memo (event_blob.h): answers of df_for and of the bases' search
 * (base_candidates), and the small tables of match_bases, kept by a run for the events it
 * saves. The same terms, of the same frequencies against the same bases, come in event
 * after event, and each answer costs an exponential and a few logarithms (the search up
 * to BASE_GUESSES x 5, a table DF_CACHED): without them, saving events was 7% of the main
 * thread of +1,000 articles into a million. Direct-mapped by the IDF asked about; an
 * entry's x 0 is empty (an IDF asked about is above 1). */
#define MEMO_SLOTS 4096
#define CANDIDATES_KEPT 3 /* bases a memo keeps for an IDF (most have none or one) */
#define BASE_TABLES 8

typedef struct df_memo {
    double base, df;
    float x;
} df_memo;

typedef struct base_memo {
    float x;
    int n; /* at most CANDIDATES_KEPT */
    double a[CANDIDATES_KEPT];
} base_memo;

typedef struct base_table {
    double base; /* 0: empty (a base is at least 1) */
    float idf[DF_CACHED];
} base_table;

struct idf_memo {
    df_memo df[MEMO_SLOTS];
    base_memo bases[MEMO_SLOTS];
    base_table table[BASE_TABLES];
    unsigned next_table;
};

idf_memo *sli_idf_memo_new(void)
{
    return calloc(1, sizeof(idf_memo)); /* zero: every entry empty */
}

void sli_idf_memo_free(idf_memo *m)
{
    free(m);
}

static unsigned memo_slot(float x, double base)
{
    uint32_t xb;
    uint64_t bb;
    memcpy(&xb, &x, sizeof xb);
    memcpy(&bb, &base, sizeof bb);
    uint64_t h = (xb ^ bb * 0x9E3779B97F4A7C15ull) * 0xC2B2AE3D27D4EB4Full;
    return (unsigned)(h >> 52) & (MEMO_SLOTS - 1);
}

static double df_for(idf_memo *memo, double base, float x)
{
    if (!(x > 1) || !isfinite(x))
        return -1;
    if (!memo)
        return df_for_computed(base, x);
    df_memo *m = &memo->df[memo_slot(x, base)];
    if (!same_float(m->x, x) || m->base != base)
        *m = (df_memo){base, df_for_computed(base, x), x};
    return m->df;
}

/* idf[d] = idf_of(base, d) for d < DF_CACHED, from the memo's tables when it has it. */
static void small_idfs(idf_memo *memo, double base, float idf[DF_CACHED])
{
    base_table *t = NULL;
    for (unsigned i = 0; memo && i < BASE_TABLES && !t; i++)
        if (memo->table[i].base == base)
            t = &memo->table[i];
    if (!t) {
        for (int d = 0; d < DF_CACHED; d++)
            idf[d] = idf_of(base, d);
        if (memo) {
            t = &memo->table[memo->next_table++ % BASE_TABLES];
            t->base = base;
            memcpy(t->idf, idf, sizeof t->idf);
        }
        return;
    }
    memcpy(idf, t->idf, sizeof t->idf);
}

typedef struct bases {
    double a[BASES_MAX];
    int n;
} bases;

/* Term i's base (of b) and frequency, into base[i] and df[i]; -1 where none gives its
 * IDF. From index `from` of b on. */
static void match_bases(idf_memo *memo, const bases *b, int from, const cterm *const *t, size_t n,
                        signed char *base, double *df)
{
    /* the IDFs of the rarest terms (most of a centroid's), per base: IDF falls as df
     * grows, a float apart at least (1/64 in the logarithm), so a term's is found by
     * halving; past them, df_for */
    float small[BASES_MAX][DF_CACHED];
    for (int k = from; k < b->n; k++)
        small_idfs(memo, b->a[k], small[k]);
    for (size_t i = 0; i < n; i++)
        for (int k = from; k < b->n && base[i] < 0; k++) {
            float x = t[i]->idf;
            if (x <= small[k][0] && x >= small[k][DF_CACHED - 1]) {
                int lo = 0, hi = DF_CACHED - 1; /* small[k][lo] >= x >= small[k][hi] */
                while (hi - lo > 1) {
                    int mid = (lo + hi) / 2;
                    if (small[k][mid] >= x)
                        lo = mid;
                    else
                        hi = mid;
                }
                int d = same_float(small[k][lo], x) ? lo : same_float(small[k][hi], x) ? hi : -1;
                df[i] = d;
            } else {
                df[i] = df_for(memo, b->a[k], x);
            }
            if (df[i] >= 0)
                base[i] = (signed char)k;
        }
}

/* The bases that give back IDF x for some df under BASE_GUESSES, in the order they are
 * tried (df, then the base), into a[0..BASE_GUESSES * 5); how many. */
static int base_candidates_computed(float x, double *a)
{
    int n = 0;
    double e = exp((double)x - 1);
    for (int d = 0; d < BASE_GUESSES; d++) {
        double near = nearbyint((d + 1) * e);
        if (!(near < 0x1p40))
            break; /* no batch had so many articles (and a++ would stand still) */
        for (double c = near - 2; c <= near + 2; c++)
            if (c >= 1 && same_float(idf_of(c, d), x))
                a[n++] = c;
    }
    return n;
}

static int base_candidates(idf_memo *memo, float x, double *a)
{
    base_memo *m = memo ? &memo->bases[memo_slot(x, 0)] : NULL;
    if (m && same_float(m->x, x)) {
        memcpy(a, m->a, (size_t)m->n * sizeof *a);
        return m->n;
    }
    int n = base_candidates_computed(x, a);
    if (m && n <= CANDIDATES_KEPT) {
        m->x = x;
        m->n = n;
        memcpy(m->a, a, (size_t)n * sizeof *a);
    }
    return n;
}

/* A base that gives back term x's IDF (of some df under BASE_GUESSES) and at least half
 * of the others' in sample[0..ns), or 0: the first of base_candidates that does. */
static double guess_base(idf_memo *memo, float x, const float *sample, size_t ns)
{
    if (!(x > 1) || !isfinite(x))
        return 0;
    double a[BASE_GUESSES * 5];
    int n = base_candidates(memo, x, a);
    size_t need = (ns + 1) / 2; /* half, rounded up */
    for (int k = 0; k < n; k++) {
        size_t hits = 0; /* counted until the outcome is known (most candidates fail) */
        for (size_t s = 0; s < ns && hits < need && hits + (ns - s) >= need; s++)
            hits += df_for(memo, a[k], sample[s]) >= 0;
        if (hits >= need)
            return a[k];
    }
    return 0;
}

/* Terms a base must give back to be worth its place in a blob: its 8 bytes against the 2
 * or 3 each term saves (a varint of 1 or 2 bytes in place of a float's 4). */
#define BASE_LEAST 4

/* Base x added to b if it gives back BASE_LEAST of the terms no base gives yet (each
 * one's base and df into base[], df[]); whether it was. */
static int add_base(idf_memo *memo, double x, const cterm *const *t, size_t n, bases *b,
                    signed char *base, double *df)
{
    b->a[b->n++] = x;
    match_bases(memo, b, b->n - 1, t, n, base, df);
    size_t got = 0;
    for (size_t i = 0; i < n; i++)
        got += base[i] == b->n - 1;
    if (got >= BASE_LEAST)
        return 1;
    b->n--; /* not worth it: those terms are looked at again */
    for (size_t i = 0; i < n; i++)
        if (base[i] == b->n)
            base[i] = -1;
    return 0;
}

/* The bases of ev's terms t[0..n) (every view's, in order), each term's base and df
 * (base -1: its IDF written as a float): ev's hints first, then guessed; each kept if it
 * gives back BASE_LEAST terms. */
static void find_bases(idf_memo *memo, const cevent *ev, const cterm *const *t, size_t n,
                       bases *b, signed char *base, double *df)
{
    b->n = 0;
    memset(base, -1, n);
    unsigned char *tried = calloc(n ? n : 1, 1); /* no base found from it */
    if (!tried)
        return; /* every IDF written as a float */
    for (unsigned h = 0; h < ev->n_base_hints && b->n < BASES_MAX; h++)
        add_base(memo, ev->base_hint[h], t, n, b, base, df);
    int failed = 0; /* in a row */
    while (b->n < BASES_MAX && failed < GUESSES_FAILED) {
        size_t best = n;
        float sample[BASE_SAMPLE];
        size_t ns = 0;
        for (size_t i = 0; i < n; i++) {
            if (base[i] >= 0 || tried[i])
                continue;
            if (best == n || t[i]->idf > t[best]->idf)
                best = i;
        }
        if (best == n)
            break;
        for (size_t i = 0; i < n && ns < BASE_SAMPLE; i++)
            if (base[i] < 0 && !tried[i] && i != best)
                sample[ns++] = t[i]->idf;
        double a = guess_base(memo, t[best]->idf, sample, ns);
        tried[best] = 1;
        failed = a && add_base(memo, a, t, n, b, base, df) ? 0 : failed + 1;
    }
    free(tried);
}

static size_t put_varint(unsigned char *p, uint64_t x)
{
    size_t n = 0;
    while (x >= 0x80) {
        p[n++] = (unsigned char)(x | 0x80);
        x >>= 7;
    }
    p[n++] = (unsigned char)x;
    return n;
}

/* A varint from p (before end) into *x; its length, 0 when damaged. */
static size_t get_varint(const unsigned char *p, const unsigned char *end, uint64_t *x)
{
    uint64_t v = 0;
    for (size_t n = 0; n < VARINT_MAX && p + n < end; n++) {
        v |= (uint64_t)(p[n] & 0x7F) << (7 * n);
        if (!(p[n] & 0x80)) {
            *x = v;
            return n + 1;
        }
    }
    return 0;
}

/* The blob's size at most. */
static size_t blob_size(const cevent *ev)
{
    size_t n = sizeof(uint32_t) + 1 + BASES_MAX * sizeof(double) + 1 + TF_MAX * sizeof(float);
    for (int v = 0; v < VIEWS; v++)
        n += sizeof(uint32_t) + (ev->c[v].n + 7) / 8 + 1 + sizeof(double) +
             ev->c[v].n * (TERM_BYTES + 2 * VARINT_MAX);
    return n;
}

/* An "SLG" blob's bases, from *p (moved past them). */
static sl_error read_bases(const unsigned char **p, const unsigned char *end, bases *b)
{
    if (*p >= end || **p > BASES_MAX)
        return SL_ERR_STORE;
    b->n = **p;
    (*p)++;
    if ((size_t)(end - *p) < (size_t)b->n * sizeof(double))
        return SL_ERR_STORE;
    memcpy(b->a, *p, (size_t)b->n * sizeof(double));
    *p += (size_t)b->n * sizeof(double);
    return SL_OK;
}

/* IDFs of the most frequent small dfs, per base, made when first asked. */
typedef struct idf_cache {
    double idf[BASES_MAX][DF_CACHED];
    uint64_t made[BASES_MAX];
} idf_cache;

/* An "SLG" term's IDF from its code (p: where a float would follow): *used its bytes. */
static sl_error read_idf(const bases *b, idf_cache *c, uint64_t code, const unsigned char *p,
                         const unsigned char *end, float *idf, double *x, size_t *used)
{
    *used = 0;
    *x = 0;
    if (!code) {
        if ((size_t)(end - p) < sizeof *idf)
            return SL_ERR_STORE;
        memcpy(idf, p, sizeof *idf);
        *used = sizeof *idf;
        return SL_OK;
    }
    if (!b->n)
        return SL_ERR_STORE;
    uint64_t k = (code - 1) % (uint64_t)b->n, df = (code - 1) / (uint64_t)b->n;
    if (df < DF_CACHED) {
        if (!(c->made[k] >> df & 1)) {
            c->idf[k][df] = idf_exact(b->a[k], (double)df);
            c->made[k] |= 1ull << df;
        }
        *x = c->idf[k][df];
    } else {
        *x = idf_exact(b->a[k], (double)df);
    }
    *idf = (float)*x;
    return SL_OK;
}

/* A view's weights as one article made them (engine.c's sli_engine_vector): each term's
 * (float)((float)(tf weight x IDF) x inv), inv being 1 / the length of the article's view
 * and the tf weight one of a few floats (features.c: 1 + ln tf). "SLG" writes a view's
 * tf weights and inv once, and a term's weight as the index of its tf weight, where the
 * formula gives the weight back bit for bit (a centroid of one article). */
typedef struct weights {
    int n;           /* the blob's tf weights */
    float tw[TF_MAX];
    int on;          /* the view's weights are coded (else written as floats) */
    double inv;      /* ... with this */
} weights;

static float weight_of(double tw, double x, double inv)
{
    return (float)((double)(float)(tw * x) * inv);
}

/* The blob's tf weights (after its bases). */
static sl_error read_tf_weights(const unsigned char **p, const unsigned char *end, weights *w)
{
    if (*p >= end || **p > TF_MAX)
        return SL_ERR_STORE;
    w->n = *(*p)++;
    if ((size_t)(end - *p) < (size_t)w->n * sizeof(float))
        return SL_ERR_STORE;
    memcpy(w->tw, *p, (size_t)w->n * sizeof(float));
    *p += (size_t)w->n * sizeof(float);
    return SL_OK;
}

/* A view's: whether its weights are coded, and its inv. */
static sl_error read_view_weights(const unsigned char **p, const unsigned char *end, weights *w)
{
    if (*p >= end || **p > 1 || (**p && !w->n))
        return SL_ERR_STORE;
    w->on = *(*p)++;
    if (!w->on)
        return SL_OK;
    if ((size_t)(end - *p) < sizeof w->inv)
        return SL_ERR_STORE;
    memcpy(&w->inv, *p, sizeof w->inv);
    *p += sizeof w->inv;
    return SL_OK;
}

/* A term's weight from its code at *p (moved past it and the float, if any): x is its IDF
 * as made (0: written as a float, then no tf weight can stand for it). */
static sl_error read_weight(const weights *w, double x, const unsigned char **p,
                            const unsigned char *end, float *out)
{
    uint64_t code;
    size_t used = get_varint(*p, end, &code);
    if (!used || code > (uint64_t)w->n || (code && !x))
        return SL_ERR_STORE;
    *p += used;
    if (code) {
        *out = weight_of(w->tw[code - 1], x, w->inv);
        return SL_OK;
    }
    if ((size_t)(end - *p) < sizeof *out)
        return SL_ERR_STORE;
    memcpy(out, *p, sizeof *out);
    *p += sizeof *out;
    return SL_OK;
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
    return x;
}

/* An id of ID_BYTES bytes, least significant first. */
static uint64_t get_id(const unsigned char *p)
{
    uint64_t x = 0;
    for (int i = ID_BYTES - 1; i >= 0; i--)
        x = x << 8 | p[i];
    return x;
}

static void put_id(unsigned char *p, uint64_t id)
{
    for (int i = 0; i < ID_BYTES; i++, id >>= 8)
        p[i] = (unsigned char)id;
}

/* t[0..n) in id order: of a run of equal ids, the first kept. The count left. */
static uint32_t drop_repeated_ids(cterm *t, uint32_t n)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        if (!k || t[i].id != t[k - 1].id)
            t[k++] = t[i];
    return k;
}

static sl_error read_blob(cevent *ev, const unsigned char *p, size_t len)
{
    const unsigned char *end = p + len;
    uint32_t magic;
    if (len < sizeof magic)
        return SL_ERR_STORE;
    memcpy(&magic, p, sizeof magic);
    uint32_t layout = magic & ~0xFFu, views = magic & 0xFFu;
    int coded = layout == (BLOB_MAGIC & ~0xFFu) || layout == BLOB_MAGIC_IDS64;
    int short_ids = layout == (BLOB_MAGIC & ~0xFFu);
    size_t id_bytes = short_ids ? ID_BYTES : sizeof(uint64_t);
    int bitmap = coded || layout == BLOB_MAGIC_BITMAP;
    int floats = bitmap || layout == BLOB_MAGIC_Q_ALL ? 3 : layout == BLOB_MAGIC_NO_Q ? 2
               : layout == BLOB_MAGIC_NO_IDF ? 1 : 0;
    if (!floats || views < BLOB_VIEWS_OLDEST || views > VIEWS)
        return SL_ERR_STORE_VERSION;
    p += sizeof magic;
    bases b = {.n = 0};
    weights wt = {.n = 0};
    idf_cache *cache = NULL;
    if (coded) {
        sl_error err = read_bases(&p, end, &b);
        for (int k = b.n; !err && k-- > 0;) /* the blob's first the newest */
            sli_cevent_hint_base(ev, b.a[k]);
        if (!err)
            err = read_tf_weights(&p, end, &wt);
        if (err)
            return err;
        cache = malloc(sizeof *cache);
        if (!cache)
            return SL_ERR_NOMEM;
        memset(cache->made, 0, sizeof cache->made);
    }
    sl_error err = SL_OK;
    for (int v = 0; !err && v < (int)views; v++) {
        uint32_t n;
        if ((size_t)(end - p) < sizeof n) {
            err = SL_ERR_STORE;
            break;
        }
        memcpy(&n, p, sizeof n);
        p += sizeof n;
        const unsigned char *q_of_w = NULL; /* the bitmap, if any */
        uint32_t squared = 0;               /* terms whose q is not written */
        if (bitmap) {
            if ((size_t)(end - p) < ((size_t)n + 7) / 8) {
                err = SL_ERR_STORE;
                break;
            }
            q_of_w = p;
            p += ((size_t)n + 7) / 8;
            for (uint32_t i = 0; i < n; i++)
                squared += q_of_w[i / 8] >> (i % 8) & 1u;
        }
        if (coded && (err = read_view_weights(&p, end, &wt)))
            break;
        /* the least the terms take: with coded IDFs, a byte for each code */
        size_t least = coded ? (size_t)n * (id_bytes + 1 + (wt.on ? 1 : sizeof(float))) +
                                   ((size_t)n - squared) * sizeof(float)
                             : (size_t)n * (sizeof(uint64_t) + (size_t)floats * sizeof(float)) -
                                   (size_t)squared * sizeof(float);
        if ((size_t)(end - p) < least) {
            err = SL_ERR_STORE;
            break;
        }
        centroid *c = &ev->c[v];
        c->t = malloc((n ? n : 1) * sizeof *c->t);
        if (!c->t) {
            err = SL_ERR_NOMEM;
            break;
        }
        for (uint32_t i = 0; !err && i < n; i++) {
            int one = q_of_w && (q_of_w[i / 8] >> (i % 8) & 1u);
            cterm *t = &c->t[i];
            t->idf = 0;
            t->q = 0;
            if (coded) {
                uint64_t code;
                double x;
                size_t used, at = id_bytes + (wt.on ? 0 : sizeof(float));
                if ((size_t)(end - p) < at || !(used = get_varint(p + at, end, &code))) {
                    err = SL_ERR_STORE;
                    break;
                }
                t->id = short_ids ? get_id(p) : sli_term_id(get_u64(p));
                if (!wt.on)
                    memcpy(&t->w, p + id_bytes, sizeof(float));
                p += at + used;
                if ((err = read_idf(&b, cache, code, p, end, &t->idf, &x, &used)))
                    break;
                p += used;
                if (wt.on && (err = read_weight(&wt, x, &p, end, &t->w)))
                    break;
                if (!one) {
                    if ((size_t)(end - p) < sizeof(float)) {
                        err = SL_ERR_STORE;
                        break;
                    }
                    memcpy(&t->q, p, sizeof(float));
                    p += sizeof(float);
                }
            } else {
                int here = one ? floats - 1 : floats;
                float f[3] = {0, 0, 0};
                t->id = sli_term_id(get_u64(p));
                memcpy(f, p + sizeof(uint64_t), (size_t)here * sizeof(float));
                t->w = f[0];
                t->idf = f[1];
                t->q = f[2];
                p += sizeof(uint64_t) + (size_t)here * sizeof(float);
            }
            if (one)
                t->q = q_of_one(t->w);
        }
        c->n = err ? 0 : n;
        if (err)
            break;
        if (!short_ids) /* whole hashes taken to their top bits: ids met twice kept once */
            c->n = n = drop_repeated_ids(c->t, n);
        double s = 0;
        for (uint32_t i = 0; i < n; i++)
            s += (double)c->t[i].w * c->t[i].w;
        c->norm2 = s;
    }
    free(cache);
    return err;
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

/* The tf weights a view of one article may use: features.c's 1 + ln tf. Only guesses:
 * what a blob holds is the floats themselves. */
static void tf_weights(float tf[TF_MAX])
{
    for (int k = 0; k < TF_MAX; k++)
        tf[k] = 1.0f + logf((float)(k + 1));
}

/* How many of t[0..n) (one view of an article's centroid; base, df: their IDFs' codes)
 * weight_of(tf[k[i] - 1], x[i], inv) gives back bit for bit (x: their IDFs as made). */
static uint32_t weights_met(const cterm *const *t, uint32_t n, const double *x,
                            const unsigned char *k, const float *tf, double inv)
{
    uint32_t met = 0;
    for (uint32_t i = 0; i < n; i++)
        met += k[i] && same_float(weight_of(tf[k[i] - 1], x[i], inv), t[i]->w);
    return met;
}

/* The weights of t[0..n) (a view) as one article made them: w->on and w->inv, and k[i]
 * the tf weight (1 + its index in tf) that gives term i's weight back (0: none, the float
 * is written). The article's inv is guessed from the terms (the least weight over IDF is
 * nearly always of tf 1), each term's tf weight from its ratio, and inv made exact again
 * from their lengths (the view kept all of the article's terms) or from one term's ratio,
 * each tried a double's width or two either side; kept if it pays. */
static void find_weights(const cterm *const *t, uint32_t n, const signed char *base,
                         const double *df, const bases *b, const float *tf, weights *w,
                         unsigned char *k)
{
    w->on = 0;
    memset(k, 0, n);
    double least = INFINITY, *x = malloc((n ? n : 1) * sizeof *x);
    if (!x)
        return;
    for (uint32_t i = 0; i < n; i++) {
        x[i] = base[i] >= 0 ? idf_exact(b->a[base[i]], df[i]) : 0;
        if (x[i] > 0 && t[i]->w > 0 && t[i]->w / x[i] < least)
            least = t[i]->w / x[i];
    }
    double norm2 = 0, some = 0;
    for (uint32_t i = 0; i < n && isfinite(least); i++) {
        if (!(x[i] > 0) || !(t[i]->w > 0))
            continue;
        /* the tf weight nearest the ratio: 1 + ln tf, so tf near e^(ratio - 1) */
        double want = t[i]->w / (x[i] * least), guess = nearbyint(exp(want - 1));
        if (!(guess <= TF_MAX + 1))
            continue; /* no tf weight near (a count past TF_MAX, or a weight not so made) */
        int best = -1;
        for (double g = guess - 1; g <= guess + 1; g++)
            if (g >= 1 && g <= TF_MAX &&
                (best < 0 || fabs(tf[(int)g - 1] - want) < fabs(tf[best] - want)))
                best = (int)g - 1;
        if (best < 0)
            continue;
        k[i] = (unsigned char)(best + 1);
        float w0 = (float)(tf[best] * x[i]);
        norm2 += (double)w0 * w0;
        if (!some)
            some = t[i]->w / (double)w0;
    }
    double tries[2] = {norm2 > 0 ? 1 / sqrt(norm2) : 0, some}, inv = 0;
    uint32_t most = 0;
    for (int c = 0; c < 2 && most < n; c++)
        for (int step = -2; step <= 2 && tries[c] > 0; step++) {
            double at = tries[c];
            for (int s = 0; s < abs(step); s++)
                at = nextafter(at, step < 0 ? 0 : INFINITY);
            uint32_t met = weights_met(t, n, x, k, tf, at);
            if (met > most) {
                most = met;
                inv = at;
            }
        }
    /* worth it when the bytes saved (3 a term given back, less 1 for each other term's
     * code) pass the double */
    if (4 * (size_t)most < n + sizeof inv) {
        memset(k, 0, n);
    } else {
        for (uint32_t i = 0; i < n; i++)
            if (k[i] && !same_float(weight_of(tf[k[i] - 1], x[i], inv), t[i]->w))
                k[i] = 0;
        w->on = 1;
        w->inv = inv;
    }
    free(x);
}

/* ev's centroid as a blob (malloc'd; NULL when out of memory), its length in *len. */
static unsigned char *write_blob(idf_memo *memo, const cevent *ev, size_t *len)
{
    size_t nt = 0;
    for (int v = 0; v < VIEWS; v++)
        nt += ev->c[v].n;
    unsigned char *blob = calloc(1, blob_size(ev)), *p = blob;
    const cterm **t = malloc((nt ? nt : 1) * sizeof *t);
    signed char *base = malloc(nt ? nt : 1);
    double *df = malloc((nt ? nt : 1) * sizeof *df);
    unsigned char *wcode = malloc(nt ? nt : 1);
    if (!blob || !t || !base || !df || !wcode) {
        free(blob);
        free(t);
        free(base);
        free(df);
        free(wcode);
        return NULL;
    }
    nt = 0;
    for (int v = 0; v < VIEWS; v++)
        for (uint32_t i = 0; i < ev->c[v].n; i++)
            t[nt++] = &ev->c[v].t[i];
    bases b;
    find_bases(memo, ev, t, nt, &b, base, df);
    /* the views' weights, if one article's: their tf weights, the blob's in one list */
    weights view[VIEWS], wt = {.n = 0};
    float tf[TF_MAX];
    int slot[TF_MAX] = {0};
    tf_weights(tf);
    memset(wcode, 0, nt);
    for (int v = 0, at = 0; v < VIEWS; at += (int)ev->c[v].n, v++) {
        view[v].on = 0;
        if (ev->n == 1 && ev->c[v].n) /* only one article's weights are made so */
            find_weights(t + at, ev->c[v].n, base + at, df + at, &b, tf, &view[v], wcode + at);
    }
    for (size_t i = 0; i < nt; i++) {
        if (!wcode[i])
            continue;
        if (!slot[wcode[i] - 1]) {
            wt.tw[wt.n] = tf[wcode[i] - 1];
            slot[wcode[i] - 1] = ++wt.n;
        }
        wcode[i] = (unsigned char)slot[wcode[i] - 1];
    }
    uint32_t magic = BLOB_MAGIC;
    memcpy(p, &magic, sizeof magic);
    p += sizeof magic;
    *p++ = (unsigned char)b.n;
    memcpy(p, b.a, (size_t)b.n * sizeof(double));
    p += (size_t)b.n * sizeof(double);
    *p++ = (unsigned char)wt.n;
    memcpy(p, wt.tw, (size_t)wt.n * sizeof(float));
    p += (size_t)wt.n * sizeof(float);
    size_t at = 0;
    for (int v = 0; v < VIEWS; v++) {
        uint32_t n = ev->c[v].n;
        memcpy(p, &n, sizeof n);
        p += sizeof n;
        unsigned char *q_of_w = p; /* zeroed by calloc */
        p += ((size_t)n + 7) / 8;
        int on = view[v].on && wt.n;
        *p++ = (unsigned char)on;
        if (on) {
            memcpy(p, &view[v].inv, sizeof view[v].inv);
            p += sizeof view[v].inv;
        }
        for (uint32_t i = 0; i < n; i++, at++) {
            const cterm *c = t[at];
            put_id(p, c->id);
            p += ID_BYTES;
            if (!on) {
                memcpy(p, &c->w, sizeof(float));
                p += sizeof(float);
            }
            uint64_t code = base[at] < 0 ? 0 : 1 + (uint64_t)base[at] +
                                               (uint64_t)b.n * (uint64_t)df[at];
            p += put_varint(p, code);
            if (!code) {
                memcpy(p, &c->idf, sizeof(float));
                p += sizeof(float);
            }
            if (on) {
                p += put_varint(p, wcode[at]);
                if (!wcode[at]) {
                    memcpy(p, &c->w, sizeof(float));
                    p += sizeof(float);
                }
            }
            /* compared as bits: q_of_one gives back exactly these */
            if (same_float(q_of_one(c->w), c->q)) {
                q_of_w[i / 8] |= (unsigned char)(1u << (i % 8));
            } else {
                memcpy(p, &c->q, sizeof(float));
                p += sizeof(float);
            }
        }
    }
    free(t);
    free(base);
    free(df);
    free(wcode);
    *len = (size_t)(p - blob);
    return blob;
}

unsigned char *sli_event_blob(idf_memo *memo, const cevent *ev, size_t *len, sl_error *err)
{
    *len = 0;
    *err = SL_ERR_INVALID; /* not a term id (sli_term_id) */
    for (int v = 0; v < VIEWS; v++)
        for (uint32_t i = 0; i < ev->c[v].n; i++)
            if (ev->c[v].t[i].id >> (8 * ID_BYTES))
                return NULL;
    unsigned char *blob = write_blob(memo, ev, len);
    *err = blob ? SL_OK : SL_ERR_NOMEM;
    return blob;
}

store_event_row sli_event_row(const cevent *ev, const void *blob, size_t len)
{
    return (store_event_row){
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
}

sl_error sli_event_save(store_events *es, idf_memo *memo, const cevent *ev)
{
    size_t len;
    sl_error err;
    unsigned char *blob = sli_event_blob(memo, ev, &len, &err);
    if (!blob)
        return err;
    store_event_row row = sli_event_row(ev, blob, len);
    err = sli_store_event_put(es, &row);
    free(blob);
    return err;
}
