"""The math ops of issue 11 against real PyTorch: unary math and rounding, lerp/addcmul/addcdiv, logsumexp, prod,
cumsum/cumprod, any/all, norms, outer, sort/argsort/topk, isnan/isinf/isfinite, einsum, torch's axis=/keepdims=
aliases, the top-level samplers, and bad inputs. Values, dtypes and first-order gradients go through
test_ops_parity's `parity` (float32 and float64); second order through test_higher_order's `hvp_parity`."""
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import minigrad
from strategies import (arrays, broadcastable_shapes, dim, dims, distinct_arrays, float_dtypes, grid_arrays,
                        keepdims, seeds, shapes, signed_arrays)
from test_errors import check_same_error
from test_higher_order import hvp_parity
from test_ops_parity import parity

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def both(fn, *inputs, seed=0):
    """Values and gradients in float32/float64 (parity), and Hessian-vector products in float64 (hvp_parity)."""
    parity(fn, *inputs, seed=seed)
    hvp_parity(fn, *[a.astype(np.float64) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a
                     for a in inputs], seed=seed)


# ---- unary math and rounding ------------------------------------------------------------------------------------
UNARY = {  # name: domain
    "tan": lambda s, d: arrays(s, d, lo=-1.2, hi=1.2), "log2": lambda s, d: arrays(s, d, lo=0.2, hi=4),
    "log10": lambda s, d: arrays(s, d, lo=0.2, hi=4), "log1p": lambda s, d: arrays(s, d, lo=-0.6, hi=3),
    "exp2": lambda s, d: arrays(s, d, lo=-2, hi=2), "expm1": lambda s, d: arrays(s, d, lo=-2, hi=2),
    "rsqrt": lambda s, d: arrays(s, d, lo=0.3, hi=4), "reciprocal": lambda s, d: signed_arrays(s, d, lo=0.3),
}


@pytest.mark.parametrize("name", UNARY)
@SETTINGS
@given(shape=shapes(), dtype=float_dtypes, seed=seeds, data=st.data())
def test_unary(name, shape, dtype, seed, data):
    """Method and function forms; the node is torch's."""
    x = data.draw(UNARY[name](shape, dtype))
    both(lambda L, x: getattr(x, name)() * getattr(L, name)(x), x, seed=seed)
    m = getattr(minigrad.tensor(x, requires_grad=True), name)()
    assert m.grad_fn.name() == getattr(torch.tensor(x, requires_grad=True), name)().grad_fn.name()


ROUNDING = {"ceil": lambda x: x.ceil(), "floor": lambda x: x.floor(), "round": lambda x: x.round(),
            "trunc": lambda x: x.trunc(), "frac": lambda x: x.frac(), "round1": lambda x: x.round(decimals=1),
            "round-1": lambda x: x.round(decimals=-1)}


@pytest.mark.parametrize("name", ROUNDING)
@SETTINGS
@given(shape=shapes(), dtype=float_dtypes, seed=seeds, data=st.data())
def test_rounding(name, shape, dtype, seed, data):
    """Rounding on a grid of quarters (ties go to even): values, torch's zero-gradient nodes, and frac's g."""
    spacing = 0.25 if name != "round-1" else 2.5
    x = data.draw(grid_arrays(shape, dtype, spacing=spacing, k=12))
    both(lambda L, x: ROUNDING[name](x) * x + ROUNDING[name](x * x), x, seed=seed)
    assert ROUNDING[name](minigrad.tensor(x, requires_grad=True)).grad_fn.name() == \
        ROUNDING[name](torch.tensor(x, requires_grad=True)).grad_fn.name()


@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8"])
def test_integer_inputs(dtype):
    """Integers keep their dtype through the rounding family and become the default float through math."""
    x = np.array([0, 1, 3, 7], dtype=dtype)
    for name in ["ceil", "floor", "round", "trunc", *UNARY]:
        parity(lambda L, x: getattr(x, name)(), x)


# ---- derived elementwise ----------------------------------------------------------------------------------------
@SETTINGS
@given(shapes3=broadcastable_shapes(3), seed=seeds, data=st.data())
def test_lerp_addcmul_addcdiv(shapes3, seed, data):
    """Three broadcast operands; lerp with a tensor and a scalar weight, value= for addcmul/addcdiv."""
    a, b, c = data.draw(arrays(shapes3[0])), data.draw(arrays(shapes3[1])), data.draw(signed_arrays(shapes3[2]))
    both(lambda L, a, b, c: (L.lerp(a, b, c), a.lerp(b, 0.3), a.lerp(b, 0.7)), a, b, c, seed=seed)
    both(lambda L, a, b, c: (L.addcmul(a, b, c, value=-1.5), a.addcdiv(b, c), L.addcdiv(a, b, c, value=2)), a, b, c,
         seed=seed)


# ---- reductions -------------------------------------------------------------------------------------------------
@SETTINGS
@given(shape=shapes(), dtype=float_dtypes, keep=keepdims, seed=seeds, data=st.data())
def test_logsumexp(shape, dtype, keep, seed, data):
    """Over one dim or several, large values included (the stable form)."""
    x = data.draw(arrays(shape, dtype, lo=-20, hi=20))
    d = data.draw(dims(len(shape), allow_none=False))
    both(lambda L, x: (x.logsumexp(d, keep), L.logsumexp(x * 2, d)), x, seed=seed)
    assert minigrad.tensor(x, requires_grad=True).logsumexp(d).grad_fn.name() == "LogsumexpBackward0"


def test_logsumexp_infinities():
    parity(lambda L, x: x.logsumexp(1), np.array([[-np.inf, -np.inf], [np.inf, 1.0], [-np.inf, 2.0]]))


@SETTINGS
@given(shape=shapes(), keep=keepdims, seed=seeds, data=st.data())
def test_prod(shape, keep, seed, data):
    """prod over everything and over a dim, with zeros in the input (one and several per row): exact gradients."""
    x = data.draw(grid_arrays(shape, spacing=0.5, k=3))
    d = data.draw(dim(len(shape)))
    both(lambda L, x: (x.prod(), L.prod(x, d, keepdim=keep)), x, seed=seed)


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_cumulative(name, shape, seed, data):
    """Running sums and products (zeros included) along any dim; node name of the cumsum primitive."""
    x = data.draw(grid_arrays(shape, spacing=0.5, k=3))
    d = data.draw(dim(len(shape)))
    both(lambda L, x: (getattr(x, name)(d), getattr(L, name)(x, dim=d)), x, seed=seed)
    assert minigrad.tensor(x, requires_grad=True).cumsum(d).grad_fn.name() == "CumsumBackward0"


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int32", "int64"])
@pytest.mark.parametrize("name", ["sum", "prod", "cumsum", "cumprod"])
def test_integer_accumulation_dtypes(dtype, name):
    """Integers and bools accumulate in int64; dtype= picks the result type."""
    x = np.array([[1, 0, 1], [1, 1, 1]], dtype=dtype)
    parity(lambda L, x: (getattr(x, name)(1), getattr(x, name)(0, dtype=L.float64)), x)


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int64", "float32"])
@FEW
@given(shape=shapes(), keep=keepdims, data=st.data())
def test_any_all(dtype, shape, keep, data):
    """Bool results (uint8 stays uint8, as torch), over everything, a dim or dims."""
    x = data.draw(grid_arrays(shape, k=1)).astype(dtype)
    d = data.draw(dims(len(shape), allow_none=False))
    parity(lambda L, x: (x.any(), x.all(), L.any(x, d, keep), L.all(x, dim=d, keepdim=keep)), x)


@pytest.mark.parametrize("p", [2, 1, 3, 0.5, float("inf"), float("-inf"), 0, "fro"])
@SETTINGS
@given(shape=shapes(min_dims=1), keep=keepdims, seed=seeds, data=st.data())
def test_norm(p, shape, keep, seed, data):
    """Tensor.norm and linalg.vector_norm over everything and over dims; p = 0.5 stays away from zero."""
    x = data.draw(distinct_arrays(shape, spacing=0.3, offset=0.15) if p != 0.5 else signed_arrays(shape))
    d = data.draw(dims(len(shape), allow_none=False))
    d = d[:2] if p == "fro" and isinstance(d, tuple) else d  # torch: 'fro' is a matrix norm over at most two dims
    check = parity if p == 0 else both  # the count of nonzeros has a zero gradient
    check(lambda L, x: (x.norm(p), x.norm(p, d, keep)), x, seed=seed)
    if p != "fro":
        check(lambda L, x: L.linalg.vector_norm(x, p, d, keep), x, seed=seed)


def test_norm_of_zeros_has_zero_gradient():
    """torch's norm gradient at a zero vector is 0, not nan (its Hessian there is nan; minigrad's is 0)."""
    x = np.zeros((2, 3))
    x[1] = [1.0, -2.0, 0.5]
    parity(lambda L, x: (x.norm(dim=1), L.linalg.vector_norm(x, 3, dim=1), x.norm(1, dim=1)), x)


@pytest.mark.parametrize("ord", [None, "fro", 1, -1, float("inf"), float("-inf")])
@SETTINGS
@given(shape=shapes(min_dims=2, max_dims=3), keep=keepdims, seed=seeds, data=st.data())
def test_linalg_norm(ord, shape, keep, seed, data):
    """linalg.norm: matrix norms over two dims (the last two by default), vector norms over one."""
    x = data.draw(distinct_arrays(shape, spacing=0.3, offset=0.15))
    both(lambda L, x: (L.linalg.norm(x, ord, (0, -1), keep), L.linalg.norm(x, dim=1),
                       L.linalg.norm(x[0], None if ord == "fro" else ord)), x, seed=seed)


@SETTINGS
@given(n=st.integers(1, 4), m=st.integers(1, 4), seed=seeds, data=st.data())
def test_outer(n, m, seed, data):
    x, y = data.draw(arrays((n,))), data.draw(arrays((m,)))
    both(lambda L, x, y: (L.outer(x, y), x.outer(y * y)), x, y, seed=seed)


# ---- sorting ----------------------------------------------------------------------------------------------------
@SETTINGS
@given(shape=shapes(), desc=st.booleans(), seed=seeds, data=st.data())
def test_sort_argsort(shape, desc, seed, data):
    """(values, indices) namedtuples of torch; the gradient reaches the values."""
    x = data.draw(distinct_arrays(shape))
    d = data.draw(dim(len(shape)))
    both(lambda L, x: (x.sort(d, desc), L.sort(x, dim=d, descending=desc).values * x, L.argsort(x, d, desc)), x,
         seed=seed)
    assert repr(minigrad.tensor(x).sort()).replace("minigrad", "torch") == repr(torch.tensor(x).sort())


@FEW
@given(shape=shapes(min_dims=1), desc=st.booleans(), data=st.data())
def test_stable_sort_ties(shape, desc, data):
    """With ties, stable=True keeps equal elements in their original order, ascending and descending."""
    x = data.draw(grid_arrays(shape, k=2))
    parity(lambda L, x: x.sort(stable=True, descending=desc), x)


@SETTINGS
@given(shape=shapes(), largest=st.booleans(), seed=seeds, data=st.data())
def test_topk(shape, largest, seed, data):
    x = data.draw(distinct_arrays(shape))
    d = data.draw(dim(len(shape)))
    k = data.draw(st.integers(0, shape[d] if shape else 1))
    both(lambda L, x: L.topk(x, k, d, largest=largest), x, seed=seed)
    if k:  # (printing.py leaves out an empty int64 tensor's dtype)
        assert repr(minigrad.tensor(x).topk(k, d)).replace("minigrad", "torch") == repr(torch.tensor(x).topk(k, d))


def test_isnan_isinf_isfinite():
    x = np.array([1.0, np.nan, np.inf, -np.inf, 0.0])
    parity(lambda L, x: (x.isnan(), L.isinf(x), x.isfinite(), L.isnan(L.tensor([1, 2]))), x)


# ---- einsum -----------------------------------------------------------------------------------------------------
EINSUM = {"ij,jk->ik": [(2, 3), (3, 4)], "bij,bjk->bik": [(2, 2, 3), (2, 3, 1)], "i,i->": [(3,), (3,)],
          "i,j->ij": [(2,), (3,)], "bhqd,bhkd->bhqk": [(2, 1, 3, 4), (2, 1, 2, 4)], "ij,kj": [(2, 3), (4, 3)],
          "ii->i": [(3, 3)], "ii": [(3, 3)], "ij->ji": [(2, 3)], "ij->": [(2, 3)], "...ij,...jk": [(2, 2, 3), (3, 2)],
          "b...,b...->b": [(2, 3), (2, 3)], "ij,j,jk->ik": [(2, 3), (3,), (3, 2)], "iij,jk->ik": [(2, 2, 3), (3, 1)],
          "ij,ij->ij": [(1, 3), (2, 3)], "ij, jk -> ki": [(2, 3), (3, 2)], ",i->i": [(), (3,)]}


@pytest.mark.parametrize("eq", EINSUM)
@FEW
@given(seed=seeds, data=st.data())
def test_einsum(eq, seed, data):
    """The contractions tutorials use, diagonals, implicit outputs, ellipses, three operands, broadcasting."""
    xs = [data.draw(arrays(s)) for s in EINSUM[eq]]
    both(lambda L, *xs: L.einsum(eq, *xs), *xs, seed=seed)
    parity(lambda L, *xs: L.einsum(eq, list(xs)), *xs)


# ---- torch's numpy-style aliases --------------------------------------------------------------------------------
ALIASES = {
    "sum": dict(axis=1, keepdims=True), "mean": dict(axis=1, keepdims=True), "var": dict(axis=1, keepdims=True),
    "std": dict(axis=0), "amax": dict(axis=1, keepdims=True), "amin": dict(axis=(0, 1)), "prod": dict(axis=0),
    "logsumexp": dict(axis=1, keepdims=True), "softmax": dict(axis=0), "log_softmax": dict(axis=1),
    "cumsum": dict(axis=1), "cumprod": dict(axis=0), "any": dict(axis=1, keepdims=True), "all": dict(axis=0),
    "max": dict(axis=1, keepdims=True), "min": dict(axis=0), "argmax": dict(axis=1, keepdims=True),
    "argmin": dict(axis=0), "sort": dict(axis=0), "argsort": dict(axis=0),
}


@pytest.mark.parametrize("name", ALIASES)
def test_axis_keepdims_aliases(name):
    """axis= and keepdims= where torch accepts them, in method and function forms."""
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    parity(lambda L, x: (getattr(x, name)(**ALIASES[name]), getattr(L, name)(x, **ALIASES[name])), x)


# ---- node names, exports, errors --------------------------------------------------------------------------------
def test_samplers_exported():
    """multinomial, bernoulli and normal at top level (and the first two as methods), as in torch."""
    minigrad.manual_seed(0)
    p = minigrad.tensor([[0.2, 0.8], [1.0, 0.0]])
    assert minigrad.multinomial(p, 3, replacement=True).shape == p.multinomial(3, True).shape == (2, 3)
    assert p.bernoulli().shape == minigrad.bernoulli(p).shape == (2, 2)
    assert minigrad.normal(0.0, 1.0, (4,)).shape == (4,)


def test_top_level_forms():
    """Every minigrad.<name> form exists in torch too; the shape/indexing ops' forms give the methods' results."""
    assert [n for n in minigrad.functions._NAMES if not hasattr(torch, n)] == []
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    parity(lambda L, x: (L.flip(x, [0]), L.roll(x, 1, 1), L.tril(x), L.triu(x, 1), L.masked_fill(x, x > 2, 0.0),
                         L.nonzero(x > 4), L.unique(L.tensor([3, 1, 3])), L.index_select(x, 1, L.tensor([0, 2])),
                         L.scatter(x, 1, L.tensor([[0], [1]]), x[:, :1] * 2),
                         L.scatter_add(x, 1, L.tensor([[0], [1]]), x[:, 1:2]),
                         L.take_along_dim(x, L.tensor([[0], [2]]), 1)), x)


def sort_(L):
    return L.torch.ones(3).sort(dim=1)


ERRORS = [
    ("add broadcast", lambda L: L.torch.ones(3) + L.torch.ones(4), ["The size of tensor a (3) must match the size of "
                                                                   "tensor b (4) at non-singleton dimension 0"]),
    ("maximum broadcast", lambda L: L.torch.maximum(L.torch.ones(2, 3, 5), L.torch.ones(3, 4, 6)),
     ["The size of tensor a (5) must match the size of tensor b (6) at non-singleton dimension 2"]),
    ("batched matmul", lambda L: L.torch.ones(2, 2, 3) @ L.torch.ones(3, 3, 4),
     ["The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"]),
    ("sum repeated dim", lambda L: L.torch.ones(2, 3).sum(dim=(0, -2)), ["dim 0 appears multiple times"]),
    ("softmax dim", lambda L: L.torch.ones(2, 3).softmax(2), ["Dimension out of range"]),
    ("logsumexp no dim", lambda L: L.torch.ones(2).logsumexp(), ["missing 1 required positional"]),
    ("frac of ints", lambda L: L.torch.tensor([1, 2]).frac(), ['"frac_cpu" not implemented for \'Long\'']),
    ("round decimals of ints", lambda L: L.torch.tensor([1, 2]).round(decimals=1), ["not implemented for 'Long'"]),
    ("ceil of bool", lambda L: L.torch.tensor([True]).ceil(), ['"ceil_vml_cpu" not implemented for \'Bool\'']),
    ("lerp dtypes", lambda L: L.torch.ones(2).lerp(L.torch.ones(2, dtype=L.torch.float64), 0.5),
     ["expected dtype float for `end` but got dtype double"]),
    ("lerp ints", lambda L: L.torch.tensor([1]).lerp(L.torch.tensor([2]), 0.5), ["not implemented for 'Long'"]),
    ("addcdiv ints", lambda L: L.torch.addcdiv(L.torch.ones(2), L.torch.tensor([1]), L.torch.tensor([2])),
     ["Integer division with addcdiv is no longer supported"]),
    ("norm of ints", lambda L: L.torch.tensor([1, 2]).norm(), ["Expected a floating point or complex tensor as input"]),
    ("matrix norm order", lambda L: L.torch.linalg.norm(L.torch.ones(2, 2), 3), ["Order 3 not supported"]),
    ("linalg.norm dims", lambda L: L.torch.linalg.norm(L.torch.ones(2, 2, 2), dim=(0, 1, 2)),
     ["If dim is specified, it must be of length 1 or 2"]),
    ("linalg.norm 3-D ord", lambda L: L.torch.linalg.norm(L.torch.ones(2, 2, 2), 1), ["the input must be 1D or 2D"]),
    ("outer of a matrix", lambda L: L.torch.outer(L.torch.ones(2), L.torch.ones(2, 2)),
     ["outer: Expected 1-D argument vec2, but got 2-D"]),
    ("topk k", lambda L: L.torch.ones(3).topk(4), ["selected index k out of range"]),
    ("sort dim", sort_, ["Dimension out of range"]),
    ("einsum fewer", lambda L: L.torch.einsum("ij,jk->ik", L.torch.ones(2, 3)), ["fewer operands were provided"]),
    ("einsum more", lambda L: L.torch.einsum("ij", L.torch.ones(2, 3), L.torch.ones(2)), ["more operands"]),
    ("einsum sizes", lambda L: L.torch.einsum("ij,jk->ik", L.torch.ones(2, 3), L.torch.ones(4, 5)),
     ["subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3"]),
    ("einsum rank", lambda L: L.torch.einsum("ijk,jk->ik", L.torch.ones(2, 3), L.torch.ones(3, 5)),
     ["the number of subscripts in the equation (3) does not match the number of dimensions (2) for operand 0"]),
    ("einsum output", lambda L: L.torch.einsum("ij->iz", L.torch.ones(2, 3)),
     ["output subscript z does not appear in the equation for any input operand"]),
    ("einsum repeated output", lambda L: L.torch.einsum("ij->ii", L.torch.ones(2, 3)), ["appears more than once"]),
    ("einsum character", lambda L: L.torch.einsum("i1->i", L.torch.ones(2, 3)),
     ["invalid subscript given at index 1 in the equation string, subscripts must be in [a-zA-Z]"]),
    ("einsum second arrow", lambda L: L.torch.einsum("ij->j->i", L.torch.ones(2, 3)), ["at index 5"]),
    ("einsum diagonal sizes", lambda L: L.torch.einsum("ii->i", L.torch.ones(2, 3)),
     ["subscript i is repeated for operand 0 but the sizes don't match, 3 != 2"]),
    ("einsum stray dot", lambda L: L.torch.einsum("i.j", L.torch.ones(2, 3)), ["that is not part of any ellipsis"]),
]


@pytest.mark.parametrize("desc, fn, words", ERRORS, ids=[c[0] for c in ERRORS])
def test_errors(desc, fn, words):
    check_same_error(fn, words)


@pytest.mark.parametrize("name", ["sum", "mean", "amax", "amin", "std", "var", "norm"])
@pytest.mark.parametrize("dim", [(), []])
@pytest.mark.parametrize("keepdim", [False, True])
def test_empty_dim_reduces_every_dim_as_torch(name, dim, keepdim):
    values = np.arange(6.0).reshape(2, 3) ** 1.5
    outs = []
    for lib in (minigrad, torch):
        x = lib.tensor(values, requires_grad=True)
        y = x.norm(dim=dim, keepdim=keepdim) if name == "norm" else getattr(x, name)(dim=dim, keepdim=keepdim)
        y.sum().backward()
        outs.append((y.detach().numpy(), x.grad.numpy()))
    if name in ("std", "var"):
        outs = [o[:1] for o in outs]  # torch's backward divides by n - 1 = 0 here (its gradient is +-inf)
    for m, t in zip(*outs):
        np.testing.assert_allclose(m, t, rtol=1e-12)
        assert m.shape == t.shape
