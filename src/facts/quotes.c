/* quotes.c — direct quotations: quote marks paired into parts, parts broken by "he said"
 * joined, each quote classed as speech or phrase and given its speaker (speaker.c).
 *
 * One pass tokenises the article and pairs the quote marks as it goes (docs/facts-quotes.md
 * has the rules): straight " toggles; “ opens and ” closes; ‘ opens a single-quoted part
 * only outside a double one and ’ closes it when no letter follows (so ’s, don’t and ’90s
 * stay apostrophes); a part that never closes ends with its paragraph (a line), and no part
 * is longer than QUOTE_OPEN_MAX bytes of text. Everything is linear in the text: the
 * speaker finder looks at bounded windows of tokens around each quote. */
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/grow.h"
#include "../core/utf8.h"
#include "../text/ascii.h"
#include "quotes_int.h"

/* An unclosed part ends at its paragraph's end, or after this many bytes of text. */
#define QUOTE_OPEN_MAX 4000
/* At most this many parts are joined into one quote. */
#define QUOTE_JOIN_MAX 8
/* A quote with no attribution is speech when it has at least this many words (shorter:
 * a phrase, scare quotes or a title). */
#define PHRASE_MAX_WORDS 7
/* An attribute value in markup (="...") is skipped up to this many bytes. */
#define ATTR_MAX 300
/* A speaker string is at most this many bytes. */
#define SPEAKER_MAX 160

/* ---- characters ---- */

static unsigned cp_at(const char *t, size_t len, size_t i, size_t *n)
{
    unsigned char b = (unsigned char)t[i];
    if (b < 0x80) { /* most text: no call */
        *n = 1;
        return b;
    }
    return sli_utf8_decode((const unsigned char *)t + i, len - i, n);
}

static int is_space_cp(unsigned c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == 0xA0 ||
           (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0x3000 ||
           c == 0xFEFF;
}

static int is_letter_cp_wide(unsigned c);

/* The ASCII test inline (most text), the rest below. */
static inline int is_letter_cp(unsigned c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return is_letter_cp_wide(c);
}

static int is_letter_cp_wide(unsigned c)
{
    if (c == 0xFFFD || c == 0xA0 || c == 0xAB || c == 0xBB || c == 0xA9 || c == 0xAE ||
        c == 0xB7 || c == 0xBF || c == 0xA1 || c == 0xD7 || c == 0xF7)
        return 0;
    if (c < 0xC0)
        return 0;
    if (c >= 0x2000 && c <= 0x206F) /* general punctuation: quotes, dashes, spaces */
        return 0;
    if (c >= 0x2190 && c <= 0x2BFF) /* arrows, symbols */
        return 0;
    if (c >= 0x3000 && c <= 0x303F)
        return 0;
    if (c >= 0xFE00 && c <= 0xFE0F)
        return 0;
    if (c >= 0x1F000) /* emoji */
        return 0;
    return 1;
}

static int is_upper_cp(unsigned c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z';
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return 1;
    if (c >= 0x100 && c <= 0x17F) /* Latin Extended-A: even code points are capitals */
        return !(c & 1);
    if (c >= 0x391 && c <= 0x3A9)
        return 1;
    if (c >= 0x410 && c <= 0x42F)
        return 1;
    return 0;
}

/* Abbreviations that keep their period (so "Mr. Clyburn" is not two sentences). */
static int keeps_period(const char *w, size_t n)
{
    static const char *const abbr[] = {
        "Mr",  "Mrs",  "Ms",   "Dr",  "Sen",  "Rep",  "Gov",  "Lt",   "Gen", "Col",
        "Capt", "Sgt", "Adm",  "Prof", "Rev", "St",   "Jr",   "Sr",   "Inc", "Co",
        "Corp", "Ltd", "No",   "vs",  "Mt",   "Ft",   "Supt", "Cmdr", "Maj", "Pres",
        "Gens", "Sens", "Reps", "Messrs", "Atty", "Jan", "Feb", "Aug", "Sept", "Sep",
        "Oct", "Nov", "Dec", "Ariz", "Calif", "Fla", "Ill", "Mass", "Mich", "Minn",
        "Tenn", "Tex", "Wis", "Wash", "Va", "Pa", "Ky", "Ga", "La", "Md", "Mo", "Ala",
        "Ark", "Colo", "Conn", "Del", "Ind", "Kan", "Miss", "Mont", "Neb", "Nev", "Okla",
        "Ore", "Vt", "Wyo", "Ariz", "Ida", "Wyo", "etc", "approx"};
    if (n == 1 && w[0] >= 'A' && w[0] <= 'Z')
        return 1; /* an initial */
    for (size_t i = 0; i < sizeof abbr / sizeof abbr[0]; i++)
        if (strlen(abbr[i]) == n && !memcmp(abbr[i], w, n))
            return 1;
    for (size_t i = 0; i < n; i++)
        if (w[i] == '.')
            return 1; /* "U.S", "a.m" */
    return 0;
}

/* ---- the tokeniser and quote-mark pairing ---- */

typedef struct scan {
    sli_qdoc *d;
    int state;        /* 0 none, 'd' inside a double-quoted part, 's' single */
    int straight;     /* the open double part began with a straight mark */
    size_t part;      /* the open part's index */
    size_t para;      /* paragraph number */
    int para_blank;   /* nothing but blanks seen in this paragraph yet */
    int sent_next;    /* the next word starts a sentence */
} scan;

static sl_error push_tok(sli_qdoc *d, size_t s, size_t e, int kind, int flags, char ch)
{
    sli_qtok *t = sli_grow_array(d->tok, &d->cap_tok, d->n_tok + 1, sizeof *t, 256);
    if (!t)
        return SL_ERR_NOMEM;
    d->tok = t;
    t[d->n_tok++] = (sli_qtok){.start = s, .end = e, .kind = (unsigned char)kind,
                               .flags = (unsigned char)flags, .ch = ch};
    return SL_OK;
}

static sl_error open_part(scan *s, size_t at, size_t after, int state, int straight)
{
    sli_qdoc *d = s->d;
    sli_qpart *p = sli_grow_array(d->part, &d->cap_part, d->n_part + 1, sizeof *p, 32);
    if (!p)
        return SL_ERR_NOMEM;
    d->part = p;
    p[d->n_part] = (sli_qpart){.open = at, .start = after, .end = after, .close_end = after,
                               .tok_open = d->n_tok, .tok_after = d->n_tok + 1,
                               .para_start = s->para_blank, .para = s->para};
    s->part = d->n_part++;
    s->state = state;
    s->straight = straight;
    s->sent_next = 1;
    return push_tok(d, at, after, SLI_QT_OPEN, 0, 0);
}

/* Ends the open part at byte `at` (its closing mark runs to `after`; at == after when it
 * never closed). */
static sl_error close_part(scan *s, size_t at, size_t after, int closed)
{
    sli_qdoc *d = s->d;
    sli_qpart *p = &d->part[s->part];
    size_t end = at;
    while (end > p->start && (d->text[end - 1] == ' ' || d->text[end - 1] == '\t' ||
                              d->text[end - 1] == '\r'))
        end--;
    if (end - p->start > QUOTE_OPEN_MAX) {
        end = p->start + QUOTE_OPEN_MAX;
        while (end > p->start && ((unsigned char)d->text[end] & 0xC0) == 0x80)
            end--;
    }
    p->end = end;
    p->close_end = after;
    p->closed = closed;
    s->state = 0;
    if (closed) {
        sl_error e = push_tok(d, at, after, SLI_QT_CLOSE, 0, 0);
        if (e)
            return e;
    }
    p->tok_after = d->n_tok;
    return SL_OK;
}

static int letter_at(const char *t, size_t len, size_t i)
{
    if (i >= len)
        return 0;
    size_t n;
    return is_letter_cp(cp_at(t, len, i, &n));
}

/* The code point ending just before byte i (0 at the start). */
static unsigned cp_before(const char *t, size_t i)
{
    if (!i)
        return 0;
    size_t j = i - 1, k = 0;
    while (j > 0 && k < 3 && ((unsigned char)t[j] & 0xC0) == 0x80)
        j--, k++;
    size_t n;
    return sli_utf8_decode((const unsigned char *)t + j, i - j, &n);
}

/* ‘ at i is an apostrophe rather than a quote: ‘90s, ‘em, rock ‘n’ roll. */
static int single_open_is_apostrophe(const char *t, size_t len, size_t after)
{
    size_t j = after;
    while (j < len && t[j] >= '0' && t[j] <= '9')
        j++;
    if (j > after && j - after <= 2 && j < len && t[j] == 's')
        return 1;
    if (len - after >= 2 && !memcmp(t + after, "em", 2) && !letter_at(t, len, after + 2))
        return 1;
    if (len - after >= 1 && t[after] == 'n' && !letter_at(t, len, after + 1))
        return 1;
    return 0;
}

static sl_error tokenize(sli_qdoc *d)
{
    const char *t = d->text;
    size_t len = d->len, i = 0;
    scan s = {.d = d, .para_blank = 1, .sent_next = 1};
    sl_error e = SL_OK;
    while (i < len && !e) {
        size_t n;
        unsigned c = cp_at(t, len, i, &n);
        if (c == '\n' || c == 0x2028 || c == 0x2029) {
            if (s.state)
                e = close_part(&s, i, i, 0);
            if (!e && !s.para_blank)
                e = push_tok(d, i, i + n, SLI_QT_PARA, 0, 0);
            if (!s.para_blank)
                s.para++;
            s.para_blank = 1;
            s.sent_next = 1;
            i += n;
            continue;
        }
        if (is_space_cp(c) || c < 0x20 || c == 0x7F) {
            i += n;
            continue;
        }
        int was_blank = s.para_blank;
        s.para_blank = 0;
        if (is_letter_cp(c)) {
            size_t st = i, j = i + n;
            int flags = is_upper_cp(c) ? SLI_QF_CAP : (c >= 'a' && c <= 'z') || c >= 0xDF
                                                          ? SLI_QF_LOWER
                                                          : 0;
            for (;;) {
                while (j < len && ascii_is_alnum((unsigned char)t[j]))
                    j++; /* ASCII letters and digits, as is_letter_cp below says */
                if (j >= len)
                    break;
                size_t m;
                unsigned k = cp_at(t, len, j, &m);
                if (is_letter_cp(k)) {
                    j += m;
                    continue;
                }
                if ((k == '\'' || k == 0x2019 || k == '-' || k == 0x2010 || k == 0x2011) &&
                    letter_at(t, len, j + m)) {
                    /* ’ followed by a letter closes a single quote only when the letter
                     * starts a new word: keep don’t, Ryan’s, O’Malley inside the word */
                    j += m;
                    continue;
                }
                if (k == '.' && j + 1 < len &&
                    (letter_at(t, len, j + 1) || t[j + 1] == ')' || t[j + 1] == ',')) {
                    /* "N.Y", "(R-Fla.)", "R-Ky.,": not a sentence's end */
                    j += 1;
                    if (letter_at(t, len, j))
                        continue;
                    break;
                }
                if (k == '.' && keeps_period(t + st, j - st)) {
                    j += 1;
                    /* "U.S." keeps going: U . S . */
                    if (letter_at(t, len, j) && j + 1 < len && t[j + 1] == '.')
                        continue;
                    break;
                }
                break;
            }
            /* the possessive: a word ending in 's / ’s */
            if (j - st >= 3 && t[j - 1] == 's' && t[j - 2] == '\'')
                flags |= SLI_QF_POSS;
            if (j - st >= 5 && t[j - 1] == 's' && !memcmp(t + j - 4, "\xE2\x80\x99", 3))
                flags |= SLI_QF_POSS;
            if (s.sent_next)
                flags |= SLI_QF_SENT;
            if (s.state)
                flags |= SLI_QF_INQ;
            s.sent_next = 0;
            e = push_tok(d, st, j, SLI_QT_WORD, flags, 0);
            i = j;
            continue;
        }
        /* quote marks */
        int dbl_open = c == 0x201C || c == 0xAB || c == 0x201E;
        int dbl_close = c == 0x201D || c == 0xBB;
        if (c == '"' && !s.state && i > 0 && t[i - 1] == '=') {
            /* markup left in the text: <tweet id="..."> is no quote */
            size_t j = i + 1;
            while (j < len && j - i < ATTR_MAX && t[j] != '"' && t[j] != '\n')
                j++;
            i = j < len && t[j] == '"' ? j + 1 : i + 1;
            continue;
        }
        if (c == '"') {
            if (s.state == 'd')
                e = close_part(&s, i, i + n, 1);
            else {
                if (s.state == 's')
                    e = close_part(&s, i, i, 0);
                if (!e)
                    e = open_part(&s, i, i + n, 'd', 1);
                if (!e)
                    d->part[s.part].para_start = was_blank;
            }
            i += n;
            continue;
        }
        if (dbl_open && s.state == 'd' && !s.straight && i > 0 &&
            !is_space_cp(cp_before(t, i)) && (i + n >= len || !letter_at(t, len, i + n))) {
            /* “ typed for ” : “It's unusual,“ said Larry Noble */
            e = close_part(&s, i, i + n, 1);
            i += n;
            continue;
        }
        if (dbl_open || (dbl_close && !s.state && !letter_at(t, len, i - (i > 0)) &&
                         letter_at(t, len, i + n) && (!i || is_space_cp(cp_before(t, i))))) {
            if (s.state)
                e = close_part(&s, i, i, 0);
            if (!e)
                e = open_part(&s, i, i + n, 'd', 0);
            if (!e)
                d->part[s.part].para_start = was_blank;
            i += n;
            continue;
        }
        if (dbl_close) {
            if (s.state == 'd')
                e = close_part(&s, i, i + n, 1);
            else if (s.state == 's')
                e = close_part(&s, i, i + n, 1);
            i += n;
            continue;
        }
        if (c == 0x2018) {
            unsigned b = cp_before(t, i);
            if (!s.state && !is_letter_cp(b) && letter_at(t, len, i + n) &&
                !single_open_is_apostrophe(t, len, i + n)) {
                e = open_part(&s, i, i + n, 's', 0);
                if (!e)
                    d->part[s.part].para_start = was_blank;
            }
            i += n;
            continue;
        }
        if (c == 0x2019 || c == '\'') {
            if (s.state == 's' && c == 0x2019 && !letter_at(t, len, i + n))
                e = close_part(&s, i, i + n, 1);
            i += n;
            continue;
        }
        /* punctuation */
        char ch = '*';
        if (c == '.' || c == ',' || c == ':' || c == ';' || c == '!' || c == '?' ||
            c == '(' || c == ')')
            ch = (char)c;
        else if (c == '-' || c == 0x2013 || c == 0x2014 || c == 0x2015 || c == 0x2012)
            ch = '-';
        else if (c == 0x2026)
            ch = '.';
        if (ch == '.' || ch == '!' || ch == '?')
            s.sent_next = 1;
        e = push_tok(d, i, i + n, SLI_QT_PUNCT, s.state ? SLI_QF_INQ : 0, ch);
        i += n;
    }
    if (!e && s.state)
        e = close_part(&s, len, len, 0);
    if (e)
        return e;
    /* which parts end their paragraph (nothing but punctuation after them) */
    for (size_t p = 0; p < d->n_part; p++) {
        size_t k = d->part[p].tok_after;
        while (k < d->n_tok && d->tok[k].kind == SLI_QT_PUNCT)
            k++;
        d->part[p].para_end = k >= d->n_tok || d->tok[k].kind == SLI_QT_PARA;
    }
    return SL_OK;
}

/* ---- quotes ---- */

static size_t count_words(const sli_qdoc *d, size_t p)
{
    size_t n = 0;
    /* a single mark that never closed was an apostrophe (‘bout, ‘D-‘ rating) */
    if (!d->part[p].closed && d->part[p].open + 3 <= d->len &&
        !memcmp(d->text + d->part[p].open, "\xE2\x80\x98", 3))
        return 0;
    for (size_t k = d->part[p].tok_open + 1; k < d->part[p].tok_after; k++)
        if (d->tok[k].kind == SLI_QT_WORD)
            n++;
    return n;
}

static sl_error append_trimmed(buf *b, const char *s, size_t n)
{
    while (n && (s[0] == ' ' || s[0] == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (!n)
        return SL_OK;
    if (b->len) {
        sl_error e = sli_buf_putc(b, ' ');
        if (e)
            return e;
    }
    return sli_buf_append(b, s, n);
}

/* One quote being built: parts [first, last] and what was found of its speaker. */
typedef struct qgroup {
    size_t first, last;
    size_t words;
    int found;        /* an attribution (a speech verb or an introducing colon) */
    int inherited;
    sli_quote_kind kind;
    char spk[SPEAKER_MAX];
    size_t spk_len;
} qgroup;

/* Whether group g (with no attribution) continues the speech quote before it: it opens
 * its paragraph and that one was in this or the previous paragraph, or it follows it in
 * the same paragraph after a full stop (“A,” he said. “B.”). */
static int continues(const sli_qdoc *d, const qgroup *prev, const qgroup *g)
{
    size_t pp = d->part[prev->last].para, gp = d->part[g->first].para;
    if (d->part[g->first].para_start && (gp == pp + 1 || gp == pp))
        return 1;
    if (gp == pp) {
        size_t k = d->part[g->first].tok_open;
        if (k > 0 && d->tok[k - 1].kind == SLI_QT_PUNCT &&
            (d->tok[k - 1].ch == '.' || d->tok[k - 1].ch == ':'))
            return 1;
        /* after a quoted title that ended the sentence: on NBC's “Meet the Press.” “...” */
        if (k > 1 && d->tok[k - 1].kind == SLI_QT_CLOSE && d->tok[k - 2].kind == SLI_QT_PUNCT &&
            (d->tok[k - 2].ch == '.' || d->tok[k - 2].ch == '!' || d->tok[k - 2].ch == '?'))
            return 1;
        /* “...,” and, “...” — nothing but punctuation and a conjunction between */
        size_t a = d->part[prev->last].tok_after;
        if (k < a || k - a > 3)
            return 0;
        for (size_t t = a; t < k; t++)
            if (d->tok[t].kind != SLI_QT_PUNCT && !(d->tok[t].kind == SLI_QT_WORD &&
                                                    (d->tok[t].flags & SLI_QF_LOWER) &&
                                                    d->tok[t].end - d->tok[t].start <= 3))
                return 0;
        return 1;
    }
    return 0;
}

/* A quote with no attribution too short to be speech on its own. */
static int is_phrase_like(const qgroup *c)
{
    return !c->found && !c->inherited && c->words < PHRASE_MAX_WORDS;
}

sl_error sli_quotes_find(const sli_facts_ctx *ctx, const char *text, size_t len,
                         sli_facts *out)
{
    if (!out || (!text && len))
        return SL_ERR_INVALID;
    if (!len)
        return SL_OK;
    sli_qdoc d = {.text = text, .len = len, .words = sli_facts_ctx_qwords(ctx)};
    qgroup *g = NULL;
    size_t n_g = 0, cap_g = 0;
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    sl_error e = tokenize(&d);
    if (!e && d.n_part) /* the lexicon serves only the speakers of quotes */
        e = sli_qlex_build(&d);
    /* the quotes: parts joined across "he said", each with its own attribution */
    for (size_t p = 0; !e && p < d.n_part;) {
        size_t q = p;
        while (q + 1 < d.n_part && q - p + 1 < QUOTE_JOIN_MAX && d.part[q].closed &&
               d.part[q + 1].para == d.part[q].para && sli_qgap_is_attribution(&d, q))
            q++;
        size_t words = 0;
        for (size_t k = p; k <= q; k++)
            words += count_words(&d, k);
        if (!words) {
            p = q + 1;
            continue;
        }
        qgroup *ng = sli_grow_array(g, &cap_g, n_g + 1, sizeof *g, 16);
        if (!ng) {
            e = SL_ERR_NOMEM;
            break;
        }
        g = ng;
        qgroup *c = &g[n_g++];
        *c = (qgroup){.first = p, .last = q, .words = words};
        sli_qspeaker sp;
        c->found = sli_qspeaker_find(&d, p, q, &sp);
        if (c->found && words < PHRASE_MAX_WORDS && sli_qtitle_like(&d, p, q))
            c->found = 0; /* said Sunday on NBC’s “Meet the Press.” */
        if (c->found)
            c->spk_len = sli_qspeaker_string(&d, &sp, d.part[p].tok_open, c->spk, sizeof c->spk);
        p = q + 1;
    }
    /* quotes with no speaker of their own: the one before them when they continue it
     * (the next paragraph of a long quote, “A,” he said. “B.”), else the one after them
     * when it opens the next paragraph (a speaker named only after the quote) */
    size_t last = (size_t)-1; /* the last quote with a speaker (phrases passed over) */
    for (size_t i = 0; i < n_g; i++) {
        qgroup *c = &g[i];
        if (last != (size_t)-1 && !c->spk_len && is_phrase_like(c) &&
            !continues(&d, &g[last], c))
            continue; /* a title between: “...,” he said on “Meet the Press.” “...” */
        qgroup *prev = last != (size_t)-1 ? &g[last] : NULL;
        if (c->spk_len || c->found)
            last = i;
        if (!prev || c->spk_len || !prev->spk_len)
            continue;
        if (c->found && !continues(&d, prev, c))
            continue;
        if (!continues(&d, prev, c))
            continue;
        memcpy(c->spk, prev->spk, prev->spk_len);
        c->spk_len = prev->spk_len;
        c->inherited = 1;
        last = i;
    }
    for (size_t i = n_g; i-- > 1;) {
        qgroup *c = &g[i - 1], *next = &g[i];
        if (c->found || c->inherited || !next->spk_len || !next->found)
            continue;
        if (!d.part[c->first].para_start || !d.part[c->last].para_end ||
            !d.part[next->first].para_start ||
            d.part[next->first].para != d.part[c->last].para + 1)
            continue;
        memcpy(c->spk, next->spk, next->spk_len);
        c->spk_len = next->spk_len;
        c->inherited = 1;
    }
    for (size_t i = 0; !e && i < n_g; i++) {
        qgroup *c = &g[i];
        sli_buf_clear(&b);
        for (size_t k = c->first; k <= c->last && !e; k++)
            e = append_trimmed(&b, text + d.part[k].start, d.part[k].end - d.part[k].start);
        if (e)
            break;
        /* The comma before "he said" is the sentence's, not the speaker's: "It links the
         * town," said X is the quote "It links the town". */
        while (b.len && (b.data[b.len - 1] == ',' || b.data[b.len - 1] == ';' ||
                         b.data[b.len - 1] == ':' || b.data[b.len - 1] == ' '))
            b.len--;
        sli_quote_kind kind = SLI_QUOTE_SPEECH;
        if (is_phrase_like(c))
            kind = SLI_QUOTE_PHRASE;
        e = sli_facts_add_quote(out, b.data, b.len, kind == SLI_QUOTE_SPEECH && c->spk_len ? c->spk : NULL,
                                kind == SLI_QUOTE_SPEECH ? c->spk_len : 0, kind,
                                d.part[c->first].start);
    }
    free(g);
    sli_buf_free(&b);
    sli_qlex_free(&d);
    free(d.tok);
    free(d.part);
    return e;
}
