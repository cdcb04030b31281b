/* test_export.c — CSV cells (formula injection, quoting, buffer failures) and export
 * write failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "export/export.h"
#include "scratch.h"
#include "storyline.h"

/* One cell as sli_csv_field writes it (last: with its line end). */
static void expect_cell(const char *in, const char *want)
{
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(sli_csv_field(&b, in, 0), SL_OK);
    if (strcmp(sli_buf_str(&b), want) != 0) {
        char msg[256];
        snprintf(msg, sizeof msg, "cell [%s]: wrote [%s], expected [%s]", in ? in : "(null)",
                 sli_buf_str(&b), want);
        sli_buf_free(&b);
        fail_msg("%s", msg);
    }
    sli_buf_free(&b);
}

/* Cells a spreadsheet would take for a formula get a ' in front, inside quotes (OWASP);
 * the same characters later in a cell change nothing. */
static void test_csv_formula_cells(void **state)
{
    (void)state;
    expect_cell("=HYPERLINK(\"http://x.example\",\"click\")",
                "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"click\"\")\",");
    expect_cell("=1+2", "\"'=1+2\",");
    expect_cell("+1", "\"'+1\",");
    expect_cell("-2+3", "\"'-2+3\",");
    expect_cell("@SUM(A1)", "\"'@SUM(A1)\",");
    expect_cell("\t=1", "\"'\t=1\",");
    expect_cell("\r=1", "\"'\r=1\",");
    expect_cell("a=1+2-3@x", "a=1+2-3@x,");
    expect_cell("plain", "plain,");
    expect_cell("", ",");
    expect_cell(NULL, ",");
    expect_cell("a,b", "\"a,b\",");
    expect_cell("x;=HYPERLINK(1)", "\"x;=HYPERLINK(1)\",");
    expect_cell("say \"hi\"", "\"say \"\"hi\"\"\",");
    expect_cell("two\nlines", "\"two\nlines\",");
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(sli_csv_field(&b, "=x", 1), SL_OK);
    assert_string_equal(sli_buf_str(&b), "\"'=x\"\r\n");
    sli_buf_free(&b);
}

/* Terminal and display controls in a cell (ESC, BEL, DEL, C1, bidi overrides and
 * isolates) become U+FFFD; tab, line ends and other text stay as they are. */
static void test_csv_control_cells(void **state)
{
    (void)state;
    expect_cell("Title \x1b]0;pwn\x07 here", "\"Title \xEF\xBF\xBD]0;pwn\xEF\xBF\xBD here\",");
    expect_cell("a\x7f" "b", "a\xEF\xBF\xBD" "b,");
    expect_cell("c\xC2\x9B" "2J", "c\xEF\xBF\xBD" "2J,");
    expect_cell("x\xE2\x80\xAEtxt.exe", "x\xEF\xBF\xBDtxt.exe,");
    expect_cell("y\xE2\x81\xA6z\xE2\x81\xA9", "y\xEF\xBF\xBDz\xEF\xBF\xBD,");
    expect_cell("\xC2\xA0" "caf\xC3\xA9 \xE2\x80\x94 \xE2\x80\x9Cq\xE2\x80\x9D",
                "\xC2\xA0" "caf\xC3\xA9 \xE2\x80\x94 \xE2\x80\x9Cq\xE2\x80\x9D,");
    expect_cell("say \x1b\"hi\"", "\"say \xEF\xBF\xBD\"\"hi\"\"\",");
    expect_cell("=\x1b", "\"'=\xEF\xBF\xBD\",");
}

/* An append that fails is the buffer's error, never a cell cut short with SL_OK. */
static void test_csv_buffer_failure(void **state)
{
    (void)state;
    static const char *const cells[] = {"0123456789", "=0123456789", "a,\"b\"", "abc"};
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        size_t full = 0;
        for (size_t max = 0;; max++) {
            buf b;
            sli_buf_init(&b, max);
            sl_error err = sli_csv_field(&b, cells[i], 1);
            sli_buf_free(&b);
            if (err == SL_OK) {
                full = max;
                break;
            }
            assert_int_equal(err, SL_ERR_TOO_BIG);
        }
        assert_true(full >= strlen(cells[i]) + 2);
    }
}

typedef struct fixture {
    char dir[64];
    char db[128];
    sl_store *st;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    if (scratch_store("export", f->dir, f->db, &f->st))
        return -1;
    sl_batch *b;
    if (sl_batch_begin(f->st, NULL, &b) != SL_OK)
        return -1;
    /* Four articles of distinct sentences, ~40 kB of CSV: the writer is called more
     * than once. */
    static char text[12000];
    for (int i = 0; i < 4; i++) {
        size_t n = 0;
        for (int k = 0; n + 200 < sizeof text; k++)
            n += (size_t)snprintf(text + n, sizeof text - n,
                                  "Paragraph %d of story %d: the council met on day %d and "
                                  "voted %d to %d on budget line %d.\n\n",
                                  k, i, k * 7 + i, k % 9, i + 3, k * 13 + i);
        char id[16];
        snprintf(id, sizeof id, "a%d", i);
        sl_article_input in = {.id = id, .source = "s.example", .title = "=cmd|' /C calc'!A0",
                               .text = text};
        if (sl_batch_add_article(b, &in) != SL_OK)
            return -1;
    }
    if (sl_batch_commit(b, NULL) != SL_OK)
        return -1;
    sl_batch_free(b);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sl_store_free(f->st);
    remove_tree(f->dir);
    free(f);
    return 0;
}

typedef struct sink {
    size_t calls, fail_at, bytes;
} sink;

static int sink_write(void *user, const char *data, size_t len)
{
    (void)data;
    sink *s = user;
    if (++s->calls >= s->fail_at)
        return 1;
    s->bytes += len;
    return 0;
}

/* A writer that fails at its first, second... call: the export stops with SL_ERR_WRITE
 * and is never called again. */
static void test_csv_write_failure(void **state)
{
    fixture *f = *state;
    sink all = {0, SIZE_MAX, 0};
    assert_int_equal(sl_write_articles(f->st, SL_FORMAT_CSV, SL_WITH_TEXT, sink_write, &all),
                     SL_OK);
    assert_true(all.calls >= 2);
    for (size_t k = 1; k <= all.calls; k++) {
        sink s = {0, k, 0};
        assert_int_equal(sl_write_articles(f->st, SL_FORMAT_CSV, SL_WITH_TEXT, sink_write, &s),
                         SL_ERR_WRITE);
        assert_int_equal(s.calls, k);
    }
}

/* The exported title that would be a formula is neutralised. */
static int collect(void *user, const char *data, size_t len)
{
    return sli_buf_append(user, data, len) != SL_OK;
}

static void test_csv_export_neutralises(void **state)
{
    fixture *f = *state;
    buf out;
    sli_buf_init(&out, BUF_UNLIMITED);
    assert_int_equal(sl_write_articles(f->st, SL_FORMAT_CSV, 0, collect, &out), SL_OK);
    assert_non_null(strstr(sli_buf_str(&out), ",\"'=cmd|' /C calc'!A0\","));
    assert_null(strstr(sli_buf_str(&out), ",=cmd"));
    sli_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_formula_cells),
        cmocka_unit_test(test_csv_control_cells),
        cmocka_unit_test(test_csv_buffer_failure),
        cmocka_unit_test_setup_teardown(test_csv_write_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_export_neutralises, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
