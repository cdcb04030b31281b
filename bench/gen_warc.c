/* gen_warc — write a WARC archive for tests and benchmarks: the HTML pages given (.html or
 * .html.gz files) and generated news articles (corpus.h) as response records, mixed with
 * the other records a crawl holds (warcinfo, request, metadata, revisit, non-HTML and 404
 * responses) and with chunked, gzip and deflate encoded bodies.
 *
 *   gen_warc [--gzip none|record|file] [--records N] [--size BYTES] [--seed S]
 *            [--level L] [--plain-bodies] [--base URL] -o OUT [PAGE.html[.gz] ...]
 *
 * --records N: response records with HTML in all (given pages first, then generated ones;
 *   default: the pages given, or 1000 when none); --size BYTES: go on until OUT is at
 *   least this big (overrides --records); --gzip record: one gzip member per record (as
 *   crawlers write), file: one member for the whole file; --plain-bodies: no chunked or
 *   encoded bodies and no extra records (pages only, for comparisons). A page given as
 *   DIR/NAME.html[.gz] gets the target URI BASE + NAME.html (BASE defaults to
 *   https://files.example/). Prints how many records of each kind it wrote. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "corpus.h"

typedef struct out {
    FILE *f;
    int mode; /* 0 none, 1 record, 2 file */
    int level;
    z_stream z; /* whole-file gzip */
    unsigned long long bytes;
} out;

typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static void sb_put(sbuf *b, const void *p, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *q = realloc(b->p, cap);
        if (!q) {
            fputs("gen_warc: out of memory\n", stderr);
            exit(1);
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_printf(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
#include <stdarg.h>
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    sb_put(b, tmp, n < 0 ? 0 : (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Compress p[0..n) as one gzip member (wbits 16+15) or a zlib stream (15) into dst. */
static void zip(sbuf *dst, const char *p, size_t n, int wbits, int level)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, level, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        exit(1);
    dst->n = 0;
    size_t bound = deflateBound(&z, (uLong)n) + 64;
    sb_put(dst, "", 0);
    if (dst->cap < bound + 1) {
        char *q = realloc(dst->p, bound + 1);
        if (!q)
            exit(1);
        dst->p = q;
        dst->cap = bound + 1;
    }
    z.next_in = (unsigned char *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    z.next_out = (unsigned char *)dst->p;
    z.avail_out = (uInt)bound;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        exit(1);
    dst->n = bound - z.avail_out;
    deflateEnd(&z);
}

static void emit(out *o, const char *p, size_t n)
{
    static sbuf gz;
    if (o->mode == 0) {
        fwrite(p, 1, n, o->f);
        o->bytes += n;
    } else if (o->mode == 1) {
        zip(&gz, p, n, 16 + MAX_WBITS, o->level);
        fwrite(gz.p, 1, gz.n, o->f);
        o->bytes += gz.n;
    } else {
        unsigned char chunk[65536];
        o->z.next_in = (unsigned char *)(uintptr_t)p;
        o->z.avail_in = (uInt)n;
        do {
            o->z.next_out = chunk;
            o->z.avail_out = sizeof chunk;
            deflate(&o->z, Z_NO_FLUSH);
            size_t made = sizeof chunk - o->z.avail_out;
            fwrite(chunk, 1, made, o->f);
            o->bytes += made;
        } while (o->z.avail_in || o->z.avail_out == 0);
    }
}

static unsigned long long n_records;

static void record(out *o, const char *type, const char *uri, const char *date,
                   const char *ctype, const char *block, size_t n)
{
    static sbuf r;
    static unsigned long long id;
    r.n = 0;
    sb_printf(&r, "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-%012llx>\r\n",
              type, ++id);
    if (uri)
        sb_printf(&r, "WARC-Target-URI: %s\r\n", uri);
    sb_printf(&r, "WARC-Date: %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n", date,
              ctype, n);
    sb_put(&r, block, n);
    sb_puts(&r, "\r\n\r\n");
    emit(o, r.p, r.n);
    n_records++;
}

/* A response: the HTTP head and the body, chunked and/or compressed as asked. */
static void response(out *o, const char *uri, const char *date, int status, const char *ctype,
                     const char *body, size_t n, int chunked, int coding)
{
    static sbuf blk, enc, ch;
    const char *p = body;
    size_t pn = n;
    if (coding) {
        zip(&enc, body, n, coding == 1 ? 16 + MAX_WBITS : MAX_WBITS, 6);
        p = enc.p;
        pn = enc.n;
    }
    if (chunked) {
        ch.n = 0;
        for (size_t i = 0; i < pn; i += 1500) {
            size_t k = pn - i < 1500 ? pn - i : 1500;
            sb_printf(&ch, "%zx\r\n", k);
            sb_put(&ch, p + i, k);
            sb_puts(&ch, "\r\n");
        }
        sb_puts(&ch, "0\r\n\r\n");
        p = ch.p;
        pn = ch.n;
    }
    blk.n = 0;
    sb_printf(&blk, "HTTP/1.1 %d %s\r\nServer: gen\r\nContent-Type: %s\r\n", status,
              status == 200 ? "OK" : "Not Found", ctype);
    if (chunked)
        sb_puts(&blk, "Transfer-Encoding: chunked\r\n");
    else
        sb_printf(&blk, "Content-Length: %zu\r\n", pn);
    if (coding)
        sb_printf(&blk, "Content-Encoding: %s\r\n", coding == 1 ? "gzip" : "deflate");
    sb_puts(&blk, "\r\n");
    sb_put(&blk, p, pn);
    record(o, "response", uri, date, "application/http; msgtype=response", blk.p, blk.n);
}

static void html_escape(sbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '<')
            sb_puts(b, "&lt;");
        else if (c == '>')
            sb_puts(b, "&gt;");
        else if (c == '&')
            sb_puts(b, "&amp;");
        else
            sb_put(b, &c, 1);
    }
}

/* A generated article as a news page: navigation, the article's paragraphs, a footer. */
static void article_html(sbuf *b, const corpus_article *a)
{
    b->n = 0;
    sb_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
    html_escape(b, a->title, strlen(a->title));
    sb_printf(b, " | %s</title>\n<meta property=\"article:published_time\" content=\"%sT08:00:00Z\">"
                 "</head>\n<body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> "
                 "<a href=\"/business\">Business</a></nav>\n<article><h1>",
              a->source, a->date);
    html_escape(b, a->title, strlen(a->title));
    sb_puts(b, "</h1>\n");
    const char *s = a->text, *e = a->text + a->text_len;
    while (s < e) {
        const char *q = strstr(s, "\n\n");
        if (!q || q > e)
            q = e;
        if (q > s) {
            sb_puts(b, "<p>");
            html_escape(b, s, (size_t)(q - s));
            sb_puts(b, "</p>\n");
        }
        s = q + (q < e ? 2 : 0);
    }
    sb_printf(b, "</article>\n<footer>Copyright 2024 %s. All rights reserved.</footer>"
                 "</body></html>\n", a->source);
}

static int read_page(const char *path, sbuf *b)
{
    gzFile g = gzopen(path, "rb");
    if (!g)
        return -1;
    b->n = 0;
    char chunk[65536];
    int got;
    while ((got = gzread(g, chunk, sizeof chunk)) > 0)
        sb_put(b, chunk, (size_t)got);
    gzclose(g);
    return got < 0 ? -1 : 0;
}

static int usage(void)
{
    fputs("usage: gen_warc [--gzip none|record|file] [--records N] [--size BYTES] [--seed S]"
          " [--level L] [--plain-bodies] [--base URL] -o OUT [PAGE.html[.gz] ...]\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    unsigned long long want = 0, size = 0, seed = 1;
    int level = 6, plain = 0, mode = -1;
    const char *path = NULL, *base = "https://files.example/";
    int first_page = argc;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--records") && i + 1 < argc)
            want = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--size") && i + 1 < argc)
            size = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--level") && i + 1 < argc)
            level = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--base") && i + 1 < argc)
            base = argv[++i];
        else if (!strcmp(argv[i], "--plain-bodies"))
            plain = 1;
        else if (!strcmp(argv[i], "--gzip") && i + 1 < argc) {
            i++;
            mode = !strcmp(argv[i], "none") ? 0 : !strcmp(argv[i], "record") ? 1
                 : !strcmp(argv[i], "file") ? 2 : -2;
            if (mode == -2)
                return usage();
        } else if (!strcmp(argv[i], "-o") && i + 1 < argc)
            path = argv[++i];
        else if (argv[i][0] == '-')
            return usage();
        else {
            first_page = i;
            break;
        }
    }
    if (!path)
        return usage();
    size_t plen = strlen(path);
    if (mode < 0) /* by the name: .warc.gz is one member per record */
        mode = plen > 3 && !strcmp(path + plen - 3, ".gz") ? 1 : 0;
    int pages = argc - first_page;
    if (!want && !size)
        want = pages ? (unsigned long long)pages : 1000;
    out o = {.mode = mode, .level = level};
    o.f = fopen(path, "wb");
    if (!o.f) {
        fprintf(stderr, "gen_warc: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (mode == 2 && deflateInit2(&o.z, level, Z_DEFLATED, 16 + MAX_WBITS, 8,
                                  Z_DEFAULT_STRATEGY) != Z_OK)
        return 1;
    const char *info = "software: gen_warc\r\nformat: WARC File Format 1.0\r\n";
    record(&o, "warcinfo", NULL, "2024-01-01T00:00:00Z", "application/warc-fields", info,
           strlen(info));
    corpus *c = corpus_create(seed, 3000);
    if (!c)
        return 1;
    sbuf page = {0}, uri = {0}, tmp = {0};
    unsigned long long k = 0, html = 0, other = 0, notfound = 0, nonhtml = 0;
    for (;; k++) {
        if (size ? o.bytes >= size : k >= want)
            break;
        char date[32];
        uri.n = 0;
        if ((int)k < pages) {
            const char *p = argv[first_page + k];
            if (read_page(p, &page)) {
                fprintf(stderr, "gen_warc: cannot read %s\n", p);
                return 1;
            }
            const char *name = strrchr(p, '/');
            name = name ? name + 1 : p;
            size_t nl = strlen(name);
            if (nl > 3 && !strcmp(name + nl - 3, ".gz"))
                nl -= 3;
            sb_puts(&uri, base);
            sb_put(&uri, name, nl);
            snprintf(date, sizeof date, "2024-03-%02lluT12:00:00Z", 1 + k % 28);
        } else {
            corpus_article a;
            corpus_article_n(c, k, &a);
            article_html(&page, &a);
            sb_printf(&uri, "https://www.%s/%.4s/%.2s/%.2s/story-%llu.html", a.source, a.date,
                      a.date + 5, a.date + 8, k);
            snprintf(date, sizeof date, "%sT12:00:00Z", a.date);
        }
        if (!plain) {
            tmp.n = 0;
            sb_printf(&tmp, "GET %s HTTP/1.1\r\nUser-Agent: gen_warc\r\n\r\n", uri.p);
            record(&o, "request", uri.p, date, "application/http; msgtype=request", tmp.p,
                   tmp.n);
            other++;
        }
        int chunked = !plain && k % 4 == 2;
        int coding = plain ? 0 : k % 5 == 1 ? 1 : k % 13 == 2 ? 2 : 0;
        response(&o, uri.p, date, 200, "text/html; charset=utf-8", page.p, page.n, chunked,
                 coding);
        html++;
        if (plain)
            continue;
        if (k % 10 == 0) {
            tmp.n = 0;
            sb_printf(&tmp, "via: https://www.example/\r\nfetchTimeMs: %llu\r\n", 100 + k % 900);
            record(&o, "metadata", uri.p, date, "application/warc-fields", tmp.p, tmp.n);
            other++;
        }
        if (k % 17 == 5) { /* an image */
            tmp.n = 0;
            uint64_t s = seed + k;
            for (int i = 0; i < 2048; i++) {
                s = s * 6364136223846793005u + 1442695040888963407u;
                char byte = (char)(s >> 56);
                sb_put(&tmp, &byte, 1);
            }
            sb_puts(&uri, ".png");
            response(&o, uri.p, date, 200, "image/png", tmp.p, tmp.n, 0, 0);
            nonhtml++;
        }
        if (k % 19 == 7) {
            const char *nf = "<html><body><h1>Not found</h1></body></html>";
            sb_puts(&uri, "-missing");
            response(&o, uri.p, date, 404, "text/html", nf, strlen(nf), 0, 0);
            notfound++;
        }
        if (k % 23 == 11) {
            tmp.n = 0;
            sb_puts(&tmp, "HTTP/1.1 304 Not Modified\r\n\r\n");
            record(&o, "revisit", uri.p, date, "application/http; msgtype=response", tmp.p,
                   tmp.n);
            other++;
        }
    }
    if (mode == 2) {
        unsigned char chunk[65536];
        int zr;
        do {
            o.z.next_out = chunk;
            o.z.avail_out = sizeof chunk;
            zr = deflate(&o.z, Z_FINISH);
            fwrite(chunk, 1, sizeof chunk - o.z.avail_out, o.f);
            o.bytes += sizeof chunk - o.z.avail_out;
        } while (zr == Z_OK);
        deflateEnd(&o.z);
    }
    corpus_free(c);
    free(page.p);
    free(uri.p);
    free(tmp.p);
    if (fclose(o.f)) {
        fprintf(stderr, "gen_warc: %s: %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(stderr,
            "gen_warc: %s: %llu records, %llu bytes: %llu HTML responses, %llu not 200, "
            "%llu not HTML, %llu other records (+1 warcinfo)\n",
            path, n_records, o.bytes, html, notfound, nonhtml, other);
    return 0;
}
