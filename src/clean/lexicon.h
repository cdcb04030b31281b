/* lexicon.h — the words and phrases the cleaner knows (internal, clean stage).
 *
 * English for now: stop words (their density tells running prose from menus and
 * headline lists), phrases that mark a whole line as site furniture, and headings that
 * end the article body (what follows them is a list, a comment form or a sidebar). */
#ifndef SL_CLEAN_LEXICON_H
#define SL_CLEAN_LEXICON_H

#include <stddef.h>

/* Whether the word s[0..n) (any case, ASCII) is an English stop word. */
int sli_lex_is_stopword(const char *s, size_t n);

/* The languages the word is a stop word of, as bits: bit 0 English, then Portuguese,
 * Spanish, French, German, Italian, Russian, Indonesian. 0 if none. */
unsigned sli_lex_stopword_langs(const char *s, size_t n);
#define LEX_LANGS 8

/* If the line is site furniture by its wording ("Advertisement", "Also Read | ...",
 * "Share this article", "All rights reserved", "Leave a Reply", ...), the phrase that
 * says so; else NULL. */
const char *sli_lex_furniture(const char *s, size_t n);

/* If the line is a heading after which the article is over ("Most Popular", "Related
 * stories", "Comments", "More from ...", "You might also like", ...), the phrase; else
 * NULL. */
const char *sli_lex_end_marker(const char *s, size_t n);

/* Whether the line heads readers' comments: a heading ("43 Comments", "Leave a Reply")
 * or a comment's own head ("joetoronto says:", "Jane on May 1, 2019 at 4:47 pm said:"). */
int sli_lex_comment_head(const char *s, size_t n);

/* Whether the line is the head of one reader's comment ("joetoronto says:"). */
int sli_lex_comment_by(const char *s, size_t n);

#endif
