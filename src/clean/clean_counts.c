/* clean_counts.c — a batch's line repetition counts, in memory until the commit. */
#include "clean_store.h"

#include <stdlib.h>
#include <string.h>

#include "../core/hset.h"

#define FLUSH_AT (1u << 20) /* entries held before they go to the store */

struct clean_counts {
    store_line_count *slot; /* open addressing on (hash, source); articles 0: empty */
    size_t mask, n;
    char *last_source;      /* a one-entry cache of source name -> id */
    long long last_id;
};

static int counts_grow(clean_counts *c, size_t cap)
{
    store_line_count *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return 0;
    for (size_t i = 0; c->slot && i <= c->mask; i++) {
        store_line_count *e = &c->slot[i];
        if (!e->articles)
            continue;
        size_t j = (size_t)((e->hash ^ (uint64_t)e->source * 0x9E3779B97F4A7C15ull) & (cap - 1));
        while (slot[j].articles)
            j = (j + 1) & (cap - 1);
        slot[j] = *e;
    }
    free(c->slot);
    c->slot = slot;
    c->mask = cap - 1;
    return 1;
}

clean_counts *sli_clean_counts_create(void)
{
    clean_counts *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (!counts_grow(c, 4096)) {
        free(c);
        return NULL;
    }
    return c;
}

void sli_clean_counts_free(clean_counts *c)
{
    if (!c)
        return;
    free(c->slot);
    free(c->last_source);
    free(c);
}

static int counts_add(clean_counts *c, uint64_t hash, long long source)
{
    if ((c->n + 1) * 2 > c->mask + 1 && !counts_grow(c, (c->mask + 1) * 2))
        return 0;
    size_t j = (size_t)((hash ^ (uint64_t)source * 0x9E3779B97F4A7C15ull) & c->mask);
    while (c->slot[j].articles) {
        if (c->slot[j].hash == hash && c->slot[j].source == source) {
            c->slot[j].articles++;
            return 1;
        }
        j = (j + 1) & c->mask;
    }
    c->slot[j] = (store_line_count){hash, source, 1};
    c->n++;
    return 1;
}

sl_error sli_clean_counts_note(clean_counts *c, sl_store *st, const char *source,
                           const clean_result *lines)
{
    if (!c->last_source || strcmp(c->last_source, source)) {
        long long id;
        sl_error err = sli_store_source_id(st, source, &id);
        if (err)
            return err;
        free(c->last_source);
        c->last_source = strdup(source);
        if (!c->last_source)
            return SL_ERR_NOMEM;
        c->last_id = id;
    }
    /* Each line once per article: a line printed twice is counted once. */
    hset seen;
    if (!sli_hset_init(&seen, lines->n))
        return SL_ERR_NOMEM;
    sl_error err = SL_OK;
    for (size_t i = 0; i < lines->n && !err; i++) {
        const clean_line *l = &lines->lines[i];
        if (l->chars > CLEAN_COUNTED_CHARS)
            continue;
        int added = sli_hset_add(&seen, l->hash);
        if (added < 0 || (added && !counts_add(c, l->hash, c->last_id)))
            err = SL_ERR_NOMEM;
    }
    sli_hset_free(&seen);
    if (err)
        return err;
    if (c->n >= FLUSH_AT)
        return sli_clean_counts_flush(c, st);
    return SL_OK;
}

sl_error sli_clean_counts_flush(clean_counts *c, sl_store *st)
{
    /* Pack the entries to the front, then hand them over in one go. */
    size_t k = 0;
    for (size_t i = 0; i <= c->mask; i++)
        if (c->slot[i].articles)
            c->slot[k++] = c->slot[i];
    sl_error err = sli_store_lines_add(st, c->slot, k);
    memset(c->slot, 0, (c->mask + 1) * sizeof *c->slot);
    c->n = 0;
    return err;
}
