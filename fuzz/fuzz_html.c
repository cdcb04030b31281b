/* fuzz_html — libFuzzer harness for the HTML front end (src/ingest/html.h).
 *
 * The input's first byte chooses the HTTP Content-Type handed over with the rest (none,
 * text/html without a charset, or with one of a set of charsets, right or wrong), and
 * whether a page URL is given (it resolves the canonical link and gives a date pattern);
 * the rest is the page's bytes. Every page goes through decoding (BOM, labels, <meta>,
 * uchardet, iconv), libxml2's parser, the metadata (JSON-LD included) and the blocks.
 * What comes out is checked: the text is valid UTF-8 without NUL, one hint per line. */
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "ingest/html.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static const char *const types[] = {
    NULL,
    "text/html",
    "text/html; charset=utf-8",
    "text/html; charset=ISO-8859-1",
    "text/html; charset=\"windows-1251\"",
    "text/html;charset=Shift_JIS",
    "text/html; charset=euc-jp",
    "text/html; charset=gb2312",
    "text/html; charset=big5",
    "text/html; charset=euc-kr",
    "text/html; charset=koi8-r",
    "text/html; charset=utf-16",
    "text/html; charset=utf-16be",
    "text/html; charset=iso-2022-jp",
    "text/html; charset=bogus-label",
    "application/xhtml+xml; charset=",
};

static void check_utf8(const buf *b)
{
    if (b->len && sli_utf8_invalid_at(b->data, b->len) != b->len)
        abort();
    if (b->len && memchr(b->data, '\0', b->len))
        abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned char pick = data[0];
    const char *ct = types[pick % (sizeof types / sizeof *types)];
    const char *url = (pick & 0x80) ? "https://news.example.com/world/2023/06/12/story.html"
                                    : NULL;
    html_page page;
    sli_html_page_init(&page);
    const char *why = NULL;
    sl_error err = sli_html_page_read(&page, (const char *)data + 1, size - 1, ct, url, &why);
    if (!err) {
        check_utf8(&page.text);
        size_t lines = page.text.len ? 1 : 0;
        for (size_t i = 0; i < page.text.len; i++)
            lines += page.text.data[i] == '\n';
        if (page.hints.len != lines)
            abort();
        const html_meta *m = &page.meta;
        const buf *all[] = {&m->title, &m->date, &m->author, &m->site_name, &m->canonical,
                            &m->lang, &m->description, &m->body};
        for (size_t i = 0; i < sizeof all / sizeof *all; i++)
            check_utf8(all[i]);
        if (m->date.len && !m->date_from)
            abort();
    } else if (err != SL_ERR_NOMEM && !why && err != SL_ERR_EMPTY) {
        abort(); /* every refusal says why */
    }
    sli_html_page_free(&page);
    return 0;
}
