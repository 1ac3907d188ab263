/* The instruction reader: decodes one instruction and its immediates from a function body or
 * constant expression. The decoder runs it over every body (so malformed code is reported as
 * malformed, before any validation); the validator and every backend then read the same bytes
 * with it again, knowing they are well formed. */
#ifndef WL_DECODE_INSTR_H
#define WL_DECODE_INSTR_H
#include <stdint.h>

#include "engine/module.h"
#include "engine/opcodes/opcodes.h"

typedef enum { WL_BLOCK_EMPTY, WL_BLOCK_VALTYPE, WL_BLOCK_TYPEIDX } wl_blocktype_kind;

typedef struct {
  uint16_t op;            /* wl_opcode */
  uint32_t offset;        /* offset of the opcode from the start of the code being read */
  union {
    struct { uint8_t kind; wl_valtype valtype; uint32_t type_index; } block;
    uint32_t index;       /* label, function, local, global, table, data or element index;
                             the memory of memory.size/grow/fill */
    struct { uint32_t type_index, table_index; } call_indirect;
    struct {
      uint32_t align;     /* log2 exponent (multi-memory's index flag taken out) */
      uint32_t memory;    /* memory index: 0 unless multi-memory names another */
      uint64_t offset;    /* u32, or u64 with memory64 (the validator bounds it by the memory) */
    } memarg;
    int32_t i32;
    int64_t i64;
    uint32_t f32_bits;
    uint64_t f64_bits;
    wl_valtype valtype;   /* ref.null; select t: the one type, or 0 when the vector does not
                             hold exactly one (the validator reports "invalid result arity") */
    struct { uint32_t a, b; } pair;  /* table.init: elem, table; table.copy: dst, src;
                                        memory.init: data, memory; memory.copy: dst, src */
    struct { uint32_t count; const uint8_t *labels; } br_table;  /* count labels + default */
    union { uint8_t bytes[16]; uint64_t halves[2]; } v128;  /* v128.const; shuffle lanes */
  } imm;
  uint8_t lane;           /* lane index of the SIMD lane instructions (LANE, MEMLANE) */
} wl_instr;

typedef struct {
  const uint8_t *start, *p, *end;
  uint32_t features;
  uint32_t base_offset;   /* offset of `start` in the module binary, for messages */
} wl_code_reader;

static inline void wl_code_reader_init(wl_code_reader *r, const uint8_t *code, uint32_t len,
                                       uint32_t features, uint32_t base_offset) {
  r->start = r->p = code;
  r->end = code + len;
  r->features = features;
  r->base_offset = base_offset;
}

/* Reads the next instruction. Returns NULL, or a WL_ERR_MALFORMED error in the spec's wording
 * ("unexpected end", "illegal opcode", "integer representation too long", "zero byte expected",
 * "malformed reference type", ...) with the byte offset. An instruction whose proposal is off
 * is an "illegal opcode", as for an engine without that proposal. */
wl_error *wl_read_instr(wl_code_reader *r, wl_instr *out);

/* Reads the next br_table label from *p (advancing it); only for already-read br_tables. */
uint32_t wl_br_table_label(const uint8_t **p);

#endif
