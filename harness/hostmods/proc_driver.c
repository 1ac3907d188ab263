/* Test driver for wasmedge_process, written against exactly WasmEdge's import names and
 * signatures (through examples/host-modules/wasmedge_process.h):
 *   proc_driver [--env K=V] [--timeout MS] [--stdin] [--digest] [--nul-arg] [--nul-env]
 *               [--again] [--oob] PROGRAM [ARG...]
 * Our stdout is the command's stdout (with --digest: "LENGTH CRC32HEX" of it); our stderr
 * starts with one line "exit=E code=C out=N err=M" and then carries the command's stderr.
 * --again runs a second time without setting anything (run must have reset the command);
 * --oob passes an out-of-bounds buffer to get_stdout (the host must trap). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasmedge_process.h"

/* CRC-32 (the zlib polynomial), so the test can check large outputs with zlib.crc32. */
static uint32_t crc32(const uint8_t *p, uint32_t n) {
  static uint32_t table[256];
  static int ready;
  for (uint32_t i = 0; i < 256 && !ready; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    table[i] = c;
  }
  ready = 1;
  uint32_t c = 0xFFFFFFFFu;
  for (uint32_t i = 0; i < n; i++) c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return ~c;
}

static uint8_t *fetch(uint32_t len, void (*get)(uint8_t *)) {
  uint8_t *buf = malloc(len ? len : 1);
  if (!buf) exit(70);
  get(buf);
  return buf;
}

static void add_env(const char *spec) {
  const char *eq = strchr(spec, '=');
  if (!eq) exit(2);
  wasmedge_process_add_env(spec, (uint32_t)(eq - spec), eq + 1, strlen(eq + 1));
}

static void forward_stdin(void) {
  static uint8_t chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) wasmedge_process_add_stdin(chunk, n);
}

static void report(int32_t exit_code, int digest) {
  uint32_t out_len = wasmedge_process_get_stdout_len();
  uint32_t err_len = wasmedge_process_get_stderr_len();
  uint8_t *out = fetch(out_len, wasmedge_process_get_stdout);
  uint8_t *err = fetch(err_len, wasmedge_process_get_stderr);
  fprintf(stderr, "exit=%d code=%d out=%u err=%u\n", (int)exit_code,
          (int)wasmedge_process_get_exit_code(), out_len, err_len);
  if (digest) printf("%u %08x\n", out_len, crc32(out, out_len));
  else fwrite(out, 1, out_len, stdout);
  fwrite(err, 1, err_len, stderr);
  fflush(stdout);
  fflush(stderr);
  free(out);
  free(err);
}

int main(int argc, char **argv) {
  int i = 1, digest = 0, again = 0, oob = 0;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
    const char *o = argv[i];
    if (!strcmp(o, "--env") && i + 1 < argc) add_env(argv[++i]);
    else if (!strcmp(o, "--timeout") && i + 1 < argc) wasmedge_process_set_timeout(atoi(argv[++i]));
    else if (!strcmp(o, "--stdin")) forward_stdin();
    else if (!strcmp(o, "--digest")) digest = 1;
    else if (!strcmp(o, "--nul-arg")) wasmedge_process_add_arg("a\0b", 3);
    else if (!strcmp(o, "--nul-env")) wasmedge_process_add_env("A", 1, "x\0y", 3);
    else if (!strcmp(o, "--again")) again = 1;
    else if (!strcmp(o, "--oob")) oob = 1;
    else return 2;
  }
  if (i == argc) return 2;
  wasmedge_process_set_prog_name(argv[i], strlen(argv[i]));
  for (i++; i < argc; i++) wasmedge_process_add_arg(argv[i], strlen(argv[i]));
  int32_t code = wasmedge_process_run();
  if (oob) wasmedge_process_get_stdout((uint8_t *)(uintptr_t)0xFFFFFF00u);
  report(code, digest);
  if (again) report(wasmedge_process_run(), digest);
  return 0;
}
