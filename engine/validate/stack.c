/* The operand and control stacks of the function-body validator, and its error reporting.
 * Follows the spec's validation appendix: popping below the current frame's entry height is
 * an error, unless the frame is unreachable, in which case it yields the "unknown" type. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/validate/validate_internal.h"

const char *wl_valtype_name(wl_valtype t) {
  switch (t) {
    case 0x7F: return "i32";
    case 0x7E: return "i64";
    case 0x7D: return "f32";
    case 0x7C: return "f64";
    case 0x7B: return "v128";
    case 0x70: return "funcref";
    case 0x6F: return "externref";
    case WL_TYPE_UNKNOWN: return "unknown";
    default: return "invalid type";
  }
}

/* "func[3]" or "func[3] (name)" when the name section names it. */
static void describe_func(const wl_func_validator *v, char *buf, size_t size) {
  char plain[32], named[256];
  snprintf(plain, sizeof plain, "func[%u]", v->func_index);
  const char *name = wl_moddesc_func_name(v->m, v->func_index, named, sizeof named);
  if (!name || strcmp(name, plain) == 0)
    snprintf(buf, size, "%s", plain);
  else
    snprintf(buf, size, "%s (%s)", plain, name);
}

/* Message layout: spec text first (runners match it as a prefix), then where, then detail. */
bool wl_vfail(wl_func_validator *v, const char *what, const char *detail_fmt, ...) {
  if (v->err) return false;  /* first error wins */
  char detail[256], func[300];
  va_list ap;
  va_start(ap, detail_fmt);
  vsnprintf(detail, sizeof detail, detail_fmt, ap);
  va_end(ap);
  describe_func(v, func, sizeof func);
  v->err = wl_err(WL_ERR_INVALID, "%s in %s at offset 0x%x%s%s", what, func, v->instr_offset,
                  detail[0] ? ": " : "", detail);
  return false;
}

/* "unknown local 7 in func[0] at offset 0x1f: only 2 locals" */
bool wl_vfail_unknown(wl_func_validator *v, const char *space, uint32_t index, uint32_t count) {
  char what[64];
  snprintf(what, sizeof what, "unknown %s %u", space, index);
  return wl_vfail(v, what, "the module has %u", count);
}

/* Grows *buf (elements of `size` bytes) so it holds at least `need`; doubles. */
static bool grow(wl_func_validator *v, void **buf, uint32_t *cap, uint32_t need, size_t size) {
  if (need <= *cap) return true;
  uint64_t n = *cap ? (uint64_t)*cap * 2 : 64;
  while (n < need) n *= 2;
  if (n > UINT32_MAX) n = UINT32_MAX;
  void *p = realloc(*buf, (size_t)n * size);
  if (!p) {
    if (!v->err) v->err = wl_err(WL_ERR_RESOURCE, "out of memory while validating");
    return false;
  }
  *buf = p;
  *cap = (uint32_t)n;
  return true;
}

bool wl_push(wl_func_validator *v, wl_valtype t) {
  if (v->nvals == v->vals_cap &&
      !grow(v, (void **)&v->vals, &v->vals_cap, v->nvals + 1, sizeof *v->vals))
    return false;
  v->vals[v->nvals++] = t;
  if (v->nvals > v->max_height) v->max_height = v->nvals;
  if (wl_is_vectype(t)) v->uses_v128 = true;
  return true;
}

bool wl_note_wide_op(wl_func_validator *v, const wl_instr *in) {
  if (v->nwide_ops == v->wide_ops_cap &&
      !grow(v, (void **)&v->wide_ops, &v->wide_ops_cap, v->nwide_ops + 1, sizeof *v->wide_ops))
    return false;
  v->wide_ops[v->nwide_ops++] = in->offset;
  return true;
}

bool wl_push_n(wl_func_validator *v, const wl_valtype *types, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (!wl_push(v, types[i])) return false;
  return true;
}

bool wl_pop_any(wl_func_validator *v, wl_valtype *out) {
  const wl_ctrl_frame *f = &v->ctrls[v->nctrls - 1];
  if (v->nvals == f->height) {
    *out = WL_TYPE_UNKNOWN;
    return f->unreachable || wl_vfail(v, "type mismatch", "expected a value, got nothing");
  }
  *out = v->vals[--v->nvals];
  return true;
}

bool wl_pop_expect(wl_func_validator *v, wl_valtype want) {
  const wl_ctrl_frame *f = &v->ctrls[v->nctrls - 1];
  if (v->nvals == f->height)
    return f->unreachable ||
           wl_vfail(v, "type mismatch", "expected %s, got nothing", wl_valtype_name(want));
  wl_valtype got = v->vals[--v->nvals];
  if (got == want || got == WL_TYPE_UNKNOWN || want == WL_TYPE_UNKNOWN) return true;
  return wl_vfail(v, "type mismatch", "expected %s, got %s", wl_valtype_name(want),
                  wl_valtype_name(got));
}

bool wl_pop_n(wl_func_validator *v, const wl_valtype *types, uint32_t n) {
  for (uint32_t i = n; i-- > 0;)
    if (!wl_pop_expect(v, types[i])) return false;
  return true;
}

/* Same outcome as popping `types` and pushing back what was popped, as the spec's br_table
 * rule does: the unknowns a dead stack would materialise change nothing observable. */
bool wl_peek_n(wl_func_validator *v, const wl_valtype *types, uint32_t n) {
  const wl_ctrl_frame *f = &v->ctrls[v->nctrls - 1];
  uint32_t avail = v->nvals - f->height;
  for (uint32_t k = 0; k < n; k++) {
    wl_valtype want = types[n - 1 - k];
    if (k >= avail) {
      if (f->unreachable) return true;
      return wl_vfail(v, "type mismatch", "expected %s, got nothing", wl_valtype_name(want));
    }
    wl_valtype got = v->vals[v->nvals - 1 - k];
    if (got != want && got != WL_TYPE_UNKNOWN)
      return wl_vfail(v, "type mismatch", "expected %s, got %s", wl_valtype_name(want),
                      wl_valtype_name(got));
  }
  return true;
}

bool wl_push_ctrl(wl_func_validator *v, uint16_t op, uint32_t block,
                  const wl_valtype *params, uint32_t nparams,
                  const wl_valtype *results, uint32_t nresults) {
  if (v->nctrls == v->ctrls_cap &&
      !grow(v, (void **)&v->ctrls, &v->ctrls_cap, v->nctrls + 1, sizeof *v->ctrls))
    return false;
  v->ctrls[v->nctrls++] = (wl_ctrl_frame){
      .op = op, .unreachable = false, .height = v->nvals, .block = block,
      .params = params, .results = results, .nparams = nparams, .nresults = nresults};
  return wl_push_n(v, params, nparams);
}

bool wl_pop_ctrl(wl_func_validator *v, wl_ctrl_frame *out) {
  const wl_ctrl_frame *f = &v->ctrls[v->nctrls - 1];
  if (!wl_pop_n(v, f->results, f->nresults)) return false;
  if (v->nvals != f->height)
    return wl_vfail(v, "type mismatch", "%u value(s) left on the stack at the end of the block",
                    v->nvals - f->height);
  *out = *f;
  v->nctrls--;
  return true;
}

void wl_set_unreachable(wl_func_validator *v) {
  wl_ctrl_frame *f = &v->ctrls[v->nctrls - 1];
  v->nvals = f->height;
  f->unreachable = true;
}

const wl_ctrl_frame *wl_label(wl_func_validator *v, uint32_t depth) {
  if (depth >= v->nctrls) {
    char what[64];
    snprintf(what, sizeof what, "unknown label %u", depth);
    wl_vfail(v, what, "only %u enclosing blocks", v->nctrls);
    return NULL;
  }
  return &v->ctrls[v->nctrls - 1 - depth];
}
