/* fannkuch-redux: for every permutation of 1..n count the "pancake flips" (reverse the first
 * k elements, k being the first element) until 1 comes first. Prints a checksum (flip counts
 * with alternating signs, in the task's permutation order) and the maximum flip count.
 * Integer work on tiny arrays: loads, stores, compares and short loops. */
#include <stdio.h>
#include <stdlib.h>

enum { MAX_N = 16 };

/* Flips a copy of the permutation until element 0 is 0; returns the number of flips. */
static int count_flips(const int *permutation, int n) {
  int work[MAX_N];
  for (int i = 0; i < n; i++) work[i] = permutation[i];
  int flips = 0;
  for (int first = work[0]; first != 0; first = work[0]) {
    for (int lo = 0, hi = first; lo < hi; lo++, hi--) {
      int t = work[lo];
      work[lo] = work[hi];
      work[hi] = t;
    }
    flips++;
  }
  return flips;
}

/* Moves element 0 to position `last`, shifting elements 1..last one place to the left. */
static void rotate_prefix(int *permutation, int last) {
  int first = permutation[0];
  for (int i = 0; i < last; i++) permutation[i] = permutation[i + 1];
  permutation[last] = first;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 7;
  if (n < 1 || n > MAX_N) {
    fprintf(stderr, "fannkuch-redux: n must be in 1..%d\n", MAX_N);
    return 1;
  }
  int permutation[MAX_N], remaining[MAX_N];
  for (int i = 0; i < n; i++) permutation[i] = i;

  /* remaining[r] counts the rotations of the first r+1 elements still to do before the
   * prefix of length r+2 rotates; this visits permutations in the order the task defines. */
  int checksum = 0, max_flips = 0, index = 0, r = n;
  for (;;) {
    for (; r != 1; r--) remaining[r - 1] = r;
    int flips = count_flips(permutation, n);
    if (flips > max_flips) max_flips = flips;
    checksum += (index % 2 == 0) ? flips : -flips;
    index++;
    for (;; r++) {
      if (r == n) {
        printf("%d\nPfannkuchen(%d) = %d\n", checksum, n, max_flips);
        return 0;
      }
      rotate_prefix(permutation, r);
      if (--remaining[r] > 0) break;
    }
  }
}
