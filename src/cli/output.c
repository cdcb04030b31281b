/* output.c — small output helpers of the command. */
#include <stdarg.h>
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

int cli_common_option(cli *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (!strcmp(a, "--json")) {
        c->json = 1;
    } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
        c->quiet = 1;
    } else if (!strcmp(a, "--db")) {
        if (*i + 1 >= argc) {
            cli_error("--db needs a path");
            return -1;
        }
        c->db = argv[++*i];
    } else if (!strncmp(a, "--db=", 5)) {
        c->db = a + 5;
    } else {
        return 0;
    }
    ++*i;
    return 1;
}

int cli_wants_help(char **argv, int i, const char *help)
{
    if (strcmp(argv[i], "--help") && strcmp(argv[i], "-h"))
        return 0;
    fputs(help, stdout);
    return 1;
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
