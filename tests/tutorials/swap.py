"""The tutorials' programs run twice, `lib = torch` and `lib = minigrad`: compare what they return and how they fail."""
import atexit
import functools
import gzip
import re
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.utils.tensorboard  # noqa: F401  (a submodule torch imports only when asked for)
import torchvision
from conftest import fashion_mnist_root

import minigrad
import minigrad.utils.tensorboard  # noqa: F401
import minigrad.vision

# one thread: these runs are small, and with `-n 2` on two cores torch's spinning workers slow both processes ~8x
torch.set_num_threads(1)
LIBS = {"torch": torch, "minigrad": minigrad}
VISION = {"torch": torchvision, "minigrad": minigrad.vision}


def vision(lib):
    """torchvision for torch, minigrad.vision for minigrad: the tutorials' other import."""
    return VISION[lib.__name__]


def plain(x):
    """Tensors (and nested containers of them) as numpy arrays, so the two libraries' results compare."""
    if isinstance(x, (torch.Tensor, minigrad.Tensor)):
        return x.detach().numpy()
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, (torch.Size, minigrad.Size)):
        return tuple(x)
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, (torch.dtype, minigrad.dtype)):
        return str(x).split(".")[-1]  # torch.float32 and minigrad.float32 are the same answer
    return x


def assert_same(want, got, rtol=0.0, atol=0.0, where="result"):
    """Same structure, shapes, dtypes and (within rtol/atol) values; strings and ints exactly."""
    if isinstance(want, dict):
        assert list(got) == list(want), f"{where}: keys {list(got)} vs torch's {list(want)}"
        for k in want:
            assert_same(want[k], got[k], rtol, atol, f"{where}[{k!r}]")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{where}: {got!r} vs torch's {want!r}"
        for i, (w, g) in enumerate(zip(want, got)):
            assert_same(w, g, rtol, atol, f"{where}[{i}]")
    elif isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray), f"{where}: {type(got).__name__} vs torch's array"
        assert got.shape == want.shape and got.dtype == want.dtype, \
            f"{where}: {got.dtype}{got.shape} vs torch's {want.dtype}{want.shape}"
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, err_msg=where)
    elif isinstance(want, float) and not isinstance(got, bool):
        assert isinstance(got, float), f"{where}: {type(got).__name__} vs torch's float"
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, err_msg=where)
    elif isinstance(want, str):  # printed text: minigrad's names (minigrad.Size, minigrad.float32) for torch's
        assert isinstance(got, str) and got.replace("minigrad.", "torch.") == want, \
            f"{where}: {got!r} vs torch's {want!r}"
    else:
        assert type(got) is type(want) and got == want, f"{where}: {got!r} vs torch's {want!r}"


def run_both(program, *args, rtol=0.0, atol=0.0, keys=None, **kwargs):
    """program(lib, ...) on torch, then on minigrad; the two results agree. Returns torch's (plain).

    keys: a predicate on the result dict's keys, to compare part of it (e.g. what the tutorial prints, apart).
    """
    want = plain(program(torch, *args, **kwargs))
    got = plain(program(minigrad, *args, **kwargs))
    if keys is not None:
        want, got = ({k: v for k, v in d.items() if keys(k)} for d in (want, got))
    assert_same(want, got, rtol, atol)
    return want


def error_of(fn):
    """The exception fn raises (None if it returns)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001  (any class: comparing them is the point)
        return e
    return None


def same_error(program, *words):
    """program(lib) raises in torch; in minigrad it raises the same class with torch's key words in the message."""
    want, got = error_of(lambda: program(torch)), error_of(lambda: program(minigrad))
    assert want is not None, "torch raised nothing"
    assert type(got) is type(want), f"minigrad: {type(got).__name__}({got}) vs torch: {type(want).__name__}({want})"
    for word in words:
        assert word in str(want), f"{word!r} not in torch's message {want}"
        assert word in str(got) or word.replace("torch", "minigrad") in str(got), f"{word!r} not in {got}"


def set_weights(model, lib, seed=0):
    """Every parameter drawn with numpy (uniform, +-1/sqrt(fan_in) as torch's default), so both nets start equal."""
    rng, fan_in = np.random.default_rng(seed), 1
    with lib.no_grad():
        for p in model.parameters():
            fan_in = int(np.prod(p.shape[1:])) if p.dim() > 1 else fan_in  # a bias follows its weight
            bound = 1 / np.sqrt(fan_in)
            p.copy_(lib.from_numpy(rng.uniform(-bound, bound, tuple(p.shape)).astype(np.float32)))
    return model


def tied_randn(lib, *shape, seed=0, requires_grad=False):
    """lib.randn(*shape) with numpy's draw: the two libraries' generators differ, the tutorials only need normals."""
    x = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    return lib.tensor(x, requires_grad=requires_grad)


def tied_rand(lib, *shape, seed=0):
    """lib.rand(*shape) with numpy's draw (uniform on [0, 1)), for the same reason."""
    return lib.from_numpy(np.random.default_rng(seed).random(shape, dtype=np.float32))


def graph_walk(node):
    """The backward graph from node as nested (name, [inputs...]): what walking grad_fn.next_functions shows."""
    if node is None:
        return None
    return printed(node), [graph_walk(n) for n, _ in node.next_functions]


def printed(obj):
    """str(obj) without memory addresses: `<AddmmBackward0 object at 0x7f..>` prints as `<AddmmBackward0>`."""
    return re.sub(r" object at 0x[0-9a-fA-F]+", "", str(obj))


@functools.lru_cache(None)
def data_root():
    """A root whose FashionMNIST/raw holds the unpacked files: torchvision's check wants them, minigrad takes either.

    The shared copy is gzipped; this process unpacks it once into a temporary folder removed at exit.
    """
    raw = Path(fashion_mnist_root()) / "FashionMNIST" / "raw"
    root = Path(tempfile.mkdtemp(prefix="minigrad-tutorials-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    (root / "FashionMNIST" / "raw").mkdir(parents=True)
    for gz in raw.glob("*.gz"):
        with gzip.open(gz, "rb") as src, open(root / "FashionMNIST" / "raw" / gz.stem, "wb") as dst:
            shutil.copyfileobj(src, dst)
    return str(root)


def fashion(lib, train=True, transform=None, target_transform=None):
    """The tutorials' FashionMNIST(root, train, download=True, transform) on the shared copy (nothing is fetched)."""
    return vision(lib).datasets.FashionMNIST(data_root(), train=train, download=True, transform=transform,
                                             target_transform=target_transform)


both = pytest.mark.parametrize("lib", [torch, minigrad], ids=["torch", "minigrad"])


def prints(key):
    """A result key holding what the tutorial prints (str of tensors, modules, graph nodes): compared on its own."""
    return str(key).startswith("print")


def values(key):
    """Every other result key: values, shapes, dtypes, gradients."""
    return not prints(key)
