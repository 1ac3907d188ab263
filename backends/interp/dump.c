/* A readable listing of translated code, for debugging the translator:
 *   WASMLAB_INTERP_DUMP=1 prints every function as it is compiled (stderr). */
#include <stdio.h>
#include <stdlib.h>

#include "backends/interp/interp.h"

static const char *const iop_names[IOP_COUNT] = {
#define IOP(n) [IOP_##n] = #n,
#define UNOP(n) [IOP_##n] = #n,
#define BINOP(n) [IOP_##n] = #n, [IOP_##n##_IMM] = #n "_IMM",
#define LOADOP(n) [IOP_##n] = #n, [IOP_##n##_ADDI] = #n "_ADDI", [IOP_##n##_ABS] = #n "_ABS",
#define STOREOP(n)                                                        \
  [IOP_##n] = #n, [IOP_##n##_IMM] = #n "_IMM", [IOP_##n##_ABS] = #n "_ABS", \
  [IOP_##n##_ADDI] = #n "_ADDI",
#include "backends/interp/ops.def"
};

static int handler_op(const void *h) {
  const void *const *handlers = wl_interp_handlers();
  for (int k = 0; k < IOP_COUNT; k++)
    if (handlers[k] == h) return k;
  return -1;
}

bool wl_interp_dump_enabled(void) {
  const char *v = getenv("WASMLAB_INTERP_DUMP");
  return v && *v && *v != '0';
}

/* Prints one word per column: handler names at instruction starts, raw operand values (and
 * code offsets for words that point into the function) otherwise. A word that happens to
 * equal a handler address is shown as a handler; good enough for a debugging aid. */
void wl_interp_dump(const wl_ifunc *fn, uint32_t index, FILE *out) {
  fprintf(out, "func %u: params %u locals %u (zeroed %u) results %u frame %u words %zu\n", index,
          fn->nparams, fn->nlocals, fn->nzero, fn->nresults, fn->frame_slots, fn->ncode);
  for (size_t k = 0; k < fn->ncode; k++) {
    const wl_iword *w = &fn->code[k];
    int op = handler_op(w->h);
    if (op >= 0) {
      fprintf(out, "%s%5zu  %s", k ? "\n" : "", k, iop_names[op]);
    } else if (w->h >= (const void *)fn->code && w->h < (const void *)(fn->code + fn->ncode)) {
      fprintf(out, " @%td", (const wl_iword *)w->h - fn->code);
    } else {
      fprintf(out, " %lld", (long long)w->i);
    }
  }
  fprintf(out, "\n");
}
