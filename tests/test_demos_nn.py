"""Lecture steps 4-5: from the same initial weights minigrad's printed losses equal PyTorch's."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from demos import lecture4_nn, lecture5_optim

inits = st.lists(st.floats(-2, 2, allow_nan=False, width=32), min_size=4, max_size=4)
quiet = dict(log=lambda *a: None)


@settings(max_examples=3, deadline=None)
@given(inits)
def test_nn_demo_losses_match_torch(init):
    weight, bias = [init[:3]], init[3:]
    ours, w_ours = lecture4_nn.fit(minigrad, weight, bias, **quiet)
    theirs, w_theirs = lecture4_nn.fit(torch, weight, bias, **quiet)
    assert len(ours) == 20
    np.testing.assert_allclose(ours, theirs, rtol=1e-4)
    np.testing.assert_allclose(w_ours, w_theirs, rtol=1e-4, atol=1e-6)


@settings(max_examples=3, deadline=None)
@given(inits)
def test_optim_demo_losses_match_torch(init):
    ours, w_ours = lecture5_optim.fit(minigrad, init, **quiet)
    theirs, w_theirs = lecture5_optim.fit(torch, init, **quiet)
    assert len(ours) == 20
    np.testing.assert_allclose(ours, theirs, rtol=1e-4)
    np.testing.assert_allclose(w_ours, w_theirs, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("demo", [lecture4_nn, lecture5_optim])
def test_demo_cli_prints_lecture_lines(demo, capsys, monkeypatch):
    monkeypatch.setattr("sys.argv", [demo.__name__, "--steps", "200", "--seed", "3"])
    demo.main()
    lines = capsys.readouterr().out.splitlines()
    assert [ln.split()[0] for ln in lines] == ["99", "199", "Result:"]
    assert lines[-1].startswith("Result: y = ") and lines[-1].endswith(" x^3")
