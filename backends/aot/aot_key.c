/* Artifact keys: everything generated code depends on, so a cached or explicit artifact is
 * only ever run by an engine that would have produced the same code. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <sys/stat.h>
#include <string.h>

#include "backends/aot/aot.h"

/* Every struct offset generated code bakes in, plus the runtime table size. A change in any
 * runtime layout changes the fingerprint and so every artifact key. */
uint64_t aot_abi_fingerprint(void) {
  const uint64_t parts[] = {
      AOT_RT_COUNT, 1 /* native convention revision */,
      offsetof(wl_exec, depth), offsetof(wl_exec, max_depth), offsetof(wl_exec, unwind),
      offsetof(wl_instance, funcs), offsetof(wl_instance, tables),
      offsetof(wl_instance, globals), offsetof(wl_instance, mem0),
      offsetof(wl_instance, module), offsetof(wl_module, type_ids),
      offsetof(wl_memory, base), offsetof(wl_memory, size), offsetof(wl_memory, pages),
      offsetof(wl_table, size), offsetof(wl_global, value), offsetof(wl_func, entry),
      offsetof(wl_func, native), offsetof(wl_func, instance),
      offsetof(aot_unwind, stack_limit), sizeof(wl_slot), sizeof(void *)};
  aot_digest d;
  aot_sha256(parts, sizeof parts, &d);
  uint64_t v;
  memcpy(&v, d.h, sizeof v);
  return v;
}

/* Identifies this build of the code generator: artifacts made by another build (even of the
 * same version, e.g. during development) are not reused. */
static uint64_t build_stamp(void) {
  Dl_info info;
  struct stat st;
  if (!dladdr((void *)aot_abi_fingerprint, &info) || !info.dli_fname) return 0;
  if (stat(info.dli_fname, &st) != 0) return 0;
  return (uint64_t)st.st_size * 1000003u ^ (uint64_t)st.st_mtim.tv_sec * 1000000000u ^
         (uint64_t)st.st_mtim.tv_nsec;
}

wl_error *aot_key_init(aot_key *k, const uint8_t *bytes, size_t len, uint32_t features,
                       uint32_t opt_level) {
  memset(k, 0, sizeof *k);  /* the key is hashed as bytes: padding must be zero */
  aot_sha256(bytes, len, &k->module_hash);
  k->module_len = len;
  k->features = features;
  k->opt_level = opt_level;
  k->abi = aot_abi_fingerprint();
  k->build_stamp = build_stamp();
  snprintf(k->version, sizeof k->version, "%s", WASMLAB_VERSION);
  const char *cpu = aot_host_cpu(), *feat = aot_host_cpu_features();
  if (!cpu || !feat) return wl_err(WL_ERR_UNSUPPORTED, "aot: cannot query the host CPU");
  snprintf(k->cpu, sizeof k->cpu, "%s", cpu);
  snprintf(k->cpu_features, sizeof k->cpu_features, "%s", feat);
  aot_sha256(feat, strlen(feat), &k->cpu_features_hash);
  return NULL;
}

void aot_key_name(const aot_key *k, char out[65]) {
  aot_digest d;
  aot_sha256(k, sizeof *k, &d);
  for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", d.h[i]);
}
