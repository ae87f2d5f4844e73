"""2-D convolution: functional conv2d (forward and backward) and the Conv2d layer.

Python loops run over kernel offsets only. For each offset (i, j), one strided slice of the padded input holds what
that offset meets at every output position (_windows). conv2d copies those slices into one (C*kh*kw, OH*OW*N)
matrix (im2col) and does a single BLAS matmul; backward adds each offset's gradient back through the same slices
(col2im). pooling.py reuses the windows.
"""
import functools

import numpy as np

from ..tensor import Tensor
from . import init
from .module import Module


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
    spans = [idx[1:] for idx in _windows((kh, kw), s, d, out)]  # (rows, cols) each offset meets
    # batch innermost, (C, H, W, N): every slice copy below, and col2im's slice add, runs over whole rows of OW*N
    xt = np.ascontiguousarray(_pad(x, p).transpose(1, 2, 3, 0))
    cols = np.empty((c, kh * kw) + out + (n,), x.dtype)
    for q, (rows, cs) in enumerate(spans):
        cols[:, q] = xt[:, rows, cs]
    cols = cols.reshape(c * kh * kw, -1)
    w2 = w.reshape(o, -1)
    y = w2 @ cols
    if bias is not None:
        y += bias._data[:, None]
    y = np.ascontiguousarray(y.reshape(o, *out, n).transpose(3, 0, 1, 2))

    def backward(g):
        # y = W cols + b  =>  dW = g cols^T, db = sum(g), d cols = W^T g, added back through the windows
        g2 = np.ascontiguousarray(g.transpose(1, 2, 3, 0)).reshape(o, -1)
        gw = (g2 @ cols.T).reshape(w.shape) if weight.requires_grad else None
        gx = None
        if input.requires_grad:
            gcols, gxt = (w2.T @ g2).reshape(c, kh * kw, *out, n), np.zeros(xt.shape, g.dtype)
            for q, (rows, cs) in enumerate(spans):
                gxt[:, rows, cs] += gcols[:, q]
            gx = gxt[:, p[0]:p[0] + h, p[1]:p[1] + wd].transpose(3, 0, 1, 2)
        return gx, gw, (g2.sum(1) if bias is not None else None)
    return Tensor._op(y, (input, weight) if bias is None else (input, weight, bias), backward, "ConvolutionBackward0")


class Conv2d(Module):
    """2-D convolution layer with torch's arguments, defaults and initialisation (groups=1)."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        if groups != 1 or padding_mode != "zeros" or isinstance(padding, str):
            raise NotImplementedError("minigrad's Conv2d supports groups=1, padding_mode='zeros' and numeric padding "
                                      f"only, got groups={groups}, padding_mode={padding_mode!r}, padding={padding!r}")
        self.in_channels, self.out_channels, self.groups, self.padding_mode = in_channels, out_channels, 1, "zeros"
        self.kernel_size, self.stride = _pair(kernel_size), _pair(stride)
        self.padding, self.dilation = _pair(padding), _pair(dilation)
        init._layer_parameters(self, (out_channels, in_channels) + self.kernel_size, bias, dtype)

    def forward(self, input):
        return conv2d(input, self.weight, self.bias, self.stride, self.padding, self.dilation)

    def extra_repr(self):
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
                + (f", padding={self.padding}" if self.padding != (0, 0) else "")
                + (f", dilation={self.dilation}" if self.dilation != (1, 1) else "")
                + (", bias=False" if self.bias is None else ""))
