/*
 * storyline.h — the public face of libstoryline, a news story engine.
 *
 * Articles go in (plain text, JSON Lines), are kept in one SQLite store, and come out as
 * cleaned, deduplicated, dated stories: cleaned text with title, date, byline and credit
 * (sl_explain_article says why each line was kept or dropped), and syndication families
 * (sl_store_each_family). This header is the whole public API: everything
 * else in the library is internal and may change.
 *
 * Conventions
 * -----------
 * Errors:    every function that can fail returns an sl_error; SL_OK (0) is success.
 *            sl_strerror() names a code. The library never prints, exits or aborts: it
 *            returns codes, and hands per-input problems to a callback (sl_report_fn).
 * Handles:   opaque, in create/free pairs (sl_store_open / sl_store_free, sl_batch_begin /
 *            sl_batch_free, sl_store_get_article / sl_article_free). Every free function
 *            accepts NULL.
 * Ownership: (the one rule, stated once)
 *            - Pointers you pass in are borrowed: the library copies what it keeps, and
 *              never frees them.
 *            - Objects returned through an out-parameter (`**out`) are yours: release each
 *              with its matching free function.
 *            - Structs handed to a callback, and every string inside them, are borrowed from
 *              the library and valid only until the callback returns: copy what you keep.
 *            - const char * returned by sl_strerror(), sl_version() and sl_store_errmsg()
 *              are owned by the library (errmsg: until the next call on that store).
 * Text:      all strings are UTF-8 and NUL-terminated (but for a text handed over with
 *            its length, such as sl_line.text). Dates are ISO 8601 strings
 *            ("2024-03-15", or "2024-03-15T09:30:00Z" where a time is known); unknown
 *            values are NULL.
 * Threads:   a handle is used by one thread at a time (a batch and its store count as one
 *            handle); distinct handles are independent.
 */
#ifndef STORYLINE_H
#define STORYLINE_H

#include <stddef.h> /* size_t */

#ifdef __cplusplus
extern "C" {
#endif

/* Marks the exported symbols; everything else in the shared library stays hidden. */
#if defined(SL_BUILDING_LIBRARY) && defined(__GNUC__)
#define SL_API __attribute__((visibility("default")))
#else
#define SL_API
#endif

#define SL_VERSION_MAJOR 0
#define SL_VERSION_MINOR 1
#define SL_VERSION_PATCH 0
#define SL_VERSION_STRING "0.1.0"

/* ------------------------------------------------------------------------------------ */
/* Errors                                                                                 */
/* ------------------------------------------------------------------------------------ */

typedef enum sl_error {
    SL_OK = 0,
    SL_ERR_NOMEM,          /* out of memory */
    SL_ERR_INVALID,        /* invalid argument */
    SL_ERR_IO,             /* a file could not be opened or read */
    SL_ERR_NOT_FOUND,      /* no such file, article or object */
    SL_ERR_UNSUPPORTED,    /* input form not recognised, or feature not built yet */
    SL_ERR_UTF8,           /* text is not valid UTF-8 */
    SL_ERR_BINARY,         /* input looks like a binary file */
    SL_ERR_EMPTY,          /* input holds no article text */
    SL_ERR_TOO_BIG,        /* input exceeds a configured maximum size */
    SL_ERR_JSON,           /* malformed JSON */
    SL_ERR_NO_TEXT,        /* a JSON record without any text field */
    SL_ERR_STORE,          /* the SQLite store failed (see sl_store_errmsg) */
    SL_ERR_STORE_VERSION,  /* the store was written by an incompatible version */
    SL_ERR_BUSY,           /* the store is locked by another writer */
    SL_ERR_STATE,          /* call not valid in this state (e.g. batch already committed) */
    SL_ERR_WRITE,          /* an output callback reported failure */
    SL_ERR__COUNT          /* number of codes; not an error */
} sl_error;

/* A short English description of `err`; never NULL (unknown codes get a generic text). */
SL_API const char *sl_strerror(sl_error err);

/* The library's version, "MAJOR.MINOR.PATCH". */
SL_API const char *sl_version(void);

/* Optional: settings for the whole process, for a program that owns it (as
 * curl_global_init). Call once, first, before any thread uses SQLite; a program that
 * uses SQLite itself, or embeds the library among others, need not call it. Today it
 * turns SQLite's memory statistics off (sqlite3_memory_used then reads 0): they take one
 * process-wide lock at every allocation, about 3% of a batch's CPU time. SL_ERR_STATE
 * when SQLite is initialised already (nothing changes then). Not thread-safe. */
SL_API sl_error sl_global_init(void);

/* ------------------------------------------------------------------------------------ */
/* The store                                                                              */
/* ------------------------------------------------------------------------------------ */

typedef struct sl_store sl_store;

enum {
    SL_OPEN_READONLY = 1u << 0, /* never write; fails with SL_ERR_NOT_FOUND if absent */
    SL_OPEN_CREATE = 1u << 1,   /* create the store if it does not exist */
    SL_OPEN_NO_SEARCH = 1u << 2 /* a store without a search index is not given one: one
                                   this open makes, or one made before the index existed
                                   (a store that has it keeps it: sl_store_set_search) */
};

/* Open (or with SL_OPEN_CREATE, create) the store at `path`. On failure *out is NULL and
 * the error says why: SL_ERR_NOT_FOUND (absent, not creating), SL_ERR_STORE (not an
 * SQLite file, corrupt), SL_ERR_STORE_VERSION (written by a newer storyline, or an older
 * one and opened read-only: a writer's open migrates an older store in place).
 * sl_store_open_msg says why in words. */
SL_API sl_error sl_store_open(const char *path, unsigned flags, sl_store **out);

/* sl_store_open, and on failure the reason in words in the caller's `errbuf` (cut to
 * errbuf_size bytes, NUL-terminated; SL_ERRMSG_SIZE always holds it whole; NULL or 0:
 * none): the file name and SQLite's (or the system's) reason, as sl_store_errmsg
 * gives them on an open store. A damaged store, or a file that is not one (PRAGMA
 * quick_check fails), is named as such, with what to do. "" on success. */
SL_API sl_error sl_store_open_msg(const char *path, unsigned flags, sl_store **out,
                                  char *errbuf, size_t errbuf_size);
#define SL_ERRMSG_SIZE 512

/* Whether the store has its full-text search index (sl_store_search): 1 or 0. A store
 * has one unless it was made with SL_OPEN_NO_SEARCH or the index was dropped. */
SL_API int sl_store_has_search(const sl_store *store);

/* Build (on) or drop (!on) the store's search index, in one transaction, and keep the
 * choice: a store whose index was dropped is not given one by a later open. Building
 * reads every stored article (about the time its batches spent on the index: minutes
 * at a million articles); dropping leaves its pages free for later batches (the file
 * keeps its size: SQLite's VACUUM shrinks it). Without the index a store is about a
 * fifth smaller and its batches spend nothing on it; sl_store_search then fails with
 * SL_ERR_UNSUPPORTED. SL_ERR_INVALID on a read-only handle, SL_ERR_STATE while a
 * transaction (a batch) is open on it. */
SL_API sl_error sl_store_set_search(sl_store *store, int on);

/* Rewrite the store's file without its free pages and with every table's pages full
 * (SQLite's VACUUM, then its log emptied): after a migration, a dropped search index or
 * a load, a smaller file that reads the same. It takes about as long as reading and
 * writing the whole store, needs free room on the store's disk of about its size (the
 * log receives every page again) plus room for SQLite's temporary copy, and waits for
 * other connections on the store as a batch does (SL_ERR_BUSY after the wait). *before
 * and *after (either may be NULL): the file's bytes. SL_ERR_INVALID on a read-only
 * handle, SL_ERR_STATE while a batch is open on it, SL_ERR_TOO_BIG when the disk has less
 * free room than the store's size (nothing done). */
SL_API sl_error sl_store_compact(sl_store *store, long long *before, long long *after);

/* Close the store. Accepts NULL. An uncommitted batch on it must be freed first. */
SL_API void sl_store_free(sl_store *store);

/* The detail of the last failure on this store: the file name, what was being done and
 * SQLite's reason ("" if none). A failed batch keeps it until the next call. */
SL_API const char *sl_store_errmsg(const sl_store *store);

/* ------------------------------------------------------------------------------------ */
/* Ingest: a batch is one transaction                                                     */
/* ------------------------------------------------------------------------------------ */

/* One problem with one input, handed to sl_report_fn. The input was skipped (or, for a
 * JSON Lines file, that one line was); the rest of the batch goes on. */
typedef struct sl_report {
    sl_error code;      /* what went wrong */
    const char *path;   /* the file, or "-" for standard input */
    long line;          /* 1-based line in a JSON Lines file; 0 when not line-based */
    long long offset;   /* byte offset of the problem in the file, or -1 when unknown */
    const char *detail; /* a human-readable explanation, never NULL */
} sl_report;

typedef void (*sl_report_fn)(void *user, const sl_report *report);

/* Progress of a batch, handed to sl_progress_fn now and then (at most every 64 articles). */
typedef struct sl_progress {
    long long articles;   /* records read so far (added, present or skipped) */
    long long bytes_done; /* bytes of input read so far */
    long long bytes_total;/* bytes of input known so far (grows as paths are walked) */
    const char *path;     /* the file being read ("" once reading is done) */
    /* What the batch is doing: "reading" (sl_batch_add_*), then at commit "cleaning",
     * "matching" its new articles, "clustering" them and "facts" (the quotes and entities
     * of the events it touched), stage_done of stage_total so far. */
    const char *stage;
    long long stage_done, stage_total;
} sl_progress;

typedef void (*sl_progress_fn)(void *user, const sl_progress *progress);

typedef struct sl_ingest_options {
    size_t max_article_bytes; /* largest article (file or JSON line) taken; 0: 64 MiB;
                                 at most 256 MiB */
    sl_report_fn on_report;   /* may be NULL: problems are then only counted */
    sl_progress_fn on_progress; /* may be NULL */
    void *user;               /* passed to both callbacks */
    int exclusive;            /* 0: a batch into a store with no article yet takes the
                                 store alone (a rollback journal instead of the WAL: a
                                 first load of a million articles runs ~40% faster and
                                 writes half the bytes; other connections cannot read
                                 meanwhile, they fail with SL_ERR_BUSY after 5 s), unless
                                 another connection has the store open; later batches
                                 let readers read. 1: alone whenever no other connection
                                 has the store open; -1: never. */
    long long slice_articles; /* commit every this many articles added or updated as a
                                 batch of its own, then go on in a new one (readers go on
                                 where they are, mid-file): memory stays bounded whatever
                                 the input's size. 0 (or less): one batch, one transaction,
                                 whatever its size. See sl_batch_begin. */
    long long slice_grow;     /* with slice_articles > 0: 0 (or less), every slice is
                                 slice_articles; N > 0, a slice is at least 1/N of the
                                 articles the store holds as it begins (the batch's
                                 committed slices counted), and at most
                                 SL_SLICE_GROWN_MAX or slice_articles, whichever is
                                 more. A slice's commit writes again the pages of the
                                 store's indexes that it touches, and a slice of a few
                                 thousand articles touches most of them: in a large store
                                 that cost follows the store's size, not the slice's, and
                                 growing slices keep it a bounded share (docs/ingest.md,
                                 "Choosing the slice"). */
} sl_ingest_options;

/* The slices `storyline add` makes without --slice: slice_articles and slice_grow
 * (docs/ingest.md, "Slices", and docs/tuned-constants.md say how they were chosen).
 * Another front end that must store what the command stores (the Python pipeline,
 * docs/scale.md) takes the same. */
#define SL_SLICE_DEFAULT_ARTICLES 5000
#define SL_SLICE_DEFAULT_GROW 25

/* The largest slice that sl_ingest_options.slice_grow makes (it bounds the memory of a
 * slice's stages as the store grows). */
#define SL_SLICE_GROWN_MAX 50000

/* What a batch did. An article is "present" when the store already holds it: the same id
 * with the same normalised text, or the same source with the same normalised text under
 * another id. "updated": same id, different text (the stored text is replaced). */
typedef struct sl_batch_summary {
    long long added;
    long long updated;
    long long present;
    long long skipped;   /* inputs reported through sl_report_fn */
    long long empty;     /* articles kept but left with no text by cleaning (all of
                            them boilerplate) */
    long long files;     /* files read */
    long long bytes;     /* bytes of input read */
    double seconds;      /* wall time from sl_batch_begin to the end of the commit */
    /* Where the time went: reading and storing the articles (until the commit), then at
     * commit cleaning and sketching them, matching them against the store, and placing
     * them into events and storylines. */
    double ingest_seconds, clean_seconds, match_seconds, cluster_seconds;
    /* The facts stage: saving each article's facts and making the touched events' quotes
     * and entities again (wall time, after cluster_seconds); and the extraction of the
     * articles' facts, as processor time summed over the threads that did it: it runs
     * beside the match and the placing, and the facts stage does what is left of it. */
    double facts_seconds, facts_extract_seconds;
    /* WARC archives: records read, and those passed over without a report (not counted
     * in `skipped`): records other than responses (request, metadata, warcinfo, revisit,
     * ...), responses with a status other than 200, responses that are not HTML. */
    long long warc_records, warc_not_response, warc_not_ok, warc_not_html;
    /* Slices committed (sl_ingest_options.slice_articles): after sl_batch_commit, the
     * batches rows the batch made (1 without slicing); in sl_batch_peek, those committed
     * so far, which stay whatever happens to the rest. */
    long long slices;
    /* The rest of the commit's time, after the facts stage: the touched events' headlines
     * and summaries made again, then the store's commit itself (its pages written and
     * synced; for a slice, with the next slice's transaction begun). Summed over slices
     * like the others; `seconds` less every stage's time is what no stage accounts for
     * (the line counts written before each slice's cleaning are the clean stage's). */
    double present_seconds, commit_seconds;
} sl_batch_summary;

typedef struct sl_batch sl_batch;

/* Start a batch on `store`: opens one write transaction. `opts` may be NULL (defaults).
 * SL_ERR_BUSY if another process is writing to the store.
 *
 * Atomicity: a batch is one transaction, all or nothing, unless opts->slice_articles is
 * set. Then, each time the batch holds that many articles added or updated since its last
 * slice, the add that took the last one (sl_batch_add_path, sl_batch_add_article) runs the
 * commit's stages over them, commits them as a batch of their own (a batches row with its
 * own counts) and begins the next slice, the readers going on where they are. Each slice
 * is atomic; a failure, or sl_batch_free without a commit, rolls back only the current
 * slice: the slices committed before it stay (sl_batch_peek's `slices` says how many),
 * and adding the same inputs again finds their articles present. sl_batch_commit
 * commits the last slice, and its summary covers the whole batch (counts and times
 * summed). An article of a slice is cleaned against the line statistics of the store and
 * of its own slice, not of later ones. */
SL_API sl_error sl_batch_begin(sl_store *store, const sl_ingest_options *opts, sl_batch **out);

/* Read `path` into the batch: a file (.txt or no extension: plain text; .jsonl/.ndjson:
 * JSON Lines), a directory (walked recursively in name order; files of other forms and
 * hidden files are passed over), or "-" for JSON Lines on standard input. Problems with
 * inputs are reported and counted as skipped and return SL_OK; only failures that stop
 * the whole batch (memory, the store, and SL_ERR_IO when the process runs out of file
 * handles, reported first) return an error, after which the batch can only be freed. */
SL_API sl_error sl_batch_add_path(sl_batch *batch, const char *path);

/* Whether sl_batch_add_path could read `path` without blocking, asked before a batch
 * takes the store's write lock: SL_OK for "-", a directory or a regular file;
 * SL_ERR_UNSUPPORTED for a FIFO, socket or device (reading one could wait forever, so
 * sl_batch_add_path refuses them too, named or met in a directory, and opens every file
 * without blocking); SL_ERR_NOT_FOUND or SL_ERR_IO when it cannot be looked at. `why`
 * (may be NULL) gets the reason in words, "" for SL_OK; the library owns the text. */
SL_API sl_error sl_input_check(const char *path, const char **why);

/* Read `path` as sl_batch_add_path reads it (every form, the same checks and reports)
 * without a store: each article that a batch into an empty store would store goes to
 * fn, with where it was read from ("path" or "path:line"); `article`'s strings are
 * borrowed until fn returns, its date is ISO 8601 or NULL, its source "unknown" when the
 * input names none. An article the batch would find present (an id already handed over
 * with the same normalised text, or the same text from the same source under another id)
 * is counted in summary->present and not handed over; an id already handed over with
 * another text is handed over again (the batch would update it: the last one stands),
 * counted in `updated`. fn returns non-zero to be handed no more: reading stops (the
 * call returns SL_OK; nothing read after it is reported). opts (may be NULL) as for a
 * batch: max_article_bytes, on_report, on_progress, user; the rest is not used. summary
 * (may be NULL): added, updated, present, skipped, files, bytes as a batch counts them.
 * An HTML page's structure hints (what its DOM said of each line, which a batch keeps
 * for the cleaner) are not passed on. For the workers of a pipeline spread over machines
 * (docs/scale.md). */
struct sl_article_input;
typedef int (*sl_read_fn)(void *user, const struct sl_article_input *article,
                          const char *origin);
SL_API sl_error sl_read_path(const char *path, const sl_ingest_options *opts, sl_read_fn fn,
                             void *user, sl_batch_summary *summary);

/* Read `path` as sl_read_path does (every form, the same checks and reports), each
 * article that passes them handed to fn as a record: a blob of `len` bytes, borrowed
 * until fn returns, that holds all a batch keeps of it (its fields, the input's other
 * fields, the file, line and offset it was read at, an HTML page's structure hints and
 * metadata). Unlike sl_read_path, an article the input repeats is handed over too
 * (summary->added counts every record): sl_batch_add_record stores each as the batch
 * that read the file would have, finding it present or updated against its store. The
 * reading and the storing may be on different machines (a pipeline spread over workers,
 * docs/scale.md). fn returns non-zero to be handed no more. */
typedef int (*sl_record_fn)(void *user, const void *record, size_t len);
SL_API sl_error sl_read_records(const char *path, const sl_ingest_options *opts,
                                sl_record_fn fn, void *user, sl_batch_summary *summary);

/* One article given directly (not read from a file). `id` and `text` are required;
 * other fields may be NULL. `date` is parsed as in JSON Lines input. */
typedef struct sl_article_input {
    const char *id;
    const char *source;
    const char *url;
    const char *date;
    const char *title;
    const char *text;
    size_t text_len;       /* bytes of text; 0: strlen(text) */
} sl_article_input;

SL_API sl_error sl_batch_add_article(sl_batch *batch, const sl_article_input *article);

/* One article as sl_read_records handed it over (the record is borrowed for the call):
 * checked and stored as sl_batch_add_path stores what it reads, its problems reported
 * with the file, line and offset it was read at. A blob that is not a whole record
 * (damaged, cut short, of another version) is reported (path "(record)") and counted as
 * skipped; the call then returns SL_OK, as for any input. */
SL_API sl_error sl_batch_add_record(sl_batch *batch, const void *record, size_t len);

/* Commit the batch atomically (its last slice, when sliced) and fill `summary` (may be
 * NULL): the whole batch's. After this, free it. */
SL_API sl_error sl_batch_commit(sl_batch *batch, sl_batch_summary *summary);

/* The running counts of a batch not yet committed (summary->seconds: time so far). */
SL_API void sl_batch_peek(const sl_batch *batch, sl_batch_summary *summary);

/* Free the batch; if it was not committed, everything it added is rolled back (when
 * sliced, everything since the last slice committed). Accepts NULL. */
SL_API void sl_batch_free(sl_batch *batch);

/* ------------------------------------------------------------------------------------ */
/* Reading articles                                                                       */
/* ------------------------------------------------------------------------------------ */

typedef struct sl_article {
    const char *id;
    const char *source;
    const char *url;      /* NULL when unknown */
    const char *date;     /* ISO 8601, NULL when no date was printed */
    const char *title;    /* NULL when none was found */
    const char *byline;   /* NULL when none was found */
    const char *credit;   /* wire agency credited, NULL when none */
    const char *family;   /* syndication family id ("F20"), NULL when in no family */
    const char *event;    /* event id, NULL until clustering runs */
    const char *text;     /* cleaned text; NULL unless SL_WITH_TEXT */
    const char *raw;      /* the text as ingested; NULL unless SL_WITH_RAW */
    const char *meta;     /* JSON object of unrecognised input fields, NULL if none */
    const char *origin;   /* where it was read from: "path" or "path:line" */
    long long chars_raw;  /* Unicode characters in the raw text */
    long long chars_clean;/* Unicode characters in the cleaned text */
    long long batch;      /* the batch that last added or updated it */
    const char *facts;    /* its facts as the JSON object of docs/output.md ({"quotes":
                             [...], "entities": [...], "amounts": [...], "dates": [...]});
                             NULL unless SL_WITH_FACTS, or when none were extracted (an
                             article stored before the facts stage: `storyline clean`) */
    /* What an HTML page said of itself (NULL for text input, and when it did not say): */
    const char *lang;        /* language, BCP 47 as given ("en", "pt-BR"), or detected */
    const char *site_name;   /* og:site_name, JSON-LD publisher */
    const char *charset;     /* the encoding the page was read in ("UTF-8", "Shift_JIS") */
    const char *date_source; /* where `date` came from: "input" (the input's own field),
                                "json-ld", "article:published_time" (or another <meta>
                                key), "time", "url", "text" (the cleaner's text rules),
                                "warc-date" (the fetch date); NULL when undated */
} sl_article;

enum {
    SL_WITH_TEXT = 1u << 0, /* fill sl_article.text */
    SL_WITH_RAW = 1u << 1,  /* fill sl_article.raw */
    SL_WITH_FACTS = 1u << 2 /* fill sl_article.facts (and write `facts` in exports) */
};

/* Return non-zero to stop the iteration early (the call then returns SL_OK). */
typedef int (*sl_article_fn)(void *user, const sl_article *article);

/* Every article, ordered by date (undated last), then source, then id. */
SL_API sl_error sl_store_each_article(sl_store *store, unsigned with, sl_article_fn fn, void *user);

/* One article by id; SL_ERR_NOT_FOUND if absent. Free *out with sl_article_free. */
SL_API sl_error sl_store_get_article(sl_store *store, const char *id, unsigned with,
                              sl_article **out);
SL_API void sl_article_free(sl_article *article);

/* What an HTML article's page said of itself, field by field: fn(user, field, value,
 * from) for "charset", "title", "date", "author", "site_name", "canonical", "lang",
 * "description" and "fetch_date", in that order, each with where it was found ("og:title",
 * "json-ld", "h1", "html lang", "detected", ...; "" when nothing is to say). Fields the
 * page did not give are not passed. No call for an article read from text.
 * SL_ERR_NOT_FOUND if there is no article `id`. Return non-zero from fn to stop. */
typedef int (*sl_page_field_fn)(void *user, const char *field, const char *value,
                                const char *from);
SL_API sl_error sl_store_article_page(sl_store *store, const char *id, sl_page_field_fn fn,
                                      void *user);

/* Per-source counts, sources in name order. */
typedef int (*sl_source_fn)(void *user, const char *source, long long articles,
                            const char *date_first, const char *date_last);
SL_API sl_error sl_store_each_source(sl_store *store, sl_source_fn fn, void *user);

typedef struct sl_stats {
    long long articles;
    long long sources;
    long long dated;           /* articles with a date */
    long long batches;
    long long chars_raw;       /* Unicode characters of raw text stored */
    long long store_bytes;     /* size of the store file(s) on disk */
    long long families;        /* syndication families */
    long long family_members;  /* articles in them */
    char date_first[32];       /* earliest article date, "" if none */
    char date_last[32];
    sl_batch_summary last;     /* the last committed batch (all zero if none) */
    char last_at[32];          /* when it was committed, ISO 8601 UTC; "" if none */
    long long with_facts;      /* articles whose facts were extracted */
    long long quotes;          /* quotes of events (variants grouped) */
    long long entities;        /* entities of events */
} sl_stats;

SL_API sl_error sl_store_stats(sl_store *store, sl_stats *out);

/* The store's pages by group of tables (each table with its indexes; docs/store-size.md
 * names the tables of each group), in bytes: they sum to the file's size (a store just
 * checkpointed). Reads every page (SQLite's dbstat): seconds on a big store, which is why
 * sl_store_stats leaves it out. */
typedef struct sl_store_bytes {
    long long texts;  /* articles (with their cleaned text), raws, pages */
    long long facts;  /* article_facts, the quotes and entities tables */
    long long events; /* events and their centroids, article_events, event_keys, term_df,
                         event_digests */
    long long dedup;  /* sketches, lsh, paras, members */
    long long search; /* the search index (articles_fts and its shadow tables) */
    long long other;  /* every other table, SQLite's schema, free pages */
} sl_store_bytes;
SL_API sl_error sl_store_bytes_by_group(sl_store *store, sl_store_bytes *out);

/* Every table's bytes (with its indexes), biggest first, with its group ("texts",
 * "facts", "events", "dedup", "search", "other"); the free pages last as "(free)". */
typedef void (*sl_table_bytes_fn)(void *user, const char *table, const char *group,
                                  long long bytes);
SL_API sl_error sl_store_table_bytes(sl_store *store, sl_table_bytes_fn fn, void *user);

/* A number that changes whenever the store has changed (a batch committed by any process)
 * since the last call on this handle: readers that keep what they read (a server's cache)
 * compare it. */
SL_API sl_error sl_store_data_version(sl_store *store, long long *out);

/* ------------------------------------------------------------------------------------ */
/* Cleaning                                                                               */
/* ------------------------------------------------------------------------------------ */

/* One raw line of an article, with what the cleaner made of it. */
typedef struct sl_line {
    const char *text;   /* the line, NOT NUL-terminated: use len */
    size_t len;
    const char *label;  /* "body", "title", "meta", "furniture", "template", "common",
                           "duplicate", "boilerplate", "after-end", "off-topic" */
    int kept;           /* 1 when the line is part of the cleaned text */
    const char *why;    /* the signal that decided, in words */
    const char *detail; /* e.g. the phrase that matched; NULL if none */
} sl_line;

/* Return non-zero to stop early. */
typedef int (*sl_line_fn)(void *user, const sl_line *line);

/* Clean article `id` again with the store's current statistics, without saving, and hand
 * every non-blank raw line with its label to fn. SL_ERR_NOT_FOUND if absent. */
SL_API sl_error sl_explain_article(sl_store *store, const char *id, sl_line_fn fn, void *user);

/* Clean every stored article again with the repetition statistics as they are now (they
 * grow with each batch), then sketch and match them all again (families are rebuilt), in
 * one transaction. *articles (may be NULL) gets the count.
 * `progress` (may be NULL) is called now and then with the articles done so far. */
SL_API sl_error sl_store_reclean(sl_store *store, void (*progress)(void *user, long long done),
                                 void *user, long long *articles);

/* ------------------------------------------------------------------------------------ */
/* Syndication families                                                                   */
/* ------------------------------------------------------------------------------------ */

/* One article of a family, compared with the family's origin. */
typedef struct sl_family_member {
    const char *article;  /* article id */
    double jaccard;       /* Jaccard similarity of 5-word shingles with the origin */
    double containment;   /* shared shingles over the shorter text's */
    const char *relation; /* "origin", "copy" (J >= 0.8), "contained" (C >= 0.8), "rewrite" */
} sl_family_member;

/* Return non-zero to stop early. members[0] is the origin (the earliest dated member,
 * undated last; ties: the longest text). */
typedef int (*sl_family_fn)(void *user, const char *family, const sl_family_member *members,
                            size_t n);

/* Every family of two or more articles, in the order they were founded. */
SL_API sl_error sl_store_each_family(sl_store *store, sl_family_fn fn, void *user);

/* ------------------------------------------------------------------------------------ */
/* Events and storylines                                                                  */
/* ------------------------------------------------------------------------------------ */

/* One event: every article about one happening, families whole. Ids are stable: a later
 * batch adds events and articles to events, never renumbers. */
typedef struct sl_event {
    const char *id;          /* "E12" */
    const char *storyline;   /* "S3": the id of the storyline's first event, as S */
    const char *headline;    /* the title of its first article that has one; NULL if none */
    const char *date_first;  /* YYYY-MM-DD of its earliest and latest dated articles; */
    const char *date_last;   /* NULL when none is dated */
    const char *const *articles; /* article ids, dated first in date order */
    const char *const *sources;  /* the article's source, for each of articles[] */
    const char *const *dates;    /* its YYYY-MM-DD date or NULL, for each of articles[] */
    size_t n;
    /* The summary: 3-5 sentences chosen across the event's outlets for centrality and
     * coverage, in reading order (docs/present.md); none when no article has text. */
    const char *const *summary;
    size_t n_summary;
    /* The timeline: articles[] (and the arrays beside it) come by day, undated last, each
     * family's origin before its copies (docs/output.md says how); for each article its
     * family ("F3") or NULL, and its relation in it ("origin", "copy", "contained",
     * "rewrite") or NULL. */
    const char *const *families;
    const char *const *relations;
} sl_event;

/* Return non-zero to stop early. */
typedef int (*sl_event_fn)(void *user, const sl_event *event);

/* Every event, newest first (by its latest date; undated events last). */
SL_API sl_error sl_store_each_event(sl_store *store, sl_event_fn fn, void *user);

/* The event with this id ("E12", or "12") through fn; SL_ERR_NOT_FOUND if there is none. */
SL_API sl_error sl_store_get_event(sl_store *store, const char *id, sl_event_fn fn, void *user);

/* ------------------------------------------------------------------------------------ */
/* Facts: quotes with their speakers and variants, entities, amounts, dates               */
/* ------------------------------------------------------------------------------------ */

/* One wording of a quote as printed, with the articles that print it (earliest first). */
typedef struct sl_quote_variant {
    const char *text;
    const char *const *articles; /* article ids */
    const char *const *sources;  /* the source of each article */
    const char *const *dates;    /* its YYYY-MM-DD date or NULL, for each article */
    size_t n;
} sl_quote_variant;

/* One utterance of an event: the quotes of its articles that are one thing said (typos,
 * trimming, digit grouping aside). Ids ("Q7") are stable: a later batch keeps a quote's
 * id while one of its wordings is still printed. */
typedef struct sl_quote {
    const char *id;           /* "Q7" */
    const char *event;        /* "E12" */
    const char *text;         /* the canonical wording */
    const char *speaker;      /* NULL when unknown */
    const char *kind;         /* "speech" or "phrase" (scare quotes, a quoted title) */
    const sl_quote_variant *variants; /* earliest printed first */
    size_t n_variants;
} sl_quote;

typedef int (*sl_quote_fn)(void *user, const sl_quote *quote);

/* The quotes of event `event` ("E12"), or of every event when event is NULL, by id.
 * SL_ERR_NOT_FOUND when `event` names no event. */
SL_API sl_error sl_store_each_quote(sl_store *store, const char *event, sl_quote_fn fn,
                                    void *user);

/* One entity of an event, its mentions counted over the event's articles. */
typedef struct sl_entity {
    const char *name;  /* the fullest form */
    const char *type;  /* "person", "org" or "place" */
    long long count;
} sl_entity;

typedef int (*sl_entity_fn)(void *user, const sl_entity *entity);

/* The entities of event `event` ("E12"), most mentioned first. SL_ERR_NOT_FOUND when
 * there is no such event. */
SL_API sl_error sl_store_event_entities(sl_store *store, const char *event, sl_entity_fn fn,
                                        void *user);

/* One fact of an article. */
typedef struct sl_fact {
    const char *kind;    /* "quote", "entity", "amount" or "date" */
    const char *text;    /* the quoted words, the entity's name, the amount or date as
                            printed */
    const char *speaker; /* quote: its speaker, NULL when unknown */
    const char *type;    /* quote: "speech" or "phrase"; entity: "person", "org" or
                            "place"; amount: its unit (NULL when none); date: NULL */
    const char *date;    /* date: its ISO value ("2008", "2008-03", "2008-03-04") */
    double value;        /* amount: its value; entity: its mentions */
} sl_fact;

typedef int (*sl_fact_fn)(void *user, const sl_fact *fact);

/* The facts of article `id`: quotes, then entities, amounts and dates, each in the
 * article's order. SL_ERR_NOT_FOUND if there is no such article; none at all when its
 * facts were never extracted (stored before the facts stage: `storyline clean`). */
SL_API sl_error sl_store_article_facts(sl_store *store, const char *id, sl_fact_fn fn,
                                       void *user);

/* ------------------------------------------------------------------------------------ */
/* Output: the JSON shapes and CSV of docs/output.md, streamed to a writer                */
/* ------------------------------------------------------------------------------------ */

/* Receives output; return non-zero on failure (the call then stops with SL_ERR_WRITE). */
typedef int (*sl_write_fn)(void *user, const char *data, size_t len);

typedef enum sl_format {
    SL_FORMAT_JSON,  /* one JSON document: an array of objects */
    SL_FORMAT_JSONL, /* one JSON object per line */
    SL_FORMAT_CSV    /* RFC 4180, with a header row */
} sl_format;

/* All articles in `format`. `with` selects SL_WITH_TEXT / SL_WITH_RAW / SL_WITH_FACTS
 * fields (facts: JSON formats only). */
SL_API sl_error sl_write_articles(sl_store *store, sl_format format, unsigned with, sl_write_fn fn,
                           void *user);

/* Every family as the JSON array of family objects (docs/output.md). */
SL_API sl_error sl_write_families(sl_store *store, sl_write_fn fn, void *user);

/* The store's statistics (sl_store_stats) as one JSON object, with the last batch's
 * throughput. */
SL_API sl_error sl_write_stats(sl_store *store, sl_write_fn fn, void *user);
/* The same, and with `bytes` non-zero the store's bytes by group ("bytes_by_group": six
 * integers as sl_store_bytes; "bytes_per_article": each divided by the articles) and by
 * table ("bytes_by_table", biggest first), after the keys above: reads every page
 * (sl_store_bytes_by_group), so the HTTP API's /api/stats leaves them out. */
SL_API sl_error sl_write_stats_bytes(sl_store *store, int bytes, sl_write_fn fn, void *user);

/* Every event as the JSON array of event objects (docs/output.md), newest first. */
SL_API sl_error sl_write_events(sl_store *store, sl_write_fn fn, void *user);

/* One page of a list: items [offset, offset + limit) of the whole list, in its order. */
typedef struct sl_range {
    long long offset; /* items passed over (>= 0) */
    long long limit;  /* at most this many; <= 0: no limit */
    long long total;  /* out: the items in the whole list */
} sl_range;

typedef enum sl_list {
    SL_LIST_EVENTS,     /* as sl_write_events: newest first */
    SL_LIST_STORYLINES, /* as sl_write_storylines */
    SL_LIST_FAMILIES,   /* as sl_write_families */
    SL_LIST_QUOTES,     /* as sl_write_quotes (JSON) */
    SL_LIST_ARTICLES    /* as sl_write_articles (JSON, without text) */
} sl_list;

/* One page of a list as a JSON array of its objects (the shapes above); `range` may be
 * NULL (the whole list). `event` ("E12"): for SL_LIST_QUOTES, only that event's quotes
 * (SL_ERR_NOT_FOUND if there is no such event); NULL for every list otherwise. */
SL_API sl_error sl_write_list(sl_store *store, sl_list what, const char *event,
                              sl_range *range, sl_write_fn fn, void *user);

/* One storyline ("S3") as a storyline object with its timeline (docs/output.md), also
 * when it has a single event; SL_ERR_NOT_FOUND if absent. */
SL_API sl_error sl_write_storyline(sl_store *store, const char *id, sl_write_fn fn,
                                   void *user);

/* One hit of a full-text search. */
typedef struct sl_hit {
    const char *id, *title, *source, *date; /* the article's; title, date NULL if none */
    const char *event;   /* "E12", NULL if none */
    const char *snippet; /* a few words around the match, each matched word between
                            SL_MARK_START and SL_MARK_END */
    double rank;         /* bm25: lower is better */
} sl_hit;
#define SL_MARK_START "\x02"
#define SL_MARK_END "\x03"

typedef int (*sl_hit_fn)(void *user, const sl_hit *hit);

/* Articles whose title or cleaned text hold every word of `q`, best first (SQLite FTS5,
 * bm25). `q` is words: quotes, operators and other FTS5 syntax in it are taken as
 * words, never as syntax. A store of 1,000 texts or more leaves out its stop words (those
 * in more than half of its texts), in q too. SL_ERR_INVALID when q holds no word, or only
 * stop words; SL_ERR_UNSUPPORTED, with a message, when the store has no search index
 * (sl_store_has_search). range may be NULL. */
SL_API sl_error sl_store_search(sl_store *store, const char *q, sl_range *range,
                                sl_hit_fn fn, void *user);
/* The same as a JSON array of hit objects (docs/output.md). */
SL_API sl_error sl_write_search(sl_store *store, const char *q, sl_range *range,
                                sl_write_fn fn, void *user);

/* One event ("E12") as a JSON object; SL_ERR_NOT_FOUND if absent. */
SL_API sl_error sl_write_event(sl_store *store, const char *id, sl_write_fn fn, void *user);

/* Every storyline of two or more events as storyline objects (docs/output.md), newest
 * first. */
SL_API sl_error sl_write_storylines(sl_store *store, sl_write_fn fn, void *user);

/* One article as a JSON object (with its text and facts); SL_ERR_NOT_FOUND if absent. */
SL_API sl_error sl_write_article(sl_store *store, const char *id, sl_write_fn fn, void *user);

/* Every quote (of every event, by id) in `format`: the quote objects of docs/output.md
 * (JSON: one array; JSON Lines: one per line), with `kind`, variants earliest first, each
 * with its `articles`; or CSV with a header row: quote, event, speaker, kind, text,
 * variant, then the article printing it, its source and date: one row per article of
 * each variant. */
SL_API sl_error sl_write_quotes(sl_store *store, sl_format format, sl_write_fn fn, void *user);

/* ------------------------------------------------------------------------------------ */
/* One text, without a store: the per-article stages                                     */
/* ------------------------------------------------------------------------------------ */

/* What the per-article stages keep from one text to the next: the facts' gazetteer and
 * word list (read once from Debian's data files, docs/facts.md), a stemmer, scratch
 * buffers. Creating one reads those files (tens of milliseconds): make one and use it for
 * many texts, one handle per thread. These functions are what a batch does to each
 * article, as it does it, so that work can be spread over machines (docs/python.md);
 * they read no store, so the cleaning here has no repetition statistics (no per-site
 * templates: those need the store's other articles). Each writes one JSON object through
 * fn (compact, one line, no newline); strings in it are escaped JSON. */
typedef struct sl_text_tools sl_text_tools;
SL_API sl_error sl_text_tools_create(sl_text_tools **out);
SL_API void sl_text_tools_free(sl_text_tools *tools);

/* Every sl_write_text_* takes text a batch would take: UTF-8 (else SL_ERR_UTF8), no NUL
 * byte (else SL_ERR_BINARY), at most 64 MiB (else SL_ERR_TOO_BIG; the raw text of
 * sl_write_text_clean also at most 200,000 lines, as a batch's). */

/* Clean raw[0..len) (an article's text as ingested: lines separated by '\n'). `title`:
 * the input's own title, or NULL (or "") to find one in the text. Writes {"title", "date",
 * "byline", "credit" (each a string or null), "text" (the cleaned text), "lines" (the
 * non-blank raw lines), "kept" (those in the cleaned text)}. SL_ERR_UTF8 when raw is not
 * UTF-8. */
SL_API sl_error sl_write_text_clean(sl_text_tools *tools, const char *raw, size_t len,
                                    const char *title, sl_write_fn fn, void *user);

/* The cleaner's repetition statistics without a store: how many articles of each source
 * print each line (lines of 300 characters or fewer, once an article), and how many
 * sources print it, counted as a batch counts them. Workers that each count their shard,
 * write their counts and merge them, then clean every article against all of them
 * (sl_write_text_clean_counted), clean as one batch of every shard would. */
typedef struct sl_line_counts sl_line_counts;
SL_API sl_error sl_line_counts_create(sl_line_counts **out);
SL_API void sl_line_counts_free(sl_line_counts *counts);
/* Count the lines of one article's raw text, from `source` (NULL or "": "unknown"). */
SL_API sl_error sl_line_counts_add(sl_line_counts *counts, const char *source, const char *raw,
                                   size_t len);
/* The counts as one JSON object ({"sources": [[name, articles], ...], "pairs": [[line key
 * as 16 hex digits, source index, articles], ...]}), to send elsewhere. */
SL_API sl_error sl_line_counts_write(const sl_line_counts *counts, sl_write_fn fn, void *user);
/* One part of the counts, for a merge spread over many machines: the pairs of the lines
 * whose 64-bit hash modulo `parts` is `part` (every pair of a line falls in one part, so
 * each part is merged apart from the others), as sl_line_counts_write writes them. Part 0
 * names every source with its articles; another part names only the sources its pairs
 * name, with 0 articles: the parts merged count each article once. With `repeated`
 * nonzero, only the lines these counts find printed by enough articles, of every source
 * together, to change a cleaning (three: a template is a line of three articles of its
 * source at least, a common line one of four sources); a line printed by fewer cleans as
 * one counted nowhere. So each part merged from every
 * worker's and written again with `repeated`, and those merged, clean every article as all
 * the counts do, and hold only the lines printed more than twice. SL_ERR_INVALID for
 * parts 0 or part >= parts. */
SL_API sl_error sl_line_counts_write_part(const sl_line_counts *counts, unsigned part,
                                          unsigned parts, int repeated, sl_write_fn fn,
                                          void *user);

/* Lines printed once stay home: a first round finds the lines that enough articles print,
 * from each shard's distinct lines alone, and each shard then sends the counts of those
 * lines only. sl_line_counts_write_lines writes a part of the lines (as
 * sl_line_counts_write_part parts them) as a packed blob: each line's 32-bit key (its
 * hash's high bits) and its articles of every source together, capped at three, about 3
 * bytes a line. A tally (sl_line_tally) sums the blobs of one part from every shard, and
 * writes the keys of the lines three articles or more print, a blob of the same form;
 * those of every part added to one tally, sl_line_counts_write_kept writes a shard's
 * counts (as sl_line_counts_write does) of those lines only. Merged, and written again
 * with sl_line_counts_write_part(.., 0, 1, 1, ..), they are the counts the two-part merge
 * above gives: two lines whose keys agree are summed as one, so a line may be sent that
 * need not be, never one left out that changes a cleaning. SL_ERR_INVALID for a blob
 * that is not one (nothing of it is added). */
SL_API sl_error sl_line_counts_write_lines(const sl_line_counts *counts, unsigned part,
                                           unsigned parts, sl_write_fn fn, void *user);
typedef struct sl_line_tally sl_line_tally;
SL_API sl_error sl_line_tally_create(sl_line_tally **out);
SL_API void sl_line_tally_free(sl_line_tally *tally);
SL_API sl_error sl_line_tally_add(sl_line_tally *tally, const void *blob, size_t len);
SL_API sl_error sl_line_tally_write_repeated(const sl_line_tally *tally, sl_write_fn fn,
                                             void *user);
SL_API sl_error sl_line_counts_write_kept(const sl_line_counts *counts,
                                          const sl_line_tally *kept, sl_write_fn fn,
                                          void *user);
/* The dedup keys' shuffle across machines: the band and paragraph keys of every shard
 * (sl_write_text_sketch's) grouped by key, so that the articles that share one become
 * candidate pairs, as the dedup stage finds them in one store. A shard writes its rows
 * (key, the article's place in the shard, under 2^20) in `partitions` blobs (1 to 65,536;
 * a key goes to key modulo partitions): fn is called once for each partition that has
 * rows, in rising order, with the blob, borrowed for the call (nonzero from fn stops:
 * SL_ERR_WRITE). Keys are cut to their low `key_bits` bits (32 to 64; the store keeps 32,
 * which pair articles by chance at tens of millions; 48 pairs about 29,000 at 100 M), and
 * packed sorted and Rice-coded: 5.6 bytes a row at 20,000 articles a shard (48-bit keys),
 * where the key and a 20-bit place take 9 as whole bytes. A row given twice is sent once.
 * SL_ERR_INVALID for a place of 2^20 or more, key_bits or partitions out of range, no
 * fn, or no keys or places for n rows; SL_ERR_NOMEM. */
typedef int (*sl_key_blob_fn)(void *user, unsigned partition, const void *blob, size_t len);
SL_API sl_error sl_key_blobs_write(const unsigned long long *keys, const unsigned *places,
                                   size_t n, unsigned key_bits, unsigned partitions,
                                   sl_key_blob_fn fn, void *user);
/* A reducer of the shuffle: every shard's blobs of one partition added, each with its
 * shard's number (under 2^44), then written as the candidate pairs: for each key, its
 * articles (numbered shard << 20 | place) in rising order, each paired with the `window`
 * before it (1 to 65,536, else SL_ERR_INVALID: 64 gives each article the 64 articles of a
 * key that arrived just before it, as a batch of the dedup stage gives it those matched
 * just before it; 1 chains a key's articles, enough to join them in connected groups);
 * every pair once, the lower number first, in rising order, each as 16 bytes (the two
 * numbers as 64-bit little-endian integers). A blob that is not one, or of other key
 * bits than those before, is SL_ERR_INVALID and adds nothing (as does SL_ERR_NOMEM).
 * Writing sorts what was added (the handle stays usable: more may be added and written);
 * SL_ERR_NOMEM, or SL_ERR_WRITE when fn returns nonzero. */
typedef struct sl_key_pairs sl_key_pairs;
SL_API sl_error sl_key_pairs_create(sl_key_pairs **out, unsigned window);
SL_API void sl_key_pairs_free(sl_key_pairs *pairs);
SL_API sl_error sl_key_pairs_add(sl_key_pairs *pairs, unsigned long long shard,
                                 const void *blob, size_t len);
SL_API sl_error sl_key_pairs_write(sl_key_pairs *pairs, sl_write_fn fn, void *user);
/* Add counts another sl_line_counts_write wrote (counts of other articles). SL_ERR_JSON
 * for a document that is not one: nothing of it is counted. */
SL_API sl_error sl_line_counts_merge(sl_line_counts *counts, const char *data, size_t len);
/* sl_write_text_clean against counts, for an article of `source` (counted in them: else
 * SL_ERR_NOT_FOUND): lines repeated across its site's articles are templates, as in a
 * batch. */
SL_API sl_error sl_write_text_clean_counted(sl_text_tools *tools, const sl_line_counts *counts,
                                            const char *source, const char *raw, size_t len,
                                            const char *title, sl_write_fn fn, void *user);

/* A record of sl_read_records cleaned as the batch that stores it cleans it: against
 * counts (NULL: as the only article of its source; else the record's source must be
 * counted in them: SL_ERR_NOT_FOUND), with an HTML page's structure hints, and with the
 * date (the input's, else the text's, else the page's fetch date) and byline (the text's,
 * else the page's author) the store gives it. Writes sl_write_text_clean's object with
 * "id", "source" (as the store names it: "unknown" for none), "url" and "origin" ("path"
 * or "path:line") first. SL_ERR_INVALID for a blob that is not a whole record or whose
 * date is not ISO 8601, SL_ERR_UTF8 for fields that are not UTF-8; the text is checked as
 * sl_write_text_clean checks it. So workers clean an HTML page as the store does, which
 * its text alone does not allow. */
SL_API sl_error sl_write_record_clean(sl_text_tools *tools, const sl_line_counts *counts,
                                      const void *record, size_t len, sl_write_fn fn,
                                      void *user);
/* A record's fields as the batch would store them, before cleaning: {"id", "source",
 * "url", "date" (the input's, ISO 8601), "title" (the input's), "origin", "text_hash"
 * (16 hexadecimal digits: a 64-bit hash of the normalised raw text, by which a batch
 * finds a text present: the same id with the same text, or the same source with the
 * same text under another id)}; checked as sl_write_record_clean checks a record. */
SL_API sl_error sl_write_record_fields(sl_text_tools *tools, const void *record, size_t len,
                                       sl_write_fn fn, void *user);
/* Count the lines of a record's raw text under its source, as sl_line_counts_add does
 * (the record checked as sl_write_record_clean checks it). */
SL_API sl_error sl_line_counts_add_record(sl_line_counts *counts, const void *record,
                                          size_t len);

/* The dedup keys of a cleaned text[0..len): {"shingles": 5-word shingles counted,
 * "signature": its 128 MinHash values (integers), "bands": its 32 LSH band keys,
 * "paragraphs": the keys of its lines of ten words or more (at most 256)}. Keys are 64-bit
 * and written as 16 hexadecimal digits (JSON numbers lose bits past 2^53): two texts that
 * share a band key or a paragraph key are candidates for one family. */
SL_API sl_error sl_write_text_sketch(sl_text_tools *tools, const char *text, size_t len,
                                     sl_write_fn fn, void *user);

/* Two cleaned texts a[0..alen) and b[0..blen) compared as the dedup stage verifies a
 * candidate pair: their exact sets of 5-word shingles (normalised). Writes {"shingles",
 * "other_shingles" (each set's size), "jaccard" (shared over all), "containment" (shared
 * over the smaller set's), "match" (the pair passes the stage's verification: both of 5
 * shingles or more, and Jaccard 0.4 or containment 0.8 at least; whether one then joins
 * the other's family is the family rules' to say), "copy" (a match of Jaccard or
 * containment 0.8 at least, which may bridge two families)}: the same numbers and bars as
 * the stage's, so workers can verify candidates where the texts are. */
SL_API sl_error sl_write_text_compare(sl_text_tools *tools, const char *a, size_t alen,
                                      const char *b, size_t blen, sl_write_fn fn, void *user);

/* Families decided on a worker: a group of articles that pair only among themselves (a
 * connected group of candidate pairs, gathered in one place), matched as one batch of the
 * dedup stage matches them (in date order, each verified against the articles it is
 * paired with that were matched before it, on exact shingle sets, and joined by the
 * stage's own rules) and written as sl_write_families writes a store's (the origin
 * chosen by the same rules, each member compared with it), a family named "G" and its
 * first article's number. An article: `number` (under 2^62, each once) orders articles
 * of one date as their arrival does in a store (a lower number arrived first), its id,
 * its date (NULL or "": undated; as the store keeps it), its shingle count
 * (sl_write_text_sketch's "shingles": the origin's tie-break) and its cleaned text.
 * SL_ERR_INVALID for a number given twice or a pair of one article, SL_ERR_NOT_FOUND
 * for a pair naming an article not added, SL_ERR_UTF8 for text that is not.
 *
 * An article's candidates, and their order (of two equally good ones the first is
 * taken): when every article of the group was given its keys (sl_family_group_keys), as
 * a batch finds them: key by key in the article's order (its band keys, unless it has no
 * shingles, then its paragraph keys), under each key the articles matched before it
 * that hold the key, the last matched first, at most 64 a key; the pairs given are then
 * not read. Else (some article without keys: the keys given are not read) the articles
 * it is paired with that were matched before it, the last matched first, which may take
 * another of two equal candidates where their keys come in another order.
 * sl_family_group_keys: an added article's band keys (sl_write_text_sketch's "bands",
 * in order) and paragraph keys ("paragraphs"), each as the caller's shuffle keys them
 * (the same bits for every article, any width: the group mixes them before it indexes
 * them); at most once an article (SL_ERR_INVALID a second time), SL_ERR_NOT_FOUND for a
 * number not added, SL_ERR_TOO_BIG past 2^32 keys. */
typedef struct sl_family_group sl_family_group;
SL_API sl_error sl_family_group_create(sl_family_group **out);
SL_API void sl_family_group_free(sl_family_group *group);
SL_API sl_error sl_family_group_add(sl_family_group *group, unsigned long long number,
                                    const char *id, const char *date, long long shingles,
                                    const char *text, size_t len);
SL_API sl_error sl_family_group_pair(sl_family_group *group, unsigned long long a,
                                     unsigned long long b);
SL_API sl_error sl_family_group_keys(sl_family_group *group, unsigned long long number,
                                     const unsigned long long *bands, size_t nbands,
                                     const unsigned long long *paragraphs,
                                     size_t nparagraphs);
SL_API sl_error sl_family_group_write(sl_family_group *group, sl_write_fn fn, void *user);

/* The clustering features of a cleaned text[0..len) and its title (may be NULL):
 * {"title": [...], "body": [...], "names": [...], "details": [...], "quotes": [...]}, each
 * view a list of [term, weight] pairs, term as 16 hexadecimal digits (the hash of a
 * stem), weight 1 + ln(tf), heaviest first; the IDF is applied where the documents are
 * counted (the events stage). */
SL_API sl_error sl_write_text_features(sl_text_tools *tools, const char *title,
                                       const char *text, size_t len, sl_write_fn fn,
                                       void *user);

/* The facts of a cleaned text[0..len), its title (may be NULL; read before the text unless
 * in Title Case) and date ("YYYY-MM-DD", may be NULL: relative dates then stay
 * unresolved): the facts object of docs/output.md ({"quotes", "entities", "amounts",
 * "dates"}), as an article's `facts`. */
SL_API sl_error sl_write_text_facts(sl_text_tools *tools, const char *title, const char *text,
                                    size_t len, const char *date, sl_write_fn fn, void *user);

#ifdef __cplusplus
}
#endif
#endif /* STORYLINE_H */
