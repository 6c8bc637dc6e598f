#!/usr/bin/env bash
# dllab against PyTorch for one full fine-tuning step of w11-finetuning's MiniLM classifier (batch 32 x 24 and
# 32 x 64 tokens), run alternately so that a noisy neighbour slows both sides alike. Needs Debian's python3-torch:
#   apt-get install python3-torch libopenblas0-pthread
# Usage: bench/finetune-step.sh [REPEATS]   (default 3)   Writes bench-out/finetune-step.md.
source "$(dirname "$0")/side-by-side.bash"
repeats="${1:-3}"
log="$out/finetune-step.jsonl"; : > "$log"
for r in $(seq "$repeats"); do
  "${java_run[@]}" bench/FineTuneStep.java 20 "$r" | tail -n 1 >> "$log"
  /usr/bin/python3 bench/finetune_step_pytorch.py --threads 2 --steps 20 --seed "$r" >> "$log"
done
/usr/bin/python3 - "$log" > "$out/finetune-step.md" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith("{")]
print("| repeat | dllab ms, 32 x 24 | PyTorch ms, 32 x 24 | dllab ms, 32 x 64 | PyTorch ms, 32 x 64 | speed dllab / PyTorch (24 / 64) |")
print("|---|---:|---:|---:|---:|---:|")
r24, r64 = [], []
for i in range(0, len(rows) - 1, 2):
    d, p = rows[i], rows[i + 1]
    r24.append(p["ms_24"] / d["ms_24"]); r64.append(p["ms_64"] / d["ms_64"])
    print(f"| {i // 2 + 1} | {d['ms_24']} | {p['ms_24']} | {d['ms_64']} | {p['ms_64']} | {r24[-1]:.2f} / {r64[-1]:.2f} |")
print(f"\nMedian speed ratio dllab/PyTorch: {statistics.median(r24):.2f} at 32 x 24, {statistics.median(r64):.2f} at 32 x 64.")
PY
cat "$out/finetune-step.md"
