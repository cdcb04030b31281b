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
    if (!d)
        return -1;
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

static void usage(void)
{
    fputs("usage: html_speed [--rounds N] [--only a|b|c] [--predict OUT.jsonl] PAGE... | DIR...\n",
          stderr);
}

int main(int argc, char **argv)
{
    int rounds = 3, only = -1, i = 1;
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

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %.1f MB (the pages held in memory: %.1f MB)\n", (double)ru.ru_maxrss / 1024,
           (double)s.bytes / (1 << 20));

    sli_html_page_free(&w.page);
    sli_buf_free(&w.utf8);
    sli_clean_result_free(&w.r);
    for (size_t k = 0; k < s.n; k++) {
        if (w.keep)
            free(w.keep[k]);
        free(s.v[k].path);
        free(s.v[k].id);
        free(s.v[k].data);
    }
    free(s.v);
    free(w.keep);
    free(w.keep_len);
    return rc ? 1 : 0;
}
