/* LEB128 and fixed-width readers shared by the instruction reader and the section decoder.
 * Exactly the spec's rules: an N-bit integer takes at most ceil(N/7) bytes; in the last
 * allowed byte the bits beyond N must be zero (unsigned) or copies of the sign bit (signed). */
#ifndef WL_DECODE_LEB_H
#define WL_DECODE_LEB_H
#include <stdbool.h>
#include <stdint.h>

typedef enum {
  WL_LEB_OK = 0,
  WL_LEB_END,       /* ran out of bytes: "unexpected end" */
  WL_LEB_TOO_LONG,  /* "integer representation too long" */
  WL_LEB_TOO_LARGE, /* "integer too large" */
} wl_leb_status;

/* Reads an unsigned or signed LEB128 of `bits` bits (1..64) from [*p, end). On success
 * advances *p and stores the value (sign-extended to 64 bits when `is_signed`). On failure
 * *p points at the offending byte (or at `end`). */
wl_leb_status wl_leb_read(const uint8_t **p, const uint8_t *end, unsigned bits, bool is_signed,
                          uint64_t *out);

/* The spec message for a failed status. */
const char *wl_leb_message(wl_leb_status s);

static inline wl_leb_status wl_leb_u32(const uint8_t **p, const uint8_t *end, uint32_t *out) {
  uint64_t v = 0;
  wl_leb_status s = wl_leb_read(p, end, 32, false, &v);
  *out = (uint32_t)v;
  return s;
}

#endif
