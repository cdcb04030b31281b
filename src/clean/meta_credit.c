/* meta_credit.c — the wire agency credited by one line of a flattened article.
 *
 * Agency names are matched as whole words, written as the agency writes itself or in
 * capitals ("Reuters", "REUTERS"; "AP" never as "ap"; "dpa" or "DPA"). The first
 * agency in the line that is credited wins:
 *
 *   - full names count anywhere ("Associated Press", "Agence France-Presse", "Press
 *     Trust of India", "Thomson Reuters", "Deutsche Presse-Agentur", ...);
 *   - short names ("Reuters", "AP", "AFP", "PTI", "ANI", ...) only in a credit form:
 *       "(Reuters)" / "[AP]" anywhere (the dateline "LINDHAVEN, March 14 (Reuters) -");
 *       the line is only the name, with dashes or punctuation ("— AP", "- Reuters",
 *         "AFP.");
 *       the name opens the line, then a separator and at most five words ("Reuters |
 *         Kessa Island", "AFP, Paris");
 *       a dash and the name end the line ("... the ministry said. — AFP");
 *       a label before it: "Source:", "Sources:", "Credit:", "Courtesy:", "Agency:",
 *         "(With) input(s) from", "By" opening the line, "Copyright", "©" (a year may
 *         follow the label);
 *       reporting verbs: "ANI reported", "PTI reports", "the AFP news agency",
 *         "told Reuters", "according to AFP", "quoted by Xinhua", "cited by TASS".
 *
 * So "Ani Kovac, a teacher, said" (not "ANI"), "what will happen next" ("ap" inside a
 * word), "The trade press reported" and "Bloomberg Philanthropies" are no credits. */
#include "meta.h"

#include <pthread.h> /* pthread_once */
#include <string.h>

#include "../text/ascii.h"

typedef struct agency {
    const char *name;  /* as written; also matched in capitals */
    const char *canon; /* the short name written out */
    int full;          /* a full name: credited wherever it stands */
} agency;

/* Longer names first where one holds another ("Australian Associated Press"). */
static const agency AGENCIES[] = {
    {"Australian Associated Press", "AAP", 1},
    {"Associated Press", "AP", 1},
    {"Agence France-Presse", "AFP", 1},
    {"Agence France Presse", "AFP", 1},
    {"Press Trust of India", "PTI", 1},
    {"Asian News International", "ANI", 1},
    {"Indo-Asian News Service", "IANS", 1},
    {"United News of India", "UNI", 1},
    {"Deutsche Presse-Agentur", "dpa", 1},
    {"Thomson Reuters", "Reuters", 1},
    {"Xinhua News Agency", "Xinhua", 1},
    {"Kyodo News", "Kyodo", 1},
    {"Yonhap News Agency", "Yonhap", 1},
    {"Anadolu Agency", "Anadolu", 1},
    {"Agencia EFE", "EFE", 1},
    {"ITAR-TASS", "TASS", 1},
    {"Reuters", "Reuters", 0},
    {"AP", "AP", 0},
    {"AFP", "AFP", 0},
    {"PTI", "PTI", 0},
    {"ANI", "ANI", 0},
    {"IANS", "IANS", 0},
    {"UNI", "UNI", 0},
    {"dpa", "dpa", 0},
    {"EFE", "EFE", 0},
    {"Xinhua", "Xinhua", 0},
    {"Bloomberg", "Bloomberg", 0},
    {"AAP", "AAP", 0},
    {"Kyodo", "Kyodo", 0},
    {"ANSA", "ANSA", 0},
    {"Yonhap", "Yonhap", 0},
    {"Anadolu", "Anadolu", 0},
    {"TASS", "TASS", 0},
};


/* Whether byte i (if inside the line) is an ASCII letter or digit. */
static int word_byte(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return 0;
    return ascii_is_alnum((unsigned char)s[i]);
}

/* Whether s[i..i+len) is the name, as written or in capitals. */
static int name_at(const char *s, size_t n, size_t i, const char *name, size_t len)
{
    if (i + len > n)
        return 0;
    if (memcmp(s + i, name, len) == 0)
        return 1;
    for (size_t k = 0; k < len; k++)
        if ((unsigned char)s[i + k] != ascii_upper((unsigned char)name[k]))
            return 0;
    return 1;
}

/* Bytes of a space at s[i] (ASCII or NBSP), 0 if none. */
static size_t space_at(const char *s, size_t n, size_t i)
{
    if (ascii_is_space((unsigned char)s[i]))
        return 1;
    if ((unsigned char)s[i] == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)
        return 2;
    return 0;
}

/* A dash at s[i] ('-', U+2010..U+2015, U+2212): its length, or 0. */
static size_t dash_at(const char *s, size_t n, size_t i)
{
    if (s[i] == '-')
        return 1;
    if (i + 2 < n && (unsigned char)s[i] == 0xE2 &&
        (((unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] >= 0x90 &&
          (unsigned char)s[i + 2] <= 0x95) ||
         ((unsigned char)s[i + 1] == 0x88 && (unsigned char)s[i + 2] == 0x92)))
        return 3;
    return 0;
}

/* The last non-space position before i (index of the byte), or (size_t)-1. */
static size_t prev_nonspace(const char *s, size_t i)
{
    while (i > 0) {
        unsigned c = (unsigned char)s[i - 1];
        if (ascii_is_space(c))
            i--;
        else if (c == 0xA0 && i > 1 && (unsigned char)s[i - 2] == 0xC2)
            i -= 2;
        else
            return i - 1;
    }
    return (size_t)-1;
}

static size_t next_nonspace(const char *s, size_t n, size_t i)
{
    size_t k;
    while (i < n && (k = space_at(s, n, i)) != 0)
        i += k;
    return i;
}

/* The ASCII word ending before i (spaces skipped): [*a, return). */
static size_t word_before(const char *s, size_t i, size_t *a)
{
    size_t p = prev_nonspace(s, i);
    if (p == (size_t)-1) {
        *a = 0;
        return 0;
    }
    size_t e = p + 1, b = e;
    while (b > 0 && ascii_is_alpha((unsigned char)s[b - 1]))
        b--;
    *a = b;
    return e;
}

/* The ASCII word starting at or after i (spaces skipped): [*a, return). */
static size_t word_after(const char *s, size_t n, size_t i, size_t *a)
{
    i = next_nonspace(s, n, i);
    size_t e = i;
    while (e < n && ascii_is_alpha((unsigned char)s[e]))
        e++;
    *a = i;
    return e;
}

/* Count the words in s[a..b) (runs of letters). */
static int count_words(const char *s, size_t a, size_t b)
{
    int words = 0;
    for (size_t i = a; i < b; i++)
        if (ascii_is_alpha((unsigned char)s[i]) && (i == a || !ascii_is_alpha((unsigned char)s[i - 1])))
            words++;
    return words;
}

/* A label before the name at i: "Source:", "Credit:", "With inputs from", "©", a year
 * after "Copyright"/"©", "By" opening the line. */
static int label_before(const char *s, size_t i, size_t first)
{
    size_t p = prev_nonspace(s, i);
    /* "© 2024 Reuters", "Copyright 2024 AFP": step over a year (or a range). */
    size_t q = p;
    while (q != (size_t)-1 && (ascii_is_digit((unsigned char)s[q]) || s[q] == '-' || s[q] == ','))
        q = prev_nonspace(s, q);
    if (q != (size_t)-1 && q != p) {
        if (q >= 1 && (unsigned char)s[q - 1] == 0xC2 && (unsigned char)s[q] == 0xA9)
            return 1;
        size_t a, e = word_before(s, q + 1, &a);
        if (ascii_ci_is(s, a, e, "copyright"))
            return 1;
        return 0;
    }
    if (p == (size_t)-1)
        return 0;
    if (p >= 1 && (unsigned char)s[p - 1] == 0xC2 && (unsigned char)s[p] == 0xA9)
        return 1; /* "©" */
    size_t at = i;
    int colon = 0;
    if (s[p] == ':') {
        colon = 1;
        at = p;
    }
    size_t a, e = word_before(s, at, &a);
    if (a == e)
        return 0;
    static const char *const with_colon[] = {"source", "sources", "credit", "credits",
                                             "courtesy", "agency", "agencies", "wire",
                                             "via", "copyright"};
    for (size_t k = 0; k < sizeof with_colon / sizeof with_colon[0]; k++)
        if (ascii_ci_is(s, a, e, with_colon[k]))
            return colon || k >= 8 || ascii_ci_is(s, a, e, "courtesy");
    if (ascii_ci_is(s, a, e, "from")) {
        size_t b, f = word_before(s, a, &b);
        return ascii_ci_is(s, b, f, "inputs") || ascii_ci_is(s, b, f, "input");
    }
    if (ascii_ci_is(s, a, e, "by") && !colon) {
        size_t b, f = word_before(s, a, &b);
        if (a == first)
            return 1; /* "By Reuters" opening the line */
        return ascii_ci_is(s, b, f, "quoted") || ascii_ci_is(s, b, f, "cited") ||
               ascii_ci_is(s, b, f, "reported") || ascii_ci_is(s, b, f, "distributed");
    }
    if (!colon && ascii_ci_is(s, a, e, "told"))
        return 1;
    if (!colon && ascii_ci_is(s, a, e, "to")) {
        size_t b, f = word_before(s, a, &b);
        return ascii_ci_is(s, b, f, "according") || ascii_ci_is(s, b, f, "told");
    }
    return 0;
}

/* A reporting verb or "news agency" after the name ending at e. */
static int verb_after(const char *s, size_t n, size_t e)
{
    size_t a, f = word_after(s, n, e, &a);
    if (a == f || a == e)
        return 0; /* no word, or glued to the name */
    static const char *const verbs[] = {"reported", "reports", "quoted", "cited",
                                        "newswire", "wire"};
    for (size_t k = 0; k < sizeof verbs / sizeof verbs[0]; k++)
        if (ascii_ci_is(s, a, f, verbs[k]))
            return 1;
    if (ascii_ci_is(s, a, f, "news")) {
        size_t b, g = word_after(s, n, f, &b);
        return ascii_ci_is(s, b, g, "agency");
    }
    return 0;
}

/* Whether the short name at [i, e) is in a credit form. `first` is the first letter
 * or digit of the line, `last` the end of its last word. */
static int credited(const char *s, size_t n, size_t i, size_t e, size_t first, size_t last)
{
    size_t p = prev_nonspace(s, i), q = next_nonspace(s, n, e);
    /* "(Reuters)", "[AP]", "( AFP )" */
    if (p != (size_t)-1 && q < n && ((s[p] == '(' && s[q] == ')') || (s[p] == '[' && s[q] == ']')))
        return 1;
    int alone_before = i == first, alone_after = e >= last;
    if (alone_before) {
        if (q >= n || alone_after)
            return 1; /* "ANI", "— AP", "- Reuters.", "(AP) —" */
        /* "Reuters | Kessa Island", "AFP, Paris": a separator and a short rest. */
        unsigned c = (unsigned char)s[q];
        if ((c == '|' || c == ',' || c == ':' || c == '-' || c >= 0x80) &&
            count_words(s, q, n) <= 5)
            return 1;
    }
    /* "... said. — AFP", "... - Reuters" ending the line. */
    if (alone_after && p != (size_t)-1) {
        size_t k = p;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
        if (dash_at(s, n, k)) {
            size_t before = prev_nonspace(s, k);
            if (before == (size_t)-1 || k == 0 || space_at(s, n, k - 1) ||
                ((unsigned char)s[k - 1] & 0x80) != 0 || s[k - 1] == '.')
                return 1;
        }
    }
    return label_before(s, i, first) || verb_after(s, n, e);
}

/* Which bytes start an agency name, in either case: most words are passed over on their
 * first letter alone. Built once (pthread_once). */
static unsigned char starts[256];
static pthread_once_t starts_once = PTHREAD_ONCE_INIT;

static void build_starts(void)
{
    for (size_t k = 0; k < sizeof AGENCIES / sizeof AGENCIES[0]; k++) {
        unsigned char c = (unsigned char)AGENCIES[k].name[0];
        starts[c] = 1;
        starts[(unsigned char)ascii_upper(c)] = 1;
    }
}

int sli_meta_find_credit(const char *s, size_t n, char *out, size_t size)
{
    pthread_once(&starts_once, build_starts);
    if (out && size)
        out[0] = '\0';
    if (!s)
        return 0;
    size_t first = 0, last = n;
    while (first < n && !ascii_is_alnum((unsigned char)s[first]))
        first++;
    while (last > first && !ascii_is_alnum((unsigned char)s[last - 1]))
        last--;
    for (size_t i = first; i < last; i++) {
        unsigned c = (unsigned char)s[i];
        if (!starts[c] || !ascii_is_alpha((int)c) || (i > 0 && word_byte(s, n, i - 1)))
            continue;
        for (size_t k = 0; k < sizeof AGENCIES / sizeof AGENCIES[0]; k++) {
            const agency *ag = &AGENCIES[k];
            if ((unsigned char)ag->name[0] != c && (unsigned char)ascii_upper((unsigned char)ag->name[0]) != c)
                continue;
            size_t len = strlen(ag->name);
            if (!name_at(s, n, i, ag->name, len) || word_byte(s, n, i + len))
                continue;
            if (!ag->full && !credited(s, n, i, i + len, first, last))
                continue;
            if (out && size) {
                size_t m = strlen(ag->canon);
                if (m >= size)
                    m = size - 1;
                memcpy(out, ag->canon, m);
                out[m] = '\0';
            }
            return 1;
        }
    }
    return 0;
}
