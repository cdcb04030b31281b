/* gen_corpus — write a generated corpus of news-like articles, as JSON Lines or as a
 * directory of plain-text files (one folder per outlet, " date" header lines).
 *
 * --stories PER_STORY PER_DAY: consecutive articles tell one story, PER_STORY at a time,
 * PER_DAY a day (corpus.h, as scale_bench's stream); --truth FILE writes each article's
 * story as JSON Lines ({"id", "event"}, score_events' gold). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "corpus.h"

static int usage(void)
{
    fputs("usage: gen_corpus [--articles N] [--format jsonl|text] [--seed S] [--avg-bytes B]"
          " [--stories PER_STORY PER_DAY [--truth FILE]] OUT\n"
          "  --truth: each article's story as JSON Lines ({\"id\", \"event\"}); jsonl only.\n"
          "  jsonl: OUT is a file (- for stdout); text: OUT is a directory to fill.\n",
          stderr);
    return 2;
}

/* A count of --stories: 1 to UINT_MAX, else 0. */
static unsigned long count_arg(const char *arg)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(arg, &end, 10);
    return errno || end == arg || *end || arg[0] == '-' || v > UINT_MAX ? 0 : v;
}

int main(int argc, char **argv)
{
    unsigned long long n = 1000, seed = 1, avg = 3000;
    unsigned long per_story = 0, per_day = 0;
    const char *format = "jsonl", *out = NULL, *truth = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--articles") && i + 1 < argc)
            n = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--avg-bytes") && i + 1 < argc)
            avg = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--stories") && i + 2 < argc) {
            per_story = count_arg(argv[++i]);
            per_day = count_arg(argv[++i]);
            if (!per_story || !per_day)
                return usage();
        } else if (!strcmp(argv[i], "--truth") && i + 1 < argc)
            truth = argv[++i];
        else if (!strcmp(argv[i], "--format") && i + 1 < argc)
            format = argv[++i];
        else if (!out && (argv[i][0] != '-' || !strcmp(argv[i], "-")))
            out = argv[i];
        else
            return usage();
    }
    if (!out || (strcmp(format, "jsonl") && strcmp(format, "text")) ||
        (truth && (!per_story || strcmp(format, "jsonl"))))
        return usage();
    corpus *c = corpus_create(seed, avg);
    if (!c)
        return 1;
    if (per_story)
        corpus_set_stories(c, (unsigned)per_story, (unsigned)per_day);
    corpus_article a;
    int rc = 0;
    if (!strcmp(format, "jsonl")) {
        FILE *f = strcmp(out, "-") ? fopen(out, "w") : stdout;
        FILE *t = f && truth ? fopen(truth, "w") : NULL;
        if (!f || (truth && !t)) {
            fprintf(stderr, "gen_corpus: %s: %s\n", f ? truth : out, strerror(errno));
            if (f && f != stdout)
                fclose(f);
            corpus_free(c);
            return 1;
        }
        for (unsigned long long k = 0; k < n; k++) {
            corpus_article_n(c, k, &a);
            corpus_write_jsonl(f, &a);
            if (t) /* the id as corpus_write_jsonl writes it */
                fprintf(t, "{\"id\":\"%s\",\"event\":\"S%llu\"}\n", a.id,
                        (unsigned long long)corpus_story(c, k));
        }
        if (t && (ferror(t) | fclose(t))) {
            fprintf(stderr, "gen_corpus: %s: cannot be written\n", truth);
            rc = 1;
        }
        if (f != stdout ? (ferror(f) | fclose(f)) : (fflush(f) | ferror(f))) {
            fprintf(stderr, "gen_corpus: %s: cannot be written\n", out);
            rc = 1;
        }
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
