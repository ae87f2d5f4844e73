"""Sliding windows, shared by conv2d and pooling: padding, the window slices, and im2col/col2im.

Python loops run over kernel offsets only. For each offset (i, j), one strided slice of the padded input holds
what that offset meets at every output position (`windows`). im2col copies those slices into one
(C*kh*kw, OH*OW*N) matrix, so a convolution is a single matmul; col2im adds columns back through the same
slices. The two are each other's adjoint, so `unfold` and `fold` (their recorded forms) are each other's
backward rule, and a convolution's gradient can be differentiated again.
"""
import collections
import functools

import numpy as np

from ..tensor import Tensor

# n, c, h, w: the input's shape; k, s, p, d: kernel, stride, padding, dilation pairs; out: (OH, OW);
# extra: cells past the padding that ceil_mode's last windows reach
Window = collections.namedtuple("Window", "n c h w k s p d out extra")


def pair(v):
    """(v, v) for a number; a pair as a tuple."""
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def windows(k, s, d, out):
    """For each kernel offset: the index of the input cells it meets, at all output positions at once."""
    return [(..., slice(i * d[0], i * d[0] + s[0] * (out[0] - 1) + 1, s[0]),
             slice(j * d[1], j * d[1] + s[1] * (out[1] - 1) + 1, s[1])) for i, j in np.ndindex(*k)]


def pad(x, p, value=0, extra=(0, 0)):
    """p cells of value on each side of H and W, and extra more at their ends."""
    pads = ((0, 0), (0, 0), (p[0], p[0] + extra[0]), (p[1], p[1] + extra[1]))
    return np.pad(x, pads, constant_values=value) if any(p + tuple(extra)) else x


def batched(fn):
    """Accept an unbatched (C, H, W) input by adding and removing a batch dim; refuse other ranks."""
    @functools.wraps(fn)
    def wrapper(input, *args, **kwargs):
        if input.dim() == 3:
            return wrapper(input.unsqueeze(0), *args, **kwargs).squeeze(0)
        if input.dim() != 4:
            raise RuntimeError(f"Expected 3D (unbatched) or 4D (batched) input to {fn.__name__}, but got input of "
                               f"size: {list(input.shape)}")
        return fn(input, *args, **kwargs)
    return wrapper


def im2col(x, win):
    """(N, C, H, W) array -> (C*kh*kw, OH*OW*N) columns, batch innermost so every copy runs over whole rows."""
    xt = np.ascontiguousarray(pad(x, win.p, 0, win.extra).transpose(1, 2, 3, 0))
    cols = np.empty((win.c, win.k[0] * win.k[1]) + win.out + (win.n,), x.dtype)
    for q, idx in enumerate(windows(win.k, win.s, win.d, win.out)):
        cols[:, q] = xt[(slice(None),) + idx[1:]]
    return cols.reshape(win.c * win.k[0] * win.k[1], -1)


def col2im(cols, win):
    """The adjoint of im2col: each column added back at the cells it was copied from, padding cropped."""
    (p0, p1), (e0, e1) = win.p, win.extra
    gcols = cols.reshape((win.c, win.k[0] * win.k[1]) + win.out + (win.n,))
    gxt = np.zeros((win.c, win.h + 2 * p0 + e0, win.w + 2 * p1 + e1, win.n), cols.dtype)
    for q, idx in enumerate(windows(win.k, win.s, win.d, win.out)):
        gxt[(slice(None),) + idx[1:]] += gcols[:, q]
    return gxt[:, p0:p0 + win.h, p1:p1 + win.w].transpose(3, 0, 1, 2)


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
