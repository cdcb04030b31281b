/* output.c — small output helpers of the command. */
#include <stdarg.h>
#include <stdint.h> /* SIZE_MAX */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("storyline: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Read a size such as 500000, 512k or 8M. */
static int parse_size(const char *s, size_t *out)
{
    if (*s < '0' || *s > '9')
        return 0; /* strtoull would take "-1" */
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    int shift = *end == 'k' || *end == 'K' ? 10 : *end == 'M' || *end == 'm' ? 20 : 0;
    if (shift)
        end++;
    if (*end || !v || v > (SIZE_MAX >> shift))
        return 0;
    v <<= shift;
    *out = (size_t)v;
    return 1;
}

int cli_parse(cli *c, int argc, char **argv, const char *help, unsigned options,
              const char **pos, int min_pos, int max_pos, int *npos)
{
    int n = 0, only_pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (only_pos || a[0] != '-' || !a[1]) {
            if (n == max_pos) {
                cli_error("%s: unexpected argument '%s' (see storyline %s --help)", argv[0], a,
                          argv[0]);
                return EXIT_FAILED;
            }
            pos[n++] = a;
        } else if (!strcmp(a, "--")) {
            only_pos = 1;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(help, stdout);
            return EXIT_ALL_OK;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            c->quiet = 1;
        } else if (!strcmp(a, "--db") && has_value) {
            c->db = argv[++i];
        } else if (!strncmp(a, "--db=", 5)) {
            c->db = a + 5;
        } else if ((options & OPT_JSON) && !strcmp(a, "--json")) {
            c->json = 1;
        } else if ((options & OPT_MAX_ARTICLE) && !strcmp(a, "--max-article-bytes") &&
                   has_value) {
            if (!parse_size(argv[++i], &c->max_article_bytes)) {
                cli_error("--max-article-bytes: expected a size like 500000, 512k or 8M");
                return EXIT_FAILED;
            }
        } else if ((options & OPT_EXPLAIN) && !strcmp(a, "--explain")) {
            c->explain = 1;
        } else if ((options & OPT_EXPORT) && !strcmp(a, "--format") && has_value) {
            c->format = argv[++i];
        } else if ((options & OPT_EXPORT) && !strcmp(a, "--what") && has_value) {
            c->what = argv[++i];
        } else {
            cli_error("%s: unknown option '%s', or it needs a value (see storyline %s --help)",
                      argv[0], a, argv[0]);
            return EXIT_FAILED;
        }
    }
    if (n < min_pos) {
        fputs(help, stderr);
        return EXIT_FAILED;
    }
    if (npos)
        *npos = n;
    return -1;
}

sl_store *cli_open_readonly(const cli *c)
{
    sl_store *st = NULL;
    sl_error err = sl_store_open(c->db, SL_OPEN_READONLY, &st);
    if (err == SL_ERR_NOT_FOUND)
        cli_error("no store at %s (create one with 'storyline add PATH', or give --db PATH)",
                  c->db);
    else if (err)
        cli_error("cannot open store %s: %s", c->db, sl_strerror(err));
    return st;
}

int cli_finish(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "storyline: cannot write the output\n");
        return EXIT_FAILED;
    }
    return rc;
}

int cli_write_file(void *user, const char *data, size_t len)
{
    return fwrite(data, 1, len, (FILE *)user) != len;
}

const char *cli_bytes(long long n, char out[32])
{
    if (n < 1000)
        snprintf(out, 32, "%lld B", n);
    else if (n < 1000 * 1000)
        snprintf(out, 32, "%.1f kB", (double)n / 1e3);
    else if (n < 1000LL * 1000 * 1000)
        snprintf(out, 32, "%.1f MB", (double)n / 1e6);
    else
        snprintf(out, 32, "%.2f GB", (double)n / 1e9);
    return out;
}

void cli_print_cell(FILE *f, const char *s, int width, int pad)
{
    if (!s)
        s = "-";
    int cols = 0;
    const char *p = s;
    /* Count code points (lead bytes) as columns: good enough for a listing. */
    while (*p && cols < width) {
        const char *q = p + 1;
        while ((*q & 0xC0) == 0x80)
            q++;
        if (cols == width - 1 && *q) {
            fputs("\xE2\x80\xA6", f); /* an ellipsis marks the cut */
            cols++;
            p = q;
            while (*p)
                p++;
            break;
        }
        unsigned char c = (unsigned char)*p;
        if (c < 0x20)
            fputc(' ', f);
        else
            fwrite(p, 1, (size_t)(q - p), f);
        cols++;
        p = q;
    }
    if (pad)
        for (; cols < width; cols++)
            fputc(' ', f);
}

int cli_list(cli *c, int argc, char **argv, const char *help, const char *what,
             sl_error (*json)(sl_store *st, sl_write_fn fn, void *user),
             sl_error (*text)(sl_store *st))
{
    int rc = cli_parse(c, argc, argv, help, OPT_JSON, NULL, 0, 0, NULL);
    if (rc >= 0)
        return rc;
    sl_store *st = cli_open_readonly(c);
    if (!st)
        return EXIT_FAILED;
    sl_error err = c->json ? json(st, cli_write_file, stdout) : text(st);
    if (err)
        cli_error("cannot list %s: %s", what, sl_strerror(err));
    sl_store_free(st);
    return err ? EXIT_FAILED : EXIT_ALL_OK;
}
