"""Top-level function forms (minigrad.exp(x), minigrad.cat([...]), ...) and the ops that join tensors."""
import numpy as np

from . import dtypes
from .tensor import Tensor, _axis, _to_array


def _t(x):
    return x if isinstance(x, Tensor) else Tensor(_to_array(x))


def _method(name):
    def fn(input, *args, **kwargs):
        return getattr(_t(input), name)(*args, **kwargs)
    fn.__name__ = name
    fn.__doc__ = f"minigrad.{name}(input, ...) is input.{name}(...)."
    return fn


_NAMES = ("add sub mul div pow neg exp log sqrt abs sin cos tanh sigmoid relu clamp clip maximum minimum matmul mm "
          "sum mean var std max min amax amin argmax argmin softmax log_softmax reshape flatten unsqueeze squeeze "
          "transpose permute t gather split chunk square sign numel allclose equal eq ne lt le gt ge "
          "detach clone").split()
globals().update({n: _method(n) for n in _NAMES})
__all__ = _NAMES + ["cat", "concat", "stack", "where", "is_tensor"]


def is_tensor(obj):
    """True for minigrad tensors."""
    return isinstance(obj, Tensor)


def _common(tensors, what):
    tensors = [_t(x) for x in tensors]
    if not tensors:
        raise RuntimeError(f"{what}(): expected a non-empty list of Tensors")
    d = dtypes.promote([(x.dtype, 2) for x in tensors])
    return [x.to(d) for x in tensors]


def cat(tensors, dim=0):
    """Join tensors along an existing dim."""
    ts = _common(tensors, "torch.cat")
    ax = _axis(dim, ts[0].ndim)
    for i, x in enumerate(ts):
        if x.ndim != ts[0].ndim or x.shape[:ax] + x.shape[ax + 1:] != ts[0].shape[:ax] + ts[0].shape[ax + 1:]:
            raise RuntimeError(f"Sizes of tensors must match except in dimension {ax}. Expected size "
                               f"{list(ts[0].shape)} but got size {list(x.shape)} for tensor number {i} in the list.")
    bounds = np.cumsum([0] + [x.shape[ax] for x in ts])
    # d cat = g sliced back into the pieces
    return Tensor._op(np.concatenate([x._data for x in ts], axis=ax), tuple(ts),
                      lambda g: tuple(np.take(g, range(a, b), axis=ax) for a, b in zip(bounds, bounds[1:])),
                      "CatBackward0")


concat = cat


def stack(tensors, dim=0):
    """Join same-shaped tensors along a new dim."""
    ts = _common(tensors, "stack")
    for i, x in enumerate(ts):
        if x.shape != ts[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(ts[0].shape)} at entry 0 "
                               f"and {list(x.shape)} at entry {i}")
    return cat([x.unsqueeze(dim) for x in ts], dim)


def where(condition, input, other):
    """Pick input where condition holds, else other (broadcast)."""
    c = _t(condition)._data.astype(bool)
    a, b, _ = _t(input)._pair(other)
    # d where = (g [c], g [not c])
    return Tensor._op(np.where(c, a._data, b._data), (a, b), lambda g: (np.where(c, g, 0), np.where(c, 0, g)),
                      "WhereBackward0")
