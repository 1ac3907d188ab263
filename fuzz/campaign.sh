#!/usr/bin/env bash
# A differential fuzzing campaign in batches of distinct seeds, so results accumulate even
# when it is interrupted: batch k of a feature set runs seeds FIRST+k*SIZE .. +SIZE-1 and
# writes OUT/FEATURES-FIRSTSEED.log (and .json, the batch's counts); a batch whose .json
# exists is skipped, so running the same command again resumes.
#   fuzz/campaign.sh OUT FEATURES FIRST_SEED BATCHES SIZE [difffuzz flags...]
#   fuzz/summarize.py OUT        totals over every finished batch
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$1" features="$2" first="$3" batches="$4" size="$5"
shift 5
mkdir -p "$out"
for ((k = 0; k < batches; k++)); do
  seed=$((first + k * size))
  name="$out/$features-$seed"
  [[ -e "$name.json" ]] && continue
  echo "campaign: $features seeds $seed..$((seed + size - 1)) ($(git -C "$here" describe --always --dirty))" \
    | tee "$name.log"
  nice -n 10 "$here/difffuzz.py" -n "$size" --seed "$seed" --features "$features" \
    --out "$out/cases" --summary-json "$name.json.tmp" "$@" >>"$name.log" 2>&1
  echo "campaign: exit $?" >>"$name.log"
  [[ -e "$name.json.tmp" ]] && mv "$name.json.tmp" "$name.json"
done
