"""save/load for state dicts: arrays in a numpy .npz, structure as JSON, so loading never runs code."""
import io
import json
from collections import OrderedDict

import numpy as np

from .tensor import Tensor


def _encode(obj, arrays):
    if isinstance(obj, Tensor):
        arrays.append(obj._data)
        return {"tensor": len(arrays) - 1, "requires_grad": bool(obj.requires_grad)}
    if isinstance(obj, np.ndarray):
        arrays.append(obj)
        return {"ndarray": len(arrays) - 1}
    if isinstance(obj, dict):  # keys may be ints (optimizer state), so store pairs, not a JSON object
        return {"odict" if isinstance(obj, OrderedDict) else "dict":
                [[_encode(k, arrays), _encode(v, arrays)] for k, v in obj.items()]}
    if isinstance(obj, (list, tuple)):
        return {type(obj).__name__: [_encode(v, arrays) for v in obj]}
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return {"value": obj}
    if isinstance(obj, np.generic):
        return {"value": obj.item()}
    raise TypeError(f"minigrad.save can store tensors, arrays, numbers, strings, None and dicts/lists/tuples of "
                    f"them, not {type(obj).__name__}")


def _decode(node, arrays):
    kind = next(iter(node))
    v = node[kind]
    if kind == "tensor":
        return Tensor(arrays[f"a{v}"], requires_grad=node["requires_grad"])
    if kind == "ndarray":
        return arrays[f"a{v}"]
    if kind in ("dict", "odict"):
        return (OrderedDict if kind == "odict" else dict)((_decode(k, arrays), _decode(x, arrays)) for k, x in v)
    if kind in ("list", "tuple"):
        items = [_decode(x, arrays) for x in v]
        return items if kind == "list" else tuple(items)
    return v


def save(obj, f):
    """Write obj (a state dict or nested dicts/lists of tensors and plain values) to a path or binary file."""
    arrays = []
    structure = json.dumps(_encode(obj, arrays))
    payload = {f"a{i}": a for i, a in enumerate(arrays)}
    payload["structure"] = np.frombuffer(structure.encode(), np.uint8)
    if isinstance(f, (str, bytes)) or hasattr(f, "__fspath__"):
        with open(f, "wb") as fh:
            np.savez(fh, **payload)
    else:
        np.savez(f, **payload)


def load(f, map_location=None, weights_only=True, **kwargs):
    """Read what save() wrote; only arrays and JSON are parsed (no pickle), whatever the file holds."""
    if not (isinstance(f, (str, bytes)) or hasattr(f, "__fspath__")):
        f = io.BytesIO(f.read())
    with np.load(f, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return _decode(json.loads(arrays.pop("structure").tobytes().decode()), arrays)
