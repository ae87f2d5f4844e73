"""2-D convolution: functional conv2d (im2col by stride tricks + one matmul) and the Conv2d module.

Forward gathers every kernel window of the padded input into one matrix (C*kh*kw, N*OH*OW) with one strided
slice copy per kernel position (im2col) and multiplies the flattened weight by it. Backward reuses that
matrix: grad_weight is one matmul, and grad_input scatters the column gradients back with one strided
slice-add per kernel position (col2im).
"""
import math

import numpy as np

from ..tensor import Tensor
from . import init
from .linear import _empty
from .module import Module
from .parameter import Parameter


def _pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def _windows(xp, k, s, d, out):
    """A read-only (N, C, OH, OW, kh, kw) view of the kernel windows of xp; copies nothing."""
    sn, sc, sh, sw = xp.strides
    return np.lib.stride_tricks.as_strided(
        xp, xp.shape[:2] + tuple(out) + tuple(k), (sn, sc, sh * s[0], sw * s[1], sh * d[0], sw * d[1]),
        writeable=False)


def _span(i, k, s, d, out):
    """The input positions kernel offset i touches across all `out` output positions."""
    return slice(i * d, i * d + s * (out - 1) + 1, s)


def _col2im(gwin, shape, k, s, d, out):
    """Sum window gradients (N, C, OH, OW, kh, kw) onto an array of the padded input's shape."""
    gx = np.zeros(shape, gwin.dtype)
    for i, j in np.ndindex(*k):
        gx[:, :, _span(i, k[0], s[0], d[0], out[0]), _span(j, k[1], s[1], d[1], out[1])] += gwin[:, :, :, :, i, j]
    return gx


def _out_size(size, pad, k, s, d):
    return (size + pad - d * (k - 1) - 1) // s + 1


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation of a (N, C, H, W) or (C, H, W) input with (O, C, kh, kw) weights."""
    if groups != 1:
        raise NotImplementedError(f"minigrad's conv2d supports groups=1 only, got groups={groups}")
    if input.dim() not in (3, 4):
        raise RuntimeError("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: "
                           f"{list(input.shape)}")
    if input.dim() == 3:
        return conv2d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0)
    x, w = input._data, weight._data
    (n, c, h, wd), (o, _, kh, kw) = x.shape, w.shape
    if c != w.shape[1]:
        raise RuntimeError(f"Given groups=1, weight of size {list(w.shape)}, expected input{list(x.shape)} to have "
                           f"{w.shape[1]} channels, but got {c} channels instead")
    k, s, d = (kh, kw), _pair(stride), _pair(dilation)
    if padding == "valid":
        pads = ((0, 0), (0, 0))
    elif padding == "same":
        if s != (1, 1):
            raise ValueError("padding='same' is not supported for strided convolutions")
        tot = [d[i] * (k[i] - 1) for i in range(2)]
        pads = tuple((t // 2, t - t // 2) for t in tot)
    else:
        pads = tuple((p, p) for p in _pair(padding))
    ph, pw = h + sum(pads[0]), wd + sum(pads[1])
    if ph < d[0] * (kh - 1) + 1 or pw < d[1] * (kw - 1) + 1:
        raise RuntimeError(f"Calculated padded input size per channel: ({ph} x {pw}). Kernel size: "
                           f"({d[0] * (kh - 1) + 1} x {d[1] * (kw - 1) + 1}). Kernel size can't be greater than "
                           "actual input size")
    xp = np.pad(x, ((0, 0), (0, 0)) + pads) if any(map(any, pads)) else x
    out = (_out_size(ph, 0, kh, s[0], d[0]), _out_size(pw, 0, kw, s[1], d[1]))
    # im2col in (C, kh, kw) x (N, OH, OW) layout: one strided slice copy per kernel position keeps the
    # innermost copy loop running along a whole output row, which is much faster than a 6-d view copy
    cols = np.empty((c, kh, kw, n) + out, x.dtype)
    xt = xp.transpose(1, 0, 2, 3)
    for i, j in np.ndindex(kh, kw):
        cols[:, i, j] = xt[:, :, _span(i, k[0], s[0], d[0], out[0]), _span(j, k[1], s[1], d[1], out[1])]
    cols = cols.reshape(c * kh * kw, -1)
    w2 = w.reshape(o, -1)
    y = w2 @ cols
    if bias is not None:
        y += bias._data[:, None]
    y = np.ascontiguousarray(y.reshape(o, n, out[0], out[1]).transpose(1, 0, 2, 3))

    def backward(g):
        # y = W cols + b  =>  dW = g cols^T, db = sum(g), d cols = W^T g, scattered back by col2im
        g2 = g.transpose(1, 0, 2, 3).reshape(o, -1)
        gw = (g2 @ cols.T).reshape(w.shape) if weight.requires_grad else None
        gx = None
        if input.requires_grad:
            gcols = (w2.T @ g2).reshape(c, kh, kw, n, out[0], out[1])
            gxp = np.zeros((c, n) + xp.shape[2:], g.dtype)
            for i, j in np.ndindex(kh, kw):
                gxp[:, :, _span(i, k[0], s[0], d[0], out[0]), _span(j, k[1], s[1], d[1], out[1])] += gcols[:, i, j]
            gx = gxp.transpose(1, 0, 2, 3)[:, :, pads[0][0]:pads[0][0] + h, pads[1][0]:pads[1][0] + wd]
        return gx, gw, (g2.sum(1) if bias is not None else None)
    parents = (input, weight) if bias is None else (input, weight, bias)
    return Tensor._op(y, parents, backward, "ConvolutionBackward0")


class Conv2d(Module):
    """2-D convolution layer with torch's arguments, defaults and initialisation (groups=1)."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        if groups != 1:
            raise NotImplementedError(f"minigrad's Conv2d supports groups=1 only, got groups={groups}")
        if padding_mode != "zeros":
            raise NotImplementedError(f"minigrad's Conv2d supports padding_mode='zeros' only, got '{padding_mode}'")
        if isinstance(padding, str) and padding not in ("same", "valid"):
            raise ValueError(f"Invalid padding string '{padding}', should be one of ['valid', 'same']")
        self.in_channels, self.out_channels, self.groups, self.padding_mode = in_channels, out_channels, 1, "zeros"
        self.kernel_size, self.stride, self.dilation = _pair(kernel_size), _pair(stride), _pair(dilation)
        self.padding = padding if isinstance(padding, str) else _pair(padding)
        self.weight = Parameter(_empty((out_channels, in_channels) + self.kernel_size, dtype))
        self.bias = Parameter(_empty((out_channels,), dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        """torch's default init: kaiming_uniform_(a=sqrt(5)) weights, U(+-1/sqrt(fan_in)) bias."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        return conv2d(input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)

    def extra_repr(self):
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0, 0):
            s += f", padding={self.padding}"
        if self.dilation != (1, 1):
            s += f", dilation={self.dilation}"
        if self.bias is None:
            s += ", bias=False"
        return s
