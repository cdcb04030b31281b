/* test_records.c — sl_read_records and sl_batch_add_record: articles read in one place
 * and stored in another are stored as the batch that read them would have (fields, the
 * input's other fields, origin, an HTML page's hints and metadata, cleaned text, events);
 * a blob that is not a whole record is reported and skipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scratch.h"
#include "storyline.h"

typedef struct blobs {
    unsigned char *data[16];
    size_t len[16];
    int n;
    int reports;
} blobs;

static int keep(void *user, const void *record, size_t len)
{
    blobs *b = user;
    assert_true(b->n < 16);
    b->data[b->n] = malloc(len ? len : 1);
    assert_non_null(b->data[b->n]);
    memcpy(b->data[b->n], record, len);
    b->len[b->n++] = len;
    return 0;
}

static void count_report(void *user, const sl_report *r)
{
    (void)r;
    ((blobs *)user)->reports++;
}

static void blobs_free(blobs *b)
{
    for (int i = 0; i < b->n; i++)
        free(b->data[i]);
}

static void write_file(const char *dir, const char *name, const char *data)
{
    assert_int_equal(scratch_write(dir, name, data), 0);
}

static const char LINES[] =
    "{\"id\": \"a1\", \"source\": \"x.example\", \"date\": \"2024-03-15T09:30:00Z\","
    " \"title\": \"Bridge to close\", \"section\": \"metro\","
    " \"text\": \"The bridge will close for three weeks from Monday, the council said.\\n\\n"
    "Ferries will run every ten minutes while it is shut.\"}\n"
    "{\"id\": \"a2\", \"text\": \n"
    "{\"id\": \"a3\", \"source\": \"x.example\", \"url\": \"https://x.example/a3\","
    " \"text\": \"The bridge will close for three weeks from Monday, the council said.\\n\\n"
    "Ferries will run every ten minutes while it is shut.\\n\\nMore: sign up.\"}\n";

static const char PAGE[] =
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<title>Ferry service resumes | Harbour Times</title>"
    "<meta property=\"og:title\" content=\"Ferry service resumes\">"
    "<meta property=\"og:site_name\" content=\"Harbour Times\">"
    "<meta property=\"article:published_time\" content=\"2024-03-02T08:00:00Z\">"
    "<meta name=\"author\" content=\"Ana Lima\">"
    "<meta name=\"description\" content=\"Crossings run again after the storms.\">"
    "<link rel=\"canonical\" href=\"https://harbour.example/ferry\">"
    "</head><body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>"
    "<article><h1>Ferry service resumes</h1>"
    "<p>The ferry service resumed on Saturday after a week of storms closed the harbour"
    " and stranded hundreds of travellers on both sides of the strait.</p>"
    "<p>Officials said all crossings would run on time from now on.</p></article>"
    "<footer>Copyright Harbour Times. All rights reserved.</footer></body></html>\n";

/* A query's one text value on store file db ("" for NULL). */
static void query_text(const char *db, const char *sql, char *out, size_t cap)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;
    out[0] = '\0';
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(s, 0);
    snprintf(out, cap, "%s", t ? (const char *)t : "");
    sqlite3_finalize(s);
    sqlite3_close(h);
}

typedef struct text {
    char *s;
    size_t n;
} text;

static int collect(void *user, const char *d, size_t n)
{
    text *t = user;
    char *grown = realloc(t->s, t->n + n + 1);
    if (!grown)
        return 1;
    memcpy(grown + t->n, d, n);
    t->s = grown;
    t->n += n;
    t->s[t->n] = '\0';
    return 0;
}

static const char ROWS[] =
    "SELECT group_concat(r, char(10)) FROM (SELECT id || '|' || source || '|' ||"
    " coalesce(url, '-') || '|' || coalesce(date, '-') || '|' || coalesce(title, '-') || '|'"
    " || coalesce(meta, '-') || '|' || coalesce(origin, '-') || '|' || chars_raw || '|' ||"
    " chars_clean AS r FROM articles ORDER BY rid)";
static const char PAGES[] =
    "SELECT group_concat(r, char(10)) FROM (SELECT p.rid || '|' || hex(p.hints) || '|' ||"
    " coalesce(p.charset, '-') || '|' || coalesce(p.title, '-') || '|' ||"
    " coalesce(p.title_from, '-') || '|' || coalesce(p.date, '-') || '|' ||"
    " coalesce(p.date_from, '-') || '|' || coalesce(p.author, '-') || '|' ||"
    " coalesce(p.author_from, '-') || '|' || coalesce(p.site_name, '-') || '|' ||"
    " coalesce(p.site_name_from, '-') || '|' || coalesce(p.canonical, '-') || '|' ||"
    " coalesce(p.canonical_from, '-') || '|' || coalesce(p.lang, '-') || '|' ||"
    " coalesce(p.lang_from, '-') || '|' || coalesce(p.description, '-') || '|' ||"
    " coalesce(p.description_from, '-') || '|' || coalesce(p.fetch_date, '-') AS r"
    " FROM pages p ORDER BY p.rid)";

static void test_stored_as_read(void **state)
{
    (void)state;
    char dir[64] = "/tmp/sl-test-records-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char in[128], sub[160], db_a[160], db_b[160];
    snprintf(in, sizeof in, "%s/in", dir);
    mkdir(in, 0700);
    write_file(in, "a.jsonl", LINES);
    snprintf(sub, sizeof sub, "%s/site.example", in);
    mkdir(sub, 0700);
    write_file(sub, "b.txt", " date 2024-02-01\nHarbour news\n\nThe harbour reopened today.\n");
    write_file(sub, "ferry.html", PAGE);
    snprintf(db_a, sizeof db_a, "%s/a.db", dir);
    snprintf(db_b, sizeof db_b, "%s/b.db", dir);

    /* A: the batch reads the inputs itself */
    sl_store *a, *b;
    sl_batch *batch;
    sl_batch_summary sa, sb, sr;
    assert_int_equal(sl_store_open(db_a, SL_OPEN_CREATE, &a), SL_OK);
    assert_int_equal(sl_batch_begin(a, NULL, &batch), SL_OK);
    assert_int_equal(sl_batch_add_path(batch, in), SL_OK);
    assert_int_equal(sl_batch_commit(batch, &sa), SL_OK);
    sl_batch_free(batch);

    /* B: read into records elsewhere, then stored */
    blobs r = {0};
    sl_ingest_options o = {0};
    o.on_report = count_report;
    o.user = &r;
    assert_int_equal(sl_read_records(in, &o, keep, &r, &sr), SL_OK);
    assert_int_equal(r.n, 4);
    assert_int_equal(r.reports, 1); /* the broken line, as the batch reports it */
    assert_int_equal(sr.skipped, 1);
    assert_int_equal(sl_store_open(db_b, SL_OPEN_CREATE, &b), SL_OK);
    assert_int_equal(sl_batch_begin(b, NULL, &batch), SL_OK);
    for (int i = 0; i < r.n; i++)
        assert_int_equal(sl_batch_add_record(batch, r.data[i], r.len[i]), SL_OK);
    assert_int_equal(sl_batch_commit(batch, &sb), SL_OK);
    sl_batch_free(batch);
    assert_int_equal(sb.added, sa.added);
    assert_int_equal(sb.added, 4);
    assert_int_equal(sb.skipped, 0);

    /* the same rows: fields, the input's other fields, origins, the page's hints and
     * metadata, the texts' lengths raw and cleaned */
    char want[4096], got[4096];
    query_text(db_a, ROWS, want, sizeof want);
    query_text(db_b, ROWS, got, sizeof got);
    assert_string_equal(got, want);
    assert_non_null(strstr(want, "\"section\"")); /* the meta is there to compare */
    assert_non_null(strstr(want, "a.jsonl:3"));
    query_text(db_a, PAGES, want, sizeof want);
    query_text(db_b, PAGES, got, sizeof got);
    assert_non_null(strstr(want, "Ana Lima")); /* the page's row, its metadata there */
    assert_non_null(strstr(want, "harbour.example/ferry"));
    assert_string_equal(got, want);
    /* the same cleaned texts and events (with families, headlines and summaries) */
    text ea = {0}, eb = {0};
    assert_int_equal(sl_write_events(a, collect, &ea), SL_OK);
    assert_int_equal(sl_write_events(b, collect, &eb), SL_OK);
    assert_non_null(ea.s);
    assert_non_null(eb.s);
    assert_string_equal(eb.s, ea.s);
    static const char *const ids[] = {"a1", "a3"};
    for (size_t i = 0; i < 2; i++) {
        sl_article *x, *y;
        assert_int_equal(sl_store_get_article(a, ids[i], SL_WITH_TEXT, &x), SL_OK);
        assert_int_equal(sl_store_get_article(b, ids[i], SL_WITH_TEXT, &y), SL_OK);
        assert_string_equal(y->text, x->text);
        sl_article_free(x);
        sl_article_free(y);
    }
    free(ea.s);
    free(eb.s);
    sl_store_free(a);
    sl_store_free(b);
    blobs_free(&r);
    remove_tree(dir);
}

/* A record damaged in any way is reported with "(record)" and skipped; the batch goes on
 * and stores the good ones. */
static void test_damaged_records(void **state)
{
    (void)state;
    char dir[64] = "/tmp/sl-test-records-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char in[128], db[160];
    snprintf(in, sizeof in, "%s/a.jsonl", dir);
    FILE *f = fopen(in, "wb");
    assert_non_null(f);
    fputs(LINES, f);
    fclose(f);
    blobs r = {0};
    assert_int_equal(sl_read_records(in, NULL, keep, &r, NULL), SL_OK);
    assert_int_equal(r.n, 2);
    snprintf(db, sizeof db, "%s/s.db", dir);
    sl_store *st;
    assert_int_equal(sl_store_open(db, SL_OPEN_CREATE, &st), SL_OK);
    sl_batch *batch;
    blobs seen = {0};
    sl_ingest_options o = {0};
    o.on_report = count_report;
    o.user = &seen;
    assert_int_equal(sl_batch_begin(st, &o, &batch), SL_OK);
    long long refused = 0;
    /* every prefix of a record: none is a record */
    for (size_t cut = 0; cut < r.len[0]; cut++, refused++)
        assert_int_equal(sl_batch_add_record(batch, r.data[0], cut), SL_OK);
    /* a byte after its end, a mark of another version, a length past the end */
    unsigned char *more = malloc(r.len[0] + 1);
    assert_non_null(more);
    memcpy(more, r.data[0], r.len[0]);
    more[r.len[0]] = 0;
    assert_int_equal(sl_batch_add_record(batch, more, r.len[0] + 1), SL_OK);
    more[3] = '2';
    assert_int_equal(sl_batch_add_record(batch, more, r.len[0]), SL_OK);
    more[3] = '1';
    more[5] = 0x7f; /* the id's length: its NUL is not where that says */
    assert_int_equal(sl_batch_add_record(batch, more, r.len[0]), SL_OK);
    refused += 3;
    assert_int_equal(sl_batch_add_record(batch, NULL, 1), SL_ERR_INVALID);
    /* the good one still goes in */
    assert_int_equal(sl_batch_add_record(batch, r.data[1], r.len[1]), SL_OK);
    sl_batch_summary s;
    assert_int_equal(sl_batch_commit(batch, &s), SL_OK);
    sl_batch_free(batch);
    assert_int_equal(s.added, 1);
    assert_int_equal(s.skipped, refused);
    assert_int_equal(seen.reports, refused);
    free(more);
    sl_store_free(st);
    blobs_free(&r);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stored_as_read),
        cmocka_unit_test(test_damaged_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
