"""multinomial, bernoulli and normal (minigrad/sampling.py): the distributions they draw from (frequencies against
the probabilities, with fixed seeds), shapes and dtypes as torch, generator reproducibility, zero gradients, errors."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from minigrad.sampling import bernoulli, multinomial, normal

LIBS = {"minigrad": (minigrad, multinomial, bernoulli, normal),
        "torch": (torch, torch.multinomial, torch.bernoulli, torch.normal)}


def test_multinomial_with_replacement_frequencies():
    minigrad.manual_seed(0)
    p = np.array([[0.1, 0.0, 0.2, 0.7], [3.0, 1.0, 0.0, 0.0]])  # unnormalised weights are fine
    out = multinomial(minigrad.tensor(p), 20000, replacement=True).numpy()
    assert out.shape == (2, 20000) and out.dtype == np.int64
    for row, w in zip(out, p):
        freq = np.bincount(row, minlength=4) / row.size
        np.testing.assert_allclose(freq, w / w.sum(), atol=0.015)
        assert not freq[w == 0].any()  # a zero weight is never drawn


def test_multinomial_without_replacement():
    minigrad.manual_seed(1)
    p = minigrad.tensor([0.05, 0.15, 0.3, 0.5])
    draws = np.stack([multinomial(p, 4).numpy() for _ in range(4000)])
    assert all(sorted(d) == [0, 1, 2, 3] for d in draws)
    # the first draw follows p itself; later ones the renormalised rest
    np.testing.assert_allclose(np.bincount(draws[:, 0], minlength=4) / 4000, p.numpy(), atol=0.025)
    for lib, fn in ((minigrad, multinomial), (torch, torch.multinomial)):  # zero weights only once the rest is used
        zero = fn(lib.tensor([0.0, 0.0, 1.0, 0.0]), 3).tolist()
        assert zero[0] == 2 and len(set(zero)) == 3 and set(zero[1:]) <= {0, 1, 3}


@settings(max_examples=20, deadline=None)
@given(rows=st.sampled_from([None, 1, 3]), k=st.integers(1, 5), n=st.integers(1, 6), replacement=st.booleans(),
       dtype=st.sampled_from(["float32", "float64"]))
def test_multinomial_shapes_like_torch(rows, k, n, replacement, dtype):
    shape = (k,) if rows is None else (rows, k)
    if not replacement and n > k:
        n = k
    m = multinomial(minigrad.ones(*shape, dtype=getattr(minigrad, dtype)), n, replacement)
    t = torch.multinomial(torch.ones(*shape, dtype=getattr(torch, dtype)), n, replacement)
    assert tuple(m.shape) == tuple(t.shape) and m.dtype.name == "int64"
    assert ((m.numpy() >= 0) & (m.numpy() < k)).all()


def test_generator_reproducibility():
    for fn in (lambda g: multinomial(minigrad.tensor([0.2, 0.3, 0.5]), 6, True, generator=g),
               lambda g: bernoulli(minigrad.full((8,), 0.5), generator=g),
               lambda g: normal(minigrad.zeros(5), 2.0, generator=g), lambda g: normal(0.0, 1.0, (3,), generator=g)):
        a = fn(minigrad.Generator().manual_seed(7)).numpy()
        b = fn(minigrad.Generator().manual_seed(7)).numpy()
        c = fn(minigrad.Generator().manual_seed(8)).numpy()
        np.testing.assert_array_equal(a, b)
        assert not np.array_equal(a, c)


def test_bernoulli():
    minigrad.manual_seed(2)
    p = np.linspace(0, 1, 11)
    draws = np.stack([bernoulli(minigrad.tensor(p)).numpy() for _ in range(3000)])
    assert set(np.unique(draws)) <= {0.0, 1.0} and draws.dtype == np.float64  # input's dtype
    np.testing.assert_allclose(draws.mean(0), p, atol=0.035)
    assert draws[:, 0].max() == 0 and draws[:, -1].min() == 1
    fixed = bernoulli(minigrad.zeros(4000, dtype=minigrad.float64), 0.25).numpy()
    assert fixed.dtype == np.float64 and abs(fixed.mean() - 0.25) < 0.03


def test_normal_forms_dtypes_and_moments():
    minigrad.manual_seed(3)
    mean, std = np.array([-2.0, 0.0, 5.0]), np.array([0.5, 1.0, 3.0])
    s = np.stack([normal(minigrad.tensor(mean), minigrad.tensor(std)).numpy() for _ in range(4000)])
    np.testing.assert_allclose(s.mean(0), mean, atol=0.15)
    np.testing.assert_allclose(s.std(0), std, rtol=0.05)
    for args, kw in [((minigrad.zeros(3), 1.0), {}), ((0.0, minigrad.ones(3)), {}), ((0.0, 1.0, (2, 3)), {}),
                     ((0.0, 1.0), {"size": (2,), "dtype": minigrad.float64}),
                     ((minigrad.zeros(2, 1), minigrad.ones(3)), {}),
                     ((minigrad.zeros(3, dtype=minigrad.float64), minigrad.ones(3)), {})]:
        targs = tuple(torch.tensor(a.numpy()) if isinstance(a, minigrad.Tensor) else a for a in args)
        tkw = {k: (torch.float64 if k == "dtype" else v) for k, v in kw.items()}
        m, t = normal(*args, **kw), torch.normal(*targs, **tkw)
        assert tuple(m.shape) == tuple(t.shape) and m.dtype.name == str(t.dtype).split(".")[1]


def test_zero_gradient_like_torch():
    for lib, _, bern, norm in LIBS.values():
        mean, std = lib.zeros(3, requires_grad=True), lib.ones(3, requires_grad=True)
        (norm(mean, std).sum() + norm(mean, 2.0).sum()).backward()
        assert mean.grad.tolist() == [0, 0, 0] and std.grad.tolist() == [0, 0, 0]
        p = lib.full((2,), 0.5, requires_grad=True)
        out = bern(p)
        assert out.requires_grad
        out.sum().backward()
        assert p.grad.tolist() == [0, 0]


def torch_error(fn):
    with pytest.raises(Exception) as e:
        fn()
    return type(e.value), str(e.value)


@pytest.mark.parametrize("call", [
    lambda L, M, B, N: M(L.tensor([0.1, 0.9]), 3),
    lambda L, M, B, N: M(L.tensor([-1.0, 1.0]), 1),
    lambda L, M, B, N: M(L.tensor([float("inf"), 1.0]), 1),
    lambda L, M, B, N: M(L.tensor([float("nan"), 1.0]), 1),
    lambda L, M, B, N: M(L.tensor([0.0, 0.0]), 1),
    lambda L, M, B, N: M(L.tensor([[0.5, 0.5], [0.0, 0.0]]), 1),
    lambda L, M, B, N: M(L.ones(2, 2, 2), 1),
    lambda L, M, B, N: M(L.tensor(1.0), 1),
    lambda L, M, B, N: M(L.ones(3), 0),
    lambda L, M, B, N: M(L.tensor([1, 2]), 1),
    lambda L, M, B, N: B(L.tensor([0.0, 1.5])),
    lambda L, M, B, N: B(L.tensor([0, 1])),
    lambda L, M, B, N: B(L.tensor([0.5]), 2.0),
    lambda L, M, B, N: N(L.zeros(3), -L.ones(3)),
    lambda L, M, B, N: N(L.zeros(3), -1.0),
    lambda L, M, B, N: N(0.0, -1.0, (2,)),
    lambda L, M, B, N: N(L.zeros(3).long(), 1.0),
    lambda L, M, B, N: N(0, 1),
    lambda L, M, B, N: N(0.0, 1.0, 3),
])
def test_errors(call):
    assert torch_error(lambda: call(*LIBS["minigrad"])) == torch_error(lambda: call(*LIBS["torch"]))
