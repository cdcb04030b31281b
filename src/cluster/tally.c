/* tally.c — ids named at least `need` times, counted in the core hash table. */
#include "tally.h"

#include <stdlib.h>

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
    if (n <= t->room && t->pair)
        return SL_OK;
    tally_pair *p = malloc((n ? n : 1) * sizeof *p);
    if (!p)
        return SL_ERR_NOMEM;
    sl_error err = sli_u64map_reserve(&t->count, n);
    if (err) {
        free(p);
        return err;
    }
    free(t->pair);
    t->pair = p;
    t->room = n;
    return SL_OK;
}

size_t sli_tally_at_least(tally *t, long long *ids, size_t n, int need, size_t most)
{
    if (!t->pair)
        return 0; /* n is 0: nothing reserved, nothing to count */
    sli_u64map_clear(&t->count);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t *c;
        /* Cannot fail: room for n ids was reserved, so the table does not grow. */
        if (sli_u64map_put(&t->count, (uint64_t)ids[i], &c, NULL))
            break;
        if (++*c == (uint64_t)need)
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
    const uint64_t *c = sli_u64map_get(&t->count, (uint64_t)id);
    return c ? (uint32_t)*c : 0;
}

void sli_tally_free(tally *t)
{
    sli_u64map_free(&t->count);
    free(t->pair);
    *t = (tally){0};
}
