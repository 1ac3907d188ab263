/* The AOT backend's internal interface: the ABI between generated code and the engine, the
 * loaded artifact, and the pieces of the compile pipeline (translate -> optimize -> emit ->
 * link -> cache -> load). Only backends/aot/ and engine/cli/compile.c include this.
 *
 * Two halves: the runtime (the .c files directly in backends/aot/, part of libwasmlab: keys,
 * cache, linking, loading, the entry trampoline) never touches LLVM; the compiler
 * (backends/aot/llvm/, built as the shared object AOT_COMPILER_LIB) holds everything that
 * does, and is dlopened only when a module must actually be compiled. */
#ifndef WL_AOT_H
#define WL_AOT_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/backend.h"
#include "engine/runtime/native/native.h"

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
  AOT_RT_TRAP,             /* noreturn void (wl_exec *, uint32_t kind, uint32_t offset) */
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
  AOT_RT_MEMORY_GROW_ANY,  /* wl_slot wl_memory_grow_any: any memory, 64-bit (multi_memory.h) */
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

/* While AOT code runs, ex->unwind points to the native runtime's wl_native_unwind
 * (engine/runtime/native/native.h): prologues read its stack_limit at offset 0. */

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
  aot_digest costs_hash;    /* metered: SHA-256 of the cost table compiled in; else zero */
  char reserved[988];       /* unused (zero); with the two above, keeps the trailer layout put */
  aot_digest cpu_features_hash;  /* the CPU identity codegen depends on (aot_key.c) */
} aot_key;

/* Fills every field but module_hash/module_len from the engine and host. */
wl_error *aot_key_init(aot_key *k, const uint8_t *bytes, size_t len, uint32_t features,
                       uint32_t opt_level);
/* Metering: `costs` (NULL = unmetered) is compiled into the code, so it is part of the key. */
void aot_key_set_costs(aot_key *k, const wl_costs *costs);
/* Hex digest naming the artifact of this key in the cache (65 bytes with NUL). */
void aot_key_name(const aot_key *k, char out[65]);

/* ---------------------------------------------------------------- pipeline */

/* Optimization level: WASMLAB_AOT_OPT (0..3) when set, else 2. */
uint32_t aot_default_opt_level(void);

/* ---- the compiler library (AOT_COMPILER_LIB exports AOT_COMPILER_SYM, an aot_compiler) */
#define AOT_COMPILER_LIB "libwasmlab_aot_llvm.so"
#define AOT_COMPILER_SYM "wasmlab_aot_compiler"
#define AOT_COMPILER_IFACE 5u  /* 5: link (in-process lld); 4: one object per partition */

/* The relocatable objects of one module (one per partition of its functions, in partition
 * order; each data[i] malloc'd), linked together into one artifact. */
typedef struct {
  uint32_t count;
  uint8_t **data;
  size_t *len;
} aot_objects;
void aot_objects_free(aot_objects *o);

typedef struct {
  uint32_t iface;         /* AOT_COMPILER_IFACE */
  uint64_t (*layout)(void);  /* its aot_layout_fingerprint() */
  const char *version;    /* WASMLAB_VERSION */
  /* Translates, optimizes and emits the module's relocatable objects into *out; `costs`
   * (NULL: unmetered) adds fuel charging with the interpreter's accounting. `jobs` threads
   * (0: one per core) compile the partitions; the objects do not depend on it. */
  wl_error *(*compile_object)(const wl_moddesc *m, uint32_t features, uint32_t opt_level,
                              const wl_costs *costs, uint32_t jobs, aot_objects *out);
  /* Runs the linker command line argv (argv[0] "ld.lld") in this process, or NULL when the
   * library was built without lld. 0: linked; 1: failed; 2: failed and lld cannot run again
   * in this process. *message: its diagnostics (malloc'd) or NULL. */
  int (*link)(int argc, const char *const *argv, char **message);
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
                             const wl_costs *costs, uint32_t jobs, aot_objects *out);
/* The compiler library's in-process linker, or NULL when none is loaded or it has none. */
int (*aot_compiler_linker(void))(int argc, const char *const *argv, char **message);

/* Links `objs` into a shared object at `so_path` and appends the artifact trailer for `key`. */
wl_error *aot_link_artifact(const aot_objects *objs, const aot_key *key, const char *so_path);
/* Checks the trailer of the artifact open at `fd` (named `path` in messages) against `key`
 * (stale, foreign, corrupted). */
wl_error *aot_check_artifact(int fd, const char *path, const aot_key *key);
/* Whole pipeline for an explicit output file (wasmlab compile). An artifact runs only in an
 * engine whose fuel limit agrees with `costs` (set / unset) and whose costs are the same. */
wl_error *aot_compile_to_file(const wl_moddesc *m, uint32_t features, uint32_t opt_level,
                              const wl_costs *costs, uint32_t jobs, const char *so_path);

/* WASMLAB_AOT_TIMING=1: per-phase compile times on stderr. Returns a monotonic clock in
 * seconds, and reports `what` since `since` when timing is on. */
double aot_clock(void);
void aot_report_phase(const char *what, double since);

/* ---- the artifact cache (aot_cache.c; its rules are in that file's comment) */
/* Where the cache is: $WASMLAB_CACHE_DIR, else $XDG_CACHE_HOME/wasmlab/aot, else
 * ~/.cache/wasmlab/aot. Never creates or checks it. */
void aot_cache_location(char *out, size_t size);
/* The cache directory, created when missing; an error says why it is unusable (not a
 * directory, another owner, writable by others, not writable). */
wl_error *aot_cache_dir(char *out, size_t size);
/* The size bound: $WASMLAB_CACHE_MAX_SIZE (bytes, or with a K/M/G suffix), else 512M. */
uint64_t aot_cache_max_size(void);
/* "123", "64K", "512M", "2G" -> bytes; false when malformed or too large. */
bool aot_parse_size(const char *text, uint64_t *out);
/* Opens an artifact without blocking: a regular file or an error (a FIFO, device, socket, or
 * with `follow` false a symlink, is refused). *absent tells a missing file from a bad one. */
wl_error *aot_open_artifact(const char *path, bool follow, int *fd, bool *absent);
/* Compiles into a private directory when there is no usable cache; the artifact is removed
 * again by aot_remove_private_artifact when its code is unloaded. *path is malloc'd. */
wl_error *aot_compile_private(const wl_moddesc *m, const aot_key *key, uint32_t features,
                              const wl_costs *costs, uint32_t jobs, char **path);
void aot_remove_private_artifact(const char *path);
/* Records a use of the artifact open at `fd` (its mtime: the LRU order). */
void aot_cache_touch(int fd);
typedef struct {
  uint64_t files, bytes;                  /* what the cache holds (after pruning) */
  uint64_t removed_files, removed_bytes;  /* what pruning removed */
} aot_cache_stats;
/* Removes the least recently used artifacts of `dir` until at most max_bytes remain. */
wl_error *aot_cache_prune(const char *dir, uint64_t max_bytes, aot_cache_stats *stats);
/* Counts the artifacts of `dir` (removing only stale temporary files). */
wl_error *aot_cache_stat(const char *dir, aot_cache_stats *stats);

/* ---------------------------------------------------------------- loaded code */

typedef struct {
  void *dl;
  uintptr_t code_lo;  /* registered executable range (0: none) */
  uint32_t nfuncs;
  const aot_func_ptrs *funcs;
  uint32_t nfunc_imports;
  char *owned_path;  /* a private artifact (no cache) removed on unload, else NULL */
  /* Trap backtraces (aot_trace.c): the loaded file, its load bias and executable range,
   * and the line-table reader opened at the first trap (NULL until then). */
  const wl_moddesc *module;
  char *path;
  uintptr_t bias, code_hi;
  void *lines;
} aot_code;

/* Checks the artifact open at `fd` (a regular file: aot_open_artifact) against `key`, then
 * dlopens that same file, installs the runtime table and returns the loaded code. Never
 * dlopens a file whose trailer does not match. Always closes fd. */
wl_error *aot_load(int fd, const char *path, const aot_key *key, uint32_t ndefined,
                   aot_code **out);
void aot_unload(aot_code *c);

/* Runtime side (aot_runtime.c); boundary, signals and stack bounds are the shared native
 * runtime's. */
bool aot_entry_trampoline(wl_exec *ex, wl_func *f, wl_slot *io);
void aot_fill_rt_table(void **rt);

/* Trap backtraces (aot_trace.c): what the runtime table's trap and raise entries point to
 * (they record the AOT frames, then unwind), registering a loaded artifact's range with
 * its tracer, and releasing what a trace opened. */
_Noreturn void aot_trap_at(wl_exec *ex, uint32_t kind, uint32_t offset);
_Noreturn void aot_raise(wl_exec *ex);
void aot_trace_register(aot_code *c);
void aot_trace_release(aot_code *c);

#endif
