/* test_date_refs.c — sli_date_refs_find: absolute dates in the usual forms, dates resolved
 * against the article's date (weekdays, yesterday, last month, a month without its year)
 * across month and year ends and leap days, no article date (absolute only, or the
 * dateline), what is not a date, and hostile input in linear time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "facts/facts.h"

typedef struct date_case {
    const char *date;  /* the article's date, or NULL */
    const char *text;
    const char *want;  /* the date's text expected among those found */
    const char *value; /* its value */
} date_case;

static const date_case CASES[] = {
    /* absolute */
    {"2008-03-06", "It was signed on March 4, 2008 in Paris.", "March 4, 2008", "2008-03-04"},
    {"2008-03-06", "It was signed on March 4 , 2008 in Paris.", "March 4 , 2008", "2008-03-04"},
    {"2008-03-06", "It was signed on 4 March 2008.", "4 March 2008", "2008-03-04"},
    {"2008-03-06", "It was signed on 4 May 2007.", "4 May 2007", "2007-05-04"},
    {"2008-03-06", "It was signed on 5 Dec 2007.", "5 Dec 2007", "2007-12-05"},
    {"2008-03-06", "It was signed on Dec 5 2007.", "Dec 5 2007", "2007-12-05"},
    {"2008-03-06", "Filed 2008-03-04 by the clerk.", "2008-03-04", "2008-03-04"},
    {"2008-03-06", "the 2017 accord", "2017", "2017"},
    {"2008-03-06", "They met in 2003 .", "2003", "2003"},
    {"2008-03-06", "due in November 2006 .", "November 2006", "2006-11"},
    {"2008-03-06", "delivery in mid-2011 .", "mid-2011", "2011"},
    {"2007-07-09", "On 7/8/07 the plane was shown.", "7/8/07", "2007-07-08"},
    {"2007-07-09", "On 25/12/2007 it snowed.", "25/12/2007", "2007-12-25"},
    {"2011-10-06", "He was born on February 24 , 1955 .", "February 24 , 1955", "1955-02-24"},
    {"2008-04-09", "It flew on April 2nd .", "April 2nd", "2008-04-02"},
    {"2008-03-06", "It ends on the 4th of July 2009.", "4th of July 2009", "2009-07-04"},
    {"2008-03-06", "due in Sept. 2009 .", "Sept. 2009", "2009-09"},
    {"2008-10-09", "Stocks fell on Oct. 7 , 2008 .", "Oct. 7 , 2008", "2008-10-07"},
    {"2008-10-09", "Stocks fell on Oct. 7 .", "Oct. 7", "2008-10-07"},
    {"2008-10-09", "Profit fell from the previous year .", "previous year", "2007"},
    /* a month or a day without its year: the nearest, or by the sentence's tense */
    {"2008-06-10", "Sales fell in May .", "May", "2008-05"},
    {"2005-09-07", "The Shuffle was introduced in January .", "January", "2005-01"},
    {"2005-11-05", "The plane will arrive on November 11 .", "November 11", "2005-11-11"},
    {"2010-01-25", "The deal was signed on 11 December .", "11 December", "2009-12-11"},
    {"2010-01-05", "Talks resume in December .", "December", "2009-12"},
    {"2009-12-20", "It will open in January .", "January", "2010-01"},
    {"2008-07-02", "It was announced on February 29 .", "February 29", "2008-02-29"},
    {"2009-01-10", "It was announced on February 29 .", "February 29", "2008-02-29"},
    /* weekdays: 2008-03-06 was a Thursday */
    {"2008-03-06", "Boeing said on Tuesday that it would appeal.", "Tuesday", "2008-03-04"},
    {"2008-03-06", "Boeing said last Tuesday that it would appeal.", "last Tuesday",
     "2008-03-04"},
    {"2008-03-06", "Boeing said on Thursday that it would appeal.", "Thursday", "2008-03-06"},
    {"2008-03-06", "Boeing said last Thursday that it would appeal.", "last Thursday",
     "2008-02-28"},
    {"2008-03-06", "The hearing is set to begin on Monday .", "Monday", "2008-03-10"},
    {"2008-03-06", "The hearing will be held next Tuesday .", "next Tuesday", "2008-03-11"},
    {"2008-03-02", "Airbus said on Friday that it won.", "Friday", "2008-02-29"},
    {"2009-01-01", "Airbus said on Wednesday that it won.", "Wednesday", "2008-12-31"},
    /* relative days, months and years across their ends */
    {"2008-03-01", "Shares fell yesterday .", "yesterday", "2008-02-29"},
    {"2007-03-01", "Shares fell yesterday .", "yesterday", "2007-02-28"},
    {"2008-12-31", "Shares rise tomorrow .", "tomorrow", "2009-01-01"},
    {"2008-06-10", "Shares fell today .", "today", "2008-06-10"},
    {"2008-01-15", "Sales fell last month .", "last month", "2007-12"},
    {"2008-12-02", "Sales open next month .", "next month", "2009-01"},
    {"2008-03-20", "Sales fell earlier this month .", "this month", "2008-03"},
    {"2008-03-20", "Sales rise next year .", "next year", "2009"},
    {"2008-01-02", "Sales fell last year .", "last year", "2007"},
    {"2008-03-02", "It happened three days ago .", "three days ago", "2008-02-28"},
    {"2008-03-02", "It happened two years ago .", "two years ago", "2006"},
    {"2008-04-09", "since the beginning of the year", "beginning of the year", "2008"},
    {"2008-12-09", "by the end of next month", "end of next month", "2009-01"},
    {"2008-01-09", "until the end of last year", "end of last year", "2007"},
    /* no article date: absolute dates only, or the dateline */
    {NULL, "It was signed on March 4, 2008.", "March 4, 2008", "2008-03-04"},
    {NULL, "They met in 2003 .", "2003", "2003"},
    {NULL, "Title\nMarch 6 , 2008\nBoeing said on Tuesday it would appeal.", "Tuesday",
     "2008-03-04"},
    {"bad", "Title\nMarch 6 , 2008\nShares fell yesterday .", "yesterday", "2008-03-05"},
};

static const sli_date_ref *find(const sli_facts *f, const char *text)
{
    for (size_t i = 0; i < f->n_dates; i++)
        if (!strcmp(f->dates[i].text, text))
            return &f->dates[i];
    return NULL;
}

static void dump(const char *date, const char *in, const sli_facts *f)
{
    print_message("date %s in: %s\n", date ? date : "(null)", in);
    for (size_t i = 0; i < f->n_dates; i++)
        print_message("  found [%s] %s\n", f->dates[i].text, f->dates[i].value);
}

static void test_table(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t k = 0; k < sizeof CASES / sizeof CASES[0]; k++) {
        const date_case *c = &CASES[k];
        sli_facts f = {0};
        assert_int_equal(sli_date_refs_find(c->text, strlen(c->text), c->date, &f), SL_OK);
        const sli_date_ref *d = find(&f, c->want);
        if (!d || strcmp(d->value, c->value)) {
            print_message("case %zu: want [%s] %s\n", k, c->want, c->value);
            dump(c->date, c->text, &f);
            bad++;
        } else {
            assert_memory_equal(c->text + d->offset, c->want, strlen(c->want));
        }
        sli_facts_clear(&f);
    }
    assert_int_equal(bad, 0);
}

typedef struct none_case {
    const char *date;
    const char *text;
} none_case;

/* Nothing here is a date with a full value. */
static const none_case NONE[] = {
    {"2008-03-06", "Prices may rise."},
    {"2008-03-06", "The firm said in a Jan report that Mar was up."},
    {"2008-03-06", "They met last week ."},
    {"2008-03-06", "a $ 2000 grant"},
    {"2008-03-06", "2000 workers went on strike"},
    {"2008-03-06", "It rose 2000 % ."},
    {"2008-03-06", "It was signed on February 29 , 2007 ."},
    {"2008-03-06", "the past year was hard"},
    {NULL, "Boeing said on Tuesday that sales fell yesterday, in May."},
    {NULL, "Sales fell last month ."},
    {"2008-03-06", "at 6:40 p.m. on flight 1234-5678"},
};

static void test_none(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t k = 0; k < sizeof NONE / sizeof NONE[0]; k++) {
        sli_facts f = {0};
        assert_int_equal(sli_date_refs_find(NONE[k].text, strlen(NONE[k].text), NONE[k].date, &f),
                         SL_OK);
        if (f.n_dates) {
            dump(NONE[k].date, NONE[k].text, &f);
            bad++;
        }
        sli_facts_clear(&f);
    }
    assert_int_equal(bad, 0);
}

static double run_seconds(const char *in, size_t n, const char *date, size_t *found)
{
    sli_facts f = {0};
    clock_t t0 = clock();
    assert_int_equal(sli_date_refs_find(in, n, date, &f), SL_OK);
    double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
    *found = f.n_dates;
    sli_facts_clear(&f);
    return s;
}

/* A 500-digit number, a megabyte of digits, 10,000 commas, odd bytes: no crash; growing
 * inputs take time in proportion. */
static void test_hostile(void **state)
{
    (void)state;
    size_t n = 1 << 20, found, m;
    char *in = malloc(n + 1);
    assert_non_null(in);
    memset(in, '2', 500);
    run_seconds(in, 500, "2008-03-06", &found);
    assert_int_equal(found, 0);
    memset(in, '2', n);
    run_seconds(in, n, "2008-03-06", &found);
    assert_int_equal(found, 0);
    memset(in, ',', 10000);
    run_seconds(in, 10000, "2008-03-06", &found);
    assert_int_equal(found, 0);
    for (m = 0; m < 4096; m++)
        in[m] = (char)(m * 31 + 7);
    run_seconds(in, 4096, NULL, &found);
    in[0] = (char)0xE2;
    run_seconds(in, 1, "2008-03-06", &found);
    assert_int_equal(found, 0);
    const char *unit = "On Tuesday , May 4 , 2008 and in May , they will meet . ";
    size_t ul = strlen(unit), small = ul * 1000, big = ul * 16000;
    assert_true(big <= n);
    for (m = 0; m + ul <= big; m += ul)
        memcpy(in + m, unit, ul);
    double t_small = 0, t_big = 0;
    for (int r = 0; r < 3; r++) {
        t_small += run_seconds(in, small, "2008-03-06", &found);
        assert_int_equal(found, 1000 * 3);
        t_big += run_seconds(in, big, "2008-03-06", &found);
        assert_int_equal(found, 16000 * 3);
    }
    assert_true(t_big < 16 * 4 * t_small + 0.5);
    free(in);
}

static void test_invalid(void **state)
{
    (void)state;
    sli_facts f = {0};
    assert_int_equal(sli_date_refs_find(NULL, 0, NULL, &f), SL_ERR_INVALID);
    assert_int_equal(sli_date_refs_find("", 0, "2008-03-06", &f), SL_OK);
    assert_int_equal(f.n_dates, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_none),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
