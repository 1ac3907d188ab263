/* Instruction sequences: function bodies and constant expressions, read with the shared
 * instruction reader. Besides each instruction's own encoding, the binary grammar fixes the
 * nesting: every block/loop/if closes with `end`, `else` only inside an `if` (once), and the
 * sequence itself closes with `end` ("END opcode expected" otherwise, as the spec's decoder
 * reports when it meets an `else` where it expects an `end`). */
#include <stdlib.h>

#include "engine/decode/decoder.h"
#include "engine/decode/instr.h"

enum { FRAME_BLOCK, FRAME_IF, FRAME_ELSE };

typedef struct {
  uint8_t *kinds;
  uint32_t depth, cap;
} frame_stack;

static bool push_frame(frame_stack *s, uint8_t kind) {
  if (s->depth == s->cap) {
    uint32_t cap = s->cap ? s->cap * 2 : 16;
    uint8_t *grown = realloc(s->kinds, cap);
    if (!grown) return false;
    s->kinds = grown;
    s->cap = cap;
  }
  s->kinds[s->depth++] = kind;
  return true;
}

/* Applies one instruction's effect on the nesting. Sets *done at the sequence's own `end`. */
static wl_error *track_nesting(wl_decoder *d, frame_stack *s, const wl_instr *in,
                               const uint8_t *at, bool *done) {
  switch (in->op) {
  case WL_OP_BLOCK:
  case WL_OP_LOOP:
    if (!push_frame(s, FRAME_BLOCK)) return wl_err(WL_ERR_RESOURCE, "out of memory");
    return NULL;
  case WL_OP_IF:
    if (!push_frame(s, FRAME_IF)) return wl_err(WL_ERR_RESOURCE, "out of memory");
    return NULL;
  case WL_OP_ELSE:
    if (s->depth == 0 || s->kinds[s->depth - 1] != FRAME_IF)
      return wl_dec_error(d, at, "END opcode expected");
    s->kinds[s->depth - 1] = FRAME_ELSE;
    return NULL;
  case WL_OP_END:
    if (s->depth == 0) *done = true;
    else s->depth--;
    return NULL;
  default:
    return NULL;
  }
}

static wl_error *read_sequence(wl_decoder *d, bool is_body) {
  wl_code_reader r;
  uint32_t base = wl_dec_offset(d, d->p);
  wl_code_reader_init(&r, d->p, (uint32_t)(d->end - d->p), d->features, base);
  frame_stack frames = {0};
  wl_error *e = NULL;
  bool done = false;
  while (!e && !done) {
    wl_instr in;
    const uint8_t *at = r.p;
    e = wl_read_instr(&r, &in);
    if (!e) e = track_nesting(d, &frames, &in, at, &done);
    if (is_body && (in.op == WL_OP_MEMORY_INIT || in.op == WL_OP_DATA_DROP))
      d->uses_data_ops = true;
  }
  free(frames.kinds);
  d->p = r.p;
  return e;
}

wl_error *wl_dec_instr_seq(wl_decoder *d) {
  return read_sequence(d, true);
}

wl_error *wl_dec_constexpr(wl_decoder *d, wl_constexpr *out) {
  const uint8_t *start = d->p;
  wl_error *e = read_sequence(d, false);
  if (e) return e;
  out->code = start;
  out->len = (uint32_t)(d->p - start);
  out->offset = wl_dec_offset(d, start);
  return NULL;
}
