/* byline_name.c — the words of a line and the names they spell, for meta_byline.c.
 *
 * A name is one to six words, each capitalised (or all capitals), with lower-case
 * particles inside ("van", "de", "bin", "al") and initials ("J.", "J.K."); non-ASCII
 * letters count as letters (their case from utf8proc), other non-ASCII characters
 * ("—", "»", "·", "|") are separators. A name never starts with a word that makes "By
 * ..." a phrase: weekdays, months, "The"/"This"/"Then", "-ing" words ("By continuing")
 * — so "By Monday afternoon, ...", "By the way, ..." and "Byzantine art" are not
 * bylines, nor is a sentence with "by" inside it ("passed by parliament"). */
#include "byline_name.h"

#include <string.h>
#include <utf8proc.h>

#include "../core/utf8.h"
#include "../text/ascii.h"

/* Bytes of a space at s[i] (ASCII, NBSP, U+2000..U+200B, U+202F, U+205F, U+3000), or 0. */
size_t sli_name_space_at(const char *s, size_t n, size_t i)
{
    if (ascii_is_space((unsigned char)s[i]))
        return 1;
    if ((unsigned char)s[i] < 0x80)
        return 0;
    size_t len;
    unsigned cp = sli_utf8_decode((const unsigned char *)s + i, n - i, &len);
    if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F ||
        cp == 0x3000)
        return len;
    return 0;
}

size_t sli_name_skip_spaces(const char *s, size_t n, size_t i)
{
    size_t k;
    while (i < n && (k = sli_name_space_at(s, n, i)) != 0)
        i += k;
    return i;
}

/* 0: not a letter; 1: lower-case letter; 2: upper-case or caseless letter; 3: a mark
 * or modifier inside a word (no case). */
static int letter_class(unsigned cp)
{
    if (cp < 0x80) {
        if (cp >= 'a' && cp <= 'z')
            return 1;
        return cp >= 'A' && cp <= 'Z' ? 2 : 0;
    }
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LL: return 1;
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LO: return 2;
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: return 3;
    default: return 0;
    }
}

int sli_name_letter_at(const char *s, size_t n, size_t i, size_t *len)
{
    if (i >= n) {
        *len = 0;
        return 0;
    }
    return letter_class(sli_utf8_decode((const unsigned char *)s + i, n - i, len));
}

/* Whether s[i] opens an apostrophe (' or U+2019). Returns its length or 0. */
static size_t apostrophe_at(const char *s, size_t n, size_t i)
{
    if (s[i] == '\'')
        return 1;
    if (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
        (unsigned char)s[i + 2] == 0x99)
        return 3;
    return 0;
}


/* A word at i: letters with inner apostrophes and hyphens ("O'Brien", "Smith-Jones"),
 * and for short words a trailing '.' ("J.", "Dr.", "J.K."). Returns 0 if no letter. */
int sli_name_read_word(const char *s, size_t n, size_t i, word *w)
{
    size_t len;
    int cls = sli_name_letter_at(s, n, i, &len);
    if (cls != 1 && cls != 2)
        return 0;
    memset(w, 0, sizeof *w);
    w->start = i;
    w->cap = cls == 2;
    w->caps = 1;
    size_t run = 0; /* letters since the last '.' */
    while (i < n) {
        cls = sli_name_letter_at(s, n, i, &len);
        if (cls) {
            if (cls == 1)
                w->caps = 0;
            w->letters++;
            run++;
            i += len;
            continue;
        }
        size_t a = apostrophe_at(s, n, i);
        size_t l2;
        int after = sli_name_letter_at(s, n, i + (a ? a : 1), &l2);
        if ((a || s[i] == '-') && (after == 1 || after == 2)) {
            i += a ? a : 1;
            run = 0;
            continue;
        }
        if (s[i] == '.' && (run <= 2 || (run == 3 && ascii_lower((unsigned char)s[i - 3]) == 'm' &&
                                          ascii_lower((unsigned char)s[i - 2]) == 'r' &&
                                          ascii_lower((unsigned char)s[i - 1]) == 's'))) {
            i++;
            w->dot = 1;
            if (sli_name_letter_at(s, n, i, &l2) && run == 1) { /* "J.K." */
                w->dot = 0;
                run = 0;
                continue;
            }
        }
        break;
    }
    w->end = i;
    size_t e = w->end - (w->dot ? 1 : 0);
    if (e >= w->start + 2 && ascii_lower((unsigned char)s[e - 1]) == 's') {
        if (s[e - 2] == '\'' ||
            (e >= w->start + 4 && (unsigned char)s[e - 2] == 0x99 && (unsigned char)s[e - 3] == 0x80))
            w->possessive = 1;
    }
    return 1;
}

/* Whether the word (letters only, any case) is one of the list. */
int sli_name_word_in(const char *s, const word *w, const char *const *list, size_t count)
{
    size_t len = w->end - w->start - (w->dot ? 1 : 0);
    char c0 = (char)ascii_lower((unsigned char)s[w->start]);
    for (size_t k = 0; k < count; k++) {
        const char *p = list[k];
        if (p[0] != c0)
            continue;
        size_t j = 1;
        while (j < len && p[j] && ascii_lower((unsigned char)s[w->start + j]) == p[j])
            j++;
        if (j == len && p[j] == '\0')
            return 1;
    }
    return 0;
}

/* Words that cannot open a name: "By Monday", "By The time", "By continuing". */
static const char *const NOT_FIRST[] = {
    "the", "a", "an", "this", "that", "these", "those", "then", "now", "noon", "midnight",
    "dawn", "dusk", "early", "late", "last", "next", "mid", "midday", "christmas", "easter",
    "law", "contrast", "comparison", "far", "some", "most", "all", "any", "each", "every",
    "day", "night", "morning", "evening", "afternoon", "tonight", "today", "tomorrow",
    "yesterday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "it", "its", "our", "your", "their",
    "his", "her", "my", "one", "two", "three", "four", "five", "ten", "in", "on", "at",
    "car", "bus", "train", "air", "sea", "road", "rail", "ferry", "email", "phone", "post",
    "design", "default", "chance", "accident", "way", "nightfall", "lunchtime", "year",
    "month", "week", "weekend", "then", "contrast", "far", "order", "virtue", "means",
    "agreement", "decree", "popular", "request", "mistake", "nature", "definition",
    "no", "not", "both", "half", "more", "less", "sunset", "sunrise", "summer", "winter",
    "spring", "autumn", "fall", "what", "how", "who", "when", "where", "why", "if",
    "continuing", "clicking", "using", "signing", "subscribing", "registering"};

/* Words that end a name: roles, labels, months and weekdays ("By Ana Lutz Updated ..."). */
static const char *const NAME_STOP[] = {
    "staff", "senior", "reporter", "writer", "correspondent", "editor", "journalist",
    "columnist", "contributor", "updated", "published", "posted", "last", "first",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "and", "in", "for", "at", "with", "from", "via",
    "photo", "photos", "video", "edited", "editing", "reporting", "additional"};

/* Lower-case particles inside a name: "Ludwig van Beethoven", "Ana de la Cruz". */
static const char *const PARTICLES[] = {"van", "von", "de", "der", "den", "da", "di",
                                        "du", "del", "della", "la", "le", "bin", "binti",
                                        "al", "el", "ibn", "dos", "das", "ter", "ten", "y",
                                        "bint", "op", "zu", "af"};

/* Whether the word ends a name (NAME_STOP). */
int sli_name_stop(const char *s, const word *w) { return WORD_IN(s, w, NAME_STOP); }

/* Whether the word is a particle inside a name (PARTICLES). */
int sli_name_particle(const char *s, const word *w) { return WORD_IN(s, w, PARTICLES); }

/* One name at i (one to six words). Sets [*a, *b) and *words; returns 1 if there is
 * one. */
static int parse_name(const char *s, size_t n, size_t i, size_t *a, size_t *b, int *words)
{
    word w;
    i = sli_name_skip_spaces(s, n, i);
    if (!sli_name_read_word(s, n, i, &w) || !w.cap || w.possessive)
        return 0;
    /* "The" opens a name only before another capitalised word ("The Associated Press"). */
    static const char *const the[] = {"the"};
    if (WORD_IN(s, &w, the)) {
        word v;
        size_t j = sli_name_skip_spaces(s, n, w.end);
        if (!sli_name_read_word(s, n, j, &v) || !v.cap || WORD_IN(s, &v, NOT_FIRST) ||
            WORD_IN(s, &v, NAME_STOP))
            return 0;
    } else if (WORD_IN(s, &w, NOT_FIRST) || WORD_IN(s, &w, NAME_STOP)) {
        return 0;
    }
    size_t len = w.end - w.start - (w.dot ? 1 : 0);
    if (len > 5 && ascii_lower((unsigned char)s[w.start + len - 3]) == 'i' &&
        ascii_lower((unsigned char)s[w.start + len - 2]) == 'n' &&
        ascii_lower((unsigned char)s[w.start + len - 1]) == 'g')
        return 0; /* "By Continuing", "By Clicking" */
    *a = w.start;
    *b = w.end;
    int count = 1;
    size_t j = w.end;
    while (count < 6) {
        size_t k = sli_name_skip_spaces(s, n, j);
        word v;
        if (k == j)
            break; /* punctuation glued to the last word ends the name */
        if (!sli_name_read_word(s, n, k, &v))
            break;
        if (v.cap && !WORD_IN(s, &v, NAME_STOP)) {
            if (v.possessive)
                return 0; /* "By Ana Lutz's ..." reads as a phrase */
            *b = v.end;
            j = v.end;
            count++;
            continue;
        }
        if (!v.cap && WORD_IN(s, &v, PARTICLES)) {
            word x;
            size_t m = sli_name_skip_spaces(s, n, v.end);
            if (sli_name_read_word(s, n, m, &x) && (x.cap || WORD_IN(s, &x, PARTICLES)) &&
                !WORD_IN(s, &x, NAME_STOP)) {
                j = v.end; /* the particle; the next word is taken next round */
                continue;
            }
        }
        break;
    }
    *words = count;
    return 1;
}

/* "and", "&" or "," followed by a name (a list of authors). Returns the position after
 * the joiner, or 0. */
static size_t joiner(const char *s, size_t n, size_t i, int *comma)
{
    i = sli_name_skip_spaces(s, n, i);
    *comma = 0;
    if (i >= n)
        return 0;
    if (s[i] == '&')
        return i + 1;
    if (s[i] == ',') {
        *comma = 1;
        size_t j = sli_name_skip_spaces(s, n, i + 1);
        if (j + 3 < n && ascii_lower((unsigned char)s[j]) == 'a' && ascii_lower((unsigned char)s[j + 1]) == 'n' &&
            ascii_lower((unsigned char)s[j + 2]) == 'd' && ascii_is_space((unsigned char)s[j + 3])) {
            *comma = 0; /* ", and" */
            return j + 3;
        }
        return i + 1;
    }
    if (i + 3 < n && ascii_lower((unsigned char)s[i]) == 'a' && ascii_lower((unsigned char)s[i + 1]) == 'n' &&
        ascii_lower((unsigned char)s[i + 2]) == 'd' && (ascii_is_space((unsigned char)s[i + 3]) || sli_name_space_at(s, n, i + 3)))
        return i + 3;
    return 0;
}

/* Names from i: "A", "A and B", "A, B and C". Sets [*a, *b). */
int sli_name_parse_names(const char *s, size_t n, size_t i, size_t *a, size_t *b, int *words)
{
    size_t na, nb;
    if (!parse_name(s, n, i, &na, &nb, words))
        return 0;
    *a = na;
    *b = nb;
    for (int k = 0; k < 6; k++) {
        int comma, w2;
        size_t j = joiner(s, n, *b, &comma);
        size_t xa, xb;
        if (!j || !parse_name(s, n, j, &xa, &xb, &w2))
            break;
        if (comma) {
            /* "A, B" is a list only when an "and" or "&" closes it: else ", B" is a
             * role or a place ("Ana Lutz, Navapur"). */
            int c2;
            size_t j2 = xb, ya, yb;
            int ok = 0;
            for (int m = 0; m < 6; m++) {
                size_t nj = joiner(s, n, j2, &c2);
                if (!nj || !parse_name(s, n, nj, &ya, &yb, &w2))
                    break;
                if (!c2) {
                    ok = 1;
                    break;
                }
                j2 = yb;
            }
            if (!ok)
                break;
        }
        *b = xb;
    }
    return 1;
}
