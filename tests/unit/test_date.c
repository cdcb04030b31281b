/* test_date.c — dates in structured fields: sli_text_parse_iso_date. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "text/date.h"

typedef struct date_case {
    const char *in;
    size_t used;     /* expected return: bytes consumed, 0 when not a date */
    const char *out; /* expected ISO form (ignored when used is 0) */
} date_case;

static void run_cases(const date_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char out[32];
        memset(out, 'X', sizeof out);
        out[31] = '\0';
        size_t used = sli_text_parse_iso_date(cases[i].in, strlen(cases[i].in), out);
        if (used != cases[i].used)
            fail_msg("case %zu (\"%s\"): returned %zu, expected %zu (out \"%s\")", i,
                     cases[i].in, used, cases[i].used, out);
        if (used && strcmp(out, cases[i].out) != 0)
            fail_msg("case %zu (\"%s\"): wrote \"%s\", expected \"%s\"", i, cases[i].in, out,
                     cases[i].out);
    }
}

#define RUN(t) run_cases((t), sizeof(t) / sizeof((t)[0]))

static void test_dates(void **state)
{
    (void)state;
    static const date_case cases[] = {
        {"2024-03-15", 10, "2024-03-15"},
        {"2024/03/15", 10, "2024-03-15"},
        {"1999-12-31", 10, "1999-12-31"},
        {"1000-01-01", 10, "1000-01-01"},
        {"9999-12-31", 10, "9999-12-31"},
        {"2024-01-31", 10, "2024-01-31"},
        {"2024-04-30", 10, "2024-04-30"},
        {"2024-12-31", 10, "2024-12-31"},
        /* Leap years: divisible by 4, except centuries, except every 400 years. */
        {"2024-02-29", 10, "2024-02-29"},
        {"2000-02-29", 10, "2000-02-29"},
        {"1996-02-29", 10, "1996-02-29"},
        {"2023-02-28", 10, "2023-02-28"},
        /* What follows the date (but is not a digit or a time) is left unread. */
        {"2024-03-15 and more", 10, "2024-03-15"},
        {"2024-03-15,", 10, "2024-03-15"},
        {"2024-03-15x", 10, "2024-03-15"},
        {"2024-03-15T", 10, "2024-03-15"},
        {"2024-03-15 ", 10, "2024-03-15"},
    };
    RUN(cases);
}

static void test_date_times(void **state)
{
    (void)state;
    static const date_case cases[] = {
        {"2024-03-15T09:30:00Z", 20, "2024-03-15T09:30:00Z"},
        {"2024-03-15T09:30:00", 19, "2024-03-15T09:30:00"},
        {"2024-03-15 09:30:00", 19, "2024-03-15T09:30:00"}, /* news-please */
        {"2024-03-15T09:30", 16, "2024-03-15T09:30:00"},
        {"2024-03-15T09:30Z", 17, "2024-03-15T09:30:00Z"},
        {"2024-03-15T09:30:00.123+05:30", 29, "2024-03-15T09:30:00+05:30"},
        {"2024-03-15T09:30:00,5Z", 22, "2024-03-15T09:30:00Z"},
        {"2024-03-15T09:30:00.123456789Z", 30, "2024-03-15T09:30:00Z"},
        {"2024-03-15T09:30:00+05:30", 25, "2024-03-15T09:30:00+05:30"},
        {"2024-03-15T09:30:00-0500", 24, "2024-03-15T09:30:00-05:00"},
        {"2024-03-15T09:30:00+00:00", 25, "2024-03-15T09:30:00+00:00"},
        {"2024-03-15T23:59:59Z", 20, "2024-03-15T23:59:59Z"},
        {"2024-03-15T23:59:60Z", 20, "2024-03-15T23:59:60Z"}, /* leap second */
        {"2024-03-15T00:00:01", 19, "2024-03-15T00:00:01"},
        {"2024/03/15 12:00", 16, "2024-03-15T12:00:00"},
        /* Midnight with no zone is a bare date. */
        {"2024-03-15T00:00:00", 19, "2024-03-15"},
        {"2024-03-15 00:00:00", 19, "2024-03-15"},
        {"2024-03-15T00:00", 16, "2024-03-15"},
        {"2024-03-15T00:00:00.000", 23, "2024-03-15"},
        /* ... but midnight with a zone is a time. */
        {"2024-03-15T00:00:00Z", 20, "2024-03-15T00:00:00Z"},
        {"2024-03-15T00:00:00+01:00", 25, "2024-03-15T00:00:00+01:00"},
        /* Trailing text after a full date-time is left unread. */
        {"2024-03-15T09:30:00Z rest", 20, "2024-03-15T09:30:00Z"},
    };
    RUN(cases);
}

/* A time that does not parse leaves the date alone (and the time unread). */
static void test_bad_times_keep_the_date(void **state)
{
    (void)state;
    static const date_case cases[] = {
        {"2024-03-15T24:00:00", 10, "2024-03-15"},
        {"2024-03-15T09:60", 10, "2024-03-15"},
        {"2024-03-15T9:30", 10, "2024-03-15"},
        {"2024-03-15T09", 10, "2024-03-15"},
        {"2024-03-15T09:", 10, "2024-03-15"},
        {"2024-03-15T09:3", 10, "2024-03-15"},
        {"2024-03-15 10 people", 10, "2024-03-15"},
        {"2024-03-15T09:30:61", 10, "2024-03-15"},
        {"2024-03-15Tab:cd", 10, "2024-03-15"},
        /* An unreadable zone is left unread; the time stays. */
        {"2024-03-15T09:30:00+25:00", 19, "2024-03-15T09:30:00"},
        {"2024-03-15T09:30:00+05", 19, "2024-03-15T09:30:00"},
        {"2024-03-15T09:30:00 UTC", 19, "2024-03-15T09:30:00"},
    };
    RUN(cases);
}

static void test_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",           "hello",       "2024",        "2024-",       "2024-03",
        "2024-03-",   "2024-03-1",   "2024-02-30",  "2023-02-29",  "1900-02-29",
        "2100-02-29", "2024-13-01",  "2024-00-10",  "2024-03-00",  "2024-03-32",
        "2024-04-31", "2024-06-31",  "2024-09-31",  "2024-11-31",  "24-03-15",
        "2024-3-15",  "2024-03-5",   "2024-03/15",  "2024/03-15",  "2024.03.15",
        "0999-01-01", "0000-01-01",  " 2024-03-15", "2024-03-150", "2024-03-1500",
        "20240315",   "+2024-03-15", "2024_03_15",  "15-03-2024",  "March 15, 2024",
        "abcd-ef-gh", "2024-ab-15",  "-2024-03-15",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[32] = "";
        size_t used = sli_text_parse_iso_date(bad[i], strlen(bad[i]), out);
        if (used != 0)
            fail_msg("\"%s\" parsed as a date (%zu bytes, \"%s\")", bad[i], used, out);
    }
}

/* Only n bytes are read: the input need not be NUL-terminated, and a date cut short
 * by n is not a date. */
static void test_length_bound(void **state)
{
    (void)state;
    char out[32];
    const char *s = "2024-03-15T09:30:00Z";
    assert_int_equal(sli_text_parse_iso_date(s, 10, out), 10);
    assert_string_equal(out, "2024-03-15");
    assert_int_equal(sli_text_parse_iso_date(s, 9, out), 0);
    assert_int_equal(sli_text_parse_iso_date(s, 0, out), 0);
    assert_int_equal(sli_text_parse_iso_date(s, 16, out), 16);
    assert_string_equal(out, "2024-03-15T09:30:00");
    assert_int_equal(sli_text_parse_iso_date(s, 19, out), 19);
    assert_string_equal(out, "2024-03-15T09:30:00");
    /* Cut inside the time: the date alone. */
    assert_int_equal(sli_text_parse_iso_date(s, 14, out), 10);
    assert_string_equal(out, "2024-03-15");

    /* A buffer with no terminator at all. */
    char raw[10];
    memcpy(raw, "2024-03-15", 10);
    assert_int_equal(sli_text_parse_iso_date(raw, sizeof raw, out), 10);
    assert_string_equal(out, "2024-03-15");
}

/* Every day of four years (one a leap year, one a century non-leap year): each valid
 * date round-trips, and the day after the month's last day is refused. */
static void test_every_day(void **state)
{
    (void)state;
    static const int years[] = {1900, 2000, 2023, 2024};
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (size_t y = 0; y < sizeof years / sizeof years[0]; y++) {
        int yr = years[y];
        int leap = (yr % 4 == 0 && yr % 100 != 0) || yr % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int last = mdays[m - 1] + (m == 2 && leap);
            for (int d = 1; d <= 31; d++) {
                char in[48], out[32];
                snprintf(in, sizeof in, "%04d-%02d-%02d", yr, m, d);
                size_t used = sli_text_parse_iso_date(in, 10, out);
                if (d <= last) {
                    if (used != 10 || strcmp(out, in) != 0)
                        fail_msg("%s: not parsed", in);
                } else if (used != 0) {
                    fail_msg("%s: parsed, but the month has %d days", in, last);
                }
            }
        }
    }
}

/* Days and dates both ways: every day from 1600 to 2400 goes to its date and back, and
 * consecutive days give consecutive, increasing dates. */
static void test_days_round_trip(void **state)
{
    (void)state;
    int ok;
    long from = sli_text_iso_days("1600-01-01", &ok), to = sli_text_iso_days("2400-12-31", &ok);
    assert_true(ok);
    char prev[11] = "", iso[11];
    for (long d = from; d <= to; d++) {
        sli_text_days_iso(d, iso);
        long back = sli_text_iso_days(iso, &ok);
        if (!ok || back != d)
            fail_msg("day %ld: %s reads back as %ld", d, iso, back);
        if (prev[0] && strcmp(prev, iso) >= 0)
            fail_msg("day %ld: %s does not follow %s", d, iso, prev);
        memcpy(prev, iso, sizeof iso);
    }
    sli_text_days_iso(0, iso);
    assert_string_equal(iso, "1970-01-01");
    sli_text_days_iso(19797, iso);
    assert_string_equal(iso, "2024-03-15");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_date_times),
        cmocka_unit_test(test_bad_times_keep_the_date),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_length_bound),
        cmocka_unit_test(test_every_day),
        cmocka_unit_test(test_days_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
