/* numtok_int.h — the word tokens amounts.c and date_refs.c read (internal to src/facts).
 *
 * One pass over the text cuts it into tokens: words (letters, with joined hyphens, slashes
 * and apostrophes: "two-thirds", "mid-2011"), numbers (a digit first: "2,50,000", "1.2m",
 * "3.5-inch", "15-20", "6:40", "7/8/07"), single symbols ("$", "%", "#", "€", "“") and line
 * breaks. Both extractors then look a bounded number of tokens either side of a token, so
 * the work is linear in the text. Bytes >= 0x80 other than the currency signs and general
 * punctuation (U+2000..U+206F) count as letters; invalid UTF-8 is read byte by byte. */
#ifndef SL_FACTS_NUMTOK_INT_H
#define SL_FACTS_NUMTOK_INT_H

#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"
#include "../text/ascii.h"
#include "facts.h"

enum { NT_WORD = 0, NT_NUM = 1, NT_SYM = 2, NT_NL = 3 };

typedef struct nt_tok {
    size_t a, b;        /* bytes [a, b) of the text */
    int kind;           /* NT_* */
} nt_tok;

typedef struct nt_list {
    nt_tok *t;
    size_t n, cap;
} nt_list;

/* Length of the symbol at s[i] when it is a multi-byte one (currency sign or general
 * punctuation), else 0. */
static inline size_t nt_multi_sym(const char *s, size_t len, size_t i)
{
    const unsigned char *u = (const unsigned char *)s;
    if (i + 1 < len && u[i] == 0xC2 && (u[i + 1] == 0xA3 || u[i + 1] == 0xA5 || u[i + 1] == 0xAB ||
                                        u[i + 1] == 0xBB || u[i + 1] == 0xA0))
        return 2; /* £ ¥ « » nbsp */
    if (i + 2 < len && u[i] == 0xE2 && (u[i + 1] == 0x80 || u[i + 1] == 0x81))
        return 3; /* general punctuation: quotes, dashes, spaces */
    if (i + 2 < len && u[i] == 0xE2 && u[i + 1] == 0x82 && (u[i + 2] == 0xAC || u[i + 2] == 0xB9))
        return 3; /* € ₹ */
    return 0;
}

static inline int nt_wordch(const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    return ascii_is_alnum(c) || (c >= 0x80 && !nt_multi_sym(s, len, i));
}

/* Whether the symbol token t is a space (nbsp, thin space ...), to be skipped. */
static inline int nt_is_space_sym(const char *s, size_t a, size_t b)
{
    const unsigned char *u = (const unsigned char *)s + a;
    if (b - a == 2 && u[0] == 0xC2 && u[1] == 0xA0)
        return 1;
    return b - a == 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] <= 0x8B;
}

/* Tokens of s[0..len) into *l (emptied first). SL_ERR_NOMEM when out of memory. */
static inline sl_error nt_tokenize(const char *s, size_t len, nt_list *l)
{
    l->n = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        nt_tok t = {i, i + 1, NT_SYM};
        if (c == '\n') {
            while (t.b < len && ascii_is_space((unsigned char)s[t.b]))
                t.b++;
            t.kind = NT_NL;
        } else if (ascii_is_space(c) || c == 0) {
            i++;
            continue;
        } else if (nt_wordch(s, len, i)) {
            t.kind = ascii_is_digit(c) ? NT_NUM : NT_WORD;
            size_t j = i;
            for (;;) {
                while (j < len && nt_wordch(s, len, j))
                    j++;
                /* a joiner continues the token when an ASCII letter or digit follows */
                if (j + 1 < len && ascii_is_alnum((unsigned char)s[j + 1])) {
                    char d = s[j];
                    int prev_digit = ascii_is_digit((unsigned char)s[j - 1]);
                    int next_digit = ascii_is_digit((unsigned char)s[j + 1]);
                    if (d == '-' || d == '/' ||
                        ((d == '.' || d == ',' || d == ':') && prev_digit && next_digit) ||
                        (d == '\'' && !prev_digit && !next_digit && t.kind == NT_WORD)) {
                        j++;
                        continue;
                    }
                }
                break;
            }
            t.b = j;
        } else {
            size_t m = nt_multi_sym(s, len, i);
            if (m) {
                t.b = i + m;
                if (nt_is_space_sym(s, t.a, t.b)) {
                    i = t.b;
                    continue;
                }
            }
        }
        nt_tok *p = sli_grow_array(l->t, &l->cap, l->n + 1, sizeof *p, 256);
        if (!p)
            return SL_ERR_NOMEM;
        l->t = p;
        l->t[l->n++] = t;
        i = t.b;
    }
    return SL_OK;
}

/* Whether token t is the symbol or word w (ASCII case-insensitive). */
static inline int nt_is(const char *s, const nt_tok *t, const char *w)
{
    return ascii_ci_is(s, t->a, t->b, w);
}

/* Whether token t starts with an upper-case ASCII letter. */
static inline int nt_cap(const char *s, const nt_tok *t)
{
    return t->kind == NT_WORD && s[t->a] >= 'A' && s[t->a] <= 'Z';
}

/* Whether the token starts a sentence: first of the text or line, or after . ! ? : or an
 * opening quote. */
static inline int nt_sent_start(const char *s, const nt_list *l, size_t i)
{
    if (i == 0)
        return 1;
    const nt_tok *p = &l->t[i - 1];
    if (p->kind == NT_NL)
        return 1;
    if (p->kind != NT_SYM)
        return 0;
    char c = s[p->a];
    return c == '.' || c == '!' || c == '?' || c == ':' || c == '`' || c == '"' ||
           (unsigned char)c >= 0x80;
}

/* Month 1..12 of the word s[a..b) ("March", "Mar", "Sept"), 0 if none. */
static inline int nt_month(const char *s, size_t a, size_t b)
{
    static const char *const full[12] = {"january", "february", "march",     "april",
                                         "may",     "june",     "july",      "august",
                                         "september", "october", "november", "december"};
    static const char *const abbr[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};
    /* every name and abbreviation has 3 to 9 letters and starts with one of these */
    char c0 = b > a ? (char)ascii_lower((unsigned char)s[a]) : 0;
    if (b - a < 3 || b - a > 9 || !c0 || !strchr("jfmasond", c0))
        return 0;
    for (int m = 0; m < 12; m++)
        if (ascii_ci_is(s, a, b, full[m]) || ascii_ci_is(s, a, b, abbr[m]))
            return m + 1;
    if (ascii_ci_is(s, a, b, "sept"))
        return 9;
    return 0;
}

/* Weekday 0 (Monday) .. 6 (Sunday) of the word, -1 if none. */
static inline int nt_weekday(const char *s, size_t a, size_t b)
{
    static const char *const wd[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                      "friday", "saturday", "sunday"};
    char c0 = b > a ? (char)ascii_lower((unsigned char)s[a]) : 0;
    if (b - a < 6 || b - a > 9 || !c0 || !strchr("mtwfs", c0))
        return -1;
    for (int d = 0; d < 7; d++)
        if (ascii_ci_is(s, a, b, wd[d]))
            return d;
    return -1;
}

/* amounts.c's and date_refs.c's extractors over tokens nt_tokenize gave for text (so
 * that sli_facts_extract cuts the text once for both); as sli_amounts_find and
 * sli_date_refs_find otherwise. */
sl_error sli_amounts_find_toks(const char *text, const nt_list *toks, sli_facts *out);
sl_error sli_date_refs_find_toks(const char *text, const nt_list *toks, const char *date,
                                 sli_facts *out);

#endif
