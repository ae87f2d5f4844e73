"""The benchmark entry point keeps working (it reports timings; nothing here asserts on them)."""
from benchmarks.__main__ import main


def test_quick_benchmarks_run_and_report_every_row():
    rows = main(["--quick", "--repeats", "1", "--only", "1.", "3.", "7.", "6."])
    names = [r["name"] for r in rows]
    assert any(n.startswith("1. poly fit") for n in names) and any(n.startswith("3. lecture CNN") for n in names)
    assert any(n.startswith("7a. import") for n in names) and any("num_workers=2" in str(r) for r in rows)
    for r in rows:
        assert r["ratio"] > 0
