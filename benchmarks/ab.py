"""python -m benchmarks.ab OLD NEW [--rounds R] [--quick]: rows 1-5 and per-op costs for two minigrad source trees.

Each round runs one fresh process per tree, alternating (OLD NEW, then NEW OLD, ...), with PYTHONPATH=<tree>:
minigrad comes from the tree, the workloads from this checkout, so both time the same code on the same data.
Times are CPU seconds (process_time, the least of 5 runs in a process, one BLAS thread), so that other processes on
a shared machine count less; prints the median over rounds for each tree and NEW/OLD (above 1: NEW is slower).
OLD vs OLD shows the noise.
--env-new VAR=VALUE (or --env-old) sets an environment variable for one side, e.g. MINIGRAD_BLAS_THREADS=2.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_WORKER = r"""
import numpy as np  # first, as the lecture
import json, os, sys, time
import minigrad
assert os.path.realpath(minigrad.__file__).startswith(os.path.realpath(sys.argv[1])), minigrad.__file__
sys.path.insert(0, sys.argv[2])  # the workloads from the harness's checkout (minigrad is already imported)
from benchmarks.ab import micro
from benchmarks.bench_core import engine_rows
out = {}
for name, _, build in engine_rows(sys.argv[3] == "quick"):
    fn = build(minigrad)
    fn()
    times = []
    for _ in range(5):
        t0 = time.process_time(); fn(); times.append(time.process_time() - t0)
    out[name] = min(times)
out.update(micro(minigrad))
print(json.dumps(out))
"""


def micro(lib, n=2000):
    """CPU microseconds per call of the per-op microbenchmarks (the least of 5 batches of n calls)."""
    import time

    import numpy as np

    from demos.lecture3_autograd import fit
    x = lib.tensor(np.random.default_rng(0).standard_normal(2000).astype(np.float32), requires_grad=True)
    w = lib.tensor(np.random.default_rng(1).standard_normal(2000).astype(np.float32))
    g = lib.ones(2000)

    def mul_no_grad():
        with lib.no_grad():
            x * w

    def mul_backward():
        (x * w).backward(g)

    def poly_step():
        fit(lib, [0.1, -0.2, 0.3, -0.05], steps=n // 20, log=lambda *a: None)
    cases = {"op: 2000-element mul, no_grad (us)": (mul_no_grad, n), "op: mul + backward (us)": (mul_backward, n),
             "poly fit, one step (us)": (poly_step, n // 20)}
    out = {}
    for name, (fn, steps) in cases.items():
        fn()
        runs = []
        for _ in range(5):
            t0 = time.process_time()
            for _ in range(n if fn is not poly_step else 1):
                fn()
            runs.append((time.process_time() - t0) / steps * 1e6)
        out[name] = min(runs)
    return out


def one_run(tree, quick, env):
    """The worker's timings for one fresh process on `tree`."""
    full_env = {**os.environ, "PYTHONPATH": tree, "MINIGRAD_PROGRESS": "0", "OPENBLAS_NUM_THREADS": "1", **env}
    out = subprocess.run([sys.executable, "-c", _WORKER, tree, HERE, "quick" if quick else "full"], cwd=tree,
                         env=full_env, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"worker on {tree} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare(old, new, rounds, quick, env_old=(), env_new=()):
    """{row: (old median, new median)} over `rounds` alternating rounds."""
    from minigrad.utils.progress import Progress
    sides = [(old, dict(e.split("=", 1) for e in env_old)), (new, dict(e.split("=", 1) for e in env_new))]
    got = ([], [])
    with Progress(2 * rounds, desc="A/B runs") as bar:
        for r in range(rounds):
            for i in ((0, 1) if r % 2 == 0 else (1, 0)):
                got[i].append(one_run(*sides[i][:1], quick, sides[i][1]))
                bar.update(1)
    return {k: (statistics.median(d[k] for d in got[0]), statistics.median(d[k] for d in got[1]),
                max(d[k] for d in got[1]) / min(d[k] for d in got[1])) for k in got[0][0]}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--quick", action="store_true", help="the --quick sizes of python -m benchmarks")
    p.add_argument("--env-old", nargs="*", default=[], metavar="VAR=VALUE")
    p.add_argument("--env-new", nargs="*", default=[], metavar="VAR=VALUE")
    args = p.parse_args(argv)
    res = compare(args.old, args.new, args.rounds, args.quick, args.env_old, args.env_new)
    print(f"OLD {args.old} {' '.join(args.env_old)}\nNEW {args.new} {' '.join(args.env_new)}\n"
          f"{args.rounds} alternating rounds, fresh processes, numpy imported first; medians")
    print(f"{'row':60s} {'OLD':>10s} {'NEW':>10s} {'NEW/OLD':>8s} {'NEW max/min':>11s}")
    for k, (a, b, spread) in res.items():
        unit = "" if "(us)" in k else "s"
        print(f"{k:60s} {a:9.4f}{unit or ' '} {b:9.4f}{unit or ' '} {b / a:7.3f}x {spread:10.2f}")
    return res


if __name__ == "__main__":
    main()
