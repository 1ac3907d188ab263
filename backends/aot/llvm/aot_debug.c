/* Debug line tables for trap backtraces: every native function gets a DISubprogram named
 * "f<index>" (the uniform wrappers "entry<index>"), and every instruction the DILocation
 * line = the module offset of the wasm instruction it came from. LLVM keeps them through
 * optimization, inlining included (DW_TAG_inlined_subroutine with the call's line), so the
 * runtime (backends/aot/aot_trace.c) maps any pc to the wasm frames there, innermost first.
 * No variables or types, only functions and lines: codegen does not change, and nothing
 * runs for them. */
#include <llvm-c/DebugInfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/aot/llvm/aot_ir.h"

void aot_debug_begin(aot_module *am) {
  am->dib = LLVMCreateDIBuilder(am->mod);
  am->di_file = LLVMDIBuilderCreateFile(am->dib, "module.wasm", 11, "", 0);
  LLVMDIBuilderCreateCompileUnit(am->dib, LLVMDWARFSourceLanguageC11, am->di_file, "wasmlab", 7,
                                 1, "", 0, 0, "", 0, LLVMDWARFEmissionFull, 0, 0, 0,
                                 "", 0, "", 0);
  am->di_type = LLVMDIBuilderCreateSubroutineType(am->dib, am->di_file, NULL, 0, LLVMDIFlagZero);
  LLVMMetadataRef version = LLVMValueAsMetadata(LLVMConstInt(am->i32, LLVMDebugMetadataVersion(), 0));
  LLVMAddModuleFlag(am->mod, LLVMModuleFlagBehaviorWarning, "Debug Info Version", 18, version);
  LLVMMetadataRef dwarf = LLVMValueAsMetadata(LLVMConstInt(am->i32, 4, 0));
  LLVMAddModuleFlag(am->mod, LLVMModuleFlagBehaviorWarning, "Dwarf Version", 13, dwarf);
}

void aot_debug_function(aot_module *am, LLVMValueRef f, const char *prefix, uint32_t index,
                        uint32_t line) {
  char name[32];
  int n = snprintf(name, sizeof name, "%s%u", prefix, index);
  size_t len = strlen(LLVMGetValueName(f));
  am->di_scope = LLVMDIBuilderCreateFunction(am->dib, am->di_file, name, (size_t)n,
                                             LLVMGetValueName(f), len, am->di_file, line,
                                             am->di_type, 1, 1, line, LLVMDIFlagZero, 1);
  LLVMSetSubprogram(f, am->di_scope);
  aot_debug_at(am, line);
}

void aot_debug_at(aot_module *am, uint32_t line) {
  LLVMMetadataRef loc = LLVMDIBuilderCreateDebugLocation(am->ctx, line, 0, am->di_scope, NULL);
  LLVMSetCurrentDebugLocation2(am->b, loc);
}

void aot_debug_end_function(aot_module *am) {
  LLVMSetCurrentDebugLocation2(am->b, NULL);
  am->di_scope = NULL;
}

void aot_debug_finish(aot_module *am) {
  LLVMDIBuilderFinalize(am->dib);
  LLVMDisposeDIBuilder(am->dib);
  am->dib = NULL;
}

/* ---------------------------------------------------------------- folded loads
 *
 * x86 instruction selection folds a guest load into the instruction that uses it (`addsd
 * (mem), %xmm0`, `cmpl %eax, (mem)`, `cvtsi2sdl (mem)`, `popcntl (mem)`, the read-modify-
 * write `addl %eax, (mem)`), and the folded instruction carries the debug location of the
 * user, the root of the matched pattern. A fault in such an access is the load's trap, but
 * its pc mapped to the user's offset (harness/test_backtrace.py). So, after optimization and
 * before code generation, every user that cannot fault by itself takes the location of the
 * guest load it may have folded; code generation never reads locations, so the machine code
 * is the same.
 *
 * Which load: instruction selection works one basic block at a time, and guest loads are
 * volatile, so the block's loads are chained in program order. A load folded into U must
 * have no other path to U, so it comes after every load that U's operands depend on within
 * the block: it is the latest one. Each non-faulting instruction therefore takes the latest
 * guest load among its operands and, since selection also absorbs whole operand trees (a
 * compare into its branch or select, an extension into its load, fadd of an fneg into
 * subsd), among the loads its non-faulting operands took. An instruction that folds nothing
 * still cannot fault, so whatever it takes is never reported. The faulting instructions
 * (calls, other loads, stores, the checked divisions and truncations) keep their own
 * location; a store does too, except when it writes exactly the bytes a load of its value
 * read (same pointer, same type): that is the read-modify-write pattern, and such a store
 * cannot fault once the load succeeded, folded or not.
 *
 * Per block: the latest load of each instruction that has one, in a pointer hash map whose
 * entries are stamped with a per-block generation (no clearing). */

typedef struct {
  LLVMValueRef key, load;
  uint32_t gen, pos;
} fold_entry;

typedef struct {
  fold_entry *e;
  uint32_t cap, used, gen;  /* cap: a power of two; used: entries of generation gen */
} fold_map;

static fold_entry *fold_slot(fold_map *m, LLVMValueRef key) {
  uintptr_t h = (uintptr_t)key;
  h ^= h >> 17;
  h *= 0x9e3779b97f4a7c15ull;
  for (uint32_t i = (uint32_t)(h >> 40) & (m->cap - 1);; i = (i + 1) & (m->cap - 1))
    if (m->e[i].gen != m->gen || m->e[i].key == key) return &m->e[i];
}

static const fold_entry *fold_find(fold_map *m, LLVMValueRef v) {
  if (!m->cap || !LLVMIsAInstruction(v)) return NULL;
  fold_entry *s = fold_slot(m, v);
  return s->gen == m->gen ? s : NULL;
}

static bool fold_put(fold_map *m, LLVMValueRef key, LLVMValueRef load, uint32_t pos) {
  if ((m->used + 1) * 2 > m->cap) {  /* grow, keeping this generation's entries */
    uint32_t cap = m->cap ? m->cap * 2 : 256;
    fold_map n = {calloc(cap, sizeof *n.e), cap, 0, 1};
    if (!n.e) return false;
    for (uint32_t i = 0; i < m->cap; i++) {
      if (m->e[i].gen != m->gen) continue;
      *fold_slot(&n, m->e[i].key) = (fold_entry){m->e[i].key, m->e[i].load, 1, m->e[i].pos};
      n.used++;
    }
    free(m->e);
    *m = n;
  }
  fold_entry *s = fold_slot(m, key);
  if (s->gen != m->gen) m->used++;
  *s = (fold_entry){key, load, m->gen, pos};
  return true;
}

static bool is_guest_load(LLVMValueRef i) { return LLVMIsALoadInst(i) && LLVMGetVolatile(i); }

/* An instruction that cannot fault or trap by itself: arithmetic (not the divisions, whose
 * traps are explicit checks in front of them but which keep their site), compares, select,
 * casts (not float -> int truncation, likewise), vector element operations, and calls of
 * intrinsics that touch no memory. */
static bool cannot_fault(LLVMValueRef i, unsigned memory_kind) {
  switch (LLVMGetInstructionOpcode(i)) {
    case LLVMAdd: case LLVMFAdd: case LLVMSub: case LLVMFSub: case LLVMMul: case LLVMFMul:
    case LLVMFDiv: case LLVMShl: case LLVMLShr: case LLVMAShr: case LLVMAnd: case LLVMOr:
    case LLVMXor: case LLVMFNeg: case LLVMTrunc: case LLVMZExt: case LLVMSExt:
    case LLVMUIToFP: case LLVMSIToFP: case LLVMFPTrunc: case LLVMFPExt: case LLVMBitCast:
    case LLVMICmp: case LLVMFCmp: case LLVMSelect: case LLVMExtractElement:
    case LLVMInsertElement: case LLVMShuffleVector: case LLVMExtractValue: case LLVMFreeze:
      return true;
    case LLVMCall: {
      LLVMValueRef callee = LLVMGetCalledValue(i);
      if (!LLVMIsAFunction(callee) || !LLVMGetIntrinsicID(callee)) return false;
      LLVMAttributeRef mem = LLVMGetEnumAttributeAtIndex(callee, LLVMAttributeFunctionIndex,
                                                         memory_kind);
      return mem && LLVMGetEnumAttributeValue(mem) == 0;  /* memory(none) */
    }
    default: return false;
  }
}

/* The latest guest load among i's first n operands and the loads they took, or NULL. */
static const fold_entry *latest_load(fold_map *m, LLVMValueRef i, unsigned n) {
  const fold_entry *best = NULL;
  for (unsigned k = 0; k < n; k++) {
    const fold_entry *e = fold_find(m, LLVMGetOperand(i, k));
    if (e && (!best || e->pos > best->pos)) best = e;
  }
  return best;
}

static void take_location(LLVMValueRef i, LLVMValueRef load) {
  LLVMMetadataRef loc = LLVMInstructionGetDebugLoc(load);
  if (loc) LLVMInstructionSetDebugLoc(i, loc);
}

/* A select lowers to a test or compare of its condition and a cmov; when x86 unfolds the
 * cmov's load again, the load has no location (a line-0 row: aot_trace.c takes the next
 * row's) and sits before the compare, so a compare used only by the select takes its site. */
static void select_condition(LLVMValueRef select, LLVMBasicBlockRef bb, LLVMValueRef load) {
  LLVMValueRef c = LLVMGetOperand(select, 0);
  if (!(LLVMIsAICmpInst(c) || LLVMIsAFCmpInst(c)) || LLVMGetInstructionParent(c) != bb) return;
  LLVMUseRef use = LLVMGetFirstUse(c);
  if (use && !LLVMGetNextUse(use)) take_location(c, load);
}

static void fold_sites_of_block(fold_map *m, LLVMBasicBlockRef bb, unsigned memory_kind) {
  m->gen++, m->used = 0;
  uint32_t pos = 0;
  for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i), pos++) {
    if (is_guest_load(i)) {
      if (!fold_put(m, i, i, pos)) return;
    } else if (!m->used) {
      continue;  /* no guest load in the block so far: nothing to take */
    } else if (cannot_fault(i, memory_kind)) {
      unsigned n = (unsigned)LLVMGetNumOperands(i);
      if (LLVMIsACallInst(i)) n--;  /* the callee */
      const fold_entry *e = latest_load(m, i, n);
      if (!e) continue;
      take_location(i, e->load);
      if (LLVMIsASelectInst(i)) select_condition(i, bb, e->load);
      if (!fold_put(m, i, e->load, e->pos)) return;
    } else if ((LLVMIsABranchInst(i) && LLVMIsConditional(i)) || LLVMIsASwitchInst(i)) {
      const fold_entry *e = latest_load(m, i, 1);  /* cmp/test (mem) on the condition */
      if (e) take_location(i, e->load);
    } else if (LLVMIsAStoreInst(i) && LLVMGetVolatile(i)) {  /* read-modify-write */
      LLVMValueRef v = LLVMGetOperand(i, 0);
      const fold_entry *e = fold_find(m, v);
      if (e && LLVMGetOperand(e->load, 0) == LLVMGetOperand(i, 1) &&
          LLVMTypeOf(e->load) == LLVMTypeOf(v))
        take_location(i, e->load);
    }
  }
}

void aot_debug_fold_sites(LLVMModuleRef mod) {
  fold_map m = {0};
  unsigned memory_kind = LLVMGetEnumAttributeKindForName("memory", 6);
  for (LLVMValueRef f = LLVMGetFirstFunction(mod); f; f = LLVMGetNextFunction(f))
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(f); bb; bb = LLVMGetNextBasicBlock(bb))
      fold_sites_of_block(&m, bb, memory_kind);
  free(m.e);
}
