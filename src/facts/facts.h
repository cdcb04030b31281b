/* facts.h — what an article says: quotes and their speakers, entities, amounts and the
 * dates it mentions; and, per event, which quotes are one utterance (internal, the facts
 * stage).
 *
 * Extraction is per article and pure: text in, an sli_facts out, no store, no globals
 * but the read-only context, so the pipeline runs it on its worker threads. Every string
 * in an sli_facts is owned by it (malloc'd, NUL-terminated, UTF-8) and freed by
 * sli_facts_clear. Offsets are bytes into the text given. */
#ifndef SL_FACTS_H
#define SL_FACTS_H

#include <stddef.h>

#include "storyline.h"
#include "../core/u64map.h"

typedef enum sli_quote_kind {
    SLI_QUOTE_SPEECH = 0, /* words someone said or wrote */
    SLI_QUOTE_PHRASE = 1  /* scare quotes, a quoted title or term: no speaker */
} sli_quote_kind;

typedef enum sli_entity_type {
    SLI_ENTITY_PERSON = 0,
    SLI_ENTITY_ORG = 1,
    SLI_ENTITY_PLACE = 2
} sli_entity_type;

typedef struct sli_quote {
    char *text;          /* the quoted words without the marks; the parts of a quote broken
                          * by "he said" joined by one space */
    char *speaker;       /* the fullest name the article gives; NULL when unknown */
    sli_quote_kind kind;
    size_t offset;       /* where the first part starts in the text */
} sli_quote;

typedef struct sli_entity {
    char *name;          /* the fullest form in the article ("Kim Jong Un" for "Kim") */
    sli_entity_type type;
    int count;           /* mentions in the article, aliases included */
} sli_entity;

typedef struct sli_amount {
    char *text;          /* as printed: "2,50,000 farmers", "$3.5 billion" */
    double value;        /* 250000, 3.5e9 */
    char *unit;          /* "farmers", "USD", "percent"; NULL when none */
    size_t offset;
} sli_amount;

typedef struct sli_date_ref {
    char *text;          /* as printed: "last Tuesday", "in May", "the 2017 accord" */
    char value[11];      /* ISO: "2008", "2008-03" or "2008-03-04" */
    size_t offset;
} sli_date_ref;

typedef struct sli_facts {
    sli_quote *quotes;
    size_t n_quotes, cap_quotes;
    sli_entity *entities;
    size_t n_entities, cap_entities;
    sli_amount *amounts;
    size_t n_amounts, cap_amounts;
    sli_date_ref *dates;
    size_t n_dates, cap_dates;
} sli_facts;

/* Read-only data the extractors share (the gazetteer, the word list): built once, used by
 * any number of threads at a time. Created from the Debian data files when present
 * (docs/facts.md says which); without them extraction still works, less well. */
typedef struct sli_facts_ctx sli_facts_ctx;
sl_error sli_facts_ctx_create(sli_facts_ctx **out);
void sli_facts_ctx_free(sli_facts_ctx *ctx);

/* ---- entities (deliverable 3): where the context's data files are ----
 * Each path may be NULL or name a missing file: that part is left out, no error. */
typedef struct sli_facts_paths {
    const char *countries; /* iso-codes: iso_3166-1.json */
    const char *regions;   /* iso-codes: iso_3166-2.json */
    const char *zones;     /* tzdata: zone.tab */
    const char *zones_alt; /* tzdata: zone1970.tab, read when zones gave nothing */
    const char *words;     /* wamerican: /usr/share/dict/american-english */
    const char *currencies; /* iso-codes: iso_4217.json (codes that are no names) */
} sli_facts_paths;
/* Debian's paths (sli_facts_ctx_create uses them). */
void sli_facts_default_paths(sli_facts_paths *p);
/* A context from the files named (paths NULL: an empty context). */
sl_error sli_facts_ctx_create_from(sli_facts_ctx **out, const sli_facts_paths *paths);

/* Everything in text[0..len) into *out (zeroed by the caller, or cleared). date is the
 * article's publication date "YYYY-MM-DD" (relative dates resolve against it) or NULL.
 * Time and memory are linear in len. SL_ERR_NOMEM leaves *out valid but partial. */
sl_error sli_facts_extract(const sli_facts_ctx *ctx, const char *text, size_t len,
                           const char *date, sli_facts *out);
/* Frees what *f holds and zeroes it; NULL is fine. */
void sli_facts_clear(sli_facts *f);

/* Appenders: copy the strings given (len bytes; speaker/unit may be NULL). */
sl_error sli_facts_add_quote(sli_facts *f, const char *text, size_t len,
                             const char *speaker, size_t speaker_len, sli_quote_kind kind,
                             size_t offset);
sl_error sli_facts_add_entity(sli_facts *f, const char *name, size_t len,
                              sli_entity_type type, int count);
sl_error sli_facts_add_amount(sli_facts *f, const char *text, size_t len, double value,
                              const char *unit, size_t unit_len, size_t offset);
sl_error sli_facts_add_date(sli_facts *f, const char *text, size_t len, const char *value,
                            size_t offset);

/* The extractors sli_facts_extract runs, in this order (each appends to out; speakers
 * may use the entities found before them). */
sl_error sli_entities_find(const sli_facts_ctx *ctx, const char *text, size_t len,
                           sli_facts *out);
sl_error sli_quotes_find(const sli_facts_ctx *ctx, const char *text, size_t len,
                         sli_facts *out);
sl_error sli_amounts_find(const char *text, size_t len, sli_facts *out);
sl_error sli_date_refs_find(const char *text, size_t len, const char *date, sli_facts *out);

/* ---- entities over several articles (an event) ----
 * Adds ents[0..n) into acc->entities: a name that is the same entity as one there (the same
 * name, or an alias: "Kim" of "Kim Jong Un", "Mr. Clyburn" of "James Clyburn") adds its
 * count to it and keeps the fuller name; others are appended. Linear-ish in the total. */
sl_error sli_entities_merge(sli_facts *acc, const sli_entity *ents, size_t n);

/* ---- entities over several articles, resumed (docs/facts-entities.md, "Resuming") ----
 * The merge's whole state: the entities so far (all of them, in the order they came) and
 * the index that finds them (names, acronyms and first/last words, as the merge left them:
 * a name's old forms included). sli_entities_merge_more adds ents[0..n) exactly as one
 * sli_entities_merge of everything in order would; saved and loaded, the state resumes
 * the merge in a later batch. A zeroed sli_entity_merge is an empty one. */
typedef struct sli_entity_merge {
    sli_facts acc;
    u64map full, ends;
    char **first;        /* per entity: the name it came with, when renamed since (else NULL) */
    size_t cap_first;
    struct sli_entity_rename {
        uint64_t hash;   /* a fuller name's, set to the entity it renamed */
        size_t entity;
    } *renames;          /* in order */
    size_t n_renames, cap_renames;
} sli_entity_merge;
sl_error sli_entities_merge_more(sli_entity_merge *m, const sli_entity *ents, size_t n);
void sli_entity_merge_clear(sli_entity_merge *m); /* empty, keeping its room */
void sli_entity_merge_free(sli_entity_merge *m);
/* The state appended to out. */
struct buf;
sl_error sli_entity_merge_save(const sli_entity_merge *m, struct buf *out);
/* m made the state data[0..len) holds: *ok 1; or, when it does not read as one (damaged),
 * *ok 0 and m empty. SL_ERR_NOMEM leaves m empty. */
sl_error sli_entity_merge_load(sli_entity_merge *m, const void *data, size_t len, int *ok);

/* ---- quote variants (one event) ----
 * The quotes printed by an event's articles; grouped into utterances: quotes that are one
 * thing said (typos, trimming, a sentence more or less, "1,00,000" for "100,000"). */
typedef struct sli_quote_seen {
    const char *text;      /* as printed */
    const char *speaker;   /* NULL when unknown */
    sli_quote_kind kind;
    const char *article;   /* the article's id */
    const char *date;      /* its publication date "YYYY-MM-DD", or NULL */
    long long order;       /* tie-break between equal dates: the article's row id */
} sli_quote_seen;

/* group[i] receives the utterance of seen[i] (0 .. *n_groups-1; utterances numbered by
 * their earliest quote: date, then order), canonical[g] the index in seen of the wording
 * that stands for utterance g (caller gives n slots for each). Different quotes are never
 * merged: a shared phrase is not enough. Near-linear in the total words (candidates come
 * from shared word shingles, not all pairs). */
sl_error sli_quotes_group(const sli_quote_seen *seen, size_t n, size_t *group,
                          size_t *canonical, size_t *n_groups);
/* ---- quote variants: the work done (area: robust / variants) ----
 * sli_quotes_group, and *work (if not NULL) gets the steps it took (postings scanned,
 * tokens aligned): the tests check it stays linear in the words. */
sl_error sli_quotes_group_counted(const sli_quote_seen *seen, size_t n, size_t *group,
                                  size_t *canonical, size_t *n_groups, size_t *work);
/* ---- quote variants, resumed (docs/facts-variants.md, "Resuming") ----
 * sli_quotes_group_counted, which also writes into *memo_out (when not NULL) a memo of
 * what it found (cleared: none). Given the memo of an earlier call (memo_in[0..memo_len),
 * NULL: none), when these quotes in their order begin with the quotes that memo was made
 * from, the pairs among those are not compared again: *resumed (when not NULL) says so.
 * The result is the same as without the memo; a memo that does not fit is ignored. */
struct buf;
sl_error sli_quotes_group_memo(const sli_quote_seen *seen, size_t n, size_t *group,
                               size_t *canonical, size_t *n_groups, size_t *work,
                               const void *memo_in, size_t memo_len, struct buf *memo_out,
                               int *resumed);

/* The facts as DESIGN.md's `facts` object: {"quotes": [...], "entities": [...],
 * "amounts": [...], "dates": [...]}. */
struct jw;
void sli_facts_write_json(struct jw *w, const sli_facts *f);
/* The same with an empty "quotes" array: the object as the store keeps it, its quotes
 * kept as rows beside it and put back when read (docs/store-size.md, "Fourth round"). */
void sli_facts_write_json_stored(struct jw *w, const sli_facts *f);

/* The entities of a facts object's "entities" array, as the writer above wrote it (the
 * array's text: json[0..len)), in order: fn(user, name, type, count), the strings valid
 * during the call. SL_ERR_STORE when it does not read as one. */
sl_error sli_facts_read_entities(const char *json, size_t len,
                                 sl_error (*fn)(void *user, const char *name, const char *type,
                                                long long count),
                                 void *user);

const char *sli_entity_type_name(sli_entity_type type);   /* "person", "org", "place" */
const char *sli_quote_kind_name(sli_quote_kind kind);     /* "speech", "phrase" */

#endif
