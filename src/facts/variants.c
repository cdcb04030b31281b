/* variants.c — an event's quotes grouped into utterances (stub: each quote its own,
 * exact copies of one wording together). */
#include "facts.h"

#include <string.h>

sl_error sli_quotes_group(const sli_quote_seen *seen, size_t n, size_t *group,
                          size_t *canonical, size_t *n_groups)
{
    size_t g = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < i && strcmp(seen[j].text, seen[i].text))
            j++;
        if (j < i) {
            group[i] = group[j];
        } else {
            canonical[g] = i;
            group[i] = g++;
        }
    }
    *n_groups = g;
    return SL_OK;
}
