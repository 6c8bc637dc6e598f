#!/usr/bin/env bash
# Benchmark of the week-5 lab: dllab (DJL + libtorch 2.7.1) and the same MLP in Python PyTorch, in one run.
#   bench/mnist-mlp.sh [SEED...]        (default seeds: 42 1 7)
# Needs the MNIST files (DLLAB_DATA or ~/.dllab/datasets) and, for the PyTorch side, Debian's python3-torch:
#   apt-get install python3-torch libopenblas0-pthread      (skipped with a note when /usr/bin/python3 has no torch)
# Writes bench-out/mnist-mlp-<seed>/ (dllab run folders) and bench-out/mnist-mlp.md (the table for the docs).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
seeds=("$@"); [ ${#seeds[@]} -gt 0 ] || seeds=(42 1 7)
out="$root/bench-out"; mkdir -p "$out"
export DLLAB_OFFLINE="${DLLAB_OFFLINE:-1}"
mnist="$(./dllab data list 2>/dev/null | awk '/^mnist /{getline; print $3}')"
[ -n "$mnist" ] && [ "$mnist" != "found" ] || { echo "MNIST not found: set DLLAB_DATA (see README)" >&2; exit 1; }

report="$out/mnist-mlp.md"
{
  echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%Y-%m-%d)"
  echo
  echo "| run | seed | test acc. epoch 1 / 2 / 3 | wall s | train samples/s | peak RSS MB (epoch 1 / 2 / 3) |"
  echo "|---|---|---|---|---|---|"
} > "$report"
for seed in "${seeds[@]}"; do
  /usr/bin/time -f '%e' -o "$out/time-$seed" ./dllab run mnist-mlp --seed "$seed" -q -o "$out/mnist-mlp-$seed" > /dev/null
  /usr/bin/python3 - "$out/mnist-mlp-$seed/run.json" "$seed" >> "$report" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
e = r["epochs"]
acc = " / ".join("%.2f" % (x["testAccuracy"] * 100) for x in e)
rss = " / ".join("%.0f" % x["rssMegabytes"] for x in e)
print("| dllab | %s | %s | %.1f | %.0f | %s |" % (sys.argv[2], acc, r["wallSeconds"], r["samplesPerSecond"], rss))
PY
done
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  for seed in "${seeds[@]}"; do
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/mnist_mlp_pytorch.py "$mnist" --threads 2 --seed "$seed" > "$out/pytorch-$seed.json"
    /usr/bin/python3 - "$out/pytorch-$seed.json" "$seed" >> "$report" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
e = r["epochs"]
acc = " / ".join("%.2f" % (x["test_accuracy"] * 100) for x in e)
print("| %s (%d threads) | %s | %s | %.1f | %.0f | — |" % (r["framework"], r["threads"], sys.argv[2], acc,
      r["wall_seconds"], r["samples_per_second"]))
PY
  done
  /usr/bin/python3 - "$out" "${seeds[@]}" >> "$report" <<'PY'
import json, sys
out, seeds = sys.argv[1], sys.argv[2:]
d = [json.load(open(f"{out}/mnist-mlp-{s}/run.json"))["samplesPerSecond"] for s in seeds]
p = [json.load(open(f"{out}/pytorch-{s}.json"))["samples_per_second"] for s in seeds]
print(f"\nMean training throughput: dllab {sum(d)/len(d):.0f} samples/s, PyTorch {sum(p)/len(p):.0f} samples/s, "
      f"ratio dllab/PyTorch = {sum(d)/sum(p):.2f}")
PY
else
  echo "(PyTorch side skipped: /usr/bin/python3 has no torch; apt-get install python3-torch libopenblas0-pthread)" >> "$report"
fi
cat "$report"
