/* cache.c — the response cache: a hash table of entries on an LRU list, one mutex. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>
#include <xxhash.h>

#include "cache.h"

#define BUCKETS (1u << 16)
#define ENTRY_OVERHEAD 512 /* bytes counted per entry beside its bodies: headers, key */

typedef struct entry {
    struct entry *hnext;        /* bucket chain */
    struct entry *prev, *next;  /* LRU list: most recent at head */
    uint64_t h;
    char *key;
    cache_view v;
    char etag[24], etag_gz[28];
    size_t bytes;
} entry;

struct serve_cache {
    pthread_mutex_t mu;
    entry **buckets;
    entry *head, *tail;
    size_t bytes, max, n;
    unsigned long long gen;
};

serve_cache *sli_cache_new(size_t max_bytes)
{
    serve_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->buckets = calloc(BUCKETS, sizeof *c->buckets);
    if (!c->buckets || pthread_mutex_init(&c->mu, NULL)) {
        free(c->buckets);
        free(c);
        return NULL;
    }
    c->max = max_bytes;
    return c;
}

static void entry_free(entry *e)
{
    if (e->v.plain)
        MHD_destroy_response(e->v.plain);
    if (e->v.gz)
        MHD_destroy_response(e->v.gz);
    free(e->key);
    free(e);
}

static void unlink_lru(serve_cache *c, entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        c->tail = e->prev;
    e->prev = e->next = NULL;
}

static void push_lru(serve_cache *c, entry *e)
{
    e->prev = NULL;
    e->next = c->head;
    if (c->head)
        c->head->prev = e;
    c->head = e;
    if (!c->tail)
        c->tail = e;
}

static void remove_entry(serve_cache *c, entry *e)
{
    entry **p = &c->buckets[e->h & (BUCKETS - 1)];
    while (*p != e)
        p = &(*p)->hnext;
    *p = e->hnext;
    unlink_lru(c, e);
    c->bytes -= e->bytes;
    c->n--;
    entry_free(e);
}

static void drop_all(serve_cache *c)
{
    while (c->head)
        remove_entry(c, c->head);
}

void sli_cache_free(serve_cache *c)
{
    if (!c)
        return;
    drop_all(c);
    pthread_mutex_destroy(&c->mu);
    free(c->buckets);
    free(c);
}

unsigned long long sli_cache_gen(serve_cache *c)
{
    pthread_mutex_lock(&c->mu);
    unsigned long long g = c->gen;
    pthread_mutex_unlock(&c->mu);
    return g;
}

void sli_cache_clear(serve_cache *c)
{
    pthread_mutex_lock(&c->mu);
    c->gen++;
    drop_all(c);
    pthread_mutex_unlock(&c->mu);
}

static entry *find(serve_cache *c, const char *key, uint64_t h)
{
    for (entry *e = c->buckets[h & (BUCKETS - 1)]; e; e = e->hnext)
        if (e->h == h && !strcmp(e->key, key))
            return e;
    return NULL;
}

int sli_cache_with(serve_cache *c, const char *key, int (*fn)(void *user, const cache_view *v),
                   void *user, int *result)
{
    uint64_t h = XXH3_64bits(key, strlen(key));
    pthread_mutex_lock(&c->mu);
    entry *e = find(c, key, h);
    if (e) {
        unlink_lru(c, e);
        push_lru(c, e);
        *result = fn(user, &e->v);
    }
    pthread_mutex_unlock(&c->mu);
    return e != NULL;
}

static void evict(serve_cache *c)
{
    while (c->bytes > c->max && c->tail)
        remove_entry(c, c->tail);
}

void sli_cache_put(serve_cache *c, const char *key, unsigned long long gen,
                   const cache_view *v, size_t gzlen)
{
    struct MHD_Response *plain = v->plain, *gz = v->gz;
    const char *etag = v->etag;
    uint64_t h = XXH3_64bits(key, strlen(key));
    size_t bytes = v->len + gzlen + strlen(key) + ENTRY_OVERHEAD;
    entry *e = NULL;
    pthread_mutex_lock(&c->mu);
    if (gen == c->gen && bytes <= c->max / 8 && !find(c, key, h) &&
        (e = calloc(1, sizeof *e)) && (e->key = strdup(key))) {
        e->h = h;
        e->bytes = bytes;
        e->v = *v;
        snprintf(e->etag, sizeof e->etag, "%s", etag);
        /* the gzipped body's tag: the plain one with "-gz" inside the quotes */
        size_t n = strlen(etag);
        snprintf(e->etag_gz, sizeof e->etag_gz, "%.*s-gz\"", (int)(n ? n - 1 : 0), etag);
        e->v.etag = e->etag;
        e->v.etag_gz = e->etag_gz;
        e->hnext = c->buckets[h & (BUCKETS - 1)];
        c->buckets[h & (BUCKETS - 1)] = e;
        push_lru(c, e);
        c->bytes += bytes;
        c->n++;
        evict(c);
        pthread_mutex_unlock(&c->mu);
        return;
    }
    pthread_mutex_unlock(&c->mu);
    if (e)
        free(e);
    MHD_destroy_response(plain);
    if (gz)
        MHD_destroy_response(gz);
}

void sli_cache_put_gz(serve_cache *c, const char *key, unsigned long long gen,
                      struct MHD_Response *gz, size_t gzlen, int gz_state)
{
    uint64_t h = XXH3_64bits(key, strlen(key));
    pthread_mutex_lock(&c->mu);
    entry *e = gen == c->gen ? find(c, key, h) : NULL;
    if (e && e->v.gz_state == CACHE_GZ_UNTRIED) {
        e->v.gz = gz;
        e->v.gz_state = gz_state;
        e->bytes += gzlen;
        c->bytes += gzlen;
        evict(c);
        gz = NULL;
    }
    pthread_mutex_unlock(&c->mu);
    if (gz)
        MHD_destroy_response(gz);
}

void sli_cache_usage(serve_cache *c, size_t *entries, size_t *bytes)
{
    pthread_mutex_lock(&c->mu);
    *entries = c->n;
    *bytes = c->bytes;
    pthread_mutex_unlock(&c->mu);
}
