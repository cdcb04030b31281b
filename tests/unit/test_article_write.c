/* test_article_write.c — a batch's writes (src/store/article_write.c): new articles of
 * text input are held and added many at a time, yet each outcome is what adding them one
 * by one gives: an id held again updates it or is present, a held text from the same
 * source under another id is present; every article, raw text, source count and search
 * row is there after the commit, and a batch rolled back leaves none; and the page cache
 * a writer past the memory map gives each slice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h> /* truncate */
#include <cmocka.h>

#include "scratch.h"
#include "storyline.h"
#include "store/store_impl.h"

static void text_of(int k, char *out, size_t size)
{
    snprintf(out, size,
             "Report %d of the harbour desk.\n\nThe council met on day %d and voted on the "
             "ferry plan, the minister said.\n\nRates at the port were %d.\n",
             k, k % 31, k * 7);
}

static sl_error add(sl_batch *b, const char *id, const char *source, const char *text)
{
    sl_article_input in = {.id = id, .source = source, .date = "2024-05-18",
                           .title = "Harbour desk", .text = text};
    return sl_batch_add_article(b, &in);
}

static long long int_of(sl_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static void test_held_outcomes(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st = NULL;
    assert_int_equal(scratch_store("held", dir, db, &st), 0);
    for (int commit = 0; commit < 2; commit++) {
        sl_batch *b = NULL;
        sl_ingest_options opt = {0};
        assert_int_equal(sl_batch_begin(st, &opt, &b), SL_OK);
        char id[32], text[512];
        int n = 150; /* two INSERTs of many and a few one at a time */
        for (int k = 0; k < n; k++) {
            snprintf(id, sizeof id, "a/%d", k);
            text_of(k, text, sizeof text);
            assert_int_equal(add(b, id, "a.example", text), SL_OK);
        }
        /* a/64 .. a/127 are being packed (the group before the one filling, article_write.c):
         * their texts and ids are held as much as the filling group's */
        text_of(120, text, sizeof text); /* packing, same source, other id: present */
        assert_int_equal(add(b, "b/120", "a.example", text), SL_OK);
        text_of(100, text, sizeof text); /* packing, same id and text: present */
        assert_int_equal(add(b, "a/100", "a.example", text), SL_OK);
        text_of(7, text, sizeof text); /* held, same id and text: present */
        assert_int_equal(add(b, "a/7", "a.example", text), SL_OK);
        text_of(1008, text, sizeof text); /* held, same id, new text: updated */
        assert_int_equal(add(b, "a/148", "a.example", text), SL_OK);
        text_of(149, text, sizeof text); /* held text, same source, other id: present */
        assert_int_equal(add(b, "b/149", "a.example", text), SL_OK);
        text_of(149, text, sizeof text); /* another source: added */
        assert_int_equal(add(b, "c/149", "c.example", text), SL_OK);
        sl_batch_summary sum;
        sl_batch_peek(b, &sum);
        assert_int_equal(sum.added, n + 1);
        assert_int_equal(sum.updated, 1);
        assert_int_equal(sum.present, 4);
        if (!commit) { /* rolled back: nothing of it stays */
            sl_batch_free(b);
            assert_int_equal(int_of(st, "SELECT count(*) FROM articles"), 0);
            assert_int_equal(int_of(st, "SELECT count(*) FROM raws"), 0);
            continue;
        }
        assert_int_equal(sl_batch_commit(b, &sum), SL_OK);
        sl_batch_free(b);
    }
    assert_int_equal(int_of(st, "SELECT count(*) FROM articles"), 151);
    assert_int_equal(int_of(st, "SELECT count(*) FROM raws r JOIN articles a USING(rid)"), 151);
    assert_int_equal(int_of(st, "SELECT articles FROM sources WHERE name = 'a.example'"), 150);
    assert_int_equal(int_of(st, "SELECT articles FROM sources WHERE name = 'c.example'"), 1);
    char text[512];
    for (int k = 0; k < 150; k++) {
        char id[32];
        snprintf(id, sizeof id, "a/%d", k);
        text_of(k == 148 ? 1008 : k, text, sizeof text);
        sl_article *a = NULL;
        assert_int_equal(sl_store_get_article(st, id, SL_WITH_RAW | SL_WITH_TEXT, &a), SL_OK);
        assert_string_equal(a->raw, text);
        sl_article_free(a);
    }
    /* the search index: every article once, the updated one with its new text only */
    assert_int_equal(int_of(st, "SELECT count(*) FROM articles_fts"
                                " WHERE articles_fts MATCH '\"report 147\"'"), 1);
    assert_int_equal(int_of(st, "SELECT count(*) FROM articles_fts"
                                " WHERE articles_fts MATCH '\"report 148\"'"), 0);
    assert_int_equal(int_of(st, "SELECT count(*) FROM articles_fts"
                                " WHERE articles_fts MATCH '\"report 1008\"'"), 1);
    assert_int_equal(int_of(st, "SELECT count(*) FROM articles_fts"
                                " WHERE articles_fts MATCH 'harbour'"), 151);
    assert_int_equal(sqlite3_exec(st->db, "INSERT INTO articles_fts(articles_fts)"
                                          " VALUES('integrity-check')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sl_store_free(st);
    remove_tree(dir);
}

/* The page cache of a writer of a store past the memory map (cache_scaled, set at the
 * open of a store over 2 GiB: here by hand) is sized by each slice's articles, between
 * 16 and 256 MiB; any other handle keeps its 64 MiB, but a snapshot, 16 MiB and no map
 * whatever the writer's. */
static void test_cache_by_slice(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("cache-slice", dir, db, &st), 0);
    assert_int_equal(sli_store_cache_for(st, 100000), SL_OK);
    assert_int_equal(int_of(st, "PRAGMA cache_size"), -65536); /* not past the map */
    st->cache_scaled = 1;
    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(st, NULL, &b), SL_OK);
    char text[512];
    for (int k = 0; k < 3; k++) {
        char id[32];
        snprintf(id, sizeof id, "c/%d", k);
        text_of(k, text, sizeof text);
        assert_int_equal(add(b, id, "x.example", text), SL_OK);
    }
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
    assert_int_equal(int_of(st, "PRAGMA cache_size"), -16384); /* 3 articles: the least */
    assert_int_equal(sli_store_cache_for(st, 10000), SL_OK);
    assert_int_equal(int_of(st, "PRAGMA cache_size"), -80000); /* 8 KiB an article */
    assert_int_equal(sli_store_cache_for(st, 40000), SL_OK);
    assert_int_equal(int_of(st, "PRAGMA cache_size"), -262144); /* the most */
    /* A snapshot (the facts stage's old quotes) reads with the small cache, no map,
     * whatever the writer's. */
    sl_store *snap = NULL;
    assert_int_equal(sli_store_snapshot(st, &snap), SL_OK);
    assert_non_null(snap);
    assert_int_equal(int_of(snap, "PRAGMA cache_size"), -16384);
    assert_int_equal(int_of(snap, "PRAGMA mmap_size"), 0);
    sl_store_free(snap);
    sl_store_free(st);
    /* A store of 3 GiB, made cheaply (as tests/cli/test_store_map.sh does): the file grown
     * with a hole and its header's size marked stale, so that SQLite takes the file's
     * size as the store's. A writer opens it scaled, with the largest cache; a reader
     * not. */
    assert_int_equal(truncate(db, 3LL << 30), 0);
    FILE *fp = fopen(db, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 92, SEEK_SET), 0); /* "version valid for" */
    assert_int_equal(fwrite("\377\377\377\377", 1, 4, fp), 4);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(sl_store_open(db, 0, &st), SL_OK);
    assert_int_equal(st->cache_scaled, 1);
    assert_int_equal(int_of(st, "PRAGMA cache_size"), -262144);
    assert_int_equal(sli_store_cache_for(st, 1000), SL_OK);
    assert_int_equal(int_of(st, "PRAGMA cache_size"), -16384);
    sl_store_free(st);
    assert_int_equal(sl_store_open(db, SL_OPEN_READONLY, &st), SL_OK);
    assert_int_equal(st->cache_scaled, 0);
    sl_store_free(st);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_held_outcomes),
        cmocka_unit_test(test_cache_by_slice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
