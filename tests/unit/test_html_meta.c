/* test_html_meta.c — what a page says of itself (src/ingest/html_meta.c, through
 * sli_html_page_read): each date source and their order, URL date patterns, the title
 * less the site's name, authors in their forms, JSON-LD (@graph, arrays, broken),
 * canonical links resolved, the language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/html.h"

/* One page and what its metadata must be. A NULL expectation is not checked; "" means
 * the field must be empty. */
typedef struct meta_case {
    const char *what;
    const char *head; /* inside <head> */
    const char *body; /* inside <body> (a paragraph is added after it) */
    const char *url;  /* the page's address, or NULL */
    const char *title, *date, *date_from, *author, *site_name, *canonical, *lang, *description;
    const char *body_has; /* the JSON-LD body contains this */
} meta_case;

#define P "<p>Some article text to keep the page from being empty of visible text.</p>"

static void expect(size_t i, const char *what, const char *field, const buf *got,
                   const char *want)
{
    if (want && strcmp(sli_buf_str(got), want))
        fail_msg("case %zu (%s): %s \"%s\", expected \"%s\"", i, what, field, sli_buf_str(got),
                 want);
}

static void run_cases(const meta_case *cases, size_t n)
{
    html_page page;
    sli_html_page_init(&page);
    buf html;
    sli_buf_init(&html, BUF_UNLIMITED);
    for (size_t i = 0; i < n; i++) {
        const meta_case *c = &cases[i];
        sli_buf_clear(&html);
        assert_int_equal(sli_buf_puts(&html, "<!doctype html><html"), SL_OK);
        if (!strcmp(c->what, "html lang"))
            assert_int_equal(sli_buf_puts(&html, " lang=\"en\""), SL_OK);
        assert_int_equal(sli_buf_puts(&html, ">"), SL_OK);
        assert_int_equal(sli_buf_puts(&html, "<head>"), SL_OK);
        assert_int_equal(sli_buf_puts(&html, c->head), SL_OK);
        assert_int_equal(sli_buf_puts(&html, "</head><body>"), SL_OK);
        assert_int_equal(sli_buf_puts(&html, c->body), SL_OK);
        assert_int_equal(sli_buf_puts(&html, P "</body></html>"), SL_OK);
        const char *why = NULL;
        sl_error err = sli_html_page_read(&page, html.data, html.len, NULL, c->url, &why);
        if (err)
            fail_msg("case %zu (%s): error %d (%s)", i, c->what, (int)err, why ? why : "-");
        const html_meta *m = &page.meta;
        expect(i, c->what, "title", &m->title, c->title);
        expect(i, c->what, "date", &m->date, c->date);
        expect(i, c->what, "author", &m->author, c->author);
        expect(i, c->what, "site_name", &m->site_name, c->site_name);
        expect(i, c->what, "canonical", &m->canonical, c->canonical);
        expect(i, c->what, "lang", &m->lang, c->lang);
        expect(i, c->what, "description", &m->description, c->description);
        if (c->date_from && strcmp(m->date_from ? m->date_from : "", c->date_from))
            fail_msg("case %zu (%s): date from \"%s\", expected \"%s\"", i, c->what,
                     m->date_from ? m->date_from : "(none)", c->date_from);
        if (m->date.len && !m->date_from)
            fail_msg("case %zu (%s): a date without its source", i, c->what);
        if (c->body_has && !strstr(sli_buf_str(&m->body), c->body_has))
            fail_msg("case %zu (%s): body \"%s\" lacks \"%s\"", i, c->what, sli_buf_str(&m->body),
                     c->body_has);
    }
    sli_buf_free(&html);
    sli_html_page_free(&page);
}

#define LD(json) "<script type=\"application/ld+json\">" json "</script>"

static void test_meta_dates(void **state)
{
    (void)state;
    static const meta_case cases[] = {
        {.what = "JSON-LD datePublished",
         .head = LD("{\"@type\":\"NewsArticle\",\"datePublished\":\"2023-06-12T08:30:00+02:00\"}"),
         .body = "", .date = "2023-06-12T08:30:00+02:00", .date_from = "json-ld"},
        {.what = "JSON-LD beats meta and time",
         .head = "<meta property=\"article:published_time\" content=\"2021-01-01\">"
                 LD("{\"@type\":\"Article\",\"datePublished\":\"2023-06-12\"}"),
         .body = "<article><time datetime=\"2020-05-05\">x</time></article>",
         .url = "https://ex.com/2019/01/02/x", .date = "2023-06-12", .date_from = "json-ld"},
        {.what = "article:published_time",
         .head = "<meta property=\"article:published_time\" content=\"2023-06-12T10:00:00Z\">",
         .body = "", .date = "2023-06-12T10:00:00Z", .date_from = "article:published_time"},
        {.what = "meta order: published_time before a plain date",
         .head = "<meta name=\"date\" content=\"2022-02-02\">"
                 "<meta property=\"article:published_time\" content=\"2023-06-12\">",
         .body = "", .date = "2023-06-12", .date_from = "article:published_time"},
        {.what = "sailthru.date in RFC 822",
         .head = "<meta name=\"sailthru.date\" content=\"Mon, 12 Jun 2023 10:00:00 GMT\">",
         .body = "", .date = "2023-06-12", .date_from = "sailthru.date"},
        {.what = "parsely-pub-date", .head = "<meta name=\"parsely-pub-date\" content=\"2023-06-12T07:00:00Z\">",
         .body = "", .date = "2023-06-12T07:00:00Z", .date_from = "parsely-pub-date"},
        {.what = "pubdate compact", .head = "<meta name=\"pubdate\" content=\"20230612\">", .body = "",
         .date = "2023-06-12", .date_from = "pubdate"},
        {.what = "DC.date words", .head = "<meta name=\"DC.date\" content=\"June 12, 2023\">", .body = "",
         .date = "2023-06-12", .date_from = "dc.date"},
        {.what = "meta not a date is passed over",
         .head = "<meta name=\"date\" content=\"yesterday\">", .body = "",
         .url = "https://ex.com/news/2023/06/12/storm", .date = "2023-06-12", .date_from = "url"},
        {.what = "itemprop=datePublished",
         .head = "", .body = "<span itemprop=\"datePublished\" content=\"2023-06-12\">June</span>",
         .date = "2023-06-12", .date_from = "itemprop=datePublished"},
        {.what = "time in the article, not the one before",
         .head = "", .body = "<aside><time datetime=\"2020-01-01\">old</time></aside>"
                             "<article><time datetime=\"2023-06-12T09:00\">new</time></article>",
         .date = "2023-06-12T09:00:00", .date_from = "time"},
        {.what = "time outside any article", .head = "",
         .body = "<time datetime=\"2023-06-12\">then</time>", .date = "2023-06-12",
         .date_from = "time"},
        {.what = "time beats the URL", .head = "", .body = "<time datetime=\"2023-06-12\">x</time>",
         .url = "https://ex.com/2019/01/02/x", .date = "2023-06-12", .date_from = "time"},
        {.what = "URL /yyyy/mm/dd/", .head = "", .body = "", .url = "https://ex.com/world/2023/06/12/storm.html",
         .date = "2023-06-12", .date_from = "url"},
        {.what = "URL /yyyymmdd/", .head = "", .body = "", .url = "https://ex.com/news/20230612/storm",
         .date = "2023-06-12", .date_from = "url"},
        {.what = "URL /yyyy-mm-dd-", .head = "", .body = "", .url = "https://ex.com/2023-06-12-storm-hits",
         .date = "2023-06-12", .date_from = "url"},
        {.what = "URL no real date", .head = "", .body = "", .url = "https://ex.com/2023/13/45/x",
         .date = "", .date_from = ""},
        {.what = "URL date in the host or query is not one", .head = "", .body = "",
         .url = "https://ex.com/story?d=/2023/06/12/", .date = "", .date_from = ""},
        {.what = "no date", .head = "", .body = "", .date = "", .date_from = ""},
    };
    run_cases(cases, sizeof cases / sizeof *cases);
}

static void test_meta_title(void **state)
{
    (void)state;
    static const meta_case cases[] = {
        {.what = "og:title first",
         .head = "<title>T | Site</title><meta property=\"og:title\" content=\"Storm hits coast\">"
                 "<meta name=\"twitter:title\" content=\"Tw\">",
         .body = "<h1>Heading</h1>", .title = "Storm hits coast"},
        {.what = "twitter:title second", .head = "<meta name=\"twitter:title\" content=\"Tw title\">",
         .body = "<h1>Heading</h1>", .title = "Tw title"},
        {.what = "JSON-LD headline third",
         .head = LD("{\"@type\":\"NewsArticle\",\"headline\":\"Ld &amp; headline\"}"),
         .body = "<h1>Heading</h1>", .title = "Ld & headline"},
        {.what = "h1 before title", .head = "<title>Page title - Site</title>",
         .body = "<h1>  The <em>real</em>\n heading </h1>", .title = "The real heading"},
        {.what = "title less og:site_name on the right",
         .head = "<title>Mayor resigns after scandal | Springfield Shopper</title>"
                 "<meta property=\"og:site_name\" content=\"Springfield Shopper\">",
         .body = "", .title = "Mayor resigns after scandal", .site_name = "Springfield Shopper"},
        {.what = "title less og:site_name on the left",
         .head = "<title>Springfield Shopper :: Mayor resigns after the scandal</title>"
                 "<meta property=\"og:site_name\" content=\"Springfield Shopper\">",
         .body = "", .title = "Mayor resigns after the scandal"},
        {.what = "title less a brand-like short side",
         .head = "<title>Mayor resigns after weeks of pressure \xE2\x80\x94 The Shopper</title>",
         .body = "", .title = "Mayor resigns after weeks of pressure"},
        {.what = "title with section and site",
         .head = "<title>Mayor resigns after weeks of pressure - Politics - The Shopper</title>"
                 "<meta property=\"og:site_name\" content=\"The Shopper\">",
         .body = "", .title = "Mayor resigns after weeks of pressure - Politics"},
        {.what = "og:title with the site's name",
         .head = "<meta property=\"og:title\" content=\"Storm hits coast | Harbour News\">"
                 "<meta property=\"og:site_name\" content=\"Harbour News\">",
         .body = "", .title = "Storm hits coast"},
        {.what = "og:title with a dash kept",
         .head = "<meta property=\"og:title\" content=\"Biden - Trump debate ends\">", .body = "",
         .title = "Biden - Trump debate ends"},
        {.what = "og:title less the host's name",
         .head = "<meta property=\"og:title\" content=\"Fact check: is the air for sale? - News Nation\">",
         .body = "", .url = "https://www.newsnation.in/fact-check/x", .title = "Fact check: is the air for sale?"},
        {.what = "title less the host's name, co.uk",
         .head = "<title>BBC | Mayor resigns after a long row over the budget</title>", .body = "",
         .url = "https://www.bbc.co.uk/news/x", .title = "Mayor resigns after a long row over the budget"},
        {.what = "no title", .head = "", .body = "", .title = ""},
    };
    run_cases(cases, sizeof cases / sizeof *cases);
}

static void test_meta_author(void **state)
{
    (void)state;
    static const meta_case cases[] = {
        {.what = "JSON-LD author array",
         .head = LD("{\"@type\":\"NewsArticle\",\"author\":[{\"@type\":\"Person\",\"name\":\"Ana Ruiz\"},"
                    "{\"name\":\"Tom Lee\"},\"Kim Park\"]}"),
         .body = "", .author = "Ana Ruiz, Tom Lee, Kim Park"},
        {.what = "JSON-LD author object", .head = LD("{\"@type\":\"BlogPosting\",\"author\":{\"name\":\"Sam\"}}"),
         .body = "", .author = "Sam"},
        {.what = "meta author, By dropped", .head = "<meta name=\"author\" content=\"By Kent Brockman\">",
         .body = "", .author = "Kent Brockman"},
        {.what = "article:author URL passed over for rel=author",
         .head = "<meta property=\"article:author\" content=\"https://facebook.com/kent\">",
         .body = "<a rel=\"author\" href=\"/kent\">Kent Brockman</a>", .author = "Kent Brockman"},
        {.what = "itemprop=author with a name inside", .head = "",
         .body = "<div itemprop=\"author\" itemscope><span itemprop=\"name\">Lois Lane</span></div>",
         .author = "Lois Lane"},
        {.what = "itemprop=author byline block without a name: not a name", .head = "",
         .body = "<div itemprop=\"author\">Bryan Doe @bdoe Nov 18, 2019 at 9:24 pm ET 2 min read</div>",
         .author = ""},
        {.what = "itemprop=author short text", .head = "",
         .body = "<span itemprop=\"author\">Lois Lane</span>", .author = "Lois Lane"},
        {.what = "no author", .head = "", .body = "", .author = ""},
    };
    run_cases(cases, sizeof cases / sizeof *cases);
}

static void test_meta_jsonld(void **state)
{
    (void)state;
    static const meta_case cases[] = {
        {.what = "@graph with WebSite and NewsArticle",
         .head = LD("{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"WebSite\",\"name\":\"HN\"},"
                    "{\"@type\":\"WebPage\",\"headline\":\"Page\",\"datePublished\":\"2020-01-01\"},"
                    "{\"@type\":[\"NewsArticle\"],\"headline\":\"Storm\",\"datePublished\":\"2023-06-12\","
                    "\"publisher\":{\"@type\":\"Organization\",\"name\":\"Harbour News\"},"
                    "\"articleBody\":\"The storm came.\\nIt left &amp; went.\"}]}"),
         .body = "", .title = "Storm", .date = "2023-06-12", .site_name = "Harbour News",
         .body_has = "It left & went."},
        {.what = "top-level array",
         .head = LD("[{\"@type\":\"BreadcrumbList\"},{\"@type\":\"ReportageNewsArticle\",\"headline\":\"Arr\"}]"),
         .body = "", .title = "Arr"},
        {.what = "nested in mainEntity",
         .head = LD("{\"@type\":\"WebPage\",\"mainEntity\":{\"@type\":\"Article\",\"headline\":\"Inner\"}}"),
         .body = "", .title = "Inner"},
        {.what = "two scripts, the article in the second",
         .head = LD("{\"@type\":\"Organization\",\"name\":\"Org\"}")
                 LD("{\"@type\":\"NewsArticle\",\"headline\":\"Second\"}"),
         .body = "", .title = "Second"},
        {.what = "broken: raw newline in a string, CDATA wrapper",
         .head = LD("//<![CDATA[\n{\"@type\":\"NewsArticle\",\"headline\":\"Line\nbreak\"}\n//]]>"),
         .body = "", .title = "Line break"},
        {.what = "broken beyond repair: ignored, h1 used",
         .head = LD("{\"@type\":\"NewsArticle\",\"headline\":\"Cut"), .body = "<h1>From h1</h1>",
         .title = "From h1"},
        {.what = "articleBody tags dropped",
         .head = LD("{\"@type\":\"NewsArticle\",\"articleBody\":\"<p>One.</p><p>Two &#8220;q&#8221;.</p>\"}"),
         .body = "", .body_has = "One.\nTwo \xE2\x80\x9Cq\xE2\x80\x9D."},
    };
    run_cases(cases, sizeof cases / sizeof *cases);
}

static void test_meta_canonical_lang(void **state)
{
    (void)state;
    static const meta_case cases[] = {
        {.what = "canonical relative, resolved", .head = "<link rel=\"canonical\" href=\"/a/b.html\">",
         .body = "", .url = "https://news.example.com/x/y?z=1",
         .canonical = "https://news.example.com/a/b.html"},
        {.what = "canonical absolute", .head = "<link rel=canonical href=\"https://ex.com/s\">",
         .body = "", .url = NULL, .canonical = "https://ex.com/s"},
        {.what = "canonical relative without a page URL: none", .head = "<link rel=canonical href=\"s.html\">",
         .body = "", .canonical = ""},
        {.what = "og:url when no link", .head = "<meta property=\"og:url\" content=\"https://ex.com/og\">",
         .body = "", .canonical = "https://ex.com/og"},
        {.what = "javascript: is not a canonical", .head = "<link rel=canonical href=\"javascript:x()\">",
         .body = "", .url = "https://ex.com/", .canonical = ""},
        {.what = "html lang", .head = "", .body = "", .lang = "en"},
        {.what = "og:locale, no lang on the html tag",
         .head = "<meta property=\"og:locale\" content=\"pt_BR\">", .body = "", .lang = "pt-BR"},
        {.what = "content-language",
         .head = "<meta http-equiv=\"content-language\" content=\"de, en\">", .body = "", .lang = "de"},
        {.what = "description", .head = "<meta name=\"description\" content=\" The  mayor quit. \">",
         .body = "", .description = "The mayor quit."},
        {.what = "og:site_name", .head = "<meta property=\"og:site_name\" content=\"The Shopper\">",
         .body = "", .site_name = "The Shopper"},
    };
    run_cases(cases, sizeof cases / sizeof *cases);
    /* html lang beats og:locale */
    html_page page;
    sli_html_page_init(&page);
    const char *why;
    static const char doc[] = "<html lang=\"fr\"><head><meta property=\"og:locale\" content=\"en_US\">"
                              "</head><body><p>Le texte.</p></body></html>";
    assert_int_equal(sli_html_page_read(&page, doc, sizeof doc - 1, NULL, NULL, &why), SL_OK);
    assert_string_equal(sli_buf_str(&page.meta.lang), "fr");
    assert_string_equal(page.meta.lang_from, "html lang");
    sli_html_page_free(&page);
}

/* The walk is iterative: 10,000 levels of nesting with the metadata at the bottom. */
static void test_meta_deep(void **state)
{
    (void)state;
    buf html;
    sli_buf_init(&html, BUF_UNLIMITED);
    assert_int_equal(sli_buf_puts(&html, "<html><body>"), SL_OK);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(sli_buf_puts(&html, "<div>"), SL_OK);
    assert_int_equal(sli_buf_puts(&html, "<article><h1>Deep title</h1><time datetime=\"2023-06-12\">"
                                         "x</time><p>Deep text.</p></article></body></html>"),
                     SL_OK);
    html_page page;
    sli_html_page_init(&page);
    const char *why;
    assert_int_equal(sli_html_page_read(&page, html.data, html.len, NULL, NULL, &why), SL_OK);
    assert_string_equal(sli_buf_str(&page.meta.title), "Deep title");
    assert_string_equal(sli_buf_str(&page.meta.date), "2023-06-12");
    sli_html_page_free(&page);
    sli_buf_free(&html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meta_dates),    cmocka_unit_test(test_meta_title),
        cmocka_unit_test(test_meta_author),   cmocka_unit_test(test_meta_jsonld),
        cmocka_unit_test(test_meta_canonical_lang), cmocka_unit_test(test_meta_deep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
