/* url.h — the host part of a URL, used as an article's source when none is given. */
#ifndef SL_INGEST_URL_H
#define SL_INGEST_URL_H

#include <stddef.h>

/* Write the lower-cased host of `url` to out[size], without a leading "www." and without
 * port or user info. Returns 1 on success, 0 if url has no scheme://host form. */
int sli_ingest_url_host(const char *url, char *out, size_t size);

#endif
