/* family_rules.c — the dedup stage's rules for joining families (sli_dedup_join), read
 * and written through family_ops: the store's tables in a batch (dedup.c), a map in
 * memory for a group of articles on a worker (family_group.c). One implementation, so
 * that the workers' families are the store's. */
#include "dedup.h"

/* Families `*family` and `other` (their first articles) are one story when their first
 * articles match each other's text (C >= 0.5): then a copy of both merges them into the
 * lower, and *family names it. */
static sl_error maybe_merge(const family_ops *ops, void *user, long long *family,
                            long long other)
{
    double j, c;
    sl_error err = ops->compare(user, *family, other, &j, &c);
    if (err || c < 0.5)
        return err;
    long long keep = *family < other ? *family : other, gone = *family < other ? other : *family;
    err = ops->merge(user, keep, gone);
    if (!err)
        *family = keep;
    return err;
}

sl_error sli_dedup_join(const family_ops *ops, void *user, long long self, const verified *ok,
                        size_t nok)
{
    size_t best = 0;
    for (size_t k = 1; k < nok; k++)
        if (ok[k].j + ok[k].c > ok[best].j + ok[best].c)
            best = k;
    const verified *v = &ok[best];
    long long family;
    sl_error err = ops->family_of(user, v->rid, &family);
    if (!err && family && family != v->rid) {
        /* The family's first article must match too: no chains of weak links. */
        double j, c;
        err = ops->compare(user, self, family, &j, &c);
        if (err || c < 0.5)
            return err;
    }
    if (!err && !family) {
        family = v->rid;
        err = ops->set_member(user, v->rid, family, 0, 1, 1);
    }
    if (!err)
        err = ops->set_member(user, self, family, v->rid, v->j, v->c);

    /* A copy of its family and of members of other families too: a bridge between them. */
    for (size_t k = 0; !err && sli_dedup_is_copy(v->j, v->c) && k < nok; k++) {
        if (k == best || !sli_dedup_is_copy(ok[k].j, ok[k].c))
            continue;
        long long other;
        err = ops->family_of(user, ok[k].rid, &other);
        if (!err && other && other != family)
            err = maybe_merge(ops, user, &family, other);
    }
    return err;
}
