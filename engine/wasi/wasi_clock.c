/* clock_res_get, clock_time_get, random_get. WASI clock ids 0..3 map to the POSIX clocks of the
 * same meaning; time is in nanoseconds. */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/random.h>
#include <time.h>

#include "engine/wasi/wasi.h"

static bool host_clock(uint32_t id, clockid_t *out) {
  static const clockid_t clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                                     CLOCK_THREAD_CPUTIME_ID};
  if (id >= sizeof clocks / sizeof clocks[0]) return false;
  *out = clocks[id];
  return true;
}

static uint64_t nanoseconds(const struct timespec *ts) {
  return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

static uint16_t clock_res_get(wasi_ctx *c, const wl_val *a) {
  clockid_t id;
  struct timespec ts;
  if (!host_clock(wasi_arg_u32(a, 0), &id)) return WASI_EINVAL;
  if (clock_getres(id, &ts) != 0) return wasi_errno_from_host(errno);
  return wasi_store_u64(c, wasi_arg_u32(a, 1), nanoseconds(&ts)) ? WASI_ESUCCESS : WASI_EFAULT;
}

/* The `precision` argument (a[1]) is a hint; the host clock's own resolution is used. */
static uint16_t clock_time_get(wasi_ctx *c, const wl_val *a) {
  clockid_t id;
  struct timespec ts;
  if (!host_clock(wasi_arg_u32(a, 0), &id)) return WASI_EINVAL;
  if (clock_gettime(id, &ts) != 0) return wasi_errno_from_host(errno);
  return wasi_store_u64(c, wasi_arg_u32(a, 2), nanoseconds(&ts)) ? WASI_ESUCCESS : WASI_EFAULT;
}

static uint16_t random_get(wasi_ctx *c, const wl_val *a) {
  uint32_t len = wasi_arg_u32(a, 1);
  uint8_t *buf = wasi_mem_range(c, wasi_arg_u32(a, 0), len);
  if (!buf) return WASI_EFAULT;
  for (uint32_t done = 0; done < len;) {
    ssize_t n = getrandom(buf + done, len - done, 0);
    if (n < 0 && errno != EINTR) return wasi_errno_from_host(errno);
    if (n > 0) done += (uint32_t)n;
  }
  return WASI_ESUCCESS;
}

const wasi_def wasi_clock_defs[] = {
    {"clock_res_get", "ii", clock_res_get, false},
    {"clock_time_get", "iIi", clock_time_get, false},
    {"random_get", "ii", random_get, false},
    {NULL, NULL, NULL, false},
};
