"""python -m benchmarks.ab OLD NEW [--rounds R] [--quick] [--processes]: rows 1-5 and per-op costs, two source trees.

By default both trees run in ONE process, interleaved: each tree's minigrad package is copied under its own name
(minigrad_old, minigrad_new; the package imports itself relatively) and the rows alternate OLD/NEW, NEW/OLD, ...,
so both see the same machine load at the same moment. On a shared machine this is the only comparison whose
noise is below a few percent. --processes runs one fresh process per tree and round instead (for settings read
at import: --env-old/--env-new VAR=VALUE, e.g. MINIGRAD_BLAS_THREADS=2). Times are CPU seconds (process_time,
one BLAS thread); the table shows each tree's least time and NEW/OLD (above 1: NEW is slower).
"""
import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_WORKER = r"""
import numpy as np  # first, as the lecture
import json, os, sys
import minigrad
assert os.path.realpath(minigrad.__file__).startswith(os.path.realpath(sys.argv[1])), minigrad.__file__
sys.path.insert(0, sys.argv[2])  # the workloads from the harness's checkout (minigrad is already imported)
from benchmarks.ab import timings
print(json.dumps(timings({"tree": minigrad}, sys.argv[3] == "quick", 5)["tree"]))
"""


def micro(lib, n=2000):
    """Callables for the per-op microbenchmarks, with how many calls make up one timing."""
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
    return {"op: 2000-element mul, no_grad (us)": (mul_no_grad, n), "op: mul + backward (us)": (mul_backward, n),
            "poly fit, one step (us)": (lambda: fit(lib, [0.1, -0.2, 0.3, -0.05], n // 20, log=lambda *a: None),
                                        n // 20)}


def timings(libs, quick, rounds):
    """{name: {row: least CPU seconds (us per call for micro rows)}}, the libraries alternating within each row."""
    from benchmarks.bench_core import engine_rows
    out = {k: {} for k in libs}
    rows = [(name, {k: (build(lib), 1) for k, lib in libs.items()}) for name, _, build in engine_rows(quick)]
    per_op = {k: micro(lib) for k, lib in libs.items()}
    rows += [(name, {k: per_op[k][name] for k in libs}) for name in per_op[next(iter(libs))]]
    for name, fns in rows:
        for fn, _ in fns.values():
            fn()  # warm up
        for r in range(rounds):
            for k in (list(fns) if r % 2 == 0 else list(fns)[::-1]):
                fn, calls = fns[k]
                loops = calls if "(us)" in name and "poly" not in name else 1
                t0 = time.process_time()
                for _ in range(loops):
                    fn()
                t = (time.process_time() - t0) / (calls if "(us)" in name else 1) * (1e6 if "(us)" in name else 1)
                out[k][name] = min(out[k].get(name, t), t)
    return out


def same_process(old, new, rounds, quick):
    """Both trees imported side by side under their own names, timed interleaved."""
    tmp = tempfile.mkdtemp(prefix="minigrad_ab_")
    try:
        for side, tree in (("old", old), ("new", new)):
            shutil.copytree(os.path.join(tree, "minigrad"), os.path.join(tmp, f"minigrad_{side}"))
        sys.path.insert(0, tmp)
        libs = {side: importlib.import_module(f"minigrad_{side}") for side in ("old", "new")}
        return timings(libs, quick, rounds)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def processes(old, new, rounds, quick, env_old=(), env_new=()):
    """One fresh process per tree and round, alternating; the least time of each row over all rounds."""
    out = {"old": {}, "new": {}}
    sides = [("old", old, dict(e.split("=", 1) for e in env_old)), ("new", new, dict(e.split("=", 1) for e in env_new))]
    for r in range(rounds):
        for side, tree, env in (sides if r % 2 == 0 else sides[::-1]):
            full_env = {**os.environ, "PYTHONPATH": tree, "MINIGRAD_PROGRESS": "0", "OPENBLAS_NUM_THREADS": "1", **env}
            run = subprocess.run([sys.executable, "-c", _WORKER, tree, HERE, "quick" if quick else "full"], cwd=tree,
                                 env=full_env, capture_output=True, text=True)
            if run.returncode:
                raise RuntimeError(f"worker on {tree} failed:\n{run.stderr[-3000:]}")
            for k, v in json.loads(run.stdout.strip().splitlines()[-1]).items():
                out[side][k] = min(out[side].get(k, v), v)
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--rounds", type=int, default=9)
    p.add_argument("--quick", action="store_true", help="the --quick sizes of python -m benchmarks")
    p.add_argument("--processes", action="store_true", help="a fresh process per tree and round")
    p.add_argument("--env-old", nargs="*", default=[], metavar="VAR=VALUE")
    p.add_argument("--env-new", nargs="*", default=[], metavar="VAR=VALUE")
    args = p.parse_args(argv)
    if args.processes or args.env_old or args.env_new:
        res, how = processes(args.old, args.new, args.rounds, args.quick, args.env_old, args.env_new), "fresh processes"
    else:
        res, how = same_process(args.old, args.new, args.rounds, args.quick), "one process, interleaved"
    print(f"OLD {args.old} {' '.join(args.env_old)}\nNEW {args.new} {' '.join(args.env_new)}\n"
          f"{args.rounds} alternating rounds, {how}, numpy imported first; least CPU time of each")
    print(f"{'row':60s} {'OLD':>10s} {'NEW':>10s} {'NEW/OLD':>8s}")
    for k, a in res["old"].items():
        b, unit = res["new"][k], "" if "(us)" in k else "s"
        print(f"{k:60s} {a:9.4f}{unit or ' '} {b:9.4f}{unit or ' '} {b / a:7.3f}x")
    return res


if __name__ == "__main__":
    main()
