"""Shape ops: reshape/view, permute, expand, repeat, flip, roll; flatten, squeeze, transpose, t, split derived.

Where numpy can give a view (reshape of contiguous data, permute, expand) the result shares the input's storage
and version counter (Tensor._view), as torch's views do.
"""
import functools

import numpy as np

from .. import _checks
from ..tensor import Tensor, _axes, _axis, _dims


def _dim_alias(fn):
    """fn also accepting torch's numpy-style alias axis= for dim=."""
    @functools.wraps(fn)
    def method(*args, **kwargs):
        if "axis" in kwargs:
            kwargs["dim"] = kwargs.pop("axis")
        return fn(*args, **kwargs)
    return method


def _reshape(self, shape, view):
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    if min(shape, default=0) < -1:  # numpy would read any negative size as -1
        i = next(i for i, n in enumerate(shape) if n < -1)
        raise RuntimeError(f"invalid shape dimension {shape[i]} at index {i} of shape {list(shape)}")
    try:
        out = self._data.reshape(shape)  # numpy checks the size, resolves -1, and copies only when it must
    except ValueError:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {self._data.size}") from None
    shared = out.size == 0 or np.may_share_memory(out, self._data)
    if view and not shared:
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one "
                           "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
    src = self._data.shape
    rule = lambda xp, g: (g.reshape(src),)  # noqa: E731  d reshape = g reshaped back
    if shared:
        return self._view(out, rule, "ViewBackward0")
    return Tensor._op(out, (self,), rule, "ViewBackward0")


def reshape(self, *args, shape=None):
    """Same values in a new shape (one dim may be -1); a view when the data allows it, else a copy."""
    return _reshape(self, _dims(args) if shape is None else tuple(shape), False)


def view(self, *args, size=None):
    """Same storage in a new shape; torch's error when the strides do not allow it."""
    return _reshape(self, _dims(args) if size is None else tuple(size), True)


def view_as(self, other):
    """View with other's shape."""
    return self.view(other.shape)


def flatten(self, start_dim=0, end_dim=-1):
    """Merge dims start_dim..end_dim into one."""
    _checks.integer("flatten", "start_dim", 1, start_dim), _checks.integer("flatten", "end_dim", 2, end_dim)
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
    axes = _axes(dim, self.ndim)  # checks dim even for a 0-d tensor, as torch does
    return self.reshape([n for i, n in enumerate(self._data.shape) if not (i in axes and n == 1)])


def _permute(self, dims, name):
    inverse = tuple(sorted(range(len(dims)), key=dims.__getitem__))  # np.argsort costs more on a few dims
    # d permute = g permuted back
    return self._view(self._data.transpose(dims), lambda xp, g: (xp.transpose(g, inverse),), name)


def permute(self, *args, dims=None):
    """Reorder dims."""
    dims = _dims(args) if dims is None else tuple(dims)
    if len(dims) != self.ndim:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does not match "
                           "the length of the desired ordering of dimensions i.e. input.dim() = "
                           f"{self.ndim} is not equal to len(dims) = {len(dims)}")
    dims = tuple(_axis(d, self.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _permute(self, dims, "PermuteBackward0")


def transpose(self, dim0, dim1):
    """Swap two dims."""
    a, b = _axis(dim0, self.ndim), _axis(dim1, self.ndim)
    if self.ndim == 0:
        return self
    dims = list(range(self.ndim))
    dims[a], dims[b] = dims[b], dims[a]
    return _permute(self, tuple(dims), "TransposeBackward0")


def t(self):
    """Transpose a 2-D tensor (1-D and 0-D tensors are returned as is)."""
    if self.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
    return self._view(self._data.T, _transposed, "TBackward0") if self.ndim == 2 else self  # nn.Linear's weight.t()


def _transposed(xp, g):
    return (g.T,)  # d t(x) = g^T


def T(self):
    """All dims reversed."""
    return _permute(self, tuple(range(self.ndim))[::-1], "PermuteBackward0")


def expand(self, *args, size=None):
    """Broadcast to a larger shape without copying (-1 keeps a dim)."""
    sizes = _dims(args) if size is None else tuple(size)
    lead = len(sizes) - self.ndim
    if lead < 0:
        raise RuntimeError(f"expand: the number of sizes provided ({len(sizes)}) must be greater or equal to "
                           f"the number of dimensions in the tensor ({self.ndim})")
    for i, n in enumerate(sizes[:lead]):
        if n == -1:
            raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing "
                               f"dimension {i}")
    shape = tuple(self._data.shape[i - lead] if n == -1 else n for i, n in enumerate(sizes))
    for i in reversed(range(lead, len(shape))):
        if self._data.shape[i - lead] not in (1, shape[i]):
            raise RuntimeError(f"The expanded size of the tensor ({shape[i]}) must match the existing size "
                               f"({self._data.shape[i - lead]}) at non-singleton dimension {i}.  Target sizes: "
                               f"{list(sizes)}.  Tensor sizes: {list(self.shape)}")
    out = np.broadcast_to(self._data, shape)
    return self._view(out, lambda xp, g: (g,), "ExpandBackward0")  # the engine sums g back to the input's shape


def expand_as(self, other):
    """Broadcast to other's shape."""
    return self.expand(other.shape)


def repeat(self, *args, repeats=None):
    """Tile the tensor sizes[i] times along each dim."""
    sizes = _dims(args) if repeats is None else tuple(repeats)
    if len(sizes) < self.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions "
                           "of tensor")
    shape = (1,) * (len(sizes) - self.ndim) + self._data.shape
    split = [v for r, n in zip(sizes, shape) for v in (r, n)]
    copies = tuple(range(0, len(split), 2))
    # d repeat = the sum of g over the copies
    return Tensor._op(np.tile(self._data.reshape(shape), sizes), (self,),
                      lambda xp, g: (xp.sum(g.reshape(split), copies),), "RepeatBackward0")


def split(self, split_size, dim=0):
    """Pieces of split_size (an int, or a list of sizes) along dim (views of this tensor)."""
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
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    n = self.shape[_axis(dim, self.ndim)]
    return self.split(max(-(-n // chunks), 1), dim)


def _moved(self, out, back, name):
    """An op that only moves elements; back indexes the output at each input's position."""
    return Tensor._op(out, (self,), lambda xp, g: (g[back],), name)  # d move = g moved back: g[back]


def flip(self, *args, dims=None):
    """Reverse the order of elements along dims (a copy, as in torch)."""
    axes = [_axis(d, self.ndim) for d in (_dims(args) if dims is None else _dims((dims,)))]
    for d in axes:
        if axes.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    if self.ndim == 0 or not axes:
        return self.clone()
    back = np.ix_(*[np.arange(n)[::-1] if d in axes else np.arange(n) for d, n in enumerate(self._data.shape)])
    return _moved(self, np.ascontiguousarray(np.flip(self._data, axes)), back, "FlipBackward0")  # flip undoes flip


def roll(self, shifts, dims=None):
    """Shift elements cyclically along dims (along the flattened tensor when dims is None)."""
    shifts, dims = _dims((shifts,)), None if dims is None else _dims((dims,))
    if not shifts:
        raise RuntimeError("`shifts` required")
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        return self.flatten().roll(shifts, 0).view(self.shape)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    dims = [_axis(d, self.ndim) for d in dims]
    if self.ndim == 0:
        return self.clone()
    grids = [np.arange(n) for n in self._data.shape]
    for s, d in zip(shifts, dims):
        grids[d] = (grids[d] + s) % max(self._data.shape[d], 1)  # out[i] = x[i - s], so x[j] went to out[j + s]
    return _moved(self, np.roll(self._data, shifts, dims), np.ix_(*grids), "RollBackward0")


for _fn in (reshape, view, view_as, flatten, unsqueeze, squeeze, permute, transpose, t, expand, expand_as, repeat,
            split, chunk, flip, roll):
    setattr(Tensor, _fn.__name__, _dim_alias(_fn) if _fn in (unsqueeze, squeeze, chunk) else _fn)
Tensor.swapaxes, Tensor.T = transpose, property(T)
