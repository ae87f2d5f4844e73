"""Shared pytest setup: slow-test gating, honest skips without PyTorch or the FashionMNIST copy, the data root."""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads: as `import minigrad` first would
import importlib.util
import pathlib
import re

import pytest

try:
    from hypothesis import settings
except ImportError:  # a numpy-only venv: the hypothesis tests skip
    settings = None
if settings is not None:
    # CI draws the same examples every run (a red run then means a change, not an unlucky draw); locally each run
    # explores new ones: HYPOTHESIS_PROFILE=ci reproduces CI's
    settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = pathlib.Path(__file__).resolve().parents[1]
HAVE_TORCH = importlib.util.find_spec("torch") is not None
NO_TORCH = 'needs PyTorch (the reference it compares with): pip install "minigrad[parity]"'


def data_root():
    """Where the FashionMNIST copy lives: $MINIGRAD_DATA, else ../shared/data beside the repo."""
    env = os.environ.get("MINIGRAD_DATA")
    if env:
        return pathlib.Path(env)
    return ROOT.parent / "shared" / "data"


FILES = [f"{split}-{kind}-ubyte.gz" for split in ("train", "t10k") for kind in ("images-idx3", "labels-idx1")]
HAVE_DATA = all((data_root() / "FashionMNIST" / "raw" / f).exists() for f in FILES)
NO_DATA = f"needs the FashionMNIST copy in {data_root() / 'FashionMNIST' / 'raw'} (set MINIGRAD_DATA)"
needs_data = pytest.mark.skipif(not HAVE_DATA, reason=NO_DATA)


def fashion_mnist_root():
    """The data root as a string, or skip the calling test with the one reason."""
    if not HAVE_DATA:
        pytest.skip(NO_DATA)
    return str(data_root())


class _NeedsTorch(pytest.Module):
    """A test file that imports torch, in a venv without it: one skip with the reason instead of an error."""

    def collect(self):
        pytest.skip(NO_TORCH)


def pytest_pycollect_makemodule(module_path, parent):
    if not HAVE_TORCH and re.search(r"^(import|from) torch", module_path.read_text(encoding="utf-8"), re.M):
        return _NeedsTorch.from_parent(parent, path=module_path)
    return None


def pytest_collection_modifyitems(config, items):
    if os.environ.get("MINIGRAD_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow: set MINIGRAD_SLOW=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def pytest_sessionstart(session):
    # data tests skip on machines without the FashionMNIST copy; CI sets MINIGRAD_REQUIRE_DATA so they cannot
    if os.environ.get("MINIGRAD_REQUIRE_DATA") == "1" and not HAVE_DATA:
        raise pytest.UsageError(f"MINIGRAD_REQUIRE_DATA=1 but {NO_DATA}")
