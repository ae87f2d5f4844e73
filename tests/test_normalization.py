"""LayerNorm, GroupNorm, BatchNorm1d/2d (nn/normalization.py) against torch: outputs, input and parameter
gradients, running statistics over several train steps (momentum incl. None), eval mode, state_dict keys,
printing and errors."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F
from test_higher_order import hvp_parity

TOL = {"float32": 2e-5, "float64": 1e-11}
dtypes = st.sampled_from(sorted(TOL))


def twin(mm, tm):
    """tm with mm's parameters and buffers (via state_dict, so the keys must agree)."""
    tm.load_state_dict({k: torch.from_numpy(v.numpy().copy()) for k, v in mm.state_dict().items()})
    return tm


def inv_std(x, axes):
    """1/σ of the most nearly constant group: float32 input gradients are ~ 1/σ times cancelled O(1) terms, so
    their rounding error grows with it (torch's own float32 error there is as large; the float64 run is exact)."""
    return max(1.0, float((1 / np.sqrt(x.astype(np.float64).var(axis=axes) + 1e-5)).max()))


def step(mm, tm, x, seed=0, scale=1.0):
    """One forward + backward of both modules; compare output, buffers, and the input and parameter gradients
    (their atol times scale, see inv_std)."""
    mx, tx = minigrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    mo, to = mm(mx), tm(tx)
    tol = TOL[x.dtype.name]
    np.testing.assert_allclose(mo.detach().numpy(), to.detach().numpy(), rtol=tol, atol=tol)
    assert mo.dtype.name == str(to.dtype).split(".")[1]
    g = np.random.default_rng(seed).standard_normal(x.shape).astype(x.dtype)
    mo.backward(minigrad.tensor(g))
    to.backward(torch.tensor(g))
    np.testing.assert_allclose(mx.grad.numpy(), tx.grad.numpy(), rtol=tol * 10, atol=tol * 10 * scale)
    mp, tp = dict(mm.named_parameters()), dict(tm.named_parameters())
    assert list(mp) == list(tp)
    for k in mp:
        np.testing.assert_allclose(mp[k].grad.numpy(), tp[k].grad.numpy(), rtol=tol * 10, atol=tol * 10 * scale)
    for (k, mb), (k2, tb) in zip(mm.named_buffers(), tm.named_buffers()):
        assert k == k2
        np.testing.assert_allclose(mb.numpy(), tb.numpy(), rtol=tol, atol=tol)


def randomise(mm, rng):
    for p in mm.parameters():
        p.data = minigrad.tensor(rng.standard_normal(p.shape).astype(p.dtype.name))


@settings(max_examples=30, deadline=None)
@given(lead=st.lists(st.integers(1, 3), max_size=2), norm=st.lists(st.integers(1, 4), min_size=1, max_size=2),
       affine=st.booleans(), bias=st.booleans(), dtype=dtypes, seed=st.integers(0, 2 ** 32 - 1))
def test_layer_norm(lead, norm, affine, bias, dtype, seed):
    rng = np.random.default_rng(seed)
    shape = norm[0] if len(norm) == 1 and seed % 2 else norm  # the int form too
    mm = nn.LayerNorm(shape, eps=1e-5, elementwise_affine=affine, bias=bias, dtype=getattr(minigrad, dtype))
    randomise(mm, rng)
    tm = twin(mm, torch.nn.LayerNorm(shape, elementwise_affine=affine, bias=bias, dtype=getattr(torch, dtype)))
    assert repr(mm) == repr(tm)
    x = (rng.standard_normal(lead + norm) * 3 + 1).astype(dtype)
    step(mm, tm, x, seed, inv_std(x, tuple(range(-len(norm), 0))))


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 3), groups=st.integers(1, 3), per=st.integers(1, 3), spatial=st.lists(st.integers(1, 3), max_size=2),
       affine=st.booleans(), dtype=dtypes, seed=st.integers(0, 2 ** 32 - 1))
def test_group_norm(n, groups, per, spatial, affine, dtype, seed):
    rng = np.random.default_rng(seed)
    c = groups * per
    if per * int(np.prod(spatial)) == 1:
        spatial = spatial + [2]  # a group of one value has no variance to normalise by
    mm = nn.GroupNorm(groups, c, affine=affine, dtype=getattr(minigrad, dtype))
    randomise(mm, rng)
    tm = twin(mm, torch.nn.GroupNorm(groups, c, affine=affine, dtype=getattr(torch, dtype)))
    assert repr(mm) == repr(tm)
    x = rng.standard_normal([n, c] + spatial).astype(dtype)
    step(mm, tm, x, seed, inv_std(x.reshape(n, groups, -1), 2))


@settings(max_examples=30, deadline=None)
@given(two_d=st.booleans(), n=st.integers(2, 4), c=st.integers(1, 3), length=st.integers(0, 3),
       momentum=st.sampled_from([0.1, 0.5, None]), affine=st.booleans(), track=st.booleans(), dtype=dtypes,
       seed=st.integers(0, 2 ** 32 - 1))
def test_batch_norm_train_then_eval(two_d, n, c, length, momentum, affine, track, dtype, seed):
    rng = np.random.default_rng(seed)
    cls = "BatchNorm2d" if two_d else "BatchNorm1d"
    shape = [n, c, 2, length + 1] if two_d else [n, c] + ([length] if length else [])
    kw = dict(momentum=momentum, affine=affine, track_running_stats=track)
    mm = getattr(nn, cls)(c, dtype=getattr(minigrad, dtype), **kw)
    randomise(mm, rng)
    tm = twin(mm, getattr(torch.nn, cls)(c, dtype=getattr(torch, dtype), **kw))
    assert repr(mm) == repr(tm) and list(mm.state_dict()) == list(tm.state_dict())
    for i in range(3):
        x = (rng.standard_normal(shape) * 2 + i).astype(dtype)
        step(mm, tm, x, seed + i, inv_std(x, tuple(d for d in range(x.ndim) if d != 1)))
    mm.eval(), tm.eval()
    step(mm, tm, rng.standard_normal(shape).astype(dtype), seed)
    if track:
        assert int(mm.num_batches_tracked) == int(tm.num_batches_tracked) == 3


def test_batch_norm_state_dict_keys_and_dtypes():
    for mm, tm in ((nn.BatchNorm2d(3), torch.nn.BatchNorm2d(3)), (nn.BatchNorm1d(3, affine=False),
                                                                  torch.nn.BatchNorm1d(3, affine=False)),
                   (nn.BatchNorm1d(3, track_running_stats=False), torch.nn.BatchNorm1d(3, track_running_stats=False))):
        ms, ts = mm.state_dict(), tm.state_dict()
        assert list(ms) == list(ts)
        for k in ms:
            assert ms[k].dtype.name == str(ts[k].dtype).split(".")[1] and ms[k].tolist() == ts[k].tolist()
    assert nn.BatchNorm1d(3, track_running_stats=False).running_mean is None


def test_functional_forms():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 3, 5))
    w, b = rng.standard_normal(5), rng.standard_normal(5)
    np.testing.assert_allclose(F.layer_norm(minigrad.tensor(x), [5], minigrad.tensor(w), minigrad.tensor(b)).numpy(),
                               torch.nn.functional.layer_norm(torch.tensor(x), [5], torch.tensor(w), torch.tensor(b)),
                               rtol=1e-12)
    np.testing.assert_allclose(F.group_norm(minigrad.tensor(x), 3).numpy(),
                               torch.nn.functional.group_norm(torch.tensor(x), 3), rtol=1e-12)
    rm, rv = rng.standard_normal(3), rng.uniform(0.5, 2, 3)
    mr, tr = minigrad.tensor(rm), torch.tensor(rm)
    np.testing.assert_allclose(F.batch_norm(minigrad.tensor(x), mr, minigrad.tensor(rv), training=True).numpy(),
                               torch.nn.functional.batch_norm(torch.tensor(x), tr, torch.tensor(rv), training=True),
                               rtol=1e-12)
    np.testing.assert_allclose(mr.numpy(), tr.numpy(), rtol=1e-12)
    np.testing.assert_allclose(F.batch_norm(minigrad.tensor(x), mr, minigrad.tensor(rv)).numpy(),
                               torch.nn.functional.batch_norm(torch.tensor(x), tr, torch.tensor(rv)), rtol=1e-12)


def torch_error(fn):
    with pytest.raises(Exception) as e:
        fn()
    return type(e.value), str(e.value)


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.layer_norm(lib.ones(2, 3), [4]),
    lambda lib: lib.nn.functional.layer_norm(lib.ones(2, 3), (2, 4)),
    lambda lib: lib.nn.functional.layer_norm(lib.ones(2, 3), 3),
    lambda lib: lib.nn.functional.layer_norm(lib.ones(2, 3), [3], weight=lib.ones(4)),
    lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(1, 3)),
    lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(2, 3, 4, 5)),
    lambda lib: lib.nn.BatchNorm2d(3)(lib.ones(2, 3, 4)),
    lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(2, 4)),
    lambda lib: lib.nn.functional.batch_norm(lib.ones(4, 3), None, None),
    lambda lib: lib.nn.GroupNorm(3, 4),
    lambda lib: lib.nn.GroupNorm(2, 4)(lib.ones(2, 6, 3)),
    lambda lib: lib.nn.functional.group_norm(lib.ones(2, 6, 3), 4),
])
def test_errors(call):
    assert torch_error(lambda: call(minigrad)) == torch_error(lambda: call(torch))


def test_graph_names():
    # torch fuses each into one node (NativeLayerNormBackward0, NativeBatchNormBackward0, NativeGroupNormBackward0);
    # minigrad's LayerNorm is one primitive too, its BatchNorm and GroupNorm composites end in their last op
    x = minigrad.ones(2, 3, requires_grad=True)
    for kw in ({}, {"bias": False}, {"elementwise_affine": False}):
        assert nn.LayerNorm(3, **kw)(x).grad_fn.name() == torch.nn.LayerNorm(3, **kw)(
            torch.ones(2, 3, requires_grad=True)).grad_fn.name() == "NativeLayerNormBackward0"


@settings(max_examples=12, deadline=None)
@given(lead=st.lists(st.integers(1, 3), max_size=2), norm=st.lists(st.integers(2, 3), min_size=1, max_size=2),
       affine=st.sampled_from(["both", "weight", "none"]), seed=st.integers(0, 2 ** 32 - 1))
def test_layer_norm_second_order(lead, norm, affine, seed):
    # the primitive's rule recomputes its statistics from x under create_graph, so Hessians flow through them
    rng = np.random.default_rng(seed)
    x, w, b = rng.standard_normal(lead + norm) * 2 + 1, rng.standard_normal(norm), rng.standard_normal(norm)
    w, b = (w if affine != "none" else None), (b if affine == "both" else None)  # torch fails bias-only twice
    hvp_parity(lambda L, x, w, b: L.nn.functional.layer_norm(x, tuple(norm), w, b), x, w, b, seed=seed)


@pytest.mark.parametrize("shape,norm", [((2, 0, 3), (0, 3)), ((0, 3), (3,))])
def test_layer_norm_empty(shape, norm):
    got = []
    for lib in (minigrad, torch):
        x, w = lib.ones(shape, requires_grad=True), lib.ones(norm, requires_grad=True)
        lib.nn.functional.layer_norm(x, norm, w).sum().backward()
        got.append((x.grad.numpy(), w.grad.numpy()))
    for m, t in zip(*got):
        np.testing.assert_array_equal(m, t)
