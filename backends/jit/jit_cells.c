/* The boundary between 16-byte frame cells (a module that uses v128, JIT_V128_CELL) and the
 * engine's packed slot layout (a v128 takes two slots, every other value one): the entry
 * copies io into cells and results back, and calls through wl_call (imports, other instances,
 * other backends) pack the arguments into a slot array and unpack the results. Modules with
 * 8-byte cells need none of it: their frames are already slot arrays. */
#include <stdlib.h>
#include <string.h>

#include "backends/jit/jit.h"

/* n values of types t from packed slots into cells (16 bytes each, the low 8 for scalars). */
void jit_cells_from_slots(uint8_t *cells, const wl_slot *io, const wl_valtype *t, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    uint32_t w = wl_valtype_slots(t[i]);
    memcpy(cells + JIT_V128_CELL * i, io, 8 * w);
    io += w;
  }
}

void jit_slots_from_cells(wl_slot *io, const uint8_t *cells, const wl_valtype *t, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    uint32_t w = wl_valtype_slots(t[i]);
    memcpy(io, cells + JIT_V128_CELL * i, 8 * w);
    io += w;
  }
}

/* wl_call for a module with 16-byte cells: the args in cells from `cells` on, the results
 * written back there. The packed copy is on the native stack for the usual signatures. */
bool jit_call_cells(wl_exec *ex, wl_func *f, uint8_t *cells) {
  const wl_functype *t = f->type;
  uint32_t n = t->nparams > t->nresults ? t->nparams : t->nresults;
  wl_slot small[2 * 32], *io = n <= 32 ? small : malloc(2 * (size_t)n * sizeof *io);
  if (!io) return wl_trap(ex, WL_TRAP_STACK_EXHAUSTED);
  jit_slots_from_cells(io, cells, t->params, t->nparams);
  bool ok = wl_call(ex, f, io);
  if (ok) jit_cells_from_slots(cells, io, t->results, t->nresults);
  if (io != small) free(io);
  return ok;
}
