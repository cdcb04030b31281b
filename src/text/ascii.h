/* ascii.h — ASCII character tests and case-insensitive comparison (internal).
 *
 * For parsers of text that is mostly ASCII where it matters (dates, bylines, credits): a
 * byte >= 0x80 is never a letter, digit or space here. Locale-free, unlike <ctype.h>, and
 * defined for every int (no undefined behaviour on negative chars). */
#ifndef SL_TEXT_ASCII_H
#define SL_TEXT_ASCII_H

#include <stddef.h>
#include <string.h>

static inline int ascii_is_digit(int c) { return c >= '0' && c <= '9'; }
static inline int ascii_is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline int ascii_is_alnum(int c) { return ascii_is_digit(c) || ascii_is_alpha(c); }
static inline int ascii_lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static inline int ascii_upper(int c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }

static inline int ascii_is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Whether s[a..b) is the lower-case word w, in any case ("Reuters" is "reuters"); bytes
 * >= 0x80 in w ("’s") match themselves. */
static inline int ascii_ci_is(const char *s, size_t a, size_t b, const char *w)
{
    /* No strlen: callers try whole word lists, and most words differ at once. */
    for (size_t k = 0; k < b - a; k++)
        if (!w[k] || ascii_lower((unsigned char)s[a + k]) != (unsigned char)w[k])
            return 0;
    return w[b - a] == '\0';
}

#endif
