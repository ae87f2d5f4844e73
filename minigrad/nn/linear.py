"""Fully connected layer: functional linear (forward and backward) and the Linear layer."""
import math

from ..tensor import Tensor
from . import init
from .module import Module


def linear(input, weight, bias=None):
    """y = x @ W^T + b over the last dim of x, as one graph node."""
    x, w = input._data, weight._data
    if x.shape[-1] != w.shape[-1]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({math.prod(x.shape[:-1])}x{x.shape[-1]} and "
                           f"{w.shape[1]}x{w.shape[0]})")
    x2 = x.reshape(-1, w.shape[1])
    out = x2 @ w.T
    if bias is not None:
        out += bias._data

    def backward(g):
        # d(x W^T + b) = (g W, g^T x, sum of g over rows)
        g2 = g.reshape(-1, w.shape[0])
        gx = (g2 @ w).reshape(x.shape) if input.requires_grad else None
        gw = g2.T @ x2 if weight.requires_grad else None
        return gx, gw, (g2.sum(0) if bias is not None else None)
    return Tensor._op(out.reshape(x.shape[:-1] + (w.shape[0],)), (input, weight) if bias is None else
                      (input, weight, bias), backward, "AddmmBackward0" if bias is not None else "MmBackward0")


class Linear(Module):
    """y = x W^T + b, with torch's default (kaiming-uniform) initialisation."""

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        init._layer_parameters(self, (out_features, in_features), bias, dtype)

    def forward(self, input):
        return linear(input, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
