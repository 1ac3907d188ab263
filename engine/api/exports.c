/* Instance exports: looked up by name in the module's export list. */
#include <string.h>

#include "engine/runtime/internal.h"

static wl_extern extern_of(const wl_instance *inst, const wl_export *ex) {
  wl_extern x = {.kind = (wl_extern_kind)ex->kind};
  switch (ex->kind) {
  case WL_KIND_FUNC: x.of.func = inst->funcs[ex->index]; break;
  case WL_KIND_TABLE: x.of.table = inst->tables[ex->index]; break;
  case WL_KIND_MEMORY: x.of.memory = inst->memories[ex->index]; break;
  default: x.of.global = inst->globals[ex->index]; break;
  }
  return x;
}

bool wl_instance_export(wl_instance *i, const char *name, wl_extern *out) {
  return name && wl_instance_export_sized(i, name, strlen(name), out);
}

bool wl_instance_export_sized(wl_instance *i, const char *name, size_t len, wl_extern *out) {
  if (!i || !name) return false;
  const wl_moddesc *d = i->module->desc;
  /* The length check keeps "" from matching a name that starts with a NUL byte. */
  for (uint32_t k = 0; k < d->nexports; k++)
    if (d->exports[k].name_len == len && memcmp(d->exports[k].name, name, len) == 0) {
      if (out) *out = extern_of(i, &d->exports[k]);
      return true;
    }
  return false;
}

size_t wl_instance_export_count(const wl_instance *i) { return i->module->desc->nexports; }

const char *wl_instance_export_name(const wl_instance *i, size_t n) {
  return n < i->module->desc->nexports ? i->module->desc->exports[n].name : NULL;
}

bool wl_instance_export_at(wl_instance *i, size_t n, wl_extern *out) {
  if (!i || n >= i->module->desc->nexports) return false;
  if (out) *out = extern_of(i, &i->module->desc->exports[n]);
  return true;
}
