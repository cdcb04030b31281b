/* read_warc.c — WARC archives (.warc, .warc.gz): every response record with an HTML page
 * and status 200 goes through the HTML front end (read_html.c) as an article whose id is
 * its WARC-Target-URI; other records are counted in the batch summary and passed over;
 * broken ones are reported with their offset and the reader goes on at the next record.
 * Memory: the reader's fixed buffers and the biggest record kept (warc.h, http.h). */
#include "ingest.h"

#include <limits.h> /* PATH_MAX */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../text/date.h" /* sli_text_parse_iso_date */
#include "html.h"
#include "http.h"
#include "url.h"
#include "warc.h"

/* The most bytes of a response record's block kept in memory: the page limit, its HTTP
 * head, and room for chunked framing. A bigger HTML response is reported and skipped. */
#define WARC_KEEP_MAX (HTML_PAGE_MAX_BYTES + HTTP_HEAD_MAX + (HTML_PAGE_MAX_BYTES >> 4))
/* Other records are read into memory up to this size, so that a lying Content-Length can
 * be recovered from (the next records are looked for inside the block); bigger ones are
 * streamed past. */
#define WARC_KEEP_OTHER ((long long)1 << 20)
/* Progress is told every this many bytes of the file. */
#define WARC_PROGRESS_BYTES ((long long)4 << 20)

typedef struct warc_ctx {
    sl_batch *b;
    const char *path, *id_base, *source;
    warc_reader r;
    buf block, a, c; /* the record's block; scratch for decoding */
} warc_ctx;

/* Does the record's Content-Type name application/http (any case)? */
static int is_http_record(const char *ct)
{
    for (const char *p = ct; *p; p++)
        if (!strncasecmp(p, "application/http", 16))
            return 1;
    return 0;
}

/* Report a problem with the record at file offset `off` (said in the message too: the
 * command line shows offsets of a few kinds of report only). */
static void report_at(warc_ctx *x, sl_error code, long long off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static void report_at(warc_ctx *x, sl_error code, long long off, const char *fmt, ...)
{
    char detail[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    sli_ingest_report(x->b, code, x->path, 0, off, "byte %lld: %s", off, detail);
}

static int type_is(const warc_reader *r, const char *t)
{
    return !strcmp(r->type, t);
}

/* A response record, its block in ctx->block: an article, or counted, or reported. */
static sl_error response(warc_ctx *x)
{
    sl_batch *b = x->b;
    warc_reader *r = &x->r;
    /* The record's own Content-Type says what the block is: a response of another
     * protocol (dns:, ...) is not HTML. */
    if (r->content_type[0] && !is_http_record(r->content_type)) {
        b->sum.warc_not_html++;
        return SL_OK;
    }
    http_head h;
    const char *why;
    sl_error err = sli_http_head_parse(x->block.data ? x->block.data : "", x->block.len, &h, &why);
    if (err) {
        report_at(x, err, r->rec_off, "WARC response record: %s", why);
        return SL_OK;
    }
    if (h.status != 200) {
        b->sum.warc_not_ok++;
        return SL_OK;
    }
    if (h.content_type[0] && !sli_http_type_is_html(h.content_type)) {
        b->sum.warc_not_html++;
        return SL_OK;
    }
    if (r->uri_too_long) {
        report_at(x, SL_ERR_TOO_BIG, r->rec_off,
                          "WARC response record: WARC-Target-URI over %d bytes", WARC_URI_MAX);
        return SL_OK;
    }
    const char *body;
    size_t body_n;
    err = sli_http_body_decode(&h, x->block.data + h.head_len, x->block.len - h.head_len, &x->a,
                               &x->c, &body, &body_n, &why);
    if (err == SL_ERR_NOMEM)
        return err;
    if (err) {
        if (err == SL_ERR_TOO_BIG)
            report_at(x, err, r->rec_off,
                              "WARC response record: page over the limit of %zu bytes once "
                              "decoded: skipped", (size_t)HTML_PAGE_MAX_BYTES);
        else
            report_at(x, err, r->rec_off, "WARC response record: %s%s%s",
                              why, err == SL_ERR_UNSUPPORTED ? ": " : "",
                              err == SL_ERR_UNSUPPORTED ? h.coding_name : "");
        return SL_OK;
    }
    if (!h.content_type[0] && !sli_http_sniff_html(body, body_n)) {
        b->sum.warc_not_html++;
        return SL_OK;
    }
    /* The article's id is its target URI; a record without one gets the file's name and
     * the record's offset. */
    /* Built on the stack: the decoded body may live in x->a. (An id_base near PATH_MAX
     * loses its end, which only shortens an id no other record has.) */
    char fallback[PATH_MAX + 32];
    const char *id = r->uri.len ? r->uri.data : NULL;
    if (!id) {
        snprintf(fallback, sizeof fallback, "%s@%lld", x->id_base, r->rec_off);
        id = fallback;
    }
    char host[256];
    const char *source = r->uri.len && sli_ingest_url_host(r->uri.data, host, sizeof host)
                             ? host
                             : NULL;
    char date[32];
    const char *fetch =
        r->date[0] && sli_text_parse_iso_date(r->date, strlen(r->date), date) ? date : NULL;
    ingest_html page = {
        .path = x->path,
        .offset = r->rec_off,
        .id = id,
        .source = source,
        .fallback_source = x->source,
        .url = r->uri.len ? r->uri.data : NULL,
        .fetch_date = fetch,
        .content_type = h.content_type[0] ? h.content_type : NULL,
        .bytes = body,
        .n = body_n,
    };
    return sli_ingest_html(b, &page);
}

/* A response record too big to keep: its head tells whether it was a page. */
static sl_error big_response(warc_ctx *x)
{
    warc_reader *r = &x->r;
    sl_error err = sli_warc_read(r, &x->block, HTTP_HEAD_MAX);
    if (err)
        return err;
    http_head h;
    const char *why;
    if (sli_http_head_parse(x->block.data, x->block.len, &h, &why) == SL_OK &&
        (h.status != 200 || (h.content_type[0] && !sli_http_type_is_html(h.content_type)))) {
        if (h.status != 200)
            x->b->sum.warc_not_ok++;
        else
            x->b->sum.warc_not_html++;
        return SL_OK;
    }
    report_at(x, SL_ERR_TOO_BIG, r->rec_off,
                      "WARC response record of %lld bytes is over the page limit of %zu bytes: "
                      "skipped", r->length, (size_t)HTML_PAGE_MAX_BYTES);
    return SL_OK;
}

/* Report a problem the reader found. Only memory failures come back. */
static sl_error reader_problem(warc_ctx *x, sl_error err)
{
    if (err == SL_ERR_NOMEM)
        return err;
    report_at(x, err, x->r.msg_off, "%s", x->r.msg);
    return SL_OK;
}

static sl_error read_records(warc_ctx *x)
{
    sl_batch *b = x->b;
    warc_reader *r = &x->r;
    long long told = 0, counted = 0;
    while (!b->read_stopped) { /* sl_read_path's caller has what it wanted */
        long long now = sli_warc_consumed(r);
        b->sum.bytes += now - counted;
        counted = now;
        if (now - told >= WARC_PROGRESS_BYTES) {
            sli_ingest_progress(b, x->path, 1);
            told = now;
        }
        int got = 0;
        sl_error err = sli_warc_next(r, &got);
        if (err) {
            if ((err = reader_problem(x, err)))
                return err;
            continue;
        }
        if (!got)
            break;
        b->sum.warc_records++;
        sli_buf_clear(&x->block);
        int is_response = type_is(r, "response");
        int keep = is_response ? r->length <= (long long)WARC_KEEP_MAX
                               : r->length <= WARC_KEEP_OTHER;
        if (keep)
            err = sli_warc_read(r, &x->block, r->length);
        else if (is_response)
            err = big_response(x);
        if (!err)
            err = sli_warc_end(r, keep ? &x->block : NULL);
        if (err) {
            if ((err = reader_problem(x, err)))
                return err;
            continue;
        }
        if (!is_response) {
            b->sum.warc_not_response++;
            continue;
        }
        if (keep)
            err = response(x);
        if (err)
            return err;
    }
    return SL_OK;
}

sl_error sli_ingest_warc_stream(sl_batch *b, FILE *f, const char *path, const char *id_base,
                                const char *source)
{
    warc_ctx *x = calloc(1, sizeof *x);
    if (!x)
        return SL_ERR_NOMEM;
    x->b = b;
    x->path = path;
    x->id_base = id_base;
    x->source = source;
    sli_warc_init(&x->r, f);
    sli_buf_init(&x->block, WARC_KEEP_MAX);
    sli_buf_init(&x->a, HTML_PAGE_MAX_BYTES);
    sli_buf_init(&x->c, HTML_PAGE_MAX_BYTES);
    sl_error err = read_records(x);
    sli_buf_free(&x->block);
    sli_buf_free(&x->a);
    sli_buf_free(&x->c);
    sli_warc_free(&x->r);
    free(x);
    return err;
}

sl_error sli_ingest_warc_file(sl_batch *b, const char *path, const char *id_base,
                              const char *source)
{
    FILE *f;
    sl_error err = sli_ingest_open(b, path, &f);
    if (err || !f)
        return err; /* out of memory, or reported and skipped */
    b->sum.files++;
    long long before = b->sum.warc_records, reported = b->sum.skipped;
    err = sli_ingest_warc_stream(b, f, path, id_base, source);
    if (!err && b->sum.warc_records == before && b->sum.skipped == reported)
        sli_ingest_report(b, SL_ERR_EMPTY, path, 0, 0, "no WARC record in the file");
    fclose(f);
    sli_ingest_progress(b, path, 1);
    return err;
}
