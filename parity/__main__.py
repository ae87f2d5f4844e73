"""python -m parity [WORKLOAD ...] [--device cpu|cuda] [--steps N] [--data DIR] [--logdir DIR] [--seed S]

Runs the lecture's workloads in minigrad and in PyTorch from identical initial weights and data order, prints
one row per workload and exits 1 when any workload is outside its tolerance (parity/tolerances.py).
"""
import argparse
import importlib.util
import os
import platform
import sys
import time

from . import data, report, tolerances
from .runner import run_workload
from .workloads import WORKLOADS, Options


def parse(argv):
    """Command-line options, checked."""
    p = argparse.ArgumentParser(prog="python -m parity", description=__doc__.split("\n\n")[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="workloads: " + "; ".join(f"{n}: {w.title}" for n, w in WORKLOADS.items()))
    p.add_argument("workloads", nargs="*", metavar="WORKLOAD", help="workloads to run (default: all)")
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="where the torch side runs")
    p.add_argument("--steps", type=int, help="training steps for every workload (default: each one's own)")
    p.add_argument("--data", default=data.DEFAULT_ROOT, help="folder holding FashionMNIST/raw (default: %(default)s)")
    p.add_argument("--logdir", help="TensorBoard logs of the CNN go to LOGDIR/minigrad and LOGDIR/torch (default: "
                   "a fresh runs/parity_<date-time> per run)")
    p.add_argument("--seed", type=int, default=0, help="seed of the initial weights (default: %(default)s)")
    args = p.parse_args(argv)
    unknown = [w for w in args.workloads if w not in WORKLOADS]
    if unknown:
        p.error(f"unknown workload {unknown[0]!r} (choose from {', '.join(WORKLOADS)})")
    if args.steps is not None and args.steps < 1:
        p.error(f"--steps must be a positive integer, got {args.steps}")
    return args


def missing_extra(names):
    """The packages of the parity extra that `python -m parity NAMES` needs and cannot import."""
    needed = ["torch"] + (["tensorboard"] if any(n.startswith("cnn") for n in names) else [])
    return [m for m in needed if importlib.util.find_spec(m) is None]


def main(argv=None):
    """Run, print the table, return the exit status."""
    args = parse(argv)
    names = args.workloads or list(WORKLOADS)
    missing = missing_extra(names)
    if missing:
        print(f"python -m parity compares with PyTorch and needs {' and '.join(missing)}, which "
              f"{'is' if len(missing) == 1 else 'are'} not installed: pip install \"minigrad[parity]\"",
              file=sys.stderr)
        return 2
    import numpy
    import torch
    if args.device == "cuda":
        if not torch.cuda.is_available():
            print("parity: skipped --device cuda: torch.cuda.is_available() is False (no CUDA GPU, or a CPU-only "
                  "PyTorch build); nothing was compared")
            return 0
        # full float32 matmuls and convolutions, as on the CPU
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    where = torch.cuda.get_device_name() if args.device == "cuda" else f"{platform.processor() or 'cpu'}"
    print(f"torch {torch.__version__} on {args.device} ({where}, {torch.get_num_threads()} threads); minigrad on cpu "
          f"(numpy {numpy.__version__}); seed {args.seed}; A = minigrad (numpy for 'numpy'), B = torch")
    logdir = args.logdir or os.path.join("runs", time.strftime("parity_%Y%m%d-%H%M%S"))  # a fresh one per run
    if "cnn" in names:
        print(f"TensorBoard logs of the cnn workload: {os.path.abspath(logdir)}")
    print(report.HEADER, flush=True)
    opts = Options(args.device, args.data, logdir)
    failed = []
    for name in names:
        row = run_workload(name, args.steps, opts, args.seed)
        print(report.format_row(row), flush=True)
        if not row.ok:
            failed.append(name)
    if "cnn" in names:
        tol = tolerances.tolerance("cnn", args.device)
        print(f"cnn: the first {tol.loss_steps} losses are compared and the final weights are not checked (float32 "
              "training is chaotic; see parity/tolerances.py)")
        print(f"TensorBoard: tensorboard --logdir {logdir}  (runs 'minigrad' and 'torch')")
    if failed:
        print(f"parity: FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    print("parity: all workloads within tolerance")
    return 0


if __name__ == "__main__":
    sys.exit(main())
