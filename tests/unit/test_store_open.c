/* test_store_open.c — the reasons sl_store_open_msg gives when a store does not open. */
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

static int count_hit(void *user, const sl_hit *h)
{
    (void)h;
    ++*(int *)user;
    return 0;
}

/* One article into the store, in a batch of its own. */
static void add_one(sl_store *st, const char *id)
{
    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(st, NULL, &b), SL_OK);
    char text[128]; /* a text of its own: the same text from one source is one article */
    snprintf(text, sizeof text, "Wardens counted the gannets on the harbour wall (%s).", id);
    sl_article_input a = {id, "s.example", NULL, "2024-05-01", "Harbour gannets counted",
                          text, 0};
    assert_int_equal(sl_batch_add_article(b, &a), SL_OK);
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
}

/* The search index on and off: a store made with SL_OPEN_NO_SEARCH has none and keeps
 * none through later opens and batches; sl_store_set_search builds it (the articles
 * stored before are found) and drops it (kept dropped); what it refuses. */
static void test_search_switch(void **state)
{
    fixture *f = *state;
    assert_int_equal(sl_store_has_search(NULL), 0);
    assert_int_equal(sl_store_set_search(NULL, 1), SL_ERR_INVALID);
    assert_int_equal(sl_store_has_search(f->st), 1); /* made as ever: with it */

    char path[256];
    snprintf(path, sizeof path, "%s/plain.db", f->dir);
    sl_store *st = NULL;
    assert_int_equal(sl_store_open(path, SL_OPEN_CREATE | SL_OPEN_NO_SEARCH, &st), SL_OK);
    assert_int_equal(sl_store_has_search(st), 0);
    add_one(st, "a1");
    sl_range r = {0, 10, 0};
    int hits = 0;
    assert_int_equal(sl_store_search(st, "gannets", &r, count_hit, &hits), SL_ERR_UNSUPPORTED);
    assert_non_null(strstr(sl_store_errmsg(st), "search-index on"));
    sl_store_free(st);
    /* a writable open without the flag keeps it off, and so does its batch */
    assert_int_equal(sl_store_open(path, SL_OPEN_CREATE, &st), SL_OK);
    assert_int_equal(sl_store_has_search(st), 0);
    add_one(st, "a2");
    assert_int_equal(sl_store_has_search(st), 0);
    assert_int_equal(scratch_int(path, "SELECT count(*) FROM sqlite_master WHERE name LIKE"
                                       " 'articles_fts%'"),
                     0);

    /* not while a transaction is open on the handle */
    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(st, NULL, &b), SL_OK);
    sl_article_input a = {"a3", "s.example", NULL, NULL, NULL, "Another text.", 0};
    assert_int_equal(sl_batch_add_article(b, &a), SL_OK);
    assert_int_equal(sl_store_set_search(st, 1), SL_ERR_STATE);
    sl_batch_free(b); /* abandoned: rolled back */

    /* built: both articles stored before are found */
    assert_int_equal(sl_store_set_search(st, 1), SL_OK);
    assert_int_equal(sl_store_has_search(st), 1);
    r = (sl_range){0, 10, 0};
    assert_int_equal(sl_store_search(st, "gannets", &r, count_hit, &hits), SL_OK);
    assert_int_equal(hits, 2);
    assert_int_equal(sl_store_set_search(st, 1), SL_OK); /* on again: nothing to do */
    sl_store_free(st);

    /* a read-only handle refuses; sees the index */
    assert_int_equal(sl_store_open(path, SL_OPEN_READONLY, &st), SL_OK);
    assert_int_equal(sl_store_has_search(st), 1);
    assert_int_equal(sl_store_set_search(st, 0), SL_ERR_INVALID);
    sl_store_free(st);

    /* dropped, and kept dropped by the next open */
    assert_int_equal(sl_store_open(path, 0, &st), SL_OK);
    assert_int_equal(sl_store_set_search(st, 0), SL_OK);
    assert_int_equal(sl_store_has_search(st), 0);
    sl_store_free(st);
    assert_int_equal(sl_store_open(path, 0, &st), SL_OK);
    assert_int_equal(sl_store_has_search(st), 0);
    sl_store_free(st);
}

/* sl_store_compact: the sizes it gives are the file's; refused through a read-only
 * handle and while a batch is open, with nothing done; NULL is invalid. */
static void test_compact(void **state)
{
    fixture *f = *state;
    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(f->st, NULL, &b), SL_OK);
    sl_article_input in = {.id = "a1", .source = "x.example", .date = "2024-03-02",
                           .title = "Ferry", .text = "The ferry ran aground on Saturday."};
    assert_int_equal(sl_batch_add_article(b, &in), SL_OK);
    long long before = -1, after = -1;
    assert_int_equal(sl_store_compact(f->st, &before, &after), SL_ERR_STATE);
    assert_int_equal(before, 0);
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
    assert_int_equal(sl_store_compact(f->st, &before, &after), SL_OK);
    assert_true(before > 0 && after > 0 && after <= before);
    assert_int_equal(sl_store_compact(f->st, NULL, NULL), SL_OK);
    assert_int_equal(sl_store_compact(NULL, &before, &after), SL_ERR_INVALID);
    sl_store *ro = NULL;
    assert_int_equal(sl_store_open(f->db, SL_OPEN_READONLY, &ro), SL_OK);
    assert_int_equal(sl_store_compact(ro, &before, &after), SL_ERR_INVALID);
    assert_non_null(strstr(sl_store_errmsg(ro), "read-only"));
    sl_store_free(ro);
    sl_article *a = NULL;
    assert_int_equal(sl_store_get_article(f->st, "a1", SL_WITH_TEXT, &a), SL_OK);
    assert_string_equal(a->title, "Ferry");
    sl_article_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_reasons, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_switch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compact, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
