/* html.h — the HTML front end (internal): a page's bytes to its visible text, one block
 * per line, with what the DOM says of each block (a hint byte per line), and the page's
 * metadata.
 *
 * The cleaner is the one place that decides which lines are the article: this front end
 * gives it lines, as the text front end does, plus evidence only a DOM has (the block sat
 * in a <nav>, most of its text is link text, it is inside itemprop=articleBody, ...), so
 * the text rules are written once (docs/extraction.md).
 *
 * Steps, each in its own file:
 *   charset.c     bytes to UTF-8 (BOM, HTTP Content-Type, <meta>, else detection);
 *   html_page.c   libxml2's HTML parser over the UTF-8, then the two below;
 *   html_meta.c   title, publication date, author, site name, canonical URL, language,
 *                 JSON-LD articleBody;
 *   html_blocks.c the blocks and their hints (html_hint.h).
 *
 * Ownership: every buffer here belongs to the html_page; strings handed out point into
 * it and are valid until the next sli_html_page_read() or sli_html_page_free(). */
#ifndef SL_INGEST_HTML_H
#define SL_INGEST_HTML_H

#include <stddef.h>

#include "../core/buf.h"

/* The most bytes of HTML one page may have (a 50 MB page is read; a larger one is
 * reported and skipped). */
#define HTML_PAGE_MAX_BYTES ((size_t)64 << 20)

/* What the page says of itself. Each field is "" when the page does not say. */
typedef struct html_meta {
    buf title;       /* og:title, <h1>, <title> less the site name */
    buf date;        /* ISO 8601 publication date (with time where known) */
    const char *date_from; /* static: "json-ld", "article:published_time", "time", "url", ... or NULL */
    buf author;      /* a person, or names joined by ", " */
    buf site_name;   /* og:site_name, JSON-LD publisher */
    buf canonical;   /* <link rel=canonical>, og:url: absolute */
    buf lang;        /* BCP 47 tag as given ("en", "pt-BR"), or detected */
    buf description; /* meta description / og:description */
    buf body;        /* JSON-LD articleBody, as evidence for the blocks (may be "") */
    /* Where each came from (static strings: "og:title", "json-ld", "h1", "html lang",
     * ...), NULL when the field is "". */
    const char *title_from, *author_from, *site_name_from, *canonical_from, *lang_from,
        *description_from;
} html_meta;

/* A page read. */
typedef struct html_page {
    buf text;            /* visible blocks, one per line, '\n'-separated, no empty line */
    buf hints;           /* one html_hint byte per line of text, in order */
    html_meta meta;
    const char *charset; /* static: the encoding the bytes were read in ("UTF-8", ...) */
    buf utf8;            /* scratch: the page converted to UTF-8 */
} html_page;

void sli_html_page_init(html_page *p);
void sli_html_page_free(html_page *p);

/* Read a page: decode, parse, take its metadata and blocks. `content_type` is the HTTP
 * Content-Type header (its charset parameter counts), or NULL; `url` the page's address
 * (resolves a relative canonical link, gives a date pattern), or NULL.
 * Errors: SL_ERR_BINARY or SL_ERR_UTF8 when the bytes are not text in any encoding found
 * (*why says what), SL_ERR_TOO_BIG over HTML_PAGE_MAX_BYTES, SL_ERR_EMPTY when no
 * visible text is left, SL_ERR_NOMEM. *why is a static string or NULL. */
sl_error sli_html_page_read(html_page *p, const char *bytes, size_t n, const char *content_type,
                            const char *url, const char **why);

/* --- the steps (used by sli_html_page_read, the fuzzers and tests) --- */

/* Decode `bytes` to UTF-8 into out (cleared first). The encoding: a byte order mark,
 * else the charset of content_type, else a <meta charset> or http-equiv in the first
 * 4 kB (1 kB as browsers look, a little more for pages with long heads), else uchardet's
 * guess, else UTF-8. Bytes that do not convert become U+FFFD; a page that is mostly not
 * text (NUL bytes, control bytes, or U+FFFD) fails with SL_ERR_BINARY / SL_ERR_UTF8.
 * *charset: the encoding used (static). */
sl_error sli_html_decode(const char *bytes, size_t n, const char *content_type, buf *out,
                         const char **charset, const char **why);

/* html_meta.c and html_blocks.c work on libxml2's tree; `doc` is an htmlDocPtr, passed as
 * void * so that this header does not pull in libxml2's. */
void sli_html_meta_init(html_meta *m);
void sli_html_meta_free(html_meta *m);
void sli_html_meta_clear(html_meta *m);
sl_error sli_html_meta_read(const void *doc, const char *url, html_meta *m);

/* The visible blocks of doc and their hints (html_hint.h) into text and hints (both
 * cleared first). meta (already read) is evidence: its body and title. */
sl_error sli_html_blocks(const void *doc, const html_meta *meta, buf *text, buf *hints);

#endif
