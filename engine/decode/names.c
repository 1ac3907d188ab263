/* Custom sections, and the "name" custom section's module and function names.
 * Only a custom section's own header (name, size) can make a module malformed; a "name"
 * section that does not parse is ignored, as the spec's appendix allows. */
#include <stdlib.h>
#include <string.h>

#include "engine/decode/decoder.h"

wl_error *wl_dec_custom_section(wl_decoder *d, uint32_t size) {
  const uint8_t *start = d->p, *end = start + size;
  char *name = NULL;
  uint32_t name_len = 0;
  wl_error *e = wl_dec_name(d, &name, &name_len);
  if (e) return e;
  if (d->p > end) {
    free(name);
    return wl_dec_error(d, end, WL_END_OF_SECTION);
  }
  wl_moddesc *m = d->m;
  wl_custom *grown = realloc(m->customs, ((size_t)m->ncustoms + 1) * sizeof *grown);
  if (!grown) {
    free(name);
    return wl_err(WL_ERR_RESOURCE, "out of memory decoding a custom section");
  }
  m->customs = grown;
  m->customs[m->ncustoms++] = (wl_custom){name, d->p, (uint32_t)(end - d->p), d->last_section};
  d->p = end;
  return NULL;
}

/* ---------------------------------------------------------------- the name section */

enum { NAME_MODULE = 0, NAME_FUNCTION = 1 };

static bool read_name_map(wl_decoder *r, wl_moddesc *m, char **names) {
  uint32_t n = 0;
  wl_error *e = wl_dec_len(r, &n);
  for (uint32_t i = 0; !e && i < n; i++) {
    uint32_t index, len;
    char *name = NULL;
    e = wl_dec_u32(r, &index);
    if (!e) e = wl_dec_name(r, &name, &len);
    if (e) break;
    if (index < m->nfuncs && !names[index]) names[index] = name;
    else free(name);
  }
  if (!e) return true;
  wl_error_delete(e);
  return false;
}

static bool read_subsection(wl_decoder *r, wl_moddesc *m, uint8_t id, char **module_name,
                            char **func_names) {
  uint32_t len = 0;
  if (id == NAME_MODULE) {
    if (*module_name) return false;
    wl_error *e = wl_dec_name(r, module_name, &len);
    if (e) wl_error_delete(e);
    return e == NULL;
  }
  if (id == NAME_FUNCTION) return read_name_map(r, m, func_names);
  return true; /* other subsections (locals, ...) are skipped by the caller */
}

/* Walks the subsections; false when anything is malformed. */
static bool read_subsections(wl_decoder *r, wl_moddesc *m, char **module_name,
                             char **func_names) {
  int last_id = -1;
  while (r->p < r->end) {
    uint8_t id = 0;
    uint32_t size = 0;
    wl_error *e = wl_dec_byte(r, &id);
    if (!e) e = wl_dec_len(r, &size);
    if (e) { wl_error_delete(e); return false; }
    if ((int)id <= last_id) return false;
    last_id = id;
    const uint8_t *end = r->p + size;
    if (!read_subsection(r, m, id, module_name, func_names)) return false;
    if (id <= NAME_FUNCTION && r->p != end) return false;
    r->p = end;
  }
  return true;
}

static void free_names(char *module_name, char **func_names, uint32_t n) {
  free(module_name);
  if (!func_names) return;
  for (uint32_t i = 0; i < n; i++) free(func_names[i]);
  free(func_names);
}

void wl_dec_name_section(wl_moddesc *m, const uint8_t *payload, uint32_t len) {
  wl_decoder r = {.start = payload, .p = payload, .end = payload + len, .m = m};
  char *module_name = NULL;
  char **func_names = wl_dec_calloc(m->nfuncs, sizeof *func_names);
  if (!func_names) return;
  if (!read_subsections(&r, m, &module_name, func_names)) {
    free_names(module_name, func_names, m->nfuncs);
    return;
  }
  free_names(m->module_name, m->func_names, m->nfuncs);
  m->module_name = module_name;
  m->func_names = func_names;
}
