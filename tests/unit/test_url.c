/* test_url.c — the host of a URL (sli_ingest_url_host). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/url.h"

/* ---------------------------------------------------------------------------------- */
/* sli_ingest_url_host                                                                     */
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
        int ok = sli_ingest_url_host(cases[i].url, out, sizeof out);
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
    assert_int_equal(sli_ingest_url_host("https://example.com/", out, 12), 1);
    assert_string_equal(out, "example.com");
    assert_int_equal(sli_ingest_url_host("https://example.com/", out, 11), 0);
    assert_int_equal(sli_ingest_url_host("https://example.com/", out, 0), 0);
    char tiny[2];
    assert_int_equal(sli_ingest_url_host("https://a/", tiny, 2), 1);
    assert_string_equal(tiny, "a");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_host),
        cmocka_unit_test(test_url_host_upper_www),
        cmocka_unit_test(test_url_host_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
