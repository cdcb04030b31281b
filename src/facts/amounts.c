/* amounts.c — numbers with their unit and what they count.
 *
 * One pass over the tokens (numtok_int.h). At a number (digits, number words, "a third",
 * "half", "thousands of") the phrase is read outwards within a fixed window: a currency
 * before it ("$", "US$", "£", "#" as the tokenised pound, "Rs", ISO codes) and an
 * approximator ("about", "more than", "up to", "between"); after it scale words ("million",
 * "lakh", "crore", "bn", "1.2m"), a range ("15-20", "to $ 28 million"), "%"/"per cent",
 * currency words ("dollars", "yuan", "USD") and, for counts, the noun counted
 * ("250,000 farmers", "179 new aerial refueling tankers"). Years, dates, times, ordinals,
 * model numbers ("Boeing 787") and durations ("two years": dates, not amounts) are left
 * out. Digit groups are read in both the Western (100,000) and the Indian (1,00,000) way.
 * The value is computed digit by digit (no strtod, no locale); a number too long for a
 * double becomes infinity, which the JSON writer prints as null. docs/facts-amounts-dates.md
 * has the method and its figures. */
#include "facts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../text/ascii.h"
#include "../text/stopwords.h"
#include "numtok_int.h"

/* Tokens the counted noun may lie after the number: "179 new aerial refueling tankers".
 * Chosen on the Airbus/Boeing fold (docs). */
#define COUNTED_WINDOW 5
/* Tokens an approximator may take before the number: "as many as". */
#define APPROX_WINDOW 3

typedef struct numword {
    const char *w;
    double v;
    int kind; /* 0: 0..19, 1: tens, 2: hundred, 3: scale, 4: dozen */
} numword;

static const numword NUMWORDS[] = {
    {"zero", 0, 0},       {"one", 1, 0},         {"two", 2, 0},          {"three", 3, 0},
    {"four", 4, 0},       {"five", 5, 0},        {"six", 6, 0},          {"seven", 7, 0},
    {"eight", 8, 0},      {"nine", 9, 0},        {"ten", 10, 0},         {"eleven", 11, 0},
    {"twelve", 12, 0},    {"thirteen", 13, 0},   {"fourteen", 14, 0},    {"fifteen", 15, 0},
    {"sixteen", 16, 0},   {"seventeen", 17, 0},  {"eighteen", 18, 0},    {"nineteen", 19, 0},
    {"twenty", 20, 1},    {"thirty", 30, 1},     {"forty", 40, 1},       {"fifty", 50, 1},
    {"sixty", 60, 1},     {"seventy", 70, 1},    {"eighty", 80, 1},      {"ninety", 90, 1},
    {"hundred", 100, 2},  {"thousand", 1e3, 3},  {"million", 1e6, 3},    {"billion", 1e9, 3},
    {"trillion", 1e12, 3}, {"lakh", 1e5, 3},     {"lakhs", 1e5, 3},      {"lac", 1e5, 3},
    {"crore", 1e7, 3},    {"crores", 1e7, 3},    {"dozen", 12, 4},
};

/* Scale words written after digits: "3.5 bn", "£3bn", "1.2m", "2.5 lakh". */
static double scale_word(const char *s, size_t a, size_t b)
{
    static const struct { const char *w; double v; } SC[] = {
        {"k", 1e3},     {"thousand", 1e3}, {"m", 1e6},     {"mn", 1e6},   {"mln", 1e6},
        {"million", 1e6}, {"bn", 1e9},     {"b", 1e9},     {"bln", 1e9},  {"billion", 1e9},
        {"tn", 1e12},   {"trillion", 1e12}, {"lakh", 1e5}, {"lakhs", 1e5}, {"lac", 1e5},
        {"crore", 1e7}, {"crores", 1e7},   {"cr", 1e7},    {"hundred", 100}, {"dozen", 12},
    };
    for (size_t k = 0; k < sizeof SC / sizeof SC[0]; k++)
        if (ascii_ci_is(s, a, b, SC[k].w))
            return SC[k].v;
    return 0;
}

static const numword *find_numword(const char *s, size_t a, size_t b)
{
    /* Every word is tried: a quick no for most, by length and first letter (those of
     * NUMWORDS: keep in step with it). */
    static const char *const first_by_len[10] = {
        [3] = "lost", [4] = "flnz", [5] = "cdeflst", [6] = "cent",
        [7] = "bfhms", [8] = "efnt", [9] = "s"};
    if (b - a < 3 || b - a > 9)
        return NULL;
    char c0 = ascii_lower((unsigned char)s[a]);
    if (!c0 || !strchr(first_by_len[b - a], c0))
        return NULL;
    for (size_t k = 0; k < sizeof NUMWORDS / sizeof NUMWORDS[0]; k++)
        if (NUMWORDS[k].w[0] == c0 && ascii_ci_is(s, a, b, NUMWORDS[k].w))
            return &NUMWORDS[k];
    return NULL;
}

/* Denominator of a fraction word ("third" 3, "quarters" 4), 0 if none; *plural set. */
static int fraction_word(const char *s, size_t a, size_t b, int *plural)
{
    static const struct { const char *w; int d; } FR[] = {
        {"half", 2},   {"halves", 2}, {"third", 3}, {"fourth", 4}, {"quarter", 4},
        {"fifth", 5},  {"sixth", 6},  {"eighth", 8}, {"tenth", 10},
    };
    for (size_t k = 0; k < sizeof FR / sizeof FR[0]; k++) {
        size_t n = strlen(FR[k].w);
        if (ascii_ci_is(s, a, b, FR[k].w)) {
            *plural = !strcmp(FR[k].w, "halves");
            return FR[k].d;
        }
        if (b - a == n + 1 && ascii_lower((unsigned char)s[b - 1]) == 's' &&
            ascii_ci_is(s, a, b - 1, FR[k].w)) {
            *plural = 1;
            return FR[k].d;
        }
    }
    return 0;
}

/* Value of the digits at s[a..b): Western or Indian grouping, a decimal part. Returns the
 * end of the number (a when none). Digit by digit into a double: exact up to 2^53, inf
 * past DBL_MAX, no UB for any length. */
static size_t read_digits(const char *s, size_t a, size_t b, double *v)
{
    size_t p = a;
    double m = 0;
    while (p < b && ascii_is_digit((unsigned char)s[p]))
        m = m * 10 + (s[p++] - '0');
    if (p == a)
        return a;
    /* groups: ",ddd" (Western, and the last Indian group) or ",dd" followed by another
     * comma (Indian lakh/crore groups) */
    while (p + 2 < b && s[p] == ',') {
        size_t k = 0;
        while (p + 1 + k < b && k < 4 && ascii_is_digit((unsigned char)s[p + 1 + k]))
            k++;
        int ok = k == 3 || (k == 2 && p + 3 < b && s[p + 3] == ',');
        if (!ok)
            break;
        for (size_t q = 0; q < k; q++)
            m = m * 10 + (s[p + 1 + q] - '0');
        p += 1 + k;
    }
    if (p + 1 < b && s[p] == '.' && ascii_is_digit((unsigned char)s[p + 1])) {
        p++;
        double scale = 1;
        int kept = 0;
        while (p < b && ascii_is_digit((unsigned char)s[p])) {
            if (kept < 15) {
                m = m * 10 + (s[p] - '0');
                scale *= 10;
                kept++;
            }
            p++;
        }
        m /= scale;
    }
    *v = m;
    return p;
}

static int is_time_unit(const char *s, size_t a, size_t b)
{
    static const char *const W[] = {"year",   "years",  "month", "months", "week",
                                    "weeks",  "day",    "days",  "hour",   "hours",
                                    "minute", "minutes", "second", "seconds", "decade",
                                    "decades", "century", "centuries", "yr", "yrs",
                                    "night",  "nights", "quarter", "quarters"};
    for (size_t k = 0; k < sizeof W / sizeof W[0]; k++)
        if (ascii_ci_is(s, a, b, W[k]))
            return 1;
    return 0;
}

/* Currency words and codes after a number: "dollars", "yuan", "USD". */
static const char *currency_after(const char *s, size_t a, size_t b)
{
    static const struct { const char *w, *code; } CW[] = {
        {"dollar", "USD"}, {"dollars", "USD"}, {"euro", "EUR"},   {"euros", "EUR"},
        {"pound", "GBP"},  {"pounds", "GBP"},  {"sterling", "GBP"}, {"yen", "JPY"},
        {"yuan", "CNY"},   {"renminbi", "CNY"}, {"rupee", "INR"},  {"rupees", "INR"},
        {"usd", "USD"},    {"eur", "EUR"},     {"gbp", "GBP"},    {"jpy", "JPY"},
        {"cny", "CNY"},    {"rmb", "CNY"},     {"inr", "INR"},    {"chf", "CHF"},
        {"aud", "AUD"},    {"cad", "CAD"},     {"francs", "CHF"}, {"won", "KRW"},
        {"roubles", "RUB"}, {"rubles", "RUB"},
    };
    for (size_t k = 0; k < sizeof CW / sizeof CW[0]; k++)
        if (ascii_ci_is(s, a, b, CW[k].w))
            return CW[k].code;
    return NULL;
}

/* ISO codes written before a number ("USD 500", "INR 2.5 lakh"): upper case only. */
static const char *code_before(const char *s, size_t a, size_t b)
{
    static const char *const C[] = {"USD", "EUR", "GBP", "INR", "JPY", "CNY", "RMB",
                                    "CHF", "AUD", "CAD", "HKD", "SGD"};
    for (size_t k = 0; k < sizeof C / sizeof C[0]; k++)
        if (b - a == 3 && !memcmp(s + a, C[k], 3))
            return !strcmp(C[k], "RMB") ? "CNY" : C[k];
    if (ascii_ci_is(s, a, b, "rs") || ascii_ci_is(s, a, b, "inr"))
        return "INR";
    return NULL;
}

/* Currency sign token: "$", "€", "£", "¥", "₹" (and "#", the tokenised pound, when a digit
 * follows). */
static const char *currency_sign(const char *s, const nt_tok *t)
{
    size_t n = t->b - t->a;
    const char *p = s + t->a;
    if (t->kind != NT_SYM)
        return NULL;
    if (n == 1 && *p == '$')
        return "USD";
    if (n == 1 && *p == '#')
        return "GBP";
    if (n == 2 && !memcmp(p, "\xC2\xA3", 2))
        return "GBP";
    if (n == 2 && !memcmp(p, "\xC2\xA5", 2))
        return "JPY";
    if (n == 3 && !memcmp(p, "\xE2\x82\xAC", 3))
        return "EUR";
    if (n == 3 && !memcmp(p, "\xE2\x82\xB9", 3))
        return "INR";
    return NULL;
}

/* The dollar prefix glued to "$": "US$", "A$", "C$", "HK$" ... */
static const char *dollar_prefix(const char *s, size_t a, size_t b)
{
    static const struct { const char *w, *code; } DP[] = {
        {"us", "USD"}, {"usd", "USD"}, {"a", "AUD"},   {"au", "AUD"}, {"c", "CAD"},
        {"ca", "CAD"}, {"hk", "HKD"},  {"nz", "NZD"},  {"s", "SGD"},  {"nt", "TWD"},
        {"r", "BRL"},
    };
    for (size_t k = 0; k < sizeof DP / sizeof DP[0]; k++)
        if (ascii_ci_is(s, a, b, DP[k].w))
            return DP[k].code;
    return NULL;
}

static int lower_word(const char *s, const nt_tok *t, char *buf, size_t cap)
{
    size_t n = t->b - t->a;
    if (t->kind != NT_WORD || n >= cap)
        return 0;
    for (size_t k = 0; k < n; k++)
        buf[k] = (char)ascii_lower((unsigned char)s[t->a + k]);
    buf[n] = '\0';
    return (int)n;
}

static int is_stop(const char *s, const nt_tok *t)
{
    char buf[SLI_STOP_MAX_LEN + 2];
    int n = lower_word(s, t, buf, sizeof buf);
    return n > 0 && sli_stopword_kinds(buf, (size_t)n) != 0;
}

static int ends_with(const char *s, size_t a, size_t b, const char *suf)
{
    size_t n = strlen(suf);
    return b - a > n + 2 && ascii_ci_is(s, b - n, b, suf);
}

/* A word that modifies the counted noun rather than being it: "new", "aerial",
 * "refueling", "trained". By a few common adjectives and the adjective and participle
 * endings of English. */
static int modifier_like(const char *s, size_t a, size_t b)
{
    static const char *const ADJ[] = {"new", "more", "other", "additional", "extra",
                                      "major", "big", "small", "large", "old", "young",
                                      "different", "separate", "full", "local", "key",
                                      "senior", "former", "current", "main", "total",
                                      "long", "short", "high", "low", "free", "top",
                                      "best", "biggest", "largest", "first", "next",
                                      "previous", "various", "several", "few", "further",
                                      "known", "estimated", "million", "billion"};
    for (size_t k = 0; k < sizeof ADJ / sizeof ADJ[0]; k++)
        if (ascii_ci_is(s, a, b, ADJ[k]))
            return 1;
    static const char *const SUF[] = {"al", "ous", "ive", "ic", "able", "ible", "ful",
                                      "less", "ing", "ed", "ish", "ary", "ern"};
    for (size_t k = 0; k < sizeof SUF / sizeof SUF[0]; k++)
        if (ends_with(s, a, b, SUF[k]))
            return 1;
    return 0;
}

static int plural_like(const char *s, size_t a, size_t b)
{
    if (b - a < 3 || ascii_lower((unsigned char)s[b - 1]) != 's')
        return 0;
    int c = ascii_lower((unsigned char)s[b - 2]);
    return c != 's' && c != 'u' && c != 'i';
}

static int determiner(const char *s, const nt_tok *t)
{
    static const char *const D[] = {"the", "a", "an", "this", "that", "its", "his",
                                    "her", "their", "our", "my", "your", "these", "those"};
    for (size_t k = 0; k < sizeof D / sizeof D[0]; k++)
        if (nt_is(s, t, D[k]))
            return 1;
    return 0;
}

static int approx_word1(const char *s, const nt_tok *t)
{
    static const char *const A[] = {"about", "around", "approximately", "roughly",
                                    "nearly", "almost", "some", "over", "under", "only",
                                    "just", "all", "estimated", "approx", "another",
                                    "between", "barely", "circa", "exactly", "above",
                                    "below", "least", "most", "than", "to", "of"};
    if (t->kind != NT_WORD)
        return 0;
    for (size_t k = 0; k < sizeof A / sizeof A[0]; k++)
        if (nt_is(s, t, A[k]))
            return 1;
    return 0;
}

typedef struct core {
    size_t t_end;     /* first token after the number */
    double v;
    int numeric;      /* written in digits */
    int plain4;       /* four digits, nothing else: may be a year */
    int scaled;       /* a scale word or suffix ("million", "bn") */
    int range;        /* "15-20" */
    int fraction;     /* "a third", "half" */
    size_t unit_a, unit_b; /* a unit glued to the digits: "500km", "3.5-inch" */
} core;

/* Number words from token i ("three million", "twenty-five", "two hundred and fifty").
 * Returns tokens used (0 if none). A hyphenated token whose tail is not a number word
 * gives that tail as a unit ("fifty-year"). */
static size_t read_numwords(const char *s, const nt_list *l, size_t i, size_t lim, core *c)
{
    double total = 0, cur = 0;
    int any = 0;
    size_t j = i;
    while (j < lim && l->t[j].kind == NT_WORD) {
        const nt_tok *t = &l->t[j];
        size_t p = t->a;
        int used = 0;
        while (p < t->b) {
            size_t q = p;
            while (q < t->b && s[q] != '-')
                q++;
            const numword *nw = find_numword(s, p, q);
            if (!nw)
                break;
            any = used = 1;
            if (nw->kind <= 1)
                cur += nw->v;
            else if (nw->kind == 2 || nw->kind == 4)
                cur = (cur ? cur : 1) * nw->v;
            else {
                total += (cur ? cur : 1) * nw->v;
                cur = 0;
            }
            p = q < t->b ? q + 1 : q;
        }
        if (!used)
            break;
        if (p < t->b) { /* "fifty-year": a tail that is not a number word */
            c->unit_a = p;
            c->unit_b = t->b;
            j++;
            break;
        }
        j++;
        /* "two hundred and fifty" */
        if (j + 1 < lim && nt_is(s, &l->t[j], "and") && l->t[j + 1].kind == NT_WORD &&
            find_numword(s, l->t[j + 1].a, l->t[j + 1].b) && cur >= 100)
            j++;
    }
    if (!any)
        return 0;
    c->v = total + cur;
    c->t_end = j;
    return j - i;
}

/* The number at token i, or 0. */
static int read_core(const char *s, const nt_list *l, size_t i, core *c)
{
    memset(c, 0, sizeof *c);
    const nt_tok *t = &l->t[i];
    size_t n = l->n;
    if (t->kind == NT_NUM) {
        double v = 0;
        size_t p = read_digits(s, t->a, t->b, &v);
        if (p == t->a)
            return 0;
        c->numeric = 1;
        c->v = v;
        c->t_end = i + 1;
        c->plain4 = p == t->b && p - t->a == 4;
        if (p < t->b) {
            char d = s[p];
            if (d == ',' || d == '.' || d == ':' || d == '/')
                return 0; /* a list, a version, a time, a date */
            if (d == '-') {
                double w = 0;
                size_t q = read_digits(s, p + 1, t->b, &w);
                if (q > p + 1) {
                    if (q != t->b)
                        return 0; /* "2008-03-04" and the like */
                    c->range = 1;
                    if (c->plain4 && q - p - 1 == 4)
                        return 0; /* "2009-2011": years */
                    c->plain4 = 0;
                } else {
                    c->unit_a = p + 1;
                    c->unit_b = t->b;
                }
            } else {
                size_t q = p;
                while (q < t->b && ascii_is_alpha((unsigned char)s[q]))
                    q++;
                double sc = scale_word(s, p, q);
                if (q - p == 2 && (ascii_ci_is(s, p, q, "st") || ascii_ci_is(s, p, q, "nd") ||
                                   ascii_ci_is(s, p, q, "rd") || ascii_ci_is(s, p, q, "th")))
                    return 0; /* ordinal */
                if (q - p == 1 && ascii_lower((unsigned char)s[p]) == 's')
                    return 0; /* "1990s" */
                if (q == t->b && (ascii_ci_is(s, p, q, "am") || ascii_ci_is(s, p, q, "pm")))
                    return 0; /* "6am": a time, as "6 am" is */
                if (sc && q == t->b) {
                    c->v *= sc;
                    c->scaled = 1;
                } else {
                    c->unit_a = p;
                    c->unit_b = t->b;
                }
            }
        }
        return 1;
    }
    if (t->kind != NT_WORD)
        return 0;
    int plural = 0;
    /* "a third of", "a quarter of", "a hundred", "a dozen", "a score of" */
    if ((nt_is(s, t, "a") || nt_is(s, t, "an") || nt_is(s, t, "one")) && i + 1 < n &&
        l->t[i + 1].kind == NT_WORD) {
        const nt_tok *u = &l->t[i + 1];
        int d = fraction_word(s, u->a, u->b, &plural);
        /* "a third of", and "by a fifth" (not "a third term") */
        int of_next = (i + 2 < n && nt_is(s, &l->t[i + 2], "of")) ||
                      (i > 0 && nt_is(s, &l->t[i - 1], "by"));
        if (d && !plural && d != 2 && of_next) {
            c->v = 1.0 / d;
            c->fraction = 1;
            c->t_end = i + 2;
            return 1;
        }
        if (nt_is(s, u, "score") && of_next) {
            c->v = 20;
            c->t_end = i + 2;
            return 1;
        }
        const numword *nw = find_numword(s, u->a, u->b);
        if (nw && nw->kind >= 2 && !nt_is(s, t, "one")) {
            read_numwords(s, l, i + 1, n < i + 8 ? n : i + 8, c);
            return c->t_end > i + 1;
        }
    }
    /* "half", "half a million" (not "the first half") */
    if (nt_is(s, t, "half")) {
        if (i > 0) {
            const nt_tok *p = &l->t[i - 1];
            if (nt_is(s, p, "first") || nt_is(s, p, "second") || nt_is(s, p, "latter") ||
                nt_is(s, p, "other") || nt_is(s, p, "this") || nt_is(s, p, "that") ||
                nt_is(s, p, "each") || nt_is(s, p, "better") || nt_is(s, p, "my") ||
                nt_is(s, p, "his") || nt_is(s, p, "her") || nt_is(s, p, "their") ||
                nt_is(s, p, "our") || nt_is(s, p, "its") || nt_is(s, p, "your"))
                return 0;
        }
        c->v = 0.5;
        c->fraction = 1;
        c->t_end = i + 1;
        if (i + 2 < n && (nt_is(s, &l->t[i + 1], "a") || nt_is(s, &l->t[i + 1], "an"))) {
            const numword *nw = find_numword(s, l->t[i + 2].a, l->t[i + 2].b);
            if (nw && nw->kind >= 2) {
                c->v = 0.5 * nw->v;
                c->fraction = 0;
                c->t_end = i + 3;
            }
        }
        return 1;
    }
    /* "thousands of", "hundreds of", "dozens of", "scores of": the scale as the value */
    if (i + 1 < n && nt_is(s, &l->t[i + 1], "of") && t->b - t->a > 4 &&
        ascii_lower((unsigned char)s[t->b - 1]) == 's') {
        const numword *nw = find_numword(s, t->a, t->b - 1);
        if ((nw && nw->kind >= 2) || ascii_ci_is(s, t->a, t->b - 1, "score")) {
            c->v = nw ? nw->v : 20;
            c->t_end = i + 2;
            return 1;
        }
    }
    /* "two-thirds", "three quarters" */
    const numword *nw0; /* the number word the token starts with, NULL for none */
    {
        size_t q = t->a;
        while (q < t->b && s[q] != '-')
            q++;
        nw0 = find_numword(s, t->a, q);
        const numword *nw = nw0;
        if (nw && nw->kind == 0 && nw->v >= 1) {
            if (q < t->b) {
                int d = fraction_word(s, q + 1, t->b, &plural);
                if (d && (plural || nw->v == 1)) {
                    c->v = nw->v / d;
                    c->fraction = 1;
                    c->t_end = i + 1;
                    return 1;
                }
            } else if (i + 1 < n && l->t[i + 1].kind == NT_WORD) {
                int d = fraction_word(s, l->t[i + 1].a, l->t[i + 1].b, &plural);
                if (d && d != 2 && (plural || (nw->v == 1 && i + 2 < n &&
                                               nt_is(s, &l->t[i + 2], "of")))) {
                    c->v = nw->v / d;
                    c->fraction = 1;
                    c->t_end = i + 2;
                    return 1;
                }
            }
        }
    }
    /* read_numwords starts with that same word: none, no number (and no call) */
    if (!nw0)
        return 0;
    size_t lim = n < i + 12 ? n : i + 12;
    if (!read_numwords(s, l, i, lim, c))
        return 0;
    /* a bare scale word is not a number ("million" alone); "one" as a pronoun is none */
    const numword *first = find_numword(s, t->a, t->b);
    if (first && first->kind >= 2 && c->t_end == i + 1)
        return 0;
    if (nt_is(s, t, "one") && c->t_end == i + 1 && c->unit_a == 0) {
        if (i + 1 < n && (nt_is(s, &l->t[i + 1], "another") || nt_is(s, &l->t[i + 1], "'s")))
            return 0;
        if (i > 0 && (nt_is(s, &l->t[i - 1], "no") || nt_is(s, &l->t[i - 1], "the") ||
                      nt_is(s, &l->t[i - 1], "every") || nt_is(s, &l->t[i - 1], "any") ||
                      nt_is(s, &l->t[i - 1], "this") || nt_is(s, &l->t[i - 1], "that")))
            return 0;
    }
    return 1;
}

/* After a number: more scale words ("3.5 billion", "2.5 lakh", "two million"). */
static size_t read_scales(const char *s, const nt_list *l, size_t j, core *c)
{
    for (int k = 0; k < 3 && j < l->n && c->unit_a == 0; k++) {
        const nt_tok *t = &l->t[j];
        if (t->kind != NT_WORD)
            break;
        double sc = scale_word(s, t->a, t->b);
        if (!sc || (ascii_ci_is(s, t->a, t->b, "b") || ascii_ci_is(s, t->a, t->b, "m") ||
                    ascii_ci_is(s, t->a, t->b, "k")) != 0) {
            /* single letters only right after digits: "1.2 m" is still "1.2m" */
            if (!sc || !c->numeric || k > 0)
                break;
        }
        c->v *= sc;
        c->scaled = 1;
        c->plain4 = 0;
        j++;
    }
    return j;
}

/* A currency just before token i: the token index where it starts (i when none), *code. */
static size_t currency_before(const char *s, const nt_list *l, size_t i, size_t lo,
                              const char **code)
{
    *code = NULL;
    if (i == lo)
        return i;
    const nt_tok *p = &l->t[i - 1];
    const char *sign = currency_sign(s, p);
    if (sign) {
        *code = sign;
        size_t k = i - 1;
        if (k > lo && l->t[k - 1].kind == NT_WORD && l->t[k - 1].b == p->a) {
            const char *pre = sign[0] == 'U' ? dollar_prefix(s, l->t[k - 1].a, l->t[k - 1].b)
                                             : NULL;
            if (pre) {
                *code = pre;
                k--;
            } else if (ascii_ci_is(s, l->t[k - 1].a, l->t[k - 1].b, "gb") ||
                       ascii_ci_is(s, l->t[k - 1].a, l->t[k - 1].b, "uk")) {
                k--;
            }
        } else if (k > lo + 1 && l->t[k - 1].kind == NT_WORD && !strcmp(sign, "GBP") &&
                   (ascii_ci_is(s, l->t[k - 1].a, l->t[k - 1].b, "gb") ||
                    ascii_ci_is(s, l->t[k - 1].a, l->t[k - 1].b, "uk"))) {
            k--;
        }
        return k;
    }
    /* "Rs 500", "Rs. 500", "USD 40" */
    size_t k = i - 1;
    if (p->kind == NT_SYM && s[p->a] == '.' && k > lo)
        p = &l->t[--k];
    if (p->kind == NT_WORD) {
        const char *c = code_before(s, p->a, p->b);
        if (c) {
            *code = c;
            return k;
        }
    }
    return i;
}

static int is_dash(const char *s, const nt_tok *t)
{
    if (t->kind != NT_SYM)
        return 0;
    if (t->b - t->a == 1)
        return s[t->a] == '-';
    return t->b - t->a == 3 && !memcmp(s + t->a, "\xE2\x80", 2) &&
           (unsigned char)s[t->a + 2] >= 0x90 && (unsigned char)s[t->a + 2] <= 0x95;
}

/* Whether a month name is next to token i ("March 4", "4 March"): a date. */
static int by_month(const char *s, const nt_list *l, size_t i)
{
    if (i > 0 && l->t[i - 1].kind == NT_WORD && nt_month(s, l->t[i - 1].a, l->t[i - 1].b) &&
        nt_cap(s, &l->t[i - 1]))
        return 1;
    if (i > 1 && l->t[i - 1].kind == NT_SYM && s[l->t[i - 1].a] == '.' &&
        l->t[i - 2].kind == NT_WORD && nt_month(s, l->t[i - 2].a, l->t[i - 2].b) &&
        nt_cap(s, &l->t[i - 2]))
        return 1; /* "Oct. 10" */
    if (i + 1 < l->n && l->t[i + 1].kind == NT_WORD &&
        nt_month(s, l->t[i + 1].a, l->t[i + 1].b) && nt_cap(s, &l->t[i + 1]))
        return 1;
    if (i + 2 < l->n && nt_is(s, &l->t[i + 1], "of") && nt_cap(s, &l->t[i + 2]) &&
        nt_month(s, l->t[i + 2].a, l->t[i + 2].b))
        return 1;
    return 0;
}

static int time_after(const char *s, const nt_list *l, size_t j)
{
    if (j >= l->n)
        return 0;
    const nt_tok *t = &l->t[j];
    if (nt_is(s, t, "am") || nt_is(s, t, "pm") || nt_is(s, t, "gmt") || nt_is(s, t, "utc") ||
        nt_is(s, t, "o'clock") || nt_is(s, t, "hrs"))
        return 1;
    return (nt_is(s, t, "a") || nt_is(s, t, "p")) && j + 2 < l->n && s[l->t[j + 1].a] == '.' &&
           nt_is(s, &l->t[j + 2], "m");
}

/* Model numbers the article writes as names ("Boeing 787", "787-8", "737-800"): a bare
 * "787" elsewhere in it is the model too. Learnt per article, in one pass. */
#define MODELS_MAX 32
typedef struct models {
    char d[MODELS_MAX][8];
    int n;
} models;

/* The leading digits of a number token as a key (1..7 digits), or 0. */
static size_t model_key(const char *s, const nt_tok *t, char key[8])
{
    size_t k = 0;
    while (t->a + k < t->b && ascii_is_digit((unsigned char)s[t->a + k]))
        k++;
    if (k == 0 || k > 7)
        return 0;
    memcpy(key, s + t->a, k);
    key[k] = '\0';
    return k;
}

static int model_seen(const models *m, const char *s, const nt_tok *t)
{
    char key[8];
    if (!model_key(s, t, key))
        return 0;
    for (int k = 0; k < m->n; k++)
        if (!strcmp(m->d[k], key))
            return 1;
    return 0;
}

static void models_learn(models *m, const char *s, const nt_list *l)
{
    m->n = 0;
    for (size_t i = 0; i < l->n && m->n < MODELS_MAX; i++) {
        const nt_tok *t = &l->t[i];
        if (t->kind != NT_NUM)
            continue;
        char key[8];
        size_t k = model_key(s, t, key);
        if (!k || k < 2)
            continue;
        int model = 0;
        /* "787-8", "737-800": a hyphen and a part of another length */
        if (t->a + k < t->b && s[t->a + k] == '-') {
            size_t q = t->a + k + 1, r = q;
            while (r < t->b && ascii_is_digit((unsigned char)s[r]))
                r++;
            model = r > q && r == t->b && r - q != k;
        }
        /* "Boeing 787": after a capitalised word inside a sentence, nothing counted */
        if (!model && t->a + k == t->b && i > 0 && nt_cap(s, &l->t[i - 1]) &&
            !is_stop(s, &l->t[i - 1]) && !approx_word1(s, &l->t[i - 1]) &&
            !find_numword(s, l->t[i - 1].a, l->t[i - 1].b) &&
            !nt_month(s, l->t[i - 1].a, l->t[i - 1].b) &&
            !code_before(s, l->t[i - 1].a, l->t[i - 1].b) &&
            !dollar_prefix(s, l->t[i - 1].a, l->t[i - 1].b) &&
            !(i + 1 < l->n && l->t[i + 1].kind == NT_WORD &&
              scale_word(s, l->t[i + 1].a, l->t[i + 1].b)))
            model = 1;
        if (model && !model_seen(m, s, t)) {
            memcpy(m->d[m->n], key, k + 1);
            m->n++;
        }
    }
}

sl_error sli_amounts_find(const char *text, size_t len, sli_facts *out)
{
    if (!text || !out)
        return SL_ERR_INVALID;
    nt_list l = {0};
    sl_error e = nt_tokenize(text, len, &l);
    if (!e)
        e = sli_amounts_find_toks(text, &l, out);
    free(l.t);
    return e;
}

sl_error sli_amounts_find_toks(const char *text, const nt_list *toks, sli_facts *out)
{
    if (!text || !out)
        return SL_ERR_INVALID;
    const nt_list l = *toks;
    sl_error e = SL_OK;
    const char *s = text;
    models mset;
    models_learn(&mset, s, &l);
    size_t lo = 0; /* tokens before lo belong to an amount already found */
    for (size_t i = 0; i < l.n && !e; i++) {
        if (l.t[i].kind == NT_NL) {
            lo = i + 1;
            continue;
        }
        if (i < lo)
            continue;
        core c;
        if (!read_core(s, &l, i, &c))
            continue;
        size_t j = read_scales(s, &l, c.t_end, &c);
        const char *code = NULL;
        size_t start = currency_before(s, &l, i, lo, &code);
        const char *unit = code;
        size_t unit_a = 0, unit_b = 0;
        int pct = 0;
        /* a range: "- 20", "to $ 28 million", "and $ 20 million" after "between" */
        if (j + 1 < l.n && (is_dash(s, &l.t[j]) || nt_is(s, &l.t[j], "to") ||
                            (nt_is(s, &l.t[j], "and") && start >= lo + 1 &&
                             start - 1 >= lo && nt_is(s, &l.t[start - 1], "between")))) {
            size_t k = j + 1;
            if (currency_sign(s, &l.t[k]) && k + 1 < l.n)
                k++;
            core c2;
            if (k < l.n && (l.t[k].kind == NT_NUM || c.numeric == 0) && read_core(s, &l, k, &c2) &&
                !c2.fraction && c2.unit_a == 0) {
                double before = c2.v;
                size_t k2 = read_scales(s, &l, c2.t_end, &c2);
                /* "15 to 20 million": the first takes the second's scale */
                if (!c.scaled && c2.scaled && before != 0)
                    c.v *= c2.v / before;
                c.range = 1;
                c.plain4 = 0;
                j = k2;
            }
        }
        /* percent */
        if (j < l.n && l.t[j].kind == NT_SYM && s[l.t[j].a] == '%') {
            pct = 1;
            j++;
        } else if (j < l.n && (nt_is(s, &l.t[j], "percent") || nt_is(s, &l.t[j], "pct"))) {
            pct = 1;
            j++;
        } else if (j + 1 < l.n && nt_is(s, &l.t[j], "per") && nt_is(s, &l.t[j + 1], "cent")) {
            pct = 1;
            j += 2;
        } else if (j < l.n && nt_is(s, &l.t[j], "percentage") && j + 1 < l.n &&
                   nt_is(s, &l.t[j + 1], "points")) {
            pct = 1;
            j += 2;
        }
        if (pct) {
            unit = "percent";
            c.plain4 = 0;
        } else {
            /* currency words: "dollars", "US dollars", "yuan", "USD" */
            size_t k = j;
            if (k + 1 < l.n && (nt_is(s, &l.t[k], "us") || nt_is(s, &l.t[k], "u.s")) &&
                currency_after(s, l.t[k + 1].a, l.t[k + 1].b))
                k++;
            const char *cw = k < l.n && l.t[k].kind == NT_WORD && c.unit_a == 0
                                 ? currency_after(s, l.t[k].a, l.t[k].b)
                                 : NULL;
            /* "won" and "pound" are words too ("three won"): only after digits or a scale */
            if (cw && (nt_is(s, &l.t[k], "won") || nt_is(s, &l.t[k], "pound")) && !c.scaled &&
                !c.numeric)
                cw = NULL;
            if (cw) {
                if (!unit)
                    unit = cw;
                j = k + 1;
                c.plain4 = 0;
            }
        }
        if (!unit && c.unit_a) {
            unit_a = c.unit_a;
            unit_b = c.unit_b;
        }
        size_t end = j; /* the phrase is tokens [start, end) */
        int money = code != NULL || (unit && unit != code && strcmp(unit, "percent"));
        if (!money && !pct && !c.fraction) {
            /* What is counted: skip modifiers, then the head noun (a compound's last
             * noun); stop at a function word, punctuation, a number or a line. */
            size_t head = 0;
            int have = 0;
            for (size_t k = j; k < l.n && k < j + COUNTED_WINDOW; k++) {
                const nt_tok *t = &l.t[k];
                if (t->kind != NT_WORD)
                    break;
                if (is_time_unit(s, t->a, t->b)) {
                    head = k;
                    have = 1;
                    break;
                }
                if (ends_with(s, t->a, t->b, "ly"))
                    break; /* an adverb ends the phrase: "21 people respectively" */
                /* capitalised names and compound adjectives ("long-haul") modify */
                int mod = nt_cap(s, t) || modifier_like(s, t->a, t->b) ||
                          memchr(s + t->a, '-', t->b - t->a) != NULL;
                if ((!mod && is_stop(s, t)) || find_numword(s, t->a, t->b) ||
                    scale_word(s, t->a, t->b))
                    break;
                if (mod) {
                    if (have)
                        break;
                    continue;
                }
                head = k;
                have = 1;
                if (plural_like(s, t->a, t->b))
                    break;
            }
            if (have && c.unit_a == 0) {
                unit_a = l.t[head].a;
                unit_b = l.t[head].b;
                end = head + 1;
            }
            /* durations are dates' business: "two years", "a 27-year contract" */
            if (unit_b && is_time_unit(s, unit_a, unit_b) &&
                !(end + 1 < l.n && nt_is(s, &l.t[end], "of") && !determiner(s, &l.t[end + 1])))
                continue; /* ("75 hours of video" is a quantity; "one month of the launch"
                           * is not) */
            /* "one" alone is a pronoun or a determiner more often than a count */
            if (!have && !c.numeric && !c.scaled && c.v == 1 && c.t_end == i + 1)
                continue;
            /* identifiers: "serial number 001", "No. 1" */
            if (c.numeric && s[l.t[i].a] == '0' && l.t[i].b - l.t[i].a > 1 &&
                ascii_is_digit((unsigned char)s[l.t[i].a + 1]))
                continue;
            if (c.numeric && i > 0 &&
                (nt_is(s, &l.t[i - 1], "no") || nt_is(s, &l.t[i - 1], "number") ||
                 (i > 1 && s[l.t[i - 1].a] == '.' && l.t[i - 1].kind == NT_SYM &&
                  nt_is(s, &l.t[i - 2], "no"))))
                continue;
            if (c.numeric && !c.scaled && model_seen(&mset, s, &l.t[i]))
                continue;
            /* a year: "in 2008", "the 2017 accord" (but "2000 workers" counts) */
            if (c.plain4 && c.v >= 1000 && c.v <= 2100 && !(have && plural_like(s, unit_a, unit_b)))
                continue;
            if (c.numeric && !c.scaled && by_month(s, &l, i))
                continue;
            if (c.numeric && time_after(s, &l, c.t_end))
                continue;
            /* a model or a name: "Boeing 787", "Windows 7", "Chapter 11" */
            if (c.numeric && !c.scaled && i > 0 && start == i && nt_cap(s, &l.t[i - 1]) &&
                !nt_sent_start(s, &l, i - 1) && !approx_word1(s, &l.t[i - 1]))
                continue;
        }
        /* (a fraction stands alone: "half of the workers" gives "half") */
        /* approximators before: "about", "more than", "up to", "as many as", "between" */
        for (int k = 0; k < APPROX_WINDOW && start > lo; k++) {
            const nt_tok *p = &l.t[start - 1];
            if (p->kind != NT_WORD)
                break;
            int take = 0;
            if (nt_is(s, p, "than") && start - 1 > lo &&
                (nt_is(s, &l.t[start - 2], "more") || nt_is(s, &l.t[start - 2], "less") ||
                 nt_is(s, &l.t[start - 2], "fewer")))
                take = 2;
            else if (nt_is(s, p, "to") && start - 1 > lo &&
                     (nt_is(s, &l.t[start - 2], "up") || nt_is(s, &l.t[start - 2], "close")))
                take = 2;
            else if ((nt_is(s, p, "least") || nt_is(s, p, "most")) && start - 1 > lo &&
                     nt_is(s, &l.t[start - 2], "at"))
                take = 2;
            else if (nt_is(s, p, "as") && start - 1 > lo && start - 2 > lo &&
                     (nt_is(s, &l.t[start - 2], "many") || nt_is(s, &l.t[start - 2], "much") ||
                      nt_is(s, &l.t[start - 2], "few") || nt_is(s, &l.t[start - 2], "little")) &&
                     nt_is(s, &l.t[start - 3], "as"))
                take = 3;
            else if (approx_word1(s, p) && !nt_is(s, p, "than") && !nt_is(s, p, "to") &&
                     !nt_is(s, p, "least") && !nt_is(s, p, "most") && !nt_is(s, p, "of"))
                take = 1;
            if (!take)
                break;
            start -= (size_t)take;
        }
        const nt_tok *t0 = &l.t[start], *t1 = &l.t[end - 1];
        double v = c.v;
        if (unit_b)
            e = sli_facts_add_amount(out, s + t0->a, t1->b - t0->a, v, s + unit_a,
                                     unit_b - unit_a, t0->a);
        else
            e = sli_facts_add_amount(out, s + t0->a, t1->b - t0->a, v, unit,
                                     unit ? strlen(unit) : 0, t0->a);
        lo = end;
        i = end - 1;
    }
    return e;
}
