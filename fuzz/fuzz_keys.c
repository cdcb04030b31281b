/* fuzz_keys — libFuzzer harness for sl_key_pairs_add, the parser of the packed dedup keys
 * another worker wrote (sl_key_blobs_write): any bytes are added to a reducer that already
 * holds a shard's rows. A blob refused must leave the reducer writing the pairs it wrote
 * before; a blob taken must leave it writing pairs (16 bytes each, rising, the lower
 * number first), and added again under another shard number, pair each of its rows' keys
 * with that shard's copy. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "storyline.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

typedef struct bytes {
    char *s;
    size_t n;
} bytes;

static int collect(void *user, const char *d, size_t n)
{
    bytes *t = user;
    char *grown = realloc(t->s, t->n + n + 1);
    if (!grown)
        return 1;
    memcpy(grown + t->n, d, n);
    t->s = grown;
    t->n += n;
    return 0;
}

static int collect_blob(void *user, unsigned partition, const void *blob, size_t len)
{
    (void)partition;
    return collect(user, blob, len);
}

static uint64_t le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* The pairs written rise strictly, each the lower number first. */
static void check_pairs(const bytes *out)
{
    if (out->n % 16)
        abort();
    for (size_t i = 0; i < out->n; i += 16) {
        const unsigned char *p = (const unsigned char *)out->s + i;
        uint64_t a = le64(p), b = le64(p + 8);
        if (a >= b)
            abort();
        if (i) {
            uint64_t pa = le64(p - 16), pb = le64(p - 8);
            if (pa > a || (pa == a && pb >= b))
                abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static const unsigned long long keys[] = {1, 2, 3, 1ULL << 40, 77};
    static const unsigned places[] = {0, 1, 2, 3, 3};
    sl_key_pairs *kp = NULL, *twice = NULL;
    bytes seed = {0}, before = {0}, after = {0}, again = {0};
    if (sl_key_pairs_create(&kp, 64) != SL_OK || sl_key_pairs_create(&twice, 64) != SL_OK ||
        sl_key_blobs_write(keys, places, 5, 48, 1, collect_blob, &seed) != SL_OK ||
        sl_key_pairs_add(kp, 1, seed.s, seed.n) != SL_OK ||
        sl_key_pairs_add(kp, 2, seed.s, seed.n) != SL_OK)
        goto done;
    if (sl_key_pairs_write(kp, collect, &before) != SL_OK)
        goto done;
    check_pairs(&before);
    sl_error err = sl_key_pairs_add(kp, 3, data, size);
    if (sl_key_pairs_write(kp, collect, &after) != SL_OK)
        goto done;
    check_pairs(&after);
    if (err != SL_OK && err != SL_ERR_NOMEM &&
        (before.n != after.n || memcmp(before.s, after.s, before.n)))
        abort(); /* a blob refused changed the reducer */
    if (err == SL_OK) {
        if (sl_key_pairs_add(twice, 0, data, size) != SL_OK ||
            sl_key_pairs_add(twice, 1, data, size) != SL_OK)
            abort(); /* a blob taken once is taken again */
        if (sl_key_pairs_write(twice, collect, &again) != SL_OK)
            goto done;
        check_pairs(&again);
        if (!again.n)
            abort(); /* every row's copy in shard 1 pairs with it */
    }
done:
    free(seed.s);
    free(before.s);
    free(after.s);
    free(again.s);
    sl_key_pairs_free(kp);
    sl_key_pairs_free(twice);
    return 0;
}
