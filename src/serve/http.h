/* http.h — the small pieces of HTTP the server needs, kept apart from the daemon so that
 * they can be tested alone (internal, serve): percent-decoding, numbers in a query, the
 * Accept-Encoding and If-None-Match headers, gzip. */
#ifndef SL_SERVE_HTTP_H
#define SL_SERVE_HTTP_H

#include <stddef.h>

/* Percent-decode s[0..n) into out (room for n + 1 bytes), NUL-terminated. Returns the
 * decoded length, or (size_t)-1 when a '%' is not followed by two hex digits or the
 * result holds a NUL byte. */
size_t sli_http_unescape(const char *s, size_t n, char *out);

/* A decimal number in [0, max]: 0 and *out set; -1 for anything else (empty, sign,
 * letters, overflow). Larger than max but well formed: *out = max (clamped), 0. */
int sli_http_number(const char *s, long long max, long long *out);

/* Whether an Accept-Encoding header (NULL: absent) lets us send gzip. */
int sli_http_accepts_gzip(const char *accept);

/* Whether an If-None-Match header (NULL: absent) names `etag` ("\"...\"") or is "*". A
 * weak tag (W/"...") matches as well (RFC 9110: If-None-Match compares weakly). */
int sli_http_etag_match(const char *header, const char *etag);

/* gzip of data[0..n) into a malloc'd buffer (*out, *outlen); 0 on success. */
int sli_http_gzip(const void *data, size_t n, unsigned char **out, size_t *outlen);

/* Whether a decoded path segment is a plain file name: letters, digits, '.', '-', '_',
 * not starting with '.', 1 to 128 bytes. */
int sli_http_plain_name(const char *s);

#endif
