/* varint.h — reading an unsigned LEB128 varint (7 bits a byte, low first, the high bit
 * set on all but the last byte) from a bounded buffer (internal). The entity memo's
 * format is written by facts/entities.c and read there and by store/facts.c. */
#ifndef SL_CORE_VARINT_H
#define SL_CORE_VARINT_H

#include <stdint.h>

/* *v from *p, *p moved past it: 1; 0 when the buffer ends first or the varint is longer
 * than 64 bits (a damaged memo). */
static inline int sli_varint_get(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    *v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (*p >= end)
            return 0;
        unsigned char c = *(*p)++;
        *v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80))
            return 1;
    }
    return 0;
}

#endif
