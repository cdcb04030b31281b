/* corpus.h — a deterministic generator of news-like articles for benchmarks and tests.
 *
 * Words come from a made-up vocabulary drawn with a Zipf-like law, in sentences and
 * paragraphs of news-article length (about 3 kB per article by default), under a title,
 * a date in 2024 and one of a few dozen outlets. One paragraph in two ends with a sentence
 * for the facts stage (a quote with its speaker, or amounts and dates), drawn apart so the
 * rest of the text is what it was without them. The same seed gives the same corpus. */
#ifndef SL_BENCH_CORPUS_H
#define SL_BENCH_CORPUS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct corpus_article {
    char id[48];
    char source[40];
    char date[16];
    char title[160];
    char *text; /* owned by the generator; valid until the next call */
    size_t text_len;
} corpus_article;

typedef struct corpus corpus;

corpus *corpus_create(uint64_t seed, size_t avg_bytes);
void corpus_free(corpus *c);
/* Stories (off by default): consecutive articles per_story at a time tell one story,
 * with its own words in the title and one body word in six, each dated within a day of
 * the story's day (a story spans up to three calendar days), per_day articles a day from
 * 2022-01-01 (the first story's earliest on 2021-12-31; article numbers rise with
 * dates). */
void corpus_set_stories(corpus *c, unsigned per_story, unsigned per_day);
/* The story article n tells (n itself when stories are off). */
uint64_t corpus_story(const corpus *c, uint64_t n);
/* Fill *a with article number n (deterministic in seed and n). Returns 0 on success. */
int corpus_article_n(corpus *c, uint64_t n, corpus_article *a);
/* Write article a as one JSON Lines record. */
void corpus_write_jsonl(FILE *f, const corpus_article *a);

#endif
