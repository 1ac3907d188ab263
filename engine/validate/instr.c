/* Typing of single instructions. Most rows of the opcode table carry a "params:results"
 * signature and are typed generically, after their immediates (memory, table, segment
 * indices) are checked. Rows marked "*" are typed here by hand. */
#include <stdio.h>
#include <string.h>

#include "engine/features.h"
#include "engine/validate/validate_internal.h"
#include "proposals/memory64/rules.h"
#include "proposals/tail_call/rules.h"
#include "proposals/simd/rules.h"

#define I32 ((wl_valtype)0x7F)
#define FUNCREF ((wl_valtype)0x70)

static wl_valtype sig_char_type(char c) {
  switch (c) {
    case 'i': return 0x7F;
    case 'I': return 0x7E;
    case 'f': return 0x7D;
    case 'F': return 0x7C;
    case 'v': return 0x7B;
    default: return WL_TYPE_UNKNOWN;
  }
}

/* Applies a "params:results" signature: pop params right to left, push results. With
 * `addr` set, the first param (a memory address) has that type instead (memory64). */
static bool apply_signature(wl_func_validator *v, const char *sig, wl_valtype addr) {
  const char *colon = strchr(sig, ':');
  if (!colon) return wl_vfail(v, "type mismatch", "bad opcode table signature \"%s\"", sig);
  for (const char *p = colon; p-- > sig;) {
    wl_valtype t = p == sig && addr ? addr : sig_char_type(*p);
    if (!wl_pop_expect(v, t)) return false;
  }
  for (const char *p = colon + 1; *p; p++)
    if (!wl_push(v, sig_char_type(*p))) return false;
  return true;
}

/* ------------------------------------------------------------------ index checks */

/* Memory `x` exists; *addr receives its address type (i32, or i64 for a memory64 memory). */
static bool check_memory(wl_func_validator *v, uint32_t x, wl_valtype *addr) {
  v->uses_memory = true;
  if (x >= v->m->nmemories) return wl_vfail_unknown(v, "memory", x, v->m->nmemories);
  *addr = wl_memory64_address_type(&v->m->memories[x]);
  return true;
}

static bool check_table(wl_func_validator *v, uint32_t t) {
  return t < v->m->ntables || wl_vfail_unknown(v, "table", t, v->m->ntables);
}

static bool check_elem(wl_func_validator *v, uint32_t e) {
  return e < v->m->nelems || wl_vfail_unknown(v, "elem segment", e, v->m->nelems);
}

/* Code may name data segments up to the data count section's number (which the binary
 * format requires before code using them), else the data section's. */
static bool check_data(wl_func_validator *v, uint32_t d) {
  uint32_t n = v->m->has_datacount ? v->m->datacount : v->m->ndatas;
  return d < n || wl_vfail_unknown(v, "data segment", d, n);
}

static bool check_memarg(wl_func_validator *v, const wl_instr *in, unsigned mem_bytes,
                         wl_valtype *addr) {
  if (!check_memory(v, in->imm.memarg.memory, addr)) return false;
  uint32_t natural = mem_bytes >= 16 ? 4 : mem_bytes >= 8 ? 3 : mem_bytes >= 4 ? 2
                    : mem_bytes >= 2 ? 1 : 0;
  if (in->imm.memarg.align > natural)
    return wl_vfail(v, "alignment must not be larger than natural",
                    "2^%u > %u bytes", in->imm.memarg.align, mem_bytes);
  if (*addr == I32 && in->imm.memarg.offset > UINT32_MAX)
    return wl_vfail(v, "offset out of range", "offset %llu on an i32 memory",
                    (unsigned long long)in->imm.memarg.offset);
  return true;
}

/* Instructions with a memarg go by their signature, with the address in the memory's type. */
static bool type_access(wl_func_validator *v, const wl_instr *in, const wl_opinfo *info) {
  wl_valtype addr = I32;
  return check_memarg(v, in, info->mem_bytes, &addr) && apply_signature(v, info->sig, addr);
}

/* memory.size/grow/fill/copy/init: addresses and sizes in the memories' address types (a
 * copy's size is i64 only between two i64 memories). */
static bool type_memory_op(wl_func_validator *v, const wl_instr *in) {
  wl_valtype a = I32, b = I32;
  switch (in->op) {
    case WL_OP_MEMORY_SIZE: return check_memory(v, in->imm.index, &a) && wl_push(v, a);
    case WL_OP_MEMORY_GROW:
      return check_memory(v, in->imm.index, &a) && wl_pop_expect(v, a) && wl_push(v, a);
    case WL_OP_MEMORY_FILL:
      return check_memory(v, in->imm.index, &a) && wl_pop_expect(v, a) &&
             wl_pop_expect(v, I32) && wl_pop_expect(v, a);
    case WL_OP_MEMORY_COPY:
      return check_memory(v, in->imm.pair.a, &a) && check_memory(v, in->imm.pair.b, &b) &&
             wl_pop_expect(v, a == b ? a : I32) && wl_pop_expect(v, b) && wl_pop_expect(v, a);
    default: /* memory.init */
      return check_memory(v, in->imm.pair.b, &a) && check_data(v, in->imm.pair.a) &&
             wl_pop_expect(v, I32) && wl_pop_expect(v, I32) && wl_pop_expect(v, a);
  }
}

static bool check_table_types(wl_func_validator *v, wl_valtype dst, wl_valtype src) {
  if (dst == src) return true;
  return wl_vfail(v, "type mismatch", "table of %s from %s", wl_valtype_name(dst),
                  wl_valtype_name(src));
}

static bool check_lanes(wl_func_validator *v, const wl_instr *in) {
  const char *bad = wl_simd_check_lanes(in);
  return !bad || wl_vfail(v, "invalid lane index", "%s", bad);
}

/* The immediates of instructions typed by their signature. */
static bool check_immediates(wl_func_validator *v, const wl_instr *in, const wl_opinfo *info) {
  const wl_moddesc *m = v->m;
  switch (info->imm) {
    case WL_IMM_LANE:
    case WL_IMM_SHUFFLE: return check_lanes(v, in);
    case WL_IMM_DATA: return check_data(v, in->imm.index);
    case WL_IMM_ELEM: return check_elem(v, in->imm.index);
    case WL_IMM_TABLE: return check_table(v, in->imm.index);
    case WL_IMM_TABLEINIT: {
      uint32_t e = in->imm.pair.a, t = in->imm.pair.b;
      return check_table(v, t) && check_elem(v, e) &&
             check_table_types(v, m->tables[t].elemtype, m->elems[e].elemtype);
    }
    case WL_IMM_TABLECOPY: {
      uint32_t d = in->imm.pair.a, s = in->imm.pair.b;
      return check_table(v, d) && check_table(v, s) &&
             check_table_types(v, m->tables[d].elemtype, m->tables[s].elemtype);
    }
    default: return true;
  }
}

/* ------------------------------------------------------------------ calls */

/* The callee's type of call/return_call, or NULL after reporting an unknown function. */
static const wl_functype *direct_callee(wl_func_validator *v, uint32_t f) {
  v->has_calls = true;
  if (f >= v->m->nfuncs) return wl_vfail_unknown(v, "function", f, v->m->nfuncs), NULL;
  return wl_moddesc_func_type(v->m, f);
}

/* The callee's type of call_indirect/return_call_indirect, after popping the element index. */
static const wl_functype *indirect_callee(wl_func_validator *v, const wl_instr *in) {
  const wl_moddesc *m = v->m;
  uint32_t t = in->imm.call_indirect.table_index, ti = in->imm.call_indirect.type_index;
  v->has_calls = true;
  if (!check_table(v, t)) return NULL;
  if (m->tables[t].elemtype != FUNCREF)
    return wl_vfail(v, "type mismatch", "call_indirect through a table of %s",
                    wl_valtype_name(m->tables[t].elemtype)), NULL;
  if (ti >= m->ntypes) return wl_vfail_unknown(v, "type", ti, m->ntypes), NULL;
  return wl_pop_expect(v, I32) ? &m->types[ti] : NULL;
}

static bool do_call(wl_func_validator *v, const wl_functype *ft) {
  return ft && wl_pop_n(v, ft->params, ft->nparams) && wl_push_n(v, ft->results, ft->nresults);
}

/* return_call*: the callee's results become this function's, then the rest is unreachable. */
static bool do_return_call(wl_func_validator *v, const wl_functype *ft) {
  if (!ft) return false;
  if (!wl_tail_call_results_match(v->type, ft))
    return wl_vfail(v, "type mismatch", "tail call results differ from the function's");
  v->has_tail_calls = true;
  if (!wl_pop_n(v, ft->params, ft->nparams)) return false;
  wl_set_unreachable(v);
  return true;
}

/* ------------------------------------------------------------------ parametric */

static bool is_num_or_unknown(wl_valtype t) {
  return t == WL_TYPE_UNKNOWN || wl_is_numtype(t) || t == 0x7B;
}

/* Untyped select only chooses between numeric (or vector) operands of one type. */
static bool do_select(wl_func_validator *v, const wl_instr *in) {
  wl_valtype t1, t2;
  if (!wl_pop_expect(v, I32) || !wl_pop_any(v, &t1) || !wl_pop_any(v, &t2)) return false;
  if (!is_num_or_unknown(t1) || !is_num_or_unknown(t2))
    return wl_vfail(v, "type mismatch", "select without a type needs numeric operands, got %s",
                    wl_valtype_name(t1 ? t1 : t2));
  if (t1 != t2 && t1 != WL_TYPE_UNKNOWN && t2 != WL_TYPE_UNKNOWN)
    return wl_vfail(v, "type mismatch", "select operands %s and %s differ",
                    wl_valtype_name(t2), wl_valtype_name(t1));
  wl_valtype t = t1 == WL_TYPE_UNKNOWN ? t2 : t1;
  if (wl_is_vectype(t) && !wl_note_wide_op(v, in)) return false;
  return wl_push(v, t);
}

static bool do_drop(wl_func_validator *v, const wl_instr *in) {
  wl_valtype t;
  if (!wl_pop_any(v, &t)) return false;
  return !wl_is_vectype(t) || wl_note_wide_op(v, in);
}

static bool do_select_t(wl_func_validator *v, const wl_instr *in) {
  if (in->imm.valtype == 0)  /* the reader's mark for a vector not of length 1 */
    return wl_vfail(v, "invalid result arity", "typed select needs exactly one type");
  wl_valtype t = in->imm.valtype;
  return wl_pop_expect(v, I32) && wl_pop_expect(v, t) && wl_pop_expect(v, t) && wl_push(v, t);
}

/* ------------------------------------------------------------------ variables */

static bool local_type(wl_func_validator *v, uint32_t x, wl_valtype *out) {
  uint32_t np = v->type->nparams;
  if (x < np) {
    *out = v->type->params[x];
    return true;
  }
  if (x - np < v->func->nlocals) {
    *out = v->func->local_types[x - np];
    return true;
  }
  char what[64];
  snprintf(what, sizeof what, "unknown local %u", x);
  return wl_vfail(v, what, "the function has %llu locals",
                  (unsigned long long)np + v->func->nlocals);
}

static bool do_local(wl_func_validator *v, const wl_instr *in) {
  wl_valtype t = WL_TYPE_UNKNOWN;
  if (!local_type(v, in->imm.index, &t)) return false;
  switch (in->op) {
    case WL_OP_LOCAL_GET: return wl_push(v, t);
    case WL_OP_LOCAL_SET: return wl_pop_expect(v, t);
    default: return wl_pop_expect(v, t) && wl_push(v, t);  /* local.tee */
  }
}

static bool do_global(wl_func_validator *v, const wl_instr *in) {
  uint32_t g = in->imm.index;
  if (g >= v->m->nglobals) return wl_vfail_unknown(v, "global", g, v->m->nglobals);
  const wl_globaltype *gt = &v->m->global_types[g];
  if (in->op == WL_OP_GLOBAL_GET) return wl_push(v, gt->type);
  if (!gt->mutable_) return wl_vfail(v, "global is immutable", "global.set of global %u", g);
  return wl_pop_expect(v, gt->type);
}

/* ------------------------------------------------------------------ references, tables */

static bool do_ref_is_null(wl_func_validator *v) {
  wl_valtype t;
  if (!wl_pop_any(v, &t)) return false;
  if (t != WL_TYPE_UNKNOWN && !wl_is_reftype(t))
    return wl_vfail(v, "type mismatch", "ref.is_null of %s", wl_valtype_name(t));
  return wl_push(v, I32);
}

static bool do_ref_func(wl_func_validator *v, uint32_t f) {
  if (f >= v->m->nfuncs) return wl_vfail_unknown(v, "function", f, v->m->nfuncs);
  if (!v->m->declared_funcs || !v->m->declared_funcs[f])
    return wl_vfail(v, "undeclared function reference",
                    "function %u is not named in an element segment, export or global", f);
  return wl_push(v, FUNCREF);
}

static bool do_table_op(wl_func_validator *v, const wl_instr *in) {
  uint32_t t = in->imm.index;
  if (!check_table(v, t)) return false;
  wl_valtype et = v->m->tables[t].elemtype;
  switch (in->op) {
    case WL_OP_TABLE_GET: return wl_pop_expect(v, I32) && wl_push(v, et);
    case WL_OP_TABLE_SET: return wl_pop_expect(v, et) && wl_pop_expect(v, I32);
    case WL_OP_TABLE_GROW:
      return wl_pop_expect(v, I32) && wl_pop_expect(v, et) && wl_push(v, I32);
    default: /* table.fill */
      return wl_pop_expect(v, I32) && wl_pop_expect(v, et) && wl_pop_expect(v, I32);
  }
}

/* ------------------------------------------------------------------ dispatch */

static bool validate_by_hand(wl_func_validator *v, const wl_instr *in) {
  switch (in->op) {
    case WL_OP_CALL: return do_call(v, direct_callee(v, in->imm.index));
    case WL_OP_CALL_INDIRECT: return do_call(v, indirect_callee(v, in));
    case WL_OP_RETURN_CALL: return do_return_call(v, direct_callee(v, in->imm.index));
    case WL_OP_RETURN_CALL_INDIRECT: return do_return_call(v, indirect_callee(v, in));
    case WL_OP_DROP: return do_drop(v, in);
    case WL_OP_SELECT: return do_select(v, in);
    case WL_OP_SELECT_T: return do_select_t(v, in);
    case WL_OP_LOCAL_GET:
    case WL_OP_LOCAL_SET:
    case WL_OP_LOCAL_TEE: return do_local(v, in);
    case WL_OP_GLOBAL_GET:
    case WL_OP_GLOBAL_SET: return do_global(v, in);
    case WL_OP_REF_NULL: return wl_push(v, in->imm.valtype);
    case WL_OP_REF_IS_NULL: return do_ref_is_null(v);
    case WL_OP_REF_FUNC: return do_ref_func(v, in->imm.index);
    case WL_OP_TABLE_GET:
    case WL_OP_TABLE_SET:
    case WL_OP_TABLE_GROW:
    case WL_OP_TABLE_FILL: return do_table_op(v, in);
    default: return wl_validate_control(v, in);
  }
}

bool wl_validate_instr(wl_func_validator *v, const wl_instr *in) {
  if (in->op >= WL_OP_COUNT) return wl_vfail(v, "type mismatch", "unknown opcode %u", in->op);
  const wl_opinfo *info = &wl_opinfo_table[in->op];
  if (!wl_has_feature(v->features, info->feature)) {
    /* The reader already rejects these; kept so a reader bug cannot slip one through. */
    v->err = wl_err(WL_ERR_MALFORMED, "illegal opcode %s at offset 0x%x: needs %s", info->name,
                    v->instr_offset, wl_feature_name_of(info->feature));
    return false;
  }
  if (info->sig[0] == '*') return validate_by_hand(v, in);
  switch (info->imm) {
    case WL_IMM_MEMARG: return type_access(v, in, info);
    case WL_IMM_MEMLANE: return check_lanes(v, in) && type_access(v, in, info);
    case WL_IMM_MEMIDX: case WL_IMM_MEMCOPY: case WL_IMM_MEMINIT: return type_memory_op(v, in);
    default: return check_immediates(v, in, info) && apply_signature(v, info->sig, 0);
  }
}
