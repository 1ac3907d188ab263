/* LLVM setup, optimization and object emission, and the compiler library's one export
 * (wasmlab_aot_compiler). One target machine per optimization level is created on first use
 * and reused for every module (per-module overhead matters for the spec suites' thousands of
 * small modules). */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Support.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "backends/aot/llvm/aot_ir.h"
#include "backends/aot/llvm/aot_pipeline.h"

static pthread_once_t llvm_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t tm_lock = PTHREAD_MUTEX_INITIALIZER;
static LLVMTargetMachineRef machines[4];
static char *host_cpu, *host_features, *host_triple;

/* The host's features with AVX-512 off ("-avx512f" turns off every extension that needs it):
 * with it, LLVM folds a guest load into an AVX-512 masked move that skips the access, and
 * so its trap, for masked-off lanes (aot_memory.c aot_guest_load). Wasm SIMD is 128 bits:
 * SSE4/AVX2 cover it. */
static char *without_avx512(char *features) {
  static const char off[] = ",-avx512f";
  size_t n = strlen(features);
  char *s = malloc(n + sizeof off);  /* kept for the process, as LLVM's string was */
  if (!s) return features;
  memcpy(s, features, n);
  memcpy(s + n, off, sizeof off);
  LLVMDisposeMessage(features);
  return s;
}

static void init_llvm(void) {
  LLVMInitializeNativeTarget();
  LLVMInitializeNativeAsmPrinter();
  host_cpu = LLVMGetHostCPUName();
  host_features = without_avx512(LLVMGetHostCPUFeatures());
  host_triple = LLVMGetDefaultTargetTriple();
  /* Code generator options, process-wide (LLVM's command line), no machine code changes:
   * - The debug info is line tables for backtraces (aot_debug.c), no variables, so "Live
   *   DEBUG_VALUE analysis" has nothing to place, yet its default (instruction-referencing)
   *   form still builds value tables for every register and block: 3.8% of code generation
   *   on a partition of bench/large, 1.8% in the older variable-location form chosen here.
   * - Instructions made without a location (x86 unfolding a load it had folded builds it
   *   without one) get a line-0 row of their own instead of running on in the previous
   *   row's line, so aot_trace.c can tell and take the next row's, their user's
   *   (llvm/aot_debug.c, "folded loads").
   * WASMLAB_AOT_TIMING=passes adds LLVM's own report per pass after each pipeline run. */
  const char *argv[4] = {"wasmlab", "-experimental-debug-variable-locations=false",
                         "-use-unknown-locations=Enable"};
  int argc = 3;
  const char *timing = getenv("WASMLAB_AOT_TIMING");
  if (timing && !strcmp(timing, "passes")) argv[argc++] = "-time-passes";
  LLVMParseCommandLineOptions(argc, argv, NULL);
}

static const LLVMCodeGenOptLevel codegen_levels[4] = {
    LLVMCodeGenLevelNone, LLVMCodeGenLevelLess, LLVMCodeGenLevelDefault,
    LLVMCodeGenLevelAggressive};

/* O2 modules of several partitions take the code generator's O1 (Less): on x86-64 it differs
 * from O2 only by the post-RA list scheduler (llc-19 -O1 and -O2 -post-RA-scheduler=false
 * give the same object on a bench/large partition), 6.7% of its code generation time. Its
 * work is instruction order and register renaming; on bench/large's own code the run-time
 * difference was below this machine's noise (bench/RESULTS.md, issue 16). One-partition
 * modules (every bench program, the spec suites) keep O2's. */
uint32_t aot_codegen_level(uint32_t opt, uint32_t nparts) {
  return opt == 2 && nparts > 1 ? 1 : opt;
}

wl_error *aot_new_target_machine(uint32_t codegen, LLVMTargetMachineRef *out) {
  pthread_once(&llvm_once, init_llvm);
  LLVMTargetRef target;
  char *msg = NULL;
  *out = NULL;
  if (LLVMGetTargetFromTriple(host_triple, &target, &msg)) {
    wl_error *e = wl_err(WL_ERR_UNSUPPORTED, "aot: no LLVM target for %s: %s", host_triple,
                         msg ? msg : "?");
    LLVMDisposeMessage(msg);
    return e;
  }
  *out = LLVMCreateTargetMachine(target, host_triple, host_cpu, host_features,
                                 codegen_levels[codegen], LLVMRelocPIC, LLVMCodeModelDefault);
  return *out ? NULL : wl_err(WL_ERR_UNSUPPORTED, "aot: cannot create an LLVM target machine");
}

wl_error *aot_target_machine(uint32_t codegen, LLVMTargetMachineRef *out) {
  pthread_mutex_lock(&tm_lock);
  wl_error *err = machines[codegen] ? NULL : aot_new_target_machine(codegen, &machines[codegen]);
  *out = machines[codegen];
  pthread_mutex_unlock(&tm_lock);
  return err;
}

const char *aot_host_triple(void) {
  pthread_once(&llvm_once, init_llvm);
  return host_triple;
}

static wl_error *llvm_error(const char *what, char *msg) {
  wl_error *e = wl_err(WL_ERR_UNSUPPORTED, "aot: %s: %s", what, msg ? msg : "?");
  LLVMDisposeMessage(msg);
  return e;
}

wl_error *aot_optimize(LLVMModuleRef mod, LLVMTargetMachineRef tm, uint32_t opt,
                       bool whole_module) {
  if (getenv("WASMLAB_AOT_VERIFY")) {
    char *msg = NULL;
    if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg)) return llvm_error("invalid IR", msg);
    LLVMDisposeMessage(msg);
  }
  static const char *const pipelines[4] = {AOT_PIPELINE_O0, AOT_PIPELINE_O1, AOT_PIPELINE_O2_PARTS,
                                           "default<O3>"};
  LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
  const char *pipeline = opt == 2 && whole_module ? AOT_PIPELINE_O2_MODULE : pipelines[opt];
  LLVMErrorRef err = LLVMRunPasses(mod, pipeline, tm, opts);
  LLVMDisposePassBuilderOptions(opts);
  if (err) return llvm_error("optimization failed", LLVMGetErrorMessage(err));
  return NULL;
}

wl_error *aot_emit_object(LLVMModuleRef mod, LLVMTargetMachineRef tm, uint8_t **obj,
                          size_t *len) {
  LLVMMemoryBufferRef buf = NULL;
  char *msg = NULL;
  if (LLVMTargetMachineEmitToMemoryBuffer(tm, mod, LLVMObjectFile, &msg, &buf))
    return llvm_error("code generation failed", msg);
  *len = LLVMGetBufferSize(buf);
  *obj = malloc(*len ? *len : 1);
  if (*obj) memcpy(*obj, LLVMGetBufferStart(buf), *len);
  LLVMDisposeMemoryBuffer(buf);
  return *obj ? NULL : wl_err(WL_ERR_RESOURCE, "out of memory");
}

/* The stack pointer register llvm.read_register knows on this host, or NULL (then the
 * prologue uses llvm.frameaddress). */
const char *aot_sp_register(void) {
  pthread_once(&llvm_once, init_llvm);
  if (!strncmp(host_triple, "x86_64", 6)) return "rsp";
  if (!strncmp(host_triple, "aarch64", 7)) return "sp";
  return NULL;
}

/* The library's only exported symbol; the engine checks iface, version and layout before
 * calling anything. */
__attribute__((visibility("default"))) const aot_compiler wasmlab_aot_compiler = {
    .iface = AOT_COMPILER_IFACE,
    .layout = aot_layout_fingerprint,
    .version = WASMLAB_VERSION,
    .compile_object = aot_compile_partitions,
#ifdef WASMLAB_HAVE_LLD
    .link = aot_lld_link,
#endif
};
