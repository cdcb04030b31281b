/* meta_date.c — placeholder until implemented. */
#include "meta.h"
meta_date_kind meta_find_date(const char *s, size_t n, meta_date *out)
{
    (void)s;
    (void)n;
    (void)out;
    return META_DATE_NONE;
}
