/* The shared opcode table: one row per instruction, generated from all.def.
 * Decoder, validator, every backend and the disassembler index it by wl_opcode. */
#ifndef WL_OPCODES_H
#define WL_OPCODES_H
#include <stdint.h>

typedef enum {
#define OP(sym, prefix, code, name, imm, sig, feature, membytes) WL_OP_##sym,
#include "engine/opcodes/all.def"
#undef OP
  WL_OP_COUNT
} wl_opcode;

/* Immediate layouts, as named in the .def files. */
typedef enum {
  WL_IMM_NONE,
  WL_IMM_BLOCK,     /* block type: 0x40, a value type, or an s33 type index */
  WL_IMM_LABEL,     /* u32 label depth */
  WL_IMM_BRTABLE,   /* vec(u32) label depths, then u32 default */
  WL_IMM_FUNC,      /* u32 function index */
  WL_IMM_CALLIND,   /* u32 type index, u32 table index (a zero byte without reference-types) */
  WL_IMM_LOCAL,     /* u32 local index */
  WL_IMM_GLOBAL,    /* u32 global index */
  WL_IMM_TABLE,     /* u32 table index */
  WL_IMM_MEMARG,    /* u32 alignment exponent, [u32 memory index], u32 (u64) offset */
  WL_IMM_MEMIDX,    /* a memory index: one zero byte, a u32 with multi-memory */
  WL_IMM_I32,       /* s32 */
  WL_IMM_I64,       /* s64 */
  WL_IMM_F32,       /* 4 raw bytes */
  WL_IMM_F64,       /* 8 raw bytes */
  WL_IMM_SELECTT,   /* vec(valtype), length must be 1 */
  WL_IMM_REFTYPE,   /* one reference type byte */
  WL_IMM_MEMINIT,   /* u32 data index, then a memory index */
  WL_IMM_DATA,      /* u32 data index */
  WL_IMM_MEMCOPY,   /* two memory indices: destination, source */
  WL_IMM_ELEM,      /* u32 element segment index */
  WL_IMM_TABLEINIT, /* u32 element segment index, u32 table index */
  WL_IMM_TABLECOPY, /* u32 destination table, u32 source table */
  WL_IMM_V128,      /* 16 raw bytes (v128.const) */
  WL_IMM_SHUFFLE,   /* 16 lane index bytes (i8x16.shuffle) */
  WL_IMM_LANE,      /* one lane index byte */
  WL_IMM_MEMLANE,   /* memarg, then one lane index byte */
} wl_imm_kind;

#define WL_FEATURE_INDEX_MVP 0xFF /* `feature` of core instructions: always on */

typedef struct {
  const char *name;     /* text-format mnemonic */
  uint8_t prefix;       /* 0x00, 0xFC (misc) or 0xFD (SIMD) */
  uint32_t code;        /* opcode byte, or the u32 after the prefix */
  uint8_t imm;          /* wl_imm_kind */
  const char *sig;      /* "params:results" (i I f F v), or "*" when typed by hand */
  uint8_t feature;      /* bit index from proposals/features.def, or WL_FEATURE_INDEX_MVP */
  uint8_t mem_bytes;    /* natural access width of loads/stores, else 0 */
} wl_opinfo;

extern const wl_opinfo wl_opinfo_table[WL_OP_COUNT];

/* Maps an encoding to its wl_opcode; returns -1 for an encoding no instruction set defines. */
int wl_opcode_lookup(uint8_t prefix, uint32_t code);

#endif
