"""Comparing two engines' runs of a workload against its tolerance, and printing the table."""
from dataclasses import dataclass

import numpy as np


def max_rel(a, b):
    """max |a - b| / |b| elementwise (b is the reference, PyTorch); 0.0 for empty input."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare trajectories of shapes {a.shape} and {b.shape}")
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), np.finfo(np.float64).tiny), initial=0.0))


def params_rel(a, b):
    """max |a - b| / max |b| over all parameters together (so near-zero weights don't inflate it)."""
    if a.keys() != b.keys():
        raise ValueError(f"parameter names differ: {sorted(a)} vs {sorted(b)}")
    da = np.concatenate([np.ravel(a[k]).astype(np.float64) for k in sorted(a)])
    db = np.concatenate([np.ravel(b[k]).astype(np.float64) for k in sorted(b)])
    return float(np.max(np.abs(da - db)) / max(np.max(np.abs(db)), np.finfo(np.float64).tiny))


@dataclass
class Row:
    """One workload's comparison, one table row."""
    name: str
    engines: tuple
    steps: int
    compared: int
    loss_rel: float
    loss_tol: float
    param_rel: float
    param_tol: float
    accuracy: tuple
    accuracy_tol: float
    seconds: tuple
    failures: list

    @property
    def ok(self):
        """True when every checked quantity is within its tolerance."""
        return not self.failures


def compare(workload, steps, run_a, run_b, tol):
    """Row comparing run_a (minigrad or numpy) with run_b (torch) under tolerance `tol`."""
    n = len(run_b.losses) if tol.loss_steps is None else min(tol.loss_steps, len(run_b.losses))
    loss_rel = max_rel(run_a.losses[:n], run_b.losses[:n])
    param_rel = params_rel(run_a.params, run_b.params)
    failures = []
    if not np.isfinite(run_a.losses).all() or not np.isfinite(run_b.losses).all():
        failures.append("non-finite loss")
    if not loss_rel <= tol.loss:
        failures.append(f"loss {loss_rel:.1e} > {tol.loss:.0e}")
    if tol.params is not None and not param_rel <= tol.params:
        failures.append(f"params {param_rel:.1e} > {tol.params:.0e}")
    accuracy = None
    if run_b.accuracy is not None:
        accuracy = (run_a.accuracy, run_b.accuracy)
        if not abs(accuracy[0] - accuracy[1]) * 100 <= tol.accuracy_points:
            failures.append(f"accuracy differs by {abs(accuracy[0] - accuracy[1]) * 100:.2f} > "
                            f"{tol.accuracy_points} points")
    return Row(workload.name, workload.engines, steps, n, loss_rel, tol.loss, param_rel, tol.params, accuracy,
               tol.accuracy_points, (run_a.seconds, run_b.seconds), failures)


HEADER = (f"{'workload':11s} {'engines':15s} {'steps':>6s} {'losses':>6s} {'loss rel':>8s} {'(tol)':>7s} "
          f"{'param rel':>9s} {'(tol)':>7s} {'accuracy A/B':>13s} {'A s':>7s} {'B s':>7s} {'A/B':>6s}  result")


def _tol(v):
    return "(-)" if v is None else f"({v:.0e})"


def format_row(r):
    """One line of the table."""
    acc = "" if r.accuracy is None else f"{100 * r.accuracy[0]:.2f}/{100 * r.accuracy[1]:.2f}%"
    ta, tb = r.seconds
    result = "ok" if r.ok else "FAIL: " + "; ".join(r.failures)
    return (f"{r.name:11s} {'/'.join(r.engines):15s} {r.steps:6d} {r.compared:6d} {r.loss_rel:8.1e} "
            f"{_tol(r.loss_tol):>7s} {r.param_rel:9.1e} {_tol(r.param_tol):>7s} {acc:>13s} {ta:7.2f} {tb:7.2f} "
            f"{ta / max(tb, 1e-9):6.1f}  {result}")
