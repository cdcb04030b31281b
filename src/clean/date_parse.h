/* date_parse.h — the date reader shared by date_parse.c (tokens, date grammar),
 * date_time.c (times, zones) and meta_date.c (internal to src/clean/). Every function
 * reads s[0..n) only; nothing is allocated. */
#ifndef SL_CLEAN_DATE_PARSE_H
#define SL_CLEAN_DATE_PARSE_H

#include <stddef.h>
#include <string.h>

#include "../text/ascii.h"

enum { T_END, T_NUM, T_WORD, T_PUNCT, T_DASH, T_SEP };

typedef struct tok {
    size_t start, end; /* bytes of the token */
    int type;
    int sp;   /* whitespace before it */
    int c;    /* T_PUNCT: the character */
    int nd;   /* T_NUM: number of digits */
    long val; /* T_NUM: value (saturates at 1e9) */
} tok;

typedef struct hit {
    int y, m, d;
    int has_time, hh, mi, ss;
    char zone[8];
    size_t start, end;
} hit;

/* Two decimal digits of v at p. */
static inline void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
}

/* Whether s[i..i+len) is a dash: U+2010..U+2015 or U+2212. */
int sli_date_udash(const unsigned char *s, size_t i, size_t len);

/* The token at or after byte i. */
tok sli_date_next_tok(const char *str, size_t n, size_t i);

/* Whether word token t is `w` (lower case), in any case. */
static inline int word_is(const char *s, const tok *t, const char *w)
{
    size_t len = strlen(w);
    if (t->type != T_WORD || t->end - t->start != len)
        return 0;
    for (size_t k = 0; k < len; k++)
        if (ascii_lower((unsigned char)s[t->start + k]) != w[k])
            return 0;
    return 1;
}

static inline int is_punct(const tok *t, int c) { return t->type == T_PUNCT && t->c == c; }

/* Whether a number starting at byte i is glued to what precedes it: a letter or digit,
 * a slash (URLs, fractions), or ".,:-" after a digit ("4.18", "1,200", "12-2024"). */
int sli_date_glued_before(const char *s, size_t i);

/* Whether a number ending at byte e continues ("-12", "/7", ".5", "15x"): not a whole
 * date. A "T" opening an ISO time ("2024-11-09T08:00") does not count. */
int sli_date_glued_after(const char *s, size_t n, size_t e);

/* A time at the token at pos (date_time.c): "21:40", "7:02:11 am", "9.40pm", "9 pm",
 * "a.m.", then "hrs" and a zone. Fills h's time fields; returns the end, or 0. `iso`:
 * after the "T" of an ISO date (glued to it, minutes required). */
size_t sli_date_parse_time(const char *s, size_t n, size_t pos, hit *h, int iso);

/* A date opening at token t: [time [zone] connector] [weekday] date [connector time
 * [zone]]. Fills *h (date, time, zone, where it is) and returns 1, or returns 0. */
int sli_date_find_at(const char *s, size_t n, tok t, hit *h);

/* The hit as "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SS[zone]" when it has a time. */
void sli_date_write_iso(const hit *h, char iso[32]);

#endif
