#!/usr/bin/env bash
# dllab against PyTorch for the CNN (HW2's SimpleCnn on the CIFAR-10 subset, the labs' training loop) and for one
# Transformer training step (the week-10 / HW3 shape, batch 32 x 256), run alternately so that a noisy neighbour
# slows both sides alike. Needs DLLAB_DATA (the CIFAR-10 subset) and Debian's python3-torch:
#   apt-get install python3-torch libopenblas0-pthread
# Usage: bench/cnn-transformer.sh [REPEATS]   (default 3)   Writes bench-out/cnn-transformer.md.
source "$(dirname "$0")/side-by-side.bash"
repeats="${1:-3}"
cifar="${DLLAB_DATA:?set DLLAB_DATA to the datasets folder}/cifar10-subset"
log="$out/cnn-transformer.jsonl"; : > "$log"
for r in $(seq "$repeats"); do
  "${java_run[@]}" bench/CnnTraining.java "$cifar" 3 "$r" | tail -n 1 >> "$log"
  /usr/bin/python3 bench/cnn_pytorch.py "$cifar" --threads 2 --epochs 3 --seed "$r" >> "$log"
  "${java_run[@]}" bench/TransformerStep.java 30 "$r" | tail -n 1 >> "$log"
  /usr/bin/python3 bench/transformer_step_pytorch.py --threads 2 --steps 30 --seed "$r" >> "$log"
done
/usr/bin/python3 - "$log" > "$out/cnn-transformer.md" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith("{")]
cnn = [r for r in rows if "samples_per_second" in r]
step = [r for r in rows if "samples_per_second" not in r]
print("| repeat | dllab CNN samples/s (epoch 1 / 2 / 3) | PyTorch CNN samples/s | dllab test acc. | PyTorch test acc. | ratio all / after epoch 1 |")
print("|---|---|---|---|---|---|")
ratios, later = [], []
for i in range(0, len(cnn) - 1, 2):
    d, p = cnn[i], cnn[i + 1]
    ra = statistics.mean(d["samples_per_second"]) / statistics.mean(p["samples_per_second"])
    rl = statistics.mean(d["samples_per_second"][1:]) / statistics.mean(p["samples_per_second"][1:])
    ratios.append(ra); later.append(rl)
    fmt = lambda v: " / ".join("%.0f" % x for x in v)
    print(f"| {i // 2 + 1} | {fmt(d['samples_per_second'])} | {fmt(p['samples_per_second'])} | {d['test_accuracy'][-1]:.3f} | {p['test_accuracy'][-1]:.3f} | {ra:.2f} / {rl:.2f} |")
print(f"\nCNN: median ratio dllab/PyTorch {statistics.median(ratios):.2f} over all epochs, {statistics.median(later):.2f} after the first.\n")
print("| repeat | dllab step, labs' loop (ms) | dllab step, lean (ms) | PyTorch step (ms) | PyTorch / dllab lean |")
print("|---|---:|---:|---:|---:|")
speed = []
for i in range(0, len(step) - 1, 2):
    d, p = step[i], step[i + 1]
    speed.append(p["ms"] / d["lean_ms"])
    print(f"| {i // 2 + 1} | {d['labs_ms']} | {d['lean_ms']} | {p['ms']} | {p['ms'] / d['lean_ms']:.2f} |")
print(f"\nTransformer step: median speed ratio dllab/PyTorch {statistics.median(speed):.2f} (lean step).")
PY
cat "$out/cnn-transformer.md"
