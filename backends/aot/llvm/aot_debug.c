/* Debug line tables for trap backtraces: every native function gets a DISubprogram named
 * "f<index>" (the uniform wrappers "entry<index>"), and every instruction the DILocation
 * line = the module offset of the wasm instruction it came from. LLVM keeps them through
 * optimization, inlining included (DW_TAG_inlined_subroutine with the call's line), so the
 * runtime (backends/aot/aot_trace.c) maps any pc to the wasm frames there, innermost first.
 * No variables or types, only functions and lines: codegen does not change, and nothing
 * runs for them. */
#include <llvm-c/DebugInfo.h>
#include <stdio.h>
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
