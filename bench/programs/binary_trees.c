/* binary-trees: allocates and walks many perfect binary trees, one malloc per node.
 * Task rules: a "stretch" tree of depth max+1, a long-lived tree of depth max kept alive the
 * whole run, and 2^(max - d + min) trees of each depth d = 4, 6, ..., max, each freed after
 * counting its nodes. Measures allocator speed and pointer chasing. */
#include <stdio.h>
#include <stdlib.h>

enum { MIN_DEPTH = 4 };

typedef struct node {
  struct node *left, *right;
} node;

static node *make_tree(int depth) {
  node *n = malloc(sizeof *n);
  if (!n) {
    fputs("binary-trees: out of memory\n", stderr);
    exit(1);
  }
  if (depth > 0) {
    n->left = make_tree(depth - 1);
    n->right = make_tree(depth - 1);
  } else {
    n->left = n->right = NULL;
  }
  return n;
}

static long count_nodes(const node *n) {
  return n->left ? 1 + count_nodes(n->left) + count_nodes(n->right) : 1;
}

static void free_tree(node *n) {
  if (n->left) {
    free_tree(n->left);
    free_tree(n->right);
  }
  free(n);
}

/* Builds, counts and frees one tree; returns its node count. */
static long build_and_check(int depth) {
  node *tree = make_tree(depth);
  long count = count_nodes(tree);
  free_tree(tree);
  return count;
}

int main(int argc, char **argv) {
  int requested = argc > 1 ? atoi(argv[1]) : 10;
  int max_depth = requested > MIN_DEPTH + 2 ? requested : MIN_DEPTH + 2;

  printf("stretch tree of depth %d\t check: %ld\n", max_depth + 1, build_and_check(max_depth + 1));

  node *long_lived = make_tree(max_depth);
  for (int depth = MIN_DEPTH; depth <= max_depth; depth += 2) {
    long iterations = 1L << (max_depth - depth + MIN_DEPTH);
    long check = 0;
    for (long i = 0; i < iterations; i++) check += build_and_check(depth);
    printf("%ld\t trees of depth %d\t check: %ld\n", iterations, depth, check);
  }
  printf("long lived tree of depth %d\t check: %ld\n", max_depth, count_nodes(long_lived));
  free_tree(long_lived);
  return 0;
}
