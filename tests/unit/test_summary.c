/* test_summary.c — the present stage's pure part: sentences cut around abbreviations,
 * initials and decimals; sentences that cannot stand alone refused; a summary without a
 * dangling opener, without two near-identical sentences nor two paraphrases of one fact
 * (numbers and clock times normalised), with a syndication family
 * counted once, in reading order; the headline the central title, not the first nor the
 * longest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "present/present.h"

static void expect_sentences(const char *text, const char *const *want, size_t nwant)
{
    present_span sp[32];
    size_t n = sli_present_sentences(text, strlen(text), sp, 32);
    for (size_t i = 0; i < n && i < nwant; i++) {
        if (sp[i].len != strlen(want[i]) || memcmp(text + sp[i].start, want[i], sp[i].len))
            fail_msg("sentence %zu: got '%.*s', want '%s'", i, (int)sp[i].len,
                     text + sp[i].start, want[i]);
    }
    assert_int_equal(n, nwant);
}

static void test_sentences_abbreviations(void **state)
{
    (void)state;
    const char *text = "Mr. Smith flew to the U.S. on Monday. Prices rose 3.5 percent in Jan. "
                       "and fell 0.25 in Feb. this year. Dr. J. R. Doe agreed! Did he? Yes.\n"
                       "\"We will stay,\" she said. A line without a stop\n\n"
                       "The U.S. Senate met. It ended (at 5 p.m.) on time.";
    const char *const want[] = {
        "Mr. Smith flew to the U.S. on Monday.",
        "Prices rose 3.5 percent in Jan. and fell 0.25 in Feb. this year.",
        "Dr. J. R. Doe agreed!",
        "Did he?",
        "Yes.",
        "\"We will stay,\" she said.",
        "A line without a stop",
        "The U.S. Senate met.",
        "It ended (at 5 p.m.) on time.",
    };
    expect_sentences(text, want, sizeof want / sizeof *want);
}

static void test_sentences_quotes_and_bounds(void **state)
{
    (void)state;
    const char *text = "He said: \xE2\x80\x9CIt is over.\xE2\x80\x9D Then he left... The end?! "
                       "Visit example.com today.";
    const char *const want[] = {
        "He said: \xE2\x80\x9CIt is over.\xE2\x80\x9D",
        "Then he left...",
        "The end?!",
        "Visit example.com today.",
    };
    expect_sentences(text, want, sizeof want / sizeof *want);
    present_span sp[2];
    assert_int_equal(sli_present_sentences(text, strlen(text), sp, 2), 2); /* at most max */
    assert_int_equal(sli_present_sentences("", 0, sp, 2), 0);
    assert_int_equal(sli_present_sentences(" \n \n", 4, sp, 2), 0);
}

/* A dateline is not part of the sentence; a capitalised word before a dash that goes on
 * in lower case, or a long run of words, is not a dateline. */
static void test_sentences_datelines(void **state)
{
    (void)state;
    const char *text = "KESTRA, Veloria (AP) \xe2\x80\x94 The harbour board voted to close the quay.\n"
                       "MARLOW PORT, Oct 3 (Reuters) - Ferry crews walked out at dawn.\n"
                       "NATO - led patrols resumed on Tuesday.\n"
                       "ALERT one two three four five six seven eight nine - Not a dateline.\n"
                       "BRENNA \xe2\x80\x93 Water rose overnight.\n"
                       "Ostby (AFP) - The bank raised its rate.\n"
                       "Ostby - Harbour workers cheered.";
    static const char *const want[] = {
        "The harbour board voted to close the quay.",
        "Ferry crews walked out at dawn.",
        "NATO - led patrols resumed on Tuesday.",
        "ALERT one two three four five six seven eight nine - Not a dateline.",
        "Water rose overnight.",
        "The bank raised its rate.",
        "Ostby - Harbour workers cheered.",
    };
    expect_sentences(text, want, sizeof want / sizeof *want);
}

static int unfit(const char *s)
{
    return sli_present_unfit(s, strlen(s));
}

static void test_unfit(void **state)
{
    (void)state;
    assert_int_equal(unfit("Ministers from both countries met in Lindhaven on Friday to sign "
                           "the accord."),
                     PRESENT_OK);
    assert_int_equal(unfit("Italy's fishing fleet was not part of the talks held in Lindhaven."),
                     PRESENT_OK); /* "It" only as a whole word */
    assert_int_equal(unfit("Theresa Marten told reporters the rate would stay high for months."),
                     PRESENT_OK);
    assert_int_equal(unfit("He added that the talks would resume next week in the capital."),
                     PRESENT_DANGLING);
    assert_int_equal(unfit("The statement did not say when the talks would resume next week."),
                     PRESENT_DANGLING);
    assert_int_equal(unfit("However, the ministers said nothing about the plan for the fleet."),
                     PRESENT_DANGLING);
    assert_int_equal(unfit("It\xE2\x80\x99s the first time the union has struck since 1998 at all."),
                     PRESENT_DANGLING);
    assert_int_equal(unfit("This was the worst flood the town had seen in twenty five years."),
                     PRESENT_DANGLING);
    assert_int_equal(unfit("They were taken to the regional hospital in Brenna by ambulance."),
                     PRESENT_DANGLING);
    assert_int_equal(unfit("\"We will not give up on this plan, not now and not ever,\" she said."),
                     PRESENT_QUOTE);
    assert_int_equal(unfit("\xE2\x80\x9CWe will not give up on this plan, not now and not ever.\xE2\x80\x9D"),
                     PRESENT_QUOTE);
    assert_int_equal(unfit("By Ana Lutz"), PRESENT_SHORT);
    assert_int_equal(unfit("Too short to say much."), PRESENT_SHORT);
    assert_int_equal(unfit("Read more about the storm and the flood at www.example.com today."),
                     PRESENT_FURNITURE);
    assert_int_equal(unfit("Flood water drains from the streets of Brenna as clean-up begins"),
                     PRESENT_FURNITURE); /* a title: no full stop */
    assert_int_equal(unfit("and then the ministers went home to their own capitals that night."),
                     PRESENT_FURNITURE);
    char longer[400];
    memset(longer, 'a', sizeof longer);
    memcpy(longer, "Ministers ", 10);
    for (size_t i = 20; i < sizeof longer - 2; i += 10)
        longer[i] = ' ';
    longer[sizeof longer - 2] = '.';
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(unfit(longer), PRESENT_LONG);
}

/* --- digests --- */

typedef struct fixture {
    present_words *w;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || sli_present_words_create(&f->w))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sli_present_words_free(f->w);
    free(f);
    return 0;
}

/* The highest of measure over every two sentences the digest chose. */
static double most_alike_picks(present_words *w, const present_article *a,
                               const present_digest *d,
                               double (*measure)(const uint64_t *, size_t, const uint64_t *,
                                                 size_t))
{
    double most = 0;
    for (size_t i = 0; i < d->n; i++)
        for (size_t j = i + 1; j < d->n; j++) {
            const present_pick *x = &d->pick[i], *y = &d->pick[j];
            uint64_t *wx, *wy;
            size_t nx, ny;
            assert_int_equal(sli_present_word_set(w, a[x->article].text + x->start, x->len,
                                                  &wx, &nx), SL_OK);
            assert_int_equal(sli_present_word_set(w, a[y->article].text + y->start, y->len,
                                                  &wy, &ny), SL_OK);
            double m = measure(wx, nx, wy, ny);
            free(wx);
            free(wy);
            if (m > most)
                most = m;
        }
    return most;
}

static present_article art(const char *title, const char *text, long long family)
{
    return (present_article){title, text, text ? strlen(text) : 0, family};
}

/* The picked sentence k of d as a string (static buffer). */
static const char *picked(const present_article *a, const present_digest *d, size_t k)
{
    static char out[1024];
    snprintf(out, sizeof out, "%.*s", (int)d->pick[k].len,
             a[d->pick[k].article].text + d->pick[k].start);
    return out;
}

static void test_no_dangling_opener(void **state)
{
    fixture *f = *state;
    /* The most central sentence of each article opens with a pronoun or connective. */
    present_article a[] = {
        art("Portvale dock strike", "Dockworkers at Portvale began a strike on Monday over "
            "automated cranes at the container terminal. They said the cranes would cost 400 "
            "jobs at the Portvale container terminal on Monday. The union called the walkout "
            "after talks with Estline Terminals failed last week.", 0),
        art("Strike at Portvale", "Ships waited off Portvale as dockworkers struck over "
            "automated cranes on Monday at the terminal. However, the dockworkers at the "
            "Portvale container terminal said the automated cranes would cost jobs. Estline "
            "Terminals said it had offered retraining to every worker.", 0),
        art("Portvale walkout", "It is the first strike at the Portvale container terminal "
            "by dockworkers over automated cranes since Monday. Exporters in Navapur said "
            "their cargo was stranded on ships anchored off Portvale. Dockworkers at Portvale "
            "struck on Monday against automated cranes at the terminal.", 0),
    };
    present_digest d;
    assert_int_equal(sli_present_digest(f->w, a, 3, NULL, &d), SL_OK);
    assert_true(d.n >= PRESENT_SUMMARY_MIN && d.n <= PRESENT_SUMMARY_MAX);
    for (size_t k = 0; k < d.n; k++) {
        const char *s = picked(a, &d, k);
        if (sli_present_dangling(s, strlen(s)))
            fail_msg("a dangling sentence chosen: %s", s);
    }
    /* a lead first (no chosen sentence nearer the top of its article), then in reading
     * order: article, then place */
    for (size_t k = 1; k < d.n; k++)
        assert_true(d.pick[0].sentence <= d.pick[k].sentence);
    for (size_t k = 2; k < d.n; k++)
        assert_true(d.pick[k - 1].article < d.pick[k].article ||
                    (d.pick[k - 1].article == d.pick[k].article &&
                     d.pick[k - 1].sentence < d.pick[k].sentence));
}

static void test_no_near_identical(void **state)
{
    fixture *f = *state;
    /* Two outlets print nearly the same lead (one word apart): one of them is enough. */
    const char *lead = "The River Tarn burst its banks in Brenna overnight, forcing about 1,200 "
                       "people from their homes in the worst flood since 1998.";
    char b_text[512];
    snprintf(b_text, sizeof b_text,
             "The River Tarn burst its banks in Brenna overnight, forcing some 1,200 people "
             "from their homes in the worst flood since 1998. Rescue crews in boats took "
             "elderly residents from flooded streets near the river bridge. Forecasters "
             "expect more rain in the Tarn valley on Wednesday and Thursday.");
    char a_text[512];
    snprintf(a_text, sizeof a_text,
             "%s One man died when his car was swept off a road near the river in Brenna. "
             "Schools in Brenna will stay closed until the water drains from the town.",
             lead);
    present_article a[] = {
        art("Brenna flood", a_text, 0),
        art("Flood in Brenna", b_text, 0),
        art("Brenna under water", "Emergency shelters in Brenna housed 1,200 residents after "
            "the River Tarn flooded the town overnight. The army sent two hundred soldiers "
            "with sandbags to protect the hospital in Brenna. Insurers said claims from the "
            "Brenna flood could pass 40 million crowns this year.", 0),
    };
    present_digest d;
    assert_int_equal(sli_present_digest(f->w, a, 3, NULL, &d), SL_OK);
    assert_true(d.n >= PRESENT_SUMMARY_MIN);
    double jac = most_alike_picks(f->w, a, &d, sli_present_jaccard);
    if (jac >= 0.5)
        fail_msg("two near-identical sentences chosen (Jaccard %.2f)", jac);
    /* and the summary draws on more than one outlet */
    int other = 0;
    for (size_t k = 0; k < d.n; k++)
        other |= d.pick[k].article != d.pick[0].article;
    assert_true(other);
}

/* The word set of a string, for the comparisons below. */
static size_t words_of(present_words *w, const char *s, uint64_t **out)
{
    size_t n;
    assert_int_equal(sli_present_word_set(w, s, strlen(s), out, &n), SL_OK);
    return n;
}

static void test_numbers_normalised(void **state)
{
    fixture *f = *state;
    /* "2,400" is the number 2400; "5 a.m.", "5 am", "5am", "5 A.M." are one clock time;
     * a lone digit is kept (a fact), "5 amps" is not a time. */
    const char *same[] = {"Workers 2,400 stopped at 5 a.m. Friday.", "Workers 2400 stopped at 5am Friday.",
                          "Workers 2400 stopped at 5 am Friday.", "Workers 2,400 stopped at 5 A.M. Friday."};
    uint64_t *ref, *x;
    size_t nref = words_of(f->w, same[0], &ref);
    assert_int_equal(nref, 4); /* worker 2400 stop 5am (a weekday is a stop word) */
    for (size_t i = 1; i < sizeof same / sizeof *same; i++) {
        size_t nx = words_of(f->w, same[i], &x);
        assert_int_equal(nx, nref);
        assert_memory_equal(x, ref, nref * sizeof *ref);
        free(x);
    }
    size_t nx = words_of(f->w, "Workers 2,400 stopped at 5 amps Friday.", &x);
    assert_int_equal(nx, 5); /* 5 and amp: not a time */
    assert_true(sli_present_overlap(ref, nref, x, nx) < 1.0);
    free(x);
    /* "1,2345" and "12,34" are not thousands: two numbers each */
    nx = words_of(f->w, "Scores 1,2345 and 12,34", &x);
    assert_int_equal(nx, 5);
    free(x);
    /* the overlap coefficient: of the shorter set */
    uint64_t *y;
    size_t ny = words_of(f->w, "Workers stopped Friday", &y);
    assert_true(sli_present_overlap(ref, nref, y, ny) == 1.0);
    assert_true(sli_present_overlap(ref, nref, NULL, 0) == 0.0);
    free(y);
    free(ref);
}

static void test_no_paraphrase(void **state)
{
    fixture *f = *state;
    /* Three outlets state one fact (a ferry crews' stoppage at 5 am on Friday over night
     * crossings) in their own words and numbers' forms; each adds facts of its own that
     * another outlet confirms in other words. The summary states the stoppage once. */
    static const char *const fact[] = {
        "About 2,400 ferry workers at Lindmoor harbour stopped work at 5 a.m. on Friday over "
        "plans to cut the night crossings.",
        "The Lindmoor Ferry Workers' Guild began a two-day stoppage at 5am on Friday against "
        "plans to cut the night crossings.",
        "The stoppage by some 2400 members of the Lindmoor ferry workers' guild began on "
        "Friday over the plan to cut night crossings.",
    };
    char ta[600], tb[600], tc[600];
    snprintf(ta, sizeof ta, "%s Passengers queued for hours at the Skarra bus station as "
             "coaches replaced the cancelled sailings. Transport board officials estimated "
             "losses of 90,000 crowns for every day of the dispute.", fact[0]);
    snprintf(tb, sizeof tb, "%s Coach operators added forty extra buses from Skarra to carry "
             "the stranded passengers. Guild secretary Orla Venn said talks with the harbour "
             "company would resume on Monday.", fact[1]);
    snprintf(tc, sizeof tc, "%s The regional transport board said the dispute would cost "
             "operators about 90,000 crowns a day. Negotiators for the guild and the harbour "
             "company agreed to meet again on Monday, Orla Venn said.", fact[2]);
    present_article a[] = {
        art("Lindmoor ferries stop", ta, 0),
        art("Ferry guild strikes in Lindmoor", tb, 0),
        art("Night crossings dispute halts Lindmoor ferries", tc, 0),
    };
    /* the three are paraphrases under the measure: each pair at or above the cut */
    present_params def;
    sli_present_params_default(&def);
    for (size_t i = 0; i < 3; i++)
        for (size_t j = i + 1; j < 3; j++) {
            uint64_t *x, *y;
            size_t nx = words_of(f->w, fact[i], &x), ny = words_of(f->w, fact[j], &y);
            double o = sli_present_overlap(x, nx, y, ny);
            free(x);
            free(y);
            if (o < def.redundant)
                fail_msg("facts %zu and %zu overlap %.2f, under the cut", i, j, o);
        }
    present_digest d;
    assert_int_equal(sli_present_digest(f->w, a, 3, NULL, &d), SL_OK);
    assert_true(d.n >= PRESENT_SUMMARY_MIN); /* other facts exist: at least three */
    int stated = 0;
    for (size_t k = 0; k < d.n; k++)
        stated += d.pick[k].sentence == 0; /* each article's first sentence is the fact */
    assert_int_equal(stated, 1);
    /* and every two chosen sentences stay under the cut */
    double o = most_alike_picks(f->w, a, &d, sli_present_overlap);
    if (o >= def.redundant)
        fail_msg("two chosen sentences overlap %.2f", o);
    /* Without the cut, the fact is stated more than once: the cut is what stops it. */
    present_params off = def;
    off.redundant = 1.01;
    assert_int_equal(sli_present_digest(f->w, a, 3, &off, &d), SL_OK);
    stated = 0;
    for (size_t k = 0; k < d.n; k++)
        stated += d.pick[k].sentence == 0;
    assert_true(stated >= 2);
}

static void test_family_counted_once(void **state)
{
    fixture *f = *state;
    /* Five copies of one wire story (one family) against two outlets that agree with each
     * other: counted five times, the wire's own sentences would be the most central. */
    const char *wire = "Harbour cranes stood idle across the northern quays as the wire desk "
                       "reported a shipping slowdown. Freight agents expected lighter cargo "
                       "volumes through the northern quays this month. Harbour cranes at the "
                       "northern quays handle most grain exports.";
    present_article a[] = {
        art("Cranes idle on northern quays", wire, 7),
        art("Cranes idle on northern quays", wire, 7),
        art("Cranes idle on northern quays", wire, 7),
        art("Cranes idle on northern quays", wire, 7),
        art("Cranes idle on northern quays", wire, 7),
        art("Portvale dockers strike", "Dockworkers in Portvale began a three-day strike on "
            "Monday against automated straddle carriers. The Portvale union said 400 jobs were "
            "at risk from the automated straddle carriers. Estline Terminals offered "
            "retraining to its staff.", 0),
        art("Portvale strike begins", "A three-day strike by Portvale dockworkers against "
            "automated straddle carriers began on Monday. Union leaders said 400 Portvale jobs "
            "depended on the dispute over the automated carriers. Exporters counted the cost "
            "of stranded cargo.", 0),
    };
    present_digest d;
    assert_int_equal(sli_present_digest(f->w, a, 7, NULL, &d), SL_OK);
    assert_true(d.n >= 1);
    int from_outlets = 0;
    for (size_t k = 0; k < d.n; k++) {
        assert_false(d.pick[k].article >= 1 && d.pick[k].article <= 4); /* a copy: never read */
        from_outlets += d.pick[k].article >= 5;
    }
    assert_true(from_outlets >= 2);
    /* The same articles as seven unrelated outlets: the wire now outvotes them. */
    for (size_t i = 0; i < 5; i++)
        a[i].family = 0;
    present_digest loud;
    assert_int_equal(sli_present_digest(f->w, a, 7, NULL, &loud), SL_OK);
    int wire_first = 0;
    for (size_t k = 0; k < loud.n; k++)
        wire_first += loud.pick[k].article <= 4;
    assert_true(wire_first > (int)d.n - from_outlets);
}

static void test_headline_central(void **state)
{
    fixture *f = *state;
    present_article a[] = {
        art("Live updates", NULL, 0), /* too few words: a stub */
        art("A very long title about harbour trouble that mentions the strike among many other "
            "things happening in the region this week", NULL, 0),
        art("Dockworkers strike at Portvale port over automated cranes plan", NULL, 0),
        art("Portvale dockworkers strike over automated cranes", NULL, 0),
        art("Portvale strike: dockworkers walk out over cranes", NULL, 0),
        art(NULL, NULL, 0),
        art("", NULL, 0),
    };
    long h;
    assert_int_equal(sli_present_headline(f->w, a, 7, &h), SL_OK);
    assert_int_equal(h, 3); /* not the first with words (1), nor the longest (1) */
    /* a family's copies vote once: three copies of title 4 do not make it central */
    present_article b[] = {
        art("Portvale dockworkers strike over automated cranes", NULL, 0),
        art("Dockworkers at Portvale strike over automated cranes", NULL, 0),
        art("Cranes idle as strike hits harbour exports", NULL, 9),
        art("Cranes idle as strike hits harbour exports", NULL, 9),
        art("Cranes idle as strike hits harbour exports", NULL, 9),
    };
    assert_int_equal(sli_present_headline(f->w, b, 5, &h), SL_OK);
    assert_true(h == 0 || h == 1);
    /* ties go to the earliest; none at all is -1 */
    present_article c[] = {art("Ferry runs aground off Kessa", NULL, 0),
                           art("Ferry runs aground off Kessa", NULL, 0)};
    assert_int_equal(sli_present_headline(f->w, c, 2, &h), SL_OK);
    assert_int_equal(h, 0);
    assert_int_equal(sli_present_headline(f->w, a + 5, 2, &h), SL_OK);
    assert_int_equal(h, -1);
}

static void test_fallback_and_empty(void **state)
{
    fixture *f = *state;
    /* no sentence fit to stand alone: the first article's lead, not nothing */
    present_article a[] = {
        art("Short", "He said it was over and that they would all go home now. They left at "
            "once for the coast.", 0),
    };
    present_digest d;
    assert_int_equal(sli_present_digest(f->w, a, 1, NULL, &d), SL_OK);
    assert_true(d.n >= 1);
    assert_int_equal(d.pick[0].article, 0);
    assert_int_equal(d.pick[0].sentence, 0);
    /* no text at all: no summary */
    present_article b[] = {art("Only a title here", NULL, 0)};
    assert_int_equal(sli_present_digest(f->w, b, 1, NULL, &d), SL_OK);
    assert_int_equal(d.n, 0);
    assert_int_equal(d.headline, 0);
    assert_int_equal(sli_present_digest(f->w, b, 0, NULL, &d), SL_OK);
    assert_int_equal(d.n, 0);
    assert_int_equal(d.headline, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sentences_abbreviations),
        cmocka_unit_test(test_sentences_datelines),
        cmocka_unit_test(test_sentences_quotes_and_bounds),
        cmocka_unit_test(test_unfit),
        cmocka_unit_test_setup_teardown(test_no_dangling_opener, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_near_identical, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbers_normalised, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_paraphrase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_family_counted_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_headline_central, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fallback_and_empty, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
