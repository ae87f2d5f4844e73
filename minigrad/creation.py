"""Tensor factories: tensor, zeros, ones, full, arange, linspace, eye and the random ones."""
import numpy as np

from . import dtypes
from .device import device as _device
from .random import _gen
from .tensor import Tensor, _dims, _to_array


def _make(arr, dtype, device, requires_grad):
    if device is not None:
        _device(device)
    t = Tensor(arr if dtype is None else arr.astype(dtype.np, copy=False))
    if requires_grad:
        if t._data.dtype.kind != "f":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t.requires_grad = True
    return t


def tensor(data, dtype=None, device=None, requires_grad=False):
    """A new tensor holding a copy of data, with torch's dtype inference."""
    return _make(np.array(_to_array(data), copy=True), dtype, device, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """A tensor sharing data's memory where possible."""
    return data.to(dtype) if isinstance(data, Tensor) and dtype else _make(_to_array(data), dtype, device, False)


def from_numpy(arr):
    """A tensor sharing the numpy array's memory."""
    return Tensor(_to_array(arr))


def _float(dtype):
    return dtype or dtypes.get_default_dtype()


def zeros(*size, dtype=None, device=None, requires_grad=False):
    """A tensor of zeros."""
    return _make(np.zeros(_dims(size), _float(dtype).np), None, device, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False):
    """A tensor of ones."""
    return _make(np.ones(_dims(size), _float(dtype).np), None, device, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False):
    """An uninitialised tensor (zeros here)."""
    return zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)


def full(size, fill_value, dtype=None, device=None, requires_grad=False):
    """A tensor filled with fill_value (dtype inferred from it, like torch)."""
    d = dtype or dtypes.scalar_dtype(fill_value)
    return _make(np.full(_dims((size,)), fill_value, d.np), None, device, requires_grad)


def _like(fn, t, dtype, **kw):
    return fn(t.shape, dtype=dtype or t.dtype, **kw)


def zeros_like(t, dtype=None, device=None, requires_grad=False):
    """Zeros with t's shape and dtype."""
    return _like(zeros, t, dtype, device=device, requires_grad=requires_grad)


def ones_like(t, dtype=None, device=None, requires_grad=False):
    """Ones with t's shape and dtype."""
    return _like(ones, t, dtype, device=device, requires_grad=requires_grad)


def empty_like(t, dtype=None, device=None, requires_grad=False):
    """An uninitialised tensor with t's shape and dtype."""
    return _like(zeros, t, dtype, device=device, requires_grad=requires_grad)


def full_like(t, fill_value, dtype=None, device=None, requires_grad=False):
    """fill_value with t's shape and dtype."""
    return full(t.shape, fill_value, dtype=dtype or t.dtype, device=device, requires_grad=requires_grad)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False):
    """Values from start to end (exclusive) by step; int64 unless a float is involved."""
    if end is None:
        start, end = 0, start
    d = dtype or dtypes.promote([(dtypes.scalar_dtype(v), 0) for v in (start, end, step)])
    n = int(np.ceil((end - start) / step))
    return _make((start + np.arange(max(n, 0)) * step).astype(d.np), None, device, requires_grad)


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    """steps evenly spaced values from start to end, filled from both ends like torch."""
    i = np.arange(steps, dtype=np.float64)
    step = (end - start) / (steps - 1) if steps > 1 else 0.0
    # torch fills the first half forward from start and the second half backward from end
    vals = np.where(i < steps // 2, start + step * i, end - step * (steps - 1 - i)) if steps > 1 else i + start
    return _make(vals.astype(_float(dtype).np), None, device, requires_grad)


def eye(n, m=None, dtype=None, device=None, requires_grad=False):
    """The identity matrix (n x m)."""
    return _make(np.eye(n, m, dtype=_float(dtype).np), None, device, requires_grad)


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False):
    """Uniform samples from [0, 1)."""
    return _make(_gen(generator).random(_dims(size), dtype=np.float64).astype(_float(dtype).np), None, device,
                 requires_grad)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False):
    """Standard normal samples."""
    return _make(_gen(generator).standard_normal(_dims(size)).astype(_float(dtype).np), None, device, requires_grad)


def randint(low, high=None, size=None, generator=None, dtype=None, device=None, requires_grad=False):
    """Integers from [low, high) (int64 by default)."""
    if high is None or (size is None and isinstance(high, (tuple, list))):
        low, high, size = 0, low, high if size is None else size  # randint(high, size)
    if size is None:
        raise TypeError("randint() missing 1 required positional argument: 'size'")
    return _make(_gen(generator).integers(low, high, _dims((size,))).astype((dtype or dtypes.int64).np), None,
                 device, requires_grad)


def randperm(n, generator=None, dtype=None, device=None, requires_grad=False):
    """A random permutation of 0..n-1."""
    return _make(_gen(generator).permutation(n).astype((dtype or dtypes.int64).np), None, device, requires_grad)


def rand_like(t, dtype=None, generator=None, device=None, requires_grad=False):
    """Uniform samples with t's shape."""
    return rand(t.shape, dtype=dtype or t.dtype, generator=generator, device=device, requires_grad=requires_grad)


def randn_like(t, dtype=None, generator=None, device=None, requires_grad=False):
    """Normal samples with t's shape."""
    return randn(t.shape, dtype=dtype or t.dtype, generator=generator, device=device, requires_grad=requires_grad)
