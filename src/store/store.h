/* store.h — the SQLite store: what the other stages may call (internal API of the store
 * stage).
 *
 * One file holds everything. Schema version lives in PRAGMA user_version; a store from a
 * newer storyline is refused rather than damaged. The journal is WAL, so readers never
 * block the writer, and a batch is one IMMEDIATE transaction: a crash or SIGKILL leaves
 * the store as before the batch or after it, never between.
 *
 * Every SQL statement and every SQLite call of the library is in src/store/ (docs/store.md
 * lists the tables of each file). This header shows plain C types only: statements kept
 * between calls hide behind opaque pointers, and `struct sl_store` is in store_impl.h,
 * which only the store's own .c files include. */
#ifndef SL_STORE_H
#define SL_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "storyline.h"
#include "../core/buf.h"

#define STORE_SCHEMA_VERSION 15
/* The oldest version a read-only handle reads without its migration (store.c). */
#define STORE_READS_SINCE 13
/* The page size of a new store (an older one keeps its own; docs/store.md). */
#ifndef STORE_PAGE_SIZE
#define STORE_PAGE_SIZE 16384
#endif
/* How long a connection waits for another's lock before SL_ERR_BUSY. */
#define STORE_BUSY_MS 5000

/* The store was opened read-only. */
int sli_store_readonly(const sl_store *st);
/* Set the message sl_store_errmsg() gives (printf-style, after the store's file name and
 * ": "), for an error found outside SQLite in what the store holds. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void sli_store_set_error(sl_store *st, const char *fmt, ...);

/* A statement a caller keeps between calls of one store function (NULL at first). */
typedef struct store_stmt store_stmt;
/* Finalise it; NULL is ignored. */
void sli_store_stmt_free(store_stmt *s);

/* Transactions: begun and ended only through these three. begin takes the write lock
 * (BEGIN IMMEDIATE); rollback is a no-op outside a transaction and never fails. */
sl_error sli_store_begin(sl_store *st);
sl_error sli_store_commit(sl_store *st);
void sli_store_rollback(sl_store *st);
/* The page cache of a writer of a store past the memory map sized for the stages of a
 * slice of `articles` (store.c says why); other handles keep theirs. */
sl_error sli_store_cache_for(sl_store *st, long long articles);

/* A read-only handle on the store as last committed, in a read transaction of its own,
 * for a thread of the writer's to read what the writer's open batch has not changed
 * (the facts stage's old quotes: facts_stage.c) while the writer goes on: the batch is
 * not seen, and cannot commit meanwhile (its writer waits for that thread). *out NULL
 * (SL_OK) when none can be had now: the batch holds the store alone (a first load's
 * rollback journal, which another connection would take for a hot one), or another
 * open fails; the caller reads through st then. Its pages are read without a memory map
 * (as the writer of a large store reads: docs/store.md), through a small page cache
 * (STORE_CACHE_SMALL_KIB). Free it with sl_store_free. */
sl_error sli_store_snapshot(sl_store *st, sl_store **out);
/* The message of the last error on `from` (a snapshot) made the message of `to`, so
 * that the caller of `to` reads what failed (sl_store_errmsg). */
void sli_store_copy_error(sl_store *to, const sl_store *from);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" in out[32]. */
void sli_store_now(char out[32]);

/* --- articles: written by a batch --- */

/* What the store makes of an article offered by a batch. */
typedef enum store_outcome { STORE_ADDED, STORE_UPDATED, STORE_PRESENT } store_outcome;

/* What the HTML front end said of an article's page (NULL fields: the page did not say).
 * Each value has a `from`: where it was found ("og:title", "json-ld", ...). */
typedef struct store_page_field {
    const char *value, *from;
} store_page_field;
typedef struct store_page {
    const unsigned char *hints; /* one DOM hint byte per raw line */
    size_t n_hints;
    const char *charset;
    store_page_field title, date, author, site_name, canonical, lang, description;
    const char *fetch_date; /* WARC-Date: the date only when nothing else gives one */
} store_page;

typedef struct store_article {
    const char *id, *source, *url, *date, *title, *byline, *credit;
    const char *title_in, *date_in; /* as the input gave them */
    const char *raw; /* saved in raws; the cleaned text comes at commit */
    size_t raw_len;
    unsigned char hash[16]; /* XXH3-128 of the normalised raw text */
    long long chars_raw, chars_clean;
    const char *meta;   /* JSON object or NULL */
    const char *origin; /* "path" or "path:line" */
    const store_page *page; /* an HTML page's, or NULL (text input) */
} store_article;

/* Statements a batch reuses for every article. */
typedef struct store_writer {
    sl_store *st;
    long long batch;
    long long rid; /* the row of the last article added or updated */
    long long stored; /* the store's largest article row when the batch began: about the
                       * articles it held (rows are not reused), read in O(log n) */
    int alone;     /* the batch took the store alone (a rollback journal) */
    unsigned commits; /* transactions committed: a slice is kept once its commit is,
                       * even when beginning the next slice then fails */
    struct store_writer_stmts *q;
} store_writer;

/* Begin the batch's transaction and record the batch; fills w. exclusive: 1 take the
 * store alone (rollback journal, readers wait), -1 never, 0 only when it holds no
 * article yet (article_write.c says why). */
sl_error sli_store_writer_begin(sl_store *st, store_writer *w, int exclusive);
/* The largest article row (0 if none): about the articles stored, rows not being reused;
 * a b-tree's last entry, not a count of them all. */
sl_error sli_store_last_rid(sl_store *st, long long *rid);
/* A store's recent tables (rows saved since the last merge, searched with the large
 * tables they are merged into) merged by running merge_sql, once the articles stored
 * since the last merge (counter `counter`: the last rid then) pass 1/share of those stored
 * before it; else nothing. The dedup keys, the events' keys and frequencies and the line
 * counts each keep their own counter. */
sl_error sli_store_settle(sl_store *st, const char *counter, long long share,
                          const char *merge_sql);
/* The same, the merge made by merge(st) (the dedup keys' blocks: families.c). */
sl_error sli_store_settle_with(sl_store *st, const char *counter, long long share,
                               sl_error (*merge)(sl_store *st));
/* Add or update one article, or find it present. New articles of text input are held and
 * added PUT_ROWS at a time (article_write.c): sli_store_writer_flush adds those held,
 * before anything reads the batch's articles (its stages); commit and next flush too. */
sl_error sli_store_writer_flush(store_writer *w);
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
/* Add counts to the line counts (their recent table: lines.c). */
sl_error sli_store_lines_add(sl_store *st, const store_line_count *v, size_t n);
/* Merge the line counts' recent table into line_counts when due (sli_store_settle,
 * counter "lines_settled"). */
sl_error sli_store_lines_settle(sl_store *st);

/* Reads line statistics: for each hash, articles of `source` that print it and distinct
 * sources that print it (counted up to a small cap). */
typedef struct store_line_reader {
    sl_store *st;
    struct store_line_stmts *q;
} store_line_reader;
sl_error sli_store_line_reader_open(sl_store *st, store_line_reader *r);
void sli_store_line_reader_close(store_line_reader *r);
sl_error sli_store_line_lookup(store_line_reader *r, long long source, uint64_t hash,
                           long *same_source, long *sources);

/* What the cleaner needs of an article, and what it gives back. */
typedef struct store_clean_row {
    long long rid;
    const char *id, *source, *raw, *title_in, *date_in; /* valid until the next row */
    /* HTML articles: the DOM hint byte of each raw line (NULL for text input), the page's
     * author (NULL if none), the fetch date (NULL if none): valid until the next row */
    const unsigned char *hints;
    size_t n_hints;
    const char *author, *fetch_date;
} store_clean_row;
typedef struct store_clean_update {
    const char *raw; /* the raw text it was cleaned from, as each_for_cleaning gave it */
    size_t raw_len;
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
/* Save an article's cleaned text and metadata: the UPDATE waits for STORE_CLEAN_ROWS of
 * them (made by the first call in *saver) or for sli_store_cleaned_flush; u's texts must
 * stay as they are until then. The raw texts are those of the rows each_for_cleaning
 * gave last (at most STORE_CLEAN_ROWS read between a row and its flush). Free *saver with
 * sli_store_clean_saver_free (accepts NULL). */
#define STORE_CLEAN_ROWS 128
typedef struct store_clean_saver store_clean_saver;
sl_error sli_store_cleaned_put(sl_store *st, store_clean_saver **saver, long long rid,
                               const store_clean_update *u);
sl_error sli_store_cleaned_flush(sl_store *st, store_clean_saver *v);
void sli_store_clean_saver_free(store_clean_saver *v);
/* The search index and a cleaning (store.c, fts_sql): of batch `batch`, or of every
 * article (batch 0). Before it, _cleaning empties the index when every article is to be
 * cleaned (the triggers then take nothing out); after its last cleaned text is saved,
 * _cleaned puts what it cleaned into the index in one statement, or, when the store
 * first holds STOP_MIN_TEXTS cleaned texts, picks its stop words and makes the whole
 * index again (sli_store_search_fill). In the cleaning's transaction; nothing without
 * the index. */
sl_error sli_store_search_cleaning(sl_store *st, long long batch);
sl_error sli_store_search_cleaned(sl_store *st, long long batch);

/* --- sketches (sketches.c) --- */

/* Save (or replace) how many distinct shingles an article's cleaned text has. */
sl_error sli_store_put_shingles(sl_store *st, store_stmt **stmt, long long rid,
                                long long shingles);

/* --- deduplication (families.c) --- */

typedef struct store_dedup {
    sl_store *st;
    struct store_dedup_stmts *q;
} store_dedup;

sl_error sli_store_dedup_open(sl_store *st, store_dedup *d);
void sli_store_dedup_close(store_dedup *d);
/* A band or paragraph key as the index keeps it (version 3): its low 32 bits, sign
 * extended, 4 bytes in a row instead of 8. Two keys that agree there are one key to the
 * index: a text found by chance is a candidate that verification turns down (docs/dedup.md).
 * add_key and candidates take a whole key; each_key gives keys in this form. */
uint64_t sli_store_dedup_stored_key(uint64_t key);
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
/* An article's id by rid, into id. */
sl_error sli_store_dedup_article_id(store_dedup *d, long long rid, buf *id);
/* Forget every band key, paragraph key and family (before matching everything again);
 * the handle's filter of stored keys goes too. */
sl_error sli_store_dedup_clear(sl_store *st);
/* Merge the recent keys into the large tables when the articles stored since the last
 * merge (counter "dedup_settled": the last rid then) pass a sixteenth of those before it
 * (families.c says why). Within the caller's transaction. */
sl_error sli_store_dedup_settle(sl_store *st);
/* At the end of a batch's matching, once its settles are done: the settled keys' filter
 * (settled_filter.c) made and saved if the store has none (a settle or a clear deleted
 * it), from one scan of the settled blocks, so that a later small batch, in any process,
 * searches the blocks only for the keys it may find there. */
sl_error sli_store_dedup_keep_filter(sl_store *st);

/* Keys packed in blocks (key_blocks.c): a block is a run of keys in order, its rowid the
 * first key's place (the stored key plus the kind's offset: a number from 0), its blob
 * the entries, each the gap from the entry before and a value as varints. Three kinds:
 * the dedup keys (version 11: lsh_blocks, paras_blocks; a value a rid, a key keeps its
 * STORE_KEY_MAX_RIDS lowest, all a search asks for: sli_store_dedup_candidates), the
 * event keys (version 12: event_key_blocks; a value an event, every one kept) and the
 * terms' document frequencies (version 12: term_df_blocks; a key one value, the sum of
 * those merged in). */
#define STORE_KEY_MAX_RIDS 64
/* The cluster stage's term ids are under 2^STORE_TERM_ID_BITS (TERM_ID_BITS, features.h:
 * event_blob.c asserts the two the same). */
#define STORE_TERM_ID_BITS 40
typedef struct store_block_kind {
    long long least, most; /* the keys a block holds, as stored */
    long long offset;      /* a key's place: key + offset */
    int cap;               /* a key's values kept, the lowest (0: all) */
    int sum;               /* a key holds one value: the sum of those merged in */
    const char *name;      /* what a damaged block damages, and what to do about it */
    const char *redo;
} store_block_kind;
const store_block_kind *sli_dedup_blocks(void);
const store_block_kind *sli_event_key_blocks(void);
const store_block_kind *sli_term_df_blocks(void);
typedef struct {
    const unsigned char *p, *end;
    uint64_t place, limit; /* limit: above every place of the kind */
} store_key_block;
uint64_t sli_store_key_place(long long stored); /* a dedup key's */
/* Walk a block's blob: next gives 1 and an entry (its key's place and value), 0 at the
 * end, -1 when the blob is damaged. The blob must outlive the walk. */
void sli_store_key_block_start(store_key_block *b, const store_block_kind *k, long long block,
                               const void *blob, size_t n);
int sli_store_key_block_next(store_key_block *b, uint64_t *place, long long *value);
/* Merge the rows of source_sql into the blocks of `table`, within the caller's
 * transaction. Its rows are (key as stored, value[, op]) in key then value order; op 0
 * deletes that pair from the blocks (put it before an insert of the same pair), 1 (or
 * no third column) inserts it. */
sl_error sli_store_key_blocks_merge(sl_store *st, const store_block_kind *k, const char *table,
                                    const char *source_sql);
/* Every entry of `table` in key order: fn(user, key as stored, value). */
sl_error sli_store_key_blocks_each(sl_store *st, const store_block_kind *k, const char *table,
                                   void (*fn)(void *user, long long key, long long value),
                                   void *user);

/* The filter of stored keys (key_filter.c): Bloom filters over every stored key (the
 * blocks and the recent rows), kept on the handle across slices and batches (freed with
 * it), each key that sli_store_dedup_add_key saves added to it. It holds every stored key,
 * or it is not given: built by one scan of the stored keys (of the recent ones only,
 * beside the settled keys' saved filter as its first link, when the store has one:
 * settled_filter.c), dropped when another connection has written the store (PRAGMA
 * data_version) or the keys are cleared, grown by a link as large as itself when its keys
 * pass what it was sized for (16 bits a key). */
typedef struct store_key_filter store_key_filter;
/* In the batch's transaction, before its keys are searched: the filter to search
 * through (*out), or NULL: search each key in the b-tree. `stored` estimates the stored
 * keys, `arriving` the searches the batch will make. The filter kept is given when it is
 * still valid; it is built (a scan) when none is kept, or made again when it has grown
 * links since it was built, only where the searches made without one on this handle, the
 * batch's included, outnumber 1/32 of the stored keys (a scan costs about 1/32 of a search
 * a key): a small batch into a large store does not read the whole index. */
sl_error sli_store_dedup_filter_plan(sl_store *st, uint64_t stored, uint64_t arriving,
                                     const store_key_filter **out);
/* 0: `key` (whole, as add_key takes it) of paragraphs or of bands is certainly not
 * stored; 1: it may be. */
int sli_store_dedup_filter_maybe(const store_key_filter *f, int paragraphs, uint64_t key);
/* The keys the handle's filter holds (-1: none kept), its links, those grown since it was
 * built, and its bytes (tests, benchmarks). */
long long sli_store_dedup_filter_keys(sl_store *st, int *links, int *grown, uint64_t *bytes);
/* Every family: fn(user, family, rids, n) with its members' rids. */
sl_error sli_store_each_family(sl_store *st,
                           sl_error (*fn)(void *user, long long family, const long long *rids,
                                          size_t n),
                           void *user);

/* Record the batch's summary and commit. */
sl_error sli_store_writer_commit(store_writer *w, const sl_batch_summary *sum);
/* Record the batch's summary and commit, then begin the next batch (a new transaction and
 * batches row, w->batch its id) with the same statements and journal: a batch committed
 * in slices. On error, sli_store_writer_end rolls back what is open. */
sl_error sli_store_writer_next(store_writer *w, const sl_batch_summary *sum);
/* Roll back (if still open) and finalise the statements. Safe to call twice. */
void sli_store_writer_end(store_writer *w);

/* --- events and storylines (events.c: the cluster stage's tables) --- */

/* Statements the cluster stage reuses for every article of a batch. */
typedef struct store_events {
    sl_store *st;
    struct store_event_stmts *q;
} store_events;

sl_error sli_store_event_open(sl_store *st, store_events *es);
/* Safe to call twice, and after a failed open. */
void sli_store_event_close(store_events *es);
/* The handle's reading of the settled keys let go (an incremental blob handle on
 * event_key_blocks, opened by the searches): before the caller's transaction writes those
 * blocks (sli_store_event_settle) or ends. Searches after it open it again. */
void sli_store_event_end_reads(store_events *es);
/* How the searches read the settled keys' blocks (key_blocks.c), counted since the open.
 * For tests. */
typedef struct store_key_reads {
    long long row;   /* blocks given whole by the search's row */
    long long head;  /* large blocks answered from their head */
    long long tail;  /* ... from their head and their end */
    long long whole; /* ... read whole (not in order, or a block that breaks a rule) */
} store_key_reads;
void sli_store_event_key_reads(const store_events *es, store_key_reads *out);

/* An event's row. The centroid is an opaque blob to the store (cluster/event_blob.c
 * gives its layout); day_first and day_last only count when dated is not 0. */
typedef struct store_event_row {
    long long id, storyline;
    int articles, dated, day_first, day_last;
    double day_sum;
    const void *centroid;
    size_t centroid_len;
    int packed; /* centroid is already as stored (sli_store_event_pack) */
} store_event_row;
/* fn(user, row) with event id's row, valid during the call; SL_ERR_NOT_FOUND if there is
 * no such event. */
sl_error sli_store_event_get(store_events *es, long long id,
                             sl_error (*fn)(void *user, const store_event_row *row),
                             void *user);
/* Save (insert or replace) an event. */
sl_error sli_store_event_put(store_events *es, const store_event_row *row);
struct packer; /* core/pack.h */
/* Centroids packed beside the store's thread as sli_store_event_put packs them: n new
 * packers into out[0..n) (each freed with sli_packer_free), or n NULLs while this handle
 * may yet train the store's centroid dictionary (its puts pack then). */
sl_error sli_store_event_packers(store_events *es, unsigned n, struct packer **out);
/* row's centroid packed with p (one of sli_store_event_packers', on any thread; out
 * holds the frame): row->centroid is then the value to store, and row->packed set. */
sl_error sli_store_event_pack(struct packer *p, store_event_row *row, buf *out);

/* The newest `max` events found by term, into ids; how many in *n. */
sl_error sli_store_event_by_key(store_events *es, uint64_t term, long long *ids, size_t max,
                                size_t *n);
sl_error sli_store_event_put_key(store_events *es, uint64_t term, long long event);
/* Forget that term finds event (a stale key of a dropped event, met by a search). */
sl_error sli_store_event_drop_key(store_events *es, uint64_t term, long long event);
sl_error sli_store_event_put_article(store_events *es, long long rid, long long event);
/* The event of a stored member of the family founded by `family` (0 if none). */
sl_error sli_store_event_family_event(store_events *es, long long family, long long *event);
/* Add n articles to term's document frequency; *df gets the sum. */
sl_error sli_store_event_add_df(store_events *es, uint64_t term, long long n, long long *df);
/* Term's document frequency (0 if never counted). */
sl_error sli_store_event_df(store_events *es, uint64_t term, long long *df);
/* The rids of event id's articles, with their families (0 if none), through fn. */
sl_error sli_store_event_members(store_events *es, long long id,
                                 sl_error (*fn)(void *user, long long rid, long long family),
                                 void *user);
/* fn(user, title, text, len, date) with a stored article's title (NULL if none), cleaned
 * text text[0..len) and date (NULL if none), valid during the call; SL_ERR_NOT_FOUND if
 * there is no such article. */
sl_error sli_store_event_article(store_events *es, long long rid,
                                 sl_error (*fn)(void *user, const char *title,
                                                const char *text, size_t len,
                                                const char *date),
                                 void *user);
/* A stored article's event and that event's article count (0 and 0 if it has none). */
sl_error sli_store_event_article_event(store_events *es, long long rid, long long *event,
                                       long long *articles);
/* Forget event id (its article rows and key terms are left: rewritten, or stale and
 * dropped by sli_store_event_drop_key when a search meets them). */
sl_error sli_store_event_drop(store_events *es, long long id);
/* Storylines: every event of storyline `from` moves to `to`. */
sl_error sli_store_event_move_storyline(store_events *es, long long from, long long to);

/* The largest rid placed in an event (0 if none): a larger one is new to the stage. */
sl_error sli_store_event_last_placed(sl_store *st, long long *rid);
/* The open events (the small events the last batch made or changed, which the next
 * batch places again), newest first, with their article counts: read into a malloc'd
 * array (*out, *n); or replaced by ids[0..n). */
typedef struct store_open_event {
    long long id;
    long long articles;
} store_open_event;
sl_error sli_store_event_open_ids(sl_store *st, store_open_event **out, size_t *n);
sl_error sli_store_event_set_open(sl_store *st, const long long *ids, size_t n);
/* Counters: "docs" (articles clustered), "event_ids" (the largest event id given),
 * "dedup_settled" (families.c), "events_settled" (events.c). An absent counter reads 0. */
sl_error sli_store_event_counter(sl_store *st, const char *name, long long *value);
sl_error sli_store_event_set_counter(sl_store *st, const char *name, long long value);
/* The largest event id given (0 if none): one that is gone is not given again. */
sl_error sli_store_event_max_id(sl_store *st, long long *id);
/* Every article's family (rid -> founding rid) in batch (0: every batch), through fn. */
sl_error sli_store_event_batch_families(sl_store *st, long long batch,
                                        sl_error (*fn)(void *user, long long rid,
                                                       long long family),
                                        void *user);
/* Forget every event (re-cleaning clusters all articles again). */
sl_error sli_store_event_clear(sl_store *st);
/* Merge the recent event keys and document frequencies into the large tables, once the
 * articles stored since the last merge (counter "events_settled": the last rid then) pass
 * a sixteenth of those before it (events.c, "Recent rows"); otherwise nothing. */
sl_error sli_store_event_settle(sl_store *st);

/* --- events read back (event_rows.c) --- */

/* One article of an event, as the readers list them. */
typedef struct store_event_article {
    long long event, storyline, rid;
    const char *id, *source, *title; /* title NULL if none */
    const char *date;                /* its first 10 characters; NULL if undated */
    const char *family;              /* "F3"; NULL if none */
    int has_text;                    /* its cleaned text is not empty */
} store_event_article;
/* fn(user, row) for every article of every event (or of event `only` when not 0): newest
 * event first (by last day, undated last, then id), its articles by date (undated last),
 * then rid. Rows are valid during the call. A store without the event tables has none. */
sl_error sli_store_each_event_article(sl_store *st, long long only,
                                      sl_error (*fn)(void *user,
                                                     const store_event_article *row),
                                      void *user);
/* fn(user, text) with article rid's cleaned text (NULL if none), valid during the call;
 * SL_ERR_NOT_FOUND if there is no such article. */
sl_error sli_store_article_text(sl_store *st, long long rid,
                                void (*fn)(void *user, const char *text), void *user);

/* --- facts (facts.c: the facts stage's tables) --- */

/* An article's quote and entity as the store keeps them (kind: "speech" or "phrase";
 * type: "person", "org" or "place": the facts stage's names). */
typedef struct store_fact_quote {
    const char *text, *speaker; /* speaker NULL when unknown */
    const char *kind;
} store_fact_quote;
typedef struct store_fact_entity {
    const char *name;
    const char *type;
    long long count;
} store_fact_entity;

/* Statements the facts stage reuses. Opening (a writer only) also starts the log of
 * touched events: from then on, in this connection, every event that gains or loses an
 * article or is dropped is noted (temporary triggers), until read by
 * sli_store_facts_touched. Open it before the cluster stage writes. */
typedef struct store_facts {
    sl_store *st;
    struct store_facts_stmts *q;
} store_facts;
sl_error sli_store_facts_open(sl_store *st, store_facts *sf);
/* Safe to call twice, and after a failed open. */
void sli_store_facts_close(store_facts *sf);
/* Save (replace) an article's facts: its JSON object (which alone keeps its ne entities:
 * sli_store_facts_article_entities reads them back), and its quotes as rows. */
sl_error sli_store_facts_put(store_facts *sf, long long rid, const char *json,
                             const store_fact_quote *q, size_t nq, size_t ne);
/* The events touched since the open or the last call, and those left pending
 * (sli_store_facts_defer), ascending, in a malloc'd array (*ids, *n); the log and the
 * pending list are emptied. */
sl_error sli_store_facts_touched(store_facts *sf, long long **ids, size_t *n);
/* The events touched so far noted as pending in the store (the log emptied): their facts
 * are made by a later sli_store_facts_touched's caller, in this batch or a later one. */
sl_error sli_store_facts_defer(store_facts *sf);
/* Whether event `event` exists (a touched event may have been dropped). */
sl_error sli_store_facts_event_exists(store_facts *sf, long long event, int *exists);
/* The articles of an event without facts (stored before the facts stage), ascending, in
 * a malloc'd array; and one article's cleaned text, date (YYYY-MM-DD or NULL) and title
 * (NULL when none) through fn, valid during the call (nothing when there is no such
 * article). */
sl_error sli_store_facts_missing(store_facts *sf, long long event, long long **rids, size_t *n);
/* Whether every stored article has its facts (then no event needs sli_store_facts_missing):
 * once the store has as many facts rows as articles, counter facts_complete keeps the
 * last article's rid (every article added since gets its facts in its own batch), and
 * holds while that article has its facts. */
sl_error sli_store_facts_complete(store_facts *sf, int *complete);
sl_error sli_store_facts_article(store_facts *sf, long long rid,
                                 sl_error (*fn)(void *user, const char *text, size_t len,
                                                const char *date, const char *title),
                                 void *user);
/* The quotes an event's articles print, earliest article first (by date, undated last,
 * then rid), each article's in its order; rows valid during the call. */
typedef struct store_seen_quote {
    const char *text, *speaker, *kind;
    const char *article, *date; /* date: YYYY-MM-DD or NULL */
    long long rid;
    int n; /* its place among the article's quotes (article_quotes.n) */
} store_seen_quote;
sl_error sli_store_facts_event_quotes(store_facts *sf, long long event,
                                      sl_error (*fn)(void *user, const store_seen_quote *q),
                                      void *user);
/* An article's entities: fn(user, json, len) with the "entities" array of its facts
 * object (JSON text, valid during the call); not called when it has no facts. And the
 * rids of an event's articles, ascending, into *rids (grown as sli_grow_array does: *cap
 * its room), *n of them. */
sl_error sli_store_facts_article_entities(store_facts *sf, long long rid,
                                          sl_error (*fn)(void *user, const char *json,
                                                         size_t len),
                                          void *user);
sl_error sli_store_facts_event_rids(store_facts *sf, long long event, long long **rids,
                                    size_t *n, size_t *cap);
/* The stored quotes of an event, by id, each's variants by n: fn(user, row), the row
 * valid during the call (text: the variant's; the quote's own text, speaker, kind); and
 * the articles printing each variant, by quote, n, k: fn(user, quote, n, rid). Read
 * through a handle of their own (store_old_quotes), on the writer's handle or on a
 * snapshot of it (sli_store_snapshot) that another thread reads while the writer goes
 * on; one thread at a time. */
typedef struct store_old_variant {
    long long quote;
    int n;
    const char *text, *quote_text, *speaker, *kind;
} store_old_variant;
typedef struct store_old_quotes store_old_quotes;
sl_error sli_store_old_quotes_open(sl_store *st, store_old_quotes **out);
void sli_store_old_quotes_free(store_old_quotes *q);
sl_error sli_store_old_quotes_variants(store_old_quotes *q, long long event,
                                       sl_error (*fn)(void *user, const store_old_variant *v),
                                       void *user);
sl_error sli_store_old_quotes_articles(store_old_quotes *q, long long event,
                                       sl_error (*fn)(void *user, long long quote, int n,
                                                      long long rid),
                                       void *user);
/* Forget one quote (its row, variants and their articles), wherever it is. */
sl_error sli_store_facts_drop_quote(store_facts *sf, long long id);
/* An event's memo of its quotes' grouping (sli_quotes_group_memo): a malloc'd copy in
 * *memo, *len (NULL, 0: none); saved, or forgotten when len is 0. */
sl_error sli_store_facts_get_memo(store_facts *sf, long long event, void **memo, size_t *len);
sl_error sli_store_facts_put_memo(store_facts *sf, long long event, const void *memo,
                                  size_t len);
/* The same for the memo of its entities' merge ("EE1", then sli_entity_merge_save's
 * state: facts_stage.c), which since version 5 is where readers read the event's most
 * mentioned STORE_EVENT_ENTITIES (`shown` of them) from: *kept (may be NULL) says whether
 * it was kept; when not (none, or too long), the stage writes them as rows
 * (sli_store_facts_put_entity). _shown: the count of an event whose memo is kept as it is. */
#define STORE_EVENT_ENTITIES 100
sl_error sli_store_facts_get_entity_memo(store_facts *sf, long long event, void **memo,
                                         size_t *len);
sl_error sli_store_facts_put_entity_memo(store_facts *sf, long long event, const void *memo,
                                         size_t len, size_t shown, int *kept);
sl_error sli_store_facts_entity_memo_shown(store_facts *sf, long long event, size_t shown);
/* Forget an event's entities. */
sl_error sli_store_facts_clear_entities(store_facts *sf, long long event);
/* Save a quote of an event; then its variants (n from 0, earliest first) with the rids
 * of the articles that print each (earliest first); and the event's entities (n from 0).
 * (rid, n): the printing its text is (store_seen_quote's): the row refers to it rather
 * than hold the text again when that row holds this text (docs/store-size.md, version
 * 5); the text is written out otherwise. */
sl_error sli_store_facts_put_quote(store_facts *sf, long long id, long long event,
                                   const char *text, const char *speaker, const char *kind,
                                   long long rid, int n);
sl_error sli_store_facts_put_variant(store_facts *sf, long long quote, int n, const char *text,
                                     const long long *rids, size_t nrids);
sl_error sli_store_facts_put_entity(store_facts *sf, long long event, int n,
                                    const store_fact_entity *e);
/* Note every event that has quotes or entities as touched (before re-cleaning: the
 * events are made anew). */
sl_error sli_store_facts_touch_all(sl_store *st);
/* The facts' steps of the migrations from version 3 and 4 (in migrate()'s transaction). */
sl_error sli_store_facts_migrate_v3(sl_store *st);
sl_error sli_store_facts_migrate_v4(sl_store *st);

/* Read back. fn(user, json) with the article's facts object, if it has one (not called
 * when it has none: stored before the facts stage, or a store without its tables). */
sl_error sli_store_article_facts(sl_store *st, const char *id,
                                 void (*fn)(void *user, const char *json), void *user);
/* One row per article printing each variant of each quote (of event `event`, or all
 * when 0): by quote id, variant, article order. Valid during the call. */
typedef struct store_quote_row {
    long long id, event;
    const char *text, *speaker, *kind;
    int variant;
    const char *variant_text;
    const char *article, *source, *date; /* date YYYY-MM-DD or NULL */
} store_quote_row;
sl_error sli_store_each_quote_row(sl_store *st, long long event,
                                  sl_error (*fn)(void *user, const store_quote_row *row),
                                  void *user);
/* An event's quote ids, ascending; its entities, most mentioned first. */
sl_error sli_store_event_quote_ids(sl_store *st, long long event,
                                   sl_error (*fn)(void *user, long long id), void *user);
sl_error sli_store_event_entity_rows(sl_store *st, long long event,
                                     sl_error (*fn)(void *user, const store_fact_entity *e),
                                     void *user);
/* Whether event `event` exists (readers). */
sl_error sli_store_event_known(sl_store *st, long long event, int *exists);

/* --- pages of the lists (list_rows.c), search (search.c) --- */

/* The items of list `what` (of event `event`'s quotes when what is SL_LIST_QUOTES and
 * event is not 0): storylines and families of two or more members only. */
sl_error sli_store_list_count(sl_store *st, sl_list what, long long event, long long *n);
/* The ids of items [offset, offset + limit) of list `what` in its order (limit <= 0:
 * all): events (newest first), storylines (where their newest event comes), families
 * (by founder), quotes (by id; of `event` when not 0), articles (rids, by date). */
sl_error sli_store_list_ids(sl_store *st, sl_list what, long long event, long long offset,
                            long long limit, sl_error (*fn)(void *user, long long id),
                            void *user);
/* The articles of one event as sli_store_each_event_article gives them (an index
 * lookup: no other event is read; event_rows.c). */
sl_error sli_store_event_articles(sl_store *st, long long event,
                                  sl_error (*fn)(void *user, const store_event_article *row),
                                  void *user);
/* The events of a storyline, by first day (undated last), then last day, then id. */
sl_error sli_store_storyline_events(sl_store *st, long long storyline,
                                    sl_error (*fn)(void *user, long long event), void *user);
/* One event of a storyline as the events table keeps it (valid during the call). */
typedef struct store_storyline_row {
    long long event, articles;
    int dated;                   /* day_first, day_last: days since 1970-01-01, when dated */
    long long day_first, day_last;
    const char *headline;        /* the present stage's, else the first title; NULL if none */
} store_storyline_row;
/* The events of a storyline in sli_store_storyline_events' order, from the events table
 * (no article is read but for the title of an event without a digest). */
sl_error sli_store_storyline_rows(sl_store *st, long long storyline,
                                  sl_error (*fn)(void *user, const store_storyline_row *row),
                                  void *user);
/* One family's members (as sli_store_each_family gives them; no call when it has none). */
sl_error sli_store_family_members(sl_store *st, long long family,
                                  sl_error (*fn)(void *user, long long family,
                                                 const long long *rids, size_t n),
                                  void *user);
/* The rows of sli_store_each_quote_row for quotes first..last (ids), of `event` when
 * not 0. */
sl_error sli_store_quote_rows(sl_store *st, long long event, long long first, long long last,
                              sl_error (*fn)(void *user, const store_quote_row *row),
                              void *user);
/* Articles [offset, offset + limit) in sl_store_each_article's order (limit <= 0: all). */
sl_error sli_store_each_article_page(sl_store *st, unsigned with, long long offset,
                                     long long limit, sl_article_fn fn, void *user);

/* Full-text search (search.c): hits of the FTS5 query `match` (made by the caller from
 * words: see sl_store_search), best first, [offset, offset + limit); *total (may be
 * NULL) gets the number of matching articles. SL_ERR_UNSUPPORTED, with a message, when
 * the store has no search index (a read-only open of a store made before it). */
sl_error sli_store_search(sl_store *st, const char *match, long long offset, long long limit,
                          long long *total, sl_hit_fn fn, void *user);
/* --- events' headlines and summaries (digests.c: the present stage's table) --- */

/* Statements the present stage reuses (a writer). */
typedef struct store_digests {
    sl_store *st;
    struct store_digest_stmts *q;
} store_digests;
sl_error sli_store_digests_open(sl_store *st, store_digests *sd);
/* Safe to call twice, and after a failed open. */
void sli_store_digests_close(store_digests *sd);
/* One article of an event as the present stage reads it (valid during the call). */
typedef struct store_digest_member {
    long long rid, family; /* family: its founding rid, 0 if none */
    const char *title, *date, *source; /* title and date NULL if none; date YYYY-MM-DD */
    /* the batch (an add's slice) that put it last (articles.batch): its cleaned text is
     * made then, and again only when a later one puts another text under its id (an
     * update, which sets the batch anew) or by re-cleaning every article (which forgets
     * every digest) */
    long long batch;
} store_digest_member;
/* fn for every article of event `event` (none if it has gone): by date (undated last),
 * then rid. */
sl_error sli_store_digest_members(store_digests *sd, long long event,
                                  sl_error (*fn)(void *user, const store_digest_member *m),
                                  void *user);
/* fn(user, text, len) with article rid's cleaned text (not called if there is none). */
sl_error sli_store_digest_text(store_digests *sd, long long rid,
                               sl_error (*fn)(void *user, const char *text, size_t len),
                               void *user);
/* Save (replace) an event's headline (may be NULL) and summary (sentences joined by
 * newlines), with `inputs`, the hash of what the summary was made from (0: none); or
 * forget an event's. */
sl_error sli_store_digest_put(store_digests *sd, long long event, const char *headline,
                              const char *summary, long long inputs);
/* *summary (malloc'd; the caller frees it) the event's saved summary when it was saved
 * with these inputs, else NULL (also when the saved one is damaged: it is made again). */
sl_error sli_store_digest_kept(store_digests *sd, long long event, long long inputs,
                               char **summary);
sl_error sli_store_digest_drop(store_digests *sd, long long event);
/* Forget every event's (re-cleaning makes them all again). */
sl_error sli_store_digest_clear(sl_store *st);
/* Read back: fn(user, event, headline, summary) for every event that has one (or event
 * `only` when not 0). A store without the table has none. */
sl_error sli_store_each_digest(sl_store *st, long long only,
                               sl_error (*fn)(void *user, long long event,
                                              const char *headline, const char *summary),
                               void *user);

#endif
