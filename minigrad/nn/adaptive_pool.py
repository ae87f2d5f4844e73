"""Adaptive average pooling: the mean over windows sized so the output has a given size, as two small matmuls."""
import numpy as np

from ..tensor import Tensor
from .module import _Options


def _averaging(n_in, n_out, dtype):
    """The (n_out, n_in) matrix whose row i averages torch's window i: [floor(i n_in/n_out), ceil((i+1) n_in/n_out))."""
    m = np.zeros((n_out, n_in), dtype)
    for i in range(n_out):
        lo, hi = (i * n_in) // n_out, -(-(i + 1) * n_in // n_out)
        m[i, lo:hi] = 1.0 / (hi - lo)
    return m


def adaptive_avg_pool2d(input, output_size):
    """Average-pool an (N, C, H, W) or (C, H, W) input to output_size (int, or pair with None = keep that size)."""
    if input.dim() not in (3, 4):
        raise RuntimeError(f"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {list(input.shape)}")
    size = (output_size, output_size) if isinstance(output_size, int) else tuple(output_size)
    if len(size) != 2:
        raise RuntimeError("adaptive_avg_pool2d: output_size must be 2")
    h, w = input.shape[-2:]
    oh, ow = (h if size[0] is None else size[0]), (w if size[1] is None else size[1])
    dt = input.dtype.np
    # out = A_h x A_w^T over the last two dims: each output is its window's mean
    return Tensor(_averaging(h, oh, dt)) @ input @ Tensor(_averaging(w, ow, dt).T)


class AdaptiveAvgPool2d(_Options):
    """Average pooling to a fixed output size, whatever the input's height and width."""
    function = staticmethod(adaptive_avg_pool2d)

    def __init__(self, output_size):
        super().__init__(output_size=output_size)
