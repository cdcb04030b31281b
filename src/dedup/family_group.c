/* family_group.c — families decided for a group of articles in memory (the public
 * sl_family_group): a connected group of candidate pairs, gathered on one worker, matched
 * as one batch of the dedup stage matches them (in date order, each against the articles
 * before it; verified on exact shingle sets; joined by the stage's own rules,
 * sli_dedup_join) and written as the store reads families (the origin chosen and every
 * member compared with it, family_read.c's rules). An article's candidates are found as
 * a batch finds them, key by key through a key index (key_index.h), when every article
 * was given its keys; else they are the pairs given, the last matched first, which may
 * take another of two equally good candidates than the batch would. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"
#include "../core/json_writer.h"
#include "../core/mix.h"
#include "../core/u64map.h"
#include "../core/utf8.h"
#include "key_index.h"
#include "run.h"

typedef struct group_article {
    unsigned long long number;
    char *id, *date;   /* date "" when undated */
    long long shingles;
    shingle_set set;
    long long family;  /* while matched: the rid of its family's first article, 0 none */
    size_t *partners;  /* indices of the articles it is paired with */
    size_t npartners, partners_cap;
    uint64_t *keys;    /* its band keys, then its paragraph keys salted as the batch's */
    size_t nkeys;
    int keyed;         /* keys given */
} group_article;

struct sl_family_group {
    group_article *a;
    size_t n, cap;
    u64map at; /* number -> index into a */
    buf norm;
    size_t keyed, keys; /* articles given their keys; keys given in all */
};

sl_error sl_family_group_create(sl_family_group **out)
{
    if (!out)
        return SL_ERR_INVALID;
    *out = calloc(1, sizeof **out);
    if (!*out)
        return SL_ERR_NOMEM;
    sli_buf_init(&(*out)->norm, BUF_UNLIMITED);
    return SL_OK;
}

void sl_family_group_free(sl_family_group *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n; i++) {
        free(g->a[i].id);
        free(g->a[i].date);
        free(g->a[i].partners);
        free(g->a[i].keys);
        sli_shingle_set_free(&g->a[i].set);
    }
    free(g->a);
    sli_u64map_free(&g->at);
    sli_buf_free(&g->norm);
    free(g);
}

static int valid_text(const char *s, size_t len)
{
    return sli_utf8_invalid_at(s, len) == len && !memchr(s, '\0', len);
}

static long long find(const sl_family_group *g, unsigned long long number)
{
    const uint64_t *i = sli_u64map_get(&g->at, number);
    return i ? (long long)*i : -1;
}

sl_error sl_family_group_add(sl_family_group *g, unsigned long long number, const char *id,
                             const char *date, long long shingles, const char *text,
                             size_t len)
{
    if (!g || !id || (!text && len) || number >> 62)
        return SL_ERR_INVALID;
    date = date ? date : "";
    text = text ? text : "";
    if (!valid_text(id, strlen(id)) || !valid_text(date, strlen(date)) ||
        !valid_text(text, len))
        return SL_ERR_UTF8;
    if (find(g, number) >= 0)
        return SL_ERR_INVALID;
    group_article *grown = sli_grow_array(g->a, &g->cap, g->n + 1, sizeof *grown, 16);
    if (!grown)
        return SL_ERR_NOMEM;
    g->a = grown;
    group_article *a = &g->a[g->n];
    memset(a, 0, sizeof *a);
    a->number = number;
    a->shingles = shingles;
    a->id = strdup(id);
    a->date = strdup(date);
    sl_error err = a->id && a->date ? SL_OK : SL_ERR_NOMEM;
    if (!err)
        err = sli_dedup_set_of_text(text, len, &g->norm, &a->set);
    uint64_t *at = NULL;
    if (!err)
        err = sli_u64map_put(&g->at, number, &at, NULL);
    if (err) {
        free(a->id);
        free(a->date);
        sli_shingle_set_free(&a->set);
        return err;
    }
    *at = g->n++;
    return SL_OK;
}

static sl_error add_partner(group_article *a, size_t other)
{
    size_t *grown = sli_grow_array(a->partners, &a->partners_cap, a->npartners + 1,
                                   sizeof *grown, 8);
    if (!grown)
        return SL_ERR_NOMEM;
    a->partners = grown;
    a->partners[a->npartners++] = other;
    return SL_OK;
}

sl_error sl_family_group_pair(sl_family_group *g, unsigned long long a, unsigned long long b)
{
    if (!g || a == b)
        return SL_ERR_INVALID;
    long long x = find(g, a), y = find(g, b);
    if (x < 0 || y < 0)
        return SL_ERR_NOT_FOUND;
    sl_error err = add_partner(&g->a[x], (size_t)y);
    return err ? err : add_partner(&g->a[y], (size_t)x);
}

sl_error sl_family_group_keys(sl_family_group *g, unsigned long long number,
                              const unsigned long long *bands, size_t nbands,
                              const unsigned long long *paragraphs, size_t nparagraphs)
{
    if (!g || (!bands && nbands) || (!paragraphs && nparagraphs))
        return SL_ERR_INVALID;
    if (nbands >= UINT32_MAX || nparagraphs >= UINT32_MAX - nbands)
        return SL_ERR_TOO_BIG; /* the key index's bound, and no sum that wraps */
    long long x = find(g, number);
    if (x < 0)
        return SL_ERR_NOT_FOUND;
    group_article *a = &g->a[x];
    if (a->keyed)
        return SL_ERR_INVALID;
    if (!a->shingles) /* as a batch: an empty text's bands are one constant, not looked up */
        nbands = 0;
    size_t n = nbands + nparagraphs;
    if (n >= UINT32_MAX - 1 - g->keys)
        return SL_ERR_TOO_BIG; /* the key index's bound */
    a->keys = malloc((n ? n : 1) * sizeof *a->keys);
    if (!a->keys)
        return SL_ERR_NOMEM;
    /* Each key mixed (core/mix.h, a bijection: equal keys stay equal, others apart) so
     * that its high bits, which place it in the index (key_index.h), are spread: the
     * caller's may be narrower (the shuffle's are 48 bits, their top 16 zero), and unmixed
     * they would all start at the table's first slots, every probe scanning one long run
     * (a group of 2,000 articles took 2.9 s, 0.008 s mixed). */
    for (size_t i = 0; i < nbands; i++)
        a->keys[i] = sli_mix64(bands[i]);
    for (size_t i = 0; i < nparagraphs; i++) /* apart from the band keys, as in a batch */
        a->keys[nbands + i] = sli_mix64(paragraphs[i] ^ PARA_SALT);
    a->nkeys = n;
    a->keyed = 1;
    g->keyed++;
    g->keys += n;
    return SL_OK;
}

/* ---- matching ---- */

/* The rid an article has here: 1 + its place among the group's numbers, so that a lower
 * number is a lower rid, as an earlier arrival is in the store. */
typedef struct matching {
    sl_family_group *g;
    size_t *by_number; /* rid - 1 -> index into g->a */
} matching;

static group_article *of_rid(const matching *m, long long rid)
{
    return &m->g->a[m->by_number[rid - 1]];
}

static sl_error group_family_of(void *user, long long rid, long long *family)
{
    *family = of_rid(user, rid)->family;
    return SL_OK;
}

static sl_error group_compare(void *user, long long a, long long b, double *j, double *c)
{
    sli_shingle_set_compare(&of_rid(user, a)->set, &of_rid(user, b)->set, j, c);
    return SL_OK;
}

static sl_error group_set_member(void *user, long long rid, long long family, long long matched,
                                 double j, double c)
{
    (void)matched, (void)j, (void)c; /* the store keeps them; families are read from the
                                        origin, as here */
    of_rid(user, rid)->family = family;
    return SL_OK;
}

static sl_error group_merge(void *user, long long keep, long long gone)
{
    matching *m = user;
    for (size_t i = 0; i < m->g->n; i++)
        if (m->g->a[i].family == gone)
            m->g->a[i].family = keep;
    return SL_OK;
}

static const family_ops GROUP_FAMILIES = {group_family_of, group_compare, group_set_member,
                                          group_merge};

/* An article in a sort: what it is sorted by, and where it is. */
typedef struct sort_item {
    const char *date;
    unsigned long long number;
    size_t at;
} sort_item;

static int by_number(const void *x, const void *y)
{
    const sort_item *a = x, *b = y;
    return (a->number > b->number) - (a->number < b->number);
}

/* The batch's matching order (dedup.c's by_date): dated first, by date, then by rid. */
static int by_date(const void *x, const void *y)
{
    const sort_item *a = x, *b = y;
    if (!a->date[0] != !b->date[0])
        return a->date[0] ? -1 : 1;
    int c = strcmp(a->date, b->date);
    return c ? c : by_number(x, y);
}

/* An article's candidates found key by key, as dedup.c's lookup finds a batch's: under
 * each of its keys in order, the articles matched before it holding the key (the key
 * index's newest first), at most MAX_PER_KEY a key, each once, at most MAX_CANDIDATES. */
typedef struct key_walk {
    sort_item *cand;
    size_t nc;
    size_t *seen; /* article -> 1 + the place in order of the article it was last a
                     candidate of */
    size_t stamp, self;
    int left;
} key_walk;

static void key_candidate(void *user, uint32_t at)
{
    key_walk *w = user;
    if (w->left-- <= 0 || at == w->self || w->nc >= MAX_CANDIDATES || w->seen[at] == w->stamp)
        return;
    w->seen[at] = w->stamp;
    w->cand[w->nc++] = (sort_item){"", 0, at};
}

static size_t candidates_by_keys(const key_index *ix, const group_article *x, size_t self,
                                 key_walk *w)
{
    w->nc = 0;
    w->self = self;
    w->stamp++;
    for (size_t k = 0; k < x->nkeys; k++) {
        w->left = MAX_PER_KEY;
        sli_key_index_each(ix, x->keys[k], key_candidate, w);
    }
    return w->nc;
}

/* The articles paired with x that were matched before it (the last MAX_CANDIDATES
 * matched, the last first); rank[i]: article i's place in order. */
static size_t candidates_by_pairs(const group_article *x, size_t o, const size_t *rank,
                                  sort_item *cand)
{
    size_t nc = 0;
    for (size_t k = 0; k < x->npartners; k++)
        if (rank[x->partners[k]] < o) /* the last matched first, as a batch's key index
                                          gives them (key_index.c) */
            cand[nc++] = (sort_item){"", o - rank[x->partners[k]], x->partners[k]};
    if (nc > 1)
        qsort(cand, nc, sizeof *cand, by_number);
    size_t once = 0; /* a pair given twice is one candidate */
    for (size_t k = 0; k < nc; k++)
        if (!once || cand[once - 1].at != cand[k].at)
            cand[once++] = cand[k];
    return once < MAX_CANDIDATES ? once : MAX_CANDIDATES;
}

/* Every article matched in `order` against its candidates (by keys when every article
 * has its keys, else by pairs); rank[i]: article i's place in order, rid[i]: its rid. */
static sl_error match_all(matching *m, const size_t *order, const size_t *rank,
                          const long long *rid)
{
    sl_family_group *g = m->g;
    verified ok[MAX_CANDIDATES];
    int by_keys = g->n && g->keyed == g->n;
    sort_item *cand = malloc((g->n ? g->n : 1) * sizeof *cand);
    key_walk w = {cand, 0, by_keys ? calloc(g->n, sizeof *w.seen) : NULL, 0, 0, 0};
    key_index *ix = NULL;
    sl_error err = cand && (!by_keys || w.seen) ? SL_OK : SL_ERR_NOMEM;
    if (!err && by_keys)
        err = sli_key_index_create(g->keys, &ix);
    for (size_t o = 0; !err && o < g->n; o++) {
        group_article *x = &g->a[order[o]];
        size_t nc = by_keys ? candidates_by_keys(ix, x, order[o], &w)
                            : candidates_by_pairs(x, o, rank, cand);
        size_t nok = 0;
        for (size_t k = 0; k < nc && x->set.n >= DEDUP_MIN_SHINGLES; k++) {
            const group_article *y = &g->a[cand[k].at];
            double j, c;
            sli_shingle_set_compare(&x->set, &y->set, &j, &c);
            if (sli_dedup_is_match(j, c) && y->set.n >= DEDUP_MIN_SHINGLES)
                ok[nok++] = (verified){rid[cand[k].at], j, c};
        }
        if (nok)
            err = sli_dedup_join(&GROUP_FAMILIES, m, rid[order[o]], ok, nok);
        for (size_t k = 0; !err && by_keys && k < x->nkeys; k++) /* after it is matched */
            err = sli_key_index_add(ix, x->keys[k], (uint32_t)order[o]);
    }
    sli_key_index_free(ix);
    free(w.seen);
    free(cand);
    return err;
}

/* The families found, as the store reads them: members in rid order, the origin first,
 * each compared with it; families in the order of their first articles. */
static sl_error write_families(const matching *m, jw *w)
{
    const sl_family_group *g = m->g;
    size_t *mem = malloc((g->n ? g->n : 1) * sizeof *mem);
    sl_family_member *out = malloc((g->n ? g->n : 1) * sizeof *out);
    sl_error err = mem && out ? SL_OK : SL_ERR_NOMEM;
    /* every member as (its family's rid, its rid), sorted: a family's members together,
     * in rid order, the families in the order of their first articles */
    sort_item *in = malloc((g->n ? g->n : 1) * sizeof *in);
    size_t nin = 0;
    if (!in)
        err = SL_ERR_NOMEM;
    for (size_t r = 0; !err && r < g->n; r++) {
        long long f = of_rid(m, (long long)r + 1)->family;
        if (f)
            in[nin++] = (sort_item){"", (unsigned long long)f << 32 | r, r};
    }
    if (nin > 1)
        qsort(in, nin, sizeof *in, by_number);
    for (size_t at = 0, next; !err && at < nin; at = next) {
        size_t f = (size_t)(in[at].number >> 32) - 1; /* the family's rid - 1 */
        size_t n = 0;
        for (next = at; next < nin && in[next].number >> 32 == in[at].number >> 32; next++)
            mem[n++] = m->by_number[in[next].at];
        if (n < 2)
            continue;
        size_t origin = 0;
        for (size_t i = 1; i < n; i++) {
            const group_article *a = &g->a[mem[i]], *b = &g->a[mem[origin]];
            if (sli_dedup_origin_before(a->date, a->shingles, a->id, b->date, b->shingles,
                                        b->id))
                origin = i;
        }
        const group_article *o = &g->a[mem[origin]];
        size_t k = 0;
        out[k++] = (sl_family_member){o->id, 1, 1, "origin"};
        for (size_t i = 0; i < n; i++) {
            if (i == origin)
                continue;
            const group_article *a = &g->a[mem[i]];
            double j, c;
            sli_shingle_set_compare(&o->set, &a->set, &j, &c);
            out[k++] = (sl_family_member){a->id, j, c, sli_dedup_relation(j, c)};
        }
        char name[32];
        snprintf(name, sizeof name, "G%llu", g->a[m->by_number[f]].number);
        if (sli_dedup_family_json(w, name, out, k))
            err = w->err ? w->err : SL_ERR_WRITE;
    }
    free(in);
    free(mem);
    free(out);
    return err;
}

sl_error sl_family_group_write(sl_family_group *g, sl_write_fn fn, void *user)
{
    if (!g || !fn)
        return SL_ERR_INVALID;
    if (g->n >= UINT32_MAX)
        return SL_ERR_TOO_BIG; /* a family's rid and a member's share 64 bits (write_families) */
    size_t n = g->n ? g->n : 1;
    sort_item *items = malloc(n * sizeof *items);
    size_t *order = malloc(n * sizeof *order), *by_num = malloc(n * sizeof *by_num);
    size_t *rank = malloc(n * sizeof *rank);
    long long *rid = malloc(n * sizeof *rid);
    sl_error err = items && order && by_num && rank && rid ? SL_OK : SL_ERR_NOMEM;
    matching m = {g, by_num};
    if (!err) {
        for (size_t i = 0; i < g->n; i++) {
            items[i] = (sort_item){g->a[i].date, g->a[i].number, i};
            g->a[i].family = 0;
        }
        qsort(items, g->n, sizeof *items, by_number);
        for (size_t i = 0; i < g->n; i++) {
            by_num[i] = items[i].at;
            rid[items[i].at] = (long long)i + 1;
        }
        qsort(items, g->n, sizeof *items, by_date);
        for (size_t i = 0; i < g->n; i++) {
            order[i] = items[i].at;
            rank[items[i].at] = i;
        }
        err = match_all(&m, order, rank, rid);
    }
    jw w;
    sli_jw_init(&w, fn, user, 1);
    sli_jw_begin_array(&w);
    if (!err)
        err = write_families(&m, &w);
    sli_jw_end_array(&w);
    sli_jw_newline(&w);
    sl_error werr = sli_jw_finish(&w);
    free(items);
    free(order);
    free(by_num);
    free(rank);
    free(rid);
    return err ? err : werr;
}
