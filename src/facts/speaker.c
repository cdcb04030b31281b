/* speaker.c — who said a quote: the attribution next to it ("X said", "said X, the
 * party's spokeswoman", "according to X", "X told reporters", "he added"), the subject's
 * name resolved to the fullest form the article gives, "he"/"she" to the last person who
 * fits. Rules over quotes.c's tokens, no tagger: a word is part of a name when it is
 * capitalised, not a title, not a weekday or month, and not a sentence's first word that
 * the article also prints in lower case. Every look is a bounded window of tokens. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../text/ascii.h"
#include "quotes_int.h"

/* Tokens looked at after a quote's closing mark for "he said" / "said X, the ...", and
 * for "X, a senior aide to ..., said" (the verb may come after an apposition). */
#define AFTER_WIN 30
/* A gap between two parts that joins them is at most this many tokens. */
#define GAP_MAX 6
/* ... and when the quote ends with a full stop (the attribution then usually came
 * before it): the verb must come within this many tokens. */
#define AFTER_WIN_STOP 4
/* Tokens looked at before a quote's opening mark for "X said:" / "X told reporters,". */
#define BEFORE_WIN 40
/* Words of a description subject ("a senior aide to the governor"). */
#define DESC_MAX_WORDS 7
/* Comma segments looked through for the name behind an apposition. */
#define SEG_MAX 4
/* Pronoun resolution: person mentions, and tokens, looked back through. */
#define RESOLVE_MENTIONS 40
#define RESOLVE_TOKENS 800
/* A he/she votes for the gender of the last person mentioned within this many tokens. */
#define GENDER_VOTE_TOKENS 40
/* A name run is at most this many tokens (a bound on every walk along one). */
#define RUN_MAX 8
/* The fullest name of a person is one of at most this many words. */
#define FULL_NAME_MAX_WORDS 4

/* ---- words ---- */

static int word_is(const sli_qdoc *d, size_t t, const char *w)
{
    const sli_qtok *k = &d->tok[t];
    return k->kind == SLI_QT_WORD && ascii_ci_is(d->text, k->start, k->end, w);
}

static int word_in(const sli_qdoc *d, size_t t, const char *const *list, size_t n)
{
    if (d->tok[t].kind != SLI_QT_WORD)
        return 0;
    char c0 = d->text[d->tok[t].start];
    if (c0 >= 'A' && c0 <= 'Z')
        c0 = (char)(c0 - 'A' + 'a');
    for (size_t i = 0; i < n; i++)
        if (list[i][0] == c0 && word_is(d, t, list[i]))
            return 1;
    return 0;
}

/* The word lists, one bit each in a token's list mask (built once per article by
 * sli_qlex_build from a hash table of every listed word, so that a membership test is a
 * bit test, not a walk along the list). */
enum {
    L_speech_verbs, L_inverting, L_pronouns_m, L_pronouns_f, L_pronouns_p, L_titles_m,
    L_titles_f, L_titles_n, L_not_names, L_particles, L_determiners, L_skippable,
    L_relatives, L_prepositions, L_COUNT
};

static int in_list(const sli_qdoc *d, size_t t, int id, const char *const *list, size_t n);

#define IN(d, t, list) in_list(d, t, L_##list, list, sizeof list / sizeof list[0])

static const char *const speech_verbs[] = {
    "said", "says", "say", "saying", "told", "tells", "telling", "added", "adds", "adding",
    "wrote", "writes", "writing", "tweeted", "tweets", "tweeting", "asked", "asks",
    "replied", "replies", "responded", "responds", "declared", "declares", "continued",
    "continues", "concluded", "concludes", "stated", "states", "explained", "explains",
    "noted", "notes", "argued", "argues", "insisted", "insists", "recalled", "recalls",
    "remarked", "warned", "warns", "admitted", "admits", "acknowledged", "acknowledges",
    "answered", "joked", "jokes", "quipped", "shouted", "yelled", "chanted", "chanting",
    "reads", "reported", "posted", "announced", "announces", "claimed", "claims",
    "predicted", "promised", "suggested", "suggests", "observed", "observes", "countered",
    "cautioned", "complained", "complains", "emphasized", "stressed", "urged", "boasted",
    "conceded", "testified", "interjected", "wondered", "mused", "lamented", "exclaimed",
    "asserted", "asserts", "contended", "maintained", "agreed", "screamed", "cried",
    "bragged", "vowed", "thundered", "texted", "emailed", "proclaimed", "pleaded",
    "repeated", "confirmed", "denied", "charged", "barked", "scoffed", "snapped",
    "sniffed", "whispered", "murmured", "muttered", "demanded", "begged", "advised",
    "informed", "assured", "reminded", "retorted", "shot", "went", "put", "pointed",
    "added:", "read", "chimed", "elaborated", "summed", "described", "wrote:", "sang",
    "tweet", "tweeted:", "writes:", "explaining", "arguing", "noting", "warning",
    "asking", "replying", "responding", "declaring", "insisting", "concluding", "fumed",
    "echoed", "opined", "beamed", "pressed", "gushed", "raged", "groused", "grumbled",
    "marveled", "chided", "ventured", "sneered", "crowed", "recounted", "reiterated",
    "wrote,", "cracked", "shrugged", "laughed", "sighed", "offered", "predicts", "cautions",
    "recalls", "acknowledges", "concedes", "jokes", "quips", "boasts", "insists", "exhorted",
    "lectured", "lecturing", "preached", "disclosed", "reiterates", "responds", "sings",
    "singing"};

/* Verbs of the list that need a particle to be speech ("shot back", "went on", "put
 * it", "pointed out", "chimed in", "summed up"): checked in speech_verb_at. */
static int speech_verb_at(const sli_qdoc *d, size_t t)
{
    if (d->tok[t].kind != SLI_QT_WORD || !IN(d, t, speech_verbs))
        return 0;
    size_t nx = t + 1;
    int has_next = nx < d->n_tok && d->tok[nx].kind == SLI_QT_WORD;
    if (word_is(d, t, "shot"))
        return has_next && word_is(d, nx, "back");
    if (word_is(d, t, "went"))
        return has_next && word_is(d, nx, "on");
    if (word_is(d, t, "put"))
        return has_next && word_is(d, nx, "it");
    if (word_is(d, t, "pointed"))
        return has_next && word_is(d, nx, "out");
    if (word_is(d, t, "chimed"))
        return has_next && word_is(d, nx, "in");
    if (word_is(d, t, "summed"))
        return has_next && word_is(d, nx, "up");
    if (word_is(d, t, "described"))
        return 0;
    return 1;
}

/* Verbs that put their subject after them ("said Steven Brill"); "told" takes an object
 * instead ("Ramos, 58, told AFP"). */
static const char *const inverting[] = {
    "said", "says", "added", "adds", "wrote", "writes", "asked", "asks", "continued",
    "continues", "explained", "explains", "noted", "notes", "recalled", "recalls",
    "replied", "replies", "responded", "declared", "concluded", "argued", "argues",
    "observed", "opined", "agreed", "agrees", "quipped", "joked", "warned", "warns",
    "cautioned", "acknowledged", "insisted", "insists", "tweeted", "countered", "admitted",
    "predicted", "suggested", "suggests", "stated", "remarked", "cracked", "offered"};

static const char *const pronouns_m[] = {"he"};
static const char *const pronouns_f[] = {"she"};
static const char *const pronouns_p[] = {"they", "we", "i", "you", "it", "who"};

/* 'm', 'f', 'p' for a subject pronoun, else 0. */
static int pronoun_at(const sli_qdoc *d, size_t t)
{
    if (IN(d, t, pronouns_m))
        return 'm';
    if (IN(d, t, pronouns_f))
        return 'f';
    if (IN(d, t, pronouns_p))
        return 'p';
    return 0;
}

static const char *const titles_m[] = {"mr.", "mr", "congressman", "king", "father",
                                       "sir", "lord", "brother", "messrs."};
static const char *const titles_f[] = {"mrs.", "mrs", "ms.", "ms", "miss", "congresswoman",
                                       "queen", "sister", "lady", "madam"};
static const char *const titles_n[] = {
    "dr.",       "sen.",      "rep.",      "gov.",       "lt.",        "gen.",
    "col.",      "capt.",     "sgt.",      "adm.",       "prof.",      "rev.",
    "pres.",     "sens.",     "reps.",     "gens.",      "atty.",      "president",
    "senator",   "governor",  "representative",          "secretary",  "mayor",
    "judge",     "justice",   "chairman",  "chairwoman", "speaker",    "minister",
    "chancellor", "pope",     "rabbi",     "imam",       "ambassador", "commissioner",
    "gov",       "sen",       "rep",       "dr",         "prof",       "gen",
    "lt",        "maj.",      "cmdr.",     "supt.",      "chief",      "officer",
    "detective", "sheriff",   "councilman", "councilwoman", "assemblyman",
    "assemblywoman", "professor", "doctor", "reverend", "pastor", "bishop", "cardinal",
    "sergeant",  "captain",   "colonel",   "general",    "lieutenant", "admiral",
    "vice",      "prime",     "attorney",  "delegate",   "state",      "former",
    "candidate", "nominee",   "leader"};

/* 'm' or 'f' for a gendered title, 'n' for another title, 0 for none. */
static int title_at(const sli_qdoc *d, size_t t)
{
    if (d->tok[t].kind != SLI_QT_WORD)
        return 0;
    if (IN(d, t, titles_m))
        return 'm';
    if (IN(d, t, titles_f))
        return 'f';
    if ((d->tok[t].flags & SLI_QF_CAP) && IN(d, t, titles_n))
        return 'n';
    return 0;
}

static const char *const not_names[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan.", "feb.", "aug.", "sept.", "oct.", "nov.",
    "dec.", "i", "the", "a", "an", "this", "that", "these", "those", "it", "he", "she",
    "we", "they", "you", "but", "and", "or", "so", "if", "when", "while", "as", "at", "in",
    "on", "of", "for", "to", "by", "with", "from", "after", "before", "since", "asked",
    "speaking", "according", "still", "yet", "now", "then", "also", "however",
    "meanwhile", "instead", "there", "here", "what", "why", "how", "who", "where", "my",
    "our", "your", "his", "her", "their", "its", "not", "no", "yes", "even", "just",
    "only", "some", "many", "most", "all", "both", "every", "each", "other", "another",
    "one", "two", "today", "yesterday", "tomorrow", "tonight", "later", "earlier",
    "again", "said", "says", "told", "added", "because", "although", "though", "during",
    "under", "over", "about", "against", "without", "within", "until", "unless",
    "whether", "despite", "among", "through", "into", "like", "unlike", "more", "less",
    "last", "next", "first", "well", "oh", "ok", "okay", "please", "thank", "thanks",
    "dear", "hey", "hi", "hello", "sorry", "update", "editor's", "note", "photo", "image",
    "read", "watch", "video", "click", "see", "via", "source", "getty", "ap", "reuters",
    "outside", "inside", "behind", "beyond", "near", "across", "along", "around", "toward",
    "towards", "amid", "throughout", "following", "including", "given", "likewise",
    "related", "links", "moreover", "furthermore", "besides", "indeed", "perhaps", "maybe",
    "otherwise", "nonetheless", "nevertheless", "thus", "hence", "therefore", "overall",
    "finally", "second", "third", "once", "twice", "recently", "currently", "previously",
    "often", "sometimes", "never", "always", "here", "here’s", "here's", "there’s",
    "there's", "that’s", "that's", "it’s", "it's", "let", "let’s", "let's"};

static const char *const particles[] = {"de", "van", "von", "da", "al", "bin", "la", "le",
                                        "du", "del", "der", "di", "dos", "das", "ibn", "st."};

static const char *const determiners[] = {
    "the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "another", "one",
    "some", "several", "many", "two", "three", "four", "other", "this", "that", "these",
    "those", "both", "each", "most", "all", "no", "any", "every"};

/* Between a subject and its verb: "X also said", "X has said", "X was quoted as saying",
 * "X later told", "X went on to say" (skipped, at most SKIP_MAX of them). */
static const char *const skippable[] = {
    "also", "later", "then", "has", "had", "have", "was", "is", "were", "are", "would",
    "will", "once", "previously", "recently", "quoted", "as", "again", "further", "often",
    "repeatedly", "earlier", "still", "first", "last", "simply", "just", "even", "did",
    "does", "do", "could", "might", "may", "should", "had", "been", "be", "on", "to",
    "went", "reportedly", "publicly", "privately", "himself", "herself", "themselves",
    "both", "all", "subsequently", "ultimately", "finally", "initially", "originally"};
#define SKIP_MAX 4

static const char *const relatives[] = {"who", "which", "whose", "whom", "that", "where",
                                        "when", "and", "but", "or"};

/* ---- the article lexicon ---- */

/* Fuller forms kept per last word ("Hillary Clinton", "Bill Clinton"), with counts. */
#define FULL_FORMS 4

typedef struct qname {
    uint64_t key;        /* 0: empty slot */
    size_t best_s, best_e; /* the fullest run: tokens [best_s, best_e) */
    int words;
    size_t form_s[FULL_FORMS], form_e[FULL_FORMS]; /* runs of 2+ words, titles stripped */
    uint64_t form_h[FULL_FORMS];
    int form_n[FULL_FORMS], n_forms;
    int title_g;         /* 'm'/'f' from a title, 0 */
    int votes_m, votes_f;
    int person;
} qname;

typedef struct sli_qlex {
    uint64_t *lower;     /* set of hashes of words seen in lower case */
    size_t lower_cap;
    qname *names;
    size_t names_cap;
    unsigned char *nameword; /* per token */
    uint32_t *lmask;     /* per token: the word lists (bits L_*) that hold it */
    uint64_t *th;        /* per token: tok_hash */
    struct sli_qwords *own_words; /* the table of listed words when the doc had none */
    size_t *mention;     /* last-word tokens of person mentions outside quotes */
    size_t n_mention;
    size_t *mention_name; /* their qname slot */
} sli_qlex;

static uint64_t hash_word(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        h ^= c;
        h *= 1099511628211ull;
    }
    return h ? h : 1;
}

/* The token's word without a possessive ’s / 's. */
static size_t word_len_bare(const sli_qdoc *d, size_t t)
{
    const sli_qtok *k = &d->tok[t];
    size_t n = k->end - k->start;
    if (k->flags & SLI_QF_POSS) {
        if (n >= 2 && d->text[k->end - 2] == '\'')
            return n - 2;
        if (n >= 4)
            return n - 4;
    }
    return n;
}

static uint64_t tok_hash(const sli_qdoc *d, size_t t)
{
    if (d->lex && d->lex->th) /* computed once per token by sli_qlex_build */
        return d->lex->th[t];
    return hash_word(d->text + d->tok[t].start, word_len_bare(d, t));
}

static size_t pow2_at_least(size_t n)
{
    size_t c = 16;
    while (c < n)
        c <<= 1;
    return c;
}

static int lower_has(const sli_qlex *x, uint64_t h)
{
    size_t m = x->lower_cap - 1;
    for (size_t i = h & m;; i = (i + 1) & m) {
        if (!x->lower[i])
            return 0;
        if (x->lower[i] == h)
            return 1;
    }
}

static void lower_add(sli_qlex *x, uint64_t h)
{
    size_t m = x->lower_cap - 1;
    for (size_t i = h & m;; i = (i + 1) & m) {
        if (x->lower[i] == h)
            return;
        if (!x->lower[i]) {
            x->lower[i] = h;
            return;
        }
    }
}

static qname *name_slot(const sli_qlex *x, uint64_t key, int add)
{
    size_t m = x->names_cap - 1;
    for (size_t i = key & m;; i = (i + 1) & m) {
        if (x->names[i].key == key)
            return &x->names[i];
        if (!x->names[i].key) {
            if (!add)
                return NULL;
            x->names[i].key = key;
            return &x->names[i];
        }
    }
}

static int in_list(const sli_qdoc *d, size_t t, int id, const char *const *list, size_t n)
{
    if (d->lex && d->lex->lmask)
        return (int)((d->lex->lmask[t] >> id) & 1u);
    return word_in(d, t, list, n);
}

/* Every listed word by its hash, with the lists (bits L_*) that hold it. */
typedef struct qword {
    const char *w; /* NULL: empty slot */
    uint64_t h;
    uint32_t mask;
} qword;

struct sli_qwords {
    qword *slot;
    size_t cap;
};

static const qword *qwords_get(const sli_qwords *W, uint64_t h)
{
    size_t m = W->cap - 1;
    for (size_t i = h & m;; i = (i + 1) & m) {
        if (!W->slot[i].w)
            return NULL;
        if (W->slot[i].h == h)
            return &W->slot[i];
    }
}

static int is_name_word(const sli_qdoc *d, const sli_qlex *x, size_t t)
{
    const sli_qtok *k = &d->tok[t];
    if (k->kind != SLI_QT_WORD || !(k->flags & SLI_QF_CAP))
        return 0;
    if (title_at(d, t) || IN(d, t, not_names))
        return 0;
    if ((k->flags & SLI_QF_SENT) && !(k->flags & SLI_QF_POSS) &&
        lower_has(x, tok_hash(d, t))) /* no possessive: the whole token's hash */
        return 0;
    return 1;
}

/* Whether token t can continue a name run: a name word, or a particle ("de", "bin")
 * between two name words. */
static int nameword(const sli_qdoc *d, size_t t)
{
    return t < d->n_tok && d->lex->nameword[t];
}

/* The first token of the name run ending at token e (a name word), not before lo. */
static size_t run_start(const sli_qdoc *d, size_t e, size_t lo)
{
    size_t s = e;
    if (e > RUN_MAX && lo < e - RUN_MAX)
        lo = e - RUN_MAX; /* a name is a few words: no walk through a page of capitals */
    while (s > lo) {
        size_t p = s - 1;
        if (d->tok[p].flags & SLI_QF_POSS)
            break;
        if (nameword(d, p)) {
            s = p;
            continue;
        }
        if (p > lo && IN(d, p, particles) && nameword(d, p - 1) &&
            !(d->tok[p - 1].flags & SLI_QF_POSS)) {
            s = p - 1;
            continue;
        }
        break;
    }
    return s;
}

/* The last token of the name run starting at s, not past hi (exclusive). */
static size_t run_end(const sli_qdoc *d, size_t s, size_t hi)
{
    size_t e = s;
    if (hi > s + RUN_MAX)
        hi = s + RUN_MAX;
    while (!(d->tok[e].flags & SLI_QF_POSS) && e + 1 < hi) {
        if (nameword(d, e + 1)) {
            e++;
            continue;
        }
        if (e + 2 < hi && IN(d, e + 1, particles) && nameword(d, e + 2)) {
            e += 2;
            continue;
        }
        break;
    }
    return e;
}

static size_t run_words(const sli_qdoc *d, size_t s, size_t e)
{
    size_t n = 0;
    for (size_t t = s; t <= e; t++)
        n += d->lex->nameword[t];
    return n;
}

static int gender_of(const qname *nm)
{
    if (nm->title_g)
        return nm->title_g;
    if (nm->votes_m > nm->votes_f)
        return 'm';
    if (nm->votes_f > nm->votes_m)
        return 'f';
    return 0;
}

static int is_punct(const sli_qdoc *d, size_t t, char ch)
{
    return d->tok[t].kind == SLI_QT_PUNCT && d->tok[t].ch == ch;
}

sl_error sli_qlex_build(sli_qdoc *d)
{
    sli_qlex *x = calloc(1, sizeof *x);
    if (!x)
        return SL_ERR_NOMEM;
    d->lex = x;
    size_t n = d->n_tok;
    /* the tables hold at most one entry per lower-case word / capitalised word (a name
     * run is keyed once, and starts at a capitalised word): sized by those counts, not
     * by all tokens, so that little memory is cleared per article */
    size_t n_low = 0, n_cap = 0;
    for (size_t t = 0; t < n; t++)
        if (d->tok[t].kind == SLI_QT_WORD) {
            n_low += (d->tok[t].flags & SLI_QF_LOWER) != 0;
            n_cap += (d->tok[t].flags & SLI_QF_CAP) != 0;
        }
    x->lower_cap = pow2_at_least(2 * n_low + 2);
    x->names_cap = pow2_at_least(2 * n_cap + 2);
    x->lower = calloc(x->lower_cap, sizeof *x->lower);
    x->names = calloc(x->names_cap, sizeof *x->names);
    x->nameword = calloc(n + 1, 1);
    x->mention = malloc((n + 1) * sizeof *x->mention);
    x->mention_name = malloc((n + 1) * sizeof *x->mention_name);
    x->lmask = calloc(n + 1, sizeof *x->lmask);
    uint64_t *th = malloc((n + 1) * sizeof *th);
    if (!x->lower || !x->names || !x->nameword || !x->mention || !x->mention_name ||
        !x->lmask || !th) {
        free(th);
        return SL_ERR_NOMEM;
    }
    const sli_qwords *W = d->words;
    if (!W) {
        sl_error e = sli_qwords_build(&x->own_words);
        if (e)
            return e;
        W = x->own_words;
    }
    for (size_t t = 0; t < n; t++) {
        const sli_qtok *k = &d->tok[t];
        uint64_t full = hash_word(d->text + k->start, k->end - k->start);
        size_t bare = word_len_bare(d, t);
        th[t] = bare == k->end - k->start ? full : hash_word(d->text + k->start, bare);
        if (k->kind != SLI_QT_WORD)
            continue;
        const qword *q = qwords_get(W, full);
        if (q && word_is(d, t, q->w))
            x->lmask[t] = q->mask;
    }
    x->th = th;
    for (size_t t = 0; t < n; t++)
        if (d->tok[t].kind == SLI_QT_WORD && (d->tok[t].flags & SLI_QF_LOWER))
            lower_add(x, tok_hash(d, t));
    for (size_t t = 0; t < n; t++)
        x->nameword[t] = (unsigned char)is_name_word(d, x, t);
    /* name runs: the fullest form per last word, titles, and who is a person */
    for (size_t t = 0; t < n; t++) {
        if (!x->nameword[t] || (t > 0 && x->nameword[t - 1] &&
                                !(d->tok[t - 1].flags & SLI_QF_POSS)))
            continue;
        size_t e = run_end(d, t, n);
        qname *nm = name_slot(x, tok_hash(d, e), 1);
        int w = (int)run_words(d, t, e);
        int tg = t > 0 ? title_at(d, t - 1) : 0;
        if (tg) {
            nm->person = 1;
            if (tg != 'n')
                nm->title_g = tg;
        }
        if (w <= FULL_NAME_MAX_WORDS && w > nm->words) {
            nm->words = w;
            nm->best_s = t;
            nm->best_e = e + 1;
        }
        if (w >= 2 && w <= FULL_NAME_MAX_WORDS) {
            /* count the fuller forms: the one printed most often stands for the name */
            uint64_t h = 0;
            for (size_t k = t; k <= e; k++)
                h = h * 1000003u + tok_hash(d, k);
            int f = 0;
            while (f < nm->n_forms && nm->form_h[f] != h)
                f++;
            if (f < nm->n_forms) {
                nm->form_n[f]++;
            } else if (nm->n_forms < FULL_FORMS) {
                nm->form_h[f] = h;
                nm->form_s[f] = t;
                nm->form_e[f] = e;
                nm->form_n[f] = 1;
                nm->n_forms++;
            }
        }
        /* a run followed by a speech verb (skipping adverbs) is a person: "Reid said" */
        size_t v = e + 1, k = 0;
        while (v < n && k < SKIP_MAX && IN(d, v, skippable))
            v++, k++;
        if (v < n && speech_verb_at(d, v) && !(d->tok[e].flags & SLI_QF_POSS))
            nm->person = 1;
        /* "said Reid" after a quote */
        if (t >= 2 && speech_verb_at(d, t - 1) && d->tok[t - 2].kind == SLI_QT_CLOSE)
            nm->person = 1;
        /* "Reid, who ...", "Bob Smith, a farmer," (an apposition), "Smith, 58," */
        if (e + 2 < n && d->tok[e + 1].kind == SLI_QT_PUNCT && d->tok[e + 1].ch == ',' &&
            !(d->tok[e].flags & SLI_QF_POSS) &&
            (word_is(d, e + 2, "who") ||
             ((word_is(d, e + 2, "a") || word_is(d, e + 2, "an") ||
               word_is(d, e + 2, "the")) && w >= 2) ||
             (d->text[d->tok[e + 2].start] >= '1' && d->text[d->tok[e + 2].start] <= '9' &&
              d->tok[e + 2].end - d->tok[e + 2].start <= 2 && e + 3 < n &&
              is_punct(d, e + 3, ','))))
            nm->person = 1;
        t = e;
    }
    /* single-word runs that are the last word of a person's fuller name are that person:
     * every run keyed by a person's last word counts as a mention */
    for (size_t t = 0; t < n; t++) {
        if (!x->nameword[t] || (d->tok[t].flags & SLI_QF_INQ))
            continue;
        if (t + 1 < n && x->nameword[t + 1] && !(d->tok[t].flags & SLI_QF_POSS))
            continue; /* not the last word of its run */
        qname *nm = name_slot(x, tok_hash(d, t), 0);
        if (!nm || !nm->person)
            continue;
        x->mention[x->n_mention] = t;
        x->mention_name[x->n_mention++] = (size_t)(nm - x->names);
    }
    /* gender votes: a he/she/his/her after a person's mention */
    size_t mi = 0;
    for (size_t t = 0; t < n; t++) {
        while (mi < x->n_mention && x->mention[mi] < t)
            mi++;
        if (d->tok[t].kind != SLI_QT_WORD || (d->tok[t].flags & SLI_QF_INQ) || !mi ||
            t - x->mention[mi - 1] > GENDER_VOTE_TOKENS)
            continue; /* (the distance first: the words below are compared less often) */
        char c0 = d->text[d->tok[t].start];
        if (c0 != 'h' && c0 != 'H' && c0 != 's' && c0 != 'S')
            continue; /* none of the pronouns below */
        int g = 0;
        if (word_is(d, t, "he") || word_is(d, t, "his") || word_is(d, t, "him") ||
            word_is(d, t, "himself"))
            g = 'm';
        else if (word_is(d, t, "she") || word_is(d, t, "her") || word_is(d, t, "hers") ||
                 word_is(d, t, "herself"))
            g = 'f';
        if (!g || t - x->mention[mi - 1] > GENDER_VOTE_TOKENS)
            continue;
        qname *nm = &x->names[x->mention_name[mi - 1]];
        if (g == 'm')
            nm->votes_m++;
        else
            nm->votes_f++;
    }
    return SL_OK;
}

void sli_qlex_free(sli_qdoc *d)
{
    sli_qlex *x = d->lex;
    if (!x)
        return;
    free(x->lower);
    free(x->names);
    free(x->nameword);
    free(x->mention);
    free(x->mention_name);
    free(x->lmask);
    free(x->th);
    sli_qwords_free(x->own_words);
    free(x);
    d->lex = NULL;
}

/* ---- subjects ---- */


static int is_boundary(const sli_qdoc *d, size_t t)
{
    const sli_qtok *k = &d->tok[t];
    if (k->kind == SLI_QT_PARA || k->kind == SLI_QT_OPEN || k->kind == SLI_QT_CLOSE)
        return 1;
    return k->kind == SLI_QT_PUNCT && (k->ch == '.' || k->ch == '!' || k->ch == '?' ||
                                       k->ch == ';');
}

static int set_name(const sli_qdoc *d, size_t s, size_t e, sli_qspeaker *sp)
{
    /* titles before the run are not part of the name */
    while (s < e && title_at(d, s))
        s++;
    *sp = (sli_qspeaker){.start = d->tok[s].start, .end = d->tok[e].start + word_len_bare(d, e),
                         .tok = e, .is_name = 1};
    return 1;
}

static int set_desc(const sli_qdoc *d, size_t s, size_t e, sli_qspeaker *sp)
{
    *sp = (sli_qspeaker){.start = d->tok[s].start, .end = d->tok[e].end, .tok = e};
    return 1;
}

static int is_det(const sli_qdoc *d, size_t t)
{
    return IN(d, t, determiners) || (d->tok[t].flags & SLI_QF_POSS);
}

/* A segment [s, e] (no commas) as a subject: its last name run when it ends with one
 * ("Priorities spokesman Justin Barasky"); a description when it starts with a
 * determiner or a possessive ("its acting chairman", "Ryan's spokeswoman"): returns 2 for
 * a name, 1 for a description, 0 for neither. */
static int segment_subject(const sli_qdoc *d, size_t s, size_t e, sli_qspeaker *sp)
{
    if (e < s)
        return 0;
    if (d->tok[e].kind == SLI_QT_WORD && nameword(d, e) && !(d->tok[e].flags & SLI_QF_POSS)) {
        size_t rs = run_start(d, e, s);
        set_name(d, rs, e, sp);
        return 2;
    }
    if (s == e && pronoun_at(d, s))
        return 0;
    if (e > s && e - s + 1 <= DESC_MAX_WORDS + 2 && is_det(d, s) && d->tok[e].kind == SLI_QT_WORD &&
        (d->tok[e].flags & SLI_QF_LOWER)) {
        for (size_t t = s; t <= e; t++)
            if (!(d->tok[t].kind == SLI_QT_WORD || is_punct(d, t, '*')) ||
                (t > s && IN(d, t, relatives) && !word_is(d, t, "and")))
                return 0;
        set_desc(d, s, e, sp);
        return 1;
    }
    return 0;
}

static const char *const prepositions[] = {"by", "of", "for", "to", "in", "on", "at",
                                           "with", "from", "about", "after", "before",
                                           "upon", "while", "when", "before", "without"};

/* Skips back over a parenthesis ending at token e ("Sen. Marco Rubio (R-Fla.)"). */
static size_t skip_paren_back(const sli_qdoc *d, size_t e, size_t lo)
{
    if (!is_punct(d, e, ')'))
        return e;
    size_t b = e;
    while (b > lo && e - b < 12 && !is_punct(d, b, '('))
        b--;
    return is_punct(d, b, '(') && b > lo ? b - 1 : e;
}

/* The noun phrase that opens a clause at token s, before hi: "Band member Flea",
 * "Former Secretary of State Madeleine Albright", "The president", "He". */
static int np_at_start(const sli_qdoc *d, size_t s, size_t hi, sli_qspeaker *sp)
{
    while (s < hi && d->tok[s].kind == SLI_QT_PUNCT &&
           (d->tok[s].ch == '-' || d->tok[s].ch == '(' || d->tok[s].ch == '*'))
        s++;
    if (s >= hi)
        return 0;
    int pr = pronoun_at(d, s);
    if (pr) {
        *sp = (sli_qspeaker){.start = d->tok[s].start, .end = d->tok[s].end, .tok = s,
                             .pronoun = pr};
        return 1;
    }
    /* conjunctions and sentence adverbs that open a clause: "But Trump", "And then he" */
    size_t k = 0;
    while (s + 1 < hi && k < 2 && d->tok[s].kind == SLI_QT_WORD && !nameword(d, s) &&
           !title_at(d, s) && !is_det(d, s) && (d->tok[s].flags & SLI_QF_SENT || k) &&
           (IN(d, s, relatives) || IN(d, s, skippable) || word_is(d, s, "so") ||
            word_is(d, s, "yet") || word_is(d, s, "now") || word_is(d, s, "meanwhile")))
        s++, k++;
    pr = pronoun_at(d, s);
    if (pr) {
        *sp = (sli_qspeaker){.start = d->tok[s].start, .end = d->tok[s].end, .tok = s,
                             .pronoun = pr};
        return 1;
    }
    size_t e = s, last_name = (size_t)-1;
    int det = is_det(d, s) && !(d->tok[s].flags & SLI_QF_POSS);
    if (det)
        e++;
    for (; e < hi && e - s < 10; e++) {
        const sli_qtok *t = &d->tok[e];
        if (t->kind != SLI_QT_WORD)
            break;
        if (nameword(d, e)) {
            last_name = e;
            if (t->flags & SLI_QF_POSS)
                break;
            continue;
        }
        if (title_at(d, e) || (t->flags & SLI_QF_CAP))
            continue;
        /* "of"/"for" inside a title ("Secretary of State"), a lower-case word between
         * two capitalised ones ("Band member Flea") */
        if (e + 1 < hi && (d->tok[e + 1].flags & SLI_QF_CAP) && !IN(d, e, relatives) &&
            !speech_verb_at(d, e) && !IN(d, e, skippable) &&
            !(t->end - t->start > 3 && (!memcmp(d->text + t->end - 2, "ed", 2) ||
                                        d->text[t->end - 1] == 's')))
            continue;
        break;
    }
    /* e: first token after the phrase */
    if (last_name != (size_t)-1 && last_name == e && (d->tok[e].flags & SLI_QF_POSS) &&
        e + 1 < hi && d->tok[e + 1].kind == SLI_QT_WORD && (d->tok[e + 1].flags & SLI_QF_LOWER) &&
        !speech_verb_at(d, e + 1)) {
        /* "Clinton’s response was:", "Hoff’s letter makes a case:" */
        set_desc(d, run_start(d, e, s), e + 1, sp);
        return 1;
    }
    if (last_name != (size_t)-1 && last_name + 1 == e && !(d->tok[last_name].flags & SLI_QF_POSS)) {
        set_name(d, run_start(d, last_name, s), last_name, sp);
        return 1;
    }
    if (last_name != (size_t)-1 && !(d->tok[last_name].flags & SLI_QF_POSS) && !det) {
        set_name(d, run_start(d, last_name, s), last_name, sp);
        return 1;
    }
    if (det) {
        /* "The president noted": the determiner and the words up to a verb */
        size_t de = s + 1;
        while (de < hi && de - s <= 4 && d->tok[de].kind == SLI_QT_WORD &&
               !speech_verb_at(d, de) && !IN(d, de, relatives) && !IN(d, de, skippable) &&
               !IN(d, de, prepositions) && !is_det(d, de) &&
               !(d->tok[de].end - d->tok[de].start > 3 &&
                 !memcmp(d->text + d->tok[de].end - 2, "ed", 2)))
            de++;
        if (de > s + 1 && de - s <= 4) {
            set_desc(d, s, de - 1, sp);
            return 1;
        }
    }
    return 0;
}

/* The subject of the clause that holds token v, looking back through at most SEG_MAX
 * comma segments for one that opens with a noun phrase: "Huma Abedin, vice chairwoman
 * ..., emailed supporters on Monday, telling them". */
static int clause_subject(const sli_qdoc *d, size_t v, size_t lo, sli_qspeaker *sp)
{
    size_t e = v;
    for (int seg = 0; seg < SEG_MAX && e > lo; seg++) {
        size_t s = e;
        /* quoted words inside the clause are passed over: Gore insisted it was
         * “premature” ... while adding, */
        while (s > lo && e - s < 60) {
            const sli_qtok *t = &d->tok[s - 1];
            if (t->kind == SLI_QT_OPEN || t->kind == SLI_QT_CLOSE || (t->flags & SLI_QF_INQ)) {
                s--;
                continue;
            }
            if (is_punct(d, s - 1, ',') || is_boundary(d, s - 1))
                break;
            s--;
        }
        /* a clause that opens with a quote starts after it: “...,” Blige sings ... */
        while (s < e && (d->tok[s].kind == SLI_QT_OPEN || d->tok[s].kind == SLI_QT_CLOSE ||
                         (d->tok[s].flags & SLI_QF_INQ) || is_punct(d, s, ',')))
            s++;
        if (is_boundary(d, s))
            return 0;
        if (s < v && np_at_start(d, s, v, sp)) {
            /* a participle's subject is not an adverbial ("In an interview") */
            return 1;
        }
        if (s <= lo + 1)
            break;
        e = s - 1; /* the comma */
    }
    return 0;
}

static int is_participle(const sli_qdoc *d, size_t v)
{
    const sli_qtok *t = &d->tok[v];
    return t->end - t->start > 4 && !memcmp(d->text + t->end - 3, "ing", 3);
}

/* The subject ending just before token v (a speech verb), not before lo. */
static int subject_before(const sli_qdoc *d, size_t v, size_t lo, sli_qspeaker *sp)
{
    if (v == lo && v > 0 && is_participle(d, v)) {
        /* “New York values,” saying the city ...: the participle opens what is left of
         * the clause after a quote; its subject is further back */
        size_t lo2 = v > BEFORE_WIN ? v - BEFORE_WIN : 0;
        return clause_subject(d, v - 1, lo2, sp);
    }
    if (v <= lo)
        return 0;
    size_t j = v - 1, k = 0;
    /* "saying" after a comma or a preposition ("..., saying", "by saying") is said by the
     * clause's subject */
    if (is_participle(d, v) && (is_punct(d, j, ',') || IN(d, j, prepositions) ||
                                is_punct(d, j, '-') || d->tok[j].kind == SLI_QT_CLOSE ||
                                (d->tok[v].flags & SLI_QF_SENT))) {
        /* the clause may hold a quote of its own: Trump told Newsmax that Romney
         * “had a crazy policy,” adding, “...” (clause_subject passes over it) */
        size_t lo2 = v > BEFORE_WIN ? v - BEFORE_WIN : 0;
        if (clause_subject(d, j, lo2 < lo ? lo2 : lo, sp))
            return 1;
        return 0;
    }
    /* "interjected to say", "had this to say", "went on to say": the clause's subject */
    if (word_is(d, j, "to") && !word_is(d, v, "according") && j > lo &&
        !(j >= lo + 2 && word_is(d, j - 1, "on") && word_is(d, j - 2, "went")) &&
        clause_subject(d, j, lo, sp))
        return 1;
    while (j > lo && k < SKIP_MAX && d->tok[j].kind == SLI_QT_WORD &&
           (IN(d, j, skippable) || ((d->tok[j].flags & SLI_QF_LOWER) &&
                                    d->tok[j].end - d->tok[j].start > 3 &&
                                    !memcmp(d->text + d->tok[j].end - 2, "ly", 2))))
        j--, k++;
    int pr = pronoun_at(d, j);
    if (pr) {
        *sp = (sli_qspeaker){.start = d->tok[j].start, .end = d->tok[j].end, .tok = j,
                             .pronoun = pr};
        return 1;
    }
    if (d->tok[j].kind == SLI_QT_WORD && (word_is(d, j, "another") || word_is(d, j, "others") ||
                                         word_is(d, j, "one") || word_is(d, j, "some") ||
                                         word_is(d, j, "many"))) {
        set_desc(d, j, j, sp); /* "Yet another said," */
        return 1;
    }
    if (word_is(d, j, "and") || word_is(d, j, "but")) {
        /* "Hayek confirmed she had been and said" */
        return j > lo && clause_subject(d, j - 1, lo, sp);
    }
    j = skip_paren_back(d, j, lo);
    /* comma segments, nearest first: a name wins, a description is kept as a fallback */
    sli_qspeaker desc = {0};
    int have_desc = 0;
    size_t e = j;
    for (int seg = 0; seg < SEG_MAX; seg++) {
        if (is_punct(d, e, ',') || is_punct(d, e, '-')) {
            if (e <= lo)
                break;
            e--;
            e = skip_paren_back(d, e, lo);
        }
        size_t s = e;
        while (s > lo && !is_punct(d, s - 1, ',') && !is_punct(d, s - 1, '-') &&
               !is_boundary(d, s - 1) && e - s < 40)
            s--;
        if (is_boundary(d, s))
            break;
        /* an aside between the subject and its verb: "Fiorina, speaking to Iowans, said",
         * "Blunt, after a long pause, said", "Clinton, exasperated, responded" */
        int aside = seg == 0 && e < j + 1 && (d->tok[s].flags & SLI_QF_LOWER) &&
                    (is_participle(d, s) || IN(d, s, prepositions) ||
                     (s == e && d->tok[s].end - d->tok[s].start > 2 &&
                      !memcmp(d->text + d->tok[s].end - 2, "ed", 2)));
        sli_qspeaker got;
        int r = aside ? 0 : segment_subject(d, s, e, &got);
        if (r == 2) {
            *sp = got;
            return 1;
        }
        if (r == 1 && !have_desc) {
            desc = got;
            have_desc = 1;
        }
        int apposition = aside || is_det(d, s) || IN(d, s, relatives) ||
                         (d->tok[s].kind == SLI_QT_WORD && d->text[d->tok[s].start] >= '0' &&
                          d->text[d->tok[s].start] <= '9') ||
                         (d->tok[s].kind == SLI_QT_WORD && is_participle(d, s));
        if (seg == 0 && !r && !apposition) {
            /* "Clinton supporters", "the Clinton campaign": lower-case head words back to
             * a name or a determiner that opens the segment */
            size_t b = e, w = 0;
            while (b > s && w < DESC_MAX_WORDS && d->tok[b].kind == SLI_QT_WORD &&
                   (d->tok[b].flags & SLI_QF_LOWER) && !is_det(d, b) &&
                   !IN(d, b, relatives) && !IN(d, b, prepositions))
                b--, w++;
            if (b < e && d->tok[b].kind == SLI_QT_WORD && (is_det(d, b) || nameword(d, b))) {
                size_t ds = b;
                if (nameword(d, b))
                    ds = run_start(d, b, s);
                if (ds > s && is_det(d, ds - 1))
                    ds--;
                /* the phrase opens the segment, or follows a word or two such as "As" */
                int opens = ds == s;
                if (!opens && ds > s && is_det(d, ds) && (d->tok[ds - 1].flags & SLI_QF_LOWER) &&
                    (IN(d, ds - 1, relatives) || IN(d, ds - 1, prepositions) ||
                     word_is(d, ds - 1, "as") || word_is(d, ds - 1, "because") ||
                     word_is(d, ds - 1, "if") || word_is(d, ds - 1, "since")))
                    opens = 1;
                if (!opens && ds - s <= 2 && is_det(d, ds)) {
                    opens = 1;
                    for (size_t t = s; t < ds; t++)
                        if (nameword(d, t) || d->tok[t].kind != SLI_QT_WORD)
                            opens = 0;
                }
                if (opens) {
                    set_desc(d, ds, e, sp);
                    return 1;
                }
            }
            /* "a White House official who spoke anonymously ... said" */
            for (size_t w2 = s + 1; w2 < e && w2 < s + DESC_MAX_WORDS; w2++)
                if (word_is(d, w2, "who")) {
                    sli_qspeaker got2;
                    if (segment_subject(d, s, w2 - 1, &got2)) {
                        *sp = got2;
                        return 1;
                    }
                    break;
                }
            int clause_start = s == lo || is_boundary(d, s - 1);
            if (clause_start && b == s && b < e && w <= 2 && d->tok[b].kind == SLI_QT_WORD &&
                (d->tok[b].flags & SLI_QF_LOWER) && !IN(d, b, prepositions)) {
                set_desc(d, b, e, sp); /* "officials said" at the clause start */
                return 1;
            }
            if (clause_start && b == s && b == e && d->tok[b].kind == SLI_QT_WORD &&
                (d->tok[b].flags & SLI_QF_LOWER) && !IN(d, b, prepositions) &&
                !IN(d, b, relatives) && d->text[d->tok[b].end - 1] == 's') {
                set_desc(d, b, e, sp);
                return 1;
            }
            break;
        }
        if (!r && !apposition)
            break;
        if (s <= lo)
            break;
        e = s - 1;
    }
    if (have_desc) {
        *sp = desc;
        return 1;
    }
    return 0;
}

/* The subject just after token k (after an inverted "said"), before hi. */
static int subject_after(const sli_qdoc *d, size_t k, size_t hi, sli_qspeaker *sp)
{
    if (k >= hi)
        return 0;
    int pr = pronoun_at(d, k);
    if (pr) {
        *sp = (sli_qspeaker){.start = d->tok[k].start, .end = d->tok[k].end, .tok = k,
                             .pronoun = pr};
        return 1;
    }
    /* the phrase must start at k: a name, a title, a determiner or a capitalised word
     * ("Democratic pollster Stan Greenberg"), not "of Cruz" or "on Capital Download" */
    if (d->tok[k].kind != SLI_QT_WORD ||
        ((d->tok[k].flags & SLI_QF_LOWER) &&
         (IN(d, k, prepositions) || IN(d, k, relatives) || IN(d, k, skippable))) ||
        (d->tok[k].end - d->tok[k].start > 3 && !memcmp(d->text + d->tok[k].end - 2, "ly", 2)))
        return 0;
    int lower_start = !(nameword(d, k) || title_at(d, k) || is_det(d, k) ||
                        (d->tok[k].flags & SLI_QF_CAP));
    size_t e = k;
    while (e + 1 < hi && e - k < 14 && !is_punct(d, e + 1, ',') && !is_boundary(d, e + 1) &&
           !is_punct(d, e + 1, '(') && !is_punct(d, e + 1, '-'))
        e++;
    /* "Del. Stacey Plaskett of the Virgin Islands": the name before "of", "from", "at" */
    for (size_t c = k + 1; c < e; c++)
        if ((d->tok[c].flags & SLI_QF_LOWER) && nameword(d, c - 1) &&
            (word_is(d, c, "of") || word_is(d, c, "from") || word_is(d, c, "at") ||
             word_is(d, c, "with") || word_is(d, c, "in"))) {
            e = c - 1;
            break;
        }
    /* the segment's last name run when it ends the segment, else its first */
    size_t t = k;
    while (t <= e && title_at(d, t))
        t++;
    if (t <= e && nameword(d, e) && !(d->tok[e].flags & SLI_QF_POSS)) {
        set_name(d, run_start(d, e, k), e, sp);
        return 1;
    }
    if (lower_start)
        return 0; /* "said former Sen. Evan Bayh" was taken above: it ends with the name */
    if (t <= e && nameword(d, t)) {
        size_t re = run_end(d, t, e + 1);
        if (!(d->tok[re].flags & SLI_QF_POSS)) {
            set_name(d, t, re, sp);
            return 1;
        }
    }
    /* a description: "the party's spokeswoman", "Ryan's spokeswoman, AshLee Strong" */
    if (is_det(d, k)) {
        size_t de = k;
        while (de < e && de - k < DESC_MAX_WORDS && !IN(d, de + 1, relatives))
            de++;
        if (e + 2 < hi && is_punct(d, e + 1, ',') && nameword(d, e + 2)) {
            size_t re = run_end(d, e + 2, hi);
            if (re + 1 >= hi || d->tok[re + 1].kind != SLI_QT_WORD) {
                set_name(d, e + 2, re, sp);
                return 1;
            }
        }
        set_desc(d, k, de, sp);
        return 1;
    }
    return 0;
}

static int according_at(const sli_qdoc *d, size_t t)
{
    return t + 1 < d->n_tok && word_is(d, t, "according") && word_is(d, t + 1, "to");
}

/* After part p's close: ", he said", "said X", "X told reporters". */
static int after_attr(const sli_qdoc *d, size_t p, size_t win, sli_qspeaker *sp)
{
    size_t k = d->part[p].tok_after, n = d->n_tok;
    /* “...” ― Sonya Herridge; “...”\n\n- Bernie Sanders. (a dash and a name: a byline of
     * the quote, on its line or the next) */
    {
        size_t dk = k;
        if (dk < n && d->tok[dk].kind == SLI_QT_PARA && d->part[p].para_start)
            dk++;
        if (dk + 1 < n && is_punct(d, dk, '-') && d->tok[dk + 1].kind == SLI_QT_WORD &&
            (d->tok[dk + 1].flags & SLI_QF_CAP)) {
            sli_qspeaker got = {0};
            size_t h2 = dk + 1 + AFTER_WIN < n ? dk + 1 + AFTER_WIN : n;
            if (subject_after(d, dk + 1, h2, &got) && got.is_name) {
                *sp = got;
                return 1;
            }
        }
    }
    if (k < n && d->tok[k].kind == SLI_QT_PUNCT &&
        (d->tok[k].ch == ',' || d->tok[k].ch == '-' || d->tok[k].ch == ')'))
        k++;
    size_t hi = k + win < n ? k + win : n;
    size_t v = k;
    for (; v < hi; v++) {
        if (is_boundary(d, v))
            return 0;
        if (according_at(d, v)) {
            if (v > k + 2)
                return 0;
            *sp = (sli_qspeaker){0};
            subject_after(d, v + 2, n < v + 2 + AFTER_WIN ? n : v + 2 + AFTER_WIN, sp);
            return 1;
        }
        if (speech_verb_at(d, v))
            break;
        if (d->tok[v].kind == SLI_QT_WORD && v == k && IN(d, v, relatives))
            return 0; /* “...,” which ... said */
    }
    if (v >= hi)
        return 0;
    *sp = (sli_qspeaker){0};
    if (v == k) {
        size_t s = v + 1;
        if (s < n && (word_is(d, s, "back") || word_is(d, s, "on") || word_is(d, s, "out")))
            s++;
        size_t h2 = s + AFTER_WIN < n ? s + AFTER_WIN : n;
        return subject_after(d, s, h2, sp) || 1;
    }
    if (v > k && (is_punct(d, v - 1, ',') || is_punct(d, v - 1, '-')) && IN(d, v, inverting)) {
        /* “...,” in sharp contrast to ..., says Dante Scala */
        size_t h2 = v + 1 + AFTER_WIN < n ? v + 1 + AFTER_WIN : n;
        if (subject_after(d, v + 1, h2, sp))
            return 1;
    }
    subject_before(d, v, k, sp);
    return 1;
}

/* Before part p's opening mark: "X said:", "X told reporters,", "according to X,". */
static int before_attr(const sli_qdoc *d, size_t p, sli_qspeaker *sp)
{
    size_t o = d->part[p].tok_open;
    if (!o)
        return 0;
    size_t j = o - 1;
    /* a quote that opens a paragraph, introduced by the one before: "Cruz continued:" */
    if (d->tok[j].kind == SLI_QT_PARA) {
        if (!j || !is_punct(d, j - 1, ':'))
            return 0;
        j--;
    }
    if (is_boundary(d, j))
        return 0; /* the quote opens a sentence */
    int colon = is_punct(d, j, ':');
    size_t lo = o > BEFORE_WIN ? o - BEFORE_WIN : 0;
    /* the clause start */
    size_t b = j;
    while (b > lo && !is_boundary(d, b - 1))
        b--;
    if (is_boundary(d, b))
        return 0;
    /* the nearest speech verb or "according to" */
    for (size_t v = j + 1; v-- > b;) {
        if (d->tok[v].kind != SLI_QT_WORD)
            continue;
        if (v + 1 <= j && according_at(d, v)) {
            *sp = (sli_qspeaker){0};
            subject_after(d, v + 2, o, sp);
            return 1;
        }
        /* "Asked about the claim, Rubio fired back:" — a passive opening, not the verb */
        if (v == b && word_is(d, v, "asked"))
            continue;
        if (speech_verb_at(d, v)) {
            *sp = (sli_qspeaker){0};
            if (subject_before(d, v, b, sp))
                return 1;
            if (v == b || (v == b + 1 && d->tok[b].kind == SLI_QT_WORD &&
                           (d->tok[b].flags & SLI_QF_SENT)))
                subject_after(d, v + 1, o, sp); /* "Said Trump: ..." */
            if (sp->start != sp->end || !colon)
                return 1;
            break; /* no subject found: the colon's rules below may give one */
        }
    }
    /* "Republican pollster Daron Shaw: “...”" — a name just before the colon (when no
     * speech verb gave the subject: "Priebus told Fox News:" is Priebus) */
    if (colon && j > b && nameword(d, j - 1) && !(d->tok[j - 1].flags & SLI_QF_POSS)) {
        int verb = 0;
        for (size_t v = b; v < j; v++)
            verb |= speech_verb_at(d, v) && !(v == b && word_is(d, v, "asked"));
        if (!verb) {
            set_name(d, run_start(d, j - 1, b), j - 1, sp);
            return 1;
        }
    }
    if (colon) {
        *sp = (sli_qspeaker){0};
        /* "From the report:", "More from the report:", "From Bush’s Facebook post:" */
        for (size_t f = b; f + 1 < j && f < b + 3; f++)
            if (word_is(d, f, "from") && np_at_start(d, f + 1, j, sp))
                return 1;
        /* "Trump took to Twitter to respond:" — the clause's subject */
        clause_subject(d, j, b > 0 ? b - 1 : 0, sp);
        return 1;
    }
    return 0;
}

int sli_qgap_is_attribution(const sli_qdoc *d, size_t a)
{
    size_t s = d->part[a].tok_after, e = d->part[a + 1].tok_open;
    if (e <= s || e - s > GAP_MAX)
        return 0;
    /* the next part starts a sentence or a clause: “A,” he said. “B” / he said, “b”; a
     * colon introduces a quote of its own (“A,” he said. His final assessment: “B”) */
    if (d->tok[e - 1].kind != SLI_QT_PUNCT ||
        (d->tok[e - 1].ch != '.' && d->tok[e - 1].ch != ',' && d->tok[e - 1].ch != '-'))
        return 0;
    /* the first part ended its sentence: “A.” He added, “B.” are two quotes */
    {
        const sli_qpart *p = &d->part[a];
        size_t ce = p->tok_after - 1; /* its close mark */
        if (ce > p->tok_open + 1 && is_punct(d, ce - 1, '.'))
            return 0;
    }
    int verb = 0, subject = 0;
    for (size_t t = s; t < e; t++) {
        if (d->tok[t].kind == SLI_QT_PARA)
            return 0;
        /* a sentence ends inside the gap: “A,” Franken said. Silverman responded, “B” */
        if (t + 1 < e && is_boundary(d, t))
            return 0;
        if (speech_verb_at(d, t) || according_at(d, t))
            verb = 1;
        else if (d->tok[t].kind == SLI_QT_WORD &&
                 (pronoun_at(d, t) || (d->tok[t].flags & SLI_QF_CAP) || is_det(d, t)))
            subject = 1;
    }
    if (!subject)
        return 0; /* “A,” adding, “B”: a new quote, not the same sentence resumed */
    /* “A,” Franken said. “B,” he said: two quotes, each with its attribution */
    sli_qspeaker own;
    if (verb && is_punct(d, e - 1, '.') && after_attr(d, a + 1, AFTER_WIN_STOP + 2, &own))
        return 0;
    return verb;
}

static int find_attr(const sli_qdoc *d, size_t first, size_t last, sli_qspeaker *sp)
{
    *sp = (sli_qspeaker){0};
    if (last > first)
        return after_attr(d, first, AFTER_WIN, sp);
    /* how the quoted words end: "...," asks for an attribution after */
    const sli_qpart *p = &d->part[last];
    char endch = 0;
    size_t ce = p->tok_after;
    if (p->closed && ce > 0)
        ce--; /* the close mark */
    if (ce > p->tok_open + 1 && d->tok[ce - 1].kind == SLI_QT_PUNCT)
        endch = d->tok[ce - 1].ch;
    if (p->closed && p->tok_after < d->n_tok && is_punct(d, p->tok_after, ','))
        endch = ',';
    /* the side looked at first wins when it gives a speaker; an attribution with no
     * speaker found ("..., before he stopped responding") lets the other side speak */
    sli_qspeaker other = {0};
    int found, found2;
    if (endch == ',' || endch == '?' || endch == '!' || endch == '-') {
        found = after_attr(d, last, AFTER_WIN, sp);
        if (found && sp->start != sp->end)
            return 1;
        found2 = before_attr(d, first, &other);
    } else {
        found = before_attr(d, first, sp);
        if (found && sp->start != sp->end)
            return 1;
        /* a quote that ends mid-sentence: “...” that Sanders can catch Clinton, said X */
        found2 = after_attr(d, last, endch == '.' ? AFTER_WIN_STOP : AFTER_WIN, &other);
    }
    if (found2 && other.start != other.end) {
        *sp = other;
        return 1;
    }
    return found || found2;
}

/* sli_qspeaker_find, and when it gives a pronoun while the other side of the quote names
 * someone ("Fallon fired back: “A,” he wrote, “B.”"), the name. */
static int find_attr(const sli_qdoc *d, size_t first, size_t last, sli_qspeaker *sp);

int sli_qspeaker_find(const sli_qdoc *d, size_t first, size_t last, sli_qspeaker *sp)
{
    int found = find_attr(d, first, last, sp);
    if (found && sp->pronoun) {
        sli_qspeaker other = {0};
        if (before_attr(d, first, &other) && other.is_name) {
            *sp = other;
            return 1;
        }
    }
    return found;
}

/* ---- the speaker as a string ---- */

static size_t put_span(const sli_qdoc *d, size_t s, size_t e, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = s; i < e && n + 1 < cap; i++) {
        char c = d->text[i];
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        out[n++] = c;
    }
    /* no cut UTF-8 sequence at the end */
    if (n && e - s > n) {
        while (n && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
            n--;
        if (n && ((unsigned char)out[n - 1] & 0xC0) == 0xC0)
            n--;
    }
    out[n] = '\0';
    return n;
}

/* The fullest name for the name ending at token e: the longest run of the article that
 * ends with the same word (and does not contradict a title's gender). */
static size_t lower_bound_mention(const sli_qlex *x, size_t at);

static size_t put_run(const sli_qdoc *d, size_t s, size_t e, char *out, size_t cap)
{
    while (s < e && title_at(d, s))
        s++;
    return put_span(d, d->tok[s].start, d->tok[e].start + word_len_bare(d, e), out, cap);
}

/* The name for the name ending at token sp->tok: a run of two words or more is kept as
 * printed ("Chris Murphy"); one word ("Murphy", "Mr. Clyburn") becomes the fuller form with
 * that last word the article prints most often (of the first FULL_FORMS seen; ties: the
 * first), else the word itself. */
static size_t name_string(const sli_qdoc *d, const sli_qspeaker *sp, size_t at, char *out,
                          size_t cap)
{
    const sli_qlex *x = d->lex;
    size_t e = sp->tok, s = run_start(d, e, 0);
    while (s < e && title_at(d, s))
        s++;
    if (run_words(d, s, e) >= 2)
        return put_run(d, s, e, out, cap);
    (void)at;
    qname *nm = name_slot(x, tok_hash(d, e), 0);
    if (nm && nm->n_forms) {
        int f = 0;
        for (int k = 1; k < nm->n_forms; k++)
            if (nm->form_n[k] > nm->form_n[f])
                f = k;
        return put_run(d, nm->form_s[f], nm->form_e[f], out, cap);
    }
    if (nm && nm->words > 0)
        return put_run(d, nm->best_s, nm->best_e - 1, out, cap);
    return put_span(d, sp->start, sp->end, out, cap);
}

static size_t lower_bound_mention(const sli_qlex *x, size_t at)
{
    size_t lo = 0, hi = x->n_mention;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->mention[mid] < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Whether out[0..n) is a bare pronoun, which is never given as a speaker. */
static int bare_pronoun(const char *out, size_t n)
{
    static const char *const p[] = {"he", "she", "they", "it", "we", "i", "you", "him",
                                    "her", "them", "his", "its", "their", "us", "me"};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
        size_t m = strlen(p[i]);
        if (m != n)
            continue;
        size_t k = 0;
        while (k < n && (out[k] | 0x20) == p[i][k])
            k++;
        if (k == n)
            return 1;
    }
    return 0;
}

static size_t speaker_string(const sli_qdoc *d, const sli_qspeaker *sp, size_t at, char *out,
                             size_t cap);

size_t sli_qspeaker_string(const sli_qdoc *d, const sli_qspeaker *sp, size_t at, char *out,
                           size_t cap)
{
    size_t n = speaker_string(d, sp, at, out, cap);
    if (n && bare_pronoun(out, n)) {
        out[0] = '\0';
        return 0;
    }
    return n;
}

static size_t speaker_string(const sli_qdoc *d, const sli_qspeaker *sp, size_t at, char *out,
                             size_t cap)
{
    if (!cap)
        return 0;
    out[0] = '\0';
    if (sp->pronoun) {
        if (sp->pronoun != 'm' && sp->pronoun != 'f')
            return 0;
        const sli_qlex *x = d->lex;
        size_t pos = sp->tok < at ? sp->tok : at;
        size_t i = lower_bound_mention(x, pos);
        for (size_t k = 0; i > 0 && k < RESOLVE_MENTIONS; k++) {
            i--;
            if (pos - x->mention[i] > RESOLVE_TOKENS)
                break;
            const qname *nm = &x->names[x->mention_name[i]];
            int g = gender_of(nm);
            if (g && g != sp->pronoun)
                continue;
            sli_qspeaker r = {.tok = x->mention[i], .is_name = 1,
                              .start = d->tok[x->mention[i]].start,
                              .end = d->tok[x->mention[i]].end};
            return name_string(d, &r, pos, out, cap);
        }
        return 0;
    }
    if (sp->start == sp->end)
        return 0;
    if (sp->is_name)
        return name_string(d, sp, at, out, cap);
    return put_span(d, sp->start, sp->end, out, cap);
}


int sli_qtitle_like(const sli_qdoc *d, size_t first, size_t last)
{
    size_t o = d->part[first].tok_open;
    if (!o || d->tok[o - 1].kind != SLI_QT_WORD)
        return 0;
    size_t j = o - 1;
    /* on NBC’s “Meet the Press”, in “Lilyhammer” (a determiner is not enough: Trump called
     * it “an absolute disgrace” is his words) */
    if (!((d->tok[j].flags & SLI_QF_POSS) ||
          ((d->tok[j].flags & SLI_QF_LOWER) && IN(d, j, prepositions))))
        return 0;
    /* unless an attribution follows right after: “...,” he said */
    size_t k = d->part[last].tok_after, n = d->n_tok;
    if (k < n && is_punct(d, k, ','))
        k++;
    for (size_t v = k; v < n && v < k + 3; v++) {
        if (is_boundary(d, v))
            break;
        if (speech_verb_at(d, v))
            return 0;
    }
    return 1;
}

/* ---- the table of listed words ---- */

#define QL(l) [L_##l] = {l, sizeof l / sizeof l[0]}
static const struct {
    const char *const *list;
    size_t n;
} qlists[L_COUNT] = {QL(speech_verbs), QL(inverting), QL(pronouns_m), QL(pronouns_f),
                     QL(pronouns_p),   QL(titles_m),  QL(titles_f),   QL(titles_n),
                     QL(not_names),    QL(particles), QL(determiners), QL(skippable),
                     QL(relatives),    QL(prepositions)};
#undef QL

sl_error sli_qwords_build(sli_qwords **out)
{
    *out = NULL;
    size_t total = 0;
    for (int l = 0; l < L_COUNT; l++)
        total += qlists[l].n;
    sli_qwords *W = calloc(1, sizeof *W);
    if (!W)
        return SL_ERR_NOMEM;
    W->cap = pow2_at_least(2 * total + 2);
    W->slot = calloc(W->cap, sizeof *W->slot);
    if (!W->slot) {
        free(W);
        return SL_ERR_NOMEM;
    }
    size_t m = W->cap - 1;
    for (int l = 0; l < L_COUNT; l++)
        for (size_t k = 0; k < qlists[l].n; k++) {
            const char *w = qlists[l].list[k];
            uint64_t h = hash_word(w, strlen(w));
            size_t i = h & m;
            /* one slot per hash: two listed words never share a 64-bit hash (and a
             * token is checked against the word itself after the hash matches) */
            while (W->slot[i].w && W->slot[i].h != h)
                i = (i + 1) & m;
            W->slot[i].w = w;
            W->slot[i].h = h;
            W->slot[i].mask |= 1u << l;
        }
    *out = W;
    return SL_OK;
}

void sli_qwords_free(sli_qwords *W)
{
    if (!W)
        return;
    free(W->slot);
    free(W);
}
