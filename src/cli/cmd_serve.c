/* cmd_serve.c — `serve`: the HTTP API and web page (src/serve/, docs/serve.md). This
 * layer reads the options, turns SIGINT/SIGTERM into a stop, and prints the server's log
 * lines to stderr made safe. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cli.h"
#include "../serve/serve.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void log_line(void *user, const char *line)
{
    (void)user;
    cli_error("serve: %s", line);
}

static void on_ready(void *user, unsigned port)
{
    const serve_options *o = user;
    const char *b = o->bind ? o->bind : "127.0.0.1";
    int v6 = strchr(b, ':') != NULL;
    cli_error("serve: listening on http://%s%s%s:%u/", v6 ? "[" : "", b, v6 ? "]" : "", port);
}

/* A number in [lo, hi] from s; 0 and *out, or -1. */
static int number(const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = *s >= '0' && *s <= '9' ? strtol(s, &end, 10) : -1;
    if (v < lo || v > hi || !end || *end || errno)
        return -1;
    *out = v;
    return 0;
}

int cmd_serve(cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: storyline [--db PATH] serve [--bind ADDR] [--port N] [options]\n"
        "Serve the store over HTTP, read-only: the JSON API under /api/ and the web page at /\n"
        "(docs/serve.md). Stops on Ctrl-C (SIGINT) or SIGTERM.\n"
        "  --bind ADDR            numeric address to listen on (default 127.0.0.1)\n"
        "  --port N               port (default 8080; 0: any free one, said on stderr)\n"
        "  --threads N            worker threads (default: the number of cores)\n"
        "  --timeout S            drop a connection idle for S seconds (default 10)\n"
        "  --max-connections N    connections at once (default: what the fd limit allows,\n"
        "                         at most 16384)\n"
        "  --cors ORIGIN          send Access-Control-Allow-Origin: ORIGIN (default: none)\n"
        "  --cache-mb N           memory for cached responses (default 256)\n"
        "  --log-requests         one line per request on stderr (default: failures only)\n";
    serve_options o;
    memset(&o, 0, sizeof o);
    o.port = -1;
    char **rest = malloc(((size_t)argc + 1) * sizeof *rest);
    if (!rest) {
        cli_error("%s: out of memory", argv[0]);
        return EXIT_FAILED;
    }
    int nrest = 0;
    rest[nrest++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        long n = 0;
        int bad = 0;
        if (!strcmp(a, "--")) {
            for (; i < argc; i++)
                rest[nrest++] = argv[i];
            break;
        } else if (!strcmp(a, "--log-requests")) {
            o.log_requests = 1;
            continue;
        } else if (!v || (strcmp(a, "--bind") && strcmp(a, "--port") && strcmp(a, "--threads") &&
                          strcmp(a, "--timeout") && strcmp(a, "--max-connections") &&
                          strcmp(a, "--cors") && strcmp(a, "--cache-mb"))) {
            rest[nrest++] = argv[i];
            continue;
        }
        i++;
        if (!strcmp(a, "--bind"))
            o.bind = v;
        else if (!strcmp(a, "--cors"))
            o.cors = v;
        else if (!strcmp(a, "--port"))
            bad = number(v, 0, 65535, &n), o.port = (int)n;
        else if (!strcmp(a, "--threads"))
            bad = number(v, 1, 128, &n), o.threads = (unsigned)n;
        else if (!strcmp(a, "--timeout"))
            bad = number(v, 1, 86400, &n), o.timeout_s = (unsigned)n;
        else if (!strcmp(a, "--max-connections"))
            bad = number(v, 1, 1000000, &n), o.max_conns = (unsigned)n;
        else if (!strcmp(a, "--cache-mb"))
            bad = number(v, 1, 1 << 20, &n), o.cache_bytes = (size_t)n << 20;
        if (bad) {
            cli_error("%s: %s: expected a number in range, not '%s'", argv[0], a, v);
            free(rest);
            return EXIT_FAILED;
        }
    }
    rest[nrest] = NULL;
    int rc = cli_parse(c, nrest, rest, help, 0, NULL, 0, 0, NULL);
    free(rest);
    if (rc >= 0)
        return rc;
    if (o.cors && (!*o.cors || strpbrk(o.cors, "\r\n"))) {
        cli_error("%s: --cors: an origin such as https://example.org", argv[0]);
        return EXIT_FAILED;
    }

    /* Many connections at once need as many descriptors: take what the hard limit gives. */
    struct rlimit rl;
    if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);

    o.db = c->db;
    o.log = log_line;
    o.user = &o;
    o.stop = &stop_flag;
    o.ready = on_ready;
    char why[SL_ERRMSG_SIZE];
    sl_error err = sli_serve_run(&o, why, sizeof why);
    if (err == SL_ERR_NOT_FOUND) {
        cli_error("no store at %s (create one with 'storyline add PATH', or give --db PATH)",
                  c->db);
        return EXIT_FAILED;
    }
    if (err) {
        cli_error("%s: %s", argv[0], why);
        return EXIT_FAILED;
    }
    if (!c->quiet)
        cli_error("serve: stopped");
    return EXIT_ALL_OK;
}
