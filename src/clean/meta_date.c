/* meta_date.c — the publication date printed in one line of a flattened article.
 *
 * The line is read as a stream of small tokens (numbers, ASCII words, one punctuation
 * character, one non-ASCII character); spaces, tabs, NBSP and the other Unicode spaces
 * only set a "space before" flag. Every number or word that can open a date is tried
 * once; a date found is extended by a time and a zone printed right after it, or taken
 * with a time printed right before it ("11:20 IST, Jan 17, 2024"). Each hit is then
 * judged by what surrounds it, with bounded look-arounds:
 *
 *   - a label just before it ("Published:", "Last Updated:", "Posted on", "Date:",
 *     "Posted by Ana Lutz on") opening the line or a field (after "|", "/", "·", a
 *     dash, ...), or a capitalised "Published"/"Updated"/"Posted"/"Modified" anywhere:
 *     PUBLISHED or UPDATED ("published on" inside a sentence is no label);
 *   - a dateline: at most six place words (capitalised) opening the line, the date,
 *     then "(Agency)" and/or a dash: DATELINE;
 *   - nothing but the date, a weekday, a time and short capitalised fields around it
 *     ("By Ana Lutz | 9 Nov 2024"): LINE;
 *   - anything else is running text: MENTION.
 *
 * Of several dates in one line the one most likely to be the publication date wins:
 * PUBLISHED, then LINE, DATELINE, UPDATED, MENTION (so "May 18, 2024 | Updated: May
 * 19, 2024" gives May 18), the first one on a tie.
 * Forms: ISO "2024-11-09" and "2024/11/09" (with "T" or a space and a time), "November
 * 9, 2023", "Nov. 9 2023", "9 November 2023", "9th of Nov, 2023", "November 9th, 2023",
 * "09/11/2023", "9.11.2023" and "9-11-2023" only when day and month cannot be swapped
 * (one of them over 12, or both equal); two-digit years never; a date glued to letters
 * or digits ("2024-03-15x", "/2024/01/15/" in a URL) is none. Times "21:40", "7:02:11
 * am", "9.40pm", "9 pm", "18:05 hrs"; zones by abbreviation (upper case only), "Z",
 * "+0530", "+05:30", "-4", "GMT+5:30". Non-ASCII characters other than spaces are
 * separators. Nothing is allocated; the line is never read past n. */
#include "meta.h"

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
static int udash(const unsigned char *s, size_t i, size_t len)
{
    return len == 3 && s[i] == 0xE2 &&
           ((s[i + 1] == 0x80 && s[i + 2] >= 0x90 && s[i + 2] <= 0x95) ||
            (s[i + 1] == 0x88 && s[i + 2] == 0x92));
}

/* The token at or after byte i. */
static tok next_tok(const char *str, size_t n, size_t i)
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
        t.type = udash(s, i, len) ? T_DASH : T_SEP;
    }
    t.end = j;
    return t;
}

/* Whether word token t is `w` (lower case), in any case. */
static int word_is(const char *s, const tok *t, const char *w)
{
    size_t len = strlen(w);
    if (t->type != T_WORD || t->end - t->start != len)
        return 0;
    for (size_t k = 0; k < len; k++)
        if (ascii_lower((unsigned char)s[t->start + k]) != w[k])
            return 0;
    return 1;
}

static int is_punct(const tok *t, int c) { return t->type == T_PUNCT && t->c == c; }

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
static int glued_before(const char *s, size_t i)
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
static int glued_after(const char *s, size_t n, size_t e)
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

/* --- time and zone --- */

typedef struct zone_name {
    const char *abbr, *iso;
} zone_name;

static const zone_name ZONES[] = {
    {"IST", "+05:30"},  {"GMT", "Z"},       {"UTC", "Z"},       {"Z", "Z"},
    {"BST", "+01:00"},  {"CET", "+01:00"},  {"CEST", "+02:00"}, {"EET", "+02:00"},
    {"EEST", "+03:00"}, {"WET", "+00:00"},  {"WEST", "+01:00"}, {"MSK", "+03:00"},
    {"EST", "-05:00"},  {"EDT", "-04:00"},  {"CST", "-06:00"},  {"CDT", "-05:00"},
    {"MST", "-07:00"},  {"MDT", "-06:00"},  {"PST", "-08:00"},  {"PDT", "-07:00"},
    {"AKST", "-09:00"}, {"AKDT", "-08:00"}, {"HST", "-10:00"},  {"AEST", "+10:00"},
    {"AEDT", "+11:00"}, {"ACST", "+09:30"}, {"ACDT", "+10:30"}, {"AWST", "+08:00"},
    {"NZST", "+12:00"}, {"NZDT", "+13:00"}, {"JST", "+09:00"},  {"KST", "+09:00"},
    {"SGT", "+08:00"},  {"HKT", "+08:00"},  {"PKT", "+05:00"},  {"NPT", "+05:45"},
    {"SAST", "+02:00"}, {"EAT", "+03:00"},  {"WAT", "+01:00"},  {"CAT", "+02:00"},
    {"BRT", "-03:00"},  {"ART", "-03:00"},  {"WIB", "+07:00"},  {"ICT", "+07:00"},
};

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
}

/* An offset "+0530", "+05:30", "+5", "-04" at byte pos (the sign glued to the digits).
 * Writes "+HH:MM" (or "Z" for zero when `zero_z`); returns the end, or 0. */
static size_t parse_offset(const char *s, size_t n, size_t pos, char zone[8], int zero_z)
{
    tok t = next_tok(s, n, pos);
    if (!(is_punct(&t, '+') || is_punct(&t, '-') || t.type == T_DASH))
        return 0;
    if (t.type == T_DASH && !(t.end - t.start == 3 && (unsigned char)s[t.start + 1] == 0x88))
        return 0; /* only the minus sign, not a dash */
    tok u = next_tok(s, n, t.end);
    if (u.sp || u.type != T_NUM)
        return 0;
    int hh, mm = 0;
    size_t e = u.end;
    if (u.nd == 4) {
        hh = (int)(u.val / 100);
        mm = (int)(u.val % 100);
    } else if (u.nd <= 2) {
        hh = (int)u.val;
        tok c = next_tok(s, n, e);
        if (!c.sp && is_punct(&c, ':')) {
            tok v = next_tok(s, n, c.end);
            if (v.sp || v.type != T_NUM || v.nd != 2)
                return 0;
            mm = (int)v.val;
            e = v.end;
        }
    } else {
        return 0;
    }
    if (hh > 14 || mm > 59 || glued_after(s, n, e))
        return 0;
    if (zero_z && hh == 0 && mm == 0) {
        memcpy(zone, "Z", 2);
        return e;
    }
    zone[0] = t.c == '+' ? '+' : '-';
    put2(zone + 1, hh);
    zone[3] = ':';
    put2(zone + 4, mm);
    zone[6] = '\0';
    return e;
}

/* A zone after a time: "IST", "(IST)", "GMT+5:30", "Z" (glued), "+0530". */
static size_t parse_zone(const char *s, size_t n, size_t pos, char zone[8])
{
    tok t = next_tok(s, n, pos);
    if (is_punct(&t, '+') || is_punct(&t, '-') || t.type == T_DASH)
        return parse_offset(s, n, pos, zone, 0);
    int paren = is_punct(&t, '(');
    if (paren)
        t = next_tok(s, n, t.end);
    if (t.type != T_WORD || t.end - t.start > 4)
        return 0;
    size_t len = t.end - t.start;
    for (size_t k = 0; k < sizeof ZONES / sizeof ZONES[0]; k++) {
        if (strlen(ZONES[k].abbr) != len || memcmp(ZONES[k].abbr, s + t.start, len) != 0)
            continue;
        if (len == 1 && (t.sp || paren))
            return 0; /* "Z" only glued to the time */
        size_t e = t.end;
        strcpy(zone, ZONES[k].iso);
        if (ZONES[k].iso[0] == 'Z' && len == 3) {
            tok o = next_tok(s, n, e);
            if (!o.sp) {
                size_t oe = parse_offset(s, n, e, zone, 1);
                if (oe)
                    e = oe;
            }
        }
        if (paren) {
            tok c = next_tok(s, n, e);
            if (!is_punct(&c, ')'))
                return 0;
            e = c.end;
        }
        return e;
    }
    return 0;
}

/* A time at the token at pos: "21:40", "7:02:11 am", "9.40pm", "9 pm", "a.m.", then
 * "hrs" and a zone. Fills h's time fields; returns the end, or 0. `iso`: after the "T"
 * of an ISO date (glued to it, minutes required). */
static size_t parse_time(const char *s, size_t n, size_t pos, hit *h, int iso)
{
    tok t = next_tok(s, n, pos);
    if (t.type != T_NUM || t.nd > 2 || (!iso && glued_before(s, t.start)) || (iso && t.sp))
        return 0;
    int hh = (int)t.val, mi = 0, ss = 0, have_min = 0, dot = 0;
    size_t e = t.end;
    tok u = next_tok(s, n, e);
    if (!u.sp && (is_punct(&u, ':') || is_punct(&u, '.'))) {
        tok v = next_tok(s, n, u.end);
        if (!v.sp && v.type == T_NUM && v.nd == 2) {
            mi = (int)v.val;
            have_min = 1;
            dot = u.c == '.';
            e = v.end;
            tok w = next_tok(s, n, e);
            if (!dot && !w.sp && is_punct(&w, ':')) {
                tok x = next_tok(s, n, w.end);
                if (!x.sp && x.type == T_NUM && x.nd == 2) {
                    ss = (int)x.val;
                    e = x.end;
                    tok y = next_tok(s, n, e);
                    if (!y.sp && (is_punct(&y, '.') || is_punct(&y, ','))) {
                        tok z = next_tok(s, n, y.end);
                        if (!z.sp && z.type == T_NUM)
                            e = z.end;
                    }
                }
            }
        } else if (u.c == ':') {
            return 0;
        }
    }
    /* "12:30/45", "18.05.2024", "9:45:3": not a time; "-0400" is its zone. */
    if (e < n && (ascii_is_digit((unsigned char)s[e]) ||
                  ((s[e] == '/' || s[e] == '.' || s[e] == ':') && e + 1 < n &&
                   ascii_is_digit((unsigned char)s[e + 1]))))
        return 0;
    /* am / pm / a.m. / p.m. */
    int ampm = 0;
    tok a = next_tok(s, n, e);
    if (word_is(s, &a, "am") || word_is(s, &a, "pm")) {
        ampm = ascii_lower((unsigned char)s[a.start]) == 'a' ? 1 : 2;
        e = a.end;
    } else if (word_is(s, &a, "a") || word_is(s, &a, "p")) {
        tok b = next_tok(s, n, a.end), c = next_tok(s, n, b.end);
        if (!b.sp && is_punct(&b, '.') && !c.sp && word_is(s, &c, "m")) {
            ampm = ascii_lower((unsigned char)s[a.start]) == 'a' ? 1 : 2;
            e = c.end;
            tok d = next_tok(s, n, e);
            if (!d.sp && is_punct(&d, '.'))
                e = d.end;
        }
    }
    if (!have_min && (!ampm || iso))
        return 0;
    if (ampm && hh <= 12) {
        if (hh == 0 && !have_min)
            return 0;
        if (ampm == 1 && hh == 12)
            hh = 0;
        else if (ampm == 2 && hh < 12)
            hh += 12;
    }
    if (hh > 23 || mi > 59 || ss > 60)
        return 0;
    tok r = next_tok(s, n, e);
    if (word_is(s, &r, "hrs") || word_is(s, &r, "hours") || word_is(s, &r, "h")) {
        e = r.end;
        tok d = next_tok(s, n, e);
        if (!d.sp && is_punct(&d, '.'))
            e = d.end;
    }
    char zone[8] = "";
    size_t ze = parse_zone(s, n, e, zone);
    if (ze)
        e = ze;
    if (dot && !ampm && !ze) {
        /* "14.05" alone reads as a time only where nothing else follows it. */
        tok f = next_tok(s, n, e);
        if (!(f.type == T_END || is_punct(&f, ',') || is_punct(&f, '|') || is_punct(&f, ')') ||
              f.type == T_DASH || f.type == T_SEP))
            return 0;
    }
    h->has_time = 1;
    h->hh = hh;
    h->mi = mi;
    h->ss = ss;
    memcpy(h->zone, zone, sizeof zone);
    return e;
}

/* --- dates --- */

/* An ordinal suffix glued to a day number ("9th", "1st"); returns the end or 0. */
static size_t ordinal(const char *s, size_t n, size_t e)
{
    tok t = next_tok(s, n, e);
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
    if (t->type != T_NUM || t->nd != 4 || glued_after(s, n, t->end))
        return 0;
    return (int)t->val;
}

/* "9 November 2023", "9th of Nov, 2023", "18 May, 2024" from the number token t. */
static int day_first(const char *s, size_t n, tok t, hit *h)
{
    if (t.type != T_NUM || t.nd > 2 || glued_before(s, t.start))
        return 0;
    int d = (int)t.val;
    size_t e = t.end;
    size_t o = ordinal(s, n, e);
    if (o)
        e = o;
    tok u = next_tok(s, n, e);
    if (o && word_is(s, &u, "of"))
        u = next_tok(s, n, u.end);
    if (!u.sp && u.type == T_WORD)
        return 0; /* "5May" */
    int m = month_of(s, &u);
    if (!m)
        return 0;
    e = u.end;
    tok v = next_tok(s, n, e);
    if (!v.sp && is_punct(&v, '.'))
        v = next_tok(s, n, v.end);
    if (is_punct(&v, ','))
        v = next_tok(s, n, v.end);
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
    tok u = next_tok(s, n, t.end);
    if (!u.sp && is_punct(&u, '.'))
        u = next_tok(s, n, u.end);
    if (u.type != T_NUM || u.nd > 2)
        return 0;
    int d = (int)u.val;
    size_t e = u.end;
    size_t o = ordinal(s, n, e);
    if (o)
        e = o;
    else if (glued_after(s, n, e))
        return 0;
    tok v = next_tok(s, n, e);
    if (is_punct(&v, ','))
        v = next_tok(s, n, v.end);
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
    if (t.type != T_NUM || t.nd != 4 || glued_before(s, t.start))
        return 0;
    tok a = next_tok(s, n, t.end);
    if (a.sp || !(is_punct(&a, '-') || is_punct(&a, '/')))
        return 0;
    tok m = next_tok(s, n, a.end);
    if (m.sp || m.type != T_NUM || m.nd != 2)
        return 0;
    tok b = next_tok(s, n, m.end);
    if (b.sp || b.type != T_PUNCT || b.c != a.c)
        return 0;
    tok d = next_tok(s, n, b.end);
    if (d.sp || d.type != T_NUM || d.nd != 2 || glued_after(s, n, d.end))
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
    if (t.type != T_NUM || t.nd > 2 || glued_before(s, t.start))
        return 0;
    tok a = next_tok(s, n, t.end);
    if (a.sp || !(is_punct(&a, '/') || is_punct(&a, '.') || is_punct(&a, '-')))
        return 0;
    tok b = next_tok(s, n, a.end);
    if (b.sp || b.type != T_NUM || b.nd > 2)
        return 0;
    tok c = next_tok(s, n, b.end);
    if (c.sp || c.type != T_PUNCT || c.c != a.c)
        return 0;
    tok y = next_tok(s, n, c.end);
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
        tok u = next_tok(s, n, t.end);
        if (!u.sp && is_punct(&u, '.'))
            u = next_tok(s, n, u.end);
        if (is_punct(&u, ','))
            u = next_tok(s, n, u.end);
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
    tok t = next_tok(s, n, p);
    if (iso && !t.sp && (word_is(s, &t, "t"))) {
        hit g = *h;
        size_t e = parse_time(s, n, t.end, &g, 1);
        if (e) {
            g.end = e;
            *h = g;
        }
        return;
    }
    for (int k = 0; k < 3; k++) {
        hit g = *h;
        size_t e = parse_time(s, n, p, &g, 0);
        if (e) {
            g.end = e;
            *h = g;
            return;
        }
        t = next_tok(s, n, p);
        if (!time_connector(s, &t) || word_is(s, &t, "on"))
            return;
        p = t.end;
    }
}

/* A date opening at token t: [time [zone] connector] [weekday] date [connector time
 * [zone]]. */
static int find_at(const char *s, size_t n, tok t, hit *h)
{
    int iso = 0;
    memset(h, 0, sizeof *h);
    if (t.type == T_NUM) {
        hit tm;
        memset(&tm, 0, sizeof tm);
        size_t e = parse_time(s, n, t.start, &tm, 0);
        if (e) {
            tok u = next_tok(s, n, e);
            for (int k = 0; k < 2 && time_connector(s, &u); k++)
                u = next_tok(s, n, u.end);
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

/* --- judging a hit by its surroundings --- */

/* Step back over spaces (ASCII, NBSP) from i. */
static size_t back_spaces(const char *str, size_t i)
{
    const unsigned char *s = (const unsigned char *)str;
    for (;;) {
        if (i > 0 && ascii_is_space(s[i - 1]))
            i--;
        else if (i > 1 && s[i - 1] == 0xA0 && s[i - 2] == 0xC2)
            i -= 2;
        else
            return i;
    }
}

/* The ASCII word ending at i (after spaces): [*a, return). Empty when none. */
static size_t word_before(const char *s, size_t i, size_t *a)
{
    size_t e = back_spaces(s, i), b = e;
    while (b > 0 && ascii_is_alpha((unsigned char)s[b - 1]))
        b--;
    *a = b;
    return e;
}

/* A label right before the date (start): PUBLISHED, UPDATED or NONE. */
static meta_date_kind label_before(const char *s, size_t start)
{
    size_t i = back_spaces(s, start);
    for (int k = 0; k < 3 && i > 0; k++) { /* ":", " - ", ": -", " — " */
        int c = (unsigned char)s[i - 1];
        if (c == ':' || c == '-')
            i = back_spaces(s, i - 1);
        else if (i >= 3 && udash((const unsigned char *)s, i - 3, 3))
            i = back_spaces(s, i - 3);
        else
            break;
    }
    size_t a, e = word_before(s, i, &a);
    if (a == e)
        return META_DATE_NONE;
    if (ascii_ci_is(s, a, e, "on") || ascii_ci_is(s, a, e, "at")) {
        e = word_before(s, a, &a);
        if (a == e)
            return META_DATE_NONE;
        /* "Posted by Ana Lutz on ...": a name (capitalised words) and "by" before. */
        size_t na = a, ne = e;
        for (int k = 0; k < 5 && na < ne && s[na] >= 'A' && s[na] <= 'Z'; k++)
            ne = word_before(s, na, &na);
        if (na < ne && ne < e && ascii_ci_is(s, na, ne, "by")) {
            e = word_before(s, na, &a);
            if (a == e)
                return META_DATE_NONE;
        }
    }
    /* Strong labels count when capitalised anywhere; weak ones only opening a field. */
    static const struct {
        const char *w;
        meta_date_kind kind;
        int strong;
    } labels[] = {
        {"updated", META_DATE_UPDATED, 1},     {"modified", META_DATE_UPDATED, 1},
        {"revised", META_DATE_UPDATED, 1},     {"edited", META_DATE_UPDATED, 0},
        {"amended", META_DATE_UPDATED, 0},     {"published", META_DATE_PUBLISHED, 1},
        {"posted", META_DATE_PUBLISHED, 1},    {"date", META_DATE_PUBLISHED, 0},
        {"released", META_DATE_PUBLISHED, 0},
        {"filed", META_DATE_PUBLISHED, 0},     {"issued", META_DATE_PUBLISHED, 0},
        {"created", META_DATE_PUBLISHED, 0},   {"publication", META_DATE_PUBLISHED, 0},
    };
    meta_date_kind kind = META_DATE_NONE;
    int strong = 0;
    for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++)
        if (ascii_ci_is(s, a, e, labels[k].w)) {
            kind = labels[k].kind;
            strong = labels[k].strong;
            break;
        }
    if (kind == META_DATE_NONE)
        return kind;
    int capital = strong && s[a] >= 'A' && s[a] <= 'Z';
    /* A qualifier: "Last updated", "First published", "Publication date", ... */
    size_t qa, qe = word_before(s, a, &qa);
    static const char *const qual[] = {"last", "first", "originally", "publication", "pub",
                                       "release", "story", "article", "page", "published",
                                       "post", "posted"};
    for (size_t k = 0; k < sizeof qual / sizeof qual[0] && qa < qe; k++)
        if (ascii_ci_is(s, qa, qe, qual[k])) {
            capital = strong && s[qa] >= 'A' && s[qa] <= 'Z';
            a = qa;
            break;
        }
    /* The label opens the line or a field, or is written as a label (capitalised). */
    size_t b = back_spaces(s, a);
    if (b == 0 || capital)
        return kind;
    int c = (unsigned char)s[b - 1];
    if (c >= 0x80 || c == '|' || c == '/' || c == '(' || c == '[' || c == ';' || c == '>' ||
        c == '*' || c == '-')
        return kind;
    return META_DATE_NONE;
}

static int place_connector(const char *s, size_t a, size_t e)
{
    static const char *const w[] = {"of", "de", "del", "la", "le", "upon", "on", "am",
                                    "der", "da", "do", "dos", "du", "sur", "en", "al", "el"};
    for (size_t k = 0; k < sizeof w / sizeof w[0]; k++)
        if (ascii_ci_is(s, a, e, w[k]))
            return 1;
    return 0;
}

/* A dateline: place words opening the line, the date, then "(Agency)" and/or a dash. */
static int is_dateline(const char *s, size_t n, const hit *h)
{
    if (h->start > 80)
        return 0;
    int words = 0;
    size_t i = 0;
    tok last;
    memset(&last, 0, sizeof last);
    for (;;) {
        tok t = next_tok(s, n, i);
        if (t.start >= h->start)
            break;
        if (t.type == T_WORD) {
            /* A word glued after a non-ASCII letter ("M" "ü" "nchen") continues it. */
            int cont = t.start > 0 && (unsigned char)s[t.start - 1] >= 0x80 && !t.sp;
            if (!cont) {
                if (!(s[t.start] >= 'A' && s[t.start] <= 'Z') &&
                    !place_connector(s, t.start, t.end))
                    return 0;
                words++;
            }
        } else if (t.type == T_PUNCT) {
            if (!(t.c == ',' || t.c == '.' || t.c == '\'' || t.c == '-'))
                return 0;
            if (t.c == '-' && (t.sp || next_tok(s, n, t.end).sp))
                return 0; /* a spaced dash: not inside a place name */
        } else if (t.type == T_SEP) {
            if (t.sp || next_tok(s, n, t.end).sp)
                return 0; /* only letters glued inside a word */
        } else {
            return 0;
        }
        last = t;
        i = t.end;
    }
    if (words > 6 || (words > 0 && last.type == T_PUNCT && last.c != ',' && last.c != '.'))
        return 0;
    tok t = next_tok(s, n, h->end);
    int paren = 0, dash = 0;
    if (is_punct(&t, '(') || is_punct(&t, '[')) {
        int close = t.c == '(' ? ')' : ']';
        size_t limit = t.end + 48;
        for (t = next_tok(s, n, t.end); t.type != T_END && t.start < limit;
             t = next_tok(s, n, t.end))
            if (is_punct(&t, close) || !(t.type == T_WORD || is_punct(&t, '/') ||
                                         is_punct(&t, '.') || is_punct(&t, '-') ||
                                         is_punct(&t, '&') || t.type == T_NUM))
                break;
        if (!is_punct(&t, close))
            return 0;
        paren = 1;
        t = next_tok(s, n, t.end);
    }
    if (t.type == T_DASH || is_punct(&t, '-') || is_punct(&t, ':')) {
        dash = 1;
        t = next_tok(s, n, t.end);
        if (is_punct(&t, '-'))
            t = next_tok(s, n, t.end);
    }
    if (!paren && !dash)
        return 0;
    int text_after = t.type != T_END;
    return words > 0 || text_after;
}

/* Whether a word outside the date keeps a line a date line: capitalised, or one of a
 * few small words ("By Ana Lutz and ...", "18:05 hrs"). */
static int line_word_ok(const char *s, const tok *t)
{
    if (s[t->start] >= 'A' && s[t->start] <= 'Z')
        return 1;
    static const char *const w[] = {"by", "and", "at", "on", "of", "the", "in", "de",
                                    "van", "von", "hrs", "am", "pm", "local", "time"};
    for (size_t k = 0; k < sizeof w / sizeof w[0]; k++)
        if (word_is(s, t, w[k]))
            return 1;
    return 0;
}

static int field_sep(const tok *t)
{
    if (t->type == T_DASH || t->type == T_SEP)
        return 1;
    if (t->type != T_PUNCT)
        return 0;
    return strchr(",|/()[];:-.", t->c) != NULL;
}

/* A line that holds only the date, or the date and a few short capitalised fields. */
static int is_date_line(const char *s, size_t n, const hit *h)
{
    if (n - (h->end - h->start) > 64)
        return 0;
    int words = 0;
    tok prev;
    memset(&prev, 0, sizeof prev);
    prev.type = T_END;
    for (tok t = next_tok(s, n, 0); t.type != T_END && t.start < h->start;
         t = next_tok(s, n, t.end)) {
        if (t.type == T_WORD && (!line_word_ok(s, &t) || ++words > 6))
            return 0;
        prev = t;
    }
    if (prev.type != T_END && !field_sep(&prev) && !word_is(s, &prev, "on") &&
        !word_is(s, &prev, "at"))
        return 0;
    tok t = next_tok(s, n, h->end);
    if (t.type != T_END && !field_sep(&t))
        return 0;
    for (; t.type != T_END; t = next_tok(s, n, t.end))
        if (t.type == T_WORD && (!line_word_ok(s, &t) || ++words > 6))
            return 0;
    return 1;
}

static meta_date_kind judge(const char *s, size_t n, const hit *h)
{
    meta_date_kind k = label_before(s, h->start);
    if (k != META_DATE_NONE)
        return k;
    if (is_dateline(s, n, h))
        return META_DATE_DATELINE;
    if (is_date_line(s, n, h))
        return META_DATE_LINE;
    return META_DATE_MENTION;
}

static void write_iso(const hit *h, char iso[32])
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

/* How likely a hit is the publication date, for choosing among several in a line. */
static int rank(meta_date_kind k)
{
    switch (k) {
    case META_DATE_PUBLISHED: return 5;
    case META_DATE_LINE: return 4;
    case META_DATE_DATELINE: return 3;
    case META_DATE_UPDATED: return 2;
    case META_DATE_MENTION: return 1;
    default: return 0;
    }
}

meta_date_kind sli_meta_find_date(const char *s, size_t n, meta_date *out)
{
    meta_date_kind best = META_DATE_NONE;
    hit besth;
    memset(&besth, 0, sizeof besth);
    if (out) {
        out->kind = META_DATE_NONE;
        out->iso[0] = '\0';
        out->start = out->len = 0;
    }
    if (!s)
        return META_DATE_NONE;
    size_t i = 0;
    for (;;) {
        tok t = next_tok(s, n, i);
        if (t.type == T_END)
            break;
        hit h;
        if ((t.type == T_NUM || t.type == T_WORD) && find_at(s, n, t, &h)) {
            meta_date_kind k = judge(s, n, &h);
            if (rank(k) > rank(best)) {
                best = k;
                besth = h;
            }
            if (best == META_DATE_PUBLISHED)
                break;
            i = h.end;
            continue;
        }
        i = t.end;
    }
    if (out && best != META_DATE_NONE) {
        out->kind = best;
        write_iso(&besth, out->iso);
        out->start = besth.start;
        out->len = besth.end - besth.start;
    }
    return best;
}
