#!/usr/bin/python3
"""One training step of the week-10 / HW3 Transformer classifier in plain PyTorch, for bench/TransformerStep.java.

Same shapes: token embedding (10,000 x 64) + learned positions (256 x 64), two pre-LN encoder layers (4 heads, FFN
128, ReLU, no dropout), a final LayerNorm, the mean over tokens, 2 logits; Adam 1e-3; a batch of 32 x 256 random
tokens. Step = zero_grad, forward, loss, backward, Adam step. Prints one JSON line: median milliseconds per step
after 5 warm-up steps.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/transformer_step_pytorch.py [--threads 2] [--steps 30]
"""
import argparse
import json
import time

import torch
from torch import nn


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(10_000, 64)
        self.positions = nn.Parameter(torch.randn(256, 64) * 0.02)
        layer = nn.TransformerEncoderLayer(64, 4, dim_feedforward=128, dropout=0.0, activation="relu", batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(64), enable_nested_tensor=False)
        self.head = nn.Linear(64, 2)

    def forward(self, ids):
        return self.head(self.encoder(self.tokens(ids) + self.positions[: ids.shape[1]]).mean(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = Classifier()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    ids = torch.randint(0, 10_000, (32, 256))
    labels = torch.randint(0, 2, (32,))
    times = []
    for s in range(-5, a.steps):
        start = time.perf_counter()
        opt.zero_grad()
        loss_fn(model(ids), labels).backward()
        opt.step()
        if s >= 0:
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(json.dumps({"run": "pytorch", "ms": round(times[len(times) // 2], 1)}))


if __name__ == "__main__":
    main()
