/* bloom.c — blocked Bloom filter: one 64-bit mix of the key picks a 512-bit block (by
 * multiply-shift, so any number of blocks) and 4 bits in it; or the caller's place picks
 * the block, in order (bloom.h). */
#include "bloom.h"

#include <stdlib.h>

#define MIN_BLOCKS 128 /* 8 KiB */

sl_error sli_bloom_init(bloom *b, uint64_t keys)
{
    return sli_bloom_init_bits(b, keys, BLOOM_BITS_PER_KEY);
}

sl_error sli_bloom_init_bits(bloom *b, uint64_t keys, unsigned bits_per_key)
{
    b->bits = NULL;
    b->blocks = 0;
    if (!bits_per_key || keys > (UINT64_MAX - 511) / bits_per_key)
        return SL_ERR_TOO_BIG;
    return sli_bloom_init_blocks(b, (keys * bits_per_key + 511) / 512);
}

int sli_bloom_blocks_made(uint64_t blocks)
{
    return blocks >= MIN_BLOCKS && blocks <= UINT32_MAX && blocks <= SIZE_MAX / 64;
}

sl_error sli_bloom_init_blocks(bloom *b, uint64_t blocks)
{
    b->bits = NULL;
    b->blocks = 0;
    if (blocks < MIN_BLOCKS)
        blocks = MIN_BLOCKS;
    if (!sli_bloom_blocks_made(blocks))
        return SL_ERR_TOO_BIG;
    b->bits = calloc((size_t)blocks * 8, sizeof *b->bits);
    if (!b->bits)
        return SL_ERR_NOMEM;
    b->blocks = blocks;
    return SL_OK;
}

void sli_bloom_free(bloom *b)
{
    free(b->bits);
    b->bits = NULL;
    b->blocks = 0;
}

uint64_t sli_bloom_bytes(const bloom *b)
{
    return b->blocks * 64;
}

/* splitmix64's finaliser: every bit of the key in every bit of the result (the stored
 * keys have 32 bits of their own, sign extended). */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    return x ^ x >> 31;
}

/* The block `place` picks: multiply-shift, monotone in place. */
uint64_t sli_bloom_block_index(uint64_t blocks, uint32_t place)
{
    return (uint64_t)place * blocks >> 32;
}

/* The first word of the block at `place`; a key's 4 bits are the low 36 bits of its mix,
 * 9 a probe. */
static uint64_t *block_at(const bloom *b, uint32_t place)
{
    return b->bits + sli_bloom_block_index(b->blocks, place) * 8;
}

static void set_bits(uint64_t *w, uint64_t h)
{
    for (int i = 0; i < 4; i++, h >>= 9)
        w[(h >> 6) & 7] |= 1ull << (h & 63);
}

static int has_bits(const uint64_t *w, uint64_t h)
{
    for (int i = 0; i < 4; i++, h >>= 9)
        if (!(w[(h >> 6) & 7] >> (h & 63) & 1))
            return 0;
    return 1;
}

void sli_bloom_add(bloom *b, uint64_t key)
{
    uint64_t h = mix(key);
    set_bits(block_at(b, (uint32_t)(h >> 32)), h);
}

int sli_bloom_maybe(const bloom *b, uint64_t key)
{
    uint64_t h = mix(key);
    return has_bits(block_at(b, (uint32_t)(h >> 32)), h);
}

void sli_bloom_add_placed(bloom *b, uint32_t place, uint64_t key)
{
    set_bits(block_at(b, place), mix(key));
}

int sli_bloom_maybe_placed(const bloom *b, uint32_t place, uint64_t key)
{
    return has_bits(block_at(b, place), mix(key));
}

int sli_bloom_block_maybe(const uint64_t *block, uint64_t key)
{
    return has_bits(block, mix(key));
}
