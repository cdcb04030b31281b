/* line_counts.h — the cleaner's input made from sl_line_counts (internal: text_tools.c
 * cleans against them). */
#ifndef SL_PIPELINE_LINE_COUNTS_H
#define SL_PIPELINE_LINE_COUNTS_H

#include "../clean/clean.h"
#include "storyline.h"

/* Bytes of scratch space sli_line_counts_input needs, kept by the caller while it cleans. */
#define LINE_COUNTS_SCRATCH (2 * sizeof(void *))

/* Set in's source_articles, lookup and user for an article of `source` cleaned against c;
 * scratch: LINE_COUNTS_SCRATCH bytes, aligned as a pointer. SL_ERR_NOT_FOUND when the counts
 * never saw the source (no article of it was counted). */
sl_error sli_line_counts_input(const sl_line_counts *c, const char *source, clean_input *in,
                               void *scratch);

#endif
