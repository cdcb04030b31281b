/* utf8.h — UTF-8 validation and counting (internal). */
#ifndef SL_CORE_UTF8_H
#define SL_CORE_UTF8_H

#include <stddef.h>

/* Length in bytes of the valid UTF-8 sequence at s[0..n), or 0 if it is invalid
 * (overlong forms, surrogates and code points past U+10FFFF are invalid). */
size_t sli_utf8_seq_len(const unsigned char *s, size_t n);

/* Offset of the first invalid byte in s[0..n), or n when all of it is valid UTF-8. */
size_t sli_utf8_invalid_at(const char *s, size_t n);

/* Number of code points in valid UTF-8 text. */
size_t sli_utf8_count(const char *s, size_t n);

/* Decode one code point from valid UTF-8 at s (n > 0); *len gets its byte length.
 * Invalid input yields U+FFFD with length 1. */
unsigned sli_utf8_decode(const unsigned char *s, size_t n, size_t *len);

/* Whether `cp` is a code point that a terminal or a viewer acts on, or that reorders or
 * breaks the text around it: C1 controls (U+0080-U+009F; U+009B is a CSI), the bidi marks,
 * embeddings, overrides and isolates (U+061C, U+200E/F, U+202A-E, U+2066-9), and the line
 * and paragraph separators U+2028/9 (JavaScript's line ends). The outputs (JSON, CSV)
 * never write these as they are. */
int sli_utf8_invisible_control(unsigned cp);

/* Encode `cp` into out (4 bytes room); returns the byte count. */
size_t sli_utf8_encode(unsigned cp, char *out);

#endif
