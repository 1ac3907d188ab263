/* The baseline JIT (wl_backend): compile = one forward pass per function into one code
 * buffer (jit_function.c), direct calls patched once every body's position is known, then
 * copied into a fresh mapping that is made executable (never writable and executable at
 * once) and registered with the native runtime's signal handler. The mapping is freed with
 * the module's code.
 *
 * Environment: WASMLAB_JIT_DUMP=1 prints each function's machine code (jit_dump.c);
 * WASMLAB_JIT_TIMING=1 prints the compile time (thread CPU time) and code size of each module. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "backends/jit/jit.h"

/* enter(rdi ex, rsi inst, rdx frame, rcx membase, r8 body): the C-convention door into JIT
 * code, at offset 0 of every module's code. */
static void emit_enter_thunk(x64_asm *a) {
  static const x64_reg saved[] = {X64_RBX, X64_RBP, X64_R12, X64_R13, X64_R14, X64_R15};
  for (unsigned i = 0; i < 6; i++) x64_push(a, saved[i]);
  x64_alu_ri(a, X64_SUB, true, X64_RSP, 8);  /* 8 + 6 pushes + 8: aligned at the call */
  x64_mov_rr(a, true, JIT_EX, X64_RDI);
  x64_mov_rr(a, true, JIT_INST, X64_RSI);
  x64_mov_rr(a, true, JIT_FP, X64_RDX);
  x64_mov_rr(a, true, JIT_MEM, X64_RCX);
  x64_call_r(a, X64_R8);
  x64_alu_ri(a, X64_ADD, true, X64_RSP, 8);
  for (unsigned i = 6; i-- > 0;) x64_pop(a, saved[i]);
  x64_ret(a);
}

/* Thread CPU time: compile times stay meaningful on a loaded machine. */
static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static bool env_on(const char *name) {
  const char *v = getenv(name);
  return v && *v && strcmp(v, "0") != 0;
}

static bool types_have_v128(const wl_valtype *t, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (wl_is_vectype(t[i])) return true;
  return false;
}

/* Whether any frame of the module may hold a v128 (a param, result, local or operand): then
 * every frame uses 16-byte cells, so direct calls between its functions agree. */
static bool module_uses_v128(const wl_moddesc *m) {
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const wl_functype *t = &m->types[i];
    if (types_have_v128(t->params, t->nparams) || types_have_v128(t->results, t->nresults))
      return true;
  }
  for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++) {
    const wl_funcdef *d = &m->funcs[i];
    if (d->facts.uses_v128 || types_have_v128(d->local_types, d->nlocals)) return true;
  }
  return false;
}

static wl_error *emit_module(jit_compiler *c) {
  const wl_moddesc *m = c->m;
  emit_enter_thunk(&c->a);
  for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++) {
    wl_error *err = jit_compile_function(c, i);
    if (err) return err;
  }
  for (uint32_t i = 0; i + 1 < c->call_sites.count; i += 2)
    x64_patch(&c->a, c->call_sites.items[i], c->body_pos[c->call_sites.items[i + 1]]);
  return c->a.oom ? wl_err(WL_ERR_RESOURCE, "jit: out of memory") : NULL;
}

/* The code in a new mapping, written while RW and then switched to RX. */
static wl_error *map_code(const x64_asm *a, jit_code *code) {
  size_t page = 4096, size = (a->len + page - 1) / page * page;
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return wl_err(WL_ERR_RESOURCE, "jit: cannot map code memory");
  memcpy(p, a->buf, a->len);
  if (mprotect(p, size, PROT_READ | PROT_EXEC) != 0) {
    munmap(p, size);
    return wl_err(WL_ERR_RESOURCE, "jit: cannot make code executable");
  }
  code->mem = p;
  code->size = size;
  return NULL;
}

static jit_code *new_code(const wl_moddesc *m) {
  jit_code *code = calloc(1, sizeof *code);
  uint32_t n = m->nfuncs - m->nfunc_imports;
  if (!code || !(code->funcs = calloc(n ? n : 1, sizeof *code->funcs))) {
    free(code);
    return NULL;
  }
  code->nfunc_imports = m->nfunc_imports;
  code->ndefined = n;
  return code;
}

static void bind_bodies(jit_code *code, const wl_moddesc *m, const size_t *body_pos) {
  for (uint32_t i = 0; i < code->ndefined; i++) {
    const wl_functype *t = wl_moddesc_func_type(m, m->nfunc_imports + i);
    code->funcs[i] = (jit_func_code){code, code->mem + body_pos[i], t->nparams, t->nresults};
  }
}

static void free_compiler(jit_compiler *c) {
  x64_free(&c->a);
  free(c->body_pos);
  free(c->call_sites.items);
  free(c->lines.items);
  free(c->pcs.items);
}

static void jit_free_code(void *p) {
  jit_code *code = p;
  if (!code) return;
  if (code->mem) {
    wl_native_unregister_code((uintptr_t)code->mem);
    munmap(code->mem, code->size);
  }
  jit_trace_free(code);
  free(code->funcs);
  free(code);
}

static wl_error *jit_compile(wl_engine *e, const wl_moddesc *m, void **out) {
  *out = NULL;
  const wl_config *cfg = wl_engine_config(e);
  double t0 = now();
  jit_compiler c = {0};
  x64_init(&c.a);
  c.engine = e;
  c.m = m;
  c.features = cfg->features;
  c.metered = cfg->fuel_limit != 0;
  c.costs = &cfg->costs;
  c.dump = env_on("WASMLAB_JIT_DUMP");
  c.cell = module_uses_v128(m) ? JIT_V128_CELL : 8;
  uint32_t ndefined = m->nfuncs - m->nfunc_imports;
  c.body_pos = calloc(ndefined ? ndefined : 1, sizeof *c.body_pos);
  jit_code *code = c.body_pos ? new_code(m) : NULL;
  wl_error *err = code ? emit_module(&c) : wl_err(WL_ERR_RESOURCE, "out of memory");
  if (!err) err = map_code(&c.a, code);
  if (!err) jit_trace_finish(&c, code, c.body_pos);  /* registers the code's range */
  if (!err) {
    code->cell = c.cell;
    bind_bodies(code, m, c.body_pos);
    if (c.dump) jit_dump(&c, code->mem);
    if (env_on("WASMLAB_JIT_TIMING"))
      fprintf(stderr, "jit: %zu bytes of wasm -> %zu bytes of code in %.3f ms (CPU)\n",
              m->len, c.a.len, (now() - t0) * 1e3);
    *out = code;
  } else {
    jit_free_code(code);
  }
  free_compiler(&c);
  return err;
}

/* The uniform entry: args from io into a frame at ex->sp, the body inside a native boundary,
 * results back to io. */
static void run_body(wl_exec *ex, wl_func *f, wl_slot *io) {
  const jit_func_code *fc = f->code;
  wl_slot *frame = ex->sp;
  bool cells = fc->module->cell == JIT_V128_CELL;
  if (cells)
    jit_cells_from_slots((uint8_t *)frame, io, f->type->params, fc->nparams);
  else
    memcpy(frame, io, fc->nparams * sizeof *io);
  wl_memory *mem = f->instance->mem0;
  ((jit_enter_fn)(void *)fc->module->mem)(ex, f->instance, frame, mem ? mem->base : NULL,
                                          fc->body);
  if (cells)
    jit_slots_from_cells(io, (const uint8_t *)frame, f->type->results, fc->nresults);
  else
    memcpy(io, frame, fc->nresults * sizeof *io);
}

static bool jit_entry(wl_exec *ex, wl_func *f, wl_slot *io) {
  const jit_func_code *fc = f->code;
  wl_slot *sp = ex->sp;
  if (sp + fc->nparams * (fc->module->cell / 8) > ex->stack_end)
    return wl_trap(ex, WL_TRAP_STACK_EXHAUSTED);
  bool ok = wl_native_boundary(ex, f, io, run_body);
  ex->sp = sp;
  return ok;
}

static void jit_bind_func(void *p, wl_func *f) {
  jit_code *code = p;
  jit_func_code *fc = &code->funcs[f->index - code->nfunc_imports];
  f->code = fc;
  f->entry = jit_entry;
  f->native = fc->body;
}

/* Generated code has no bounds checks: its memory must have the full guard reservation. */
static wl_error *jit_instance_init(void *code, wl_instance *inst) {
  (void)code;
  return wl_native_check_instance(inst, "jit");
}

/* The code uses SSE4.1 rounding, popcnt, lzcnt and tzcnt. */
static bool jit_usable(char *why, size_t size) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("popcnt") &&
      __builtin_cpu_supports("lzcnt") && __builtin_cpu_supports("bmi"))
    return true;
  snprintf(why, size, "jit needs an x86-64 CPU with SSE4.1, POPCNT, LZCNT and BMI1");
  return false;
}

const wl_backend wl_jit_backend = {
    .name = "jit",
    .usable = jit_usable,
    .compile = jit_compile,
    .free_code = jit_free_code,
    .bind_func = jit_bind_func,
    .instance_init = jit_instance_init,
};
