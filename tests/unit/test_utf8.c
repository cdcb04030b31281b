/* test_utf8.c — UTF-8 validation (with its 8-byte ASCII fast path), counting, and
 * encode/decode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/utf8.h"

typedef struct utf8_case {
    const char *s;
    size_t n;       /* bytes of s */
    size_t invalid; /* expected sli_utf8_invalid_at; n when valid */
} utf8_case;

#define VALID(lit) {lit, sizeof(lit) - 1, sizeof(lit) - 1}
#define BAD(lit, at) {lit, sizeof(lit) - 1, at}

static void test_invalid_at_table(void **state)
{
    (void)state;
    static const utf8_case cases[] = {
        VALID(""),
        VALID("a"),
        VALID("hello, world"),
        VALID("\x7F"),
        VALID("\xC2\x80"),             /* U+0080, smallest 2-byte */
        VALID("\xC3\xA9"),             /* é */
        VALID("\xDF\xBF"),             /* U+07FF */
        VALID("\xE0\xA0\x80"),         /* U+0800, smallest 3-byte */
        VALID("\xE2\x82\xAC"),         /* € */
        VALID("\xED\x9F\xBF"),         /* U+D7FF, just below the surrogates */
        VALID("\xEE\x80\x80"),         /* U+E000, just above them */
        VALID("\xEF\xBF\xBF"),         /* U+FFFF */
        VALID("\xF0\x90\x80\x80"),     /* U+10000, smallest 4-byte */
        VALID("\xF0\x9F\x98\x80"),     /* 😀 */
        VALID("\xF4\x8F\xBF\xBF"),     /* U+10FFFF, the largest */
        VALID("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80!"),
        VALID("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"), /* 日本語 */
        VALID("a\0b"),                 /* NUL is valid UTF-8 */

        BAD("\xC0\xAF", 0),             /* overlong '/' */
        BAD("\xC1\xBF", 0),             /* overlong */
        BAD("\xE0\x80\xAF", 0),         /* overlong 3-byte */
        BAD("\xE0\x9F\xBF", 0),         /* overlong 3-byte (U+07FF) */
        BAD("\xF0\x80\x80\xAF", 0),     /* overlong 4-byte */
        BAD("\xF0\x8F\xBF\xBF", 0),     /* overlong 4-byte (U+FFFF) */
        BAD("\xED\xA0\x80", 0),         /* U+D800 surrogate */
        BAD("\xED\xBF\xBF", 0),         /* U+DFFF surrogate */
        BAD("\xF4\x90\x80\x80", 0),     /* U+110000 */
        BAD("\xF5\x80\x80\x80", 0),     /* lead byte past F4 */
        BAD("\xF8\x88\x80\x80\x80", 0), /* 5-byte form */
        BAD("\xFE", 0),
        BAD("\xFF", 0),
        BAD("\x80", 0),                 /* stray continuation byte */
        BAD("\xBF", 0),
        BAD("ab\x80" "cd", 2),
        BAD("\xC3\xA9\xA9", 2),         /* one continuation too many */
        BAD("abc\xC3", 3),              /* truncated 2-byte at the end */
        BAD("abc\xE2\x82", 3),          /* truncated 3-byte at the end */
        BAD("abc\xE2", 3),
        BAD("abc\xF0\x9F\x98", 3),      /* truncated 4-byte at the end */
        BAD("abc\xF0\x9F", 3),
        BAD("abc\xF0", 3),
        BAD("\xC3" "a", 0),             /* lead byte followed by ASCII */
        BAD("\xE2\x82" "a", 0),
        BAD("\xF0\x9F\x98" "a", 0),
        BAD("\xE2\x28\xA1", 0),
        BAD("x\xC3\xA9y\xED\xA0\x80z", 4),
        BAD("\xE2\x82\xAC\xE2\x82\xAC\xC0\x80", 6),
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t got = sli_utf8_invalid_at(cases[i].s, cases[i].n);
        if (got != cases[i].invalid)
            fail_msg("case %zu: sli_utf8_invalid_at = %zu, expected %zu", i, got,
                     cases[i].invalid);
    }
}

/* Long ASCII runs go 8 bytes at a time: an invalid byte anywhere, including in the
 * middle or at the end of an 8-byte word, must still be found at its exact offset. */
static void test_invalid_at_fast_path_offsets(void **state)
{
    (void)state;
    static const char *const bad[] = {"\x80", "\xFF", "\xC0\xAF", "\xED\xA0\x80", "\xC3"};
    char s[64];
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        size_t blen = strlen(bad[k]);
        for (size_t off = 0; off <= 20; off++) {
            for (size_t tail = 0; tail <= 12; tail += 3) {
                memset(s, 'a', off);
                memcpy(s + off, bad[k], blen);
                memset(s + off + blen, 'z', tail);
                size_t n = off + blen + tail;
                size_t got = sli_utf8_invalid_at(s, n);
                if (got != off)
                    fail_msg("bad %zu at offset %zu, tail %zu: got %zu", k, off, tail, got);
            }
        }
    }
    /* Valid multibyte sequences mixed into long ASCII runs, then a bad byte. */
    for (size_t off = 0; off <= 20; off++) {
        size_t n = 0;
        memset(s, 'q', off);
        n = off;
        memcpy(s + n, "\xE2\x82\xAC", 3);
        n += 3;
        memset(s + n, 'r', 9);
        n += 9;
        assert_int_equal(sli_utf8_invalid_at(s, n), n);
        s[n] = (char)0xA0;
        assert_int_equal(sli_utf8_invalid_at(s, n + 1), n);
    }
}

static void test_invalid_at_long_valid(void **state)
{
    (void)state;
    /* All-ASCII lengths 0..40 (every remainder after whole 8-byte words). */
    char s[64];
    memset(s, 'x', sizeof s);
    for (size_t n = 0; n <= 40; n++)
        assert_int_equal(sli_utf8_invalid_at(s, n), n);
    /* The bound n is respected: a bad byte just past it is not seen. */
    s[16] = (char)0x80;
    assert_int_equal(sli_utf8_invalid_at(s, 16), 16);
    assert_int_equal(sli_utf8_invalid_at(s, 17), 16);
    /* A valid sequence cut by n is invalid at its start. */
    memcpy(s + 10, "\xE2\x82\xAC", 3);
    assert_int_equal(sli_utf8_invalid_at(s, 13), 13);
    assert_int_equal(sli_utf8_invalid_at(s, 12), 10);
    assert_int_equal(sli_utf8_invalid_at(s, 11), 10);
}

static void test_seq_len(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t n;
        size_t len;
    } cases[] = {
        {"a", 1, 1},
        {"\xC3\xA9", 2, 2},
        {"\xC3\xA9", 1, 0}, /* n too short */
        {"\xE2\x82\xAC", 3, 3},
        {"\xE2\x82\xAC", 2, 0},
        {"\xF0\x9F\x98\x80", 4, 4},
        {"\xF0\x9F\x98\x80", 3, 0},
        {"\xC0\xAF", 2, 0},
        {"\xC1\x81", 2, 0},
        {"\xED\xA0\x80", 3, 0},
        {"\xF4\x90\x80\x80", 4, 0},
        {"\x80", 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t got = sli_utf8_seq_len((const unsigned char *)cases[i].s, cases[i].n);
        if (got != cases[i].len)
            fail_msg("case %zu: sli_utf8_seq_len = %zu, expected %zu", i, got, cases[i].len);
    }
}

static void test_count(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t count;
    } cases[] = {
        {"", 0},
        {"abc", 3},
        {"caf\xC3\xA9", 4},
        {"\xE2\x82\xAC" "1", 2},
        {"\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 2},
        {"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 3},
        {"a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z", 5},
        {"e\xCC\x81", 2}, /* e + combining acute: two code points */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t got = sli_utf8_count(cases[i].s, strlen(cases[i].s));
        if (got != cases[i].count)
            fail_msg("case %zu (\"%s\"): sli_utf8_count = %zu, expected %zu", i, cases[i].s, got,
                     cases[i].count);
    }
    /* Only the first n bytes count. */
    assert_int_equal(sli_utf8_count("abcdef", 3), 3);
    assert_int_equal(sli_utf8_count("a\0b", 3), 3);
}

static void test_encode_known(void **state)
{
    (void)state;
    static const struct {
        unsigned cp;
        const char *utf8;
    } cases[] = {
        {0x00, "\x00"},   {0x41, "A"},          {0x7F, "\x7F"},
        {0x80, "\xC2\x80"}, {0xE9, "\xC3\xA9"}, {0x7FF, "\xDF\xBF"},
        {0x800, "\xE0\xA0\x80"}, {0x20AC, "\xE2\x82\xAC"}, {0xFFFD, "\xEF\xBF\xBD"},
        {0xFFFF, "\xEF\xBF\xBF"}, {0x10000, "\xF0\x90\x80\x80"},
        {0x1F600, "\xF0\x9F\x98\x80"}, {0x10FFFF, "\xF4\x8F\xBF\xBF"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[4] = {0};
        size_t len = sli_utf8_encode(cases[i].cp, out);
        size_t want = cases[i].cp ? strlen(cases[i].utf8) : 1;
        if (len != want || memcmp(out, cases[i].utf8, want) != 0)
            fail_msg("U+%04X: encoded to %zu bytes, expected %zu", cases[i].cp, len, want);
        size_t dlen = 0;
        unsigned cp = sli_utf8_decode((const unsigned char *)out, len, &dlen);
        assert_int_equal(cp, cases[i].cp);
        assert_int_equal(dlen, len);
    }
}

static int is_surrogate(unsigned cp)
{
    return cp >= 0xD800 && cp <= 0xDFFF;
}

static void test_encode_decode_roundtrip(void **state)
{
    (void)state;
    /* Every code point below U+3000 plus a stride through the rest, and the edges. */
    unsigned long checked = 0;
    for (unsigned cp = 0; cp <= 0x10FFFF; cp = cp < 0x3000 ? cp + 1 : cp + 97) {
        if (is_surrogate(cp))
            continue;
        char out[8];
        memset(out, 0x55, sizeof out);
        size_t len = sli_utf8_encode(cp, out);
        size_t want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (len != want)
            fail_msg("U+%04X: length %zu, expected %zu", cp, len, want);
        if ((unsigned char)out[len] != 0x55)
            fail_msg("U+%04X: wrote past its length", cp);
        if (sli_utf8_invalid_at(out, len) != len)
            fail_msg("U+%04X: encoding is not valid UTF-8", cp);
        if (sli_utf8_count(out, len) != 1)
            fail_msg("U+%04X: encoding does not count as one code point", cp);
        size_t dlen = 0;
        unsigned back = sli_utf8_decode((const unsigned char *)out, len, &dlen);
        if (back != cp || dlen != len)
            fail_msg("U+%04X: decoded as U+%04X (%zu bytes)", cp, back, dlen);
        checked++;
    }
    assert_true(checked > 20000);
    static const unsigned edges[] = {0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF,
                                     0x10000, 0x10FFFF};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        char out[4];
        size_t len = sli_utf8_encode(edges[i], out);
        size_t dlen;
        assert_int_equal(sli_utf8_decode((const unsigned char *)out, len, &dlen), edges[i]);
        assert_int_equal(dlen, len);
    }
}

static void test_decode_invalid(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t n;
    } cases[] = {
        {"\x80", 1}, {"\xC0\xAF", 2}, {"\xED\xA0\x80", 3}, {"\xF4\x90\x80\x80", 4},
        {"\xC3", 1}, {"\xE2\x82", 2}, {"\xFF", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = 99;
        unsigned cp = sli_utf8_decode((const unsigned char *)cases[i].s, cases[i].n, &len);
        if (cp != 0xFFFD || len != 1)
            fail_msg("case %zu: decoded U+%04X length %zu, expected U+FFFD length 1", i, cp,
                     len);
    }
    /* Decoding a string step by step: a bad byte costs exactly one byte. */
    const char *s = "a\xC3\xA9\x80\xE2\x82\xAC";
    size_t n = strlen(s), i = 0, len;
    unsigned expect[] = {'a', 0xE9, 0xFFFD, 0x20AC};
    size_t k = 0;
    while (i < n) {
        unsigned cp = sli_utf8_decode((const unsigned char *)s + i, n - i, &len);
        assert_true(k < 4);
        assert_int_equal(cp, expect[k++]);
        i += len;
    }
    assert_int_equal(k, 4);
    assert_int_equal(i, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_at_table),
        cmocka_unit_test(test_invalid_at_fast_path_offsets),
        cmocka_unit_test(test_invalid_at_long_valid),
        cmocka_unit_test(test_seq_len),
        cmocka_unit_test(test_count),
        cmocka_unit_test(test_encode_known),
        cmocka_unit_test(test_encode_decode_roundtrip),
        cmocka_unit_test(test_decode_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
