"""Layers: Linear, Conv2d, pooling, activations, Dropout, Flatten and Identity, each wrapping its functional form."""
import math

import numpy as np

from .. import dtypes
from . import functional as F
from . import init
from .conv import _pair
from .module import Module, Parameter


def _empty(shape, dtype):
    return Parameter(np.empty(shape, (dtype or dtypes.get_default_dtype()).np))


def _reset_parameters(self):
    """torch's default init: kaiming_uniform_(a=sqrt(5)) weights, U(+-1/sqrt(fan_in)) bias."""
    init.kaiming_uniform_(self.weight, a=math.sqrt(5))
    if self.bias is not None:
        fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
        init.uniform_(self.bias, -bound, bound)


class Linear(Module):
    """y = x W^T + b, with torch's default (kaiming-uniform) initialisation."""

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = _empty((out_features, in_features), dtype)
        self.bias = _empty((out_features,), dtype) if bias else None
        self.reset_parameters()

    reset_parameters = _reset_parameters

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


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
        self.weight = _empty((out_channels, in_channels) + self.kernel_size, dtype)
        self.bias = _empty((out_channels,), dtype) if bias else None
        self.reset_parameters()

    reset_parameters = _reset_parameters

    def forward(self, input):
        return F.conv2d(input, self.weight, self.bias, self.stride, self.padding, self.dilation)

    def extra_repr(self):
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
                + (f", padding={self.padding}" if self.padding != (0, 0) else "")
                + (f", dilation={self.dilation}" if self.dilation != (1, 1) else "")
                + (", bias=False" if self.bias is None else ""))


class _Options(Module):
    """A layer without parameters; its constructor options become attributes, printed as torch prints them."""

    def __init__(self, **options):
        super().__init__()
        self.__dict__.update(options)
        self._shown = list(options)

    def extra_repr(self):
        return ", ".join(f"{k}={getattr(self, k)}" for k in self._shown)


class MaxPool2d(_Options):
    """Max pooling layer (stride defaults to kernel_size)."""

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
        super().__init__(kernel_size=kernel_size, stride=kernel_size if stride is None else stride, padding=padding,
                         dilation=dilation, ceil_mode=ceil_mode)

    def forward(self, input):
        return F.max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode)


class AvgPool2d(_Options):
    """Average pooling layer (stride defaults to kernel_size)."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
        super().__init__(kernel_size=kernel_size, stride=kernel_size if stride is None else stride, padding=padding)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad  # not in torch's printout

    def forward(self, input):
        return F.avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad)


class ReLU(_Options):
    """max(x, 0)."""

    def __init__(self, inplace=False):
        super().__init__(**({"inplace": True} if inplace else {}))  # torch prints only inplace=True
        self.inplace = inplace

    def forward(self, input):
        return input.relu()


class Sigmoid(Module):
    """1 / (1 + exp(-x))."""

    def forward(self, input):
        return input.sigmoid()


class Tanh(Module):
    """Hyperbolic tangent."""

    def forward(self, input):
        return input.tanh()


class Softmax(_Options):
    """Softmax along dim."""

    def __init__(self, dim=None):
        super().__init__(dim=dim)

    def forward(self, input):
        return F.softmax(input, self.dim)


class LogSoftmax(_Options):
    """Log-softmax along dim."""

    def __init__(self, dim=None):
        super().__init__(dim=dim)

    def forward(self, input):
        return F.log_softmax(input, self.dim)


class Dropout(_Options):
    """Randomly zeroes elements with probability p in training mode; identity in eval mode."""

    def __init__(self, p=0.5, inplace=False):
        F._check_dropout(p)
        super().__init__(p=p, inplace=inplace)

    def forward(self, input):
        return F.dropout(input, self.p, self.training, self.inplace)


class Flatten(_Options):
    """Flatten dims start_dim..end_dim (default: all but the batch dim)."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__(start_dim=start_dim, end_dim=end_dim)

    def forward(self, input):
        return input.flatten(self.start_dim, self.end_dim)


class Identity(Module):
    """Returns its input unchanged (accepts and ignores any arguments)."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input
