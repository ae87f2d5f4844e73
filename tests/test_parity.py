"""parity/: every lecture workload agrees between minigrad and PyTorch within its stated tolerance."""
import os
import subprocess
import sys

import numpy as np
import pytest
import torch
from conftest import ROOT, fashion_mnist_root
from hypothesis import given, settings, strategies as st

import minigrad
from parity import WORKLOADS, Options, Run, Tolerance, convert, report, run_workload, tolerances
from parity.__main__ import main

SMALL = [n for n in WORKLOADS if not n.startswith("cnn")]


def assert_within(row):
    assert row.compared > 0, f"{row.name}: no losses were compared"
    assert row.ok, f"{row.name}: " + "; ".join(row.failures)


@pytest.mark.parametrize("name", SMALL)
def test_workload_parity_at_reduced_steps(name):
    assert_within(run_workload(name, steps=300))


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2 ** 31 - 1))
@pytest.mark.parametrize("name", ["sequential", "adam", "dynamic"])
def test_parity_from_any_initial_weights(name, seed):
    assert_within(run_workload(name, steps=200, seed=seed))


def event_summaries(logdir):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    acc = EventAccumulator(str(logdir))
    acc.Reload()
    return acc


def test_cnn_parity_and_tensorboard_logs(tmp_path):
    opts = Options(data=fashion_mnist_root(), logdir=str(tmp_path), test_images=2000)
    row = run_workload("cnn", steps=300, opts=opts)
    assert row.compared == tolerances.tolerance("cnn").loss_steps
    assert_within(row)
    assert all(0.12 < a < 1 for a in row.accuracy), row.accuracy  # already above chance (0.1)
    for engine in ("minigrad", "torch"):
        acc = event_summaries(tmp_path / engine)
        losses = [e.value for e in acc.Scalars("training loss")]
        assert len(losses) == 1 and 0 < losses[0] < 2.4  # the mean of 300 losses, below ln(10) at the start
        assert any(n.op for n in acc.Graph().node), f"{engine}: no graph logged"


def test_cnn_float64_parity_is_exact_to_rounding():
    assert_within(run_workload("cnn64", steps=100, opts=Options(data=fashion_mnist_root(), test_images=2000)))


def test_a_perturbed_initial_weight_fails_the_check():
    state = WORKLOADS["sgd"].init(0)
    nudged = {k: v.copy() for k, v in state.items()}
    nudged["d"] *= np.float32(1.01)
    row = run_workload("sgd", steps=300, state=state, state_a=nudged)
    assert not row.ok and any(f.startswith("loss") for f in row.failures)


def test_a_perturbed_cnn_weight_fails_the_check():
    state = WORKLOADS["cnn64"].init(0)
    nudged = {k: v.copy() for k, v in state.items()}
    nudged["fc3.bias"][3] += 1e-4
    opts = Options(data=fashion_mnist_root(), test_images=1000)
    row = run_workload("cnn64", steps=20, state=state, state_a=nudged, opts=opts)
    assert not row.ok and any(f.startswith("loss") for f in row.failures)


def fake(losses, params=1.0, accuracy=None):
    return Run(list(losses), {"w": np.array([params, 2.0])}, 1.0, accuracy)


@pytest.mark.parametrize("a, b, expect", [
    (fake([1.0, 2.0]), fake([1.0, 2.0]), []),
    (fake([1.0, 2.0 + 1e-3]), fake([1.0, 2.0]), ["loss"]),
    (fake([1.0, 2.0], params=1.01), fake([1.0, 2.0]), ["params"]),
    (fake([1.0, float("nan")]), fake([1.0, 2.0]), ["non-finite", "loss"]),
    (fake([1.0], accuracy=0.80), fake([1.0], accuracy=0.83), ["accuracy"]),
])
def test_compare_flags_each_quantity_beyond_its_tolerance(a, b, expect):
    tol = Tolerance(loss=1e-4, params=1e-4, accuracy_points=2.0)
    row = report.compare(WORKLOADS["sgd"], 2, a, b, tol)
    assert [f.split()[0] for f in row.failures] == expect
    assert ("FAIL" in report.format_row(row)) == bool(expect)


def test_compare_only_the_first_loss_steps():
    row = report.compare(WORKLOADS["cnn"], 3, fake([1.0, 2.0, 9.0]), fake([1.0, 2.0, 3.0]),
                         Tolerance(loss=1e-4, loss_steps=2))
    assert row.ok and row.compared == 2


def test_state_dicts_cross_engines_both_ways():
    torch.manual_seed(0)
    t_model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Flatten(0, 1))
    m_model = convert.load(minigrad.nn.Sequential(minigrad.nn.Linear(3, 2), minigrad.nn.Flatten(0, 1)), minigrad,
                           convert.to_numpy(t_model))
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    np.testing.assert_allclose(m_model(minigrad.tensor(x)).detach().numpy(), t_model(torch.tensor(x)).detach(),
                               rtol=1e-6)
    back = convert.load(torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Flatten(0, 1)), torch,
                        convert.to_numpy(m_model))
    for k, v in t_model.state_dict().items():
        assert back.state_dict()[k].dtype == v.dtype and torch.equal(back.state_dict()[k], v)
    with pytest.raises(RuntimeError, match="size mismatch"):
        convert.load(minigrad.nn.Linear(2, 2), minigrad, {"weight": np.zeros((3, 2)), "bias": np.zeros(2)})


def test_cli_prints_a_row_per_workload_and_exits_0(capsys):
    assert main(["numpy", "sgd", "--steps", "200"]) == 0
    out = capsys.readouterr().out
    assert [ln.split()[0] for ln in out.splitlines()[2:4]] == ["numpy", "sgd"]
    assert "all workloads within tolerance" in out


def test_cli_exits_1_when_a_tolerance_is_exceeded(capsys, monkeypatch):
    monkeypatch.setitem(tolerances.CPU, "numpy", Tolerance(loss=0.0, params=0.0))  # float64 differs by ~1e-15
    assert main(["numpy", "--steps", "200"]) == 1
    assert "FAIL" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [(["nope"], "unknown workload 'nope'"),
                                           (["--steps", "0"], "--steps must be a positive integer")])
def test_cli_rejects_bad_arguments(argv, message, capsys):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2 and message in capsys.readouterr().err


def test_cuda_run_skips_cleanly_without_a_gpu():
    # CUDA_VISIBLE_DEVICES="" hides any GPU, so this checks the skip path on every machine
    out = subprocess.run([sys.executable, "-m", "parity", "--device", "cuda"], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, env={**os.environ, "CUDA_VISIBLE_DEVICES": ""})
    assert out.returncode == 0, out.stderr
    assert "skipped --device cuda" in out.stdout and "torch.cuda.is_available() is False" in out.stdout


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_parity_when_a_gpu_is_present(capsys):
    argv = ["tensors", "autograd", "sgd", "adam", "legendre", "cnn64", "--device", "cuda", "--steps", "200"]
    assert main(argv + ["--data", fashion_mnist_root()]) == 0, capsys.readouterr().out
    assert torch.backends.cuda.matmul.allow_tf32 is False and torch.backends.cudnn.allow_tf32 is False


def test_cli_logs_each_run_to_a_fresh_folder_with_progress(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["cnn", "--steps", "20", "--data", fashion_mnist_root()]) == 0
    out, err = capsys.readouterr()
    (run_dir,) = (tmp_path / "runs").iterdir()
    assert run_dir.name.startswith("parity_") and str(run_dir) in out
    assert sorted(p.name for p in run_dir.iterdir()) == ["minigrad", "torch"]
    assert "cnn minigrad: 100%" in err and "cnn torch: 100%" in err and "\r" not in err  # a log: no redraws


@pytest.mark.parametrize("hidden, argv", [("torch", ["sgd"]), ("tensorboard", ["cnn"])])
def test_cli_without_the_parity_extra_names_the_install_command(hidden, argv, monkeypatch, capsys):
    import importlib.util
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == hidden else real(name, *a))
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"needs {hidden}" in err and 'pip install "minigrad[parity]"' in err
