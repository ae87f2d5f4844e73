"""Fully connected layer: functional linear (addmm of the input and the transposed weight) and the Linear layer."""
import math

from .. import _checks
from ..ops.linalg import addmm
from . import init
from .module import Module


def linear(input, weight, bias=None):
    """y = x @ W^T + b over the last dim of x: torch's graph, AddmmBackward0(bias, x, TBackward0(W))."""
    _checks.tensor("linear", "input", 1, input), _checks.tensor("linear", "weight", 2, weight)
    if input.dim() == 0 or weight.dim() == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are {input.dim()}D and "
                           f"{weight.dim()}D")
    if input.dtype != weight.dtype:  # numpy would promote silently; torch refuses to mix
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {input.dtype.title} and "
                           f"{weight.dtype.title}")
    if bias is not None and bias.dim() == 1:
        _checks.expand(bias.shape, (math.prod(input.shape[:-1]), weight.shape[0]))
    if input.shape[-1] != weight.shape[-1]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({math.prod(input.shape[:-1])}x"
                           f"{input.shape[-1]} and {weight.shape[1]}x{weight.shape[0]})")
    if input.dim() == 2:
        return addmm(bias, input, weight.t())
    out = addmm(bias, input.reshape(-1, weight.shape[1]), weight.t())  # other ranks: rows of a matrix, as torch
    return out.reshape(tuple(input.shape[:-1]) + (weight.shape[0],))


class Linear(Module):
    """y = x W^T + b, with torch's default (kaiming-uniform) initialisation."""

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        init._layer_parameters(self, (out_features, in_features), bias, dtype, device)

    def forward(self, input):
        return linear(input, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
