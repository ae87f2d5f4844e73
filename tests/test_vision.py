"""minigrad.vision against torchvision: FashionMNIST on the shared copy, transforms, make_grid, save_image, download."""
import gzip
import hashlib
import http.server
import os
import re
import shutil
import struct
import threading
import types

import numpy as np
import pytest
import torch
import torchvision
import torchvision.transforms as tT
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

import minigrad
import minigrad.vision as mv
from conftest import data_root, fashion_mnist_root, needs_data
from minigrad.vision import datasets as mdatasets
from minigrad.vision import transforms as mT

RAW = data_root() / "FashionMNIST" / "raw"
FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]


@pytest.fixture(scope="session")
def unzipped_root(tmp_path_factory):
    """The shared copy gunzipped into torchvision's layout (torchvision reads uncompressed files)."""
    fashion_mnist_root()  # skips (before any unzipping) without the copy
    root = tmp_path_factory.mktemp("fashion")
    (root / "FashionMNIST" / "raw").mkdir(parents=True)
    for f in FILES:
        with gzip.open(RAW / f"{f}.gz") as src, open(root / "FashionMNIST" / "raw" / f, "wb") as dst:
            shutil.copyfileobj(src, dst)
    return root


def lecture_transforms(lib):
    return lib.Compose([lib.ToTensor(), lib.Normalize((0.5,), (0.5,))])


@pytest.fixture(scope="module", params=[True, False], ids=["train", "test"])
def pair_of_sets(request, unzipped_root):
    """(minigrad set read from the shared .gz files, torchvision set from the unzipped copy) for one split."""
    m = mv.datasets.FashionMNIST(fashion_mnist_root(), train=request.param, transform=lecture_transforms(mT))
    t = torchvision.datasets.FashionMNIST(str(unzipped_root), train=request.param, transform=lecture_transforms(tT))
    return m, t


def test_data_targets_classes_match_torchvision(pair_of_sets):
    m, t = pair_of_sets
    assert len(m) == len(t) and m.classes == t.classes
    assert m.data.dtype == minigrad.uint8 and m.targets.dtype == minigrad.int64
    np.testing.assert_array_equal(m.data.numpy(), t.data.numpy())
    np.testing.assert_array_equal(m.targets.numpy(), t.targets.numpy())


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_items_match_torchvision(pair_of_sets, data):
    m, t = pair_of_sets
    i = data.draw(st.integers(-len(m), len(m) - 1))
    (mx, my), (tx, ty) = m[i], t[i]
    assert type(my) is int and my == ty
    assert mx.dtype == minigrad.float32 and mx.shape == (1, 28, 28)
    np.testing.assert_array_equal(mx.numpy(), tx.numpy())


@needs_data
def test_raw_and_gz_files_read_alike(unzipped_root):
    gz = mv.datasets.FashionMNIST(str(data_root()), train=False)
    raw = mv.datasets.FashionMNIST(str(unzipped_root), train=False)
    np.testing.assert_array_equal(gz.data.numpy(), raw.data.numpy())
    np.testing.assert_array_equal(gz.targets.numpy(), raw.targets.numpy())
    img, target = raw[0]
    assert isinstance(img, Image.Image) and img.mode == "L" and target == int(raw.targets[0])


@needs_data
def test_without_pillow_items_are_arrays_with_the_same_tensors(monkeypatch):
    ds = mv.datasets.FashionMNIST(str(data_root()), train=False, transform=lecture_transforms(mT))
    with_pil = [ds[i][0].numpy() for i in range(5)]
    monkeypatch.setattr(mdatasets, "_pil_image", lambda: None)
    assert isinstance(mv.datasets.FashionMNIST(str(data_root()), train=False)[0][0], np.ndarray)
    for i in range(5):
        np.testing.assert_array_equal(ds[i][0].numpy(), with_pil[i])


@needs_data
def test_env_var_points_an_empty_root_at_the_copy(tmp_path, monkeypatch):
    monkeypatch.setenv(mdatasets.DATA_ENV, str(data_root()))
    monkeypatch.setattr(mv.datasets.FashionMNIST, "mirrors", ["http://127.0.0.1:9/"])  # any fetch would fail
    ds = mv.datasets.FashionMNIST(str(tmp_path / "data"), train=True, download=True)
    assert len(ds) == 60000  # found on disk: accepted although its md5 is not the official one
    assert not (tmp_path / "data").exists()


def test_missing_files(tmp_path, monkeypatch):
    monkeypatch.delenv(mdatasets.DATA_ENV, raising=False)
    with pytest.raises(RuntimeError, match="Dataset not found. You can use download=True to download it") as e:
        mv.datasets.FashionMNIST(str(tmp_path))
    assert "MINIGRAD_DATA" in str(e.value) and str(tmp_path / "FashionMNIST" / "raw") in str(e.value)
    assert all(f"{f}.gz" in str(e.value) for f in FILES)  # all four, not just the split asked for


def idx(arr):
    """The IDX encoding of a uint8 array."""
    return b"\0\0\x08" + bytes([arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape) + arr.astype(np.uint8).tobytes()


def small_set(n=6, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n).astype(np.uint8)


def write_set(raw, images, labels, prefix="train", gz=True):
    raw.mkdir(parents=True, exist_ok=True)
    for kind, arr in (("images-idx3", images), ("labels-idx1", labels)):
        data = idx(arr)
        path = raw / f"{prefix}-{kind}-ubyte{'.gz' if gz else ''}"
        path.write_bytes(gzip.compress(data) if gz else data)


@pytest.mark.parametrize("gz", [True, False])
def test_reads_generated_idx_files(tmp_path, gz):
    images, labels = small_set()
    write_set(tmp_path / "MNIST" / "raw", images, labels, gz=gz)
    ds = mv.datasets.MNIST(str(tmp_path), transform=mT.ToTensor())
    np.testing.assert_array_equal(ds.data.numpy(), images)
    np.testing.assert_array_equal(ds.targets.numpy(), labels)
    np.testing.assert_array_equal(ds[2][0].numpy()[0], images[2] / np.float32(255))


@pytest.mark.parametrize("damage, message", [
    (lambda b: b[:-5], "truncated or corrupted"),
    (lambda b: b[:6], "truncated or corrupted"),
    (lambda b: b"\0\0\x0b" + b[3:], "bad magic number"),
    (lambda b: gzip.compress(b)[:50], "cannot be read"),
    (lambda b: b"\x1f\x8b" + bytes(40), "cannot be read"),
])
def test_corrupted_files_name_file_and_problem(tmp_path, damage, message):
    images, labels = small_set()
    raw = tmp_path / "MNIST" / "raw"
    write_set(raw, images, labels, gz=False)
    target = raw / "train-images-idx3-ubyte"
    target.write_bytes(damage(target.read_bytes()))
    if message == "cannot be read":
        target.rename(raw / "train-images-idx3-ubyte.gz")
    with pytest.raises(RuntimeError, match=message) as e:
        mv.datasets.MNIST(str(tmp_path))
    assert "train-images-idx3-ubyte" in str(e.value)


def test_image_and_label_counts_must_agree(tmp_path):
    images, labels = small_set()
    write_set(tmp_path / "MNIST" / "raw", images, labels[:4])
    with pytest.raises(RuntimeError, match="holds 6 images but .*train-labels-idx1-ubyte.gz holds 4 labels"):
        mv.datasets.MNIST(str(tmp_path))


# ---- download against a local server --------------------------------------------------------------------------------

@pytest.fixture
def server(monkeypatch):
    """An HTTP server on 127.0.0.1: /ok/<name> serves files, /cut/<name> closes the connection halfway."""
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")
    files, hits = {}, []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            folder, _, name = self.path.rpartition("/")
            if folder not in ("/ok", "/cut") or name not in files:
                return self.send_error(404)
            body = files[name]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body if folder == "/ok" else body[:len(body) // 2])

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield types.SimpleNamespace(url=f"http://127.0.0.1:{srv.server_port}", files=files, hits=hits)
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def published(server, monkeypatch):
    """Small train and test sets served as MNIST's four files, with their md5s as MNIST's resources."""
    monkeypatch.delenv(mdatasets.DATA_ENV, raising=False)
    sets = {"train": small_set(6, 1), "t10k": small_set(3, 2)}
    resources = []
    for prefix, (images, labels) in sets.items():
        for kind, arr in (("images-idx3", images), ("labels-idx1", labels)):
            name = f"{prefix}-{kind}-ubyte.gz"
            server.files[name] = gzip.compress(idx(arr))
            resources.append((name, hashlib.md5(server.files[name]).hexdigest()))
    monkeypatch.setattr(mv.datasets.MNIST, "resources", resources)
    return sets


def test_download_tries_mirrors_and_verifies(tmp_path, server, published, monkeypatch, capsys):
    monkeypatch.setattr(mv.datasets.MNIST, "mirrors", [server.url + "/missing/", server.url + "/ok/"])
    for train, key in ((True, "train"), (False, "t10k")):
        ds = mv.datasets.MNIST(str(tmp_path), train=train, download=True)
        np.testing.assert_array_equal(ds.data.numpy(), published[key][0])
        np.testing.assert_array_equal(ds.targets.numpy(), published[key][1])
    assert sorted(os.listdir(tmp_path / "MNIST" / "raw")) == sorted(server.files)
    assert [h.split("/")[1] for h in server.hits] == ["missing", "ok"] * 4
    err = capsys.readouterr().err
    assert "MiB" in err and "train-images-idx3-ubyte.gz: 100%" in err and "\r" not in err  # the bar, as a log
    mv.datasets.MNIST(str(tmp_path), download=True)
    assert len(server.hits) == 8  # files on disk: nothing fetched


@pytest.mark.parametrize("where, md5_ok, problem", [("ok", False, "md5 mismatch"),
                                                    ("cut", True, "connection closed after")])
def test_failed_download_leaves_no_file(tmp_path, server, published, monkeypatch, where, md5_ok, problem):
    mirrors = [server.url + "/missing/", f"{server.url}/{where}/"]
    monkeypatch.setattr(mv.datasets.MNIST, "mirrors", mirrors)
    if not md5_ok:
        monkeypatch.setattr(mv.datasets.MNIST, "resources", [(n, "0" * 32) for n, _ in mv.datasets.MNIST.resources])
    with pytest.raises(RuntimeError, match=problem) as e:
        mv.datasets.MNIST(str(tmp_path), download=True)
    msg = str(e.value)
    assert all(m + "train-images-idx3-ubyte.gz" in msg for m in mirrors)
    assert str(tmp_path / "MNIST" / "raw") in msg and "by hand" in msg and "MINIGRAD_DATA" in msg
    assert all(f"{f}.gz" in msg for f in FILES)  # offline users get the whole recipe
    assert os.listdir(tmp_path / "MNIST" / "raw") == []


# ---- transforms -----------------------------------------------------------------------------------------------------

arrays = st.tuples(st.integers(0, 2 ** 31), st.integers(1, 9), st.integers(1, 9), st.sampled_from([None, 1, 3, 4]))


def make_array(seed, h, w, c, dtype=np.uint8):
    rng = np.random.default_rng(seed)
    shape = (h, w) if c is None else (h, w, c)
    return rng.integers(0, 256, shape).astype(dtype) if dtype == np.uint8 else rng.standard_normal(shape, dtype)


@settings(max_examples=40, deadline=None)
@given(arrays, st.booleans())
def test_to_tensor_matches_torchvision(spec, as_pil):
    arr = make_array(*spec)
    if as_pil and spec[3] == 1:
        return  # PIL has no H x W x 1 images
    pic = Image.fromarray(arr) if as_pil else arr
    got, want = mT.ToTensor()(pic), tT.ToTensor()(pic)
    assert got.dtype == minigrad.float32 and got.shape == tuple(want.shape)
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    if as_pil:  # a PIL image and its array give identical tensors
        np.testing.assert_array_equal(mT.ToTensor()(arr).numpy(), got.numpy())


def test_to_tensor_other_inputs():
    f = make_array(1, 4, 5, 3, np.float32)
    np.testing.assert_array_equal(mT.ToTensor()(f).numpy(), tT.ToTensor()(f).numpy())  # non-uint8: kept as is
    binary = Image.fromarray(make_array(2, 4, 5, None) > 128)
    np.testing.assert_array_equal(mT.ToTensor()(binary).numpy(), tT.ToTensor()(binary).numpy())
    for bad, err in ((5, TypeError), (np.zeros((1, 2, 3, 4), np.uint8), ValueError)):
        with pytest.raises(err) as t:
            tT.ToTensor()(bad)
        with pytest.raises(err, match=re.escape(str(t.value).split(" Got")[0])):
            mT.ToTensor()(bad)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2 ** 31), st.sampled_from([1, 3]), st.booleans())
def test_normalize_matches_torchvision(seed, c, inplace):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((c, 5, 4)).astype(np.float32)
    mean, std = rng.standard_normal(c).tolist(), (rng.random(c) + 0.1).tolist()
    mx, tx = minigrad.from_numpy(x.copy()), torch.from_numpy(x.copy())
    got = mT.Normalize(mean, std, inplace=inplace)(mx)
    want = tT.Normalize(mean, std, inplace=inplace)(tx)
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    np.testing.assert_array_equal(mx.numpy(), tx.numpy())  # the input changed only when inplace


def test_transform_errors_match_torchvision():
    cases = [(lambda T, lib: T.Normalize((0.5,), (0.5,))(lib.zeros(1, 2, 2, dtype=lib.uint8)), TypeError),
             (lambda T, lib: T.Normalize((0.5,), (0.0,))(lib.zeros(1, 2, 2)), ValueError),
             (lambda T, lib: T.Lambda(3), TypeError)]
    for fn, err in cases:
        with pytest.raises(err) as t:
            fn(tT, torch)
        with pytest.raises(err, match=re.escape(str(t.value)).replace("torch", "minigrad")):
            fn(mT, minigrad)


def test_lambda_and_compose():
    t = mT.Compose([mT.ToTensor(), mT.Lambda(lambda x: x * 2)])
    np.testing.assert_array_equal(t(np.full((2, 2), 255, np.uint8)).numpy(), np.full((1, 2, 2), 2, np.float32))
    assert "ToTensor()" in repr(t)


def test_random_horizontal_flip():
    arr = make_array(3, 4, 6, 3)
    x = mT.ToTensor()(arr)
    flipped = tT.RandomHorizontalFlip(1.0)(torch.from_numpy(x.numpy().copy()))
    np.testing.assert_array_equal(mT.RandomHorizontalFlip(1.0)(x).numpy(), flipped.numpy())
    assert mT.RandomHorizontalFlip(0.0)(x) is x
    pil = Image.fromarray(arr)
    want = np.asarray(tT.RandomHorizontalFlip(1.0)(pil))
    np.testing.assert_array_equal(np.asarray(mT.RandomHorizontalFlip(1.0)(pil)), want)
    np.testing.assert_array_equal(mT.RandomHorizontalFlip(1.0)(arr), arr[:, ::-1])
    runs = []
    for _ in range(2):
        minigrad.manual_seed(11)
        runs.append([mT.RandomHorizontalFlip()(x) is x for _ in range(40)])
    assert runs[0] == runs[1] and 0 < sum(runs[0]) < 40  # reproducible, and both outcomes happen


# ---- make_grid / save_image -----------------------------------------------------------------------------------------

grids = st.fixed_dictionaries({
    "nrow": st.integers(1, 10), "padding": st.integers(0, 3), "normalize": st.booleans(), "scale_each": st.booleans(),
    "value_range": st.one_of(st.none(), st.sampled_from([(-1.0, 1.0), (0.0, 0.5), (-0.25, 2.0)])),
    "pad_value": st.sampled_from([0.0, 1.0, 0.5, -2.0])})


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2 ** 31), st.integers(1, 10), st.sampled_from([1, 2, 3]), st.integers(1, 5), st.integers(1, 5),
       grids, st.sampled_from(["batch", "list", "chw", "hw"]))
def test_make_grid_matches_torchvision(seed, b, c, h, w, kwargs, form):
    x = np.random.default_rng(seed).standard_normal((b, c, h, w)).astype(np.float32)
    if form == "chw":
        x = x[0]
    elif form == "hw":
        x = x[0, 0]
    mx, tx = minigrad.from_numpy(x.copy()), torch.from_numpy(x.copy())
    if form == "list":
        mx, tx = list(mx), list(tx)
    got, want = mv.utils.make_grid(mx, **kwargs), torchvision.utils.make_grid(tx, **kwargs)
    assert got.shape == tuple(want.shape)
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    np.testing.assert_array_equal(x, (mx if form != "list" else minigrad.stack(mx)).numpy())  # input untouched


def test_make_grid_errors():
    for bad in (np.zeros((2, 2)), [np.zeros((2, 2))]):
        with pytest.raises(TypeError) as t:
            torchvision.utils.make_grid(bad)
        with pytest.raises(TypeError, match=re.escape(str(t.value))):
            mv.utils.make_grid(bad)
    with pytest.raises(TypeError, match="value_range has to be a tuple"):
        mv.utils.make_grid(minigrad.zeros(2, 1, 2, 2), normalize=True, value_range=[0, 1])


def test_save_image_matches_torchvision(tmp_path):
    x = np.random.default_rng(0).random((5, 1, 6, 7)).astype(np.float32) * 1.2 - 0.1
    mv.utils.save_image(minigrad.from_numpy(x), tmp_path / "m.png", nrow=3)
    torchvision.utils.save_image(torch.from_numpy(x), tmp_path / "t.png", nrow=3)
    got, want = (np.asarray(Image.open(tmp_path / f"{name}.png")) for name in "mt")
    np.testing.assert_array_equal(got, want)


@needs_data
def test_lecture_pipeline(tmp_path, monkeypatch, unzipped_root):
    """The lecture's data cells with minigrad's imports, run from a folder without ./data."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(mdatasets.DATA_ENV, str(data_root()))
    torch_, torchvision_, transforms = minigrad, mv, mT
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
    trainset = torchvision_.datasets.FashionMNIST("./data", download=True, train=True, transform=transform)
    testset = torchvision_.datasets.FashionMNIST("./data", download=True, train=False, transform=transform)
    trainloader = torch_.utils.data.DataLoader(trainset, batch_size=4, shuffle=True, num_workers=2)
    testloader = torch_.utils.data.DataLoader(testset, batch_size=4, shuffle=False, num_workers=2)
    dataiter = iter(trainloader)
    images, labels = next(dataiter)
    assert images.shape == (4, 1, 28, 28) and images.dtype == minigrad.float32 and labels.dtype == minigrad.int64
    img_grid = torchvision_.utils.make_grid(images)
    want_grid = torchvision.utils.make_grid(torch.from_numpy(images.numpy()))
    np.testing.assert_array_equal(img_grid.numpy(), want_grid.numpy())
    assert len(trainloader) == 15000 and len(testloader) == 2500
    tv_test = torchvision.datasets.FashionMNIST(str(unzipped_root), train=False, transform=lecture_transforms(tT))
    want = torch.utils.data.DataLoader(tv_test, batch_size=4, shuffle=False)
    for k, ((mx, my), (tx, ty)) in enumerate(zip(testloader, want)):
        np.testing.assert_array_equal(mx.numpy(), tx.numpy())
        np.testing.assert_array_equal(my.numpy(), ty.numpy())
        if k == 50:
            break
