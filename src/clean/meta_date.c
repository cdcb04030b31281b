/* meta_date.c — the publication date printed in one line of a flattened article.
 *
 * Every number or word that can open a date is tried once (date_parse.c reads it); each
 * hit is then judged by what surrounds it, with bounded look-arounds:
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
 * 19, 2024" gives May 18), the first one on a tie. Nothing is allocated; the line is
 * never read past n. */
#include "meta.h"

#include <string.h>

#include "../text/ascii.h"
#include "date_parse.h"

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
        else if (i >= 3 && sli_date_udash((const unsigned char *)s, i - 3, 3))
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
        tok t = sli_date_next_tok(s, n, i);
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
            if (t.c == '-' && (t.sp || sli_date_next_tok(s, n, t.end).sp))
                return 0; /* a spaced dash: not inside a place name */
        } else if (t.type == T_SEP) {
            if (t.sp || sli_date_next_tok(s, n, t.end).sp)
                return 0; /* only letters glued inside a word */
        } else {
            return 0;
        }
        last = t;
        i = t.end;
    }
    if (words > 6 || (words > 0 && last.type == T_PUNCT && last.c != ',' && last.c != '.'))
        return 0;
    tok t = sli_date_next_tok(s, n, h->end);
    int paren = 0, dash = 0;
    if (is_punct(&t, '(') || is_punct(&t, '[')) {
        int close = t.c == '(' ? ')' : ']';
        size_t limit = t.end + 48;
        for (t = sli_date_next_tok(s, n, t.end); t.type != T_END && t.start < limit;
             t = sli_date_next_tok(s, n, t.end))
            if (is_punct(&t, close) || !(t.type == T_WORD || is_punct(&t, '/') ||
                                         is_punct(&t, '.') || is_punct(&t, '-') ||
                                         is_punct(&t, '&') || t.type == T_NUM))
                break;
        if (!is_punct(&t, close))
            return 0;
        paren = 1;
        t = sli_date_next_tok(s, n, t.end);
    }
    if (t.type == T_DASH || is_punct(&t, '-') || is_punct(&t, ':')) {
        dash = 1;
        t = sli_date_next_tok(s, n, t.end);
        if (is_punct(&t, '-'))
            t = sli_date_next_tok(s, n, t.end);
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
    for (tok t = sli_date_next_tok(s, n, 0); t.type != T_END && t.start < h->start;
         t = sli_date_next_tok(s, n, t.end)) {
        if (t.type == T_WORD && (!line_word_ok(s, &t) || ++words > 6))
            return 0;
        prev = t;
    }
    if (prev.type != T_END && !field_sep(&prev) && !word_is(s, &prev, "on") &&
        !word_is(s, &prev, "at"))
        return 0;
    tok t = sli_date_next_tok(s, n, h->end);
    if (t.type != T_END && !field_sep(&t))
        return 0;
    for (; t.type != T_END; t = sli_date_next_tok(s, n, t.end))
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
        tok t = sli_date_next_tok(s, n, i);
        if (t.type == T_END)
            break;
        hit h;
        if ((t.type == T_NUM || t.type == T_WORD) && sli_date_find_at(s, n, t, &h)) {
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
        sli_date_write_iso(&besth, out->iso);
        out->start = besth.start;
        out->len = besth.end - besth.start;
    }
    return best;
}
