/* test_url_tidy.c — the host of a URL (ingest_url_host), text tidying (text_tidy) and
 * the first title guess (text_guess_title). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/url.h"
#include "text/tidy.h"

/* ---------------------------------------------------------------------------------- */
/* ingest_url_host                                                                     */
/* ---------------------------------------------------------------------------------- */

typedef struct host_case {
    const char *url;
    const char *host; /* NULL: not a scheme://host URL (returns 0) */
} host_case;

static void run_host_cases(const host_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char out[256];
        memset(out, 'X', sizeof out);
        int ok = ingest_url_host(cases[i].url, out, sizeof out);
        if (cases[i].host) {
            if (!ok)
                fail_msg("case %zu (\"%s\"): no host, expected \"%s\"", i, cases[i].url,
                         cases[i].host);
            if (strcmp(out, cases[i].host) != 0)
                fail_msg("case %zu (\"%s\"): host \"%s\", expected \"%s\"", i, cases[i].url,
                         out, cases[i].host);
        } else if (ok) {
            fail_msg("case %zu (\"%s\"): host \"%s\", expected none", i, cases[i].url, out);
        }
    }
}

static void test_url_host(void **state)
{
    (void)state;
    static const host_case cases[] = {
        {"https://www.Example.COM/a?b", "example.com"},
        {"http://user@host.example:8080/x", "host.example"},
        {"https://[::1]:80/", "[::1]"},
        {"https://[2001:db8::1]/path", "[2001:db8::1]"},
        {"https://example.com", "example.com"},
        {"https://example.com/", "example.com"},
        {"https://example.com?q=1", "example.com"},
        {"https://example.com#top", "example.com"},
        {"https://example.com:443", "example.com"},
        {"http://user:secret@news.example.org/a/b", "news.example.org"},
        {"HTTPS://NEWS.BBC.CO.UK/world", "news.bbc.co.uk"},
        {"https://www.bbc.com/news/world-europe-123", "bbc.com"},
        {"https://www2.example.com/", "www2.example.com"},
        {"https://wwwexample.com/", "wwwexample.com"},
        {"https://news.www.example.com/", "news.www.example.com"},
        {"https://www/", "www"},
        {"ftp://files.example.net/x", "files.example.net"},
        {"svn+ssh://repo.example.net/x", "repo.example.net"},
        {"https://192.168.0.1:8080/", "192.168.0.1"},
        {"https://example.com/redirect?to=https://other.org/", "example.com"},
        /* Not scheme://host. */
        {"example.com/path", NULL},
        {"www.example.com", NULL},
        {"mailto:x", NULL},
        {"mailto:someone@example.com", NULL},
        {"", NULL},
        {"://example.com", NULL},
        {"https://", NULL},
        {"https:///path", NULL},
        {"https://user@/path", NULL},
        {"https://:8080/", NULL},
        {"ht tp://example.com", NULL},
        {"/path?u=http://example.com", NULL},
        {"a/b://example.com", NULL},
    };
    run_host_cases(cases, sizeof cases / sizeof cases[0]);
}

/* "www." is dropped whatever its case, as the host is lower-cased. */
static void test_url_host_upper_www(void **state)
{
    (void)state;
    static const host_case cases[] = {
        {"https://WWW.EXAMPLE.COM/", "example.com"},
        {"https://Www.Example.com/", "example.com"},
    };
    run_host_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_url_host_size(void **state)
{
    (void)state;
    char out[12];
    /* "example.com" is 11 bytes: fits in 12 with the terminator, not in 11. */
    assert_int_equal(ingest_url_host("https://example.com/", out, 12), 1);
    assert_string_equal(out, "example.com");
    assert_int_equal(ingest_url_host("https://example.com/", out, 11), 0);
    assert_int_equal(ingest_url_host("https://example.com/", out, 0), 0);
    char tiny[2];
    assert_int_equal(ingest_url_host("https://a/", tiny, 2), 1);
    assert_string_equal(tiny, "a");
}

/* ---------------------------------------------------------------------------------- */
/* text_tidy                                                                           */
/* ---------------------------------------------------------------------------------- */

typedef struct tidy_case {
    const char *in;
    const char *out;
} tidy_case;

static void test_tidy(void **state)
{
    (void)state;
    static const tidy_case cases[] = {
        {"", ""},
        {"\n\n\n", ""},
        {"  \t \r\n \f\v \n", ""},
        {"one line", "one line"},
        {"one line\n", "one line"},
        {"a\r\nb\r\n", "a\nb"},
        {"a\r\n\r\nb", "a\nb"},
        {"trailing   \nspaces\t\t\n", "trailing\nspaces"},
        {"   leading\n\t\tindent", "leading\nindent"},
        {"\n\n\nfirst\n\n\n\nsecond\n\n", "first\nsecond"},
        {"inner   spaces  stay", "inner   spaces  stay"},
        {"a \r\n \r\n b \r\n", "a\nb"},
        {"line one\r\nline two\r\n\r\nline three", "line one\nline two\nline three"},
        {"no newline at end   ", "no newline at end"},
        {"\xC3\xA9t\xC3\xA9 \n \xE6\x97\xA5\xE6\x9C\xAC", "\xC3\xA9t\xC3\xA9\n\xE6\x97\xA5\xE6\x9C\xAC"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf b;
        buf_init(&b, BUF_UNLIMITED);
        assert_int_equal(text_tidy(cases[i].in, strlen(cases[i].in), &b), SL_OK);
        if (strcmp(buf_str(&b), cases[i].out) != 0) {
            char msg[512];
            snprintf(msg, sizeof msg, "case %zu: tidy gave \"%s\", expected \"%s\"", i,
                     buf_str(&b), cases[i].out);
            buf_free(&b);
            fail_msg("%s", msg);
        }
        /* Tidy output is already tidy. */
        buf again;
        buf_init(&again, BUF_UNLIMITED);
        assert_int_equal(text_tidy(b.data ? b.data : "", b.len, &again), SL_OK);
        assert_string_equal(buf_str(&again), buf_str(&b));
        buf_free(&again);
        buf_free(&b);
    }
}

static void test_tidy_appends(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(buf_puts(&b, "prefix"), SL_OK);
    assert_int_equal(text_tidy("\n\n a \n b ", 9, &b), SL_OK);
    /* No newline is put between the old contents and the first new line. */
    assert_string_equal(buf_str(&b), "prefixa\nb");
    assert_int_equal(text_tidy("\n\n", 2, &b), SL_OK);
    assert_string_equal(buf_str(&b), "prefixa\nb");
    buf_free(&b);

    /* Only n bytes are read. */
    buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(text_tidy("abc\ndef", 5, &b), SL_OK);
    assert_string_equal(buf_str(&b), "abc\nd");
    buf_free(&b);
}

static void test_tidy_too_big(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 4);
    assert_int_equal(text_tidy("abc\ndef", 7, &b), SL_ERR_TOO_BIG);
    buf_free(&b);
    buf_init(&b, 7);
    assert_int_equal(text_tidy("  abc  \n  def  ", 15, &b), SL_OK);
    assert_string_equal(buf_str(&b), "abc\ndef");
    buf_free(&b);
}

/* ---------------------------------------------------------------------------------- */
/* text_guess_title                                                                    */
/* ---------------------------------------------------------------------------------- */

typedef struct title_case {
    const char *text; /* tidied text */
    const char *title; /* NULL: none */
} title_case;

static void test_guess_title(void **state)
{
    (void)state;
    static const title_case cases[] = {
        {"Prime Minister resigns after vote\nThe prime minister resigned on Tuesday.",
         "Prime Minister resigns after vote"},
        {"Home \xC2\xBB World \xC2\xBB Europe\nPrime Minister resigns after vote\nBody.",
         "Prime Minister resigns after vote"},
        {"News | Sport | Business\nFloods hit the north of the country\nBody text.",
         "Floods hit the north of the country"},
        {"Home > World > Europe\nStorm closes schools across the region",
         "Storm closes schools across the region"},
        {"Breaking\nAdvertisement\nMarkets fall sharply in early trading\nMore.",
         "Markets fall sharply in early trading"},
        {"This sentence ends with a full stop.\nThen a proper headline comes here",
         "Then a proper headline comes here"},
        {"Posted by staff at noon:\nCity council approves new budget",
         "City council approves new budget"},
        {"Two words\nAnd, here we go,\nFinal answer for the quiz",
         "Final answer for the quiz"},
        {"Is this the end of the euro?", "Is this the end of the euro?"},
        {"A b c\nToo short above", "Too short above"}, /* "A b c": under 10 bytes */
        {"\xC3\x89lections en France : le second tour", /* non-ASCII is fine */
         "\xC3\x89lections en France : le second tour"},
        /* None. */
        {"", NULL},
        {"Breaking", NULL},
        {"One\nTwo\nThree", NULL},
        {"Just twowords", NULL},
        {"All of these lines are sentences.\nEvery one of them.\nTruly, all of them.", NULL},
        {"Home \xC2\xBB World \xC2\xBB Europe\nNews | Sport | Business", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t start = 999, len = 999;
        const char *t = cases[i].text;
        int got = text_guess_title(t, strlen(t), &start, &len);
        if (!cases[i].title) {
            if (got)
                fail_msg("case %zu: found title \"%.*s\", expected none", i, (int)len, t + start);
            continue;
        }
        if (!got)
            fail_msg("case %zu: no title, expected \"%s\"", i, cases[i].title);
        if (len != strlen(cases[i].title) || memcmp(t + start, cases[i].title, len) != 0)
            fail_msg("case %zu: title \"%.*s\", expected \"%s\"", i, (int)len, t + start,
                     cases[i].title);
    }
}

static void test_guess_title_limits(void **state)
{
    (void)state;
    size_t start, len;
    /* Exactly 200 bytes is allowed, 201 is not. */
    char line[256];
    memset(line, 'x', sizeof line);
    for (size_t k = 0; k < 200; k += 10)
        line[k] = ' ';
    line[0] = 'T';
    line[200] = '\0';
    assert_int_equal(text_guess_title(line, 200, &start, &len), 1);
    assert_int_equal(start, 0);
    assert_int_equal(len, 200);
    line[200] = 'x';
    line[201] = '\0';
    assert_int_equal(text_guess_title(line, 201, &start, &len), 0);

    /* Exactly 10 bytes with three words is allowed, 9 is not. */
    assert_int_equal(text_guess_title("ab cd efgh", 10, &start, &len), 1);
    assert_int_equal(len, 10);
    assert_int_equal(text_guess_title("ab cd efg", 9, &start, &len), 0);

    /* Only the first 12 lines are looked at. */
    char text[1024] = "";
    for (int i = 0; i < 12; i++)
        strcat(text, "x\n");
    strcat(text, "A headline on line thirteen");
    assert_int_equal(text_guess_title(text, strlen(text), &start, &len), 0);
    /* ... and line 12 is one of them. */
    text[0] = '\0';
    for (int i = 0; i < 11; i++)
        strcat(text, "x\n");
    strcat(text, "A headline on line twelve\nbody");
    assert_int_equal(text_guess_title(text, strlen(text), &start, &len), 1);
    assert_int_equal(start, 22);
    assert_int_equal(len, strlen("A headline on line twelve"));

    /* Only n bytes are read. */
    const char *t = "Short\nA headline that is cut off here";
    assert_int_equal(text_guess_title(t, 6, &start, &len), 0);
    assert_int_equal(text_guess_title(t, 20, &start, &len), 1);
    assert_int_equal(start, 6);
    assert_int_equal(len, 14);
}

/* tidy then guess, as the batch does. */
static void test_tidy_then_title(void **state)
{
    (void)state;
    const char *raw = "\r\n  Home \xC2\xBB Politics  \r\n\r\n"
                      "   Parliament passes the new budget bill   \r\n"
                      "\r\nThe bill passed by 300 votes to 200.\r\n";
    buf b;
    buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(text_tidy(raw, strlen(raw), &b), SL_OK);
    assert_string_equal(buf_str(&b), "Home \xC2\xBB Politics\n"
                                     "Parliament passes the new budget bill\n"
                                     "The bill passed by 300 votes to 200.");
    size_t start, len;
    assert_int_equal(text_guess_title(b.data, b.len, &start, &len), 1);
    assert_int_equal(len, strlen("Parliament passes the new budget bill"));
    assert_memory_equal(b.data + start, "Parliament passes the new budget bill", len);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_host),
        cmocka_unit_test(test_url_host_upper_www),
        cmocka_unit_test(test_url_host_size),
        cmocka_unit_test(test_tidy),
        cmocka_unit_test(test_tidy_appends),
        cmocka_unit_test(test_tidy_too_big),
        cmocka_unit_test(test_guess_title),
        cmocka_unit_test(test_guess_title_limits),
        cmocka_unit_test(test_tidy_then_title),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
