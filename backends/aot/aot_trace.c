/* Trap backtraces of AOT code. The translator gives every instruction a debug line equal
 * to its module offset and every function unwind tables (backends/aot/llvm/aot_debug.c), so
 * on a trap (the trap helper, the raise after a failed helper, or a fault) this file unwinds
 * the native stack with the system unwinder (_Unwind_Backtrace, through the signal frame
 * for a fault), keeps the return addresses inside the artifact, and maps each to its wasm
 * frames with elfutils' libdw: the line, then the chain of inlined calls (each
 * DW_TAG_inlined_subroutine's call line is the call's offset in the function it was inlined
 * into). libdw is loaded with dlopen at the first trace, so runs that do not trap never load
 * it and running code pays nothing. Without libdw, traps work and carry no frames. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unwind.h>

#include "backends/aot/aot.h"
#include "engine/runtime/trace.h"

/* ---------------------------------------------------------------- libdw, loaded on demand */

#define DW_FUNCS(X)                                                                   \
  X(dwfl_begin) X(dwfl_end) X(dwfl_report_begin) X(dwfl_report_elf) X(dwfl_report_end) \
  X(dwfl_addrmodule) X(dwfl_module_nextcu) X(dwfl_build_id_find_elf)                  \
  X(dwfl_standard_find_debuginfo) X(dwfl_offline_section_address)                     \
  X(dwarf_getsrc_die) X(dwarf_lineno) X(dwarf_lineaddr) X(dwarf_child)               \
  X(dwarf_siblingof)                                                                  \
  X(dwarf_haspc) X(dwarf_tag) X(dwarf_attr_integrate) X(dwarf_formstring)             \
  X(dwarf_formudata)

static struct {
#define X(f) __typeof__(f) *f;
  DW_FUNCS(X)
#undef X
} dw;
static bool dw_ok;
static pthread_once_t dw_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t dw_lock = PTHREAD_MUTEX_INITIALIZER;
static Dwfl_Callbacks dw_callbacks;

static void dw_load(void) {
  void *h = dlopen("libdw.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!h) return;
#define X(f) if (!(dw.f = (__typeof__(f) *)dlsym(h, #f))) return;
  DW_FUNCS(X)
#undef X
  dw_callbacks.find_elf = dw.dwfl_build_id_find_elf;
  dw_callbacks.find_debuginfo = dw.dwfl_standard_find_debuginfo;
  dw_callbacks.section_address = dw.dwfl_offline_section_address;
  dw_ok = true;
}

/* The artifact's line-table reader, opened at its first trace. */
static Dwfl_Module *lines_of(aot_code *c) {
  pthread_once(&dw_once, dw_load);
  if (!dw_ok || !c->path) return NULL;
  if (!c->lines) {
    Dwfl *d = dw.dwfl_begin(&dw_callbacks);
    if (!d) return NULL;
    dw.dwfl_report_begin(d);
    Dwfl_Module *m = dw.dwfl_report_elf(d, "aot", c->path, -1, c->bias, false);
    dw.dwfl_report_end(d, NULL, NULL);
    if (!m) {
      dw.dwfl_end(d);
      return NULL;
    }
    c->lines = d;
  }
  /* the one module reported: the one holding the artifact's code */
  return dw.dwfl_addrmodule(c->lines, c->code_lo);
}

void aot_trace_release(aot_code *c) {
  if (c->lines && dw_ok) dw.dwfl_end(c->lines);
  c->lines = NULL;
}

/* ---------------------------------------------------------------- pc -> wasm frames */

/* "f12" -> 12; an "entry12" wrapper or anything else is not a wasm frame. */
static bool func_index_of(Dwarf_Die *die, uint32_t *index) {
  Dwarf_Attribute a;
  const char *name = dw.dwarf_formstring(dw.dwarf_attr_integrate(die, DW_AT_name, &a));
  if (!name || name[0] != 'f') return false;
  char *end;
  unsigned long v = strtoul(name + 1, &end, 10);
  if (end == name + 1 || *end) return false;
  *index = (uint32_t)v;
  return true;
}

#define MAX_INLINE 64

/* The subprogram and inlined calls containing pc below `parent`, outermost first (lexical
 * blocks are looked through). dwarf_getscopes would follow an inlined instance's abstract
 * origin instead of the function it was inlined into. */
static int chain_at(Dwarf_Die *parent, Dwarf_Addr pc, Dwarf_Die *chain, int n) {
  Dwarf_Die child;
  if (dw.dwarf_child(parent, &child) != 0) return n;
  do {
    int tag = dw.dwarf_tag(&child);
    if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine &&
        tag != DW_TAG_lexical_block)
      continue;
    if (dw.dwarf_haspc(&child, pc) != 1) continue;
    if (tag != DW_TAG_lexical_block && n < MAX_INLINE) chain[n++] = child;
    return chain_at(&child, pc, chain, n);
  } while (dw.dwarf_siblingof(&child, &child) == 0);
  return n;
}

/* The compile unit holding pc: an artifact has one per partition (llvm/aot_partition.c) and
 * no .debug_aranges to search, so each unit's range is asked in turn. */
static Dwarf_Die *cu_at(Dwfl_Module *mod, uintptr_t pc, Dwarf_Addr *bias) {
  for (Dwarf_Die *cu = dw.dwfl_module_nextcu(mod, NULL, bias); cu;
       cu = dw.dwfl_module_nextcu(mod, cu, bias))
    if (dw.dwarf_haspc(cu, pc - *bias) == 1) return cu;
  return NULL;
}

/* A line-0 row at a fault is an instruction code generation made without a location: x86
 * unfolding a load it had folded into its user puts the load, locationless, just before the
 * user, whose location is the load's (llvm/aot_debug.c, "folded loads"). So the frames are
 * those of the next row starting within an instruction's length (x86: at most 15 bytes);
 * returns an address in it (or pc, line 0, when there is none). */
static uintptr_t next_row(Dwarf_Die *cu, Dwarf_Line *zero, uintptr_t pc, Dwarf_Addr bias,
                          int *line) {
  Dwarf_Addr start;
  if (dw.dwarf_lineaddr(zero, &start) != 0) return pc;
  for (uintptr_t a = pc + 1; a <= pc + 15; a++) {
    Dwarf_Line *l = dw.dwarf_getsrc_die(cu, a - bias);
    Dwarf_Addr at;
    int n = 0;
    if (!l || dw.dwarf_lineaddr(l, &at) != 0 || at == start) continue;
    if (dw.dwarf_lineno(l, &n) != 0 || n == 0) return pc;
    *line = n;
    return a;
  }
  return pc;
}

/* Pushes the wasm frames at `pc` (an address inside the instruction), innermost first: the
 * line is the innermost one's offset (or `first` with use_first; skip_first drops it), each
 * inlined call's call line the offset in the function it was inlined into. */
static void push_frames_at(wl_exec *ex, const wl_moddesc *m, Dwfl_Module *mod, uintptr_t pc,
                           bool use_first, uint32_t first, bool skip_first) {
  Dwarf_Addr bias = 0;
  Dwarf_Die *cu = cu_at(mod, pc, &bias);
  if (!cu) return;
  int line = 0;
  Dwarf_Line *l = dw.dwarf_getsrc_die(cu, pc - bias);
  if (l) dw.dwarf_lineno(l, &line);
  if (l && line == 0 && !use_first) pc = next_row(cu, l, pc, bias, &line);
  uint32_t off = use_first ? first : (uint32_t)line;
  Dwarf_Die chain[MAX_INLINE];
  int n = chain_at(cu, pc - bias, chain, 0);
  bool skip = skip_first;
  for (int i = n - 1; i >= 0; i--) {
    uint32_t index;
    if (!func_index_of(&chain[i], &index)) break;  /* an entry wrapper: the outermost */
    if (!skip) wl_trace_push(ex, m, index, off);
    skip = false;
    Dwarf_Attribute a;
    Dwarf_Word call_line = 0;
    if (dw.dwarf_tag(&chain[i]) != DW_TAG_inlined_subroutine ||
        dw.dwarf_formudata(dw.dwarf_attr_integrate(&chain[i], DW_AT_call_line, &a), &call_line) != 0)
      break;
    off = (uint32_t)call_line;  /* where the enclosing function called this one */
  }
}

/* ---------------------------------------------------------------- unwinding */

#define MAX_NATIVE_FRAMES (WL_TRACE_MAX * 2)

typedef struct {
  aot_code *code;      /* the artifact whose frames are collected (the first one met) */
  uintptr_t pcs[MAX_NATIVE_FRAMES];  /* inside the instruction: a fault's, or the call's */
  uint32_t n;
} collector;

static void trace_fault(const void *data, wl_exec *ex, uintptr_t pc, uintptr_t sp);

static _Unwind_Reason_Code collect(struct _Unwind_Context *ctx, void *arg) {
  collector *c = arg;
  int before = 0;
  uintptr_t ip = (uintptr_t)_Unwind_GetIPInfo(ctx, &before);
  if (!ip) return _URC_END_OF_STACK;
  if (!before) ip--;  /* a return address: the call is the instruction before it (a noreturn
                       * call may end the code) */
  if (!c->code) {
    wl_native_tracer t;
    const void *data;
    if (wl_native_code_tracer(ip, &t, &data) && t == trace_fault) c->code = (aot_code *)data;
    else return _URC_NO_REASON;  /* the helper's and signal handler's own frames */
  }
  if (ip < c->code->code_lo || ip >= c->code->code_hi) return _URC_END_OF_STACK;  /* boundary */
  c->pcs[c->n] = ip;
  return ++c->n == MAX_NATIVE_FRAMES ? _URC_END_OF_STACK : _URC_NO_REASON;
}

/* Maps the collected return addresses (and fault pc) to wasm frames: with `have_first`,
 * `first` is the innermost frame's offset (an explicit trap site), or NO_OFFSET for a
 * prologue's stack check (that frame is not entered yet: the caller's call is the site, as
 * in the interpreter). */
static void symbolize(wl_exec *ex, collector *c, bool have_first, uint32_t first) {
  pthread_mutex_lock(&dw_lock);
  Dwfl_Module *mod = c->code && c->n ? lines_of(c->code) : NULL;
  for (uint32_t i = 0; mod && c->code->module && i < c->n; i++) {
    uintptr_t pc = c->pcs[i];
    bool innermost = i == 0;
    push_frames_at(ex, c->code->module, mod, pc, innermost && have_first && first != WL_TRACE_NO_OFFSET,
                   first, innermost && have_first && first == WL_TRACE_NO_OFFSET);
  }
  pthread_mutex_unlock(&dw_lock);
}

static void trace_here(wl_exec *ex, bool have_first, uint32_t first) {
  if (!wl_trace_wanted(ex)) return;
  collector *c = calloc(1, sizeof *c);
  if (!c) return;
  _Unwind_Backtrace(collect, c);
  symbolize(ex, c, have_first, first);
  free(c);
}

/* A fault: the unwinder starts from the signal frame itself; reading the debug info waits
 * for the boundary (wl_native_defer), off the small signal stack. */
static __thread collector *pending;

static void finish_fault_trace(wl_exec *ex) {
  collector *c = pending;
  pending = NULL;
  if (!c) return;
  symbolize(ex, c, false, 0);
  free(c);
}

static void trace_fault(const void *data, wl_exec *ex, uintptr_t pc, uintptr_t sp) {
  (void)data, (void)pc, (void)sp;
  if (!wl_trace_wanted(ex) || pending) return;
  collector *c = calloc(1, sizeof *c);
  if (!c) return;
  _Unwind_Backtrace(collect, c);
  pending = c;
  wl_native_defer(finish_fault_trace);
}

_Noreturn void aot_trap_at(wl_exec *ex, uint32_t kind, uint32_t offset) {
  wl_trap(ex, (wl_trap_kind)kind);
  trace_here(ex, true, offset);
  wl_native_raise(ex);
}

_Noreturn void aot_raise(wl_exec *ex) {
  trace_here(ex, false, 0);
  wl_native_raise(ex);
}

void aot_trace_register(aot_code *c) {
  wl_native_register_code_traced(c->code_lo, c->code_hi, trace_fault, c);
}
