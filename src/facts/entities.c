/* entities.c — people, organisations and places (stub: filled by the entities work). */
#include "facts.h"

sl_error sli_entities_find(const sli_facts_ctx *ctx, const char *text, size_t len,
                           sli_facts *out)
{
    (void)ctx, (void)text, (void)len, (void)out;
    return SL_OK;
}
