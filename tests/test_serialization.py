"""minigrad.save/load against torch.save/torch.load: the same file format both ways, safe loading, atomic saves."""
import contextlib
import io
import json
import os
import pickle
import struct
import subprocess
import sys
import zipfile
from collections import Counter, OrderedDict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import minigrad
import minigrad.nn as nn
from minigrad import _torch_format

torch = pytest.importorskip("torch")

DTYPES = ["float32", "float64", "int64", "int32", "uint8", "bool"]
ROOT = Path(__file__).resolve().parents[1]


def views(lib, dtype):
    """Tensors of one library covering the layouts a checkpoint must keep: 0-d, views with offsets and strides."""
    base = lib.tensor(np.arange(24).reshape(2, 3, 4) % 5).to(getattr(lib, dtype))
    return {"base": base, "zero_d": base[1, 2, 3, ...], "row": base[1], "strided": base[:, 1:, ::2],
            "transposed": base.transpose(0, 2), "column": base[0, :, 1], "solo": base[0, 0, 0:1].clone(),
            "empty": base[:, :0]}


def torch_storage(t):
    return t.untyped_storage().data_ptr()


def check_same(mg, th):
    """Values, dtype, shape, element strides and offset of a minigrad tensor equal a torch tensor's."""
    a = mg._data
    assert str(th.dtype) == f"torch.{mg.dtype.name}" and tuple(th.shape) == a.shape
    np.testing.assert_array_equal(a, th.numpy())
    if th.numel():
        assert tuple(s // a.itemsize for s in a.strides) == th.stride()
        base = a
        while isinstance(base.base, np.ndarray):
            base = base.base
        offset = a.__array_interface__["data"][0] - base.__array_interface__["data"][0]
        assert offset // a.itemsize == th.storage_offset()
    assert bool(mg.requires_grad) == th.requires_grad


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mmap", [False, True])
def test_minigrad_to_torch_every_dtype_and_layout(tmp_path, dtype, mmap):
    ts = views(minigrad, dtype)
    minigrad.save(ts, tmp_path / "m.pt")
    got = torch.load(tmp_path / "m.pt", weights_only=True, mmap=mmap)
    assert list(got) == list(ts)
    for k in ts:
        check_same(ts[k], got[k])
    shared = {k for k in ts if k not in ("solo", "empty")}  # views of base load as views of one storage
    assert len({torch_storage(got[k]) for k in shared}) == 1
    assert torch_storage(got["solo"]) != torch_storage(got["base"])
    assert got["empty"].stride() == torch.empty(got["empty"].shape).stride()  # torch's strides, not numpy's 0s
    with zipfile.ZipFile(tmp_path / "m.pt") as zf:  # one storage for all views, one for the clone, one empty
        assert sorted(n for n in zf.namelist() if "/data/" in n) == ["m/data/0", "m/data/1", "m/data/2"]


def data_offsets(path):
    """Where each record's bytes start, read from the zip's local headers (their extra field may pad)."""
    raw = Path(path).read_bytes()
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    return {i.filename: i.header_offset + 30 + sum(struct.unpack("<HH", raw[i.header_offset + 26:i.header_offset + 30]))
            for i in infos}


@pytest.mark.parametrize("zip64", [False, True])
def test_records_aligned_like_torch(tmp_path, monkeypatch, zip64):
    """Every record starts on a 64-byte boundary, as torch writes them, also in zip64 form (big storages)."""
    obj = {"a": minigrad.ones(100), "b": minigrad.arange(7), "name": "x" * 33}
    torch.save({k: torch.tensor(v.numpy()) if hasattr(v, "numpy") else v for k, v in obj.items()}, tmp_path / "t.pt")
    if zip64:  # records over the limit get zip64 headers; 300 bytes stands in for 4 GiB
        monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 300)
    minigrad.save(obj, tmp_path / "m.pt")
    offsets = data_offsets(tmp_path / "m.pt")
    assert all(o % 64 == 0 for o in offsets.values())
    assert all(o % 64 == 0 for o in data_offsets(tmp_path / "t.pt").values())
    assert [n.split("/", 1)[1] for n in offsets] == [n.split("/", 1)[1] for n in data_offsets(tmp_path / "t.pt")]
    got = torch.load(tmp_path / "m.pt", weights_only=True, mmap=True)
    assert got["a"].tolist() == [1.0] * 100 and got["b"].tolist() == list(range(7)) and got["name"] == "x" * 33
    assert minigrad.load(tmp_path / "m.pt")["a"].tolist() == [1.0] * 100


@pytest.mark.parametrize("dtype", DTYPES)
def test_torch_to_minigrad_every_dtype_and_layout(tmp_path, dtype):
    ts = views(torch, dtype)
    torch.save(ts, tmp_path / "t.pt")
    got = minigrad.load(tmp_path / "t.pt")
    for k in ts:
        assert type(got[k]) is minigrad.Tensor
        check_same(got[k], ts[k])
    for k in ("zero_d", "row", "strided", "transposed", "column"):
        assert np.shares_memory(got[k]._data, got["base"]._data)
    assert not np.shares_memory(got["solo"]._data, got["base"]._data)
    got["base"][0, 0, 0] = 1  # shared storage loads writable and shared, as in torch
    assert got["base"]._data.flags.writeable and got["zero_d"]._data.flags.writeable


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3), dtype=st.sampled_from(DTYPES), data=st.data())
def test_random_views_survive_both_directions(shape, dtype, data):
    n = int(np.prod(shape))
    base = minigrad.tensor((np.arange(n) * 7 % 5).reshape(shape)).to(getattr(minigrad, dtype))
    index = tuple(slice(data.draw(st.integers(0, s - 1)), None, data.draw(st.integers(1, 2))) for s in shape)
    view = base[index]
    buf = io.BytesIO()
    minigrad.save([base, view], buf)
    buf.seek(0)
    t_base, t_view = torch.load(buf, weights_only=True)
    check_same(view, t_view)
    assert torch_storage(t_view) == torch_storage(t_base)
    buf = io.BytesIO()
    torch.save([t_view, t_base], buf)
    buf.seek(0)
    m_view, m_base = minigrad.load(buf)
    check_same(m_view, t_view)
    assert np.shares_memory(m_view._data, m_base._data)


def test_containers_and_values_both_ways(tmp_path):
    def tree(lib):
        return {"epoch": 3, "loss": 0.25, "name": "run", "flags": [True, False, None], "shape": (2, 3),
                "big": 2**70, "neg": -7, "nan": float("nan"), 5: "int key", "unicode": "ü→",
                "od": OrderedDict([("b", lib.ones(2)), ("a", [lib.zeros(1), (1, "x")])]), "empty": ({}, [], ()),
                "size": lib.ones(2, 3).shape}

    def same(a, b):
        if hasattr(a, "dtype"):  # a tensor of either library
            assert str(a.dtype).split(".")[-1] == str(b.dtype).split(".")[-1]
            np.testing.assert_array_equal(a.numpy(), b.numpy())
            return
        assert type(a) is type(b)
        if isinstance(a, dict):
            assert list(a) == list(b)
            for k in a:
                same(a[k], b[k])
        elif isinstance(a, (list, tuple)):
            assert len(a) == len(b)
            for x, y in zip(a, b):
                same(x, y)
        else:
            assert a == b or (a != a and b != b)  # nan == nan here

    minigrad.save(tree(minigrad), tmp_path / "m.pt")
    same(torch.load(tmp_path / "m.pt", weights_only=True), tree(torch))
    torch.save(tree(torch), tmp_path / "t.pt")
    same(minigrad.load(tmp_path / "t.pt"), tree(minigrad))
    same(minigrad.load(tmp_path / "m.pt"), tree(minigrad))


def test_parameters_load_as_parameters_both_ways(tmp_path):
    minigrad.save({"p": nn.Parameter(minigrad.ones(2)), "frozen": nn.Parameter(minigrad.ones(1), requires_grad=False),
                   "leaf": minigrad.ones(3, requires_grad=True)}, tmp_path / "m.pt")
    t = torch.load(tmp_path / "m.pt", weights_only=True)
    assert type(t["p"]) is torch.nn.Parameter and t["p"].requires_grad
    assert type(t["frozen"]) is torch.nn.Parameter and not t["frozen"].requires_grad
    assert type(t["leaf"]) is torch.Tensor and t["leaf"].requires_grad
    torch.save(t, tmp_path / "t.pt")
    m = minigrad.load(tmp_path / "t.pt")
    assert type(m["p"]) is nn.Parameter and m["p"].requires_grad and not m["frozen"].requires_grad
    assert type(m["leaf"]) is minigrad.Tensor and m["leaf"].requires_grad


def test_build_opcode_cannot_touch_minigrad(tmp_path):
    """pickle's BUILD sets attributes on what a global resolved to: never on minigrad's own objects."""
    def evil_load(target, state):
        # BUILD(global, (None, {state: None})): setattr(global, state, None)
        body = (pickle.GLOBAL + target + pickle.NONE + pickle.EMPTY_DICT + pickle.BINUNICODE
                + struct.pack("<I", len(state)) + state + pickle.NONE + pickle.SETITEM + pickle.TUPLE2 + pickle.BUILD
                + pickle.STOP)
        with zipfile.ZipFile(tmp_path / "evil.pt", "w") as zf:
            zf.writestr("evil/data.pkl", pickle.PROTO + b"\x02" + body)
        with contextlib.suppress(Exception):
            minigrad.load(tmp_path / "evil.pt")

    evil_load(b"torch._utils\n_rebuild_tensor_v2\n", b"__defaults__")
    evil_load(b"torch._utils\n_rebuild_parameter\n", b"__doc__")
    evil_load(b"torch\nFloatStorage\n", b"upper")
    evil_load(b"collections\nOrderedDict\n", b"fromkeys")
    assert _torch_format._rebuild_tensor_v2.__defaults__ == (None,)
    assert _torch_format._rebuild_parameter.__doc__ is not None
    assert OrderedDict.fromkeys("a") == {"a": None}
    minigrad.save({"w": minigrad.ones(2)}, tmp_path / "ok.pt")
    assert minigrad.load(tmp_path / "ok.pt")["w"].tolist() == [1.0, 1.0]


def make_mlp(lib, seed):
    """The same float64 MLP in either library, weights drawn by numpy."""
    rng = np.random.default_rng(seed)
    m = lib.nn.Sequential(lib.nn.Linear(3, 5), lib.nn.Tanh(), lib.nn.Linear(5, 2)).double()
    for p in m.parameters():
        p.data = lib.tensor(rng.standard_normal(tuple(p.shape)))
    return m


def train(lib, model, opt, steps, seed):
    rng = np.random.default_rng(seed)
    loss = None
    for _ in range(steps):
        x, y = lib.tensor(rng.standard_normal((8, 3))), lib.tensor(rng.standard_normal((8, 2)))
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
    return loss.item()


@pytest.mark.parametrize("opt", [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(lr=0.05, betas=(0.8, 0.9)))])
@pytest.mark.parametrize("first,second", [(minigrad, torch), (torch, minigrad)], ids=["mg->torch", "torch->mg"])
def test_training_continues_in_the_other_library(tmp_path, opt, first, second):
    """Train 3 steps, checkpoint, go on 4 steps in the other library: the same as going on in the first.

    Compared to 1e-12, not bitwise: the two libraries' BLAS sum in different orders. The checkpoint itself
    carries every bit (the round-trip tests above).
    """
    name, kw = opt
    model = make_mlp(first, 0)
    optimizer = getattr(first.optim, name)(model.parameters(), **kw)
    loss = train(first, model, optimizer, 3, seed=1)
    save = minigrad.save if first is minigrad else torch.save
    save({"epoch": 3, "model": model.state_dict(), "optimizer": optimizer.state_dict(), "loss": loss},
         tmp_path / "ckpt.pt")
    reference = train(first, model, optimizer, 4, seed=2), [p.detach().numpy().copy() for p in model.parameters()]

    ckpt = minigrad.load(tmp_path / "ckpt.pt") if second is minigrad else torch.load(tmp_path / "ckpt.pt")
    assert ckpt["epoch"] == 3 and ckpt["loss"] == loss
    model2 = make_mlp(second, 99)
    model2.load_state_dict(ckpt["model"])
    optimizer2 = getattr(second.optim, name)(model2.parameters(), **kw)
    optimizer2.load_state_dict(ckpt["optimizer"])
    continued = train(second, model2, optimizer2, 4, seed=2), [p.detach().numpy() for p in model2.parameters()]
    np.testing.assert_allclose(continued[0], reference[0], rtol=1e-12)
    for a, b in zip(continued[1], reference[1]):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


class MakesFile:
    """Unpickling this creates a file: the side effect a refused load must not have."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_malicious_checkpoint_refused_before_it_runs(tmp_path):
    marker = tmp_path / "pwned"
    torch.save({"weights": torch.ones(2), "evil": MakesFile(str(marker))}, tmp_path / "evil.pt")
    with pytest.raises(pickle.UnpicklingError, match=r"global io\.open.*state_dict\(\)"):
        minigrad.load(tmp_path / "evil.pt")
    assert not marker.exists()
    (tmp_path / "bare.pt").write_bytes(pickle.dumps(MakesFile(str(marker))))  # the same as a bare pickle
    with pytest.raises(pickle.UnpicklingError, match="bare pickle"):
        minigrad.load(tmp_path / "bare.pt")
    assert not marker.exists()
    torch.load(tmp_path / "evil.pt", weights_only=False)  # the file really does it when trusted
    assert marker.exists()


def test_weights_only_false_trusts_other_globals(tmp_path):
    torch.save({"count": Counter("aab"), "w": torch.ones(1)}, tmp_path / "c.pt")
    with pytest.raises(pickle.UnpicklingError, match="collections.Counter"):
        minigrad.load(tmp_path / "c.pt")
    assert minigrad.load(tmp_path / "c.pt", weights_only=False)["count"] == Counter("aab")
    torch.save(torch.nn.Linear(1, 1), tmp_path / "m.pt")
    with pytest.raises(pickle.UnpicklingError, match="torch.nn.modules.linear.Linear"):  # minigrad cannot build it
        minigrad.load(tmp_path / "m.pt", weights_only=False)


def test_pickled_module_refused_with_state_dict_advice(tmp_path):
    torch.save(torch.nn.Linear(2, 1), tmp_path / "model.pt")
    with pytest.raises(pickle.UnpicklingError, match=r"torch\.nn\.modules\.linear\.Linear.*model\.state_dict\(\)"):
        minigrad.load(tmp_path / "model.pt")
    with pytest.raises(pickle.UnpicklingError):  # torch refuses it too
        torch.load(tmp_path / "model.pt", weights_only=True)


def test_unsupported_torch_dtype_named(tmp_path):
    torch.save({"h": torch.ones(2, dtype=torch.float16)}, tmp_path / "h.pt")
    with pytest.raises(TypeError, match="HalfStorage"):
        minigrad.load(tmp_path / "h.pt")


def test_bad_files_name_the_file_and_what_was_expected(tmp_path):
    good = tmp_path / "good.pt"
    minigrad.save({"w": minigrad.ones(64)}, good)
    cases = {"empty.pt": (b"", EOFError, "is empty"),
             "truncated.pt": (good.read_bytes()[:300], RuntimeError, "truncated or corrupted"),
             "text.pt": (b"hello world", pickle.UnpicklingError, "not a zip archive"),
             "bare.pt": (pickle.dumps({"w": 1}), pickle.UnpicklingError, "bare pickle")}
    for name, (data, cls, words) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(cls, match=rf"{name}.*{words}.*expected a checkpoint"):
            minigrad.load(tmp_path / name)
    with zipfile.ZipFile(tmp_path / "plain.zip", "w") as zf:
        zf.writestr("readme.txt", "hi")
    with pytest.raises(RuntimeError, match="plain.zip.*without data.pkl"):
        minigrad.load(tmp_path / "plain.zip")
    flipped = bytearray(good.read_bytes())  # a flipped bit inside the storage: the CRC check catches it
    flipped[good.read_bytes().index(np.ones(64, np.float32).tobytes()) + 5] ^= 1
    (tmp_path / "flipped.pt").write_bytes(bytes(flipped))
    with pytest.raises(RuntimeError, match="flipped.pt.*corrupted"):
        minigrad.load(tmp_path / "flipped.pt")


def test_failed_load_leaves_the_model_alone(tmp_path):
    model = nn.Linear(3, 2)
    before = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    (tmp_path / "bad.pt").write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(RuntimeError):
        model.load_state_dict(minigrad.load(tmp_path / "bad.pt"))
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), before[k])


def test_failed_state_dict_load_changes_nothing():
    """Every key is checked before any value is copied (torch copies the good ones, then raises)."""
    model = nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 1))
    before = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    bad = {k: minigrad.zeros(*v.shape) for k, v in model.state_dict().items()}
    bad["1.bias"] = minigrad.zeros(2)
    with pytest.raises(RuntimeError, match=r"size mismatch for 1\.bias"):
        model.load_state_dict(bad)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), before[k])
    opt = minigrad.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(minigrad.ones(1, 3)).sum().backward()
    opt.step()
    saved = opt.state_dict()
    state = {i: {"momentum_buffer": minigrad.zeros(*s["momentum_buffer"].shape)} for i, s in saved["state"].items()}
    state[3] = {"momentum_buffer": "not a number"}
    with pytest.raises(ValueError):
        opt.load_state_dict({"state": state, "param_groups": saved["param_groups"]})
    assert all(s["momentum_buffer"].abs().sum().item() > 0 for s in opt.state_dict()["state"].values())


def rewrite(path, out, changes):
    """Copy a checkpoint's records to out, passing those named in changes through their function."""
    with zipfile.ZipFile(path) as zf:
        records = {n: zf.read(n) for n in zf.namelist()}
    with zipfile.ZipFile(out, "w") as zf:
        for n, data in records.items():
            zf.writestr(n, changes.get(n, lambda b: b)(data))


def test_big_endian_files_and_pickle_protocol_4(tmp_path):
    """Files from a big-endian machine (byteorder record 'big') and torch.save(pickle_protocol=4) load too."""
    minigrad.save({"w": minigrad.arange(4.), "i": minigrad.tensor([1, -2])}, tmp_path / "le.pt")
    swap = {"le/byteorder": lambda b: b"big",
            "le/data/0": lambda b: np.frombuffer(b, "<f4").astype(">f4").tobytes(),
            "le/data/1": lambda b: np.frombuffer(b, "<i8").astype(">i8").tobytes()}
    rewrite(tmp_path / "le.pt", tmp_path / "be.pt", swap)
    for got in (minigrad.load(tmp_path / "be.pt"), torch.load(tmp_path / "be.pt", weights_only=True)):
        assert got["w"].tolist() == [0.0, 1.0, 2.0, 3.0] and got["i"].tolist() == [1, -2]
    torch.save({"a": torch.arange(3.), "n": [1, "x"]}, tmp_path / "p4.pt", pickle_protocol=4)
    got = minigrad.load(tmp_path / "p4.pt")
    assert got["a"].tolist() == [0.0, 1.0, 2.0] and got["n"] == [1, "x"]


def test_map_location(tmp_path):
    path = tmp_path / "m.pt"
    minigrad.save({"w": minigrad.arange(3.)}, path)
    for m in (None, "cpu", minigrad.device("cpu"), torch.device("cpu"), {"cpu": "cpu"}, lambda s, loc: s,
              lambda s, loc: None):
        assert minigrad.load(path, map_location=m)["w"].tolist() == [0.0, 1.0, 2.0]
    with pytest.raises(RuntimeError, match="CPU only"):
        minigrad.load(path, map_location="cuda")
    # a checkpoint saved on a GPU: torch on a CPU-only machine asks for map_location too
    rewrite(path, tmp_path / "gpu.pt", {"m/data.pkl": lambda b: b.replace(b"X\x03\x00\x00\x00cpu",
                                                                          b"X\x06\x00\x00\x00cuda:0")})
    with pytest.raises(RuntimeError, match="cuda:0.*map_location='cpu'"):
        minigrad.load(tmp_path / "gpu.pt")
    for m in ("cpu", {"cuda:0": "cpu"}):
        assert minigrad.load(tmp_path / "gpu.pt", map_location=m)["w"].tolist() == [0.0, 1.0, 2.0]
        assert torch.load(tmp_path / "gpu.pt", map_location=m)["w"].tolist() == [0.0, 1.0, 2.0]


def test_save_refuses_what_torch_load_would_refuse():
    for obj, words in ((nn.Linear(1, 1), "state_dict"), ({"a": np.ones(2)}, "from_numpy"), ({1, 2}, "set")):
        with pytest.raises(TypeError, match=words):
            minigrad.save(obj, io.BytesIO())


def test_file_objects_and_pathlike(tmp_path):
    buf = io.BytesIO()
    minigrad.save({"w": minigrad.ones(2)}, buf)
    assert zipfile.ZipFile(io.BytesIO(buf.getvalue())).namelist()[0] == "archive/data.pkl"  # torch's name too
    buf.seek(0)
    assert torch.load(buf, weights_only=True)["w"].tolist() == [1.0, 1.0]
    with open(tmp_path / "f.pt", "wb") as fh:
        minigrad.save([minigrad.zeros(1)], fh)
    with open(tmp_path / "f.pt", "rb") as fh:
        assert minigrad.load(fh)[0].tolist() == [0.0]
    minigrad.save(3, str(tmp_path / "s.pt"))
    assert minigrad.load(str(tmp_path / "s.pt")) == 3
    assert sorted(os.listdir(tmp_path)) == ["f.pt", "s.pt"]  # no temporary file left


def test_interrupted_save_keeps_the_old_checkpoint(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.pt"
    minigrad.save({"w": minigrad.ones(3)}, path)
    old = path.read_bytes()
    with pytest.raises(TypeError):  # pickling fails midway: after a tensor, at an object it cannot store
        minigrad.save({"w": minigrad.zeros(3), "model": object()}, path)
    calls = []

    def crash_on_third(*args):
        calls.append(args)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return write_record(*args)

    write_record = _torch_format._write_record
    monkeypatch.setattr(_torch_format, "_write_record", crash_on_third)
    with pytest.raises(KeyboardInterrupt):  # stopped while the zip is half written
        minigrad.save({"w": minigrad.zeros(3)}, path)
    assert path.read_bytes() == old and os.listdir(tmp_path) == ["ckpt.pt"]
    assert minigrad.load(path)["w"].tolist() == [1.0, 1.0, 1.0]


def test_killed_save_keeps_the_old_checkpoint(tmp_path):
    """A process killed midway (no cleanup runs at all) still leaves the previous checkpoint whole."""
    path = tmp_path / "ckpt.pt"
    minigrad.save({"w": minigrad.ones(3)}, path)
    old = path.read_bytes()
    code = ("import os, minigrad; from minigrad import _torch_format as f\n"
            "def die(zf, name, data):\n    os._exit(7) if name.endswith('data/0') else write(zf, name, data)\n"
            f"write, f._write_record = f._write_record, die\nminigrad.save({{'w': minigrad.zeros(3)}}, {str(path)!r})")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 7
    assert path.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir() if p.name != "ckpt.pt"][0].startswith(".ckpt.pt.")  # the torn one


def test_load_needs_no_torch(tmp_path):
    t = {"w": torch.arange(6.).reshape(2, 3).t(), "n": OrderedDict(k=torch.tensor([1, 2]))}
    torch.save(t, tmp_path / "t.pt")
    code = ("import sys, json; sys.modules['torch'] = None\nimport minigrad\n"
            f"c = minigrad.load({str(tmp_path / 't.pt')!r})\n"
            "assert 'torch' not in [m.split('.')[0] for m in sys.modules if sys.modules[m]]\n"
            "print(json.dumps([c['w'].tolist(), c['n']['k'].tolist(), type(c['n']).__name__]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [t["w"].tolist(), [1, 2], "OrderedDict"]


def legacy_save(obj, path):
    """The npz + JSON format minigrad.save wrote before it used torch's format."""
    arrays = []

    def enc(o):
        if isinstance(o, minigrad.Tensor):
            arrays.append(o._data)
            return {"tensor": len(arrays) - 1, "requires_grad": o.requires_grad}
        if isinstance(o, dict):
            return {"odict" if isinstance(o, OrderedDict) else "dict": [[enc(k), enc(v)] for k, v in o.items()]}
        if isinstance(o, (list, tuple)):
            return {"tuple" if isinstance(o, tuple) else "list": [enc(v) for v in o]}
        return {"value": o}

    structure = np.frombuffer(json.dumps(enc(obj)).encode(), np.uint8)
    with open(path, "wb") as fh:
        np.savez(fh, structure=structure, **{f"a{i}": a for i, a in enumerate(arrays)})


def test_files_from_earlier_minigrad_still_load(tmp_path):
    model = nn.Linear(2, 3)
    opt = minigrad.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(minigrad.ones(1, 2)).sum().backward()
    opt.step()
    legacy_save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 1}, tmp_path / "old.pt")
    ckpt = minigrad.load(tmp_path / "old.pt")
    assert ckpt["epoch"] == 1 and isinstance(ckpt["model"], OrderedDict)
    fresh = nn.Linear(2, 3)
    fresh.load_state_dict(ckpt["model"])
    for a, b in zip(fresh.parameters(), model.parameters()):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    assert ckpt["optimizer"]["state"][0]["momentum_buffer"].shape == (3, 2)
