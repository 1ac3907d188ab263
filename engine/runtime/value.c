/* wl_val (the API's tagged value) <-> wl_slot (the engine's untagged operand). */
#include <string.h>

#include "engine/runtime/internal.h"

/* Marks a wl_val that can never match a type, so an API call given it fails cleanly. */
#define WL_KIND_INVALID 0

wl_val wl_val_i32(int32_t v) { return (wl_val){.kind = WL_I32, .of.i32 = v}; }
wl_val wl_val_i64(int64_t v) { return (wl_val){.kind = WL_I64, .of.i64 = v}; }
wl_val wl_val_f32(float v) { return (wl_val){.kind = WL_F32, .of.f32 = v}; }
wl_val wl_val_f64(double v) { return (wl_val){.kind = WL_F64, .of.f64 = v}; }
wl_val wl_val_v128(const uint8_t bytes[16]) {
  wl_val v = {.kind = WL_V128};
  memcpy(v.of.v128, bytes, 16);
  return v;
}
wl_val wl_val_null(wl_valkind k) { return (wl_val){.kind = (uint8_t)k, .of.ref = {0}}; }

wl_val wl_val_funcref(wl_func *f) {
  return (wl_val){.kind = WL_FUNCREF, .of.ref = {(uint64_t)(uintptr_t)f}};
}

/* host + 1 keeps 0 for null, so a NULL host pointer is a real, non-null reference. UINTPTR_MAX
 * would wrap to null, so it yields an invalid value that every API call rejects. */
wl_val wl_val_externref(void *host) {
  if ((uintptr_t)host == UINTPTR_MAX) return (wl_val){.kind = WL_KIND_INVALID};
  return (wl_val){.kind = WL_EXTERNREF, .of.ref = {(uint64_t)(uintptr_t)host + 1}};
}

bool wl_val_is_null(const wl_val *v) { return v->of.ref.bits == 0; }
void *wl_val_externref_ptr(const wl_val *v) { return (void *)(uintptr_t)(v->of.ref.bits - 1); }
wl_func *wl_val_func(const wl_val *v) { return (wl_func *)(uintptr_t)v->of.ref.bits; }

wl_slot wl_val_to_slot(const wl_val *v) {
  uint32_t b32;
  uint64_t b64;
  switch (v->kind) {
  case WL_I32: return (uint32_t)v->of.i32;
  case WL_I64: return (uint64_t)v->of.i64;
  case WL_F32: memcpy(&b32, &v->of.f32, 4); return b32;
  case WL_F64: memcpy(&b64, &v->of.f64, 8); return b64;
  default: return v->of.ref.bits;
  }
}

wl_val wl_slot_to_val(wl_valtype kind, wl_slot s) {
  wl_val v = {.kind = kind};
  uint32_t b32 = (uint32_t)s;
  switch (kind) {
  case WL_I32: v.of.i32 = (int32_t)b32; break;
  case WL_I64: v.of.i64 = (int64_t)s; break;
  case WL_F32: memcpy(&v.of.f32, &b32, 4); break;
  case WL_F64: memcpy(&v.of.f64, &s, 8); break;
  default: v.of.ref.bits = s; break;
  }
  return v;
}

bool wl_val_fits(const wl_val *v, wl_valtype t, const wl_store *s) {
  if (v->kind != t) return false;
  if (t != WL_FUNCREF || v->of.ref.bits == 0) return true;
  return wl_val_func(v)->store == s;  /* a function from another store cannot be called here */
}

const char *wl_valkind_name(wl_valtype t) {
  switch (t) {
  case WL_I32: return "i32";
  case WL_I64: return "i64";
  case WL_F32: return "f32";
  case WL_F64: return "f64";
  case WL_V128: return "v128";
  case WL_FUNCREF: return "funcref";
  case WL_EXTERNREF: return "externref";
  default: return "unknown type";
  }
}

uint32_t wl_val_to_slots(const wl_val *v, wl_slot *out) {
  if (v->kind != WL_V128) {
    out[0] = wl_val_to_slot(v);
    return 1;
  }
  memcpy(out, v->of.v128, 16);
  return 2;
}

uint32_t wl_slots_to_val(wl_valtype kind, const wl_slot *in, wl_val *out) {
  if (kind != WL_V128) {
    *out = wl_slot_to_val(kind, in[0]);
    return 1;
  }
  *out = (wl_val){.kind = WL_V128};
  memcpy(out->of.v128, in, 16);
  return 2;
}
