/* Loading an artifact: check its trailer (never dlopen a file that fails), dlopen, install
 * the runtime table, and register its executable range for the fault handler. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>
#include <limits.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

#include "backends/aot/aot.h"

typedef struct {
  uintptr_t base;
  uintptr_t lo, hi;
} code_search;

static int find_exec_segment(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  code_search *s = data;
  if (info->dlpi_addr != s->base) return 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X)) continue;
    s->lo = info->dlpi_addr + ph->p_vaddr;
    s->hi = s->lo + ph->p_memsz;
    return 1;
  }
  return 0;
}

static void register_code(aot_code *c) {
  struct link_map *lm = NULL;
  if (dlinfo(c->dl, RTLD_DI_LINKMAP, &lm) != 0 || !lm) return;
  code_search s = {.base = lm->l_addr};
  dl_iterate_phdr(find_exec_segment, &s);
  if (s.hi > s.lo) {
    c->code_lo = s.lo;
    c->code_hi = s.hi;
    c->bias = lm->l_addr;
    aot_trace_register(c);
  }
}

wl_error *aot_load(int fd, const char *path, const aot_key *key, uint32_t ndefined,
                   aot_code **out) {
  *out = NULL;
  double t = aot_clock();
  wl_error *err = aot_check_artifact(fd, path, key);
  if (err) {
    close(fd);
    return err;
  }
  /* dlopen searches the library path for a name without a slash ("x.so"), so load the file
   * by its absolute path, and make sure that path is still the file just checked (a cache
   * path only this user can write, and artifact names are content keys, so this is a
   * safety net, not the defence). */
  char real[PATH_MAX];
  struct stat checked, named;
  if (!realpath(path, real) || fstat(fd, &checked) != 0 || stat(real, &named) != 0 ||
      checked.st_dev != named.st_dev || checked.st_ino != named.st_ino) {
    close(fd);
    return wl_err(WL_ERR_IO, "aot artifact %s rejected: it changed while being loaded", path);
  }
  close(fd);
  void *dl = dlopen(real, RTLD_NOW | RTLD_LOCAL);
  aot_report_phase("load", t);
  if (!dl) return wl_err(WL_ERR_UNSUPPORTED, "aot: cannot load %s: %s", path, dlerror());
  void **rt = dlsym(dl, AOT_SYM_RT);
  const aot_func_ptrs *funcs = dlsym(dl, AOT_SYM_FUNCS);
  const uint32_t *nfuncs = dlsym(dl, AOT_SYM_NFUNCS);
  aot_code *c = NULL;
  if (!rt || !funcs || !nfuncs || *nfuncs != ndefined)
    err = wl_err(WL_ERR_UNSUPPORTED, "aot artifact %s rejected: its symbols do not match", path);
  else if (!(c = calloc(1, sizeof *c)))
    err = wl_err(WL_ERR_RESOURCE, "out of memory");
  if (err) {
    dlclose(dl);
    return err;
  }
  aot_fill_rt_table(rt);  /* before any generated code can run */
  c->dl = dl;
  c->funcs = funcs;
  c->nfuncs = ndefined;
  c->path = strdup(real);
  register_code(c);
  *out = c;
  return NULL;
}

void aot_unload(aot_code *c) {
  if (!c) return;
  if (c->code_lo) wl_native_unregister_code(c->code_lo);
  aot_trace_release(c);
  free(c->path);
  dlclose(c->dl);
  if (c->owned_path) aot_remove_private_artifact(c->owned_path);
  free(c->owned_path);
  free(c);
}
