/* test_charset.c — a page's bytes to UTF-8 (sli_html_decode, src/ingest/charset.c): the
 * order BOM, Content-Type, <meta>, detection; label aliases; a label the bytes belie;
 * bytes that do not convert; binary bodies refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/utf8.h"
#include "ingest/html.h"

typedef struct charset_case {
    const char *what;
    const char *bytes; /* the page */
    size_t n;          /* 0: strlen(bytes) */
    const char *content_type;
    sl_error err;        /* expected result */
    const char *charset; /* expected encoding, when SL_OK */
    const char *has;     /* the UTF-8 output contains this, when SL_OK (NULL: not checked) */
    const char *lacks;   /* and not this (NULL: not checked) */
} charset_case;

#define B(s) s, sizeof(s) - 1

/* Russian text in KOI8-R, and the same in UTF-8. "В Москве прошёл сильный дождь, сообщили
 * в мэрии. Движение на дорогах затруднено, сказали в полиции." */
#define RU_UTF8                                                                                \
    "\xd0\x92 \xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb5 \xd0\xbf\xd1\x80\xd0\xbe\xd1\x88" \
    "\xd1\x91\xd0\xbb \xd1\x81\xd0\xb8\xd0\xbb\xd1\x8c\xd0\xbd\xd1\x8b\xd0\xb9 \xd0\xb4\xd0\xbe" \
    "\xd0\xb6\xd0\xb4\xd1\x8c"

static void run_cases(const charset_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const charset_case *c = &cases[i];
        buf out;
        sli_buf_init(&out, 4 * HTML_PAGE_MAX_BYTES);
        const char *charset = NULL, *why = NULL;
        size_t len = c->n ? c->n : strlen(c->bytes);
        sl_error err = sli_html_decode(c->bytes, len, c->content_type, &out, &charset, &why);
        if (err != c->err)
            fail_msg("case %zu (%s): error %d (%s), expected %d", i, c->what, (int)err,
                     why ? why : "-", (int)c->err);
        if (err) {
            if (!why)
                fail_msg("case %zu (%s): refused without saying why", i, c->what);
        } else {
            if (strcmp(charset, c->charset))
                fail_msg("case %zu (%s): read as %s, expected %s", i, c->what, charset,
                         c->charset);
            if (out.len && sli_utf8_invalid_at(out.data, out.len) != out.len)
                fail_msg("case %zu (%s): output is not valid UTF-8", i, c->what);
            if (c->has && !strstr(sli_buf_str(&out), c->has))
                fail_msg("case %zu (%s): output \"%s\" lacks \"%s\"", i, c->what,
                         sli_buf_str(&out), c->has);
            if (c->lacks && strstr(sli_buf_str(&out), c->lacks))
                fail_msg("case %zu (%s): output \"%s\" has \"%s\"", i, c->what, sli_buf_str(&out),
                         c->lacks);
        }
        sli_buf_free(&out);
    }
}

static void test_charset_order(void **state)
{
    (void)state;
    static const charset_case cases[] = {
        {"UTF-8 BOM", B("\xEF\xBB\xBF<p>caf\xC3\xA9</p>"), NULL, SL_OK, "UTF-8", "caf\xC3\xA9",
         "\xEF\xBB\xBF"},
        {"UTF-16LE BOM", B("\xFF\xFE<\0p\0>\0c\0a\0f\0\xE9\0"), NULL, SL_OK, "UTF-16LE",
         "<p>caf\xC3\xA9", NULL},
        {"UTF-16BE BOM", B("\xFE\xFF\0<\0p\0>\0c\0a\0f\0\xE9"), NULL, SL_OK, "UTF-16BE",
         "<p>caf\xC3\xA9", NULL},
        {"UTF-16LE named by the header alone", B("<\0p\0>\0c\0a\0f\0\xE9\0"),
         "text/html; charset=utf-16le", SL_OK, "UTF-16LE", "<p>caf\xC3\xA9", NULL},
        {"BOM beats the header", B("\xEF\xBB\xBF<p>caf\xC3\xA9</p>"), "text/html; charset=koi8-r",
         SL_OK, "UTF-8", "caf\xC3\xA9", NULL},
        {"Content-Type charset", B("<p>caf\xE9</p>"), "text/html; charset=ISO-8859-1", SL_OK,
         "windows-1252", "caf\xC3\xA9", NULL},
        {"Content-Type quoted", B("<p>\x93q\x94</p>"), "text/html; Charset=\"windows-1252\"",
         SL_OK, "windows-1252", "\xE2\x80\x9Cq\xE2\x80\x9D", NULL},
        {"header beats meta", B("<meta charset=koi8-r><p>caf\xE9</p>"),
         "text/html;charset=latin1", SL_OK, "windows-1252", "caf\xC3\xA9", NULL},
        {"meta charset", B("<html><head><meta charset=\"iso-8859-1\"></head><p>caf\xE9</p>"),
         NULL, SL_OK, "windows-1252", "caf\xC3\xA9", NULL},
        {"meta http-equiv",
         B("<head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=KOI8-R\">"
           "<p>\xf7 \xed\xcf\xd3\xcb\xd7\xc5</p>"),
         NULL, SL_OK, "KOI8-R", "\xd0\x92 \xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb5", NULL},
        {"meta in a comment is not read", B("<!-- <meta charset=koi8-r> --><p>caf\xC3\xA9</p>"),
         NULL, SL_OK, "UTF-8", "caf\xC3\xA9", NULL},
        {"meta saying UTF-16 means UTF-8", B("<meta charset=utf-16><p>caf\xC3\xA9</p>"), NULL,
         SL_OK, "UTF-8", "caf\xC3\xA9", NULL},
        {"unknown label ignored", B("<p>caf\xC3\xA9</p>"), "text/html; charset=x-nonsense", SL_OK,
         "UTF-8", "caf\xC3\xA9", NULL},
        {"alias utf8", B("<p>caf\xC3\xA9</p>"), "text/html; charset=utf8", SL_OK, "UTF-8",
         "caf\xC3\xA9", NULL},
        {"alias x-sjis", B("<p>\x93\x8c\x8b\x9e</p>"), "text/html; charset=x-sjis", SL_OK,
         "Shift_JIS", "\xE6\x9D\xB1\xE4\xBA\xAC", NULL},
        {"no label, ASCII", B("<p>plain</p>"), NULL, SL_OK, "UTF-8", "<p>plain</p>", NULL},
        {"no label, valid UTF-8", B("<p>na\xC3\xAFve</p>"), NULL, SL_OK, "UTF-8", "na\xC3\xAFve",
         NULL},
    };
    run_cases(cases, sizeof cases / sizeof *cases);
}

static void test_charset_detect(void **state)
{
    (void)state;
    static const charset_case cases[] = {
        /* windows-1252 without a label: “Quoted,” she said — café owners; naïve résumé. */
        {"windows-1252 detected",
         B("<html><body><p>\x93Quoted,\x94 she said \x97 the caf\xE9 owners were na\xEFve about "
           "the r\xE9sum\xE9s they had been sent. \x93It is d\xE9j\xE0 vu,\x94 said the "
           "ma\xEEtre d\x92h\xF4tel of the caf\xE9.</p></body></html>"),
         NULL, SL_OK, "windows-1252", "caf\xC3\xA9", "\xEF\xBF\xBD"},
        /* Shift_JIS without a label: 東京で大雨が降りました。電車が止まりました。 */
        {"Shift_JIS detected",
         B("<html><body><p>\x93\x8c\x8b\x9e\x82\xc5\x91\xe5\x89\x4a\x82\xaa\x8d\x7e\x82\xe8\x82"
           "\xdc\x82\xb5\x82\xbd\x81\x42\x93\x64\x8e\xd4\x82\xaa\x8e\x7e\x82\xdc\x82\xe8\x82\xdc"
           "\x82\xb5\x82\xbd\x81\x42\x93\x8c\x8b\x9e\x82\xc5\x91\xe5\x89\x4a\x82\xaa\x8d\x7e\x82"
           "\xe8\x82\xdc\x82\xb5\x82\xbd\x81\x42</p></body></html>"),
         NULL, SL_OK, "Shift_JIS", "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xA7", "\xEF\xBF\xBD"},
        /* KOI8-R without a label */
        {"KOI8-R detected",
         B("<html><body><p>\xf7 \xed\xcf\xd3\xcb\xd7\xc5 \xd0\xd2\xcf\xdb\xa3\xcc \xd3\xc9\xcc"
           "\xd8\xce\xd9\xca \xc4\xcf\xd6\xc4\xd8, \xd3\xcf\xcf\xc2\xdd\xc9\xcc\xc9 \xd7 \xcd"
           "\xdc\xd2\xc9\xc9. \xf7 \xed\xcf\xd3\xcb\xd7\xc5 \xd0\xd2\xcf\xdb\xa3\xcc \xd3\xc9"
           "\xcc\xd8\xce\xd9\xca \xc4\xcf\xd6\xc4\xd8, \xd3\xcf\xcf\xc2\xdd\xc9\xcc\xc9 \xd7 "
           "\xcd\xdc\xd2\xc9\xc9. \xf7 \xed\xcf\xd3\xcb\xd7\xc5 \xd0\xd2\xcf\xdb\xa3\xcc \xd3"
           "\xc9\xcc\xd8\xce\xd9\xca \xc4\xcf\xd6\xc4\xd8.</p></body></html>"),
         NULL, SL_OK, "KOI8-R", RU_UTF8, "\xEF\xBF\xBD"},
        /* a conflicting label: says latin-1, is UTF-8 (mislabelled pages are common) */
        {"label belied by UTF-8 bytes", B("<meta charset=iso-8859-1><p>caf\xC3\xA9 na\xC3\xAFve</p>"),
         NULL, SL_OK, "UTF-8", "caf\xC3\xA9 na\xC3\xAFve", "\xC3\x83"},
        /* a label the bytes do not belie is followed */
        {"KOI8-R label, no multibyte UTF-8", B("<p>\xf7 \xed\xef</p>"),
         "text/html; charset=koi8-r", SL_OK, "KOI8-R", "\xd0\x92", NULL},
        /* says UTF-8, one stray byte in much UTF-8: stays UTF-8, the byte is U+FFFD */
        {"stray byte in UTF-8",
         B("<p>caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 "
           "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 "
           "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 "
           "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 "
           "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 "
           "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 "
           "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 "
           "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 "
           "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 "
           "bad\xFF</p>"),
         "text/html; charset=utf-8", SL_OK, "UTF-8", "bad\xEF\xBF\xBD", NULL},
        /* bytes that do not convert in the labelled encoding become U+FFFD */
        {"unconvertible byte", B("<p>a\x82\xFF b</p>"), "text/html; charset=shift_jis", SL_OK,
         "Shift_JIS", "\xEF\xBF\xBD", NULL},
        /* a stray NUL in text becomes a space, not the end of the page */
        {"stray NUL", B("<p>before\0after and much more text to make the one NUL byte rare in "
                        "a page of ordinary length, as a stray one is</p>"),
         NULL, SL_OK, "UTF-8", "before after", NULL},
    };
    run_cases(cases, sizeof cases / sizeof *cases);
}

static void test_charset_binary(void **state)
{
    (void)state;
    /* a JPEG labelled text/html */
    unsigned char jpeg[600];
    static const unsigned char head[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F',
                                         0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01};
    memcpy(jpeg, head, sizeof head);
    for (size_t i = sizeof head; i < sizeof jpeg; i++)
        jpeg[i] = (unsigned char)(i * 7919u >> 3);
    /* UTF-16 that is binary once decoded: NUL code units */
    char u16[402];
    u16[0] = (char)0xFF, u16[1] = (char)0xFE;
    for (size_t i = 2; i < sizeof u16; i++)
        u16[i] = (char)(i % 5 == 0 ? 1 : 0);
    /* high bytes labelled with a 7-bit encoding: none converts, all U+FFFD */
    char junk[400];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(0x80 | (i * 37 % 0x40)); /* continuation bytes only */
    const charset_case cases[] = {
        {"JPEG as text/html", (const char *)jpeg, sizeof jpeg, "text/html", SL_ERR_BINARY, NULL,
         NULL, NULL},
        {"NULs in UTF-16", u16, sizeof u16, NULL, SL_ERR_BINARY, NULL, NULL, NULL},
        {"high bytes in ISO-2022-JP", junk, sizeof junk, "text/html; charset=iso-2022-jp",
         SL_ERR_UTF8, NULL, NULL, NULL},
    };
    run_cases(cases, sizeof cases / sizeof *cases);
}

static void test_charset_empty_and_big(void **state)
{
    (void)state;
    buf out;
    sli_buf_init(&out, 4 * HTML_PAGE_MAX_BYTES);
    const char *charset, *why;
    assert_int_equal(sli_html_decode("", 0, NULL, &out, &charset, &why), SL_OK);
    assert_int_equal(out.len, 0);
    /* 8 MB of windows-1252: linear, and right at the end too */
    size_t n = (size_t)8 << 20;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'a', n);
    memcpy(big, "<meta charset=windows-1252>", 27);
    big[n - 1] = (char)0xE9;
    assert_int_equal(sli_html_decode(big, n, NULL, &out, &charset, &why), SL_OK);
    assert_string_equal(charset, "windows-1252");
    assert_int_equal(out.len, n + 1);
    assert_memory_equal(out.data + n - 1, "\xC3\xA9", 2);
    free(big);
    sli_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_charset_order),
        cmocka_unit_test(test_charset_detect),
        cmocka_unit_test(test_charset_binary),
        cmocka_unit_test(test_charset_empty_and_big),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
