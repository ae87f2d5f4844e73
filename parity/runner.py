"""Running one workload with both engines from the same initial state, and comparing the runs."""
import importlib

from . import report, tolerances
from .workloads import WORKLOADS, Options


def engine(name):
    """The module for an engine name: numpy, minigrad or torch."""
    return importlib.import_module(name)


def run_workload(name, steps=None, opts=None, seed=0, state=None, state_a=None):
    """Run workload `name` in both engines and compare them; state_a (default: state) starts engine A only."""
    w, opts = WORKLOADS[name], opts or Options()
    steps = steps or w.steps
    state = w.init(seed) if state is None else state
    state_a = state if state_a is None else state_a
    lib_a, lib_b = map(engine, w.engines)
    if w.warmup:
        quiet = Options(opts.device, opts.data, None, opts.test_images)
        w.run(lib_a, state_a, min(steps, 2), quiet), w.run(lib_b, state, min(steps, 2), quiet)
    run_a = w.run(lib_a, state_a, steps, opts)
    run_b = w.run(lib_b, state, steps, opts)
    return report.compare(w, steps, run_a, run_b, tolerances.tolerance(name, opts.device))
