/* Releasing a decoded module, and function names for diagnostics. */
#include <stdio.h>
#include <stdlib.h>

#include "engine/module.h"

static void free_types(wl_moddesc *m) {
  for (uint32_t i = 0; i < m->ntypes; i++) {
    free(m->types[i].params);
    free(m->types[i].results);
  }
  free(m->types);
}

static void free_imports_exports(wl_moddesc *m) {
  for (uint32_t i = 0; i < m->nimports; i++) {
    free(m->imports[i].module);
    free(m->imports[i].name);
  }
  free(m->imports);
  for (uint32_t i = 0; i < m->nexports; i++) free(m->exports[i].name);
  free(m->exports);
}

/* funcs has one entry per defined function; facts belong to the validator but live here. */
static void free_funcs(wl_moddesc *m) {
  uint32_t ndefined = m->funcs ? m->nfuncs - m->nfunc_imports : 0;
  for (uint32_t i = 0; i < ndefined; i++) {
    free(m->funcs[i].local_types);
    free(m->funcs[i].facts.blocks);
    free(m->funcs[i].facts.wide_ops);
  }
  free(m->funcs);
  free(m->func_type);
}

static void free_segments(wl_moddesc *m) {
  for (uint32_t i = 0; i < m->nelems; i++) {
    free(m->elems[i].func_indices);
    free(m->elems[i].exprs);
  }
  free(m->elems);
  free(m->datas);
}

static void free_names(wl_moddesc *m) {
  for (uint32_t i = 0; i < m->ncustoms; i++) free(m->customs[i].name);
  free(m->customs);
  free(m->module_name);
  if (m->func_names)
    for (uint32_t i = 0; i < m->nfuncs; i++) free(m->func_names[i]);
  free(m->func_names);
}

void wl_moddesc_free(wl_moddesc *m) {
  if (!m) return;
  free_types(m);
  free_imports_exports(m);
  free_funcs(m);
  free(m->tables);
  free(m->memories);
  free(m->global_types);
  free(m->globals);
  free_segments(m);
  free_names(m);
  free(m->declared_funcs);
  free(m->bytes);
  free(m);
}

const char *wl_moddesc_func_name(const wl_moddesc *m, uint32_t func_index, char *buf,
                                 size_t size) {
  if (m && m->func_names && func_index < m->nfuncs && m->func_names[func_index])
    snprintf(buf, size, "%s", m->func_names[func_index]);
  else
    snprintf(buf, size, "func[%u]", func_index);
  return buf;
}
