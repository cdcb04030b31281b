/* html_meta.c — what a page says of itself (html.h). STUB: nothing yet. */
#include "html.h"

void sli_html_meta_init(html_meta *m)
{
    buf *all[] = {&m->title, &m->date, &m->author, &m->site_name, &m->canonical, &m->lang,
                  &m->description, &m->body};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        sli_buf_init(all[i], HTML_PAGE_MAX_BYTES);
    m->date_from = NULL;
}

void sli_html_meta_free(html_meta *m)
{
    buf *all[] = {&m->title, &m->date, &m->author, &m->site_name, &m->canonical, &m->lang,
                  &m->description, &m->body};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        sli_buf_free(all[i]);
}

void sli_html_meta_clear(html_meta *m)
{
    buf *all[] = {&m->title, &m->date, &m->author, &m->site_name, &m->canonical, &m->lang,
                  &m->description, &m->body};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        sli_buf_clear(all[i]);
    m->date_from = NULL;
}

sl_error sli_html_meta_read(const void *doc, const char *url, html_meta *m)
{
    (void)doc;
    (void)url;
    (void)m;
    return SL_OK;
}
