/* facts_dump — the facts extractors straight over a JSON Lines file, for development
 * and evaluation without a store (bench/facts_eval.sh scores the real CLI's output).
 *
 *   facts_dump [--quotes] FILE.jsonl
 *
 * Reads `id`, `date` and `text` of each line. Default output: one line per article,
 * {"id": ..., "facts": {...}} (what score_facts.py reads); --quotes: one line per quote,
 * {"article", "text", "speaker", "kind"} (what score_quotes.py reads). */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_writer.h"
#include "facts/facts.h"

static int write_out(void *user, const char *data, size_t len)
{
    return fwrite(data, 1, len, (FILE *)user) == len ? 0 : -1;
}

static const char *field(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

int main(int argc, char **argv)
{
    int quotes = argc > 1 && !strcmp(argv[1], "--quotes");
    const char *path = argv[1 + quotes];
    if (argc != 2 + quotes) {
        fprintf(stderr, "usage: facts_dump [--quotes] FILE.jsonl\n");
        return 2;
    }
    FILE *in = fopen(path, "r");
    if (!in) {
        perror(path);
        return 1;
    }
    sli_facts_ctx *ctx = NULL;
    if (sli_facts_ctx_create(&ctx)) {
        fprintf(stderr, "facts_dump: no context\n");
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    jw w;
    sli_jw_init(&w, write_out, stdout, 0);
    while (getline(&line, &cap, in) > 0) {
        json_object *o = json_tokener_parse(line);
        const char *id = o ? field(o, "id") : NULL, *text = o ? field(o, "text") : NULL;
        if (!id || !text) {
            json_object_put(o);
            continue;
        }
        const char *date = field(o, "date");
        char day[11] = "";
        if (date && strlen(date) >= 10) {
            memcpy(day, date, 10);
            date = day;
        } else {
            date = NULL;
        }
        sli_facts f = {0};
        sl_error e = sli_facts_extract(ctx, text, strlen(text), date, &f);
        if (e) {
            fprintf(stderr, "facts_dump: %s: %s\n", id, sl_strerror(e));
            rc = 1;
        }
        if (quotes) {
            for (size_t i = 0; i < f.n_quotes; i++) {
                sli_jw_begin_object(&w);
                sli_jw_kv_string(&w, "article", id);
                sli_jw_kv_string(&w, "text", f.quotes[i].text);
                sli_jw_kv_string(&w, "speaker", f.quotes[i].speaker);
                sli_jw_kv_string(&w, "kind", sli_quote_kind_name(f.quotes[i].kind));
                sli_jw_end_object(&w);
                sli_jw_newline(&w);
            }
        } else {
            sli_jw_begin_object(&w);
            sli_jw_kv_string(&w, "id", id);
            sli_jw_key(&w, "facts");
            sli_facts_write_json(&w, &f);
            sli_jw_end_object(&w);
            sli_jw_newline(&w);
        }
        sli_facts_clear(&f);
        json_object_put(o);
    }
    if (sli_jw_finish(&w))
        rc = 1;
    free(line);
    fclose(in);
    sli_facts_ctx_free(ctx);
    return rc;
}
