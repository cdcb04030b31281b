/* stopwords.c — English words too common in news to say which event an article is about. */
#include <stdlib.h>
#include <string.h>

#include "features.h"

/* Sorted (strcmp order) for bsearch. Function words, plus what every news story says:
 * reporting verbs, weekdays, titles, agency names. */
static const char *const stop[] = {
    "a", "about", "above", "after", "again", "against", "ago", "all", "almost", "also",
    "although", "am", "among", "an", "and", "another", "any", "ap", "are", "around", "as",
    "at", "back", "be", "became", "because", "become", "been", "before", "being", "below",
    "between", "both", "but", "by", "can", "cannot", "could", "did", "do", "does", "doing",
    "don", "down", "during", "each", "even", "ever", "every", "few", "for", "friday", "from",
    "further", "get", "got", "had", "has", "have", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "however", "i", "if", "in", "into", "is",
    "it", "its", "itself", "just", "last", "least", "less", "like", "made", "make", "many",
    "may", "me", "might", "monday", "more", "most", "mr", "mrs", "ms", "much", "must", "my",
    "myself", "never", "new", "news", "no", "nor", "not", "now", "of", "off", "on", "once",
    "one", "only", "or", "other", "others", "our", "ours", "ourselves", "out", "over", "own",
    "per", "please", "reuters", "said", "same", "saturday", "say", "says", "see", "she",
    "should", "since", "so", "some", "still", "such", "sunday", "than", "that", "the",
    "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this",
    "those", "though", "through", "thursday", "to", "today", "told", "too", "tuesday",
    "two", "under", "until", "up", "upon", "us", "very", "was", "way", "we", "wednesday",
    "week", "well", "were", "what", "when", "where", "whether", "which", "while", "who",
    "whom", "whose", "why", "will", "with", "within", "without", "would", "year", "years",
    "yesterday", "yet", "you", "your", "yours", "yourself",
};

typedef struct key {
    const char *w;
    size_t n;
} key;

static int cmp(const void *k, const void *e)
{
    const key *x = k;
    const char *y = *(const char *const *)e;
    int c = strncmp(x->w, y, x->n);
    if (c)
        return c;
    return y[x->n] ? -1 : 0; /* x is a prefix of y: x sorts first */
}

int sli_features_is_stop(const char *w, size_t n)
{
    key k = {w, n};
    return n <= 12 && bsearch(&k, stop, sizeof stop / sizeof *stop, sizeof *stop, cmp) != NULL;
}
