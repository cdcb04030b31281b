/* tidy.h — light text tidying and a first title guess (internal).
 *
 * Until the cleaning stage exists this is what "cleaned text" means: Windows line ends
 * made plain, every line trimmed, blank lines dropped, one paragraph per line. */
#ifndef SL_TEXT_TIDY_H
#define SL_TEXT_TIDY_H

#include <stddef.h>
#include "../core/buf.h"

/* Append the tidied form of s[0..n) to out. */
sl_error text_tidy(const char *s, size_t n, buf *out);

/* A headline-like line among the first lines of tidied text (n bytes): at least three
 * words, at most 200 bytes, not a sentence, not a menu trail. Sets *start and *len and
 * returns 1, or returns 0 if none looks like a headline. */
int text_guess_title(const char *s, size_t n, size_t *start, size_t *len);

#endif
