/* test_store_open.c — the reasons sl_store_open_msg gives when a store does not open. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "scratch.h"
#include "storyline.h"

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
    if (scratch_store("open", f->dir, f->db, &f->st))
        return -1;
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

/* Write `n` bytes of `data` to path. */
static void put_file(const char *path, const char *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    fclose(fp);
}

/* A failed open says why: the file name and the reason; a damaged store is named as such
 * with what to do; nothing is left in *out. */
static void test_open_reasons(void **state)
{
    fixture *f = *state;
    char path[256], why[SL_ERRMSG_SIZE];
    sl_store *st = (sl_store *)1;

    snprintf(path, sizeof path, "%s/garbage.db", f->dir);
    static const char junk[] = "this is not an SQLite database, only some text in a file.\n";
    char big[8192];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = junk[i % (sizeof junk - 1)];
    put_file(path, big, sizeof big);
    for (int ro = 0; ro < 2; ro++) {
        assert_int_equal(sl_store_open_msg(path, ro ? SL_OPEN_READONLY : SL_OPEN_CREATE, &st, why,
                                           sizeof why),
                         SL_ERR_STORE);
        assert_null(st);
        assert_non_null(strstr(why, path));
        assert_non_null(strstr(why, "is damaged"));
        assert_non_null(strstr(why, "not a database")); /* SQLite's reason */
        assert_non_null(strstr(why, "restore it from a backup"));
    }

    /* A store under a path that is a file, not a directory: SQLite's and the system's
     * reason, not called damaged. */
    snprintf(path, sizeof path, "%s/garbage.db/s.db", f->dir);
    assert_int_equal(sl_store_open_msg(path, SL_OPEN_CREATE, &st, why, sizeof why),
                     SL_ERR_STORE);
    assert_null(st);
    assert_non_null(strstr(why, path));
    assert_non_null(strstr(why, "unable to open database file"));
    assert_null(strstr(why, "damaged"));

    /* Absent, not creating: SL_ERR_NOT_FOUND, and still a reason. */
    snprintf(path, sizeof path, "%s/absent.db", f->dir);
    assert_int_equal(sl_store_open_msg(path, 0, &st, why, sizeof why), SL_ERR_NOT_FOUND);
    assert_non_null(strstr(why, path));

    /* A small buffer gets a cut, terminated message; success leaves "". */
    char tiny[8];
    snprintf(path, sizeof path, "%s/garbage.db", f->dir);
    assert_int_equal(sl_store_open_msg(path, 0, &st, tiny, sizeof tiny), SL_ERR_STORE);
    assert_int_equal(strlen(tiny), sizeof tiny - 1);
    assert_int_equal(sl_store_open_msg(f->db, SL_OPEN_READONLY, &st, why, sizeof why), SL_OK);
    assert_string_equal(why, "");
    sl_store_free(st);
    assert_int_equal(sl_store_open_msg(path, 0, &st, NULL, 0), SL_ERR_STORE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_reasons, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
