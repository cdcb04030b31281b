/* test_key_shuffle.c — the dedup keys' shuffle (sl_key_blobs_write, sl_key_pairs): the
 * pairs the reducers make from every shard's blobs are those of the rows grouped by key
 * (checked against a plain reference, for 1, 3 and 16 partitions and extreme keys), keys
 * cut to their low key_bits, each article paired with the `window` of its key before it
 * (a key of more than 64 articles: each its 64 before it), the packing's bytes a
 * row, and blobs that are not whole refused without adding anything. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "storyline.h"

typedef struct bytes {
    unsigned char *d;
    size_t n;
} bytes;

static int collect(void *user, const char *d, size_t n)
{
    bytes *b = user;
    unsigned char *grown = realloc(b->d, b->n + n + 1);
    if (!grown)
        return 1;
    memcpy(grown + b->n, d, n);
    b->d = grown;
    b->n += n;
    return 0;
}

/* The blobs of one shard's rows, by partition. */
typedef struct blobs {
    bytes part[16];
    int calls;
    unsigned last; /* the partition of the call before: they rise */
} blobs;

static int collect_blob(void *user, unsigned partition, const void *blob, size_t len)
{
    blobs *b = user;
    assert_true(partition < 16);
    if (b->calls)
        assert_true(partition > b->last);
    b->last = partition;
    b->calls++;
    assert_int_equal(b->part[partition].n, 0);
    return collect(&b->part[partition], blob, len);
}

static void blobs_free(blobs *b)
{
    for (int i = 0; i < 16; i++)
        free(b->part[i].d);
}

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static uint64_t le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

typedef struct pair {
    uint64_t a, b;
} pair;

static int by_pair(const void *x, const void *y)
{
    const pair *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* The pairs a reducer wrote, checked to rise strictly, lower number first. */
static pair *pairs_of(const bytes *out, size_t *n)
{
    assert_int_equal(out->n % 16, 0);
    *n = out->n / 16;
    pair *p = malloc((*n ? *n : 1) * sizeof *p);
    assert_non_null(p);
    for (size_t i = 0; i < *n; i++) {
        p[i] = (pair){le64(out->d + 16 * i), le64(out->d + 16 * i + 8)};
        assert_true(p[i].a < p[i].b);
        if (i)
            assert_true(by_pair(&p[i - 1], &p[i]) < 0);
    }
    return p;
}

typedef struct keyed {
    uint64_t key, number;
} keyed;

static int by_keyed(const void *x, const void *y)
{
    const keyed *p = x, *q = y;
    if (p->key != q->key)
        return p->key < q->key ? -1 : 1;
    return (p->number > q->number) - (p->number < q->number);
}

/* The reference: rows (key already cut, article number) grouped by key, each distinct
 * article paired with the `window` distinct articles of its key before it, every pair
 * once. */
static pair *reference_pairs(keyed *rows, size_t n, unsigned window, size_t *np)
{
    qsort(rows, n, sizeof *rows, by_keyed);
    size_t cap = 1024, k = 0;
    pair *p = malloc(cap * sizeof *p);
    uint64_t *a = malloc(n * sizeof *a);
    for (size_t i = 0, j; i < n; i = j) {
        size_t m = 0;
        for (j = i; j < n && rows[j].key == rows[i].key; j++)
            if (!m || a[m - 1] != rows[j].number)
                a[m++] = rows[j].number;
        for (size_t y = 0; y < m; y++)
            for (size_t x = y > window ? y - window : 0; x < y; x++) {
                if (k == cap)
                    p = realloc(p, (cap *= 2) * sizeof *p);
                p[k++] = (pair){a[x], a[y]};
            }
    }
    free(a);
    qsort(p, k, sizeof *p, by_pair);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (!u || by_pair(&p[u - 1], &p[i]))
            p[u++] = p[i];
    *np = u;
    return p;
}

enum { SHARDS = 3, ARTICLES = 200, KEYS = 12 };

/* Three shards of made-up articles: random 48-bit keys, the extreme keys of 48 bits, a
 * key in every article (more than 64), one in a few of each shard, a key twice in one
 * article, and keys that agree in their low 48 bits only. */
static void make_shards(unsigned long long keys[SHARDS][ARTICLES * KEYS],
                        unsigned places[SHARDS][ARTICLES * KEYS])
{
    uint64_t s = 88172645463325252u;
    const uint64_t edge[] = {0, 1, UINT32_MAX, (uint64_t)UINT32_MAX + 1,
                             (UINT64_C(1) << 48) - 2, (UINT64_C(1) << 48) - 1};
    for (int sh = 0; sh < SHARDS; sh++)
        for (int i = 0; i < ARTICLES; i++)
            for (int k = 0; k < KEYS; k++) {
                uint64_t key = rng_next(&s);
                if (k == 0)
                    key = 777;
                else if (k == 1 && i % 50 == 0)
                    key = 4242;
                else if (k == 2)
                    key = edge[(i + sh) % 6] | (uint64_t)(i % 3) << 48; /* high bits cut */
                else if (k == 3 && i % 7 == 0)
                    key = keys[sh][i * KEYS + 4 - KEYS > 0 ? i * KEYS + 4 - KEYS : 0];
                keys[sh][i * KEYS + k] = key;
                places[sh][i * KEYS + k] = (unsigned)i;
            }
}

static void test_pairs_as_the_keys_grouped(void **state)
{
    (void)state;
    static unsigned long long keys[SHARDS][ARTICLES * KEYS];
    static unsigned places[SHARDS][ARTICLES * KEYS];
    make_shards(keys, places);
    const uint64_t mask = (UINT64_C(1) << 48) - 1;
    static keyed rows[SHARDS * ARTICLES * KEYS];
    size_t n = 0;
    for (int sh = 0; sh < SHARDS; sh++)
        for (int r = 0; r < ARTICLES * KEYS; r++)
            rows[n++] = (keyed){keys[sh][r] & mask, (uint64_t)sh << 20 | places[sh][r]};
    size_t nwant;
    pair *want = reference_pairs(rows, n, 64, &nwant);
    /* 777: each article with the 64 before it (600 articles); 4242: four of each shard;
     * the edge keys and the copied keys many more */
    assert_true(nwant > 64 * 63 / 2 + 536 * 64);
    const unsigned partitions[] = {1, 3, 16};
    for (int pi = 0; pi < 3; pi++) {
        unsigned P = partitions[pi];
        sl_key_pairs *kp[16];
        for (unsigned p = 0; p < P; p++)
            assert_int_equal(sl_key_pairs_create(&kp[p], 64), SL_OK);
        for (int sh = 0; sh < SHARDS; sh++) {
            blobs b = {0};
            assert_int_equal(sl_key_blobs_write(keys[sh], places[sh], ARTICLES * KEYS, 48, P,
                                                collect_blob, &b),
                             SL_OK);
            assert_int_equal(b.calls, (int)P);
            for (unsigned p = 0; p < P; p++)
                assert_int_equal(sl_key_pairs_add(kp[p], (unsigned long long)sh, b.part[p].d,
                                                  b.part[p].n),
                                 SL_OK);
            blobs_free(&b);
        }
        size_t ngot = 0;
        pair *got = malloc(nwant * KEYS * sizeof *got); /* a pair once a key at most */
        for (unsigned p = 0; p < P; p++) {
            bytes out = {0};
            assert_int_equal(sl_key_pairs_write(kp[p], collect, &out), SL_OK);
            size_t m;
            pair *part = pairs_of(&out, &m);
            assert_true(ngot + m <= nwant * KEYS);
            memcpy(got + ngot, part, m * sizeof *part);
            ngot += m;
            free(part);
            free(out.d);
            sl_key_pairs_free(kp[p]);
        }
        qsort(got, ngot, sizeof *got, by_pair);
        size_t u = 0;
        for (size_t i = 0; i < ngot; i++)
            if (!u || by_pair(&got[u - 1], &got[i]))
                got[u++] = got[i];
        assert_int_equal(u, nwant);
        assert_memory_equal(got, want, nwant * sizeof *want);
        free(got);
    }
    free(want);
}

/* Keys that agree in their low 32 bits only pair nothing with 48 key bits, and pair with
 * 32; a row given twice is sent once; each article paired with the `window` before it. */
static void test_key_bits_rows_and_most(void **state)
{
    (void)state;
    const unsigned long long keys[] = {0x12345678 | 1ULL << 32, 0x12345678 | 2ULL << 32,
                                       0x12345678 | 2ULL << 32, 0x12345678 | 2ULL << 32};
    const unsigned places[] = {0, 1, 2, 2};
    for (unsigned bits = 32; bits <= 48; bits += 16) {
        blobs b = {0};
        assert_int_equal(sl_key_blobs_write(keys, places, 4, bits, 1, collect_blob, &b), SL_OK);
        blobs once = {0};
        assert_int_equal(sl_key_blobs_write(keys, places, 3, bits, 1, collect_blob, &once),
                         SL_OK);
        assert_int_equal(b.part[0].n, once.part[0].n); /* (key, 2) twice: sent once */
        assert_memory_equal(b.part[0].d, once.part[0].d, b.part[0].n);
        sl_key_pairs *kp;
        assert_int_equal(sl_key_pairs_create(&kp, 64), SL_OK);
        assert_int_equal(sl_key_pairs_add(kp, 5, b.part[0].d, b.part[0].n), SL_OK);
        bytes out = {0};
        assert_int_equal(sl_key_pairs_write(kp, collect, &out), SL_OK);
        size_t n;
        pair *p = pairs_of(&out, &n);
        const uint64_t s = 5ULL << 20;
        if (bits == 48) {
            assert_int_equal(n, 1);
            assert_true(p[0].a == (s | 1) && p[0].b == (s | 2));
        } else {
            assert_int_equal(n, 3);
            assert_true(p[0].a == s && p[0].b == (s | 1) && p[2].a == (s | 1));
        }
        free(p);
        free(out.d);
        sl_key_pairs_free(kp);
        blobs_free(&b);
        blobs_free(&once);
    }
    /* 100 articles of one key, a window of 10: 0-9 paired among themselves (45 pairs),
     * each later one with the ten before it (90 x 10) */
    unsigned long long same[100];
    unsigned at[100];
    for (unsigned i = 0; i < 100; i++) {
        same[i] = 99;
        at[i] = 99 - i;
    }
    blobs b = {0};
    assert_int_equal(sl_key_blobs_write(same, at, 100, 48, 4, collect_blob, &b), SL_OK);
    assert_int_equal(b.calls, 1);
    sl_key_pairs *kp;
    assert_int_equal(sl_key_pairs_create(&kp, 0), SL_ERR_INVALID);
    assert_int_equal(sl_key_pairs_create(&kp, 65537), SL_ERR_INVALID);
    assert_int_equal(sl_key_pairs_create(&kp, 10), SL_OK);
    assert_int_equal(sl_key_pairs_add(kp, 0, b.part[3].d, b.part[3].n), SL_OK);
    assert_int_equal(sl_key_pairs_add(kp, 0, b.part[3].d, b.part[3].n), SL_OK); /* again */
    bytes out = {0};
    assert_int_equal(sl_key_pairs_write(kp, collect, &out), SL_OK);
    size_t n;
    pair *p = pairs_of(&out, &n);
    assert_int_equal(n, 45 + 90 * 10);
    assert_true(p[0].a == 0 && p[0].b == 1 && p[n - 1].a == 98 && p[n - 1].b == 99);
    for (size_t i = 0; i < n; i++)
        assert_true(p[i].b - p[i].a <= 10);
    free(p);
    free(out.d);
    sl_key_pairs_free(kp);
    /* a window of 1: a chain of the key's articles, 99 pairs */
    assert_int_equal(sl_key_pairs_create(&kp, 1), SL_OK);
    assert_int_equal(sl_key_pairs_add(kp, 0, b.part[3].d, b.part[3].n), SL_OK);
    out = (bytes){0};
    assert_int_equal(sl_key_pairs_write(kp, collect, &out), SL_OK);
    p = pairs_of(&out, &n);
    assert_int_equal(n, 99);
    assert_true(p[98].a == 98 && p[98].b == 99);
    free(p);
    free(out.d);
    sl_key_pairs_free(kp);
    blobs_free(&b);
}

/* 20,000 articles of 40 random 48-bit keys in 16 partitions: 5.6 bytes a row, near the
 * 5.5 a row's information takes (a gap of mean 2^44 / 50,000 rows of a partition, about
 * 29.9 bits, and a place under 20,000, 14.3 bits); a varint packing took 6.6 (four or five
 * bytes a gap, two or three a place). */
static void test_bytes_a_row(void **state)
{
    (void)state;
    enum { N = 20000 * 40 };
    unsigned long long *keys = malloc(N * sizeof *keys);
    unsigned *places = malloc(N * sizeof *places);
    uint64_t s = 2463534242u;
    for (size_t i = 0; i < N; i++) {
        keys[i] = rng_next(&s);
        places[i] = (unsigned)(i / 40);
    }
    blobs b = {0};
    assert_int_equal(sl_key_blobs_write(keys, places, N, 48, 16, collect_blob, &b), SL_OK);
    size_t total = 0;
    for (int p = 0; p < 16; p++)
        total += b.part[p].n;
    assert_true(total < (size_t)N * 58 / 10);
    assert_true(total > (size_t)N * 55 / 10);
    blobs_free(&b);
    free(keys);
    free(places);
}

static int refuse_all(void *user, unsigned partition, const void *blob, size_t len)
{
    (void)user, (void)partition, (void)blob, (void)len;
    return 1;
}

/* Bad arguments refused; a blob cut short, one with a byte more, one of other key bits:
 * each refused and nothing of it added (the pairs written after are those before). */
static void test_refusals(void **state)
{
    (void)state;
    const unsigned long long keys[] = {10, 20, 30, 10, 20};
    const unsigned places[] = {0, 0, 0, 1, 1};
    const unsigned far[] = {0, 0, 0, 1, 1u << 20};
    blobs b = {0};
    assert_int_equal(sl_key_blobs_write(keys, far, 5, 48, 1, collect_blob, &b),
                     SL_ERR_INVALID);
    assert_int_equal(sl_key_blobs_write(keys, places, 5, 31, 1, collect_blob, &b),
                     SL_ERR_INVALID);
    assert_int_equal(sl_key_blobs_write(keys, places, 5, 48, 0, collect_blob, &b),
                     SL_ERR_INVALID);
    assert_int_equal(sl_key_blobs_write(keys, places, 5, 48, 1, refuse_all, NULL),
                     SL_ERR_WRITE);
    assert_int_equal(b.calls, 0);
    assert_int_equal(sl_key_blobs_write(keys, places, 5, 48, 1, collect_blob, &b), SL_OK);
    blobs other = {0};
    assert_int_equal(sl_key_blobs_write(keys, places, 5, 40, 1, collect_blob, &other), SL_OK);

    sl_key_pairs *kp;
    assert_int_equal(sl_key_pairs_create(&kp, 64), SL_OK);
    assert_int_equal(sl_key_pairs_add(kp, 1ULL << 44, b.part[0].d, b.part[0].n),
                     SL_ERR_INVALID);
    assert_int_equal(sl_key_pairs_add(kp, 0, b.part[0].d, b.part[0].n), SL_OK);
    bytes before = {0};
    assert_int_equal(sl_key_pairs_write(kp, collect, &before), SL_OK);
    assert_int_equal(before.n, 16); /* (0, 1) by 10 and by 20: once */
    const bytes *blob = &b.part[0];
    for (size_t cut = 0; cut < blob->n; cut++)
        assert_int_equal(sl_key_pairs_add(kp, 7, blob->d, cut), SL_ERR_INVALID);
    unsigned char *longer = malloc(blob->n + 1);
    memcpy(longer, blob->d, blob->n);
    longer[blob->n] = 0;
    assert_int_equal(sl_key_pairs_add(kp, 7, longer, blob->n + 1), SL_ERR_INVALID);
    /* a one in the last byte's padding: the rows take 26 bits (k = 2: gaps 10, 0, 10, 0,
     * 10 of 6, 4, 6, 4 and 6 bits with the place's one), so bits 26-31 pad */
    assert_int_equal(blob->n, 4 + 4 + 2 + 4); /* magic, four varints, k and the bits */
    longer[blob->n - 1] |= 0x80;
    assert_int_equal(sl_key_pairs_add(kp, 7, longer, blob->n), SL_ERR_INVALID);
    free(longer);
    assert_int_equal(sl_key_pairs_add(kp, 7, other.part[0].d, other.part[0].n),
                     SL_ERR_INVALID); /* 40 key bits after 48 */
    bytes after = {0};
    assert_int_equal(sl_key_pairs_write(kp, collect, &after), SL_OK);
    assert_int_equal(after.n, before.n);
    assert_memory_equal(after.d, before.d, before.n);
    assert_int_equal(sl_key_pairs_write(kp, NULL, NULL), SL_ERR_INVALID);
    sl_key_pairs_free(kp);
    /* a reducer with nothing added, and one whose rows pair nothing: no pairs */
    assert_int_equal(sl_key_pairs_create(&kp, 64), SL_OK);
    bytes none = {0};
    assert_int_equal(sl_key_pairs_write(kp, collect, &none), SL_OK);
    const unsigned long long lone[] = {5, 6};
    const unsigned at[] = {0, 1};
    blobs l = {0};
    assert_int_equal(sl_key_blobs_write(lone, at, 2, 48, 1, collect_blob, &l), SL_OK);
    assert_int_equal(sl_key_pairs_add(kp, 3, l.part[0].d, l.part[0].n), SL_OK);
    assert_int_equal(sl_key_pairs_write(kp, collect, &none), SL_OK);
    assert_int_equal(none.n, 0);
    blobs_free(&l);
    sl_key_pairs_free(kp);
    sl_key_pairs_free(NULL);
    free(before.d);
    free(after.d);
    blobs_free(&b);
    blobs_free(&other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pairs_as_the_keys_grouped),
        cmocka_unit_test(test_key_bits_rows_and_most),
        cmocka_unit_test(test_bytes_a_row),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
