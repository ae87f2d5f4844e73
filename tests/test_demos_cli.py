"""python -m demos and the lecture-6 demo leave nothing behind and fail early, clearly, without the data."""
import gzip
import os
import subprocess
import sys

import pytest

import demos.__main__ as demos_main
from conftest import ROOT
from demos import _common
from minigrad.vision.datasets import FashionMNIST


def test_help_names_the_command():
    out = subprocess.run([sys.executable, "-m", "demos", "--help"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, check=True).stdout
    assert out.startswith("usage: python -m demos")


def test_offline_without_data_stops_before_step_1(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MINIGRAD_DATA", raising=False)
    monkeypatch.setattr(FashionMNIST, "mirrors", ["http://127.0.0.1:9/"])  # nothing listens there: as offline
    monkeypatch.setattr("sys.argv", ["demos", "--quick"])
    with pytest.raises(SystemExit) as e:
        demos_main.main()
    msg = str(e.value.code)
    assert "step 6 needs FashionMNIST" in msg and "MINIGRAD_DATA" in msg
    assert all(f in msg for f, _ in FashionMNIST.resources)  # all four files, not the first one missing
    assert "=====" not in capsys.readouterr().out  # no step ran


def test_torch_backend_data_copy_is_removed(tmp_path):
    pytest.importorskip("matplotlib", reason='the lecture-6 demo needs pip install "minigrad[tensorboard]"')
    from demos.lecture6_tensorboard import torchvision_root
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    (raw / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(b"\0\0\x08\x01\0\0\0\x01\x07"))
    with torchvision_root(str(tmp_path)) as root:
        unpacked = os.path.join(root, "FashionMNIST", "raw", "t10k-labels-idx1-ubyte")
        assert root != str(tmp_path) and open(unpacked, "rb").read()[-1] == 7
    assert not os.path.exists(root)


def test_fresh_run_dirs_carry_a_timestamp():
    a = _common.fresh_run_dir("runs/x")
    assert a.startswith("runs/x_") and a[len("runs/x_"):].replace("-", "").isdigit()
