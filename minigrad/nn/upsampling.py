"""F.interpolate and the Upsample layers, derived: 'nearest' is one gather (an index per spatial dim);
'linear'/'bilinear'/'trilinear' multiply each spatial dim by an (out, in) interpolation matrix, as adaptive
pooling does."""
import math

import numpy as np

from ..tensor import Tensor
from .module import Module

_MODES = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"


def _nearest(n_in, n_out, scale):
    """Source index of each output cell: floor(i * scale), in float32 as torch computes it."""
    return np.minimum(np.floor(np.arange(n_out, dtype=np.float32) * np.float32(scale)).astype(np.int64), n_in - 1)


def _linear(n_in, n_out, scale, align_corners, dtype):
    """The (n_out, n_in) matrix whose row i mixes the two input cells around torch's source point for i."""
    i = np.arange(n_out, dtype=dtype)
    if align_corners:
        src = i * dtype((n_in - 1) / (n_out - 1) if n_out > 1 else 0)
    else:
        src = np.maximum(dtype(scale) * (i + dtype(0.5)) - dtype(0.5), 0)
    lo = np.minimum(src.astype(np.int64), n_in - 1)
    lam = src - lo
    m = np.zeros((n_out, n_in), dtype)
    np.add.at(m, (np.arange(n_out), lo), 1 - lam)
    np.add.at(m, (np.arange(n_out), np.minimum(lo + 1, n_in - 1)), lam)
    return m


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize the spatial dims of an (N, C, *spatial) input by nearest or (bi/tri)linear interpolation."""
    nd = input.dim() - 2
    if antialias or mode in ("bicubic", "lanczos", "area", "nearest-exact"):
        raise NotImplementedError(f"minigrad's interpolate has modes nearest, linear, bilinear and trilinear without "
                                  f"antialias, got mode={mode!r}, antialias={antialias}")
    if mode not in ("nearest", "linear", "bilinear", "trilinear") or input.dim() not in (3, 4, 5):
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) for "
                                  f"the modes: {_MODES} (got {mode})")
    if align_corners is not None and mode == "nearest":
        raise ValueError("align_corners option can only be set with the interpolating modes: linear | bilinear | "
                         "bicubic | trilinear")
    if (size is None) == (scale_factor is None):
        raise ValueError("only one of size or scale_factor should be defined" if size is not None
                         else "either size or scale_factor should be defined")
    for name, v, what, fmt in (("output", size, "output size", "o"), ("scale_factor", scale_factor,
                                                                     "scale_factor", "s")):
        if isinstance(v, (tuple, list)) and len(v) != nd:
            raise ValueError(f"Input and {name} must have the same number of spatial dimensions, but got input with "
                             f"spatial dimensions of {list(input.shape[2:])} and {what} of{' shape' * (fmt == 's')} "
                             f"{v}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and {what} in "
                             f"({fmt}1, {fmt}2, ...,{fmt}K) format.")
    need = {"nearest": input.dim(), "linear": 3, "bilinear": 4, "trilinear": 5}[mode]
    if input.dim() != need:
        raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs {need}D input")
    sizes = input.shape[2:]
    factors = tuple(scale_factor) if isinstance(scale_factor, (tuple, list)) else (scale_factor,) * nd
    out = ((tuple(size) if isinstance(size, (tuple, list)) else (size,) * nd) if size is not None
           else tuple(math.floor(i * f) for i, f in zip(sizes, factors)))
    if min(out) <= 0:
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input {tuple(sizes)} output "
                           f"{out}")
    scales = [i / o if size is not None or recompute_scale_factor else 1 / f for i, o, f in zip(sizes, out, factors)]
    if mode == "nearest":
        return input[(...,) + np.ix_(*[_nearest(i, o, s) for i, o, s in zip(sizes, out, scales)])]
    for dim, (i, o, s) in enumerate(zip(sizes, out, scales)):  # y = x A^T along each spatial dim in turn
        a = Tensor(_linear(i, o, s, bool(align_corners), input._data.dtype.type).T)
        input = (input.transpose(dim + 2, -1) @ a).transpose(dim + 2, -1)
    return input


class Upsample(Module):
    """Upsampling layer: F.interpolate with fixed size or scale_factor, mode and align_corners."""

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None):
        super().__init__()
        self.name, self.size, self.mode, self.align_corners = type(self).__name__, size, mode, align_corners
        self.scale_factor = (tuple(float(f) for f in scale_factor) if isinstance(scale_factor, tuple)
                             else float(scale_factor) if scale_factor else None)
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input):
        return interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                           self.recompute_scale_factor)

    def extra_repr(self):
        info = f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None else f"size={self.size!r}"
        return f"{info}, mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """2-d nearest-neighbour upsampling."""

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """2-d bilinear upsampling with align_corners=True."""

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
