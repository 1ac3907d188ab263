#include "proposals/tail_call/rules.h"

#include <string.h>

bool wl_tail_call_results_match(const wl_functype *caller, const wl_functype *callee) {
  return caller->nresults == callee->nresults &&
         (callee->nresults == 0 || memcmp(caller->results, callee->results, callee->nresults) == 0);
}
