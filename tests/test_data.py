"""minigrad.utils.data against torch.utils.data: datasets, default_collate, DataLoader in-process and with workers."""
import collections
import multiprocessing as mp
import os
import re
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
import torch
import torch.utils.data as tdata
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
import minigrad.utils.data as mdata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to see worker processes")
needs_fork = pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="needs the fork start method")


def assert_same(m, t):
    """minigrad output m has torch output t's structure, dtypes and values."""
    if isinstance(t, torch.Tensor):
        assert isinstance(m, minigrad.Tensor), type(m)
        assert str(m.dtype).split(".")[1] == str(t.dtype).split(".")[1]
        np.testing.assert_array_equal(m.numpy(), t.numpy())
    elif isinstance(t, dict):
        assert type(m) is type(t) and m.keys() == t.keys()
        for k in t:
            assert_same(m[k], t[k])
    elif isinstance(t, (list, tuple)):
        assert type(m).__name__ == type(t).__name__ and len(m) == len(t)
        for a, b in zip(m, t):
            assert_same(a, b)
    else:
        assert m == t


def pair(arr, lib):
    return minigrad.from_numpy(arr.copy()) if lib is minigrad else torch.from_numpy(arr.copy())


Point = collections.namedtuple("Point", "x y")


def samples(lib, seed, n):
    """n samples mixing every kind default_collate handles, built for minigrad or torch from the same numbers."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        arr = rng.standard_normal((2, 3)).astype(np.float32)
        out.append((pair(arr, lib), int(rng.integers(10)), float(rng.standard_normal()), bool(i % 2),
                    {"img": arr * 2, "name": f"s{i}", "p": Point(i, [i, 1.5 * i])}, np.int32(i), np.float64(i / 3)))
    return out


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2 ** 31), st.integers(1, 5))
def test_default_collate_matches_torch(seed, n):
    assert_same(mdata.default_collate(samples(minigrad, seed, n)), tdata.default_collate(samples(torch, seed, n)))


def test_default_collate_errors():
    batch = [[1, 2], [3]]
    with pytest.raises(RuntimeError) as t:
        tdata.default_collate(batch)
    with pytest.raises(RuntimeError, match=re.escape(str(t.value))):
        mdata.default_collate(batch)
    with pytest.raises(TypeError, match="default_collate: batch must contain"):
        mdata.default_collate([object(), object()])
    with pytest.raises(RuntimeError, match="stack expects each tensor to be equal size"):
        mdata.default_collate([minigrad.zeros(2), minigrad.zeros(3)])


def tensor_datasets(n):
    x = np.arange(n * 3, dtype=np.float32).reshape(n, 3)
    y = np.arange(n) % 4
    return (mdata.TensorDataset(minigrad.from_numpy(x), minigrad.from_numpy(y)),
            tdata.TensorDataset(torch.from_numpy(x), torch.from_numpy(y)))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 30), st.integers(1, 8), st.booleans(), st.booleans())
def test_loader_matches_torch(n, batch_size, drop_last, permuted):
    mds, tds = tensor_datasets(n)
    order = np.random.default_rng(n).permutation(n).tolist() if permuted else None  # the same order for both
    ml = mdata.DataLoader(mds, batch_size=batch_size, drop_last=drop_last, sampler=order)
    tl = tdata.DataLoader(tds, batch_size=batch_size, drop_last=drop_last, sampler=order)
    assert len(ml) == len(tl)
    for _ in range(2):  # re-iterable
        batches = list(ml)
        assert len(batches) == len(tl)
        assert_same(batches, list(tl))


def test_drop_last():
    mds, _ = tensor_datasets(10)
    assert [len(b[0]) for b in mdata.DataLoader(mds, batch_size=4)] == [4, 4, 2]
    loader = mdata.DataLoader(mds, batch_size=4, drop_last=True)
    assert len(loader) == 2 and [len(b[0]) for b in loader] == [4, 4]


def epoch_indices(loader):
    return [i for b in loader for i in b[1].tolist()]


def test_shuffle_is_a_fresh_permutation_each_epoch():
    mds = mdata.TensorDataset(minigrad.zeros(60), minigrad.arange(60))
    loader = mdata.DataLoader(mds, batch_size=7, shuffle=True)
    first, second = epoch_indices(loader), epoch_indices(loader)
    assert sorted(first) == sorted(second) == list(range(60))
    assert first != second and first != list(range(60))


def test_shuffle_is_reproducible():
    mds = mdata.TensorDataset(minigrad.zeros(40), minigrad.arange(40))
    runs = []
    for _ in range(2):
        minigrad.manual_seed(123)
        runs.append(epoch_indices(mdata.DataLoader(mds, batch_size=5, shuffle=True)))
    for _ in range(2):
        g = minigrad.Generator().manual_seed(7)
        runs.append(epoch_indices(mdata.DataLoader(mds, batch_size=5, shuffle=True, generator=g)))
    assert runs[0] == runs[1] and runs[2] == runs[3] and runs[0] != runs[2]


def test_loader_argument_errors():
    mds, tds = tensor_datasets(4)
    for kwargs in ({"batch_size": 0}, {"shuffle": True, "sampler": [0, 1]}, {"num_workers": -1},
                   {"persistent_workers": True}):
        with pytest.raises(ValueError) as t:
            tdata.DataLoader(tds, **kwargs)
        with pytest.raises(ValueError, match=re.escape(str(t.value))):
            mdata.DataLoader(mds, **kwargs)


def test_tensor_dataset_subset_concat_match_torch():
    mds, tds = tensor_datasets(7)
    assert len(mds) == len(tds)
    for i in (0, 3, -1):
        assert_same(mds[i], tds[i])
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        mdata.TensorDataset(minigrad.zeros(3), minigrad.zeros(4))
    msub, tsub = mdata.Subset(mds, [5, 0, 2]), tdata.Subset(tds, [5, 0, 2])
    assert len(msub) == 3 and all(assert_same(msub[i], tsub[i]) is None for i in range(3))
    mcat, tcat = mds + msub, tdata.ConcatDataset([tds, tsub])
    assert isinstance(mcat, mdata.ConcatDataset) and len(mcat) == len(tcat) == 10
    for i in range(-10, 10):
        assert_same(mcat[i], tcat[i])
    with pytest.raises(IndexError):
        mcat[10]
    with pytest.raises(ValueError, match="absolute value of index should not exceed dataset length"):
        mcat[-11]


@pytest.mark.filterwarnings("ignore:Length of split")
@settings(max_examples=30, deadline=None)
@given(st.integers(0, 40), st.lists(st.integers(1, 9), min_size=1, max_size=4))
def test_random_split_lengths_match_torch(n, weights):
    fractions = [w / sum(weights) for w in weights]
    if not (abs(sum(fractions) - 1) < 1e-9 and sum(fractions) <= 1):
        return  # torch then treats them as lengths; covered below
    mds, tds = tensor_datasets(max(n, 1))
    msplit, tsplit = mdata.random_split(mds, fractions), tdata.random_split(tds, fractions)
    assert [len(s) for s in msplit] == [len(s) for s in tsplit]
    assert sorted(i for s in msplit for i in s.indices) == list(range(len(mds)))


def test_random_split_lengths_and_errors():
    mds, _ = tensor_datasets(10)
    a, b = mdata.random_split(mds, [3, 7], generator=minigrad.Generator().manual_seed(0))
    c, d = mdata.random_split(mds, [3, 7], generator=minigrad.Generator().manual_seed(0))
    assert (len(a), len(b)) == (3, 7) and a.indices == c.indices and sorted(a.indices + b.indices) == list(range(10))
    with pytest.raises(ValueError, match="Sum of input lengths does not equal the length of the input dataset!"):
        mdata.random_split(mds, [3, 3])


def test_default_collate_promotes_like_torch():
    for batch in ([1, 2.5], [2.5, 1], [True, 2], [np.zeros(2, np.int64), np.zeros(2)],
                  [np.zeros(2, np.int32), np.ones(2, np.float32)], [np.float32(1), np.float64(2)]):
        assert_same(mdata.default_collate(batch), tdata.default_collate(batch))
    assert_same(mdata.default_collate([minigrad.zeros(2, dtype=minigrad.int64), minigrad.zeros(2)]),
                tdata.default_collate([torch.zeros(2, dtype=torch.int64), torch.zeros(2)]))


def test_batch_sampler_and_no_auto_batching_match_torch():
    mds, tds = tensor_datasets(7)
    batches = [[4, 0], [6, 1, 2], [3]]
    for kw in ({"batch_sampler": batches}, {"batch_size": None}, {"batch_size": None, "sampler": [5, 2]}):
        mloader, tloader = mdata.DataLoader(mds, **kw), tdata.DataLoader(tds, **kw)
        assert len(mloader) == len(tloader)
        assert_same(list(mloader), list(tloader))
    samples = [(np.arange(3.0), 1, "a"), {"x": np.int32(4), "y": [np.zeros(2, np.float32), 2.5]}]
    for sample in samples:  # each sample converted on its own: arrays become tensors, the rest stays
        assert_same(list(mdata.DataLoader([sample], batch_size=None)), list(tdata.DataLoader([sample], batch_size=None)))
        assert_same(mdata.default_convert(sample), tdata.default_convert(sample))


def test_batch_sampler_and_no_auto_batching_with_workers():
    mds, tds = tensor_datasets(7)
    for kw in ({"batch_sampler": [[4, 0], [6, 1, 2], [3]]}, {"batch_size": None}):
        got = list(mdata.DataLoader(mds, num_workers=2, prefetch_factor=1, **kw))
        assert_same(got, list(tdata.DataLoader(tds, **kw)))


class Slow(mdata.Dataset):
    def __len__(self):
        return 2

    def __getitem__(self, i):
        time.sleep(5 * i)
        return i


def test_worker_timeout():
    loader = iter(mdata.DataLoader(Slow(), num_workers=1, timeout=0.5))
    assert next(loader).tolist() == [0]
    with pytest.raises(RuntimeError, match=r"DataLoader timed out after 0.5 seconds"):
        next(loader)


# ---- worker processes ----------------------------------------------------------------------------------------------

class Noisy(mdata.Dataset):
    """Sample i: (a float array that depends on i and minigrad's RNG, i)."""

    def __len__(self):
        return 37

    def __getitem__(self, i):
        return np.full(3, i, np.float32) + minigrad.rand(3).numpy(), i


def run_epochs(num_workers, epochs=2, **kwargs):
    loader = mdata.DataLoader(Noisy(), batch_size=4, shuffle=True, num_workers=num_workers,
                              generator=minigrad.Generator().manual_seed(5), **kwargs)
    return [[(b[0].numpy(), b[1].tolist()) for b in loader] for _ in range(epochs)]


def test_workers_give_the_same_batches_as_in_process():
    base = run_epochs(0)
    for kwargs in ({"num_workers": 2}, {"num_workers": 3}, {"num_workers": 2, "persistent_workers": True}):
        got = run_epochs(**kwargs)
        assert [[i for _, i in epoch] for epoch in got] == [[i for _, i in epoch] for epoch in base]
        # the index order is the same; random numbers drawn inside workers are reproducible run to run
        again = run_epochs(**kwargs)
        for e1, e2 in zip(got, again):
            for (x1, _), (x2, _) in zip(e1, e2):
                np.testing.assert_array_equal(x1, x2)


def test_workers_match_torch_for_the_same_index_order():
    mds, tds = tensor_datasets(23)
    order = torch.randperm(23).tolist()
    got = list(mdata.DataLoader(mds, batch_size=3, sampler=order, num_workers=2, drop_last=True))
    assert_same(got, list(tdata.DataLoader(tds, batch_size=3, sampler=order, drop_last=True)))


WORKER_ID = None


def remember_worker_id(worker_id):
    global WORKER_ID
    WORKER_ID = worker_id


class WhoAmI(mdata.Dataset):
    """Sample i: (pid of the process that loaded it, worker id set by worker_init_fn)."""

    def __init__(self, n=10 ** 6):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return os.getpid(), -1 if WORKER_ID is None else WORKER_ID


def test_worker_init_fn_and_round_robin():
    loader = mdata.DataLoader(WhoAmI(), batch_size=2, num_workers=2, worker_init_fn=remember_worker_id)
    it = iter(loader)
    batches = [next(it) for _ in range(6)]
    assert [b[1].tolist() for b in batches] == [[0, 0], [1, 1]] * 3
    assert len({b[0][0].item() for b in batches}) == 2 and os.getpid() not in {b[0][0].item() for b in batches}


class Failing(mdata.Dataset):
    def __len__(self):
        return 20

    def __getitem__(self, i):
        if i == 7:
            raise ValueError(f"bad sample {i}")
        return i


def test_worker_error_is_reraised_with_its_traceback():
    with pytest.raises(ValueError) as e:
        list(mdata.DataLoader(Failing(), batch_size=2, num_workers=2))
    msg = str(e.value)
    assert "Caught ValueError in DataLoader worker process 1" in msg
    assert "Traceback" in msg and "bad sample 7" in msg and "in __getitem__" in msg
    assert not mp.active_children()


def test_worker_error_of_a_local_exception_type():
    class Local(Exception):
        pass

    class D(mdata.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            raise Local("not importable")

    with pytest.raises(RuntimeError, match="Caught Local in DataLoader worker process 0"):
        next(iter(mdata.DataLoader(D(), num_workers=2)))


def test_unpicklable_batch_is_reported():
    loader = mdata.DataLoader(list(range(4)), num_workers=1, collate_fn=lambda b: (lambda: b))
    with pytest.raises(Exception, match="DataLoader worker process 0"):
        next(iter(loader))


class Dies(mdata.Dataset):
    def __len__(self):
        return 10

    def __getitem__(self, i):
        if i == 3:
            os._exit(3)
        return i


def test_dead_worker_raises_instead_of_hanging():
    with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid \d+\) exited unexpectedly with exit code 3"):
        list(mdata.DataLoader(Dies(), num_workers=2))
    assert not mp.active_children()


class NoPickle(mdata.Dataset):
    """A 'large' dataset that refuses to be pickled: workers must index it, not receive copies of it."""

    def __init__(self):
        self.data = np.arange(100000, dtype=np.float32)

    def __len__(self):
        return len(self.data)

    def __getitem__(self, i):
        return self.data[i]

    def __getstate__(self):
        raise AssertionError("the dataset was pickled")


@needs_fork
def test_dataset_is_not_copied_per_batch():
    loader = mdata.DataLoader(NoPickle(), batch_size=1000, num_workers=2)
    assert np.array_equal(np.concatenate([b.numpy() for b in loader]), np.arange(100000, dtype=np.float32))


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_dead(pids, timeout=15.0):
    end = time.monotonic() + timeout
    while any(alive(p) for p in pids) and time.monotonic() < end:
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


@linux_only
def test_early_break_stops_workers():
    pids = set()
    for i, (pid, _) in enumerate(mdata.DataLoader(WhoAmI(), batch_size=1, num_workers=2)):
        pids.add(pid.item())
        if i == 3:
            break
    assert len(pids) == 2 and wait_dead(pids) == []
    assert not mp.active_children()


@linux_only
def test_persistent_workers_serve_every_pass_and_stop_with_the_loader():
    loader = mdata.DataLoader(WhoAmI(8), batch_size=2, num_workers=2, persistent_workers=True)
    passes = [{p for pid, _ in loader for p in pid.tolist()} for _ in range(3)]
    assert len(passes[0]) == 2 and passes[0] == passes[1] == passes[2]
    assert all(alive(p) for p in passes[0])
    for _ in loader:
        break  # a pass left midway: the next one starts fresh workers
    fresh = {p for pid, _ in loader for p in pid.tolist()}
    assert fresh.isdisjoint(passes[0]) and wait_dead(passes[0]) == []
    del loader
    assert wait_dead(fresh) == [] and not mp.active_children()


SCRIPT = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, sys.argv[2])
    import minigrad.utils.data as data

    class D(data.Dataset):
        def __len__(self):
            return 10 ** 6

        def __getitem__(self, i):
            return os.getpid()

    it = iter(data.DataLoader(D(), batch_size=1, num_workers=2))
    pids = {int(next(it)) for _ in range(4)}
    print(*pids, flush=True)
    if sys.argv[1] == "raise":
        raise KeyboardInterrupt
    if sys.argv[1] == "sigint":
        for _ in it:
            pass
    # "exit": leave the iterator open at interpreter exit
""")


@linux_only
@pytest.mark.parametrize("how", ["exit", "raise", "sigint"])
def test_workers_stop_at_interpreter_exit_and_keyboard_interrupt(how, tmp_path):
    script = tmp_path / "loader.py"
    script.write_text(SCRIPT)
    proc = subprocess.Popen([sys.executable, str(script), how, ROOT], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert len(pids) == 2, proc.stderr.read()
        if how == "sigint":
            time.sleep(0.2)
            os.killpg(proc.pid, 2)  # Ctrl-C reaches the whole process group, workers included
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert wait_dead(pids) == []
    if how == "exit":
        assert proc.returncode == 0 and "Error" not in err and "Exception" not in err, err
    else:
        assert "KeyboardInterrupt" in err and proc.returncode != 0
        assert "Process" not in err  # no worker tracebacks


def every_tensor_kind(batch):
    """A collate_fn whose batch holds tensors of each kind a worker sends back (sent as bytes or pickled whole)."""
    arr = np.arange(24, dtype=np.float64).reshape(4, 6) * batch[0]
    return {"f64 transposed": minigrad.from_numpy(arr.T), "view": minigrad.from_numpy(arr)[1:, ::2].t(),
            "0-d": minigrad.tensor(batch[0]), "empty": minigrad.zeros(0, 3), "bool": minigrad.tensor([True, False]),
            "uint8": minigrad.tensor([3, 250], dtype=minigrad.uint8),
            "int32": minigrad.tensor([7], dtype=minigrad.int32),
            "leaf with grad": minigrad.ones(2, requires_grad=True), "rest": ["text", Point(batch[0], 2.5)]}


def test_workers_send_every_tensor_kind_intact():
    loader = lambda n: mdata.DataLoader(list(range(1, 5)), batch_size=2, num_workers=n, collate_fn=every_tensor_kind)
    for got, want in zip(loader(2), loader(0)):
        assert got.keys() == want.keys() and got["rest"] == want["rest"]
        for k in list(want)[:-1]:
            a, b = got[k], want[k]
            assert (a.dtype, a.shape, a.requires_grad) == (b.dtype, b.shape, b.requires_grad), k
            assert a.detach().numpy().flags.f_contiguous == b.detach().numpy().flags.f_contiguous, k  # as pickled
            np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
            a.detach().zero_()  # the received memory is the batch's own, writable
