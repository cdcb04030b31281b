/* sketch.c — one-permutation MinHash with optimal densification over word shingles. */
#include "sketch.h"

#include <string.h>

#include "../core/mix.h"

/* Word bytes: ASCII letters and digits, and every byte of a multi-byte character. */
static const unsigned char word_byte[256] = {
#define D(c) [c] = 1
    D('0'), D('1'), D('2'), D('3'), D('4'), D('5'), D('6'), D('7'), D('8'), D('9'),
    D('a'), D('b'), D('c'), D('d'), D('e'), D('f'), D('g'), D('h'), D('i'), D('j'), D('k'),
    D('l'), D('m'), D('n'), D('o'), D('p'), D('q'), D('r'), D('s'), D('t'), D('u'), D('v'),
    D('w'), D('x'), D('y'), D('z'),
    D('A'), D('B'), D('C'), D('D'), D('E'), D('F'), D('G'), D('H'), D('I'), D('J'), D('K'),
    D('L'), D('M'), D('N'), D('O'), D('P'), D('Q'), D('R'), D('S'), D('T'), D('U'), D('V'),
    D('W'), D('X'), D('Y'), D('Z'),
#undef D
};

static int is_word_byte(unsigned char c)
{
    return c >= 0x80 || word_byte[c];
}


/* The masked load below keeps the first bytes of a word only on a little-endian machine. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LITTLE_ENDIAN_LOADS 1
#else
#define LITTLE_ENDIAN_LOADS 0
#endif

/* A word's hash: eight bytes at a time, multiply and rotate (words are short). `end` is the
 * end of the text: the last partial block is read as one 8-byte load and masked when the
 * text goes on far enough, which avoids a byte-by-byte copy. */
static uint64_t word_hash(const unsigned char *w, size_t n, const unsigned char *end)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    while (n >= 8) {
        uint64_t x;
        memcpy(&x, w, 8);
        h = (h ^ x) * 0x87c37b91114253d5ull;
        h = (h << 31) | (h >> 33);
        w += 8;
        n -= 8;
    }
    uint64_t x = 0;
    if (n) {
        if (LITTLE_ENDIAN_LOADS && (size_t)(end - w) >= 8) {
            memcpy(&x, w, 8);
            x &= ~0ull >> (64 - 8 * n); /* little-endian: keep the first n bytes */
        } else {
            memcpy(&x, w, n);
        }
    }
    return (h ^ x) * 0x4cf5ad432745937full;
}

/* One multiply and two shifts: enough to spread a rolling hash of already-mixed word
 * hashes over the bits the bins and values use (checked by the estimate property test). */
static uint64_t mix_fast(uint64_t x)
{
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ull;
    return x ^ (x >> 32);
}

/* The index of the first space at or after i (n if none), eight bytes at a time. */
static size_t next_space(const unsigned char *s, size_t i, size_t n)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    while (i + 8 <= n) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        x ^= ones * ' ';
        uint64_t zero = (x - ones) & ~x & high; /* high bit set where the byte was ' ' */
        if (zero)
            return i + (size_t)(__builtin_ctzll(zero) >> 3);
        i += 8;
    }
    while (i < n && s[i] != ' ')
        i++;
    return i;
}

/* The shingle hash: a polynomial rolling hash over the last SKETCH_SHINGLE word hashes
 * (base B, modulo 2^64), updated in two multiplications per word, then mixed. */
#define ROLL_B 0x9E3779B97F4A7C15ull

static uint64_t pow_b(int e)
{
    uint64_t p = 1;
    for (int i = 0; i < e; i++)
        p *= ROLL_B;
    return p;
}

/* Walk the shingles of s, handing each hash to EMIT (a statement using `sh`). A text of
 * fewer words than a shingle is one shingle of all its words. */
#define FOR_EACH_SHINGLE(str, n, EMIT)                                                     \
    do {                                                                                   \
        const unsigned char *s_ = (const unsigned char *)(str);                            \
        const uint64_t drop_ = pow_b(SKETCH_SHINGLE - 1);                                  \
        uint64_t ring_[SKETCH_SHINGLE], roll_ = 0;                                         \
        size_t words_ = 0, i_ = 0, n_ = (n), slot_ = 0;                                    \
        while (i_ < n_) {                                                                  \
            /* Normalised text has one space between tokens: find the next one 8 bytes at \
             * a time, then trim the punctuation at the token's ends. */                   \
            size_t w_ = i_, e_ = next_space(s_, i_, n_);                                   \
            i_ = e_ + 1;                                                                   \
            while (w_ < e_ && !is_word_byte(s_[w_]))                                       \
                w_++;                                                                      \
            while (e_ > w_ && !is_word_byte(s_[e_ - 1]))                                   \
                e_--;                                                                      \
            if (e_ == w_)                                                                  \
                continue;                                                                  \
            uint64_t wh_ = word_hash(s_ + w_, e_ - w_, s_ + n_);                           \
            if (words_ >= SKETCH_SHINGLE)                                                  \
                roll_ -= ring_[slot_] * drop_;                                             \
            roll_ = roll_ * ROLL_B + wh_;                                                  \
            ring_[slot_] = wh_;                                                            \
            slot_ = slot_ + 1 == SKETCH_SHINGLE ? 0 : slot_ + 1;                           \
            words_++;                                                                      \
            if (words_ >= SKETCH_SHINGLE) {                                                \
                uint64_t sh = mix_fast(roll_);                                             \
                EMIT;                                                                      \
            }                                                                              \
        }                                                                                  \
        if (words_ > 0 && words_ < SKETCH_SHINGLE) {                                       \
            uint64_t sh = sli_mix64(roll_ ^ words_);                                           \
            EMIT;                                                                          \
        }                                                                                  \
    } while (0)

void sli_sketch_each_shingle(const char *s, size_t n, void (*fn)(void *user, uint64_t h), void *user)
{
    FOR_EACH_SHINGLE(s, n, fn(user, sh));
}

void sli_sketch_text(const char *s, size_t n, sketch *out)
{
    uint32_t *v = out->v;
    uint32_t count = 0;
    uint64_t filled_bins[SKETCH_K / 64] = {0}; /* not the value: 0xFFFFFFFF may be real */
    memset(v, 0xFF, sizeof out->v);
    /* The top bits choose the bin, the low 32 bits are the value. */
    FOR_EACH_SHINGLE(s, n, {
        uint32_t bin_ = (uint32_t)(sh >> 57) & (SKETCH_K - 1);
        uint32_t val_ = (uint32_t)sh;
        if (val_ < v[bin_])
            v[bin_] = val_;
        filled_bins[bin_ >> 6] |= 1ull << (bin_ & 63);
        count++;
    });
    out->shingles = count;
    if (!count) {
        memset(out->v, 0, sizeof out->v);
        return;
    }
    /* Optimal densification: an empty bin takes the value of the first filled bin on a
     * random walk that depends only on the bin and the attempt, so the same empty bins of
     * two similar texts borrow from the same places. At least one bin is filled (count >
     * 0), so every walk ends; a walk that is unlucky for 4096 steps takes the first filled
     * bin instead (also the same for every text). */
    uint32_t vals[SKETCH_K];
    memcpy(vals, out->v, sizeof vals);
    uint32_t first = 0;
    while (!(filled_bins[first >> 6] >> (first & 63) & 1))
        first++;
    for (uint32_t b = 0; b < SKETCH_K; b++) {
        if (filled_bins[b >> 6] >> (b & 63) & 1)
            continue;
        out->v[b] = vals[first];
        for (uint64_t attempt = 1; attempt <= 4096; attempt++) {
            uint32_t j = (uint32_t)(sli_mix64(((uint64_t)b << 32) | attempt) >> 57) & (SKETCH_K - 1);
            if (filled_bins[j >> 6] >> (j & 63) & 1) {
                out->v[b] = vals[j];
                break;
            }
        }
    }
}

double sli_sketch_jaccard(const sketch *a, const sketch *b)
{
    if (!a->shingles || !b->shingles)
        return 0;
    int same = 0;
    for (int i = 0; i < SKETCH_K; i++)
        same += a->v[i] == b->v[i];
    return (double)same / SKETCH_K;
}
