/* batch.c — a batch of articles: one transaction, with validation and normalisation of
 * every record before it reaches the store. (Begun, committed and freed by the pipeline:
 * src/pipeline/batch.c.) */
#include "ingest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h> /* a record's other fields, checked */
#include <xxhash.h>         /* a reading batch knows ids and texts by their hashes */

#include "../core/utf8.h"       /* sli_utf8_invalid_at, sli_utf8_count */
#include "../text/date.h"       /* sli_text_parse_iso_date */
#include "../text/normalize.h"  /* sli_text_hash128 */

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The articles a slice beginning now takes (sl_ingest_options.slice_grow). */
static long long slice_size(const sl_batch *b)
{
    long long n = b->opt.slice_articles;
    if (n <= 0 || b->opt.slice_grow <= 0)
        return n;
    long long grown = (b->w.stored + b->sum.added) / b->opt.slice_grow;
    if (grown > SL_SLICE_GROWN_MAX)
        grown = SL_SLICE_GROWN_MAX;
    return grown > n ? grown : n;
}

sl_error sli_ingest_begin(sl_batch *b, sl_store *st, const sl_ingest_options *opts,
                          const ingest_lines *lines)
{
    b->st = st;
    b->lines = *lines;
    if (opts)
        b->opt = *opts;
    if (!b->opt.max_article_bytes)
        b->opt.max_article_bytes = INGEST_DEFAULT_MAX_ARTICLE;
    if (b->opt.max_article_bytes > INGEST_LIMIT_MAX_ARTICLE)
        b->opt.max_article_bytes = INGEST_LIMIT_MAX_ARTICLE; /* SQLite and the 11x below */
    clock_gettime(CLOCK_MONOTONIC, &b->t0);
    /* Normalised text is at most 11x the input (NFKC turns the 3 bytes of U+FDFA into 33),
     * the input itself bounded by max_article_bytes. */
    sli_buf_init(&b->norm, b->opt.max_article_bytes * 11);
    sli_buf_init(&b->origin, 8192);
    sli_buf_init(&b->record, BUF_UNLIMITED); /* the record read: its size is bounded there */
    if (!st) /* a reading batch: no writer, no slices; the ids and texts handed over */
        return sli_u64map_init(&b->read_ids, 1024) ? SL_ERR_NOMEM
               : sli_u64map_init_set(&b->read_texts, 1024);
    sl_error err = sli_store_writer_begin(st, &b->w, b->opt.exclusive);
    b->slice_size = slice_size(b);
    return err;
}

double sli_ingest_seconds(const sl_batch *b)
{
    return seconds_since(&b->t0);
}

void sli_ingest_end(sl_batch *b)
{
    sli_store_writer_end(&b->w); /* rolls back unless committed */
    sli_u64map_free(&b->read_ids);
    sli_u64map_free(&b->read_texts);
    sli_buf_free(&b->norm);
    sli_buf_free(&b->origin);
    sli_buf_free(&b->record);
}

void sli_ingest_report(sl_batch *b, sl_error code, const char *path, long line, long long offset,
                   const char *fmt, ...)
{
    if (b->read_stopped)
        return; /* what is read after a stop (the rest of a chunk) is not the caller's */
    b->sum.skipped++;
    if (!b->opt.on_report)
        return;
    char detail[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    sl_report r = {code, path, line, offset, detail};
    b->opt.on_report(b->opt.user, &r);
}

void sli_ingest_progress(sl_batch *b, const char *path, int force)
{
    if (!b->opt.on_progress)
        return;
    long long n = b->sum.added + b->sum.updated + b->sum.present + b->sum.skipped;
    if (!force && n % 64)
        return;
    sl_progress p = {n, b->sum.bytes, b->bytes_total, path, "reading", n, 0};
    b->opt.on_progress(b->opt.user, &p);
}

/* The file offset of byte k of the record's text, or -1 when offsets are unknown. A JSON
 * Lines record's text was decoded from the line, so the line's start is all we know. */
static long long at(const ingest_record *r, size_t k)
{
    if (r->offset < 0 || r->line)
        return r->offset;
    return r->offset + (long long)k;
}

/* Check that an optional metadata field is valid UTF-8 without NUL bytes. */
static int field_ok(const char *s)
{
    return !s || sli_utf8_invalid_at(s, strlen(s)) == strlen(s);
}

/* A reading batch's article (sl_read_path), after the checks a batch makes: handed over
 * unless a batch would find it present (the same id with the same normalised text, or the
 * same source with the same text under another id); the same id with another text is
 * handed over again, as a batch would update it. The batch's texts are known by a 64-bit
 * hash of their normalised form (in b->norm), ids by a hash of the id. */
static sl_error hand_over(sl_batch *b, const ingest_record *r, const char *path)
{
    if (b->record_fn) { /* every one: the batch that stores them decides what is present
                           against its store, as the batch reading the files would */
        sl_error err = sli_record_pack(r, &b->record);
        if (err) {
            b->state = BATCH_FAILED;
            return err;
        }
        b->sum.added++;
        if (b->record_fn(b->read_user, b->record.data, b->record.len))
            b->read_stopped = 1;
        sli_ingest_progress(b, path, 0);
        return SL_OK;
    }
    const char *source = r->source && *r->source ? r->source : "unknown";
    uint64_t text = XXH3_64bits(b->norm.data ? b->norm.data : "", b->norm.len);
    uint64_t id = XXH3_64bits(r->id, strlen(r->id));
    uint64_t in_source = text ^ XXH3_64bits_withSeed(source, strlen(source), 1);
    uint64_t *had = sli_u64map_get(&b->read_ids, id);
    if ((had && *had == text) || (!had && sli_u64map_has(&b->read_texts, in_source))) {
        b->sum.present++;
        sli_ingest_progress(b, path, 0);
        return SL_OK;
    }
    uint64_t *v;
    sl_error err = sli_u64map_put(&b->read_ids, id, &v, NULL);
    if (!err)
        *v = text;
    if (!err)
        err = sli_u64map_put(&b->read_texts, in_source, NULL, NULL);
    if (err) {
        b->state = BATCH_FAILED;
        return err;
    }
    if (had)
        b->sum.updated++;
    else
        b->sum.added++;
    sl_article_input in = {r->id, source, r->url, r->date, r->title && *r->title ? r->title : NULL,
                           r->text, r->text_len};
    if (b->read_fn(b->read_user, &in, sli_buf_str(&b->origin)))
        b->read_stopped = 1;
    sli_ingest_progress(b, path, 0);
    return SL_OK;
}

sl_error sli_ingest_put(sl_batch *b, const ingest_record *r)
{
    if (b->state != BATCH_OPEN)
        return SL_ERR_STATE;
    if (b->read_stopped)
        return SL_OK; /* the reader's caller has what it wanted */
    /* A full slice is committed when the next record comes (not after the last one
     * added), so that the batch's last slice is never an empty one. */
    if (b->slice_size > 0 && b->lines.slice &&
        b->sum.added + b->sum.updated - b->slice_from >= b->slice_size) {
        sl_error err = b->lines.slice(b->lines.user);
        if (err) {
            b->state = BATCH_FAILED;
            return err;
        }
        b->slice_size = slice_size(b);
    }
    const char *path = r->path ? r->path : r->id;
    size_t bad = sli_utf8_invalid_at(r->text, r->text_len);
    if (bad < r->text_len) {
        sli_ingest_report(b, SL_ERR_UTF8, path, r->line, at(r, bad),
                      "invalid UTF-8 (byte 0x%02x at byte %zu of the text)",
                      (unsigned char)r->text[bad], bad);
        return SL_OK;
    }
    const char *nul = memchr(r->text, '\0', r->text_len);
    if (nul) {
        sli_ingest_report(b, SL_ERR_BINARY, path, r->line, at(r, (size_t)(nul - r->text)),
                      "NUL byte in the text: binary data, not an article");
        return SL_OK;
    }
    if (!field_ok(r->id) || !field_ok(r->source) || !field_ok(r->url) || !field_ok(r->title) ||
        !field_ok(r->meta)) {
        sli_ingest_report(b, SL_ERR_UTF8, path, r->line, r->offset,
                      "invalid UTF-8 in id, source, url, title or another field");
        return SL_OK;
    }
    if (!r->id || !*r->id) {
        sli_ingest_report(b, SL_ERR_INVALID, path, r->line, r->offset, "article has no id");
        return SL_OK;
    }
    if (r->text_len > b->opt.max_article_bytes) {
        sli_ingest_report(b, SL_ERR_TOO_BIG, path, r->line, r->offset,
                      "article of %zu bytes is over the limit of %zu", r->text_len,
                      b->opt.max_article_bytes);
        return SL_OK;
    }

    sli_buf_clear(&b->norm);
    size_t lines = 0;
    sl_error err = b->lines.split(b->lines.user, r->text, r->text_len, &b->norm, &lines);
    if (!err && lines == 0) {
        sli_ingest_report(b, SL_ERR_EMPTY, path, r->line, r->offset, "no article text");
        return SL_OK;
    }
    if (err == SL_ERR_TOO_BIG) {
        sli_ingest_report(b, SL_ERR_TOO_BIG, path, r->line, r->offset, "article too big");
        return SL_OK;
    }
    if (!err && lines > INGEST_MAX_LINES) {
        /* Each line costs a few hundred bytes of bookkeeping while it is cleaned. */
        sli_ingest_report(b, SL_ERR_TOO_BIG, path, r->line, r->offset,
                      "article of %zu lines is over the limit of %d", lines,
                      INGEST_MAX_LINES);
        return SL_OK;
    }
    if (err) {
        b->state = BATCH_FAILED;
        return err;
    }

    sli_buf_clear(&b->origin);
    if (r->line)
        err = sli_buf_puts(&b->origin, path), err = err ? err : sli_buf_putc(&b->origin, ':');
    else
        err = sli_buf_puts(&b->origin, path);
    if (!err && r->line) {
        char num[24];
        snprintf(num, sizeof num, "%ld", r->line);
        err = sli_buf_puts(&b->origin, num);
    }
    if (err == SL_ERR_TOO_BIG)
        err = SL_OK; /* an absurdly long path: keep what fits */
    if (err) {
        b->state = BATCH_FAILED;
        return err;
    }

    if (b->read_fn || b->record_fn) /* a reading batch: no store */
        return hand_over(b, r, path);

    store_article a = {
        .id = r->id,
        .source = r->source && *r->source ? r->source : "unknown",
        .url = r->url,
        .date = r->date,
        /* Title, text, date and the rest are the cleaner's, at commit (the pipeline's):
         * until then the input's title stands in and the text is empty. */
        .title = r->title && *r->title ? r->title : NULL,
        .title_in = r->title && *r->title ? r->title : NULL,
        .date_in = r->date,
        .raw = r->text,
        .raw_len = r->text_len,
        .chars_raw = (long long)sli_utf8_count(r->text, r->text_len),
        .chars_clean = 0,
        .meta = r->meta,
        .origin = sli_buf_str(&b->origin),
        .page = r->page,
    };
    sli_text_hash128(sli_buf_str(&b->norm), b->norm.len, a.hash);
    store_outcome outcome;
    err = sli_store_writer_put(&b->w, &a, &outcome);
    /* Lines are counted for new articles only: an update would count its lines twice
     * (the old text's counts are not known any more) and turn them into a template. */
    if (!err && outcome == STORE_ADDED)
        err = b->lines.added(b->lines.user, b->st, a.source);
    if (err) {
        b->state = BATCH_FAILED;
        return err;
    }
    if (outcome == STORE_ADDED)
        b->sum.added++;
    else if (outcome == STORE_UPDATED)
        b->sum.updated++;
    else
        b->sum.present++;
    sli_ingest_progress(b, path, 0);
    return SL_OK;
}

sl_error sl_batch_add_article(sl_batch *b, const sl_article_input *in)
{
    if (!b || !in || !in->id || !in->text)
        return SL_ERR_INVALID;
    char date[32];
    const char *iso = NULL;
    if (in->date && sli_text_parse_iso_date(in->date, strlen(in->date), date))
        iso = date;
    size_t len = in->text_len ? in->text_len : strlen(in->text);
    ingest_record r = {
        .id = in->id,
        .source = in->source,
        .url = in->url,
        .date = iso,
        .title = in->title,
        .text = in->text,
        .text_len = len,
        .path = in->id,
        .offset = -1,
    };
    b->sum.bytes += (long long)len;
    return sli_ingest_put(b, &r);
}

sl_error sl_batch_add_record(sl_batch *b, const void *record, size_t len)
{
    if (!b || (!record && len))
        return SL_ERR_INVALID;
    if (b->state != BATCH_OPEN)
        return SL_ERR_STATE;
    ingest_record r;
    store_page page;
    const char *why;
    if (sli_record_unpack(record, len, &r, &page, &why)) {
        sli_ingest_report(b, SL_ERR_INVALID, "(record)", 0, -1,
                          "not a record sl_read_records wrote (%s)", why);
        return SL_OK;
    }
    /* What a reader makes sure of, made sure of again: the record may come from anywhere.
     * The text's own checks are sli_ingest_put's. */
    char date[32];
    json_object *meta = NULL;
    const char *bad = sli_record_check(&r, &page, date, &meta);
    sl_error err = SL_OK;
    if (bad)
        sli_ingest_report(b, SL_ERR_INVALID, r.path, r.line, r.offset, "record: %s", bad);
    else {
        b->sum.bytes += (long long)r.text_len;
        err = sli_ingest_put(b, &r);
    }
    json_object_put(meta);
    return err;
}

void sl_batch_peek(const sl_batch *b, sl_batch_summary *sum)
{
    if (!b || !sum)
        return;
    *sum = b->sum;
    sum->seconds = seconds_since(&b->t0);
}
