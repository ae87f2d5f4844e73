"""minigrad sets BLAS threads at run time whatever the import order; environment variables turn each setting off."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from minigrad import _runtime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
needs_openblas = pytest.mark.skipif(_runtime.BLAS.setter is None, reason=f"no OpenBLAS: {_runtime.BLAS.detail}")

PROBE = """
import json, sys
{first}
import importlib.util  # a standalone copy of _runtime reads the count without importing the minigrad package
spec = importlib.util.spec_from_file_location("rt", "minigrad/_runtime.py")
rt = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rt)
before = rt.BLAS.get()
import minigrad
print(json.dumps({{"before": before, "after": rt.BLAS.get(), "status": minigrad._runtime.STATUS}}))
"""


def probe(first="import numpy", **env):
    """Import `first`, then minigrad, in a fresh process; the OpenBLAS thread counts and minigrad's STATUS."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENBLAS_", "OMP_", "GOTO_", "MINIGRAD_", "MALLOC_"))}
    out = subprocess.run([sys.executable, "-c", PROBE.format(first=first)], capture_output=True, text=True,
                         cwd=ROOT, env={**clean, **env}, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@needs_openblas
@pytest.mark.parametrize("first", ["import numpy", "import minigrad"])
def test_one_thread_whatever_was_imported_first(first):
    r = probe(first)
    assert r["after"] == 1 and r["status"]["blas"].startswith("BLAS threads: 1")


@needs_openblas
@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one core: OpenBLAS starts with one thread anyway")
def test_numpy_first_really_starts_with_more_threads():
    # the situation run-time control exists for: numpy's OpenBLAS chose its thread count before minigrad came
    assert probe()["before"] > 1


@needs_openblas
def test_off_leaves_openblas_alone_and_a_number_sets_it():
    r = probe(MINIGRAD_BLAS_THREADS="off")
    assert r["after"] == r["before"] and "left alone" in r["status"]["blas"]
    assert probe(MINIGRAD_BLAS_THREADS="2")["after"] == 2


@needs_openblas
def test_users_openblas_num_threads_is_respected():
    r = probe(OPENBLAS_NUM_THREADS="2")
    assert r["before"] == r["after"] == 2 and "OPENBLAS_NUM_THREADS" in r["status"]["blas"]


def test_mallopt_on_by_default_and_off_by_env():
    assert probe()["status"]["mallopt"] is (sys.platform.startswith("linux"))
    assert probe(MINIGRAD_MALLOPT="0")["status"]["mallopt"] is False


def test_bad_setting_raises():
    with pytest.raises(ValueError, match="MINIGRAD_BLAS_THREADS"):
        _runtime.configure_blas("many")
    _runtime.configure()
