"""Indexing and joining: getitem/setitem, the scatter-add primitive, gather, where, cat/stack, and in-place ops.

Every rule that writes a gradient into zeros (getitem, gather, and in nn/ max-pooling) goes through one
primitive, scatter_add_into, whose own rule is the gather g[index]: so all of them can be differentiated again.
In-place ops write into the tensor's array (views see the change) and bump its storage's version.
"""
import numpy as np

from .. import dtypes
from ..autograd.grad_mode import is_grad_enabled
from ..autograd.namespace import scatter_add
from ..random import _gen
from ..tensor import Tensor, _axis, _to_array
from .elementwise import _KIND_RANK, _pair


def _t(x):
    return x if isinstance(x, Tensor) else Tensor(_to_array(x))


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
    """True for ints/slices/None/Ellipsis only: then the result is a view and no position repeats."""
    parts = idx if isinstance(idx, tuple) else (idx,)
    return all(isinstance(p, (int, np.integer, slice, type(None), type(Ellipsis))) for p in parts)


def scatter_add_into(self, shape, index, unique=False):
    """zeros(shape) with self added at index (repeats accumulate): the adjoint of x[index], differentiable."""
    # d scatter_add(g) = G[index], a gather of the output's gradient
    return Tensor._op(scatter_add(self._data, shape, index, unique), (self,), lambda xp, g: (g[index],), "IndexPutBackward0")


def __getitem__(self, index):
    idx = _index(index)
    basic = _is_basic(idx)
    if basic and Ellipsis not in (idx if isinstance(idx, tuple) else (idx,)):
        idx = (idx if isinstance(idx, tuple) else (idx,)) + (Ellipsis,)  # numpy then returns a view, even of one cell
    try:
        out = self._data[idx]
    except IndexError as e:
        raise IndexError(str(e)) from None
    shape = self._data.shape
    rule = lambda xp, g: (xp.scatter_add(g, shape, idx),)  # noqa: E731  d x[idx] = g scattered into zeros
    if basic:
        return self._view(out, rule, "SliceBackward0")
    return Tensor._op(out, (self,), rule, "IndexBackward0")


def gather(self, dim, index):
    """out[i][j] = self[index[i][j]][j] along dim (torch.gather)."""
    if self.ndim == 0:
        return self.clone()
    ax, shape = _axis(dim, self.ndim), self._data.shape
    grids = list(np.indices(index._data.shape, sparse=True))
    grids[ax] = index._data
    at = tuple(grids)
    # d gather = g scatter-added back to the gathered positions
    return Tensor._op(self._data[at], (self,), lambda xp, g: (xp.scatter_add(g, shape, at),), "GatherBackward0")


def where(condition, input, other):
    """Pick input where condition holds, else other (broadcast)."""
    c = _t(condition)._data.astype(bool)
    a, b, _ = _pair(_t(input), other)
    # d where = (g [c], g [not c])
    return Tensor._op(np.where(c, a._data, b._data), (a, b), lambda xp, g: (g * c, g * ~c), "WhereBackward0")


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
    pieces = [(slice(None),) * ax + (slice(a, b),) for a, b in zip(bounds, bounds[1:])]
    # d cat = g sliced back into the pieces
    return Tensor._op(np.concatenate([x._data for x in ts], axis=ax), tuple(ts),
                      lambda xp, g: tuple([g[p] for p in pieces]), "CatBackward0")


def stack(tensors, dim=0):
    """Join same-shaped tensors along a new dim."""
    ts = _common(tensors, "stack")
    for i, x in enumerate(ts):
        if x.shape != ts[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(ts[0].shape)} at entry 0 "
                               f"and {list(x.shape)} at entry {i}")
    return cat([x.unsqueeze(dim) for x in ts], dim)


# ---- in-place ops ----------------------------------------------------------------------------------------
def _inplace(self, compute):
    """Write an out-of-place result into self's array and bump its version; a recorded result rebases self."""
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
    node = out.grad_fn
    if node is not None:
        if self._base is not None:
            raise RuntimeError("minigrad does not support in-place operations on a view of a tensor that requires "
                               "grad (torch records them as CopySlices); use an out-of-place op, or clone() first")
        if any(s is self for s in node.saved):
            # the rule needs self's values from before this write: save a copy with self's old place in the graph
            old = Tensor(x.copy())
            old.grad_fn, old.requires_grad, old._accum = self.grad_fn, self.requires_grad, self._accum
            node.saved = tuple([old if s is self else s for s in node.saved])
            node.versions = tuple([None if s is None else s._version_box[0] for s in node.saved])
        self.grad_fn, self.requires_grad = node, True  # torch rebases the history onto the in-place op
    np.copyto(x, o, casting="unsafe")
    self._version_box[0] += 1
    return self


def __setitem__(self, index, value):
    idx, v = _index(index), _t(value)

    def compute():
        y = v.to(self.dtype)
        out = self._data.copy()
        out[idx] = y._data
        shape = out.shape

        def rule(xp, g):
            # d(x with x[idx] = y) = (g with g[idx] = 0, g[idx] summed to y's shape)
            keep = np.ones(shape, bool)
            keep[idx] = False
            return g * keep, g[idx]
        return Tensor._op(out, (self, y), rule, "IndexPutBackward0")
    _inplace(self, compute)


def copy_(self, src):
    """Overwrite the values with src's (broadcast)."""
    return _inplace(self, lambda: _t(src).to(self.dtype).expand(self.shape).clone())


def fill_(self, value):
    """Set every element to value."""
    return _inplace(self, lambda: Tensor(np.full(self._data.shape, value, dtype=self._data.dtype)))


def zero_(self):
    """Set every element to 0."""
    return fill_(self, 0)


def uniform_(self, a=0.0, b=1.0, generator=None):
    """Fill with samples from U(a, b)."""
    return _inplace(self, lambda: Tensor(_gen(generator).uniform(a, b, self._data.shape).astype(self._data.dtype)))


def normal_(self, mean=0.0, std=1.0, generator=None):
    """Fill with samples from N(mean, std^2)."""
    return _inplace(self, lambda: Tensor(_gen(generator).normal(mean, std, self._data.shape).astype(self._data.dtype)))


def _in_place(name):
    def method(self, *args, **kwargs):
        return _inplace(self, lambda: getattr(self, name)(*args, **kwargs))
    method.__doc__ = f"In-place {name}: the result is written into self."
    return method


for _fn in (scatter_add_into, __getitem__, __setitem__, gather, copy_, fill_, zero_, uniform_, normal_):
    setattr(Tensor, _fn.__name__, _fn)
Tensor.where = lambda self, condition, other: where(condition, self, other)
Tensor.where.__doc__ = "self where condition holds, else other."
for _name in ("add", "sub", "mul", "div", "clamp", "relu"):
    setattr(Tensor, _name + "_", _in_place(_name))
Tensor.__iadd__, Tensor.__isub__, Tensor.__imul__, Tensor.__itruediv__ = Tensor.add_, Tensor.sub_, Tensor.mul_, Tensor.div_
