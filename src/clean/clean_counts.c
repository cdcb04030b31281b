/* clean_counts.c — a batch's line repetition counts, in memory until the commit.
 *
 * The entries (hash, source, articles) lie in one array, the form the store takes them in;
 * the core hash table (core/u64map.h) finds an entry from a key mixed of its hash and its
 * source. Two pairs can mix to the same key: the entry found is then checked, and the key
 * mixed again until the pair's own entry or a free key is found. */
#include "clean_store.h"

#include <stdlib.h>
#include <string.h>

#include "../core/u64map.h"

#define FLUSH_AT (1u << 20) /* entries held before they go to the store */

struct clean_counts {
    store_line_count *entry; /* the batch's distinct (hash, source) pairs */
    size_t n, cap;
    u64map at;               /* mix(hash, source) -> index + 1 into entry */
    char *last_source;       /* a one-entry cache of source name -> id */
    long long last_id;
};

sl_error sli_clean_counts_create(clean_counts **out)
{
    *out = NULL;
    clean_counts *c = calloc(1, sizeof *c);
    if (!c)
        return SL_ERR_NOMEM;
    c->cap = 4096;
    c->entry = malloc(c->cap * sizeof *c->entry);
    if (!c->entry || sli_u64map_init(&c->at, c->cap)) {
        sli_clean_counts_free(c);
        return SL_ERR_NOMEM;
    }
    *out = c;
    return SL_OK;
}

void sli_clean_counts_free(clean_counts *c)
{
    if (!c)
        return;
    free(c->entry);
    sli_u64map_free(&c->at);
    free(c->last_source);
    free(c);
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x9E3779B97F4A7C15ull;
    return x ^ x >> 29;
}

static sl_error counts_add(clean_counts *c, uint64_t hash, long long source)
{
    if (c->n == c->cap) { /* room first: a key once added must have its entry */
        store_line_count *bigger = realloc(c->entry, 2 * c->cap * sizeof *bigger);
        if (!bigger)
            return SL_ERR_NOMEM;
        c->entry = bigger;
        c->cap *= 2;
    }
    uint64_t key = hash ^ mix((uint64_t)source);
    for (;;) {
        uint64_t *at;
        int added;
        sl_error err = sli_u64map_put(&c->at, key, &at, &added);
        if (err)
            return err;
        if (added) {
            c->entry[c->n] = (store_line_count){hash, source, 1};
            *at = ++c->n;
            return SL_OK;
        }
        store_line_count *e = &c->entry[*at - 1];
        if (e->hash == hash && e->source == source) {
            e->articles++;
            return SL_OK;
        }
        key = mix(key + 1); /* another pair's key: try the next */
    }
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
    u64map seen;
    sl_error err = sli_u64map_init_set(&seen, lines->n);
    for (size_t i = 0; i < lines->n && !err; i++) {
        const clean_line *l = &lines->lines[i];
        if (l->chars > CLEAN_COUNTED_CHARS)
            continue;
        int added;
        err = sli_u64map_put(&seen, l->hash, NULL, &added);
        if (!err && added)
            err = counts_add(c, l->hash, c->last_id);
    }
    sli_u64map_free(&seen);
    if (err)
        return err;
    if (c->n >= FLUSH_AT)
        return sli_clean_counts_flush(c, st);
    return SL_OK;
}

sl_error sli_clean_counts_flush(clean_counts *c, sl_store *st)
{
    sl_error err = sli_store_lines_add(st, c->entry, c->n);
    if (!err)
        err = sli_store_lines_settle(st);
    sli_u64map_clear(&c->at);
    c->n = 0;
    return err;
}
