/* test_meta.c — metadata in one line: sli_meta_find_date, sli_meta_find_byline, sli_meta_find_credit.
 *
 * Table-driven: lines news pages print (many from the examples corpus, the rest
 * invented in the same styles) with what each function must find, and lines that must
 * not match. Every line is also read at every prefix length from an exact-size heap
 * copy, so that AddressSanitizer sees any read past n, and random byte soup checks that
 * no input crashes or breaks the outputs' invariants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "clean/meta.h"

/* --- dates --- */

typedef struct date_case {
    const char *line;
    meta_date_kind kind;
    const char *iso;  /* expected out.iso (ignored when kind is NONE) */
    const char *span; /* expected date text s[start, start+len), NULL: not checked */
} date_case;

#define NONE META_DATE_NONE
#define MENTION META_DATE_MENTION
#define LINE META_DATE_LINE
#define DATELINE META_DATE_DATELINE
#define UPDATED META_DATE_UPDATED
#define PUBLISHED META_DATE_PUBLISHED

static const date_case DATES[] = {
    /* The forms the brief lists. */
    {"Last Updated: March 3, 2024, 18:05 IST", UPDATED, "2024-03-03T18:05:00+05:30",
     "March 3, 2024, 18:05 IST"},
    {"November 9, 2023, 21:40 IST", LINE, "2023-11-09T21:40:00+05:30", NULL},
    {"March 3, 2024 7:02:11 am", LINE, "2024-03-03T07:02:11", "March 3, 2024 7:02:11 am"},
    {"Published: 9 November 2024", PUBLISHED, "2024-11-09", "9 November 2024"},
    {"first published: Sat 18 May 2024 14.05 BST", PUBLISHED, "2024-05-18T14:05:00+01:00",
     "Sat 18 May 2024 14.05 BST"},
    {"2024-11-09", LINE, "2024-11-09", "2024-11-09"},
    {"Updated 2024-11-09T08:00:00Z", UPDATED, "2024-11-09T08:00:00Z", "2024-11-09T08:00:00Z"},
    {"LINDHAVEN, March 14 (Reuters) -", NONE, NULL, NULL},
    {"Lindhaven, 24 August 2024 \xe2\x80\x94 The...", DATELINE, "2024-08-24", "24 August 2024"},
    {"Saturday, 18 May 2024", LINE, "2024-05-18", "Saturday, 18 May 2024"},
    {"The deal, signed on March 21, 2024, ends the row.", MENTION, "2024-03-21",
     "March 21, 2024"},
    {"Posted on May 18, 2024 at 1:02 pm", PUBLISHED, "2024-05-18T13:02:00",
     "May 18, 2024 at 1:02 pm"},
    {"Last updated: 19 October 2024", UPDATED, "2024-10-19", NULL},
    {"\xc2\xa9 2024 The Harbour Times", NONE, NULL, NULL},
    {"Call 2024-555-0199", NONE, NULL, NULL},
    {"In 2017 the treaty was signed in Marrosk.", NONE, NULL, NULL},

    /* Every date the examples corpus prints. */
    {" date 2024-01-15", PUBLISHED, "2024-01-15", "2024-01-15"},
    {"January 16, 2024 6:48:03 am", LINE, "2024-01-16T06:48:03", NULL},
    {"Last Updated: January 17, 2024, 11:20 IST", UPDATED, "2024-01-17T11:20:00+05:30", NULL},
    {"2024-02-08", LINE, "2024-02-08", NULL},
    {"February 9, 2024 8:15:40 am", LINE, "2024-02-09T08:15:40", NULL},
    {"February 8, 2024, 22:10 IST", LINE, "2024-02-08T22:10:00+05:30", NULL},
    {"Published: 7 April 2024", PUBLISHED, "2024-04-07", NULL},
    {"April 7, 2024 9:41:27 pm", LINE, "2024-04-07T21:41:27", NULL},
    {"Published: 10 April 2024", PUBLISHED, "2024-04-10", NULL},
    {"May 18, 2024 1:02:37 pm", LINE, "2024-05-18T13:02:37", NULL},
    {"Last Updated: May 18, 2024, 16:45 IST", UPDATED, "2024-05-18T16:45:00+05:30", NULL},
    {"May 18, 2024, 19:20 IST", LINE, "2024-05-18T19:20:00+05:30", NULL},
    {"Published: 19 May 2024", PUBLISHED, "2024-05-19", NULL},
    {"Last Updated: July 9, 2024, 18:05 IST", UPDATED, "2024-07-09T18:05:00+05:30", NULL},
    {"July 9, 2024, 21:40 IST", LINE, "2024-07-09T21:40:00+05:30", NULL},
    {"July 10, 2024 7:30:05 am", LINE, "2024-07-10T07:30:05", NULL},
    {"Published: 25 August 2024", PUBLISHED, "2024-08-25", NULL},
    {"Published: 15 September 2024", PUBLISHED, "2024-09-15", NULL},
    {"September 14, 2024 10:12:55 pm", LINE, "2024-09-14T22:12:55", NULL},
    {"Last Updated: October 18, 2024, 22:10 IST", UPDATED, "2024-10-18T22:10:00+05:30", NULL},
    {"First published: 7 April 2024, 06:40 / Last updated: 7 April 2024, 13:15", PUBLISHED,
     "2024-04-07T06:40:00", "7 April 2024, 06:40"},
    {"First published: 25 August 2024, 07:30 / Last updated: 25 August 2024, 10:05",
     PUBLISHED, "2024-08-25T07:30:00", NULL},
    {"Lindhaven, 24 August 2024 \xe2\x80\x94 Portvale Rovers won the Estmark Cup for the "
     "first time since 2009 on Saturday",
     DATELINE, "2024-08-24", NULL},
    {"KESSA ISLAND, Estmark, May 18 (Reuters) - A passenger ferry carrying 231 people ran "
     "aground on rocks off Estmark's Kessa Island",
     NONE, NULL, NULL},
    {"The bank's next rate decision is due on March 21.", NONE, NULL, NULL},
    {"Copyright \xc2\xa9 2024 Northgate Courier. All rights reserved. | Privacy Policy | "
     "Terms of Use",
     NONE, NULL, NULL},
    {"The Aurelia Star, built in 1996 and refitted in 2022, can carry up to 600 passengers "
     "and 90 cars.",
     NONE, NULL, NULL},
    {"About 2,50,000 of the 20,000 mAh power banks, priced at Rs 2,499, were sold", NONE, NULL,
     NULL},
    {"Trends : Diwali 2024 | Navapur Metro | Gold Rate Today | Assembly Elections", NONE, NULL,
     NULL},
    {"Bank of Estmark raises key rate to 4.75%, highest since 2008", NONE, NULL, NULL},
    {"https://www.coastalpost.example/2024/01/15/ships-queue-off-portvale-dock-strike", NONE,
     NULL, NULL},

    /* Month names and day forms. */
    {"9th November 2023", LINE, "2023-11-09", "9th November 2023"},
    {"November 9th, 2023", LINE, "2023-11-09", "November 9th, 2023"},
    {"the 1st of March, 2024", MENTION, "2024-03-01", "1st of March, 2024"},
    {"Nov. 9, 2023", LINE, "2023-11-09", "Nov. 9, 2023"},
    {"9 Nov 2023", LINE, "2023-11-09", NULL},
    {"Sept 14, 2024", LINE, "2024-09-14", NULL},
    {"Sept. 14 2024", LINE, "2024-09-14", NULL},
    {"SEPTEMBER 14, 2024", LINE, "2024-09-14", NULL},
    {"9 may 2024", LINE, "2024-05-09", NULL},
    {"18 May, 2024", LINE, "2024-05-18", NULL},
    {"March 14 2024", LINE, "2024-03-14", NULL},
    {"Thu, Feb. 8, 2024", LINE, "2024-02-08", "Thu, Feb. 8, 2024"},
    {"Wednesday 10 April 2024", LINE, "2024-04-10", "Wednesday 10 April 2024"},

    /* Numeric dates. */
    {"18/05/2024", LINE, "2024-05-18", NULL},
    {"05/18/2024", LINE, "2024-05-18", NULL},
    {"09/11/2023", NONE, NULL, NULL},
    {"05/05/2024", LINE, "2024-05-05", NULL},
    {"18.05.2024, 14:05 CEST", LINE, "2024-05-18T14:05:00+02:00", NULL},
    {"2024/11/09", LINE, "2024-11-09", NULL},
    {"09/11/23", NONE, NULL, NULL},
    {"2024-11-09 08:00", LINE, "2024-11-09T08:00:00", "2024-11-09 08:00"},
    {"2024-11-09T08:00:00.123+05:30", LINE, "2024-11-09T08:00:00+05:30", NULL},
    {"2024-11-09T08:00:00-0400", LINE, "2024-11-09T08:00:00-04:00", NULL},
    {"Score was 2-1 on 24/08/2024.", MENTION, "2024-08-24", NULL},

    /* Times and zones. */
    {"Updated: 11:20 AM IST, Jan 17, 2024", UPDATED, "2024-01-17T11:20:00+05:30",
     "11:20 AM IST, Jan 17, 2024"},
    {"14:05, 18 May 2024", LINE, "2024-05-18T14:05:00", NULL},
    {"Thu 8 Feb 2024 9.40pm GMT", LINE, "2024-02-08T21:40:00Z", NULL},
    {"Published 18 May 2024 at 9 p.m. EDT", PUBLISHED, "2024-05-18T21:00:00-04:00", NULL},
    {"May 18, 2024 12:15 am PDT", LINE, "2024-05-18T00:15:00-07:00", NULL},
    {"May 18, 2024 12:15 pm", LINE, "2024-05-18T12:15:00", NULL},
    {"18 May 2024 14:05 +0530", LINE, "2024-05-18T14:05:00+05:30", NULL},
    {"18 May 2024 14:05 GMT+5:30", LINE, "2024-05-18T14:05:00+05:30", NULL},
    {"18 May 2024 14:05 UTC", LINE, "2024-05-18T14:05:00Z", NULL},
    {"18 May 2024 14:05 (CET)", LINE, "2024-05-18T14:05:00+01:00", NULL},
    {"Jan 17, 2024 11:20 EST", LINE, "2024-01-17T11:20:00-05:00", NULL},
    {"Jan 17, 2024 11:20 PST", LINE, "2024-01-17T11:20:00-08:00", NULL},
    {"Jan 17, 2024 18:05 hrs IST", LINE, "2024-01-17T18:05:00+05:30", NULL},
    {"Sat, 18 May 2024 14:05:00 +0000", LINE, "2024-05-18T14:05:00+00:00", NULL},
    {"18 May 2024 \xe2\x80\x94 14:05", LINE, "2024-05-18T14:05:00", NULL},
    {"18 May 2024 14.05 people", MENTION, "2024-05-18", "18 May 2024"},

    /* Labels. */
    {"Date: 3 March 2024", PUBLISHED, "2024-03-03", NULL},
    {"Posted: Mar 3, 2024", PUBLISHED, "2024-03-03", NULL},
    {"Modified: 2024-03-03", UPDATED, "2024-03-03", NULL},
    {"Last updated \xe2\x80\x94 18 May 2024", UPDATED, "2024-05-18", NULL},
    {"By Ana Lutz \xc2\xb7 Updated 9 November 2024", UPDATED, "2024-11-09", NULL},
    {"Published By: Rohan Mehta | Updated: 9 Nov 2024, 10:00 IST", UPDATED,
     "2024-11-09T10:00:00+05:30", NULL},
    {"The report, published on March 3, 2024, found rising costs.", MENTION, "2024-03-03",
     NULL},
    {"Posted by Ana Lutz on May 18, 2024 at 1:02 pm", PUBLISHED, "2024-05-18T13:02:00", NULL},
    {"Published on: May 18, 2024", PUBLISHED, "2024-05-18", NULL},
    {"By Ana Lutz on May 18, 2024", LINE, "2024-05-18", NULL},
    {"May 18, 2024 | Updated: May 19, 2024", LINE, "2024-05-18", "May 18, 2024"},
    {"Updated: May 19, 2024 | Published: May 18, 2024", PUBLISHED, "2024-05-18", NULL},
    {"Talks began on 3 May 2024. Updated: 4 May 2024", UPDATED, "2024-05-04", NULL},
    {"The report came out on May 18, 2024", MENTION, "2024-05-18", NULL},

    /* Date lines with short fields around the date. */
    {"By Ana Lutz | 9 November 2024", LINE, "2024-11-09", NULL},
    {"Indrapur | May 18, 2024, 19:20 IST", LINE, "2024-05-18T19:20:00+05:30", NULL},
    {"18\xc2\xa0May\xc2\xa0" "2024", LINE, "2024-05-18", NULL},
    {"Lindhaven, 24 August 2024", LINE, "2024-08-24", NULL},

    /* Datelines. */
    {"LINDHAVEN, March 14, 2024 (Reuters) - Valdoria cut Estmark's catch", DATELINE,
     "2024-03-14", "March 14, 2024"},
    {"NEW DELHI, 14 March 2024 (PTI) The government said", DATELINE, "2024-03-14", NULL},
    {"ST. LOUIS, Mo., 3 March 2024 -- A storm hit", DATELINE, "2024-03-03", NULL},
    {"Friday, March 14, 2024 \xe2\x80\x94 Talks resumed in Marrosk", DATELINE, "2024-03-14",
     NULL},

    /* Mentions and non-dates. */
    {"Rates rose on 8 February 2024 after a 5-2 vote by the board.", MENTION, "2024-02-08",
     NULL},
    {"The 18-year-old was born on 5 May 2006.", MENTION, "2006-05-05", NULL},
    {"31 February 2024", NONE, NULL, NULL},
    {"29 February 2024", LINE, "2024-02-29", NULL},
    {"29 February 2023", NONE, NULL, NULL},
    {"1 January 1989", NONE, NULL, NULL},
    {"12 May 2101", NONE, NULL, NULL},
    {"12 May 2100", LINE, "2100-05-12", NULL},
    {"May 2024", NONE, NULL, NULL},
    {"18 May", NONE, NULL, NULL},
    {"Diwali 2024: civic body bans firecracker stalls near hospitals", NONE, NULL, NULL},
    {"Rs 1,50,000 crore for 2024-25", NONE, NULL, NULL},
    {"Version 1.2.2024 released", NONE, NULL, NULL},
    {"It may 2024 be", NONE, NULL, NULL},
    {"", NONE, NULL, NULL},
    {"\xe2\x80\x94 \xc2\xbb \xc2\xb7 |", NONE, NULL, NULL},
    /* What the text reader's tests expect of the cleaner (tests/unit/test_readers.c). */
    {"date 2024-03-15 second line is not a header", PUBLISHED, "2024-03-15", NULL},
    {"date 2024-03-15x glued text is not a header", NONE, NULL, NULL},
    {"dated 2024-03-15 is another word", MENTION, "2024-03-15", NULL},
    {"date2024-03-15 needs a blank after the word", NONE, NULL, NULL},
    {"date 2024-13-45 is not a header at all", NONE, NULL, NULL},
    {"May 18, 2024x", NONE, NULL, NULL},
};

static void dates(void **state)
{
    (void)state;
    static char line[512];
    for (size_t i = 0; i < sizeof DATES / sizeof DATES[0]; i++) {
        const date_case *c = &DATES[i];
        assert_true(strlen(c->line) < sizeof line);
        size_t n = strlen(c->line);
        char *copy = malloc(n ? n : 1); /* exact size, no NUL: overreads trip ASan */
        assert_non_null(copy);
        memcpy(copy, c->line, n);
        meta_date d;
        memset(&d, 'X', sizeof d);
        meta_date_kind k = sli_meta_find_date(copy, n, &d);
        memcpy(line, copy, n); /* checked from here on: the copy is freed first */
        free(copy);
        copy = line;
        if (k != c->kind)
            fail_msg("date case %zu (\"%s\"): kind %d, expected %d (iso \"%s\")", i, c->line,
                     (int)k, (int)c->kind, k ? d.iso : "");
        assert_int_equal(d.kind, k);
        if (k != NONE) {
            if (strcmp(d.iso, c->iso) != 0)
                fail_msg("date case %zu (\"%s\"): iso \"%s\", expected \"%s\"", i, c->line,
                         d.iso, c->iso);
            assert_true(d.start + d.len <= n);
            if (c->span && (d.len != strlen(c->span) || memcmp(copy + d.start, c->span, d.len)))
                fail_msg("date case %zu (\"%s\"): span \"%.*s\", expected \"%s\"", i, c->line,
                         (int)d.len, copy + d.start, c->span);
        } else {
            assert_string_equal(d.iso, "");
        }
    }
}

/* --- bylines --- */

typedef struct text_case {
    const char *line;
    const char *want; /* NULL: must not match */
} text_case;

static const text_case BYLINES[] = {
    /* The forms the brief lists. */
    {"By Ana Lutz", "Ana Lutz"},
    {"By ANA LUTZ, Staff Reporter", "ANA LUTZ"},
    {"Published By: Rohan Mehta", "Rohan Mehta"},
    {"Written by Aditi Rao | Navapur", "Aditi Rao"},
    {"Reporting by Mira Kessel; Editing by Tom Hale", "Mira Kessel"},
    {"About the Author: Mira Kessel covers fisheries for the Review.", "Mira Kessel"},
    {"Express News Service | Indrapur", "Express News Service"},
    {"By Ana Lutz and Rohan Mehta", "Ana Lutz and Rohan Mehta"},
    {"Ana Lutz, Staff Writer", "Ana Lutz"},

    /* Every byline the examples corpus prints. */
    {"By Callum Reid", "Callum Reid"},
    {"By Finn Dalby", "Finn Dalby"},
    {"By Reuters", "Reuters"},
    {"Reuters | Kessa Island", "Reuters"},
    {"Published By: Aditi Rao", "Aditi Rao"},
    {"Reporting by Jonah Brill", "Jonah Brill"},
    {"Reporting by Ida Moss", "Ida Moss"},
    {"Written by Neha Kulkarni | Indrapur", "Neha Kulkarni"},
    {"(Reporting by Anders Vik; Editing by Claire Holloway)", NULL}, /* wire sign-off */
    {"About the Author: Sanne Voll writes about climate and the environment for The Kestrel "
     "Review.",
     "Sanne Voll"},
    {"About the Author: Piet Halloran writes about transport and infrastructure for The "
     "Kestrel Review.",
     "Piet Halloran"},
    {"Ben Ashdown covers business and the waterfront for the Northgate Courier. Reach him at "
     "bashdown@northgatecourier.example.",
     "Ben Ashdown"},
    {"Carla Menn reports on housing, local government and the Tarn valley for the Northgate "
     "Courier.",
     "Carla Menn"},

    /* More forms. */
    {"BY ANA LUTZ", "ANA LUTZ"},
    {"By: Ana Lutz", "Ana Lutz"},
    {"by Ana Lutz", "Ana Lutz"},
    {"Author: Ana Lutz", "Ana Lutz"},
    {"\xe2\x80\x94 By Ana Lutz", "Ana Lutz"},
    {"By ANA LUTZ and ROHAN MEHTA", "ANA LUTZ and ROHAN MEHTA"},
    {"By Ana Lutz, Rohan Mehta and Tom Hale", "Ana Lutz, Rohan Mehta and Tom Hale"},
    {"By Ana Lutz & Rohan Mehta", "Ana Lutz & Rohan Mehta"},
    {"By Ana Lutz in Navapur", "Ana Lutz"},
    {"By Ana Lutz, Navapur", "Ana Lutz"},
    {"By Ana Lutz for The Harbour Times", "Ana Lutz"},
    {"By Ana Lutz \xc2\xb7 9 November 2024", "Ana Lutz"},
    {"By Ana Lutz Updated: 9 November 2024", "Ana Lutz"},
    {"By Ana Lutz, senior correspondent", "Ana Lutz"},
    {"ANA LUTZ | Senior Correspondent", "ANA LUTZ"},
    {"Ana Lutz \xe2\x80\x94 Political Editor", "Ana Lutz"},
    {"Mira Kessel is a staff writer at The Kestrel Review.", "Mira Kessel"},
    {"By Ludwig van Beethoven", "Ludwig van Beethoven"},
    {"By J. K. Rowling", "J. K. Rowling"},
    {"By J.K. Rowling", "J.K. Rowling"},
    {"By Dr. Ana Lutz", "Dr. Ana Lutz"},
    {"By Sean O'Brien-Hale", "Sean O'Brien-Hale"},
    {"By Bj\xc3\xb6rn \xc3\x85kerlund", "Bj\xc3\xb6rn \xc3\x85kerlund"},
    {"By Zo\xc3\xab Ferrand \xe2\x80\x94 Portvale", "Zo\xc3\xab Ferrand"},
    {"By The Associated Press", "The Associated Press"},
    {"Story by Lena Hart", "Lena Hart"},
    {"By Staff Reporter", "Staff Reporter"},
    {"By Special Correspondent | Navapur", "Special Correspondent"},
    {"By Reuters Staff", "Reuters"},
    {"By Our Correspondent", "Our Correspondent"},
    {"By Political Editor Ana Lutz", "Ana Lutz"},
    {"By Staff", "Staff"},
    {"By Staff and Agencies", "Staff and Agencies"},
    {"By Special Correspondent, Navapur", "Special Correspondent"},
    {"Reporting by Anders Vik; Editing by Claire Holloway", "Anders Vik"},
    {"(By Ana Lutz)", "Ana Lutz"},

    /* Not bylines. */
    {"Stand by me", NULL},
    {"The law was passed by parliament on Monday.", NULL},
    {"By the way, this is a long sentence that goes on and on about nothing at all.", NULL},
    {"Byzantine art show opens", NULL},
    {"By Monday afternoon, 38 vessels were waiting at anchor off the harbour mouth.", NULL},
    {"By eight o'clock on Wednesday morning, the queue of volunteers stretched past the car "
     "park.",
     NULL},
    {"By continuing, you agree to our use of cookies.", NULL},
    {"By Clicking Subscribe You Agree", NULL},
    {"By Portvale standards, this was a quiet year.", NULL},
    {"By Portvale, the strike had spread to Ostby.", NULL},
    {"By Tuesday's close, shares had fallen.", NULL},
    {"By March, prices had doubled.", NULL},
    {"About the Author", NULL},
    {"Ben Ashdown", NULL}, /* a bare name: the block's context decides, not the line */
    {"Also Read | Brenna flood: one dead as River Tarn breaches banks", NULL},
    {"Privacy Policy | Terms of Use", NULL},
    {"Share: Facebook | X | Email", NULL},
    {"Cookie settings | Privacy | Terms", NULL},
    {"Trends : Navapur Metro | Gold Rate Today | Republic Day Parade", NULL},
    {"Home / World", NULL},
    {"Home \xc2\xbb News \xc2\xbb Business", NULL},
    {"Copyright \xc2\xa9 2024 Northgate Courier. All rights reserved. | Privacy Policy | Terms "
     "of Use",
     NULL},
    {"Gwen Tarrow, the union's general secretary, said members were solid.", NULL},
    {"Tomas Reny, Trade and Fisheries Minister", NULL},
    {"Teo Marsh, centre, with a Brenna Town youth side in 2017. (Photo: Brenna Town FC)", NULL},
    {"Ilse Marten reports to parliament on Tuesday.", NULL},
    {"by-election results", NULL},
    {"By", NULL},
    {"By ", NULL},
    {"", NULL},
};

/* --- credits --- */

static const text_case CREDITS[] = {
    /* The forms the brief lists. */
    {"LINDHAVEN, March 14 (Reuters) - Valdoria cut...", "Reuters"},
    {"Source: AFP", "AFP"},
    {"\xe2\x80\x94 AP", "AP"},
    {"(AP) \xe2\x80\x94", "AP"},
    {"With inputs from PTI", "PTI"},
    {"Reuters | Kessa Island", "Reuters"},
    {"Agence France-Presse", "AFP"},
    {"Associated Press", "AP"},

    /* Every credit the examples corpus prints. */
    {"Lindhaven (AFP) - Estmark's central bank on Thursday raised its key interest rate",
     "AFP"},
    {"LINDHAVEN, Estmark (AP) \xe2\x80\x94 Estmark and Valdoria signed an agreement on Friday",
     "AP"},
    {"KESSA ISLAND, Estmark, May 18 (Reuters) - A passenger ferry carrying 231 people ran "
     "aground",
     "Reuters"},
    {"Source: Reuters", "Reuters"},
    {"Source: AP", "AP"},
    {"By Reuters", "Reuters"},

    /* More forms and agencies. */
    {"ANI", "ANI"},
    {"NEW DELHI (ANI): The government said on Monday", "ANI"},
    {"ANI reported that the talks had ended.", "ANI"},
    {"The minister told ANI on Monday that talks would resume.", "ANI"},
    {"The toll rose to 12, according to Xinhua.", "Xinhua"},
    {"(With inputs from IANS)", "IANS"},
    {"- Reuters", "Reuters"},
    {"The ministry said the talks would resume. \xe2\x80\x94 AFP", "AFP"},
    {"\xc2\xa9 2024 The Associated Press. All rights reserved.", "AP"},
    {"Copyright 2024 Thomson Reuters", "Reuters"},
    {"\xc2\xa9 Reuters 2024", "Reuters"},
    {"Press Trust of India", "PTI"},
    {"BERLIN (dpa) - The government said", "dpa"},
    {"SEOUL, May 18 (Yonhap) -- North Korea fired", "Yonhap"},
    {"TOKYO (Kyodo) \xe2\x80\x94 Japan's cabinet", "Kyodo"},
    {"Anadolu Agency", "Anadolu"},
    {"MOSCOW, May 18 (TASS) - The Kremlin said", "TASS"},
    {"ROME (ANSA) - Italy's premier", "ANSA"},
    {"MADRID (EFE) - Spain's government", "EFE"},
    {"SYDNEY (AAP) - Australia's", "AAP"},
    {"Australian Associated Press", "AAP"},
    {"BEIJING (Xinhua) -- China's exports rose", "Xinhua"},
    {"(Bloomberg) -- Stocks fell in early trading", "Bloomberg"},
    {"Source: Reuters, AFP", "Reuters"},
    {"Credit: UNI", "UNI"},
    {"REUTERS", "Reuters"},
    {"AFP | Paris", "AFP"},
    {"Deutsche Presse-Agentur", "dpa"},
    {"Indo-Asian News Service", "IANS"},
    {"the AFP news agency said", "AFP"},
    {"[Reuters]", "Reuters"},

    /* Not credits. */
    {"What will happen next?", NULL},
    {"Ani Kovac, a teacher, said the school would reopen.", NULL},
    {"The trade press reported the sale.", NULL},
    {"apple pie", NULL},
    {"APPLE PIE RECIPE", NULL},
    {"Michael Bloomberg funded the new library.", NULL},
    {"Bloomberg Philanthropies gave 2 million crowns.", NULL},
    {"The AP Stylebook changed its rules.", NULL},
    {"UNI students protest over fees", NULL},
    {"Reuters Institute report finds trust in news falling", NULL},
    {"Press freedom day is marked on Friday", NULL},
    {"(Reporting by Anders Vik; Editing by Claire Holloway)", NULL},
    {"Source: the ministry", NULL},
    {"The tapas bar reopened.", NULL},
    {"Japan (Tokyo) - talks", NULL},
    {"By Ana Lutz", NULL},
    {"Share: Facebook | X | Email", NULL},
    {"(AP Photo/Jane Doe)", NULL},
    {"REUTERS/Jane Doe", NULL},
    {"A trawler leaves Ostby harbour. REUTERS/Jane Doe", NULL},
    {"PTI Photo", NULL},
    {"Photo: Reuters", NULL},
    {"Xinhua said the talks went well.", NULL},
    {"", NULL},
};

typedef int (*text_fn)(const char *, size_t, char *, size_t);

static void run_text_cases(const char *what, text_fn fn, const text_case *cases, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const text_case *c = &cases[i];
        size_t n = strlen(c->line);
        char *copy = malloc(n ? n : 1);
        assert_non_null(copy);
        memcpy(copy, c->line, n);
        char out[128];
        memset(out, 'X', sizeof out);
        int got = fn(copy, n, out, sizeof out);
        free(copy);
        if (got != (c->want != NULL))
            fail_msg("%s case %zu (\"%s\"): returned %d (out \"%s\"), expected %d", what, i,
                     c->line, got, got ? out : "", c->want != NULL);
        if (got && strcmp(out, c->want) != 0)
            fail_msg("%s case %zu (\"%s\"): wrote \"%s\", expected \"%s\"", what, i, c->line,
                     out, c->want);
        if (!got)
            assert_string_equal(out, "");
    }
}

static void bylines(void **state)
{
    (void)state;
    run_text_cases("byline", sli_meta_find_byline, BYLINES, sizeof BYLINES / sizeof BYLINES[0]);
}

static void credits(void **state)
{
    (void)state;
    run_text_cases("credit", sli_meta_find_credit, CREDITS, sizeof CREDITS / sizeof CREDITS[0]);
}

/* Small output buffers: truncated, NUL-terminated, never a cut UTF-8 sequence; a NULL
 * or empty buffer still gives the answer. */
static void small_outputs(void **state)
{
    (void)state;
    char out[32];
    const char *by = "By Ana Lutz";
    assert_int_equal(sli_meta_find_byline(by, strlen(by), out, 4), 1);
    assert_string_equal(out, "Ana");
    assert_int_equal(sli_meta_find_byline(by, strlen(by), NULL, 0), 1);
    memset(out, 'X', sizeof out);
    assert_int_equal(sli_meta_find_byline(by, strlen(by), out, 0), 1);
    assert_int_equal(out[0], 'X');
    const char *zoe = "By Zo\xc3\xab Ferrand";
    assert_int_equal(sli_meta_find_byline(zoe, strlen(zoe), out, 4), 1);
    assert_string_equal(out, "Zo"); /* "Zo\xc3" would cut the e-diaeresis */
    assert_int_equal(sli_meta_find_byline(zoe, strlen(zoe), out, 5), 1);
    assert_string_equal(out, "Zo\xc3\xab");

    const char *cr = "Source: Reuters";
    assert_int_equal(sli_meta_find_credit(cr, strlen(cr), out, 3), 1);
    assert_string_equal(out, "Re");
    assert_int_equal(sli_meta_find_credit(cr, strlen(cr), NULL, 0), 1);
    assert_int_equal(sli_meta_find_credit(cr, strlen(cr), out, 1), 1);
    assert_string_equal(out, "");

    const char *dt = "Published: 9 November 2024";
    assert_int_equal(sli_meta_find_date(dt, strlen(dt), NULL), META_DATE_PUBLISHED);

    /* n bounds the line: what follows is never read. */
    const char *longer = "By Ana Lutz and Rohan Mehta";
    assert_int_equal(sli_meta_find_byline(longer, 11, out, sizeof out), 1);
    assert_string_equal(out, "Ana Lutz");
    const char *iso = "2024-11-09T08:00:00Z";
    meta_date d;
    assert_int_equal(sli_meta_find_date(iso, 10, &d), META_DATE_LINE);
    assert_string_equal(d.iso, "2024-11-09");
}

/* Every case line at every prefix length, from an exact-size copy: no read past n, and
 * the outputs keep their invariants. */
static void check_all(const char *s, size_t n)
{
    meta_date d;
    char out[128];
    meta_date_kind k = sli_meta_find_date(s, n, &d);
    assert_true(k >= META_DATE_NONE && k <= META_DATE_PUBLISHED);
    if (k != META_DATE_NONE) {
        assert_true(d.start + d.len <= n);
        assert_true(d.len > 0);
        size_t len = strlen(d.iso);
        assert_true(len == 10 || (len >= 19 && len < sizeof d.iso));
    }
    if (sli_meta_find_byline(s, n, out, sizeof out)) {
        assert_true(strlen(out) > 0 && strlen(out) < sizeof out);
        assert_true(strlen(out) <= n);
    }
    if (sli_meta_find_credit(s, n, out, sizeof out))
        assert_true(strlen(out) > 0 && strlen(out) < 16);
}

static void prefixes(void **state)
{
    (void)state;
    const char *lines[sizeof DATES / sizeof DATES[0] + sizeof BYLINES / sizeof BYLINES[0] +
                      sizeof CREDITS / sizeof CREDITS[0]];
    size_t count = 0;
    for (size_t i = 0; i < sizeof DATES / sizeof DATES[0]; i++)
        lines[count++] = DATES[i].line;
    for (size_t i = 0; i < sizeof BYLINES / sizeof BYLINES[0]; i++)
        lines[count++] = BYLINES[i].line;
    for (size_t i = 0; i < sizeof CREDITS / sizeof CREDITS[0]; i++)
        lines[count++] = CREDITS[i].line;
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(lines[i]);
        for (size_t m = 0; m <= n; m++) {
            char *copy = malloc(m ? m : 1);
            assert_non_null(copy);
            memcpy(copy, lines[i], m);
            check_all(copy, m);
            free(copy);
            /* And every suffix, so that look-behinds meet the line start. */
            char *tail = malloc(n - m ? n - m : 1);
            assert_non_null(tail);
            memcpy(tail, lines[i] + m, n - m);
            check_all(tail, n - m);
            free(tail);
        }
    }
}

/* Random soup of date, name and agency fragments, separators, non-ASCII and invalid
 * bytes: nothing crashes, outputs keep their invariants. */
static void soup(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "By ", "by", "Ana ", "LUTZ", "Lutz", ", ", "|", " | ", ";", "(", ")", "[", "]",
        "Reuters", "AP", "AFP", "PTI", "ANI", "dpa", "Source:", "With inputs from ",
        "\xe2\x80\x94", "\xe2\x80\x93", "\xc2\xbb", "\xc2\xb7", "\xc2\xa0", "\xc2\xa9", "-",
        "--", ":", ".", "/", " ", "  ", "\t", "2024", "2024-", "11", "-09", "9", "09",
        "th", "st", "T", "Z", "+05:30", "+0530", "-", "May", "Sept", "November", "Nov.",
        "Sat", "Saturday", "18", "31", "12", ":05", "7:02:11", " am", "pm", "p.m.", "IST",
        "GMT", "UTC", "BST", "EDT", "Updated", "Published", "Last", "First", "on", "at",
        "About the Author", "Written by", "Reporting by", "and", "&", "van", "\xc3\xb6",
        "\xc3\x85", "\xff", "\x80", "\xe2\x80", "\xf0\x9f\x98", "\xf0\x9f\x98\x80", "e\xcc\x81",
        "\x01", "'", "\xe2\x80\x99", "s", "Staff Reporter", "covers", "for", "The",
        "Associated Press", "hrs", "(Reuters)", "14.05", "9.40pm", "18/05/2024", "05/18/",
    };
    uint64_t seed = 0x5eed;
    char line[600];
    for (int round = 0; round < 40000; round++) {
        size_t n = 0;
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        int parts = 1 + (int)((seed >> 33) % 24);
        for (int k = 0; k < parts; k++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            const char *p = pieces[(seed >> 33) % (sizeof pieces / sizeof pieces[0])];
            size_t len = strlen(p);
            if (n + len > sizeof line)
                break;
            memcpy(line + n, p, len);
            n += len;
        }
        char *copy = malloc(n ? n : 1);
        assert_non_null(copy);
        memcpy(copy, line, n);
        check_all(copy, n);
        free(copy);
    }
}

/* Long lines stay linear: a paragraph of a few hundred kilobytes full of near-misses. */
static void long_lines(void **state)
{
    (void)state;
    static const char *const units[] = {
        "on March 3, 2024 the council met by AP and (Reuters) ",
        "AP AP AP by by By Ana Lutz, ",
        "2024-11-09 18:05 IST 12 May 9 pm ",
        "                                                                ",
        "\xe2\x80\x94\xe2\x80\x94\xc2\xa0\xc2\xa0",
    };
    size_t size = 1u << 18;
    char *big = malloc(size);
    assert_non_null(big);
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t len = strlen(units[u]), n = 0;
        while (n + len <= size) {
            memcpy(big + n, units[u], len);
            n += len;
        }
        check_all(big, n);
    }
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates),    cmocka_unit_test(bylines),       cmocka_unit_test(credits),
        cmocka_unit_test(small_outputs), cmocka_unit_test(prefixes), cmocka_unit_test(soup),
        cmocka_unit_test(long_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
