"""Argument checks shared across minigrad, raising PyTorch's exception classes with PyTorch's wording."""
import numbers

import numpy as np

from . import dtypes

# Python types torch accepts as dtype arguments
_PY_DTYPES = {float: dtypes.float64, int: dtypes.int64, bool: dtypes.bool_}


def typename(obj):
    """torch.typename: 'int', 'numpy.ndarray', 'minigrad.FloatTensor' (tensors by dtype), for messages."""
    if isinstance(getattr(obj, "dtype", None), dtypes.dtype) and hasattr(obj, "_data"):
        return f"minigrad.{obj.dtype.title}Tensor"
    t = type(obj)
    return t.__qualname__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"


def _is_int(v):
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def integer(fn, name, pos, v):
    """An int argument (numpy ints and 0-d integer tensors too); TypeError like torch's argument parser."""
    if getattr(v, "ndim", None) == 0 and getattr(v, "dtype", None) in (dtypes.int64, dtypes.int32, dtypes.uint8):
        v = v.item()
    if not _is_int(v):
        raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be int, not {typename(v)}")
    return int(v)


def number(fn, name, pos, v):
    """A real-number argument (bools, numpy scalars, 0-d tensors too); TypeError like torch's argument parser."""
    if getattr(v, "ndim", None) == 0 and hasattr(v, "item"):
        v = v.item()
    if not isinstance(v, numbers.Real):
        raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be Number, not {typename(v)}")
    return v


def dtype(fn, d):
    """A dtype argument: None, a minigrad dtype, or Python's float/int/bool (which torch also accepts)."""
    if d is None or isinstance(d, dtypes.dtype):
        return d
    if isinstance(d, type) and d in _PY_DTYPES:
        return _PY_DTYPES[d]
    raise TypeError(f"{fn}(): argument 'dtype' must be minigrad.dtype, not {typename(d)}")


def size(fn, shape):
    """A factory's size (ints, already unpacked to a tuple) checked like torch: ints, none negative."""
    shape = tuple(integer(fn, "size", 1, s) if getattr(s, "ndim", None) == 0 else s for s in shape)
    bad = next((s for s in shape if not _is_int(s)), None)
    if bad is not None or any(isinstance(s, bool) for s in shape):
        raise TypeError(f"{fn}(): argument 'size' must be tuple of ints, but got {typename(bad)}")
    neg = next((s for s in shape if s < 0), None)
    if neg is not None:
        if fn == "zeros":  # torch's zeros has a shortcut with its own message
            raise RuntimeError("zeros: Dimension size must be non-negative.")
        raise RuntimeError(f"Trying to create tensor with negative dimension {neg}: {list(shape)}")
    return tuple(int(s) for s in shape)


def floating(fn, d):
    """A floating dtype for samplers like rand/randn; torch's NotImplementedError for the others."""
    if not d.is_floating_point:
        raise NotImplementedError(f"\"{fn}\" not implemented for '{d.title}'")
    return d


def fits(values, d):
    """Python numbers converted to an integer dtype must fit it (torch wraps only small negatives to unsigned)."""
    if d.category != 1 or not np.size(values):
        return
    info = np.iinfo(d.np)
    low = -(int(info.max) + 1) if info.min == 0 else int(info.min)
    if np.min(values) < low or np.max(values) > info.max:
        raise RuntimeError(f"value cannot be converted to type {d.name} without overflow")


def broadcast_shapes(a, b):
    """The broadcast shape of shapes a and b, or torch's RuntimeError naming the first dimension that clashes."""
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) at non-singleton "
                               f"dimension {i}")
    return tuple(x if y == 1 else y for x, y in zip(a, b))


def inplace_shape(out, shape):
    """An in-place result of shape `shape` must fit its output's shape `out` (it cannot grow), as in torch."""
    if tuple(out) != tuple(shape):
        raise RuntimeError(f"output with shape {list(out)} doesn't match the broadcast shape {list(shape)}")


def same_shapes(shapes):
    """torch.stack's check: a non-empty list of equal shapes."""
    if not shapes:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, s in enumerate(shapes):
        if tuple(s) != tuple(shapes[0]):
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(shapes[0])} at entry 0 "
                               f"and {list(s)} at entry {i}")


def tensor_data(data):
    """torch.tensor's error for data numpy could not take: a string, a ragged list, a value of no dtype."""
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    sizes, x = [], data
    while isinstance(x, (list, tuple)):  # torch reads the shape off the first elements
        sizes.append(len(x))
        if not x:
            break
        x = x[0]
    if isinstance(x, str) and sizes:
        raise ValueError("too many dimensions 'str'")
    sizes += list(x.shape) if hasattr(x, "shape") else []
    _nested(data, sizes, 0)


def _nested(x, sizes, dim):
    if isinstance(x, (list, tuple)) or getattr(x, "shape", ()) != ():
        if dim >= len(sizes):
            raise TypeError(f"'{typename(x)}' object cannot be interpreted as a number (expected one at dim {dim})")
        got = len(x) if isinstance(x, (list, tuple)) else x.shape[0]
        if got != sizes[dim]:
            raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {got})")
        for e in x if isinstance(x, (list, tuple)) else ():
            _nested(e, sizes, dim + 1)
    elif isinstance(x, str):
        raise TypeError("new(): invalid data type 'str'")
    elif not isinstance(x, (numbers.Number, np.generic)):
        raise RuntimeError(f"Could not infer dtype of {type(x).__name__}")
    elif dim < len(sizes):
        raise TypeError("not a sequence")
