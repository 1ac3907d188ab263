/* The baseline JIT's internal interface: one forward pass over each validated function,
 * emitting x86-64 through the assembler in asm/. Only backends/jit/ includes this.
 *
 * Machine state while JIT code runs (callee-saved, so C helpers preserve them):
 *   r12 = wl_exec *ex, r13 = wl_instance *inst, r14 = memory 0 base, r15 = the frame.
 * The frame is an array of wl_slot on the exec's value stack (ex->sp when entered): locals
 * (params first) in slots [0, nlocals), then the operand stack from slot nlocals, so the
 * value at height h lives at [r15 + 8 * (nlocals + h)]. A direct call moves r15 to the
 * callee's params (the top of the caller's operand stack) and back; results come back in the
 * callee's slots 0.. . Scratch: rax rcx rdx rsi rdi r8-r11, xmm0-1. Inside a body rsp is
 * 16-byte aligned, so C helpers are called directly. Values in slots follow the engine's
 * convention (i32/f32 zero-extended), so any slot range is a valid `io` array for wl_call.
 *
 * Operand cache: within straight-line code the top JIT_CACHE_MAX operands may live in rbx or
 * rbp (callee-saved, so C helpers keep them) or be known constants, instead of their slots.
 * Instructions that know the cache (jit_tos_aware) read operands through jit_load_top /
 * jit_alu_top and pop through jit_pop; before any other instruction (control flow, calls,
 * table operations) the driver flushes it, so merges, calls and helpers always see every value
 * in its slot. r11 is the cache's own scratch register. */
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

struct jit_code {
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
} jit_compiler;

#define JIT_CACHE_MAX 2
typedef struct {
  bool is_const;
  x64_reg reg;                /* rbx or rbp, when not a constant */
  uint64_t bits;              /* the constant */
} jit_cached;

/* One function being compiled. */
typedef struct {
  jit_compiler *c;
  x64_asm *a;
  const wl_funcdef *def;
  const wl_functype *type;
  uint32_t func_index;
  uint32_t nlocals;           /* params + declared locals */
  uint32_t frame_slots;       /* nlocals + max operand height */
  uint32_t sp;                /* operand height now */
  jit_frame *frames;
  uint32_t nframes, frames_cap;
  uint32_t next_block;
  bool reachable;
  wl_code_reader rd;
  jit_list stubs[JIT_NSTUBS]; /* pairs per stub: jcc/jmp rel32 field, its module offset */
  uint32_t cur_offset;        /* module offset of the instruction being compiled (prologue:
                               * WL_TRACE_NO_OFFSET, the frame is not entered yet) */
  jit_cached cached[JIT_CACHE_MAX]; /* cached[ncached - 1] is the top operand */
  uint32_t ncached;
  size_t run_cmp, run_sub;    /* fuel: immediates of the open run (0: none) */
  uint32_t run_count;
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
static inline int32_t jit_slot(const jit_fn *fn, uint32_t h) { return (int32_t)(8 * (fn->nlocals + h)); }
static inline x64_mem jit_top(const jit_fn *fn, uint32_t depth) {  /* depth 0 = top value */
  return x64_m(JIT_FP, jit_slot(fn, fn->sp - 1 - depth));
}
static inline x64_mem jit_local(uint32_t i) { return x64_m(JIT_FP, (int32_t)(8 * i)); }

/* True (with its bits) when the top operand is a known constant. */
bool jit_top_const(const jit_fn *fn, uint64_t *bits);
/* Writes cached operands to their slots: every value is then in its slot. */
void jit_flush(jit_fn *fn);
/* Pops n operands (values already read or dropped). */
void jit_pop(jit_fn *fn, uint32_t n);
/* Instructions whose emitters use the cache; the driver flushes before every other one. */
bool jit_tos_aware(uint16_t op);
/* r = the operand `depth` below the top (32-bit loads zero-extend). */
void jit_load_top(jit_fn *fn, bool w64, x64_reg r, uint32_t depth);
/* dst = dst `op` the top operand (register, immediate or slot). */
void jit_alu_top(jit_fn *fn, x64_alu op, bool w64, x64_reg dst);
/* Pops `pop` values and pushes r (all 64 bits) as the result. */
void jit_replace(jit_fn *fn, uint32_t pop, x64_reg r);
void jit_push_reg(jit_fn *fn, x64_reg r);
void jit_push_mem(jit_fn *fn, x64_mem m);
void jit_push_const(jit_fn *fn, uint64_t bits);
/* mov rax, imm64; call rax (rsp is aligned in bodies). */
void jit_call_c(jit_fn *fn, const void *target);
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

void jit_open_func_frame(jit_fn *fn);
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

/* WASMLAB_JIT_DUMP=1 (jit_dump.c): each function's code with the wasm offsets it came from. */
void jit_dump(const jit_compiler *c, const uint8_t *code);

#endif
