"""Normalisation layers: LayerNorm, BatchNorm1d/2d and GroupNorm, as (x - mean) / sqrt(var + eps) * w + b over
their own dims. LayerNorm (the transformer's) is one primitive with its own backward rule; BatchNorm and GroupNorm
are composed from Tensor ops (autograd derives the gradient through the statistics)."""
import math

import numpy as np

from .. import _checks
from ..autograd import no_grad
from ..autograd.namespace import ARRAYS
from ..tensor import Tensor
from .init import _empty
from .module import Module, Parameter


def _normalize(x, dims, eps):
    """(x - mean) / sqrt(biased var + eps) over dims, and the batch statistics (mean, biased var)."""
    mean = x.mean(dims, keepdim=True)
    d = x - mean
    var = (d * d).mean(dims, keepdim=True)
    return d / (var + eps).sqrt(), mean, var


def _affine(x, weight, bias, shape):
    """x * weight + bias, the parameters viewed as `shape` so they broadcast over x."""
    if weight is not None:
        x = x * weight.reshape(shape)
    if bias is not None:
        x = x + bias.reshape(shape)
    return x


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05):
    """Normalise over the trailing dims given by normalized_shape, then scale by weight and shift by bias."""
    _checks.same_dtype(input, weight, bias)
    if not isinstance(normalized_shape, (tuple, list)):
        raise TypeError("layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not "
                        f"{type(normalized_shape).__name__}")
    shape, k = list(normalized_shape), len(normalized_shape)
    bad = next(((i, s) for i, s in enumerate(shape) if not _checks._is_int(s)), None)
    if bad:
        raise TypeError("layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, but found "
                        f"element of type {type(bad[1]).__name__} at pos {bad[0]}")
    if k == 0 or list(input.shape[input.dim() - k:]) != shape or input.dim() < k:
        raise RuntimeError(f"Given normalized_shape={shape}, expected input with shape [*, {', '.join(map(str, shape))}]"
                           f", but got input of size{list(input.shape)}")
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and list(p.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                               f"{list(p.shape)} and normalized_shape = {shape}")
    _checks.floating("LayerNormKernelImpl", input.dtype)
    return _native_layer_norm(input, weight, bias, k, eps)


def _standardize(xp, x, avg, eps):
    """Rows of x: (x - mean) * rstd and rstd = 1 / sqrt(biased var + eps), in the namespace xp."""
    # row means as x @ (1/n, ..., 1/n): BLAS's matrix-vector product is ~3x numpy's sum over the last axis
    d = x - (x @ avg).reshape(-1, 1)
    rstd = xp.power((d * d) @ avg + eps, -0.5).reshape(-1, 1)
    return d * rstd, rstd


def _native_layer_norm(x, weight, bias, k, eps):
    """layer_norm as one node (NativeLayerNormBackward0): a fused numpy forward and a rule written once in xp."""
    shape, norm = x.shape, x.shape[x.dim() - k:]
    rows, n = math.prod(shape[:x.dim() - k]), math.prod(norm)  # computed on the (rows, n) matrix of x
    avg, ones = np.full(n, 1 / max(n, 1), x._data.dtype), np.ones(rows, x._data.dtype)
    xhat, rstd = _standardize(ARRAYS, x._data.reshape(rows, n), avg, eps)
    out = xhat if weight is None else xhat * weight._data.reshape(n)
    out = (out if bias is None else out + bias._data.reshape(n)).reshape(shape)

    def rule(xp, g, x, w=None):
        # y = xhat w + b, xhat = (x - mean) rstd:  d b = sum g,  d w = sum g xhat,
        # d x = rstd (h - mean(h) - xhat mean(h xhat)) with h = g w (the mean's and the variance's share removed)
        xh, r = (xhat, rstd) if not xp.graph else _standardize(xp, x.reshape(rows, n), avg, eps)  # 2nd order
        g = g.reshape(rows, n)
        h = g if w is None else g * w.reshape(n)
        gx = (h - (h @ avg).reshape(-1, 1) - xh * ((h * xh) @ avg).reshape(-1, 1)) * r
        cols = lambda t: (xp.swapaxes(t, 0, 1) @ ones).reshape(norm)  # noqa: E731  (sums over the rows)
        return [gx.reshape(shape)] + ([cols(g * xh)] if w is not None else []) + ([cols(g)] if bias is not None
                                                                                   else [])
    return Tensor._op(out, tuple(t for t in (x, weight, bias) if t is not None), rule, "NativeLayerNormBackward0",
                      (x,) if weight is None else (x, weight))


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05):
    """Split the channels (dim 1) into num_groups groups; normalise each sample's group, then a per-channel affine."""
    _checks.same_dtype(input, weight, bias)
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.dim()}")
    n, c = input.shape[0], input.shape[1]
    if c % num_groups:
        raise RuntimeError("Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {list(input.shape)} and num_groups={num_groups}")
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and list(p.shape) != [c]:
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of channels in input, "
                               f"but got {name} of shape {list(p.shape)} and input of shape {list(input.shape)}")
    x = _normalize(input.reshape(n, num_groups, -1), 2, eps)[0].reshape(input.shape)
    return _affine(x, weight, bias, [c] + [1] * (input.dim() - 2))


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-05):
    """Normalise each channel (dim 1) by the batch's statistics (training; they also update the running ones in
    place) or by running_mean / running_var (evaluation)."""
    _checks.floating("batch_norm", input.dtype), _checks.same_dtype(input, running_mean, running_var, weight, bias)
    c = input.shape[1] if input.dim() > 1 else input.shape[0]
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")
    dims = (0,) + tuple(range(2, input.dim()))
    shape = [c] + [1] * (input.dim() - 2)
    if not training:
        if running_mean is None or running_var is None:
            raise RuntimeError("running_mean must be defined in evaluation mode")
        x = (input - running_mean.reshape(shape)) / (running_var.reshape(shape) + eps).sqrt()
        return _affine(x, weight, bias, shape)
    n = input.numel() // c
    if n <= 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.shape}"
                         .replace("minigrad.Size", "torch.Size"))
    x, mean, var = _normalize(input, dims, eps)
    with no_grad():  # running statistics: an exponential average of the mean and of the unbiased variance
        if running_mean is not None:
            running_mean.mul_(1 - momentum).add_(mean.reshape(c).detach() * momentum)
        if running_var is not None:
            running_var.mul_(1 - momentum).add_(var.reshape(c).detach() * (momentum * n / (n - 1)))
    return _affine(x, weight, bias, shape)


class LayerNorm(Module):
    """Normalise over the trailing normalized_shape dims, with a learnable elementwise weight and bias."""

    def __init__(self, normalized_shape, eps=1e-05, elementwise_affine=True, bias=True, device=None, dtype=None):
        super().__init__()
        self.normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        self.weight = Parameter(_empty(self.normalized_shape, dtype, device, 1)) if elementwise_affine else None
        self.bias = Parameter(_empty(self.normalized_shape, dtype, device)) if elementwise_affine and bias else None

    def forward(self, input):
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
                f"bias={self.bias is not None}")


class GroupNorm(Module):
    """Normalise groups of channels per sample, with a learnable per-channel weight and bias."""

    def __init__(self, num_groups, num_channels, eps=1e-05, affine=True, device=None, dtype=None, *, bias=True):
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups ({num_groups})")
        self.num_groups, self.num_channels, self.eps, self.affine = num_groups, num_channels, eps, affine
        self.weight = Parameter(_empty((num_channels,), dtype, device, 1)) if affine else None
        self.bias = Parameter(_empty((num_channels,), dtype, device)) if affine and bias else None

    def forward(self, input):
        return group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")


class _BatchNorm(Module):
    """BatchNorm's state: per-channel weight and bias, running_mean / running_var / num_batches_tracked buffers."""
    _dims = ()

    def __init__(self, num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None,
                 dtype=None, *, bias=True):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        self.weight = Parameter(_empty((num_features,), dtype, device, 1)) if affine else None
        self.bias = Parameter(_empty((num_features,), dtype, device)) if affine and bias else None
        for name, value in (("running_mean", _empty((num_features,), dtype, device)),
                            ("running_var", _empty((num_features,), dtype, device, 1)),
                            ("num_batches_tracked", np.array(0))):
            self.register_buffer(name, Tensor(value) if track_running_stats else None)

    def reset_running_stats(self):
        """Running mean 0, running variance 1, no batches seen."""
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self):
        """Reset the running statistics, weight 1 and bias 0."""
        self.reset_running_stats()
        for p, v in ((self.weight, 1), (self.bias, 0)):
            if p is not None:
                with no_grad():
                    p.fill_(v)

    def forward(self, input):
        if input.dim() not in self._dims:
            want = " or ".join(f"{d}D" for d in self._dims)
            raise ValueError(f"expected {want} input (got {input.dim()}D input)")
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:  # a cumulative average: batch k weighs 1/k
                factor = 1.0 / float(self.num_batches_tracked)
        use_batch = self.training or (self.running_mean is None and self.running_var is None)
        keep = not self.training or self.track_running_stats  # only these modes read or update the buffers
        return batch_norm(input, self.running_mean if keep else None, self.running_var if keep else None,
                          self.weight, self.bias, use_batch, factor, self.eps)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) inputs over N (and L)."""
    _dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) inputs over N, H and W."""
    _dims = (4,)
