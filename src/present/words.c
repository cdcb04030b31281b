/* words.c — the stemmed content words of a title or sentence, as a sorted set of hashes:
 * what the headline and summary compare. */
#include "present.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../core/grow.h"
#include "../core/select.h"
#include "../text/stem_memo.h"
#include "../text/stopwords.h"

#define WORD_MAX 64 /* longer words are cut: nothing is compared past this */

struct present_words {
    stem_memo *stems;
    uint64_t *set;
    size_t cap;
};

sl_error sli_present_words_create(present_words **out)
{
    *out = NULL;
    present_words *w = calloc(1, sizeof *w);
    if (!w)
        return SL_ERR_NOMEM;
    if (sli_stem_memo_create(&w->stems)) {
        free(w);
        return SL_ERR_NOMEM;
    }
    *out = w;
    return SL_OK;
}

void sli_present_words_free(present_words *w)
{
    if (!w)
        return;
    sli_stem_memo_free(w->stems);
    free(w->set);
    free(w);
}

/* A word byte: ASCII letters and digits, and non-ASCII bytes other than those of general
 * punctuation (U+2000..U+206F: curly quotes, dashes). */
static size_t word_byte(const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    if (c < 0x80)
        return 0;
    if (c == 0xE2 && i + 2 < len &&
        ((unsigned char)s[i + 1] == 0x80 || (unsigned char)s[i + 1] == 0x81))
        return 0;
    if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] < 0xC0)
        return 0; /* U+0080..U+00BF: no-break space, guillemets, © */
    return 1;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Whether s[i] is the comma of a thousands group: ",ddd" not followed by a digit. */
static int thousands(const char *s, size_t len, size_t i)
{
    return s[i] == ',' && i > 0 && is_digit(s[i - 1]) && i + 3 < len &&
           is_digit(s[i + 1]) && is_digit(s[i + 2]) && is_digit(s[i + 3]) &&
           (i + 4 >= len || !is_digit(s[i + 4]));
}

/* After a number ending at s[i]: an optional space, then "am", "a.m.", "pm" or "p.m."
 * (any case) ending the word. Writes "am" or "pm" into two[0..2) and returns where the
 * suffix ends; 0 when there is none. */
static size_t clock_suffix(const char *s, size_t len, size_t i, char *two)
{
    if (i < len && s[i] == ' ')
        i++;
    if (i + 1 >= len)
        return 0;
    char c = (char)(s[i] | 0x20);
    if (c != 'a' && c != 'p')
        return 0;
    size_t j = i + 1;
    int dotted = j < len && s[j] == '.';
    if (dotted)
        j++;
    if (j >= len || (s[j] | 0x20) != 'm')
        return 0;
    j++;
    if (dotted) {
        if (j >= len || s[j] != '.')
            return 0;
        j++;
    }
    if (j < len && word_byte(s, len, j))
        return 0; /* "6 amps", "7 pmol" */
    two[0] = c;
    two[1] = 'm';
    return j;
}

static inline int value_before(const uint64_t *x, const uint64_t *y)
{
    return *x < *y;
}

/* A text's hashes sorted with the order inline (core/select.h), not through qsort's calls
 * and its buffer (they showed in the present stage's profiles); equal hashes are alike,
 * so the array is the one qsort gives. */
SLI_DEFINE_SORT(sort_values, uint64_t, value_before)

sl_error sli_present_word_set(present_words *w, const char *s, size_t len, uint64_t **out,
                              size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t count = 0, i = 0;
    char word[WORD_MAX];
    while (i < len) {
        if (!word_byte(s, len, i)) {
            i++;
            continue;
        }
        size_t k = 0;
        int ascii = 1, digits = 1;
        while (i < len && (word_byte(s, len, i) || (digits && k && thousands(s, len, i)))) {
            char c = s[i];
            if (c == ',') { /* "1,800": the number 1800 */
                i++;
                continue;
            }
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if ((unsigned char)c >= 0x80)
                ascii = 0;
            if (c < '0' || c > '9')
                digits = 0;
            if (k < WORD_MAX)
                word[k++] = c;
            i++;
        }
        if (digits && k + 2 <= WORD_MAX) { /* "6 a.m.", "6 am", "6pm": one word, "6am" */
            size_t after = clock_suffix(s, len, i, &word[k]);
            if (after) {
                k += 2;
                i = after;
            }
        }
        int number = word[0] >= '0' && word[0] <= '9';
        if ((k < 2 && !number) || sli_stem_memo_kinds(w->stems, word, k))
            continue;
        uint64_t h;
        if (ascii && !number) {
            if (sli_stem_memo_hash(w->stems, word, k, &h))
                return SL_ERR_NOMEM;
        } else {
            h = XXH3_64bits(word, k);
        }
        uint64_t *grown = sli_grow_array(w->set, &w->cap, count + 1, sizeof *grown, 64);
        if (!grown)
            return SL_ERR_NOMEM;
        w->set = grown;
        w->set[count++] = h;
    }
    if (!count)
        return SL_OK;
    sort_values(w->set, count);
    size_t u = 1;
    for (size_t k = 1; k < count; k++)
        if (w->set[k] != w->set[u - 1])
            w->set[u++] = w->set[k];
    *out = malloc(u * sizeof **out);
    if (!*out)
        return SL_ERR_NOMEM;
    memcpy(*out, w->set, u * sizeof **out);
    *n = u;
    return SL_OK;
}

/* |a ∩ b| of two sorted sets. */
static size_t common(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, both = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) {
            both++;
            i++;
            j++;
        } else if (a[i] < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    return both;
}

double sli_present_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    if (!na && !nb)
        return 0;
    size_t both = common(a, na, b, nb);
    return (double)both / (double)(na + nb - both);
}

double sli_present_overlap(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    if (!na || !nb)
        return 0;
    size_t both = common(a, na, b, nb);
    return (double)both / (double)(na < nb ? na : nb);
}
