/* tally.c — ids named at least `need` times, by counting in a hash table. */
#include "tally.h"

#include <stdlib.h>
#include <string.h>

static size_t slot_of(long long id, size_t mask)
{
    return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

int sli_tally_by_id(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

static int by_count(const void *a, const void *b)
{
    const tally_pair *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return x->id > y->id ? -1 : x->id < y->id;
}

sl_error sli_tally_reserve(tally *t, size_t n)
{
    size_t cap = 64;
    while (cap < 2 * n) /* at most half full */
        cap *= 2;
    if (cap <= t->cap)
        return SL_OK;
    long long *k = malloc(cap * sizeof *k);
    uint32_t *c = malloc(cap * sizeof *c);
    tally_pair *p = malloc(cap / 2 * sizeof *p);
    if (!k || !c || !p) {
        free(k);
        free(c);
        free(p);
        return SL_ERR_NOMEM;
    }
    free(t->key);
    free(t->n);
    free(t->pair);
    t->key = k;
    t->n = c;
    t->pair = p;
    t->cap = cap;
    return SL_OK;
}

size_t sli_tally_at_least(tally *t, long long *ids, size_t n, int need, size_t most)
{
    if (!t->cap)
        return 0; /* n is 0: nothing reserved, nothing to count */
    memset(t->key, 0, t->cap * sizeof *t->key);
    size_t mask = t->cap - 1, m = 0;
    for (size_t i = 0; i < n; i++) {
        size_t at = slot_of(ids[i], mask);
        while (t->key[at] && t->key[at] != ids[i])
            at = (at + 1) & mask;
        if (!t->key[at]) {
            t->key[at] = ids[i];
            t->n[at] = 0;
        }
        if (++t->n[at] == (uint32_t)need)
            ids[m++] = ids[i]; /* m <= i: ids[i] was read already */
    }
    if (m > most) { /* the most often counted, the newest (highest id) first on ties */
        for (size_t i = 0; i < m; i++)
            t->pair[i] = (tally_pair){ids[i], sli_tally_count(t, ids[i])};
        qsort(t->pair, m, sizeof *t->pair, by_count);
        m = most;
        for (size_t i = 0; i < m; i++)
            ids[i] = t->pair[i].id;
    }
    qsort(ids, m, sizeof *ids, sli_tally_by_id);
    return m;
}

uint32_t sli_tally_count(const tally *t, long long id)
{
    if (!t->cap)
        return 0;
    size_t mask = t->cap - 1;
    for (size_t at = slot_of(id, mask); t->key[at]; at = (at + 1) & mask)
        if (t->key[at] == id)
            return t->n[at];
    return 0;
}

void sli_tally_free(tally *t)
{
    free(t->key);
    free(t->n);
    free(t->pair);
    *t = (tally){0};
}
