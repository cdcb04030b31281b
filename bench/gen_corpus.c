/* gen_corpus — write a generated corpus of news-like articles, as JSON Lines or as a
 * directory of plain-text files (one folder per outlet, " date" header lines). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "corpus.h"

static int usage(void)
{
    fputs("usage: gen_corpus [--articles N] [--format jsonl|text] [--seed S] [--avg-bytes B]"
          " OUT\n"
          "  jsonl: OUT is a file (- for stdout); text: OUT is a directory to fill.\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    unsigned long long n = 1000, seed = 1, avg = 3000;
    const char *format = "jsonl", *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--articles") && i + 1 < argc)
            n = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--avg-bytes") && i + 1 < argc)
            avg = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--format") && i + 1 < argc)
            format = argv[++i];
        else if (!out && (argv[i][0] != '-' || !strcmp(argv[i], "-")))
            out = argv[i];
        else
            return usage();
    }
    if (!out || (strcmp(format, "jsonl") && strcmp(format, "text")))
        return usage();
    corpus *c = corpus_create(seed, avg);
    if (!c)
        return 1;
    corpus_article a;
    int rc = 0;
    if (!strcmp(format, "jsonl")) {
        FILE *f = strcmp(out, "-") ? fopen(out, "w") : stdout;
        if (!f) {
            fprintf(stderr, "gen_corpus: %s: %s\n", out, strerror(errno));
            corpus_free(c);
            return 1;
        }
        for (unsigned long long k = 0; k < n; k++) {
            corpus_article_n(c, k, &a);
            corpus_write_jsonl(f, &a);
        }
        if (f != stdout && fclose(f))
            rc = 1;
    } else {
        mkdir(out, 0777);
        char path[4096];
        for (unsigned long long k = 0; k < n && !rc; k++) {
            corpus_article_n(c, k, &a);
            snprintf(path, sizeof path, "%s/%s", out, a.source);
            mkdir(path, 0777);
            snprintf(path, sizeof path, "%s/%s/%llu.txt", out, a.source, k);
            FILE *f = fopen(path, "w");
            if (!f) {
                fprintf(stderr, "gen_corpus: %s: %s\n", path, strerror(errno));
                rc = 1;
                break;
            }
            fprintf(f, " date %s\n%s\n\n%s", a.date, a.title, a.text);
            if (fclose(f))
                rc = 1;
        }
    }
    corpus_free(c);
    return rc;
}
