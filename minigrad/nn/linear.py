"""Fully connected layer: functional linear (addmm of the input and the transposed weight) and the Linear layer."""
import math

from .. import _checks
from ..ops.linalg import addmm
from . import init
from .module import Module


def linear(input, weight, bias=None):
    """y = x @ W^T + b over the last dim of x: torch's graph, AddmmBackward0(bias, x, TBackward0(W))."""
    _checks.tensor("linear", "input", 1, input), _checks.tensor("linear", "weight", 2, weight)
    x, w = input._data, weight._data  # the checks read the arrays: this runs for every layer of every step
    if x.ndim == 0 or w.ndim == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are {x.ndim}D and {w.ndim}D")
    if x.dtype != w.dtype:  # numpy would promote silently; torch refuses to mix
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {input.dtype.title} and "
                           f"{weight.dtype.title}")
    if bias is not None and bias._data.shape != w.shape[:1] and bias.dim() == 1:
        _checks.expand(bias.shape, (math.prod(x.shape[:-1]), w.shape[0]))
    if x.shape[-1] != w.shape[-1]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({math.prod(x.shape[:-1])}x{x.shape[-1]} "
                           f"and {w.shape[1]}x{w.shape[0]})")
    if x.ndim == 2:
        return addmm(bias, input, weight.t())
    out = addmm(bias, input.reshape(-1, w.shape[1]), weight.t())  # other ranks: rows of a matrix, as torch
    return out.reshape(x.shape[:-1] + w.shape[:1])


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
