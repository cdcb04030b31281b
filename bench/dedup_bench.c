/* dedup_bench — near-duplicate detection on a generated corpus with planted copies.
 *
 * N base articles (bench/corpus.c); a share of them is copied by other outlets in one of
 * four ways: whole (with site furniture around it), with a sidebar of unrelated headlines
 * and blurbs appended (contained), trimmed to its first paragraphs, or with a few words
 * changed (typos). Everything goes through `add` (ingest, clean, sketch, match); the
 * families found are scored pairwise against the planted truth. Prints a table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <xxhash.h>

#include "corpus.h"
#include "storyline.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

enum { WHOLE, SIDEBAR, TRIMMED, TYPOS, KINDS };
static const char *const kind_names[KINDS] = {"whole", "sidebar", "trimmed", "typos"};

/* Planted truth: article index -> family (its base's index), or -1. */
typedef struct planted {
    long family;
    int kind; /* -1 for a base article */
} planted;

static void json_string(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n')
            fputs("\\n", f);
        else if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void write_article(FILE *f, long id, int outlet, const char *date, const char *text,
                          size_t len)
{
    fprintf(f, "{\"id\":\"a%ld\",\"source\":\"site%02d.example\",\"date\":\"%s\",\"text\":", id,
            outlet, date);
    json_string(f, text, len);
    fputs("}\n", f);
}

typedef struct scorer {
    planted *truth;
    long long tp, fp, fn_pairs;
    long long found_pairs;
    long *family_of; /* article -> found family (-1) */
} scorer;

static int on_family(void *user, const char *family, const sl_family_member *m, size_t n)
{
    scorer *s = user;
    long fam = strtol(family + 1, NULL, 10);
    for (size_t i = 0; i < n; i++) {
        long idx = strtol(m[i].article + 1, NULL, 10);
        s->family_of[idx] = fam;
    }
    return 0;
}

/* Real article bodies as bases: the articleBody fields of the article-extraction
 * benchmark's ground-truth.json ({"sha": {"articleBody": ..., "url": ...}, ...}). */
typedef struct real_texts {
    json_object *root;
    const char **text;
    size_t *len;
    long n;
} real_texts;

static int load_real(const char *path, real_texts *r)
{
    r->root = json_object_from_file(path);
    if (!r->root || !json_object_is_type(r->root, json_type_object))
        return 0;
    long n = (long)json_object_object_length(r->root);
    r->text = calloc((size_t)n, sizeof *r->text);
    r->len = calloc((size_t)n, sizeof *r->len);
    r->n = 0;
    json_object_object_foreach(r->root, key, val)
    {
        (void)key;
        json_object *body;
        if (json_object_object_get_ex(val, "articleBody", &body) &&
            json_object_get_string_len(body) > 200) {
            r->text[r->n] = json_object_get_string(body);
            r->len[r->n] = (size_t)json_object_get_string_len(body);
            r->n++;
        }
    }
    return 1;
}

/* Bytes this process has written so far (Linux: /proc/self/io), -1 when unknown. */
static long long bytes_written(void)
{
    FILE *f = fopen("/proc/self/io", "r");
    long long v = -1;
    char line[128];
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "wchar:", 6))
            v = strtoll(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return v;
}

/* The sample's reference: exact Jaccard and containment of word 5-shingles of the
 * cleaned texts, with a tokeniser of its own (lower-cased ASCII, split at spaces), so
 * that nothing of storyline's sketching or matching is taken on trust. */
typedef struct exact_set {
    uint64_t *v;
    size_t n;
} exact_set;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static exact_set exact_shingles(const char *t)
{
    size_t len = strlen(t), nw = 0, cap = 64;
    const char **w = malloc(cap * sizeof *w);
    size_t *wl = malloc(cap * sizeof *wl);
    for (size_t i = 0; i < len;) {
        while (i < len && (t[i] == ' ' || t[i] == '\n' || t[i] == '\t'))
            i++;
        size_t a = i;
        while (i < len && t[i] != ' ' && t[i] != '\n' && t[i] != '\t')
            i++;
        if (i == a)
            continue;
        if (nw == cap) {
            cap *= 2;
            w = realloc(w, cap * sizeof *w);
            wl = realloc(wl, cap * sizeof *wl);
        }
        w[nw] = t + a;
        wl[nw++] = i - a;
    }
    exact_set s = {malloc((nw + 1) * sizeof *s.v), 0};
    char buf[4096];
    for (size_t i = 0; i + 5 <= nw || (i == 0 && nw); i++) {
        size_t k = 0;
        for (size_t j = i; j < i + 5 && j < nw; j++)
            for (size_t c = 0; c < wl[j] && k < sizeof buf - 1; c++) {
                char ch = w[j][c];
                buf[k++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
            }
        s.v[s.n++] = XXH3_64bits(buf, k);
        if (nw < 5)
            break;
    }
    qsort(s.v, s.n, sizeof *s.v, cmp_u64);
    size_t k = 0;
    for (size_t i = 0; i < s.n; i++)
        if (!k || s.v[k - 1] != s.v[i])
            s.v[k++] = s.v[i];
    s.n = k;
    free(w);
    free(wl);
    return s;
}

static void exact_compare(const exact_set *a, const exact_set *b, double *j, double *c)
{
    size_t i = 0, k = 0, inter = 0;
    while (i < a->n && k < b->n) {
        if (a->v[i] < b->v[k])
            i++;
        else if (a->v[i] > b->v[k])
            k++;
        else
            inter++, i++, k++;
    }
    size_t uni = a->n + b->n - inter, small = a->n < b->n ? a->n : b->n;
    *j = uni ? (double)inter / (double)uni : 0;
    *c = small ? (double)inter / (double)small : 0;
}

/* Every pair among the first n articles: recall of the pairs with exact J >= 0.8 (same
 * family found), and of the pairs in one family, the share that are copies by the exact
 * measure (J >= 0.8 or C >= 0.8) or at least matches (J >= 0.4). */
static void score_exact(sl_store *st, long n, const long *family_of)
{
    exact_set *sets = calloc((size_t)n, sizeof *sets);
    for (long i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "a%ld", i);
        sl_article *a = NULL;
        if (sl_store_get_article(st, id, SL_WITH_TEXT, &a) == SL_OK && a->text)
            sets[i] = exact_shingles(a->text);
        sl_article_free(a);
    }
    long long near = 0, near_found = 0, fam_pairs = 0, fam_copy = 0, fam_match = 0;
    for (long x = 0; x < n; x++)
        for (long y = x + 1; y < n; y++) {
            if (!sets[x].n || !sets[y].n)
                continue;
            int same = family_of[x] >= 0 && family_of[x] == family_of[y];
            double j, c;
            exact_compare(&sets[x], &sets[y], &j, &c);
            if (j >= 0.8) {
                near++;
                near_found += same;
            }
            if (same) {
                fam_pairs++;
                fam_copy += j >= 0.8 || c >= 0.8;
                fam_match += j >= 0.4 || c >= 0.8;
            }
        }
    printf("\nexact reference on the first %ld articles (%ld pairs):\n", n, n * (n - 1) / 2);
    printf("  pairs with exact J >= 0.8: %lld, in one family: %lld (recall %.4f)\n", near,
           near_found, near ? (double)near_found / (double)near : 1.0);
    printf("  pairs in one family: %lld; copies by exact J or C >= 0.8: %lld (%.4f);"
           " matches (J >= 0.4 or C >= 0.8): %lld (precision %.4f)\n",
           fam_pairs, fam_copy, fam_pairs ? (double)fam_copy / (double)fam_pairs : 1.0,
           fam_match, fam_pairs ? (double)fam_match / (double)fam_pairs : 1.0);
    for (long i = 0; i < n; i++)
        free(sets[i].v);
    free(sets);
}

typedef struct copies_found {
    long first, n, in_family;
} copies_found;

static int count_copies(void *user, const char *family, const sl_family_member *m, size_t n)
{
    copies_found *c = user;
    (void)family;
    for (size_t i = 0; i < n; i++) {
        long idx = m[i].article[0] == 'b' ? strtol(m[i].article + 1, NULL, 10) : -1;
        c->in_family += idx >= c->first && idx < c->first + c->n && idx % 2;
    }
    return 0;
}

/* A second, small batch into the store just made: `count` articles, the even ones new
 * stories, the odd ones whole copies of stored bases (spread over the store). Prints its
 * time and how many of the copies joined a family. */
static int incremental(sl_store *st, const char *dir, long bases, long count)
{
    char path[256];
    snprintf(path, sizeof path, "%s/then.jsonl", dir);
    FILE *f = fopen(path, "w");
    corpus *c = corpus_create(7, 3000);
    if (!f || !c)
        return 1;
    corpus_article a;
    for (long i = 0; i < count; i++) {
        uint64_t which = i % 2 ? (uint64_t)(i * 7919 % bases) : (uint64_t)(bases * 3 + i);
        corpus_article_n(c, which, &a);
        fprintf(f, "{\"id\":\"b%ld\",\"source\":\"late%02ld.example\",\"date\":\"%s\",\"text\":",
                i, i % 10, a.date);
        json_string(f, a.text, a.text_len);
        fputs("}\n", f);
    }
    fclose(f);
    corpus_free(c);
    sl_batch *b;
    sl_batch_summary sum;
    double t0 = now();
    if (sl_batch_begin(st, NULL, &b) || sl_batch_add_path(b, path) || sl_batch_commit(b, &sum)) {
        fprintf(stderr, "dedup_bench: second add failed: %s\n", sl_store_errmsg(st));
        return 1;
    }
    double secs = now() - t0;
    sl_batch_free(b);
    copies_found cf = {0, count, 0};
    sl_store_each_family(st, count_copies, &cf);
    printf("\nincremental: %ld articles into the store in %.2f s (ingest %.2f, clean and sketch"
           " %.2f, match %.2f, events %.2f, commit %.2f); copies in a family: %ld of %ld\n",
           count, secs, sum.ingest_seconds, sum.clean_seconds, sum.match_seconds,
           sum.cluster_seconds,
           sum.seconds - sum.ingest_seconds - sum.clean_seconds - sum.match_seconds -
               sum.cluster_seconds,
           cf.in_family, count / 2);
    return 0;
}

int main(int argc, char **argv)
{
    long n = 20000, sample = 2000, then = 0;
    double share = 0.3;
    const char *real_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--articles") && i + 1 < argc)
            n = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--then") && i + 1 < argc)
            then = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--sample") && i + 1 < argc)
            sample = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--real") && i + 1 < argc)
            real_path = argv[++i];
        else {
            fputs("usage: dedup_bench [--articles N] [--sample N] [--then N]"
                  " [--real GROUND_TRUTH_JSON]\n"
                  "  --sample: articles scored against exact Jaccard, every pair (default 2000)\n"
                  "  --then N: afterwards, a second batch of N articles (half new, half\n"
                  "            copies of stored ones) into the store: the incremental add\n"
                  "  --real: real article bodies as the bases (each copied once), e.g.\n"
                  "  ../shared/eval/article-extraction/ground-truth.json\n",
                  stderr);
            return 2;
        }
    }
    real_texts real = {0};
    if (real_path && then > 0) { /* its copies would be of generated texts, not of these */
        fputs("dedup_bench: --then works on the generated corpus only, not with --real\n",
              stderr);
        return 2;
    }
    if (real_path) {
        if (!load_real(real_path, &real)) {
            fprintf(stderr, "dedup_bench: cannot read %s\n", real_path);
            return 1;
        }
        n = real.n;
        share = 1.0;
    }
    char dir[] = "/tmp/storyline-dedup-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char path[256], db[256];
    snprintf(path, sizeof path, "%s/corpus.jsonl", dir);
    snprintf(db, sizeof db, "%s/dedup.db", dir);
    FILE *f = fopen(path, "w");
    corpus *c = corpus_create(7, 3000);
    planted *truth = calloc((size_t)n * 2, sizeof *truth);
    if (!f || !c || !truth)
        return 1;
    long total = 0;
    unsigned long long seed = 12345;
    char *buf = malloc(4 << 20);
    long per_kind[KINDS] = {0};
    corpus_article a;
    for (long i = 0; i < n; i++) {
        corpus_article_n(c, (uint64_t)i, &a);
        if (real_path) { /* a real body in place of the generated one */
            a.text = (char *)real.text[i];
            a.text_len = real.len[i];
        }
        long base = total++;
        truth[base] = (planted){base, -1};
        write_article(f, base, (int)(i % 40), a.date, a.text, a.text_len);
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        if ((double)(seed >> 11) / 9007199254740992.0 >= share)
            continue;
        int kind = (int)((seed >> 7) % KINDS);
        size_t len = a.text_len;
        memcpy(buf, a.text, len);
        if (kind == WHOLE || kind == SIDEBAR) {
            /* Site furniture around it; a sidebar of other stories after it. */
            static const char head[] = "Home | News | World\nAdvertisement\n";
            memmove(buf + sizeof head - 1, buf, len);
            memcpy(buf, head, sizeof head - 1);
            len += sizeof head - 1;
            if (kind == SIDEBAR)
                for (int k = 0; k < 6; k++) {
                    corpus_article o;
                    corpus_article_n(c, (uint64_t)(n + (seed % 100000) + (uint64_t)k), &o);
                    size_t take = o.text_len < 400 ? o.text_len : 400;
                    len += (size_t)snprintf(buf + len, 2048, "\n%s\n", o.title);
                    memcpy(buf + len, o.text, take);
                    len += take;
                }
        } else if (kind == TRIMMED) {
            /* The first paragraphs, about half. */
            size_t cut = len / 2;
            while (cut < len && buf[cut] != '\n')
                cut++;
            len = cut;
        } else {
            /* About 2% of the words changed. */
            for (size_t k = 0; k < len; k++)
                if (buf[k] == ' ' && (seed = seed * 6364136223846793005ull + 1) % 50 == 0 &&
                    k + 1 < len && (buf[k + 1] | 32) >= 'a' && (buf[k + 1] | 32) <= 'z')
                    buf[k + 1] = (char)('a' + (seed >> 40) % 26); /* ASCII letters only:
                                                                     UTF-8 stays valid */
        }
        long copy = total++;
        truth[copy] = (planted){base, kind};
        per_kind[kind]++;
        write_article(f, copy, (int)((i + 1 + (long)(seed % 39)) % 40), a.date, buf, len);
    }
    fclose(f);
    /* The planted truth beside the corpus, for peers run on the same input (KEEP=1):
     * id, the id of its base, and the kind of copy ("base" for a base). */
    snprintf(path + strlen(dir), sizeof path - strlen(dir), "/truth.tsv");
    FILE *tf = fopen(path, "w");
    if (!tf)
        return 1;
    fputs("id\tbase\tkind\n", tf);
    for (long i = 0; i < total; i++)
        fprintf(tf, "a%ld\ta%ld\t%s\n", i, truth[i].family,
                truth[i].kind < 0 ? "base" : kind_names[truth[i].kind]);
    fclose(tf);
    snprintf(path, sizeof path, "%s/corpus.jsonl", dir);
    corpus_free(c);
    free(buf);

    sl_store *st;
    sl_batch *b;
    sl_batch_summary sum;
    double t0 = now();
    long long written0 = bytes_written();
    if (sl_store_open(db, SL_OPEN_CREATE, &st) || sl_batch_begin(st, NULL, &b) ||
        sl_batch_add_path(b, path) || sl_batch_commit(b, &sum)) {
        fprintf(stderr, "dedup_bench: add failed: %s\n", sl_store_errmsg(st));
        return 1;
    }
    double secs = now() - t0;
    long long written = bytes_written() - written0;
    sl_batch_free(b);

    scorer s = {.truth = truth};
    s.family_of = malloc((size_t)total * sizeof *s.family_of);
    for (long i = 0; i < total; i++)
        s.family_of[i] = -1;
    sl_store_each_family(st, on_family, &s);
    /* Pairwise: every planted copy with its base (a pair), and every found pair. */
    long long tp[KINDS] = {0}, fn[KINDS] = {0}, found_pairs = 0, true_found = 0;
    for (long i = 0; i < total; i++) {
        if (truth[i].kind < 0)
            continue;
        long base = truth[i].family;
        int same = s.family_of[i] >= 0 && s.family_of[i] == s.family_of[base];
        if (same)
            tp[truth[i].kind]++;
        else {
            fn[truth[i].kind]++;
            if (getenv("SHOW_MISSED"))
                printf("missed %s copy a%ld of a%ld\n", kind_names[truth[i].kind], i, base);
        }
    }
    /* Precision: found members whose base is the family's base. */
    for (long i = 0; i < total; i++) {
        if (s.family_of[i] < 0)
            continue;
        found_pairs++;
        long base = truth[i].family;
        true_found += s.family_of[base] == s.family_of[i];
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("storyline %s dedup benchmark: %ld articles (%ld bases, %ld planted copies)\n\n",
           sl_version(), total, n, total - n);
    printf("%-10s %8s %8s %8s\n", "copy kind", "planted", "found", "recall");
    long long all_tp = 0, all_fn = 0;
    for (int k = 0; k < KINDS; k++) {
        printf("%-10s %8ld %8lld %8.4f\n", kind_names[k], per_kind[k], tp[k],
               per_kind[k] ? (double)tp[k] / (double)per_kind[k] : 1.0);
        all_tp += tp[k];
        all_fn += fn[k];
    }
    printf("%-10s %8lld %8lld %8.4f\n", "all", all_tp + all_fn, all_tp,
           (double)all_tp / (double)(all_tp + all_fn));
    printf("\nmembers in families: %lld, with their true family: %lld (precision %.4f)\n",
           found_pairs, true_found, found_pairs ? (double)true_found / (double)found_pairs : 1.0);
    printf("add (ingest, clean, sketch, match, events): %.1f s, %.0f articles/s, %.1f MB/s;"
           " peak memory %ld MB\n",
           secs, (double)total / secs, (double)sum.bytes / 1e6 / secs, ru.ru_maxrss / 1024);
    printf("  ingest %.1f s, clean and sketch %.1f s, match %.1f s, events %.1f s, commit %.1f s;"
           " %.0f MB written (%.1fx the input)\n",
           sum.ingest_seconds, sum.clean_seconds, sum.match_seconds, sum.cluster_seconds,
           sum.seconds - sum.ingest_seconds - sum.clean_seconds - sum.match_seconds -
               sum.cluster_seconds,
           (double)written / 1e6, (double)written / (double)sum.bytes);
    score_exact(st, sample < total ? sample : total, s.family_of);
    if (then > 0 && incremental(st, dir, n, then))
        return 1;
    t0 = now();
    sl_store_free(st);
    printf("store closed (WAL checkpoint) in %.1f s\n", now() - t0);
    json_object_put(real.root);
    free(real.text);
    free(real.len);
    free(truth);
    free(s.family_of);
    if (getenv("KEEP")) {
        printf("kept %s\n", dir);
        return 0;
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd))
        return 1;
    return 0;
}
