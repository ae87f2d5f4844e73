"""Lecture steps 1-3: minigrad's printed losses equal PyTorch's from the same initial weights."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import minigrad
from demos import lecture1_numpy, lecture2_tensors, lecture3_autograd

inits = st.lists(st.floats(-2, 2, allow_nan=False), min_size=4, max_size=4)
quiet = dict(log=lambda *a: None)


@settings(max_examples=3, deadline=None)
@given(inits)
@pytest.mark.parametrize("demo", [lecture2_tensors, lecture3_autograd])
def test_float32_losses_match_torch(demo, init):
    ours, w_ours = demo.fit(minigrad, init, **quiet)
    theirs, w_theirs = demo.fit(torch, init, **quiet)
    assert len(ours) == 20
    np.testing.assert_allclose(ours, theirs, rtol=1e-4)
    np.testing.assert_allclose(w_ours, w_theirs, rtol=1e-4, atol=1e-6)


@settings(max_examples=3, deadline=None)
@given(inits)
def test_numpy_demo_matches_float64_torch(init):
    ours, _ = lecture1_numpy.fit(list(init), **quiet)
    theirs, _ = lecture2_tensors.fit(torch, init, dtype=torch.float64, **quiet)  # the lecture's loop in float64
    np.testing.assert_allclose(ours, theirs, rtol=1e-10)


def test_demo_cli_prints_lecture_lines(capsys, monkeypatch):
    monkeypatch.setattr("sys.argv", ["lecture3_autograd", "--steps", "200", "--seed", "3"])
    lecture3_autograd.main()
    lines = capsys.readouterr().out.splitlines()
    assert [ln.split()[0] for ln in lines[:2]] == ["99", "199"]
    assert lines[-1].startswith("Result: y = ") and lines[-1].endswith(" x^3")
