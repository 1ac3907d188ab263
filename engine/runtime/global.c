/* Globals: one typed value (one slot, two for a v128), mutable or not. */
#include <string.h>
#include <stdlib.h>

#include "engine/runtime/internal.h"

wl_error *wl_global_create(wl_store *s, wl_globaltype type, const wl_slot *value, wl_instance *owner,
                           wl_global **out) {
  *out = NULL;
  wl_global_box *box = calloc(1, sizeof *box);
  if (!box) return wl_err(WL_ERR_RESOURCE, "out of memory");
  box->owner = owner;
  box->global.type = type.type;
  box->global.mutable_ = type.mutable_;
  memcpy(box->global.v128, value, wl_valtype_slots(type.type) * sizeof(wl_slot));
  box->global.store = s;
  *out = &box->global;
  return NULL;
}

void wl_global_destroy(wl_global *g) { free((wl_global_box *)g); }

/* ---------------------------------------------------------------- public API */

static bool is_valkind(wl_valkind k) {
  return wl_is_numtype((wl_valtype)k) || wl_is_vectype((wl_valtype)k) ||
         wl_is_reftype((wl_valtype)k);
}

wl_error *wl_global_new(wl_store *s, wl_valkind kind, bool mutable_, wl_val init,
                        wl_global **out) {
  *out = NULL;
  if (!is_valkind(kind)) return wl_err(WL_ERR_ARGUMENT, "unsupported global type 0x%02x", kind);
  if (!wl_val_fits(&init, (wl_valtype)kind, s))
    return wl_err(WL_ERR_ARGUMENT, "global initial value is not a %s",
                  wl_valkind_name((wl_valtype)kind));
  wl_globaltype type = {(wl_valtype)kind, mutable_};
  wl_global *g;
  wl_slot bits[2];
  wl_val_to_slots(&init, bits);
  wl_error *e = wl_global_create(s, type, bits, NULL, &g);
  if (e) return e;
  if (!wl_ptr_list_push(&s->globals, g)) {
    wl_global_destroy(g);
    return wl_err(WL_ERR_RESOURCE, "out of memory");
  }
  *out = g;
  return NULL;
}

wl_val wl_global_get(const wl_global *g) {
  wl_val v;
  wl_slots_to_val(g->type, g->v128, &v);
  return v;
}

wl_error *wl_global_set(wl_global *g, wl_val v) {
  if (!g->mutable_) return wl_err(WL_ERR_ARGUMENT, "global is immutable");
  if (!wl_val_fits(&v, g->type, g->store))
    return wl_err(WL_ERR_ARGUMENT, "value is not a %s", wl_valkind_name(g->type));
  wl_val_to_slots(&v, g->v128);
  return NULL;
}
