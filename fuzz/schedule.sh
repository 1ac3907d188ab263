#!/usr/bin/env bash
# The campaign of fuzz/RESULTS.md: batches of 200 seeds, five 2.0-nosimd batches (seeds from
# 200000) to one 2.0 (SIMD) batch (seeds from 300000), -j 2, niced; resumable (campaign.sh).
#   fuzz/schedule.sh OUT [rounds]     (6 rounds: 6,000 scalar and 1,200 SIMD seeds)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$1" rounds="${2:-6}" size=200
for ((r = 0; r < rounds; r++)); do
  for ((b = 0; b < 5; b++)); do
    "$here/campaign.sh" "$out" 2.0-nosimd $((200000 + (5 * r + b) * size)) 1 $size -j 2
  done
  "$here/campaign.sh" "$out" 2.0 $((300000 + r * size)) 1 $size -j 2
done
