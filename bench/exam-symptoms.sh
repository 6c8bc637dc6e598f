#!/usr/bin/env bash
# What each mistake of an exam shows when its program runs: one paper per variant (that mistake alone), run once,
# the last lines of its output (or the exception) recorded. For authors checking that every variant has a visible
# symptom, and for docs/exam.md's table. Usage: bench/exam-symptoms.sh [EXAM] [OUT.md]
set -euo pipefail
cd "$(dirname "$0")/.."
exam="${1:-midterm}"
out="${2:-bench-out/exam-symptoms-$exam.md}"
mkdir -p "$(dirname "$out")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
{
  echo "# What each $exam mistake shows when the program runs (one mistake per paper)"
  echo
  echo "Measured with \`bench/exam-symptoms.sh $exam\` on $(date -u +%Y-%m-%d), $(nproc) cores."
  echo
  echo '| slot | variant | output (last lines, or the exception) |'
  echo '|---|---|---|'
} > "$out"
run() {
  local label_slot="$1" label_variant="$2" dir="$3"
  local log="$dir.log"
  ./dllab exam run --dir "$dir" > "$log" 2>&1 || true
  local shown
  shown="$(grep -v 'WARN\|^\s*at \|^$' "$log" | grep -E 'Exception|accuracy|last steps|data:' | sed 's/|/\\|/g' | tr '\n' ' ' | cut -c1-400)"
  echo "| $label_slot | $label_variant | ${shown} |" >> "$out"
}
./dllab exam try "$exam" --dir "$work/master" > /dev/null
run "(none)" "master" "$work/master"
./dllab exam check "$exam" | grep -v ': [0-9]* slots' | while read -r slot _ variants; do
  for v in ${variants//,/ }; do
    ./dllab exam try "$exam" --break "$slot=$v" --dir "$work/$slot-$v" > /dev/null
    run "$slot" "$v" "$work/$slot-$v"
  done
done
echo "wrote $out"
