/* Artifact keys: everything generated code depends on, so a cached or explicit artifact is
 * only ever run by an engine that would have produced the same code. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "backends/aot/aot.h"

/* Every struct offset generated code bakes in, plus the runtime table size. A change in any
 * runtime layout changes the fingerprint and so every artifact key. */
uint64_t aot_abi_fingerprint(void) {
  const uint64_t parts[] = {
      AOT_RT_COUNT, 1 /* native convention revision */,
      offsetof(wl_exec, depth), offsetof(wl_exec, max_depth), offsetof(wl_exec, unwind),
      offsetof(wl_exec, fuel_left), sizeof(((wl_exec *)0)->fuel_left),
      offsetof(wl_instance, funcs), offsetof(wl_instance, tables),
      offsetof(wl_instance, globals), offsetof(wl_instance, mem0),
      offsetof(wl_instance, module), offsetof(wl_module, type_ids),
      offsetof(wl_memory, base), offsetof(wl_memory, size), offsetof(wl_memory, pages),
      offsetof(wl_table, size), offsetof(wl_global, value), offsetof(wl_func, entry),
      offsetof(wl_func, native), offsetof(wl_func, instance),
      offsetof(wl_native_unwind, stack_limit), sizeof(wl_slot), sizeof(void *)};
  aot_digest d;
  aot_sha256(parts, sizeof parts, &d);
  uint64_t v;
  memcpy(&v, d.h, sizeof v);
  return v;
}

uint64_t aot_layout_fingerprint(void) {
  const uint64_t parts[] = {
      aot_abi_fingerprint(), sizeof(wl_moddesc), sizeof(wl_funcdef), sizeof(wl_functype),
      sizeof(wl_func_facts), sizeof(wl_block_info), sizeof(wl_globaldef),
      offsetof(wl_moddesc, funcs), offsetof(wl_moddesc, types), offsetof(wl_moddesc, nfuncs),
      offsetof(wl_moddesc, nfunc_imports), offsetof(wl_moddesc, global_types),
      offsetof(wl_funcdef, facts), sizeof(wl_error *)};
  aot_digest d;
  aot_sha256(parts, sizeof parts, &d);
  uint64_t v;
  memcpy(&v, d.h, sizeof v);
  return v;
}

static uint64_t file_stamp(const char *path) {
  struct stat st;
  if (!path || stat(path, &st) != 0) return 0;
  return (uint64_t)st.st_size * 1000003u ^ (uint64_t)st.st_mtim.tv_sec * 1000000000u ^
         (uint64_t)st.st_mtim.tv_nsec;
}

/* Identifies this build of the engine and of the code generator (the compiler library, found
 * but not loaded): artifacts made by another build (even of the same version, e.g. during
 * development) are not reused. */
static uint64_t build_stamp(void) {
  Dl_info info;
  uint64_t runtime = 0;
  if (dladdr((void *)aot_abi_fingerprint, &info) && info.dli_fname)
    runtime = file_stamp(info.dli_fname);
  char path[PATH_MAX];
  uint64_t compiler = aot_compiler_path(path, sizeof path) ? file_stamp(path) : 0;
  return runtime ^ (compiler * 0x9e3779b97f4a7c15ull + (compiler >> 29));
}

/* The host CPU identity LLVM's host CPU name and features derive from, read without LLVM
 * (so checking a cached artifact never loads it): on x86 the CPUID leaves LLVM consults
 * (minus per-core fields such as the APIC id) and XCR0; elsewhere the kernel's hwcaps. */
#if defined(__x86_64__) || defined(__i386__)
static void cpuid_words(uint32_t leaf, uint32_t sub, uint32_t max, uint32_t *w) {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (leaf <= max) __cpuid_count(leaf, sub, a, b, c, d);
  w[0] = a, w[1] = b, w[2] = c, w[3] = d;
}

static void host_cpu(char *name, size_t size, aot_digest *identity) {
  uint32_t w[16][4] = {{0}};
  unsigned max = __get_cpuid_max(0, NULL), ext = __get_cpuid_max(0x80000000u, NULL);
  static const uint32_t leaves[][2] = {{0, 0}, {1, 0}, {7, 0}, {7, 1}, {0xd, 1}, {0x14, 0},
                                       {0x19, 0}, {0x24, 0}};
  for (int i = 0; i < 8; i++) cpuid_words(leaves[i][0], leaves[i][1], max, w[i]);
  w[1][1] &= 0xffffu;  /* leaf 1 ebx: keep brand index and clflush size, drop the APIC id */
  cpuid_words(0x80000001u, 0, ext, w[8]);
  cpuid_words(0x80000008u, 0, ext, w[9]);
  if (w[1][2] & (1u << 27)) {  /* OSXSAVE: which register state the OS enables */
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    w[10][0] = lo, w[10][1] = hi;
  }
  aot_sha256(w, sizeof w, identity);
  char brand[49] = "";
  for (uint32_t i = 0; i < 3 && ext >= 0x80000004u; i++)
    cpuid_words(0x80000002u + i, 0, ext, (uint32_t *)(brand + 16 * i));
  brand[48] = 0;
  const char *b = brand;
  while (*b == ' ') b++;
  snprintf(name, size, "%s", *b ? b : "x86");
}
#else
static void host_cpu(char *name, size_t size, aot_digest *identity) {
  const char *platform = (const char *)getauxval(AT_PLATFORM);
  unsigned long caps[3] = {getauxval(AT_HWCAP), getauxval(AT_HWCAP2), 0};
  char buf[128];
  snprintf(buf, sizeof buf, "%s %lx %lx", platform ? platform : "?", caps[0], caps[1]);
  aot_sha256(buf, strlen(buf), identity);
  snprintf(name, size, "%s", platform ? platform : "unknown");
}
#endif

static char cpu_name[64];
static aot_digest cpu_identity;
static void init_host_cpu(void) { host_cpu(cpu_name, sizeof cpu_name, &cpu_identity); }

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
  /* The CPU identity never changes within a process: compute it once. */
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, init_host_cpu);
  snprintf(k->cpu, sizeof k->cpu, "%s", cpu_name);
  k->cpu_features_hash = cpu_identity;
  return NULL;
}

void aot_key_set_costs(aot_key *k, const wl_costs *costs) {
  k->metered = costs != NULL;
  memset(&k->costs_hash, 0, sizeof k->costs_hash);
  if (costs) aot_sha256(costs, sizeof *costs, &k->costs_hash);
}

void aot_key_name(const aot_key *k, char out[65]) {
  aot_digest d;
  aot_sha256(k, sizeof *k, &d);
  for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", d.h[i]);
}
