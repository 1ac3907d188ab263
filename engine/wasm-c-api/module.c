/* Modules: compiled once per engine and shared by their handles, in any store of the engine
 * (which is what share/obtain hand across). Serialization stores the binary behind a header;
 * the engine compiles it again, on aot from its artifact cache. */
#include <stdlib.h>
#include <string.h>

#include "engine/wasm-c-api/capi.h"

static const char serial_magic[8] = {'w', 'l', 'c', 'a', 'p', 'i', '1', '\n'};

struct wasm_shared_module_t {
  wlc_module *module;
};

static wlc_module *module_of(const wasm_module_t *m) { return ((const wasm_ref_t *)m)->of.module; }

static wasm_module_t *handle_of(wlc_module *rec) {
  wasm_ref_t *r = wlc_handle_new(WLC_MODULE, NULL);
  if (!r) return NULL;
  rec->handles++;
  r->of.module = rec;
  return (wasm_module_t *)r;
}

static wasm_module_t *module_new(wasm_store_t *s, const uint8_t *bytes, size_t len) {
  wlc_module *rec = calloc(1, sizeof *rec);
  uint8_t *copy = rec ? malloc(len ? len : 1) : NULL;
  wl_module *m = NULL;
  wl_error *e = copy ? wl_module_new(s->engine->e, bytes, len, &m) : NULL;
  wasm_module_t *h = copy && !e ? handle_of(rec) : NULL;
  if (!h) {
    wl_error_delete(e);
    wl_module_delete(m);
    free(copy);
    free(rec);
    return NULL;
  }
  memcpy(copy, bytes, len);
  *rec = (wlc_module){.m = m, .engine = s->engine, .handles = 1, .bytes = copy, .len = len};
  return h;
}

wasm_module_t *wasm_module_new(wasm_store_t *s, const wasm_byte_vec_t *binary) {
  return module_new(s, (const uint8_t *)binary->data, binary->size);
}

bool wasm_module_validate(wasm_store_t *s, const wasm_byte_vec_t *binary) {
  wl_error *e = wl_module_validate(s->engine->e, (const uint8_t *)binary->data, binary->size);
  wl_error_delete(e);
  return e == NULL;
}

wasm_module_t *wasm_module_copy(const wasm_module_t *m) { return handle_of(module_of(m)); }

/* Drops one count of the record (a handle's or a share's); the last one frees it. */
static void module_release(wlc_module *rec) {
  if (--rec->handles > 0) return;
  wlc_host_info_finalize(&rec->host);
  wl_module_delete(rec->m);
  free(rec->bytes);
  free(rec);
}

void wasm_module_delete(wasm_module_t *m) {
  if (!m) return;
  wlc_module *rec = module_of(m);
  free(m);
  module_release(rec);
}


void wasm_module_imports(const wasm_module_t *m, wasm_importtype_vec_t *out) {
  const wl_module *wm = module_of(m)->m;
  wasm_importtype_vec_new_uninitialized(out, wl_module_import_count(wm));
  for (size_t i = 0; i < out->size; i++) {
    wl_import_info info = wl_module_import(wm, i);
    wl_extern_type t = wl_module_import_type(wm, i);
    wasm_name_t module, name;
    wasm_name_new(&module, info.module_len, info.module);
    wasm_name_new(&name, info.name_len, info.name);
    out->data[i] = wasm_importtype_new(&module, &name, wlc_externtype_from_wl(&t));
  }
}

void wasm_module_exports(const wasm_module_t *m, wasm_exporttype_vec_t *out) {
  const wl_module *wm = module_of(m)->m;
  wasm_exporttype_vec_new_uninitialized(out, wl_module_export_count(wm));
  for (size_t i = 0; i < out->size; i++) {
    wl_extern_type t = wl_module_export_type(wm, i);
    wl_export_info info = wl_module_export(wm, i);
    wasm_name_t name;
    wasm_name_new(&name, info.name_len, info.name);
    out->data[i] = wasm_exporttype_new(&name, wlc_externtype_from_wl(&t));
  }
}

void wasm_module_serialize(const wasm_module_t *m, wasm_byte_vec_t *out) {
  const wlc_module *rec = module_of(m);
  wasm_byte_vec_new_uninitialized(out, sizeof serial_magic + rec->len);
  if (!out->data) return;
  memcpy(out->data, serial_magic, sizeof serial_magic);
  memcpy(out->data + sizeof serial_magic, rec->bytes, rec->len);
}

wasm_module_t *wasm_module_deserialize(wasm_store_t *s, const wasm_byte_vec_t *in) {
  if (in->size < sizeof serial_magic || memcmp(in->data, serial_magic, sizeof serial_magic))
    return NULL;
  return module_new(s, (const uint8_t *)in->data + sizeof serial_magic,
                    in->size - sizeof serial_magic);
}

/* ---------------------------------------------------------------- sharing */

wasm_shared_module_t *wasm_module_share(const wasm_module_t *m) {
  wasm_shared_module_t *sh = malloc(sizeof *sh);
  if (!sh) return NULL;
  sh->module = module_of(m);
  sh->module->handles++;
  return sh;
}

wasm_module_t *wasm_module_obtain(wasm_store_t *s, const wasm_shared_module_t *sh) {
  if (sh->module->engine != s->engine) return NULL;
  return handle_of(sh->module);
}

void wasm_shared_module_delete(wasm_shared_module_t *sh) {
  if (!sh) return;
  module_release(sh->module);
  free(sh);
}

wl_module *wlc_module_of(const wasm_module_t *m) { return module_of(m)->m; }
