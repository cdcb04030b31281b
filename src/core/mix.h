/* mix.h — the finaliser of MurmurHash3 (fmix64), a bijection of 64 bits in which every
 * bit of the input reaches every bit of the output (internal). Where it is used: to spread
 * the shingles' rolling hashes and the MinHash bands' draws (sketch.c), names' hashes
 * (facts/entities.c), shingles of page blocks (ingest/html_blocks.c), and keys narrower
 * than 64 bits before a table places them by their high bits (dedup/family_group.c).
 * A bijection: equal inputs stay equal, distinct ones stay distinct. */
#ifndef SL_CORE_MIX_H
#define SL_CORE_MIX_H

#include <stdint.h>

static inline uint64_t sli_mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ x >> 33;
}

#endif
