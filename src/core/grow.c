/* grow.c — growing arrays by doubling. */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

void *sli_grow_array(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
    if (p && need <= *cap)
        return p; /* an array not yet made is made, even for no element: NULL means failure */
    size_t n = *cap ? *cap : first;
    while (n < need) {
        if (n > SIZE_MAX / 2 / size)
            return NULL;
        n *= 2;
    }
    if (n > SIZE_MAX / size)
        return NULL;
    void *q = realloc(p, n * size);
    if (q)
        *cap = n;
    return q;
}
