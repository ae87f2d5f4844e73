"""Shared pytest setup: slow-test gating and the FashionMNIST data root."""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads: as `import minigrad` first would
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


def data_root():
    """Where the FashionMNIST copy lives: $MINIGRAD_DATA, else ../shared/data beside the repo."""
    env = os.environ.get("MINIGRAD_DATA")
    if env:
        return pathlib.Path(env)
    return ROOT.parent / "shared" / "data"


def pytest_collection_modifyitems(config, items):
    if os.environ.get("MINIGRAD_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow: set MINIGRAD_SLOW=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
