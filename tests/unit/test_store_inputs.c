/* test_store_inputs.c — an article's title and date as its input gave them (title_in,
 * date_in), which cleaning reads again: since version 11 kept as an empty blob where they
 * are the cleaned ones (src/store/store_impl.h, STORE_SAME_IN), and written out again
 * when a later cleaning gives another title or date, so that they always read as given. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scratch.h"
#include "storyline.h"
#include "store/store.h"
#include "store/store_impl.h" /* sli_store_prepare: the columns' types */

static const char TEXT[] = "The ferry Nordlys ran aground off Kessa Island on Saturday.\n\n"
                           "All 112 passengers were taken ashore by lifeboat, the harbour master"
                           " said.\n";

/* What cleaning reads of an article: its input title and date, its rid and raw text. */
typedef struct {
    long long rid;
    char title_in[64], date_in[16], raw[512];
    int has_title, has_date;
} read_back;

static sl_error got_row(void *user, const store_clean_row *row)
{
    read_back *r = user;
    r->rid = row->rid;
    r->has_title = row->title_in != NULL;
    r->has_date = row->date_in != NULL;
    snprintf(r->title_in, sizeof r->title_in, "%s", row->title_in ? row->title_in : "");
    snprintf(r->date_in, sizeof r->date_in, "%s", row->date_in ? row->date_in : "");
    snprintf(r->raw, sizeof r->raw, "%s", row->raw ? row->raw : "");
    return SL_OK;
}

static read_back cleaning_reads(sl_store *st, const char *id)
{
    read_back r = {0};
    assert_int_equal(sli_store_each_for_cleaning(st, 0, id, got_row, &r), SL_OK);
    assert_true(r.rid > 0);
    return r;
}

/* "type:value" of column col of article id, e.g. "blob:" or "text:2024-03-02". */
static void column_is(sl_store *st, const char *id, const char *col, const char *want)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT typeof(%s) || ':' || coalesce(%s, '') FROM articles"
             " WHERE id = ?1", col, col);
    sqlite3_stmt *s;
    assert_int_equal(sli_store_prepare(st, sql, &s), SL_OK);
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), want);
    sqlite3_finalize(s);
}

/* Save a cleaning of article r with this title and date (its text the raw text). */
static void cleaned_as(sl_store *st, const read_back *r, const char *title, const char *date)
{
    assert_int_equal(sli_store_begin(st), SL_OK);
    store_clean_saver *v = NULL;
    store_clean_update u = {.raw = r->raw, .raw_len = strlen(r->raw), .text = r->raw,
                            .text_len = strlen(r->raw), .chars_clean = (long long)strlen(r->raw),
                            .title = title, .date = date};
    assert_int_equal(sli_store_cleaned_put(st, &v, r->rid, &u), SL_OK);
    assert_int_equal(sli_store_cleaned_flush(st, v), SL_OK);
    sli_store_clean_saver_free(v);
    assert_int_equal(sli_store_commit(st), SL_OK);
}

static void test_same_as_cleaned(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("store-inputs", dir, db, &st), 0);
    sl_batch *b;
    assert_int_equal(sl_batch_begin(st, NULL, &b), SL_OK);
    sl_article_input given = {.id = "a1", .source = "harbourtimes.example",
                              .date = "2024-03-02", .title = "Ferry runs aground",
                              .text = TEXT};
    /* (another text: the same text from the same source would be the same article) */
    sl_article_input bare = {.id = "a2", .source = "harbourtimes.example",
                             .text = TEXT + strlen("The ferry ")};
    assert_int_equal(sl_batch_add_article(b, &given), SL_OK);
    assert_int_equal(sl_batch_add_article(b, &bare), SL_OK);
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);

    /* given and kept: an empty blob each, read as given */
    column_is(st, "a1", "title", "text:Ferry runs aground");
    column_is(st, "a1", "title_in", "blob:");
    column_is(st, "a1", "date_in", "blob:");
    read_back r = cleaning_reads(st, "a1");
    assert_true(r.has_title && r.has_date);
    assert_string_equal(r.title_in, "Ferry runs aground");
    assert_string_equal(r.date_in, "2024-03-02");
    /* not given: none, whatever the cleaning found */
    column_is(st, "a2", "title_in", "null:");
    read_back r2 = cleaning_reads(st, "a2");
    assert_false(r2.has_title);
    assert_false(r2.has_date);

    /* a later cleaning gives another title and date: the input's written out again */
    cleaned_as(st, &r, "Ferry aground", "2024-03-03");
    column_is(st, "a1", "title", "text:Ferry aground");
    column_is(st, "a1", "title_in", "text:Ferry runs aground");
    column_is(st, "a1", "date_in", "text:2024-03-02");
    r = cleaning_reads(st, "a1");
    assert_string_equal(r.title_in, "Ferry runs aground");
    assert_string_equal(r.date_in, "2024-03-02");
    /* ... and again: still the input's, not the last cleaning's */
    cleaned_as(st, &r, "Ferry aground off Kessa", "2024-03-04");
    column_is(st, "a1", "title_in", "text:Ferry runs aground");
    column_is(st, "a1", "date_in", "text:2024-03-02");
    /* the input's again: the marker again */
    cleaned_as(st, &r, "Ferry runs aground", "2024-03-02");
    column_is(st, "a1", "title_in", "blob:");
    column_is(st, "a1", "date_in", "blob:");
    r = cleaning_reads(st, "a1");
    assert_string_equal(r.title_in, "Ferry runs aground");
    assert_string_equal(r.date_in, "2024-03-02");
    /* a cleaning without a date (none found): the input's date kept */
    cleaned_as(st, &r, "Ferry runs aground", NULL);
    column_is(st, "a1", "title_in", "blob:"); /* the title, unchanged, keeps its marker */
    column_is(st, "a1", "date_in", "text:2024-03-02");
    r = cleaning_reads(st, "a1");
    assert_string_equal(r.date_in, "2024-03-02");

    sl_store_free(st);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_cleaned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
