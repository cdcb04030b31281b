/* html_hint.h — what the DOM says of one block of a page: one byte per line of the text
 * the HTML front end gives (html.h), read by the cleaner beside its text signals.
 * 0 means "no DOM evidence" (every line of a text or JSON Lines article). */
#ifndef SL_INGEST_HTML_HINT_H
#define SL_INGEST_HTML_HINT_H

typedef enum html_hint {
    HTML_HINT_NONE = 0, /* no evidence: the text front end's lines */
    HTML_HINT__COUNT
} html_hint;

#endif
