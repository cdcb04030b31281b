/* serve.h — `storyline serve`: the HTTP API and the web page over a store (internal:
 * the serve layer, above the library and below the CLI, docs/serve.md).
 *
 * The server only reads the store (read-only handles, one per worker thread), so an `add`
 * in another process goes on meanwhile (WAL readers). Like the library it never prints:
 * what it has to say goes to opts->log. */
#ifndef SL_SERVE_H
#define SL_SERVE_H

#include <signal.h>
#include <stddef.h>

#include "storyline.h"

typedef struct serve_options {
    const char *db;      /* the store's path */
    const char *bind;    /* address to listen on; "127.0.0.1" when NULL */
    unsigned port;       /* 0: 8080 */
    unsigned threads;    /* worker threads; 0: the number of cores */
    /* One line of log (a request, a failure), NUL-terminated, no newline; may be NULL. */
    void (*log)(void *user, const char *line);
    void *user;
    /* The server runs until *stop becomes non-zero (a signal handler sets it). */
    volatile sig_atomic_t *stop;
    /* Called once the server listens, with the port it listens on; may be NULL. */
    void (*ready)(void *user, unsigned port);
} serve_options;

/* Serve until *opts->stop. SL_ERR_IO when the address cannot be bound (why in errbuf);
 * the store's errors when it cannot be opened. */
sl_error sli_serve_run(const serve_options *opts, char *errbuf, size_t errsize);

#endif
