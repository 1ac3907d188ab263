/* Command-line values (`wasmlab run --invoke`) in the syntax of the text format's constants:
 * integers with an optional sign, `0x` hex and `_` between digits (an unsigned literal may use
 * the whole unsigned range, a signed one the signed range, as in `i32.const`); floats as
 * decimal or hex floats, `inf`, `nan` and `nan:0xPAYLOAD`, each with an optional sign. A
 * float whose value rounds to infinity is rejected, as the text format rejects it. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cli/cli_util.h"

static int is_digit(char c, int hex) {
  return (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
}

/* Copies the digits at `s` (underscores only between two digits) into `out`, returning the
 * end of them, or NULL when there is no digit or an underscore is misplaced. */
static const char *digits(const char *s, int hex, char *out, size_t *n, size_t cap) {
  if (!is_digit(*s, hex)) return NULL;
  for (; is_digit(*s, hex) || *s == '_'; s++) {
    if (*s == '_') {
      if (!is_digit(s[1], hex)) return NULL;
      continue;
    }
    if (*n + 1 >= cap) return NULL;
    out[(*n)++] = *s;
  }
  out[*n] = '\0';
  return s;
}

static int parse_int(const char *text, int bits, wl_val *out) {
  char sign = (text[0] == '+' || text[0] == '-') ? text[0] : 0;
  const char *s = text + (sign != 0);
  int hex = s[0] == '0' && s[1] == 'x';
  char buf[96];
  size_t n = 0;
  const char *end = digits(s + (hex ? 2 : 0), hex, buf, &n, sizeof buf);
  if (!end || *end) return 0;
  errno = 0;
  unsigned long long magnitude = strtoull(buf, NULL, hex ? 16 : 10);
  if (errno) return 0;
  unsigned long long unsigned_max = bits == 32 ? 0xFFFFFFFFull : ~0ull;
  unsigned long long signed_max = (1ull << (bits - 1)) - 1;
  unsigned long long limit = sign == '-' ? signed_max + 1 : sign == '+' ? signed_max : unsigned_max;
  if (magnitude > limit) return 0;
  uint64_t v = sign == '-' ? (uint64_t)0 - magnitude : magnitude;
  *out = bits == 32 ? wl_val_i32((int32_t)(uint32_t)v) : wl_val_i64((int64_t)v);
  return 1;
}

/* `nan:0xPAYLOAD` or `nan` (the canonical NaN) as bits, sign included. */
static int parse_nan(const char *s, int negative, int bits, uint64_t *out) {
  int mantissa = bits == 32 ? 23 : 52;
  uint64_t payload = 1ull << (mantissa - 1);
  if (s[3] == ':') {
    char buf[96];
    size_t n = 0;
    if (strncmp(s + 4, "0x", 2) != 0) return 0;
    const char *end = digits(s + 6, 1, buf, &n, sizeof buf);
    if (!end || *end || n > 16) return 0;
    payload = strtoull(buf, NULL, 16);
    if (payload == 0 || payload >> mantissa) return 0;
  } else if (s[3] != '\0') {
    return 0;
  }
  uint64_t exponent = bits == 32 ? 0xFFull << 23 : 0x7FFull << 52;
  uint64_t sign_bit = negative ? 1ull << (bits - 1) : 0;
  *out = sign_bit | exponent | payload;
  return 1;
}

/* Checks a decimal or hex float's shape and copies it without underscores into buf. */
static int float_shape(const char *s, char *buf, size_t cap) {
  int hex = s[0] == '0' && s[1] == 'x';
  size_t n = 0;
  if (hex) {
    memcpy(buf, "0x", 2);
    n = 2;
    s += 2;
  }
  if (!(s = digits(s, hex, buf, &n, cap))) return 0;
  if (*s == '.') {
    buf[n++] = *s++;
    if (is_digit(*s, hex) && !(s = digits(s, hex, buf, &n, cap))) return 0;
  }
  if (*s == (hex ? 'p' : 'e') || *s == (hex ? 'P' : 'E')) {
    buf[n++] = *s++;
    if (*s == '+' || *s == '-') buf[n++] = *s++;
    if (!(s = digits(s, 0, buf, &n, cap))) return 0;
  }
  buf[n] = '\0';
  return *s == '\0';
}

static int parse_float(const char *text, wl_valkind kind, wl_val *out) {
  int bits = kind == WL_F32 ? 32 : 64;
  int negative = text[0] == '-';
  const char *s = text + (text[0] == '+' || text[0] == '-');
  if (!strncmp(s, "nan", 3)) {
    uint64_t b;
    if (!parse_nan(s, negative, bits, &b)) return 0;
    /* Bits copied into the value, never through a float operation that could quiet them. */
    if (bits == 32) {
      uint32_t b32 = (uint32_t)b;
      *out = wl_val_f32(0);
      memcpy(&out->of.f32, &b32, 4);
    } else {
      *out = wl_val_f64(0);
      memcpy(&out->of.f64, &b, 8);
    }
    return 1;
  }
  char buf[160];
  buf[0] = negative ? '-' : '+';
  if (!strcmp(s, "inf")) strcpy(buf + 1, "inf");
  else if (!float_shape(s, buf + 1, sizeof buf - 1)) return 0;
  errno = 0;
  if (bits == 32) {
    float f = strtof(buf, NULL);
    if (errno == ERANGE && isinf(f)) return 0;  /* rounds to infinity: out of range */
    *out = wl_val_f32(f);
  } else {
    double d = strtod(buf, NULL);
    if (errno == ERANGE && isinf(d)) return 0;
    *out = wl_val_f64(d);
  }
  return 1;
}

static int parse_ref(const char *text, wl_valkind kind, wl_val *out) {
  if (!strcmp(text, "null")) {
    *out = wl_val_null(kind);
    return 1;
  }
  if (kind != WL_EXTERNREF) return 0;  /* a funcref cannot be named on a command line */
  char *end;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 0);
  if (errno || end == text || *end != '\0' || text[0] == '-' || v == UINTPTR_MAX) return 0;
  *out = wl_val_externref((void *)(uintptr_t)v);
  return 1;
}

/* A v128 is written as one 128-bit hex integer, "0x" and 1..32 digits: its least significant
 * byte is lane 0 of the i8x16 view (the way wl_cli_format_val prints it). */
static int parse_v128(const char *text, wl_val *out) {
  if (text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return 0;
  size_t n = strlen(text + 2);
  if (n == 0 || n > 32) return 0;
  uint8_t bytes[16] = {0};
  for (size_t k = 0; k < n; k++) {
    char c = text[2 + n - 1 - k];  /* k-th digit from the least significant end */
    if (!isxdigit((unsigned char)c)) return 0;
    int d = isdigit((unsigned char)c) ? c - '0' : (c | 0x20) - 'a' + 10;
    bytes[k / 2] |= (uint8_t)(d << (4 * (k % 2)));
  }
  *out = wl_val_v128(bytes);
  return 1;
}

int wl_cli_parse_val(const char *text, wl_valkind kind, wl_val *out) {
  switch (kind) {
    case WL_I32: return parse_int(text, 32, out);
    case WL_I64: return parse_int(text, 64, out);
    case WL_F32:
    case WL_F64: return parse_float(text, kind, out);
    case WL_FUNCREF:
    case WL_EXTERNREF: return parse_ref(text, kind, out);
    case WL_V128: return parse_v128(text, out);
    default: return 0;
  }
}
