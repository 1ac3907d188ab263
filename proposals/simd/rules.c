#include "proposals/simd/rules.h"

#include <string.h>

#include "engine/features.h"

bool wl_simd_valtype(uint8_t b, uint32_t features) {
  return wl_is_vectype(b) && wl_has_feature(features, SIMD_INDEX);
}

bool wl_simd_prefix_enabled(uint32_t features) { return wl_has_feature(features, SIMD_INDEX); }

/* Lanes of the instruction's shape: a lane memory access has 16 / access-width lanes, an
 * extract/replace_lane the count its shape names ("i8x16" ... "f64x2"). */
static unsigned lane_count(const wl_opinfo *info) {
  if (info->mem_bytes) return 16u / info->mem_bytes;
  const char *x = strchr(info->name, 'x');
  return x && x[1] == '1' ? 16 : x && x[1] == '8' ? 8 : x && x[1] == '4' ? 4 : 2;
}

const char *wl_simd_check_lanes(const wl_instr *in) {
  const wl_opinfo *info = &wl_opinfo_table[in->op];
  if (info->imm == WL_IMM_SHUFFLE) {
    for (unsigned i = 0; i < 16; i++)
      if (in->imm.v128.bytes[i] >= 32) return "shuffle lane index >= 32";
    return NULL;
  }
  if (info->imm != WL_IMM_LANE && info->imm != WL_IMM_MEMLANE) return NULL;
  return in->lane < lane_count(info) ? NULL : "lane index out of range for the shape";
}
