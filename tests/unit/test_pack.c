/* test_pack.c — zstd frames for the store: round trips (empty, short, long, binary),
 * a dictionary both ways, and damaged or oversized frames refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/pack.h"

static void round_trip(packer *p, const char *s, size_t n)
{
    buf z, back;
    sli_buf_init(&z, BUF_UNLIMITED);
    sli_buf_init(&back, BUF_UNLIMITED);
    assert_int_equal(sli_pack(p, s, n, &z), SL_OK);
    assert_int_equal(sli_unpack(p, z.data, z.len, &back), SL_OK);
    assert_int_equal(back.len, n);
    assert_memory_equal(back.data, s, n);
    assert_int_equal(back.data[n], '\0');
    sli_buf_free(&z);
    sli_buf_free(&back);
}

/* A news-like text: repeated sentences compress well. */
static char *long_text(size_t *n)
{
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    for (int i = 0; i < 400; i++) {
        char line[128];
        snprintf(line, sizeof line, "The council met on day %d and voted on the harbour plan.\n",
                 i % 17);
        assert_int_equal(sli_buf_puts(&b, line), SL_OK);
    }
    *n = b.len;
    return sli_buf_take(&b);
}

static void test_round_trips(void **state)
{
    (void)state;
    packer *p = sli_packer_create(3);
    assert_non_null(p);
    round_trip(p, "", 0);
    round_trip(p, "a", 1);
    round_trip(p, "Zürich – “quoted”\n", strlen("Zürich – “quoted”\n"));
    const char bin[] = {0, 1, 2, 0, (char)0xff, 7};
    round_trip(p, bin, sizeof bin);
    size_t n;
    char *t = long_text(&n);
    round_trip(p, t, n);
    /* and it is smaller: the reason for all this */
    buf z;
    sli_buf_init(&z, BUF_UNLIMITED);
    assert_int_equal(sli_pack(p, t, n, &z), SL_OK);
    assert_true(z.len * 5 < n);
    sli_buf_free(&z);
    free(t);
    sli_packer_free(p);
    sli_packer_free(NULL);
}

static void test_dictionary(void **state)
{
    (void)state;
    static const char dict[] = "Share this article. Follow us on the app. Most popular today. "
                               "The council met and voted on the harbour plan.";
    static const char text[] = "Most popular today. The council met and voted.";
    packer *a = sli_packer_create(3), *b = sli_packer_create(3);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(sli_packer_use_dict(a, dict, sizeof dict - 1), SL_OK);
    buf z, plain, back;
    sli_buf_init(&z, BUF_UNLIMITED);
    sli_buf_init(&plain, BUF_UNLIMITED);
    sli_buf_init(&back, BUF_UNLIMITED);
    assert_int_equal(sli_pack(a, text, sizeof text - 1, &z), SL_OK);
    assert_int_equal(sli_pack(b, text, sizeof text - 1, &plain), SL_OK);
    assert_true(z.len < plain.len);
    assert_int_equal(sli_unpack(a, z.data, z.len, &back), SL_OK);
    assert_string_equal(sli_buf_str(&back), text);
    /* without the dictionary the frame cannot be read: an error, not garbage */
    assert_int_not_equal(sli_unpack(b, z.data, z.len, &back), SL_OK);
    /* dropped again: a plain frame reads */
    assert_int_equal(sli_packer_use_dict(a, NULL, 0), SL_OK);
    assert_int_equal(sli_unpack(a, plain.data, plain.len, &back), SL_OK);
    assert_string_equal(sli_buf_str(&back), text);
    sli_buf_free(&z);
    sli_buf_free(&plain);
    sli_buf_free(&back);
    sli_packer_free(a);
    sli_packer_free(b);
}

/* A trained dictionary (sli_pack_train): frames made with it name it, read back with it,
 * are smaller than plain ones, and fail (not garbage) without it; a raw-bytes dictionary
 * has no id and is refused by sli_pack_dict_new; too few samples cannot train one. */
static void test_trained_dictionary(void **state)
{
    (void)state;
    static const char *const words[] = {"harbour", "council", "ferry", "minister", "said",
                                        "the", "rates", "bank", "strike", "port", "island"};
    buf samples, dict, z, plain, back;
    sli_buf_init(&samples, BUF_UNLIMITED);
    sli_buf_init(&dict, BUF_UNLIMITED);
    sli_buf_init(&z, BUF_UNLIMITED);
    sli_buf_init(&plain, BUF_UNLIMITED);
    sli_buf_init(&back, BUF_UNLIMITED);
    size_t sizes[200];
    unsigned x = 7;
    for (int i = 0; i < 200; i++) {
        size_t before = samples.len;
        for (int w = 0; w < 120; w++) {
            x = x * 1103515245u + 12345u;
            assert_int_equal(sli_buf_puts(&samples, words[(x >> 16) % 11]), SL_OK);
            assert_int_equal(sli_buf_putc(&samples, w % 12 == 11 ? '.' : ' '), SL_OK);
        }
        sizes[i] = samples.len - before;
    }
    assert_int_equal(sli_pack_train(samples.data, sizes, 199, 4096, &dict), SL_OK);
    pack_dict *d = sli_pack_dict_new(dict.data, dict.len, 3);
    assert_non_null(d);
    assert_int_not_equal(sli_pack_dict_id(d), 0);
    packer *p = sli_packer_create(3);
    assert_non_null(p);
    const char *last = samples.data + samples.len - sizes[199]; /* not trained on */
    assert_int_equal(sli_pack_with(p, d, last, sizes[199], &z), SL_OK);
    assert_int_equal(sli_pack_with(p, NULL, last, sizes[199], &plain), SL_OK);
    assert_true(z.len < plain.len);
    assert_int_equal(sli_unpack_dict_id(z.data, z.len), sli_pack_dict_id(d));
    assert_int_equal(sli_unpack_dict_id(plain.data, plain.len), 0);
    assert_int_equal(sli_unpack_with(p, d, z.data, z.len, &back), SL_OK);
    assert_memory_equal(back.data, last, sizes[199]);
    assert_int_not_equal(sli_unpack_with(p, NULL, z.data, z.len, &back), SL_OK);
    /* a dictionary loaded only to unpack (its compression tables made at the first
     * packing, or by sli_pack_dict_ready) unpacks; packing with it, made ready or not,
     * gives the same frame */
    pack_dict *reader = sli_pack_dict_new(dict.data, dict.len, 3);
    assert_non_null(reader);
    assert_int_equal(sli_unpack_with(p, reader, z.data, z.len, &back), SL_OK);
    assert_memory_equal(back.data, last, sizes[199]);
    assert_int_equal(sli_pack_with(p, reader, last, sizes[199], &plain), SL_OK);
    assert_int_equal(plain.len, z.len);
    assert_memory_equal(plain.data, z.data, z.len);
    pack_dict *ready = sli_pack_dict_new(dict.data, dict.len, 3);
    assert_non_null(ready);
    assert_int_equal(sli_pack_dict_ready(ready), SL_OK);
    assert_int_equal(sli_pack_with(p, ready, last, sizes[199], &plain), SL_OK);
    assert_int_equal(plain.len, z.len);
    assert_memory_equal(plain.data, z.data, z.len);
    sli_pack_dict_free(reader);
    sli_pack_dict_free(ready);
    assert_null(sli_pack_dict_new("raw bytes, no header", 20, 3));
    assert_int_equal(sli_pack_train(samples.data, sizes, 2, 4096, &dict), SL_ERR_INVALID);
    sli_pack_dict_free(d);
    sli_pack_dict_free(NULL);
    sli_packer_free(p);
    sli_buf_free(&samples);
    sli_buf_free(&dict);
    sli_buf_free(&z);
    sli_buf_free(&plain);
    sli_buf_free(&back);
}

static void test_damaged_and_too_big(void **state)
{
    (void)state;
    packer *p = sli_packer_create(3);
    assert_non_null(p);
    size_t n;
    char *t = long_text(&n);
    buf z, back;
    sli_buf_init(&z, BUF_UNLIMITED);
    sli_buf_init(&back, BUF_UNLIMITED);
    assert_int_equal(sli_pack(p, t, n, &z), SL_OK);
    /* cut short */
    assert_int_equal(sli_unpack(p, z.data, z.len / 2, &back), SL_ERR_STORE);
    /* not a frame at all */
    assert_int_equal(sli_unpack(p, "plain text", 10, &back), SL_ERR_STORE);
    assert_int_equal(sli_unpack(p, "", 0, &back), SL_ERR_STORE);
    /* a frame larger than the reader's maximum is refused before allocating */
    buf small;
    sli_buf_init(&small, n - 1);
    assert_int_equal(sli_unpack(p, z.data, z.len, &small), SL_ERR_TOO_BIG);
    assert_null(small.data);
    sli_buf_free(&small);
    sli_buf_free(&z);
    sli_buf_free(&back);
    free(t);
    sli_packer_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_dictionary),
        cmocka_unit_test(test_trained_dictionary),
        cmocka_unit_test(test_damaged_and_too_big),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
