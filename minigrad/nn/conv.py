"""conv2d, max_pool2d and avg_pool2d, vectorised: Python loops run over kernel offsets only."""
# For each kernel offset (i, j), one strided slice of the padded input holds what that offset meets at every
# output position (_windows). A convolution copies those slices into one (C*kh*kw, N*OH*OW) matrix (im2col) and
# does a single BLAS matmul; pooling takes a running max or sum over the slices. Backward adds each offset's
# gradient back through the same slices (col2im).
import functools

import numpy as np

from ..tensor import Tensor


def _pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def _windows(k, s, d, out):  # for each kernel offset: the index of the input cells it meets, all positions at once
    return [(..., slice(i * d[0], i * d[0] + s[0] * (out[0] - 1) + 1, s[0]),
             slice(j * d[1], j * d[1] + s[1] * (out[1] - 1) + 1, s[1])) for i, j in np.ndindex(*k)]


def _pad(x, p, value=0, extra=(0, 0)):  # p cells on each side of H and W, and extra more at their ends
    pads = ((0, 0), (0, 0), (p[0], p[0] + extra[0]), (p[1], p[1] + extra[1]))
    return np.pad(x, pads, constant_values=value) if any(p + tuple(extra)) else x


def _batched(fn):  # accept an unbatched (C, H, W) input by adding and removing a batch dim; refuse other ranks
    @functools.wraps(fn)
    def wrapper(input, *args, **kwargs):
        if input.dim() == 3:
            return wrapper(input.unsqueeze(0), *args, **kwargs).squeeze(0)
        if input.dim() != 4:
            raise RuntimeError(f"Expected 3D (unbatched) or 4D (batched) input to {fn.__name__}, but got input of "
                               f"size: {list(input.shape)}")
        return fn(input, *args, **kwargs)
    return wrapper


@_batched
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation of a (N, C, H, W) or (C, H, W) input with (O, C, kh, kw) weights."""
    if groups != 1:
        raise NotImplementedError(f"minigrad's conv2d supports groups=1 only, got groups={groups}")
    x, w = input._data, weight._data
    (n, c, h, wd), (o, _, kh, kw) = x.shape, w.shape
    if c != w.shape[1]:
        raise RuntimeError(f"Given groups=1, weight of size {list(w.shape)}, expected input{list(x.shape)} to have "
                           f"{w.shape[1]} channels, but got {c} channels instead")
    s, p, d = _pair(stride), _pair(padding), _pair(dilation)
    ph, pw, eh, ew = h + 2 * p[0], wd + 2 * p[1], d[0] * (kh - 1) + 1, d[1] * (kw - 1) + 1
    if ph < eh or pw < ew:
        raise RuntimeError(f"Calculated padded input size per channel: ({ph} x {pw}). Kernel size: ({eh} x {ew}). "
                           "Kernel size can't be greater than actual input size")
    out = ((ph - eh) // s[0] + 1, (pw - ew) // s[1] + 1)
    win, xt = _windows((kh, kw), s, d, out), _pad(x, p).transpose(1, 0, 2, 3)
    # im2col in (C, kh, kw) x (N, OH, OW) layout: each copy runs along whole output rows
    cols = np.empty((c, kh * kw, n) + out, x.dtype)
    for q, idx in enumerate(win):
        cols[:, q] = xt[idx]
    cols = cols.reshape(c * kh * kw, -1)
    w2 = w.reshape(o, -1)
    y = w2 @ cols
    if bias is not None:
        y += bias._data[:, None]
    y = np.ascontiguousarray(y.reshape(o, n, *out).transpose(1, 0, 2, 3))

    def backward(g):
        # y = W cols + b  =>  dW = g cols^T, db = sum(g), d cols = W^T g, added back through the windows
        g2 = g.transpose(1, 0, 2, 3).reshape(o, -1)
        gw = (g2 @ cols.T).reshape(w.shape) if weight.requires_grad else None
        gx = None
        if input.requires_grad:
            gcols, gxt = (w2.T @ g2).reshape(c, kh * kw, n, *out), np.zeros(xt.shape, g.dtype)
            for q, idx in enumerate(win):
                gxt[idx] += gcols[:, q]
            gx = gxt.transpose(1, 0, 2, 3)[:, :, p[0]:p[0] + h, p[1]:p[1] + wd]
        return gx, gw, (g2.sum(1) if bias is not None else None)
    return Tensor._op(y, (input, weight) if bias is None else (input, weight, bias), backward, "ConvolutionBackward0")


def _pool_geometry(x, kernel_size, stride, padding, dilation, ceil_mode):
    # normalised (k, s, p, d), the output size, and how far ceil_mode's last windows reach past the padding
    k, p, d = _pair(kernel_size), _pair(padding), _pair(dilation)
    s = _pair(kernel_size if stride is None or stride == [] else stride)
    out, extra = [], []
    for i, size in enumerate(x.shape[2:]):
        if p[i] > (d[i] * (k[i] - 1) + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p[i]}, "
                               f"kernel_size={k[i]} and dilation={d[i]}")
        o = (size + 2 * p[i] - d[i] * (k[i] - 1) - 1 + (s[i] - 1 if ceil_mode else 0)) // s[i] + 1
        out.append(o - (ceil_mode and (o - 1) * s[i] >= size + p[i]))  # a window must start before the padding
        extra.append(max(0, (out[i] - 1) * s[i] + d[i] * (k[i] - 1) + 1 - size - 2 * p[i]))
    if min(out) < 1:
        raise RuntimeError(f"Given input size: ({'x'.join(map(str, x.shape[1:]))}). Calculated output size: "
                           f"({x.shape[1]}x{out[0]}x{out[1]}). Output size is too small")
    return k, s, p, d, tuple(out), extra


@_batched
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """Max over each kernel window; the gradient goes to the first maximum, as in torch."""
    x = input._data
    k, s, p, d, out, extra = _pool_geometry(x, kernel_size, stride, padding, dilation, ceil_mode)
    xp = _pad(x, p, -np.inf, extra)
    win = _windows(k, s, d, out)
    y = functools.reduce(np.maximum, (xp[idx] for idx in win))

    def backward(g):
        # d max = g at the window's first cell that holds the max (torch's tie rule), zero elsewhere
        gx, free = np.zeros(xp.shape, g.dtype), np.ones(y.shape, bool)
        for idx in win:
            hit = xp[idx] == y
            hit &= free
            gx[idx] += g * hit
            free ^= hit
        return (gx[:, :, p[0]:p[0] + x.shape[2], p[1]:p[1] + x.shape[3]],)
    return Tensor._op(y, (input,), backward, "MaxPool2DWithIndicesBackward0")


@_batched
def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """Mean over each kernel window, with torch's divisor rules for padding and ceil_mode."""
    x = input._data
    k, s, p, d, out, extra = _pool_geometry(x, kernel_size, stride, padding, 1, ceil_mode)
    xp, win = _pad(x, p, 0, extra), _windows(k, s, d, out)
    # the divisor counts a window's cells in the input, and in the padding if count_include_pad (never beyond)
    inside = _pad(_pad(np.ones((1, 1) + x.shape[2:], x.dtype), p, int(count_include_pad)), (0, 0), 0, extra)
    div = sum(inside[idx] for idx in win)
    y = (sum(xp[idx] for idx in win) / div).astype(x.dtype)

    def backward(g):
        # d mean = g / divisor, spread over every cell of the window
        gx, gd = np.zeros(xp.shape, g.dtype), (g / div).astype(g.dtype)
        for idx in win:
            gx[idx] += gd
        return (gx[:, :, p[0]:p[0] + x.shape[2], p[1]:p[1] + x.shape[3]],)
    return Tensor._op(y, (input,), backward, "AvgPool2DBackward0")
