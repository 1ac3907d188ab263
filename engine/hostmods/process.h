/* wasmedge_process, internal to engine/hostmods/: the per-instance state and the spawner.
 *
 * Behaviour follows WasmEdge's wasmedge_process plugin so programs written for it run
 * unchanged: the guest sets a program name, arguments, environment, stdin and a timeout, calls
 * run, then reads the exit code and the captured stdout/stderr; run resets the inputs. Where
 * that plugin is loose, this one is strict (see docs/host-modules.md, "Differences"). */
#ifndef WL_HOSTMODS_PROCESS_H
#define WL_HOSTMODS_PROCESS_H
#include <stdint.h>

#include "engine/hostmods/hostmods.h"
#include "engine/include/wasmlab_hostmods.h"

enum {
  PROC_DEFAULT_TIMEOUT_MS = 10000,  /* WasmEdge's default */
  PROC_EXIT_FAILED = -1,            /* refused, or could not be started */
};

typedef struct {
  hm_buf *items;
  size_t count;
  size_t cap;
} proc_list;

struct wl_process {
  char **allowed;
  size_t nallowed;
  bool allow_all;
  /* The command being built; reset by every run. */
  hm_buf name;
  proc_list args;
  proc_list env_names, env_values;  /* parallel; the first value given for a name wins */
  hm_buf stdin_data;
  uint32_t timeout_ms;
  /* The last run's results. */
  int32_t exit_code;
  hm_buf out, err;
};

/* A command ready to start: NULL-terminated argv/envp of C strings. */
typedef struct {
  char *const *argv;
  char *const *envp;
  const uint8_t *stdin_data;
  size_t stdin_len;
  uint32_t timeout_ms;
} proc_command;

/* Runs the command: posix_spawnp in a new process group with only the descriptors 0..2 (pipes
 * to us), default signal dispositions and an empty signal mask; feeds stdin and captures
 * stdout/stderr concurrently (any size, no deadlock); at the deadline kills the whole group.
 * Returns the exit code: the status as a signed 8-bit value (WasmEdge's convention: 255 reads
 * as -1), 128 + the signal for a child killed by a signal, ETIMEDOUT on timeout, or
 * PROC_EXIT_FAILED with a message appended to `err` when it could not be started. */
int32_t proc_spawn(const proc_command *c, hm_buf *out, hm_buf *err);

#endif
