/* test_global_init.c — sl_global_init: first in a process it turns SQLite's memory
 * statistics off (a store opened afterwards leaves sqlite3_memory_used at 0, where the
 * statistics count its schema and page cache); once SQLite is initialised it refuses and
 * changes nothing. The order of the calls in a process is the test: the refusal is
 * checked in a child forked before this process touches SQLite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "storyline.h"
#include "scratch.h"

/* SQLite's count of the memory it holds with a new store open (-1: none opened). */
static sqlite3_int64 used_with_a_store(void)
{
    char dir[64], db[128];
    sl_store *st = NULL;
    sqlite3_int64 used =
        scratch_store("global-init", dir, db, &st) == 0 ? sqlite3_memory_used() : -1;
    scratch_close(st, dir);
    return used;
}

static void test_refused_once_sqlite_runs(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int ok = sqlite3_initialize() == SQLITE_OK && sl_global_init() == SL_ERR_STATE &&
                 used_with_a_store() > 0; /* still counted */
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_first_turns_statistics_off(void **state)
{
    (void)state;
    assert_int_equal(sl_global_init(), SL_OK);
    assert_int_equal(used_with_a_store(), 0);
    assert_int_equal(sl_global_init(), SL_ERR_STATE); /* SQLite runs now */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused_once_sqlite_runs), /* first: SQLite untouched here */
        cmocka_unit_test(test_first_turns_statistics_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
