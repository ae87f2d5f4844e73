"""Pooling: max_pool2d and avg_pool2d (forward and backward) over conv.py's windows, and their layers."""
import functools

import numpy as np

from ..tensor import Tensor
from .conv import _batched, _pad, _pair, _windows
from .layers import _Options


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


class MaxPool2d(_Options):
    """Max pooling layer (stride defaults to kernel_size)."""

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
        super().__init__(kernel_size=kernel_size, stride=kernel_size if stride is None else stride, padding=padding,
                         dilation=dilation, ceil_mode=ceil_mode)

    def forward(self, input):
        return max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode)


class AvgPool2d(_Options):
    """Average pooling layer (stride defaults to kernel_size)."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
        super().__init__(kernel_size=kernel_size, stride=kernel_size if stride is None else stride, padding=padding)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad  # not in torch's printout

    def forward(self, input):
        return avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad)
