/* family_read.c — families as they are read: origin chosen, members compared with it. */
#include "dedup.h"

#include <stdlib.h>
#include <string.h>

#include "shingle_set.h"

typedef struct family_reader {
    store_dedup d;
    buf text, norm, id, best_id;
    shingle_set origin, member;
    sl_error (*fn)(void *user, long long family, const dedup_member *members, size_t n);
    void *user;
    dedup_member *members;
    size_t cap;
} family_reader;

static sl_error load_set(family_reader *r, long long rid, shingle_set *set)
{
    return sli_dedup_load_set(&r->d, rid, &r->text, &r->norm, set);
}

int sli_dedup_origin_before(const char *date, long long shingles, const char *id,
                            const char *best_date, long long best_shingles, const char *best_id)
{
    int c = strncmp(date[0] ? date : "9999", best_date[0] ? best_date : "9999", 10);
    if (!c) /* same day: compare the times, a missing one last */
        c = strcmp(strlen(date) > 10 ? date + 10 : "~",
                   strlen(best_date) > 10 ? best_date + 10 : "~");
    if (!c)
        c = shingles > best_shingles ? -1 : shingles < best_shingles;
    if (!c)
        c = strcmp(id, best_id);
    return c < 0;
}

const char *sli_dedup_relation(double j, double c)
{
    return j >= 0.8 ? "copy" : c >= 0.8 ? "contained" : "rewrite";
}

/* The origin of a family's articles (sli_dedup_origin_before), so that it does not
 * depend on the order the articles arrived in. */
static sl_error find_origin(family_reader *r, const long long *rids, size_t n, size_t *origin)
{
    char best_date[32] = "", date[32];
    long long best_shingles = -1, shingles;
    *origin = 0;
    for (size_t i = 0; i < n; i++) {
        sl_error err = sli_store_dedup_article(&r->d, rids[i], &r->text, date, &shingles);
        if (!err)
            err = sli_store_dedup_article_id(&r->d, rids[i], &r->id);
        if (err)
            return err;
        if (i == 0 || sli_dedup_origin_before(date, shingles, sli_buf_str(&r->id), best_date,
                                              best_shingles, sli_buf_str(&r->best_id))) {
            *origin = i;
            memcpy(best_date, date, sizeof date);
            best_shingles = shingles;
            sli_buf_clear(&r->best_id);
            sl_error e = sli_buf_puts(&r->best_id, sli_buf_str(&r->id));
            if (e)
                return e;
        }
    }
    return SL_OK;
}

static sl_error one_family(void *user, long long family, const long long *rids, size_t n)
{
    family_reader *r = user;
    if (n < 2)
        return SL_OK;
    if (n > r->cap) {
        dedup_member *v = realloc(r->members, n * sizeof *v);
        if (!v)
            return SL_ERR_NOMEM;
        r->members = v;
        r->cap = n;
    }
    size_t origin;
    sl_error err = find_origin(r, rids, n, &origin);
    if (!err)
        err = load_set(r, rids[origin], &r->origin);
    size_t k = 0;
    r->members[k++] = (dedup_member){rids[origin], 1, 1, "origin"};
    for (size_t i = 0; !err && i < n; i++) {
        if (i == origin)
            continue;
        err = load_set(r, rids[i], &r->member);
        double j = 0, c = 0;
        sli_shingle_set_compare(&r->origin, &r->member, &j, &c);
        r->members[k++] = (dedup_member){rids[i], j, c, sli_dedup_relation(j, c)};
    }
    return err ? err : r->fn(r->user, family, r->members, k);
}

/* Every family (families NULL), or those of families[0..n). */
static sl_error read_families(sl_store *st, const long long *families, size_t n,
                              sl_error (*fn)(void *user, long long family,
                                             const dedup_member *members, size_t n),
                              void *user)
{
    family_reader r = {.fn = fn, .user = user};
    sli_buf_init(&r.text, BUF_UNLIMITED);
    sli_buf_init(&r.norm, BUF_UNLIMITED);
    sli_buf_init(&r.id, BUF_UNLIMITED);
    sli_buf_init(&r.best_id, BUF_UNLIMITED);
    sl_error err = sli_store_dedup_open(st, &r.d);
    if (!err && !families)
        err = sli_store_each_family(st, one_family, &r);
    for (size_t i = 0; !err && families && i < n; i++)
        err = sli_store_family_members(st, families[i], one_family, &r);
    sli_store_dedup_close(&r.d);
    sli_buf_free(&r.text);
    sli_buf_free(&r.norm);
    sli_buf_free(&r.id);
    sli_buf_free(&r.best_id);
    sli_shingle_set_free(&r.origin);
    sli_shingle_set_free(&r.member);
    free(r.members);
    return err;
}

sl_error sli_dedup_each_family(sl_store *st,
                           sl_error (*fn)(void *user, long long family,
                                          const dedup_member *members, size_t n),
                           void *user)
{
    return read_families(st, NULL, 0, fn, user);
}

sl_error sli_dedup_families(sl_store *st, const long long *families, size_t n,
                            sl_error (*fn)(void *user, long long family,
                                           const dedup_member *members, size_t n),
                            void *user)
{
    return n ? read_families(st, families, n, fn, user) : SL_OK;
}
