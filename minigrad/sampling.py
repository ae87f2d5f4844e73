"""Sampling from distributions given as tensors: multinomial (category indices), bernoulli and normal, drawn from
minigrad's generators. As in torch, a sample carries a zero gradient to the tensors it was drawn from."""
import numbers

import numpy as np

from . import dtypes
from .autograd import Function
from .random import _gen
from .tensor import Tensor


class _Sample(Function):
    """Records a draw in the graph with zero gradient for its distribution's parameters (torch's convention)."""

    @staticmethod
    def forward(ctx, sample, *params):
        ctx.shapes = [p.shape for p in params if isinstance(p, Tensor)]
        return sample

    @staticmethod
    def backward(ctx, g):
        # d sample / d parameters = 0: the draw is not reparameterised
        return (None, *(Tensor(np.zeros(s, g.dtype.np)) for s in ctx.shapes))


def _recorded(sample, *params):
    """sample, joined to the graph when a parameter requires grad."""
    if any(isinstance(p, Tensor) and p.requires_grad for p in params):
        return _Sample.apply(Tensor(sample), *params)
    return Tensor(sample)


def multinomial(input, num_samples, replacement=False, *, generator=None):
    """num_samples category indices per row of input (1-D or 2-D non-negative weights, not necessarily summing to 1)."""
    if not input.is_floating_point():
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: {input.dtype.title}")
    if input.dim() not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    p = input.detach().numpy().astype(np.float64).reshape(-1, input.shape[-1])
    if not replacement and num_samples > p.shape[1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if not np.isfinite(p).all() or (p < 0).any():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    total = p.sum(1, keepdims=True)
    if (total <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    rng = _gen(generator)
    if replacement:  # invert each row's CDF at uniform draws; zero-weight categories cover no interval
        cdf = np.cumsum(p, 1) / total
        cdf[:, -1] = 1.0
        u = rng.random((p.shape[0], num_samples))
        out = np.stack([np.searchsorted(c, r, side="right") for c, r in zip(cdf, u)])
    else:  # the largest p / E with E ~ Exp(1) (torch's method): a weighted draw without replacement
        keys = p / rng.exponential(size=p.shape)
        out = np.argsort(-keys, axis=1, kind="stable")[:, :num_samples]  # zero weights come last, in index order
    return Tensor(out.reshape(input.shape[:-1] + (num_samples,)).astype(np.int64))


def bernoulli(input, p=None, *, generator=None):
    """1 with probability input (or the scalar p) elementwise, else 0, in input's dtype."""
    if not input.is_floating_point():
        raise NotImplementedError(f'"bernoulli_tensor_cpu_p_" not implemented for \'{input.dtype.title}\'')
    probs = input.detach().numpy() if p is None else p
    if p is not None and not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")
    if p is None and not ((probs >= 0) & (probs <= 1)).all():
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message "
                           "be improved?  If so, please report an enhancement request to PyTorch.)")
    sample = (_gen(generator).random(input.shape) < probs).astype(input.dtype.np)
    return _recorded(sample, input)


_NORMAL_SIGNATURES = (
    " * (Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, float std, tuple of ints size, *, torch.Generator generator = None, Tensor out = None, "
    "torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, bool pin_memory = False, "
    "bool requires_grad = False)\n")


def normal(mean, std=1.0, size=None, *, generator=None, dtype=None, requires_grad=False):
    """Samples mean + std * N(0, 1): mean and/or std tensors (broadcast), or two numbers and a size."""
    tensors = [x for x in (mean, std) if isinstance(x, Tensor)]
    if not tensors:
        if size is None or isinstance(size, numbers.Number):
            got = ", ".join(type(x).__name__ for x in (mean, std) + (() if size is None else (size,)))
            raise TypeError(f"normal() received an invalid combination of arguments - got ({got}), but expected one "
                            f"of:\n{_NORMAL_SIGNATURES}")
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        d = (dtype or dtypes.get_default_dtype()).np
        out = Tensor((_gen(generator).standard_normal(tuple(size)) * std + mean).astype(d))
        return out.requires_grad_(requires_grad)
    if not tensors[0].is_floating_point():
        raise NotImplementedError(f'"normal_kernel_cpu" not implemented for \'{tensors[0].dtype.title}\'')
    m = mean.detach().numpy() if isinstance(mean, Tensor) else mean
    s = std.detach().numpy() if isinstance(std, Tensor) else std
    if isinstance(std, Tensor) and (s < 0).any():
        raise RuntimeError("normal expects all elements of std >= 0.0")
    if not isinstance(std, Tensor) and std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    shape = np.broadcast_shapes(np.shape(m), np.shape(s))
    out_dtype = (mean if isinstance(mean, Tensor) else std).dtype.np
    sample = (_gen(generator).standard_normal(shape) * s + m).astype(out_dtype)
    return _recorded(sample, mean, std)
