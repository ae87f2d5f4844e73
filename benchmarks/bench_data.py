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


def missing():
    """Why the data rows cannot run (a one-line reason), or None when the FashionMNIST copy is there."""
    raw = data_root() / "FashionMNIST" / "raw"
    absent = [f"{f}.gz" for f in FILES if not (raw / f"{f}.gz").exists()]
    if absent:
        return f"no FashionMNIST data: {', '.join(absent)} missing in {raw} (set MINIGRAD_DATA to its root)"
    return None


def _epoch(loader, limit):
    """Seconds to draw `limit` batches (all when None), worker start-up included; and the batch count."""
    start, n = time.perf_counter(), 0
    for n, (images, labels) in enumerate(loader, 1):
        if limit and n >= limit:
            break
    return time.perf_counter() - start, n


def run(quick: bool) -> list[dict]:
    """Time the lecture's train loader for num_workers 0 and 2; quick: the first few hundred batches only."""
    if missing():
        return [{"name": "6. lecture train loader", "skipped": missing()}]
    sys.path.insert(0, str(ROOT))
    import torch
    import torchvision
    import torchvision.transforms as tT

    import minigrad
    import minigrad.vision as mv
    from minigrad.utils.progress import Progress
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
        rows, bar = [], Progress(4, desc="6. loader epochs")
        for workers in (0, 2):
            m_s, m_n = _epoch(minigrad.utils.data.DataLoader(mset, batch_size=4, shuffle=True, num_workers=workers),
                              limit)
            bar.update(1)
            t_s, t_n = _epoch(torch.utils.data.DataLoader(tset, batch_size=4, shuffle=True, num_workers=workers),
                              limit)
            bar.update(1)
            rows.append({"name": f"6. lecture train loader, num_workers={workers}, {m_n} batches",
                         "minigrad_s": m_s, "torch_s": t_s, "ratio": m_s / t_s,
                         "unit": f"{m_n / m_s:.0f} vs {t_n / t_s:.0f} batches/s"})
        bar.close()
        return rows
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
