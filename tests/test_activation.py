"""Activations (nn/activation.py) against torch: values and gradients in float32/float64, the points where the
derivative jumps, in-place forms, module printing, errors, and the private erf/log1p/expm1 kernels."""
import math
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
from minigrad._special import erf
from strategies import arrays, float_dtypes, seeds, shapes
from test_higher_order import hvp_parity

TOL = {"float32": 2e-6, "float64": 1e-12}
CASES = [("gelu", {}), ("gelu", {"approximate": "tanh"}), ("silu", {}), ("leaky_relu", {}),
         ("leaky_relu", {"negative_slope": 0.2}), ("elu", {}), ("elu", {"alpha": 0.5}), ("selu", {}), ("celu", {}),
         ("celu", {"alpha": 2.0}), ("softplus", {}), ("softplus", {"beta": 2.0, "threshold": 5.0}), ("mish", {}),
         ("softsign", {}), ("hardtanh", {}), ("hardtanh", {"min_val": -2.0, "max_val": 0.5}), ("relu6", {}),
         ("hardsigmoid", {}), ("hardswish", {}), ("logsigmoid", {}), ("softmin", {"dim": -1})]
# the inputs where a derivative jumps or a formula switches branch: both libraries must pick the same side
KINKS = [-3.0, 3.0, 0.0, -1.0, 1.0, 6.0, -2.0, 0.5, 2.5, 10.0, 20.0, -20.0, 30.0, -30.0, 1e-12, -1e-12]


def run(lib, name, kw, x, g):
    """f(x) and d(sum f(x) * g)/dx in one library."""
    t = lib.tensor(x, requires_grad=True)
    fn = getattr(F if lib is minigrad else TF, name)
    out = fn(t, **kw)
    out.backward(lib.tensor(g))
    return out.detach().numpy(), t.grad.numpy(), out.grad_fn.name()


def compare(name, kw, x, seed):
    g = np.random.default_rng(seed).standard_normal(x.shape).astype(x.dtype)
    mo, mg, _ = run(minigrad, name, kw, x, g)
    to, tg, _ = run(torch, name, kw, x, g)
    tol = TOL[x.dtype.name]
    assert mo.dtype == to.dtype
    np.testing.assert_allclose(mo, to, rtol=tol, atol=tol)
    gtol = 1e-7 if name == "hardsigmoid" else tol * 10  # torch's float64 hardsigmoid gradient uses 1/6 in float32
    np.testing.assert_allclose(mg, tg, rtol=gtol, atol=gtol)


@pytest.mark.parametrize("name,kw", CASES)
@settings(max_examples=15, deadline=None)
@given(shape=shapes(), dtype=float_dtypes, seed=seeds, data=st.data())
def test_values_and_gradients(name, kw, shape, dtype, seed, data):
    compare(name, kw, data.draw(arrays(shape, dtype, lo=-8, hi=8)), seed)


@pytest.mark.parametrize("name,kw", CASES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_kinks_and_tails(name, kw, dtype):
    compare(name, kw, np.array(KINKS, dtype), 0)


@pytest.mark.parametrize("name", ["leaky_relu", "elu", "selu", "celu", "silu", "mish", "hardtanh", "relu6",
                                  "hardsigmoid", "hardswish"])
def test_inplace(name):
    x = np.linspace(-4, 4, 9)
    m, t = minigrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    mi, ti = m * 1, t * 1
    mo, to = getattr(F, name)(mi, inplace=True), getattr(TF, name)(ti, inplace=True)
    assert mo is mi and to is ti
    np.testing.assert_allclose(mi.detach().numpy(), ti.detach().numpy(), rtol=1e-12)
    mi.sum().backward()
    ti.sum().backward()
    np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), rtol=1e-7)  # 1e-7: torch's float 1/6 (hardsigmoid)
    leaf = minigrad.tensor(x, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        getattr(F, name)(leaf, inplace=True)


def test_inplace_without_grad_writes_the_array():
    x = minigrad.tensor([-1.0, 2.0])
    view = x.numpy()
    F.leaky_relu(x, 0.5, inplace=True)
    assert view.tolist() == [-0.5, 2.0]


MODULES = [("GELU", ()), ("GELU", ("tanh",)), ("SiLU", ()), ("SiLU", (True,)), ("Mish", ()), ("LeakyReLU", ()),
           ("LeakyReLU", (0.2, True)), ("ELU", ()), ("ELU", (0.5, True)), ("SELU", ()), ("SELU", (True,)),
           ("CELU", (2.0,)), ("Softplus", ()), ("Softplus", (2, 10)), ("Softsign", ()), ("Hardtanh", ()),
           ("Hardtanh", (-2, 3, True)), ("ReLU6", ()), ("ReLU6", (True,)), ("Hardswish", ()), ("Hardswish", (True,)),
           ("Hardsigmoid", ()), ("LogSigmoid", ()), ("Softmin", ()), ("Softmin", (1,))]


@pytest.mark.parametrize("name,args", MODULES)
def test_modules(name, args):
    mm, tm = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    assert repr(mm) == repr(tm)
    x = np.random.default_rng(1).standard_normal((3, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Softmin() warns about its implicit dim in both
        mo, to = mm(minigrad.tensor(x) * 1), tm(torch.tensor(x) * 1)
    np.testing.assert_allclose(mo.numpy(), to.numpy(), rtol=1e-12, atol=1e-12)


def test_softmin_implicit_dim_warns_like_torch():
    x = np.arange(6.0).reshape(2, 3)
    with pytest.warns(UserWarning) as mw:
        mo = F.softmin(minigrad.tensor(x))
    with pytest.warns(UserWarning) as tw:
        to = TF.softmin(torch.tensor(x))
    assert str(mw[0].message) == str(tw[0].message)
    np.testing.assert_allclose(mo.numpy(), to.numpy(), rtol=1e-12)


def torch_error(fn):
    with pytest.raises(Exception) as e:
        fn()
    return type(e.value), str(e.value)


@pytest.mark.parametrize("call", [
    lambda lib, F: F.gelu(lib.tensor([1.0]), approximate="foo"),
    lambda lib, F: F.gelu(lib.tensor([1, 2])),
    lambda lib, F: F.elu(lib.tensor([1, 2])),
    lambda lib, F: F.silu(lib.tensor([1, 2])),
    lambda lib, F: F.leaky_relu(lib.tensor([1, 2])),
    lambda lib, F: F.softplus(lib.tensor([1, 2])),
    lambda lib, F: F.hardtanh(lib.tensor([1.0]), 2.0, 1.0),
    lambda lib, F: F.celu(lib.tensor([1.0]), 0.0),
    lambda lib, F: (nn if lib is minigrad else torch.nn).Hardtanh(2, 1),
])
def test_errors(call):
    assert torch_error(lambda: call(minigrad, F)) == torch_error(lambda: call(torch, TF))


def test_integer_inputs_where_torch_accepts_them():
    for name in ("hardtanh", "relu6", "softsign"):
        m, t = getattr(F, name)(minigrad.tensor([-7, 0, 3, 8])), getattr(TF, name)(torch.tensor([-7, 0, 3, 8]))
        assert m.dtype.name == str(t.dtype).split(".")[1] and m.tolist() == t.tolist()


def test_erf_kernel_matches_math_and_torch_to_the_last_bit():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.standard_normal(20000) * 3, rng.uniform(-7, 7, 20000), np.logspace(-310, 1.5, 3000),
                        -np.logspace(-310, 1.5, 3000), [0.0, -0.0, 0.84375, 1.25, 1 / 0.35, 6.0, np.inf, -np.inf]])
    ref = np.array([math.erf(v) for v in x])
    got = erf(x)
    assert np.max(np.abs(got - ref)) <= 1.2e-16
    assert np.max(np.abs(got - torch.erf(torch.tensor(x)).numpy())) <= 1.2e-16
    assert np.signbit(erf(np.array([-0.0]))[0]) and np.isnan(erf(np.array([np.nan]))[0])
    x32 = x.astype(np.float32)
    np.testing.assert_allclose(erf(x32), torch.erf(torch.tensor(x32)).numpy(), rtol=0, atol=1.2e-7)
    assert erf(x32).dtype == np.float32


def test_accurate_near_zero():
    # expm1 / log1p stand-ins: elu and softplus keep full relative precision where e^x - 1 or log(1 + e^x) cancel
    x = np.array([-1e-10, -50.0, -700.0])
    for name in ("elu", "softplus", "celu", "selu"):
        np.testing.assert_allclose(getattr(F, name)(minigrad.tensor(x)).numpy(),
                                   getattr(TF, name)(torch.tensor(x)).numpy(), rtol=1e-14, atol=0)


def test_gelu_gradient_is_the_exact_derivative():
    x = minigrad.tensor(np.linspace(-5, 5, 11), requires_grad=True)
    assert minigrad.autograd.gradcheck(F.gelu, (x,))
    x = minigrad.tensor(np.linspace(-5, 5, 11), requires_grad=True)
    F.gelu(x).sum().backward()
    xs = np.linspace(-5, 5, 11)
    cdf = 0.5 * (1 + erf(xs / math.sqrt(2)))
    np.testing.assert_allclose(x.grad.numpy(), cdf + xs * np.exp(-xs * xs / 2) / math.sqrt(2 * math.pi), rtol=1e-14)


@pytest.mark.parametrize("approximate", ["none", "tanh"])
@settings(max_examples=8, deadline=None)
@given(shape=shapes(), seed=seeds, data=st.data())
def test_gelu_is_one_node_with_second_order(approximate, shape, seed, data):
    # one primitive (torch's GeluBackward0) whose rule is differentiable again
    x = data.draw(arrays(shape, "float64", lo=-6, hi=6))
    assert run(minigrad, "gelu", {"approximate": approximate}, x, x)[2] == \
        run(torch, "gelu", {"approximate": approximate}, x, x)[2] == "GeluBackward0"
    hvp_parity(lambda L, x: L.nn.functional.gelu(x, approximate=approximate), x, seed=seed)
