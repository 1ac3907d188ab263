/* The AOT backend (wl_backend): compile = look up the artifact cache by key, else translate,
 * optimize and emit (through the compiler library, loaded only then: aot_compiler.c), link
 * and store; then load. bind_func points each wl_func at the shared
 * trampoline and its native function.
 *
 * Environment:
 *   WASMLAB_AOT_OPT=0..3      optimization level (default 2)
 *   WASMLAB_CACHE_DIR=DIR     artifact cache (default ~/.cache/wasmlab/aot; aot_cache.c)
 *   WASMLAB_CACHE_MAX_SIZE=N  its size bound (default 512M), kept by LRU eviction
 *   WASMLAB_AOT_FILE=PATH     use this precompiled artifact (from `wasmlab compile`); refused
 *                             unless its key matches the module and engine exactly
 *   WASMLAB_AOT_LINKER=PATH   linker (default ld.bfd, then ld.lld-19)
 *   WASMLAB_AOT_COMPILER=PATH the compiler library (default: beside the engine's binary) */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "backends/aot/aot.h"

static wl_error *compile_into_cache(const wl_moddesc *m, const aot_key *key,
                                    const wl_config *cfg, const char *path) {
  aot_objects objs;
  const wl_costs *costs = key->metered ? &cfg->costs : NULL;
  wl_error *err = aot_compile_object(m, cfg->features, key->opt_level, costs, cfg->aot_jobs,
                                     &objs);
  if (err) {
    aot_objects_free(&objs);
    return err;
  }
  char tmp[4200];
  if (snprintf(tmp, sizeof tmp, "%s.tmp%d", path, (int)getpid()) >= (int)sizeof tmp) {
    aot_objects_free(&objs);
    return wl_err(WL_ERR_IO, "aot: cache path too long: %s", path);
  }
  err = aot_link_artifact(&objs, key, tmp);
  aot_objects_free(&objs);
  if (!err && rename(tmp, path) != 0)
    err = wl_err(WL_ERR_IO, "aot: cannot store the artifact %s", path);
  if (err) unlink(tmp);
  return err;
}

static wl_error *open_and_load(const char *path, bool follow, const wl_moddesc *m,
                               const aot_key *key, aot_code **out, bool *absent) {
  int fd;
  wl_error *err = aot_open_artifact(path, follow, &fd, absent);
  if (err) return err;
  aot_cache_touch(fd);
  err = aot_load(fd, path, key, m->nfuncs - m->nfunc_imports, out);
  if (!err) (*out)->module = m;  /* trap backtraces name its functions */
  return err;
}

/* Warns once per process: the run goes on, only slower to start. */
static void warn_no_cache(const wl_error *why) {
  static atomic_bool warned;
  if (atomic_exchange(&warned, true)) return;
  fprintf(stderr, "wasmlab: warning: AOT cache unusable (%s); compiling in memory\n",
          wl_error_message(why));
}

static wl_error *load_private(const wl_moddesc *m, const aot_key *key, const wl_config *cfg,
                              aot_code **out) {
  char *path;
  const wl_costs *costs = key->metered ? &cfg->costs : NULL;
  wl_error *err = aot_compile_private(m, key, cfg->features, costs, cfg->aot_jobs, &path);
  bool absent;
  if (!err) err = open_and_load(path, false, m, key, out, &absent);
  if (err) {
    if (path) aot_remove_private_artifact(path);
    free(path);
    return err;
  }
  (*out)->owned_path = path;
  return NULL;
}

/* Evicts after the first store of a process and every 32nd after it: a scan of a large cache
 * costs milliseconds, so a process that compiles thousands of modules (a spec-suite file) must
 * not scan after each; the bound is then exceeded by at most 31 artifacts for a while. */
static void keep_bound(const char *dir) {
  static atomic_uint stores;
  if (atomic_fetch_add(&stores, 1) % 32 != 0) return;
  wl_error *err = aot_cache_prune(dir, aot_cache_max_size(), NULL);
  wl_error_delete(err);  /* eviction is best effort: this run has its code */
}

/* A hit loads the cached artifact; anything wrong with one (stale, corrupted, not a regular
 * file) replaces it; a cache that cannot be used or written falls back to load_private. */
static wl_error *load_cached(const wl_moddesc *m, const aot_key *key, const wl_config *cfg,
                             aot_code **out) {
  char dir[4096], name[65], path[4200];
  wl_error *err = aot_cache_dir(dir, sizeof dir);
  if (err) {
    warn_no_cache(err);
    wl_error_delete(err);
    return load_private(m, key, cfg, out);
  }
  aot_key_name(key, name);
  snprintf(path, sizeof path, "%s/%s.so", dir, name);
  bool absent;
  err = open_and_load(path, false, m, key, out, &absent);
  if (!err) return NULL;
  if (!absent) {
    fprintf(stderr, "wasmlab: %s; recompiling\n", wl_error_message(err));
    unlink(path);  /* removes a FIFO or symlink itself, never what a link points to */
  }
  wl_error_delete(err);
  err = compile_into_cache(m, key, cfg, path);
  if (!err) err = open_and_load(path, false, m, key, out, &absent);
  if (!err) {
    keep_bound(dir);
    return NULL;
  }
  if (wl_error_kind_of(err) != WL_ERR_IO) return err;  /* a compile error is the module's */
  warn_no_cache(err);
  wl_error_delete(err);
  return load_private(m, key, cfg, out);
}

static wl_error *aot_compile(wl_engine *e, const wl_moddesc *m, void **out) {
  *out = NULL;
  const wl_config *cfg = wl_engine_config(e);
  aot_key key;
  wl_error *err = aot_key_init(&key, m->bytes, m->len, cfg->features, aot_default_opt_level());
  if (err) return err;
  /* Metering is compiled in (only when a limit is set, so unlimited runs pay nothing), so a
   * metered and an unmetered artifact of one module must never be mistaken for each other. */
  aot_key_set_costs(&key, cfg->fuel_limit != 0 ? &cfg->costs : NULL);
  aot_code *code = NULL;
  const char *explicit_file = getenv("WASMLAB_AOT_FILE");
  bool absent;
  if (explicit_file && *explicit_file)
    err = open_and_load(explicit_file, true, m, &key, &code, &absent);
  else
    err = load_cached(m, &key, cfg, &code);
  if (err) return err;
  code->nfunc_imports = m->nfunc_imports;
  *out = code;
  return NULL;
}

static void aot_free_code(void *code) { aot_unload(code); }

static void aot_bind_func(void *code, wl_func *f) {
  aot_code *c = code;
  const aot_func_ptrs *fp = &c->funcs[f->index - c->nfunc_imports];
  f->code = (void *)fp;
  f->entry = aot_entry_trampoline;
  f->native = fp->native;
}

/* Generated code has no bounds checks: its memory must have the full guard reservation
 * (the memory registered itself with the native signal handler when it was created). */
static wl_error *aot_instance_init(void *code, wl_instance *inst) {
  (void)code;
  return wl_native_check_instance(inst, "aot");
}

/* aot compiles through a separate library: without it, it cannot run anything. */
static bool aot_usable(char *why, size_t size) {
  char path[4096];
  if (aot_compiler_path(path, sizeof path)) return true;
  snprintf(why, size, "no AOT compiler library at %s (set WASMLAB_AOT_COMPILER)", path);
  return false;
}

const wl_backend wl_aot_backend = {
    .name = "aot",
    .usable = aot_usable,
    .compile = aot_compile,
    .free_code = aot_free_code,
    .bind_func = aot_bind_func,
    .instance_init = aot_instance_init,
};
