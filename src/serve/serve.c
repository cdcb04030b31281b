/* serve.c — the server: libmicrohttpd's daemon, the routes, the store handles, the cache.
 *
 * One request is answered in one call of the access handler, in the worker thread that
 * reads it: the route and its parameters are checked, a read-only store handle is taken
 * from the pool (one per worker at a time, opened on first need), the store's data
 * version is compared (a change drops the cache), and the answer is found in the cache or
 * written by the library, hashed (ETag), gzipped when asked, and kept. docs/serve.md. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <xxhash.h>

#include "../core/buf.h"
#include "cache.h"
#include "http.h"
#include "serve.h"
#include "web_assets.h"

#define LIST_DEFAULT 50  /* items of a page when `limit` is absent (the contract) */
#define LIST_MAX 1000    /* larger limits are clamped to this (the contract) */
#define BODY_MAX ((size_t)512 * 1024 * 1024) /* a body larger than this is a 500 */
#define GZIP_MIN 256     /* bodies shorter than this are sent as they are */
#define POOL_MAX 256     /* store handles at most (one per worker thread is the need) */

typedef struct handle {
    sl_store *st;
    long long dv; /* data version last seen */
} handle;

typedef struct server {
    const serve_options *o;
    serve_cache *cache;
    pthread_mutex_t mu; /* the pool */
    handle *all[POOL_MAX];
    int nall;
    handle *idle[POOL_MAX];
    int nidle;
    char index_etag[24];
} server;

typedef enum route {
    R_NONE,
    R_EVENTS, R_EVENT, R_STORYLINES, R_STORYLINE, R_ARTICLES, R_ARTICLE, R_FAMILIES,
    R_QUOTES, R_SEARCH, R_STATS,
    R_STATIC,
    R_PAGE, R_PAGE_EVENT, R_PAGE_STORYLINE, R_PAGE_ARTICLE
} route;

/* A request being answered. */
typedef struct req {
    server *s;
    struct MHD_Connection *conn;
    const char *method, *url;
    route r;
    const char *id;      /* the id of a one-object route, decoded (into path) */
    char *path;          /* the decoded path */
    sl_range range;
    int paged;
    char *q, *event;     /* decoded parameters */
    int gz;              /* the client takes gzip */
    const char *inm;     /* If-None-Match */
    buf key;
    unsigned status;     /* what was answered (for the log) */
} req;

/* ---- log --------------------------------------------------------------------------- */

static void logf_(const server *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void logf_(const server *s, const char *fmt, ...)
{
    if (!s->o->log)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    s->o->log(s->o->user, line);
}

static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
    const server *s = cls;
    if (!s->o->log)
        return;
    char line[1024];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    s->o->log(s->o->user, line);
}

/* ---- store handles ----------------------------------------------------------------- */

static void check_version(server *s, handle *h)
{
    long long v = -1; /* unread: a change, so the cache is dropped */
    if (sl_store_data_version(h->st, &v) || v != h->dv) {
        h->dv = v;
        sli_cache_clear(s->cache);
    }
}

/* A handle for this request, its data version checked; NULL and *err on failure. */
static handle *take_handle(server *s, sl_error *err)
{
    handle *h = NULL;
    pthread_mutex_lock(&s->mu);
    if (s->nidle)
        h = s->idle[--s->nidle];
    pthread_mutex_unlock(&s->mu);
    if (h) {
        check_version(s, h);
        return h;
    }
    h = calloc(1, sizeof *h);
    if (!h) {
        *err = SL_ERR_NOMEM;
        return NULL;
    }
    char why[SL_ERRMSG_SIZE];
    *err = sl_store_open_msg(s->o->db, SL_OPEN_READONLY, &h->st, why, sizeof why);
    if (*err) {
        logf_(s, "cannot open the store: %s", why);
        free(h);
        return NULL;
    }
    sl_store_data_version(h->st, &h->dv);
    /* What the cache holds may have been read before a change this handle cannot see as
     * one (it starts from the store as it is now): drop it. */
    sli_cache_clear(s->cache);
    pthread_mutex_lock(&s->mu);
    if (s->nall < POOL_MAX) {
        s->all[s->nall++] = h;
        pthread_mutex_unlock(&s->mu);
        return h;
    }
    pthread_mutex_unlock(&s->mu);
    sl_store_free(h->st);
    free(h);
    *err = SL_ERR_BUSY;
    return NULL;
}

static void give_handle(server *s, handle *h)
{
    pthread_mutex_lock(&s->mu);
    s->idle[s->nidle++] = h;
    pthread_mutex_unlock(&s->mu);
}

/* ---- responses --------------------------------------------------------------------- */

static int add_common(const server *s, struct MHD_Response *r)
{
    int ok = MHD_add_response_header(r, "X-Content-Type-Options", "nosniff") == MHD_YES &&
             MHD_add_response_header(r, "Content-Security-Policy",
                                     "default-src 'self'; frame-ancestors 'none'") == MHD_YES &&
             MHD_add_response_header(r, "Referrer-Policy", "no-referrer") == MHD_YES;
    if (ok && s->o->cors)
        ok = MHD_add_response_header(r, "Access-Control-Allow-Origin", s->o->cors) == MHD_YES &&
             MHD_add_response_header(r, "Access-Control-Expose-Headers",
                                     "ETag, X-Total-Count, Link") == MHD_YES &&
             MHD_add_response_header(r, "Vary", "Origin") == MHD_YES;
    return ok;
}

static enum MHD_Result queue(req *q, unsigned status, struct MHD_Response *r)
{
    q->status = status;
    return MHD_queue_response(q->conn, status, r);
}

/* An error answer: {"error": msg}. */
static enum MHD_Result send_error(req *q, unsigned status, const char *msg)
{
    buf b;
    sli_buf_init(&b, 4096);
    /* JSON-escaped by hand: msg is ours, but escape it all the same */
    sli_buf_puts(&b, "{\"error\": \"");
    for (const char *p = msg; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\') {
            sli_buf_putc(&b, '\\');
            sli_buf_putc(&b, (char)c);
        } else if (c < 0x20) {
            char e[8];
            snprintf(e, sizeof e, "\\u%04x", c);
            sli_buf_puts(&b, e);
        } else {
            sli_buf_putc(&b, (char)c);
        }
    }
    sli_buf_puts(&b, "\"}\n");
    size_t len = b.len;
    char *body = sli_buf_take(&b);
    if (!body)
        return MHD_NO;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    add_common(q->s, r);
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, "Allow", "GET, HEAD");
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
        MHD_add_response_header(r, "Retry-After", "1");
    enum MHD_Result ret = queue(q, status, r);
    MHD_destroy_response(r);
    return ret;
}

static unsigned status_of(sl_error e)
{
    switch (e) {
    case SL_ERR_NOT_FOUND:
        return MHD_HTTP_NOT_FOUND;
    case SL_ERR_INVALID:
        return MHD_HTTP_BAD_REQUEST;
    case SL_ERR_BUSY:
        return MHD_HTTP_SERVICE_UNAVAILABLE;
    case SL_ERR_UNSUPPORTED:
        return MHD_HTTP_NOT_IMPLEMENTED;
    default:
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
}

/* The store failed: the answer for err, and a line in the log for a 5xx. */
static enum MHD_Result send_store_error(req *q, sl_error err, const char *what_404)
{
    unsigned st = status_of(err);
    if (st >= 500 && st != MHD_HTTP_NOT_IMPLEMENTED)
        logf_(q->s, "%s %.512s: %s", q->method, q->url, sl_strerror(err));
    switch (st) {
    case MHD_HTTP_NOT_FOUND:
        return send_error(q, st, what_404);
    case MHD_HTTP_BAD_REQUEST:
        return send_error(q, st, "bad parameter");
    case MHD_HTTP_SERVICE_UNAVAILABLE:
        return send_error(q, st, "the store is busy, try again");
    case MHD_HTTP_NOT_IMPLEMENTED:
        return send_error(q, st, q->r == R_SEARCH
                                     ? "this store has no search index: 'storyline"
                                       " search-index on' builds it (docs/store.md)"
                                     : "not built yet");
    default:
        return send_error(q, st, sl_strerror(err));
    }
}

/* A "\"<16 hex>\"" tag of body. */
static void etag_of(const void *body, size_t len, char out[24])
{
    snprintf(out, 24, "\"%016llx\"", (unsigned long long)XXH3_64bits(body, len));
}

/* A 200 (or page 404) response with every header; body is freed with it when must_free
 * (on failure too: NULL returned, body freed), else lives as long as the program. */
static struct MHD_Response *make_response(req *q, const void *body, size_t len, int must_free,
                                          const char *type, const char *etag, int gz)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        len, (void *)(uintptr_t)body, must_free ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        if (must_free)
            free((void *)(uintptr_t)body);
        return NULL;
    }
    int ok = add_common(q->s, r) &&
             MHD_add_response_header(r, "Content-Type", type) == MHD_YES &&
             MHD_add_response_header(r, "ETag", etag) == MHD_YES &&
             MHD_add_response_header(r, "Cache-Control", "no-cache") == MHD_YES &&
             MHD_add_response_header(r, "Vary", "Accept-Encoding") == MHD_YES;
    if (ok && gz)
        ok = MHD_add_response_header(r, "Content-Encoding", "gzip") == MHD_YES;
    if (ok && q->paged) {
        char n[32];
        snprintf(n, sizeof n, "%lld", q->range.total);
        ok = MHD_add_response_header(r, "X-Total-Count", n) == MHD_YES;
    }
    if (ok && q->paged) {
        /* Link: the next and previous pages, as RFC 8288 has them */
        buf l;
        sli_buf_init(&l, 64 * 1024);
        const char *base = q->r == R_EVENTS ? "/api/events"
                           : q->r == R_STORYLINES ? "/api/storylines"
                           : q->r == R_ARTICLES ? "/api/articles"
                           : q->r == R_FAMILIES ? "/api/families"
                           : q->r == R_QUOTES ? "/api/quotes" : "/api/search";
        const char *pname = q->r == R_QUOTES ? "event" : q->r == R_SEARCH ? "q" : NULL;
        const char *pval = q->r == R_QUOTES ? q->event : q->q;
        long long off = q->range.offset, lim = q->range.limit, tot = q->range.total;
        for (int next = 1; next >= 0; next--) {
            long long to;
            if (next && off + lim < tot)
                to = off + lim;
            else if (!next && off > 0) {
                to = off > lim ? off - lim : 0;
                if (to >= tot) /* past the end: the last page */
                    to = tot > lim ? tot - lim : 0;
            } else
                continue;
            if (l.len)
                sli_buf_puts(&l, ", ");
            sli_buf_putc(&l, '<');
            sli_buf_puts(&l, base);
            sli_buf_putc(&l, '?');
            if (pname && pval) {
                sli_buf_puts(&l, pname);
                sli_buf_putc(&l, '=');
                for (const unsigned char *p = (const unsigned char *)pval; *p; p++) {
                    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                        (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' ||
                        *p == '~') {
                        sli_buf_putc(&l, (char)*p);
                    } else {
                        char e[4];
                        snprintf(e, sizeof e, "%%%02X", *p);
                        sli_buf_puts(&l, e);
                    }
                }
                sli_buf_putc(&l, '&');
            }
            char t[96];
            snprintf(t, sizeof t, "offset=%lld&limit=%lld>; rel=\"%s\"", to, lim,
                     next ? "next" : "prev");
            sli_buf_puts(&l, t);
        }
        if (l.len)
            ok = MHD_add_response_header(r, "Link", sli_buf_str(&l)) == MHD_YES;
        sli_buf_free(&l);
    }
    if (!ok) {
        MHD_destroy_response(r);
        return NULL;
    }
    return r;
}

/* The empty 304 answer for a cached entry. */
static enum MHD_Result send_304(req *q, const char *etag)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    add_common(q->s, r);
    MHD_add_response_header(r, "ETag", etag);
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    MHD_add_response_header(r, "Vary", "Accept-Encoding");
    enum MHD_Result ret = queue(q, MHD_HTTP_NOT_MODIFIED, r);
    MHD_destroy_response(r);
    return ret;
}

enum { HIT_QUEUED, HIT_FAILED, HIT_NEED_GZ };

typedef struct hit {
    req *q;
    cache_view v;        /* for HIT_NEED_GZ: the entry, its body copied */
    char etag[24];
    unsigned char *copy;
} hit;

/* Under the cache's lock: answer from the entry, or ask for its gzipped form. */
static int serve_hit(void *user, const cache_view *v)
{
    hit *h = user;
    req *q = h->q;
    int gz = q->gz && v->gz_state != CACHE_GZ_NONE;
    if (v->status == MHD_HTTP_OK &&
        (sli_http_etag_match(q->inm, v->etag) || sli_http_etag_match(q->inm, v->etag_gz)))
        return send_304(q, gz ? v->etag_gz : v->etag) == MHD_YES ? HIT_QUEUED : HIT_FAILED;
    if (gz && v->gz_state == CACHE_GZ_UNTRIED) {
        h->copy = malloc(v->len ? v->len : 1);
        if (h->copy) {
            memcpy(h->copy, v->body, v->len);
            h->v = *v;
            snprintf(h->etag, sizeof h->etag, "%s", v->etag);
            h->v.etag = h->etag;
            h->v.body = h->copy;
            return HIT_NEED_GZ;
        }
        gz = 0;
    }
    return queue(q, v->status, gz ? v->gz : v->plain) == MHD_YES ? HIT_QUEUED : HIT_FAILED;
}

static int write_buf(void *user, const char *data, size_t len)
{
    return sli_buf_append(user, data, len) != SL_OK;
}

static int discard(void *user, const char *data, size_t len)
{
    (void)user, (void)data, (void)len;
    return 0;
}

static int found_event(void *user, const sl_event *e)
{
    (void)e;
    *(int *)user = 1;
    return 1;
}

/* The gzipped response of body, or NULL with *state CACHE_GZ_NONE when not worth it. */
static struct MHD_Response *gzip_response(req *q, const void *body, size_t len,
                                          const char *type, const char *etag, size_t *gzlen,
                                          int *state)
{
    *state = CACHE_GZ_NONE;
    *gzlen = 0;
    if (len < GZIP_MIN)
        return NULL;
    unsigned char *z = NULL;
    size_t zn;
    if (sli_http_gzip(body, len, &z, &zn) || zn >= len) {
        free(z);
        return NULL;
    }
    char tag[28];
    snprintf(tag, sizeof tag, "%.*s-gz\"", (int)strlen(etag) - 1, etag);
    struct MHD_Response *r = make_response(q, z, zn, 1, type, tag, 1);
    if (!r)
        return NULL; /* z freed */
    *state = CACHE_GZ_HAVE;
    *gzlen = zn;
    return r;
}

/* Answer from the cache when the request's key is there: 1 (and *ret) if answered. */
static int from_cache(req *q, unsigned long long gen, enum MHD_Result *ret)
{
    hit h;
    memset(&h, 0, sizeof h);
    h.q = q;
    int res;
    if (!sli_cache_with(q->s->cache, sli_buf_str(&q->key), serve_hit, &h, &res))
        return 0;
    if (res != HIT_NEED_GZ) {
        *ret = res == HIT_QUEUED ? MHD_YES : MHD_NO;
        return 1;
    }
    /* cached without its gzipped form: make it here, send it, keep it */
    q->range.total = h.v.total;
    size_t gzlen;
    int state;
    struct MHD_Response *gz = gzip_response(q, h.copy, h.v.len, h.v.type, h.etag, &gzlen, &state);
    if (gz) {
        free(h.copy);
        *ret = queue(q, h.v.status, gz);
    } else {
        struct MHD_Response *r = make_response(q, h.copy, h.v.len, 1, h.v.type, h.etag, 0);
        if (!r) { /* h.copy freed */
            *ret = MHD_NO;
            return 1;
        }
        *ret = queue(q, h.v.status, r);
        MHD_destroy_response(r);
    }
    sli_cache_put_gz(q->s->cache, sli_buf_str(&q->key), gen, gz, gzlen, state);
    return 1;
}

/* Answer with a fresh 200 (or page 404) body, and keep it in the cache. body is the
 * program's (static) when !must_free. */
static enum MHD_Result send_fresh(req *q, unsigned long long gen, unsigned status,
                                  const void *body, size_t len, int must_free,
                                  const char *type, const char *etag_given)
{
    char etag[24];
    if (etag_given)
        snprintf(etag, sizeof etag, "%s", etag_given);
    else
        etag_of(body, len, etag);
    struct MHD_Response *plain = make_response(q, body, len, must_free, type, etag, 0);
    if (!plain)
        return MHD_NO; /* body freed */
    cache_view v = {status, etag, NULL, plain, NULL, CACHE_GZ_UNTRIED, body, len, type,
                    q->range.total};
    size_t gzlen = 0;
    if (q->gz)
        v.gz = gzip_response(q, body, len, type, etag, &gzlen, &v.gz_state);
    enum MHD_Result ret;
    char tag[28];
    snprintf(tag, sizeof tag, "%.*s-gz\"", (int)strlen(etag) - 1, etag);
    if (status == MHD_HTTP_OK &&
        (sli_http_etag_match(q->inm, etag) || sli_http_etag_match(q->inm, tag)))
        ret = send_304(q, v.gz ? tag : etag);
    else
        ret = queue(q, status, v.gz ? v.gz : plain);
    sli_cache_put(q->s->cache, sli_buf_str(&q->key), gen, &v, gzlen);
    return ret;
}

/* ---- routes ------------------------------------------------------------------------ */

/* The route of the decoded path; q->id points into it for one-object routes. */
static route route_of(req *q, char *path)
{
    static const struct {
        const char *prefix;
        route list, one;
        int slash_ok; /* the id may hold '/' */
    } tab[] = {
        {"/api/events", R_EVENTS, R_EVENT, 0},
        {"/api/storylines", R_STORYLINES, R_STORYLINE, 0},
        {"/api/articles", R_ARTICLES, R_ARTICLE, 1},
        {"/api/families", R_FAMILIES, R_NONE, 0},
        {"/api/quotes", R_QUOTES, R_NONE, 0},
        {"/api/search", R_SEARCH, R_NONE, 0},
        {"/api/stats", R_STATS, R_NONE, 0},
        {"/events", R_NONE, R_PAGE_EVENT, 0},
        {"/storylines", R_NONE, R_PAGE_STORYLINE, 0},
        {"/articles", R_NONE, R_PAGE_ARTICLE, 1},
        {"/search", R_PAGE, R_NONE, 0},
        {"/static", R_NONE, R_STATIC, 0},
    };
    if (!strcmp(path, "/"))
        return R_PAGE;
    for (size_t i = 0; i < sizeof tab / sizeof *tab; i++) {
        size_t n = strlen(tab[i].prefix);
        if (strncmp(path, tab[i].prefix, n))
            continue;
        if (path[n] == '\0')
            return tab[i].list;
        if (path[n] != '/' || !path[n + 1] || tab[i].one == R_NONE)
            return R_NONE;
        q->id = path + n + 1;
        if (!tab[i].slash_ok && strchr(q->id, '/'))
            return R_NONE;
        return tab[i].one;
    }
    return R_NONE;
}

/* A query parameter, percent-decoded (malloc'd in *out, NULL when absent); -1 when
 * malformed. */
static int param(req *q, const char *name, char **out)
{
    *out = NULL;
    const char *v = MHD_lookup_connection_value(q->conn, MHD_GET_ARGUMENT_KIND, name);
    if (!v)
        return 0;
    size_t n = strlen(v);
    char *d = malloc(n + 1);
    if (!d)
        return -1;
    if (sli_http_unescape(v, n, d) == (size_t)-1) {
        free(d);
        return -1;
    }
    *out = d;
    return 0;
}

/* limit and offset; 0, or -1 when malformed. */
static int page_params(req *q)
{
    char *l = NULL, *o = NULL;
    int bad = param(q, "limit", &l) || param(q, "offset", &o);
    long long lim = LIST_DEFAULT, off = 0;
    if (!bad && l && (sli_http_number(l, LIST_MAX, &lim) || lim < 1))
        bad = 1;
    if (!bad && o && sli_http_number(o, (long long)1 << 53, &off))
        bad = 1;
    free(l);
    free(o);
    q->range.offset = off;
    q->range.limit = lim;
    q->range.total = 0;
    q->paged = 1;
    return bad ? -1 : 0;
}

static int is_list(route r)
{
    return r == R_EVENTS || r == R_STORYLINES || r == R_ARTICLES || r == R_FAMILIES ||
           r == R_QUOTES || r == R_SEARCH;
}

/* Write the route's body into b; the library's error. */
static sl_error write_body(req *q, sl_store *st, buf *b)
{
    switch (q->r) {
    case R_EVENTS:
        return sl_write_list(st, SL_LIST_EVENTS, NULL, &q->range, write_buf, b);
    case R_STORYLINES:
        return sl_write_list(st, SL_LIST_STORYLINES, NULL, &q->range, write_buf, b);
    case R_ARTICLES:
        return sl_write_list(st, SL_LIST_ARTICLES, NULL, &q->range, write_buf, b);
    case R_FAMILIES:
        return sl_write_list(st, SL_LIST_FAMILIES, NULL, &q->range, write_buf, b);
    case R_QUOTES:
        return sl_write_list(st, SL_LIST_QUOTES, q->event, &q->range, write_buf, b);
    case R_SEARCH:
        return sl_write_search(st, q->q, &q->range, write_buf, b);
    case R_STATS:
        return sl_write_stats(st, write_buf, b);
    case R_EVENT:
        return sl_write_event(st, q->id, write_buf, b);
    case R_STORYLINE:
        return sl_write_storyline(st, q->id, write_buf, b);
    case R_ARTICLE:
        return sl_write_article(st, q->id, write_buf, b);
    default:
        return SL_ERR_INVALID;
    }
}

/* Whether the page's id names something: SL_OK, SL_ERR_NOT_FOUND, or a failure. */
static sl_error page_exists(req *q, sl_store *st)
{
    switch (q->r) {
    case R_PAGE_EVENT: {
        int found = 0;
        sl_error err = sl_store_get_event(st, q->id, found_event, &found);
        return err ? err : found ? SL_OK : SL_ERR_NOT_FOUND;
    }
    case R_PAGE_STORYLINE: {
        sl_error err = sl_write_storyline(st, q->id, discard, NULL);
        /* until storylines can be looked up one by one, the page finds out itself */
        return err == SL_ERR_UNSUPPORTED ? SL_OK : err;
    }
    case R_PAGE_ARTICLE: {
        sl_article *a = NULL;
        sl_error err = sl_store_get_article(st, q->id, 0, &a);
        sl_article_free(a);
        return err;
    }
    default:
        return SL_OK;
    }
}

static const char *what_404(route r)
{
    switch (r) {
    case R_EVENT:
        return "no such event";
    case R_STORYLINE:
        return "no such storyline";
    case R_ARTICLE:
        return "no such article";
    case R_QUOTES:
        return "no such event";
    default:
        return "not found";
    }
}

/* The canonical cache key of a checked request. */
static void make_key(req *q)
{
    char t[96];
    snprintf(t, sizeof t, "%d\x01%lld\x01%lld\x01", (int)q->r, q->range.offset, q->range.limit);
    sli_buf_puts(&q->key, t);
    if (q->id)
        sli_buf_puts(&q->key, q->id);
    sli_buf_putc(&q->key, '\x01');
    if (q->q)
        sli_buf_puts(&q->key, q->q);
    sli_buf_putc(&q->key, '\x01');
    if (q->event)
        sli_buf_puts(&q->key, q->event);
}

static enum MHD_Result answer(req *q)
{
    server *s = q->s;
    if (strcmp(q->method, MHD_HTTP_METHOD_GET) && strcmp(q->method, MHD_HTTP_METHOD_HEAD))
        return send_error(q, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed");
    size_t n = strlen(q->url);
    q->path = malloc(n + 1);
    if (!q->path)
        return MHD_NO;
    if (q->url[0] != '/' || sli_http_unescape(q->url, n, q->path) == (size_t)-1)
        return send_error(q, MHD_HTTP_BAD_REQUEST, "malformed URL");
    for (const unsigned char *p = (const unsigned char *)q->path; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '\\')
            return send_error(q, MHD_HTTP_BAD_REQUEST, "malformed URL");
    q->r = route_of(q, q->path);
    if (q->r == R_NONE)
        return send_error(q, MHD_HTTP_NOT_FOUND, "not found");

    if (q->r == R_STATIC) {
        char name[160];
        if (!sli_http_plain_name(q->id) || strlen(q->id) + 2 > sizeof name)
            return send_error(q, MHD_HTTP_NOT_FOUND, "not found");
        snprintf(name, sizeof name, "/%s", q->id);
        const web_asset *a = sli_web_asset(name);
        if (!a)
            return send_error(q, MHD_HTTP_NOT_FOUND, "not found");
        make_key(q);
        unsigned long long gen = sli_cache_gen(s->cache);
        enum MHD_Result ret;
        if (from_cache(q, gen, &ret))
            return ret;
        return send_fresh(q, gen, MHD_HTTP_OK, a->data, a->len, 0, a->type, NULL);
    }

    if (is_list(q->r) && page_params(q))
        return send_error(q, MHD_HTTP_BAD_REQUEST, "limit must be 1 to 1000, offset 0 or more");
    if (q->r == R_SEARCH) {
        if (param(q, "q", &q->q))
            return send_error(q, MHD_HTTP_BAD_REQUEST, "malformed q");
        if (!q->q || !q->q[0])
            return send_error(q, MHD_HTTP_BAD_REQUEST, "q: the words to search for");
    }
    if (q->r == R_QUOTES && param(q, "event", &q->event))
        return send_error(q, MHD_HTTP_BAD_REQUEST, "malformed event");
    make_key(q);

    sl_error err;
    handle *h = take_handle(s, &err);
    if (!h)
        return send_store_error(q, err, "not found");
    unsigned long long gen = sli_cache_gen(s->cache);
    enum MHD_Result ret;
    if (from_cache(q, gen, &ret)) {
        give_handle(s, h);
        return ret;
    }

    if (q->r >= R_PAGE) {
        err = page_exists(q, h->st);
        give_handle(s, h);
        if (err && err != SL_ERR_NOT_FOUND)
            return send_store_error(q, err, "not found");
        const web_asset *a = sli_web_asset("/index.html");
        if (!a)
            return send_error(q, MHD_HTTP_NOT_FOUND, "not found");
        return send_fresh(q, gen, err ? MHD_HTTP_NOT_FOUND : MHD_HTTP_OK, a->data, a->len, 0,
                          a->type, s->index_etag);
    }

    buf b;
    sli_buf_init(&b, BODY_MAX);
    err = write_body(q, h->st, &b);
    give_handle(s, h);
    if (err) {
        sli_buf_free(&b);
        return send_store_error(q, err, what_404(q->r));
    }
    size_t len = b.len;
    char *body = sli_buf_take(&b);
    if (!body)
        return send_store_error(q, SL_ERR_NOMEM, "");
    ret = send_fresh(q, gen, MHD_HTTP_OK, body, len, 1, "application/json; charset=utf-8",
                     NULL);
    return ret;
}

/* ---- the daemon -------------------------------------------------------------------- */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version, (void)upload_data;
    server *s = cls;
    static int seen;
    int get = !strcmp(method, MHD_HTTP_METHOD_GET) || !strcmp(method, MHD_HTTP_METHOD_HEAD);
    if (get && !*con_cls) {
        /* The first call comes with the headers: answering there is answering "early",
         * which makes libmicrohttpd close the connection after. Wait for the next. */
        *con_cls = &seen;
        return MHD_YES;
    }
    if (get && *upload_data_size) {
        *upload_data_size = 0; /* a body sent with GET is read and dropped */
        return MHD_YES;
    }
    req q;
    memset(&q, 0, sizeof q);
    q.s = s;
    q.conn = conn;
    q.method = method;
    q.url = url;
    q.gz = sli_http_accepts_gzip(
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING));
    q.inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    sli_buf_init(&q.key, 64 * 1024);
    enum MHD_Result ret = answer(&q);
    if (s->o->log_requests)
        logf_(s, "%s %.512s %u", method, url, q.status);
    sli_buf_free(&q.key);
    free(q.path);
    free(q.q);
    free(q.event);
    return ret;
}

/* libmicrohttpd decodes nothing: the path and each parameter are decoded here, where a
 * malformed escape or a NUL byte is a 400 (MHD would cut the string at the NUL). */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls, (void)c;
    return strlen(s);
}

/* Listen on bind:port; the socket, or -1 with why in errbuf. */
static int listen_on(const char *addr, int port, char *errbuf, size_t errsize)
{
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
    int rc = getaddrinfo(addr, ps, &hints, &ai);
    if (rc || !ai) {
        snprintf(errbuf, errsize, "%s: not a numeric address to listen on (%s)", addr,
                 rc ? gai_strerror(rc) : "none");
        return -1;
    }
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
        snprintf(errbuf, errsize, "socket: %s", strerror(errno));
        freeaddrinfo(ai);
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 4096)) {
        int e = errno;
        snprintf(errbuf, errsize, "cannot listen on %s port %d: %s%s", addr, port,
                 strerror(e), e == EADDRINUSE ? " (another server has it: try --port)" : "");
        close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    freeaddrinfo(ai);
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK)) {
        snprintf(errbuf, errsize, "fcntl: %s", strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static unsigned cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

sl_error sli_serve_run(const serve_options *opts, char *errbuf, size_t errsize)
{
    if (!opts || !opts->db || !opts->stop) {
        snprintf(errbuf, errsize, "%s", sl_strerror(SL_ERR_INVALID));
        return SL_ERR_INVALID;
    }
    server s;
    memset(&s, 0, sizeof s);
    s.o = opts;
    if (pthread_mutex_init(&s.mu, NULL)) {
        snprintf(errbuf, errsize, "%s", sl_strerror(SL_ERR_NOMEM));
        return SL_ERR_NOMEM;
    }
    /* The store is opened once here, so that a missing or unreadable one is said at once;
     * this handle is the pool's first. */
    handle *h = calloc(1, sizeof *h);
    sl_error err = h ? sl_store_open_msg(opts->db, SL_OPEN_READONLY, &h->st, errbuf, errsize)
                     : SL_ERR_NOMEM;
    s.cache = sli_cache_new(opts->cache_bytes ? opts->cache_bytes : SERVE_DEFAULT_CACHE);
    if (!err && !s.cache)
        err = SL_ERR_NOMEM;
    if (err) {
        if (err == SL_ERR_NOMEM)
            snprintf(errbuf, errsize, "%s", sl_strerror(err));
        if (h)
            sl_store_free(h->st);
        free(h);
        sli_cache_free(s.cache);
        pthread_mutex_destroy(&s.mu);
        return err;
    }
    sl_store_data_version(h->st, &h->dv);
    s.all[s.nall++] = h;
    s.idle[s.nidle++] = h;
    const web_asset *index = sli_web_asset("/index.html");
    if (index)
        etag_of(index->data, index->len, s.index_etag);

    const char *bindaddr = opts->bind ? opts->bind : "127.0.0.1";
    int port = opts->port < 0 ? SERVE_DEFAULT_PORT : opts->port;
    int fd = listen_on(bindaddr, port, errbuf, errsize);
    struct MHD_Daemon *d = NULL;
    if (fd >= 0) {
        unsigned threads = opts->threads ? opts->threads : cores();
        if (threads > POOL_MAX / 2)
            threads = POOL_MAX / 2;
        unsigned max_conns = opts->max_conns;
        if (!max_conns) {
            /* what the fd limit leaves, beside the store's files and the listening socket */
            struct rlimit rl;
            rlim_t fds = getrlimit(RLIMIT_NOFILE, &rl) ? 1024 : rl.rlim_cur;
            long room = (long)(fds > 1u << 20 ? 1u << 20 : fds) - 64 - 4 * (long)threads;
            max_conns = room < 16 ? 16
                        : room > SERVE_DEFAULT_MAX_CONNS ? SERVE_DEFAULT_MAX_CONNS
                                                         : (unsigned)room;
        }
        unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
        d = MHD_start_daemon(
            flags, 0, NULL, NULL, on_request, &s,
            MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, &s,
            MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(threads > 1 ? threads : 0),
            MHD_OPTION_CONNECTION_LIMIT, max_conns,
            MHD_OPTION_CONNECTION_TIMEOUT,
            (unsigned)(opts->timeout_s ? opts->timeout_s : SERVE_DEFAULT_TIMEOUT),
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVE_MEMORY_LIMIT,
            MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
            MHD_OPTION_END);
        if (!d) {
            snprintf(errbuf, errsize, "the HTTP server could not start (libmicrohttpd)");
            close(fd);
        } else {
            logf_(&s, "%u worker threads, at most %u connections, idle timeout %u s", threads,
                  max_conns, opts->timeout_s ? opts->timeout_s : SERVE_DEFAULT_TIMEOUT);
        }
    }
    if (d) {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        if (opts->ready)
            opts->ready(opts->user, info ? info->port : (unsigned)port);
        while (!*opts->stop) {
            struct timespec ts = {0, 50 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        MHD_stop_daemon(d); /* closes the listening socket too */
    }
    sli_cache_free(s.cache);
    for (int i = 0; i < s.nall; i++) {
        sl_store_free(s.all[i]->st);
        free(s.all[i]);
    }
    pthread_mutex_destroy(&s.mu);
    return d ? SL_OK : SL_ERR_IO;
}
