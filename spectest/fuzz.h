/* `wasmlab fuzz-validate DIR [--seed S] [--variants N] [engine opts]`: a hidden subcommand that
 * mutates every .wasm under DIR (truncations, byte flips) and feeds the variants to
 * wl_module_validate, so a sanitizer build can show crashes, hangs and leaks in the decoder and
 * validator. Exit 0 when every call returned (accepting or rejecting). */
#ifndef WL_SPECTEST_FUZZ_H
#define WL_SPECTEST_FUZZ_H

int wl_cli_fuzz_validate(int argc, char **argv);

#endif
