/* Host functions: created through the API, called by wasm (or the API) through the same
 * uniform entry as every other function. The entry converts slots to wl_val and back. */
#include <stdlib.h>
#include <string.h>

#include "engine/runtime/internal.h"

#define WL_HOST_INLINE_VALS 16

static bool host_entry(wl_exec *ex, wl_func *f, wl_slot *io);

static bool valid_kinds(const wl_valkind *k, size_t n) {
  if (n && !k) return false;
  for (size_t i = 0; i < n; i++)
    if (!wl_is_numtype((wl_valtype)k[i]) && !wl_is_vectype((wl_valtype)k[i]) &&
        !wl_is_reftype((wl_valtype)k[i]))
      return false;
  return true;
}

static bool copy_signature(wl_functype *t, wl_signature sig) {
  size_t n = sig.nparams + sig.nresults;
  uint8_t *buf = malloc(n ? n : 1);
  if (!buf) return false;
  for (size_t i = 0; i < sig.nparams; i++) buf[i] = (uint8_t)sig.params[i];
  for (size_t i = 0; i < sig.nresults; i++) buf[sig.nparams + i] = (uint8_t)sig.results[i];
  t->nparams = (uint32_t)sig.nparams;
  t->nresults = (uint32_t)sig.nresults;
  t->params = buf;
  t->results = buf + sig.nparams;
  return true;
}

/* NULL for an invalid signature (a bad kind, a NULL array with a nonzero count) or when out
 * of memory. */
wl_func *wl_func_new_host(wl_store *s, wl_signature sig, wl_host_callback cb, void *user_data,
                          void (*finalizer)(void *), uint64_t cost) {
  if (!s || !cb || sig.nparams > UINT16_MAX || sig.nresults > UINT16_MAX) return NULL;
  if (!valid_kinds(sig.params, sig.nparams) || !valid_kinds(sig.results, sig.nresults))
    return NULL;
  wl_func *f = calloc(1, sizeof *f);
  if (!f) return NULL;
  if (!copy_signature(&f->host_type, sig)) goto fail;
  f->type = &f->host_type;
  f->type_id = wl_engine_type_id(s->engine, f->type);
  if (f->type_id == WL_TYPE_ID_NONE) goto fail;
  f->entry = host_entry;
  f->store = s;
  f->host_cb = cb;
  f->host_data = user_data;
  f->host_cost = cost;
  if (!wl_ptr_list_push(&s->funcs, f)) goto fail;
  f->host_finalizer = finalizer;  /* only now: a failed creation does not finalize */
  return f;
fail:
  free(f->host_type.params);
  free(f);
  return NULL;
}

void wl_host_func_destroy(wl_func *f) {
  if (f->host_finalizer) f->host_finalizer(f->host_data);
  free(f->host_type.params);
  free(f);
}

static bool charge(wl_exec *ex, uint64_t cost) {
  if (!ex->metered) return true;
  if (ex->fuel_left < cost) {
    ex->fuel_left = 0;
    return wl_trap(ex, WL_TRAP_OUT_OF_FUEL);
  }
  ex->fuel_left -= cost;
  return true;
}

/* Results are converted by their declared type, whatever the callback did to `kind`. */
static void store_results(const wl_functype *t, wl_val *results, wl_slot *io) {
  for (uint32_t i = 0; i < t->nresults; i++) {
    results[i].kind = t->results[i];
    io += wl_val_to_slots(&results[i], io);
  }
}

static bool host_entry(wl_exec *ex, wl_func *f, wl_slot *io) {
  if (!charge(ex, f->host_cost)) return false;
  const wl_functype *t = f->type;
  size_t n = (size_t)t->nparams + t->nresults;
  wl_val inline_vals[WL_HOST_INLINE_VALS];
  wl_val *vals = n <= WL_HOST_INLINE_VALS ? inline_vals : malloc(n * sizeof *vals);
  if (!vals) return wl_trap_error(ex, wl_err(WL_ERR_RESOURCE, "out of memory"));
  wl_val *args = vals, *results = vals + t->nparams;
  const wl_slot *at = io, zero[2] = {0, 0};
  for (uint32_t i = 0; i < t->nparams; i++) at += wl_slots_to_val(t->params[i], at, &args[i]);
  for (uint32_t i = 0; i < t->nresults; i++) wl_slots_to_val(t->results[i], zero, &results[i]);
  wl_caller caller = {ex->store->current, ex->store};
  wl_error *e = f->host_cb(f->host_data, &caller, args, results);
  if (!e) store_results(t, results, io);
  if (vals != inline_vals) free(vals);
  return e ? wl_trap_error(ex, e) : true;
}

/* ---------------------------------------------------------------- caller */

wl_instance *wl_caller_instance(wl_caller *c) { return c->instance; }
wl_store *wl_caller_store(wl_caller *c) { return c->store; }

wl_memory *wl_caller_memory(wl_caller *c, uint32_t index) {
  if (!c->instance || index >= c->instance->module->desc->nmemories) return NULL;
  return c->instance->memories[index];
}
