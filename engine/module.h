/* The decoded module: what the decoder produces, the validator annotates and backends compile.
 * Everything points into (or is allocated beside) the module's own copy of the bytes, and is
 * freed by wl_moddesc_free(). Backends only read it. */
#ifndef WL_MODULE_H
#define WL_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/util/error.h"

/* Value types use their binary encoding (0x7F i32 ... 0x6F externref); see wl_valkind. */
typedef uint8_t wl_valtype;

static inline bool wl_is_reftype(wl_valtype t) { return t == 0x70 || t == 0x6F; }
static inline bool wl_is_numtype(wl_valtype t) { return t >= 0x7C && t <= 0x7F; }
static inline bool wl_is_vectype(wl_valtype t) { return t == 0x7B; }

/* Wherever values are laid out in 64-bit slots (interpreter frames, io arrays, globals), a
 * v128 takes two consecutive slots, its low 8 bytes first; every other type takes one. */
static inline uint32_t wl_valtype_slots(wl_valtype t) { return t == 0x7B ? 2 : 1; }
static inline uint32_t wl_types_slots(const wl_valtype *t, uint32_t n) {
  uint32_t slots = 0;
  for (uint32_t i = 0; i < n; i++) slots += wl_valtype_slots(t[i]);
  return slots;
}

typedef struct {
  uint32_t nparams, nresults;
  wl_valtype *params;   /* nparams entries */
  wl_valtype *results;  /* nresults entries */
} wl_functype;

/* "i32", "funcref", ... (engine/validate/stack.c). */
const char *wl_valtype_name(wl_valtype t);

typedef struct {
  uint64_t min, max;   /* u32 except for memory64 memories */
  bool has_max;
  bool is64;           /* memory64: an i64-indexed memory */
} wl_limits;

typedef struct {
  wl_valtype elemtype;  /* 0x70 funcref or 0x6F externref */
  wl_limits limits;
} wl_tabletype;

typedef struct {
  wl_valtype type;
  bool mutable_;
} wl_globaltype;

/* A constant expression: its instruction bytes up to and including the final `end`.
 * `offset` is its position in the module binary (for diagnostics). */
typedef struct {
  const uint8_t *code;
  uint32_t len;
  uint32_t offset;
} wl_constexpr;

typedef enum { WL_KIND_FUNC = 0, WL_KIND_TABLE = 1, WL_KIND_MEMORY = 2, WL_KIND_GLOBAL = 3 } wl_kind;

typedef struct {
  char *module, *name;       /* NUL-terminated copies; UTF-8 already checked */
  uint32_t module_len, name_len;
  uint8_t kind;              /* wl_kind */
  union {
    uint32_t type_index;     /* WL_KIND_FUNC */
    wl_tabletype table;
    wl_limits memory;
    wl_globaltype global;
  } desc;
} wl_import;

typedef struct {
  char *name;
  uint32_t name_len;
  uint8_t kind;              /* wl_kind */
  uint32_t index;
} wl_export;

/* One block/loop/if, recorded by the validator in the order the opening instructions appear,
 * so a one-pass consumer pairs them with a running counter. Offsets are relative to the start
 * of the function's instruction bytes (wl_funcdef.code). */
typedef struct {
  uint32_t start;      /* offset of the block/loop/if opcode */
  uint32_t else_pos;   /* offset of the `else` opcode, or 0 when the `if` has none */
  uint32_t end;        /* offset of the matching `end` opcode */
  uint32_t nparams;    /* block type arity */
  uint32_t nresults;
  uint32_t height;     /* operand stack height (in values) below the block's params on entry */
} wl_block_info;

/* Facts every backend needs, recorded once by the validator. */
typedef struct {
  uint32_t max_height;    /* max operand stack height in values (params/locals not included) */
  uint32_t nblocks;
  wl_block_info *blocks;
  bool uses_memory;       /* any load/store/memory.* instruction */
  bool has_calls;         /* any call/call_indirect (or tail call) */
  bool has_tail_calls;    /* any return_call/return_call_indirect */
  bool uses_v128;         /* a v128 is pushed on the operand stack somewhere */
  /* Offsets (as wl_block_info's) of the untyped `drop`s and `select`s whose operands are
   * v128, ascending: backends that lay values out in slots need the width there. */
  uint32_t nwide_ops;
  uint32_t *wide_ops;
} wl_func_facts;

typedef struct {
  uint32_t type_index;
  uint32_t nlocals;          /* declared locals, not counting params */
  wl_valtype *local_types;   /* nlocals entries (expanded from the run-length groups) */
  const uint8_t *code;       /* the instruction bytes, from after the locals to the final end */
  uint32_t code_len;
  uint32_t code_offset;      /* offset of `code` in the module binary */
  wl_func_facts facts;       /* filled by the validator */
} wl_funcdef;

/* One-pass translators skip the dead code after an unconditional transfer (br, return,
 * unreachable): they continue at the innermost block's `else` while it is still ahead
 * (`else_ahead`: an `if` whose else arm has not started), else at its `end` (`info` NULL: the
 * function body, whose final end). Returns that offset and advances *next_block past the
 * blocks opened inside the skipped range. */
static inline uint32_t wl_skip_dead_code(const wl_funcdef *def, const wl_block_info *info,
                                         bool else_ahead, uint32_t *next_block) {
  uint32_t target;
  if (!info)
    target = def->code_len - 1;
  else if (else_ahead && info->else_pos)
    target = info->else_pos;
  else
    target = info->end;
  while (*next_block < def->facts.nblocks && def->facts.blocks[*next_block].start < target)
    (*next_block)++;
  return target;
}

typedef struct {
  wl_globaltype type;
  wl_constexpr init;
} wl_globaldef;

typedef enum { WL_SEG_ACTIVE, WL_SEG_PASSIVE, WL_SEG_DECLARATIVE } wl_segmode;

typedef struct {
  uint8_t mode;              /* wl_segmode */
  uint32_t table_index;      /* active only */
  wl_constexpr offset;       /* active only */
  wl_valtype elemtype;
  uint32_t count;
  /* Exactly one of these holds the items: function indices (the funcidx forms) or one
   * constant expression per item (the expression forms). */
  uint32_t *func_indices;
  wl_constexpr *exprs;
} wl_elemseg;

typedef struct {
  uint8_t mode;              /* WL_SEG_ACTIVE or WL_SEG_PASSIVE */
  uint32_t memory_index;
  wl_constexpr offset;
  const uint8_t *bytes;
  uint32_t len;
} wl_dataseg;

typedef struct {
  char *name;
  const uint8_t *bytes;
  uint32_t len;
  uint8_t after_section;     /* id of the last non-custom section before it (0 = none) */
} wl_custom;

typedef struct wl_moddesc {
  uint8_t *bytes;            /* owned copy of the binary */
  size_t len;

  wl_functype *types;
  uint32_t ntypes;

  wl_import *imports;
  uint32_t nimports;

  /* Index spaces, imports first. */
  uint32_t nfuncs, nfunc_imports;
  uint32_t *func_type;       /* type index of every function (nfuncs entries) */
  wl_funcdef *funcs;         /* defined functions: funcs[i] is function nfunc_imports + i */

  uint32_t ntables, ntable_imports;
  wl_tabletype *tables;      /* every table */

  uint32_t nmemories, nmemory_imports;
  wl_limits *memories;       /* every memory, in pages */

  uint32_t nglobals, nglobal_imports;
  wl_globaltype *global_types; /* every global */
  wl_globaldef *globals;       /* defined globals: globals[i] is global nglobal_imports + i */

  wl_export *exports;
  uint32_t nexports;

  bool has_start;
  uint32_t start;

  wl_elemseg *elems;
  uint32_t nelems;

  wl_dataseg *datas;
  uint32_t ndatas;
  bool has_datacount;
  uint32_t datacount;

  wl_custom *customs;
  uint32_t ncustoms;

  /* From the "name" custom section when present and well formed; else NULL entries. */
  char *module_name;
  char **func_names;         /* nfuncs entries or NULL */

  /* Filled by the validator: functions that may be named by ref.func in code (C.refs). */
  uint8_t *declared_funcs;   /* nfuncs flags */
} wl_moddesc;

/* Decodes `len` bytes (copied) under the feature set. On failure returns a WL_ERR_MALFORMED
 * error (or WL_ERR_INVALID for the few checks the spec files under validation but that only the
 * decoder can see, e.g. a malformed data count relation is MALFORMED per the spec). */
wl_error *wl_decode(const uint8_t *bytes, size_t len, uint32_t features, wl_moddesc **out);

/* Validates and fills wl_func_facts and declared_funcs. WL_ERR_INVALID on failure. */
wl_error *wl_validate(wl_moddesc *m, uint32_t features);

void wl_moddesc_free(wl_moddesc *m);

/* The function's name for diagnostics: the name section's, else "func[N]". Writes into buf. */
const char *wl_moddesc_func_name(const wl_moddesc *m, uint32_t func_index, char *buf, size_t size);

static inline const wl_functype *wl_moddesc_func_type(const wl_moddesc *m, uint32_t func_index) {
  return &m->types[m->func_type[func_index]];
}

#endif
