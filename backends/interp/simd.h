/* The interpreter's SIMD helpers are the shared lane helpers (engine/simd/lanes.h), which the
 * JIT's SIMD helpers use too; values.h for the slot casts the handlers use with them. */
#ifndef WL_INTERP_SIMD_H
#define WL_INTERP_SIMD_H
#include "backends/interp/values.h"
#include "engine/simd/lanes.h"
#endif
