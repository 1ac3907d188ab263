/* The guest's descriptor table: guest fd numbers index `fds`; each entry maps to a host
 * descriptor plus the WASI rights the guest holds on it. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/wasi/wasi.h"

uint16_t wasi_fd_get(wl_wasi *w, uint32_t fd, uint64_t rights, wasi_fd **out) {
  if (fd >= w->nfds || !w->fds[fd].in_use) return WASI_EBADF;
  wasi_fd *f = &w->fds[fd];
  if ((f->rights_base & rights) != rights) return WASI_ENOTCAPABLE;
  *out = f;
  return WASI_ESUCCESS;
}

static bool grow_table(wl_wasi *w) {
  uint32_t n = w->nfds ? w->nfds * 2 : 8;
  wasi_fd *fds = realloc(w->fds, n * sizeof *fds);
  if (!fds) return false;
  for (uint32_t i = w->nfds; i < n; i++) fds[i] = (wasi_fd){.host = -1};
  w->fds = fds;
  w->nfds = n;
  return true;
}

uint16_t wasi_fd_install(wl_wasi *w, wasi_fd entry, uint32_t *fd) {
  uint32_t i = 0;
  while (i < w->nfds && w->fds[i].in_use) i++;
  if (i == w->nfds && !grow_table(w)) return WASI_ENOMEM;
  entry.in_use = true;
  w->fds[i] = entry;
  *fd = i;
  return WASI_ESUCCESS;
}

void wasi_fd_release(wasi_fd *f) {
  if (f->dir) closedir(f->dir);
  if (f->owned && f->host >= 0) close(f->host);
  free(f->preopen_name);
  *f = (wasi_fd){.host = -1};
}

uint8_t wasi_filetype_of_mode(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFBLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case S_IFCHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case S_IFDIR: return WASI_FILETYPE_DIRECTORY;
    case S_IFREG: return WASI_FILETYPE_REGULAR_FILE;
    case S_IFSOCK: return WASI_FILETYPE_SOCKET_STREAM;
    case S_IFLNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    default: return WASI_FILETYPE_UNKNOWN;  /* pipes have no WASI type of their own */
  }
}

uint8_t wasi_filetype_of_host(int host_fd) {
  struct stat st;
  if (fstat(host_fd, &st) != 0) return WASI_FILETYPE_UNKNOWN;
  return wasi_filetype_of_mode(st.st_mode);
}
