/* The baseline JIT's internal interface: one forward pass over each validated function,
 * emitting x86-64 through the assembler in asm/. Only backends/jit/ includes this.
 *
 * Machine state while JIT code runs (callee-saved, so C helpers preserve them):
 *   r12 = wl_exec *ex, r13 = wl_instance *inst, r14 = memory 0 base, r15 = the frame.
 * The frame is an array of cells on the exec's value stack (ex->sp when entered): locals
 * (params first) in cells [0, nlocals), then the operand stack from cell nlocals, so the
 * value at height h lives at [r15 + cell * (nlocals + h)] (cell: 8 bytes, or 16 in a module
 * that uses v128, JIT_V128_CELL). A direct call moves r15 to the
 * callee's params (the top of the caller's operand stack) and back; results come back in the
 * callee's slots 0.. . Scratch: rax rcx rdx, xmm0-1. Inside a body rsp is 16-byte aligned,
 * so C helpers are called directly. Values in slots follow the engine's convention (i32/f32
 * zero-extended), so any slot range is a valid `io` array for wl_call.
 *
 * Register cache (jit_regs.c, jit_locals.c; README.md has the design): each operand stack
 * value is in its slot, a constant, a lazy read of a local, a register, or a comparison's
 * flags; the most used locals live in registers for the whole function. Instructions that
 * know the cache (jit_tos_aware) work on it; before any other instruction (control flow,
 * calls, helpers) the driver flushes it, so merges, calls and helpers always see every operand
 * in its slot, and saves pinned locals around anything that may call C. */
#ifndef WL_JIT_H
#define WL_JIT_H

#include "backends/backend.h"
#include "backends/jit/asm/x64.h"
#include "engine/decode/instr.h"
#include "engine/runtime/native/native.h"

#define JIT_EX X64_R12
#define JIT_INST X64_R13
#define JIT_MEM X64_R14
#define JIT_FP X64_R15

extern const wl_backend wl_jit_backend;

/* ---------------------------------------------------------------- compiled module */

typedef struct jit_code jit_code;

/* Per defined function: wl_func.code points here. */
typedef struct {
  jit_code *module;
  void *body;          /* native entry (the machine-state convention above) */
  uint32_t nparams, nresults;
} jit_func_code;

/* Trap backtraces (jit_trace.c): a wasm instruction starts at code position `pos`. */
typedef struct {
  uint32_t pos, off;   /* off: module offset of the wasm instruction */
} jit_pc_entry;

/* A module that uses v128 anywhere gives every value a 16-byte cell in its frames (a v128 is
 * one value, like the rest); at the boundaries (entry, wl_call) cells are converted to the
 * engine's packed slot layout (jit_simd_call.c). */
#define JIT_V128_CELL 16

struct jit_code {
  uint32_t cell;       /* frame cell size in bytes: 8 or JIT_V128_CELL */
  uint8_t *mem;        /* executable mapping: the enter thunk at 0, then the bodies */
  size_t size;
  uint32_t nfunc_imports, ndefined;
  jit_func_code *funcs;
  /* Trap backtraces only (read while a trap unwinds): the module, each body's position,
   * the end of the code, and every instruction's start, ascending. */
  const wl_moddesc *m;
  uint32_t *body_pos, code_len;
  jit_pc_entry *pcs;
  uint32_t npcs;
};

/* enter(ex, inst, frame, membase, body): saves callee-saved registers, sets the machine
 * state and calls body. */
typedef void (*jit_enter_fn)(wl_exec *ex, wl_instance *inst, wl_slot *frame, uint8_t *membase,
                             void *body);

/* ---------------------------------------------------------------- compiler state */

typedef struct {
  size_t *items;
  uint32_t count, cap;
} jit_list;

void jit_list_push(jit_list *l, size_t v);

typedef enum { JIT_FRAME_FUNC, JIT_FRAME_BLOCK, JIT_FRAME_LOOP, JIT_FRAME_IF } jit_frame_kind;

typedef struct {
  jit_frame_kind kind;
  const wl_block_info *info;  /* NULL for the function frame */
  uint32_t height;            /* operand height below the block's params */
  uint32_t target_slot;       /* where values carried by a branch to this frame go */
  uint32_t nparams, nresults;
  size_t loop_pos;            /* loop: the header */
  size_t else_jump;           /* if: rel32 of the jump to the else arm (0: none) */
  jit_list ends;              /* rel32 fields of forward jumps to the end */
  uint32_t nincoming;         /* edges into the merge besides the final fall-through */
  bool else_seen;
} jit_frame;

/* Out-of-line stubs, one per kind and function: trap kinds, then these two. */
#define JIT_STUB_RAISE WL_TRAP_KIND_COUNT       /* a helper already recorded the trap */
#define JIT_STUB_FUEL (WL_TRAP_KIND_COUNT + 1)  /* fuel to 0, then "fuel exhausted" */
#define JIT_NSTUBS (WL_TRAP_KIND_COUNT + 2)

#define JIT_LINE_FIELDS 4

/* One module being compiled. */
typedef struct {
  x64_asm a;
  wl_engine *engine;
  const wl_moddesc *m;
  uint32_t features;
  bool metered;
  const wl_costs *costs;      /* metered: the engine's cost table (runs charge its units) */
  size_t *body_pos;           /* per defined function */
  jit_list call_sites;        /* pairs: rel32 position, defined callee index */
  jit_list lines;             /* dump only: code position, function, wasm offset, opcode */
  jit_list pcs;               /* pairs: code position, module offset of each instruction */
  bool dump;
  uint32_t cell;              /* frame cell size: JIT_V128_CELL when the module uses v128 */
} jit_compiler;

/* Where an operand stack value is while straight-line code runs (jit_regs.c). */
typedef enum {
  JV_SLOT,   /* in its frame slot */
  JV_CONST,  /* a known constant: `bits` */
  JV_LOCAL,  /* the current value of local `local` (its register or slot): local.get is lazy */
  JV_GPR,    /* in general register `reg`, owned by this entry (an i32 zero-extended) */
  JV_XMM,    /* in xmm `reg`, owned by this entry; `f64` says which width */
  JV_FLAGS   /* a comparison's result in EFLAGS: 1 when condition `reg` holds (at most one;
              * the driver materializes it before an instruction that would clobber it) */
} jit_vkind;

typedef struct {
  uint8_t kind;
  uint8_t reg;
  bool f64;
  bool v128;         /* JV_XMM: a whole v128 (never a constant or a lazy local) */
  uint32_t local;
  uint64_t bits;
} jit_val;

/* Local classes, for where a local may live. */
/* A v128 local (JIT_L_V128) always lives in its cell. */
typedef enum { JIT_L_I32, JIT_L_I64, JIT_L_F32, JIT_L_F64, JIT_L_V128, JIT_L_OTHER } jit_local_class;
#define JIT_IN_SLOT 0xFF   /* local_reg: the local lives in its slot */
#define JIT_XMM_BIT 0x10   /* local_reg: xmm (low 4 bits) rather than a general register */
#define JIT_NO_FLAGS UINT32_MAX
#define JIT_MAX_PINNED 16  /* 6 general + 8 xmm registers */

/* One function being compiled. */
typedef struct {
  jit_compiler *c;
  x64_asm *a;
  const wl_funcdef *def;
  const wl_functype *type;
  uint32_t func_index;
  uint32_t nlocals;           /* params + declared locals */
  uint32_t frame_slots;       /* nlocals + max operand height, in cells */
  uint32_t cell;              /* bytes per cell: 8, or JIT_V128_CELL (jit_compiler.cell) */
  uint32_t sp;                /* operand height now */
  jit_frame *frames;
  uint32_t nframes, frames_cap;
  uint32_t next_block;
  bool reachable;
  wl_code_reader rd;
  jit_list stubs[JIT_NSTUBS]; /* pairs per stub: jcc/jmp rel32 field, its module offset */
  uint32_t cur_offset;        /* module offset of the instruction being compiled (prologue:
                               * WL_TRACE_NO_OFFSET, the frame is not entered yet) */
  jit_val *vs;                /* the operand stack: vs[h] is the value at height h */
  uint32_t vs_lo;             /* vs[h] for h < vs_lo are all JV_SLOT */
  uint32_t vs_cap;            /* entries in vs: the validator's max height + 1 */
  uint16_t gpr_pool, xmm_pool;/* registers the operand cache may use */
  uint16_t gpr_busy, xmm_busy;/* ... and those holding an operand now */
  uint8_t *local_class;       /* jit_local_class per local */
  uint8_t *local_reg;         /* per local: JIT_IN_SLOT, a general register or JIT_XMM_BIT | xmm */
  uint32_t flags_h;           /* height of the JV_FLAGS entry, or JIT_NO_FLAGS */
  uint32_t pinned[JIT_MAX_PINNED]; /* locals living in registers */
  uint32_t npinned;
  size_t run_cmp, run_sub;    /* fuel: immediates of the open run (0: none) */
  uint32_t run_count;
  uint32_t next_wide;         /* index of the next wl_func_facts.wide_ops entry */
} jit_fn;

/* ---------------------------------------------------------------- trap backtraces (jit_trace.c) */

/* Notes that the wasm instruction at module offset `off` starts here. */
void jit_trace_note(jit_fn *fn, uint32_t off);
/* Moves the instruction table into `code` and registers its range with the signal handler. */
void jit_trace_finish(jit_compiler *c, jit_code *code, const size_t *body_pos);
void jit_trace_free(jit_code *code);
/* What every trap stub calls: records `kind` (JIT_STUB_RAISE: a helper already did), this
 * function's frame at `off` and its callers' from `sp` (the frame's rsp), then unwinds. */
_Noreturn void jit_trap_at(wl_exec *ex, uint32_t kind, uint32_t off, uintptr_t sp);
/* `off` for a helper's trap: the instruction that called it (found from the return address). */
#define JIT_OFFSET_FROM_PC (UINT32_MAX - 1)

/* ---------------------------------------------------------------- emit helpers (jit_emit.c) */

/* Byte offset of operand height h / local i in the frame. */
/* A module using v128 lays every value out in 16-byte cells (JIT_V128_CELL), others in 8-byte
 * ones: one value per cell either way, so heights and slot indices count values. */
static inline int32_t jit_cell_off(const jit_fn *fn, uint32_t cell) { return (int32_t)(fn->cell * cell); }
static inline int32_t jit_slot(const jit_fn *fn, uint32_t h) { return jit_cell_off(fn, fn->nlocals + h); }
static inline x64_mem jit_top(const jit_fn *fn, uint32_t depth) {  /* depth 0 = top value */
  return x64_m(JIT_FP, jit_slot(fn, fn->sp - 1 - depth));
}
static inline x64_mem jit_local(const jit_fn *fn, uint32_t i) { return x64_m(JIT_FP, jit_cell_off(fn, i)); }

/* ---- the register cache (jit_regs.c) */
static inline jit_val *jit_at(jit_fn *fn, uint32_t depth) { return &fn->vs[fn->sp - 1 - depth]; }
/* True (with its bits) when the top operand is a known constant. */
bool jit_top_const(const jit_fn *fn, uint64_t *bits);
/* Writes every cached operand to its slot: merges, calls and helpers see all values there. */
void jit_flush(jit_fn *fn);
/* Same for all but the top `keep` operands. */
void jit_flush_below(jit_fn *fn, uint32_t keep);
/* Sets the operand height after control flow or a call left every value in its slot. */
void jit_set_height(jit_fn *fn, uint32_t h);
/* Pops n operands (values already read or dropped), freeing their registers. */
void jit_pop(jit_fn *fn, uint32_t n);
/* Instructions whose emitters use the cache; the driver flushes before every other one. */
bool jit_tos_aware(uint16_t op);
/* A free cache register (marked busy), spilling the deepest cached value if needed; `avoid`
 * is a mask of registers the caller still reads. */
x64_reg jit_alloc_gpr(jit_fn *fn, uint16_t avoid);
x64_xmm jit_alloc_xmm(jit_fn *fn, uint16_t avoid);
void jit_push_val(jit_fn *fn, jit_val v);
void jit_push_gpr(jit_fn *fn, x64_reg r);             /* r from jit_alloc_gpr */
void jit_push_xmm(jit_fn *fn, x64_xmm x, bool f64);   /* x from jit_alloc_xmm */
void jit_push_v128(jit_fn *fn, x64_xmm x);            /* the same, a v128 */
/* The register holding v without code (its own or its local's), or -1. */
int jit_val_gpr(const jit_fn *fn, const jit_val *v);
int jit_val_xmm(const jit_fn *fn, const jit_val *v);
/* v's memory operand (its slot or its local's slot), or false. */
bool jit_val_mem(const jit_fn *fn, const jit_val *v, uint32_t h, x64_mem *m);
uint16_t jit_val_mask(const jit_val *v);              /* GPR or XMM register owned by v */
/* Moves v (at height h) into dst; a 32-bit move zero-extends. */
void jit_val_to_gpr(jit_fn *fn, const jit_val *v, uint32_t h, bool w64, x64_reg dst);
void jit_val_to_xmm(jit_fn *fn, const jit_val *v, uint32_t h, bool f64, x64_xmm dst);
/* dst = dst `op` v (register, immediate or memory). */
void jit_alu_val(jit_fn *fn, x64_alu op, bool w64, x64_reg dst, const jit_val *v, uint32_t h);
/* The flags value (if any) becomes a 0/1 register value. */
void jit_materialize_flags(jit_fn *fn);
/* Local i is about to change: stack entries still reading it get their own copy (_below:
 * except the top `keep`, the operands of the instruction changing it). */
void jit_local_changing(jit_fn *fn, uint32_t i);
void jit_local_changing_below(jit_fn *fn, uint32_t i, uint32_t keep);
/* When the next instruction is local.set/tee of a local pinned to a general register: that
 * register, to compute this instruction's result (with `nops` operands on top) straight into;
 * the emitter then pushes JV_LOCAL(*local) and the local.set finds nothing to do. Else -1. */
int jit_result_home(jit_fn *fn, uint32_t nops, uint32_t *local);
int jit_result_xmm_home(jit_fn *fn, uint32_t nops, uint32_t *local);  /* the same for xmm */
/* Old-style access for the less common instructions: r = the operand `depth` below the top. */
void jit_load_top(jit_fn *fn, bool w64, x64_reg r, uint32_t depth);
void jit_alu_top(jit_fn *fn, x64_alu op, bool w64, x64_reg dst);
/* Pops `pop` values and pushes r (all 64 bits) as the result. */
void jit_replace(jit_fn *fn, uint32_t pop, x64_reg r);
void jit_push_reg(jit_fn *fn, x64_reg r);
void jit_push_mem(jit_fn *fn, x64_mem m);
void jit_push_const(jit_fn *fn, uint64_t bits);

/* ---- locals in registers (jit_locals.c) */
/* Chooses which locals live in registers and sets the cache pools. */
void jit_assign_locals(jit_fn *fn);
/* Prologue: pinned params from their slots, pinned declared locals zeroed. */
void jit_load_pinned_locals(jit_fn *fn);
/* Around calls: pinned locals to their slots and back; `all` includes the callee-saved
 * registers (a wasm callee pins its own locals there), else only those a C call clobbers;
 * `only_callee_saved` (jit_save_callee_pinned) the part a direct call adds. */
void jit_save_callee_pinned(jit_fn *fn);
void jit_restore_callee_pinned(jit_fn *fn);
void jit_save_pinned(jit_fn *fn, bool all);
void jit_restore_pinned(jit_fn *fn, bool all);

/* mov rax, imm64; call rax (rsp is aligned in bodies). Only in instructions the driver saves
 * pinned locals around (jit_function.c); jit_call_c_raw for the stubs, which never return. */
void jit_call_c(jit_fn *fn, const void *target);
void jit_call_c_raw(jit_fn *fn, const void *target);
/* Jumps (jcc, or jmp with X64_NO_COND) to the function's stub `stub`. */
#define JIT_ALWAYS 16
void jit_to_stub(jit_fn *fn, int cond, unsigned stub);
/* test al, al; jz raise: for helpers returning false after recording a trap. */
void jit_raise_if_false(jit_fn *fn);
/* Stores ex->sp = the top of this frame: before anything that may run other wasm code. */
void jit_sync_sp(jit_fn *fn);
/* Copies n slots from slot `from` to slot `to` (to <= from), absolute slot indices. */
void jit_move_slots(jit_fn *fn, uint32_t to, uint32_t from, uint32_t n);

/* ---------------------------------------------------------------- instruction groups */

bool jit_emit_control(jit_fn *fn, const wl_instr *in);
bool jit_emit_variable(jit_fn *fn, const wl_instr *in);
bool jit_emit_numeric(jit_fn *fn, const wl_instr *in);
bool jit_emit_float(jit_fn *fn, const wl_instr *in);
bool jit_emit_conversion(jit_fn *fn, const wl_instr *in);
bool jit_emit_memory(jit_fn *fn, const wl_instr *in);
bool jit_emit_call(jit_fn *fn, const wl_instr *in);
bool jit_emit_table(jit_fn *fn, const wl_instr *in);
bool jit_emit_simd(jit_fn *fn, const wl_instr *in);
/* SIMD instructions emitted inline on the register cache (the rest call helpers on cells). */
bool jit_simd_inline(uint16_t op);
bool jit_simd_emit_inline(jit_fn *fn, const wl_instr *in);  /* jit_simd_ops.c */
/* The memory operand of the access whose address operand is `depth` below the top (it may use
 * rax, rcx and rdx; jit_memory.c). */
x64_mem jit_address(jit_fn *fn, uint32_t depth, uint64_t offset, uint32_t memory);
/* SIMD helpers (jit_simd_helpers.c): fn(result cell, a, b, c cells, lane). *nargs: the
 * operand count; NULL for an instruction with no helper. */
typedef void (*jit_simd_fn)(uint8_t *r, const uint8_t *a, const uint8_t *b, const uint8_t *c,
                            uint64_t lane);
jit_simd_fn jit_simd_helper(uint16_t op, uint32_t *nargs);
/* For the loads that extend or splat: the loaded low bytes in a cell become the result. */
jit_simd_fn jit_simd_load_helper(uint16_t op);
void jit_simd_shuffle(uint8_t *r, const uint8_t *a, const uint8_t *b, const uint8_t *lanes,
                      uint64_t unused);
/* v128 operands of local/global/select/drop (jit_simd.c): they work on cells with the cache
 * flushed. The untyped drop/select `in` has v128 operands (the validator's wide_ops). */
bool jit_wide_op(jit_fn *fn, const wl_instr *in);
void jit_v128_local_get(jit_fn *fn, uint32_t i);
void jit_v128_local_set(jit_fn *fn, uint32_t i, bool tee);
void jit_v128_global_get(jit_fn *fn, uint32_t index);
void jit_v128_global_set(jit_fn *fn, uint32_t index);
void jit_v128_select(jit_fn *fn);

void jit_open_func_frame(jit_fn *fn);
/* After an unconditional transfer: translation continues where code is reachable again. */
void jit_skip_dead(jit_fn *fn);
/* return: the results (every value in its slot) to slot 0.., then the epilogue. */
void jit_emit_return(jit_fn *fn);
bool jit_body_done(jit_fn *fn);
void jit_epilogue(jit_fn *fn);
wl_error *jit_compile_function(jit_compiler *c, uint32_t defined_index);

/* Fuel metering (jit_fuel.c), the interpreter's accounting; no-ops when not metered. */
void jit_fuel_new_run(jit_fn *fn);
void jit_fuel_count(jit_fn *fn, uint16_t op);
void jit_fuel_finish(jit_fn *fn);

/* Helpers generated code calls for what is long to inline (jit_helpers.c). */
uint64_t jit_f32_min(uint64_t a, uint64_t b);
uint64_t jit_f32_max(uint64_t a, uint64_t b);
uint64_t jit_f64_min(uint64_t a, uint64_t b);
uint64_t jit_f64_max(uint64_t a, uint64_t b);
/* Trapping and saturating truncations, unsigned 64-bit conversions: by opcode. */
const void *jit_conversion_helper(uint16_t op, bool *traps);

/* 16-byte cells <-> packed slots (jit_cells.c); jit_call_cells is wl_call on cells. */
void jit_cells_from_slots(uint8_t *cells, const wl_slot *io, const wl_valtype *t, uint32_t n);
void jit_slots_from_cells(wl_slot *io, const uint8_t *cells, const wl_valtype *t, uint32_t n);
bool jit_call_cells(wl_exec *ex, wl_func *f, uint8_t *cells);

/* WASMLAB_JIT_DUMP=1 (jit_dump.c): each function's code with the wasm offsets it came from. */
void jit_dump(const jit_compiler *c, const uint8_t *code);

#endif
