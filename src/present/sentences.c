/* sentences.c — cleaned text cut into sentences, and whether a sentence can stand alone
 * in a summary. */
#include "present.h"

#include <string.h>

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static int is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

/* Bytes of a closing quote or bracket at t[i] (0 if none): " ' ) ] and ” ’ (U+201D,
 * U+2019). */
static size_t closing(const char *t, size_t len, size_t i)
{
    if (t[i] == '"' || t[i] == '\'' || t[i] == ')' || t[i] == ']')
        return 1;
    if (i + 2 < len && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
        ((unsigned char)t[i + 2] == 0x9D || (unsigned char)t[i + 2] == 0x99))
        return 3;
    return 0;
}

/* Bytes of an opening quote at t[i] (0 if none): " ' and “ ‘ (U+201C, U+2018). */
static size_t opening(const char *t, size_t len, size_t i)
{
    if (t[i] == '"' || t[i] == '\'')
        return 1;
    if (i + 2 < len && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
        ((unsigned char)t[i + 2] == 0x9C || (unsigned char)t[i + 2] == 0x98))
        return 3;
    return 0;
}

/* Words after which a full stop is an abbreviation's, not a sentence's end. */
static const char *const abbreviations[] = {
    "Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "St", "Jr", "Sr", "Gen", "Sen", "Rep", "Gov",
    "Lt", "Col", "Capt", "Cpt", "Sgt", "Maj", "Adm", "Cmdr", "Rev", "Hon", "Pres", "Supt",
    "Insp", "Det", "Inc", "Ltd", "Co", "Corp", "Bros", "vs", "v", "Jan", "Feb", "Mar",
    "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mt", "Ft", "approx",
    "No", "Nos", "Vol", "Fig", "cf", "Ave", "Blvd", "Rd",
};

/* Whether the full stop at t[dot] follows an abbreviation, an initial or a dotted
 * abbreviation ("U.S"). */
static int abbreviated(const char *t, size_t dot)
{
    size_t w = dot;
    while (w > 0 && !is_space(t[w - 1]) && t[w - 1] != '\n' && t[w - 1] != '(' &&
           t[w - 1] != '"')
        w--;
    size_t n = dot - w;
    if (n == 0)
        return 0;
    if (n == 1 && is_upper(t[w]))
        return 1; /* an initial: "J. Smith" */
    if (memchr(t + w, '.', n))
        return 1; /* "U.S." "e.g." "p.m." */
    for (size_t i = 0; i < sizeof abbreviations / sizeof *abbreviations; i++)
        if (strlen(abbreviations[i]) == n && !memcmp(abbreviations[i], t + w, n))
            return 1;
    return 0;
}

/* The bytes of a dateline opening t[from..to) ("LINDHAVEN, Estmark (AP) — ",
 * "NEW DELHI, Nov 9 (Reuters) - ", "Lindhaven (AFP) - "), 0 if none: a first word in
 * capitals (or in title case when an agency in brackets ends the dateline), at most 8 words
 * and DATELINE_MAX bytes with no sentence end, then a dash between spaces, then a capital.
 * In a summary it would read as the sentence's subject. */
#define DATELINE_MAX 80
static size_t dateline(const char *t, size_t from, size_t to)
{
    size_t i = from, caps = 0;
    while (i < to && is_upper(t[i]))
        i++, caps++;
    /* "Lindhaven (AFP) - ": a place in title case only before an agency in brackets */
    int agency_only = caps == 1;
    while (agency_only && i < to && is_lower(t[i]))
        i++;
    if (!caps || i >= to || (t[i] != ' ' && t[i] != ','))
        return 0;
    size_t words = 1;
    for (; i < to && i - from < DATELINE_MAX; i++) {
        if (t[i] == '.' || t[i] == '!' || t[i] == '?' || t[i] == '"')
            return 0;
        if (t[i] != ' ')
            continue;
        size_t d = i + 1, dash = 0; /* "-", "–" (E2 80 93) or "—" (E2 80 94) */
        if (d < to && t[d] == '-')
            dash = 1;
        else if (d + 2 < to && (unsigned char)t[d] == 0xE2 && (unsigned char)t[d + 1] == 0x80 &&
                 ((unsigned char)t[d + 2] == 0x93 || (unsigned char)t[d + 2] == 0x94))
            dash = 3;
        if (dash && d + dash < to && t[d + dash] == ' ' && (!agency_only || t[i - 1] == ')')) {
            size_t after = d + dash + 1;
            return after < to && (is_upper(t[after]) || (unsigned char)t[after] >= 0x80)
                       ? after - from
                       : 0;
        }
        if (++words > 8)
            return 0;
    }
    return 0;
}

/* Append the sentence t[from..to) trimmed, if anything is left, without a dateline. */
static void emit(const char *t, size_t from, size_t to, present_span *out, size_t max,
                 size_t *n)
{
    while (from < to && (is_space(t[from]) || t[from] == '\n'))
        from++;
    from += dateline(t, from, to);
    while (to > from && (is_space(t[to - 1]) || t[to - 1] == '\n'))
        to--;
    if (to > from && *n < max)
        out[(*n)++] = (present_span){from, to - from};
}

size_t sli_present_sentences(const char *t, size_t len, present_span *out, size_t max)
{
    size_t n = 0, from = 0, i = 0;
    while (i < len && n < max) {
        char c = t[i];
        if (c == '\n') {
            emit(t, from, i, out, max, &n);
            from = ++i;
            continue;
        }
        if (c != '.' && c != '!' && c != '?') {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < len && (t[j] == '.' || t[j] == '!' || t[j] == '?'))
            j++; /* "..." "?!" */
        size_t k;
        while (j < len && (k = closing(t, len, j)) > 0)
            j += k;
        if (j < len && !is_space(t[j]) && t[j] != '\n') {
            i = j; /* "3.5", "example.com", "U.S" within a word */
            continue;
        }
        size_t next = j;
        while (next < len && is_space(t[next]))
            next++;
        int end = 1;
        if (next < len && t[next] != '\n') {
            size_t q = opening(t, len, next);
            char first = t[next + q < len ? next + q : next];
            if (is_lower(first))
                end = 0; /* "... the U.S. market", "etc. and" */
            else if (c == '.' && abbreviated(t, i))
                end = 0;
        }
        if (end) {
            emit(t, from, j, out, max, &n);
            from = j;
        }
        i = j;
    }
    if (n < max)
        emit(t, from, len, out, max, &n);
    return n;
}

/* --- fit to stand alone --- */

/* Words that open a sentence pointing back into its article: pronouns, demonstratives,
 * connectives. Matched as the first word, whatever follows. */
static const char *const dangling_words[] = {
    "He", "She", "It", "They", "We", "I", "You", "This", "That", "These", "Those", "His",
    "Her", "Its", "Their", "Our", "Them", "Him", "Such", "But", "And", "Or", "So", "Yet",
    "Nor", "However", "Also", "Meanwhile", "Moreover", "Furthermore", "Still",
    "Nevertheless", "Nonetheless", "Instead", "Then", "Thus", "Therefore", "Hence",
    "Besides", "Otherwise", "Likewise", "Similarly", "Additionally", "Afterwards",
    "Separately", "Indeed", "Regardless", "Both", "Another", "Later", "Earlier", "Here",
    "There's", "Neither", "Either", "Which", "Whose", "Though", "Although", "Because",
};

/* Openings of two or three words that point back: "The statement", "In addition". */
static const char *const dangling_phrases[] = {
    "The statement", "The move", "The decision", "The announcement", "The comments",
    "The remarks", "The spokesman", "The spokeswoman", "The spokesperson", "The latter",
    "The former", "The same", "The two", "The letter", "The report", "The incident",
    "The plan", "The proposal", "The deal", "The company said", "In addition",
    "On the other hand", "As a result", "In response", "At the same time", "By contrast",
    "In contrast", "For his part", "For her part", "For their part", "After that",
    "Despite this", "Because of this", "According to him", "According to her",
    "According to them", "Not only", "As well",
};

/* Whether a word goes on at t[i]: a letter, digit or hyphen, or a non-ASCII character
 * other than punctuation (U+2000..U+206F: ’ ends "It’s"'s "It"). */
static int word_goes_on(const char *t, size_t len, size_t i)
{
    unsigned char c = (unsigned char)t[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        c == '-')
        return 1;
    if (c < 0x80)
        return 0;
    return !(c == 0xE2 && i + 1 < len &&
             ((unsigned char)t[i + 1] == 0x80 || (unsigned char)t[i + 1] == 0x81));
}

/* Whether t[0..len) starts with w as whole words. */
static int starts_word(const char *t, size_t len, const char *w)
{
    size_t n = strlen(w);
    if (len < n || memcmp(t, w, n))
        return 0;
    return n == len || !word_goes_on(t, len, n);
}

int sli_present_dangling(const char *t, size_t len)
{
    for (size_t i = 0; i < sizeof dangling_words / sizeof *dangling_words; i++)
        if (starts_word(t, len, dangling_words[i]))
            return 1;
    for (size_t i = 0; i < sizeof dangling_phrases / sizeof *dangling_phrases; i++)
        if (starts_word(t, len, dangling_phrases[i]))
            return 1;
    return 0;
}

static int contains(const char *t, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = t, *end = t + len; (size_t)(end - p) >= n;) {
        p = memchr(p, needle[0], (size_t)(end - p) - n + 1);
        if (!p)
            return 0;
        if (!memcmp(p, needle, n))
            return 1;
        p++;
    }
    return 0;
}

/* Marks of page furniture rather than prose. */
static const char *const furniture[] = {
    "http://", "https://", "www.", "@", "\xC2\xA9", "(c)", "Copyright", "All rights reserved",
    "Click here", "click here", "Read more", "Sign up", "Subscribe", "Follow us",
    "Photo:", "Photos:", "Image:", "Video:", "Watch:", "Getty Images", "AP Photo", "Reuters/", "Share this", "Advertisement",
};

int sli_present_unfit(const char *t, size_t len)
{
    if (len < PRESENT_MIN_CHARS)
        return PRESENT_SHORT;
    if (len > PRESENT_MAX_CHARS)
        return PRESENT_LONG;
    size_t words = 0;
    for (size_t i = 0; i < len; i++)
        if (!is_space(t[i]) && (i == 0 || is_space(t[i - 1])))
            words++;
    if (words < PRESENT_MIN_WORDS)
        return PRESENT_SHORT;
    if (opening(t, len, 0))
        return PRESENT_QUOTE;
    if (sli_present_dangling(t, len))
        return PRESENT_DANGLING;
    if (is_lower(t[0]) || t[0] == '-' || t[0] == ',' || t[0] == ';' || t[0] == ':')
        return PRESENT_FURNITURE; /* a fragment */
    if (starts_word(t, len, "By") && len > 3 && is_upper(t[3]) && words < 12)
        return PRESENT_FURNITURE; /* a byline */
    size_t end = len;
    for (;;) { /* past closing quotes and brackets to the last mark */
        size_t back = 0;
        if (end >= 1 && closing(t, len, end - 1) == 1)
            back = 1;
        else if (end >= 3 && closing(t, len, end - 3) == 3)
            back = 3;
        if (!back)
            break;
        end -= back;
    }
    if (end == 0 || (t[end - 1] != '.' && t[end - 1] != '!' && t[end - 1] != '?'))
        return PRESENT_FURNITURE; /* a title, a caption, a list item */
    for (size_t i = 0; i < sizeof furniture / sizeof *furniture; i++)
        if (contains(t, len, furniture[i]))
            return PRESENT_FURNITURE;
    return PRESENT_OK;
}
