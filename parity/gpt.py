"""The tiny GPT of demos/gpt.py as a parity workload: `gpt` (float32, 50 steps) and `gpt64` (float64, 200 steps).

Both engines start from the same torch-initialised weights and train on the same batches (windows of minigrad's
source chosen by numpy), with the demo's AdamW groups, warm-up + cosine schedule and gradient clipping; dropout
is 0 (the engines' random streams differ). The compared trajectory is each step's loss and gradient norm (the
one clip_grad_norm_ returns), then the trained model's next-token distribution on the first validation window
(eval mode): `losses` counts 2 * steps + vocabulary values.
"""
import functools

import numpy as np

from demos import gpt
from . import convert
from .workloads import Workload, _timed

DEFAULTS = gpt.parse([])  # the demo's default size and optimiser settings
SIZE = {k: getattr(DEFAULTS, k) for k in ("context", "layers", "width", "heads")}
BATCH = DEFAULTS.batch


@functools.lru_cache(maxsize=1)
def _data():
    ids, chars = gpt.tokenize(gpt.load_text())
    return ids, len(chars)


def _batches(steps, seed=0):
    """(steps, BATCH) window starts into the training text, drawn once for both engines."""
    data, _ = _data()
    return np.random.default_rng(seed).integers(0, int(0.9 * len(data)) - SIZE["context"], (steps, BATCH))


def _windows(data, starts):
    idx = starts[:, None] + np.arange(SIZE["context"])
    return data[idx], data[idx + 1]


def _build(lib):
    return gpt.make_gpt(lib, lib.nn, lib.nn.functional)(_data()[1], **SIZE)


def _init(seed):
    import torch
    torch.manual_seed(seed)
    return convert.to_numpy(_build(torch))


def _run(lib, state, steps, opts, double=False):
    data, _ = _data()
    with convert.placed(lib, opts.device):
        model = convert.load(_build(lib), lib, state)
        if double:
            model.double()
        optimizer = gpt.configure_optimizer(lib.optim, model, DEFAULTS.lr, DEFAULTS.weight_decay)
        scheduler = gpt.make_scheduler(lib.optim, optimizer, steps)
        probe = lib.tensor(_windows(data, np.array([int(0.9 * len(data))]))[0])  # the first validation window

        def train():
            trajectory = []
            for starts in _batches(steps):
                x, y = (lib.tensor(a) for a in _windows(data, starts))
                trajectory += gpt.train_step(model, optimizer, scheduler, x, y, 1.0, lib.nn)
            model.eval()
            with lib.no_grad():
                probs = lib.nn.functional.softmax(model(probe)[0][0, -1], dim=-1)
            return trajectory + probs.tolist(), model
        return _timed(train)


WORKLOADS = {w.name: w for w in [
    Workload("gpt", "7. char GPT (demos/gpt.py defaults), AdamW + cosine + clipping, float32", 50, _init, _run),
    Workload("gpt64", "7b. the same GPT in float64", 200, _init, functools.partial(_run, double=True)),
]}
