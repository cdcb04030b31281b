/* line_counts.h — the cleaner's input made from sl_line_counts (internal: text_tools.c
 * cleans against them). */
#ifndef SL_PIPELINE_LINE_COUNTS_H
#define SL_PIPELINE_LINE_COUNTS_H

#include "../clean/clean.h"
#include "storyline.h"

/* What the cleaner's look-up reads: the counts and the article's source in them. */
typedef struct line_counts_lookup {
    const sl_line_counts *c;
    size_t source;
} line_counts_lookup;

/* Set in's source_articles, lookup and user (k, kept by the caller while it cleans) for an
 * article of `source` cleaned against c. SL_ERR_NOT_FOUND when the counts never saw the
 * source (no article of it was counted). */
sl_error sli_line_counts_input(const sl_line_counts *c, const char *source, clean_input *in,
                               line_counts_lookup *k);

#endif
