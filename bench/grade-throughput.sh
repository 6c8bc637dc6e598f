#!/usr/bin/env bash
# Autograder throughput for HW1: N honest submissions (copies of the reference) graded as a class, sandbox on.
#   bench/grade-throughput.sh [N] [JOBS] [GRADE OPTIONS...]      (defaults 20, 2; e.g. --hidden-in-own-jvm)
# Prints submissions per minute, with and without the two canary runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-20}"; jobs="${2:-2}"; shift $(( $# > 2 ? 2 : $# ))
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for i in $(seq 1 "$n"); do
  mkdir -p "$work/export/student$i"
  cp "$root"/solutions/src/main/java/org/dllab/hw/hw1/*.java "$work/export/student$i/"
done
start=$(date +%s.%N)
"$root/dllab" grade hw1 "$work/export" --out "$work/out" --jobs "$jobs" "$@" | tail -n 3
end=$(date +%s.%N)
python3 - "$start" "$end" "$n" "$work/out/journal.jsonl" <<'PY'
import sys, json
start, end, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
rows = [json.loads(l) for l in open(sys.argv[4])]
print(f"{n} submissions in {end - start:.1f} s (two canary runs included): {60 * n / (end - start):.1f} submissions/min; "
      f"all full marks: {all(r['score'] == r['max'] for r in rows)}")
per = sorted(r["seconds"] for r in rows)
over = sorted(r["seconds"] - r["test_seconds"] for r in rows)
print(f"per submission (median, {len(rows)} rows): {per[len(per) // 2]:.2f} s to grade, of which "
      f"{over[len(over) // 2]:.2f} s beyond the tests' own run time (staging, compiling, test JVM start-up)")
PY
