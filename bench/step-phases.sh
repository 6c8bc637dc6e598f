#!/usr/bin/env bash
# Where a training step's time goes, dllab against PyTorch, phase by phase (gather, forward, loss, backward,
# optimizer, sums), for the week-5 MLP and HW2's SimpleCnn; then single operations of those steps on one thread
# (bench/OpCosts.java); then, for the CNN, the time inside oneDNN's primitives (convolutions and layout reorders,
# from ONEDNN_VERBOSE) on both sides. Run alternately so that a noisy neighbour
# slows both alike. Needs Debian's python3-torch:  apt-get install python3-torch libopenblas0-pthread
# Usage: bench/step-phases.sh [REPEATS]   (default 3)   Writes bench-out/step-phases.md.
source "$(dirname "$0")/side-by-side.bash"
repeats="${1:-3}"
log="$out/step-phases.jsonl"; : > "$log"
onednn="$out/step-phases-onednn.txt"; : > "$onednn"
# each model on the intra-op threads its lab runs with (docs/benchmarks.md, "Threads"): the MLP 1, the CNN 2
for r in $(seq "$repeats"); do
  "${java_run[@]}" -Dai.djl.pytorch.num_threads=1 bench/StepPhases.java mlp 400 "$r" | tail -n 1 >> "$log"
  /usr/bin/python3 bench/step_phases_pytorch.py mlp --steps 400 --threads 1 --seed "$r" >> "$log"
  "${java_run[@]}" bench/StepPhases.java cnn 60 "$r" | tail -n 1 >> "$log"
  /usr/bin/python3 bench/step_phases_pytorch.py cnn --steps 60 --threads 2 --seed "$r" >> "$log"
  "${java_run[@]}" -Dai.djl.pytorch.num_threads=1 bench/OpCosts.java | tail -n 1 >> "$log"
  /usr/bin/python3 bench/op_costs_pytorch.py --threads 1 >> "$log"
done
# oneDNN's own timings, 20 steps after 20 warm-up steps on each side (lines prefixed with the side)
ONEDNN_VERBOSE=1 "${java_run[@]}" bench/StepPhases.java cnn 20 1 2>&1 | sed 's/^/dllab /' >> "$onednn"
ONEDNN_VERBOSE=1 /usr/bin/python3 bench/step_phases_pytorch.py cnn --steps 20 --threads 2 2>&1 | sed 's/^/pytorch /' >> "$onednn"
/usr/bin/python3 - "$log" "$onednn" > "$out/step-phases.md" <<'PY'
import collections, json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith("{")]
ops = [r for r in rows if "model" not in r]
rows = [r for r in rows if "model" in r]
phases = ["gather", "forward", "loss", "backward", "optimizer", "sums", "total"]
for model in ("mlp", "cnn"):
    runs = [r for r in rows if r["model"] == model]
    side = {s: [r for r in runs if r["run"].startswith(s)] for s in ("dllab", "pytorch")}
    print(f"{model}: median over {len(side['dllab'])} runs of each run's median step (microseconds)\n")
    print("| side | " + " | ".join(phases) + " |")
    print("|---|" + "---:|" * len(phases))
    med = {s: [statistics.median(r[f"{p}_us"] for r in side[s]) for p in phases] for s in side}
    for s in side:
        print(f"| {s} | " + " | ".join("%.0f" % v for v in med[s]) + " |")
    print("| dllab - PyTorch | " + " | ".join("%+.0f" % (d - p) for d, p in zip(med["dllab"], med["pytorch"])) + " |")
    print(f"\nspeed dllab / PyTorch: {med['pytorch'][-1] / med['dllab'][-1]:.2f}\n")
print(f"Single operations, one thread: median over {len(ops) // 2} runs of each run's median (microseconds)\n")
print("| operation | dllab | PyTorch | dllab / PyTorch |")
print("|---|---:|---:|---:|")
for key in [k for k in ops[0] if k.endswith("_us")]:
    d = statistics.median(r[key] for r in ops if r["run"] == "dllab")
    p = statistics.median(r[key] for r in ops if r["run"] != "dllab")
    print(f"| {key[:-3]} | {d:.1f} | {p:.1f} | {d / p:.2f} |")
print()
# ONEDNN_VERBOSE lines: oneDNN 3.x "onednn_verbose,v1,primitive,exec,cpu,KIND,IMPL,PROP,...,MS",
# oneDNN 2.x "onednn_verbose,exec,cpu,KIND,IMPL,PROP,...,MS"; 40 steps ran (20 of them warm-up), timed all
totals = {"dllab": collections.Counter(), "pytorch": collections.Counter()}
for line in open(sys.argv[2]):
    who, _, rest = line.strip().partition(" ")
    f = rest.split(",")
    if not rest.startswith("onednn_verbose") or "exec" not in f or "cpu" not in f:
        continue
    i = f.index("cpu")
    kind = f[i + 1] if f[i + 1] == "reorder" else f"{f[i + 1]} {f[i + 3]}"
    try:
        totals[who][kind] += float(f[-1]) / 40
    except ValueError:
        pass
print("CNN, milliseconds a step inside oneDNN (ONEDNN_VERBOSE, mean of 40 steps)\n")
print("| primitive | dllab | PyTorch |")
print("|---|---:|---:|")
for kind in sorted(set(totals["dllab"]) | set(totals["pytorch"])):
    print(f"| {kind} | {totals['dllab'][kind]:.2f} | {totals['pytorch'][kind]:.2f} |")
print(f"| all | {sum(totals['dllab'].values()):.2f} | {sum(totals['pytorch'].values()):.2f} |")
PY
cat "$out/step-phases.md"
