/* line_counts.c — the cleaner's repetition statistics without a store (the public
 * sl_line_counts): how many articles of each source print each line, and how many sources
 * print it, counted as a batch counts them (each line of 300 characters or fewer once per
 * article), kept, written, merged with counts made elsewhere, and read by the cleaner as
 * it reads the store's (sl_write_text_clean_counted). Workers that each count their shard
 * and merge the counts clean every article against all of them, as one batch does.
 *
 * A (source, line) pair is known by a 64-bit key mixed from both; two pairs that mix to
 * one key (a chance of n^2 / 2^65 among n pairs) would share a count. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <xxhash.h>

#include "../clean/clean.h"
#include "../core/buf.h"
#include "../core/grow.h"
#include "../core/json_writer.h"
#include "../core/u64map.h"
#include "line_counts.h"

/* The most sources a line is counted in, as the store's look-up counts them (lines.c:
 * LIMIT 64). */
#define SOURCES_CAP 64
/* The most articles a count read from elsewhere may say (sums of them stay far from
 * overflowing). */
#define COUNT_MAX (1LL << 40)

typedef struct lc_source {
    char *name;
    long long articles;
} lc_source;

typedef struct lc_pair {
    uint64_t line;
    size_t source;
    long long articles;
} lc_pair;

struct sl_line_counts {
    lc_source *source;
    size_t nsources, cap;
    u64map by_name;  /* hash of a source's name -> index + 1 */
    lc_pair *pair;
    size_t npairs, pairs_cap;
    u64map pairs;    /* key of (source, line) -> index + 1 into pair */
    u64map sources;  /* line hash -> sources that print it */
    clean_result lines;
    buf norm;
};

sl_error sl_line_counts_create(sl_line_counts **out)
{
    if (!out)
        return SL_ERR_INVALID;
    *out = NULL;
    sl_line_counts *c = calloc(1, sizeof *c);
    if (!c)
        return SL_ERR_NOMEM;
    sli_clean_result_init(&c->lines, BUF_UNLIMITED);
    sli_buf_init(&c->norm, BUF_UNLIMITED);
    if (sli_u64map_init(&c->by_name, 64) || sli_u64map_init(&c->pairs, 4096) ||
        sli_u64map_init(&c->sources, 4096)) {
        sl_line_counts_free(c);
        return SL_ERR_NOMEM;
    }
    *out = c;
    return SL_OK;
}

void sl_line_counts_free(sl_line_counts *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nsources; i++)
        free(c->source[i].name);
    free(c->source);
    free(c->pair);
    sli_u64map_free(&c->by_name);
    sli_u64map_free(&c->pairs);
    sli_u64map_free(&c->sources);
    sli_clean_result_free(&c->lines);
    sli_buf_free(&c->norm);
    free(c);
}

static uint64_t pair_key(uint64_t line, size_t source)
{
    uint64_t k[2] = {line, (uint64_t)source};
    return XXH3_64bits(k, sizeof k);
}

/* The index + 1 of source `name` (len bytes), or 0 when absent; *key: the name map's key
 * where it is, or where it goes (two names of one hash: the next key). */
static size_t find_source(const sl_line_counts *c, const char *name, size_t len, uint64_t *key)
{
    uint64_t h = XXH3_64bits(name, len);
    for (;;) {
        const uint64_t *v = sli_u64map_get(&c->by_name, h);
        if (!v || !*v) { /* (0: a slot an earlier failure left empty: taken next) */
            *key = h;
            return 0;
        }
        const lc_source *s = &c->source[*v - 1];
        if (strlen(s->name) == len && !memcmp(s->name, name, len))
            return (size_t)*v;
        h = XXH3_64bits_withSeed(&h, sizeof h, 1);
    }
}

/* The index of source `name` (len bytes), added when new. */
static sl_error source_index(sl_line_counts *c, const char *name, size_t len, size_t *at)
{
    uint64_t key;
    size_t found = find_source(c, name, len, &key);
    if (found) {
        *at = found - 1;
        return SL_OK;
    }
    uint64_t *v;
    sl_error err = sli_u64map_put(&c->by_name, key, &v, NULL);
    if (err)
        return err;
    lc_source *grown = sli_grow_array(c->source, &c->cap, c->nsources + 1, sizeof *grown, 16);
    char *copy = grown ? malloc(len + 1) : NULL;
    if (grown)
        c->source = grown;
    if (!copy) {
        *v = 0; /* the slot stays empty: no source has index -1 */
        return SL_ERR_NOMEM;
    }
    memcpy(copy, name, len);
    copy[len] = '\0';
    c->source[c->nsources] = (lc_source){copy, 0};
    *v = ++c->nsources;
    *at = c->nsources - 1;
    return SL_OK;
}

/* Add n articles of `source` that print `line`. */
static sl_error count_pair(sl_line_counts *c, uint64_t line, size_t source, long long n)
{
    lc_pair *room = sli_grow_array(c->pair, &c->pairs_cap, c->npairs + 1, sizeof *room, 4096);
    if (!room)
        return SL_ERR_NOMEM; /* first: a key once added must have its pair */
    c->pair = room;
    uint64_t *v;
    int added;
    sl_error err = sli_u64map_put(&c->pairs, pair_key(line, source), &v, &added);
    if (err)
        return err;
    if (!added) {
        c->pair[*v - 1].articles += n;
        return SL_OK;
    }
    c->pair[c->npairs] = (lc_pair){line, source, n};
    *v = ++c->npairs;
    uint64_t *s;
    err = sli_u64map_put(&c->sources, line, &s, NULL);
    if (!err)
        ++*s;
    return err;
}

sl_error sl_line_counts_add(sl_line_counts *c, const char *source, const char *raw, size_t len)
{
    if (!c || (!raw && len))
        return SL_ERR_INVALID;
    source = source && *source ? source : "unknown"; /* as a batch names it */
    size_t at;
    sl_error err = source_index(c, source, strlen(source), &at);
    if (!err)
        err = sli_clean_split(raw ? raw : "", len, &c->lines, &c->norm);
    if (err)
        return err;
    sli_buf_clear(&c->norm);
    c->source[at].articles++;
    /* Each line once per article: a line printed twice is counted once. */
    u64map seen;
    err = sli_u64map_init_set(&seen, c->lines.n);
    for (size_t i = 0; i < c->lines.n && !err; i++) {
        const clean_line *l = &c->lines.lines[i];
        if (l->chars > CLEAN_COUNTED_CHARS)
            continue;
        int added;
        err = sli_u64map_put(&seen, l->hash, NULL, &added);
        if (!err && added)
            err = count_pair(c, l->hash, at, 1);
    }
    sli_u64map_free(&seen);
    return err;
}

/* --- written and read back: a JSON object, {"sources": [[name, articles], ...],
 * "pairs": [[line as 16 hex digits, source index, articles], ...]}, whole or a part of
 * the lines --- */

/* The articles of every source together that print each line of part `part` of `parts`,
 * into *totals: by line, or by the line's tally key (`by_key`: lines of one key summed). */
static sl_error line_totals(const sl_line_counts *c, unsigned part, unsigned parts,
                            int by_key, u64map *totals)
{
    sl_error err = sli_u64map_init(totals, 1024);
    for (size_t i = 0; !err && i < c->npairs; i++) {
        uint64_t line = c->pair[i].line;
        if (line % parts != part)
            continue;
        uint64_t *v;
        err = sli_u64map_put(totals, by_key ? sli_line_key(line) : line, &v, NULL);
        if (!err)
            *v += (uint64_t)c->pair[i].articles; /* far from 2^64 */
    }
    return err;
}

/* What a writing of the counts writes: a part of the lines, and of them only the repeated
 * ones (totals: the lines' articles) or only those a tally keeps, or all. */
typedef struct which {
    unsigned part, parts;
    const u64map *totals;
    const sl_line_tally *kept;
} which;

static int written(const lc_pair *p, const which *w)
{
    return p->line % w->parts == w->part &&
           (!w->totals || *sli_u64map_get(w->totals, p->line) >= CLEAN_REPEATS_MATTER) &&
           (!w->kept || sli_line_tally_repeated(w->kept, p->line));
}

static sl_error write_counts(const sl_line_counts *c, unsigned part, unsigned parts,
                             int repeated, const sl_line_tally *kept, sl_write_fn fn,
                             void *user)
{
    if (!c || !fn || !parts || part >= parts)
        return SL_ERR_INVALID;
    u64map totals = {0};
    sl_error err = repeated ? line_totals(c, part, parts, 0, &totals) : SL_OK;
    /* Each source's index in the part: part 0 names every source (it carries their
     * articles), another part those its pairs name. */
    size_t *at = !err && c->nsources ? malloc(2 * c->nsources * sizeof *at) : NULL;
    if (!err && c->nsources && !at)
        err = SL_ERR_NOMEM;
    if (err) {
        sli_u64map_free(&totals);
        return err;
    }
    which w = {part, parts, repeated ? &totals : NULL, kept};
    for (size_t i = 0; i < c->nsources; i++)
        at[i] = part == 0 ? i : SIZE_MAX;
    size_t named = part == 0 ? c->nsources : 0;
    for (size_t i = 0; part != 0 && i < c->npairs; i++)
        if (written(&c->pair[i], &w) && at[c->pair[i].source] == SIZE_MAX)
            at[c->pair[i].source] = named++;
    jw j;
    sli_jw_init(&j, fn, user, 0);
    sli_jw_begin_object(&j);
    sli_jw_key(&j, "sources");
    sli_jw_begin_array(&j);
    size_t *of = at ? at + c->nsources : NULL; /* of[at[i]] = i (no sources: none) */
    for (size_t i = 0; i < c->nsources; i++)
        if (at[i] != SIZE_MAX)
            of[at[i]] = i;
    for (size_t k = 0; k < named; k++) {
        size_t i = of[k];
        sli_jw_begin_array(&j);
        sli_jw_string(&j, c->source[i].name);
        sli_jw_int(&j, part == 0 ? c->source[i].articles : 0);
        sli_jw_end_array(&j);
    }
    sli_jw_end_array(&j);
    sli_jw_key(&j, "pairs");
    sli_jw_begin_array(&j);
    for (size_t i = 0; i < c->npairs; i++) {
        const lc_pair *p = &c->pair[i];
        if (!written(p, &w))
            continue;
        sli_jw_begin_array(&j);
        sli_jw_hex64(&j, p->line);
        sli_jw_int(&j, (long long)at[p->source]);
        sli_jw_int(&j, p->articles);
        sli_jw_end_array(&j);
    }
    sli_jw_end_array(&j);
    sli_jw_end_object(&j);
    sli_u64map_free(&totals);
    free(at);
    return sli_jw_finish(&j);
}

sl_error sl_line_counts_write(const sl_line_counts *c, sl_write_fn fn, void *user)
{
    return write_counts(c, 0, 1, 0, NULL, fn, user);
}

sl_error sl_line_counts_write_part(const sl_line_counts *c, unsigned part, unsigned parts,
                                   int repeated, sl_write_fn fn, void *user)
{
    return write_counts(c, part, parts, repeated, NULL, fn, user);
}

sl_error sl_line_counts_write_kept(const sl_line_counts *c, const sl_line_tally *kept,
                                   sl_write_fn fn, void *user)
{
    if (!kept)
        return SL_ERR_INVALID;
    return write_counts(c, 0, 1, 0, kept, fn, user);
}

sl_error sl_line_counts_write_lines(const sl_line_counts *c, unsigned part, unsigned parts,
                                    sl_write_fn fn, void *user)
{
    if (!c || !fn || !parts || part >= parts)
        return SL_ERR_INVALID;
    u64map keys = {0}; /* key -> the articles of its lines in every source (capped when
                          written) */
    sl_error err = line_totals(c, part, parts, 1, &keys);
    if (!err)
        err = sli_line_keys_write(&keys, fn, user);
    sli_u64map_free(&keys);
    return err;
}

/* One JSON value of a given type, or NULL. */
static json_object *typed(json_object *o, size_t i, json_type t)
{
    json_object *v = json_object_array_get_idx(o, i);
    return v && json_object_is_type(v, t) ? v : NULL;
}

sl_error sl_line_counts_merge(sl_line_counts *c, const char *data, size_t len)
{
    if (!c || (!data && len))
        return SL_ERR_INVALID;
    json_tokener *tok = json_tokener_new();
    if (!tok)
        return SL_ERR_NOMEM;
    json_object *o = json_tokener_parse_ex(tok, data ? data : "", (int)len);
    int whole = o && json_tokener_get_error(tok) == json_tokener_success &&
                json_tokener_get_parse_end(tok) == len && len <= 0x7fffffff;
    json_tokener_free(tok);
    json_object *sources = NULL, *pairs = NULL;
    sl_error err = whole && json_object_object_get_ex(o, "sources", &sources) &&
                           json_object_object_get_ex(o, "pairs", &pairs) &&
                           json_object_is_type(sources, json_type_array) &&
                           json_object_is_type(pairs, json_type_array)
                       ? SL_OK
                       : SL_ERR_JSON;
    /* Checked whole before anything is counted: a bad document changes nothing. */
    size_t ns = err ? 0 : json_object_array_length(sources);
    for (size_t i = 0; !err && i < ns; i++) {
        json_object *e = typed(sources, i, json_type_array), *name, *n;
        if (!e || !(name = typed(e, 0, json_type_string)) ||
            strlen(json_object_get_string(name)) != (size_t)json_object_get_string_len(name) ||
            !(n = typed(e, 1, json_type_int)) ||
            json_object_get_int64(n) < 0 || json_object_get_int64(n) > COUNT_MAX)
            err = SL_ERR_JSON;
    }
    size_t np = err ? 0 : json_object_array_length(pairs);
    for (size_t i = 0; !err && i < np; i++) {
        json_object *e = typed(pairs, i, json_type_array), *line, *src, *n;
        if (!e || !(line = typed(e, 0, json_type_string)) || json_object_get_string_len(line) != 16 ||
            strspn(json_object_get_string(line), "0123456789abcdef") != 16 ||
            !(src = typed(e, 1, json_type_int)) || !(n = typed(e, 2, json_type_int)) ||
            json_object_get_int64(src) < 0 || (uint64_t)json_object_get_int64(src) >= ns ||
            json_object_get_int64(n) < 1 || json_object_get_int64(n) > COUNT_MAX)
            err = SL_ERR_JSON;
    }
    /* Their source indexes as ours. */
    size_t *ours = !err && ns ? malloc(ns * sizeof *ours) : NULL;
    if (!err && ns && !ours)
        err = SL_ERR_NOMEM;
    for (size_t i = 0; !err && i < ns; i++) {
        json_object *e = json_object_array_get_idx(sources, i);
        json_object *name = json_object_array_get_idx(e, 0);
        err = source_index(c, json_object_get_string(name),
                           (size_t)json_object_get_string_len(name), &ours[i]);
        if (!err)
            c->source[ours[i]].articles += json_object_get_int64(json_object_array_get_idx(e, 1));
    }
    for (size_t i = 0; !err && i < np; i++) {
        json_object *e = json_object_array_get_idx(pairs, i);
        uint64_t line = strtoull(json_object_get_string(json_object_array_get_idx(e, 0)), NULL, 16);
        size_t src = ours[json_object_get_int64(json_object_array_get_idx(e, 1))];
        err = count_pair(c, line, src, json_object_get_int64(json_object_array_get_idx(e, 2)));
    }
    free(ours);
    json_object_put(o);
    return err;
}

/* The cleaner's look-up (clean_input.lookup) against counts: each line's articles of the
 * article's source and sources that print it (at most SOURCES_CAP, as the store's). */
static void lookup(void *user, const uint64_t *hashes, size_t n, clean_repeats *out)
{
    const line_counts_lookup *k = user;
    for (size_t i = 0; i < n; i++) {
        const uint64_t *v = sli_u64map_get(&k->c->pairs, pair_key(hashes[i], k->source));
        const uint64_t *s = sli_u64map_get(&k->c->sources, hashes[i]);
        out[i].same_source = v ? (long)k->c->pair[*v - 1].articles : 0;
        out[i].sources = s ? (long)(*s < SOURCES_CAP ? *s : SOURCES_CAP) : 0;
    }
}

sl_error sli_line_counts_input(const sl_line_counts *c, const char *source, clean_input *in,
                               line_counts_lookup *k)
{
    source = source && *source ? source : "unknown";
    uint64_t key;
    size_t found = find_source(c, source, strlen(source), &key);
    if (!found)
        return SL_ERR_NOT_FOUND; /* a source the counts never saw */
    *k = (line_counts_lookup){c, found - 1};
    in->source_articles = c->source[k->source].articles;
    in->lookup = lookup;
    in->user = k;
    return SL_OK;
}
