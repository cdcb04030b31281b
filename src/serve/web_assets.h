/* web_assets.h — the web page's files, built into the binary (internal, serve).
 *
 * CMake (cmake/embed_assets.cmake) turns every file of src/serve/web/ into a C array
 * at build time: no build step of the page's own, nothing fetched. */
#ifndef SL_WEB_ASSETS_H
#define SL_WEB_ASSETS_H

#include <stddef.h>

typedef struct web_asset {
    const char *path;          /* "/index.html", "/app.js": the file's name under web/ */
    const char *type;          /* its Content-Type */
    const unsigned char *data; /* its bytes (not NUL-terminated) */
    size_t len;
} web_asset;

/* The asset at `path` ("/app.js"), or NULL if there is none. */
const web_asset *sli_web_asset(const char *path);

#endif
