/* Values: wasm_val_t <-> wl_val. Numbers map one to one. References: an externref carries a
 * foreign object (its address is the payload), a funcref a wl_func; either way the wasm.h
 * side holds an owned handle. Every funcref that crosses marks the store (see capi.h). */
#include "engine/wasm-c-api/capi.h"

wasm_valkind_t wlc_valkind_from_wl(uint8_t k) {
  switch (k) {
  case WL_I32: return WASM_I32;
  case WL_I64: return WASM_I64;
  case WL_F32: return WASM_F32;
  case WL_F64: return WASM_F64;
  case WL_EXTERNREF: return WASM_EXTERNREF;
  case WL_FUNCREF: return WASM_FUNCREF;
  default: return 0xFF;  /* v128: wasm.h has no kind for it */
  }
}

uint8_t wlc_valkind_to_wl(wasm_valkind_t k) {
  switch (k) {
  case WASM_I32: return WL_I32;
  case WASM_I64: return WL_I64;
  case WASM_F32: return WL_F32;
  case WASM_F64: return WL_F64;
  case WASM_EXTERNREF: return WL_EXTERNREF;
  case WASM_FUNCREF: return WL_FUNCREF;
  default: return 0;
  }
}

void wasm_val_delete(wasm_val_t *v) {
  if (wasm_valkind_is_ref(v->kind) && v->of.ref) wasm_ref_delete(v->of.ref);
  if (wasm_valkind_is_ref(v->kind)) v->of.ref = NULL;
}

void wasm_val_copy(wasm_val_t *out, const wasm_val_t *v) {
  *out = *v;
  if (wasm_valkind_is_ref(v->kind) && v->of.ref) out->of.ref = wasm_ref_copy(v->of.ref);
}

static wasm_ref_t *ref_from_wl(wasm_store_t *s, const wl_val *in) {
  if (wl_val_is_null(in)) return NULL;
  if (in->kind == WL_FUNCREF) {
    s->funcrefs_escaped = true;
    return wlc_extern_handle(s, (wl_extern){.kind = WL_EXTERN_FUNC, .of.func = wl_val_func(in)},
                             NULL);
  }
  wasm_ref_t *r = wlc_handle_new(WLC_FOREIGN, s);
  if (r) r->of.foreign = wl_val_externref_ptr(in);
  return r;
}

void wlc_val_from_wl(wasm_store_t *s, const wl_val *in, wasm_val_t *out) {
  out->kind = wlc_valkind_from_wl(in->kind);
  switch (in->kind) {
  case WL_I32: out->of.i32 = in->of.i32; break;
  case WL_I64: out->of.i64 = in->of.i64; break;
  case WL_F32: out->of.f32 = in->of.f32; break;
  case WL_F64: out->of.f64 = in->of.f64; break;
  case WL_EXTERNREF: case WL_FUNCREF: out->of.ref = ref_from_wl(s, in); break;
  default: out->of.i64 = 0; break;
  }
}

bool wlc_ref_to_wl(wasm_store_t *s, const wasm_ref_t *r, uint8_t wl_kind, wl_val *out) {
  if (!r) {
    *out = wl_val_null((wl_valkind)wl_kind);
    return true;
  }
  if (wl_kind == WL_FUNCREF && r->kind == WLC_FUNC) {
    s->funcrefs_escaped = true;
    *out = wl_val_funcref(r->of.func);
    return true;
  }
  if (wl_kind == WL_EXTERNREF && r->kind == WLC_FOREIGN) {
    *out = wl_val_externref(r->of.foreign);
    return true;
  }
  return false;
}

bool wlc_val_to_wl(wasm_store_t *s, const wasm_val_t *in, uint8_t wl_kind, wl_val *out) {
  /* WASM_INIT_VAL is an externref null: accept a null of either reference kind. */
  if (wasm_valkind_is_ref(in->kind) && (wl_kind == WL_FUNCREF || wl_kind == WL_EXTERNREF))
    return wlc_ref_to_wl(s, in->of.ref, wl_kind, out);
  if (wlc_valkind_to_wl(in->kind) != wl_kind) return false;
  switch (in->kind) {
  case WASM_I32: *out = wl_val_i32(in->of.i32); return true;
  case WASM_I64: *out = wl_val_i64(in->of.i64); return true;
  case WASM_F32: *out = wl_val_f32(in->of.f32); return true;
  default: *out = wl_val_f64(in->of.f64); return true;
  }
}
