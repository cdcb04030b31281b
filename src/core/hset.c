/* hset.c — a set of 64-bit hashes. */
#include "hset.h"

#include <stdlib.h>

int sli_hset_init(hset *h, size_t expect)
{
    size_t cap = 16;
    while (cap < expect * 2)
        cap *= 2;
    h->slot = calloc(cap, sizeof *h->slot);
    h->mask = cap - 1;
    h->n = 0;
    return h->slot != NULL;
}

void sli_hset_free(hset *h)
{
    free(h->slot);
    h->slot = NULL;
    h->n = 0;
}

static size_t home(const hset *h, uint64_t x)
{
    return (size_t)((x * 0x9E3779B97F4A7C15ull) >> 20) & h->mask;
}

static int grow(hset *h)
{
    hset bigger;
    if (!sli_hset_init(&bigger, h->mask + 1))
        return 0;
    for (size_t i = 0; i <= h->mask; i++)
        if (h->slot[i]) {
            size_t j = home(&bigger, h->slot[i]);
            while (bigger.slot[j])
                j = (j + 1) & bigger.mask;
            bigger.slot[j] = h->slot[i];
            bigger.n++;
        }
    free(h->slot);
    *h = bigger;
    return 1;
}

int sli_hset_add(hset *h, uint64_t x)
{
    x |= 1; /* never 0 */
    if ((h->n + 1) * 2 > h->mask + 1 && !grow(h))
        return -1;
    size_t i = home(h, x);
    while (h->slot[i]) {
        if (h->slot[i] == x)
            return 0;
        i = (i + 1) & h->mask;
    }
    h->slot[i] = x;
    h->n++;
    return 1;
}

int sli_hset_has(const hset *h, uint64_t x)
{
    x |= 1;
    size_t i = home(h, x);
    while (h->slot[i]) {
        if (h->slot[i] == x)
            return 1;
        i = (i + 1) & h->mask;
    }
    return 0;
}
