/* event_store.h — the cluster stage's tables: events, their key terms, each article's
 * event, document frequencies (internal).
 *
 * A centroid is saved as one blob: a uint32 marker ("SLE" and the number of views), then
 * for each view in order a uint32 term count and that many (uint64 term, float weight,
 * float idf, float q) terms, in the machine's byte order (a store is not moved between
 * machines of different endianness). Blobs of older stores still load: "SLD" (no q: q 0)
 * and "SLC" (no IDF either: IDF 0). */
#ifndef SL_CLUSTER_EVENT_STORE_H
#define SL_CLUSTER_EVENT_STORE_H

#include "../store/store.h"
#include "engine.h"

typedef struct event_store {
    sl_store *st;
    sqlite3_stmt *by_key, *load, *save, *put_key, *put_article, *family_event, *put_df;
    sqlite3_stmt *members, *article, *drop, *drop_key, *move, *article_event, *get_df;
} event_store;

sl_error sli_event_store_open(sl_store *st, event_store *es);
void sli_event_store_close(event_store *es);

/* The newest `max` events found by term, into ids; how many in *n. */
sl_error sli_event_store_by_key(event_store *es, uint64_t term, long long *ids, size_t max,
                            size_t *n);
/* Load event id into *ev (its centroid allocated; free with the event). */
sl_error sli_event_store_load(event_store *es, long long id, cevent *ev);
sl_error sli_event_store_save(event_store *es, const cevent *ev);
sl_error sli_event_store_put_key(event_store *es, uint64_t term, long long event);
sl_error sli_event_store_put_article(event_store *es, long long rid, long long event);
/* The event of a stored member of the family founded by `family` (0 if none). */
sl_error sli_event_store_family_event(event_store *es, long long family, long long *event);
/* Add n articles to term's document frequency; *df gets the sum. */
sl_error sli_event_store_add_df(event_store *es, uint64_t term, long long n, long long *df);
/* Term's document frequency (0 if never counted). */
sl_error sli_event_store_df(event_store *es, uint64_t term, long long *df);

/* The rids of event id's articles, with their families (0 if none), through fn. */
sl_error sli_event_store_members(event_store *es, long long id,
                             sl_error (*fn)(void *user, long long rid, long long family),
                             void *user);
/* fn(user, title, text, len, date) with a stored article's title (NULL if none), cleaned
 * text text[0..len) and date (NULL if none), valid during the call; SL_ERR_NOT_FOUND if
 * there is no such article. */
sl_error sli_event_store_article(event_store *es, long long rid,
                             sl_error (*fn)(void *user, const char *title, const char *text,
                                            size_t len, const char *date),
                             void *user);
/* A stored article's event and that event's article count (0 and 0 if it has none). */
sl_error sli_event_store_article_event(event_store *es, long long rid, long long *event,
                                   long long *articles);
/* The largest rid placed in an event (0 if none): a larger one is new to the stage. */
sl_error sli_event_store_last_placed(sl_store *st, long long *rid);
/* Forget event id (its article rows and key terms are left: rewritten, or stale and
 * dropped by sli_event_store_drop_key when a search meets them). */
sl_error sli_event_store_drop(event_store *es, long long id);
/* Forget that term finds event (a stale key of a dropped event, met by a search). */
sl_error sli_event_store_drop_key(event_store *es, uint64_t term, long long event);

/* The open events (see store.c), newest first, with their article counts: read into a
 * malloc'd array (*out, *n); or replaced by ids[0..n). */
typedef struct open_event {
    long long id;
    long long articles;
} open_event;
sl_error sli_event_store_open_ids(sl_store *st, open_event **out, size_t *n);
sl_error sli_event_store_set_open(sl_store *st, const long long *ids, size_t n);

/* Counters: "docs" (articles clustered), "event_ids" (the largest event id given). */
sl_error sli_event_store_counter(sl_store *st, const char *name, long long *value);
sl_error sli_event_store_set_counter(sl_store *st, const char *name, long long value);
/* The largest event id given (0 if none): one that is gone is not given again. */
sl_error sli_event_store_max_id(sl_store *st, long long *id);
/* Every article's family (rid -> founding rid) in batch, through fn. */
sl_error sli_event_store_batch_families(sl_store *st, long long batch,
                                    sl_error (*fn)(void *user, long long rid, long long family),
                                    void *user);
/* Storylines: every event of storyline `from` moves to `to`. */
sl_error sli_event_store_move_storyline(event_store *es, long long from, long long to);
/* Forget every event (re-cleaning clusters all articles again). */
sl_error sli_event_store_clear(sl_store *st);

#endif
