/* Calling any function from the API: argument checks, wl_val <-> slot conversion, and the
 * invoke boundary (exec.c) that turns a stop into a returned error. */
#include <stdlib.h>

#include "engine/runtime/internal.h"

#define WL_INVOKE_INLINE_SLOTS 16

size_t wl_func_param_count(const wl_func *f) { return f->type->nparams; }
size_t wl_func_result_count(const wl_func *f) { return f->type->nresults; }
/* Past the end: 0, which is no wl_valkind. */
wl_valkind wl_func_param(const wl_func *f, size_t i) {
  return i < f->type->nparams ? (wl_valkind)f->type->params[i] : (wl_valkind)0;
}

wl_valkind wl_func_result(const wl_func *f, size_t i) {
  return i < f->type->nresults ? (wl_valkind)f->type->results[i] : (wl_valkind)0;
}

static wl_error *check_call(wl_store *s, const wl_func *f, const wl_val *args, size_t nargs,
                            const wl_val *results, size_t nresults) {
  const wl_functype *t = f->type;
  if (f->store != s) return wl_err(WL_ERR_ARGUMENT, "function belongs to another store");
  if (nargs != t->nparams)
    return wl_err(WL_ERR_ARGUMENT, "expected %u arguments, got %zu", t->nparams, nargs);
  if (nargs && !args) return wl_err(WL_ERR_ARGUMENT, "%zu arguments given as NULL", nargs);
  if (nresults < t->nresults)
    return wl_err(WL_ERR_ARGUMENT, "room for %zu results, the function returns %u", nresults,
                  t->nresults);
  if (t->nresults && !results)
    return wl_err(WL_ERR_ARGUMENT, "NULL results, the function returns %u", t->nresults);
  for (size_t i = 0; i < nargs; i++)
    if (!wl_val_fits(&args[i], t->params[i], s))
      return wl_err(WL_ERR_ARGUMENT, "argument %zu: expected %s", i,
                    wl_valkind_name(t->params[i]));
  return NULL;
}

wl_error *wl_func_call(wl_store *s, wl_func *f, const wl_val *args, size_t nargs,
                       wl_val *results, size_t nresults) {
  if (!s || !f) return wl_err(WL_ERR_ARGUMENT, "no function to call");
  wl_error *e = check_call(s, f, args, nargs, results, nresults);
  if (e) return e;
  const wl_functype *t = f->type;
  size_t np = wl_types_slots(t->params, t->nparams), nr = wl_types_slots(t->results, t->nresults);
  size_t n = np > nr ? np : nr;
  wl_slot inline_io[WL_INVOKE_INLINE_SLOTS];
  wl_slot *io = n <= WL_INVOKE_INLINE_SLOTS ? inline_io : malloc(n * sizeof *io);
  if (!io) return wl_err(WL_ERR_RESOURCE, "out of memory");
  wl_slot *at = io;
  for (size_t i = 0; i < nargs; i++) at += wl_val_to_slots(&args[i], at);
  e = wl_invoke(s, NULL, f, io);
  at = io;
  if (!e)
    for (uint32_t i = 0; i < t->nresults; i++) at += wl_slots_to_val(t->results[i], at, &results[i]);
  if (io != inline_io) free(io);
  return e;
}
