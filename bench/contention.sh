#!/usr/bin/env bash
# Two equal jobs on one machine: each job's speed next to a twin, as a share of its speed alone, with libtorch's
# OpenMP worker threads spinning while they wait (GNU OpenMP's default) or sleeping (OMP_WAIT_POLICY=PASSIVE).
#   training:   ./dllab run mnist-mlp --epochs 1   (run.json: training samples/s)
#   generation: ./dllab run w12-llama              (run.json: tokens/s with the KV cache)
# Usage: bench/contention.sh [REPEATS]   (default 3; policies alternate so that a noisy neighbour hits both;
#        CONTENTION_POLICIES="passive" measures one)
# Writes bench-out/contention.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
repeats="${1:-3}"
out="$root/bench-out/contention"; rm -rf "$out"; mkdir -p "$out"
export DLLAB_OFFLINE="${DLLAB_OFFLINE:-1}"
./dllab --version > /dev/null   # build first, outside the timings

job() {  # policy kind dir
  local env=(OMP_WAIT_POLICY=)   # set and empty: the launcher leaves OpenMP's default (spin, then sleep)
  [ "$1" = passive ] && env=(OMP_WAIT_POLICY=PASSIVE)
  if [ "$2" = train ]; then
    env "${env[@]}" ./dllab run mnist-mlp --epochs 1 --seed 1 -q -o "$3" > /dev/null
  else
    env "${env[@]}" ./dllab run w12-llama -q -o "$3" > /dev/null
  fi
}
rows=()
for r in $(seq "$repeats"); do
  for policy in ${CONTENTION_POLICIES:-default passive}; do
    for kind in train generate; do
      d="$out/$policy-$kind-$r"
      job "$policy" "$kind" "$d-alone"
      job "$policy" "$kind" "$d-a" & job "$policy" "$kind" "$d-b"; wait
      rows+=("$policy" "$kind" "$r" "$d")
    done
  done
done
/usr/bin/python3 - "${rows[@]}" > "$root/bench-out/contention.md" <<'PY'
import json, statistics, sys
def speed(path, kind):
    r = json.load(open(path + "/run.json"))
    return r["samples_per_second"] if kind == "train" else r["summary"]["tokens_per_second_cached"]
args = sys.argv[1:]
table = {}
print("| policy | job | repeat | alone | next to a twin (each) | share of alone |")
print("|---|---|---|---:|---:|---:|")
for i in range(0, len(args), 4):
    policy, kind, rep, d = args[i:i + 4]
    alone = speed(d + "-alone", kind)
    pair = [speed(d + "-a", kind), speed(d + "-b", kind)]
    share = statistics.mean(pair) / alone
    table.setdefault((policy, kind), []).append(share)
    print(f"| {policy} | {'training samples/s' if kind == 'train' else 'generation tokens/s'} | {rep} | {alone:.0f} | {pair[0]:.0f} / {pair[1]:.0f} | {share:.2f} |")
print()
for (policy, kind), shares in table.items():
    print(f"- {policy}, {kind}: median share of alone {statistics.median(shares):.2f} over {len(shares)} repeats")
PY
cat "$root/bench-out/contention.md"
