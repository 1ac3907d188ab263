/* The AOT backend's internal interface: the ABI between generated code and the engine, the
 * loaded artifact, and the pieces of the compile pipeline (translate -> optimize -> emit ->
 * link -> cache -> load). Only backends/aot/ and engine/cli/compile.c include this.
 *
 * Two halves: the runtime (the .c files directly in backends/aot/, part of libwasmlab: keys,
 * cache, linking, loading, the invoke boundary, signals) never touches LLVM; the compiler
 * (backends/aot/llvm/, built as the shared object AOT_COMPILER_LIB) holds everything that
 * does, and is dlopened only when a module must actually be compiled. */
#ifndef WL_AOT_H
#define WL_AOT_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/backend.h"

extern const wl_backend wl_aot_backend;

/* ---------------------------------------------------------------- ABI with generated code
 *
 * Generated code never refers to an address of the host process. It receives (wl_exec *ex,
 * wl_instance *inst) in every function and reaches the engine through the exported table
 * `wasmlab_aot_rt` (AOT_RT_COUNT pointers) that the loader fills right after dlopen.
 * Struct fields are reached by byte offsets baked in at compile time; aot_abi_fingerprint()
 * hashes every such offset into the artifact key, so a build with another layout never runs
 * an old artifact. */
typedef enum {
  AOT_RT_TRAP,             /* noreturn void (wl_exec *, uint32_t kind) */
  AOT_RT_RAISE,            /* noreturn void (wl_exec *): a helper already recorded the trap */
  AOT_RT_CALL,             /* bool wl_call */
  AOT_RT_INDIRECT_TARGET,  /* wl_func *wl_indirect_target */
  AOT_RT_MEMORY_GROW,      /* int32_t wl_memory_grow_pages */
  AOT_RT_ENTRY,            /* the AOT trampoline: a callee whose entry is this is AOT code */
  AOT_RT_MEMORY_COPY,
  AOT_RT_MEMORY_FILL,
  AOT_RT_MEMORY_INIT,
  AOT_RT_DATA_DROP,
  AOT_RT_TABLE_INIT,
  AOT_RT_ELEM_DROP,
  AOT_RT_TABLE_COPY,
  AOT_RT_TABLE_GET,
  AOT_RT_TABLE_SET,
  AOT_RT_TABLE_GROW,
  AOT_RT_TABLE_FILL,
  AOT_RT_COUNT
} aot_rt_index;

/* Names of the symbols an artifact exports. */
#define AOT_SYM_RT "wasmlab_aot_rt"        /* void *[AOT_RT_COUNT], filled by the loader */
#define AOT_SYM_FUNCS "wasmlab_aot_funcs"  /* aot_func_ptrs[ndefined] */
#define AOT_SYM_NFUNCS "wasmlab_aot_nfuncs" /* uint32_t */

/* Per defined function: the uniform wrapper and the native-convention function. */
typedef void (*aot_entry_fn)(wl_exec *ex, wl_instance *inst, wl_slot *io);
typedef struct {
  aot_entry_fn entry;  /* void entry_N(ex, inst, io): io -> args, results -> io */
  void *native;        /* results fN(ex, inst, params...) */
} aot_func_ptrs;

/* What ex->unwind points to while AOT code runs. Generated prologues load `stack_limit`
 * (offset 0): a frame below it traps as "call stack exhausted". */
typedef struct aot_unwind {
  uintptr_t stack_limit;    /* must stay first: generated code reads it at offset 0 */
  sigjmp_buf jb;
  volatile int signal_trap; /* wl_trap_kind set by the signal handler before it jumps */
  struct aot_unwind *prev;
} aot_unwind;

uint64_t aot_abi_fingerprint(void);

/* ---------------------------------------------------------------- key and hashing */

typedef struct {
  uint8_t h[32];
} aot_digest;

void aot_sha256(const void *data, size_t len, aot_digest *out);

/* Everything an artifact depends on. Equal keys <=> interchangeable artifacts. */
typedef struct {
  aot_digest module_hash;   /* SHA-256 of the module bytes */
  uint64_t module_len;
  uint32_t features;
  uint32_t opt_level;
  uint64_t abi;             /* aot_abi_fingerprint() */
  char version[16];         /* WASMLAB_VERSION */
  uint64_t build_stamp;     /* size and mtime of the runtime binary and the compiler library */
  char cpu[64];             /* host CPU model (brand string), for messages */
  uint32_t metered;         /* 1: generated code charges fuel (engine fuel limit set) */
  char cpu_features[1020];  /* unused (zero); with `metered`, keeps the trailer layout put */
  aot_digest cpu_features_hash;  /* the CPU identity codegen depends on (aot_key.c) */
} aot_key;

/* Fills every field but module_hash/module_len from the engine and host. */
wl_error *aot_key_init(aot_key *k, const uint8_t *bytes, size_t len, uint32_t features,
                       uint32_t opt_level);
/* Hex digest naming the artifact of this key in the cache (65 bytes with NUL). */
void aot_key_name(const aot_key *k, char out[65]);

/* ---------------------------------------------------------------- pipeline */

/* Optimization level: WASMLAB_AOT_OPT (0..3) when set, else 2. */
uint32_t aot_default_opt_level(void);

/* ---- the compiler library (AOT_COMPILER_LIB exports AOT_COMPILER_SYM, an aot_compiler) */
#define AOT_COMPILER_LIB "libwasmlab_aot_llvm.so"
#define AOT_COMPILER_SYM "wasmlab_aot_compiler"
#define AOT_COMPILER_IFACE 2u  /* 2: compile_object takes `metered` */

typedef struct {
  uint32_t iface;         /* AOT_COMPILER_IFACE */
  uint64_t (*layout)(void);  /* its aot_layout_fingerprint() */
  const char *version;    /* WASMLAB_VERSION */
  /* Translates, optimizes and emits a relocatable object into *obj (malloc'd); `metered`
   * adds fuel charging with the interpreter's accounting. */
  wl_error *(*compile_object)(const wl_moddesc *m, uint32_t features, uint32_t opt_level,
                              bool metered, uint8_t **obj, size_t *obj_len);
} aot_compiler;

/* aot_abi_fingerprint() plus the layout of the module description the compiler reads: the
 * library and the engine that loads it must agree on both. */
uint64_t aot_layout_fingerprint(void);
/* Where the compiler library is: $WASMLAB_AOT_COMPILER, else next to the binary (or shared
 * library) holding the engine, else the build directory. False when no candidate exists;
 * `out` then names the first place searched. Never loads it. */
bool aot_compiler_path(char *out, size_t size);
/* Through the compiler library, dlopened (once) on first use. */
wl_error *aot_compile_object(const wl_moddesc *m, uint32_t features, uint32_t opt_level,
                             bool metered, uint8_t **obj, size_t *obj_len);

/* Links `obj` into a shared object at `so_path` and appends the artifact trailer for `key`. */
wl_error *aot_link_artifact(const uint8_t *obj, size_t obj_len, const aot_key *key,
                            const char *so_path);
/* Checks the trailer of the file at `path` against `key` (stale, foreign, corrupted). */
wl_error *aot_check_artifact(const char *path, const aot_key *key);
/* Whole pipeline for an explicit output file (wasmlab compile). An artifact runs only in an
 * engine whose fuel limit agrees with `metered` (set / unset). */
wl_error *aot_compile_to_file(const wl_moddesc *m, uint32_t features, uint32_t opt_level,
                              bool metered, const char *so_path);

/* WASMLAB_AOT_TIMING=1: per-phase compile times on stderr. Returns a monotonic clock in
 * seconds, and reports `what` since `since` when timing is on. */
double aot_clock(void);
void aot_report_phase(const char *what, double since);

/* Cache directory: $WASMLAB_CACHE_DIR, else ~/.cache/wasmlab/aot (created). */
wl_error *aot_cache_dir(char *out, size_t size);

/* ---------------------------------------------------------------- loaded code */

typedef struct {
  void *dl;
  uintptr_t code_lo;  /* registered executable range (0: none) */
  uint32_t nfuncs;
  const aot_func_ptrs *funcs;
  uint32_t nfunc_imports;
} aot_code;

/* Checks `path` against `key`, then dlopens it, installs the runtime table and returns the
 * loaded code. Never dlopens a file whose trailer does not match. */
wl_error *aot_load(const char *path, const aot_key *key, uint32_t ndefined, aot_code **out);
void aot_unload(aot_code *c);

/* Runtime side (aot_runtime.c). */
bool aot_entry_trampoline(wl_exec *ex, wl_func *f, wl_slot *io);
void aot_fill_rt_table(void **rt);
void aot_signals_install(void);
void aot_register_code_range(uintptr_t lo, uintptr_t hi);
void aot_unregister_code_range(uintptr_t lo);
aot_unwind *aot_current_unwind(void);
void aot_register_memory(wl_memory *m);
void aot_unregister_memory(wl_memory *m);

#endif
