/* test_text_tools.c — the per-article stages on one text, without a store
 * (sl_text_tools): each output is JSON, says what the stage found, and equals what a batch
 * stores for the same article (cleaned text, facts, LSH band keys). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "core/buf.h"
#include "scratch.h"
#include "storyline.h"
#include "ingest/ingest.h" /* records packed, to refuse */
#include "store/store.h" /* the key blocks read */

static const char RAW[] =
    "Harbour bridge to close for repairs after storm damage\n"
    "November 9, 2023, 21:40 IST\n"
    "By Asha Menon\n"
    "The harbour bridge will close for three weeks from Monday while engineers repair the "
    "cables that the storm loosened last Tuesday, the city council said on Thursday.\n"
    "\"We will not open it until every cable has been tested,\" said Mayor Jane Doe.\n"
    "The repairs will cost 2,50,000 rupees, and ferries will run every ten minutes in the "
    "meantime, according to the Port Authority of Lindhaven.\n"
    "Traffic on the coast road is expected to double during the closure, and the council "
    "asked drivers to leave earlier than usual for the next three weeks.\n"
    "Share this article\n";

static int collect(void *user, const char *data, size_t len)
{
    return sli_buf_append(user, data, len) != SL_OK;
}

static int refuse(void *user, const char *data, size_t len)
{
    (void)user;
    (void)data;
    (void)len;
    return 1;
}

/* The JSON an sl_write_text_* call wrote, parsed (strictly: one object, nothing after). */
static json_object *parsed(const buf *b)
{
    json_tokener *tok = json_tokener_new();
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    json_object *o = json_tokener_parse_ex(tok, b->data, (int)b->len);
    assert_int_equal(json_tokener_get_error(tok), json_tokener_success);
    assert_int_equal(json_tokener_get_parse_end(tok), b->len);
    json_tokener_free(tok);
    assert_non_null(o);
    assert_true(json_object_is_type(o, json_type_object));
    return o;
}

static const char *str_of(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
        return NULL;
    return json_object_get_string(v);
}

static json_object *array_of(json_object *o, const char *key)
{
    json_object *v = NULL;
    assert_true(json_object_object_get_ex(o, key, &v));
    assert_true(json_object_is_type(v, json_type_array));
    return v;
}

static void test_clean(void **state)
{
    (void)state;
    sl_text_tools *t;
    assert_int_equal(sl_text_tools_create(&t), SL_OK);
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(sl_write_text_clean(t, RAW, strlen(RAW), NULL, collect, &b), SL_OK);
    json_object *o = parsed(&b);
    assert_string_equal(str_of(o, "title"), "Harbour bridge to close for repairs after storm damage");
    assert_string_equal(str_of(o, "date"), "2023-11-09T21:40:00+05:30");
    assert_string_equal(str_of(o, "byline"), "Asha Menon");
    const char *text = str_of(o, "text");
    assert_non_null(strstr(text, "engineers repair the cables"));
    assert_non_null(strstr(text, "Traffic on the coast road"));
    assert_null(strstr(text, "Share this article")); /* a share prompt */
    assert_null(strstr(text, "By Asha Menon"));      /* the byline is not body */
    json_object *lines, *kept;
    assert_true(json_object_object_get_ex(o, "lines", &lines));
    assert_true(json_object_object_get_ex(o, "kept", &kept));
    assert_int_equal(json_object_get_int(lines), 8);
    assert_true(json_object_get_int(kept) >= 4 && json_object_get_int(kept) < 8);
    json_object_put(o);

    /* an empty title is none, as in a batch: the text's is found */
    sli_buf_clear(&b);
    assert_int_equal(sl_write_text_clean(t, RAW, strlen(RAW), "", collect, &b), SL_OK);
    o = parsed(&b);
    assert_string_equal(str_of(o, "title"), "Harbour bridge to close for repairs after storm damage");
    json_object_put(o);

    /* a title given is the title, as the input's own is in a batch */
    sli_buf_clear(&b);
    assert_int_equal(sl_write_text_clean(t, RAW, strlen(RAW), "Given", collect, &b), SL_OK);
    o = parsed(&b);
    assert_string_equal(str_of(o, "title"), "Given");
    json_object_put(o);
    sli_buf_free(&b);
    sl_text_tools_free(t);
}

static void test_sketch(void **state)
{
    (void)state;
    sl_text_tools *t;
    assert_int_equal(sl_text_tools_create(&t), SL_OK);
    buf a, c;
    sli_buf_init(&a, BUF_UNLIMITED);
    sli_buf_init(&c, BUF_UNLIMITED);
    const char *body = strchr(strchr(strchr(RAW, '\n') + 1, '\n') + 1, '\n') + 1;
    assert_int_equal(sl_write_text_sketch(t, body, strlen(body), collect, &a), SL_OK);
    json_object *x = parsed(&a);
    assert_int_equal(json_object_array_length(array_of(x, "signature")), 128);
    assert_int_equal(json_object_array_length(array_of(x, "bands")), 32);
    json_object *paras = array_of(x, "paragraphs");
    assert_int_equal(json_object_array_length(paras), 4); /* the lines of ten words or more */
    const char *band0 = json_object_get_string(json_object_array_get_idx(array_of(x, "bands"), 0));
    assert_int_equal(strlen(band0), 16);
    assert_int_equal(strspn(band0, "0123456789abcdef"), 16);

    /* the same text with a sidebar after it: a containment copy, found by its paragraphs */
    char *more = malloc(strlen(body) + 200);
    strcpy(more, body);
    strcat(more, "Most read: ten bridges to see before you die\nWeather: rain all week\n");
    assert_int_equal(sl_write_text_sketch(t, more, strlen(more), collect, &c), SL_OK);
    json_object *y = parsed(&c);
    json_object *paras2 = array_of(y, "paragraphs");
    size_t shared = 0;
    for (size_t i = 0; i < json_object_array_length(paras); i++)
        for (size_t j = 0; j < json_object_array_length(paras2); j++)
            shared += !strcmp(json_object_get_string(json_object_array_get_idx(paras, i)),
                              json_object_get_string(json_object_array_get_idx(paras2, j)));
    assert_int_equal(shared, 4);
    json_object *n1, *n2;
    assert_true(json_object_object_get_ex(x, "shingles", &n1));
    assert_true(json_object_object_get_ex(y, "shingles", &n2));
    assert_true(json_object_get_int(n2) > json_object_get_int(n1));
    json_object_put(x);
    json_object_put(y);
    free(more);
    sli_buf_free(&a);
    sli_buf_free(&c);
    sl_text_tools_free(t);
}

static void test_features(void **state)
{
    (void)state;
    sl_text_tools *t;
    assert_int_equal(sl_text_tools_create(&t), SL_OK);
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(sl_write_text_features(t, "Harbour bridge to close", RAW, strlen(RAW),
                                            collect, &b), SL_OK);
    json_object *o = parsed(&b);
    static const char *const views[] = {"title", "body", "names", "details", "quotes"};
    for (size_t v = 0; v < 5; v++) {
        json_object *a = array_of(o, views[v]);
        double last = 1e9;
        for (size_t i = 0; i < json_object_array_length(a); i++) {
            json_object *pair = json_object_array_get_idx(a, i);
            assert_int_equal(json_object_array_length(pair), 2);
            assert_int_equal(strlen(json_object_get_string(json_object_array_get_idx(pair, 0))), 16);
            double w = json_object_get_double(json_object_array_get_idx(pair, 1));
            assert_true(w >= 1.0 && w <= last); /* 1 + ln(tf), heaviest first */
            last = w;
        }
    }
    assert_int_equal(json_object_array_length(array_of(o, "title")), 3); /* harbour, bridg, close */
    assert_true(json_object_array_length(array_of(o, "body")) > 20);
    assert_true(json_object_array_length(array_of(o, "names")) > 0);
    assert_true(json_object_array_length(array_of(o, "quotes")) > 0);
    json_object_put(o);
    sli_buf_free(&b);
    sl_text_tools_free(t);
}

static void test_facts(void **state)
{
    (void)state;
    sl_text_tools *t;
    assert_int_equal(sl_text_tools_create(&t), SL_OK);
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(sl_write_text_facts(t, NULL, RAW, strlen(RAW), "2023-11-09", collect, &b),
                     SL_OK);
    json_object *o = parsed(&b);
    json_object *quotes = array_of(o, "quotes");
    assert_int_equal(json_object_array_length(quotes), 1);
    json_object *q = json_object_array_get_idx(quotes, 0);
    assert_string_equal(str_of(q, "text"), "We will not open it until every cable has been tested");
    assert_string_equal(str_of(q, "speaker"), "Jane Doe");
    json_object *amounts = array_of(o, "amounts");
    int lakh = 0;
    for (size_t i = 0; i < json_object_array_length(amounts); i++) {
        json_object *v;
        if (json_object_object_get_ex(json_object_array_get_idx(amounts, i), "value", &v))
            lakh += json_object_get_double(v) == 250000.0;
    }
    assert_int_equal(lakh, 1); /* "2,50,000" is 250000 */
    json_object *dates = array_of(o, "dates");
    int tuesday = 0;
    for (size_t i = 0; i < json_object_array_length(dates); i++)
        tuesday += str_of(json_object_array_get_idx(dates, i), "date") &&
                   !strcmp(str_of(json_object_array_get_idx(dates, i), "date"), "2023-11-07");
    assert_int_equal(tuesday, 1); /* "last Tuesday" against the date given */
    json_object_put(o);
    sli_buf_free(&b);
    sl_text_tools_free(t);
}

/* How many entries of the store's key blocks hold `key` (as stored). */
typedef struct {
    long long key, n;
} key_count;

static void count_key(void *user, long long key, long long rid)
{
    (void)rid;
    key_count *kc = user;
    kc->n += key == kc->key;
}

/* What the tools give for an article is what a batch stored for it. */
static void test_same_as_batch(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("text-tools", dir, db, &st), 0);
    sl_batch *bt;
    assert_int_equal(sl_batch_begin(st, NULL, &bt), SL_OK);
    sl_article_input in = {"a1", "lindhaven.example", NULL, "2023-11-09", NULL, RAW, 0};
    assert_int_equal(sl_batch_add_article(bt, &in), SL_OK);
    assert_int_equal(sl_batch_commit(bt, NULL), SL_OK);
    sl_batch_free(bt);
    sl_article *a;
    assert_int_equal(sl_store_get_article(st, "a1", SL_WITH_TEXT | SL_WITH_RAW | SL_WITH_FACTS, &a),
                     SL_OK);

    sl_text_tools *t;
    assert_int_equal(sl_text_tools_create(&t), SL_OK);
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(sl_write_text_clean(t, a->raw, strlen(a->raw), NULL, collect, &b), SL_OK);
    json_object *o = parsed(&b);
    assert_string_equal(str_of(o, "text"), a->text);
    assert_string_equal(str_of(o, "title"), a->title);
    json_object_put(o);

    sli_buf_clear(&b);
    assert_int_equal(sl_write_text_facts(t, a->title, a->text, strlen(a->text), a->date,
                                         collect, &b), SL_OK);
    o = parsed(&b);
    json_object *stored = json_tokener_parse(a->facts);
    assert_non_null(stored);
    assert_true(json_object_equal(o, stored));
    json_object_put(stored);
    json_object_put(o);

    /* the band keys the store keeps: their low 32 bits (docs/store-size.md) */
    sli_buf_clear(&b);
    assert_int_equal(sl_write_text_sketch(t, a->text, strlen(a->text), collect, &b), SL_OK);
    o = parsed(&b);
    json_object *bands = array_of(o, "bands");
    for (size_t i = 0; i < json_object_array_length(bands); i++) {
        uint64_t k = strtoull(json_object_get_string(json_object_array_get_idx(bands, i)), NULL, 16);
        char sql[160];
        key_count kc = {(long long)(int32_t)(uint32_t)k, 0};
        assert_int_equal(sli_store_key_blocks_each(st, sli_dedup_blocks(), "lsh_blocks", count_key, &kc), SL_OK);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM lsh_recent WHERE key=%lld", kc.key);
        assert_int_equal(kc.n + scratch_int(db, sql), 1);
    }
    json_object_put(o);
    sli_buf_free(&b);
    sl_text_tools_free(t);
    sl_article_free(a);
    sl_store_free(st);
    remove_tree(dir);
}

/* The family member's numbers, kept by sl_store_each_family. */
typedef struct member_seen {
    double j, c;
    int n;
} member_seen;

static int take_family(void *user, const char *family, const sl_family_member *m, size_t n)
{
    (void)family;
    member_seen *s = user;
    s->n = (int)n;
    if (n == 2) {
        s->j = m[1].jaccard;
        s->c = m[1].containment;
    }
    return 0;
}

static double num_of(json_object *o, const char *key)
{
    json_object *v;
    assert_true(json_object_object_get_ex(o, key, &v));
    return json_object_get_double(v);
}

static int bool_of(json_object *o, const char *key)
{
    json_object *v;
    assert_true(json_object_object_get_ex(o, key, &v));
    assert_true(json_object_is_type(v, json_type_boolean));
    return json_object_get_boolean(v);
}

/* Two stored texts compared as the dedup stage verified them: the family's numbers. */
static void test_compare_as_the_batch(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("text-compare", dir, db, &st), 0);
    /* a copy without the last paragraph: contained, a match */
    char *cut = strndup(RAW, (size_t)(strstr(RAW, "Traffic on the coast") - RAW));
    sl_batch *bt;
    assert_int_equal(sl_batch_begin(st, NULL, &bt), SL_OK);
    sl_article_input a1 = {"a1", "lindhaven.example", NULL, "2023-11-09", NULL, RAW, 0};
    sl_article_input a2 = {"a2", "copier.example", NULL, "2023-11-10", NULL, cut, 0};
    assert_int_equal(sl_batch_add_article(bt, &a1), SL_OK);
    assert_int_equal(sl_batch_add_article(bt, &a2), SL_OK);
    assert_int_equal(sl_batch_commit(bt, NULL), SL_OK);
    sl_batch_free(bt);
    member_seen seen = {0};
    assert_int_equal(sl_store_each_family(st, take_family, &seen), SL_OK);
    assert_int_equal(seen.n, 2);
    sl_article *x, *y;
    assert_int_equal(sl_store_get_article(st, "a1", SL_WITH_TEXT, &x), SL_OK);
    assert_int_equal(sl_store_get_article(st, "a2", SL_WITH_TEXT, &y), SL_OK);
    sl_text_tools *t;
    assert_int_equal(sl_text_tools_create(&t), SL_OK);
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(sl_write_text_compare(t, y->text, strlen(y->text), x->text,
                                           strlen(x->text), collect, &b), SL_OK);
    json_object *o = parsed(&b);
    assert_true(num_of(o, "jaccard") == seen.j); /* the same doubles */
    assert_true(num_of(o, "containment") == seen.c);
    assert_true(seen.c >= 0.8 && seen.j < 0.8);
    assert_true(bool_of(o, "match"));
    assert_true(bool_of(o, "copy"));
    assert_true(num_of(o, "shingles") < num_of(o, "other_shingles"));
    json_object_put(o);
    /* six sentences of ten shared, four apiece new: Jaccard about 0.43, containment 0.6,
     * a match but no copy */
    char mine[2048] = "", theirs[2048] = "";
    for (int k = 0; k < 14; k++) {
        char sentence[128];
        snprintf(sentence, sizeof sentence, "Harbour%c word%02d crane%02d dock%02d ship%02d "
                 "berth%02d quay%02d pier%02d.\n", 'a' + k, k, k, k, k, k, k, k);
        if (k < 10)
            strcat(mine, sentence);
        if (k < 6 || k >= 10)
            strcat(theirs, sentence);
    }
    sli_buf_clear(&b);
    assert_int_equal(sl_write_text_compare(t, mine, strlen(mine), theirs, strlen(theirs),
                                           collect, &b), SL_OK);
    o = parsed(&b);
    assert_true(num_of(o, "jaccard") >= 0.4 && num_of(o, "jaccard") < 0.8);
    assert_true(num_of(o, "containment") < 0.8);
    assert_true(bool_of(o, "match") && !bool_of(o, "copy"));
    json_object_put(o);
    /* a short text inside a long one: containment 1, but under five shingles on one side
     * (either way round) no match */
    for (int k = 0; k < 2; k++) {
        const char *shrt = "Harbourb word01 crane01 dock01 ship01 berth01";
        sli_buf_clear(&b);
        assert_int_equal(sl_write_text_compare(t, k ? mine : shrt, strlen(k ? mine : shrt),
                                               k ? shrt : mine, strlen(k ? shrt : mine),
                                               collect, &b), SL_OK);
        o = parsed(&b);
        assert_true(num_of(o, "containment") == 1);
        assert_true(!bool_of(o, "match") && !bool_of(o, "copy"));
        json_object_put(o);
    }
    /* a text of fewer than five shingles matches nothing, even itself */
    sli_buf_clear(&b);
    assert_int_equal(sl_write_text_compare(t, "one two three four five six", 27,
                                           "one two three four five six", 27, collect, &b),
                     SL_OK);
    o = parsed(&b);
    assert_true(num_of(o, "jaccard") == 1 && !bool_of(o, "match") && !bool_of(o, "copy"));
    json_object_put(o);
    assert_int_equal(sl_write_text_compare(t, "a", 1, "\xff", 1, collect, &b), SL_ERR_UTF8);
    assert_int_equal(sl_write_text_compare(t, "a", 1, "b", 1, NULL, &b), SL_ERR_INVALID);
    sli_buf_free(&b);
    sl_text_tools_free(t);
    sl_article_free(x);
    sl_article_free(y);
    free(cut);
    sl_store_free(st);
    remove_tree(dir);
}

/* Counts made in two halves and merged clean as one batch of all the articles cleans:
 * a sidebar line three articles of a site print is a template. */
static const char *const SITE[] = {
    "Ferries double as the bridge closes\nThe ferry company will double its crossings while "
    "the harbour bridge is closed for repairs, it said on Monday.\nThe Courier is printed "
    "on recycled paper in Lindhaven every morning, seven days a week.\nThe crossing takes twenty minutes each way.\n",
    "Council names bridge engineers\nThe council named the firm that will test every cable "
    "of the harbour bridge before it opens again.\nThe Courier is printed on recycled "
    "paper in Lindhaven every morning, seven days a week.\nThe firm tested the tunnel last year.\n",
    "Coast road traffic to double\nDrivers on the coast road should leave earlier while the "
    "bridge is closed, the police said.\nThe Courier is printed on recycled paper in Lindhaven "
    "every morning, seven days a week.\nBuses "
    "will run every ten minutes.\n",
};

static void test_counted_as_a_batch(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("text-counts", dir, db, &st), 0);
    sl_batch *bt;
    assert_int_equal(sl_batch_begin(st, NULL, &bt), SL_OK);
    sl_line_counts *half1, *half2, *all;
    assert_int_equal(sl_line_counts_create(&half1), SL_OK);
    assert_int_equal(sl_line_counts_create(&half2), SL_OK);
    assert_int_equal(sl_line_counts_create(&all), SL_OK);
    for (int i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "s%d", i);
        sl_article_input in = {id, "site.example", NULL, NULL, NULL, SITE[i], 0};
        assert_int_equal(sl_batch_add_article(bt, &in), SL_OK);
        assert_int_equal(sl_line_counts_add(i ? half2 : half1, "site.example", SITE[i],
                                            strlen(SITE[i])), SL_OK);
    }
    assert_int_equal(sl_batch_commit(bt, NULL), SL_OK);
    sl_batch_free(bt);
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(sl_line_counts_write(half1, collect, &b), SL_OK);
    assert_int_equal(sl_line_counts_merge(all, b.data, b.len), SL_OK);
    sli_buf_clear(&b);
    assert_int_equal(sl_line_counts_write(half2, collect, &b), SL_OK);
    assert_int_equal(sl_line_counts_merge(all, b.data, b.len), SL_OK);
    assert_int_equal(sl_line_counts_merge(all, "{\"sources\": 3}", 15), SL_ERR_JSON);

    sl_text_tools *t;
    assert_int_equal(sl_text_tools_create(&t), SL_OK);
    for (int i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "s%d", i);
        sl_article *a;
        assert_int_equal(sl_store_get_article(st, id, SL_WITH_TEXT, &a), SL_OK);
        sli_buf_clear(&b);
        assert_int_equal(sl_write_text_clean_counted(t, all, "site.example", SITE[i],
                                                     strlen(SITE[i]), NULL, collect, &b), SL_OK);
        json_object *o = parsed(&b);
        assert_string_equal(str_of(o, "text"), a->text);
        assert_null(strstr(a->text, "recycled paper")); /* the template, dropped */
        json_object_put(o);
        /* without the counts the sidebar stays: what the counts are for */
        sli_buf_clear(&b);
        assert_int_equal(sl_write_text_clean(t, SITE[i], strlen(SITE[i]), NULL, collect, &b), SL_OK);
        o = parsed(&b);
        assert_non_null(strstr(str_of(o, "text"), "recycled paper"));
        json_object_put(o);
        sl_article_free(a);
    }
    assert_int_equal(sl_write_text_clean_counted(t, all, "elsewhere.example", SITE[0],
                                                 strlen(SITE[0]), NULL, collect, &b),
                     SL_ERR_NOT_FOUND);
    sl_text_tools_free(t);
    sl_line_counts_free(half1);
    sl_line_counts_free(half2);
    sl_line_counts_free(all);
    sl_line_counts_free(NULL);
    sli_buf_free(&b);
    sl_store_free(st);
    remove_tree(dir);
}

/* Articles for the counts in parts: a template of a.example in three of its four articles,
 * a line in two of them, a short line in four sources (a.example's fourth, b, c, d), and
 * lines of one article each. */
static const char *const PART_SOURCE[] = {"a.example", "a.example", "a.example", "a.example",
                                          "b.example", "c.example", "d.example"};
static const char *const PART_TEXT[] = {
    "Bridge to close for a year\nThe harbour bridge will close for repairs next spring, the "
    "council said on Monday.\nSubscribe to the Courier for news from Lindhaven every day.\n"
    "Read our weekly guide to the harbour and its ferries.\n",
    "Ferries to run all night\nThe ferry company will add night crossings while the bridge "
    "is shut, it said.\nSubscribe to the Courier for news from Lindhaven every day.\nRead our "
    "weekly guide to the harbour and its ferries.\n",
    "Engineers named for bridge\nThe council named the firm that will test every cable of the "
    "bridge.\nSubscribe to the Courier for news from Lindhaven every day.\n",
    "Coast road traffic to double\nDrivers should leave earlier while the bridge is closed, "
    "the police said.\nFollow us on every network\n",
    "Rain all week in the north\nForecasters expect rain every day until Sunday across the "
    "northern hills.\nFollow us on every network\n",
    "School opens new library\nPupils will borrow books from a new library that opened on "
    "Tuesday morning.\nFollow us on every network\n",
    "Market moves to the square\nThe weekly market will move to the town square from next "
    "month, traders said.\nFollow us on every network\n",
};
#define PART_N (sizeof PART_TEXT / sizeof *PART_TEXT)

static size_t pairs_in(const buf *b)
{
    json_object *o = parsed(b);
    size_t n = json_object_array_length(array_of(o, "pairs"));
    json_object_put(o);
    return n;
}

/* The corpus above counted in two halves (articles by the parity of their place) and
 * whole. */
static void count_halves(sl_line_counts *half[2], sl_line_counts **all)
{
    for (int h = 0; h < 2; h++)
        assert_int_equal(sl_line_counts_create(&half[h]), SL_OK);
    assert_int_equal(sl_line_counts_create(all), SL_OK);
    for (size_t i = 0; i < PART_N; i++) {
        assert_int_equal(sl_line_counts_add(half[i % 2], PART_SOURCE[i], PART_TEXT[i],
                                            strlen(PART_TEXT[i])), SL_OK);
        assert_int_equal(sl_line_counts_add(*all, PART_SOURCE[i], PART_TEXT[i],
                                            strlen(PART_TEXT[i])), SL_OK);
    }
}

/* Every article of the corpus cleans against `other` byte for byte as against `all`; with
 * `template`, the template of a.example is dropped (the counts are at work). */
static void assert_cleans_alike(sl_text_tools *t, const sl_line_counts *all,
                                const sl_line_counts *other, int template)
{
    buf want, got;
    sli_buf_init(&want, BUF_UNLIMITED);
    sli_buf_init(&got, BUF_UNLIMITED);
    for (size_t i = 0; i < PART_N; i++) {
        const char *text = PART_TEXT[i];
        sli_buf_clear(&want);
        sli_buf_clear(&got);
        assert_int_equal(sl_write_text_clean_counted(t, all, PART_SOURCE[i], text, strlen(text),
                                                     NULL, collect, &want), SL_OK);
        assert_int_equal(sl_write_text_clean_counted(t, other, PART_SOURCE[i], text,
                                                     strlen(text), NULL, collect, &got), SL_OK);
        assert_int_equal(got.len, want.len);
        assert_memory_equal(got.data, want.data, want.len);
        if (template && i < 3)
            assert_null(strstr(sli_buf_str(&want), "Subscribe"));
    }
    sli_buf_free(&want);
    sli_buf_free(&got);
}

/* Counts made in two halves, written in parts, each part merged from both halves and
 * written again with only its repeated lines, then merged: every article cleans as against
 * all the counts, and the lines of fewer than three articles are gone. */
static void test_counted_in_parts(void **state)
{
    (void)state;
    enum { PARTS = 3 };
    sl_line_counts *half[2], *all, *part[PARTS], *repeated, *whole;
    count_halves(half, &all);
    assert_int_equal(sl_line_counts_create(&repeated), SL_OK);
    assert_int_equal(sl_line_counts_create(&whole), SL_OK);
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    size_t pairs = 0, kept = 0;
    for (unsigned p = 0; p < PARTS; p++) {
        assert_int_equal(sl_line_counts_create(&part[p]), SL_OK);
        for (int h = 0; h < 2; h++) {
            sli_buf_clear(&b);
            assert_int_equal(sl_line_counts_write_part(half[h], p, PARTS, 0, collect, &b), SL_OK);
            assert_int_equal(sl_line_counts_merge(part[p], b.data, b.len), SL_OK);
            assert_int_equal(sl_line_counts_merge(whole, b.data, b.len), SL_OK);
        }
        sli_buf_clear(&b);
        assert_int_equal(sl_line_counts_write_part(part[p], p, PARTS, 0, collect, &b), SL_OK);
        pairs += pairs_in(&b);
        sli_buf_clear(&b);
        assert_int_equal(sl_line_counts_write_part(part[p], p, PARTS, 1, collect, &b), SL_OK);
        kept += pairs_in(&b);
        assert_int_equal(sl_line_counts_merge(repeated, b.data, b.len), SL_OK);
    }
    sli_buf_clear(&b);
    assert_int_equal(sl_line_counts_write(all, collect, &b), SL_OK);
    assert_int_equal(pairs, pairs_in(&b)); /* the parts hold every pair once */
    /* kept: the template of a.example (one pair) and the short line (four sources) */
    assert_int_equal(kept, 5);
    sli_buf_clear(&b);
    assert_int_equal(sl_line_counts_write(repeated, collect, &b), SL_OK);
    json_object *o = parsed(&b);
    json_object *src = array_of(o, "sources");
    long long articles = 0;
    for (size_t i = 0; i < json_object_array_length(src); i++)
        articles += json_object_get_int64(
            json_object_array_get_idx(json_object_array_get_idx(src, i), 1));
    assert_int_equal(json_object_array_length(src), 4);
    assert_int_equal(articles, (long long)PART_N); /* each article counted once */
    json_object_put(o);

    sl_text_tools *t;
    assert_int_equal(sl_text_tools_create(&t), SL_OK);
    assert_cleans_alike(t, all, repeated, 1);
    assert_cleans_alike(t, all, whole, 0);
    assert_int_equal(sl_line_counts_write_part(all, 3, 3, 1, collect, &b), SL_ERR_INVALID);
    assert_int_equal(sl_line_counts_write_part(all, 0, 0, 0, collect, &b), SL_ERR_INVALID);
    assert_int_equal(sl_line_counts_write_part(NULL, 0, 1, 0, collect, &b), SL_ERR_INVALID);
    sli_buf_free(&b);
    sl_text_tools_free(t);
    for (int h = 0; h < 2; h++)
        sl_line_counts_free(half[h]);
    for (int p = 0; p < PARTS; p++)
        sl_line_counts_free(part[p]);
    sl_line_counts_free(all);
    sl_line_counts_free(repeated);
    sl_line_counts_free(whole);
}

/* The same counts found in two rounds: each half's distinct lines (keys, articles capped)
 * tallied part by part, the keys of the lines of three articles or more sent back, each
 * half's counts of those lines only merged: every article cleans as against all the
 * counts, and the halves sent the pairs of the kept lines only. */
static void test_counted_in_two_rounds(void **state)
{
    (void)state;
    enum { PARTS = 3 };
    sl_line_counts *half[2], *all, *merged, *final;
    count_halves(half, &all);
    assert_int_equal(sl_line_counts_create(&merged), SL_OK);
    assert_int_equal(sl_line_counts_create(&final), SL_OK);
    buf b, rep;
    sli_buf_init(&b, BUF_UNLIMITED);
    sli_buf_init(&rep, BUF_UNLIMITED);
    sl_line_tally *kept;
    assert_int_equal(sl_line_tally_create(&kept), SL_OK);
    for (unsigned p = 0; p < PARTS; p++) {
        sl_line_tally *t;
        assert_int_equal(sl_line_tally_create(&t), SL_OK);
        for (int h = 0; h < 2; h++) {
            sli_buf_clear(&b);
            assert_int_equal(sl_line_counts_write_lines(half[h], p, PARTS, collect, &b), SL_OK);
            assert_memory_equal(b.data, "SLT1", 4);
            assert_int_equal(sl_line_tally_add(t, b.data, b.len), SL_OK);
        }
        sli_buf_clear(&b);
        assert_int_equal(sl_line_tally_write_repeated(t, collect, &b), SL_OK);
        assert_int_equal(sl_line_tally_add(kept, b.data, b.len), SL_OK);
        sl_line_tally_free(t);
    }
    size_t sent = 0;
    for (int h = 0; h < 2; h++) {
        sli_buf_clear(&b);
        assert_int_equal(sl_line_counts_write_kept(half[h], kept, collect, &b), SL_OK);
        sent += pairs_in(&b);
        assert_int_equal(sl_line_counts_merge(merged, b.data, b.len), SL_OK);
    }
    /* the template's three articles fall 2 + 1 into the halves, the short line's four 2 + 2:
     * two pairs of the one and four of the other, nothing else */
    assert_int_equal(sent, 6);
    sli_buf_clear(&b);
    assert_int_equal(sl_line_counts_write_part(merged, 0, 1, 1, collect, &b), SL_OK);
    assert_int_equal(pairs_in(&b), 5);
    assert_int_equal(sl_line_counts_merge(final, b.data, b.len), SL_OK);

    sl_text_tools *t;
    assert_int_equal(sl_text_tools_create(&t), SL_OK);
    assert_cleans_alike(t, all, final, 0);

    /* A blob that is not one adds nothing. */
    sli_buf_clear(&rep);
    assert_int_equal(sl_line_tally_write_repeated(kept, collect, &rep), SL_OK);
    static const struct {
        const char *data;
        size_t len;
    } bad[] = {
        {"SLT", 3},                   /* no magic */
        {"SLT2\x05", 5},              /* another magic */
        {"SLT1\x04", 5},              /* no articles */
        {"SLT1\x15\x01", 6},          /* a key twice (5, then 5 + 0) */
        {"SLT1\x85", 5},              /* a varint cut short */
        {"SLT1\xfd\xff\xff\xff\x3f\x05", 10}, /* past 2^32 */
        {"SLT1\x17\x04", 6},        /* key 5 of 3 articles, then one of none */
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        assert_int_equal(sl_line_tally_add(kept, bad[k].data, bad[k].len), SL_ERR_INVALID);
        sli_buf_clear(&b);
        assert_int_equal(sl_line_tally_write_repeated(kept, collect, &b), SL_OK);
        assert_int_equal(b.len, rep.len);
        assert_memory_equal(b.data, rep.data, rep.len);
    }
    assert_int_equal(sl_line_tally_add(kept, "SLT1\x15\x05", 6), SL_OK); /* keys 5 and 6 */
    assert_int_equal(sl_line_tally_add(kept, "SLT1", 4), SL_OK);         /* no key */
    assert_int_equal(sl_line_counts_write_lines(all, 3, 3, collect, &b), SL_ERR_INVALID);
    assert_int_equal(sl_line_counts_write_kept(all, NULL, collect, &b), SL_ERR_INVALID);
    assert_int_equal(sl_line_tally_add(NULL, "SLT1", 4), SL_ERR_INVALID);
    sl_line_tally_free(NULL);
    sl_line_tally_free(kept);
    sl_text_tools_free(t);
    sli_buf_free(&b);
    sli_buf_free(&rep);
    for (int h = 0; h < 2; h++)
        sl_line_counts_free(half[h]);
    sl_line_counts_free(all);
    sl_line_counts_free(merged);
    sl_line_counts_free(final);
}

/* Pages of one site: a story, and an aside of long sentences that only the page's
 * structure marks as not the story (the text alone keeps it). */
static const char *const PAGE[] = {
    "<html><head><title>Ferry fares to rise in May</title><meta name=\"author\" "
    "content=\"Ana Varga\"><link rel=\"canonical\" href=\"https://ferry.example/1\">"
    "</head><body><article><h1>Ferry fares to rise in May</h1><p>The harbour board said on "
    "Monday that fares on every ferry line will rise by a tenth from the first of May, the "
    "first rise in four years.</p></article><aside><p>The mayor opened the new library on "
    "the market square with a reading for the children of the town.</p></aside></body></html>",
    "<html><head><title>Night buses return to the coast road</title>"
    "<meta property=\"article:published_time\" content=\"2024-04-02T08:00:00Z\">"
    "<link rel=\"canonical\" href=\"https://ferry.example/2\"></head><body><article><h1>"
    "Night buses return to the coast road</h1><p>Night buses will run again along the coast "
    "road from June, the transport office said, after a winter of closures for repairs.</p>"
    "</article><aside><p>Flood defences along the river front will be raised next year "
    "after the storms of spring, the council said on Friday.</p></aside></body></html>",
};

static int take_record(void *user, const void *record, size_t len)
{
    buf *all = user; /* each record as its length (8 bytes) and its bytes */
    uint64_t n = len;
    return sli_buf_append(all, &n, sizeof n) || sli_buf_append(all, record, len);
}

/* Records of pages cleaned (sl_write_record_clean) as the store cleans them: the text with
 * the page's structure hints, the title, date and byline the store gives, against counts
 * of the records (sl_line_counts_add_record); refused when not whole. */
static void test_records_clean_as_the_store(void **state)
{
    (void)state;
    char dir[64], db[128], pages[160];
    sl_store *st;
    assert_int_equal(scratch_store("text-records", dir, db, &st), 0);
    snprintf(pages, sizeof pages, "%s/pages", dir);
    assert_int_equal(mkdir(pages, 0700), 0);
    for (int i = 0; i < 2; i++) {
        char path[200];
        snprintf(path, sizeof path, "%s/p%d.html", pages, i);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(PAGE[i], f);
        fclose(f);
    }
    buf records;
    sli_buf_init(&records, BUF_UNLIMITED);
    assert_int_equal(sl_read_records(pages, NULL, take_record, &records, NULL), SL_OK);
    sl_line_counts *counts;
    assert_int_equal(sl_line_counts_create(&counts), SL_OK);
    sl_batch *bt;
    assert_int_equal(sl_batch_begin(st, NULL, &bt), SL_OK);
    int n = 0;
    for (size_t at = 0; at < records.len; n++) {
        uint64_t len;
        memcpy(&len, records.data + at, sizeof len);
        const char *rec = records.data + at + sizeof len;
        assert_int_equal(sl_line_counts_add_record(counts, rec, len), SL_OK);
        assert_int_equal(sl_batch_add_record(bt, rec, len), SL_OK);
        at += sizeof len + len;
    }
    assert_int_equal(n, 2);
    assert_int_equal(sl_batch_commit(bt, NULL), SL_OK);
    sl_batch_free(bt);
    sl_text_tools *t;
    assert_int_equal(sl_text_tools_create(&t), SL_OK);
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    for (size_t at = 0; at < records.len;) {
        uint64_t len;
        memcpy(&len, records.data + at, sizeof len);
        const char *rec = records.data + at + sizeof len;
        at += sizeof len + len;
        sli_buf_clear(&b);
        assert_int_equal(sl_write_record_clean(t, counts, rec, len, collect, &b), SL_OK);
        json_object *o = parsed(&b);
        sl_article *a;
        assert_int_equal(sl_store_get_article(st, str_of(o, "id"), SL_WITH_TEXT, &a), SL_OK);
        assert_string_equal(str_of(o, "text"), a->text);
        assert_string_equal(str_of(o, "title"), a->title);
        assert_string_equal(str_of(o, "source"), a->source);
        assert_string_equal(str_of(o, "origin"), a->origin);
        if (a->date)
            assert_string_equal(str_of(o, "date"), a->date);
        else
            assert_null(str_of(o, "date"));
        if (a->byline)
            assert_string_equal(str_of(o, "byline"), a->byline);
        else
            assert_null(str_of(o, "byline"));
        assert_null(strstr(a->text, "mayor"));
        assert_null(strstr(a->text, "council"));
        const char *id = str_of(o, "id");
        if (!strcmp(id, "p0.html"))
            assert_string_equal(a->byline, "Ana Varga"); /* the page's author */
        else
            assert_non_null(a->date); /* the page's date */
        /* the same record without counts: cleaned alike here (one article a line) */
        sli_buf_clear(&b);
        assert_int_equal(sl_write_record_clean(t, NULL, rec, len, collect, &b), SL_OK);
        json_object *alone = parsed(&b);
        assert_string_equal(str_of(alone, "text"), a->text);
        json_object_put(alone);
        /* a record cut short, or a blob that is not one: refused */
        assert_int_equal(sl_write_record_clean(t, counts, rec, len - 1, collect, &b),
                         SL_ERR_INVALID);
        assert_int_equal(sl_line_counts_add_record(counts, rec, len - 1), SL_ERR_INVALID);
        json_object_put(o);
        sl_article_free(a);
    }
    /* the text alone, cleaned without the page's structure, keeps the asides */
    sli_buf_clear(&b);
    sl_article *a;
    assert_int_equal(sl_store_get_article(st, "p0.html", SL_WITH_RAW, &a), SL_OK);
    assert_int_equal(sl_write_text_clean(t, a->raw, strlen(a->raw), NULL, collect, &b), SL_OK);
    json_object *o = parsed(&b);
    assert_non_null(strstr(str_of(o, "text"), "mayor"));
    json_object_put(o);
    sl_article_free(a);
    /* counts that never saw the record's source */
    sl_line_counts *other;
    assert_int_equal(sl_line_counts_create(&other), SL_OK);
    uint64_t len;
    memcpy(&len, records.data, sizeof len);
    assert_int_equal(sl_write_record_clean(t, other, records.data + sizeof len, len, collect, &b),
                     SL_ERR_NOT_FOUND);
    assert_int_equal(sl_write_record_clean(t, NULL, "SLR9", 4, collect, &b), SL_ERR_INVALID);
    /* records a batch would not store: refused here as sl_batch_add_record skips them */
    const struct {
        ingest_record r;
        sl_error want;
    } bad[] = {
        {{.id = "r1", .text = "", .text_len = 0, .path = "p"}, SL_ERR_EMPTY},
        {{.id = "r2", .text = "Text.", .text_len = 5, .meta = "[1]", .path = "p"},
         SL_ERR_INVALID},
        {{.id = "", .text = "Text.", .text_len = 5, .path = "p"}, SL_ERR_INVALID},
        {{.id = "r4", .text = "Text.", .text_len = 5, .date = "yesterday", .path = "p"},
         SL_ERR_INVALID},
        {{.id = "r5", .text = "Text.", .text_len = 5, .title = "caf\xc3", .path = "p"},
         SL_ERR_UTF8},
    };
    buf packed;
    sli_buf_init(&packed, BUF_UNLIMITED);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(sli_record_pack(&bad[i].r, &packed), SL_OK);
        assert_int_equal(sl_write_record_clean(t, NULL, packed.data, packed.len, collect, &b),
                         bad[i].want);
        assert_int_equal(sl_write_record_fields(t, packed.data, packed.len, collect, &b),
                         bad[i].want);
    }
    sli_buf_free(&packed);
    sl_line_counts_free(other);
    sl_line_counts_free(counts);
    sl_text_tools_free(t);
    sli_buf_free(&b);
    sli_buf_free(&records);
    sl_store_free(st);
    remove_tree(dir);
}

static void test_errors(void **state)
{
    (void)state;
    sl_text_tools_free(NULL);
    assert_int_equal(sl_text_tools_create(NULL), SL_ERR_INVALID);
    sl_text_tools *t;
    assert_int_equal(sl_text_tools_create(&t), SL_OK);
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(sl_write_text_clean(NULL, "x", 1, NULL, collect, &b), SL_ERR_INVALID);
    assert_int_equal(sl_write_text_sketch(t, "x", 1, NULL, NULL), SL_ERR_INVALID);
    assert_int_equal(sl_write_text_facts(t, NULL, NULL, 3, NULL, collect, &b), SL_ERR_INVALID);
    const char bad[] = "caf\xc3 au lait";
    assert_int_equal(sl_write_text_clean(t, bad, strlen(bad), NULL, collect, &b), SL_ERR_UTF8);
    assert_int_equal(sl_write_text_features(t, bad, "ok", 2, collect, &b), SL_ERR_UTF8);
    assert_int_equal(sl_write_text_facts(t, NULL, "ok", 2, bad, collect, &b), SL_ERR_UTF8);
    const char nul[] = "a\0b";
    assert_int_equal(sl_write_text_clean(t, nul, 3, NULL, collect, &b), SL_ERR_BINARY);
    assert_int_equal(sl_write_text_sketch(t, nul, 3, collect, &b), SL_ERR_BINARY);
    size_t big = ((size_t)64 << 20) + 1;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, 'a', big);
    assert_int_equal(sl_write_text_facts(t, NULL, huge, big, NULL, collect, &b), SL_ERR_TOO_BIG);
    free(huge);
    assert_int_equal(b.len, 0); /* nothing written for a refused text */
    assert_int_equal(sl_write_text_sketch(t, "a b c", 5, refuse, NULL), SL_ERR_WRITE);
    /* an empty text is a text: no lines, no keys but its bands */
    assert_int_equal(sl_write_text_clean(t, "", 0, NULL, collect, &b), SL_OK);
    json_object *o = parsed(&b);
    assert_string_equal(str_of(o, "text"), "");
    assert_null(str_of(o, "title"));
    json_object_put(o);
    sli_buf_free(&b);
    sl_text_tools_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),    cmocka_unit_test(test_sketch),
        cmocka_unit_test(test_features), cmocka_unit_test(test_facts),
        cmocka_unit_test(test_same_as_batch), cmocka_unit_test(test_compare_as_the_batch), cmocka_unit_test(test_counted_as_a_batch),
        cmocka_unit_test(test_counted_in_parts), cmocka_unit_test(test_counted_in_two_rounds),
        cmocka_unit_test(test_records_clean_as_the_store), cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
