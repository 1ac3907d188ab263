/* Element and data segments: target indices, offset expressions, element types and items.
 * Every function an element segment names joins declared_funcs (C.refs in the spec). */
#include <stdio.h>

#include "engine/validate/validate_internal.h"
#include "proposals/memory64/rules.h"

#define I32 ((wl_valtype)0x7F)
#define FUNCREF ((wl_valtype)0x70)

static wl_error *validate_elem_target(const wl_moddesc *m, uint32_t features,
                                      const wl_elemseg *s, const char *where) {
  if (s->table_index >= m->ntables)
    return wl_err(WL_ERR_INVALID, "unknown table %u in %s", s->table_index, where);
  wl_valtype table_type = m->tables[s->table_index].elemtype;
  if (table_type != s->elemtype)
    return wl_err(WL_ERR_INVALID, "type mismatch in %s: %s segment for a %s table", where,
                  wl_valtype_name(s->elemtype), wl_valtype_name(table_type));
  char offset_where[96];
  snprintf(offset_where, sizeof offset_where, "%s offset", where);
  return wl_validate_constexpr(m, features, &s->offset, I32, offset_where, NULL);
}

static wl_error *validate_elem_items(wl_moddesc *m, uint32_t features, const wl_elemseg *s,
                                     const char *where) {
  if (s->func_indices) {
    if (s->elemtype != FUNCREF)
      return wl_err(WL_ERR_INVALID, "type mismatch in %s: function indices in a %s segment",
                    where, wl_valtype_name(s->elemtype));
    for (uint32_t i = 0; i < s->count; i++) {
      uint32_t f = s->func_indices[i];
      if (f >= m->nfuncs) return wl_err(WL_ERR_INVALID, "unknown function %u in %s", f, where);
      m->declared_funcs[f] = 1;
    }
    return NULL;
  }
  for (uint32_t i = 0; i < s->count && s->exprs; i++) {
    char item_where[96];
    snprintf(item_where, sizeof item_where, "%s item %u", where, i);
    wl_error *e = wl_validate_constexpr(m, features, &s->exprs[i], s->elemtype, item_where,
                                        m->declared_funcs);
    if (e) return e;
  }
  return NULL;
}

static wl_error *validate_elem(wl_moddesc *m, uint32_t features, uint32_t i) {
  const wl_elemseg *s = &m->elems[i];
  char where[48];
  snprintf(where, sizeof where, "elem segment %u", i);
  if (!wl_is_reftype(s->elemtype))
    return wl_err(WL_ERR_INVALID, "type mismatch in %s: element type %s is not a reference",
                  where, wl_valtype_name(s->elemtype));
  if (s->mode == WL_SEG_ACTIVE) {
    wl_error *e = validate_elem_target(m, features, s, where);
    if (e) return e;
  }
  return validate_elem_items(m, features, s, where);
}

static wl_error *validate_data(const wl_moddesc *m, uint32_t features, uint32_t i) {
  const wl_dataseg *s = &m->datas[i];
  if (s->mode != WL_SEG_ACTIVE) return NULL;
  char where[48];
  snprintf(where, sizeof where, "data segment %u", i);
  if (s->memory_index >= m->nmemories)
    return wl_err(WL_ERR_INVALID, "unknown memory %u in %s", s->memory_index, where);
  char offset_where[64];
  snprintf(offset_where, sizeof offset_where, "%s offset", where);
  wl_valtype addr = wl_memory64_address_type(&m->memories[s->memory_index]);
  return wl_validate_constexpr(m, features, &s->offset, addr, offset_where, NULL);
}

wl_error *wl_validate_segments(wl_moddesc *m, uint32_t features) {
  wl_error *e = NULL;
  for (uint32_t i = 0; i < m->nelems && !e; i++) e = validate_elem(m, features, i);
  for (uint32_t i = 0; i < m->ndatas && !e; i++) e = validate_data(m, features, i);
  return e;
}
