"""Issue 11's shape and indexing ops against real PyTorch: flip, roll, tril/triu, masked_fill, index_select,
scatter/scatter_add, take_along_dim (values, gradients, second order, node names), nonzero and unique (values),
torch's int-first rule for mixed indices, the keyword forms and axis= aliases, and the errors of bad inputs."""
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import minigrad
from strategies import FLOAT_DTYPES, arrays, dim, seeds, shapes
from test_errors import check_same_error
from test_higher_order import hvp_parity
from test_ops_parity import parity

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIB = {"minigrad": minigrad, "torch": torch}


@st.composite
def scatter_cases(draw, distinct):
    """(x shape, dim, index, src shape): index fits in x apart from dim; distinct: no position twice."""
    shape = draw(shapes(min_dims=1, max_dims=3))
    d = draw(dim(len(shape))) % len(shape)
    ishape = tuple(draw(st.integers(1, n)) for n in shape)
    rng = np.random.default_rng(draw(seeds))
    if distinct:  # scatter's result is undefined where two src values land on one position (torch's doc)
        index = np.argsort(rng.random(shape), axis=d)[tuple(slice(0, n) for n in ishape)]
    else:
        index = rng.integers(0, shape[d], ishape)
    return shape, d, index, ishape  # a larger src: torch's gradient for it fails (NAMED checks its values)


def _ops(case, value):
    """The differentiable ops of this file on x (and y for scatter's src), as fn(L, x, y)."""
    shape, d, index, _ = case
    # take_along_dim broadcasts index against x apart from dim: other dims of index must be 1 or x's
    along = None if index is None else index[tuple(slice(None) if k == d or n == shape[k] else slice(0, 1)
                                                   for k, n in enumerate(index.shape))]
    return {
        "flip": lambda L, x, y: (x.flip(d), x.flip(tuple(range(x.ndim))), x.flip(dims=[-1])),
        "roll": lambda L, x, y: (x.roll(2, d), x.roll((1, -3), (0, -1)), x.roll(-5)),
        "tril/triu": lambda L, x, y: (x.tril(), x.triu(1), x.tril(-1), x.triu(-2)) if x.ndim >= 2 else x * 1,
        "masked_fill": lambda L, x, y: (x.masked_fill(x > 0.5, value), x.masked_fill(x < 0, L.tensor(value))),
        "index_select": lambda L, x, y: x.index_select(d, L.tensor(index.reshape(-1) % shape[d])),
        "scatter": lambda L, x, y: (x.scatter(d, L.tensor(index), y), x.scatter(d, L.tensor(index), value)),
        "take_along_dim": lambda L, x, y: (x.take_along_dim(L.tensor(along), d), x.take_along_dim(L.tensor(index))),
    }


@pytest.mark.parametrize("op", list(_ops((None, 0, None, None), 0)) + ["scatter_add"])
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@SETTINGS
@given(data=st.data(), seed=seeds)
def test_values_and_gradients(op, dtype, data, seed):
    """Outputs, dtypes, requires_grad and first-order gradients equal torch's, in float32 and float64."""
    case = data.draw(scatter_cases(distinct=op != "scatter_add"))
    x, y = data.draw(arrays(case[0], dtype)), data.draw(arrays(case[3], dtype))
    value = data.draw(st.floats(-2, 2))
    if op == "scatter_add":
        parity(lambda L, x, y: x.scatter_add(case[1], L.tensor(case[2]), y), x, y, seed=seed)
    else:
        parity(_ops(case, value)[op], x, y, seed=seed)


@pytest.mark.parametrize("op", list(_ops((None, 0, None, None), 0)) + ["scatter_add"])
@SETTINGS
@given(data=st.data(), seed=seeds)
def test_second_order(op, data, seed):
    """Hessian-vector products (float64) equal torch's: the ops are built from differentiable pieces."""
    case = data.draw(scatter_cases(distinct=op != "scatter_add"))
    x, y = data.draw(arrays(case[0])), data.draw(arrays(case[3]))
    if op == "scatter_add":
        hvp_parity(lambda L, x, y: x.scatter_add(case[1], L.tensor(case[2]), y * y), x, y, seed=seed)
    else:
        hvp_parity(lambda L, x, y: (_ops(case, 0.5)[op](L, x * x, y * y), y.sum()), x, y, seed=seed)


@SETTINGS
@given(shape=shapes(max_dims=3), data=st.data())
def test_nonzero_unique(shape, data):
    """nonzero (rows or as_tuple) and unique (inverse, counts, along a dim) give torch's values and dtypes."""
    x = data.draw(arrays(shape, lo=-2, hi=2).map(np.round))
    d = data.draw(dim(len(shape))) if shape else None
    outs = []
    for L in (minigrad, torch):
        t = L.tensor(x)
        outs.append([t.nonzero(), *t.nonzero(as_tuple=True), t.unique(), *t.unique(return_inverse=True),
                     *t.unique(sorted=True, return_inverse=True, return_counts=True),
                     *t.long().unique(return_counts=True),
                     *t.unique(dim=d, return_inverse=True, return_counts=True)])
    for m, t in zip(*outs):
        assert str(m.dtype).split(".")[-1] == str(t.dtype).split(".")[-1]
        np.testing.assert_array_equal(m.numpy(), t.numpy())


INDICES = {  # torch applies ints first, then the tensor indices (numpy would move the tensor dims to the front)
    "int, slice, tensor": lambda L: (1, slice(None), L.tensor([0, 1])),
    "tensor, int, tensor": lambda L: (L.tensor([0, 1]), 1, L.tensor([2, 0])),
    "tensor, slice, int": lambda L: (L.tensor([[0], [1]]), slice(1, 4), 2),
    "int, None, tensor": lambda L: (1, None, L.tensor([0, 1, 1])),
    "..., int, tensor": lambda L: (Ellipsis, 1, L.tensor([3, 0])),
    "0-d tensor, slice, tensor": lambda L: (L.tensor(1), slice(None), L.tensor([0, 1])),
    "int, slice, mask": lambda L: (0, slice(None), L.tensor([True, False, True, False, True, False])),
    "int, list": lambda L: (1, [0, 2, 2]),
}


@pytest.mark.parametrize("name", INDICES)
def test_ints_before_tensor_indices(name):
    """Mixed int/tensor indices: torch's shape, values, gradient (with repeats) and x[idx] = v."""
    x = np.random.default_rng(0).random((2, 5, 6))
    out, t_out = parity(lambda L, x: x[INDICES[name](L)] * 1.0, x)
    assert out.grad_fn.next_functions[0][0].name() == t_out.grad_fn.next_functions[0][0].name()
    got = []
    for L in (minigrad, torch):
        z = L.tensor(x)
        z[INDICES[name](L)] = L.tensor(np.arange(out.shape[-1], dtype=np.float64))
        got.append(z.numpy())
    np.testing.assert_array_equal(*got)


@st.composite
def mixed_indices(draw):
    """(shape, index parts): ints, forward slices, None, one Ellipsis, int tensors (1-D or a column) and masks."""
    shape = draw(shapes(min_dims=1, max_dims=4))
    parts, d = [], 0
    while d < len(shape) and len(parts) < 5:
        n, kind = shape[d], draw(st.sampled_from(["int", "slice", "none", "ellipsis", "ints", "column", "mask"]))
        if kind == "ellipsis" and Ellipsis not in parts:
            parts.append(Ellipsis)
            break
        parts.append({"int": lambda: draw(st.integers(-n, n - 1)), "none": lambda: None, "ellipsis": lambda: None,
                      "slice": lambda: slice(draw(st.integers(0, n)), draw(st.none() | st.integers(-n, n)),
                                             draw(st.integers(1, 2))),
                      "ints": lambda: ("ints", draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=3))),
                      "column": lambda: ("ints", [[i] for i in draw(st.lists(st.integers(0, n - 1), min_size=2,
                                                                              max_size=2))]),
                      "mask": lambda: ("mask", draw(st.lists(st.booleans(), min_size=n, max_size=n)))}[kind]())
        d += kind not in ("none", "ellipsis")
    return shape, parts


def _mixed(L, parts):
    return tuple(L.tensor(p[1]) if isinstance(p, tuple) else p for p in parts)


@settings(max_examples=40, deadline=None)
@given(case=mixed_indices())
def test_mixed_indices(case):
    """Any mix of ints, slices, None, Ellipsis, int tensors and masks: torch's values, gradient, x[idx] = v, or
    the same error class (tensor indices that do not broadcast together)."""
    shape, parts = case
    x = np.random.default_rng(0).random(shape)
    try:
        torch.ones(shape)[_mixed(torch, parts)]
    except IndexError:
        with pytest.raises(IndexError):
            minigrad.ones(shape)[_mixed(minigrad, parts)]
        return
    out, _ = parity(lambda L, x: x[_mixed(L, parts)], x)
    got = []
    for L in (minigrad, torch):
        z = L.tensor(x)
        z[_mixed(L, parts)] = L.tensor(np.arange(out.shape[-1] if out.ndim else 1, dtype=np.float64) + 10)
        got.append(z.numpy())
    np.testing.assert_array_equal(*got)


def test_setitem_value_with_leading_ones():
    """x[i] = v where v has extra leading size-1 dims (torch drops them), with gradients to x and v."""
    def fn(L, x, v):
        z = x * 1.0
        z[1, 2] = v[None, None, :1]
        z[0] = v[None]
        return z
    parity(fn, np.ones((2, 3)), np.arange(3.0))


def test_zeros_int_then_tensor_index():
    """Issue 11's case: minigrad.zeros(2, 5, 6)[1, :, tensor([0, 1])] has torch's shape (5, 2)."""
    assert minigrad.zeros(2, 5, 6)[1, :, minigrad.tensor([0, 1])].shape == (5, 2)


NAMES = {  # ops that are primitives in both libraries carry torch's node name
    "flip": lambda L, x: x.flip(0), "roll": lambda L, x: x.roll(1, 1),
    "gather": lambda L, x: x.gather(1, L.tensor([[[0]]])),
    "tensor index": lambda L, x: x[1, :, L.tensor([0, 1])], "mask index": lambda L, x: x[x > 0],
}


@pytest.mark.parametrize("name", NAMES)
def test_node_names(name):
    """grad_fn names of the primitive ops equal torch's."""
    m, t = (NAMES[name](L, L.ones(2, 3, 4, requires_grad=True)) for L in (minigrad, torch))
    assert m.grad_fn.name() == t.grad_fn.name()


INPLACE = {
    "masked_fill_": lambda L, x: x.masked_fill_(x > 0.5, -1.0),
    "scatter_": lambda L, x: x.scatter_(1, L.tensor([[2, 0], [1, 2]]), L.tensor([[7.0, 8.0], [9.0, 6.0]])),
    "scatter_ value": lambda L, x: x.scatter_(0, L.tensor([[1, 0, 1]]), 3.5),
    "scatter_add_": lambda L, x: x.scatter_add_(1, L.tensor([[2, 2], [0, 0]]), L.tensor([[7.0, 8.0], [9.0, 6.0]])),
}


@pytest.mark.parametrize("name", INPLACE)
def test_inplace(name):
    """The in-place forms write torch's values into self (seen through a view), bump the version, and rebase
    the gradient's history onto the in-place op."""
    x = np.random.default_rng(1).random((2, 3)).astype(np.float32)
    got = []
    for L in (minigrad, torch):
        a = L.tensor(x, requires_grad=True)
        b = a * 2
        view = b[0]
        out = INPLACE[name](L, b)
        (out * L.tensor(x)).sum().backward()
        got.append((out is b, b._version, view.detach().numpy().copy(), b.detach().numpy(), a.grad.numpy()))
    for m, t in zip(*got):
        np.testing.assert_allclose(m, t)


NAMED = {  # torch's keyword names for shapes, its axis= alias for dim=, and a src larger than index
    "reshape(shape=)": lambda L, x: x.reshape(shape=(3, 2)), "view(size=)": lambda L, x: x.view(size=(6,)),
    "expand(size=)": lambda L, x: x.expand(size=(2, 2, 3)), "permute(dims=)": lambda L, x: x.permute(dims=(1, 0)),
    "repeat(repeats=)": lambda L, x: x.repeat(repeats=(1, 2)), "flip(dims=)": lambda L, x: x.flip(dims=(0, 1)),
    "roll(dims=)": lambda L, x: x.roll(shifts=1, dims=1), "cat(axis=)": lambda L, x: L.cat([x, x], axis=1),
    "stack(axis=)": lambda L, x: L.stack([x, x], axis=-1), "squeeze(axis=)": lambda L, x: x[None].squeeze(axis=0),
    "unsqueeze(axis=)": lambda L, x: x.unsqueeze(axis=1), "chunk(axis=)": lambda L, x: x.chunk(3, axis=1),
    "gather(axis=)": lambda L, x: x.gather(axis=1, index=L.tensor([[2], [0]])),
    "index_select(axis=)": lambda L, x: x.index_select(axis=1, index=L.tensor([2, 2])),
    "scatter(axis=)": lambda L, x: x.scatter(axis=0, index=L.tensor([[1, 0]]), value=5.0),
    "scatter_add(axis=)": lambda L, x: x.scatter_add(axis=1, index=L.tensor([[1, 1, 0], [2, 0, 0]]), src=x),
    "take_along_dim(axis=)": lambda L, x: x.take_along_dim(L.tensor([[1], [2]]), axis=1),
    "one-hot scatter_ (0-d index)": lambda L, x: L.zeros(10).scatter_(0, L.tensor(3), value=1),
    "scatter 0-d index": lambda L, x: x[1].scatter(0, L.tensor(2), x[0, 0]),
    "scatter_add 0-d index": lambda L, x: x[1].scatter_add(0, L.tensor(2), x[0, 0]),
    "gather 0-d index": lambda L, x: x[1].gather(0, L.tensor(2)),
    "gather of 0-d": lambda L, x: x[1, 1].gather(0, L.tensor([0, 0])),
    "scatter of 0-d": lambda L, x: x[1, 1].scatter(0, L.tensor([0]), x[0, :1]),
    "scatter larger src": lambda L, x: x.scatter(1, L.tensor([[1], [0]]), L.tensor(np.arange(6.0).reshape(3, 2))),
    "scatter_add larger src": lambda L, x: x.scatter_add(0, L.tensor([[1, 1]]), L.tensor(np.ones((2, 3)))),
}


@pytest.mark.parametrize("name", NAMED)
def test_named_cases(name):
    """Keyword and alias forms, and src larger than index, give torch's values and gradients."""
    parity(NAMED[name], np.arange(6.0).reshape(2, 3))


def ones(L, *shape):
    return L.torch.ones(*shape)


def idx(L, *values, dtype=None):
    return L.torch.tensor(list(values), dtype=dtype)


ERRORS = [
    ("squeeze of 0-d", lambda L: L.torch.tensor(3.14).squeeze(10), ["Dimension out of range"]),
    ("gather index rank", lambda L: ones(L, 4, 5, 6).gather(0, idx(L, 1)),
     ["Index tensor must have the same number of dimensions as input tensor"]),
    ("gather index size", lambda L: ones(L, 4, 5).gather(0, L.torch.ones(2, 6, dtype=L.torch.int64)),
     ["Size does not match at dimension 1 expected index [2, 6] to be no larger than self [4, 5] apart from "
      "dimension 0"]),
    ("gather negative index", lambda L: ones(L, 4).gather(0, idx(L, -1)),
     ["index -1 is out of bounds for dimension 0"]),
    ("cat of 0-d", lambda L: L.torch.cat([ones(L, 2), L.torch.tensor(1.0)]),
     ["zero-dimensional tensor (at position 1)"]),
    ("cat ranks", lambda L: L.torch.cat([ones(L, 2, 3), ones(L, 2)]),
     ["Tensors must have same number of dimensions: got 2 and 1"]),
    ("cat sizes", lambda L: L.torch.cat([ones(L, 2, 3), ones(L, 3, 2)], 1),
     ["Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1"]),
    ("negative step", lambda L: ones(L, 3)[::-1], ["step must be greater than zero"]),
    ("negative step set", lambda L: ones(L, 3).__setitem__((slice(None, None, -2),), 0.0),
     ["step must be greater than zero"]),
    ("index out of range", lambda L: ones(L, 3)[idx(L, 5)], ["index 5 is out of bounds for dimension 0 with size 3"]),
    ("too many indices", lambda L: ones(L, 3)[None, 0, 0], ["too many indices for tensor of dimension 1"]),
    ("where broadcast", lambda L: L.torch.where(ones(L, 4) > 0, ones(L, 2, 1), ones(L, 3)),
     ["The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 1"]),
    ("expand mismatch", lambda L: ones(L, 4, 5).expand(2, 4, 3),
     ["The expanded size of the tensor (3) must match the existing size (5) at non-singleton dimension 2.  Target "
      "sizes: [2, 4, 3].  Tensor sizes: [4, 5]"]),
    ("reshape -2", lambda L: ones(L, 6).reshape(-2, 3), ["invalid shape dimension -2 at index 0 of shape [-2, 3]"]),
    ("view two -1", lambda L: ones(L, 6).view(-1, -1, 2), ["only one dimension can be inferred"]),
    ("permute range", lambda L: ones(L, 2, 3).permute(0, 5), ["Dimension out of range"]),
    ("chunk negative", lambda L: ones(L, 4).chunk(-1), ["chunk expects `chunks` to be greater than 0, got: -1"]),
    ("flip repeated", lambda L: ones(L, 2, 3).flip(0, 0), ["dim 0 appears multiple times in the list of dims"]),
    ("flip dim", lambda L: ones(L, 2, 3).flip(2), ["Dimension out of range"]),
    ("roll misaligned", lambda L: ones(L, 2, 3).roll((1, 2), 0),
     ["shifts and dimensions must align. shifts: 2, dims:1"]),
    ("roll no shifts", lambda L: ones(L, 2, 3).roll(()), ["`shifts` required"]),
    ("tril 1-D", lambda L: ones(L, 3).tril(), ["tril: input tensor must have at least 2 dimensions"]),
    ("triu 0-d", lambda L: L.torch.tensor(1.0).triu(), ["triu: input tensor must have at least 2 dimensions"]),
    ("masked_fill float mask", lambda L: ones(L, 2, 3).masked_fill(ones(L, 3), 1.0),
     ["masked_fill_ only supports boolean masks, but got mask with dtype float"]),
    ("masked_fill value rank", lambda L: ones(L, 3).masked_fill(ones(L, 3) > 0, ones(L, 2)),
     ["masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s)."]),
    ("masked_fill_ grows", lambda L: ones(L, 3).masked_fill_(ones(L, 2, 3) > 0, 1.0), []),
    ("index_select matrix", lambda L: ones(L, 3).index_select(0, L.torch.tensor([[0]])),
     ["index_select(): Index is supposed to be a vector"]),
    ("index_select float", lambda L: ones(L, 3).index_select(0, idx(L, 0.0)),
     ["index_select(): Expected dtype int32 or int64 for index"]),
    ("index_select range", lambda L: ones(L, 3).index_select(0, idx(L, 3)), ["index out of range in self"]),
    ("index_select negative", lambda L: ones(L, 3).index_select(0, idx(L, -1)), ["index out of range in self"]),
    ("scatter dtype", lambda L: ones(L, 2, 3).scatter(0, L.torch.tensor([[0]]), ones(L, 1, 1).double()),
     ["scatter(): Expected self.dtype to be equal to src.dtype"]),
    ("scatter float index", lambda L: ones(L, 2, 3).scatter(0, L.torch.tensor([[0.0]]), 2.0),
     ["scatter(): Expected dtype int32/int64 for index"]),
    ("scatter range", lambda L: ones(L, 2, 3).scatter(0, L.torch.tensor([[5]]), 2.0),
     ["index 5 is out of bounds for dimension 0 with size 2"]),
    ("scatter rank", lambda L: ones(L, 2, 3).scatter(0, idx(L, 0), 2.0),
     ["Index tensor must have the same number of dimensions as self tensor"]),
    ("scatter 0-d index of 2-D", lambda L: ones(L, 2, 3).scatter(0, L.torch.tensor(1), 2.0),
     ["Index tensor must have the same number of dimensions as self tensor"]),
    ("scatter size", lambda L: ones(L, 2, 3).scatter(0, L.torch.zeros(3, 4, dtype=L.torch.int64), 2.0),
     ["Expected index [3, 4] to be no larger than self [2, 3] apart from dimension 0"]),
    ("scatter_add src size", lambda L: ones(L, 2, 3).scatter_add(0, L.torch.tensor([[0, 1, 0]]), ones(L, 1, 2)),
     ["Expected index [1, 3] to be no larger than self [2, 3] apart from dimension 0 and to be no larger size than "
      "src [1, 2]"]),
    ("take_along_dim rank", lambda L: ones(L, 2, 3).take_along_dim(idx(L, 0, 1), 1),
     ["input and indices should have the same number of dimensions, but got 2 dimensions for input, and 1 "
      "dimensions for indices"]),
    ("take_along_dim float", lambda L: ones(L, 2, 3).take_along_dim(L.torch.tensor([[0.0]]), 1),
     ["dtype of indices should be Long but got Float"]),
]


@pytest.mark.parametrize("desc, fn, words", ERRORS, ids=[c[0] for c in ERRORS])
def test_same_error_as_torch(desc, fn, words):
    check_same_error(fn, words)
