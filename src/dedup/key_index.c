/* key_index.c — open addressing on the key's high half, chains of values per key. */
#include "key_index.h"

#include <stdlib.h>

typedef struct slot {
    uint32_t tag;  /* the key's low 32 bits */
    uint32_t head; /* 1 + the key's newest entry; 0: empty slot */
} slot;

typedef struct entry {
    uint32_t value;
    uint32_t next; /* 1 + the key's next older entry; 0: none */
} entry;

struct key_index {
    slot *slots;
    entry *entries;
    size_t nslots, nentries, cap;
};

sl_error sli_key_index_create(size_t keys, key_index **out)
{
    *out = NULL;
    if (keys >= UINT32_MAX - 1)
        return SL_ERR_TOO_BIG;
    key_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return SL_ERR_NOMEM;
    ix->cap = keys ? keys : 1;
    /* Load at most 0.7 (keys / 0.7, plus one so that a probe always ends). */
    ix->nslots = ix->cap + ix->cap * 3 / 7 + 1;
    ix->slots = calloc(ix->nslots, sizeof *ix->slots);
    ix->entries = malloc(ix->cap * sizeof *ix->entries);
    if (!ix->slots || !ix->entries) {
        sli_key_index_free(ix);
        return SL_ERR_NOMEM;
    }
    *out = ix;
    return SL_OK;
}

void sli_key_index_free(key_index *ix)
{
    if (!ix)
        return;
    free(ix->slots);
    free(ix->entries);
    free(ix);
}

/* The first slot to probe: the key's high half scaled to the table (no division). */
static size_t home(const key_index *ix, uint64_t key)
{
    return (size_t)(((key >> 32) * (uint64_t)ix->nslots) >> 32);
}

static slot *find(const key_index *ix, uint64_t key)
{
    uint32_t tag = (uint32_t)key;
    size_t i = home(ix, key);
    for (;;) {
        slot *s = &ix->slots[i];
        if (!s->head || s->tag == tag)
            return s;
        if (++i == ix->nslots)
            i = 0;
    }
}

sl_error sli_key_index_add(key_index *ix, uint64_t key, uint32_t value)
{
    if (ix->nentries == ix->cap)
        return SL_ERR_TOO_BIG;
    slot *s = find(ix, key);
    entry *e = &ix->entries[ix->nentries];
    e->value = value;
    e->next = s->head;
    s->tag = (uint32_t)key;
    s->head = (uint32_t)++ix->nentries;
    return SL_OK;
}

void sli_key_index_each(const key_index *ix, uint64_t key, void (*fn)(void *user, uint32_t value),
                    void *user)
{
    for (uint32_t k = find(ix, key)->head; k; k = ix->entries[k - 1].next)
        fn(user, ix->entries[k - 1].value);
}

size_t sli_key_index_bytes(const key_index *ix)
{
    return ix->nslots * sizeof *ix->slots + ix->cap * sizeof *ix->entries;
}
