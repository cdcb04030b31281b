/* clean_store.h — cleaning articles held in the store (internal, clean stage).
 *
 * During a batch, the line hashes of each new article are counted per source in memory
 * (sli_clean_counts_note); at commit they are added to the store (sli_clean_counts_flush), and
 * then every article of the batch is cleaned against the updated counts, so the order of
 * articles within a batch does not matter. sli_clean_stored() re-cleans earlier articles with
 * the counts as they are now: cleaning improves as the corpus grows. */
#ifndef SL_CLEAN_STORE_H
#define SL_CLEAN_STORE_H

#include "../store/store.h"
#include "clean.h"

typedef struct clean_counts clean_counts;

/* A batch's line counts, empty; freed with sli_clean_counts_free (accepts NULL). */
sl_error sli_clean_counts_create(clean_counts **out);
void sli_clean_counts_free(clean_counts *c);
/* Count the distinct short lines of one new article of `source` (split by sli_clean_split). */
sl_error sli_clean_counts_note(clean_counts *c, sl_store *st, const char *source,
                           const clean_result *lines);
/* Add what was counted to the store, and forget it. */
sl_error sli_clean_counts_flush(clean_counts *c, sl_store *st);

/* An article as it was cleaned (valid until the chunk is done). */
typedef struct clean_done {
    long long rid;
    const char *text; /* cleaned */
    size_t len;
    long long chars;  /* Unicode characters in text */
    const char *date; /* NULL when undated */
    const char *title, *byline, *credit; /* NULL when none */
} clean_done;

/* Articles are cleaned CLEAN_CHUNK at a time, on up to CLEAN_MAX_THREADS threads (one a
 * processor, the caller's among them); a chunk is labelled while the chunk before it is
 * saved, so two are under way: their articles take slots 0..CLEAN_SLOTS-1. */
#define CLEAN_CHUNK 128
#define CLEAN_SLOTS (2 * CLEAN_CHUNK)
#define CLEAN_MAX_THREADS 8

/* What the next stage does with each cleaned article, so that it need not read it back:
 * prepare(user, thread, slot, a), CPU work only (no store), runs on any of the cleaning
 * threads (thread < CLEAN_MAX_THREADS) for the article in `slot` (slot < CLEAN_SLOTS),
 * concurrently with the other slots' prepare and with done of the articles of other
 * slots; then done(user, slot, a) on the calling thread, in rid order, after the article
 * is saved. Either may be NULL. An error either returns stops the run. */
typedef struct clean_sink {
    sl_error (*prepare)(void *user, unsigned thread, unsigned slot, const clean_done *a);
    sl_error (*done)(void *user, unsigned slot, const clean_done *a);
    void *user;
} clean_sink;

/* Clean the articles of `batch` (0: every article) and save text, title, date, byline and
 * credit; hand each to `sink` (may be NULL). *empty (may be NULL) gets the number of
 * articles left with no text. */
sl_error sli_clean_stored(sl_store *st, long long batch, const clean_sink *sink, long long *empty);

/* Clean one article without saving, and hand each raw line with its label to fn. */
typedef int (*clean_explain_fn)(void *user, const char *line, size_t len, clean_label label,
                                const char *why, const char *detail);
sl_error sli_clean_explain(sl_store *st, const char *id, clean_explain_fn fn, void *user);

#endif
