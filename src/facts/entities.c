/* entities.c — people, organisations and places named in an article, and their merging
 * over an event's articles (docs/facts-entities.md).
 *
 * One pass tokenises the text; names are runs of capitalised tokens (with "of", "&" and
 * the like inside), less the sentence-initial words that the word list and the article
 * itself show to be ordinary words ("But", "The"; "Apple" stays when the article also
 * writes "Apple" mid-sentence). Each mention votes for a type from its context: a title
 * before it (Mr., President, analyst), an organisation's word after it (CEO, officials,
 * shares), an organisation suffix (Inc., Airlines, Ministry), the gazetteer (countries,
 * regions, cities, country adjectives), a place preposition ("in X"), "X, <place>". Then
 * the article's own evidence: mentions of one name are pooled, short forms merge into the
 * full name they are part of ("Kim" into "Kim Jong Un", "Clyburn" of "Mr. Clyburn" into
 * "James Clyburn"), an acronym introduced in parentheses merges into its name
 * ("United States Air Force (USAF)"), and each entity takes the type its mentions vote for.
 *
 * Every look backward or forward is bounded by a constant (ENT_MAX_RUN tokens), so time
 * and memory are linear in the text. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../core/buf.h"
#include "../core/grow.h"
#include "../core/mix.h"
#include "../core/u64map.h"
#include "../core/utf8.h"
#include "../core/varint.h"
#include "../text/ascii.h"
#include "../text/stopwords.h"
#include "entities_int.h"

/* The longest name kept, in tokens ("European Aeronautic Defence and Space Company" is
 * 6): longer runs of capitals are cut (headlines, lists). */
#define ENT_MAX_RUN 8

/* A name listed with another ("Boeing and Lockheed Martin") takes ENT_LIST_VOTE for the
 * other's type when that one leads its other types by ENT_LIST_CONFIDENT votes. */
#define ENT_LIST_CONFIDENT 3

/* A line is in title case (a headline: "Apple Unveils New Phone") when this many tenths of
 * its words (four letters or more, no stop words; three at least) are capitalised. */
#define ENT_TITLE_CASE_TENTHS 9

/* A word that the word list has both ways ("apple", "Apple") is a name when it opens this
 * many sentences of an article and the article never writes it in lower case. */
#define ENT_STARTS 2
#define ENT_LIST_VOTE 2

/* ---- tokens ---- */

static unsigned cp_at(const char *s, size_t n, size_t i, size_t *len)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        *len = 1;
        return c;
    }
    size_t l = sli_utf8_seq_len((const unsigned char *)s + i, n - i);
    if (!l) {
        *len = 1;
        return 0xFFFD;
    }
    *len = l;
    return sli_utf8_decode((const unsigned char *)s + i, n - i, len);
}

static int cp_is_word_wide(unsigned cp);

/* The ASCII test inline (most text), the rest by its category. */
static inline int cp_is_word(unsigned cp)
{
    return cp < 0x80 ? ascii_is_alnum((int)cp) : cp_is_word_wide(cp);
}

static int cp_is_word_wide(unsigned cp)
{
    if (cp == 0xFFFD)
        return 0;
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND:
        return 1;
    default:
        return 0;
    }
}

static int is_apostrophe(const char *s, size_t n, size_t i, size_t *len)
{
    if (s[i] == '\'') {
        *len = 1;
        return 1;
    }
    if (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0x99 || (unsigned char)s[i + 2] == 0x98)) {
        *len = 3;
        return 1;
    }
    return 0;
}

static int is_quote_cp(unsigned cp)
{
    return cp == '"' || cp == '`' || cp == '\'' || cp == 0x201C || cp == 0x201D ||
           cp == 0x2018 || cp == 0x2019 || cp == 0xAB || cp == 0xBB;
}

/* Abbreviations that keep their dot ("Mr.", "Inc."); lower case, without the dot. */
static int is_abbreviation(const char *s, size_t a, size_t b)
{
    static const char *const abbr[] = {
        "mr", "mrs", "ms", "dr", "st", "sen", "rep", "gov", "gen", "col", "lt", "maj",
        "capt", "sgt", "adm", "cmdr", "prof", "rev", "jr", "sr", "inc", "corp", "ltd", "co",
        "bros", "mt", "ft", "messrs", "hon", "pres", "supt", "no"};
    for (size_t k = 0; k < sizeof abbr / sizeof abbr[0]; k++)
        if (ascii_ci_is(s, a, b, abbr[k]))
            return 1;
    return 0;
}

uint64_t sli_name_hash_token(uint64_t h, const char *s, size_t n, int first)
{
    const uint64_t prime = 0x100000001b3ull;
    if (!first)
        h = (h ^ ' ') * prime;
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) { /* ASCII, as below without the decoding */
            i++;
            if (b != '.')
                h = (h ^ (unsigned)ascii_lower(b)) * prime;
            continue;
        }
        size_t l;
        unsigned cp = cp_at(s, n, i, &l);
        i += l;
        if (cp == '.')
            continue;
        if (cp == 0x2019 || cp == 0x2018)
            cp = '\'';
        if (cp < 0x80)
            cp = (unsigned)ascii_lower((int)cp);
        else
            cp = (unsigned)utf8proc_tolower((utf8proc_int32_t)cp);
        do {
            h = (h ^ (cp & 0xFF)) * prime;
            cp >>= 8;
        } while (cp);
    }
    return h;
}

uint64_t sli_name_hash_finish(uint64_t h)
{
    return sli_mix64(h);
}

static uint64_t token_hash(const char *s, size_t a, size_t b)
{
    return sli_name_hash_finish(sli_name_hash_token(SLI_NAME_HASH_INIT, s + a, b - a, 1));
}

int sli_ent_tokenize(const char *s, size_t n, sli_ent_tok_fn fn, void *user)
{
    unsigned gap = SLI_TOK_SENT | SLI_TOK_START; /* what lies between the last token and here */
    int have_prev = 0, only_spaces = 1, apostrophe = 0;
    size_t i = 0;
    while (i < n) {
        size_t l;
        unsigned cp = cp_at(s, n, i, &l);
        int amp = cp == '&' && i > 0 && i + 1 < n && s[i - 1] == ' ' && s[i + 1] == ' ';
        if (!cp_is_word(cp) && !amp) {
            if (cp == ' ' || cp == '\t' || cp == 0xA0) {
            } else if (cp == '\n' || cp == '\r') {
                gap |= SLI_TOK_SENT | SLI_TOK_START | SLI_TOK_NL;
                only_spaces = 0;
            } else {
                only_spaces = 0;
                if (cp == '.' || cp == '!' || cp == '?' || cp == ';' || cp == ':')
                    gap |= SLI_TOK_SENT | SLI_TOK_START;
                else if (cp == ',')
                    gap |= SLI_TOK_COMMA;
                else if (cp == '(' || cp == '[')
                    gap |= SLI_TOK_LPAREN;
                else if (cp == ')' || cp == ']')
                    gap |= SLI_TOK_RPAREN;
                if (is_quote_cp(cp)) {
                    gap |= SLI_TOK_START;
                    if (cp == '\'' || cp == 0x2019)
                        apostrophe = 1;
                }
            }
            i += l;
            continue;
        }
        /* a word: letters and digits, with '.', '-', '&' or an apostrophe between them
         * ("AT&T"); or an ampersand alone ("Defence & Space") */
        size_t a = i;
        unsigned flags = 0;
        int letters = 0, uppers = 0, first_upper = -1, inner_dot = 0;
        if (amp)
            i++;
        while (i < n && !amp) {
            unsigned char b0 = (unsigned char)s[i];
            if (b0 >= '0' && b0 <= '9') { /* ASCII, as the branch below */
                flags |= SLI_TOK_DIGIT;
                i++;
                continue;
            }
            if ((b0 >= 'a' && b0 <= 'z') || (b0 >= 'A' && b0 <= 'Z')) {
                int up = b0 <= 'Z';
                if (first_upper < 0)
                    first_upper = up;
                letters++;
                uppers += up;
                i++;
                continue;
            }
            cp = cp_at(s, n, i, &l);
            if (cp_is_word(cp)) {
                if (cp < 0x80 ? ascii_is_digit((int)cp)
                              : utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_ND) {
                    flags |= SLI_TOK_DIGIT;
                } else {
                    int up = cp < 0x80 ? (cp >= 'A' && cp <= 'Z')
                                       : utf8proc_isupper((utf8proc_int32_t)cp);
                    if (first_upper < 0)
                        first_upper = up;
                    letters++;
                    uppers += up;
                }
                i += l;
                continue;
            }
            size_t al;
            if ((cp == '.' || cp == '-' || cp == '&') && i + 1 < n) {
                size_t l2;
                unsigned next = cp_at(s, n, i + 1, &l2);
                /* "EADS-led", "Intel-based": the name ends at the hyphen */
                if (cp == '-' && first_upper == 1 && !(gap & SLI_TOK_START) &&
                    i + 3 < n && ascii_is_alpha(s[i + 1]) && s[i + 1] >= 'a' &&
                    ascii_is_alpha(s[i + 2]) && ascii_is_alpha(s[i + 3]))
                    break; /* not "Jae-in", "Jong-un" */
                if (cp_is_word(next)) {
                    inner_dot |= cp == '.';
                    i += 1;
                    continue;
                }
            }
            if (is_apostrophe(s, n, i, &al) && i + al + 1 < n && letters == 1 && uppers == 1 &&
                i - a == 1 && s[i + al] == ' ' && s[i + al + 1] >= 'A' && s[i + al + 1] <= 'Z') {
                /* "O' Leary" as a tokeniser printed O'Leary */
                i += al + 1;
                continue;
            }
            if (is_apostrophe(s, n, i, &al) && i + al < n) {
                /* O'Brien stays one word; "Boeing's" is Boeing and a possessive */
                size_t l2;
                unsigned next = cp_at(s, n, i + al, &l2);
                int poss = (next == 's' || next == 'S') &&
                           (i + al + 1 >= n || !cp_is_word(cp_at(s, n, i + al + 1, &l2)));
                if (cp_is_word(next) && !poss) {
                    i += al;
                    continue;
                }
            }
            break;
        }
        size_t b = i;
        if (i < n && s[i] == '.' &&
            ((letters == 1 && uppers == 1 && b - a == 1) || inner_dot || is_abbreviation(s, a, b))) {
            i++;
            b = i;
            flags |= SLI_TOK_ABBR;
        }
        if (letters)
            flags |= SLI_TOK_ALPHA;
        if (first_upper == 1)
            flags |= SLI_TOK_CAP;
        if (letters >= 2 && uppers == letters)
            flags |= SLI_TOK_ALLCAPS;
        if (first_upper == 0 && uppers > 0)
            flags |= SLI_TOK_MIXED;
        if (have_prev && only_spaces)
            flags |= SLI_TOK_JOIN;
        flags |= gap & (SLI_TOK_SENT | SLI_TOK_START | SLI_TOK_COMMA | SLI_TOK_LPAREN |
                        SLI_TOK_RPAREN | SLI_TOK_NL);
        if (apostrophe && b - a == 1 && (s[a] == 's' || s[a] == 'S'))
            flags |= SLI_TOK_POSS;
        sli_ent_tok t = {.a = a, .b = b, .h = token_hash(s, a, b), .flags = flags};
        int r = fn(user, &t);
        if (r)
            return r;
        /* an abbreviation's dot does not end the sentence (a newline still does) */
        gap = 0;
        have_prev = 1;
        only_spaces = 1;
        apostrophe = 0;
    }
    return 0;
}

typedef struct hash_acc {
    uint64_t h;
    int first;
} hash_acc;

typedef struct hash_ctx {
    const char *s;
    hash_acc acc;
} hash_ctx;

static int hash_tok_fn(void *user, const sli_ent_tok *t)
{
    hash_ctx *c = user;
    c->acc.h = sli_name_hash_token(c->acc.h, c->s + t->a, t->b - t->a, c->acc.first);
    c->acc.first = 0;
    return 0;
}

uint64_t sli_name_hash(const char *s, size_t n)
{
    hash_ctx c = {.s = s, .acc = {.h = SLI_NAME_HASH_INIT, .first = 1}};
    sli_ent_tokenize(s, n, hash_tok_fn, &c);
    return sli_name_hash_finish(c.acc.h);
}

/* ---- words that matter around names (linguistic data: English function words, titles,
 * organisation words; no names) ---- */

enum {
    W_TITLE = 1u << 0,     /* a title before a person's name: Mr., President, analyst */
    W_ORGNEXT = 1u << 1,   /* a word after an organisation's name: CEO, officials, shares */
    W_ORGSUFFIX = 1u << 2, /* the last word of an organisation's name: Inc., Airlines */
    W_ORGHEAD = 1u << 3,   /* an organisation word anywhere in a name: Ministry, Bank */
    W_CONN = 1u << 4,      /* inside a name between capitals: of, for, de, & */
    W_NOTNAME = 1u << 5,   /* capitalised but no name: months, week days */
    W_PLACEPREP = 1u << 6, /* before a place: in, from, near */
    W_SAID = 1u << 7,      /* after a person: said, told, who */
    W_PLACESUFFIX = 1u << 8, /* the last word of a place's name: River, County, Island */
    W_PERSONAL = 1u << 9,  /* a title that only people bear: Mr., Mrs., Sen. (strong) */
    W_ORGPREV = 1u << 10,  /* a noun before an organisation's name: airline, maker, firm */
    W_PLACEPREFIX = 1u << 11 /* the first word of a place's name: San, Fort, Lake */
};

static const struct {
    const char *w;
    unsigned bits;
} lexicon[] = {
    /* titles of people */
    {"mr", W_TITLE | W_PERSONAL}, {"mrs", W_TITLE | W_PERSONAL}, {"ms", W_TITLE | W_PERSONAL},
    {"miss", W_TITLE | W_PERSONAL}, {"dr", W_TITLE | W_PERSONAL}, {"sir", W_TITLE | W_PERSONAL},
    {"dame", W_TITLE | W_PERSONAL}, {"lord", W_TITLE}, {"lady", W_TITLE},
    {"president", W_TITLE | W_ORGNEXT}, {"vice", W_TITLE}, {"prime", W_TITLE},
    {"premier", W_TITLE}, {"chancellor", W_TITLE}, {"king", W_TITLE}, {"queen", W_TITLE},
    {"prince", W_TITLE}, {"princess", W_TITLE}, {"sen", W_TITLE | W_PERSONAL},
    {"senator", W_TITLE | W_PERSONAL}, {"rep", W_TITLE | W_PERSONAL},
    {"representative", W_TITLE}, {"congressman", W_TITLE | W_PERSONAL},
    {"congresswoman", W_TITLE | W_PERSONAL}, {"gov", W_TITLE | W_PERSONAL},
    {"governor", W_TITLE}, {"mayor", W_TITLE}, {"judge", W_TITLE}, {"gen", W_TITLE | W_PERSONAL},
    {"general", W_TITLE}, {"col", W_TITLE | W_PERSONAL}, {"colonel", W_TITLE},
    {"lt", W_TITLE | W_PERSONAL}, {"lieutenant", W_TITLE}, {"maj", W_TITLE | W_PERSONAL},
    {"capt", W_TITLE | W_PERSONAL}, {"captain", W_TITLE}, {"sgt", W_TITLE | W_PERSONAL},
    {"sergeant", W_TITLE}, {"adm", W_TITLE | W_PERSONAL}, {"admiral", W_TITLE},
    {"cmdr", W_TITLE | W_PERSONAL}, {"commander", W_TITLE}, {"prof", W_TITLE | W_PERSONAL},
    {"professor", W_TITLE}, {"pope", W_TITLE}, {"rev", W_TITLE | W_PERSONAL},
    {"reverend", W_TITLE}, {"bishop", W_TITLE}, {"cardinal", W_TITLE}, {"rabbi", W_TITLE},
    {"sheikh", W_TITLE}, {"ambassador", W_TITLE}, {"minister", W_TITLE},
    {"secretary", W_TITLE}, {"commissioner", W_TITLE}, {"chairman", W_TITLE | W_ORGNEXT},
    {"chairwoman", W_TITLE | W_ORGNEXT}, {"chair", W_ORGNEXT}, {"ceo", W_TITLE | W_ORGNEXT},
    {"cfo", W_TITLE | W_ORGNEXT}, {"coo", W_TITLE | W_ORGNEXT}, {"cto", W_TITLE | W_ORGNEXT},
    {"chief", W_TITLE | W_ORGNEXT}, {"executive", W_TITLE | W_ORGNEXT},
    {"director", W_TITLE | W_ORGNEXT}, {"spokesman", W_TITLE | W_ORGNEXT},
    {"spokeswoman", W_TITLE | W_ORGNEXT}, {"spokesperson", W_TITLE | W_ORGNEXT},
    {"analyst", W_TITLE | W_ORGNEXT}, {"founder", W_TITLE | W_ORGNEXT},
    {"co-founder", W_TITLE | W_ORGNEXT}, {"economist", W_TITLE | W_ORGNEXT},
    {"editor", W_TITLE}, {"reporter", W_TITLE}, {"correspondent", W_TITLE},
    {"attorney", W_TITLE}, {"lawyer", W_TITLE}, {"manager", W_TITLE | W_ORGNEXT},
    {"deputy", W_TITLE}, {"officer", W_TITLE}, {"head", W_ORGNEXT}, {"leader", W_TITLE},
    /* what an organisation has */
    {"officials", W_ORGNEXT}, {"executives", W_ORGNEXT}, {"employees", W_ORGNEXT},
    {"workers", W_ORGNEXT}, {"engineers", W_ORGNEXT}, {"analysts", W_ORGNEXT},
    {"shares", W_ORGNEXT}, {"stock", W_ORGNEXT}, {"shareholders", W_ORGNEXT},
    {"board", W_ORGNEXT}, {"subsidiary", W_ORGNEXT}, {"unit", W_ORGNEXT},
    {"division", W_ORGNEXT}, {"headquarters", W_ORGNEXT}, {"spokespeople", W_ORGNEXT},
    {"parent", W_ORGNEXT}, {"rival", W_ORGNEXT}, {"rivals", W_ORGNEXT},
    {"customers", W_ORGNEXT}, {"store", W_ORGNEXT}, {"stores", W_ORGNEXT},
    {"products", W_ORGNEXT}, {"profit", W_ORGNEXT}, {"profits", W_ORGNEXT},
    {"revenue", W_ORGNEXT}, {"sales", W_ORGNEXT}, {"plant", W_ORGNEXT}, {"factory", W_ORGNEXT},
    /* organisation suffixes and heads */
    {"inc", W_ORGSUFFIX}, {"corp", W_ORGSUFFIX}, {"corporation", W_ORGSUFFIX},
    {"co", W_ORGSUFFIX}, {"company", W_ORGSUFFIX}, {"ltd", W_ORGSUFFIX},
    {"limited", W_ORGSUFFIX}, {"llc", W_ORGSUFFIX}, {"plc", W_ORGSUFFIX},
    {"gmbh", W_ORGSUFFIX}, {"ag", W_ORGSUFFIX}, {"sa", W_ORGSUFFIX}, {"nv", W_ORGSUFFIX},
    {"bv", W_ORGSUFFIX}, {"spa", W_ORGSUFFIX}, {"group", W_ORGSUFFIX},
    {"holdings", W_ORGSUFFIX}, {"partners", W_ORGSUFFIX}, {"associates", W_ORGSUFFIX},
    {"airlines", W_ORGSUFFIX}, {"airways", W_ORGSUFFIX}, {"bank", W_ORGSUFFIX | W_ORGHEAD},
    {"party", W_ORGSUFFIX | W_ORGHEAD}, {"ministry", W_ORGSUFFIX | W_ORGHEAD},
    {"department", W_ORGSUFFIX | W_ORGHEAD}, {"university", W_ORGSUFFIX | W_ORGHEAD},
    {"college", W_ORGSUFFIX | W_ORGHEAD}, {"school", W_ORGSUFFIX},
    {"institute", W_ORGSUFFIX | W_ORGHEAD}, {"association", W_ORGSUFFIX | W_ORGHEAD},
    {"agency", W_ORGSUFFIX | W_ORGHEAD}, {"commission", W_ORGSUFFIX | W_ORGHEAD},
    {"council", W_ORGSUFFIX | W_ORGHEAD}, {"committee", W_ORGSUFFIX | W_ORGHEAD},
    {"authority", W_ORGSUFFIX | W_ORGHEAD}, {"bureau", W_ORGSUFFIX | W_ORGHEAD},
    {"office", W_ORGSUFFIX}, {"foundation", W_ORGSUFFIX | W_ORGHEAD},
    {"fund", W_ORGSUFFIX}, {"trust", W_ORGSUFFIX}, {"union", W_ORGSUFFIX | W_ORGHEAD},
    {"federation", W_ORGSUFFIX | W_ORGHEAD}, {"league", W_ORGSUFFIX},
    {"club", W_ORGSUFFIX}, {"society", W_ORGSUFFIX}, {"network", W_ORGSUFFIX},
    {"networks", W_ORGSUFFIX}, {"systems", W_ORGSUFFIX}, {"technologies", W_ORGSUFFIX},
    {"technology", W_ORGSUFFIX}, {"motors", W_ORGSUFFIX}, {"industries", W_ORGSUFFIX},
    {"international", W_ORGSUFFIX}, {"news", W_ORGSUFFIX}, {"times", W_ORGSUFFIX},
    {"post", W_ORGSUFFIX}, {"journal", W_ORGSUFFIX}, {"press", W_ORGSUFFIX},
    {"media", W_ORGSUFFIX}, {"services", W_ORGSUFFIX}, {"labs", W_ORGSUFFIX},
    {"laboratories", W_ORGSUFFIX}, {"research", W_ORGSUFFIX}, {"capital", W_ORGSUFFIX},
    {"securities", W_ORGSUFFIX}, {"investments", W_ORGSUFFIX}, {"entertainment", W_ORGSUFFIX},
    {"pictures", W_ORGSUFFIX}, {"studios", W_ORGSUFFIX}, {"records", W_ORGSUFFIX},
    {"hospital", W_ORGSUFFIX}, {"church", W_ORGSUFFIX}, {"court", W_ORGSUFFIX | W_ORGHEAD},
    {"parliament", W_ORGSUFFIX}, {"congress", W_ORGSUFFIX}, {"senate", W_ORGSUFFIX},
    {"assembly", W_ORGSUFFIX}, {"army", W_ORGSUFFIX}, {"navy", W_ORGSUFFIX},
    {"force", W_ORGSUFFIX}, {"forces", W_ORGSUFFIX}, {"police", W_ORGSUFFIX},
    {"guard", W_ORGSUFFIX}, {"administration", W_ORGSUFFIX | W_ORGHEAD},
    {"government", W_ORGSUFFIX}, {"organization", W_ORGSUFFIX | W_ORGHEAD},
    {"organisation", W_ORGSUFFIX | W_ORGHEAD}, {"command", W_ORGSUFFIX},
    {"corps", W_ORGSUFFIX}, {"consortium", W_ORGSUFFIX}, {"alliance", W_ORGSUFFIX},
    {"coalition", W_ORGSUFFIX}, {"electronics", W_ORGSUFFIX}, {"aerospace", W_ORGSUFFIX},
    {"dynamics", W_ORGSUFFIX}, {"electric", W_ORGSUFFIX}, {"energy", W_ORGSUFFIX},
    {"pharmaceuticals", W_ORGSUFFIX}, {"communications", W_ORGSUFFIX},
    {"software", W_ORGSUFFIX}, {"computer", W_ORGSUFFIX}, {"computers", W_ORGSUFFIX},
    {"exchange", W_ORGSUFFIX}, {"reserve", W_ORGSUFFIX}, {"board", W_ORGNEXT},
    {"aircraft", W_ORGSUFFIX}, {"aviation", W_ORGSUFFIX}, {"games", W_ORGSUFFIX},
    {"show", W_ORGSUFFIX}, {"conference", W_ORGSUFFIX}, {"summit", W_ORGSUFFIX},
    {"festival", W_ORGSUFFIX}, {"olympics", W_ORGSUFFIX}, {"expo", W_ORGSUFFIX},
    {"awards", W_ORGSUFFIX}, {"cup", W_ORGSUFFIX},
    /* nouns before an organisation's name ("aircraft manufacturer Boeing"); a word twice
     * in this table has the bits of both */
    {"manufacturer", W_ORGPREV}, {"maker", W_ORGPREV}, {"airline", W_ORGPREV},
    {"carrier", W_ORGPREV}, {"company", W_ORGPREV}, {"firm", W_ORGPREV},
    {"giant", W_ORGPREV}, {"airframer", W_ORGPREV}, {"magazine", W_ORGPREV},
    {"newspaper", W_ORGPREV}, {"broadcaster", W_ORGPREV}, {"retailer", W_ORGPREV},
    {"contractor", W_ORGPREV}, {"supplier", W_ORGPREV}, {"conglomerate", W_ORGPREV},
    {"automaker", W_ORGPREV}, {"carmaker", W_ORGPREV}, {"operator", W_ORGPREV},
    {"publisher", W_ORGPREV}, {"website", W_ORGPREV}, {"agency", W_ORGPREV},
    {"subsidiary", W_ORGPREV}, {"rival", W_ORGPREV}, {"studio", W_ORGPREV},
    {"label", W_ORGPREV}, {"startup", W_ORGPREV}, {"consortium", W_ORGPREV},
    {"daily", W_ORGPREV}, {"channel", W_ORGPREV},
    /* places */
    {"center", W_PLACESUFFIX}, {"centre", W_PLACESUFFIX}, {"factory", W_PLACESUFFIX},
    {"river", W_PLACESUFFIX}, {"lake", W_PLACESUFFIX}, {"sea", W_PLACESUFFIX},
    {"ocean", W_PLACESUFFIX}, {"island", W_PLACESUFFIX}, {"islands", W_PLACESUFFIX},
    {"bay", W_PLACESUFFIX}, {"valley", W_PLACESUFFIX}, {"mountain", W_PLACESUFFIX},
    {"mountains", W_PLACESUFFIX}, {"street", W_PLACESUFFIX}, {"avenue", W_PLACESUFFIX},
    {"road", W_PLACESUFFIX}, {"county", W_PLACESUFFIX}, {"city", W_PLACESUFFIX},
    {"province", W_PLACESUFFIX}, {"region", W_PLACESUFFIX}, {"coast", W_PLACESUFFIX},
    {"peninsula", W_PLACESUFFIX}, {"airport", W_PLACESUFFIX}, {"state", W_PLACESUFFIX},
    {"district", W_PLACESUFFIX}, {"square", W_PLACESUFFIX}, {"park", W_PLACESUFFIX},
    {"in", W_PLACEPREP}, {"near", W_PLACEPREP}, {"across", W_PLACEPREP},
    {"throughout", W_PLACEPREP}, {"outside", W_PLACEPREP},
    /* connectors inside names */
    {"of", W_CONN}, {"for", W_CONN}, {"de", W_CONN}, {"del", W_CONN}, {"della", W_CONN},
    {"da", W_CONN}, {"do", W_CONN}, {"du", W_CONN}, {"des", W_CONN}, {"la", W_CONN},
    {"le", W_CONN}, {"van", W_CONN}, {"von", W_CONN}, {"der", W_CONN}, {"den", W_CONN},
    {"bin", W_CONN}, {"al", W_CONN}, {"el", W_CONN}, {"&", W_CONN}, {"and", W_CONN},
    {"the", W_CONN},
    /* after a person */
    {"said", W_SAID}, {"says", W_SAID}, {"told", W_SAID}, {"added", W_SAID},
    {"stated", W_SAID}, {"explained", W_SAID}, {"who", W_SAID}, {"noted", W_SAID},
    {"argued", W_SAID}, {"wrote", W_SAID}, {"insisted", W_SAID},
    /* capitalised, but no names */
    {"january", W_NOTNAME}, {"february", W_NOTNAME}, {"march", W_NOTNAME},
    {"april", W_NOTNAME}, {"may", W_NOTNAME}, {"june", W_NOTNAME}, {"july", W_NOTNAME},
    {"august", W_NOTNAME}, {"september", W_NOTNAME}, {"october", W_NOTNAME},
    {"november", W_NOTNAME}, {"december", W_NOTNAME}, {"jan", W_NOTNAME},
    {"feb", W_NOTNAME}, {"mar", W_NOTNAME}, {"apr", W_NOTNAME}, {"jun", W_NOTNAME},
    {"jul", W_NOTNAME}, {"aug", W_NOTNAME}, {"sep", W_NOTNAME}, {"sept", W_NOTNAME},
    {"oct", W_NOTNAME}, {"nov", W_NOTNAME}, {"dec", W_NOTNAME}, {"monday", W_NOTNAME},
    {"tuesday", W_NOTNAME}, {"wednesday", W_NOTNAME}, {"thursday", W_NOTNAME},
    {"friday", W_NOTNAME}, {"saturday", W_NOTNAME}, {"sunday", W_NOTNAME},
    {"utc", W_NOTNAME}, {"gmt", W_NOTNAME}, {"no", W_NOTNAME}, {"christmas", W_NOTNAME},
    {"easter", W_NOTNAME}, {"thanksgiving", W_NOTNAME}, {"halloween", W_NOTNAME},
    {"ramadan", W_NOTNAME}, {"hanukkah", W_NOTNAME},
    /* the first word of a place's name */
    {"san", W_PLACEPREFIX}, {"santa", W_PLACEPREFIX}, {"saint", W_PLACEPREFIX},
    {"st", W_PLACEPREFIX}, {"los", W_PLACEPREFIX}, {"las", W_PLACEPREFIX},
    {"fort", W_PLACEPREFIX}, {"ft", W_PLACEPREFIX}, {"port", W_PLACEPREFIX},
    {"mount", W_PLACEPREFIX}, {"mt", W_PLACEPREFIX}, {"lake", W_PLACEPREFIX},
    {"cape", W_PLACEPREFIX}, {"isle", W_PLACEPREFIX},
    /* buildings and grounds */
    {"theater", W_PLACESUFFIX}, {"theatre", W_PLACESUFFIX}, {"stadium", W_PLACESUFFIX},
    {"arena", W_PLACESUFFIX}, {"hall", W_PLACESUFFIX}, {"hotel", W_PLACESUFFIX},
    {"museum", W_PLACESUFFIX}, {"building", W_PLACESUFFIX}, {"tower", W_PLACESUFFIX},
    {"bridge", W_PLACESUFFIX}, {"palace", W_PLACESUFFIX}, {"field", W_PLACESUFFIX},
};

/* The lexicon by token hash: a map each sli_entities_find call builds (three hundred
 * entries, microseconds; no shared state to lock). */
sl_error sli_ent_lexicon_map(u64map *m)
{
    sl_error e = sli_u64map_init(m, 2 * sizeof lexicon / sizeof lexicon[0]);
    for (size_t i = 0; !e && i < sizeof lexicon / sizeof lexicon[0]; i++) {
        uint64_t *v;
        e = sli_u64map_put(m, token_hash(lexicon[i].w, 0, strlen(lexicon[i].w)), &v, NULL);
        if (!e)
            *v |= lexicon[i].bits;
    }
    return e;
}

/* ---- one article ---- */

enum { T_PERSON = 0, T_ORG = 1, T_PLACE = 2 };

typedef struct cand {
    size_t t0;        /* first mention: its first token */
    unsigned ntok;    /* tokens in the name */
    uint64_t h;       /* hash of the name */
    int count;        /* mentions */
    int votes[3];     /* T_PERSON, T_ORG, T_PLACE */
    int cvotes[3];    /* votes lent by the names listed with it */
    int full;         /* mentions of this very form (count before merging) */
    int surname;      /* a last-word alias merged into it */
    unsigned gaz;     /* SLI_GAZ_* of the whole name */
    int digit;        /* a token with a digit: a model or product ("Boeing 787") */
    size_t root;      /* the candidate it is an alias of (itself when none) */
    size_t acr;       /* the acronym introduced for it, or NONE */
    int type;
} cand;

#define NONE ((size_t)-1)

typedef struct art {
    const sli_facts_ctx *ctx;
    const char *text;
    size_t len;
    sli_ent_tok *tok;
    size_t n, cap;
    unsigned *lex;    /* lexicon bits per token */
    unsigned char *name; /* per token: 1 if it may be part of a name */
    cand *c;
    size_t nc, capc;
    u64map by_hash;   /* name hash -> candidate index + 1 */
    size_t (*acr)[2]; /* (name candidate, acronym candidate) pairs */
    size_t nacr, capacr;
    size_t (*coord)[2]; /* names in a list: "Boeing and Lockheed Martin" */
    size_t ncoord, capcoord;
    size_t last_start, last_end, last_cand; /* the mention before: its tokens, candidate */
} art;

static int push_tok(void *user, const sli_ent_tok *t)
{
    art *A = user;
    sli_ent_tok *p = sli_grow_array(A->tok, &A->cap, A->n + 1, sizeof *p, 256);
    if (!p)
        return 1;
    A->tok = p;
    p[A->n++] = *t;
    return 0;
}

static int tok_is(const art *A, size_t i, const char *w)
{
    return i < A->n && ascii_ci_is(A->text, A->tok[i].a, A->tok[i].b, w);
}

/* Headline-style lines ("Apple Unveils New Phone") say nothing by their capitals: every
 * token there is read like a sentence's first. */
static int is_stopword_tok(const art *A, const sli_ent_tok *t)
{
    size_t len = t->b - t->a;
    if (len > SLI_STOP_MAX_LEN)
        return 0;
    char low[SLI_STOP_MAX_LEN + 1];
    for (size_t j = 0; j < len; j++)
        low[j] = (char)ascii_lower((unsigned char)A->text[t->a + j]);
    return sli_stopword_kinds(low, len) != 0;
}

static void mark_title_case_lines(art *A)
{
    size_t line = 0;
    for (size_t i = 0; i <= A->n; i++) {
        if (i < A->n && (i == line || !(A->tok[i].flags & SLI_TOK_NL)))
            continue;
        /* the line is tokens [line, i); a headline ends without a full stop (looked at
         * first: a line that ends with one needs no word counted) */
        int stop = 0;
        if (i > line) {
            size_t from = A->tok[i - 1].b, to = i < A->n ? A->tok[i].a : A->len;
            for (size_t k = from; k < to && !stop; k++)
                stop = A->text[k] == '.' || A->text[k] == '!' || A->text[k] == '?';
        }
        size_t words = 0, caps = 0;
        for (size_t k = line; k < i && !stop; k++) {
            const sli_ent_tok *t = &A->tok[k];
            if (!(t->flags & SLI_TOK_ALPHA) || t->b - t->a < 4 || is_stopword_tok(A, t))
                continue;
            words++;
            caps += (t->flags & (SLI_TOK_CAP | SLI_TOK_ALLCAPS)) != 0;
        }
        if (!stop && words >= 3 && caps * 10 >= words * ENT_TITLE_CASE_TENTHS)
            for (size_t k = line; k < i; k++)
                A->tok[k].flags |= SLI_TOK_START;
        line = i;
    }
}

/* Which tokens may be part of a name. A capitalised word at a sentence start is a name
 * when the article also capitalises it mid-sentence, or when the word list does not know
 * it as an ordinary word; else ("But", "The", "Everyone") it is not. */
static sl_error mark_names(art *A, const u64map *lexmap)
{
    u64map midcap = {0}, lower = {0}, starts = {0};
    sl_error e = sli_u64map_init_set(&midcap, 64);
    if (!e)
        e = sli_u64map_init_set(&lower, 256);
    if (!e)
        e = sli_u64map_init(&starts, 64);
    for (size_t i = 0; !e && i < A->n; i++) {
        const sli_ent_tok *t = &A->tok[i];
        const uint64_t *lx = sli_u64map_get(lexmap, t->h);
        A->lex[i] = lx ? (unsigned)*lx : 0;
        /* a possessive marks a name as a capital mid-sentence does, when the word list
         * knows the word as a name too ("Apple 's", not "World 's") */
        int poss = i + 1 < A->n && (A->tok[i + 1].flags & SLI_TOK_POSS);
        if ((t->flags & SLI_TOK_CAP) &&
            (!(t->flags & SLI_TOK_START) ||
             (poss && (sli_gaz_word(A->ctx, t->h) & SLI_WORD_CAP)))) {
            e = sli_u64map_put(&midcap, t->h, NULL, NULL);
        } else if (t->flags & SLI_TOK_CAP) {
            uint64_t *v;
            e = sli_u64map_put(&starts, t->h, &v, NULL);
            if (!e)
                ++*v;
        }
        if (!e && (t->flags & SLI_TOK_ALPHA) &&
            !(t->flags & (SLI_TOK_CAP | SLI_TOK_MIXED | SLI_TOK_DIGIT)))
            e = sli_u64map_put(&lower, t->h, NULL, NULL);
    }
    int words = sli_gaz_has_words(A->ctx);
    for (size_t i = 0; !e && i < A->n; i++) {
        const sli_ent_tok *t = &A->tok[i];
        unsigned f = t->flags;
        int nm = 0;
        if ((f & SLI_TOK_ALLCAPS) && t->b - t->a == 3 &&
            (sli_gaz_place(A->ctx, t->h) & SLI_GAZ_CURRENCY))
            f = 0; /* "USD", "EUR" */
        if (ascii_is_digit((unsigned char)A->text[t->a]))
            f = 0; /* "2GB", "787": a model number goes with a name, never opens one */
        if ((f & (SLI_TOK_CAP | SLI_TOK_MIXED)) && !(A->lex[i] & W_NOTNAME) &&
            !(t->b - t->a == 1 && !(f & SLI_TOK_ABBR))) {
            nm = 1;
            if ((f & SLI_TOK_START) && !(f & SLI_TOK_ALLCAPS) && !(f & SLI_TOK_MIXED) &&
                !sli_u64map_has(&midcap, t->h)) {
                unsigned wf = sli_gaz_word(A->ctx, t->h);
                if (is_stopword_tok(A, t) || sli_u64map_has(&lower, t->h) ||
                    (words && (wf & SLI_WORD_LOWER)) ||
                    (A->lex[i] & (W_PLACEPREP | W_SAID | W_CONN)))
                    nm = 0;
                /* a word that is a name too ("Apple", "Shell": the list has both) opening
                 * ENT_STARTS sentences or more, never written in lower case here */
                const uint64_t *st = sli_u64map_get(&starts, t->h);
                if (!nm && (wf & SLI_WORD_CAP) && st && *st >= ENT_STARTS &&
                    !sli_u64map_has(&lower, t->h) && !is_stopword_tok(A, t))
                    nm = 1;
                /* a country adjective or place opening a sentence is still one */
                if (!nm && sli_gaz_place(A->ctx, t->h) && !is_stopword_tok(A, t))
                    nm = 1;
            }
        }
        A->name[i] = (unsigned char)nm;
    }
    sli_u64map_free(&midcap);
    sli_u64map_free(&lower);
    sli_u64map_free(&starts);
    return e;
}

static int initials_match(const art *A, size_t t0, unsigned ntok, const sli_ent_tok *acr)
{
    const char *s = A->text;
    size_t al = acr->b - acr->a, j = 0;
    if (al < 2 || al > 10)
        return 0;
    for (unsigned k = 0; k < ntok && j < al; k++) {
        const sli_ent_tok *t = &A->tok[t0 + k];
        if (t->h == acr->h)
            return 1; /* "EADS N.V. (EADS)" */
        if (A->lex[t0 + k] & W_CONN) {
            if (ascii_upper((unsigned char)s[t->a]) == (unsigned char)s[acr->a + j] && k > 0 &&
                (t->flags & SLI_TOK_CAP))
                j++;
            continue;
        }
        if (ascii_upper((unsigned char)s[t->a]) != (unsigned char)s[acr->a + j]) {
            if (k == 0)
                return 0;
            continue;
        }
        j++;
        /* inner capitals ("FedEx": F, E) */
        for (size_t q = t->a + 1; q < t->b && j < al; q++)
            if (s[q] >= 'A' && s[q] <= 'Z' && s[q] == s[acr->a + j])
                j++;
    }
    return j == al;
}

static sl_error cand_of(art *A, size_t t0, unsigned ntok, size_t *out)
{
    uint64_t h = SLI_NAME_HASH_INIT;
    int digit = 0;
    for (unsigned k = 0; k < ntok; k++) {
        const sli_ent_tok *t = &A->tok[t0 + k];
        h = sli_name_hash_token(h, A->text + t->a, t->b - t->a, k == 0);
        digit |= (t->flags & SLI_TOK_DIGIT) != 0;
    }
    h = sli_name_hash_finish(h);
    uint64_t *v;
    int added;
    sl_error e = sli_u64map_put(&A->by_hash, h, &v, &added);
    if (e)
        return e;
    if (!added) {
        *out = (size_t)*v - 1;
        return SL_OK;
    }
    cand *c = sli_grow_array(A->c, &A->capc, A->nc + 1, sizeof *c, 32);
    if (!c)
        return SL_ERR_NOMEM; /* the whole call fails: the map's entry is never read */
    A->c = c;
    size_t idx = A->nc++;
    c[idx] = (cand){.t0 = t0, .ntok = ntok, .h = h, .gaz = sli_gaz_place(A->ctx, h),
                    .digit = digit, .root = idx, .acr = NONE};
    *v = idx + 1;
    /* what the name says by itself */
    cand *x = &c[idx];
    if (ntok == 1 && (A->tok[t0].flags & SLI_TOK_ALLCAPS) && A->tok[t0].b - A->tok[t0].a <= 4)
        x->gaz &= SLI_GAZ_COUNTRY | SLI_GAZ_DEMONYM; /* "GAO" is no region of Mali here */
    unsigned last = A->lex[t0 + ntok - 1];
    int head = 0;
    for (unsigned k = 0; k < ntok; k++)
        head |= (A->lex[t0 + k] & W_ORGHEAD) != 0;
    if (x->gaz)
        x->votes[T_PLACE] += 4;
    if (last & W_ORGSUFFIX)
        x->votes[T_ORG] += 4;
    else if (head)
        x->votes[T_ORG] += 3;
    if ((last & W_PLACESUFFIX) && ntok > 1)
        x->votes[T_PLACE] += 3;
    if ((A->lex[t0] & W_PLACEPREFIX) && ntok > 1 && !(last & W_ORGSUFFIX))
        x->votes[T_PLACE] += 3;
    const sli_ent_tok *first = &A->tok[t0];
    if (ntok == 1 && (first->flags & SLI_TOK_ALLCAPS) && !x->gaz)
        x->votes[T_ORG] += 1;
    if (ntok >= 2 && ntok <= 4 && !digit && !x->gaz && !(last & (W_ORGSUFFIX | W_PLACESUFFIX)) &&
        !head && !(first->flags & SLI_TOK_ALLCAPS) && !(A->lex[t0] & W_PLACEPREFIX)) {
        int shape = 0;
        unsigned wf = sli_gaz_word(A->ctx, first->h);
        if ((wf & SLI_WORD_CAP) && !(wf & SLI_WORD_LOWER) && !sli_gaz_place(A->ctx, first->h))
            shape = 2; /* a given name: the word list has it only capitalised */
        for (unsigned k = 0; k + 1 < ntok; k++) {
            const sli_ent_tok *t = &A->tok[t0 + k];
            if ((t->flags & SLI_TOK_ABBR) && t->b - t->a == 2)
                shape = 3; /* an initial: "George W. Bush", "J. Smith" */
        }
        x->votes[T_PERSON] += shape;
    }
    *out = idx;
    return SL_OK;
}

/* The token after a run, past a possessive 's; NONE when none is joined to it. */
static size_t after_run(const art *A, size_t end)
{
    if (end < A->n && (A->tok[end].flags & SLI_TOK_POSS))
        end++;
    if (end < A->n && (A->tok[end].flags & (SLI_TOK_JOIN | SLI_TOK_POSS)) &&
        !(A->tok[end].flags & (SLI_TOK_SENT | SLI_TOK_COMMA)))
        return end;
    return NONE;
}

static sl_error add_mention(art *A, size_t s, size_t e)
{
    size_t ci;
    sl_error err = cand_of(A, s, (unsigned)(e - s), &ci);
    if (err)
        return err;
    cand *c = &A->c[ci];
    c->count++;
    /* in a list with the mention before ("X and Y", "X, Y") */
    if (A->last_cand != NONE && A->last_cand != ci &&
        ((s == A->last_end && (A->tok[s].flags & SLI_TOK_COMMA) &&
          !(A->tok[s].flags & SLI_TOK_SENT)) ||
         (s == A->last_end + 1 && (tok_is(A, s - 1, "and") || tok_is(A, s - 1, "or") ||
                                   (tok_is(A, s - 1, "to") && A->last_start > 0 &&
                                    tok_is(A, A->last_start - 1, "from"))) &&
          (A->tok[s].flags & SLI_TOK_JOIN) && (A->tok[s - 1].flags & SLI_TOK_JOIN)))) {
        size_t(*p)[2] = sli_grow_array(A->coord, &A->capcoord, A->ncoord + 1, sizeof *p, 8);
        if (!p)
            return SL_ERR_NOMEM;
        A->coord = p;
        p[A->ncoord][0] = A->last_cand;
        p[A->ncoord][1] = ci;
        A->ncoord++;
    }
    A->last_start = s;
    A->last_end = e;
    A->last_cand = ci;
    /* before it: a title, "CEO of", a place preposition */
    if (s > 0 && !(A->tok[s].flags & (SLI_TOK_SENT | SLI_TOK_COMMA | SLI_TOK_LPAREN))) {
        unsigned p = A->lex[s - 1];
        if (p & W_PERSONAL)
            c->votes[T_PERSON] += 4;
        else if (p & W_TITLE)
            c->votes[T_PERSON] += 3;
        if ((p & W_PLACEPREP) && !A->name[s - 1])
            c->votes[T_PLACE] += 1;
        if (s > 1 && tok_is(A, s - 1, "of") && (A->lex[s - 2] & W_ORGNEXT))
            c->votes[T_ORG] += 2;
        if (s > 1 && (tok_is(A, s - 1, "at") || tok_is(A, s - 1, "by")) && !c->gaz)
            c->votes[T_ORG] += 1;
        if (p & W_ORGPREV)
            c->votes[T_ORG] += 3;
        /* "the Pentagon", "the Northrop Grumman tanker": not a person */
        if (tok_is(A, s - 1, "the") && !(A->tok[s - 1].flags & SLI_TOK_CAP) && !c->gaz)
            c->votes[T_ORG] += 2;
    }
    /* an apposition: "Louis Gallois, the Airbus chief executive"; "Airbus, Europe's
     * biggest aircraft manufacturer" */
    if (e < A->n && (A->tok[e].flags & SLI_TOK_COMMA)) {
        for (size_t k = e; k < A->n && k < e + 6; k++) {
            if (k > e && (A->tok[k].flags & (SLI_TOK_SENT | SLI_TOK_COMMA | SLI_TOK_LPAREN)))
                break;
            unsigned q = A->lex[k];
            if (q & W_SAID || tok_is(A, k, "whose") || tok_is(A, k, "which"))
                break;
            if (q & W_TITLE) {
                c->votes[T_PERSON] += 2;
                break;
            }
            if (q & W_ORGPREV) {
                c->votes[T_ORG] += 2;
                break;
            }
        }
    }
    /* after it: CEO, officials, said; ", France" */
    size_t nx = after_run(A, e);
    if (nx != NONE) {
        unsigned q = A->lex[nx];
        if ((q & W_ORGNEXT) && !(A->name[nx] && !(q & W_TITLE)))
            c->votes[T_ORG] += 2;
        if ((q & W_SAID) && e - s >= 2 && !(A->tok[e].flags & SLI_TOK_POSS))
            c->votes[T_PERSON] += 1;
        /* "Heathrow airport" */
        if ((q & W_PLACESUFFIX) && !A->name[nx] && nx == e)
            c->votes[T_PLACE] += 2;
        /* "Toulouse in France" */
        if (tok_is(A, nx, "in") && nx == e && nx + 1 < A->n && A->name[nx + 1] &&
            (A->tok[nx + 1].flags & SLI_TOK_JOIN) &&
            (sli_gaz_place(A->ctx, A->tok[nx + 1].h) & (SLI_GAZ_COUNTRY | SLI_GAZ_REGION)) &&
            !c->gaz)
            c->votes[T_PLACE] += 2;
    }
    if (e < A->n && (A->tok[e].flags & SLI_TOK_COMMA) && A->name[e]) {
        /* "Mobile, Alabama": a place after a comma makes this one a place too */
        uint64_t h = SLI_NAME_HASH_INIT;
        for (size_t k = e; k < A->n && k < e + 3; k++) {
            if (k > e && !(A->tok[k].flags & SLI_TOK_JOIN))
                break;
            h = sli_name_hash_token(h, A->text + A->tok[k].a, A->tok[k].b - A->tok[k].a, k == e);
            unsigned g = sli_gaz_place(A->ctx, sli_name_hash_finish(h));
            if (g & (SLI_GAZ_COUNTRY | SLI_GAZ_REGION)) {
                size_t after = k + 1;
                if (after < A->n && (A->tok[after].flags & SLI_TOK_POSS))
                    break; /* "Airbus, Europe's biggest maker" */
                /* not a list of places ("France, Germany and Spain") if it is itself one */
                if (!c->gaz && (after >= A->n || !A->name[after] ||
                                !(A->tok[after].flags & SLI_TOK_JOIN)))
                    c->votes[T_PLACE] += 3;
                break;
            }
        }
    }
    /* "Name ( ACR )" */
    if (e + 1 < A->n && (A->tok[e].flags & SLI_TOK_LPAREN) && (A->tok[e].flags & SLI_TOK_ALLCAPS) &&
        ((A->tok[e + 1].flags & SLI_TOK_RPAREN) || e + 1 == A->n) && e - s >= 2 &&
        initials_match(A, s, (unsigned)(e - s), &A->tok[e])) {
        size_t ai;
        err = cand_of(A, e, 1, &ai);
        if (err)
            return err;
        size_t(*p)[2] = sli_grow_array(A->acr, &A->capacr, A->nacr + 1, sizeof *p, 8);
        if (!p)
            return SL_ERR_NOMEM;
        A->acr = p;
        p[A->nacr][0] = ci;
        p[A->nacr][1] = ai;
        A->nacr++;
        /* "European Union ( EU )" is one mention: the acronym there is not another */
        A->name[e] = 0;
    }
    return SL_OK;
}

static int ordinary(const art *A, size_t k)
{
    return !sli_gaz_has_words(A->ctx) || (sli_gaz_word(A->ctx, A->tok[k].h) & SLI_WORD_LOWER);
}

/* Whether the capitalised tokens from i (joined) end in an organisation suffix within the
 * run limit. With "and" (and_at: its token), the words on both sides must be ordinary
 * ones: "and" joins "Defence and Space Company", not "Boeing and Lockheed Martin Corp." or
 * "Microsoft Corp. and Alphabet Inc.". */
static int org_ahead_and(const art *A, size_t i, size_t and_at)
{
    if (and_at != NONE && (and_at == 0 || (A->lex[and_at - 1] & W_ORGSUFFIX) ||
                           !ordinary(A, and_at - 1)))
        return 0;
    for (size_t k = i; k < A->n && k < i + 4; k++) {
        if (k > i && !(A->tok[k].flags & SLI_TOK_JOIN))
            return 0;
        if (!A->name[k])
            return 0;
        if (and_at != NONE && !(A->lex[k] & W_ORGSUFFIX) && !ordinary(A, k))
            return 0;
        if ((A->lex[k] & W_ORGSUFFIX) &&
            (k + 1 >= A->n || !A->name[k + 1] || !(A->tok[k + 1].flags & SLI_TOK_JOIN)))
            return 1;
    }
    return 0;
}

static int org_ahead(const art *A, size_t i)
{
    return org_ahead_and(A, i, NONE);
}

/* A title word (President, CEO, General) that is part of a name: after "of" inside one
 * ("Secretary of State"), or before an organisation's suffix ("General Motors"). */
static int title_in_name(const art *A, size_t i, size_t run_start)
{
    if (i > run_start && (A->lex[i - 1] & W_CONN))
        return 1;
    /* last in a name and a surname too ("Martin Luther King"), not "Apple CEO" */
    if (i > run_start && !(A->tok[i].flags & SLI_TOK_ALLCAPS) &&
        (i + 1 >= A->n || !A->name[i + 1] || !(A->tok[i + 1].flags & SLI_TOK_JOIN)) &&
        (sli_gaz_word(A->ctx, A->tok[i].h) & SLI_WORD_CAP) &&
        !(A->lex[i] & (W_PERSONAL | W_ORGNEXT)))
        return 1;
    return org_ahead(A, i + 1) && (A->tok[i + 1].flags & SLI_TOK_JOIN);
}

/* Ordinary words between two title words are part of a title: "Chief Operating Officer". */
static int inside_title(const art *A, size_t s, size_t e)
{
    if (s == 0 || e >= A->n || !(A->lex[s - 1] & W_TITLE) || !(A->lex[e] & W_TITLE) ||
        !(A->tok[s].flags & SLI_TOK_JOIN) || !(A->tok[e].flags & SLI_TOK_JOIN) ||
        !sli_gaz_has_words(A->ctx))
        return 0;
    for (size_t k = s; k < e; k++)
        if (sli_gaz_word(A->ctx, A->tok[k].h) != SLI_WORD_LOWER)
            return 0;
    return 1;
}

static sl_error find_runs(art *A)
{
    size_t i = 0;
    while (i < A->n) {
        if (!A->name[i] || ((A->lex[i] & W_TITLE) && !title_in_name(A, i, i)) ||
            (A->lex[i] & W_CONN)) {
            i++;
            continue;
        }
        size_t s = i, e = i + 1;
        while (e < A->n && e - s < ENT_MAX_RUN) {
            const sli_ent_tok *t = &A->tok[e];
            if (!(t->flags & SLI_TOK_JOIN) || (t->flags & (SLI_TOK_POSS | SLI_TOK_SENT)))
                break;
            if (A->name[e] && !(A->lex[e] & W_CONN)) {
                if ((A->lex[e] & W_TITLE) && !title_in_name(A, e, s))
                    break;
                e++;
                continue;
            }
            if ((t->flags & SLI_TOK_DIGIT) && !(t->flags & SLI_TOK_ALPHA) && A->name[e - 1] &&
                !(A->tok[e - 1].flags & SLI_TOK_DIGIT)) {
                /* "Boeing 787": a model number after a name, not "in 2008" */
                size_t len = t->b - t->a;
                if (len >= 3 && len <= 4 && (A->text[t->a] == '1' || A->text[t->a] == '2'))
                    break; /* a year */
                e++;
                continue;
            }
            if (A->lex[e] & W_CONN) {
                /* "Bank of America", "Ministry of the Interior", "AT & T" */
                size_t k = e;
                if (tok_is(A, k, "of") && k + 1 < A->n && tok_is(A, k + 1, "the"))
                    k++;
                if (tok_is(A, k, "the") && k == e)
                    break;
                if (k + 1 < A->n && A->name[k + 1] && (A->tok[k + 1].flags & SLI_TOK_JOIN) &&
                    !(A->lex[k + 1] & W_CONN) &&
                    (!tok_is(A, e, "and") || org_ahead_and(A, k + 1, e)) && k + 1 - s < ENT_MAX_RUN) {
                    e = k + 1;
                    continue;
                }
            }
            break;
        }
        /* no connector at the end */
        while (e > s + 1 && (A->lex[e - 1] & W_CONN))
            e--;
        if (inside_title(A, s, e)) {
            i = e;
            continue;
        }
        sl_error err = add_mention(A, s, e);
        if (err)
            return err;
        i = e;
    }
    return SL_OK;
}

static size_t root_of(cand *c, size_t i)
{
    while (c[i].root != i)
        i = c[i].root;
    return i;
}

static int prelim_type(const cand *x)
{
    const int *v = x->votes;
    if (v[T_PLACE] > v[T_ORG] && v[T_PLACE] >= v[T_PERSON])
        return T_PLACE;
    if (v[T_PERSON] > v[T_ORG] && v[T_PERSON] > v[T_PLACE])
        return T_PERSON;
    return T_ORG;
}

/* Whether an organisation's first words stand for it: what follows them is a suffix or
 * names ("Apple" of "Apple Inc.", "Lockheed" of "Lockheed Martin"), not ordinary words
 * ("Boeing" of "Boeing Commercial Airplanes" is the parent, not the division). */
static int org_rest_ok(const art *A, const cand *x, unsigned from)
{
    for (unsigned k = from; k < x->ntok; k++) {
        size_t t = x->t0 + k;
        if (A->lex[t] & W_ORGSUFFIX)
            continue;
        if (A->tok[t].flags & (SLI_TOK_ALLCAPS | SLI_TOK_ABBR))
            continue;
        if (sli_gaz_word(A->ctx, A->tok[t].h) & SLI_WORD_LOWER)
            return 0;
    }
    return 1;
}

/* Short forms into the full names they are part of: the first or last words of a
 * person's name ("Kim", "Clyburn"), the first words of an organisation's ("Lockheed"
 * of "Lockheed Martin"). A short form that could be part of two names stays apart, and
 * so does a place inside an organisation's name ("United States" of "United States Air
 * Force"). */
static sl_error merge_aliases(art *A)
{
    if (A->nc < 2)
        return SL_OK;
    size_t *order = malloc(A->nc * sizeof *order);
    if (!order)
        return SL_ERR_NOMEM;
    for (size_t i = 0; i < A->nc; i++) {
        order[i] = i;
        A->c[i].type = prelim_type(&A->c[i]);
    }
    /* counting sort by length, longest first (lengths <= ENT_MAX_RUN) */
    {
        size_t k = 0;
        for (unsigned len = ENT_MAX_RUN; len >= 1; len--)
            for (size_t i = 0; i < A->nc; i++)
                if (A->c[i].ntok == len)
                    order[k++] = i;
    }
    u64map part = {0};
    sl_error e = sli_u64map_init(&part, A->nc * 4);
    const uint64_t AMBIG = UINT64_MAX;
    for (size_t oi = 0; !e && oi < A->nc; oi++) {
        size_t i = order[oi];
        cand *x = &A->c[i];
        if (x->ntok < 2 || x->digit || x->type == T_PLACE)
            continue;
        /* prefixes (and for people, suffixes) of the name */
        for (unsigned from = 0; !e && from < x->ntok; from++) {
            for (unsigned to = from + 1; !e && to <= x->ntok; to++) {
                if (to - from == x->ntok)
                    continue;
                int prefix = from == 0, suffix = to == x->ntok;
                int untyped = !x->votes[0] && !x->votes[1] && !x->votes[2] &&
                              !(A->tok[x->t0 + from].flags & SLI_TOK_ALLCAPS);
                if (!(prefix || (suffix && (x->type == T_PERSON || untyped))))
                    continue;
                if (A->lex[x->t0 + from] & W_CONN || A->lex[x->t0 + to - 1] & W_CONN)
                    continue;
                if (prefix && !suffix && x->type != T_PERSON && !org_rest_ok(A, x, to))
                    continue;
                uint64_t h = SLI_NAME_HASH_INIT;
                for (unsigned k = from; k < to; k++) {
                    const sli_ent_tok *t = &A->tok[x->t0 + k];
                    h = sli_name_hash_token(h, A->text + t->a, t->b - t->a, k == from);
                }
                h = sli_name_hash_finish(h);
                uint64_t *v;
                int added;
                e = sli_u64map_put(&part, h, &v, &added);
                if (e)
                    break;
                if (added)
                    *v = i + 1;
                else if (*v != AMBIG && *v != i + 1 && A->c[*v - 1].ntok == x->ntok)
                    *v = AMBIG;
            }
        }
    }
    for (size_t i = 0; !e && i < A->nc; i++) {
        cand *x = &A->c[i];
        const uint64_t *v = sli_u64map_get(&part, x->h);
        if (!v || *v == AMBIG || *v == i + 1)
            continue;
        size_t L = (size_t)*v - 1;
        if (x->gaz && A->c[L].type != T_PLACE)
            continue;
        if (x->digit)
            continue;
        /* "Lockheed" of "Lockheed Martin" is a first-word alias: an organisation's way;
         * "Clyburn" of "James Clyburn" a last-word one: a person's */
        const sli_ent_tok *lt = &A->tok[A->c[L].t0 + A->c[L].ntok - x->ntok];
        if (x->ntok == 1 && lt->h == x->h && A->tok[A->c[L].t0].h != x->h) {
            A->c[L].votes[T_PERSON] += 2;
            A->c[L].surname = 1;
        }
        else if (x->ntok == 1 && !(A->tok[x->t0].flags & SLI_TOK_ALLCAPS))
            A->c[L].votes[T_ORG] += 1;
        x->root = root_of(A->c, L);
    }
    sli_u64map_free(&part);
    free(order);
    return e;
}

static sl_error emit(art *A, sli_facts *out)
{
    /* acronyms introduced in parentheses join their names */
    for (size_t k = 0; k < A->nacr; k++) {
        size_t n = root_of(A->c, A->acr[k][0]), a = root_of(A->c, A->acr[k][1]);
        if (n == a || A->c[n].acr != NONE)
            continue;
        A->c[a].root = n;
        A->c[n].acr = A->acr[k][1];
    }
    for (size_t i = 0; i < A->nc; i++)
        A->c[i].full = A->c[i].count;
    /* pool counts and votes into the roots */
    for (size_t i = 0; i < A->nc; i++) {
        size_t r = root_of(A->c, i);
        if (r == i)
            continue;
        A->c[r].count += A->c[i].count;
        for (int t = 0; t < 3; t++)
            A->c[r].votes[t] += A->c[i].votes[t];
        A->c[i].count = 0;
    }
    /* a person's full name is printed once, then the surname; an organisation's name is
     * printed whole again and again: a full name repeated with no surname alias is less
     * likely a person's */
    for (size_t i = 0; i < A->nc; i++) {
        cand *x = &A->c[i];
        if (x->root == i && x->ntok >= 2 && !x->surname && x->full > 1)
            x->votes[T_ORG] += x->full - 1;
    }
    /* names in a list are of one kind: a confident one lends its type to the other */
    for (size_t k = 0; k < A->ncoord; k++) {
        size_t a = root_of(A->c, A->coord[k][0]), b = root_of(A->c, A->coord[k][1]);
        if (a == b)
            continue;
        for (int side = 0; side < 2; side++) {
            cand *from = &A->c[side ? b : a], *to = &A->c[side ? a : b];
            if (from->gaz & SLI_GAZ_DEMONYM)
                continue; /* "Airbus and German airline Lufthansa" */
            int t = prelim_type(from), top = from->votes[t], second = 0;
            for (int u = 0; u < 3; u++)
                if (u != t && from->votes[u] > second)
                    second = from->votes[u];
            if (top >= ENT_LIST_CONFIDENT && top - second >= ENT_LIST_CONFIDENT)
                to->cvotes[t] += ENT_LIST_VOTE;
        }
    }
    for (size_t i = 0; i < A->nc; i++)
        for (int t = 0; t < 3; t++)
            A->c[i].votes[t] += A->c[i].cvotes[t];
    char *nbuf = NULL;
    size_t bcap = 0;
    sl_error e = SL_OK;
    for (size_t i = 0; !e && i < A->nc; i++) {
        cand *x = &A->c[i];
        if (x->root != i || x->count == 0)
            continue;
        /* the name as printed, spaces collapsed, "(ACR)" after it */
        size_t a = A->tok[x->t0].a, b = A->tok[x->t0 + x->ntok - 1].b;
        size_t need = (b - a) + 16 + (x->acr != NONE ? A->tok[A->c[x->acr].t0].b - A->tok[A->c[x->acr].t0].a : 0);
        char *nb = sli_grow_array(nbuf, &bcap, need, 1, 64);
        if (!nb) {
            e = SL_ERR_NOMEM;
            break;
        }
        nbuf = nb;
        size_t len = 0;
        for (unsigned k = 0; k < x->ntok; k++) {
            const sli_ent_tok *t = &A->tok[x->t0 + k];
            if (k)
                nbuf[len++] = ' ';
            memcpy(nbuf + len, A->text + t->a, t->b - t->a);
            len += t->b - t->a;
        }
        if (x->acr != NONE) {
            const sli_ent_tok *t = &A->tok[A->c[x->acr].t0];
            nbuf[len++] = ' ';
            nbuf[len++] = '(';
            memcpy(nbuf + len, A->text + t->a, t->b - t->a);
            len += t->b - t->a;
            nbuf[len++] = ')';
        }
        static const sli_entity_type types[3] = {SLI_ENTITY_PERSON, SLI_ENTITY_ORG,
                                                 SLI_ENTITY_PLACE};
        e = sli_facts_add_entity(out, nbuf, len, types[prelim_type(x)], x->count);
    }
    free(nbuf);
    return e;
}

sl_error sli_entities_find(const sli_facts_ctx *ctx, const char *text, size_t len,
                           sli_facts *out)
{
    if (!out || (!text && len))
        return SL_ERR_INVALID;
    if (!len)
        return SL_OK;
    art A = {.ctx = ctx, .text = text, .len = len, .last_cand = NONE};
    u64map own = {0}; /* the lexicon map when the context has none */
    const u64map *lexmap = sli_gaz_lexmap(ctx);
    sl_error e = SL_OK;
    if (!lexmap) {
        e = sli_ent_lexicon_map(&own);
        lexmap = &own;
    }
    if (!e && sli_ent_tokenize(text, len, push_tok, &A))
        e = SL_ERR_NOMEM;
    if (!e && A.n) {
        A.lex = calloc(A.n, sizeof *A.lex);
        A.name = calloc(A.n, 1);
        if (!A.lex || !A.name)
            e = SL_ERR_NOMEM;
    }
    if (!e && A.n) {
        mark_title_case_lines(&A);
        e = mark_names(&A, lexmap);
    }
    if (!e)
        e = sli_u64map_init(&A.by_hash, 64);
    if (!e)
        e = find_runs(&A);
    if (!e)
        e = merge_aliases(&A);
    if (!e)
        e = emit(&A, out);
    sli_u64map_free(&own);
    sli_u64map_free(&A.by_hash);
    free(A.tok);
    free(A.lex);
    free(A.name);
    free(A.c);
    free(A.acr);
    free(A.coord);
    return e;
}

/* ---- several articles (an event) ---- */

/* The name's words: first and last token hashes and the count; *acr the hash of the
 * acronym in "Name (ACR)", 0 when none. */
static void name_ends(const char *s, uint64_t *first, uint64_t *last, size_t *ntok,
                      uint64_t *acr)
{
    size_t n = strlen(s), k = 0;
    *first = *last = *acr = 0;
    if (n > 3 && s[n - 1] == ')') {
        const char *open = strrchr(s, '(');
        if (open && open > s && open[-1] == ' ')
            *acr = sli_name_hash(open + 1, (size_t)(s + n - 1 - (open + 1)));
    }
    /* tokens separated by spaces; "(ACR)" at the end is not a word of the name */
    for (size_t i = 0; i < n;) {
        while (i < n && s[i] == ' ')
            i++;
        size_t a = i;
        while (i < n && s[i] != ' ')
            i++;
        if (i == a || s[a] == '(')
            continue;
        uint64_t h = token_hash(s, a, i);
        if (!k)
            *first = h;
        *last = h;
        k++;
    }
    *ntok = k;
}

/* *c += d, saturating at INT_MAX: an event's counts are summed over all its articles,
 * which no bound on one article's text keeps under INT_MAX. */
static void add_count(int *c, int d)
{
    if (d > 0 && *c > INT_MAX - d)
        *c = INT_MAX;
    else
        *c += d;
}

/* x, entity idx of acc, put in the index: its name (and the acronym it ends with) in
 * full, and its first and last words in ends. */
static sl_error index_entity(u64map *full, u64map *ends, const sli_entity *x, size_t idx)
{
    const uint64_t AMBIG = UINT64_MAX;
    uint64_t *v;
    sl_error e = sli_u64map_put(full, sli_name_hash(x->name, strlen(x->name)), &v, NULL);
    if (e)
        return e;
    if (!*v)
        *v = idx + 1;
    uint64_t f, l, acr;
    size_t k;
    name_ends(x->name, &f, &l, &k, &acr);
    if (acr) {
        /* the acronym alone stands for it */
        e = sli_u64map_put(full, acr, &v, NULL);
        if (e)
            return e;
        if (!*v)
            *v = idx + 1;
    }
    if (k > 1) {
        for (int end = 0; end < 2 && !e; end++) {
            if (end == 1 && x->type != SLI_ENTITY_PERSON)
                break; /* an organisation's short form is its first word */
            int added;
            e = sli_u64map_put(ends, (end ? l : f) * 3 + (uint64_t)x->type, &v, &added);
            if (!e && (added || !*v))
                *v = idx + 1;
            else if (!e && *v != idx + 1)
                *v = AMBIG;
        }
    }
    return e;
}

/* Room for the state's per-entity and rename arrays. */
static sl_error merge_room(sli_entity_merge *m, size_t entities, size_t renames)
{
    if (entities > m->cap_first) {
        size_t cap = 2 * entities + 16;
        char **f = realloc(m->first, cap * sizeof *f);
        if (!f)
            return SL_ERR_NOMEM;
        memset(f + m->cap_first, 0, (cap - m->cap_first) * sizeof *f);
        m->first = f;
        m->cap_first = cap;
    }
    struct sli_entity_rename *r =
        renames ? sli_grow_array(m->renames, &m->cap_renames, renames, sizeof *r, 16)
                : m->renames;
    if (renames && !r)
        return SL_ERR_NOMEM;
    m->renames = r;
    return SL_OK;
}

/* t takes the fuller name x->name and x's count; the name's hash h is indexed to it (and
 * noted: the index is remade from the first names and these, see
 * sli_entity_merge_load). */
static sl_error take_name(sli_entity_merge *m, sli_entity *t, const sli_entity *x, uint64_t h)
{
    sli_facts *acc = &m->acc;
    size_t idx = (size_t)(t - acc->entities);
    sl_error e = merge_room(m, acc->n_entities, m->n_renames + 1);
    char *nm = e ? NULL : malloc(strlen(x->name) + 1);
    if (!nm)
        return SL_ERR_NOMEM;
    strcpy(nm, x->name);
    if (!m->first[idx])
        m->first[idx] = t->name; /* the name it was indexed by */
    else
        free(t->name);
    t->name = nm;
    add_count(&t->count, x->count);
    uint64_t *v2;
    e = sli_u64map_put(&m->full, h, &v2, NULL);
    if (!e) {
        *v2 = idx + 1;
        m->renames[m->n_renames++] = (struct sli_entity_rename){h, idx};
    }
    return e;
}

sl_error sli_entities_merge_more(sli_entity_merge *m, const sli_entity *ents, size_t n)
{
    /* full name -> index + 1; (type, first word) and (type, last word) of the several-word
     * names -> index + 1 (UINT64_MAX when two names share it) */
    sli_facts *acc = &m->acc;
    u64map *full = &m->full, *ends = &m->ends;
    const uint64_t AMBIG = UINT64_MAX;
    if (n && ents == acc->entities)
        return SL_ERR_INVALID; /* the array would move under us */
    sl_error e = SL_OK;
    for (size_t i = 0; !e && i < n; i++) {
        const sli_entity *x = &ents[i];
        uint64_t h = sli_name_hash(x->name, strlen(x->name));
        uint64_t *v = sli_u64map_get(full, h);
        if (v) {
            add_count(&acc->entities[*v - 1].count, x->count);
            continue;
        }
        uint64_t f, l, acr;
        size_t k;
        name_ends(x->name, &f, &l, &k, &acr);
        if (acr) {
            /* "European Union (EU)" after "EU": the same */
            const uint64_t *p = sli_u64map_get(full, acr);
            if (p && acc->entities[*p - 1].type == x->type) {
                e = take_name(m, &acc->entities[*p - 1], x, h);
                continue;
            }
        }
        if (k == 1) {
            /* a short form of a fuller name there */
            const uint64_t *p = sli_u64map_get(ends, f * 3 + (uint64_t)x->type);
            if (p && *p != AMBIG) {
                add_count(&acc->entities[*p - 1].count, x->count);
                continue;
            }
        }
        if (k > 1) {
            /* a fuller name of a short form there: it takes the fuller name */
            const uint64_t *p1 = sli_u64map_get(full, f);
            const uint64_t *p2 = sli_u64map_get(full, l);
            const uint64_t *p = p1 ? p1 : p2;
            if (p && acc->entities[*p - 1].type == x->type &&
                (x->type == SLI_ENTITY_PERSON || p == p1)) {
                e = take_name(m, &acc->entities[*p - 1], x, h);
                continue;
            }
        }
        e = merge_room(m, acc->n_entities + 1, 0);
        if (!e)
            e = sli_facts_add_entity(acc, x->name, strlen(x->name), x->type, x->count);
        if (!e)
            e = index_entity(full, ends, &acc->entities[acc->n_entities - 1],
                             acc->n_entities - 1);
    }
    return e;
}

static void forget_first(sli_entity_merge *m)
{
    for (size_t i = 0; i < m->cap_first; i++) {
        free(m->first[i]);
        m->first[i] = NULL;
    }
    m->n_renames = 0;
}

void sli_entity_merge_clear(sli_entity_merge *m)
{
    sli_facts_clear(&m->acc);
    sli_u64map_clear(&m->full);
    sli_u64map_clear(&m->ends);
    forget_first(m);
}

void sli_entity_merge_free(sli_entity_merge *m)
{
    sli_facts_clear(&m->acc);
    sli_u64map_free(&m->full);
    sli_u64map_free(&m->ends);
    forget_first(m);
    free(m->first);
    free(m->renames);
    memset(m, 0, sizeof *m);
}

sl_error sli_entities_merge(sli_facts *acc, const sli_entity *ents, size_t n)
{
    if (n && ents == acc->entities)
        return SL_ERR_INVALID; /* the array would move under us */
    sli_entity_merge m = {.acc = *acc};
    sl_error e = sli_u64map_init(&m.full, acc->n_entities + n);
    if (!e)
        e = sli_u64map_init(&m.ends, 2 * (acc->n_entities + n));
    for (size_t i = 0; !e && i < acc->n_entities; i++)
        e = index_entity(&m.full, &m.ends, &acc->entities[i], i);
    if (!e)
        e = sli_entities_merge_more(&m, ents, n);
    *acc = m.acc;
    m.acc = (sli_facts){0};
    sli_entity_merge_free(&m);
    return e;
}

/* ---- the merge's state as bytes (the event's entity memo) ----
 * The index is not saved: it is what indexing each entity by the name it came with
 * (index_entity, in order) makes, then each rename's hash set to its entity. That holds
 * because a rename's hash was absent from the index when it was set (else the name had
 * been found, not renamed to), index_entity never replaces a value the index has, and
 * renames never touch the index of words (ends).
 * "EM2", then varints: the entities (count, then each: type, count, name length, name,
 * and the length of the name it came with and that name when it was renamed, else 0),
 * the renames (count, then each: the hash as 8 bytes little-endian, the entity). */
static sl_error put_name(struct buf *out, const char *s)
{
    size_t len = s ? strlen(s) : 0;
    sl_error e = sli_buf_put_varint(out, len);
    return e || !len ? e : sli_buf_append(out, s, len);
}

sl_error sli_entity_merge_save(const sli_entity_merge *m, struct buf *out)
{
    sl_error e = sli_buf_append(out, "EM2", 3);
    if (!e)
        e = sli_buf_put_varint(out, m->acc.n_entities);
    for (size_t i = 0; !e && i < m->acc.n_entities; i++) {
        const sli_entity *x = &m->acc.entities[i];
        e = sli_buf_put_varint(out, (uint64_t)x->type);
        if (!e)
            e = sli_buf_put_varint(out, (uint64_t)x->count);
        if (!e)
            e = put_name(out, x->name);
        if (!e)
            e = put_name(out, i < m->cap_first ? m->first[i] : NULL);
    }
    if (!e)
        e = sli_buf_put_varint(out, m->n_renames);
    for (size_t i = 0; !e && i < m->n_renames; i++) {
        unsigned char b[8];
        for (int k = 0; k < 8; k++)
            b[k] = (unsigned char)(m->renames[i].hash >> (8 * k));
        e = sli_buf_append(out, (const char *)b, 8);
        if (!e)
            e = sli_buf_put_varint(out, m->renames[i].entity);
    }
    return e;
}

/* A name of 1 .. end - *p bytes with no NUL (len 0: none, when allowed). */
static int get_name(const unsigned char **p, const unsigned char *end, int optional,
                    const char **s, size_t *len)
{
    uint64_t n;
    if (!sli_varint_get(p, end, &n) || n > (uint64_t)(end - *p) || (!n && !optional) ||
        memchr(*p, '\0', (size_t)n))
        return 0;
    *s = (const char *)*p;
    *len = (size_t)n;
    *p += n;
    return 1;
}

sl_error sli_entity_merge_load(sli_entity_merge *m, const void *data, size_t len, int *ok)
{
    *ok = 0;
    sli_entity_merge_clear(m);
    const unsigned char *p = data, *end = p + len;
    uint64_t n = 0, nr = 0;
    sl_error e = SL_OK;
    int good = len >= 3 && !memcmp(p, "EM2", 3);
    if (good) {
        p += 3;
        good = sli_varint_get(&p, end, &n) && n <= (uint64_t)(end - p) / 4;
    }
    if (good)
        e = merge_room(m, (size_t)n, 0);
    for (uint64_t i = 0; good && !e && i < n; i++) {
        uint64_t type, count;
        const char *name, *first;
        size_t nl, fl;
        good = sli_varint_get(&p, end, &type) && type <= SLI_ENTITY_PLACE &&
               sli_varint_get(&p, end, &count) && count <= INT_MAX &&
               get_name(&p, end, 0, &name, &nl) && get_name(&p, end, 1, &first, &fl);
        if (good)
            e = sli_facts_add_entity(&m->acc, name, nl, (sli_entity_type)type, (int)count);
        if (good && !e && fl) {
            m->first[i] = malloc(fl + 1);
            if (!m->first[i])
                e = SL_ERR_NOMEM;
            else {
                memcpy(m->first[i], first, fl);
                m->first[i][fl] = '\0';
            }
        }
    }
    if (good && !e)
        good = sli_varint_get(&p, end, &nr) && nr <= (uint64_t)(end - p) / 9;
    if (good && !e)
        e = merge_room(m, (size_t)n, (size_t)nr);
    for (uint64_t i = 0; good && !e && i < nr; i++) {
        uint64_t h = 0, at;
        if (end - p < 8) { /* the count's bound allowed 1-byte indexes: these were longer */
            good = 0;
            break;
        }
        for (int k = 0; k < 8; k++)
            h |= (uint64_t)p[k] << (8 * k);
        p += 8;
        good = sli_varint_get(&p, end, &at) && at < n;
        if (good)
            m->renames[m->n_renames++] = (struct sli_entity_rename){h, (size_t)at};
    }
    good = good && p == end;
    /* the index, as the merge made it */
    for (size_t i = 0; good && !e && i < (size_t)n; i++) {
        sli_entity x = m->acc.entities[i];
        if (m->first[i])
            x.name = m->first[i];
        e = index_entity(&m->full, &m->ends, &x, i);
    }
    for (size_t i = 0; good && !e && i < m->n_renames; i++) {
        uint64_t *v;
        e = sli_u64map_put(&m->full, m->renames[i].hash, &v, NULL);
        if (!e)
            *v = m->renames[i].entity + 1;
    }
    if (good && !e) {
        *ok = 1;
        return SL_OK;
    }
    sli_entity_merge_clear(m); /* damaged, or out of memory */
    return e;
}
