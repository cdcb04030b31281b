/* dedup.c — candidates from bands and paragraphs, verification on exact shingle sets,
 * families guarded against chains. */
#include "dedup.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../core/hset.h"
#include "../sketch/sketch.h"
#include "../text/normalize.h"

#define BANDS 32
#define ROWS (SKETCH_K / BANDS)
#define PARA_MIN_WORDS 10
#define MAX_CANDIDATES 100

/* A text's sorted, distinct shingle hashes. */
typedef struct shingle_set {
    uint64_t *v;
    size_t n, cap;
} shingle_set;

static void collect(void *user, uint64_t h)
{
    shingle_set *s = user;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        uint64_t *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return; /* out of memory: a smaller set, a weaker match */
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = h;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void shingles_of(const char *norm, size_t len, shingle_set *s)
{
    s->n = 0;
    sketch_each_shingle(norm, len, collect, s);
    qsort(s->v, s->n, sizeof *s->v, cmp_u64);
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++)
        if (!k || s->v[k - 1] != s->v[i])
            s->v[k++] = s->v[i];
    s->n = k;
}

/* Jaccard and containment of two sorted sets. */
static void compare(const shingle_set *a, const shingle_set *b, double *j, double *c)
{
    size_t i = 0, k = 0, inter = 0;
    while (i < a->n && k < b->n) {
        if (a->v[i] < b->v[k])
            i++;
        else if (a->v[i] > b->v[k])
            k++;
        else
            inter++, i++, k++;
    }
    size_t uni = a->n + b->n - inter, small = a->n < b->n ? a->n : b->n;
    *j = uni ? (double)inter / (double)uni : 0;
    *c = small ? (double)inter / (double)small : 0;
}

/* A Bloom filter over every key in the index (bands and paragraphs, the latter with a
 * different salt): most keys of a new article are in no other article, and the filter
 * answers those without a search in SQLite's b-tree. 16 bits a key, 4 probes: about
 * 0.2% false positives, which only cost a search. */
typedef struct bloom {
    uint64_t *bits;
    uint64_t mask; /* number of bits - 1 (a power of two) */
} bloom;

#define PARA_SALT 0x5bd1e9955bd1e995ull

static int bloom_init(bloom *b, uint64_t keys)
{
    uint64_t nbits = 1 << 16;
    while (nbits < keys * 16)
        nbits <<= 1;
    b->bits = calloc(nbits / 64, sizeof *b->bits);
    b->mask = nbits - 1;
    return b->bits != NULL;
}

static void bloom_add(bloom *b, uint64_t key)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ull, step = (key >> 29 | 1) * 0xBF58476D1CE4E5B9ull;
    for (int i = 0; i < 4; i++, h += step)
        b->bits[(h & b->mask) >> 6] |= 1ull << (h & 63);
}

static int bloom_maybe(const bloom *b, uint64_t key)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ull, step = (key >> 29 | 1) * 0xBF58476D1CE4E5B9ull;
    for (int i = 0; i < 4; i++, h += step)
        if (!(b->bits[(h & b->mask) >> 6] >> (h & 63) & 1))
            return 0;
    return 1;
}

typedef struct matcher {
    sl_store *st;
    store_dedup d;
    buf text, norm, line;
    shingle_set mine, theirs;
    hset candidates;
    long long cand[MAX_CANDIDATES];
    size_t ncand;
    long long self;
    sqlite3_stmt *put_sketch;
    bloom keys; /* every key in the index, to skip searches for keys no one has */
    sl_error err;
} matcher;

static void add_candidate(void *user, long long rid)
{
    matcher *m = user;
    if (rid == m->self || m->ncand >= MAX_CANDIDATES)
        return;
    if (hset_add(&m->candidates, (uint64_t)rid) == 1)
        m->cand[m->ncand++] = rid;
}

/* The normalised text and shingle set of article rid into *set (via m's buffers). */
static sl_error load_set(matcher *m, long long rid, shingle_set *set, char date[32],
                         long long *shingles)
{
    sl_error err = store_dedup_article(&m->d, rid, &m->text, date, shingles);
    buf_clear(&m->norm);
    if (!err)
        err = text_normalize(buf_str(&m->text), m->text.len, &m->norm);
    if (!err)
        shingles_of(buf_str(&m->norm), m->norm.len, set);
    return err;
}

/* Paragraph keys: the normalised cleaned lines of PARA_MIN_WORDS words or more. */
static size_t paragraph_keys(matcher *m, uint64_t *keys, size_t max)
{
    const char *t = buf_str(&m->text);
    size_t n = m->text.len, k = 0, i = 0;
    while (i < n && k < max) {
        const char *nl = memchr(t + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - t) : n, words = 0;
        for (size_t j = i; j < end; j++)
            words += t[j] == ' ';
        if (words + 1 >= PARA_MIN_WORDS) {
            buf_clear(&m->line);
            if (text_normalize(t + i, end - i, &m->line) == SL_OK)
                keys[k++] = XXH3_64bits(buf_str(&m->line), m->line.len);
        }
        i = end + 1;
    }
    return k;
}

static sl_error match_one(void *user, long long rid)
{
    matcher *m = user;
    char date[32];
    long long shingles;
    sl_error err = store_dedup_article(&m->d, rid, &m->text, date, &shingles);
    buf_clear(&m->norm);
    if (!err)
        err = text_normalize(buf_str(&m->text), m->text.len, &m->norm);
    if (err)
        return err;
    /* The signature is made here and saved too: one pass over the batch for both. */
    sketch sk;
    sketch_text(buf_str(&m->norm), m->norm.len, &sk);
    err = store_put_sketch(m->st, &m->put_sketch, rid, sk.v, sizeof sk.v, sk.shingles);
    if (err)
        return err;
    uint64_t bands[BANDS], paras[256];
    for (int b = 0; b < BANDS; b++)
        bands[b] = XXH3_64bits_withSeed(&sk.v[b * ROWS], ROWS * sizeof sk.v[0], (uint64_t)b);
    size_t nparas = paragraph_keys(m, paras, sizeof paras / sizeof paras[0]);

    /* Candidates: articles sharing a band or a paragraph. */
    m->self = rid;
    m->ncand = 0;
    hset_free(&m->candidates);
    if (!hset_init(&m->candidates, 64))
        return SL_ERR_NOMEM;
    for (int b = 0; !err && sk.shingles && b < BANDS; b++)
        if (bloom_maybe(&m->keys, bands[b]))
            err = store_dedup_candidates(&m->d, 0, bands[b], add_candidate, m);
    for (size_t p = 0; !err && p < nparas; p++)
        if (bloom_maybe(&m->keys, paras[p] ^ PARA_SALT))
            err = store_dedup_candidates(&m->d, 1, paras[p], add_candidate, m);

    /* The best verified match; the exact shingle set only when there is a candidate. */
    long long best = 0;
    double best_j = 0, best_c = 0;
    if (m->ncand)
        shingles_of(buf_str(&m->norm), m->norm.len, &m->mine);
    else
        m->mine.n = 0;
    shingle_set mine = m->mine;
    for (size_t i = 0; !err && i < m->ncand && mine.n >= 5; i++) {
        char d2[32];
        long long s2;
        err = load_set(m, m->cand[i], &m->theirs, d2, &s2);
        if (err)
            break;
        double j, c;
        compare(&mine, &m->theirs, &j, &c);
        if ((j >= 0.4 || c >= 0.8) && m->theirs.n >= 5 && j + c > best_j + best_c) {
            best = m->cand[i];
            best_j = j;
            best_c = c;
        }
    }
    if (!err && best) {
        long long family;
        err = store_dedup_family(&m->d, best, &family);
        int join = 1;
        if (!err && family && family != best) {
            /* The family's first article must match too: no chains of weak links. */
            char d2[32];
            long long s2;
            err = load_set(m, family, &m->theirs, d2, &s2);
            double j, c;
            compare(&mine, &m->theirs, &j, &c);
            join = c >= 0.5;
        }
        if (!err && join) {
            if (!family) {
                family = best;
                err = store_dedup_set_member(&m->d, best, family, 0, 1, 1);
            }
            if (!err)
                err = store_dedup_set_member(&m->d, rid, family, best, best_j, best_c);
        }
    }
    m->mine = mine;
    if (!err)
        err = store_dedup_add_keys(&m->d, rid, bands, sk.shingles ? BANDS : 0, paras, nparas);
    for (int b = 0; !err && sk.shingles && b < BANDS; b++)
        bloom_add(&m->keys, bands[b]);
    for (size_t p = 0; !err && p < nparas; p++)
        bloom_add(&m->keys, paras[p] ^ PARA_SALT);
    return err;
}

static void matcher_init(matcher *m, sl_store *st)
{
    memset(m, 0, sizeof *m);
    m->st = st;
    buf_init(&m->text, BUF_UNLIMITED);
    buf_init(&m->norm, BUF_UNLIMITED);
    buf_init(&m->line, BUF_UNLIMITED);
}

static void matcher_free(matcher *m)
{
    store_dedup_close(&m->d);
    sqlite3_finalize(m->put_sketch);
    buf_free(&m->text);
    buf_free(&m->norm);
    buf_free(&m->line);
    free(m->mine.v);
    free(m->theirs.v);
    free(m->keys.bits);
    hset_free(&m->candidates);
}

static void bloom_add_band(void *user, uint64_t key)
{
    bloom_add(user, key);
}

static void bloom_add_para(void *user, uint64_t key)
{
    bloom_add(user, key ^ PARA_SALT);
}

sl_error dedup_stored(sl_store *st, long long batch)
{
    matcher m;
    matcher_init(&m, st);
    sl_error err = store_dedup_open(st, &m.d);
    /* The filter holds the keys already stored and those this batch will add (about 50 an
     * article). */
    long long stored = 0, arriving = 0;
    if (!err)
        err = store_dedup_counts(st, batch, &stored, &arriving);
    if (!err && !bloom_init(&m.keys, (uint64_t)(stored + arriving * 50)))
        err = SL_ERR_NOMEM;
    if (!err)
        err = store_dedup_each_key(st, bloom_add_band, bloom_add_para, &m.keys);
    if (!err)
        err = store_each_rid_by_date(st, batch, match_one, &m);
    matcher_free(&m);
    return err;
}

sl_error dedup_rebuild(sl_store *st)
{
    sl_error err = store_dedup_clear(st);
    return err ? err : dedup_stored(st, 0);
}

/* --- reading families --- */

typedef struct family_reader {
    matcher m;
    sl_error (*fn)(void *user, long long family, const dedup_member *members, size_t n);
    void *user;
    dedup_member *members;
    size_t cap;
} family_reader;

static sl_error one_family(void *user, long long family, const long long *rids, size_t n)
{
    family_reader *r = user;
    if (n < 2)
        return SL_OK;
    if (n > r->cap) {
        dedup_member *v = realloc(r->members, n * sizeof *v);
        if (!v)
            return SL_ERR_NOMEM;
        r->members = v;
        r->cap = n;
    }
    /* The origin: the earliest day (undated last); on the same day the earlier time (a
     * date without a time after one with it), then the longest text, then the smallest id,
     * so that the origin does not depend on the order the articles arrived in. */
    size_t origin = 0;
    char best_date[32] = "", date[32];
    long long best_shingles = -1, shingles;
    buf best_id;
    buf_init(&best_id, BUF_UNLIMITED);
    for (size_t i = 0; i < n; i++) {
        sl_error err = store_dedup_article(&r->m.d, rids[i], &r->m.text, date, &shingles);
        if (!err)
            err = store_dedup_article_id(&r->m.d, rids[i], &r->m.line);
        if (err) {
            buf_free(&best_id);
            return err;
        }
        int better = i == 0;
        if (!better) {
            int c = strncmp(date[0] ? date : "9999", best_date[0] ? best_date : "9999", 10);
            if (!c) /* same day: compare the times, a missing one last */
                c = strcmp(strlen(date) > 10 ? date + 10 : "~",
                           strlen(best_date) > 10 ? best_date + 10 : "~");
            if (!c)
                c = shingles > best_shingles ? -1 : shingles < best_shingles;
            if (!c)
                c = strcmp(buf_str(&r->m.line), buf_str(&best_id));
            better = c < 0;
        }
        if (better) {
            origin = i;
            memcpy(best_date, date, sizeof date);
            best_shingles = shingles;
            buf_clear(&best_id);
            buf_puts(&best_id, buf_str(&r->m.line));
        }
    }
    buf_free(&best_id);
    char d[32];
    long long s;
    sl_error err = load_set(&r->m, rids[origin], &r->m.mine, d, &s);
    size_t k = 0;
    r->members[k++] = (dedup_member){rids[origin], 1, 1, "origin"};
    for (size_t i = 0; !err && i < n; i++) {
        if (i == origin)
            continue;
        err = load_set(&r->m, rids[i], &r->m.theirs, d, &s);
        double j = 0, c = 0;
        compare(&r->m.mine, &r->m.theirs, &j, &c);
        const char *rel = j >= 0.8 ? "copy" : c >= 0.8 ? "contained" : "rewrite";
        r->members[k++] = (dedup_member){rids[i], j, c, rel};
    }
    return err ? err : r->fn(r->user, family, r->members, k);
}

sl_error dedup_each_family(sl_store *st,
                           sl_error (*fn)(void *user, long long family,
                                          const dedup_member *members, size_t n),
                           void *user)
{
    family_reader r = {.fn = fn, .user = user};
    matcher_init(&r.m, st);
    sl_error err = store_dedup_open(st, &r.m.d);
    if (!err)
        err = store_each_family(st, one_family, &r);
    matcher_free(&r.m);
    free(r.members);
    return err;
}
