/* line_tally.c — the first round of line counts merged across machines (the public
 * sl_line_tally): which lines are printed by enough articles to change a cleaning, found
 * from each shard's distinct lines as 32-bit keys with their articles capped at
 * CLEAN_REPEATS_MATTER (sl_line_counts_write_lines), summed by part. Each shard then sends
 * the counts of those lines only (sl_line_counts_write_kept): the lines printed once or
 * twice, most of a site's lines, stay home.
 *
 * A key is the line hash's high 32 bits (a line's part is its whole hash modulo the
 * parts, sl_line_counts_write_part). Two lines of one
 * key are summed as one: a line may be kept that need not be (the merged counts are made
 * exact by sl_line_counts_write_part with `repeated`), never one dropped that changes a
 * cleaning.
 *
 * The blob: "SLT1", then for each key in rising order a varint of (key - the key before)
 * << 2 | articles (1 to 3; the key before the first is 0). Nothing may follow. */
#include <stdlib.h>
#include <string.h>

#include "../core/u64map.h"
#include "../core/varint.h"
#include "line_counts.h"

_Static_assert(CLEAN_REPEATS_MATTER >= 1 && CLEAN_REPEATS_MATTER <= 3,
               "a key's capped articles fit in two bits");

static const char MAGIC[4] = {'S', 'L', 'T', '1'};

struct sl_line_tally {
    u64map sum; /* key -> articles of every blob added, capped at CLEAN_REPEATS_MATTER */
};

sl_error sl_line_tally_create(sl_line_tally **out)
{
    if (!out)
        return SL_ERR_INVALID;
    *out = NULL;
    sl_line_tally *t = calloc(1, sizeof *t);
    if (!t)
        return SL_ERR_NOMEM;
    if (sli_u64map_init(&t->sum, 1024)) {
        free(t);
        return SL_ERR_NOMEM;
    }
    *out = t;
    return SL_OK;
}

void sl_line_tally_free(sl_line_tally *t)
{
    if (!t)
        return;
    sli_u64map_free(&t->sum);
    free(t);
}

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

sl_error sli_line_keys_write(const u64map *keys, sl_write_fn fn, void *user)
{
    /* (key << 2 | articles) sorts as the keys do */
    uint64_t *v = malloc((keys->n ? keys->n : 1) * sizeof *v);
    if (!v)
        return SL_ERR_NOMEM;
    size_t n = 0, pos = 0;
    uint64_t key, articles;
    while (sli_u64map_next(keys, &pos, &key, &articles))
        v[n++] = key << 2 | (articles < CLEAN_REPEATS_MATTER ? articles : CLEAN_REPEATS_MATTER);
    qsort(v, n, sizeof *v, by_value);
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    sl_error err = sli_buf_append(&b, MAGIC, sizeof MAGIC);
    uint64_t before = 0;
    for (size_t i = 0; !err && i < n; i++) {
        err = sli_buf_put_varint(&b, ((v[i] >> 2) - before) << 2 | (v[i] & 3));
        before = v[i] >> 2;
    }
    free(v);
    if (!err && fn(user, b.data, b.len))
        err = SL_ERR_WRITE;
    sli_buf_free(&b);
    return err;
}

/* The blob's entries, each handed to fn (0 to go on); 0, or -1 when it is not a whole
 * blob (then fn has been called for none of them: the blob is checked first). */
static int each_entry(const unsigned char *data, size_t len,
                      sl_error (*fn)(void *user, uint64_t key, uint64_t articles), void *user,
                      sl_error *err)
{
    if (len < sizeof MAGIC || memcmp(data, MAGIC, sizeof MAGIC))
        return -1;
    for (int pass = 0; pass < 2; pass++) {
        const unsigned char *p = data + sizeof MAGIC, *end = data + len;
        uint64_t key = 0;
        for (int first = 1; p < end; first = 0) {
            uint64_t v;
            if (!sli_varint_get(&p, end, &v) || (v & 3) == 0)
                return -1;
            uint64_t delta = v >> 2;
            if (delta > UINT32_MAX - key || (!first && !delta)) /* keys rise, none twice */
                return -1;
            key += delta;
            if (pass && (*err = fn(user, key, v & 3)))
                return 0;
        }
    }
    return 0;
}

static sl_error add_entry(void *user, uint64_t key, uint64_t articles)
{
    sl_line_tally *t = user;
    uint64_t *sum;
    sl_error err = sli_u64map_put(&t->sum, key, &sum, NULL);
    if (!err) {
        *sum += articles;
        if (*sum > CLEAN_REPEATS_MATTER)
            *sum = CLEAN_REPEATS_MATTER;
    }
    return err;
}

sl_error sl_line_tally_add(sl_line_tally *t, const void *blob, size_t len)
{
    if (!t || (!blob && len))
        return SL_ERR_INVALID;
    sl_error err = SL_OK;
    if (each_entry(blob, len, add_entry, t, &err) < 0)
        return SL_ERR_INVALID;
    return err;
}

sl_error sl_line_tally_write_repeated(const sl_line_tally *t, sl_write_fn fn, void *user)
{
    if (!t || !fn)
        return SL_ERR_INVALID;
    u64map kept = {0};
    sl_error err = sli_u64map_init(&kept, 1024);
    size_t pos = 0;
    uint64_t key, sum;
    while (!err && sli_u64map_next(&t->sum, &pos, &key, &sum))
        if (sum >= CLEAN_REPEATS_MATTER) {
            uint64_t *v;
            err = sli_u64map_put(&kept, key, &v, NULL);
            if (!err)
                *v = CLEAN_REPEATS_MATTER;
        }
    if (!err)
        err = sli_line_keys_write(&kept, fn, user);
    sli_u64map_free(&kept);
    return err;
}

int sli_line_tally_repeated(const sl_line_tally *t, uint64_t line)
{
    const uint64_t *sum = sli_u64map_get(&t->sum, sli_line_key(line));
    return sum && *sum >= CLEAN_REPEATS_MATTER;
}
