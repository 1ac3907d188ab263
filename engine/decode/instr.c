/* The instruction reader (see instr.h).
 *
 * Choices the validator relies on:
 *  - `select t` (0x1C): every type of the vector is read and checked as a value type here
 *    (a bad byte is malformed). The spec requires exactly one type, but a different length is
 *    a *validation* error ("invalid result arity"), so the reader does not reject it: when the
 *    vector holds exactly one type, imm.valtype is that type; otherwise imm.valtype is 0 (no
 *    value type encodes as 0), and the validator reports "invalid result arity".
 *  - br_table: imm.br_table.count is the number of labels *before* the default; labels points
 *    at the raw LEB bytes (count labels, then the default), all checked well formed here. Read
 *    them with wl_br_table_label().
 *  - A block type index (s33) is stored in imm.block.type_index; an index >= 2^32 is clamped
 *    to UINT32_MAX so the validator reports an unknown type.
 *  - Running out of bytes reports "unexpected end of section or function" (its prefix is the
 *    spec's shorter "unexpected end", which other contexts expect). */
#include "engine/decode/instr.h"

#include <stdbool.h>
#include <string.h>

#include "engine/decode/leb.h"
#include "engine/features.h"
#include "proposals/reference_types/rules.h"
#include "proposals/multi_value/rules.h"
#include "proposals/multi_memory/rules.h"
#include "proposals/memory64/rules.h"
#include "proposals/simd/rules.h"

#define END_MESSAGE "unexpected end of section or function"

static uint32_t offset_of(const wl_code_reader *r, const uint8_t *at) {
  return r->base_offset + (uint32_t)(at - r->start);
}

static wl_error *malformed_at(const wl_code_reader *r, const uint8_t *at, const char *what) {
  return wl_err(WL_ERR_MALFORMED, "%s (at offset 0x%x)", what, offset_of(r, at));
}

static wl_error *leb_error(const wl_code_reader *r, wl_leb_status s) {
  return malformed_at(r, r->p, s == WL_LEB_END ? END_MESSAGE : wl_leb_message(s));
}

static wl_error *read_leb(wl_code_reader *r, unsigned bits, bool is_signed, uint64_t *out) {
  wl_leb_status s = wl_leb_read(&r->p, r->end, bits, is_signed, out);
  return s == WL_LEB_OK ? NULL : leb_error(r, s);
}

static wl_error *read_u32(wl_code_reader *r, uint32_t *out) {
  uint64_t v = 0;
  wl_error *e = read_leb(r, 32, false, &v);
  *out = (uint32_t)v;
  return e;
}

static wl_error *read_byte(wl_code_reader *r, uint8_t *out) {
  if (r->p >= r->end) return malformed_at(r, r->p, END_MESSAGE);
  *out = *r->p++;
  return NULL;
}

/* memory.size/grow/fill/copy and memory.init carry a reserved memory index byte that must be
 * 0 (a single byte, not a LEB: 0x80 0x00 is malformed too). */
static wl_error *read_zero_byte(wl_code_reader *r) {
  const uint8_t *at = r->p;
  uint8_t b = 0;
  wl_error *e = read_byte(r, &b);
  if (e) return e;
  return b == 0 ? NULL : malformed_at(r, at, "zero byte expected");
}

/* A memory index: a LEB u32 with multi-memory, else the reserved zero byte. */
static wl_error *read_memory_index(wl_code_reader *r, uint32_t *out) {
  *out = 0;
  if (wl_multi_memory_index_immediates(r->features)) return read_u32(r, out);
  return read_zero_byte(r);
}

/* memarg: alignment field (with multi-memory's index flag), [memory index], offset (u64 with
 * memory64). */
static wl_error *read_memarg(wl_code_reader *r, wl_instr *in) {
  uint32_t field = 0;
  wl_error *e = read_u32(r, &field);
  if (e) return e;
  in->imm.memarg.align = field;
  in->imm.memarg.memory = 0;
  if (wl_multi_memory_memarg_has_index(field, r->features)) {
    in->imm.memarg.align = wl_multi_memory_memarg_align(field);
    if ((e = read_u32(r, &in->imm.memarg.memory))) return e;
  }
  uint64_t offset = 0;
  e = read_leb(r, wl_memory64_offset_bits(r->features), false, &offset);
  in->imm.memarg.offset = offset;
  return e;
}

static bool is_valtype(const wl_code_reader *r, uint8_t b) {
  if (wl_is_numtype(b)) return true;
  return wl_reference_types_valtype(b, r->features) || wl_simd_valtype(b, r->features);
}

static wl_error *read_valtype(wl_code_reader *r, wl_valtype *out) {
  const uint8_t *at = r->p;
  uint8_t b = 0;
  wl_error *e = read_byte(r, &b);
  if (e) return e;
  if (!is_valtype(r, b))
    return wl_note_off_feature(malformed_at(r, at, "malformed value type"), b, r->features);
  *out = b;
  return NULL;
}

static wl_error *read_reftype(wl_code_reader *r, wl_valtype *out) {
  const uint8_t *at = r->p;
  uint8_t b = 0;
  wl_error *e = read_byte(r, &b);
  if (e) return e;
  if (!wl_is_reftype(b)) return malformed_at(r, at, "malformed reference type");
  *out = b;
  return NULL;
}

/* blocktype: 0x40 (empty), a value type, or (multi-value) a non-negative s33 type index. */
static wl_error *read_blocktype(wl_code_reader *r, wl_instr *in) {
  const uint8_t *at = r->p;
  if (at >= r->end) return malformed_at(r, at, END_MESSAGE);
  uint8_t b = *at;
  if (b == 0x40) {
    r->p++;
    in->imm.block.kind = WL_BLOCK_EMPTY;
    return NULL;
  }
  if (is_valtype(r, b)) {
    r->p++;
    in->imm.block.kind = WL_BLOCK_VALTYPE;
    in->imm.block.valtype = b;
    return NULL;
  }
  /* Without multi-value a 1.0 decoder only knows value types here. A single negative byte
   * (0x40..0x7F) is a value-type-like code, never an index, in either case. */
  if (!wl_multi_value_allows_block_type_index(r->features) || (b & 0xC0) == 0x40)
    return wl_note_off_feature(malformed_at(r, at, "malformed value type"), b, r->features);
  uint64_t v = 0;
  wl_error *e = read_leb(r, 33, true, &v);
  if (e) return e;
  if ((int64_t)v < 0) return malformed_at(r, at, "malformed value type");
  in->imm.block.kind = WL_BLOCK_TYPEIDX;
  in->imm.block.type_index = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
  return NULL;
}

static wl_error *read_br_table(wl_code_reader *r, wl_instr *in) {
  uint32_t count = 0;
  wl_error *e = read_u32(r, &count);
  if (e) return e;
  in->imm.br_table.count = count;
  in->imm.br_table.labels = r->p;
  /* count labels plus the default; each is at least one byte, so the loop is bounded by
   * the input even for a huge count. */
  for (uint64_t i = 0; i <= count; i++) {
    uint32_t label = 0;
    if ((e = read_u32(r, &label))) return e;
  }
  return NULL;
}

static wl_error *read_call_indirect(wl_code_reader *r, wl_instr *in) {
  wl_error *e = read_u32(r, &in->imm.call_indirect.type_index);
  if (e) return e;
  if (wl_reference_types_table_index_immediate(r->features))
    return read_u32(r, &in->imm.call_indirect.table_index);
  in->imm.call_indirect.table_index = 0;
  return read_zero_byte(r);
}

static wl_error *read_select_t(wl_code_reader *r, wl_instr *in) {
  uint32_t count = 0;
  wl_error *e = read_u32(r, &count);
  if (e) return e;
  wl_valtype first = 0;
  for (uint64_t i = 0; i < count; i++) {
    wl_valtype t = 0;
    if ((e = read_valtype(r, &t))) return e;
    if (i == 0) first = t;
  }
  in->imm.valtype = count == 1 ? first : 0;
  return NULL;
}

static wl_error *read_raw(wl_code_reader *r, unsigned n, uint64_t *out) {
  if ((size_t)(r->end - r->p) < n) return malformed_at(r, r->p, END_MESSAGE);
  uint64_t v = 0;
  for (unsigned i = 0; i < n; i++) v |= (uint64_t)r->p[i] << (8 * i);
  r->p += n;
  *out = v;
  return NULL;
}

static wl_error *read_pair(wl_code_reader *r, wl_instr *in) {
  wl_error *e = read_u32(r, &in->imm.pair.a);
  return e ? e : read_u32(r, &in->imm.pair.b);
}

static wl_error *read_v128(wl_code_reader *r, wl_instr *in) {
  if ((size_t)(r->end - r->p) < 16) return malformed_at(r, r->p, END_MESSAGE);
  memcpy(in->imm.v128.bytes, r->p, 16);
  r->p += 16;
  return NULL;
}

static wl_error *read_scalar_immediate(wl_code_reader *r, wl_instr *in, uint8_t kind) {
  uint64_t v = 0;
  wl_error *e;
  switch (kind) {
  case WL_IMM_I32:
    if ((e = read_leb(r, 32, true, &v))) return e;
    in->imm.i32 = (int32_t)(uint32_t)v;
    return NULL;
  case WL_IMM_I64:
    if ((e = read_leb(r, 64, true, &v))) return e;
    in->imm.i64 = (int64_t)v;
    return NULL;
  case WL_IMM_F32:
    if ((e = read_raw(r, 4, &v))) return e;
    in->imm.f32_bits = (uint32_t)v;
    return NULL;
  case WL_IMM_F64:
    if ((e = read_raw(r, 8, &v))) return e;
    in->imm.f64_bits = v;
    return NULL;
  default:
    return malformed_at(r, r->p, "illegal opcode");
  }
}

static wl_error *read_immediate(wl_code_reader *r, wl_instr *in, uint8_t kind) {
  wl_error *e;
  switch (kind) {
  case WL_IMM_NONE: return NULL;
  case WL_IMM_BLOCK: return read_blocktype(r, in);
  case WL_IMM_LABEL: case WL_IMM_FUNC: case WL_IMM_LOCAL: case WL_IMM_GLOBAL:
  case WL_IMM_TABLE: case WL_IMM_DATA: case WL_IMM_ELEM:
    return read_u32(r, &in->imm.index);
  case WL_IMM_BRTABLE: return read_br_table(r, in);
  case WL_IMM_CALLIND: return read_call_indirect(r, in);
  case WL_IMM_MEMARG: return read_memarg(r, in);
  case WL_IMM_V128: case WL_IMM_SHUFFLE: return read_v128(r, in);
  case WL_IMM_LANE: return read_byte(r, &in->lane);
  case WL_IMM_MEMLANE:
    if ((e = read_memarg(r, in))) return e;
    return read_byte(r, &in->lane);
  case WL_IMM_MEMIDX: return read_memory_index(r, &in->imm.index);
  case WL_IMM_SELECTT: return read_select_t(r, in);
  case WL_IMM_REFTYPE: return read_reftype(r, &in->imm.valtype);
  case WL_IMM_MEMINIT:
    if ((e = read_u32(r, &in->imm.pair.a))) return e;
    return read_memory_index(r, &in->imm.pair.b);
  case WL_IMM_MEMCOPY:
    if ((e = read_memory_index(r, &in->imm.pair.a))) return e;
    return read_memory_index(r, &in->imm.pair.b);
  case WL_IMM_TABLEINIT: case WL_IMM_TABLECOPY: return read_pair(r, in);
  default: return read_scalar_immediate(r, in, kind);
  }
}

/* Whether any enabled proposal defines 0xFC-prefixed instructions; without one, a Wasm 1.0
 * decoder sees 0xFC as an unknown opcode byte and never reads the sub-opcode. */
static bool misc_prefix_enabled(uint32_t features) {
  return wl_has_feature(features, SAT_FLOAT_TO_INT_INDEX) ||
         wl_has_feature(features, BULK_MEMORY_INDEX) ||
         wl_has_feature(features, REFERENCE_TYPES_INDEX);
}

/* "illegal opcode" as a Wasm 1.0 engine says it, plus what the opcode would be and the
 * feature it needs, from the shared opcode table and feature names: right for every feature. */
static const char *prefix_text(uint8_t prefix) {
  return prefix == 0xFC ? "0xfc " : prefix == 0xFD ? "0xfd " : "";
}

static wl_error *disabled_opcode(wl_code_reader *r, const uint8_t *at, int found) {
  const wl_opinfo *info = &wl_opinfo_table[found];
  const char *feature = wl_feature_name_of(info->feature);
  return wl_err(WL_ERR_MALFORMED,
                "illegal opcode %s0x%x (at offset 0x%x): %s needs %s, which is off "
                "(--enable-%s)", prefix_text(info->prefix), info->code, offset_of(r, at),
                info->name, feature, feature);
}

/* A prefixed (0xFC, 0xFD) opcode while no proposal defining them is on: the sub-opcode is read
 * only to name the instruction in the message. */
static wl_error *disabled_prefix(wl_code_reader *r, const uint8_t *at, uint8_t prefix) {
  uint32_t code;
  wl_error *e = read_u32(r, &code);
  int found = e ? -1 : wl_opcode_lookup(prefix, code);
  wl_error_delete(e);
  if (found >= 0) return disabled_opcode(r, at, found);
  return malformed_at(r, at, prefix == 0xFC ? "illegal opcode 0xfc" : "illegal opcode 0xfd");
}

static wl_error *read_opcode(wl_code_reader *r, int *op) {
  const uint8_t *at = r->p;
  uint8_t b = 0;
  wl_error *e = read_byte(r, &b);
  if (e) return e;
  uint32_t code = b;
  uint8_t prefix = 0;
  if (b == 0xFC || b == 0xFD) {
    bool on = b == 0xFC ? misc_prefix_enabled(r->features) : wl_simd_prefix_enabled(r->features);
    if (!on) return disabled_prefix(r, at, b);
    prefix = b;
    if ((e = read_u32(r, &code))) return e;
  }
  int found = wl_opcode_lookup(prefix, code);
  if (found < 0)
    return wl_err(WL_ERR_MALFORMED, "illegal opcode %s0x%x (at offset 0x%x)",
                  prefix_text(prefix), code, offset_of(r, at));
  if (!wl_has_feature(r->features, wl_opinfo_table[found].feature))
    return disabled_opcode(r, at, found);
  *op = found;
  return NULL;
}

wl_error *wl_read_instr(wl_code_reader *r, wl_instr *out) {
  memset(out, 0, sizeof *out);
  out->offset = (uint32_t)(r->p - r->start);
  int op = 0;
  wl_error *e = read_opcode(r, &op);
  if (e) return e;
  out->op = (uint16_t)op;
  return read_immediate(r, out, wl_opinfo_table[op].imm);
}

uint32_t wl_br_table_label(const uint8_t **p) {
  uint32_t v = 0;
  /* Only called on labels wl_read_instr already checked, so at most 5 bytes are read. */
  wl_leb_u32(p, *p + 5, &v);
  return v;
}
