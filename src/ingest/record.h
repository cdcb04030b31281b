/* record.h — an article as read, packed into one blob and read back (internal, ingest).
 *
 * A reader on one machine and the batch that stores it on another (docs/scale.md): the
 * blob holds everything sli_ingest_put is given (the fields, the input's other fields as
 * JSON, the file, line and offset it was read at, an HTML page's hints and metadata), so
 * that the batch stores the article as the batch that read it would have.
 *
 * Layout: "SLR1"; a varint of flags (1: a page follows); the strings id, source, url,
 * date, title, text, meta and path, each a varint of its length + 1 (0: NULL) and that
 * many bytes and a NUL; the line (varint) and the offset + 1 (varint; 0: none); with a
 * page, its hints (a varint count and the bytes), then charset, the value and `from` of
 * title, date, author, site_name, canonical, lang and description, and fetch_date, as
 * strings. Nothing may follow. The reader trusts nothing in it: every length is checked
 * against the blob, every string must end at its NUL and hold no other (the text may:
 * the batch reports it), id, text and path must be there, each hint must name a region
 * the cleaner knows. What the fields say (UTF-8, a date, the other fields as a JSON
 * object) sl_batch_add_record checks, as a reader checks its input. */
#ifndef SL_INGEST_RECORD_H
#define SL_INGEST_RECORD_H

#include "../core/buf.h"
#include "ingest.h"

/* r (and its page, when it has one) packed into out, which is cleared first. */
sl_error sli_record_pack(const ingest_record *r, buf *out);

/* The record in data[0..len) into *r (its page into *page, r->page pointing at it, when
 * it has one): the strings point into data, which must outlive them. SL_ERR_INVALID when
 * it is not a whole record (*why says what, a static text). */
sl_error sli_record_unpack(const void *data, size_t len, ingest_record *r, store_page *page,
                           const char **why);

#endif
