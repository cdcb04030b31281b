/* quotes.c — direct quotations and their speakers (stub: filled by the quotes work). */
#include "facts.h"

sl_error sli_quotes_find(const sli_facts_ctx *ctx, const char *text, size_t len,
                         sli_facts *out)
{
    (void)ctx, (void)text, (void)len, (void)out;
    return SL_OK;
}
