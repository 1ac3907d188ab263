/* Functions: host functions made from wasm.h callbacks, and calls. A host function is a
 * wasmlab host function whose user data is a wlc_host record; its trampoline turns wl_vals
 * into wasm_val_ts and back, and a returned wasm_trap_t into a wasmlab host trap. */
#include <stdlib.h>

#include "engine/wasm-c-api/capi.h"

typedef struct {
  wasm_func_callback_t cb;
  wasm_func_callback_with_env_t cb_env;
  void *env;
  void (*finalizer)(void *);
  wasm_store_t *store;
  wl_signature sig;
  wl_valkind *kinds;  /* sig's storage */
} wlc_host;

/* Value arrays: small ones on the stack, larger ones on the heap. */
#define WLC_INLINE_VALS 8

static wasm_val_t *vals_alloc(wasm_val_t *inline_buf, size_t n) {
  return n <= WLC_INLINE_VALS ? inline_buf : calloc(n, sizeof(wasm_val_t));
}

static void vals_free(wasm_val_t *inline_buf, wasm_val_t *vals, size_t n) {
  for (size_t i = 0; i < n; i++) wasm_val_delete(&vals[i]);
  if (vals != inline_buf) free(vals);
}

static wl_error *results_to_wl(const wlc_host *h, wasm_val_t *res, wl_val *results) {
  for (size_t i = 0; i < h->sig.nresults; i++)
    if (!wlc_val_to_wl(h->store, &res[i], (uint8_t)h->sig.results[i], &results[i]))
      return wl_trap_new(WL_TRAP_HOST, "host function result %zu has the wrong type", i);
  return NULL;
}

/* Arguments are borrowed by the callback and released here; the results' references were
 * handed to us and are released after conversion. */
static wl_error *trampoline(void *data, wl_caller *caller, const wl_val *args, wl_val *results) {
  (void)caller;
  const wlc_host *h = data;
  size_t np = h->sig.nparams, nr = h->sig.nresults;
  wasm_val_t abuf[WLC_INLINE_VALS], rbuf[WLC_INLINE_VALS];
  wasm_val_t *av = vals_alloc(abuf, np), *rv = vals_alloc(rbuf, nr);
  if (!av || !rv) {
    if (av != abuf) free(av);
    if (rv != rbuf) free(rv);
    return wl_error_new(WL_ERR_RESOURCE, "out of memory calling a host function");
  }
  for (size_t i = 0; i < np; i++) wlc_val_from_wl(h->store, &args[i], &av[i]);
  for (size_t i = 0; i < nr; i++)
    rv[i] = (wasm_val_t){.kind = wlc_valkind_from_wl((uint8_t)h->sig.results[i])};
  wasm_val_vec_t a = {np, av}, r = {nr, rv};
  wasm_trap_t *trap = h->cb ? h->cb(&a, &r) : h->cb_env(h->env, &a, &r);
  wl_error *err = trap ? NULL : results_to_wl(h, rv, results);
  if (trap) {
    wasm_message_t msg;
    wasm_trap_message(trap, &msg);
    err = wl_trap_new(WL_TRAP_HOST, "%s", msg.data);
    wasm_name_delete(&msg);
    wasm_trap_delete(trap);
  }
  vals_free(abuf, av, np);
  vals_free(rbuf, rv, nr);
  return err;
}

static void host_free(void *data) {
  wlc_host *h = data;
  if (h->finalizer) h->finalizer(h->env);
  free(h->kinds);
  free(h);
}

static wasm_func_t *func_new(wasm_store_t *s, const wasm_functype_t *type, wlc_host proto) {
  wlc_host *h = malloc(sizeof *h);
  if (!h) return NULL;
  *h = proto;
  h->store = s;
  if (!wlc_functype_to_wl(type, &h->kinds, &h->sig)) {
    free(h);
    return NULL;
  }
  wl_func *f = wl_func_new_host(s->s, h->sig, trampoline, h, host_free, 0);
  if (!f) {
    host_free(h);
    return NULL;
  }
  return (wasm_func_t *)wlc_extern_handle(s, (wl_extern){.kind = WL_EXTERN_FUNC, .of.func = f},
                                          NULL);
}

wasm_func_t *wasm_func_new(wasm_store_t *s, const wasm_functype_t *type,
                           wasm_func_callback_t cb) {
  return func_new(s, type, (wlc_host){.cb = cb});
}

wasm_func_t *wasm_func_new_with_env(wasm_store_t *s, const wasm_functype_t *type,
                                    wasm_func_callback_with_env_t cb, void *env,
                                    void (*finalizer)(void *)) {
  return func_new(s, type, (wlc_host){.cb_env = cb, .env = env, .finalizer = finalizer});
}

static wl_func *wl_func_of(const wasm_func_t *f) { return ((const wasm_ref_t *)f)->of.func; }

wasm_functype_t *wasm_func_type(const wasm_func_t *f) {
  wl_extern_type t =
      wl_extern_type_of((wl_extern){.kind = WL_EXTERN_FUNC, .of.func = wl_func_of(f)});
  return wlc_functype_from_wl(&t);
}

size_t wasm_func_param_arity(const wasm_func_t *f) { return wl_func_param_count(wl_func_of(f)); }
size_t wasm_func_result_arity(const wasm_func_t *f) { return wl_func_result_count(wl_func_of(f)); }

/* ---------------------------------------------------------------- calls */

static wasm_trap_t *args_to_wl(wasm_store_t *s, const wl_func *f, const wasm_val_vec_t *args,
                               wl_val *out) {
  if (args->size != wl_func_param_count(f))
    return wlc_trap_from_message("wrong number of arguments");
  for (size_t i = 0; i < args->size; i++)
    if (!wlc_val_to_wl(s, &args->data[i], (uint8_t)wl_func_param(f, i), &out[i]))
      return wlc_trap_from_message("argument of the wrong type");
  return NULL;
}

/* Arrays of wl_val: on the stack when small. */
typedef struct {
  wl_val inline_buf[WLC_INLINE_VALS];
  wl_val *v;
} wlc_wl_vals;

static bool wl_vals_init(wlc_wl_vals *a, size_t n) {
  a->v = n <= WLC_INLINE_VALS ? a->inline_buf : calloc(n, sizeof(wl_val));
  return a->v != NULL;
}

static void wl_vals_free(wlc_wl_vals *a) {
  if (a->v != a->inline_buf) free(a->v);
}

wasm_trap_t *wasm_func_call(const wasm_func_t *func, const wasm_val_vec_t *args,
                            wasm_val_vec_t *results) {
  wasm_store_t *s = ((const wasm_ref_t *)func)->store;
  wl_func *f = wl_func_of(func);
  size_t np = wl_func_param_count(f), nr = wl_func_result_count(f);
  wlc_wl_vals a, r;
  if (!wl_vals_init(&a, np)) return wlc_trap_from_message("out of memory");
  if (!wl_vals_init(&r, nr)) {
    wl_vals_free(&a);
    return wlc_trap_from_message("out of memory");
  }
  wasm_trap_t *trap = args_to_wl(s, f, args, a.v);
  wl_error *e = trap ? NULL : wl_func_call(s->s, f, a.v, np, r.v, nr);
  if (e) trap = wlc_trap_from_error(e);
  /* Checked only now: a call that traps may pass no result room (the upstream trap example
   * does), since it never writes any. */
  if (!trap && results->size < nr) trap = wlc_trap_from_message("too few result slots");
  for (size_t i = 0; !trap && i < nr; i++) wlc_val_from_wl(s, &r.v[i], &results->data[i]);
  wl_vals_free(&a);
  wl_vals_free(&r);
  return trap;
}
