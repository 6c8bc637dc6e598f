#!/usr/bin/python3
"""The week-5 MNIST MLP in plain PyTorch, for the side-by-side in docs/benchmarks.md.

Same network (784-256-128-10, ReLU), loss, optimizer (Adam 1e-3, cosine to 0 per step), batch (64), input scaling
((x/255 - 0.1307) / 0.3081), shuffling each epoch and a full test pass per epoch as `dllab run mnist-mlp`.
Throughput = training examples / seconds of the training pass, averaged over epochs (dllab's definition).

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/mnist_mlp_pytorch.py DATA_DIR/mnist [--threads 2] [--epochs 3]
Prints one JSON line.
"""
import argparse
import gzip
import json
import math
import struct
import time

import numpy as np
import torch
from torch import nn


def read_idx(path, magic):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    got, count = struct.unpack(">ii", data[:8])
    if got != magic:
        raise SystemExit(f"{path}: magic {got:#x}, expected {magic:#x}")
    if magic == 0x803:
        rows, cols = struct.unpack(">ii", data[8:16])
        return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows * cols)
    return np.frombuffer(data, dtype=np.uint8, offset=8)


def load(folder, prefix):
    x = read_idx(f"{folder}/{prefix}-images-idx3-ubyte.gz", 0x803)
    y = read_idx(f"{folder}/{prefix}-labels-idx1-ubyte.gz", 0x801)
    x = (torch.from_numpy(x.astype(np.float32)) / 255.0 - 0.1307) / 0.3081
    return x, torch.from_numpy(y.astype(np.int64))


def mlp():
    """The week-5 MLP 784-256-128-10 with ReLU (org.dllab.models.Mlp)."""
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mnist_dir")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr, ytr = load(a.mnist_dir, "train")
    xte, yte = load(a.mnist_dir, "t10k")
    model = mlp()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    steps = a.epochs * math.ceil(len(xtr) / a.batch_size)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps, eta_min=0.0)
    loss_fn = nn.CrossEntropyLoss()
    epochs = []
    start = time.perf_counter()
    for epoch in range(1, a.epochs + 1):
        t0 = time.perf_counter()
        model.train()
        perm = torch.randperm(len(xtr))
        total, correct, loss_sum = 0, 0, 0.0
        for i in range(0, len(xtr), a.batch_size):
            idx = perm[i:i + a.batch_size]
            xb, yb = xtr[idx], ytr[idx]
            out = model(xb)
            loss = loss_fn(out, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item() * len(idx)
            correct += (out.argmax(1) == yb).sum().item()
            total += len(idx)
        train_s = time.perf_counter() - t0
        model.eval()
        with torch.no_grad():
            test_correct = 0
            for i in range(0, len(xte), a.batch_size):
                test_correct += (model(xte[i:i + a.batch_size]).argmax(1) == yte[i:i + a.batch_size]).sum().item()
        epochs.append({"epoch": epoch, "train_loss": loss_sum / total, "train_accuracy": correct / total,
                       "test_accuracy": test_correct / len(xte), "train_seconds": train_s,
                       "samples_per_second": total / train_s})
    print(json.dumps({"framework": f"pytorch {torch.__version__}", "threads": torch.get_num_threads(),
                      "wall_seconds": time.perf_counter() - start, "epochs": epochs,
                      "test_accuracy": epochs[-1]["test_accuracy"],
                      "samples_per_second": sum(e["samples_per_second"] for e in epochs) / len(epochs)}))


if __name__ == "__main__":
    main()
