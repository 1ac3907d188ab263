/* Trap backtraces, the part every backend shares: the raw frames a backend records while a
 * trap unwinds through its code, and how they become the trap error's wl_trace_frames.
 *
 * Each backend walks only its own frames, innermost first, on the trapping path:
 *  - interp: at its trap exit, the current function and ip, then each frame record;
 *  - jit and aot: at the trap helper or the fault, their frames up to the invoke boundary.
 * A call that crosses to another instance, backend or host function goes through wl_call and
 * its own boundary, so when the callee traps, the caller's frames are recorded after the
 * callee's (outer frames later): the list stays innermost first with no merging. */
#ifndef WL_RUNTIME_TRACE_H
#define WL_RUNTIME_TRACE_H

#include "engine/runtime/runtime.h"

/* Frames kept per trap; a deeper stack (an overflow) keeps the innermost ones and counts the
 * rest as omitted. */
#define WL_TRACE_MAX 1000u
#define WL_TRACE_NO_OFFSET UINT32_MAX

/* Records one frame of `m`'s function `func_index` at `module_offset` (of the trapping
 * instruction, or of the call for an outer frame), when ex->error is a trap. */
void wl_trace_push(wl_exec *ex, const wl_moddesc *m, uint32_t func_index, uint32_t module_offset);
/* True while frames are wanted: ex->error is a trap (exits and successes record nothing). */
bool wl_trace_wanted(const wl_exec *ex);
/* Moves the recorded frames onto `e` (after the frames it already has), resolving names. */
void wl_trace_attach(wl_exec *ex, wl_error *e);
/* Forgets recorded frames (a new outermost invocation). */
void wl_trace_clear(wl_exec *ex);
void wl_trace_free(wl_exec *ex);

#endif
