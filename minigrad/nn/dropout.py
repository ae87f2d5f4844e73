"""Dropout: zero elements with probability p while training, scaling the rest by 1/(1-p)."""
from ..random import _gen
from ..tensor import Tensor
from .module import Module


def _check(p):
    if p < 0 or p > 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout(input, p=0.5, training=True, inplace=False):
    """Identity when not training; else zero each element with probability p and scale by 1/(1-p)."""
    _check(p)
    if not training or p == 0:
        return input
    if p == 1:
        return input * 0
    keep = _gen(None).random(input.shape) >= p
    return input * Tensor((keep / (1 - p)).astype(input._data.dtype))


class Dropout(Module):
    """Randomly zeroes elements with probability p in training mode; identity in eval mode."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        _check(p)
        self.p, self.inplace = p, inplace

    def forward(self, input):
        return dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"
