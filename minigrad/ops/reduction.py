"""Reductions: sum, mean, amax/amin, softmax/log_softmax; var, std, max/min(dim) and argmax derived from them."""
import collections

import numpy as np

from .. import dtypes
from ..tensor import Tensor, _axes, _axis

minmax = collections.namedtuple("minmax", ["values", "indices"])


def _spread(xp, g, axes, keepdim, shape):
    """g re-expanded over the reduced axes: the gradient of a sum is g broadcast back to the input."""
    return xp.broadcast_to(g if keepdim else xp.expand_dims(g, axes), shape)


def sum_(self, dim=None, keepdim=False, dtype=None):
    """Sum over dims (all by default); integers and bools sum to int64."""
    t = self.to(dtype) if dtype is not None else self
    axes, x = _axes(dim, t.ndim), t._data
    out = x.sum(axis=axes, keepdims=keepdim, dtype=np.int64 if x.dtype.kind in "biu" else None)
    shape = x.shape
    # d sum = g broadcast over the summed axes
    return Tensor._op(np.asarray(out), (t,), lambda xp, g: (_spread(xp, g, axes, keepdim, shape),),
                      "SumBackward1" if dim is not None else "SumBackward0")


def mean(self, dim=None, keepdim=False, dtype=None):
    """Mean over dims (all by default); floating tensors only, as in torch."""
    t = self.to(dtype) if dtype is not None else self
    if t._data.dtype.kind != "f":
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point "
                           f"or complex dtype. Got: {t.dtype.title}")
    axes, x = _axes(dim, t.ndim), t._data
    n, shape = int(np.prod([x.shape[a] for a in axes])), x.shape
    s = x.sum(axis=axes, keepdims=keepdim)
    out = np.asarray(s / n if n else s * np.nan)
    # d mean = g / n broadcast over the averaged axes
    return Tensor._op(out.astype(x.dtype, copy=False), (t,),
                      lambda xp, g: (_spread(xp, g / max(n, 1), axes, keepdim, shape),), "MeanBackward1" if dim is not None else "MeanBackward0")


def var(self, dim=None, unbiased=True, keepdim=False, correction=None):
    """Variance over dims with Bessel's correction by default."""
    c = (1 if unbiased else 0) if correction is None else correction
    n = int(np.prod([self._data.shape[a] for a in _axes(dim, self.ndim)]))
    d = self - self.mean(dim, keepdim=True)
    return (d * d).sum(dim, keepdim) / max(n - c, 0)


def std(self, dim=None, unbiased=True, keepdim=False, correction=None):
    """Standard deviation over dims."""
    return self.var(dim, unbiased, keepdim, correction).sqrt()


def _extreme(self, fn, dim, keepdim, name):
    x = self._data
    if x.size == 0:
        raise RuntimeError(f"{name[:4].lower()}(): Expected reduction dim to be specified for input.numel() == 0.")
    axes = _axes(dim, self.ndim)
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


def _minmax(self, dim, keepdim, arg, elementwise, extreme):
    # the type of dim picks the form: a tensor -> elementwise, None -> over everything, an int -> (values, indices)
    if isinstance(dim, Tensor):
        return elementwise(dim)
    if dim is None:
        return extreme()
    if self.ndim == 0:
        _axis(dim, 0)
        return minmax(self.clone(), Tensor(np.array(0)))
    idx, ax = arg(dim, keepdim=True), _axis(dim, self.ndim)
    vals = self.gather(ax, idx)  # the gradient goes to the first max only (argmax's tie rule), as in torch
    if not keepdim:
        vals, idx = vals.squeeze(ax), idx.squeeze(ax)
    return minmax(vals, idx)


def max_(self, dim=None, keepdim=False):
    """Global max, max(dim) -> (values, indices), or elementwise max with a tensor."""
    return _minmax(self, dim, keepdim, self.argmax, self.maximum, self.amax)


def min_(self, dim=None, keepdim=False):
    """Global min, min(dim) -> (values, indices), or elementwise min with a tensor."""
    return _minmax(self, dim, keepdim, self.argmin, self.minimum, self.amin)


def _float_data(t):
    return t._data if t._data.dtype.kind == "f" else t._data.astype(dtypes.get_default_dtype().np)


def softmax(self, dim):
    """exp(x) / sum(exp(x)) along dim, computed stably."""
    x = _float_data(self)
    e = np.exp(x - x.max(axis=dim, keepdims=True))
    # d softmax = s (g - sum(g s))
    return Tensor._op(e / e.sum(axis=dim, keepdims=True), (self,),
                      lambda xp, g, s: (s * (g - xp.sum(g * s, dim, True)),), "SoftmaxBackward0", save_out=True)


def log_softmax(self, dim):
    """x - logsumexp(x) along dim, computed stably."""
    x = _float_data(self)
    z = x - x.max(axis=dim, keepdims=True)
    # d log_softmax = g - softmax sum(g), softmax = exp(out)
    return Tensor._op(z - np.log(np.exp(z).sum(axis=dim, keepdims=True)), (self,),
                      lambda xp, g, out: (g - xp.exp(out) * xp.sum(g, dim, True),), "LogSoftmaxBackward0",
                      save_out=True)


for _fn in (sum_, mean, var, std, amax, amin, argmax, argmin, max_, min_, softmax, log_softmax):
    setattr(Tensor, _fn.__name__.rstrip("_"), _fn)
