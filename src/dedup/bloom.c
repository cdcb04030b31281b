/* bloom.c — double hashing from one 64-bit key. */
#include "bloom.h"

#include <stdlib.h>

sl_error sli_bloom_init(bloom *b, uint64_t keys)
{
    uint64_t nbits = 1 << 16;
    while (nbits < keys * 16)
        nbits <<= 1;
    b->bits = calloc(nbits / 64, sizeof *b->bits);
    b->mask = nbits - 1;
    return b->bits ? SL_OK : SL_ERR_NOMEM;
}

void sli_bloom_free(bloom *b)
{
    free(b->bits);
    b->bits = NULL;
}

void sli_bloom_add(bloom *b, uint64_t key)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ull, step = (key >> 29 | 1) * 0xBF58476D1CE4E5B9ull;
    for (int i = 0; i < 4; i++, h += step)
        b->bits[(h & b->mask) >> 6] |= 1ull << (h & 63);
}

int sli_bloom_maybe(const bloom *b, uint64_t key)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ull, step = (key >> 29 | 1) * 0xBF58476D1CE4E5B9ull;
    for (int i = 0; i < 4; i++, h += step)
        if (!(b->bits[(h & b->mask) >> 6] >> (h & 63) & 1))
            return 0;
    return 1;
}
