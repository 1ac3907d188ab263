/* The LLVM pass pipelines of each optimization level (issue 16; measurements in
 * bench/RESULTS.md, sections "AOT compile time and memory" and "AOT pass pipeline").
 *
 * The wasm producer already ran a full optimizer (clang -O2, often wasm-opt): inlining,
 * vectorizing and interprocedural analysis were done on better information than ours, and
 * every guest access is volatile, so LLVM's memory passes find little. What is left is ours:
 * locals to SSA, the translator's patterns (zero-extensions, address arithmetic, constant
 * branches), loops the wasm form lost the unrolling and induction variables of, and the
 * small functions wasm-opt left (dlmalloc's helpers: binary-trees).
 *
 * O2, a module of one partition (every bench program, every spec-suite module): default<O2>'s
 * function passes in default<O2>'s order, with the inliner once after the early cleanup
 * instead of interleaved per call-graph SCC, and without the module IPO passes (ipsccp,
 * globalopt, called-value propagation, dead-argument elimination), GVN and mldst-motion. GVN
 * was ~18% of default<O2>'s optimizer time on nbody-cpp for no measured gain; the IPO passes
 * find nothing in a wasm module (one table, no internal globals). Dead-argument elimination
 * was left out on purpose: it frees the instance argument of some calls, and the register
 * allocator's different choices then made fannkuch-redux 1.4% slower. Within 0.5% of
 * default<O2>'s instruction count on every bench program at about half its optimizer time.
 *
 * O2, a module of several partitions (256 KiB of wasm code each): the function pipeline,
 * ~4x cheaper again; the code generator is most of such a module's time. After unrolling,
 * instsimplify instead of a second instcombine: instcombine was 58% of this pipeline's time,
 * and on bench/large the second one bought 0.1% of the instructions run (callgrind, 200
 * rounds) for 3-5% of the whole compile.
 *
 * simplifycfg and instcombine take default<O2>'s options (the textual pass names default to
 * others, e.g. instcombine's fixpoint check, a debugging aid). O0 still promotes locals to
 * SSA: unoptimized allocas make much slower code for no gain. O3 is LLVM's whole pipeline. */
#ifndef WASMLAB_AOT_PIPELINE_H
#define WASMLAB_AOT_PIPELINE_H

#define AOT_IC "instcombine<max-iterations=1;no-use-loop-info;no-verify-fixpoint>"
#define AOT_SCFG_OPTS(switches, hoist)                                                    \
  "simplifycfg<bonus-inst-threshold=1;" switches ";switch-range-to-icmp;" hoist            \
  ";speculate-blocks;simplify-cond-branch;no-speculate-unpredictables>"
#define AOT_SCFG AOT_SCFG_OPTS("no-forward-switch-cond;no-switch-to-lookup;keep-loops",    \
                               "no-hoist-common-insts;no-sink-common-insts")
#define AOT_SCFG_HOIST AOT_SCFG_OPTS("no-forward-switch-cond;no-switch-to-lookup;keep-loops", \
                                     "hoist-common-insts;sink-common-insts")
#define AOT_SCFG_LATE AOT_SCFG_OPTS("forward-switch-cond;switch-to-lookup;no-keep-loops",  \
                                    "hoist-common-insts;sink-common-insts")
#define AOT_ROTATE "loop-rotate<header-duplication;no-prepare-for-lto>"
#define AOT_UNSWITCH "simple-loop-unswitch<no-nontrivial;trivial>"

#define AOT_PIPELINE_O0 "function(mem2reg)"
#define AOT_PIPELINE_O1 "function(sroa,early-cse," AOT_IC ",simplifycfg)"

/* Several partitions. */
#define AOT_PIPELINE_O2_PARTS                                                             \
  "function(sroa,early-cse," AOT_IC ",simplifycfg,loop-mssa(licm),loop(loop-unroll-full),"  \
  "loop-unroll<O2>,instsimplify,simplifycfg)"

/* One partition: early cleanup, the inliner, then default<O2>'s function simplification
 * and its vectorizing and unrolling tail. */
#define AOT_PIPELINE_O2_EARLY                                                             \
  "function(lower-expect," AOT_SCFG ",sroa<modify-cfg>,early-cse<>," AOT_IC "," AOT_SCFG ")," \
  "cgscc(inline,function-attrs<skip-non-recursive-function-attrs>)"
#define AOT_PIPELINE_O2_SIMPLIFY                                                          \
  "early-cse<memssa>,jump-threading,correlated-propagation," AOT_SCFG "," AOT_IC             \
  ",aggressive-instcombine," AOT_SCFG ",reassociate,constraint-elimination,"                \
  "loop-mssa(loop-instsimplify,loop-simplifycfg,licm<no-allowspeculation>," AOT_ROTATE     \
  ",licm<allowspeculation>," AOT_UNSWITCH ")," AOT_SCFG "," AOT_IC ","                       \
  "loop(loop-idiom,indvars," AOT_UNSWITCH ",loop-deletion,loop-unroll-full),"              \
  "sroa<modify-cfg>,vector-combine,sccp,bdce," AOT_IC ",jump-threading,"                    \
  "correlated-propagation,adce,memcpyopt,dse,loop-mssa(licm<allowspeculation>),"           \
  AOT_SCFG_HOIST "," AOT_IC
#define AOT_PIPELINE_O2_LATE                                                              \
  "float2int,loop(" AOT_ROTATE ",loop-deletion),loop-distribute,"                           \
  "loop-vectorize<no-interleave-forced-only;no-vectorize-forced-only;>,infer-alignment,"   \
  "loop-load-elim," AOT_IC "," AOT_SCFG_LATE ",slp-vectorizer,vector-combine," AOT_IC       \
  ",loop-unroll<O2>,sroa<preserve-cfg>,infer-alignment," AOT_IC                             \
  ",loop-mssa(licm<allowspeculation>),loop-sink,instsimplify,div-rem-pairs,tailcallelim,"  \
  AOT_SCFG
#define AOT_PIPELINE_O2_MODULE                                                            \
  AOT_PIPELINE_O2_EARLY ",function(" AOT_PIPELINE_O2_SIMPLIFY "," AOT_PIPELINE_O2_LATE ")"

#endif
