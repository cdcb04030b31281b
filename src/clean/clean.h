/* clean.h — the cleaning stage (internal): which lines of a flattened article are the
 * article, and its title, date, byline and credit. The stage's one header for the rest
 * of the library: cleaning articles held in the store is declared in clean_store.h,
 * included at the end; meta.h and lexicon.h are the stage's own.
 *
 * Every line gets a label and the signal that decided it, from several signals together:
 *   - wording: furniture phrases ("Also Read |", "Advertisement", "Leave a Reply", ...);
 *   - repetition: lines this source prints in many of its articles (its template), lines
 *     many sources print ("Read More"), a line printed twice in one article;
 *   - shape: length, stop-word density (prose has many), sentence punctuation,
 *     capitalisation, pipes and chevrons, list markers;
 *   - context: short lines take the class of the prose around them; a heading such as
 *     "Most Popular" or "Related stories" ends the article; text after the body that does
 *     not continue its topic (a sidebar of headlines and blurbs) is not the article. */
#ifndef SL_CLEAN_H
#define SL_CLEAN_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "meta.h"

/* Lines up to this many characters are counted for repetition (templates are short);
 * longer ones are keyed by their exact bytes when no normalised text is asked for. */
#define CLEAN_COUNTED_CHARS 300

/* A line printed by this many articles of its source (and TEMPLATE_SHARE of them,
 * classify.c) is the source's template; a short line printed by this many sources is
 * furniture common to many sites. */
#define CLEAN_TEMPLATE_MIN 3
#define CLEAN_COMMON_SOURCES 4
/* The fewest articles (of every source together) that print a line whose counts can change
 * a cleaning: a source's articles and the sources that print a line are each at most the
 * articles that print it, so a line printed by fewer is below both bars above, and cleans
 * as a line counted nowhere (sl_line_counts_write_part keeps only the others). */
#define CLEAN_REPEATS_MATTER \
    (CLEAN_TEMPLATE_MIN < CLEAN_COMMON_SOURCES ? CLEAN_TEMPLATE_MIN : CLEAN_COMMON_SOURCES)

typedef enum clean_label {
    CLEAN_BODY,       /* the article */
    CLEAN_TITLE,      /* the headline (kept in the title field, not in the text) */
    CLEAN_META,       /* a date, byline or credit line (kept in their fields) */
    CLEAN_FURNITURE,  /* site furniture by its wording */
    CLEAN_TEMPLATE,   /* repeated in many articles of this source */
    CLEAN_COMMON,     /* repeated across many sources */
    CLEAN_DUPLICATE,  /* printed earlier in this article */
    CLEAN_BOILER,     /* not prose: menus, lists, labels, link text */
    CLEAN_AFTER_END,  /* after a heading that ends the article ("Most Popular", ...) */
    CLEAN_OFF_TOPIC,  /* prose outside the body that does not continue its topic */
    CLEAN__COUNT
} clean_label;

/* The name of a label ("body", "template", ...). */
const char *sli_clean_label_name(clean_label label);

typedef struct clean_line {
    size_t start, len;  /* the trimmed line in the raw text */
    uint64_t hash;      /* XXH3 of the normalised line: the key for repetition counts */
    clean_label label;
    const char *why;    /* the signal that decided, a static string */
    const char *detail; /* a static detail (the phrase matched), or NULL */
    /* shape */
    int chars, words, stops, capitals, digits;
    int cjk;            /* Chinese/Japanese characters: their prose has no spaces */
    int sentence_end;   /* ends with . ! ? or a closing quote after one */
    int cls;            /* internal prose class, see classify.c */
    int soft;           /* labelled by shape and context alone, not by a hard signal */
} clean_line;

/* How often a line is seen elsewhere in the store. */
typedef struct clean_repeats {
    long same_source; /* articles of this source that print it (this one included) */
    long sources;     /* distinct sources that print it */
} clean_repeats;

typedef void (*clean_lookup_fn)(void *user, const uint64_t *hashes, size_t n,
                                clean_repeats *out);

typedef struct clean_input {
    const char *title;      /* given by the input (JSON), or NULL */
    long source_articles;   /* articles from this source in the store, this one included */
    clean_lookup_fn lookup; /* NULL: no repetition statistics */
    void *user;
    /* What the DOM says of each line (html_hint.h), from the HTML front end: hints[i] is
     * for the i-th line of the raw text ('\n'-separated, as stored). NULL for text input. */
    const unsigned char *hints;
    size_t n_hints;
} clean_input;

typedef struct clean_result {
    clean_line *lines;
    size_t n, cap;
    buf text;               /* the cleaned text: body lines joined by '\n' */
    int title_line;         /* index of the headline line, or -1 */
    meta_date date;         /* kind NONE when no date was found */
    char byline[128];       /* "" when none */
    char credit[32];        /* "" when none */
    /* Scratch space kept from one article to the next (no allocation per article). */
    buf scratch;
    int *ints;
    size_t ints_cap;
} clean_result;

void sli_clean_result_init(clean_result *r, size_t max_text);
void sli_clean_result_free(clean_result *r);

/* Split `raw` into lines and give each its hash (what the store counts; for lines longer
 * than CLEAN_COUNTED_CHARS, unless `norm` is asked for, a hash of the exact bytes, which
 * is enough to find a repeat in one article) and its length in characters; the rest of
 * its shape is measured when it is labelled. When `norm` is
 * not NULL, the normalised form of the whole text is appended to it as well: the
 * normalised lines joined by single spaces, which is what sli_text_normalize() gives for
 * the whole text. */
sl_error sli_clean_split(const char *raw, size_t n, clean_result *r, buf *norm);

/* Count a line's words, stop words, capitals, numbers and characters (str: its text). */
void sli_clean_shape(const char *str, clean_line *l);

/* Label the lines (after sli_clean_split) and fill text, title_line, date, byline, credit. */
sl_error sli_clean_label_lines(const char *raw, size_t n, const clean_input *in, clean_result *r);

/* The hint of each of r's lines (after sli_clean_split): r's lines are the non-blank '\n'
 * lines of raw, in->hints[i] is for the i-th '\n' line, blank or not; lines past the
 * hints get 0. An array of r->n bytes to free(), or NULL when out of memory. */
unsigned char *sli_clean_line_hints(const char *raw, const clean_input *in, const clean_result *r);

#endif

/* Outside the guard: clean_store.h includes this header first (its own guard stops the
 * loop), so either order declares everything. */
#include "clean_store.h"
