"""The PyTorch twin of bench/StepPhases.java: one training step of the week-5 MLP or HW2's SimpleCnn, split into
phases (gather a batch of 64 by random indices, forward, loss, backward, Adam's update, the loss and correct sums)
and timed; median microseconds of each phase over STEPS steps after 20 warm-up steps. Same shapes, loss and
optimizer as the dllab side; `zero_grad(set_to_none=True)` (PyTorch's default since 2.0) is part of "optimizer".

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/step_phases_pytorch.py mlp|cnn [--steps 200] [--threads 2]
Prints one JSON line.
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn

from cnn_pytorch import simple_cnn  # the networks of the training benchmarks, next to this file
from mnist_mlp_pytorch import mlp

PHASES = ["gather", "forward", "loss", "backward", "optimizer", "sums"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", choices=["mlp", "cnn"])
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    shape = (60000, 784) if a.model == "mlp" else (4000, 3, 32, 32)
    x, y = torch.randn(*shape), torch.randint(0, 10, (shape[0],))
    model = mlp() if a.model == "mlp" else simple_cnn()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    loss_sum, correct = torch.zeros(()), torch.zeros((), dtype=torch.int64)
    micros = [[] for _ in PHASES]
    for s in range(-20, a.steps):
        t = [time.perf_counter()]
        idx = torch.randint(0, shape[0], (64,))
        xb, yb = x[idx], y[idx]
        t.append(time.perf_counter())
        out = model(xb)
        t.append(time.perf_counter())
        loss = loss_fn(out, yb)
        t.append(time.perf_counter())
        loss.backward()
        t.append(time.perf_counter())
        opt.step()
        opt.zero_grad(set_to_none=True)
        t.append(time.perf_counter())
        with torch.no_grad():
            loss_sum += loss
            correct += (out.argmax(1) == yb).sum()
        t.append(time.perf_counter())
        if s >= 0:
            for p in range(len(PHASES)):
                micros[p].append((t[p + 1] - t[p]) * 1e6)
    medians = {f"{p}_us": round(statistics.median(m)) for p, m in zip(PHASES, micros)}
    print(json.dumps({"run": f"pytorch {torch.__version__}", "model": a.model, "threads": torch.get_num_threads(),
                      **medians, "total_us": sum(medians.values())}))


if __name__ == "__main__":
    main()
