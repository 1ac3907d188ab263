/* The type, import, function, table, memory, global, export, start and data count sections. */
#include <stdlib.h>
#include <string.h>

#include "engine/decode/decoder.h"

static wl_error *out_of_memory(const char *what) {
  return wl_err(WL_ERR_RESOURCE, "out of memory decoding the %s section", what);
}

/* Extends an index-space array (imports first) by `add` zeroed entries. */
static bool grow(void **array, uint32_t have, uint32_t add, size_t size) {
  uint64_t n = (uint64_t)have + add;
  if (n == 0) n = 1;
  if (n > SIZE_MAX / size) return false;
  void *grown = realloc(*array, (size_t)n * size);
  if (!grown) return false;
  memset((uint8_t *)grown + (size_t)have * size, 0, (size_t)(n - have) * size);
  *array = grown;
  return true;
}

static wl_error *read_valtype_vec(wl_decoder *d, uint32_t *count, wl_valtype **types) {
  wl_error *e = wl_dec_len(d, count);
  if (e) return e;
  *types = wl_dec_calloc(*count, sizeof **types);
  if (!*types) return out_of_memory("type");
  for (uint32_t i = 0; i < *count && !e; i++) e = wl_dec_valtype(d, &(*types)[i]);
  return e;
}

static wl_error *read_functype(wl_decoder *d, wl_functype *t) {
  const uint8_t *at = d->p;
  uint8_t form = 0;
  wl_error *e = wl_dec_byte(d, &form);
  if (e) return e;
  if (form & 0x80) return wl_dec_error(d, d->p, "integer representation too long");
  if (form != 0x60) return wl_dec_error(d, at, "malformed function type");
  if ((e = read_valtype_vec(d, &t->nparams, &t->params))) return e;
  return read_valtype_vec(d, &t->nresults, &t->results);
}

wl_error *wl_dec_type_section(wl_decoder *d) {
  wl_moddesc *m = d->m;
  uint32_t n = 0;
  wl_error *e = wl_dec_len(d, &n);
  if (e) return e;
  if (!(m->types = wl_dec_calloc(n, sizeof *m->types))) return out_of_memory("type");
  m->ntypes = n;
  for (uint32_t i = 0; i < n && !e; i++) e = read_functype(d, &m->types[i]);
  return e;
}

static wl_error *read_import_desc(wl_decoder *d, wl_import *im) {
  const uint8_t *at = d->p;
  wl_error *e = wl_dec_byte(d, &im->kind);
  if (e) return e;
  switch (im->kind) {
  case WL_KIND_FUNC: return wl_dec_u32(d, &im->desc.type_index);
  case WL_KIND_TABLE: return wl_dec_tabletype(d, &im->desc.table);
  case WL_KIND_MEMORY: return wl_dec_memtype(d, &im->desc.memory);
  case WL_KIND_GLOBAL: return wl_dec_globaltype(d, &im->desc.global);
  default: return wl_dec_error(d, at, "malformed import kind");
  }
}

/* Builds the import part of the four index spaces once all imports are known. */
static wl_error *index_imports(wl_moddesc *m) {
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wl_import *im = &m->imports[i];
    bool ok = true;
    switch (im->kind) {
    case WL_KIND_FUNC:
      ok = grow((void **)&m->func_type, m->nfuncs, 1, sizeof *m->func_type);
      if (ok) m->func_type[m->nfuncs++] = im->desc.type_index;
      break;
    case WL_KIND_TABLE:
      ok = grow((void **)&m->tables, m->ntables, 1, sizeof *m->tables);
      if (ok) m->tables[m->ntables++] = im->desc.table;
      break;
    case WL_KIND_MEMORY:
      ok = grow((void **)&m->memories, m->nmemories, 1, sizeof *m->memories);
      if (ok) m->memories[m->nmemories++] = im->desc.memory;
      break;
    default:
      ok = grow((void **)&m->global_types, m->nglobals, 1, sizeof *m->global_types);
      if (ok) m->global_types[m->nglobals++] = im->desc.global;
      break;
    }
    if (!ok) return out_of_memory("import");
  }
  m->nfunc_imports = m->nfuncs;
  m->ntable_imports = m->ntables;
  m->nmemory_imports = m->nmemories;
  m->nglobal_imports = m->nglobals;
  return NULL;
}

wl_error *wl_dec_import_section(wl_decoder *d) {
  wl_moddesc *m = d->m;
  uint32_t n = 0;
  wl_error *e = wl_dec_len(d, &n);
  if (e) return e;
  if (!(m->imports = wl_dec_calloc(n, sizeof *m->imports))) return out_of_memory("import");
  m->nimports = n;
  for (uint32_t i = 0; i < n && !e; i++) {
    wl_import *im = &m->imports[i];
    e = wl_dec_name(d, &im->module, &im->module_len);
    if (!e) e = wl_dec_name(d, &im->name, &im->name_len);
    if (!e) e = read_import_desc(d, im);
  }
  return e ? e : index_imports(m);
}

wl_error *wl_dec_function_section(wl_decoder *d) {
  wl_moddesc *m = d->m;
  uint32_t n = 0;
  wl_error *e = wl_dec_len(d, &n);
  if (e) return e;
  if (!grow((void **)&m->func_type, m->nfuncs, n, sizeof *m->func_type) ||
      !(m->funcs = wl_dec_calloc(n, sizeof *m->funcs)))
    return out_of_memory("function");
  d->nfunc_decls = n;
  for (uint32_t i = 0; i < n && !e; i++) {
    uint32_t type_index = 0;
    if ((e = wl_dec_u32(d, &type_index))) break;
    m->func_type[m->nfuncs++] = type_index;
    m->funcs[i].type_index = type_index;
  }
  return e;
}

wl_error *wl_dec_table_section(wl_decoder *d) {
  wl_moddesc *m = d->m;
  uint32_t n = 0;
  wl_error *e = wl_dec_len(d, &n);
  if (e) return e;
  if (!grow((void **)&m->tables, m->ntables, n, sizeof *m->tables)) return out_of_memory("table");
  for (uint32_t i = 0; i < n && !e; i++) e = wl_dec_tabletype(d, &m->tables[m->ntables++]);
  return e;
}

wl_error *wl_dec_memory_section(wl_decoder *d) {
  wl_moddesc *m = d->m;
  uint32_t n = 0;
  wl_error *e = wl_dec_len(d, &n);
  if (e) return e;
  if (!grow((void **)&m->memories, m->nmemories, n, sizeof *m->memories))
    return out_of_memory("memory");
  for (uint32_t i = 0; i < n && !e; i++) e = wl_dec_memtype(d, &m->memories[m->nmemories++]);
  return e;
}

wl_error *wl_dec_global_section(wl_decoder *d) {
  wl_moddesc *m = d->m;
  uint32_t n = 0;
  wl_error *e = wl_dec_len(d, &n);
  if (e) return e;
  if (!grow((void **)&m->global_types, m->nglobals, n, sizeof *m->global_types) ||
      !(m->globals = wl_dec_calloc(n, sizeof *m->globals)))
    return out_of_memory("global");
  for (uint32_t i = 0; i < n && !e; i++) {
    wl_globaldef *g = &m->globals[i];
    e = wl_dec_globaltype(d, &g->type);
    if (!e) e = wl_dec_constexpr(d, &g->init);
    if (!e) m->global_types[m->nglobals++] = g->type;
  }
  return e;
}

wl_error *wl_dec_export_section(wl_decoder *d) {
  wl_moddesc *m = d->m;
  uint32_t n = 0;
  wl_error *e = wl_dec_len(d, &n);
  if (e) return e;
  if (!(m->exports = wl_dec_calloc(n, sizeof *m->exports))) return out_of_memory("export");
  m->nexports = n;
  for (uint32_t i = 0; i < n && !e; i++) {
    wl_export *ex = &m->exports[i];
    if ((e = wl_dec_name(d, &ex->name, &ex->name_len))) break;
    const uint8_t *at = d->p;
    if ((e = wl_dec_byte(d, &ex->kind))) break;
    if (ex->kind > WL_KIND_GLOBAL) e = wl_dec_error(d, at, "malformed export kind");
    else e = wl_dec_u32(d, &ex->index);
  }
  return e;
}

wl_error *wl_dec_start_section(wl_decoder *d) {
  d->m->has_start = true;
  return wl_dec_u32(d, &d->m->start);
}

wl_error *wl_dec_datacount_section(wl_decoder *d) {
  d->m->has_datacount = true;
  return wl_dec_u32(d, &d->m->datacount);
}
