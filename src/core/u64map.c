/* u64map.c — open-addressing map of 64-bit keys to 64-bit values. */
#include "u64map.h"

#include <stdlib.h>

static size_t slot_of(uint64_t key, size_t mask)
{
    key ^= key >> 33; /* keys may be small integers: mix before masking */
    key *= 0xff51afd7ed558ccdull;
    key ^= key >> 33;
    return (size_t)key & mask;
}

int sli_u64map_init(u64map *m, size_t expect)
{
    size_t cap = 16;
    while (cap < 2 * expect)
        cap *= 2;
    m->key = calloc(cap, sizeof *m->key);
    m->val = calloc(cap, sizeof *m->val);
    m->mask = cap - 1;
    m->n = 0;
    if (!m->key || !m->val) {
        sli_u64map_free(m);
        return 0;
    }
    return 1;
}

void sli_u64map_free(u64map *m)
{
    free(m->key);
    free(m->val);
    m->key = m->val = NULL;
    m->mask = m->n = 0;
}

static int grow(u64map *m)
{
    u64map big;
    if (!sli_u64map_init(&big, m->mask + 1))
        return 0;
    for (size_t i = 0; i <= m->mask; i++) {
        if (!m->key[i])
            continue;
        size_t j = slot_of(m->key[i], big.mask);
        while (big.key[j])
            j = (j + 1) & big.mask;
        big.key[j] = m->key[i];
        big.val[j] = m->val[i];
    }
    big.n = m->n;
    sli_u64map_free(m);
    *m = big;
    return 1;
}

uint64_t *sli_u64map_put(u64map *m, uint64_t key, int *added)
{
    if (!m->key && !sli_u64map_init(m, 8))
        return NULL;
    if (2 * (m->n + 1) > m->mask + 1 && !grow(m))
        return NULL;
    size_t i = slot_of(key, m->mask);
    while (m->key[i] && m->key[i] != key)
        i = (i + 1) & m->mask;
    if (added)
        *added = !m->key[i];
    if (!m->key[i]) {
        m->key[i] = key;
        m->val[i] = 0;
        m->n++;
    }
    return &m->val[i];
}

uint64_t *sli_u64map_get(const u64map *m, uint64_t key)
{
    if (!m->key)
        return NULL;
    size_t i = slot_of(key, m->mask);
    while (m->key[i]) {
        if (m->key[i] == key)
            return &m->val[i];
        i = (i + 1) & m->mask;
    }
    return NULL;
}
