/* WASI for wasm.h programs (wasmlab_wasm.h): a config gathered by the host, turned into a
 * wasmlab WASI environment defined in a linker the store keeps; a module's WASI imports are
 * then looked up in that linker and handed out as extern handles. */
#include <stdlib.h>
#include <string.h>

#include "engine/wasm-c-api/capi.h"

/* A growable list of owned strings. */
typedef struct {
  char **items;
  size_t n;
} wlc_strings;

struct wasmlab_wasi_config_t {
  wlc_strings args, env, preopen_host, preopen_guest;
  int stdio[3];
};

static void strings_clear(wlc_strings *l) {
  for (size_t i = 0; i < l->n; i++) free(l->items[i]);
  free(l->items);
  *l = (wlc_strings){0};
}

static void strings_add(wlc_strings *l, const char *a, const char *b) {
  char **grown = realloc(l->items, (l->n + 1) * sizeof *grown);
  size_t len = strlen(a) + (b ? strlen(b) + 1 : 0);
  char *s = grown ? malloc(len + 1) : NULL;
  if (grown) l->items = grown;
  if (!s) return;
  strcpy(s, a);
  if (b) strcat(strcat(s, "="), b);
  l->items[l->n++] = s;
}

wasmlab_wasi_config_t *wasmlab_wasi_config_new(void) {
  wasmlab_wasi_config_t *c = calloc(1, sizeof *c);
  if (c) c->stdio[0] = 0, c->stdio[1] = 1, c->stdio[2] = 2;
  return c;
}

void wasmlab_wasi_config_delete(wasmlab_wasi_config_t *c) {
  if (!c) return;
  strings_clear(&c->args);
  strings_clear(&c->env);
  strings_clear(&c->preopen_host);
  strings_clear(&c->preopen_guest);
  free(c);
}

void wasmlab_wasi_config_set_argv(wasmlab_wasi_config_t *c, size_t argc,
                                  const char *const argv[]) {
  strings_clear(&c->args);
  for (size_t i = 0; i < argc; i++) strings_add(&c->args, argv[i], NULL);
}

void wasmlab_wasi_config_set_env(wasmlab_wasi_config_t *c, size_t n, const char *const names[],
                                 const char *const values[]) {
  strings_clear(&c->env);
  for (size_t i = 0; i < n; i++) strings_add(&c->env, names[i], values[i]);
}

void wasmlab_wasi_config_preopen_dir(wasmlab_wasi_config_t *c, const char *host_path,
                                     const char *guest_path) {
  strings_add(&c->preopen_host, host_path, NULL);
  strings_add(&c->preopen_guest, guest_path, NULL);
}

void wasmlab_wasi_config_set_stdio(wasmlab_wasi_config_t *c, int in, int out, int err) {
  c->stdio[0] = in, c->stdio[1] = out, c->stdio[2] = err;
}

static wl_error *make_wasi(const wasmlab_wasi_config_t *c, wl_wasi **out) {
  size_t n = c->preopen_host.n < c->preopen_guest.n ? c->preopen_host.n : c->preopen_guest.n;
  wl_wasi_preopen *pre = calloc(n ? n : 1, sizeof *pre);
  if (!pre) return wl_error_new(WL_ERR_RESOURCE, "out of memory");
  for (size_t i = 0; i < n; i++) pre[i] = (wl_wasi_preopen){c->preopen_host.items[i],
                                                            c->preopen_guest.items[i]};
  wl_wasi_options o = {
      .args = (const char *const *)c->args.items, .nargs = c->args.n,
      .env = (const char *const *)c->env.items, .nenv = c->env.n,
      .preopens = pre, .npreopens = n,
      .stdin_fd = c->stdio[0], .stdout_fd = c->stdio[1], .stderr_fd = c->stdio[2]};
  wl_error *e = wl_wasi_new(&o, out);
  free(pre);
  return e;
}

bool wasmlab_store_set_wasi(wasm_store_t *s, wasmlab_wasi_config_t *c) {
  wl_wasi *w = NULL;
  wl_linker *l = NULL;
  /* Once given, the environment stays: its functions may already sit in instances. */
  wl_error *e = s->wasi ? wl_error_new(WL_ERR_ARGUMENT, "the store has WASI already")
                        : make_wasi(c, &w);
  wasmlab_wasi_config_delete(c);
  if (!e) {
    l = wl_linker_new(s->s);
    e = l ? wl_linker_define_wasi(l, w) : wl_error_new(WL_ERR_RESOURCE, "out of memory");
  }
  if (e) {
    wl_error_delete(e);
    wl_linker_delete(l);
    wl_wasi_delete(w);
    return false;
  }
  s->wasi_linker = l;
  s->wasi = w;
  return true;
}

bool wasmlab_wasi_imports(wasm_store_t *s, const wasm_module_t *module, wasm_extern_vec_t *out) {
  if (!s->wasi_linker) {
    wasm_extern_vec_new_empty(out);
    return false;
  }
  const wl_module *m = wlc_module_of(module);
  wasm_extern_vec_new_uninitialized(out, wl_module_import_count(m));
  for (size_t i = 0; i < out->size; i++) {
    wl_import_info imp = wl_module_import(m, i);
    wl_extern x;
    if (wl_linker_get(s->wasi_linker, imp.module, imp.name, &x))
      out->data[i] = (wasm_extern_t *)wlc_extern_handle(s, x, NULL);
  }
  return true;
}
