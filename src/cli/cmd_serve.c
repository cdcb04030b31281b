/* cmd_serve.c — `serve`: the HTTP API and web page (src/serve/). Stub until built. */
#include <stdlib.h>

#include "cli.h"
#include "../serve/serve.h"

int cmd_serve(cli *c, int argc, char **argv)
{
    (void)c;
    (void)argc;
    char why[256];
    serve_options o = {0};
    sli_serve_run(&o, why, sizeof why);
    cli_error("%s: %s", argv[0], why);
    return EXIT_FAILED;
}
