/* meta.h — metadata found in the lines of a flattened article (internal, clean stage).
 *
 * Each function looks at ONE line (no newline inside, valid UTF-8, not NUL-terminated:
 * s[0..n)) and says whether it carries a publication date, a byline or a wire credit.
 * The cleaner calls them on the first and last lines of an article and decides which
 * hit to keep; these functions only read a line. They never allocate. */
#ifndef SL_CLEAN_META_H
#define SL_CLEAN_META_H

#include <stddef.h>

/* How sure a date hit is that it is THE publication date of the article. */
typedef enum meta_date_kind {
    META_DATE_NONE = 0,
    META_DATE_MENTION,   /* a date in running text ("due on March 21, 2024"): weak */
    META_DATE_LINE,      /* a line that is only a date, or a date and a time ("2024-11-09",
                            "November 9, 2023, 21:40 IST", "March 3, 2024 7:02:11 am") */
    META_DATE_DATELINE,  /* a news dateline opening a paragraph
                            ("LINDHAVEN, 24 August 2024 (Reuters) -", "Lindhaven, Aug 24 —") */
    META_DATE_UPDATED,   /* "Last Updated: ...", "Updated ...", "last updated: ..." */
    META_DATE_PUBLISHED  /* "Published: ...", "Published on ...", "First published: ...",
                            "Posted ...", "Date: ..." */
} meta_date_kind;

typedef struct meta_date {
    meta_date_kind kind;
    char iso[32];  /* "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM[:SS][zone]" when a time is printed;
                      zone as "+05:30" for IST, "Z" for GMT/UTC, "+01:00" for CET, etc.,
                      omitted when no zone is printed */
    size_t start, len; /* where in the line the date text is (bytes) */
} meta_date;

/* Find the best publication-date candidate in the line. Returns its kind (NONE if none).
 * Recognises at least: ISO "2023-11-09" (and with time), "November 9, 2023", "Nov. 9,
 * 2023", "9 November 2023", "9 Nov 2023", "09/11/2023" only when unambiguous (day > 12),
 * times "21:40", "7:02:11 am", "9.40pm", time zones IST, GMT, UTC, BST, CET, CEST, EST,
 * EDT, PST, PDT, and "+0530"-style offsets; weekday names before dates ("Saturday,
 * 18 May 2024"). A date without a year is NONE. Years outside 1990..2100 are NONE. */
meta_date_kind sli_meta_find_date(const char *s, size_t n, meta_date *out);

/* A byline line: "By Ana Lutz", "By ANA LUTZ and Rohan Mehta", "Published By: Rohan
 * Mehta", "Written by Aditi Rao | Navapur", "Reporting by Mira Kessel; Editing by ...",
 * "Ana Lutz, Staff Writer", "About the Author: Mira Kessel covers ...". Writes the
 * name(s) as printed, without the "By"/role/place parts ("Ana Lutz", "Ana Lutz and Rohan
 * Mehta") into out[size] and returns 1; returns 0 when the line is not a byline (a
 * sentence that merely contains "by" is not: "The law was passed by parliament."). */
int sli_meta_find_byline(const char *s, size_t n, char *out, size_t size);

/* A wire agency credited in the line: "(Reuters)", "- Reuters", "— AFP", "(AP)",
 * "Associated Press", "Agence France-Presse", "Source: Reuters", "PTI", "ANI", "IANS",
 * "UNI", "dpa", "EFE", "Xinhua", "Bloomberg", "Press Trust of India", "AAP", "Kyodo",
 * "ANSA", "Yonhap", "Anadolu", "TASS". Writes the canonical short name ("Reuters", "AP",
 * "AFP", "PTI", "ANI", "IANS", "UNI", "dpa", "EFE", "Xinhua", "Bloomberg", "AAP", "Kyodo",
 * "ANSA", "Yonhap", "Anadolu", "TASS") to out[size] and returns 1; 0 if none. Must not
 * fire on ordinary words ("ap" inside "happen", "Ani" as a first name inside a sentence
 * unless it is a credit form such as "(ANI)" or "ANI reported" or a line that is only
 * "ANI"). */
int sli_meta_find_credit(const char *s, size_t n, char *out, size_t size);

#endif
