/* test_store_migrate.c — schema version 2's texts (raw text a zstd frame, cleaned text
 * spans of it), and a version-1 store (tests/data/store_v1.sql, five sample articles as
 * the last version-1 build stored them) migrated in place: the same articles, texts,
 * events, facts and search hits after as before; a failed migration leaves version 1; a
 * read-only open of version 1 is refused with a message that says what migrates it.
 * Version 2 (tests/data/store_v2.sql, the same five as the last version-2 build stored
 * them) to 3: the dedup index's keys narrowed, the family kept and still found. */
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
#include "core/pack.h"
#include "store/store_impl.h"

#define N_ARTICLES 5

typedef struct before {
    char *id[N_ARTICLES], *text[N_ARTICLES], *raw[N_ARTICLES], *event[N_ARTICLES];
    char *facts[N_ARTICLES];
    char hits[512]; /* the search's hits, ids in rank order */
} before;

typedef struct fixture {
    char dir[64];
    char db[128];
    before b;
} fixture;

static char *dup_col(sqlite3_stmt *s, int i)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    return t ? strdup(t) : NULL;
}

/* tests/data/<name>, beside this file's folder */
static char *read_fixture(const char *name)
{
    char path[1024];
    const char *slash = strrchr(__FILE__, '/');
    int dlen = slash ? (int)(slash - __FILE__) : 1;
    snprintf(path, sizeof path, "%.*s/../data/%s", dlen, slash ? __FILE__ : ".", name);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *sql = malloc((size_t)n + 1);
    assert_non_null(sql);
    assert_int_equal(fread(sql, 1, (size_t)n, fp), (size_t)n);
    sql[n] = '\0';
    fclose(fp);
    return sql;
}

static void exec_on(const char *db, const char *sql)
{
    sqlite3 *c = NULL;
    assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(c, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s\n", msg ? msg : "?");
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
    sqlite3_close(c);
}

static long long int_on(sqlite3 *c, const char *sql)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* The search index holds every article once, as its content (the view article_text)
 * has it now: FTS5's integrity check against the content (rank 1), and a docsize row an
 * article. */
static void check_index_whole(sl_store *st)
{
    assert_int_equal(sqlite3_exec(st->db, "INSERT INTO articles_fts(articles_fts, rank)"
                                          " VALUES('integrity-check', 1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(int_on(st->db, "SELECT count(*) FROM articles_fts_docsize"),
                     int_on(st->db, "SELECT count(*) FROM articles"));
}

static long long int_of(const char *db, const char *sql)
{
    sqlite3 *c = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(c);
    return v;
}

/* What the version-1 store holds, read with SQL as version 1 keeps it. */
/* The search hits for "ferry" as the stored index (tokenized by porter) gives them, ids in
 * order, into b->hits; c is closed. */
static void read_hits(sqlite3 *c, before *b)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(c,
                                        "SELECT a.id FROM articles_fts f JOIN articles a"
                                        " ON a.rid = f.rowid WHERE articles_fts MATCH 'ferry'"
                                        " ORDER BY a.id",
                                        -1, &s, NULL),
                     SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        strcat(b->hits, (const char *)sqlite3_column_text(s, 0));
        strcat(b->hits, " ");
    }
    sqlite3_finalize(s);
    sqlite3_close(c);
    assert_non_null(strstr(b->hits, "kessa")); /* four outlets print the ferry */
}

static void read_before(const char *db, before *b)
{
    sqlite3 *c = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(c,
                           "SELECT a.id, a.text, coalesce(r.raw, a.raw),"
                           " (SELECT 'E' || event FROM article_events e WHERE e.rid = a.rid),"
                           " (SELECT json FROM article_facts f WHERE f.rid = a.rid)"
                           " FROM articles a LEFT JOIN raws r ON r.rid = a.rid ORDER BY a.rid",
                           -1, &s, NULL),
        SQLITE_OK);
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        assert_true(n < N_ARTICLES);
        b->id[n] = dup_col(s, 0);
        b->text[n] = dup_col(s, 1);
        b->raw[n] = dup_col(s, 2);
        b->event[n] = dup_col(s, 3);
        b->facts[n] = dup_col(s, 4);
        assert_non_null(b->text[n]);
        assert_true(strlen(b->text[n]) > 100);
        assert_non_null(b->event[n]);
        n++;
    }
    assert_int_equal(n, N_ARTICLES);
    sqlite3_finalize(s);
    read_hits(c, b);
}

/* A store of `version` made from tests/data/store_v<version>.sql in a new folder. */
static fixture *load_fixture(int version)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    snprintf(f->dir, sizeof f->dir, "/tmp/sl-test-migrate-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return NULL;
    }
    char name[32];
    snprintf(f->db, sizeof f->db, "%s/v%d.db", f->dir, version);
    snprintf(name, sizeof name, "store_v%d.sql", version);
    char *sql = read_fixture(name);
    exec_on(f->db, sql);
    free(sql);
    assert_int_equal(int_of(f->db, "PRAGMA user_version"), version);
    return f;
}

static int setup(void **state)
{
    fixture *f = load_fixture(1);
    if (!f)
        return -1;
    read_before(f->db, &f->b);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < N_ARTICLES; i++) {
        free(f->b.id[i]);
        free(f->b.text[i]);
        free(f->b.raw[i]);
        free(f->b.event[i]);
        free(f->b.facts[i]);
    }
    remove_tree(f->dir);
    free(f);
    return 0;
}

static int collect_hit(void *user, const sl_hit *hit)
{
    char(*ids)[N_ARTICLES][128] = user;
    for (int i = 0; i < N_ARTICLES; i++)
        if (!(*ids)[i][0]) {
            snprintf((*ids)[i], 128, "%s", hit->id);
            break;
        }
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Everything read_before() read, read again through the library. */
static void check_same(const char *db, const before *b)
{
    sl_store *st = NULL;
    assert_int_equal(sl_store_open(db, SL_OPEN_READONLY, &st), SL_OK);
    for (int i = 0; i < N_ARTICLES; i++) {
        sl_article *a = NULL;
        assert_int_equal(
            sl_store_get_article(st, b->id[i], SL_WITH_TEXT | SL_WITH_RAW | SL_WITH_FACTS, &a),
            SL_OK);
        assert_string_equal(a->text, b->text[i]);
        assert_string_equal(a->raw, b->raw[i]);
        assert_string_equal(a->event, b->event[i]);
        if (b->facts[i])
            assert_string_equal(a->facts, b->facts[i]);
        else
            assert_null(a->facts);
        sl_article_free(a);
    }
    char ids[N_ARTICLES][128] = {{0}};
    assert_int_equal(sl_store_search(st, "ferry", NULL, collect_hit, &ids), SL_OK);
    qsort(ids, N_ARTICLES, sizeof ids[0], by_name);
    char hits[512] = "";
    for (int i = 0; i < N_ARTICLES; i++)
        if (ids[i][0]) {
            strcat(hits, ids[i]);
            strcat(hits, " ");
        }
    assert_string_equal(hits, b->hits);
    sl_store_free(st);
}

/* A read-only open of an older store is refused, saying which version and what migrates
 * it; the store is not changed. */
static void readonly_refused(const char *db, int version)
{
    sl_store *st = NULL;
    char msg[512], named[32];
    assert_int_equal(sl_store_open_msg(db, SL_OPEN_READONLY, &st, msg, sizeof msg),
                     SL_ERR_STORE_VERSION);
    assert_null(st);
    snprintf(named, sizeof named, "version %d", version);
    assert_non_null(strstr(msg, named));
    assert_non_null(strstr(msg, "storyline add"));
    assert_non_null(strstr(msg, "storyline clean"));
    assert_int_equal(int_of(db, "PRAGMA user_version"), version);
}

static void test_v1_readonly_refused(void **state)
{
    readonly_refused(((fixture *)*state)->db, 1);
}

/* A writer migrates it: same articles, texts, raw texts, events, facts, search hits;
 * articles.raw and norm gone, every text packed. */
static void test_v1_migrated(void **state)
{
    fixture *f = *state;
    sl_store *st = NULL;
    assert_int_equal(sl_store_open(f->db, 0, &st), SL_OK);
    sl_store_free(st);
    assert_int_equal(int_of(f->db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    /* version 9's, 10's and 11's tables; the keys' rows packed into blocks */
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                   " ('event_keys_gone', 'line_counts_recent', 'events_pending',"
                                   " 'lsh_blocks', 'paras_blocks')"),
                     5);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                   " ('lsh', 'paras')"),
                     0);
    assert_true(int_of(f->db, "SELECT count(*) FROM lsh_blocks") > 0);
    /* version 13: the hashes and the date order in tables of their own, every article
     * in each (settled), the indexes gone */
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                   " ('articles_hash', 'articles_order')"),
                     0);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM articles a JOIN article_hashes h"
                                   " ON h.rid = a.rid AND h.hash = a.hash"),
                     N_ARTICLES);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM articles a JOIN article_order o"
                                   " ON o.rid = a.rid AND o.id = a.id AND o.source = a.source"
                                   " AND o.date = coalesce(a.date, '')"
                                   " AND o.undated = (a.date IS NULL)"),
                     N_ARTICLES);
    assert_int_equal(int_of(f->db, "SELECT (SELECT count(*) FROM article_hashes_recent)"
                                   " + (SELECT count(*) FROM article_order_recent)"),
                     0);
    assert_int_equal(int_of(f->db, "SELECT value FROM counters WHERE name='articles_settled'"),
                     int_of(f->db, "SELECT max(rid) FROM articles"));
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM pragma_table_info('articles')"
                                   " WHERE name IN ('raw', 'norm')"),
                     0);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM articles WHERE typeof(text) != 'blob'"),
                     0);
    /* version 7: the signatures gone, the shingle counts kept */
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM pragma_table_info('sketches')"
                                   " WHERE name = 'sig'"),
                     0);
    assert_int_equal(int_of(f->db, "SELECT shingles FROM sketches WHERE rid = 2"), 576);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM sketches"), N_ARTICLES);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM raws WHERE typeof(raw) != 'blob'"), 0);
    /* packed: the raw texts smaller, the cleaned texts a few bytes each */
    assert_true(int_of(f->db, "SELECT sum(length(raw)) FROM raws") <
                int_of(f->db, "SELECT sum(chars_raw) FROM articles"));
    assert_true(int_of(f->db, "SELECT max(length(text)) FROM articles") < 100);
    check_same(f->db, &f->b);
    /* and again: a second open migrates nothing */
    assert_int_equal(sl_store_open(f->db, 0, &st), SL_OK);
    sl_store_free(st);
    check_same(f->db, &f->b);
}

/* A writer's open fails, saying `why`, and leaves the store at `version`. */
static void migration_fails(const char *db, const char *why, int version)
{
    sl_store *st = NULL;
    char msg[512];
    assert_int_not_equal(sl_store_open_msg(db, 0, &st, msg, sizeof msg), SL_OK);
    assert_null(st);
    assert_non_null(strstr(msg, why));
    assert_int_equal(int_of(db, "PRAGMA user_version"), version);
}

/* A migration that fails half-way (here: a trigger refuses the packed raw texts) is
 * rolled back: the store is version 1 as it was, and a later migration succeeds. */
static void test_v1_failed_migration(void **state)
{
    fixture *f = *state;
    exec_on(f->db, "CREATE TRIGGER refuse BEFORE INSERT ON raws"
                   " BEGIN SELECT RAISE(ABORT, 'disk said no'); END;");
    migration_fails(f->db, "disk said no", 1);
    sl_store *st = NULL;
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM pragma_table_info('articles')"
                                   " WHERE name IN ('raw', 'norm')"),
                     2);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM articles WHERE typeof(text) != 'text'"),
                     0);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM articles_fts"
                                   " WHERE articles_fts MATCH 'ferry'"),
                     4);
    exec_on(f->db, "DROP TRIGGER refuse");
    assert_int_equal(sl_store_open(f->db, 0, &st), SL_OK);
    sl_store_free(st);
    check_same(f->db, &f->b);
}

/* A store of a newer version is refused by both kinds of open, naming both versions. */
static void test_newer_refused(void **state)
{
    fixture *f = *state;
    char sql[64], newer[32], ours[16];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d", STORE_SCHEMA_VERSION + 1);
    snprintf(newer, sizeof newer, "version %d", STORE_SCHEMA_VERSION + 1);
    snprintf(ours, sizeof ours, "(%d)", STORE_SCHEMA_VERSION);
    exec_on(f->db, sql);
    for (int ro = 0; ro < 2; ro++) {
        sl_store *st = NULL;
        char msg[512];
        assert_int_equal(
            sl_store_open_msg(f->db, ro ? SL_OPEN_READONLY : 0, &st, msg, sizeof msg),
            SL_ERR_STORE_VERSION);
        assert_non_null(strstr(msg, newer));
        assert_non_null(strstr(msg, ours));
    }
    assert_int_equal(int_of(f->db, "PRAGMA user_version"), STORE_SCHEMA_VERSION + 1);
}

/* --- version 2 (tests/data/store_v2.sql): band and paragraph keys of 64 bits --- */

static int setup_v2(void **state)
{
    *state = load_fixture(2);
    return *state ? 0 : -1;
}

/* The keys of table t (lsh or paras), narrowed as version 3 keeps them (low 32 bits, sign
 * extended), as text: "key:rid key:rid ...", in order. */
static char *narrowed_keys(const char *db, const char *table)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT group_concat(k || ':' || rid, ' ') FROM (SELECT DISTINCT"
             " CASE WHEN (key & 0xFFFFFFFF) >= 0x80000000 THEN (key & 0xFFFFFFFF) - 0x100000000"
             " ELSE key & 0xFFFFFFFF END AS k, rid FROM %s ORDER BY k, rid)",
             table);
    sqlite3 *c = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    char *out = dup_col(s, 0);
    assert_non_null(out);
    sqlite3_finalize(s);
    sqlite3_close(c);
    return out;
}

/* The same of the blocks (lsh_blocks or paras_blocks) of a store of this version, read
 * through the library (key_blocks.c packs them): "key:rid ..." in the same order. */
static void append_key(void *user, long long key, long long rid)
{
    buf *b = user;
    char one[48];
    snprintf(one, sizeof one, "%s%lld:%lld", b->len ? " " : "", key, rid);
    assert_int_equal(sli_buf_puts(b, one), SL_OK);
}

static char *block_keys(const char *db, const char *table)
{
    sl_store *st = NULL;
    assert_int_equal(sl_store_open(db, SL_OPEN_READONLY, &st), SL_OK);
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    assert_int_equal(sli_store_key_blocks_each(st, sli_dedup_blocks(), table, append_key, &b), SL_OK);
    char *out = strdup(b.len ? b.data : "");
    sli_buf_free(&b);
    sl_store_free(st);
    assert_non_null(out);
    return out;
}

static void test_v2_readonly_refused(void **state)
{
    readonly_refused(((fixture *)*state)->db, 2);
}

/* A writer migrates it: every key narrowed (the same keys, as version 3 keeps them), the
 * family kept, and a copy of one of its articles added afterwards is found through the
 * migrated keys and joins that family. */
static void test_v2_migrated(void **state)
{
    fixture *f = *state;
    assert_true(int_of(f->db, "SELECT count(*) FROM lsh"
                              " WHERE key NOT BETWEEN -2147483648 AND 2147483647") > 0);
    char *lsh = narrowed_keys(f->db, "lsh"), *paras = narrowed_keys(f->db, "paras");
    long long members = int_of(f->db, "SELECT count(*) FROM members");
    assert_true(members >= 4);
    sl_store *st = NULL;
    assert_int_equal(sl_store_open(f->db, 0, &st), SL_OK);
    sl_store_free(st);
    assert_int_equal(int_of(f->db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    /* narrowed, then packed (version 11): the row tables gone */
    char *lsh3 = block_keys(f->db, "lsh_blocks"), *paras3 = block_keys(f->db, "paras_blocks");
    assert_string_equal(lsh3, lsh);
    assert_string_equal(paras3, paras);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM sqlite_master"
                                   " WHERE name IN ('lsh', 'paras')"),
                     0);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM members"), members);
    free(lsh);
    free(paras);
    free(lsh3);
    free(paras3);

    /* a copy, from another outlet: the stored articles are found by the stored keys only */
    const char *orig = "harbourtimes.example/ferry-runs-aground-off-kessa-island.txt";
    assert_int_equal(sl_store_open(f->db, 0, &st), SL_OK);
    sl_article *a = NULL;
    assert_int_equal(sl_store_get_article(st, orig, SL_WITH_RAW, &a), SL_OK);
    assert_non_null(a->family);
    char family[64];
    snprintf(family, sizeof family, "%s", a->family);
    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(st, NULL, &b), SL_OK);
    sl_article_input in = {.id = "copy.example/ferry", .source = "copy.example",
                           .date = "2024-03-02", .title = a->title, .text = a->raw};
    assert_int_equal(sl_batch_add_article(b, &in), SL_OK);
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
    sl_article_free(a);
    assert_int_equal(sl_store_get_article(st, "copy.example/ferry", 0, &a), SL_OK);
    assert_non_null(a->family);
    assert_string_equal(a->family, family);
    sl_article_free(a);
    sl_store_free(st);
}

/* A migration from version 2 that fails (here: a table in the way of the new index) is
 * rolled back: version 2 with its keys as they were, and a later one succeeds. */
static void test_v2_failed_migration(void **state)
{
    fixture *f = *state;
    char *lsh = narrowed_keys(f->db, "lsh");
    long long wide = int_of(f->db, "SELECT count(*) FROM lsh"
                                   " WHERE key NOT BETWEEN -2147483648 AND 2147483647");
    exec_on(f->db, "CREATE TABLE paras_v3(x)");
    migration_fails(f->db, "paras_v3", 2);
    sl_store *st = NULL;
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM lsh"
                                   " WHERE key NOT BETWEEN -2147483648 AND 2147483647"),
                     wide);
    exec_on(f->db, "DROP TABLE paras_v3");
    assert_int_equal(sl_store_open(f->db, 0, &st), SL_OK);
    sl_store_free(st);
    assert_int_equal(int_of(f->db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    char *lsh3 = block_keys(f->db, "lsh_blocks");
    assert_string_equal(lsh3, lsh);
    free(lsh);
    free(lsh3);
}

/* --- version 3 (tests/data/store_v3.sql): the search index without stop words --- */

/* Of a version-3 store (packed texts, read through the library only): its ids, events and
 * search hits for "ferry" (ids in order) as its index, tokenized by porter, gives them
 * (with `hits`; version 4's tokenizer is the library's, which plain SQLite has not). */
static void read_before_v3(const char *db, before *b, int hits)
{
    sqlite3 *c = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(c,
                                        "SELECT a.id, (SELECT 'E' || event FROM article_events e"
                                        " WHERE e.rid = a.rid) FROM articles a ORDER BY a.rid",
                                        -1, &s, NULL),
                     SQLITE_OK);
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        assert_true(n < N_ARTICLES);
        b->id[n] = dup_col(s, 0);
        b->event[n] = dup_col(s, 1);
        assert_non_null(b->event[n]);
        n++;
    }
    assert_int_equal(n, N_ARTICLES);
    sqlite3_finalize(s);
    if (hits)
        read_hits(c, b);
    else
        sqlite3_close(c);
}

static int setup_v3(void **state)
{
    fixture *f = load_fixture(3);
    if (!f)
        return -1;
    read_before_v3(f->db, &f->b, 1);
    *state = f;
    return 0;
}

static void test_v3_readonly_refused(void **state)
{
    readonly_refused(((fixture *)*state)->db, 3);
}

/* A writer migrates it: the index made again with tokenizer sl_stop (five texts: no stop
 * words picked), the same articles, texts, events, facts and search hits. */
static void test_v3_migrated(void **state)
{
    fixture *f = *state;
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM sqlite_master WHERE name ="
                                   " 'articles_fts' AND sql LIKE '%sl_stop%'"),
                     0);
    sl_store *st = NULL;
    assert_int_equal(sl_store_open(f->db, 0, &st), SL_OK);
    sl_store_free(st);
    assert_int_equal(int_of(f->db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM sqlite_master WHERE name ="
                                   " 'articles_fts' AND sql LIKE '%sl_stop porter%'"),
                     1);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM search_stop"), 0);
    assert_int_equal(sl_store_open(f->db, SL_OPEN_READONLY, &st), SL_OK);
    for (int i = 0; i < N_ARTICLES; i++) {
        sl_article *a = NULL;
        assert_int_equal(sl_store_get_article(st, f->b.id[i], SL_WITH_TEXT | SL_WITH_RAW, &a),
                         SL_OK);
        assert_true(strlen(a->text) > 100);
        assert_string_equal(a->event, f->b.event[i]);
        sl_article_free(a);
    }
    char ids[N_ARTICLES][128] = {{0}};
    assert_int_equal(sl_store_search(st, "ferry", NULL, collect_hit, &ids), SL_OK);
    qsort(ids, N_ARTICLES, sizeof ids[0], by_name);
    char hits[512] = "";
    for (int i = 0; i < N_ARTICLES; i++)
        if (ids[i][0]) {
            strcat(hits, ids[i]);
            strcat(hits, " ");
        }
    assert_string_equal(hits, f->b.hits);
    sl_store_free(st);
}

/* --- version 4 (tests/data/store_v4.sql): each quote's text held in its row --- */

/* Every quote of a store as one line each ("id|event|text|speaker|kind", '~' for no
 * speaker; each variant's wording after it), through `from`, `text`, `speaker`, `kind`
 * (SQL over quotes q). */
/* sl_quote_text as the printings of a store migrated from version 4 need it: they are
 * text (packed ones come from version 11's stage only), which it gives as it is. */
static void quote_text_as_is(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    assert_int_equal(sqlite3_value_type(argv[0]), SQLITE_TEXT);
    sqlite3_result_value(ctx, argv[0]);
}

static char *quote_lines(const char *db, const char *from, const char *text,
                         const char *speaker, const char *kind)
{
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT group_concat(line, char(10)) FROM (SELECT q.id || '|' || q.event || '|'"
             " || %s || '|' || coalesce(%s, '~') || '|' || %s || (SELECT group_concat("
             " CASE WHEN v.text = '' THEN '=' ELSE v.text END, ',') FROM quote_variants v"
             " WHERE v.quote = q.id) AS line FROM %s ORDER BY q.id)",
             text, speaker, kind, from);
    sqlite3 *c = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_create_function(c, "sl_quote_text", 1, SQLITE_UTF8, NULL,
                                             quote_text_as_is, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    char *out = dup_col(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(c);
    assert_non_null(out);
    return out;
}

/* One text from SQL (malloc'd). */
static char *text_of(const char *db, const char *sql)
{
    sqlite3 *c = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    char *out = dup_col(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(c);
    assert_non_null(out);
    return out;
}

/* An event's entities as "name type count", joined by ',' into user (4096 bytes). */
static int join_entity(void *user, const sl_entity *e)
{
    char *out = user;
    size_t n = strlen(out);
    snprintf(out + n, 4096 - n, "%s%s %s %lld", n ? "," : "", e->name, e->type, e->count);
    return 0;
}

static int setup_v4(void **state)
{
    fixture *f = load_fixture(4);
    if (!f)
        return -1;
    read_before_v3(f->db, &f->b, 0);
    *state = f;
    return 0;
}

static void test_v4_readonly_refused(void **state)
{
    readonly_refused(((fixture *)*state)->db, 4);
}

/* A writer migrates it: each quote refers to a printing of its text (no text of its own;
 * the speaker and kind it has that the printing has not), or keeps its text where none
 * fits; every quote reads as before. Three quotes planted besides the fixture's: one no
 * article prints (kept), one printed by another speaker as a phrase (refers, keeps its
 * speaker and kind), one without a speaker whose printing names one (kept). */
static void test_v4_migrated(void **state)
{
    fixture *f = *state;
    exec_on(f->db,
            "INSERT INTO quotes VALUES(100, 1, 'Words no article prints.', 'Nobody', 'speech');"
            "INSERT INTO quote_variants VALUES(100, 0, '');"
            "INSERT INTO variant_articles VALUES(100, 0, 0, 1);"
            "INSERT INTO quotes SELECT 101, 2, text, 'Someone Else', 'phrase'"
            " FROM article_quotes WHERE rid = 2 AND n = 0;"
            "INSERT INTO quote_variants VALUES(101, 0, '');"
            "INSERT INTO variant_articles VALUES(101, 0, 0, 2);"
            "INSERT INTO quotes SELECT 102, 2, text, NULL, kind"
            " FROM article_quotes WHERE rid = 2 AND n = 0;"
            "INSERT INTO quote_variants VALUES(102, 0, '');"
            "INSERT INTO variant_articles VALUES(102, 0, 0, 2);");
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM article_quotes WHERE rid = 2 AND n = 0"
                                   " AND speaker IS NOT NULL AND kind = 'speech'"),
                     1);
    long long n = int_of(f->db, "SELECT count(*) FROM quotes");
    assert_true(n >= 7 + 3);
    /* E1's memo damaged: its rows stay; E2's memo holds its 14 rows */
    exec_on(f->db, "UPDATE entity_memos SET memo = x'454531' WHERE event = 1");
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM event_entities WHERE event = 2"), 14);
    char *ents[2];
    for (int e = 0; e < 2; e++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT group_concat(name || ' ' || type || ' ' || count, ',') FROM"
                 " (SELECT * FROM event_entities WHERE event = %d ORDER BY n)", e + 1);
        ents[e] = text_of(f->db, sql);
    }
    char *was = quote_lines(f->db, "quotes q", "q.text", "q.speaker", "q.kind");
    sl_store *st = NULL;
    assert_int_equal(sl_store_open(f->db, 0, &st), SL_OK);
    sl_store_free(st);
    assert_int_equal(int_of(f->db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    char *after = quote_lines(f->db, STORE_QUOTES_FROM, STORE_QUOTE_TEXT, STORE_QUOTE_SPEAKER,
                              STORE_QUOTE_KIND);
    assert_string_equal(after, was);
    free(was);
    free(after);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM quotes WHERE text IS NULL"), n - 2);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM quotes WHERE text IS NOT NULL"
                                   " AND rid IS NULL AND id IN (100, 102)"),
                     2);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM quotes WHERE id = 101 AND rid = 2"
                                   " AND n = 0 AND speaker = 'Someone Else' AND kind = 'phrase'"),
                     1);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                   " ('quotes_event', 'quotes_ref')"),
                     2);
    /* the fixture's own: each refers to its printing with nothing more */
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM quotes WHERE id < 100 AND text IS NULL"
                                   " AND speaker IS NULL AND kind IS NULL"),
                     n - 3);
    /* an event's entities read from its memo where that holds its rows (dropped), else
     * the rows (the memo dropped): the same as before */
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM event_entities WHERE event = 2"), 0);
    assert_int_equal(int_of(f->db, "SELECT shown FROM entity_memos WHERE event = 2"), 14);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM event_entities WHERE event = 1"), 8);
    assert_int_equal(int_of(f->db, "SELECT count(*) FROM entity_memos WHERE event = 1"), 0);
    /* read through the library: the same events, entities and facts as before */
    assert_int_equal(sl_store_open(f->db, SL_OPEN_READONLY, &st), SL_OK);
    for (int e = 0; e < 2; e++) {
        char id[8], got[4096] = "";
        snprintf(id, sizeof id, "E%d", e + 1);
        assert_int_equal(sl_store_event_entities(st, id, join_entity, got), SL_OK);
        assert_string_equal(got, ents[e]);
        free(ents[e]);
    }
    sl_stats stats;
    assert_int_equal(sl_store_stats(st, &stats), SL_OK);
    assert_int_equal(stats.entities, 8 + 14);
    for (int i = 0; i < N_ARTICLES; i++) {
        sl_article *a = NULL;
        assert_int_equal(sl_store_get_article(st, f->b.id[i], SL_WITH_TEXT, &a), SL_OK);
        assert_string_equal(a->event, f->b.event[i]);
        sl_article_free(a);
    }
    sl_store_free(st);
}

/* --- the search's stop words (search.c) --- */

/* Article k: sentences of six common words, in an order of its own (no line repeats
 * from article to article, so cleaning keeps them), then a word of ten (each in a tenth
 * of the texts), and "Bank of England" or "Bank hill England" in a tenth each. */
static void stop_text(int k, char *out, size_t size)
{
    static const char *const common[] = {"the", "of", "council", "said", "port", "ferry"};
    static const char *const group[] = {"alpha", "bravo", "charlie", "delta", "echo",
                                        "foxtrot", "golf", "hotel", "india", "juliet"};
    size_t n = 0;
    unsigned x = (unsigned)k * 2654435761u + 777u;
    for (int sentence = 0; sentence < 4; sentence++) {
        for (int w = 0; w < 10; w++) {
            x = x * 1103515245u + 12345u;
            n += (size_t)snprintf(out + n, size - n, "%s%s", w ? " " : "",
                                  common[(x >> 16) % 6]);
        }
        n += (size_t)snprintf(out + n, size - n, ". ");
    }
    n += (size_t)snprintf(out + n, size - n, "The %s report came today.%s", group[k % 10],
                          k % 10 == 3   ? " Bank of England rates rose."
                          : k % 10 == 4 ? " Bank hill England rates rose."
                                        : "");
}

/* Articles first .. first + n - 1 (stop_text), those under `early` with the word "zulu"
 * too: in more than half of the first 1,000 texts and less than half of 1,200 when
 * early is 560. */
static void add_stop_articles_early(sl_store *st, int first, int n, int early)
{
    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(st, NULL, &b), SL_OK);
    char text[2048];
    for (int k = first; k < first + n; k++) {
        char id[64];
        snprintf(id, sizeof id, "stop.example/%d", k);
        stop_text(k, text, sizeof text - 32);
        if (k < early)
            strcat(text, " Zulu notes.");
        sl_article_input in = {.id = id, .source = "stop.example", .date = "2024-05-18",
                               .title = "Harbour news", .text = text};
        assert_int_equal(sl_batch_add_article(b, &in), SL_OK);
    }
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
}

static void add_stop_articles(sl_store *st, int first, int n)
{
    add_stop_articles_early(st, first, n, 0);
}

static int count_hit(void *user, const sl_hit *hit)
{
    (void)hit;
    ++*(long long *)user;
    return 0;
}

/* The hits of q (all of them), counted; SL_OK or what the search said. */
static sl_error hits_of(sl_store *st, const char *q, long long *n)
{
    *n = 0;
    return sl_store_search(st, q, NULL, count_hit, n);
}

static char *stop_list(const char *db)
{
    sqlite3 *c = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(c, "SELECT group_concat(term, ' ') FROM (SELECT term"
                                           " FROM search_stop ORDER BY term)",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    char *out = dup_col(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(c);
    return out ? out : strdup("");
}

/* Below 1,000 texts a store has no stop words (every word searched as before); the batch
 * that takes it past them picks the words in more than half of the texts and makes the
 * index again: those words are searched as nothing (a query of them alone is refused,
 * saying why), a phrase matches its other words next to each other ("bank of england",
 * not "bank hill england"), the articles of both batches are found. A version-3 store of
 * the same articles (its index made again without stop words, as 3e332e6 made it)
 * migrated: the same words picked, the same hits. */
static void test_stop_words(void **state)
{
    (void)state;
    char dir[64] = "/tmp/sl-test-stop-XXXXXX", db[128];
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/s.db", dir);
    sl_store *st = NULL;
    assert_int_equal(sl_store_open(db, SL_OPEN_CREATE, &st), SL_OK);
    add_stop_articles(st, 0, 600);
    char *none = stop_list(db);
    assert_string_equal(none, "");
    free(none);
    long long n = 0;
    assert_int_equal(hits_of(st, "the", &n), SL_OK);
    assert_int_equal(n, 600);
    assert_int_equal(hits_of(st, "bravo", &n), SL_OK);
    assert_int_equal(n, 60);

    add_stop_articles(st, 600, 600);
    check_index_whole(st); /* made again at the end of the cleaning that reached 1,000 */
    char *list = stop_list(db);
    /* the six common words, the template's, and "the" (porter: ferri, council...) */
    assert_non_null(strstr(list, "council"));
    assert_non_null(strstr(list, "ferri"));
    assert_non_null(strstr(list, " of "));
    assert_null(strstr(list, "bravo"));
    assert_null(strstr(list, "bank"));
    assert_int_equal(hits_of(st, "the", &n), SL_ERR_INVALID);
    assert_non_null(strstr(sl_store_errmsg(st), "too common"));
    assert_int_equal(hits_of(st, "the of council", &n), SL_ERR_INVALID);
    assert_int_equal(hits_of(st, "bravo", &n), SL_OK);
    assert_int_equal(n, 120);
    assert_int_equal(hits_of(st, "the bravo report", &n), SL_OK);
    assert_int_equal(n, 120);
    assert_int_equal(hits_of(st, "bank england", &n), SL_OK);
    assert_int_equal(n, 240);
    assert_int_equal(hits_of(st, "bank-of-england", &n), SL_OK);
    assert_int_equal(n, 120);
    /* stop words left out of the index: it holds no "ferri" */
    assert_int_equal(sqlite3_exec(st->db, "CREATE VIRTUAL TABLE temp.v USING"
                                          " fts5vocab(main, articles_fts, row)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT count(*) FROM temp.v WHERE term IN"
                                                " ('ferri', 'council', 'the', 'bravo')",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 1);
    sqlite3_finalize(s);
    /* made a version-3 store: its index as 3e332e6 made it, no list */
    assert_int_equal(sqlite3_exec(st->db,
                                  "DROP TABLE temp.v; DROP TABLE articles_fts;"
                                  " DROP TABLE search_stop;"
                                  " CREATE VIRTUAL TABLE articles_fts USING fts5(title, text,"
                                  " content='article_text', content_rowid='rid',"
                                  " tokenize='porter unicode61 remove_diacritics 2');"
                                  " INSERT INTO articles_fts(articles_fts) VALUES('rebuild');"
                                  " PRAGMA user_version=3",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sl_store_free(st);
    assert_int_equal(sl_store_open(db, SL_OPEN_READONLY, &st), SL_ERR_STORE_VERSION);
    assert_int_equal(sl_store_open(db, 0, &st), SL_OK);
    sl_store_free(st);
    assert_int_equal(int_of(db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    char *again = stop_list(db);
    assert_string_equal(again, list);
    assert_int_equal(sl_store_open(db, SL_OPEN_READONLY, &st), SL_OK);
    assert_int_equal(hits_of(st, "the", &n), SL_ERR_INVALID);
    assert_int_equal(hits_of(st, "bravo", &n), SL_OK);
    assert_int_equal(n, 120);
    assert_int_equal(hits_of(st, "bank-of-england", &n), SL_OK);
    assert_int_equal(n, 120);
    sl_store_free(st);
    free(list);
    free(again);
    remove_tree(dir);
}

/* A store without the search index passes 1,000 texts (no stop words picked, nothing
 * fails); built then, its stop words are picked from its first 1,000 texts, as a store
 * that had the index from the start picked them (the same list, with "zulu", which more
 * than half of the first texts hold and less than half of all: a list picked from every
 * text would lack it), and every text indexed without them (the same hits);
 * dropped, the list goes with it, and built again gives the same. A second handle open
 * meanwhile sees each change at its next search or batch: a search after the drop says
 * the index is gone (not an SQL error), and its batch after the build keeps the index
 * with the list the build picked. */
static void test_search_off_then_on(void **state)
{
    (void)state;
    char dir[64] = "/tmp/sl-test-soff-XXXXXX", db[128], ref[128];
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/s.db", dir);
    snprintf(ref, sizeof ref, "%s/ref.db", dir);
    sl_store *st = NULL, *other = NULL;
    assert_int_equal(sl_store_open(ref, SL_OPEN_CREATE, &st), SL_OK);
    add_stop_articles_early(st, 0, 1200, 560);
    sl_store_free(st);
    char *want = stop_list(ref);
    assert_non_null(strstr(want, "council"));
    assert_non_null(strstr(want, "zulu"));

    assert_int_equal(sl_store_open(db, SL_OPEN_CREATE | SL_OPEN_NO_SEARCH, &st), SL_OK);
    add_stop_articles_early(st, 0, 1200, 560);
    char *none = stop_list(db);
    assert_string_equal(none, "");
    free(none);
    assert_int_equal(sl_store_open(db, 0, &other), SL_OK);
    long long n = 0;
    assert_int_equal(hits_of(other, "bravo", &n), SL_ERR_UNSUPPORTED);

    assert_int_equal(sl_store_set_search(st, 1), SL_OK);
    char *list = stop_list(db);
    assert_string_equal(list, want);
    free(list);
    assert_int_equal(hits_of(st, "the", &n), SL_ERR_INVALID);
    assert_int_equal(hits_of(st, "bravo", &n), SL_OK);
    assert_int_equal(n, 120);
    assert_int_equal(hits_of(st, "bank-of-england", &n), SL_OK);
    assert_int_equal(n, 120);
    /* the other handle: the index is there for its search, and its batch keeps it */
    assert_int_equal(hits_of(other, "bank-of-england", &n), SL_OK);
    assert_int_equal(n, 120);
    add_stop_articles(other, 1200, 10);
    assert_int_equal(hits_of(other, "bravo", &n), SL_OK);
    assert_int_equal(n, 121);
    assert_int_equal(hits_of(st, "bank-of-england", &n), SL_OK);
    assert_int_equal(n, 121);

    assert_int_equal(sl_store_set_search(st, 0), SL_OK);
    assert_int_equal(int_of(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE"
                                " 'articles_fts%'"),
                     0);
    none = stop_list(db);
    assert_string_equal(none, "");
    free(none);
    assert_int_equal(hits_of(other, "bravo", &n), SL_ERR_UNSUPPORTED);
    assert_non_null(strstr(sl_store_errmsg(other), "search-index on"));
    add_stop_articles(other, 1210, 10); /* its batch writes no index */
    assert_int_equal(sl_store_has_search(other), 0);
    sl_store_free(other);

    assert_int_equal(sl_store_set_search(st, 1), SL_OK);
    list = stop_list(db);
    assert_string_equal(list, want);
    free(list);
    assert_int_equal(hits_of(st, "bravo", &n), SL_OK);
    assert_int_equal(n, 122);
    sl_store_free(st);
    free(want);
    remove_tree(dir);
}

/* The texts' codec (texts.c): a cleaned text made of the raw text's lines is stored as
 * spans of it; one that is not (a word changed, lines out of order) as a frame; both and
 * the empty text read back exactly through sl_text; a damaged blob is an error, not a
 * wrong text. */
static void test_codec(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st = NULL;
    assert_int_equal(scratch_store("codec", dir, db, &st), 0);
    static const char raw[] = "Title line\n  First kept line.  \nMenu | Home\nSecond kept.\n";
    static const char *const texts[] = {
        "First kept line.\nSecond kept.", /* spans */
        "Title line",                     /* spans: one */
        "Second kept.\nFirst kept line.", /* out of order: a frame */
        "First kept lime.",               /* not in the raw text: a frame */
        "\n",                             /* two empty lines: spans */
        "",                               /* empty */
    };
    static const int spans[] = {1, 1, 0, 0, 1, -1};
    const void *praw;
    size_t nraw;
    assert_int_equal(sli_store_pack_raw(st->texts, "codec", raw, strlen(raw), &praw, &nraw), SL_OK);
    void *packed_raw = malloc(nraw);
    assert_non_null(packed_raw);
    memcpy(packed_raw, praw, nraw);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT sl_text(?1, ?2), sl_raw(?2)", -1, &s,
                                        NULL),
                     SQLITE_OK);
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const void *blob;
        size_t size;
        assert_int_equal(sli_store_repack_text(st->texts, packed_raw, nraw, texts[i],
                                               strlen(texts[i]), &blob, &size),
                         SL_OK);
        if (spans[i] < 0)
            assert_int_equal(size, 0);
        else
            assert_int_equal(((const unsigned char *)blob)[0], spans[i] ? 1 : 2);
        if (spans[i] > 0)
            assert_true(size < 12);
        sqlite3_bind_blob(s, 1, size ? blob : "", (int)size, SQLITE_TRANSIENT);
        sqlite3_bind_blob(s, 2, packed_raw, (int)nraw, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(s, 0), texts[i]);
        assert_string_equal((const char *)sqlite3_column_text(s, 1), raw);
        sqlite3_reset(s);
    }
    /* spans past the raw text's end, a frame cut short, an unknown tag */
    static const unsigned char bad[][4] = {{1, 0x7F, 0x05, 0}, {2, 0x28, 0xB5, 0x2F}, {9, 0, 0, 0}};
    for (size_t i = 0; i < 3; i++) {
        sqlite3_bind_blob(s, 1, bad[i], i == 0 ? 3 : 4, SQLITE_STATIC);
        sqlite3_bind_blob(s, 2, packed_raw, (int)nraw, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(s), SQLITE_ERROR);
        sqlite3_reset(s);
    }
    /* a version-1 value (TEXT) is the text itself */
    sqlite3_bind_text(s, 1, "plain", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, "raw text", -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "plain");
    assert_string_equal((const char *)sqlite3_column_text(s, 1), "raw text");
    sqlite3_finalize(s);
    free(packed_raw);
    sl_store_free(st);
    remove_tree(dir);
}

/* Article k of a source: sentences of a small vocabulary, the same kind of text from
 * article to article (what a source's dictionary learns), each article its own. */
static void make_text(int k, char *out, size_t size)
{
    static const char *const words[] = {"harbour", "council", "ferry", "minister", "said",
                                        "the", "on", "rates", "bank", "strike", "port",
                                        "island", "of", "in", "weather", "coast"};
    size_t n = 0;
    unsigned x = (unsigned)k * 2654435761u + 12345u;
    n += (size_t)snprintf(out + n, size - n, "Report %d of the coast desk.\n\n", k);
    for (int sentence = 0; sentence < 30 && n + 200 < size; sentence++) {
        for (int w = 0; w < 12; w++) {
            x = x * 1103515245u + 12345u;
            n += (size_t)snprintf(out + n, size - n, "%s%s", w ? " " : "",
                                  words[(x >> 16) % 16]);
        }
        n += (size_t)snprintf(out + n, size - n, ".%s", sentence % 4 == 3 ? "\n\n" : " ");
    }
}

/* Add `n` articles of `source` (ids from `first`); commit them, or roll them back. */
static void add_articles(sl_store *st, const char *source, int first, int n, int commit)
{
    sl_batch *b = NULL;
    sl_ingest_options opt = {0};
    assert_int_equal(sl_batch_begin(st, &opt, &b), SL_OK);
    static char text[8192];
    for (int k = first; k < first + n; k++) {
        char id[64];
        snprintf(id, sizeof id, "%s/%d", source, k);
        make_text(k, text, sizeof text);
        sl_article_input in = {.id = id, .source = source, .date = "2024-05-18",
                               .title = "Coast desk report", .text = text};
        assert_int_equal(sl_batch_add_article(b, &in), SL_OK);
    }
    if (commit)
        assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
}

/* How many raw texts of `source` name a dictionary in their frame. */
static int with_dict(sl_store *st, const char *source)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT r.raw FROM raws r JOIN articles a"
                                                " ON a.rid = r.rid WHERE a.source = ?1",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW)
        n += sli_unpack_dict_id(sqlite3_column_blob(s, 0),
                                (size_t)sqlite3_column_bytes(s, 0)) != 0;
    sqlite3_finalize(s);
    return n;
}

/* Every raw text of `source` (ids first..first+n) reads back as it was added. */
static void check_raws(sl_store *st, const char *source, int first, int n)
{
    static char text[8192];
    for (int k = first; k < first + n; k++) {
        char id[64];
        snprintf(id, sizeof id, "%s/%d", source, k);
        make_text(k, text, sizeof text);
        sl_article *a = NULL;
        assert_int_equal(sl_store_get_article(st, id, SL_WITH_RAW | SL_WITH_TEXT, &a), SL_OK);
        assert_string_equal(a->raw, text);
        assert_non_null(a->text);
        assert_non_null(strstr(a->text, "harbour") ? a->text : strstr(a->text, "port"));
        sl_article_free(a);
    }
}

/* A source's raw texts are packed with a dictionary from its 101st article on, trained
 * on its first 100 and kept in dicts; they read back exactly, in this handle and in a new
 * one. A batch that rolls back takes its dictionary with it, and the next trains again. */
/* A text that would make a plain search quadratic (a raw text of one letter, a cleaned
 * line of the same letter ending in another): placed within a budget, else packed as a
 * frame, and read back the same either way. */
static void test_spans_bounded(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st = NULL;
    assert_int_equal(scratch_store("spans", dir, db, &st), 0);
    size_t rawn = 400000, tn = 200000;
    char *raw = malloc(rawn + 1), *text = malloc(tn + 1);
    assert_non_null(raw);
    assert_non_null(text);
    memset(raw, 'a', rawn);
    raw[rawn - 1] = 'b';
    raw[rawn] = '\0';
    memset(text, 'a', tn);
    text[tn - 1] = 'b';
    text[tn] = '\0';
    const void *blob;
    size_t size;
    /* the plain search would compare about 4e10 bytes here; the budget gives up at 6.5e6 */
    assert_int_equal(sli_store_pack_text(st->texts, raw, rawn, text, tn, &blob, &size), SL_OK);
    assert_int_equal(((const unsigned char *)blob)[0], 2); /* a frame */
    sqlite3_stmt *s = NULL;
    const void *praw;
    size_t nraw;
    void *copy = malloc(size);
    assert_non_null(copy);
    memcpy(copy, blob, size);
    assert_int_equal(sli_store_pack_raw(st->texts, "spans", raw, rawn, &praw, &nraw), SL_OK);
    assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT sl_text(?1, ?2)", -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_blob(s, 1, copy, (int)size, SQLITE_STATIC);
    sqlite3_bind_blob(s, 2, praw, (int)nraw, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), text);
    sqlite3_finalize(s);
    /* a line that is where its raw line is costs little: still spans */
    assert_int_equal(sli_store_pack_text(st->texts, raw, rawn, raw, rawn, &blob, &size), SL_OK);
    assert_int_equal(((const unsigned char *)blob)[0], 1);
    free(copy);
    free(raw);
    free(text);
    sl_store_free(st);
    remove_tree(dir);
}

static void test_dicts(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st = NULL;
    assert_int_equal(scratch_store("dicts", dir, db, &st), 0);
    add_articles(st, "a.example", 0, 60, 1);
    assert_int_equal(int_of(db, "SELECT count(*) FROM dicts"), 0);
    add_articles(st, "a.example", 60, 90, 1); /* the 101st is the 41st of this batch */
    assert_int_equal(int_of(db, "SELECT count(*) FROM dicts WHERE source = 'a.example'"), 1);
    assert_int_equal(with_dict(st, "a.example"), 50);
    check_raws(st, "a.example", 0, 150);
    /* smaller with the dictionary than without */
    assert_true(int_of(db, "SELECT avg(length(r.raw)) FROM raws r JOIN articles a USING(rid)"
                           " WHERE a.id >= 'a.example/100' AND a.id < 'a.example/2'") <
                int_of(db, "SELECT avg(length(r.raw)) FROM raws r JOIN articles a USING(rid)"
                           " WHERE a.id < 'a.example/100'"));
    /* (other texts than a's: the same texts would train the same dictionary, of the same
     * id, which a's holds: b would then have none) */
    add_articles(st, "b.example", 1000, 130, 0); /* trains b's, then rolls back */
    assert_int_equal(int_of(db, "SELECT count(*) FROM dicts"), 1);
    add_articles(st, "b.example", 1000, 130, 1);
    assert_int_equal(int_of(db, "SELECT count(*) FROM dicts"), 2);
    assert_int_equal(with_dict(st, "b.example"), 30);
    check_raws(st, "b.example", 1000, 130);
    sl_store_free(st);
    assert_int_equal(sl_store_open(db, SL_OPEN_READONLY, &st), SL_OK);
    check_raws(st, "a.example", 0, 150);
    check_raws(st, "b.example", 1000, 130);
    char ids[N_ARTICLES][128] = {{0}};
    assert_int_equal(sl_store_search(st, "harbour", NULL, collect_hit, &ids), SL_OK);
    assert_true(ids[0][0] != '\0');
    sl_store_free(st);
    remove_tree(dir);
}

/* Articles of `source` (first..first+n) whose search index row holds their first line's
 * number (make_text: "Report K"): one hit each, the article itself, and the index's text
 * the article's cleaned text. */
static void check_indexed(sl_store *st, const char *source, int first, int n)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT a.id, f.text FROM articles_fts f"
                                                " JOIN articles a ON a.rid = f.rowid"
                                                " WHERE articles_fts MATCH ?1",
                                        -1, &s, NULL),
                     SQLITE_OK);
    for (int k = first; k < first + n; k++) {
        char q[32], id[64];
        snprintf(q, sizeof q, "\"report %d\"", k);
        snprintf(id, sizeof id, "%s/%d", source, k);
        sqlite3_bind_text(s, 1, q, -1, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(s, 0), id);
        sl_article *a = NULL;
        assert_int_equal(sl_store_get_article(st, id, SL_WITH_TEXT, &a), SL_OK);
        assert_string_equal((const char *)sqlite3_column_text(s, 1), a->text);
        sl_article_free(a);
        assert_int_equal(sqlite3_step(s), SQLITE_DONE);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    check_index_whole(st);
}

/* Article `id` of `source` put again, with the text of article k (make_text). */
static void put_again(sl_store *st, const char *id, const char *source, int k)
{
    sl_batch *b = NULL;
    sl_ingest_options opt = {0};
    assert_int_equal(sl_batch_begin(st, &opt, &b), SL_OK);
    static char text[8192];
    make_text(k, text, sizeof text);
    sl_article_input in = {.id = id, .source = source, .date = "2024-05-18",
                           .title = "Coast desk report", .text = text};
    assert_int_equal(sl_batch_add_article(b, &in), SL_OK);
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
}

/* The index's hits of the phrase "report k" (on the store's connection: the index's
 * tokenizer, sl_stop, is registered there). */
static long long report_hits(sl_store *st, int k)
{
    char q[96];
    snprintf(q, sizeof q, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH"
                          " '\"report %d\"'", k);
    return int_on(st->db, q);
}

/* The cleaned texts are saved STORE_CLEAN_ROWS at a time by one statement (lines.c): the
 * search index gets every article's text, its old text goes when an article is updated
 * or cleaned again, whatever its place in a chunk. */
static void test_saved_in_chunks(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st = NULL;
    assert_int_equal(scratch_store("chunks", dir, db, &st), 0);
    int n = 2 * STORE_CLEAN_ROWS + 37;
    add_articles(st, "c.example", 0, n, 1);
    check_indexed(st, "c.example", 0, n);
    /* a new store's index holds 16 MB of terms before writing a segment */
    assert_int_equal(int_on(st->db, "SELECT v FROM articles_fts_config WHERE k = 'hashsize'"),
                     16777216);
    /* updated: article 5 comes with the text of 5000; the old text's words go */
    put_again(st, "c.example/5", "c.example", 5000);
    assert_int_equal(report_hits(st, 5), 0);
    assert_int_equal(report_hits(st, 5000), 1);
    check_index_whole(st);
    /* cleaned again: every old text out of the index, every new one in */
    long long cleaned = 0;
    assert_int_equal(sl_store_reclean(st, NULL, NULL, &cleaned), SL_OK);
    assert_int_equal(cleaned, n);
    check_indexed(st, "c.example", 6, n - 6);
    sl_store_free(st);
    remove_tree(dir);
}

/* Version 13's triggers of the search index (put each article in as it is written and
 * cleaned), as 98c00a9 made them. */
#define V13_FTS_TRIGGERS                                                                   \
    "CREATE TRIGGER articles_fts_put AFTER INSERT ON articles BEGIN"                       \
    "  INSERT INTO articles_fts(rowid, title, text) VALUES(new.rid, new.title,"            \
    "   sl_text(new.text, (SELECT raw FROM raws WHERE rid = new.rid)));"                   \
    " END;"                                                                                \
    "CREATE TRIGGER articles_fts_gone BEFORE DELETE ON articles BEGIN"                     \
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text)"                         \
    "   VALUES('delete', old.rid, old.title,"                                              \
    "   sl_text(old.text, (SELECT raw FROM raws WHERE rid = old.rid)));"                   \
    " END;"                                                                                \
    "CREATE TRIGGER articles_fts_change AFTER UPDATE OF title, text ON articles BEGIN"     \
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text)"                         \
    "   VALUES('delete', old.rid, old.title,"                                              \
    "   sl_text(old.text, (SELECT raw FROM raws WHERE rid = old.rid)));"                   \
    "  INSERT INTO articles_fts(rowid, title, text) VALUES(new.rid, new.title,"            \
    "   sl_text(new.text, (SELECT raw FROM raws WHERE rid = new.rid)));"                   \
    " END;"

/* A store of version 13 (its index kept by triggers that put articles in, FTS5's
 * hashsize its default): a read-only open reads it as it is (its search too) and leaves
 * it at 13; a writer replaces the triggers by those that only take articles out and sets
 * the hashsize, keeping the index as it was; the batches after it (new articles, one
 * updated) are indexed once each, by the cleaning. */
static void test_v13_search_triggers(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st = NULL;
    assert_int_equal(scratch_store("v13", dir, db, &st), 0);
    add_articles(st, "t.example", 0, 40, 1);
    assert_int_equal(sqlite3_exec(st->db,
                                  "DROP TRIGGER articles_fts_gone;"
                                  " DROP TRIGGER articles_fts_change;" V13_FTS_TRIGGERS
                                  " DELETE FROM articles_fts_config WHERE k = 'hashsize';"
                                  " PRAGMA user_version=13",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sl_store_free(st);
    assert_int_equal(sl_store_open(db, SL_OPEN_READONLY, &st), SL_OK);
    long long n = 0;
    assert_int_equal(sl_store_search(st, "\"report 7\"", NULL, count_hit, &n), SL_OK);
    assert_int_equal(n, 1);
    sl_store_free(st);
    assert_int_equal(int_of(db, "PRAGMA user_version"), 13);
    assert_int_equal(sl_store_open(db, 0, &st), SL_OK);
    assert_int_equal(int_on(st->db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(int_on(st->db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"
                                    " AND name LIKE 'articles_fts%'"),
                     2);
    assert_int_equal(int_on(st->db, "SELECT count(*) FROM sqlite_schema"
                                    " WHERE name = 'articles_fts_change'"
                                    " AND sql LIKE '%docsize%' AND sql NOT LIKE '%new.%'"),
                     1);
    assert_int_equal(int_on(st->db, "SELECT v FROM articles_fts_config WHERE k = 'hashsize'"),
                     16777216);
    check_indexed(st, "t.example", 0, 40);
    add_articles(st, "t.example", 40, 30, 1);
    put_again(st, "t.example/3", "t.example", 7000);
    check_indexed(st, "t.example", 4, 66);
    assert_int_equal(report_hits(st, 7000), 1);
    assert_int_equal(report_hits(st, 3), 0);
    sl_store_free(st);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_v1_readonly_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v1_migrated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v1_failed_migration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v2_readonly_refused, setup_v2, teardown),
        cmocka_unit_test_setup_teardown(test_v2_migrated, setup_v2, teardown),
        cmocka_unit_test_setup_teardown(test_v2_failed_migration, setup_v2, teardown),
        cmocka_unit_test_setup_teardown(test_v3_readonly_refused, setup_v3, teardown),
        cmocka_unit_test_setup_teardown(test_v3_migrated, setup_v3, teardown),
        cmocka_unit_test_setup_teardown(test_v4_readonly_refused, setup_v4, teardown),
        cmocka_unit_test_setup_teardown(test_v4_migrated, setup_v4, teardown),
        cmocka_unit_test(test_stop_words),
        cmocka_unit_test_setup_teardown(test_newer_refused, setup, teardown),
        cmocka_unit_test(test_search_off_then_on),
        cmocka_unit_test(test_codec),
        cmocka_unit_test(test_spans_bounded),
        cmocka_unit_test(test_dicts),
        cmocka_unit_test(test_saved_in_chunks),
        cmocka_unit_test(test_v13_search_triggers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
