/* Guest side of the `wasmedge_process` host module (wasmlab; the same imports as WasmEdge's
 * wasmedge_process plugin, so a program built against either runs on both).
 *
 * Build the command, run it, read the results:
 *   set_prog_name, add_arg (repeat), add_env (repeat), add_stdin (repeat: appends),
 *   set_timeout (milliseconds, default 10000), then run(). run() returns the exit code, which
 *   get_exit_code() repeats; the captured output is get_stdout_len() bytes, copied to a buffer
 *   of that size by get_stdout() (likewise stderr). run() clears everything that was set, so
 *   the next command starts from scratch.
 * Exit codes: the program's status as a signed 8-bit value (255 reads as -1); 128 + N when
 * signal N killed it; 110 (ETIMEDOUT) when the timeout killed it; -1 when it was not run (not
 * on the allow list, not found, or a NUL byte in a string), with the reason in stderr.
 * The host runs the program without a shell: no globbing, quoting or pipes. The child gets
 * only the variables set with add_env, and no file descriptors but stdin/stdout/stderr.
 * Pointers that do not fit in the module's memory trap. */
#ifndef WASMEDGE_PROCESS_H
#define WASMEDGE_PROCESS_H
#include <stdint.h>

#define WASMEDGE_PROCESS_IMPORT(name) \
  __attribute__((import_module("wasmedge_process"), import_name(#name)))

WASMEDGE_PROCESS_IMPORT(wasmedge_process_set_prog_name)
void wasmedge_process_set_prog_name(const char *name, uint32_t len);
WASMEDGE_PROCESS_IMPORT(wasmedge_process_add_arg)
void wasmedge_process_add_arg(const char *arg, uint32_t len);
WASMEDGE_PROCESS_IMPORT(wasmedge_process_add_env)
void wasmedge_process_add_env(const char *name, uint32_t name_len, const char *value,
                              uint32_t value_len);
WASMEDGE_PROCESS_IMPORT(wasmedge_process_add_stdin)
void wasmedge_process_add_stdin(const uint8_t *buf, uint32_t len);
WASMEDGE_PROCESS_IMPORT(wasmedge_process_set_timeout)
void wasmedge_process_set_timeout(uint32_t milliseconds);
WASMEDGE_PROCESS_IMPORT(wasmedge_process_run)
int32_t wasmedge_process_run(void);
WASMEDGE_PROCESS_IMPORT(wasmedge_process_get_exit_code)
int32_t wasmedge_process_get_exit_code(void);
WASMEDGE_PROCESS_IMPORT(wasmedge_process_get_stdout_len)
uint32_t wasmedge_process_get_stdout_len(void);
WASMEDGE_PROCESS_IMPORT(wasmedge_process_get_stdout)
void wasmedge_process_get_stdout(uint8_t *buf);
WASMEDGE_PROCESS_IMPORT(wasmedge_process_get_stderr_len)
uint32_t wasmedge_process_get_stderr_len(void);
WASMEDGE_PROCESS_IMPORT(wasmedge_process_get_stderr)
void wasmedge_process_get_stderr(uint8_t *buf);

#undef WASMEDGE_PROCESS_IMPORT
#endif
