/* entities.c — people, organisations and places (stub: filled by the entities work). */
#include "facts.h"

#include <string.h>

sl_error sli_entities_find(const sli_facts_ctx *ctx, const char *text, size_t len,
                           sli_facts *out)
{
    (void)ctx, (void)text, (void)len, (void)out;
    return SL_OK;
}

sl_error sli_entities_merge(sli_facts *acc, const sli_entity *ents, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < acc->n_entities && strcmp(acc->entities[j].name, ents[i].name))
            j++;
        if (j < acc->n_entities) {
            acc->entities[j].count += ents[i].count;
            continue;
        }
        sl_error e = sli_facts_add_entity(acc, ents[i].name, strlen(ents[i].name),
                                          ents[i].type, ents[i].count);
        if (e)
            return e;
    }
    return SL_OK;
}
