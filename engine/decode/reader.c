/* Primitive readers of the section decoder: bytes, integers, lengths, names and types. */
#include <stdlib.h>
#include <string.h>

#include "engine/decode/decoder.h"
#include "engine/features.h"
#include "proposals/memory64/rules.h"
#include "proposals/reference_types/rules.h"
#include "proposals/simd/rules.h"

wl_error *wl_dec_error(const wl_decoder *d, const uint8_t *at, const char *what) {
  return wl_err(WL_ERR_MALFORMED, "%s (at offset 0x%x)", what, wl_dec_offset(d, at));
}

void *wl_dec_calloc(uint64_t n, size_t size) {
  if (n == 0) n = 1; /* a valid pointer even for empty vectors keeps the callers simple */
  if (n > SIZE_MAX / size) return NULL;
  return calloc((size_t)n, size);
}

wl_error *wl_dec_byte(wl_decoder *d, uint8_t *out) {
  if (d->p >= d->end) return wl_dec_error(d, d->p, WL_END_OF_SECTION);
  *out = *d->p++;
  return NULL;
}

wl_error *wl_dec_leb(wl_decoder *d, unsigned bits, bool is_signed, uint64_t *out) {
  wl_leb_status s = wl_leb_read(&d->p, d->end, bits, is_signed, out);
  if (s == WL_LEB_OK) return NULL;
  return wl_dec_error(d, d->p, s == WL_LEB_END ? WL_END_OF_SECTION : wl_leb_message(s));
}

wl_error *wl_dec_u32(wl_decoder *d, uint32_t *out) {
  uint64_t v = 0;
  wl_error *e = wl_dec_leb(d, 32, false, &v);
  *out = (uint32_t)v;
  return e;
}

wl_error *wl_dec_len(wl_decoder *d, uint32_t *out) {
  const uint8_t *at = d->p;
  wl_error *e = wl_dec_u32(d, out);
  if (e) return e;
  /* bounded by what follows the LEB, not by where it started */
  if (*out > (uint64_t)(d->end - d->p)) return wl_dec_error(d, at, "length out of bounds");
  return NULL;
}

wl_error *wl_dec_bytes(wl_decoder *d, uint32_t n, const uint8_t **out) {
  if (n > (uint64_t)(d->end - d->p)) return wl_dec_error(d, d->p, WL_END_OF_SECTION);
  *out = d->p;
  d->p += n;
  return NULL;
}

wl_error *wl_dec_name(wl_decoder *d, char **out, uint32_t *len) {
  const uint8_t *at = d->p, *bytes = NULL;
  uint32_t n = 0;
  wl_error *e = wl_dec_len(d, &n);
  if (!e) e = wl_dec_bytes(d, n, &bytes);
  if (e) return e;
  if (!wl_utf8_valid(bytes, n)) return wl_dec_error(d, at, "malformed UTF-8 encoding");
  char *copy = malloc((size_t)n + 1);
  if (!copy) return wl_err(WL_ERR_RESOURCE, "out of memory decoding a name");
  memcpy(copy, bytes, n);
  copy[n] = '\0';
  *out = copy;
  *len = n;
  return NULL;
}

/* A type byte is a one-byte s7 in the spec's grammar, so a set continuation bit is an overlong
 * integer before it is a bad type. */
static wl_error *type_byte(wl_decoder *d, uint8_t *out) {
  wl_error *e = wl_dec_byte(d, out);
  if (e) return e;
  if (*out & 0x80) return wl_dec_error(d, d->p, "integer representation too long");
  return NULL;
}

wl_error *wl_dec_valtype(wl_decoder *d, wl_valtype *out) {
  const uint8_t *at = d->p;
  uint8_t b = 0;
  wl_error *e = type_byte(d, &b);
  if (e) return e;
  bool ok = wl_is_numtype(b) || wl_reference_types_valtype(b, d->features) ||
            wl_simd_valtype(b, d->features);
  if (!ok) return wl_note_off_feature(wl_dec_error(d, at, "malformed value type"), b, d->features);
  *out = b;
  return NULL;
}

wl_error *wl_dec_reftype(wl_decoder *d, wl_valtype *out) {
  const uint8_t *at = d->p;
  uint8_t b = 0;
  wl_error *e = type_byte(d, &b);
  if (e) return e;
  /* Without reference-types the only element type is funcref. */
  bool ok = b == 0x70 || wl_reference_types_valtype(b, d->features);
  if (!ok)
    return wl_note_off_feature(wl_dec_error(d, at, "malformed reference type"), b, d->features);
  *out = b;
  return NULL;
}

/* The flag is a one-bit unsigned LEB in the spec's grammar: 2..127 are "integer too large",
 * a continuation bit is "integer representation too long". */
/* min [max] as u32 (or u64 for an i64 memory) after the flags. */
static wl_error *read_bounds(wl_decoder *d, wl_limits *out, unsigned bits) {
  out->min = out->max = 0;
  wl_error *e = wl_dec_leb(d, bits, false, &out->min);
  if (e || !out->has_max) return e;
  return wl_dec_leb(d, bits, false, &out->max);
}

wl_error *wl_dec_limits(wl_decoder *d, wl_limits *out) {
  uint64_t flag = 0;
  wl_error *e = wl_dec_leb(d, 1, false, &flag);
  if (e) return e;
  out->has_max = flag == 1;
  out->is64 = false;
  return read_bounds(d, out, 32);
}

/* With memory64 the flags are one byte and the bounds u64 LEBs whatever the index type (the
 * reference interpreter's reading: an i32 memory's bound above 2^32 is "integer too large"). */
wl_error *wl_dec_memtype(wl_decoder *d, wl_limits *out) {
  if (!wl_memory64_limits_flags(d->features)) return wl_dec_limits(d, out);
  const uint8_t *at = d->p;
  uint8_t flags = 0;
  wl_error *e = wl_dec_byte(d, &flags);
  if (e) return e;
  if (!wl_memory64_valid_flags(flags)) return wl_dec_error(d, at, "malformed limits flags");
  out->has_max = flags & 1u;
  out->is64 = wl_memory64_flags_is64(flags);
  at = d->p;
  if ((e = read_bounds(d, out, 64))) return e;
  if (!out->is64 && (out->min > UINT32_MAX || out->max > UINT32_MAX))
    return wl_dec_error(d, at, "integer too large");
  return NULL;
}

wl_error *wl_dec_tabletype(wl_decoder *d, wl_tabletype *out) {
  wl_error *e = wl_dec_reftype(d, &out->elemtype);
  return e ? e : wl_dec_limits(d, &out->limits);
}

wl_error *wl_dec_globaltype(wl_decoder *d, wl_globaltype *out) {
  wl_error *e = wl_dec_valtype(d, &out->type);
  if (e) return e;
  const uint8_t *at = d->p;
  uint8_t mut = 0;
  if ((e = wl_dec_byte(d, &mut))) return e;
  if (mut > 1) return wl_dec_error(d, at, "malformed mutability");
  out->mutable_ = mut == 1;
  return NULL;
}
