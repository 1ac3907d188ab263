/* `wasmlab fuzz-validate DIR [--seed S] [--variants N] [--compile] [--trace] [engine opts]`:
 * mutates every .wasm file under DIR and runs each variant through wl_module_validate (with
 * --compile, a variant that validates is also compiled by the backend with wl_module_new). Deterministic: a
 * variant depends only on (seed, file path, variant number), so `--trace` output names every
 * input needed to reproduce a crash. Run it in the sanitizer build to catch memory errors
 * and leaks; a hang shows as the caller's timeout. */
#define _XOPEN_SOURCE 700  /* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cli/cli_util.h"
#include "engine/cli/commands.h"
#include "spectest/fuzz.h"

typedef struct {
  char **paths;
  size_t n, capacity;
} file_list;

typedef struct {
  int compile;  /* also wl_module_new for accepted variants */
  unsigned long files, variants, accepted, compiled;
  unsigned long rejected[WL_ERR_RESOURCE + 1];
} fuzz_counts;

static file_list found;  /* nftw's callback has no user pointer */

static int collect_wasm(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st, (void)ftw;
  size_t n = strlen(path);
  if (type != FTW_F || n < 5 || strcmp(path + n - 5, ".wasm") != 0) return 0;
  if (found.n == found.capacity) {
    size_t bigger = found.capacity ? found.capacity * 2 : 256;
    char **grown = realloc(found.paths, bigger * sizeof *grown);
    if (!grown) return -1;
    found.paths = grown;
    found.capacity = bigger;
  }
  found.paths[found.n] = strdup(path);
  return found.paths[found.n++] ? 0 : -1;
}

static int compare_paths(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* xorshift64*: small, fast and good enough to spread mutations. */
static uint64_t next_random(uint64_t *state) {
  uint64_t x = *state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * 0x2545F4914F6CDD1Dull;
}

static uint64_t seed_for(uint64_t seed, const char *path, unsigned long variant) {
  uint64_t h = 1469598103934665603ull ^ seed;  /* FNV-1a over the path */
  for (const char *p = path; *p; p++) h = (h ^ (uint8_t)*p) * 1099511628211ull;
  h ^= (variant + 1) * 0x9E3779B97F4A7C15ull;
  return h ? h : 1;
}

/* Bytes that decoders treat specially: LEB128 continuation, sign and limits, section ids. */
static const uint8_t interesting[] = {0x00, 0x01, 0x7F, 0x80, 0xFF, 0x40, 0x0B, 0x41, 0x0C};

/* Writes a mutation of `in` into `out` (room for len bytes); returns the new length. */
static size_t mutate(const uint8_t *in, size_t len, uint8_t *out, uint64_t *rng) {
  memcpy(out, in, len);
  unsigned how = (unsigned)(next_random(rng) % 4);
  if (len == 0) return 0;
  if (how == 0 || how == 3) len = (size_t)(next_random(rng) % len);  /* truncate */
  unsigned changes = 1 + (unsigned)(next_random(rng) % 4);
  for (unsigned c = 0; c < changes && len > 0 && how != 0; c++) {
    size_t at = (size_t)(next_random(rng) % len);
    if (how == 1 || how == 3) out[at] ^= (uint8_t)(1u << (next_random(rng) % 8));
    else out[at] = interesting[next_random(rng) % sizeof interesting];
  }
  return len;
}

/* Validates one input and, when asked, compiles it once it is known to be valid. */
static void try_input(wl_engine *engine, const uint8_t *bytes, size_t len, fuzz_counts *c) {
  wl_error *e = wl_module_validate(engine, bytes, len);
  c->variants++;
  if (!e) {
    c->accepted++;
    if (!c->compile) return;
    wl_module *m = NULL;
    e = wl_module_new(engine, bytes, len, &m);
    if (m) wl_module_delete(m);
    if (!e) {
      c->compiled++;
      return;
    }
    /* A valid module that does not compile is worth a line: a backend gap or a bug. */
    fprintf(stderr, "fuzz-validate: valid input did not compile: %s\n", wl_error_message(e));
    wl_error_delete(e);
    return;
  }
  wl_error_kind k = wl_error_kind_of(e);
  if ((unsigned)k <= WL_ERR_RESOURCE) c->rejected[k]++;
  wl_error_delete(e);
}

static void fuzz_file(wl_engine *engine, const char *path, uint64_t seed, unsigned long variants,
                      int trace, fuzz_counts *c) {
  uint8_t *bytes = NULL;
  size_t len = 0;
  wl_error *e = wl_cli_read_file(path, &bytes, &len);
  if (e) {
    fprintf(stderr, "fuzz-validate: %s\n", wl_error_message(e));
    wl_error_delete(e);
    return;
  }
  c->files++;
  uint8_t *variant = malloc(len + 1);
  if (trace) fprintf(stderr, "%s original\n", path);
  try_input(engine, bytes, len, c);
  for (unsigned long v = 0; variant && v < variants; v++) {
    uint64_t rng = seed_for(seed, path, v);
    size_t n = mutate(bytes, len, variant, &rng);
    if (trace) fprintf(stderr, "%s variant %lu (%zu bytes)\n", path, v, n);
    /* Exactly n bytes on the heap, so the sanitizer sees any read past the end. */
    uint8_t *exact = malloc(n ? n : 1);
    if (!exact) break;
    memcpy(exact, variant, n);
    try_input(engine, exact, n, c);
    free(exact);
  }
  free(variant);
  free(bytes);
}

static void print_counts(const fuzz_counts *c) {
  printf("fuzz-validate: %lu files, %lu inputs: %lu accepted (%lu compiled), rejected:", c->files,
         c->variants, c->accepted, c->compiled);
  for (unsigned k = 0; k <= WL_ERR_RESOURCE; k++)
    if (c->rejected[k]) printf(" %s %lu", wl_cli_error_kind_name((wl_error_kind)k), c->rejected[k]);
  printf("\n");
}

static int parse_fuzz_number(const char *flag, const char *text, unsigned long long *out) {
  char *end;
  *out = strtoull(text, &end, 0);
  if (end == text || *end != '\0' || text[0] == '-') {
    fprintf(stderr, "wasmlab fuzz-validate: %s expects a number, got '%s'\n", flag, text);
    return -1;
  }
  return 0;
}

int wl_cli_fuzz_validate(int argc, char **argv) {
  wl_config *cfg = wl_config_new();
  const char *dir = NULL;
  unsigned long long seed = 1, variants = 16;
  int trace = 0, compile = 0, status = 2;
  for (int i = 1; cfg && i < argc; i++) {
    int r = wl_cli_engine_option(cfg, argc, argv, &i);
    if (r < 0) goto done;
    if (r > 0) continue;
    int has_value = i + 1 < argc;
    if (!strcmp(argv[i], "--seed") && has_value) {
      if (parse_fuzz_number("--seed", argv[++i], &seed) < 0) goto done;
    } else if (!strcmp(argv[i], "--variants") && has_value) {
      if (parse_fuzz_number("--variants", argv[++i], &variants) < 0) goto done;
    } else if (!strcmp(argv[i], "--trace")) {
      trace = 1;
    } else if (!strcmp(argv[i], "--compile")) {
      compile = 1;
    } else if (argv[i][0] != '-' && !dir) {
      dir = argv[i];
    } else {
      fprintf(stderr, "wasmlab fuzz-validate: unexpected argument '%s'\n", argv[i]);
      goto done;
    }
  }
  if (!cfg || !dir) {
    fprintf(stderr, "usage: wasmlab fuzz-validate DIR [--seed S] [--variants N] [--compile] [--trace]\n");
    goto done;
  }
  status = 1;
  wl_engine *engine = NULL;
  wl_error *e = wl_engine_new(cfg, &engine);
  if (e || nftw(dir, collect_wasm, 16, FTW_PHYS) != 0 || found.n == 0) {
    fprintf(stderr, "wasmlab fuzz-validate: %s\n", e ? wl_error_message(e) : "no .wasm files found");
    wl_error_delete(e);
  } else {
    qsort(found.paths, found.n, sizeof *found.paths, compare_paths);
    fuzz_counts counts = {.compile = compile};
    for (size_t k = 0; k < found.n; k++)
      fuzz_file(engine, found.paths[k], seed, (unsigned long)variants, trace, &counts);
    print_counts(&counts);
    status = 0;
  }
  wl_engine_delete(engine);
  for (size_t k = 0; k < found.n; k++) free(found.paths[k]);
  free(found.paths);
  found = (file_list){0};
done:
  wl_config_delete(cfg);
  return status;
}
