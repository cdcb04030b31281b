/* amounts.c — numbers with their unit and what they count (stub). */
#include "facts.h"

sl_error sli_amounts_find(const char *text, size_t len, sli_facts *out)
{
    (void)text, (void)len, (void)out;
    return SL_OK;
}
