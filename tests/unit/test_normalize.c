/* test_normalize.c — the normalised form of article text: case folding, whitespace,
 * quotes, dashes, NFKC, ignorable and control characters, the ASCII fast path against
 * the utf8proc path, idempotence, and the content hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/utf8.h"
#include "text/ascii.h"
#include "text/normalize.h"

typedef struct norm_case {
    const char *in;
    const char *out;
} norm_case;

/* Normalise `in` (n bytes) into a fresh buffer and return it (caller frees). */
static char *normalize_n(const char *in, size_t n)
{
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    sl_error err = sli_text_normalize(in, n, &b);
    if (err != SL_OK)
        fail_msg("sli_text_normalize failed with %d", (int)err);
    char *s = sli_buf_take(&b);
    assert_non_null(s);
    return s;
}

static char *normalize(const char *in)
{
    return normalize_n(in, strlen(in));
}

static void run_table(const norm_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *got = normalize(cases[i].in);
        if (strcmp(got, cases[i].out) != 0) {
            char msg[1024];
            snprintf(msg, sizeof msg, "case %zu: normalize(\"%s\") = \"%s\", expected \"%s\"", i,
                     cases[i].in, got, cases[i].out);
            fail_msg("%s", msg); /* does not return: cmocka jumps out of the test */
        }
        free(got);
    }
}

#define RUN_TABLE(t) run_table((t), sizeof(t) / sizeof((t)[0]))

static void test_case_folding(void **state)
{
    (void)state;
    static const norm_case cases[] = {
        {"Hello WORLD", "hello world"},
        {"hello world", "hello world"},
        {"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"},
        {"0123456789 !#$%&()*+,-./:;<=>?@[]^_{|}~", "0123456789 !#$%&()*+,-./:;<=>?@[]^_{|}~"},
        {"MiXeD CaSe 42", "mixed case 42"},
        {"\xC3\x89T\xC3\x89", "\xC3\xA9t\xC3\xA9"},                   /* ÉTÉ -> été */
        {"\xC3\x84RGER \xC3\x96L", "\xC3\xA4rger \xC3\xB6l"},        /* ÄRGER ÖL */
        {"STRASSE", "strasse"},
        {"Stra\xC3\x9F" "e", "strasse"},                              /* Straße */
        {"STRA\xE1\xBA\x9E" "E", "strasse"},                          /* STRAẞE */
        {"\xE2\x84\xAA", "k"},                                        /* Kelvin sign */
        {"\xE2\x84\xAB", "\xC3\xA5"},                                 /* Ångström sign -> å */
        {"\xC7\x84", "d\xC5\xBE"},                                    /* Ǆ -> dž */
    };
    RUN_TABLE(cases);
    /* STRASSE and Straße are the same text. */
    char *a = normalize("STRASSE"), *b = normalize("Stra\xC3\x9F" "e");
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_whitespace(void **state)
{
    (void)state;
    static const norm_case cases[] = {
        {"", ""},
        {" ", ""},
        {" \t\r\n\v\f ", ""},
        {"a", "a"},
        {"  a  ", "a"},
        {"a  b", "a b"},
        {"a\tb", "a b"},
        {"a\nb", "a b"},
        {"a\r\nb", "a b"},
        {"a\r\n\r\n\r\nb", "a b"},
        {"a \t \n b", "a b"},
        {"a\vb\fc", "a b c"},
        {"\n\nline one\n\nline two\n\n", "line one line two"},
        {"a\xC2\xA0" "b", "a b"},               /* NBSP */
        {"a\xE2\x80\x83" "b", "a b"},           /* em space */
        {"a\xE3\x80\x80" "b", "a b"},           /* ideographic space */
        {"a\xE2\x80\xA8" "b", "a b"},           /* line separator */
        {"a\xE2\x80\xA9" "b", "a b"},           /* paragraph separator */
        {"a\xC2\x85" "b", "a b"},               /* NEL */
        {"a\xE2\x80\xAF" "b", "a b"},           /* narrow NBSP */
        {"\xC2\xA0\xC2\xA0" "a\xC2\xA0 \t\xE2\x80\x83" "b\xE3\x80\x80", "a b"},
        {"\xC3\xA9\tx", "\xC3\xA9 x"},          /* tab inside a utf8proc segment */
        {"\xC3\xA9\r\nx", "\xC3\xA9 x"},
        {"\xC3\xA9\vx", "\xC3\xA9 x"},
        {"\xC3\xA9 \xC3\xA9\n\n\xC3\xA9", "\xC3\xA9 \xC3\xA9 \xC3\xA9"},
        {"\xE3\x80\x80\xE6\x97\xA5\xE3\x80\x80", "\xE6\x97\xA5"},
    };
    RUN_TABLE(cases);
}

static void test_quotes_and_dashes(void **state)
{
    (void)state;
    static const norm_case cases[] = {
        {"\xE2\x80\x98" "a\xE2\x80\x99", "'a'"},        /* ‘a’ */
        {"\xE2\x80\x9C" "a\xE2\x80\x9D", "\"a\""},      /* “a” */
        {"\xC2\xAB" "a\xC2\xBB", "\"a\""},              /* «a» */
        {"\xE2\x80\x9A" "a\xE2\x80\x9B", "'a'"},        /* ‚a‛ */
        {"\xE2\x80\x9E" "a\xE2\x80\x9F", "\"a\""},      /* „a‟ */
        {"\xE3\x80\x9D" "a\xE3\x80\x9E", "\"a\""},      /* 〝a〞 */
        {"`a`", "'a'"},
        {"`A`", "'a'"},
        {"don\xE2\x80\x99t", "don't"},
        {"don\xCA\xBCt", "don't"},                     /* modifier letter apostrophe */
        {"5\xE2\x80\xB2", "5'"},                       /* prime */
        {"\xE2\x80\xB5", "'"},                         /* reversed prime */
        {"'plain' \"plain\"", "'plain' \"plain\""},
        {"a\xE2\x80\x93" "b", "a-b"},                  /* en dash */
        {"a\xE2\x80\x94" "b", "a-b"},                  /* em dash */
        {"a\xE2\x88\x92" "b", "a-b"},                  /* minus sign */
        {"a\xE2\x80\x90" "b", "a-b"},                  /* hyphen */
        {"a\xE2\x80\x91" "b", "a-b"},                  /* non-breaking hyphen */
        {"a\xE2\x80\x92" "b", "a-b"},                  /* figure dash */
        {"a\xE2\x80\x95" "b", "a-b"},                  /* horizontal bar */
        {"a\xEF\xB9\x98" "b", "a-b"},                  /* small em dash */
        {"a\xEF\xBC\x8D" "b", "a-b"},                  /* fullwidth hyphen-minus */
        {"1990 \xE2\x80\x94 2000", "1990 - 2000"},
        {"\xE2\x80\x9C" "QUOTED\xE2\x80\x9D \xE2\x80\x93 SAID", "\"quoted\" - said"},
    };
    RUN_TABLE(cases);
}

/* Double primes are documented (normalize.h) as becoming '"', like the other double
 * quote marks: "″ -> \"". */
static void test_double_prime(void **state)
{
    (void)state;
    static const norm_case cases[] = {
        {"12\xE2\x80\xB3", "12\""},                    /* ″ double prime */
        {"\xE2\x80\xB6" "a", "\"a"},                   /* ‶ reversed double prime */
    };
    RUN_TABLE(cases);
}

/* U+00B4 ACUTE ACCENT is used as an apostrophe in scraped text ("don´t"); the map in
 * normalize.c sends it to '\'', like ` and ’. */
static void test_acute_accent_apostrophe(void **state)
{
    (void)state;
    static const norm_case cases[] = {
        {"don\xC2\xB4t", "don't"},
        {"\xC2\xB4" "a\xC2\xB4", "'a'"},
    };
    RUN_TABLE(cases);
}

static void test_nfkc(void **state)
{
    (void)state;
    static const norm_case cases[] = {
        {"\xEF\xAC\x81", "fi"},                        /* ﬁ ligature */
        {"\xEF\xAC\x81nance", "finance"},
        {"of\xEF\xAC\x81" "ce", "office"},
        {"\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3", "abc"}, /* fullwidth ＡＢＣ */
        {"\xEF\xBC\xA6\xEF\xBD\x95\xEF\xBD\x8C\xEF\xBD\x8C", "full"}, /* Ｆｕｌｌ */
        {"\xE2\x91\xA0", "1"},                         /* ① */
        {"x\xC2\xB2", "x2"},                           /* superscript two */
        {"\xE2\x85\xA2", "iii"},                       /* roman numeral three */
        {"\xEF\xBD\xB6\xEF\xBE\x9E", "\xE3\x82\xAC"},  /* halfwidth ｶﾞ -> ガ */
        {"\xE1\x84\x80\xE1\x85\xA1", "\xEA\xB0\x80"},  /* jamo -> 가 */
        {"e\xCC\x81", "\xC3\xA9"},                     /* e + combining acute -> é */
        {"E\xCC\x81", "\xC3\xA9"},
        {"caf" "e\xCC\x81 au lait", "caf\xC3\xA9 au lait"},
        {"A\xCC\x8A", "\xC3\xA5"},                     /* A + ring -> å */
        {"n\xCC\x83" "o", "\xC3\xB1o"},                /* ñ in the middle of a word */
        {"\xC3\xA9", "\xC3\xA9"},                      /* already composed */
        {"`e\xCC\x81", "'\xC3\xA9"},
    };
    RUN_TABLE(cases);
}

static void test_ignorable_and_control(void **state)
{
    (void)state;
    static const norm_case cases[] = {
        {"co\xC2\xADop", "coop"},                      /* soft hyphen */
        {"zero\xE2\x80\x8Bwidth", "zerowidth"},        /* zero-width space */
        {"a\xE2\x80\x8C\xE2\x80\x8D" "b", "ab"},       /* ZWNJ, ZWJ */
        {"\xE2\x81\xA0" "a", "a"},                     /* word joiner */
        {"\xEF\xBB\xBF" "abc", "abc"},                 /* BOM */
        {"a\x01" "b", "ab"},
        {"a\x1F" "b", "ab"},
        {"a\x7F" "b", "ab"},
        {"a\x1B[0m", "a[0m"},
        {"\x01\x02\x03", ""},
        {"\xC3\xA9\x01x", "\xC3\xA9x"},                /* control inside a utf8proc segment */
        {"\xC3\xA9\x7Fx", "\xC3\xA9x"},
        {"a\xC2\x80" "b", "ab"},                       /* C1 control */
        {"a\xEE\x80\x80" "b", "ab"},                   /* private use */
        {"X\xC2\xADY\xE2\x80\x8BZ", "xyz"},
        {" \xE2\x80\x8B ", ""},
        {"a \xE2\x80\x8B b", "a b"},
    };
    RUN_TABLE(cases);
}

static void test_scripts(void **state)
{
    (void)state;
    static const norm_case cases[] = {
        {"\xCE\x91\xCE\x98\xCE\x97\xCE\x9D\xCE\x91", "\xCE\xB1\xCE\xB8\xCE\xB7\xCE\xBD\xCE\xB1"},
        {"\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90",                 /* МОСКВА */
         "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0"},                /* москва */
        {"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"},
        {"\xE5\x8C\x97\xE4\xBA\xAC 2024", "\xE5\x8C\x97\xE4\xBA\xAC 2024"},
        {"\xD8\xA7\xD9\x84\xD9\x82\xD8\xA7\xD9\x87\xD8\xB1\xD8\xA9",           /* Arabic */
         "\xD8\xA7\xD9\x84\xD9\x82\xD8\xA7\xD9\x87\xD8\xB1\xD8\xA9"},
        {"\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D", "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"}, /* Hebrew */
        {"Athens (\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1) AND Moscow",
         "athens (\xCE\xB1\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1) and moscow"},
        {"\xF0\x9F\x98\x80 Emoji", "\xF0\x9F\x98\x80 emoji"},
    };
    RUN_TABLE(cases);
}

static void test_mixed_long_text(void **state)
{
    (void)state;
    const char *in =
        "  \xE2\x80\x9C" "BREAKING\xE2\x80\x9D \xE2\x80\x94 The Prime Minister\xE2\x80\x99s "
        "of\xEF\xAC\x81" "ce said on Tuesday\xC2\xA0that the\r\n\r\n"
        "  Stra\xC3\x9F" "e project\xE2\x80\x8B (phase \xE2\x91\xA0) was \xC2\xAB" "on track"
        "\xC2\xBB.\t\tOfficials in \xCE\x91\xCE\x98\xCE\x97\xCE\x9D\xCE\x91 agreed\xE2\x80\xA6 "
        "e\xCC\x81t\xC3\xA9 2024\xE2\x80\x93" "25.\n";
    const char *want = "\"breaking\" - the prime minister's office said on tuesday that the "
                       "strasse project (phase 1) was \"on track\". officials in "
                       "\xCE\xB1\xCE\xB8\xCE\xB7\xCE\xBD\xCE\xB1 agreed... "
                       "\xC3\xA9t\xC3\xA9 2024-25.";
    char *got = normalize(in);
    assert_string_equal(got, want);
    free(got);
}

/* The ASCII fast path gathers words in a 256-byte chunk; a combining mark must still
 * compose with the letter before it whatever the word's length. */
static void test_combining_after_long_ascii_word(void **state)
{
    (void)state;
    char in[700], want[700];
    for (size_t k = 0; k <= 600; k += (k < 240 || k > 270) ? 37 : 1) {
        memset(in, 'A', k);
        memcpy(in + k, "E\xCC\x81", 3);
        memset(want, 'a', k);
        memcpy(want + k, "\xC3\xA9", 3); /* with its NUL */
        char *got = normalize_n(in, k + 3);
        if (strcmp(got, want) != 0) {
            size_t glen = strlen(got);
            free(got);
            fail_msg("k=%zu: got %zu bytes, expected %zu", k, glen, k + 2);
        }
        free(got);
    }
    /* Long ASCII words around non-ASCII ones keep their spacing. */
    memset(in, 'b', 300);
    memcpy(in + 300, " \xC3\x89 ", 4);
    memset(in + 304, 'C', 300);
    memset(want, 'b', 300);
    memcpy(want + 300, " \xC3\xA9 ", 4);
    memset(want + 304, 'c', 300);
    want[604] = '\0';
    char *got = normalize_n(in, 604);
    assert_string_equal(got, want);
    free(got);
}

/* The result is appended: what the buffer held before is kept as it was, and no space
 * is put between it and the new text. */
static void test_appends_to_buffer(void **state)
{
    (void)state;
    static const norm_case cases[] = {
        {"  Hello   World ", "hello world"},
        {"\xC2\xA0\xC3\x89t\xC3\xA9 \xE2\x80\x94 X", "\xC3\xA9t\xC3\xA9 - x"},
        {"   ", ""},
        {"\xE2\x80\x8B", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf b;
        sli_buf_init(&b, BUF_UNLIMITED);
        assert_int_equal(sli_buf_puts(&b, "PREFIX  "), SL_OK);
        assert_int_equal(sli_text_normalize(cases[i].in, strlen(cases[i].in), &b), SL_OK);
        char want[128];
        snprintf(want, sizeof want, "PREFIX  %s", cases[i].out);
        assert_string_equal(sli_buf_str(&b), want);
        sli_buf_free(&b);
    }
}

static void test_too_big(void **state)
{
    (void)state;
    buf b;
    sli_buf_init(&b, 5);
    assert_int_equal(sli_text_normalize("abcdefghij", 10, &b), SL_ERR_TOO_BIG);
    sli_buf_free(&b);
    sli_buf_init(&b, 5);
    assert_int_equal(sli_text_normalize("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 8, &b), SL_ERR_TOO_BIG);
    sli_buf_free(&b);
    sli_buf_init(&b, 5);
    assert_int_equal(sli_text_normalize("  ab  ", 6, &b), SL_OK);
    assert_string_equal(sli_buf_str(&b), "ab");
    sli_buf_free(&b);
}

/* Only n bytes are read: no terminator needed. */
static void test_respects_length(void **state)
{
    (void)state;
    char *got = normalize_n("HELLO WORLD", 5);
    assert_string_equal(got, "hello");
    free(got);
    got = normalize_n("\xC3\x89T\xC3\x89 EXTRA", 5);
    assert_string_equal(got, "\xC3\xA9t\xC3\xA9");
    free(got);
}

/* Pieces for random strings: ASCII, spaces of every kind, composed and decomposed
 * letters, compatibility forms, ignorables, quotes and dashes, other scripts. */
static const char *const pieces[] = {
    "a", "B", "z", "Q", "e", "E", "1", " ", "  ", "\t", "\n", "\r\n", "\v", ".", ",", "'",
    "\"", "`", "-", "\xC3\xA9", "\xC3\x89", "\xCC\x81", "\xCC\x88", "\xC3\x9F", "\xE1\xBA\x9E",
    "\xEF\xAC\x81", "\xEF\xBC\xA1", "\xE2\x91\xA0", "\xC2\xA0", "\xE2\x80\x83", "\xE3\x80\x80",
    "\xC2\xAD", "\xE2\x80\x8B", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x88\x92",
    "\xE2\x80\x9C", "\xE2\x80\x9D", "\xC2\xAB", "\xC2\xBB", "\xE2\x80\x98", "\xE2\x80\x99",
    "\xCE\xA3", "\xCF\x82", "\xCE\x91", "\xE6\x97\xA5", "\xD0\x96", "\xE2\x84\xAA",
    "\xC2\x85", "\xE2\x80\xA8", "\xEF\xBD\xB6", "\xEF\xBE\x9E", "\xF0\x9F\x98\x80",
    "\xE2\x80\xB2", "\xC2\xB2", "\xC7\x84", "\xEF\xBB\xBF", "\xC2\x80",
};

/* ASCII control characters, which the fast path drops. */
static const char *const controls[] = {"\x01", "\x1F", "\x7F", "\x1B"};

static uint64_t rng_state;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

static size_t random_text(char *out, size_t cap, int with_controls)
{
    size_t npieces = sizeof pieces / sizeof pieces[0];
    size_t ncontrols = sizeof controls / sizeof controls[0];
    size_t count = 1 + rng() % 40, n = 0;
    for (size_t k = 0; k < count; k++) {
        const char *p = pieces[rng() % npieces];
        if (with_controls && rng() % 8 == 0)
            p = controls[rng() % ncontrols];
        size_t len = strlen(p);
        if (n + len >= cap)
            break;
        memcpy(out + n, p, len);
        n += len;
    }
    out[n] = '\0';
    return n;
}

static void hex_dump(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 < cap; p++)
        o += (size_t)snprintf(out + o, cap - o, "%02x ", *p);
    out[o] = '\0';
}

#ifndef NORMALIZE_ITERATIONS
#define NORMALIZE_ITERATIONS 2000
#endif

/* Properties over pseudo-random strings (fixed seed): the result is valid UTF-8 with no
 * leading, trailing or doubled space, no ASCII upper case, whitespace or control
 * character, and no backquote. */
static void test_output_shape_random(void **state)
{
    (void)state;
    char in[512];
    rng_state = 0x9E3779B97F4A7C15ull;
    for (int iter = 0; iter < NORMALIZE_ITERATIONS; iter++) {
        size_t n = random_text(in, sizeof in, 1);
        char *once = normalize_n(in, n);
        size_t len = strlen(once);
        char dump[2048];
        if (sli_utf8_invalid_at(once, len) != len) {
            hex_dump(in, dump, sizeof dump);
            free(once);
            fail_msg("iteration %d: invalid UTF-8 out of: %s", iter, dump);
        }
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)once[i];
            int bad = (c >= 'A' && c <= 'Z') || c < 0x20 || c == 0x7F || c == '`' ||
                      (c == ' ' && (i == 0 || i + 1 == len || once[i + 1] == ' '));
            if (bad) {
                hex_dump(in, dump, sizeof dump);
                free(once);
                fail_msg("iteration %d: byte 0x%02x at %zu of the result, from: %s", iter, c,
                         i, dump);
            }
        }
        free(once);
    }
}

/* normalize(normalize(x)) == normalize(x) over pseudo-random strings (fixed seed). */
static void check_idempotent(int with_controls, uint64_t seed)
{
    char in[512];
    rng_state = seed;
    for (int iter = 0; iter < NORMALIZE_ITERATIONS; iter++) {
        size_t n = random_text(in, sizeof in, with_controls);
        char *once = normalize_n(in, n);
        char *twice = normalize(once);
        if (strcmp(once, twice) != 0) {
            char d0[2048], d1[2048], d2[2048];
            hex_dump(in, d0, sizeof d0);
            hex_dump(once, d1, sizeof d1);
            hex_dump(twice, d2, sizeof d2);
            free(once);
            free(twice);
            fail_msg("iteration %d: not idempotent\n in:    %s\n once:  %s\n twice: %s", iter,
                     d0, d1, d2);
        }
        free(once);
        free(twice);
    }
}

static void test_idempotent_random(void **state)
{
    (void)state;
    check_idempotent(0, 0x9E3779B97F4A7C15ull);
    check_idempotent(0, 0x0123456789ABCDEFull);
}

/* The same with ASCII control characters mixed in: they are dropped, so they must not
 * keep a combining mark from composing with the letter before them. */
static void test_idempotent_random_with_controls(void **state)
{
    (void)state;
    check_idempotent(1, 0x9E3779B97F4A7C15ull);
}

/* A dropped control character between a letter and a combining mark: the result is
 * what it would be without the control character (composed), so it hashes the same. */
static void test_control_before_combining_mark(void **state)
{
    (void)state;
    static const norm_case cases[] = {
        {"e\x01\xCC\x81", "\xC3\xA9"},
        {"e\x7F\xCC\x81", "\xC3\xA9"},
        {"caf" "e\x1F\xCC\x81", "caf\xC3\xA9"},
        {"E\x1B\xCC\x81T\xC3\x89", "\xC3\xA9t\xC3\xA9"},
        /* In the utf8proc path a dropped control still blocks canonical reordering:
         * U+3099 (combining class 8) goes before U+0308 (230). */
        {"\xCC\x88\x1F\xE3\x82\x99", "\xE3\x82\x99\xCC\x88"},
        {"\xC3\xA9\xCC\x88\x7F\xE3\x82\x99", "\xC3\xA9\xE3\x82\x99\xCC\x88"},
    };
    RUN_TABLE(cases);
}

/* Text that differs only in form, case, quotes, dashes or spacing normalises (and so
 * hashes) the same. */
static void test_equivalent_texts(void **state)
{
    (void)state;
    static const char *const groups[][4] = {
        {"The \xE2\x80\x9C" "Big\xE2\x80\x9D Deal \xE2\x80\x94 Again",
         "the \"big\" deal - again", "  THE  \xC2\xAB" "BIG\xC2\xBB\nDEAL\t\xE2\x80\x93 AGAIN ",
         "The\xC2\xA0\"Big\" Deal - Again"},
        {"caf\xC3\xA9 of\xEF\xAC\x81" "ce", "CAFE\xCC\x81 OFFICE", "caf\xC3\x89 office\r\n",
         "ca\xC2\xAD" "f\xC3\xA9 office"},
    };
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        char *first = normalize(groups[g][0]);
        unsigned char h0[16];
        sli_text_hash128(first, strlen(first), h0);
        for (size_t k = 1; k < 4; k++) {
            char *other = normalize(groups[g][k]);
            if (strcmp(first, other) != 0) {
                char msg[512];
                snprintf(msg, sizeof msg, "group %zu member %zu: \"%s\" vs \"%s\"", g, k,
                         first, other);
                fail_msg("%s", msg); /* does not return */
            }
            unsigned char h[16];
            sli_text_hash128(other, strlen(other), h);
            assert_memory_equal(h, h0, 16);
            free(other);
        }
        free(first);
    }
}

/* Lines appended one by one give the normalised whole; an empty line adds nothing. */
static void test_lines(void **state)
{
    (void)state;
    static const char *const lines[] = {"  The Mayor SAID:", "\xe2\x80\x8b", "",
                                        "\xe2\x80\x9cWe\xe2\x80\x99ll see.\xe2\x80\x9d", "ok"};
    static const size_t want_start[] = {0, 15, 15, 16, 29};
    buf joined, whole, byline;
    sli_buf_init(&joined, BUF_UNLIMITED);
    sli_buf_init(&whole, BUF_UNLIMITED);
    sli_buf_init(&byline, BUF_UNLIMITED);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        if (i)
            sli_buf_putc(&joined, '\n');
        sli_buf_puts(&joined, lines[i]);
        size_t start = 99;
        assert_int_equal(sli_text_normalize_line(lines[i], strlen(lines[i]), &byline, &start),
                         SL_OK);
        assert_int_equal(start, want_start[i]);
    }
    assert_int_equal(sli_text_normalize(joined.data, joined.len, &whole), SL_OK);
    assert_string_equal(sli_buf_str(&byline), sli_buf_str(&whole));
    assert_string_equal(sli_buf_str(&byline), "the mayor said: \"we'll see.\" ok");
    sli_buf_free(&joined);
    sli_buf_free(&whole);
    sli_buf_free(&byline);
}

static void test_hash128(void **state)
{
    (void)state;
    unsigned char a[16], b[16], c[16], d[16], e[16];
    sli_text_hash128("hello world", 11, a);
    sli_text_hash128("hello world", 11, b);
    assert_memory_equal(a, b, 16);
    /* Only n bytes are hashed. */
    sli_text_hash128("hello world and more", 11, c);
    assert_memory_equal(a, c, 16);
    /* A one-byte change changes the hash. */
    sli_text_hash128("hello worle", 11, d);
    assert_memory_not_equal(a, d, 16);
    sli_text_hash128("hello world", 10, e);
    assert_memory_not_equal(a, e, 16);
    /* The empty string hashes to something fixed too. */
    unsigned char z1[16], z2[16];
    sli_text_hash128("", 0, z1);
    sli_text_hash128("x", 0, z2);
    assert_memory_equal(z1, z2, 16);
    assert_memory_not_equal(z1, a, 16);

    /* Many distinct inputs, no collisions, and neither half of the hash is constant. */
    enum { N = 512 };
    static unsigned char hs[N][16];
    char s[32];
    for (int i = 0; i < N; i++) {
        int len = snprintf(s, sizeof s, "article %d", i);
        sli_text_hash128(s, (size_t)len, hs[i]);
    }
    int hi_differs = 0, lo_differs = 0;
    for (int i = 0; i < N; i++) {
        for (int j = i + 1; j < N; j++)
            if (!memcmp(hs[i], hs[j], 16))
                fail_msg("hash collision between %d and %d", i, j);
        hi_differs |= memcmp(hs[i], hs[0], 8) != 0;
        lo_differs |= memcmp(hs[i] + 8, hs[0] + 8, 8) != 0;
    }
    assert_true(hi_differs);
    assert_true(lo_differs);
}

/* ascii_ci_is: ASCII letters in any case; bytes >= 0x80 of the word match themselves
 * (a word list may hold "’s"); lengths must agree. */
static void test_ascii_ci_is(void **state)
{
    (void)state;
    static const struct { const char *s, *w; int is; } cases[] = {
        {"Reuters", "reuters", 1}, {"REUTERS", "reuters", 1}, {"Reuter", "reuters", 0},
        {"Reuterss", "reuters", 0}, {"\xE2\x80\x99s", "\xE2\x80\x99s", 1},
        {"\xE2\x80\x99S", "\xE2\x80\x99s", 1}, {"\xE2\x80\x98s", "\xE2\x80\x99s", 0},
        {"", "", 1}, {"a", "", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(ascii_ci_is(cases[i].s, 0, strlen(cases[i].s), cases[i].w), cases[i].is);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_ci_is),
        cmocka_unit_test(test_case_folding),
        cmocka_unit_test(test_whitespace),
        cmocka_unit_test(test_quotes_and_dashes),
        cmocka_unit_test(test_double_prime),
        cmocka_unit_test(test_acute_accent_apostrophe),
        cmocka_unit_test(test_nfkc),
        cmocka_unit_test(test_ignorable_and_control),
        cmocka_unit_test(test_scripts),
        cmocka_unit_test(test_mixed_long_text),
        cmocka_unit_test(test_combining_after_long_ascii_word),
        cmocka_unit_test(test_appends_to_buffer),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_respects_length),
        cmocka_unit_test(test_output_shape_random),
        cmocka_unit_test(test_idempotent_random),
        cmocka_unit_test(test_idempotent_random_with_controls),
        cmocka_unit_test(test_control_before_combining_mark),
        cmocka_unit_test(test_equivalent_texts),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_hash128),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
