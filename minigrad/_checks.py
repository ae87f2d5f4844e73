"""Argument checks shared across minigrad, raising PyTorch's exception classes with PyTorch's wording."""
import numbers
import warnings

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


def tensor(fn, name, pos, v):
    """A Tensor argument, or the TypeError of torch's argument parser."""
    if not hasattr(v, "_data"):
        raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be Tensor, not {typename(v)}")
    return v


def expand(shape, target):
    """torch's expand check: a tensor of `shape` stretches to `target` only along its size-1 dimensions."""
    for i in range(1, len(shape) + 1):
        if shape[-i] not in (1, target[-i]):
            raise RuntimeError(f"The expanded size of the tensor ({target[-i]}) must match the existing size "
                               f"({shape[-i]}) at non-singleton dimension {len(target) - i}.  Target sizes: "
                               f"{list(target)}.  Tensor sizes: {list(shape)}")


def target_size(input, target):
    """A pointwise loss's input and target: torch's warning when the sizes differ (the target then broadcasts, the
    classic regression bug of (N, 1) outputs against (N,) targets) and its error when they cannot broadcast."""
    if tuple(input.shape) != tuple(target.shape):
        warnings.warn(f"Using a target size (torch.Size({list(target.shape)})) that is different to the input size "
                      f"(torch.Size({list(input.shape)})). This will likely lead to incorrect results due to "
                      "broadcasting. Please ensure they have the same size.", UserWarning, stacklevel=3)
    return broadcast_shapes(input.shape, target.shape)


def infer_size(shape, other):
    """torch's _infer_size (binary_cross_entropy's weight against the target): the broadcast shape, or its message
    naming the last dimension of `other` that clashes."""
    n = max(len(shape), len(other))
    a, b = (1,) * (n - len(shape)) + tuple(shape), (1,) * (n - len(other)) + tuple(other)
    bad = [i - n for i in range(n) if a[i] != b[i] and 1 not in (a[i], b[i])]
    if bad:
        raise RuntimeError(f"Attempting to broadcast a dimension of length {b[bad[-1]]} at {bad[-1]}! Mismatching "
                           f"argument at index 1 had torch.Size({list(other)}); but expected shape should be "
                           f"broadcastable to {list(shape)}")
    return broadcast_shapes(shape, other)


def weight_fits(shape, weight, first=False):
    """A loss's elementwise weight must broadcast to the loss's shape without growing it (torch multiplies in
    place); first: the weight is the left operand in torch's broadcasting message."""
    if weight is not None:
        inplace_shape(shape, broadcast_shapes(*((weight.shape, shape) if first else (shape, weight.shape))))


def class_targets(input, target, weight):
    """nll_loss's arguments as torch checks them: log-probabilities (C,) or (N, C, d1, ...), Long or Byte class
    indices (N, d1, ...), at most one weight per class (numpy would broadcast the wrong shapes silently)."""
    tensor("nll_loss_nd", "input", 1, input), tensor("nll_loss_nd", "target", 2, target)
    shape, tshape = input._data.shape, target._data.shape  # the arrays' shapes: this runs every training step
    n, d, td, c = shape[:1], len(shape), len(tshape), shape[1 if len(shape) > 1 else 0] if shape else 0
    if d == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    if d > 1 and shape[0] != (tshape[0] if td else 0):  # torch reads a 0-d target's as 0
        raise ValueError(f"Expected input batch_size ({shape[0]}) to match target batch_size "
                         f"({tshape[0] if td else 0}).")
    if d == 1 and td == 1 and tshape[0] != 1:
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {tshape[0]}")
    if d <= 2 and td > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if d == 4 and td != 3:
        raise RuntimeError(f"only batches of spatial targets supported (3D tensors) but got targets of dimension: {td}")
    if d > 2 and tshape != n + shape[2:]:
        raise RuntimeError(f"size mismatch (got input: {list(shape)} , target: {list(tshape)}" if d == 4
                           else f"Expected target size {list(n + shape[2:])}, got {list(tshape)}")
    if weight is not None and (weight.dim() != 1 or weight.numel() != c):
        raise RuntimeError(f"weight tensor should be defined either for all {c} classes or no classes but got weight "
                           f"tensor of shape: {list(weight.shape)}" if d <= 2 else
                           "weight tensor should be defined either for all or no classes")
    if target._data.dtype not in (np.int64, np.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {target.dtype.title}")
    if input._data.dtype.kind != "f":
        floating("nll_loss_out_frame", input.dtype)
    if weight is not None and weight.dtype != input.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype.title} but found {weight.dtype.title}")


def implicit_dim(fn, input, dim, stacklevel):
    """dim, or (dim=None) torch's legacy choice, 0 for 0-, 1- and 3-d inputs and 1 otherwise, with its warning
    (stacklevel counts from here, as in torch's _get_softmax_dim)."""
    if dim is not None:
        return dim
    warnings.warn(f"Implicit dimension choice for {fn} has been deprecated. Change the call to include dim=X as an "
                  "argument.", UserWarning, stacklevel=stacklevel)
    return 0 if input.dim() in (0, 1, 3) else 1


def same_dtype(input, *others):
    """The normalisation kernels' rule: weights, biases and running statistics in the input's dtype."""
    if any(t is not None and t.dtype != input.dtype for t in others):
        raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")
