/* html_blocks.c — a page's visible blocks and what the DOM says of each (html.h).
 * STUB: text nodes outside head/script/style, one block per block-level element, no hint. */
#include "html.h"

#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "html_hint.h"

static int skipped(const char *name)
{
    static const char *const skip[] = {"head", "title", "script", "style", "noscript",
                                       "template", "svg", "iframe"};
    for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
        if (!strcasecmp(name, skip[i]))
            return 1;
    return 0;
}

static int inline_element(const char *name)
{
    static const char *const inl[] = {"a", "b", "i", "em", "strong", "span", "small", "sub",
                                      "sup", "u", "abbr", "cite", "code", "q", "time", "mark",
                                      "font", "s", "label"};
    for (size_t i = 0; i < sizeof inl / sizeof *inl; i++)
        if (!strcasecmp(name, inl[i]))
            return 1;
    return 0;
}

static sl_error end_line(buf *text, buf *hints, size_t *line_start)
{
    while (text->len > *line_start && text->data[text->len - 1] == ' ')
        text->len--;
    if (text->len > *line_start) {
        sl_error err = sli_buf_putc(text, '\n');
        if (!err)
            err = sli_buf_putc(hints, (char)HTML_HINT_NONE);
        if (err)
            return err;
    } else {
        text->len = *line_start;
    }
    if (text->data)
        text->data[text->len] = '\0';
    *line_start = text->len;
    return SL_OK;
}

sl_error sli_html_blocks(const void *doc, const html_meta *meta, buf *text, buf *hints)
{
    (void)meta;
    sli_buf_clear(text);
    sli_buf_clear(hints);
    size_t line_start = 0;
    sl_error err = SL_OK;
    xmlNodePtr root = xmlDocGetRootElement((xmlDocPtr)doc), n = root;
    /* Iterative walk: nesting may be 10,000 deep. */
    while (n && !err) {
        int descend = 0;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            for (const char *s = (const char *)n->content; s && *s && !err; s++) {
                char c = (*s == '\n' || *s == '\t' || *s == '\r') ? ' ' : *s;
                if (c == ' ' && (text->len == line_start || text->data[text->len - 1] == ' '))
                    continue;
                err = sli_buf_putc(text, c);
            }
        } else if (n->type == XML_ELEMENT_NODE) {
            if (!skipped((const char *)n->name)) {
                if (!inline_element((const char *)n->name))
                    err = end_line(text, hints, &line_start);
                descend = n->children != NULL;
            }
        }
        if (descend) {
            n = n->children;
            continue;
        }
        while (n && !n->next && n != root) {
            n = n->parent;
            if (n && n->type == XML_ELEMENT_NODE && !inline_element((const char *)n->name) && !err)
                err = end_line(text, hints, &line_start);
        }
        if (!n || n == root)
            break;
        n = n->next;
    }
    if (!err)
        err = end_line(text, hints, &line_start);
    /* no trailing newline: lines are separated, not terminated */
    if (!err && text->len && text->data[text->len - 1] == '\n') {
        text->data[--text->len] = '\0';
    }
    return err;
}
