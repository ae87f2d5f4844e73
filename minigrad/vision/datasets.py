"""MNIST and FashionMNIST from IDX files in torchvision's layout, with optional download from the official mirrors.

MINIGRAD_DATA=<folder holding <ClassName>/raw/> (e.g. ../shared/data): used when a dataset's root lacks the files.
"""
import functools
import gzip
import hashlib
import importlib.util
import os
import struct
import urllib.request
import zlib

import numpy as np

import minigrad
from ..utils.data import Dataset
from ..utils.progress import Progress
from .transforms import _takes_arrays

DATA_ENV = "MINIGRAD_DATA"
FILES = [f"{split}-{kind}-ubyte.gz" for split in ("train", "t10k") for kind in ("images-idx3", "labels-idx1")]


def read_idx(path):
    """Read an unsigned-byte IDX file (raw or .gz) into a numpy array, checking its magic number and size."""
    try:
        with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
            buf = f.read()
    except (OSError, EOFError, zlib.error) as e:
        raise RuntimeError(f"{path}: cannot be read: {e}") from None
    if len(buf) < 4 or buf[:3] != b"\0\0\x08":
        raise RuntimeError(f"{path}: bad magic number {buf[:4].hex()} (an unsigned-byte IDX file starts 000008)")
    head = 4 + 4 * buf[3]
    dims = struct.unpack(f">{buf[3]}I", buf[4:head]) if len(buf) >= head else None
    if dims is None or len(buf) != head + int(np.prod(dims)):
        raise RuntimeError(f"{path}: {len(buf)} bytes do not match the header's shape {dims}: truncated or corrupted")
    return np.frombuffer(buf, np.uint8, offset=head).reshape(dims).copy()


def _find(folder, gz_name):
    """The raw or gzipped copy of a resource in folder, or None."""
    paths = (os.path.join(folder, gz_name[:-3]), os.path.join(folder, gz_name))
    return next((p for p in paths if os.path.isfile(p)), None)


def download_url(urls, path, md5):
    """Fetch path from the first of urls that works, checking its md5 and writing it atomically."""
    failed, tmp, chunk_size = [], path + ".part", 1 << 16
    for url in urls:
        try:  # into a temp file renamed on success, so an interrupted download leaves no half file
            with open(tmp, "wb") as f, urllib.request.urlopen(url, timeout=30) as r:
                total, done, digest = int(r.headers.get("Content-Length") or 0), 0, hashlib.md5()
                with Progress(-(-total // chunk_size) or None, desc=os.path.basename(path)) as bar:
                    while chunk := r.read(chunk_size):
                        f.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
                        bar.update(1, postfix=f"{done / 2 ** 20:.1f}/{total / 2 ** 20:.1f} MiB")
            if done < total:
                raise RuntimeError(f"connection closed after {done} of {total} bytes")
            if digest.hexdigest() != md5:
                raise RuntimeError(f"md5 mismatch: expected {md5}, got {digest.hexdigest()}")
            return os.replace(tmp, path)
        except Exception as e:
            failed.append(f"  {url}: {e}")
        finally:  # also on Ctrl-C
            if os.path.exists(tmp):
                os.remove(tmp)
    raise RuntimeError(f"Could not download {os.path.basename(path)}; tried:\n" + "\n".join(failed))


@functools.lru_cache(None)  # asked for every item; without Pillow, each import attempt would search sys.path again
def _pil_image():
    return importlib.import_module("PIL.Image") if importlib.util.find_spec("PIL") else None


class MNIST(Dataset):
    """MNIST digits: `.data` (N x 28 x 28 uint8), `.targets` (int64), items (transformed image, target)."""

    mirrors = ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"]
    resources = list(zip(FILES, ["f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
                                 "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"]))
    classes = [f"{i} - {name}" for i, name in enumerate("zero one two three four five six seven eight nine".split())]

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        self.root, self.train, self.transform, self.target_transform = root, train, transform, target_transform
        roots = [root] + ([os.environ[DATA_ENV]] if os.environ.get(DATA_ENV) else [])
        folders = [os.path.join(os.path.expanduser(r), type(self).__name__, "raw") for r in roots]  # torchvision's
        self.raw_folder = folders[0]
        names = [name for name, _ in self.resources][0 if train else 2:][:2]
        found = [f for f in folders if all(_find(f, name) for name in names)]
        if not found and download:
            self.download()
            found = folders
        if not found:
            raise RuntimeError("Dataset not found. You can use download=True to download it.\n" +
                               self.where_to_put(folders))
        paths = [_find(found[0], name) for name in names]
        images, labels = map(read_idx, paths)
        if images.ndim != 3 or labels.shape != images.shape[:1]:
            raise RuntimeError(f"{paths[0]} holds {len(images)} images but {paths[1]} holds {len(labels)} labels "
                               f"(expected N x H x W images and N labels, found {images.shape} and {labels.shape})")
        self.data, self.targets = minigrad.from_numpy(images), minigrad.from_numpy(labels.astype(np.int64))

    def download(self):
        """Fetch the resource files missing from raw_folder, trying each mirror in turn."""
        os.makedirs(self.raw_folder, exist_ok=True)
        for name, md5 in self.resources:
            if not _find(self.raw_folder, name):
                try:
                    download_url([m + name for m in self.mirrors], os.path.join(self.raw_folder, name), md5)
                except RuntimeError as e:  # offline users need the whole recipe, not just the first missing file
                    raise RuntimeError(f"{e}\n{self.where_to_put()}") from None

    def where_to_put(self, folders=None):
        """How to provide the data by hand: all four files, where they go, and the MINIGRAD_DATA route."""
        folders, cls = folders or [self.raw_folder], type(self).__name__
        names = "\n".join(f"  {self.mirrors[0]}{name}" for name, _ in self.resources)
        return (f"To provide it by hand, put these four files (gzipped or unpacked) in {folders[0]}:\n{names}\n"
                f"or set {DATA_ENV} to a folder holding {cls}/raw/ with them (looked in: {', '.join(folders)}).")

    def __len__(self):
        return self.data.shape[0]

    def __getitem__(self, index):
        img, target = self.data.numpy()[index], int(self.targets.numpy()[index])
        # transforms get a PIL 'L' image, as from torchvision (a uint8 array without Pillow, or when ToTensor
        # comes first: it makes the same tensor of either, and skipping PIL's round trip is most of an item's time)
        if _pil_image() and not _takes_arrays(self.transform):
            img = _pil_image().fromarray(img)
        img = img if self.transform is None else self.transform(img)
        return img, (target if self.target_transform is None else self.target_transform(target))


class FashionMNIST(MNIST):
    """Fashion-MNIST (Zalando's clothing images), with MNIST's format and API."""

    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    resources = list(zip(FILES, ["8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
                                 "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"]))
    classes = "T-shirt/top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle boot".split(",")
