/* byline_name.h — the words and names of byline_name.c, for meta_byline.c (internal to
 * src/clean/). Every function reads s[0..n) only; nothing is allocated. */
#ifndef SL_CLEAN_BYLINE_NAME_H
#define SL_CLEAN_BYLINE_NAME_H

#include <stddef.h>

typedef struct word {
    size_t start, end; /* bytes, end after a kept '.' */
    size_t letters;    /* letters counted (code points) */
    int cap;           /* first letter upper-case (or caseless) */
    int caps;          /* every letter upper-case */
    int possessive;    /* ends in 's / ’s */
    int dot;           /* ends in '.' (an initial, "Dr.") */
} word;

/* Bytes of a space at s[i] (ASCII, NBSP, U+2000..U+200B, U+202F, U+205F, U+3000), or 0. */
size_t sli_name_space_at(const char *s, size_t n, size_t i);

/* The first byte at or after i that is not a space. */
size_t sli_name_skip_spaces(const char *s, size_t n, size_t i);

/* The letter class of the character at i (0: not a letter; 1: lower-case; 2: upper-case
 * or caseless; 3: a mark inside a word), its length in *len (0 at the end). */
int sli_name_letter_at(const char *s, size_t n, size_t i, size_t *len);

/* A word at i: letters with inner apostrophes and hyphens ("O'Brien", "Smith-Jones"),
 * and for short words a trailing '.' ("J.", "Dr.", "J.K."). Returns 0 if no letter. */
int sli_name_read_word(const char *s, size_t n, size_t i, word *w);

/* Whether the word (letters only, any case) is one of the list. */
int sli_name_word_in(const char *s, const word *w, const char *const *list, size_t count);
#define WORD_IN(s, w, list) sli_name_word_in((s), (w), (list), sizeof(list) / sizeof((list)[0]))

/* Whether the word ends a name: a role, a label, a month or weekday, a connector ("By
 * Ana Lutz Updated ...", "Ana Lutz and ..."). */
int sli_name_stop(const char *s, const word *w);

/* Whether the word is a lower-case particle inside a name ("van", "de", "bin", "al"). */
int sli_name_particle(const char *s, const word *w);

/* Names from i: "A", "A and B", "A, B and C" (a comma list only when "and" or "&" closes
 * it). Sets [*a, *b) and *words (the words of the first name); returns 1 if there is a
 * name. */
int sli_name_parse_names(const char *s, size_t n, size_t i, size_t *a, size_t *b, int *words);

#endif
