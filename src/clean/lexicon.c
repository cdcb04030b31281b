/* lexicon.c — stop words, furniture phrases and end-of-article headings. */
#include "lexicon.h"

#include <pthread.h> /* pthread_once: the table is built on first use */
#include <stdint.h>
#include <stdlib.h> /* qsort */
#include <string.h>

#include "../core/utf8.h"
#include "../text/stopwords.h"

/* English: the function words of the shared list (text/stopwords.c, SLI_STOP_PROSE). */

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

#define ENGLISH_MAX 256 /* room for the English words; more are left out (a test checks) */
static packed_word packed[ENGLISH_MAX + sizeof other_stopwords / sizeof other_stopwords[0][0]];
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
    if (npacked == sizeof packed / sizeof packed[0] || !pack(w, strlen(w), &p))
        return;
    p.langs = 1u << lang;
    packed[npacked++] = p;
}

static void build_packed(void)
{
    size_t count, english = 0;
    const sli_stopword *en = sli_stopwords_en(&count);
    for (size_t i = 0; i < count && english < ENGLISH_MAX; i++)
        if (en[i].kinds & SLI_STOP_PROSE) {
            add_word(en[i].word, 0);
            english++;
        }
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

/* Furniture wording comes in four kinds, and a line that reads as prose (the caller
 * decides: see sli_lex_furniture in lexicon.h and prose_line in classify.c) is judged by
 * the first two only.
 *
 * 1. Site notices: the site speaking of itself or of the reader's use of it, in set legal
 *    or interface formulae ("All rights reserved.", "We use cookies ...", "Your email
 *    address will not be published."). They are written as sentences, so they are looked
 *    for at the start of the line and of every sentence in it, whatever its shape; a news
 *    sentence does not open with them (a quotation opens with its quotation mark). */
static const char *const site_notice[] = {
    "all rights reserved", "this material may not be published", "reproduction in whole",
    "copyright \xc2\xa9", "copyright (c)", "copyright 19", "copyright 20",
    "your email address will not be published", "required fields are marked",
    "we use cookies", "this site uses", "this website uses", "you must be logged in",
    "this article is more than", "please enable javascript", "enable javascript",
    "your browser does not support",
    /* the site's note on its writer ("About the Author: Mira Kessel covers ...") */
    "about the author:",
    /* The closing line of Mint's articles ("Catch all the Business News, Market News,
     * Breaking News Events and Latest News Updates on Live Mint."), which the sample
     * corpus imitates: a set formula of the site that names no reader, and "catch all
     * the" opens no news sentence. */
    "catch all the",
};

/* 2. Calls to the reader: an imperative that opens a sentence and asks the reader to read,
 *    follow, share, subscribe or sign up ("Also Read | ...", "Sign up for our newsletter
 *    and go inside ...", "Need more space? Subscribe to our sister title ..."). Promotions
 *    are written as sentences too, but speak to the reader ("you", "our"): in a prose
 *    line a call counts only when the line does (speaks_to_reader), as news prose may open
 *    a sentence with the same words ("Sign up rates ..."). Matched at the start of the
 *    line and of every sentence in it. */
static const char *const reader_call[] = {
    "also read", "read also", "read more", "read next", "must read", "follow us",
    "like us on", "subscribe to", "subscribe now", "sign up", "join our", "get our",
    "click here", "tap here", "download the", "get the app", "don't miss", "do not miss",
    "stay updated", "listen to this", "leave a reply", "leave a comment",
    "post a comment", "add a comment", "log in to", "login to", "share this", "share on",
    "share via",
};
/* Promotions are short: inside a longer line (more bytes than this, the length of a
 * paragraph of prose in the cleaner's prose classes, LENGTH_HIGH in classify.c), a call
 * is only looked for at its start. The author's own closing words ("... Surely, we left
 * some of your favorite gadgets off this list. Leave a comment and let us know ...") are
 * part of a paragraph. */
#define CALL_LINE_MAX 200

/* 3. Labels: a word or two naming a page element ("Advertisement", "Newsletter",
 *    "WhatsApp", "Cookie Policy", "Tags: ...", "Photo: ...", "© 2024 ..."). The same
 *    words open news sentences ("Telegram founder Pavel Durov was detained ...", "Cookie
 *    makers ...", "Copyright holders ..."), so a label only marks a line that is not
 *    prose, when the line starts with it. */
static const char *const label_prefix[] = {
    "recommended:", "advertisement", "sponsored", "share:", "follow @", "watch:",
    "watch video", "trending:", "tags:", "topics:", "filed under", "posted in",
    "image source", "image:", "photo:", "picture:", "credit:", "getty images", "(photo",
    "file photo", "copyright", "\xc2\xa9", "comments are", "skip to",
    "jump to", "back to top", "cookie", "accept all", "privacy policy", "terms of use",
    "terms of service", "terms and conditions", "first published", "last updated",
    "updated:", "published:", "published on", "newsletter", "whatsapp", "telegram",
    "next article", "previous article", "next story", "previous story", "print this",
    "email this", "report an error", "send us feedback", "disclaimer:", "for more news",
    "for the latest",
    /* The note under syndicated wire copy on Indian sites ("(This story has not been
     * edited by Devdiscourse staff and is auto-generated from a syndicated feed.)"). */
    "(this story has not been edited",
};

/* 4. Anywhere in a short line that is not prose: calls and notices inside a menu or a
 *    footer ("Please fill the form to subscribe to our newsletter", "Video Player is
 *    loading."), and photo credits, which are set off by a bracket or a slash that no
 *    sentence puts there ("(AP Photo/Evan Vucci)", "... /Getty Images"). Credits are
 *    looked for in prose lines as well (a caption is often a sentence). */
static const char *const anywhere[] = {
    "all rights reserved", "your email address will not be published",
    "required fields are marked", "follow us on", "sign up for our", "subscribe to our",
    "by clicking", "is loading.", "photo credit",
};
static const char *const credits[] = {
    "(photo:", "(photo ", "(photos:", "(image:", "(picture:", "(file photo", "(ap photo",
    "(reuters photo", "/getty images", "(getty",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The first two bytes of every phrase searched for anywhere, as a bit set: [0] those of
 * both lists (a line that is not prose), [1] those of the credits (a prose line). */
static unsigned char bigrams[2][65536 / 8];
static pthread_once_t bigram_once = PTHREAD_ONCE_INIT;

static void add_bigram(unsigned char *bits, const char *p)
{
    unsigned b = (unsigned char)p[0] << 8 | (unsigned char)p[1];
    bits[b >> 3] |= (unsigned char)(1u << (b & 7));
}

static void build_bigrams(void)
{
    for (size_t k = 0; k < COUNT(anywhere); k++)
        add_bigram(bigrams[0], anywhere[k]);
    for (size_t k = 0; k < COUNT(credits); k++) {
        add_bigram(bigrams[0], credits[k]);
        add_bigram(bigrams[1], credits[k]);
    }
}

/* The phrase of list[] that occurs at low[i..m), or NULL. */
static const char *occurs_at(const char *low, size_t i, size_t m, const char *const *list,
                             size_t count)
{
    for (size_t k = 0; k < count; k++) {
        const char *q = list[k];
        size_t len = strlen(q);
        if (q[0] == low[i] && q[1] == low[i + 1] && i + len <= m && !memcmp(low + i, q, len))
            return q;
    }
    return NULL;
}

/* The phrase of list[] that low[at..m) starts with, or NULL. With `whole`, the phrase
 * must end a word there ("sign up" is not "sign upon"). */
static const char *opens_with(const char *low, size_t at, size_t m, const char *const *list,
                              size_t count, int whole)
{
    for (size_t i = 0; i < count; i++) {
        const char *p = list[i];
        if (p[0] != low[at])
            continue;
        size_t k = strlen(p);
        if (at + k <= m && !memcmp(low + at, p, k) &&
            !(whole && at + k < m && low[at + k] >= 'a' && low[at + k] <= 'z'))
            return p;
    }
    return NULL;
}

/* Whether low[0..m) speaks to the reader in the site's voice: "you", "your", "our",
 * "us" or "we" as a word, or names the site's "app". A promotion written as a sentence
 * does ("Sign up for our newsletter ...", "Download the app and never miss ..."); a news
 * sentence that opens with the same words seldom does ("Sign up rates among workers fell
 * ...", "Download the full report from the ministry ..."). `s` is the line as written
 * (low is its lower case): "US" in capitals is the country, not the reader. With `app`
 * 0, "app" does not count: news names apps too ("the app was installed 12,000 times"). */
static int speaks_to_reader(const char *s, const char *low, size_t m, int app)
{
    static const char *const words[] = {"you", "your", "our", "us", "we", "app"};
    for (size_t i = 0; i < m; i++) {
        if (i > 0 && low[i - 1] >= 'a' && low[i - 1] <= 'z')
            continue;
        for (size_t k = 0; k < COUNT(words) - !app; k++) {
            size_t len = strlen(words[k]);
            if (i + len <= m && !memcmp(low + i, words[k], len) &&
                !(i + len < m && low[i + len] >= 'a' && low[i + len] <= 'z') &&
                !(len == 2 && s[i] == 'U' && s[i + 1] == 'S'))
                return 1;
        }
    }
    return 0;
}

/* The notice or call that opens the line or one of its sentences (after ". ", "! ",
 * "? ", perhaps with a closing quotation mark between), or NULL. In a prose line a call
 * counts only when the line speaks to the reader (speaks_to_reader). */
static const char *sentence_opener(const char *s, const char *low, size_t m, size_t chars,
                                   int prose)
{
    int calls = !prose || speaks_to_reader(s, low, m, 1);
    for (size_t i = 0; i < m; i++) {
        if (i > 0) {
            char c = low[i - 1];
            if (c != ' ')
                continue;
            size_t j = i - 1;
            while (j > 0 && low[j - 1] == ' ')
                j--;
            if (j > 0 && (low[j - 1] == '"' || low[j - 1] == '\'' || low[j - 1] == ')'))
                j--;
            if (j == 0 || (low[j - 1] != '.' && low[j - 1] != '!' && low[j - 1] != '?'))
                continue;
            if (low[i] == ' ')
                continue;
        }
        const char *p = opens_with(low, i, m, site_notice, COUNT(site_notice), 1);
        if (!p && calls && (i == 0 || chars <= CALL_LINE_MAX))
            p = opens_with(low, i, m, reader_call, COUNT(reader_call), 1);
        if (p)
            return p;
    }
    return NULL;
}

const char *sli_lex_furniture(const char *s, size_t n, int prose)
{
    /* Lower-case the head of the line once. */
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
    if (m == 0)
        return NULL;
    const char *p = sentence_opener(s, low, m, n, prose);
    if (!p && !prose)
        p = opens_with(low, 0, m, label_prefix, COUNT(label_prefix), 0);
    /* Long lines are prose that may quote such words; only short ones are searched through.
     * One pass: a position is tried only when its first two bytes open some phrase. */
    if (p || n > 300 || m < 2)
        return p;
    pthread_once(&bigram_once, build_bigrams);
    const unsigned char *bits = bigrams[prose ? 1 : 0];
    for (size_t i = 0; i + 1 < m; i++) {
        unsigned b = (unsigned char)low[i] << 8 | (unsigned char)low[i + 1];
        if (!(bits[b >> 3] & (1u << (b & 7))))
            continue;
        if ((p = occurs_at(low, i, m, credits, COUNT(credits))))
            return p;
        if (!prose && (p = occurs_at(low, i, m, anywhere, COUNT(anywhere))))
            return p;
    }
    return NULL;
}

/* Trailers: the site's promotions and notices at the foot of an article, found by their
 * grammatical shape rather than by the wording of any one site.
 *
 * A call to follow a channel: a sentence (or a clause after a colon, a dash or a bar)
 * that opens with an imperative asking the reader to follow, join, subscribe, download,
 * install, get, sign up, listen, stay or turn on, and that names a channel or platform
 * ("channel", "newsletter", "app", "podcast", "alerts", "WhatsApp", "Telegram",
 * "YouTube", ...): "Join the Skerry Courier on Telegram for the latest updates",
 * "Stay ahead - follow us on WhatsApp", "Get breaking news alerts". The verb must open
 * the clause, with no subject before it ("Officials urged residents to follow the
 * council's channel" is news), and be a word on its own ("Stay-at-home orders ...").
 *
 * A notice rating the site: rating wording ("rated", "rating", "score", "certified",
 * "grade") with trust wording ("credibility", "trust", "transparency", "reliability")
 * and a word naming a site or publication ("site", "website", "news source", ...), the
 * three in one sentence, in a line that is not long and reports no one's speech
 * (speech_words): "this" and "our" alone name no site ("This score reflects public trust
 * in the courts, not the performance of our judges, the chief justice said"). The caller
 * looks for it only at the end of the article. */
static const char *const call_verbs[] = {
    "follow ", "join ", "subscribe ", "download ", "install ", "get ", "sign up ",
    "listen ", "stay ", "turn on ", "tune in ", "check out ", "never miss ", "don't miss ",
    "do not miss ", "be the first ",
};
static const char *const channel_nouns[] = {
    "channel", "channels", "newsletter", "newsletters", "app", "apps", "podcast",
    "podcasts", "alerts", "notifications", "whatsapp", "telegram", "facebook",
    "twitter", "instagram", "youtube", "tiktok", "linkedin", "google news",
};
/* What a promotion offers ("for the latest updates", "breaking news alerts"). */
static const char *const purpose_words[] = {
    "latest", "update", "updates", "updated", "breaking",
};
/* Reported speech: a line that attributes its words to someone ("..., the police said on
 * Twitter") is the article quoting them, not the site speaking. */
static const char *const speech_words[] = {
    "said", "says", "told", "tells", "urged", "urges", "wrote", "writes", "added",
    "according to",
};
static const char *const rating_words[] = {
    "rated", "rates", "rating", "ratings", "score", "scored", "scores", "certified",
    "certification", "grade", "graded",
};
static const char *const trust_words[] = {
    "credibility", "credible", "trust", "trustworthy", "trustworthiness", "transparency",
    "reliability", "reliable",
};
static const char *const site_words[] = {
    "site", "website", "publication", "outlet", "newsroom", "newspaper", "news source",
    "news site", "journalism",
};

static int letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

/* Whether one of list[] occurs in low[a..b) as whole words. */
static int has_word(const char *low, size_t a, size_t b, const char *const *list, size_t count)
{
    for (size_t i = a; i < b; i++) {
        if (i > a && letter(low[i - 1]))
            continue;
        for (size_t k = 0; k < count; k++) {
            size_t len = strlen(list[k]);
            if (list[k][0] == low[i] && i + len <= b && !memcmp(low + i, list[k], len) &&
                !(i + len < b && letter(low[i + len])))
                return 1;
        }
    }
    return 0;
}

/* Lower-case s[0..n) into low (n <= 300), returning n. */
static size_t lower_line(const char *s, size_t n, char *low)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        low[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    low[n] = '\0';
    return n;
}

/* Where the clause that starts at or after `i` opens: past spaces and symbols (bullets,
 * emoji, quotation marks). */
static size_t clause_open(const char *low, size_t i, size_t m)
{
    while (i < m && !((low[i] >= 'a' && low[i] <= 'z') || (low[i] >= '0' && low[i] <= '9'))) {
        unsigned char c = (unsigned char)low[i];
        if (c >= 0xC0) { /* a letter of another script opens a clause too */
            size_t len = 0;
            unsigned cp = sli_utf8_decode((const unsigned char *)low + i, m - i, &len);
            if (!(cp < 0xC0 || (cp >= 0x2000 && cp < 0x2C00) || cp >= 0x1F000 ||
                  (cp >= 0x2E00 && cp < 0x3000) || cp == 0xFE0F))
                return i;
            i += len ? len : 1;
            continue;
        }
        i++;
    }
    return i;
}

const char *sli_lex_channel_call(const char *s, size_t n, int prose)
{
    if (n > CALL_LINE_MAX)
        return NULL;
    char low[CALL_LINE_MAX + 1];
    size_t m = lower_line(s, n, low);
    /* A line of prose calls only when it speaks to the reader (not by naming an app) or
     * says what it offers, and reports no one's speech: news may open a sentence with the
     * same verbs ("Join talks ... broke down", "Join the strike, union leaders told
     * members on Telegram"). */
    if (prose && ((!speaks_to_reader(s, low, m, 0) &&
                   !has_word(low, 0, m, purpose_words, COUNT(purpose_words))) ||
                  has_word(low, 0, m, speech_words, COUNT(speech_words))))
        return NULL;
    size_t i = clause_open(low, 0, m);
    while (i < m) {
        /* the clause: up to the next . ! ? : | or dash between spaces */
        size_t e = i;
        while (e < m && low[e] != '.' && low[e] != '!' && low[e] != '?' && low[e] != ':' &&
               low[e] != '|' && !(low[e] == ' ' && e + 2 < m && low[e + 1] == '-' && low[e + 2] == ' ') &&
               !(e + 2 < m && (unsigned char)low[e] == 0xE2 && (unsigned char)low[e + 1] == 0x80 &&
                 ((unsigned char)low[e + 2] == 0x93 || (unsigned char)low[e + 2] == 0x94)))
            e++;
        for (size_t k = 0; k < COUNT(call_verbs); k++) {
            size_t len = strlen(call_verbs[k]);
            if (i + len <= m && !memcmp(low + i, call_verbs[k], len) &&
                has_word(low, i + len, e, channel_nouns, COUNT(channel_nouns)))
                return "a call to follow a channel";
        }
        if (e >= m)
            break;
        i = clause_open(low, e + 1, m);
    }
    return NULL;
}

int sli_lex_states_end(const char *s, size_t k)
{
    const unsigned char *u = (const unsigned char *)s;
    for (;;) {
        if (k > 0 && (u[k - 1] == '"' || u[k - 1] == '\'' || u[k - 1] == ')' || u[k - 1] == ']'))
            k--;
        else if (k >= 3 && u[k - 3] == 0xE2 && u[k - 2] == 0x80 &&
                 (u[k - 1] == 0x9D || u[k - 1] == 0x99)) /* \u201d \u2019 */
            k -= 3;
        else if (k >= 3 && u[k - 3] == 0xE3 && u[k - 2] == 0x80 &&
                 (u[k - 1] == 0x8D || u[k - 1] == 0x8F)) /* \u300d \u300f */
            k -= 3;
        else
            break;
    }
    if (k >= 3 && u[k - 3] == 0xE2 && u[k - 2] == 0x80 && u[k - 1] == 0xA6) /* \u2026 */
        return 1;
    return k > 0 && u[k - 1] == '.';
}

const char *sli_lex_rating_notice(const char *s, size_t n)
{
    if (n > 300)
        return NULL;
    char low[301];
    size_t m = lower_line(s, n, low);
    if (has_word(low, 0, m, speech_words, COUNT(speech_words)))
        return NULL;
    /* rating, trust and site wording in one sentence */
    for (size_t a = 0; a < m;) {
        size_t b = a;
        while (b < m && !((low[b] == '.' || low[b] == '!' || low[b] == '?') &&
                          (b + 1 == m || low[b + 1] == ' ')))
            b++;
        if (has_word(low, a, b, rating_words, COUNT(rating_words)) &&
            has_word(low, a, b, trust_words, COUNT(trust_words)) &&
            has_word(low, a, b, site_words, COUNT(site_words)))
            return "a notice rating the site";
        a = b + 1;
    }
    return NULL;
}

/* Headings after which the article is over. Matched as the whole line. The switches
 * below measure issue 21's additions (bench/clean_cv.sh). */
#ifndef END_LABELS_OTHER_LANGS
#define END_LABELS_OTHER_LANGS 1 /* the labels of other languages than English */
#endif
#ifndef COMMENT_COUNT_BRACKETS
#define COMMENT_COUNT_BRACKETS 1 /* "[ 12 comments ]": a count in brackets */
#endif
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
#if END_LABELS_OTHER_LANGS
    /* The same labels in other languages of the Latin script (general labels of each
     * language, as its news and blog sites print them; matched with ASCII capitals folded):
     * Portuguese, Spanish, French, German, Italian. Not their "also read" (leia também,
     * leggi anche, lire aussi): a label inline in the article more often than a heading
     * over its end. */
    "você pode gostar", "você também pode gostar",
    "você pode se interessar", "matérias relacionadas", "notícias relacionadas", "posts relacionados",
    "artigos relacionados", "mais lidas", "mais lidos", "comentários",
    "deixe um comentário", "deixe seu comentário",
    "te puede interesar", "también te puede interesar", "noticias relacionadas",
    "artículos relacionados", "lo más leído", "comentarios", "deja un comentario", "deja tu comentario",
    "sur le même sujet", "articles similaires",
    "vous aimerez aussi", "vous aimerez peut-être", "les plus lus", "commentaires",
    "laisser un commentaire",
    "das könnte sie auch interessieren", "mehr zum thema", "weitere artikel",
    "meistgelesen", "kommentare", "ähnliche artikel",
    "potrebbe interessarti", "ti potrebbe interessare", "articoli correlati",
    "i più letti", "commenti", "lascia un commento",
#endif
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

/* Whether the line heads readers' comments: a heading ("43 Comments", "Leave a Reply")
 * or a comment's own head ("joetoronto says:", "Jane on May 1, 2019 at 4:47 pm said:"). */
static int comment_head(const char *s, size_t n)
{
    if (n > 120)
        return 0;
    if (sli_lex_comment_by(s, n))
        return 1;
    /* A count in brackets, "[ 12 comments ]", "(3 Comments)", is the count alone. */
    while (COMMENT_COUNT_BRACKETS && n > 0 && (s[0] == '[' || s[0] == '(' || s[0] == ' ')) {
        s++;
        n--;
    }
    size_t d = 0;
    while (d < n && ((s[d] >= '0' && s[d] <= '9') || s[d] == ' ' || s[d] == ','))
        d++;
    return (d > 0 && d < n &&
            (is_only(s + d, n - d, "comments") || is_only(s + d, n - d, "comment") ||
             is_only(s + d, n - d, "responses") || is_only(s + d, n - d, "replies"))) ||
           is_only(s, n, "leave a reply") || is_only(s, n, "leave a comment") ||
           is_only(s, n, "comments") || is_only(s, n, "top comments") ||
           is_only(s, n, "top rated comments") || is_only(s, n, "latest comments") ||
           is_only(s, n, "join the conversation") || is_only(s, n, "show comments") ||
           is_only(s, n, "view comments") || is_only(s, n, "reader comments");
}

/* "2 days ago", "5 hours ago at 07:54 am", "an hour ago": a time stamp alone, relative to
 * the reader's now, as comments and feeds print them. */
int sli_lex_relative_stamp(const char *s, size_t n)
{
    static const char *const units[] = {"seconds", "second", "secs", "sec", "minutes",
        "minute", "mins", "min", "hours", "hour", "hrs", "hr", "days", "day", "weeks", "week",
        "months", "month", "years", "year"};
    size_t i = 0;
    if (n > 40)
        return 0;
    if (starts_with(s, n, "an "))
        i = 3;
    else if (starts_with(s, n, "a "))
        i = 2;
    else {
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == 0 || i > 3)
            return 0;
        while (i < n && s[i] == ' ')
            i++;
    }
    size_t u = 0;
    for (; u < sizeof units / sizeof units[0]; u++)
        if (starts_with(s + i, n - i, units[u]) && starts_with(s + i + strlen(units[u]),
                                                               n - i - strlen(units[u]), " ago"))
            break;
    if (u == sizeof units / sizeof units[0])
        return 0;
    i += strlen(units[u]) + 4;
    if (i == n)
        return 1;
    /* " at 07:54 am" */
    if (!starts_with(s + i, n - i, " at "))
        return 0;
    for (i += 4; i < n; i++) {
        char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
        if (!((c >= '0' && c <= '9') || c == ':' || c == ' ' || c == '.' || c == 'a' ||
              c == 'p' || c == 'm'))
            return 0;
    }
    return 1;
}

const char *sli_lex_end_marker(const char *s, size_t n)
{
    if (n > 60)
        return NULL;
    if (comment_head(s, n))
        return "comments";
    for (size_t i = 0; i < sizeof end_markers / sizeof end_markers[0]; i++)
        if (is_only(s, n, end_markers[i]))
            return end_markers[i];
    if (starts_with(s, n, "more from ") && n < 50)
        return "more from";
    return NULL;
}
