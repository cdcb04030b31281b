/* http.c — HTTP response heads and bodies from WARC records (http.h). */
#include "http.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Does [s, e) equal word, ignoring case? */
static int token_is(const char *s, const char *e, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(e - s) == n && !strncasecmp(s, word, n);
}

static void trim(const char **s, const char **e)
{
    while (*s < *e && (**s == ' ' || **s == '\t'))
        (*s)++;
    while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
        (*e)--;
}

/* One coding named in a Content-Encoding or Transfer-Encoding list. */
static void add_coding(http_head *h, const char *s, const char *e, int transfer)
{
    trim(&s, &e);
    if (s == e || token_is(s, e, "identity") || token_is(s, e, "none"))
        return;
    if (transfer && token_is(s, e, "chunked")) {
        h->chunked = 1;
        return;
    }
    http_coding c = HTTP_UNSUPPORTED;
    if (token_is(s, e, "gzip") || token_is(s, e, "x-gzip"))
        c = HTTP_GZIP;
    else if (token_is(s, e, "deflate"))
        c = HTTP_DEFLATE;
    size_t n = (size_t)(e - s) < sizeof h->coding_name - 1 ? (size_t)(e - s)
                                                            : sizeof h->coding_name - 1;
    memcpy(h->coding_name, s, n);
    h->coding_name[n] = '\0';
    /* One coding is undone; two (gzip over gzip ...) are not. */
    h->coding = h->coding == HTTP_IDENTITY ? c : HTTP_UNSUPPORTED;
}

static void add_codings(http_head *h, const char *s, const char *e, int transfer)
{
    while (s < e) {
        const char *comma = memchr(s, ',', (size_t)(e - s));
        const char *end = comma ? comma : e;
        add_coding(h, s, end, transfer);
        s = comma ? comma + 1 : e;
    }
}

sl_error sli_http_head_parse(const char *p, size_t n, http_head *h, const char **why)
{
    memset(h, 0, sizeof *h);
    *why = NULL;
    size_t lim = n < HTTP_HEAD_MAX ? n : HTTP_HEAD_MAX;
    /* Status line: HTTP/x[.y] SP 3 digits. */
    if (lim < 12 || strncasecmp(p, "HTTP/", 5)) {
        *why = "the record holds no HTTP response (no status line)";
        return SL_ERR_INVALID;
    }
    size_t i = 5;
    while (i < lim && p[i] != ' ' && p[i] != '\n')
        i++;
    while (i < lim && p[i] == ' ')
        i++;
    if (i + 3 > lim || p[i] < '0' || p[i] > '9' || p[i + 1] < '0' || p[i + 1] > '9' ||
        p[i + 2] < '0' || p[i + 2] > '9') {
        *why = "bad HTTP status line";
        return SL_ERR_INVALID;
    }
    h->status = (p[i] - '0') * 100 + (p[i + 1] - '0') * 10 + (p[i + 2] - '0');
    const char *nl = memchr(p + i, '\n', lim - i);
    if (!nl) {
        *why = "HTTP head cut short";
        return SL_ERR_INVALID;
    }
    size_t at = (size_t)(nl - p) + 1;
    for (;;) {
        if (at >= lim) {
            if (lim == n) { /* the head ends with the record: no body */
                h->head_len = n;
                return SL_OK;
            }
            *why = "HTTP head too long";
            return SL_ERR_INVALID;
        }
        const char *s = p + at;
        const char *e = memchr(s, '\n', lim - at);
        if (!e) {
            if (lim == n) {
                e = p + n; /* a last header line without its end: accepted */
                at = n;
            } else {
                *why = "HTTP head too long";
                return SL_ERR_INVALID;
            }
        } else {
            at = (size_t)(e - p) + 1;
        }
        const char *le = e;
        if (le > s && le[-1] == '\r')
            le--;
        if (le == s) { /* the blank line */
            h->head_len = at;
            return SL_OK;
        }
        const char *colon = memchr(s, ':', (size_t)(le - s));
        if (!colon || *s == ' ' || *s == '\t')
            continue; /* junk or a folded line: nothing we need */
        const char *ns = s, *ne = colon, *vs = colon + 1, *ve = le;
        trim(&ns, &ne);
        trim(&vs, &ve);
        if (token_is(ns, ne, "Content-Type")) {
            if (!h->content_type[0]) {
                size_t k = (size_t)(ve - vs);
                if (k >= sizeof h->content_type)
                    k = sizeof h->content_type - 1;
                memcpy(h->content_type, vs, k);
                h->content_type[k] = '\0';
            }
        } else if (token_is(ns, ne, "Transfer-Encoding")) {
            add_codings(h, vs, ve, 1);
        } else if (token_is(ns, ne, "Content-Encoding")) {
            add_codings(h, vs, ve, 0);
        }
        if (at >= n && lim == n) {
            h->head_len = n;
            return SL_OK;
        }
    }
}

int sli_http_type_is_html(const char *ct)
{
    const char *s = ct, *e = strchr(ct, ';');
    if (!e)
        e = ct + strlen(ct);
    trim(&s, &e);
    return token_is(s, e, "text/html") || token_is(s, e, "application/xhtml+xml");
}

/* Is word (lower case) at p[0..n), ignoring case? */
static int at_word(const char *p, size_t n, const char *word)
{
    size_t k = strlen(word);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (lower((unsigned char)p[i]) != word[i])
            return 0;
    return 1;
}

int sli_http_sniff_html(const char *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && (unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbb &&
        (unsigned char)p[2] == 0xbf)
        i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    if (i >= n || p[i] != '<')
        return 0;
    size_t lim = n - i < 1024 ? n : i + 1024;
    for (size_t k = i; k < lim; k++)
        if (p[k] == '<' && (at_word(p + k, lim - k, "<html") ||
                            at_word(p + k, lim - k, "<!doctype html")))
            return 1;
    return 0;
}

/* Undo chunked framing: p[0..n) into out. */
static sl_error dechunk(const char *p, size_t n, buf *out, const char **why)
{
    sli_buf_clear(out);
    size_t i = 0;
    for (;;) {
        if (i >= n)
            return SL_OK; /* no last chunk: the data ended at a chunk's end, kept */
        size_t size = 0, digits = 0;
        while (i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
        while (i < n) {
            int c = lower((unsigned char)p[i]);
            int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (v < 0)
                break;
            if (++digits > 15) {
                *why = "bad chunked encoding (a chunk size is too long)";
                return SL_ERR_INVALID;
            }
            size = size * 16 + (size_t)v;
            i++;
        }
        if (!digits || (i < n && p[i] != ';' && p[i] != ' ' && p[i] != '\t' && p[i] != '\r' &&
                        p[i] != '\n')) {
            *why = "bad chunked encoding (no chunk size where one should be)";
            return SL_ERR_INVALID;
        }
        const char *eol = memchr(p + i, '\n', n - i);
        if (!eol) {
            *why = "chunked body cut short";
            return SL_ERR_INVALID;
        }
        i = (size_t)(eol - p) + 1;
        if (size == 0)
            return SL_OK; /* trailers, if any, are not needed */
        if (size > n - i) {
            *why = "chunked body cut short (a chunk runs past the end of the record)";
            return SL_ERR_INVALID;
        }
        sl_error err = sli_buf_append(out, p + i, size);
        if (err) {
            if (err == SL_ERR_TOO_BIG)
                *why = "decoded body over the page limit";
            return err;
        }
        i += size;
        if (i < n && p[i] == '\r')
            i++;
        if (i < n && p[i] != '\n') {
            *why = "bad chunked encoding (a chunk is longer than its size says)";
            return SL_ERR_INVALID;
        }
        i++;
    }
}

static sl_error inflate_to(const char *p, size_t n, int wbits, buf *out, const char **why,
                           int *bad_start)
{
    sli_buf_clear(out);
    *bad_start = 0;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, wbits) != Z_OK)
        return SL_ERR_NOMEM;
    unsigned char chunk[16384];
    size_t done = 0;
    sl_error err = SL_OK;
    for (;;) {
        size_t give = n - done > 1u << 30 ? 1u << 30 : n - done;
        z.next_in = (unsigned char *)(uintptr_t)(p + done);
        z.avail_in = (uInt)give;
        z.next_out = chunk;
        z.avail_out = sizeof chunk;
        int zr = inflate(&z, Z_NO_FLUSH);
        done += give - z.avail_in;
        size_t made = sizeof chunk - z.avail_out;
        if (made && (err = sli_buf_append(out, chunk, made)) != SL_OK) {
            if (err == SL_ERR_TOO_BIG)
                *why = "decoded body over the page limit";
            break;
        }
        if (zr == Z_STREAM_END)
            break;
        if (zr == Z_MEM_ERROR) {
            err = SL_ERR_NOMEM;
            break;
        }
        if (zr == Z_OK && (z.avail_out == 0 || done < n))
            continue;
        /* No more input where more is needed, or bad data. */
        *why = (zr == Z_OK || zr == Z_BUF_ERROR) && done == n ? "compressed body cut short"
                                                              : "corrupt compressed body";
        *bad_start = z.total_out == 0;
        err = SL_ERR_INVALID;
        break;
    }
    inflateEnd(&z);
    return err;
}

sl_error sli_http_body_decode(const http_head *h, const char *p, size_t n, buf *a, buf *b,
                              const char **out, size_t *out_n, const char **why)
{
    *why = NULL;
    *out = p;
    *out_n = n;
    if (h->coding == HTTP_UNSUPPORTED) {
        *why = "content encoding not supported";
        return SL_ERR_UNSUPPORTED;
    }
    if (h->chunked) {
        sl_error err = dechunk(p, n, a, why);
        if (err)
            return err;
        *out = a->data ? a->data : "";
        *out_n = a->len;
    }
    if (h->coding == HTTP_IDENTITY)
        return SL_OK;
    buf *dst = h->chunked ? b : a;
    int bad_start = 0;
    sl_error err = inflate_to(*out, *out_n, h->coding == HTTP_GZIP ? 16 + MAX_WBITS : MAX_WBITS,
                              dst, why, &bad_start);
    if (err == SL_ERR_INVALID && bad_start && h->coding == HTTP_DEFLATE) /* raw deflate */
        err = inflate_to(*out, *out_n, -MAX_WBITS, dst, why, &bad_start);
    if (err)
        return err;
    *out = dst->data ? dst->data : "";
    *out_n = dst->len;
    return SL_OK;
}
