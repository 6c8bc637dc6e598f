"""The PyTorch twin of bench/OpCosts.java: the same single operations on the same shapes, median microseconds of
1,000 calls (100 for max pooling) after warm-up calls.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/op_costs_pytorch.py [--threads 1]
Prints one JSON line.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F


def timed(calls, op):
    for _ in range(calls // 10):
        op()
    nanos = []
    for _ in range(calls):
        start = time.perf_counter_ns()
        op()
        nanos.append(time.perf_counter_ns() - start)
    return round(statistics.median(nanos) / 1e3, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    one = torch.ones(1)
    x, w, b, g = torch.randn(64, 784), torch.randn(256, 784), torch.randn(256), torch.randn(64, 256)
    positive = w.abs()
    feature = torch.randn(64, 32, 32, 32)
    micros = {
        "call_add_1": timed(1000, lambda: one.add(one)),
        "linear_64x784_256": timed(1000, lambda: F.linear(x, w, b)),
        "matmul_gT_x": timed(1000, lambda: g.t() @ x),
        "matmul_g_w": timed(1000, lambda: g @ w),
        "clone_256x784": timed(1000, lambda: w.clone()),
        "mul_number_256x784": timed(1000, lambda: w.mul(0.9)),
        "mul_scalars_256x784": timed(1000, lambda: w.mul(torch.tensor(0.9))),
        "div_256x784": timed(1000, lambda: w.div(positive)),
        "sqrt_256x784": timed(1000, lambda: positive.sqrt()),
        "sqrt_with_negatives_256x784": timed(1000, lambda: w.sqrt()),
        "max_pool_64x32x32x32": timed(100, lambda: F.max_pool2d(feature, 2, 2)),
    }
    print(json.dumps({"run": f"pytorch {torch.__version__}", "threads": torch.get_num_threads(),
                      **{f"{k}_us": v for k, v in micros.items()}}))


if __name__ == "__main__":
    main()
