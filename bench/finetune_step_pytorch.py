#!/usr/bin/python3
"""One full fine-tuning step of w11-finetuning's classifier in plain PyTorch, for bench/FineTuneStep.java.

The same shapes: a BERT encoder of all-MiniLM-L6-v2's size (word, position and token-type embeddings with a
LayerNorm; 6 post-LN layers of hidden 384, 12 heads, FFN 1,536, GELU, no dropout), the mean over the real tokens, a
384 x 6 head; AdamW (1e-4, weight decay 0.01) with gradients clipped at 1 by value, as DJL's optClipGrad does; 32
tweets of T random tokens. Step = zero_grad, forward, loss, backward, clip, AdamW step. Prints one JSON line: median
milliseconds per step after 3 warm-up steps, for T = 24 and T = 64.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/finetune_step_pytorch.py [--threads 2] [--steps 20] [--seed 1]
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn
from torch.nn import functional as F


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.word = nn.Embedding(30_522, 384)
        self.position = nn.Embedding(512, 384)
        self.token_type = nn.Embedding(2, 384)
        self.norm = nn.LayerNorm(384, eps=1e-12)
        layer = nn.TransformerEncoderLayer(384, 12, dim_feedforward=1536, dropout=0.0, activation="gelu",
                                           batch_first=True, norm_first=False, layer_norm_eps=1e-12)
        self.encoder = nn.TransformerEncoder(layer, 6, enable_nested_tensor=False)
        self.head = nn.Linear(384, 6)

    def forward(self, ids, mask):
        positions = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.norm(self.word(ids) + self.position(positions) + self.token_type(torch.zeros_like(ids)))
        h = self.encoder(x, src_key_padding_mask=mask == 0)
        m = mask.unsqueeze(2).float()
        return self.head((h * m).sum(1) / m.sum(1))


def time_steps(tokens, steps, seed):
    torch.manual_seed(seed)
    model = Classifier()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    ids = torch.randint(1000, 30_000, (32, tokens))
    ids[:, 0], ids[:, -1] = 101, 102
    mask = torch.ones_like(ids)
    labels = torch.randint(0, 6, (32,))
    ms = []
    for _ in range(3 + steps):
        t0 = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(ids, mask), labels)
        loss.backward()
        nn.utils.clip_grad_value_(model.parameters(), 1.0)
        optimizer.step()
        loss.item()
        ms.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ms[3:])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    out = {"run": "pytorch", "torch": torch.__version__}
    for tokens in (24, 64):
        out[f"ms_{tokens}"] = round(time_steps(tokens, a.steps, a.seed), 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
