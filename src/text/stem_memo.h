/* stem_memo.h — English stems of words, remembered (internal).
 *
 * The clustering features and the present stage's word sets stem every content word of
 * every text, and news text repeats its words: a few thousand make most of any article.
 * A memo keeps the last word seen in each of its slots (direct-mapped by the word's hash,
 * the word kept whole, so a hit is the same word and the answer the one computed), the
 * hash of its stem and its stop-word kinds. One memo per thread: the stemmer in it is
 * not thread-safe. */
#ifndef SL_TEXT_STEM_MEMO_H
#define SL_TEXT_STEM_MEMO_H

#include <stddef.h>
#include <stdint.h>

#include "storyline.h" /* sl_error */

typedef struct stem_memo stem_memo;

/* SL_ERR_NOMEM, or a memo in *out (free with sli_stem_memo_free, which accepts NULL). */
sl_error sli_stem_memo_create(stem_memo **out);
void sli_stem_memo_free(stem_memo *m);

/* XXH3_64bits of the Snowball English stem of w[0..n) (case-folded UTF-8) in *hash.
 * SL_ERR_NOMEM when the stemmer could not stem it. */
sl_error sli_stem_memo_hash(stem_memo *m, const char *w, size_t n, uint64_t *hash);

/* sli_stopword_kinds(w, n) (text/stopwords.h), remembered in the same slots. */
unsigned sli_stem_memo_kinds(stem_memo *m, const char *w, size_t n);

#endif
