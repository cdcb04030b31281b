/* stem_memo.c — English stems of words, remembered (stem_memo.h says why). */
#include "stem_memo.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define MEMO_SLOTS 4096 /* a power of 2; 160 kB a memo */
#define MEMO_WORD_MAX 23 /* longer words are stemmed each time */

typedef struct memo_slot {
    uint8_t len; /* 0: empty */
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

sl_error sli_stem_memo_hash(stem_memo *m, const char *w, size_t n, uint64_t *hash)
{
    if (n == 0 || n > MEMO_WORD_MAX) /* (an empty slot has length 0) */
        return stem_hash(m, w, n, hash);
    memo_slot *s = &m->slot[XXH3_64bits(w, n) & (MEMO_SLOTS - 1)];
    if (s->len != n || memcmp(s->word, w, n)) {
        sl_error err = stem_hash(m, w, n, &s->hash);
        if (err) {
            s->len = 0;
            return err;
        }
        s->len = (uint8_t)n;
        memcpy(s->word, w, n);
    }
    *hash = s->hash;
    return SL_OK;
}
