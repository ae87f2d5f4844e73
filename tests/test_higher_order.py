"""Second-order parity against real PyTorch (issue 10): Hessian-vector products of every differentiable op.

`hvp_parity(fn, *inputs)` runs the same `fn(lib, *tensors)` with lib = minigrad and lib = torch. Both reduce
the outputs to a scalar f = sum(w1 * out + w2 * out * out) (random weights w1, w2; the square keeps the
second derivative of linear ops such as indexing or sum from being trivially zero), take
g = autograd.grad(f, xs, create_graph=True), then h = sum_i <g_i, v_i> for random v_i and
autograd.grad(h, xs): the Hessian-vector product w.r.t. every input, compared with rtol 1e-6 in float64.
"""
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import minigrad
from strategies import (arrays, basic_indices, broadcastable_shapes, class_targets, conv2d_cases, dim,
                        distinct_arrays, int_index_arrays, masks, pool2d_cases, seeds, shapes, signed_arrays)

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RTOL = 1e-6


def _leaf(lib, a):
    t = lib.tensor(np.array(a, copy=True))
    return t.requires_grad_() if a.dtype.kind == "f" else t


def _flat(out):
    if isinstance(out, (tuple, list)):
        return [o for x in out for o in _flat(x)]
    return [out]


def _np(t, shape):
    return np.zeros(shape) if t is None else t.detach().numpy()


def _close(got, want, what):
    assert got.shape == want.shape, f"{what}: shape {got.shape} != torch's {want.shape}"
    atol = 1e-9 * max(1.0, float(np.abs(want).max()) if want.size else 1.0)
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=atol, err_msg=what)


def _second_order(lib, fn, inputs, seed):
    """(first-order grads, Hessian-vector products) of the weighted scalar of fn's outputs, in lib."""
    args = [_leaf(lib, a) if isinstance(a, np.ndarray) else a for a in inputs]
    xs = [a for a in args if isinstance(a, (minigrad.Tensor, torch.Tensor)) and a.requires_grad]
    rng = np.random.default_rng(seed)
    f = 0
    for o in _flat(fn(lib, *args)):
        if o.requires_grad:
            w1, w2 = (lib.tensor(rng.uniform(-1, 1, tuple(o.shape))) for _ in range(2))
            f = f + (o * w1 + o * o * w2).sum()
    g = lib.autograd.grad(f, xs, create_graph=True, allow_unused=True)
    h = 0
    for x, gi in zip(xs, g):
        v = lib.tensor(rng.uniform(-1, 1, tuple(x.shape)))
        if gi is not None:
            h = h + (gi * v).sum()
    if not isinstance(h, (minigrad.Tensor, torch.Tensor)) or not h.requires_grad:
        return g, [None] * len(xs), xs
    return g, lib.autograd.grad(h, xs, allow_unused=True), xs


def hvp_parity(fn, *inputs, seed=0):
    """Assert minigrad's gradients and Hessian-vector products of fn equal torch's, w.r.t. every float input."""
    (mg, mh, mx), (tg, th, tx) = (_second_order(lib, fn, inputs, seed) for lib in (minigrad, torch))
    assert any(t is not None for t in th), "test is vacuous: torch's Hessian-vector product is None"
    for i, x in enumerate(tx):
        shape = tuple(x.shape)
        assert mg[i] is None or mg[i].requires_grad or tg[i] is None or not tg[i].requires_grad, \
            f"input {i}: create_graph=True gave a gradient without a graph"
        _close(_np(mg[i], shape), _np(tg[i], shape), f"grad of input {i}")
        _close(_np(mh[i], shape), _np(th[i], shape), f"Hessian-vector product w.r.t. input {i}")


# ---- elementwise ----------------------------------------------------------------------------------------------
BINARY = {
    "add": lambda L, x, y: x + y, "add_alpha": lambda L, x, y: L.add(x, y, alpha=2.5), "sub": lambda L, x, y: x - y,
    "mul": lambda L, x, y: x * y, "div": lambda L, x, y: x / y, "maximum": lambda L, x, y: L.maximum(x, y),
    "minimum": lambda L, x, y: L.minimum(x, y), "pow": lambda L, x, y: x.abs() ** y,
}


@pytest.mark.parametrize("op", BINARY)
@SETTINGS
@given(shapes2=broadcastable_shapes(2), seed=seeds, data=st.data())
def test_binary(op, shapes2, seed, data):
    """Binary ops over broadcasting pairs (the gradient's unbroadcast sum must be differentiable too)."""
    if op in ("maximum", "minimum"):  # interleaved grids: never tied
        x, y = data.draw(distinct_arrays(shapes2[0], spacing=0.5)), data.draw(distinct_arrays(shapes2[1], spacing=0.5,
                                                                                               offset=0.25))
    else:
        x, y = data.draw(signed_arrays(shapes2[0], lo=0.5, hi=2.0)), data.draw(signed_arrays(shapes2[1], lo=0.5,
                                                                                             hi=2.0))
    hvp_parity(BINARY[op], x, y, seed=seed)


SCALAR = {
    "x+c": lambda L, x: x + 1.5, "c-x": lambda L, x: 2.0 - x, "x*c": lambda L, x: x * -1.5,
    "c/x": lambda L, x: 2.0 / x, "x**3": lambda L, x: x ** 3, "x**-2": lambda L, x: x ** -2,
    "x**0.5": lambda L, x: x.abs() ** 0.5, "c**x": lambda L, x: 1.7 ** x, "neg": lambda L, x: -x,
    "square": lambda L, x: x.square(),
}


@pytest.mark.parametrize("op", SCALAR)
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_scalar_ops(op, shape, seed, data):
    """Tensor-scalar ops, reflected forms and powers with integer, negative and fractional exponents."""
    hvp_parity(SCALAR[op], data.draw(signed_arrays(shape, lo=0.3, hi=2.0)), seed=seed)


UNARY = {  # name: domain
    "exp": lambda s: arrays(s, lo=-2, hi=2), "log": lambda s: arrays(s, lo=0.2, hi=4),
    "sqrt": lambda s: arrays(s, lo=0.2, hi=4), "sin": lambda s: arrays(s, lo=-4, hi=4),
    "cos": lambda s: arrays(s, lo=-4, hi=4), "tanh": lambda s: arrays(s, lo=-3, hi=3),
    "sigmoid": lambda s: arrays(s, lo=-6, hi=6), "abs": lambda s: signed_arrays(s, lo=0.1),
    "relu": lambda s: signed_arrays(s, lo=0.1),
}


@pytest.mark.parametrize("name", UNARY)
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_unary(name, shape, seed, data):
    """Elementwise unary ops, method and function forms."""
    x = data.draw(UNARY[name](shape))
    hvp_parity(lambda L, x: getattr(x, name)() + getattr(L, name)(x) * 0.5, x, seed=seed)


@SETTINGS
@given(shape=shapes(), lo=st.integers(-4, 1), width=st.integers(1, 4), seed=seeds, data=st.data())
def test_clamp(shape, lo, width, seed, data):
    """clamp with both bounds and with one (inputs never on a bound)."""
    x = data.draw(distinct_arrays(shape, spacing=0.5, offset=0.25))
    a, b = lo * 0.5, (lo + width) * 0.5
    hvp_parity(lambda L, x: x.clamp(a, b) * x + x.clamp(min=a) + x.clamp(max=b), x, seed=seed)


@SETTINGS
@given(shapes3=broadcastable_shapes(3), seed=seeds, data=st.data())
def test_where(shapes3, seed, data):
    """where(cond, x, y) with broadcasting condition and operands."""
    c, x, y = data.draw(masks(shapes3[0])), data.draw(arrays(shapes3[1])), data.draw(arrays(shapes3[2]))
    hvp_parity(lambda L, c, x, y: L.where(c, x * y, y.exp()), c, x, y, seed=seed)


# ---- reductions -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["sum", "mean", "var", "std", "amax", "amin", "max", "min"])
@SETTINGS
@given(shape=shapes(min_dims=1), keep=st.booleans(), seed=seeds, data=st.data())
def test_reductions(name, shape, keep, seed, data):
    """Reductions over everything and over one dim (max/min(dim) give (values, indices)), on distinct values."""
    x = data.draw(distinct_arrays(shape, spacing=0.3))
    d = data.draw(dim(len(shape)))
    if name in ("var", "std") and shape[d] < 2:
        d = None
    if name in ("max", "min"):
        hvp_parity(lambda L, x: (getattr(x, name)(), getattr(x, name)(d, keep).values), x, seed=seed)
    elif d is None:
        hvp_parity(lambda L, x: getattr(x, name)(), x, seed=seed)
    else:
        hvp_parity(lambda L, x: (getattr(x, name)(), getattr(x, name)(d, keepdim=keep)), x, seed=seed)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@SETTINGS
@given(shape=shapes(min_dims=1), seed=seeds, data=st.data())
def test_softmax(name, shape, seed, data):
    """softmax / log_softmax along any dim, method and function forms."""
    x = data.draw(arrays(shape, lo=-4, hi=4))
    d = data.draw(dim(len(shape)))
    hvp_parity(lambda L, x: (getattr(x, name)(d), getattr(L, name)(x, d)), x, seed=seed)


# ---- linear algebra -------------------------------------------------------------------------------------------
@st.composite
def matmul_shapes(draw):
    """Operand shapes for matmul: 1-D/2-D/batched on either side, batch dims broadcasting."""
    n, k, m = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    ba, bb = draw(broadcastable_shapes(2, max_dims=2, max_side=3))
    kind_a, kind_b = draw(st.sampled_from(["1d", "2d", "nd"])), draw(st.sampled_from(["1d", "2d", "nd"]))
    return ({"1d": (k,), "2d": (n, k), "nd": ba + (n, k)}[kind_a], {"1d": (k,), "2d": (k, m), "nd": bb + (k, m)}[kind_b])


@SETTINGS
@given(ab=matmul_shapes(), seed=seeds, data=st.data())
def test_matmul(ab, seed, data):
    """matmul of 1-D, 2-D and batched operands: the Hessian couples both operands."""
    a, b = data.draw(arrays(ab[0])), data.draw(arrays(ab[1]))
    hvp_parity(lambda L, a, b: a @ b, a, b, seed=seed)


@SETTINGS
@given(n=st.integers(1, 3), k=st.integers(1, 3), m=st.integers(1, 3), seed=seeds, data=st.data())
def test_linear(n, k, m, seed, data):
    """F.linear with and without bias, and mm with a transpose."""
    x, w, b = (data.draw(arrays(s)) for s in ((n, k), (m, k), (m,)))
    hvp_parity(lambda L, x, w, b: (L.nn.functional.linear(x, w, b), L.nn.functional.linear(x, w), x.mm(w.t())),
               x, w, b, seed=seed)


# ---- shape ops, indexing, joining -----------------------------------------------------------------------------
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_shape_ops(shape, seed, data):
    """reshape/view/flatten, unsqueeze/squeeze, permute/transpose/T, expand/repeat and to(float64)."""
    x = data.draw(arrays(shape))
    perm = tuple(data.draw(st.permutations(range(len(shape)))))
    reps = (2,) * len(shape)
    d = data.draw(dim(len(shape)))
    hvp_parity(lambda L, x: (x.reshape(-1), x.view(-1, 1), x.flatten(), x.unsqueeze(0).squeeze(0), x.squeeze(),
                             x.permute(perm) if perm else x.permute(()), x.T, x.transpose(d, -1) if shape else x,
                             x.expand(2, *shape), x.repeat(reps) if reps else x.repeat(()), x.to(L.float64).clone()),
               x, seed=seed)


@SETTINGS
@given(shape=shapes(min_dims=1), seed=seeds, data=st.data())
def test_split_chunk(shape, seed, data):
    """split and chunk: every piece gets its own upstream gradient."""
    x = data.draw(arrays(shape))
    d = data.draw(dim(len(shape)))
    size = data.draw(st.integers(1, shape[d]))
    hvp_parity(lambda L, x: (x.split(size, d), x.chunk(2, d)), x, seed=seed)


@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_basic_indexing(shape, seed, data):
    """x[idx] with ints, forward slices, None and Ellipsis."""
    x = data.draw(arrays(shape))
    idx = data.draw(basic_indices(shape))
    hvp_parity(lambda L, x: x[idx], x, seed=seed)


@SETTINGS
@given(shape=shapes(min_dims=1), seed=seeds, data=st.data())
def test_integer_indexing_with_repeats(shape, seed, data):
    """Integer-array indices with repeats and negatives (the scatter-add backward), and boolean masks."""
    x = data.draw(arrays(shape))
    i = data.draw(int_index_arrays(shape[0]))
    j = data.draw(int_index_arrays(shape[-1]))
    m = data.draw(masks(shape))
    hvp_parity(lambda L, x, i, j, m: (x[i], x[..., j], x[m]), x, i, j, m, seed=seed)


@SETTINGS
@given(shape=shapes(min_dims=1), seed=seeds, data=st.data())
def test_gather(shape, seed, data):
    """gather along any dim; repeated positions accumulate."""
    x = data.draw(arrays(shape))
    d = data.draw(dim(len(shape)))
    ishape = tuple(data.draw(st.integers(1, 4)) if i == d % len(shape) else s for i, s in enumerate(shape))
    idx = data.draw(arrays(ishape, lo=0, hi=shape[d] - 1e-9)).astype(np.int64)
    hvp_parity(lambda L, x, i: x.gather(d, i), x, idx, seed=seed)


@SETTINGS
@given(shape=shapes(min_dims=1), seed=seeds, data=st.data())
def test_setitem(shape, seed, data):
    """x[idx] = y on a clone: gradients flow to both x (masked) and y."""
    x = data.draw(arrays(shape))
    idx = data.draw(basic_indices(shape, allow_newaxis=False))
    y = data.draw(arrays(np.empty(shape)[idx].shape))

    def fn(L, x, y):
        z = x.clone() * 1.0
        z[idx] = y * y
        return z
    hvp_parity(fn, x, y, seed=seed)


@SETTINGS
@given(shape=shapes(min_dims=1, max_dims=3), seed=seeds, data=st.data())
def test_cat_stack(shape, seed, data):
    """cat along any dim and stack along any new dim."""
    d = data.draw(dim(len(shape)))
    a, b = data.draw(arrays(shape)), data.draw(arrays(shape))
    s = data.draw(st.integers(-len(shape) - 1, len(shape)))
    hvp_parity(lambda L, a, b: (L.cat([a, b * a], d), L.stack([a * b, b], s)), a, b, seed=seed)


# ---- convolution and pooling ----------------------------------------------------------------------------------
@FEW
@given(case=conv2d_cases(), bias=st.booleans(), seed=seeds, data=st.data())
def test_conv2d(case, bias, seed, data):
    """conv2d with stride, padding and dilation: second order w.r.t. input, weight and bias."""
    xs, ws, stride, padding, dilation = case
    x, w, b = data.draw(arrays(xs)), data.draw(arrays(ws)), data.draw(arrays((ws[0],)))
    hvp_parity(lambda L, x, w, b: L.nn.functional.conv2d(x, w, b if bias else None, stride, padding, dilation),
               x, w, b, seed=seed)


@FEW
@given(case=pool2d_cases(), seed=seeds, data=st.data())
def test_max_pool2d(case, seed, data):
    """max_pool2d (stride, padding, dilation) on distinct values: the scatter backward is itself differentiable."""
    xs, k, stride, padding, dilation = case
    x = data.draw(distinct_arrays(xs, spacing=0.1))
    hvp_parity(lambda L, x: L.nn.functional.max_pool2d(x, k, stride, padding, dilation), x, seed=seed)


@FEW
@given(case=pool2d_cases(allow_dilation=False), include_pad=st.booleans(), seed=seeds, data=st.data())
def test_avg_pool2d(case, include_pad, seed, data):
    """avg_pool2d with stride and padding, count_include_pad both ways."""
    xs, k, stride, padding, _ = case
    x = data.draw(arrays(xs))
    hvp_parity(lambda L, x: L.nn.functional.avg_pool2d(x, k, stride, padding, count_include_pad=include_pad),
               x, seed=seed)


# ---- losses ---------------------------------------------------------------------------------------------------
REDUCTIONS = ["mean", "sum", "none"]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
@SETTINGS
@given(shape=shapes(), seed=seeds, data=st.data())
def test_regression_losses(name, reduction, shape, seed, data):
    """mse_loss and l1_loss (|diff| kept off 0), gradients w.r.t. input and target."""
    x = data.draw(arrays(shape))
    t = np.asarray(x + data.draw(signed_arrays(shape, lo=0.1)))
    hvp_parity(lambda L, x, t: getattr(L.nn.functional, name)(x, t, reduction=reduction), x, t, seed=seed)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@SETTINGS
@given(n=st.integers(1, 4), c=st.integers(2, 4), weighted=st.booleans(), smoothing=st.sampled_from([0.0, 0.2]),
       seed=seeds, data=st.data())
def test_cross_entropy_nll(reduction, n, c, weighted, smoothing, seed, data):
    """cross_entropy (class weights, label smoothing, ignore_index) and nll_loss on log_softmax."""
    x = data.draw(arrays((n, c)))
    t = data.draw(class_targets((n,), c))
    t[0] = -100 if n > 1 and data.draw(st.booleans()) else t[0]
    w = data.draw(arrays((c,), lo=0.5, hi=2.0)) if weighted else None

    def fn(L, x):
        f, tt, ww = L.nn.functional, L.tensor(t), None if w is None else L.tensor(w)
        return (f.cross_entropy(x, tt, weight=ww, reduction=reduction, label_smoothing=smoothing),
                f.nll_loss(x.log_softmax(1), tt, weight=ww, reduction=reduction))
    hvp_parity(fn, x, seed=seed)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@SETTINGS
@given(n=st.integers(1, 3), c=st.integers(2, 4), seed=seeds, data=st.data())
def test_cross_entropy_probabilities_and_spatial(reduction, n, c, seed, data):
    """cross_entropy with class-probability targets (gradients w.r.t. the target too) and (N, C, d) inputs."""
    x, p = data.draw(arrays((n, c))), data.draw(arrays((n, c), lo=0.0, hi=1.0))
    xs, ts = data.draw(arrays((n, c, 2))), data.draw(class_targets((n, 2), c))
    hvp_parity(lambda L, x, p, xs: (L.nn.functional.cross_entropy(x, p, reduction=reduction),
                                    L.nn.functional.cross_entropy(xs, L.tensor(ts), reduction=reduction)),
               x, p, xs, seed=seed)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@SETTINGS
@given(shape=shapes(), weighted=st.booleans(), seed=seeds, data=st.data())
def test_binary_cross_entropy(reduction, shape, weighted, seed, data):
    """binary_cross_entropy on probabilities and with_logits (pos_weight), gradients w.r.t. input and target."""
    x, z = data.draw(arrays(shape, lo=0.05, hi=0.95)), data.draw(arrays(shape))
    t = data.draw(arrays(shape, lo=0.0, hi=1.0))
    w = data.draw(arrays(shape, lo=0.5, hi=2.0)) if weighted else None

    def fn(L, x, z, t):
        f, ww = L.nn.functional, None if w is None else L.tensor(w)
        return (f.binary_cross_entropy(x, t, weight=ww, reduction=reduction),
                f.binary_cross_entropy_with_logits(z, t, weight=ww, reduction=reduction,
                                                   pos_weight=L.tensor(np.full(shape[-1:], 1.5))),
                f.logsigmoid(z))
    hvp_parity(fn, x, z, t, seed=seed)


@pytest.mark.parametrize("name", ["MSELoss", "L1Loss", "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss"])
def test_every_loss_module(name):
    """Each loss module of nn: second order through the module form."""
    rng = np.random.default_rng(0)
    x = rng.uniform(0.1, 0.9, (3, 4))
    t = {"CrossEntropyLoss": np.array([0, 3, 1]), "NLLLoss": np.array([2, 0, 1])}.get(name, rng.uniform(0, 1, (3, 4)))
    t = t if t.dtype.kind == "i" else x + np.where(rng.random((3, 4)) > 0.5, 0.05, -0.05)
    hvp_parity(lambda L, x: getattr(L.nn, name)()(x if name != "NLLLoss" else x.log_softmax(1), L.tensor(t)), x)


# ---- create_graph and .grad -----------------------------------------------------------------------------------
@pytest.mark.parametrize("create_graph", [True, False])
def test_backward_create_graph_grad_requires_grad(create_graph):
    """backward(create_graph=True) leaves a .grad with a graph (as torch); create_graph=False a graph-free one."""
    res = {}
    for lib in (minigrad, torch):
        x = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)
        (x ** 3).sum().backward(create_graph=create_graph)
        assert x.grad.requires_grad is create_graph and (x.grad.grad_fn is None) is (not create_graph), lib.__name__
        res[lib] = [x.grad.detach().numpy()]
        if create_graph:  # that graph is the derivative 3x^2: d/dx sum(3x^2) = 6x
            res[lib].append(lib.autograd.grad(x.grad.sum(), x)[0].numpy())
    for m, t in zip(res[minigrad], res[torch]):
        np.testing.assert_allclose(m, t, rtol=RTOL)


def test_autograd_grad_create_graph_false_is_graph_free():
    """autograd.grad without create_graph returns gradients that do not require grad, like torch."""
    for lib in (minigrad, torch):
        x = lib.tensor([0.5, -1.0], dtype=lib.float64, requires_grad=True)
        g, = lib.autograd.grad((x.exp() * x).sum(), x)
        assert not g.requires_grad and g.grad_fn is None, lib.__name__


# ---- named cases ----------------------------------------------------------------------------------------------
def test_newton_quartic():
    """Newton's method on f(x) = x^4 - 3x^2 + x + 2 with derivatives from autograd: same iterates as torch."""
    paths = []
    for lib in (minigrad, torch):
        x = lib.tensor(2.0, dtype=lib.float64, requires_grad=True)
        path = []
        for _ in range(8):
            f = x ** 4 - 3 * x ** 2 + x + 2
            g, = lib.autograd.grad(f, x, create_graph=True)
            h, = lib.autograd.grad(g, x)
            with lib.no_grad():
                x -= g / h
            path.append(float(x))
        paths.append(path)
    np.testing.assert_allclose(paths[0], paths[1], rtol=RTOL)


def test_third_derivative_tanh():
    """d^3/dx^3 tanh(x) by three nested autograd.grad calls equals torch's."""
    res = []
    for lib in (minigrad, torch):
        x = lib.tensor(np.linspace(-2, 2, 9), requires_grad=True)
        y = x.tanh().sum()
        for k in range(3):
            y, = lib.autograd.grad(y, x, create_graph=k < 2)
            y = y.sum() if k < 2 else y
        res.append(y.detach().numpy())
    np.testing.assert_allclose(res[0], res[1], rtol=RTOL)


def _mlp(lib, weights):
    params = [lib.nn.Parameter(lib.tensor(w.copy())) for w in weights]

    def net(x):
        h = lib.nn.functional.linear(x, params[0], params[1]).tanh()
        return lib.nn.functional.linear(h, params[2], params[3])
    return net, params


def test_wgan_gradient_penalty():
    """WGAN-GP: penalty (||d critic/d x_hat|| - 1)^2 on interpolates; its gradient w.r.t. the weights equals torch's."""
    rng = np.random.default_rng(1)
    weights = [rng.normal(size=(5, 3)), rng.normal(size=5), rng.normal(size=(1, 5)), rng.normal(size=1)]
    real, fake, eps = rng.normal(size=(4, 3)), rng.normal(size=(4, 3)), rng.uniform(size=(4, 1))
    grads = []
    for lib in (minigrad, torch):
        critic, params = _mlp(lib, weights)
        x_hat = (lib.tensor(eps) * lib.tensor(real) + (1 - lib.tensor(eps)) * lib.tensor(fake)).requires_grad_()
        out = critic(x_hat)
        g, = lib.autograd.grad(out, x_hat, grad_outputs=lib.ones_like(out), create_graph=True)
        penalty = ((g.square().sum(1).sqrt() - 1) ** 2).mean()
        loss = critic(lib.tensor(fake)).mean() - critic(lib.tensor(real)).mean() + 10 * penalty
        loss.backward()
        grads.append([p.grad.numpy() for p in params])
    for m, t in zip(*grads):
        np.testing.assert_allclose(m, t, rtol=RTOL)


DOUBLE_BACKWARD = {
    "conv2d": lambda L, x: L.nn.functional.conv2d(x, (x[:2, :2, :2, :2] * 1.0), stride=1, padding=1).tanh(),
    "max_pool2d": lambda L, x: L.nn.functional.max_pool2d(x.exp(), 2, 1, 1),
    "avg_pool2d": lambda L, x: L.nn.functional.avg_pool2d(x.exp(), 3, 2, 1),
    "cross_entropy": lambda L, x: L.nn.functional.cross_entropy(x.reshape(6, 6), L.tensor([0, 5, 2, 2, 1, 3])),
}


@pytest.mark.parametrize("name", DOUBLE_BACKWARD)
def test_double_backward_named(name):
    """backward(create_graph=True), then backward of the sum of squared gradients: x.grad equals torch's."""
    x0 = np.random.default_rng(2).permutation(36).reshape(2, 2, 3, 3) / 10.0 - 1.7
    res = []
    for lib in (minigrad, torch):
        x = lib.tensor(x0, requires_grad=True)
        DOUBLE_BACKWARD[name](lib, x).sum().backward(create_graph=True)
        g1 = x.grad
        x.grad = None
        g1.square().sum().backward()
        res.append((g1.detach().numpy(), x.grad.numpy()))
    np.testing.assert_allclose(res[0][0], res[1][0], rtol=RTOL)
    np.testing.assert_allclose(res[0][1], res[1][1], rtol=RTOL, atol=1e-12)
    assert np.abs(res[1][1]).max() > 0


def _cube_function(lib):
    class Cube(lib.autograd.Function):
        """y = x^3 with a backward written in differentiable ops: dy/dx = 3 x^2."""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * 3 * x ** 2
    return Cube


def test_custom_function_double_backward():
    """A custom Function whose backward uses differentiable ops supports double backward, like torch."""
    res = []
    for lib in (minigrad, torch):
        x = lib.tensor([0.5, -1.5, 2.0], requires_grad=True)
        y = _cube_function(lib).apply(x)
        g, = lib.autograd.grad((y * lib.tensor([1.0, 2.0, 3.0])).sum(), x, create_graph=True)
        h, = lib.autograd.grad(g.sum(), x)
        res.append((g.detach().numpy(), h.numpy()))
    np.testing.assert_allclose(res[0][0], res[1][0], rtol=RTOL)
    np.testing.assert_allclose(res[0][1], res[1][1], rtol=RTOL)


GRADGRAD_OPS = {
    "tanh*x": lambda x: x.tanh() * x, "softmax": lambda x: x.softmax(-1), "matmul": lambda x: x @ x.t(),
    "cube_function": None,
}


@pytest.mark.parametrize("name", GRADGRAD_OPS)
def test_gradgradcheck_passes(name):
    """autograd.gradgradcheck agrees with torch's: both pass on correct ops."""
    x0 = np.random.default_rng(3).normal(size=(2, 3))
    for lib in (minigrad, torch):
        fn = GRADGRAD_OPS[name] or _cube_function(lib).apply
        assert lib.autograd.gradgradcheck(fn, (lib.tensor(x0, requires_grad=True),)) is True, lib.__name__


def _wrong_function(lib):
    class WrongSquare(lib.autograd.Function):
        """y = x^2 with a right first derivative 2x whose own derivative is wrong (it detaches x, so it is 0)."""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * 2 * x.detach()
    return WrongSquare


def test_gradgradcheck_fails_on_wrong_double_backward():
    """gradgradcheck raises (and returns False with raise_exception=False) on a wrong second derivative, as torch."""
    x0 = np.random.default_rng(4).normal(size=(3,))
    for lib in (minigrad, torch):
        fn = _wrong_function(lib).apply
        x = lib.tensor(x0, requires_grad=True)
        assert lib.autograd.gradcheck(fn, (x,)) is True, lib.__name__  # first order is right
        with pytest.raises(RuntimeError):
            lib.autograd.gradgradcheck(fn, (x,))
        assert lib.autograd.gradgradcheck(fn, (x,), raise_exception=False) is False, lib.__name__
