/* The translator: wasm function bytes (already validated) -> interpreter code (interp.h).
 *
 * One pass. The operand stack is simulated in slots: vs[h] names the slot that currently holds
 * the slot at height h. A v128 takes two heights whose entries name two consecutive slots
 * (vs[h + 1] == vs[h] + 1, both canonical or both a v128 local's), so generic moves
 * (materialising, block moves, call arguments) work slot by slot; heights, arities and local
 * indices below are in slots (wl_valtype_slots). Normally that is its canonical slot (base + h); after local.get it is the local's
 * own slot (a "virtual" entry), so the consumer reads the local directly and no copy is made.
 * Invariants:
 *  - at every control instruction (block, loop, if, else, end, br*, return) all entries are
 *    materialised (vs[i] == base + i), so every path into a label agrees on where values live;
 *  - before a local x is written, every entry still naming x is materialised;
 *  - the arguments of an import or indirect call are materialised (wl_call reads them as io;
 *    CALL_LOCAL instead names each argument's slot).
 * Branch targets are code indices while translating (code may move as it grows) and are turned
 * into addresses when the function is finished; `targets` lists every word holding one. */
#ifndef WL_INTERP_TRANSLATE_H
#define WL_INTERP_TRANSLATE_H
#include "backends/interp/interp.h"
#include "engine/decode/instr.h"

typedef enum { CTL_FUNC, CTL_BLOCK, CTL_LOOP, CTL_IF } ctl_kind;

typedef struct {
  uint8_t kind;         /* ctl_kind */
  bool dead;            /* the rest of this frame (until else/end) is unreachable */
  bool dead_frame;      /* the frame opened inside unreachable code: skip it entirely */
  bool has_incoming;    /* some forward branch targets the end of this frame */
  uint32_t height;      /* operand height below the frame's params */
  uint32_t nparams, nresults;
  size_t loop_start;    /* CTL_LOOP: code index of the loop head */
  int64_t fwd_chain;    /* forward branch target words to patch at end, chained; -1 = none */
  int64_t else_word;    /* CTL_IF: the BR_UNLESS target word, until else/end patches it */
  /* Locals surely written (translator.assigned): at the frame's start (CTL_IF: for the else
   * arm), and on every path reaching its end so far (each forward branch to it intersects). */
  uint64_t assigned_at_start, assigned_at_end;
} ctl_frame;

typedef struct translator {
  const wl_moddesc *m;
  const wl_imodule *im;
  const void *const *handlers;
  uint32_t features;
  bool metered;
  const wl_costs *costs;  /* metering: what each instruction adds to its run's CHARGE */
  bool fast_paths;        /* operand folding and fusions; off with WASMLAB_INTERP_SLOW=1 */
  bool oom;
  /* Function being translated. */
  const wl_funcdef *fd;
  const wl_functype *type;
  uint32_t base;          /* param + local slots: slot of operand height 0 */
  uint32_t frame_slots;   /* the function's wl_ifunc.frame_slots (where a callee's record goes) */
  uint32_t *local_slot;   /* slot of every local when some local is a v128; NULL = identity */
  uint32_t next_block;    /* index of the next wl_block_info to consume */
  uint32_t next_wide;     /* index of the next wl_func_facts.wide_ops entry */
  /* Output. */
  wl_iword *code;
  size_t n, cap;
  size_t *targets;
  size_t ntargets, cap_targets;
  /* Simulated operand stack. */
  int64_t *vs;
  uint32_t h;
  /* Control frames. */
  ctl_frame *ctl;
  uint32_t nctl, cap_ctl;
  /* Peephole state: index of the dst word of the last emitted instruction when that
   * instruction wrote the top of stack to its canonical slot and nothing followed; else -1. */
  int64_t last_dst;
  /* Index of the instruction word before the last emitted instruction's start (for fusing a
   * compare into br_if); -1 when not fusable. */
  int64_t last_cmp;
  uint16_t last_cmp_op;   /* the wl_opcode of that compare */
  bool last_cmp_imm;      /* it is the _IMM form */
  /* When the last instruction is an i32.eqz of the value the compare right before it
   * produced (same canonical slot): that compare's start, op and form; else eqz_cmp = -1. */
  int64_t eqz_cmp;
  uint16_t eqz_cmp_op;
  bool eqz_cmp_imm;
  /* Start of the last emitted instruction when it is a plain f64 add/sub/mul that the next
   * one may pair with (F64_<op1>_<op2>); -1 after any other emission, rewind or label. A
   * local.set retargeting its dst keeps it. */
  int64_t pair_at;
  /* Start of the last i32 add/sub of a constant that a local.set retargeted to a local, for
   * pairing with the next one that is (I32_ADDI2); -1 after a label or a rewind below it. */
  int64_t addi_at;
  /* Start of the last CONST emitted, for folding it into an f64 compare + branch right after
   * it (K_BR_*_F64_*); -1 after a label or a rewind to it or below. */
  int64_t const_at;
  int64_t prev_const_at;  /* a CONST right before that one (back in const_at if it is taken) */
  /* Which declared locals need zeroing at entry (wl_ifunc.nzero): `assigned` has bit j set
   * when declared local j (< 64) is written on every path to the current instruction
   * (structured definite assignment: see ctl_frame.assigned_at_end); a local.get of a local
   * not surely written raises zero_end, the end slot of the locals a call must zero. */
  uint64_t assigned;
  uint32_t zero_end;
  size_t label_at;        /* code index of the last label (nothing before it fuses with after) */
  int64_t charge_word;    /* metering: the count word of the current CHARGE, or -1 */
  /* Trap backtraces: the wasm instruction being translated (module offset, and whether it is
   * a load or store), and the offset table tr_emit_op builds (wl_ioffset, interp.h). */
  uint32_t cur_offset;
  bool cur_is_access;
  wl_ioffset *offs;
  uint32_t noffs, cap_offs;
} translator;

/* translate.c: emission and stack simulation */
size_t tr_emit_op(translator *t, wl_iop op);
/* Forgets the peephole state (last_dst, last_cmp, eqz_cmp): called by every instruction start,
 * label and rewrite of emitted code; tr_rewind(t, at) also removes the code from `at` on. */
void tr_forget(translator *t);
/* offsets.c: notes that an instruction starts at code word `at` (dropping the entries of
 * rewound code; a fusion replacing the instruction at `at` keeps its trap site). */
void tr_note_offset(translator *t, size_t at);
void tr_rewind(translator *t, size_t at);
/* tr_rewind for a fusion whose instruction cannot trap: the trap-site entry of the
 * instruction at `at` goes too. */
void tr_rewind_untrapping(translator *t, size_t at);
/* The index of code[at]'s handler among the ops first..last, or -1. */
int tr_handler_index(const translator *t, size_t at, wl_iop first, wl_iop last);
void tr_emit(translator *t, int64_t word);
void tr_emit_ptr(translator *t, const void *p);
void tr_emit_target(translator *t, size_t code_index);
void tr_emit_return(translator *t, int64_t src, uint32_t n);
void tr_note_result(translator *t, size_t dst_word);
bool tr_take_const(translator *t, int64_t slot, int64_t *bits);
/* translate_memory.c: if the instruction just emitted is an I32_ADD_IMM/SUB_IMM computing
 * `addr` (a canonical slot the caller pops), removes it; *a and *c give addr = a + c (mod 2^32). */
/* translate_numeric.c: the instruction at `at` (ending at the code's end) was just
 * retargeted to write a local; pairs two such i32 add/sub of a constant in a row. */
void tr_pair_addi(translator *t, size_t at);
/* translate_numeric.c: folds the add/sub of a constant that addi_at names, when it ends right
 * at the fused i32 compare + branch [BR_IF_I32_*, x, y] at `at` (target not yet emitted). */
void tr_fuse_addi_branch(translator *t, size_t at);
bool tr_take_add_imm(translator *t, int64_t addr, int64_t *a, uint32_t *c);
/* Whether `memory` is on the fast path: memory 0 with i32 addresses (cached base and size). */
bool tr_is_fast_memory(const translator *t, uint32_t memory);
static inline int64_t tr_slot(const translator *t, uint32_t height) { return (int64_t)t->base + height; }
/* Local x's (first) slot, and whether it is a v128. */
static inline int64_t tr_local(const translator *t, uint32_t x) {
  return t->local_slot ? t->local_slot[x] : x;
}
bool tr_local_is_v128(const translator *t, uint32_t x);
/* Whether the drop/select `in` has v128 operands (from the validator's facts; call in order). */
bool tr_wide_op(translator *t, const wl_instr *in);
/* Pushes/pops one v128 (two slot heights); the pop returns its first slot. */
int64_t tr_push_v128(translator *t);
int64_t tr_pop_v128(translator *t);
int64_t tr_pop(translator *t);
/* Pushes a value written by the next instruction to its canonical slot; returns that slot. */
int64_t tr_push(translator *t);
void tr_materialize(translator *t, uint32_t height);
void tr_materialize_all(translator *t);
void tr_materialize_top(translator *t, uint32_t n);
void tr_new_run(translator *t);
static inline ctl_frame *tr_top(translator *t) { return &t->ctl[t->nctl - 1]; }
/* translate_variable.c: local.set/tee and local.get of local `index` for `assigned`. */
void tr_note_local_write(translator *t, uint32_t index);

/* Group translators: each returns false for an opcode outside its group. */
bool tr_control(translator *t, const wl_instr *in);
bool tr_call(translator *t, const wl_instr *in);
bool tr_variable(translator *t, const wl_instr *in);
bool tr_memory(translator *t, const wl_instr *in);
bool tr_table(translator *t, const wl_instr *in);
bool tr_numeric(translator *t, const wl_instr *in);
bool tr_simd(translator *t, const wl_instr *in);
/* translate_simd.c: i64.or of i64x2.extract_lane 0 and 1 of one vector, just emitted. */
bool tr_fuse_or_lanes(translator *t, int64_t dst, int64_t a, int64_t b);
/* translate_memory.c: fuses the f64.load just emitted into the arithmetic consuming it. */
bool tr_fuse_load_arith(translator *t, uint16_t op, int64_t dst, int64_t a, int64_t b);
bool tr_fuse_mul_mul(translator *t, int64_t dst, int64_t a, int64_t b);
void tr_push_ctl(translator *t, ctl_kind kind, uint32_t height, uint32_t np, uint32_t nr);
/* Dead-code skipping: handles block nesting while the current frame is unreachable. */
void tr_dead(translator *t, const wl_instr *in);

#endif
