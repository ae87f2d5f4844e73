"""One vs all OpenBLAS threads on the lecture CNN's matmuls (batch 4, 64 and inference's 1000), interleaved.

Prints, per product, the median time with 1 thread and with every core and their ratio: some products gain in
isolation, but a whole training step does not (measured), which is why minigrad keeps one thread.
Run: python -m benchmarks.bench_blas [--repeats N]
"""
import argparse
import os
import statistics
import time

import numpy as np

from minigrad._runtime import BLAS, blas_threads


def shapes(batch):
    """(label, a shape, b shape, transpose b) of the matmuls in one lecture CNN training step."""
    p1, p2 = batch * 24 * 24, batch * 8 * 8  # conv outputs: 6 x 24 x 24 and 16 x 8 x 8 per image
    return [(f"conv1 fwd  N={batch}", (6, 25), (25, p1), False), (f"conv1 dW   N={batch}", (6, p1), (25, p1), True),
            (f"conv2 fwd  N={batch}", (16, 150), (150, p2), False), (f"conv2 dW   N={batch}", (16, p2), (150, p2), True),
            (f"conv2 dX   N={batch}", (150, 16), (16, p2), False), (f"fc1 fwd    N={batch}", (batch, 256), (256, 120), False)]


def time_one(a, b, reps):
    """Seconds per product, the best of 3 batches of reps (the machine is shared)."""
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(reps):
            np.matmul(a, b)
        best = min(best, (time.perf_counter() - t0) / reps)
    return best


def run(repeats=5, batches=(4, 64, 1000)):
    """Rows of (label, multiply-adds, 1-thread s, all-core s)."""
    rng, cores, rows = np.random.default_rng(0), os.cpu_count() or 1, []
    for batch in batches:
        for label, sa, sb, tb in shapes(batch):
            a = rng.standard_normal(sa, dtype=np.float32)
            b = rng.standard_normal(sb, dtype=np.float32)
            b = b.T if tb else b
            work = a.shape[0] * a.shape[1] * b.shape[1]
            reps = max(1, int(2e7 // work))
            t1, tn = [], []
            for _ in range(repeats):
                for n, acc in ((1, t1), (cores, tn)):
                    with blas_threads(n):
                        acc.append(time_one(a, b, reps))
            rows.append((label, work, statistics.median(t1), statistics.median(tn)))
            print(f"{label:18s} {work / 1e6:8.2f}M MACs  1 thread {rows[-1][2] * 1e6:9.1f} us  "
                  f"{cores} threads {rows[-1][3] * 1e6:9.1f} us  ratio {rows[-1][3] / rows[-1][2]:5.2f}", flush=True)
    return rows


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    print(f"OpenBLAS: {BLAS.detail}")
    run(args.repeats)
