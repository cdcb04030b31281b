/* stem_memo.c — English stems of words, remembered (stem_memo.h says why). */
#include "stem_memo.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "stopwords.h"

#define MEMO_SLOTS 16384 /* a power of 2; 512 kB a memo (docs/tuned-constants.md) */
#define MEMO_WORD_MAX 21 /* longer words are stemmed each time */

typedef struct memo_slot {
    uint8_t len;      /* 0: empty */
    uint8_t kinds;    /* sli_stopword_kinds of the word */
    uint8_t has_hash; /* hash is its stem's (stems are made when first asked for) */
    char word[MEMO_WORD_MAX];
    uint64_t hash;
} memo_slot;

struct stem_memo {
    struct sb_stemmer *stem;
    memo_slot slot[MEMO_SLOTS];
};

sl_error sli_stem_memo_create(stem_memo **out)
{
    *out = NULL;
    stem_memo *m = calloc(1, sizeof *m);
    if (!m)
        return SL_ERR_NOMEM;
    m->stem = sb_stemmer_new("english", NULL);
    if (!m->stem) {
        free(m);
        return SL_ERR_NOMEM;
    }
    *out = m;
    return SL_OK;
}

void sli_stem_memo_free(stem_memo *m)
{
    if (!m)
        return;
    sb_stemmer_delete(m->stem);
    free(m);
}

static sl_error stem_hash(stem_memo *m, const char *w, size_t n, uint64_t *hash)
{
    const sb_symbol *st = sb_stemmer_stem(m->stem, (const sb_symbol *)w, (int)n);
    if (!st)
        return SL_ERR_NOMEM;
    *hash = XXH3_64bits(st, (size_t)sb_stemmer_length(m->stem));
    return SL_OK;
}

/* The slot of w[0..n) (1 <= n <= MEMO_WORD_MAX), taken for it if another word had it. */
static memo_slot *slot_of(stem_memo *m, const char *w, size_t n)
{
    memo_slot *s = &m->slot[XXH3_64bits(w, n) & (MEMO_SLOTS - 1)];
    if (s->len != n || memcmp(s->word, w, n)) {
        s->len = (uint8_t)n;
        s->kinds = (uint8_t)sli_stopword_kinds(w, n);
        s->has_hash = 0;
        memcpy(s->word, w, n);
    }
    return s;
}

sl_error sli_stem_memo_hash(stem_memo *m, const char *w, size_t n, uint64_t *hash)
{
    if (n == 0 || n > MEMO_WORD_MAX) /* (an empty slot has length 0) */
        return stem_hash(m, w, n, hash);
    memo_slot *s = slot_of(m, w, n);
    if (!s->has_hash) {
        sl_error err = stem_hash(m, w, n, &s->hash);
        if (err)
            return err;
        s->has_hash = 1;
    }
    *hash = s->hash;
    return SL_OK;
}

unsigned sli_stem_memo_kinds(stem_memo *m, const char *w, size_t n)
{
    if (n == 0 || n > MEMO_WORD_MAX)
        return sli_stopword_kinds(w, n);
    return slot_of(m, w, n)->kinds;
}
