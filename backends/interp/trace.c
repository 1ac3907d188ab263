/* Trap backtraces of the interpreter: its frames are on the value stack (each frame record
 * names the caller's function, frame and return address), so on a trap the dispatch loop's
 * exit walks them; wasm offsets come from each function's offset table. */
#include "backends/interp/interp.h"
#include "engine/runtime/trace.h"

/* The entry for the instruction containing code word `pos` (the last starting at or before
 * it), or NULL. */
static const wl_ioffset *find(const wl_ifunc *fn, size_t pos) {
  uint32_t lo = 0, hi = fn->noffsets;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (fn->offsets[mid].at <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo ? &fn->offsets[lo - 1] : NULL;
}

static void push(wl_exec *ex, const wl_moddesc *m, const wl_ifunc *fn, const wl_iword *ip,
                 bool second) {
  const wl_ioffset *o = ip >= fn->code ? find(fn, (size_t)(ip - fn->code)) : NULL;
  uint32_t off = !o ? WL_TRACE_NO_OFFSET : second ? o->off2 : o->off;
  wl_trace_push(ex, m, fn->func_index, off);
}

void wl_interp_trace(wl_exec *ex, const wl_instance *inst, const wl_ifunc *fn, const wl_slot *fp,
                     const wl_iword *ip, bool second, bool after_call) {
  if (!wl_trace_wanted(ex)) return;
  const wl_moddesc *m = inst->module->desc;
  push(ex, m, fn, after_call ? ip - 1 : ip, second);
  for (;;) {
    const wl_slot *rec = fp - WL_IREC_SLOTS;
    const wl_iword *ret = (const wl_iword *)(uintptr_t)rec[WL_IREC_RET_IP];
    if (!ret) return;  /* the entry frame: its caller is outside this loop */
    fn = (const wl_ifunc *)(uintptr_t)rec[WL_IREC_FUNC];
    fp = (const wl_slot *)(uintptr_t)rec[WL_IREC_FP];
    push(ex, m, fn, ret - 1, false);  /* inside the call instruction */
  }
}
