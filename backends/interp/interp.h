/* The interpreter backend's internal interface, shared by the translator (translate*.c) and the
 * dispatch loop (exec.c). Nothing outside backends/interp includes it.
 *
 * Code form: each function is translated once into an array of wl_iword. An instruction is a
 * handler address (a computed-goto label of the dispatch loop) followed by its operands; see
 * ops.def for every instruction's operand layout. Operands name frame-relative slots.
 *
 * Frame layout (all wl_slot, 8 bytes each), around fp:
 *   [-WL_IREC_SLOTS, 0)             the frame record: how to return to the caller
 *   [0, nparams)                    parameters
 *   [nparams, nparams + nlocals)    declared locals (zeroed on entry)
 *   [base, base + max_height)       the operand stack; the slot at height h lives in base + h
 * Counts are in slots: a v128 takes two consecutive ones, low half first, so scalar code
 * keeps one 8-byte slot per value.
 * frame_slots = base + max_height. A callee's record and frame go right above the caller's
 * frame_slots; the arguments are copied in, and RETURN copies the results to the address the
 * record names (the caller's argument slots, or the io array for the entry frame). Nothing a
 * callee does touches its caller's frame or record. */
#ifndef WL_INTERP_H
#define WL_INTERP_H
#include <stddef.h>
#include <stdio.h>

#include "backends/backend.h"

typedef union wl_iword {
  const void *h;  /* handler address, code pointer (branch target) or wl_ifunc * */
  int64_t i;      /* slot index, count, immediate */
  uint64_t u;
} wl_iword;

typedef struct wl_ifunc {
  uint32_t nparams, nresults, nlocals;  /* in slots (a v128 takes two) */
  uint32_t frame_slots;  /* params + locals + max operand height: where the record starts */
  /* The declared-local slots [nparams, nparams + nzero) that a call zeroes: every local above
   * them is never read, or written at the function's start before anything reads it. */
  uint32_t nzero;
  wl_iword *code;
  size_t ncode;
  /* For trap backtraces (trace.c): where each instruction starts and the wasm instruction(s)
   * it came from, ascending by `at`. Read only when a trap unwinds. */
  uint32_t func_index;
  struct wl_ioffset *offsets;
  uint32_t noffsets;
} wl_ifunc;

/* One instruction of the code: it starts at word `at` and came from the wasm instruction at
 * module offset `off`; a superinstruction that makes two memory accesses has the second's in
 * `off2` (its handler traps through trap_exit_second for that one). */
typedef struct wl_ioffset {
  uint32_t at, off, off2;
  bool off_is_access;  /* `off` is a load or store (a fusion keeps it as the trap site) */
} wl_ioffset;

/* The frame record at fp - WL_IREC_SLOTS. A record with a NULL return address marks the frame
 * that wl_interp_entry started: returning from it leaves the dispatch loop. Only calls within
 * one instance continue in the same loop (others go through wl_call, which keeps the store's
 * current instance right), so the record need not hold the instance. */
enum { WL_IREC_RET_IP, WL_IREC_FP, WL_IREC_FUNC, WL_IREC_RESULTS, WL_IREC_SLOTS };

/* trace.c: records the interpreter frames of a trap (the current one at `ip`, then each frame
 * record up to the entry frame); `second` picks off2 for the current one, `after_call` means
 * ip is already past the instruction (a call that failed). */
void wl_interp_trace(wl_exec *ex, const wl_instance *inst, const wl_ifunc *fn, const wl_slot *fp,
                     const wl_iword *ip, bool second, bool after_call);

typedef struct wl_imodule {
  uint32_t nfunc_imports;
  uint32_t ndefined;
  wl_ifunc *funcs;  /* ndefined entries: function nfunc_imports + i */
} wl_imodule;

typedef enum {
#define IOP(n) IOP_##n,
#define UNOP(n) IOP_##n,
#define BINOP(n) IOP_##n, IOP_##n##_IMM,
#define LOADOP(n) IOP_##n, IOP_##n##_ADDI, IOP_##n##_ABS,
#define STOREOP(n) IOP_##n, IOP_##n##_IMM, IOP_##n##_ABS, IOP_##n##_ADDI,
#include "backends/interp/ops.def"
  IOP_COUNT
} wl_iop;

/* The handler address of every internal instruction, indexed by wl_iop. */
const void *const *wl_interp_handlers(void);

/* The uniform entry of every interpreted function (wl_func.entry). */
bool wl_interp_entry(wl_exec *ex, wl_func *f, wl_slot *io);

/* dump.c: debugging listings (WASMLAB_INTERP_DUMP=1). */
bool wl_interp_dump_enabled(void);
void wl_interp_dump(const wl_ifunc *fn, uint32_t index, FILE *out);

wl_error *wl_interp_compile(wl_engine *e, const wl_moddesc *m, void **out);
void wl_interp_free_code(void *code);
void wl_interp_bind_func(void *code, wl_func *f);

#endif
