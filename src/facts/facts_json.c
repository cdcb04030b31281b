/* facts_json.c — an article's facts in DESIGN.md's JSON shape. */
#include "facts.h"

#include "../core/json_writer.h"

void sli_facts_write_json(jw *w, const sli_facts *f)
{
    sli_jw_begin_object(w);
    sli_jw_key(w, "quotes");
    sli_jw_begin_array(w);
    for (size_t i = 0; i < f->n_quotes; i++) {
        sli_jw_begin_object(w);
        sli_jw_kv_string(w, "text", f->quotes[i].text);
        sli_jw_kv_string(w, "speaker", f->quotes[i].speaker);
        sli_jw_kv_string(w, "kind", sli_quote_kind_name(f->quotes[i].kind));
        sli_jw_end_object(w);
    }
    sli_jw_end_array(w);
    sli_jw_key(w, "entities");
    sli_jw_begin_array(w);
    for (size_t i = 0; i < f->n_entities; i++) {
        sli_jw_begin_object(w);
        sli_jw_kv_string(w, "name", f->entities[i].name);
        sli_jw_kv_string(w, "type", sli_entity_type_name(f->entities[i].type));
        sli_jw_kv_int(w, "count", f->entities[i].count);
        sli_jw_end_object(w);
    }
    sli_jw_end_array(w);
    sli_jw_key(w, "amounts");
    sli_jw_begin_array(w);
    for (size_t i = 0; i < f->n_amounts; i++) {
        sli_jw_begin_object(w);
        sli_jw_kv_string(w, "text", f->amounts[i].text);
        sli_jw_key(w, "value");
        sli_jw_double_exact(w, f->amounts[i].value);
        sli_jw_kv_string(w, "unit", f->amounts[i].unit);
        sli_jw_end_object(w);
    }
    sli_jw_end_array(w);
    sli_jw_key(w, "dates");
    sli_jw_begin_array(w);
    for (size_t i = 0; i < f->n_dates; i++) {
        sli_jw_begin_object(w);
        sli_jw_kv_string(w, "text", f->dates[i].text);
        sli_jw_kv_string(w, "date", f->dates[i].value);
        sli_jw_end_object(w);
    }
    sli_jw_end_array(w);
    sli_jw_end_object(w);
}
