/* html_blocks.c — a page's visible blocks and what the DOM says of each (html.h,
 * html_hint.h; the method and its constants: docs/extraction.md).
 *
 * One iterative walk over libxml2's tree (nesting may be 10,000 deep: no recursion) gives
 *   - the lines: text nodes outside head/script/style/..., whitespace collapsed, inline
 *     elements joined without spaces of their own, every other element (and <br>) ending
 *     the line; each line remembers the innermost block element its text sat in (owner),
 *     its characters, link characters and commas;
 *   - the elements: a flat array in document order (parent before child), each with its
 *     tag, and what its class/id/role/attributes say, read once per element.
 * Then, in linear passes over that array:
 *   1. characters and link characters summed up the tree (reverse document order);
 *   2. regions: an element that is furniture by its tag or vocabulary (and does not hold
 *      most of the page's text, which makes it a wrapper) gives its region to everything
 *      inside it;
 *   3. the main content, as Readability scores it: every line of 25+ characters outside
 *      furniture gives 1 + commas + min(chars/100, 3) to its owner's parent, half to the
 *      grandparent and score/(3*level) further up (5 levels); an element's first score
 *      starts from its tag's base and its class/id weight; scores are scaled by
 *      1 - link density; the best element and those of its siblings that score near it
 *      (or are paragraphs of prose) are the main content;
 *   4. each line's hint byte: its region (inside the main content only furniture inside
 *      it counts), kind, main-content bit and link-density bit; when the page's JSON-LD
 *      articleBody is shown in full in the main content, a line of the main content that
 *      the body lacks (a promo, "Trending News") loses the main-content bit. */
#include "html.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "../core/mix.h"
#include "html_hint.h"

/* ---- constants (docs/extraction.md says how each was chosen) ---- */

/* A line scores for its ancestors from this many characters (Readability: 25). */
#ifndef SCORE_MIN_CHARS
#define SCORE_MIN_CHARS 25
#endif
/* Lines of link text do not score (a list of headlines is not an article). */
#ifndef SCORE_SKIP_LINKS
#define SCORE_SKIP_LINKS 1
#endif
#ifndef DIV_TEXT_IN
#define DIV_TEXT_IN 1
#endif
/* Ancestors scored above a line's owner (Readability: 5). */
#ifndef SCORE_LEVELS
#define SCORE_LEVELS 5
#endif
/* A furniture element holding more than this share of the page's prose (characters of
 * lines of SCORE_MIN_CHARS+ that are not link text) is a wrapper ("page has-sidebar", a
 * display:none the page's script lifts), not furniture. */
#ifndef WRAPPER_SHARE
#define WRAPPER_SHARE 0.5
#endif
/* A line whose link characters are at least this share of its characters is link text. */
#ifndef LINK_DENSE
#define LINK_DENSE 0.5
#endif
/* Siblings of the best element join the main content from this share of its score. */
#ifndef SIBLING_SHARE
#define SIBLING_SHARE 0.2
#endif
/* The class/id weight of Readability. */
#ifndef CLASS_WEIGHT
#define CLASS_WEIGHT 25
#endif
/* Readability's alternative candidates: the ALT_CANDIDATES best others scoring at least
 * ALT_SHARE of the best; ALT_MIN of them under one ancestor make it the best. */
#ifndef ALT_CANDIDATES
#define ALT_CANDIDATES 4
#endif
#ifndef ALT_SHARE
#define ALT_SHARE 0.75
#endif
#ifndef ALT_MIN
#define ALT_MIN 3
#endif
/* The main content is trusted when it scores at least this much. */
#ifndef MAIN_MIN_SCORE
#define MAIN_MIN_SCORE 20
#endif
/* JSON-LD articleBody as evidence: its word 3-shingles are hashed into a set once per
 * page, and each line counts its shingles and those found in the set. The body is
 * evidence when it has JSONLD_MIN_SHINGLES shingles (and at most JSONLD_MAX_SHINGLES);
 * it is complete when the main content shows JSONLD_COMPLETE of them and it is not a
 * summary (its shingles are JSONLD_NOT_SUMMARY of the main content's at least). Then a
 * line of the main content with JSONLD_LINE_SHINGLES+ shingles, fewer than
 * 1/JSONLD_ABSENT of them in the body, and not a quote (an embedded post, which bodies
 * leave out and articles keep), is not main content. */
#ifndef JSONLD_EVIDENCE
#define JSONLD_EVIDENCE 1
#endif
#define JSONLD_MIN_SHINGLES 20
#define JSONLD_MAX_SHINGLES (1L << 20)
#ifndef JSONLD_COMPLETE
#define JSONLD_COMPLETE 0.85
#endif
#ifndef JSONLD_NOT_SUMMARY
#define JSONLD_NOT_SUMMARY 0.5
#endif
#ifndef JSONLD_LINE_SHINGLES
#define JSONLD_LINE_SHINGLES 3
#endif
#ifndef JSONLD_ABSENT
#define JSONLD_ABSENT 4
#endif

/* ---- tags ---- */

enum {
    T_OTHER, /* a block element with no role of its own */
    T_INLINE,
    T_SKIP, /* not shown: its subtree is left out */
    T_BR,
    T_A,
    T_P,
    T_DIV,
    T_PRE,
    T_TD,
    T_TH,
    T_BLOCKQUOTE,
    T_H,
    T_LI,
    T_LIST, /* ul, ol, dl */
    T_DD,
    T_ADDRESS,
    T_FORM,
    T_NAV,
    T_ASIDE,
    T_FOOTER,
    T_HEADER,
    T_MENU,
    T_ARTICLE,
    T_MAIN,
    T_SECTION,
    T_FIGCAPTION,
    T_BODY,
    T_HTML
};

typedef struct tag_entry {
    const char *name;
    unsigned char tag;
} tag_entry;

/* Sorted by name (bsearch). */
static const tag_entry tags[] = {
    {"a", T_A},           {"abbr", T_INLINE},      {"acronym", T_INLINE},
    {"address", T_ADDRESS}, {"applet", T_SKIP},    {"article", T_ARTICLE},
    {"aside", T_ASIDE},   {"audio", T_SKIP},       {"b", T_INLINE},
    {"bdi", T_INLINE},    {"bdo", T_INLINE},       {"big", T_INLINE},
    {"blockquote", T_BLOCKQUOTE}, {"body", T_BODY}, {"br", T_BR},
    {"button", T_SKIP},   {"canvas", T_SKIP},      {"cite", T_INLINE},
    {"code", T_INLINE},   {"data", T_INLINE},      {"datalist", T_SKIP},
    {"dd", T_DD},         {"del", T_INLINE},       {"dfn", T_INLINE},
    {"dialog", T_SKIP},   {"div", T_DIV},          {"dl", T_LIST},
    {"dt", T_DD},         {"em", T_INLINE},        {"embed", T_SKIP},
    {"figcaption", T_FIGCAPTION}, {"font", T_INLINE}, {"footer", T_FOOTER},
    {"form", T_FORM},     {"h1", T_H},             {"h2", T_H},
    {"h3", T_H},          {"h4", T_H},             {"h5", T_H},
    {"h6", T_H},          {"head", T_SKIP},        {"header", T_HEADER},
    {"html", T_HTML},     {"i", T_INLINE},         {"iframe", T_SKIP},
    {"img", T_INLINE},    {"input", T_SKIP},       {"ins", T_INLINE},
    {"kbd", T_INLINE},    {"label", T_INLINE},     {"li", T_LI},
    {"main", T_MAIN},     {"map", T_SKIP},         {"mark", T_INLINE},
    {"math", T_SKIP},     {"menu", T_MENU},        {"nav", T_NAV},
    {"noscript", T_SKIP}, {"object", T_SKIP},      {"ol", T_LIST},
    {"option", T_SKIP},   {"p", T_P},              {"picture", T_INLINE},
    {"pre", T_PRE},       {"q", T_INLINE},         {"s", T_INLINE},
    {"samp", T_INLINE},   {"script", T_SKIP},      {"section", T_SECTION},
    {"select", T_SKIP},   {"small", T_INLINE},     {"source", T_INLINE},
    {"span", T_INLINE},   {"strike", T_INLINE},    {"strong", T_INLINE},
    {"style", T_SKIP},    {"sub", T_INLINE},       {"sup", T_INLINE},
    {"svg", T_SKIP},      {"td", T_TD},            {"template", T_SKIP},
    {"textarea", T_SKIP}, {"th", T_TH},            {"time", T_INLINE},
    {"title", T_SKIP},    {"tt", T_INLINE},        {"u", T_INLINE},
    {"ul", T_LIST},       {"var", T_INLINE},       {"video", T_SKIP},
    {"wbr", T_INLINE},
};

static int tag_cmp(const void *key, const void *e)
{
    return strcmp(key, ((const tag_entry *)e)->name);
}

static unsigned char tag_of(const xmlChar *name)
{
    const tag_entry *e = bsearch(name, tags, sizeof tags / sizeof *tags, sizeof *tags, tag_cmp);
    return e ? e->tag : T_OTHER;
}

/* ---- class/id vocabulary ---- */

/* A word of the vocabulary: `part` 1 words must be a whole part of a class or id (split
 * at anything but letters and digits: "ad" in "top-ad", not in "head"), `part` 2 words a
 * whole class name ("hidden", not "field-label-hidden"), the others may be anywhere in
 * one ("related" in "relatedposts"). */
typedef struct vocab {
    const char *word;
    unsigned char region;
    unsigned char part;
    unsigned char strong; /* wins over a positive word in the same class/id */
} vocab;

static const vocab furniture[] = {
    {"comment", HTML_REGION_COMMENTS, 0, 1},  {"disqus", HTML_REGION_COMMENTS, 0, 1},
    {"respond", HTML_REGION_COMMENTS, 1, 1},  {"share", HTML_REGION_SHARE, 0, 1},
    {"sharing", HTML_REGION_SHARE, 0, 1},     {"social", HTML_REGION_SHARE, 0, 1},
    {"addthis", HTML_REGION_SHARE, 0, 1},     {"related", HTML_REGION_RELATED, 0, 1},
    {"recommend", HTML_REGION_RELATED, 0, 1}, {"outbrain", HTML_REGION_RELATED, 0, 1},
    {"taboola", HTML_REGION_RELATED, 0, 1},   {"popular", HTML_REGION_RELATED, 0, 1},
    {"trending", HTML_REGION_RELATED, 0, 1},  {"readmore", HTML_REGION_RELATED, 0, 1},
    {"newsletter", HTML_REGION_NEWSLETTER, 0, 1}, {"subscribe", HTML_REGION_NEWSLETTER, 0, 1},
    {"signup", HTML_REGION_NEWSLETTER, 0, 1}, {"advert", HTML_REGION_AD, 0, 1},
    {"ad", HTML_REGION_AD, 1, 1},             {"ads", HTML_REGION_AD, 1, 1},
    {"adslot", HTML_REGION_AD, 1, 1},         {"sponsor", HTML_REGION_AD, 0, 1},
    {"promo", HTML_REGION_AD, 0, 0},          {"sidebar", HTML_REGION_ASIDE, 0, 0},
    {"widget", HTML_REGION_ASIDE, 0, 0},      {"rail", HTML_REGION_ASIDE, 1, 0},
    {"breadcrumb", HTML_REGION_TRAIL, 0, 1},  {"breadcrumbs", HTML_REGION_TRAIL, 0, 1},
    {"tags", HTML_REGION_TRAIL, 1, 0},        {"tag", HTML_REGION_TRAIL, 1, 0},
    {"keywords", HTML_REGION_TRAIL, 1, 0},    {"caption", HTML_REGION_CAPTION, 0, 0},
    {"credit", HTML_REGION_CAPTION, 0, 0},    {"byline", HTML_REGION_BYLINE, 0, 1},
    {"dateline", HTML_REGION_BYLINE, 0, 0},   {"author", HTML_REGION_BYLINE, 0, 0},
    {"meta", HTML_REGION_BYLINE, 1, 0},       {"nav", HTML_REGION_NAV, 1, 0},
    {"navbar", HTML_REGION_NAV, 0, 0},        {"navigation", HTML_REGION_NAV, 0, 0},
    {"menu", HTML_REGION_NAV, 0, 0},          {"masthead", HTML_REGION_HEADER, 0, 0},
    {"header", HTML_REGION_HEADER, 1, 0},     {"footer", HTML_REGION_FOOTER, 0, 0},
    {"hidden", HTML_REGION_HIDDEN, 2, 1},     {"invisible", HTML_REGION_HIDDEN, 2, 1},
    {"sr-only", HTML_REGION_HIDDEN, 0, 1},    {"screen-reader", HTML_REGION_HIDDEN, 0, 1},
    {"visually-hidden", HTML_REGION_HIDDEN, 0, 1},
};

/* Readability's class/id weights: its positive and negative patterns. */
static const char *const positive_words[] = {"article", "body", "content", "entry", "hentry",
                                             "main", "page", "post", "text", "blog", "story"};
static const char *const negative_words[] = {
    "hidden", "banner", "combx", "comment", "com-", "contact", "foot", "footnote", "gdpr",
    "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox",
    "sidebar", "skyscraper", "sponsor", "shopping", "tags", "tool", "widget"};

static int alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Whether `word` is a whole part of s: parts split at non-alphanumerics (token 0), or
 * at spaces only (token 1: a whole class name). */
static int has_part(const char *s, size_t n, const char *word, size_t wn, int token)
{
    for (const char *p = s; (p = strstr(p, word)); p++) {
        size_t at = (size_t)(p - s);
        unsigned char before = at ? (unsigned char)s[at - 1] : ' ';
        unsigned char after = at + wn < n ? (unsigned char)s[at + wn] : ' ';
        if (token ? before == ' ' && after == ' ' : !alnum(before) && !alnum(after))
            return 1;
    }
    return 0;
}

typedef struct cls_info {
    unsigned char region, strong;
    int weight; /* Readability's class weight: +-CLASS_WEIGHT per attribute */
} cls_info;

/* One class or id value, lowercased into s (n bytes, NUL-terminated). */
static void read_vocab(const char *s, size_t n, cls_info *ci)
{
    if (!n)
        return;
    int pos = 0, neg = 0;
    for (size_t k = 0; k < sizeof positive_words / sizeof *positive_words && !pos; k++)
        pos = strstr(s, positive_words[k]) != NULL;
    for (size_t k = 0; k < sizeof negative_words / sizeof *negative_words && !neg; k++)
        neg = strstr(s, negative_words[k]) != NULL;
    ci->weight += (pos ? CLASS_WEIGHT : 0) - (neg ? CLASS_WEIGHT : 0);
    if (ci->region && ci->strong)
        return;
    for (size_t k = 0; k < sizeof furniture / sizeof *furniture; k++) {
        const vocab *v = &furniture[k];
        size_t wn = strlen(v->word);
        int hit = v->part ? has_part(s, n, v->word, wn, v->part == 2) : strstr(s, v->word) != NULL;
        if (!hit || (pos && !v->strong))
            continue;
        if (v->region == HTML_REGION_COMMENTS && strstr(s, "commentary"))
            continue; /* an opinion column, not readers' comments */
        if (v->region == HTML_REGION_SHARE && strstr(s, "embed"))
            continue; /* a post the article quotes ("social-media-embed"), not a share bar */
        ci->region = v->region;
        ci->strong = v->strong;
        return;
    }
}

/* ---- the elements ---- */

typedef struct elem {
    int parent;          /* index, -1 for the root */
    int block;           /* the innermost block element, this one or above */
    unsigned char tag;
    unsigned char own;   /* region by its own tag, role or vocabulary */
    unsigned char strong;
    unsigned char region; /* inherited */
    unsigned char kind;  /* HTML_KIND_* inherited */
    unsigned char in_link;
    unsigned char scored;
    unsigned char main;   /* 1: a root of the main content; 2: inside it */
    unsigned char positive; /* <article>, <main>, itemprop=articleBody */
    unsigned char alt_count; /* alternative candidates inside it (refine_top) */
    int weight;
    long chars, links;   /* own lines' characters, then summed over the subtree */
    long prose;          /* characters of its lines of SCORE_MIN_CHARS+ that are not link text */
    double score;
} elem;

typedef struct line_info {
    int owner;
    int chars, links, commas;
    int shingles, hits; /* word 3-shingles, and those in JSON-LD articleBody */
} line_info;

typedef struct walk {
    elem *e;
    size_t n, cap;
    line_info *lines;
    size_t n_lines, cap_lines;
    buf *text, *hints;
    size_t line_start;
    int line_owner;
    int line_chars, line_links, line_commas;
} walk;

static int lower_into(char *dst, size_t cap, const xmlChar *v)
{
    size_t k = 0;
    for (; v[k] && k + 1 < cap; k++) {
        unsigned char c = v[k];
        dst[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    dst[k] = '\0';
    return (int)k;
}

static int ci_equal(const xmlChar *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        unsigned char c = *a;
        if ((char)(c >= 'A' && c <= 'Z' ? c + 32 : c) != *b)
            return 0;
    }
    return !*a && !*b;
}

/* Hidden by an inline style: display:none (visibility:hidden is how pages fade text in). */
static int style_hidden(const xmlChar *v)
{
    char s[256];
    size_t k = 0;
    for (; *v && k + 1 < sizeof s; v++)
        if (*v != ' ' && *v != '\t')
            s[k++] = (char)(*v >= 'A' && *v <= 'Z' ? *v + 32 : *v);
    s[k] = '\0';
    return strstr(s, "display:none") != NULL;
}

static const xmlChar *attr_value(const xmlAttr *a)
{
    return a->children && a->children->content ? a->children->content : (const xmlChar *)"";
}

/* What an element's tag and attributes say, read once. */
static void read_element(const xmlNode *node, elem *el)
{
    switch (el->tag) {
    case T_NAV: case T_MENU: el->own = HTML_REGION_NAV; break;
    case T_ASIDE: el->own = HTML_REGION_ASIDE; break;
    case T_FOOTER: el->own = HTML_REGION_FOOTER; break;
    case T_HEADER: el->own = HTML_REGION_HEADER; break;
    case T_FORM: el->own = HTML_REGION_FORM; break;
    case T_FIGCAPTION: el->own = HTML_REGION_CAPTION; break;
    case T_ARTICLE: case T_MAIN: el->positive = 1; break;
    default: break;
    }
    if (el->own)
        el->strong = 1;
    if (el->tag == T_BODY || el->tag == T_HTML)
        return; /* their classes name the page's layout, not a block */
    cls_info ci = {0, 0, 0};
    char low[256];
    for (const xmlAttr *a = node->properties; a; a = a->next) {
        const xmlChar *name = a->name;
        switch (name[0] | 32) {
        case 'c':
            if (ci_equal(name, "class"))
                read_vocab(low, (size_t)lower_into(low, sizeof low, attr_value(a)), &ci);
            break;
        case 'i':
            if (ci_equal(name, "id"))
                read_vocab(low, (size_t)lower_into(low, sizeof low, attr_value(a)), &ci);
            else if (ci_equal(name, "itemprop") && ci_equal(attr_value(a), "articlebody"))
                el->positive = 1;
            break;
        case 'r':
            if (ci_equal(name, "role")) {
                const xmlChar *v = attr_value(a);
                if (ci_equal(v, "navigation") || ci_equal(v, "menu") || ci_equal(v, "menubar"))
                    el->own = HTML_REGION_NAV, el->strong = 1;
                else if (ci_equal(v, "complementary"))
                    el->own = HTML_REGION_ASIDE, el->strong = 1;
                else if (ci_equal(v, "contentinfo"))
                    el->own = HTML_REGION_FOOTER, el->strong = 1;
                else if (ci_equal(v, "banner"))
                    el->own = HTML_REGION_HEADER, el->strong = 1;
                else if (ci_equal(v, "main") || ci_equal(v, "article"))
                    el->positive = 1;
            }
            break;
        case 'h':
            if (ci_equal(name, "hidden"))
                el->own = HTML_REGION_HIDDEN, el->strong = 1;
            break;
        case 'a':
            if (ci_equal(name, "aria-hidden") && ci_equal(attr_value(a), "true"))
                el->own = HTML_REGION_HIDDEN, el->strong = 1;
            break;
        case 's':
            if (ci_equal(name, "style") && style_hidden(attr_value(a)))
                el->own = HTML_REGION_HIDDEN, el->strong = 1;
            break;
        default:
            break;
        }
    }
    el->weight = ci.weight + (el->positive ? CLASS_WEIGHT : 0);
    if (!el->own && ci.region) {
        el->own = ci.region;
        el->strong = ci.strong;
    }
}

/* ---- lines ---- */

static sl_error end_line(walk *w)
{
    buf *text = w->text;
    while (text->len > w->line_start && text->data[text->len - 1] == ' ')
        text->len--;
    if (text->len > w->line_start) {
        if (w->n_lines == w->cap_lines) {
            size_t cap = w->cap_lines ? 2 * w->cap_lines : 256;
            line_info *v = realloc(w->lines, cap * sizeof *v);
            if (!v)
                return SL_ERR_NOMEM;
            w->lines = v;
            w->cap_lines = cap;
        }
        w->lines[w->n_lines++] = (line_info){w->line_owner, w->line_chars, w->line_links,
                                             w->line_commas, 0, 0};
        sl_error err = sli_buf_putc(text, '\n');
        if (err)
            return err;
    } else {
        text->len = w->line_start;
    }
    if (text->data)
        text->data[text->len] = '\0';
    w->line_start = text->len;
    w->line_chars = w->line_links = w->line_commas = 0;
    w->line_owner = -1;
    return SL_OK;
}

static sl_error add_text(walk *w, const unsigned char *s, int cur, int pre)
{
    buf *text = w->text;
    int in_link = cur >= 0 && w->e[cur].in_link;
    size_t len = strlen((const char *)s);
    sl_error err = sli_buf_reserve(text, len + 1);
    if (err)
        return err;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c == '\n' && pre) {
            if ((err = end_line(w)) || (err = sli_buf_reserve(text, len - i + 1)))
                return err;
            continue;
        }
        int space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' ||
                    (c == 0xC2 && s[i + 1] == 0xA0);
        if (space) {
            if (c == 0xC2)
                i++;
            if (text->len == w->line_start || text->data[text->len - 1] == ' ')
                continue;
            c = ' ';
        }
        if (w->line_owner < 0)
            w->line_owner = cur >= 0 ? w->e[cur].block : -1;
        text->data[text->len++] = (char)c;
        if ((c & 0xC0) != 0x80) {
            w->line_chars++;
            w->line_links += in_link;
            w->line_commas += c == ',';
        }
    }
    text->data[text->len] = '\0';
    return SL_OK;
}

static sl_error new_elem(walk *w, const xmlNode *node, unsigned char tag, int parent)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 1024;
        elem *v = realloc(w->e, cap * sizeof *v);
        if (!v)
            return SL_ERR_NOMEM;
        w->e = v;
        w->cap = cap;
    }
    elem *el = &w->e[w->n];
    memset(el, 0, sizeof *el);
    el->parent = parent;
    el->tag = tag;
    read_element(node, el);
    int idx = (int)w->n;
    const elem *up = parent >= 0 ? &w->e[parent] : NULL;
    el->block = tag == T_INLINE || tag == T_A ? (up ? up->block : idx) : idx;
    el->in_link = tag == T_A || (up && up->in_link);
    el->kind = tag == T_H            ? HTML_KIND_HEADING
               : tag == T_LI || tag == T_DD ? HTML_KIND_ITEM
               : tag == T_BLOCKQUOTE ? HTML_KIND_QUOTE
               : up                  ? up->kind
                                     : HTML_KIND_TEXT;
    w->n++;
    return SL_OK;
}

static int pre_inside(const walk *w, int cur)
{
    for (int k = 0; cur >= 0 && k < 8; k++, cur = w->e[cur].parent)
        if (w->e[cur].tag == T_PRE)
            return 1;
    return 0;
}

/* The walk: lines and elements. */
static sl_error collect(walk *w, xmlNodePtr root)
{
    sl_error err = SL_OK;
    xmlNodePtr n = root;
    int cur = -1; /* the element whose children are walked */
    while (n && !err) {
        int descend = 0;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                err = add_text(w, n->content, cur, cur >= 0 && pre_inside(w, cur));
        } else if (n->type == XML_ELEMENT_NODE) {
            unsigned char tag = tag_of(n->name);
            if (tag == T_BR) {
                err = end_line(w);
            } else if (tag != T_SKIP) {
                if (tag != T_INLINE && tag != T_A)
                    err = end_line(w);
                if (!err && n->children) {
                    err = new_elem(w, n, tag, cur);
                    /* hidden inline text (a screen-reader label in a sentence) is left
                     * out: it would join the visible text of its line */
                    if (!err && (tag == T_INLINE || tag == T_A) &&
                        w->e[w->n - 1].own == HTML_REGION_HIDDEN) {
                        w->n--;
                    } else if (!err) {
                        cur = (int)w->n - 1;
                        descend = 1;
                    }
                }
            }
        }
        if (err)
            break;
        if (descend) {
            n = n->children;
            continue;
        }
        while (n && !n->next && n != root) {
            n = n->parent;
            if (n && n->type == XML_ELEMENT_NODE && cur >= 0) {
                unsigned char tag = w->e[cur].tag;
                if (tag != T_INLINE && tag != T_A && (err = end_line(w)))
                    return err;
                cur = w->e[cur].parent;
            }
        }
        if (!n || n == root)
            break;
        n = n->next;
    }
    return err ? err : end_line(w);
}

/* ---- the main content ---- */

static double base_score(unsigned char tag)
{
    switch (tag) {
    case T_DIV: return 5;
    case T_PRE: case T_TD: case T_BLOCKQUOTE: return 3;
    case T_ADDRESS: case T_LIST: case T_DD: case T_LI: case T_FORM: return -3;
    case T_H: case T_TH: return -5;
    default: return 0;
    }
}

static int refine_top(walk *w, int top)
{
    const elem *e = w->e;
    int alt[ALT_CANDIDATES];
    int n_alt = 0;
    /* the best few others, by score */
    for (size_t i = 0; i < w->n; i++) {
        if (!e[i].scored || (int)i == top || e[i].score < ALT_SHARE * e[top].score)
            continue;
        if (n_alt < ALT_CANDIDATES) {
            alt[n_alt++] = (int)i;
        } else {
            int worst = 0;
            for (int k = 1; k < n_alt; k++)
                if (e[alt[k]].score < e[alt[worst]].score)
                    worst = k;
            if (e[i].score > e[alt[worst]].score)
                alt[worst] = (int)i;
        }
    }
    if (n_alt >= ALT_MIN) {
        /* how many of them each element holds: a walk up from each (linear in depth) */
        for (int k = 0; k < n_alt; k++)
            for (int a = alt[k]; a >= 0; a = e[a].parent)
                w->e[a].alt_count++;
        for (int a = e[top].parent; a >= 0 && e[a].tag != T_BODY && e[a].tag != T_HTML;
             a = e[a].parent)
            if (e[a].alt_count >= ALT_MIN) {
                top = a;
                break;
            }
    }
    double last = e[top].score, threshold = last / 3;
    for (int a = e[top].parent; a >= 0 && e[a].tag != T_BODY && e[a].tag != T_HTML;
         a = e[a].parent) {
        if (!e[a].scored)
            continue;
        if (e[a].score < threshold)
            break;
        if (e[a].score > last) {
            top = a;
            break;
        }
        last = e[a].score;
    }
    return top;
}

static void choose_main(walk *w)
{
    elem *e = w->e;
    size_t n = w->n;
    /* 1. characters and link characters up the tree */
    for (size_t i = 0; i < w->n_lines; i++) {
        int o = w->lines[i].owner;
        if (o >= 0) {
            e[o].chars += w->lines[i].chars;
            e[o].links += w->lines[i].links;
            if (w->lines[i].chars >= SCORE_MIN_CHARS &&
                (double)w->lines[i].links < LINK_DENSE * w->lines[i].chars)
                e[o].prose += w->lines[i].chars;
        }
    }
    for (size_t i = n; i-- > 1;)
        if (e[i].parent >= 0) {
            e[e[i].parent].chars += e[i].chars;
            e[e[i].parent].links += e[i].links;
            e[e[i].parent].prose += e[i].prose;
        }
    long total = 0;
    for (size_t i = 0; i < n; i++)
        if (e[i].parent < 0)
            total += e[i].prose;
    /* 2. regions, inherited (a furniture element holding most of the page is a wrapper;
     * hidden always counts) */
    for (size_t i = 0; i < n; i++) {
        unsigned char own = e[i].own;
        if (own && (double)e[i].prose > WRAPPER_SHARE * (double)total)
            own = 0;
        e[i].own = own;
        e[i].region = own ? own : e[i].parent >= 0 ? e[e[i].parent].region : 0;
    }
    /* 3. Readability's scores */
    for (size_t i = 0; i < w->n_lines; i++) {
        const line_info *li = &w->lines[i];
        if (li->owner < 0 || li->chars < SCORE_MIN_CHARS || e[li->owner].region ||
            (SCORE_SKIP_LINKS && (double)li->links >= LINK_DENSE * li->chars))
            continue;
        double s = 1 + li->commas + (li->chars / 100 < 3 ? li->chars / 100 : 3);
        /* Text straight in a container (a <div> of text and <br>s) is a paragraph in it,
         * as Readability wraps it in a <p>: the container scores first. */
        unsigned char ot = e[li->owner].tag;
        int a = DIV_TEXT_IN && (ot == T_DIV || ot == T_SECTION || ot == T_ARTICLE ||
                                ot == T_MAIN || ot == T_OTHER)
                    ? li->owner
                    : e[li->owner].parent;
        for (int level = 0; a >= 0 && level < SCORE_LEVELS; level++, a = e[a].parent) {
            if (e[a].tag == T_BODY || e[a].tag == T_HTML)
                break;
            if (!e[a].scored) {
                e[a].scored = 1;
                e[a].score = base_score(e[a].tag) + e[a].weight;
            }
            e[a].score += s / (level == 0 ? 1 : level == 1 ? 2 : level * 3);
        }
    }
    int top = -1;
    double best = 0;
    for (size_t i = 0; i < n; i++) {
        if (!e[i].scored)
            continue;
        double ld = e[i].chars ? (double)e[i].links / (double)e[i].chars : 0;
        e[i].score *= 1 - ld;
        if (e[i].score > best) {
            best = e[i].score;
            top = (int)i;
        }
    }
    if (top < 0 || best < MAIN_MIN_SCORE)
        return;
    top = refine_top(w, top);
    best = e[top].score;
    /* 4. the best element and its siblings that score near it */
    int parent = e[top].parent;
    double threshold = best * SIBLING_SHARE > 10 ? best * SIBLING_SHARE : 10;
    e[top].main = 1;
    if (parent >= 0)
        for (size_t i = (size_t)parent + 1; i < n; i++) {
            if (e[i].parent != parent || (int)i == top || e[i].region)
                continue;
            double bonus = e[top].weight > 0 && e[i].weight == e[top].weight ? best * 0.2 : 0;
            if (e[i].scored && e[i].score + bonus >= threshold) {
                e[i].main = 1;
            } else if (e[i].tag == T_P && e[i].chars) {
                double ld = (double)e[i].links / (double)e[i].chars;
                if (e[i].chars > 80 && ld < 0.25)
                    e[i].main = 1;
            }
        }
    for (size_t i = 0; i < n; i++)
        if (!e[i].main && e[i].parent >= 0 && e[e[i].parent].main)
            e[i].main = 2;
}

/* ---- JSON-LD articleBody as evidence ---- */

typedef struct shingle_set {
    unsigned long long *slot; /* open addressing; 0 is empty */
    size_t mask, count;
} shingle_set;

static int word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

static unsigned long long mix(unsigned long long h)
{
    h = sli_mix64(h);
    return h ? h : 1;
}

/* The word 3-shingles of s[0..n) (words: runs of ASCII letters and digits, any byte of
 * 0x80 and up; ASCII case folded). With no set: their count. With a set: inserted
 * (insert), or the count of those found in it. */
static size_t shingles(shingle_set *set, const char *s, size_t n, int insert)
{
    unsigned long long w1 = 0, w2 = 0;
    size_t words = 0, count = 0;
    for (size_t i = 0; i < n;) {
        if (!word_byte((unsigned char)s[i])) {
            i++;
            continue;
        }
        unsigned long long h = 1469598103934665603ULL; /* FNV-1a */
        for (; i < n && word_byte((unsigned char)s[i]); i++) {
            unsigned char c = (unsigned char)s[i];
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c - 'A' + 'a');
            h = (h ^ c) * 1099511628211ULL;
        }
        if (++words >= 3) {
            unsigned long long k = mix((w1 * 0x9e3779b97f4a7c15ULL) ^ (w2 * 31 + h));
            if (!set) {
                count++;
            } else {
                size_t j = (size_t)k & set->mask;
                while (set->slot[j] && set->slot[j] != k)
                    j = (j + 1) & set->mask;
                if (set->slot[j])
                    count += !insert;
                else if (insert)
                    set->slot[j] = k, set->count++;
            }
        }
        w1 = w2;
        w2 = h;
    }
    return count;
}

/* Each line's shingles and hits in the body's set. Returns the body's distinct
 * shingles (0: no evidence), or -1 when out of memory. */
static long line_hits(walk *w, const buf *body)
{
    if (!body || !body->len)
        return 0;
    size_t n = shingles(NULL, body->data, body->len, 0);
    if (n < JSONLD_MIN_SHINGLES || n > (size_t)JSONLD_MAX_SHINGLES)
        return 0;
    size_t cap = 64;
    while (cap < 2 * n)
        cap *= 2;
    shingle_set set = {calloc(cap, sizeof(unsigned long long)), cap - 1, 0};
    if (!set.slot)
        return -1;
    shingles(&set, body->data, body->len, 1);
    const char *t = w->text->data;
    size_t at = 0, len = w->text->len;
    for (size_t i = 0; i < w->n_lines && at < len; i++) {
        const char *nl = memchr(t + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - t) : len;
        w->lines[i].shingles = (int)shingles(NULL, t + at, end - at, 0);
        w->lines[i].hits = (int)shingles(&set, t + at, end - at, 0);
        at = end + 1;
    }
    free(set.slot);
    return (long)set.count;
}

/* Whether the body is shown in full in the main content, and is not a summary of it. */
static int body_complete(const walk *w, long body_shingles)
{
    long in_main = 0, main_shingles = 0;
    for (size_t i = 0; i < w->n_lines; i++) {
        const line_info *li = &w->lines[i];
        if (li->owner >= 0 && w->e[li->owner].main) {
            in_main += li->hits;
            main_shingles += li->shingles;
        }
    }
    return body_shingles > 0 && in_main >= JSONLD_COMPLETE * (double)body_shingles &&
           (double)body_shingles >= JSONLD_NOT_SUMMARY * (double)main_shingles;
}

sl_error sli_html_blocks(const void *doc, const html_meta *meta, buf *text, buf *hints)
{
    sli_buf_clear(text);
    sli_buf_clear(hints);
    walk w = {0};
    w.text = text;
    w.hints = hints;
    w.line_owner = -1;
    xmlNodePtr root = xmlDocGetRootElement((xmlDocPtr)doc);
    sl_error err = root ? collect(&w, root) : SL_OK;
    long body_shingles = 0;
    if (!err && JSONLD_EVIDENCE) {
        body_shingles = line_hits(&w, meta ? &meta->body : NULL);
        if (body_shingles < 0)
            err = SL_ERR_NOMEM;
    }
    int complete = 0;
    if (!err) {
        choose_main(&w);
        complete = body_complete(&w, body_shingles);
        /* the region inside the main content: only furniture inside it counts */
        for (size_t i = 0; i < w.n; i++) {
            elem *el = &w.e[i];
            if (el->main == 1)
                el->region = el->own;
            else if (el->main == 2)
                el->region = el->own ? el->own : w.e[el->parent].region;
        }
        err = sli_buf_reserve(hints, w.n_lines + 1);
    }
    if (!err) {
        for (size_t i = 0; i < w.n_lines; i++) {
            const line_info *li = &w.lines[i];
            unsigned h = 0;
            if (li->owner >= 0) {
                const elem *el = &w.e[li->owner];
                h = el->region | el->kind | (el->main ? HTML_HINT_MAIN : 0);
            }
            if (li->chars && (double)li->links >= LINK_DENSE * li->chars)
                h |= HTML_HINT_LINKS;
            /* a line of the main content that a complete articleBody lacks */
            if (complete && (h & HTML_HINT_MAIN) && li->shingles >= JSONLD_LINE_SHINGLES &&
                (double)JSONLD_ABSENT * li->hits < li->shingles &&
                (h & HTML_HINT_KIND_MASK) != HTML_KIND_QUOTE)
                h &= ~(unsigned)HTML_HINT_MAIN;
            hints->data[hints->len++] = (char)h;
        }
        hints->data[hints->len] = '\0';
        /* no trailing newline: lines are separated, not terminated */
        if (text->len && text->data[text->len - 1] == '\n')
            text->data[--text->len] = '\0';
    }
    free(w.e);
    free(w.lines);
    return err;
}
