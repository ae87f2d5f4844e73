"""Sliding windows, shared by convolution and pooling in any number of spatial dims: padding, the window slices,
and im2col/col2im.

Python loops run over kernel offsets only. For each offset, one strided slice of the padded input holds what
that offset meets at every output position (`windows`). im2col copies those slices into one
(C*K, OUT*N) matrix (K: the kernel's cell count, OUT: the output's), so a convolution is a single matmul;
col2im adds columns back through the same slices. The two are each other's adjoint, so `unfold` and `fold`
(their recorded forms) are each other's backward rule, and a convolution's gradient can be differentiated again.
"""
import collections
import functools
import math

import numpy as np

from ..tensor import Tensor

# n, c: batch and channels; size: the spatial shape; k, s, p, d: kernel, stride, padding, dilation tuples;
# out: the output's spatial shape; extra: cells past the padding at each dim's end ('same' padding's odd cell,
# the last windows of ceil_mode)
Window = collections.namedtuple("Window", "n c size k s p d out extra")


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


def im2col(x, win):
    """(N, C, *size) array -> (C*K, OUT*N) columns, batch innermost so every copy runs over whole rows."""
    nd = len(win.k)
    xt = np.ascontiguousarray(pad(x, win.p, 0, win.extra).transpose(*range(1, nd + 2), 0))
    cols = np.empty((win.c, math.prod(win.k)) + win.out + (win.n,), x.dtype)
    for q, idx in enumerate(windows(win.k, win.s, win.d, win.out)):
        cols[:, q] = xt[(slice(None),) + idx[1:]]
    return cols.reshape(win.c * math.prod(win.k), -1)


def col2im(cols, win):
    """The adjoint of im2col: each column added back at the cells it was copied from, padding cropped."""
    nd = len(win.k)
    gcols = cols.reshape((win.c, math.prod(win.k)) + win.out + (win.n,))
    gxt = np.zeros((win.c,) + tuple(h + 2 * p + e for h, p, e in zip(win.size, win.p, win.extra)) + (win.n,),
                   cols.dtype)
    for q, idx in enumerate(windows(win.k, win.s, win.d, win.out)):
        gxt[(slice(None),) + idx[1:]] += gcols[:, q]
    crop = tuple(slice(p, p + h) for p, h in zip(win.p, win.size))
    return gxt[(slice(None),) + crop].transpose(nd + 1, 0, *range(1, nd + 1))


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
