/* date_refs.c — dates an article mentions, resolved against its own.
 *
 * One pass over the tokens (numtok_int.h), each looking a fixed number of tokens around:
 *   absolute:  "March 4, 2008", "4 March 2008", "2008-03-04", "7/8/07" (US order unless the
 *              first part is over 12), "November 2006", "in 2008", "the 2017 accord",
 *              "mid-2011";
 *   anchored:  "May", "March 4" (the year that puts them nearest the article's date),
 *              "today", "yesterday", "tomorrow", "Tuesday" (the latest on or before the
 *              article's date; the next on or after it when the sentence speaks of the
 *              future: "will", "is set to", "scheduled"), "last/next Tuesday",
 *              "last/this/next month|year", "earlier this month", "three days ago".
 * Without the article's date only absolute dates are given, except that a dateline (a full
 * date alone on one of the first three lines) stands in for it. Week values ("last week")
 * are not full ISO dates and are left out. docs/facts-amounts-dates.md has the figures. */
#include "facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../text/ascii.h"
#include "../text/date.h"
#include "numtok_int.h"

/* Tokens either side of a date searched for the tense of its sentence ("will", "is set
 * to"; "was", "introduced"). Chosen on the Airbus/Boeing fold (docs). */
#define TENSE_WINDOW 6
/* Lines at the top of the text searched for a dateline when no date is given. */
#define DATELINE_LINES 3

typedef struct ymd {
    int y, m, d; /* m or d 0 when not known */
} ymd;

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int mdays(int y, int m)
{
    static const int D[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : D[m - 1];
}

/* Days since 1970-01-01 (proleptic Gregorian), and back. */
static long days_from(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static ymd from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    return (ymd){(int)(y + (m <= 2)), m, d};
}

static int valid(ymd v)
{
    if (v.y < 1 || v.y > 9999)
        return 0;
    if (v.m == 0)
        return v.d == 0;
    if (v.m < 1 || v.m > 12)
        return 0;
    return v.d == 0 || (v.d >= 1 && v.d <= mdays(v.y, v.m));
}

typedef struct dctx {
    const char *s;
    const nt_list *l;
    int have;   /* the article's date is known */
    ymd art;
    long art_days;
    sli_facts *out;
} dctx;

static sl_error emit(dctx *c, size_t t0, size_t t1, ymd v)
{
    if (!valid(v))
        return SL_OK;
    char val[40]; /* room for any int, so the compiler sees no truncation */
    if (v.m == 0)
        snprintf(val, sizeof val, "%04d", v.y);
    else if (v.d == 0)
        snprintf(val, sizeof val, "%04d-%02d", v.y, v.m);
    else
        snprintf(val, sizeof val, "%04d-%02d-%02d", v.y, v.m, v.d);
    const nt_tok *a = &c->l->t[t0], *b = &c->l->t[t1 - 1];
    return sli_facts_add_date(c->out, c->s + a->a, b->b - a->a, val, a->a);
}

/* A plain integer token (optionally with an ordinal suffix when ord): its value, or -1. */
static long int_tok(const char *s, const nt_tok *t, int ord, size_t maxdig)
{
    if (t->kind != NT_NUM)
        return -1;
    size_t p = t->a;
    long v = 0;
    while (p < t->b && ascii_is_digit((unsigned char)s[p]) && p - t->a < maxdig)
        v = v * 10 + (s[p++] - '0');
    if (p == t->b)
        return v;
    if (ord && t->b - p == 2 &&
        (ascii_ci_is(s, p, t->b, "st") || ascii_ci_is(s, p, t->b, "nd") ||
         ascii_ci_is(s, p, t->b, "rd") || ascii_ci_is(s, p, t->b, "th")))
        return v;
    return -1;
}

static int year_tok(const char *s, const nt_tok *t)
{
    if (t->b - t->a != 4)
        return 0;
    long y = int_tok(s, t, 0, 4);
    return y >= 1000 && y <= 2999 ? (int)y : 0;
}

/* The year of month m (day d, 0 for none) said without one: on or after the article's
 * date in a sentence about the future (tense > 0), on or before it in one about the past
 * (tense < 0), else the nearest (ties to the past). */
static int infer_year(const dctx *c, int m, int d, int tense)
{
    int best = c->art.y;
    long bestdist = -1;
    for (int y = c->art.y - 1; y <= c->art.y + 1; y++) {
        long dist;
        if (d) {
            if (d > mdays(y, m))
                continue;
            dist = days_from(y, m, d) - c->art_days;
        } else {
            dist = (long)(y * 12 + m) - (long)(c->art.y * 12 + c->art.m);
        }
        if ((tense > 0 && dist < 0) || (tense < 0 && dist > 0))
            continue;
        dist = dist < 0 ? -dist * 2 : dist * 2 + 1; /* ties go to the past */
        if (bestdist < 0 || dist < bestdist) {
            bestdist = dist;
            best = y;
        }
    }
    return best;
}

static int is_word(const dctx *c, size_t i, const char *w)
{
    return i < c->l->n && nt_is(c->s, &c->l->t[i], w);
}

/* Whether a month name at token i is one: "May" (also a verb) and abbreviations need a
 * date-like neighbour. */
static int month_at(const dctx *c, size_t i)
{
    const nt_tok *t = &c->l->t[i];
    if (t->kind != NT_WORD || !nt_cap(c->s, t))
        return 0;
    int m = nt_month(c->s, t->a, t->b);
    if (!m)
        return 0;
    size_t n = t->b - t->a;
    int full = n > 3 || m == 5;
    size_t j = i + 1; /* "Oct. 7", "Sept. 2009" */
    if (n <= 4 && j + 1 < c->l->n && c->l->t[j].kind == NT_SYM && c->s[c->l->t[j].a] == '.' &&
        c->l->t[j].b - c->l->t[j].a == 1)
        j++;
    int num_next = j < c->l->n && c->l->t[j].kind == NT_NUM;
    if (full && m != 5)
        return m;
    if (num_next)
        return m;
    if (m == 5 && n == 3 && i > 0) {
        static const char *const P[] = {"in", "since", "by", "until", "from", "of", "last",
                                        "next", "this", "early", "late", "mid", "on",
                                        "during", "between", "before", "after", "through",
                                        "till", "and", "or", "to", "end"};
        for (size_t k = 0; k < sizeof P / sizeof P[0]; k++)
            if (is_word(c, i - 1, P[k]))
                return m;
    }
    return 0;
}

static int sent_end(const dctx *c, size_t k)
{
    const nt_tok *t = &c->l->t[k];
    return t->kind == NT_NL ||
           (t->kind == NT_SYM && t->b - t->a == 1 &&
            (c->s[t->a] == '.' || c->s[t->a] == '!' || c->s[t->a] == '?'));
}

/* The tense word k gives: +1 future ("will", "is set to", "scheduled"), -1 past ("was",
 * "had", "introduced"), 0 none. */
static int tense_at(const dctx *c, size_t k)
{
    const nt_tok *t = &c->l->t[k];
    if (t->kind != NT_WORD)
        return 0;
    if (is_word(c, k, "will") || is_word(c, k, "ll") || is_word(c, k, "shall") ||
        is_word(c, k, "scheduled") || is_word(c, k, "upcoming") || is_word(c, k, "due") ||
        ((is_word(c, k, "is") || is_word(c, k, "are") || is_word(c, k, "set") ||
          is_word(c, k, "expected") || is_word(c, k, "plans") || is_word(c, k, "going")) &&
         is_word(c, k + 1, "to")))
        return 1;
    if (is_word(c, k, "was") || is_word(c, k, "were") || is_word(c, k, "had") ||
        is_word(c, k, "did") || is_word(c, k, "ago"))
        return -1;
    size_t n = t->b - t->a;
    if (n > 4 && ascii_ci_is(c->s, t->b - 2, t->b, "ed") && !nt_cap(c->s, t))
        return -1;
    return 0;
}

/* The tense of the sentence around token i: the nearest cue before it within
 * TENSE_WINDOW tokens, else the nearest after it; 0 when none. */
static int tense_near(const dctx *c, size_t i, size_t i_end)
{
    size_t lo = i > TENSE_WINDOW ? i - TENSE_WINDOW : 0;
    for (size_t k = i; k-- > lo;) {
        if (sent_end(c, k))
            break;
        int t = tense_at(c, k);
        if (t)
            return t;
    }
    for (size_t k = i_end; k < c->l->n && k < i_end + TENSE_WINDOW; k++) {
        if (sent_end(c, k))
            break;
        int t = tense_at(c, k);
        if (t)
            return t;
    }
    return 0;
}

static ymd add_months(ymd a, int k)
{
    long t = (long)a.y * 12 + (a.m - 1) + k;
    return (ymd){(int)(t / 12), (int)(t % 12) + 1, 0};
}

/* Number of "three" / "3" at token i (1..99), 0 if none. */
static int small_count(const dctx *c, size_t i)
{
    static const char *const W[] = {"a", "one", "two", "three", "four", "five", "six",
                                    "seven", "eight", "nine", "ten", "eleven", "twelve"};
    const nt_tok *t = &c->l->t[i];
    long v = int_tok(c->s, t, 0, 2);
    if (v > 0)
        return (int)v;
    for (size_t k = 0; k < sizeof W / sizeof W[0]; k++)
        if (nt_is(c->s, t, W[k]))
            return k ? (int)k : 1;
    if (nt_is(c->s, t, "an"))
        return 1;
    return 0;
}

static int atoi_n(const char *p, int n)
{
    int v = 0;
    for (int k = 0; k < n; k++)
        v = v * 10 + (p[k] - '0');
    return v;
}

/* Whether word token t may be one of the words read_date compares a lower-case token
 * with after the numbers: today, tonight, yesterday, tomorrow, last, past, previous, next,
 * coming, this, beginning, start, end, middle, rest (by length, then first letter). */
static int rel_word_cand(const char *s, const nt_tok *t)
{
    char c0 = (char)ascii_lower((unsigned char)s[t->a]);
    switch (t->b - t->a) {
    case 3:
        return c0 == 'e';
    case 4:
        return c0 == 'l' || c0 == 'p' || c0 == 'n' || c0 == 't' || c0 == 'r';
    case 5:
        return c0 == 't' || c0 == 's';
    case 6:
        return c0 == 'c' || c0 == 'm';
    case 7:
        return c0 == 't';
    case 8:
        return c0 == 't' || c0 == 'p';
    case 9:
        return c0 == 'y' || c0 == 'b';
    default:
        return 0;
    }
}

/* One date expression starting at token i: *used tokens, the value into *v. */
static int read_date(dctx *c, size_t i, size_t *used, ymd *v)
{
    const char *s = c->s;
    const nt_list *l = c->l;
    const nt_tok *t = &l->t[i];
    size_t n = l->n;
    int m = month_at(c, i);
    if (m) {
        /* Month Day[,] [Year] | Month Year | Month */
        size_t j = i + 1;
        if (j < n && s[l->t[j].a] == '.' && l->t[j].kind == NT_SYM && l->t[j].b - l->t[j].a == 1)
            j++; /* "Sept." */
        long d = j < n ? int_tok(s, &l->t[j], 1, 2) : -1;
        if (j < n && l->t[j].b - l->t[j].a <= 4 && d >= 1 && d <= 31) {
            size_t k = j + 1;
            if (k < n && s[l->t[k].a] == ',' && l->t[k].kind == NT_SYM)
                k++;
            int y = k < n ? year_tok(s, &l->t[k]) : 0;
            if (y) {
                *v = (ymd){y, m, (int)d};
                *used = k + 1 - i;
                return 1;
            }
            if (!c->have)
                return 0;
            *used = j + 1 - i;
            *v = (ymd){infer_year(c, m, (int)d, tense_near(c, i, i + *used)), m, (int)d};
            return 1;
        }
        int y = j < n ? year_tok(s, &l->t[j]) : 0;
        if (y) {
            *v = (ymd){y, m, 0};
            *used = j + 1 - i;
            return 1;
        }
        if (!c->have)
            return 0;
        *used = 1;
        *v = (ymd){infer_year(c, m, 0, tense_near(c, i, i + 1)), m, 0};
        return 1;
    }
    if (t->kind == NT_NUM) {
        /* Day Month [Year]; "the 4th of March" */
        long d = int_tok(s, t, 1, 2);
        if (d >= 1 && d <= 31 && t->b - t->a <= 4) {
            size_t j = i + 1;
            if (is_word(c, j, "of"))
                j++;
            int mm = j < n ? month_at(c, j) : 0;
            if (!mm && j < n && l->t[j].kind == NT_WORD && nt_cap(s, &l->t[j]))
                mm = nt_month(s, l->t[j].a, l->t[j].b); /* "5 Dec", "4 May": after a day */
            if (mm) {
                int y = j + 1 < n ? year_tok(s, &l->t[j + 1]) : 0;
                if (y) {
                    *v = (ymd){y, mm, (int)d};
                    *used = j + 2 - i;
                    return 1;
                }
                if (!c->have)
                    return 0;
                *used = j + 1 - i;
                *v = (ymd){infer_year(c, mm, (int)d, tense_near(c, i, i + *used)), mm, (int)d};
                return 1;
            }
        }
        /* 2008-03-04 */
        char iso[32];
        if (t->b - t->a == 10 && sli_text_parse_iso_date(s + t->a, 10, iso) == 10) {
            *v = (ymd){atoi_n(iso, 4), atoi_n(iso + 5, 2), atoi_n(iso + 8, 2)};
            *used = 1;
            return 1;
        }
        /* 7/8/07, 7/8/2007 */
        {
            long p[3] = {0, 0, 0};
            int parts = 0, digs[3] = {0, 0, 0};
            size_t q = t->a;
            while (q <= t->b && parts < 3) {
                if (q < t->b && ascii_is_digit((unsigned char)s[q]) && digs[parts] < 4) {
                    p[parts] = p[parts] * 10 + (s[q] - '0');
                    digs[parts]++;
                } else if (q == t->b || s[q] == '/') {
                    if (!digs[parts])
                        break;
                    parts++;
                    if (q == t->b)
                        break;
                } else {
                    break;
                }
                q++;
            }
            if (parts == 3 && q == t->b && digs[0] <= 2 && digs[1] <= 2 &&
                (digs[2] == 2 || digs[2] == 4)) {
                int y = (int)p[2];
                if (digs[2] == 2)
                    y += y < 50 ? 2000 : 1900;
                int mo = (int)p[0], da = (int)p[1];
                if (mo > 12) {
                    mo = (int)p[1];
                    da = (int)p[0];
                }
                *v = (ymd){y, mo, da};
                *used = 1;
                return 1;
            }
        }
        /* a year: "in 2008", "the 2017 accord"; "2009-2011" gives the first */
        int y = year_tok(s, t);
        size_t yl = 4;
        if (!y && t->b - t->a == 9 && s[t->a + 4] == '-') {
            nt_tok h = {t->a, t->a + 4, NT_NUM};
            nt_tok g = {t->a + 5, t->b, NT_NUM};
            if (year_tok(s, &h) && year_tok(s, &g))
                y = year_tok(s, &h);
            yl = 9;
        }
        if (y && y >= 1800 && y <= 2199 && t->b - t->a == yl) {
            if (i > 0 && (l->t[i - 1].kind == NT_SYM &&
                          (s[l->t[i - 1].a] == '$' || s[l->t[i - 1].a] == '#' ||
                           (unsigned char)s[l->t[i - 1].a] >= 0x80) &&
                          !nt_is_space_sym(s, l->t[i - 1].a, l->t[i - 1].b) &&
                          l->t[i - 1].b - l->t[i - 1].a != 3))
                return 0; /* "$ 2000" (a currency sign, not a quote mark) */
            if (i + 1 < n) {
                const nt_tok *u = &l->t[i + 1];
                if (u->kind == NT_SYM && s[u->a] == '%')
                    return 0;
                if (nt_is(s, u, "percent") || nt_is(s, u, "per") || nt_is(s, u, "million") ||
                    nt_is(s, u, "billion") || nt_is(s, u, "thousand"))
                    return 0;
                /* "2000 workers": a count of something plural */
                if (u->kind == NT_WORD && !nt_cap(s, u) && u->b - u->a > 3 &&
                    ascii_lower((unsigned char)s[u->b - 1]) == 's' &&
                    ascii_lower((unsigned char)s[u->b - 2]) != 's' &&
                    !nt_is(s, u, "was") && !nt_is(s, u, "has") && !nt_is(s, u, "is"))
                    return 0;
            }
            *v = (ymd){y, 0, 0};
            *used = 1;
            return 1;
        }
        return 0;
    }
    if (t->kind != NT_WORD)
        return 0;
    /* "mid-2011", "early-2009" */
    if (t->b - t->a >= 8 && t->b - t->a <= 10 && s[t->b - 5] == '-') {
        /* the hyphen 5 bytes from the end, and a prefix word without one before it */
        size_t q = t->b - 5;
        if (ascii_ci_is(s, t->a, q, "mid") || ascii_ci_is(s, t->a, q, "early") ||
            ascii_ci_is(s, t->a, q, "late")) {
            nt_tok h = {q + 1, t->b, NT_NUM};
            int y = year_tok(s, &h);
            if (y) {
                *v = (ymd){y, 0, 0};
                *used = 1;
                return 1;
            }
        }
    }
    if (!c->have)
        return 0;
    /* what follows needs a capital (a weekday), "ago" two tokens on, or one of the
     * words below: by length and first letter, most tokens are none */
    if (!nt_cap(s, t) && !rel_word_cand(s, t) && !(i + 2 < n && is_word(c, i + 2, "ago")))
        return 0;
    if (nt_is(s, t, "today") || nt_is(s, t, "tonight")) {
        *v = c->art;
        *used = 1;
        return 1;
    }
    if (nt_is(s, t, "yesterday") || nt_is(s, t, "tomorrow")) {
        *v = from_days(c->art_days + (nt_is(s, t, "yesterday") ? -1 : 1));
        *used = 1;
        return 1;
    }
    int rel = nt_is(s, t, "last") || nt_is(s, t, "past") || nt_is(s, t, "previous")  ? -1
              : nt_is(s, t, "next") || nt_is(s, t, "coming")                          ? 1
              : nt_is(s, t, "this")                                                   ? 2
                                                                                      : 0;
    size_t w = rel ? i + 1 : i;
    if (w < n && nt_cap(s, &l->t[w])) {
        int wd = nt_weekday(s, l->t[w].a, l->t[w].b);
        if (wd >= 0) {
            int w0 = (int)(((c->art_days % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday */
            int back = (w0 - wd + 7) % 7, fwd = (wd - w0 + 7) % 7;
            long dd;
            if (rel == -1)
                dd = -(back ? back : 7);
            else if (rel == 1)
                dd = fwd ? fwd : 7;
            else if (tense_near(c, i, w + 1) > 0)
                dd = fwd;
            else
                dd = -back;
            *v = from_days(c->art_days + dd);
            *used = w + 1 - i;
            return 1;
        }
    }
    if (rel && i + 1 < n) {
        const nt_tok *u = &l->t[i + 1];
        int k = rel == 2 ? 0 : rel;
        if (nt_is(s, t, "past"))
            k = 99; /* "the past year": a duration */
        if (k != 99 && nt_is(s, u, "month")) {
            ymd a = add_months(c->art, k);
            *v = a;
            *used = 2;
            return 1;
        }
        if (k != 99 && nt_is(s, u, "year")) {
            *v = (ymd){c->art.y + k, 0, 0};
            *used = 2;
            return 1;
        }
    }
    /* "three days ago", "a year ago" */
    if (i + 2 < n && is_word(c, i + 2, "ago")) {
        int k = small_count(c, i);
        const nt_tok *u = &l->t[i + 1];
        if (k) {
            if (nt_is(s, u, "days") || nt_is(s, u, "day")) {
                *v = from_days(c->art_days - k);
                *used = 3;
                return 1;
            }
            if (nt_is(s, u, "months") || nt_is(s, u, "month")) {
                *v = add_months(c->art, -k);
                *used = 3;
                return 1;
            }
            if (nt_is(s, u, "years") || nt_is(s, u, "year")) {
                *v = (ymd){c->art.y - k, 0, 0};
                *used = 3;
                return 1;
            }
        }
    }
    /* "the beginning of the year", "the end of this month", "the start of next year" */
    if ((nt_is(s, t, "beginning") || nt_is(s, t, "start") || nt_is(s, t, "end") ||
         nt_is(s, t, "middle") || nt_is(s, t, "rest")) &&
        i + 3 < n && is_word(c, i + 1, "of")) {
        int k = is_word(c, i + 2, "the") || is_word(c, i + 2, "this") ? 0
                : is_word(c, i + 2, "next")                            ? 1
                : is_word(c, i + 2, "last")                            ? -1
                                                                       : 99;
        if (k != 99 && is_word(c, i + 3, "year")) {
            *v = (ymd){c->art.y + k, 0, 0};
            *used = 4;
            return 1;
        }
        if (k != 99 && is_word(c, i + 3, "month")) {
            *v = add_months(c->art, k);
            *used = 4;
            return 1;
        }
    }
    return 0;
}

/* Whether read_date can find a date at token i: what its branches need, tested inline
 * before the call (most tokens are none: lower-case words, symbols, line breaks). */
static inline int maybe_date(const dctx *c, size_t i)
{
    const nt_tok *t = &c->l->t[i];
    if (t->kind == NT_NUM)
        return 1;
    if (t->kind != NT_WORD)
        return 0;
    if (nt_cap(c->s, t)) /* a month, a weekday */
        return 1;
    size_t n = t->b - t->a;
    if (n >= 8 && n <= 10 && c->s[t->b - 5] == '-') /* "mid-2011" */
        return 1;
    if (!c->have)
        return 0;
    return rel_word_cand(c->s, t) || (i + 2 < c->l->n && is_word(c, i + 2, "ago"));
}

/* The dateline: "March 4 , 2008" alone on one of the first lines. */
static int find_dateline(dctx *c, ymd *out)
{
    size_t line_start = 0;
    int lines = 0;
    for (size_t i = 0; i < c->l->n && lines < DATELINE_LINES; i++) {
        if (c->l->t[i].kind == NT_NL) {
            lines++;
            line_start = i + 1;
            continue;
        }
        if (i != line_start)
            continue;
        size_t used = 0;
        ymd v;
        if (read_date(c, i, &used, &v) && v.d && valid(v) &&
            (i + used == c->l->n || c->l->t[i + used].kind == NT_NL)) {
            *out = v;
            return 1;
        }
    }
    return 0;
}

sl_error sli_date_refs_find(const char *text, size_t len, const char *date, sli_facts *out)
{
    if (!text || !out)
        return SL_ERR_INVALID;
    nt_list l = {0};
    sl_error e = nt_tokenize(text, len, &l);
    if (!e)
        e = sli_date_refs_find_toks(text, &l, date, out);
    free(l.t);
    return e;
}

sl_error sli_date_refs_find_toks(const char *text, const nt_list *toks, const char *date,
                                 sli_facts *out)
{
    if (!text || !out)
        return SL_ERR_INVALID;
    const nt_list l = *toks;
    sl_error e = SL_OK;
    dctx c = {.s = text, .l = &l, .out = out};
    int ok = 0;
    if (date && strlen(date) >= 10) {
        long z = sli_text_iso_days(date, &ok);
        if (ok) {
            c.have = 1;
            c.art_days = z;
            c.art = from_days(z);
        }
    }
    if (!c.have) {
        ymd d;
        if (find_dateline(&c, &d)) {
            c.have = 1;
            c.art = d;
            c.art_days = days_from(d.y, d.m, d.d);
        }
    }
    for (size_t i = 0; i < l.n && !e; i++) {
        size_t used = 0;
        ymd v;
        if (maybe_date(&c, i) && read_date(&c, i, &used, &v) && used) {
            e = emit(&c, i, i + used, v);
            i += used - 1;
        }
    }
    return e;
}
