"""The benchmark entry point keeps working (it reports timings; nothing here asserts on them)."""
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]

pytest.importorskip("torch", reason='the benchmarks compare with PyTorch: pip install "minigrad[parity]"')
from benchmarks import bench_data  # noqa: E402
from benchmarks.__main__ import main  # noqa: E402

needs_data = pytest.mark.skipif(bench_data.missing() is not None, reason=f"{bench_data.missing()}")


def test_quick_engine_rows_and_process_costs_report():
    rows = main(["--quick", "--repeats", "1", "--only", "1.", "3.", "7."])
    names = [r["name"] for r in rows]
    assert any(n.startswith("1. poly fit") for n in names) and any(n.startswith("3. lecture CNN") for n in names)
    assert any(n.startswith("7a. import") for n in names)
    for r in rows:
        assert r["ratio"] > 0


@needs_data
def test_quick_loader_rows_report():
    rows = main(["--quick", "--only", "6."])
    assert [r["name"].split(",")[1].strip() for r in rows] == ["num_workers=0", "num_workers=2"]
    assert all(r["ratio"] > 0 for r in rows)


def test_data_rows_skip_with_their_reason_without_data(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("MINIGRAD_DATA", str(tmp_path))
    rows = main(["--quick", "--only", "6.", "8."])
    assert len(rows) == 2 and all("no FashionMNIST data" in r["skipped"] for r in rows)
    assert "skipped: no FashionMNIST data" in capsys.readouterr().out


def test_without_torch_it_names_the_install_command():
    code = "import sys; sys.modules['torch'] = None\nfrom benchmarks.__main__ import main\nmain([])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 1 and 'pip install "minigrad[parity]"' in out.stderr

