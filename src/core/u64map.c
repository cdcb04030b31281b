/* u64map.c — open addressing on 64-bit keys, linear probing, at most half full. */
#include "u64map.h"

#include <stdlib.h>
#include <string.h>

static size_t slot_of(uint64_t key, size_t mask)
{
    key ^= key >> 33; /* keys may be small integers: mix before masking */
    key *= 0xff51afd7ed558ccdull;
    key ^= key >> 33;
    return (size_t)key & mask;
}

static size_t slots_for(size_t expect)
{
    size_t cap = 16;
    while (cap < 2 * expect)
        cap *= 2;
    return cap;
}

/* Fresh slots for cap keys, the old ones rehashed into them. */
static sl_error rehash(u64map *m, size_t cap)
{
    uint64_t *key = calloc(cap, sizeof *key);
    uint64_t *val = m->set ? NULL : calloc(cap, sizeof *val);
    if (!key || (!m->set && !val)) {
        free(key);
        free(val);
        return SL_ERR_NOMEM;
    }
    size_t mask = cap - 1;
    for (size_t i = 0; m->key && i <= m->mask; i++) {
        if (!m->key[i])
            continue;
        size_t j = slot_of(m->key[i], mask);
        while (key[j])
            j = (j + 1) & mask;
        key[j] = m->key[i];
        if (val)
            val[j] = m->val[i];
    }
    free(m->key);
    free(m->val);
    m->key = key;
    m->val = val;
    m->mask = mask;
    return SL_OK;
}

static sl_error init(u64map *m, size_t expect, int set)
{
    *m = (u64map){.set = set};
    return rehash(m, slots_for(expect));
}

sl_error sli_u64map_init(u64map *m, size_t expect)
{
    return init(m, expect, 0);
}

sl_error sli_u64map_init_set(u64map *m, size_t expect)
{
    return init(m, expect, 1);
}

void sli_u64map_free(u64map *m)
{
    free(m->key);
    free(m->val);
    *m = (u64map){0};
}

void sli_u64map_clear(u64map *m)
{
    if (m->key)
        memset(m->key, 0, (m->mask + 1) * sizeof *m->key);
    m->n = 0;
    m->has_zero = 0;
    m->zero_val = 0;
}

sl_error sli_u64map_reserve(u64map *m, size_t expect)
{
    size_t cap = slots_for(expect);
    if (m->key && cap <= m->mask + 1)
        return SL_OK;
    return rehash(m, cap);
}

sl_error sli_u64map_put(u64map *m, uint64_t key, uint64_t **val, int *added)
{
    if (val)
        *val = NULL;
    if (added)
        *added = 0;
    if (!key) {
        if (added)
            *added = !m->has_zero;
        if (!m->has_zero) {
            m->has_zero = 1;
            m->zero_val = 0;
            m->n++;
        }
        if (val && !m->set)
            *val = &m->zero_val;
        return SL_OK;
    }
    if ((!m->key || 2 * (m->n + 1) > m->mask + 1) &&
        rehash(m, m->key ? 2 * (m->mask + 1) : slots_for(8)))
        return SL_ERR_NOMEM;
    size_t i = slot_of(key, m->mask);
    while (m->key[i] && m->key[i] != key)
        i = (i + 1) & m->mask;
    if (!m->key[i]) {
        m->key[i] = key;
        if (m->val)
            m->val[i] = 0;
        m->n++;
        if (added)
            *added = 1;
    }
    if (val && m->val)
        *val = &m->val[i];
    return SL_OK;
}

/* The key's slot, or -1 (key nonzero). */
static ptrdiff_t find(const u64map *m, uint64_t key)
{
    if (!m->key)
        return -1;
    for (size_t i = slot_of(key, m->mask); m->key[i]; i = (i + 1) & m->mask)
        if (m->key[i] == key)
            return (ptrdiff_t)i;
    return -1;
}

uint64_t *sli_u64map_get(const u64map *m, uint64_t key)
{
    if (m->set)
        return NULL;
    if (!key)
        return m->has_zero ? (uint64_t *)&m->zero_val : NULL;
    ptrdiff_t i = find(m, key);
    return i < 0 ? NULL : &m->val[i];
}

int sli_u64map_has(const u64map *m, uint64_t key)
{
    return key ? find(m, key) >= 0 : m->has_zero;
}

int sli_u64map_next(const u64map *m, size_t *pos, uint64_t *key, uint64_t *val)
{
    size_t slots = m->key ? m->mask + 1 : 0;
    for (; *pos < slots; ++*pos)
        if (m->key[*pos]) {
            *key = m->key[*pos];
            *val = m->val ? m->val[*pos] : 0;
            ++*pos;
            return 1;
        }
    if (*pos == slots && m->has_zero) {
        ++*pos;
        *key = 0;
        *val = m->set ? 0 : m->zero_val;
        return 1;
    }
    return 0;
}
