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


def pytest_sessionstart(session):
    # data tests skip on machines without the FashionMNIST copy; CI sets MINIGRAD_REQUIRE_DATA so they cannot
    if os.environ.get("MINIGRAD_REQUIRE_DATA") == "1" and not (data_root() / "FashionMNIST" / "raw").is_dir():
        raise pytest.UsageError(f"MINIGRAD_REQUIRE_DATA=1 but no FashionMNIST/raw under {data_root()}")
