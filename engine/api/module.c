/* Modules: decoded, validated and compiled once; reference counted so instances keep theirs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/runtime/internal.h"

static wl_error *decode_and_validate(wl_engine *e, const uint8_t *bytes, size_t len,
                                     wl_moddesc **out) {
  *out = NULL;
  if (!bytes && len) return wl_err(WL_ERR_ARGUMENT, "no module bytes");
  wl_moddesc *desc;
  wl_error *err = wl_decode(bytes, len, e->config.features, &desc);
  if (err) return err;
  err = wl_validate(desc, e->config.features);
  if (err) {
    wl_moddesc_free(desc);
    return err;
  }
  *out = desc;
  return NULL;
}

wl_error *wl_module_validate(wl_engine *e, const uint8_t *bytes, size_t len) {
  if (!e) return wl_err(WL_ERR_ARGUMENT, "no engine");
  wl_moddesc *desc;
  wl_error *err = decode_and_validate(e, bytes, len, &desc);
  if (!err) wl_moddesc_free(desc);
  return err;
}

static wl_error *intern_types(wl_module *m) {
  const wl_moddesc *d = m->desc;
  m->type_ids = malloc((d->ntypes ? d->ntypes : 1) * sizeof *m->type_ids);
  if (!m->type_ids) return wl_err(WL_ERR_RESOURCE, "out of memory");
  for (uint32_t i = 0; i < d->ntypes; i++) {
    m->type_ids[i] = wl_engine_type_id(m->engine, &d->types[i]);
    if (m->type_ids[i] == WL_TYPE_ID_NONE) return wl_err(WL_ERR_RESOURCE, "out of memory");
  }
  return NULL;
}

static void free_module(wl_module *m) {
  if (m->code) m->backend->free_code(m->code);
  if (m->desc) wl_moddesc_free(m->desc);
  free(m->type_ids);
  free(m);
}

wl_error *wl_module_new(wl_engine *e, const uint8_t *bytes, size_t len, wl_module **out) {
  if (!out) return wl_err(WL_ERR_ARGUMENT, "no place for the module");
  *out = NULL;
  if (!e) return wl_err(WL_ERR_ARGUMENT, "no engine");
  wl_module *m = calloc(1, sizeof *m);
  if (!m) return wl_err(WL_ERR_RESOURCE, "out of memory");
  m->refs = 1;
  m->engine = e;
  m->backend = e->backend;
  wl_error *err = wl_check_module_size(&e->config, len);
  if (!err) err = decode_and_validate(e, bytes, len, &m->desc);
  if (!err) err = wl_check_function_count(&e->config, m->desc);
  if (!err) err = intern_types(m);
  if (!err) err = e->backend->compile(e, m->desc, &m->code);
  if (err) {
    free_module(m);
    return err;
  }
  *out = m;
  return NULL;
}

/* Reads the whole file; WL_ERR_IO "cannot read FILE: reason". */
static wl_error *read_file(const char *path, uint8_t **out, size_t *len) {
  *out = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f) return wl_err(WL_ERR_IO, "cannot read %s: %s", path, strerror(errno));
  size_t cap = 1 << 16, n = 0;
  uint8_t *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    uint8_t *bigger = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
    if (!bigger) free(buf);
    buf = bigger;
    cap *= 2;
  }
  int failed = !buf ? ENOMEM : ferror(f) ? EIO : 0;
  fclose(f);
  if (failed) {
    free(buf);
    return wl_err(WL_ERR_IO, "cannot read %s: %s", path, strerror(failed));
  }
  *out = buf;
  *len = n;
  return NULL;
}

wl_error *wl_module_from_file(wl_engine *e, const char *path, wl_module **out) {
  if (out) *out = NULL;
  if (!path) return wl_err(WL_ERR_ARGUMENT, "no path");
  uint8_t *bytes;
  size_t len;
  wl_error *err = read_file(path, &bytes, &len);
  if (err) return err;
  err = wl_module_new(e, bytes, len, out);
  free(bytes);
  return err;
}

void wl_module_retain(wl_module *m) { m->refs++; }

void wl_module_delete(wl_module *m) {
  if (m && --m->refs == 0) free_module(m);
}

/* ---------------------------------------------------------------- introspection */

size_t wl_module_import_count(const wl_module *m) { return m->desc->nimports; }
size_t wl_module_export_count(const wl_module *m) { return m->desc->nexports; }

wl_import_info wl_module_import(const wl_module *m, size_t i) {
  if (i >= m->desc->nimports) return (wl_import_info){NULL, NULL, WL_EXTERN_FUNC, 0, 0};
  const wl_import *imp = &m->desc->imports[i];
  return (wl_import_info){imp->module, imp->name, (wl_extern_kind)imp->kind, imp->module_len,
                          imp->name_len};
}

wl_export_info wl_module_export(const wl_module *m, size_t i) {
  if (i >= m->desc->nexports) return (wl_export_info){NULL, WL_EXTERN_FUNC, 0};
  const wl_export *ex = &m->desc->exports[i];
  return (wl_export_info){ex->name, (wl_extern_kind)ex->kind, ex->name_len};
}
