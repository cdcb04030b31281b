/* test_family_group.c — families decided for a group of articles in memory
 * (sl_family_group): the families a store's batch makes of the same articles, written
 * the same way (a copy joins, a chain of weak links is stopped at the family's first
 * article, a copy of two families merges them), and the refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "scratch.h"
#include "storyline.h"

static int collect(void *user, const char *data, size_t len)
{
    return sli_buf_append(user, data, len) != SL_OK;
}

/* Paragraphs of words of their own, so that texts share exactly the paragraphs they
 * share. */
static const char *const PARA[] = {
    "Alpha harbour engineers closed the northern pier on Monday after the storm damaged it.",
    "Bravo council members voted to spend four million on repairs over the coming year.",
    "Charlie ferry captains said the timetable would change from the first of next month.",
    "Delta market traders asked the mayor for a new car park beside the covered hall.",
    "Echo school teachers marched through the old town to ask for smaller classes soon.",
    "Foxtrot hospital nurses opened a new ward for children with help from local donors.",
    "Golf river wardens counted more salmon this autumn than in any year since records.",
    "Hotel library staff lent twice as many books in the summer as they had the year before.",
    "India rail planners promised faster trains to the coast once the tunnel work is done.",
    "Juliet museum curators showed a collection of old maps of the valley and its farms.",
};

typedef struct art {
    const char *id, *date;
    int from, to;       /* PARA[from..to) */
    int from2, to2;     /* and PARA[from2..to2) */
} art;

/* A and B share four of five paragraphs (a match); C shares three with B (a match) and
 * two with A (C < 0.5: the family's first article stops the chain). E is D's text with
 * one paragraph less; F holds A's and D's texts whole, a copy of both families (a bridge),
 * whose first articles (A and D) do not match each other, so they stay apart; H, undated,
 * is B's text with C's last paragraphs (matched last). */
static const art ARTS[] = {
    {"A", "2024-05-01", 0, 5, 0, 0}, {"B", "2024-05-02", 1, 6, 0, 0},
    {"C", "2024-05-03", 3, 8, 0, 0}, {"D", "2024-05-01", 6, 10, 0, 0},
    {"E", "2024-05-02", 6, 9, 0, 0}, {"F", "2024-05-04", 0, 5, 6, 10},
    {"H", NULL, 1, 8, 0, 0},
};

static void text_of(const art *a, buf *b)
{
    sli_buf_clear(b);
    for (int p = a->from; p < a->to; p++) {
        sli_buf_puts(b, PARA[p]);
        sli_buf_putc(b, '\n');
    }
    for (int p = a->from2; p < a->to2; p++) {
        sli_buf_puts(b, PARA[p]);
        sli_buf_putc(b, '\n');
    }
}

static long long shingles_of(sl_text_tools *t, const char *text)
{
    buf out;
    sli_buf_init(&out, BUF_UNLIMITED);
    assert_int_equal(sl_write_text_sketch(t, text, strlen(text), collect, &out), SL_OK);
    const char *s = strstr(out.data, "\"shingles\":");
    assert_non_null(s);
    long long n = atoll(s + strlen("\"shingles\":"));
    sli_buf_free(&out);
    return n;
}

/* The families JSON without each family's "id" line (a store's F<rid>, a group's G<n>). */
static void strip_ids(buf *b)
{
    char *out = b->data, *in = b->data;
    while (*in) {
        char *eol = strchr(in, '\n');
        size_t n = eol ? (size_t)(eol - in) + 1 : strlen(in);
        if (!strstr(in, "\"id\":") || (eol && strstr(in, "\"id\":") > eol)) {
            memmove(out, in, n);
            out += n;
        }
        in += n;
    }
    *out = '\0';
    b->len = (size_t)(out - b->data);
}

static void test_as_the_store(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("family-group", dir, db, &st), 0);
    sl_batch *bt;
    assert_int_equal(sl_batch_begin(st, NULL, &bt), SL_OK);
    sl_family_group *g;
    assert_int_equal(sl_family_group_create(&g), SL_OK);
    sl_text_tools *t;
    assert_int_equal(sl_text_tools_create(&t), SL_OK);
    buf text;
    sli_buf_init(&text, BUF_UNLIMITED);
    size_t n = sizeof ARTS / sizeof *ARTS;
    for (size_t i = 0; i < n; i++) {
        text_of(&ARTS[i], &text);
        char source[32]; /* a site each: no paragraph is a site's template */
        snprintf(source, sizeof source, "%s.example", ARTS[i].id);
        sl_article_input in = {ARTS[i].id, source, NULL, ARTS[i].date, NULL, text.data,
                               text.len};
        assert_int_equal(sl_batch_add_article(bt, &in), SL_OK);
    }
    assert_int_equal(sl_batch_commit(bt, NULL), SL_OK);
    sl_batch_free(bt);
    for (size_t i = 0; i < n; i++) { /* the store's cleaned text, as a worker has it */
        sl_article *a;
        assert_int_equal(sl_store_get_article(st, ARTS[i].id, SL_WITH_TEXT, &a), SL_OK);
        assert_int_equal(sl_family_group_add(g, 100 + i, a->id, a->date,
                                             shingles_of(t, a->text), a->text,
                                             strlen(a->text)),
                         SL_OK);
        sl_article_free(a);
    }
    for (size_t i = 0; i < n; i++) /* every pair a candidate */
        for (size_t j = i + 1; j < n; j++)
            assert_int_equal(sl_family_group_pair(g, 100 + i, 100 + j), SL_OK);
    assert_int_equal(sl_family_group_pair(g, 100, 101), SL_OK); /* again: no change */
    buf got, want;
    sli_buf_init(&got, BUF_UNLIMITED);
    sli_buf_init(&want, BUF_UNLIMITED);
    assert_int_equal(sl_family_group_write(g, collect, &got), SL_OK);
    assert_int_equal(sl_write_families(st, collect, &want), SL_OK);
    assert_non_null(strstr(got.data, "\"id\": \"G100\""));
    strip_ids(&got);
    strip_ids(&want);
    assert_string_equal(got.data, want.data);
    /* what the store found, and the group too: A with B and F (F, a copy of A and of D,
     * joins A's; D's first article does not match A's: apart); C stopped by A, and then
     * H, as good a match for B as for C, with C (the first of equals); D with E */
    const char *a = strstr(want.data, "\"origin\": \"A\"");
    const char *c = strstr(want.data, "\"origin\": \"C\"");
    const char *d = strstr(want.data, "\"origin\": \"D\"");
    assert_true(a && c && d && a < c && c < d);
    assert_true(strstr(a, "\"article\": \"B\"") < c && strstr(a, "\"article\": \"F\"") < c);
    assert_true(strstr(c, "\"article\": \"H\"") < d && strstr(d, "\"article\": \"E\""));
    /* written again: the same */
    sli_buf_clear(&want);
    assert_int_equal(sl_family_group_write(g, collect, &want), SL_OK);
    strip_ids(&want);
    assert_string_equal(got.data, want.data);
    sli_buf_free(&got);
    sli_buf_free(&want);
    sli_buf_free(&text);
    sl_text_tools_free(t);
    sl_family_group_free(g);
    sl_store_free(st);
    remove_tree(dir);
}

/* One paragraph of 40 words of its own ("w0<tag> w1<tag> ..."), so that two of them have
 * exactly as many shingles and share none. */
static void words_para(const char *tag, buf *b)
{
    for (int i = 0; i < 40; i++) {
        char w[32];
        snprintf(w, sizeof w, "%sw%d%s", i ? " " : "", i, tag);
        sli_buf_puts(b, w);
    }
    sli_buf_puts(b, ".\n");
}

/* The family X joins, A (dated first) and B (second) being equally good candidates for X
 * (each half of it: the same Jaccard and containment), with X's band key and paragraph
 * key as given (x NULL: no keys given, the pairs alone). A's keys: band 11, paragraph
 * 12; B's: band 21, paragraph 22. */
static char joined(const unsigned long long *x_keys)
{
    sl_family_group *g;
    assert_int_equal(sl_family_group_create(&g), SL_OK);
    buf a, b, x, out;
    sli_buf_init(&a, BUF_UNLIMITED);
    sli_buf_init(&b, BUF_UNLIMITED);
    sli_buf_init(&x, BUF_UNLIMITED);
    sli_buf_init(&out, BUF_UNLIMITED);
    words_para("a", &a);
    words_para("b", &b);
    words_para("a", &x);
    words_para("b", &x);
    assert_int_equal(sl_family_group_add(g, 1, "A", "2024-05-01", 36, a.data, a.len), SL_OK);
    assert_int_equal(sl_family_group_add(g, 2, "B", "2024-05-02", 36, b.data, b.len), SL_OK);
    assert_int_equal(sl_family_group_add(g, 3, "X", "2024-05-03", 76, x.data, x.len), SL_OK);
    if (x_keys) {
        const unsigned long long ka[] = {11, 12}, kb[] = {21, 22};
        assert_int_equal(sl_family_group_keys(g, 1, ka, 1, ka + 1, 1), SL_OK);
        assert_int_equal(sl_family_group_keys(g, 2, kb, 1, kb + 1, 1), SL_OK);
        assert_int_equal(sl_family_group_keys(g, 3, x_keys, 1, x_keys + 1, 1), SL_OK);
    } else {
        assert_int_equal(sl_family_group_pair(g, 1, 3), SL_OK);
        assert_int_equal(sl_family_group_pair(g, 2, 3), SL_OK);
    }
    assert_int_equal(sl_family_group_write(g, collect, &out), SL_OK);
    /* one family of two: its origin, A or B */
    const char *o = strstr(out.data, "\"origin\": \"");
    assert_non_null(o);
    assert_null(strstr(o + 1, "\"origin\": \""));
    assert_non_null(strstr(out.data, "\"article\": \"X\""));
    char got = o[strlen("\"origin\": \"")];
    sli_buf_free(&a);
    sli_buf_free(&b);
    sli_buf_free(&x);
    sli_buf_free(&out);
    sl_family_group_free(g);
    return got;
}

/* Of two equally good candidates the first found is taken: with keys, as a batch finds
 * them, key by key in the article's order, its band keys before its paragraph keys (A's
 * band key and B's paragraph key: A; B's band key and A's paragraph key: B), band and
 * paragraph keys apart (a band key 12 is not A's paragraph key 12: only B); with pairs
 * alone, the last matched first (B). */
static void test_candidates_by_keys(void **state)
{
    (void)state;
    const unsigned long long a_first[] = {11, 22}, b_first[] = {21, 12}, b_only[] = {12, 22};
    assert_int_equal(joined(a_first), 'A');
    assert_int_equal(joined(b_first), 'B');
    assert_int_equal(joined(b_only), 'B');
    assert_int_equal(joined(NULL), 'B');
}

/* Whether X joins H0 when `holders` articles H0, H1, ... (matched in that order) hold
 * X's one band key and only H0's text matches X's: a batch takes the 64 of a key matched
 * last, so with 65 holders H0 is no candidate. */
static int joins_the_oldest(int holders)
{
    sl_family_group *g;
    assert_int_equal(sl_family_group_create(&g), SL_OK);
    buf t, out;
    sli_buf_init(&t, BUF_UNLIMITED);
    sli_buf_init(&out, BUF_UNLIMITED);
    const unsigned long long key = 5;
    for (int i = 0; i < holders; i++) {
        char id[16];
        snprintf(id, sizeof id, "H%d", i);
        sli_buf_clear(&t);
        words_para(id, &t);
        assert_int_equal(sl_family_group_add(g, 1 + (unsigned)i, id, "2024-05-01", 36, t.data,
                                             t.len),
                         SL_OK);
        assert_int_equal(sl_family_group_keys(g, 1 + (unsigned)i, &key, 1, NULL, 0), SL_OK);
    }
    sli_buf_clear(&t);
    words_para("H0", &t);
    words_para("X", &t);
    assert_int_equal(sl_family_group_add(g, 1000, "X", "2024-05-02", 76, t.data, t.len), SL_OK);
    assert_int_equal(sl_family_group_keys(g, 1000, &key, 1, NULL, 0), SL_OK);
    assert_int_equal(sl_family_group_write(g, collect, &out), SL_OK);
    int joined = strstr(out.data, "\"origin\": \"H0\"") && strstr(out.data, "\"article\": \"X\"");
    assert_true(joined || strcmp(out.data, "[]\n") == 0);
    sli_buf_free(&t);
    sli_buf_free(&out);
    sl_family_group_free(g);
    return joined;
}

static void test_a_key_gives_the_64_matched_last(void **state)
{
    (void)state;
    assert_true(joins_the_oldest(64));
    assert_false(joins_the_oldest(65));
}

static void test_refusals(void **state)
{
    (void)state;
    sl_family_group_free(NULL);
    assert_int_equal(sl_family_group_create(NULL), SL_ERR_INVALID);
    sl_family_group *g;
    assert_int_equal(sl_family_group_create(&g), SL_OK);
    const char *text = PARA[0];
    assert_int_equal(sl_family_group_add(g, 1, NULL, NULL, 3, text, strlen(text)),
                     SL_ERR_INVALID);
    assert_int_equal(sl_family_group_add(g, 1ULL << 62, "a", NULL, 3, text, strlen(text)),
                     SL_ERR_INVALID);
    assert_int_equal(sl_family_group_add(g, 1, "a", NULL, 3, "caf\xc3", 4), SL_ERR_UTF8);
    assert_int_equal(sl_family_group_add(g, 1, "a", NULL, 3, text, strlen(text)), SL_OK);
    assert_int_equal(sl_family_group_add(g, 1, "b", NULL, 3, text, strlen(text)),
                     SL_ERR_INVALID); /* a number twice */
    assert_int_equal(sl_family_group_pair(g, 1, 1), SL_ERR_INVALID);
    assert_int_equal(sl_family_group_pair(g, 1, 2), SL_ERR_NOT_FOUND);
    const unsigned long long k = 7;
    assert_int_equal(sl_family_group_keys(g, 2, &k, 1, NULL, 0), SL_ERR_NOT_FOUND);
    assert_int_equal(sl_family_group_keys(g, 1, NULL, 1, NULL, 0), SL_ERR_INVALID);
    assert_int_equal(sl_family_group_keys(NULL, 1, &k, 1, NULL, 0), SL_ERR_INVALID);
    assert_int_equal(sl_family_group_keys(g, 1, &k, UINT32_MAX, NULL, 0), SL_ERR_TOO_BIG);
    assert_int_equal(sl_family_group_keys(g, 1, &k, 1, &k, SIZE_MAX), SL_ERR_TOO_BIG);
    assert_int_equal(sl_family_group_keys(g, 1, &k, 1, NULL, 0), SL_OK);
    assert_int_equal(sl_family_group_keys(g, 1, &k, 1, NULL, 0), SL_ERR_INVALID); /* twice */
    assert_int_equal(sl_family_group_write(g, NULL, NULL), SL_ERR_INVALID);
    buf out;
    sli_buf_init(&out, BUF_UNLIMITED);
    assert_int_equal(sl_family_group_write(g, collect, &out), SL_OK);
    assert_string_equal(out.data, "[]\n"); /* one article: no family */
    sli_buf_free(&out);
    sl_family_group_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_as_the_store),
        cmocka_unit_test(test_candidates_by_keys),
        cmocka_unit_test(test_a_key_gives_the_64_matched_last),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
