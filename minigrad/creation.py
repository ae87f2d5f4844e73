"""Tensor factories: tensor, zeros, ones, full, arange, linspace, eye and the random ones."""
import math
import warnings

import numpy as np

from . import _checks, dtypes
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


def _array(data, dtype):
    """data as an array (of dtype), with torch's errors for what numpy cannot take and for ints that overflow."""
    try:
        if dtype is not None and dtype.category == 1 and not isinstance(data, (Tensor, np.ndarray, np.generic)):
            _checks.fits(np.array(data), dtype)  # numpy would wrap Python ints silently; torch refuses
        return _to_array(data, dtype)
    except (ValueError, TypeError):
        _checks.tensor_data(data)  # raises torch's error where torch has one
        raise


def tensor(data, dtype=None, device=None, requires_grad=False):
    """A new tensor holding a copy of data, with torch's dtype inference."""
    dtype = _checks.dtype("tensor", dtype)
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
                      "sourceTensor.detach().clone().requires_grad_(True), rather than minigrad.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
    elif isinstance(data, list) and data and isinstance(data[0], np.ndarray):
        warnings.warn("Creating a tensor from a list of numpy.ndarrays is extremely slow. Please consider converting "
                      "the list to a single numpy.ndarray with numpy.array() before converting to a tensor.",
                      UserWarning, stacklevel=2)
    return _make(np.array(_array(data, dtype), copy=True), dtype, device, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """A tensor sharing data's memory where possible."""
    dtype = _checks.dtype("as_tensor", dtype)
    return data.to(dtype) if isinstance(data, Tensor) and dtype else _make(_array(data, dtype), dtype, device, False)


def from_numpy(arr):
    """A tensor sharing the numpy array's memory."""
    if not isinstance(arr, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {_checks.typename(arr)})")
    try:
        dtypes.from_np(arr.dtype)
    except TypeError:
        raise TypeError(f"can't convert np.ndarray of type numpy.{arr.dtype.type.__name__}. The only supported types "
                        "are: float64, float32, int64, int32, uint8, and bool.") from None
    if not arr.flags.writeable:
        warnings.warn("The given NumPy array is not writable, and minigrad does not support non-writable tensors. "
                      "Writing to this tensor will raise an error. You may want to copy the array to protect its "
                      "data or make it writable before converting it to a tensor.", UserWarning, stacklevel=2)
    return Tensor(arr)


def _float(fn, dtype):
    return _checks.dtype(fn, dtype) or dtypes.get_default_dtype()


def _size(fn, size):
    return _checks.size(fn, _dims(size))


def zeros(*size, dtype=None, device=None, requires_grad=False):
    """A tensor of zeros."""
    return _make(np.zeros(_size("zeros", size), _float("zeros", dtype).np), None, device, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False):
    """A tensor of ones."""
    return _make(np.ones(_size("ones", size), _float("ones", dtype).np), None, device, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False):
    """An uninitialised tensor (zeros here)."""
    return _make(np.zeros(_size("empty", size), _float("empty", dtype).np), None, device, requires_grad)


def full(size, fill_value, dtype=None, device=None, requires_grad=False):
    """A tensor filled with fill_value (dtype inferred from it, like torch)."""
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not {_checks.typename(size)}")
    fill_value = _checks.number("full", "fill_value", 2, fill_value)
    d = _checks.dtype("full", dtype) or dtypes.scalar_dtype(fill_value)
    _checks.fits(fill_value, d)
    return _make(np.full(_size("full", size), fill_value, d.np), None, device, requires_grad)


def _like(name, fn, t, dtype, **kw):
    if not isinstance(t, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {_checks.typename(t)}")
    return fn(t.shape, dtype=_checks.dtype(name, dtype) or t.dtype, **kw)


def zeros_like(t, dtype=None, device=None, requires_grad=False):
    """Zeros with t's shape and dtype."""
    return _like("zeros_like", zeros, t, dtype, device=device, requires_grad=requires_grad)


def ones_like(t, dtype=None, device=None, requires_grad=False):
    """Ones with t's shape and dtype."""
    return _like("ones_like", ones, t, dtype, device=device, requires_grad=requires_grad)


def empty_like(t, dtype=None, device=None, requires_grad=False):
    """An uninitialised tensor with t's shape and dtype."""
    return _like("empty_like", empty, t, dtype, device=device, requires_grad=requires_grad)


def full_like(t, fill_value, dtype=None, device=None, requires_grad=False):
    """fill_value with t's shape and dtype."""
    fill_value = _checks.number("full_like", "fill_value", 2, fill_value)
    return _like("full_like", lambda shape, **kw: full(shape, fill_value, **kw), t, dtype, device=device,
                 requires_grad=requires_grad)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False):
    """Values from start to end (exclusive) by step; int64 unless a float is involved."""
    if end is None:
        start, end = 0, start
    start, end, step = (_checks.number("arange", k, i, v) for i, (k, v) in
                        enumerate((("start", start), ("end", end), ("step", step))))
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    d = _checks.dtype("arange", dtype) or dtypes.promote([(dtypes.scalar_dtype(v), 0) for v in (start, end, step)])
    n = int(np.ceil((end - start) / step))
    return _make((start + np.arange(n) * step).astype(d.np), None, device, requires_grad)


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    """steps evenly spaced values from start to end, filled from both ends like torch."""
    start, end = _checks.number("linspace", "start", 1, start), _checks.number("linspace", "end", 2, end)
    steps = _checks.integer("linspace", "steps", 3, steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    i = np.arange(steps, dtype=np.float64)
    step = (end - start) / (steps - 1) if steps > 1 else 0.0
    # torch fills the first half forward from start and the second half backward from end
    vals = np.where(i < steps // 2, start + step * i, end - step * (steps - 1 - i)) if steps > 1 else i + start
    return _make(vals.astype(_float("linspace", dtype).np), None, device, requires_grad)


def eye(n, m=None, dtype=None, device=None, requires_grad=False):
    """The identity matrix (n x m)."""
    n = _checks.integer("eye", "n", 1, n)
    m = n if m is None else _checks.integer("eye", "m", 2, m)
    for name, v in (("n", n), ("m", m)):
        if v < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {v}")
    return _make(np.eye(n, m, dtype=_float("eye", dtype).np), None, device, requires_grad)


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False):
    """Uniform samples from [0, 1)."""
    d = _checks.floating("rand", _float("rand", dtype))
    return _make(_gen(generator).random(_size("rand", size), dtype=np.float64).astype(d.np), None, device,
                 requires_grad)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False):
    """Standard normal samples."""
    d = _checks.floating("randn", _float("randn", dtype))
    return _make(_gen(generator).standard_normal(_size("randn", size)).astype(d.np), None, device, requires_grad)


def randint(low, high=None, size=None, generator=None, dtype=None, device=None, requires_grad=False):
    """Integers from [low, high) (int64 by default)."""
    if high is None or (size is None and isinstance(high, (tuple, list))):
        low, high, size = 0, low, high if size is None else size  # randint(high, size)
    if size is None:
        raise TypeError("randint() missing 1 required positional argument: 'size'")
    low, high = _checks.integer("randint", "low", 1, low), _checks.integer("randint", "high", 2, high)
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    d = _checks.dtype("randint", dtype) or dtypes.int64
    if not d.is_floating_point:  # the drawn values must fit the dtype
        lo, hi = (0, 1) if d is dtypes.bool_ else (int(np.iinfo(d.np).min), int(np.iinfo(d.np).max))
        for what, v in (("from", low), ("to - 1", high - 1)):
            if not lo <= v <= hi:
                raise RuntimeError(f"{what} is out of bounds for {d.name}")
    return _make(_gen(generator).integers(low, high, _size("randint", (size,))).astype(d.np), None, device,
                 requires_grad)


def randperm(n, generator=None, dtype=None, device=None, requires_grad=False):
    """A random permutation of 0..n-1."""
    n = _checks.integer("randperm", "n", 1, n)
    d = _checks.dtype("randperm", dtype) or dtypes.int64
    if d is dtypes.bool_:
        raise NotImplementedError("\"randperm\" not implemented for 'Bool'")
    _checks.size("randperm", (n,))
    _checks.fits(n - 1, d)
    return _make(_gen(generator).permutation(n).astype(d.np), None, device, requires_grad)


def rand_like(t, dtype=None, generator=None, device=None, requires_grad=False):
    """Uniform samples with t's shape."""
    return _like("rand_like", rand, t, dtype, generator=generator, device=device, requires_grad=requires_grad)


def randn_like(t, dtype=None, generator=None, device=None, requires_grad=False):
    """Normal samples with t's shape."""
    return _like("randn_like", randn, t, dtype, generator=generator, device=device, requires_grad=requires_grad)
