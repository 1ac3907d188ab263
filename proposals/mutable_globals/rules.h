/* mutable-globals: import and export of mutable globals (part of the W3C Wasm 1.0 text, but a
 * proposal of its own before that, so it can be switched off). */
#ifndef WL_PROPOSAL_MUTABLE_GLOBALS_RULES_H
#define WL_PROPOSAL_MUTABLE_GLOBALS_RULES_H
#include <stdbool.h>

#include "engine/module.h"

/* Validation of an imported (is_import) or exported global; `where` names it in the message. */
wl_error *wl_mutable_globals_check(bool mutable_, bool is_import, const char *where,
                                   uint32_t features);
#endif
