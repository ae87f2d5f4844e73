"""The GPT demo's training speed in tokens/s (demos/gpt.py at its default size), minigrad vs PyTorch CPU.

Both engines train the demo's model with its AdamW groups, schedule and clipping on the same 8 batches (windows of
minigrad's source), in this process, alternating after one warm-up each. Run: python benchmarks/bench_gpt.py
"""
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def trainer(lib, steps, seed=0):
    """A callable that trains the demo's default GPT for `steps` steps in `lib`; and the tokens one call trains."""
    sys.path.insert(0, str(ROOT))
    from demos import gpt
    args = gpt.parse([])
    ids, chars = gpt.tokenize(gpt.load_text())
    lib.manual_seed(seed)
    model = gpt.make_gpt(lib, lib.nn, lib.nn.functional)(len(chars), args.context, args.layers, args.width,
                                                         args.heads, args.dropout, args.flash)
    optimizer = gpt.configure_optimizer(lib.optim, model, args.lr, args.weight_decay)
    scheduler = gpt.make_scheduler(lib.optim, optimizer, 10 ** 9)  # a long schedule: every step is a full-rate one
    starts = np.random.default_rng(seed).integers(0, len(ids) - args.context, (8, args.batch))
    windows = [s[:, None] + np.arange(args.context) for s in starts]
    batches = [(lib.from_numpy(ids[w]), lib.from_numpy(ids[w + 1])) for w in windows]

    def run():
        for i in range(steps):
            gpt.train_step(model, optimizer, scheduler, *batches[i % len(batches)], 1.0, lib.nn)
    return run, steps * args.batch * args.context


def run(quick):
    """The benchmark row (a dict like bench_core's rows): median seconds per call and tokens/s of each engine."""
    import torch

    import minigrad
    steps, repeats = (5, 2) if quick else (50, 5)
    (fn_m, tokens), (fn_t, _) = trainer(minigrad, steps), trainer(torch, steps)
    fn_m(), fn_t()
    times = {fn_m: [], fn_t: []}
    for _ in range(repeats):
        for fn in times:
            t0 = time.perf_counter()
            fn()
            times[fn].append(time.perf_counter() - t0)
    m, t = statistics.median(times[fn_m]), statistics.median(times[fn_t])
    return {"name": f"9. GPT demo training (default size), x{steps} steps", "minigrad_s": m, "torch_s": t,
            "ratio": m / t, "unit": f"tokens/s: minigrad {tokens / m:.0f}, torch {tokens / t:.0f}"}


if __name__ == "__main__":
    row = run(quick="--quick" in sys.argv)
    print(f"{row['name']}: minigrad {row['minigrad_s']:.3f} s, torch {row['torch_s']:.3f} s, "
          f"ratio {row['ratio']:.2f}x; {row['unit']}")
