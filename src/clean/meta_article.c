/* meta_article.c — the article's metadata from its labelled lines: which line gives the
 * publication date, the byline and the wire credit (each line is read by meta_date.c,
 * meta_byline.c and meta_credit.c), and which is the headline (with the standfirst under
 * it). Runs after classify.c has labelled the lines as body or not. */
#include <string.h>
#include <xxhash.h>

#include "../text/normalize.h"
#include "label.h"
#include "lexicon.h"

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

void sli_clean_metadata(const char *raw, clean_result *r)
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
            set_label(l, CLEAN_META, "a date line", NULL);

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
                set_label(l, CLEAN_META, "a byline", NULL);
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
            set_label(&r->lines[i], CLEAN_BOILER, "a standfirst: the summary under the headline",
                NULL);
            return;
        }
}

sl_error sli_clean_title(const char *raw, const clean_input *in, clean_result *r)
{
    size_t n = r->n;
    if (in->title && *in->title) {
        buf norm;
        sli_buf_init(&norm, BUF_UNLIMITED);
        sl_error err = sli_text_normalize(in->title, strlen(in->title), &norm);
        if (!err) {
            uint64_t h = XXH3_64bits(norm.data ? norm.data : "", norm.len);
            for (size_t i = 0; i < n; i++)
                if (r->lines[i].hash == h) {
                    if (r->title_line < 0)
                        r->title_line = (int)i;
                    set_label(&r->lines[i], CLEAN_TITLE, "the headline", NULL);
                }
        }
        sli_buf_free(&norm);
        return err;
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
        set_label(&r->lines[best], CLEAN_TITLE, "the headline", NULL);
        standfirst(r, (size_t)best);
    }
    return SL_OK;
}
