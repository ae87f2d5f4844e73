"""Row 8: the lecture-6 demo's training time (one epoch: 15,000 batches of 4), minigrad vs PyTorch.

Each backend runs demos/lecture6_tensorboard.py in its own process (as a user runs it: numpy imported first,
DataLoader num_workers=2, TensorBoard logging every 1000 batches) into a temporary log folder; the demo's own
"training took X s" is the time compared. The demo's progress bar shows on stderr.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from . import bench_data

ROOT = bench_data.ROOT
QUICK_STEPS = 300


def _train_seconds(backend, steps, logdir):
    """Seconds the demo reports for its training loop."""
    cmd = [sys.executable, str(ROOT / "demos" / "lecture6_tensorboard.py"), "--backend", backend,
           "--data", str(bench_data.data_root()), "--logdir", os.path.join(logdir, backend)]
    out = subprocess.run(cmd + ([] if steps is None else ["--steps", str(steps)]), stdout=subprocess.PIPE,
                         text=True, cwd=logdir)
    found = re.search(r"training took ([0-9.]+) s", out.stdout)
    if out.returncode or not found:
        raise RuntimeError(f"{' '.join(cmd)} failed (exit {out.returncode}):\n{out.stdout[-2000:]}")
    return float(found.group(1))


def run(quick):
    """The row (a dict like the other rows'), or a skipped row with its reason."""
    name = f"8. lecture-6 demo training, {QUICK_STEPS if quick else '15,000'} batches of 4"
    reason = bench_data.missing()
    try:
        import matplotlib  # noqa: F401  (the demo needs the tensorboard extra's packages)
        import tensorboard  # noqa: F401
    except ImportError as e:
        reason = reason or f'needs the tensorboard extra ({e}): pip install "minigrad[tensorboard]"'
    if reason:
        return {"name": name, "skipped": reason}
    from minigrad.utils.progress import Progress
    tmp, load = tempfile.mkdtemp(prefix="minigrad_bench_epoch_"), os.getloadavg()[0]
    try:
        with Progress(2, desc="8. demo runs") as bar:
            m = _train_seconds("minigrad", QUICK_STEPS if quick else None, tmp)
            bar.update(1)
            t = _train_seconds("torch", QUICK_STEPS if quick else None, tmp)
            bar.update(1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    # other work on the machine slows both runs, unevenly (torch's threads suffer most): the load says how much
    load = f"load {load:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    return {"name": name, "minigrad_s": m, "torch_s": t, "ratio": m / t,
            "unit": f"one run each, the demo's timer; {load}"}
