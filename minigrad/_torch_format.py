"""PyTorch's checkpoint format (what torch.save writes), written and read with zipfile, pickle and numpy only.

A checkpoint is an uncompressed zip archive with one folder <name>/ holding
  data.pkl          the object tree, pickled (protocol 2). A tensor is the call
                    torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)
                    whose storage is a persistent id ('storage', torch.FloatStorage, key, 'cpu', numel)
  data/<key>        the raw bytes of one storage; tensors viewing the same memory share one storage
  byteorder, version, .format_version, .storage_alignment, .data/serialization_id   short text records
Every record's bytes start on a 64-byte boundary (padding in the zip "extra" field), as torch aligns them, so
torch.load(mmap=True) can map storages in place. Offsets and strides count elements, not bytes.
"""
import pickle
import struct
import sys
import zipfile
import zlib
from collections import OrderedDict

import numpy as np

from . import dtypes
from .device import device
from .nn.module import Parameter
from .tensor import Size, Tensor

_ALIGN = 64
# torch's legacy storage class names: data.pkl names a storage's dtype through them
_STORAGE = {"FloatStorage": dtypes.float32, "DoubleStorage": dtypes.float64, "LongStorage": dtypes.int64,
            "IntStorage": dtypes.int32, "ByteStorage": dtypes.uint8, "BoolStorage": dtypes.bool_}
_STORAGE_NAME = {d.np: name for name, d in _STORAGE.items()}


def _global(module, name):
    return pickle.GLOBAL + f"{module}\n{name}\n".encode()


_EMPTY_ODICT = _global("collections", "OrderedDict") + pickle.EMPTY_TUPLE + pickle.REDUCE  # OrderedDict()


class _Pickler:
    """Pickles an object tree opcode by opcode as torch.save does; tensors name storages it collects.

    Written by hand because pickle.Pickler can only name a global it can import, and minigrad must write
    torch._utils._rebuild_tensor_v2 without torch installed.
    """

    def __init__(self):
        self.out = bytearray()
        self.storages = {}  # id of the array owning the memory -> (key, its elements as a 1-d view)

    def dump(self, obj):
        """Append obj's opcodes; anything but tensors, plain containers and plain values is refused."""
        w = self.out.extend
        if obj is None or isinstance(obj, bool):
            w({None: pickle.NONE, True: pickle.NEWTRUE, False: pickle.NEWFALSE}[obj])
        elif isinstance(obj, int):  # LONG1: length byte, then little-endian two's complement
            b = obj.to_bytes(obj.bit_length() // 8 + 1, "little", signed=True)
            w(pickle.LONG1 + bytes([len(b)]) + b if len(b) < 256 else pickle.LONG4 + struct.pack("<i", len(b)) + b)
        elif isinstance(obj, float):
            w(pickle.BINFLOAT + struct.pack(">d", obj))
        elif isinstance(obj, str):
            b = obj.encode("utf-8", "surrogatepass")
            w(pickle.BINUNICODE + struct.pack("<I", len(b)) + b)
        elif isinstance(obj, Tensor):
            self.tensor(obj)
        elif type(obj) is Size:  # torch.Size((2, 3)), as torch pickles a shape
            w(_global("torch", "Size") + pickle.MARK)
            self.dump(tuple(obj))
            w(pickle.TUPLE + pickle.REDUCE)
        elif type(obj) in (tuple, list):  # MARK items TUPLE, or [] MARK items APPENDS
            w(pickle.MARK if type(obj) is tuple else pickle.EMPTY_LIST + pickle.MARK)
            for x in obj:
                self.dump(x)
            w(pickle.TUPLE if type(obj) is tuple else pickle.APPENDS)
        elif type(obj) in (dict, OrderedDict):
            w((_EMPTY_ODICT if type(obj) is OrderedDict else pickle.EMPTY_DICT) + pickle.MARK)
            for k, v in obj.items():
                self.dump(k)
                self.dump(v)
            w(pickle.SETITEMS)
        else:
            raise TypeError(f"minigrad.save can store tensors, numbers, strings, None, shapes and dicts/OrderedDicts/"
                            f"lists/tuples of them, not {type(obj).__name__}" + (
                                " (save model.state_dict() instead of the model)" if hasattr(obj, "state_dict")
                                else " (wrap numpy arrays with minigrad.from_numpy)" if isinstance(obj, np.ndarray)
                                else ""))

    def tensor(self, t):
        """_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks); parameters wrap it."""
        key, numel, offset, stride = self.storage(t._data)
        param = isinstance(t, Parameter)
        w = self.out.extend
        if param:
            w(_global("torch._utils", "_rebuild_parameter") + pickle.MARK)
        w(_global("torch._utils", "_rebuild_tensor_v2") + pickle.MARK + pickle.MARK)
        self.dump("storage")
        w(_global("torch", _STORAGE_NAME[t._data.dtype]))
        for x in (key, "cpu", numel):
            self.dump(x)
        w(pickle.TUPLE + pickle.BINPERSID)
        for x in (offset, tuple(t._data.shape), stride, bool(t.requires_grad) and not param):
            self.dump(x)
        w(_EMPTY_ODICT + pickle.TUPLE + pickle.REDUCE)  # no backward hooks
        if param:
            self.dump(bool(t.requires_grad))
            w(_EMPTY_ODICT + pickle.TUPLE + pickle.REDUCE)

    def storage(self, a):
        """(key, numel, element offset, element strides) of the storage array a views, registered once."""
        owner = a
        while isinstance(owner.base, np.ndarray):  # numpy views keep the array whose memory they use as .base
            owner = owner.base
        item = a.itemsize
        offset = a.__array_interface__["data"][0] - owner.__array_interface__["data"][0]
        shareable = (a.size and owner.dtype == a.dtype and (owner.flags.c_contiguous or owner.flags.f_contiguous)
                     and offset % item == 0 and all(s >= 0 and s % item == 0 for s in a.strides))
        if not shareable:  # a layout torch cannot express (negative strides, a reinterpreted dtype): copy it
            owner = a = np.ascontiguousarray(a)
            offset = 0
        if id(owner) not in self.storages:  # holding owner's view keeps its id from being reused meanwhile
            self.storages[id(owner)] = (str(len(self.storages)), owner.ravel(order="K"))
        key, flat = self.storages[id(owner)]
        # numpy gives empty arrays zero strides; torch gives them contiguous ones (sizes 0 counted as 1)
        stride = [s // item for s in a.strides] if a.size else [int(np.prod(np.maximum(a.shape[i + 1:], 1)))
                                                                for i in range(a.ndim)]
        return key, flat.size, offset // item, tuple(stride)


def _write_record(zf, name, data):
    """Store one record whose bytes start on a 64-byte boundary: torch's "FB" extra field pads the header."""
    data = memoryview(data).cast("B")
    info = zipfile.ZipInfo(name)  # dated 1980-01-01, like torch's records
    info.file_size = len(data)
    zip64 = len(data) * 1.05 > zipfile.ZIP64_LIMIT  # zipfile then adds a 20-byte zip64 field after ours
    start = zf.fp.tell() + 30 + len(name.encode()) + 4 + (20 if zip64 else 0)  # 30: fixed local header size
    pad = -start % _ALIGN
    info.extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
    with zf.open(info, "w", force_zip64=zip64) as out:
        out.write(data)


def write(obj, fileobj, archive):
    """Write obj as torch.save's zip archive to a binary file object; archive names the folder inside."""
    p = _Pickler()
    p.dump(obj)
    p.out.extend(pickle.STOP)
    with zipfile.ZipFile(fileobj, "w", zipfile.ZIP_STORED) as zf:
        records = [("data.pkl", pickle.PROTO + b"\x02" + p.out), (".format_version", b"1"),
                   (".storage_alignment", str(_ALIGN).encode()), ("byteorder", sys.byteorder.encode())]
        records += [(f"data/{key}", flat.view(np.uint8)) for key, flat in p.storages.values()]
        for name, data in records + [("version", b"3\n")]:
            _write_record(zf, f"{archive}/{name}", data)
        # torch derives this id from record names and CRCs; readers do not check it
        names = zlib.crc32("".join(i.filename for i in zf.infolist()).encode())
        crcs = zlib.crc32(b"".join(struct.pack("<I", i.CRC) for i in zf.infolist()))
        _write_record(zf, f"{archive}/.data/serialization_id", f"{names:020d}{crcs:020d}".encode())


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks, metadata=None):
    """A tensor viewing storage, as torch._utils._rebuild_tensor_v2 builds it (numpy checks the bounds)."""
    if backward_hooks or metadata:
        raise pickle.UnpicklingError("minigrad.load cannot restore tensors saved with backward hooks or metadata")
    i = storage.itemsize
    arr = np.ndarray(tuple(size), storage.dtype, buffer=storage, offset=storage_offset * i,
                     strides=tuple(s * i for s in stride))
    return Tensor(arr, requires_grad=bool(requires_grad))


def _rebuild_parameter(data, requires_grad, backward_hooks):
    """An nn.Parameter sharing data's array, as torch._utils._rebuild_parameter builds it."""
    if backward_hooks:
        raise pickle.UnpicklingError("minigrad.load cannot restore parameters saved with backward hooks")
    return Parameter(data._data, requires_grad=requires_grad)


class _StorageType(str):
    """What data.pkl's torch.FloatStorage (etc.) becomes: the name, in a type pickle's BUILD cannot modify."""
    __slots__ = ()


_REBUILD = {"torch._utils._rebuild_tensor_v2": _rebuild_tensor_v2,
            "torch._utils._rebuild_parameter": _rebuild_parameter}


class _Unpickler(pickle.Unpickler):
    """Rebuilds data.pkl into minigrad tensors; storages are read from the archive once each."""

    def __init__(self, zf, prefix, filename, map_location, weights_only):
        super().__init__(zf.open(prefix + "data.pkl"))
        self.zf, self.prefix, self.filename = zf, prefix, filename
        self.map_location, self.weights_only, self.storages = map_location, weights_only, {}
        order = f"{prefix}byteorder"
        self.byteorder = zf.read(order).decode() if order in zf.namelist() else "little"  # old files: little

    def find_class(self, module, name):
        """Only tensor rebuilding, storage types, OrderedDict and Size: any other global is refused before it runs.

        What it returns is fresh or immutable: pickle's BUILD opcode sets attributes on whatever a global
        resolved to, and must not reach minigrad's own functions.
        """
        rebuild = _REBUILD.get(f"{module}.{name}")
        if rebuild is not None:
            return lambda *args: rebuild(*args)
        if (module, name) == ("collections", "OrderedDict"):
            return OrderedDict
        if (module, name) == ("torch", "Size"):
            return lambda *args: Size(*args)
        if module == "torch" and name in _STORAGE:
            return _StorageType(name)
        if module == "torch" and name.endswith("Storage"):
            raise TypeError(f"{self.filename} holds a torch.{name} tensor; minigrad has float32, float64, int64, "
                            f"int32, uint8 and bool tensors only: convert it in PyTorch before saving (e.g. .float())")
        if not self.weights_only and module.split(".")[0] != "torch":
            return super().find_class(module, name)  # weights_only=False: the caller trusts the file
        why = "unpickling it could execute arbitrary code" if self.weights_only else "minigrad has no PyTorch objects"
        raise pickle.UnpicklingError(
            f"Weights only load failed: {self.filename} needs the global {module}.{name}, which minigrad.load does "
            f"not run ({why}). minigrad.load restores tensors, numbers, strings and dicts/lists/tuples of them: "
            f"save `model.state_dict()` instead of the model object.")

    def persistent_load(self, pid):
        """The storage array named by a ('storage', dtype, key, location, numel) id; the same key, the same array."""
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage" and type(pid[1]) is _StorageType):
            raise pickle.UnpicklingError(f"{self.filename}: unsupported persistent id {pid!r} in data.pkl")
        _, storage_type, key, location, numel = pid
        dt = _STORAGE[storage_type]
        if key not in self.storages:
            raw = self.zf.read(f"{self.prefix}data/{key}")
            if len(raw) != numel * dt.itemsize:
                raise RuntimeError(f"{self.filename}: storage {key} has {len(raw)} bytes, expected {numel} "
                                   f"{dt.name} elements")
            arr = np.frombuffer(bytearray(raw), dt.np.newbyteorder("<" if self.byteorder == "little" else ">"))
            self.storages[key] = self.restore(arr.astype(dt.np, copy=False), str(location))
        return self.storages[key]

    def restore(self, storage, location):
        """Apply map_location: a device, a {saved: target} dict or a callable; anything but the CPU raises."""
        m = self.map_location
        if callable(m):
            result = m(storage, location)
            if result is not None:
                if not isinstance(result, np.ndarray):
                    raise TypeError(f"map_location returned {type(result).__name__}; minigrad storages are numpy "
                                    f"arrays on the CPU (return the storage it was given)")
                return result
            m = None
        target = location if m is None else m.get(location, location) if isinstance(m, dict) else m
        if m is None and not location.startswith("cpu"):
            raise RuntimeError(f"{self.filename} holds tensors saved on '{location}', and minigrad runs on the CPU "
                               f"only: load it with map_location='cpu'")
        device(target)  # raises minigrad's device error for anything but the CPU
        return storage


def read(zf, filename, map_location=None, weights_only=True):
    """The object tree of an opened torch.save archive (its records lie in one folder, named after the file)."""
    prefix = next(n for n in zf.namelist() if n.endswith("/data.pkl"))[:-len("data.pkl")]
    return _Unpickler(zf, prefix, filename, map_location, weights_only).load()
