/* date.h — reading dates given in structured fields (internal).
 *
 * Accepts the forms feeds and scrapers write in date fields: "2024-03-15",
 * "2024-03-15T09:30", "2024-03-15T09:30:00Z", "2024-03-15T09:30:00.123+05:30",
 * "2024-03-15 09:30:00" (news-please), "2024/03/15". Dates in running text are the
 * cleaning stage's job. */
#ifndef SL_TEXT_DATE_H
#define SL_TEXT_DATE_H

#include <stddef.h>

/* Parse s[0..n) and write its ISO 8601 form to out[32] ("YYYY-MM-DD", or
 * "YYYY-MM-DDTHH:MM:SS" with "Z" or "+HH:MM" when a time zone is given).
 * Returns the bytes of s consumed, or 0 if s does not start with a valid date. */
size_t sli_text_parse_iso_date(const char *s, size_t n, char out[32]);

/* Days since 1970-01-01 of an ISO 8601 date ("YYYY-MM-DD..."); 0 and *ok = 0 when s
 * does not start with one. */
long sli_text_iso_days(const char *s, int *ok);

/* The date ("YYYY-MM-DD") `days` after 1970-01-01: the inverse of sli_text_iso_days. */
void sli_text_days_iso(long days, char out[11]);

#endif
