"""Channel-wise dropout (dropout1d/2d/3d and their modules) on one shared masked-dropout helper."""
import warnings

import numpy as np

from ..random import _gen
from ..tensor import Tensor
from .module import Module


def _dropout(input, p, training, inplace, noise_shape):
    """input * mask / (1 - p), one Bernoulli(1 - p) draw per element of noise_shape (broadcast over the rest)."""
    if p < 0 or p > 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return input
    keep = (_gen(None).random(noise_shape) >= p) / (1 - p) if p < 1 else np.zeros(noise_shape)
    out = input * Tensor(keep.astype(input.dtype.np))
    return input.copy_(out) if inplace else out


def _feature_dropout(input, p, training, inplace, batched=True):
    """Zero whole channels: one draw per (sample, channel) of an (N, C, *) input, or per channel of (C, *)."""
    lead = 2 if batched else 1
    return _dropout(input, p, training, inplace, tuple(input.shape[:lead]) + (1,) * (input.dim() - lead))


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero entire channels of an (N, C, L) or (C, L) input with probability p; scale the rest by 1/(1-p)."""
    if input.dim() not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {input.dim()}D input. Note that "
                           "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a "
                           "channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    return _feature_dropout(input, p, training, inplace, input.dim() == 3)


def _dropout_nd(input, p, training, inplace, n):
    """dropout2d / dropout3d, with torch's warning for ranks other than (N, C, *spatial) and (C, *spatial)."""
    d = input.dim()
    if d not in (n + 1, n + 2):
        warnings.warn(f"dropout{n}d: Received a {d}-D input to dropout{n}d, which is deprecated and will result in an "
                      f"error in a future release. To retain the behavior and silence this warning, please use "
                      f"dropout instead. Note that dropout{n}d exists to provide channel-wise dropout on inputs with "
                      f"{n} spatial dimensions, a channel dimension, and an optional batch dimension (i.e. "
                      f"{n + 1}D or {n + 2}D inputs).", UserWarning, stacklevel=3)
    if d < 2 and training:  # torch refuses after the warning; in eval mode dropout is the identity anyway
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    return _feature_dropout(input, p, training, inplace, not (n == 3 and d == 4))  # 3d also takes (C, D, H, W)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero entire channels of an (N, C, H, W) input with probability p; scale the rest by 1/(1-p)."""
    if input.dim() == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout "
                      "behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. "
                      "This behavior will change in a future release to interpret the input as one without a batch "
                      "dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please "
                      "switch to using dropout1d instead.", UserWarning, stacklevel=2)
    return _dropout_nd(input, p, training, inplace, 2)


def dropout3d(input, p=0.5, training=True, inplace=False):
    """Zero entire channels of an (N, C, D, H, W) input with probability p; scale the rest by 1/(1-p)."""
    return _dropout_nd(input, p, training, inplace, 3)


class _DropoutNd(Module):
    """A dropout module: function(input, p, training, inplace), active in training mode only."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace

    def forward(self, input):
        return self.function(input, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(_DropoutNd):
    """Zero whole channels of (N, C, L) inputs with probability p while training."""
    function = staticmethod(dropout1d)


class Dropout2d(_DropoutNd):
    """Zero whole channels of (N, C, H, W) inputs with probability p while training."""
    function = staticmethod(dropout2d)


class Dropout3d(_DropoutNd):
    """Zero whole channels of (N, C, D, H, W) inputs with probability p while training."""
    function = staticmethod(dropout3d)
