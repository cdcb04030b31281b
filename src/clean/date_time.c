/* date_time.c — the time and zone printed with a date (for date_parse.c): "21:40",
 * "7:02:11 am", "9.40pm", "9 pm", "18:05 hrs"; zones by abbreviation (upper case only),
 * "Z", "+0530", "+05:30", "-4", "GMT+5:30". Nothing is allocated; the line is never read
 * past n. */
#include "date_parse.h"

#include <string.h>

#include "../text/ascii.h"

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

/* An offset "+0530", "+05:30", "+5", "-04" at byte pos (the sign glued to the digits).
 * Writes "+HH:MM" (or "Z" for zero when `zero_z`); returns the end, or 0. */
static size_t parse_offset(const char *s, size_t n, size_t pos, char zone[8], int zero_z)
{
    tok t = sli_date_next_tok(s, n, pos);
    if (!(is_punct(&t, '+') || is_punct(&t, '-') || t.type == T_DASH))
        return 0;
    if (t.type == T_DASH && !(t.end - t.start == 3 && (unsigned char)s[t.start + 1] == 0x88))
        return 0; /* only the minus sign, not a dash */
    tok u = sli_date_next_tok(s, n, t.end);
    if (u.sp || u.type != T_NUM)
        return 0;
    int hh, mm = 0;
    size_t e = u.end;
    if (u.nd == 4) {
        hh = (int)(u.val / 100);
        mm = (int)(u.val % 100);
    } else if (u.nd <= 2) {
        hh = (int)u.val;
        tok c = sli_date_next_tok(s, n, e);
        if (!c.sp && is_punct(&c, ':')) {
            tok v = sli_date_next_tok(s, n, c.end);
            if (v.sp || v.type != T_NUM || v.nd != 2)
                return 0;
            mm = (int)v.val;
            e = v.end;
        }
    } else {
        return 0;
    }
    if (hh > 14 || mm > 59 || sli_date_glued_after(s, n, e))
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
    tok t = sli_date_next_tok(s, n, pos);
    if (is_punct(&t, '+') || is_punct(&t, '-') || t.type == T_DASH)
        return parse_offset(s, n, pos, zone, 0);
    int paren = is_punct(&t, '(');
    if (paren)
        t = sli_date_next_tok(s, n, t.end);
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
            tok o = sli_date_next_tok(s, n, e);
            if (!o.sp) {
                size_t oe = parse_offset(s, n, e, zone, 1);
                if (oe)
                    e = oe;
            }
        }
        if (paren) {
            tok c = sli_date_next_tok(s, n, e);
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
size_t sli_date_parse_time(const char *s, size_t n, size_t pos, hit *h, int iso)
{
    tok t = sli_date_next_tok(s, n, pos);
    if (t.type != T_NUM || t.nd > 2 || (!iso && sli_date_glued_before(s, t.start)) || (iso && t.sp))
        return 0;
    int hh = (int)t.val, mi = 0, ss = 0, have_min = 0, dot = 0;
    size_t e = t.end;
    tok u = sli_date_next_tok(s, n, e);
    if (!u.sp && (is_punct(&u, ':') || is_punct(&u, '.'))) {
        tok v = sli_date_next_tok(s, n, u.end);
        if (!v.sp && v.type == T_NUM && v.nd == 2) {
            mi = (int)v.val;
            have_min = 1;
            dot = u.c == '.';
            e = v.end;
            tok w = sli_date_next_tok(s, n, e);
            if (!dot && !w.sp && is_punct(&w, ':')) {
                tok x = sli_date_next_tok(s, n, w.end);
                if (!x.sp && x.type == T_NUM && x.nd == 2) {
                    ss = (int)x.val;
                    e = x.end;
                    tok y = sli_date_next_tok(s, n, e);
                    if (!y.sp && (is_punct(&y, '.') || is_punct(&y, ','))) {
                        tok z = sli_date_next_tok(s, n, y.end);
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
    tok a = sli_date_next_tok(s, n, e);
    if (word_is(s, &a, "am") || word_is(s, &a, "pm")) {
        ampm = ascii_lower((unsigned char)s[a.start]) == 'a' ? 1 : 2;
        e = a.end;
    } else if (word_is(s, &a, "a") || word_is(s, &a, "p")) {
        tok b = sli_date_next_tok(s, n, a.end), c = sli_date_next_tok(s, n, b.end);
        if (!b.sp && is_punct(&b, '.') && !c.sp && word_is(s, &c, "m")) {
            ampm = ascii_lower((unsigned char)s[a.start]) == 'a' ? 1 : 2;
            e = c.end;
            tok d = sli_date_next_tok(s, n, e);
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
    tok r = sli_date_next_tok(s, n, e);
    if (word_is(s, &r, "hrs") || word_is(s, &r, "hours") || word_is(s, &r, "h")) {
        e = r.end;
        tok d = sli_date_next_tok(s, n, e);
        if (!d.sp && is_punct(&d, '.'))
            e = d.end;
    }
    char zone[8] = "";
    size_t ze = parse_zone(s, n, e, zone);
    if (ze)
        e = ze;
    if (dot && !ampm && !ze) {
        /* "14.05" alone reads as a time only where nothing else follows it. */
        tok f = sli_date_next_tok(s, n, e);
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
