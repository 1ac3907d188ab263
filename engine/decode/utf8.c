/* UTF-8 validation for names (imports, exports, custom section names). */
#include "engine/decode/decoder.h"

/* Length of the sequence a lead byte starts (0 = not a lead byte), and the smallest code point
 * that needs that many bytes (to reject overlong forms). */
static unsigned sequence_length(uint8_t lead, uint32_t *min, uint32_t *cp) {
  if (lead < 0x80) { *cp = lead; *min = 0; return 1; }
  if ((lead & 0xE0) == 0xC0) { *cp = lead & 0x1F; *min = 0x80; return 2; }
  if ((lead & 0xF0) == 0xE0) { *cp = lead & 0x0F; *min = 0x800; return 3; }
  if ((lead & 0xF8) == 0xF0) { *cp = lead & 0x07; *min = 0x10000; return 4; }
  return 0;
}

bool wl_utf8_valid(const uint8_t *s, uint32_t len) {
  uint32_t i = 0;
  while (i < len) {
    uint32_t min, cp;
    unsigned n = sequence_length(s[i], &min, &cp);
    if (n == 0 || n > len - i) return false;
    for (unsigned k = 1; k < n; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}
