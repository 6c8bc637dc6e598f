#!/usr/bin/python3
"""The week-6 / HW2 SimpleCnn in plain PyTorch, for the side-by-side with bench/CnnTraining.java.

Same network (three blocks of 3x3 convolution with padding 1, ReLU and 2x2 max-pooling: 32, 64, 128 filters; then
256 units, ReLU, dropout 0.5, 10 logits), Adam 1e-3, batch 64, the CIFAR-10 subset (4,000 training images, 1,000
test) normalised with the course's per-channel mean and standard deviation, shuffled each epoch, a full test pass per
epoch. Throughput = training examples / seconds of the training pass.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/cnn_pytorch.py CIFAR_DIR [--threads 2] [--epochs 3]
Prints one JSON line.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
from torch import nn

MEAN = np.array([0.4914, 0.4822, 0.4465], dtype=np.float32).reshape(1, 3, 1, 1)
STD = np.array([0.2470, 0.2435, 0.2616], dtype=np.float32).reshape(1, 3, 1, 1)


def load(folder, name):
    raw = np.fromfile(os.path.join(folder, "cifar-10-batches-bin", name), dtype=np.uint8).reshape(-1, 3073)
    x = (raw[:, 1:].reshape(-1, 3, 32, 32).astype(np.float32) / 255.0 - MEAN) / STD
    return torch.from_numpy(x), torch.from_numpy(raw[:, 0].astype(np.int64))


def simple_cnn():
    """HW2's SimpleCnn: three blocks of 3x3 convolution (32, 64, 128 filters) + ReLU + 2x2 max pooling, then 256
    units with dropout 0.5 and 10 logits (org.dllab.models.SimpleCnn)."""
    layers = []
    channels = 3
    for filters in (32, 64, 128):
        layers += [nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2)]
        channels = filters
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(128 * 4 * 4, 256), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(256, 10))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cifar_dir")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr, ytr = load(a.cifar_dir, "data_batch_1.bin")
    xte, yte = load(a.cifar_dir, "test_batch.bin")
    model = simple_cnn()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    sps, acc = [], []
    for _ in range(a.epochs):
        model.train()
        order = torch.randperm(len(xtr))
        start = time.perf_counter()
        for i in range(0, len(xtr), 64):
            idx = order[i:i + 64]
            opt.zero_grad()
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
        sps.append(len(xtr) / (time.perf_counter() - start))
        model.eval()
        with torch.no_grad():
            right = sum((model(xte[i:i + 256]).argmax(1) == yte[i:i + 256]).sum().item() for i in range(0, len(xte), 256))
        acc.append(right / len(xte))
    print(json.dumps({"run": "pytorch", "samples_per_second": [round(v, 1) for v in sps], "test_accuracy": [round(v, 4) for v in acc]}))


if __name__ == "__main__":
    main()
