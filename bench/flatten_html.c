/* flatten_html — the visible text of HTML pages, the way a naive scraper keeps it: one block
 * per line, no cleaning. Used by bench/extraction_eval.sh to turn the article-extraction
 * benchmark's pages into plain-text articles ("keep every line" is the baseline).
 *
 *   flatten_html [-o OUTDIR] FILE...
 *
 * FILE is HTML, plain or gzip-compressed (zlib reads both). With -o, FILE's text goes to
 * OUTDIR/NAME.txt, NAME being FILE's base name less .gz and .html/.htm; without -o the one
 * FILE's text goes to standard output.
 *
 * Bytes to text: a byte order mark wins, then a charset declared in a <meta> tag (either
 * form), else UTF-8. The page is converted to UTF-8 here (iconv; a byte that does not convert
 * becomes U+FFFD) and handed to libxml2 as UTF-8, so the output is always valid UTF-8.
 * libxml2's HTML parser (RECOVER, NOERROR, NOWARNING, NONET) gets XML_PARSE_HUGE too: without
 * it, 2.9.x stops at the 256th nested element and the rest of the page is lost.
 *
 * What is kept: text nodes, except under head, title, script, style, noscript, template,
 * svg, iframe and any element carrying the `hidden` attribute. Block-level elements (and
 * br, hr) end the current line; within a line, whitespace runs (ASCII, NBSP and the Unicode
 * spaces) become one space; inside <pre> a newline ends the line. Lines are trimmed and
 * empty ones dropped. Inline elements add no space of their own: "foo<b>bar</b>" is
 * "foobar" and a drop cap "<span>T</span>he" is "The", as a browser shows them. (Putting a
 * space at every inline boundary, as html-text does, scores the same F1 on the benchmark:
 * it mends pages whose ground truth has spaces around links, and breaks drop caps.)
 *
 * Exit status: 0 all files done, 1 some file could not be read or written, 2 usage. */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h> /* strncasecmp, strcasecmp */
#include <sys/stat.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <zlib.h>

#define PAGE_MAX_BYTES (256u << 20) /* bytes of (uncompressed) HTML per page */

/* ---- growable byte buffer ---- */

typedef struct {
    char *p;
    size_t len, cap;
    int oom;
} buf;

static int sli_buf_reserve(buf *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (b->len + extra <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

static void buf_add(buf *b, const void *s, size_t n)
{
    if (n && sli_buf_reserve(b, n) == 0) {
        memcpy(b->p + b->len, s, n);
        b->len += n;
    }
}

/* ---- reading ---- */

/* Reads the whole (decompressed) file into *out. Returns 0, or -1 with a message printed. */
static int read_file(const char *path, buf *out)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz) {
        fprintf(stderr, "flatten_html: %s: %s\n", path, errno ? strerror(errno) : "cannot open");
        return -1;
    }
    for (;;) {
        if (out->len >= PAGE_MAX_BYTES) {
            fprintf(stderr, "flatten_html: %s: larger than %u MiB\n", path, PAGE_MAX_BYTES >> 20);
            gzclose(gz);
            return -1;
        }
        if (sli_buf_reserve(out, 1 << 16) < 0) {
            fprintf(stderr, "flatten_html: %s: out of memory\n", path);
            gzclose(gz);
            return -1;
        }
        int n = gzread(gz, out->p + out->len, 1 << 16);
        if (n < 0) {
            int zerr;
            const char *msg = gzerror(gz, &zerr);
            fprintf(stderr, "flatten_html: %s: %s\n", path,
                    zerr == Z_ERRNO ? strerror(errno) : msg);
            gzclose(gz);
            return -1;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
    }
    gzclose(gz);
    return 0;
}

/* ---- charset ---- */

static const char *memcasemem(const char *h, size_t hn, const char *needle)
{
    size_t nn = strlen(needle);
    for (size_t i = 0; i + nn <= hn; i++)
        if (!strncasecmp(h + i, needle, nn))
            return h + i;
    return NULL;
}

/* The charset named by the first <meta charset=...> or <meta http-equiv content="...;
 * charset=..."> in the first bytes of the page, copied into cs; 0 if none. */
static int declared_charset(const char *s, size_t n, char cs[64])
{
    size_t scan = n < (1u << 19) ? n : (1u << 19);
    const char *p = s, *end = s + scan;
    while ((p = memcasemem(p, (size_t)(end - p), "<meta")) != NULL) {
        const char *close = memchr(p, '>', (size_t)(end - p));
        const char *tag_end = close ? close : end;
        const char *c = memcasemem(p, (size_t)(tag_end - p), "charset");
        if (c) {
            c += 7;
            while (c < tag_end && (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r'))
                c++;
            if (c < tag_end && *c == '=') {
                c++;
                while (c < tag_end && (*c == ' ' || *c == '\t' || *c == '"' || *c == '\''))
                    c++;
                size_t k = 0;
                while (c < tag_end && k < 63 &&
                       ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                        (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.' ||
                        *c == ':'))
                    cs[k++] = *c++;
                cs[k] = '\0';
                if (k)
                    return 1;
            }
        }
        p += 5;
    }
    return 0;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if the bytes there are not one. */
static size_t utf8_valid_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* Appends s (UTF-8 or not) to out as valid UTF-8: a bad byte becomes U+FFFD, NUL and the
 * C0 controls other than whitespace become a space (libxml2 stops or complains at them). */
static void add_sanitized(buf *out, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && u[run] >= 0x20 && u[run] < 0x80)
            run++;
        buf_add(out, u + i, run - i);
        i = run;
        if (i >= n)
            break;
        if (u[i] < 0x20) {
            char c = (u[i] == '\t' || u[i] == '\n' || u[i] == '\r' || u[i] == '\f') ? (char)u[i]
                                                                                    : ' ';
            buf_add(out, &c, 1);
            i++;
            continue;
        }
        size_t len = utf8_valid_len(u + i, n - i);
        if (len) {
            buf_add(out, u + i, len);
            i += len;
        } else {
            buf_add(out, "\xEF\xBF\xBD", 3);
            i++;
        }
    }
}

/* Converts in (charset cs) to UTF-8 into out with iconv. Returns 0, or -1 if iconv does
 * not know cs (out untouched). */
static int convert(const char *cs, const char *in, size_t n, buf *out)
{
    iconv_t cd = iconv_open("UTF-8", cs);
    if (cd == (iconv_t)-1)
        return -1;
    buf tmp = {0};
    char *src = (char *)in;
    size_t left = n;
    while (left > 0 && !tmp.oom) {
        if (sli_buf_reserve(&tmp, left * 2 + 16) < 0)
            break;
        char *dst = tmp.p + tmp.len;
        size_t room = tmp.cap - tmp.len;
        size_t r = iconv(cd, &src, &left, &dst, &room);
        tmp.len = (size_t)(dst - tmp.p);
        if (r == (size_t)-1) {
            if (errno == E2BIG)
                continue;
            /* EILSEQ or EINVAL (truncated at the end): one replacement char, skip a byte. */
            buf_add(&tmp, "\xEF\xBF\xBD", 3);
            src++;
            left--;
            iconv(cd, NULL, NULL, NULL, NULL);
        }
    }
    iconv_close(cd);
    add_sanitized(out, tmp.p ? tmp.p : "", tmp.len); /* iconv may pass NUL and controls */
    if (tmp.oom)
        out->oom = 1;
    free(tmp.p);
    return 0;
}

/* The page as UTF-8 (without a byte order mark). */
static void to_utf8(const char *s, size_t n, buf *out)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        add_sanitized(out, s + 3, n - 3);
        return;
    }
    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        if (convert(u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE", s + 2, n - 2, out) == 0)
            return;
    }
    char cs[64];
    if (declared_charset(s, n, cs)) {
        /* As browsers do (WHATWG encoding labels): Latin-1 and ASCII labels mean
         * windows-1252; a UTF-16 label in an ASCII-compatible page means UTF-8. */
        const char *use = cs;
        if (!strcasecmp(cs, "utf-8") || !strcasecmp(cs, "utf8") || !strncasecmp(cs, "utf-16", 6) ||
            !strcasecmp(cs, "unicode-1-1-utf-8"))
            use = NULL;
        else if (!strcasecmp(cs, "iso-8859-1") || !strcasecmp(cs, "iso8859-1") ||
                 !strcasecmp(cs, "latin1") || !strcasecmp(cs, "l1") ||
                 !strcasecmp(cs, "us-ascii") || !strcasecmp(cs, "ascii"))
            use = "WINDOWS-1252";
        if (use && convert(use, s, n, out) == 0)
            return;
    }
    add_sanitized(out, s, n);
}

/* ---- flattening ---- */

typedef struct {
    buf line;         /* the line being built */
    int space;        /* whitespace seen since the line's last character */
    int pre;          /* depth of <pre> elements we are in */
    FILE *out;
} flat;

static int name_in(const xmlChar *name, const char *const *set)
{
    for (; *set; set++)
        if (!strcmp((const char *)name, *set))
            return 1;
    return 0;
}

static const char *const skipped[] = {"head",     "title", "script", "style", "noscript",
                                      "template", "svg",   "iframe", NULL};

static const char *const blocks[] = {
    "p",        "div",     "h1",     "h2",      "h3",      "h4",         "h5",
    "h6",       "li",      "ul",     "ol",      "table",   "tr",         "td",
    "th",       "section", "article", "header", "footer",  "nav",        "aside",
    "main",     "blockquote", "pre", "figure",  "figcaption", "form",    "br",
    "hr",       "dd",      "dt",     "dl",      "address", "caption",    "thead",
    "tbody",    "tfoot",   "fieldset", "legend", "details", "summary",   "dialog",
    "menu",     "hgroup",  "center", "body",    "html",    "option",     "textarea",
    "video",    "audio",   "noframes", "dir",   NULL};

static void end_line(flat *f)
{
    if (f->line.len) {
        fwrite(f->line.p, 1, f->line.len, f->out);
        fputc('\n', f->out);
    }
    f->line.len = 0;
    f->space = 0;
}

/* Bytes of whitespace at s: ASCII whitespace, NBSP, U+2000..U+200A, U+2028, U+2029,
 * U+202F, U+205F, U+3000; 0 if none. */
static size_t space_len(const unsigned char *s, size_t n)
{
    if (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r' || s[0] == '\f' ||
        s[0] == '\v')
        return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
        ((s[2] >= 0x80 && s[2] <= 0x8A) || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
        return 3;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
        return 3;
    if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    return 0;
}

static void add_text(flat *f, const xmlChar *text)
{
    const unsigned char *s = text;
    size_t n = strlen((const char *)s), i = 0;
    while (i < n) {
        size_t sp = space_len(s + i, n - i);
        if (sp) {
            if (f->pre && s[i] == '\n')
                end_line(f);
            else
                f->space = 1;
            i += sp;
            continue;
        }
        size_t j = i + 1;
        while (j < n && (s[j] & 0xC0) == 0x80)
            j++;
        if (f->space && f->line.len)
            buf_add(&f->line, " ", 1);
        f->space = 0;
        buf_add(&f->line, s + i, j - i);
        i = j;
    }
}

/* Starts node n. Returns 1 if it is an element to descend into (and leave() later). */
static int enter(flat *f, xmlNode *n)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content)
            add_text(f, n->content);
        return 0;
    }
    if (n->type != XML_ELEMENT_NODE || !n->name)
        return 0;
    if (name_in(n->name, skipped) || xmlHasProp(n, (const xmlChar *)"hidden"))
        return 0;
    if (name_in(n->name, blocks))
        end_line(f);
    if (!strcmp((const char *)n->name, "pre"))
        f->pre++;
    return 1;
}

static void leave(flat *f, xmlNode *n)
{
    if (!strcmp((const char *)n->name, "pre"))
        f->pre--;
    if (name_in(n->name, blocks))
        end_line(f);
}

/* Depth-first over first and its following siblings, without recursion (pages nest deep). */
static void walk(flat *f, xmlNode *first)
{
    xmlNode *top = first ? first->parent : NULL, *n = first;
    while (n) {
        int entered = enter(f, n);
        if (entered && n->children) {
            n = n->children;
            continue;
        }
        if (entered)
            leave(f, n);
        while (n && !n->next) {
            n = n->parent;
            if (!n || n == top)
                return;
            leave(f, n);
        }
        n = n->next;
    }
}

static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Flattens one page to out. Returns 0, or -1 with a message printed. */
static int flatten(const char *path, FILE *out)
{
    buf raw = {0}, text = {0};
    if (read_file(path, &raw) < 0) {
        free(raw.p);
        return -1;
    }
    to_utf8(raw.p ? raw.p : "", raw.len, &text);
    free(raw.p);
    if (text.oom || text.len > (size_t)PAGE_MAX_BYTES * 4) {
        fprintf(stderr, "flatten_html: %s: out of memory\n", path);
        free(text.p);
        return -1;
    }
    htmlDocPtr doc = htmlReadMemory(text.p ? text.p : "", (int)text.len, path, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                        HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                        HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE);
    free(text.p);
    if (!doc) /* nothing parseable (an empty file): no text */
        return 0;
    flat f = {.out = out};
    walk(&f, doc->children);
    end_line(&f);
    int rc = 0;
    if (f.line.oom) {
        fprintf(stderr, "flatten_html: %s: out of memory\n", path);
        rc = -1;
    }
    free(f.line.p);
    xmlFreeDoc(doc);
    return rc;
}

/* OUTDIR/NAME.txt for input path; NULL if out of memory. */
static char *out_name(const char *dir, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 3 && !strcmp(base + n - 3, ".gz"))
        n -= 3;
    if (n > 5 && !strncasecmp(base + n - 5, ".html", 5))
        n -= 5;
    else if (n > 4 && !strncasecmp(base + n - 4, ".htm", 4))
        n -= 4;
    size_t size = strlen(dir) + 1 + n + 5;
    char *name = malloc(size);
    if (name)
        snprintf(name, size, "%s/%.*s.txt", dir, (int)n, base);
    return name;
}

/* mkdir -p */
static int make_dirs(const char *dir)
{
    char *p = strdup(dir);
    if (!p)
        return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) < 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = (mkdir(p, 0777) < 0 && errno != EEXIST) ? -1 : 0;
    free(p);
    return rc;
}

static int usage(void)
{
    fputs("usage: flatten_html [-o OUTDIR] FILE...\n"
          "  The visible text of each HTML page (plain or .gz), one block per line:\n"
          "  to OUTDIR/NAME.txt with -o, else (one FILE) to standard output.\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const char *outdir = NULL;
    int first = 1;
    for (; first < argc; first++) {
        if (!strcmp(argv[first], "-o") && first + 1 < argc)
            outdir = argv[++first];
        else if (!strcmp(argv[first], "--"))
            break;
        else if (argv[first][0] == '-')
            return usage();
        else
            break;
    }
    if (first < argc && !strcmp(argv[first], "--"))
        first++;
    int nfiles = argc - first;
    if (nfiles < 1 || (!outdir && nfiles > 1))
        return usage();
    if (outdir && make_dirs(outdir) < 0) {
        fprintf(stderr, "flatten_html: %s: %s\n", outdir, strerror(errno));
        return 1;
    }

    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, quiet);
    int rc = 0;
    for (int i = first; i < argc; i++) {
        if (!outdir) {
            if (flatten(argv[i], stdout) < 0)
                rc = 1;
            continue;
        }
        char *name = out_name(outdir, argv[i]);
        FILE *f = name ? fopen(name, "w") : NULL;
        if (!f) {
            fprintf(stderr, "flatten_html: %s: %s\n", name ? name : argv[i], strerror(errno));
            free(name);
            rc = 1;
            continue;
        }
        int bad = flatten(argv[i], f) < 0;
        if (ferror(f) | fclose(f)) {
            fprintf(stderr, "flatten_html: %s: write error\n", name);
            bad = 1;
        }
        if (bad) {
            remove(name);
            rc = 1;
        }
        free(name);
    }
    xmlCleanupParser();
    if (fflush(stdout) || ferror(stdout)) {
        fputs("flatten_html: write error on standard output\n", stderr);
        rc = 1;
    }
    return rc;
}
