/* gazetteer.c — the extractors' read-only context (stub: filled by the entities work). */
#include "facts.h"

#include <stdlib.h>

struct sli_facts_ctx {
    int unused;
};

sl_error sli_facts_ctx_create(sli_facts_ctx **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? SL_OK : SL_ERR_NOMEM;
}

void sli_facts_ctx_free(sli_facts_ctx *ctx)
{
    free(ctx);
}
