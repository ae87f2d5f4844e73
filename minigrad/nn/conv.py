"""Convolution in 1, 2 or 3 spatial dims and its transpose: ONE N-d op (im2col + one matmul per group, recorded
as ConvolutionBackward0), the functional forms conv1d ... conv_transpose3d, and the Conv/ConvTranspose layers.

The transposed convolution is the adjoint of the convolution: where conv computes y = W cols(x), conv_transpose
computes y = col2im(W^T x), with the Window of the convolution that would map y's shape back to x's.
"""
import functools
import math
import warnings

import numpy as np

from ..tensor import Tensor
from . import init
from ._windows import Window, _layout, _tail, batched, fold, im2col, col2im, ntuple, unfold
from .module import Module, Parameter
from .padding import pad


def _geometry(x, w, stride, padding, dilation, groups, transposed, output_padding):
    """The convolution's Window (for conv_transpose: of the convolution it is the adjoint of), checked like torch."""
    args = [tuple(v) if isinstance(v, list) else v for v in (stride, padding, dilation, output_padding)]
    return _window(x.shape, w.shape, groups, transposed, *args)


@functools.lru_cache(maxsize=64)  # a training loop asks for the same few geometries at every step
def _window(x_shape, w_shape, groups, transposed, stride, padding, dilation, output_padding):
    """_geometry's work on shapes (hashable, so cached)."""
    nd = len(w_shape) - 2  # numbers stand for one per input dim (conv2d's 1 is (1, 1)); the weight must agree
    s, d, op = (ntuple(v, len(x_shape) - 2) for v in (stride, dilation, output_padding))
    for name, v in (("stride", s), ("dilation", d)) + ((("padding", padding),) if not isinstance(padding, str) else ()):
        if len(ntuple(v, len(x_shape) - 2)) != nd:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of {nd} values to match the "
                               f"convolution dimensions, but got {name}={list(ntuple(v, len(x_shape) - 2))}")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if min(s) <= 0:
        raise RuntimeError("non-positive stride is not supported")
    if min(d) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got {list(d)}")
    k, span = w_shape[2:], tuple(di * (ki - 1) for di, ki in zip(d, w_shape[2:]))
    if isinstance(padding, str):
        if transposed:
            raise TypeError(f"conv_transpose{nd}d(): argument 'padding' must be tuple of ints, not str")
        if padding not in ("same", "valid"):
            raise RuntimeError(f"Invalid padding string: {padding!r}")
        if padding == "same" and max(s) != 1:
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        if padding == "same" and any(t % 2 for t in span):
            warnings.warn("Using padding='same' with even kernel lengths and odd dilation may require a zero-padded "
                          "copy of the input be created", UserWarning, stacklevel=4)
        # 'same': span cells of padding in all, the odd one on the right
        p, extra = (tuple(t // 2 for t in span), tuple(t % 2 for t in span)) if padding == "same" else ((0,) * nd,) * 2
    else:
        p, extra = ntuple(padding, nd), (0,) * nd
    if min(p) < 0:
        raise RuntimeError("negative padding is not supported")
    c_in = x_shape[1]
    if transposed:
        if w_shape[0] % groups:
            raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
                               f"but got weight of size [{list(w_shape)}] instead")
        if any(o >= si and o >= di for o, si, di in zip(op, s, d)):
            raise RuntimeError(f"output padding must be smaller than either stride or dilation, but got output_padding="
                               f"{list(op)} stride={list(s)} dilation={list(d)}")
        size = tuple((i - 1) * si - 2 * pi + t + o + 1 for i, si, pi, t, o in zip(x_shape[2:], s, p, span, op))
        if min(size) < 1:
            raise RuntimeError(f"Given input size per channel: ({' x '.join(map(str, x_shape[2:]))}). Calculated "
                               f"output size per channel: ({' x '.join(map(str, size))}). Output size is too small")
        return Window(x_shape[0], w_shape[1] * groups, size, k, s, p, d, x_shape[2:], extra)
    padded = tuple(h + 2 * pi + e for h, pi, e in zip(x_shape[2:], p, extra))
    if any(h < t + 1 for h, t in zip(padded, span)):
        raise RuntimeError(f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel size: "
                           f"({' x '.join(str(t + 1) for t in span)}). Kernel size can't be greater than actual input "
                           "size")
    out = tuple((h - t - 1) // si + 1 for h, t, si in zip(padded, span, s))
    return Window(x_shape[0], c_in, x_shape[2:], k, s, p, d, out, extra)


def _rows(xp, t, groups, win):
    """(N, C, *spatial) -> (groups, C / groups, spatial*N): the layout of im2col's columns (or N*spatial)."""
    return xp.transpose(t, _layout(win, t.ndim - 2)).reshape(groups, t.shape[1] // groups, -1)


def _convolution(input, weight, bias, stride, padding, dilation, groups, transposed=False, output_padding=0):
    """Convolution of (N, C, *spatial) input with (O, C/groups, *k) weights, or its transpose with
    (C, O/groups, *k) weights: one recorded op whose backward is the other direction's forward."""
    x, w = input._data, weight._data
    win = _geometry(x, w, stride, padding, dilation, groups, transposed, output_padding)
    c_in, c_out, nd, g = x.shape[1], w.shape[1] * groups if transposed else w.shape[0], w.ndim - 2, groups
    if c_in != (w.shape[0] if transposed else w.shape[1] * g):
        raise RuntimeError(f"Given {'transposed=1' if transposed else f'groups={g}'}, weight of size {list(w.shape)}, "
                           f"expected input{list(x.shape)} to have {w.shape[0] if transposed else w.shape[1] * g} "
                           f"channels, but got {c_in} channels instead")
    if w.dtype != x.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype.title} but found {weight.dtype.title}")
    if bias is not None and bias._data.dtype != x.dtype:
        raise RuntimeError(f"Input type ({input.dtype.title.lower()}) and bias type ({bias.dtype.title.lower()}) "
                           "should be the same")
    if bias is not None and tuple(bias.shape) != (c_out,):
        raise RuntimeError(f"Given {'transposed=1, ' if transposed else ''}weight of size {list(w.shape)}, expected "
                           f"bias to be 1-dimensional with {c_out} elements, but got bias of size {list(bias.shape)} "
                           "instead")
    kept = None
    if not transposed and not input.requires_grad and win.out[-1] >= 16:
        # batch after the channels when no col2im is needed and output rows are long: the windows' copies still
        # run over whole rows, and moving y and its gradient to and from (N, O, *out) copies whole planes
        win = win._replace(first=True)
    if transposed:  # y = col2im(W^T x) + b
        cols = np.swapaxes(w.reshape(g, c_in // g, -1), 1, 2) @ _rows(np, x, g, win)
        y = np.ascontiguousarray(col2im(cols.reshape(-1, cols.shape[2]), win))
        if bias is not None:
            y += bias._data.reshape((-1,) + (1,) * nd)
    else:  # y = W im2col(x) + b, computed as (O, *out * N) and moved back to (N, O, *out)
        cols = im2col(x, win)
        kept = cols if weight.requires_grad else None  # first-order backward reuses the forward's columns
        y = (w.reshape(g, c_out // g, -1) @ cols.reshape(g, -1, cols.shape[1])).reshape(c_out, -1)
        if bias is not None:
            y += bias._data[:, None]
        y = np.ascontiguousarray(y.reshape((c_out,) + _tail(win, win.out)).transpose(_layout(win, nd, True)))
    w_shape, x_shape = w.shape, x.shape

    def rule(xp, g_, x, w):
        # conv: y = W cols(x)     => dW = g cols(x)^T, dx = col2im(W^T g)
        # transpose: y = col2im(W^T x) => dW = x cols(g)^T, dx = W cols(g)
        gx = gw = None
        if transposed:
            if x is not None or w is not None:
                gc = unfold(xp, g_, win).reshape(g, c_out // g * math.prod(win.k), -1)
            if w is not None:
                gx = xp.transpose((w.reshape(g, c_in // g, -1) @ gc).reshape((c_in,) + x_shape[2:] + x_shape[:1]),
                                  (nd + 1,) + tuple(range(nd + 1)))
            if x is not None:
                gw = (_rows(xp, x, g, win) @ xp.swapaxes(gc, 1, 2)).reshape(w_shape)
            gb = xp.sum(g_, (0,) + tuple(range(2, nd + 2))) if bias is not None else None
        else:
            g3 = _rows(xp, g_, g, win)
            if x is not None:
                c = unfold(xp, x, win) if xp.graph else kept
                # (cols g^T)^T: BLAS runs the long inner dim faster with the columns as the left factor
                gw = xp.swapaxes(c.reshape(g, -1, c.shape[1]) @ xp.swapaxes(g3, 1, 2), 1, 2).reshape(w_shape)
            if w is not None:
                gx = fold(xp, (xp.swapaxes(w.reshape(g, c_out // g, -1), 1, 2) @ g3).reshape(-1, g3.shape[2]), win)
            gb = xp.sum(g3, 2).reshape(-1) if bias is not None else None  # g3's rows are contiguous: a fast sum
        return gx, gw, gb
    saved = (input if weight.requires_grad else None, weight if input.requires_grad else None)
    parents = (input, weight) if bias is None else (input, weight, bias)
    return Tensor._op(y, parents, rule, "ConvolutionBackward0", saved)


@functools.partial(batched, nd=1)
def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D cross-correlation of a (N, C, L) or (C, L) input with (O, C/groups, k) weights."""
    return _convolution(input, weight, bias, stride, padding, dilation, groups)


@functools.partial(batched, nd=2)
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation of a (N, C, H, W) or (C, H, W) input with (O, C/groups, kh, kw) weights."""
    return _convolution(input, weight, bias, stride, padding, dilation, groups)


@functools.partial(batched, nd=3)
def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """3-D cross-correlation of a (N, C, D, H, W) or (C, D, H, W) input with (O, C/groups, kd, kh, kw) weights."""
    return _convolution(input, weight, bias, stride, padding, dilation, groups)


@functools.partial(batched, nd=1)
def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """1-D transposed convolution (the adjoint of conv1d) with (C, O/groups, k) weights."""
    return _convolution(input, weight, bias, stride, padding, dilation, groups, True, output_padding)


@functools.partial(batched, nd=2)
def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """2-D transposed convolution (the adjoint of conv2d) with (C, O/groups, kh, kw) weights."""
    return _convolution(input, weight, bias, stride, padding, dilation, groups, True, output_padding)


@functools.partial(batched, nd=3)
def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """3-D transposed convolution (the adjoint of conv3d) with (C, O/groups, kd, kh, kw) weights."""
    return _convolution(input, weight, bias, stride, padding, dilation, groups, True, output_padding)


class _ConvNd(Module):
    """A convolution layer with torch's arguments, checks, defaults, initialisation and repr; a subclass names its
    number of spatial dims (_nd) and functional form (_fn)."""
    _transposed = False

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None, output_padding=0):
        super().__init__()
        nd = self._nd
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        for name, n in (("in_channels", in_channels), ("out_channels", out_channels)):
            if n % groups:
                raise ValueError(f"{name} must be divisible by groups")
        self.kernel_size, self.stride, self.dilation = ntuple(kernel_size, nd), ntuple(stride, nd), ntuple(dilation, nd)
        if isinstance(padding, str):
            if padding not in {"same", "valid"}:
                raise ValueError(f"Invalid padding string {padding!r}, should be one of {set(('same', 'valid'))}")
            if padding == "same" and max(self.stride) != 1:
                raise ValueError("padding='same' is not supported for strided convolutions")
        modes = {"zeros", "reflect", "replicate", "circular"}
        if padding_mode not in modes:
            raise ValueError(f"padding_mode must be one of {modes}, but got padding_mode={padding_mode!r}")
        if self._transposed and padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {type(self).__name__}')
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.padding_mode, self.output_padding = padding_mode, ntuple(output_padding, nd)
        self.padding = padding if isinstance(padding, str) else ntuple(padding, nd)
        # F.pad's (left, right) pairs, last dim first, for the padding modes other than zeros
        span = [di * (k - 1) for di, k in zip(self.dilation, self.kernel_size)]
        lr = ([(t // 2, t - t // 2) for t in span] if padding == "same" else [(0, 0)] * nd if padding == "valid"
              else [(p, p) for p in self.padding])
        self._reversed_padding_repeated_twice = tuple(v for lr_ in reversed(lr) for v in lr_)
        shape = (in_channels, out_channels // groups) if self._transposed else (out_channels, in_channels // groups)
        init._layer_parameters(self, shape + self.kernel_size, bias and not self._transposed, dtype, device)
        if bias and self._transposed:  # one bias per output channel, bound 1/sqrt(fan_in) as for the others
            fan_in = init._calculate_fan_in_and_fan_out(self.weight)[0]
            self.bias = Parameter(init._empty((out_channels,), dtype, device))
            init.uniform_(self.bias, -1 / math.sqrt(fan_in) if fan_in else 0, 1 / math.sqrt(fan_in) if fan_in else 0)

    def forward(self, input):
        if self.padding_mode != "zeros":
            input = pad(input, self._reversed_padding_repeated_twice, self.padding_mode)
        return self._fn(input, self.weight, self.bias, self.stride, self.padding if self.padding_mode == "zeros" else 0,
                        self.dilation, self.groups)

    def extra_repr(self):
        nd = self._nd
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
                + (f", padding={self.padding}" if self.padding != (0,) * nd else "")
                + (f", dilation={self.dilation}" if self.dilation != (1,) * nd else "")
                + (f", output_padding={self.output_padding}" if self.output_padding != (0,) * nd else "")
                + (f", groups={self.groups}" if self.groups != 1 else "")
                + (", bias=False" if self.bias is None else "")
                + (f", padding_mode={self.padding_mode}" if self.padding_mode != "zeros" else ""))


class _ConvTransposeNd(_ConvNd):
    """A transposed convolution layer (torch's argument order: output_padding and groups before dilation)."""
    _transposed = True

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                 bias=True, dilation=1, padding_mode="zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode,
                         device, dtype, output_padding)

    def forward(self, input, output_size=None):
        output_padding = self._output_padding(input, output_size)
        return self._fn(input, self.weight, self.bias, self.stride, self.padding, output_padding, self.groups,
                        self.dilation)

    def _output_padding(self, input, output_size):
        """output_padding, or the one that gives output_size (one of the `stride` sizes that map back to input's)."""
        if output_size is None:
            return self.output_padding
        nd, lead = self._nd, 2 if input.dim() == self._nd + 2 else 1
        size = list(output_size)[lead:] if len(output_size) == lead + nd else list(output_size)
        if len(size) != nd:
            raise ValueError(f"ConvTranspose{nd}D: for {input.dim()}D input, output_size must have {nd} or {lead + nd} "
                             f"elements (got {len(output_size)})")
        lo = [(n - 1) * s - 2 * p + d * (k - 1) + 1 for n, s, p, d, k in
              zip(input.shape[lead:], self.stride, self.padding, self.dilation, self.kernel_size)]
        hi = [m + s - 1 for m, s in zip(lo, self.stride)]
        if any(not a <= n <= b for n, a, b in zip(size, lo, hi)):
            raise ValueError(f"requested an output size of {output_size}, but valid sizes range from {lo} to {hi} (for "
                             f"an input of {input.shape[lead:]})")
        return tuple(n - m for n, m in zip(size, lo))


class Conv1d(_ConvNd):
    """1-D convolution layer over (N, C, L) inputs."""
    _nd, _fn = 1, staticmethod(conv1d)


class Conv2d(_ConvNd):
    """2-D convolution layer over (N, C, H, W) inputs."""
    _nd, _fn = 2, staticmethod(conv2d)


class Conv3d(_ConvNd):
    """3-D convolution layer over (N, C, D, H, W) inputs."""
    _nd, _fn = 3, staticmethod(conv3d)


class ConvTranspose1d(_ConvTransposeNd):
    """1-D transposed convolution layer (the adjoint of Conv1d)."""
    _nd, _fn = 1, staticmethod(conv_transpose1d)


class ConvTranspose2d(_ConvTransposeNd):
    """2-D transposed convolution layer (the adjoint of Conv2d)."""
    _nd, _fn = 2, staticmethod(conv_transpose2d)


class ConvTranspose3d(_ConvTransposeNd):
    """3-D transposed convolution layer (the adjoint of Conv3d)."""
    _nd, _fn = 3, staticmethod(conv_transpose3d)
