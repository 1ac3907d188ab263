/* wasmlab: a WebAssembly engine with interchangeable backends.
 *
 * The one public header. Every handle is opaque. Conventions:
 *  - Functions that can fail return `wl_error *`: NULL on success, else an error object the
 *    caller owns and frees with wl_error_delete(). Traps are errors of kind WL_ERR_TRAP.
 *  - `_new` returns an object the caller owns; `_delete` frees it. Borrowed pointers (marked
 *    "borrowed") stay valid as long as the object they were obtained from.
 *  - Lifetimes: an engine outlives its modules and stores. A module is reference counted:
 *    wl_module_delete() drops the caller's reference; instances keep their module alive.
 *    A store owns every runtime object created in it (instances, functions, tables, memories,
 *    globals); they are freed together by wl_store_delete(). wl_instance_delete() releases an
 *    instance early only when nothing else in the store refers to it (see its comment).
 *  - Not thread safe: use one store per thread.
 */
#ifndef WASMLAB_H
#define WASMLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WL_API __attribute__((visibility("default")))

#define WASMLAB_VERSION "0.1.0"

/* ---------------------------------------------------------------- errors and traps */

typedef enum {
  WL_ERR_MALFORMED = 1,   /* the binary does not decode */
  WL_ERR_INVALID,         /* the module does not validate */
  WL_ERR_UNLINKABLE,      /* imports do not match (or, in Wasm 1.0 mode, a segment does not fit) */
  WL_ERR_UNINSTANTIABLE,  /* instantiation started and trapped (segment init or start function) */
  WL_ERR_TRAP,            /* execution trapped; see wl_error_trap_kind() */
  WL_ERR_EXIT,            /* the guest asked to exit (WASI proc_exit); see wl_error_exit_code() */
  WL_ERR_ARGUMENT,        /* an API call got a wrong argument (count, type, name) */
  WL_ERR_IO,              /* a file could not be read or written */
  WL_ERR_UNSUPPORTED,     /* a feature or backend this build does not provide */
  WL_ERR_RESOURCE,        /* out of memory or address space */
} wl_error_kind;

typedef enum {
  WL_TRAP_NONE = 0,
  WL_TRAP_UNREACHABLE,            /* "unreachable" */
  WL_TRAP_INT_OVERFLOW,           /* "integer overflow" */
  WL_TRAP_DIV_BY_ZERO,            /* "integer divide by zero" */
  WL_TRAP_INVALID_CONVERSION,     /* "invalid conversion to integer" */
  WL_TRAP_MEMORY_OOB,             /* "out of bounds memory access" */
  WL_TRAP_TABLE_OOB,              /* "out of bounds table access" */
  WL_TRAP_UNDEFINED_ELEMENT,      /* "undefined element": call_indirect index past the table */
  WL_TRAP_UNINITIALIZED_ELEMENT,  /* "uninitialized element": call_indirect through null */
  WL_TRAP_INDIRECT_MISMATCH,      /* "indirect call type mismatch" */
  WL_TRAP_NULL_REFERENCE,         /* "null reference" */
  WL_TRAP_STACK_EXHAUSTED,        /* "call stack exhausted" */
  WL_TRAP_OUT_OF_FUEL,            /* "fuel exhausted": the metering limit was reached */
  WL_TRAP_HOST,                   /* a host function failed; the message says why */
  WL_TRAP_KIND_COUNT
} wl_trap_kind;

typedef struct wl_error wl_error;

WL_API wl_error_kind wl_error_kind_of(const wl_error *e);
WL_API const char *wl_error_message(const wl_error *e);      /* borrowed */
WL_API wl_trap_kind wl_error_trap_kind(const wl_error *e);  /* WL_TRAP_NONE unless a trap */
WL_API int wl_error_exit_code(const wl_error *e);           /* for WL_ERR_EXIT */
WL_API void wl_error_delete(wl_error *e);                   /* accepts NULL */
WL_API const char *wl_trap_kind_message(wl_trap_kind k);    /* the spec's wording */
/* For host functions: build an error to return. A host trap unwinds the guest. */
WL_API wl_error *wl_error_new(wl_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
WL_API wl_error *wl_trap_new(wl_trap_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
WL_API wl_error *wl_exit_new(int code);

/* Trap backtraces: the wasm frames active when a trap happened, innermost first, on every
 * backend alike (engine/runtime/trace.c). Frames are recorded only while a trap unwinds, so
 * running code pays nothing for them. An error that is not a trap has none. */
typedef struct {
  uint32_t func_index;     /* in the module's function index space */
  uint32_t module_offset;  /* of the trapping instruction / the call, in the module binary */
  uint32_t func_offset;    /* the same, from the function's first instruction */
  const char *func_name;   /* the name section's, or NULL */
  const char *module_name; /* the name section's, or NULL */
  const char *calls_import;/* "module.name" when the instruction calls an imported function */
} wl_trace_frame;

typedef enum { WL_BACKTRACE_OFF, WL_BACKTRACE_SHORT, WL_BACKTRACE_FULL } wl_backtrace_style;

WL_API size_t wl_error_frame_count(const wl_error *e);
WL_API const wl_trace_frame *wl_error_frame(const wl_error *e, size_t i);  /* NULL past the end */
/* Frames the recording left out (a very deep stack keeps its innermost WL_TRACE_MAX). */
WL_API size_t wl_error_frames_omitted(const wl_error *e);
/* Writes the backtrace as wasmtime prints it ("    0:     0x2a - mod!func" per frame);
 * FULL adds each frame's function index, offset in the function and the import it calls.
 * snprintf-style: returns the length it needed (0 for OFF or no frames). */
WL_API size_t wl_backtrace_format(const wl_error *e, wl_backtrace_style style, char *buf,
                                  size_t size);

/* ---------------------------------------------------------------- configuration */

/* Proposal feature flags (bit numbers match proposals/features.def). */
typedef enum {
  WL_FEATURE_MUTABLE_GLOBALS = 1u << 0,
  WL_FEATURE_SAT_FLOAT_TO_INT = 1u << 1,
  WL_FEATURE_SIGN_EXTENSION = 1u << 2,
  WL_FEATURE_MULTI_VALUE = 1u << 3,
  WL_FEATURE_BULK_MEMORY = 1u << 4,
  WL_FEATURE_REFERENCE_TYPES = 1u << 5,
  WL_FEATURE_SIMD = 1u << 6,
  /* Wasm 3.0 proposals: off by default. */
  WL_FEATURE_TAIL_CALL = 1u << 7,
  WL_FEATURE_EXTENDED_CONST = 1u << 8,
  WL_FEATURE_MULTI_MEMORY = 1u << 9,
  WL_FEATURE_MEMORY64 = 1u << 10,
  WL_FEATURE_RELAXED_SIMD = 1u << 11, /* off by default (not part of Wasm 2.0) */
} wl_feature;

typedef enum { WL_BACKEND_INTERP = 0, WL_BACKEND_JIT, WL_BACKEND_AOT } wl_backend_kind;

typedef struct wl_config wl_config;

/* Defaults: every supported Wasm 2.0 feature on, interpreter backend, call depth 10000,
 * no fuel limit. */
WL_API wl_config *wl_config_new(void);
WL_API void wl_config_delete(wl_config *c);
WL_API void wl_config_set_features(wl_config *c, uint32_t features);  /* wl_feature mask */
WL_API uint32_t wl_config_features(const wl_config *c);
WL_API void wl_config_set_mvp(wl_config *c);  /* the W3C Wasm 1.0 feature set */
/* By CLI name ("bulk-memory", ...); WL_ERR_ARGUMENT for an unknown name. */
WL_API wl_error *wl_config_enable(wl_config *c, const char *feature_name, bool on);
WL_API const char *wl_feature_name(wl_feature f);  /* borrowed; NULL for an unknown flag */
WL_API wl_error *wl_config_set_backend(wl_config *c, wl_backend_kind b);
WL_API wl_error *wl_backend_from_name(const char *name, wl_backend_kind *out);
WL_API const char *wl_backend_name(wl_backend_kind b);
WL_API bool wl_backend_available(wl_backend_kind b);
WL_API void wl_config_set_max_call_depth(wl_config *c, uint32_t depth);
/* Threads the AOT backend compiles a module's partitions on; 0 (the default) = one per core.
 * The artifact is the same whatever the number. */
WL_API void wl_config_set_aot_jobs(wl_config *c, uint32_t jobs);
/* Metering: every executed instruction costs one unit (host functions their declared cost),
 * a bulk instruction (memory.fill/copy/init, table.fill/copy/init) also one unit per byte or
 * element; reaching `limit` traps with WL_TRAP_OUT_OF_FUEL. 0 = unlimited. */
WL_API void wl_config_set_fuel(wl_config *c, uint64_t limit);
/* The cost of instruction `instr` (text name, e.g. "i32.div_s"): `units` per execution and,
 * for a bulk instruction, `per_item` per byte or element (ignored for the others).
 * WL_ERR_ARGUMENT for an unknown name or a cost above 2^32-1. */
WL_API wl_error *wl_config_set_cost(wl_config *c, const char *instr, uint64_t units,
                                    uint64_t per_item);
/* Loads a cost table: lines "<instruction> <units> [<per-item units>]", # comments; unlisted
 * instructions keep their cost. Errors name the file and line. */
WL_API wl_error *wl_config_load_cost_table(wl_config *c, const char *path);
/* Resource limits; past one, creating a table or memory, instantiating or compiling fails
 * with a WL_ERR_RESOURCE error that names the limit (a table.grow or memory.grow past one
 * returns -1). 0 = no limit. Tables and memories count together per store: elements of all
 * live tables (default 20,000,000), bytes of all live memories (default 8 GiB). A module to
 * compile: its size in bytes (default 256 MiB) and its defined functions (default 50,000). */
WL_API void wl_config_set_max_table_elements(wl_config *c, uint64_t n);
WL_API void wl_config_set_max_memory_bytes(wl_config *c, uint64_t n);
WL_API void wl_config_set_max_module_bytes(wl_config *c, uint64_t n);
WL_API void wl_config_set_max_functions(wl_config *c, uint64_t n);

/* ---------------------------------------------------------------- engine, store */

typedef struct wl_engine wl_engine;
typedef struct wl_store wl_store;

WL_API wl_error *wl_engine_new(const wl_config *c, wl_engine **out);  /* copies the config */
WL_API void wl_engine_delete(wl_engine *e);
WL_API wl_store *wl_store_new(wl_engine *e);
WL_API void wl_store_delete(wl_store *s);
/* Fuel used by the last invocation in this store (0 when metering is off). */
WL_API uint64_t wl_store_fuel_used(const wl_store *s);

/* ---------------------------------------------------------------- values */

typedef enum {
  WL_I32 = 0x7F, WL_I64 = 0x7E, WL_F32 = 0x7D, WL_F64 = 0x7C,
  WL_V128 = 0x7B, WL_FUNCREF = 0x70, WL_EXTERNREF = 0x6F,
} wl_valkind;

typedef struct wl_func wl_func;
typedef struct wl_table wl_table;
typedef struct wl_memory wl_memory;
typedef struct wl_global wl_global;
typedef struct wl_instance wl_instance;
typedef struct wl_module wl_module;

/* A reference as the engine stores it: 0 is null. Build and read it with the wl_val_* calls. */
typedef struct { uint64_t bits; } wl_ref;

typedef struct {
  uint8_t kind; /* wl_valkind */
  union {
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    wl_ref ref;
    uint8_t v128[16]; /* lane bytes in memory order (lane 0 of i8x16 first) */
  } of;
} wl_val;

WL_API wl_val wl_val_i32(int32_t v);
WL_API wl_val wl_val_i64(int64_t v);
WL_API wl_val wl_val_f32(float v);
WL_API wl_val wl_val_f64(double v);
WL_API wl_val wl_val_v128(const uint8_t bytes[16]);
WL_API wl_val wl_val_null(wl_valkind ref_kind);
WL_API wl_val wl_val_funcref(wl_func *f);  /* NULL f gives a null funcref */
/* A non-null externref carrying `host`. Any pointer value, including NULL, is a valid
 * non-null reference, except (void *)UINTPTR_MAX, which is reserved. */
WL_API wl_val wl_val_externref(void *host);
WL_API bool wl_val_is_null(const wl_val *v);
WL_API void *wl_val_externref_ptr(const wl_val *v);  /* meaningful only when not null */
WL_API wl_func *wl_val_func(const wl_val *v);        /* NULL when null */

/* ---------------------------------------------------------------- modules */

typedef enum { WL_EXTERN_FUNC = 0, WL_EXTERN_TABLE = 1, WL_EXTERN_MEMORY = 2, WL_EXTERN_GLOBAL = 3 }
    wl_extern_kind;

/* Decodes, validates and compiles for the engine's backend. Errors: WL_ERR_MALFORMED,
 * WL_ERR_INVALID (message names the function and byte offset), WL_ERR_UNSUPPORTED. */
WL_API wl_error *wl_module_new(wl_engine *e, const uint8_t *bytes, size_t len, wl_module **out);
WL_API wl_error *wl_module_from_file(wl_engine *e, const char *path, wl_module **out);
/* Decode + validate only (no backend compile). */
WL_API wl_error *wl_module_validate(wl_engine *e, const uint8_t *bytes, size_t len);
WL_API void wl_module_delete(wl_module *m);

typedef struct {
  const char *module;  /* borrowed from the module */
  const char *name;
  wl_extern_kind kind;
  size_t module_len, name_len;  /* in bytes: names may contain NUL bytes */
} wl_import_info;

typedef struct {
  const char *name;
  wl_extern_kind kind;
  size_t name_len;
} wl_export_info;

WL_API size_t wl_module_import_count(const wl_module *m);
/* An index past the count gives an info whose names are NULL (also for exports). */
WL_API wl_import_info wl_module_import(const wl_module *m, size_t i);
WL_API size_t wl_module_export_count(const wl_module *m);
WL_API wl_export_info wl_module_export(const wl_module *m, size_t i);

/* ---------------------------------------------------------------- externs */

typedef struct {
  wl_extern_kind kind;
  union {
    wl_func *func;
    wl_table *table;
    wl_memory *memory;
    wl_global *global;
  } of;
} wl_extern;

/* ---------------------------------------------------------------- functions */

typedef struct wl_caller wl_caller;

/* A host function. `args` has the declared parameter count, `results` room for the declared
 * results (write each one's payload; kinds are preset). Return NULL, or an error: a trap
 * (wl_trap_new), an exit (wl_exit_new), or any other error, which traps as WL_TRAP_HOST. */
typedef wl_error *(*wl_host_callback)(void *user_data, wl_caller *caller, const wl_val *args,
                                      wl_val *results);

typedef struct {
  const wl_valkind *params;
  size_t nparams;
  const wl_valkind *results;
  size_t nresults;
} wl_signature;

/* Creates a host function in the store. `finalizer` (may be NULL) is called with `user_data`
 * when the store is deleted. `cost` is charged against the fuel limit per call. */
WL_API wl_func *wl_func_new_host(wl_store *s, wl_signature sig, wl_host_callback cb,
                                 void *user_data, void (*finalizer)(void *), uint64_t cost);
WL_API size_t wl_func_param_count(const wl_func *f);
WL_API size_t wl_func_result_count(const wl_func *f);
/* Kind of parameter/result `i`; 0 (no wl_valkind) past the end. */
WL_API wl_valkind wl_func_param(const wl_func *f, size_t i);
WL_API wl_valkind wl_func_result(const wl_func *f, size_t i);
/* Calls `f`. Argument count and kinds are checked (WL_ERR_ARGUMENT). `results` must have room
 * for wl_func_result_count(f) values (NULL arrays only with nothing in them: WL_ERR_ARGUMENT
 * otherwise). A trap comes back as a WL_ERR_TRAP error. */
WL_API wl_error *wl_func_call(wl_store *s, wl_func *f, const wl_val *args, size_t nargs,
                              wl_val *results, size_t nresults);

/* Inside a host callback: the calling instance (NULL when called from the API directly). */
WL_API wl_instance *wl_caller_instance(wl_caller *c);
/* The caller's memory `index` (borrowed), or NULL. */
WL_API wl_memory *wl_caller_memory(wl_caller *c, uint32_t index);
WL_API wl_store *wl_caller_store(wl_caller *c);

/* ---------------------------------------------------------------- tables, memories, globals */

WL_API wl_error *wl_table_new(wl_store *s, wl_valkind elem, uint32_t min, uint32_t max,
                              bool has_max, wl_val init, wl_table **out);
WL_API uint32_t wl_table_size(const wl_table *t);
WL_API wl_error *wl_table_get(const wl_table *t, uint32_t i, wl_val *out);
WL_API wl_error *wl_table_set(wl_table *t, uint32_t i, wl_val v);

WL_API wl_error *wl_memory_new(wl_store *s, uint32_t min_pages, uint32_t max_pages, bool has_max,
                               wl_memory **out);
WL_API uint8_t *wl_memory_data(wl_memory *m);        /* borrowed; moves only on no backend */
WL_API uint64_t wl_memory_size(const wl_memory *m);  /* in bytes */
WL_API wl_error *wl_memory_grow(wl_memory *m, uint32_t delta_pages, uint32_t *old_pages);

WL_API wl_error *wl_global_new(wl_store *s, wl_valkind kind, bool mutable_, wl_val init,
                               wl_global **out);
WL_API wl_val wl_global_get(const wl_global *g);
WL_API wl_error *wl_global_set(wl_global *g, wl_val v);

/* ---------------------------------------------------------------- extern types */

/* The type of an import, an export or a runtime object (what wasm.h's reflection needs).
 * `params`/`results` hold one wl_valkind per byte, borrowed from the module or function. */
typedef struct {
  wl_extern_kind kind;
  uint32_t nparams, nresults;      /* WL_EXTERN_FUNC */
  const uint8_t *params, *results;
  wl_valkind content;              /* table element kind, global value kind */
  bool mutable_;                   /* globals */
  uint32_t min, max;               /* tables (elements), memories (pages) */
  bool has_max;
} wl_extern_type;

WL_API wl_extern_type wl_module_import_type(const wl_module *m, size_t i);
WL_API wl_extern_type wl_module_export_type(const wl_module *m, size_t i);
WL_API wl_extern_type wl_extern_type_of(wl_extern x);
/* table.grow from the host: new elements are `init`. WL_ERR_RESOURCE past the maximum. */
WL_API wl_error *wl_table_grow(wl_table *t, uint32_t delta, wl_val init, uint32_t *old_size);

/* ---------------------------------------------------------------- instances */

/* Instantiates `m` in `s`. `imports` are given in the module's import order (see
 * wl_module_import). Errors: WL_ERR_UNLINKABLE (message names the import), WL_ERR_UNINSTANTIABLE
 * (a segment or the start function trapped; the trap kind is kept), WL_ERR_RESOURCE. */
WL_API wl_error *wl_instance_new(wl_store *s, wl_module *m, const wl_extern *imports,
                                 size_t nimports, wl_instance **out);
/* Looks up an export by name; false if there is none. */
WL_API bool wl_instance_export(wl_instance *i, const char *name, wl_extern *out);
/* The same for a name of `len` bytes, which may contain NUL bytes (names are any UTF-8). */
WL_API bool wl_instance_export_sized(wl_instance *i, const char *name, size_t len,
                                     wl_extern *out);
WL_API size_t wl_instance_export_count(const wl_instance *i);
WL_API const char *wl_instance_export_name(const wl_instance *i, size_t n);  /* borrowed */
/* The n-th export (module order), whatever its name holds; false when n is out of range. */
WL_API bool wl_instance_export_at(wl_instance *i, size_t n, wl_extern *out);
/* Drops the instance. Its memories, tables, globals and functions are released now when no
 * other instance imported anything from it and it imported no table (so none of its functions
 * can sit in another instance's table); otherwise they are released with the store. Either way
 * the handles obtained from its exports are invalid afterwards. */
WL_API void wl_instance_delete(wl_instance *i);

/* ---------------------------------------------------------------- linker and capabilities */

/* A linker resolves a module's imports by (module, name) against what was defined in it:
 * single externs, every export of an instance (spectest `register`), host modules, WASI.
 * Capabilities: once any wl_linker_allow() rule exists, an instance may import only the
 * allowed (module, name) pairs; anything else fails linking with an error naming the import. */
typedef struct wl_linker wl_linker;

typedef struct {
  const char *name;
  wl_signature sig;
  wl_host_callback cb;
  uint64_t cost;  /* fuel charged per call */
} wl_host_func_def;

WL_API wl_linker *wl_linker_new(wl_store *s);
WL_API void wl_linker_delete(wl_linker *l);
/* Later definitions of the same (module, name) replace earlier ones. */
WL_API wl_error *wl_linker_define(wl_linker *l, const char *module, const char *name,
                                  wl_extern ext);
WL_API wl_error *wl_linker_define_instance(wl_linker *l, const char *module, wl_instance *inst);
/* A named host module: `n` functions sharing `user_data`. */
WL_API wl_error *wl_linker_define_host_module(wl_linker *l, const char *module,
                                              const wl_host_func_def *defs, size_t n,
                                              void *user_data);
/* Allows importing module.name; name "*" allows every name of the module. */
WL_API void wl_linker_allow(wl_linker *l, const char *module, const char *name);
/* Finds a definition; false when there is none. */
WL_API bool wl_linker_get(const wl_linker *l, const char *module, const char *name, wl_extern *out);
/* Resolves every import, then wl_instance_new. Unknown import: WL_ERR_UNLINKABLE
 * "unknown import \"m\" \"n\""; not allowed: WL_ERR_UNLINKABLE "import \"m\" \"n\" not permitted". */
WL_API wl_error *wl_linker_instantiate(wl_linker *l, wl_module *m, wl_instance **out);

/* ---------------------------------------------------------------- WASI (wasi_snapshot_preview1) */

/* Capability-based: the guest sees only these arguments, environment and preopened
 * directories. Paths never resolve outside a preopen. */
typedef struct {
  const char *host_path;
  const char *guest_path;
} wl_wasi_preopen;

typedef struct {
  const char *const *args;     /* argv as the guest sees it (args[0] = program name) */
  size_t nargs;
  const char *const *env;      /* "KEY=VALUE" strings */
  size_t nenv;
  const wl_wasi_preopen *preopens;
  size_t npreopens;
  int stdin_fd, stdout_fd, stderr_fd;  /* host descriptors for guest fds 0, 1, 2 */
} wl_wasi_options;

typedef struct wl_wasi wl_wasi;

WL_API wl_error *wl_wasi_new(const wl_wasi_options *o, wl_wasi **out);
WL_API void wl_wasi_delete(wl_wasi *w);
/* Defines every wasi_snapshot_preview1 function in the linker. */
WL_API wl_error *wl_linker_define_wasi(wl_linker *l, wl_wasi *w);
/* Runs the command's `_start`. NULL when `_start` returned; a proc_exit comes back as a
 * WL_ERR_EXIT error with the guest's code, including code 0 (callers treat exit code 0 as
 * success). The wl_wasi must outlive every call into the host functions it defined. */
WL_API wl_error *wl_wasi_run_start(wl_store *s, wl_instance *inst);

#ifdef __cplusplus
}
#endif
#endif
