/* label.h — shared by the labelling steps of the clean stage (internal to src/clean/:
 * classify.c labels lines as body or not, meta_article.c picks the metadata lines). */
#ifndef SL_CLEAN_LABEL_H
#define SL_CLEAN_LABEL_H

#include "clean.h"

/* Prose classes (jusText's, on text alone), and SKIP: a short line already labelled by a
 * hard signal ("Advertisement", a byline), which its neighbours look through. */
enum { CLS_BAD, CLS_SHORT, CLS_NEARGOOD, CLS_GOOD, CLS_SKIP };

/* Give a line its label and the reason (static strings). */
static inline void set_label(clean_line *l, clean_label label, const char *why, const char *detail)
{
    l->label = label;
    l->why = why;
    l->detail = detail;
    l->cls = label == CLEAN_BODY ? CLS_GOOD : CLS_BAD;
    l->soft = 0;
}

/* Find the date, byline and credit lines near the body (labelled meta) and fill r->date,
 * r->byline and r->credit. */
void sli_clean_metadata(const char *raw, clean_result *r);

/* Find the headline: the input's title where it is printed, else the headline-like line
 * nearest above the body; labels it (and a standfirst under it) and sets r->title_line.
 * SL_ERR_NOMEM when the given title cannot be normalised. */
sl_error sli_clean_title(const char *raw, const clean_input *in, clean_result *r);

#endif
