/* features.c — an article's terms for clustering: words, names, details, quotes. */
#include "features.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <xxhash.h>

#include "../core/buf.h"
#include "../core/grow.h"
#include "../core/select.h"
#include "../text/stem_memo.h"
#include "../text/stopwords.h"

#define NAMES_SEED 0x9e3779b97f4a7c15ull
#define DETAILS_SEED 0xc2b2ae3d27d4eb4full
#define QUOTES_SEED 0x165667b19e3779f9ull
#define MAX_TOKENS 20000 /* an article's first words are plenty to know its event */

typedef struct token {
    uint32_t at, len;   /* the case-folded word in ctx.low */
    unsigned cap : 1;   /* begins with a capital letter */
    unsigned sent : 1;  /* opens a sentence, a line or a quotation */
    unsigned joined : 1; /* only spaces since the previous token */
    unsigned alpha : 1; /* has a letter (numbers are not stemmed) */
    uint32_t quote;     /* the quotation it is in, counted from 1; 0 if none */
    uint64_t term;      /* its stem's hash | 1 when a term (words_into); 0 if not */
} token;

typedef struct counted {
    uint64_t id;
    uint32_t first; /* position of the first occurrence: ties keep the earlier term */
    uint32_t tf;
} counted;

struct features_ctx {
    stem_memo *stems;
    buf low;
    token *tok;
    size_t ntok, tok_cap;
    counted *ids[VIEWS];
    size_t nids[VIEWS], ids_cap[VIEWS];
    uint32_t *slots; /* count_ids' table */
    size_t slots_cap;
};

sl_error sli_features_ctx_create(features_ctx **out)
{
    features_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return SL_ERR_NOMEM;
    sli_buf_init(&c->low, BUF_UNLIMITED);
    if (sli_stem_memo_create(&c->stems)) {
        free(c);
        return SL_ERR_NOMEM;
    }
    *out = c;
    return SL_OK;
}

void sli_features_ctx_free(features_ctx *c)
{
    if (!c)
        return;
    sli_stem_memo_free(c->stems);
    free(c->slots);
    sli_buf_free(&c->low);
    free(c->tok);
    for (int v = 0; v < VIEWS; v++)
        free(c->ids[v]);
    free(c);
}

/* --- tokens --- */

static int is_word_cp(utf8proc_int32_t cp)
{
    if (cp < 128)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat <= UTF8PROC_CATEGORY_LO || (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

static int opens_sentence(utf8proc_int32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == '\n' || cp == ':' || cp == ';' ||
           cp == '"' || cp == 0x201C || cp == 0x201D || cp == '(' || cp == '|';
}

static utf8proc_int32_t next_cp(const char *s, size_t n, size_t *i)
{
    unsigned char b = (unsigned char)s[*i];
    if (b < 128) {
        ++*i;
        return b;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + *i,
                                          (utf8proc_ssize_t)(n - *i), &cp);
    if (k <= 0) {
        ++*i;
        return 0xFFFD;
    }
    *i += (size_t)k;
    return cp;
}

static sl_error push_token(features_ctx *c, const token *t)
{
    token *p = sli_grow_array(c->tok, &c->tok_cap, c->ntok + 1, sizeof *p, 512);
    if (!p)
        return SL_ERR_NOMEM;
    c->tok = p;
    c->tok[c->ntok++] = *t;
    return SL_OK;
}

/* Split s[0..n) into word tokens, case-folded into c->low. */
static sl_error tokenize(features_ctx *c, const char *s, size_t n)
{
    sli_buf_clear(&c->low);
    c->ntok = 0;
    int sent = 1, joined = 0, in_quote = 0;
    uint32_t quotes = 0;
    size_t i = 0;
    while (i < n && c->ntok < MAX_TOKENS) {
        size_t at = i;
        utf8proc_int32_t cp = next_cp(s, n, &i);
        if (!is_word_cp(cp)) {
            if (opens_sentence(cp))
                sent = 1;
            joined = cp == ' ' && joined;
            /* a straight quote opens or closes; a quotation left open ends with its
             * line (a quotation that runs on into the next paragraph is lost there) */
            int opens = cp == 0x201C || (cp == '"' && !in_quote);
            if (opens)
                quotes++;
            in_quote = opens || (in_quote && cp != 0x201D && cp != '"' && cp != '\n');
            continue;
        }
        token t = {(uint32_t)c->low.len, 0, 0, (unsigned)sent, (unsigned)joined, 0,
                   in_quote ? quotes : 0, 0};
        t.cap = cp < 128 ? (cp >= 'A' && cp <= 'Z')
                         : utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
        size_t j = at;
        for (;;) {
            size_t k = j;
            utf8proc_int32_t w = next_cp(s, n, &k);
            if (!is_word_cp(w))
                break;
            if (w < 128) {
                char ch = (char)(w >= 'A' && w <= 'Z' ? w + 32 : w);
                t.alpha |= !(ch >= '0' && ch <= '9');
                if (sli_buf_putc(&c->low, ch))
                    return SL_ERR_NOMEM;
            } else {
                utf8proc_uint8_t enc[4];
                utf8proc_ssize_t len = utf8proc_encode_char(utf8proc_tolower(w), enc);
                t.alpha = 1;
                if (sli_buf_append(&c->low, enc, (size_t)len))
                    return SL_ERR_NOMEM;
            }
            j = k;
            if (j >= n)
                break;
        }
        i = j;
        t.len = (uint32_t)(c->low.len - t.at);
        if (push_token(c, &t))
            return SL_ERR_NOMEM;
        sent = 0;
        joined = 1;
    }
    return SL_OK;
}

/* --- counting --- */

static sl_error add_id(features_ctx *c, int v, uint64_t id, uint32_t pos)
{
    counted *p = sli_grow_array(c->ids[v], &c->ids_cap[v], c->nids[v] + 1, sizeof *p, 256);
    if (!p)
        return SL_ERR_NOMEM;
    c->ids[v] = p;
    c->ids[v][c->nids[v]++] = (counted){sli_term_id(id), pos, 1};
    return SL_OK;
}

static float tf_weight(uint32_t tf)
{
    return 1.0f + logf((float)tf);
}

/* ids[0..n) counted in place, each id once (its earliest position, its count) in
 * ids[0..m): by an open-addressing table of positions into ids (ids are hashes, never 0),
 * not a sort of them all (the sort was most of the features' time after stemming).
 * SL_ERR_NOMEM. */
static sl_error count_ids(features_ctx *c, counted *ids, size_t n, size_t *m)
{
    size_t cap = 64;
    while (cap < 2 * n)
        cap *= 2;
    if (cap > c->slots_cap) {
        uint32_t *p = realloc(c->slots, cap * sizeof *p);
        if (!p)
            return SL_ERR_NOMEM;
        c->slots = p;
        c->slots_cap = cap;
    }
    memset(c->slots, 0, cap * sizeof *c->slots);
    size_t mask = cap - 1, u = 0;
    for (size_t i = 0; i < n; i++) {
        counted e = ids[i]; /* read before ids[u] (u <= i) is written */
        size_t h = (size_t)(e.id ^ e.id >> 29) & mask;
        while (c->slots[h] && ids[c->slots[h] - 1].id != e.id)
            h = (h + 1) & mask;
        if (!c->slots[h]) {
            ids[u] = e;
            c->slots[h] = (uint32_t)++u;
            continue;
        }
        counted *k = &ids[c->slots[h] - 1];
        k->tf += e.tf;
        if (e.first < k->first)
            k->first = e.first;
    }
    *m = u;
    return SL_OK;
}

/* The order terms are kept in: the most frequent first; then the earliest; then (a name and
 * the pair it ends share a position) the smaller id, as the sort by id that came before
 * this order left them. x before y; ids are distinct, so the order is strict and total. */
static inline int tf_before(const counted *x, const counted *y)
{
    if (x->tf != y->tf)
        return x->tf > y->tf;
    if (x->first != y->first)
        return x->first < y->first;
    return x->id < y->id;
}

static inline int id_before(const cterm *x, const cterm *y)
{
    return x->id < y->id;
}

/* The kept terms chosen by a selection and sorted by id with the orders inline: a whole
 * sort through qsort's calls, then another, was a ninth of the cleaning's processor time
 * (docs/profile.md, "Nineteenth round"). Only which terms are kept matters (they are
 * sorted by id after), and tf_before alone decides that. */
SLI_DEFINE_SELECT(select_first, counted, tf_before)
SLI_DEFINE_SORT(sort_by_id, cterm, id_before)

/* Merge view v's ids into counts and keep the `max` most frequent in f, in id order (the
 * order an article's vector needs: sorted here, on the thread that extracts, rather than
 * on the events stage's, for every vector made of them). */
static sl_error keep_top(features_ctx *c, int v, size_t max, features *f, uint32_t *used)
{
    counted *ids = c->ids[v];
    size_t n = c->nids[v], m = 0;
    if (n && count_ids(c, ids, n, &m)) /* ids is NULL before the first */
        return SL_ERR_NOMEM;
    if (m > max) {
        select_first(ids, m, max);
        m = max;
    }
    f->at[v] = *used;
    f->n[v] = (uint32_t)m;
    for (size_t i = 0; i < m; i++)
        f->terms[(*used)++] = (cterm){ids[i].id, tf_weight(ids[i].tf)};
    sort_by_id(f->terms + f->at[v], m);
    return SL_OK;
}

/* The term id of a word's stem in *id. The stemmer fails only when out of memory. */
static sl_error word_id(features_ctx *c, const token *t, uint64_t *id)
{
    const char *w = c->low.data + t->at;
    if (!t->alpha) {
        *id = XXH3_64bits(w, t->len);
        return SL_OK;
    }
    /* out of memory, not the word unstemmed (another term, quietly) */
    return sli_stem_memo_hash(c->stems, w, t->len, id);
}

static int is_term(features_ctx *c, const token *t)
{
    /* sli_features_is_stop, remembered */
    return t->len >= 2 &&
           !(sli_stem_memo_kinds(c->stems, c->low.data + t->at, t->len) & SLI_STOP_TOPIC);
}

/* A name: a capitalised word that is not a stop word and does not merely open a sentence
 * (it does if the next word goes on the name). After words_into. */
static int is_name(features_ctx *c, size_t i)
{
    const token *t = &c->tok[i];
    if (!t->cap || !t->alpha || !t->term)
        return 0;
    if (!t->sent)
        return 1;
    const token *u = i + 1 < c->ntok ? &c->tok[i + 1] : NULL;
    return u && u->cap && u->joined && u->alpha && u->term;
}

/* Each term's stem into view v, and onto its token for the views after. */
static sl_error words_into(features_ctx *c, int v)
{
    for (size_t i = 0; i < c->ntok; i++) {
        token *t = &c->tok[i];
        uint64_t id = 0;
        int term = is_term(c, t);
        if (term && word_id(c, t, &id))
            return SL_ERR_NOMEM;
        t->term = term ? id | 1 : 0;
        if (t->term && add_id(c, v, t->term, (uint32_t)i))
            return SL_ERR_NOMEM;
    }
    return SL_OK;
}

static sl_error names_into(features_ctx *c)
{
    int prev = 0;
    for (size_t i = 0; i < c->ntok; i++) {
        const token *t = &c->tok[i];
        int name = is_name(c, i);
        const char *w = c->low.data + t->at;
        if (name && add_id(c, VIEW_NAMES, XXH3_64bits_withSeed(w, t->len, NAMES_SEED), (uint32_t)i))
            return SL_ERR_NOMEM;
        if (name && prev && t->joined) { /* "ellen degeneres": both words, as one term */
            const token *p = &c->tok[i - 1];
            uint64_t h = XXH3_64bits_withSeed(c->low.data + p->at, p->len, NAMES_SEED);
            h ^= XXH3_64bits_withSeed(w, t->len, h);
            if (add_id(c, VIEW_NAMES, h, (uint32_t)i))
                return SL_ERR_NOMEM;
        }
        prev = name;
    }
    return SL_OK;
}

/* A year says little about which event it is (every article of 2024 says 2024). */
static int is_year(const char *w, size_t n)
{
    return n == 4 && ((w[0] == '1' && w[1] == '9') || (w[0] == '2' && w[1] == '0'));
}

static int is_weekday(const char *w, size_t n)
{
    static const char *const days[] = {"monday", "tuesday", "wednesday", "thursday",
                                       "friday", "saturday", "sunday"};
    if (n < 6 || n > 9 || memcmp(w + n - 3, "day", 3)) /* every token asks: most are not */
        return 0;
    for (size_t i = 0; i < sizeof days / sizeof *days; i++)
        if (strlen(days[i]) == n && !memcmp(days[i], w, n))
            return 1;
    return 0;
}

static sl_error details_into(features_ctx *c)
{
    for (size_t i = 0; i < c->ntok; i++) {
        const token *t = &c->tok[i];
        const char *w = c->low.data + t->at;
        if (t->alpha ? !is_weekday(w, t->len) : is_year(w, t->len))
            continue;
        if (add_id(c, VIEW_DETAILS, XXH3_64bits_withSeed(w, t->len, DETAILS_SEED), (uint32_t)i))
            return SL_ERR_NOMEM;
    }
    return SL_OK;
}

/* Neighbouring terms of one quotation, as pairs: a quote's words alone are the body's. */
static sl_error quotes_into(features_ctx *c)
{
    uint64_t prev = 0;
    uint32_t prev_quote = 0;
    for (size_t i = 0; i < c->ntok; i++) {
        const token *t = &c->tok[i];
        if (!t->quote || !t->term)
            continue;
        uint64_t id = t->term;
        if (prev_quote == t->quote &&
            add_id(c, VIEW_QUOTES, XXH3_64bits_withSeed(&id, sizeof id, prev ^ QUOTES_SEED),
                   (uint32_t)i))
            return SL_ERR_NOMEM;
        prev = id;
        prev_quote = t->quote;
    }
    return SL_OK;
}

/* The terms of one text (the title or the body): its words into view `words`, its
 * names, details and quotes into theirs. */
static sl_error terms_of(features_ctx *c, const char *s, size_t n, int words)
{
    sl_error err = tokenize(c, s, n);
    if (!err)
        err = words_into(c, words);
    if (!err)
        err = names_into(c);
    if (!err)
        err = details_into(c);
    if (!err)
        err = quotes_into(c);
    return err;
}

sl_error sli_features_extract(features_ctx *c, const char *title, const char *s, size_t n,
                          features *f)
{
    for (int v = 0; v < VIEWS; v++)
        c->nids[v] = 0;
    sl_error err = title && *title ? terms_of(c, title, strlen(title), VIEW_TITLE) : SL_OK;
    if (!err)
        err = terms_of(c, s, n, VIEW_BODY);
    if (err)
        return err;
    uint32_t used = 0;
    static const size_t max[VIEWS] = {
        [VIEW_TITLE] = FEATURES_MAX_TITLE, [VIEW_BODY] = FEATURES_MAX_BODY,
        [VIEW_NAMES] = FEATURES_MAX_NAMES, [VIEW_DETAILS] = FEATURES_MAX_DETAILS,
        [VIEW_QUOTES] = FEATURES_MAX_QUOTES};
    for (int v = 0; v < VIEWS; v++) /* in view order: f->at[] ascends */
        if (keep_top(c, v, max[v], f, &used))
            return SL_ERR_NOMEM;
    return SL_OK;
}
