"""nn.utils.clip_grad_norm_ / clip_grad_value_ / get_total_norm / clip_grads_with_norm_ against torch: every
norm type, mixed dtypes, non-finite norms, tensors without grad, a single tensor, empty inputs."""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
import minigrad.nn.utils as U


def params(lib, arrays, grads):
    out = []
    for a, g in zip(arrays, grads):
        p = lib.tensor(a, requires_grad=True)
        p.grad = None if g is None else lib.tensor(g)
        out.append(p)
    return out


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 4), norm_type=st.sampled_from([2.0, 1.0, 0.5, 3, "inf", float("inf"), -float("inf"), 0.0]),
       max_norm=st.floats(0.01, 10), mixed=st.booleans(), missing=st.booleans(), seed=st.integers(0, 2 ** 32 - 1))
def test_clip_grad_norm_matches_torch(n, norm_type, max_norm, mixed, missing, seed):
    rng = np.random.default_rng(seed)
    dts = [np.float64 if mixed and i % 2 else np.float32 for i in range(n)]
    arrays = [rng.standard_normal(rng.integers(1, 5, rng.integers(0, 3))).astype(d) for d in dts]
    grads = [None if missing and i == 1 else rng.standard_normal(a.shape).astype(a.dtype) * 3
             for i, a in enumerate(arrays)]
    mp, tp = params(minigrad, arrays, grads), params(torch, arrays, grads)
    mt = U.clip_grad_norm_(mp, max_norm, norm_type)
    tt = torch.nn.utils.clip_grad_norm_(tp, max_norm, norm_type)
    assert mt.dtype.name == str(tt.dtype).split(".")[1] and mt.shape == () and tt.shape == ()
    np.testing.assert_allclose(mt.numpy(), tt.numpy(), rtol=2e-6)
    for m, t in zip(mp, tp):
        assert (m.grad is None) == (t.grad is None)
        if t.grad is not None:
            assert m.grad.dtype.name == str(t.grad.dtype).split(".")[1]
            np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), rtol=2e-6, atol=1e-7)


def test_single_tensor_nonfinite_and_error():
    for lib, clip in ((minigrad, U.clip_grad_norm_), (torch, torch.nn.utils.clip_grad_norm_)):
        p = lib.ones(3, requires_grad=True)
        p.grad = lib.tensor([float("inf"), 1.0, 2.0])
        with pytest.raises(RuntimeError) as e:
            clip(p, 1.0, error_if_nonfinite=True)
        assert "The total norm of order 2.0 for gradients from `parameters` is non-finite" in str(e.value)
        total = clip(p, 1.0)
        assert float(total) == float("inf") and np.isnan(p.grad.numpy()[0]) and p.grad.tolist()[1:] == [0, 0]
        assert float(clip(lib.ones(2, requires_grad=True), 1.0)) == 0.0  # no grad at all: norm 0


def test_empty_generator_warns_like_torch():
    with pytest.warns(UserWarning, match="`parameters` is an empty generator, no gradient clipping will occur."):
        assert float(U.clip_grad_norm_((p for p in []), 1.0)) == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        U.clip_grad_norm_([], 1.0)


def test_total_norm_then_clip_and_value_clip():
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((3, 4)), rng.standard_normal(5)]
    grads = [a * 4 for a in arrays]
    mp, tp = params(minigrad, arrays, grads), params(torch, arrays, grads)
    mn = U.get_total_norm([p.grad for p in mp], 3.0)
    tn = torch.nn.utils.get_total_norm([p.grad for p in tp], 3.0)
    np.testing.assert_allclose(mn.numpy(), tn.numpy(), rtol=1e-14)
    U.clip_grads_with_norm_(mp, 2.0, mn)
    torch.nn.utils.clip_grads_with_norm_(tp, 2.0, tn)
    for m, t in zip(mp, tp):
        np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), rtol=1e-14)
    assert U.clip_grad_value_(mp, 0.1) is None and torch.nn.utils.clip_grad_value_(tp, 0.1) is None
    for m, t in zip(mp, tp):
        np.testing.assert_array_equal(m.grad.numpy(), t.grad.numpy())
    assert minigrad.nn.utils.clip_grad.clip_grad_norm_ is U.clip_grad_norm_
