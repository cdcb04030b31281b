/* html_meta.c — what a page says of itself (html.h): title, publication date, author,
 * site name, canonical URL, language, description, and JSON-LD's articleBody.
 *
 * One iterative walk over the tree (no recursion: 10,000 levels of nesting cost nothing
 * more) notes the candidates of each field; then each field takes the first candidate of
 * its order (docs/ingest.md, "HTML"):
 *   title:       og:title, twitter:title, JSON-LD headline, the first <h1>, <title>; the
 *                site's name is cut off (" | ", " - ", " – ", " — ", " :: ", " · ": the
 *                side matching og:site_name, or for <title> a short brand-like side);
 *   date:        JSON-LD datePublished, the <meta> keys of date_keys[] in that order,
 *                itemprop=datePublished, the first <time datetime> in <article> (else a
 *                <time pubdate> or the first <time datetime> of the page), the URL's date
 *                (/2023/06/12/, /20230612/, /2023-06-12-), else the canonical URL's;
 *   author:      JSON-LD author names, meta author / article:author / dc.creator ... (not
 *                a URL), rel=author, itemprop=author;
 *   site_name:   og:site_name, JSON-LD publisher.name, application-name;
 *   canonical:   <link rel=canonical>, og:url, JSON-LD url: resolved against the page URL;
 *   lang:        <html lang>, meta content-language, og:locale, JSON-LD inLanguage;
 *   description: meta description, og:description, twitter:description, JSON-LD;
 *   body:        JSON-LD articleBody (entities decoded, tags dropped).
 * Work is bounded: the walk visits each node once; the text of an element (a <title>, an
 * <h1>, an author link) is read up to META_TEXT_MAX bytes and META_TEXT_NODES nodes;
 * JSON-LD is read up to META_JSONLD_MAX bytes in all and META_JSONLD_NODES values. */
#include "html.h"

#include <errno.h>
#include <string.h>

#include <json-c/json.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>

#include "../core/utf8.h"
#include "../text/date.h"
#include "url.h"

#define META_TEXT_MAX 1024
#define META_TEXT_NODES 4096
#define META_JSONLD_MAX ((size_t)4 << 20)
#define META_JSONLD_NODES 4096
#define META_JSONLD_SCRIPTS 32

/* <meta> keys (name, property or itemprop; lower case) of a publication date, strongest
 * first. */
static const char *const date_keys[] = {
    "article:published_time", "og:article:published_time", "og:published_time",
    "published_time", "datepublished", "article.published", "article_date_original",
    "original-publish-date", "publish-date", "publish_date", "publishdate", "pubdate",
    "sailthru.date", "parsely-pub-date", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.date", "dc.date.created", "dcterms.created", "citation_publication_date",
    "date", "displaydate",
};
#define N_DATE_KEYS (sizeof date_keys / sizeof *date_keys)

static const char *const author_keys[] = {
    "author", "article:author", "dc.creator", "dcterms.creator", "sailthru.author",
    "parsely-author", "byl", "citation_author",
};
#define N_AUTHOR_KEYS (sizeof author_keys / sizeof *author_keys)

/* Candidates found by the walk: pointers into the tree (valid while it is). */
typedef struct found {
    const char *og_title, *tw_title, *og_site, *app_name, *og_url, *og_locale, *content_lang,
        *desc, *og_desc, *tw_desc, *html_lang, *canonical, *item_date;
    const char *dates[N_DATE_KEYS];
    const char *authors[N_AUTHOR_KEYS];
    const char *base; /* <base href> */
    xmlNodePtr title, h1, rel_author, item_author;
    const char *time_article, *time_pubdate, *time_first;
    xmlNodePtr ld[META_JSONLD_SCRIPTS];
    int n_ld;
} found;

/* What JSON-LD gave. */
typedef struct jsonld {
    int rank; /* of the object the article fields came from: 2 article, 1 web page */
    buf headline, date, author, publisher, body, lang, url, desc;
} jsonld;

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int name_is(xmlNodePtr n, const char *name)
{
    return n->name && !xmlStrcasecmp(n->name, (const xmlChar *)name);
}

/* An attribute's value ("" when it has none), or NULL when absent. */
static const char *attr(xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next)
        if (a->name && !xmlStrcasecmp(a->name, (const xmlChar *)name)) {
            if (a->children && a->children->content)
                return (const char *)a->children->content;
            return "";
        }
    return NULL;
}

/* Whether the space-separated list s has the word w (case-insensitive). */
static int has_word(const char *s, const char *w)
{
    if (!s)
        return 0;
    size_t k = strlen(w);
    while (*s) {
        while (*s && is_space((unsigned char)*s))
            s++;
        const char *start = s;
        while (*s && !is_space((unsigned char)*s))
            s++;
        if ((size_t)(s - start) == k && !xmlStrncasecmp((const xmlChar *)start,
                                                        (const xmlChar *)w, (int)k))
            return 1;
    }
    return 0;
}

static int blank(const char *s)
{
    if (!s)
        return 1;
    while (*s && is_space((unsigned char)*s))
        s++;
    return !*s;
}

/* Drop an incomplete character at the end of b (left by a cut at its maximum). */
static void trim_partial(buf *b)
{
    size_t k = b->len;
    while (k && ((unsigned char)b->data[k - 1] & 0xC0) == 0x80)
        k--;
    if (k && (unsigned char)b->data[k - 1] >= 0xC0 &&
        sli_utf8_seq_len((const unsigned char *)b->data + k - 1, b->len - (k - 1)) !=
            b->len - (k - 1)) {
        b->len = k - 1;
        b->data[b->len] = '\0';
    }
}

/* Append s[0..n) with white space runs as one space, trimmed (out is cleared first),
 * whole characters only (an invalid byte is dropped). At most about META_TEXT_MAX bytes. */
static sl_error put_text(buf *out, const char *s, size_t n)
{
    sli_buf_clear(out);
    int space = 0;
    sl_error err = SL_OK;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n && !err && out->len < META_TEXT_MAX;) {
        unsigned char c = u[i];
        if (is_space(c) || c < 0x20) {
            space = out->len > 0;
            i++;
            continue;
        }
        size_t k = c < 0x80 ? 1 : sli_utf8_seq_len(u + i, n - i);
        if (!k) {
            i++;
            continue;
        }
        if (k == 2 && c == 0xC2 && u[i + 1] == 0xA0) { /* no-break space */
            space = out->len > 0;
            i += 2;
            continue;
        }
        if (space)
            err = sli_buf_putc(out, ' ');
        space = 0;
        if (!err)
            err = sli_buf_append(out, s + i, k);
        i += k;
    }
    return err;
}

static sl_error put_str(buf *out, const char *s)
{
    return put_text(out, s, s ? strlen(s) : 0);
}

static int skip_element(xmlNodePtr n)
{
    return name_is(n, "script") || name_is(n, "style") || name_is(n, "noscript") ||
           name_is(n, "template");
}

/* The visible text of an element, bounded (out cleared first). */
static sl_error node_text(xmlNodePtr top, buf *out)
{
    buf raw;
    sli_buf_init(&raw, META_TEXT_MAX * 2);
    sl_error err = SL_OK;
    int visited = 0;
    xmlNodePtr n = top->children;
    while (n && !err && visited++ < META_TEXT_NODES && raw.len < META_TEXT_MAX) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content) {
                size_t k = strlen((const char *)n->content);
                if (k > META_TEXT_MAX)
                    k = META_TEXT_MAX;
                err = sli_buf_append(&raw, n->content, k);
                if (!err)
                    err = sli_buf_putc(&raw, ' ');
            }
        } else if (n->type == XML_ELEMENT_NODE && n->children && !skip_element(n)) {
            if (name_is(n, "br") || name_is(n, "p") || name_is(n, "div"))
                err = sli_buf_putc(&raw, ' ');
            n = n->children;
            continue;
        }
        while (n && n != top && !n->next)
            n = n->parent;
        if (!n || n == top)
            break;
        n = n->next;
    }
    if (err == SL_ERR_TOO_BIG)
        err = SL_OK;
    if (!err)
        err = put_text(out, raw.data ? raw.data : "", raw.len);
    sli_buf_free(&raw);
    return err;
}

static void keep(const char **slot, const char *v)
{
    if (!*slot && !blank(v))
        *slot = v;
}

static void see_meta(found *f, xmlNodePtr n)
{
    const char *content = attr(n, "content");
    if (!content)
        return;
    const char *keys[3] = {attr(n, "property"), attr(n, "name"), attr(n, "itemprop")};
    const char *equiv = attr(n, "http-equiv");
    if (equiv && !xmlStrcasecmp((const xmlChar *)equiv, (const xmlChar *)"content-language"))
        keep(&f->content_lang, content);
    for (int k = 0; k < 3; k++) {
        const char *key = keys[k];
        if (!key)
            continue;
        const xmlChar *x = (const xmlChar *)key;
#define IS(s) (!xmlStrcasecmp(x, (const xmlChar *)(s)))
        if (IS("og:title"))
            keep(&f->og_title, content);
        else if (IS("twitter:title"))
            keep(&f->tw_title, content);
        else if (IS("og:site_name"))
            keep(&f->og_site, content);
        else if (IS("application-name"))
            keep(&f->app_name, content);
        else if (IS("og:url"))
            keep(&f->og_url, content);
        else if (IS("og:locale"))
            keep(&f->og_locale, content);
        else if (IS("content-language") || IS("language") || IS("dc.language"))
            keep(&f->content_lang, content);
        else if (IS("description"))
            keep(&f->desc, content);
        else if (IS("og:description"))
            keep(&f->og_desc, content);
        else if (IS("twitter:description"))
            keep(&f->tw_desc, content);
        for (size_t i = 0; i < N_DATE_KEYS; i++)
            if (IS(date_keys[i]))
                keep(&f->dates[i], content);
        for (size_t i = 0; i < N_AUTHOR_KEYS; i++)
            if (IS(author_keys[i]))
                keep(&f->authors[i], content);
#undef IS
    }
}

static void see_element(found *f, xmlNodePtr n, int in_article)
{
    if (name_is(n, "meta")) {
        see_meta(f, n);
        return;
    }
    if (name_is(n, "html")) {
        const char *l = attr(n, "lang");
        keep(&f->html_lang, l ? l : attr(n, "xml:lang"));
    } else if (name_is(n, "title")) {
        if (!f->title)
            f->title = n;
    } else if (name_is(n, "h1")) {
        if (!f->h1)
            f->h1 = n;
    } else if (name_is(n, "link")) {
        const char *rel = attr(n, "rel");
        if (has_word(rel, "canonical"))
            keep(&f->canonical, attr(n, "href"));
    } else if (name_is(n, "base")) {
        keep(&f->base, attr(n, "href"));
    } else if (name_is(n, "time")) {
        const char *dt = attr(n, "datetime");
        if (in_article)
            keep(&f->time_article, dt);
        if (attr(n, "pubdate"))
            keep(&f->time_pubdate, dt);
        keep(&f->time_first, dt);
    } else if (name_is(n, "script")) {
        const char *type = attr(n, "type");
        if (type && xmlStrcasestr((const xmlChar *)type, (const xmlChar *)"ld+json") &&
            f->n_ld < META_JSONLD_SCRIPTS)
            f->ld[f->n_ld++] = n;
    }
    if (name_is(n, "a") || name_is(n, "link") || name_is(n, "span")) {
        if (!f->rel_author && has_word(attr(n, "rel"), "author") && !name_is(n, "link"))
            f->rel_author = n;
    }
    const char *ip = attr(n, "itemprop");
    if (ip) {
        if (has_word(ip, "author") && !f->item_author)
            f->item_author = n;
        if (has_word(ip, "datePublished")) {
            const char *v = attr(n, "datetime");
            keep(&f->item_date, v ? v : attr(n, "content"));
        }
    }
}

/* Walk the tree once, iteratively. */
static void walk(xmlDocPtr doc, found *f)
{
    int in_article = 0;
    xmlNodePtr n = doc->children;
    while (n) {
        int el = n->type == XML_ELEMENT_NODE;
        if (el) {
            see_element(f, n, in_article);
            if (name_is(n, "article"))
                in_article++;
            if (n->children && !skip_element(n)) {
                n = n->children;
                continue;
            }
            if (name_is(n, "article"))
                in_article--;
        }
        while (n && !n->next) {
            n = n->parent;
            if (!n || n == (xmlNodePtr)doc)
                return;
            if (n->type == XML_ELEMENT_NODE && name_is(n, "article"))
                in_article--;
        }
        n = n->next;
    }
}

/* --- text from JSON-LD strings: entities decoded, tags dropped --- */

static sl_error put_cp(buf *out, unsigned cp)
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    char tmp[4];
    size_t k = 0;
    if (cp < 0x80) {
        tmp[k++] = (char)cp;
    } else if (cp < 0x800) {
        tmp[k++] = (char)(0xC0 | (cp >> 6));
        tmp[k++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        tmp[k++] = (char)(0xE0 | (cp >> 12));
        tmp[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        tmp[k++] = (char)(0x80 | (cp & 0x3F));
    } else {
        tmp[k++] = (char)(0xF0 | (cp >> 18));
        tmp[k++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        tmp[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        tmp[k++] = (char)(0x80 | (cp & 0x3F));
    }
    return sli_buf_append(out, tmp, k);
}

static const struct entity {
    const char *name;
    unsigned cp;
} entities[] = {
    {"amp", '&'},       {"lt", '<'},         {"gt", '>'},         {"quot", '"'},
    {"apos", '\''},     {"nbsp", 0xA0},      {"mdash", 0x2014},   {"ndash", 0x2013},
    {"lsquo", 0x2018},  {"rsquo", 0x2019},   {"ldquo", 0x201C},   {"rdquo", 0x201D},
    {"hellip", 0x2026}, {"eacute", 0xE9},    {"egrave", 0xE8},    {"aacute", 0xE1},
    {"agrave", 0xE0},   {"oacute", 0xF3},    {"uacute", 0xFA},    {"iacute", 0xED},
    {"ntilde", 0xF1},   {"ccedil", 0xE7},    {"uuml", 0xFC},      {"ouml", 0xF6},
    {"auml", 0xE4},     {"szlig", 0xDF},     {"copy", 0xA9},      {"reg", 0xAE},
    {"laquo", 0xAB},    {"raquo", 0xBB},     {"euro", 0x20AC},    {"pound", 0xA3},
};

/* Decode s into out (appended): entities, tags dropped (<p>, <br>, </p> and the like
 * become a newline when `lines`, else a space), white space runs kept as one. */
static sl_error put_decoded(buf *out, const char *s, size_t n, int lines)
{
    sl_error err = SL_OK;
    int space = 0, newline = 0;
    for (size_t i = 0; i < n && !err;) {
        unsigned char c = (unsigned char)s[i];
        unsigned cp = 0;
        size_t adv = 1;
        if (c == '<') {
            const char *gt = memchr(s + i, '>', n - i);
            size_t len = gt ? (size_t)(gt - (s + i)) + 1 : 1;
            if (len > 1 && len < 512) {
                const char *t = s + i + 1 + (s[i + 1] == '/');
                int block = !xmlStrncasecmp((const xmlChar *)t, (const xmlChar *)"p", 1) ||
                            !xmlStrncasecmp((const xmlChar *)t, (const xmlChar *)"br", 2) ||
                            !xmlStrncasecmp((const xmlChar *)t, (const xmlChar *)"div", 3) ||
                            !xmlStrncasecmp((const xmlChar *)t, (const xmlChar *)"h", 1) ||
                            !xmlStrncasecmp((const xmlChar *)t, (const xmlChar *)"li", 2);
                if (block && lines)
                    newline = out->len > 0;
                else
                    space = out->len > 0;
                i += len;
                continue;
            }
        }
        if (c == '&') {
            size_t j = i + 1;
            if (j < n && s[j] == '#') {
                j++;
                int hex = j < n && (s[j] == 'x' || s[j] == 'X');
                j += hex;
                unsigned v = 0;
                size_t d = 0;
                while (j < n && d < 8 &&
                       ((s[j] >= '0' && s[j] <= '9') ||
                        (hex && ((s[j] | 32) >= 'a' && (s[j] | 32) <= 'f')))) {
                    int dig = s[j] <= '9' ? s[j] - '0' : (s[j] | 32) - 'a' + 10;
                    v = v * (hex ? 16u : 10u) + (unsigned)dig;
                    j++, d++;
                }
                if (d && j < n && s[j] == ';') {
                    cp = v ? v : 0xFFFD;
                    adv = j + 1 - i;
                }
            } else {
                for (size_t e = 0; e < sizeof entities / sizeof *entities; e++) {
                    size_t k = strlen(entities[e].name);
                    if (j + k < n && !memcmp(s + j, entities[e].name, k) && s[j + k] == ';') {
                        cp = entities[e].cp;
                        adv = k + 2;
                        break;
                    }
                }
            }
        }
        if (!cp && (is_space(c) || c < 0x20)) {
            if (c == '\n' && lines)
                newline = out->len > 0;
            else
                space = out->len > 0;
            i++;
            continue;
        }
        if (cp == 0xA0) {
            space = out->len > 0;
            i += adv;
            continue;
        }
        if (!cp && c >= 0x80) { /* whole characters only: an invalid byte is dropped */
            adv = sli_utf8_seq_len((const unsigned char *)s + i, n - i);
            if (!adv) {
                i++;
                continue;
            }
        }
        if (newline)
            err = sli_buf_putc(out, '\n');
        else if (space)
            err = sli_buf_putc(out, ' ');
        newline = space = 0;
        if (err)
            break;
        if (cp)
            err = put_cp(out, cp);
        else
            err = sli_buf_append(out, s + i, adv);
        i += adv;
    }
    return err;
}

/* --- JSON-LD --- */

static const char *json_str(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
        return NULL;
    if (json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return NULL;
}

static int type_rank(const char *t)
{
    static const char *const article[] = {
        "NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
        "OpinionNewsArticle", "ReviewNewsArticle", "BackgroundNewsArticle", "LiveBlogPosting",
        "TechArticle", "ScholarlyArticle", "Report", "SocialMediaPosting", "AskPublicNewsArticle",
        "SatiricalArticle", "AdvertiserContentArticle", "Posting"};
    if (!t)
        return 0;
    const char *colon = strrchr(t, '/'); /* "http://schema.org/NewsArticle" */
    if (colon)
        t = colon + 1;
    for (size_t i = 0; i < sizeof article / sizeof *article; i++)
        if (!strcmp(t, article[i]))
            return 2;
    if (!strcmp(t, "WebPage") || !strcmp(t, "ItemPage"))
        return 1;
    return 0;
}

static int object_rank(json_object *o)
{
    json_object *t;
    if (!json_object_object_get_ex(o, "@type", &t))
        return 0;
    if (json_object_is_type(t, json_type_string))
        return type_rank(json_object_get_string(t));
    int best = 0;
    if (json_object_is_type(t, json_type_array)) {
        size_t n = json_object_array_length(t);
        for (size_t i = 0; i < n && i < 16; i++) {
            json_object *e = json_object_array_get_idx(t, i);
            if (json_object_is_type(e, json_type_string)) {
                int r = type_rank(json_object_get_string(e));
                best = r > best ? r : best;
            }
        }
    }
    return best;
}

static int looks_like_url(const char *s)
{
    return s && (!strncmp(s, "http://", 7) || !strncmp(s, "https://", 8) || !strncmp(s, "//", 2) ||
                 !strncmp(s, "www.", 4));
}

/* Add a person's name to a ", "-joined list (not a URL, not twice, bounded). */
static sl_error add_name(buf *list, const char *name)
{
    if (blank(name) || looks_like_url(name) || list->len > META_TEXT_MAX)
        return SL_OK;
    buf one;
    sli_buf_init(&one, META_TEXT_MAX * 2);
    sl_error err = put_decoded(&one, name, strlen(name), 0);
    if (!err && one.len && !(list->data && strstr(list->data, one.data))) {
        if (list->len)
            err = sli_buf_puts(list, ", ");
        if (!err)
            err = sli_buf_append(list, one.data, one.len);
    }
    sli_buf_free(&one);
    return err == SL_ERR_TOO_BIG ? SL_OK : err;
}

static sl_error add_author(buf *list, json_object *a)
{
    sl_error err = SL_OK;
    if (json_object_is_type(a, json_type_string))
        return add_name(list, json_object_get_string(a));
    if (json_object_is_type(a, json_type_object))
        return add_name(list, json_str(a, "name"));
    if (json_object_is_type(a, json_type_array)) {
        size_t n = json_object_array_length(a);
        for (size_t i = 0; i < n && i < 16 && !err; i++) {
            json_object *e = json_object_array_get_idx(a, i);
            if (json_object_is_type(e, json_type_string))
                err = add_name(list, json_object_get_string(e));
            else if (json_object_is_type(e, json_type_object))
                err = add_name(list, json_str(e, "name"));
        }
    }
    return err;
}

static sl_error set_decoded(buf *b, const char *s, int lines)
{
    if (blank(s))
        return SL_OK;
    sli_buf_clear(b);
    sl_error err = put_decoded(b, s, strlen(s), lines);
    if (err == SL_ERR_TOO_BIG)
        trim_partial(b);
    return err == SL_ERR_TOO_BIG ? SL_OK : err;
}

/* The fields of an article object (of rank r, better than any before). */
static sl_error take_article(jsonld *j, json_object *o, int r)
{
    j->rank = r;
    buf *all[] = {&j->headline, &j->date, &j->author, &j->body, &j->lang, &j->url, &j->desc};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        sli_buf_clear(all[i]);
    const char *h = json_str(o, "headline");
    sl_error err = set_decoded(&j->headline, h ? h : json_str(o, "name"), 0);
    const char *d = json_str(o, "datePublished");
    if (!err && !d)
        d = json_str(o, "dateCreated");
    if (!err && d)
        err = sli_buf_puts(&j->date, d);
    json_object *v;
    if (!err && json_object_object_get_ex(o, "author", &v))
        err = add_author(&j->author, v);
    if (!err && json_object_object_get_ex(o, "creator", &v) && !j->author.len)
        err = add_author(&j->author, v);
    if (!err && json_object_object_get_ex(o, "publisher", &v)) {
        const char *p = json_object_is_type(v, json_type_string) ? json_object_get_string(v)
                                                                : json_str(v, "name");
        if (!blank(p))
            err = set_decoded(&j->publisher, p, 0);
    }
    if (!err)
        err = set_decoded(&j->body, json_str(o, "articleBody"), 1);
    if (!err) {
        const char *l = json_str(o, "inLanguage");
        if (!l && json_object_object_get_ex(o, "inLanguage", &v))
            l = json_str(v, "name");
        err = set_decoded(&j->lang, l, 0);
    }
    if (!err) {
        const char *u = json_str(o, "url");
        if (!u && json_object_object_get_ex(o, "mainEntityOfPage", &v))
            u = json_object_is_type(v, json_type_string) ? json_object_get_string(v)
                                                          : json_str(v, "@id");
        if (u && looks_like_url(u))
            err = sli_buf_puts(&j->url, u);
    }
    if (!err)
        err = set_decoded(&j->desc, json_str(o, "description"), 0);
    return err == SL_ERR_TOO_BIG ? SL_OK : err;
}

/* Visit every object and array of a JSON-LD value, breadth first, bounded. */
static sl_error visit_jsonld(jsonld *j, json_object *root)
{
    json_object *queue[META_JSONLD_NODES];
    size_t head = 0, tail = 0;
    queue[tail++] = root;
    sl_error err = SL_OK;
    while (head < tail && !err) {
        json_object *o = queue[head++];
        if (json_object_is_type(o, json_type_array)) {
            size_t n = json_object_array_length(o);
            for (size_t i = 0; i < n && tail < META_JSONLD_NODES; i++) {
                json_object *e = json_object_array_get_idx(o, i);
                if (json_object_is_type(e, json_type_object) ||
                    json_object_is_type(e, json_type_array))
                    queue[tail++] = e;
            }
            continue;
        }
        if (!json_object_is_type(o, json_type_object))
            continue;
        int r = object_rank(o);
        if (r > j->rank)
            err = take_article(j, o, r);
        if (!err && !j->publisher.len && j->rank == 0) {
            /* a WebSite or Organization object: the site's name, if no article says */
            json_object *t;
            if (json_object_object_get_ex(o, "@type", &t) &&
                json_object_is_type(t, json_type_string) &&
                (!strcmp(json_object_get_string(t), "WebSite") ||
                 !strcmp(json_object_get_string(t), "NewsMediaOrganization")))
                err = set_decoded(&j->publisher, json_str(o, "name"), 0);
        }
        json_object_object_foreach(o, key, val)
        {
            (void)key;
            if (tail < META_JSONLD_NODES && (json_object_is_type(val, json_type_object) ||
                                             json_object_is_type(val, json_type_array)))
                queue[tail++] = val;
        }
    }
    return err;
}

/* "<![CDATA[" in s[0..n), or NULL. */
static const char *find_cdata(const char *s, size_t n)
{
    for (size_t i = 0; i + 9 <= n; i++)
        if (!memcmp(s + i, "<![CDATA[", 9))
            return s + i;
    return NULL;
}

/* Parse one script's JSON (one or more values; tolerant of wrappers and raw newlines in
 * strings) and visit it. */
static sl_error read_jsonld(jsonld *j, const char *s, size_t n)
{
    /* From the first { or [ to the last } or ]: drops <!-- -->, CDATA and the like. */
    size_t a = 0;
    const char *cdata = find_cdata(s, n < 64 ? n : 64);
    if (cdata)
        a = (size_t)(cdata - s) + 9;
    while (a < n && s[a] != '{' && s[a] != '[')
        a++;
    size_t b = n;
    if (cdata) /* up to its "]]>" (json-c reads a "//]]>" after the value as a comment) */
        for (size_t i = n >= 3 ? n - 3 : 0; i > a; i--)
            if (!memcmp(s + i, "]]>", 3)) {
                b = i;
                break;
            }
    while (b > a && s[b - 1] != '}' && s[b - 1] != ']')
        b--;
    if (b <= a || b - a > (size_t)0x7fffffff)
        return SL_OK;
    buf copy;
    sli_buf_init(&copy, META_JSONLD_MAX + 16);
    sl_error err = sli_buf_append(&copy, s + a, b - a);
    if (err) {
        sli_buf_free(&copy);
        return err == SL_ERR_TOO_BIG ? SL_OK : err;
    }
    for (int attempt = 0; attempt < 2 && !err; attempt++) {
        if (attempt == 1) /* raw control characters in strings: as spaces */
            for (size_t i = 0; i < copy.len; i++)
                if ((unsigned char)copy.data[i] < 0x20)
                    copy.data[i] = ' ';
        json_tokener *tok = json_tokener_new_ex(64);
        if (!tok) {
            err = SL_ERR_NOMEM;
            break;
        }
        size_t at = 0;
        int parsed = 0, failed = 0;
        errno = 0;
        while (at < copy.len && !err) {
            while (at < copy.len && (is_space((unsigned char)copy.data[at]) ||
                                     copy.data[at] == ',' || copy.data[at] == ';'))
                at++;
            if (at >= copy.len)
                break;
            json_tokener_reset(tok);
            json_object *o = json_tokener_parse_ex(tok, copy.data + at, (int)(copy.len - at));
            if (errno == ENOMEM) {
                json_object_put(o);
                err = SL_ERR_NOMEM;
                break;
            }
            if (json_tokener_get_error(tok) != json_tokener_success || !o) {
                json_object_put(o);
                failed = 1;
                break;
            }
            size_t used = json_tokener_get_parse_end(tok);
            err = visit_jsonld(j, o);
            json_object_put(o);
            parsed++;
            if (!used)
                break;
            at += used;
        }
        json_tokener_free(tok);
        if (parsed || !failed)
            break;
    }
    sli_buf_free(&copy);
    return err;
}

/* --- dates --- */

static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};

static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

static int valid_ymd(int y, int m, int d)
{
    return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= days_in(y, m);
}

/* A date as pages write it in metadata, to ISO 8601 in out[32]: ISO forms
 * (text/date.h), "20230612", "2023-06-12T10:00:00+0200", "Mon, 12 Jun 2023 10:00:00 GMT",
 * "June 12, 2023", "12 June 2023". Returns 0 when not a date. */
static int norm_date(const char *s, char out[32])
{
    if (!s)
        return 0;
    while (*s && is_space((unsigned char)*s))
        s++;
    size_t n = strnlen(s, 128);
    if (sli_text_parse_iso_date(s, n, out))
        return 1;
    /* 20230612 */
    if (n >= 8) {
        int ok = 1, v[8];
        for (int i = 0; i < 8; i++)
            ok &= s[i] >= '0' && s[i] <= '9', v[i] = s[i] - '0';
        if (ok && (n == 8 || !(s[8] >= '0' && s[8] <= '9'))) {
            int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], m = v[4] * 10 + v[5],
                d = v[6] * 10 + v[7];
            if (valid_ymd(y, m, d)) {
                snprintf(out, 32, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
                return 1;
            }
        }
    }
    /* Words: a month name, a day and a year in any order (RFC 822, "June 12, 2023"). */
    int y = 0, m = 0, d = 0;
    const char *p = s, *end = s + n;
    while (p < end) {
        while (p < end && !((*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'z')))
            p++;
        const char *w = p;
        if (p < end && *p >= '0' && *p <= '9') {
            int v = 0, k = 0;
            while (p < end && *p >= '0' && *p <= '9' && k < 6)
                v = v * 10 + (*p - '0'), p++, k++;
            if (p < end && *p == ':') { /* a time: stop here */
                break;
            }
            if (k == 4 && !y)
                y = v;
            else if (k <= 2 && !d && v >= 1 && v <= 31)
                d = v;
        } else if (p < end) {
            while (p < end && ((*p | 32) >= 'a' && (*p | 32) <= 'z'))
                p++;
            if (p - w >= 3 && !m)
                for (int i = 0; i < 12; i++)
                    if (lower((unsigned char)w[0]) == months[i][0] &&
                        lower((unsigned char)w[1]) == months[i][1] &&
                        lower((unsigned char)w[2]) == months[i][2])
                        m = i + 1;
        }
    }
    if (m && valid_ymd(y, m, d)) {
        snprintf(out, 32, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
        return 1;
    }
    return 0;
}

static int digits_at(const char *s, int k)
{
    int v = 0;
    for (int i = 0; i < k; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* The date in a URL's path: /2023/06/12/, /20230612/, /2023-06-12-; 0 if none. */
static int url_date(const char *url, char out[32])
{
    if (!url)
        return 0;
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : url;
    if (!p)
        return 0;
    const char *q = p + strcspn(p, "?#");
    for (; p < q; p++) {
        if (*p != '/' && *p != '-' && *p != '_')
            continue;
        const char *s = p + 1;
        size_t left = (size_t)(q - s);
        int y, m, d;
        if (left >= 10 && (s[4] == '/' || s[4] == '-') && s[7] == s[4] &&
            (y = digits_at(s, 4)) > 0 && (m = digits_at(s + 5, 2)) > 0 &&
            (d = digits_at(s + 8, 2)) > 0 && valid_ymd(y, m, d) &&
            (left == 10 || s[10] == '/' || s[10] == '-' || s[10] == '_' || s[10] == '.')) {
            snprintf(out, 32, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
            return 1;
        }
        if (*p == '/' && left >= 8 && (y = digits_at(s, 4)) > 0 && (m = digits_at(s + 4, 2)) > 0 &&
            (d = digits_at(s + 6, 2)) > 0 && valid_ymd(y, m, d) &&
            (left == 8 || s[8] == '/' || s[8] == '-' || s[8] == '_' || s[8] == '.')) {
            snprintf(out, 32, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
            return 1;
        }
    }
    return 0;
}

/* --- title less the site's name --- */

static const char *const seps[] = {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ",
                                   " \xC2\xB7 ", " // ", " \xC2\xBB "};

/* s[0..n) lower case, letters and digits only (other ASCII dropped; non-ASCII bytes kept),
 * into out[256]; its length. */
static size_t squeeze(const char *s, size_t n, char out[256])
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < 255; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
            out[k++] = (char)c;
        else if (c >= 'A' && c <= 'Z')
            out[k++] = (char)(c + 32);
    }
    out[k] = '\0';
    return k;
}

/* Whether a[0..n) names the site b: equal once squeezed ("News Nation", "newsnation"),
 * or one holding the other when the shorter has 4 characters at least. */
static int same_name(const char *a, size_t n, const char *b)
{
    if (!b || !*b || !n)
        return 0;
    char x[256], y[256];
    size_t nx = squeeze(a, n, x), ny = squeeze(b, strlen(b), y);
    if (!nx || !ny)
        return 0;
    if (nx == ny && !memcmp(x, y, nx))
        return 1;
    if ((nx < ny ? nx : ny) < 4)
        return 0;
    return nx < ny ? strstr(y, x) != NULL : strstr(x, y) != NULL;
}

/* The site's name in its host: "newsnation" of www.newsnation.in, "bbc" of bbc.co.uk,
 * into out[64] ("" when none). */
static void host_label(const char *url, char out[64])
{
    out[0] = '\0';
    char host[256];
    if (!url || !sli_ingest_url_host(url, host, sizeof host))
        return;
    char *labels[16];
    int n = 0;
    for (char *p = host; n < 16;) {
        labels[n++] = p;
        char *dot = strchr(p, '.');
        if (!dot)
            break;
        *dot = '\0';
        p = dot + 1;
    }
    if (n < 2)
        return;
    n--; /* the top-level domain */
    static const char *const second[] = {"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or"};
    for (size_t i = 0; n >= 2 && i < sizeof second / sizeof *second; i++)
        if (!strcmp(labels[n - 1], second[i])) {
            n--;
            break;
        }
    size_t k = strlen(labels[n - 1]);
    if (k > 63)
        k = 63;
    memcpy(out, labels[n - 1], k);
    out[k] = '\0';
}

static int words(const char *s, size_t n)
{
    int w = 0, in = 0;
    for (size_t i = 0; i < n; i++) {
        int sp = is_space((unsigned char)s[i]);
        if (!sp && !in)
            w++;
        in = !sp;
    }
    return w;
}

/* Cut the site's name off a title (in place): a side that names the site (its name, or
 * host's label). `brand`: also cut a short side when none does (for <title>). */
static void strip_site(buf *t, const char *site, const char *host, int brand)
{
    for (int round = 0; round < 2; round++) {
        const char *s = t->data;
        if (!s)
            return;
        size_t n = t->len;
        /* the first and the last separator */
        const char *first = NULL, *last = NULL;
        size_t first_len = 0, last_len = 0;
        for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
            size_t k = strlen(seps[i]);
            for (const char *p = strstr(s, seps[i]); p; p = strstr(p + 1, seps[i])) {
                if (!first || p < first)
                    first = p, first_len = k;
                if (!last || p > last)
                    last = p, last_len = k;
            }
        }
        if (!first)
            return;
        const char *right = last + last_len;
        size_t right_n = (size_t)(s + n - right), left_n = (size_t)(first - s);
        const char *after_first = first + first_len;
        int cut_right = 0, cut_left = 0;
        cut_right = same_name(right, right_n, site) || same_name(right, right_n, host);
        cut_left = !cut_right && (same_name(s, left_n, site) || same_name(s, left_n, host));
        if (!cut_right && !cut_left && brand && round == 0) {
            int wr = words(right, right_n), wl = words(s, left_n);
            size_t keep_r = (size_t)(last - s), keep_l = (size_t)(s + n - after_first);
            if (wr <= 4 && keep_r > right_n)
                cut_right = 1;
            else if (wl <= 3 && keep_l > 2 * left_n)
                cut_left = 1;
        }
        if (cut_right) {
            t->len = (size_t)(last - s);
        } else if (cut_left) {
            size_t k = (size_t)(s + n - after_first);
            memmove(t->data, after_first, k);
            t->len = k;
        } else {
            return;
        }
        t->data[t->len] = '\0';
        if (t->len == 0)
            return;
    }
}

/* The first element with itemprop=name under top (bounded), or NULL. */
static xmlNodePtr find_itemprop_name(xmlNodePtr top)
{
    int visited = 0;
    xmlNodePtr n = top->children;
    while (n && visited++ < META_TEXT_NODES) {
        if (n->type == XML_ELEMENT_NODE) {
            if (has_word(attr(n, "itemprop"), "name"))
                return n;
            if (n->children) {
                n = n->children;
                continue;
            }
        }
        while (n && n != top && !n->next)
            n = n->parent;
        if (!n || n == top)
            break;
        n = n->next;
    }
    return NULL;
}

/* --- the fields --- */

static sl_error set_from(buf *b, const char **from, const char *v, const char *name)
{
    if (b->len || blank(v))
        return SL_OK;
    sl_error err = put_str(b, v);
    if (!err && b->len)
        *from = name;
    return err == SL_ERR_TOO_BIG ? SL_OK : err;
}

static sl_error set_buf_from(buf *b, const char **from, const buf *v, const char *name)
{
    return v->len ? set_from(b, from, v->data, name) : SL_OK;
}

/* A language tag as given ("en", "pt-BR"; og:locale's "en_US" as "en-US"), or "". */
static void tidy_lang(buf *l)
{
    size_t k = 0;
    for (size_t i = 0; i < l->len; i++) {
        char c = l->data[i];
        if (c == '_')
            c = '-';
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-'))
            break; /* "en, fr": the first */
        l->data[k++] = c;
    }
    if (k < 2 || k > 35)
        k = 0;
    l->len = k;
    if (l->data)
        l->data[k] = '\0';
}

/* Resolve the canonical link against the page's <base href> (itself resolved against
 * the page's URL) or its URL: absolute http(s) only. */
static sl_error resolve(buf *canon, const char *url, const char *base_href)
{
    if (!canon->len)
        return SL_OK;
    xmlChar *base = NULL;
    if (base_href)
        base = xmlBuildURI((const xmlChar *)base_href, (const xmlChar *)(url ? url : ""));
    xmlChar *abs = xmlBuildURI((const xmlChar *)canon->data,
                               base ? base : (const xmlChar *)(url ? url : ""));
    xmlFree(base);
    sli_buf_clear(canon);
    if (!abs)
        return SL_OK; /* not a URI */
    const char *a = (const char *)abs;
    sl_error err = SL_OK;
    if (!strncmp(a, "http://", 7) || !strncmp(a, "https://", 8))
        err = sli_buf_puts(canon, a);
    xmlFree(abs);
    return err == SL_ERR_TOO_BIG ? SL_OK : err;
}

static sl_error fill(html_meta *m, xmlDocPtr doc, const found *f, jsonld *j, const char *url)
{
    sl_error err = SL_OK;
    /* site name first: the title loses it */
    err = set_from(&m->site_name, &m->site_name_from, f->og_site, "og:site_name");
    if (!err)
        err = set_buf_from(&m->site_name, &m->site_name_from, &j->publisher, "json-ld");
    if (!err)
        err = set_from(&m->site_name, &m->site_name_from, f->app_name, "application-name");

    /* title */
    char host[64];
    host_label(url ? url : f->canonical ? f->canonical : f->og_url, host);
    if (!err)
        err = set_from(&m->title, &m->title_from, f->og_title, "og:title");
    if (!err)
        err = set_from(&m->title, &m->title_from, f->tw_title, "twitter:title");
    if (!err)
        err = set_buf_from(&m->title, &m->title_from, &j->headline, "json-ld");
    if (!err && m->title.len)
        strip_site(&m->title, m->site_name.data, host, 0);
    buf tmp;
    sli_buf_init(&tmp, META_TEXT_MAX * 4);
    if (!err && !m->title.len && f->h1 && !(err = node_text(f->h1, &tmp)))
        err = set_buf_from(&m->title, &m->title_from, &tmp, "h1");
    if (!err && !m->title.len && f->title && !(err = node_text(f->title, &tmp))) {
        err = set_buf_from(&m->title, &m->title_from, &tmp, "title");
        if (!err && m->title.len)
            strip_site(&m->title, m->site_name.data, host, 1);
    }
    if (!m->title.len)
        m->title_from = NULL;

    /* canonical */
    if (!err)
        err = set_from(&m->canonical, &m->canonical_from, f->canonical, "link rel=canonical");
    if (!err)
        err = set_from(&m->canonical, &m->canonical_from, f->og_url, "og:url");
    if (!err)
        err = set_buf_from(&m->canonical, &m->canonical_from, &j->url, "json-ld");
    if (!err)
        err = resolve(&m->canonical, url ? url : (const char *)doc->URL, f->base);
    if (!m->canonical.len)
        m->canonical_from = NULL;

    /* date */
    char iso[32];
    if (!err && j->date.len && norm_date(j->date.data, iso))
        err = sli_buf_puts(&m->date, iso), m->date_from = "json-ld";
    for (size_t i = 0; !err && !m->date.len && i < N_DATE_KEYS; i++)
        if (f->dates[i] && norm_date(f->dates[i], iso))
            err = sli_buf_puts(&m->date, iso), m->date_from = date_keys[i];
    if (!err && !m->date.len && f->item_date && norm_date(f->item_date, iso))
        err = sli_buf_puts(&m->date, iso), m->date_from = "itemprop=datePublished";
    const char *times[] = {f->time_article, f->time_pubdate, f->time_first};
    for (size_t i = 0; !err && !m->date.len && i < 3; i++)
        if (times[i] && norm_date(times[i], iso))
            err = sli_buf_puts(&m->date, iso), m->date_from = "time";
    if (!err && !m->date.len &&
        (url_date(url, iso) || (m->canonical.len && url_date(m->canonical.data, iso))))
        err = sli_buf_puts(&m->date, iso), m->date_from = "url";

    /* author */
    if (!err)
        err = set_buf_from(&m->author, &m->author_from, &j->author, "json-ld");
    for (size_t i = 0; !err && !m->author.len && i < N_AUTHOR_KEYS; i++)
        if (f->authors[i] && !looks_like_url(f->authors[i]))
            err = set_from(&m->author, &m->author_from, f->authors[i], author_keys[i]);
    if (!err && !m->author.len && f->rel_author && !(err = node_text(f->rel_author, &tmp)))
        if (tmp.len < 100)
            err = set_buf_from(&m->author, &m->author_from, &tmp, "rel=author");
    if (!err && !m->author.len && f->item_author) {
        /* itemprop=author: its content, its itemprop=name, or its text when a name's
         * length (a byline block holds the date and more: not a name) */
        const char *content = attr(f->item_author, "content");
        xmlNodePtr name = find_itemprop_name(f->item_author);
        if (content && !looks_like_url(content)) {
            err = set_from(&m->author, &m->author_from, content, "itemprop=author");
        } else if (name) {
            const char *nc = attr(name, "content");
            if (nc)
                err = set_from(&m->author, &m->author_from, nc, "itemprop=author");
            else if (!(err = node_text(name, &tmp)) && tmp.len < 100)
                err = set_buf_from(&m->author, &m->author_from, &tmp, "itemprop=author");
        } else if (!(err = node_text(f->item_author, &tmp)) && tmp.len < 60 &&
                   words(tmp.data ? tmp.data : "", tmp.len) <= 5) {
            err = set_buf_from(&m->author, &m->author_from, &tmp, "itemprop=author");
        }
    }
    if (!err && m->author.len >= 3 && !xmlStrncasecmp((const xmlChar *)m->author.data,
                                                      (const xmlChar *)"by ", 3)) {
        memmove(m->author.data, m->author.data + 3, m->author.len - 2);
        m->author.len -= 3;
    }

    /* language */
    const struct {
        const char *v, *from;
    } langs[] = {{f->html_lang, "html lang"},
                 {f->content_lang, "content-language"},
                 {f->og_locale, "og:locale"},
                 {j->lang.len ? j->lang.data : NULL, "json-ld"}};
    for (size_t i = 0; !err && !m->lang.len && i < sizeof langs / sizeof *langs; i++) {
        err = set_from(&m->lang, &m->lang_from, langs[i].v, langs[i].from);
        tidy_lang(&m->lang);
    }
    if (!m->lang.len)
        m->lang_from = NULL;

    /* description */
    if (!err)
        err = set_from(&m->description, &m->description_from, f->desc, "description");
    if (!err)
        err = set_from(&m->description, &m->description_from, f->og_desc, "og:description");
    if (!err)
        err = set_from(&m->description, &m->description_from, f->tw_desc, "twitter:description");
    if (!err)
        err = set_buf_from(&m->description, &m->description_from, &j->desc, "json-ld");

    /* body */
    if (!err && j->body.len)
        err = sli_buf_append(&m->body, j->body.data, j->body.len);
    sli_buf_free(&tmp);
    return err == SL_ERR_TOO_BIG ? SL_OK : err;
}

static void jsonld_init(jsonld *j)
{
    j->rank = 0;
    buf *all[] = {&j->headline, &j->date, &j->author, &j->publisher, &j->body, &j->lang, &j->url,
                  &j->desc};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        sli_buf_init(all[i], all[i] == &j->body ? HTML_PAGE_MAX_BYTES : META_TEXT_MAX * 4);
}

static void jsonld_free(jsonld *j)
{
    buf *all[] = {&j->headline, &j->date, &j->author, &j->publisher, &j->body, &j->lang, &j->url,
                  &j->desc};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        sli_buf_free(all[i]);
}

void sli_html_meta_init(html_meta *m)
{
    memset(m, 0, sizeof *m);
    buf *all[] = {&m->title, &m->date, &m->author, &m->site_name, &m->canonical, &m->lang,
                  &m->description, &m->body};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        sli_buf_init(all[i], HTML_PAGE_MAX_BYTES);
}

void sli_html_meta_free(html_meta *m)
{
    buf *all[] = {&m->title, &m->date, &m->author, &m->site_name, &m->canonical, &m->lang,
                  &m->description, &m->body};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        sli_buf_free(all[i]);
}

void sli_html_meta_clear(html_meta *m)
{
    buf *all[] = {&m->title, &m->date, &m->author, &m->site_name, &m->canonical, &m->lang,
                  &m->description, &m->body};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        sli_buf_clear(all[i]);
    m->date_from = m->title_from = m->author_from = m->site_name_from = m->canonical_from =
        m->lang_from = m->description_from = NULL;
}

sl_error sli_html_meta_read(const void *vdoc, const char *url, html_meta *m)
{
    xmlDocPtr doc = (xmlDocPtr)vdoc;
    sli_html_meta_clear(m);
    if (!doc)
        return SL_OK;
    found f;
    memset(&f, 0, sizeof f);
    walk(doc, &f);
    jsonld j;
    jsonld_init(&j);
    sl_error err = SL_OK;
    size_t ld_bytes = 0;
    buf script;
    sli_buf_init(&script, META_JSONLD_MAX);
    for (int i = 0; i < f.n_ld && !err; i++) {
        /* a script's text: its text and CDATA children joined (the parser hands raw
         * script content over in pieces) */
        sli_buf_clear(&script);
        for (xmlNodePtr c = f.ld[i]->children; c && !err; c = c->next) {
            if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) || !c->content)
                continue;
            size_t k = strlen((const char *)c->content);
            if (ld_bytes + k > META_JSONLD_MAX)
                break;
            ld_bytes += k;
            err = sli_buf_append(&script, c->content, k);
        }
        if (!err && script.len)
            err = read_jsonld(&j, script.data, script.len);
    }
    sli_buf_free(&script);
    if (err == SL_ERR_TOO_BIG)
        err = SL_OK;
    if (!err)
        err = fill(m, doc, &f, &j, url);
    jsonld_free(&j);
    return err;
}
