"""Reductions: sum, mean, amax/amin, softmax/log_softmax, cumsum; var, std, max/min(dim), logsumexp, prod, cumprod,
norms, sort/topk derived from them; argmax, any/all (no gradient)."""
import collections
import functools

import numpy as np

from .. import dtypes
from ..autograd.namespace import cumsum as cumsum_array
from ..tensor import Tensor, _axes, _axis
from .indexing import cat


def _returns(name):
    """torch.return_types.<name>: a (values, indices) named tuple that prints like torch's."""
    cls = collections.namedtuple(name, ["values", "indices"])
    cls.__repr__ = lambda r: f"minigrad.return_types.{name}(\nvalues={r.values!r},\nindices={r.indices!r})"
    return cls


max_result, min_result, sorted_, topk_ = _returns("max"), _returns("min"), _returns("sort"), _returns("topk")


def _aliases(fn):
    """Also accept the numpy names torch accepts: axis= for dim=, keepdims= for keepdim=."""
    @functools.wraps(fn)
    def method(self, *args, **kwargs):
        if kwargs:
            for alias, name in (("axis", "dim"), ("keepdims", "keepdim")):
                if alias in kwargs:
                    kwargs[name] = kwargs.pop(alias)
        return fn(self, *args, **kwargs)
    return method


def _spread(xp, g, axes, keepdim, shape):
    """g re-expanded over the reduced axes: the gradient of a sum is g broadcast back to the input."""
    return xp.broadcast_to(g if keepdim else xp.expand_dims(g, axes), shape)


def _int64(t, dtype):
    """The tensor a sum-like reduction runs on: dtype if given, integers and bools widened to int64."""
    if dtype is not None:
        return t.to(dtype)
    return t.to(dtypes.int64) if t._data.dtype.kind in "biu" else t


def _reduced(dim, ndim):
    """The axes a reduction runs over: torch reads dim=() or [] as every dim (numpy would reduce none)."""
    return _axes(None if isinstance(dim, (tuple, list)) and not dim else dim, ndim)


def sum_(self, dim=None, keepdim=False, dtype=None):
    """Sum over dims (all by default); integers and bools sum to int64."""
    t = _int64(self, dtype)
    axes, x, shape = _reduced(dim, t.ndim), t._data, t._data.shape
    out = x.sum(axis=axes, keepdims=keepdim)
    # d sum = g broadcast over the summed axes
    return Tensor._op(np.asarray(out), (t,), lambda xp, g: (_spread(xp, g, axes, keepdim, shape),),
                      "SumBackward1" if dim is not None else "SumBackward0")


def mean(self, dim=None, keepdim=False, dtype=None):
    """Mean over dims (all by default); floating tensors only, as in torch."""
    t = self.to(dtype) if dtype is not None else self
    if t._data.dtype.kind != "f":
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point "
                           f"or complex dtype. Got: {t.dtype.title}")
    axes, x = _reduced(dim, t.ndim), t._data
    n, shape = int(np.prod([x.shape[a] for a in axes])), x.shape
    s = x.sum(axis=axes, keepdims=keepdim)
    out = np.asarray(s / n if n else s * np.nan)
    # d mean = g / n broadcast over the averaged axes
    return Tensor._op(out.astype(x.dtype, copy=False), (t,),
                      lambda xp, g: (_spread(xp, g / max(n, 1), axes, keepdim, shape),), "MeanBackward1" if dim is not None else "MeanBackward0")


def var(self, dim=None, unbiased=True, keepdim=False, correction=None):
    """Variance over dims with Bessel's correction by default."""
    c = (1 if unbiased else 0) if correction is None else correction
    n = int(np.prod([self._data.shape[a] for a in _reduced(dim, self.ndim)]))
    d = self - self.mean(dim, keepdim=True)
    return (d * d).sum(dim, keepdim) / max(n - c, 0)


def std(self, dim=None, unbiased=True, keepdim=False, correction=None):
    """Standard deviation over dims."""
    return self.var(dim, unbiased, keepdim, correction).sqrt()


def _extreme(self, fn, dim, keepdim, name):
    x = self._data
    if x.size == 0:
        raise RuntimeError(f"{name[:4].lower()}(): Expected reduction dim to be specified for input.numel() == 0.")
    axes = _reduced(dim, self.ndim)
    out = fn(x, axis=axes, keepdims=True)
    hit = x == out
    share, shape = hit / hit.sum(axis=axes, keepdims=True), x.shape
    # d max = g spread evenly over the positions equal to the max
    return Tensor._op(out if keepdim else out.reshape([n for i, n in enumerate(x.shape) if i not in axes]), (self,),
                      lambda xp, g: (_spread(xp, g, axes, keepdim, shape) * share,), name)


def amax(self, dim=None, keepdim=False):
    """Max over dims; ties share the gradient evenly."""
    return _extreme(self, np.max, dim, keepdim, "AmaxBackward0")


def amin(self, dim=None, keepdim=False):
    """Min over dims; ties share the gradient evenly."""
    return _extreme(self, np.min, dim, keepdim, "AminBackward0")


def _arg(self, fn, dim, keepdim):
    if dim is None:
        return Tensor(np.asarray(fn(self._data.reshape(-1)), dtype=np.int64))
    return Tensor(np.asarray(fn(self._data, axis=_axis(dim, self.ndim), keepdims=keepdim), dtype=np.int64))


def argmax(self, dim=None, keepdim=False):
    """Index of the max (of the flattened tensor when dim is None)."""
    return _arg(self, np.argmax, dim, keepdim)


def argmin(self, dim=None, keepdim=False):
    """Index of the min (of the flattened tensor when dim is None)."""
    return _arg(self, np.argmin, dim, keepdim)


def _minmax(self, dim, keepdim, arg, elementwise, extreme, result):
    # the type of dim picks the form: a tensor -> elementwise, None -> over everything, an int -> (values, indices)
    if isinstance(dim, Tensor):
        return elementwise(dim)
    if dim is None:
        return extreme()
    if self.ndim == 0:
        _axis(dim, 0)
        return result(self.clone(), Tensor(np.array(0)))
    idx, ax = arg(dim, keepdim=True), _axis(dim, self.ndim)
    vals = self.gather(ax, idx)  # the gradient goes to the first max only (argmax's tie rule), as in torch
    if not keepdim:
        vals, idx = vals.squeeze(ax), idx.squeeze(ax)
    return result(vals, idx)


def max_(self, dim=None, keepdim=False):
    """Global max, max(dim) -> (values, indices), or elementwise max with a tensor."""
    return _minmax(self, dim, keepdim, self.argmax, self.maximum, self.amax, max_result)


def min_(self, dim=None, keepdim=False):
    """Global min, min(dim) -> (values, indices), or elementwise min with a tensor."""
    return _minmax(self, dim, keepdim, self.argmin, self.minimum, self.amin, min_result)


def _float_data(t):
    return t._data if t._data.dtype.kind == "f" else t._data.astype(dtypes.get_default_dtype().np)


def softmax(self, dim):
    """exp(x) / sum(exp(x)) along dim, computed stably."""
    x, dim = _float_data(self), _axes(dim, self.ndim)
    e = np.asarray(x - x.max(axis=dim, keepdims=True))  # (numpy gives a scalar for 0-d x)
    np.exp(e, out=e)  # in place: attention's score tensors are the largest arrays of a transformer step
    e /= e.sum(axis=dim, keepdims=True)
    # d softmax = s (g - sum(g s))
    return Tensor._op(e, (self,),
                      lambda xp, g, s: (s * (g - xp.sum(g * s, dim, True)),), "SoftmaxBackward0", save_out=True)


def log_softmax(self, dim):
    """x - logsumexp(x) along dim, computed stably."""
    x, dim = _float_data(self), _axes(dim, self.ndim)
    z = np.asarray(x - x.max(axis=dim, keepdims=True))
    z -= np.log(np.exp(z).sum(axis=dim, keepdims=True))
    # d log_softmax = g - softmax sum(g), softmax = exp(out)
    return Tensor._op(z, (self,),
                      lambda xp, g, out: (g - xp.exp(out) * xp.sum(g, dim, True),), "LogSoftmaxBackward0",
                      save_out=True)


def logsumexp(self, dim, keepdim=False):
    """log(sum(exp(x))) over dim, computed stably (the max is taken out first)."""
    t = self if self._data.dtype.kind == "f" else self.to(dtypes.get_default_dtype())
    x, axes = t._data, _axes(dim, t.ndim)
    m = np.array(np.max(x, axis=axes, keepdims=True) if x.size else np.zeros([1] * x.ndim, x.dtype))
    m[~np.isfinite(m)] = 0  # all -inf (or an inf) along dim: shifting by it would give nan
    out = np.log(np.exp(x - m).sum(axis=axes, keepdims=True)) + m
    shape = x.shape

    def rule(xp, g, x, y):
        # d logsumexp = g softmax(x) = g exp(x - out)
        return _spread(xp, g, axes, keepdim, shape) * xp.exp(x - _spread(xp, y, axes, keepdim, shape)),
    return Tensor._op(out if keepdim else out.reshape([n for i, n in enumerate(shape) if i not in axes]), (t,), rule,
                      "LogsumexpBackward0", (t,), save_out=True)


def _cumsum(self, ax, reverse=False):
    # d cumsum = g summed from the end (the reverse cumsum), and vice versa
    return Tensor._op(cumsum_array(self._data, ax, reverse), (self,),
                      lambda xp, g: (xp.cumsum(g, ax, not reverse),), "CumsumBackward0")


def cumsum(self, dim, dtype=None):
    """Running sums along dim; integers and bools sum in int64."""
    t = _int64(self, dtype)
    return _cumsum(t, _axis(dim, t.ndim))


def _along(ax, start, stop, step=None):
    return (slice(None),) * ax + (slice(start, stop, step),)


def cumprod(self, dim, dtype=None):
    """Running products along dim, as a log-depth scan of multiplications: exact gradients even with zeros."""
    t = _int64(self, dtype)
    x = t.reshape(1) if t.ndim == 0 else t.clone()
    ax = _axis(dim, t.ndim)
    n, s = x.shape[ax], 1
    while s < n:  # Hillis-Steele: after the step for s, y_i is the product of x_(i-2s+1) .. x_i
        x = cat([x[_along(ax, 0, s)], x[_along(ax, s, n)] * x[_along(ax, 0, n - s)]], ax)
        s *= 2
    return x.reshape(()) if t.ndim == 0 else x


def prod(self, dim=None, keepdim=False, dtype=None):
    """Product over dim (all elements when None), as a tree of multiplications: exact gradients even with zeros."""
    t = _int64(self, dtype)
    x, ax = (t.reshape(-1), 0) if dim is None else (t.reshape(1) if t.ndim == 0 else t, _axis(dim, t.ndim))
    if x.shape[ax] == 0:
        x = x.sum(ax, keepdim=True) * 0 + 1  # the empty product
    while x.shape[ax] > 1:  # multiply neighbours pairwise; an odd last element waits for the next round
        n = x.shape[ax]
        pairs = x[_along(ax, 0, n - 1, 2)] * x[_along(ax, 1, n, 2)]
        x = cat([pairs, x[_along(ax, n - 1, n)]], ax) if n % 2 else pairs
    if dim is None or t.ndim == 0:
        return x.reshape(())
    return x.reshape(t.shape[:ax] + ((1,) if keepdim else ()) + t.shape[ax + 1:])


def _logical(fn, doc):
    def method(self, dim=None, keepdim=False):
        out = np.asarray(fn(self._data, axis=_axes(dim, self.ndim), keepdims=keepdim))
        return Tensor(out.astype(np.uint8) if self._data.dtype == np.uint8 else out)  # torch keeps uint8
    method.__doc__, method.__name__ = doc, fn.__name__ + "_"
    return method


any_ = _logical(np.any, "True where any element along dim (all by default) is nonzero.")
all_ = _logical(np.all, "True where every element along dim (all by default) is nonzero.")


def vector_norm(x, ord=2, dim=None, keepdim=False, dtype=None):
    """(sum |x|^ord)^(1/ord) over dim (all by default); ord inf / -inf: max / min |x|; ord 0: count of nonzeros."""
    x = x.to(dtype) if dtype is not None else x
    if x._data.dtype.kind != "f":
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. "
                           f"Got {x.dtype.title}")
    if ord in (np.inf, -np.inf):
        return x.abs().amax(dim, keepdim) if ord > 0 else x.abs().amin(dim, keepdim)
    if ord == 0:
        return (x * 0).sum(dim, keepdim) + Tensor((x._data != 0).sum(_reduced(dim, x.ndim), keepdims=keepdim)).to(x.dtype)
    s = (x * x if ord == 2 else x.abs() if ord == 1 else x.abs() ** ord).sum(dim, keepdim)
    if ord == 1:
        return s
    # the root's slope is infinite at 0 where torch's gradient is 0: take the root of 1 there and mask it out
    zero = Tensor(s._data == 0)
    return s.where(~zero, 1) ** (1 / ord) * ~zero


def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
    """The p-norm over dim (all by default); 'fro' is the 2-norm of the flattened dims."""
    if p in ("fro", "nuc") and dim is not None and len(_axes(dim, self.ndim)) > 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}")
    if p == "nuc":
        raise NotImplementedError("minigrad's norm has no nuclear norm (it needs singular values)")
    return vector_norm(self, 2 if p in ("fro", None) else p, dim, keepdim, dtype)


def _order(x, ax, descending):
    """Stable sorting indices along ax; descending keeps tied elements in their original order, as torch."""
    if not descending:
        return np.argsort(x, axis=ax, kind="stable")
    return x.shape[ax] - 1 - np.flip(np.argsort(np.flip(x, ax), axis=ax, kind="stable"), ax)


def argsort(self, dim=-1, descending=False, stable=False):
    """Indices that sort the tensor along dim (always stably, so stable= changes nothing)."""
    ax = _axis(dim, self.ndim)
    return Tensor(_order(self._data, ax, descending) if self.ndim else np.array(0))


def sort(self, dim=-1, descending=False, stable=False):
    """(values, indices) sorted along dim (always stably); the gradient flows to the values through a gather."""
    idx = argsort(self, dim, descending)
    return sorted_(self.gather(_axis(dim, self.ndim), idx) if self.ndim else self.clone(), idx)


def topk(self, k, dim=-1, largest=True, sorted=True):
    """(values, indices) of the k largest (or smallest) elements along dim, in sorted order."""
    ax = _axis(dim, self.ndim)
    if not 0 <= k <= (self._data.shape[ax] if self.ndim else 1):
        raise RuntimeError("selected index k out of range")
    if self.ndim == 0:
        return topk_(self.clone(), Tensor(np.array(0)))
    idx = Tensor(np.ascontiguousarray(_order(self._data, ax, largest)[_along(ax, 0, k)]))
    return topk_(self.gather(ax, idx), idx)


Tensor._cumsum = _cumsum
for _fn in (sum_, mean, var, std, amax, amin, argmax, argmin, max_, min_, softmax, log_softmax, logsumexp, cumsum,
            cumprod, prod, any_, all_, sort, argsort, topk):
    setattr(Tensor, _fn.__name__.rstrip("_"), _aliases(_fn))
Tensor.norm = norm
