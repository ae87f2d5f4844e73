"""Sliding windows, shared by convolution and pooling in any number of spatial dims: padding, the window slices,
and im2col/col2im.

For each kernel offset, one strided slice of the padded input holds what that offset meets at every output
position (`windows`). im2col copies all those slices at once (one strided view of the input) into a (C*K, OUT*N)
matrix (K: the kernel's cell count, OUT: the output's), so a convolution is a single matmul; col2im adds columns
back through the same slices (windows may overlap, so: one plane per offset, summed, or a loop of adds). The two
are each other's adjoint, so `unfold` and `fold` (their recorded forms) are each other's backward rule, and a
convolution's gradient can be differentiated again.
"""
import collections
import functools
import math

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..tensor import Tensor

# n, c: batch and channels; size: the spatial shape; k, s, p, d: kernel, stride, padding, dilation tuples;
# out: the output's spatial shape; extra: cells past the padding at each dim's end ('same' padding's odd cell,
# the last windows of ceil_mode); first: the columns hold the batch right after the channels, (C*K, N*OUT), rather
# than innermost (see conv.py's _convolution for which is faster when)
Window = collections.namedtuple("Window", "n c size k s p d out extra first", defaults=(False,))


def ntuple(v, n=2):
    """(v,) * n for a number; a sequence as a tuple."""
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * n


pair = ntuple


@functools.lru_cache(maxsize=256)  # a network asks for the same few geometries at every step
def windows(k, s, d, out):
    """For each kernel offset: the index of the input cells it meets, at all output positions at once."""
    return tuple((...,) + tuple(slice(i * di, i * di + si * (oi - 1) + 1, si) for i, si, di, oi in zip(at, s, d, out))
                 for at in np.ndindex(*k))


def pad(x, p, value=0, extra=None):
    """p cells of value on each side of the spatial dims (the last len(p)), and extra more at their ends."""
    extra = extra or (0,) * len(p)
    pads = ((0, 0),) * (x.ndim - len(p)) + tuple((a, a + e) for a, e in zip(p, extra))
    return np.pad(x, pads, constant_values=value) if any(p + tuple(extra)) else x


def batched(fn, nd=2):
    """Accept an unbatched (C, *spatial) input by adding and removing a batch dim; refuse other ranks."""
    @functools.wraps(fn)
    def wrapper(input, *args, **kwargs):
        if input.dim() == nd + 1:
            out = wrapper(input.unsqueeze(0), *args, **kwargs)
            return tuple(t.squeeze(0) for t in out) if isinstance(out, tuple) else out.squeeze(0)
        if input.dim() != nd + 2:
            raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {fn.__name__}, but "
                               f"got input of size: {list(input.shape)}")
        return fn(input, *args, **kwargs)
    return wrapper


def _layout(win, nd, back=False):
    """The axes of an (N, C, *spatial) array in the columns' order (channels, then batch and spatial dims), or
    (back) the axes that return such an array to (N, C, *spatial)."""
    if win.first:  # swapping N and C is its own inverse
        return (1, 0) + tuple(range(2, nd + 2))
    return (nd + 1,) + tuple(range(nd + 1)) if back else tuple(range(1, nd + 2)) + (0,)


def _tail(win, size):
    """The columns' dims after (C, K): the batch and the spatial `size`, in the columns' order."""
    return (win.n,) + size if win.first else size + (win.n,)


def _window_view(a, win, skew=False):
    """The (C, *k, *out, N) view (batch where the columns hold it) of a padded (C, *size, N) array: what each
    kernel offset meets at every output position. skew: of a (C, *k, *size, N) array, each offset in its own
    plane (no cell twice: col2im's writes)."""
    nd = len(win.k)
    sc, *st = a.strides
    ks, st = (st[:nd], st[nd:]) if skew else ([0] * nd, st)
    sp = st[1:] if win.first else st[:-1]  # the spatial dims' strides
    out = [x * s for x, s in zip(sp, win.s)]
    return as_strided(a, (win.c,) + win.k + _tail(win, win.out), [sc] + [k + x * d for k, x, d in zip(ks, sp, win.d)]
                      + (st[:1] + out if win.first else out + st[-1:]), writeable=skew)


def im2col(x, win):
    """(N, C, *size) array -> (C*K, OUT*N) columns: one strided view of the padded input, copied. With the batch
    innermost the input is copied to (C, *size, N) first, so each window row and batch is one run."""
    xt = pad(x, win.p, 0, win.extra).transpose(_layout(win, len(win.k)))
    return _window_view(xt if win.first else np.ascontiguousarray(xt), win).reshape(win.c * math.prod(win.k), -1)


def col2im(cols, win):
    """The adjoint of im2col: each column added back at the cells it was copied from, padding cropped."""
    nd, kk = len(win.k), math.prod(win.k)
    padded = tuple(h + 2 * p + e for h, p, e in zip(win.size, win.p, win.extra))
    gcols = cols.reshape((win.c, kk) + _tail(win, win.out))
    if win.c * kk * math.prod(padded) * win.n <= 2 ** 20:  # small: one plane per kernel offset, copied, summed
        planes = np.zeros((win.c,) + win.k + _tail(win, padded), cols.dtype)
        _window_view(planes, win, skew=True)[...] = gcols.reshape((win.c,) + win.k + gcols.shape[2:])
        gxt = planes.sum(tuple(range(1, nd + 1)))
    else:  # large: a loop of adds over kernel offsets, each over long rows, costs less than the planes' memory
        gxt = np.zeros((win.c,) + _tail(win, padded), cols.dtype)
        for q, idx in enumerate(windows(win.k, win.s, win.d, win.out)):
            gxt[idx if win.first else (slice(None),) + idx[1:]] += gcols[:, q]
    crop = tuple(slice(p, p + h) for p, h in zip(win.p, win.size))
    return gxt[(slice(None),) * (1 + win.first) + crop].transpose(_layout(win, nd, True))


def unfold(xp, x, win):
    """im2col in namespace xp: numpy for first-order backward, a recorded op (Im2ColBackward0) on Tensors."""
    if not xp.graph:
        return im2col(x, win)
    # d im2col = col2im(g)
    return Tensor._op(im2col(x._data, win), (x,), lambda xp, g: (fold(xp, g, win),), "Im2ColBackward0")


def fold(xp, cols, win):
    """col2im in namespace xp: numpy for first-order backward, a recorded op (Col2ImBackward0) on Tensors."""
    if not xp.graph:
        return col2im(cols, win)
    # d col2im = im2col(g)
    return Tensor._op(np.ascontiguousarray(col2im(cols._data, win)), (cols,), lambda xp, g: (unfold(xp, g, win),),
                      "Col2ImBackward0")
