/* fasta: writes three DNA sequences in FASTA format, 60 bases per line:
 *   ONE   - the ALU sequence repeated, 2n bases;
 *   TWO   - 3n bases drawn from the IUB ambiguity codes' probabilities;
 *   THREE - 5n bases drawn from Homo sapiens base frequencies.
 * Random bases come from the task's linear congruential generator (seed 42), so output is
 * deterministic. Measures integer/floating arithmetic in a loop plus buffered output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LINE_LENGTH = 60 };

static const char alu[] =
    "GGCCGGGCGCGGTGGCTCACGCCTGTAATCCCAGCACTTTGG"
    "GAGGCCGAGGCGGGCGGATCACCTGAGGTCAGGAGTTCGAGA"
    "CCAGCCTGGCCAACATGGTGAAACCCCGTCTCTACTAAAAAT"
    "ACAAAAATTAGCCGGGCGTGGTGGCGCGCGCCTGTAATCCCA"
    "GCTACTCGGGAGGCTGAGGCAGGAGAATCGCTTGAACCCGGG"
    "AGGCGGAGGTTGCAGTGAGCCGAGATCGCGCCACTGCACTCC"
    "AGCCTGGGCGACAGAGCGAGACTCCGTCTCAAAAA";

typedef struct {
  char base;
  double probability; /* turned into a cumulative probability before use */
} weighted_base;

static weighted_base iub[] = {
    {'a', 0.27}, {'c', 0.12}, {'g', 0.12}, {'t', 0.27}, {'B', 0.02}, {'D', 0.02}, {'H', 0.02},
    {'K', 0.02}, {'M', 0.02}, {'N', 0.02}, {'R', 0.02}, {'S', 0.02}, {'V', 0.02}, {'W', 0.02},
    {'Y', 0.02},
};

static weighted_base homo_sapiens[] = {
    {'a', 0.3029549426680}, {'c', 0.1979883004921}, {'g', 0.1975473066391}, {'t', 0.3015094502008},
};

/* The task's generator: last = (last * 3877 + 29573) % 139968, scaled to [0, max). */
static double next_random(double max) {
  static unsigned last = 42;
  last = (last * 3877 + 29573) % 139968;
  return max * last / 139968;
}

/* Writes `count` bases of the repeated ALU sequence. A doubled copy lets every line be one
 * contiguous memcpy whatever the starting offset. */
static void write_repeat(size_t count) {
  enum { ALU_LENGTH = sizeof alu - 1 };
  char doubled[2 * ALU_LENGTH], line[LINE_LENGTH + 1];
  memcpy(doubled, alu, ALU_LENGTH);
  memcpy(doubled + ALU_LENGTH, alu, ALU_LENGTH);
  size_t offset = 0;
  while (count > 0) {
    size_t length = count < LINE_LENGTH ? count : LINE_LENGTH;
    memcpy(line, doubled + offset, length);
    line[length] = '\n';
    fwrite(line, 1, length + 1, stdout);
    offset = (offset + length) % ALU_LENGTH;
    count -= length;
  }
}

static void make_cumulative(weighted_base *table, int size) {
  double total = 0;
  for (int i = 0; i < size; i++) {
    total += table[i].probability;
    table[i].probability = total;
  }
}

/* The first base whose cumulative probability exceeds r; the last one if rounding leaves none. */
static char pick_base(const weighted_base *table, int size, double r) {
  for (int i = 0; i < size - 1; i++)
    if (r < table[i].probability) return table[i].base;
  return table[size - 1].base;
}

static void write_random(weighted_base *table, int size, size_t count) {
  char line[LINE_LENGTH + 1];
  make_cumulative(table, size);
  while (count > 0) {
    size_t length = count < LINE_LENGTH ? count : LINE_LENGTH;
    for (size_t i = 0; i < length; i++) line[i] = pick_base(table, size, next_random(1.0));
    line[length] = '\n';
    fwrite(line, 1, length + 1, stdout);
    count -= length;
  }
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000;
  static char output_buffer[1 << 16];
  setvbuf(stdout, output_buffer, _IOFBF, sizeof output_buffer);
  fputs(">ONE Homo sapiens alu\n", stdout);
  write_repeat(2 * n);
  fputs(">TWO IUB ambiguity codes\n", stdout);
  write_random(iub, sizeof iub / sizeof iub[0], 3 * n);
  fputs(">THREE Homo sapiens frequency\n", stdout);
  write_random(homo_sapiens, sizeof homo_sapiens / sizeof homo_sapiens[0], 5 * n);
  return 0;
}
