"""Indexing and joining: getitem/setitem, the scatter-add primitive, gather, where, cat/stack, and in-place ops;
scatter, index_select, take_along_dim, masked_fill, tril/triu derived from them; nonzero and unique (no gradient).

Every rule that writes a gradient into zeros (getitem, gather, and in nn/ max-pooling) goes through one
primitive, scatter_add_into, whose own rule is the gather g[index]: so all of them can be differentiated again.
In-place ops write into the tensor's array (views see the change) and bump its storage's version.
"""
import numpy as np

from .. import dtypes
from ..autograd.grad_mode import is_grad_enabled
from ..autograd.namespace import ARRAYS
from ..random import _gen
from ..tensor import Tensor, _axis, _to_array
from .elementwise import _KIND_RANK, _broadcast_error, _pair
from .shape import _dim_alias

_BASIC = (int, np.integer, slice, type(None), type(Ellipsis))


def _t(x):
    return x if isinstance(x, Tensor) else Tensor(_to_array(x))


def _array(i):
    """A tensor index as an array; a 0-d integer tensor is a plain int, as in torch."""
    return int(i._data) if i._data.ndim == 0 and i._data.dtype.kind in "iu" else i._data


def _index(index):
    """A torch-style index with tensors swapped for their arrays."""
    if isinstance(index, tuple):
        return tuple(_array(i) if isinstance(i, Tensor) else i for i in index)
    if isinstance(index, Tensor):
        return _array(index)
    if isinstance(index, list):
        return np.asarray(index)
    return index


def _is_basic(parts):
    """True for ints/slices/None/Ellipsis only: then the result is a view and no position repeats (torch refuses
    negative slice steps, which numpy would read as views running backwards)."""
    basic = True
    for p in parts:
        if type(p) is slice:
            if p.step is not None and p.step < 0:
                raise ValueError("step must be greater than zero")
        elif not isinstance(p, _BASIC):
            basic = False
    return basic


def _ints_first(parts, shape):
    """For an index mixing ints and tensors, the all-array index that numpy reads as torch reads it; else None.

    torch applies int indices first, as selects, then the tensor indices; numpy counts an int as an advanced
    index too, which moves the tensor indices' dims to the front when an int and a tensor are split by a slice.
    """
    ints = [isinstance(p, (int, np.integer)) and not isinstance(p, bool) for p in parts]
    if not any(ints):
        return None
    span = lambda p: np.ndim(p) if np.asarray(p).dtype == bool else 1  # noqa: E731  how many dims p indexes
    first = tuple(q for p in parts for q in ((slice(None),) * span(p) if isinstance(p, (np.ndarray, list)) else (p,)))
    rest = tuple(slice(None) if p is None or type(p) is slice else p for p, i in zip(parts, ints) if not i)
    # where each picked element sits in self, in torch's order, as one integer array per dim
    return np.unravel_index(np.arange(int(np.prod(shape))).reshape(shape)[first][rest], shape)


def scatter_add_into(self, shape, index, unique=False):
    """zeros(shape) with self added at index (repeats accumulate): the adjoint of x[index], differentiable."""
    # d scatter_add(g) = G[index], a gather of the output's gradient
    return Tensor._op(ARRAYS.scatter_add(self._data, shape, index, unique), (self,), lambda xp, g: (g[index],),
                      "IndexPutBackward0")


def __getitem__(self, index):
    idx = _index(index)
    parts = idx if isinstance(idx, tuple) else (idx,)
    basic = _is_basic(parts)
    if basic and Ellipsis not in parts:
        idx = parts + (Ellipsis,)  # numpy then returns a view, even of one cell
    try:
        if not basic and len(parts) > 1:
            idx = _ints_first(parts, self._data.shape) or idx
        out = self._data[idx]
    except IndexError as e:
        msg = str(e).replace("for axis", "for dimension")  # numpy's words, torch's terms
        raise IndexError(f"too many indices for tensor of dimension {self.ndim}" if "too many" in msg else msg) \
            from None
    shape = self._data.shape
    rule = lambda xp, g: (xp.scatter_add(g, shape, idx),)  # noqa: E731  d x[idx] = g scattered into zeros
    if basic:
        return self._view(out, rule, "SliceBackward0")
    return Tensor._op(out, (self,), rule, "IndexBackward0")


def _positions(self, ax, index, op, src=None):
    """The positions gather/scatter reach along ax (index[i][j] for dim 0), after torch's checks on index."""
    i, n = index._data, self._data.shape[ax]
    if i.dtype.kind not in "iu":
        raise RuntimeError(f"{op}(): Expected dtype int32/int64 for index")
    if i.ndim != self.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as "
                           f"{'input' if op == 'gather' else 'self'} tensor")
    for d, k in enumerate(i.shape):
        if d != ax and k > self._data.shape[d] or src is not None and k > src.shape[d]:
            fits = f"index {list(i.shape)} to be no larger than self {list(self.shape)} apart from dimension {ax}"
            if op == "gather":
                raise RuntimeError(f"Size does not match at dimension {d} expected {fits}")
            raise RuntimeError(f"Expected {fits}" + ("" if src is None else f" and to be no larger size than src "
                                                                             f"{list(src.shape)}"))
    bad = (i < 0) | (i >= n)
    if bad.any():
        raise RuntimeError(f"index {i[bad][0]} is out of bounds for dimension {ax} with size {n}")
    grids = list(np.indices(i.shape, sparse=True))
    grids[ax] = i
    return tuple(grids)


def _as_1d(self, index):
    """True when gather/scatter should read a 0-d self or index as 1-D, as torch does."""
    return self.ndim <= 1 and index.ndim <= 1 and 0 in (self.ndim, index.ndim)


@_dim_alias
def gather(self, dim, index):
    """out[i][j] = self[index[i][j]][j] along dim (torch.gather)."""
    if _as_1d(self, index):
        return self.reshape(-1).gather(dim, index.reshape(-1)).reshape(index.shape)
    ax, shape = _axis(dim, self.ndim), self._data.shape
    at = _positions(self, ax, index, "gather")
    # d gather = g scatter-added back to the gathered positions
    return Tensor._op(self._data[at], (self,), lambda xp, g: (xp.scatter_add(g, shape, at),), "GatherBackward0")


def _broadcast(*shapes):
    """The shapes broadcast left to right, with torch's error for the first pair that does not fit."""
    out = ()
    for s in shapes:
        try:
            out = np.broadcast_shapes(out, s)
        except ValueError:
            raise _broadcast_error(out, s) from None
    return out


def where(condition, input, other):
    """Pick input where condition holds, else other (broadcast)."""
    c = _t(condition)._data.astype(bool)
    a, b, _ = _pair(_t(input), other)
    try:
        out = np.where(c, a._data, b._data)
    except ValueError:
        _broadcast(c.shape, a.shape, b.shape)  # raises torch's error
    # d where = (g [c], g [not c])
    return Tensor._op(out, (a, b), lambda xp, g: (g * c, g * ~c), "WhereBackward0")


def _common(tensors, empty):
    tensors = [_t(x) for x in tensors]
    if not tensors:
        raise empty
    d = dtypes.promote([(x.dtype, 2) for x in tensors])
    return [x.to(d) for x in tensors]


@_dim_alias
def cat(tensors, dim=0):
    """Join tensors along an existing dim."""
    ts = _common(tensors, ValueError("torch.cat(): expected a non-empty list of Tensors"))
    for i, x in enumerate(ts):
        if x.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    ax = _axis(dim, ts[0].ndim)
    for i, x in enumerate(ts):
        if x.ndim != ts[0].ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ts[0].ndim} and {x.ndim}")
        for d, (m, k) in enumerate(zip(ts[0].shape, x.shape)):
            if d != ax and m != k:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {ax}. Expected size {m} but "
                                   f"got size {k} for tensor number {i} in the list.")
    bounds = np.cumsum([0] + [x.shape[ax] for x in ts])
    pieces = [(slice(None),) * ax + (slice(a, b),) for a, b in zip(bounds, bounds[1:])]
    # d cat = g sliced back into the pieces
    return Tensor._op(np.concatenate([x._data for x in ts], axis=ax), tuple(ts),
                      lambda xp, g: tuple([g[p] for p in pieces]), "CatBackward0")


@_dim_alias
def stack(tensors, dim=0):
    """Join same-shaped tensors along a new dim."""
    ts = _common(tensors, RuntimeError("stack expects a non-empty TensorList"))
    for i, x in enumerate(ts):
        if x.shape != ts[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(ts[0].shape)} at entry 0 "
                               f"and {list(x.shape)} at entry {i}")
    return cat([x.unsqueeze(dim) for x in ts], dim)


@_dim_alias
def index_select(self, dim, index):
    """The entries at index (a vector of positions) along dim."""
    i = _t(index)._data
    if i.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if i.dtype.kind not in "iu":
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    ax = _axis(dim, self.ndim)
    if ((i < 0) | (i >= max(self.shape[ax:ax + 1] or (1,)))).any():
        raise IndexError("index out of range in self")
    return self[(slice(None),) * ax + (i.reshape(-1),)] if self.ndim else self.clone()


def _fitted(src, index):
    """src cut to index's shape: scatter reads src[i][j] only where index has an entry."""
    return src if src.shape == index.shape else src[tuple(slice(0, n) for n in index.shape)]


@_dim_alias
def scatter(self, dim, index, src=None, value=None):
    """self with src (or value) written at index along dim: out[index[i][j]][j] = src[i][j] for dim 0."""
    src = value if src is None else src
    if _as_1d(self, index):
        flat = src.reshape(-1) if isinstance(src, Tensor) else src
        return self.reshape(-1).scatter(dim, index.reshape(-1), flat).reshape(self.shape)
    ax = _axis(dim, self.ndim)
    if isinstance(src, Tensor) and src.dtype != self.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    at = _positions(self, ax, index, "scatter", src if isinstance(src, Tensor) else None)
    out = self.clone()
    out[at] = _fitted(src, index) if isinstance(src, Tensor) else src  # the gradients are __setitem__'s
    return out


@_dim_alias
def scatter_add(self, dim, index, src):
    """self with src added at index along dim: out[index[i][j]][j] += src[i][j] for dim 0."""
    if src.dtype != self.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    if _as_1d(self, index):
        return self.reshape(-1).scatter_add(dim, index.reshape(-1), src.reshape(-1)).reshape(self.shape)
    at = _positions(self, _axis(dim, self.ndim), index, "scatter", src)
    return self + _fitted(src, index).scatter_add_into(self.shape, at)


@_dim_alias
def take_along_dim(self, indices, dim=None):
    """Gather along dim with indices broadcast against self in the other dims (flattened when dim is None)."""
    if indices._data.dtype != np.int64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got {indices.dtype.title}")
    if dim is None:
        return self.reshape(-1).gather(0, indices.reshape(-1))
    if indices.ndim != self.ndim:
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same number of dimensions, "
                           f"but got {self.ndim} dimensions for input, and {indices.ndim} dimensions for indices")
    ax = _axis(dim, self.ndim)
    shape = list(_broadcast(*[t.shape[:ax] + (1,) + t.shape[ax + 1:] for t in (self, indices)]))
    expand = lambda t: t.expand(shape[:ax] + [t.shape[ax]] + shape[ax + 1:])  # noqa: E731
    return expand(self).gather(ax, expand(indices))


def masked_fill(self, mask, value):
    """self with value where mask is True (mask broadcasts)."""
    mask = _t(mask)
    if mask.dtype is not dtypes.bool_:
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{mask.dtype.title.lower()}")
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.ndim} "
                           "dimension(s).")
    return where(mask, value.to(self.dtype) if isinstance(value, Tensor) else Tensor(np.array(value, self._data.dtype)),
                 self)


def _triangle(self, diagonal, name, keep):
    if self.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    return where(keep(*self.shape[-2:], diagonal), self, Tensor(np.zeros((), self._data.dtype)))


def tril(self, diagonal=0):
    """The lower triangle (j - i <= diagonal) of the last two dims; zeros above it."""
    return _triangle(self, diagonal, "tril", lambda n, m, k: np.tri(n, m, k, dtype=bool))


def triu(self, diagonal=0):
    """The upper triangle (j - i >= diagonal) of the last two dims; zeros below it."""
    return _triangle(self, diagonal, "triu", lambda n, m, k: ~np.tri(n, m, k - 1, dtype=bool))


def nonzero(self, as_tuple=False):
    """Positions of the nonzero entries: one row each, or (as_tuple) one index tensor per dim."""
    at = np.nonzero(self._data.reshape(-1) if self.ndim == 0 else self._data)
    if as_tuple:
        return tuple(Tensor(i.astype(np.int64)) for i in at)
    return Tensor(np.stack(at, -1).astype(np.int64) if self.ndim else np.zeros((at[0].size, 0), np.int64))


def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values (always sorted), and optionally where each entry went and how often each occurs."""
    data = self._data.reshape(-1) if dim is None else self._data
    values, inverse, counts = np.unique(data, return_inverse=True, return_counts=True,
                                        axis=None if dim is None else _axis(dim, self.ndim))
    inverse = inverse.reshape(self.shape if dim is None else -1).astype(np.int64)
    out = (Tensor(values),) + ((Tensor(inverse),) if return_inverse else ()) + \
        ((Tensor(counts.astype(np.int64)),) if return_counts else ())
    return out if len(out) > 1 else out[0]


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
    parts = idx if isinstance(idx, tuple) else (idx,)
    if not _is_basic(parts) and len(parts) > 1:
        idx = _ints_first(parts, self._data.shape) or idx

    def compute():
        y = v.to(self.dtype)
        out = self._data.copy()
        while y.ndim and y.shape[0] == 1 and y.ndim > out[idx].ndim:
            y = y[0]  # torch drops a value's extra leading size-1 dims; numpy would refuse them
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
    if a > b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a} > to={b}")
    return _inplace(self, lambda: Tensor(_gen(generator).uniform(a, b, self._data.shape).astype(self._data.dtype)))


def normal_(self, mean=0.0, std=1.0, generator=None):
    """Fill with samples from N(mean, std^2)."""
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    return _inplace(self, lambda: Tensor(_gen(generator).normal(mean, std, self._data.shape).astype(self._data.dtype)))


def _in_place(name):
    def method(self, *args, **kwargs):
        return _inplace(self, lambda: getattr(self, name)(*args, **kwargs))
    method.__doc__ = f"In-place {name}: the result is written into self."
    return method


for _fn in (scatter_add_into, __getitem__, __setitem__, gather, copy_, fill_, zero_, uniform_, normal_, index_select,
            scatter, scatter_add, take_along_dim, masked_fill, tril, triu, nonzero, unique):
    setattr(Tensor, _fn.__name__, _fn)
Tensor.where = lambda self, condition, other: where(condition, self, other)
Tensor.where.__doc__ = "self where condition holds, else other."
for _name in ("add", "sub", "mul", "div", "clamp", "relu", "masked_fill", "scatter", "scatter_add"):
    setattr(Tensor, _name + "_", _in_place(_name))
Tensor.__iadd__, Tensor.__isub__, Tensor.__imul__, Tensor.__itruediv__ = Tensor.add_, Tensor.sub_, Tensor.mul_, Tensor.div_
