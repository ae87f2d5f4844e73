"""Gradient clipping: rescale all gradients so their joint norm is at most max_norm, or clamp each value."""
import types
import warnings

import numpy as np

from ... import dtypes
from ...tensor import Tensor


def _params(parameters):
    """A tensor or an iterable of them as a list (torch warns about an empty generator)."""
    if isinstance(parameters, Tensor):
        return [parameters]
    generator = isinstance(parameters, types.GeneratorType)
    parameters = list(parameters)
    if generator and not parameters:
        warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.", UserWarning,
                      stacklevel=3)
    return parameters


def _vector_norm(a, p):
    """The p-norm of all of a's values, in a's dtype (p may be inf, -inf or 0, as in torch.linalg.vector_norm)."""
    a = np.abs(a.reshape(-1))
    if p == np.inf:
        return a.max(initial=0)
    if p == -np.inf:
        return a.min(initial=np.inf)
    if p == 0:
        return np.count_nonzero(a).astype(a.dtype)
    if p == 2:
        return np.sqrt(a @ a)
    return (a ** a.dtype.type(p)).sum() ** a.dtype.type(1 / p)


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The norm of the norms of tensors: their norm as if all were concatenated into one vector."""
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return Tensor(np.array(0.0, dtypes.get_default_dtype().np))
    groups = {}  # torch sums the norms grouped by dtype, in order of first appearance
    for t in tensors:
        groups.setdefault(t.dtype.name, []).append(_vector_norm(t.numpy(), norm_type))
    norms = [n for group in groups.values() for n in group]
    total = _vector_norm(np.array(norms, np.result_type(*norms)), norm_type)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so it "
                           "cannot be clipped. To disable this error and scale the gradients by the non-finite norm "
                           "anyway, set `error_if_nonfinite=False`")
    return Tensor(np.asarray(total))


def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Scale the gradients by min(1, max_norm / (total_norm + 1e-6)), in place."""
    total = total_norm.numpy()
    coef = min(total.dtype.type(float(max_norm)) / (total + total.dtype.type(1e-6)), 1.0)  # nan stays nan
    for p in _params(parameters):
        if p.grad is not None:
            p.grad.numpy()[...] *= p.grad.dtype.np.type(coef)  # grads never require grad: change them in place


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Rescale the gradients in place so that their total norm is at most max_norm; returns the norm before."""
    parameters = _params(parameters)
    total = get_total_norm([p.grad for p in parameters if p.grad is not None], norm_type, error_if_nonfinite)
    clip_grads_with_norm_(parameters, max_norm, total)
    return total


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient value into [-clip_value, clip_value], in place."""
    for p in _params(parameters):
        if p.grad is not None:
            np.clip(p.grad.numpy(), -float(clip_value), float(clip_value), out=p.grad.numpy())
