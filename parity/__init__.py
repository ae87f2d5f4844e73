"""The lecture's workloads run side by side in minigrad and real PyTorch (`python -m parity`).

Each workload is defined once (parity/workloads.py) and run by both engines from the same initial weights, which
cross between engines as numpy state dicts (parity/convert.py), with the same data order; parity/report.py
compares the runs against the tolerances in parity/tolerances.py. parity/gpt.py adds the GPT of demos/gpt.py.
"""
from .report import Row, compare
from .runner import run_workload
from .tolerances import Tolerance, tolerance
from .workloads import WORKLOADS, Options, Run, Workload
from . import gpt  # noqa: E402  (step 7: the GPT's workloads join the table after the lecture's)

WORKLOADS.update(gpt.WORKLOADS)

__all__ = ["WORKLOADS", "Options", "Row", "Run", "Tolerance", "Workload", "compare", "run_workload", "tolerance"]
