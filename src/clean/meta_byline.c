/* meta_byline.c — placeholder until implemented. */
#include "meta.h"
int meta_find_byline(const char *s, size_t n, char *out, size_t size)
{
    (void)s;
    (void)n;
    (void)out;
    (void)size;
    return 0;
}
