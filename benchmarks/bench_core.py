"""Workloads timed by python -m benchmarks: the lecture's poly fits and CNN, in both engines."""
import json
import math
import subprocess
import sys

import numpy as np


def _libs():
    import torch
    import minigrad
    torch.set_num_threads(torch.get_num_threads())  # PyTorch's defaults, as a user gets them
    return minigrad, torch


def _poly_autograd(lib, steps):
    from demos.lecture3_autograd import fit
    return lambda: fit(lib, [0.1, -0.2, 0.3, -0.05], steps=steps, log=lambda *a: None)


def _poly_numpy(steps):
    from demos.lecture1_numpy import fit
    return lambda: fit([0.1, -0.2, 0.3, -0.05], steps=steps, log=lambda *a: None)


def _poly_optim(lib, steps):
    x = lib.linspace(-math.pi, math.pi, 2000)
    y = lib.sin(x)

    def run():
        params = [lib.nn.Parameter(lib.tensor(v)) for v in (0.1, -0.2, 0.3, -0.05)]
        opt = lib.optim.SGD(params, lr=1e-6)
        crit = lib.nn.MSELoss(reduction="sum")
        a, b, c, d = params
        for _ in range(steps):
            loss = crit(a + b * x + c * x ** 2 + d * x ** 3, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
    return run


def _cnn_step(lib, batch, steps, seed=0):
    from demos.lecture_net import make_net
    rng = np.random.default_rng(seed)
    xs = [rng.standard_normal((batch, 1, 28, 28)).astype(np.float32) for _ in range(8)]
    ys = [rng.integers(0, 10, batch) for _ in range(8)]
    xs, ys = [lib.from_numpy(x) for x in xs], [lib.from_numpy(y) for y in ys]
    net = make_net(lib.nn, lib.nn.functional)()
    crit = lib.nn.CrossEntropyLoss()
    opt = lib.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)

    def run():
        for i in range(steps):
            opt.zero_grad()
            loss = crit(net(xs[i % 8]), ys[i % 8])
            loss.backward()
            opt.step()
    return run


def _cnn_infer(lib, n):
    from demos.lecture_net import make_net
    x = lib.from_numpy(np.random.default_rng(1).standard_normal((n, 1, 28, 28)).astype(np.float32))
    net = make_net(lib.nn, lib.nn.functional)()

    def run():
        with lib.no_grad():
            for i in range(0, n, 1000):
                net(x[i:i + 1000]).argmax(1)
    return run


def sizes(quick):
    """Poly-fit steps, CNN steps at batch 4 and 64, inference images."""
    return (200, 50, 10, 2000) if quick else (2000, 500, 100, 10000)


def engine_rows(quick):
    """(name, unit note, build) for rows 1-5; build(lib) gives the callable timed for that library."""
    steps, cnn4, cnn64, n_test = sizes(quick)
    return [
        (f"1. poly fit, autograd, {steps} steps", "", lambda lib: _poly_autograd(lib, steps)),
        (f"2. poly fit, Parameters + MSELoss + optim.SGD, {steps} steps", "", lambda lib: _poly_optim(lib, steps)),
        (f"3. lecture CNN train step, batch 4, x{cnn4}", f"{cnn4} steps", lambda lib: _cnn_step(lib, 4, cnn4)),
        (f"4. lecture CNN train step, batch 64, x{cnn64}", f"{cnn64} steps", lambda lib: _cnn_step(lib, 64, cnn64)),
        (f"5. lecture CNN inference, {n_test} images, batches of 1000", "", lambda lib: _cnn_infer(lib, n_test)),
    ]


def workloads(quick):
    """(name, unit note, minigrad callable, torch callable) for each timed workload."""
    m, t = _libs()
    rows = [(name, unit, build(m), build(t)) for name, unit, build in engine_rows(quick)]
    steps = sizes(quick)[0]
    rows.insert(1, ("1b. poly fit, numpy manual (floor) vs torch autograd", "", _poly_numpy(steps),
                    _poly_autograd(t, steps)))
    return rows


_PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
lib = __import__(sys.argv[1])
t_import = time.perf_counter() - t0
steps = int(sys.argv[2])
if steps:
    sys.path.insert(0, sys.argv[3])
    from benchmarks.bench_core import _cnn_step
    _cnn_step(lib, 4, steps)()
# VmHWM, not ru_maxrss: the latter can carry over the parent's peak across fork + exec
hwm = [ln for ln in open("/proc/self/status") if ln.startswith("VmHWM")][0]
print(json.dumps({"import_s": t_import, "rss_mb": int(hwm.split()[1]) / 1024}))
"""


def _probe(lib, steps):
    import os
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", _PROBE, lib, str(steps), root], capture_output=True, text=True,
                         check=True, cwd=root)
    return json.loads(out.stdout.strip().splitlines()[-1])


def process_costs(quick):
    """Import time (median of fresh processes) and peak RSS of a lecture CNN run, per engine."""
    n = 3 if quick else 5
    imp = {lib: sorted(_probe(lib, 0)["import_s"] for _ in range(n))[n // 2] for lib in ("minigrad", "torch")}
    steps = 100 if quick else 2000
    rss = {lib: _probe(lib, steps)["rss_mb"] for lib in ("minigrad", "torch")}
    return [dict(name="7a. import time (s)", unit="fresh process, median", minigrad=imp["minigrad"],
                 torch=imp["torch"], ratio=imp["minigrad"] / imp["torch"]),
            dict(name=f"7b. peak RSS (MB), {steps}-step lecture CNN run", unit="fresh process",
                 minigrad=rss["minigrad"], torch=rss["torch"], ratio=rss["minigrad"] / rss["torch"])]
