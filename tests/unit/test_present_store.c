/* test_present_store.c — the present stage over the store (src/present/digest.c): the
 * events of a run are shared out in rounds over the threads, and each event's headline
 * and summary must be the one it gets when made alone, saved against its own id; an
 * event that has gone loses its digest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "present/present.h"
#include "store/store.h"
#include "store/store_impl.h"
#include "scratch.h"

#define ARTICLES 420
#define EVENTS 150 /* more than two rounds of the stage's */

typedef struct fixture {
    char dir[64], db[128];
    sl_store *st;
} fixture;

static unsigned long long lcg(unsigned long long *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

static const char *const vocab[] = {
    "council", "harbour", "vote",     "budget",  "minister", "storm",   "river",   "bridge",
    "school",  "teachers", "strike",  "market",  "prices",   "energy",  "plant",   "workers",
    "police",  "court",   "judge",    "ruling",  "election", "mayor",   "city",    "rail",
    "line",    "opened",  "closed",   "flood",   "warning",  "farmers", "drought", "water",
    "hospital", "doctors", "patients", "report", "found",    "million", "dollars", "plan",
};
#define VOCAB (sizeof vocab / sizeof *vocab)

/* n words drawn from a slice of the vocabulary (its event's), capitalised first. */
static void words(char *out, size_t cap, unsigned long long *s, unsigned base, unsigned n)
{
    size_t at = 0;
    for (unsigned i = 0; i < n && at + 16 < cap; i++) {
        const char *w = vocab[(base + lcg(s) % 12) % VOCAB];
        at += (size_t)snprintf(out + at, cap - at, "%s%s", i ? " " : "", w);
        if (i == 0)
            out[at - strlen(w)] = (char)(out[at - strlen(w)] - 'a' + 'A');
    }
    out[at] = '\0';
}

/* ARTICLES articles, then EVENTS events set by hand: article i in event i % EVENTS + 1. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || scratch_store("present", f->dir, f->db, &f->st))
        return -1;
    sl_batch *b;
    if (sl_batch_begin(f->st, NULL, &b))
        return -1;
    unsigned long long s = 2212;
    static char text[8192], title[256], id[32], date[16];
    for (unsigned i = 0; i < ARTICLES; i++) {
        unsigned base = (i % EVENTS) * 7;
        size_t at = 0;
        unsigned sentences = 4 + (unsigned)(lcg(&s) % 9);
        for (unsigned k = 0; k < sentences; k++) {
            char one[512];
            words(one, sizeof one, &s, base, 8 + (unsigned)(lcg(&s) % 10));
            at += (size_t)snprintf(text + at, sizeof text - at, "%s%s.", k ? " " : "", one);
        }
        words(title, sizeof title, &s, base, 6);
        snprintf(id, sizeof id, "a%u", i);
        snprintf(date, sizeof date, "2024-03-%02u", 1 + (i * 7) % 28);
        sl_article_input in = {id, i % 3 ? "wire.example" : "daily.example", NULL, date,
                               i % 11 ? title : NULL, text, 0};
        if (sl_batch_add_article(b, &in))
            return -1;
    }
    if (sl_batch_commit(b, NULL))
        return -1;
    sl_batch_free(b);
    char sql[256];
    snprintf(sql, sizeof sql,
             "DELETE FROM article_events; DELETE FROM event_digests;"
             " INSERT INTO article_events SELECT rid, (rid - 1) %% %d + 1 FROM articles;",
             EVENTS);
    *state = f;
    return sli_store_exec(f->st, sql) ? -1 : 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    scratch_close(f->st, f->dir);
    free(f);
    return 0;
}

/* The first column of the first row of sql, as text, malloc'd ("" for NULL). */
static char *one_text(sl_store *st, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sli_store_prepare(st, sql, &s), SL_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    const char *t = (const char *)sqlite3_column_text(s, 0);
    char *copy = strdup(t ? t : "");
    sqlite3_finalize(s);
    assert_non_null(copy);
    return copy;
}

/* Every digest, "event|headline|summary" a line, by event, malloc'd. */
static char *digests(sl_store *st)
{
    return one_text(st, "SELECT group_concat(event || '|' || coalesce(headline, '-') || '|' ||"
                        " sl_summary(summary), char(10)) FROM (SELECT * FROM event_digests"
                        " ORDER BY event)");
}

static long long count(sl_store *st, const char *sql)
{
    char *t = one_text(st, sql);
    long long n = atoll(t);
    free(t);
    return n;
}

static void run(sl_store *st, const long long *ids, size_t n)
{
    assert_int_equal(sli_store_begin(st), SL_OK);
    assert_int_equal(sli_present_run(st, ids, n, NULL, NULL), SL_OK);
    assert_int_equal(sli_store_commit(st), SL_OK);
}

/* All events in one run (rounds, shared over the threads; the ids out of order, with
 * one that has no article) = each event made in a run of its own. */
static void test_rounds_same_as_alone(void **state)
{
    fixture *f = *state;
    long long ids[EVENTS + 1];
    for (size_t i = 0; i < EVENTS; i++)
        ids[i] = (long long)((i * 37) % EVENTS) + 1;
    ids[EVENTS] = EVENTS + 5; /* gone */
    assert_int_equal(sli_store_exec(f->st, "INSERT INTO event_digests(event, headline, summary) VALUES(155, 'old', 'x')"),
                     SL_OK);
    run(f->st, ids, EVENTS + 1);
    char *together = digests(f->st);
    assert_int_equal(count(f->st, "SELECT count(*) FROM event_digests"), EVENTS);
    assert_int_equal(count(f->st, "SELECT count(*) FROM event_digests WHERE event = 155"), 0);
    /* every event has a headline (each has a titled article) and a summary */
    assert_int_equal(count(f->st, "SELECT count(*) FROM event_digests WHERE headline IS NULL"
                                  " OR summary = ''"),
                     0);

    assert_int_equal(sli_store_exec(f->st, "DELETE FROM event_digests"), SL_OK);
    for (size_t i = 0; i < EVENTS; i++)
        run(f->st, &ids[i], 1);
    char *alone = digests(f->st);
    assert_string_equal(together, alone);

    /* and again in one run, over digests already there: the same */
    run(f->st, ids, EVENTS);
    char *again = digests(f->st);
    assert_string_equal(together, again);
    /* ... their summaries kept (a marker in each stays), on every thread and round, and
     * every headline made again the same */
    const char *heads = "SELECT group_concat(event || '|' || coalesce(headline, '-'),"
                        " char(10)) FROM (SELECT * FROM event_digests ORDER BY event)";
    char *headlines = one_text(f->st, heads);
    assert_int_equal(sli_store_exec(f->st, "UPDATE event_digests SET headline = 'old',"
                                           " summary = 'planted ' || event"),
                     SL_OK);
    run(f->st, ids, EVENTS);
    char *remade = one_text(f->st, heads);
    assert_string_equal(headlines, remade);
    assert_int_equal(count(f->st, "SELECT count(*) FROM event_digests"
                                  " WHERE summary = 'planted ' || event"),
                     EVENTS);
    free(headlines);
    free(remade);
    free(together);
    free(alone);
    free(again);
}

/* A failure of the store mid-run comes back as the error, and the caller's rollback
 * leaves the digests as they were. */
static void test_failure_rolls_back(void **state)
{
    fixture *f = *state;
    long long ids[EVENTS];
    for (size_t i = 0; i < EVENTS; i++)
        ids[i] = (long long)i + 1;
    run(f->st, ids, EVENTS);
    char *before = digests(f->st);
    assert_int_equal(sli_store_begin(f->st), SL_OK);
    /* a trigger that fails the 100th save: after the first rounds are saved */
    assert_int_equal(sli_store_exec(f->st,
                                    "CREATE TEMP TABLE n(k); INSERT INTO n VALUES(0);"
                                    "CREATE TEMP TRIGGER boom BEFORE INSERT ON event_digests"
                                    " BEGIN UPDATE n SET k = k + 1;"
                                    " SELECT RAISE(ABORT, 'boom') WHERE (SELECT k FROM n) >= 100;"
                                    " END;"),
                     SL_OK);
    assert_int_equal(sli_store_exec(f->st, "DELETE FROM event_digests"), SL_OK);
    assert_int_not_equal(sli_present_run(f->st, ids, EVENTS, NULL, NULL), SL_OK);
    sli_store_rollback(f->st);
    assert_int_equal(sli_store_exec(f->st, "DROP TRIGGER IF EXISTS temp.boom;"
                                           " DROP TABLE IF EXISTS temp.n"),
                     SL_OK);
    char *after = digests(f->st);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* Event i's summary for test_summaries_packed: sentences of the vocabulary. */
static void made_summary(long long i, char *out, size_t cap)
{
    unsigned long long seed = (unsigned long long)i * 7919u + 1;
    char a[200], b[200];
    words(a, sizeof a, &seed, (unsigned)(i % 5) * 6, 14);
    words(b, sizeof b, &seed, (unsigned)(i % 7) * 4, 12);
    snprintf(out, cap, "%s, the %s said.\n%s in event %lld.", a, vocab[i % VOCAB], b, i);
}

/* The rows sli_store_each_digest gives, checked against made_summary; how many. */
static sl_error check_summary(void *user, long long event, const char *headline,
                              const char *summary)
{
    char want[512];
    made_summary(event, want, sizeof want);
    assert_string_equal(summary, want);
    assert_string_equal(headline, "Headline");
    (*(int *)user)++;
    return SL_OK;
}

/* Summaries (version 7): kept as text until DIGEST_DICT_SAMPLES are stored (tried from the
 * event id DIGEST_DICT_SAMPLES on), then a dictionary is trained from them (digest_dict) and later summaries are kept as frames,
 * shorter; all read back as written, also on a new read-only connection; a damaged frame
 * is an error that says so. */
static void test_summaries_packed(void **state)
{
    fixture *f = *state;
    assert_int_equal(sli_store_exec(f->st, "PRAGMA foreign_keys=OFF"), SL_OK);
    assert_int_equal(sli_store_begin(f->st), SL_OK);
    store_digests sd;
    assert_int_equal(sli_store_digests_open(f->st, &sd), SL_OK);
    char summary[512];
    for (long long i = 1; i <= 1100; i++) {
        made_summary(i, summary, sizeof summary);
        assert_int_equal(sli_store_digest_put(&sd, i, "Headline", summary, 0), SL_OK);
    }
    sli_store_digests_close(&sd);
    assert_int_equal(sli_store_commit(f->st), SL_OK);
    assert_int_equal(count(f->st, "SELECT count(*) FROM digest_dict"), 1);
    assert_int_equal(count(f->st, "SELECT count(*) FROM event_digests"
                                  " WHERE typeof(summary) = 'blob'"),
                     100);
    /* event 1000 found 999 before it: the dictionary is trained at 1001 */
    assert_int_equal(count(f->st, "SELECT count(*) FROM event_digests"
                                  " WHERE typeof(summary) = 'blob' AND event <= 1000"),
                     0);
    made_summary(1100, summary, sizeof summary);
    assert_true(count(f->st, "SELECT length(summary) FROM event_digests WHERE event = 1100") <
                (long long)strlen(summary));
    sl_store_free(f->st);
    assert_int_equal(sl_store_open(f->db, SL_OPEN_READONLY, &f->st), SL_OK);
    int n = 0;
    assert_int_equal(sli_store_each_digest(f->st, 0, check_summary, &n), SL_OK);
    assert_int_equal(n, 1100);
    n = 0;
    assert_int_equal(sli_store_each_digest(f->st, 1050, check_summary, &n), SL_OK);
    assert_int_equal(n, 1);
    /* damaged: a frame cut short */
    assert_int_equal(scratch_exec(f->db, "UPDATE event_digests SET summary ="
                                         " substr(summary, 1, 12) WHERE event = 1100"),
                     SQLITE_OK);
    assert_int_equal(sli_store_each_digest(f->st, 1100, check_summary, &n), SL_ERR_STORE);
    assert_non_null(strstr(sl_store_errmsg(f->st), "summary is damaged"));
}

/* The summary of event 500 (made afresh: its row forgotten first), malloc'd. */
static char *fresh_summary(sl_store *st)
{
    long long id = 500;
    assert_int_equal(sli_store_exec(st, "DELETE FROM event_digests WHERE event = 500"), SL_OK);
    run(st, &id, 1);
    return one_text(st, "SELECT sl_summary(summary) FROM event_digests WHERE event = 500");
}

/* Event 500's summary replaced by a marker, its inputs left as they are. */
static void plant(sl_store *st)
{
    assert_int_equal(sli_store_exec(st, "UPDATE event_digests SET summary = 'planted',"
                                        " headline = 'old' WHERE event = 500"),
                     SL_OK);
}

/* Whether event 500's summary is the marker (kept) or the summary made afresh (made
 * again); its headline is made again either way. */
static void expect(sl_store *st, int kept)
{
    long long id = 500;
    run(st, &id, 1);
    char *summary = one_text(st, "SELECT sl_summary(summary) FROM event_digests"
                                 " WHERE event = 500");
    char *headline = one_text(st, "SELECT headline FROM event_digests WHERE event = 500");
    assert_string_not_equal(headline, "old");
    if (kept) {
        assert_string_equal(summary, "planted");
        char *fresh = fresh_summary(st); /* the headline as made afresh */
        char *again = one_text(st, "SELECT headline FROM event_digests WHERE event = 500");
        assert_string_equal(headline, again);
        free(again);
        free(fresh);
    } else {
        char *fresh = fresh_summary(st);
        assert_string_equal(summary, fresh);
        assert_string_not_equal(summary, "planted");
        char *again = one_text(st, "SELECT headline FROM event_digests WHERE event = 500");
        assert_string_equal(headline, again); /* the same headline as made afresh */
        free(again);
        free(fresh);
    }
    free(summary);
    free(headline);
}

/* An event whose first PRESENT_ARTICLES_MAX articles (one a family, by date) are the same
 * ones, with the same families, put by the same batches, keeps its saved summary (its
 * texts not read; the headline made again, as afresh), also when an article past them is
 * put again with another text; any change there makes it again: an article dated among
 * them, one of their texts replaced (put again by a later batch), a family found (and the
 * text of an origin read in its earlier copy's place replaced), a row
 * saved by a build before the inputs (NULL), a damaged saved summary; also in a store
 * made before the column. */
static void test_summary_kept(void **state)
{
    fixture *f = *state;
    /* a store from before the column: added by the stage's first run */
    assert_int_equal(sli_store_exec(f->st, "ALTER TABLE event_digests DROP COLUMN inputs"),
                     SL_OK);
    /* event 500: the 41 articles of the least (date, rid) but one, then the latest */
    assert_int_equal(sli_store_exec(f->st,
                                    "UPDATE article_events SET event = 500 WHERE rid IN"
                                    " (SELECT rid FROM articles ORDER BY date, rid"
                                    "  LIMIT 41 OFFSET 1)"),
                     SL_OK);
    char *first = fresh_summary(f->st);
    assert_int_equal(count(f->st, "SELECT count(*) FROM event_digests WHERE event = 500"
                                  " AND inputs IS NOT NULL"),
                     1);
    free(first);
    plant(f->st);
    expect(f->st, 1);
    /* gains the latest article: past the first 40, kept (its title counts) */
    assert_int_equal(sli_store_exec(f->st, "UPDATE article_events SET event = 500 WHERE rid ="
                                           " (SELECT rid FROM articles ORDER BY date DESC,"
                                           "  rid DESC LIMIT 1)"),
                     SL_OK);
    plant(f->st);
    expect(f->st, 1);
    /* that latest article's text replaced (put again by a later batch): past them, kept */
    assert_int_equal(sli_store_exec(f->st, "INSERT INTO batches(started_at) VALUES('later');"
                                           "UPDATE articles SET batch = last_insert_rowid()"
                                           " WHERE rid = (SELECT rid FROM articles ORDER BY"
                                           "  date DESC, rid DESC LIMIT 1)"),
                     SL_OK);
    plant(f->st);
    expect(f->st, 1);
    /* each made again, in turn (the same as made afresh) */
    static const char *const changes[] = {
        /* gains the earliest: among the first 40 */
        "UPDATE article_events SET event = 500 WHERE rid ="
        " (SELECT rid FROM articles ORDER BY date, rid LIMIT 1)",
        /* the text of one of the first 40 replaced (an update sets its batch anew:
         * test_summary.sh) */
        "INSERT INTO batches(started_at) VALUES('later');"
        "UPDATE articles SET batch = last_insert_rowid() WHERE rid ="
        " (SELECT rid FROM articles ORDER BY date, rid LIMIT 1 OFFSET 5)",
        /* one of them found a copy of another's (its family) */
        "INSERT INTO members(rid, family) SELECT rid, rid FROM articles ORDER BY date, rid"
        " LIMIT 1 OFFSET 7",
        /* a later one the origin of an earlier one's family: its text is the one read */
        "INSERT INTO members(rid, family) SELECT rid, rid FROM articles ORDER BY date, rid"
        " LIMIT 1 OFFSET 12;"
        "INSERT INTO members(rid, family) SELECT (SELECT rid FROM articles ORDER BY date, rid"
        " LIMIT 1 OFFSET 9), rid FROM articles ORDER BY date, rid LIMIT 1 OFFSET 12",
        /* ... and that origin's text replaced */
        "INSERT INTO batches(started_at) VALUES('later');"
        "UPDATE articles SET batch = last_insert_rowid() WHERE rid ="
        " (SELECT rid FROM articles ORDER BY date, rid LIMIT 1 OFFSET 12)",
        /* saved by a build before the inputs: the row has none */
        "UPDATE event_digests SET inputs = NULL WHERE event = 500",
        /* the saved summary damaged (a frame cut short): made again, not an error */
        "UPDATE event_digests SET summary = x'28b52ffd2400' WHERE event = 500",
    };
    for (size_t i = 0; i < sizeof changes / sizeof *changes; i++) {
        plant(f->st);
        assert_int_equal(sli_store_exec(f->st, changes[i]), SL_OK);
        expect(f->st, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rounds_same_as_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summaries_packed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_kept, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
