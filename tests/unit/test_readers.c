/* test_readers.c — the readers: plain text (date header, BOM, binary detection), JSON
 * Lines (field aliases and precedence, meta, identity fallbacks, malformed lines), a JSON
 * Lines file with good and bad lines, and the directory walk of sl_batch_add_path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "ingest/ingest.h"
#include "scratch.h"
#include "storyline.h"

/* ---------------------------------------------------------------------------------- */
/* Fixture: a temporary directory with a store and an open batch                      */
/* ---------------------------------------------------------------------------------- */

typedef struct report_copy {
    sl_error code;
    char path[512];
    long line;
    long long offset;
} report_copy;

typedef struct fixture {
    char dir[64];
    char db[128];
    sl_store *st;
    sl_batch *b;
    report_copy rep[64];
    int nrep;
} fixture;

static void collect(void *user, const sl_report *r)
{
    fixture *f = user;
    assert_non_null(r->detail);
    assert_true(r->detail[0] != '\0');
    if (f->nrep >= 64)
        return;
    report_copy *c = &f->rep[f->nrep++];
    c->code = r->code;
    snprintf(c->path, sizeof c->path, "%s", r->path ? r->path : "(null)");
    c->line = r->line;
    c->offset = r->offset;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/sl-unit-readers-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/store.db", f->dir);
    sl_ingest_options opt = {.on_report = collect, .user = f};
    if (sl_store_open(f->db, SL_OPEN_CREATE, &f->st) != SL_OK ||
        sl_batch_begin(f->st, &opt, &f->b) != SL_OK) {
        sl_store_free(f->st);
        remove_tree(f->dir);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sl_batch_free(f->b);
    sl_store_free(f->st);
    remove_tree(f->dir);
    free(f);
    return 0;
}

/* Commit the open batch (so articles can be read back) and return its summary. */
static sl_batch_summary commit(fixture *f)
{
    sl_batch_summary sum;
    assert_int_equal(sl_batch_commit(f->b, &sum), SL_OK);
    sl_batch_free(f->b);
    f->b = NULL;
    return sum;
}

static sl_article *get(fixture *f, const char *id)
{
    sl_article *a = NULL;
    sl_error err = sl_store_get_article(f->st, id, SL_WITH_RAW | SL_WITH_TEXT, &a);
    if (err != SL_OK)
        fail_msg("article \"%s\": %s", id, sl_strerror(err));
    return a;
}

static void write_file(const char *path, const char *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

static void write_str(fixture *f, const char *rel, const char *data)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", f->dir, rel);
    write_file(path, data, strlen(data));
}

static void make_dir(fixture *f, const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", f->dir, rel);
    assert_int_equal(mkdir(path, 0700), 0);
}

/* ---------------------------------------------------------------------------------- */
/* Plain text                                                                         */
/* ---------------------------------------------------------------------------------- */

typedef struct text_case {
    const char *id;
    const char *data;
    size_t n;          /* 0: strlen */
    const char *date;  /* expected date, NULL: none */
    const char *raw;   /* expected stored raw text */
} text_case;

static void test_text_headers(void **state)
{
    fixture *f = *state;
    static const text_case cases[] = {
        {"h1", " date 2024-03-15 rest of line\nSecond line of the article.", 0, "2024-03-15",
         "rest of line\nSecond line of the article."},
        {"h2", "Date 2024-03-16\nBody text of the second article.", 0, "2024-03-16",
         "Body text of the second article."},
        {"h3", "\t DATE\t2024-03-17\r\nBody text of the third article.\r\n", 0, "2024-03-17",
         "Body text of the third article.\r\n"},
        {"h4", "date 2024/03/18 slashes work too in the header line.", 0, "2024-03-18",
         "slashes work too in the header line."},
        {"h5", "date 2024-02-29\tLeap day article body.", 0, "2024-02-29",
         "Leap day article body."},
        {"none", "Just an article with no header.\nAnd a second line.", 0, NULL,
         "Just an article with no header.\nAnd a second line."},
        {"bad-date", "date 2024-13-45 is not a header at all", 0, NULL,
         "date 2024-13-45 is not a header at all"},
        /* Not a header; the cleaner reads the ISO date printed in the text, though. */
        {"not-first", "First line.\ndate 2024-03-15 second line is not a header", 0, "2024-03-15",
         "First line.\ndate 2024-03-15 second line is not a header"},
        {"no-blank", "date2024-03-15 needs a blank after the word", 0, NULL,
         "date2024-03-15 needs a blank after the word"},
        {"glued", "date 2024-03-15x glued text is not a header", 0, NULL,
         "date 2024-03-15x glued text is not a header"},
        {"dated", "dated 2024-03-15 is another word", 0, NULL,
         "dated 2024-03-15 is another word"},
        {"bom", "\xEF\xBB\xBF" "A text file that starts with a byte order mark.", 0, NULL,
         "A text file that starts with a byte order mark."},
        {"bom-date", "\xEF\xBB\xBF date 2024-03-19 Text after a BOM and a header.", 0,
         "2024-03-19", "Text after a BOM and a header."},
        {"few-controls", "Text with one \x01 control byte among many ordinary ones here.", 0,
         NULL, "Text with one \x01 control byte among many ordinary ones here."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = cases[i].n ? cases[i].n : strlen(cases[i].data);
        char path[64];
        snprintf(path, sizeof path, "dir/%s.txt", cases[i].id);
        assert_int_equal(sli_ingest_text_buffer(f->b, path, cases[i].id, "src", cases[i].data, n),
                         SL_OK);
        if (f->nrep)
            fail_msg("case %s: reported %s", cases[i].id, sl_strerror(f->rep[0].code));
    }
    sl_batch_summary sum = commit(f);
    assert_int_equal(sum.added, (long long)(sizeof cases / sizeof cases[0]));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sl_article *a = get(f, cases[i].id);
        if (cases[i].date) {
            if (!a->date || strcmp(a->date, cases[i].date) != 0)
                fail_msg("case %s: date %s, expected %s", cases[i].id, a->date ? a->date : "NULL",
                         cases[i].date);
        } else if (a->date) {
            fail_msg("case %s: date %s, expected none", cases[i].id, a->date);
        }
        if (strcmp(a->raw, cases[i].raw) != 0)
            fail_msg("case %s: raw \"%s\", expected \"%s\"", cases[i].id, a->raw, cases[i].raw);
        assert_string_equal(a->source, "src");
        char origin[64];
        snprintf(origin, sizeof origin, "dir/%s.txt", cases[i].id);
        assert_string_equal(a->origin, origin);
        sl_article_free(a);
    }
}

/* The header is " date YYYY-MM-DD" and the rest of its line is text (docs/ingest.md),
 * even when that text starts with something that looks like a time of day. */
static void test_text_header_then_time(void **state)
{
    fixture *f = *state;
    const char *data = " date 2024-03-15 09:30 Police said the road was closed.";
    assert_int_equal(sli_ingest_text_buffer(f->b, "t.txt", "t", "src", data, strlen(data)), SL_OK);
    assert_int_equal(f->nrep, 0);
    commit(f);
    sl_article *a = get(f, "t");
    char date[32], raw[128];
    snprintf(date, sizeof date, "%s", a->date ? a->date : "(none)");
    snprintf(raw, sizeof raw, "%s", a->raw);
    sl_article_free(a);
    assert_string_equal(date, "2024-03-15");
    assert_string_equal(raw, "09:30 Police said the road was closed.");
}

typedef struct text_bad_case {
    const char *data;
    size_t n;
    sl_error code;
    long long offset;
} text_bad_case;

static void test_text_bad(void **state)
{
    fixture *f = *state;
    static const text_bad_case cases[] = {
        {"Some text\0more text after a NUL byte", 36, SL_ERR_BINARY, 9},
        {"\0\0\0\0", 4, SL_ERR_BINARY, 0},
        /* Over 10% control bytes (not whitespace): binary. */
        {"ab\x01\x02\x03\x04" "cdefghij", 14, SL_ERR_BINARY, 2},
        {"\x1b\x1b\x1b\x1b\x1b\x1b", 6, SL_ERR_BINARY, 0},
        /* Whitespace controls are text. */
        {"", 0, SL_ERR_EMPTY, 0},
        {" \t\r\n\f\v \n\n", 9, SL_ERR_EMPTY, 9},
        {" date 2024-03-15\n", 17, SL_ERR_EMPTY, 17},
        {"date 2024-03-15 ab\xFF", 19, SL_ERR_UTF8, 18},
        {"\xEF\xBB\xBF" "caf\xC3", 7, SL_ERR_UTF8, 6},
    };
    size_t n = sizeof cases / sizeof cases[0];
    for (size_t i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof id, "bad%zu", i);
        assert_int_equal(sli_ingest_text_buffer(f->b, id, id, "src", cases[i].data, cases[i].n),
                         SL_OK);
        if (f->nrep != (int)i + 1)
            fail_msg("case %zu: %d reports, expected %zu", i, f->nrep, i + 1);
        const report_copy *r = &f->rep[i];
        if (r->code != cases[i].code)
            fail_msg("case %zu: reported %s, expected %s", i, sl_strerror(r->code),
                     sl_strerror(cases[i].code));
        assert_string_equal(r->path, id);
        assert_int_equal(r->line, 0);
        if (cases[i].code != SL_ERR_EMPTY && r->offset != cases[i].offset)
            fail_msg("case %zu: offset %lld, expected %lld", i, r->offset, cases[i].offset);
    }
    sl_batch_summary sum = commit(f);
    assert_int_equal(sum.skipped, (long long)n);
    assert_int_equal(sum.added, 0);
}

/* ---------------------------------------------------------------------------------- */
/* JSON Lines: one line at a time                                                     */
/* ---------------------------------------------------------------------------------- */

static sl_error jline(fixture *f, long line, const char *json)
{
    return sli_ingest_jsonl_line(f->b, "feed.jsonl", "feed.jsonl", "folder", line, 1000 + line,
                             json, strlen(json));
}

typedef struct jcase {
    const char *json;
    const char *id;     /* expected id */
    const char *source; /* expected source */
    const char *date;   /* expected date or NULL */
    const char *title;  /* expected title or NULL (not checked when NULL) */
    const char *raw;    /* expected raw */
} jcase;

static void test_jsonl_fields(void **state)
{
    fixture *f = *state;
    static const jcase cases[] = {
        {"{\"id\":\"j1\",\"published\":\"2024-03-15\",\"maintext\":\"Maintext body one.\"}",
         "j1", "folder", "2024-03-15", NULL, "Maintext body one."},
        {"{\"id\":\"j2\",\"date_publish\":\"2024-03-15 09:30:00\",\"content\":\"Content two.\"}",
         "j2", "folder", "2024-03-15T09:30:00", NULL, "Content two."},
        {"{\"id\":\"j3\",\"body\":\"Body three.\",\"source\":\"Herald\"}", "j3", "Herald", NULL,
         NULL, "Body three."},
        /* text beats maintext, content and body. */
        {"{\"id\":\"j4\",\"body\":\"B four.\",\"content\":\"C four.\",\"maintext\":\"M four.\","
         "\"text\":\"T four.\"}",
         "j4", "folder", NULL, NULL, "T four."},
        /* maintext beats content and body. */
        {"{\"id\":\"j5\",\"body\":\"B five.\",\"content\":\"C five.\",\"maintext\":\"M five.\"}",
         "j5", "folder", NULL, NULL, "M five."},
        /* An empty or non-string text field is passed over for the next alias. */
        {"{\"id\":\"j6\",\"text\":\"\",\"body\":\"Body six.\"}", "j6", "folder", NULL, NULL,
         "Body six."},
        {"{\"id\":\"j7\",\"text\":7,\"content\":\"Content seven.\"}", "j7", "folder", NULL, NULL,
         "Content seven."},
        /* date beats published; a date that does not parse gives way to the next. */
        {"{\"id\":\"j8\",\"date\":\"2024-01-01\",\"published\":\"2024-02-02\",\"text\":\"Eight.\"}",
         "j8", "folder", "2024-01-01", NULL, "Eight."},
        {"{\"id\":\"j9\",\"date\":\"yesterday\",\"published\":\"2024-02-02T10:00:00Z\","
         "\"text\":\"Nine.\"}",
         "j9", "folder", "2024-02-02T10:00:00Z", NULL, "Nine."},
        {"{\"id\":\"j10\",\"date\":\"soon\",\"text\":\"Ten.\"}", "j10", "folder", NULL, NULL,
         "Ten."},
        /* id: numeric ids are written in decimal. */
        {"{\"id\":12345,\"text\":\"Numeric id.\"}", "12345", "folder", NULL, NULL, "Numeric id."},
        {"{\"id\":-7,\"text\":\"Negative id.\"}", "-7", "folder", NULL, NULL, "Negative id."},
        /* No id: the url, and the source from its host. */
        {"{\"url\":\"https://www.Example.com/story?x=1\",\"text\":\"From a URL.\"}",
         "https://www.Example.com/story?x=1", "example.com", NULL, NULL, "From a URL."},
        /* An explicit source beats the URL's host. */
        {"{\"id\":\"j14\",\"url\":\"https://news.example.org/a\",\"source\":\"Given\","
         "\"text\":\"Given source.\"}",
         "j14", "Given", NULL, NULL, "Given source."},
        /* An empty source is no source. */
        {"{\"id\":\"j15\",\"url\":\"https://news.example.org/b\",\"source\":\"\","
         "\"text\":\"Empty source.\"}",
         "j15", "news.example.org", NULL, NULL, "Empty source."},
        /* A URL without a host form: the fallback source. */
        {"{\"id\":\"j16\",\"url\":\"not a url\",\"text\":\"Odd URL.\"}", "j16", "folder", NULL,
         NULL, "Odd URL."},
        {"{\"id\":\"j17\",\"title\":\"Given JSON title\",\"text\":\"Seventeen.\"}", "j17",
         "folder", NULL, "Given JSON title", "Seventeen."},
        /* JSON escapes are decoded; surrounding blanks and a CR are allowed. */
        {"  {\"id\":\"j18\",\"text\":\"Line one.\\nLine \\\"two\\\" \\u00e9\\u20ac.\"}\t\r",
         "j18", "folder", NULL, NULL, "Line one.\nLine \"two\" \xC3\xA9\xE2\x82\xAC."},
    };
    size_t n = sizeof cases / sizeof cases[0];
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(jline(f, (long)i + 1, cases[i].json), SL_OK);
        if (f->nrep)
            fail_msg("case %zu: reported %s", i, sl_strerror(f->rep[0].code));
    }
    sl_batch_summary sum = commit(f);
    assert_int_equal(sum.added, (long long)n);
    for (size_t i = 0; i < n; i++) {
        sl_article *a = get(f, cases[i].id);
        if (strcmp(a->source, cases[i].source) != 0)
            fail_msg("case %zu: source \"%s\", expected \"%s\"", i, a->source, cases[i].source);
        if (cases[i].date) {
            if (!a->date || strcmp(a->date, cases[i].date) != 0)
                fail_msg("case %zu: date %s, expected %s", i, a->date ? a->date : "NULL",
                         cases[i].date);
        } else if (a->date) {
            fail_msg("case %zu: date %s, expected none", i, a->date);
        }
        if (cases[i].title)
            assert_string_equal(a->title, cases[i].title);
        if (strcmp(a->raw, cases[i].raw) != 0)
            fail_msg("case %zu: raw \"%s\", expected \"%s\"", i, a->raw, cases[i].raw);
        char origin[64];
        snprintf(origin, sizeof origin, "feed.jsonl:%zu", i + 1);
        assert_string_equal(a->origin, origin);
        sl_article_free(a);
    }
}

/* Without id or url, the line's place names the record. */
static void test_jsonl_fallback_id(void **state)
{
    fixture *f = *state;
    const char *line = "{\"text\":\"No id and no url here.\"}";
    assert_int_equal(sli_ingest_jsonl_line(f->b, "in/x.jsonl", "sub/x.jsonl", "in", 7, 0, line,
                                       strlen(line)),
                     SL_OK);
    /* A non-integer id is no id (and is kept in meta). */
    const char *line2 = "{\"id\":1.5,\"text\":\"A fractional id.\"}";
    assert_int_equal(sli_ingest_jsonl_line(f->b, "in/x.jsonl", "sub/x.jsonl", "in", 8, 40, line2,
                                       strlen(line2)),
                     SL_OK);
    assert_int_equal(f->nrep, 0);
    commit(f);
    sl_article *a = get(f, "sub/x.jsonl:7");
    assert_string_equal(a->source, "in");
    assert_string_equal(a->origin, "in/x.jsonl:7");
    assert_string_equal(a->raw, "No id and no url here.");
    sl_article_free(a);
    a = get(f, "sub/x.jsonl:8");
    assert_non_null(a->meta);
    json_object *m = json_tokener_parse(a->meta);
    assert_non_null(m);
    json_object *v;
    assert_true(json_object_object_get_ex(m, "id", &v));
    assert_true(json_object_is_type(v, json_type_double));
    json_object_put(m);
    sl_article_free(a);
}

static void test_jsonl_meta(void **state)
{
    fixture *f = *state;
    const char *line =
        "{\"id\":\"m1\",\"url\":\"https://x.example/a\",\"source\":\"S\",\"title\":\"T is here\","
        "\"date\":\"2024-03-15\",\"text\":\"Meta test text.\",\"lang\":\"en\","
        "\"tags\":[\"a\",\"b\"],\"n\":3,\"nested\":{\"k\":null},\"flag\":true,"
        "\"published\":\"2024-01-01\"}";
    assert_int_equal(jline(f, 1, line), SL_OK);
    const char *plain = "{\"id\":\"m2\",\"title\":\"Only known\",\"text\":\"No unknown fields.\"}";
    assert_int_equal(jline(f, 2, plain), SL_OK);
    const char *bad_date = "{\"id\":\"m3\",\"date\":\"not a date\",\"text\":\"Bad date text.\"}";
    assert_int_equal(jline(f, 3, bad_date), SL_OK);
    assert_int_equal(f->nrep, 0);
    commit(f);

    sl_article *a = get(f, "m1");
    assert_non_null(a->meta);
    json_object *m = json_tokener_parse(a->meta);
    assert_non_null(m);
    assert_true(json_object_is_type(m, json_type_object));
    json_object *v;
    assert_true(json_object_object_get_ex(m, "lang", &v));
    assert_string_equal(json_object_get_string(v), "en");
    assert_true(json_object_object_get_ex(m, "tags", &v));
    assert_int_equal(json_object_array_length(v), 2);
    assert_true(json_object_object_get_ex(m, "n", &v));
    assert_int_equal(json_object_get_int(v), 3);
    assert_true(json_object_object_get_ex(m, "nested", &v));
    assert_true(json_object_is_type(v, json_type_object));
    assert_true(json_object_object_get_ex(m, "flag", &v));
    assert_true(json_object_get_boolean(v));
    /* The date not taken (date won) stays in meta. */
    assert_true(json_object_object_get_ex(m, "published", &v));
    /* Fields taken are not repeated in meta. */
    static const char *const taken[] = {"id", "url", "source", "title", "date", "text"};
    for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++)
        if (json_object_object_get_ex(m, taken[i], NULL))
            fail_msg("taken field \"%s\" is in meta: %s", taken[i], a->meta);
    assert_int_equal(json_object_object_length(m), 6);
    json_object_put(m);
    assert_string_equal(a->title, "T is here");
    assert_string_equal(a->date, "2024-03-15");
    assert_string_equal(a->url, "https://x.example/a");
    sl_article_free(a);

    a = get(f, "m2");
    assert_null(a->meta);
    sl_article_free(a);

    a = get(f, "m3");
    assert_null(a->date);
    assert_non_null(a->meta);
    m = json_tokener_parse(a->meta);
    assert_non_null(m);
    assert_true(json_object_object_get_ex(m, "date", &v));
    assert_string_equal(json_object_get_string(v), "not a date");
    json_object_put(m);
    sl_article_free(a);
}

typedef struct jbad {
    const char *json;
    sl_error code;
} jbad;

static void test_jsonl_bad_lines(void **state)
{
    fixture *f = *state;
    static const jbad cases[] = {
        {"{\"id\": \"x\", \"text\": ", SL_ERR_JSON},
        {"{\"id\": \"x\" \"text\": \"t\"}", SL_ERR_JSON},
        {"{id: 1}", SL_ERR_JSON},
        {"not json at all", SL_ERR_JSON},
        {"{\"id\":\"x\",\"text\":\"Trailing garbage.\"} extra", SL_ERR_JSON},
        {"{\"id\":\"x\",\"text\":\"Two objects.\"}{\"id\":\"y\"}", SL_ERR_JSON},
        {"[1,2,3]", SL_ERR_JSON},
        {"[{\"id\":\"x\",\"text\":\"In an array.\"}]", SL_ERR_JSON},
        {"\"just a string\"", SL_ERR_JSON},
        {"42", SL_ERR_JSON},
        {"null", SL_ERR_JSON},
        {"{\"id\":\"x\",\"title\":\"\"}", SL_ERR_NO_TEXT}, /* a title alone is an article; an empty one is not */
        {"{\"id\":\"x\",\"text\":\"\"}", SL_ERR_NO_TEXT},
        {"{\"id\":\"x\",\"text\":null,\"body\":[\"a\"]}", SL_ERR_NO_TEXT},
        {"{}", SL_ERR_NO_TEXT},
        {"{\"id\":\"x\",\"html\":\"<html><body> </body></html>\"}", SL_ERR_EMPTY}, /* a page, no text */
        {"{\"id\":\"h\",\"html\":\"<p>Only HTML, read by the HTML front end.</p>\"}", SL_OK},
        {"{\"id\":\"x\",\"text\":\"Has a \\u0000 NUL.\"}", SL_ERR_BINARY},
        {"{\"id\":\"x\",\"text\":\"Bad byte \xFF here.\"}", SL_ERR_UTF8},
        {"{\"id\":\"x\",\"text\":\"   \\n\\t  \"}", SL_ERR_EMPTY},
        {"{\"id\":\"\",\"text\":\"Empty id and no url.\"}", SL_OK}, /* falls back: added */
    };
    size_t n = sizeof cases / sizeof cases[0];
    int expect_reports = 0;
    for (size_t i = 0; i < n; i++) {
        long line = 100 + (long)i;
        assert_int_equal(jline(f, line, cases[i].json), SL_OK);
        if (cases[i].code == SL_OK) {
            if (f->nrep != expect_reports)
                fail_msg("case %zu: reported %s, expected nothing", i,
                         sl_strerror(f->rep[f->nrep - 1].code));
            continue;
        }
        expect_reports++;
        if (f->nrep != expect_reports)
            fail_msg("case %zu (%s): %d reports, expected %d", i, cases[i].json, f->nrep,
                     expect_reports);
        const report_copy *r = &f->rep[f->nrep - 1];
        if (r->code != cases[i].code)
            fail_msg("case %zu (%s): reported %s, expected %s", i, cases[i].json,
                     sl_strerror(r->code), sl_strerror(cases[i].code));
        assert_string_equal(r->path, "feed.jsonl");
        assert_int_equal(r->line, line);
        /* Offsets are in the file: at or after the line's start. */
        assert_true(r->offset >= 1000 + line);
        assert_true(r->offset <= 1000 + line + (long long)strlen(cases[i].json));
    }
    sl_batch_summary sum = commit(f);
    assert_int_equal(sum.skipped, expect_reports);
    assert_int_equal(sum.added, 2);
    sl_article *a = get(f, "feed.jsonl:120");
    sl_article_free(a);
    a = get(f, "h");
    assert_string_equal(a->raw, "Only HTML, read by the HTML front end.");
    assert_string_equal(a->charset, "UTF-8");
    sl_article_free(a);
}

/* The offset of a JSON syntax error points into the line. */
static void test_jsonl_error_offset(void **state)
{
    fixture *f = *state;
    const char *line = "{\"id\":\"x\",\"text\":\"ok\"}   tail";
    assert_int_equal(sli_ingest_jsonl_line(f->b, "p", "p", "s", 3, 500, line, strlen(line)), SL_OK);
    assert_int_equal(f->nrep, 1);
    assert_int_equal(f->rep[0].code, SL_ERR_JSON);
    assert_int_equal(f->rep[0].line, 3);
    assert_int_equal(f->rep[0].offset, 500 + 25); /* the trailing text (the object is 22) */
}

/* A JSON string may hold \u0000. In the text that is binary data; in the id, title or
 * source it must not silently cut the value short (an id "x\u0000y" stored as "x" would
 * overwrite or shadow article "x"). The record is refused. */
static void test_jsonl_nul_in_fields(void **state)
{
    fixture *f = *state;
    static const char *const lines[] = {
        "{\"id\":\"x\\u0000y\",\"text\":\"Text of the record with a NUL in its id.\"}",
        "{\"id\":\"t\",\"title\":\"Ti\\u0000tle\",\"text\":\"Text with a NUL in the title.\"}",
        "{\"id\":\"s\",\"source\":\"so\\u0000urce\",\"text\":\"Text with a NUL in the source.\"}",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        assert_int_equal(jline(f, (long)i + 1, lines[i]), SL_OK);
    int reports = f->nrep;
    sl_batch_summary sum = commit(f);
    static const char *const ids[] = {"x", "t", "s"};
    int stored = 0;
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        sl_article *a = NULL;
        if (sl_store_get_article(f->st, ids[i], 0, &a) == SL_OK) {
            stored++;
            sl_article_free(a);
        }
    }
    assert_int_equal(stored, 0);
    assert_int_equal(sum.added, 0);
    assert_int_equal(sum.skipped, 3);
    assert_int_equal(reports, 3);
}

static void test_jsonl_blank_lines(void **state)
{
    fixture *f = *state;
    static const char *const blanks[] = {"", " ", "\t", "   \t  ", "\r", " \r", "\t\r"};
    for (size_t i = 0; i < sizeof blanks / sizeof blanks[0]; i++)
        assert_int_equal(jline(f, (long)i + 1, blanks[i]), SL_OK);
    assert_int_equal(f->nrep, 0);
    sl_batch_summary peek;
    sl_batch_peek(f->b, &peek);
    assert_int_equal(peek.added + peek.updated + peek.present + peek.skipped, 0);
    commit(f);
    sl_stats s;
    assert_int_equal(sl_store_stats(f->st, &s), SL_OK);
    assert_int_equal(s.articles, 0);
}

/* ---------------------------------------------------------------------------------- */
/* Files and directories                                                              */
/* ---------------------------------------------------------------------------------- */

static void test_jsonl_file(void **state)
{
    fixture *f = *state;
    static const char *const lines[] = {
        "{\"id\":\"g1\",\"text\":\"Good line one.\"}",
        "{\"id\":\"bad\",\"text\":",
        "",
        "{\"id\":\"g2\",\"text\":\"Good line four.\"}\r",
        "[\"an array\"]",
        "   ",
        "{\"text\":\"Good line seven, no id.\"}",
        "{\"id\":\"nt\"}",
        "{\"id\":\"g3\",\"text\":\"Good last line without a newline.\"}",
    };
    size_t nlines = sizeof lines / sizeof lines[0];
    char data[2048] = "";
    long long starts[16];
    size_t len = 0;
    for (size_t i = 0; i < nlines; i++) {
        starts[i] = (long long)len;
        len += (size_t)snprintf(data + len, sizeof data - len, "%s%s", lines[i],
                                i + 1 < nlines ? "\n" : "");
    }
    char path[256];
    snprintf(path, sizeof path, "%s/mixed.jsonl", f->dir);
    write_file(path, data, len);

    assert_int_equal(sli_ingest_jsonl_file(f->b, path, "mixed.jsonl", "here"), SL_OK);
    assert_int_equal(f->nrep, 3);
    static const struct {
        long line;
        sl_error code;
    } want[] = {{2, SL_ERR_JSON}, {5, SL_ERR_JSON}, {8, SL_ERR_NO_TEXT}};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(f->rep[i].line, want[i].line);
        assert_int_equal(f->rep[i].code, want[i].code);
        assert_string_equal(f->rep[i].path, path);
    }
    /* Offsets are those of the lines in the file. */
    assert_true(f->rep[0].offset >= starts[1] && f->rep[0].offset <= starts[2]);
    assert_int_equal(f->rep[1].offset, starts[4]);
    assert_int_equal(f->rep[2].offset, starts[7]);

    sl_batch_summary sum = commit(f);
    assert_int_equal(sum.added, 4);
    assert_int_equal(sum.skipped, 3);
    assert_int_equal(sum.files, 1);
    assert_int_equal(sum.bytes, (long long)len);

    sl_article *a = get(f, "g2");
    assert_string_equal(a->raw, "Good line four.");
    char origin[300];
    snprintf(origin, sizeof origin, "%s:4", path);
    assert_string_equal(a->origin, origin);
    assert_string_equal(a->source, "here");
    sl_article_free(a);
    a = get(f, "mixed.jsonl:7");
    assert_string_equal(a->raw, "Good line seven, no id.");
    sl_article_free(a);
    a = get(f, "g3");
    snprintf(origin, sizeof origin, "%s:9", path);
    assert_string_equal(a->origin, origin);
    sl_article_free(a);
}

/* A line over the article limit is skipped and reported; the next line is read. */
static void test_jsonl_file_long_line(void **state)
{
    fixture *f = *state;
    sl_batch_free(f->b);
    f->b = NULL;
    sl_ingest_options opt = {.max_article_bytes = 200, .on_report = collect, .user = f};
    assert_int_equal(sl_batch_begin(f->st, &opt, &f->b), SL_OK);

    char data[1024];
    size_t len = 0;
    len += (size_t)snprintf(data + len, sizeof data - len, "{\"id\":\"long\",\"text\":\"");
    memset(data + len, 'x', 400);
    len += 400;
    len += (size_t)snprintf(data + len, sizeof data - len,
                            "\"}\n{\"id\":\"short\",\"text\":\"Fits.\"}\n");
    char path[256];
    snprintf(path, sizeof path, "%s/long.jsonl", f->dir);
    write_file(path, data, len);
    assert_int_equal(sli_ingest_jsonl_file(f->b, path, "long.jsonl", "here"), SL_OK);
    assert_int_equal(f->nrep, 1);
    assert_int_equal(f->rep[0].code, SL_ERR_TOO_BIG);
    assert_int_equal(f->rep[0].line, 1);
    sl_batch_summary sum = commit(f);
    assert_int_equal(sum.added, 1);
    assert_int_equal(sum.skipped, 1);
    sl_article *a = get(f, "short");
    sl_article_free(a);
}

static void test_add_path_tree(void **state)
{
    fixture *f = *state;
    make_dir(f, "in");
    make_dir(f, "in/sub");
    make_dir(f, "in/sub/deeper");
    make_dir(f, "in/.hidden");
    write_str(f, "in/a.txt", "date 2024-03-15 Top level article in the input folder.");
    write_str(f, "in/.x.txt", "A hidden file that must be passed over.");
    write_str(f, "in/notes.md", "A markdown file that must be passed over.");
    write_str(f, "in/page.html", "<p>An HTML page, read in a walk as the others.</p>");
    write_str(f, "in/.hidden/h.txt", "A file in a hidden folder, passed over.");
    write_str(f, "in/sub/b.txt", "Second article, one folder down.");
    write_str(f, "in/sub/deeper/c", "Third article, with no extension at all.");
    write_str(f, "in/sub/feed.jsonl",
              "{\"text\":\"A JSON line without id or url.\"}\n"
              "{\"url\":\"https://www.news.example/x\",\"text\":\"A JSON line with a URL.\"}\n");
    write_str(f, "in/sub/upper.TXT", "An upper-case extension still counts as text.");

    char dir[256];
    snprintf(dir, sizeof dir, "%s/in", f->dir);
    assert_int_equal(sl_batch_add_path(f->b, dir), SL_OK);
    if (f->nrep)
        fail_msg("%d reports, the first %s for %s", f->nrep, sl_strerror(f->rep[0].code),
                 f->rep[0].path);
    sl_batch_summary sum = commit(f);
    assert_int_equal(sum.added, 7);
    assert_int_equal(sum.files, 6);
    assert_int_equal(sum.skipped, 0);

    static const struct {
        const char *id;
        const char *source;
    } want[] = {
        {"a.txt", "in"},
        {"sub/b.txt", "sub"},
        {"sub/deeper/c", "deeper"},
        {"sub/feed.jsonl:1", "sub"},
        {"https://www.news.example/x", "news.example"},
        {"sub/upper.TXT", "sub"},
        {"page.html", "in"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        sl_article *a = get(f, want[i].id);
        if (strcmp(a->source, want[i].source) != 0)
            fail_msg("%s: source \"%s\", expected \"%s\"", want[i].id, a->source,
                     want[i].source);
        sl_article_free(a);
    }
    sl_article *a = get(f, "a.txt");
    assert_string_equal(a->date, "2024-03-15");
    assert_string_equal(a->raw, "Top level article in the input folder.");
    char origin[300];
    snprintf(origin, sizeof origin, "%s/a.txt", dir);
    assert_string_equal(a->origin, origin);
    sl_article_free(a);
    sl_stats s;
    assert_int_equal(sl_store_stats(f->st, &s), SL_OK);
    assert_int_equal(s.articles, 7);

    /* The same tree named with a trailing slash: the same ids, so all present. */
    sl_ingest_options opt = {.on_report = collect, .user = f};
    assert_int_equal(sl_batch_begin(f->st, &opt, &f->b), SL_OK);
    snprintf(dir, sizeof dir, "%s/in/", f->dir);
    assert_int_equal(sl_batch_add_path(f->b, dir), SL_OK);
    sum = commit(f);
    assert_int_equal(sum.present, 7);
    assert_int_equal(sum.added, 0);
    assert_int_equal(f->nrep, 0);

    /* One file named directly: its id is its name, its source the folder's name. */
    assert_int_equal(sl_batch_begin(f->st, &opt, &f->b), SL_OK);
    write_str(f, "in/sub/new.txt", "A new article named directly on its own.");
    char file[300];
    snprintf(file, sizeof file, "%s/in/sub/new.txt", f->dir);
    assert_int_equal(sl_batch_add_path(f->b, file), SL_OK);
    sum = commit(f);
    assert_int_equal(sum.added, 1);
    assert_int_equal(sum.files, 1);
    a = get(f, "new.txt");
    assert_string_equal(a->source, "sub");
    sl_article_free(a);
}

static void test_add_path_problems(void **state)
{
    fixture *f = *state;
    write_str(f, "page.pdf", "%PDF-1.4");
    write_str(f, "notes.md", "Markdown.");
    write_str(f, "empty.txt", "");
    char path[256];
    snprintf(path, sizeof path, "%s/bin.txt", f->dir);
    write_file(path, "Looks like text\0but is not", 26);
    snprintf(path, sizeof path, "%s/page.html", f->dir); /* a JPEG served as a page */
    write_file(path, "\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\x01\x02\x03", 24);

    static const struct {
        const char *rel;
        sl_error code;
    } cases[] = {
        {"missing.txt", SL_ERR_NOT_FOUND},
        {"page.pdf", SL_ERR_UNSUPPORTED},
        {"page.html", SL_ERR_BINARY},
        {"notes.md", SL_ERR_UNSUPPORTED},
        {"empty.txt", SL_ERR_EMPTY},
        {"bin.txt", SL_ERR_BINARY},
    };
    size_t n = sizeof cases / sizeof cases[0];
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", f->dir, cases[i].rel);
        assert_int_equal(sl_batch_add_path(f->b, path), SL_OK);
        if (f->nrep != (int)i + 1)
            fail_msg("%s: %d reports, expected %zu", cases[i].rel, f->nrep, i + 1);
        if (f->rep[i].code != cases[i].code)
            fail_msg("%s: reported %s, expected %s", cases[i].rel, sl_strerror(f->rep[i].code),
                     sl_strerror(cases[i].code));
        assert_string_equal(f->rep[i].path, path);
    }
    sl_batch_summary sum = commit(f);
    assert_int_equal(sum.skipped, (long long)n);
    assert_int_equal(sum.added, 0);
}

/* A link loop ends at once: a directory already walked (same device and inode) is not
 * walked again, so the article is read once and nothing is reported. */
static void test_add_path_link_loop(void **state)
{
    fixture *f = *state;
    make_dir(f, "in");
    write_str(f, "in/a.txt", "The only article in a folder that links to itself.");
    char target[256], link[256], link2[256];
    snprintf(target, sizeof target, "%s/in", f->dir);
    snprintf(link, sizeof link, "%s/in/loop", f->dir);
    snprintf(link2, sizeof link2, "%s/in/loop2", f->dir);
    assert_int_equal(symlink(target, link), 0);
    assert_int_equal(symlink(target, link2), 0); /* two links: 2^64 paths if followed */
    assert_int_equal(sl_batch_add_path(f->b, target), SL_OK);
    assert_int_equal(f->nrep, 0);
    sl_batch_summary sum = commit(f);
    assert_int_equal(sum.files, 1);
    assert_int_equal(sum.added, 1);
    assert_int_equal(sum.present, 0);
    assert_int_equal(sum.skipped, 0);
    sl_article *a = get(f, "a.txt");
    sl_article_free(a);
}

/* A file over the article limit is reported, not read. */
static void test_add_path_file_too_big(void **state)
{
    fixture *f = *state;
    sl_batch_free(f->b);
    f->b = NULL;
    sl_ingest_options opt = {.max_article_bytes = 64, .on_report = collect, .user = f};
    assert_int_equal(sl_batch_begin(f->st, &opt, &f->b), SL_OK);
    make_dir(f, "in");
    char big[200];
    memset(big, 'w', sizeof big - 1);
    for (size_t i = 7; i < sizeof big - 1; i += 8)
        big[i] = ' ';
    big[sizeof big - 1] = '\0';
    write_str(f, "in/big.txt", big);
    write_str(f, "in/small.txt", "Small enough to fit.");
    char dir[256];
    snprintf(dir, sizeof dir, "%s/in", f->dir);
    assert_int_equal(sl_batch_add_path(f->b, dir), SL_OK);
    assert_int_equal(f->nrep, 1);
    assert_int_equal(f->rep[0].code, SL_ERR_TOO_BIG);
    char path[300];
    snprintf(path, sizeof path, "%s/big.txt", dir);
    assert_string_equal(f->rep[0].path, path);
    sl_batch_summary sum = commit(f);
    assert_int_equal(sum.added, 1);
    assert_int_equal(sum.skipped, 1);
    assert_int_equal(sum.files, 2);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_text_headers),
        T(test_text_header_then_time),
        T(test_text_bad),
        T(test_jsonl_fields),
        T(test_jsonl_fallback_id),
        T(test_jsonl_meta),
        T(test_jsonl_bad_lines),
        T(test_jsonl_error_offset),
        T(test_jsonl_nul_in_fields),
        T(test_jsonl_blank_lines),
        T(test_jsonl_file),
        T(test_jsonl_file_long_line),
        T(test_add_path_tree),
        T(test_add_path_problems),
        T(test_add_path_link_loop),
        T(test_add_path_file_too_big),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
