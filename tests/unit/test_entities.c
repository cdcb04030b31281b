/* test_entities.c — people, organisations and places (facts/entities.c) and the context
 * they use (facts/gazetteer.c): a table of short texts with the entities each must give
 * (name, type, count) and the names it must not give, run over a context built from small
 * data files written here (a word list, countries, regions, zones), over an empty context
 * and over none; the country adjectives derived from the word list; merging over an
 * event's articles; hostile input. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/json_writer.h"
#include "facts/entities_int.h"
#include "facts/facts.h"
#include "scratch.h"

/* ---- a small gazetteer of our own ---- */

static char dir[256];
static sli_facts_ctx *ctx; /* from the files below */
static sli_facts_ctx *bare; /* from no files */

static void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *words_txt =
    "apple\nApple\nanalysts\nboard\nbut\nBut\neveryone\nagreed\nthe\nThe\nmet\nKorean\n"
    "Russian\nChinese\nJapanese\nItalian\nGerman\nmobile\nMobile\nJames\nPaul\nphone\n"
    "shares\nrose\nreleased\nflights\noperating\nMonday\nmarch\nMarch\n";

static const char *countries_json =
    "{\"3166-1\": ["
    "{\"alpha_2\": \"KP\", \"name\": \"Korea, Democratic People's Republic of\","
    " \"common_name\": \"North Korea\", \"official_name\": \"Democratic People's Republic of Korea\"},"
    "{\"alpha_2\": \"RU\", \"name\": \"Russian Federation\"},"
    "{\"alpha_2\": \"CN\", \"name\": \"China\"},"
    "{\"alpha_2\": \"JP\", \"name\": \"Japan\"},"
    "{\"alpha_2\": \"IT\", \"name\": \"Italy\"},"
    "{\"alpha_2\": \"FR\", \"name\": \"France\", \"official_name\": \"French Republic\"},"
    "{\"alpha_2\": \"US\", \"name\": \"United States\"}]}";

static const char *regions_json =
    "{\"3166-2\": [{\"code\": \"US-AL\", \"name\": \"Alabama\", \"type\": \"State\"},"
    "{\"code\": \"XX-01\", \"name\": \"Mobile\", \"type\": \"Region\"},"
    "{\"code\": \"XX-02\", \"name\": \"Île-de-France\", \"type\": \"Region\"}]}";

static const char *zones_tab =
    "# comment\n"
    "KP\t+3901+12545\tAsia/Pyongyang\n"
    "FR\t+4852+00220\tEurope/Paris\n"
    "AR\t-3436-05827\tAmerica/Argentina/Buenos_Aires\n";

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/sl-test-entities-XXXXXX");
    assert_non_null(mkdtemp(dir));
    write_file("words", words_txt);
    write_file("countries.json", countries_json);
    write_file("regions.json", regions_json);
    write_file("zone.tab", zones_tab);
    char p[4][512];
    snprintf(p[0], sizeof p[0], "%s/countries.json", dir);
    snprintf(p[1], sizeof p[1], "%s/regions.json", dir);
    snprintf(p[2], sizeof p[2], "%s/zone.tab", dir);
    snprintf(p[3], sizeof p[3], "%s/words", dir);
    sli_facts_paths paths = {.countries = p[0], .regions = p[1], .zones = p[2],
                             .zones_alt = NULL, .words = p[3], .currencies = NULL};
    assert_int_equal(sli_facts_ctx_create_from(&ctx, &paths), SL_OK);
    assert_int_equal(sli_facts_ctx_create_from(&bare, NULL), SL_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sli_facts_ctx_free(ctx);
    sli_facts_ctx_free(bare);
    remove_tree(dir);
    return 0;
}

/* ---- the table ---- */

typedef struct want {
    const char *name;
    int type; /* sli_entity_type, or -1: any */
    int count; /* 0: any */
} want;

typedef struct case_ {
    const char *what;
    const char *text;
    want has[6];
    const char *hasnt[6];
} case_;

#define PER SLI_ENTITY_PERSON
#define ORG SLI_ENTITY_ORG
#define LOC SLI_ENTITY_PLACE

static const case_ cases[] = {
    {"a title and a surname: Mr. Clyburn is James Clyburn",
     "James Clyburn, the party whip, spoke on Monday. Mr. Clyburn said the vote was close.",
     {{"James Clyburn", PER, 2}},
     {"Clyburn", "Monday", "Mr. Clyburn"}},
    {"a first-word alias and a demonym: Kim is Kim Jong Un; Pyongyang stays a place",
     "North Korean leader Kim Jong Un met envoys in Pyongyang. Kim said Pyongyang would "
     "not give in.",
     {{"Kim Jong Un", PER, 2}, {"North Korean", LOC, 1}, {"Pyongyang", LOC, 2}},
     {"Kim", "North"}},
    {"an acronym the text introduces",
     "The European Union ( EU ) said on Tuesday it would act. The EU has 27 members, "
     "an EU official said.",
     {{"European Union (EU)", ORG, 3}},
     {"EU", "European Union", "Tuesday"}},
    {"organisation suffixes and an organisation's people",
     "Acme Widgets Inc. reported a loss. Zorblax CEO Dana Quill said Zorblax shares fell.",
     {{"Acme Widgets Inc.", ORG, 1}, {"Zorblax", ORG, 2}, {"Dana Quill", PER, 1}},
     {"CEO", "Zorblax CEO Dana Quill"}},
    {"ordinary words opening sentences are no names",
     "But the board met. Everyone agreed. The vote was close.",
     {{NULL, 0, 0}},
     {"But", "Everyone", "The"}},
    {"the article's own capitals: Apple mid-sentence makes the opening Apple a name",
     "Apple released a phone. Analysts said Apple shares rose.",
     {{"Apple", ORG, 2}},
     {"Analysts"}},
    {"country adjectives, derived and irregular",
     "Russian and French officials met Chinese, Japanese and Italian envoys.",
     {{"Russian", LOC, 1}, {"French", LOC, 1}, {"Chinese", LOC, 1}, {"Japanese", LOC, 1},
      {"Italian", LOC, 1}},
     {NULL}},
    {"tokenised spacing: possessives, quote marks",
     "Zorblax 's chief executive said `` Everyone told us we were crazy . ''\n"
     "Paul Nesbit , an analyst , disagreed .",
     {{"Zorblax", ORG, 1}, {"Paul Nesbit", PER, 1}},
     {"Everyone", "s"}},
    {"a city and its state; a place preposition; a tz city with a space",
     "The plant is in Mobile , Alabama . Flights leave from Buenos Aires daily.",
     {{"Mobile", LOC, 1}, {"Alabama", LOC, 1}, {"Buenos Aires", LOC, 1}},
     {"Mobile , Alabama", "Flights"}},
    {"an organisation's name with connectors, and a list",
     "The Bank of Narnia and the Ministry of the Interior met Quorp Ltd. and Blivet.",
     {{"Bank of Narnia", ORG, 1}, {"Ministry of the Interior", ORG, 1},
      {"Quorp Ltd.", ORG, 1}, {"Blivet", ORG, 1}},
     {"Narnia", "Interior"}},
    {"a headline in title case reads like sentence starts",
     "Apple Released A Phone Everyone Agreed On\nThe company, Apple, said so.",
     {{"Apple", ORG, 2}},
     {"Released", "Everyone", "Apple Released A Phone Everyone Agreed On"}},
    {"two organisations joined by and; a short hyphen tail stays",
     "Zorblax Corp. and Quorp Inc. hired Moon Jae-in and Kim Jong-un.",
     {{"Zorblax Corp.", ORG, 1}, {"Quorp Inc.", ORG, 1}, {"Moon Jae-in", -1, 1},
      {"Kim Jong-un", -1, 1}},
     {"Zorblax Corp. and Quorp Inc.", "Moon Jae", "Kim Jong"}},
    {"a sentence full of names is no headline (it ends with a full stop)",
     "The Zorblax Reserve Bank and the Quorp Monetary Fund agreed.",
     {{"Zorblax Reserve Bank", ORG, 1}, {"Quorp Monetary Fund", ORG, 1}},
     {NULL}},
    {"ordinary words between titles are the title's",
     "The former Chief Operating Officer , Tim Cook , will succeed him.",
     {{"Tim Cook", -1, 1}},
     {"Operating", "Chief Operating Officer"}},
    {"a name printed whole again and again is no person's; one with a surname alias is",
     "Paul Widgetry won a prize, and Paul Widgetry expanded; later Paul Widgetry grew.\n"
     "Paul Nesbit wrote it. Nesbit added more.",
     {{"Paul Widgetry", ORG, 3}, {"Paul Nesbit", PER, 2}},
     {"Nesbit"}},
    {"hyphen tails and U.S. with its dots",
     "The Zorblax-led group met U.S. officials in France.",
     {{"Zorblax", ORG, 1}, {"U.S.", LOC, 1}, {"France", LOC, 1}},
     {"Zorblax-led"}},
};

static const sli_entity *find(const sli_facts *f, const char *name)
{
    for (size_t i = 0; i < f->n_entities; i++)
        if (!strcmp(f->entities[i].name, name))
            return &f->entities[i];
    return NULL;
}

static void dump(const sli_facts *f)
{
    for (size_t i = 0; i < f->n_entities; i++)
        print_message("    %s / %s / %d\n", f->entities[i].name,
                      sli_entity_type_name(f->entities[i].type), f->entities[i].count);
}

static void run_case(const sli_facts_ctx *c, const case_ *k, int check_types)
{
    sli_facts f = {0};
    assert_int_equal(sli_entities_find(c, k->text, strlen(k->text), &f), SL_OK);
    int ok = 1;
    for (int i = 0; i < 6 && k->has[i].name; i++) {
        const sli_entity *e = find(&f, k->has[i].name);
        if (!e) {
            print_message("%s: no %s\n", k->what, k->has[i].name);
            ok = 0;
            continue;
        }
        if (check_types && k->has[i].type >= 0 && (int)e->type != k->has[i].type) {
            print_message("%s: %s is a %s\n", k->what, e->name, sli_entity_type_name(e->type));
            ok = 0;
        }
        if (check_types && k->has[i].count && e->count != k->has[i].count) {
            print_message("%s: %s counted %d\n", k->what, e->name, e->count);
            ok = 0;
        }
    }
    for (int i = 0; check_types && i < 6 && k->hasnt[i]; i++) {
        if (find(&f, k->hasnt[i])) {
            print_message("%s: %s found\n", k->what, k->hasnt[i]);
            ok = 0;
        }
    }
    if (!ok)
        dump(&f);
    sli_facts_clear(&f);
    assert_true(ok);
}

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_case(ctx, &cases[i], 1);
}

/* Without data files (an empty context, or none) extraction still finds the names of
 * the texts that do not need the gazetteer, and never fails. */
static void test_no_gazetteer(void **state)
{
    (void)state;
    static const case_ plain[] = {
        {"a title and a surname", "James Clyburn spoke. Mr. Clyburn said no.",
         {{"James Clyburn", PER, 2}}, {"Clyburn"}},
        {"an acronym", "The European Union ( EU ) met. The EU agreed.",
         {{"European Union (EU)", ORG, 2}}, {"EU"}},
        {"a suffix", "Acme Widgets Inc. grew. But sales fell.",
         {{"Acme Widgets Inc.", ORG, 1}}, {"But"}},
    };
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        run_case(bare, &plain[i], 1);
        run_case(NULL, &plain[i], 1);
    }
    /* every table text runs without the gazetteer too */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sli_facts f = {0};
        assert_int_equal(sli_entities_find(NULL, cases[i].text, strlen(cases[i].text), &f),
                         SL_OK);
        sli_facts_clear(&f);
    }
    /* missing files are no error */
    sli_facts_paths none = {.countries = "/nonexistent/a.json", .regions = "/nonexistent/b",
                            .zones = "/nonexistent/c", .zones_alt = "/nonexistent/d",
                            .words = "/nonexistent/e", .currencies = "/nonexistent/f"};
    sli_facts_ctx *c = NULL;
    assert_int_equal(sli_facts_ctx_create_from(&c, &none), SL_OK);
    assert_non_null(c);
    assert_false(sli_gaz_has_words(c));
    sli_facts_ctx_free(c);
    /* a malformed JSON file is no error either */
    write_file("bad.json", "{\"3166-1\": [ {\"name\": ");
    char p[512];
    snprintf(p, sizeof p, "%s/bad.json", dir);
    sli_facts_paths bad = {.countries = p, .regions = p, .currencies = p};
    assert_int_equal(sli_facts_ctx_create_from(&c, &bad), SL_OK);
    sli_facts_ctx_free(c);
}

/* The gazetteer's contents: names, short forms before a comma, adjectives by rule and
 * checked against the word list, ordinary words left out as one-word regions. */
static void test_gazetteer(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        unsigned bits; /* what sli_gaz_place must include; 0: must be absent */
    } g[] = {
        {"North Korea", SLI_GAZ_COUNTRY}, {"Korea", SLI_GAZ_COUNTRY},
        {"North Korean", SLI_GAZ_DEMONYM}, {"Korean", SLI_GAZ_DEMONYM},
        {"Chinese", SLI_GAZ_DEMONYM},      {"Japanese", SLI_GAZ_DEMONYM},
        {"Italian", SLI_GAZ_DEMONYM},      {"French", SLI_GAZ_DEMONYM},
        {"Russia", SLI_GAZ_COUNTRY},       {"Russian", SLI_GAZ_DEMONYM},
        {"Alabama", SLI_GAZ_REGION},       {"Pyongyang", SLI_GAZ_CITY},
        {"Buenos Aires", SLI_GAZ_CITY},    {"U.S.", SLI_GAZ_COUNTRY},
        {"Île-de-France", SLI_GAZ_REGION},
        {"Mobile", 0},  /* a region here, but "mobile" is an ordinary word */
        {"Chinan", 0},  /* a rule's candidate the word list does not have */
        {"Koreaese", 0}, {"Apple", 0},
    };
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
        unsigned got = sli_gaz_place(ctx, sli_name_hash(g[i].name, strlen(g[i].name)));
        if (g[i].bits ? !(got & g[i].bits) : got != 0)
            print_message("%s: %u\n", g[i].name, got);
        assert_true(g[i].bits ? (got & g[i].bits) != 0 : got == 0);
    }
    assert_int_equal(sli_gaz_word(ctx, sli_name_hash("Apple", 5)),
                     SLI_WORD_LOWER | SLI_WORD_CAP);
    assert_int_equal(sli_gaz_word(ctx, sli_name_hash("James", 5)), SLI_WORD_CAP);
    assert_int_equal(sli_gaz_word(ctx, sli_name_hash("zzz", 3)), 0);
    assert_int_equal(sli_gaz_place(NULL, 1), 0);
    /* hashing is by tokens: case, dots and spacing do not matter */
    assert_true(sli_name_hash("U.S.", 4) == sli_name_hash("us", 2));
    assert_true(sli_name_hash("Kim  Jong\tUn", 12) == sli_name_hash("kim jong un", 11));
    assert_true(sli_name_hash("Kim Jong", 8) != sli_name_hash("Kim Jong Un", 11));
}

/* The default context (Debian's files) when they are installed: the same behaviour. */
static void test_debian_files(void **state)
{
    (void)state;
    sli_facts_ctx *c = NULL;
    assert_int_equal(sli_facts_ctx_create(&c), SL_OK);
    if (!sli_gaz_has_words(c) || !sli_gaz_place(c, sli_name_hash("France", 6))) {
        print_message("Debian data files absent: skipped\n");
        sli_facts_ctx_free(c);
        skip();
    }
    static const case_ k[] = {
        {"countries, adjectives, cities",
         "Russian and North Korean envoys met in Pyongyang. Later they flew to Paris , "
         "France.",
         {{"Russian", LOC, 1}, {"North Korean", LOC, 1}, {"Pyongyang", LOC, 1},
          {"Paris", LOC, 1}, {"France", LOC, 1}},
         {NULL}},
        {"ordinary words inside names; a dateline in capitals",
         "WASHINGTON - The Federal Reserve Bank of New York and the International "
         "Monetary Fund ( IMF ) said the World Bank agreed. Microsoft Corp. and "
         "Alphabet Inc. did not.",
         {{"WASHINGTON", LOC, 1}, {"Federal Reserve Bank of New York", ORG, 1},
          {"International Monetary Fund (IMF)", ORG, 1}, {"World Bank", ORG, 1},
          {"Microsoft Corp.", ORG, 1}, {"Alphabet Inc.", ORG, 1}},
         {"York", "Microsoft Corp. and Alphabet Inc."}},
        {"a given name from the word list, a title",
         "Paul Nesbit said the deal was done. Sen. Quimby disagreed.",
         {{"Paul Nesbit", PER, 1}, {"Quimby", PER, 1}},
         {"Sen."}},
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        run_case(c, &k[i], 1);
    sli_facts_ctx_free(c);
}

/* ---- merging over an event ---- */

/* A merge resumed from its saved state (an event's entity memo) ends as the merge of all
 * the articles at once, wherever it was cut: names renamed before the cut keep finding
 * their entity by the names they had ("Smith", then "John Smith", then "Jane Smith" is
 * still John's, as in one merge), acronyms, ambiguous word ends. */
static void test_merge_resumed(void **state)
{
    (void)state;
    static const sli_entity all[] = {
        {"Smith", SLI_ENTITY_PERSON, 2},         {"EU", SLI_ENTITY_ORG, 1},
        {"John Smith", SLI_ENTITY_PERSON, 1},    {"Lockheed", SLI_ENTITY_ORG, 2},
        {"European Union (EU)", SLI_ENTITY_ORG, 3}, {"Jane Smith", SLI_ENTITY_PERSON, 1},
        {"Lockheed Martin", SLI_ENTITY_ORG, 1}, {"Ann Lee", SLI_ENTITY_PERSON, 2},
        {"Bo Lee", SLI_ENTITY_PERSON, 1},       {"Lee", SLI_ENTITY_PERSON, 4},
        {"Smith", SLI_ENTITY_PERSON, 1},         {"EU", SLI_ENTITY_ORG, 2},
        {"Martin", SLI_ENTITY_ORG, 1},           {"Portvale", SLI_ENTITY_PLACE, 1},
        {"Kim", SLI_ENTITY_PERSON, 1},           {"Kim Jong Un", SLI_ENTITY_PERSON, 2},
        {"Kim Yo Jong", SLI_ENTITY_PERSON, 1},  {"Kim", SLI_ENTITY_PERSON, 1},
    };
    const size_t n = sizeof all / sizeof *all;
    sli_entity_merge once = {0};
    assert_int_equal(sli_entities_merge_more(&once, all, n), SL_OK);
    /* John Smith took "Smith" and then "Jane Smith" (by the old name "Smith") */
    assert_string_equal(once.acc.entities[0].name, "Jane Smith");
    assert_int_equal(once.acc.entities[0].count, 5);
    buf whole, got;
    sli_buf_init(&whole, BUF_UNLIMITED);
    sli_buf_init(&got, BUF_UNLIMITED);
    assert_int_equal(sli_entity_merge_save(&once, &whole), SL_OK);
    for (size_t cut = 0; cut <= n; cut++) {
        sli_entity_merge a = {0}, b = {0};
        assert_int_equal(sli_entities_merge_more(&a, all, cut), SL_OK);
        sli_buf_clear(&got);
        assert_int_equal(sli_entity_merge_save(&a, &got), SL_OK);
        int ok = 0;
        assert_int_equal(sli_entity_merge_load(&b, got.data, got.len, &ok), SL_OK);
        assert_true(ok);
        assert_int_equal(sli_entities_merge_more(&b, all + cut, n - cut), SL_OK);
        assert_int_equal(b.acc.n_entities, once.acc.n_entities);
        for (size_t i = 0; i < once.acc.n_entities; i++) {
            assert_string_equal(b.acc.entities[i].name, once.acc.entities[i].name);
            assert_int_equal(b.acc.entities[i].type, once.acc.entities[i].type);
            assert_int_equal(b.acc.entities[i].count, once.acc.entities[i].count);
        }
        sli_buf_clear(&got);
        assert_int_equal(sli_entity_merge_save(&b, &got), SL_OK);
        assert_int_equal(got.len, whole.len);
        assert_memory_equal(got.data, whole.data, whole.len);
        /* a memo cut short, or of another version, is none */
        for (size_t len = 0; len < got.len; len += 1 + got.len / 7) {
            assert_int_equal(sli_entity_merge_load(&b, got.data, len, &ok), SL_OK);
            assert_false(ok);
            assert_int_equal(b.acc.n_entities, 0);
        }
        sli_entity_merge_free(&a);
        sli_entity_merge_free(&b);
    }
    sli_buf_free(&whole);
    sli_buf_free(&got);
    sli_entity_merge_free(&once);
}

/* A memo whose renames point at entities past 127 (2-byte indexes) and whose last rename is
 * cut short: none, and nothing read past its end (ASan; found in review). */
static void test_merge_memo_renames_cut(void **state)
{
    (void)state;
    unsigned char b[1024];
    size_t n = 0;
    memcpy(b, "EM2", 3);
    n = 3;
    b[n++] = 0x82; /* 130 entities */
    b[n++] = 0x01;
    for (int i = 0; i < 130; i++) {
        const unsigned char e[] = {0, 1, 1, (unsigned char)('a' + i % 26), 0};
        memcpy(b + n, e, sizeof e);
        n += sizeof e;
    }
    b[n++] = 3; /* three renames: 27 bytes by the count's bound */
    for (int r = 0; r < 2; r++) {
        memset(b + n, r + 1, 8);
        n += 8;
        b[n++] = 0x80; /* entity 128 */
        b[n++] = 0x01;
    }
    memset(b + n, 9, 7); /* the third's hash has 7 of its 8 bytes */
    n += 7;
    unsigned char *memo = malloc(n); /* exactly its size, for ASan */
    assert_non_null(memo);
    memcpy(memo, b, n);
    sli_entity_merge m = {0};
    int ok = 1;
    assert_int_equal(sli_entity_merge_load(&m, memo, n, &ok), SL_OK);
    assert_false(ok);
    sli_entity_merge_free(&m);
    free(memo);
}

/* The entities read back from a facts object as the writer wrote it: names with quotes,
 * backslashes, controls and characters outside the BMP come back byte for byte; what
 * the writer never writes is damage. */
typedef struct read_back {
    char names[4][64];
    char types[4][16];
    long long counts[4];
    size_t n;
} read_back;

static sl_error take_read(void *user, const char *name, const char *type, long long count)
{
    read_back *r = user;
    if (r->n >= 4)
        return SL_ERR_INVALID;
    snprintf(r->names[r->n], sizeof r->names[0], "%s", name);
    snprintf(r->types[r->n], sizeof r->types[0], "%s", type);
    r->counts[r->n++] = count;
    return SL_OK;
}

static void test_read_entities(void **state)
{
    (void)state;
    static const char *const names[] = {"Ann \"Red\" Lee", "C:\\Path\tTab\x01",
                                        "Zo\xC3\xAB \xF0\x9F\x98\x80 \xE2\x80\x8B", "Bo"};
    sli_facts f = {0};
    for (int i = 0; i < 4; i++)
        assert_int_equal(sli_facts_add_entity(&f, names[i], strlen(names[i]),
                                              (sli_entity_type)(i % 3), 1000 * i + 1),
                         SL_OK);
    jw w;
    sli_jw_init(&w, NULL, NULL, 0);
    sli_facts_write_json(&w, &f);
    const char *json = sli_buf_str(&w.out), *arr = strstr(json, "\"entities\":") + 11;
    const char *arr_end = strstr(arr, "],") + 1;
    read_back r = {0};
    assert_int_equal(sli_facts_read_entities(arr, (size_t)(arr_end - arr), take_read, &r), SL_OK);
    assert_int_equal(r.n, 4);
    for (int i = 0; i < 4; i++) {
        assert_string_equal(r.names[i], names[i]);
        assert_string_equal(r.types[i], sli_entity_type_name((sli_entity_type)(i % 3)));
        assert_int_equal(r.counts[i], 1000 * i + 1);
    }
    memset(&r, 0, sizeof r);
    assert_int_equal(sli_facts_read_entities("[]", 2, take_read, &r), SL_OK);
    assert_int_equal(r.n, 0);
    static const char *const bad[] = {
        "", "[", "[{}]", "{\"name\":\"a\"}", "[{\"name\":\"a\",\"type\":\"org\"}]",
        "[{\"name\":\"a\",\"type\":\"org\",\"count\":x}]",
        "[{\"name\":\"a\\q\",\"type\":\"org\",\"count\":1}]",
        "[{\"name\":\"a\\u0000\",\"type\":\"org\",\"count\":1}]",
        "[{\"name\":\"a\",\"type\":\"org\",\"count\":1,\"more\":2}]",
        "[{\"name\":\"a\",\"type\":\"org\",\"count\":1}",
        "[{\"name\":\"a\",\"type\":\"org\",\"count\":1},]",
        "[{\"name\":\"a\",\"type\":\"org\",\"count\":99999999999999999999}]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&r, 0, sizeof r);
        assert_int_equal(sli_facts_read_entities(bad[i], strlen(bad[i]), take_read, &r),
                         SL_ERR_STORE);
    }
    sli_buf_free(&w.out);
    sli_facts_clear(&f);
}

static void test_merge(void **state)
{
    (void)state;
    static const struct {
        sli_entity add[4];
        size_t n;
        const char *want[4]; /* names after the step */
        int count[4];
    } steps[] = {
        {{{"Kim Jong Un", SLI_ENTITY_PERSON, 3}, {"Pyongyang", SLI_ENTITY_PLACE, 2}}, 2,
         {"Kim Jong Un", "Pyongyang"}, {3, 2}},
        /* a short form adds to the full name; the same name adds up */
        {{{"Kim", SLI_ENTITY_PERSON, 2}, {"Pyongyang", SLI_ENTITY_PLACE, 1}}, 2,
         {"Kim Jong Un", "Pyongyang"}, {5, 3}},
        /* a short form first, the full name later: the full name replaces it */
        {{{"Clyburn", SLI_ENTITY_PERSON, 1}}, 1, {"Kim Jong Un", "Pyongyang", "Clyburn"},
         {5, 3, 1}},
        {{{"James Clyburn", SLI_ENTITY_PERSON, 2}, {"Clyburn", SLI_ENTITY_PERSON, 1}}, 2,
         {"Kim Jong Un", "Pyongyang", "James Clyburn"}, {5, 3, 4}},
        /* another type is another entity; an organisation's short form is its first word */
        {{{"Jong", SLI_ENTITY_PLACE, 1}, {"Lockheed Martin", SLI_ENTITY_ORG, 2},
          {"Lockheed", SLI_ENTITY_ORG, 1}, {"Martin", SLI_ENTITY_ORG, 1}}, 4,
         {"Kim Jong Un", "Pyongyang", "James Clyburn", "Jong"}, {5, 3, 4, 1}},
    };
    sli_facts acc = {0};
    for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
        assert_int_equal(sli_entities_merge(&acc, steps[s].add, steps[s].n), SL_OK);
        for (int i = 0; i < 4 && steps[s].want[i]; i++) {
            assert_true(i < (int)acc.n_entities);
            assert_string_equal(acc.entities[i].name, steps[s].want[i]);
            assert_int_equal(acc.entities[i].count, steps[s].count[i]);
        }
    }
    /* the last step: Lockheed Martin 3 (Lockheed added), Martin apart */
    assert_int_equal(acc.n_entities, 6);
    assert_string_equal(acc.entities[4].name, "Lockheed Martin");
    assert_int_equal(acc.entities[4].count, 3);
    assert_string_equal(acc.entities[5].name, "Martin");
    sli_facts_clear(&acc);

    /* an acronym the text introduced stands for its name in other articles too */
    {
        sli_entity a[] = {{"EU", SLI_ENTITY_ORG, 2}}, b[] = {{"European Union (EU)", SLI_ENTITY_ORG, 1}},
                   c[] = {{"EU", SLI_ENTITY_ORG, 4}};
        assert_int_equal(sli_entities_merge(&acc, a, 1), SL_OK);
        assert_int_equal(sli_entities_merge(&acc, b, 1), SL_OK);
        assert_int_equal(sli_entities_merge(&acc, c, 1), SL_OK);
        assert_int_equal(acc.n_entities, 1);
        assert_string_equal(acc.entities[0].name, "European Union (EU)");
        assert_int_equal(acc.entities[0].count, 7);
        sli_facts_clear(&acc);
    }

    /* counts summed over an event's many articles saturate, never overflow (each of the
     * three ways a count adds up: the same name, a short form, a fuller name) */
    {
        sli_entity a[] = {{"Kim Jong Un", SLI_ENTITY_PERSON, INT_MAX - 1}},
                   b[] = {{"Kim Jong Un", SLI_ENTITY_PERSON, 5}, {"Kim", SLI_ENTITY_PERSON, 7}},
                   c[] = {{"Clyburn", SLI_ENTITY_PERSON, INT_MAX}},
                   d[] = {{"James Clyburn", SLI_ENTITY_PERSON, INT_MAX}};
        assert_int_equal(sli_entities_merge(&acc, a, 1), SL_OK);
        assert_int_equal(sli_entities_merge(&acc, b, 2), SL_OK);
        assert_int_equal(sli_entities_merge(&acc, c, 1), SL_OK);
        assert_int_equal(sli_entities_merge(&acc, d, 1), SL_OK);
        assert_int_equal(acc.n_entities, 2);
        assert_int_equal(acc.entities[0].count, INT_MAX);
        assert_string_equal(acc.entities[1].name, "James Clyburn");
        assert_int_equal(acc.entities[1].count, INT_MAX);
        sli_facts_clear(&acc);
    }

    /* the article merge and the event merge agree: an article's entities merged into an
     * empty event keep their names and counts */
    const char *text = "James Clyburn spoke. Mr. Clyburn said no. Acme Widgets Inc. agreed.";
    sli_facts f = {0};
    assert_int_equal(sli_entities_find(ctx, text, strlen(text), &f), SL_OK);
    assert_int_equal(sli_entities_merge(&acc, f.entities, f.n_entities), SL_OK);
    assert_int_equal(sli_entities_merge(&acc, f.entities, f.n_entities), SL_OK);
    assert_int_equal(acc.n_entities, f.n_entities);
    for (size_t i = 0; i < f.n_entities; i++) {
        assert_string_equal(acc.entities[i].name, f.entities[i].name);
        assert_int_equal(acc.entities[i].count, 2 * f.entities[i].count);
    }
    sli_facts_clear(&f);
    sli_facts_clear(&acc);
}

/* ---- hostile input ---- */

/* The fastest of three runs: a busy machine lengthens a run, never shortens one, so the
 * ratio of two sizes' minima is the code's, not the load's (one run each failed under load). */
static double seconds_for(const char *text, size_t len)
{
    double best = 0;
    for (int run = 0; run < 3; run++) {
        struct timespec a, b;
        sli_facts f = {0};
        clock_gettime(CLOCK_MONOTONIC, &a);
        assert_int_equal(sli_entities_find(ctx, text, len, &f), SL_OK);
        clock_gettime(CLOCK_MONOTONIC, &b);
        sli_facts_clear(&f);
        double t = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
        if (run == 0 || t < best)
            best = t;
    }
    return best;
}

static void test_hostile(void **state)
{
    (void)state;
    static const char *const odd[] = {
        "", " ", "\xff\xfe\xfd", "A", "Mr.", "( EU", "Bank of", "of of of", "O'", "O' ",
        "\xc3", "Zorblax\xe2\x80", "& & &", "AT&T-", "-Zorblax-", "'s 's", "Zorblax 's",
        "Ab ( AB", "Ab Cd ( AC", "\xe2\x80\x99s", "U.S.A.", "...Zorblax",
    };
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        sli_facts f = {0};
        assert_int_equal(sli_entities_find(ctx, odd[i], strlen(odd[i]), &f), SL_OK);
        sli_facts_clear(&f);
    }
    /* one long run of capitals, one word repeated, 10,000 quote marks, a 500-digit
     * number; sizes N and 4N: time grows linearly (a generous bound) */
    const char *unit[] = {"Zorblax Quorp Blivet ", "Acme ", "\" ", "1234567890", "Ab \xff "};
    for (size_t u = 0; u < sizeof unit / sizeof unit[0]; u++) {
        size_t ul = strlen(unit[u]), n1 = 50000 / ul, n4 = 4 * n1;
        char *big = malloc(n4 * ul + 1);
        assert_non_null(big);
        for (size_t i = 0; i < n4; i++)
            memcpy(big + i * ul, unit[u], ul);
        big[n4 * ul] = '\0';
        double t1 = seconds_for(big, n1 * ul), t4 = seconds_for(big, n4 * ul);
        if (t4 > 0.05)
            assert_true(t4 < 12 * t1 + 0.05);
        sli_facts f = {0};
        assert_int_equal(sli_entities_find(ctx, big, n4 * ul, &f), SL_OK);
        /* a run is cut at the name limit: every name is short */
        for (size_t i = 0; i < f.n_entities; i++)
            assert_true(strlen(f.entities[i].name) < 200);
        sli_facts_clear(&f);
        free(big);
    }
    /* a 1 MB paragraph of ordinary prose with names */
    const char *para = "The Zorblax board met Dana Quill in Pyongyang on Monday, and agreed. ";
    size_t pl = strlen(para), reps = (1u << 20) / pl;
    char *big = malloc(reps * pl + 1);
    assert_non_null(big);
    for (size_t i = 0; i < reps; i++)
        memcpy(big + i * pl, para, pl);
    big[reps * pl] = '\0';
    sli_facts f = {0};
    assert_int_equal(sli_entities_find(ctx, big, reps * pl, &f), SL_OK);
    const sli_entity *d = find(&f, "Dana Quill");
    assert_non_null(d);
    assert_int_equal(d->count, (int)reps);
    sli_facts_clear(&f);
    free(big);
    assert_int_equal(sli_entities_find(ctx, NULL, 3, &f), SL_ERR_INVALID);
    assert_int_equal(sli_entities_find(ctx, NULL, 0, &f), SL_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),      cmocka_unit_test(test_no_gazetteer),
        cmocka_unit_test(test_gazetteer),  cmocka_unit_test(test_debian_files),
        cmocka_unit_test(test_merge),      cmocka_unit_test(test_merge_resumed), cmocka_unit_test(test_merge_memo_renames_cut), cmocka_unit_test(test_read_entities),      cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
