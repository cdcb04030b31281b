/* serve.h — `storyline serve`: the HTTP API and the web page over a store (internal:
 * the serve layer, above the library and below the CLI, docs/serve.md).
 *
 * The server only reads the store (read-only handles, one per worker thread at a time), so
 * an `add` in another process goes on meanwhile (WAL readers). Like the library it never
 * prints: what it has to say goes to opts->log. */
#ifndef SL_SERVE_H
#define SL_SERVE_H

#include <signal.h>
#include <stddef.h>

#include "storyline.h"

typedef struct serve_options {
    const char *db;      /* the store's path */
    const char *bind;    /* numeric address to listen on; "127.0.0.1" when NULL */
    int port;            /* 0: any free port (ready() says which); < 0: 8080 */
    unsigned threads;    /* worker threads; 0: the number of cores */
    unsigned timeout_s;  /* idle connection timeout in seconds; 0: SERVE_DEFAULT_TIMEOUT */
    unsigned max_conns;  /* connections at once; 0: what the fd limit allows, at most
                            SERVE_DEFAULT_MAX_CONNS */
    size_t cache_bytes;  /* response cache; 0: SERVE_DEFAULT_CACHE */
    const char *cors;    /* Access-Control-Allow-Origin value; NULL: no CORS header */
    int log_requests;    /* log one line per request (else only failures) */
    /* One line of log (a request, a failure), NUL-terminated, no newline; may be NULL. */
    void (*log)(void *user, const char *line);
    void *user;
    /* The server runs until *stop becomes non-zero (a signal handler sets it). */
    volatile sig_atomic_t *stop;
    /* Called once the server listens, with the port it listens on; may be NULL. */
    void (*ready)(void *user, unsigned port);
} serve_options;

#define SERVE_DEFAULT_PORT 8080
#define SERVE_DEFAULT_TIMEOUT 10                 /* seconds (docs/serve.md) */
#define SERVE_DEFAULT_MAX_CONNS 16384            /* capped by the fd limit */
#define SERVE_DEFAULT_CACHE (256u * 1024 * 1024) /* bytes of cached responses */
#define SERVE_MEMORY_LIMIT (32 * 1024)           /* per connection: request line + headers */

/* Serve until *opts->stop. SL_ERR_IO when the address cannot be bound (why in errbuf);
 * the store's errors when it cannot be opened (why in errbuf). */
sl_error sli_serve_run(const serve_options *opts, char *errbuf, size_t errsize);

#endif
