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
# The launcher's malloc settings (./dllab sets them for the dllab side) for the PyTorch side as well: without them
# its speed depends on which allocations happen to raise glibc's dynamic mmap threshold (docs/benchmarks.md).
export MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=4294967296 MALLOC_TOP_PAD_=536870912
have_torch=0
/usr/bin/python3 -c 'import torch' 2>/dev/null && have_torch=1
# Interleaved (dllab, PyTorch, dllab, ...) so that a noisy neighbour slows both sides alike.
for seed in "${seeds[@]}"; do
  ./dllab run mnist-mlp --seed "$seed" -q -o "$out/mnist-mlp-$seed" > /dev/null
  /usr/bin/python3 - "$out/mnist-mlp-$seed/run.json" "$seed" >> "$report" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
e = r["epochs"]
acc = " / ".join("%.2f" % (x["test_accuracy"] * 100) for x in e)
rss = " / ".join("%.0f" % x["rss_megabytes"] for x in e)
print("| dllab | %s | %s | %.1f | %.0f | %s |" % (sys.argv[2], acc, r["wall_seconds"], r["samples_per_second"], rss))
PY
  if [ "$have_torch" = 1 ]; then
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/mnist_mlp_pytorch.py "$mnist" --threads 2 --seed "$seed" > "$out/pytorch-$seed.json"
    /usr/bin/python3 - "$out/pytorch-$seed.json" "$seed" >> "$report" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
e = r["epochs"]
acc = " / ".join("%.2f" % (x["test_accuracy"] * 100) for x in e)
print("| %s (%d threads) | %s | %s | %.1f | %.0f | — |" % (r["framework"], r["threads"], sys.argv[2], acc,
      r["wall_seconds"], r["samples_per_second"]))
PY
  fi
done
if [ "$have_torch" = 1 ]; then
  /usr/bin/python3 - "$out" "${seeds[@]}" >> "$report" <<'PY'
import json, statistics, sys
out, seeds = sys.argv[1], sys.argv[2:]
d = [json.load(open(f"{out}/mnist-mlp-{s}/run.json"))["samples_per_second"] for s in seeds]
p = [json.load(open(f"{out}/pytorch-{s}.json"))["samples_per_second"] for s in seeds]
# steady state: epochs after the first (the JVM compiles the hot loop during epoch 1)
ds = [statistics.mean(e["samples_per_second"] for e in json.load(open(f"{out}/mnist-mlp-{s}/run.json"))["epochs"][1:]) for s in seeds]
ps = [statistics.mean(e["samples_per_second"] for e in json.load(open(f"{out}/pytorch-{s}.json"))["epochs"][1:]) for s in seeds]
print()
print("Median training throughput, all epochs: dllab %.0f, PyTorch %.0f samples/s: ratio dllab/PyTorch %.2f"
      % (statistics.median(d), statistics.median(p), statistics.median(d) / statistics.median(p)))
print("Median training throughput, epochs 2+:  dllab %.0f, PyTorch %.0f samples/s: ratio dllab/PyTorch %.2f"
      % (statistics.median(ds), statistics.median(ps), statistics.median(ds) / statistics.median(ps)))
PY
else
  echo "(PyTorch side skipped: /usr/bin/python3 has no torch; apt-get install python3-torch libopenblas0-pthread)" >> "$report"
fi
cat "$report"
