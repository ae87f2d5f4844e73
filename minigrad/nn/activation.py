"""Activation functions (functional forms and modules), composed from Tensor ops so autograd derives their
gradients; gelu, the transformer's, is one primitive with its own rule. erf is not a Tensor op yet: a small custom
Function stands in for it."""
import math

import numpy as np

from .. import _checks
from .._special import erf as _erf_kernel
from ..autograd import Function
from ..autograd.namespace import ARRAYS
from ..functions import where
from ..tensor import Tensor
from .loss import logsigmoid  # noqa: F401  (re-exported: it lives with the losses that use it)
from .module import Module, _Options

_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
_SQRT1_2, _2_SQRTPI = 0.70710678118654752440, 1.12837916709551257390
_GELU_K = math.sqrt(2) * _2_SQRTPI * 0.5  # sqrt(2 / pi)


class _Erf(Function):
    """erf(x) (numpy kernel in _special.py)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return Tensor(_erf_kernel(x.detach().numpy()))

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * _2_SQRTPI * (-(x * x)).exp()  # d erf = 2/sqrt(pi) exp(-x^2)


def _float(input, kernel):
    """torch's error for integer inputs to a floating-point kernel."""
    _checks.floating(kernel, input.dtype)
    return input


def _result(input, fn, inplace):
    """fn(input), or (inplace=True) fn of a copy written into input, which joins the graph in its place."""
    # the copy keeps the values fn's backward saved intact when input is overwritten (torch's rules save
    # nothing of the overwritten input either)
    return input.copy_(fn(input.clone())) if inplace else fn(input)


def _strict_clamp(input, lo, hi):
    """clamp(x, lo, hi) whose gradient is 1 strictly inside (lo, hi) only, as torch's hardtanh has it."""
    inside = (input > lo) & (input < hi)
    return where(inside, input, input.detach().clamp(lo, hi))


def _gelu_cdf(xp, x, approximate):
    """Phi(x), the normal CDF (or its tanh approximation (1 + tanh u) / 2, u = sqrt(2/pi) (x + 0.044715 x^3))."""
    if approximate == "tanh":
        return (xp.tanh(x * (_GELU_K + _GELU_K * 0.044715 * x * x)) + 1) * 0.5
    return ((_Erf.apply if xp.graph else _erf_kernel)(x * _SQRT1_2) + 1) * 0.5


def gelu(input, approximate="none"):
    """x * Phi(x): Phi the normal CDF, 0.5 (1 + erf(x / sqrt 2)), or its tanh approximation; one node."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    x = _float(input, "GeluKernelImpl")._data
    if approximate == "tanh":  # (1 + tanh u) / 2 = 1 / (1 + e^(-2u)): one exp is cheaper than tanh
        with np.errstate(over="ignore"):  # e^(-2u) = inf for very negative x: Phi = 0, as it should
            cdf = 1 / (np.exp(x * (-2 * _GELU_K - 2 * _GELU_K * 0.044715 * x * x)) + 1)
    else:
        cdf = _gelu_cdf(ARRAYS, x, approximate)

    def rule(xp, g, x):
        # d gelu = g (Phi + x Phi'): Phi' = e^(-x^2/2) / sqrt(2 pi), or 2 Phi (1 - Phi) u' for the tanh form
        c = _gelu_cdf(xp, x, approximate) if xp.graph else cdf
        with np.errstate(over="ignore", invalid="ignore"):  # x^2 overflows for huge |x|: torch's 0 or nan, silently
            if approximate == "tanh":
                return g * (c + x * (c - c * c) * (2 * _GELU_K + 6 * _GELU_K * 0.044715 * x * x)),
            return g * (c + x * xp.exp(x * x * -0.5) * (_2_SQRTPI * _SQRT1_2 * 0.5)),
    return Tensor._op(x * cdf, (input,), rule, "GeluBackward0", (input,))


def silu(input, inplace=False):
    """x * sigmoid(x) (swish)."""
    return _result(input, lambda input: _float(input, "silu_cpu") * input.sigmoid(), inplace)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x for x > 0, negative_slope * x otherwise."""
    negative_slope = _checks.number("leaky_relu", "negative_slope", 2, negative_slope)
    return _result(input, lambda input: where(_float(input, "leaky_relu_cpu") > 0, input, input * negative_slope), inplace)


def _elu(x, alpha, scale, input_scale):
    # exp only sees x <= 0, so the branch where() discards cannot overflow (its zero gradient would become nan)
    neg = (x.clamp(max=0) * input_scale).expm1() * (alpha * scale)
    return where(_float(x, "elu_cpu") > 0, x * scale if scale != 1 else x, neg)


def elu(input, alpha=1.0, inplace=False):
    """x for x > 0, alpha (e^x - 1) otherwise."""
    alpha = _checks.number("elu", "alpha", 2, alpha)
    return _result(input, lambda input: _elu(input, alpha, 1.0, 1.0), inplace)


def selu(input, inplace=False):
    """scale * elu(x, alpha) with the self-normalising constants."""
    return _result(input, lambda input: _elu(input, _SELU_ALPHA, _SELU_SCALE, 1.0), inplace)


def celu(input, alpha=1.0, inplace=False):
    """x for x > 0, alpha (e^(x / alpha) - 1) otherwise."""
    if _checks.number("celu", "alpha", 2, alpha) == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return _result(input, lambda input: _elu(input, alpha, 1.0, 1.0 / alpha), inplace)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + e^(beta x)) / beta; x itself where beta x > threshold."""
    beta = _checks.number("softplus", "beta", 2, beta)
    z = _float(input, "softplus_cpu") * beta
    # max(z, 0) + log1p(e^-|z|) never overflows; maximum's tie rule gives the gradient 1/2 at 0, as torch
    with np.errstate(divide="ignore", invalid="ignore"):  # beta = 0 gives inf, as in torch, not numpy's warning
        soft = (z.maximum(0) + (-z.abs()).exp().log1p()) / beta
    return where(z > threshold, input, soft)


def mish(input, inplace=False):
    """x * tanh(softplus(x))."""
    return _result(input, lambda input: _float(input, "mish_cpu") * softplus(input).tanh(), inplace)


def softsign(input):
    """x / (1 + |x|)."""
    return input / (input.abs() + 1)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clamped to [min_val, max_val]."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _result(input, lambda input: _strict_clamp(input, min_val, max_val), inplace)


def relu6(input, inplace=False):
    """min(max(x, 0), 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def hardsigmoid(input, inplace=False):
    """relu6(x + 3) / 6: a piecewise-linear sigmoid."""
    return _result(input, lambda input: _strict_clamp(_float(input, "hardsigmoid_cpu") + 3, 0.0, 6.0) / 6, inplace)


def hardswish(input, inplace=False):
    """x * hardsigmoid(x)."""
    return _result(input, lambda input: _float(input, "hardswish_cpu") * hardsigmoid(input), inplace)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(-x) along dim."""
    dim = _checks.implicit_dim("softmin", input, dim, _stacklevel)
    return (-(input if dtype is None else input.to(dtype))).softmax(dim)


class GELU(_Options):
    """x * Phi(x); approximate='tanh' uses the tanh approximation of Phi."""
    function = staticmethod(gelu)

    def __init__(self, approximate="none"):
        super().__init__(approximate=approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class _Inplace(_Options):
    """An activation whose options end with inplace (printed only when True, as torch prints it)."""

    def __init__(self, inplace=False, **options):
        super().__init__(**options, **({"inplace": True} if inplace else {}))
        self.inplace = inplace

    def forward(self, input):
        return self.function(input, *(getattr(self, k) for k in self._shown if k != "inplace"), self.inplace)


class SiLU(_Inplace):
    """x * sigmoid(x)."""
    function = staticmethod(silu)


class Mish(_Inplace):
    """x * tanh(softplus(x))."""
    function = staticmethod(mish)


class SELU(_Inplace):
    """Scaled ELU with the self-normalising constants."""
    function = staticmethod(selu)


class ReLU6(_Inplace):
    """min(max(x, 0), 6)."""
    function = staticmethod(relu6)


class LeakyReLU(_Inplace):
    """x for x > 0, negative_slope * x otherwise."""
    function = staticmethod(leaky_relu)

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__(inplace, negative_slope=negative_slope)


class ELU(_Inplace):
    """x for x > 0, alpha (e^x - 1) otherwise."""
    function = staticmethod(elu)

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__(inplace, alpha=alpha)


class CELU(_Inplace):
    """x for x > 0, alpha (e^(x / alpha) - 1) otherwise."""
    function = staticmethod(celu)

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__(inplace, alpha=alpha)


class Hardtanh(_Inplace):
    """x clamped to [min_val, max_val]."""
    function = staticmethod(hardtanh)

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False):
        if max_val <= min_val:
            raise AssertionError(f"max_val ({max_val}) must be greater than min_val ({min_val})")
        super().__init__(inplace, min_val=min_val, max_val=max_val)


class Hardsigmoid(_Inplace):
    """relu6(x + 3) / 6 (torch prints no options)."""
    function, extra_repr = staticmethod(hardsigmoid), Module.extra_repr


class Hardswish(Hardsigmoid):
    """x * hardsigmoid(x)."""
    function = staticmethod(hardswish)


class Softplus(_Options):
    """log(1 + e^(beta x)) / beta, linear above threshold."""
    function = staticmethod(softplus)

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__(beta=beta, threshold=threshold)


class Softsign(_Options):
    """x / (1 + |x|)."""
    function = staticmethod(softsign)


class LogSigmoid(_Options):
    """log(sigmoid(x))."""
    function = staticmethod(logsigmoid)


class _AlongDim(_Options):
    """A softmax-like layer along dim; an implicit dim's warning points at the module's caller, as in torch."""

    def __init__(self, dim=None):
        super().__init__(dim=dim)

    def forward(self, input):
        return self.function(input, self.dim, _stacklevel=5)


class Softmin(_AlongDim):
    """softmax(-x) along dim."""
    function = staticmethod(softmin)
