/* html_hint.h — what the DOM says of one block of a page: one byte per line of the text
 * the HTML front end gives (html.h), read by the cleaner beside its text signals.
 * 0 means "no DOM evidence" (every line of a text or JSON Lines article).
 *
 * The byte is four fields (docs/extraction.md):
 *   bits 0-3  the region the block sits in (HTML_REGION_*): 0 none, else the innermost
 *             element around it that is site furniture by its tag, role or class/id
 *             vocabulary (inside the main content only the furniture inside it counts:
 *             a wrapper around the article is not a sidebar);
 *   bits 4-5  the kind of block (HTML_KIND_*): paragraph or other, heading, list item,
 *             quotation;
 *   bit 6     HTML_HINT_MAIN: inside the main content chosen for the page (its
 *             <article>/<main>/articleBody and class vocabulary, text and link density
 *             scored as Readability does);
 *   bit 7     HTML_HINT_LINKS: most of the block's text is link text.
 * A page where no line has HTML_HINT_MAIN had no main content the front end trusted. */
#ifndef SL_INGEST_HTML_HINT_H
#define SL_INGEST_HTML_HINT_H

typedef enum html_hint {
    HTML_HINT_NONE = 0, /* no evidence: the text front end's lines */
    HTML_HINT_REGION_MASK = 0x0F,
    HTML_HINT_KIND_MASK = 0x30,
    HTML_HINT_MAIN = 0x40,
    HTML_HINT_LINKS = 0x80,
    HTML_HINT__COUNT = 0x100
} html_hint;

/* Regions (bits 0-3). */
enum {
    HTML_REGION_NONE = 0,
    HTML_REGION_NAV,        /* <nav>, <menu>, role=navigation, class nav/menu */
    HTML_REGION_HEADER,     /* <header>, role=banner, class header/masthead */
    HTML_REGION_FOOTER,     /* <footer>, role=contentinfo, class footer */
    HTML_REGION_ASIDE,      /* <aside>, role=complementary, class sidebar/widget/rail */
    HTML_REGION_FORM,       /* <form> (not holding the page), class search/login */
    HTML_REGION_COMMENTS,   /* class comment/disqus/respond */
    HTML_REGION_SHARE,      /* class share/social/sharing */
    HTML_REGION_RELATED,    /* class related/recommended/more-stories/popular/outbrain */
    HTML_REGION_NEWSLETTER, /* class newsletter/subscribe/signup */
    HTML_REGION_AD,         /* class ad/ads/advert/sponsor/promo */
    HTML_REGION_CAPTION,    /* <figcaption>, class caption/credit */
    HTML_REGION_BYLINE,     /* class byline/author/dateline/meta */
    HTML_REGION_TRAIL,      /* class breadcrumb/tags/keywords */
    HTML_REGION_HIDDEN,     /* hidden attribute, aria-hidden, display:none, class hidden */
    HTML_REGION__COUNT
};

/* Kinds of block (bits 4-5). */
enum {
    HTML_KIND_TEXT = 0x00,    /* a paragraph, table cell, other block */
    HTML_KIND_HEADING = 0x10, /* h1-h6 */
    HTML_KIND_ITEM = 0x20,    /* inside a list item (li, dd, dt) */
    HTML_KIND_QUOTE = 0x30    /* inside a blockquote */
};

#endif
