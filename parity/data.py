"""FashionMNIST for the parity CNN, read with numpy once and fed to both engines batch for batch."""
import functools
import gzip
import os
from pathlib import Path

import numpy as np

DEFAULT_ROOT = os.environ.get("MINIGRAD_DATA", str(Path(__file__).resolve().parents[2] / "shared" / "data"))
TRAIN_SIZE = 60000


def _idx(path):
    """One IDX file (gzip-compressed or plain) as a uint8 array of its stated shape."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def _find(root, stem):
    raw = Path(root) / "FashionMNIST" / "raw"
    for name in (stem + ".gz", stem):
        if (raw / name).exists():
            return raw / name
    raise FileNotFoundError(f"FashionMNIST file {stem}(.gz) not found under {raw}: pass --data DIR (the folder "
                            "holding FashionMNIST/raw) or set MINIGRAD_DATA")


@functools.lru_cache(maxsize=2)
def fashion_mnist(root=DEFAULT_ROOT):
    """(train images, train labels, test images, test labels): float32 (N, 1, 28, 28) after the lecture's
    ToTensor + Normalize((0.5,), (0.5,)), and int64 labels."""
    def images(stem):
        raw = _idx(_find(root, stem))
        # a fresh (N, 1, 28, 28) array: `[:, None]` would give the channel axis stride 0, which torch reads as
        # channels_last, and then the lecture's x.view(-1, 256) fails
        out = np.empty((len(raw), 1, 28, 28), np.float32)
        out[:, 0] = (raw.astype(np.float32) / 255 - 0.5) / 0.5
        return out

    def labels(stem):
        return _idx(_find(root, stem)).astype(np.int64)
    return (images("train-images-idx3-ubyte"), labels("train-labels-idx1-ubyte"),
            images("t10k-images-idx3-ubyte"), labels("t10k-labels-idx1-ubyte"))


def batch_order(steps, batch_size=4, seed=0, n=TRAIN_SIZE):
    """Index arrays of the first `steps` shuffled batches (a fresh permutation per epoch), built once for both."""
    rng = np.random.default_rng(seed)
    epochs = -(-steps * batch_size // n)
    order = np.concatenate([rng.permutation(n)[:n - n % batch_size] for _ in range(epochs)])
    return order[:steps * batch_size].reshape(steps, batch_size)
