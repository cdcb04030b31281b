/* ingest.h — the ingest stage (internal): readers turn inputs into records, the batch
 * validates, normalises and stores them; cleaning follows at commit.
 *
 * Ingest knows no later stage: what a batch needs of the cleaner while it stores (the
 * text's lines, their repetition counted) comes through ingest_lines, which the pipeline
 * (src/pipeline) supplies; the pipeline also begins, commits and frees the batch.
 *
 * Readers never stop a batch for a bad input: they report it (file and position) through
 * sli_ingest_report(), which counts it as skipped, and go on. Only failures of memory or of
 * the store come back as errors. */
#ifndef SL_INGEST_H
#define SL_INGEST_H

#include <stddef.h>
#include <stdio.h> /* FILE */
#include <time.h>

#include "../core/buf.h"
#include "../core/u64map.h"
#include "../store/store.h"
#include "html_hint.h" /* the DOM hint per line of an HTML page, which the cleaner reads */

#define INGEST_DEFAULT_MAX_ARTICLE ((size_t)64 << 20)
#define INGEST_LIMIT_MAX_ARTICLE ((size_t)256 << 20) /* the most a caller may ask for */
#define INGEST_MAX_LINES 200000

/* One article as a reader found it. Strings are borrowed from the reader. */
typedef struct ingest_record {
    const char *id;
    const char *source;
    const char *url;   /* may be NULL */
    const char *date;  /* ISO 8601 or NULL */
    const char *title; /* may be NULL: then guessed from the text */
    const char *text;
    size_t text_len;
    const char *meta;  /* JSON object of unknown fields, or NULL */
    const char *path;  /* the input file, for reports */
    long line;         /* 1-based line in a JSON Lines file, else 0 */
    long long offset;  /* byte offset of the record (or of the text) in the file */
    const store_page *page; /* an HTML page's hints and metadata, or NULL */
} ingest_record;

/* What a batch asks of the stage that splits text into lines (the cleaner), given by the
 * pipeline. */
typedef struct ingest_lines {
    /* Split text into lines, appending its normalised form to norm; *lines: how many.
     * SL_ERR_TOO_BIG: the text is too big to split. */
    sl_error (*split)(void *user, const char *text, size_t len, buf *norm, size_t *lines);
    /* The text split last is a new article of `source`: count its lines. */
    sl_error (*added)(void *user, sl_store *st, const char *source);
    /* The batch holds slice_size articles added or updated since its slice began
     * (slice_from): run the commit's stages, commit, begin the next slice and set
     * slice_from. May be NULL: then the batch is never sliced. */
    sl_error (*slice)(void *user);
    void *user;
} ingest_lines;

typedef enum batch_state { BATCH_OPEN, BATCH_COMMITTED, BATCH_FAILED } batch_state;

struct sl_batch {
    sl_store *st;
    store_writer w;
    sl_ingest_options opt;
    sl_batch_summary sum;
    struct timespec t0;
    batch_state state;
    long long bytes_total;
    buf norm, origin;       /* reused for every record */
    ingest_lines lines;     /* the text's lines, and their repetition counted */
    long long slice_from;   /* sum.added + sum.updated when the current slice began */
    long long slice_size;   /* articles the current slice takes (opt.slice_grow) */
    /* sl_read_path: no store; each article that passes the checks goes to read_fn */
    sl_read_fn read_fn;
    sl_record_fn record_fn; /* or sl_read_records: each one packed (below, "Records") */
    void *read_user;
    buf record;             /* the record packed for record_fn */
    int read_stopped;       /* read_fn asked to stop: readers read no further */
    u64map read_ids;        /* hash of an id handed over -> hash of its normalised text */
    u64map read_texts;      /* hashes of (source, normalised text) handed over */
};

/* Set up the ingest part of a batch the caller allocated (zeroed): options, buffers and
 * the store's writer (the batch's transaction; none when st is NULL: a reading batch,
 * b->read_fn set, sl_read_path). On error, sli_ingest_end() cleans up. */
sl_error sli_ingest_begin(sl_batch *b, sl_store *st, const sl_ingest_options *opts,
                          const ingest_lines *lines);
/* Seconds since sli_ingest_begin. */
double sli_ingest_seconds(const sl_batch *b);
/* Roll the writer back unless committed, and free the ingest part (not b itself). */
void sli_ingest_end(sl_batch *b);

/* Report a problem with an input and count it as skipped. `line` 0 and `offset` -1 when
 * they do not apply. */
void sli_ingest_report(sl_batch *b, sl_error code, const char *path, long line, long long offset,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Tell the progress callback how far the batch is (throttled unless `force`). */
void sli_ingest_progress(sl_batch *b, const char *path, int force);

/* Validate, normalise and store one record. Bad records are reported and return
 * SL_OK; the error return is for memory and store failures only. */
sl_error sli_ingest_put(sl_batch *b, const ingest_record *r);

/* Open a file to read without ever blocking on it (O_NONBLOCK, then fstat): a FIFO,
 * socket, device or directory found in its place is reported and refused. *out is NULL
 * when reported (the input is skipped); SL_ERR_NOMEM fails the batch. */
sl_error sli_ingest_open(sl_batch *b, const char *path, FILE **out);

/* Readers. `id_base` is the id of a text file and the prefix of a JSON Lines line's
 * fallback id ("<id_base>:<line>"); `source` is the fallback source (the parent folder's
 * name). `size` is the file's size when known, for progress. */
sl_error sli_ingest_text_file(sl_batch *b, const char *path, const char *id_base,
                          const char *source);
sl_error sli_ingest_jsonl_file(sl_batch *b, const char *path, const char *id_base,
                           const char *source);

/* Read JSON Lines from an open stream (used by the file reader and the fuzzer). */
sl_error sli_ingest_jsonl_stream(sl_batch *b, FILE *f, const char *path, const char *id_base,
                             const char *source);

/* Parse the plain-text form held in memory (used by the file reader and the fuzzer). */
sl_error sli_ingest_text_buffer(sl_batch *b, const char *path, const char *id,
                            const char *source, const char *data, size_t n);
/* Parse one JSON Lines line held in memory. */
sl_error sli_ingest_jsonl_line(sl_batch *b, const char *path, const char *id_base,
                           const char *source, long line, long long offset, const char *data,
                           size_t n);

/* --- HTML and WARC (read_html.c, read_warc.c) --- */

/* One HTML page found by a reader (a .html file, a JSON Lines record's `html` field, a
 * WARC response record). Strings are borrowed. */
typedef struct ingest_html {
    const char *path;         /* the input file, for reports */
    long line;                /* JSON Lines line, else 0 */
    long long offset;         /* byte offset of the record in the file, or -1 */
    const char *id;           /* the article's id (URL, JSON id, or path) */
    const char *source;       /* given source (JSON `source`) or NULL */
    const char *fallback_source; /* the parent folder's name, when nothing better */
    const char *url;          /* target URI / JSON url, or NULL */
    const char *date;         /* a date the input gave (JSON), ISO, or NULL */
    const char *fetch_date;   /* WARC-Date, ISO, or NULL: the date when the page has none */
    const char *title;        /* a title the input gave (JSON), or NULL */
    const char *content_type; /* HTTP Content-Type, or NULL */
    const char *meta;         /* JSON object of the input's unknown fields, or NULL */
    const char *bytes;        /* the page as fetched (after transfer decoding) */
    size_t n;
} ingest_html;

/* Read one page (html.h) and put it as a record; a page that is not text or has no
 * visible text is reported (path and offset/line) and skipped. Errors: memory, store. */
sl_error sli_ingest_html(sl_batch *b, const ingest_html *h);

/* .html, .htm, .html.gz, .htm.gz files (read_html.c). */
sl_error sli_ingest_html_file(sl_batch *b, const char *path, const char *id_base,
                              const char *source);

/* .warc and .warc.gz files (read_warc.c): every response record with an HTML payload
 * goes through sli_ingest_html; other records are counted and skipped. */
sl_error sli_ingest_warc_file(sl_batch *b, const char *path, const char *id_base,
                              const char *source);
/* Read WARC records from an open stream (used by the file reader and the fuzzer). */
sl_error sli_ingest_warc_stream(sl_batch *b, FILE *f, const char *path, const char *id_base,
                                const char *source);

/* Records: an article as read, packed into one blob and read back (record.c).
 *
 * A reader on one machine and the batch that stores it on another (docs/scale.md): the
 * blob holds everything sli_ingest_put is given (the fields, the input's other fields as
 * JSON, the file, line and offset it was read at, an HTML page's hints and metadata), so
 * that the batch stores the article as the batch that read it would have.
 *
 * Layout: "SLR1"; a varint of flags (1: a page follows); the strings id, source, url,
 * date, title, text, meta and path, each a varint of its length + 1 (0: NULL) and that
 * many bytes and a NUL; the line (varint) and the offset + 1 (varint; 0: none); with a
 * page, its hints (a varint count and the bytes), then charset, the value and `from` of
 * title, date, author, site_name, canonical, lang and description, and fetch_date, as
 * strings. Nothing may follow. The reader trusts nothing in it: every length is checked
 * against the blob, every string must end at its NUL and hold no other (the text may:
 * the batch reports it), id, text and path must be there, each hint must name a region
 * the cleaner knows. What the fields say (UTF-8, a date, the other fields as a JSON
 * object) sl_batch_add_record checks, as a reader checks its input. */

/* r (and its page, when it has one) packed into out, which is cleared first. */
sl_error sli_record_pack(const ingest_record *r, buf *out);

/* The record in data[0..len) into *r (its page into *page, r->page pointing at it, when
 * it has one): the strings point into data, which must outlive them. SL_ERR_INVALID when
 * it is not a whole record (*why says what, a static text). */
sl_error sli_record_unpack(const void *data, size_t len, ingest_record *r, store_page *page,
                           const char **why);

/* What a reader makes sure of, checked again in an unpacked record (it may come from
 * anywhere): its date ISO 8601 (r->date then points at date[], normalised), its path and
 * page's fields UTF-8, its other fields a JSON object (r->meta then written again as a
 * reader writes it, held by *meta: json_object_put it after). NULL, or what is wrong (a
 * static text). The text's and the fields' own checks are sli_ingest_put's. */
struct json_object;
const char *sli_record_check(ingest_record *r, const store_page *page, char date[32],
                             struct json_object **meta);

#endif
