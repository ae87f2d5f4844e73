"""Property-based parity of every differentiable op of issue 2 against real PyTorch.

Each test draws shapes and values with the shared strategies, runs the *same* Python function
`fn(lib, *tensors)` with lib = minigrad and lib = torch, and checks: output structure, shapes, dtypes and
values; then `sum((out * w).sum())` over the differentiable outputs (w: a random upstream gradient) is
back-propagated in both libraries and the gradient of every float input is compared.
"""
import functools
import operator
import warnings

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import minigrad
from strategies import (FLOAT_DTYPES, arrays, basic_indices, broadcastable_shapes, dim, dims,
                        distinct_arrays, grid_arrays, int_index_arrays, keepdims, masks, seeds, shapes,
                        signed_arrays)

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TOL = {"float32": dict(rtol=1e-5, atol=1e-5), "float64": dict(rtol=1e-7, atol=1e-12)}
dtypes = pytest.mark.parametrize("dtype", FLOAT_DTYPES)


def _leaf(lib, a):
    """A tensor of lib holding a copy of a; float arrays become leaves that require grad."""
    t = lib.tensor(np.array(a, copy=True))
    return t.requires_grad_() if a.dtype.kind == "f" else t


def _flat(out):
    if isinstance(out, (tuple, list)):
        return [o for x in out for o in _flat(x)]
    return [out]


def _dtype_name(t):
    return str(t.dtype).split(".")[-1]


def _np(t):
    return t.detach().numpy()


def _close(got, want, what, precision, scale=1.0):
    """Values equal within the tolerance of `precision` (a dtype name; atol scaled by the expected magnitude)."""
    assert got.shape == want.shape, f"{what}: shape {got.shape} != torch's {want.shape}"
    if want.dtype.kind not in "fc":
        np.testing.assert_array_equal(got, want, err_msg=what)
        return
    tol = dict(TOL[precision])
    finite = np.abs(want[np.isfinite(want)])
    tol["atol"] *= scale * max(1.0, float(finite.max()) if finite.size else 1.0)
    np.testing.assert_allclose(got, want, equal_nan=True, err_msg=what, **tol)


def parity(fn, *inputs, seed=0, atol_scale=1.0):
    """Run fn(lib, *tensors) in minigrad and torch; compare outputs and the gradient of every float input.

    numpy arrays among `inputs` become tensors (float ones require grad); anything else is passed as is.
    atol_scale widens the absolute tolerance for results that are sums of many cancelling terms.
    """
    runs = []
    for lib in (minigrad, torch):
        args = [_leaf(lib, a) if isinstance(a, np.ndarray) else a for a in inputs]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = fn(lib, *args)
        outs = _flat(out)
        rng = np.random.default_rng(seed)
        terms = []
        for o in outs:
            if o.requires_grad:
                w = rng.uniform(-1, 1, tuple(o.shape)).astype(_dtype_name(o))
                terms.append((o * lib.tensor(w)).sum())
        if terms:
            functools.reduce(operator.add, terms).backward()
        grads = [a.grad for a in args if isinstance(a, (minigrad.Tensor, torch.Tensor)) and a.requires_grad]
        runs.append((out, outs, grads))
    (m_out, m_outs, m_grads), (t_out, t_outs, t_grads) = runs
    # a computation is only as precise as the least precise float dtype it passes through
    kinds = {a.dtype.name for a in inputs if isinstance(a, np.ndarray)} | {_dtype_name(t) for t in t_outs}
    precision = "float32" if "float32" in kinds else "float64"
    if isinstance(t_out, tuple):
        assert isinstance(m_out, tuple) and len(m_out) == len(t_out), f"got {type(m_out)}, torch {type(t_out)}"
        for field in getattr(t_out, "_fields", ()):  # named tuples: (values, indices)
            assert _np(getattr(m_out, field)).shape == _np(getattr(t_out, field)).shape, field
    assert len(m_outs) == len(t_outs)
    for i, (m, t) in enumerate(zip(m_outs, t_outs)):
        assert _dtype_name(m) == _dtype_name(t), f"output {i}: dtype {m.dtype} != torch's {t.dtype}"
        assert tuple(m.shape) == tuple(t.shape), f"output {i}: shape {tuple(m.shape)} != torch's {tuple(t.shape)}"
        assert m.requires_grad == t.requires_grad, f"output {i}: requires_grad {m.requires_grad}"
        _close(_np(m), _np(t), f"output {i}", precision, atol_scale)
    for i, (m, t) in enumerate(zip(m_grads, t_grads)):
        if t is None:
            assert m is None or not np.any(_np(m)), f"input {i}: torch has no grad"
            continue
        assert m is not None, f"input {i}: minigrad computed no gradient"
        assert _dtype_name(m) == _dtype_name(t), f"input {i}: grad dtype {m.dtype} != torch's {t.dtype}"
        _close(_np(m), _np(t), f"grad of input {i}", precision, atol_scale)
    return m_out, t_out


# ---- elementwise binary ops, broadcasting -----------------------------------------------------------------
BINARY = {
    "add": lambda L, x, y: x + y,
    "add_method": lambda L, x, y: x.add(y),
    "add_fn_alpha": lambda L, x, y: L.add(x, y, alpha=2.5),
    "sub": lambda L, x, y: x - y,
    "sub_method": lambda L, x, y: x.sub(y),
    "sub_fn": lambda L, x, y: L.sub(x, y),
    "mul": lambda L, x, y: x * y,
    "mul_method": lambda L, x, y: x.mul(y),
    "mul_fn": lambda L, x, y: L.mul(x, y),
    "div": lambda L, x, y: x / y,
    "div_method": lambda L, x, y: x.div(y),
    "div_fn": lambda L, x, y: L.div(x, y),
    "pow": lambda L, x, y: x ** y,
    "pow_method": lambda L, x, y: x.pow(y),
    "pow_fn": lambda L, x, y: L.pow(x, y),
}


@dtypes
@pytest.mark.parametrize("op", BINARY)
@SETTINGS
@given(shapes2=broadcastable_shapes(2), seed=seeds, data=st.data())
def test_binary_broadcast(op, dtype, shapes2, seed, data):
    """Elementwise binary ops over broadcasting pairs (0-d and size-1 included); y kept off 0 for /."""
    sx, sy = shapes2
    if op.startswith("pow"):
        x, y = data.draw(arrays(sx, dtype, 0.5, 2.0)), data.draw(arrays(sy, dtype, -2.0, 2.0))
    else:
        x, y = data.draw(arrays(sx, dtype)), data.draw(signed_arrays(sy, dtype, 0.5, 3.0))
    parity(BINARY[op], x, y, seed=seed)


SCALAR = {
    "x+c": lambda L, x, c: x + c, "c+x": lambda L, x, c: c + x,
    "x-c": lambda L, x, c: x - c, "c-x": lambda L, x, c: c - x,
    "x*c": lambda L, x, c: x * c, "c*x": lambda L, x, c: c * x,
    "x/c": lambda L, x, c: x / c, "c/x": lambda L, x, c: c / x,
    "x**c": lambda L, x, c: x ** c, "c**x": lambda L, x, c: c ** x,
    "x.pow(c)": lambda L, x, c: x.pow(c), "pow(x,c)": lambda L, x, c: L.pow(x, c),
    "-x*c": lambda L, x, c: -x * c, "x.neg()*c": lambda L, x, c: x.neg() * c, "neg(x)*c": lambda L, x, c: L.neg(x) * c,
}


@dtypes
@pytest.mark.parametrize("op", SCALAR)
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_scalar_and_reflected(op, dtype, shape, seed, data):
    """Tensor-scalar ops and their reflected forms with Python floats (the result keeps the tensor's dtype)."""
    if "**" in op or "pow" in op:  # powers: positive bases
        x = data.draw(arrays(shape, dtype, 0.5, 2.0))
        c = data.draw(st.floats(0.5, 2.0) if op == "c**x" else st.floats(-2.0, 2.0))
        if op == "c**x":  # float32-exact bases only: see test_rpow_keeps_python_float_base_exact
            c = float(np.float32(c))
    else:
        x = data.draw(signed_arrays(shape, dtype, 0.5, 3.0))
        c = data.draw(st.floats(0.25, 3.0) | st.floats(-3.0, -0.25))
    parity(SCALAR[op], x, c, seed=seed)


@dtypes
@pytest.mark.parametrize("p", [0, 1, 2, 3, -1, 2.0, 0.5])
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_pow_integer_exponents_any_sign(p, dtype, shape, seed, data):
    """x ** p for integral p is defined for negative x too (p = 0.5 only on positive x)."""
    x = data.draw(arrays(shape, dtype, 0.2, 3.0) if p == 0.5 else signed_arrays(shape, dtype, 0.2, 3.0))
    parity(lambda L, x: x ** p, x, seed=seed)


@dtypes
@SETTINGS
@given(shape=shapes(max_dims=3), k=st.integers(1, 4), seed=seeds, data=st.data())
def test_pow_unsqueeze_broadcast_tensor_exponent(dtype, shape, k, seed, data):
    """x.unsqueeze(-1).pow(p) with a float exponent tensor (gradients for both) and int64 p as in the lecture."""
    x = data.draw(arrays(shape, dtype, 0.5, 2.0))
    p = data.draw(arrays((k,), dtype, -2.0, 3.0))
    parity(lambda L, x, p: x.unsqueeze(-1).pow(p), x, p, seed=seed)
    xs = data.draw(signed_arrays(shape, dtype, 0.2, 3.0))
    parity(lambda L, x: x.unsqueeze(-1).pow(L.tensor(list(range(1, k + 1)))), xs, seed=seed)


@pytest.mark.parametrize("dx,dy", [("float32", "float64"), ("float64", "float32")])
@SETTINGS
@given(shapes2=broadcastable_shapes(2), seed=seeds, data=st.data())
def test_mixed_dtype_binary(dx, dy, shapes2, seed, data):
    """float32 op float64: torch's result dtype (a 0-d tensor does not widen an n-d one); grads keep input dtypes."""
    x, y = data.draw(arrays(shapes2[0], dx)), data.draw(signed_arrays(shapes2[1], dy, 0.5, 2.0))
    parity(lambda L, x, y: x * y + x / y - y, x, y, seed=seed)


# ---- unary ops ---------------------------------------------------------------------------------------------
UNARY = {  # name: (domain strategy factory, forms)
    "exp": (lambda s, d: arrays(s, d, -3, 3), ("method", "fn")),
    "log": (lambda s, d: arrays(s, d, 0.1, 5), ("method", "fn")),
    "sqrt": (lambda s, d: arrays(s, d, 0.1, 5), ("method", "fn")),
    "abs": (lambda s, d: signed_arrays(s, d, 0.05, 3), ("method", "fn")),
    "sin": (lambda s, d: arrays(s, d, -5, 5), ("method", "fn")),
    "cos": (lambda s, d: arrays(s, d, -5, 5), ("method", "fn")),
    "tanh": (lambda s, d: arrays(s, d, -5, 5), ("method", "fn")),
    "sigmoid": (lambda s, d: arrays(s, d, -20, 20), ("method", "fn")),
    "relu": (lambda s, d: signed_arrays(s, d, 0.05, 3), ("method", "fn")),
    "neg": (lambda s, d: arrays(s, d), ("method", "fn", "operator")),
}
UNARY_CASES = [(n, f) for n, (_, forms) in UNARY.items() for f in forms]


def _unary_fn(name, form):
    if form == "method":
        return lambda L, x: getattr(x, name)()
    if form == "fn":
        return lambda L, x: getattr(L, name)(x)
    return lambda L, x: -x


@dtypes
@pytest.mark.parametrize("name,form", UNARY_CASES)
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_unary(name, form, dtype, shape, seed, data):
    """Elementwise unary ops in method, function and operator forms, on values inside their smooth domain."""
    x = data.draw(UNARY[name][0](shape, dtype))
    parity(_unary_fn(name, form), x, seed=seed)


@pytest.mark.parametrize("name", ["exp", "sigmoid", "tanh", "relu", "abs", "sin"])
@SETTINGS
@given(shape=shapes(), data=st.data())
def test_unary_on_integer_tensor(name, shape, data):
    """Integer inputs: float ops give the default float dtype; abs/relu keep the integer dtype."""
    x = data.draw(grid_arrays(shape, "float64", 1.0)).astype(np.int64)
    parity(lambda L, x: getattr(x, name)(), x)


@dtypes
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_sigmoid_tanh_large_inputs(dtype, shape, seed, data):
    """Saturated sigmoid/tanh stay finite and match torch (no overflow warnings turning into nan)."""
    x = data.draw(arrays(shape, dtype, -200, 200))
    parity(lambda L, x: x.sigmoid() + x.tanh(), x, seed=seed)


# ---- clamp, maximum/minimum, where ---------------------------------------------------------------------------
@dtypes
@pytest.mark.parametrize("form", ["both", "min", "max", "fn", "clip"])
@SETTINGS
@given(shape=shapes(), lo=st.integers(-6, 2), width=st.integers(0, 6), seed=seeds, data=st.data())
def test_clamp(form, dtype, shape, lo, width, seed, data):
    """clamp with min, max or both; inputs on a grid offset from the bounds so no value sits on a bound."""
    x = data.draw(grid_arrays(shape, dtype, 0.5, 0.25, k=10))
    a, b = lo * 0.5, (lo + width) * 0.5
    fns = {"both": lambda L, x: x.clamp(a, b), "min": lambda L, x: x.clamp(min=a),
           "max": lambda L, x: x.clamp(max=b), "fn": lambda L, x: L.clamp(x, min=a, max=b),
           "clip": lambda L, x: x.clip(a, b)}
    parity(fns[form], x, seed=seed)


MINMAX2 = {
    "maximum": lambda L, x, y: L.maximum(x, y), "minimum": lambda L, x, y: L.minimum(x, y),
    "maximum_method": lambda L, x, y: x.maximum(y), "minimum_method": lambda L, x, y: x.minimum(y),
    "max_binary": lambda L, x, y: L.max(x, y), "min_binary": lambda L, x, y: x.min(y),
}


@dtypes
@pytest.mark.parametrize("op", MINMAX2)
@SETTINGS
@given(shapes2=broadcastable_shapes(2), seed=seeds, data=st.data())
def test_maximum_minimum(op, dtype, shapes2, seed, data):
    """Elementwise max/min over broadcasting pairs; operands on interleaved grids, so never tied."""
    x = data.draw(grid_arrays(shapes2[0], dtype, 0.5, 0.0))
    y = data.draw(grid_arrays(shapes2[1], dtype, 0.5, 0.25))
    parity(MINMAX2[op], x, y, seed=seed)


@dtypes
@pytest.mark.parametrize("op", ["maximum", "minimum"])
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_maximum_minimum_ties_split_gradient(op, dtype, shape, seed, data):
    """On exact ties torch sends half of the gradient to each operand."""
    x = data.draw(grid_arrays(shape, dtype, 1.0, k=2))
    y = data.draw(grid_arrays(shape, dtype, 1.0, k=2))
    parity(MINMAX2[op], x, y, seed=seed)


@dtypes
@SETTINGS
@given(shapes3=broadcastable_shapes(3), seed=seeds, data=st.data())
def test_where(dtype, shapes3, seed, data):
    """where(cond, x, y) with cond, x and y broadcasting against each other."""
    c = data.draw(masks(shapes3[0]))
    x, y = data.draw(arrays(shapes3[1], dtype)), data.draw(arrays(shapes3[2], dtype))
    parity(lambda L, c, x, y: L.where(c, x, y), c, x, y, seed=seed)
    parity(lambda L, x, y: L.where(x > 0, x, y * 2), x, y, seed=seed)


# ---- matmul ---------------------------------------------------------------------------------------------------
MATMUL_FORMS = {"op": lambda L, a, b: a @ b, "method": lambda L, a, b: a.matmul(b),
                "fn": lambda L, a, b: L.matmul(a, b)}


@st.composite
def matmul_shapes(draw):
    """Operand shapes for matmul: 1-D/2-D/batched on either side, batch dims broadcasting."""
    n, k, m = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    ba, bb = draw(broadcastable_shapes(2, max_dims=2))
    kind_a, kind_b = draw(st.sampled_from(["1d", "2d", "nd"])), draw(st.sampled_from(["1d", "2d", "nd"]))
    a = {"1d": (k,), "2d": (n, k), "nd": ba + (n, k)}[kind_a]
    b = {"1d": (k,), "2d": (k, m), "nd": bb + (k, m)}[kind_b]
    return a, b


@dtypes
@pytest.mark.parametrize("form", MATMUL_FORMS)
@SETTINGS
@given(ab=matmul_shapes(), seed=seeds, data=st.data())
def test_matmul(form, dtype, ab, seed, data):
    """matmul of 1-D, 2-D and batched operands (batch dims broadcast), every form."""
    a, b = data.draw(arrays(ab[0], dtype)), data.draw(arrays(ab[1], dtype))
    parity(MATMUL_FORMS[form], a, b, seed=seed)


@dtypes
@SETTINGS
@given(n=st.integers(1, 4), k=st.integers(1, 4), m=st.integers(1, 4), seed=seeds, data=st.data())
def test_mm_and_linear_pattern(dtype, n, k, m, seed, data):
    """mm and the x @ w.T + b pattern of a linear layer."""
    x, w, b = (data.draw(arrays(s, dtype)) for s in ((n, k), (m, k), (m,)))
    parity(lambda L, x, w, b: x.mm(w.T) + b, x, w, b, seed=seed)
    parity(lambda L, x, w, b: L.mm(x, w.t()) + b, x, w, b, seed=seed)


# ---- reductions -----------------------------------------------------------------------------------------------
def _reduce_dims(data, shape, **kw):
    """A dim argument for a reduction; None for 0-d tensors (dims on 0-d: see test_reduce_0d_with_dim)."""
    return data.draw(dims(len(shape), **kw)) if shape else None


def _reduce_call(L, x, name, d, keep, form):
    if form == "fn":
        return getattr(L, name)(x) if d is None and not keep else getattr(L, name)(x, d, keepdim=keep)
    if d is None and not keep:
        return getattr(x, name)()
    return getattr(x, name)(dim=d, keepdim=keep)


@dtypes
@pytest.mark.parametrize("name", ["sum", "mean"])
@pytest.mark.parametrize("form", ["method", "fn"])
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_sum_mean(name, form, dtype, shape, seed, data):
    """sum/mean over all dims, one dim or a tuple of dims (negative dims included), keepdim or not."""
    x = data.draw(arrays(shape, dtype))
    d, keep = _reduce_dims(data, shape), data.draw(keepdims)
    parity(lambda L, x: _reduce_call(L, x, name, d, keep, form), x, seed=seed)


@dtypes
@pytest.mark.parametrize("name", ["max", "min"])
@SETTINGS
@given(shape=shapes(min_dims=1), seed=seeds, data=st.data())
def test_max_min_global_and_dim(name, dtype, shape, seed, data):
    """max()/min() over everything, and max(dim) -> (values, indices) named tuple, on distinct values."""
    x = data.draw(distinct_arrays(shape, dtype))
    d, keep = data.draw(dim(len(shape))), data.draw(keepdims)
    parity(lambda L, x: getattr(x, name)(), x, seed=seed)
    parity(lambda L, x: getattr(L, name)(x), x, seed=seed)
    m, t = parity(lambda L, x: getattr(x, name)(d, keep), x, seed=seed)
    np.testing.assert_array_equal(_np(m.indices), _np(t.indices))
    parity(lambda L, x: getattr(L, name)(x, dim=d, keepdim=keep), x, seed=seed)
    parity(lambda L, x: getattr(x, name)(d, keepdim=keep).values * 2, x, seed=seed)


@dtypes
@pytest.mark.parametrize("name", ["max", "min", "amax", "amin"])
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_extremes_with_ties_share_gradient(name, dtype, shape, seed, data):
    """Full max/min and amax/amin spread the gradient evenly over tied extremes, as torch does."""
    x = data.draw(grid_arrays(shape, dtype, 1.0, k=1))
    parity(lambda L, x: getattr(x, name)(), x, seed=seed)


@dtypes
@pytest.mark.parametrize("name", ["amax", "amin"])
@SETTINGS
@given(shape=shapes(min_dims=1), seed=seeds, data=st.data())
def test_amax_amin(name, dtype, shape, seed, data):
    """amax/amin over an int dim or a tuple of dims, keepdim or not."""
    x = data.draw(distinct_arrays(shape, dtype))
    d, keep = data.draw(dims(len(shape), allow_none=False)), data.draw(keepdims)
    parity(lambda L, x: getattr(x, name)(d, keepdim=keep), x, seed=seed)
    parity(lambda L, x: getattr(L, name)(x, d, keep), x, seed=seed)


@dtypes
@pytest.mark.parametrize("name", ["argmax", "argmin"])
@SETTINGS
@given(shape=shapes(), data=st.data())
def test_argmax_argmin(name, dtype, shape, data):
    """argmax/argmin over the flattened tensor or one dim; int64 indices identical to torch's."""
    x = data.draw(distinct_arrays(shape, dtype))
    d, keep = data.draw(dim(len(shape))), data.draw(keepdims)
    parity(lambda L, x: getattr(x, name)(), x)
    parity(lambda L, x: getattr(L, name)(x), x)
    parity(lambda L, x: getattr(x, name)(d, keep), x)
    parity(lambda L, x: getattr(L, name)(x, dim=d, keepdim=keep), x)


@dtypes
@pytest.mark.parametrize("name", ["std", "var"])
@SETTINGS
@given(shape=shapes(), correction=st.sampled_from([0, 1]), seed=seeds, data=st.data())
def test_std_var(name, dtype, shape, correction, seed, data):
    """std/var over all dims, a dim or a tuple, unbiased or not (only where enough elements remain)."""
    x = data.draw(distinct_arrays(shape, dtype, spacing=0.3))
    d, keep = _reduce_dims(data, shape), data.draw(keepdims)
    ax = range(len(shape)) if d is None else [a % len(shape) for a in ((d,) if isinstance(d, int) else d)]
    # std is not differentiable where it is 0 (a single element with correction 0): torch picks 0, so skip it
    assume(int(np.prod([shape[a] for a in ax])) > max(correction, name == "std"))
    parity(lambda L, x: getattr(x, name)(d, keepdim=keep, unbiased=bool(correction)), x, seed=seed)
    parity(lambda L, x: getattr(x, name)(d, correction=correction, keepdim=keep), x, seed=seed)
    if d is None:
        parity(lambda L, x: getattr(L, name)(x, unbiased=bool(correction)), x, seed=seed)


# ---- softmax --------------------------------------------------------------------------------------------------
SOFTMAX_FORMS = {
    "softmax": lambda L, x, d: x.softmax(d), "softmax_fn": lambda L, x, d: L.softmax(x, d),
    "softmax_kw": lambda L, x, d: x.softmax(dim=d),
    "log_softmax": lambda L, x, d: x.log_softmax(d), "log_softmax_fn": lambda L, x, d: L.log_softmax(x, dim=d),
}


@dtypes
@pytest.mark.parametrize("form", SOFTMAX_FORMS)
@pytest.mark.parametrize("scale", [5.0, 1000.0])
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_softmax_log_softmax(form, scale, dtype, shape, seed, data):
    """softmax/log_softmax along any dim (negative ones too); scale 1000 checks numerical stability."""
    x = data.draw(arrays(shape, dtype, -scale, scale))
    d = data.draw(dim(len(shape)))
    parity(lambda L, x: SOFTMAX_FORMS[form](L, x, d), x, seed=seed)


# ---- shape ops ------------------------------------------------------------------------------------------------
@st.composite
def reshape_targets(draw, shape):
    """A shape with the same number of elements: reversed, flat, with -1, or with extra size-1 dims."""
    n = int(np.prod(shape))
    opts = [tuple(reversed(shape)), (n,), (-1,), (1, -1), tuple(shape) + (1,), (1,) + tuple(shape), ()]
    if n != 1:
        opts.pop()
    t = list(draw(st.sampled_from(opts)))
    if t and -1 not in t and draw(st.booleans()):
        t[draw(st.integers(0, len(t) - 1))] = -1
    return tuple(t)


@dtypes
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_reshape_view_flatten(dtype, shape, seed, data):
    """reshape/view (with -1), view_as and flatten over generated dims."""
    x = data.draw(arrays(shape, dtype))
    target = data.draw(reshape_targets(shape))
    parity(lambda L, x: x.reshape(target), x, seed=seed)
    parity(lambda L, x: x.reshape(*target) if target else x.reshape(()), x, seed=seed)
    parity(lambda L, x: L.reshape(x, target), x, seed=seed)
    parity(lambda L, x: x.view(-1), x, seed=seed)
    parity(lambda L, x: x.view(target), x, seed=seed)
    other = data.draw(arrays(np.empty(shape).reshape(target).shape, dtype))
    parity(lambda L, x, o: x.view_as(o) * o, x, other, seed=seed)
    nd = max(len(shape), 1)
    s, e = sorted(data.draw(st.tuples(dim(len(shape)), dim(len(shape)))), key=lambda v: v % nd)
    parity(lambda L, x: x.flatten(), x, seed=seed)
    parity(lambda L, x: x.flatten(s, e), x, seed=seed)
    parity(lambda L, x: L.flatten(x, start_dim=s, end_dim=e), x, seed=seed)


@dtypes
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_unsqueeze_squeeze(dtype, shape, seed, data):
    """unsqueeze at every valid position; squeeze() and squeeze(dim) (dims of size 1 and not)."""
    x = data.draw(arrays(shape, dtype))
    u = data.draw(st.integers(-len(shape) - 1, len(shape)))
    d = data.draw(dim(len(shape)))
    parity(lambda L, x: x.unsqueeze(u), x, seed=seed)
    parity(lambda L, x: L.unsqueeze(x, u), x, seed=seed)
    parity(lambda L, x: x.squeeze(), x, seed=seed)
    parity(lambda L, x: x.squeeze(d), x, seed=seed)
    parity(lambda L, x: L.squeeze(x, d), x, seed=seed)
    parity(lambda L, x: x.unsqueeze(u).squeeze(u), x, seed=seed)


@dtypes
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_transpose_permute_T(dtype, shape, seed, data):
    """transpose(d0, d1), permute (tuple and varargs), t() and T (all dims reversed)."""
    x = data.draw(arrays(shape, dtype))
    d0, d1 = data.draw(dim(len(shape))), data.draw(dim(len(shape)))
    perm = data.draw(st.permutations(range(len(shape))))
    if shape:  # transpose of a 0-d tensor: see test_transpose_0d
        parity(lambda L, x: x.transpose(d0, d1), x, seed=seed)
        parity(lambda L, x: L.transpose(x, d0, d1), x, seed=seed)
    parity(lambda L, x: x.permute(tuple(perm)), x, seed=seed)
    parity(lambda L, x: x.permute(*perm) if perm else x.permute(()), x, seed=seed)
    parity(lambda L, x: L.permute(x, tuple(perm)), x, seed=seed)
    parity(lambda L, x: x.T, x, seed=seed)
    if len(shape) <= 2:
        parity(lambda L, x: x.t(), x, seed=seed)
        parity(lambda L, x: L.t(x), x, seed=seed)


@dtypes
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_expand_repeat(dtype, shape, seed, data):
    """expand (size-1 dims grown, new leading dims, -1 kept) and repeat (extra leading repeats) sum grads back."""
    x = data.draw(arrays(shape, dtype))
    lead = data.draw(st.lists(st.integers(1, 3), max_size=2))
    grown = [data.draw(st.integers(1, 3)) if s == 1 else data.draw(st.sampled_from([s, -1])) for s in shape]
    parity(lambda L, x: x.expand(*lead, *grown) if lead or grown else x.expand(()), x, seed=seed)
    parity(lambda L, x: x.expand(tuple(lead + grown)), x, seed=seed)
    other = data.draw(arrays(tuple(lead) + tuple(g if g != -1 else s for g, s in zip(grown, shape)), dtype))
    parity(lambda L, x, o: x.expand_as(o) * o, x, other, seed=seed)
    reps = tuple(data.draw(st.lists(st.integers(1, 3), min_size=len(shape), max_size=len(shape) + 2)))
    parity(lambda L, x: x.repeat(reps) if reps else x.repeat(()), x, seed=seed)
    if reps:
        parity(lambda L, x: x.repeat(*reps), x, seed=seed)


# ---- indexing -------------------------------------------------------------------------------------------------
@dtypes
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_basic_indexing(dtype, shape, seed, data):
    """Indexing with ints, forward slices (steps included), None and Ellipsis."""
    x = data.draw(arrays(shape, dtype))
    idx = data.draw(basic_indices(shape))
    parity(lambda L, x: x[idx], x, seed=seed)


@dtypes
@SETTINGS
@given(shape=shapes(min_dims=1), seed=seeds, data=st.data())
def test_bool_mask_indexing(dtype, shape, seed, data):
    """x[mask] with a full-shape mask, a mask over leading dims, and x[x > 0]."""
    x = data.draw(arrays(shape, dtype))
    lead = data.draw(st.integers(1, len(shape)))
    full, part = data.draw(masks(shape)), data.draw(masks(shape[:lead]))
    parity(lambda L, x, m: x[m], x, full, seed=seed)
    parity(lambda L, x, m: x[m], x, part, seed=seed)
    parity(lambda L, x: x[x > 0] * 3, x, seed=seed)


@dtypes
@SETTINGS
@given(shape=shapes(min_dims=1), seed=seeds, data=st.data())
def test_integer_tensor_indexing_accumulates(dtype, shape, seed, data):
    """Integer-tensor indices (repeats and negatives) along dim 0 and a later dim, lists, and index pairs."""
    x = data.draw(arrays(shape, dtype))
    d = data.draw(st.integers(0, len(shape) - 1))
    i0 = data.draw(int_index_arrays(shape[0]))
    idn = data.draw(int_index_arrays(shape[d]))
    parity(lambda L, x, i: x[i], x, i0, seed=seed)
    parity(lambda L, x: x[i0.tolist()], x, seed=seed)
    parity(lambda L, x, i: x[(slice(None),) * d + (i,)], x, idn, seed=seed)
    parity(lambda L, x, i: x[..., i] if d == len(shape) - 1 else x[i], x, idn if d == len(shape) - 1 else i0,
           seed=seed)
    if len(shape) >= 2:
        j = data.draw(int_index_arrays(shape[1], max_len=len(i0)).filter(lambda a: len(a) == len(i0)) |
                      st.just(np.zeros(len(i0), np.int64)))
        parity(lambda L, x, i, j: x[i, j], x, i0, j, seed=seed)
        parity(lambda L, x, i: x[i, 1:], x, i0, seed=seed)


@dtypes
@SETTINGS
@given(shape=shapes(min_dims=1), seed=seeds, data=st.data())
def test_index_with_zero_d_int_tensor(dtype, shape, seed, data):
    """A 0-d int64 tensor indexes like an int (the `classes[t]` pattern on tensors)."""
    x = data.draw(arrays(shape, dtype))
    i = np.array(data.draw(st.integers(-shape[0], shape[0] - 1)), dtype=np.int64)
    parity(lambda L, x, i: x[i], x, i, seed=seed)


# ---- joining and splitting ------------------------------------------------------------------------------------
@dtypes
@SETTINGS
@given(shape=shapes(min_dims=1), n=st.integers(1, 3), seed=seeds, data=st.data())
def test_cat(dtype, shape, n, seed, data):
    """cat of 1-3 tensors differing along dim (every form: cat, concat)."""
    d = data.draw(dim(len(shape)))
    ax = d % len(shape)
    xs = [data.draw(arrays(shape[:ax] + (data.draw(st.integers(1, 3)),) + shape[ax + 1:], dtype)) for _ in range(n)]
    parity(lambda L, *ts: L.cat(ts, d), *xs, seed=seed)
    parity(lambda L, *ts: L.cat(list(ts), dim=d) * 2, *xs, seed=seed)
    parity(lambda L, *ts: L.concat(ts, dim=d), *xs, seed=seed)


@dtypes
@SETTINGS
@given(shape=shapes(), n=st.integers(1, 3), seed=seeds, data=st.data())
def test_stack(dtype, shape, n, seed, data):
    """stack of 1-3 same-shaped tensors (0-d included) along any new dim."""
    d = data.draw(st.integers(-len(shape) - 1, len(shape)))
    xs = [data.draw(arrays(shape, dtype)) for _ in range(n)]
    parity(lambda L, *ts: L.stack(ts, d), *xs, seed=seed)
    parity(lambda L, *ts: L.stack(list(ts), dim=d), *xs, seed=seed)


@dtypes
@SETTINGS
@given(shape=shapes(min_dims=1), seed=seeds, data=st.data())
def test_split_chunk(dtype, shape, seed, data):
    """split(int), split(list of sizes) and chunk(n) along any dim; every piece gets its own upstream grad."""
    x = data.draw(arrays(shape, dtype))
    d = data.draw(dim(len(shape)))
    n = shape[d % len(shape)]
    size = data.draw(st.integers(1, n + 1))
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=3)))
    sizes = [b - a for a, b in zip([0] + cuts, cuts + [n])]
    chunks = data.draw(st.integers(1, n + 1))
    parity(lambda L, x: x.split(size, d), x, seed=seed)
    parity(lambda L, x: L.split(x, size, dim=d), x, seed=seed)
    parity(lambda L, x: x.split(sizes, d), x, seed=seed)
    parity(lambda L, x: x.chunk(chunks, d), x, seed=seed)
    parity(lambda L, x: L.chunk(x, chunks, dim=d), x, seed=seed)


@dtypes
@SETTINGS
@given(shape=shapes(min_dims=1), seed=seeds, data=st.data())
def test_gather(dtype, shape, seed, data):
    """gather along any dim with an index no larger than the input; repeated positions accumulate."""
    x = data.draw(arrays(shape, dtype))
    d = data.draw(dim(len(shape)))
    ax = d % len(shape)
    # other dims as large as the input's (smaller ones: see test_gather_smaller_index)
    ishape = tuple(data.draw(st.integers(1, 4)) if i == ax else s for i, s in enumerate(shape))
    idx = data.draw(arrays(ishape, "float64", 0, shape[ax] - 1e-9)).astype(np.int64)
    parity(lambda L, x, i: x.gather(d, i), x, idx, seed=seed)
    parity(lambda L, x, i: L.gather(x, d, i), x, idx, seed=seed)


# ---- dtype conversion -----------------------------------------------------------------------------------------
@dtypes
@pytest.mark.parametrize("conv", ["to32", "to64", "float", "double", "to_kw"])
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_to_dtype(conv, dtype, shape, seed, data):
    """to(dtype)/float()/double() are differentiable casts (integer casts: see test_cast_to_integer_cuts_graph)."""
    x = data.draw(arrays(shape, dtype, -50, 50))
    fns = {"to32": lambda L, x: x.to(L.float32) * x.to(L.float32), "to64": lambda L, x: x.to(L.float64) * 3,
           "float": lambda L, x: x.float().exp(), "double": lambda L, x: x.double().sin(),
           "to_kw": lambda L, x: x.to(dtype=L.float64) + x.to("cpu")}
    parity(fns[conv], x, seed=seed)


# ---- a composite: the lecture's polynomial fit -------------------------------------------------------------
@dtypes
@SETTINGS
@given(n=st.integers(1, 50), seed=seeds, data=st.data())
def test_polynomial_fit_step(dtype, n, seed, data):
    """One step of the lecture's y = a + b x + c x^2 + d x^3 fit: 0-d parameters against n-d data."""
    x = np.linspace(-np.pi, np.pi, n).astype(dtype)
    params = [np.array(data.draw(st.floats(-1, 1)), dtype=dtype) for _ in range(4)]

    def step(L, a, b, c, d):
        xt = L.tensor(x)
        y = L.sin(xt)
        pred = a + b * xt + c * xt ** 2 + d * xt ** 3
        return (pred - y).pow(2).sum()
    parity(step, *params, seed=seed, atol_scale=100 * n)  # the loss sums n squared residuals of size ~30

    def features(L, w):
        xx = L.tensor(x).unsqueeze(-1).pow(L.tensor([1, 2, 3]))
        return (xx @ w).flatten()
    parity(features, data.draw(arrays((3,), dtype)), seed=seed)


# ---- regressions: bugs the property tests found once -------------------------------------------------------


def test_rpow_keeps_python_float_base_exact():
    """c ** x for a float64 x uses c at full double precision, as torch does."""
    parity(lambda L, x: 1.2006911819034776 ** x, np.array([1.0, 0.5, -2.0]))


@dtypes
def test_builtin_abs(dtype):
    """abs(t) is t.abs()."""
    parity(lambda L, x: abs(x), np.array([-1.5, 2.0, -0.25], dtype=dtype))


REDUCE_0D = {
    "sum": lambda L, x: x.sum(0), "sum_keepdim": lambda L, x: x.sum(-1, keepdim=True),
    "sum_tuple": lambda L, x: x.sum((0,)), "mean": lambda L, x: x.mean(-1), "max": lambda L, x: x.max(0),
    "min": lambda L, x: x.min(-1, keepdim=True), "amax": lambda L, x: x.amax(0), "amin": lambda L, x: x.amin((0,)),
    "var": lambda L, x: x.var(0, correction=0), "gather": lambda L, x: x.gather(0, L.tensor(0)),
}


@pytest.mark.parametrize("op", REDUCE_0D)
def test_reduce_0d_with_dim(op):
    """sum/mean/max/min/amax/amin/var/gather accept dim 0 and -1 on 0-d tensors."""
    parity(REDUCE_0D[op], np.array(1.5))


def test_transpose_0d():
    """x.transpose(0, -1) of a 0-d tensor is x."""
    parity(lambda L, x: x.transpose(0, -1) * 2, np.array(1.5))


@dtypes
def test_gather_smaller_index(dtype):
    """torch.gather's output has the index's shape even where it is smaller than the input's."""
    x = np.arange(12, dtype=dtype).reshape(3, 4)
    parity(lambda L, x, i: x.gather(1, i), x, np.array([[0, 0], [3, 1]]))


@pytest.mark.parametrize("conv", ["long", "int", "bool", "to_int64"])
def test_cast_to_integer_cuts_graph(conv):
    """x.long()/int()/bool()/to(int64) of a float leaf give tensors that do not require grad."""
    fns = {"long": lambda L, x: x.long(), "int": lambda L, x: x.int(), "bool": lambda L, x: x.bool(),
           "to_int64": lambda L, x: x.to(L.int64)}
    parity(fns[conv], np.array([1.7, -2.2, 0.0], dtype=np.float32))
