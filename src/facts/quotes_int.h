/* quotes_int.h — the quote finder's internals shared by quotes.c (quote marks, parts,
 * tokens, kinds) and speaker.c (who said it). Internal to src/facts. */
#ifndef SL_FACTS_QUOTES_INT_H
#define SL_FACTS_QUOTES_INT_H

#include <stddef.h>

#include "facts.h"

/* Token kinds. */
enum {
    SLI_QT_WORD = 0,
    SLI_QT_PUNCT = 1, /* ch holds '.', ',', ':', ';', '!', '?', '(', ')', '-' (any dash) or '*' */
    SLI_QT_OPEN = 2,  /* an opening quote mark of a quote part */
    SLI_QT_CLOSE = 3, /* its closing mark (absent for a part that never closed) */
    SLI_QT_PARA = 4   /* a line break: paragraphs are lines */
};

/* Token flags. */
enum {
    SLI_QF_CAP = 1,   /* a word whose first letter is upper case */
    SLI_QF_SENT = 2,  /* the first word of a sentence (or of a paragraph) */
    SLI_QF_INQ = 4,   /* inside a quote part */
    SLI_QF_LOWER = 8, /* a word whose first letter is lower case */
    SLI_QF_POSS = 16  /* a word ending in 's or ’s (the possessive is part of the token) */
};

typedef struct sli_qtok {
    size_t start, end; /* bytes of the text; a possessive's ’s is inside [start, end) */
    unsigned char kind, flags;
    char ch;           /* SLI_QT_PUNCT's character */
} sli_qtok;

/* One quote part: the words between an opening mark and its closing one (or the end of
 * the paragraph, or QUOTE_OPEN_MAX bytes, when it never closes). */
typedef struct sli_qpart {
    size_t open;          /* byte offset of the opening mark */
    size_t start, end;    /* the quoted words: [start, end) */
    size_t close_end;     /* first byte after the closing mark (== end when unclosed) */
    size_t tok_open;      /* index of its SLI_QT_OPEN token */
    size_t tok_after;     /* index of the first token after the part (after the close) */
    int closed;           /* it had a closing mark */
    int para_start;       /* the opening mark is the paragraph's first non-blank */
    int para_end;         /* nothing but blanks/punctuation follows it in the paragraph */
    size_t para;          /* paragraph number */
} sli_qpart;

/* The article as the speaker finder sees it. */
typedef struct sli_qdoc {
    const char *text;
    size_t len;
    sli_qtok *tok;
    size_t n_tok, cap_tok;
    sli_qpart *part;
    size_t n_part, cap_part;
    struct sli_qlex *lex; /* speaker.c's article lexicon */
    const struct sli_qwords *words; /* speaker.c's word lists (NULL: built per article) */
} sli_qdoc;

/* A speaker found for a quote: a byte span of the text (a name run or a description), a
 * pronoun, or nothing. */
typedef struct sli_qspeaker {
    size_t start, end;  /* the span; start == end when none */
    size_t tok;         /* token index of the speaker's last word (for names) */
    int pronoun;        /* 'm' (he), 'f' (she), 'p' (they/we/I...), 0 for a name/description */
    int is_name;        /* the span is a capitalised name (resolvable to a fuller one) */
} sli_qspeaker;

/* ---- speaker.c ---- */

/* The speaker finder's word lists as one hash table (read-only once built; the facts
 * context holds one for every article). SL_ERR_NOMEM on failure. */
typedef struct sli_qwords sli_qwords;
sl_error sli_qwords_build(sli_qwords **out);
void sli_qwords_free(sli_qwords *w);
/* The context's table (gazetteer.c); NULL for a NULL ctx. */
const sli_qwords *sli_facts_ctx_qwords(const sli_facts_ctx *ctx);

/* Builds the article lexicon (words seen in lower case, name runs by last word, person
 * mentions and their gender). SL_ERR_NOMEM on failure. */
sl_error sli_qlex_build(sli_qdoc *d);
void sli_qlex_free(sli_qdoc *d);

/* The attribution of the quote made of parts [first, last] (joined ones: the gap after
 * the first part); else after the quote first when its words end with a comma, ? or !,
 * before it first otherwise, the other side when the first gives no speaker
 * (docs/facts-quotes.md, step 3). Returns whether an attribution (a speech verb, "according
 * to", a colon, a dash and a name) was found; *sp receives the speaker, which may be none
 * even then. */
int sli_qspeaker_find(const sli_qdoc *d, size_t first, size_t last, sli_qspeaker *sp);

/* Whether the gap between parts a and a+1 (same paragraph) is an attribution such as
 * ", he said. " that joins them into one quote. */
int sli_qgap_is_attribution(const sli_qdoc *d, size_t a);

/* The speaker as a string into out (cap bytes, NUL-terminated): a one-word name resolved
 * to the fuller form the article prints most often, a he/she resolved to the last person
 * mentioned before token `at` whose gender fits; never a bare pronoun. Returns the length,
 * 0 when there is none. */
size_t sli_qspeaker_string(const sli_qdoc *d, const sli_qspeaker *sp, size_t at, char *out,
                           size_t cap);

/* Whether the quote made of parts [first, last] reads as a title or a term: it follows a
 * preposition or a possessive (on NBC’s “Meet the Press”), with no attribution right
 * after it. */
int sli_qtitle_like(const sli_qdoc *d, size_t first, size_t last);

#endif
