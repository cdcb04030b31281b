/* classify.c — labelling the lines of an article: hard signals first (wording,
 * repetition, duplicates), then prose classes smoothed by their context (after jusText's
 * paragraph classifier), then the end of the article and topic continuity; the metadata
 * lines (date, byline, credit, headline) are picked last, in meta_article.c. */
#include "clean.h"

#include <stdlib.h>
#include <string.h>

#include "../core/u64map.h"
#include "../core/utf8.h"
#include "../ingest/ingest.h" /* html_hint.h: the DOM hint per line */
#include "label.h"
#include "lexicon.h"


/* Thresholds. Lengths in characters, densities as stop words per word. */
#define LENGTH_LOW 70
#define LENGTH_HIGH 200
#define STOP_LOW 0.22
#define STOP_HIGH 0.26
/* A line in CLEAN_TEMPLATE_MIN articles of its source (clean.h) and this share of them is
 * its template. */
#define TEMPLATE_SHARE 0.2
/* A short line (this many words at most) printed by CLEAN_COMMON_SOURCES sources is
 * generic furniture. */
#define COMMON_MAX_WORDS 12


/* The three kinds of issue 21 (docs/clean.md "Pages from sites never seen"); each can be
 * turned off to measure it (bench/clean_cv.sh, which also varies the constants below). */
#ifndef KIND_CALLS
#define KIND_CALLS 1 /* promotions: an imperative call naming a channel (lexicon.c) */
#endif
#ifndef KIND_RATING
#define KIND_RATING 1 /* a notice rating the site, at the end of the article */
#endif
#ifndef KIND_AFTER_FURNITURE
#define KIND_AFTER_FURNITURE 1 /* a whole sentence right after furniture is judged alone */
#endif
#ifndef COMMENT_STAMPS
#define COMMENT_STAMPS 1 /* a handle over a relative time stamp heads readers' comments */
#endif
#define COMMENT_HANDLE_WORDS 3
#define COMMENT_AFTER_PARAS 3 /* paragraphs of the article before a comment's head ends it */
#ifndef BOX_ITEMS
#define BOX_ITEMS 4 /* at most this many headlines in a box inside the article (0: off) */
#endif
#ifndef TEASER_MIN_PAIRS
#define TEASER_MIN_PAIRS 2 /* headline/teaser pairs in a run (0: the rule is off) */
#endif
#ifndef TEASER_HEADS
#define TEASER_HEADS 2 /* headline lines of one story at most (its headline, its author) */
#endif
#ifndef TOPIC_MIN_LINES
#define TOPIC_MIN_LINES 1 /* a topic term is in this many body lines outside the run */
#endif

/* --- hard signals --- */

/* Pipes and chevrons between short items: a menu or a breadcrumb trail. */
static int menu_like(const char *s, const clean_line *l)
{
    int seps = 0;
    for (size_t i = 0; i + 1 < l->len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '|' || (c == 0xC2 && (unsigned char)s[i + 1] == 0xBB) /* » */ ||
            (c == 0xE2 && i + 2 < l->len && (unsigned char)s[i + 1] == 0x80 &&
             (unsigned char)s[i + 2] == 0xBA) /* › */ ||
            (c == ' ' && (s[i + 1] == '>' || s[i + 1] == '/') && i + 2 < l->len && s[i + 2] == ' '))
            seps++;
    }
    return seps >= 2 || (seps == 1 && l->words <= 8 && !l->sentence_end);
}

/* Whether a line reads as running text, which furniture labels never judge (news
 * sentences open with "Telegram", "Cookie", "Copyright"). The method: a line is prose when
 *   - it opens like a sentence: with a letter, a digit or a quotation mark, not with a
 *     symbol or a bracket ("\xc2\xa9 2024 ...", "(Photo: ...)", "| Share", "\xe2\x80\x94 AFP"); and
 *   - it is either a whole sentence, as the context step counts one (sentence punctuation
 *     at its end, at least SENTENCE_WORDS words of which SENTENCE_STOPS stop words), or a
 *     long line of prose by the jusText measures used for the prose classes below
 *     (more than LENGTH_HIGH characters, stop-word share at least STOP_LOW). */
#define SENTENCE_WORDS 6
#define SENTENCE_STOPS 2
static int opens_like_sentence(const char *s, size_t n)
{
    unsigned char c = n ? (unsigned char)s[0] : 0;
    if ((c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || c == '"' || c == '\'')
        return 1;
    if (c < 0x80)
        return 0;
    size_t len;
    unsigned cp = sli_utf8_decode((const unsigned char *)s, n, &len);
    if (cp == 0x201C || cp == 0x2018 || cp == 0x00AB || cp == 0x201E) /* \u201c \u2018 \u00ab \u201e */
        return 1;
    /* Letters of other scripts; not Latin-1 symbols (\u00a9, \u00bb, ...), general
     * punctuation (dashes, bullets), arrows and other symbols up to U+2BFF. */
    return !(cp < 0xC0 || (cp >= 0x2000 && cp < 0x2C00) || cp == 0xD7 || cp == 0xF7 ||
             cp == 0xFFFD);
}

static int whole_sentence(const clean_line *l)
{
    return l->sentence_end && l->words >= SENTENCE_WORDS && l->stops >= SENTENCE_STOPS;
}

static int prose_line(const char *s, const clean_line *l)
{
    if (!opens_like_sentence(s, l->len))
        return 0;
    return whole_sentence(l) ||
           (l->chars > LENGTH_HIGH && l->words && (double)l->stops / l->words >= STOP_LOW);
}

/* Out of memory is an error, never a skipped signal: without the repetition counts or
 * the set of lines seen, templates and duplicates would be kept as body. */
static sl_error hard_signals(const char *raw, const clean_input *in, clean_result *r)
{
    clean_repeats *rep = NULL;
    if (in->lookup && r->n) {
        uint64_t *hashes = malloc(r->n * sizeof *hashes);
        rep = calloc(r->n, sizeof *rep);
        if (!hashes || !rep) {
            free(hashes);
            free(rep);
            return SL_ERR_NOMEM;
        }
        for (size_t i = 0; i < r->n; i++)
            hashes[i] = r->lines[i].hash;
        in->lookup(in->user, hashes, r->n, rep);
        free(hashes);
    }
    u64map seen;
    if (sli_u64map_init_set(&seen, r->n)) {
        free(rep);
        return SL_ERR_NOMEM;
    }
    sl_error err = SL_OK;
    long template_min = CLEAN_TEMPLATE_MIN;
    if ((double)in->source_articles * TEMPLATE_SHARE > template_min)
        template_min = (long)((double)in->source_articles * TEMPLATE_SHARE);

    for (size_t i = 0; i < r->n; i++) {
        clean_line *l = &r->lines[i];
        const char *s = raw + l->start;
        const char *phrase;
        l->label = CLEAN_BODY;
        l->why = NULL;
        int added = 0;
        if (sli_u64map_put(&seen, l->hash, NULL, &added)) {
            err = SL_ERR_NOMEM;
            break;
        }
        if (!added) {
            set_label(l, CLEAN_DUPLICATE, "printed earlier in this article", NULL);
        } else if (rep && rep[i].same_source >= template_min) {
            set_label(l, CLEAN_TEMPLATE, "in many articles of this source", NULL);
        } else if (rep && rep[i].sources >= CLEAN_COMMON_SOURCES &&
                   l->words <= COMMON_MAX_WORDS) {
            set_label(l, CLEAN_COMMON, "short line printed by many sources", NULL);
        } else if ((phrase = sli_lex_furniture(s, l->len, prose_line(s, l)))) {
            set_label(l, CLEAN_FURNITURE, "furniture wording", phrase);
        } else if (KIND_CALLS && (phrase = sli_lex_channel_call(s, l->len, prose_line(s, l)))) {
            set_label(l, CLEAN_FURNITURE, "a promotion: imperative and channel", phrase);
        } else if (menu_like(s, l)) {
            set_label(l, CLEAN_BOILER, "pipes or chevrons: a menu or trail", NULL);
        } else if (l->words == 0) {
            set_label(l, CLEAN_BOILER, "no words", NULL);
        }
    }
    sli_u64map_free(&seen);
    free(rep);
    return err;
}

/* --- prose classes and their context --- */

static int prose_class(const clean_line *l)
{
    if (l->cjk * 2 >= l->chars && l->chars > 0) {
        /* Chinese or Japanese: no spaces, so no words to count; sentences and their
         * length tell prose instead (a CJK character carries about two letters' worth). */
        if (l->chars < LENGTH_LOW / 3)
            return CLS_SHORT;
        if (l->sentence_end)
            return l->chars > LENGTH_HIGH / 3 ? CLS_GOOD : CLS_NEARGOOD;
        return l->chars > LENGTH_HIGH / 2 ? CLS_NEARGOOD : CLS_BAD;
    }
    double density = l->words ? (double)l->stops / l->words : 0;
    if (l->chars < LENGTH_LOW)
        return CLS_SHORT;
    if (density >= STOP_HIGH) {
        /* News writes short paragraphs: a whole sentence of some length is prose. */
        if (l->chars > LENGTH_HIGH || (l->sentence_end && l->words >= 15))
            return CLS_GOOD;
        return CLS_NEARGOOD;
    }
    if (density >= STOP_LOW || (l->sentence_end && l->words >= 8 && density >= 0.1))
        return CLS_NEARGOOD;
    return CLS_BAD;
}

/* A run of short lines that are not sentences is a list (a menu, a list of headlines or
 * links), whatever surrounds it: it never takes its class from the prose around it. */
#define LIST_MIN_RUN 3
#define LIST_WHY "in a list of short lines"
static int list_item(const clean_line *l)
{
    return l->chars < LENGTH_LOW && !l->sentence_end;
}

static void lists(clean_result *r, int *cls)
{
    size_t n = r->n;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        /* Lines already labelled by a hard signal do not break a list. */
        while (j < n && (list_item(&r->lines[j]) || cls[j] == CLS_SKIP))
            j++;
        size_t items = 0;
        for (size_t k = i; k < j; k++)
            items += r->lines[k].label == CLEAN_BODY;
        if (items >= LIST_MIN_RUN)
            for (size_t k = i; k < j; k++)
                if (r->lines[k].label == CLEAN_BODY) {
                    cls[k] = CLS_BAD;
                    set_label(&r->lines[k], CLEAN_BOILER, LIST_WHY, NULL);
                    r->lines[k].soft = 1; /* by shape: it may still be the headline */
                }
        i = j > i ? j : i + 1;
    }
}

/* For every line, the class of the nearest line before it (dir -1) or after it (dir +1)
 * that is not short (nor near-good if ignore_neargood); bad past the ends. One sweep, so
 * long runs of short lines cost no more than their length. */
static void nearest(const int *cls, size_t n, int dir, int ignore_neargood, int *out)
{
    int last = CLS_BAD;
    for (size_t k = 0; k < n; k++) {
        size_t i = dir < 0 ? k : n - 1 - k;
        out[i] = last;
        int c = cls[i];
        if (c != CLS_SHORT && c != CLS_SKIP && !(ignore_neargood && c == CLS_NEARGOOD))
            last = c;
    }
}

static sl_error context(const char *raw, clean_result *r)
{
    size_t n = r->n;
    size_t m = n ? n : 1;
    if (r->ints_cap < 6 * m) {
        int *v = realloc(r->ints, 6 * m * sizeof *v);
        if (!v)
            return SL_ERR_NOMEM;
        r->ints = v;
        r->ints_cap = 6 * m;
    }
    int *cls = r->ints;
    int *next = cls + m, *prev_far = cls + 2 * m, *next_far = cls + 3 * m;
    int *prev_near = cls + 4 * m, *next_near = cls + 5 * m;
    for (size_t i = 0; i < n; i++) {
        const clean_line *l = &r->lines[i];
        cls[i] = l->label == CLEAN_BODY  ? prose_class(l)
                 : l->chars < LENGTH_LOW ? CLS_SKIP
                                         : CLS_BAD;
    }
    lists(r, cls);
    memcpy(next, cls, n * sizeof *cls);
    nearest(cls, n, -1, 1, prev_far);
    nearest(cls, n, +1, 1, next_far);
    nearest(cls, n, -1, 0, prev_near);
    nearest(cls, n, +1, 0, next_near);
    for (size_t i = 0; i < n; i++) {
        if (cls[i] != CLS_SHORT)
            continue;
        int p = prev_far[i], q = next_far[i];
        const clean_line *l = &r->lines[i];
        /* A short whole sentence next to prose is the article's last (or first) word. */
        int sentence = whole_sentence(l);
        if ((p == CLS_GOOD && q == CLS_GOOD) || (sentence && (p == CLS_GOOD || q == CLS_GOOD)))
            next[i] = CLS_GOOD;
        else if (p == CLS_BAD && q == CLS_BAD)
            next[i] = CLS_BAD;
        else if ((p == CLS_BAD && prev_near[i] == CLS_NEARGOOD) ||
                 (q == CLS_BAD && next_near[i] == CLS_NEARGOOD))
            next[i] = CLS_GOOD;
        else
            next[i] = CLS_BAD;
    }
    memcpy(cls, next, n * sizeof *cls);
    nearest(cls, n, -1, 1, prev_far);
    nearest(cls, n, +1, 1, next_far);
    for (size_t i = 0; i < n; i++) {
        if (cls[i] != CLS_NEARGOOD)
            continue;
        next[i] = (prev_far[i] == CLS_BAD && next_far[i] == CLS_BAD) ? CLS_BAD : CLS_GOOD;
    }
    /* Prose right after a single furniture line ("Also read | <a headline>", "READ MORE:
     * ...") is judged on its own: the whole sentences that follow it, opening like
     * sentences, are prose, whatever stood before the furniture. Decided after the
     * smoothing, so they lend their class to no neighbour (an embedded post next to them
     * keeps its own). */
    for (size_t i = 1; KIND_AFTER_FURNITURE && i < n; i++) {
        if (r->lines[i - 1].label != CLEAN_FURNITURE ||
            (i >= 2 && r->lines[i - 2].label == CLEAN_FURNITURE))
            continue;
        for (size_t k = i; k < n; k++) {
            const clean_line *l = &r->lines[k];
            if (l->label != CLEAN_BODY || prose_class(l) == CLS_BAD || !whole_sentence(l) ||
                !opens_like_sentence(raw + l->start, l->len))
                break;
            next[k] = CLS_GOOD;
        }
    }
    for (size_t i = 0; i < n; i++) {
        clean_line *l = &r->lines[i];
        l->cls = next[i];
        if (l->label != CLEAN_BODY)
            continue;
        int orig = prose_class(l);
        if (next[i] != CLS_GOOD) {
            set_label(l, CLEAN_BOILER,
                orig == CLS_SHORT      ? "short, among non-prose lines"
                : orig == CLS_NEARGOOD ? "little prose, among non-prose lines"
                                       : "not prose (few stop words)",
                NULL);
            l->soft = 1;
        }
    }
    return SL_OK;
}

/* --- the end of the article, and topic continuity --- */

static int alnum(unsigned char c)
{
    return c >= 0x80 || ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9');
}

/* The next content word of s[*i..n) (not a stop word, 3+ bytes), hashed
 * case-insensitively (FNV-1a: words are short, and this runs for every word of the lines
 * it checks); 0 at the end. */
static int next_content_word(const char *s, size_t n, size_t *at, uint64_t *hash)
{
    size_t i = *at;
    while (i < n) {
        while (i < n && !alnum((unsigned char)s[i]))
            i++;
        size_t w = i;
        while (i < n && alnum((unsigned char)s[i]))
            i++;
        if (i - w < 3 || sli_lex_is_stopword(s + w, i - w))
            continue;
        uint64_t x = 0xcbf29ce484222325ull;
        for (size_t j = w; j < i; j++) {
            unsigned char c = (unsigned char)s[j];
            x = (x ^ (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c)) * 0x100000001b3ull;
        }
        *at = i;
        *hash = x;
        return 1;
    }
    *at = i;
    return 0;
}

/* Content words of a line: added to the set h (add), or counted (*total) and looked up
 * in it (*found). */
static sl_error content_words(const char *s, size_t n, u64map *h, int add, int *total,
                              int *found)
{
    size_t i = 0;
    uint64_t x;
    while (next_content_word(s, n, &i, &x)) {
        if (add) {
            if (sli_u64map_put(h, x, NULL, NULL))
                return SL_ERR_NOMEM;
        } else {
            (*total)++;
            *found += sli_u64map_has(h, x);
        }
    }
    return SL_OK;
}

typedef struct topic_set {
    const char *raw;
    const clean_result *r;
    size_t a, b; /* the main run */
    int built;
    u64map words;
} topic_set;

/* How many of the line's content words there are, and how many are in the topic. */
static sl_error topic_overlap(topic_set *t, const clean_line *l, int *total, int *found)
{
    if (!t->built) {
        if (sli_u64map_init_set(&t->words, 256))
            return SL_ERR_NOMEM;
        t->built = 1;
        for (size_t i = t->a; i < t->b; i++)
            if (t->r->lines[i].label == CLEAN_BODY) {
                sl_error err = content_words(t->raw + t->r->lines[i].start,
                                             t->r->lines[i].len, &t->words, 1, NULL, NULL);
                if (err)
                    return err;
            }
    }
    return content_words(t->raw + l->start, l->len, &t->words, 0, total, found);
}

/* --- runs of other stories' headlines and teasers (issue 21, kind 1) --- */

/* A block of links to other stories (a headline, a one-line teaser, a headline, a
 * teaser, ...) inside or around the article reads line by line like the article: the
 * teasers are sentences, the headlines short lines between prose. What gives it away is
 * the shape of the run and its subject: pairs of a short line that is no sentence and a
 * sentence of one line, about things the article does not speak of. A run of at least
 * TEASER_MIN_PAIRS such pairs is judged as a whole against the article's terms (the
 * content words of its body lines outside every run, in at least TOPIC_MIN_LINES of
 * them): a run whose lines together share fewer than 30% of their content words with
 * them (the share the off-topic rule asks of prose outside the main run) is dropped,
 * every line of it. The article's own
 * subheadings over short paragraphs, or a list inside it, share its terms and stay. Only
 * while the body outside the runs is the larger part: a page made of such pairs is judged
 * by the other rules. */
static int teaser_headline(const char *raw, const clean_line *l)
{
    return (l->label == CLEAN_BODY || (l->label == CLEAN_BOILER && l->soft)) && l->words >= 2 &&
           l->chars < LENGTH_HIGH && !l->sentence_end &&
           opens_like_sentence(raw + l->start, l->len);
}

/* A teaser states: it ends with a full stop or an ellipsis, not a question or a cry (a
 * question of an interview, a reader's exclamation). */
static int teaser_line(const char *raw, const clean_line *l)
{
    if (!((l->label == CLEAN_BODY || (l->label == CLEAN_BOILER && l->soft)) &&
          l->sentence_end && l->words >= SENTENCE_WORDS && l->chars <= CLEAN_COUNTED_CHARS))
        return 0;
    return sli_lex_states_end(raw + l->start, l->len);
}

/* A story flattened onto one line: its headline run into its teaser with no space
 * between ("... In Northern MichiganMichigan officers said ..."). The glue is an ASCII
 * capital that opens a word (a lower-case letter or a space after it) right after a
 * lower-case letter, a digit or a headline's closing mark (? ! . quote) that ends a word
 * of GLUE_MIN_LETTERS or more characters (not "Mc|Donald"); before it, a headline: at
 * least GLUE_HEAD_WORDS words, shorter than LENGTH_HIGH, two in three of its words that
 * open with a letter opening with a capital (headline case); after it, a teaser of at
 * least SENTENCE_WORDS words in sentence case; the whole line CLEAN_COUNTED_CHARS at most. */
#ifndef GLUED_STORIES
#define GLUED_STORIES 1 /* stories glued onto one line are stories of a teaser run */
#endif
#ifndef GLUED_DATELINES
#define GLUED_DATELINES 1 /* the glue may be the teaser's dateline */
#endif
#define GLUE_MIN_LETTERS 3
#define GLUE_HEAD_WORDS 3
#define GLUE_TAIL_WORDS 6
/* The other glue: a headline, then its teaser's dateline in capitals ("... fraud scheme
 * in US NEW YORK: An Indian-origin man ..."): after GLUE_HEAD_WORDS words or more, a run of
 * capitals, spaces, dots and hyphens with GLUE_DATELINE_LETTERS letters or more (not
 * "FBI:"), then a colon, a space and a capital, a digit or a quotation mark. An article
 * opens its own first paragraph with its dateline; in the middle of a line, one is
 * another story's. */
#define GLUE_DATELINE_LETTERS 5
static int glued_dateline(const char *s, size_t n)
{
    int words = 0, sp = 1;
    for (size_t g = 0; g < n && g < LENGTH_HIGH; g++) {
        unsigned char c = (unsigned char)s[g];
        if (c == ' ') {
            sp = 1;
            continue;
        }
        if (!sp)
            continue;
        sp = 0;
        if (words++ < GLUE_HEAD_WORDS || c < 'A' || c > 'Z')
            continue;
        size_t k = g;
        int letters = 0;
        while (k < n && ((s[k] >= 'A' && s[k] <= 'Z') || s[k] == ' ' || s[k] == '.' ||
                         s[k] == '-'))
            letters += s[k++] >= 'A';
        if (letters >= GLUE_DATELINE_LETTERS && k + 2 < n && s[k] == ':' && s[k + 1] == ' ' &&
            ((s[k + 2] >= 'A' && s[k + 2] <= 'Z') || (s[k + 2] >= '0' && s[k + 2] <= '9') ||
             s[k + 2] == '"' || (unsigned char)s[k + 2] == 0xE2))
            return 1;
    }
    return 0;
}

static int glued_story(const char *raw, const clean_line *l)
{
    if (!GLUED_STORIES ||
        !(l->label == CLEAN_BODY || (l->label == CLEAN_BOILER && l->soft)) ||
        l->len > CLEAN_COUNTED_CHARS || l->words < GLUE_HEAD_WORDS + SENTENCE_WORDS ||
        !opens_like_sentence(raw + l->start, l->len))
        return 0;
    const char *s = raw + l->start;
    size_t n = l->len;
    if (GLUED_DATELINES && glued_dateline(s, n))
        return 1;
    int words = 0, capped = 0, in_word = 0;
    size_t word_at = 0;
    for (size_t g = 0; g + 1 < n && g < LENGTH_HIGH; g++) {
        unsigned char c = (unsigned char)s[g];
        if (c == ' ' || c == '\t') {
            in_word = 0;
            continue;
        }
        if (!in_word) {
            in_word = 1;
            word_at = g;
            if ((c | 32) >= 'a' && (c | 32) <= 'z') {
                words++;
                capped += c >= 'A' && c <= 'Z';
            } else if (c >= '0' && c <= '9') {
                words++;
                capped++;
            }
            continue;
        }
        unsigned char p = (unsigned char)s[g - 1], q = (unsigned char)s[g + 1];
        int closes = (p >= 'a' && p <= 'z') || (p >= '0' && p <= '9') || p == '?' ||
                     p == '!' || p == '.' || p == '"' || p == '\'' ||
                     (g >= 3 && (unsigned char)s[g - 3] == 0xE2 &&
                      (unsigned char)s[g - 2] == 0x80 &&
                      (p == 0x99 || p == 0x9D)); /* \u2019 \u201d */
        if (!(c >= 'A' && c <= 'Z') || !closes || !((q >= 'a' && q <= 'z') || q == ' ') ||
            g - word_at < GLUE_MIN_LETTERS)
            continue;
        if (words >= GLUE_HEAD_WORDS && 3 * capped >= 2 * words) {
            /* The teaser: SENTENCE_WORDS words or more, in sentence case (of the first
             * GLUE_TAIL_WORDS words after the glued one that open with a letter, half at
             * most open with a capital: not a brand in a headline, "Apple AirPods Pro
             * Wireless Earbuds"). */
            int rest = 0, w = 0, letters = 0, caps = 0;
            for (size_t k = g; k < n; k++) {
                unsigned char d = (unsigned char)s[k];
                int sp = d == ' ' || d == '\t';
                if (!sp && !w) {
                    rest++;
                    if (rest > 1 && letters < GLUE_TAIL_WORDS && (d | 32) >= 'a' &&
                        (d | 32) <= 'z') {
                        letters++;
                        caps += d <= 'Z';
                    }
                }
                w = !sp;
            }
            return rest >= SENTENCE_WORDS && letters >= 3 && 2 * caps <= letters;
        }
    }
    return 0;
}

/* One story of the block from line j: a glued story, or one or more headline lines (a
 * headline, its author), with lines that hard signals labelled (a date, a repeated line)
 * between them, then its teaser; TEASER_HEADS headline lines at most (a menu over a sentence is no
 * story). The index past it, or j when there is none there. */
static size_t teaser_unit(const char *raw, const clean_result *r, size_t j)
{
    size_t k = j, heads = 0;
    if (j < r->n && glued_story(raw, &r->lines[j]))
        return j + 1;
    while (k < r->n) {
        const clean_line *l = &r->lines[k];
        if (teaser_headline(raw, l) && heads < TEASER_HEADS && !glued_story(raw, l))
            heads++;
        else if (!(heads && l->label != CLEAN_BODY && !l->soft))
            break;
        k++;
    }
    /* A glued story is a story of its own, never the teaser of the lines above it. */
    return heads && k < r->n && teaser_line(raw, &r->lines[k]) && !glued_story(raw, &r->lines[k])
               ? k + 1
               : j;
}

static sl_error teaser_runs(const char *raw, clean_result *r)
{
    size_t n = r->n;
    long min_pairs = TEASER_MIN_PAIRS;
    if (min_pairs <= 0 || (long)n < 2 * min_pairs)
        return SL_OK;
    unsigned char *in_run = NULL, runs = 0;
    size_t run_chars = 0;
    for (size_t i = 0; i + 1 < n;) {
        size_t j = i, units = 0, glued = 0, u;
        while ((u = teaser_unit(raw, r, j)) > j) {
            glued += u == j + 1 && glued_story(raw, &r->lines[j]);
            j = u;
            units++;
        }
        if ((long)units >= min_pairs) {
            if (!in_run && !(in_run = calloc(2 * n, 1)))
                return SL_ERR_NOMEM;
            runs = runs == 255 ? 1 : runs + 1; /* next to each other, runs differ */
            for (size_t k = i; k < j; k++) {
                in_run[k] = runs;
                in_run[n + k] = glued == units; /* stories glued onto one line each */
                run_chars += (size_t)r->lines[k].chars;
            }
        }
        i = j > i ? j : i + 1;
    }
    if (!in_run)
        return SL_OK;
    /* The article's terms: content words of the body outside the runs, with the number
     * of lines each is in (value: count << 32 | last line + 1). */
    u64map terms;
    sl_error err = SL_OK;
    size_t body_chars = 0;
    if (sli_u64map_init(&terms, 256)) {
        free(in_run);
        return SL_ERR_NOMEM;
    }
    for (size_t i = 0; i < n && !err; i++) {
        const clean_line *l = &r->lines[i];
        if (in_run[i] || l->label != CLEAN_BODY || glued_story(raw, l))
            continue; /* a glued story, in a run or not, is never the article's */
        body_chars += (size_t)l->chars;
        size_t at = 0;
        uint64_t x, *v;
        while (next_content_word(raw + l->start, l->len, &at, &x)) {
            if ((err = sli_u64map_put(&terms, x, &v, NULL)))
                break;
            if ((*v & 0xFFFFFFFFu) != i + 1)
                *v = ((*v >> 32) + 1) << 32 | (i + 1);
        }
    }
    /* Each run as a whole, while the body outside the runs is larger than all of them; a
     * run of glued stories, a shape no article's own prose takes, while it is larger than
     * that run. */
    for (size_t i = 0; i < n && !err;) {
        if (!in_run[i]) {
            i++;
            continue;
        }
        size_t j = i + 1, chars = (size_t)r->lines[i].chars;
        while (j < n && in_run[j] == in_run[i])
            chars += (size_t)r->lines[j++].chars;
        if (!(body_chars > run_chars || (in_run[n + i] && body_chars > chars))) {
            i = j;
            continue;
        }
        int total = 0, found = 0;
        for (size_t k = i; k < j; k++) {
            size_t at = 0;
            uint64_t x;
            const clean_line *l = &r->lines[k];
            while (next_content_word(raw + l->start, l->len, &at, &x)) {
                const uint64_t *v = sli_u64map_get(&terms, x);
                total++;
                found += v && (*v >> 32) >= (uint64_t)TOPIC_MIN_LINES;
            }
        }
        if (total > 0 && found * 10 < total * 3)
            for (size_t k = i; k < j; k++)
                if (r->lines[k].label == CLEAN_BODY || r->lines[k].soft) {
                    set_label(&r->lines[k], CLEAN_OFF_TOPIC,
                              "a run of other stories' headlines and teasers", NULL);
                    r->lines[k].soft = 1;
                }
        i = j;
    }
    sli_u64map_free(&terms);
    free(in_run);
    return err;
}

/* The foot of the article: a notice rating the site ("... is rated 'High' for
 * credibility by ...") among the last body lines is the site's, not the article's. */
static void rating_trailer(const char *raw, clean_result *r)
{
    if (!KIND_RATING)
        return;
    for (size_t i = r->n; i-- > 0;) {
        clean_line *l = &r->lines[i];
        if (l->label != CLEAN_BODY)
            continue;
        const char *why = sli_lex_rating_notice(raw + l->start, l->len);
        if (!why)
            break;
        set_label(l, CLEAN_FURNITURE, "a trailer at the end of the article", why);
    }
}

/* h: the DOM hints of the lines (HTML input with a main content), or NULL. */
/* --- a list the article announces (issue 21, round 2) --- */
#ifndef ANNOUNCED_LISTS
#define ANNOUNCED_LISTS 1
#endif
#define LIST_MIN_ITEMS 3

/* A line shape and context alone turned down: one the list rule may take back. */
static int list_loose(const clean_line *l)
{
    return l->label == CLEAN_BOILER && l->soft;
}

/* An item led by a number or a date: a digit first, or a word and then a digit ("June
 * 9", "Nov. 12"). */
static int list_led(const char *raw, const clean_line *l)
{
    const char *s = raw + l->start;
    size_t n = l->len, i = 0;
    if (n && s[0] >= '0' && s[0] <= '9')
        return 1;
    while (i < n && i < 12 && (((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z') || s[i] == '.'))
        i++;
    return i >= 3 && i + 1 < n && s[i] == ' ' && s[i + 1] >= '0' && s[i + 1] <= '9';
}

/* A link alone on its line ("http://example.com/x"). */
static int bare_link(const char *raw, const clean_line *l)
{
    const char *s = raw + l->start;
    if (l->len < 8 || (memcmp(s, "http://", 7) && memcmp(s, "https://", 8)))
        return 0;
    return memchr(s, ' ', l->len) == NULL;
}

static sl_error end_and_topic(const char *raw, clean_result *r, const unsigned char *h)
{
    size_t n = r->n;
    /* Readers' comments end the article wherever they start ("joetoronto says:"). */
    int seen_body = 0;
    for (size_t i = 0; i < n; i++) {
        clean_line *l = &r->lines[i];
        if (seen_body && sli_lex_comment_by(raw + l->start, l->len)) {
            set_label(l, CLEAN_AFTER_END, "readers' comments start here", NULL);
            for (size_t k = i + 1; k < n; k++)
                if (r->lines[k].label == CLEAN_BODY)
                    set_label(&r->lines[k], CLEAN_AFTER_END, "in readers' comments", NULL);
            break;
        }
        seen_body |= l->label == CLEAN_BODY && l->cls == CLS_GOOD;
    }
    /* The main run: the stretch of lines with the best balance of prose (long body lines
     * count their length) against everything else (each other line costs a little), as
     * a maximum-sum segment. Runs of teasers (headline, blurb, author, date) lose to the
     * article's paragraphs, which follow each other closely. */
    size_t best_a = 0, best_b = 0, best_chars = 0;
    long best = 0, cur = 0;
    size_t cur_a = 0, cur_chars = 0;
    for (size_t i = 0; i < n; i++) {
        const clean_line *l = &r->lines[i];
        long score;
        if (l->label == CLEAN_BODY) {
            int c = prose_class(l);
            score = c == CLS_GOOD ? l->chars : c == CLS_NEARGOOD ? l->chars / 2 : -20;
        } else if (l->label == CLEAN_DUPLICATE || l->label == CLEAN_META ||
                   l->label == CLEAN_TITLE) {
            score = 0;
        } else {
            score = -40;
        }
        if (cur <= 0) {
            cur = 0;
            cur_a = i;
            cur_chars = 0;
        }
        cur += score;
        if (l->label == CLEAN_BODY)
            cur_chars += (size_t)l->chars;
        if (cur > best) {
            best = cur;
            best_a = cur_a;
            best_b = i + 1;
            best_chars = cur_chars;
        }
    }
    if (!best_chars)
        return SL_OK;

    /* Body lines right against the run belong to it (a short closing sentence scores
     * below zero on its own). */
    while (best_b < n && r->lines[best_b].label == CLEAN_BODY)
        best_b++;
    while (best_a > 0 && r->lines[best_a - 1].label == CLEAN_BODY)
        best_a--;

    /* The topic of the article (the content words of the main run), built when first
     * needed: most articles have no prose outside the run to check. */
    topic_set topic = {.raw = raw, .r = r, .a = best_a, .b = best_b};
    sl_error err = SL_OK;

    /* A heading that ends the article, once a good part of the main run is behind it. A
     * heading met before that (a "Most Popular" box above the story) only means the
     * article starts after it; one followed closely by more of the article's prose is an
     * inline box ("Related Links" with one link) inside it. */
    size_t end = n, before = 0, before_paras = 0;
    for (size_t i = best_a; i < n; i++) {
        const clean_line *l = &r->lines[i];
        const char *phrase = sli_lex_end_marker(raw + l->start, l->len);
        /* With a main content, only a heading of the article's own ends it: one in a box
         * inside it ("Related" over three links), or outside it, does not. */
        if (phrase && h && ((h[i] & HTML_HINT_REGION_MASK) || !(h[i] & HTML_HINT_MAIN)))
            phrase = NULL;
        /* The head of a reader's comment with no "says:": a handle (COMMENT_HANDLE_WORDS
         * words at most, no sentence) over a time stamp alone ("2 days ago at 07:54
         * am"), with paragraphs of the article behind it (at the top, a byline over its
         * stamp). */
        int stamped = !phrase && COMMENT_STAMPS && i + 1 < n &&
                      before_paras >= COMMENT_AFTER_PARAS && l->words >= 1 &&
                      l->words <= COMMENT_HANDLE_WORDS && l->len <= 40 && !whole_sentence(l) &&
                      sli_lex_relative_stamp(raw + r->lines[i + 1].start, r->lines[i + 1].len);
        if (stamped)
            phrase = "comments";
        /* Readers' comments come after the article: their head, with
         * COMMENT_AFTER_PARAS paragraphs of it behind, ends it even where the main run,
         * comments and all, is long (at the top, "12 Comments" under the headline is a
         * link). */
        int comments = phrase && !strcmp(phrase, "comments") && before_paras >= COMMENT_AFTER_PARAS;
        if (phrase && i > best_a && i < best_b && before * 10 < best_chars * 3 && !comments) {
            for (size_t k = best_a; k < i; k++)
                if (r->lines[k].label == CLEAN_BODY)
                    best_chars -= (size_t)r->lines[k].chars;
            set_label(&r->lines[i], CLEAN_BOILER, "a list heading before the article", phrase);
            best_a = i + 1;
            before = 0;
            before_paras = 0;
            continue;
        }
        if (phrase && i > best_a) {
            /* The article resumes when two paragraphs of prose on its topic follow soon:
             * within 6 lines of the end of the box, whose items (other stories'
             * headlines: lines that are not such a paragraph and are shorter than
             * LENGTH_HIGH; their topic is not looked at) run on from the heading,
             * BOX_ITEMS lines at most. */
            int resumes = 0;
            size_t box_end = i;
            for (size_t k = i + 1; k < n && k <= box_end + 6 && resumes < 2; k++) {
                const clean_line *m = &r->lines[k];
                int total = 0, found = 0, para = 0;
                if (m->label == CLEAN_BODY && prose_class(m) == CLS_GOOD) {
                    if ((err = topic_overlap(&topic, m, &total, &found)))
                        goto out;
                    para = m->words >= 20 && total >= 6 && found * 2 >= total;
                }
                resumes += para;
                if (!para && !resumes && k == box_end + 1 && k <= i + BOX_ITEMS &&
                    m->chars < LENGTH_HIGH)
                    box_end = k;
            }
            /* A reader's own comment head: what follows is the comment, on the article's
             * topic as comments are. */
            if (resumes >= 2 && strcmp(phrase, "about the author") && !stamped) {
                set_label(&r->lines[i], CLEAN_BOILER, "a box heading inside the article", phrase);
                continue;
            }
            end = i;
            set_label(&r->lines[i], CLEAN_AFTER_END, "a heading that ends the article", phrase);
            break;
        }
        if (l->label == CLEAN_BODY) {
            before += (size_t)l->chars;
            before_paras += prose_class(l) == CLS_GOOD;
        }
    }
    for (size_t i = end + 1; i < n; i++)
        if (r->lines[i].label == CLEAN_BODY)
            set_label(&r->lines[i], CLEAN_AFTER_END, "after a heading that ends the article", NULL);
    if (best_b > end)
        best_b = end;

    /* Body lines outside the main run must continue its topic. */
    for (size_t i = 0; i < n; i++) {
        clean_line *l = &r->lines[i];
        if ((i >= best_a && i < best_b) || l->label != CLEAN_BODY)
            continue;
        int total = 0, found = 0;
        if ((err = topic_overlap(&topic, l, &total, &found)))
            goto out;
        if (total == 0 || found * 10 < total * 3)
            set_label(l, CLEAN_OFF_TOPIC, "outside the body, and not on its topic", NULL);
    }

    /* A list the article announces, right after its last paragraph: that paragraph ends
     * with a colon, or a heading on the article's topic (half of its content words in
     * the topic) stands over the list. Its items are led by a number or a date ("1)",
     * "3a etapa:", "June 9 -"): LIST_MIN_ITEMS of them at least, each shorter than
     * LENGTH_HIGH, with bare links between them; shape and context alone had dropped
     * them ("in a list of short lines"). A list of other stories' headlines is led by
     * words, and its heading is off the topic. */
    if (ANNOUNCED_LISTS && best_b > best_a && best_b < end) {
        size_t k = best_b, items = 0, last = 0;
        const clean_line *p = &r->lines[best_b - 1];
        int announced = p->label == CLEAN_BODY && p->len && raw[p->start + p->len - 1] == ':';
        if (!announced && list_loose(&r->lines[k]) && !list_led(raw, &r->lines[k])) {
            int total = 0, found = 0;
            if ((err = topic_overlap(&topic, &r->lines[k], &total, &found)))
                goto out;
            announced = total >= 2 && found * 2 >= total;
            k++;
        }
        for (size_t j = k; announced && j < end && list_loose(&r->lines[j]); j++) {
            const clean_line *m = &r->lines[j];
            if (list_led(raw, m) && m->chars < LENGTH_HIGH) {
                items++;
                last = j + 1;
            } else if (!bare_link(raw, m))
                break;
        }
        if (announced && items >= LIST_MIN_ITEMS)
            for (size_t j = best_b; j < last; j++)
                if (list_loose(&r->lines[j])) {
                    set_label(&r->lines[j], CLEAN_BODY, "a list the article announces", NULL);
                    r->lines[j].soft = 1;
                }
    }
out:
    if (topic.built)
        sli_u64map_free(&topic.words);
    return err;
}

/* A short article has no long prose to anchor it: when nothing is left, keep the lines
 * that only shape and context turned down and that read like sentences. */
static void short_article(const char *raw, clean_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->lines[i].label == CLEAN_BODY)
            return;
    for (size_t i = 0; i < r->n; i++) {
        clean_line *l = &r->lines[i];
        if (sli_lex_end_marker(raw + l->start, l->len))
            break;
        if (l->soft && (l->sentence_end || l->words >= 6)) {
            set_label(l, CLEAN_BODY, "a short article: its sentences are kept", NULL);
        }
    }
}


/* --- what the DOM says (HTML input only: in->hints) --- */

/* Tuned on the article-extraction pages by site folds (docs/extraction.md). */
#ifndef DOM_KEEP_MAIN
#define DOM_KEEP_MAIN 1 /* lines in the main content that shape alone turned down are kept */
#endif
#ifndef DOM_LINK_SENTENCES
#define DOM_LINK_SENTENCES 1 /* a whole sentence of link text in it is the article's */
#endif
#ifndef DOM_KEEP_DUPLICATES
#define DOM_KEEP_DUPLICATES 1 /* and lines printed again there */
#endif

static const char *const region_why[HTML_REGION__COUNT] = {
    [HTML_REGION_NONE] = NULL,
    [HTML_REGION_NAV] = "dom: in navigation (<nav>, role or class 'nav'/'menu')",
    [HTML_REGION_HEADER] = "dom: in the page header (<header>, role=banner, class 'header')",
    [HTML_REGION_FOOTER] = "dom: in the page footer (<footer>, role=contentinfo, class 'footer')",
    [HTML_REGION_ASIDE] = "dom: in a sidebar (<aside>, class 'sidebar'/'widget')",
    [HTML_REGION_FORM] = "dom: in a <form>",
    [HTML_REGION_COMMENTS] = "dom: class 'comment': readers' comments",
    [HTML_REGION_SHARE] = "dom: class 'share'/'social': a share bar",
    [HTML_REGION_RELATED] = "dom: class 'related'/'recommended': other stories",
    [HTML_REGION_NEWSLETTER] = "dom: class 'newsletter'/'subscribe'",
    [HTML_REGION_AD] = "dom: class 'ad'/'sponsor': an advertisement",
    [HTML_REGION_CAPTION] = "dom: a caption (<figcaption>, class 'caption'/'credit')",
    [HTML_REGION_BYLINE] = "dom: class 'byline'/'author'/'meta'",
    [HTML_REGION_TRAIL] = "dom: class 'breadcrumb'/'tags'",
    [HTML_REGION_HIDDEN] = "dom: hidden (hidden, aria-hidden, display:none)",
};

unsigned char *sli_clean_line_hints(const char *raw, const clean_input *in, const clean_result *r)
{
    unsigned char *h = malloc(r->n ? r->n : 1);
    if (!h)
        return NULL;
    size_t line = 0, at = 0;
    for (size_t i = 0; i < r->n; i++) {
        const clean_line *l = &r->lines[i];
        while (at < l->start) {
            const char *nl = memchr(raw + at, '\n', l->start - at);
            if (!nl)
                break;
            line++;
            at = (size_t)(nl - raw) + 1;
        }
        h[i] = line < in->n_hints ? in->hints[line] : 0;
    }
    return h;
}

static int has_main(const unsigned char *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (h[i] & HTML_HINT_MAIN)
            return 1;
    return 0;
}

/* Hard DOM signals, after the text's own hard signals: furniture regions, lines outside
 * the main content, link text. */
static void dom_signals(clean_result *r, const unsigned char *h, int main)
{
    for (size_t i = 0; i < r->n; i++) {
        clean_line *l = &r->lines[i];
        if (l->label != CLEAN_BODY)
            continue;
        unsigned region = h[i] & HTML_HINT_REGION_MASK;
        if (region) /* a hint byte from a damaged store or record names no region */
            set_label(l, CLEAN_BOILER,
                      region < HTML_REGION__COUNT ? region_why[region] : "dom: in furniture",
                      NULL);
        else if (main && !(h[i] & HTML_HINT_MAIN))
            set_label(l, CLEAN_BOILER, "dom: outside main content", NULL);
        else if ((h[i] & HTML_HINT_LINKS) &&
                 !(DOM_LINK_SENTENCES && (h[i] & HTML_HINT_MAIN) && whole_sentence(l)))
            set_label(l, CLEAN_BOILER, "dom: link density over 0.5", NULL);
    }
}

/* Lines of the main content that only their shape or topic turned down are the
 * article's headings, list items and short paragraphs; a line printed again there is the
 * article's own ("Eat every 2-3 hours" under each meal), or its first copy was a teaser
 * outside it. */
static void dom_keep(clean_result *r, const unsigned char *h, int main)
{
    if (!main || !DOM_KEEP_MAIN)
        return;
    for (size_t i = 0; i < r->n; i++) {
        clean_line *l = &r->lines[i];
        if (!(h[i] & HTML_HINT_MAIN) || (h[i] & (HTML_HINT_REGION_MASK | HTML_HINT_LINKS)))
            continue;
        if (l->label == CLEAN_BODY && !l->why)
            l->why = "dom: in main content, and prose"; /* what --explain prints */
        else if ((l->label == CLEAN_BOILER && l->soft) || l->label == CLEAN_OFF_TOPIC)
            set_label(l, CLEAN_BODY, "dom: in main content", NULL);
        else if (l->label == CLEAN_DUPLICATE && DOM_KEEP_DUPLICATES)
            set_label(l, CLEAN_BODY, "dom: in main content, printed again", NULL);
    }
}

sl_error sli_clean_label_lines(const char *raw, size_t n, const clean_input *in, clean_result *r)
{
    (void)n;
    r->title_line = -1;
    memset(&r->date, 0, sizeof r->date);
    r->byline[0] = r->credit[0] = '\0';
    for (size_t i = 0; i < r->n; i++)
        sli_clean_shape(raw + r->lines[i].start, &r->lines[i]);
    sl_error err = hard_signals(raw, in, r);
    unsigned char *h = NULL;
    int main = 0;
    if (!err && in->hints && in->n_hints) {
        if (!(h = sli_clean_line_hints(raw, in, r)))
            return SL_ERR_NOMEM;
        main = has_main(h, r->n);
        dom_signals(r, h, main);
    }
    if (!err)
        err = context(raw, r);
    if (!err)
        err = teaser_runs(raw, r);
    if (!err && h)
        dom_keep(r, h, main);
    if (!err)
        err = end_and_topic(raw, r, main ? h : NULL);
    if (!err && h)
        dom_keep(r, h, main);
    free(h);
    if (err)
        return err;
    rating_trailer(raw, r);
    short_article(raw, r);
    sli_clean_metadata(raw, r);
    if ((err = sli_clean_title(raw, in, r)))
        return err;

    sli_buf_clear(&r->text);
    for (size_t i = 0; i < r->n; i++) {
        const clean_line *l = &r->lines[i];
        if (l->label != CLEAN_BODY)
            continue;
        if (r->text.len)
            err = sli_buf_putc(&r->text, '\n');
        if (!err)
            err = sli_buf_append(&r->text, raw + l->start, l->len);
        if (err)
            return err;
    }
    return SL_OK;
}
