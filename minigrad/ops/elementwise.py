"""Elementwise ops: arithmetic (with torch's dtype promotion), unary math, comparisons, maximum/minimum.

Every differentiable op is `Tensor._op(result, inputs, rule, name, saved)`; rules take (xp, g, *saved) and are
plain numpy for first-order backward and Tensor ops under create_graph (autograd/namespace.py).
"""
import numpy as np

from .. import dtypes
from ..autograd.namespace import power
from ..tensor import Tensor, _to_array

_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2}  # numpy kind -> dtype category (bool < integer < float)


# Binary ops: (numpy function, rule, node name, which inputs to save given (x needs grad, y needs grad)).
# A rule gets None for an input it did not save, and returns None for a gradient it cannot (need not) compute.
def _add_rule(xp, g, x=None, y=None):
    return g, g  # d(x + y) = (g, g)


def _sub_rule(xp, g, x=None, y=None):
    return g, -g  # d(x - y) = (g, -g)


def _mul_rule(xp, g, x=None, y=None):
    # d(x y) = (g y, g x)
    return (None if y is None else g * y), (None if x is None else g * x)


def _div_rule(xp, g, x=None, y=None):
    # d(x / y) = (g / y, -g x / y^2)
    return g / y, (None if x is None else -g * x / (y * y))


ADD = (np.add, _add_rule, "AddBackward0", None)
SUB = (np.subtract, _sub_rule, "SubBackward0", None)
MUL = (np.multiply, _mul_rule, "MulBackward0", lambda rx, ry: (ry, rx))
DIV = (np.divide, _div_rule, "DivBackward0", lambda rx, ry: (ry, True))


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


def _binary(self, other, op, reflect=False):
    """z = fn(x, y) (or fn(other, self) when reflect), recording the op's rule and only the inputs it needs."""
    fn, rule, name, save = op
    if type(other) in (int, float) and self._data.dtype.kind == "f":
        # fast path: a Python number never changes a float tensor's dtype; torch shows it as a None edge
        c = self._data.dtype.type(other)
        keep = save is not None and save(not reflect, reflect)[reflect]
        if reflect:
            r = (lambda xp, g, y: (rule(xp, g, c, y)[1],)) if keep else (lambda xp, g: (rule(xp, g, c)[1],))
            return Tensor._op(fn(c, self._data), (self,), r, name, (self,) if keep else (), const=True)
        r = (lambda xp, g, x: (rule(xp, g, x, c)[0],)) if keep else (lambda xp, g: (rule(xp, g, None, c)[0],))
        return Tensor._op(fn(self._data, c), (self,), r, name, (self,) if keep else (), const=True)
    a, b, _ = _pair(self, other)
    if reflect:
        a, b = b, a
    if save is None:
        return Tensor._op(fn(a._data, b._data), (a, b), rule, name)
    sx, sy = save(a.requires_grad, b.requires_grad)
    return Tensor._op(fn(a._data, b._data), (a, b), rule, name, (a if sx else None, b if sy else None))


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


def __radd__(self, other):
    return _binary(self, other, ADD, True)


def __sub__(self, other):
    _no_bool_sub(self, other)
    return _binary(self, other, SUB)


def __rsub__(self, other):
    _no_bool_sub(self, other)
    return _binary(self, other, SUB, True)


def __mul__(self, other):
    return _binary(self, other, MUL)


def __rmul__(self, other):
    return _binary(self, other, MUL, True)


def __truediv__(self, other):
    a, b = _floats(self, other)
    return _binary(a, b, DIV)


def __rtruediv__(self, other):
    a, b = _floats(self, other)
    return _binary(a, b, DIV, True)


def __floordiv__(self, other):
    a, b, _ = _pair(self, other)
    return Tensor(np.floor_divide(a._data, b._data))


def pow(self, exponent):
    """Elementwise self ** exponent (scalar or broadcast tensor exponent)."""
    if type(exponent) in (int, float) and self._data.dtype.kind == "f":
        p = exponent
        # d(x^p) = g p x^(p-1)
        return Tensor._op(power(self._data, p), (self,), lambda xp, g, x: (g * p * xp.power(x, p - 1),),
                          "PowBackward0", (self,), const=True)
    a, b, d = _pair(self, exponent)
    out = np.power(a._data, b._data).astype(d.np, copy=False)  # numpy computes bool ** bool in int8

    def rule(xp, g, x, p, y):
        # d(x^p) = (g p x^(p-1), g x^p log x)
        return g * p * x ** (p - 1), g * y * xp.log(xp.where(x > 0, x, 1))
    return Tensor._op(out, (a, b), rule, "PowBackward1", (a, b), save_out=True)


def __rpow__(self, other):
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
    w = wins(x, y) + 0.5 * (x == y)
    # d max(x, y) = (g w, g (1 - w)), w = 1 where x wins, 1/2 on ties (torch's rule)
    return Tensor._op(fn(x, y), (a, b), lambda xp, g: (g * w, g * (1 - w)), name)


def maximum(self, other):
    """Elementwise max; ties split the gradient evenly, as in torch."""
    return _extremum(self, other, np.maximum, np.greater, "MaximumBackward0")


def minimum(self, other):
    """Elementwise min; ties split the gradient evenly, as in torch."""
    return _extremum(self, other, np.minimum, np.less, "MinimumBackward0")


def _compare(fn):
    def method(self, other):
        a, b, _ = _pair(self, other)
        return Tensor(fn(a._data, b._data))
    method.__doc__ = f"Elementwise {fn.__name__} (a bool tensor, no gradient)."
    return method


def _bitwise(logical, bitwise):
    def method(self, other):
        a, b, _ = _pair(self, other)
        return Tensor((logical if self._data.dtype.kind == "b" else bitwise)(a._data, b._data))
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


_DUNDERS = (__add__, __radd__, __sub__, __rsub__, __mul__, __rmul__, __truediv__, __rtruediv__, __floordiv__,
            __rpow__, __invert__)
for _fn in _DUNDERS:
    setattr(Tensor, _fn.__name__, _fn)
_METHODS = dict(pow=pow, neg=neg, add=add, sub=sub, maximum=maximum, minimum=minimum, equal=equal, allclose=allclose,
                exp=exp, log=log, sqrt=sqrt, sin=sin, cos=cos, tanh=tanh, sigmoid=sigmoid, abs=abs, relu=relu,
                sign=sign, clamp=clamp, clip=clamp, square=square, mul=__mul__, div=__truediv__,
                __pow__=pow, __neg__=neg, __abs__=abs)
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
for _name, _np in (("eq", np.equal), ("ne", np.not_equal), ("lt", np.less), ("le", np.less_equal),
                   ("gt", np.greater), ("ge", np.greater_equal)):
    setattr(Tensor, _name, _compare(_np))
    setattr(Tensor, f"__{_name}__", getattr(Tensor, _name))
Tensor.__and__ = _bitwise(np.logical_and, np.bitwise_and)
Tensor.__or__ = _bitwise(np.logical_or, np.bitwise_or)
