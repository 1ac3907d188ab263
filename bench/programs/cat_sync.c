/* cat-sync: copies stdin to stdout through one 128 KiB buffer with blocking read/write calls.
 * Measures the cost of crossing into the host (WASI fd_read/fd_write) and of copying bytes. */
#include <stdio.h>
#include <unistd.h>

enum { BUFFER_SIZE = 128 * 1024 };
static char buffer[BUFFER_SIZE];

/* write() may accept fewer bytes than asked (pipes); keep going until all are out. */
static int write_all(const char *data, size_t size) {
  while (size > 0) {
    ssize_t written = write(1, data, size);
    if (written < 0) return -1;
    data += written;
    size -= (size_t)written;
  }
  return 0;
}

int main(void) {
  for (;;) {
    ssize_t got = read(0, buffer, BUFFER_SIZE);
    if (got == 0) return 0;
    if (got < 0 || write_all(buffer, (size_t)got) != 0) {
      perror("cat-sync");
      return 1;
    }
  }
}
