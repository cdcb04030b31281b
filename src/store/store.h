/* store.h — the SQLite store (internal API of the store stage).
 *
 * One file holds everything. Schema version lives in PRAGMA user_version; a store from a
 * newer storyline is refused rather than damaged. The journal is WAL, so readers never
 * block the writer, and a batch is one IMMEDIATE transaction: a crash or SIGKILL leaves
 * the store as before the batch or after it, never between. */
#ifndef SL_STORE_H
#define SL_STORE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include "storyline.h"
#include "../core/buf.h"

#define STORE_SCHEMA_VERSION 1
/* How long a connection waits for another's lock before SL_ERR_BUSY. */
#define STORE_BUSY_MS 5000

struct sl_store {
    sqlite3 *db;
    char *path;
    int readonly;
    int has_raws; /* the raws table exists (a read-only open of an older store: not) */
    int has_events; /* so do the event tables */
    char errmsg[512];
};

/* Record SQLite's message for `rc` on the store and return SL_ERR_STORE (or SL_ERR_BUSY,
 * SL_ERR_NOMEM when that is what rc says). */
sl_error sli_store_fail(sl_store *st, int rc, const char *what);

/* Transactions: begun and ended only through these three. begin takes the write lock
 * (BEGIN IMMEDIATE); rollback is a no-op outside a transaction and never fails. */
sl_error sli_store_begin(sl_store *st);
sl_error sli_store_commit(sl_store *st);
void sli_store_rollback(sl_store *st);

/* Run SQL with no results. */
sl_error sli_store_exec(sl_store *st, const char *sql);

/* Prepare a statement; on failure record the message. */
sl_error sli_store_prepare(sl_store *st, const char *sql, sqlite3_stmt **out);

/* Bind a C string or NULL, not copied: s must stay as it is until the statement has
 * been stepped. A copy would be an allocation, and SQLite binds NULL when it fails
 * (the article would then be stored without its title or origin, and no error). */
int sli_store_bind_text(sqlite3_stmt *stmt, int idx, const char *s);

/* Column text, or NULL when the column is NULL. */
const char *sli_store_column_text(sqlite3_stmt *stmt, int col);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" in out[32]. */
void sli_store_now(char out[32]);

/* --- articles: written by a batch --- */

/* What the store makes of an article offered by a batch. */
typedef enum store_outcome { STORE_ADDED, STORE_UPDATED, STORE_PRESENT } store_outcome;

typedef struct store_article {
    const char *id, *source, *url, *date, *title, *byline, *credit;
    const char *title_in, *date_in; /* as the input gave them */
    const char *raw; /* saved in raws; the cleaned text comes at commit */
    size_t raw_len;
    unsigned char hash[16]; /* XXH3-128 of the normalised raw text */
    long long chars_raw, chars_clean;
    const char *meta;   /* JSON object or NULL */
    const char *origin; /* "path" or "path:line" */
} store_article;

/* Statements a batch reuses for every article. */
typedef struct store_writer {
    sl_store *st;
    long long batch;
    long long rid; /* the row of the last article added or updated */
    int alone;     /* the batch took the store alone (a rollback journal) */
    sqlite3_stmt *by_id, *by_hash, *insert, *update, *source_add, *put_raw;
} store_writer;

/* Begin the batch's transaction and record the batch; fills w. exclusive: 1 take the
 * store alone (rollback journal, readers wait), -1 never, 0 only when it holds no
 * article yet (article_write.c says why). */
sl_error sli_store_writer_begin(sl_store *st, store_writer *w, int exclusive);
/* Add or update one article, or find it present. */
sl_error sli_store_writer_put(store_writer *w, const store_article *a, store_outcome *outcome);
/* --- line statistics and cleaning (lines.c) --- */


/* One (source, line) pair seen in `articles` more articles. */
typedef struct store_line_count {
    uint64_t hash;
    long long source;
    long long articles;
} store_line_count;

/* The id of a source (created if new). */
sl_error sli_store_source_id(sl_store *st, const char *name, long long *id);
/* A source's id and article count, without creating it (both 0 when unknown). */
sl_error sli_store_source_find(sl_store *st, const char *name, long long *id, long long *articles);
/* Add counts to line_counts. */
sl_error sli_store_lines_add(sl_store *st, const store_line_count *v, size_t n);

/* Reads line statistics: for each hash, articles of `source` that print it and distinct
 * sources that print it (counted up to a small cap). */
typedef struct store_line_reader {
    sl_store *st;
    sqlite3_stmt *same, *sources;
} store_line_reader;
sl_error sli_store_line_reader_open(sl_store *st, store_line_reader *r);
void sli_store_line_reader_close(store_line_reader *r);
sl_error sli_store_line_lookup(store_line_reader *r, long long source, uint64_t hash,
                           long *same_source, long *sources);

/* What the cleaner needs of an article, and what it gives back. */
typedef struct store_clean_row {
    long long rid;
    const char *id, *source, *raw, *title_in, *date_in; /* valid until the next row */
} store_clean_row;
typedef struct store_clean_update {
    const char *text;
    size_t text_len;
    long long chars_clean;
    const char *title, *date, *byline, *credit;
} store_clean_update;
/* Visit articles: of batch `batch`, or every article when batch is 0, or the one with
 * `id` when id is not NULL. */
typedef sl_error (*store_clean_fn)(void *user, const store_clean_row *row);
sl_error sli_store_each_for_cleaning(sl_store *st, long long batch, const char *id,
                                 store_clean_fn fn, void *user);
sl_error sli_store_update_cleaned(sl_store *st, sqlite3_stmt **stmt, long long rid,
                              const store_clean_update *u);

/* --- sketches (sketches.c) --- */

/* Save (or replace) an article's signature: `bytes` bytes of sig. */
sl_error sli_store_put_sketch(sl_store *st, sqlite3_stmt **stmt, long long rid, const void *sig,
                          size_t bytes, long long shingles);
/* Read an article's signature by id into sig[bytes]; SL_ERR_NOT_FOUND if it has none. */
sl_error sli_store_get_sketch(sl_store *st, const char *id, void *sig, size_t bytes,
                          long long *shingles);

/* --- deduplication (families.c) --- */

typedef struct store_dedup {
    sl_store *st;
    sqlite3_stmt *add_lsh, *add_para, *find_lsh, *find_para, *family_of, *set_member, *article,
        *article_id, *merge, *leave, *family_size, *refound, *disband;
} store_dedup;

sl_error sli_store_dedup_open(sl_store *st, store_dedup *d);
void sli_store_dedup_close(store_dedup *d);
/* Index an article under one of its paragraph keys, or of its band keys. */
sl_error sli_store_dedup_add_key(store_dedup *d, int paragraphs, uint64_t key, long long rid);
/* The articles indexed under `key` (of paragraphs, or of bands), `max` at most:
 * fn(user, rid). */
sl_error sli_store_dedup_candidates(store_dedup *d, int paragraphs, uint64_t key, int max,
                                void (*fn)(void *user, long long rid), void *user);
/* The family of an article, 0 if it has none. */
sl_error sli_store_dedup_family(store_dedup *d, long long rid, long long *family);
sl_error sli_store_dedup_set_member(store_dedup *d, long long rid, long long family,
                                long long matched, double jaccard, double containment);
/* An article's cleaned text, date ("" if none) and shingle count. */
sl_error sli_store_dedup_article(store_dedup *d, long long rid, buf *text, char date[32],
                             long long *shingles);
/* About how many keys the index holds, from the articles stored (this batch's included)
 * without counting them; 0 when it holds none. */
sl_error sli_store_dedup_stored_keys(sl_store *st, long long *keys);
/* Move the members of family `gone` into family `keep`. */
sl_error sli_store_dedup_merge(store_dedup *d, long long keep, long long gone);
/* An article whose text changed leaves its family: a founder that leaves hands the family
 * to its first remaining member, and a family left with one member is no family. (Its
 * keys stay: they find it no more once its new text is compared.) */
sl_error sli_store_dedup_leave(store_dedup *d, long long rid);
/* Every key of the index: band keys to band(), paragraph keys to para(). */
sl_error sli_store_dedup_each_key(sl_store *st, void (*band)(void *user, uint64_t key),
                              void (*para)(void *user, uint64_t key), void *user);
/* An article's id by rid, into id. */
sl_error sli_store_dedup_article_id(store_dedup *d, long long rid, buf *id);
/* Forget every band key, paragraph key and family (before matching everything again). */
sl_error sli_store_dedup_clear(sl_store *st);
/* Every family: fn(user, family, rids, n) with its members' rids. */
sl_error sli_store_each_family(sl_store *st,
                           sl_error (*fn)(void *user, long long family, const long long *rids,
                                          size_t n),
                           void *user);

/* Record the batch's summary and commit. */
sl_error sli_store_writer_commit(store_writer *w, const sl_batch_summary *sum);
/* Roll back (if still open) and finalise the statements. Safe to call twice. */
void sli_store_writer_end(store_writer *w);

#endif
