/* stopwords.c — the English stop words, one list for the stages that need them. */
#include "stopwords.h"

#include <stdlib.h>
#include <string.h>

#define P SLI_STOP_PROSE
#define T SLI_STOP_TOPIC

/* Sorted (strcmp order) for the binary search; a unit test checks the order. P: function words, the
 * ones whose share tells prose from lists (the clean stage's measure, tuned with them);
 * T: words too common in news to tell one event from another (the cluster stage's
 * features): the same function words, less "later", plus what every news story says:
 * reporting verbs, weekdays, titles, time words and the wire agencies whose name prints
 * in any story they send (Reuters, AP, AFP, PTI, Xinhua; AFP, PTI and Xinhua joined when
 * the lists were merged, with the dev-set clustering figures unchanged). The prose set is
 * kept as the clean stage was measured with (docs/clean.md): widening it changes which
 * lines read as prose. */
static const sli_stopword list[] = {
    {"a", P|T}, {"about", P|T}, {"above", P|T}, {"afp", T}, {"after", P|T}, {"again", P|T},
    {"against", P|T}, {"ago", T}, {"all", P|T}, {"almost", T}, {"also", P|T}, {"although", T},
    {"am", P|T}, {"among", P|T}, {"an", P|T}, {"and", P|T}, {"another", T}, {"any", P|T},
    {"ap", T}, {"are", P|T}, {"around", T}, {"as", P|T}, {"at", P|T}, {"back", T}, {"be", P|T},
    {"became", T}, {"because", P|T}, {"become", T}, {"been", P|T}, {"before", P|T},
    {"being", P|T}, {"below", P|T}, {"between", P|T}, {"both", P|T}, {"but", P|T}, {"by", P|T},
    {"can", P|T}, {"cannot", T}, {"could", P|T}, {"did", P|T}, {"do", P|T}, {"does", P|T},
    {"doing", P|T}, {"don", T}, {"down", P|T}, {"during", P|T}, {"each", P|T}, {"even", P|T},
    {"ever", P|T}, {"every", T}, {"few", P|T}, {"for", P|T}, {"friday", T}, {"from", P|T},
    {"further", P|T}, {"get", T}, {"got", T}, {"had", P|T}, {"has", P|T}, {"have", P|T},
    {"having", P|T}, {"he", P|T}, {"her", P|T}, {"here", P|T}, {"hers", P|T}, {"herself", P|T},
    {"him", P|T}, {"himself", P|T}, {"his", P|T}, {"how", P|T}, {"however", P|T}, {"i", P|T},
    {"if", P|T}, {"in", P|T}, {"into", P|T}, {"is", P|T}, {"it", P|T}, {"its", P|T},
    {"itself", P|T}, {"just", P|T}, {"last", P|T}, {"later", P}, {"least", T}, {"less", T},
    {"like", P|T}, {"made", T}, {"make", T}, {"many", T}, {"may", P|T}, {"me", P|T},
    {"might", P|T}, {"monday", T}, {"more", P|T}, {"most", P|T}, {"mr", T}, {"mrs", T},
    {"ms", T}, {"much", P|T}, {"must", P|T}, {"my", P|T}, {"myself", P|T}, {"never", P|T},
    {"new", T}, {"news", T}, {"no", P|T}, {"nor", P|T}, {"not", P|T}, {"now", P|T}, {"of", P|T},
    {"off", P|T}, {"on", P|T}, {"once", P|T}, {"one", P|T}, {"only", P|T}, {"or", P|T},
    {"other", P|T}, {"others", T}, {"our", P|T}, {"ours", P|T}, {"ourselves", P|T},
    {"out", P|T}, {"over", P|T}, {"own", P|T}, {"per", T}, {"please", T}, {"pti", T}, {"reuters", T},
    {"said", P|T}, {"same", P|T}, {"saturday", T}, {"say", T}, {"says", P|T}, {"see", T},
    {"she", P|T}, {"should", P|T}, {"since", P|T}, {"so", P|T}, {"some", P|T}, {"still", P|T},
    {"such", P|T}, {"sunday", T}, {"than", P|T}, {"that", P|T}, {"the", P|T}, {"their", P|T},
    {"theirs", P|T}, {"them", P|T}, {"themselves", P|T}, {"then", P|T}, {"there", P|T},
    {"these", P|T}, {"they", P|T}, {"this", P|T}, {"those", P|T}, {"though", P|T},
    {"through", P|T}, {"thursday", T}, {"to", P|T}, {"today", T}, {"told", T}, {"too", P|T},
    {"tuesday", T}, {"two", P|T}, {"under", P|T}, {"until", P|T}, {"up", P|T}, {"upon", P|T},
    {"us", P|T}, {"very", P|T}, {"was", P|T}, {"way", T}, {"we", P|T}, {"wednesday", T},
    {"week", T}, {"well", T}, {"were", P|T}, {"what", P|T}, {"when", P|T}, {"where", P|T},
    {"whether", P|T}, {"which", P|T}, {"while", P|T}, {"who", P|T}, {"whom", P|T},
    {"whose", P|T}, {"why", P|T}, {"will", P|T}, {"with", P|T}, {"within", P|T},
    {"without", P|T}, {"would", P|T}, {"xinhua", T}, {"year", T}, {"years", T}, {"yesterday", T}, {"yet", P|T},
    {"you", P|T}, {"your", P|T}, {"yours", P|T}, {"yourself", P|T},
};

const sli_stopword *sli_stopwords_en(size_t *count)
{
    *count = sizeof list / sizeof list[0];
    return list;
}

#undef P
#undef T

/* w[0..n) against the listed word y, as strncmp(w, y, n) and then the length would
 * order them (bytes as unsigned char); inline, as this runs for most tokens of a text. */
static int cmp_word(const char *w, size_t n, const char *y)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char a = (unsigned char)w[i], b = (unsigned char)y[i];
        if (a != b)
            return a < b ? -1 : 1;
        if (!a)
            return 0;
    }
    return y[n] ? -1 : 0; /* w is a prefix of y: w sorts first */
}

unsigned sli_stopword_kinds(const char *w, size_t n)
{
    if (n == 0 || n > SLI_STOP_MAX_LEN)
        return 0;
    size_t lo = 0, hi = sizeof list / sizeof list[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_word(w, n, list[mid].word);
        if (!c)
            return list[mid].kinds;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}
