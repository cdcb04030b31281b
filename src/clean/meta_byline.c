/* meta_byline.c — the author named by one line of a flattened article.
 *
 * Forms, tried in this order (keywords in any case):
 *
 *   1. A marker opening the line (after "(", "[", a dash or a bullet): "By", "Written
 *      by", "Reported by", "Reporting by", "Story by", "Words by", "Text by", "Report
 *      by", "Posted by", "Published by", "Compiled by", "Interview by", "Analysis by",
 *      each with an optional ":"; or a label with a colon: "Author:", "Authors:",
 *      "Byline:", "Reporter:", "Writer:", "Words:". Then one name or a list of names
 *      ("A and B", "A & B", "A, B and C"), then the end of the line, a field separator
 *      ("|", ";", "/", "(", a dash, a bullet) followed by anything, or a short tail of
 *      role or place words (", Staff Reporter", " in Navapur", ", for The Review").
 *      After a marker a desk may stand for the person: "By Staff Reporter", "By Our
 *      Correspondent", "By Staff and Agencies" (written out as printed), and "By
 *      Political Editor Ana Lutz" gives "Ana Lutz".
 *      A parenthesised "(Reporting by X; Editing by Y)" is a wire story's sign-off
 *      and not a byline; "Reporting by X" without the brackets is one.
 *   2. "About the Author:" (or "About the author —") and a name, then anything (the
 *      bio: "About the Author: Mira Kessel covers fisheries for the Review.").
 *   3. No marker: a name, then "," / "|" / a dash and a role with a role word ("Ana
 *      Lutz, Staff Writer", "ANA LUTZ | Senior Correspondent").
 *   4. No marker: "<Name> | <Place>" with exactly one "|" (a third field only when it
 *      holds a number, a date): "Written by" is implied, as Indian sites print it.
 *      The name part need not be a person: "Express News Service | Indrapur" gives
 *      "Express News Service" and "Reuters | Kessa Island" gives "Reuters", as they
 *      are the only byline those pages print. Site furniture ("Also Read | ...",
 *      "Privacy Policy | Terms of Use", "Home | World") is refused by its first word.
 *   5. No marker: an author bio opening with a name of two words or more: "<Name>
 *      covers|writes|reports ... for|about|on|at ...", "<Name> is a ... reporter".
 *
 * Names (one to six capitalised words, lists of them, and the words that cannot open
 * one) are read by byline_name.c. */
#include "meta.h"

#include <string.h>

#include "../core/utf8.h"
#include "../text/ascii.h"
#include "byline_name.h"

/* Role, place and connector words allowed in a tail after the name. */
static const char *const ROLE[] = {
    "staff", "senior", "reporter", "reporters", "writer", "writers", "correspondent",
    "correspondents", "editor", "editors", "journalist", "columnist", "contributor",
    "contributing", "chief", "special", "political", "bureau", "desk", "team",
    "associate", "deputy", "managing", "executive", "producer", "photographer",
    "analyst", "critic", "intern", "freelance", "freelancer", "author", "news",
    "service", "agency", "agencies", "sports", "business", "city", "foreign",
    "digital", "health", "science", "technology", "tech", "economics", "economy",
    "environment", "politics", "culture", "features", "opinion", "investigations",
    "investigative", "legal", "affairs", "contributors", "guest"};

/* Of those, the words that make a tail a role (form 3). */
static const char *const ROLE_CORE[] = {
    "staff", "reporter", "reporters", "writer", "writers", "correspondent",
    "correspondents", "editor", "editors", "journalist", "columnist", "contributor",
    "contributing", "bureau", "producer", "photographer", "analyst", "critic", "intern",
    "freelancer", "desk"};

static const char *const CONNECT[] = {"and", "of", "the", "for", "at", "in", "with", "from",
                                      "on", "to", "a", "an", "updated", "published", "am",
                                      "pm", "hrs", "ist", "by"};

/* First words of site furniture that looks like "<Name> | <Place>". */
static const char *const FURNITURE[] = {
    "also", "read", "home", "privacy", "terms", "cookie", "cookies", "share", "follow",
    "subscribe", "sign", "log", "login", "logout", "contact", "about", "menu", "search",
    "advertisement", "advertise", "copyright", "tags", "tag", "topics", "topic", "trends",
    "trending", "latest", "more", "related", "watch", "listen", "top", "most", "popular",
    "photo", "photos", "video", "videos", "gallery", "live", "updated", "published",
    "posted", "source", "sources", "opinion", "world", "business", "tech", "technology",
    "sports", "sport", "culture", "entertainment", "nation", "national", "cities", "city",
    "local", "region", "politics", "economy", "environment", "science", "health",
    "lifestyle", "travel", "food", "markets", "money", "breaking", "next", "previous",
    "back", "print", "email", "facebook", "twitter", "x", "whatsapp", "telegram",
    "linkedin", "instagram", "youtube", "reddit", "comments", "comment", "reply", "leave",
    "news", "skip", "register", "account", "newsletter", "newsletters", "podcast",
    "podcasts", "puzzles", "games", "crossword", "weather", "obituaries", "notices",
    "jobs", "careers", "shop", "help", "faq", "feedback", "edition", "epaper", "today",
    "india", "us", "uk", "europe", "asia", "africa", "americas", "page", "section",
    "click", "tap", "download", "get", "install", "open", "view", "see", "show",
    "hide", "close", "accept", "reject", "manage", "settings", "language", "english",
    "edit", "login", "explore", "discover", "featured", "feature", "special", "premium",
    "exclusive", "sponsored", "partner", "promoted", "ad", "ads", "free", "best",
    "new", "all", "main", "quick", "useful", "important", "recommended", "editor"};

/* The separator byte run at i: '|', ';', '/', '(', '[', a dash or bullet. Returns its
 * length or 0. Spaced hyphens count ("Ana Lutz - Navapur"). */
static size_t strong_sep(const char *s, size_t n, size_t i)
{
    unsigned c = (unsigned char)s[i];
    if (c == '|' || c == ';' || c == '/' || c == '(' || c == '[' || c == '\\')
        return 1;
    if (c == '-' && (i + 1 >= n || ascii_is_space((unsigned char)s[i + 1]) || s[i + 1] == '-'))
        return 1;
    if (c >= 0x80) {
        size_t len;
        unsigned cp = sli_utf8_decode((const unsigned char *)s + i, n - i, &len);
        if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xB7 || cp == 0x2022 ||
            cp == 0x2219 || cp == 0xBB || cp == 0x2027 || cp == 0x30FB || cp == 0xFF5C)
            return len;
    }
    return 0;
}

/* A tail of role, place or connector words: at most `max` words up to the end or a
 * strong separator; every word capitalised, a role or a connector; numbers pass. With
 * `need_role`, one role word must be there. */
static int role_tail(const char *s, size_t n, size_t i, int max, int need_role)
{
    int words = 0, role = 0;
    while (i < n) {
        size_t k = sli_name_space_at(s, n, i);
        if (k) {
            i += k;
            continue;
        }
        if (strong_sep(s, n, i))
            break;
        word w;
        if (sli_name_read_word(s, n, i, &w)) {
            if (++words > max)
                return 0;
            if (WORD_IN(s, &w, ROLE_CORE))
                role = 1;
            if (!w.cap && !WORD_IN(s, &w, ROLE) && !WORD_IN(s, &w, CONNECT))
                return 0;
            i = w.end;
            continue;
        }
        unsigned c = (unsigned char)s[i];
        if (c == '.' || c == ',' || c == '&' || c == ':' || c == '-' || c == '\'' ||
            c == ')' || c == ']' || c == '+' || (c >= '0' && c <= '9')) {
            i++;
            continue;
        }
        if (c >= 0x80) { /* "©", quotes: pass them */
            size_t len;
            sli_utf8_decode((const unsigned char *)s + i, n - i, &len);
            i += len;
            continue;
        }
        return 0;
    }
    return !need_role || role;
}

/* After a marker and names: what may follow the names. */
static int byline_tail(const char *s, size_t n, size_t i)
{
    i = sli_name_skip_spaces(s, n, i);
    if (i >= n)
        return 1;
    if (strong_sep(s, n, i) || s[i] == ':' || s[i] == ')' || s[i] == ']')
        return 1;
    if (s[i] == ',' || s[i] == '.')
        return role_tail(s, n, i + 1, 8, 0);
    word w;
    if (sli_name_read_word(s, n, i, &w)) {
        static const char *const lead[] = {"in", "for", "at", "from", "with", "and", "via"};
        if (WORD_IN(s, &w, lead))
            return role_tail(s, n, w.end, 6, 0);
        if (sli_name_stop(s, &w) || WORD_IN(s, &w, ROLE))
            return role_tail(s, n, i, 8, 0);
    }
    return 0;
}

/* After a marker, a desk instead of a person: "By Staff Reporter", "By Our
 * Correspondent", "By Special Correspondent": up to four capitalised role words ending
 * in a core role word. Sets [*a, *b). */
static int desk_name(const char *s, size_t n, size_t i, size_t *a, size_t *b)
{
    static const char *const own[] = {"our", "own", "diplomatic", "principal", "a"};
    int words = 0, role = 0;
    word w;
    i = sli_name_skip_spaces(s, n, i);
    *a = i;
    static const char *const and_[] = {"and"};
    int ok = 0;
    while (words < 5 && sli_name_read_word(s, n, i, &w)) {
        if (role && WORD_IN(s, &w, and_)) { /* "Staff and Agencies" */
            word v;
            size_t j = sli_name_skip_spaces(s, n, w.end);
            if (!sli_name_read_word(s, n, j, &v) || !WORD_IN(s, &v, ROLE))
                break;
            *b = v.end;
            i = sli_name_skip_spaces(s, n, v.end);
            words += 2;
            continue;
        }
        if (!w.cap || !(WORD_IN(s, &w, ROLE) || WORD_IN(s, &w, own)))
            break;
        role = WORD_IN(s, &w, ROLE_CORE);
        ok |= role;
        words++;
        *b = w.end;
        i = sli_name_skip_spaces(s, n, w.end);
    }
    return ok && role;
}

/* Match the words of `pattern` (lower case, single spaces) at i in any case, with any
 * spaces between them; the last word must end there. Returns the end or 0. */
static size_t match_words(const char *s, size_t n, size_t i, const char *pattern)
{
    size_t p = 0;
    while (pattern[p]) {
        if (pattern[p] == ' ') {
            size_t j = sli_name_skip_spaces(s, n, i);
            if (j == i)
                return 0;
            i = j;
            p++;
            continue;
        }
        if (i >= n || ascii_lower((unsigned char)s[i]) != pattern[p])
            return 0;
        i++;
        p++;
    }
    size_t len;
    if (i < n && sli_name_letter_at(s, n, i, &len))
        return 0;
    return i;
}

/* Leading punctuation before a marker: "(", "[", "*", a dash, a bullet. */
static size_t skip_lead(const char *s, size_t n, size_t i)
{
    for (int k = 0; k < 4; k++) {
        i = sli_name_skip_spaces(s, n, i);
        if (i >= n)
            return i;
        unsigned c = (unsigned char)s[i];
        if (c == '(' || c == '[' || c == '*' || c == '-' || c == '>' || c == '\'' || c == '"') {
            i++;
            continue;
        }
        size_t l = c >= 0x80 ? strong_sep(s, n, i) : 0;
        if (l) {
            i += l;
            continue;
        }
        if (c >= 0x80) { /* opening quotes */
            size_t len;
            unsigned cp = sli_utf8_decode((const unsigned char *)s + i, n - i, &len);
            if (cp == 0x201C || cp == 0x2018 || cp == 0xAB) {
                i += len;
                continue;
            }
        }
        break;
    }
    return i;
}

static void write_out(const char *s, size_t a, size_t b, char *out, size_t size)
{
    if (!out || size == 0)
        return;
    size_t len = b - a;
    if (len >= size) {
        len = size - 1;
        while (len > 0 && ((unsigned char)s[a + len] & 0xC0) == 0x80)
            len--; /* never cut a UTF-8 sequence */
    }
    memcpy(out, s + a, len);
    out[len] = '\0';
}

static int any_word_in(const char *s, size_t a, size_t b, const char *const *list, size_t count)
{
    size_t i = a;
    while (i < b) {
        word w;
        if (sli_name_read_word(s, b, i, &w)) {
            if (sli_name_word_in(s, &w, list, count))
                return 1;
            i = w.end;
        } else {
            size_t len;
            sli_utf8_decode((const unsigned char *)s + i, b - i, &len);
            i += len;
        }
    }
    return 0;
}

/* Form 4: "<Name> | <Place>" (a third field only with a number in it). */
static int name_place(const char *s, size_t n, size_t a, size_t b, int words)
{
    if (words > 4)
        return 0;
    word first;
    if (!sli_name_read_word(s, n, a, &first) || WORD_IN(s, &first, FURNITURE))
        return 0;
    size_t i = sli_name_skip_spaces(s, n, b);
    if (i >= n || s[i] != '|')
        return 0;
    i++;
    /* The place: one to four capitalised words (particles allowed), then the end or
     * "| <date>". */
    int pw = 0;
    while (i < n) {
        size_t k = sli_name_space_at(s, n, i);
        if (k) {
            i += k;
            continue;
        }
        word w;
        if (sli_name_read_word(s, n, i, &w)) {
            if (!(w.cap || sli_name_particle(s, &w) || WORD_IN(s, &w, CONNECT)) || ++pw > 4)
                return 0;
            if (pw == 1 && WORD_IN(s, &w, FURNITURE))
                return 0;
            i = w.end;
            continue;
        }
        if (s[i] == ',' || s[i] == '.' || s[i] == '\'') {
            i++;
            continue;
        }
        if (s[i] == '|') {
            for (size_t j = i + 1; j < n; j++)
                if (s[j] >= '0' && s[j] <= '9')
                    return pw > 0;
            return 0;
        }
        return 0;
    }
    return pw > 0;
}

/* Form 5: "<Name> covers ... for ...", "<Name> is a ... reporter". */
static int bio(const char *s, size_t n, size_t b, int words)
{
    if (words < 2)
        return 0;
    size_t i = sli_name_skip_spaces(s, n, b);
    word w;
    if (i == b || !sli_name_read_word(s, n, i, &w))
        return 0;
    static const char *const verbs[] = {"covers", "writes", "reports"};
    static const char *const is[] = {"is"};
    static const char *const preps[] = {"for", "at"};
    static const char *const the[] = {"the", "a", "an"};
    int verb = WORD_IN(s, &w, verbs), copula = WORD_IN(s, &w, is);
    if (!verb && !copula)
        return 0;
    /* "covers ... for The Review", "writes about ... for the Courier": the outlet, a
     * capitalised name after "for" or "at"; "is a staff writer": a role word. */
    i = w.end;
    int after_prep = 0;
    for (int k = 0; k < 16 && i < n; k++) {
        i = sli_name_skip_spaces(s, n, i);
        word v;
        if (!sli_name_read_word(s, n, i, &v)) {
            size_t len;
            if (i >= n || s[i] == '.' || s[i] == ';')
                break;
            sli_utf8_decode((const unsigned char *)s + i, n - i, &len);
            i += len;
            after_prep = 0;
            continue;
        }
        if (copula && WORD_IN(s, &v, ROLE_CORE))
            return 1;
        if (verb && after_prep && v.cap)
            return 1;
        if (WORD_IN(s, &v, preps))
            after_prep = 1;
        else if (!(after_prep && WORD_IN(s, &v, the)))
            after_prep = 0;
        i = v.end;
    }
    return 0;
}

int sli_meta_find_byline(const char *s, size_t n, char *out, size_t size)
{
    if (out && size)
        out[0] = '\0';
    if (!s || n == 0)
        return 0;
    size_t i = skip_lead(s, n, 0);
    if (i >= n)
        return 0;

    /* 1. Markers. */
    static const char *const by_markers[] = {
        "written by",  "reported by", "reporting by", "story by",   "words by",
        "text by",     "report by",   "posted by",    "published by", "compiled by",
        "interview by", "analysis by", "by"};
    static const char *const colon_labels[] = {"author", "authors", "byline", "reporter",
                                               "writer", "words"};
    size_t at = 0;
    int bio_tail = 0;
    for (size_t k = 0; k < sizeof by_markers / sizeof by_markers[0] && !at; k++)
        at = match_words(s, n, i, by_markers[k]);
    /* "(Reporting by Anders Vik; Editing by Claire Holloway)" closing a wire story is the
     * agency's sign-off, not the article's byline (the sample corpus reads it so). */
    if (at && i > 0 && match_words(s, n, i, "reporting by")) {
        size_t p = sli_name_skip_spaces(s, n, 0);
        if (s[p] == '(' || s[p] == '[')
            return 0;
    }
    if (!at) {
        for (size_t k = 0; k < sizeof colon_labels / sizeof colon_labels[0] && !at; k++) {
            size_t e = match_words(s, n, i, colon_labels[k]);
            if (e) {
                e = sli_name_skip_spaces(s, n, e);
                if (e < n && s[e] == ':')
                    at = e;
            }
        }
    }
    if (!at) {
        size_t e = match_words(s, n, i, "about the author");
        if (e) {
            e = sli_name_skip_spaces(s, n, e);
            size_t l = e < n ? strong_sep(s, n, e) : 0;
            if (e < n && (s[e] == ':' || l)) {
                at = e;
                bio_tail = 1;
            }
        }
    }
    if (at) {
        at = sli_name_skip_spaces(s, n, at);
        if (at < n && s[at] == ':')
            at++;
        size_t a, b;
        int words;
        if (desk_name(s, n, at, &a, &b)) {
            /* "By Political Editor Ana Lutz": the person after the desk. */
            size_t pa, pb;
            if (!byline_tail(s, n, b) && sli_name_parse_names(s, n, b, &pa, &pb, &words)) {
                a = pa;
                b = pb;
            }
        } else if (!sli_name_parse_names(s, n, at, &a, &b, &words)) {
            return 0;
        }
        if (!bio_tail && !byline_tail(s, n, b))
            return 0;
        write_out(s, a, b, out, size);
        return 1;
    }

    /* 3-5. No marker: the line opens with a name. */
    size_t a, b;
    int words;
    if (!sli_name_parse_names(s, n, i, &a, &b, &words))
        return 0;
    size_t j = sli_name_skip_spaces(s, n, b);
    if (j < n && (s[j] == ',' || s[j] == '|' || strong_sep(s, n, j))) {
        size_t step = s[j] == ',' || s[j] == '|' ? 1 : strong_sep(s, n, j);
        word first;
        if (words <= 5 && sli_name_read_word(s, n, a, &first) && !WORD_IN(s, &first, FURNITURE) &&
            !any_word_in(s, a, b, ROLE_CORE, sizeof ROLE_CORE / sizeof ROLE_CORE[0]) && role_tail(s, n, j + step, 6, 1)) {
            write_out(s, a, b, out, size);
            return 1;
        }
    }
    if (name_place(s, n, a, b, words) || bio(s, n, b, words)) {
        word first;
        if (sli_name_read_word(s, n, a, &first) && WORD_IN(s, &first, FURNITURE))
            return 0;
        write_out(s, a, b, out, size);
        return 1;
    }
    return 0;
}
