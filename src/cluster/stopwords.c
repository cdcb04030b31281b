/* stopwords.c — English words too common in news to say which event an article is about:
 * the SLI_STOP_TOPIC words of the shared list (text/stopwords.c). */
#include "../text/stopwords.h"
#include "features.h"

int sli_features_is_stop(const char *w, size_t n)
{
    return (sli_stopword_kinds(w, n) & SLI_STOP_TOPIC) != 0;
}
