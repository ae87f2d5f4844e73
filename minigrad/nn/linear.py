"""Linear layers: functional linear (one fused op) and the Linear and Identity modules."""
import math

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from . import init
from .module import Module
from .parameter import Parameter


def linear(input, weight, bias=None):
    """y = x @ W^T + b over the last dim of x, as one graph node."""
    x, w = input._data, weight._data
    if x.shape[-1] != w.shape[-1]:
        rows = math.prod(x.shape[:-1])
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{x.shape[-1]} and "
                           f"{w.shape[1]}x{w.shape[0]})")
    x2 = x.reshape(-1, w.shape[1])
    out = x2 @ w.T
    if bias is not None:
        out += bias._data
    out = out.reshape(x.shape[:-1] + (w.shape[0],))

    def backward(g):
        # d(x W^T + b) = (g W, g^T x, sum of g over rows)
        g2 = g.reshape(-1, w.shape[0])
        gx = (g2 @ w).reshape(x.shape) if input.requires_grad else None
        gw = g2.T @ x2 if weight.requires_grad else None
        return gx, gw, (g2.sum(0) if bias is not None else None)
    parents = (input, weight) if bias is None else (input, weight, bias)
    return Tensor._op(out, parents, backward, "AddmmBackward0" if bias is not None else "MmBackward0")


def _empty(shape, dtype):
    return np.empty(shape, (dtype or dtypes.get_default_dtype()).np)


class Linear(Module):
    """y = x W^T + b, with torch's default (kaiming-uniform) initialisation."""

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = Parameter(_empty((out_features, in_features), dtype))
        self.bias = Parameter(_empty((out_features,), dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        """torch's default init: kaiming_uniform_(a=sqrt(5)) weights, U(+-1/sqrt(fan_in)) bias."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        return linear(input, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Identity(Module):
    """Returns its input unchanged (accepts and ignores any arguments)."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input
