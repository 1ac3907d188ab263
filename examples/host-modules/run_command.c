/* run_command PROGRAM [ARG...]: runs PROGRAM on the host through wasmedge_process, with this
 * program's stdin as its input, and passes on its output and exit code.
 * Build: clang-19 --target=wasm32-wasi -O2 -I examples/host-modules run_command.c -o run_command.wasm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasmedge_process.h"

/* Hands everything on our stdin to the command. */
static void forward_stdin(void) {
  unsigned char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) wasmedge_process_add_stdin(chunk, n);
}

/* Copies one captured output (get_len bytes, fetched by get) to `to`. */
static void pass_on(uint32_t (*get_len)(void), void (*get)(uint8_t *), FILE *to) {
  uint32_t len = get_len();
  uint8_t *buf = malloc(len ? len : 1);
  if (!buf) exit(70);
  get(buf);
  fwrite(buf, 1, len, to);
  free(buf);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: run_command PROGRAM [ARG...]\n");
    return 2;
  }
  wasmedge_process_set_prog_name(argv[1], strlen(argv[1]));
  for (int i = 2; i < argc; i++) wasmedge_process_add_arg(argv[i], strlen(argv[i]));
  const char *lang = getenv("LANG");  /* our own environment, given by the host with --env */
  if (lang) wasmedge_process_add_env("LANG", 4, lang, strlen(lang));
  forward_stdin();
  int32_t code = wasmedge_process_run();
  pass_on(wasmedge_process_get_stdout_len, wasmedge_process_get_stdout, stdout);
  pass_on(wasmedge_process_get_stderr_len, wasmedge_process_get_stderr, stderr);
  return code & 0xff;
}
