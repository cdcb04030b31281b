/* lines.c — splitting an article into lines, and each line's shape. */
#include "clean.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h> /* XXH3_64bits */

#include "../text/normalize.h" /* sli_text_normalize */
#include "lexicon.h"           /* sli_lex_is_stopword */

static const char *const label_names[CLEAN__COUNT] = {
    [CLEAN_BODY] = "body",           [CLEAN_TITLE] = "title",
    [CLEAN_META] = "meta",           [CLEAN_FURNITURE] = "furniture",
    [CLEAN_TEMPLATE] = "template",   [CLEAN_COMMON] = "common",
    [CLEAN_DUPLICATE] = "duplicate", [CLEAN_BOILER] = "boilerplate",
    [CLEAN_AFTER_END] = "after-end", [CLEAN_OFF_TOPIC] = "off-topic",
};

const char *sli_clean_label_name(clean_label label)
{
    return (unsigned)label < CLEAN__COUNT ? label_names[label] : "?";
}

void sli_clean_result_init(clean_result *r, size_t max_text)
{
    memset(r, 0, sizeof *r);
    sli_buf_init(&r->text, max_text);
    sli_buf_init(&r->scratch, BUF_UNLIMITED);
    r->title_line = -1;
}

void sli_clean_result_free(clean_result *r)
{
    free(r->lines);
    free(r->ints);
    r->ints = NULL;
    r->ints_cap = 0;
    sli_buf_free(&r->text);
    sli_buf_free(&r->scratch);
    r->lines = NULL;
    r->n = r->cap = 0;
}

static int blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Bytes that make up words: letters, digits, any non-ASCII byte, ' and -. */
static const unsigned char word_bytes[128] = {
    ['\''] = 1, ['-'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
    ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
    ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
    ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
};

static int word_byte(unsigned char c)
{
    return c >= 0x80 || word_bytes[c];
}

/* Whether the line ends a sentence: . ! ? or such followed by closing quotes/brackets. */
static int ends_sentence(const unsigned char *s, size_t n)
{
    while (n > 0) {
        unsigned char c = s[n - 1];
        if (c == '.' || c == '!' || c == '?')
            return 1;
        if (c == '"' || c == '\'' || c == ')' || c == ']')
            n--;
        else if (n >= 3 && s[n - 3] == 0xE2 && s[n - 2] == 0x80 &&
                 (c == 0x9D || c == 0x99)) /* ” or ’ */
            n -= 3;
        else if (n >= 3 && s[n - 3] == 0xE2 && s[n - 2] == 0x80 && c == 0xA6) /* … */
            return 1;
        else if (n >= 3 && ((s[n - 3] == 0xE3 && s[n - 2] == 0x80 && c == 0x82) || /* 。 */
                            (s[n - 3] == 0xEF && s[n - 2] == 0xBC && (c == 0x81 || c == 0x9F))))
            return 1; /* ！ ？ */
        else if (n >= 3 && s[n - 3] == 0xE3 && s[n - 2] == 0x80 && (c == 0x8D || c == 0x8F))
            n -= 3; /* 」 』 */
        else
            return 0;
    }
    return 0;
}

#define STOP_SAMPLE 48 /* stop-word look-ups per line at most */

void sli_clean_shape(const char *str, clean_line *l)
{
    l->words = l->stops = l->capitals = l->digits = l->cjk = 0;
    const unsigned char *s = (const unsigned char *)str;
    size_t n = l->len;
    for (size_t k = 0; k < n; k++)
        l->cjk += (unsigned char)(s[k] - 0xE3) <= 0xE9 - 0xE3; /* leads of U+3000..U+9FFF */
    int per_lang[LEX_LANGS] = {0};
    /* Stop words only matter for lines long enough to be prose, or whole sentences; and a
     * sample of a long paragraph's words tells its density as well as all of them. */
    int count_stops = l->chars >= 60 || ends_sentence(s, n);
    int looked = 0, sampled_words = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && !word_byte(s[i]))
            i++;
        size_t w = i;
        while (i < n && word_byte(s[i]))
            i++;
        if (i == w)
            break;
        /* A lone dash or apostrophe is not a word. */
        if (i - w == 1 && (s[w] == '-' || s[w] == '\''))
            continue;
        l->words++;
        if (looked < STOP_SAMPLE)
            sampled_words = l->words;
        if (s[w] >= 'A' && s[w] <= 'Z')
            l->capitals++;
        else if (s[w] >= '0' && s[w] <= '9') {
            l->digits++;
            continue; /* no stop word starts with a digit */
        }
        if (i - w > 12 || !count_stops || looked >= STOP_SAMPLE)
            continue; /* nor is any longer than 12 bytes */
        looked++;
        unsigned langs = sli_lex_stopword_langs(str + w, i - w);
        for (int k = 0; langs; k++, langs >>= 1)
            per_lang[k] += langs & 1u;
    }
    /* Count stop words in whichever language has the most: the line's own, most likely. */
    for (int k = 0; k < LEX_LANGS; k++)
        if (per_lang[k] > l->stops)
            l->stops = per_lang[k];
    /* Past the sample, the density of the sampled words stands for the whole line. */
    if (sampled_words > 0 && sampled_words < l->words)
        l->stops = (int)((long long)l->stops * l->words / sampled_words);
    l->sentence_end = ends_sentence(s, n);
}

sl_error sli_clean_split(const char *raw, size_t n, clean_result *r, buf *norm_out)
{
    r->n = 0;
    buf *norm = norm_out ? norm_out : &r->scratch;
    sl_error err = SL_OK;
    size_t i = 0;
    while (i < n && !err) {
        const char *nl = memchr(raw + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - raw) : n;
        size_t a = i, b = end;
        while (a < b && blank((unsigned char)raw[a]))
            a++;
        while (b > a && blank((unsigned char)raw[b - 1]))
            b--;
        /* A no-break space is blank too (scrapers leave them at line ends). */
        while (b - a >= 2 && (unsigned char)raw[b - 2] == 0xC2 && (unsigned char)raw[b - 1] == 0xA0)
            b -= 2;
        while (b - a >= 2 && (unsigned char)raw[a] == 0xC2 && (unsigned char)raw[a + 1] == 0xA0)
            a += 2;
        i = end + 1;
        if (a == b)
            continue;
        if (r->n == r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 64;
            clean_line *v = realloc(r->lines, cap * sizeof *v);
            if (!v) {
                err = SL_ERR_NOMEM;
                break;
            }
            r->lines = v;
            r->cap = cap;
        }
        clean_line *l = &r->lines[r->n++];
        memset(l, 0, sizeof *l);
        l->start = a;
        l->len = b - a;
        for (size_t k = a; k < b; k++)
            l->chars += ((unsigned char)raw[k] & 0xC0) != 0x80;
        if (!norm_out && l->chars > CLEAN_COUNTED_CHARS) {
            /* Never counted: the exact bytes will do (a seed keeps the two kinds apart). */
            l->hash = XXH3_64bits_withSeed(raw + a, b - a, 1);
            continue;
        }
        if (!norm_out)
            sli_buf_clear(norm);
        size_t from;
        err = sli_text_normalize_line(raw + a, b - a, norm, &from);
        l->hash = XXH3_64bits(norm->data ? norm->data + from : "", norm->len - from);
    }
    return err;
}
