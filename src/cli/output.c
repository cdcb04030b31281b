/* output.c — small output helpers of the command. */
#include <stdarg.h>
#include <stdint.h> /* SIZE_MAX */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* --- Terminal safety: the one place where text from articles and file names is made
 * safe to print.
 *
 * Article data (titles, text, sources, ids, metadata) and file names can hold anything,
 * and a terminal acts on some of it: ESC and the other C0 controls start escape
 * sequences (set the window title, clear the screen, plant an OSC 8 hyperlink), C1
 * controls (U+0080-U+009F, U+009B being a CSI) do the same on some terminals, DEL and
 * the bidirectional overrides, embeddings, isolates and marks (U+202A-U+202E,
 * U+2066-U+2069, U+200E/U+200F, U+061C) reorder or hide what is around them, a line
 * separator (U+2028/U+2029) or a newline in a file name can fake a line of output.
 * Each such code point is written as a visible escape instead:
 *   \n \r \t    newline, carriage return, tab (where a line may not hold them)
 *   \xHH        any other C0 control, DEL, and each byte that is not valid UTF-8
 *   \u{HHHH}    a C1 control, a bidi control or a line separator
 * Body text that has lines (an article's text) keeps its newlines and tabs; a listing
 * cell turns newline, carriage return and tab into a space. A backslash is written as it
 * is: the escapes are for a human reader, not to be decoded. Everything else, printable
 * UTF-8, is written unchanged. JSON output is escaped by the library's JSON writer; CSV,
 * which holds the data as it is, goes through this filter when stdout is a terminal
 * (cli_write_terminal). */

/* Whether code point cp (>= 0x80) is one a terminal acts on or that reorders text: the
 * set of the library's sli_utf8_invisible_control (core/utf8.c), which the command, built
 * on the public API alone, cannot call. */
static int unsafe_code_point(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Length of the valid UTF-8 sequence at s[0..n) (n > 0) and its code point, or 0. The
 * command sees only the public API (include/storyline.h), so it decodes for itself rather
 * than call the library's internal core/utf8.c. */
static size_t utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2, min = 0x80, *cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, min = 0x800, *cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, min = 0x10000, *cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

size_t cli_safe_next(const char *s, size_t n, int mode, char out[CLI_SAFE_MAX])
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned cp;
    size_t len = utf8_next(u, n, &cp);
    if (!len) {
        snprintf(out, CLI_SAFE_MAX, "\\x%02X", u[0]);
        return 1;
    }
    if (cp == '\n' || cp == '\t' || cp == '\r') {
        if (mode == CLI_SAFE_CELL)
            snprintf(out, CLI_SAFE_MAX, " ");
        else if (mode == CLI_SAFE_TEXT && cp != '\r')
            snprintf(out, CLI_SAFE_MAX, "%c", (char)cp);
        else
            snprintf(out, CLI_SAFE_MAX, "%s", cp == '\n' ? "\\n" : cp == '\t' ? "\\t" : "\\r");
    } else if (cp < 0x20 || cp == 0x7F) {
        snprintf(out, CLI_SAFE_MAX, "\\x%02X", cp);
    } else if (unsafe_code_point(cp)) {
        snprintf(out, CLI_SAFE_MAX, "\\u{%04X}", cp);
    } else {
        memcpy(out, s, len);
        out[len] = '\0';
    }
    return len;
}

void cli_put_safe(FILE *f, const char *s, int mode)
{
    if (s)
        cli_write_safe(f, s, strlen(s), mode);
}

void cli_write_safe(FILE *f, const char *s, size_t n, int mode)
{
    const char *run = s; /* bytes written as they are, not yet written */
    while (n) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c < 0x7F) { /* the common case: printable ASCII */
            s++, n--;
            continue;
        }
        char rep[CLI_SAFE_MAX];
        size_t len = cli_safe_next(s, n, mode, rep);
        if (len > 1 && !memcmp(rep, s, len) && rep[len] == '\0') {
            s += len, n -= len; /* printable UTF-8, unchanged */
            continue;
        }
        fwrite(run, 1, (size_t)(s - run), f);
        fputs(rep, f);
        s += len, n -= len;
        run = s;
    }
    fwrite(run, 1, (size_t)(s - run), f);
}

void cli_error(const char *fmt, ...)
{
    /* The whole message goes through the terminal filter, whatever its arguments hold
     * (file names, ids, store messages that quote them). */
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char small[1024];
    char *msg = n >= 0 && (size_t)n < sizeof small ? small : malloc(n >= 0 ? (size_t)n + 1 : 1);
    if (!msg) {
        msg = small;
        n = (int)sizeof small - 1; /* cut short rather than lost */
    }
    va_start(ap, fmt);
    vsnprintf(msg, n >= 0 ? (size_t)n + 1 : 1, fmt, ap);
    va_end(ap);
    fputs("storyline: ", stderr);
    cli_put_safe(stderr, msg, CLI_SAFE_LINE);
    fputc('\n', stderr);
    if (msg != small)
        free(msg);
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
        } else if ((options & OPT_SLICE) && !strcmp(a, "--slice") && has_value) {
            const char *v = argv[++i];
            char *end = NULL;
            errno = 0;
            long long k = *v >= '0' && *v <= '9' ? strtoll(v, &end, 10) : -1;
            if (k < 0 || *end || errno) {
                cli_error("--slice: expected a number of articles (0: one transaction)");
                return EXIT_FAILED;
            }
            c->slice = k;
        } else if ((options & OPT_PAGE) && (!strcmp(a, "--limit") || !strcmp(a, "--offset")) &&
                   has_value) {
            const char *v = argv[++i];
            char *end = NULL;
            errno = 0;
            long long k = *v >= '0' && *v <= '9' ? strtoll(v, &end, 10) : -1;
            if (k < 0 || *end || errno || (a[2] == 'l' && k == 0)) {
                cli_error("%s: expected a number (--limit: 1 or more)", a);
                return EXIT_FAILED;
            }
            *(a[2] == 'l' ? &c->limit : &c->offset) = k;
        } else if ((options & OPT_NO_SEARCH) && !strcmp(a, "--no-search")) {
            c->no_search = 1;
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

sl_error cli_open_store(const char *path, unsigned flags, sl_store **out)
{
    char why[SL_ERRMSG_SIZE];
    sl_error err = sl_store_open_msg(path, flags, out, why, sizeof why);
    if (err == SL_ERR_NOT_FOUND && !(flags & SL_OPEN_CREATE))
        cli_error("no store at %s (create one with 'storyline add PATH', or give --db PATH)",
                  path);
    else if (err && !strncmp(why, path, strlen(path)) && !strncmp(why + strlen(path), ": ", 2))
        cli_error("cannot open store %s", why); /* it names the file first */
    else if (err)
        cli_error("cannot open store %s: %s", path, *why ? why : sl_strerror(err));
    return err;
}

sl_store *cli_open_readonly(const cli *c)
{
    sl_store *st = NULL;
    cli_open_store(c->db, SL_OPEN_READONLY, &st);
    return st;
}

void cli_store_error(sl_store *st, const char *what, sl_error err)
{
    const char *detail = sl_store_errmsg(st);
    cli_error("%s: %s%s%s", what, sl_strerror(err), *detail ? ": " : "", detail);
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

int cli_write_terminal(void *user, const char *data, size_t len)
{
    FILE *f = user;
    /* Line by line: a CR that ends a line (CSV's CRLF) is harmless and kept; anything
     * else goes through the terminal filter (text mode: newlines and tabs kept). */
    while (len) {
        const char *nl = memchr(data, '\n', len);
        size_t line = nl ? (size_t)(nl - data) : len;
        size_t body = line && data[line - 1] == '\r' && nl ? line - 1 : line;
        cli_write_safe(f, data, body, CLI_SAFE_TEXT);
        if (nl)
            fputs(body < line ? "\r\n" : "\n", f);
        data += nl ? line + 1 : line;
        len -= nl ? line + 1 : line;
    }
    return ferror(f) != 0;
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
    size_t n = strlen(s);
    /* Count code points (or the characters of an escape) as columns: good enough for a
     * listing. */
    while (n && cols < width) {
        char rep[CLI_SAFE_MAX];
        size_t len = cli_safe_next(s, n, CLI_SAFE_CELL, rep);
        int w = (unsigned char)rep[0] >= 0x80 ? 1 : (int)strlen(rep);
        if (cols + w > width - 1 && n > len) {
            fputs("\xE2\x80\xA6", f); /* an ellipsis marks the cut */
            cols++;
            n = 0;
            break;
        }
        if (cols + w > width)
            break;
        fputs(rep, f);
        cols += w;
        s += len, n -= len;
    }
    if (n && cols < width) {
        fputs("\xE2\x80\xA6", f);
        cols++;
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
    if (err) {
        char msg[64];
        snprintf(msg, sizeof msg, "cannot list %s", what);
        cli_store_error(st, msg, err);
    }
    sl_store_free(st);
    return err ? EXIT_FAILED : EXIT_ALL_OK;
}
