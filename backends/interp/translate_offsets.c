/* The offset table of a function's code (wl_ioffset, interp.h): which wasm instruction each
 * internal instruction came from, for trap backtraces. Built while translating; nothing at
 * run time reads it until a trap unwinds. */
#include <stdlib.h>

#include "backends/interp/translate.h"

void tr_note_offset(translator *t, size_t at) {
  wl_ioffset *prev = NULL;
  while (t->noffs && t->offs[t->noffs - 1].at >= at) {  /* code from `at` on was rewound */
    prev = &t->offs[t->noffs - 1];
    if (prev->at == at) break;
    t->noffs--;
    prev = NULL;
  }
  wl_ioffset e = {(uint32_t)at, t->cur_offset, t->cur_offset, t->cur_is_access};
  if (prev) {
    /* A superinstruction replaces the one at `at`: when that was a load (it runs first),
     * its access stays the trap site and this instruction's is the second one. */
    if (prev->off_is_access) e.off = prev->off;
    e.off_is_access = prev->off_is_access || t->cur_is_access;
    *prev = e;
    return;
  }
  if (t->noffs == t->cap_offs) {
    uint32_t cap = t->cap_offs ? t->cap_offs * 2 : 64;
    wl_ioffset *p = realloc(t->offs, cap * sizeof *p);
    if (!p) {
      t->oom = true;
      return;
    }
    t->offs = p;
    t->cap_offs = cap;
  }
  t->offs[t->noffs++] = e;
}
