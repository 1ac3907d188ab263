#include "engine/decode/leb.h"

/* Bits of the last allowed byte that lie beyond the integer's width. */
static uint8_t unused_bits_mask(unsigned bits, unsigned byte_index, bool is_signed) {
  unsigned remaining = bits - 7 * byte_index; /* 1..7 payload bits left in this byte */
  /* For signed integers the top payload bit is the sign: it belongs to the checked group,
   * which must then be all zeros or all ones. */
  unsigned keep = is_signed ? remaining - 1 : remaining;
  return (uint8_t)((0x7Fu << keep) & 0x7Fu);
}

static bool last_byte_fits(uint8_t b, unsigned bits, unsigned byte_index, bool is_signed) {
  uint8_t mask = unused_bits_mask(bits, byte_index, is_signed);
  uint8_t got = b & mask;
  return got == 0 || (is_signed && got == mask);
}

wl_leb_status wl_leb_read(const uint8_t **p, const uint8_t *end, unsigned bits, bool is_signed,
                          uint64_t *out) {
  const uint8_t *q = *p;
  unsigned max_bytes = (bits + 6) / 7;
  uint64_t value = 0;
  for (unsigned i = 0; i < max_bytes; i++) {
    if (q >= end) { *p = q; return WL_LEB_END; }
    uint8_t b = *q;
    if (i == max_bytes - 1) {
      if (b & 0x80) { *p = q; return WL_LEB_TOO_LONG; }
      if (!last_byte_fits(b, bits, i, is_signed)) { *p = q; return WL_LEB_TOO_LARGE; }
    }
    q++;
    value |= (uint64_t)(b & 0x7F) << (7 * i);
    if (!(b & 0x80)) {
      unsigned shift = 7 * (i + 1);
      if (is_signed && shift < 64 && (b & 0x40)) value |= ~(uint64_t)0 << shift;
      *p = q;
      *out = value;
      return WL_LEB_OK;
    }
  }
  return WL_LEB_TOO_LONG; /* unreachable: the last byte returns above */
}

const char *wl_leb_message(wl_leb_status s) {
  switch (s) {
  case WL_LEB_OK: return "ok";
  case WL_LEB_END: return "unexpected end";
  case WL_LEB_TOO_LONG: return "integer representation too long";
  case WL_LEB_TOO_LARGE: return "integer too large";
  }
  return "malformed integer";
}
