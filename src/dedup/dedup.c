/* dedup.c — a batch's matching: candidates from memory and the store, verification on
 * exact shingle sets, families guarded against chains, keys saved in key order. */
#include "run.h"

#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"
#include "../text/normalize.h"

/* --- candidates --- */

static void add_candidate(dedup_run *r, long long rid)
{
    if (rid == r->self || r->ncand >= MAX_CANDIDATES)
        return;
    int added;
    if (!r->seen_err && !(r->seen_err = sli_u64map_put(&r->seen, (uint64_t)rid, NULL, &added)) &&
        added)
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

/* A key's candidates are its lowest rids, which the store keeps STORE_KEY_MAX_RIDS of. */
_Static_assert(MAX_PER_KEY <= STORE_KEY_MAX_RIDS, "the store keeps a key's MAX_PER_KEY rids");

/* --- read ahead ---
 *
 * The stored keys a block of AHEAD_BLOCK articles (in the order they are matched) looks
 * up are searched before the block is matched, sorted as the store keeps them, so that
 * consecutive searches fall on the same pages of the key blocks (lsh_blocks, paras_blocks); each article's lookup
 * then finds its candidates read. The same candidates, in the same order: the stored
 * keys do not change while a batch is matched (its own are saved after), and a key's
 * search is ordered by rid. In +20,000 into a store of a million articles the searches
 * one key at a time were 9% of the main thread, most of it in b-tree seeks
 * (docs/profile.md, "Eighth round"). AHEAD_BLOCK bounds the memory (about 40 keys an
 * article); it changes no result. */
#define AHEAD_BLOCK 4096

/* (paragraphs, the key as stored) as one map key. */
static uint64_t ahead_key(int paragraphs, uint64_t key)
{
    return (uint64_t)(uint32_t)sli_store_dedup_stored_key(key) << 1 | (uint64_t)!!paragraphs;
}

static int stored_wanted(const dedup_run *r, int paragraphs, uint64_t key)
{
    return r->stored && (!r->keys || sli_store_dedup_filter_maybe(r->keys, paragraphs, key));
}

typedef struct ahead_row {
    int64_t order;  /* paragraphs, then the stored key: the order of the store's b-trees */
    uint64_t key;   /* as the article has it */
    int paragraphs;
} ahead_row;

static int by_order(const void *a, const void *b)
{
    int64_t x = ((const ahead_row *)a)->order, y = ((const ahead_row *)b)->order;
    return (x > y) - (x < y);
}

static void ahead_candidate(void *user, long long rid)
{
    dedup_run *r = user;
    if (r->seen_err)
        return;
    long long *p = sli_grow_array(r->ahead_rids, &r->ahead_cap, r->n_ahead + 1, sizeof *p, 4096);
    if (!p) {
        r->seen_err = SL_ERR_NOMEM;
        return;
    }
    r->ahead_rids = p;
    p[r->n_ahead++] = rid;
}

static sl_error read_ahead(dedup_run *r, const prep *const *block, size_t n)
{
    r->ahead_on = 0;
    sli_u64map_clear(&r->ahead);
    r->n_ahead = 0;
    if (!r->stored)
        return SL_OK;
    size_t most = 0;
    for (size_t i = 0; i < n; i++)
        most += (block[i]->shingles ? BANDS : 0) + block[i]->nparas;
    ahead_row *v = malloc((most ? most : 1) * sizeof *v);
    if (!v)
        return SL_ERR_NOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const prep *p = block[i];
        for (int b = 0; p->shingles && b < BANDS; b++)
            if (stored_wanted(r, 0, p->bands[b]))
                v[m++] = (ahead_row){(int64_t)sli_store_dedup_stored_key(p->bands[b]),
                                     p->bands[b], 0};
        for (uint32_t k = 0; k < p->nparas; k++) {
            uint64_t key = r->paras[p->para_at + k];
            if (stored_wanted(r, 1, key)) /* after every band key */
                v[m++] = (ahead_row){(int64_t)sli_store_dedup_stored_key(key) + (1LL << 33),
                                     key, 1};
        }
    }
    qsort(v, m, sizeof *v, by_order);
    sl_error err = sli_u64map_reserve(&r->ahead, m);
    r->seen_err = SL_OK;
    for (size_t i = 0; !err && i < m; i++) {
        if (i && v[i].order == v[i - 1].order)
            continue;
        size_t at = r->n_ahead;
        err = sli_store_dedup_candidates(&r->d, v[i].paragraphs, v[i].key, MAX_PER_KEY,
                                         ahead_candidate, r);
        if (!err)
            err = r->seen_err;
        uint64_t *slot;
        if (!err)
            err = sli_u64map_put(&r->ahead, ahead_key(v[i].paragraphs, v[i].key), &slot, NULL);
        if (!err)
            *slot = (uint64_t)at << 8 | (uint64_t)(r->n_ahead - at); /* <= MAX_PER_KEY */
    }
    free(v);
    r->ahead_on = !err;
    return err;
}

static sl_error lookup(dedup_run *r, int paragraphs, uint64_t key)
{
    uint64_t salted = paragraphs ? key ^ PARA_SALT : key;
    walk w = {r, MAX_PER_KEY};
    sli_key_index_each(r->ix, salted, batch_candidate, &w);
    if (r->ahead_on) { /* every stored key the block wants was searched ahead */
        const uint64_t *at = sli_u64map_get(&r->ahead, ahead_key(paragraphs, key));
        for (uint64_t i = at ? *at >> 8 : 0, end = at ? i + (*at & 0xff) : 0; i < end; i++)
            add_candidate(r, r->ahead_rids[i]);
        return SL_OK;
    }
    if (!stored_wanted(r, paragraphs, key))
        return SL_OK;
    return sli_store_dedup_candidates(&r->d, paragraphs, key, MAX_PER_KEY, stored_candidate, r);
}

/* --- verification --- */

/* The stored candidates below, two given texts in sli_dedup_compare, a group's in
 * family_group.c. */
sl_error sli_dedup_set_of_text(const char *text, size_t len, buf *norm, shingle_set *set)
{
    sli_buf_clear(norm);
    sl_error err = sli_text_normalize(text ? text : "", len, norm);
    return err ? err : sli_shingle_set_of(set, sli_buf_str(norm), norm->len);
}

sl_error sli_dedup_load_set(store_dedup *d, long long rid, buf *text, buf *norm, shingle_set *set)
{
    char date[32];
    long long shingles;
    sl_error err = sli_store_dedup_article(d, rid, text, date, &shingles);
    if (err) {
        sli_buf_clear(norm);
        return err;
    }
    return sli_dedup_set_of_text(sli_buf_str(text), text->len, norm, set);
}

sl_error sli_dedup_compare(const char *a, size_t alen, const char *b, size_t blen, buf *norm,
                           dedup_verdict *out)
{
    shingle_set sa = {0}, sb = {0};
    sl_error err = sli_dedup_set_of_text(a, alen, norm, &sa);
    if (!err)
        err = sli_dedup_set_of_text(b, blen, norm, &sb);
    if (!err) {
        *out = (dedup_verdict){.na = sa.n, .nb = sb.n};
        sli_shingle_set_compare(&sa, &sb, &out->j, &out->c);
        /* as match_one: both sets of DEDUP_MIN_SHINGLES or more, then the bars */
        out->match = sa.n >= DEDUP_MIN_SHINGLES && sb.n >= DEDUP_MIN_SHINGLES &&
                     sli_dedup_is_match(out->j, out->c);
        out->copy = out->match && sli_dedup_is_copy(out->j, out->c);
    }
    sli_shingle_set_free(&sa);
    sli_shingle_set_free(&sb);
    return err;
}

static sl_error load_set(dedup_run *r, long long rid, shingle_set *set)
{
    return sli_dedup_load_set(&r->d, rid, &r->text, &r->norm, set);
}

/* Does an article that matched `rid` with (j, c) belong with it, and is it a copy? */
int sli_dedup_is_match(double j, double c)
{
    return j >= 0.4 || c >= 0.8;
}

int sli_dedup_is_copy(double j, double c)
{
    return j >= 0.8 || c >= 0.8;
}

/* The family rules' view of the store (family_ops): families in its tables, texts
 * compared on their exact shingle sets (the article being matched: its set, loaded). */
static sl_error store_family_of(void *user, long long rid, long long *family)
{
    dedup_run *r = user;
    return sli_store_dedup_family(&r->d, rid, family);
}

static sl_error store_compare(void *user, long long a, long long b, double *j, double *c)
{
    dedup_run *r = user;
    sl_error err = a == r->self ? SL_OK : load_set(r, a, &r->root_a);
    if (!err)
        err = load_set(r, b, &r->root_b);
    if (!err)
        sli_shingle_set_compare(a == r->self ? &r->mine : &r->root_a, &r->root_b, j, c);
    return err;
}

static sl_error store_set_member(void *user, long long rid, long long family, long long matched,
                                 double j, double c)
{
    dedup_run *r = user;
    return sli_store_dedup_set_member(&r->d, rid, family, matched, j, c);
}

static sl_error store_merge(void *user, long long keep, long long gone)
{
    dedup_run *r = user;
    return sli_store_dedup_merge(&r->d, keep, gone);
}

static const family_ops STORE_FAMILIES = {store_family_of, store_compare, store_set_member,
                                          store_merge};

static sl_error match_one(dedup_run *r, uint32_t i)
{
    const prep *p = &r->preps[i];
    r->self = p->rid;
    r->ncand = 0;
    sli_u64map_free(&r->seen);
    sl_error err = sli_u64map_init_set(&r->seen, 64);
    r->seen_err = SL_OK;
    for (int b = 0; !err && p->shingles && b < BANDS; b++)
        err = lookup(r, 0, p->bands[b]);
    for (uint32_t k = 0; !err && k < p->nparas; k++)
        err = lookup(r, 1, r->paras[p->para_at + k]);
    if (!err)
        err = r->seen_err; /* a candidate lost to out of memory fails the batch */
    if (err || !r->ncand)
        return err;

    /* The candidates verified, in the order found (the first of equals is the best). */
    err = load_set(r, p->rid, &r->mine);
    size_t nok = 0;
    for (size_t k = 0; !err && k < r->ncand && r->mine.n >= DEDUP_MIN_SHINGLES; k++) {
        err = load_set(r, r->cand[k], &r->theirs);
        double j, c;
        sli_shingle_set_compare(&r->mine, &r->theirs, &j, &c);
        if (err || !sli_dedup_is_match(j, c) || r->theirs.n < DEDUP_MIN_SHINGLES)
            continue;
        r->ok[nok++] = (verified){r->cand[k], j, c};
    }
    if (err || !nok)
        return err;
    return sli_dedup_join(&STORE_FAMILIES, r, p->rid, r->ok, nok);
}

static sl_error remember_keys(dedup_run *r, uint32_t i)
{
    const prep *p = &r->preps[i];
    sl_error err = SL_OK;
    for (int b = 0; !err && p->shingles && b < BANDS; b++)
        err = sli_key_index_add(r->ix, p->bands[b], i);
    for (uint32_t k = 0; !err && k < p->nparas; k++)
        err = sli_key_index_add(r->ix, r->paras[p->para_at + k] ^ PARA_SALT, i);
    return err;
}

/* --- saving keys, in key order --- */

typedef struct key_row {
    uint64_t key;
    long long rid;
} key_row;

/* Sort rows by their keys' top 33 bits, as SQLite orders them (signed): close enough to
 * key order for the b-tree to be written leaf after leaf. Three passes of 11 bits. */
static sl_error sort_rows(key_row *v, size_t n)
{
    key_row *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return SL_ERR_NOMEM;
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
    return SL_OK;
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
    sl_error err = sort_rows(v, n);
    for (size_t i = 0; !err && i < n; i++)
        err = sli_store_dedup_add_key(&r->d, paragraphs, v[i].key, v[i].rid);
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

/* How the stored keys are searched: not at all when there are none; else through the
 * handle's filter of stored keys when it keeps one or a scan of the stored keys pays
 * (store.h: sli_store_dedup_filter_plan), else one b-tree search a key. */
static sl_error plan_lookups(dedup_run *r, size_t arriving_keys)
{
    long long stored = 0;
    sl_error err = sli_store_dedup_stored_keys(r->st, &stored);
    if (err)
        return err;
    r->stored = stored > 0;
    /* the estimate counts this batch's articles too, whose keys are not stored yet */
    stored -= 42 * (long long)r->n;
    if (stored < 0)
        stored = 0;
    /* With no stored keys the filter is made at no cost (an empty scan), and the batch's
     * keys go into it as they are saved: the next slice finds it there. */
    return sli_store_dedup_filter_plan(r->st, (uint64_t)stored, arriving_keys, &r->keys);
}

sl_error sli_dedup_run_match(dedup_run *r, void (*progress)(void *user, size_t done, size_t total),
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
    /* An article stored before and updated by this batch is matched as new: it leaves the
     * family its old text was in first. (With no stored keys there are no families.) */
    for (size_t i = 0; !err && r->stored && i < r->n; i++)
        err = sli_store_dedup_leave(&r->d, r->preps[i].rid);
    const prep **order = malloc(r->n * sizeof *order);
    if (!err)
        err = order ? sli_key_index_create(keys, &r->ix) : SL_ERR_NOMEM;
    if (!err) {
        for (size_t i = 0; i < r->n; i++)
            order[i] = &r->preps[i];
        qsort(order, r->n, sizeof *order, by_date);
    }
    for (size_t i = 0; !err && i < r->n; i++) {
        if (i % AHEAD_BLOCK == 0)
            err = read_ahead(r, order + i, r->n - i < AHEAD_BLOCK ? r->n - i : AHEAD_BLOCK);
        uint32_t k = (uint32_t)(order[i] - r->preps);
        if (!err)
            err = match_one(r, k);
        if (!err)
            err = remember_keys(r, k);
        if (progress)
            progress(user, i + 1, r->n);
    }
    free(order);
    r->ahead_on = 0;
    sli_u64map_free(&r->ahead);
    free(r->ahead_rids);
    r->ahead_rids = NULL;
    r->n_ahead = r->ahead_cap = 0;
    sli_key_index_free(r->ix); /* before the keys are sorted for saving: less memory at once */
    r->ix = NULL;
    r->keys = NULL; /* the handle's: its keys are added as they are saved */
    if (!err)
        err = save_keys(r, 0);
    if (!err)
        err = save_keys(r, 1);
    if (!err)
        err = sli_store_dedup_settle(r->st);
    return err;
}

sl_error sli_dedup_forget(sl_store *st)
{
    return sli_store_dedup_clear(st);
}
