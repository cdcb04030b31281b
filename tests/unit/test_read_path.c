/* test_read_path.c — sl_read_path: inputs read as a batch reads them, without a store:
 * every form, the same checks and reports, early stop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scratch.h"
#include "storyline.h"

typedef struct seen {
    char ids[8][64], origins[8][128], sources[8][64], dates[8][32], titles[8][96];
    size_t lens[8];
    int n, stop_after;
    char report_path[128];
    long report_line;
    sl_error report_code;
    int reports;
} seen;

static int take(void *user, const sl_article_input *a, const char *origin)
{
    seen *s = user;
    if (s->n < 8) {
        snprintf(s->ids[s->n], sizeof s->ids[0], "%s", a->id);
        snprintf(s->origins[s->n], sizeof s->origins[0], "%s", origin);
        snprintf(s->sources[s->n], sizeof s->sources[0], "%s", a->source);
        snprintf(s->dates[s->n], sizeof s->dates[0], "%s", a->date ? a->date : "-");
        snprintf(s->titles[s->n], sizeof s->titles[0], "%s", a->title ? a->title : "-");
        s->lens[s->n] = a->text_len;
    }
    s->n++;
    return s->stop_after && s->n >= s->stop_after;
}

static void on_report(void *user, const sl_report *r)
{
    seen *s = user;
    s->reports++;
    snprintf(s->report_path, sizeof s->report_path, "%s", r->path);
    s->report_line = r->line;
    s->report_code = r->code;
}

static void write_file(const char *dir, const char *name, const char *data)
{
    assert_int_equal(scratch_write(dir, name, data), 0);
}

static const char LINES[] =
    "{\"id\": \"a1\", \"source\": \"x.example\", \"date\": \"2024-03-15T09:30:00Z\", "
    "\"title\": \"Bridge to close\", \"text\": \"The bridge will close for three weeks.\"}\n"
    "{\"id\": \"a2\", \"text\": \n"
    "{\"id\": \"a3\", \"source\": \"y.example\", \"text\": \"Ferries will run every ten minutes.\"}\n";

static void test_reads_every_form_and_reports(void **state)
{
    (void)state;
    char dir[64] = "/tmp/sl-test-read-XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "a.jsonl", LINES);
    char sub[128];
    snprintf(sub, sizeof sub, "%s/site.example", dir);
    mkdir(sub, 0700);
    write_file(sub, "b.txt", " date 2024-02-01\nHarbour news\n\nThe harbour reopened today.\n");
    seen s = {0};
    sl_ingest_options o = {0};
    o.on_report = on_report;
    o.user = &s;
    sl_batch_summary sum;
    assert_int_equal(sl_read_path(dir, &o, take, &s, &sum), SL_OK);
    assert_int_equal(s.n, 3);
    assert_int_equal(sum.added, 3);
    assert_int_equal(sum.skipped, 1);
    assert_int_equal(sum.files, 2);
    /* the JSON Lines file first (name order), its articles in order */
    assert_string_equal(s.ids[0], "a1");
    assert_string_equal(s.sources[0], "x.example");
    assert_string_equal(s.dates[0], "2024-03-15T09:30:00Z");
    assert_string_equal(s.titles[0], "Bridge to close");
    assert_int_equal(s.lens[0], strlen("The bridge will close for three weeks."));
    char want[160];
    snprintf(want, sizeof want, "%s/a.jsonl:1", dir);
    assert_string_equal(s.origins[0], want);
    assert_string_equal(s.ids[1], "a3");
    assert_string_equal(s.sources[1], "y.example");
    assert_string_equal(s.dates[1], "-");
    /* the broken line: reported with its file and line, the rest read */
    assert_int_equal(s.reports, 1);
    snprintf(want, sizeof want, "%s/a.jsonl", dir);
    assert_string_equal(s.report_path, want);
    assert_int_equal(s.report_line, 2);
    assert_int_equal(s.report_code, SL_ERR_JSON);
    /* the text file: its date line read, its source the folder */
    assert_string_equal(s.sources[2], "site.example");
    assert_string_equal(s.dates[2], "2024-02-01");

    /* stop after the first: no more are handed over, and nothing after it is reported
     * (the broken line 2 comes after the stop) */
    seen one = {0};
    one.stop_after = 1;
    sl_ingest_options o1 = {0};
    o1.on_report = on_report;
    o1.user = &one;
    assert_int_equal(sl_read_path(dir, &o1, take, &one, &sum), SL_OK);
    assert_int_equal(one.n, 1);
    assert_int_equal(one.reports, 0);
    assert_int_equal(sum.skipped, 0);
    assert_int_equal(sum.files, 1); /* the text file is not opened */
    remove_tree(dir);
}

/* What sl_read_path hands over is what a batch stores. */
static void test_same_as_a_batch(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("read-batch", dir, db, &st), 0);
    write_file(dir, "a.jsonl", LINES);
    char path[128];
    snprintf(path, sizeof path, "%s/a.jsonl", dir);
    sl_batch *b;
    assert_int_equal(sl_batch_begin(st, NULL, &b), SL_OK);
    assert_int_equal(sl_batch_add_path(b, path), SL_OK);
    sl_batch_summary bs;
    assert_int_equal(sl_batch_commit(b, &bs), SL_OK);
    sl_batch_free(b);
    seen s = {0};
    sl_batch_summary rs;
    assert_int_equal(sl_read_path(path, NULL, take, &s, &rs), SL_OK);
    assert_int_equal(rs.added, bs.added);
    assert_int_equal(rs.skipped, bs.skipped);
    for (int i = 0; i < s.n; i++) {
        sl_article *a;
        assert_int_equal(sl_store_get_article(st, s.ids[i], SL_WITH_RAW, &a), SL_OK);
        assert_string_equal(a->source, s.sources[i]);
        assert_string_equal(a->origin, s.origins[i]);
        assert_int_equal(strlen(a->raw), s.lens[i]);
        sl_article_free(a);
    }
    sl_store_free(st);
    remove_tree(dir);
}

/* Repeats: handed over as a batch into an empty store would store them. */
static void test_repeats_as_a_batch_counts_them(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("read-repeats", dir, db, &st), 0);
    write_file(dir, "r.jsonl",
               "{\"id\": \"x1\", \"source\": \"s\", \"text\": \"The first text.\"}\n"
               "{\"id\": \"x1\", \"source\": \"s\", \"text\": \"The first text.\"}\n"
               "{\"id\": \"x2\", \"source\": \"s\", \"text\": \"The first text.\"}\n"
               "{\"id\": \"x2\", \"source\": \"t\", \"text\": \"The first text.\"}\n"
               "{\"id\": \"x1\", \"source\": \"s\", \"text\": \"A second text.\"}\n");
    char path[128];
    snprintf(path, sizeof path, "%s/r.jsonl", dir);
    seen s = {0};
    sl_batch_summary rs, bs;
    assert_int_equal(sl_read_path(path, NULL, take, &s, &rs), SL_OK);
    sl_batch *b;
    assert_int_equal(sl_batch_begin(st, NULL, &b), SL_OK);
    assert_int_equal(sl_batch_add_path(b, path), SL_OK);
    assert_int_equal(sl_batch_commit(b, &bs), SL_OK);
    sl_batch_free(b);
    /* x1; x1 again (present); x2 from s with x1's text (present); x2 from t (added:
     * another source); x1 with another text (updated) */
    assert_int_equal(rs.added, bs.added);
    assert_int_equal(rs.updated, bs.updated);
    assert_int_equal(rs.present, bs.present);
    assert_int_equal(rs.added, 2);
    assert_int_equal(rs.updated, 1);
    assert_int_equal(rs.present, 2);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.ids[0], "x1");
    assert_string_equal(s.ids[1], "x2");
    assert_string_equal(s.sources[1], "t");
    assert_string_equal(s.ids[2], "x1");
    assert_int_equal(s.lens[2], strlen("A second text."));
    sl_store_free(st);
    remove_tree(dir);
}

static void test_errors(void **state)
{
    (void)state;
    seen s = {0};
    assert_int_equal(sl_read_path(NULL, NULL, take, &s, NULL), SL_ERR_INVALID);
    assert_int_equal(sl_read_path("/tmp", NULL, NULL, NULL, NULL), SL_ERR_INVALID);
    sl_ingest_options o = {0};
    o.on_report = on_report;
    o.user = &s;
    sl_batch_summary sum;
    assert_int_equal(sl_read_path("/nonexistent/x.jsonl", &o, take, &s, &sum), SL_OK);
    assert_int_equal(s.reports, 1);
    assert_int_equal(s.report_code, SL_ERR_NOT_FOUND);
    assert_int_equal(sum.skipped, 1);
    assert_int_equal(s.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_every_form_and_reports),
        cmocka_unit_test(test_same_as_a_batch),
        cmocka_unit_test(test_repeats_as_a_batch_counts_them),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
