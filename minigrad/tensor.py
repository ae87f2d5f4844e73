"""Tensor: a numpy array plus the autograd bookkeeping; every differentiable op lives here.

Each op computes its result with numpy and, beside it, a `backward(g)` closure that maps the output's
gradient g to one gradient per input (the math in a comment). `Tensor._op` records the node only when
some input requires grad; the engine in autograd.py walks the nodes and sums broadcast gradients back to
each input's shape, so no op has to.
"""
import collections

import numpy as np

from . import dtypes
from .autograd import Node, _grad_enabled as _grad_mode, accumulate_node, is_grad_enabled, run_backward

_TENSOR_LIKE = (np.ndarray,)
_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2}  # numpy kind -> dtype category (bool < integer < float)
minmax = collections.namedtuple("minmax", ["values", "indices"])


# (dz/dx, dz/dy) of the arithmetic operators, each a function of the output gradient g and the inputs x, y
_ADD = (lambda g, x, y: g, lambda g, x, y: g)  # d(x + y) = (g, g)
_SUB = (lambda g, x, y: g, lambda g, x, y: -g)  # d(x - y) = (g, -g)
_MUL = (lambda g, x, y: g * y, lambda g, x, y: g * x)  # d(x * y) = (g y, g x)
_DIV = (lambda g, x, y: g / y, lambda g, x, y: -g * x / (y * y))  # d(x / y) = (g / y, -g x / y^2)


class Size(tuple):
    """A tensor's shape: a tuple that prints like torch.Size."""

    def __repr__(self):
        return f"minigrad.Size({list(self)})"

    def numel(self):
        """Number of elements a tensor of this shape holds."""
        return int(np.prod(self, dtype=np.int64))


def _dims(args):
    """Accept f(2, 3), f((2, 3)) and f([2, 3]) alike, as torch does for shapes and dims."""
    return tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list, Size)) else tuple(args)


def _axis(dim, ndim):
    """Normalise a possibly negative dim, with torch's IndexError when out of range."""
    lo, hi = -max(ndim, 1), max(ndim, 1) - 1
    if not lo <= dim <= hi:
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})")
    return dim % max(ndim, 1)


def _axes(dim, ndim):
    """A dim argument (None, int or tuple) as a tuple of non-negative axes (None = all)."""
    if dim is None or ndim == 0:
        for d in () if dim is None else (dim if isinstance(dim, (tuple, list)) else (dim,)):
            _axis(d, ndim)  # a 0-d tensor accepts dims 0 and -1, meaning itself
        return tuple(range(ndim))
    return tuple(sorted(_axis(d, ndim) for d in (dim if isinstance(dim, (tuple, list)) else (dim,))))


def _to_array(data, dtype=None):
    """numpy array from nested lists, scalars, arrays or Tensors, with torch's dtype inference."""
    if isinstance(data, Tensor):
        arr = data._data
    elif isinstance(data, (np.ndarray, np.generic)):
        arr = np.asarray(data)
    else:
        if isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in data):
            data = [x._data if isinstance(x, Tensor) else x for x in data]
        arr = np.array(data)
        if dtype is not None:
            return arr.astype(dtype.np)  # straight to the requested dtype: no float32 detour for float64
        if arr.dtype.kind == "f":
            arr = arr.astype(dtypes.get_default_dtype().np)
        elif arr.dtype.kind in "iu" and arr.dtype != np.uint8:
            arr = arr.astype(np.int64)
        elif arr.dtype.kind not in "biu":
            raise TypeError(f"can't convert data of type {arr.dtype} to a tensor")
    if dtype is not None:
        return arr.astype(dtype.np, copy=False)
    dtypes.from_np(arr.dtype)  # rejects unsupported numpy dtypes (float16, complex, ...)
    return arr


class Tensor:
    """An n-dimensional array with autograd, mirroring torch.Tensor."""
    __slots__ = ("_data", "requires_grad", "grad", "grad_fn", "_accum", "__weakref__")
    __array_ufunc__ = None  # numpy scalars defer to our reflected operators instead of converting us

    def __init__(self, data, requires_grad=False):
        if not isinstance(data, np.ndarray):
            # numpy ops on 0-d arrays return numpy scalars: keep their dtype; other data is torch.Tensor(list)
            data = np.asarray(data) if isinstance(data, np.generic) else _to_array(data, dtypes.get_default_dtype())
        self._data = data
        self.requires_grad, self.grad, self.grad_fn, self._accum = requires_grad, None, None, None

    # ---- graph bookkeeping -------------------------------------------------------------------------
    @staticmethod
    def _op(data, parents, backward, name):
        """Wrap an op's result; record its node when grad mode is on and an input requires grad."""
        out = Tensor(data)
        if _grad_mode[0]:
            for p in parents:
                if p.requires_grad:
                    out.requires_grad = True
                    out.grad_fn = Node(name, tuple([p._node() for p in parents]),
                                       tuple([p._data.shape for p in parents]), backward)
                    break
        return out

    def _node(self):
        """The node gradients for this tensor flow into (its grad_fn, or its leaf accumulator)."""
        if self.grad_fn is not None:
            return self.grad_fn
        return accumulate_node(self) if self.requires_grad else None

    def _accumulate(self, g):
        """Leaf gradient accumulation: .grad += g (a copy the first time, so no alias escapes)."""
        if self.grad is None:
            self.grad = Tensor(np.array(g, dtype=self._data.dtype, copy=True).reshape(self._data.shape))
        else:
            self.grad._data += g

    def _seed_grad(self, gradient):
        """The gradient backward starts from: 1 for scalars, else the caller's `gradient`."""
        if gradient is None:
            if self._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            return np.ones_like(self._data)
        g = _to_array(gradient)
        if g.shape != self._data.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of {Size(g.shape)} and "
                               f"output[0] has a shape of {self.shape}.")
        return g.astype(self._data.dtype, copy=False)

    def backward(self, gradient=None, retain_graph=None, create_graph=False):
        """Accumulate d(self)/d(leaf) * gradient into every leaf's .grad."""
        if not self.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        run_backward([self._node()], [self._seed_grad(gradient)], bool(retain_graph))

    def register_hook(self, hook):
        """Call hook(grad) when this tensor's gradient is computed; a returned tensor replaces grad."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")

        def on_grad(g):
            out = hook(Tensor(g))
            return None if out is None else out._data
        self._node().register_hook(on_grad)

    def retain_grad(self):
        """Keep .grad on this non-leaf tensor after backward."""
        if self.grad_fn is not None:
            self.grad_fn.register_hook(lambda g: self._accumulate(g))

    @property
    def is_leaf(self):
        """True for tensors not produced by a recorded op."""
        return self.grad_fn is None

    def requires_grad_(self, requires_grad=True):
        """Set requires_grad in place (leaves only)."""
        if not requires_grad and self.grad_fn is not None:
            raise RuntimeError("you can only change requires_grad flags of leaf variables.")
        self.requires_grad = requires_grad
        return self

    def detach(self):
        """A tensor sharing this data, cut from the graph."""
        return Tensor(self._data)

    @property
    def data(self):
        """This tensor's values as a graph-free tensor sharing storage."""
        return Tensor(self._data)

    @data.setter
    def data(self, value):
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    # ---- metadata and conversion -------------------------------------------------------------------
    @property
    def shape(self):
        """The shape, as a minigrad.Size."""
        return Size(self._data.shape)

    def size(self, dim=None):
        """The shape, or one dimension of it."""
        return self.shape if dim is None else self._data.shape[_axis(dim, self.ndim)]

    @property
    def ndim(self):
        """Number of dimensions."""
        return self._data.ndim

    def dim(self):
        """Number of dimensions."""
        return self._data.ndim

    def numel(self):
        """Number of elements."""
        return self._data.size

    @property
    def dtype(self):
        """The element type."""
        return dtypes.from_np(self._data.dtype)

    @property
    def device(self):
        """Always the CPU."""
        from .device import device
        return device("cpu")

    @property
    def is_cuda(self):
        """Always False: minigrad runs on the CPU."""
        return False

    def is_floating_point(self):
        """True for float32/float64 tensors."""
        return self._data.dtype.kind == "f"

    def item(self):
        """The single value as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        """Nested Python lists of the values."""
        return self._data.tolist()

    def numpy(self):
        """The underlying numpy array (shared, not copied)."""
        if self.requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        return self._data if dtype is None else self._data.astype(dtype)

    def to(self, *args, **kwargs):
        """Convert to a dtype (differentiably); devices other than the CPU are refused."""
        from .device import device
        target = kwargs.get("dtype")
        for a in args + tuple(v for k, v in kwargs.items() if k == "device"):
            if isinstance(a, dtypes.dtype):
                target = a
            elif isinstance(a, Tensor):
                target = a.dtype
            else:
                device(a)  # raises for anything but the CPU
        if target is None or target.np == self._data.dtype:
            return self
        if target.category < 2:
            return Tensor(self._data.astype(target.np))  # integers carry no gradient
        src = self._data.dtype
        # d(cast x)/dx = 1, cast back to the source dtype
        return Tensor._op(self._data.astype(target.np), (self,), lambda g: (g.astype(src),), "ToCopyBackward0")

    def cpu(self):
        """This tensor (it already lives on the CPU)."""
        return self

    type = to  # .float(), .long(), ... are defined from a table below the class

    def clone(self):
        """A copy of the data that stays in the graph (gradient passes straight through)."""
        return Tensor._op(self._data.copy(), (self,), lambda g: (g,), "CloneBackward0")  # d clone = g

    def contiguous(self):
        """A C-contiguous tensor with the same values."""
        return self if self._data.flags.c_contiguous else self.clone()

    def __repr__(self):
        from .printing import tensor_repr
        return tensor_repr(self)

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(()))

    def __index__(self):
        if self._data.size != 1 or self._data.dtype.kind not in "iu":
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.reshape(()))

    def __int__(self):
        return int(self.item())

    def __float__(self):
        return float(self.item())

    __hash__ = object.__hash__

    # ---- elementwise binary ops --------------------------------------------------------------------
    def _pair(self, other):
        """(self, other) as tensors of torch's promoted dtype, plus that dtype."""
        if isinstance(other, Tensor):
            a, b = self._data, other._data
            if a.dtype == b.dtype:
                return self, other, self.dtype
            d = dtypes.promote([(self.dtype, 2 if a.ndim else 1), (other.dtype, 2 if b.ndim else 1)])
        else:
            if isinstance(other, _TENSOR_LIKE):
                return self._pair(Tensor(_to_array(other)))
            d = dtypes.promote([(self.dtype, 2 if self.ndim else 1), (dtypes.scalar_dtype(other), 0)])
            other = Tensor(np.array(other, dtype=d.np))
        return (self if self.dtype is d else self.to(d)), (other if other.dtype is d else other.to(d)), d

    def _binary(self, other, fn, rules, name, reflect=False):
        """z = fn(x, y) with rules = (dz/dx, dz/dy) as functions of (g, x, y); only needed gradients are computed."""
        dx, dy = rules
        if type(other) in (int, float) and self._data.dtype.kind == "f":
            # fast path: a Python number never changes a float tensor's dtype, and needs no graph edge
            x, y = self._data, self._data.dtype.type(other)
            if reflect:
                return Tensor._op(fn(y, x), (self,), lambda g: (dy(g, y, x),), name)
            return Tensor._op(fn(x, y), (self,), lambda g: (dx(g, x, y),), name)
        a, b, _ = self._pair(other)
        if reflect:
            a, b = b, a
        x, y, ra, rb = a._data, b._data, a.requires_grad, b.requires_grad
        return Tensor._op(fn(x, y), (a, b), lambda g: (dx(g, x, y) if ra else None, dy(g, x, y) if rb else None),
                          name)

    def __add__(self, other):
        return self._binary(other, np.add, _ADD, "AddBackward0")

    def __radd__(self, other):
        return self._binary(other, np.add, _ADD, "AddBackward0", True)

    def _no_bool_sub(self, other):
        bools = (self._data.dtype.kind == "b") + (type(other) is bool or isinstance(other, Tensor)
                                                   and other._data.dtype.kind == "b")
        if bools:
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                               "`logical_xor()` operator instead." if bools == 2 else
                               "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying "
                               "to invert a mask, use the `~` or `logical_not()` operator instead.")

    def __sub__(self, other):
        self._no_bool_sub(other)
        return self._binary(other, np.subtract, _SUB, "SubBackward0")

    def __rsub__(self, other):
        self._no_bool_sub(other)
        return self._binary(other, np.subtract, _SUB, "SubBackward0", True)

    def __mul__(self, other):
        return self._binary(other, np.multiply, _MUL, "MulBackward0")

    def __rmul__(self, other):
        return self._binary(other, np.multiply, _MUL, "MulBackward0", True)

    def _floats(self, other):
        """True division promotes integers to the default float dtype, as torch does."""
        if type(other) in (int, float) and self._data.dtype.kind == "f":
            return self, other
        a, b, d = self._pair(other)
        if d.category < 2:
            f = dtypes.get_default_dtype()
            a, b = a.to(f), b.to(f)
        return a, b

    def __truediv__(self, other):
        # d(x/y) = (g/y, -g*x/y^2)
        a, b = self._floats(other)
        return a._binary(b, np.divide, _DIV, "DivBackward0")

    def __rtruediv__(self, other):
        a, b = self._floats(other)
        return a._binary(b, np.divide, _DIV, "DivBackward0", True)

    def __floordiv__(self, other):
        a, b, _ = self._pair(other)
        return Tensor(np.floor_divide(a._data, b._data))

    def pow(self, exponent):
        """Elementwise self ** exponent (scalar or broadcast tensor exponent)."""
        if type(exponent) in (int, float) and self._data.dtype.kind == "f":
            x, p = self._data, exponent
            # d(x^p) = g * p * x^(p-1)
            return Tensor._op(_power(x, p), (self,), lambda g: (g * p * _power(x, p - 1),), "PowBackward0")
        a, b, d = self._pair(exponent)
        x, p = a._data, b._data
        out = np.power(x, p).astype(d.np, copy=False)  # numpy computes bool ** bool in int8
        need_p = b.requires_grad

        def backward(g):
            # d(x^p) = (g * p * x^(p-1), g * x^p * log x)
            gx = g * p * np.power(x, p - 1)
            gp = g * out * np.log(np.where(x > 0, x, 1)) if need_p else None
            return gx, gp
        return Tensor._op(out, (a, b), backward, "PowBackward0")

    __pow__ = pow

    def __rpow__(self, other):
        a, b, _ = self._pair(other)
        return b.pow(a)

    def __neg__(self):
        # d(-x) = -g
        return Tensor._op(-self._data, (self,), lambda g: (-g,), "NegBackward0")

    neg = __neg__

    def add(self, other, alpha=1):
        """self + alpha * other."""
        return self + (other * alpha if alpha != 1 else other)

    def sub(self, other, alpha=1):
        """self - alpha * other."""
        return self - (other * alpha if alpha != 1 else other)

    mul, div = __mul__, __truediv__

    def maximum(self, other):
        """Elementwise max; ties split the gradient evenly, as in torch."""
        a, b, _ = self._pair(other)
        x, y = a._data, b._data
        # d max(x, y) = g where x wins (half each on ties)
        w = (x > y) + 0.5 * (x == y)
        return Tensor._op(np.maximum(x, y), (a, b), lambda g: (g * w, g * (1 - w)), "MaximumBackward0")

    def minimum(self, other):
        """Elementwise min; ties split the gradient evenly, as in torch."""
        a, b, _ = self._pair(other)
        x, y = a._data, b._data
        w = (x < y) + 0.5 * (x == y)
        # d min(x, y) = g where x wins (half each on ties)
        return Tensor._op(np.minimum(x, y), (a, b), lambda g: (g * w, g * (1 - w)), "MinimumBackward0")

    # ---- comparisons (no gradient) -----------------------------------------------------------------
    def _compare(self, other, fn):
        a, b, _ = self._pair(other)
        return Tensor(fn(a._data, b._data))

    def __eq__(self, other):
        return self._compare(other, np.equal)

    def __ne__(self, other):
        return self._compare(other, np.not_equal)

    def __lt__(self, other):
        return self._compare(other, np.less)

    def __le__(self, other):
        return self._compare(other, np.less_equal)

    def __gt__(self, other):
        return self._compare(other, np.greater)

    def __ge__(self, other):
        return self._compare(other, np.greater_equal)

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__

    def __invert__(self):
        return Tensor(~self._data)

    def __and__(self, other):
        return self._compare(other, np.logical_and if self.dtype is dtypes.bool_ else np.bitwise_and)

    def __or__(self, other):
        return self._compare(other, np.logical_or if self.dtype is dtypes.bool_ else np.bitwise_or)

    def equal(self, other):
        """True when shapes and all values match."""
        return self.shape == other.shape and bool((self._data == other._data).all())

    def allclose(self, other, rtol=1e-05, atol=1e-08):
        """True when all values are close."""
        return bool(np.allclose(self._data, _to_array(other), rtol=rtol, atol=atol))

    # ---- elementwise unary ops ---------------------------------------------------------------------
    def _unary(self, fn, backward, name):
        t = self if self._data.dtype.kind == "f" else self.to(dtypes.get_default_dtype())
        x = t._data
        out = fn(x)
        return Tensor._op(out, (t,), lambda g: (backward(g, x, out),), name)

    def exp(self):
        """Elementwise e^x."""
        return self._unary(np.exp, lambda g, x, y: g * y, "ExpBackward0")  # d e^x = g e^x

    def log(self):
        """Elementwise natural log."""
        return self._unary(np.log, lambda g, x, y: g / x, "LogBackward0")  # d log x = g / x

    def sqrt(self):
        """Elementwise square root."""
        return self._unary(np.sqrt, lambda g, x, y: g / (2 * y), "SqrtBackward0")  # d sqrt x = g / (2 sqrt x)

    def sin(self):
        """Elementwise sine."""
        return self._unary(np.sin, lambda g, x, y: g * np.cos(x), "SinBackward0")  # d sin x = g cos x

    def cos(self):
        """Elementwise cosine."""
        return self._unary(np.cos, lambda g, x, y: -g * np.sin(x), "CosBackward0")  # d cos x = -g sin x

    def tanh(self):
        """Elementwise tanh."""
        return self._unary(np.tanh, lambda g, x, y: g * (1 - y * y), "TanhBackward0")  # d tanh = g (1 - tanh^2)

    def sigmoid(self):
        """Elementwise logistic function 1 / (1 + e^-x)."""
        # d sigmoid = g s (1 - s); the tanh form avoids overflow in exp for large |x|
        return self._unary(lambda x: 0.5 * (np.tanh(0.5 * x) + 1), lambda g, x, y: g * y * (1 - y), "SigmoidBackward0")

    def abs(self):
        """Elementwise |x|."""
        x = self._data
        return Tensor._op(np.abs(x), (self,), lambda g: (g * np.sign(x),), "AbsBackward0")  # d|x| = g sign(x)

    __abs__ = abs

    def relu(self):
        """Elementwise max(x, 0)."""
        x = self._data
        return Tensor._op(np.maximum(x, 0), (self,), lambda g: (g * (x > 0),), "ReluBackward0")  # g [x > 0]

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
        return Tensor._op(np.clip(x, lo, hi).astype(x.dtype), (self,), lambda g: (g * inside,), "ClampBackward1")

    clip = clamp

    def sign(self):
        """Elementwise sign (no gradient)."""
        return Tensor(np.sign(self._data))

    def square(self):
        """Elementwise x^2."""
        return self * self

    # ---- reductions --------------------------------------------------------------------------------
    def _reduce_backward(self, g, axes, keepdim):
        """Re-insert reduced axes so g broadcasts against the input."""
        return g if keepdim else np.expand_dims(g, axes)

    def sum(self, dim=None, keepdim=False, dtype=None):
        """Sum over dims (all by default); integers and bools sum to int64."""
        t = self.to(dtype) if dtype is not None else self
        axes = _axes(dim, t.ndim)
        x = t._data
        out = x.sum(axis=axes, keepdims=keepdim, dtype=np.int64 if x.dtype.kind in "biu" else None)
        shape = x.shape
        # d sum = g broadcast over the summed axes
        return Tensor._op(np.asarray(out), (t,), lambda g: (np.broadcast_to(t._reduce_backward(g, axes, keepdim), shape),),
                          "SumBackward1" if dim is not None else "SumBackward0")

    def mean(self, dim=None, keepdim=False, dtype=None):
        """Mean over dims (all by default); floating tensors only, as in torch."""
        t = self.to(dtype) if dtype is not None else self
        if t._data.dtype.kind != "f":
            raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point "
                               f"or complex dtype. Got: {t.dtype.title}")
        axes = _axes(dim, t.ndim)
        n = int(np.prod([t._data.shape[a] for a in axes]))
        out = t.sum(dim, keepdim) / n if n else t.sum(dim, keepdim) * np.nan
        if out.grad_fn is not None:
            out.grad_fn._name = "MeanBackward1" if dim is not None else "MeanBackward0"
        return out

    def var(self, dim=None, unbiased=True, keepdim=False, correction=None):
        """Variance over dims with Bessel's correction by default."""
        c = (1 if unbiased else 0) if correction is None else correction
        axes = _axes(dim, self.ndim)
        n = int(np.prod([self._data.shape[a] for a in axes]))
        d = self - self.mean(dim, keepdim=True)
        return (d * d).sum(dim, keepdim) / max(n - c, 0)

    def std(self, dim=None, unbiased=True, keepdim=False, correction=None):
        """Standard deviation over dims."""
        return self.var(dim, unbiased, keepdim, correction).sqrt()

    def amax(self, dim=None, keepdim=False):
        """Max over dims; ties share the gradient evenly."""
        return self._extreme(np.max, dim, keepdim, "AmaxBackward0")

    def amin(self, dim=None, keepdim=False):
        """Min over dims; ties share the gradient evenly."""
        return self._extreme(np.min, dim, keepdim, "AminBackward0")

    def _extreme(self, fn, dim, keepdim, name):
        x = self._data
        if x.size == 0:
            raise RuntimeError(f"{name[:4].lower()}(): Expected reduction dim to be specified for input.numel() == 0.")
        axes = _axes(dim, self.ndim)
        out = fn(x, axis=axes, keepdims=True)

        def backward(g):
            # d max = g spread evenly over the positions equal to the max
            hit = x == out
            return (self._reduce_backward(g, axes, keepdim) * hit / hit.sum(axis=axes, keepdims=True),)
        return Tensor._op(out if keepdim else out.reshape([n for i, n in enumerate(x.shape) if i not in axes]),
                          (self,), backward, name)

    def _arg(self, fn, dim, keepdim):
        if dim is None:
            return Tensor(np.asarray(fn(self._data.reshape(-1)), dtype=np.int64))
        return Tensor(np.asarray(fn(self._data, axis=_axis(dim, self.ndim), keepdims=keepdim), dtype=np.int64))

    def argmax(self, dim=None, keepdim=False):
        """Index of the max (of the flattened tensor when dim is None)."""
        return self._arg(np.argmax, dim, keepdim)

    def argmin(self, dim=None, keepdim=False):
        """Index of the min (of the flattened tensor when dim is None)."""
        return self._arg(np.argmin, dim, keepdim)

    def _minmax(self, dim, keepdim, other, arg, elementwise, extreme):
        if isinstance(dim, Tensor):
            return elementwise(dim)
        if dim is None:
            return extreme()
        if self.ndim == 0:
            _axis(dim, 0)
            return minmax(self.clone(), Tensor(np.array(0)))
        idx = arg(dim, keepdim=True)
        ax = _axis(dim, self.ndim)
        vals = self.gather(ax, idx)
        if not keepdim:
            vals, idx = vals.squeeze(ax), idx.squeeze(ax)
        return minmax(vals, idx)

    def max(self, dim=None, keepdim=False):
        """Global max, max(dim) -> (values, indices), or elementwise max with a tensor."""
        return self._minmax(dim, keepdim, None, self.argmax, self.maximum, self.amax)

    def min(self, dim=None, keepdim=False):
        """Global min, min(dim) -> (values, indices), or elementwise min with a tensor."""
        return self._minmax(dim, keepdim, None, self.argmin, self.minimum, self.amin)

    def gather(self, dim, index):
        """out[i][j] = self[index[i][j]][j] along dim (torch.gather)."""
        ax, idx, x = _axis(dim, self.ndim), index._data, self._data
        shape = x.shape
        if x.ndim == 0:
            return self.clone()

        def backward(g):
            # d gather = scatter-add g back to the gathered positions
            out = np.zeros(shape, dtype=g.dtype)
            np.add.at(out, _along(idx, ax), g)
            return (out,)
        return Tensor._op(x[_along(idx, ax)], (self,), backward, "GatherBackward0")

    def softmax(self, dim):
        """exp(x) / sum(exp(x)) along dim, computed stably."""
        x = self._data if self._data.dtype.kind == "f" else self._data.astype(dtypes.get_default_dtype().np)
        e = np.exp(x - x.max(axis=dim, keepdims=True))
        s = e / e.sum(axis=dim, keepdims=True)
        # d softmax = s * (g - sum(g * s))
        return Tensor._op(s, (self,), lambda g: (s * (g - (g * s).sum(axis=dim, keepdims=True)),), "SoftmaxBackward0")

    def log_softmax(self, dim):
        """x - logsumexp(x) along dim, computed stably."""
        x = self._data if self._data.dtype.kind == "f" else self._data.astype(dtypes.get_default_dtype().np)
        z = x - x.max(axis=dim, keepdims=True)
        out = z - np.log(np.exp(z).sum(axis=dim, keepdims=True))
        # d log_softmax = g - softmax * sum(g)
        return Tensor._op(out, (self,), lambda g: (g - np.exp(out) * g.sum(axis=dim, keepdims=True),),
                          "LogSoftmaxBackward0")

    # ---- matrix product ----------------------------------------------------------------------------
    def matmul(self, other):
        """Matrix product with numpy/torch semantics for 1-D, 2-D and batched (broadcast) operands."""
        a, b, _ = self._pair(other)
        x, y = a._data, b._data
        if x.ndim == 0 or y.ndim == 0:
            raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {x.ndim}D and {y.ndim}D")
        if x.shape[-1] != y.shape[-2 if y.ndim > 1 else 0]:
            if x.ndim == 1 and y.ndim == 1:
                raise RuntimeError(f"inconsistent tensor size, expected tensor [{x.shape[0]}] and src [{y.shape[0]}] "
                                   "to have the same number of elements, but got "
                                   f"{x.shape[0]} and {y.shape[0]} elements respectively")
            xs = "x".join(map(str, x.shape if x.ndim > 1 else (1,) + x.shape))
            ys = "x".join(map(str, y.shape if y.ndim > 1 else y.shape + (1,)))
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({xs} and {ys})")
        x2 = x[None] if x.ndim == 1 else x
        y2 = y[:, None] if y.ndim == 1 else y

        def backward(g):
            # d(X @ Y) = (G @ Y^T, X^T @ G); 1-D operands were lifted to matrices and are squeezed back
            g2 = g.reshape(g.shape[:-1] + (1,) + g.shape[-1:]) if x.ndim == 1 else g
            g2 = g2[..., None] if y.ndim == 1 else g2
            gx = g2 @ np.swapaxes(y2, -1, -2) if a.requires_grad else None
            gy = np.swapaxes(x2, -1, -2) @ g2 if b.requires_grad else None
            if gx is not None and x.ndim == 1:
                gx = gx[..., 0, :]
            if gy is not None and y.ndim == 1:
                gy = gy[..., 0]
            return gx, gy
        return Tensor._op(np.matmul(x, y), (a, b), backward, "MmBackward0")

    __matmul__ = matmul

    mm = matmul

    # ---- shape ops ---------------------------------------------------------------------------------
    def reshape(self, *shape):
        """Same values in a new shape (one dim may be -1)."""
        shape = _dims(shape)
        try:
            out = self._data.reshape(shape)
        except ValueError:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {self._data.size}") from None
        src = self._data.shape
        return Tensor._op(out, (self,), lambda g: (g.reshape(src),), "ViewBackward0")  # d reshape = reshape back

    view = reshape

    def view_as(self, other):
        """Reshape to other's shape."""
        return self.reshape(other.shape)

    def flatten(self, start_dim=0, end_dim=-1):
        """Merge dims start_dim..end_dim into one."""
        if self.ndim == 0:
            return self.reshape(1)
        s, e = _axis(start_dim, self.ndim), _axis(end_dim, self.ndim)
        if s > e:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        shape = self._data.shape
        return self.reshape(shape[:s] + (int(np.prod(shape[s:e + 1])),) + shape[e + 1:])

    def unsqueeze(self, dim):
        """Insert a size-1 dim at dim."""
        d = _axis(dim, self.ndim + 1)
        return self.reshape(self.shape[:d] + (1,) + self.shape[d:])

    def squeeze(self, dim=None):
        """Drop size-1 dims (all, or only the given ones)."""
        axes = _axes(dim, self.ndim) if self.ndim else ()
        return self.reshape([n for i, n in enumerate(self._data.shape) if not (i in axes and n == 1)])

    def permute(self, *dims):
        """Reorder dims."""
        dims = tuple(_axis(d, self.ndim) for d in _dims(dims))
        if sorted(dims) != list(range(self.ndim)):
            raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does not match "
                               "the length of the desired ordering of dimensions i.e. input.dim() = "
                               f"{self.ndim} is not equal to len(dims) = {len(dims)}")
        inverse = tuple(np.argsort(dims))
        # d permute = g permuted back
        return Tensor._op(self._data.transpose(dims), (self,), lambda g: (g.transpose(inverse),), "PermuteBackward0")

    def transpose(self, dim0, dim1):
        """Swap two dims."""
        a, b = _axis(dim0, self.ndim), _axis(dim1, self.ndim)
        if self.ndim == 0:
            return self
        dims = list(range(self.ndim))
        dims[a], dims[b] = dims[b], dims[a]
        return self.permute(dims)

    swapaxes = transpose

    def t(self):
        """Transpose a 2-D tensor (1-D and 0-D tensors are returned as is)."""
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        return self.transpose(0, 1) if self.ndim == 2 else self

    @property
    def T(self):
        """All dims reversed."""
        return self.permute(tuple(range(self.ndim))[::-1])

    def expand(self, *sizes):
        """Broadcast to a larger shape without copying (-1 keeps a dim)."""
        sizes = _dims(sizes)
        lead = len(sizes) - self.ndim
        if lead < 0:
            raise RuntimeError(f"expand: the number of sizes provided ({len(sizes)}) must be greater or equal to "
                               f"the number of dimensions in the tensor ({self.ndim})")
        shape = tuple(self._data.shape[i - lead] if n == -1 else n for i, n in enumerate(sizes))
        try:
            out = np.broadcast_to(self._data, shape)
        except ValueError:
            raise RuntimeError(f"The expanded size of the tensor must match the existing size at non-singleton "
                               f"dimension. Target sizes: {list(sizes)}. Tensor sizes: {list(self.shape)}") from None
        return Tensor._op(out, (self,), lambda g: (g,), "ExpandBackward0")  # the engine sums g back to the shape

    def expand_as(self, other):
        """Broadcast to other's shape."""
        return self.expand(other.shape)

    def repeat(self, *sizes):
        """Tile the tensor sizes[i] times along each dim."""
        sizes = _dims(sizes)
        if len(sizes) < self.ndim:
            raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions "
                               "of tensor")
        shape = (1,) * (len(sizes) - self.ndim) + self._data.shape
        out = np.tile(self._data.reshape(shape), sizes)

        def backward(g):
            # d repeat = sum of g over the copies
            split = g.reshape([v for r, n in zip(sizes, shape) for v in (r, n)])
            return (split.sum(axis=tuple(range(0, split.ndim, 2))),)
        return Tensor._op(out, (self,), backward, "RepeatBackward0")

    def split(self, split_size, dim=0):
        """Pieces of split_size (an int, or a list of sizes) along dim."""
        d, n = _axis(dim, self.ndim), self.shape[_axis(dim, self.ndim)]
        sizes = [split_size] * (n // split_size) + ([n % split_size] if n % split_size else []) \
            if isinstance(split_size, int) else list(split_size)
        if sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size "
                               f"at dimension {d}), but got split_sizes={sizes}")
        starts = np.cumsum([0] + sizes)
        return tuple(self[(slice(None),) * d + (slice(s, s + k),)] for s, k in zip(starts, sizes))

    def chunk(self, chunks, dim=0):
        """Split into `chunks` nearly equal pieces along dim."""
        n = self.shape[_axis(dim, self.ndim)]
        return self.split(max(-(-n // chunks), 1), dim)

    # ---- indexing ----------------------------------------------------------------------------------
    def __getitem__(self, index):
        idx = _index(index)
        x = self._data
        try:
            out = x[idx]
        except IndexError as e:
            raise IndexError(str(e)) from None
        shape, dt, basic = x.shape, x.dtype, _is_basic(idx)

        def backward(g):
            # d x[idx] = g scattered into zeros; repeated integer indices accumulate (add.at)
            full = np.zeros(shape, dtype=g.dtype)
            if basic:
                full[idx] = g
            else:
                np.add.at(full, idx, g)
            return (full,)
        return Tensor._op(np.asarray(out, dtype=dt), (self,), backward, "IndexBackward0")

    def __setitem__(self, index, value):
        idx = _index(index)
        v = value if isinstance(value, Tensor) else Tensor(_to_array(value))

        def fn(x, y):
            out = x.copy()
            out[idx] = y
            return out

        def grad_x(g, x, y):  # d(x with x[idx] = y)/dx = g with g[idx] = 0
            gx = g.copy()
            gx[idx] = 0
            return gx

        def grad_y(g, x, y):  # ... and d/dy = g[idx]
            return np.broadcast_to(g[idx], np.broadcast_shapes(g[idx].shape, y.shape)).copy()
        self._inplace(lambda: self._binary(v.to(self.dtype), fn, (grad_x, grad_y), "IndexPutBackward0"))

    # ---- in-place ops ------------------------------------------------------------------------------
    def _inplace(self, compute):
        """Apply an out-of-place result to self: write into the array, or, if recording, adopt the new node."""
        if is_grad_enabled() and self.requires_grad and self.grad_fn is None:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        out = compute()
        o, x = out._data, self._data
        if o.dtype != x.dtype and _KIND_RANK[o.dtype.kind] > _KIND_RANK[x.dtype.kind]:
            raise RuntimeError(f"result type {out.dtype.title} can't be cast to the desired output "
                               f"type {self.dtype.title}")
        if o.shape != x.shape:
            raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape "
                               f"{list(out.shape)}")
        if out.grad_fn is not None:
            # a fresh array keeps the values earlier nodes saved intact
            self._data, self.grad_fn, self.requires_grad = out._data.astype(self._data.dtype, copy=False), out.grad_fn, True
        else:
            np.copyto(self._data, out._data, casting="unsafe")
        return self

    def copy_(self, src):
        """Overwrite the values with src's (broadcast)."""
        return self._inplace(lambda: (src if isinstance(src, Tensor) else Tensor(_to_array(src)))
                             .to(self.dtype).expand(self.shape) * 1)

    def fill_(self, value):
        """Set every element to value."""
        return self._inplace(lambda: Tensor(np.full(self._data.shape, value, dtype=self._data.dtype)))

    def zero_(self):
        """Set every element to 0."""
        return self.fill_(0)

    def uniform_(self, a=0.0, b=1.0, generator=None):
        """Fill with samples from U(a, b)."""
        from .random import _gen
        return self._inplace(lambda: Tensor(_gen(generator).uniform(a, b, self._data.shape).astype(self._data.dtype)))

    def normal_(self, mean=0.0, std=1.0, generator=None):
        """Fill with samples from N(mean, std^2)."""
        from .random import _gen
        return self._inplace(lambda: Tensor(_gen(generator).normal(mean, std, self._data.shape).astype(self._data.dtype)))


def _power(x, p):
    """x ** p for a scalar p; small integer powers by multiplication, which is much faster than powf."""
    if p in (0, 1, 2, 3, 4):
        out = np.ones_like(x) if p == 0 else x
        for _ in range(int(p) - 1):
            out = out * x
        return out
    return np.power(x, x.dtype.type(p))


def _along(idx, ax):
    """Full index tuple that picks idx along axis ax (for scatter-adding gather's gradient)."""
    grids = list(np.indices(idx.shape, sparse=True))
    grids[ax] = idx
    return tuple(grids)


def _index(index):
    """A torch-style index with tensors swapped for their arrays."""
    if isinstance(index, tuple):
        return tuple(i._data if isinstance(i, Tensor) else i for i in index)
    if isinstance(index, Tensor):
        return index._data
    if isinstance(index, list):
        return np.asarray(index)
    return index


def _is_basic(idx):
    """True for ints/slices/None/Ellipsis only: then the selected positions cannot repeat."""
    parts = idx if isinstance(idx, tuple) else (idx,)
    return all(isinstance(p, (int, np.integer, slice, type(None), type(Ellipsis))) for p in parts)


def _cast(dtype):
    def method(self):
        return self.to(dtype)
    method.__doc__ = f"Convert to {dtype.name}."
    return method


def _in_place(name):
    def method(self, *args, **kwargs):
        return self._inplace(lambda: getattr(self, name)(*args, **kwargs))
    method.__doc__ = f"In-place {name}: the result is written into self."
    return method


for _name, _dt in (("float", dtypes.float32), ("double", dtypes.float64), ("long", dtypes.int64),
                   ("int", dtypes.int32), ("bool", dtypes.bool_)):
    setattr(Tensor, _name, _cast(_dt))
for _name in ("add", "sub", "mul", "div", "clamp"):
    setattr(Tensor, _name + "_", _in_place(_name))
Tensor.__iadd__, Tensor.__isub__, Tensor.__imul__, Tensor.__itruediv__ = Tensor.add_, Tensor.sub_, Tensor.mul_, Tensor.div_
