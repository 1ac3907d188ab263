/* Clocks and randomness: wall time agrees with the host's (the test passes its own time as
 * argv[1]), monotonic time never goes back, a 20 ms sleep (poll_oneoff) takes at least 20 ms,
 * and random bytes are not all equal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long ns(clockid_t id) {
  struct timespec ts;
  if (clock_gettime(id, &ts) != 0) return -1;
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  long long host_now = argc > 1 ? atoll(argv[1]) : 0;
  long long wall = ns(CLOCK_REALTIME) / 1000000000LL;
  printf("realtime_close=%d\n", llabs(wall - host_now) <= 60);
  struct timespec res;
  printf("monotonic_res_ok=%d\n", clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 &&
                                      res.tv_nsec > 0);
  long long t0 = ns(CLOCK_MONOTONIC), t1 = ns(CLOCK_MONOTONIC);
  printf("monotonic_forward=%d\n", t0 > 0 && t1 >= t0);
  struct timespec nap = {0, 20 * 1000 * 1000};
  long long before = ns(CLOCK_MONOTONIC);
  nanosleep(&nap, NULL);
  long long slept = ns(CLOCK_MONOTONIC) - before;
  printf("slept_enough=%d\n", slept >= 20 * 1000 * 1000);
  printf("process_clock_ok=%d\n", ns(CLOCK_PROCESS_CPUTIME_ID) >= 0);
  unsigned char a[64], b[64];
  if (getentropy(a, sizeof a) != 0 || getentropy(b, sizeof b) != 0) return 2;
  int distinct = 0;
  for (size_t i = 1; i < sizeof a; i++) distinct += a[i] != a[0];
  printf("random_varied=%d\n", distinct > 0 && memcmp(a, b, sizeof a) != 0);
  return 0;
}
