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
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "backends/aot/llvm/aot_ir.h"

static pthread_once_t llvm_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t tm_lock = PTHREAD_MUTEX_INITIALIZER;
static LLVMTargetMachineRef machines[4];
static char *host_cpu, *host_features, *host_triple;

static void init_llvm(void) {
  LLVMInitializeNativeTarget();
  LLVMInitializeNativeAsmPrinter();
  host_cpu = LLVMGetHostCPUName();
  host_features = LLVMGetHostCPUFeatures();
  host_triple = LLVMGetDefaultTargetTriple();
}

static wl_error *target_machine(uint32_t opt, LLVMTargetMachineRef *out) {
  pthread_once(&llvm_once, init_llvm);
  pthread_mutex_lock(&tm_lock);
  if (!machines[opt]) {
    LLVMTargetRef target;
    char *msg = NULL;
    if (LLVMGetTargetFromTriple(host_triple, &target, &msg)) {
      pthread_mutex_unlock(&tm_lock);
      wl_error *e = wl_err(WL_ERR_UNSUPPORTED, "aot: no LLVM target for %s: %s", host_triple,
                           msg ? msg : "?");
      LLVMDisposeMessage(msg);
      return e;
    }
    static const LLVMCodeGenOptLevel levels[4] = {
        LLVMCodeGenLevelNone, LLVMCodeGenLevelLess, LLVMCodeGenLevelDefault,
        LLVMCodeGenLevelAggressive};
    machines[opt] = LLVMCreateTargetMachine(target, host_triple, host_cpu, host_features,
                                            levels[opt], LLVMRelocPIC, LLVMCodeModelDefault);
  }
  *out = machines[opt];
  pthread_mutex_unlock(&tm_lock);
  return *out ? NULL : wl_err(WL_ERR_UNSUPPORTED, "aot: cannot create an LLVM target machine");
}

static wl_error *llvm_error(const char *what, char *msg) {
  wl_error *e = wl_err(WL_ERR_UNSUPPORTED, "aot: %s: %s", what, msg ? msg : "?");
  LLVMDisposeMessage(msg);
  return e;
}

static wl_error *optimize(LLVMModuleRef mod, LLVMTargetMachineRef tm, uint32_t opt) {
  if (getenv("WASMLAB_AOT_VERIFY")) {
    char *msg = NULL;
    if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg)) return llvm_error("invalid IR", msg);
    LLVMDisposeMessage(msg);
  }
  /* O0 still promotes locals to SSA: unoptimized allocas make much slower code for no gain. */
  static const char *const pipelines[4] = {"function(mem2reg)", "default<O1>", "default<O2>",
                                           "default<O3>"};
  LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
  LLVMErrorRef err = LLVMRunPasses(mod, pipelines[opt], tm, opts);
  LLVMDisposePassBuilderOptions(opts);
  if (err) return llvm_error("optimization failed", LLVMGetErrorMessage(err));
  return NULL;
}

static wl_error *emit(LLVMModuleRef mod, LLVMTargetMachineRef tm, uint8_t **obj, size_t *len) {
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
static const char *sp_register(void) {
  if (!strncmp(host_triple, "x86_64", 6)) return "rsp";
  if (!strncmp(host_triple, "aarch64", 7)) return "sp";
  return NULL;
}

static wl_error *compile_object(const wl_moddesc *m, uint32_t features, uint32_t opt_level,
                                const wl_costs *costs, uint8_t **obj, size_t *obj_len) {
  *obj = NULL;
  if (opt_level > 3) opt_level = 3;
  LLVMTargetMachineRef tm;
  double t = aot_clock();
  wl_error *err = target_machine(opt_level, &tm);
  if (err) return err;
  aot_report_phase("setup", t);
  aot_module am = {0};
  am.m = m;
  am.features = features;
  am.metered = costs != NULL;
  am.costs = costs;
  am.sp_register = sp_register();
  am.ctx = LLVMContextCreate();
  am.mod = LLVMModuleCreateWithNameInContext("wasm", am.ctx);
  LLVMSetTarget(am.mod, host_triple);
  LLVMTargetDataRef layout = LLVMCreateTargetDataLayout(tm);
  LLVMSetModuleDataLayout(am.mod, layout);
  LLVMDisposeTargetData(layout);
  t = aot_clock();
  err = aot_translate_module(&am);
  aot_report_phase("translate", t);
  if (!err && getenv("WASMLAB_AOT_DUMP")) LLVMDumpModule(am.mod);
  t = aot_clock();
  if (!err) err = optimize(am.mod, tm, opt_level);
  aot_report_phase("optimize", t);
  if (!err && getenv("WASMLAB_AOT_DUMP")) LLVMDumpModule(am.mod);
  t = aot_clock();
  if (!err) err = emit(am.mod, tm, obj, obj_len);
  aot_report_phase("codegen", t);
  LLVMDisposeModule(am.mod);
  LLVMContextDispose(am.ctx);
  return err;
}

/* The library's only exported symbol; the engine checks iface, version and layout before
 * calling anything. */
__attribute__((visibility("default"))) const aot_compiler wasmlab_aot_compiler = {
    .iface = AOT_COMPILER_IFACE,
    .layout = aot_layout_fingerprint,
    .version = WASMLAB_VERSION,
    .compile_object = compile_object,
};
