"""Embedding (nn/embedding.py) against torch: lookups, gradients with padding_idx / scale_grad_by_freq /
max_norm, the module's init, printing, state_dict and from_pretrained, and torch's errors."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F
from test_higher_order import hvp_parity


def lookup(lib, fn, w, idx, g, **kw):
    wt = lib.tensor(w, requires_grad=True)
    out = fn(lib.tensor(idx), wt, **kw)
    out.backward(lib.tensor(g))
    return out.detach().numpy(), wt.grad.numpy(), wt.detach().numpy()


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 6), d=st.integers(1, 4), shape=st.lists(st.integers(0, 4), max_size=3),
       dtype=st.sampled_from(["float32", "float64"]), itype=st.sampled_from(["int64", "int32"]),
       pad=st.one_of(st.none(), st.integers(-6, 5)), freq=st.booleans(),
       max_norm=st.one_of(st.none(), st.floats(0.1, 3.0)), seed=st.integers(0, 2 ** 32 - 1))
def test_functional_matches_torch(n, d, shape, dtype, itype, pad, freq, max_norm, seed):
    rng = np.random.default_rng(seed)
    pad = None if pad is None or not -n <= pad < n else pad
    w = rng.standard_normal((n, d)).astype(dtype)
    idx = rng.integers(0, n, shape).astype(itype)
    g = rng.standard_normal(tuple(shape) + (d,)).astype(dtype)
    kw = dict(padding_idx=pad, scale_grad_by_freq=freq, max_norm=max_norm)
    mine, ref = lookup(minigrad, F.embedding, w, idx, g, **kw), lookup(torch, torch.nn.functional.embedding, w, idx, g, **kw)
    tol = 1e-6 if dtype == "float32" else 1e-13
    for m, t in zip(mine, ref):  # output, weight gradient, and the (max_norm-renormalised) weight itself
        assert m.dtype == t.dtype
        np.testing.assert_allclose(m, t, rtol=tol, atol=tol)


def test_module_init_padding_row_and_state_dict():
    minigrad.manual_seed(0)
    e = nn.Embedding(10, 3, padding_idx=-1)
    t = torch.nn.Embedding(10, 3, padding_idx=-1)
    assert e.padding_idx == t.padding_idx == 9 and repr(e) == repr(t)
    assert e.weight[9].tolist() == [0, 0, 0] and e.weight.requires_grad
    assert list(e.state_dict()) == list(t.state_dict()) == ["weight"]
    w = minigrad.randn(200, 300).numpy()  # N(0, 1), as torch draws it
    assert abs(e.weight.detach().numpy().std() - 1) < 1 and abs(w.std() - 1) < 0.01
    t.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in e.state_dict().items()})
    idx = np.array([[1, 9, 3], [9, 9, 0]])
    np.testing.assert_array_equal(e(minigrad.tensor(idx)).detach().numpy(), t(torch.tensor(idx)).detach().numpy())
    assert t(torch.tensor(idx)).grad_fn.name() == "EmbeddingBackward0"


@pytest.mark.parametrize("kw", [{}, {"max_norm": 1.0, "norm_type": 3.0, "scale_grad_by_freq": True, "sparse": True},
                                {"padding_idx": 2}])
def test_repr(kw):
    assert repr(nn.Embedding(5, 4, **kw)) == repr(torch.nn.Embedding(5, 4, **kw))


def test_from_pretrained():
    w = np.arange(12.0).reshape(4, 3)
    for freeze in (True, False):
        e, t = nn.Embedding.from_pretrained(minigrad.tensor(w), freeze), torch.nn.Embedding.from_pretrained(
            torch.tensor(w), freeze)
        assert e.weight.requires_grad == t.weight.requires_grad == (not freeze) and repr(e) == repr(t)
        assert e(minigrad.tensor([3, 0])).tolist() == t(torch.tensor([3, 0])).tolist()
    assert nn.Embedding.from_pretrained(minigrad.tensor(w), padding_idx=1).padding_idx == 1


def torch_error(fn):
    with pytest.raises(Exception) as e:
        fn()
    return type(e.value), str(e.value)


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.embedding(lib.tensor([1.0, 2.0]), lib.ones(5, 3)),
    lambda lib: lib.nn.functional.embedding(lib.tensor([1, 7]), lib.ones(5, 3)),
    lambda lib: lib.nn.functional.embedding(lib.tensor([-1]), lib.ones(5, 3)),
    lambda lib: lib.nn.functional.embedding(lib.tensor([1]), lib.ones(5, 3), padding_idx=5),
    lambda lib: lib.nn.functional.embedding(lib.tensor([1]), lib.ones(5, 3), padding_idx=-6),
    lambda lib: lib.nn.Embedding(5, 3, padding_idx=5),
    lambda lib: lib.nn.Embedding.from_pretrained(lib.ones(3)),
    lambda lib: lib.nn.functional.embedding(lib.tensor([1]), lib.ones(3)),
    lambda lib: lib.nn.functional.embedding(lib.tensor([1]), lib.ones(3, 2, 2)),
])
def test_errors(call):
    assert torch_error(lambda: call(minigrad)) == torch_error(lambda: call(torch))


def test_training_step_updates_only_used_rows():
    e = nn.Embedding(6, 2, padding_idx=0)
    before = e.weight.detach().numpy().copy()
    opt = minigrad.optim.SGD(e.parameters(), lr=0.5)
    e(minigrad.tensor([0, 2, 2])).sum().backward()
    opt.step()
    after = e.weight.detach().numpy()
    changed = np.flatnonzero((after != before).any(1))
    assert changed.tolist() == [2]
    np.testing.assert_allclose(after[2], before[2] - 0.5 * 2)


@settings(max_examples=10, deadline=None)
@given(n=st.integers(1, 5), d=st.integers(1, 3), shape=st.lists(st.integers(1, 4), max_size=2),
       pad=st.one_of(st.none(), st.integers(0, 4)), seed=st.integers(0, 2 ** 32 - 1))
def test_one_node_with_second_order(n, d, shape, pad, seed):
    # (not scale_grad_by_freq: torch's double backward of the scaled gradient drops the scale, minigrad keeps it)
    rng = np.random.default_rng(seed)
    w, idx = rng.standard_normal((n, d)), rng.integers(0, n, shape)
    pad = None if pad is None or pad >= n else pad
    fn = lambda L, w: L.nn.functional.embedding(L.tensor(idx), w, padding_idx=pad)  # noqa
    assert fn(minigrad, minigrad.tensor(w, requires_grad=True)).grad_fn.name() == \
        fn(torch, torch.tensor(w, requires_grad=True)).grad_fn.name() == "EmbeddingBackward0"
    hvp_parity(fn, w, seed=seed)
