/* lexicon.c — stop words, furniture phrases and end-of-article headings. */
#include "lexicon.h"

#include <pthread.h> /* pthread_once: the table is built on first use */
#include <stdint.h>
#include <stdlib.h> /* qsort */
#include <string.h>

static const char *const stopwords[] = {
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "among", "an",
    "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below",
    "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down",
    "during", "each", "even", "ever", "few", "for", "from", "further", "had", "has", "have",
    "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "however",
    "i", "if", "in", "into", "is", "it", "its", "itself", "just", "last", "later", "like", "may",
    "me", "might", "more", "most", "much", "must", "my", "myself", "never", "no", "nor", "not",
    "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "ourselves",
    "out", "over", "own", "said", "same", "says", "she", "should", "since", "so", "some",
    "still", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then",
    "there", "these", "they", "this", "those", "though", "through", "to", "too", "two",
    "under", "until", "up", "upon", "us", "very", "was", "we", "were", "what", "when", "where",
    "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within",
    "without", "would", "yet", "you", "your", "yours", "yourself",
};

/* The most frequent function words of other languages, so that prose in them reads as
 * prose too. A line's stop-word count is taken in the language that gives the most. */
/* (The source is UTF-8: these words are written as they are spelt.) */
static const char *const other_stopwords[][80] = {
    /* Portuguese */
    {"a", "ao", "aos", "as", "com", "como", "da", "das", "de", "do", "dos", "e", "ela",
     "ele", "em", "entre", "era", "essa", "esse", "esta", "este", "foi", "há", "isso",
     "já", "mais", "mas", "muito", "na", "nas", "no", "nos", "não", "o", "os",
     "ou", "para", "pela", "pelo", "por", "que", "se", "sem", "ser", "seu", "sua", "são",
     "também", "tem", "um", "uma", "à", "é", NULL},
    /* Spanish */
    {"a", "al", "como", "con", "de", "del", "el", "ella", "en", "es", "esta", "este", "fue",
     "ha", "hay", "la", "las", "le", "lo", "los", "más", "no", "o", "para", "pero",
     "por", "que", "se", "sin", "sobre", "su", "sus", "también", "un", "una", "y",
     "ya", NULL},
    /* French */
    {"au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "est", "et",
     "il", "ils", "la", "le", "les", "leur", "mais", "ne", "nous", "on", "ou", "par", "pas",
     "plus", "pour", "qui", "que", "sa", "se", "ses", "son", "sont", "sur", "un", "une",
     "à", "été", NULL},
    /* German */
    {"auch", "auf", "aus", "bei", "das", "dass", "dem", "den", "der", "des", "die", "ein",
     "eine", "einen", "einer", "es", "für", "hat", "ich", "im", "in", "ist", "mit",
     "nach", "nicht", "noch", "oder", "sich", "sie", "sind", "so", "und", "von", "vor", "war",
     "wie", "wir", "wird", "zu", "zum", "zur", "über", NULL},
    /* Italian */
    {"a", "al", "alla", "anche", "che", "chi", "come", "con", "da", "dal", "del", "della",
     "delle", "dei", "di", "e", "gli", "ha", "i", "il", "in", "la", "le", "lo", "ma", "nel",
     "nella", "non", "per", "più", "se", "si", "sono", "su", "sua", "suo", "tra", "un",
     "una", "è", NULL},
    /* Russian */
    {"в", "и", "не", "на",
     "что", "с", "по",
     "к", "о", "за", "от",
     "из", "у", "для",
     "как", "это",
     "он", "она", "они",
     "но", "а", "так",
     "же", "все", "был",
     "ли", "или", "при",
     "его", "очень",
     "уже", "если",
     "да", "то", "мы",
     "вы", "я", NULL},
    /* Indonesian */
    {"yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "dalam", "tidak", "akan",
     "ke", "pada", "juga", "adalah", "ada", "oleh", "kita", "kami", "saya", "mereka", "atau",
     "sudah", "bisa", "karena", "seperti", "lebih", "tersebut", "hanya", "telah", "dia",
     "apa", "jika", "saat", "bagi", NULL},
};

#define NLANG (1 + sizeof other_stopwords / sizeof other_stopwords[0])

/* Words of up to 16 bytes packed into two integers (lower-cased), sorted once, each with
 * the set of languages it is a stop word of. */
typedef struct packed_word {
    uint64_t lo, hi;
    unsigned langs;
} packed_word;

static packed_word packed[sizeof stopwords / sizeof stopwords[0] +
                          sizeof other_stopwords / sizeof other_stopwords[0][0]];
static size_t npacked;
/* An open-addressing index over `packed` (slot: index + 1, 0 empty), for one or two
 * probes a word instead of a binary search: this runs for every word of every line. */
#define TABLE_SIZE 2048
static uint16_t table[TABLE_SIZE];

static size_t slot_of(const packed_word *p)
{
    uint64_t h = (p->lo ^ (p->hi * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
    return (size_t)(h >> 53) & (TABLE_SIZE - 1);
}
static pthread_once_t packed_once = PTHREAD_ONCE_INIT;

/* Lower-case the ASCII capitals of 8 bytes at once (SWAR): a byte gets 0x20 added when
 * it lies in 'A'..'Z'. */
static uint64_t lower8(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t low7 = x & ~high;
    uint64_t ge_a = low7 + ones * (0x80 - 'A');     /* high bit: byte >= 'A' */
    uint64_t gt_z = low7 + ones * (0x80 - 'Z' - 1); /* high bit: byte > 'Z' */
    uint64_t upper = ge_a & ~gt_z & ~x & high;
    return x | (upper >> 2);
}

/* Lower-case ASCII and Cyrillic capitals, pack; 0 when the word does not fit. */
static int pack(const char *str, size_t n, packed_word *out)
{
    if (n == 0 || n > 16)
        return 0;
    unsigned char w[16] = {0};
    memcpy(w, str, n);
    uint64_t lo, hi = 0;
    memcpy(&lo, w, 8);
    lo = lower8(lo);
    if (n > 8) {
        memcpy(&hi, w + 8, 8);
        hi = lower8(hi);
    }
    if ((lo | hi) & 0x8080808080808080ull) { /* А-П -> а-п, Р-Я -> р-я */
        memcpy(w, &lo, 8);
        memcpy(w + 8, &hi, 8);
        for (size_t i = 0; i + 1 < n; i++) {
            if (w[i] == 0xD0 && w[i + 1] >= 0x90 && w[i + 1] <= 0x9F)
                w[i + 1] = (unsigned char)(w[i + 1] + 0x20);
            else if (w[i] == 0xD0 && w[i + 1] >= 0xA0 && w[i + 1] <= 0xAF)
                w[i] = 0xD1, w[i + 1] = (unsigned char)(w[i + 1] - 0x20);
        }
        memcpy(&lo, w, 8);
        memcpy(&hi, w + 8, 8);
    }
    out->lo = lo;
    out->hi = hi;
    return 1;
}

static int cmp_packed(const void *a, const void *b)
{
    const packed_word *x = a, *y = b;
    if (x->hi != y->hi)
        return x->hi < y->hi ? -1 : 1;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void add_word(const char *w, unsigned lang)
{
    packed_word p;
    if (!pack(w, strlen(w), &p))
        return;
    p.langs = 1u << lang;
    packed[npacked++] = p;
}

static void build_packed(void)
{
    for (size_t i = 0; i < sizeof stopwords / sizeof stopwords[0]; i++)
        add_word(stopwords[i], 0);
    for (size_t l = 0; l + 1 < NLANG; l++)
        for (size_t i = 0; other_stopwords[l][i]; i++)
            add_word(other_stopwords[l][i], (unsigned)l + 1);
    qsort(packed, npacked, sizeof packed[0], cmp_packed);
    /* Merge a word shared by several languages into one entry. */
    size_t k = 0;
    for (size_t i = 0; i < npacked; i++) {
        if (k && !cmp_packed(&packed[k - 1], &packed[i]))
            packed[k - 1].langs |= packed[i].langs;
        else
            packed[k++] = packed[i];
    }
    npacked = k;
    for (size_t i = 0; i < npacked; i++) {
        size_t j = slot_of(&packed[i]);
        while (table[j])
            j = (j + 1) & (TABLE_SIZE - 1);
        table[j] = (uint16_t)(i + 1);
    }
}

unsigned sli_lex_stopword_langs(const char *s, size_t n)
{
    packed_word key;
    if (n > 12 || !pack(s, n, &key)) /* no stop word is longer than 12 bytes */
        return 0;
    pthread_once(&packed_once, build_packed);
    for (size_t j = slot_of(&key); table[j]; j = (j + 1) & (TABLE_SIZE - 1)) {
        const packed_word *p = &packed[table[j] - 1];
        if (p->lo == key.lo && p->hi == key.hi)
            return p->langs;
    }
    return 0;
}

int sli_lex_is_stopword(const char *s, size_t n)
{
    return sli_lex_stopword_langs(s, n) & 1u;
}

/* Case-insensitive ASCII prefix test. */
static int starts_with(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    if (k > n)
        return 0;
    for (size_t i = 0; i < k; i++) {
        char a = s[i], b = prefix[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a + 32);
        if (a != b)
            return 0;
    }
    return 1;
}

/* Whether the line is `phrase` alone, perhaps with trailing punctuation, a count or an
 * arrow ("Advertisement", "Comments (12)", "Read more »"). */
static int is_only(const char *s, size_t n, const char *phrase)
{
    if (n == 0 || (s[0] >= 'A' && s[0] <= 'Z' ? s[0] + 32 : s[0]) != phrase[0])
        return 0; /* the cheap test first: this runs for every short line */
    size_t k = strlen(phrase);
    if (!starts_with(s, n, phrase))
        return 0;
    for (size_t i = k; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            return 0;
    }
    return 1;
}

/* Lines that are furniture when they start with one of these. */
static const char *const furniture_prefix[] = {
    "also read", "read also", "read more", "read next", "must read", "recommended:",
    "advertisement", "sponsored", "share this", "share on", "share:", "share via",
    "follow us", "follow @", "like us on", "subscribe to", "subscribe now", "sign up for",
    "sign up to", "click here", "tap here", "download the", "get the app", "watch:",
    "watch video", "listen to this", "trends :", "trending:", "tags:", "topics:",
    "filed under", "posted in", "image source", "image:", "photo:", "picture:", "credit:",
    "getty images", "(photo", "file photo", "copyright", "\xc2\xa9", "all rights reserved",
    "about the author:", "leave a reply", "leave a comment", "post a comment", "add a comment", "comments are",
    "you must be logged in", "log in to", "login to", "skip to", "jump to", "back to top",
    "cookie", "we use cookies", "this site uses", "this website uses", "accept all",
    "privacy policy", "terms of use", "terms of service", "terms and conditions",
    "first published", "last updated", "updated:", "published:", "published on",
    "subscriber only", "premium story", "exclusive offer", "newsletter", "join our",
    "get our", "don't miss", "do not miss", "for more news", "for the latest",
    "catch all the", "stay updated", "whatsapp", "telegram", "next article",
    "previous article", "next story", "previous story", "print this", "email this",
    "report an error", "send us feedback", "disclaimer:", "(this story has not been edited",
};

/* Lines that are furniture when they contain one of these anywhere. */
static const char *const furniture_anywhere[] = {
    "all rights reserved", "your email address will not be published",
    "required fields are marked", "this article is more than", "reproduction in whole",
    "follow us on", "sign up for our", "by clicking", "subscribe to our",
    "enable javascript", "your browser does not support", "is loading",
    /* photo captions carry a credit */
    "(photo:", "(photo ", "(photos:", "(image:", "(picture:", "(file photo", "(ap photo",
    "(reuters photo", "/getty images", "(getty", "photo credit",
};

/* The first two bytes of every phrase of furniture_anywhere, as a bit set. */
static unsigned char bigrams[65536 / 8];
static pthread_once_t bigram_once = PTHREAD_ONCE_INIT;

static void build_bigrams(void)
{
    for (size_t k = 0; k < sizeof furniture_anywhere / sizeof furniture_anywhere[0]; k++) {
        const char *p = furniture_anywhere[k];
        unsigned b = (unsigned char)p[0] << 8 | (unsigned char)p[1];
        bigrams[b >> 3] |= (unsigned char)(1u << (b & 7));
    }
}

const char *sli_lex_furniture(const char *s, size_t n)
{
    /* Lower-case the head of the line once; compare only prefixes that start with its
     * first byte. */
    char low[312];
    size_t m = n <= 300 ? n : 48; /* a long line is only checked for its opening words */
    for (size_t i = 0; i < m; i += 8) {
        uint64_t w = 0;
        size_t k = m - i < 8 ? m - i : 8;
        memcpy(&w, s + i, k);
        w = lower8(w);
        memcpy(low + i, &w, 8);
    }
    low[m] = '\0';
    for (size_t i = 0; i < sizeof furniture_prefix / sizeof furniture_prefix[0]; i++) {
        const char *p = furniture_prefix[i];
        if (p[0] != low[0])
            continue;
        size_t k = strlen(p);
        if (k <= m && !memcmp(low, p, k))
            return p;
    }
    /* Long lines are prose that may quote such words; only short ones are judged here.
     * One pass: a position is tried only when its first two bytes open some phrase. */
    if (n > 300 || m < 2)
        return NULL;
    pthread_once(&bigram_once, build_bigrams);
    for (size_t i = 0; i + 1 < m; i++) {
        unsigned b = (unsigned char)low[i] << 8 | (unsigned char)low[i + 1];
        if (!(bigrams[b >> 3] & (1u << (b & 7))))
            continue;
        for (size_t k = 0; k < sizeof furniture_anywhere / sizeof furniture_anywhere[0]; k++) {
            const char *p = furniture_anywhere[k];
            if (p[0] == low[i] && p[1] == low[i + 1] && !strncmp(low + i, p, strlen(p)))
                return p;
        }
    }
    return NULL;
}

/* Headings after which the article is over. Matched as the whole line. */
static const char *const end_markers[] = {
    "most popular", "most read", "most viewed", "latest news", "latest stories",
    "top stories", "top videos", "trending", "trending now", "related", "related stories",
    "related articles", "related news", "related posts", "related content", "related coverage",
    "more from", "more stories", "more news", "more on this", "more in", "you might also like",
    "you may also like", "you may like", "recommended", "recommended for you",
    "recommended stories", "comments", "comment", "leave a reply", "leave a comment",
    "join the conversation", "discussion", "what others are reading", "editor's picks",
    "editors' picks", "popular", "also on", "elsewhere", "in other news", "read more",
    "around the web", "sponsored stories", "sponsored content", "promoted stories",
    "about the author", "about us", "more videos", "watch more", "see also", "further reading",
    "share this article", "share this story", "share", "tags", "topics", "show comments",
    "view comments", "load comments", "reader comments", "responses", "what do you think?",
    "more like this", "related reading", "related links", "popular stories", "latest",
    "most shared", "most commented", "top news", "you might be interested in",
    "we recommend", "from the web", "more to explore", "keep reading",
};

/* "joetoronto says:", "Jane Doe said:": the head of a reader's comment. */
int sli_lex_comment_by(const char *s, size_t n)
{
    static const char *const tails[] = {" says:", " said:", " says", " wrote:"};
    if (n > 120 || n < 6)
        return 0;
    int spaces = 0;
    for (size_t i = 0; i < n; i++)
        spaces += s[i] == ' ';
    if (spaces > 10)
        return 0;
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        size_t k = strlen(tails[i]);
        if (n > k && !memcmp(s + n - k, tails[i], k))
            return 1;
    }
    return 0;
}

int sli_lex_comment_head(const char *s, size_t n)
{
    if (n > 120)
        return 0;
    if (sli_lex_comment_by(s, n))
        return 1;
    size_t d = 0;
    while (d < n && ((s[d] >= '0' && s[d] <= '9') || s[d] == ' ' || s[d] == ','))
        d++;
    return (d > 0 && d < n &&
            (is_only(s + d, n - d, "comments") || is_only(s + d, n - d, "comment") ||
             is_only(s + d, n - d, "responses") || is_only(s + d, n - d, "replies"))) ||
           is_only(s, n, "leave a reply") || is_only(s, n, "leave a comment") ||
           is_only(s, n, "comments") ||
           is_only(s, n, "join the conversation") || is_only(s, n, "show comments") ||
           is_only(s, n, "view comments") || is_only(s, n, "reader comments");
}

const char *sli_lex_end_marker(const char *s, size_t n)
{
    if (n > 60)
        return NULL;
    if (sli_lex_comment_head(s, n))
        return "comments";
    for (size_t i = 0; i < sizeof end_markers / sizeof end_markers[0]; i++)
        if (is_only(s, n, end_markers[i]))
            return end_markers[i];
    if (starts_with(s, n, "more from ") && n < 50)
        return "more from";
    return NULL;
}
