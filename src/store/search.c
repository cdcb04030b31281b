/* search.c — full-text search over the articles (the FTS5 index articles_fts: put in by
 * the cleaning, sli_store_search_cleaned; taken out by triggers, store.c): words made
 * into a query that FTS5 cannot read as syntax, hits ranked by bm25 with a snippet. */
#include "store_impl.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../core/buf.h"
#include "../core/utf8.h"

#define SEARCH_MAX_WORDS 32
#define SEARCH_MAX_BYTES 1000

static int space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A word holds a letter or digit (Unicode's categories L and N): a run of punctuation
 * ("—", "«", "·") would be a search term that matches nothing, and so no hit at all. */
static int wordy(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            if ((p[i] >= '0' && p[i] <= '9') || ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z'))
                return 1;
            i++;
            continue;
        }
        size_t len = 0;
        unsigned cp = sli_utf8_decode(p + i, n - i, &len);
        utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
        if (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO &&
            !(c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME))
            return 1;
        i += len ? len : 1;
    }
    return 0;
}

/* q as an FTS5 query: each word (a run between white space that holds a letter or digit)
 * a string in double quotes, its own quotes doubled, the strings joined by AND. Inside
 * a string FTS5 reads no operator, column filter, prefix star or parenthesis: the
 * tokenizer makes words of what is there. */
static sl_error only_stop_words(sl_store *st, const char *p, size_t n, int *only);

static sl_error make_query(sl_store *st, const char *q, int drop_stop, buf *out, size_t *from,
                           size_t *to, int *nwords)
{
    size_t len = q ? strlen(q) : 0;
    if (!q || len > SEARCH_MAX_BYTES) {
        sli_store_set_error(st, "a search query is at most %d bytes", SEARCH_MAX_BYTES);
        return SL_ERR_INVALID;
    }
    const unsigned char *p = (const unsigned char *)q;
    int words = 0, dropped = 0;
    sl_error err = SL_OK;
    for (size_t i = 0; !err && i < len;) {
        while (i < len && space(p[i]))
            i++;
        size_t start = i;
        while (i < len && !space(p[i]))
            i++;
        if (i == start || !wordy(p + start, i - start))
            continue;
        int only = 0;
        if (drop_stop && (err = only_stop_words(st, q + start, i - start, &only)) != SL_OK)
            return err;
        if (only) {
            dropped++;
            continue;
        }
        if (++words > SEARCH_MAX_WORDS) {
            sli_store_set_error(st, "a search query is at most %d words", SEARCH_MAX_WORDS);
            return SL_ERR_INVALID;
        }
        if (words > 1)
            err = sli_buf_puts(out, " AND ");
        from[words - 1] = out->len;
        if (!err)
            err = sli_buf_putc(out, '"');
        for (size_t k = start; !err && k < i; k++)
            err = p[k] == '"' ? sli_buf_puts(out, "\"\"") : sli_buf_putc(out, (char)p[k]);
        if (!err)
            err = sli_buf_putc(out, '"');
        to[words - 1] = out->len;
    }
    *nwords = words;
    if (!err && !words && dropped) {
        sli_store_set_error(st, "every word of the search query is in most of the store's"
                                " articles (too common to search by): add a rarer word");
        return SL_ERR_INVALID;
    }
    if (!err && !words) {
        sli_store_set_error(st, "a search query needs a word (letters or digits)");
        return SL_ERR_INVALID;
    }
    return err;
}

/* Ranking. FTS5's own bm25() counts, on every query, the articles that hold each word
 * (a pass over the word's whole list: 6 ms for a word every one of 100,000 articles
 * holds). sl_bm25, registered here, is the same BM25 (k1 1.2, b 0.75, FTS5's idf and its
 * floor) with those counts given to it: they are kept on the handle (search_cache) from
 * one capped count of each word, and estimated beyond the cap (word_df). */
/* The weight of a match in the title against one in the text (bm25's column weights):
 * chosen, not fitted (docs/store.md, "Search"). k1, b: FTS5's and the usual values. */
#define SEARCH_TITLE_WEIGHT 5.0
#define BM25_K1 1.2
#define BM25_B 0.75

/* Ranking every match of a word that most articles hold costs about 1 us a match: the
 * matches are ranked in windows of this many, newest stored first (docs/store.md,
 * "Search", says how it was chosen). A query with fewer matches is ranked whole. */
#define SEARCH_WINDOW 1000

/* The hits of a query are its newest SEARCH_MAX_HITS matches: counting every match of a
 * word most articles hold costs 10 ms on 100,000 articles, this many 1 ms (and once per
 * query and data version: search_cache). */
#define SEARCH_MAX_HITS 10000
#define STR_(x) #x
#define STR(x) STR_(x)

/* The ranked rowids of window ?4 (offset ?4, ?5 matches by rowid, newest first): page ?2
 * (offset), ?3 (limit) of them; ?6 the article counts of the query's words (doubles), ?7
 * ?2 + ?3 (0: no limit). */
static const char rank_sql[] =
    "SELECT rowid, r FROM (SELECT rowid, sl_bm25(articles_fts, ?6, ?7) AS r"
    "  FROM articles_fts WHERE articles_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?5 OFFSET ?4)"
    " ORDER BY r, rowid DESC LIMIT ?3 OFFSET ?2";
/* The snippets of a page: those of the rowids in blob ?2 (sorted) between ?3 and ?4,
 * through one cursor (sl_snippet answers NULL for the other matches there). */
static const char snip_sql[] =
    "SELECT rowid, sl_snippet(articles_fts, ?2) FROM articles_fts"
    " WHERE articles_fts MATCH ?1 AND rowid BETWEEN ?3 AND ?4";
/* One hit's article. */
static const char hit_sql[] =
    "SELECT a.id, a.title, a.source, substr(a.date, 1, 10), ae.event"
    " FROM articles a LEFT JOIN article_events ae ON ae.rid = a.rid WHERE a.rid = ?1";
/* The matches of a query or word, at most SEARCH_MAX_HITS, and the oldest rowid of them. */
static const char count_sql[] =
    "SELECT count(*), min(rowid) FROM (SELECT rowid FROM articles_fts"
    " WHERE articles_fts MATCH ?1 ORDER BY rowid DESC LIMIT " STR(SEARCH_MAX_HITS) ")";
static const char span_sql[] = "SELECT min(rid), max(rid) FROM articles";
static const char version_sql[] = "PRAGMA data_version";

/* A failure of a query this file made: an FTS5 error means the query was not what
 * make_query promises (never SQL text in the message: it would show the query). */
static sl_error failed(sl_store *st, int rc)
{
    if ((rc & 0xFF) == SQLITE_ERROR) {
        sli_store_set_error(st, "the search query could not be read");
        return SL_ERR_INVALID;
    }
    return sli_store_fail(st, rc, "searching");
}

/* --- sl_bm25(articles_fts, counts): FTS5's bm25 with the words' counts given --- */

typedef struct bm25_query {
    int n; /* phrases */
    double avgdl;
    double idf[SEARCH_MAX_WORDS];
    int k, nbest; /* the best k scores so far, a heap of the least first */
    double best[];
} bm25_query;

/* Add a score to the best k. */
static void best_add(bm25_query *d, double score)
{
    if (d->nbest < d->k) {
        int i = d->nbest++;
        for (; i > 0 && d->best[(i - 1) / 2] > score; i = (i - 1) / 2)
            d->best[i] = d->best[(i - 1) / 2];
        d->best[i] = score;
        return;
    }
    if (score <= d->best[0])
        return;
    int i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= d->nbest)
            break;
        if (c + 1 < d->nbest && d->best[c + 1] < d->best[c])
            c++;
        if (d->best[c] >= score)
            break;
        d->best[i] = d->best[c];
        i = c;
    }
    d->best[i] = score;
}

static double bm25_score(const bm25_query *d, const double *freq, double tokens)
{
    double score = 0, norm = BM25_K1 * (1 - BM25_B + BM25_B * tokens / d->avgdl);
    for (int i = 0; i < d->n; i++)
        score += d->idf[i] * freq[i] * (BM25_K1 + 1.0) / (freq[i] + norm);
    return score;
}

/* sl_bm25(articles_fts, counts, k): FTS5's bm25 (negated: the best least), the weights
 * SEARCH_TITLE_WEIGHT and 1, the articles holding each phrase given as a blob of doubles
 * (without it a phrase weighs as little as FTS5 lets one). k > 0: the caller keeps only
 * the best k of the rows it is called on, in the order it calls (rowid descending, ties
 * to the first); a row that cannot be among them, by a bound on its score from the
 * least length its matches allow, gets DBL_MAX without its length being read (that
 * read, a lookup per row, is half of ranking's cost). */
static void bm25_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                    int nval, sqlite3_value **val)
{
    bm25_query *d = api->xGetAuxdata(fts, 0);
    int rc = SQLITE_OK;
    if (!d) {
        sqlite3_int64 k = nval > 1 ? sqlite3_value_int64(val[1]) : 0;
        if (k < 0 || k > 4 * SEARCH_MAX_HITS)
            k = 0;
        d = calloc(1, sizeof *d + (size_t)k * sizeof d->best[0]);
        if (!d) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        d->k = (int)k;
        sqlite3_int64 rows = 0, tokens = 0;
        rc = api->xRowCount(fts, &rows);
        if (rc == SQLITE_OK)
            rc = api->xColumnTotalSize(fts, -1, &tokens);
        if (rc != SQLITE_OK) {
            free(d);
            sqlite3_result_error_code(ctx, rc);
            return;
        }
        d->n = api->xPhraseCount(fts);
        if (d->n > SEARCH_MAX_WORDS)
            d->n = SEARCH_MAX_WORDS;
        int ndf = 0;
        const unsigned char *blob = NULL;
        if (nval > 0 && sqlite3_value_type(val[0]) == SQLITE_BLOB) {
            blob = sqlite3_value_blob(val[0]);
            ndf = sqlite3_value_bytes(val[0]) / (int)sizeof(double);
        }
        for (int i = 0; i < d->n; i++) {
            double df = (double)rows;
            if (blob && i < ndf)
                memcpy(&df, blob + i * sizeof df, sizeof df);
            double idf = log(((double)rows - df + 0.5) / (df + 0.5));
            d->idf[i] = idf > 1e-6 ? idf : 1e-6; /* FTS5's floor */
        }
        d->avgdl = rows > 0 && tokens > 0 ? (double)tokens / (double)rows : 1.0;
        rc = api->xSetAuxdata(fts, d, free); /* frees d itself when it fails */
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(ctx, rc);
            return;
        }
    }
    double freq[SEARCH_MAX_WORDS] = {0};
    int ninst = 0, ntok = 0;
    int end[2] = {0, 0}; /* past the last match in the title, the text: a least length */
    rc = api->xInstCount(fts, &ninst);
    for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
        int phrase, col, off;
        rc = api->xInst(fts, i, &phrase, &col, &off);
        if (rc == SQLITE_OK && phrase >= 0 && phrase < d->n) {
            freq[phrase] += col == 0 ? SEARCH_TITLE_WEIGHT : 1.0;
            if (col >= 0 && col < 2 && off + 1 > end[col])
                end[col] = off + 1;
        }
    }
    if (rc == SQLITE_OK && d->k && d->nbest == d->k &&
        bm25_score(d, freq, (double)end[0] + end[1]) <= d->best[0]) {
        sqlite3_result_double(ctx, DBL_MAX);
        return;
    }
    if (rc == SQLITE_OK)
        rc = api->xColumnSize(fts, -1, &ntok);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    double score = bm25_score(d, freq, ntok);
    if (d->k)
        best_add(d, score);
    sqlite3_result_double(ctx, -score);
}

/* --- sl_snippet(articles_fts): the best window of a hit, its words marked --- */

/* Tokens in a snippet (as FTS5's snippet() was given before). */
#define SNIPPET_TOKENS 16

typedef struct snip_tok {
    int index; /* the next token's number */
    int from, upto; /* the tokens kept: [from, upto), at most 2 * SNIPPET_TOKENS + 1 */
    int start[2 * SNIPPET_TOKENS + 1], end[2 * SNIPPET_TOKENS + 1]; /* their bytes */
    int got;
    int stopped; /* the text goes on past upto */
} snip_tok;

/* Tokens of the text around the window; the tokenizer is stopped past them (a snippet
 * costs what precedes its window, not the whole text). */
static int snip_token(void *user, int tflags, const char *tok, int ntok, int start, int end)
{
    (void)tok;
    (void)ntok;
    snip_tok *t = user;
    if (tflags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    int i = t->index++;
    if (i >= t->upto) {
        t->stopped = 1;
        return SQLITE_DONE; /* FTS5's tokenizers stop and return SQLITE_OK */
    }
    if (i >= t->from && i - t->from < 2 * SNIPPET_TOKENS + 1) {
        t->start[i - t->from] = start;
        t->end[i - t->from] = end;
        t->got = i - t->from + 1;
    }
    return SQLITE_OK;
}

/* The window: of the column and token where the most of the query's words (then of its
 * matches) fall within SNIPPET_TOKENS, the first; it starts at the last sentence start
 * that keeps those matches in it (as FTS5's snippet() prefers), else centres them.
 * Marks: U+0002 before a match, U+0003 after; "…" where text is cut. */
static void snippet_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                       int nval, sqlite3_value **val)
{
    if (nval > 0 && sqlite3_value_type(val[0]) == SQLITE_BLOB) { /* only these rowids */
        const unsigned char *blob = sqlite3_value_blob(val[0]);
        size_t lo = 0, hi = (size_t)sqlite3_value_bytes(val[0]) / sizeof(long long);
        long long rid = api->xRowid(fts), x = 0;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            memcpy(&x, blob + mid * sizeof x, sizeof x);
            if (x < rid)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t count = (size_t)sqlite3_value_bytes(val[0]) / sizeof(long long);
        if (lo < count)
            memcpy(&x, blob + lo * sizeof x, sizeof x);
        if (lo == count || x != rid) {
            sqlite3_result_null(ctx);
            return;
        }
    }
    int ninst = 0, rc = api->xInstCount(fts, &ninst);
    int best_col = 0, best_first = 0, best_last = -1, at_start = 0;
    long best = -1;
    /* instances come in order of column and position; the windows tried start at each,
     * and at each column's start (preferred, as FTS5 does, over one with as many words,
     * when the column is longer than a window) */
    int prev_col = -1;
    for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
        int ph, col, off;
        rc = api->xInst(fts, i, &ph, &col, &off);
        for (int pass = col != prev_col ? 0 : 1; rc == SQLITE_OK && pass < 2; pass++) {
            int ws = pass ? off : 0; /* the window's first token */
            unsigned seen = 0;
            int words = 0, count = 0, first = -1, last = -1;
            for (int j = i; rc == SQLITE_OK && j < ninst; j++) {
                int ph2, col2, off2;
                rc = api->xInst(fts, j, &ph2, &col2, &off2);
                if (rc != SQLITE_OK || col2 != col || off2 >= ws + SNIPPET_TOKENS)
                    break;
                int end = off2 + api->xPhraseSize(fts, ph2) - 1;
                if (end >= ws + SNIPPET_TOKENS)
                    break;
                unsigned bit = 1u << (ph2 & 31);
                words += !(seen & bit);
                seen |= bit;
                count++;
                if (first < 0)
                    first = off2;
                if (end > last)
                    last = end;
            }
            int csize = 0; /* a column no longer than a window has no start to prefer */
            if (!pass)
                rc = api->xColumnSize(fts, col, &csize);
            long score = 1000L * words + count + (!pass && csize > SNIPPET_TOKENS ? 500 : 0);
            if (words && score > best) {
                best = score;
                best_col = col;
                best_first = first;
                best_last = last;
                at_start = !pass;
            }
        }
        prev_col = col;
    }
    int size = 0;
    if (rc == SQLITE_OK)
        rc = api->xColumnSize(fts, best_col, &size);
    const char *text = NULL;
    int ntext = 0;
    if (rc == SQLITE_OK)
        rc = api->xColumnText(fts, best_col, &text, &ntext);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    if (!text) {
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
        return;
    }
    int from = 0, lo = 0, hi = SNIPPET_TOKENS;
    if (best_last >= 0) {
        from = best_first - (SNIPPET_TOKENS - (best_last - best_first + 1)) / 2;
        if (from > size - SNIPPET_TOKENS)
            from = size - SNIPPET_TOKENS;
        if (from < 0)
            from = 0;
        /* the starts that keep the matches: [best_last - SNIPPET_TOKENS + 1, best_first] */
        lo = best_last - SNIPPET_TOKENS;
        if (lo < 0)
            lo = 0;
        hi = best_first + SNIPPET_TOKENS;
        if (hi < from + SNIPPET_TOKENS)
            hi = from + SNIPPET_TOKENS;
    }
    snip_tok t = {.from = lo, .upto = hi};
    rc = api->xTokenize(fts, text, ntext, &t, snip_token);
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    if (at_start)
        from = 0;
    else if (best_last >= 0) { /* a sentence start in reach */
        int least = best_last - SNIPPET_TOKENS + 1 < 0 ? 0 : best_last - SNIPPET_TOKENS + 1;
        for (int k = best_first; k >= least && k - lo < t.got; k--) {
            int sentence = k == 0;
            if (k > lo)
                for (int b = t.end[k - lo - 1]; !sentence && b < t.start[k - lo]; b++)
                    sentence = text[b] == '.' || text[b] == '!' || text[b] == '?' ||
                               text[b] == '\n';
            if (sentence) {
                from = k;
                break;
            }
        }
    }
    int whole = !t.stopped && from + SNIPPET_TOKENS >= t.index; /* the window ends the text */
    /* the window's tokens from t: [from, from + got) */
    int got = t.got - (from - lo);
    if (got > SNIPPET_TOKENS)
        got = SNIPPET_TOKENS;
    if (got < 0)
        got = 0;
    const int *tstart = t.start + (from - lo), *tend = t.end + (from - lo);
    /* the matches in the window: a mark opens before the first token of each, and closes
     * after its last (matches that overlap are one, as FTS5's highlight() makes them) */
    unsigned char open[SNIPPET_TOKENS] = {0}, close[SNIPPET_TOKENS] = {0};
    int span_from = -1, span_to = -1; /* the current span of overlapping matches */
    rc = SQLITE_OK;
    for (int i = 0; rc == SQLITE_OK && i <= ninst; i++) {
        int ph = 0, col = best_col, off = INT_MAX, psize = 1;
        if (i < ninst) {
            rc = api->xInst(fts, i, &ph, &col, &off);
            if (rc != SQLITE_OK || col != best_col)
                continue;
            psize = api->xPhraseSize(fts, ph);
            if (psize < 1)
                continue;
        }
        if (span_from >= 0 && i < ninst && off <= span_to) { /* overlaps the span */
            if (off + psize - 1 > span_to)
                span_to = off + psize - 1;
            continue;
        }
        if (span_from >= 0) { /* the span ends: mark it, clipped to the window */
            int a = span_from < from ? from : span_from;
            int b = span_to >= from + got ? from + got - 1 : span_to;
            if (a <= b) {
                open[a - from] = 1;
                close[b - from] = 1;
            }
        }
        if (i == ninst)
            break;
        span_from = off;
        span_to = off + psize - 1;
    }
    buf out;
    sli_buf_init(&out, BUF_UNLIMITED);
    sl_error err = SL_OK;
    if (!got) {
        /* no token in the window (an empty text): nothing to show */
    } else {
        err = from > 0 ? sli_buf_puts(&out, "\xE2\x80\xA6")
                       : sli_buf_append(&out, text, (size_t)tstart[0]);
        for (int k = 0; !err && k < got; k++) {
            if (open[k])
                err = sli_buf_putc(&out, '\x02');
            if (!err)
                err = sli_buf_append(&out, text + tstart[k], (size_t)(tend[k] - tstart[k]));
            if (!err && close[k])
                err = sli_buf_putc(&out, '\x03');
            if (!err && k + 1 < got) /* what lies between this token and the next */
                err = sli_buf_append(&out, text + tend[k], (size_t)(tstart[k + 1] - tend[k]));
        }
        if (!err)
            err = whole ? sli_buf_append(&out, text + tend[got - 1],
                                      (size_t)(ntext - tend[got - 1]))
                        : sli_buf_puts(&out, "\xE2\x80\xA6");
    }
    if (err || rc != SQLITE_OK)
        sqlite3_result_error_nomem(ctx);
    else
        sqlite3_result_text(ctx, out.len ? sli_buf_str(&out) : "", (int)out.len,
                            SQLITE_TRANSIENT);
    sli_buf_free(&out);
}

/* --- the store's stop words: the tokenizer sl_stop --- */

/* A word (a token as Porter's stemmer gives it) that more than half of a store's texts
 * hold weighs nothing in the ranking: BM25's idf, ln((N - df + 0.5) / (df + 0.5)), is
 * then at or under 0, floored at 1e-6. Its positions are still the largest part of the
 * index (in the generated corpus the 92 such words are 58% of the tokens). So the index
 * leaves them out: the tokenizer sl_stop wraps porter and drops the words of the store's
 * list (table search_stop), in the texts and in the queries alike, so a phrase ("bank of
 * england") matches as its other words, next to each other. The list is picked once,
 * at the end of the cleaning after which the store holds STOP_MIN_TEXTS cleaned texts,
 * or when an index is built later: from an index of the store's first STOP_MIN_TEXTS
 * cleaned texts by rid (sli_store_search_fill; at the migration from version 3, from the
 * index as it was), with fts5vocab (the words in more than half of the texts, at most
 * STOP_MAX_TERMS, the most held first), and never changed: the whole index is made
 * again with it at that moment (a 'rebuild'). Until version 14 a first load picked it
 * from the texts saved when the store first held STOP_MIN_TEXTS (1,024 in chunks of
 * 128), so a store indexed from the start and one indexed later could differ. Below
 * STOP_MIN_TEXTS a store has no list (its counts say too little): every word is indexed.
 * The empty word, a row no token can be, marks the list as picked (it may be empty).
 * docs/store-size.md, "Search: stop words". */
#define STOP_MIN_TEXTS 1000
#define STOP_MAX_TERMS 256
#define STOP_SLOTS 1024 /* a power of two, over 2 * STOP_MAX_TERMS */

struct search_stop {
    int loaded;  /* the list was read since it may have changed */
    int trained; /* the store holds its list: it never changes again */
    size_t n;
    char *slot[STOP_SLOTS]; /* the words, each NUL-terminated after its length; NULL: free */
    unsigned char len[STOP_SLOTS];
    fts5_api *api;
    Fts5Tokenizer *query; /* a sl_stop of the index's arguments, for make_query */
};

static size_t stop_hash(const char *t, int n)
{
    size_t h = 2166136261u; /* FNV-1a */
    for (int i = 0; i < n; i++)
        h = (h ^ (unsigned char)t[i]) * 16777619u;
    return h & (STOP_SLOTS - 1);
}

static int stop_has(const struct search_stop *s, const char *t, int n)
{
    if (n <= 0 || n > 255)
        return 0;
    for (size_t at = stop_hash(t, n); s->slot[at]; at = (at + 1) & (STOP_SLOTS - 1))
        if (s->len[at] == n && !memcmp(s->slot[at], t, (size_t)n))
            return 1;
    return 0;
}

static void stop_clear(struct search_stop *s)
{
    for (size_t i = 0; i < STOP_SLOTS; i++) {
        free(s->slot[i]);
        s->slot[i] = NULL;
    }
    s->n = 0;
    s->loaded = s->trained = 0;
}

/* The list read from the store (a store without the table: none). An SQLite code. */
static int stop_load(sl_store *st, struct search_stop *s)
{
    stop_clear(s);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(st->db, "SELECT term FROM search_stop", -1, &q, NULL);
    if (rc == SQLITE_ERROR) { /* no such table: a store being migrated */
        s->loaded = 1;
        return SQLITE_OK;
    }
    while (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(q, 0);
        int n = sqlite3_column_bytes(q, 0);
        if (!t && sqlite3_errcode(st->db) == SQLITE_NOMEM) {
            rc = SQLITE_NOMEM;
            break;
        }
        if (!t || n == 0) {
            s->trained = 1;
            rc = SQLITE_OK;
            continue;
        }
        if (n > 255 || s->n >= STOP_MAX_TERMS) {
            rc = SQLITE_OK;
            continue;
        }
        size_t at = stop_hash(t, n);
        while (s->slot[at])
            at = (at + 1) & (STOP_SLOTS - 1);
        if (!(s->slot[at] = malloc((size_t)n + 1))) {
            rc = SQLITE_NOMEM;
            break;
        }
        memcpy(s->slot[at], t, (size_t)n + 1);
        s->len[at] = (unsigned char)n;
        s->n++;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(q);
    if (rc == SQLITE_DONE) {
        s->loaded = 1;
        return SQLITE_OK;
    }
    stop_clear(s);
    return rc == SQLITE_OK ? SQLITE_ERROR : rc;
}

typedef struct stop_tok {
    fts5_tokenizer parent;
    Fts5Tokenizer *inst;
    sl_store *st;
} stop_tok;

/* sl_stop's arguments: the tokenizer it wraps, then that one's. */
static int stop_create(void *user, const char **argv, int argc, Fts5Tokenizer **out)
{
    sl_store *st = user;
    *out = NULL;
    stop_tok *t = calloc(1, sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    void *puser = NULL;
    int rc = st->stop->api->xFindTokenizer(st->stop->api, argc > 0 ? argv[0] : "unicode61",
                                           &puser, &t->parent);
    if (rc == SQLITE_OK)
        rc = t->parent.xCreate(puser, argc > 1 ? argv + 1 : NULL, argc > 1 ? argc - 1 : 0,
                               &t->inst);
    if (rc != SQLITE_OK) {
        free(t);
        return rc;
    }
    t->st = st;
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void stop_delete(Fts5Tokenizer *p)
{
    stop_tok *t = (stop_tok *)p;
    if (t) {
        t->parent.xDelete(t->inst);
        free(t);
    }
}

typedef struct stop_ctx {
    void *ctx;
    int (*token)(void *, int, const char *, int, int, int);
    const struct search_stop *s;
} stop_ctx;

static int stop_token(void *user, int tflags, const char *tok, int n, int start, int end)
{
    const stop_ctx *c = user;
    if (stop_has(c->s, tok, n))
        return SQLITE_OK;
    return c->token(c->ctx, tflags, tok, n, start, end);
}

static int stop_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
                         int (*token)(void *, int, const char *, int, int, int))
{
    stop_tok *t = (stop_tok *)p;
    struct search_stop *s = t->st->stop;
    if (!s->loaded) {
        int rc = stop_load(t->st, s);
        if (rc != SQLITE_OK)
            return rc;
    }
    if (!s->n)
        return t->parent.xTokenize(t->inst, ctx, flags, text, n, token);
    stop_ctx c = {ctx, token, s};
    return t->parent.xTokenize(t->inst, &c, flags, text, n, stop_token);
}

sl_error sli_store_search_register(sl_store *st)
{
    fts5_api *api = NULL;
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(st->db, "SELECT fts5(?1)", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return sli_store_fail(st, rc, "reaching FTS5");
    sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(s);
    sqlite3_finalize(s);
    if (!api || api->iVersion < 2) {
        sli_store_set_error(st, "this SQLite's FTS5 cannot take a tokenizer or ranking"
                                " function of ours");
        return SL_ERR_UNSUPPORTED;
    }
    if (!(st->stop = calloc(1, sizeof *st->stop)))
        return SL_ERR_NOMEM;
    st->stop->api = api;
    fts5_tokenizer tok = {stop_create, stop_delete, stop_tokenize};
    rc = api->xCreateTokenizer(api, "sl_stop", st, &tok, NULL);
    return rc == SQLITE_OK ? SL_OK : sli_store_fail(st, rc, "registering the search tokenizer");
}

void sli_store_search_stop_free(sl_store *st)
{
    if (st && st->stop) {
        if (st->stop->query)
            stop_delete(st->stop->query);
        stop_clear(st->stop);
        free(st->stop);
        st->stop = NULL;
    }
}

void sli_store_search_stop_stale(sl_store *st, int rolled_back)
{
    if (st && st->stop && (rolled_back || !st->stop->trained))
        st->stop->loaded = 0;
}

/* The handle's list (*out NULL: none), read from the store if it may have changed. */
static sl_error stop_ready(sl_store *st, struct search_stop **out)
{
    struct search_stop *s = st->stop;
    if (s && !s->loaded) {
        int rc = stop_load(st, s);
        if (rc != SQLITE_OK)
            return sli_store_fail(st, rc, "reading the search's stop words");
    }
    *out = s;
    return SL_OK;
}

static sl_error count_texts(sl_store *st, long long *texts)
{
    *texts = 0;
    sqlite3_stmt *q = NULL;
    sl_error err = sli_store_prepare(st, "SELECT count(*) FROM articles WHERE chars_clean > 0", &q);
    if (!err) {
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW)
            *texts = sqlite3_column_int64(q, 0);
        else
            err = sli_store_fail(st, rc, "counting the texts");
        sqlite3_finalize(q);
    }
    return err;
}

static sl_error stop_pick_from(sl_store *st, long long texts, int *picked);

/* The list picked from the index as it is now, when the store holds STOP_MIN_TEXTS
 * cleaned texts and has none yet; *picked: it was. */
sl_error sli_store_search_stop_pick(sl_store *st, int *picked)
{
    *picked = 0;
    struct search_stop *s = NULL;
    sl_error err = stop_ready(st, &s);
    if (err || !s || s->trained)
        return err;
    long long texts = 0;
    err = count_texts(st, &texts);
    return err || texts < STOP_MIN_TEXTS ? err : stop_pick_from(st, texts, picked);
}

/* The words of the index in more than half of its `texts` texts, as the list. */
static sl_error stop_pick_from(sl_store *st, long long texts, int *picked)
{
    sqlite3_stmt *q = NULL;
    struct search_stop *s = st->stop;
    sl_error err = sli_store_exec(st, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.sl_stop_vocab"
                             " USING fts5vocab(main, articles_fts, col)");
    if (!err)
        err = sli_store_prepare(st, "INSERT INTO search_stop(term) SELECT term"
                                    " FROM temp.sl_stop_vocab WHERE col = 'text' AND doc * 2 > ?1"
                                    " ORDER BY doc DESC, term LIMIT " STR(STOP_MAX_TERMS),
                                &q);
    if (!err) {
        sqlite3_bind_int64(q, 1, texts);
        int rc = sqlite3_step(q);
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE)
            err = sli_store_fail(st, rc, "picking the search's stop words");
    }
    if (!err)
        err = sli_store_exec(st, "INSERT INTO search_stop(term) VALUES('');"
                                 "DROP TABLE temp.sl_stop_vocab");
    s->loaded = 0; /* read again at the next use */
    if (!err)
        *picked = 1;
    return err;
}

/* Called with the index empty: in the transaction that made it (store.c:
 * sl_store_set_search, or the first writable open of a store made before it), or by
 * sli_store_search_cleaned when the store first holds STOP_MIN_TEXTS texts (the index
 * emptied first). With no list yet and STOP_MIN_TEXTS cleaned texts or more: the first
 * STOP_MIN_TEXTS of them (by rid) indexed and the list picked from them; then the index
 * rebuilt (emptied first) with every article, without the list's words. Not the whole store twice, as the first version did:
 * it took 2.5 times as long at 1M articles, and left 0.8 GB of free pages in the file. */
sl_error sli_store_search_fill(sl_store *st)
{
    long long texts = 0;
    int picked = 0;
    struct search_stop *s = NULL;
    sl_error err = stop_ready(st, &s);
    if (!err && s && !s->trained) /* a list kept from before is kept */
        err = count_texts(st, &texts);
    if (!err && texts >= STOP_MIN_TEXTS) {
        err = sli_store_exec(st, "INSERT INTO articles_fts(rowid, title, text)"
                                 " SELECT rid, title, text FROM article_text WHERE rid IN"
                                 " (SELECT rid FROM articles WHERE chars_clean > 0"
                                 " ORDER BY rid LIMIT " STR(STOP_MIN_TEXTS) ")");
        if (!err)
            err = stop_pick_from(st, STOP_MIN_TEXTS, &picked);
    }
    if (!err) /* a rebuild empties the index first: the first texts' pass goes */
        err = sli_store_exec(st, "INSERT INTO articles_fts(articles_fts) VALUES('rebuild')");
    return err;
}

sl_error sli_store_search_cleaning(sl_store *st, long long batch)
{
    if (!st->has_fts || batch)
        return SL_OK;
    return sli_store_exec(st, "INSERT INTO articles_fts(articles_fts) VALUES('delete-all')");
}

sl_error sli_store_search_cleaned(sl_store *st, long long batch)
{
    if (!st->has_fts)
        return SL_OK;
    long long texts = 0;
    struct search_stop *s = NULL;
    sl_error err = stop_ready(st, &s);
    if (!err && s && !s->trained)
        err = count_texts(st, &texts);
    if (err)
        return err;
    /* The store holds enough texts to pick its stop words: the index made again with
     * them (sli_store_search_fill: from the first texts by rid, as an index built later
     * picks them), this cleaning's articles with the rest. */
    if (texts >= STOP_MIN_TEXTS) {
        err = sli_store_exec(st, "INSERT INTO articles_fts(articles_fts) VALUES('delete-all')");
        return err ? err : sli_store_search_fill(st);
    }
    if (!batch) /* every article: the index made again from its content */
        return sli_store_exec(st, "INSERT INTO articles_fts(articles_fts) VALUES('rebuild')");
    /* in rid order (the batch's index on articles keeps it): FTS5 appends to its lists */
    sqlite3_stmt *q = NULL;
    err = sli_store_prepare(st, "INSERT INTO articles_fts(rowid, title, text)"
                                " SELECT rid, title, text FROM article_text"
                                " WHERE rid IN (SELECT rid FROM articles WHERE batch = ?1)",
                            &q);
    if (err)
        return err;
    sqlite3_bind_int64(q, 1, batch);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? SL_OK : sli_store_fail(st, rc, "indexing cleaned articles");
}

typedef struct piece_count {
    int all, kept;
    const struct search_stop *s;
} piece_count;

static int piece_token(void *user, int tflags, const char *tok, int n, int start, int end)
{
    (void)tflags;
    (void)start;
    (void)end;
    piece_count *c = user;
    c->all++;
    c->kept += !stop_has(c->s, tok, n);
    return SQLITE_OK;
}

/* Whether a word of a query (p[0..n)) is only stop words: *only 1 (then its string in
 * the query would match no article). */
static sl_error only_stop_words(sl_store *st, const char *p, size_t n, int *only)
{
    *only = 0;
    struct search_stop *s = NULL;
    sl_error err = stop_ready(st, &s);
    if (err || !s || !s->n)
        return err;
    if (!s->query) {
        /* the index's own arguments (STORE_FTS_TOKENIZE: "sl_stop porter ...") */
        char args[] = STORE_FTS_TOKENIZE;
        const char *argv[8];
        int argc = 0;
        for (char *a = args; *a && argc < 8;) {
            argv[argc++] = a;
            while (*a && *a != ' ')
                a++;
            while (*a == ' ')
                *a++ = '\0';
        }
        int rc = argc > 1 ? stop_create(st, argv + 1, argc - 1, &s->query) : SQLITE_ERROR;
        if (rc != SQLITE_OK)
            return sli_store_fail(st, rc, "making the search tokenizer");
    }
    piece_count c = {0, 0, s};
    stop_tok *t = (stop_tok *)s->query;
    int rc = t->parent.xTokenize(t->inst, &c, FTS5_TOKENIZE_QUERY, p, (int)n, piece_token);
    if (rc != SQLITE_OK)
        return sli_store_fail(st, rc, "reading the search query");
    *only = c.all > 0 && c.kept == 0;
    return SL_OK;
}

/* --- what the searches of a handle keep: counts of words and queries --- */

/* Slots of the table of counts (a power of two); it is emptied when three quarters are
 * used, and whenever the store's data version changes. */
#define SEARCH_CACHE_SLOTS 2048

typedef struct search_entry {
    char *key; /* a word or query as FTS5 reads it; NULL: free */
    size_t len;
    long long count; /* matches, at most SEARCH_MAX_HITS */
    long long oldest; /* the oldest rowid of those */
} search_entry;

struct search_cache {
    /* the entries were counted at this PRAGMA data_version (which moves when another
     * connection commits) and this count of the connection's own changes */
    long long version, changes;
    int have_span;
    long long rid_min, rid_max; /* the articles' rowids, at that version */
    size_t used;
    search_entry slot[SEARCH_CACHE_SLOTS];
};

static void cache_clear(struct search_cache *c)
{
    for (size_t i = 0; i < SEARCH_CACHE_SLOTS; i++) {
        free(c->slot[i].key);
        c->slot[i].key = NULL;
    }
    c->used = 0;
    c->have_span = 0;
}

void sli_store_search_free(sl_store *st)
{
    if (st && st->search) {
        cache_clear(st->search);
        free(st->search);
        st->search = NULL;
    }
}

static sl_error step_one(sl_store *st, const char *sql, const char *key, size_t len,
                         long long *a, long long *b)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_borrow(st, sql, &s);
    if (err)
        return err;
    if (key)
        sqlite3_bind_text(s, 1, key, (int)len, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *a = sqlite3_column_int64(s, 0);
        if (b)
            *b = sqlite3_column_int64(s, 1);
    } else {
        err = failed(st, rc);
    }
    sli_store_return(st, s);
    return err;
}

/* The handle's cache, made on the first search (which registers sl_bm25 and sl_snippet
 * on the connection) and emptied when the store has been written since, by another
 * connection or this one. */
static sl_error cache_get(sl_store *st, struct search_cache **out)
{
    struct search_cache *c = st->search;
    if (!c) {
        fts5_api *api = st->stop->api; /* reached at the open (sli_store_search_register) */
        int rc = api->xCreateFunction(api, "sl_bm25", NULL, bm25_fn, NULL);
        if (rc == SQLITE_OK)
            rc = api->xCreateFunction(api, "sl_snippet", NULL, snippet_fn, NULL);
        if (rc != SQLITE_OK)
            return sli_store_fail(st, rc, "registering the search ranking");
        c = calloc(1, sizeof *c);
        if (!c)
            return SL_ERR_NOMEM;
        c->version = -1;
        st->search = c;
    }
    long long version = 0;
    sl_error err = step_one(st, version_sql, NULL, 0, &version, NULL);
    if (err)
        return err;
    long long changes = (long long)sqlite3_total_changes64(st->db);
    if (version != c->version || changes != c->changes) {
        sli_store_search_stop_stale(st, 0); /* another connection may have picked it */
        cache_clear(c);
        c->version = version;
        c->changes = changes;
    }
    *out = c;
    return SL_OK;
}

/* The matches of key (a word or query as FTS5 reads it), counted once per data version. */
static sl_error cache_count(sl_store *st, struct search_cache *c, const char *key, size_t len,
                            const search_entry **out)
{
    size_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)key[i]) * 16777619u;
    size_t at = h & (SEARCH_CACHE_SLOTS - 1);
    for (; c->slot[at].key; at = (at + 1) & (SEARCH_CACHE_SLOTS - 1))
        if (c->slot[at].len == len && !memcmp(c->slot[at].key, key, len)) {
            *out = &c->slot[at];
            return SL_OK;
        }
    long long count = 0, oldest = 0;
    sl_error err = step_one(st, count_sql, key, len, &count, &oldest);
    if (err)
        return err;
    if (c->used >= SEARCH_CACHE_SLOTS / 4 * 3) {
        int have_span = c->have_span;
        cache_clear(c);
        c->have_span = have_span;
        at = h & (SEARCH_CACHE_SLOTS - 1);
    }
    char *k = malloc(len + 1);
    if (!k)
        return SL_ERR_NOMEM;
    memcpy(k, key, len);
    k[len] = '\0';
    c->slot[at] = (search_entry){k, len, count, oldest};
    c->used++;
    *out = &c->slot[at];
    return SL_OK;
}

/* The articles that hold a word: its count when under the cap; else estimated from
 * how densely its newest SEARCH_MAX_HITS matches fill the rowids (articles are stored
 * in order of arrival, and a word's rate changes slowly over a store). */
static sl_error word_df(sl_store *st, struct search_cache *c, const search_entry *e, double *df)
{
    *df = (double)e->count;
    if (e->count < SEARCH_MAX_HITS)
        return SL_OK;
    if (!c->have_span) {
        sl_error err = step_one(st, span_sql, NULL, 0, &c->rid_min, &c->rid_max);
        if (err)
            return err;
        c->have_span = 1;
    }
    long long span = c->rid_max - e->oldest + 1;
    if (span > 0)
        *df = (double)e->count * (double)(c->rid_max - c->rid_min + 1) / (double)span;
    return SL_OK;
}

typedef struct rid_at {
    long long rid;
    size_t at; /* in the page */
} rid_at;

static int cmp_rid(const void *a, const void *b)
{
    long long x = ((const rid_at *)a)->rid, y = ((const rid_at *)b)->rid;
    return x < y ? -1 : x > y;
}

static sl_error search_run(sl_store *st, const char *q, long long offset, long long limit,
                           long long *total, sl_hit_fn fn, void *user)
{
    if (total)
        *total = 0;
    buf match;
    sli_buf_init(&match, BUF_UNLIMITED);
    size_t from[SEARCH_MAX_WORDS], to[SEARCH_MAX_WORDS];
    int nwords = 0;
    sl_error err = sli_store_search_recheck(st); /* built or dropped by another handle? */
    if (!err)
        err = make_query(st, q, 0, &match, from, to, &nwords);
    if (err) {
        sli_buf_free(&match);
        return err;
    }
    if (!st->has_fts) {
        sli_buf_free(&match);
        long long off = 0; /* a store that cannot say (no counters yet): an old one */
        if (sli_store_event_counter(st, SEARCH_OFF_COUNTER, &off))
            off = 0;
        sli_store_set_error(st, off ? "this store has no search index (made without one, or"
                                      " dropped): `storyline search-index on` builds it"
                                    : "this store has no search index yet (it was made by an"
                                      " earlier storyline): `storyline add` or `storyline"
                                      " search-index on` builds it");
        return SL_ERR_UNSUPPORTED;
    }
    /* the matches (capped) and each word's article count */
    struct search_cache *c = NULL;
    long long matches = 0;
    double df[SEARCH_MAX_WORDS];
    err = cache_get(st, &c);
    if (!err && st->stop) { /* the words the index leaves out, out of the query too */
        sli_buf_clear(&match);
        err = make_query(st, q, 1, &match, from, to, &nwords);
    }
    const search_entry *e = NULL;
    if (!err)
        err = cache_count(st, c, sli_buf_str(&match), match.len, &e);
    if (!err)
        matches = e->count;
    for (int i = 0; !err && i < nwords; i++) {
        err = cache_count(st, c, sli_buf_str(&match) + from[i], to[i] - from[i], &e);
        if (!err)
            err = word_df(st, c, e, &df[i]);
    }
    if (total && !err)
        *total = matches;
    sqlite3_stmt *s = NULL;
    int rc = SQLITE_DONE;
    /* the page's hits, window by window */
    typedef struct ranked {
        long long rid;
        double rank;
        char *snippet;
    } ranked;
    long long want = limit > 0 ? limit : -1, at = offset > 0 ? offset : 0;
    ranked *page = NULL;
    size_t n = 0, cap = 0;
    if (at >= matches)
        want = 0; /* past the end */
    for (long long w = at / SEARCH_WINDOW; !err && want != 0 && w * SEARCH_WINDOW < matches;
         w++) {
        long long skip = at - w * SEARCH_WINDOW; /* into this window */
        if (skip < 0)
            skip = 0;
        err = sli_store_borrow(st, rank_sql, &s);
        if (err)
            break;
        sqlite3_bind_text(s, 1, sli_buf_str(&match), (int)match.len, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, skip);
        sqlite3_bind_int64(s, 3, want);
        sqlite3_bind_int64(s, 4, w * SEARCH_WINDOW);
        sqlite3_bind_int64(s, 5, SEARCH_WINDOW);
        sqlite3_bind_blob(s, 6, df, nwords * (int)sizeof df[0], SQLITE_STATIC);
        sqlite3_bind_int64(s, 7, want > 0 ? skip + want : 0);
        size_t before = n;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            if (n == cap) {
                ranked *v = realloc(page, (cap = cap ? 2 * cap : 64) * sizeof *v);
                if (!v) {
                    err = SL_ERR_NOMEM;
                    break;
                }
                page = v;
            }
            page[n++] = (ranked){sqlite3_column_int64(s, 0), sqlite3_column_double(s, 1), NULL};
        }
        if (!err && rc != SQLITE_DONE)
            err = failed(st, rc);
        sli_store_return(st, s);
        if (want > 0)
            want -= (long long)(n - before);
        /* a window that gave none after its skip: the matches have run out */
        if (n == before && skip == 0)
            break;
    }
    size_t n_ranked = n; /* (n is cut when the caller stops) */
    /* their snippets */
    long long *rids = n ? malloc(n * sizeof *rids) : NULL;
    rid_at *order = n ? malloc(n * sizeof *order) : NULL;
    if (n && (!rids || !order))
        err = SL_ERR_NOMEM;
    if (!err && n) {
        for (size_t i = 0; i < n; i++)
            order[i] = (rid_at){page[i].rid, i};
        qsort(order, n, sizeof *order, cmp_rid);
        for (size_t i = 0; i < n; i++)
            rids[i] = order[i].rid;
        err = sli_store_borrow(st, snip_sql, &s);
    }
    if (!err && n) {
        sqlite3_bind_text(s, 1, sli_buf_str(&match), (int)match.len, SQLITE_STATIC);
        sqlite3_bind_blob(s, 2, rids, (int)(n * sizeof *rids), SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, rids[0]);
        sqlite3_bind_int64(s, 4, rids[n - 1]);
        while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
            const char *snippet = sli_store_column_text(s, 1);
            if (!snippet)
                continue;
            rid_at key = {sqlite3_column_int64(s, 0), 0};
            const rid_at *hit = bsearch(&key, order, n, sizeof *order, cmp_rid);
            if (hit && !page[hit->at].snippet && !(page[hit->at].snippet = strdup(snippet)))
                err = SL_ERR_NOMEM;
        }
        if (!err && rc != SQLITE_DONE)
            err = failed(st, rc);
        sli_store_return(st, s);
    }
    free(rids);
    free(order);
    for (size_t i = 0; !err && i < n; i++) {
        err = sli_store_borrow(st, hit_sql, &s);
        if (err)
            break;
        sqlite3_bind_int64(s, 1, page[i].rid);
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            char event[32];
            int has_event = sqlite3_column_type(s, 4) != SQLITE_NULL;
            if (has_event)
                snprintf(event, sizeof event, "E%lld", sqlite3_column_int64(s, 4));
            const char *snippet = page[i].snippet;
            sl_hit hit = {sli_store_column_text(s, 0),
                          sli_store_column_text(s, 1),
                          sli_store_column_text(s, 2),
                          sli_store_column_text(s, 3),
                          has_event ? event : NULL,
                          snippet ? snippet : "",
                          page[i].rank};
            if (!hit.id || !hit.source)
                err = SL_ERR_NOMEM;
            else if (fn(user, &hit))
                n = i; /* stop */
        } else if (rc != SQLITE_DONE) { /* DONE: gone since it was ranked */
            err = failed(st, rc);
        }
        sli_store_return(st, s);
    }
    for (size_t i = 0; i < n_ranked; i++)
        free(page[i].snippet);
    free(page);
    sli_buf_free(&match);
    return err;
}

/* One read transaction around the whole search (unless the caller holds one): the stop
 * list, the counts and the matches then see one state of the store, even when another
 * process picks the stop words, and rebuilds the index, between two of them. */
sl_error sli_store_search(sl_store *st, const char *q, long long offset, long long limit,
                          long long *total, sl_hit_fn fn, void *user)
{
    int own = 0;
    sl_error err = sli_store_read_begin(st, &own);
    if (!err)
        err = search_run(st, q, offset, limit, total, fn, user);
    sli_store_read_end(st, own);
    return err;
}
