/* Host-call cost, measured inside the guest with the WASI monotonic clock:
 *   hostcall N   ->  one line per case: "<case> <calls> <total ns> <ns per call>"
 * guest-call: an indirect call to a guest function (the baseline; call_indirect through a
 * volatile pointer, so neither clang nor the AOT backend can inline it away);
 * trivial: wasmedge_process_get_exit_code, a host call that only returns a field;
 * kv-put: N puts of distinct 8-byte keys with 16-byte values; kv-get: N gets of those keys
 * (a scattered order), each found. Needs --allow-command-all (any grant) and --kv DIR
 * --kv-write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wasmedge_process.h"
#include "wasmlab_kv.h"

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void report(const char *name, uint32_t n, int64_t ns) {
  printf("%s %u %lld %.1f\n", name, n, (long long)ns, (double)ns / n);
}

static int32_t guest_function(int32_t x) { return x + 1; }
static int32_t (*volatile guest_pointer)(int32_t) = guest_function;

static void make_key(uint32_t i, char key[8]) {
  memcpy(key, "k", 1);
  for (int b = 0; b < 7; b++) key[1 + b] = (char)('a' + ((i >> (4 * b)) & 15));
}

int main(int argc, char **argv) {
  uint32_t n = argc > 1 ? (uint32_t)atoi(argv[1]) : 100000;
  volatile int32_t sink = 0;
  int64_t t = now_ns();
  for (uint32_t i = 0; i < n; i++) sink += guest_pointer((int32_t)i);
  report("guest-call", n, now_ns() - t);

  t = now_ns();
  for (uint32_t i = 0; i < n; i++) sink += wasmedge_process_get_exit_code();
  report("trivial", n, now_ns() - t);

  char key[8], value[16] = "value-0123456789";
  t = now_ns();
  for (uint32_t i = 0; i < n; i++) {
    make_key(i, key);
    if (wasmlab_kv_put(key, 8, value, 16) != WASMLAB_KV_OK) return 1;
  }
  report("kv-put", n, now_ns() - t);

  char got[16];
  uint32_t len;
  t = now_ns();
  for (uint32_t i = 0; i < n; i++) {
    make_key((i * 2654435761u) % n, key);  /* scattered, every key once when n is odd */
    if (wasmlab_kv_get(key, 8, got, sizeof got, &len) != WASMLAB_KV_OK) return 1;
  }
  report("kv-get", n, now_ns() - t);
  return sink == 42 ? 3 : 0;
}
