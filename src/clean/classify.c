/* classify.c — labelling the lines of an article: hard signals first (wording,
 * repetition, duplicates, metadata), then prose classes smoothed by their context
 * (after jusText's paragraph classifier), then the end of the article and topic
 * continuity. */
#include "clean.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../core/u64map.h"
#include "../text/normalize.h"
#include "lexicon.h"

/* Prose classes (jusText's, on text alone), and SKIP: a short line already labelled by a
 * hard signal ("Advertisement", a byline), which its neighbours look through. */
enum { CLS_BAD, CLS_SHORT, CLS_NEARGOOD, CLS_GOOD, CLS_SKIP };

/* Thresholds. Lengths in characters, densities as stop words per word. */
#define LENGTH_LOW 70
#define LENGTH_HIGH 200
#define STOP_LOW 0.22
#define STOP_HIGH 0.26
/* A line in this many articles of its source (and this share of them) is its template. */
#define TEMPLATE_MIN 3
#define TEMPLATE_SHARE 0.2
/* A short line printed by this many sources is generic furniture. */
#define COMMON_SOURCES 4
#define COMMON_MAX_WORDS 12

static void set(clean_line *l, clean_label label, const char *why, const char *detail)
{
    l->label = label;
    l->why = why;
    l->detail = detail;
    l->cls = label == CLEAN_BODY ? CLS_GOOD : CLS_BAD;
    l->soft = 0;
}

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

static void hard_signals(const char *raw, const clean_input *in, clean_result *r)
{
    clean_repeats *rep = NULL;
    if (in->lookup && r->n) {
        uint64_t *hashes = malloc(r->n * sizeof *hashes);
        rep = calloc(r->n, sizeof *rep);
        if (hashes && rep) {
            for (size_t i = 0; i < r->n; i++)
                hashes[i] = r->lines[i].hash;
            in->lookup(in->user, hashes, r->n, rep);
        } else {
            free(rep);
            rep = NULL;
        }
        free(hashes);
    }
    u64map seen;
    int have_seen = sli_u64map_init_set(&seen, r->n) == SL_OK;
    long template_min = TEMPLATE_MIN;
    if ((double)in->source_articles * TEMPLATE_SHARE > template_min)
        template_min = (long)((double)in->source_articles * TEMPLATE_SHARE);

    for (size_t i = 0; i < r->n; i++) {
        clean_line *l = &r->lines[i];
        const char *s = raw + l->start;
        const char *phrase;
        l->label = CLEAN_BODY;
        l->why = NULL;
        int added = 1; /* out of memory: taken as a new line */
        if (have_seen && !sli_u64map_put(&seen, l->hash, NULL, &added) && !added) {
            set(l, CLEAN_DUPLICATE, "printed earlier in this article", NULL);
        } else if (rep && rep[i].same_source >= template_min) {
            set(l, CLEAN_TEMPLATE, "in many articles of this source", NULL);
        } else if (rep && rep[i].sources >= COMMON_SOURCES && l->words <= COMMON_MAX_WORDS) {
            set(l, CLEAN_COMMON, "short line printed by many sources", NULL);
        } else if ((phrase = sli_lex_furniture(s, l->len))) {
            set(l, CLEAN_FURNITURE, "furniture wording", phrase);
        } else if (menu_like(s, l)) {
            set(l, CLEAN_BOILER, "pipes or chevrons: a menu or trail", NULL);
        } else if (l->words == 0) {
            set(l, CLEAN_BOILER, "no words", NULL);
        }
    }
    if (have_seen)
        sli_u64map_free(&seen);
    free(rep);
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
                    set(&r->lines[k], CLEAN_BOILER, LIST_WHY, NULL);
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

static void context(clean_result *r)
{
    size_t n = r->n;
    size_t m = n ? n : 1;
    if (r->ints_cap < 6 * m) {
        int *v = realloc(r->ints, 6 * m * sizeof *v);
        if (!v)
            return;
        r->ints = v;
        r->ints_cap = 6 * m;
    }
    int *cls = r->ints;
    int *next = cls + m, *prev_far = cls + 2 * m, *next_far = cls + 3 * m;
    int *prev_near = cls + 4 * m, *next_near = cls + 5 * m;
    for (size_t i = 0; i < n; i++) {
        const clean_line *l = &r->lines[i];
        cls[i] = l->label == CLEAN_BODY      ? prose_class(l)
                 : l->chars < LENGTH_LOW     ? CLS_SKIP
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
        int sentence = l->sentence_end && l->words >= 6 && l->stops >= 2;
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
    for (size_t i = 0; i < n; i++) {
        clean_line *l = &r->lines[i];
        l->cls = next[i];
        if (l->label != CLEAN_BODY)
            continue;
        int orig = prose_class(l);
        if (next[i] != CLS_GOOD) {
            set(l, CLEAN_BOILER,
                orig == CLS_SHORT      ? "short, among non-prose lines"
                : orig == CLS_NEARGOOD ? "little prose, among non-prose lines"
                                       : "not prose (few stop words)",
                NULL);
            l->soft = 1;
        }
    }
}

/* --- the end of the article, and topic continuity --- */

static int alnum(unsigned char c)
{
    return c >= 0x80 || ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9');
}

/* Content words of a line (not stop words, 3+ bytes), hashed case-insensitively (FNV-1a:
 * words are short, and this runs for every word of the lines it checks). */
static void content_words(const char *s, size_t n, u64map *h, int add, int *total, int *found)
{
    size_t i = 0;
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
        if (add)
            (void)sli_u64map_put(h, x, NULL, NULL); /* out of memory: a word fewer */
        else {
            (*total)++;
            *found += sli_u64map_has(h, x);
        }
    }
}

typedef struct topic_set {
    const char *raw;
    const clean_result *r;
    size_t a, b; /* the main run */
    int built;
    u64map words;
} topic_set;

/* How many of the line's content words there are, and how many are in the topic. */
static void topic_overlap(topic_set *t, const clean_line *l, int *total, int *found)
{
    if (!t->built) {
        if (sli_u64map_init_set(&t->words, 256))
            return; /* out of memory: no words, so nothing is judged off topic */
        for (size_t i = t->a; i < t->b; i++)
            if (t->r->lines[i].label == CLEAN_BODY)
                content_words(t->raw + t->r->lines[i].start, t->r->lines[i].len, &t->words, 1,
                              NULL, NULL);
        t->built = 1;
    }
    content_words(t->raw + l->start, l->len, &t->words, 0, total, found);
}

static void end_and_topic(const char *raw, clean_result *r)
{
    size_t n = r->n;
    /* Readers' comments end the article wherever they start ("joetoronto says:"). */
    int seen_body = 0;
    for (size_t i = 0; i < n; i++) {
        clean_line *l = &r->lines[i];
        if (seen_body && sli_lex_comment_by(raw + l->start, l->len)) {
            set(l, CLEAN_AFTER_END, "readers' comments start here", NULL);
            for (size_t k = i + 1; k < n; k++)
                if (r->lines[k].label == CLEAN_BODY)
                    set(&r->lines[k], CLEAN_AFTER_END, "in readers' comments", NULL);
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
        return;

    /* Body lines right against the run belong to it (a short closing sentence scores
     * below zero on its own). */
    while (best_b < n && r->lines[best_b].label == CLEAN_BODY)
        best_b++;
    while (best_a > 0 && r->lines[best_a - 1].label == CLEAN_BODY)
        best_a--;

    /* The topic of the article (the content words of the main run), built when first
     * needed: most articles have no prose outside the run to check. */
    topic_set topic = {.raw = raw, .r = r, .a = best_a, .b = best_b};

    /* A heading that ends the article, once a good part of the main run is behind it. A
     * heading met before that (a "Most Popular" box above the story) only means the
     * article starts after it; one followed closely by more of the article's prose is an
     * inline box ("Related Links" with one link) inside it. */
    size_t end = n, before = 0;
    for (size_t i = best_a; i < n; i++) {
        const clean_line *l = &r->lines[i];
        const char *phrase = sli_lex_end_marker(raw + l->start, l->len);
        if (phrase && i > best_a && i < best_b && before * 10 < best_chars * 3) {
            for (size_t k = best_a; k < i; k++)
                if (r->lines[k].label == CLEAN_BODY)
                    best_chars -= (size_t)r->lines[k].chars;
            set(&r->lines[i], CLEAN_BOILER, "a list heading before the article", phrase);
            best_a = i + 1;
            before = 0;
            continue;
        }
        if (phrase && i > best_a) {
            /* The article resumes when two paragraphs of prose on its topic follow soon. */
            int resumes = 0;
            for (size_t k = i + 1; k < n && k <= i + 6 && resumes < 2; k++) {
                const clean_line *m = &r->lines[k];
                int total = 0, found = 0;
                if (m->label != CLEAN_BODY || prose_class(m) != CLS_GOOD)
                    continue;
                topic_overlap(&topic, m, &total, &found);
                resumes += m->words >= 20 && total >= 6 && found * 2 >= total;
            }
            if (resumes >= 2 && strcmp(phrase, "about the author")) {
                set(&r->lines[i], CLEAN_BOILER, "a box heading inside the article", phrase);
                continue;
            }
            end = i;
            set(&r->lines[i], CLEAN_AFTER_END, "a heading that ends the article", phrase);
            break;
        }
        if (l->label == CLEAN_BODY)
            before += (size_t)l->chars;
    }
    for (size_t i = end + 1; i < n; i++)
        if (r->lines[i].label == CLEAN_BODY)
            set(&r->lines[i], CLEAN_AFTER_END, "after a heading that ends the article", NULL);
    if (best_b > end)
        best_b = end;

    /* Body lines outside the main run must continue its topic. */
    for (size_t i = 0; i < n; i++) {
        clean_line *l = &r->lines[i];
        if ((i >= best_a && i < best_b) || l->label != CLEAN_BODY)
            continue;
        int total = 0, found = 0;
        topic_overlap(&topic, l, &total, &found);
        if (total == 0 || found * 10 < total * 3)
            set(l, CLEAN_OFF_TOPIC, "outside the body, and not on its topic", NULL);
    }
    if (topic.built)
        sli_u64map_free(&topic.words);
}

/* --- metadata: date, byline, credit, title --- */

static int date_rank(meta_date_kind k)
{
    switch (k) {
    case META_DATE_PUBLISHED: return 5;
    case META_DATE_LINE: return 4;
    case META_DATE_DATELINE: return 3;
    case META_DATE_UPDATED: return 2;
    default: return 0;
    }
}

/* The length of the first `max` bytes of s[0..n), cut at a character boundary. */
static size_t utf8_head(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

/* Whether s[0..n) holds four digits in a row starting 19 or 20: a date with no year is
 * no publication date, so lines without one need no closer look. */
static int has_year(const char *s, size_t n)
{
    for (size_t i = 0; i + 3 < n; i++)
        if ((s[i] == '1' || s[i] == '2') && (s[i + 1] == '9' || s[i + 1] == '0') &&
            (unsigned)(s[i + 2] - '0') < 10u && (unsigned)(s[i + 3] - '0') < 10u)
            return 1;
    return 0;
}

/* A name alone on its line: two to four capitalised words ("Carla Menn"). */
static int name_line(const char *s, const clean_line *l)
{
    return l->words >= 2 && l->words <= 4 && l->capitals == l->words && !l->sentence_end &&
           !memchr(s, ':', l->len) && !memchr(s, '|', l->len);
}

static void metadata(const char *raw, clean_result *r)
{
    size_t n = r->n, first_body = n, last_body = 0;
    for (size_t i = 0; i < n; i++)
        if (r->lines[i].label == CLEAN_BODY) {
            if (first_body == n)
                first_body = i;
            last_body = i;
        }
    /* Metadata is printed around the head of the article and in its footer: the lines
     * far from the body (menus, lists of other stories) are not searched. */
    size_t top_from = first_body > 25 ? first_body - 25 : 0;
    size_t foot_to = first_body == n ? n : last_body + 25;
    int best_rank = 0;
    for (size_t i = top_from; i < n && i <= foot_to; i++) {
        clean_line *l = &r->lines[i];
        const char *s = raw + l->start;
        /* The head of the article: a standfirst may still count as body here. */
        int near_top = i < first_body + 5;
        int is_body = l->label == CLEAN_BODY;
        if (l->label == CLEAN_DUPLICATE)
            continue;
        if (!near_top && !is_body && i > first_body && i < last_body)
            continue; /* furniture inside the body carries no metadata */
        /* Only lines that can carry the publication date are searched: short ones, and
         * the first lines of the body (a dateline); long prose only mentions dates. A
         * site's template never carries this article's date. */
        meta_date d;
        meta_date_kind k = META_DATE_NONE;
        size_t head = l->words <= 16 ? l->len : utf8_head(s, l->len, 160);
        if (l->label != CLEAN_TEMPLATE && (l->words <= 16 || (is_body && near_top)) &&
            has_year(s, head))
            k = sli_meta_find_date(s, head, &d); /* a dateline opens its paragraph */
        int rank = date_rank(k);
        /* Dates in running text (not datelines) are mentions, not publication dates. */
        if (is_body && k != META_DATE_DATELINE && !(l->words <= 14))
            rank = 0;
        if (k == META_DATE_DATELINE && !near_top)
            rank = 0;
        if (rank > best_rank) {
            best_rank = rank;
            r->date = d;
        }
        if (rank && k != META_DATE_DATELINE && l->words <= 16)
            set(l, CLEAN_META, "a date line", NULL);

        /* Bylines may repeat across a site's articles (a staff reporter): templates too. */
        char name[sizeof r->byline];
        if (!r->byline[0] && (near_top || !is_body) && l->words <= 20) {
            int found = sli_meta_find_byline(s, l->len, name, sizeof name);
            /* "About the Author" over a name alone. */
            if (!found && i > 0 && name_line(s, l) &&
                sli_lex_end_marker(raw + r->lines[i - 1].start, r->lines[i - 1].len) &&
                !strcmp(sli_lex_end_marker(raw + r->lines[i - 1].start, r->lines[i - 1].len),
                        "about the author")) {
                size_t k2 = utf8_head(s, l->len, sizeof name - 1);
                memcpy(name, s, k2);
                name[k2] = '\0';
                found = 1;
            }
            if (found) {
                memcpy(r->byline, name, sizeof name);
                set(l, CLEAN_META, "a byline", NULL);
            }
        }
        /* Credits: in the dateline ("... (Reuters) -", the first body lines), in a byline,
         * or on a short line of their own ("— AFP", "Source: Reuters"). */
        char credit[sizeof r->credit];
        int credit_place = l->label == CLEAN_META || (near_top && (is_body || l->words <= 12)) ||
                           (!is_body && l->words <= 6);
        if (!r->credit[0] && l->label != CLEAN_TEMPLATE && credit_place &&
            sli_meta_find_credit(s, head, credit, sizeof credit))
            memcpy(r->credit, credit, sizeof credit);
    }
    /* "By Reuters": an agency is a credit, not a byline. */
    char credit[sizeof r->credit];
    if (r->byline[0] && sli_meta_find_credit(r->byline, strlen(r->byline), credit, sizeof credit) &&
        strlen(credit) + 2 >= strlen(r->byline)) {
        if (!r->credit[0])
            memcpy(r->credit, credit, sizeof credit);
        r->byline[0] = '\0';
    }
}

/* Whether a line reads like a headline. */
static int headline_like(const char *s, const clean_line *l)
{
    if (l->words < 3 || l->words > 30 || l->chars > 250)
        return 0;
    if (l->sentence_end && s[l->len - 1] != '?')
        return 0;
    return l->capitals * 2 >= l->words || l->words <= 20;
}

/* Whether line i is printed again later (then labelled a duplicate of it). Lines are
 * few above the body, but the article may be long: stop at the first repeat. */
static int repeated_later(const clean_result *r, size_t i)
{
    for (size_t j = i + 1; j < r->n; j++)
        if (r->lines[j].hash == r->lines[i].hash)
            return 1;
    return 0;
}

/* The line under the headline is its standfirst (a summary, not the article) when it
 * stands apart from the body: a byline, a date or a caption comes between them. */
static void standfirst(clean_result *r, size_t title)
{
    size_t i = title + 1;
    if (i + 1 >= r->n || r->lines[i].label != CLEAN_BODY || r->lines[i].words > 45)
        return;
    /* What sets it apart: a byline or date line, or a photo caption. */
    const clean_line *next = &r->lines[i + 1];
    int caption = next->label == CLEAN_FURNITURE && next->detail && strstr(next->detail, "photo");
    if (next->label != CLEAN_META && !caption)
        return;
    for (size_t k = i + 2; k < r->n; k++)
        if (r->lines[k].label == CLEAN_BODY) {
            set(&r->lines[i], CLEAN_BOILER, "a standfirst: the summary under the headline",
                NULL);
            return;
        }
}

static void title(const char *raw, const clean_input *in, clean_result *r)
{
    size_t n = r->n;
    if (in->title && *in->title) {
        buf norm;
        sli_buf_init(&norm, BUF_UNLIMITED);
        if (sli_text_normalize(in->title, strlen(in->title), &norm) == SL_OK) {
            uint64_t h = XXH3_64bits(norm.data ? norm.data : "", norm.len);
            for (size_t i = 0; i < n; i++)
                if (r->lines[i].hash == h) {
                    if (r->title_line < 0)
                        r->title_line = (int)i;
                    set(&r->lines[i], CLEAN_TITLE, "the headline", NULL);
                }
        }
        sli_buf_free(&norm);
        return;
    }
    size_t first_body = n;
    for (size_t i = 0; i < n; i++)
        if (r->lines[i].label == CLEAN_BODY) {
            first_body = i;
            break;
        }
    /* Candidates: headline-like lines before the body that are not furniture, template or
     * part of a list. A page prints its headline first, then standfirst, byline, date and
     * caption: the earliest candidate wins, unless a later one is printed twice (again in
     * a "Latest News" list, say), which marks the headline surely. */
    int best = -1, best_score = 0, rank = 0;
    size_t limit = first_body < n ? first_body + 1 : n;
    size_t from = limit > 40 ? limit - 40 : 0; /* a headline is near the body */
    for (size_t i = from; i < limit; i++) {
        clean_line *l = &r->lines[i];
        /* Boilerplate by shape and context may be the headline; by a hard signal (a menu,
         * a trail, a list, furniture) it is not. */
        if (!(l->label == CLEAN_BODY || l->label == CLEAN_OFF_TOPIC ||
              (l->label == CLEAN_BOILER && l->soft)))
            continue;
        if (!headline_like(raw + l->start, l))
            continue;
        int score = 100 - 2 * rank++;
        if (repeated_later(r, i))
            score += 50;
        if (l->words >= 5 && l->words <= 20)
            score += 5;
        else if (l->words > 20)
            score -= 10;
        if (score > best_score) {
            best_score = score;
            best = (int)i;
        }
    }
    if (best >= 0) {
        r->title_line = best;
        set(&r->lines[best], CLEAN_TITLE, "the headline", NULL);
        standfirst(r, (size_t)best);
    }
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
            set(l, CLEAN_BODY, "a short article: its sentences are kept", NULL);
        }
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
    hard_signals(raw, in, r);
    context(r);
    end_and_topic(raw, r);
    short_article(raw, r);
    metadata(raw, r);
    title(raw, in, r);

    sli_buf_clear(&r->text);
    for (size_t i = 0; i < r->n; i++) {
        const clean_line *l = &r->lines[i];
        if (l->label != CLEAN_BODY)
            continue;
        sl_error err = SL_OK;
        if (r->text.len)
            err = sli_buf_putc(&r->text, '\n');
        if (!err)
            err = sli_buf_append(&r->text, raw + l->start, l->len);
        if (err)
            return err;
    }
    return SL_OK;
}
