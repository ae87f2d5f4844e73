"""adaptive_avg_pool2d / AdaptiveAvgPool2d (nn/adaptive_pool.py) against torch: values and gradients for any input
and output sizes (overlapping and uneven windows, None, batched or not), printing and errors."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F


@settings(max_examples=40, deadline=None)
@given(batch=st.booleans(), h=st.integers(1, 9), w=st.integers(1, 9), oh=st.one_of(st.none(), st.integers(1, 10)),
       ow=st.integers(1, 10), dtype=st.sampled_from(["float32", "float64"]), seed=st.integers(0, 2 ** 32 - 1))
def test_matches_torch(batch, h, w, oh, ow, dtype, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(((2,) if batch else ()) + (3, h, w)).astype(dtype)
    size = ow if oh == ow else (oh, ow)
    m, t = minigrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    mo, to = nn.AdaptiveAvgPool2d(size)(m), torch.nn.AdaptiveAvgPool2d(size)(t)
    tol = 1e-6 if dtype == "float32" else 1e-14
    assert mo.dtype.name == dtype and tuple(mo.shape) == tuple(to.shape)
    np.testing.assert_allclose(mo.detach().numpy(), to.detach().numpy(), rtol=tol, atol=tol)
    g = rng.standard_normal(to.shape).astype(dtype)
    mo.backward(minigrad.tensor(g))
    to.backward(torch.tensor(g))
    np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), rtol=tol, atol=tol)


def test_repr_and_errors():
    for size in (3, (None, 2), (1, 1)):
        assert repr(nn.AdaptiveAvgPool2d(size)) == repr(torch.nn.AdaptiveAvgPool2d(size))
    for call in (lambda lib: lib.nn.functional.adaptive_avg_pool2d(lib.ones(7, 5), 2),
                 lambda lib: lib.nn.functional.adaptive_avg_pool2d(lib.ones(1, 7, 5), (2,))):
        with pytest.raises(RuntimeError) as mine:
            call(minigrad)
        with pytest.raises(RuntimeError) as ref:
            call(torch)
        assert str(mine.value) == str(ref.value)
    assert F.adaptive_avg_pool2d(minigrad.ones(1, 2, 4, 4), 1).tolist() == [[[[1.0]], [[1.0]]]]
