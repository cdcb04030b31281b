/* html_speed — how fast the HTML front end and the cleaner read pages, on one core.
 *
 *   html_speed [--rounds N] [--only a|b|c] [--predict OUT.jsonl] PAGE... | DIR...
 *
 * Every page (.html, .htm, gzip-compressed or not; a DIR stands for the pages in it) is
 * read and decompressed into memory first (that load is timed apart), then N rounds
 * (default 3), single-threaded, of each step over all pages:
 *   (a) decode   sli_html_decode only (charset found, converted to UTF-8);
 *   (b) page     sli_html_page_read: decode + libxml2 parse + metadata + blocks;
 *   (c) extract  (b) + the cleaner: sli_clean_split + sli_clean_label_lines with the
 *                page's DOM hints (clean_input.hints) and its title, without a store
 *                (no repetition statistics: one page at a time, as a peer extractor works).
 * For each: the median round's wall time, MB/s (MB = 10^6 bytes of HTML, decompressed),
 * pages/s, ms/page, and the median CPU time of the process over the round
 * (the machine is shared: CPU time is what the code cost, wall time what it took). Then
 * the peak RSS (getrusage).
 * --only a|b|c times one step only (for perf record).
 * --phases: instead, where the time of (b) goes, each phase timed apart over every page
 *   (median of the rounds): decode; libxml2's parse into a tree (htmlReadMemory with the
 *   options html_page.c uses: keep the two in step); metadata; blocks; freeing the tree.
 *   Then, for reference (what a different design would cost): libxml2's tokenizer alone
 *   (the same parser with SAX callbacks that do nothing, no tree), the parse without
 *   HTML_PARSE_COMPACT, a pre-pass that drops <script>/<style> bodies and the parse of
 *   what it leaves (and the tokenizer alone over it), the parse with one parser context reused from page to page
 *   (htmlCtxtReadMemory), uchardet over each page, and iconv WINDOWS-1252 -> UTF-8 of each
 *   page (what a page in a legacy charset costs the decoder).
 * --predict OUT.jsonl: the last round of (c) keeps each page's cleaned text (a copy, inside
 *   the timing, as a peer's loop collects its results) and writes {"id","text"} per page
 *   after it, the id being the file name less .html[.gz]/.htm[.gz] (what score_extraction
 *   reads; a page the front end rejects gets "" and a note on stderr).
 * Exit status: 0; 1 when a page could not be read at all; 2 on a usage error. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <iconv.h>
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <uchardet/uchardet.h>
#include <zlib.h>

#include "clean/clean.h"
#include "core/json_writer.h"
#include "ingest/html.h"

typedef struct {
    char *path;
    char *id;
    char *data;
    size_t len;
} page_src;

typedef struct {
    page_src *v;
    size_t n, cap;
    size_t bytes;
} page_set;

static double now(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fputs("html_speed: out of memory\n", stderr);
        exit(1);
    }
    return q;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

static int is_page_name(const char *name)
{
    return has_suffix(name, ".html") || has_suffix(name, ".htm") ||
           has_suffix(name, ".html.gz") || has_suffix(name, ".htm.gz");
}

/* The page's id: its file name less the directory and the .html[.gz]/.htm[.gz] ending. */
static char *page_id(const char *path)
{
    const char *base = strrchr(path, '/');
    char *id = xstrdup(base ? base + 1 : path);
    static const char *const ends[] = {".html.gz", ".htm.gz", ".html", ".htm"};
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++)
        if (has_suffix(id, ends[i])) {
            id[strlen(id) - strlen(ends[i])] = '\0';
            break;
        }
    return id;
}

/* Read (and gunzip: zlib reads plain files as they are) one page into memory. */
static int load_page(page_set *s, const char *path)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz) {
        fprintf(stderr, "html_speed: %s: cannot open\n", path);
        return -1;
    }
    size_t len = 0, cap = 1 << 16;
    char *data = xrealloc(NULL, cap);
    int got;
    while ((got = gzread(gz, data + len, (unsigned)(cap - len))) > 0) {
        len += (size_t)got;
        if (len == cap)
            data = xrealloc(data, cap *= 2);
    }
    int zerr = 0;
    const char *msg = got < 0 ? gzerror(gz, &zerr) : NULL;
    gzclose(gz);
    if (msg) {
        fprintf(stderr, "html_speed: %s: %s\n", path, msg);
        free(data);
        return -1;
    }
    if (s->n == s->cap)
        s->v = xrealloc(s->v, (s->cap = s->cap ? 2 * s->cap : 256) * sizeof *s->v);
    s->v[s->n++] = (page_src){xstrdup(path), page_id(path), data, len};
    s->bytes += len;
    return 0;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory: its page files, in name order. */
static int load_dir(page_set *s, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "html_speed: %s: cannot open the directory\n", dir);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!is_page_name(e->d_name))
            continue;
        if (n == cap)
            names = xrealloc(names, (cap = cap ? 2 * cap : 256) * sizeof *names);
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        names[n] = xrealloc(NULL, len);
        snprintf(names[n++], len, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_path);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        rc |= load_page(s, names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

typedef struct {
    html_page page;
    buf utf8;
    clean_result r;
    size_t failed; /* pages the step rejected in the last round */
    size_t out_bytes;
    int keeping;     /* this round of (c) keeps each page's text (--predict) */
    char **keep;     /* per page: the text (c) gave, or NULL when the page was rejected */
    size_t *keep_len;
} worker;

enum { STEP_DECODE, STEP_PAGE, STEP_EXTRACT };

/* One step over page k. Returns 0, or -1 when out of memory (fatal). */
static int run_step(worker *w, int step, const page_set *s, size_t k)
{
    const page_src *p = &s->v[k];
    const char *why = NULL, *charset = NULL;
    sl_error err;
    if (step == STEP_DECODE) {
        err = sli_html_decode(p->data, p->len, NULL, &w->utf8, &charset, &why);
        if (!err)
            w->out_bytes += w->utf8.len;
    } else {
        err = sli_html_page_read(&w->page, p->data, p->len, NULL, NULL, &why);
        if (!err && step == STEP_EXTRACT) {
            const char *raw = sli_buf_str(&w->page.text);
            err = sli_clean_split(raw, w->page.text.len, &w->r, NULL);
            if (!err) {
                const html_meta *m = &w->page.meta;
                clean_input in = {
                    .title = m->title.len ? sli_buf_str(&m->title) : NULL,
                    .source_articles = 1,
                    .hints = (const unsigned char *)w->page.hints.data,
                    .n_hints = w->page.hints.len,
                };
                err = sli_clean_label_lines(raw, w->page.text.len, &in, &w->r);
            }
            if (!err)
                w->out_bytes += w->r.text.len;
            if (!err && w->keeping) {
                w->keep[k] = xrealloc(NULL, w->r.text.len + 1);
                if (w->r.text.len)
                    memcpy(w->keep[k], w->r.text.data, w->r.text.len);
                w->keep[k][w->r.text.len] = '\0';
                w->keep_len[k] = w->r.text.len;
            }
        } else if (!err) {
            w->out_bytes += w->page.text.len;
        }
    }
    if (err == SL_ERR_NOMEM)
        return -1;
    if (err) {
        w->failed++;
        if (w->keeping)
            fprintf(stderr, "html_speed: %s: %s\n", p->path, why ? why : sl_strerror(err));
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static const char *const step_names[] = {
    "(a) decode             ",
    "(b) page read          ",
    "(c) page read + clean  ",
};

static int time_step(worker *w, int step, const page_set *s, int rounds)
{
    double *wall = xrealloc(NULL, (size_t)rounds * sizeof *wall);
    double *cpu = xrealloc(NULL, (size_t)rounds * sizeof *cpu);
    for (int k = 0; k < rounds; k++) {
        w->failed = 0;
        w->out_bytes = 0;
        w->keeping = w->keep && step == STEP_EXTRACT && k == rounds - 1;
        double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
        for (size_t i = 0; i < s->n; i++)
            if (run_step(w, step, s, i) < 0) {
                fputs("html_speed: out of memory\n", stderr);
                exit(1);
            }
        wall[k] = now(CLOCK_MONOTONIC) - t0;
        cpu[k] = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    }
    double t = median(wall, rounds), c = median(cpu, rounds);
    double mb = (double)s->bytes / 1e6;
    printf("%s %8.4f s  %8.1f MB/s  %8.0f pages/s  %7.3f ms/page  cpu %8.4f s  %8.1f MB/s-cpu"
           "  out %.2f MB",
           step_names[step], t, t > 0 ? mb / t : 0, t > 0 ? (double)s->n / t : 0,
           s->n ? 1e3 * t / (double)s->n : 0, c, c > 0 ? mb / c : 0,
           (double)w->out_bytes / 1e6);
    if (w->failed)
        printf("  (%zu page(s) rejected)", w->failed);
    putchar('\n');
    free(wall);
    free(cpu);
    return 0;
}

static int write_out(void *user, const char *data, size_t len)
{
    return fwrite(data, 1, len, (FILE *)user) == len ? 0 : -1;
}

/* Write the texts kept by the last round of (c). */
static int predict(const worker *w, const page_set *s, const char *out_path)
{
    FILE *out = fopen(out_path, "w");
    if (!out) {
        fprintf(stderr, "html_speed: %s: cannot write\n", out_path);
        return -1;
    }
    jw j;
    sli_jw_init(&j, write_out, out, 0);
    for (size_t i = 0; i < s->n; i++) {
        sli_jw_begin_object(&j);
        sli_jw_kv_string(&j, "id", s->v[i].id);
        sli_jw_key(&j, "text");
        sli_jw_string_n(&j, w->keep[i] ? w->keep[i] : "", w->keep[i] ? w->keep_len[i] : 0);
        sli_jw_end_object(&j);
        sli_jw_newline(&j);
    }
    int rc = sli_jw_finish(&j) ? -1 : 0;
    if (fclose(out) != 0)
        rc = -1;
    if (rc)
        fprintf(stderr, "html_speed: %s: write error\n", out_path);
    return rc;
}

/* ---- --phases ------------------------------------------------------------------------ */

/* html_page.c's options (keep in step). */
#define PAGE_OPTS                                                                              \
    (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |        \
     HTML_PARSE_COMPACT | XML_PARSE_HUGE)

enum { PH_DECODE, PH_PARSE, PH_META, PH_BLOCKS, PH_FREE, PH_SAX, PH_NOCOMPACT, PH_BLANK,
       PH_BLANK_PARSE, PH_BLANK_SAX, PH_REUSE, PH_UCHARDET, PH_ICONV, PH__COUNT };
static const char *const phase_names[PH__COUNT] = {
    "decode (sli_html_decode)      ", "libxml2 parse to a tree      ",
    "metadata (sli_html_meta_read) ", "blocks (sli_html_blocks)     ",
    "xmlFreeDoc                    ", "ref: libxml2 tokenizer, no tree",
    "ref: parse without COMPACT    ", "ref: drop <script>/<style> bodies",
    "ref: parse after that drop    ", "ref: tokenizer after that drop",
    "ref: parse, one reused context",
    "ref: uchardet, whole page     ",
    "ref: iconv CP1252 -> UTF-8    ",
};

/* SAX: the tokenizer with callbacks that do nothing (a SAX-driven block builder's floor). */
static void sax_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    (void)ctx, (void)name, (void)atts;
}
static void sax_end(void *ctx, const xmlChar *name)
{
    (void)ctx, (void)name;
}
static void sax_chars(void *ctx, const xmlChar *ch, int len)
{
    (void)ctx, (void)ch, (void)len;
}

static void sax_parse(const char *data, size_t len)
{
    htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(data, (int)len);
    if (!ctxt)
        return;
    htmlSAXHandler *sax = (htmlSAXHandler *)ctxt->sax;
    memset(sax, 0, sizeof *sax);
    sax->startElement = sax_start;
    sax->endElement = sax_end;
    sax->characters = sax_chars;
    sax->cdataBlock = sax_chars;
    htmlCtxtUseOptions(ctxt, PAGE_OPTS);
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    htmlParseDocument(ctxt);
    if (ctxt->myDoc)
        xmlFreeDoc(ctxt->myDoc);
    htmlFreeParserCtxt(ctxt);
}

static int ascii_ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != b[i])
            return 0;
    }
    return 1;
}

/* Copy the page less the bodies of <script> and <style> elements (those of JSON-LD
 * scripts kept: the metadata reads them), with memchr over the bytes: what a pre-pass
 * before libxml2 would cost, and what it would save libxml2 (which reads script bodies a
 * character at a time). A sketch for measuring, not a conforming HTML tokenizer. */
static size_t drop_raw_bodies(const char *in, size_t n, char *out)
{
    const char *p = in, *end = in + n;
    size_t o = 0;
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt) {
            memcpy(out + o, p, (size_t)(end - p));
            o += (size_t)(end - p);
            break;
        }
        size_t tag = 0;
        if (end - lt > 7 && ascii_ieq(lt + 1, "script", 6))
            tag = 6;
        else if (end - lt > 6 && ascii_ieq(lt + 1, "style", 5))
            tag = 5;
        char next = tag ? lt[1 + tag] : 0;
        if (!tag || !(next == '>' || next == ' ' || next == '\t' || next == '\n' || next == '/')) {
            memcpy(out + o, p, (size_t)(lt + 1 - p));
            o += (size_t)(lt + 1 - p);
            p = lt + 1;
            continue;
        }
        const char *gt = memchr(lt, '>', (size_t)(end - lt));
        if (!gt)
            gt = end - 1;
        int keep = 0;
        for (const char *q = lt; q + 7 <= gt && !keep; q++)
            keep = ascii_ieq(q, "ld+json", 7);
        memcpy(out + o, p, (size_t)(gt + 1 - p));
        o += (size_t)(gt + 1 - p);
        const char *q = gt + 1, *close = end;
        while (q < end) {
            const char *c = memchr(q, '<', (size_t)(end - q));
            if (!c)
                break;
            if ((size_t)(end - c) > 2 + tag && c[1] == '/' &&
                ascii_ieq(c + 2, tag == 6 ? "script" : "style", tag)) {
                close = c;
                break;
            }
            q = c + 1;
        }
        if (keep) {
            memcpy(out + o, gt + 1, (size_t)(close - gt - 1));
            o += (size_t)(close - gt - 1);
        }
        p = close;
    }
    return o;
}

static int phases(const page_set *s, int rounds)
{
    double *t = xrealloc(NULL, (size_t)rounds * PH__COUNT * sizeof *t);
    buf utf8;
    sli_buf_init(&utf8, 4 * HTML_PAGE_MAX_BYTES);
    html_meta meta;
    sli_html_meta_init(&meta);
    buf text, hints;
    sli_buf_init(&text, HTML_PAGE_MAX_BYTES);
    sli_buf_init(&hints, HTML_PAGE_MAX_BYTES);
    size_t conv_cap = 0;
    char *conv = NULL;
    iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
    uchardet_t ud = uchardet_new();
    htmlParserCtxtPtr reuse = htmlNewParserCtxt();
    if (cd == (iconv_t)-1 || !ud || !reuse) {
        fputs("html_speed: no iconv or uchardet\n", stderr);
        return -1;
    }
    for (int k = 0; k < rounds; k++) {
        double *tk = t + (size_t)k * PH__COUNT;
        for (int ph = 0; ph < PH__COUNT; ph++)
            tk[ph] = 0;
        for (size_t i = 0; i < s->n; i++) {
            const page_src *p = &s->v[i];
            const char *why, *charset;
            double t0 = now(CLOCK_PROCESS_CPUTIME_ID);
            if (sli_html_decode(p->data, p->len, NULL, &utf8, &charset, &why))
                continue;
            double t1 = now(CLOCK_PROCESS_CPUTIME_ID);
            htmlDocPtr doc = htmlReadMemory(utf8.data ? utf8.data : "", (int)utf8.len, NULL,
                                            "UTF-8", PAGE_OPTS);
            double t2 = now(CLOCK_PROCESS_CPUTIME_ID);
            if (!doc)
                continue;
            sli_html_meta_clear(&meta);
            sl_error err = sli_html_meta_read(doc, NULL, &meta);
            double t3 = now(CLOCK_PROCESS_CPUTIME_ID);
            if (!err)
                err = sli_html_blocks(doc, &meta, &text, &hints);
            double t4 = now(CLOCK_PROCESS_CPUTIME_ID);
            xmlFreeDoc(doc);
            double t5 = now(CLOCK_PROCESS_CPUTIME_ID);
            sax_parse(utf8.data ? utf8.data : "", utf8.len);
            double t6 = now(CLOCK_PROCESS_CPUTIME_ID);
            doc = htmlReadMemory(utf8.data ? utf8.data : "", (int)utf8.len, NULL, "UTF-8",
                                 PAGE_OPTS & ~HTML_PARSE_COMPACT);
            double t7 = now(CLOCK_PROCESS_CPUTIME_ID);
            if (doc)
                xmlFreeDoc(doc);
            double t8 = now(CLOCK_PROCESS_CPUTIME_ID);
            uchardet_reset(ud);
            uchardet_handle_data(ud, p->data, p->len);
            uchardet_data_end(ud);
            (void)uchardet_get_charset(ud);
            double t9 = now(CLOCK_PROCESS_CPUTIME_ID);
            if (conv_cap < 3 * p->len + 1)
                conv = xrealloc(conv, conv_cap = 3 * p->len + 1);
            char *in = p->data, *out = conv;
            size_t inleft = p->len, outleft = conv_cap;
            iconv(cd, NULL, NULL, NULL, NULL);
            while (inleft && iconv(cd, &in, &inleft, &out, &outleft) == (size_t)-1) {
                in++; /* a byte CP1252 leaves undefined: skip it, as U+FFFD would */
                inleft--;
            }
            double t10 = now(CLOCK_PROCESS_CPUTIME_ID);
            size_t blank_len = drop_raw_bodies(utf8.data ? utf8.data : "", utf8.len, conv);
            double t11 = now(CLOCK_PROCESS_CPUTIME_ID);
            doc = htmlReadMemory(conv, (int)blank_len, NULL, "UTF-8", PAGE_OPTS);
            double t12 = now(CLOCK_PROCESS_CPUTIME_ID);
            if (doc)
                xmlFreeDoc(doc);
            double t13 = now(CLOCK_PROCESS_CPUTIME_ID);
            doc = htmlCtxtReadMemory(reuse, utf8.data ? utf8.data : "", (int)utf8.len, NULL,
                                     "UTF-8", PAGE_OPTS);
            double t14 = now(CLOCK_PROCESS_CPUTIME_ID);
            if (doc)
                xmlFreeDoc(doc);
            double t15 = now(CLOCK_PROCESS_CPUTIME_ID);
            sax_parse(conv, blank_len);
            double t16 = now(CLOCK_PROCESS_CPUTIME_ID);
            tk[PH_BLANK_SAX] += t16 - t15;
            tk[PH_REUSE] += t14 - t13;
            tk[PH_DECODE] += t1 - t0;
            tk[PH_PARSE] += t2 - t1;
            tk[PH_META] += t3 - t2;
            tk[PH_BLOCKS] += t4 - t3;
            tk[PH_FREE] += t5 - t4;
            tk[PH_SAX] += t6 - t5;
            tk[PH_NOCOMPACT] += t7 - t6;
            tk[PH_UCHARDET] += t9 - t8;
            tk[PH_ICONV] += t10 - t9;
            tk[PH_BLANK] += t11 - t10;
            tk[PH_BLANK_PARSE] += t12 - t11;
        }
    }
    size_t kept = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (conv_cap < 3 * s->v[i].len + 1)
            conv = xrealloc(conv, conv_cap = 3 * s->v[i].len + 1);
        kept += drop_raw_bodies(s->v[i].data, s->v[i].len, conv);
    }
    double med[PH__COUNT], col[1000], sum = 0;
    for (int ph = 0; ph < PH__COUNT; ph++) {
        for (int k = 0; k < rounds; k++)
            col[k] = t[(size_t)k * PH__COUNT + ph];
        med[ph] = median(col, rounds);
        if (ph <= PH_FREE)
            sum += med[ph];
    }
    double mb = (double)s->bytes / 1e6;
    printf("where (b) goes: CPU seconds per round over all pages (median of %d rounds)\n", rounds);
    for (int ph = 0; ph < PH__COUNT; ph++) {
        if (ph == PH_SAX)
            printf("%s %8.4f s\n", "  sum of the phases of (b)     ", sum);
        printf("  %s %8.4f s  %5.1f%%  %9.1f MB/s\n", phase_names[ph], med[ph],
               sum > 0 ? 100 * med[ph] / sum : 0, med[ph] > 0 ? mb / med[ph] : 0);
        if (ph == PH_BLANK)
            printf("  %s %.2f MB of %.2f MB left\n", "   (the pages less those bodies) ",
                   (double)kept / 1e6, mb);
    }
    iconv_close(cd);
    uchardet_delete(ud);
    htmlFreeParserCtxt(reuse);
    free(conv);
    free(t);
    sli_buf_free(&utf8);
    sli_buf_free(&text);
    sli_buf_free(&hints);
    sli_html_meta_free(&meta);
    return 0;
}

static void peak_rss(const page_set *s)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %.1f MB (the pages held in memory: %.1f MB)\n", (double)ru.ru_maxrss / 1024,
           (double)s->bytes / (1 << 20));
}

static void free_pages(page_set *s)
{
    for (size_t k = 0; k < s->n; k++) {
        free(s->v[k].path);
        free(s->v[k].id);
        free(s->v[k].data);
    }
    free(s->v);
}

static void usage(void)
{
    fputs("usage: html_speed [--rounds N] [--only a|b|c | --phases] [--predict OUT.jsonl]"
          " PAGE... | DIR...\n",
          stderr);
}

int main(int argc, char **argv)
{
    int rounds = 3, only = -1, i = 1, want_phases = 0;
    const char *pred = NULL;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
            rounds = atoi(argv[++i]);
            if (rounds < 1 || rounds > 1000) {
                usage();
                return 2;
            }
        } else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
            const char *o = argv[++i];
            if (strlen(o) != 1 || o[0] < 'a' || o[0] > 'c') {
                usage();
                return 2;
            }
            only = o[0] - 'a';
        } else if (!strcmp(argv[i], "--phases")) {
            want_phases = 1;
        } else if (!strcmp(argv[i], "--predict") && i + 1 < argc) {
            pred = argv[++i];
        } else {
            usage();
            return 2;
        }
    }
    if (i == argc) {
        usage();
        return 2;
    }
    page_set s = {0};
    int rc = 0;
    double t0 = now(CLOCK_MONOTONIC);
    for (; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            rc |= load_dir(&s, argv[i]);
        else
            rc |= load_page(&s, argv[i]);
    }
    double load = now(CLOCK_MONOTONIC) - t0;
    if (!s.n) {
        fputs("html_speed: no page\n", stderr);
        return 1;
    }
    printf("pages %zu  HTML %.2f MB  load (read + gunzip) %.4f s  rounds %d (median)\n", s.n,
           (double)s.bytes / 1e6, load, rounds);

    if (want_phases) {
        if (pred) {
            fputs("html_speed: --predict needs step c, not --phases\n", stderr);
            return 2;
        }
        rc |= phases(&s, rounds) ? 1 : 0;
        peak_rss(&s);
        free_pages(&s);
        return rc ? 1 : 0;
    }
    worker w;
    sli_html_page_init(&w.page);
    sli_buf_init(&w.utf8, 4 * HTML_PAGE_MAX_BYTES);
    sli_clean_result_init(&w.r, BUF_UNLIMITED);
    w.keep = NULL;
    w.keep_len = NULL;
    if (pred) {
        w.keep = calloc(s.n, sizeof *w.keep);
        w.keep_len = calloc(s.n, sizeof *w.keep_len);
        if (!w.keep || !w.keep_len) {
            fputs("html_speed: out of memory\n", stderr);
            return 1;
        }
        if (only >= 0 && only != STEP_EXTRACT) {
            fputs("html_speed: --predict needs step c\n", stderr);
            return 2;
        }
    }
    for (int step = STEP_DECODE; step <= STEP_EXTRACT; step++)
        if (only < 0 || only == step)
            time_step(&w, step, &s, rounds);
    if (pred && predict(&w, &s, pred) < 0)
        rc = 1;

    peak_rss(&s);

    sli_html_page_free(&w.page);
    sli_buf_free(&w.utf8);
    sli_clean_result_free(&w.r);
    for (size_t k = 0; w.keep && k < s.n; k++)
        free(w.keep[k]);
    free_pages(&s);
    free(w.keep);
    free(w.keep_len);
    return rc ? 1 : 0;
}
