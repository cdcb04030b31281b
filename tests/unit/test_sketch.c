/* test_sketch.c — MinHash signatures: the estimate follows exact Jaccard similarity
 * (property test over generated text pairs), and the edge cases. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "core/buf.h"
#include "core/u64map.h"
#include "scratch.h"
#include "sketch/sketch.h"
#include "text/normalize.h"
#include "store/store.h"
#include "storyline.h"

static uint64_t rng = 88172645463325252ull;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* A text of `words` words drawn from a vocabulary of `vocab` made-up words. */
static void random_words(buf *out, int *ids, int words, int vocab)
{
    for (int i = 0; i < words; i++)
        ids[i] = (int)(next_rand() % (uint64_t)vocab);
    (void)out;
}

static void render(buf *out, const int *ids, int words)
{
    sli_buf_clear(out);
    for (int i = 0; i < words; i++) {
        char w[32];
        snprintf(w, sizeof w, "%sw%dx", i ? " " : "", ids[i]);
        sli_buf_puts(out, w);
    }
}

typedef struct exact_set {
    u64map h;
} exact_set;

static void add_exact(void *user, uint64_t h)
{
    assert_int_equal(sli_u64map_put(&((exact_set *)user)->h, h, NULL, NULL), SL_OK);
}

/* Exact Jaccard similarity of the two texts' shingle sets. */
static double exact_jaccard(const buf *a, const buf *b)
{
    exact_set x, y;
    assert_int_equal(sli_u64map_init_set(&x.h, 1024), SL_OK);
    assert_int_equal(sli_u64map_init_set(&y.h, 1024), SL_OK);
    sli_sketch_each_shingle(a->data, a->len, add_exact, &x);
    sli_sketch_each_shingle(b->data, b->len, add_exact, &y);
    size_t inter = 0;
    uint64_t key, val;
    for (size_t pos = 0; sli_u64map_next(&x.h, &pos, &key, &val);)
        inter += (size_t)sli_u64map_has(&y.h, key);
    double uni = (double)(x.h.n + y.h.n - inter);
    sli_u64map_free(&x.h);
    sli_u64map_free(&y.h);
    return uni > 0 ? (double)inter / uni : 0;
}

/* Property: over many pairs (a text and a copy with some words changed, cut or extended),
 * the estimate stays near the exact value: each within 0.15 (3.4 standard errors at
 * K=128), and on average within 0.03. */
static void estimate_follows_exact(void **state)
{
    (void)state;
    buf a, b;
    sli_buf_init(&a, BUF_UNLIMITED);
    sli_buf_init(&b, BUF_UNLIMITED);
    int ids[1200], copy[1200];
    double total_err = 0;
    int pairs = 0;
    for (int round = 0; round < 200; round++) {
        int words = 100 + (int)(next_rand() % 1000);
        random_words(&a, ids, words, 5000);
        memcpy(copy, ids, sizeof ids);
        int change = (int)(next_rand() % 100); /* percent of words changed */
        for (int i = 0; i < words; i++)
            if ((int)(next_rand() % 100) < change / 4)
                copy[i] = (int)(next_rand() % 5000);
        int copy_words = words;
        if (round % 3 == 1)
            copy_words = words / 2 + (int)(next_rand() % (unsigned)(words / 2)); /* trimmed */
        render(&a, ids, words);
        render(&b, copy, copy_words);
        sketch sa, sb;
        sli_sketch_text(a.data, a.len, &sa);
        sli_sketch_text(b.data, b.len, &sb);
        double exact = exact_jaccard(&a, &b), est = sli_sketch_jaccard(&sa, &sb);
        double err = fabs(est - exact);
        if (err > 0.15)
            fail_msg("round %d: %d words, exact %.3f, estimate %.3f", round, words, exact, est);
        total_err += err;
        pairs++;
    }
    double mean = total_err / pairs;
    if (mean > 0.03)
        fail_msg("mean absolute error %.4f over %d pairs", mean, pairs);
    sli_buf_free(&a);
    sli_buf_free(&b);
}

static void identical_and_unrelated(void **state)
{
    (void)state;
    const char *t1 = "the port workers walked out on monday over the automation plan at the terminal";
    const char *t2 = "a summer fair drew record crowds to the park by the river on a sunny saturday";
    sketch a, b, c;
    sli_sketch_text(t1, strlen(t1), &a);
    sli_sketch_text(t1, strlen(t1), &b);
    sli_sketch_text(t2, strlen(t2), &c);
    assert_true(sli_sketch_jaccard(&a, &b) == 1.0);
    assert_true(sli_sketch_jaccard(&a, &c) < 0.1);
    /* Punctuation and spacing do not make a different shingle. */
    const char *t3 = "the port workers, walked out on monday -- over the automation plan at the terminal.";
    sli_sketch_text(t3, strlen(t3), &c);
    assert_true(sli_sketch_jaccard(&a, &c) == 1.0);
}

static void empty_and_short(void **state)
{
    (void)state;
    sketch e, s1, s2;
    sli_sketch_text("", 0, &e);
    assert_int_equal(e.shingles, 0);
    assert_true(sli_sketch_jaccard(&e, &e) == 0.0);
    sli_sketch_text(" ... !!! ", 9, &e);
    assert_int_equal(e.shingles, 0);
    sli_sketch_text("two words", 9, &s1);
    sli_sketch_text("two words", 9, &s2);
    assert_int_equal(s1.shingles, 1);
    assert_true(sli_sketch_jaccard(&s1, &s2) == 1.0);
    sli_sketch_text("other words", 11, &s2);
    assert_true(sli_sketch_jaccard(&s1, &s2) == 0.0);
}

/* A one-shingle text whose value happens to be 0xFFFFFFFF (found by search): the empty-bin
 * marker must not be taken for emptiness, or densification never ends. */
static void value_equal_to_the_empty_marker(void **state)
{
    (void)state;
    sketch s;
    sli_sketch_text("xdbqgqx.", 8, &s);
    assert_int_equal(s.shingles, 1);
    assert_true(s.v[0] == 0xFFFFFFFFu); /* the case is really exercised */
    for (int i = 1; i < SKETCH_K; i++)
        assert_true(s.v[i] == s.v[0]);
}

static void repetition_does_not_flood(void **state)
{
    (void)state;
    /* The same line 100,000 times: one distinct shingle set, quickly, and unlike a text. */
    buf t;
    sli_buf_init(&t, BUF_UNLIMITED);
    for (int i = 0; i < 100000; i++)
        sli_buf_puts(&t, "read more follow us on x ");
    sketch a, b;
    sli_sketch_text(t.data, t.len, &a);
    const char *other = "the port workers walked out on monday over the automation plan";
    sli_sketch_text(other, strlen(other), &b);
    assert_true(a.shingles >= 100000);
    assert_true(sli_sketch_jaccard(&a, &b) < 0.05);
    sli_buf_free(&t);
}

/* Article id's sketch, made again from its stored cleaned text as the batch made it (the
 * text normalised, then sketched); the shingle count the batch stored for it, through
 * `stored` (-1: no row). Signatures are not stored: nothing reads them. */
static sl_error sketch_load(sl_store *st, const char *db, const char *id, sketch *out,
                            long long *stored)
{
    sl_article *a = NULL;
    sl_error err = sl_store_get_article(st, id, SL_WITH_TEXT, &a);
    if (err)
        return err;
    buf norm;
    sli_buf_init(&norm, BUF_UNLIMITED);
    assert_int_equal(sli_text_normalize(a->text, strlen(a->text), &norm), SL_OK);
    sli_sketch_text(sli_buf_str(&norm), norm.len, out);
    sli_buf_free(&norm);
    sl_article_free(a);
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT k.shingles FROM sketches k JOIN articles a"
                                        " ON a.rid = k.rid WHERE a.id = ?1",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    *stored = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    sqlite3_close(h);
    return SL_OK;
}

/* Every article a batch adds is sketched from its cleaned text, its shingle count stored:
 * a copy wrapped in other site furniture matches its original, an unrelated article does
 * not. */
static void stored_with_the_batch(void **state)
{
    (void)state;
    char dir[] = "/tmp/sl-unit-sketch-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char db[256];
    snprintf(db, sizeof db, "%s/s.db", dir);
    sl_store *st;
    sl_batch *b;
    assert_int_equal(sl_store_open(db, SL_OPEN_CREATE, &st), SL_OK);
    assert_int_equal(sl_batch_begin(st, NULL, &b), SL_OK);
    const char *story =
        "The port workers walked out on Monday over the automation plan, the union said, and "
        "dozens of ships were left waiting at anchor in the bay by the evening.\n"
        "The company said it had offered retraining to every worker whose job would change, "
        "and that talks could resume as soon as the pickets were lifted at the gate.\n";
    char wrapped[2048];
    snprintf(wrapped, sizeof wrapped, "Home | News | Business\nAdvertisement\n%sShare this article\n",
             story);
    const char *other =
        "A summer fair drew record crowds to the park by the river on Saturday, organisers "
        "said, with more than twelve thousand visitors over the two days of the event.\n";
    sl_article_input a = {.id = "a", .source = "one.example", .text = story};
    sl_article_input c = {.id = "c", .source = "two.example", .text = wrapped};
    sl_article_input o = {.id = "o", .source = "one.example", .text = other};
    assert_int_equal(sl_batch_add_article(b, &a), SL_OK);
    assert_int_equal(sl_batch_add_article(b, &c), SL_OK);
    assert_int_equal(sl_batch_add_article(b, &o), SL_OK);
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
    sketch sa, sc, so;
    long long na, nc, no;
    assert_int_equal(sketch_load(st, db, "a", &sa, &na), SL_OK);
    assert_int_equal(sketch_load(st, db, "c", &sc, &nc), SL_OK);
    assert_int_equal(sketch_load(st, db, "o", &so, &no), SL_OK);
    assert_int_equal(no, so.shingles);
    long long none;
    assert_int_equal(sketch_load(st, db, "absent", &so, &none), SL_ERR_NOT_FOUND);
    assert_true(sa.shingles > 40);
    assert_int_equal(na, sa.shingles);
    assert_int_equal(nc, sc.shingles);
    assert_true(sli_sketch_jaccard(&sa, &sc) > 0.9);
    assert_true(sli_sketch_jaccard(&sa, &so) < 0.1);
    sl_store_free(st);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(estimate_follows_exact),
        cmocka_unit_test(identical_and_unrelated),
        cmocka_unit_test(empty_and_short),
        cmocka_unit_test(value_equal_to_the_empty_marker),
        cmocka_unit_test(repetition_does_not_flood),
        cmocka_unit_test(stored_with_the_batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
