/* agglo.h — placing a chunk of articles into events: average-link agglomeration
 * (internal).
 *
 * The chunk's articles (in date order) and the engine's events they find by key terms are
 * clusters; the two with the strongest link (sli_engine_link) become one, again and again,
 * until no link reaches the join bar. Two events the engine held before never merge (their
 * ids stay); a cluster of new articles that meets an event takes its id, one that meets
 * none becomes a new event, ids given in chunk order, except that one holding articles
 * reopened from an event (see run.c) takes back that event's id. An article whose family
 * is in an event already starts in that event; copies in the chunk start together. */
#ifndef SL_CLUSTER_AGGLO_H
#define SL_CLUSTER_AGGLO_H

#include "engine.h"

/* a[0..n): the chunk; into[i]: the event article i's family is in already (0 if none);
 * group[i]: the position of the first article of i's family in the chunk (i if none);
 * was[i]: the event article i was in before it was reopened (0 if none): a new event
 * takes back the id of its first such article, unless that id is taken. into, group and
 * was may be NULL. The engine must hold every event into[] names. event[i] gets article
 * i's event. */
sl_error sli_agglo_place(engine *e, const avec *a, const long long *into, const uint32_t *group,
                     const long long *was, size_t n, long long *event);

#endif
