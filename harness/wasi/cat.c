/* stdin to stdout, byte for byte, then a byte count on stderr. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  char buf[4096];
  long total = 0;
  ssize_t n;
  while ((n = read(0, buf, sizeof buf)) > 0) {
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(1, buf + done, (size_t)(n - done));
      if (w <= 0) return 3;
      done += w;
    }
    total += n;
  }
  fprintf(stderr, "copied %ld bytes\n", total);
  return n < 0 ? 2 : 0;
}
