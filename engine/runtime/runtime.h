/* Runtime objects shared by the engine and every backend: the concrete layouts behind the
 * public opaque handles, the execution context, and the helpers compiled code calls.
 * The engine owns all of these; a backend owns only its code (wl_func.code, module code). */
#ifndef WL_RUNTIME_H
#define WL_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/include/wasmlab.h"
#include "engine/module.h"
#include "engine/opcodes/opcodes.h"
#include "engine/util/error.h"

/* One operand: i32 (zero-extended to 64 bits), i64, f32/f64 bit patterns, or reference bits.
 * References: 0 is null for both funcref and externref; a funcref is (uintptr_t)wl_func *;
 * a non-null externref is (uintptr_t)host_pointer + 1. */
typedef uint64_t wl_slot;

#define WL_PAGE_SIZE 65536u
#define WL_MAX_PAGES 65536u
#define WL_MAX_TABLE_SIZE 10000000u  /* engine limit for table.grow / declared minimums */

/* The metering cost model (engine/runtime/costs.c): units each instruction adds to its run's
 * charge, and units per byte or element a bulk instruction pays when it executes. */
typedef struct {
  uint32_t instr[WL_OP_COUNT];
  uint32_t per_item[WL_OP_COUNT];  /* nonzero only for the bulk instructions */
} wl_costs;

struct wl_config {
  uint32_t features;
  wl_backend_kind backend;
  uint32_t max_call_depth;
  uint64_t fuel_limit;  /* 0 = unlimited */
  wl_costs costs;       /* used when fuel_limit != 0 */
  /* Resource limits (engine/runtime/limits.c); 0 = no limit. */
  uint64_t max_table_elements;  /* in all live tables of a store */
  uint64_t max_memory_bytes;    /* in all live memories of a store */
  uint64_t max_module_bytes;    /* of a module to compile */
  uint64_t max_functions;       /* defined in a module to compile */
  uint32_t aot_jobs;            /* AOT code generation threads; 0 = one per core */
};

/* Safe defaults: two tables at WL_MAX_TABLE_SIZE, two memories at their 4 GiB maximum, and
 * module sizes and function counts well above the programs in bench/ and the spec suites. */
#define WL_DEFAULT_MAX_TABLE_ELEMENTS (2ull * WL_MAX_TABLE_SIZE)
#define WL_DEFAULT_MAX_MEMORY_BYTES (2ull * WL_MAX_PAGES * WL_PAGE_SIZE)
#define WL_DEFAULT_MAX_MODULE_BYTES (256ull << 20)
#define WL_DEFAULT_MAX_FUNCTIONS 50000ull

typedef struct wl_exec wl_exec;

/* The uniform entry of every function, whatever compiled it: arguments in io from slot 0 on,
 * results written to io from slot 0 on (io has room for the larger of the two). Values are
 * laid out in slots (wl_valtype_slots: a v128 takes two), so with scalars only io[i] is
 * value i. Returns false
 * when execution stopped (trap or exit); the reason is in ex->error. */
typedef bool (*wl_entry_fn)(wl_exec *ex, wl_func *f, wl_slot *io);

struct wl_func {
  wl_entry_fn entry;
  void *native;               /* JIT/AOT: optional faster native-convention entry */
  const wl_functype *type;
  uint32_t type_id;           /* engine-interned: equal ids <=> structurally equal types */
  wl_instance *instance;      /* defining instance; NULL for host functions */
  uint32_t index;             /* index in the defining module's function space */
  void *code;                 /* backend code for this function (set by bind_func) */
  wl_store *store;
  /* Host functions only. */
  wl_host_callback host_cb;
  void *host_data;
  void (*host_finalizer)(void *);
  uint64_t host_cost;
  wl_functype host_type;      /* storage for a host function's signature */
};

struct wl_memory {
  uint8_t *base;          /* start of the reservation; [base, base + size) is accessible */
  uint64_t size;          /* current size in bytes (pages * 64 KiB) */
  uint32_t pages;
  uint32_t max_pages;     /* declared maximum, or WL_MAX_PAGES */
  bool has_max;
  bool is64;              /* memory64: addresses and sizes are i64 */
  size_t reserved;        /* bytes of address space reserved (includes guard region) */
  wl_store *store;
};

struct wl_table {
  wl_valtype elemtype;
  uint32_t size;
  uint32_t max;           /* declared maximum, or UINT32_MAX */
  bool has_max;
  wl_slot *elems;         /* `size` references */
  wl_store *store;
};

struct wl_global {
  wl_valtype type;
  bool mutable_;
  union {
    wl_slot value;      /* scalars and references */
    wl_slot v128[2];    /* v128: two slots, low 8 bytes first (value is v128[0]) */
  };
  wl_store *store;
};

struct wl_module {
  int refs;
  wl_engine *engine;
  wl_moddesc *desc;
  uint32_t *type_ids;     /* engine type id of every type index */
  void *code;             /* backend's compiled module */
  const struct wl_backend *backend;
};

struct wl_instance {
  wl_store *store;
  wl_module *module;
  /* Index spaces: imported objects first, then the instance's own. */
  wl_func **funcs;
  wl_table **tables;
  wl_memory **memories;
  wl_global **globals;
  wl_memory *mem0;        /* memories[0] or NULL: the hot path for loads and stores */
  /* Element segments, evaluated at instantiation (Wasm 2.0): refs and count per segment.
   * A dropped segment has count 0. */
  wl_slot **elem_refs;
  uint32_t *elem_count;
  /* Data segments: a dropped segment has length 0. */
  uint32_t *data_len;
  void *backend_state;
  bool dead;              /* wl_instance_delete was called; kept until the store goes */
  uint32_t importers;     /* instances that imported something from this one */
};

/* The execution context of a store: one per store, reused by nested calls (a host function
 * that calls back into wasm continues on the same stacks). */
struct wl_exec {
  wl_store *store;
  uint32_t depth;         /* current wasm+host call depth */
  uint32_t max_depth;
  wl_error *error;        /* why execution stopped (a trap or an exit); owned here until taken */
  bool metered;
  uint64_t fuel_left;
  const wl_costs *costs;  /* the engine's, while metered */
  /* Interpreter value stack: [stack, stack_end); `sp` is the first free slot, so a nested
   * invocation starts above the caller's frame. */
  wl_slot *stack, *stack_end, *sp;
  /* Native backends: where a signal handler unwinds to (opaque to the engine). */
  void *unwind;
  /* wl_call traps "call stack exhausted" when the native stack reaches this address (set by
   * the outermost invocation for its thread): C recursion never overflows the stack. */
  uintptr_t native_floor;
  /* Frames recorded while a trap unwinds (engine/runtime/trace.h), innermost first. */
  struct wl_raw_frame *trace;
  uint32_t trace_count, trace_cap, trace_omitted;
};

/* Records a trap of kind `k` in ex->error (keeping an earlier one) and returns false, so
 * backends can write `return wl_trap(ex, WL_TRAP_...)`. */
bool wl_trap(wl_exec *ex, wl_trap_kind k);
/* Records an error returned by a host function: traps and exits pass through; anything else
 * becomes a WL_TRAP_HOST trap carrying its message. Returns false. */
bool wl_trap_error(wl_exec *ex, wl_error *e);

/* The calling thread's native stack [lo, hi) (engine/runtime/native_stack.c), and the lowest
 * address wasm may run at: WL_NATIVE_STACK_RESERVE stays free below it for host functions,
 * runtime helpers and trap handling. */
#define WL_NATIVE_STACK_RESERVE (256u << 10)
void wl_native_stack_bounds(uintptr_t *lo, uintptr_t *hi);
uintptr_t wl_native_stack_floor(void);

/* Resource limits (engine/runtime/limits.c): tables and memories charge their elements and
 * bytes to their store as they are created or grown (false past the limit, nothing charged)
 * and refund them when destroyed. */
bool wl_store_charge_table(wl_store *s, uint64_t elements);
void wl_store_refund_table(wl_store *s, uint64_t elements);
bool wl_store_charge_memory(wl_store *s, uint64_t bytes);
void wl_store_refund_memory(wl_store *s, uint64_t bytes);
/* Before compiling: NULL, or an error naming the limit the module's size or its count of
 * defined functions exceeds. */
wl_error *wl_check_module_size(const wl_config *c, size_t len);
wl_error *wl_check_function_count(const wl_config *c, const wl_moddesc *m);

/* Metering costs (engine/runtime/costs.c): defaults (1 unit per instruction, 1 per byte or
 * element of a bulk instruction), setting one instruction's costs by its text name (per_item
 * only for bulk instructions), and loading a cost table file. */
void wl_costs_default(wl_costs *c);
wl_error *wl_costs_set(wl_costs *c, const char *name, uint64_t units, uint64_t per_item);
wl_error *wl_costs_load(wl_costs *c, const char *path);
/* A bulk instruction of `n` items charges n * per_item[op] (when metered); false after
 * recording "fuel exhausted" (fuel then drops to 0, as when a run cannot be paid). */
bool wl_charge_items(wl_exec *ex, uint16_t op, uint64_t n);

/* Calls any function through its uniform entry, with the call-depth and native stack checks. */
bool wl_call(wl_exec *ex, wl_func *f, wl_slot *io);

/* call_indirect: the callee in `t` at `i` checked against `type_id`, or NULL after recording
 * the trap (undefined element / uninitialized element / indirect call type mismatch). */
wl_func *wl_indirect_target(wl_exec *ex, wl_table *t, uint32_t i, uint32_t type_id);

/* memory.grow: returns the old size in pages, or -1 (no trap) when it cannot grow. */
int32_t wl_memory_grow_pages(wl_memory *m, uint32_t delta);
int64_t wl_memory_grow_pages64(wl_memory *m, uint64_t delta);  /* any delta (memory64) */

/* Evaluates a validated constant expression in `inst` (globals already set up) into out[0],
 * or out[0..2) for a v128 (out has room for two slots; out[1] is 0 for other types).
 * wl_eval_const returns a scalar or reference result. */
void wl_eval_const_slots(const wl_instance *inst, const wl_constexpr *e, wl_slot *out);
wl_slot wl_eval_const(const wl_instance *inst, const wl_constexpr *e);

/* Engine-wide function type registry. */
uint32_t wl_engine_type_id(wl_engine *e, const wl_functype *t);
const wl_config *wl_engine_config(const wl_engine *e);

wl_exec *wl_store_exec(wl_store *s);
wl_engine *wl_store_engine(wl_store *s);

#endif
