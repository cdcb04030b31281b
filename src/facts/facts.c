/* facts.c — one article's facts: the extractors in order, and the arrays they fill. */
#include "facts.h"

#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"
#include "numtok_int.h"

static char *copy_n(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (p) {
        if (len)
            memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

/* A copy of s[0..len), or NULL for a NULL s; *ok is cleared when the copy failed. */
static char *copy_opt(const char *s, size_t len, int *ok)
{
    if (!s)
        return NULL;
    char *p = copy_n(s, len);
    if (!p)
        *ok = 0;
    return p;
}

sl_error sli_facts_add_quote(sli_facts *f, const char *text, size_t len,
                             const char *speaker, size_t speaker_len, sli_quote_kind kind,
                             size_t offset)
{
    sli_quote *q = sli_grow_array(f->quotes, &f->cap_quotes, f->n_quotes + 1, sizeof *q, 16);
    if (!q)
        return SL_ERR_NOMEM;
    f->quotes = q;
    int ok = 1;
    char *t = copy_n(text, len);
    char *s = copy_opt(speaker, speaker_len, &ok);
    if (!t || !ok) {
        free(t);
        free(s);
        return SL_ERR_NOMEM;
    }
    q[f->n_quotes++] = (sli_quote){.text = t, .speaker = s, .kind = kind, .offset = offset};
    return SL_OK;
}

sl_error sli_facts_add_entity(sli_facts *f, const char *name, size_t len,
                              sli_entity_type type, int count)
{
    sli_entity *e =
        sli_grow_array(f->entities, &f->cap_entities, f->n_entities + 1, sizeof *e, 16);
    if (!e)
        return SL_ERR_NOMEM;
    f->entities = e;
    char *n = copy_n(name, len);
    if (!n)
        return SL_ERR_NOMEM;
    e[f->n_entities++] = (sli_entity){.name = n, .type = type, .count = count};
    return SL_OK;
}

sl_error sli_facts_add_amount(sli_facts *f, const char *text, size_t len, double value,
                              const char *unit, size_t unit_len, size_t offset)
{
    sli_amount *a = sli_grow_array(f->amounts, &f->cap_amounts, f->n_amounts + 1, sizeof *a, 16);
    if (!a)
        return SL_ERR_NOMEM;
    f->amounts = a;
    int ok = 1;
    char *t = copy_n(text, len);
    char *u = copy_opt(unit, unit_len, &ok);
    if (!t || !ok) {
        free(t);
        free(u);
        return SL_ERR_NOMEM;
    }
    a[f->n_amounts++] = (sli_amount){.text = t, .value = value, .unit = u, .offset = offset};
    return SL_OK;
}

sl_error sli_facts_add_date(sli_facts *f, const char *text, size_t len, const char *value,
                            size_t offset)
{
    sli_date_ref *d = sli_grow_array(f->dates, &f->cap_dates, f->n_dates + 1, sizeof *d, 16);
    if (!d)
        return SL_ERR_NOMEM;
    f->dates = d;
    char *t = copy_n(text, len);
    if (!t)
        return SL_ERR_NOMEM;
    sli_date_ref *r = &d[f->n_dates++];
    *r = (sli_date_ref){.text = t, .offset = offset};
    size_t vl = strlen(value);
    if (vl >= sizeof r->value)
        vl = sizeof r->value - 1;
    memcpy(r->value, value, vl);
    r->value[vl] = '\0';
    return SL_OK;
}

void sli_facts_clear(sli_facts *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_quotes; i++) {
        free(f->quotes[i].text);
        free(f->quotes[i].speaker);
    }
    for (size_t i = 0; i < f->n_entities; i++)
        free(f->entities[i].name);
    for (size_t i = 0; i < f->n_amounts; i++) {
        free(f->amounts[i].text);
        free(f->amounts[i].unit);
    }
    for (size_t i = 0; i < f->n_dates; i++)
        free(f->dates[i].text);
    free(f->quotes);
    free(f->entities);
    free(f->amounts);
    free(f->dates);
    memset(f, 0, sizeof *f);
}

sl_error sli_facts_extract(const sli_facts_ctx *ctx, const char *text, size_t len,
                           const char *date, sli_facts *out)
{
    if (!out || (!text && len))
        return SL_ERR_INVALID;
    if (!text) /* (NULL, 0): empty text, which amounts and dates would refuse as NULL */
        text = "";
    sl_error e = sli_entities_find(ctx, text, len, out);
    if (!e)
        e = sli_quotes_find(ctx, text, len, out);
    if (e)
        return e;
    if (!text)
        return SL_ERR_INVALID; /* as sli_amounts_find says */
    /* amounts and dates read the same tokens: cut once */
    nt_list l = {0};
    e = nt_tokenize(text, len, &l);
    if (!e)
        e = sli_amounts_find_toks(text, &l, out);
    if (!e)
        e = sli_date_refs_find_toks(text, &l, date, out);
    free(l.t);
    return e;
}

const char *sli_entity_type_name(sli_entity_type type)
{
    switch (type) {
    case SLI_ENTITY_PERSON: return "person";
    case SLI_ENTITY_ORG: return "org";
    case SLI_ENTITY_PLACE: return "place";
    }
    return "unknown";
}

const char *sli_quote_kind_name(sli_quote_kind kind)
{
    return kind == SLI_QUOTE_PHRASE ? "phrase" : "speech";
}
