/* cache.h — the server's response cache (internal, serve; docs/serve.md, "Cache").
 *
 * Finished responses (libmicrohttpd's, with every header set), keyed by a canonical form
 * of the request (route and parameters), bounded in bytes, least recently used first out.
 * One cache for all worker threads, under one mutex. A generation number says which state
 * of the store the entries were read from: sli_cache_clear (the store changed) drops them
 * all and moves the generation on, and sli_cache_put refuses what was read under an older
 * generation, so nothing read before a change is kept after it. */
#ifndef SL_SERVE_CACHE_H
#define SL_SERVE_CACHE_H

#include <stddef.h>

struct MHD_Response;
typedef struct serve_cache serve_cache;

enum { CACHE_GZ_UNTRIED, CACHE_GZ_HAVE, CACHE_GZ_NONE };

/* What a cached entry holds, as fn of sli_cache_with sees it (under the cache's lock:
 * queue its responses there, copy what is needed after). */
typedef struct cache_view {
    unsigned status;             /* 200, or 404 for a page of an unknown id */
    const char *etag, *etag_gz;  /* of the plain and the gzipped body */
    struct MHD_Response *plain;
    struct MHD_Response *gz;     /* NULL unless gz_state is CACHE_GZ_HAVE */
    int gz_state;
    const void *body;            /* the plain body */
    size_t len;
    const char *type;            /* its Content-Type (a string that lives on) */
    long long total;             /* X-Total-Count of a page of a list */
} cache_view;

serve_cache *sli_cache_new(size_t max_bytes);
/* Drops every entry (responses still being sent live on until sent). */
void sli_cache_free(serve_cache *c);

unsigned long long sli_cache_gen(serve_cache *c);
void sli_cache_clear(serve_cache *c);

/* When `key` is cached: fn(user, view) under the lock, its result in *result, and 1.
 * Otherwise 0. */
int sli_cache_with(serve_cache *c, const char *key, int (*fn)(void *user, const cache_view *v),
                   void *user, int *result);

/* Keep a response read under generation `gen`: v->plain holds v->body (valid while plain
 * is); v->gz (may be NULL) with v->gz_state; v->etag_gz is made here. The cache takes over the
 * caller's reference to both responses (queue them first): they are destroyed at once
 * when the generation has moved on, the key is already there, or they do not fit. */
void sli_cache_put(serve_cache *c, const char *key, unsigned long long gen,
                   const cache_view *v, size_t gzlen);

/* Add the gzipped form of an entry found without one (made outside the lock); taken over
 * as in sli_cache_put. */
void sli_cache_put_gz(serve_cache *c, const char *key, unsigned long long gen,
                      struct MHD_Response *gz, size_t gzlen, int gz_state);

/* Entries and bytes held (for the log and the tests). */
void sli_cache_usage(serve_cache *c, size_t *entries, size_t *bytes);

#endif
