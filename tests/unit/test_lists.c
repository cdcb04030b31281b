/* test_lists.c — pages of the lists (bounds, totals, a page is the slice of the whole
 * list), the event timeline (an origin stored after its copy, an undated copy), quotes'
 * "printed", a storyline's timeline, full-text search (ranking, snippet marks, hostile
 * queries) and the search index built for a store made before it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "core/buf.h"
#include "scratch.h"
#include "store/store_impl.h"
#include "storyline.h"

static int to_buf(void *user, const char *data, size_t len)
{
    return sli_buf_append(user, data, len) != SL_OK;
}

typedef struct art {
    const char *id, *source, *date, *title, *text;
} art;

static void add(sl_store *st, const art *a, size_t n)
{
    sl_batch *b;
    assert_int_equal(sl_batch_begin(st, NULL, &b), SL_OK);
    for (size_t i = 0; i < n; i++) {
        sl_article_input in = {a[i].id, a[i].source, NULL, a[i].date, a[i].title, a[i].text, 0};
        assert_int_equal(sl_batch_add_article(b, &in), SL_OK);
    }
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
}

/* A word of topic `topic`: its own vocabulary (syllables picked by a small hash). */
static void word(buf *out, int topic, int k)
{
    static const char *const syl[] = {"ka", "lo", "mir", "ten", "vos", "dra", "pel", "sun",
                                      "gor", "bel", "tri", "nas", "vel", "ro", "zan", "qui"};
    unsigned h = (unsigned)(topic * 7919 + k * 104729) * 2654435761u;
    for (int i = 0; i < 3; i++, h >>= 4)
        sli_buf_puts(out, syl[h & 15]);
}

/* A text of topic `topic`: articles of one topic share most of their words; variant
 * `variant` changes a few. */
static void topic_text(buf *out, int topic, int variant)
{
    for (int k = 0; k < 60; k++) {
        int changed = k % 9 == 4;
        word(out, topic, changed ? k + 100 * variant : k % 23);
        sli_buf_puts(out, k % 10 == 9 ? ". " : " ");
    }
    sli_buf_puts(out, "\"We will not give up on ");
    word(out, topic, 3);
    sli_buf_puts(out, " or the river,\" said Mayor ");
    size_t at = out->len;
    word(out, topic, 200);
    out->data[at] = (char)(out->data[at] - 'a' + 'A');
    sli_buf_puts(out, ".");
}

/* A store of `topics` topics, each told by three outlets on two days. */
static sl_store *topic_store(const char *name, char dir[64], char db[128], int topics)
{
    sl_store *st;
    assert_int_equal(scratch_store(name, dir, db, &st), 0);
    art *a = calloc((size_t)topics * 3, sizeof *a);
    buf *texts = calloc((size_t)topics * 3, sizeof *texts);
    char(*ids)[32] = calloc((size_t)topics * 3, sizeof *ids);
    char(*dates)[32] = calloc((size_t)topics * 3, sizeof *dates);
    char(*titles)[64] = calloc((size_t)topics * 3, sizeof *titles);
    static const char *const sources[] = {"one.example", "two.example", "three.example"};
    /* a topic's third article copies its first (a family); topics t and t + 1 (t odd)
     * share their words, three months apart (a storyline, when the clustering links
     * them) */
    for (int t = 0; t < topics; t++)
        for (int v = 0; v < 3; v++) {
            int i = t * 3 + v;
            sli_buf_init(&texts[i], BUF_UNLIMITED);
            topic_text(&texts[i], t % 2 ? t - 1 : t, (v == 2 ? 0 : v) + 3 * (t % 2));
            snprintf(ids[i], sizeof ids[i], "t%d-%d", t, v);
            snprintf(dates[i], sizeof dates[i], "2024-%02d-%02d", 1 + (t / 2) % 4 + 4 * (t % 2),
                     1 + v % 2 + t / 8);
            snprintf(titles[i], sizeof titles[i], "Topic%dtown story %d", t, v);
            a[i] = (art){ids[i], sources[v], dates[i], titles[i], sli_buf_str(&texts[i])};
        }
    add(st, a, (size_t)topics * 3);
    for (int i = 0; i < topics * 3; i++)
        sli_buf_free(&texts[i]);
    free(a);
    free(texts);
    free(ids);
    free(dates);
    free(titles);
    return st;
}

/* A list page as a parsed JSON array (with its total). */
static json_object *page(sl_store *st, sl_list what, const char *event, long long offset,
                         long long limit, long long *total)
{
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    sl_range r = {offset, limit, -1};
    assert_int_equal(sl_write_list(st, what, event, &r, to_buf, &b), SL_OK);
    json_object *o = json_tokener_parse(sli_buf_str(&b));
    sli_buf_free(&b);
    assert_non_null(o);
    assert_true(json_object_is_type(o, json_type_array));
    if (total)
        *total = r.total;
    return o;
}

static const char *get(json_object *o, const char *key);

static void check_pages(sl_store *st, sl_list what, const char *event, size_t min_items)
{
    long long total;
    json_object *all = page(st, what, event, 0, 0, &total);
    size_t n = json_object_array_length(all);
    assert_int_equal((long long)n, total);
    assert_true(n >= min_items);
    for (long long limit = 1; limit <= 4; limit += 3)
        for (long long off = 0; off <= (long long)n + 1; off += limit) {
            long long t2;
            json_object *p = page(st, what, event, off, limit, &t2);
            assert_int_equal(t2, total);
            size_t want = off >= (long long)n ? 0
                          : (size_t)(off + limit <= (long long)n ? limit : (long long)n - off);
            assert_int_equal(json_object_array_length(p), want);
            for (size_t i = 0; i < want; i++) {
                const char *x = json_object_to_json_string(json_object_array_get_idx(p, i));
                const char *y = json_object_to_json_string(
                    json_object_array_get_idx(all, (size_t)off + i));
                assert_string_equal(x, y);
            }
            json_object_put(p);
        }
    /* far past the end: an empty array, the total still given */
    json_object *p = page(st, what, event, total + 1000, 50, &total);
    assert_int_equal(json_object_array_length(p), 0);
    assert_int_equal((long long)n, total);
    json_object_put(p);
    json_object_put(all);
}

static void test_pages(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st = topic_store("lists", dir, db, 8);
    check_pages(st, SL_LIST_EVENTS, NULL, 2);
    check_pages(st, SL_LIST_ARTICLES, NULL, 24);
    check_pages(st, SL_LIST_FAMILIES, NULL, 1);
    check_pages(st, SL_LIST_STORYLINES, NULL, 0);
    check_pages(st, SL_LIST_QUOTES, NULL, 1);
    /* one event's quotes */
    json_object *evs = page(st, SL_LIST_EVENTS, NULL, 0, 1, NULL);
    check_pages(st, SL_LIST_QUOTES, get(json_object_array_get_idx(evs, 0), "id"), 1);
    json_object_put(evs);

    /* the whole list through sl_write_list is sl_write_events' */
    buf a, b;
    sli_buf_init(&a, BUF_UNLIMITED);
    sli_buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(sl_write_events(st, to_buf, &a), SL_OK);
    assert_int_equal(sl_write_list(st, SL_LIST_EVENTS, NULL, NULL, to_buf, &b), SL_OK);
    assert_string_equal(sli_buf_str(&a), sli_buf_str(&b));
    sli_buf_clear(&a);
    sli_buf_clear(&b);
    /* and a range with no limit gives the same objects */
    sl_range all = {0, 0, 0};
    assert_int_equal(sl_write_list(st, SL_LIST_EVENTS, NULL, &all, to_buf, &b), SL_OK);
    assert_int_equal(sl_write_events(st, to_buf, &a), SL_OK);
    json_object *x = json_tokener_parse(sli_buf_str(&a)), *y = json_tokener_parse(sli_buf_str(&b));
    assert_string_equal(json_object_to_json_string(x), json_object_to_json_string(y));
    json_object_put(x);
    json_object_put(y);

    /* One more, dated among the others: its rows in the recent tables of the date order
     * (under a sixteenth of the store: article_keys.c), a page walks both */
    sli_buf_clear(&a);
    topic_text(&a, 3, 1);
    art late = {"late-1", "two.example", "2024-02-01", "A later story", sli_buf_str(&a)};
    add(st, &late, 1);
    check_pages(st, SL_LIST_ARTICLES, NULL, 25);

    /* bad arguments */
    sl_range bad = {-1, 10, 0};
    assert_int_equal(sl_write_list(st, SL_LIST_EVENTS, NULL, &bad, to_buf, &b), SL_ERR_INVALID);
    assert_int_equal(sl_write_list(st, SL_LIST_EVENTS, "E1", NULL, to_buf, &b), SL_ERR_INVALID);
    assert_int_equal(sl_write_list(st, (sl_list)99, NULL, NULL, to_buf, &b), SL_ERR_INVALID);
    assert_int_equal(sl_write_list(st, SL_LIST_QUOTES, "E99999", NULL, to_buf, &b),
                     SL_ERR_NOT_FOUND);
    assert_int_equal(sl_write_list(st, SL_LIST_QUOTES, "nonsense", NULL, to_buf, &b),
                     SL_ERR_NOT_FOUND);
    sli_buf_free(&a);
    sli_buf_free(&b);
    sl_store_free(st);
    remove_tree(dir);
}

/* --- timeline, quotes printed, storyline --- */

static const char story[] =
    "The council of Brenmouth voted on Tuesday to close the old Harrow bridge after "
    "inspectors found deep cracks in two of its stone piers. \"We will rebuild the bridge "
    "before the spring floods arrive,\" said Mayor Anna Kestrel, who called the decision "
    "painful but necessary for the safety of every family in the valley. Traffic will be "
    "sent along the river road for at least six months while engineers draw up plans. "
    "Shop owners near the bridge said they feared a hard winter without passing trade. "
    "The council will meet again next month to approve the budget for the new crossing, "
    "which officials expect to cost about twelve million crowns.";

static json_object *event_json(sl_store *st, const char *id)
{
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(sl_write_event(st, id, to_buf, &b), SL_OK);
    json_object *o = json_tokener_parse(sli_buf_str(&b));
    sli_buf_free(&b);
    assert_non_null(o);
    return o;
}

static const char *get(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
        return NULL;
    return json_object_get_string(v);
}

typedef struct seen_event {
    char id[32];
    char relations[8][16];
    char articles[8][32];
    size_t n;
} seen_event;

static int take_event(void *user, const sl_event *e)
{
    seen_event *s = user;
    snprintf(s->id, sizeof s->id, "%s", e->id);
    s->n = e->n;
    for (size_t i = 0; i < e->n && i < 8; i++) {
        snprintf(s->relations[i], 16, "%s", e->relations[i] ? e->relations[i] : "-");
        snprintf(s->articles[i], 32, "%s", e->articles[i]);
    }
    return 1;
}

static void test_timeline(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("timeline", dir, db, &st), 0);
    /* The copy is stored first (a smaller rid), on the origin's day; the origin (the
     * longest text of that day) comes in a later batch, with an undated copy. */
    size_t cut = strlen(story) - strlen(" which officials expect to cost about twelve million "
                                          "crowns.");
    char shorter[sizeof story];
    memcpy(shorter, story, cut);
    memcpy(shorter + cut, ".", 2);
    art first[] = {{"copy-early", "copies.example", "2024-03-15", "Harrow bridge closed", shorter}};
    add(st, first, 1);
    art second[] = {
        {"the-origin", "origin.example", "2024-03-15", "Brenmouth closes Harrow bridge", story},
        {"undated-copy", "undated.example", NULL, "Bridge closed", story},
        {"later-copy", "later.example", "2024-03-17", "Harrow bridge shut", story}};
    add(st, second, 3);

    seen_event ev = {0};
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    sl_range r = {0, 1, 0};
    assert_int_equal(sl_write_list(st, SL_LIST_EVENTS, NULL, &r, to_buf, &b), SL_OK);
    assert_int_equal(r.total, 1);
    assert_int_equal(sl_store_each_event(st, take_event, &ev), SL_OK);
    assert_int_equal(ev.n, 4);
    /* the origin first although stored after the copy of its day; the undated last */
    assert_string_equal(ev.articles[0], "the-origin");
    assert_string_equal(ev.relations[0], "origin");
    assert_string_equal(ev.articles[1], "copy-early");
    assert_string_equal(ev.relations[1], "copy");
    assert_string_equal(ev.articles[2], "later-copy");
    assert_string_equal(ev.relations[2], "copy");
    assert_string_equal(ev.articles[3], "undated-copy");

    json_object *e = event_json(st, ev.id), *tl, *arts;
    assert_true(json_object_object_get_ex(e, "timeline", &tl));
    assert_true(json_object_object_get_ex(e, "articles", &arts));
    assert_int_equal(json_object_array_length(tl), 4);
    static const char *const want_dates[] = {"2024-03-15", "2024-03-15", "2024-03-17", NULL};
    const char *family = get(json_object_array_get_idx(tl, 0), "family");
    assert_non_null(family);
    for (size_t i = 0; i < 4; i++) {
        json_object *t = json_object_array_get_idx(tl, i);
        assert_string_equal(get(t, "article"), ev.articles[i]);
        assert_string_equal(get(t, "article"),
                            json_object_get_string(json_object_array_get_idx(arts, i)));
        assert_string_equal(get(t, "relation"), ev.relations[i]);
        assert_string_equal(get(t, "family"), family);
        if (want_dates[i])
            assert_string_equal(get(t, "date"), want_dates[i]);
        else
            assert_null(get(t, "date"));
    }
    assert_string_equal(get(json_object_array_get_idx(tl, 0), "source"), "origin.example");

    /* the quote: printed by all four, earliest first, undated last */
    json_object *q = page(st, SL_LIST_QUOTES, ev.id, 0, 10, NULL), *vars, *printed = NULL;
    int found = 0;
    for (size_t i = 0; i < json_object_array_length(q); i++) {
        json_object *one = json_object_array_get_idx(q, i);
        if (!strstr(get(one, "text"), "rebuild the bridge"))
            continue;
        found = 1;
        assert_true(json_object_object_get_ex(one, "variants", &vars));
        size_t total = 0;
        for (size_t v = 0; v < json_object_array_length(vars); v++) {
            assert_true(json_object_object_get_ex(json_object_array_get_idx(vars, v), "printed",
                                                  &printed));
            const char *prev = "";
            for (size_t k = 0; k < json_object_array_length(printed); k++) {
                json_object *p = json_object_array_get_idx(printed, k);
                assert_non_null(get(p, "article"));
                assert_non_null(get(p, "source"));
                const char *d = get(p, "date") ? get(p, "date") : "9999";
                assert_true(strcmp(prev, d) <= 0); /* earliest first */
                prev = d;
                total++;
            }
        }
        assert_int_equal(total, 4);
    }
    assert_true(found);
    json_object_put(q);

    /* the storyline of a single event: its timeline of one */
    char sl[32];
    snprintf(sl, sizeof sl, "%s", get(e, "storyline"));
    sli_buf_clear(&b);
    assert_int_equal(sl_write_storyline(st, sl, to_buf, &b), SL_OK);
    json_object *s = json_tokener_parse(sli_buf_str(&b));
    assert_non_null(s);
    assert_string_equal(get(s, "id"), sl);
    assert_true(json_object_object_get_ex(s, "timeline", &tl));
    assert_int_equal(json_object_array_length(tl), 1);
    json_object *t0 = json_object_array_get_idx(tl, 0), *cnt;
    assert_string_equal(get(t0, "event"), ev.id);
    assert_string_equal(get(t0, "date_first"), "2024-03-15");
    assert_string_equal(get(t0, "date_last"), "2024-03-17");
    assert_string_equal(get(t0, "headline"), get(e, "headline"));
    assert_true(json_object_object_get_ex(t0, "articles", &cnt));
    assert_int_equal(json_object_get_int(cnt), 4);
    json_object_put(s);
    json_object_put(e);
    sli_buf_clear(&b);
    assert_int_equal(sl_write_storyline(st, "S999999", to_buf, &b), SL_ERR_NOT_FOUND);
    assert_int_equal(sl_write_storyline(st, "S", to_buf, &b), SL_ERR_NOT_FOUND);
    assert_int_equal(sl_write_storyline(st, "E1x", to_buf, &b), SL_ERR_NOT_FOUND);
    assert_int_equal(b.len, 0);
    sli_buf_free(&b);
    sl_store_free(st);
    remove_tree(dir);
}

/* A storyline of two events: its timeline in date order. */
static void test_storyline_timeline(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st = topic_store("storyline", dir, db, 14);
    long long total;
    json_object *all = page(st, SL_LIST_STORYLINES, NULL, 0, 0, &total);
    /* whatever the clustering made: each storyline's timeline is in date order and
     * counts its events' articles; sl_write_storyline gives the list's object */
    for (size_t i = 0; i < json_object_array_length(all); i++) {
        json_object *s = json_object_array_get_idx(all, i), *tl, *evs;
        assert_true(json_object_object_get_ex(s, "timeline", &tl));
        assert_true(json_object_object_get_ex(s, "events", &evs));
        assert_int_equal(json_object_array_length(tl), json_object_array_length(evs));
        assert_true(json_object_array_length(tl) >= 2);
        const char *prev = "";
        for (size_t k = 0; k < json_object_array_length(tl); k++) {
            const char *d = get(json_object_array_get_idx(tl, k), "date_first");
            assert_true(strcmp(prev, d ? d : "9999") <= 0);
            prev = d ? d : "9999";
        }
        buf b;
        sli_buf_init(&b, BUF_UNLIMITED);
        assert_int_equal(sl_write_storyline(st, get(s, "id"), to_buf, &b), SL_OK);
        json_object *one = json_tokener_parse(sli_buf_str(&b));
        assert_string_equal(json_object_to_json_string(one), json_object_to_json_string(s));
        json_object_put(one);
        sli_buf_free(&b);
    }
    json_object_put(all);
    /* every event's storyline can be read, a single-event one too */
    json_object *evs = page(st, SL_LIST_EVENTS, NULL, 0, 0, NULL);
    for (size_t i = 0; i < json_object_array_length(evs); i++) {
        buf b;
        sli_buf_init(&b, BUF_UNLIMITED);
        assert_int_equal(
            sl_write_storyline(st, get(json_object_array_get_idx(evs, i), "storyline"), to_buf,
                               &b),
            SL_OK);
        sli_buf_free(&b);
    }
    json_object_put(evs);
    sl_store_free(st);
    remove_tree(dir);
}

/* --- search --- */

typedef struct hits {
    char ids[16][32];
    char snippet[16][512];
    int event[16];
    size_t n;
} hits;

static int take_hit(void *user, const sl_hit *h)
{
    hits *x = user;
    if (x->n < 16) {
        snprintf(x->ids[x->n], 32, "%s", h->id);
        snprintf(x->snippet[x->n], 512, "%s", h->snippet);
        x->event[x->n] = h->event != NULL;
        x->n++;
    }
    return 0;
}

static sl_store *search_store(char dir[64], char db[128])
{
    sl_store *st;
    assert_int_equal(scratch_store("search", dir, db, &st), 0);
    art a[] = {
        {"in-text", "a.example", "2024-05-01", "Harbour news of the week",
         "Fishermen in the north spoke of the zephyrine winds that blew all week along the "
         "coast, keeping boats in the harbour and markets empty."},
        {"in-title", "b.example", "2024-05-02", "Zephyrine winds close the harbour",
         "Boats stayed in port all week as strong winds kept the fleet at home and the "
         "market stalls stood empty along the quay."},
        {"accents", "c.example", "2024-05-03", "Caf\xC3\xA9 reopens",
         "The old caf\xC3\xA9 on the square reopened on Monday after a long renovation, its "
         "owner said, with a new terrace and a larger kitchen."},
        {"hostile", "d.example", "2024-05-04", "Quotes \"and\" stars * here",
         "A text with NEAR( and AND OR NOT and col: and ^ and (((unbalanced in it, to be "
         "found as words and never read as search syntax by the index."},
    };
    add(st, a, sizeof a / sizeof a[0]);
    return st;
}

static void test_search(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st = search_store(dir, db);
    hits h = {0};
    sl_range r = {0, 10, 0};
    assert_int_equal(sl_store_search(st, "zephyrine", &r, take_hit, &h), SL_OK);
    assert_int_equal(r.total, 2);
    assert_int_equal(h.n, 2);
    assert_string_equal(h.ids[0], "in-title"); /* a title match ranks first */
    assert_string_equal(h.ids[1], "in-text");
    assert_non_null(strstr(h.snippet[1], "\x02zephyrine\x03"));
    assert_true(h.event[0] && h.event[1]);
    /* both words, in any case, accents aside */
    memset(&h, 0, sizeof h);
    assert_int_equal(sl_store_search(st, "ZEPHYRINE   Fishermen", &r, take_hit, &h), SL_OK);
    assert_int_equal(h.n, 1);
    assert_string_equal(h.ids[0], "in-text");
    memset(&h, 0, sizeof h);
    assert_int_equal(sl_store_search(st, "cafe", &r, take_hit, &h), SL_OK);
    assert_int_equal(h.n, 1);
    assert_string_equal(h.ids[0], "accents");
    /* a page */
    memset(&h, 0, sizeof h);
    sl_range second = {1, 1, 0};
    assert_int_equal(sl_store_search(st, "zephyrine", &second, take_hit, &h), SL_OK);
    assert_int_equal(second.total, 2);
    assert_int_equal(h.n, 1);
    assert_string_equal(h.ids[0], "in-text");
    /* JSON: the marks escaped */
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(sl_write_search(st, "fishermen", NULL, to_buf, &b), SL_OK);
    assert_non_null(strstr(sli_buf_str(&b), "\\u0002Fishermen\\u0003"));
    assert_non_null(strstr(sli_buf_str(&b), "\"rank\""));
    sli_buf_clear(&b);
    assert_int_equal(sl_write_search(st, "\"", NULL, to_buf, &b), SL_ERR_INVALID);
    assert_int_equal(b.len, 0);
    sli_buf_free(&b);

    /* hostile queries: hits or SL_ERR_INVALID, never an SQL or FTS error */
    char big[10 * 1024 + 1];
    memset(big, 'a', sizeof big - 1);
    for (size_t i = 5; i < sizeof big - 1; i += 6)
        big[i] = ' ';
    big[sizeof big - 1] = '\0';
    char many[33 * 3 + 1] = "";
    for (int i = 0; i < 33; i++)
        strcat(many, "ab ");
    static const struct {
        const char *q;
        int valid; /* 1: SL_OK, 0: SL_ERR_INVALID */
        int min_hits;
    } table[] = {
        {"\"", 0, 0},         {"*", 0, 0},          {"NEAR(", 1, 1},
        {"AND OR NOT", 1, 1}, {"col:", 1, 1},       {"^", 0, 0},
        {"(((", 0, 0},        {"(((unbalanced", 1, 1}, {"", 0, 0},
        {"   \t\n ", 0, 0},   {"!!! ... ,,, ;;", 0, 0}, {"title:zephyrine", 1, 0},
        {"text:", 1, 0},      {"zeph*", 1, 0},      {"\"and\"", 1, 1},
        {"a\"b", 1, 0},       {"- NOT zephyrine", 1, 0}, {"'; DROP TABLE articles; --", 1, 0},
        {"\xff\xfe", 0, 0},   {"\xE2\x80\x94", 0, 0}, {"NEAR(zephyrine winds, 2)", 1, 0},
        {"{title text}: x", 1, 0},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        memset(&h, 0, sizeof h);
        sl_range rr = {0, 10, 0};
        sl_error err = sl_store_search(st, table[i].q, &rr, take_hit, &h);
        if (err != (table[i].valid ? SL_OK : SL_ERR_INVALID))
            fail_msg("query [%s]: %s (%s)", table[i].q, sl_strerror(err), sl_store_errmsg(st));
        if ((long long)h.n < table[i].min_hits)
            fail_msg("query [%s]: %zu hits", table[i].q, h.n);
    }
    assert_int_equal(sl_store_search(st, big, NULL, take_hit, &h), SL_ERR_INVALID);
    assert_int_equal(sl_store_search(st, many, NULL, take_hit, &h), SL_ERR_INVALID);
    many[32 * 3] = '\0'; /* 32 words: taken */
    assert_int_equal(sl_store_search(st, many, NULL, take_hit, &h), SL_OK);
    assert_int_equal(sl_store_search(st, NULL, NULL, take_hit, &h), SL_ERR_INVALID);
    /* the store still answers */
    memset(&h, 0, sizeof h);
    assert_int_equal(sl_store_search(st, "zephyrine", NULL, take_hit, &h), SL_OK);
    assert_int_equal(h.n, 2);
    sl_store_free(st);
    remove_tree(dir);
}

/* Ranking: a word in the title ranks above the same word once deep in a text; of two
 * words, the rarer weighs more; the snippet of a deep match is a window cut on both sides
 * around it. And what a handle keeps of words' counts follows the store: its own writes
 * and another connection's. */
static void filler(char *out, size_t size, int words, int seed)
{
    static const char *const w[] = {"river", "market", "council", "weather", "road",
                                    "school", "bridge", "garden", "evening", "station",
                                    "letter", "window", "museum", "autumn", "village"};
    out[0] = '\0';
    for (int i = 0; i < words; i++) {
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%s", i ? " " : "", w[(i * 7 + seed) % 15]);
    }
}

static void test_search_ranking(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("rank", dir, db, &st), 0);
    static char text[40][2048];
    static char ids[40][16];
    art a[40];
    size_t n = 0;
    /* the title against once deep in a long text */
    filler(text[n], sizeof text[n], 150, 1);
    strcat(text[n], " quillwort ");
    filler(text[n] + strlen(text[n]), sizeof text[n] - strlen(text[n]), 40, 2);
    a[n] = (art){"deep", "a.example", "2024-05-02", "Weekly digest of the valley", text[n]};
    n++;
    filler(text[n], sizeof text[n], 190, 3);
    a[n] = (art){"titled", "b.example", "2024-05-01", "Quillwort found on the moor", text[n]};
    n++;
    /* a rare word three times and a common one once, against the reverse */
    filler(text[n], sizeof text[n], 60, 4);
    strcat(text[n], " quokka quokka quokka harbour");
    a[n] = (art){"rare-thrice", "c.example", "2024-05-03", "Notes from the coast", text[n]};
    n++;
    filler(text[n], sizeof text[n], 60, 4);
    strcat(text[n], " harbour harbour harbour quokka");
    a[n] = (art){"common-thrice", "d.example", "2024-05-04", "Notes from the shore", text[n]};
    n++;
    for (int i = 0; n < 40; i++, n++) { /* harbour in 8 more, of 40 */
        filler(text[n], sizeof text[n], 50, 5 + i);
        if (i < 8)
            strcat(text[n], " by the harbour");
        snprintf(ids[n], sizeof ids[n], "other-%d", i);
        a[n] = (art){ids[n], "e.example", "2024-04-01", "Other news", text[n]};
    }
    add(st, a, n);

    hits h = {0};
    sl_range r = {0, 10, 0};
    assert_int_equal(sl_store_search(st, "quillwort", &r, take_hit, &h), SL_OK);
    assert_int_equal(r.total, 2);
    assert_string_equal(h.ids[0], "titled");
    assert_string_equal(h.ids[1], "deep");
    /* the deep match's window: cut before and after, the word marked inside */
    assert_non_null(strstr(h.snippet[1], "\x02quillwort\x03"));
    assert_memory_equal(h.snippet[1], "\xE2\x80\xA6", 3);
    assert_non_null(strstr(h.snippet[1] + 3, "\xE2\x80\xA6"));
    assert_true(strlen(h.snippet[1]) < 200);
    /* the title's snippet is the title, marked */
    assert_string_equal(h.snippet[0], "\x02Quillwort\x03 found on the moor");

    memset(&h, 0, sizeof h);
    assert_int_equal(sl_store_search(st, "harbour quokka", &r, take_hit, &h), SL_OK);
    assert_int_equal(r.total, 2);
    assert_string_equal(h.ids[0], "rare-thrice"); /* quokka: 2 of 40 articles; harbour 10 */
    assert_string_equal(h.ids[1], "common-thrice");
    assert_non_null(strstr(h.snippet[0], "\x02quokka\x03 \x02quokka\x03 \x02quokka\x03 "
                                         "\x02harbour\x03"));

    /* counts follow the store: this handle's writes, then another connection's */
    sl_store *reader;
    assert_int_equal(sl_store_open(db, SL_OPEN_READONLY, &reader), SL_OK);
    sl_range rr = {0, 10, 0};
    assert_int_equal(sl_store_search(reader, "quillwort", &rr, take_hit, &h), SL_OK);
    assert_int_equal(rr.total, 2);
    art more[] = {{"more", "f.example", "2024-06-01", "Quillwort again", "It grew back."}};
    add(st, more, 1);
    memset(&h, 0, sizeof h);
    assert_int_equal(sl_store_search(st, "quillwort", &r, take_hit, &h), SL_OK);
    assert_int_equal(r.total, 3);
    memset(&h, 0, sizeof h);
    assert_int_equal(sl_store_search(reader, "quillwort", &rr, take_hit, &h), SL_OK);
    assert_int_equal(rr.total, 3);
    assert_string_equal(h.ids[2], "deep");
    sl_store_free(reader);
    sl_store_free(st);
    remove_tree(dir);
}

/* A store made before the search index: a read-only open cannot search (and says what
 * to do) but reads the rest; the next writable open builds the index from its articles. */
static void test_search_migration(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st = search_store(dir, db);
    assert_int_equal(sli_store_exec(st, "DROP TRIGGER articles_fts_gone;"
                                        "DROP TRIGGER articles_fts_change;"
                                        "DROP TABLE articles_fts;"),
                     SL_OK);
    sl_store_free(st);

    assert_int_equal(sl_store_open(db, SL_OPEN_READONLY, &st), SL_OK);
    hits h = {0};
    assert_int_equal(sl_store_search(st, "zephyrine", NULL, take_hit, &h), SL_ERR_UNSUPPORTED);
    assert_non_null(strstr(sl_store_errmsg(st), "storyline add"));
    assert_non_null(strstr(sl_store_errmsg(st), "search-index on"));
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(sl_write_search(st, "zephyrine", NULL, to_buf, &b), SL_ERR_UNSUPPORTED);
    assert_int_equal(b.len, 0);
    sl_range r = {0, 10, 0};
    assert_int_equal(sl_write_list(st, SL_LIST_EVENTS, NULL, &r, to_buf, &b), SL_OK);
    assert_true(r.total >= 1);
    sli_buf_free(&b);
    sl_store_free(st);

    assert_int_equal(sl_store_open(db, 0, &st), SL_OK); /* builds it */
    sl_store_free(st);
    assert_int_equal(sl_store_open(db, SL_OPEN_READONLY, &st), SL_OK);
    memset(&h, 0, sizeof h);
    assert_int_equal(sl_store_search(st, "zephyrine", NULL, take_hit, &h), SL_OK);
    assert_int_equal(h.n, 2);
    assert_string_equal(h.ids[0], "in-title");
    sl_store_free(st);

    /* and it is kept from then on: a new article is found, a changed one too */
    assert_int_equal(sl_store_open(db, 0, &st), SL_OK);
    art more[] = {{"later", "e.example", "2024-06-01", "More zephyrine weather",
                   "Another week of strong weather on the coast kept the boats at home."}};
    add(st, more, 1);
    memset(&h, 0, sizeof h);
    assert_int_equal(sl_store_search(st, "zephyrine", NULL, take_hit, &h), SL_OK);
    assert_int_equal(h.n, 3);
    assert_int_equal(sl_store_reclean(st, NULL, NULL, NULL), SL_OK);
    memset(&h, 0, sizeof h);
    assert_int_equal(sl_store_search(st, "zephyrine", NULL, take_hit, &h), SL_OK);
    assert_int_equal(h.n, 3);
    sl_store_free(st);
    remove_tree(dir);
}

/* One event's headline and summary are found by its key, not by reading every event's:
 * "WHERE ?1 = 0 OR event = ?1" scanned event_digests whole for each event (a page of
 * 1000 events read them all 1000 times). Counted in SQLite's VM steps: 20,000 more
 * digests of other events must not cost one step each. */
static int count_step(void *user)
{
    ++*(long long *)user;
    return 0;
}

static long long event_steps(sl_store *st)
{
    long long steps = 0;
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    sqlite3_progress_handler(st->db, 1, count_step, &steps);
    assert_int_equal(sl_write_event(st, "E1", to_buf, &b), SL_OK);
    sqlite3_progress_handler(st->db, 0, NULL, NULL);
    sli_buf_free(&b);
    return steps;
}

static void test_digest_by_key(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st = topic_store("digest_by_key", dir, db, 4);
    assert_true(st->has_digests);
    long long before = event_steps(st);
    assert_int_equal(sqlite3_exec(st->db,
                                  "WITH RECURSIVE n(i) AS (SELECT 1000000 UNION ALL"
                                  " SELECT i + 1 FROM n WHERE i < 1019999)"
                                  " INSERT INTO event_digests(event, headline, summary)"
                                  " SELECT i, 'h', 's' FROM n",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    long long after = event_steps(st);
    assert_true(after < before + 20000);
    sl_store_free(st);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_timeline),
        cmocka_unit_test(test_storyline_timeline),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_search_ranking),
        cmocka_unit_test(test_search_migration),
        cmocka_unit_test(test_digest_by_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
