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

/* If the line is site furniture by its wording, the phrase that says so; else NULL.
 * `prose`: whether the line reads as running text (see prose_line in classify.c). Any
 * line is judged by the site notices ("All rights reserved.", "We use cookies ...") and
 * calls to the reader ("Also Read | ...", "Sign up for ...") that open it or one of its
 * sentences, and by bracketed photo credits ("(AP Photo/...)"); only a line that is not
 * prose is judged by labels at its start ("Advertisement", "WhatsApp", "Cookie Policy",
 * "© 2024 ...") and by the phrases searched for anywhere in it ("... subscribe to our
 * newsletter"): the same words open news sentences ("Telegram founder Pavel Durov was
 * detained ..."). */
const char *sli_lex_furniture(const char *s, size_t n, int prose);

/* Trailers, by their shape (lexicon.c): a call to follow a channel ("Join the Skerry
 * Courier on Telegram for the latest updates": an imperative opening a sentence or clause,
 * and a channel or platform named in it), in a line of at most CALL_LINE_MAX bytes that
 * is not prose, or (prose) speaks to the reader or says what it offers ("latest",
 * "updates") and reports no one's speech ("said", "told"); a notice rating the site
 * (rating, trust and site wording in one sentence, no reported speech, at most 300 bytes).
 * The reason, or NULL. */
const char *sli_lex_channel_call(const char *s, size_t n, int prose);
const char *sli_lex_rating_notice(const char *s, size_t n);

/* Whether the line ends as a statement: its last mark, after closing quotes and brackets,
 * is a full stop or an ellipsis (U+2026). */
int sli_lex_states_end(const char *s, size_t n);

/* If the line is a heading after which the article is over ("Most Popular", "Related
 * stories", "Comments", "More from ...", "You might also like", ...), the phrase; else
 * NULL. */
const char *sli_lex_end_marker(const char *s, size_t n);

/* A time stamp alone, relative to now: "2 days ago", "an hour ago at 10:02 pm". */
int sli_lex_relative_stamp(const char *s, size_t n);

/* Whether the line is the head of one reader's comment ("joetoronto says:"). */
int sli_lex_comment_by(const char *s, size_t n);

#endif
