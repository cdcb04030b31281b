/* entities_int.h — what the entity finder and the gazetteer share (internal to src/facts):
 * the name tokeniser, the hash of a name's normalised tokens, and the lookups into the
 * read-only context (sli_facts_ctx, built in gazetteer.c). */
#ifndef SL_FACTS_ENTITIES_INT_H
#define SL_FACTS_ENTITIES_INT_H

#include <stddef.h>
#include <stdint.h>

#include "facts.h"

/* What the word list says of a word (its lower-case form): */
enum {
    SLI_WORD_LOWER = 1u, /* listed in lower case: an ordinary word ("apple", "but") */
    SLI_WORD_CAP = 2u    /* listed capitalised: a proper noun ("Paul", "Boeing", "Paris") */
};

/* What the gazetteer says of a name: */
enum {
    SLI_GAZ_COUNTRY = 1u,  /* iso-codes ISO 3166-1 names, and a few short forms */
    SLI_GAZ_REGION = 2u,   /* iso-codes ISO 3166-2 subdivisions */
    SLI_GAZ_CITY = 4u,     /* tzdata's zone cities ("Europe/Paris" -> Paris) */
    SLI_GAZ_DEMONYM = 8u,  /* country adjectives: "Russian", "North Korean" */
    SLI_GAZ_CURRENCY = 16u /* iso-codes ISO 4217 codes ("USD"): no names */
};

/* No name in the gazetteer has more tokens than this (longer ones are left out). */
#define SLI_GAZ_MAX_TOKENS 6

/* One token of text: a word, a number, an abbreviation with its dot ("Mr.", "U.S."). */
typedef struct sli_ent_tok {
    size_t a, b;       /* bytes [a, b) of the text */
    uint64_t h;        /* hash of the token's normalised form (sli_name_hash_*) */
    unsigned flags;    /* SLI_TOK_* */
} sli_ent_tok;

enum {
    SLI_TOK_CAP = 1u << 0,     /* first letter upper case */
    SLI_TOK_ALLCAPS = 1u << 1, /* two letters or more, all upper case */
    SLI_TOK_MIXED = 1u << 2,   /* starts lower case, upper case inside ("iPhone") */
    SLI_TOK_DIGIT = 1u << 3,   /* holds a digit */
    SLI_TOK_ALPHA = 1u << 4,   /* holds a letter */
    SLI_TOK_ABBR = 1u << 5,    /* ends with an abbreviation's dot */
    SLI_TOK_START = 1u << 6,   /* first of a sentence, after an opening quote, or in a title-case line */
    SLI_TOK_JOIN = 1u << 7,    /* only spaces (no newline) between it and the token before */
    SLI_TOK_COMMA = 1u << 8,   /* a comma (and spaces) between it and the token before */
    SLI_TOK_LPAREN = 1u << 9,  /* an opening parenthesis before it */
    SLI_TOK_RPAREN = 1u << 10, /* a closing parenthesis before it */
    SLI_TOK_POSS = 1u << 11,   /* it is the s of a possessive 's */
    SLI_TOK_SENT = 1u << 12,   /* a sentence boundary (or a newline) before it */
    SLI_TOK_NL = 1u << 13      /* a newline before it */
};

/* Tokenises s[0..n) calling fn for each token (in order); a non-zero return stops it and
 * is returned. Linear in n; any bytes are fine (invalid UTF-8 is punctuation). */
typedef int (*sli_ent_tok_fn)(void *user, const sli_ent_tok *t);
int sli_ent_tokenize(const char *s, size_t n, sli_ent_tok_fn fn, void *user);

/* Hashing a name token by token: lower case, dots dropped ("U.S." = "us"), tokens joined
 * by one space. Start with h = SLI_NAME_HASH_INIT, add tokens, finish. */
#define SLI_NAME_HASH_INIT 0xcbf29ce484222325ull
uint64_t sli_name_hash_token(uint64_t h, const char *s, size_t n, int first);
uint64_t sli_name_hash_finish(uint64_t h);
/* The finished hash of the whole name s[0..n) tokenised as text is. */
uint64_t sli_name_hash(const char *s, size_t n);

/* Lookups (ctx may be NULL: all answer 0). key: a finished name hash. */
unsigned sli_gaz_word(const sli_facts_ctx *ctx, uint64_t key);  /* SLI_WORD_* */
unsigned sli_gaz_place(const sli_facts_ctx *ctx, uint64_t key); /* SLI_GAZ_* */
int sli_gaz_has_words(const sli_facts_ctx *ctx);

/* The entity finder's lexicon (titles, organisation words ...) by token hash -> its bits:
 * built into *m (SL_ERR_NOMEM on failure); the context holds one built once, NULL for a
 * NULL ctx. */
struct u64map;
sl_error sli_ent_lexicon_map(struct u64map *m);
const struct u64map *sli_gaz_lexmap(const sli_facts_ctx *ctx);

#endif
