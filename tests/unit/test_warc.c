/* test_warc.c — the WARC reader: a table of archives built here, good and broken, each read
 * as a plain .warc, as a .warc.gz with one gzip member per record and as one member for
 * the whole file: which records become articles, which are counted as passed over (not
 * responses, not 200, not HTML), and which are reported, with the byte offset of the
 * record; then the articles themselves (id = target URI, date = WARC-Date), and the HTTP
 * helpers (head, sniffing, chunked and compressed bodies). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <zlib.h>

#include "ingest/http.h"
#include "ingest/ingest.h"
#include "ingest/warc.h"
#include "scratch.h"
#include "storyline.h"

/* ---------------------------------------------------------------------------------- */
/* Building archives                                                                   */
/* ---------------------------------------------------------------------------------- */

typedef struct wbuf {
    unsigned char *p;
    size_t n, cap;
} wbuf;

static void put(wbuf *w, const void *p, size_t n)
{
    if (w->n + n + 1 > w->cap) {
        w->cap = (w->n + n + 1) * 2;
        w->p = realloc(w->p, w->cap);
        assert_non_null(w->p);
    }
    if (n)
        memcpy(w->p + w->n, p, n);
    w->n += n;
    w->p[w->n] = 0;
}

static void puts_(wbuf *w, const char *s)
{
    put(w, s, strlen(s));
}

static void printf_(wbuf *w, const char *fmt, ...)
{
    char tmp[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    put(w, tmp, (size_t)n);
}

/* gzip (wbits 16+15) or zlib (15) of p[0..n). */
static wbuf zip(const void *p, size_t n, int wbits)
{
    wbuf out = {0};
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t bound = deflateBound(&z, (uLong)n) + 16;
    out.p = malloc(bound + 1);
    out.cap = bound + 1;
    z.next_in = (unsigned char *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    z.next_out = out.p;
    z.avail_out = (uInt)bound;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    out.n = bound - z.avail_out;
    deflateEnd(&z);
    return out;
}

static const char *page(int k)
{
    static char pages[8][512];
    static const char *const words[] = {"harbour", "council", "river", "school",
                                        "railway", "market", "bridge", "festival"};
    snprintf(pages[k & 7], sizeof pages[0],
             "<!DOCTYPE html><html><head><title>The %s story</title></head><body>"
             "<article><h1>The %s story</h1><p>Officials said on Monday that the %s plan "
             "number %d would go ahead after a long debate in the town.</p>"
             "<p>Residents had asked for the %s works to start before the winter.</p>"
             "</article></body></html>",
             words[k & 7], words[k & 7], words[k & 7], k, words[k & 7]);
    return pages[k & 7];
}

/* A record: type, target URI (or NULL), block; lie: added to the Content-Length. */
static void record(wbuf *w, const char *type, const char *uri, const void *block, size_t n,
                   long lie)
{
    printf_(w, "WARC/1.0\r\nWARC-Type: %s\r\n", type);
    if (uri)
        printf_(w, "WARC-Target-URI: %s\r\n", uri);
    printf_(w, "WARC-Date: 2024-06-%02dT10:30:00Z\r\nContent-Type: application/http; "
               "msgtype=%s\r\nContent-Length: %ld\r\n\r\n",
            (int)(strlen(uri ? uri : "") % 28) + 1, type, (long)n + lie);
    put(w, block, n);
    puts_(w, "\r\n\r\n");
}

/* Body encodings of an HTTP response. */
enum { PLAIN = 0, CHUNKED = 1, GZIP = 2, DEFLATE = 4, NOTYPE = 8, BADCHUNK = 16, BADGZIP = 32 };

static void response(wbuf *w, const char *uri, int status, const char *ctype, const char *body,
                     size_t n, unsigned how, long lie)
{
    wbuf blk = {0}, enc = {0}, ch = {0};
    const void *p = body;
    size_t pn = n;
    if (how & (GZIP | DEFLATE | BADGZIP)) {
        enc = zip(body, n, how & DEFLATE ? MAX_WBITS : 16 + MAX_WBITS);
        if (how & BADGZIP)
            enc.n /= 2; /* cut in half */
        p = enc.p;
        pn = enc.n;
    }
    if (how & (CHUNKED | BADCHUNK)) {
        const unsigned char *q = p;
        for (size_t i = 0; i < pn; i += 100) {
            size_t k = pn - i < 100 ? pn - i : 100;
            printf_(&ch, "%zx\r\n", how & BADCHUNK && i >= 100 ? k + 7 : k);
            put(&ch, q + i, k);
            puts_(&ch, "\r\n");
        }
        puts_(&ch, "0\r\n\r\n");
        p = ch.p;
        pn = ch.n;
    }
    printf_(&blk, "HTTP/1.1 %d X\r\n", status);
    if (!(how & NOTYPE))
        printf_(&blk, "Content-Type: %s\r\n", ctype);
    if (how & (CHUNKED | BADCHUNK))
        puts_(&blk, "transfer-encoding: chunked\r\n");
    if (how & (GZIP | BADGZIP))
        puts_(&blk, "Content-Encoding: gzip\r\n");
    if (how & DEFLATE)
        puts_(&blk, "CONTENT-ENCODING: deflate\r\n");
    puts_(&blk, "\r\n");
    put(&blk, p, pn);
    record(w, "response", uri, blk.p, blk.n, lie);
    free(blk.p);
    free(enc.p);
    free(ch.p);
}

static void html(wbuf *w, int k, unsigned how, long lie)
{
    char uri[64];
    snprintf(uri, sizeof uri, "https://news.example/2024/story-%d", k);
    response(w, uri, 200, "text/html; charset=utf-8", page(k), strlen(page(k)), how, lie);
}

/* ---------------------------------------------------------------------------------- */
/* The table                                                                          */
/* ---------------------------------------------------------------------------------- */

#define MAXREC 16
#define MAXREP 4

enum { AS_PLAIN = 1, AS_RECORD_GZ = 2, AS_FILE_GZ = 4, AS_ALL = 7 };

typedef struct warc_case {
    const char *name;
    unsigned as;           /* the forms it is read in */
    void (*build)(wbuf rec[MAXREC], int *n);
    int cut_member;        /* per-record gzip: this record's member is cut in half (-1) */
    int cut_file;          /* whole file cut to this fraction in percent (0: not) */
    long long added, not_response, not_ok, not_html;
    int nrep;              /* reports */
    int rep_rec[MAXREP];   /* the record each report is at (its offset is checked) */
    sl_error rep_code[MAXREP];
} warc_case;

static void b_good(wbuf r[MAXREC], int *n)
{
    const char *info = "software: test\r\n";
    record(&r[0], "warcinfo", NULL, info, strlen(info), 0);
    const char *req = "GET /2024/story-1 HTTP/1.1\r\n\r\n";
    record(&r[1], "request", "https://news.example/2024/story-1", req, strlen(req), 0);
    html(&r[2], 1, PLAIN, 0);
    record(&r[3], "metadata", "https://news.example/2024/story-1", "a: b\r\n", 6, 0);
    html(&r[4], 2, CHUNKED, 0);
    html(&r[5], 3, GZIP, 0);
    html(&r[6], 4, DEFLATE | CHUNKED, 0);
    response(&r[7], "https://news.example/gone", 404, "text/html", page(0), strlen(page(0)),
             PLAIN, 0);
    response(&r[8], "https://news.example/logo.png", 200, "image/png", "\x89PNG\r\n\x1a\n", 8,
             PLAIN, 0);
    record(&r[9], "revisit", "https://news.example/2024/story-1", "HTTP/1.1 304 X\r\n\r\n", 18,
           0);
    html(&r[10], 5, NOTYPE, 0); /* sniffed as HTML */
    response(&r[11], "https://news.example/data", 200, "", "{\"a\": 1}", 8, NOTYPE, 0);
    response(&r[12], "https://news.example/x", 200, "application/xhtml+xml; charset=utf-8",
             page(6), strlen(page(6)), PLAIN, 0);
    *n = 13;
}

static void b_lie_long(wbuf r[MAXREC], int *n)
{
    html(&r[0], 1, PLAIN, 0);
    html(&r[1], 2, PLAIN, 900); /* swallows the next record */
    html(&r[2], 3, PLAIN, 0);
    html(&r[3], 4, CHUNKED, 0);
    *n = 4;
}

static void b_lie_short(wbuf r[MAXREC], int *n)
{
    html(&r[0], 1, PLAIN, 0);
    html(&r[1], 2, PLAIN, -60);
    html(&r[2], 3, GZIP, 0);
    *n = 3;
}

static void b_three(wbuf r[MAXREC], int *n)
{
    html(&r[0], 1, PLAIN, 0);
    html(&r[1], 2, GZIP, 0);
    html(&r[2], 3, CHUNKED, 0);
    html(&r[3], 4, PLAIN, 0);
    *n = 4;
}

static void b_bad_header(wbuf r[MAXREC], int *n)
{
    html(&r[0], 1, PLAIN, 0);
    puts_(&r[1], "WARC/1.0\r\nWARC-Type: response\r\nno colon here\r\nContent-Length: 5\r\n\r\n"
                 "HTTP/\r\n\r\n");
    html(&r[2], 2, PLAIN, 0);
    puts_(&r[3], "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://a.example/\r\n\r\n");
    html(&r[4], 3, PLAIN, 0);
    puts_(&r[5], "HTTP/1.1 200 OK\r\nnot a record at all\r\n\r\n");
    html(&r[6], 4, PLAIN, 0);
    *n = 7;
}

static void b_bad_bodies(wbuf r[MAXREC], int *n)
{
    html(&r[0], 1, BADCHUNK, 0);
    html(&r[1], 2, BADGZIP, 0);
    html(&r[2], 3, PLAIN, 0);
    /* a coding we do not undo */
    wbuf blk = {0};
    puts_(&blk, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\n\r\nxx");
    record(&r[3], "response", "https://news.example/br", blk.p, blk.n, 0);
    free(blk.p);
    puts_(&r[4], "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9\r\n\r\nnot http!\r\n\r\n");
    *n = 5;
}

static void b_truncated(wbuf r[MAXREC], int *n)
{
    html(&r[0], 1, PLAIN, 0);
    html(&r[1], 2, PLAIN, 0);
    html(&r[2], 3, PLAIN, 0);
    *n = 3;
}

static const warc_case cases[] = {
    {"good mix", AS_ALL, b_good, -1, 0, 6, 4, 1, 2, 0, {0}, {0}},
    {"lying Content-Length, too long", AS_PLAIN | AS_RECORD_GZ, b_lie_long, -1, 0, 3, 0, 0, 0, 1,
     {1}, {SL_ERR_INVALID}},
    {"lying Content-Length, too short", AS_ALL, b_lie_short, -1, 0, 2, 0, 0, 0, 1, {1},
     {SL_ERR_INVALID}},
    {"gzip member cut in half", AS_RECORD_GZ, b_three, 1, 0, 3, 0, 0, 0, 1, {1},
     {SL_ERR_INVALID}},
    {"bad headers", AS_PLAIN | AS_RECORD_GZ, b_bad_header, -1, 0, 4, 0, 0, 0, 3, {1, 3, 5},
     {SL_ERR_INVALID, SL_ERR_INVALID, SL_ERR_INVALID}},
    {"bad bodies", AS_ALL, b_bad_bodies, -1, 0, 1, 0, 0, 0, 4, {0, 1, 3, 4},
     {SL_ERR_INVALID, SL_ERR_INVALID, SL_ERR_UNSUPPORTED, SL_ERR_INVALID}},
    {"file cut short", AS_PLAIN, b_truncated, -1, 80, 2, 0, 0, 0, 1, {2}, {SL_ERR_INVALID}},
    {"whole-file gzip cut short", AS_FILE_GZ, b_truncated, -1, 85, -1, 0, 0, 0, 1, {-1},
     {SL_ERR_INVALID}},
};

/* ---------------------------------------------------------------------------------- */
/* Running a case                                                                      */
/* ---------------------------------------------------------------------------------- */

typedef struct got_report {
    sl_error code;
    long long offset;
    char detail[256];
} got_report;

typedef struct run_state {
    got_report rep[16];
    int nrep;
} run_state;

static void collect(void *user, const sl_report *r)
{
    run_state *s = user;
    assert_non_null(r->path);
    assert_non_null(strstr(r->path, ".warc"));
    if (s->nrep < 16) {
        s->rep[s->nrep].code = r->code;
        s->rep[s->nrep].offset = r->offset;
        snprintf(s->rep[s->nrep].detail, sizeof s->rep[0].detail, "%s", r->detail);
        s->nrep++;
    }
}

/* Encode the records as asked; offsets[k]: where record k starts in the file. */
static wbuf encode(const warc_case *c, wbuf rec[MAXREC], int n, unsigned as,
                   long long offsets[MAXREC])
{
    wbuf out = {0};
    if (as == AS_PLAIN) {
        for (int k = 0; k < n; k++) {
            offsets[k] = (long long)out.n;
            put(&out, rec[k].p, rec[k].n);
        }
    } else if (as == AS_RECORD_GZ) {
        for (int k = 0; k < n; k++) {
            offsets[k] = (long long)out.n;
            wbuf z = zip(rec[k].p, rec[k].n, 16 + MAX_WBITS);
            put(&out, z.p, k == c->cut_member ? z.n / 2 : z.n);
            free(z.p);
        }
    } else {
        wbuf all = {0};
        for (int k = 0; k < n; k++) {
            offsets[k] = -1; /* approximate: not checked */
            put(&all, rec[k].p, rec[k].n);
        }
        offsets[0] = 0;
        out = zip(all.p, all.n, 16 + MAX_WBITS);
        free(all.p);
    }
    if (c->cut_file)
        out.n = out.n * (size_t)c->cut_file / 100;
    return out;
}

static void run_case(const warc_case *c, unsigned as)
{
    wbuf rec[MAXREC];
    memset(rec, 0, sizeof rec);
    int n = 0;
    c->build(rec, &n);
    long long offsets[MAXREC];
    wbuf data = encode(c, rec, n, as, offsets);

    char dir[64], db[128], path[256];
    sl_store *st;
    assert_int_equal(scratch_store("warc", dir, db, &st), 0);
    snprintf(path, sizeof path, "%s/a%s", dir, as == AS_PLAIN ? ".warc" : ".warc.gz");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data.p, 1, data.n, f), data.n);
    assert_int_equal(fclose(f), 0);

    run_state s = {0};
    sl_ingest_options opt = {.on_report = collect, .user = &s};
    sl_batch *b;
    assert_int_equal(sl_batch_begin(st, &opt, &b), SL_OK);
    assert_int_equal(sl_batch_add_path(b, path), SL_OK);
    sl_batch_summary sum;
    assert_int_equal(sl_batch_commit(b, &sum), SL_OK);
    sl_batch_free(b);

    const char *form = as == AS_PLAIN ? "plain" : as == AS_RECORD_GZ ? "gzip per record"
                                                                     : "gzip per file";
    if ((c->added >= 0 && sum.added != c->added) || sum.warc_not_response != c->not_response ||
        sum.warc_not_ok != c->not_ok || sum.warc_not_html != c->not_html ||
        s.nrep != c->nrep) {
        for (int i = 0; i < s.nrep; i++)
            print_message("  report %d at %lld: %s\n", s.rep[i].code, s.rep[i].offset,
                          s.rep[i].detail);
        fail_msg("%s (%s): added %lld, not responses %lld, not 200 %lld, not HTML %lld, "
                 "%d reports; expected %lld %lld %lld %lld %d",
                 c->name, form, sum.added, sum.warc_not_response, sum.warc_not_ok,
                 sum.warc_not_html, s.nrep, c->added, c->not_response, c->not_ok, c->not_html,
                 c->nrep);
    }
    if (c->added < 0 && sum.added < 1)
        fail_msg("%s (%s): nothing added before the cut", c->name, form);
    assert_int_equal(sum.skipped, c->nrep);
    for (int i = 0; i < c->nrep && i < s.nrep; i++) {
        if (s.rep[i].code != c->rep_code[i])
            fail_msg("%s (%s): report %d: code %d, expected %d (%s)", c->name, form, i,
                     s.rep[i].code, c->rep_code[i], s.rep[i].detail);
        int k = c->rep_rec[i];
        if (k >= 0 && offsets[k] >= 0 && s.rep[i].offset != offsets[k])
            fail_msg("%s (%s): report %d at offset %lld, expected %lld (record %d): %s",
                     c->name, form, i, s.rep[i].offset, offsets[k], k, s.rep[i].detail);
        if (s.rep[i].offset < 0 || s.rep[i].offset > (long long)data.n)
            fail_msg("%s (%s): report %d at offset %lld, outside the file", c->name, form, i,
                     s.rep[i].offset);
        char at[48];
        snprintf(at, sizeof at, "byte %lld", s.rep[i].offset);
        if (!strstr(s.rep[i].detail, at))
            fail_msg("%s (%s): the message does not say the offset: %s", c->name, form,
                     s.rep[i].detail);
    }
    sl_store_free(st);
    remove_tree(dir);
    for (int k = 0; k < MAXREC; k++)
        free(rec[k].p);
    free(data.p);
}

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (unsigned as = 1; as <= 4; as <<= 1)
            if (cases[i].as & as)
                run_case(&cases[i], as);
}

/* The articles of the good archive: ids, urls, sources, dates, text. */
static void test_articles(void **state)
{
    (void)state;
    wbuf rec[MAXREC];
    memset(rec, 0, sizeof rec);
    int n = 0;
    b_good(rec, &n);
    wbuf all = {0};
    for (int k = 0; k < n; k++)
        put(&all, rec[k].p, rec[k].n);
    wbuf gz = zip(all.p, all.n, 16 + MAX_WBITS);
    char dir[64], db[128], path[256];
    sl_store *st;
    assert_int_equal(scratch_store("warc-articles", dir, db, &st), 0);
    snprintf(path, sizeof path, "%s/crawl.warc.gz", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(gz.p, 1, gz.n, f), gz.n);
    assert_int_equal(fclose(f), 0);
    sl_batch *b;
    assert_int_equal(sl_batch_begin(st, NULL, &b), SL_OK);
    assert_int_equal(sl_batch_add_path(b, path), SL_OK);
    sl_batch_summary sum;
    assert_int_equal(sl_batch_commit(b, &sum), SL_OK);
    sl_batch_free(b);
    assert_int_equal(sum.warc_records, 13);

    static const struct {
        const char *id, *date, *word;
    } want[] = {
        {"https://news.example/2024/story-1", "2024-06-06T10:30:00Z", "council"},
        {"https://news.example/2024/story-2", "2024-06-06T10:30:00Z", "river"},
        {"https://news.example/2024/story-3", "2024-06-06T10:30:00Z", "school"},
        {"https://news.example/2024/story-4", "2024-06-06T10:30:00Z", "railway"},
        {"https://news.example/2024/story-5", "2024-06-06T10:30:00Z", "market"},
        {"https://news.example/x", "2024-06-23T10:30:00Z", "bridge"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        sl_article *a = NULL;
        assert_int_equal(sl_store_get_article(st, want[i].id, SL_WITH_TEXT | SL_WITH_RAW, &a),
                         SL_OK);
        assert_string_equal(a->url, want[i].id);
        assert_string_equal(a->source, "news.example");
        assert_non_null(a->date);
        assert_string_equal(a->date, want[i].date);
        if (!strstr(a->raw, want[i].word))
            fail_msg("%s: no \"%s\" in [%s]", want[i].id, want[i].word, a->raw);
        assert_null(strstr(a->raw, "<p>")); /* decoded and parsed, not raw HTML */
        assert_non_null(strstr(a->origin, "crawl.warc.gz"));
        sl_article_free(a);
    }
    sl_article *a = NULL;
    assert_int_equal(sl_store_get_article(st, "https://news.example/gone", 0, &a),
                     SL_ERR_NOT_FOUND);
    sl_store_free(st);
    remove_tree(dir);
    for (int k = 0; k < MAXREC; k++)
        free(rec[k].p);
    free(all.p);
    free(gz.p);
}

/* ---------------------------------------------------------------------------------- */
/* HTTP helpers                                                                        */
/* ---------------------------------------------------------------------------------- */

static void test_http_head(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        sl_error err;
        int status, chunked;
        http_coding coding;
        const char *ctype;
    } t[] = {
        {"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\nbody", SL_OK, 200, 0, HTTP_IDENTITY,
         "text/html"},
        {"HTTP/1.0 404 Not Found\n\n", SL_OK, 404, 0, HTTP_IDENTITY, ""},
        {"HTTP/2 200\r\ncontent-encoding: x-gzip\r\nTRANSFER-ENCODING: chunked\r\n\r\n", SL_OK,
         200, 1, HTTP_GZIP, ""},
        {"HTTP/1.1 200 OK\r\nContent-Encoding: gzip, br\r\n\r\n", SL_OK, 200, 0,
         HTTP_UNSUPPORTED, ""},
        {"HTTP/1.1 200 OK\r\nContent-Encoding: identity\r\nContent-Type: a/b\r\n"
         "Content-Type: c/d\r\n\r\n", SL_OK, 200, 0, HTTP_IDENTITY, "a/b"},
        {"HTTP/1.1 200 OK\r\nContent-Type: text/html", SL_OK, 200, 0, HTTP_IDENTITY,
         "text/html"},
        {"GET / HTTP/1.1\r\n\r\n", SL_ERR_INVALID, 0, 0, HTTP_IDENTITY, ""},
        {"HTTP/1.1 2x0 OK\r\n\r\n", SL_ERR_INVALID, 0, 0, HTTP_IDENTITY, ""},
        {"", SL_ERR_INVALID, 0, 0, HTTP_IDENTITY, ""},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        http_head h;
        const char *why = NULL;
        sl_error err = sli_http_head_parse(t[i].in, strlen(t[i].in), &h, &why);
        if (err != t[i].err)
            fail_msg("head %zu: %d, expected %d", i, err, t[i].err);
        if (err) {
            assert_non_null(why);
            continue;
        }
        assert_int_equal(h.status, t[i].status);
        assert_int_equal(h.chunked, t[i].chunked);
        assert_int_equal(h.coding, t[i].coding);
        assert_string_equal(h.content_type, t[i].ctype);
        assert_true(h.head_len <= strlen(t[i].in));
    }
    const char *big_start = "HTTP/1.1 200 OK\r\nX: ";
    size_t bn = HTTP_HEAD_MAX + 100;
    char *big = malloc(bn);
    assert_non_null(big);
    memset(big, 'a', bn);
    memcpy(big, big_start, strlen(big_start));
    http_head h;
    const char *why;
    assert_int_equal(sli_http_head_parse(big, bn, &h, &why), SL_ERR_INVALID);
    free(big);
}

static void test_http_types(void **state)
{
    (void)state;
    assert_true(sli_http_type_is_html("text/html"));
    assert_true(sli_http_type_is_html(" Text/HTML ; charset=utf-8"));
    assert_true(sli_http_type_is_html("application/xhtml+xml"));
    assert_false(sli_http_type_is_html("text/htmlx"));
    assert_false(sli_http_type_is_html("text/plain"));
    assert_false(sli_http_type_is_html(""));
    static const struct {
        const char *in;
        int html;
    } t[] = {
        {"<!DOCTYPE html><p>x", 1},   {"\xef\xbb\xbf \n<HTML lang=en>", 1},
        {"<!-- c --><html>", 1},      {"{\"a\": 1}", 0},
        {"\x89PNG\r\n", 0},           {"", 0},
        {"   ", 0},                   {"<?xml version=\"1.0\"?><html>", 1},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (sli_http_sniff_html(t[i].in, strlen(t[i].in)) != t[i].html)
            fail_msg("sniff %zu: expected %d", i, t[i].html);
}

static void test_http_bodies(void **state)
{
    (void)state;
    const char *text = "Hello, chunked and compressed world. Hello again, world.";
    size_t tn = strlen(text);
    wbuf gz = zip(text, tn, 16 + MAX_WBITS), zl = zip(text, tn, MAX_WBITS),
         raw = zip(text, tn, -MAX_WBITS);
    buf a, b;
    sli_buf_init(&a, 1 << 20);
    sli_buf_init(&b, 1 << 20);
    http_head h;
    const char *out, *why;
    size_t on;

    memset(&h, 0, sizeof h);
    h.chunked = 1;
    const char *ch = "5;ext=1\r\nHello\r\n3\r\n, c\r\n0\r\nTrailer: x\r\n\r\n";
    assert_int_equal(sli_http_body_decode(&h, ch, strlen(ch), &a, &b, &out, &on, &why), SL_OK);
    assert_int_equal(on, 8);
    assert_memory_equal(out, "Hello, c", 8);
    const char *lf = "5\nHello\n0\n";
    assert_int_equal(sli_http_body_decode(&h, lf, strlen(lf), &a, &b, &out, &on, &why), SL_OK);
    assert_int_equal(on, 5);
    static const char *const bad[] = {"zz\r\nHello\r\n0\r\n\r\n", "9\r\nHello\r\n",
                                      "5\r\nHello!!\r\n0\r\n\r\n", "5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why = NULL;
        if (sli_http_body_decode(&h, bad[i], strlen(bad[i]), &a, &b, &out, &on, &why) !=
            SL_ERR_INVALID)
            fail_msg("bad chunked %zu accepted", i);
        assert_non_null(why);
    }

    memset(&h, 0, sizeof h);
    h.coding = HTTP_GZIP;
    assert_int_equal(sli_http_body_decode(&h, (char *)gz.p, gz.n, &a, &b, &out, &on, &why),
                     SL_OK);
    assert_int_equal(on, tn);
    assert_memory_equal(out, text, tn);
    assert_int_equal(sli_http_body_decode(&h, (char *)gz.p, gz.n - 12, &a, &b, &out, &on, &why),
                     SL_ERR_INVALID);
    h.coding = HTTP_DEFLATE;
    assert_int_equal(sli_http_body_decode(&h, (char *)zl.p, zl.n, &a, &b, &out, &on, &why),
                     SL_OK);
    assert_memory_equal(out, text, tn);
    assert_int_equal(sli_http_body_decode(&h, (char *)raw.p, raw.n, &a, &b, &out, &on, &why),
                     SL_OK); /* raw deflate, as some servers send it */
    assert_memory_equal(out, text, tn);
    h.coding = HTTP_UNSUPPORTED;
    assert_int_equal(sli_http_body_decode(&h, text, tn, &a, &b, &out, &on, &why),
                     SL_ERR_UNSUPPORTED);

    /* A bomb: 4 MB of zeros into a 1 MB buffer. */
    char *zeros = calloc(4 << 20, 1);
    assert_non_null(zeros);
    wbuf bomb = zip(zeros, 4 << 20, 16 + MAX_WBITS);
    h.coding = HTTP_GZIP;
    assert_int_equal(sli_http_body_decode(&h, (char *)bomb.p, bomb.n, &a, &b, &out, &on, &why),
                     SL_ERR_TOO_BIG);
    free(zeros);
    free(bomb.p);
    sli_buf_free(&a);
    sli_buf_free(&b);
    free(gz.p);
    free(zl.p);
    free(raw.p);
}

/* ---------------------------------------------------------------------------------- */
/* Hostile archives at the reader: linear work, and a lying length loses one record     */
/* ---------------------------------------------------------------------------------- */

/* A good response record (as per record gzip would cut it: one record). */
static void good_record(wbuf *w, int k)
{
    wbuf http = {0};
    printf_(&http, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n%s", page(k));
    printf_(w,
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://ex.com/%d\r\n"
            "Content-Type: application/http; msgtype=response\r\nContent-Length: %zu\r\n\r\n",
            k, http.n);
    put(w, http.p, http.n);
    puts_(w, "\r\n\r\n");
    free(http.p);
}

/* A: n response headers, each with a Content-Length running to the same point, where no
 * record starts: every one lies, each inside the block the one before gave back. */
static void build_nested_liars(wbuf *w, wbuf *rec, int *nrec, int n)
{
    const int hl = 61; /* "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: %010d\r\n\r\n" */
    long long end = (long long)n * hl;
    for (int k = 0; k < n; k++)
        printf_(w, "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: %010lld\r\n\r\n",
                end - (long long)(k + 1) * hl);
    puts_(w, "xyz\r\n\r\n");
    good_record(w, 1);
    (void)rec, (void)nrec;
}

/* B: gzip headers every 15 bytes, each followed by stored blocks running past the end of
 * the file: every one is a gzip member that breaks only at the end (bench/.. /tmp/h
 * mkdoll.py, smaller). */
static void build_dolls(wbuf *w, size_t size, int n)
{
    static const unsigned char gz[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
    size_t base = w->n;
    for (size_t i = 0; i < size; i++)
        put(w, "x", 1);
    unsigned char *b = w->p + base;
    for (int k = 0; k < n; k++) {
        size_t s = 15 * (size_t)k;
        memcpy(b + s, gz, sizeof gz);
        for (size_t q = s + 10; q + 5 <= size; q += 65540) {
            const unsigned char st[5] = {0, 0xff, 0xff, 0, 0};
            memcpy(b + q, st, 5);
        }
    }
}

/* C: a record whose Content-Length (5,000,000) is far past the end of the file and over
 * any keep limit, then good records. */
static void build_big_liar(wbuf *rec, int *nrec, const char *type)
{
    printf_(&rec[0], "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Target-URI: http://ex.com/liar\r\n"
                     "Content-Length: 5000000\r\n\r\n",
            type);
    if (!strcmp(type, "response"))
        puts_(&rec[0], "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n");
    puts_(&rec[0], "abc\r\n\r\n");
    for (int k = 1; k <= 3; k++)
        good_record(&rec[k], k);
    *nrec = 4;
}

enum { H_NESTED, H_NESTED_GZ, H_DOLLS, H_BIG_META, H_BIG_META_GZ, H_BIG_META_GZ1,
       H_BIG_RESP, H_BIG_RESP_GZ };

typedef struct hostile_case {
    const char *name;
    int kind;
    long long records, good, problems; /* -1: not checked */
    double work_per_byte;              /* the most bytes of work per byte of input */
} hostile_case;

static const hostile_case hostile[] = {
    /* old code: about n/2 * 61 bytes given back per byte (n = 3000: ~90,000) */
    {"nested lying lengths", H_NESTED, 3001, 1, 3000, 10},
    {"nested lying lengths, gzip per file", H_NESTED_GZ, 3001, 1, 3000, 400},
    /* old code: every fake member inflated to the end (3000 of them: ~3000 per byte) */
    {"gzip members nested in a broken one", H_DOLLS, 0, 0, -1, 10},
    /* old code: the rest of the file swallowed, 0 good */
    {"metadata with a length past the end", H_BIG_META, 4, 3, 1, 10},
    {"metadata with a length past the end, gzip per record", H_BIG_META_GZ, 4, 3, 1, 10},
    {"metadata with a length past the end, gzip per file", H_BIG_META_GZ1, 4, 3, 1, 10},
    {"response over the limit, length past the end", H_BIG_RESP, 4, 3, 1, 10},
    {"response over the limit, gzip per record", H_BIG_RESP_GZ, 4, 3, 1, 10},
};

static warc_reader hr; /* about 100 kB: not on the stack */

static void run_hostile(const hostile_case *c)
{
    wbuf data = {0}, rec[MAXREC];
    memset(rec, 0, sizeof rec);
    int nrec = 0;
    long long next_off = -1; /* where the record after the liar starts in the file */
    switch (c->kind) {
    case H_NESTED:
    case H_NESTED_GZ: {
        wbuf raw = {0};
        build_nested_liars(&raw, rec, &nrec, 3000);
        if (c->kind == H_NESTED_GZ) {
            data = zip(raw.p, raw.n, 16 + MAX_WBITS);
            free(raw.p);
        } else {
            data = raw;
        }
        break;
    }
    case H_DOLLS:
        build_dolls(&data, 200000, 3000);
        break;
    default: {
        int gz_rec = c->kind == H_BIG_META_GZ || c->kind == H_BIG_RESP_GZ;
        build_big_liar(rec, &nrec, c->kind == H_BIG_RESP || c->kind == H_BIG_RESP_GZ
                                       ? "response"
                                       : "metadata");
        wbuf raw = {0};
        for (int k = 0; k < nrec; k++) {
            if (k == 1)
                next_off = gz_rec ? (long long)data.n : (long long)raw.n;
            if (gz_rec) {
                wbuf z = zip(rec[k].p, rec[k].n, 16 + MAX_WBITS);
                put(&data, z.p, z.n);
                free(z.p);
            } else {
                put(&raw, rec[k].p, rec[k].n);
            }
        }
        if (c->kind == H_BIG_META_GZ1) {
            data = zip(raw.p, raw.n, 16 + MAX_WBITS);
            free(raw.p);
            next_off = -1; /* offsets inside one member are approximate */
        } else if (!gz_rec) {
            data = raw;
        }
        break;
    }
    }
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(fwrite(data.p, 1, data.n, f), data.n);
    rewind(f);

    /* Read as read_warc.c does: responses up to 1 MiB kept whole, larger ones their head
     * only, other records passed over. */
    const long long keep_max = 1 << 20;
    buf block;
    sli_buf_init(&block, (size_t)keep_max);
    sli_warc_init(&hr, f);
    long long records = 0, good = 0, problems = 0;
    int said_next = 0;
    for (int guard = 0; guard < 100000; guard++) {
        int got;
        sl_error err = sli_warc_next(&hr, &got);
        assert_int_not_equal(err, SL_ERR_NOMEM);
        if (err) {
            problems++;
            continue;
        }
        if (!got)
            break;
        records++;
        sli_buf_clear(&block);
        int resp = !strcmp(hr.type, "response"), keep = resp && hr.length <= keep_max;
        if (keep)
            err = sli_warc_read(&hr, &block, hr.length);
        else if (resp)
            err = sli_warc_read(&hr, &block, 64);
        if (!err)
            err = sli_warc_end(&hr, keep ? &block : NULL);
        assert_int_not_equal(err, SL_ERR_NOMEM);
        if (err) {
            char at[48];
            snprintf(at, sizeof at, "offset %lld", next_off);
            if (next_off >= 0 && strstr(hr.msg, at))
                said_next = 1;
            problems++;
            continue;
        }
        if (keep && !strncmp(block.data, "HTTP/1.1 200", 12))
            good++;
    }
    long long work = hr.work;
    sli_warc_free(&hr);
    sli_buf_free(&block);
    fclose(f);
    if ((c->records >= 0 && records != c->records) || (c->good >= 0 && good != c->good) ||
        (c->problems >= 0 && problems != c->problems) ||
        (double)work > c->work_per_byte * (double)data.n + 100000.0)
        fail_msg("%s: %lld records, %lld good, %lld problems, %lld bytes of work for %zu "
                 "bytes; expected %lld %lld %lld, at most %.0f per byte",
                 c->name, records, good, problems, work, data.n, c->records, c->good,
                 c->problems, c->work_per_byte);
    if (next_off >= 0 && c->kind != H_BIG_RESP && !said_next)
        fail_msg("%s: the lie's report does not say where the next record starts (%lld)",
                 c->name, next_off);
    for (int k = 0; k < MAXREC; k++)
        free(rec[k].p);
    free(data.p);
}

static void test_hostile(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
        run_hostile(&hostile[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http_head),
        cmocka_unit_test(test_http_types),
        cmocka_unit_test(test_http_bodies),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_articles),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
