/* store_impl.h — inside the store stage: the connection and the SQLite helpers. Only the
 * files of src/store/ include this header (and tests that reach the connection); every
 * other module goes through store.h. */
#ifndef SL_STORE_IMPL_H
#define SL_STORE_IMPL_H

#include <sqlite3.h>

#include "../core/pack.h" /* packer, pack_dict */
#include "store.h"

/* A statement of a reader kept on the handle between calls (sli_store_borrow). */
typedef struct store_cached {
    const char *sql; /* the static string it was prepared from (compared by address) */
    sqlite3_stmt *s;
    int busy; /* lent out now */
} store_cached;
#define STORE_CACHED 32

/* The texts of schema version 2 (texts.c): a packer and its buffers. */
typedef struct store_texts store_texts;

struct sl_store {
    sqlite3 *db;
    char *path;
    int readonly;
    int has_raws; /* the raws table exists (a read-only open of an older store: not) */
    int has_events; /* so do the event tables */
    int has_facts;  /* and the facts tables */
    int has_memos;  /* and entity_memos (an event's entities read from it: facts.c) */
    int has_pages;  /* and the pages table (HTML articles' metadata) */
    int has_fts;    /* and the search index (articles_fts) */
    int no_search;  /* SL_OPEN_NO_SEARCH: a store this open makes gets no search index */
    long long schema_seen; /* PRAGMA schema_version when has_fts was read (-1: not yet) */
    int has_digests; /* and event_digests (events' headlines and summaries) */
    store_cached cache[STORE_CACHED];
    struct search_cache *search; /* what searches learnt of words (search.c), or NULL */
    struct search_stop *stop; /* the search index's stop words (search.c) */
    char *get_sql; /* sl_store_get_article's statement (article_read.c), made once */
    store_texts *texts; /* the writer's and the readers' packer in C (not the SQL functions') */
    store_key_filter *key_filter; /* the dedup stage's stored keys (key_filter.c), or NULL */
    uint64_t keys_searched; /* keys searched in the b-tree with no filter since the last scan */
    struct store_settled_filter *settled; /* the settled keys' saved filter, read (or NULL) */
    uint64_t settled_spared; /* settled searches it spared, over the handle's life (tests) */
    uint64_t settled_blocks_read; /* its blocks read one by one, over the handle's life (tests) */
    int writing; /* in a write transaction of sli_store_begin's, not committed yet */
    int cache_scaled; /* a writer past the map: its page cache sized by each slice's
                         stages (sli_store_cache_for) */
    char errmsg[512];
};

/* A quote's row, in SQL: quotes q with the printing it refers to, aq. Since version 5 a
 * quote whose text is one of its printings (rid, n in article_quotes) holds no text
 * (NULL), and NULL for a speaker or kind that printing has too; a quote that holds its
 * text (written out: no printing holds it, or the printing changed since) holds all
 * three. facts.c writes both (docs/store-size.md). */
#define STORE_QUOTES_FROM                                                                  \
    "quotes q LEFT JOIN article_quotes aq ON q.text IS NULL AND aq.rid = q.rid"            \
    " AND aq.n = q.n"
#define STORE_QUOTE_TEXT "coalesce(q.text, sl_quote_text(aq.text))"
#define STORE_QUOTE_SPEAKER                                                                \
    "CASE WHEN q.text IS NULL THEN coalesce(q.speaker, aq.speaker) ELSE q.speaker END"
#define STORE_QUOTE_KIND "coalesce(q.kind, aq.kind)"

/* A quote variant's wording, in SQL over quote_variants v joined to its quotes q (and aq):
 * '' stands for the quote's own text, as facts.c writes a variant worded as its quote
 * (stores made before hold every wording; docs/store-size.md). */
#define STORE_VARIANT_TEXT "CASE WHEN v.text = '' THEN " STORE_QUOTE_TEXT " ELSE v.text END"

/* An article's facts object, in SQL over article_facts f: its quotes put back from
 * article_quotes where the object was kept without them (since version 5: facts.c). */
#define STORE_FACTS_JSON                                                                   \
    "sl_facts_json(f.json, CASE WHEN f.quotes > 0 THEN (SELECT sl_quotes_json(text,"       \
    " speaker, kind) FROM (SELECT sl_quote_text(text) AS text, speaker, kind"              \
    " FROM article_quotes WHERE rid = f.rid ORDER BY n)) END)"

/* Register sl_facts_json(column) on the connection: an article's stored facts as their
 * JSON text, packed or not (facts.c). */
sl_error sli_store_facts_functions(sl_store *st);
/* sl_summary(x), on every connection (digests.c). */
sl_error sli_store_digest_functions(sl_store *st);
/* --- texts.c: raws.raw a zstd frame, articles.text spans of it (or a frame) --- */
store_texts *sli_store_texts_new(sqlite3 *db);
void sli_store_texts_free(store_texts *t);
/* After a commit: the dictionaries trained are in the store. After a rollback: those
 * trained since the last commit are gone; forget them all (read again when needed). */
void sli_store_texts_committed(store_texts *t);
void sli_store_texts_rolled_back(store_texts *t);
/* Pack without dictionaries and train none (no != 0), or as usual. */
void sli_store_texts_no_train(store_texts *t, int no);
/* SQLite's code of the last failure to read or save a dictionary (0 if none; cleared):
 * after SL_ERR_STORE from the calls below, it tells a full disk or an I/O error (nonzero)
 * from a damaged text (0). */
int sli_store_texts_failed(store_texts *t);
/* The SQL functions sl_text(text, raw) and sl_raw(raw), on this connection. */
sl_error sli_store_texts_register(sl_store *st);
/* raw[0..n), an article of `source`, as raws.raw keeps it: *blob[0..*size), valid until
 * the next call on t. May train the source's dictionary (its writes in the transaction). */
sl_error sli_store_pack_raw(store_texts *t, const char *source, const char *raw, size_t n,
                            const void **blob, size_t *size);
/* sli_store_pack_raw in two halves, so that the packing may run on another thread: the
 * dictionary to pack raw[0..n) with (*d; NULL: none), on t's thread (it may train one:
 * valid until the transaction ends); then sli_pack_with(p, *d, raw, n, out) with a packer
 * of sli_store_raw_packer's, on any thread (one packer a thread), makes the same value. */
sl_error sli_store_raw_dict(store_texts *t, const char *source, const char *raw, size_t n,
                            const pack_dict **d);
packer *sli_store_raw_packer(void);
/* The cleaned text[0..n) as articles.text keeps it, given the raw text it was cleaned
 * from (plain; NULL: no spans): *blob[0..*size), valid until the next call on t. */
sl_error sli_store_pack_text(store_texts *t, const char *raw, size_t rawn, const char *text,
                             size_t n, const void **blob, size_t *size);
/* A raws.raw value (blob[0..n)) unpacked into out. */
sl_error sli_store_unpack_raw(store_texts *t, const void *blob, size_t n, buf *out);
/* sli_store_pack_text, given the raw text as raws.raw keeps it (raw[0..rawn)). */
sl_error sli_store_repack_text(store_texts *t, const void *raw, size_t rawn, const char *text,
                               size_t n, const void **blob, size_t *size);

/* The filter of stored keys (key_filter.c): a saved key added (when one is kept), and
 * the filter dropped (freed). */
void sli_store_key_filter_add(sl_store *st, int paragraphs, uint64_t key);
void sli_store_key_filter_drop(sl_store *st);
/* A dedup key's block in a filter (the stored key's order) and the 64 bits that set its
 * bits there (the stored key, paragraph keys salted): both filters' (key_filter.c). */
uint32_t sli_store_dedup_key_place(uint64_t key);
uint64_t sli_store_dedup_key_bits(int paragraphs, uint64_t key);

/* The settled dedup keys' saved filter (settled_filter.c). _check: before any batch's
 * searches, the handle's copy forgotten if it was read or made under another PRAGMA
 * data_version (`version`: another connection may have settled keys since). _plan:
 * before a batch that searches keys in the b-tree (no handle filter), read it when the
 * store has one and the batch's `arriving` searches pay for reading it (`stored`, the
 * stored keys as estimated), a block at a time as _maybe asks; a filter that cannot be
 * had (memory) or is damaged (then deleted, in the batch's transaction, and made again at
 * its end) leaves every key searched. _maybe: *maybe 0 when `key` is certainly not among
 * the settled keys (their blocks need no search), 1 when it may be or no filter is read
 * (fails only when SQLite does). _delete: the saved filter deleted (and forgotten), by
 * whatever changes the settled blocks, in its transaction (sli_store_dedup_keep_filter,
 * store.h, makes it again). _rest: its reading's blob handle closed, before the
 * transaction ends (the blocks read are kept). _forget: the handle's copy freed. */
void sli_store_settled_filter_check(sl_store *st, long long version);
/* The saved filter's bits moved to *out (the handle's copy when current, else read), for
 * the handle's filter to begin with; *keys about the keys it was sized for. *got 0: none
 * to be had (none saved, memory, or damage: then deleted), *out untouched. */
struct bloom;
sl_error sli_store_settled_filter_take(sl_store *st, long long version, struct bloom *out,
                                       uint64_t *keys, int *got);
sl_error sli_store_settled_filter_plan(sl_store *st, uint64_t stored, uint64_t arriving,
                                       long long version);
sl_error sli_store_dedup_settled_maybe(sl_store *st, int paragraphs, uint64_t key, int *maybe);
sl_error sli_store_settled_filter_delete(sl_store *st);
void sli_store_settled_filter_rest(sl_store *st);
void sli_store_settled_filter_forget(sl_store *st);

/* Free what the searches kept on the handle (search.c). */
void sli_store_search_free(sl_store *st);
/* Read has_fts again, and the stop words with it, when the schema has changed since it
 * was read: another handle built or dropped the index (sl_store_set_search). Called in a
 * transaction (sli_store_begin's, a search's read), so that what it reads holds there. */
sl_error sli_store_search_recheck(sl_store *st);
/* The search index, made empty with no stop words, filled from every stored article,
 * its stop words picked as a store indexed from its first batch picks them (search.c). */
sl_error sli_store_search_fill(sl_store *st);
/* counters row: the store has no search index by choice (sl_store_set_search) */
#define SEARCH_OFF_COUNTER "search_off"
/* The search index's tokenizer (articles_fts's tokenize=): sl_stop, the store's stop
 * words left out of what porter gives (search.c). */
#define STORE_FTS_TOKENIZE "sl_stop porter unicode61 remove_diacritics 2"
/* Register the tokenizer sl_stop on the connection (before anything reads the index);
 * free its list after the connection is closed. */
sl_error sli_store_search_register(sl_store *st);
void sli_store_search_stop_free(sl_store *st);
/* The list in memory may be out of date: read it again at its next use (a transaction
 * began, or one was rolled back: rolled_back 1). */
void sli_store_search_stop_stale(sl_store *st, int rolled_back);
/* Pick the store's stop words from the index as it is, if it has none yet and holds
 * enough cleaned texts; *picked: they were (the index is then to be made again). */
sl_error sli_store_search_stop_pick(sl_store *st, int *picked);

/* A statement kept by a caller between calls (store.h). */
struct store_stmt {
    sqlite3_stmt *s;
};

/* Record SQLite's message for `rc` on the store and return SL_ERR_STORE (or SL_ERR_BUSY,
 * SL_ERR_NOMEM when that is what rc says). */
sl_error sli_store_fail(sl_store *st, int rc, const char *what);
sl_error sli_store_read_begin(sl_store *st, int *own);
void sli_store_read_end(sl_store *st, int own);

/* Start the log of touched events in this connection (temp.facts_touched and its
 * triggers; store/facts.c reads it). No-op when it is there. */
sl_error sli_store_touched_log(sl_store *st);

/* --- the articles' hashes and date order (article_keys.c; store.c's article_keys_sql) --- */

/* Whether an article with this text (?1: its hash) comes from source ?2: a row when so. */
#define STORE_SAME_TEXT_SQL                                                                \
    "SELECT 1 FROM articles WHERE rid IN (SELECT rid FROM article_hashes WHERE hash=?1"    \
    " UNION ALL SELECT rid FROM article_hashes_recent WHERE hash=?1) AND source=?2"
/* The recent rows merged into article_hashes and article_order once the articles added
 * since the last merge pass a sixteenth of those before (sli_store_settle, counter
 * "articles_settled"); a batch asks at its commit. */
sl_error sli_store_articles_settle(sl_store *st);
/* Version 12 to 13, in the migration's transaction, the tables made: filled from the
 * articles held (in the old indexes' order, which they replace), those dropped. */
sl_error sli_store_article_keys_migrate(sl_store *st);
/* The articles' rids in the readers' date order (date IS NULL, date, source, id), the two
 * tables merged: from the offset-th (0: the first) on, at most limit of them (< 0: all),
 * each to fn, which stops the walk by setting *stop or returning an error. */
sl_error sli_store_article_order(sl_store *st, long long offset, long long limit,
                                 sl_error (*fn)(void *user, long long rid, int *stop),
                                 void *user);

/* Run SQL with no results. */
sl_error sli_store_exec(sl_store *st, const char *sql);

/* Prepare a statement; on failure record the message. */
sl_error sli_store_prepare(sl_store *st, const char *sql, sqlite3_stmt **out);

/* The statement in *cache, prepared from sql the first time (*cache allocated then). */
sl_error sli_store_cached(sl_store *st, store_stmt **cache, const char *sql,
                          sqlite3_stmt **out);

/* A statement for `sql`, a string of static storage (its address is the key): the one
 * kept on the handle when it is free (prepared the first time), else one of its own.
 * Give it back with sli_store_return (reset and unbound, or finalised) before the call
 * that borrowed it returns: a kept statement prepares once per handle, not per call. */
sl_error sli_store_borrow(sl_store *st, const char *sql, sqlite3_stmt **out);
void sli_store_return(sl_store *st, sqlite3_stmt *s);

/* Prepare every sql[i] into *slot[i]; on failure finalise those prepared (all NULL). */
sl_error sli_store_prepare_all(sl_store *st, const char *const *sql, sqlite3_stmt **const *slot,
                               size_t n);
/* Finalise every *slot[i] and set it to NULL. */
void sli_store_finalize_all(sqlite3_stmt **const *slot, size_t n);

/* Bind a C string or NULL, not copied: s must stay as it is until the statement has
 * been stepped. A copy would be an allocation, and SQLite binds NULL when it fails
 * (the article would then be stored without its title or origin, and no error). */
int sli_store_bind_text(sqlite3_stmt *stmt, int idx, const char *s);

/* Column text, or NULL when the column is NULL. */
const char *sli_store_column_text(sqlite3_stmt *stmt, int col);
/* A blob column of the current row, or NULL: *err is set (with the store's message) when
 * reading it failed (a page of a long value that could not be read, or not made room
 * for: an I/O error, a full disk spilling the cache, memory), and stays as it was for a
 * NULL or empty value. */
const void *sli_store_column_blob(sl_store *st, sqlite3_stmt *stmt, int col, size_t *n,
                                  sl_error *err, const char *what);
/* An article's title and date as the input gave them (title_in, date_in), read from a
 * row of articles `a`: since version 11 an empty blob (no bytes; the columns' TEXT
 * affinity would turn a number into text, and an input's title is text) stands for "the
 * same as the cleaned one" (title, date), which most are (60 bytes an article). Cleaning writes the
 * marker as it saves the cleaned value (STORE_SAME_IN, in the SET of an UPDATE of
 * articles FROM c, the cleaned values: `articles.` names the row as it was), and writes
 * the input's value out again where the cleaned one changes. */
#define STORE_TITLE_IN "CASE WHEN typeof(a.title_in) = 'blob' THEN a.title ELSE a.title_in END"
#define STORE_DATE_IN "CASE WHEN typeof(a.date_in) = 'blob' THEN a.date ELSE a.date_in END"
#define STORE_SAME_IN(col)                                                                 \
    col "_in = CASE WHEN typeof(articles." col "_in) = 'blob'"                            \
    " THEN (CASE WHEN articles." col " = c." col " THEN x'' ELSE articles." col " END)"    \
    " WHEN articles." col "_in = c." col " THEN x'' ELSE articles." col "_in END"

/* The values of the key at `place` in the blocks (key_blocks.c), as stored (ascending,
 * but for keys that a migration folded into one: event.c sorts them), `max` at most,
 * into values; `find` is "SELECT block, entries FROM <table> WHERE block <= ?1 ORDER BY
 * block DESC LIMIT 1". */
sl_error sli_store_key_blocks_find(sl_store *st, const store_block_kind *k, sqlite3_stmt *find,
                                   uint64_t place, long long *values, int max, int *n);
/* The newest `want` values of the key at `place` (the largest: an event key's events),
 * newest first, into the growable array *values (*cap its room; *n values). `find` is
 * "SELECT block, length(entries), CASE WHEN length(entries) <= ?2 THEN entries END FROM
 * <table> WHERE block <= ?1 ORDER BY block DESC LIMIT 1": a block longer than ?2 comes
 * without its entries, and is read in parts through *blob (an incremental blob handle on
 * `table`, opened when NULL, moved from row to row; the caller closes it, before the
 * transaction ends). `ordered`: every key's values in the blocks ascend, as the merge
 * writes them (sli_store_key_blocks_order), so a large block's last key is read from its
 * end; 0: all of it is read and sorted. How each block was read is counted in *reads
 * (store.h; NULL: not counted). */
sl_error sli_store_key_blocks_newest(sl_store *st, const store_block_kind *k,
                                     sqlite3_stmt *find, const char *table, sqlite3_blob **blob,
                                     uint64_t place, int ordered, size_t want,
                                     long long **values, size_t *cap, size_t *n,
                                     store_key_reads *reads);
/* Every key's values in `table`'s blocks made ascending, each pair once, where they were
 * not: the blocks of a migration that folded keys into one (store.c, version 12). Within
 * the caller's transaction. */
sl_error sli_store_key_blocks_order(sl_store *st, const store_block_kind *k, const char *table);

#endif
