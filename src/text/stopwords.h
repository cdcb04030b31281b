/* stopwords.h — the English stop words (internal), one list tagged with what each word is
 * a stop word for: the clean stage counts function words to tell prose (SLI_STOP_PROSE);
 * the cluster stage leaves out words that say nothing of which event an article is about
 * (SLI_STOP_TOPIC). */
#ifndef SL_TEXT_STOPWORDS_H
#define SL_TEXT_STOPWORDS_H

#include <stddef.h>

enum { SLI_STOP_PROSE = 1u, SLI_STOP_TOPIC = 2u };

/* No stop word is longer than this many bytes. */
#define SLI_STOP_MAX_LEN 12

typedef struct sli_stopword {
    const char *word; /* lower case */
    unsigned kinds;   /* SLI_STOP_PROSE, SLI_STOP_TOPIC or both */
} sli_stopword;

/* The list, sorted by strcmp; *count gets its length. (A function, not an exported array:
 * the library exports no data.) */
const sli_stopword *sli_stopwords_en(size_t *count);

/* The kinds of stop word the lower-case word w[0..n) is, 0 if none. */
unsigned sli_stopword_kinds(const char *w, size_t n);

#endif
