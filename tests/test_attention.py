"""scaled_dot_product_attention and MultiheadAttention (nn/attention.py) against torch: values and gradients for
every mask kind, causal, scale, GQA, batch_first, unbatched, need_weights / per-head weights, bias_kv, zero_attn,
kdim/vdim; state_dict interchange; dropout statistics; errors; tril / triu / masked_fill."""
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F
from minigrad import masked_fill, tril, triu
from test_higher_order import hvp_parity

TOL = {"float32": 1e-5, "float64": 1e-12}


def close(m, t, tol):
    t = t.detach().numpy()
    assert m.detach().numpy().dtype == t.dtype
    np.testing.assert_allclose(m.detach().numpy(), t, rtol=tol, atol=tol)


def both(arrays):
    return ([minigrad.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays],
            [torch.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays])


@settings(max_examples=60, deadline=None)
@given(batch=st.lists(st.integers(1, 2), max_size=2), L=st.integers(1, 4), S=st.integers(1, 4), E=st.integers(1, 4),
       Ev=st.integers(1, 3), mask=st.sampled_from(["none", "bool", "float", "causal", "bool-rows"]),
       scale=st.sampled_from([None, 0.3]), dtype=st.sampled_from(sorted(TOL)), seed=st.integers(0, 2 ** 32 - 1))
def test_sdpa(batch, L, S, E, Ev, mask, scale, dtype, seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(batch + [L, E]), rng.standard_normal(batch + [S, E]),
              rng.standard_normal(batch + [S, Ev])]
    arrays = [a.astype(dtype) for a in arrays]
    kw = {"scale": scale, "is_causal": mask == "causal"}
    if mask in ("bool", "bool-rows"):
        m = rng.random((L, S)) < 0.6
        if mask == "bool-rows":
            m[0] = False  # a query that may see nothing: torch's SDPA returns 0 for it (and no gradient)
        arrays.append(m)
    elif mask == "float":
        arrays.append(rng.standard_normal(batch[-1:] + [L, S]).astype(dtype))
    (mq, mk, mv, *mm), (tq, tk, tv, *tm) = both(arrays)
    mo = F.scaled_dot_product_attention(mq, mk, mv, *mm, **kw)
    to = TF.scaled_dot_product_attention(tq, tk, tv, *tm, **kw)
    tol = TOL[dtype]
    close(mo, to, tol)
    g = rng.standard_normal(to.shape).astype(dtype)
    mo.backward(minigrad.tensor(g))
    to.backward(torch.tensor(g))
    for m, t in zip((mq, mk, mv, *mm), (tq, tk, tv, *tm)):
        if t.requires_grad:
            close(m.grad, t.grad, tol * 10)


def test_sdpa_gqa_and_dropout():
    rng = np.random.default_rng(0)
    q, k, v = rng.standard_normal((2, 4, 3, 5)), rng.standard_normal((2, 2, 6, 5)), rng.standard_normal((2, 2, 6, 5))
    (mq, mk, mv), (tq, tk, tv) = both([q, k, v])
    close(F.scaled_dot_product_attention(mq, mk, mv, enable_gqa=True),
          TF.scaled_dot_product_attention(tq, tk, tv, enable_gqa=True), 1e-12)
    ones = minigrad.ones(1, 200, 50, 4)
    out = F.scaled_dot_product_attention(ones, ones, ones, dropout_p=0.3)
    # each weight 1/50 is kept with probability 0.7 and scaled by 1/0.7: the mean stays 1
    assert abs(out.numpy().mean() - 1) < 0.02 and out.numpy().std() > 0.05
    assert F.scaled_dot_product_attention(ones, ones, ones, dropout_p=1.0).numpy().max() == 0


def torch_error(fn):
    with pytest.raises(Exception) as e:
        fn()
    return type(e.value), str(e.value)


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.scaled_dot_product_attention(lib.ones(2, 3, 4), lib.ones(2, 5, 4), lib.ones(2, 5, 6),
                                                               attn_mask=lib.ones(3, 5).bool(), is_causal=True),
    lambda lib: lib.nn.functional.scaled_dot_product_attention(lib.ones(2, 3, 4), lib.ones(2, 5, 4), lib.ones(2, 5, 6),
                                                               attn_mask=lib.ones(3, 5).long()),
    lambda lib: lib.nn.functional.scaled_dot_product_attention(lib.ones(2, 3, 4), lib.ones(2, 5, 4).double(),
                                                               lib.ones(2, 5, 6)),
    lambda lib: lib.nn.functional.scaled_dot_product_attention(lib.ones(4), lib.ones(5, 4), lib.ones(5, 6)),
    lambda lib: lib.nn.MultiheadAttention(8, 3),
    lambda lib: lib.nn.MultiheadAttention(8, 2)(lib.ones(3, 2, 8), lib.ones(3, 2, 8), lib.ones(3, 2, 8), is_causal=True),
    lambda lib: lib.nn.MultiheadAttention(8, 2)(lib.ones(3, 2, 8), lib.ones(3, 2, 8), lib.ones(3, 2, 8),
                                                attn_mask=lib.ones(4, 3)),
    lambda lib: lib.nn.MultiheadAttention(8, 2)(lib.ones(3, 2, 8), lib.ones(3, 2, 8), lib.ones(3, 2, 8),
                                                attn_mask=lib.ones(3, 3, 3)),
    lambda lib: lib.nn.MultiheadAttention(8, 2)(lib.ones(3, 2, 8), lib.ones(3, 2, 8), lib.ones(3, 2, 8),
                                                key_padding_mask=lib.ones(2, 4).bool()),
    lambda lib: lib.nn.MultiheadAttention(8, 2)(lib.ones(3, 2, 8), lib.ones(3, 2, 8), lib.ones(3, 2, 8),
                                                attn_mask=lib.ones(3, 3).long()),
    lambda lib: lib.nn.MultiheadAttention(8, 2)(lib.ones(3, 2, 8), lib.ones(2, 2, 8), lib.ones(3, 2, 8)),
])
def test_errors(call):
    assert torch_error(lambda: call(minigrad)) == torch_error(lambda: call(torch))


def twin(mm, tm):
    tm.load_state_dict({k: torch.from_numpy(v.numpy().copy()) for k, v in mm.state_dict().items()})
    return tm


@pytest.mark.parametrize("kw", [{}, {"bias": False}, {"add_bias_kv": True}, {"add_zero_attn": True},
                                {"kdim": 3, "vdim": 5}, {"batch_first": True}, {"kdim": 3, "vdim": 5, "bias": False,
                                                                                 "add_bias_kv": True}])
def test_mha_parameters_state_dict_and_init(kw):
    mm, tm = nn.MultiheadAttention(8, 2, **kw), torch.nn.MultiheadAttention(8, 2, **kw)
    ms, ts = mm.state_dict(), tm.state_dict()
    assert [(k, tuple(v.shape)) for k, v in ms.items()] == [(k, tuple(v.shape)) for k, v in ts.items()]
    assert [n for n, _ in mm.named_parameters()] == [n for n, _ in tm.named_parameters()]
    assert repr(mm) == repr(tm)
    for k in ms:  # same init distributions: zero biases, xavier-uniform bounds
        if k.endswith("bias"):
            assert not ms[k].numpy().any() or k == "out_proj.bias" and "bias" not in kw
        if k.endswith("proj_weight"):
            bound = np.sqrt(6 / sum(ts[k].shape))
            assert np.abs(ms[k].numpy()).max() <= bound
    twin(mm, tm)


MHA_CASES = [
    dict(), dict(need_weights=False), dict(average_attn_weights=False), dict(attn_mask="bool"),
    dict(attn_mask="float"), dict(attn_mask="bool3d"), dict(key_padding_mask="bool"),
    dict(key_padding_mask="float", attn_mask="float"), dict(attn_mask="bool", key_padding_mask="bool",
                                                            need_weights=False),
    dict(attn_mask="causal", is_causal=True, need_weights=False), dict(cross=True), dict(cross=True, kv_same=True),
    dict(module={"add_bias_kv": True}, attn_mask="bool", key_padding_mask="bool"),
    dict(module={"add_zero_attn": True}, key_padding_mask="bool"),
    dict(module={"add_zero_attn": True, "add_bias_kv": True}, attn_mask="float", need_weights=False),
    dict(module={"kdim": 3, "vdim": 5}, cross=True), dict(module={"batch_first": True}),
    dict(module={"batch_first": True}, cross=True, need_weights=False), dict(unbatched=True),
    dict(unbatched=True, attn_mask="bool3d", key_padding_mask="bool"), dict(module={"bias": False}),
]


@pytest.mark.parametrize("case", MHA_CASES)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_mha_matches_torch(case, dtype):
    rng = np.random.default_rng(len(str(case)))
    E, H, L, S, N = 8, 2, 3, 4, 2
    module = case.get("module", {})
    mm = nn.MultiheadAttention(E, H, dtype=getattr(minigrad, dtype), **module)
    for p in mm.parameters():  # nonzero biases too, so that every gradient path is exercised
        p.data = minigrad.tensor(rng.standard_normal(p.shape).astype(dtype) * 0.5)
    tm = twin(mm, torch.nn.MultiheadAttention(E, H, dtype=getattr(torch, dtype), **module))
    bf, unb, cross = module.get("batch_first"), case.get("unbatched"), case.get("cross")
    S = S if cross else L
    shape = (lambda n: (n, E)) if unb else (lambda n: (N, n, E)) if bf else (lambda n: (n, N, E))
    kd, vd = module.get("kdim", E), module.get("vdim", E)
    q = rng.standard_normal(shape(L))
    k = rng.standard_normal(shape(S)[:-1] + (kd,)) if cross else q
    v = k if case.get("kv_same") else rng.standard_normal(shape(S)[:-1] + (vd,)) if cross else q
    arrays = [a.astype(dtype) for a in (q, k, v)]
    masks = {}
    if case.get("attn_mask") in ("bool", "causal"):
        masks["attn_mask"] = ~np.tri(L, S, dtype=bool) if case["attn_mask"] == "causal" else rng.random((L, S)) < 0.3
    elif case.get("attn_mask") == "float":
        masks["attn_mask"] = rng.standard_normal((L, S)).astype(dtype)
    elif case.get("attn_mask") == "bool3d":
        masks["attn_mask"] = rng.random(((1 if unb else N) * H, L, S)) < 0.3
    if case.get("key_padding_mask"):
        kpm = rng.random((S,) if unb else (N, S)) < 0.3
        masks["key_padding_mask"] = kpm if case["key_padding_mask"] == "bool" else rng.standard_normal(kpm.shape).astype(dtype)
    for name in masks:
        if masks[name].dtype == bool:  # keep every query able to see something (fully masked rows are nan in torch too)
            masks[name][..., 0] = False
    opts = {k: case[k] for k in ("need_weights", "average_attn_weights", "is_causal") if k in case}
    ids = {id(a): i for i, a in enumerate((q, k, v))}
    mt = [minigrad.tensor(a, requires_grad=True) for a in arrays]
    tt = [torch.tensor(a, requires_grad=True) for a in arrays]
    mq, mk, mv = (mt[ids[id(a)]] for a in (q, k, v))  # self-attention passes the same tensor three times
    tq, tk, tv = (tt[ids[id(a)]] for a in (q, k, v))
    mo, mw = mm(mq, mk, mv, **{k: minigrad.tensor(v) for k, v in masks.items()}, **opts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        to, tw = tm(tq, tk, tv, **{k: torch.tensor(v) for k, v in masks.items()}, **opts)
    tol = TOL[dtype] * 10
    close(mo, to, tol)
    assert (mw is None) == (tw is None)
    if tw is not None:
        close(mw, tw, tol)
    g = rng.standard_normal(to.shape).astype(dtype)
    (mo * minigrad.tensor(g)).sum().backward()
    (to * torch.tensor(g)).sum().backward()
    for m, t in zip(mt, tt):
        if t.grad is not None:
            close(m.grad, t.grad, tol * 10)
    for (n1, p1), (n2, p2) in zip(mm.named_parameters(), tm.named_parameters()):
        assert n1 == n2
        close(p1.grad, p2.grad, tol * 10)


def test_mha_eval_disables_dropout_and_train_applies_it():
    mm = nn.MultiheadAttention(4, 1, dropout=0.5)
    x = minigrad.randn(5, 1, 4)
    a, b = mm(x, x, x)[0], mm(x, x, x)[0]
    assert not np.allclose(a.detach().numpy(), b.detach().numpy())
    mm.eval()
    np.testing.assert_array_equal(mm(x, x, x)[0].detach().numpy(), mm(x, x, x)[0].detach().numpy())


@pytest.mark.parametrize("diagonal", [-2, -1, 0, 1, 3])
def test_tril_triu_masked_fill(diagonal):
    a = np.random.default_rng(0).standard_normal((2, 3, 4))
    for mine, ref in ((tril, torch.tril), (triu, torch.triu)):
        m, t = minigrad.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
        mo, to = mine(m, diagonal), ref(t, diagonal)
        close(mo, to, 0)
        mo.sum().backward()
        to.sum().backward()
        close(m.grad, t.grad, 0)
    assert tril(minigrad.ones(3, 3).long()).dtype == minigrad.int64
    mask = a > 0
    m, t = minigrad.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    mo, to = masked_fill(m, minigrad.tensor(mask), float("-inf")), t.masked_fill(torch.tensor(mask), float("-inf"))
    close(mo, to, 0)
    mo.exp().sum().backward()
    to.exp().sum().backward()
    close(m.grad, t.grad, 0)
    assert masked_fill(minigrad.ones(2).long(), minigrad.tensor([True, False]), 7).tolist() == [7, 1]


@settings(max_examples=10, deadline=None)
@given(B=st.integers(1, 2), H=st.integers(1, 2), L=st.integers(1, 4), S=st.integers(1, 4), E=st.integers(1, 3),
       causal=st.booleans(), scale=st.sampled_from([None, 0.3]), seed=st.integers(0, 2 ** 32 - 1))
def test_sdpa_fused_node_second_order(B, H, L, S, E, causal, scale, seed):
    # 4-D, no mask, no dropout: one node, as torch's CPU kernel; torch cannot differentiate that node twice, so its
    # side of the Hessian comes from the explicit formula
    rng = np.random.default_rng(seed)
    q, k, v = rng.standard_normal((B, H, L, E)), rng.standard_normal((B, H, S, E)), rng.standard_normal((B, H, S, E))
    (mq, mk, mv), (tq, tk, tv) = both([q, k, v])
    assert F.scaled_dot_product_attention(mq, mk, mv, is_causal=causal).grad_fn.name() == \
        TF.scaled_dot_product_attention(tq, tk, tv, is_causal=causal).grad_fn.name()

    def attention(lib, q, k, v):
        if lib is minigrad:
            return F.scaled_dot_product_attention(q, k, v, is_causal=causal, scale=scale)
        s = q @ k.transpose(-2, -1) * (1 / np.sqrt(E) if scale is None else scale)
        s = s.masked_fill(~torch.ones(L, S, dtype=torch.bool).tril(), float("-inf")) if causal else s
        return s.softmax(-1) @ v
    hvp_parity(attention, q, k, v, seed=seed)


@pytest.mark.parametrize("L,S", [(0, 3), (3, 0)])
def test_sdpa_without_queries_or_keys(L, S):
    (mq, mk), (tq, tk) = both([np.ones((1, 2, L, 4)), np.ones((1, 2, S, 4))])
    close(F.scaled_dot_product_attention(mq, mk, mk), TF.scaled_dot_product_attention(tq, tk, tk), 0)  # zeros


@pytest.mark.parametrize("dtype", sorted(TOL))
@pytest.mark.parametrize("causal", [False, True])
def test_sdpa_large_scores(dtype, causal):
    # scores beyond +-60 take the max-shifted softmax (no overflow): the same values and gradients as torch
    rng = np.random.default_rng(0)
    (mq, mk, mv), (tq, tk, tv) = both([rng.standard_normal((2, 2, 5, 3)).astype(dtype) * 30 for _ in range(3)])
    mo, to = (f(q, k, v, is_causal=causal) for f, q, k, v in ((F.scaled_dot_product_attention, mq, mk, mv),
                                                                 (TF.scaled_dot_product_attention, tq, tk, tv)))
    close(mo, to, TOL[dtype] * 30)
    g = rng.standard_normal(to.shape).astype(dtype)
    mo.backward(minigrad.tensor(g)), to.backward(torch.tensor(g))
    for m, t in ((mq, tq), (mk, tk), (mv, tv)):
        close(m.grad, t.grad, TOL[dtype] * 300)
