/* event_blob.h — an event saved and loaded: its centroid as one blob (internal, cluster
 * stage). The SQL is the store's (src/store/events.c); this is the layout.
 *
 * A centroid is saved as one blob: a uint32 marker ("SLH" and the number of views), a
 * byte of bases and that many doubles (base = articles + 1 + idf_prior of a batch that
 * weighted terms), a byte of tf weights and that many floats, then for each view in order
 * a uint32 term count, a bitmap of one bit a term (set: its q is its weight squared and
 * not written), a byte saying whether the view's weights are coded (then a double, inv)
 * and that many terms: the id in 5 bytes, least significant first (a term id, sli_term_id:
 * under 2^40), [float weight, when not coded], a varint code for the
 * IDF (0: the float follows; else code - 1 = base + bases x df, the IDF being
 * (float)(ln(base / (df + 1)) + 1), engine.c's formula), [when coded: a varint, 0 and the
 * float weight, or k: the weight is (float)((float)(tf weight k x IDF) x inv), as
 * sli_engine_vector makes an article's], [float q]. A code is written only where it gives
 * the float back bit for bit (checked as it is written). In the machine's byte order (a
 * store is not moved between machines of different endianness). Blobs of older stores
 * still load, their uint64 ids (whole hashes) taken to term ids as read: "SLG" (the same
 * as "SLH" with those ids), "SLF" (no bases, no weights' codes: every float written), "SLE" (no
 * bitmap, every q), "SLD" (no q: q 0) and "SLC" (no IDF either: IDF 0). */
#ifndef SL_CLUSTER_EVENT_BLOB_H
#define SL_CLUSTER_EVENT_BLOB_H

#include "../store/store.h"
#include "engine.h"

/* Load event id into *ev (its centroid allocated; free with the event). A damaged blob
 * is SL_ERR_STORE, one of another layout SL_ERR_STORE_VERSION, each with a message on
 * the store. */
sl_error sli_event_load(store_events *es, long long id, cevent *ev);
/* What a run keeps of the IDFs it writes (event_blob.c says what and why); NULL from new
 * when out of memory. */
typedef struct idf_memo idf_memo;
idf_memo *sli_idf_memo_new(void);
void sli_idf_memo_free(idf_memo *m);

/* Save (insert or replace) ev; memo (may be NULL: none kept) spares computing again what
 * it holds: the same blob either way. */
sl_error sli_event_save(store_events *es, idf_memo *memo, const cevent *ev);

/* sli_event_save in parts, for saving on several threads (event_save.c): ev's centroid
 * blob (malloc'd, *len bytes: the caller frees it), or NULL with *err (SL_ERR_NOMEM, or
 * SL_ERR_INVALID for a term that is no term id); it touches nothing but ev (read) and
 * memo, one memo a thread. Then the row that saves ev with it. */
unsigned char *sli_event_blob(idf_memo *memo, const cevent *ev, size_t *len, sl_error *err);
store_event_row sli_event_row(const cevent *ev, const void *blob, size_t len);

/* The events of e changed since loaded or made (dirty) saved, in e's order: their blobs
 * made, and packed when the store lets (sli_store_event_packers), SAVE_BLOCK at a time on
 * the team's threads, then put on this one in order. The same rows as sli_event_save of
 * each in turn. */
struct workers;
sl_error sli_event_save_dirty(store_events *es, engine *e, struct workers *team);

#endif
