/* wl_wasi: creation from options (arguments, environment, stdio, preopens), registration of
 * every wasi_snapshot_preview1 function in a linker, and running a command's `_start`. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/linker/linker.h"
#include "engine/wasi/wasi.h"

/* Ties one host function to its implementation and the WASI state it serves. */
struct wasi_binding {
  wl_wasi *wasi;
  const wasi_def *def;
};

static char **copy_strings(const char *const *src, size_t n) {
  char **dst = calloc(n ? n : 1, sizeof *dst);
  for (size_t i = 0; dst && i < n; i++) {
    if (!(dst[i] = strdup(src[i] ? src[i] : ""))) {
      while (i--) free(dst[i]);
      free(dst);
      return NULL;
    }
  }
  return dst;
}

static void free_strings(char **s, size_t n) {
  for (size_t i = 0; s && i < n; i++) free(s[i]);
  free(s);
}

/* Guest fds 0..2: borrowed host descriptors; rights depend on what the host fd is. */
static wl_error *install_stdio(wl_wasi *w, int fd, int host, uint64_t rights) {
  uint8_t type = wasi_filetype_of_host(host);
  if (type == WASI_FILETYPE_REGULAR_FILE)
    rights |= WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL | WASI_RIGHT_FD_FILESTAT_SET_SIZE;
  wasi_fd entry = {.host = host, .owned = false, .filetype = type,
                   .rights_base = rights | WASI_RIGHT_FD_FDSTAT_SET_FLAGS |
                                  WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_POLL_FD_READWRITE |
                                  WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_DATASYNC};
  uint32_t got;
  if (wasi_fd_install(w, entry, &got) != WASI_ESUCCESS || got != (uint32_t)fd)
    return wl_error_new(WL_ERR_RESOURCE, "wasi: cannot set up fd %d", fd);
  return NULL;
}

static wl_error *install_preopen(wl_wasi *w, const wl_wasi_preopen *p) {
  const char *guest = p->guest_path ? p->guest_path : p->host_path;
  int host = open(p->host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (host < 0)
    return wl_error_new(WL_ERR_IO, "cannot preopen %s: %s", p->host_path, strerror(errno));
  wasi_fd entry = {.host = host, .owned = true, .filetype = WASI_FILETYPE_DIRECTORY,
                   .rights_base = WASI_RIGHTS_DIRECTORY, .rights_inheriting = WASI_RIGHTS_ALL,
                   .preopen_name = strdup(guest)};
  uint32_t fd;
  if (!entry.preopen_name || wasi_fd_install(w, entry, &fd) != WASI_ESUCCESS) {
    free(entry.preopen_name);
    close(host);
    return wl_error_new(WL_ERR_RESOURCE, "wasi: out of memory");
  }
  return NULL;
}

static wl_error *setup(wl_wasi *w, const wl_wasi_options *o) {
  w->args = copy_strings(o->args, o->nargs);
  w->env = copy_strings(o->env, o->nenv);
  if (!w->args || !w->env) return wl_error_new(WL_ERR_RESOURCE, "wasi: out of memory");
  w->nargs = o->nargs;
  w->nenv = o->nenv;
  wl_error *e = install_stdio(w, 0, o->stdin_fd, WASI_RIGHT_FD_READ);
  if (!e) e = install_stdio(w, 1, o->stdout_fd, WASI_RIGHT_FD_WRITE);
  if (!e) e = install_stdio(w, 2, o->stderr_fd, WASI_RIGHT_FD_WRITE);
  for (size_t i = 0; !e && i < o->npreopens; i++) e = install_preopen(w, &o->preopens[i]);
  return e;
}

wl_error *wl_wasi_new(const wl_wasi_options *o, wl_wasi **out) {
  if (!o || !out) return wl_error_new(WL_ERR_ARGUMENT, "wasi: missing options");
  wl_wasi *w = calloc(1, sizeof *w);
  if (!w) return wl_error_new(WL_ERR_RESOURCE, "wasi: out of memory");
  wl_error *e = setup(w, o);
  if (e) {
    wl_wasi_delete(w);
    return e;
  }
  *out = w;
  return NULL;
}

void wl_wasi_delete(wl_wasi *w) {
  if (!w) return;
  for (uint32_t i = 0; i < w->nfds; i++)
    if (w->fds[i].in_use) wasi_fd_release(&w->fds[i]);
  free(w->fds);
  free_strings(w->args, w->nargs);
  free_strings(w->env, w->nenv);
  free(w->bindings);
  free(w);
}

/* The one host callback every WASI function goes through: fetch the caller's memory, run the
 * implementation, store its errno. */
static wl_error *wasi_callback(void *user_data, wl_caller *caller, const wl_val *args,
                               wl_val *results) {
  const struct wasi_binding *b = user_data;
  wasi_ctx c = {.wasi = b->wasi};
  wl_memory *mem = wl_caller_memory(caller, 0);
  if (mem) {
    c.mem = wl_memory_data(mem);
    c.mem_size = wl_memory_size(mem);
  }
  uint16_t err = b->def->impl(&c, args);
  if (c.exit_requested) return wl_exit_new(c.exit_code);
  if (!b->def->no_result) results[0].of.i32 = err;
  return NULL;
}

static const wasi_def *const all_tables[] = {
    wasi_args_defs,     wasi_clock_defs, wasi_fd_io_defs, wasi_fd_meta_defs, wasi_fd_dir_defs,
    wasi_path_defs,     wasi_path_link_defs, wasi_poll_defs,  wasi_sock_defs,
};
#define TABLE_COUNT (sizeof all_tables / sizeof all_tables[0])

static size_t count_defs(void) {
  size_t n = 0;
  for (size_t t = 0; t < TABLE_COUNT; t++)
    for (const wasi_def *d = all_tables[t]; d->name; d++) n++;
  return n;
}

static wl_error *define_one(wl_linker *l, struct wasi_binding *b) {
  static const wl_valkind i32 = WL_I32;
  wl_valkind params[16];
  size_t np = strlen(b->def->params);
  for (size_t i = 0; i < np; i++) params[i] = b->def->params[i] == 'I' ? WL_I64 : WL_I32;
  wl_signature sig = {params, np, &i32, b->def->no_result ? 0 : 1};
  wl_func *f = wl_func_new_host(wl_linker_store(l), sig, wasi_callback, b, NULL, 1);
  if (!f) return wl_error_new(WL_ERR_RESOURCE, "wasi: cannot create %s", b->def->name);
  wl_extern ext = {.kind = WL_EXTERN_FUNC, .of.func = f};
  return wl_linker_define(l, "wasi_snapshot_preview1", b->def->name, ext);
}

wl_error *wl_linker_define_wasi(wl_linker *l, wl_wasi *w) {
  size_t n = count_defs();
  /* Host functions keep pointers into this array, so it is allocated once per wl_wasi. */
  if (!w->bindings) {
    w->bindings = calloc(n, sizeof *w->bindings);
    if (!w->bindings) return wl_error_new(WL_ERR_RESOURCE, "wasi: out of memory");
    size_t k = 0;
    for (size_t t = 0; t < TABLE_COUNT; t++)
      for (const wasi_def *d = all_tables[t]; d->name; d++)
        w->bindings[k++] = (struct wasi_binding){w, d};
    w->nbindings = n;
  }
  for (size_t i = 0; i < w->nbindings; i++) {
    wl_error *e = define_one(l, &w->bindings[i]);
    if (e) return e;
  }
  return NULL;
}

wl_error *wl_wasi_run_start(wl_store *s, wl_instance *inst) {
  wl_extern start;
  if (!wl_instance_export(inst, "_start", &start) || start.kind != WL_EXTERN_FUNC)
    return wl_error_new(WL_ERR_ARGUMENT, "wasi: the module exports no _start function");
  if (wl_func_param_count(start.of.func) || wl_func_result_count(start.of.func))
    return wl_error_new(WL_ERR_ARGUMENT, "wasi: _start must take and return nothing");
  return wl_func_call(s, start.of.func, NULL, 0, NULL, 0);
}
