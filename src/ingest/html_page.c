/* html_page.c — one page: decode to UTF-8, parse with libxml2's HTML parser, then read its
 * metadata and its blocks (html.h). */
#include "html.h"

#include <pthread.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

/* The most elements a page may open. libxml2's tree costs some 300 bytes an element, so a
 * 64 MiB page of nothing but tags would take gigabytes; the largest page of the 181 of
 * the extraction benchmark opens 1,737, so this is over a hundred times a real page. */
#define HTML_MAX_ELEMENTS 250000

/* libxml2 asks to be set up once before threads use it (two store handles may add pages
 * on two threads). */
static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;
static void libxml_init(void)
{
    xmlInitParser();
}

/* Tags opened in the page: '<' then a letter. Stops counting past the budget. */
static size_t count_elements(const char *s, size_t n)
{
    size_t k = 0;
    const char *end = s + n, *p = s;
    while (k <= HTML_MAX_ELEMENTS && (p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        p++;
        if (p < end && (unsigned)((*p | 32) - 'a') < 26)
            k++;
    }
    return k;
}

void sli_html_page_init(html_page *p)
{
    memset(p, 0, sizeof *p);
    sli_buf_init(&p->text, HTML_PAGE_MAX_BYTES);
    sli_buf_init(&p->hints, HTML_PAGE_MAX_BYTES);
    sli_buf_init(&p->utf8, 4 * HTML_PAGE_MAX_BYTES);
    sli_html_meta_init(&p->meta);
    p->charset = "UTF-8";
}

void sli_html_page_free(html_page *p)
{
    if (!p)
        return;
    sli_buf_free(&p->text);
    sli_buf_free(&p->hints);
    sli_buf_free(&p->utf8);
    sli_html_meta_free(&p->meta);
}

sl_error sli_html_page_read(html_page *p, const char *bytes, size_t n, const char *content_type,
                            const char *url, const char **why)
{
    *why = NULL;
    sli_buf_clear(&p->text);
    sli_buf_clear(&p->hints);
    sli_html_meta_clear(&p->meta);
    if (n > HTML_PAGE_MAX_BYTES) {
        *why = "page larger than 64 MiB";
        return SL_ERR_TOO_BIG;
    }
    sl_error err = sli_html_decode(bytes, n, content_type, &p->utf8, &p->charset, why);
    if (err)
        return err;
    /* Given as UTF-8: the decoding is done. RECOVER reads broken markup as browsers do;
     * HUGE lifts libxml2's nesting limit (without it 2.9 stops at the 256th level and the
     * rest of the page is lost); NONET, no errors on stderr (the library never prints). */
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
               HTML_PARSE_COMPACT | XML_PARSE_HUGE;
    if (p->utf8.len > (size_t)2147483647) {
        *why = "page too large to parse";
        return SL_ERR_TOO_BIG;
    }
    if (count_elements(p->utf8.data ? p->utf8.data : "", p->utf8.len) > HTML_MAX_ELEMENTS) {
        *why = "page opens over 250,000 elements";
        return SL_ERR_TOO_BIG;
    }
    pthread_once(&libxml_once, libxml_init);
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (!ctxt)
        return SL_ERR_NOMEM;
    htmlDocPtr doc = htmlCtxtReadMemory(ctxt, p->utf8.data ? p->utf8.data : "",
                                        (int)p->utf8.len, url, "UTF-8", opts);
    /* Out of memory inside the parser is not "no document". */
    int oom = ctxt->errNo == XML_ERR_NO_MEMORY;
    htmlFreeParserCtxt(ctxt);
    if (oom) {
        xmlFreeDoc(doc);
        return SL_ERR_NOMEM;
    }
    if (!doc) {
        *why = "no HTML document in the page";
        return SL_ERR_EMPTY;
    }
    err = sli_html_meta_read(doc, url, &p->meta);
    if (!err)
        err = sli_html_blocks(doc, &p->meta, &p->text, &p->hints);
    xmlFreeDoc(doc);
    if (!err && p->text.len == 0) {
        *why = "no visible text in the page";
        err = SL_ERR_EMPTY;
    }
    return err;
}
