/* wasmedge_process: the per-instance state, the eleven host functions and their definition.
 * Import names and signatures are WasmEdge's (plugins/wasmedge_process there):
 *   set_prog_name(ptr, len)  add_arg(ptr, len)  add_env(name_ptr, name_len, val_ptr, val_len)
 *   add_stdin(ptr, len)  set_timeout(ms)  run() -> i32  get_exit_code() -> i32
 *   get_stdout_len() -> i32  get_stdout(ptr)  get_stderr_len() -> i32  get_stderr(ptr)
 * each prefixed with "wasmedge_process_". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/hostmods/process.h"

#define MODULE "wasmedge_process"

/* ---------------------------------------------------------------- state */

static bool list_push(proc_list *l, const uint8_t *bytes, size_t n) {
  if (l->count == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 8;
    hm_buf *items = realloc(l->items, cap * sizeof *items);
    if (!items) return false;
    l->items = items;
    l->cap = cap;
  }
  hm_buf b = {0};
  if (!hm_buf_append(&b, bytes, n) || !hm_buf_reserve(&b, 1)) {
    hm_buf_free(&b);
    return false;
  }
  l->items[l->count++] = b;
  return true;
}

static void list_clear(proc_list *l) {
  for (size_t i = 0; i < l->count; i++) hm_buf_free(&l->items[i]);
  l->count = 0;
}

static void list_free(proc_list *l) {
  list_clear(l);
  free(l->items);
  *l = (proc_list){0};
}

/* What the guest set for the next command goes away after every run, as in WasmEdge. */
static void reset_command(wl_process *p) {
  p->name.len = 0;
  list_clear(&p->args);
  list_clear(&p->env_names);
  list_clear(&p->env_values);
  p->stdin_data.len = 0;
  p->timeout_ms = PROC_DEFAULT_TIMEOUT_MS;
}

wl_error *wl_process_new(const wl_process_options *o, wl_process **out) {
  if (!o || !out) return wl_error_new(WL_ERR_ARGUMENT, MODULE ": missing options");
  wl_process *p = calloc(1, sizeof *p);
  if (p) p->allowed = calloc(o->nallowed ? o->nallowed : 1, sizeof *p->allowed);
  for (size_t i = 0; p && p->allowed && i < o->nallowed; i++) {
    if (!(p->allowed[i] = strdup(o->allowed_commands[i]))) break;
    p->nallowed++;
  }
  if (!p || !p->allowed || p->nallowed != o->nallowed) {
    wl_process_delete(p);
    return wl_error_new(WL_ERR_RESOURCE, MODULE ": out of memory");
  }
  p->allow_all = o->allow_all;
  p->timeout_ms = PROC_DEFAULT_TIMEOUT_MS;
  p->exit_code = PROC_EXIT_FAILED;
  *out = p;
  return NULL;
}

void wl_process_delete(wl_process *p) {
  if (!p) return;
  for (size_t i = 0; p->allowed && i < p->nallowed; i++) free(p->allowed[i]);
  free(p->allowed);
  hm_buf_free(&p->name);
  list_free(&p->args);
  list_free(&p->env_names);
  list_free(&p->env_values);
  hm_buf_free(&p->stdin_data);
  hm_buf_free(&p->out);
  hm_buf_free(&p->err);
  free(p);
}

/* ---------------------------------------------------------------- setting up a command */

static wl_error *oom(const char *fn) {
  return wl_trap_new(WL_TRAP_HOST, "%s: out of memory", fn);
}

/* The guest bytes [ptr, ptr+len) of the caller's memory, or a trap. */
static wl_error *guest_bytes(wl_caller *caller, const char *fn, const char *what, uint32_t ptr,
                             uint32_t len, uint8_t **out) {
  hm_mem m;
  wl_error *e = hm_mem_of(caller, fn, &m);
  return e ? e : hm_mem_range(&m, what, ptr, len, out);
}

static uint32_t arg_u32(const wl_val *args, int i) { return (uint32_t)args[i].of.i32; }

/* Appends the guest bytes (args[0], args[1]) to `to`. */
static wl_error *append_bytes(wl_caller *caller, const char *fn, const char *what,
                              const wl_val *args, hm_buf *to) {
  uint8_t *bytes;
  wl_error *e = guest_bytes(caller, fn, what, arg_u32(args, 0), arg_u32(args, 1), &bytes);
  if (!e && !hm_buf_append(to, bytes, arg_u32(args, 1))) e = oom(fn);
  return e;
}

static wl_error *set_prog_name(void *ud, wl_caller *caller, const wl_val *args, wl_val *res) {
  (void)res;
  wl_process *p = ud;
  p->name.len = 0;  /* a second call replaces the name */
  return append_bytes(caller, MODULE "_set_prog_name", "name", args, &p->name);
}

static wl_error *add_arg(void *ud, wl_caller *caller, const wl_val *args, wl_val *res) {
  (void)res;
  wl_process *p = ud;
  uint8_t *bytes;
  wl_error *e = guest_bytes(caller, MODULE "_add_arg", "argument", arg_u32(args, 0),
                            arg_u32(args, 1), &bytes);
  if (e) return e;
  return list_push(&p->args, bytes, arg_u32(args, 1)) ? NULL : oom(MODULE "_add_arg");
}

static bool env_has(const wl_process *p, const uint8_t *name, size_t n) {
  for (size_t i = 0; i < p->env_names.count; i++) {
    const hm_buf *b = &p->env_names.items[i];
    if (b->len == n && (n == 0 || memcmp(b->data, name, n) == 0)) return true;
  }
  return false;
}

static wl_error *add_env(void *ud, wl_caller *caller, const wl_val *args, wl_val *res) {
  (void)res;
  wl_process *p = ud;
  const char *fn = MODULE "_add_env";
  uint8_t *name, *value;
  wl_error *e = guest_bytes(caller, fn, "name", arg_u32(args, 0), arg_u32(args, 1), &name);
  if (!e) e = guest_bytes(caller, fn, "value", arg_u32(args, 2), arg_u32(args, 3), &value);
  if (e) return e;
  if (env_has(p, name, arg_u32(args, 1))) return NULL;  /* the first value wins, as in WasmEdge */
  if (!list_push(&p->env_names, name, arg_u32(args, 1))) return oom(fn);
  if (list_push(&p->env_values, value, arg_u32(args, 3))) return NULL;
  hm_buf_free(&p->env_names.items[--p->env_names.count]);
  return oom(fn);
}

static wl_error *add_stdin(void *ud, wl_caller *caller, const wl_val *args, wl_val *res) {
  (void)res;
  return append_bytes(caller, MODULE "_add_stdin", "buffer", args, &((wl_process *)ud)->stdin_data);
}

static wl_error *set_timeout(void *ud, wl_caller *caller, const wl_val *args, wl_val *res) {
  (void)caller;
  (void)res;
  ((wl_process *)ud)->timeout_ms = arg_u32(args, 0);
  return NULL;
}

/* ---------------------------------------------------------------- running it */

static void complain(wl_process *p, const char *text) { hm_buf_append(&p->err, text, strlen(text)); }

static bool allowed(const wl_process *p, const char *name) {
  if (p->allow_all) return true;
  for (size_t i = 0; i < p->nallowed; i++)
    if (strcmp(p->allowed[i], name) == 0) return true;
  return false;
}

/* Strings that cannot be passed to execve intact are refused, never cut at the NUL. */
static const char *malformed(const wl_process *p) {
  if (!p->name.len) return "no program name was set";
  if (hm_buf_has_nul(&p->name)) return "the program name contains a NUL byte";
  for (size_t i = 0; i < p->args.count; i++)
    if (hm_buf_has_nul(&p->args.items[i])) return "an argument contains a NUL byte";
  for (size_t i = 0; i < p->env_names.count; i++) {
    const hm_buf *n = &p->env_names.items[i];
    if (!n->len || hm_buf_has_nul(n) || memchr(n->data, '=', n->len))
      return "an environment variable name is empty or contains '=' or a NUL byte";
    if (hm_buf_has_nul(&p->env_values.items[i]))
      return "an environment variable value contains a NUL byte";
  }
  return NULL;
}

/* argv and envp point into the state's buffers (each has room for its NUL: list_push). */
static int32_t spawn_command(wl_process *p, const char *name) {
  size_t nargs = p->args.count, nenv = p->env_names.count;
  char **argv = calloc(nargs + 2, sizeof *argv);
  char **envp = calloc(nenv + 1, sizeof *envp);
  hm_buf *pairs = calloc(nenv ? nenv : 1, sizeof *pairs);
  int32_t code = PROC_EXIT_FAILED;
  bool ok = argv && envp && pairs;
  if (ok) argv[0] = (char *)name;
  for (size_t i = 0; ok && i < nargs; i++) ok = (argv[i + 1] = (char *)hm_buf_cstr(&p->args.items[i]));
  for (size_t i = 0; ok && i < nenv; i++) {
    hm_buf *n = &p->env_names.items[i], *v = &p->env_values.items[i];
    ok = hm_buf_append(&pairs[i], n->data, n->len) && hm_buf_append(&pairs[i], "=", 1) &&
         hm_buf_append(&pairs[i], v->data, v->len) && (envp[i] = (char *)hm_buf_cstr(&pairs[i]));
  }
  if (ok) {
    proc_command c = {argv, envp, p->stdin_data.data, p->stdin_data.len, p->timeout_ms};
    code = proc_spawn(&c, &p->out, &p->err);
  } else {
    complain(p, "wasmedge_process: out of memory\n");
  }
  for (size_t i = 0; pairs && i < nenv; i++) hm_buf_free(&pairs[i]);
  free(pairs);
  free(envp);
  free(argv);
  return code;
}

static int32_t run_command(wl_process *p) {
  const char *problem = malformed(p);
  const char *name = problem ? NULL : hm_buf_cstr(&p->name);
  if (problem || !name) {
    complain(p, "wasmedge_process: ");
    complain(p, problem ? problem : "out of memory");
    complain(p, "\n");
    return PROC_EXIT_FAILED;
  }
  if (!allowed(p, name)) {
    char text[600];
    snprintf(text, sizeof text,
             "Permission denied: command \"%.200s\" is not in the allow list; grant it with "
             "--allow-command %.200s (or --allow-command-all)\n", name, name);
    complain(p, text);
    return PROC_EXIT_FAILED;
  }
  return spawn_command(p, name);
}

static wl_error *run(void *ud, wl_caller *caller, const wl_val *args, wl_val *res) {
  (void)caller;
  (void)args;
  wl_process *p = ud;
  p->out.len = 0;
  p->err.len = 0;
  p->exit_code = run_command(p);
  reset_command(p);
  res[0].of.i32 = p->exit_code;
  return NULL;
}

/* ---------------------------------------------------------------- results */

static wl_error *get_exit_code(void *ud, wl_caller *caller, const wl_val *args, wl_val *res) {
  (void)caller;
  (void)args;
  res[0].of.i32 = ((wl_process *)ud)->exit_code;
  return NULL;
}

static wl_error *get_stdout_len(void *ud, wl_caller *caller, const wl_val *args, wl_val *res) {
  (void)caller;
  (void)args;
  res[0].of.i32 = (int32_t)((wl_process *)ud)->out.len;
  return NULL;
}

static wl_error *get_stderr_len(void *ud, wl_caller *caller, const wl_val *args, wl_val *res) {
  (void)caller;
  (void)args;
  res[0].of.i32 = (int32_t)((wl_process *)ud)->err.len;
  return NULL;
}

/* Copies a whole captured output to the guest buffer at args[0] (sized by get_*_len). */
static wl_error *copy_out(const hm_buf *b, const char *fn, wl_caller *caller, const wl_val *args) {
  uint8_t *dst;
  wl_error *e = guest_bytes(caller, fn, "buffer", arg_u32(args, 0), (uint32_t)b->len, &dst);
  if (!e && b->len) memcpy(dst, b->data, b->len);
  return e;
}

static wl_error *get_stdout(void *ud, wl_caller *caller, const wl_val *args, wl_val *res) {
  (void)res;
  return copy_out(&((wl_process *)ud)->out, MODULE "_get_stdout", caller, args);
}

static wl_error *get_stderr(void *ud, wl_caller *caller, const wl_val *args, wl_val *res) {
  (void)res;
  return copy_out(&((wl_process *)ud)->err, MODULE "_get_stderr", caller, args);
}

/* ---------------------------------------------------------------- definition */

/* Building the command is cheap; run is charged more, though the child's own time is not
 * metered (the timeout bounds it). */
static const hm_func process_funcs[] = {
    {MODULE "_set_prog_name", "ii", "", set_prog_name, 1},
    {MODULE "_add_arg", "ii", "", add_arg, 1},
    {MODULE "_add_env", "iiii", "", add_env, 1},
    {MODULE "_add_stdin", "ii", "", add_stdin, 1},
    {MODULE "_set_timeout", "i", "", set_timeout, 1},
    {MODULE "_run", "", "i", run, 100},
    {MODULE "_get_exit_code", "", "i", get_exit_code, 1},
    {MODULE "_get_stdout_len", "", "i", get_stdout_len, 1},
    {MODULE "_get_stdout", "i", "", get_stdout, 1},
    {MODULE "_get_stderr_len", "", "i", get_stderr_len, 1},
    {MODULE "_get_stderr", "i", "", get_stderr, 1},
};

wl_error *wl_linker_define_process(wl_linker *l, wl_process *p) {
  if (!l || !p) return wl_error_new(WL_ERR_ARGUMENT, MODULE ": missing linker or state");
  return hm_define(l, MODULE, process_funcs, sizeof process_funcs / sizeof process_funcs[0], p);
}
