/* The translator's state: one aot_module per compiled module, one aot_fn per function body.
 * Instruction groups live in their own files (aot_control.c, aot_numeric.c, ...), mirroring
 * the interpreter; each exposes `bool aot_emit_<group>(aot_fn *, const wl_instr *)` that
 * returns false when the opcode is not in its group.
 *
 * Invariants while translating a body:
 *  - Instructions are only ever translated in reachable code. After br/br_table/return/
 *    unreachable the reader jumps (aot_skip_dead) to the innermost frame's `else` or `end`,
 *    using the validator's block table, so dead code costs nothing and never sees an empty
 *    operand stack.
 *  - fn->stack[0..sp) holds the SSA values of the wasm operand stack. */
#ifndef WL_AOT_IR_H
#define WL_AOT_IR_H

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include "backends/aot/aot.h"
#include "engine/decode/instr.h"

typedef struct {
  LLVMContextRef ctx;
  LLVMModuleRef mod;
  LLVMBuilderRef b;
  const wl_moddesc *m;
  uint32_t features;
  bool metered;               /* charge fuel (aot_fuel.c) */
  const wl_costs *costs;      /* metered: what each instruction adds to its run's charge */
  LLVMTypeRef i1, i8, i16, i32, i64, f32, f64, ptr, void_t;
  LLVMTypeRef v128;           /* <2 x i64>: how a v128 value lives on the operand stack */
  LLVMValueRef rt;            /* @wasmlab_aot_rt: [AOT_RT_COUNT x ptr] */
  LLVMValueRef *natives;      /* defined function i -> its native LLVM function */
  LLVMTypeRef *fn_types;      /* wasm type index -> native LLVM function type */
  const char *sp_register;    /* the host's stack pointer for llvm.read_register, or NULL */
  unsigned native_cc;         /* calling convention of the native functions (aot_call.c) */
  /* Trap backtraces (aot_debug.c): line tables, line = module offset. */
  struct LLVMOpaqueDIBuilder *dib;
  LLVMMetadataRef di_file, di_type, di_scope;
  /* The partition this LLVM module holds: defined functions [first, end) of the module's
   * nparts (aot_partition.c). With several, functions are hidden globals so the partitions'
   * objects link together, and partition 0 holds the tables. */
  uint32_t part, nparts, first, end;
} aot_module;

typedef enum { AOT_FRAME_FUNC, AOT_FRAME_BLOCK, AOT_FRAME_LOOP, AOT_FRAME_IF } aot_frame_kind;

typedef struct {
  aot_frame_kind kind;
  uint32_t height;                 /* operand stack height below the params */
  uint32_t nparams, nresults;
  const wl_valtype *params, *results;
  wl_valtype one_result;           /* storage for a single-valtype block type */
  LLVMBasicBlockRef br_target;     /* loop: header; otherwise the merge block after `end` */
  LLVMValueRef *br_phis;           /* phis at br_target: loop -> params, else -> results */
  uint32_t nincoming;              /* edges into br_target so far (merge blocks) */
  LLVMBasicBlockRef else_bb;       /* if: the false edge until `else` is seen */
  LLVMValueRef *if_params;         /* if: the param values, for the else arm */
  bool else_seen;
  const wl_block_info *info;       /* NULL for the function frame */
} aot_frame;

typedef struct {
  aot_module *am;
  const wl_funcdef *def;
  const wl_functype *type;
  uint32_t func_index;             /* in the module's function space */
  LLVMValueRef fn;
  LLVMValueRef ex, inst;
  LLVMValueRef *locals;            /* allocas, params first */
  wl_valtype *local_types;
  uint32_t nlocals;
  LLVMValueRef *stack;
  uint32_t sp, stack_cap;
  aot_frame *frames;
  uint32_t nframes, frames_cap;
  uint32_t next_block;             /* running index into def->facts.blocks */
  bool reachable;
  bool small_leaf;                 /* aot_is_small_leaf: no stack checks, no depth count */
  LLVMValueRef mem0;               /* inst->mem0, loaded once in the entry block (or NULL) */
  LLVMValueRef membase;            /* mem0->base, likewise: a memory's base never moves */
  LLVMValueRef *size_slots;        /* memory64: per i64 memory, an alloca caching its size in
                                      bytes (reloaded after calls and memory.grow), else NULL */
  uint32_t cur_offset;             /* module offset of the instruction being translated;
                                      WL_TRACE_NO_OFFSET in the prologue */
  wl_code_reader rd;
  /* Metering: the open run's instruction count and the two uses of its placeholder count. */
  uint64_t run_count;
  LLVMValueRef run_cmp, run_sub;
} aot_fn;

/* ---- debug line tables for trap backtraces (aot_debug.c) */
void aot_debug_begin(aot_module *am);
/* Gives f its subprogram "<prefix><index>" and starts its code at `line`. */
void aot_debug_function(aot_module *am, LLVMValueRef f, const char *prefix, uint32_t index,
                        uint32_t line);
/* The code built from now on comes from module offset `line`. */
void aot_debug_at(aot_module *am, uint32_t line);
void aot_debug_end_function(aot_module *am);
void aot_debug_finish(aot_module *am);
/* After optimization: gives each user a folded guest load may have been selected into the
 * load's location, so a fault there names the load. */
void aot_debug_fold_sites(LLVMModuleRef mod);

/* ---- types and small builders (aot_function.c) */
LLVMTypeRef aot_valtype(aot_module *am, wl_valtype t);
LLVMTypeRef aot_native_type(aot_module *am, const wl_functype *ft);
LLVMValueRef aot_push(aot_fn *fn, LLVMValueRef v);
LLVMValueRef aot_pop(aot_fn *fn);
LLVMValueRef aot_top(aot_fn *fn);
/* Byte-offset field access: *(T *)((char *)base + off). */
LLVMValueRef aot_load_field(aot_fn *fn, LLVMValueRef base, size_t off, LLVMTypeRef t);
void aot_store_field(aot_fn *fn, LLVMValueRef base, size_t off, LLVMValueRef v);
/* The same for a field that never changes once the instance is instantiated (instance
 * arrays, mem0, a memory's base, module type ids): marked !invariant.load so the optimizer
 * may hoist and merge it across calls and stores. */
LLVMValueRef aot_load_invariant(aot_fn *fn, LLVMValueRef base, size_t off, LLVMTypeRef t);
/* base[index] for an instance array of pointers at *(base + off) (both loads invariant). */
LLVMValueRef aot_load_ptr_elem(aot_fn *fn, LLVMValueRef base, size_t off, uint32_t index);
/* An alloca in the entry block (so loops do not grow the native stack). */
LLVMValueRef aot_entry_alloca(aot_fn *fn, LLVMTypeRef t);
LLVMValueRef aot_const_i32(aot_fn *fn, uint32_t v);
LLVMValueRef aot_const_i64(aot_fn *fn, uint64_t v);
/* Calls the runtime helper `which` of function type `t`. */
LLVMValueRef aot_call_rt(aot_fn *fn, aot_rt_index which, LLVMTypeRef t, LLVMValueRef *args,
                         unsigned n);
/* Calls an LLVM intrinsic by name, overloaded on `types`. */
LLVMValueRef aot_intrinsic(aot_fn *fn, const char *name, LLVMTypeRef *types, unsigned ntypes,
                           LLVMValueRef *args, unsigned nargs);
/* Branches to the trap block of `kind` when `cond` is true; continues in a fresh block. */
void aot_trap_if(aot_fn *fn, LLVMValueRef cond, wl_trap_kind kind);
/* Emits an unconditional trap (the block then ends). */
void aot_trap_now(aot_fn *fn, wl_trap_kind kind);
/* When `ok` is false, a helper recorded a trap: unwind. */
void aot_raise_unless(aot_fn *fn, LLVMValueRef ok);
/* Slots <-> typed values for the uniform io convention (a v128 covers two slots; use
 * wl_valtype_slots to step through an io array). aot_to_slot returns its store. */
LLVMValueRef aot_from_slot(aot_module *am, LLVMBuilderRef b, LLVMValueRef slot_ptr, wl_valtype t);
LLVMValueRef aot_to_slot(aot_module *am, LLVMBuilderRef b, LLVMValueRef slot_ptr, wl_valtype t,
                         LLVMValueRef v);

/* A function that gets no prologue checks (aot_function.c). */
bool aot_is_small_leaf(const wl_funcdef *def, const wl_functype *ft);

/* ---- fuel metering (aot_fuel.c); all no-ops unless am->metered */
/* Charges for a new straight-line run starting at the builder's position. */
void aot_fuel_new_run(aot_fn *fn);
/* Counts the instruction about to be translated into the open run. */
void aot_fuel_count(aot_fn *fn, uint16_t op);
/* Closes the last run of the function. */
void aot_fuel_finish(aot_fn *fn);

/* ---- control (aot_control.c) */
void aot_open_func_frame(aot_fn *fn);
bool aot_emit_control(aot_fn *fn, const wl_instr *in);
/* After an unconditional transfer: continues at the innermost frame's else or end. */
void aot_skip_dead(aot_fn *fn);
/* True once the function frame's final `end` has been translated. */
bool aot_body_done(aot_fn *fn);

/* A float constant hidden from the optimizer (aot_numeric.c). */
LLVMValueRef aot_opaque_float(aot_fn *fn, LLVMValueRef c);
/* Wasm's min/max (name: llvm.minimum or llvm.maximum) of floats or float vectors. */
LLVMValueRef aot_wasm_min_max(aot_fn *fn, const char *name, LLVMValueRef l, LLVMValueRef r);
/* The host address of an access of `width` bytes at addr + offset in memory `memory`, with
 * the bounds check it needs (aot_memory.c). */
LLVMValueRef aot_effective_address(aot_fn *fn, uint32_t memory, LLVMValueRef addr,
                                   uint64_t offset, unsigned width);
/* The one rule for guest memory: an access is an effect (it may fault), never a pure value:
 * volatile, alignment 1 (aot_memory.c). Returns `access`. */
LLVMValueRef aot_guest_access(LLVMValueRef access);
LLVMValueRef aot_guest_load(LLVMBuilderRef b, LLVMTypeRef t, LLVMValueRef p); /* volatile, frozen */

/* ---- instruction groups */
bool aot_emit_numeric(aot_fn *fn, const wl_instr *in);
bool aot_emit_conversion(aot_fn *fn, const wl_instr *in);
bool aot_emit_memory(aot_fn *fn, const wl_instr *in);
bool aot_emit_table(aot_fn *fn, const wl_instr *in);
bool aot_emit_variable(aot_fn *fn, const wl_instr *in);
bool aot_emit_call(aot_fn *fn, const wl_instr *in);
bool aot_emit_simd(aot_fn *fn, const wl_instr *in);

/* memory64 (aot_memory.c): caches each i64 memory's size in an alloca at function entry (so
 * the optimizer can hoist it: stores to linear memory cannot alias it), and reloads the caches
 * after anything that may grow a memory (calls; memory.grow reloads its own). */
void aot_memory_setup(aot_fn *fn);
void aot_memory_reload_sizes(aot_fn *fn);

/* ---- calls shared by control (return) and call */
/* The module's native calling convention: C, or LLVM's tailcc when any function makes a tail
 * call (then `musttail` calls are guaranteed to reuse the frame whatever the signatures). */
unsigned aot_native_cc(const wl_moddesc *m);
/* Packs values for the native return convention (void, the value, or a struct). */
void aot_build_return(aot_fn *fn, LLVMValueRef *vals, uint32_t n);
/* Unpacks a native call result onto the operand stack. */
void aot_push_results(aot_fn *fn, LLVMValueRef ret, const wl_functype *ft);

/* ---- module (aot_module.c) */
/* Translates the partition am->part: its functions, their entry wrappers and, in partition 0,
 * the runtime table and the function table. */
wl_error *aot_translate_module(aot_module *am);
wl_error *aot_translate_function(aot_module *am, uint32_t defined_index);

/* ---- LLVM setup, passes, object emission (aot_emit.c) */
/* The code generator's level (0-3: LLVM's None, Less, Default, Aggressive) for an
 * optimization level and a module of nparts partitions. */
uint32_t aot_codegen_level(uint32_t opt, uint32_t nparts);
/* The shared target machine of a code generator level (one thread at a time). */
wl_error *aot_target_machine(uint32_t codegen, LLVMTargetMachineRef *out);
/* A private one, for a compile thread; dispose with LLVMDisposeTargetMachine. */
wl_error *aot_new_target_machine(uint32_t codegen, LLVMTargetMachineRef *out);
const char *aot_host_triple(void);
const char *aot_sp_register(void);
/* whole_module: the module is one partition (O2 pipelines: aot_pipeline.h). */
wl_error *aot_optimize(LLVMModuleRef mod, LLVMTargetMachineRef tm, uint32_t opt,
                       bool whole_module);
wl_error *aot_emit_object(LLVMModuleRef mod, LLVMTargetMachineRef tm, uint8_t **obj,
                          size_t *len);

/* ---- partitions and compile threads (aot_partition.c) */
wl_error *aot_compile_partitions(const wl_moddesc *m, uint32_t features, uint32_t opt_level,
                                 const wl_costs *costs, uint32_t jobs, aot_objects *out);
/* aot_lld.cpp (built when liblld-19-dev is there): lld's ELF driver in this process. */
int aot_lld_link(int argc, const char *const *argv, char **message);

#endif
