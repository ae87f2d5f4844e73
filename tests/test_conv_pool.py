"""Convolution (1-3 d, groups, 'same'/'valid', padding modes, transposed), F.pad, 1-d pooling and F.interpolate
against real PyTorch: values, gradients w.r.t. input, weight and bias (float64), node names, second order,
layers (reprs, state_dict shapes, init statistics) and errors."""
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import minigrad
import test_errors
from test_errors import check_same_error
from test_higher_order import hvp_parity

LIBS = {"minigrad": minigrad, "torch": torch}
FEW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
seeds = st.integers(0, 2 ** 31)


def parity(fn, arrays, seed=0, names=True):
    """fn(lib, *tensors) in both libraries: values, gradients of every input (float64), and the node's name."""
    outs, grads = {}, {}
    for name, lib in LIBS.items():
        xs = [lib.tensor(a, requires_grad=True) for a in arrays]
        y = fn(lib, *xs)
        g = np.random.default_rng(seed).standard_normal(tuple(y.shape))
        y.backward(lib.tensor(g))
        outs[name], grads[name] = y, [x.grad for x in xs]
    m, t = outs["minigrad"], outs["torch"]
    assert tuple(m.shape) == tuple(t.shape)
    np.testing.assert_allclose(m.detach().numpy(), t.detach().numpy(), rtol=1e-9, atol=1e-9)
    for i, (gm, gt) in enumerate(zip(grads["minigrad"], grads["torch"])):
        np.testing.assert_allclose(gm.numpy(), gt.numpy(), rtol=1e-9, atol=1e-9, err_msg=f"grad of input {i}")
    if names:
        assert m.grad_fn.name() == t.grad_fn.name()


# ---- convolution -------------------------------------------------------------------------------------------
@st.composite
def conv_cases(draw, nd, transposed=False):
    """(input shape, weight shape, keyword arguments) valid for conv{nd}d or conv_transpose{nd}d."""
    g = draw(st.integers(1, 2))
    cin, cout = g * draw(st.integers(1, 2)), g * draw(st.integers(1, 2))
    k = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    s = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    d = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    pads = st.integers(0, 2) | st.tuples(*[st.integers(0, 2)] * nd)
    if not transposed and max(s) == 1:
        pads = pads | st.sampled_from(["same", "valid"])
    p = draw(pads)
    pt = (0,) * nd if isinstance(p, str) else p if isinstance(p, tuple) else (p,) * nd
    kw = dict(stride=s, padding=p, dilation=d, groups=g)
    if transposed:  # output_padding below stride or dilation; the output at least one cell
        kw["output_padding"] = tuple(draw(st.integers(0, max(si, di) - 1)) for si, di in zip(s, d))
        lo = [max(1, -(-(2 * q - di * (ki - 1)) // si) + 1) for q, di, ki, si in zip(pt, d, k, s)]
    else:
        lo = [max(1, di * (ki - 1) + 1 - 2 * q) for q, di, ki in zip(pt, d, k)]
    size = tuple(draw(st.integers(m, m + 3)) for m in lo)
    n = draw(st.integers(0, 2))  # 0: unbatched
    shape = ((n,) if n else ()) + (cin,) + size
    wshape = ((cin, cout // g) if transposed else (cout, cin // g)) + k
    return shape, wshape, cout, kw


def _conv_test(nd, transposed, case, bias, seed):
    shape, wshape, cout, kw = case
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(shape), rng.standard_normal(wshape)] + ([rng.standard_normal(cout)] if bias else [])
    name = f"conv_transpose{nd}d" if transposed else f"conv{nd}d"
    parity(lambda L, *xs: getattr(L.nn.functional, name)(*xs[:2], xs[2] if bias else None, **kw), arrays, seed,
           names=len(shape) == nd + 2)


@pytest.mark.parametrize("kw", [dict(padding=1), dict(stride=2, dilation=2, groups=2)])
def test_conv_large(kw):
    """An input large enough that col2im adds over kernel offsets in a loop (small ones sum one plane each)."""
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((2, 4, 130, 130)), rng.standard_normal((4, 4 // kw.get("groups", 1), 3, 3))]
    parity(lambda L, x, w: L.nn.functional.conv2d(x, w, **kw), arrays)


@pytest.mark.parametrize("nd, transposed", [(1, False), (2, False), (3, False), (1, True), (2, True), (3, True)])
@FEW
@given(data=st.data(), bias=st.booleans(), seed=seeds)
def test_conv(nd, transposed, data, bias, seed):
    """conv1d/2d/3d and their transposes: stride, padding (numbers, 'same', 'valid'), dilation, groups."""
    _conv_test(nd, transposed, data.draw(conv_cases(nd, transposed)), bias, seed)


@FEW
@given(c=st.integers(1, 3), mult=st.integers(1, 2), k=st.integers(1, 3), seed=seeds)
def test_depthwise_conv2d(c, mult, k, seed):
    """groups == in_channels: each channel has its own filters."""
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(shape) for shape in ((2, c, 5, 4), (c * mult, 1, k, k), (c * mult,))]
    parity(lambda L, x, w, b: L.nn.functional.conv2d(x, w, b, padding=1, groups=c), arrays, seed)


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
@settings(max_examples=4, deadline=None)
@given(k=st.integers(1, 3), padding=st.sampled_from([0, 1, 2, "same", "valid"]), bias=st.booleans(), seed=seeds)
def test_conv_layers(nd, mode, k, padding, bias, seed):
    """Conv1d/2d/3d with every padding_mode: outputs, input and parameter gradients, repr, state_dict."""
    mm = getattr(minigrad.nn, f"Conv{nd}d")(4, 6, k, padding=padding, groups=2, bias=bias, padding_mode=mode).double()
    tm = getattr(torch.nn, f"Conv{nd}d")(4, 6, k, padding=padding, groups=2, bias=bias, padding_mode=mode).double()
    _layer_parity(mm, tm, np.random.default_rng(seed).standard_normal((2, 4) + (4,) * nd))


@pytest.mark.parametrize("nd", [1, 2, 3])
@settings(max_examples=4, deadline=None)
@given(stride=st.integers(1, 2), padding=st.integers(0, 1), bias=st.booleans(), seed=seeds)
def test_conv_transpose_layers(nd, stride, padding, bias, seed):
    """ConvTranspose1d/2d/3d: outputs, gradients, repr and state_dict (weights are (in, out / groups, *k))."""
    kw = dict(stride=stride, padding=padding, output_padding=stride - 1, groups=2, bias=bias, dilation=1)
    mm = getattr(minigrad.nn, f"ConvTranspose{nd}d")(4, 6, 3, **kw).double()
    tm = getattr(torch.nn, f"ConvTranspose{nd}d")(4, 6, 3, **kw).double()
    x = np.random.default_rng(seed).standard_normal((2, 4) + (3,) * nd)
    _layer_parity(mm, tm, x)
    size = [n - stride + 1 for n in tm(torch.tensor(x)).shape[2:]]  # the smallest output: output_size picks it
    np.testing.assert_allclose(mm(minigrad.tensor(x), output_size=size).detach().numpy(),
                               tm(torch.tensor(x), output_size=size).detach().numpy(), rtol=1e-9, atol=1e-9)


def _layer_parity(mm, tm, x):
    assert repr(mm) == repr(tm)
    assert {k: tuple(v.shape) for k, v in mm.state_dict().items()} == {k: tuple(v.shape) for k, v in
                                                                         tm.state_dict().items()}
    tm.load_state_dict({k: torch.from_numpy(v.numpy().copy()) for k, v in mm.state_dict().items()})
    ym, yt = mm(minigrad.tensor(x)), tm(torch.tensor(x))
    np.testing.assert_allclose(ym.detach().numpy(), yt.detach().numpy(), rtol=1e-9, atol=1e-9)
    g = np.random.default_rng(0).standard_normal(tuple(yt.shape))
    ym.backward(minigrad.tensor(g))
    yt.backward(torch.tensor(g))
    for (k, p), q in zip(mm.named_parameters(), tm.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-9, atol=1e-9, err_msg=k)


@pytest.mark.parametrize("make", [
    lambda nn: nn.Conv1d(6, 8, 5, groups=2), lambda nn: nn.Conv2d(12, 12, 3, groups=12),
    lambda nn: nn.Conv3d(4, 6, (1, 2, 3)), lambda nn: nn.ConvTranspose2d(8, 6, 3, groups=2),
    lambda nn: nn.ConvTranspose1d(3, 5, 4)], ids=["conv1d", "depthwise", "conv3d", "transpose2d", "transpose1d"])
def test_conv_init_statistics(make):
    """Default init: kaiming_uniform(a=sqrt(5)) weights and U(+-1/sqrt(fan_in)) biases, fan_in from the weight."""
    minigrad.manual_seed(0)
    torch.manual_seed(0)
    many_m = [make(minigrad.nn) for _ in range(40)]
    many_t = [make(torch.nn) for _ in range(40)]
    for name in ("weight", "bias"):
        m = np.concatenate([getattr(x, name).detach().numpy().ravel() for x in many_m])
        t = np.concatenate([getattr(x, name).detach().numpy().ravel() for x in many_t])
        assert getattr(many_m[0], name).shape == tuple(getattr(many_t[0], name).shape)
        bound = np.abs(t).max()
        assert np.abs(m).max() <= bound * 1.01 and np.abs(m).max() >= bound * 0.9, name
        assert abs(m.std() / t.std() - 1) < 0.1, name


# ---- padding, pooling and interpolation ----------------------------------------------------------------------
@FEW
@given(mode=st.sampled_from(["constant", "reflect", "replicate", "circular"]), nd=st.integers(1, 3),
       batched=st.booleans(), data=st.data(), seed=seeds)
def test_pad(mode, nd, batched, data, seed):
    """F.pad in every mode; constant pads any number of dims, and its negative pads crop."""
    shape = ((2,) if batched else ()) + (2,) + tuple(data.draw(st.integers(2, 4)) for _ in range(nd))
    lo = -1 if mode != "reflect" else 0
    hi = {"constant": 3, "reflect": 1, "replicate": 3, "circular": 2}[mode]
    pad = tuple(data.draw(st.integers(lo, hi)) for _ in range(2 * (nd + (mode == "constant" and batched))))
    pairs = list(zip(pad[::2], pad[1::2]))[::-1]
    # torch's circular gradient is wrong where a pad wraps around what its crop leaves more than once (values agree)
    assume(all(n + a + b > 0 for n, (a, b) in zip(shape[-nd:], pairs)))  # torch's rules for empty outputs vary
    assume(mode != "circular" or all(max(a, b) <= n + min(a, 0) + min(b, 0) for n, (a, b) in zip(shape[-nd:], pairs)))
    value = data.draw(st.floats(-2, 2)) if mode == "constant" else None
    parity(lambda L, x: L.nn.functional.pad(x, pad, mode, value), [np.random.default_rng(seed).standard_normal(shape)],
           seed, names=mode == "constant")


@FEW
@given(k=st.integers(1, 3), s=st.none() | st.integers(1, 3), data=st.data(), ceil=st.booleans(), batched=st.booleans(),
       include_pad=st.booleans(), seed=seeds)
def test_pool1d(k, s, data, ceil, batched, include_pad, seed):
    """max_pool1d and avg_pool1d (the 2-d pools over a height of 1), and their layers' reprs."""
    p, d = data.draw(st.integers(0, k // 2)), data.draw(st.integers(1, 2))
    x = np.random.default_rng(seed).permutation(2 * 3 * 9).reshape(2, 3, 9)[:None if batched else 1] / 4.0  # no ties
    x = x if batched else x[0]
    x = x[..., :data.draw(st.integers(d * (k - 1) + 1, 9))]
    parity(lambda L, x: L.nn.functional.max_pool1d(x, k, s, p, d, ceil), [x], seed, names=False)
    parity(lambda L, x: L.nn.functional.avg_pool1d(x, k, s, p, ceil, include_pad), [x], seed, names=False)
    for cls, args in (("MaxPool1d", (k, s, p, d, False, ceil)), ("AvgPool1d", (k, s, p, ceil, include_pad))):
        assert repr(getattr(minigrad.nn, cls)(*args)) == repr(getattr(torch.nn, cls)(*args))
    for L in LIBS.values():
        y, i = L.nn.MaxPool1d(k, s, p, d, return_indices=True, ceil_mode=ceil)(L.tensor(x))
        np.testing.assert_array_equal(i.numpy(), (torch.nn.functional.max_pool1d(torch.tensor(x), k, s, p, d, ceil,
                                                                                 return_indices=True)[1].numpy()))


@FEW
@given(k=st.integers(1, 3), s=st.integers(1, 3), data=st.data(), ceil=st.booleans(), seed=seeds)
def test_max_pool2d_ties_and_nan(k, s, data, ceil, seed):
    """Ties (small integers) go to a window's first maximum and NaN to its last NaN, as in torch: values,
    indices and gradients."""
    p, d = data.draw(st.integers(0, k // 2)), data.draw(st.integers(1, 2))
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 3, (2, 2) + tuple(data.draw(st.integers(d * (k - 1) + 1, 7)) for _ in "hw")).astype(float)
    x[rng.random(x.shape) < 0.1] = np.nan
    out = []
    for L in LIBS.values():
        t = L.tensor(x, requires_grad=True)
        y, i = L.nn.functional.max_pool2d(t, k, s, p, d, ceil, return_indices=True)
        y.backward(L.tensor(np.random.default_rng(seed).standard_normal(tuple(y.shape))))
        out.append([y.detach().numpy(), i.numpy(), t.grad.numpy()])
    for m, t in zip(*out):
        np.testing.assert_array_equal(m, t)


@st.composite
def interpolate_cases(draw):
    mode = draw(st.sampled_from(["nearest", "linear", "bilinear", "trilinear"]))
    nd = {"linear": 1, "bilinear": 2, "trilinear": 3}.get(mode) or draw(st.integers(1, 3))
    shape = (draw(st.integers(1, 2)), 2) + tuple(draw(st.integers(1, 5)) for _ in range(nd))
    if draw(st.booleans()):
        size = draw(st.integers(1, 7) | st.tuples(*[st.integers(1, 7)] * nd))
        kw = dict(size=size)
    else:
        one = st.sampled_from([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 1.7])
        kw = dict(scale_factor=draw(one | st.tuples(*[one] * nd)), recompute_scale_factor=draw(st.booleans()))
        if min(int(n * f) for n, f in zip(shape[2:], np.broadcast_to(kw["scale_factor"], (nd,)))) < 1:
            kw["scale_factor"] = 2.0
    if mode != "nearest":
        kw["align_corners"] = draw(st.booleans())
    return shape, dict(kw, mode=mode)


@FEW
@given(case=interpolate_cases(), seed=seeds)
def test_interpolate(case, seed):
    """F.interpolate: nearest (1-3 d) and (bi/tri)linear with either align_corners, from size or scale_factor."""
    shape, kw = case
    parity(lambda L, x: L.nn.functional.interpolate(x, **kw), [np.random.default_rng(seed).standard_normal(shape)],
           seed, names=False)
    layer = dict(size=kw.get("size"), scale_factor=kw.get("scale_factor"), mode=kw["mode"],
                 align_corners=kw.get("align_corners"))
    assert repr(minigrad.nn.Upsample(**layer)) == repr(torch.nn.Upsample(**layer))


def test_upsampling_layers():
    x = np.random.default_rng(0).standard_normal((1, 2, 3, 4))
    for cls, kw in (("UpsamplingNearest2d", dict(scale_factor=2)), ("UpsamplingBilinear2d", dict(size=(5, 7)))):
        m, t = getattr(minigrad.nn, cls)(**kw), getattr(torch.nn, cls)(**kw)
        assert repr(m) == repr(t)
        np.testing.assert_allclose(m(minigrad.tensor(x)).numpy(), t(torch.tensor(x)).numpy(), rtol=1e-9, atol=1e-9)


# ---- second order ---------------------------------------------------------------------------------------------
SECOND = {
    "conv2d groups same": ((2, 4, 5, 4), (6, 2, 2, 3), lambda L, x, w: L.nn.functional.conv2d(x, w, padding="same",
                                                                                              groups=2).tanh()),
    "conv1d stride": ((2, 3, 7), (2, 3, 3), lambda L, x, w: L.nn.functional.conv1d(x, w, stride=2, dilation=2)),
    "conv3d": ((1, 2, 3, 4, 3), (2, 2, 2, 2, 2), lambda L, x, w: L.nn.functional.conv3d(x, w, padding=1)),
    "conv_transpose2d": ((2, 4, 3, 2), (4, 3, 3, 2), lambda L, x, w: L.nn.functional.conv_transpose2d(
        x, w, stride=2, padding=1, output_padding=1, groups=2)),
    "conv_transpose1d": ((2, 2, 4), (2, 3, 3), lambda L, x, w: L.nn.functional.conv_transpose1d(x, w, stride=3)),
    "pad reflect": ((2, 3, 4), (1,), lambda L, x, w: L.nn.functional.pad(x * w, (2, 1), "reflect").exp()),
    "pad constant": ((2, 3, 4), (1,), lambda L, x, w: L.nn.functional.pad(x * w, (2, -1, 1, 1), value=0.5).exp()),
    "interpolate bilinear": ((1, 2, 3, 4), (1,), lambda L, x, w: L.nn.functional.interpolate(
        x * w, scale_factor=1.5, mode="bilinear").sin()),
    "interpolate nearest": ((1, 2, 3), (1,), lambda L, x, w: L.nn.functional.interpolate(x * w, size=7).sin()),
    "avg_pool1d": ((2, 3, 7), (1,), lambda L, x, w: L.nn.functional.avg_pool1d((x * w).exp(), 3, 2, 1)),
}


@pytest.mark.parametrize("name", SECOND)
def test_second_order(name):
    """Hessian-vector products w.r.t. input and weight (double backward through unfold/fold, gathers, crops)."""
    xs, ws, fn = SECOND[name]
    rng = np.random.default_rng(0)
    hvp_parity(fn, rng.uniform(-1, 1, xs), rng.uniform(-1, 1, ws), seed=1)


# ---- errors --------------------------------------------------------------------------------------------------
def t(L, *shape):
    return L.torch.ones(*shape)


def F(L):
    return L.nn.functional


ERRORS = [
    ("Conv2d groups 0", lambda L: L.nn.Conv2d(4, 4, 3, groups=0), ["groups must be a positive integer"]),
    ("Conv2d in_channels groups", lambda L: L.nn.Conv2d(3, 6, 3, groups=2), ["in_channels must be divisible by groups"]),
    ("Conv2d out_channels groups", lambda L: L.nn.Conv2d(4, 6, 3, groups=4), ["out_channels must be divisible by groups"]),
    ("Conv2d same strided", lambda L: L.nn.Conv2d(4, 6, 3, padding="same", stride=2), ["padding='same' is not supported"]),
    ("Conv2d padding string", lambda L: L.nn.Conv2d(4, 6, 3, padding="full"), ["Invalid padding string 'full'"]),
    ("Conv2d padding_mode", lambda L: L.nn.Conv2d(4, 6, 3, padding_mode="foo"), ["padding_mode must be one of"]),
    ("ConvTranspose2d reflect", lambda L: L.nn.ConvTranspose2d(4, 6, 3, padding_mode="reflect"),
     ['Only "zeros" padding mode is supported for ConvTranspose2d']),
    ("Conv2d stride 0", lambda L: L.nn.Conv2d(1, 1, 3, stride=0)(t(L, 1, 1, 5, 5)), ["non-positive stride is not supported"]),
    ("conv2d negative padding", lambda L: F(L).conv2d(t(L, 1, 1, 5, 5), t(L, 1, 1, 3, 3), padding=-1),
     ["negative padding is not supported"]),
    ("conv2d dilation 0", lambda L: F(L).conv2d(t(L, 1, 1, 5, 5), t(L, 1, 1, 3, 3), dilation=0),
     ["dilation should be greater than zero"]),
    ("conv2d groups 0", lambda L: F(L).conv2d(t(L, 1, 4, 5, 5), t(L, 4, 4, 3, 3), groups=0),
     ["non-positive groups is not supported"]),
    ("conv2d groups channels", lambda L: F(L).conv2d(t(L, 1, 4, 5, 5), t(L, 6, 2, 3, 3), groups=3),
     ["Given groups=3, weight of size [6, 2, 3, 3], expected input[1, 4, 5, 5] to have 6 channels, but got 4 channels"]),
    ("conv2d bias size", lambda L: F(L).conv2d(t(L, 1, 4, 5, 5), t(L, 6, 4, 3, 3), t(L, 5)),
     ["expected bias to be 1-dimensional with 6 elements, but got bias of size [5] instead"]),
    ("conv2d weight dtype", lambda L: F(L).conv2d(t(L, 1, 2, 5, 5), t(L, 2, 2, 3, 3).double()),
     ["expected scalar type Float but found Double"]),
    ("conv2d bias dtype", lambda L: F(L).conv2d(t(L, 1, 2, 5, 5), t(L, 2, 2, 3, 3), t(L, 2).double()),
     ["Input type (float) and bias type (double) should be the same"]),
    ("ConvTranspose2d output_size", lambda L: L.nn.ConvTranspose2d(2, 3, 3, 2)(t(L, 1, 2, 5, 5), output_size=(13, 13)),
     ["requested an output size of (13, 13), but valid sizes range from [11, 11] to [12, 12]"]),
    ("ConvTranspose2d output_size length", lambda L: L.nn.ConvTranspose2d(2, 3, 3)(t(L, 1, 2, 5, 5), output_size=(7,)),
     ["ConvTranspose2D: for 4D input, output_size must have 2 or 4 elements (got 1)"]),
    ("conv2d same strided", lambda L: F(L).conv2d(t(L, 1, 4, 5, 5), t(L, 6, 4, 3, 3), padding="same", stride=2),
     ["padding='same' is not supported for strided convolutions"]),
    ("conv2d padding string", lambda L: F(L).conv2d(t(L, 1, 4, 5, 5), t(L, 6, 4, 3, 3), padding="full"),
     ["Invalid padding string: 'full'"]),
    ("conv1d rank", lambda L: F(L).conv1d(t(L, 1, 4, 5, 5), t(L, 6, 4, 3)),
     ["Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [1, 4, 5, 5]"]),
    ("conv2d weight rank", lambda L: F(L).conv2d(t(L, 1, 4, 5, 5), t(L, 6, 4, 3)),
     ["expected stride to be a single integer value or a list of 1 values to match the convolution dimensions"]),
    ("conv3d kernel too big", lambda L: F(L).conv3d(t(L, 1, 1, 2, 5, 5), t(L, 1, 1, 3, 3, 3)),
     ["Kernel size can't be greater than actual input size"]),
    ("conv_transpose2d output_padding", lambda L: F(L).conv_transpose2d(t(L, 1, 4, 5, 5), t(L, 4, 2, 3, 3),
                                                                         output_padding=1),
     ["output padding must be smaller than either stride or dilation"]),
    ("conv_transpose2d channels", lambda L: F(L).conv_transpose2d(t(L, 1, 4, 5, 5), t(L, 3, 2, 3, 3)),
     ["Given transposed=1, weight of size [3, 2, 3, 3], expected input[1, 4, 5, 5] to have 3 channels"]),
    ("conv_transpose2d groups", lambda L: F(L).conv_transpose2d(t(L, 1, 4, 5, 5), t(L, 4, 2, 3, 3), groups=3),
     ["Given groups=3, expected weight to be divisible by 3 at dimension 0"]),
    ("conv_transpose2d too small", lambda L: F(L).conv_transpose2d(t(L, 1, 4, 5, 5), t(L, 4, 2, 3, 3), padding=5),
     ["Output size is too small"]),
    ("conv_transpose2d rank", lambda L: F(L).conv_transpose2d(t(L, 5, 5), t(L, 4, 2, 3, 3)),
     ["Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d"]),
    ("MaxPool2d 0", lambda L: L.nn.MaxPool2d(0)(t(L, 1, 1, 4, 4)), ["stride should not be zero"]),
    ("max_pool2d kernel 0", lambda L: F(L).max_pool2d(t(L, 1, 1, 4, 4), 0, 1),
     ["kernel size should be greater than zero, but got kH: 0 kW: 0"]),
    ("max_pool2d dilation 0", lambda L: F(L).max_pool2d(t(L, 1, 1, 4, 4), 2, dilation=0),
     ["dilation should be greater than zero, but got dilationH: 0 dilationW: 0"]),
    ("avg_pool2d negative pad", lambda L: F(L).avg_pool2d(t(L, 1, 1, 4, 4), 2, padding=-1),
     ["pad must be non-negative, but got pad: -1"]),
    ("avg_pool2d stride 0", lambda L: F(L).avg_pool2d(t(L, 1, 1, 4, 4), 2, 0), ["stride should not be zero"]),
    ("max_pool1d rank", lambda L: F(L).max_pool1d(t(L, 1, 2, 4, 4), 2),
     ["max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input"]),
    ("max_pool1d stride 0", lambda L: F(L).max_pool1d(t(L, 2, 5), 2, 0), ["max_pool1d() stride must be greater than zero"]),
    ("max_pool1d kernel 0", lambda L: F(L).max_pool1d(t(L, 2, 5), 0), ["kernel_size must be greater than zero, but got 0"]),
    ("avg_pool1d rank", lambda L: F(L).avg_pool1d(t(L, 1, 2, 4, 4), 2),
     ["Expected 2 to 3 dimensions, but got 4-dimensional tensor for argument #1 'self'"]),
    ("avg_pool1d too big", lambda L: F(L).avg_pool1d(t(L, 2, 5), 6), ["Output size is too small"]),
    ("pad odd", lambda L: F(L).pad(t(L, 2, 3), (1, 2, 1)), ["Padding length must be divisible by 2"]),
    ("pad too long", lambda L: F(L).pad(t(L, 2, 3), (1, 1, 1, 1, 1, 1)),
     ["Padding length should be less than or equal to two times the input dimension"]),
    ("pad mode", lambda L: F(L).pad(t(L, 2, 3), (1, 1), "wrap"), ["Unrecognised padding mode wrap"]),
    ("pad reflect too big", lambda L: F(L).pad(t(L, 2, 3), (1, 3), "reflect"),
     ["Padding size should be less than the corresponding input dimension"]),
    ("pad circular too big", lambda L: F(L).pad(t(L, 2, 3), (1, 4), "circular"),
     ["Padding value causes wrapping around more than once."]),
    ("pad replicate value", lambda L: F(L).pad(t(L, 2, 3), (1, 1), "replicate", 1.0),
     ['Padding mode "replicate" doesn\'t take in value argument']),
    ("pad reflect dims", lambda L: F(L).pad(t(L, 1, 2, 3, 4), (1, 1), "reflect"),
     ["Padding size 2 is not supported for 4D input tensor."]),
    ("pad crop too much", lambda L: F(L).pad(t(L, 2, 3), (-2, -2)), ["length must be non-negative"]),
    ("pad replicate crop", lambda L: F(L).pad(t(L, 2, 2), (-1, -1), "replicate"), ["is too small"]),
    ("pad circular crop", lambda L: F(L).pad(t(L, 2, 2), (-2, -1), "circular"),
     ["Negative padding value is resulting in an empty dimension"]),
    ("interpolate both", lambda L: F(L).interpolate(t(L, 1, 1, 3), size=2, scale_factor=2.0),
     ["only one of size or scale_factor should be defined"]),
    ("interpolate neither", lambda L: F(L).interpolate(t(L, 1, 1, 3)), ["either size or scale_factor should be defined"]),
    ("interpolate size dims", lambda L: F(L).interpolate(t(L, 1, 1, 3, 3), size=(2,)),
     ["Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of "
      "[3, 3] and output size of (2,)."]),
    ("interpolate scale dims", lambda L: F(L).interpolate(t(L, 1, 1, 3, 3), scale_factor=(2.0, 2.0, 2.0)),
     ["Input and scale_factor must have the same number of spatial dimensions"]),
    ("interpolate align nearest", lambda L: F(L).interpolate(t(L, 1, 1, 3), size=2, align_corners=True),
     ["align_corners option can only be set with the interpolating modes"]),
    ("interpolate trilinear 4d", lambda L: F(L).interpolate(t(L, 1, 1, 3, 3), size=2, mode="trilinear"),
     ["Got 4D input, but trilinear mode needs 5D input"]),
    ("interpolate bilinear 3d", lambda L: F(L).interpolate(t(L, 1, 1, 3), size=2, mode="bilinear"),
     ["Got 3D input, but bilinear mode needs 4D input"]),
    ("interpolate 2d", lambda L: F(L).interpolate(t(L, 1, 3), size=2), ["Only 3D, 4D and 5D input Tensors supported"]),
    ("interpolate mode", lambda L: F(L).interpolate(t(L, 1, 1, 3), size=2, mode="cubic"),
     ["Only 3D, 4D and 5D input Tensors supported (got 3D)"]),
    ("interpolate size 0", lambda L: F(L).interpolate(t(L, 1, 1, 3, 3), size=0),
     ["Input and output sizes should be greater than 0"]),
]


@pytest.mark.parametrize("desc, fn, words", ERRORS, ids=[c[0] for c in ERRORS])
def test_same_error(desc, fn, words):
    check_same_error(fn, words)


def test_same_padding_warning():
    """torch warns (once per process, hence a fresh one) when 'same' needs an odd, right-side extra cell."""
    test_errors.test_same_warning_as_fresh_torch(
        "same even kernel", lambda L: L.nn.functional.conv2d(t(L, 1, 2, 5, 5), t(L, 2, 2, 2, 2), padding="same"),
        "torch.nn.functional.conv2d(torch.ones(1, 2, 5, 5), torch.ones(2, 2, 2, 2), padding='same')",
        ["Using padding='same' with even kernel lengths and odd dilation"])
