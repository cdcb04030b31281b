/* key_shuffle.c — the dedup keys' shuffle across machines (the public sl_key_blobs_write
 * and sl_key_pairs): each shard's band and paragraph keys packed a partition at a time,
 * and a partition's reducer that turns every shard's blobs into candidate pairs.
 *
 * Why Rice codes: a partition's keys, sorted, spread evenly over 2^key_bits / partitions
 * values, so the gaps between neighbours are close to geometric, and a Rice code whose
 * parameter k is log2 of the mean gap takes about k + 2 bits a gap, where a varint takes
 * whole bytes of 7 bits (four bytes for a 48-bit key's gaps at 20,000 articles a shard,
 * against 26 bits). A place takes the bits of the blob's largest place.
 *
 * The blob: "SLK1", then varints key_bits (32 to 64), partitions (1 to 65,536), the
 * partition, rows (1 or more), then a byte k (0 to 63) and a byte place_bits (0 to 20),
 * then a bit stream, least significant bit of each byte first: for each row in rising
 * (key, place) order, the gap between its key's quotient by partitions and the row
 * before's (the first row's: the quotient itself) as (gap >> k) one bits, a zero bit and
 * the gap's k low bits, then the place in place_bits bits. The last byte is padded with
 * zero bits; nothing follows. Rows rise strictly: a row twice is refused. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/grow.h"
#include "../core/varint.h"
#include "storyline.h"

static const char MAGIC[4] = {'S', 'L', 'K', '1'};

enum {
    PLACE_BITS = 20,       /* an article's place in its shard is under 2^20 */
    SHARD_BITS = 44,       /* shard << 20 | place fits 64 bits */
    MAX_PARTITIONS = 65536,
    MAX_WINDOW = 65536, /* the most articles before it an article is paired with */
};

static uint64_t mask_of(unsigned key_bits)
{
    return key_bits >= 64 ? UINT64_MAX : (UINT64_C(1) << key_bits) - 1;
}

/* ---- writing ---- */

typedef struct row {
    uint64_t q;      /* the key's quotient by the partitions */
    uint32_t part;   /* the key modulo the partitions */
    uint32_t place;
} row;

static int by_row(const void *a, const void *b)
{
    const row *x = a, *y = b;
    if (x->part != y->part)
        return x->part < y->part ? -1 : 1;
    if (x->q != y->q)
        return x->q < y->q ? -1 : 1;
    return (x->place > y->place) - (x->place < y->place);
}

typedef struct bit_writer {
    buf *b;
    uint64_t acc; /* bits not yet written, the first at bit 0 */
    unsigned n;   /* how many */
    sl_error err;
} bit_writer;

static void flush_whole(bit_writer *w)
{
    unsigned char bytes[8];
    unsigned k = 0;
    while (w->n >= 8) {
        bytes[k++] = (unsigned char)w->acc;
        w->acc >>= 8;
        w->n -= 8;
    }
    if (k && !w->err)
        w->err = sli_buf_append(w->b, bytes, k);
}

/* The low `bits` (0 to 64) of v. */
static void put_bits(bit_writer *w, uint64_t v, unsigned bits)
{
    while (bits) {
        unsigned take = 56 - w->n < bits ? 56 - w->n : bits; /* w->n < 8 here */
        w->acc |= (v & ((UINT64_C(1) << take) - 1)) << w->n;
        w->n += take;
        v >>= take;
        bits -= take;
        flush_whole(w);
    }
}

static void put_unary(bit_writer *w, uint64_t ones)
{
    for (; ones >= 32; ones -= 32)
        put_bits(w, UINT32_MAX, 32);
    put_bits(w, (UINT64_C(1) << ones) - 1, (unsigned)ones + 1); /* the ones, then a zero */
}

static unsigned bits_for(uint64_t v) /* the bits v takes: 0 for 0 */
{
    unsigned n = 0;
    while (v) {
        n++;
        v >>= 1;
    }
    return n;
}

/* One partition's rows r[0..n) (sorted, no row twice) as a blob, handed to fn. */
static sl_error write_blob(const row *r, size_t n, unsigned key_bits, unsigned partitions,
                           buf *b, sl_key_blob_fn fn, void *user)
{
    uint32_t top_place = 0;
    for (size_t i = 0; i < n; i++)
        if (r[i].place > top_place)
            top_place = r[i].place;
    /* k: log2 of the mean gap, rounded down. The gaps then add up to at most 2n << k,
     * so the unary parts take at most 2n bits in all, whatever the keys. */
    uint64_t mean = r[n - 1].q / n;
    unsigned k = mean ? bits_for(mean) - 1 : 0;
    sli_buf_clear(b);
    sl_error err = sli_buf_append(b, MAGIC, sizeof MAGIC);
    if (!err)
        err = sli_buf_put_varint(b, key_bits);
    if (!err)
        err = sli_buf_put_varint(b, partitions);
    if (!err)
        err = sli_buf_put_varint(b, r[0].part);
    if (!err)
        err = sli_buf_put_varint(b, n);
    unsigned char params[2] = {(unsigned char)k, (unsigned char)bits_for(top_place)};
    if (!err)
        err = sli_buf_append(b, params, sizeof params);
    bit_writer w = {.b = b, .err = err};
    uint64_t before = 0;
    for (size_t i = 0; i < n && !w.err; i++) {
        uint64_t gap = r[i].q - before;
        before = r[i].q;
        put_unary(&w, gap >> k);
        put_bits(&w, gap, k);
        put_bits(&w, r[i].place, params[1]);
    }
    if (w.n)
        put_bits(&w, 0, 8 - w.n);
    if (w.err)
        return w.err;
    return fn(user, r[0].part, b->data, b->len) ? SL_ERR_WRITE : SL_OK;
}

sl_error sl_key_blobs_write(const unsigned long long *keys, const unsigned *places, size_t n,
                            unsigned key_bits, unsigned partitions, sl_key_blob_fn fn,
                            void *user)
{
    if ((!keys || !places) && n)
        return SL_ERR_INVALID;
    if (!fn || key_bits < 32 || key_bits > 64 || !partitions || partitions > MAX_PARTITIONS)
        return SL_ERR_INVALID;
    if (!n)
        return SL_OK;
    if (n > SIZE_MAX / sizeof(row))
        return SL_ERR_NOMEM;
    row *r = malloc(n * sizeof *r);
    if (!r)
        return SL_ERR_NOMEM;
    uint64_t mask = mask_of(key_bits);
    for (size_t i = 0; i < n; i++) {
        if (places[i] >= UINT32_C(1) << PLACE_BITS) {
            free(r);
            return SL_ERR_INVALID;
        }
        uint64_t k = keys[i] & mask;
        r[i] = (row){.q = k / partitions, .part = (uint32_t)(k % partitions),
                     .place = places[i]};
    }
    qsort(r, n, sizeof *r, by_row);
    size_t kept = 0; /* a row given twice is sent once */
    for (size_t i = 0; i < n; i++)
        if (!kept || by_row(&r[kept - 1], &r[i]))
            r[kept++] = r[i];
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    sl_error err = SL_OK;
    for (size_t i = 0, j; i < kept && !err; i = j) {
        for (j = i + 1; j < kept && r[j].part == r[i].part; j++)
            ;
        err = write_blob(r + i, j - i, key_bits, partitions, &b, fn, user);
    }
    sli_buf_free(&b);
    free(r);
    return err;
}

/* ---- reading ---- */

typedef struct bit_reader {
    const unsigned char *p, *end;
    unsigned acc; /* the bits of the current byte not yet read, the next at bit 0 */
    unsigned n;   /* how many */
} bit_reader;

static int get_bits(bit_reader *r, unsigned bits, uint64_t *v)
{
    uint64_t out = 0;
    for (unsigned got = 0; got < bits;) {
        if (!r->n) {
            if (r->p == r->end)
                return 0;
            r->acc = *r->p++;
            r->n = 8;
        }
        unsigned take = bits - got < r->n ? bits - got : r->n;
        out |= (uint64_t)(r->acc & ((1u << take) - 1)) << got;
        r->acc >>= take;
        r->n -= take;
        got += take;
    }
    *v = out;
    return 1;
}

/* The one bits before the next zero bit; 0 when there are more than `most`, or the stream
 * ends first. */
static int get_unary(bit_reader *r, uint64_t most, uint64_t *ones)
{
    *ones = 0;
    for (;;) {
        if (!r->n) {
            if (r->p == r->end)
                return 0;
            r->acc = *r->p++;
            r->n = 8;
        }
        if (r->acc == (1u << r->n) - 1) { /* every bit left in this byte is a one */
            *ones += r->n;
            r->n = 0;
        } else {
            while (r->acc & 1) {
                ++*ones;
                r->acc >>= 1;
                r->n--;
            }
            r->acc >>= 1; /* the zero */
            r->n--;
            return *ones <= most;
        }
        if (*ones > most)
            return 0;
    }
}

typedef struct blob_head {
    unsigned key_bits, partitions, partition, k, place_bits;
    uint64_t rows;
} blob_head;

/* The rows of a blob, each handed to fn(user, key, place); 0, or -1 when the blob is not
 * a whole one (fn may have been called for some rows: the caller undoes them). */
static int each_row(const unsigned char *data, size_t len, blob_head *h,
                    int (*fn)(void *user, uint64_t key, uint32_t place), void *user)
{
    if (len < sizeof MAGIC || memcmp(data, MAGIC, sizeof MAGIC))
        return -1;
    const unsigned char *p = data + sizeof MAGIC, *end = data + len;
    uint64_t v[4];
    for (int i = 0; i < 4; i++)
        if (!sli_varint_get(&p, end, &v[i]))
            return -1;
    if (v[0] < 32 || v[0] > 64 || !v[1] || v[1] > MAX_PARTITIONS || v[2] >= v[1] || !v[3])
        return -1;
    if (end - p < 2 || p[0] > 63 || p[1] > PLACE_BITS)
        return -1;
    *h = (blob_head){.key_bits = (unsigned)v[0], .partitions = (unsigned)v[1],
                     .partition = (unsigned)v[2], .rows = v[3], .k = p[0],
                     .place_bits = p[1]};
    p += 2;
    if (h->rows > (uint64_t)(end - p) * 8) /* a row takes a bit at least */
        return -1;
    uint64_t top = (mask_of(h->key_bits) - h->partition) / h->partitions; /* largest q */
    bit_reader r = {.p = p, .end = end};
    uint64_t q = 0, place = 0;
    for (uint64_t i = 0; i < h->rows; i++) {
        uint64_t ones, low, at;
        if (!get_unary(&r, top >> h->k, &ones) || !get_bits(&r, h->k, &low) ||
            !get_bits(&r, h->place_bits, &at))
            return -1;
        uint64_t gap = ones << h->k | low;
        if (gap > top - q || (i && !gap && at <= place)) /* rows rise strictly */
            return -1;
        q += gap;
        place = at;
        if (fn(user, q * h->partitions + h->partition, (uint32_t)at))
            return -1;
    }
    return r.p == r.end && !r.acc ? 0 : -1; /* only zero padding after the rows */
}

/* ---- the reducer ---- */

typedef struct key_article {
    uint64_t key, number;
} key_article;

struct sl_key_pairs {
    unsigned window; /* the articles before it each is paired with, in a key */
    unsigned key_bits; /* of the blobs added; 0 before the first */
    key_article *rows;
    size_t n, cap;
    uint64_t shard; /* of the blob being added */
    int full;       /* out of memory while adding */
};

sl_error sl_key_pairs_create(sl_key_pairs **out, unsigned window)
{
    if (!out)
        return SL_ERR_INVALID;
    *out = NULL;
    if (window < 1 || window > MAX_WINDOW)
        return SL_ERR_INVALID;
    sl_key_pairs *kp = calloc(1, sizeof *kp);
    if (!kp)
        return SL_ERR_NOMEM;
    kp->window = window;
    *out = kp;
    return SL_OK;
}

void sl_key_pairs_free(sl_key_pairs *kp)
{
    if (!kp)
        return;
    free(kp->rows);
    free(kp);
}

static int add_row(void *user, uint64_t key, uint32_t place)
{
    sl_key_pairs *kp = user;
    key_article *grown = sli_grow_array(kp->rows, &kp->cap, kp->n + 1, sizeof *grown, 1024);
    if (!grown) {
        kp->full = 1;
        return 1;
    }
    kp->rows = grown;
    kp->rows[kp->n++] = (key_article){key, kp->shard << PLACE_BITS | place};
    return 0;
}

sl_error sl_key_pairs_add(sl_key_pairs *kp, unsigned long long shard, const void *blob,
                          size_t len)
{
    if (!kp || (!blob && len) || shard >> SHARD_BITS)
        return SL_ERR_INVALID;
    size_t before = kp->n;
    blob_head h;
    kp->shard = shard;
    kp->full = 0;
    if (each_row(blob, len, &h, add_row, kp) < 0 ||
        (kp->key_bits && h.key_bits != kp->key_bits)) {
        kp->n = before; /* nothing of it added */
        return kp->full ? SL_ERR_NOMEM : SL_ERR_INVALID;
    }
    kp->key_bits = h.key_bits;
    return SL_OK;
}

static int by_key_article(const void *a, const void *b)
{
    const key_article *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->number > y->number) - (x->number < y->number);
}

typedef struct pair_list {
    key_article *v; /* (lower number, higher number) */
    size_t n, cap;
} pair_list;

static sl_error push_pair(pair_list *l, uint64_t a, uint64_t b)
{
    key_article *grown = sli_grow_array(l->v, &l->cap, l->n + 1, sizeof *grown, 1024);
    if (!grown)
        return SL_ERR_NOMEM;
    l->v = grown;
    l->v[l->n++] = (key_article){a, b};
    return SL_OK;
}

static void put_le64(unsigned char *out, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        out[i] = (unsigned char)(v >> (8 * i));
}

sl_error sl_key_pairs_write(sl_key_pairs *kp, sl_write_fn fn, void *user)
{
    if (!kp || !fn)
        return SL_ERR_INVALID;
    if (kp->n) /* qsort's array may not be NULL, even empty */
        qsort(kp->rows, kp->n, sizeof *kp->rows, by_key_article);
    pair_list pairs = {0};
    sl_error err = SL_OK;
    for (size_t i = 0, j; i < kp->n && !err; i = j) {
        /* one key's articles, sorted, each once (a shard added twice adds nothing): each
         * paired with the `window` before it */
        size_t start = i;
        for (j = i; j < kp->n && kp->rows[j].key == kp->rows[i].key; j++) {
            if (j > i && kp->rows[j].number == kp->rows[j - 1].number)
                continue;
            /* the window's articles: the distinct rows before j, at most `window` */
            size_t seen = 0;
            for (size_t x = j; x > start && seen < kp->window && !err;) {
                x--;
                if (x > start && kp->rows[x].number == kp->rows[x - 1].number)
                    continue;
                err = push_pair(&pairs, kp->rows[x].number, kp->rows[j].number);
                seen++;
            }
        }
    }
    if (!err) {
        if (pairs.n)
            qsort(pairs.v, pairs.n, sizeof *pairs.v, by_key_article);
        unsigned char chunk[16 * 256];
        size_t used = 0;
        for (size_t i = 0; i < pairs.n && !err; i++) {
            if (i && !by_key_article(&pairs.v[i - 1], &pairs.v[i]))
                continue; /* two keys pair the same articles */
            put_le64(chunk + used, pairs.v[i].key);
            put_le64(chunk + used + 8, pairs.v[i].number);
            used += 16;
            if (used == sizeof chunk) {
                if (fn(user, (const char *)chunk, used))
                    err = SL_ERR_WRITE;
                used = 0;
            }
        }
        if (!err && used && fn(user, (const char *)chunk, used))
            err = SL_ERR_WRITE;
    }
    free(pairs.v);
    return err;
}
