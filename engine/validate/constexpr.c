/* Constant expressions (global initialisers, segment offsets, element expressions).
 * t.const, ref.null, ref.func and global.get of an imported immutable global are constant,
 * and with extended-const i32/i64 add, sub and mul (proposals/extended_const). The expression
 * is typed on a small operand stack and is valid when it leaves exactly one value of the
 * expected type. */
#include <stdio.h>
#include <stdlib.h>

#include "engine/validate/validate_internal.h"
#include "proposals/extended_const/rules.h"

typedef struct {
  const wl_moddesc *m;
  uint32_t features;
  const char *where;
  uint32_t offset;      /* module offset of the current instruction */
  uint8_t *declared;
  wl_valtype *stack;    /* room for one value per byte of the expression */
  uint32_t height;
} const_ctx;

static wl_error *const_fail(const const_ctx *c, const char *what, const char *detail) {
  return wl_err(WL_ERR_INVALID, "%s in %s at offset 0x%x: %s", what, c->where, c->offset,
                detail);
}

static wl_error *const_unknown(const const_ctx *c, const char *space, uint32_t index,
                               const char *detail) {
  char what[64];
  snprintf(what, sizeof what, "unknown %s %u", space, index);
  return const_fail(c, what, detail);
}

/* global.get in a constant expression sees only imported globals, and only immutable ones. */
static wl_error *const_global(const const_ctx *c, uint32_t g, wl_valtype *type) {
  if (g >= c->m->nglobal_imports)
    return const_unknown(c, "global", g, "constant expressions see only imported globals");
  const wl_globaltype *gt = &c->m->global_types[g];
  if (gt->mutable_)
    return const_fail(c, "constant expression required", "global.get of a mutable global");
  *type = gt->type;
  return NULL;
}

static wl_error *const_ref_func(const const_ctx *c, uint32_t f) {
  if (f >= c->m->nfuncs) return const_unknown(c, "function", f, "no such function");
  if (c->declared) c->declared[f] = 1;
  return NULL;
}

/* extended-const arithmetic: pops two operands of the instruction's type. */
static wl_error *const_binary(const_ctx *c, const wl_instr *in, wl_valtype *type) {
  wl_valtype t = wl_opinfo_table[in->op].sig[0] == 'i' ? 0x7F : 0x7E;
  if (c->height < 2 || c->stack[c->height - 1] != t || c->stack[c->height - 2] != t) {
    char detail[96];
    snprintf(detail, sizeof detail, "%s needs two %s operands", wl_opinfo_table[in->op].name,
             wl_valtype_name(t));
    return const_fail(c, "type mismatch", detail);
  }
  c->height -= 2;
  *type = t;
  return NULL;
}

/* Types one instruction into *type; *type stays 0 for the final end. */
static wl_error *const_instr(const_ctx *c, const wl_instr *in, wl_valtype *type) {
  switch (in->op) {
    case WL_OP_I32_CONST: *type = 0x7F; return NULL;
    case WL_OP_I64_CONST: *type = 0x7E; return NULL;
    case WL_OP_F32_CONST: *type = 0x7D; return NULL;
    case WL_OP_F64_CONST: *type = 0x7C; return NULL;
    case WL_OP_V128_CONST: *type = 0x7B; return NULL;
    case WL_OP_REF_NULL: *type = in->imm.valtype; return NULL;
    case WL_OP_REF_FUNC: *type = 0x70; return const_ref_func(c, in->imm.index);
    case WL_OP_GLOBAL_GET: return const_global(c, in->imm.index, type);
    case WL_OP_END: return NULL;
    default: {
      if (wl_extended_const_instr(in->op, c->features)) return const_binary(c, in, type);
      char detail[96];
      snprintf(detail, sizeof detail, "%s is not constant", wl_opinfo_table[in->op].name);
      return const_fail(c, "constant expression required", detail);
    }
  }
}

static wl_error *check_result(const const_ctx *c, wl_valtype want) {
  if (c->height == 1 && c->stack[0] == want) return NULL;
  char detail[96];
  if (c->height == 1)
    snprintf(detail, sizeof detail, "expected %s, got %s", wl_valtype_name(want),
             wl_valtype_name(c->stack[0]));
  else
    snprintf(detail, sizeof detail, "expected one %s, got %u values", wl_valtype_name(want),
             c->height);
  return const_fail(c, "type mismatch", detail);
}

static wl_error *type_expr(const_ctx *c, const wl_constexpr *ce, wl_valtype want) {
  wl_code_reader r;
  wl_code_reader_init(&r, ce->code, ce->len, c->features, ce->offset);
  for (;;) {
    wl_instr in;
    wl_error *e = wl_read_instr(&r, &in);
    if (e) return e;
    c->offset = ce->offset + in.offset;
    wl_valtype t = 0;
    if ((e = const_instr(c, &in, &t))) return e;
    if (in.op == WL_OP_END) return check_result(c, want);
    c->stack[c->height++] = t;  /* at most one push per instruction byte */
  }
}

wl_error *wl_validate_constexpr(const wl_moddesc *m, uint32_t features, const wl_constexpr *ce,
                                wl_valtype want, const char *where, uint8_t *declared) {
  const_ctx c = {m, features, where, ce->offset, declared, NULL, 0};
  c.stack = malloc(ce->len + 1);
  if (!c.stack) return wl_err(WL_ERR_RESOURCE, "out of memory while validating %s", where);
  wl_error *e = type_expr(&c, ce, want);
  free(c.stack);
  return e;
}
