"""save/load for state dicts: arrays in a numpy .npz, structure as JSON, so loading never runs code."""
import contextlib
import json
from collections import OrderedDict

import numpy as np

from .tensor import Tensor

_CONTAINERS = {"dict": dict, "odict": OrderedDict, "list": list, "tuple": tuple}


def _encode(obj, arrays):  # a JSON-able tree; tensors and arrays go to `arrays`, referred to by their index
    if isinstance(obj, (Tensor, np.ndarray)):
        arrays.append(obj._data if isinstance(obj, Tensor) else obj)
        return {"ndarray" if isinstance(obj, np.ndarray) else "tensor": len(arrays) - 1,
                "requires_grad": bool(getattr(obj, "requires_grad", False))}
    if isinstance(obj, dict):  # keys may be ints (optimizer state), so store pairs, not a JSON object
        return {"odict" if isinstance(obj, OrderedDict) else "dict":
                [[_encode(k, arrays), _encode(v, arrays)] for k, v in obj.items()]}
    if isinstance(obj, (list, tuple)):
        return {"tuple" if isinstance(obj, tuple) else "list": [_encode(v, arrays) for v in obj]}
    if obj is None or isinstance(obj, (bool, int, float, str, np.generic)):
        return {"value": obj.item() if isinstance(obj, np.generic) else obj}
    raise TypeError(f"minigrad.save can store tensors, arrays, numbers, strings, None and dicts/lists/tuples of "
                    f"them, not {type(obj).__name__}")


def _decode(node, arrays):
    kind, v = next(iter(node.items()))
    if kind in ("tensor", "ndarray"):
        return Tensor(arrays[f"a{v}"], requires_grad=node["requires_grad"]) if kind == "tensor" else arrays[f"a{v}"]
    if kind in ("dict", "odict"):
        return _CONTAINERS[kind]((_decode(k, arrays), _decode(x, arrays)) for k, x in v)
    return _CONTAINERS[kind](_decode(x, arrays) for x in v) if kind in _CONTAINERS else v


def save(obj, f):
    """Write obj (a state dict or nested dicts/lists of tensors and plain values) to a path or binary file."""
    arrays = []
    structure = np.frombuffer(json.dumps(_encode(obj, arrays)).encode(), np.uint8)
    is_path = isinstance(f, (str, bytes)) or hasattr(f, "__fspath__")
    with open(f, "wb") if is_path else contextlib.nullcontext(f) as fh:  # a path as given: np.savez adds .npz
        np.savez(fh, structure=structure, **{f"a{i}": a for i, a in enumerate(arrays)})


def load(f, map_location=None, weights_only=True, **kwargs):
    """Read what save() wrote; only arrays and JSON are parsed (no pickle), whatever the file holds."""
    with np.load(f, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return _decode(json.loads(arrays.pop("structure").tobytes().decode()), arrays)
