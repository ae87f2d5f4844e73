"""repr of empty tensors and of zeros (signed or not) against real PyTorch: torch sizes columns by the nonzero
finite values only, and an empty tensor of a non-default dtype names its dtype."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad

CASES = {
    "empty int64": lambda L: L.tensor([], dtype=L.int64),
    "empty 2-d int64": lambda L: L.zeros(0, 3, dtype=L.int64),
    "empty bool": lambda L: L.tensor([], dtype=L.bool),
    "empty int32": lambda L: L.tensor([], dtype=L.int32),
    "empty float64": lambda L: L.tensor([], dtype=L.float64),
    "zeros and twos": lambda L: L.tensor([0., 2., 2., -0.]),
    "signed zeros": lambda L: L.tensor([0., -0.]),
    "negative zero alone": lambda L: L.tensor([-0.]),
    "negative zero with fraction": lambda L: L.tensor([1.5, -0.]),
    "negative zero sci": lambda L: L.tensor([-0., 1e-5]),
    "zeros 2-d": lambda L: L.tensor([[0., -0.], [2., 3.]]),
    "zero inf": lambda L: L.tensor([float("inf"), 0., -1.]),
    "zero in fractions": lambda L: L.tensor([-1.5, 0., 10.25]),
    "many negative zeros": lambda L: L.zeros(2000) * -1,
}


@pytest.mark.parametrize("case", list(CASES))
def test_repr_matches_torch(case):
    """repr(t) is torch's text with 'torch.' in place of 'minigrad.'."""
    make = CASES[case]
    assert repr(make(minigrad)).replace("minigrad.", "torch.") == repr(make(torch))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([0.0, -0.0, 1.0, -2.0, 2.5, -31.0, 1e-5, 1e5, float("nan")]), max_size=6))
def test_repr_with_zeros_matches_torch(values):
    """Lists mixing signed zeros with integral, fractional, tiny, huge and nan values print as torch's."""
    x = np.array(values, dtype=np.float32)
    assert repr(minigrad.tensor(x)).replace("minigrad.", "torch.") == repr(torch.tensor(x))
