/* dedup.c — a batch's matching: keys noted while cleaning, candidates from memory and the
 * store, verification on exact shingle sets, families guarded against chains. */
#include "dedup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../core/hset.h"
#include "../sketch/sketch.h"
#include "../text/normalize.h"
#include "bloom.h"
#include "key_index.h"
#include "shingle_set.h"

#define BANDS 32
#define ROWS (SKETCH_K / BANDS)
#define PARA_MIN_WORDS 10
#define MAX_PARAS 256        /* paragraph keys kept per article */
#define MAX_CANDIDATES 100   /* verified per article */
#define MAX_PER_KEY 64       /* articles taken from one key */
#define KEYS_PER_ARTICLE 42  /* about: 32 bands and ~10 paragraphs */
/* Paragraph keys share the in-memory index and the Bloom filter with band keys. */
#define PARA_SALT 0x5bd1e9955bd1e995ull

/* What matching needs of one noted article. */
typedef struct prep {
    long long rid;
    uint64_t bands[BANDS];
    uint32_t shingles;
    uint32_t para_at, nparas; /* into dedup_run.paras */
    char date[32];            /* "" when undated */
} prep;

/* A verified candidate. */
typedef struct verified {
    long long rid;
    double j, c;
} verified;

/* What the cleaning threads prepare for one article of a chunk. */
typedef struct slot_work {
    prep p;
    sketch sk;
    uint64_t paras[MAX_PARAS];
} slot_work;

struct dedup_run {
    sl_store *st;
    store_dedup d;
    sqlite3_stmt *put_sketch;
    buf text, norm;
    buf *thread_norm; /* one a preparing thread */
    unsigned threads, nslots;
    slot_work *slots;
    prep *preps;
    size_t n, cap;
    uint64_t *paras;
    size_t nparas, paras_cap;

    /* matching */
    key_index *ix;          /* keys of the batch's articles matched so far */
    int stored;             /* the store has keys of earlier batches */
    int use_bloom;
    bloom keys;             /* over the stored keys, when use_bloom */
    hset seen;
    long long cand[MAX_CANDIDATES];
    size_t ncand;
    long long self;
    verified ok[MAX_CANDIDATES];
    shingle_set mine, theirs, root_a, root_b;
};

sl_error dedup_run_create(sl_store *st, unsigned threads, unsigned slots, dedup_run **out)
{
    dedup_run *r = calloc(1, sizeof *r);
    if (!r)
        return SL_ERR_NOMEM;
    r->st = st;
    buf_init(&r->text, BUF_UNLIMITED);
    buf_init(&r->norm, BUF_UNLIMITED);
    r->thread_norm = calloc(threads ? threads : 1, sizeof *r->thread_norm);
    r->slots = calloc(slots ? slots : 1, sizeof *r->slots);
    r->threads = threads ? threads : 1;
    r->nslots = slots ? slots : 1;
    sl_error err = !r->thread_norm || !r->slots ? SL_ERR_NOMEM : SL_OK;
    for (unsigned t = 0; !err && t < r->threads; t++)
        buf_init(&r->thread_norm[t], BUF_UNLIMITED);
    if (!err)
        err = store_dedup_open(st, &r->d);
    if (err) {
        dedup_run_free(r);
        return err;
    }
    *out = r;
    return SL_OK;
}

void dedup_run_free(dedup_run *r)
{
    if (!r)
        return;
    store_dedup_close(&r->d);
    sqlite3_finalize(r->put_sketch);
    buf_free(&r->text);
    buf_free(&r->norm);
    for (unsigned t = 0; r->thread_norm && t < r->threads; t++)
        buf_free(&r->thread_norm[t]);
    free(r->thread_norm);
    free(r->slots);
    free(r->preps);
    free(r->paras);
    key_index_free(r->ix);
    bloom_free(&r->keys);
    hset_free(&r->seen);
    shingle_set_free(&r->mine);
    shingle_set_free(&r->theirs);
    shingle_set_free(&r->root_a);
    shingle_set_free(&r->root_b);
    free(r);
}

/* --- noting articles --- */

/* The normalised text into norm, line by line, which is the same as normalising it
 * whole (a line break is a space, and nothing composes across it); on the way, the
 * paragraph keys: the hashes of the normalised lines of PARA_MIN_WORDS words or more. */
static sl_error normalize_lines(buf *norm, const char *t, size_t n, slot_work *w)
{
    buf_clear(norm);
    w->p.nparas = 0;
    sl_error err = SL_OK;
    for (size_t i = 0; i < n && !err;) {
        const char *nl = memchr(t + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - t) : n, words = 0;
        size_t from = norm->len, at = from + (from > 0);
        if (from)
            err = buf_putc(norm, ' ');
        if (!err)
            err = text_normalize(t + i, end - i, norm);
        if (!err && from && norm->len == at) /* the line normalised to nothing */
            norm->data[--norm->len] = '\0';
        for (size_t j = i; j < end; j++)
            words += t[j] == ' ';
        if (!err && words + 1 >= PARA_MIN_WORDS && w->p.nparas < MAX_PARAS && norm->len > at)
            w->paras[w->p.nparas++] = XXH3_64bits(norm->data + at, norm->len - at);
        i = end + 1;
    }
    return err;
}

sl_error dedup_run_prepare(dedup_run *r, unsigned thread, unsigned slot, long long rid,
                           const char *text, size_t len, const char *date)
{
    if (thread >= r->threads || slot >= r->nslots)
        return SL_ERR_INVALID;
    slot_work *w = &r->slots[slot];
    buf *norm = &r->thread_norm[thread];
    memset(&w->p, 0, sizeof w->p);
    w->p.rid = rid;
    if (date)
        snprintf(w->p.date, sizeof w->p.date, "%s", date);
    sl_error err = normalize_lines(norm, text, len, w);
    if (err)
        return err;
    sketch_text(buf_str(norm), norm->len, &w->sk);
    w->p.shingles = w->sk.shingles;
    for (int b = 0; b < BANDS; b++)
        w->p.bands[b] =
            XXH3_64bits_withSeed(&w->sk.v[b * ROWS], ROWS * sizeof w->sk.v[0], (uint64_t)b);
    return SL_OK;
}

sl_error dedup_run_note(dedup_run *r, unsigned slot)
{
    if (slot >= r->nslots)
        return SL_ERR_INVALID;
    const slot_work *w = &r->slots[slot];
    sl_error err = store_put_sketch(r->st, &r->put_sketch, w->p.rid, w->sk.v, sizeof w->sk.v,
                                    w->sk.shingles);
    if (err)
        return err;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        prep *v = realloc(r->preps, cap * sizeof *v);
        if (!v)
            return SL_ERR_NOMEM;
        r->preps = v;
        r->cap = cap;
    }
    if (r->nparas + w->p.nparas > r->paras_cap) {
        size_t cap = r->paras_cap ? r->paras_cap * 2 : 4096;
        while (cap < r->nparas + w->p.nparas)
            cap *= 2;
        uint64_t *v = realloc(r->paras, cap * sizeof *v);
        if (!v)
            return SL_ERR_NOMEM;
        r->paras = v;
        r->paras_cap = cap;
    }
    prep *p = &r->preps[r->n++];
    *p = w->p;
    p->para_at = (uint32_t)r->nparas;
    if (w->p.nparas)
        memcpy(r->paras + r->nparas, w->paras, w->p.nparas * sizeof *w->paras);
    r->nparas += w->p.nparas;
    return SL_OK;
}

sl_error dedup_sink_prepare(void *user, unsigned thread, unsigned slot, const clean_done *a)
{
    return dedup_run_prepare(user, thread, slot, a->rid, a->text, a->len, a->date);
}

sl_error dedup_sink_done(void *user, unsigned slot, const clean_done *a)
{
    (void)a;
    return dedup_run_note(user, slot);
}

/* --- candidates --- */

static void add_candidate(dedup_run *r, long long rid)
{
    if (rid == r->self || r->ncand >= MAX_CANDIDATES)
        return;
    /* hset sets the low bit of what it stores: shifted, rids 2k and 2k+1 stay apart. */
    if (hset_add(&r->seen, (uint64_t)rid << 1) == 1)
        r->cand[r->ncand++] = rid;
}

typedef struct walk {
    dedup_run *r;
    int left;
} walk;

static void batch_candidate(void *user, uint32_t value)
{
    walk *w = user;
    if (w->left-- > 0)
        add_candidate(w->r, w->r->preps[value].rid);
}

static void stored_candidate(void *user, long long rid)
{
    add_candidate(user, rid);
}

static sl_error lookup(dedup_run *r, int paragraphs, uint64_t key)
{
    uint64_t salted = paragraphs ? key ^ PARA_SALT : key;
    walk w = {r, MAX_PER_KEY};
    key_index_each(r->ix, salted, batch_candidate, &w);
    if (!r->stored || (r->use_bloom && !bloom_maybe(&r->keys, salted)))
        return SL_OK;
    return store_dedup_candidates(&r->d, paragraphs, key, stored_candidate, r);
}

/* --- verification --- */

sl_error dedup_load_set(store_dedup *d, long long rid, buf *text, buf *norm, shingle_set *set)
{
    char date[32];
    long long shingles;
    sl_error err = store_dedup_article(d, rid, text, date, &shingles);
    buf_clear(norm);
    if (!err)
        err = text_normalize(buf_str(text), text->len, norm);
    if (!err && !shingle_set_of(set, buf_str(norm), norm->len))
        err = SL_ERR_NOMEM;
    return err;
}

static sl_error load_set(dedup_run *r, long long rid, shingle_set *set)
{
    return dedup_load_set(&r->d, rid, &r->text, &r->norm, set);
}

/* Does an article that matched `rid` with (j, c) belong with it, and is it a copy? */
static int is_match(double j, double c)
{
    return j >= 0.4 || c >= 0.8;
}

static int is_copy(double j, double c)
{
    return j >= 0.8 || c >= 0.8;
}

/* Families a and b (the rids of their first articles) are one story when their first
 * articles match each other's text (C >= 0.5): then a copy of both merges them. */
static sl_error maybe_merge(dedup_run *r, long long *family, long long other)
{
    sl_error err = load_set(r, *family, &r->root_a);
    if (!err)
        err = load_set(r, other, &r->root_b);
    if (err)
        return err;
    double j, c;
    shingle_set_compare(&r->root_a, &r->root_b, &j, &c);
    if (c < 0.5)
        return SL_OK;
    long long keep = *family < other ? *family : other, gone = *family < other ? other : *family;
    err = store_dedup_merge(&r->d, keep, gone);
    if (!err)
        *family = keep;
    return err;
}

static sl_error match_one(dedup_run *r, uint32_t i)
{
    const prep *p = &r->preps[i];
    r->self = p->rid;
    r->ncand = 0;
    hset_free(&r->seen);
    if (!hset_init(&r->seen, 64))
        return SL_ERR_NOMEM;
    sl_error err = SL_OK;
    for (int b = 0; !err && p->shingles && b < BANDS; b++)
        err = lookup(r, 0, p->bands[b]);
    for (uint32_t k = 0; !err && k < p->nparas; k++)
        err = lookup(r, 1, r->paras[p->para_at + k]);
    if (err || !r->ncand)
        return err;

    /* Verified candidates, the best first. */
    err = load_set(r, p->rid, &r->mine);
    size_t nok = 0, best = 0;
    for (size_t k = 0; !err && k < r->ncand && r->mine.n >= 5; k++) {
        err = load_set(r, r->cand[k], &r->theirs);
        double j, c;
        shingle_set_compare(&r->mine, &r->theirs, &j, &c);
        if (err || !is_match(j, c) || r->theirs.n < 5)
            continue;
        r->ok[nok] = (verified){r->cand[k], j, c};
        if (j + c > r->ok[best].j + r->ok[best].c)
            best = nok;
        nok++;
    }
    if (err || !nok)
        return err;

    const verified *v = &r->ok[best];
    long long family;
    err = store_dedup_family(&r->d, v->rid, &family);
    if (!err && family && family != v->rid) {
        /* The family's first article must match too: no chains of weak links. */
        err = load_set(r, family, &r->theirs);
        double j, c;
        shingle_set_compare(&r->mine, &r->theirs, &j, &c);
        if (c < 0.5)
            return err;
    }
    if (!err && !family) {
        family = v->rid;
        err = store_dedup_set_member(&r->d, v->rid, family, 0, 1, 1);
    }
    if (!err)
        err = store_dedup_set_member(&r->d, p->rid, family, v->rid, v->j, v->c);

    /* A copy of its family and of members of other families too: a bridge between them. */
    for (size_t k = 0; !err && is_copy(v->j, v->c) && k < nok; k++) {
        if (k == best || !is_copy(r->ok[k].j, r->ok[k].c))
            continue;
        long long other;
        err = store_dedup_family(&r->d, r->ok[k].rid, &other);
        if (!err && other && other != family)
            err = maybe_merge(r, &family, other);
    }
    return err;
}

static sl_error remember_keys(dedup_run *r, uint32_t i)
{
    const prep *p = &r->preps[i];
    int ok = 1;
    for (int b = 0; ok && p->shingles && b < BANDS; b++)
        ok = key_index_add(r->ix, p->bands[b], i);
    for (uint32_t k = 0; ok && k < p->nparas; k++)
        ok = key_index_add(r->ix, r->paras[p->para_at + k] ^ PARA_SALT, i);
    return ok ? SL_OK : SL_ERR_NOMEM;
}

/* --- saving keys, in key order --- */

typedef struct key_row {
    uint64_t key;
    long long rid;
} key_row;

/* Sort rows by their keys' top 33 bits, as SQLite orders them (signed): close enough to
 * key order for the b-tree to be written leaf after leaf. Three passes of 11 bits. */
static int sort_rows(key_row *v, size_t n)
{
    key_row *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return 0;
    key_row *from = v, *to = tmp;
    for (int shift = 31; shift < 64; shift += 11) {
        size_t count[2048] = {0};
        for (size_t i = 0; i < n; i++)
            count[((from[i].key ^ 1ull << 63) >> shift) & 2047]++;
        size_t sum = 0;
        for (int d = 0; d < 2048; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            to[count[((from[i].key ^ 1ull << 63) >> shift) & 2047]++] = from[i];
        key_row *t = from;
        from = to;
        to = t;
    }
    memcpy(v, from, n * sizeof *v); /* an odd number of passes: the result is in tmp */
    free(tmp);
    return 1;
}

static sl_error save_keys(dedup_run *r, int paragraphs)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        n += paragraphs ? r->preps[i].nparas : r->preps[i].shingles ? BANDS : 0;
    if (!n)
        return SL_OK;
    key_row *v = malloc(n * sizeof *v);
    if (!v)
        return SL_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++) {
        const prep *p = &r->preps[i];
        if (paragraphs)
            for (uint32_t q = 0; q < p->nparas; q++)
                v[k++] = (key_row){r->paras[p->para_at + q], p->rid};
        else if (p->shingles)
            for (int b = 0; b < BANDS; b++)
                v[k++] = (key_row){p->bands[b], p->rid};
    }
    sl_error err = sort_rows(v, n) ? SL_OK : SL_ERR_NOMEM;
    for (size_t i = 0; !err && i < n; i++)
        err = store_dedup_add_key(&r->d, paragraphs, v[i].key, v[i].rid);
    free(v);
    return err;
}

/* --- the run --- */

static int by_date(const void *a, const void *b)
{
    const prep *x = *(const prep *const *)a, *y = *(const prep *const *)b;
    if (!x->date[0] != !y->date[0])
        return x->date[0] ? -1 : 1; /* undated last */
    int c = strcmp(x->date, y->date);
    return c ? c : (x->rid > y->rid) - (x->rid < y->rid);
}

static void bloom_add_band(void *user, uint64_t key)
{
    bloom_add(user, key);
}

static void bloom_add_para(void *user, uint64_t key)
{
    bloom_add(user, key ^ PARA_SALT);
}

/* How the stored keys are searched: not at all when there are none; through a Bloom
 * filter over all of them when the batch's searches outnumber a scan of the stored keys
 * (a scan costs about 1/32 of a b-tree search a key); else one search a key. */
static sl_error plan_lookups(dedup_run *r, size_t arriving_keys)
{
    long long stored = 0;
    sl_error err = store_dedup_stored_keys(r->st, &stored);
    if (err)
        return err;
    r->stored = stored > 0;
    if (!r->stored || (uint64_t)stored > 32 * (uint64_t)arriving_keys)
        return SL_OK;
    if (!bloom_init(&r->keys, (uint64_t)stored * 5 / 4))
        return SL_ERR_NOMEM;
    r->use_bloom = 1;
    return store_dedup_each_key(r->st, bloom_add_band, bloom_add_para, &r->keys);
}

sl_error dedup_run_match(dedup_run *r, void (*progress)(void *user, size_t done, size_t total),
                         void *user)
{
    if (!r->n)
        return SL_OK;
    size_t keys = r->nparas;
    for (size_t i = 0; i < r->n; i++)
        keys += r->preps[i].shingles ? BANDS : 0;
    if (r->n > UINT32_MAX || keys >= UINT32_MAX - 1)
        return SL_ERR_TOO_BIG;
    sl_error err = plan_lookups(r, keys);
    const prep **order = malloc(r->n * sizeof *order);
    r->ix = key_index_create(keys);
    if (!err && (!order || !r->ix))
        err = SL_ERR_NOMEM;
    if (!err) {
        for (size_t i = 0; i < r->n; i++)
            order[i] = &r->preps[i];
        qsort(order, r->n, sizeof *order, by_date);
    }
    for (size_t i = 0; !err && i < r->n; i++) {
        uint32_t k = (uint32_t)(order[i] - r->preps);
        err = match_one(r, k);
        if (!err)
            err = remember_keys(r, k);
        if (progress)
            progress(user, i + 1, r->n);
    }
    free(order);
    key_index_free(r->ix); /* before the keys are sorted for saving: less memory at once */
    r->ix = NULL;
    bloom_free(&r->keys);
    if (!err)
        err = save_keys(r, 0);
    if (!err)
        err = save_keys(r, 1);
    return err;
}

sl_error dedup_forget(sl_store *st)
{
    return store_dedup_clear(st);
}
