/* test_amounts.c — sli_amounts_find: numbers with their unit and what they count, in
 * Western and Indian grouping, scale words, currencies, percent, fractions, number words,
 * ranges, what is not an amount (years, dates, times, ordinals, models, durations), and
 * hostile input (huge numbers, a megabyte of digits, ten thousand commas) in linear time. */
#include <math.h>
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

typedef struct amount_case {
    const char *text;   /* the sentence */
    const char *want;   /* the amount's text expected among those found */
    double value;
    const char *unit;   /* NULL: no unit */
} amount_case;

static const amount_case CASES[] = {
    /* counts with the noun counted */
    {"Police said 250,000 farmers marched on the capital.", "250,000 farmers", 250000, "farmers"},
    {"Police said 2,50,000 farmers marched on the capital.", "2,50,000 farmers", 250000, "farmers"},
    {"About 2.5 lakh farmers joined.", "About 2.5 lakh farmers", 250000, "farmers"},
    {"The scheme costs Rs 3 crore a year.", "Rs 3 crore", 3e7, "INR"},
    {"It has 1,00,00,000 users.", "1,00,00,000 users", 1e7, "users"},
    {"It will supply 179 new aerial refueling tankers .", "179 new aerial refueling tankers", 179,
     "tankers"},
    {"There were 44,000 jobs at stake.", "44,000 jobs", 44000, "jobs"},
    /* money */
    {"a $3.5 billion deal", "$3.5 billion", 3.5e9, "USD"},
    {"a US$ 40 billion ( GB # 20.1 billion ) contract", "US$ 40 billion", 4e10, "USD"},
    {"a US$ 40 billion ( GB # 20.1 billion ) contract", "GB # 20.1 billion", 2.01e10, "GBP"},
    {"has won a # 13 billion contract", "# 13 billion", 1.3e10, "GBP"},
    {"profits of \xC2\xA3" "3bn last year", "\xC2\xA3" "3bn", 3e9, "GBP"},
    {"a grant of \xE2\x82\xAC" "1.2m for schools", "\xE2\x82\xAC" "1.2m", 1.2e6, "EUR"},
    {"sales of \xC2\xA5" "500 million", "\xC2\xA5" "500 million", 5e8, "JPY"},
    {"a \xE2\x82\xB9" "2,500 fine", "\xE2\x82\xB9" "2,500", 2500, "INR"},
    {"worth 9.9 billion yuan in all", "9.9 billion yuan", 9.9e9, "CNY"},
    {"a 23 billion dollar contract", "23 billion dollar", 2.3e10, "USD"},
    {"fined 5 million euros on Friday", "5 million euros", 5e6, "EUR"},
    {"a USD 40 million loan", "USD 40 million", 4e7, "USD"},
    {"cost between $ 12 million and $ 20 million to build", "between $ 12 million and $ 20 million",
     1.2e7, "USD"},
    {"about US$ 16 million to $ 28 million", "about US$ 16 million to $ 28 million", 1.6e7, "USD"},
    {"priced at around $ 9.99 US dollars", "around $ 9.99 US dollars", 9.99, "USD"},
    {"raised Rs. 500 from each", "Rs. 500", 500, "INR"},
    /* percent */
    {"growth of 5 per cent this year", "5 per cent", 5, "percent"},
    {"growth of 5% this year", "5%", 5, "percent"},
    {"growth of 5 percent this year", "5 percent", 5, "percent"},
    {"as much as 3 % more", "as much as 3 %", 3, "percent"},
    {"a 15-20 % cut", "15-20 %", 15, "percent"},
    /* fractions */
    {"a third of the workers", "a third", 1.0 / 3, NULL},
    {"two-thirds of the vote", "two-thirds", 2.0 / 3, NULL},
    {"cut its staff by a fifth , or about 19,000 workers", "a fifth", 0.2, NULL},
    {"cut its staff by a fifth , or about 19,000 workers", "about 19,000 workers", 19000,
     "workers"},
    {"The Dow fell 777.68 points , or 6.98 percent , to 10,365.45 .", "777.68 points", 777.68,
     "points"},
    {"The Dow fell 777.68 points , or 6.98 percent , to 10,365.45 .", "10,365.45", 10365.45,
     NULL},
    {"About half of them left", "About half", 0.5, NULL},
    {"three quarters of the seats", "three quarters", 0.75, NULL},
    {"half a million people", "half a million people", 5e5, "people"},
    /* number words */
    {"three million people", "three million people", 3e6, "people"},
    {"twenty-five planes", "twenty-five planes", 25, "planes"},
    {"two hundred and fifty delegates", "two hundred and fifty delegates", 250, "delegates"},
    {"China bought twenty tonnes of rice", "twenty tonnes", 20, "tonnes"},
    {"a score of villages", "a score", 20, NULL},
    {"thousands of workers", "thousands of workers", 1000, "workers"},
    {"a dozen eggs", "a dozen eggs", 12, "eggs"},
    /* approximators and ranges */
    {"all 228 people on board", "all 228 people", 228, "people"},
    {"more than 40 states", "more than 40 states", 40, "states"},
    {"up to 60 aircraft", "up to 60 aircraft", 60, "aircraft"},
    {"between 210 and 250 passengers", "between 210 and 250 passengers", 210, "passengers"},
    {"some 1,500 to 2,000 jobs", "some 1,500 to 2,000 jobs", 1500, "jobs"},
    /* units glued on */
    {"a 500km range", "500km", 500, "km"},
    {"with 60GB of storage", "60GB", 60, "GB"},
    {"a 3.5-inch screen", "3.5-inch", 3.5, "inch"},
    {"a 2000 workers strike", "2000 workers", 2000, "workers"},
    {"75 hours of video", "75 hours", 75, "hours"},
};

static const sli_amount *find(const sli_facts *f, const char *text)
{
    for (size_t i = 0; i < f->n_amounts; i++)
        if (!strcmp(f->amounts[i].text, text))
            return &f->amounts[i];
    return NULL;
}

static void dump(const char *in, const sli_facts *f)
{
    print_message("in: %s\n", in);
    for (size_t i = 0; i < f->n_amounts; i++)
        print_message("  found [%s] %g %s\n", f->amounts[i].text, f->amounts[i].value,
                      f->amounts[i].unit ? f->amounts[i].unit : "(null)");
}

static void test_table(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t k = 0; k < sizeof CASES / sizeof CASES[0]; k++) {
        const amount_case *c = &CASES[k];
        sli_facts f = {0};
        assert_int_equal(sli_amounts_find(c->text, strlen(c->text), &f), SL_OK);
        const sli_amount *a = find(&f, c->want);
        int ok = a && fabs(a->value - c->value) <= 1e-9 * fabs(c->value) + 1e-9 &&
                 (c->unit ? a->unit && !strcmp(a->unit, c->unit) : !a->unit);
        if (!ok) {
            print_message("case %zu: want [%s] %g %s\n", k, c->want, c->value,
                          c->unit ? c->unit : "(null)");
            dump(c->text, &f);
            bad++;
        } else {
            assert_memory_equal(c->text + a->offset, c->want, strlen(c->want));
        }
        sli_facts_clear(&f);
    }
    assert_int_equal(bad, 0);
}

/* Numbers that are not amounts: years, dates, times, ordinals, models, durations. */
static const char *const NOT_AMOUNTS[] = {
    "The accord was signed in 2017 .",
    "the 2017 accord",
    "It happened on March 4 , 2008 in Paris.",
    "It happened on 4 March 2008.",
    "Stocks fell on Oct. 10 in Tokyo.",
    "She won a third term.",
    "The flight left at 6:40 p.m. local time.",
    "The walkout began at 6am and ended at 10PM.",
    "It landed at 18:00 UTC .",
    "This is the 5th time.",
    "Boeing 787 flew for the first time; the 787 is late.",
    "The 787-8 seats 210 and the 787 is light.",
    "The contract runs for two years.",
    "a 27-year contract",
    "the 1990s were good",
    "On 7/8/07 the plane was shown.",
    "She won in the first half of the game.",
    "No one came.",
    "One of them left; one said so.",
    "Its serial number is 001 .",
    "the No. 1 music seller",
    "within one month of the launch",
    "version 1.2.3 is out",
};

static void test_not_amounts(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t k = 0; k < sizeof NOT_AMOUNTS / sizeof NOT_AMOUNTS[0]; k++) {
        const char *in = NOT_AMOUNTS[k];
        sli_facts f = {0};
        assert_int_equal(sli_amounts_find(in, strlen(in), &f), SL_OK);
        size_t allowed = strstr(in, "seats 210") ? 1 : 0; /* "210" is a count */
        if (f.n_amounts != allowed) {
            dump(in, &f);
            bad++;
        }
        sli_facts_clear(&f);
    }
    assert_int_equal(bad, 0);
}

/* A 500-digit number: no crash, the value infinite (written as null) or huge. */
static void test_500_digits(void **state)
{
    (void)state;
    char in[600];
    memcpy(in, "about ", 6);
    memset(in + 6, '9', 500);
    memcpy(in + 506, " farmers", 9);
    sli_facts f = {0};
    assert_int_equal(sli_amounts_find(in, strlen(in), &f), SL_OK);
    assert_int_equal(f.n_amounts, 1);
    assert_true(isinf(f.amounts[0].value) || f.amounts[0].value > 1e300);
    assert_string_equal(f.amounts[0].unit, "farmers");
    sli_facts_clear(&f);
    /* 300 digits still fit a double */
    memset(in, '1', 300);
    in[300] = '\0';
    assert_int_equal(sli_amounts_find(in, 300, &f), SL_OK);
    assert_int_equal(f.n_amounts, 1);
    assert_true(isfinite(f.amounts[0].value) && f.amounts[0].value > 1e299);
    sli_facts_clear(&f);
}

static double run_seconds(const char *in, size_t n, size_t *found)
{
    sli_facts f = {0};
    clock_t t0 = clock();
    assert_int_equal(sli_amounts_find(in, n, &f), SL_OK);
    double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
    *found = f.n_amounts;
    sli_facts_clear(&f);
    return s;
}

/* A megabyte of digits, ten thousand commas, a megabyte of "1 , ": linear, no crash. */
static void test_hostile(void **state)
{
    (void)state;
    size_t n = 1 << 20, found;
    char *in = malloc(n + 1);
    assert_non_null(in);
    memset(in, '7', n);
    in[n] = '\0';
    run_seconds(in, n, &found);
    assert_int_equal(found, 1);
    /* "1,1,1,..." with 10,000 commas: not one number (groups of one digit) */
    size_t m = 0;
    for (int k = 0; k < 10000; k++) {
        in[m++] = '1';
        in[m++] = ',';
    }
    in[m++] = '1';
    run_seconds(in, m, &found);
    assert_true(found <= 1);
    /* 10,000 commas alone and "000," repeated */
    memset(in, ',', 10000);
    run_seconds(in, 10000, &found);
    assert_int_equal(found, 0);
    for (m = 0; m + 4 <= n; m += 4)
        memcpy(in + m, "000,", 4);
    in[0] = '1'; /* "1000,000,000,...": one number, too big for a double */
    run_seconds(in, m, &found);
    assert_true(found >= 1);
    /* linear: 15 times the text takes not much more than 15 times as long */
    const char *unit = "about $ 3.5 billion and 2,50,000 farmers , half of them , 5 % . ";
    size_t ul = strlen(unit);
    size_t small = ul * 1000, big = ul * 15000;
    assert_true(big <= n);
    for (m = 0; m + ul <= big; m += ul)
        memcpy(in + m, unit, ul);
    double t_small = 0, t_big = 0;
    for (int r = 0; r < 3; r++) {
        t_small += run_seconds(in, small, &found);
        assert_int_equal(found, 1000 * 4);
        t_big += run_seconds(in, big, &found);
        assert_int_equal(found, 15000 * 4);
    }
    assert_true(t_big < 15 * 4 * t_small + 0.5);
    /* odd bytes: invalid UTF-8, NULs, lone currency lead bytes */
    for (m = 0; m < 4096; m++)
        in[m] = (char)(m * 37 + 11);
    in[4095] = (char)0xE2;
    run_seconds(in, 4096, &found);
    in[0] = (char)0xC2;
    run_seconds(in, 1, &found);
    assert_int_equal(found, 0);
    free(in);
}

static void test_invalid(void **state)
{
    (void)state;
    sli_facts f = {0};
    assert_int_equal(sli_amounts_find(NULL, 0, &f), SL_ERR_INVALID);
    assert_int_equal(sli_amounts_find("", 0, &f), SL_OK);
    assert_int_equal(f.n_amounts, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_not_amounts),
        cmocka_unit_test(test_500_digits),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
