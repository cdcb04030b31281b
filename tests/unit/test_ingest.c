/* test_ingest.c — the store and batches through the public API, on temporary stores:
 * opening, adding, deduplication outcomes, per-input reports, rollback, state errors,
 * reading articles back, statistics, error names and the schema version check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>
#include <cmocka.h>


#include "scratch.h"
#include "store/store_impl.h" /* sl_store internals: the connection */
#include "storyline.h"

/* ---------------------------------------------------------------------------------- */
/* Fixture: a temporary directory, removed afterwards                                 */
/* ---------------------------------------------------------------------------------- */

typedef struct report_copy {
    sl_error code;
    char path[256];
    long line;
    long long offset;
    char detail[256];
} report_copy;

typedef struct reports {
    report_copy v[64];
    int n;
} reports;

static void collect(void *user, const sl_report *r)
{
    reports *rs = user;
    assert_non_null(r->detail);
    assert_non_null(r->path);
    if (rs->n >= (int)(sizeof rs->v / sizeof rs->v[0]))
        return;
    report_copy *c = &rs->v[rs->n++];
    c->code = r->code;
    snprintf(c->path, sizeof c->path, "%s", r->path);
    c->line = r->line;
    c->offset = r->offset;
    snprintf(c->detail, sizeof c->detail, "%s", r->detail);
}

typedef struct fixture {
    char dir[64];
    char db[128];
    sl_store *st;
    reports rep;
    sl_ingest_options opt;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/sl-unit-ingest-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/store.db", f->dir);
    if (sl_store_open(f->db, SL_OPEN_CREATE, &f->st) != SL_OK) {
        remove_tree(f->dir);
        free(f);
        return -1;
    }
    f->opt.on_report = collect;
    f->opt.user = &f->rep;
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

/* A temporary directory with no store in it (for the open tests). */
static int setup_dir(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/sl-unit-ingest-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/store.db", f->dir);
    *state = f;
    return 0;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static long long article_count(sl_store *st)
{
    sl_stats s;
    assert_int_equal(sl_store_stats(st, &s), SL_OK);
    return s.articles;
}

static const char *const TEXT_A =
    "Prime Minister resigns after vote\n"
    "The prime minister resigned on Tuesday after losing a confidence vote in parliament.\n"
    "Her party said it would choose a new leader within a month, and markets were calm.\n";
static const char *const TEXT_B =
    "Floods hit the north of the country\n"
    "Heavy rain over the weekend flooded several towns in the north of the country.\n"
    "Rescue teams evacuated hundreds of people, and the army was called in to help.\n";
static const char *const TEXT_C =
    "Storm closes schools across the region\n"
    "A winter storm closed schools across the region on Monday as snow fell overnight.\n"
    "Officials said the schools would reopen once the roads had been cleared of snow.\n";

/* Add one article and return the call's result. */
static sl_error add(sl_batch *b, const char *id, const char *source, const char *text)
{
    sl_article_input in = {.id = id, .source = source, .text = text};
    return sl_batch_add_article(b, &in);
}

/* One batch: add the articles, commit, and return the summary. */
static sl_batch_summary one_batch(fixture *f, const sl_article_input *in, size_t n)
{
    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(f->st, &f->opt, &b), SL_OK);
    assert_non_null(b);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sl_batch_add_article(b, &in[i]), SL_OK);
    sl_batch_summary sum;
    memset(&sum, 0xAB, sizeof sum);
    assert_int_equal(sl_batch_commit(b, &sum), SL_OK);
    sl_batch_free(b);
    return sum;
}

/* ---------------------------------------------------------------------------------- */
/* Opening                                                                            */
/* ---------------------------------------------------------------------------------- */

static void test_open_absent(void **state)
{
    fixture *f = *state;
    sl_store *st = (sl_store *)&st; /* any non-NULL value: must be reset */
    assert_int_equal(sl_store_open(f->db, 0, &st), SL_ERR_NOT_FOUND);
    assert_null(st);
    st = (sl_store *)&st;
    assert_int_equal(sl_store_open(f->db, SL_OPEN_READONLY, &st), SL_ERR_NOT_FOUND);
    assert_null(st);
    /* Read-only never writes, so it cannot create either. */
    st = (sl_store *)&st;
    assert_int_equal(sl_store_open(f->db, SL_OPEN_READONLY | SL_OPEN_CREATE, &st),
                     SL_ERR_NOT_FOUND);
    assert_null(st);
    assert_false(exists(f->db));
    /* In a directory that does not exist. */
    char deep[256];
    snprintf(deep, sizeof deep, "%s/no/such/dir/store.db", f->dir);
    st = (sl_store *)&st;
    assert_int_equal(sl_store_open(deep, 0, &st), SL_ERR_NOT_FOUND);
    assert_null(st);
}

static void test_open_create_and_reopen(void **state)
{
    fixture *f = *state;
    sl_store *st = NULL;
    assert_int_equal(sl_store_open(f->db, SL_OPEN_CREATE, &st), SL_OK);
    assert_non_null(st);
    assert_true(exists(f->db));
    assert_string_equal(sl_store_errmsg(st), "");
    sl_stats s;
    assert_int_equal(sl_store_stats(st, &s), SL_OK);
    assert_int_equal(s.articles, 0);
    assert_int_equal(s.sources, 0);
    assert_int_equal(s.batches, 0);
    assert_int_equal(s.last.added, 0);
    assert_string_equal(s.date_first, "");
    assert_string_equal(s.last_at, "");
    assert_true(s.store_bytes > 0);
    sl_store_free(st);

    /* Reopen without creating; then read-only. */
    st = NULL;
    assert_int_equal(sl_store_open(f->db, 0, &st), SL_OK);
    assert_non_null(st);
    sl_store_free(st);
    st = NULL;
    assert_int_equal(sl_store_open(f->db, SL_OPEN_READONLY, &st), SL_OK);
    assert_non_null(st);
    assert_int_equal(sl_store_stats(st, &s), SL_OK);
    assert_int_equal(s.articles, 0);
    /* A read-only store cannot start a batch. */
    sl_batch *b = (sl_batch *)&b;
    assert_int_not_equal(sl_batch_begin(st, NULL, &b), SL_OK);
    assert_null(b);
    sl_store_free(st);
}

static void test_open_invalid_args(void **state)
{
    fixture *f = *state;
    sl_store *st = (sl_store *)&st;
    assert_int_equal(sl_store_open(NULL, SL_OPEN_CREATE, &st), SL_ERR_INVALID);
    assert_null(st);
    st = (sl_store *)&st;
    assert_int_equal(sl_store_open("", SL_OPEN_CREATE, &st), SL_ERR_INVALID);
    assert_null(st);
    assert_int_equal(sl_store_open(f->db, SL_OPEN_CREATE, NULL), SL_ERR_INVALID);
    assert_false(exists(f->db));
}

static void test_open_not_a_store(void **state)
{
    fixture *f = *state;
    FILE *fp = fopen(f->db, "wb");
    assert_non_null(fp);
    for (int i = 0; i < 200; i++)
        fputs("this is not an SQLite database, just some text\n", fp);
    fclose(fp);
    sl_store *st = (sl_store *)&st;
    assert_int_equal(sl_store_open(f->db, 0, &st), SL_ERR_STORE);
    assert_null(st);
    st = (sl_store *)&st;
    assert_int_equal(sl_store_open(f->db, SL_OPEN_READONLY, &st), SL_ERR_STORE);
    assert_null(st);
}

/* An SQLite file without the schema: read-only cannot set it up. */
static void test_open_readonly_without_schema(void **state)
{
    fixture *f = *state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    sl_store *st = (sl_store *)&st;
    assert_int_equal(sl_store_open(f->db, SL_OPEN_READONLY, &st), SL_ERR_STORE);
    assert_null(st);
}

static void set_user_version(const char *path, int v)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_open_newer_version(void **state)
{
    fixture *f = *state;
    sl_store *st = NULL;
    assert_int_equal(sl_store_open(f->db, SL_OPEN_CREATE, &st), SL_OK);
    sl_store_free(st);
    set_user_version(f->db, 99);
    st = (sl_store *)&st;
    assert_int_equal(sl_store_open(f->db, 0, &st), SL_ERR_STORE_VERSION);
    assert_null(st);
    st = (sl_store *)&st;
    assert_int_equal(sl_store_open(f->db, SL_OPEN_CREATE, &st), SL_ERR_STORE_VERSION);
    assert_null(st);
    st = (sl_store *)&st;
    assert_int_equal(sl_store_open(f->db, SL_OPEN_READONLY, &st), SL_ERR_STORE_VERSION);
    assert_null(st);
    /* The store was refused, not changed. */
    sqlite3 *db;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 99);
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* ---------------------------------------------------------------------------------- */
/* Batches                                                                            */
/* ---------------------------------------------------------------------------------- */

static void test_add_and_commit(void **state)
{
    fixture *f = *state;
    sl_article_input in[] = {
        {.id = "a", .source = "daily", .url = "https://daily.example/a", .date = "2024-03-15",
         .title = "Given title for a", .text = TEXT_A},
        {.id = "b", .source = "herald", .date = "2024-03-16T09:30:00Z", .text = TEXT_B},
    };
    sl_batch_summary sum = one_batch(f, in, 2);
    assert_int_equal(sum.added, 2);
    assert_int_equal(sum.updated, 0);
    assert_int_equal(sum.present, 0);
    assert_int_equal(sum.skipped, 0);
    assert_int_equal(sum.files, 0);
    assert_int_equal(sum.bytes, (long long)(strlen(TEXT_A) + strlen(TEXT_B)));
    assert_true(sum.seconds >= 0.0 && sum.seconds < 60.0);
    assert_int_equal(f->rep.n, 0);

    sl_stats s;
    assert_int_equal(sl_store_stats(f->st, &s), SL_OK);
    assert_int_equal(s.articles, 2);
    assert_int_equal(s.sources, 2);
    assert_int_equal(s.dated, 2);
    assert_int_equal(s.batches, 1);
    assert_string_equal(s.date_first, "2024-03-15");
    assert_string_equal(s.date_last, "2024-03-16T09:30:00Z");
    assert_int_equal(s.last.added, 2);
    assert_int_equal(s.last.bytes, sum.bytes);
    assert_int_equal(strlen(s.last_at), 20); /* YYYY-MM-DDTHH:MM:SSZ */
    assert_int_equal(s.last_at[19], 'Z');
    assert_int_equal(s.chars_raw, (long long)(strlen(TEXT_A) + strlen(TEXT_B)));
}

static void test_get_article(void **state)
{
    fixture *f = *state;
    const char *text = "Caf\xC3\xA9 owners protest new rules in the city\n"
                       "Owners of caf\xC3\xA9s marched through the centre on Saturday.\n";
    sl_article_input in[] = {
        {.id = "id-1", .source = "daily", .url = "https://daily.example/1",
         .date = "2024-03-15T09:30:00.123+05:30", .title = "Given title", .text = text},
    };
    one_batch(f, in, 1);

    sl_article *a = NULL;
    assert_int_equal(sl_store_get_article(f->st, "id-1", 0, &a), SL_OK);
    assert_non_null(a);
    assert_string_equal(a->id, "id-1");
    assert_string_equal(a->source, "daily");
    assert_string_equal(a->url, "https://daily.example/1");
    assert_string_equal(a->date, "2024-03-15T09:30:00+05:30");
    assert_string_equal(a->title, "Given title");
    assert_string_equal(a->origin, "id-1");
    assert_null(a->text); /* not asked for */
    assert_null(a->raw);
    assert_null(a->meta);
    assert_int_equal(a->chars_raw, (long long)strlen(text) - 2); /* two 2-byte é */
    assert_true(a->chars_clean > 0 && a->chars_clean <= a->chars_raw);
    assert_true(a->batch > 0);
    sl_article_free(a);

    a = NULL;
    assert_int_equal(sl_store_get_article(f->st, "id-1", SL_WITH_TEXT | SL_WITH_RAW, &a), SL_OK);
    assert_non_null(a->text);
    assert_non_null(a->raw);
    assert_string_equal(a->raw, text);
    assert_true(strlen(a->text) > 0);
    assert_null(strstr(a->text, "\r"));
    sl_article_free(a);

    a = NULL;
    assert_int_equal(sl_store_get_article(f->st, "id-1", SL_WITH_RAW, &a), SL_OK);
    assert_null(a->text);
    assert_string_equal(a->raw, text);
    sl_article_free(a);

    /* Unknown id. */
    a = (sl_article *)&a;
    assert_int_equal(sl_store_get_article(f->st, "nope", 0, &a), SL_ERR_NOT_FOUND);
    assert_null(a);
    /* Bad arguments. */
    a = (sl_article *)&a;
    assert_int_equal(sl_store_get_article(f->st, NULL, 0, &a), SL_ERR_INVALID);
    assert_null(a);
    a = (sl_article *)&a;
    assert_int_equal(sl_store_get_article(NULL, "id-1", 0, &a), SL_ERR_INVALID);
    assert_null(a);
    assert_int_equal(sl_store_get_article(f->st, "id-1", 0, NULL), SL_ERR_INVALID);
}

/* Defaults: no source is "unknown", an unreadable date is no date, no title is guessed
 * from the text. */
static void test_defaults(void **state)
{
    fixture *f = *state;
    sl_article_input in[] = {
        {.id = "x", .date = "yesterday", .text = TEXT_C},
    };
    one_batch(f, in, 1);
    sl_article *a = NULL;
    assert_int_equal(sl_store_get_article(f->st, "x", 0, &a), SL_OK);
    assert_string_equal(a->source, "unknown");
    assert_null(a->url);
    assert_null(a->date);
    assert_non_null(a->title);
    assert_string_equal(a->title, "Storm closes schools across the region");
    sl_article_free(a);
}

/* text_len gives the length; text need not end there. */
static void test_text_len(void **state)
{
    fixture *f = *state;
    sl_article_input in[] = {
        {.id = "cut", .source = "s", .text = "Only this part counts. IGNORED TAIL", .text_len = 22},
    };
    sl_batch_summary sum = one_batch(f, in, 1);
    assert_int_equal(sum.added, 1);
    assert_int_equal(sum.bytes, 22);
    sl_article *a = NULL;
    assert_int_equal(sl_store_get_article(f->st, "cut", SL_WITH_RAW, &a), SL_OK);
    assert_string_equal(a->raw, "Only this part counts.");
    sl_article_free(a);
}

static void test_outcomes(void **state)
{
    fixture *f = *state;
    sl_article_input first[] = {
        {.id = "a", .source = "daily", .text = TEXT_A},
        {.id = "b", .source = "daily", .text = TEXT_B},
    };
    sl_batch_summary sum = one_batch(f, first, 2);
    assert_int_equal(sum.added, 2);

    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(f->st, &f->opt, &b), SL_OK);
    /* The same article again: present. */
    assert_int_equal(add(b, "a", "daily", TEXT_A), SL_OK);
    /* The same text, differing only in case and spacing: still present. */
    char shouty[1024];
    size_t k = 0;
    for (const char *p = TEXT_B; *p; p++)
        shouty[k++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p == ' ' ? '\t' : *p;
    shouty[k] = '\0';
    assert_int_equal(add(b, "b", "daily", shouty), SL_OK);
    sl_batch_summary peek;
    sl_batch_peek(b, &peek);
    assert_int_equal(peek.present, 2);
    assert_int_equal(peek.added, 0);
    assert_int_equal(peek.updated, 0);
    /* The same id with other text: updated. */
    assert_int_equal(add(b, "a", "daily", TEXT_C), SL_OK);
    /* The same source and text under a new id: present (not stored twice). */
    assert_int_equal(add(b, "b-copy", "daily", TEXT_B), SL_OK);
    /* The same text from another source: a syndicated copy, kept. */
    assert_int_equal(add(b, "b-wire", "wire", TEXT_B), SL_OK);
    assert_int_equal(sl_batch_commit(b, &sum), SL_OK);
    sl_batch_free(b);
    assert_int_equal(sum.added, 1);
    assert_int_equal(sum.updated, 1);
    assert_int_equal(sum.present, 3);
    assert_int_equal(sum.skipped, 0);
    assert_int_equal(f->rep.n, 0);

    assert_int_equal(article_count(f->st), 3);
    sl_article *a = NULL;
    assert_int_equal(sl_store_get_article(f->st, "a", SL_WITH_RAW | SL_WITH_TEXT, &a), SL_OK);
    assert_string_equal(a->raw, TEXT_C); /* replaced */
    assert_null(strstr(a->text, "prime minister"));
    assert_int_equal(a->batch, 2);
    sl_article_free(a);
    /* "b" was present: its text and batch are as first stored. */
    assert_int_equal(sl_store_get_article(f->st, "b", SL_WITH_RAW, &a), SL_OK);
    assert_string_equal(a->raw, TEXT_B);
    assert_int_equal(a->batch, 1);
    sl_article_free(a);
    a = (sl_article *)&a;
    assert_int_equal(sl_store_get_article(f->st, "b-copy", 0, &a), SL_ERR_NOT_FOUND);
    assert_null(a);
    assert_int_equal(sl_store_get_article(f->st, "b-wire", SL_WITH_RAW, &a), SL_OK);
    assert_string_equal(a->source, "wire");
    assert_string_equal(a->raw, TEXT_B);
    sl_article_free(a);

    sl_stats s;
    assert_int_equal(sl_store_stats(f->st, &s), SL_OK);
    assert_int_equal(s.batches, 2);
    assert_int_equal(s.sources, 2);
    assert_int_equal(s.last.added, 1);
    assert_int_equal(s.last.updated, 1);
    assert_int_equal(s.last.present, 3);
}

/* Within one batch, the second of two equal articles is already present. */
static void test_duplicates_within_batch(void **state)
{
    fixture *f = *state;
    sl_article_input in[] = {
        {.id = "one", .source = "s", .text = TEXT_A},
        {.id = "one", .source = "s", .text = TEXT_A},
        {.id = "two", .source = "s", .text = TEXT_A},
        {.id = "one", .source = "s", .text = TEXT_B},
    };
    sl_batch_summary sum = one_batch(f, in, 4);
    assert_int_equal(sum.added, 1);
    assert_int_equal(sum.present, 2);
    assert_int_equal(sum.updated, 1);
    assert_int_equal(article_count(f->st), 1);
}

typedef struct bad_input {
    const char *id;
    const char *text;
    size_t text_len;
    sl_error code;
} bad_input;

static void test_bad_inputs_reported(void **state)
{
    fixture *f = *state;
    static const bad_input bad[] = {
        {"empty", "", 0, SL_ERR_EMPTY},
        {"spaces", "   \t  \r\n \n\n  ", 0, SL_ERR_EMPTY},
        {"utf8", "Valid start \xC3\x28 then junk", 0, SL_ERR_UTF8},
        {"overlong", "Text with \xC0\xAF an overlong slash", 0, SL_ERR_UTF8},
        {"surrogate", "Text \xED\xA0\x80 here", 0, SL_ERR_UTF8},
        {"truncated", "Text ending in a cut sequence \xE2\x82", 0, SL_ERR_UTF8},
        {"nul", "Some text\0with a NUL byte in it", 31, SL_ERR_BINARY},
        {"", "An article without an id at all", 0, SL_ERR_INVALID},
    };
    size_t n = sizeof bad / sizeof bad[0];
    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(f->st, &f->opt, &b), SL_OK);
    for (size_t i = 0; i < n; i++) {
        sl_article_input in = {.id = bad[i].id, .source = "s", .text = bad[i].text,
                               .text_len = bad[i].text_len};
        /* A bad input is reported, not an error of the call. */
        assert_int_equal(sl_batch_add_article(b, &in), SL_OK);
        if (f->rep.n != (int)i + 1)
            fail_msg("input \"%s\": %d reports, expected %zu", bad[i].id, f->rep.n, i + 1);
        const report_copy *r = &f->rep.v[i];
        if (r->code != bad[i].code)
            fail_msg("input \"%s\": reported %s, expected %s", bad[i].id, sl_strerror(r->code),
                     sl_strerror(bad[i].code));
        assert_int_equal(r->line, 0);
        assert_true(r->detail[0] != '\0');
    }
    /* The report names the input by its id, and points at the bad byte. */
    assert_string_equal(f->rep.v[0].path, "empty");
    assert_string_equal(f->rep.v[2].path, "utf8");
    /* A good one still goes in. */
    assert_int_equal(add(b, "good", "s", TEXT_A), SL_OK);
    sl_batch_summary sum;
    assert_int_equal(sl_batch_commit(b, &sum), SL_OK);
    sl_batch_free(b);
    assert_int_equal(sum.skipped, (long long)n);
    assert_int_equal(sum.added, 1);
    assert_int_equal(article_count(f->st), 1);
    assert_int_equal(f->rep.n, (int)n);
}

/* Invalid UTF-8 in a metadata field is refused like invalid text. */
static void test_bad_fields(void **state)
{
    fixture *f = *state;
    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(f->st, &f->opt, &b), SL_OK);
    sl_article_input in1 = {.id = "t", .source = "s", .title = "Bad \xFF title", .text = TEXT_A};
    sl_article_input in2 = {.id = "u", .source = "bad\x80source", .text = TEXT_A};
    sl_article_input in3 = {.id = "bad\xC0id", .source = "s", .text = TEXT_A};
    assert_int_equal(sl_batch_add_article(b, &in1), SL_OK);
    assert_int_equal(sl_batch_add_article(b, &in2), SL_OK);
    assert_int_equal(sl_batch_add_article(b, &in3), SL_OK);
    assert_int_equal(f->rep.n, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(f->rep.v[i].code, SL_ERR_UTF8);
    sl_batch_summary sum;
    assert_int_equal(sl_batch_commit(b, &sum), SL_OK);
    sl_batch_free(b);
    assert_int_equal(sum.skipped, 3);
    assert_int_equal(article_count(f->st), 0);
}

static void test_too_big(void **state)
{
    fixture *f = *state;
    f->opt.max_article_bytes = 100;
    char big[201];
    memset(big, 'a', 200);
    for (int i = 9; i < 200; i += 10)
        big[i] = ' ';
    big[200] = '\0';
    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(f->st, &f->opt, &b), SL_OK);
    assert_int_equal(add(b, "big", "s", big), SL_OK);
    assert_int_equal(add(b, "fits", "s", "A short article that fits in the limit."), SL_OK);
    sl_batch_summary sum;
    assert_int_equal(sl_batch_commit(b, &sum), SL_OK);
    sl_batch_free(b);
    assert_int_equal(f->rep.n, 1);
    assert_int_equal(f->rep.v[0].code, SL_ERR_TOO_BIG);
    assert_int_equal(sum.skipped, 1);
    assert_int_equal(sum.added, 1);
}

/* Without a report callback problems are still counted. */
static void test_no_callback(void **state)
{
    fixture *f = *state;
    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(f->st, NULL, &b), SL_OK);
    assert_int_equal(add(b, "e", "s", "   "), SL_OK);
    assert_int_equal(add(b, "ok", "s", TEXT_A), SL_OK);
    sl_batch_summary sum;
    assert_int_equal(sl_batch_commit(b, &sum), SL_OK);
    sl_batch_free(b);
    assert_int_equal(sum.skipped, 1);
    assert_int_equal(sum.added, 1);
}

static void test_invalid_add_args(void **state)
{
    fixture *f = *state;
    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(f->st, &f->opt, &b), SL_OK);
    sl_article_input no_id = {.source = "s", .text = TEXT_A};
    sl_article_input no_text = {.id = "x", .source = "s"};
    assert_int_equal(sl_batch_add_article(b, &no_id), SL_ERR_INVALID);
    assert_int_equal(sl_batch_add_article(b, &no_text), SL_ERR_INVALID);
    assert_int_equal(sl_batch_add_article(b, NULL), SL_ERR_INVALID);
    assert_int_equal(sl_batch_add_article(NULL, &no_text), SL_ERR_INVALID);
    /* None of these is an input problem: nothing reported or skipped. */
    assert_int_equal(f->rep.n, 0);
    sl_batch_summary sum;
    sl_batch_peek(b, &sum);
    assert_int_equal(sum.skipped, 0);
    sl_batch_free(b);

    sl_batch *out = (sl_batch *)&out;
    assert_int_equal(sl_batch_begin(NULL, NULL, &out), SL_ERR_INVALID);
    assert_null(out);
    assert_int_equal(sl_batch_begin(f->st, NULL, NULL), SL_ERR_INVALID);
    assert_int_equal(sl_batch_commit(NULL, NULL), SL_ERR_INVALID);
    assert_int_equal(sl_batch_add_path(NULL, "x"), SL_ERR_INVALID);
}

static void test_rollback_on_free(void **state)
{
    fixture *f = *state;
    sl_article_input first[] = {{.id = "keep", .source = "s", .text = TEXT_A}};
    one_batch(f, first, 1);
    assert_int_equal(article_count(f->st), 1);

    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(f->st, &f->opt, &b), SL_OK);
    assert_int_equal(add(b, "gone-1", "s", TEXT_B), SL_OK);
    assert_int_equal(add(b, "gone-2", "s", TEXT_C), SL_OK);
    assert_int_equal(add(b, "keep", "s", TEXT_C), SL_OK); /* an update, rolled back too */
    sl_batch_summary peek;
    sl_batch_peek(b, &peek);
    assert_int_equal(peek.added, 2);
    assert_int_equal(peek.updated, 1);
    assert_true(peek.seconds >= 0.0);
    sl_batch_free(b); /* no commit */

    sl_stats s;
    assert_int_equal(sl_store_stats(f->st, &s), SL_OK);
    assert_int_equal(s.articles, 1);
    assert_int_equal(s.batches, 1);
    assert_int_equal(s.last.added, 1);
    sl_article *a = NULL;
    assert_int_equal(sl_store_get_article(f->st, "gone-1", 0, &a), SL_ERR_NOT_FOUND);
    assert_int_equal(sl_store_get_article(f->st, "keep", SL_WITH_RAW, &a), SL_OK);
    assert_string_equal(a->raw, TEXT_A);
    sl_article_free(a);

    /* The store is usable afterwards: the same articles can be added for real. */
    sl_article_input again[] = {{.id = "gone-1", .source = "s", .text = TEXT_B}};
    sl_batch_summary sum = one_batch(f, again, 1);
    assert_int_equal(sum.added, 1);
    assert_int_equal(article_count(f->st), 2);
}

/* A batch committed in slices of 2: each slice its own batches row, committed as the next
 * record comes; a free without commit rolls back the open slice only; the summary covers
 * every slice. Table: articles added before the free or commit, and what then stays. */
static void test_slices(void **state)
{
    fixture *f = *state;
    static const struct {
        int n;          /* articles added (distinct texts) */
        int commit;     /* 1: commit, 0: free without a commit */
        long long peek_slices, stays, batches;
    } cases[] = {
        {1, 1, 0, 1, 1},  /* under a slice: one row */
        {2, 1, 0, 2, 1},  /* a full slice, no record after it: still one */
        {3, 1, 1, 3, 2},  /* the third record commits the first two */
        {5, 1, 2, 5, 3},
        {5, 0, 2, 4, 2},  /* freed: the open slice (the fifth) is rolled back */
        {2, 0, 0, 0, 0},  /* nothing committed: nothing stays */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char path[300];
        snprintf(path, sizeof path, "%s/slices%zu.db", f->dir, c);
        sl_store *st = NULL;
        assert_int_equal(sl_store_open(path, SL_OPEN_CREATE, &st), SL_OK);
        sl_ingest_options opt = f->opt;
        opt.slice_articles = 2;
        sl_batch *b = NULL;
        assert_int_equal(sl_batch_begin(st, &opt, &b), SL_OK);
        for (int i = 0; i < cases[c].n; i++) {
            char id[32], text[300];
            snprintf(id, sizeof id, "a%d", i);
            snprintf(text, sizeof text, "%s\nArticle number %d of the sliced batch, told apart.",
                     i % 3 == 0 ? TEXT_A : i % 3 == 1 ? TEXT_B : TEXT_C, i);
            assert_int_equal(add(b, id, "s", text), SL_OK);
        }
        sl_batch_summary peek;
        sl_batch_peek(b, &peek);
        assert_int_equal(peek.slices, cases[c].peek_slices);
        assert_int_equal(peek.added, cases[c].n);
        if (cases[c].commit) {
            sl_batch_summary sum;
            assert_int_equal(sl_batch_commit(b, &sum), SL_OK);
            assert_int_equal(sum.added, cases[c].n);
            assert_int_equal(sum.slices, cases[c].batches);
            assert_true(sum.seconds >= sum.ingest_seconds);
        }
        sl_batch_free(b);
        assert_int_equal(article_count(st), cases[c].stays);
        sl_stats s;
        assert_int_equal(sl_store_stats(st, &s), SL_OK);
        assert_int_equal(s.batches, cases[c].batches);
        if (cases[c].batches) /* the last row: its own slice's count */
            assert_int_equal(s.last.added, cases[c].commit ? cases[c].n - 2 * (cases[c].batches - 1) : 2);
        sl_store_free(st);
    }
}

/* Slices that grow with the store (slice_grow): a slice is at least 1/grow of the articles
 * stored as it begins, this batch's committed slices counted, and never less than
 * slice_articles. Table: articles stored before, the batch's size, slice_articles, grow,
 * and the slices (batches rows) it makes. */
static void test_slices_grow(void **state)
{
    fixture *f = *state;
    static const struct {
        int stored, n, slice, grow;
        long long slices;
    } cases[] = {
        {10, 10, 2, 0, 5}, /* fixed: 2 + 2 + 2 + 2 + 2 */
        {10, 10, 2, 2, 2}, /* 10/2 = 5, then (10 + 5)/2 = 7: 5 + 5 */
        {10, 10, 2, 1, 1}, /* 10/1 = 10: one slice */
        {0, 10, 2, 2, 5},  /* never under slice_articles: 2 + 2 + 2 + 3 (6/2) + 1 */
        {0, 10, 2, 1, 4},  /* its own slices count: 2 + 2 (2/1) + 4 (4/1) + 2 */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char path[300];
        snprintf(path, sizeof path, "%s/grow%zu.db", f->dir, c);
        sl_store *st = NULL;
        assert_int_equal(sl_store_open(path, SL_OPEN_CREATE, &st), SL_OK);
        sl_batch *b = NULL;
        int made = 0;
        for (int pass = 0; pass < 2; pass++) {
            int n = pass ? cases[c].n : cases[c].stored;
            if (!n)
                continue;
            sl_ingest_options opt = f->opt;
            opt.slice_articles = pass ? cases[c].slice : 0;
            opt.slice_grow = pass ? cases[c].grow : 0;
            assert_int_equal(sl_batch_begin(st, &opt, &b), SL_OK);
            for (int i = 0; i < n; i++, made++) {
                char id[32], text[300];
                snprintf(id, sizeof id, "a%d", made);
                snprintf(text, sizeof text, "%s\nArticle number %d of the grown slices, told apart.",
                         made % 3 == 0 ? TEXT_A : made % 3 == 1 ? TEXT_B : TEXT_C, made);
                assert_int_equal(add(b, id, "s", text), SL_OK);
            }
            sl_batch_summary sum;
            assert_int_equal(sl_batch_commit(b, &sum), SL_OK);
            assert_int_equal(sum.added, n);
            if (pass)
                assert_int_equal(sum.slices, cases[c].slices);
            sl_batch_free(b);
        }
        assert_int_equal(article_count(st), cases[c].stored + cases[c].n);
        sl_store_free(st);
    }
}

static void test_state_errors(void **state)
{
    fixture *f = *state;
    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(f->st, &f->opt, &b), SL_OK);
    assert_int_equal(add(b, "a", "s", TEXT_A), SL_OK);
    sl_batch_summary sum;
    assert_int_equal(sl_batch_commit(b, &sum), SL_OK);
    assert_int_equal(sum.added, 1);
    /* Once committed: no second commit, no more input. */
    sl_batch_summary again;
    memset(&again, 0x5A, sizeof again);
    assert_int_equal(sl_batch_commit(b, &again), SL_ERR_STATE);
    assert_int_equal(sl_batch_commit(b, NULL), SL_ERR_STATE);
    assert_int_equal(add(b, "b", "s", TEXT_B), SL_ERR_STATE);
    char path[128];
    snprintf(path, sizeof path, "%s/none.txt", f->dir);
    assert_int_equal(sl_batch_add_path(b, path), SL_ERR_STATE);
    sl_batch_free(b);
    assert_int_equal(article_count(f->st), 1);
    assert_int_equal(f->rep.n, 0);
}

static void test_commit_without_summary(void **state)
{
    fixture *f = *state;
    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(f->st, NULL, &b), SL_OK);
    assert_int_equal(add(b, "a", "s", TEXT_A), SL_OK);
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
    assert_int_equal(article_count(f->st), 1);
}

/* Progress comes every 64 records read, then every 256 articles cleaned and matched
 * and at the end of each stage. */
typedef struct progress_log {
    long long at[16];
    int n;
    long long cleaned, matched, clustered, facts; /* the last counts reported at commit */
} progress_log;

static void on_progress(void *user, const sl_progress *p)
{
    progress_log *log = user;
    assert_non_null(p->path);
    assert_non_null(p->stage);
    if (!strcmp(p->stage, "reading")) {
        if (log->n < 16)
            log->at[log->n++] = p->articles;
        return;
    }
    /* The commit's stages: in order, counting up to their totals. */
    int cleaning = !strcmp(p->stage, "cleaning"), matching = !strcmp(p->stage, "matching");
    int facts = !strcmp(p->stage, "facts");
    assert_true(cleaning || matching || facts || !strcmp(p->stage, "clustering"));
    assert_true(p->stage_done <= p->stage_total);
    if (cleaning) {
        assert_int_equal(log->matched, 0);
        log->cleaned = p->stage_done;
    } else if (matching) {
        assert_int_equal(log->cleaned, p->stage_total);
        assert_int_equal(log->clustered, 0);
        log->matched = p->stage_done;
    } else if (facts) { /* the events touched, once all are placed */
        assert_true(log->clustered > 0);
        log->facts = p->stage_done;
    } else {
        assert_int_equal(log->matched, p->stage_total);
        assert_int_equal(log->facts, 0);
        log->clustered = p->stage_done;
    }
}

static void test_progress(void **state)
{
    fixture *f = *state;
    progress_log log = {{0}, 0, 0, 0, 0, 0};
    sl_ingest_options opt = {.on_progress = on_progress, .user = &log};
    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(f->st, &opt, &b), SL_OK);
    for (int i = 0; i < 130; i++) {
        char id[16], text[128];
        snprintf(id, sizeof id, "p%d", i);
        snprintf(text, sizeof text, "Article number %d of the progress test, with some words.", i);
        assert_int_equal(add(b, id, "s", text), SL_OK);
    }
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
    assert_int_equal(log.n, 2);
    assert_int_equal(log.at[0], 64);
    assert_int_equal(log.at[1], 128);
    assert_int_equal(log.cleaned, 130);
    assert_int_equal(log.matched, 130);
    assert_int_equal(log.clustered, 130);
    assert_true(log.facts > 0); /* the events the batch made, each once */
    assert_true(log.facts <= 130);
    assert_int_equal(article_count(f->st), 130);
}

/* A second writer waits for the first (5 s busy timeout), then gives up with
 * SL_ERR_BUSY; readers are not blocked. */
static void test_second_writer_busy(void **state)
{
    fixture *f = *state;
    f->opt.exclusive = -1; /* a first load would take the store alone: see below */
    sl_batch *b1 = NULL;
    assert_int_equal(sl_batch_begin(f->st, &f->opt, &b1), SL_OK);
    assert_int_equal(add(b1, "a", "s", TEXT_A), SL_OK);

    sl_store *other = NULL;
    assert_int_equal(sl_store_open(f->db, 0, &other), SL_OK);
    sl_batch *b2 = (sl_batch *)&b2;
    assert_int_equal(sl_batch_begin(other, NULL, &b2), SL_ERR_BUSY);
    assert_null(b2);
    assert_true(sl_store_errmsg(other)[0] != '\0');
    /* A reader sees the store as it was before the open batch. */
    sl_store *reader = NULL;
    assert_int_equal(sl_store_open(f->db, SL_OPEN_READONLY, &reader), SL_OK);
    assert_int_equal(article_count(reader), 0);

    assert_int_equal(sl_batch_commit(b1, NULL), SL_OK);
    sl_batch_free(b1);
    assert_int_equal(article_count(reader), 1);
    /* Once the first batch is done, the second writer can go. */
    assert_int_equal(sl_batch_begin(other, NULL, &b2), SL_OK);
    assert_int_equal(add(b2, "b", "s", TEXT_B), SL_OK);
    assert_int_equal(sl_batch_commit(b2, NULL), SL_OK);
    sl_batch_free(b2);
    sl_store_free(other);
    assert_int_equal(article_count(reader), 2);
    sl_store_free(reader);
}

static const char *journal_of(const char *db)
{
    static char mode[16];
    sqlite3 *c = NULL;
    sqlite3_stmt *s = NULL;
    mode[0] = '\0';
    if (sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(c, "PRAGMA journal_mode", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        snprintf(mode, sizeof mode, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(c);
    return mode;
}

/* A first load (no article stored yet) takes the store alone: other connections cannot
 * read until the commit, after which the store is back in WAL mode and the next batch
 * lets readers read. With another connection open, or exclusive = -1, a first load
 * keeps the WAL. */
static void test_first_load_alone(void **state)
{
    fixture *f = *state;
    sl_batch *b = NULL;
    assert_int_equal(sl_batch_begin(f->st, &f->opt, &b), SL_OK);
    assert_int_equal(add(b, "a", "s", TEXT_A), SL_OK);
    assert_string_equal(journal_of(f->db), "delete"); /* not "wal": others wait */
    /* Readers wait once what the batch wrote reaches the file (a small cache spills). */
    sqlite3_exec(f->st->db, "PRAGMA cache_size=1", NULL, NULL, NULL);
    for (int i = 0; i < 200; i++) { /* from other sources: each is added */
        char id[16];
        snprintf(id, sizeof id, "x%d", i);
        assert_int_equal(add(b, id, id, TEXT_B), SL_OK);
    }
    sqlite3 *c = NULL;
    assert_int_equal(sqlite3_open_v2(f->db, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    int rc = sqlite3_exec(c, "SELECT count(*) FROM articles", NULL, NULL, NULL);
    assert_int_equal(rc & 0xFF, SQLITE_BUSY);
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
    assert_int_equal(sqlite3_exec(c, "SELECT count(*) FROM articles", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(c);
    assert_string_equal(journal_of(f->db), "wal");
    assert_int_equal(article_count(f->st), 201);

    /* The next batch keeps the WAL. */
    assert_int_equal(sl_batch_begin(f->st, &f->opt, &b), SL_OK);
    assert_int_equal(add(b, "c", "s", TEXT_C), SL_OK);
    assert_string_equal(journal_of(f->db), "wal");
    sl_batch_free(b); /* rolled back */

    /* Another connection has a new store open: its first load keeps the WAL, and the
     * other connection reads meanwhile. */
    char db3[160];
    snprintf(db3, sizeof db3, "%s/third.db", f->dir);
    sl_store *st3 = NULL, *reader = NULL;
    assert_int_equal(sl_store_open(db3, SL_OPEN_CREATE, &st3), SL_OK);
    assert_int_equal(sl_store_open(db3, SL_OPEN_READONLY, &reader), SL_OK);
    assert_int_equal(article_count(reader), 0);
    assert_int_equal(sl_batch_begin(st3, &f->opt, &b), SL_OK);
    assert_int_equal(add(b, "a", "s", TEXT_A), SL_OK);
    assert_string_equal(journal_of(db3), "wal");
    assert_int_equal(article_count(reader), 0);
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
    assert_int_equal(article_count(reader), 1);
    sl_store_free(reader);
    sl_store_free(st3);

    /* exclusive = -1: a first load into another store keeps the WAL. */
    char db2[160];
    snprintf(db2, sizeof db2, "%s/second.db", f->dir);
    sl_store *st2 = NULL;
    assert_int_equal(sl_store_open(db2, SL_OPEN_CREATE, &st2), SL_OK);
    sl_ingest_options opt = {.exclusive = -1};
    assert_int_equal(sl_batch_begin(st2, &opt, &b), SL_OK);
    assert_int_equal(add(b, "a", "s", TEXT_A), SL_OK);
    assert_string_equal(journal_of(db2), "wal");
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
    sl_store_free(st2);
}

/* ---------------------------------------------------------------------------------- */
/* Reading many                                                                       */
/* ---------------------------------------------------------------------------------- */

typedef struct id_list {
    char ids[16][32];
    int n;
    int stop_after; /* 0: never */
} id_list;

static int list_ids(void *user, const sl_article *a)
{
    id_list *l = user;
    assert_non_null(a->id);
    assert_null(a->raw);
    if (l->n < 16)
        snprintf(l->ids[l->n++], sizeof l->ids[0], "%s", a->id);
    return l->stop_after && l->n >= l->stop_after;
}

typedef struct source_list {
    char names[8][32];
    long long counts[8];
    char first[8][32], last[8][32];
    int n;
} source_list;

static int list_sources(void *user, const char *source, long long n, const char *first,
                        const char *last)
{
    source_list *l = user;
    if (l->n < 8) {
        snprintf(l->names[l->n], sizeof l->names[0], "%s", source);
        l->counts[l->n] = n;
        snprintf(l->first[l->n], sizeof l->first[0], "%s", first ? first : "-");
        snprintf(l->last[l->n], sizeof l->last[0], "%s", last ? last : "-");
        l->n++;
    }
    return 0;
}

static void test_each_article_and_source(void **state)
{
    fixture *f = *state;
    sl_article_input in[] = {
        {.id = "z-undated", .source = "alpha", .text = "Undated article text, number one."},
        {.id = "m", .source = "beta", .date = "2024-03-15", .text = "Text m about a thing."},
        {.id = "a", .source = "beta", .date = "2024-03-15", .text = "Text a about a thing."},
        {.id = "k", .source = "alpha", .date = "2024-03-15", .text = "Text k about a thing."},
        {.id = "early", .source = "zeta", .date = "2023-01-01", .text = "Early text here."},
        {.id = "b-undated", .source = "alpha", .text = "Undated article text, number two."},
    };
    one_batch(f, in, 6);
    id_list l = {{{0}}, 0, 0};
    assert_int_equal(sl_store_each_article(f->st, 0, list_ids, &l), SL_OK);
    static const char *const order[] = {"early", "k", "a", "m", "b-undated", "z-undated"};
    assert_int_equal(l.n, 6);
    for (int i = 0; i < 6; i++)
        assert_string_equal(l.ids[i], order[i]);
    /* Stopping early is not an error. */
    id_list s = {{{0}}, 0, 2};
    assert_int_equal(sl_store_each_article(f->st, 0, list_ids, &s), SL_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(sl_store_each_article(f->st, 0, NULL, NULL), SL_ERR_INVALID);
    assert_int_equal(sl_store_each_article(NULL, 0, list_ids, &s), SL_ERR_INVALID);

    source_list src = {{{0}}, {0}, {{0}}, {{0}}, 0};
    assert_int_equal(sl_store_each_source(f->st, list_sources, &src), SL_OK);
    assert_int_equal(src.n, 3);
    assert_string_equal(src.names[0], "alpha");
    assert_int_equal(src.counts[0], 3);
    assert_string_equal(src.first[0], "2024-03-15");
    assert_string_equal(src.names[1], "beta");
    assert_int_equal(src.counts[1], 2);
    assert_string_equal(src.names[2], "zeta");
    assert_int_equal(src.counts[2], 1);
    assert_string_equal(src.first[2], "2023-01-01");

    sl_stats st;
    assert_int_equal(sl_store_stats(f->st, &st), SL_OK);
    assert_int_equal(st.articles, 6);
    assert_int_equal(st.dated, 4);
    assert_int_equal(st.sources, 3);
    assert_string_equal(st.date_first, "2023-01-01");
    assert_string_equal(st.date_last, "2024-03-15");
}

/* ---------------------------------------------------------------------------------- */
/* Odds and ends                                                                      */
/* ---------------------------------------------------------------------------------- */

static void test_free_null(void **state)
{
    (void)state;
    sl_article_free(NULL);
    sl_store_free(NULL);
    sl_batch_free(NULL);
    sl_batch_peek(NULL, NULL);
    assert_string_equal(sl_store_errmsg(NULL), "");
    sl_stats s;
    assert_int_equal(sl_store_stats(NULL, &s), SL_ERR_INVALID);
}

static void test_strerror(void **state)
{
    (void)state;
    const char *unknown = sl_strerror(SL_ERR__COUNT);
    assert_non_null(unknown);
    assert_true(unknown[0] != '\0');
    assert_string_equal(sl_strerror((sl_error)-1), unknown);
    assert_string_equal(sl_strerror((sl_error)1000), unknown);
    for (int i = 0; i < SL_ERR__COUNT; i++) {
        const char *m = sl_strerror((sl_error)i);
        assert_non_null(m);
        if (!m[0])
            fail_msg("code %d has an empty name", i);
        if (!strcmp(m, unknown))
            fail_msg("code %d is named like an unknown code: \"%s\"", i, m);
        for (int j = 0; j < i; j++)
            if (!strcmp(m, sl_strerror((sl_error)j)))
                fail_msg("codes %d and %d share the name \"%s\"", j, i, m);
    }
}

static void test_version(void **state)
{
    (void)state;
    assert_string_equal(sl_version(), SL_VERSION_STRING);
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", SL_VERSION_MAJOR, SL_VERSION_MINOR,
             SL_VERSION_PATCH);
    assert_string_equal(sl_version(), want);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define D(fn) cmocka_unit_test_setup_teardown(fn, setup_dir, teardown)
    const struct CMUnitTest tests[] = {
        D(test_open_absent),
        D(test_open_create_and_reopen),
        D(test_open_invalid_args),
        D(test_open_not_a_store),
        D(test_open_readonly_without_schema),
        D(test_open_newer_version),
        T(test_add_and_commit),
        T(test_get_article),
        T(test_defaults),
        T(test_text_len),
        T(test_outcomes),
        T(test_duplicates_within_batch),
        T(test_bad_inputs_reported),
        T(test_bad_fields),
        T(test_too_big),
        T(test_no_callback),
        T(test_invalid_add_args),
        T(test_rollback_on_free),
        T(test_slices),
        T(test_slices_grow),
        T(test_state_errors),
        T(test_commit_without_summary),
        T(test_progress),
        T(test_each_article_and_source),
        T(test_second_writer_busy),
        T(test_first_load_alone),
        cmocka_unit_test(test_free_null),
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
