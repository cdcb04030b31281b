/* variants.c — an event's quotes grouped into utterances (docs/facts-variants.md).
 *
 * 1. Every quote becomes a list of word tokens: NFKC + case fold (text/normalize.h),
 *    apostrophes dropped inside words ("don’t" = "don't" = "dont"), other punctuation a
 *    break, numbers without their grouping commas ("1,00,000" = "100,000" = "100000") and
 *    with a multiplier word folded in ("2.5 lakh" = "250000", "3.5 million" = "3500000").
 * 2. Quotes with the same token list (and, when short, the same speaker) are one unit.
 * 3. Candidates: units sharing a word bigram, from an index whose lists hold the first
 *    POSTINGS_CAP units only; a unit verifies its CANDIDATES_MAX best-sharing candidates.
 *    Every step is bounded per token, so the whole is linear in the total tokens.
 * 4. Verification aligns the shorter token list into the longer: anchors are the shorter's
 *    bigrams found in the longer (a map keyed by (unit, bigram) gives the position), then
 *    greedy extension across typos, substitutions and one-word insertions. The share of
 *    the shorter's tokens aligned in segments of three or more, less a penalty for each
 *    jump between segments, must reach SIM_MIN.
 * 5. Edges: a near-equal pair is joined (union-find); a fragment (the shorter under
 *    FRAGMENT_RATIO of the longer) or a short quote without a speaker only attaches to its
 *    single best partner, so a phrase two different quotes share cannot bridge them. */
#include "facts.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <xxhash.h>

#include "../core/buf.h"
#include "../core/grow.h"
#include "../core/u64map.h"
#include "../core/utf8.h"
#include "../text/normalize.h"

/* Tuned constants: docs/facts-variants.md says how each was chosen. */
#define SIM_MIN 0.8            /* aligned share of the shorter quote to be the same */
#define MIN_FUZZY_TOKENS 5     /* shorter than this: only equal (or one typo, same length) */
#define SPEAKER_FREE_TOKENS 8  /* at least this long: the speaker does not matter */
#define FRAGMENT_RATIO 0.8     /* shorter/longer under this, and */
#define BRIDGE_TOKENS 8        /* shorter than this: a fragment (attaches only) */
#define OVERLAP_TOKENS 10      /* under SIM_MIN, still one when this many tokens align */
#define OVERLAP_SHARE 0.5      /* and they are this share of the shorter */
#define LOCAL_EDIT 2           /* words in a row replaced, added or left out in a segment */
#define SEGMENT_MIN 3          /* aligned tokens in a row for a segment to count */
#define JUMP_PENALTY 2.0       /* tokens taken off the aligned count per extra segment */
#define POSTINGS_CAP 64        /* units listed per bigram */
#define CANDIDATES_MAX 24      /* candidates verified per unit */
#define TYPO_SHARE 5           /* at most 1 + m/5 typos in an alignment */
#define FUZZY_TOKEN_MAX 48     /* longer tokens compare exactly */

typedef struct tok {
    size_t off, len; /* in the token bytes */
    uint64_t h;
    int num;         /* a number: no fuzzy match */
} tok;

typedef struct unit {
    size_t first_tok, ntok;
    size_t rep;       /* the earliest quote of this wording */
    size_t prints;
    uint64_t spk;     /* speaker key (last word of the name), 0 when unknown */
    size_t parent;    /* union-find */
    size_t best;      /* weak edge: the partner it attaches to, or (size_t)-1 */
    double best_sim;
    uint64_t ident;   /* its wording: the hash of its tokens (the memo's) */
} unit;

typedef struct state {
    buf chars;        /* token bytes */
    tok *toks;
    size_t ntoks, cap_toks;
    unit *units;
    size_t nunits;
    u64map at;        /* key(unit, bigram) -> first position + 1 */
    size_t work;
    /* the edges that decided anything, kept for a memo (NULL: not kept) */
    struct logged *log;
    size_t nlog, cap_log;
    int keep_log;
} state;

/* An edge that decided something: a join (weak 0), or a partner offered to a fragment
 * (weak 1: `a` may attach to `b`, by its similarity). */
typedef struct logged {
    size_t a, b;
    double sim;
    int weak;
} logged;

static sl_error log_edge(state *st, size_t a, size_t b, double sim, int weak)
{
    if (!st->keep_log)
        return SL_OK;
    logged *l = sli_grow_array(st->log, &st->cap_log, st->nlog + 1, sizeof *l, 64);
    if (!l)
        return SL_ERR_NOMEM;
    st->log = l;
    st->log[st->nlog++] = (logged){a, b, sim, weak};
    return SL_OK;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x9e3779b97f4a7c15ull;
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 32;
    return x;
}

static uint64_t bigram(const tok *a, const tok *b)
{
    return mix(a->h * 0x100000001b3ull + (b->h ^ 0x5bd1e995u));
}

static uint64_t at_key(size_t u, uint64_t bg)
{
    return mix(bg ^ mix((uint64_t)u + 0x632be59bd9b4e019ull));
}

/* ---- tokens ---- */

static int word_cp(unsigned cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z');
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

static sl_error push_tok(state *st, size_t off, int num)
{
    tok *t = st->toks;
    if (st->ntoks == st->cap_toks) {
        size_t cap = st->cap_toks ? 2 * st->cap_toks : 256;
        t = realloc(st->toks, cap * sizeof *t);
        if (!t)
            return SL_ERR_NOMEM;
        st->toks = t;
        st->cap_toks = cap;
    }
    size_t len = st->chars.len - off;
    t[st->ntoks++] = (tok){off, len, XXH3_64bits(st->chars.data + off, len), num};
    return SL_OK;
}

/* The multiplier a word stands for after a number, or 0. */
static double multiplier(const char *w, size_t n)
{
    static const struct { const char *w; double m; } tab[] = {
        {"thousand", 1e3}, {"lakh", 1e5}, {"lakhs", 1e5}, {"lac", 1e5}, {"lacs", 1e5},
        {"million", 1e6}, {"crore", 1e7}, {"crores", 1e7}, {"billion", 1e9},
        {"trillion", 1e12},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strlen(tab[i].w) == n && !memcmp(tab[i].w, w, n))
            return tab[i].m;
    return 0;
}

/* A number token just written at chars[off..): "2.50" as "2.5", with the multiplier word
 * that follows in norm[*i..) folded in ("2.5 lakh" -> "250000"). Long digit strings stay
 * as they are. */
static sl_error finish_number(state *st, size_t off, const char *norm, size_t n, size_t *i)
{
    size_t len = st->chars.len - off;
    int dot = memchr(st->chars.data + off, '.', len) != NULL;
    /* the next word, if it is a multiplier */
    size_t j = *i;
    while (j < n && norm[j] == ' ')
        j++;
    size_t k = j;
    while (k < n && norm[k] >= 'a' && norm[k] <= 'z')
        k++;
    double m = (k > j && (k == n || !word_cp((unsigned char)norm[k]))) ? multiplier(norm + j, k - j)
                                                                         : 0;
    if ((!dot && m == 0) || len > 18)
        return push_tok(st, off, 1);
    char digits[24];
    memcpy(digits, st->chars.data + off, len);
    digits[len] = '\0';
    double v = strtod(digits, NULL) * (m ? m : 1);
    char out[40];
    if (v < 1e15 && fabs(v - floor(v + 0.5)) < 1e-6)
        snprintf(out, sizeof out, "%.0f", floor(v + 0.5));
    else
        snprintf(out, sizeof out, "%.15g", v);
    st->chars.len = off;
    sl_error err = sli_buf_append(&st->chars, out, strlen(out));
    if (err)
        return err;
    if (m)
        *i = k;
    return push_tok(st, off, 1);
}

/* Tokens of one quote appended to st->toks. */
static sl_error tokenize(state *st, const char *text, buf *norm)
{
    sli_buf_clear(norm);
    size_t tlen = strlen(text);
    sl_error err = sli_text_normalize(text, tlen, norm);
    if (err == SL_ERR_UTF8) { /* not UTF-8 after all: the bytes, ASCII folded */
        sli_buf_clear(norm);
        err = sli_buf_append(norm, text, tlen);
        for (size_t i = 0; !err && i < norm->len; i++)
            if (norm->data[i] >= 'A' && norm->data[i] <= 'Z')
                norm->data[i] = (char)(norm->data[i] + 32);
    }
    if (err)
        return err;
    const char *s = sli_buf_str(norm);
    const unsigned char *u = (const unsigned char *)s;
    size_t n = norm->len, i = 0;
    while (i < n) {
        size_t len;
        unsigned cp = sli_utf8_decode(u + i, n - i, &len);
        if (!word_cp(cp)) {
            i += len;
            continue;
        }
        size_t off = st->chars.len;
        if (cp >= '0' && cp <= '9') {
            /* digits, with , and . between digits: the commas dropped */
            while (i < n) {
                if (u[i] >= '0' && u[i] <= '9') {
                    if ((err = sli_buf_putc(&st->chars, (char)u[i])))
                        return err;
                    i++;
                } else if ((u[i] == ',' || u[i] == '.') && i + 1 < n && u[i + 1] >= '0' &&
                           u[i + 1] <= '9') {
                    if (u[i] == '.' && (err = sli_buf_putc(&st->chars, '.')))
                        return err;
                    i++;
                } else {
                    break;
                }
            }
            if ((err = finish_number(st, off, s, n, &i)))
                return err;
            continue;
        }
        /* a word: letters, marks and digits; an apostrophe inside it is dropped */
        for (;;) {
            if (i < n && u[i] == '\'' && i + 1 < n) {
                size_t l2;
                unsigned c2 = sli_utf8_decode(u + i + 1, n - i - 1, &l2);
                if (word_cp(c2)) {
                    i++;
                    continue;
                }
            }
            if (i >= n)
                break;
            unsigned c = sli_utf8_decode(u + i, n - i, &len);
            if (!word_cp(c))
                break;
            if ((err = sli_buf_append(&st->chars, s + i, len)))
                return err;
            i += len;
        }
        if ((err = push_tok(st, off, 0)))
            return err;
    }
    return SL_OK;
}

/* The key of a speaker: the hash of the last word of the name, case folded; 0 if none. */
static sl_error speaker_key(state *st, const char *speaker, buf *norm, uint64_t *key)
{
    *key = 0;
    if (!speaker || !*speaker)
        return SL_OK;
    size_t ntoks = st->ntoks, nchars = st->chars.len;
    sl_error err = tokenize(st, speaker, norm);
    if (!err && st->ntoks > ntoks)
        *key = st->toks[st->ntoks - 1].h | 1;
    st->ntoks = ntoks; /* the speaker's tokens are not kept */
    st->chars.len = nchars;
    return err;
}

/* ---- comparing tokens ---- */

static const char *tok_str(const state *st, const tok *t)
{
    return st->chars.data + t->off;
}

/* Whether two words are one with a typo: Damerau-Levenshtein distance at most 1 when one
 * has 4 bytes or more and the other 3 (2 when both have 8); shorter words only when equal
 * ("is" for "in" is a substituted word, not a typo). Bounded by FUZZY_TOKEN_MAX. */
static int fuzzy_eq(const state *st, const tok *a, const tok *b)
{
    if (a->h == b->h)
        return 1;
    if (a->num || b->num || a->len > FUZZY_TOKEN_MAX || b->len > FUZZY_TOKEN_MAX)
        return 0;
    size_t la = a->len, lb = b->len;
    size_t lim = (la >= 8 && lb >= 8) ? 2 : 1;
    if ((la < 4 && lb < 4) || la < 3 || lb < 3 || (la > lb ? la - lb : lb - la) > lim)
        return 0;
    const char *x = tok_str(st, a), *y = tok_str(st, b);
    unsigned d0[FUZZY_TOKEN_MAX + 1], d1[FUZZY_TOKEN_MAX + 1], d2[FUZZY_TOKEN_MAX + 1];
    unsigned *pp = d0, *p = d1, *c = d2;
    for (size_t j = 0; j <= lb; j++)
        p[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        c[0] = (unsigned)i;
        unsigned row_min = c[0];
        for (size_t j = 1; j <= lb; j++) {
            unsigned cost = x[i - 1] != y[j - 1];
            unsigned v = p[j - 1] + cost;
            if (p[j] + 1 < v)
                v = p[j] + 1;
            if (c[j - 1] + 1 < v)
                v = c[j - 1] + 1;
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] &&
                pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (row_min > lim)
            return 0;
        unsigned *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[lb] <= lim;
}

/* ---- verification ---- */

/* scratch for an alignment: p[i] = position + 1 in the longer (0: none), how[i] */
typedef struct scratch {
    size_t *p;
    unsigned char *how; /* 0 none, 1 matched, 2 substituted (aligned, not matched), 3 a
                         * typo (matched) */
    size_t cap;
} scratch;

static size_t lookup(const state *st, size_t unit_b, uint64_t bg)
{
    const uint64_t *v = sli_u64map_get(&st->at, at_key(unit_b, bg));
    return v ? (size_t)*v : 0;
}

/* A run of aligned tokens, and what the counted ones add up to. */
typedef struct seg {
    size_t len, matched, typos, a_first, a_last, b_first, b_last;
} seg;
typedef struct align {
    size_t matched, typos, segments;
    size_t a_first, a_last, b_first, b_last; /* the span of the counted segments */
} align;

static void seg_close(align *al, seg *s, size_t m)
{
    if (s->len && (s->matched >= SEGMENT_MIN || s->matched == m)) {
        if (!al->segments++) {
            al->a_first = s->a_first;
            al->b_first = s->b_first;
        }
        al->matched += s->matched;
        al->typos += s->typos;
        al->a_last = s->a_last;
        if (s->b_last > al->b_last)
            al->b_last = s->b_last;
        if (s->b_first < al->b_first)
            al->b_first = s->b_first;
    }
    *s = (seg){0};
}

/* Align a (the shorter) into b: the similarity, the share of a's tokens aligned in
 * segments, less JUMP_PENALTY per extra segment; *al gets the counts and spans. */
static double similarity(state *st, scratch *sc, size_t ua, size_t ub, align *al)
{
    *al = (align){0};
    const unit *A = &st->units[ua], *B = &st->units[ub];
    const tok *a = st->toks + A->first_tok, *b = st->toks + B->first_tok;
    size_t m = A->ntok, n = B->ntok;
    size_t *p = sc->p;
    unsigned char *how = sc->how;
    memset(p, 0, m * sizeof *p);
    memset(how, 0, m);
    st->work += m;

    if (m < MIN_FUZZY_TOKENS) {
        /* short: the same length, position by position, at most one typo */
        if (m != n)
            return 0;
        size_t typos = 0;
        for (size_t i = 0; i < m; i++) {
            if (a[i].h == b[i].h)
                continue;
            if (!fuzzy_eq(st, &a[i], &b[i]) || ++typos > 1)
                return 0;
        }
        return m > 1 && typos <= 1 ? 1.0 : 0;
    }

    /* anchors: a's bigrams where b has them (the diagonal followed first, so that a
     * repeated bigram does not send it back to b's first) */
    for (size_t i = 0; i + 1 < m; i++) {
        if (p[i] && p[i] < n && a[i + 1].h == b[p[i]].h) { /* the diagonal goes on */
            if (!p[i + 1]) {
                p[i + 1] = p[i] + 1;
                how[i + 1] = 1;
            }
            continue;
        }
        if (!p[i] && i >= 1 && p[i - 1] && p[i - 1] + 1 < n &&
            a[i + 1].h == b[p[i - 1] + 1].h) { /* on across one word (a typo, say) */
            if (!p[i + 1]) {
                p[i + 1] = p[i - 1] + 2;
                how[i + 1] = 1;
            }
            continue;
        }
        size_t q = lookup(st, ub, bigram(&a[i], &a[i + 1]));
        if (!q || (p[i] && p[i] != q))
            continue; /* none, or elsewhere than the diagonal a[i] is on */
        if (!p[i]) {
            p[i] = q;
            how[i] = 1;
        }
        if (!p[i + 1]) {
            p[i + 1] = q + 1;
            how[i + 1] = 1;
        }
    }
    /* back along the diagonal from each anchor, over an anchor that disagrees (b's first
     * place of a bigram it has twice) */
    for (size_t i = m - 1; i-- > 0;) {
        if (p[i + 1] >= 2 && p[i] != p[i + 1] - 1 && a[i].h == b[p[i + 1] - 2].h) {
            p[i] = p[i + 1] - 1;
            how[i] = 1;
        }
    }
    /* forward: across a typo, a substituted word, a word b has in addition; never onto
     * or past where the next token of a is */
    for (size_t i = 1; i < m; i++) {
        if (p[i] || !p[i - 1])
            continue;
        size_t q = p[i - 1]; /* b's index of the token after a[i-1]'s (0-based) */
        if (q >= n)
            continue;
        size_t next = i + 1 < m ? p[i + 1] : 0; /* 0: free */
        int sub = 0;
        if (fuzzy_eq(st, &a[i], &b[q]) && (!next || next > q + 1)) {
            p[i] = q + 1;
            how[i] = a[i].h == b[q].h ? 1 : 3;
        } else if (next == q + 2) {
            sub = 1;
        } else if (q + 1 < n && a[i].h == b[q + 1].h && (!next || next > q + 2)) {
            p[i] = q + 2;
            how[i] = 1;
        } else if (((i + 1 < m && q + 1 < n && fuzzy_eq(st, &a[i + 1], &b[q + 1])) ||
                    (i + 1 == m && q + 1 == n)) &&
                   (!next || next > q + 1)) {
            sub = 1;
        }
        if (sub) { /* a word substituted */
            if (a[i].num && b[q].num)
                return 0; /* another number: another statement */
            p[i] = q + 1;
            how[i] = 2;
        }
    }
    /* backward: the same before an anchor */
    for (size_t i = m - 1; i-- > 0;) {
        if (p[i] || p[i + 1] < 2)
            continue;
        size_t q = p[i + 1] - 2; /* b's index before a[i+1]'s */
        size_t prev = i >= 1 ? p[i - 1] : 0;
        int sub = 0;
        if (fuzzy_eq(st, &a[i], &b[q]) && prev < q + 1) {
            p[i] = q + 1;
            how[i] = a[i].h == b[q].h ? 1 : 3;
        } else if (prev && prev == q) {
            sub = 1;
        } else if (q >= 1 && a[i].h == b[q - 1].h && prev < q) {
            p[i] = q;
            how[i] = 1;
        } else if (((i >= 1 && q >= 1 && fuzzy_eq(st, &a[i - 1], &b[q - 1])) ||
                    (i == 0 && q == 0)) &&
                   prev < q + 1) {
            sub = 1;
        }
        if (sub) {
            if (a[i].num && b[q].num)
                return 0;
            p[i] = q + 1;
            how[i] = 2;
        }
    }
    /* segments: aligned tokens whose positions step by 1 to 1 + LOCAL_EDIT, with up to
     * LOCAL_EDIT tokens of a unaligned between (words replaced, or b lacks) */
    seg cur = {0};
    size_t last = 0, gap = 0;
    for (size_t i = 0; i <= m; i++) {
        int cont = 0;
        if (i < m && p[i] && cur.len) {
            size_t step = p[i] > last ? p[i] - last : 0;
            cont = step >= 1 && step <= 1 + LOCAL_EDIT && gap <= LOCAL_EDIT;
        }
        if (i == m || (p[i] && !cont && cur.len)) {
            seg_close(al, &cur, m);
            if (i == m)
                break;
        }
        if (p[i]) {
            if (!cur.len) {
                cur.a_first = i;
                cur.b_first = p[i] - 1;
            }
            cur.len++;
            cur.matched += how[i] == 1 || how[i] == 3;
            cur.typos += how[i] == 3;
            cur.a_last = i;
            cur.b_last = p[i] - 1;
            last = p[i];
            gap = 0;
        } else if (cur.len && ++gap > LOCAL_EDIT) {
            seg_close(al, &cur, m);
        }
    }
    if (al->typos > 1 + m / TYPO_SHARE)
        return 0; /* words like each other, not one text with typos */
    double score = (double)al->matched -
                   (al->segments > 1 ? JUMP_PENALTY * (double)(al->segments - 1) : 0);
    return score / (double)m;
}

/* ---- union-find ---- */

static size_t find(unit *u, size_t x)
{
    while (u[x].parent != x) {
        u[x].parent = u[u[x].parent].parent;
        x = u[x].parent;
    }
    return x;
}

static void join(unit *u, size_t a, size_t b)
{
    a = find(u, a);
    b = find(u, b);
    if (a == b)
        return;
    if (a < b) /* the root is the earliest unit */
        u[b].parent = a;
    else
        u[a].parent = b;
}

/* ---- ordering ---- */

typedef struct ord {
    const char *date;
    long long order;
    size_t i;
} ord;

static int ord_cmp(const void *x, const void *y)
{
    const ord *a = x, *b = y;
    if (a->date != b->date) {
        if (!a->date)
            return 1; /* undated after dated */
        if (!b->date)
            return -1;
        int c = strcmp(a->date, b->date);
        if (c)
            return c;
    }
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

typedef struct cand {
    size_t unit, shared;
} cand;

static int cand_cmp(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->shared != b->shared)
        return a->shared > b->shared ? -1 : 1;
    return a->unit < b->unit ? -1 : a->unit > b->unit;
}

/* The k best candidates (cand_cmp's order) moved to c[0..k), in no particular order:
 * a selection (quickselect, pivot the median of three), linear where a sort is n log n.
 * Exact: cand_cmp is a total order (units differ), and the edges a unit makes do not
 * depend on the order its candidates are verified in (joins make the earliest unit the
 * root; a best partner is the best by a total order). */
static void top_cands(cand *c, size_t n, size_t k)
{
    size_t lo = 0, hi = n; /* the k-th best lies in c[lo..hi) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2, last = hi - 1;
        /* median of three to c[last] */
        if (cand_cmp(&c[mid], &c[lo]) < 0) {
            cand t = c[mid]; c[mid] = c[lo]; c[lo] = t;
        }
        if (cand_cmp(&c[last], &c[lo]) < 0) {
            cand t = c[last]; c[last] = c[lo]; c[lo] = t;
        }
        if (cand_cmp(&c[mid], &c[last]) < 0) {
            cand t = c[mid]; c[mid] = c[last]; c[last] = t;
        }
        /* Lomuto: the better than the pivot first */
        size_t store = lo;
        for (size_t i = lo; i < last; i++)
            if (cand_cmp(&c[i], &c[last]) < 0) {
                cand t = c[i]; c[i] = c[store]; c[store] = t;
                store++;
            }
        cand t = c[store]; c[store] = c[last]; c[last] = t;
        if (store == k - 1 || store == k)
            return; /* c[0..store) are the store best; with c[store], store + 1 */
        if (store > k)
            hi = store;
        else
            lo = store + 1;
    }
}

/* ---- candidates ---- */

/* The index of keys (bigrams) to the first POSTINGS_CAP units that have them, and the
 * tally of the unit being looked at. */
typedef struct cand_index {
    u64map post;        /* key -> (count << 40) | (head + 1) */
    size_t *post_unit, *post_next, npost, cap_post;
    size_t *tally;      /* per unit: keys shared with the current one */
    cand *cands;
    size_t ncand, cap_cands;
} cand_index;

/* The units listed under key become candidates of u; then u is listed under it. */
static sl_error scan_and_post(cand_index *ci, state *st, size_t u, uint64_t key, int scan,
                              u64map *posted)
{
    uint64_t *val;
    int added;
    sl_error err = sli_u64map_put(&ci->post, key, &val, &added);
    if (err)
        return err;
    size_t head = (size_t)(*val & 0xffffffffffull), count = (size_t)(*val >> 40);
    for (size_t h = scan ? head : 0; h; h = ci->post_next[h - 1]) {
        size_t v = ci->post_unit[h - 1];
        st->work++;
        if (v == u)
            continue; /* listed by one of its own keys */
        if (ci->tally[v]++ == 0) {
            if (ci->ncand == ci->cap_cands) {
                size_t cap = ci->cap_cands ? 2 * ci->cap_cands : 64;
                cand *c = realloc(ci->cands, cap * sizeof *c);
                if (!c)
                    return SL_ERR_NOMEM;
                ci->cands = c;
                ci->cap_cands = cap;
            }
            ci->cands[ci->ncand++] = (cand){v, 0};
        }
    }
    if (count >= POSTINGS_CAP)
        return SL_OK;
    if (posted && (err = sli_u64map_put(posted, key, NULL, NULL)))
        return err;
    if (ci->npost == ci->cap_post) {
        size_t cap = ci->cap_post ? 2 * ci->cap_post : 1024;
        size_t *pu = realloc(ci->post_unit, cap * sizeof *pu);
        if (!pu)
            return SL_ERR_NOMEM;
        ci->post_unit = pu;
        size_t *pn = realloc(ci->post_next, cap * sizeof *pn);
        if (!pn)
            return SL_ERR_NOMEM;
        ci->post_next = pn;
        ci->cap_post = cap;
    }
    ci->post_unit[ci->npost] = u;
    ci->post_next[ci->npost] = head;
    ci->npost++;
    *val = ((uint64_t)(count + 1) << 40) | (uint64_t)ci->npost;
    return SL_OK;
}

/* Consider the edge between units u and v (both verified candidates). */
/* Partner `to` offered to fragment `at` with similarity sim: it keeps the best, the most
 * similar, then the most printed, then the earliest (a total order: the offers' order
 * does not matter). */
static void offer(unit *U, size_t at, size_t to, double sim)
{
    size_t cur = U[at].best;
    if (cur == (size_t)-1 || sim > U[at].best_sim ||
        (sim == U[at].best_sim &&
         (U[to].prints > U[cur].prints || (U[to].prints == U[cur].prints && to < cur)))) {
        U[at].best = to;
        U[at].best_sim = sim;
    }
}

static sl_error edge(state *st, scratch *sc, size_t u, size_t v)
{
    unit *U = st->units;
    /* a: the shorter; of equal lengths, the later (u) */
    size_t a = u, b = v;
    if (U[v].ntok < U[u].ntok) {
        a = v;
        b = u;
    }
    size_t m = U[a].ntok, n = U[b].ntok;
    int is_short = m < SPEAKER_FREE_TOKENS;
    if (is_short && U[a].spk && U[b].spk && U[a].spk != U[b].spk)
        return SL_OK; /* a short sentence two people said: two quotes */
    align al;
    double sim = similarity(st, sc, a, b, &al);
    if (is_short && m >= MIN_FUZZY_TOKENS &&
        !(al.segments == 1 && al.matched == m && al.b_last + 1 - al.b_first == m &&
          al.typos <= 1))
        return SL_OK; /* a short quote: all of it, in one piece, at most one typo */
    if (sim < SIM_MIN) {
        /* two cuts of one quote that overlap: one long shared stretch, most of the
         * shorter, running from the end of one to the start of the other */
        int tail_head = al.a_first <= 1 && al.b_last + 2 >= n;
        int head_tail = al.a_last + 2 >= m && al.b_first <= 1;
        if (al.segments == 1 && sim * (double)m >= OVERLAP_TOKENS && sim >= OVERLAP_SHARE &&
            (tail_head || head_tail) && !(is_short && (!U[a].spk) != (!U[b].spk))) {
            join(U, a, b);
            return log_edge(st, a, b, sim, 0);
        }
        return SL_OK;
    }
    /* a fragment: much shorter than the other, and too short to be more than a phrase
     * two quotes could share */
    int fragment = (double)m < FRAGMENT_RATIO * (double)n && m < BRIDGE_TOKENS;
    int one_unknown = is_short && (!U[a].spk) != (!U[b].spk);
    if (!fragment && !one_unknown) {
        join(U, a, b);
        return log_edge(st, a, b, sim, 0);
    }
    size_t at = a, to = b;
    if (!fragment && U[b].spk == 0) { /* equal-ish lengths: the one with no speaker */
        at = b;
        to = a;
    }
    offer(U, at, to, sim);
    return log_edge(st, at, to, sim, 1);
}

/* ---- the memo: what a grouping learnt, to resume with more quotes ----
 * Little-endian: magic (4 bytes), units (4), edges (4); per unit in order its wording's
 * hash (8) and speaker key (8: what edge() reads of a unit, with its tokens); per edge a
 * (4; the top bit: an offer), b (4), the similarity's bits (8). */
#define MEMO_MAGIC 0x34515153u /* "SQQ4" */
#define MEMO_UNIT 16
#define MEMO_HEAD 12
#define MEMO_EDGE 16

static uint64_t get_le(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static sl_error put_le(buf *out, uint64_t v, int bytes)
{
    unsigned char b[8];
    for (int i = 0; i < bytes; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    return sli_buf_append(out, b, (size_t)bytes);
}

typedef struct memo {
    size_t units, edges;
    const unsigned char *ident, *edge;
} memo;

/* 1 when p[0..len) is a well-formed memo (read into *m). */
static int memo_read(const void *p, size_t len, memo *m)
{
    const unsigned char *b = p;
    if (!p || len < MEMO_HEAD || get_le(b, 4) != MEMO_MAGIC)
        return 0;
    *m = (memo){.units = (size_t)get_le(b + 4, 4), .edges = (size_t)get_le(b + 8, 4)};
    if ((len - MEMO_HEAD) / MEMO_UNIT < m->units ||
        len - MEMO_HEAD - MEMO_UNIT * m->units != MEMO_EDGE * m->edges)
        return 0;
    m->ident = b + MEMO_HEAD;
    m->edge = m->ident + MEMO_UNIT * m->units;
    for (size_t i = 0; i < m->edges; i++) {
        const unsigned char *e = m->edge + MEMO_EDGE * i;
        if ((get_le(e, 4) & 0x7fffffffu) >= m->units || get_le(e + 4, 4) >= m->units)
            return 0;
    }
    return 1;
}

static sl_error memo_write(buf *out, const state *st)
{
    sli_buf_clear(out);
    if (st->nunits > 0x7fffffffu || st->nlog > 0xffffffffu)
        return SL_OK; /* too large to say: no memo, the next grouping starts afresh */
    sl_error err = put_le(out, MEMO_MAGIC, 4);
    if (!err)
        err = put_le(out, st->nunits, 4);
    if (!err)
        err = put_le(out, st->nlog, 4);
    for (size_t u = 0; !err && u < st->nunits; u++) {
        err = put_le(out, st->units[u].ident, 8);
        if (!err)
            err = put_le(out, st->units[u].spk, 8);
    }
    for (size_t i = 0; !err && i < st->nlog; i++) {
        const logged *l = &st->log[i];
        uint64_t bits;
        memcpy(&bits, &l->sim, sizeof bits);
        err = put_le(out, (uint64_t)l->a | (l->weak ? 0x80000000u : 0), 4);
        if (!err)
            err = put_le(out, l->b, 4);
        if (!err)
            err = put_le(out, bits, 8);
    }
    if (err)
        sli_buf_clear(out);
    return err;
}

/* The memo's units found among these (old[u]: its number in the memo, or (size_t)-1 for
 * a unit the memo has not), into *found: 1 when every unit of the memo is here; 0
 * (nothing to resume) when one is missing (an article left the event). moved[u] set for
 * a unit to take as new: printed now before where it was first printed then (a new
 * article dated earlier prints it; of the units the memo has, those not moved are in
 * the memo's order), or its earliest printing now names another speaker. */
static sl_error memo_match(const memo *m, const state *st, size_t *old,
                           unsigned char *moved, int *found)
{
    *found = 0;
    u64map at = {0};
    sl_error err = sli_u64map_init(&at, m->units);
    for (size_t j = 0; !err && j < m->units; j++) {
        uint64_t *v;
        int added;
        err = sli_u64map_put(&at, get_le(m->ident + MEMO_UNIT * j, 8), &v, &added);
        if (!err && !added) { /* the same ident twice: not a memo of this grouping */
            sli_u64map_free(&at);
            return SL_OK;
        }
        if (!err)
            *v = j + 1;
    }
    size_t seen = 0;
    for (size_t u = 0; !err && u < st->nunits; u++) {
        const uint64_t *v = sli_u64map_get(&at, st->units[u].ident);
        old[u] = v ? (size_t)*v - 1 : (size_t)-1;
        seen += v != NULL;
        /* its earliest printing now names another speaker: as a new unit */
        if (v && get_le(m->ident + MEMO_UNIT * old[u] + 8, 8) != st->units[u].spk)
            moved[u] = 1;
    }
    /* from the last: a unit the memo numbers after one that follows it here came earlier */
    size_t after = (size_t)-1;
    for (size_t u = st->nunits; !err && u-- > 0;) {
        if (old[u] == (size_t)-1)
            continue;
        if (old[u] > after)
            moved[u] = 1;
        else
            after = old[u];
    }
    *found = !err && seen == m->units;
    sli_u64map_free(&at);
    return err;
}

/* The keys a unit is listed under (its distinct bigrams; a short quote's length with
 * its first and with its last word) into keys[0..*nk): the keys scan_and_post takes. */
static void unit_keys(const state *st, size_t u, uint64_t *keys, size_t *nk)
{
    const tok *t = st->toks + st->units[u].first_tok;
    size_t ntok = st->units[u].ntok, k = 0;
    for (size_t i = 0; i + 1 < ntok; i++) {
        uint64_t bg = bigram(&t[i], &t[i + 1]);
        if (lookup(st, u, bg) == i + 1) /* a bigram seen before in this unit: once */
            keys[k++] = bg;
    }
    if (ntok >= 2 && ntok < MIN_FUZZY_TOKENS) {
        uint64_t len = 0x9ae16a3b2f90404full * ntok;
        keys[k++] = mix(len ^ t[0].h ^ 0xf1);
        keys[k++] = mix(len ^ t[ntok - 1].h ^ 0xf2);
    }
    *nk = k;
}

sl_error sli_quotes_group_counted(const sli_quote_seen *seen, size_t n, size_t *group,
                                  size_t *canonical, size_t *n_groups, size_t *work)
{
    return sli_quotes_group_memo(seen, n, group, canonical, n_groups, work, NULL, 0, NULL,
                                 NULL);
}

sl_error sli_quotes_group_memo(const sli_quote_seen *seen, size_t n, size_t *group,
                               size_t *canonical, size_t *n_groups, size_t *work,
                               const void *memo_in, size_t memo_len, buf *memo_out,
                               int *resumed)
{
    *n_groups = 0;
    if (work)
        *work = 0;
    if (resumed)
        *resumed = 0;
    if (memo_out)
        sli_buf_clear(memo_out);
    if (n == 0)
        return SL_OK;
    memo m = {0};
    int have_memo = memo_read(memo_in, memo_len, &m);
    size_t *old = NULL;     /* per unit: its number in the memo, (size_t)-1: none */
    size_t *from = NULL;    /* the memo's edges, by the unit that made them: from[j] .. */
    size_t *memo_new = NULL; /* the memo's units' numbers here */
    size_t *edge_of = NULL;  /* the memo's edges in the order of the units that made them */
    unsigned char *in_top = NULL; /* per unit: among the candidates verified now */
    unsigned char *moved = NULL;  /* per unit: printed earlier than the memo had it */
    uint64_t *ukeys = NULL;
    u64map dirty = {0};     /* keys of the units the memo has not */
    state st = {0};
    st.keep_log = memo_out != NULL;
    sli_buf_init(&st.chars, BUF_UNLIMITED);
    buf norm;
    sli_buf_init(&norm, BUF_UNLIMITED);
    u64map keys = {0}, printed = {0}; /* printed: a quote's text and speaker -> its first */
    cand_index ci = {0};
    scratch sc = {0};
    ord *o = malloc(n * sizeof *o);
    size_t *unit_of = malloc(n * sizeof *unit_of);
    size_t *root_group = NULL;
    sl_error err = SL_OK;
    st.cap_toks = 256; /* never NULL, even when no quote has a word */
    st.toks = malloc(st.cap_toks * sizeof *st.toks);
    if (!o || !unit_of || !st.toks || !(st.units = malloc(n * sizeof *st.units))) {
        err = SL_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        o[i] = (ord){seen[i].date, seen[i].order, i};
    qsort(o, n, sizeof *o, ord_cmp);

    /* units, in the order of their earliest quote; a quote printed word for word as one
     * before it, by the same speaker, is that one's unit without being tokenized again
     * (its tokens and key would be the same): syndicated copies print most quotes so */
    if ((err = sli_u64map_init(&keys, n)) || (err = sli_u64map_init(&printed, n)))
        goto out;
    size_t max_tok = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = o[k].i;
        const char *text = seen[i].text ? seen[i].text : "";
        const char *who = seen[i].speaker ? seen[i].speaker : "";
        uint64_t as_printed =
            XXH3_64bits_withSeed(text, strlen(text), XXH3_64bits(who, strlen(who)));
        uint64_t *same;
        int fresh;
        if ((err = sli_u64map_put(&printed, as_printed, &same, &fresh)))
            goto out;
        if (!fresh) {
            size_t j = (size_t)*same;
            if (!strcmp(text, seen[j].text ? seen[j].text : "") &&
                !strcmp(who, seen[j].speaker ? seen[j].speaker : "")) {
                unit_of[i] = unit_of[j];
                st.units[unit_of[i]].prints++;
                continue;
            }
        } else {
            *same = i; /* the first quote printed so */
        }
        size_t first = st.ntoks, chars = st.chars.len;
        if ((err = tokenize(&st, text, &norm)))
            goto out;
        size_t ntok = st.ntoks - first;
        uint64_t spk;
        if ((err = speaker_key(&st, seen[i].speaker, &norm, &spk)))
            goto out;
        uint64_t key = 0x243f6a8885a308d3ull ^ ntok;
        for (size_t t = first; t < st.ntoks; t++)
            key = mix(key ^ st.toks[t].h);
        if (ntok < SPEAKER_FREE_TOKENS)
            key = mix(key ^ spk);
        uint64_t *val;
        int added;
        if ((err = sli_u64map_put(&keys, key, &val, &added)))
            goto out;
        if (!added) {
            unit_of[i] = (size_t)*val - 1;
            st.units[unit_of[i]].prints++;
            st.ntoks = first; /* the same wording: its tokens are not kept */
            st.chars.len = chars;
        } else {
            size_t u = st.nunits++;
            *val = u + 1;
            unit_of[i] = u;
            st.units[u] = (unit){first, ntok, i, 1, spk, u, (size_t)-1, 0, mix(key)};
            if (ntok > max_tok)
                max_tok = ntok;
        }
    }
    sli_u64map_free(&keys);
    sli_u64map_free(&printed);

    /* where each unit has each bigram (first position + 1) */
    if ((err = sli_u64map_init(&st.at, st.ntoks)))
        goto out;
    for (size_t u = 0; u < st.nunits; u++) {
        const tok *t = st.toks + st.units[u].first_tok;
        for (size_t i = 0; i + 1 < st.units[u].ntok; i++) {
            uint64_t *val;
            int added;
            if ((err = sli_u64map_put(&st.at, at_key(u, bigram(&t[i], &t[i + 1])), &val,
                                      &added)))
                goto out;
            if (added)
                *val = i + 1;
        }
    }
    sc.p = malloc((max_tok + 1) * sizeof *sc.p);
    sc.how = malloc(max_tok + 1);
    ci.tally = calloc(st.nunits, sizeof *ci.tally);
    if (!sc.p || !sc.how || !ci.tally || (err = sli_u64map_init(&ci.post, st.ntoks))) {
        err = err ? err : SL_ERR_NOMEM;
        goto out;
    }

    /* The memo: which units it had (they keep their order: all of them here, in the
     * same order, or it is not used), and its edges by the unit that made them (the
     * later of the two: a unit's edges are with earlier units). */
    int use_memo = 0;
    if (have_memo && m.units) {
        old = malloc(st.nunits * sizeof *old);
        if (!old) {
            err = SL_ERR_NOMEM;
            goto out;
        }
        moved = calloc(st.nunits, 1);
        if (!moved) {
            err = SL_ERR_NOMEM;
            goto out;
        }
        if ((err = memo_match(&m, &st, old, moved, &use_memo)))
            goto out;
    }
    if (use_memo) {
        from = calloc(m.units + 1, sizeof *from);
        memo_new = malloc(m.units * sizeof *memo_new);
        ukeys = malloc((max_tok + 2) * sizeof *ukeys);
        in_top = calloc(st.nunits, 1);
        if (!from || !memo_new || !ukeys || !in_top || (err = sli_u64map_init(&dirty, 64))) {
            err = err ? err : SL_ERR_NOMEM;
            goto out;
        }
        for (size_t u = 0; u < st.nunits; u++)
            if (old[u] != (size_t)-1)
                memo_new[old[u]] = u;
        /* a unit that came earlier is as a new one: its edges are made again, and so are
         * those of the units that meet it */
        for (size_t u = 0; u < st.nunits; u++)
            if (moved[u])
                old[u] = (size_t)-1;
        for (size_t i = 0; i < m.edges; i++) {
            const unsigned char *e = m.edge + MEMO_EDGE * i;
            size_t a = (size_t)(get_le(e, 4) & 0x7fffffffu), b = (size_t)get_le(e + 4, 4);
            from[(a > b ? a : b) + 1]++;
        }
        for (size_t j = 0; j < m.units; j++)
            from[j + 1] += from[j];
    }
    if (use_memo && m.edges) {
        edge_of = malloc(m.edges * sizeof *edge_of);
        size_t *fill = malloc(m.units * sizeof *fill);
        if (!edge_of || !fill) {
            free(edge_of);
            free(fill);
            err = SL_ERR_NOMEM;
            goto out;
        }
        memcpy(fill, from, m.units * sizeof *fill);
        for (size_t i = 0; i < m.edges; i++) {
            const unsigned char *e = m.edge + MEMO_EDGE * i;
            size_t a = (size_t)(get_le(e, 4) & 0x7fffffffu), b = (size_t)get_le(e + 4, 4);
            edge_of[fill[a > b ? a : b]++] = i;
        }
        free(fill);
    }
    size_t kept = 0;

    /* candidates from shared bigrams (and, for a short quote, its length with its first
     * or its last word); each unit against earlier ones */
    for (size_t u = 0; u < st.nunits; u++) {
        ci.ncand = 0;
        size_t nk;
        /* A unit of the memo keeps the edges it made there when no unit the memo has not
         * was listed before it under one of its keys: then the lists it is looked up in
         * hold the same units as then, in the same order (a list that was full when a
         * new unit came did not take it), so it meets the same candidates (REPLAY). When
         * new units were listed under some of its keys but those lists are not full, they
         * hold the same old units as then and the new ones besides: its candidates are
         * the old ones with the same counts, and the new; of its best CANDIDATES_MAX now,
         * the old ones were among its best then, so their edges are the memo's and only
         * the new ones are compared (SOME). Else, and for a new unit, as always
         * (docs/facts-variants.md, "Resuming"). */
        enum { NONE, REPLAY, SOME } mode = NONE;
        u64map *mark = NULL; /* where a new unit's keys go when it is listed */
        if (use_memo && old[u] == (size_t)-1) {
            mark = &dirty;
        } else if (use_memo) {
            unit_keys(&st, u, ukeys, &nk);
            mode = REPLAY;
            for (size_t k = 0; mode != NONE && k < nk; k++) {
                if (!sli_u64map_has(&dirty, ukeys[k]))
                    continue;
                const uint64_t *v = sli_u64map_get(&ci.post, ukeys[k]);
                mode = v && (size_t)(*v >> 40) >= POSTINGS_CAP ? NONE : SOME;
            }
        }
        const tok *t = st.toks + st.units[u].first_tok;
        size_t ntok = st.units[u].ntok;
        for (size_t i = 0; i + 1 < ntok; i++) {
            uint64_t bg = bigram(&t[i], &t[i + 1]);
            if (lookup(&st, u, bg) != i + 1)
                continue; /* a bigram seen before in this unit */
            if ((err = scan_and_post(&ci, &st, u, bg, mode != REPLAY, mark)))
                goto out;
        }
        if (ntok >= 2 && ntok < MIN_FUZZY_TOKENS) {
            uint64_t len = 0x9ae16a3b2f90404full * ntok;
            if ((err = scan_and_post(&ci, &st, u, mix(len ^ t[0].h ^ 0xf1), mode != REPLAY,
                                     mark)) ||
                (err = scan_and_post(&ci, &st, u, mix(len ^ t[ntok - 1].h ^ 0xf2),
                                     mode != REPLAY, mark)))
                goto out;
        }
        cand *cands = ci.cands;
        size_t ncand = mode == REPLAY ? 0 : ci.ncand;
        for (size_t c = 0; c < ncand; c++) {
            cands[c].shared = ci.tally[cands[c].unit];
            ci.tally[cands[c].unit] = 0;
        }
        if (ncand > CANDIDATES_MAX) {
            top_cands(cands, ncand, CANDIDATES_MAX);
            st.work += ncand;
            ncand = CANDIDATES_MAX;
        }
        if (mode != NONE) { /* its edges with old units, as the memo has them */
            kept += mode == REPLAY;
            for (size_t c = 0; c < ncand; c++)
                in_top[cands[c].unit] = 1;
            for (size_t x = from[old[u]]; x < from[old[u] + 1]; x++) {
                const unsigned char *e = m.edge + MEMO_EDGE * edge_of[x];
                uint64_t a = get_le(e, 4), bits = get_le(e + 8, 8);
                size_t ua = memo_new[a & 0x7fffffffu], ub = memo_new[get_le(e + 4, 4)];
                size_t other = ua == u ? ub : ua;
                if (old[other] == (size_t)-1 || (mode == SOME && !in_top[other]))
                    continue; /* with a unit that came earlier (compared below), or one of
                                 its best then, no longer */
                int weak = (a & 0x80000000u) != 0;
                double sim;
                memcpy(&sim, &bits, sizeof sim);
                if (weak) /* weighed again: the new quotes change how often each is printed */
                    offer(st.units, ua, ub, sim);
                else
                    join(st.units, ua, ub);
                if ((err = log_edge(&st, ua, ub, sim, weak)))
                    goto out;
            }
            for (size_t c = 0; c < ncand; c++)
                in_top[cands[c].unit] = 0;
        }
        for (size_t c = 0; c < ncand; c++)
            if ((mode == NONE || old[cands[c].unit] == (size_t)-1) &&
                (err = edge(&st, &sc, u, cands[c].unit)))
                goto out;
    }

    /* the weak edges: each fragment to its best partner */
    for (size_t u = 0; u < st.nunits; u++)
        if (st.units[u].best != (size_t)-1)
            join(st.units, u, st.units[u].best);

    /* groups numbered by their earliest unit; canonical: the most printed unit's earliest
     * quote, ties to the earliest unit */
    root_group = malloc(st.nunits * sizeof *root_group);
    if (!root_group) {
        err = SL_ERR_NOMEM;
        goto out;
    }
    size_t g = 0;
    for (size_t u = 0; u < st.nunits; u++) {
        size_t r = find(st.units, u);
        if (r == u) {
            root_group[u] = g;
            canonical[g] = st.units[u].rep;
            g++;
        } else {
            size_t gr = root_group[r];
            const unit *cur = &st.units[unit_of[canonical[gr]]];
            if (st.units[u].prints > cur->prints)
                canonical[gr] = st.units[u].rep;
        }
    }
    for (size_t i = 0; i < n; i++)
        group[i] = root_group[find(st.units, unit_of[i])];
    *n_groups = g;
    if (memo_out)
        err = memo_write(memo_out, &st);
    if (resumed)
        *resumed = !kept ? 0 : kept == st.nunits ? 2 : 1;

out:
    if (work)
        *work = st.work;
    free(o);
    free(unit_of);
    free(st.units);
    free(st.toks);
    sli_buf_free(&st.chars);
    sli_buf_free(&norm);
    sli_u64map_free(&keys);
    sli_u64map_free(&printed);
    sli_u64map_free(&st.at);
    sli_u64map_free(&ci.post);
    free(sc.p);
    free(sc.how);
    free(ci.post_unit);
    free(ci.post_next);
    free(ci.tally);
    free(ci.cands);
    free(root_group);
    free(st.log);
    free(old);
    free(from);
    free(memo_new);
    free(ukeys);
    free(edge_of);
    free(in_top);
    free(moved);
    sli_u64map_free(&dirty);
    return err;
}

sl_error sli_quotes_group(const sli_quote_seen *seen, size_t n, size_t *group,
                          size_t *canonical, size_t *n_groups)
{
    return sli_quotes_group_counted(seen, n, group, canonical, n_groups, NULL);
}
