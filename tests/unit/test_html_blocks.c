/* test_html_blocks.c — the HTML front end's blocks and hints (html_blocks.c, html_hint.h):
 * a table of small pages and the lines and hints each must give; deep nesting; and the
 * cleaner's labels from the hints (classify.c), each with a "dom:" reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "clean/clean.h"
#include "ingest/html.h"
#include "ingest/html_hint.h"

/* Sentences long enough to score as paragraphs of an article. */
#define P1 "The council voted on Tuesday to close the old bridge, which engineers said was no longer safe, and to build a new one by the end of next year."
#define P2 "Residents, many of whom cross the river every day, said they were worried about the detour, which adds twenty minutes to the trip into town."
#define P3 "The mayor said the money would come from the state, and that work on the new bridge, designed by a local firm, would start in the spring."

#define ANY (-1)

typedef struct want_line {
    const char *text;
    int region; /* HTML_REGION_*, or ANY */
    int kind;   /* HTML_KIND_*, or ANY */
    int main;   /* 1 in the main content, 0 not, ANY */
    int links;  /* 1 link text, 0 not, ANY */
} want_line;

typedef struct page_case {
    const char *name;
    const char *html;
    want_line lines[12];
} page_case;

static const page_case cases[] = {
    {"inline elements join without spaces; <br> ends a line",
     "<html><body><p>foo<b>bar</b> baz<a href='#'>qux</a></p><p><span>T</span>he end<br>next"
     "  line</p></body></html>",
     {{"foobar bazqux", ANY, HTML_KIND_TEXT, ANY, 0},
      {"The end", ANY, ANY, ANY, 0},
      {"next line", ANY, ANY, ANY, 0}}},
    {"whitespace and no-break spaces collapse; script, style, head are not shown",
     "<html><head><title>T</title><style>p{}</style></head><body><p>  a \n\t b\xc2\xa0\xc2\xa0"
     "c </p><script>var x = 1;</script><noscript>enable js</noscript></body></html>",
     {{"a b c", ANY, ANY, ANY, ANY}}},
    {"nav, aside, footer and header by tag; the article is the main content",
     "<html><body><header><a href='/'>Home</a></header><nav><ul><li><a href='/w'>World</a></li>"
     "<li><a href='/s'>Sport</a></li></ul></nav><article><h1>Bridge to close</h1><p>" P1
     "</p><p>" P2 "</p><p>" P3 "</p></article><aside><p>Weather: sunny and warm</p></aside>"
     "<footer><p>Copyright the paper</p></footer></body></html>",
     {{"Home", HTML_REGION_HEADER, ANY, 0, 1},
      {"World", HTML_REGION_NAV, HTML_KIND_ITEM, 0, 1},
      {"Sport", HTML_REGION_NAV, HTML_KIND_ITEM, 0, 1},
      {"Bridge to close", HTML_REGION_NONE, HTML_KIND_HEADING, 1, 0},
      {P1, HTML_REGION_NONE, HTML_KIND_TEXT, 1, 0},
      {P2, HTML_REGION_NONE, HTML_KIND_TEXT, 1, 0},
      {P3, HTML_REGION_NONE, HTML_KIND_TEXT, 1, 0},
      {"Weather: sunny and warm", HTML_REGION_ASIDE, ANY, 0, 0},
      {"Copyright the paper", HTML_REGION_FOOTER, ANY, 0, 0}}},
    {"share bar, related list, comments and newsletter by class inside the article",
     "<html><body><div class='story-body'><div class='share-tools'><a>Facebook</a> "
     "<a>Twitter</a></div><p>" P1 "</p><p>" P2 "</p><div class='related-stories'><ul><li><a>"
     "Another story</a></li></ul></div><p>" P3 "</p><div id='comments'><p>Great piece, thanks"
     "</p></div><div class='newsletter-signup'><p>Get our daily email</p></div></div>"
     "</body></html>",
     {{"Facebook Twitter", HTML_REGION_SHARE, ANY, 1, 1},
      {P1, HTML_REGION_NONE, HTML_KIND_TEXT, 1, 0},
      {P2, HTML_REGION_NONE, HTML_KIND_TEXT, 1, 0},
      {"Another story", HTML_REGION_RELATED, HTML_KIND_ITEM, 1, 1},
      {P3, HTML_REGION_NONE, HTML_KIND_TEXT, 1, 0},
      {"Great piece, thanks", HTML_REGION_COMMENTS, ANY, 1, 0},
      {"Get our daily email", HTML_REGION_NEWSLETTER, ANY, 1, 0}}},
    {"an article's own headings, list items and quotation are in the main content",
     "<html><body><div class='sidebar'><p>" P3 "</p></div><div itemprop='articleBody'><p>" P1
     "</p><h2>What happens next</h2><ul><li>The bridge closes in May</li><li>A ferry runs "
     "meanwhile</li></ul><blockquote><p>" P2 "</p></blockquote><figure><img src='x.jpg'>"
     "<figcaption>The old bridge</figcaption></figure></div></body></html>",
     {{P3, HTML_REGION_ASIDE, ANY, 0, 0},
      {P1, HTML_REGION_NONE, HTML_KIND_TEXT, 1, 0},
      {"What happens next", HTML_REGION_NONE, HTML_KIND_HEADING, 1, 0},
      {"The bridge closes in May", HTML_REGION_NONE, HTML_KIND_ITEM, 1, 0},
      {"A ferry runs meanwhile", HTML_REGION_NONE, HTML_KIND_ITEM, 1, 0},
      {P2, HTML_REGION_NONE, HTML_KIND_QUOTE, 1, 0},
      {"The old bridge", HTML_REGION_CAPTION, ANY, 1, 0}}},
    {"hidden elements: the hidden attribute, aria-hidden, display:none; hidden inline text "
     "is left out",
     "<html><body><article><p>" P1 "</p><p hidden>gone one</p><div aria-hidden='true'>gone two"
     "</div><div style='color: red; DISPLAY: None'>gone three</div><span class='x hidden'>gone "
     "four</span><p class='field-label-hidden'>" P2 "</p></article></body></html>",
     {{P1, HTML_REGION_NONE, ANY, 1, 0},
      {"gone one", HTML_REGION_HIDDEN, ANY, ANY, ANY},
      {"gone two", HTML_REGION_HIDDEN, ANY, ANY, ANY},
      {"gone three", HTML_REGION_HIDDEN, ANY, ANY, ANY},
      {P2, HTML_REGION_NONE, ANY, 1, 0}}},
    {"a furniture class on a wrapper of the whole article is not furniture",
     "<html><body><div class='page has-sidebar'><div class='content'><p>" P1 "</p><p>" P2
     "</p></div><div class='sidebar'><p>Most read today</p></div></div></body></html>",
     {{P1, HTML_REGION_NONE, ANY, 1, 0},
      {P2, HTML_REGION_NONE, ANY, 1, 0},
      {"Most read today", HTML_REGION_ASIDE, ANY, 0, 0}}},
    /* JSON-LD articleBody as evidence: shown in full in the main content, it turns down a
     * line of the main content it lacks (a promo), not an embedded post (a quote) */
    {"a complete articleBody: a line of the main content it lacks is not main content",
     "<html><head><script type='application/ld+json'>{\"@type\":\"NewsArticle\","
     "\"articleBody\":\"" P1 " " P2 " " P3 "\"}</script></head><body><article><p>" P1
     "</p><p>Trending News: watch the latest videos from our newsroom today</p><p>" P2
     "</p><blockquote><p>So proud of our town and the people who keep it going</p></blockquote>"
     "<p>" P3 "</p></article></body></html>",
     {{P1, HTML_REGION_NONE, ANY, 1, 0},
      {"Trending News: watch the latest videos from our newsroom today", ANY, ANY, 0, 0},
      {P2, HTML_REGION_NONE, ANY, 1, 0},
      {"So proud of our town and the people who keep it going", ANY, HTML_KIND_QUOTE, 1, 0},
      {P3, HTML_REGION_NONE, ANY, 1, 0}}},
    {"an articleBody that is a summary is no evidence against the article's lines",
     "<html><head><script type='application/ld+json'>{\"@type\":\"NewsArticle\","
     "\"articleBody\":\"" P1 "\"}</script></head><body><article><p>" P1
     "</p><p>Trending News: watch the latest videos from our newsroom today</p><p>" P2
     "</p><p>" P3 "</p></article></body></html>",
     {{P1, HTML_REGION_NONE, ANY, 1, 0},
      {"Trending News: watch the latest videos from our newsroom today", ANY, ANY, 1, 0},
      {P2, HTML_REGION_NONE, ANY, 1, 0},
      {P3, HTML_REGION_NONE, ANY, 1, 0}}},
    {"an articleBody the page does not show is no evidence",
     "<html><head><script type='application/ld+json'>{\"@type\":\"NewsArticle\","
     "\"articleBody\":\"" P3 " " P3 "\"}</script></head><body><article><p>" P1
     "</p><p>Trending News: watch the latest videos from our newsroom today</p><p>" P2
     "</p></article></body></html>",
     {{P1, HTML_REGION_NONE, ANY, 1, 0},
      {"Trending News: watch the latest videos from our newsroom today", ANY, ANY, 1, 0},
      {P2, HTML_REGION_NONE, ANY, 1, 0}}},
    {"no article: no main content",
     "<html><body><ul><li><a href='/a'>One</a></li><li><a href='/b'>Two</a></li></ul>"
     "</body></html>",
     {{"One", HTML_REGION_NONE, HTML_KIND_ITEM, 0, 1},
      {"Two", HTML_REGION_NONE, HTML_KIND_ITEM, 0, 1}}},
};

static void check_case(const page_case *c)
{
    html_page p;
    sli_html_page_init(&p);
    const char *why = NULL;
    sl_error err = sli_html_page_read(&p, c->html, strlen(c->html), NULL, NULL, &why);
    if (err)
        fail_msg("%s: error %d (%s)", c->name, (int)err, why ? why : "");
    const char *s = sli_buf_str(&p.text);
    size_t k = 0;
    for (; c->lines[k].text; k++) {
        const want_line *w = &c->lines[k];
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        if (len != strlen(w->text) || memcmp(s, w->text, len))
            fail_msg("%s: line %zu is \"%.*s\", not \"%s\"", c->name, k, (int)len, s, w->text);
        if (k >= p.hints.len)
            fail_msg("%s: no hint for line %zu", c->name, k);
        unsigned h = (unsigned char)p.hints.data[k];
        if (w->region != ANY && (int)(h & HTML_HINT_REGION_MASK) != w->region)
            fail_msg("%s: line %zu (%s): region %u, not %d", c->name, k, w->text,
                     h & HTML_HINT_REGION_MASK, w->region);
        if (w->kind != ANY && (int)(h & HTML_HINT_KIND_MASK) != w->kind)
            fail_msg("%s: line %zu (%s): kind %#x, not %#x", c->name, k, w->text,
                     h & HTML_HINT_KIND_MASK, w->kind);
        if (w->main != ANY && !!(h & HTML_HINT_MAIN) != w->main)
            fail_msg("%s: line %zu (%s): main %d", c->name, k, w->text, !!(h & HTML_HINT_MAIN));
        if (w->links != ANY && !!(h & HTML_HINT_LINKS) != w->links)
            fail_msg("%s: line %zu (%s): links %d", c->name, k, w->text, !!(h & HTML_HINT_LINKS));
        s = nl ? nl + 1 : s + len;
    }
    if (*s)
        fail_msg("%s: more lines than expected: \"%s\"", c->name, s);
    assert_int_equal(p.hints.len, k);
    sli_html_page_free(&p);
}

static void page_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_case(&cases[i]);
}

/* 10,000 (and 40,000) nested elements, with text at every level: read, in time linear in
 * the depth (the larger takes well under 16 times the smaller). */
static double nested(int depth)
{
    buf b;
    sli_buf_init(&b, BUF_UNLIMITED);
    for (int i = 0; i < depth; i++)
        assert_int_equal(sli_buf_puts(&b, "<div>level text long enough to be scored here"), SL_OK);
    for (int i = 0; i < depth; i++)
        assert_int_equal(sli_buf_puts(&b, "</div>"), SL_OK);
    html_page p;
    sli_html_page_init(&p);
    const char *why = NULL;
    clock_t t0 = clock();
    assert_int_equal(sli_html_page_read(&p, b.data, b.len, NULL, NULL, &why), SL_OK);
    double t = (double)(clock() - t0) / CLOCKS_PER_SEC;
    /* every level's text is a line of its own */
    size_t lines = 1;
    for (size_t i = 0; i < p.text.len; i++)
        lines += p.text.data[i] == '\n';
    assert_int_equal(lines, (size_t)depth);
    assert_int_equal(p.hints.len, (size_t)depth);
    sli_html_page_free(&p);
    sli_buf_free(&b);
    return t;
}

static void deep_nesting(void **state)
{
    (void)state;
    double small = nested(10000), large = nested(40000);
    if (large > 16 * small + 0.5)
        fail_msg("40,000 levels took %.3f s, 10,000 took %.3f s: not linear", large, small);
}

/* The cleaner with the hints: furniture by region, lines outside the main content, link
 * text, each with a "dom:" reason; the article's heading, list items and quotation kept. */
static void cleaner_labels(void **state)
{
    (void)state;
    static const char html[] =
        "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
        "<div class='promo-box'><p>" P3 "</p></div>"
        "<article><p>" P1 "</p><h2>What happens next</h2><ul><li>The bridge closes in May</li>"
        "<li>A ferry runs meanwhile</li></ul><blockquote><p>" P2 "</p></blockquote>"
        "<div class='share-bar'><a>Share on Facebook</a></div></article>"
        "<footer><p>Contact us at the office</p></footer></body></html>";
    html_page p;
    sli_html_page_init(&p);
    const char *why = NULL;
    assert_int_equal(sli_html_page_read(&p, html, sizeof html - 1, NULL, NULL, &why), SL_OK);
    const char *raw = sli_buf_str(&p.text);
    clean_result r;
    sli_clean_result_init(&r, BUF_UNLIMITED);
    assert_int_equal(sli_clean_split(raw, p.text.len, &r, NULL), SL_OK);
    clean_input in = {0};
    in.hints = (const unsigned char *)p.hints.data;
    in.n_hints = p.hints.len;
    assert_int_equal(sli_clean_label_lines(raw, p.text.len, &in, &r), SL_OK);
    static const struct {
        const char *start;
        int body;
        const char *why; /* a prefix of the reason, or NULL */
    } want[] = {
        {"Home World", 0, "dom: in navigation"},
        {P3, 0, "dom: class 'ad'"},
        {P1, 1, NULL},
        {"What happens next", 1, NULL},
        {"The bridge closes", 1, NULL},
        {"A ferry runs", 1, NULL},
        {P2, 1, NULL},
        {"Share on Facebook", 0, NULL},
        {"Contact us", 0, "dom: in the page footer"},
    };
    assert_int_equal(r.n, sizeof want / sizeof *want);
    for (size_t i = 0; i < r.n; i++) {
        const clean_line *l = &r.lines[i];
        if (strncmp(raw + l->start, want[i].start, strlen(want[i].start)))
            fail_msg("line %zu: \"%.*s\"", i, (int)l->len, raw + l->start);
        if ((l->label == CLEAN_BODY) != want[i].body)
            fail_msg("line %zu (%s): label %s (%s)", i, want[i].start,
                     sli_clean_label_name(l->label), l->why ? l->why : "");
        if (want[i].why && (!l->why || strncmp(l->why, want[i].why, strlen(want[i].why))))
            fail_msg("line %zu (%s): why \"%s\", not \"%s...\"", i, want[i].start,
                     l->why ? l->why : "(none)", want[i].why);
    }
    /* the same lines as text (no hints): nothing says "dom:" */
    in.hints = NULL;
    in.n_hints = 0;
    assert_int_equal(sli_clean_label_lines(raw, p.text.len, &in, &r), SL_OK);
    for (size_t i = 0; i < r.n; i++)
        if (r.lines[i].why && !strncmp(r.lines[i].why, "dom:", 4))
            fail_msg("line %zu: a DOM reason without hints", i);
    sli_clean_result_free(&r);
    sli_html_page_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(page_table),
        cmocka_unit_test(deep_nesting),
        cmocka_unit_test(cleaner_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
