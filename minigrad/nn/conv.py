"""2-D convolution: functional conv2d (forward and backward, as im2col + one matmul) and the Conv2d layer."""
import numpy as np

from ..tensor import Tensor
from . import init
from ._windows import Window, batched, fold, im2col, pair, unfold
from .module import Module


@batched
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation of a (N, C, H, W) or (C, H, W) input with (O, C, kh, kw) weights."""
    if groups != 1:
        raise NotImplementedError(f"minigrad's conv2d supports groups=1 only, got groups={groups}")
    x, w = input._data, weight._data
    (n, c, h, wd), (o, _, kh, kw) = x.shape, w.shape
    if c != w.shape[1]:
        raise RuntimeError(f"Given groups=1, weight of size {list(w.shape)}, expected input{list(x.shape)} to have "
                           f"{w.shape[1]} channels, but got {c} channels instead")
    s, p, d = pair(stride), pair(padding), pair(dilation)
    ph, pw, eh, ew = h + 2 * p[0], wd + 2 * p[1], d[0] * (kh - 1) + 1, d[1] * (kw - 1) + 1
    if ph < eh or pw < ew:
        raise RuntimeError(f"Calculated padded input size per channel: ({ph} x {pw}). Kernel size: ({eh} x {ew}). "
                           "Kernel size can't be greater than actual input size")
    win = Window(n, c, h, wd, (kh, kw), s, p, d, ((ph - eh) // s[0] + 1, (pw - ew) // s[1] + 1), (0, 0))
    cols = im2col(x, win)
    y = w.reshape(o, -1) @ cols
    if bias is not None:
        y += bias._data[:, None]
    y = np.ascontiguousarray(y.reshape(o, *win.out, n).transpose(3, 0, 1, 2))
    kept = cols if weight.requires_grad else None  # first-order backward reuses the forward's columns

    def rule(xp, g, x, w):
        # y = W cols(x) + b  =>  dW = g cols^T, dx = col2im(W^T g), db = sum of g
        g2 = xp.transpose(g, (1, 2, 3, 0)).reshape(o, -1)
        gx = gw = None
        if x is not None:
            c2 = unfold(xp, x, win) if xp.graph else kept
            gw = (g2 @ xp.swapaxes(c2, 0, 1)).reshape(w_shape)
        if w is not None:
            gx = fold(xp, xp.swapaxes(w.reshape(o, -1), 0, 1) @ g2, win)
        return gx, gw, (xp.sum(g2, 1) if bias is not None else None)
    w_shape = w.shape
    saved = (input if weight.requires_grad else None, weight if input.requires_grad else None)
    parents = (input, weight) if bias is None else (input, weight, bias)
    return Tensor._op(y, parents, rule, "ConvolutionBackward0", saved)


class Conv2d(Module):
    """2-D convolution layer with torch's arguments, defaults and initialisation (groups=1)."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        if groups != 1 or padding_mode != "zeros" or isinstance(padding, str):
            raise NotImplementedError("minigrad's Conv2d supports groups=1, padding_mode='zeros' and numeric padding "
                                      f"only, got groups={groups}, padding_mode={padding_mode!r}, padding={padding!r}")
        self.in_channels, self.out_channels, self.groups, self.padding_mode = in_channels, out_channels, 1, "zeros"
        self.kernel_size, self.stride = pair(kernel_size), pair(stride)
        self.padding, self.dilation = pair(padding), pair(dilation)
        init._layer_parameters(self, (out_channels, in_channels) + self.kernel_size, bias, dtype)

    def forward(self, input):
        return conv2d(input, self.weight, self.bias, self.stride, self.padding, self.dilation)

    def extra_repr(self):
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
                + (f", padding={self.padding}" if self.padding != (0, 0) else "")
                + (f", dilation={self.dilation}" if self.dilation != (1, 1) else "")
                + (", bias=False" if self.bias is None else ""))
