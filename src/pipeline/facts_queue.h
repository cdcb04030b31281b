/* facts_queue.h — articles' facts extracted beside the stages after cleaning (internal).
 *
 * Nothing reads an article's facts before the facts stage, which comes after the placing;
 * the placing keeps one core busy and leaves most of the second idle (docs/profile.md,
 * "Fifteenth round"). So the facts are not extracted on the cleaning threads (where they
 * were half of the cleaning's work) but queued: each cleaned article's input copied in
 * (sli_facts_queue_put), extracted on a thread of the queue's own at the lowest priority
 * while the caller matches and places (sli_facts_queue_start), and handed back in the
 * order queued, on the calling thread, which takes on what is left itself
 * (sli_facts_queue_finish). The facts are those extracted on the cleaning threads, saved
 * in the same order: only when they are computed and saved moves.
 *
 * Ownership: the queue copies what it is given; the facts and JSON a finish hands over
 * are the queue's, valid during the call. */
#ifndef SL_PIPELINE_FACTS_QUEUE_H
#define SL_PIPELINE_FACTS_QUEUE_H

#include <stddef.h>

#include "storyline.h" /* sl_error */

struct sli_facts;
struct sli_facts_ctx;

typedef struct facts_queue facts_queue;

/* ctx: the extractors' data, read-only, outliving the queue. max_bytes: the input it holds
 * before sli_facts_queue_full says so (the caller then extracts and hands over what it
 * holds): a bound on its memory, with the facts extracted from that input on top (they
 * are held until the finish too). */
sl_error sli_facts_queue_create(const struct sli_facts_ctx *ctx, size_t max_bytes,
                                facts_queue **out);
/* Stops the queue's thread (after the article it is on) and frees what it holds. */
void sli_facts_queue_free(facts_queue *q);

/* Article rid queued: its headline, cleaned text (len bytes) and date (each may be NULL),
 * copied. Not while started. */
sl_error sli_facts_queue_put(facts_queue *q, long long rid, const char *title,
                             const char *text, size_t len, const char *date);

/* Whether max_bytes of input are held: time to extract and hand them over. */
int sli_facts_queue_full(const facts_queue *q);

/* Begin extracting what is queued, on the queue's thread (none where it cannot be made:
 * then finish does it all). */
void sli_facts_queue_start(facts_queue *q);

/* The articles the queue's thread has extracted since the last start (the rest are the
 * caller's, at the finish); any time, from the caller's thread. */
size_t sli_facts_queue_by_thread(const facts_queue *q);

/* What a finish hands over for each article: its facts, their JSON as saved, and the
 * processor seconds their extraction took. */
typedef sl_error (*facts_queue_fn)(void *user, long long rid, const struct sli_facts *f,
                                   const char *json, double seconds);

/* Extract what is left (the calling thread too), wait for the queue's thread, then
 * fn(user, ...) for every article in the order queued; stops at the first error (an
 * extraction's or fn's). The queue is empty after it, whatever it returns. */
sl_error sli_facts_queue_finish(facts_queue *q, facts_queue_fn fn, void *user);

#endif
