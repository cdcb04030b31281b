/* grow.h — growing arrays (internal). */
#ifndef SL_CORE_GROW_H
#define SL_CORE_GROW_H

#include <stddef.h>

/* Room for `need` elements of `size` bytes in array p of capacity *cap: p itself when it
 * has it, else p moved to a block at least twice as large (`first` elements at the
 * least), *cap updated; never NULL for a fit array (a NULL p is allocated even when need
 * is 0). NULL when out of memory (p is then left as it was). */
void *sli_grow_array(void *p, size_t *cap, size_t need, size_t size, size_t first);

#endif
