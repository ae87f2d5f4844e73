"""Pooling: max_pool2d and avg_pool2d over _windows.py's windows, the 1-d forms (a 2-d pool over a height of 1,
as torch does), and their layers."""
import functools

import numpy as np

from ..tensor import Tensor
from ._windows import Window, batched, fold, ntuple, pad, windows
from .module import Module


def _pool_geometry(x, kernel_size, stride, padding, dilation, ceil_mode):
    """The pool's Window, checked like torch; ceil_mode's last windows may reach `extra` cells past the padding."""
    args = [tuple(v) if isinstance(v, list) else v for v in (kernel_size, stride, padding, dilation)]
    return _pool_window(x.shape, *args, ceil_mode)


@functools.lru_cache(maxsize=64)  # a training loop asks for the same few geometries at every step
def _pool_window(shape, kernel_size, stride, padding, dilation, ceil_mode):
    """_pool_geometry's work on shapes (hashable, so cached)."""
    k, p, d = ntuple(kernel_size), ntuple(padding), ntuple(dilation)
    s = ntuple(kernel_size if stride is None or stride == () else stride)
    if 0 in s:
        raise RuntimeError("stride should not be zero")
    if min(k) <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kH: {k[0]} kW: {k[1]}")
    if min(d) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilationH: {d[0]} dilationW: {d[1]}")
    if min(p) < 0:
        raise RuntimeError(f"pad must be non-negative, but got pad: {min(p)}")
    out, extra = [], []
    for i, size in enumerate(shape[2:]):
        if p[i] > (d[i] * (k[i] - 1) + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p[i]}, "
                               f"kernel_size={k[i]} and dilation={d[i]}")
        o = (size + 2 * p[i] - d[i] * (k[i] - 1) - 1 + (s[i] - 1 if ceil_mode else 0)) // s[i] + 1
        out.append(o - (ceil_mode and (o - 1) * s[i] >= size + p[i]))  # a window must start before the padding
        extra.append(max(0, (out[i] - 1) * s[i] + d[i] * (k[i] - 1) + 1 - size - 2 * p[i]))
    if min(out) < 1:
        raise RuntimeError(f"Given input size: ({'x'.join(map(str, shape[1:]))}). Calculated output size: "
                           f"({shape[1]}x{out[0]}x{out[1]}). Output size is too small")
    return Window(*shape[:2], shape[2:], k, s, p, d, tuple(out), tuple(extra))


@batched
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Max over each kernel window; the gradient goes to the window's first maximum, as in torch (whose index in
    its H*W plane return_indices also returns)."""
    x = input._data
    win = _pool_geometry(x, kernel_size, stride, padding, dilation, ceil_mode)
    xp_ = pad(x, win.p, -np.inf, win.extra)
    slices = windows(win.k, win.s, win.d, win.out)
    y = functools.reduce(np.maximum, (xp_[idx] for idx in slices))

    def rule(xp, g, _):
        # d max = g routed to each window's argmax (scatter-added: overlapping windows may share one)
        at, inside = _argmax_flat(xp_, y, win, slices)
        if inside is not None:  # a window of padding only (its max is -inf) passes no gradient
            return (xp.scatter_add(g * inside, (x.size,), at).reshape(x.shape),)
        return (xp.scatter_add(g, (x.size,), at, apart).reshape(x.shape),)
    apart = all(s >= d * (k - 1) + 1 for k, s, d in zip(win.k, win.s, win.d))  # windows apart: no cell twice
    out = Tensor._op(y, (input,), rule, "MaxPool2DWithIndicesBackward0", (input,))
    return (out, Tensor(_argmax_flat(xp_, y, win, slices)[0] % (win.size[0] * win.size[1]))) if return_indices else out


def _argmax_flat(xp_, y, win, slices):
    """Where each window's max came from (its first maximum, torch's tie rule) as a flat index into the input,
    and which of those lie inside it (None: all do)."""
    arg, free = np.zeros(y.shape, np.int32), np.ones(y.shape, bool)
    for idx in slices[:-1]:  # arg counts the offsets before the first that holds the max
        free &= xp_[idx] != y
        arg += free
    if np.isnan(y).any():  # torch routes a window's max to its last NaN
        for q, idx in enumerate(slices):
            arg[np.isnan(xp_[idx])] = q
    start, offset = _flat_starts(win)
    at, inside = start + offset[arg], None
    if any(win.p) and np.isneginf(y).any():
        (h, w), (i, j) = win.size, np.divmod(arg, win.k[1])
        r = np.arange(win.out[0])[:, None] * win.s[0] + i * win.d[0] - win.p[0]
        c = np.arange(win.out[1]) * win.s[1] + j * win.d[1] - win.p[1]
        inside = (r >= 0) & (r < h) & (c >= 0) & (c < w)
        at = np.where(inside, at, 0)
    return at, inside


@functools.lru_cache(maxsize=16)  # the same few geometries at every step: build their index arrays once
def _flat_starts(win):
    """The flat index of each window's top-left cell, (N, C, *out), and each kernel offset's distance from it."""
    (n, c), (h, w) = (win.n, win.c), win.size
    start = (((np.arange(n * c) * h)[:, None, None] + np.arange(win.out[0])[:, None] * win.s[0] - win.p[0]) * w
             + np.arange(win.out[1]) * win.s[1] - win.p[1])
    return start.reshape((n, c) + win.out), np.array([i * win.d[0] * w + j * win.d[1] for i, j in np.ndindex(*win.k)])


@batched
def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """Mean over each kernel window, with torch's divisor rules for padding and ceil_mode."""
    x = input._data
    win = _pool_geometry(x, kernel_size, stride, padding, 1, ceil_mode)
    xp_, slices = pad(x, win.p, 0, win.extra), windows(win.k, win.s, win.d, win.out)
    # the divisor counts a window's cells in the input, and in the padding if count_include_pad (never beyond)
    inside = pad(pad(np.ones((1, 1) + x.shape[2:], x.dtype), win.p, int(count_include_pad)), (0, 0), 0, win.extra)
    div = sum(inside[idx] for idx in slices)
    kk = win.k[0] * win.k[1]

    def rule(xp, g):
        # d mean = g / divisor, spread over every cell of the window (col2im of g repeated per kernel offset)
        gd = xp.transpose(g / div, (1, 2, 3, 0)).reshape((win.c, 1) + win.out + (win.n,))
        return (fold(xp, xp.broadcast_to(gd, (win.c, kk) + win.out + (win.n,)).reshape(win.c * kk, -1), win),)
    return Tensor._op((sum(xp_[idx] for idx in slices) / div).astype(x.dtype), (input,), rule, "AvgPool2DBackward0")


def _as_2d(input, name, kernel_size, stride, padding, dilation=1):
    """A 1-d pool's input and arguments as a 2-d pool's over a height of 1, checked as torch checks them."""
    if input.dim() not in (2, 3):
        raise RuntimeError(f"max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
                           f"input, but got:{list(input.shape)}" if name == "max_pool1d" else f"Expected 2 to 3 "
                           f"dimensions, but got {input.dim()}-dimensional tensor for argument #1 'self' (while "
                           f"checking arguments for {name})")
    k, d = ntuple(kernel_size, 1)[0], ntuple(dilation, 1)[0]
    s = k if stride is None or stride == [] else ntuple(stride, 1)[0]
    for what, v in (("kernel_size", k), ("stride", s), ("dilation", d)) if name == "max_pool1d" else ():
        if v <= 0:
            raise RuntimeError(f"max_pool1d() {what} must be greater than zero, but got {v}")
    return input.unsqueeze(-2), (1, k), (1, s), (0, ntuple(padding, 1)[0]), (1, d)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Max over each window of the last dim of a (N, C, L) or (C, L) input."""
    x, k, s, p, d = _as_2d(input, "max_pool1d", kernel_size, stride, padding, dilation)
    out = max_pool2d(x, k, s, p, d, ceil_mode, return_indices)
    return tuple(t.squeeze(-2) for t in out) if return_indices else out.squeeze(-2)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """Mean over each window of the last dim of a (N, C, L) or (C, L) input."""
    x, k, s, p, _ = _as_2d(input, "avg_pool1d", kernel_size, stride, padding)
    return avg_pool2d(x, k, s, p, ceil_mode, count_include_pad).squeeze(-2)


class _Pool(Module):
    """A pooling layer: its options as attributes (stride defaults to kernel_size), printed as torch prints them."""
    _shown = ()

    def __init__(self, kernel_size, stride, padding, **options):
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, kernel_size if stride is None else stride, padding
        self.__dict__.update(options)

    def extra_repr(self):
        return ", ".join(f"{k}={getattr(self, k)}" for k in ("kernel_size", "stride", "padding") + self._shown)


class MaxPool2d(_Pool):
    """Max pooling layer (stride defaults to kernel_size)."""
    _shown = ("dilation", "ceil_mode")

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False):
        super().__init__(kernel_size, stride, padding, dilation=dilation, return_indices=return_indices,
                         ceil_mode=ceil_mode)

    def forward(self, input):
        return max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                          self.return_indices)


class AvgPool2d(_Pool):
    """Average pooling layer (stride defaults to kernel_size)."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
        super().__init__(kernel_size, stride, padding, ceil_mode=ceil_mode, count_include_pad=count_include_pad)

    def forward(self, input):
        return avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad)


class MaxPool1d(MaxPool2d):
    """1-d max pooling layer (stride defaults to kernel_size)."""

    def forward(self, input):
        return max_pool1d(input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                          self.return_indices)


class AvgPool1d(AvgPool2d):
    """1-d average pooling layer; torch keeps its options as 1-tuples."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
        super().__init__(ntuple(kernel_size, 1), ntuple(kernel_size if stride is None else stride, 1),
                         ntuple(padding, 1), ceil_mode, count_include_pad)

    def forward(self, input):
        return avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad)
