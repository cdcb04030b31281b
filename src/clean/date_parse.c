/* date_parse.c — the dates printed in a line, read as a stream of tokens.
 *
 * The line is read as a stream of small tokens (numbers, ASCII words, one punctuation
 * character, one non-ASCII character); spaces, tabs, NBSP and the other Unicode spaces
 * only set a "space before" flag. A date found at a token is extended by a time and a
 * zone printed right after it, or taken with a time printed right before it ("11:20 IST,
 * Jan 17, 2024").
 * Forms: ISO "2024-11-09" and "2024/11/09" (with "T" or a space and a time), "November
 * 9, 2023", "Nov. 9 2023", "9 November 2023", "9th of Nov, 2023", "November 9th, 2023",
 * "09/11/2023", "9.11.2023" and "9-11-2023" only when day and month cannot be swapped
 * (one of them over 12, or both equal); two-digit years never; a date glued to letters
 * or digits ("2024-03-15x", "/2024/01/15/" in a URL) is none. Times and zones are read
 * by date_time.c. Non-ASCII characters other than spaces are separators. Nothing is
 * allocated; the line is never read past n. */
#include "date_parse.h"

#include <string.h>

#include "../text/ascii.h"

/* Bytes of the UTF-8 sequence at s[i], never past n (1 for a stray byte). */
static size_t u8len(const unsigned char *s, size_t n, size_t i)
{
    unsigned c = s[i];
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    size_t k = 1;
    while (k < len && i + k < n && (s[i + k] & 0xC0) == 0x80)
        k++;
    return k;
}

/* Bytes of a non-ASCII space at s[i] (NBSP, U+2000..U+200B, U+202F, U+205F, U+3000). */
static size_t uspace(const unsigned char *s, size_t n, size_t i)
{
    if (s[i] == 0xC2 && i + 1 < n && s[i + 1] == 0xA0)
        return 2;
    if (i + 2 < n && s[i] == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] <= 0x8B || s[i + 2] == 0xAF))
        return 3;
    if (i + 2 < n && s[i] == 0xE2 && s[i + 1] == 0x81 && s[i + 2] == 0x9F)
        return 3;
    if (i + 2 < n && s[i] == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x80)
        return 3;
    return 0;
}

/* Whether s[i..i+len) is a dash: U+2010..U+2015 or U+2212. */
int sli_date_udash(const unsigned char *s, size_t i, size_t len)
{
    return len == 3 && s[i] == 0xE2 &&
           ((s[i + 1] == 0x80 && s[i + 2] >= 0x90 && s[i + 2] <= 0x95) ||
            (s[i + 1] == 0x88 && s[i + 2] == 0x92));
}

/* The token at or after byte i. */
tok sli_date_next_tok(const char *str, size_t n, size_t i)
{
    const unsigned char *s = (const unsigned char *)str;
    tok t;
    memset(&t, 0, sizeof t);
    while (i < n) {
        size_t k = ascii_is_space(s[i]) ? 1 : s[i] >= 0x80 ? uspace(s, n, i) : 0;
        if (!k)
            break;
        i += k;
        t.sp = 1;
    }
    t.start = i;
    if (i >= n) {
        t.type = T_END;
        t.end = n;
        return t;
    }
    unsigned c = s[i];
    size_t j = i;
    if (ascii_is_digit((int)c)) {
        long v = 0;
        while (j < n && ascii_is_digit(s[j])) {
            v = v < 100000000 ? v * 10 + (s[j] - '0') : 1000000000;
            j++;
        }
        t.type = T_NUM;
        t.val = v;
        t.nd = j - i > 99 ? 99 : (int)(j - i);
    } else if (ascii_is_alpha((int)c)) {
        while (j < n && ascii_is_alpha(s[j]))
            j++;
        t.type = T_WORD;
    } else if (c < 0x80) {
        j = i + 1;
        t.type = T_PUNCT;
        t.c = (int)c;
    } else {
        size_t len = u8len(s, n, i);
        j = i + len;
        t.type = sli_date_udash(s, i, len) ? T_DASH : T_SEP;
    }
    t.end = j;
    return t;
}

/* The word token in lower case into w (3..9 letters); its length, or 0 otherwise. */
static size_t lower_word(const char *s, const tok *t, char w[10])
{
    size_t len = t->end - t->start;
    if (t->type != T_WORD || len < 3 || len > 9)
        return 0;
    for (size_t k = 0; k < len; k++)
        w[k] = (char)ascii_lower((unsigned char)s[t->start + k]);
    return len;
}

/* Month 1..12 named by the word token ("November", "Nov", "Sept", any case), or 0. */
static int month_of(const char *s, const tok *t)
{
    static const char full[12][10] = {"january", "february", "march",     "april",
                                      "may",     "june",     "july",      "august",
                                      "september", "october", "november", "december"};
    char w[10];
    size_t len = lower_word(s, t, w);
    if (!len)
        return 0;
    for (int m = 0; m < 12; m++) {
        if (memcmp(w, full[m], 3) != 0)
            continue;
        if (len == 3 || (memcmp(w, full[m], len) == 0 && full[m][len] == '\0') ||
            (m == 8 && len == 4 && w[3] == 't'))
            return m + 1;
        return 0;
    }
    return 0;
}

/* Whether the word token names a weekday ("Saturday", "Sat", "Tues", "Thurs"). */
static int weekday(const char *s, const tok *t)
{
    static const char full[7][10] = {"monday", "tuesday", "wednesday", "thursday",
                                     "friday", "saturday", "sunday"};
    char w[10];
    size_t len = lower_word(s, t, w);
    if (!len)
        return 0;
    for (int d = 0; d < 7; d++) {
        if (memcmp(w, full[d], 3) != 0)
            continue;
        if (len == 3 || (memcmp(w, full[d], len) == 0 && full[d][len] == '\0'))
            return 1;
        /* "Tues", "Thur", "Thurs", "Weds" */
        return (d == 1 && len == 4 && w[3] == 's') ||
               (d == 3 && ((len == 4 && w[3] == 'r') || (len == 5 && memcmp(w + 3, "rs", 2) == 0))) ||
               (d == 2 && len == 4 && w[3] == 's');
    }
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

static int valid_ymd(int y, int m, int d)
{
    return y >= 1990 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* Whether a number starting at byte i is glued to what precedes it: a letter or digit,
 * a slash (URLs, fractions), or ".,:-" after a digit ("4.18", "1,200", "12-2024"). */
int sli_date_glued_before(const char *s, size_t i)
{
    if (i == 0)
        return 0;
    int c = (unsigned char)s[i - 1];
    if (ascii_is_alnum(c) || c == '/' || c == '_')
        return 1;
    return (c == '.' || c == ',' || c == ':' || c == '-') && i >= 2 &&
           ascii_is_digit((unsigned char)s[i - 2]);
}

/* Whether a number ending at byte e continues ("-12", "/7", ".5", "15x"): not a whole
 * date. A "T" opening an ISO time ("2024-11-09T08:00") does not count. */
int sli_date_glued_after(const char *s, size_t n, size_t e)
{
    if (e >= n)
        return 0;
    int c = (unsigned char)s[e];
    if (ascii_is_digit(c))
        return 1;
    if (ascii_is_alpha(c))
        return !((c == 'T' || c == 't') && e + 1 < n && ascii_is_digit((unsigned char)s[e + 1]));
    return (c == '-' || c == '/' || c == '.' || c == ':') && e + 1 < n &&
           ascii_is_digit((unsigned char)s[e + 1]);
}

/* --- dates --- */

/* An ordinal suffix glued to a day number ("9th", "1st"); returns the end or 0. */
static size_t ordinal(const char *s, size_t n, size_t e)
{
    tok t = sli_date_next_tok(s, n, e);
    if (t.sp)
        return 0;
    if (word_is(s, &t, "st") || word_is(s, &t, "nd") || word_is(s, &t, "rd") ||
        word_is(s, &t, "th"))
        return t.end;
    return 0;
}

/* A four-digit year at the token; 0 if not one. */
static int year_tok(const char *s, size_t n, const tok *t)
{
    if (t->type != T_NUM || t->nd != 4 || sli_date_glued_after(s, n, t->end))
        return 0;
    return (int)t->val;
}

/* "9 November 2023", "9th of Nov, 2023", "18 May, 2024" from the number token t. */
static int day_first(const char *s, size_t n, tok t, hit *h)
{
    if (t.type != T_NUM || t.nd > 2 || sli_date_glued_before(s, t.start))
        return 0;
    int d = (int)t.val;
    size_t e = t.end;
    size_t o = ordinal(s, n, e);
    if (o)
        e = o;
    tok u = sli_date_next_tok(s, n, e);
    if (o && word_is(s, &u, "of"))
        u = sli_date_next_tok(s, n, u.end);
    if (!u.sp && u.type == T_WORD)
        return 0; /* "5May" */
    int m = month_of(s, &u);
    if (!m)
        return 0;
    e = u.end;
    tok v = sli_date_next_tok(s, n, e);
    if (!v.sp && is_punct(&v, '.'))
        v = sli_date_next_tok(s, n, v.end);
    if (is_punct(&v, ','))
        v = sli_date_next_tok(s, n, v.end);
    int y = year_tok(s, n, &v);
    if (!valid_ymd(y, m, d))
        return 0;
    h->y = y;
    h->m = m;
    h->d = d;
    h->end = v.end;
    return 1;
}

/* "November 9, 2023", "Nov. 9 2023", "November 9th, 2023" from the word token t. */
static int month_first(const char *s, size_t n, tok t, hit *h)
{
    int m = month_of(s, &t);
    if (!m)
        return 0;
    tok u = sli_date_next_tok(s, n, t.end);
    if (!u.sp && is_punct(&u, '.'))
        u = sli_date_next_tok(s, n, u.end);
    if (u.type != T_NUM || u.nd > 2)
        return 0;
    int d = (int)u.val;
    size_t e = u.end;
    size_t o = ordinal(s, n, e);
    if (o)
        e = o;
    else if (sli_date_glued_after(s, n, e))
        return 0;
    tok v = sli_date_next_tok(s, n, e);
    if (is_punct(&v, ','))
        v = sli_date_next_tok(s, n, v.end);
    int y = year_tok(s, n, &v);
    if (!valid_ymd(y, m, d))
        return 0;
    h->y = y;
    h->m = m;
    h->d = d;
    h->end = v.end;
    return 1;
}

/* "2024-11-09", "2024/11/09" from the number token t. */
static int iso_date(const char *s, size_t n, tok t, hit *h)
{
    if (t.type != T_NUM || t.nd != 4 || sli_date_glued_before(s, t.start))
        return 0;
    tok a = sli_date_next_tok(s, n, t.end);
    if (a.sp || !(is_punct(&a, '-') || is_punct(&a, '/')))
        return 0;
    tok m = sli_date_next_tok(s, n, a.end);
    if (m.sp || m.type != T_NUM || m.nd != 2)
        return 0;
    tok b = sli_date_next_tok(s, n, m.end);
    if (b.sp || b.type != T_PUNCT || b.c != a.c)
        return 0;
    tok d = sli_date_next_tok(s, n, b.end);
    if (d.sp || d.type != T_NUM || d.nd != 2 || sli_date_glued_after(s, n, d.end))
        return 0;
    if (!valid_ymd((int)t.val, (int)m.val, (int)d.val))
        return 0;
    h->y = (int)t.val;
    h->m = (int)m.val;
    h->d = (int)d.val;
    h->end = d.end;
    return 1;
}

/* "18/05/2024", "18.05.2024", "05-18-2024": only when the order is certain. */
static int numeric_date(const char *s, size_t n, tok t, hit *h)
{
    if (t.type != T_NUM || t.nd > 2 || sli_date_glued_before(s, t.start))
        return 0;
    tok a = sli_date_next_tok(s, n, t.end);
    if (a.sp || !(is_punct(&a, '/') || is_punct(&a, '.') || is_punct(&a, '-')))
        return 0;
    tok b = sli_date_next_tok(s, n, a.end);
    if (b.sp || b.type != T_NUM || b.nd > 2)
        return 0;
    tok c = sli_date_next_tok(s, n, b.end);
    if (c.sp || c.type != T_PUNCT || c.c != a.c)
        return 0;
    tok y = sli_date_next_tok(s, n, c.end);
    if (y.sp || year_tok(s, n, &y) == 0)
        return 0;
    int p = (int)t.val, q = (int)b.val, d, m;
    if (p > 12 && q <= 12) {
        d = p;
        m = q;
    } else if (q > 12 && p <= 12) {
        d = q;
        m = p;
    } else if (p == q) {
        d = m = p;
    } else {
        return 0; /* 09/11/2023: November 9 or September 11 */
    }
    if (!valid_ymd((int)y.val, m, d))
        return 0;
    h->y = (int)y.val;
    h->m = m;
    h->d = d;
    h->end = y.end;
    return 1;
}

/* A date (no time) opening at token t, with an optional weekday before it. */
static int core_date(const char *s, size_t n, tok t, hit *h, int *iso)
{
    *iso = 0;
    h->start = t.start;
    if (weekday(s, &t)) {
        tok u = sli_date_next_tok(s, n, t.end);
        if (!u.sp && is_punct(&u, '.'))
            u = sli_date_next_tok(s, n, u.end);
        if (is_punct(&u, ','))
            u = sli_date_next_tok(s, n, u.end);
        if (u.type == T_END || u.start - t.end > 8)
            return 0;
        return day_first(s, n, u, h) || month_first(s, n, u, h) || numeric_date(s, n, u, h);
    }
    if (t.type == T_WORD)
        return month_first(s, n, t, h);
    if (iso_date(s, n, t, h)) {
        *iso = 1;
        return 1;
    }
    return day_first(s, n, t, h) || numeric_date(s, n, t, h);
}

/* What may stand between a date and its time (at most two of them). */
static int time_connector(const char *s, const tok *t)
{
    if (t->type == T_DASH)
        return 1;
    if (t->type == T_PUNCT)
        return t->c == ',' || t->c == '-' || t->c == '|' || t->c == '@';
    if (t->type == T_SEP) /* "·", "•" */
        return t->end - t->start == 2 ? (unsigned char)s[t->start] == 0xC2 &&
                                             (unsigned char)s[t->start + 1] == 0xB7
                                       : t->end - t->start == 3 &&
                                             (unsigned char)s[t->start] == 0xE2 &&
                                             (unsigned char)s[t->start + 1] == 0x80 &&
                                             (unsigned char)s[t->start + 2] == 0xA2;
    return word_is(s, t, "at") || word_is(s, t, "on");
}

/* Extend h with a time printed after the date. */
static void time_after(const char *s, size_t n, hit *h, int iso)
{
    size_t p = h->end;
    tok t = sli_date_next_tok(s, n, p);
    if (iso && !t.sp && (word_is(s, &t, "t"))) {
        hit g = *h;
        size_t e = sli_date_parse_time(s, n, t.end, &g, 1);
        if (e) {
            g.end = e;
            *h = g;
        }
        return;
    }
    for (int k = 0; k < 3; k++) {
        hit g = *h;
        size_t e = sli_date_parse_time(s, n, p, &g, 0);
        if (e) {
            g.end = e;
            *h = g;
            return;
        }
        t = sli_date_next_tok(s, n, p);
        if (!time_connector(s, &t) || word_is(s, &t, "on"))
            return;
        p = t.end;
    }
}

/* A date opening at token t: [time [zone] connector] [weekday] date [connector time
 * [zone]]. */
int sli_date_find_at(const char *s, size_t n, tok t, hit *h)
{
    int iso = 0;
    memset(h, 0, sizeof *h);
    if (t.type == T_NUM) {
        hit tm;
        memset(&tm, 0, sizeof tm);
        size_t e = sli_date_parse_time(s, n, t.start, &tm, 0);
        if (e) {
            tok u = sli_date_next_tok(s, n, e);
            for (int k = 0; k < 2 && time_connector(s, &u); k++)
                u = sli_date_next_tok(s, n, u.end);
            if (u.type != T_END && core_date(s, n, u, h, &iso)) {
                h->start = t.start;
                h->has_time = 1;
                h->hh = tm.hh;
                h->mi = tm.mi;
                h->ss = tm.ss;
                memcpy(h->zone, tm.zone, sizeof h->zone);
                return 1;
            }
            memset(h, 0, sizeof *h);
        }
    }
    if (!core_date(s, n, t, h, &iso))
        return 0;
    time_after(s, n, h, iso);
    return 1;
}

void sli_date_write_iso(const hit *h, char iso[32])
{
    char *p = iso;
    put2(p, h->y / 100);
    put2(p + 2, h->y % 100);
    p[4] = '-';
    put2(p + 5, h->m);
    p[7] = '-';
    put2(p + 8, h->d);
    p += 10;
    if (h->has_time) {
        p[0] = 'T';
        put2(p + 1, h->hh);
        p[3] = ':';
        put2(p + 4, h->mi);
        p[6] = ':';
        put2(p + 7, h->ss);
        p += 9;
        size_t z = strlen(h->zone);
        memcpy(p, h->zone, z);
        p += z;
    }
    *p = '\0';
}
