/* sock_accept, sock_recv, sock_send, sock_shutdown on descriptors the guest already holds.
 * wl_wasi_options has no way to hand the guest a socket yet, so in practice these answer
 * "not a socket" -- but they are real, not stubs.
 *
 * Every call checks its descriptor the same way (sock_fd): a closed or unknown fd is EBADF, an
 * open fd that is not a socket is ENOTSOCK (whatever rights it holds: the rights of a file say
 * nothing about socket operations), and only then a missing right is ENOTCAPABLE. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "engine/wasi/wasi.h"

enum { RIFLAG_PEEK = 1, RIFLAG_WAITALL = 2, ROFLAG_TRUNCATED = 1, SDFLAG_RD = 1, SDFLAG_WR = 2 };
enum { WASI_FDFLAGS_NONBLOCK_ONLY = WASI_FDFLAG_NONBLOCK };

#define SOCKET_RIGHTS                                                                      \
  (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE | WASI_RIGHT_POLL_FD_READWRITE |               \
   WASI_RIGHT_SOCK_SHUTDOWN | WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_FILESTAT_GET)

static bool is_socket(const wasi_fd *f) {
  return f->filetype == WASI_FILETYPE_SOCKET_STREAM || f->filetype == WASI_FILETYPE_SOCKET_DGRAM;
}

/* The socket behind guest fd `fd`, if it holds `rights` (see the file comment for the order). */
static uint16_t sock_fd(wasi_ctx *c, uint32_t fd, uint64_t rights, wasi_fd **out) {
  uint16_t err = wasi_fd_get(c->wasi, fd, 0, out);
  if (err) return err;
  if (!is_socket(*out)) return WASI_ENOTSOCK;
  return wasi_fd_get(c->wasi, fd, rights, out);
}

static uint16_t sock_accept(wasi_ctx *c, const wl_val *a) {
  wasi_fd *f;
  uint16_t err = sock_fd(c, wasi_arg_u32(a, 0), WASI_RIGHT_SOCK_ACCEPT, &f);
  if (err) return err;
  uint32_t flags = wasi_arg_u32(a, 1), fd_ptr = wasi_arg_u32(a, 2);
  if (flags & ~(uint32_t)WASI_FDFLAGS_NONBLOCK_ONLY) return WASI_EINVAL;
  if (!wasi_mem_range(c, fd_ptr, 4)) return WASI_EFAULT;
  int host = accept4(f->host, NULL, NULL, SOCK_CLOEXEC | (flags ? SOCK_NONBLOCK : 0));
  if (host < 0) return wasi_errno_from_host(errno);
  wasi_fd entry = {.host = host, .owned = true, .filetype = WASI_FILETYPE_SOCKET_STREAM,
                   .rights_base = SOCKET_RIGHTS & f->rights_inheriting};
  uint32_t fd;
  if ((err = wasi_fd_install(c->wasi, entry, &fd))) {
    close(host);
    return err;
  }
  wasi_store_u32(c, fd_ptr, fd);
  return WASI_ESUCCESS;
}

/* sock_recv(fd, ri_data, ri_data_len, ri_flags, ro_datalen_ptr, ro_flags_ptr) */
static uint16_t sock_recv(wasi_ctx *c, const wl_val *a) {
  wasi_fd *f;
  uint16_t err = sock_fd(c, wasi_arg_u32(a, 0), WASI_RIGHT_FD_READ, &f);
  if (err) return err;
  uint32_t riflags = wasi_arg_u32(a, 3), len_ptr = wasi_arg_u32(a, 4), flags_ptr = wasi_arg_u32(a, 5);
  if (!wasi_mem_range(c, len_ptr, 4) || !wasi_mem_range(c, flags_ptr, 2)) return WASI_EFAULT;
  struct msghdr msg = {0};
  int n;
  if ((err = wasi_iovecs(c, wasi_arg_u32(a, 1), wasi_arg_u32(a, 2), &msg.msg_iov, &n))) return err;
  msg.msg_iovlen = (size_t)n;
  int host_flags = (riflags & RIFLAG_PEEK ? MSG_PEEK : 0) | (riflags & RIFLAG_WAITALL ? MSG_WAITALL : 0);
  ssize_t got = recvmsg(f->host, &msg, host_flags);
  int saved = errno;
  free(msg.msg_iov);
  if (got < 0) return wasi_errno_from_host(saved);
  wasi_store_u32(c, len_ptr, (uint32_t)got);
  wasi_store_u16(c, flags_ptr, msg.msg_flags & MSG_TRUNC ? ROFLAG_TRUNCATED : 0);
  return WASI_ESUCCESS;
}

/* sock_send(fd, si_data, si_data_len, si_flags, so_datalen_ptr); si_flags has no bits yet. */
static uint16_t sock_send(wasi_ctx *c, const wl_val *a) {
  wasi_fd *f;
  uint16_t err = sock_fd(c, wasi_arg_u32(a, 0), WASI_RIGHT_FD_WRITE, &f);
  if (err) return err;
  uint32_t len_ptr = wasi_arg_u32(a, 4);
  if (!wasi_mem_range(c, len_ptr, 4)) return WASI_EFAULT;
  struct msghdr msg = {0};
  int n;
  if ((err = wasi_iovecs(c, wasi_arg_u32(a, 1), wasi_arg_u32(a, 2), &msg.msg_iov, &n))) return err;
  msg.msg_iovlen = (size_t)n;
  ssize_t sent = sendmsg(f->host, &msg, MSG_NOSIGNAL);  /* EPIPE, not a process-killing SIGPIPE */
  int saved = errno;
  free(msg.msg_iov);
  if (sent < 0) return wasi_errno_from_host(saved);
  wasi_store_u32(c, len_ptr, (uint32_t)sent);
  return WASI_ESUCCESS;
}

static uint16_t sock_shutdown(wasi_ctx *c, const wl_val *a) {
  wasi_fd *f;
  uint16_t err = sock_fd(c, wasi_arg_u32(a, 0), WASI_RIGHT_SOCK_SHUTDOWN, &f);
  if (err) return err;
  uint32_t how = wasi_arg_u32(a, 1);
  int host_how;
  if (how == (SDFLAG_RD | SDFLAG_WR)) host_how = SHUT_RDWR;
  else if (how == SDFLAG_RD) host_how = SHUT_RD;
  else if (how == SDFLAG_WR) host_how = SHUT_WR;
  else return WASI_EINVAL;
  return shutdown(f->host, host_how) == 0 ? WASI_ESUCCESS : wasi_errno_from_host(errno);
}

const wasi_def wasi_sock_defs[] = {
    {"sock_accept", "iii", sock_accept, false},
    {"sock_recv", "iiiiii", sock_recv, false},
    {"sock_send", "iiiii", sock_send, false},
    {"sock_shutdown", "ii", sock_shutdown, false},
    {NULL, NULL, NULL, false},
};
