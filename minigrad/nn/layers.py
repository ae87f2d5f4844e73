"""Parameter-free layers: activations, Dropout, Flatten and Identity, each wrapping its functional form."""
from . import functional as F
from .activation import _AlongDim, _Inplace
from .dropout import _DropoutNd
from .module import Module, _Options


class ReLU(_Inplace):
    """max(x, 0)."""

    def forward(self, input):
        return F.relu(input, self.inplace)


class Sigmoid(_Options):
    """1 / (1 + exp(-x))."""
    function = staticmethod(F.sigmoid)


class Tanh(_Options):
    """Hyperbolic tangent."""
    function = staticmethod(F.tanh)


class Softmax(_AlongDim):
    """Softmax along dim."""
    function = staticmethod(F.softmax)


class LogSoftmax(_AlongDim):
    """Log-softmax along dim."""
    function = staticmethod(F.log_softmax)


class Dropout(_DropoutNd):
    """Randomly zeroes elements with probability p in training mode; identity in eval mode."""
    function = staticmethod(F.dropout)


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
