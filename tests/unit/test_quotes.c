/* test_quotes.c — direct quotations and their speakers (src/facts/quotes.c, speaker.c):
 * the forms of attribution, name and pronoun resolution, quote marks, scare quotes, and
 * hostile input (unbalanced marks, 10,000 marks in a row, a 1 MB paragraph, odd bytes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "facts/facts.h"

typedef struct qcase {
    const char *text;
    const char *quote;   /* the start of the quote looked at */
    const char *speaker; /* expected speaker; NULL: none */
    sli_quote_kind kind;
} qcase;

#define SPEECH SLI_QUOTE_SPEECH
#define PHRASE SLI_QUOTE_PHRASE

static const qcase cases[] = {
    /* attribution after the quote */
    {"\xE2\x80\x9CWe will win this race,\xE2\x80\x9D Maria Lopez said.", "We will win", "Maria Lopez", SPEECH},
    {"\xE2\x80\x9CIt is over,\xE2\x80\x9D Tom Reed added on Monday.", "It is over", "Tom Reed", SPEECH},
    {"\"Yes, we are ready,\" said Dr. Ann Lee.", "Yes, we are ready", "Ann Lee", SPEECH},
    /* said X, the party's spokeswoman */
    {"\xE2\x80\x9CWe have nothing to add,\xE2\x80\x9D said Jane Roe, the party\xE2\x80\x99s spokeswoman.",
     "We have nothing", "Jane Roe", SPEECH},
    /* X, an apposition, said */
    {"\xE2\x80\x9CThe numbers do not add up,\xE2\x80\x9D Alex Conant, a senior aide to the governor, said.",
     "The numbers", "Alex Conant", SPEECH},
    /* Ryan's spokeswoman, AshLee Strong */
    {"\xE2\x80\x9CWe have no plans to change course,\xE2\x80\x9D Ryan\xE2\x80\x99s spokeswoman, AshLee Strong, said.",
     "We have no plans", "AshLee Strong", SPEECH},
    /* according to X */
    {"\xE2\x80\x9CThe plan is dead,\xE2\x80\x9D according to Senator Mark Hill.", "The plan is dead",
     "Mark Hill", SPEECH},
    {"According to Paul Grant, \xE2\x80\x9Cthe vote was never close at all.\xE2\x80\x9D", "the vote was",
     "Paul Grant", SPEECH},
    /* attribution before the quote */
    {"Anna Bell told reporters, \xE2\x80\x9CWe are ready for the vote.\xE2\x80\x9D", "We are ready",
     "Anna Bell", SPEECH},
    {"Tom Reed was quoted as saying \xE2\x80\x9Cthe deal is done and it is final.\xE2\x80\x9D", "the deal is done",
     "Tom Reed", SPEECH},
    {"Cruz continued:\n\n\xE2\x80\x9CThe questions asked in this debate were unfair to all of us.\xE2\x80\x9D",
     "The questions", "Cruz", SPEECH},
    {"Former Secretary of State Madeleine Albright urged women to vote for Hillary Clinton, saying, "
     "\xE2\x80\x9CThere is a special place for them.\xE2\x80\x9D", "There is a special", "Madeleine Albright", SPEECH},
    /* the fullest name in the article */
    {"James Clyburn spoke on Monday.\n\n\xE2\x80\x9CIt matters to us,\xE2\x80\x9D Mr. Clyburn said.",
     "It matters", "James Clyburn", SPEECH},
    /* a quote broken by "he said": one quote */
    {"Bob Smith, a farmer, arrived late.\n\n\xE2\x80\x9CWe will win,\xE2\x80\x9D he said. \xE2\x80\x9C" "And we will win big.\xE2\x80\x9D",
     "We will win, And we will win big.", "Bob Smith", SPEECH},
    /* he/she: the last person who fits */
    {"Mrs. Mary Jones met Mr. Bob Smith on Monday. \xE2\x80\x9CIt went well,\xE2\x80\x9D she said.",
     "It went well", "Mary Jones", SPEECH},
    {"Mrs. Mary Jones met Mr. Bob Smith on Monday. \xE2\x80\x9CIt went well,\xE2\x80\x9D he said.",
     "It went well", "Bob Smith", SPEECH},
    /* a speaker named only after the quote: the quote opens the paragraph before */
    {"\xE2\x80\x9CWe will fight this to the very end of the line.\xE2\x80\x9D\n\n"
     "\xE2\x80\x9CNobody can stop us now,\xE2\x80\x9D Lee Park said.", "We will fight", "Lee Park", SPEECH},
    /* a quote running over paragraphs, the attribution in the first */
    {"\xE2\x80\x9CThis is the first part of a long statement,\xE2\x80\x9D Maria Diaz said. \xE2\x80\x9CIt goes on.\n\n"
     "\xE2\x80\x9C" "And it ends here with a few more words about it.\xE2\x80\x9D", "And it ends", "Maria Diaz", SPEECH},
    /* single curly quotes as marks; apostrophes are not */
    {"\xE2\x80\x98We are not done yet,\xE2\x80\x99 Sam Ortiz said.", "We are not done", "Sam Ortiz", SPEECH},
    /* a description when there is no name */
    {"\xE2\x80\x9CWe will see what happens next,\xE2\x80\x9D a campaign spokeswoman said.", "We will see",
     "a campaign spokeswoman", SPEECH},
    /* a bare pronoun is never a speaker */
    {"\xE2\x80\x9CGo home and stay there,\xE2\x80\x9D they said.", "Go home", NULL, SPEECH},
    /* scare quotes and titles: phrases */
    {"The so-called \xE2\x80\x9Chostile military forces\xE2\x80\x9D were seen near the border.",
     "hostile military", NULL, PHRASE},
    {"She watched \xE2\x80\x9CGame of Thrones\xE2\x80\x9D on Sunday.", "Game of Thrones", NULL, PHRASE},
    /* a title after a possessive or a preposition, an attribution far before it */
    {"Mark Cuban said so in an interview on NBC\xE2\x80\x99s \xE2\x80\x9CMeet the Press.\xE2\x80\x9D",
     "Meet the Press", NULL, PHRASE},
    /* a short quote with a real attribution is speech */
    {"\xE2\x80\x9CNo,\xE2\x80\x9D Kate Moss replied.", "No", "Kate Moss", SPEECH},
    /* an unclosed quote ends with its paragraph */
    {"He called it \xE2\x80\x9C" "a disaster and it never closes\n\n\xE2\x80\x9CThis one is real,\xE2\x80\x9D Ann Wu said.",
     "This one is real", "Ann Wu", SPEECH},
    /* a dash and a name after the quote */
    {"\xE2\x80\x9CWe need law and order in this country now.\xE2\x80\x9D \xE2\x80\x95 Carla Sanchez",
     "We need law", "Carla Sanchez", SPEECH},
    /* a participle after another quote in its clause: the clause's subject */
    {"Trump told Newsmax that Romney \xE2\x80\x9Chad a crazy policy,\xE2\x80\x9D adding, "
     "\xE2\x80\x9CHe lost all of the vote.\xE2\x80\x9D", "He lost", "Trump", SPEECH},
    /* "From the report:" */
    {"More from the report: \xE2\x80\x9CSamples with more elaborate weighting did better.\xE2\x80\x9D",
     "Samples with", "the report", SPEECH},
    /* “ typed for ” */
    {"\xE2\x80\x9CIt is unusual,\xE2\x80\x9C said Larry Noble, an attorney.", "It is unusual",
     "Larry Noble", SPEECH},
    /* an aside between the subject and the verb */
    {"\xE2\x80\x9CLast time I looked, you had not voted,\xE2\x80\x9D Carly Fiorina, speaking to Iowans, said.",
     "Last time", "Carly Fiorina", SPEECH},
    /* one word resolves to the fuller form printed most often */
    {"Bill Clinton spoke. Hillary Clinton spoke. Hillary Clinton left.\n\n\xE2\x80\x9CWe won,\xE2\x80\x9D Clinton said.",
     "We won", "Hillary Clinton", SPEECH},
    /* a pronoun inside yields to the name that introduced the quote */
    {"Mrs. Ann Wu spoke first.\n\nBrian Fallon fired back: \xE2\x80\x9C" "As a guardian of the legacy,\xE2\x80\x9D he wrote, "
     "\xE2\x80\x9Cwe know you are rooting for her too.\xE2\x80\x9D", "As a guardian", "Brian Fallon", SPEECH},
    /* "Asked about ..." opens the sentence; the colon's clause has the speaker */
    {"Asked about the suit, Marco Rubio fired back: \xE2\x80\x9CIf they sue us in Miami, they will lose.\xE2\x80\x9D",
     "If they sue", "Marco Rubio", SPEECH},
    /* markup attributes are no quotes */
    {"<tweet id=\"672138506081275904\">\xE2\x80\x9CWe lost the vote today,\xE2\x80\x9D Dan Cho said.</tweet>",
     "We lost", "Dan Cho", SPEECH},
};

static const sli_quote *find_quote(const sli_facts *f, const char *prefix)
{
    for (size_t i = 0; i < f->n_quotes; i++)
        if (!strncmp(f->quotes[i].text, prefix, strlen(prefix)))
            return &f->quotes[i];
    return NULL;
}

static int is_pronoun(const char *s)
{
    static const char *const p[] = {"he", "she", "they", "He", "She", "They", "it", "we", "I"};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
        if (!strcmp(s, p[i]))
            return 1;
    return 0;
}

/* Every quote sane: text inside the input's size, no bare pronoun for a speaker, phrases
 * without one. */
static void check_sane(const sli_facts *f, size_t len)
{
    for (size_t i = 0; i < f->n_quotes; i++) {
        const sli_quote *q = &f->quotes[i];
        assert_non_null(q->text);
        assert_true(strlen(q->text) <= len);
        assert_true(q->offset <= len);
        if (q->speaker) {
            assert_false(is_pronoun(q->speaker));
            assert_int_equal(q->kind, SLI_QUOTE_SPEECH);
        }
    }
}

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const qcase *c = &cases[i];
        sli_facts f = {0};
        assert_int_equal(sli_quotes_find(NULL, c->text, strlen(c->text), &f), SL_OK);
        check_sane(&f, strlen(c->text));
        const sli_quote *q = find_quote(&f, c->quote);
        if (!q)
            fail_msg("case %zu: no quote starting \"%s\" (%zu quotes)", i, c->quote, f.n_quotes);
        if (q->kind != c->kind)
            fail_msg("case %zu: kind %d, expected %d", i, (int)q->kind, (int)c->kind);
        if (!c->speaker != !q->speaker || (c->speaker && strcmp(c->speaker, q->speaker)))
            fail_msg("case %zu: speaker \"%s\", expected \"%s\"", i,
                     q->speaker ? q->speaker : "(none)", c->speaker ? c->speaker : "(none)");
        sli_facts_clear(&f);
    }
}

/* Apostrophes are not quote marks: ’s, don’t, ’90s, rock ’n’ roll. */
static void test_apostrophes(void **state)
{
    (void)state;
    const char *t = "Smith\xE2\x80\x99s team won\xE2\x80\x99t say what the \xE2\x80\x98" "90s meant, "
                    "or why rock \xE2\x80\x98n\xE2\x80\x99 roll and the voters\xE2\x80\x99 choice matter.";
    sli_facts f = {0};
    assert_int_equal(sli_quotes_find(NULL, t, strlen(t), &f), SL_OK);
    assert_int_equal(f.n_quotes, 0);
    sli_facts_clear(&f);
}

/* The offset is where the first part's words start. */
static void test_offset(void **state)
{
    (void)state;
    const char *t = "Intro. \"Hello there, everyone,\" said Ann Lee.";
    sli_facts f = {0};
    assert_int_equal(sli_quotes_find(NULL, t, strlen(t), &f), SL_OK);
    assert_int_equal(f.n_quotes, 1);
    assert_int_equal(f.quotes[0].offset, 8);
    assert_string_equal(f.quotes[0].text, "Hello there, everyone");
    sli_facts_clear(&f);
}

static void run_sane(const char *t, size_t len, size_t max_quotes)
{
    sli_facts f = {0};
    assert_int_equal(sli_quotes_find(NULL, t, len, &f), SL_OK);
    check_sane(&f, len);
    assert_true(f.n_quotes <= max_quotes);
    sli_facts_clear(&f);
}

/* 10,000 quote marks in a row, of each kind and mixed. */
static void test_many_marks(void **state)
{
    (void)state;
    static const char *const marks[] = {"\"", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98",
                                        "\xE2\x80\x99", "\"a\xE2\x80\x9C"};
    for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
        size_t ml = strlen(marks[m]), n = 10000;
        char *t = malloc(n * ml + 64);
        assert_non_null(t);
        size_t len = 0;
        len += (size_t)sprintf(t, "Ann Lee said: ");
        for (size_t i = 0; i < n; i++, len += ml)
            memcpy(t + len, marks[m], ml);
        run_sane(t, len, n);
        free(t);
    }
}

/* A 1 MB paragraph that opens a quote and never closes it; another with a quote every few
 * words; a long one of names and speech verbs. */
static void test_long_paragraph(void **state)
{
    (void)state;
    size_t n = 1 << 20;
    char *t = malloc(n + 1);
    assert_non_null(t);
    memcpy(t, "\xE2\x80\x9C", 3);
    for (size_t i = 3; i < n; i++)
        t[i] = "word "[i % 5];
    sli_facts f = {0};
    assert_int_equal(sli_quotes_find(NULL, t, n, &f), SL_OK);
    check_sane(&f, n);
    assert_int_equal(f.n_quotes, 1);
    assert_true(strlen(f.quotes[0].text) <= 8000); /* bounded, not the whole paragraph */
    sli_facts_clear(&f);

    static const char unit[] = "\"Yes, sir,\" Ann Lee said, and Bob Ray told her \xE2\x80\x9Cno\xE2\x80\x9D. ";
    size_t ul = sizeof unit - 1, len = 0;
    while (len + ul <= n) {
        memcpy(t + len, unit, ul);
        len += ul;
    }
    run_sane(t, len, len);

    static const char names[] = "Mr. Ann Lee Bob Ray said he she told Mrs. X, the ";
    size_t nl = sizeof names - 1;
    for (size_t i = 0; i < n; i++)
        t[i] = names[i % nl];
    run_sane(t, n, n);
    free(t);
}

/* Odd bytes: invalid UTF-8, NULs, truncated sequences, control characters. */
static void test_odd_bytes(void **state)
{
    (void)state;
    size_t n = 200000;
    unsigned char *t = malloc(n);
    assert_non_null(t);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        unsigned r = (x >> 16) & 0xFF;
        /* plenty of quote-mark bytes and letters among the noise */
        static const unsigned char pick[] = {'"', 0xE2, 0x80, 0x9C, 0x9D, 0x98, 0x99, 'A',
                                             'a', ' ', '\n', '.', ',', 0xC3, 0x00, 0xFF};
        t[i] = (r & 1) ? pick[(r >> 1) % sizeof pick] : (unsigned char)r;
    }
    run_sane((const char *)t, n, n);
    /* truncated marks at the very end */
    static const char *const ends[] = {"Ann said \xE2\x80", "Ann said \xE2", "\xE2\x80\x9C", "\"",
                                       "\xE2\x80\x98", "x\xE2\x80\x99"};
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
        run_sane(ends[i], strlen(ends[i]), 2);
    run_sane("", 0, 0);
    free(t);
}

/* Growing inputs: the same text repeated k times gives k times the quotes (a check that
 * nothing is dropped or rescanned; the timing is left to the benchmark). */
static void test_growing(void **state)
{
    (void)state;
    static const char unit[] = "Ann Lee, a teacher, arrived.\n\n\xE2\x80\x9CWe will win,\xE2\x80\x9D she said. "
                               "The \xE2\x80\x9C" "big\xE2\x80\x9D day came.\n\n";
    size_t ul = sizeof unit - 1;
    for (size_t k = 1; k <= 4096; k *= 4) {
        char *t = malloc(ul * k);
        assert_non_null(t);
        for (size_t i = 0; i < k; i++)
            memcpy(t + i * ul, unit, ul);
        sli_facts f = {0};
        assert_int_equal(sli_quotes_find(NULL, t, ul * k, &f), SL_OK);
        assert_int_equal(f.n_quotes, 2 * k);
        size_t speech = 0;
        for (size_t i = 0; i < f.n_quotes; i++)
            if (f.quotes[i].kind == SLI_QUOTE_SPEECH) {
                speech++;
                assert_non_null(f.quotes[i].speaker);
                assert_string_equal(f.quotes[i].speaker, "Ann Lee");
            }
        assert_int_equal(speech, k);
        sli_facts_clear(&f);
        free(t);
    }
}

static void test_invalid_args(void **state)
{
    (void)state;
    sli_facts f = {0};
    assert_int_equal(sli_quotes_find(NULL, NULL, 5, &f), SL_ERR_INVALID);
    assert_int_equal(sli_quotes_find(NULL, "x", 1, NULL), SL_ERR_INVALID);
    assert_int_equal(sli_quotes_find(NULL, NULL, 0, &f), SL_OK);
    assert_int_equal(f.n_quotes, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_apostrophes),
        cmocka_unit_test(test_offset),
        cmocka_unit_test(test_many_marks),
        cmocka_unit_test(test_long_paragraph),
        cmocka_unit_test(test_odd_bytes),
        cmocka_unit_test(test_growing),
        cmocka_unit_test(test_invalid_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
