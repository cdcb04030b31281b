/* score_extraction — the article-extraction benchmark's score (shingle precision, recall, F1)
 * of a set of extracted texts, as described in ../shared/eval/article-extraction/README.md.
 *
 *   score_extraction GROUND_TRUTH.json PREDICTIONS.jsonl [--per-page] [--python-word]
 *
 * GROUND_TRUTH.json: {"<sha>": {"articleBody": "...", "url": "..."}, ...}.
 * PREDICTIONS.jsonl: one {"id": ..., "text": ...} per line; the id is "<sha>", "<sha>.txt"
 * or a path ending in "<sha>.txt" (storyline's export ids). A page of the ground truth with no
 * prediction scores as an empty prediction; an id not in the ground truth is reported and
 * ignored.
 *
 * The score, per the README (and the upstream evaluate.py it describes):
 *  - tokens: maximal runs of word characters. A word character is a code point of general
 *    category L* (letters), M* (marks), N* (numbers) or Pc (connector punctuation), by
 *    utf8proc_category: Unicode's \w. Case is kept (the upstream \w regex's IGNORECASE flag
 *    changes nothing for \w). With --python-word, a word character is what Python 3's re
 *    \w matches instead (the upstream scorer): L*, N* and '_' only, so a combining mark
 *    splits a token. Invalid UTF-8 bytes separate tokens.
 *  - shingles: every run of 4 consecutive tokens, as a multiset; a text of 1 to 3 tokens
 *    has the one shingle of all its tokens, a text of none has none (as upstream's
 *    range(max(1, n - 3)) does).
 *  - per page: tp = sum over shingles of min(true count, predicted count), fp = predicted
 *    beyond true, fn = true beyond predicted; all three divided by tp + fp + fn when that
 *    is not 0.
 *  - precision = mean over pages of tp/(tp+fp), recall = mean over pages of tp/(tp+fn),
 *    F1 = 2PR/(P+R) of the two means.
 *
 * Our reading of "a page with nothing on either side counts 1", with upstream's
 * precision_score/recall_score: a page whose prediction and truth both have no shingle
 * (tp = fp = fn = 0) scores precision 1 and recall 1; a page with fp = fn = 0 (a perfect
 * prediction) scores 1 and 1; otherwise a page with an empty prediction scores precision 0
 * (tp = fp = 0) and a page with an empty truth scores recall 0 (tp = fn = 0). Every page
 * of the ground truth is in both means, as the README says. The upstream evaluate.py
 * differs in one place: it leaves pages with tp + fp = 0 (no predicted shingle) out of the
 * precision mean, and pages with tp + fn = 0 out of the recall mean. The ground truth has no
 * empty article, so only empty predictions can tell the two apart; when there are any,
 * the upstream variant of precision and F1 is printed too.
 *
 * Output: "pages N  precision P  recall R  F1 F"; with --per-page, then a table of every
 * page, worst F1 first. Exit status: 0, or 2 for a usage or input error. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <utf8proc.h>

typedef struct {
    const char *sha;   /* key in the ground truth (owned by the json object) */
    const char *truth; /* articleBody */
    const char *url;
    char *pred;        /* predicted text (owned), NULL if none */
    double tp, fp, fn; /* normalised */
    double p, r, f1;
    size_t n_true, n_pred; /* shingles */
} page;

static int python_word; /* --python-word */

/* ---- tokens and shingles ---- */

/* The tokens of a text, joined by single spaces into one buffer (no token holds a space),
 * with each token's start and end there, so tokens i..j are the bytes start[i]..end[j]. */
typedef struct {
    char *buf;
    size_t *start, *end;
    size_t n, len;
} tokens;

static int is_word(utf8proc_int32_t c)
{
    utf8proc_category_t cat = utf8proc_category(c);
    switch (cat) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return 1;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_PC:
        return python_word ? c == '_' : 1;
    default:
        return 0;
    }
}

static int tokenize(const char *text, tokens *t)
{
    size_t n = strlen(text);
    memset(t, 0, sizeof *t);
    /* Joined tokens never outgrow the text (+1 for a terminator); at most n/2+1 tokens. */
    t->buf = malloc(n + 1);
    t->start = malloc((n / 2 + 1) * sizeof *t->start);
    t->end = malloc((n / 2 + 1) * sizeof *t->end);
    if (!t->buf || !t->start || !t->end)
        return -1;
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)text;
    size_t i = 0;
    int in_word = 0;
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t len = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &c);
        int w = 0;
        if (len < 1)
            len = 1; /* an invalid byte: a separator */
        else
            w = is_word(c);
        if (w) {
            if (!in_word) {
                if (t->n)
                    t->buf[t->len++] = ' ';
                t->start[t->n] = t->len;
                t->end[t->n] = t->len;
                t->n++;
                in_word = 1;
            }
            memcpy(t->buf + t->len, s + i, (size_t)len);
            t->len += (size_t)len;
            t->end[t->n - 1] = t->len;
        } else {
            in_word = 0;
        }
        i += (size_t)len;
    }
    t->buf[t->len] = '\0';
    return 0;
}

static void tokens_free(tokens *t)
{
    free(t->buf);
    free(t->start);
    free(t->end);
}

static size_t shingle_count(const tokens *t)
{
    return t->n == 0 ? 0 : t->n < 4 ? 1 : t->n - 3;
}

/* Shingle k of t as bytes of t->buf. */
static void shingle(const tokens *t, size_t k, const char **p, size_t *len)
{
    size_t last = t->n < 4 ? t->n - 1 : k + 3;
    *p = t->buf + t->start[k];
    *len = t->end[last] - t->start[k];
}

typedef struct {
    const char *p; /* NULL: empty slot */
    size_t len;
    uint64_t hash;
    size_t count[2]; /* 0: true, 1: predicted */
} slot;

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

static void count_into(slot *table, size_t mask, const tokens *t, int side)
{
    size_t n = shingle_count(t);
    for (size_t k = 0; k < n; k++) {
        const char *p;
        size_t len;
        shingle(t, k, &p, &len);
        uint64_t h = fnv1a(p, len);
        size_t i = (size_t)h & mask;
        while (table[i].p &&
               !(table[i].hash == h && table[i].len == len && !memcmp(table[i].p, p, len)))
            i = (i + 1) & mask;
        if (!table[i].p) {
            table[i].p = p;
            table[i].len = len;
            table[i].hash = h;
        }
        table[i].count[side]++;
    }
}

/* Upstream's precision_score and recall_score. */
static double precision_score(double tp, double fp, double fn)
{
    if (fp == 0 && fn == 0)
        return 1;
    if (tp == 0 && fp == 0)
        return 0;
    return tp / (tp + fp);
}

static double recall_score(double tp, double fp, double fn)
{
    if (fp == 0 && fn == 0)
        return 1;
    if (tp == 0 && fn == 0)
        return 0;
    return tp / (tp + fn);
}

static int score_page(page *pg)
{
    tokens tt = {0}, tp = {0};
    int rc = -1;
    slot *table = NULL;
    if (tokenize(pg->truth, &tt) < 0 || tokenize(pg->pred ? pg->pred : "", &tp) < 0) {
        tokens_free(&tt);
        tokens_free(&tp);
        return -1;
    }
    pg->n_true = shingle_count(&tt);
    pg->n_pred = shingle_count(&tp);
    size_t cap = 16;
    while (cap < 2 * (pg->n_true + pg->n_pred) + 2)
        cap *= 2;
    table = calloc(cap, sizeof *table);
    if (table) {
        count_into(table, cap - 1, &tt, 0);
        count_into(table, cap - 1, &tp, 1);
        double tpos = 0, fpos = 0, fneg = 0;
        for (size_t i = 0; i < cap; i++) {
            if (!table[i].p)
                continue;
            size_t t = table[i].count[0], p = table[i].count[1];
            tpos += (double)(t < p ? t : p);
            fpos += (double)(p > t ? p - t : 0);
            fneg += (double)(t > p ? t - p : 0);
        }
        double s = tpos + fpos + fneg;
        if (s > 0) {
            tpos /= s;
            fpos /= s;
            fneg /= s;
        }
        pg->tp = tpos;
        pg->fp = fpos;
        pg->fn = fneg;
        pg->p = precision_score(tpos, fpos, fneg);
        pg->r = recall_score(tpos, fpos, fneg);
        pg->f1 = pg->p + pg->r > 0 ? 2 * pg->p * pg->r / (pg->p + pg->r) : 0;
        rc = 0;
    }
    free(table);
    tokens_free(&tt);
    tokens_free(&tp);
    return rc;
}

/* ---- input ---- */

static int by_sha(const void *a, const void *b)
{
    return strcmp(((const page *)a)->sha, ((const page *)b)->sha);
}

/* "<dir>/<sha>.txt" -> "<sha>", in place. */
static char *reduce_id(char *id)
{
    char *base = strrchr(id, '/');
    base = base ? base + 1 : id;
    size_t n = strlen(base);
    static const char *const suffixes[] = {".txt", ".gz", ".html", ".htm"};
    for (size_t k = 0; k < sizeof suffixes / sizeof *suffixes; k++) {
        size_t m = strlen(suffixes[k]);
        if (n > m && !strcmp(base + n - m, suffixes[k])) {
            n -= m;
            base[n] = '\0';
        }
    }
    return base;
}

static const char *str_member(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* Reads the predictions into pages. Returns 0, or -1 with a message printed. */
static int read_predictions(const char *path, page *pages, size_t npages)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "score_extraction: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    long lineno = 0;
    size_t unknown = 0, dups = 0, bad = 0;
    while ((got = getline(&line, &cap, f)) != -1) {
        lineno++;
        size_t k = 0;
        while (k < (size_t)got && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r' ||
                                   line[k] == '\n'))
            k++;
        if (k == (size_t)got)
            continue;
        json_object *o = json_tokener_parse(line);
        const char *id = o ? str_member(o, "id") : NULL;
        if (!o || !json_object_is_type(o, json_type_object) || !id) {
            if (bad++ < 5)
                fprintf(stderr, "score_extraction: %s:%ld: %s\n", path, lineno,
                        o ? "no string \"id\"" : "not JSON");
            json_object_put(o);
            continue;
        }
        const char *text = str_member(o, "text"); /* null or absent: empty */
        char *idc = strdup(id);
        page key = {.sha = idc ? reduce_id(idc) : ""};
        page *pg = idc ? bsearch(&key, pages, npages, sizeof *pages, by_sha) : NULL;
        if (!idc) {
            fputs("score_extraction: out of memory\n", stderr);
            json_object_put(o);
            free(line);
            fclose(f);
            return -1;
        }
        if (!pg) {
            if (unknown++ < 5)
                fprintf(stderr, "score_extraction: %s:%ld: id \"%s\" is not in the ground truth\n",
                        path, lineno, id);
        } else {
            if (pg->pred) {
                if (dups++ < 5)
                    fprintf(stderr, "score_extraction: %s:%ld: a second prediction for %s"
                                    " (the last one counts)\n", path, lineno, pg->sha);
                free(pg->pred);
            }
            pg->pred = strdup(text ? text : "");
            if (!pg->pred) {
                fputs("score_extraction: out of memory\n", stderr);
                free(idc);
                json_object_put(o);
                free(line);
                fclose(f);
                return -1;
            }
        }
        free(idc);
        json_object_put(o);
    }
    int rc = ferror(f) ? -1 : 0;
    if (rc)
        fprintf(stderr, "score_extraction: %s: read error\n", path);
    free(line);
    fclose(f);
    if (bad)
        fprintf(stderr, "score_extraction: %zu unreadable line(s) skipped\n", bad);
    if (unknown)
        fprintf(stderr, "score_extraction: %zu prediction(s) with an unknown id ignored\n",
                unknown);
    return rc;
}

static int worst_first(const void *a, const void *b)
{
    const page *x = a, *y = b;
    if (x->f1 != y->f1)
        return x->f1 < y->f1 ? -1 : 1;
    return strcmp(x->sha, y->sha);
}

static int usage(void)
{
    fputs("usage: score_extraction GROUND_TRUTH.json PREDICTIONS.jsonl [--per-page]"
          " [--python-word]\n"
          "  Shingle precision, recall and F1 of predicted texts ({\"id\", \"text\"} per line)\n"
          "  against the article-extraction benchmark's ground truth.\n"
          "  --per-page     also list every page, worst F1 first\n"
          "  --python-word  tokens are Python re \\w runs (no marks), as upstream's scorer\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const char *truth_path = NULL, *pred_path = NULL;
    int per_page = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--per-page"))
            per_page = 1;
        else if (!strcmp(argv[i], "--python-word"))
            python_word = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return usage();
        else if (!truth_path)
            truth_path = argv[i];
        else if (!pred_path)
            pred_path = argv[i];
        else
            return usage();
    }
    if (!truth_path || !pred_path)
        return usage();

    json_object *gt = json_object_from_file(truth_path);
    if (!gt || !json_object_is_type(gt, json_type_object)) {
        fprintf(stderr, "score_extraction: %s: %s\n", truth_path,
                gt ? "not a JSON object" : json_util_get_last_err());
        json_object_put(gt);
        return 2;
    }
    size_t npages = (size_t)json_object_object_length(gt);
    page *pages = calloc(npages ? npages : 1, sizeof *pages);
    if (!pages) {
        json_object_put(gt);
        return 2;
    }
    size_t k = 0;
    struct json_object_iterator it = json_object_iter_begin(gt);
    struct json_object_iterator end = json_object_iter_end(gt);
    for (; !json_object_iter_equal(&it, &end) && k < npages; json_object_iter_next(&it)) {
        json_object *v = json_object_iter_peek_value(&it);
        const char *body = v ? str_member(v, "articleBody") : NULL;
        const char *url = v ? str_member(v, "url") : NULL;
        pages[k].sha = json_object_iter_peek_name(&it);
        pages[k].truth = body ? body : "";
        pages[k].url = url ? url : "";
        k++;
    }
    npages = k;
    qsort(pages, npages, sizeof *pages, by_sha);

    int rc = 0;
    if (read_predictions(pred_path, pages, npages) < 0)
        rc = 2;
    double sum_p = 0, sum_r = 0, up_sum_p = 0, up_sum_r = 0;
    size_t missing = 0, empty = 0, up_np = 0, up_nr = 0;
    for (size_t i = 0; i < npages && !rc; i++) {
        if (score_page(&pages[i]) < 0) {
            fputs("score_extraction: out of memory\n", stderr);
            rc = 2;
            break;
        }
        if (!pages[i].pred)
            missing++;
        if (!pages[i].n_pred)
            empty++;
        sum_p += pages[i].p;
        sum_r += pages[i].r;
        if (pages[i].tp + pages[i].fp > 0) {
            up_sum_p += pages[i].p;
            up_np++;
        }
        if (pages[i].tp + pages[i].fn > 0) {
            up_sum_r += pages[i].r;
            up_nr++;
        }
    }
    if (!rc) {
        double p = npages ? sum_p / (double)npages : 0, r = npages ? sum_r / (double)npages : 0;
        double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
        printf("pages %zu  precision %.3f  recall %.3f  F1 %.3f\n", npages, p, r, f1);
        if (missing)
            printf("  %zu page(s) without a prediction, scored as empty\n", missing);
        if (empty && up_np && up_nr) {
            double up = up_sum_p / (double)up_np, ur = up_sum_r / (double)up_nr;
            printf("  %zu page(s) with no predicted shingle; upstream evaluate.py, which leaves"
                   " them out of the precision mean, gives precision %.3f  recall %.3f  F1 %.3f\n",
                   empty, up, ur, up + ur > 0 ? 2 * up * ur / (up + ur) : 0);
        }
        if (per_page) {
            qsort(pages, npages, sizeof *pages, worst_first);
            printf("\n%-64s  %5s  %5s  %5s  %7s  %7s  %s\n", "page", "F1", "P", "R", "true",
                   "pred", "url");
            for (size_t i = 0; i < npages; i++)
                printf("%-64s  %.3f  %.3f  %.3f  %7zu  %7zu  %s\n", pages[i].sha, pages[i].f1,
                       pages[i].p, pages[i].r, pages[i].n_true, pages[i].n_pred, pages[i].url);
        }
    }
    for (size_t i = 0; i < npages; i++)
        free(pages[i].pred);
    free(pages);
    json_object_put(gt);
    return rc;
}
