/* export.h — the output stage's internals, for its tests. */
#ifndef SL_EXPORT_H
#define SL_EXPORT_H

#include "../core/buf.h"
#include "storyline.h"

/* Append one CSV field and its separator (",", or "\r\n" when last) to out: quoted when
 * it holds a comma, quote or line break (RFC 4180), and when it would start a formula
 * (=, +, -, @, tab or CR first), then with a ' in front (OWASP). NULL: an empty field.
 * The buffer's error (SL_ERR_NOMEM, SL_ERR_TOO_BIG) when an append fails. */
sl_error sli_csv_field(buf *out, const char *s, int last);

/* One article object (docs/output.md): with selects SL_WITH_TEXT / RAW / FACTS. */
struct jw;
void sli_article_json(struct jw *w, const sl_article *a, unsigned with);

/* The quote objects of quotes first..last (ids; of `event` when not 0), as
 * sl_write_quotes writes them in JSON, to w. */
sl_error sli_quotes_json(sl_store *st, long long event, long long first, long long last,
                         struct jw *w);

#endif
