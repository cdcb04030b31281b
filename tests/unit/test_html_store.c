/* test_html_store.c — an HTML page's hints and metadata through the store: written with
 * the article (pages table), read back by the cleaner's row (hints, author, fetch date),
 * the fetch date used only when nothing else dates the article, the author as byline
 * when the text prints none, and the row deleted when the article is updated from text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "storyline.h"
#include "store/store.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void add(sl_store *st, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    sl_batch *b;
    assert_int_equal(sl_batch_begin(st, NULL, &b), SL_OK);
    assert_int_equal(sl_batch_add_path(b, path), SL_OK);
    sl_batch_summary sum;
    assert_int_equal(sl_batch_commit(b, &sum), SL_OK);
    sl_batch_free(b);
    assert_int_equal(sum.skipped, 0);
}

typedef struct seen {
    int rows;
    size_t n_hints;
    int has_hints;
    char author[64], fetch_date[64];
} seen;

static sl_error take(void *user, const store_clean_row *row)
{
    seen *s = user;
    s->rows++;
    s->has_hints = row->hints != NULL;
    s->n_hints = row->n_hints;
    snprintf(s->author, sizeof s->author, "%s", row->author ? row->author : "(null)");
    snprintf(s->fetch_date, sizeof s->fetch_date, "%s", row->fetch_date ? row->fetch_date : "(null)");
    return SL_OK;
}

static seen row_of(sl_store *st, const char *id)
{
    seen s;
    memset(&s, 0, sizeof s);
    assert_int_equal(sli_store_each_for_cleaning(st, 0, id, take, &s), SL_OK);
    assert_int_equal(s.rows, 1);
    return s;
}

static void test_html_store(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_html_store.XXXXXX");
    assert_non_null(mkdtemp(dir));
    char db[128];
    snprintf(db, sizeof db, "%s/s.db", dir);
    sl_store *st;
    assert_int_equal(sl_store_open(db, SL_OPEN_CREATE, &st), SL_OK);

    /* a page of three blocks with an author: three hints, the author as byline */
    write_file("p.html", "<html><head><meta name=\"author\" content=\"Ana Ruiz\"></head><body>"
                         "<p>The first paragraph of a page about a storm on the coast.</p>"
                         "<p>The second paragraph says the harbour was closed for a day.</p>"
                         "<p>The third paragraph says that the ferries ran again later.</p>"
                         "</body></html>");
    add(st, "p.html");
    seen s = row_of(st, "p.html");
    assert_true(s.has_hints);
    sl_article *a;
    assert_int_equal(sl_store_get_article(st, "p.html", SL_WITH_RAW, &a), SL_OK);
    size_t lines = 1;
    for (const char *c = a->raw; *c; c++)
        lines += *c == '\n';
    assert_int_equal(s.n_hints, lines); /* one hint per raw line */
    assert_string_equal(s.author, "Ana Ruiz");
    assert_string_equal(s.fetch_date, "(null)");
    assert_string_equal(a->byline, "Ana Ruiz");
    assert_string_equal(a->charset, "UTF-8");
    assert_null(a->date);
    assert_null(a->date_source);
    sl_article_free(a);

    /* the fetch date: the date only when nothing else dates the article */
    write_file("f.jsonl",
               "{\"id\":\"f1\",\"date_download\":\"2024-02-03T04:05:06Z\",\"html\":\"<p>A page with "
               "no date in it at all, only its download date.</p>\"}\n"
               "{\"id\":\"f2\",\"date_download\":\"2024-02-03T04:05:06Z\",\"html\":\"<p>Published "
               "on 7 March 2024, a page dated in its text, downloaded later.</p>\"}\n");
    add(st, "f.jsonl");
    s = row_of(st, "f1");
    assert_string_equal(s.fetch_date, "2024-02-03T04:05:06Z");
    assert_int_equal(sl_store_get_article(st, "f1", 0, &a), SL_OK);
    assert_string_equal(a->date, "2024-02-03T04:05:06Z");
    assert_string_equal(a->date_source, "warc-date");
    sl_article_free(a);
    assert_int_equal(sl_store_get_article(st, "f2", 0, &a), SL_OK);
    assert_string_equal(a->date, "2024-03-07"); /* the text's date wins over the fetch date */
    assert_string_equal(a->date_source, "text");
    sl_article_free(a);

    /* updated from text input: the page's row goes */
    write_file("u.jsonl", "{\"id\":\"p.html\",\"text\":\"Now a text article, not a page any more.\"}\n");
    add(st, "u.jsonl");
    s = row_of(st, "p.html");
    assert_false(s.has_hints);
    assert_string_equal(s.author, "(null)");
    assert_int_equal(sl_store_get_article(st, "p.html", 0, &a), SL_OK);
    assert_null(a->charset);
    sl_article_free(a);

    assert_int_equal(sl_store_article_page(st, "nope", NULL, NULL), SL_ERR_INVALID);
    sl_store_free(st);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_html_store)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
