/* normalize.h — the normalised form of article text (internal).
 *
 * Two texts that differ only in Unicode form, letter case, quote or dash style, or
 * spacing normalise to the same bytes, so their content hashes match:
 *   - Unicode NFKC with case folding (utf8proc), default-ignorable and control characters
 *     removed ("ﬁ" -> "fi", "Ｆｕｌｌ" -> "full", soft hyphens and zero-width spaces gone);
 *   - every quote mark becomes ' or " (‘ ’ ‚ ‛ ` ′ -> ', “ ” „ ‟ « » ″ -> ");
 *   - every dash or minus becomes - (‐ ‑ ‒ – — ― − -> -);
 *   - every run of whitespace (any Unicode space, tab, newline) becomes one space, and
 *     none is left at either end.
 * ASCII text takes a fast path that never calls utf8proc. */
#ifndef SL_TEXT_NORMALIZE_H
#define SL_TEXT_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>
#include "../core/buf.h"

/* Append the normalised form of valid UTF-8 text s[0..n) to out. */
sl_error sli_text_normalize(const char *s, size_t n, buf *out);

/* Append the normalised form of one line s[0..n) to out, after a space when out is not
 * empty; a line that normalises to nothing adds nothing, not even the space. *start gets
 * where the line's normalised form begins in out (out->len when it added nothing). Lines
 * appended one by one give what sli_text_normalize() gives for them joined by newlines: a
 * line break is a space, and nothing composes across it. */
sl_error sli_text_normalize_line(const char *s, size_t n, buf *out, size_t *start);

/* 128-bit content hash (XXH3) of s[0..n), written to out[16] big-endian. */
void sli_text_hash128(const char *s, size_t n, unsigned char out[16]);

#endif
