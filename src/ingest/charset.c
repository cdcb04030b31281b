/* charset.c — a page's bytes to UTF-8 (html.h). STUB: UTF-8 only, until the real
 * decoder (BOM, Content-Type, <meta>, uchardet) lands. */
#include "html.h"

sl_error sli_html_decode(const char *bytes, size_t n, const char *content_type, buf *out,
                         const char **charset, const char **why)
{
    (void)content_type;
    *why = NULL;
    *charset = "UTF-8";
    sli_buf_clear(out);
    return sli_buf_append(out, bytes, n);
}
