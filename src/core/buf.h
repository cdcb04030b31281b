/* buf.h — growable byte buffer with a hard maximum size (internal).
 *
 * Every buffer that holds untrusted input is created with a maximum: growth past it fails
 * with SL_ERR_TOO_BIG instead of eating memory. The contents are always NUL-terminated
 * (the terminator is not counted in len), so data can be used as a C string. */
#ifndef SL_CORE_BUF_H
#define SL_CORE_BUF_H

#include <stddef.h>
#include <stdint.h>
#include "storyline.h" /* sl_error */

typedef struct buf {
    char *data; /* NULL until the first append */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* largest len allowed */
} buf;

#define BUF_UNLIMITED ((size_t)-1 / 2)

void sli_buf_init(buf *b, size_t max);
void sli_buf_free(buf *b);
/* Make room for `extra` more bytes (plus the terminator). */
sl_error sli_buf_reserve(buf *b, size_t extra);
sl_error sli_buf_append(buf *b, const void *data, size_t n);
sl_error sli_buf_puts(buf *b, const char *s);
sl_error sli_buf_putc(buf *b, char c);
/* v as an unsigned LEB128 varint (7 bits a byte, low first; read by core/varint.h). */
sl_error sli_buf_put_varint(buf *b, uint64_t v);
/* Empty the buffer, keeping its memory. */
void sli_buf_clear(buf *b);
/* The contents as a C string ("" when empty); valid until the next change. */
const char *sli_buf_str(const buf *b);
/* Hand the contents to the caller (free() them) and reset the buffer. Never NULL
 * unless out of memory. */
char *sli_buf_take(buf *b);

#endif
