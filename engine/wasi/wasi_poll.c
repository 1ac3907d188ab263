/* poll_oneoff, proc_exit, proc_raise, sched_yield.
 *
 * poll_oneoff waits on clock and fd subscriptions together: fd readiness through ppoll with the
 * earliest clock deadline as its timeout (nanosecond precision), and when nothing is ready the
 * clock subscriptions that expired become the events. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/wasi/wasi.h"

enum { EVENT_CLOCK = 0, EVENT_FD_READ = 1, EVENT_FD_WRITE = 2 };
enum { SUBCLOCK_ABSTIME = 1, EVENT_FD_HANGUP = 1 };
#define SUBSCRIPTION_SIZE 48
#define EVENT_SIZE 32
#define NO_DEADLINE UINT64_MAX

typedef struct {
  uint64_t userdata;
  uint8_t type;
  uint64_t wait_ns;   /* clocks: time left until the deadline */
  int pollfd_index;   /* fds: slot in the pollfd array, or -1 */
  uint16_t error;     /* an fd subscription that failed before waiting */
} subscription;

typedef struct {
  wasi_ctx *c;
  uint32_t out;       /* guest address of the next event */
  uint32_t nevents;
} event_writer;

static void emit(event_writer *w, const subscription *s, uint16_t error, uint64_t nbytes,
                 uint16_t flags) {
  uint8_t *p = wasi_mem_range(w->c, w->out + w->nevents * EVENT_SIZE, EVENT_SIZE);
  for (int i = 0; i < EVENT_SIZE; i++) p[i] = 0;
  wasi_put_u64(p, s->userdata);
  wasi_put_u16(p + 8, error);
  p[10] = s->type;
  wasi_put_u64(p + 16, nbytes);
  wasi_put_u16(p + 24, flags);
  w->nevents++;
}

static uint64_t now_ns(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint16_t parse_clock(const uint8_t *p, subscription *s) {
  uint32_t id = (uint32_t)p[16] | (uint32_t)p[17] << 8 | (uint32_t)p[18] << 16 | (uint32_t)p[19] << 24;
  uint64_t timeout = 0;
  for (int i = 7; i >= 0; i--) timeout = (timeout << 8) | p[24 + i];
  uint16_t flags = (uint16_t)(p[40] | p[41] << 8);
  if (id > 3) return WASI_EINVAL;
  if (flags & SUBCLOCK_ABSTIME) {
    /* Absolute deadlines only make sense on the wall and monotonic clocks. */
    if (id > 1) return WASI_EINVAL;
    uint64_t now = now_ns(id == 0 ? CLOCK_REALTIME : CLOCK_MONOTONIC);
    s->wait_ns = timeout > now ? timeout - now : 0;
  } else {
    s->wait_ns = timeout;
  }
  return WASI_ESUCCESS;
}

static void parse_fd(wasi_ctx *c, const uint8_t *p, subscription *s, struct pollfd *fds, nfds_t *n) {
  uint32_t fd = (uint32_t)p[16] | (uint32_t)p[17] << 8 | (uint32_t)p[18] << 16 | (uint32_t)p[19] << 24;
  uint64_t right = s->type == EVENT_FD_READ ? WASI_RIGHT_FD_READ : WASI_RIGHT_FD_WRITE;
  wasi_fd *f;
  s->error = wasi_fd_get(c->wasi, fd, right, &f);
  if (s->error) return;
  s->pollfd_index = (int)*n;
  fds[(*n)++] = (struct pollfd){.fd = f->host, .events = s->type == EVENT_FD_READ ? POLLIN : POLLOUT};
}

/* Bytes readable now: for files the distance to the end, else what the host says is queued. */
static uint64_t readable_bytes(int fd) {
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    off_t pos = lseek(fd, 0, SEEK_CUR);
    return pos >= 0 && st.st_size > pos ? (uint64_t)(st.st_size - pos) : 0;
  }
  int n = 0;
  return ioctl(fd, FIONREAD, &n) == 0 && n > 0 ? (uint64_t)n : 0;
}

static void emit_fd_events(event_writer *w, const subscription *subs, uint32_t n,
                           const struct pollfd *fds) {
  for (uint32_t i = 0; i < n; i++) {
    const subscription *s = &subs[i];
    if (s->type == EVENT_CLOCK) continue;
    if (s->error) { emit(w, s, s->error, 0, 0); continue; }
    short r = fds[s->pollfd_index].revents;
    if (!r) continue;
    if (r & POLLNVAL) { emit(w, s, WASI_EBADF, 0, 0); continue; }
    uint64_t nbytes = s->type == EVENT_FD_READ ? readable_bytes(fds[s->pollfd_index].fd) : 0;
    emit(w, s, (r & POLLERR) && !(r & POLLHUP) ? WASI_EIO : 0, nbytes,
         (r & POLLHUP) ? EVENT_FD_HANGUP : 0);
  }
}

static void emit_expired_clocks(event_writer *w, const subscription *subs, uint32_t n,
                                uint64_t waited) {
  for (uint32_t i = 0; i < n; i++)
    if (subs[i].type == EVENT_CLOCK && subs[i].wait_ns <= waited) emit(w, &subs[i], 0, 0, 0);
}

static uint16_t parse_all(wasi_ctx *c, const uint8_t *in, uint32_t n, subscription *subs,
                          struct pollfd *fds, nfds_t *nfds, uint64_t *min_wait, bool *failed) {
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *p = in + (size_t)i * SUBSCRIPTION_SIZE;
    subscription *s = &subs[i];
    *s = (subscription){.type = p[8], .pollfd_index = -1};
    for (int b = 7; b >= 0; b--) s->userdata = (s->userdata << 8) | p[b];
    if (s->type == EVENT_CLOCK) {
      uint16_t err = parse_clock(p, s);
      if (err) return err;
      if (s->wait_ns < *min_wait) *min_wait = s->wait_ns;
    } else if (s->type == EVENT_FD_READ || s->type == EVENT_FD_WRITE) {
      parse_fd(c, p, s, fds, nfds);
      if (s->error) *failed = true;
    } else {
      return WASI_EINVAL;
    }
  }
  return WASI_ESUCCESS;
}

/* Waits for fds (if any) or until `wait_ns` passes. Returns the time it waited. */
static uint64_t wait_for(struct pollfd *fds, nfds_t nfds, uint64_t wait_ns, int *ready) {
  uint64_t start = now_ns(CLOCK_MONOTONIC);
  struct timespec ts = {.tv_sec = (time_t)(wait_ns / 1000000000u),
                        .tv_nsec = (long)(wait_ns % 1000000000u)};
  *ready = 0;
  if (nfds) {
    int r = ppoll(fds, nfds, wait_ns == NO_DEADLINE ? NULL : &ts, NULL);
    *ready = r > 0 ? r : 0;
  } else if (wait_ns != NO_DEADLINE) {
    while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR) {}
  }
  return now_ns(CLOCK_MONOTONIC) - start;
}

static uint16_t poll_oneoff(wasi_ctx *c, const wl_val *a) {
  uint32_t n = wasi_arg_u32(a, 2), nevents_ptr = wasi_arg_u32(a, 3);
  if (n == 0) return WASI_EINVAL;
  const uint8_t *in = wasi_mem_range(c, wasi_arg_u32(a, 0), (uint64_t)n * SUBSCRIPTION_SIZE);
  if (!in || !wasi_mem_range(c, wasi_arg_u32(a, 1), (uint64_t)n * EVENT_SIZE) ||
      !wasi_mem_range(c, nevents_ptr, 4))
    return WASI_EFAULT;
  subscription *subs = calloc(n, sizeof *subs);
  struct pollfd *fds = calloc(n, sizeof *fds);
  uint16_t err = subs && fds ? WASI_ESUCCESS : WASI_ENOMEM;
  nfds_t nfds = 0;
  uint64_t min_wait = NO_DEADLINE;
  bool failed = false;
  if (!err) err = parse_all(c, in, n, subs, fds, &nfds, &min_wait, &failed);
  if (!err) {
    int ready;
    uint64_t waited = wait_for(fds, nfds, failed ? 0 : min_wait, &ready);
    event_writer w = {.c = c, .out = wasi_arg_u32(a, 1)};
    emit_fd_events(&w, subs, n, fds);
    if (w.nevents == 0) emit_expired_clocks(&w, subs, n, waited);
    wasi_store_u32(c, nevents_ptr, w.nevents);
  }
  free(subs);
  free(fds);
  return err;
}

static uint16_t proc_exit(wasi_ctx *c, const wl_val *a) {
  c->exit_requested = true;
  c->exit_code = (int)wasi_arg_u32(a, 0);
  return WASI_ESUCCESS;
}

/* Raising a signal in the host process would take the whole embedder down with the guest. */
static uint16_t proc_raise(wasi_ctx *c, const wl_val *a) {
  (void)c;
  (void)a;
  return WASI_ENOTSUP;
}

static uint16_t sched_yield_(wasi_ctx *c, const wl_val *a) {
  (void)c;
  (void)a;
  sched_yield();
  return WASI_ESUCCESS;
}

const wasi_def wasi_poll_defs[] = {
    {"poll_oneoff", "iiii", poll_oneoff, false},
    {"proc_exit", "i", proc_exit, true},
    {"proc_raise", "i", proc_raise, false},
    {"sched_yield", "", sched_yield_, false},
    {NULL, NULL, NULL, false},
};
