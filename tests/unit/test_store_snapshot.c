/* test_store_snapshot.c — sli_store_snapshot (store.c): a read-only handle on the store as
 * last committed, which the facts stage reads its old quotes through on a thread of its
 * own while the writer's batch goes on. It must not see the open transaction's writes,
 * must see what was committed, and must not be had while the writer holds the store with
 * a rollback journal (a first load: another connection would take the journal for a hot
 * one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h> /* mkdtemp (scratch.h) */
#include <cmocka.h>

#include "scratch.h"
#include "storyline.h"
#include "store/store.h"
#include "store/store_impl.h" /* sli_store_prepare, sli_store_exec */

/* The counter `name` as handle st reads it (-1: no row). */
static long long counter(sl_store *st, const char *name)
{
    sqlite3_stmt *s;
    assert_int_equal(sli_store_prepare(st, "SELECT value FROM counters WHERE name = ?1", &s),
                     SL_OK);
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    long long v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return v;
}

static void test_snapshot_sees_the_committed_only(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("snapshot", dir, db, &st), 0);
    assert_int_equal(sli_store_exec(st, "INSERT INTO counters(name, value) VALUES('a', 1)"),
                     SL_OK);

    /* a batch under way: the snapshot reads the store as it was before it */
    assert_int_equal(sli_store_begin(st), SL_OK);
    assert_int_equal(sli_store_exec(st, "UPDATE counters SET value = 2 WHERE name = 'a';"
                                        "INSERT INTO counters(name, value) VALUES('b', 3)"),
                     SL_OK);
    sl_store *snap = NULL;
    assert_int_equal(sli_store_snapshot(st, &snap), SL_OK);
    assert_non_null(snap);
    assert_int_equal(counter(snap, "a"), 1);
    assert_int_equal(counter(snap, "b"), -1);
    assert_int_equal(counter(st, "a"), 2);
    assert_int_equal(counter(st, "b"), 3);
    /* it reads the old quotes' tables (an event without any: no rows, no error) */
    store_old_quotes *q = NULL;
    assert_int_equal(sli_store_old_quotes_open(snap, &q), SL_OK);
    sli_store_old_quotes_free(q);
    /* one read: a later write of the batch is not seen either */
    assert_int_equal(sli_store_exec(st, "UPDATE counters SET value = 4 WHERE name = 'a'"),
                     SL_OK);
    assert_int_equal(counter(snap, "a"), 1);
    sl_store_free(snap);
    assert_int_equal(sli_store_commit(st), SL_OK);

    /* a new snapshot sees the commit */
    assert_int_equal(sli_store_snapshot(st, &snap), SL_OK);
    assert_non_null(snap);
    assert_int_equal(counter(snap, "a"), 4);
    assert_int_equal(counter(snap, "b"), 3);
    sl_store_free(snap);

    /* with a rollback journal (as a first load holds the store) there is none */
    assert_int_equal(sli_store_exec(st, "PRAGMA journal_mode=TRUNCATE"), SL_OK);
    snap = (sl_store *)st; /* set to NULL by the call */
    assert_int_equal(sli_store_snapshot(st, &snap), SL_OK);
    assert_null(snap);
    assert_int_equal(sli_store_exec(st, "PRAGMA journal_mode=WAL"), SL_OK);

    sl_store_free(st);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshot_sees_the_committed_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
