"""Elementwise ops: arithmetic (with torch's dtype promotion), unary math, comparisons, maximum/minimum.

Every differentiable op is `Tensor._op(result, inputs, rule, name, saved)`; rules take (xp, g, *saved) and are
plain numpy for first-order backward and Tensor ops under create_graph (autograd/namespace.py).
"""
import numpy as np

from .. import dtypes
from ..autograd.namespace import power
from ..tensor import Tensor, _to_array

_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2}  # numpy kind -> dtype category (bool < integer < float)


# Binary ops: (numpy function, rule, node name, which inputs the rule needs given (x needs grad, y needs grad)).
# A rule gets None for an input it did not save, and returns None for a gradient it need not compute.
def _mul_rule(xp, g, x, y):
    return (None if y is None else g * y), (None if x is None else g * x)  # d(x y) = (g y, g x)


ADD = (np.add, lambda xp, g, x=None, y=None: (g, g), "AddBackward0", None)  # d(x + y) = (g, g)
SUB = (np.subtract, lambda xp, g, x=None, y=None: (g, -g), "SubBackward0", None)  # d(x - y) = (g, -g)
MUL = (np.multiply, _mul_rule, "MulBackward0", lambda rx, ry: (ry, rx))
DIV = (np.divide, lambda xp, g, x, y: (g / y, None if x is None else -g * x / (y * y)),  # (g / y, -g x / y^2)
       "DivBackward0", lambda rx, ry: (ry, True))


def _broadcast_error(a, b):
    """torch's RuntimeError for shapes a, b that do not broadcast (it names the last clashing dim)."""
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    i = max(i for i in range(n) if a[i] != b[i] and 1 not in (a[i], b[i]))
    return RuntimeError(f"The size of tensor a ({a[i]}) must match the size of tensor b ({b[i]}) at non-singleton "
                        f"dimension {i}")


def _apply(fn, a, b):
    """fn(a, b) on two tensors' arrays, with torch's error when their shapes do not broadcast."""
    try:
        return fn(a._data, b._data)
    except ValueError:
        raise _broadcast_error(a.shape, b.shape) from None


def _pair(self, other):
    """(self, other) as tensors of torch's promoted dtype, plus that dtype."""
    if isinstance(other, Tensor):
        a, b = self._data, other._data
        if a.dtype == b.dtype:
            return self, other, self.dtype
        d = dtypes.promote([(self.dtype, 2 if a.ndim else 1), (other.dtype, 2 if b.ndim else 1)])
    else:
        if isinstance(other, np.ndarray):
            return _pair(self, Tensor(_to_array(other)))
        d = dtypes.promote([(self.dtype, 2 if self.ndim else 1), (dtypes.scalar_dtype(other), 0)])
        other = Tensor(np.array(other, dtype=d.np))
    return (self if self.dtype is d else self.to(d)), (other if other.dtype is d else other.to(d)), d


def _binary(self, other, op):
    """z = fn(x, y), recording the op's rule and only the inputs it needs."""
    fn, rule, name, save = op
    if type(other) in (int, float) and self._data.dtype.kind == "f":
        # fast path: a Python number never changes a float tensor's dtype; torch shows it as a None edge
        c = self._data.dtype.type(other)
        return Tensor._op(fn(self._data, c), (self,), lambda xp, g: (rule(xp, g, None, c)[0],), name, const=True)
    a, b, _ = _pair(self, other)
    try:  # free in the hot path: numpy's broadcast ValueError only costs when raised
        out = fn(a._data, b._data)
    except ValueError:
        raise _broadcast_error(a.shape, b.shape) from None
    if save is None:
        return Tensor._op(out, (a, b), rule, name)
    sx, sy = save(a.requires_grad, b.requires_grad)
    return Tensor._op(out, (a, b), rule, name, (a if sx else None, b if sy else None))


def _no_bool_sub(self, other):
    bools = (self._data.dtype.kind == "b") + (type(other) is bool or isinstance(other, Tensor)
                                               and other._data.dtype.kind == "b")
    if bools:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                           "`logical_xor()` operator instead." if bools == 2 else
                           "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying "
                           "to invert a mask, use the `~` or `logical_not()` operator instead.")


def _floats(self, other):
    """True division promotes integers to the default float dtype, as torch does."""
    if type(other) in (int, float) and self._data.dtype.kind == "f":
        return self, other
    a, b, d = _pair(self, other)
    if d.category < 2:
        f = dtypes.get_default_dtype()
        a, b = a.to(f), b.to(f)
    return a, b


def __add__(self, other):
    return _binary(self, other, ADD)


def __sub__(self, other):
    _no_bool_sub(self, other)
    return _binary(self, other, SUB)


def __rsub__(self, other):
    _no_bool_sub(self, other)
    if type(other) in (int, float) and self._data.dtype.kind == "f":  # torch's c - x: one input, RsubBackward1
        c = self._data.dtype.type(other)
        return Tensor._op(c - self._data, (self,), lambda xp, g: (-g,), "RsubBackward1")  # d(c - x) = -g
    a, b, _ = _pair(self, other)
    return _binary(b, a, SUB)


def __mul__(self, other):
    return _binary(self, other, MUL)


def __truediv__(self, other):
    a, b = _floats(self, other)
    return _binary(a, b, DIV)


def __rtruediv__(self, other):
    return self.reciprocal() * other  # torch's c / x


def __floordiv__(self, other):
    a, b, _ = _pair(self, other)
    return Tensor(np.floor_divide(a._data, b._data))


def pow(self, exponent):
    """Elementwise self ** exponent (scalar or broadcast tensor exponent)."""
    if type(exponent) in (int, float) and self._data.dtype.kind == "f":
        p = exponent
        # d(x^p) = g p x^(p-1)
        return Tensor._op(power(self._data, p), (self,), lambda xp, g, x: (g * p * xp.power(x, p - 1),),
                          "PowBackward0", (self,))
    a, b, d = _pair(self, exponent)
    out = _apply(np.power, a, b).astype(d.np, copy=False)  # numpy computes bool ** bool in int8

    def rule(xp, g, x, p, y):
        # d(x^p) = (g p x^(p-1), g x^p log x)
        return g * p * x ** (p - 1), g * y * xp.log(xp.where(x > 0, x, 1))
    return Tensor._op(out, (a, b), rule, "PowBackward1", (a, b), save_out=True)


def __rpow__(self, other):
    if type(other) in (int, float) and self._data.dtype.kind == "f":  # torch's c ** x: one input, PowBackward2
        c = self._data.dtype.type(other)
        ln_c = float(np.log(c)) if c > 0 else 0.0  # as PowBackward1's rule: no gradient for a base <= 0
        return Tensor._op(np.power(c, self._data), (self,), lambda xp, g, y: (g * y * ln_c,), "PowBackward2",
                          save_out=True)  # d c^x = g c^x ln c
    a, b, _ = _pair(self, other)
    return b.pow(a)


def neg(self):
    """Elementwise -x."""
    return Tensor._op(-self._data, (self,), lambda xp, g: (-g,), "NegBackward0")  # d(-x) = -g


def add(self, other, alpha=1):
    """self + alpha * other."""
    return self + (other * alpha if alpha != 1 else other)


def sub(self, other, alpha=1):
    """self - alpha * other."""
    return self - (other * alpha if alpha != 1 else other)


def _extremum(self, other, fn, wins, name):
    a, b, _ = _pair(self, other)
    x, y = a._data, b._data
    w = _apply(wins, a, b) + 0.5 * (x == y)
    # d max(x, y) = (g w, g (1 - w)), w = 1 where x wins, 1/2 on ties (torch's rule)
    return Tensor._op(_apply(fn, a, b), (a, b), lambda xp, g: (g * w, g * (1 - w)), name)


def maximum(self, other):
    """Elementwise max; ties split the gradient evenly, as in torch."""
    return _extremum(self, other, np.maximum, np.greater, "MaximumBackward0")


def minimum(self, other):
    """Elementwise min; ties split the gradient evenly, as in torch."""
    return _extremum(self, other, np.minimum, np.less, "MinimumBackward0")


def _compare(fn):
    def method(self, other):
        a, b, _ = _pair(self, other)
        return Tensor(_apply(fn, a, b))
    method.__doc__ = f"Elementwise {fn.__name__} (a bool tensor, no gradient)."
    return method


def _bitwise(logical, bitwise):
    def method(self, other):
        a, b, _ = _pair(self, other)
        return Tensor(_apply(logical if self._data.dtype.kind == "b" else bitwise, a, b))
    return method


def __invert__(self):
    return Tensor(~self._data)


def equal(self, other):
    """True when shapes and all values match."""
    return self.shape == other.shape and bool((self._data == other._data).all())


def allclose(self, other, rtol=1e-05, atol=1e-08):
    """True when all values are close."""
    return bool(np.allclose(self._data, _to_array(other), rtol=rtol, atol=atol))


# ---- unary math: (numpy function, rule, node name, what the rule needs: "x", "out" or nothing) -------------
def _unary(fn, rule, name, needs, doc):
    def method(self):
        t = self if self._data.dtype.kind == "f" else self.to(dtypes.get_default_dtype())
        out = fn(t._data)
        if needs == "x":
            return Tensor._op(out, (t,), rule, name, (t,))
        return Tensor._op(out, (t,), rule, name, save_out=needs == "out")
    method.__doc__ = doc
    return method


exp = _unary(np.exp, lambda xp, g, y: (g * y,), "ExpBackward0", "out", "Elementwise e^x.")  # d e^x = g e^x
log = _unary(np.log, lambda xp, g, x: (g / x,), "LogBackward0", "x", "Elementwise natural log.")  # g / x
sqrt = _unary(np.sqrt, lambda xp, g, y: (g / (2 * y),), "SqrtBackward0", "out",  # d sqrt x = g / (2 sqrt x)
              "Elementwise square root.")
sin = _unary(np.sin, lambda xp, g, x: (g * xp.cos(x),), "SinBackward0", "x", "Elementwise sine.")  # g cos x
cos = _unary(np.cos, lambda xp, g, x: (-g * xp.sin(x),), "CosBackward0", "x", "Elementwise cosine.")  # -g sin x
tanh = _unary(np.tanh, lambda xp, g, y: (g * (1 - y * y),), "TanhBackward0", "out",  # g (1 - tanh^2 x)
              "Elementwise tanh.")
# d sigmoid = g s (1 - s); the tanh form of the forward avoids overflow in exp for large |x|
sigmoid = _unary(lambda x: 0.5 * (np.tanh(0.5 * x) + 1), lambda xp, g, y: (g * y * (1 - y),), "SigmoidBackward0",
                 "out", "Elementwise logistic function 1 / (1 + e^-x).")
_LN2, _LN10 = float(np.log(2)), float(np.log(10))
tan = _unary(np.tan, lambda xp, g, y: (g * (1 + y * y),), "TanBackward0", "out",  # d tan x = g (1 + tan^2 x)
             "Elementwise tangent.")
log2 = _unary(np.log2, lambda xp, g, x: (g / (x * _LN2),), "Log2Backward0", "x",  # g / (x ln 2)
              "Elementwise base-2 log.")
log10 = _unary(np.log10, lambda xp, g, x: (g / (x * _LN10),), "Log10Backward0", "x",  # g / (x ln 10)
               "Elementwise base-10 log.")
log1p = _unary(np.log1p, lambda xp, g, x: (g / (1 + x),), "Log1PBackward0", "x",  # g / (1 + x)
               "Elementwise log(1 + x), accurate for small x.")
exp2 = _unary(np.exp2, lambda xp, g, y: (g * y * _LN2,), "Exp2Backward0", "out",  # g 2^x ln 2
              "Elementwise 2^x.")
expm1 = _unary(np.expm1, lambda xp, g, y: (g * (y + 1),), "Expm1Backward0", "out",  # g e^x = g (y + 1)
               "Elementwise e^x - 1, accurate for small x.")
rsqrt = _unary(lambda x: 1 / np.sqrt(x), lambda xp, g, y: (g * y * y * y * -0.5,), "RsqrtBackward0", "out",
               "Elementwise 1 / sqrt(x).")  # d x^(-1/2) = -g y^3 / 2
reciprocal = _unary(lambda x: 1 / x, lambda xp, g, y: (-g * y * y,), "ReciprocalBackward0", "out",  # -g / x^2
                    "Elementwise 1 / x.")


# ---- rounding: piecewise constant, so torch records them with a zero gradient (frac = x - trunc x passes g) ----
def _rounding(fn, name, kernel, doc):
    def method(self):
        x = self._data
        if x.dtype.kind != "f":
            if x.dtype.kind == "b" or name == "FracBackward0":
                raise NotImplementedError(f'"{kernel}" not implemented for \'{self.dtype.title}\'')
            return Tensor(x.copy())  # integers are already whole
        # d round(x) = 0; d frac(x) = g
        return Tensor._op(fn(x), (self,), lambda xp, g: (g if name == "FracBackward0" else g * 0,), name)
    method.__doc__ = doc
    return method


ceil = _rounding(np.ceil, "CeilBackward0", "ceil_vml_cpu", "Elementwise ceiling (zero gradient).")
floor = _rounding(np.floor, "FloorBackward0", "floor_vml_cpu", "Elementwise floor (zero gradient).")
trunc = _rounding(np.trunc, "TruncBackward0", "trunc_vml_cpu", "Elementwise rounding toward zero (zero gradient).")
frac = _rounding(lambda x: x - np.trunc(x), "FracBackward0", "frac_cpu", "Elementwise fractional part x - trunc(x).")
_round = _rounding(np.rint, "RoundBackward0", "round_vml_cpu", "")


def round(self, decimals=0):
    """Round half to even (to `decimals` places when given); zero gradient."""
    if decimals == 0:
        return _round(self)
    if self._data.dtype.kind != "f":
        raise NotImplementedError(f'"round_cpu" not implemented for \'{self.dtype.title}\'')
    # d round(x, decimals) = 0
    return Tensor._op(np.round(self._data, decimals), (self,), lambda xp, g: (g * 0,), "RoundBackward1")


def isnan(self):
    """Elementwise test for NaN (a bool tensor)."""
    return Tensor(np.isnan(self._data))


def isinf(self):
    """Elementwise test for +-inf (a bool tensor)."""
    return Tensor(np.isinf(self._data))


def isfinite(self):
    """Elementwise test for finite values (a bool tensor)."""
    return Tensor(np.isfinite(self._data))


# ---- derived from the primitives above ------------------------------------------------------------------------
def lerp(self, end, weight):
    """Linear interpolation self + weight * (end - self) (weight a number or a tensor)."""
    if self._data.dtype.kind != "f":
        raise NotImplementedError(f'"lerp_kernel_scalar" not implemented for \'{self.dtype.title}\'')
    if end.dtype is not self.dtype:
        raise RuntimeError(f"expected dtype {self.dtype.title.lower()} for `end` but got dtype "
                           f"{end.dtype.title.lower()}")
    return self + weight * (end - self)


def addcmul(self, tensor1, tensor2, *, value=1):
    """self + value * tensor1 * tensor2."""
    return self + value * tensor1 * tensor2


def addcdiv(self, tensor1, tensor2, *, value=1):
    """self + value * tensor1 / tensor2 (integer tensor1 and tensor2 are refused, as in torch)."""
    if tensor1._data.dtype.kind in "biu" and tensor2._data.dtype.kind in "biu":
        raise RuntimeError("Integer division with addcdiv is no longer supported, and in a future  release addcdiv "
                           "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can "
                           "be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
                           "integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future "
                           "addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), "
                           "for all dtypes.")
    return self + value * tensor1 / tensor2


def abs(self):
    """Elementwise |x| (integers stay integers)."""
    return Tensor._op(np.abs(self._data), (self,), lambda xp, g, x: (g * xp.sign(x),), "AbsBackward0", (self,))


def relu(self):
    """Elementwise max(x, 0)."""
    # d relu = g [out > 0]
    return Tensor._op(np.maximum(self._data, 0), (self,), lambda xp, g, y: (g * (y > 0),), "ReluBackward0",
                      save_out=True)


def sign(self):
    """Elementwise sign; recorded with a zero gradient, as in torch."""
    return Tensor._op(np.sign(self._data), (self,), lambda xp, g: (g * 0,), "SignBackward0")  # d sign = 0


def clamp(self, min=None, max=None):
    """Limit values to [min, max]; gradient flows where the input was inside."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    x = self._data
    lo = x.dtype.type(-np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min) if min is None else min
    hi = x.dtype.type(np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).max) if max is None else max
    lo, hi = _to_array(lo), _to_array(hi)
    inside = (x >= lo) & (x <= hi)
    # d clamp = g where lo <= x <= hi, else 0
    return Tensor._op(np.clip(x, lo, hi).astype(x.dtype), (self,), lambda xp, g: (g * inside,), "ClampBackward1")


def square(self):
    """Elementwise x^2."""
    return self * self


_DUNDERS = (__add__, __sub__, __rsub__, __mul__, __truediv__, __rtruediv__, __floordiv__, __rpow__, __invert__)
for _fn in _DUNDERS:
    setattr(Tensor, _fn.__name__, _fn)
_METHODS = dict(pow=pow, neg=neg, add=add, sub=sub, maximum=maximum, minimum=minimum, equal=equal, allclose=allclose,
                exp=exp, log=log, sqrt=sqrt, sin=sin, cos=cos, tanh=tanh, sigmoid=sigmoid, abs=abs, relu=relu,
                sign=sign, clamp=clamp, clip=clamp, square=square, mul=__mul__, div=__truediv__, tan=tan, log2=log2,
                log10=log10, log1p=log1p, exp2=exp2, expm1=expm1, rsqrt=rsqrt, reciprocal=reciprocal, ceil=ceil,
                floor=floor, trunc=trunc, frac=frac, round=round, isnan=isnan, isinf=isinf, isfinite=isfinite,
                lerp=lerp, addcmul=addcmul, addcdiv=addcdiv,
                __pow__=pow, __neg__=neg, __abs__=abs, __radd__=__add__, __rmul__=__mul__)
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
for _name, _np in (("eq", np.equal), ("ne", np.not_equal), ("lt", np.less), ("le", np.less_equal),
                   ("gt", np.greater), ("ge", np.greater_equal)):
    setattr(Tensor, _name, _compare(_np))
    setattr(Tensor, f"__{_name}__", getattr(Tensor, _name))
Tensor.__and__ = _bitwise(np.logical_and, np.bitwise_and)
Tensor.__or__ = _bitwise(np.logical_or, np.bitwise_or)
