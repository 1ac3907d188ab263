/* The interpreter's entry and dispatch loop. Handlers live in the group files (*.inc), one
 * label per internal instruction (ops.def); they address frame slots directly, so nothing
 * maintains a stack pointer at run time. */
#include <math.h>
#include <string.h>

#include "backends/interp/interp.h"
#include "backends/interp/simd.h"
#include "backends/interp/values.h"
#include "proposals/bulk_memory/bulk_memory.h"
#include "proposals/multi_memory/multi_memory.h"
#include "proposals/reference_types/reference_types.h"

#define NEXT() goto *ip->h
#define S(k) fp[ip[k].i]
#define TRAP(kind)          \
  do {                      \
    wl_trap(ex, kind);      \
    goto trap_exit;         \
  } while (0)
#define RELOAD_MEM()                      \
  do {                                    \
    wl_memory *m0_ = inst->mem0;          \
    mem = m0_ ? m0_->base : NULL;         \
    mem_size = m0_ ? m0_->size : 0;       \
  } while (0)

/* Copies n slots from src to dst where dst <= src or the ranges are disjoint (branch block
 * moves go down to the target's height; results go down to the caller's argument slots), so
 * an ascending copy is exact. n is small: an inline loop beats a libc call. */
static inline void block_move(wl_slot *dst, const wl_slot *src, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    dst[i] = src[i];
    __asm__("" : "+r"(i)); /* keeps the loop short: no vectorised or libc copy */
  }
}

/* Zeroes n slots (a callee's declared locals) two at a time with 16-byte stores: functions
 * such as malloc have ten or more locals, and a call runs this on every entry. */
static inline void zero_slots(wl_slot *p, uint32_t n) {
  static const wl_slot zeros[2];
  uint32_t i = 0;
  for (; i + 2 <= n; i += 2) {
    memcpy(p + i, zeros, sizeof zeros);
    __asm__("" : "+r"(i)); /* no libc memset for these short runs */
  }
  if (i < n) p[i] = 0;
}

/* Runs `fn` of `inst` on the frame at fp (arguments and zeroed locals in place, record
 * written) until that frame returns (its results go where its record says). With `handlers_out` set, only reports the handler table. */
static bool run(wl_exec *ex, wl_instance *inst, const wl_ifunc *fn, wl_slot *fp,
                const void *const **handlers_out) {
  static const void *const handlers[IOP_COUNT] = {
#define IOP(n) [IOP_##n] = &&L_##n,
#define UNOP(n) [IOP_##n] = &&L_##n,
#define BINOP(n) [IOP_##n] = &&L_##n, [IOP_##n##_IMM] = &&L_##n##_IMM,
#define LOADOP(n) \
  [IOP_##n] = &&L_##n, [IOP_##n##_ADDI] = &&L_##n##_ADDI, [IOP_##n##_ABS] = &&L_##n##_ABS,
#define STOREOP(n) \
  [IOP_##n] = &&L_##n, [IOP_##n##_IMM] = &&L_##n##_IMM, [IOP_##n##_ABS] = &&L_##n##_ABS, \
  [IOP_##n##_ADDI] = &&L_##n##_ADDI,
#include "backends/interp/ops.def"
  };
  if (handlers_out) {
    *handlers_out = handlers;
    return true;
  }
  const wl_iword *ip = fn->code;
  uint8_t *mem;
  uint64_t mem_size;
  wl_func *callee;
  const wl_ifunc *next_fn;
  int64_t argbase;
  wl_slot *callee_fp; /* the frame a call is pushing */
  wl_slot b_bits; /* divisor of the division handlers */
  RELOAD_MEM();
  NEXT();

#include "backends/interp/control.inc"
#include "backends/interp/call.inc"
#include "backends/interp/variable.inc"
#include "backends/interp/memory.inc"
#include "backends/interp/fused.inc"
#include "backends/interp/table.inc"
#include "backends/interp/numeric.inc"
#include "backends/interp/conversion.inc"
#include "backends/interp/simd.inc"

/* Trap exits: record this loop's frames for the backtrace (trap path only), then return. */
trap_exit:
  wl_interp_trace(ex, inst, fn, fp, ip, false, false);
  return false;
trap_exit_second: /* a superinstruction's second memory access trapped */
  wl_interp_trace(ex, inst, fn, fp, ip, true, false);
  return false;
call_trap_exit: /* ip is already past the call that trapped */
  wl_interp_trace(ex, inst, fn, fp, ip, false, true);
  return false;
}

const void *const *wl_interp_handlers(void) {
  const void *const *h = NULL;
  run(NULL, NULL, NULL, NULL, &h);
  return h;
}

bool wl_interp_entry(wl_exec *ex, wl_func *f, wl_slot *io) {
  const wl_ifunc *fn = f->code;
  wl_slot *saved_sp = ex->sp;
  uint32_t saved_depth = ex->depth;
  wl_slot *fp = ex->sp + WL_IREC_SLOTS;
  if (fp + fn->frame_slots > ex->stack_end) return wl_trap(ex, WL_TRAP_STACK_EXHAUSTED);
  memmove(fp, io, (size_t)fn->nparams * sizeof(wl_slot));
  memset(fp + fn->nparams, 0, (size_t)fn->nlocals * sizeof(wl_slot));
  wl_slot *rec = fp - WL_IREC_SLOTS;
  rec[WL_IREC_RET_IP] = 0;
  rec[WL_IREC_RESULTS] = (uintptr_t)io;
  bool ok = run(ex, f->instance, fn, fp, NULL);
  ex->sp = saved_sp;
  ex->depth = saved_depth;
  return ok;
}
