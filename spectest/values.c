/* Values in wast2json scripts: parsing arguments, matching results (exact bits, NaN
 * patterns, reference rules) and describing both sides of a comparison. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "engine/cli/cli_util.h"
#include "spectest/spectest.h"

const char *st_json_string(const cJSON *obj, const char *key) {
  const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsString(item) ? item->valuestring : NULL;
}


/* wast2json writes every number as an unsigned decimal string (floats as their bits). */
static bool parse_bits(const char *text, uint64_t *out) {
  if (!text || !*text || *text == '-') return false;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (errno || *end != '\0') return false;
  *out = v;
  return true;
}

static wl_val f32_from_bits(uint32_t bits) {
  float f;
  memcpy(&f, &bits, sizeof f);
  return wl_val_f32(f);
}

static wl_val f64_from_bits(uint64_t bits) {
  double d;
  memcpy(&d, &bits, sizeof d);
  return wl_val_f64(d);
}

static uint32_t f32_bits(float f) {
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  return bits;
}

static uint64_t f64_bits(double d) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  return bits;
}

static bool parse_number(wl_valkind kind, const char *text, wl_val *out) {
  uint64_t bits;
  if (!parse_bits(text, &bits)) return false;
  switch (kind) {
    case WL_I32: *out = wl_val_i32((int32_t)(uint32_t)bits); return bits <= UINT32_MAX;
    case WL_I64: *out = wl_val_i64((int64_t)bits); return true;
    case WL_F32: *out = f32_from_bits((uint32_t)bits); return bits <= UINT32_MAX;
    case WL_F64: *out = f64_from_bits(bits); return true;
    default: return false;
  }
}

static bool parse_reference(wl_valkind kind, const char *text, wl_val *out) {
  if (!strcmp(text, "null")) {
    *out = wl_val_null(kind);
    return true;
  }
  uint64_t n;
  /* The script's externref N is the host reference N: a pointer-sized token, never touched. */
  if (kind != WL_EXTERNREF || !parse_bits(text, &n) || n >= UINTPTR_MAX) return false;
  *out = wl_val_externref((void *)(uintptr_t)n);
  return true;
}

bool st_parse_value(const cJSON *json, wl_val *out, char *why, size_t why_size) {
  const char *type = st_json_string(json, "type"), *text = st_json_string(json, "value");
  wl_valkind kind;
  if (!type || !wl_cli_valkind_from_name(type, &kind)) {
    snprintf(why, why_size, "unknown value type %s", type ? type : "(none)");
    return false;
  }
  if (kind == WL_V128) {
    if (st_parse_v128(json, out)) return true;
    snprintf(why, why_size, "cannot use v128 value");
    return false;
  }
  bool ok = text && (kind == WL_FUNCREF || kind == WL_EXTERNREF ? parse_reference(kind, text, out)
                                                                 : parse_number(kind, text, out));
  if (!ok) snprintf(why, why_size, "cannot use %s value %s", type, text ? text : "(none)");
  return ok;
}

/* A canonical NaN has only the quiet bit set in its payload; an arithmetic NaN has at least
 * the quiet bit (the sign is free in both). */
static bool nan_matches(const char *pattern, uint64_t bits, uint64_t exp_quiet, uint64_t abs) {
  if (!strcmp(pattern, "nan:canonical")) return (bits & abs) == exp_quiet;
  return (bits & exp_quiet) == exp_quiet;
}

static bool float_matches(wl_valkind kind, const char *text, const wl_val *got) {
  bool f32 = kind == WL_F32;
  uint64_t bits = f32 ? f32_bits(got->of.f32) : f64_bits(got->of.f64);
  if (!strncmp(text, "nan:", 4)) {
    return f32 ? nan_matches(text, bits, 0x7FC00000u, 0x7FFFFFFFu)
               : nan_matches(text, bits, 0x7FF8000000000000u, 0x7FFFFFFFFFFFFFFFu);
  }
  uint64_t want;
  return parse_bits(text, &want) && want == bits;
}

bool st_value_matches(const cJSON *expected, const wl_val *got) {
  const char *type = st_json_string(expected, "type"), *text = st_json_string(expected, "value");
  wl_valkind kind;
  if (!type || !wl_cli_valkind_from_name(type, &kind) || got->kind != kind) return false;
  if (kind == WL_V128) return !cJSON_GetObjectItemCaseSensitive(expected, "value") ||
                              st_v128_matches(expected, got);
  if (!text) return true;  /* an "action" lists only result types */
  switch (kind) {
    case WL_I32: {
      uint64_t want;
      return parse_bits(text, &want) && want == (uint32_t)got->of.i32;
    }
    case WL_I64: {
      uint64_t want;
      return parse_bits(text, &want) && want == (uint64_t)got->of.i64;
    }
    case WL_F32:
    case WL_F64: return float_matches(kind, text, got);
    case WL_EXTERNREF: {
      if (!strcmp(text, "null")) return wl_val_is_null(got);
      uint64_t want;
      return !wl_val_is_null(got) && parse_bits(text, &want) &&
             (uintptr_t)wl_val_externref_ptr(got) == want;
    }
    case WL_FUNCREF:
      /* A script can only name the null funcref; any other expectation is "some function". */
      return !strcmp(text, "null") ? wl_val_is_null(got) : !wl_val_is_null(got);
    default: return false;
  }
}

/* ---------------------------------------------------------------- descriptions */

static size_t append(char *buf, size_t size, size_t used, const char *text) {
  if (used >= size) return used;
  int n = snprintf(buf + used, size - used, "%s%s", used ? " " : "", text);
  return n < 0 ? used : used + (size_t)n;
}

/* Like wl_cli_format_val, with the bits of a float so that NaN payloads and -0 show. */
static void describe_value(char *buf, size_t size, const wl_val *v) {
  char plain[96];
  wl_cli_format_val(plain, sizeof plain, v);
  if (v->kind == WL_F32) snprintf(buf, size, "%s (0x%08" PRIx32 ")", plain, f32_bits(v->of.f32));
  else if (v->kind == WL_F64)
    snprintf(buf, size, "%s (0x%016" PRIx64 ")", plain, f64_bits(v->of.f64));
  else if (v->kind == WL_V128) st_describe_v128(buf, size, v);
  else snprintf(buf, size, "%s", plain);
}

static void describe_expected_one(char *buf, size_t size, const cJSON *json) {
  const char *type = st_json_string(json, "type"), *text = st_json_string(json, "value");
  wl_val v;
  char why[8];
  if (!type) snprintf(buf, size, "?");
  else if (!strcmp(type, "v128")) st_describe_v128_expected(buf, size, json);
  else if (!text) snprintf(buf, size, "%s", type);
  else if (!strncmp(text, "nan:", 4)) snprintf(buf, size, "%s:%s", type, text);
  else if (!strcmp(type, "funcref") && strcmp(text, "null") != 0) snprintf(buf, size, "funcref:func");
  else if (st_parse_value(json, &v, why, sizeof why)) describe_value(buf, size, &v);
  else snprintf(buf, size, "%s:%s", type, text);
}

void st_describe_expected(char *buf, size_t size, const cJSON *list) {
  size_t used = 0;
  buf[0] = '\0';
  const cJSON *item;
  cJSON_ArrayForEach(item, list) {
    char one[160];
    describe_expected_one(one, sizeof one, item);
    used = append(buf, size, used, one);
  }
  if (!used) snprintf(buf, size, "(no values)");
}

void st_describe_values(char *buf, size_t size, const wl_val *vals, size_t n) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t k = 0; k < n; k++) {
    char one[160];
    describe_value(one, sizeof one, &vals[k]);
    used = append(buf, size, used, one);
  }
  if (!used) snprintf(buf, size, "(no values)");
}
