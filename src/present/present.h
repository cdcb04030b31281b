/* present.h — the present stage (internal): per event, a headline and a short summary
 * that a reader can take in at a glance (docs/present.md).
 *
 * The headline is the title most central to the event's other titles (mean word-set
 * similarity of stemmed content words; ties to the earliest). The summary is 3 to 5
 * sentences chosen across the event's articles, a syndication family counted once, by
 * weighted coverage: each word of the event weighs as many of the other articles as use
 * it and counts once, so the next sentence is the one that adds the most weight not yet
 * covered; one whose words largely repeat a chosen one's (overlap coefficient) is passed
 * over. Never one that only makes sense in its own article (an opening pronoun
 * or connective, a quote alone, a byline), in reading order (article date, then place in
 * the article). The work per event is bounded (PRESENT_ARTICLES_MAX articles, their first
 * PRESENT_SENTENCES_PER_ARTICLE sentences).
 *
 * The pure part (sentences.c, words.c, headline.c, summary.c) works on articles in
 * memory; digest.c is the pipeline's stage over the events a batch touched, saving each
 * one's headline and summary in the store (event_digests). */
#ifndef SL_PRESENT_H
#define SL_PRESENT_H

#include <stddef.h>
#include <stdint.h>

#include "storyline.h"

/* Bounds of the work per event (docs/present.md says why these). */
#define PRESENT_ARTICLES_MAX 40          /* articles read for the summary */
#define PRESENT_SENTENCES_PER_ARTICLE 12 /* of each, its first sentences */
#define PRESENT_TITLES_MAX 100           /* titles compared for the headline */
#define PRESENT_SUMMARY_MAX 5            /* sentences in a summary, at most */
#define PRESENT_SUMMARY_MIN 3            /* ... and at least, when there are enough */

/* --- sentences (sentences.c) --- */

typedef struct present_span {
    size_t start, len;
} present_span;

/* The sentences of text[0..len), at most max into out (trimmed of spaces); returns how
 * many. A sentence ends at a line break, or at . ! ? (and any closing quotes or
 * brackets) before a space, unless the word before the full stop is an abbreviation
 * ("Mr.", "Dr.", "Jan."), an initial ("J.") or dotted ("U.S."), or what follows starts in
 * lower case. */
size_t sli_present_sentences(const char *text, size_t len, present_span *out, size_t max);

/* Why a sentence is not fit to stand alone in a summary: 0 if it is. */
enum {
    PRESENT_OK = 0,
    PRESENT_SHORT,    /* under PRESENT_MIN_WORDS words or PRESENT_MIN_CHARS bytes */
    PRESENT_LONG,     /* over PRESENT_MAX_CHARS bytes */
    PRESENT_DANGLING, /* opens with a pronoun or connective ("He", "However,", "The move") */
    PRESENT_QUOTE,    /* opens with a quotation mark: a quote, or a fragment of one */
    PRESENT_FURNITURE /* a byline, credit, link, or no closing full stop */
};
#define PRESENT_MIN_WORDS 6
#define PRESENT_MIN_CHARS 40
#define PRESENT_MAX_CHARS 320
int sli_present_unfit(const char *s, size_t len);
/* Whether s[0..len) opens with a word (or words) that points back into its own article. */
int sli_present_dangling(const char *s, size_t len);

/* --- words (words.c) --- */

/* Sets of stemmed content words, as sorted arrays of 64-bit hashes. */
typedef struct present_words present_words;
sl_error sli_present_words_create(present_words **out);
void sli_present_words_free(present_words *w);
/* The distinct content words of s[0..len) (stop words and one-letter words left out,
 * ASCII lower-cased, stemmed), hashed, sorted, into a malloc'd array (*out, *n; NULL and
 * 0 when none). Numbers are kept whatever their length, their thousands commas dropped
 * ("1,800" = "1800"), and a clock time is one word ("6 a.m." = "6 am" = "6am"). */
sl_error sli_present_word_set(present_words *w, const char *s, size_t len, uint64_t **out,
                              size_t *n);
/* |a ∩ b| / |a ∪ b| of two sorted sets (0 when both are empty). */
double sli_present_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);
/* |a ∩ b| / min(|a|, |b|) (the overlap coefficient; 0 when either is empty): how much of
 * the shorter sentence the longer one says again. With the numbers and clock times
 * normalised by sli_present_word_set ("1,800" = "1800", "6 a.m." = "6am"), it is the
 * summary's paraphrase-aware redundancy. */
double sli_present_overlap(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);

/* --- the digest of one event, in memory (headline.c, summary.c) --- */

/* One article of an event, in reading order (by date, undated last). */
typedef struct present_article {
    const char *title;       /* NULL if none */
    const char *text;        /* the cleaned text; NULL if not read */
    size_t len;
    long long family;        /* its syndication family (any id shared by copies), 0 if none */
} present_article;

/* The parameters of the choice (fitted: docs/present.md). */
typedef struct present_params {
    double length;    /* a sentence's coverage gain is divided by (its words)^length */
    double redundant; /* a sentence this close (overlap coefficient) to one chosen is passed
                       * over: it says the same thing */
    double keep;      /* a 4th or 5th sentence only while its gain is keep x the 1st's */
} present_params;
/* The fitted values. */
void sli_present_params_default(present_params *p);

typedef struct present_pick {
    size_t article;    /* index into the articles */
    size_t sentence;   /* its place in the article, from 0 */
    size_t start, len; /* the sentence: articles[article].text[start..start+len) */
} present_pick;

typedef struct present_digest {
    long headline;     /* index of the article whose title it is; -1 when none has one */
    present_pick pick[PRESENT_SUMMARY_MAX];
    size_t n;          /* sentences, in reading order */
} present_digest;

/* The headline alone: index into a[0..n) of the most central title, -1 if none. */
sl_error sli_present_headline(present_words *w, const present_article *a, size_t n,
                              long *out);
/* The headline and summary of the event whose articles are a[0..n) (n is bounded by
 * the caller: the stage reads at most PRESENT_ARTICLES_MAX). Articles of one family
 * after the first count for nothing. */
sl_error sli_present_digest(present_words *w, const present_article *a, size_t n,
                            const present_params *p, present_digest *out);

/* --- the stage (digest.c) --- */

/* Make again the headline and summary of each event ids[0..n) (a touched event that has
 * gone loses its own; one whose summary's inputs are those it was saved with keeps its
 * summary: digest.c). The caller holds the transaction. progress may be NULL. */
sl_error sli_present_run(sl_store *st, const long long *ids, size_t n,
                         void (*progress)(void *user, size_t done, size_t total), void *user);
/* Forget every event's digest (before re-cleaning makes all events anew). */
sl_error sli_present_forget(sl_store *st);

#endif
