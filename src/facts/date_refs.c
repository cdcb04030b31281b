/* date_refs.c — dates an article mentions, resolved against its own (stub). */
#include "facts.h"

sl_error sli_date_refs_find(const char *text, size_t len, const char *date, sli_facts *out)
{
    (void)text, (void)len, (void)date, (void)out;
    return SL_OK;
}
