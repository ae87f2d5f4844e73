"""The run-time BLAS setting really takes effect with numpy imported first: OpenBLAS's worker threads stop working."""
import os
import subprocess
import sys

import pytest

from tests.test_runtime import ROOT, needs_openblas

PROBE = """
import os, numpy as np
a = np.ones((600, 600), np.float32)
def worker_ticks():  # CPU ticks of every thread but the main one (OpenBLAS's workers), from /proc
    me, ticks = os.getpid(), 0
    for t in os.listdir(f"/proc/{me}/task"):
        if int(t) != me:
            fields = open(f"/proc/{me}/task/{t}/stat").read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
    return ticks
import minigrad
before = worker_ticks()
for _ in range(100):
    a @ a
print(worker_ticks() - before)
"""


@needs_openblas
@pytest.mark.skipif(not os.path.isdir("/proc/self/task") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs Linux /proc and two cores")
def test_numpy_first_then_minigrad_leaves_openblas_workers_idle():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENBLAS_", "OMP_", "GOTO_", "MINIGRAD_"))}
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, env=clean, check=True)
    assert int(out.stdout.split()[-1]) == 0
