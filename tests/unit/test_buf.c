/* test_buf.c — the growable byte buffer: appends, NUL termination, the hard maximum,
 * sli_buf_take and sli_buf_clear. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"

static void test_init_is_empty(void **state)
{
    (void)state;
    buf b;
    sli_buf_init(&b, 100);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_int_equal(b.max, 100);
    /* An untouched buffer still reads as the empty string. */
    assert_non_null(sli_buf_str(&b));
    assert_string_equal(sli_buf_str(&b), "");
    sli_buf_free(&b);
}

static void test_append_puts_putc(void **state)
{
    (void)state;
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(sli_buf_append(&b, "abc", 3), SL_OK);
    assert_int_equal(b.len, 3);
    assert_string_equal(sli_buf_str(&b), "abc");
    assert_int_equal(sli_buf_puts(&b, "def"), SL_OK);
    assert_int_equal(sli_buf_putc(&b, 'g'), SL_OK);
    assert_int_equal(b.len, 7);
    assert_string_equal(sli_buf_str(&b), "abcdefg");
    /* Appending only part of a longer string. */
    assert_int_equal(sli_buf_append(&b, "hijklmn", 2), SL_OK);
    assert_string_equal(sli_buf_str(&b), "abcdefghi");
    /* A zero-length append changes nothing. */
    assert_int_equal(sli_buf_append(&b, "zzz", 0), SL_OK);
    assert_int_equal(b.len, 9);
    assert_string_equal(sli_buf_str(&b), "abcdefghi");
    assert_int_equal(sli_buf_puts(&b, ""), SL_OK);
    assert_int_equal(b.len, 9);
    sli_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.max, BUF_UNLIMITED); /* the maximum survives sli_buf_free */
}

static void test_always_nul_terminated(void **state)
{
    (void)state;
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    /* Grow past several reallocations, checking the terminator after every append. */
    char expect[5000];
    size_t n = 0;
    for (int i = 0; i < 4000; i++) {
        char c = (char)('a' + i % 26);
        assert_int_equal(sli_buf_putc(&b, c), SL_OK);
        expect[n++] = c;
        assert_int_equal(b.len, n);
        assert_true(b.cap > b.len);
        assert_int_equal(b.data[b.len], '\0');
    }
    expect[n] = '\0';
    assert_int_equal(strlen(b.data), n);
    assert_memory_equal(b.data, expect, n + 1);
    sli_buf_free(&b);
}

static void test_embedded_nul_kept(void **state)
{
    (void)state;
    buf b;
    sli_buf_init(&b, 64);
    assert_int_equal(sli_buf_append(&b, "a\0b", 3), SL_OK);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "a\0b\0", 4);
    sli_buf_free(&b);
}

static void test_reserve(void **state)
{
    (void)state;
    buf b;
    sli_buf_init(&b, 1000);
    assert_int_equal(sli_buf_reserve(&b, 500), SL_OK);
    assert_true(b.cap >= 501); /* room for the terminator too */
    assert_int_equal(b.len, 0);
    assert_int_equal(sli_buf_reserve(&b, 1000), SL_OK);
    assert_int_equal(sli_buf_reserve(&b, 1001), SL_ERR_TOO_BIG);
    sli_buf_free(&b);
}

static void test_max_enforced(void **state)
{
    (void)state;
    buf b;
    sli_buf_init(&b, 10);
    /* Exactly the maximum is allowed. */
    assert_int_equal(sli_buf_append(&b, "0123456789", 10), SL_OK);
    assert_int_equal(b.len, 10);
    assert_string_equal(sli_buf_str(&b), "0123456789");
    /* One more byte is refused, and leaves the contents untouched. */
    assert_int_equal(sli_buf_putc(&b, 'x'), SL_ERR_TOO_BIG);
    assert_int_equal(sli_buf_puts(&b, "xy"), SL_ERR_TOO_BIG);
    assert_int_equal(sli_buf_append(&b, "x", 1), SL_ERR_TOO_BIG);
    assert_int_equal(b.len, 10);
    assert_string_equal(sli_buf_str(&b), "0123456789");
    /* A zero-length append at the maximum is fine. */
    assert_int_equal(sli_buf_append(&b, "", 0), SL_OK);
    sli_buf_free(&b);

    /* A refused append in the middle: nothing of it is kept, not even a prefix. */
    sli_buf_init(&b, 8);
    assert_int_equal(sli_buf_puts(&b, "abcde"), SL_OK);
    assert_int_equal(sli_buf_puts(&b, "fghij"), SL_ERR_TOO_BIG);
    assert_int_equal(b.len, 5);
    assert_string_equal(sli_buf_str(&b), "abcde");
    /* What still fits goes in. */
    assert_int_equal(sli_buf_puts(&b, "fgh"), SL_OK);
    assert_string_equal(sli_buf_str(&b), "abcdefgh");
    sli_buf_free(&b);

    /* A huge append (would overflow len + n) is refused, not wrapped around. */
    sli_buf_init(&b, 16);
    assert_int_equal(sli_buf_putc(&b, 'a'), SL_OK);
    assert_int_equal(sli_buf_reserve(&b, (size_t)-1), SL_ERR_TOO_BIG);
    assert_int_equal(sli_buf_reserve(&b, (size_t)-1 - 1), SL_ERR_TOO_BIG);
    assert_string_equal(sli_buf_str(&b), "a");
    sli_buf_free(&b);

    /* max 0: nothing at all fits. */
    sli_buf_init(&b, 0);
    assert_int_equal(sli_buf_putc(&b, 'a'), SL_ERR_TOO_BIG);
    assert_int_equal(b.len, 0);
    assert_string_equal(sli_buf_str(&b), "");
    sli_buf_free(&b);
}

static void test_max_after_clear(void **state)
{
    (void)state;
    buf b;
    sli_buf_init(&b, 4);
    assert_int_equal(sli_buf_puts(&b, "abcd"), SL_OK);
    sli_buf_clear(&b);
    /* The maximum applies to the length, not to everything ever appended. */
    assert_int_equal(sli_buf_puts(&b, "wxyz"), SL_OK);
    assert_string_equal(sli_buf_str(&b), "wxyz");
    assert_int_equal(sli_buf_putc(&b, '!'), SL_ERR_TOO_BIG);
    sli_buf_free(&b);
}

static void test_clear(void **state)
{
    (void)state;
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    sli_buf_clear(&b); /* clearing a never-used buffer is harmless */
    assert_int_equal(b.len, 0);
    assert_string_equal(sli_buf_str(&b), "");

    assert_int_equal(sli_buf_puts(&b, "hello world"), SL_OK);
    char *data = b.data;
    size_t cap = b.cap;
    sli_buf_clear(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(sli_buf_str(&b), "");
    /* The memory is kept. */
    assert_ptr_equal(b.data, data);
    assert_int_equal(b.cap, cap);
    assert_int_equal(sli_buf_puts(&b, "hi"), SL_OK);
    assert_string_equal(sli_buf_str(&b), "hi");
    assert_int_equal(b.len, 2);
    sli_buf_free(&b);
}

static void test_take(void **state)
{
    (void)state;
    buf b;
    sli_buf_init(&b, 100);
    assert_int_equal(sli_buf_puts(&b, "taken"), SL_OK);
    char *p = sli_buf_take(&b);
    assert_non_null(p);
    assert_string_equal(p, "taken");
    /* The buffer is reset, keeping its maximum, and is usable again. */
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_int_equal(b.max, 100);
    assert_string_equal(sli_buf_str(&b), "");
    assert_int_equal(sli_buf_puts(&b, "again"), SL_OK);
    assert_string_equal(sli_buf_str(&b), "again");
    /* The taken memory is independent of the buffer. */
    assert_string_equal(p, "taken");
    free(p);
    sli_buf_free(&b);
}

static void test_take_empty(void **state)
{
    (void)state;
    /* Never used: still a valid empty string, never NULL. */
    buf b;
    sli_buf_init(&b, 10);
    char *p = sli_buf_take(&b);
    assert_non_null(p);
    assert_string_equal(p, "");
    free(p);

    /* Used then cleared: "" as well. */
    assert_int_equal(sli_buf_puts(&b, "abc"), SL_OK);
    sli_buf_clear(&b);
    p = sli_buf_take(&b);
    assert_non_null(p);
    assert_string_equal(p, "");
    free(p);

    /* Even with max 0 there is room for the terminator. */
    sli_buf_init(&b, 0);
    p = sli_buf_take(&b);
    assert_non_null(p);
    assert_string_equal(p, "");
    free(p);
    sli_buf_free(&b);
}

static void test_free_twice_is_safe(void **state)
{
    (void)state;
    buf b;
    sli_buf_init(&b, 10);
    assert_int_equal(sli_buf_puts(&b, "x"), SL_OK);
    sli_buf_free(&b);
    sli_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(sli_buf_puts(&b, "y"), SL_OK);
    assert_string_equal(sli_buf_str(&b), "y");
    sli_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_is_empty),
        cmocka_unit_test(test_append_puts_putc),
        cmocka_unit_test(test_always_nul_terminated),
        cmocka_unit_test(test_embedded_nul_kept),
        cmocka_unit_test(test_reserve),
        cmocka_unit_test(test_max_enforced),
        cmocka_unit_test(test_max_after_clear),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_take),
        cmocka_unit_test(test_take_empty),
        cmocka_unit_test(test_free_twice_is_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
