/* html_extract — the HTML front end and the cleaner in process, no store: each page is
 * read (sli_html_page_read: decode, parse, metadata, blocks with their DOM hints), split
 * and labelled (sli_clean_split, sli_clean_label_lines with the hints, no repetition
 * statistics), and its cleaned text written as a JSON Lines record
 * {"id": "<file base name>", "text": "..."} to standard output, which
 * bench/score_extraction scores (bench/extraction_eval.sh, docs/extraction.md).
 *
 *   html_extract [--time] [--explain FILE] [--no-hints] PAGE...
 *
 * PAGE: .html, .htm, or either gzip-compressed (zlib reads both). The id is the base name
 * less .gz and .html/.htm.
 * --time     all pages are read into memory first; then the MB/s (of uncompressed HTML per
 *            second of this thread's CPU time: one core) of parse + extract, and of parse +
 *            extract + clean, go to stderr;
 * --explain  FILE gets every line of every page with its label and the reason;
 * --no-hints cleans the front end's lines as text (hints NULL): what the text path does.
 * Exit status: 0 when every page was read, 1 when some could not be, 2 on usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "clean/clean.h"
#include "core/json_writer.h"
#include "ingest/html.h"
#include "ingest/html_hint.h"

static int write_out(void *user, const char *data, size_t len)
{
    return fwrite(data, 1, len, (FILE *)user) == len ? 0 : -1;
}

typedef struct page {
    char *id;
    char *bytes;
    size_t n;
} page;

static int read_page(const char *path, page *p)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    for (;;) {
        if (!b) {
            gzclose(f);
            return -1;
        }
        int got = gzread(f, b + n, (unsigned)(cap - n));
        if (got < 0) {
            free(b);
            gzclose(f);
            return -1;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n == cap) {
            cap *= 2;
            char *v = realloc(b, cap);
            if (!v)
                free(b);
            b = v;
        }
    }
    gzclose(f);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len > 3 && !strcmp(base + len - 3, ".gz"))
        len -= 3;
    if (len > 5 && !strncmp(base + len - 5, ".html", 5))
        len -= 5;
    else if (len > 4 && !strncmp(base + len - 4, ".htm", 4))
        len -= 4;
    p->id = malloc(len + 1);
    if (!p->id) {
        free(b);
        return -1;
    }
    memcpy(p->id, base, len);
    p->id[len] = '\0';
    p->bytes = b;
    p->n = n;
    return 0;
}

/* CPU time of this thread: the cost on one core, whatever else the machine runs. */
static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Each line with its label, its hint and why. */
static void explain_page(FILE *f, const page *pg, const html_page *hp, const clean_result *r)
{
    const char *raw = sli_buf_str(&hp->text);
    clean_input in = {.hints = (const unsigned char *)hp->hints.data, .n_hints = hp->hints.len};
    unsigned char *h = sli_clean_line_hints(raw, &in, r);
    fprintf(f, "=== %s\n", pg->id);
    for (size_t i = 0; h && i < r->n; i++) {
        const clean_line *l = &r->lines[i];
        fprintf(f, "%-11s %02x %-44s | %.*s\n", sli_clean_label_name(l->label), h[i],
                l->why ? l->why : "", (int)(l->len > 160 ? 160 : l->len), raw + l->start);
    }
    free(h);
}

int main(int argc, char **argv)
{
    int timing = 0, hints_on = 1;
    const char *explain = NULL;
    int a = 1;
    for (; a < argc && argv[a][0] == '-'; a++) {
        if (!strcmp(argv[a], "--time"))
            timing = 1;
        else if (!strcmp(argv[a], "--no-hints"))
            hints_on = 0;
        else if (!strcmp(argv[a], "--explain") && a + 1 < argc)
            explain = argv[++a];
        else {
            fprintf(stderr, "usage: html_extract [--time] [--explain FILE] [--no-hints] PAGE...\n");
            return 2;
        }
    }
    size_t np = (size_t)(argc - a);
    page *pages = calloc(np ? np : 1, sizeof *pages);
    if (!pages)
        return 1;
    int status = 0;
    size_t total = 0, ok = 0;
    for (size_t i = 0; i < np; i++) {
        if (read_page(argv[a + (int)i], &pages[i])) {
            fprintf(stderr, "html_extract: %s: cannot read\n", argv[a + (int)i]);
            status = 1;
            continue;
        }
        total += pages[i].n;
    }
    FILE *ex = NULL;
    if (explain && !(ex = fopen(explain, "w"))) {
        perror(explain);
        return 2;
    }
    html_page hp;
    sli_html_page_init(&hp);
    clean_result r;
    sli_clean_result_init(&r, BUF_UNLIMITED);
    jw w;
    sli_jw_init(&w, write_out, stdout, 0);
    double t_parse = 0, t_clean = 0;
    for (size_t i = 0; i < np; i++) {
        const page *pg = &pages[i];
        if (!pg->bytes)
            continue;
        const char *why = NULL;
        double t0 = now();
        sl_error err = sli_html_page_read(&hp, pg->bytes, pg->n, NULL, NULL, &why);
        double t1 = now();
        t_parse += t1 - t0;
        if (err) {
            fprintf(stderr, "html_extract: %s: %s\n", pg->id, why ? why : "cannot read");
            if (err == SL_ERR_NOMEM)
                status = 1;
            continue;
        }
        const char *raw = sli_buf_str(&hp.text);
        clean_input in = {0};
        if (hints_on) {
            in.hints = (const unsigned char *)hp.hints.data;
            in.n_hints = hp.hints.len;
        }
        err = sli_clean_split(raw, hp.text.len, &r, NULL);
        if (!err)
            err = sli_clean_label_lines(raw, hp.text.len, &in, &r);
        t_clean += now() - t1;
        if (err) {
            fprintf(stderr, "html_extract: %s: cleaning failed\n", pg->id);
            status = 1;
            continue;
        }
        ok++;
        sli_jw_begin_object(&w);
        sli_jw_key(&w, "id");
        sli_jw_string(&w, pg->id);
        sli_jw_key(&w, "text");
        sli_jw_string_n(&w, r.text.data ? r.text.data : "", r.text.len);
        sli_jw_end_object(&w);
        sli_jw_newline(&w);
        if (ex)
            explain_page(ex, pg, &hp, &r);
    }
    if (sli_jw_finish(&w))
        status = 1;
    if (timing) {
        double mb = (double)total / 1e6;
        fprintf(stderr, "html_extract: %zu pages, %.1f MB of HTML, one thread (CPU time)\n", ok, mb);
        fprintf(stderr, "  parse + extract:          %.3f s  %.1f MB/s  %.2f ms/page\n", t_parse,
                mb / t_parse, 1e3 * t_parse / (double)(ok ? ok : 1));
        fprintf(stderr, "  parse + extract + clean:  %.3f s  %.1f MB/s  %.2f ms/page\n",
                t_parse + t_clean, mb / (t_parse + t_clean),
                1e3 * (t_parse + t_clean) / (double)(ok ? ok : 1));
    }
    if (ex)
        fclose(ex);
    sli_clean_result_free(&r);
    sli_html_page_free(&hp);
    for (size_t i = 0; i < np; i++) {
        free(pages[i].id);
        free(pages[i].bytes);
    }
    free(pages);
    return status;
}
