/* WASMLAB_JIT_DUMP=1: each function's machine code disassembled with capstone, each wasm
 * instruction's offset in the module binary (and its name) printed before the code it became.
 * capstone is dlopened here, only when a dump is asked for, so neither the engine nor an
 * embedder links it. */
#include <capstone/capstone.h>
#include <dlfcn.h>
#include <inttypes.h>
#include <stdio.h>

#include "backends/jit/jit.h"

typedef struct {
  cs_err (*open)(cs_arch, cs_mode, csh *);
  size_t (*disasm)(csh, const uint8_t *, size_t, uint64_t, size_t, cs_insn **);
  void (*free)(cs_insn *, size_t);
  cs_err (*close)(csh *);
  csh h;
} capstone;

static bool load_capstone(capstone *c) {
  void *dl = dlopen("libcapstone.so.4", RTLD_NOW | RTLD_LOCAL);
  if (!dl) dl = dlopen("libcapstone.so", RTLD_NOW | RTLD_LOCAL);
  if (!dl) return false;
  *(void **)&c->open = dlsym(dl, "cs_open");
  *(void **)&c->disasm = dlsym(dl, "cs_disasm");
  *(void **)&c->free = dlsym(dl, "cs_free");
  *(void **)&c->close = dlsym(dl, "cs_close");
  return c->open && c->disasm && c->free && c->close &&
         c->open(CS_ARCH_X86, CS_MODE_64, &c->h) == CS_ERR_OK;
}

static void dump_range(capstone *c, const uint8_t *code, size_t from, size_t to) {
  cs_insn *insn = NULL;
  size_t n = c->disasm(c->h, code + from, to - from, from, 0, &insn);
  for (size_t i = 0; i < n; i++)
    fprintf(stderr, "    %6" PRIx64 "  %s %s\n", insn[i].address, insn[i].mnemonic,
            insn[i].op_str);
  if (insn) c->free(insn, n);
}

/* Where function `defined`'s code ends: the next body, or the end of the module's code. */
static size_t body_end(const jit_compiler *c, uint32_t defined) {
  const wl_moddesc *m = c->m;
  return defined + 1 < m->nfuncs - m->nfunc_imports ? c->body_pos[defined + 1] : c->a.len;
}

void jit_dump(const jit_compiler *c, const uint8_t *code) {
  capstone cs;
  if (!load_capstone(&cs)) {
    fprintf(stderr, "jit: WASMLAB_JIT_DUMP needs libcapstone (not found)\n");
    return;
  }
  const wl_moddesc *m = c->m;
  const jit_list *l = &c->lines;
  char name[64];
  for (uint32_t i = 0; i + JIT_LINE_FIELDS <= l->count; i += JIT_LINE_FIELDS) {
    const size_t *line = &l->items[i];
    uint32_t func = (uint32_t)line[1], defined = func - m->nfunc_imports;
    if (i == 0 || line[1 - JIT_LINE_FIELDS] != func) {  /* a new function: its prologue first */
      fprintf(stderr, "jit: %s\n", wl_moddesc_func_name(m, func, name, sizeof name));
      dump_range(&cs, code, c->body_pos[defined], line[0]);
    }
    bool last = i + JIT_LINE_FIELDS >= l->count || line[JIT_LINE_FIELDS + 1] != func;
    size_t end = last ? body_end(c, defined) : line[JIT_LINE_FIELDS];
    fprintf(stderr, "  @%06zx %s\n", line[2], wl_opinfo_table[line[3]].name);
    dump_range(&cs, code, line[0], end);
  }
  cs.close(&cs.h);
}
