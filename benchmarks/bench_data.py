"""One epoch of the lecture's FashionMNIST train loader (batch 4, shuffle, ToTensor + Normalize), minigrad vs torch.

Both run in this process on the same images (torchvision reads a gunzipped copy in a temp folder), with
num_workers 0 and 2. ratio = minigrad_s / torch_s: below 1 means minigrad's loader is faster.
Run: python benchmarks/bench_data.py [--quick]
"""
import gzip
import os
import pathlib
import shutil
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
QUICK_BATCHES = 300


def data_root():
    """$MINIGRAD_DATA, else ../shared/data beside the repository."""
    return pathlib.Path(os.environ.get("MINIGRAD_DATA") or ROOT.parent / "shared" / "data")


def _epoch(loader, limit):
    """Seconds to draw `limit` batches (all when None), worker start-up included; and the batch count."""
    start, n = time.perf_counter(), 0
    for n, (images, labels) in enumerate(loader, 1):
        if limit and n >= limit:
            break
    return time.perf_counter() - start, n


def run(quick: bool) -> list[dict]:
    """Time the lecture's train loader for num_workers 0 and 2; quick: the first few hundred batches only."""
    sys.path.insert(0, str(ROOT))
    import torch
    import torchvision
    import torchvision.transforms as tT

    import minigrad
    import minigrad.vision as mv
    from minigrad.vision import transforms as mT

    limit = QUICK_BATCHES if quick else None
    tmp = tempfile.mkdtemp()
    try:
        raw = pathlib.Path(tmp, "FashionMNIST", "raw")
        raw.mkdir(parents=True)
        for f in FILES:
            with gzip.open(data_root() / "FashionMNIST" / "raw" / f"{f}.gz") as src, open(raw / f, "wb") as dst:
                shutil.copyfileobj(src, dst)
        mset = mv.datasets.FashionMNIST(str(data_root()), train=True,
                                        transform=mT.Compose([mT.ToTensor(), mT.Normalize((0.5,), (0.5,))]))
        tset = torchvision.datasets.FashionMNIST(tmp, train=True,
                                                 transform=tT.Compose([tT.ToTensor(), tT.Normalize((0.5,), (0.5,))]))
        rows = []
        for workers in (0, 2):
            m_s, m_n = _epoch(minigrad.utils.data.DataLoader(mset, batch_size=4, shuffle=True, num_workers=workers),
                              limit)
            t_s, t_n = _epoch(torch.utils.data.DataLoader(tset, batch_size=4, shuffle=True, num_workers=workers),
                              limit)
            print(f"num_workers={workers}, {m_n} batches: minigrad {m_n / m_s:.0f} batches/s, "
                  f"torch {t_n / t_s:.0f} batches/s, ratio {m_s / t_s:.2f}")
            rows.append({"name": f"lecture train loader, num_workers={workers}, {m_n} batches",
                         "minigrad_s": m_s, "torch_s": t_s, "ratio": m_s / t_s})
        return rows
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    run(quick="--quick" in sys.argv)
