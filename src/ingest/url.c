/* url.c — the host part of a URL. */
#include "url.h"

#include <string.h>
#include <strings.h> /* strncasecmp */

int sli_ingest_url_host(const char *url, char *out, size_t size)
{
    const char *p = strstr(url, "://");
    if (!p || p == url || size == 0)
        return 0;
    for (const char *s = url; s < p; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '-' || c == '.'))
            return 0; /* not a scheme */
    }
    const char *host = p + 3;
    size_t end = strcspn(host, "/?#");
    const char *at = memchr(host, '@', end);
    if (at) {
        end -= (size_t)(at + 1 - host);
        host = at + 1;
    }
    size_t len = 0;
    if (end && host[0] == '[') { /* IPv6 literal: keep up to the bracket */
        const char *close = memchr(host, ']', end);
        len = close ? (size_t)(close - host) + 1 : end;
    } else {
        const char *colon = memchr(host, ':', end);
        len = colon ? (size_t)(colon - host) : end;
    }
    if (len > 4 && !strncasecmp(host, "www.", 4)) {
        host += 4;
        len -= 4;
    }
    if (len == 0 || len >= size)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = host[i];
        out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out[len] = '\0';
    return 1;
}
