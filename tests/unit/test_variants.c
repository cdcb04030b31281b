/* test_variants.c — quote variants (facts/variants.c, sli_quotes_group): a table of
 * printed quotes with the utterance each belongs to (typos, trimming, a sentence more,
 * "is their"/"in their", digit grouping, apostrophes, case; and different quotes that
 * share a phrase or a short sentence, which must stay apart), the canonical wording and
 * the numbering; a property test (random quotes with random edits merge, random different
 * quotes sharing a phrase do not) and a scale check on the work done for 20,000 quotes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "facts/facts.h"

typedef struct row {
    const char *text, *speaker;
    int utterance; /* rows with the same number are one utterance */
} row;

typedef struct gcase {
    const char *name;
    row rows[8];
} gcase;

static const gcase cases[] = {
    {"typo",
     {{"The goverment will not back down on this issue, not now and not ever.", "Sharma", 1},
      {"The government will not back down on this issue, not now and not ever.", "Sharma", 1},
      {NULL, NULL, 0}}},
    {"two typos in a long quote",
     {{"We have asked the ministry again and again to release the funds that were promised "
       "to the farmers last year", NULL, 1},
      {"We have asked the ministy again and again to release the funds that were promsied "
       "to the farmers last year", NULL, 1},
      {NULL, NULL, 0}}},
    {"trimmed to its first half",
     {{"We have done everything we could to protect the farmers, and we will keep doing it "
       "until the last of them is paid.", "Rao", 1},
      {"We have done everything we could to protect the farmers", "Rao", 1},
      {NULL, NULL, 0}}},
    {"trimmed to its end, no speaker given",
     {{"We have done everything we could to protect the farmers, and we will keep doing it "
       "until the last of them is paid.", "Rao", 1},
      {"we will keep doing it until the last of them is paid", NULL, 1},
      {NULL, NULL, 0}}},
    {"a sentence more or less",
     {{"The talks were useful. We agreed to meet again next month in Geneva.", "Lavrov", 1},
      {"The talks were useful. We agreed to meet again next month in Geneva. Nothing more "
       "can be said today.", "Sergei Lavrov", 1},
      {"The talks were useful. Nothing more can be said today about the talks.", "Lavrov", 2},
      {NULL, NULL, 0}}},
    {"a sentence left out in the middle",
     {{"This is a dark day for our country. Many families have lost everything they had. "
       "We will rebuild every home that was destroyed.", "Modi", 1},
      {"This is a dark day for our country. We will rebuild every home that was destroyed.",
       "Modi", 1},
      {NULL, NULL, 0}}},
    {"is their / in their",
     {{"There is no doubt in their minds about what happens next", "Smith", 1},
      {"There is no doubt is their minds about what happens next", "Smith", 1},
      {NULL, NULL, 0}}},
    {"Indian and Western digit grouping, lakh",
     {{"We will give 1,00,000 rupees to every family that lost a home", "Patel", 1},
      {"We will give 100,000 rupees to every family that lost a home", "Patel", 1},
      {"We will give 1 lakh rupees to every family that lost a home", NULL, 1},
      {"Some 2.5 lakh farmers have not been paid for their crops this year", "Patel", 2},
      {"Some 2,50,000 farmers have not been paid for their crops this year", "Patel", 2},
      {"Some 250,000 farmers have not been paid for their crops this year", NULL, 2},
      {NULL, NULL, 0}}},
    {"another number is another statement",
     {{"We will give 100,000 rupees to every family that lost a home", "Patel", 1},
      {"We will give 200,000 rupees to every family that lost a home", "Patel", 2},
      {"We will give 2 lakh rupees to every family that lost a home", "Patel", 2},
      {NULL, NULL, 0}}},
    {"curly and straight apostrophes, quote marks inside, case",
     {{"We don\xe2\x80\x99t accept this", "Lee", 1},
      {"We don't accept this", "Lee", 1},
      {"WE DON'T ACCEPT THIS", "Lee", 1},
      {"It\xe2\x80\x99s a \xe2\x80\x9c" "farce\xe2\x80\x9d and everyone in this room knows it",
       NULL, 2},
      {"It's a 'farce' and everyone in this room knows it", NULL, 2},
      {NULL, NULL, 0}}},
    {"the same speaker, a shared phrase: two quotes",
     {{"The American people deserve a government that works for them", "Obama", 1},
      {"We will never stop fighting for the American people in this town", "Obama", 2},
      {"the American people", "Obama", 3},
      {NULL, NULL, 0}}},
    {"a fragment two quotes share bridges nothing",
     {{"The American people deserve better than this and they know it", "Pelosi", 1},
      {"Our plan is simple: the American people deserve better than this", "Pelosi", 2},
      {"the American people deserve better than this", "Pelosi", 1},
      {NULL, NULL, 0}}},
    {"two cuts of one long quote that overlap",
     {{"We asked for the relief package in March and we asked again in April, and still "
       "nothing has reached the districts", "Reddy", 1},
      {"we asked again in April, and still nothing has reached the districts that were hit "
       "hardest by the floods this year", "Reddy", 1},
      {NULL, NULL, 0}}},
    {"a whole shared sentence joins the cuts it is in",
     {{"This is not the time for politics. The families who lost everything need help now.",
       "Mayor Chen", 1},
      {"The families who lost everything need help now, and the state has to act today.",
       "Chen", 1},
      {"The families who lost everything need help now", NULL, 1},
      {NULL, NULL, 0}}},
    {"a short sentence two people said",
     {{"No comment.", "Smith", 1},
      {"No comment", "Jones", 2},
      {"no comment", "John Smith", 1},
      {"No comment.", NULL, 1},
      {NULL, NULL, 0}}},
    {"a long sentence attributed differently is one quote",
     {{"We are not going to negotiate with people who hold a gun to our head", "Netanyahu",
       1},
      {"We are not going to negotiate with people who hold a gun to our head", "Abbas", 1},
      {NULL, NULL, 0}}},
    {"a short quote must be printed whole in the other",
     {{"I don't want you to have the wrong impression about this", NULL, 1},
      {"I don't want to have fisticuffs", "an activist", 2},
      {"I don't want to have fisticuffs", NULL, 2},
      {"want you to have the wrong", NULL, 1},
      {NULL, NULL, 0}}},
    {"short quotes: one typo, same length",
     {{"Absolutely disgraceful behaviour", "Khan", 1},
      {"Absolutely disgracefull behaviour", "Khan", 1},
      {"Absolutely shameful behaviour", "Khan", 2},
      {NULL, NULL, 0}}},
    {"different quotes, similar shape",
     {{"We will win this election because the people are with us", "Gandhi", 1},
      {"We will lose this election if the people stay at home", "Gandhi", 2},
      {"They will win nothing because the people are not fools", "Gandhi", 3},
      {NULL, NULL, 0}}},
    {"empty and punctuation-only quotes",
     {{"", NULL, 1}, {"...", NULL, 1}, {"!?", NULL, 1}, {"a", NULL, 2}, {NULL, NULL, 0}}},
};

static size_t rows_of(const gcase *c, sli_quote_seen *seen)
{
    size_t n = 0;
    for (; c->rows[n].text; n++)
        seen[n] = (sli_quote_seen){c->rows[n].text, c->rows[n].speaker, SLI_QUOTE_SPEECH,
                                   "a", "2024-05-01", (long long)n};
    return n;
}

static void test_table(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const gcase *c = &cases[k];
        sli_quote_seen seen[8];
        size_t n = rows_of(c, seen), group[8], canon[8], ng = 99;
        assert_int_equal(sli_quotes_group(seen, n, group, canon, &ng), SL_OK);
        int distinct = 0;
        for (size_t i = 0; i < n; i++) {
            int first = 1;
            for (size_t j = 0; j < i; j++)
                first &= c->rows[j].utterance != c->rows[i].utterance;
            distinct += first;
            for (size_t j = 0; j < i; j++) {
                int same = c->rows[i].utterance == c->rows[j].utterance;
                if (same != (group[i] == group[j]))
                    fail_msg("%s: rows %zu and %zu %s", c->name, j, i,
                             same ? "not merged" : "merged");
            }
        }
        if (ng != (size_t)distinct)
            fail_msg("%s: %zu groups, %d expected", c->name, ng, distinct);
    }
}

/* Groups are numbered by their earliest quote (date, then order); the canonical wording
 * is the most printed, ties to the earliest. */
static void test_order_and_canonical(void **state)
{
    (void)state;
    const char *full = "Nobody is above the law and nobody will be spared, whoever they are.";
    const char *cut = "Nobody is above the law and nobody will be spared";
    const char *other = "The inquiry will report to parliament before the end of the year.";
    sli_quote_seen seen[] = {
        {other, "Ali", SLI_QUOTE_SPEECH, "a1", "2024-05-03", 1},
        {cut, "Ali", SLI_QUOTE_SPEECH, "a2", "2024-05-02", 9},
        {full, "Ali", SLI_QUOTE_SPEECH, "a3", "2024-05-02", 4},
        {cut, "Ali", SLI_QUOTE_SPEECH, "a4", "2024-05-04", 2},
        {full, "Ali", SLI_QUOTE_SPEECH, "a5", "2024-05-05", 3},
        {cut, "Ali", SLI_QUOTE_SPEECH, "a6", NULL, 0}, /* undated: after the dated */
        {other, "Ali", SLI_QUOTE_SPEECH, "a7", "2024-05-01", 7},
    };
    size_t n = sizeof seen / sizeof seen[0], group[7], canon[7], ng;
    assert_int_equal(sli_quotes_group(seen, n, group, canon, &ng), SL_OK);
    assert_int_equal(ng, 2);
    /* "other" printed first (2024-05-01): group 0; its two prints tie, the earliest wins */
    assert_int_equal(group[0], 0);
    assert_int_equal(group[6], 0);
    assert_int_equal(canon[0], 6);
    /* "cut" printed three times, "full" twice: the canonical is the earliest "cut" */
    for (size_t i = 1; i <= 5; i++)
        assert_int_equal(group[i], 1);
    assert_int_equal(canon[1], 1);

    /* equal prints: the earliest wording (date, then order) */
    sli_quote_seen tie[] = {
        {cut, NULL, SLI_QUOTE_SPEECH, "b1", "2024-05-02", 5},
        {full, NULL, SLI_QUOTE_SPEECH, "b2", "2024-05-02", 4},
    };
    assert_int_equal(sli_quotes_group(tie, 2, group, canon, &ng), SL_OK);
    assert_int_equal(ng, 1);
    assert_int_equal(canon[0], 1);

    /* none */
    ng = 5;
    assert_int_equal(sli_quotes_group(NULL, 0, group, canon, &ng), SL_OK);
    assert_int_equal(ng, 0);
}

/* A quote printed word for word as an earlier one, by the same speaker, takes that one's
 * unit without being tokenized again: the same groups and canonical wordings as when every
 * print of a text differs from the others only where tokens do not (the k-th print of a
 * text ends in k spaces: no two alike, so none is taken so), on short quotes (where the
 * speaker counts) and long ones, speakers named, missing or empty; and the prints counted
 * (the canonical wording of a text is the most printed unit's). */
static void test_verbatim_prints(void **state)
{
    (void)state;
    static const char *const text[3] = {
        "We will not back down.",
        "The inquiry will report to parliament before the end of the year, the minister said.",
        "Nobody is above the law.",
    };
    static const char *const who[4] = {"Gwen Tarrow", "Ilse Marten", NULL, ""};
    enum { N = 36 };
    static char spaced[N][128];
    sli_quote_seen verbatim[N], apart[N];
    int printed[3] = {0};
    for (int i = 0; i < N; i++) {
        int t = (i * 7) % 3, w = (i * 5) % 4;
        static char date[N][16];
        snprintf(date[i], sizeof date[i], "2024-05-%02d", 1 + (i * 11) % 20);
        verbatim[i] = (sli_quote_seen){text[t], who[w], SLI_QUOTE_SPEECH, "a", date[i], i};
        snprintf(spaced[i], sizeof spaced[i], "%s%*s", text[t], printed[t], "");
        printed[t]++;
        apart[i] = verbatim[i];
        apart[i].text = spaced[i];
    }
    size_t g1[N], c1[N], n1, g2[N], c2[N], n2;
    assert_int_equal(sli_quotes_group(verbatim, N, g1, c1, &n1), SL_OK);
    assert_int_equal(sli_quotes_group(apart, N, g2, c2, &n2), SL_OK);
    assert_int_equal(n1, n2);
    assert_true(n1 >= 3); /* the three texts at least, the short ones by speaker */
    for (int i = 0; i < N; i++)
        assert_int_equal(g1[i], g2[i]);
    for (size_t g = 0; g < n1; g++)
        assert_int_equal(c1[g], c2[g]);
}

/* ---- random quotes ---- */

static uint64_t rng_state;
static uint32_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33);
}

#define VOCAB 3000
static char vocab[VOCAB][12];

static void make_vocab(void)
{
    static const char *syl[] = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "da", "pe",
                                "gu", "ba", "zor", "fen", "tal", "mun", "rik", "sel"};
    for (int i = 0; i < VOCAB; i++) {
        int parts = 1 + (int)(rnd() % 3);
        vocab[i][0] = '\0';
        for (int k = 0; k < parts; k++)
            strcat(vocab[i], syl[rnd() % (sizeof syl / sizeof syl[0])]);
        if (parts == 1)
            strcat(vocab[i], "n");
    }
}

typedef struct words {
    int w[64];
    int n;
} words;

static void random_words(words *q, int lo, int hi)
{
    q->n = lo + (int)(rnd() % (unsigned)(hi - lo + 1));
    for (int i = 0; i < q->n; i++)
        q->w[i] = (int)(rnd() % VOCAB);
}

/* The quote as text; typo_at >= 0 misspells that word (one letter replaced, deleted or two
 * swapped). */
static void render(const words *q, int from, int to, int typo_at, int upper, char *out)
{
    out[0] = '\0';
    for (int i = from; i < to; i++) {
        char w[16];
        strcpy(w, vocab[q->w[i]]);
        if (i == typo_at) {
            size_t len = strlen(w), at = 1 + rnd() % (len - 2);
            switch (rnd() % 3) {
            case 0: w[at] = w[at] == 'x' ? 'q' : 'x'; break;
            case 1: memmove(w + at, w + at + 1, len - at); break;
            default: { char t = w[at]; w[at] = w[at + 1]; w[at + 1] = t; }
            }
        }
        if (upper)
            for (char *c = w; *c; c++)
                *c = (char)(*c - 32);
        strcat(out, w);
        strcat(out, i + 1 < to ? ((rnd() % 7) ? " " : ", ") : ".");
    }
}

/* A variant of q: one or two edits (a typo, a word substituted, trimmed to 60% or more, a
 * sentence added, upper case). */
static void variant(const words *q, char *out)
{
    words v = *q;
    int from = 0, to = v.n, typo = -1, upper = 0;
    int edits = 1 + (int)(rnd() % 2), substituted = 0, cut = 0;
    for (int e = 0; e < edits; e++) {
        int kind = (int)(rnd() % 5);
        if ((kind == 2 || kind == 3) && cut++) /* not both trimmed and extended */
            kind = 4;
        switch (kind) {
        case 0:
            typo = (int)(rnd() % (unsigned)v.n);
            break;
        case 1:
            if (!substituted && v.n >= 8) {
                v.w[1 + rnd() % (unsigned)(v.n - 2)] = (int)(rnd() % VOCAB);
                substituted = 1;
            }
            break;
        case 2: {
            int keep = (v.n * 6 + 9) / 10 + (int)(rnd() % (unsigned)(v.n - (v.n * 6 + 9) / 10 + 1));
            if (keep < 8)
                keep = 8 < v.n ? 8 : v.n;
            from = (int)(rnd() % (unsigned)(v.n - keep + 1));
            to = from + keep;
            break;
        }
        case 3: {
            int extra = 5 + (int)(rnd() % 6);
            for (int i = 0; i < extra && v.n < 64; i++)
                v.w[v.n++] = (int)(rnd() % VOCAB);
            to = v.n;
            break;
        }
        default:
            upper = 1;
        }
    }
    if (typo >= 0 && (typo < from || typo >= to))
        typo = -1;
    if (typo >= 0 && strlen(vocab[v.w[typo]]) < 4)
        typo = -1;
    render(&v, from, to, typo, upper, out);
}

/* A different quote sharing a phrase of up to four words with q. */
static void different(const words *q, char *out)
{
    words d;
    random_words(&d, 10, 30);
    int len = 2 + (int)(rnd() % 3);
    if (len > q->n)
        len = q->n;
    int at = (int)(rnd() % (unsigned)(q->n - len + 1)), to = (int)(rnd() % (unsigned)(d.n - len + 1));
    for (int i = 0; i < len; i++)
        d.w[to + i] = q->w[at + i];
    render(&d, 0, d.n, -1, 0, out);
}

static void test_property(void **state)
{
    (void)state;
    rng_state = getenv("SL_TEST_SEED") ? strtoull(getenv("SL_TEST_SEED"), NULL, 10) : 42;
    make_vocab();
    enum { TRIALS = 400, VARS = 4, DIFFS = 3, N = 1 + VARS + DIFFS };
    static char text[N][1024];
    for (int t = 0; t < TRIALS; t++) {
        words q;
        random_words(&q, 8, 40);
        render(&q, 0, q.n, -1, 0, text[0]);
        for (int v = 1; v <= VARS; v++)
            variant(&q, text[v]);
        for (int d = 0; d < DIFFS; d++)
            different(&q, text[1 + VARS + d]);
        sli_quote_seen seen[N];
        for (int i = 0; i < N; i++) {
            char day[11];
            snprintf(day, sizeof day, "2024-05-%02d", 1 + (int)(rnd() % 9));
            seen[i] = (sli_quote_seen){text[i], (rnd() % 2) ? "Speaker" : NULL,
                                       SLI_QUOTE_SPEECH, "a", NULL, (long long)(rnd() % 100)};
        }
        size_t group[N], canon[N], ng;
        assert_int_equal(sli_quotes_group(seen, N, group, canon, &ng), SL_OK);
        for (int v = 1; v <= VARS; v++)
            if (group[v] != group[0])
                fail_msg("trial %d: variant not merged:\n  %s\n  %s", t, text[0], text[v]);
        for (int d = 1 + VARS; d < N; d++)
            for (int j = 0; j < N; j++)
                if (j != d && group[d] == group[j])
                    fail_msg("trial %d: different quotes merged:\n  %s\n  %s", t, text[j],
                             text[d]);
        assert_int_equal(ng, 1 + DIFFS);
    }
}

/* 20,000 quotes: 2,000 utterances in ten wordings each, and 20,000 quotes that all share
 * one phrase: the work stays a small multiple of the words. */
static void test_scale(void **state)
{
    (void)state;
    rng_state = 7;
    make_vocab();
    enum { U = 2000, PER = 10, N = U * PER };
    char *pool = malloc((size_t)N * 600);
    sli_quote_seen *seen = malloc(N * sizeof *seen);
    size_t *group = malloc(N * sizeof *group), *canon = malloc(N * sizeof *canon);
    assert_non_null(pool);
    assert_non_null(seen);
    assert_non_null(group);
    assert_non_null(canon);
    size_t words_total = 0;
    for (int u = 0; u < U; u++) {
        words q;
        random_words(&q, 8, 40);
        for (int k = 0; k < PER; k++) {
            char *t = pool + (size_t)(u * PER + k) * 600;
            if (k == 0)
                render(&q, 0, q.n, -1, 0, t);
            else
                variant(&q, t);
            seen[u * PER + k] = (sli_quote_seen){t, NULL, SLI_QUOTE_SPEECH, "a", NULL,
                                                 (long long)(u * PER + k)};
            words_total += (size_t)q.n + 10;
        }
    }
    size_t ng, work;
    assert_int_equal(sli_quotes_group_counted(seen, N, group, canon, &ng, &work), SL_OK);
    for (int i = 0; i < N; i++)
        if (group[i] != group[i / PER * PER])
            fail_msg("utterance %d: not merged:\n  %s\n  %s", i / PER, seen[i / PER * PER].text,
                     seen[i].text);
    assert_int_equal(ng, U);
    if (work > 40 * words_total)
        fail_msg("work %zu for %zu words", work, words_total);

    /* all share "of the people of the nation" */
    for (int i = 0; i < N; i++) {
        words q;
        random_words(&q, 10, 20);
        char *t = pool + (size_t)i * 600;
        render(&q, 0, q.n, -1, 0, t);
        strcat(t, " of the people of the nation");
        seen[i] = (sli_quote_seen){t, NULL, SLI_QUOTE_SPEECH, "a", NULL, i};
    }
    assert_int_equal(sli_quotes_group_counted(seen, N, group, canon, &ng, &work), SL_OK);
    for (int i = 0; i < N; i++)
        if (group[i] != group[canon[group[i]]] || canon[group[i]] != (size_t)i)
        {
            for (int j = 0; j < N; j++)
                if (group[j] == group[i])
                    print_message("  %s\n", seen[j].text);
            fail_msg("merged");
        }
    assert_int_equal(ng, N);
    if (work > 40 * (size_t)N * 26)
        fail_msg("work %zu for %zu words (a shared phrase)", work, (size_t)N * 26);
    free(pool);
    free(seen);
    free(group);
    free(canon);
}

/* Resuming (sli_quotes_group_memo): an event's quotes arrive in batches, in any order of
 * date (a new article may be dated before the old ones), now and then one leaves; each
 * batch is grouped from the memo of the one before and afresh, and the two must agree
 * in everything (groups, their numbers, canonical wordings). The quotes are made to meet
 * every path: utterances printed in variants, fragments and short quotes (with speakers,
 * some unknown) that attach to a best partner, a small vocabulary so that bigrams are
 * shared by many units, and a phrase common to many so that postings lists fill up. */
static void pick_words(words *q, int lo, int hi, int range)
{
    q->n = lo + (int)(rnd() % (unsigned)(hi - lo + 1));
    for (int i = 0; i < q->n; i++)
        q->w[i] = (int)(rnd() % (unsigned)range);
}

static void test_resume(void **state)
{
    (void)state;
    rng_state = getenv("SL_TEST_SEED") ? strtoull(getenv("SL_TEST_SEED"), NULL, 10) : 11;
    make_vocab();
    enum { POOL = 700, LEN = 600, TRIALS = 12, STEPS = 6 };
    static const char *speakers[] = {"Anna Smith", "Jones", "Mr. Lee", NULL};
    static const char *days[] = {"2024-01-02", "2024-01-03", "2024-01-05", "2024-01-09", NULL};
    char *text = malloc((size_t)POOL * LEN);
    sli_quote_seen *pool = malloc(POOL * sizeof *pool), *seen = malloc(POOL * sizeof *seen);
    size_t *g1 = malloc(POOL * sizeof *g1), *g2 = malloc(POOL * sizeof *g2);
    size_t *c1 = malloc(POOL * sizeof *c1), *c2 = malloc(POOL * sizeof *c2);
    int *in = malloc(POOL * sizeof *in);
    assert_non_null(text);
    assert_non_null(pool);
    assert_non_null(seen);
    assert_non_null(g1);
    assert_non_null(g2);
    assert_non_null(c1);
    assert_non_null(c2);
    assert_non_null(in);
    buf memo[2];
    sli_buf_init(&memo[0], BUF_UNLIMITED);
    sli_buf_init(&memo[1], BUF_UNLIMITED);
    int full = 0, partial = 0, afresh = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
        /* the pool: utterances in printings of every kind */
        for (int i = 0; i < POOL;) {
            words q;
            int range = rnd() % 3 ? 30 : VOCAB;
            pick_words(&q, 8, 24, range);
            int printings = 1 + (int)(rnd() % 6);
            for (int k = 0; k < printings && i < POOL; k++, i++) {
                char *t = text + (size_t)i * LEN;
                int kind = k ? (int)(rnd() % 5) : 0;
                if (kind == 0)
                    render(&q, 0, q.n, -1, 0, t);
                else if (kind == 1 || kind == 2)
                    variant(&q, t);
                else if (kind == 3) { /* a fragment: 3 to 7 of its words */
                    int len = 3 + (int)(rnd() % 5), at = (int)(rnd() % (unsigned)(q.n - len + 1));
                    render(&q, at, at + len, -1, 0, t);
                } else { /* a short quote of its own */
                    words sq;
                    pick_words(&sq, 1, 4, 12);
                    render(&sq, 0, sq.n, -1, 0, t);
                }
                if (rnd() % 2 == 0) /* lists of more than POSTINGS_CAP units */
                    strcat(t, rnd() % 2 ? " of the people of the nation" : " of the people");
                pool[i] = (sli_quote_seen){t, speakers[rnd() % 4], SLI_QUOTE_SPEECH, "a",
                                           days[rnd() % 5], (long long)(i / 2)};
            }
        }
        /* the batches: quotes come in a random order, a few leave */
        memset(in, 0, POOL * sizeof *in);
        sli_buf_clear(&memo[0]);
        int cur = 0;
        for (int step = 0; step < STEPS; step++) {
            for (int i = 0; i < POOL; i++) {
                if (!in[i] && rnd() % (unsigned)(STEPS - step) == 0)
                    in[i] = 1;
                else if (in[i] && step % 3 == 2 && rnd() % 50 == 0)
                    in[i] = 0;
            }
            size_t n = 0;
            for (int i = 0; i < POOL; i++)
                if (in[i])
                    seen[n++] = pool[i];
            size_t ng1, ng2;
            int resumed;
            assert_int_equal(sli_quotes_group_memo(seen, n, g1, c1, &ng1, NULL,
                                                   memo[cur].data, memo[cur].len,
                                                   &memo[!cur], &resumed),
                             SL_OK);
            assert_int_equal(sli_quotes_group(seen, n, g2, c2, &ng2), SL_OK);
            assert_int_equal(ng1, ng2);
            for (size_t i = 0; i < n; i++)
                if (g1[i] != g2[i])
                    fail_msg("trial %d step %d: quote %zu in group %zu resumed, %zu afresh",
                             trial, step, i, g1[i], g2[i]);
            for (size_t g = 0; g < ng1; g++)
                assert_int_equal(c1[g], c2[g]);
            full += resumed == 2;
            partial += resumed == 1;
            afresh += step > 0 && resumed == 0;
            assert_true(memo[!cur].len > 0);
            cur = !cur;
        }
    }
    /* every path was taken */
    print_message("resumed: %d whole, %d in part, %d afresh\n", full, partial, afresh);
    assert_true(partial > TRIALS);
    assert_true(afresh > 0);
    /* a memo that does not fit is ignored: damaged, or of other quotes */
    size_t n = 0, ng1, ng2;
    for (int i = 0; i < POOL; i++)
        seen[n++] = pool[i];
    assert_int_equal(sli_quotes_group(seen, n, g2, c2, &ng2), SL_OK);
    unsigned char junk[64];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)rnd();
    memcpy(junk, memo[0].data, 4); /* its magic, then nonsense */
    int resumed;
    assert_int_equal(sli_quotes_group_memo(seen, n, g1, c1, &ng1, NULL, junk, sizeof junk,
                                           NULL, &resumed),
                     SL_OK);
    assert_int_equal(resumed, 0);
    assert_int_equal(ng1, ng2);
    assert_memory_equal(g1, g2, n * sizeof *g1);
    assert_int_equal(sli_quotes_group_memo(seen, n, g1, c1, &ng1, NULL, memo[0].data,
                                           memo[0].len / 2, NULL, &resumed),
                     SL_OK);
    assert_int_equal(resumed, 0);
    assert_memory_equal(g1, g2, n * sizeof *g1);
    /* with its own memo, all of it is taken again */
    assert_int_equal(sli_quotes_group_memo(seen, n, g1, c1, &ng1, NULL, NULL, 0, &memo[0],
                                           NULL),
                     SL_OK);
    assert_int_equal(sli_quotes_group_memo(seen, n, g1, c1, &ng1, NULL, memo[0].data,
                                           memo[0].len, NULL, &resumed),
                     SL_OK);
    assert_int_equal(resumed, 2);
    assert_memory_equal(g1, g2, n * sizeof *g1);
    assert_memory_equal(c1, c2, ng2 * sizeof *c1);
    sli_buf_free(&memo[0]);
    sli_buf_free(&memo[1]);
    free(text);
    free(pool);
    free(seen);
    free(g1);
    free(g2);
    free(c1);
    free(c2);
    free(in);
}

/* Hostile: a 200,000-word quote, a 500-digit number, bytes that are not UTF-8. */
static void test_hostile(void **state)
{
    (void)state;
    size_t len = 200000 * 6;
    char *big = malloc(len + 1);
    assert_non_null(big);
    for (size_t i = 0; i < len; i += 6)
        memcpy(big + i, (i / 6) % 3 ? "word, " : "WORD. ", 6);
    big[len] = '\0';
    char digits[520];
    memset(digits, '9', 500);
    strcpy(digits + 500, " people");
    char *half = big + len / 2;
    const char *bad = "caf\xc3 \xff\xfe quote \xe2\x80 said";
    sli_quote_seen seen[] = {
        {big, NULL, SLI_QUOTE_SPEECH, "a", NULL, 0},
        {half, NULL, SLI_QUOTE_SPEECH, "a", NULL, 1},
        {digits, NULL, SLI_QUOTE_SPEECH, "a", NULL, 2},
        {digits, NULL, SLI_QUOTE_SPEECH, "a", NULL, 3},
        {bad, NULL, SLI_QUOTE_SPEECH, "a", NULL, 4},
    };
    size_t group[5], canon[5], ng, work;
    assert_int_equal(sli_quotes_group_counted(seen, 5, group, canon, &ng, &work), SL_OK);
    assert_int_equal(group[0], group[1]);
    assert_int_equal(group[2], group[3]);
    assert_true(work < 10 * 200000);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_order_and_canonical),
        cmocka_unit_test(test_verbatim_prints),
        cmocka_unit_test(test_property),
        cmocka_unit_test(test_scale),
        cmocka_unit_test(test_resume),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
