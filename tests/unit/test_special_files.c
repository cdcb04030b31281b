/* test_special_files.c — FIFOs and other files that are not regular are refused without
 * ever blocking: by sl_input_check (before a batch), by sl_batch_add_path (named or met
 * in a directory), and by the readers' open itself (a FIFO put in place of a file after
 * it was walked). A hang fails the test through alarm(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/ingest.h"
#include "scratch.h"
#include "storyline.h"

typedef struct fixture {
    char dir[64];
    char path[128];
    sl_store *st;
    sl_batch *b;
    int reports;
    sl_error last_code;
    char last[512];
} fixture;

static void on_report(void *user, const sl_report *r)
{
    fixture *f = user;
    f->reports++;
    f->last_code = r->code;
    snprintf(f->last, sizeof f->last, "%s: %s", r->path, r->detail);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    if (scratch_store("special", f->dir, f->path, &f->st))
        return -1;
    sl_ingest_options opt = {.on_report = on_report, .user = f};
    if (sl_batch_begin(f->st, &opt, &f->b) != SL_OK)
        return -1;
    alarm(20); /* a blocked open() ends the test here */
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    alarm(0);
    sl_batch_free(f->b);
    sl_store_free(f->st);
    remove_tree(f->dir);
    free(f);
    return 0;
}

static void make_fifo(fixture *f, const char *name)
{
    snprintf(f->path, sizeof f->path, "%s/%s", f->dir, name);
    assert_int_equal(mkfifo(f->path, 0600), 0);
}

static void test_input_check(void **state)
{
    fixture *f = *state;
    const char *why = NULL;
    assert_int_equal(sl_input_check("-", &why), SL_OK);
    assert_string_equal(why, "");
    assert_int_equal(sl_input_check(f->dir, &why), SL_OK);
    make_fifo(f, "f.txt");
    assert_int_equal(sl_input_check(f->path, &why), SL_ERR_UNSUPPORTED);
    assert_string_equal(why, "not a regular file (a FIFO): not read");
    assert_int_equal(sl_input_check(f->path, NULL), SL_ERR_UNSUPPORTED);
    snprintf(f->path, sizeof f->path, "%s/absent.txt", f->dir);
    assert_int_equal(sl_input_check(f->path, &why), SL_ERR_NOT_FOUND);
    assert_true(*why);
    assert_int_equal(sl_input_check(NULL, &why), SL_ERR_INVALID);
    if (access("/dev/null", F_OK) == 0) {
        assert_int_equal(sl_input_check("/dev/null", &why), SL_ERR_UNSUPPORTED);
        assert_string_equal(why, "not a regular file (a character device): not read");
    }
}

/* Named to sl_batch_add_path: reported, skipped, the batch goes on. */
static void test_named_fifo(void **state)
{
    fixture *f = *state;
    make_fifo(f, "f.jsonl");
    assert_int_equal(sl_batch_add_path(f->b, f->path), SL_OK);
    assert_int_equal(f->reports, 1);
    assert_int_equal(f->last_code, SL_ERR_UNSUPPORTED);
    assert_non_null(strstr(f->last, "f.jsonl: not a regular file (a FIFO)"));
}

/* Met in a directory: reported when named like an input, passed over otherwise. */
static void test_fifo_in_directory(void **state)
{
    fixture *f = *state;
    char sub[160];
    snprintf(sub, sizeof sub, "%s/in", f->dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    make_fifo(f, "in/pipe.txt");
    make_fifo(f, "in/other.sock");
    snprintf(f->path, sizeof f->path, "%s/in/good.txt", f->dir);
    FILE *fp = fopen(f->path, "w");
    assert_non_null(fp);
    fputs("A headline\n\nA sentence of the article.\n", fp);
    fclose(fp);
    assert_int_equal(sl_batch_add_path(f->b, sub), SL_OK);
    assert_int_equal(f->reports, 1);
    assert_non_null(strstr(f->last, "in/pipe.txt: not a regular file (a FIFO)"));
    sl_batch_summary sum;
    sl_batch_peek(f->b, &sum);
    assert_int_equal(sum.added, 1);
    assert_int_equal(sum.skipped, 1);
}

/* The readers open without blocking: a FIFO in place of a walked file is refused. */
static void test_reader_open_never_blocks(void **state)
{
    fixture *f = *state;
    make_fifo(f, "raced.txt");
    assert_int_equal(sli_ingest_text_file(f->b, f->path, "raced.txt", "src"), SL_OK);
    assert_int_equal(f->reports, 1);
    assert_non_null(strstr(f->last, "raced.txt: not a regular file (a FIFO)"));
    make_fifo(f, "raced.jsonl");
    assert_int_equal(sli_ingest_jsonl_file(f->b, f->path, "raced.jsonl", "src"), SL_OK);
    assert_int_equal(f->reports, 2);
    assert_non_null(strstr(f->last, "raced.jsonl: not a regular file (a FIFO)"));
    /* A directory in place of a file, too. */
    assert_int_equal(sli_ingest_text_file(f->b, f->dir, "dir", "src"), SL_OK);
    assert_int_equal(f->reports, 3);
    assert_non_null(strstr(f->last, "a directory"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_input_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_named_fifo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_in_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reader_open_never_blocks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
