/* The C tests' one assertion: counts passes, reports each failure with its line, and
 * check_summary() prints the closing "N passed, N failed" line and gives the exit status. */
#ifndef WL_CTESTS_CHECK_H
#define WL_CTESTS_CHECK_H
#include <stdio.h>

static int passed, failed;

#define CHECK(cond)                                                              \
  do {                                                                           \
    if (cond) {                                                                  \
      passed++;                                                                  \
    } else {                                                                     \
      failed++;                                                                  \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
    }                                                                            \
  } while (0)

static inline int check_summary(void) {
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
#endif
