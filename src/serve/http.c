/* http.c — percent-decoding, query numbers, Accept-Encoding, If-None-Match, gzip. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "http.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t sli_http_unescape(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            if (n - i < 3)
                return (size_t)-1;
            int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0)
                return (size_t)-1;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (c == '\0')
            return (size_t)-1;
        out[o++] = c;
    }
    out[o] = '\0';
    return o;
}

int sli_http_number(const char *s, long long max, long long *out)
{
    if (!s || !*s)
        return -1;
    long long v = 0;
    int big = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        if (p - s >= 64) /* digits without end: not a number anyone means */
            return -1;
        if (!big && v > (max - (*p - '0')) / 10)
            big = 1;
        if (!big)
            v = v * 10 + (*p - '0');
    }
    *out = big ? max : v;
    return 0;
}

/* The next comma-separated item of h at *p: [start, end), trimmed; 0 at the end. */
static int next_item(const char **p, const char **start, const char **end)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t' || *s == ',')
        s++;
    if (!*s)
        return 0;
    const char *e = s;
    while (*e && *e != ',')
        e++;
    *p = e;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *start = s;
    *end = e;
    return 1;
}

static int ieq(const char *a, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    if (n != m)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != lit[i])
            return 0;
    }
    return 1;
}

/* Whether the parameters [s, e) of a coding (";q=0.5") leave it acceptable (q > 0). */
static int q_positive(const char *s, const char *e)
{
    while (s < e) {
        while (s < e && (*s == ';' || *s == ' ' || *s == '\t'))
            s++;
        if (e - s >= 2 && (s[0] == 'q' || s[0] == 'Q') && s[1] == '=') {
            s += 2;
            int nonzero = 0;
            for (; s < e && *s != ';'; s++)
                if (*s >= '1' && *s <= '9')
                    nonzero = 1;
            return nonzero;
        }
        while (s < e && *s != ';')
            s++;
    }
    return 1;
}

int sli_http_accepts_gzip(const char *accept)
{
    if (!accept)
        return 0;
    const char *p = accept, *s, *e;
    int gzip = -1, star = -1;
    while (next_item(&p, &s, &e)) {
        const char *n = s;
        while (n < e && *n != ';' && *n != ' ' && *n != '\t')
            n++;
        int ok = q_positive(n, e);
        if (ieq(s, (size_t)(n - s), "gzip") || ieq(s, (size_t)(n - s), "x-gzip"))
            gzip = ok;
        else if (ieq(s, (size_t)(n - s), "*"))
            star = ok;
    }
    return gzip >= 0 ? gzip : star > 0;
}

int sli_http_etag_match(const char *header, const char *etag)
{
    if (!header)
        return 0;
    size_t elen = strlen(etag);
    const char *p = header, *s, *e;
    while (next_item(&p, &s, &e)) {
        if (e - s == 1 && *s == '*')
            return 1;
        if (e - s >= 2 && s[0] == 'W' && s[1] == '/')
            s += 2;
        if ((size_t)(e - s) == elen && !memcmp(s, etag, elen))
            return 1;
    }
    return 0;
}

int sli_http_gzip(const void *data, size_t n, unsigned char **out, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    /* 15 + 16: a gzip wrapper; level 6, zlib's default (docs/serve.md). */
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    uLong cap = deflateBound(&z, (uLong)n);
    unsigned char *b = malloc(cap);
    if (!b) {
        deflateEnd(&z);
        return -1;
    }
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)n;
    z.next_out = b;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    size_t len = cap - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(b);
        return -1;
    }
    *out = b;
    *outlen = len;
    return 0;
}

int sli_http_plain_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 128 || s[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_'))
            return 0;
    }
    return 1;
}
