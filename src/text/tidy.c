/* tidy.c — light text tidying and a first title guess. */
#include "tidy.h"

#include <string.h>

static int space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

sl_error text_tidy(const char *s, size_t n, buf *out)
{
    size_t start = out->len;
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - s) : n;
        size_t a = i, b = end;
        while (a < b && space((unsigned char)s[a]))
            a++;
        while (b > a && space((unsigned char)s[b - 1]))
            b--;
        if (b > a) {
            sl_error err = SL_OK;
            if (out->len > start)
                err = buf_putc(out, '\n');
            if (!err)
                err = buf_append(out, s + a, b - a);
            if (err)
                return err;
        }
        i = end + 1;
    }
    return SL_OK;
}

/* Whether line s[0..n) reads like a headline. */
static int headline_like(const char *s, size_t n)
{
    if (n < 10 || n > 200)
        return 0;
    int words = 0, in_word = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '|' || c == '>' || (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xBB))
            return 0; /* pipes and chevrons: menus and breadcrumb trails */
        int is_space = c == ' ';
        if (!is_space && !in_word)
            words++;
        in_word = !is_space;
    }
    if (words < 3)
        return 0;
    char last = s[n - 1];
    return last != '.' && last != ':' && last != ',';
}

int text_guess_title(const char *s, size_t n, size_t *start, size_t *len)
{
    size_t i = 0;
    for (int line = 0; line < 12 && i < n; line++) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - s) : n;
        if (headline_like(s + i, end - i)) {
            *start = i;
            *len = end - i;
            return 1;
        }
        i = end + 1;
    }
    return 0;
}
