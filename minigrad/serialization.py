"""minigrad.save / minigrad.load: checkpoints in PyTorch's file format (see _torch_format.py), saved atomically."""
import contextlib
import json
import os
import pickle
import secrets
import zipfile
from collections import OrderedDict

import numpy as np

from . import _torch_format
from .tensor import Tensor


def _is_path(f):
    return isinstance(f, (str, bytes)) or hasattr(f, "__fspath__")


def save(obj, f):
    """Write obj (tensors in dicts/OrderedDicts/lists/tuples of numbers, strings, None) as torch.save does.

    A path is replaced atomically: the file is written beside it, fsync'ed, then renamed over it, so a crash
    or an error midway leaves any previous checkpoint intact. A binary file object is written in place.
    """
    if not _is_path(f):
        if not hasattr(f, "write"):
            raise AttributeError("expected 'f' to be string, path, or a file-like object with a 'write' attribute")
        _torch_format.write(obj, f, "archive")  # torch's folder name for file objects
        if hasattr(f, "flush"):
            f.flush()
        return
    path = os.fsdecode(f)
    folder, base = os.path.split(os.path.abspath(path))
    if not os.path.isdir(folder):  # checked first: the error would otherwise name the temporary file
        raise RuntimeError(f"Parent directory {os.path.dirname(path)} does not exist.")
    if os.path.isdir(path):
        raise RuntimeError(f"open file failed with strerror: Is a directory: {path!r} (expected a file path)")
    tmp = os.path.join(folder, f".{base}.{secrets.token_hex(4)}.tmp")  # same folder: os.replace stays atomic
    try:
        with open(tmp, "xb") as fh:
            _torch_format.write(obj, fh, os.path.splitext(base)[0] or "archive")  # torch names the folder so
            fh.flush()
            os.fsync(fh.fileno())  # the bytes are on disk before the name points at them
        os.replace(tmp, path)
    except BaseException:  # including KeyboardInterrupt: never leave the temporary file behind
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def load(f, map_location=None, weights_only=True):
    """Read a checkpoint written by torch.save or minigrad.save (or an older minigrad's npz) into minigrad tensors.

    Only tensors, numbers, strings, None and dicts/OrderedDicts/lists/tuples are rebuilt: any other global in
    the file is refused before it runs (pickle.UnpicklingError). weights_only=False admits non-torch globals
    (only for files you trust). map_location: 'cpu', a device, a {saved: target} dict or a callable.
    """
    if not (map_location is None or isinstance(map_location, (str, dict)) or callable(map_location)
            or hasattr(map_location, "type")):  # a device; torch calls anything else
        raise TypeError(f"'{type(map_location).__name__}' object is not callable")
    name = repr(os.fsdecode(f)) if _is_path(f) else getattr(f, "name", "the file object")
    expected = "expected a checkpoint written by torch.save or minigrad.save (a zip archive)"
    with open(f, "rb") if _is_path(f) else contextlib.nullcontext(f) as fh:
        start = fh.tell()
        head = fh.read(4)
        fh.seek(start)
        if not head:
            raise EOFError(f"{name} is empty: {expected}")
        if head != b"PK\x03\x04":
            kind = "a bare pickle" if head[:1] == pickle.PROTO else "not a zip archive"
            raise pickle.UnpicklingError(f"{name} is {kind}: {expected}. minigrad.load does not unpickle bare "
                                         f"pickles (they can run code) nor read torch's pre-1.6 format")
        try:
            with zipfile.ZipFile(fh) as zf:
                names = zf.namelist()
                if any(n.endswith("/data.pkl") for n in names):
                    return _torch_format.read(zf, name, map_location, weights_only)
                if "structure.npy" in names:
                    fh.seek(start)
                    return _load_npz(fh)
        except zipfile.BadZipFile as e:
            raise RuntimeError(f"{name} is truncated or corrupted ({e}): {expected}, saved completely") from None
    raise RuntimeError(f"{name} is a zip archive without data.pkl: {expected}")


def _load_npz(fh):
    """What minigrad wrote before it used torch's format: arrays in an npz, the structure as JSON."""
    with np.load(fh, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    kinds = {"dict": dict, "odict": OrderedDict, "list": list, "tuple": tuple}

    def decode(node):
        kind, v = next(iter(node.items()))
        if kind in ("tensor", "ndarray"):
            a = arrays[f"a{v}"]
            return Tensor(a, requires_grad=node["requires_grad"]) if kind == "tensor" else a
        if kind in ("dict", "odict"):
            return kinds[kind]((decode(k), decode(x)) for k, x in v)
        return kinds[kind](decode(x) for x in v) if kind in kinds else v

    return decode(json.loads(arrays.pop("structure").tobytes().decode()))
