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

/* SQLite's count of the memory it holds with a new store open. */
static sqlite3_int64 used_with_a_store(void)
{
    char path[] = "/tmp/sl_global_init_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    unlink(path); /* the store makes it */
    sl_store *st = NULL;
    sqlite3_int64 used = sl_store_open(path, SL_OPEN_CREATE, &st) == SL_OK ? sqlite3_memory_used() : -1;
    sl_store_free(st);
    char other[64];
    unlink(path);
    snprintf(other, sizeof other, "%s-wal", path);
    unlink(other);
    snprintf(other, sizeof other, "%s-shm", path);
    unlink(other);
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
