/* http.h — an HTTP response as a WARC response record holds it (internal): the head
 * (status, headers), and the body with its transfer and content codings undone. Every
 * size is capped: the head at HTTP_HEAD_MAX bytes, the decoded body at the caller's
 * buffer maximum. */
#ifndef SL_INGEST_HTTP_H
#define SL_INGEST_HTTP_H

#include <stddef.h>

#include "../core/buf.h"

#define HTTP_HEAD_MAX 65536 /* status line and headers */

typedef enum http_coding {
    HTTP_IDENTITY,
    HTTP_GZIP,
    HTTP_DEFLATE,
    HTTP_UNSUPPORTED /* br, zstd, compress, several codings ... */
} http_coding;

typedef struct http_head {
    int status;             /* 200, 404, ... */
    char content_type[256]; /* as given, "" when absent */
    int chunked;            /* Transfer-Encoding: chunked */
    http_coding coding;     /* Content-Encoding (and a transfer coding other than chunked) */
    char coding_name[32];   /* the coding as given, for messages */
    size_t head_len;        /* bytes of the head, its blank line included */
} http_head;

/* Parse the head at the start of p[0..n). SL_ERR_INVALID (*why) when there is no status
 * line, no end of the head within HTTP_HEAD_MAX bytes, or a malformed header line. */
sl_error sli_http_head_parse(const char *p, size_t n, http_head *h, const char **why);

/* Whether a Content-Type is HTML: text/html or application/xhtml+xml (any parameters,
 * any case). */
int sli_http_type_is_html(const char *content_type);

/* Whether bytes look like HTML when no type was given: after white space and a byte order
 * mark, "<!doctype html" or "<html" (any case), or a comment followed by one of them. */
int sli_http_sniff_html(const char *p, size_t n);

/* The body p[0..n) with its chunked transfer coding and its content coding undone.
 * *out and *out_n: the body (p itself when there was nothing to undo, else a or b's data).
 * a and b are scratch buffers with the caller's maximum: SL_ERR_TOO_BIG when the decoded
 * body is over it. SL_ERR_INVALID: bad chunked framing, corrupt or cut-short compressed
 * data; SL_ERR_UNSUPPORTED: a coding we do not undo. *why says what. SL_ERR_NOMEM. */
sl_error sli_http_body_decode(const http_head *h, const char *p, size_t n, buf *a, buf *b,
                              const char **out, size_t *out_n, const char **why);

#endif
