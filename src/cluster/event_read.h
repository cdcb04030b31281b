/* event_read.h — event and storyline objects by id, for the pages of the lists
 * (export/lists.c). */
#ifndef SL_CLUSTER_EVENT_READ_H
#define SL_CLUSTER_EVENT_READ_H

#include "../core/json_writer.h"
#include "../store/store.h"

/* The event objects (docs/output.md) of ids[0..n), in that order, to w (an id that is
 * gone is passed over). */
sl_error sli_events_json(sl_store *st, const long long *ids, size_t n, jw *w);
/* The storyline objects, with their timelines, of storylines ids[0..n). */
sl_error sli_storylines_json(sl_store *st, const long long *ids, size_t n, jw *w);

#endif
