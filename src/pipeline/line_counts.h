/* line_counts.h — the cleaner's input made from sl_line_counts (internal: text_tools.c
 * cleans against them), and what line_counts.c and line_tally.c share. */
#ifndef SL_PIPELINE_LINE_COUNTS_H
#define SL_PIPELINE_LINE_COUNTS_H

#include "../clean/clean.h"
#include "../core/u64map.h"
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

/* A line's key in a tally (line_tally.c): its hash's high 32 bits (its part is the whole
 * hash modulo the parts). */
static inline uint64_t sli_line_key(uint64_t line)
{
    return line >> 32;
}

/* Write the keys of `keys` (key -> articles, capped as they are written) as a tally's blob,
 * in one call of fn. */
sl_error sli_line_keys_write(const u64map *keys, sl_write_fn fn, void *user);

/* Does the tally find the line printed by CLEAN_REPEATS_MATTER articles or more? */
int sli_line_tally_repeated(const sl_line_tally *t, uint64_t line);

#endif
