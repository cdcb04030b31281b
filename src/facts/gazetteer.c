/* gazetteer.c — the extractors' read-only context: a gazetteer of places and a word list,
 * both from Debian open data, loaded once (docs/facts-entities.md).
 *
 *   iso-codes  /usr/share/iso-codes/json/iso_3166-1.json  countries (name, common_name,
 *                                                         official_name)
 *              /usr/share/iso-codes/json/iso_3166-2.json  subdivisions (regions, states)
 *   tzdata     /usr/share/zoneinfo/zone.tab (zone1970.tab) cities ("Europe/Paris" -> Paris)
 *              /usr/share/iso-codes/json/iso_4217.json    currency codes ("USD": no name)
 *   wamerican  /usr/share/dict/american-english           the word list: "apple" is a word,
 *                                                         "Boeing" only a name
 *
 * A missing or unreadable file is not an error: that part of the context stays empty and
 * extraction does without it. Country adjectives ("Russian", "North Korean") are derived
 * from the country names by suffix rules checked against the word list, beside a short
 * table of irregular ones (linguistic data: France -> French). */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/u64map.h"
#include "../text/ascii.h"
#include "entities_int.h"
#include "quotes_int.h"

struct sli_facts_ctx {
    u64map words;  /* name hash of a listed word -> SLI_WORD_* */
    u64map places; /* name hash of a place or country adjective -> SLI_GAZ_* */
    int has_words;
    sli_qwords *qwords; /* speaker.c's word lists, for every article */
    u64map lexmap;      /* entities.c's lexicon, for every article */
};

const u64map *sli_gaz_lexmap(const sli_facts_ctx *ctx)
{
    return ctx ? &ctx->lexmap : NULL;
}

const sli_qwords *sli_facts_ctx_qwords(const sli_facts_ctx *ctx)
{
    return ctx ? ctx->qwords : NULL;
}

void sli_facts_default_paths(sli_facts_paths *p)
{
    p->countries = "/usr/share/iso-codes/json/iso_3166-1.json";
    p->regions = "/usr/share/iso-codes/json/iso_3166-2.json";
    p->zones = "/usr/share/zoneinfo/zone.tab";
    p->zones_alt = "/usr/share/zoneinfo/zone1970.tab";
    p->words = "/usr/share/dict/american-english";
    p->currencies = "/usr/share/iso-codes/json/iso_4217.json";
}

/* The whole file in a malloc'd NUL-terminated block; NULL with *err 0 when it cannot be
 * read (not an error here), NULL with SL_ERR_NOMEM when memory ran out. */
static char *slurp(const char *path, size_t *len, sl_error *err)
{
    *err = SL_OK;
    if (!path)
        return NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 65536) {
            size_t ncap = cap ? cap * 2 : 1u << 20;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                *err = SL_ERR_NOMEM;
                return NULL;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static sl_error mark(u64map *m, uint64_t key, unsigned bits)
{
    uint64_t *v;
    sl_error e = sli_u64map_put(m, key, &v, NULL);
    if (e)
        return e;
    *v |= bits;
    return SL_OK;
}

unsigned sli_gaz_word(const sli_facts_ctx *ctx, uint64_t key)
{
    if (!ctx)
        return 0;
    const uint64_t *v = sli_u64map_get(&ctx->words, key);
    return v ? (unsigned)*v : 0;
}

unsigned sli_gaz_place(const sli_facts_ctx *ctx, uint64_t key)
{
    if (!ctx)
        return 0;
    const uint64_t *v = sli_u64map_get(&ctx->places, key);
    return v ? (unsigned)*v : 0;
}

int sli_gaz_has_words(const sli_facts_ctx *ctx)
{
    return ctx && ctx->has_words;
}

/* ---- the word list: one word a line; "Boeing" capitalised, "apple" not ---- */

static sl_error load_words(sli_facts_ctx *ctx, const char *path)
{
    size_t n = 0;
    sl_error e;
    char *buf = slurp(path, &n, &e);
    if (!buf)
        return e;
    e = sli_u64map_reserve(&ctx->words, 120000);
    for (size_t i = 0; !e && i < n;) {
        size_t j = i;
        while (j < n && buf[j] != '\n')
            j++;
        size_t end = j;
        if (end > i && buf[end - 1] == '\r')
            end--;
        /* possessives ("Boeing's") add nothing */
        if (end > i && !memchr(buf + i, '\'', end - i)) {
            unsigned char c = (unsigned char)buf[i];
            /* "Élan" and "élan": a non-ASCII first letter reads as lower case (rare) */
            unsigned bit = c >= 'A' && c <= 'Z' ? SLI_WORD_CAP : SLI_WORD_LOWER;
            /* a word list line is one token: its token hash is its name hash */
            uint64_t h = sli_name_hash_token(SLI_NAME_HASH_INIT, buf + i, end - i, 1);
            e = mark(&ctx->words, sli_name_hash_finish(h), bit);
        }
        i = j + 1;
    }
    if (!e)
        ctx->has_words = ctx->words.n > 0;
    free(buf);
    return e;
}

/* ---- places ---- */

static int is_ordinary_word(const sli_facts_ctx *ctx, const char *s, size_t n)
{
    return (sli_gaz_word(ctx, sli_name_hash(s, n)) & SLI_WORD_LOWER) != 0;
}

static size_t count_tokens(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && (s[i] == ' ' || s[i] == '-'))
            i++;
        if (i < n)
            k++;
        while (i < n && s[i] != ' ' && s[i] != '-')
            i++;
    }
    return k;
}

/* Adds the place s[0..n) of kind bits. A one-word region or city that is also an ordinary
 * word ("Central", "Phoenix") is left out: as a place it would mostly be wrong. */
static sl_error add_place(sli_facts_ctx *ctx, const char *s, size_t n, unsigned bits)
{
    while (n && s[0] == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    if (n < 2)
        return SL_OK;
    size_t k = count_tokens(s, n);
    if (k == 0 || k > SLI_GAZ_MAX_TOKENS)
        return SL_OK;
    if (k == 1 && !(bits & (SLI_GAZ_COUNTRY | SLI_GAZ_DEMONYM)) && is_ordinary_word(ctx, s, n))
        return SL_OK;
    return mark(&ctx->places, sli_name_hash(s, n), bits);
}

/* Irregular country adjectives and short forms that iso-codes does not give (linguistic
 * and geographic data, not news names). "" adjective: a short form only. */
static const struct {
    const char *country, *adjective;
} irregular[] = {
    {"France", "French"},        {"Netherlands", "Dutch"},      {"Holland", "Dutch"},
    {"Switzerland", "Swiss"},    {"United Kingdom", "British"}, {"Britain", "British"},
    {"Great Britain", "British"}, {"Greece", "Greek"},          {"Spain", "Spanish"},
    {"Sweden", "Swedish"},       {"Denmark", "Danish"},         {"Norway", "Norwegian"},
    {"Philippines", "Filipino"}, {"Thailand", "Thai"},          {"Turkey", "Turkish"},
    {"Poland", "Polish"},        {"Finland", "Finnish"},        {"Ireland", "Irish"},
    {"Iceland", "Icelandic"},    {"Portugal", "Portuguese"},    {"Lebanon", "Lebanese"},
    {"Cyprus", "Cypriot"},       {"Belgium", "Belgian"},        {"Germany", "German"},
    {"United States", "American"}, {"America", "American"},     {"Wales", "Welsh"},
    {"Scotland", "Scottish"},    {"England", "English"},        {"Afghanistan", "Afghan"},
    {"Czechia", "Czech"},        {"Czech Republic", "Czech"},   {"Slovakia", "Slovak"},
    {"Saudi Arabia", "Saudi"},   {"Madagascar", "Malagasy"},    {"Israel", "Israeli"},
    {"Russia", "Russian"},       {"Syria", "Syrian"},           {"Vietnam", "Vietnamese"},
    {"Laos", "Lao"},             {"Burma", "Burmese"},          {"Macedonia", "Macedonian"},
    {"Europe", "European"},      {"Africa", "African"},         {"Asia", "Asian"},
    {"Arab", "Arab"},            {"Kosovo", "Kosovar"},         {"Taiwan", "Taiwanese"},
    {"Palestine", "Palestinian"}, {"Hong Kong", ""},            {"Korea", "Korean"},
    {"Antarctica", ""},          {"North America", ""},         {"South America", ""},
    {"Latin America", "Latin American"}, {"Middle East", ""},
    /* abbreviations printed for countries ("U.S." reads as "US") */
    {"US", ""},                  {"UK", ""},                    {"UAE", ""},
};

/* Country adjective candidates by suffix rules ("Korea" -> "Korean", "China" ->
 * "Chinese", "Japan" -> "Japanese", "Italy" -> "Italian", "Iraq" -> "Iraqi"), kept when
 * the word list has them capitalised. */
static sl_error add_demonyms(sli_facts_ctx *ctx, const char *name, size_t n)
{
    /* the adjective of a several-word name: the last word's, after the others
     * ("North Korea" -> "North Korean") */
    size_t last = n;
    while (last > 0 && name[last - 1] != ' ')
        last--;
    const char *w = name + last;
    size_t wn = n - last;
    if (wn < 3 || wn > 40 || !ctx->has_words)
        return SL_OK;
    static const struct {
        unsigned char drop;
        const char *add;
    } rule[] = {{0, "n"}, {0, "an"}, {0, "ian"}, {0, "ese"}, {0, "i"},   {1, "an"},
                {1, "ian"}, {1, "ese"}, {1, "n"}, {1, ""},   {2, "ian"}, {2, "an"}};
    for (size_t r = 0; r < sizeof rule / sizeof rule[0]; r++) {
        char cand[64];
        size_t keep = wn - rule[r].drop, al = strlen(rule[r].add);
        if (keep < 3 || keep + al >= sizeof cand)
            continue;
        memcpy(cand, w, keep);
        memcpy(cand + keep, rule[r].add, al);
        size_t cl = keep + al;
        if (cl == wn && !memcmp(cand, w, wn))
            continue;
        unsigned f = sli_gaz_word(ctx, sli_name_hash(cand, cl));
        if (!(f & SLI_WORD_CAP) || (f & SLI_WORD_LOWER))
            continue;
        /* "Niger" + "ian" is the adjective of Nigeria: still a place word; a country name
         * is not an adjective of another */
        if (sli_gaz_place(ctx, sli_name_hash(cand, cl)) & SLI_GAZ_COUNTRY)
            continue;
        char full[160];
        if (last + cl >= sizeof full)
            continue;
        memcpy(full, name, last);
        memcpy(full + last, cand, cl);
        sl_error e = add_place(ctx, full, last + cl, SLI_GAZ_DEMONYM);
        if (e)
            return e;
    }
    return SL_OK;
}

/* A country's names: "Korea, Republic of" gives "Korea"; "X of Y" official names give Y
 * parts too ("United Kingdom of Great Britain and Northern Ireland"). */
static sl_error add_country_name(sli_facts_ctx *ctx, const char *s, int adjectives)
{
    size_t n = strlen(s);
    const char *comma = memchr(s, ',', n);
    size_t m = comma ? (size_t)(comma - s) : n;
    sl_error e = add_place(ctx, s, m, SLI_GAZ_COUNTRY);
    if (!e && comma)
        e = add_place(ctx, s, n, SLI_GAZ_COUNTRY);
    if (!e && adjectives)
        e = add_demonyms(ctx, s, m);
    return e;
}

static const char *str_field(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* The array under `key` in the JSON file at path; NULL (and *err 0) when unreadable. */
static json_object *load_json(const char *path, const char *key, json_object **root,
                              sl_error *err)
{
    size_t n = 0;
    *root = NULL;
    char *buf = slurp(path, &n, err);
    if (!buf || n > (size_t)0x7fffffff) {
        free(buf);
        return NULL;
    }
    json_tokener *tok = json_tokener_new();
    if (!tok) {
        free(buf);
        *err = SL_ERR_NOMEM;
        return NULL;
    }
    /* json-c does not say when an allocation failed; errno does (see read_jsonl.c) */
    errno = 0;
    json_object *o = json_tokener_parse_ex(tok, buf, (int)n);
    json_tokener_free(tok);
    free(buf);
    if (errno == ENOMEM) {
        json_object_put(o);
        *err = SL_ERR_NOMEM;
        return NULL;
    }
    json_object *arr;
    if (!o || !json_object_object_get_ex(o, key, &arr) ||
        !json_object_is_type(arr, json_type_array)) {
        json_object_put(o);
        return NULL;
    }
    *root = o;
    return arr;
}

static sl_error load_countries(sli_facts_ctx *ctx, const char *path)
{
    json_object *root;
    sl_error e;
    json_object *arr = load_json(path, "3166-1", &root, &e);
    if (!arr)
        return e;
    size_t n = json_object_array_length(arr);
    /* names first, adjectives after: an adjective must not be a country's name */
    for (int pass = 0; pass < 2 && !e; pass++) {
        for (size_t i = 0; i < n && !e; i++) {
            json_object *c = json_object_array_get_idx(arr, i);
            const char *keys[] = {"name", "common_name", "official_name"};
            for (int k = 0; k < 3 && !e; k++) {
                const char *s = str_field(c, keys[k]);
                if (s)
                    e = pass == 0 ? add_country_name(ctx, s, 0)
                                  : (k < 2 ? add_country_name(ctx, s, 1) : SL_OK);
            }
        }
    }
    json_object_put(root);
    return e;
}

static sl_error load_regions(sli_facts_ctx *ctx, const char *path)
{
    json_object *root;
    sl_error e;
    json_object *arr = load_json(path, "3166-2", &root, &e);
    if (!arr)
        return e;
    size_t n = json_object_array_length(arr);
    for (size_t i = 0; i < n && !e; i++) {
        const char *s = str_field(json_object_array_get_idx(arr, i), "name");
        if (!s)
            continue;
        /* "Bruxelles-Capitale, Région de": the part before the comma */
        const char *comma = strchr(s, ',');
        size_t m = comma ? (size_t)(comma - s) : strlen(s);
        /* "Paris [Lutetia]"-style notes in brackets are left out */
        const char *br = memchr(s, '[', m);
        if (br)
            m = (size_t)(br - s);
        e = add_place(ctx, s, m, SLI_GAZ_REGION);
    }
    json_object_put(root);
    return e;
}

/* tzdata's zone.tab: "FR<TAB>+4852+00220<TAB>Europe/Paris[<TAB>comment]". */
static sl_error load_zones(sli_facts_ctx *ctx, const char *path)
{
    size_t n = 0;
    sl_error e;
    char *buf = slurp(path, &n, &e);
    if (!buf)
        return e;
    for (size_t i = 0; !e && i < n;) {
        size_t j = i;
        while (j < n && buf[j] != '\n')
            j++;
        if (buf[i] != '#') {
            /* the third field */
            size_t f = i;
            int tabs = 0;
            while (f < j && tabs < 2)
                if (buf[f++] == '\t')
                    tabs++;
            size_t end = f;
            while (end < j && buf[end] != '\t' && buf[end] != '\r')
                end++;
            size_t slash = end;
            while (slash > f && buf[slash - 1] != '/')
                slash--;
            if (tabs == 2 && slash > f) {
                char city[128];
                size_t cl = end - slash;
                if (cl > 0 && cl < sizeof city) {
                    for (size_t k = 0; k < cl; k++)
                        city[k] = buf[slash + k] == '_' ? ' ' : buf[slash + k];
                    e = add_place(ctx, city, cl, SLI_GAZ_CITY);
                }
            }
        }
        i = j + 1;
    }
    free(buf);
    return e;
}

static sl_error load_currencies(sli_facts_ctx *ctx, const char *path)
{
    json_object *root;
    sl_error e;
    json_object *arr = load_json(path, "4217", &root, &e);
    if (!arr)
        return e;
    size_t n = json_object_array_length(arr);
    for (size_t i = 0; i < n && !e; i++) {
        const char *s = str_field(json_object_array_get_idx(arr, i), "alpha_3");
        if (s && strlen(s) == 3)
            e = mark(&ctx->places, sli_name_hash(s, 3), SLI_GAZ_CURRENCY);
    }
    json_object_put(root);
    return e;
}

static sl_error load_irregular(sli_facts_ctx *ctx)
{
    sl_error e = SL_OK;
    for (size_t i = 0; i < sizeof irregular / sizeof irregular[0] && !e; i++) {
        e = add_place(ctx, irregular[i].country, strlen(irregular[i].country), SLI_GAZ_COUNTRY);
        if (!e && irregular[i].adjective[0])
            e = add_place(ctx, irregular[i].adjective, strlen(irregular[i].adjective),
                          SLI_GAZ_DEMONYM);
    }
    return e;
}

sl_error sli_facts_ctx_create_from(sli_facts_ctx **out, const sli_facts_paths *paths)
{
    *out = NULL;
    sli_facts_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return SL_ERR_NOMEM;
    sl_error e = sli_qwords_build(&ctx->qwords);
    if (!e)
        e = sli_ent_lexicon_map(&ctx->lexmap);
    if (!e)
        e = sli_u64map_init(&ctx->words, 16);
    if (!e)
        e = sli_u64map_init(&ctx->places, 1024);
    if (!e && paths) {
        /* the word list first: the places are checked against it */
        e = load_words(ctx, paths->words);
        if (!e)
            e = load_irregular(ctx);
        if (!e)
            e = load_countries(ctx, paths->countries);
        if (!e)
            e = load_regions(ctx, paths->regions);
        if (!e)
            e = load_currencies(ctx, paths->currencies);
        if (!e) {
            size_t before = ctx->places.n;
            e = load_zones(ctx, paths->zones);
            if (!e && ctx->places.n == before)
                e = load_zones(ctx, paths->zones_alt);
        }
    }
    if (e) {
        sli_facts_ctx_free(ctx);
        return e;
    }
    *out = ctx;
    return SL_OK;
}

sl_error sli_facts_ctx_create(sli_facts_ctx **out)
{
    sli_facts_paths p;
    sli_facts_default_paths(&p);
    return sli_facts_ctx_create_from(out, &p);
}

void sli_facts_ctx_free(sli_facts_ctx *ctx)
{
    if (!ctx)
        return;
    sli_u64map_free(&ctx->words);
    sli_u64map_free(&ctx->places);
    sli_qwords_free(ctx->qwords);
    sli_u64map_free(&ctx->lexmap);
    free(ctx);
}
