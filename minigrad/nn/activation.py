"""Activations: functional forms and modules (ReLU, Sigmoid, Tanh, Softmax, LogSoftmax)."""
import numpy as np

from ..tensor import Tensor
from .module import Module


def _implicit_dim(ndim):
    return 0 if ndim in (0, 1, 3) else 1  # torch's legacy choice when dim is not given


def relu(input, inplace=False):
    """max(x, 0)."""
    return input.relu()


def sigmoid(input):
    """1 / (1 + exp(-x))."""
    return input.sigmoid()


def tanh(input):
    """Hyperbolic tangent."""
    return input.tanh()


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """exp(x) / sum(exp(x)) along dim."""
    input = input if dtype is None else input.to(dtype)
    return input.softmax(_implicit_dim(input.dim()) if dim is None else dim)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log(softmax(x)) along dim, computed stably."""
    input = input if dtype is None else input.to(dtype)
    return input.log_softmax(_implicit_dim(input.dim()) if dim is None else dim)


def logsigmoid(input):
    """log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), stable for large |x|."""
    x = input._data
    # d logsigmoid = g * sigmoid(-x)
    return Tensor._op(np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x))), (input,),
                      lambda g: (g * np.exp(-np.logaddexp(0, x)).astype(x.dtype),), "LogSigmoidBackward0")


class ReLU(Module):
    """max(x, 0)."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return relu(input)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    """1 / (1 + exp(-x))."""

    def forward(self, input):
        return input.sigmoid()


class Tanh(Module):
    """Hyperbolic tangent."""

    def forward(self, input):
        return input.tanh()


class Softmax(Module):
    """Softmax along dim."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return softmax(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """Log-softmax along dim."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return log_softmax(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"
