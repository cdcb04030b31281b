/* serve.c — the server's life: stub until issue 20's work lands. */
#include <stdio.h>

#include "serve.h"
#include "web_assets.h"

sl_error sli_serve_run(const serve_options *opts, char *errbuf, size_t errsize)
{
    (void)opts;
    (void)sli_web_asset;
    snprintf(errbuf, errsize, "not yet built");
    return SL_ERR_UNSUPPORTED;
}
