"""DataLoader: batches of a dataset, in order or shuffled, loaded in-process or by worker processes."""
import collections.abc as abc
import contextlib
import itertools
import math
import multiprocessing as mp
import os
import pickle
import random
import signal
import traceback
import weakref

import numpy as np

import minigrad


def default_collate(batch):
    """Merge a list of samples into a batch like torch: stack tensors/arrays, numbers -> tensors, recurse."""
    elem = batch[0]
    if isinstance(elem, minigrad.Tensor):
        if any(t.requires_grad or t.shape != elem.shape for t in batch):
            return minigrad.stack(batch)  # keeps autograd, and reports shape mismatches in torch's words
        return minigrad.from_numpy(np.stack([t.numpy() for t in batch]))
    if isinstance(elem, (np.ndarray, np.generic)) and elem.dtype.kind not in "OSUV":
        return minigrad.from_numpy(np.stack(batch))
    if isinstance(elem, (int, float)):  # bools -> bool, ints -> int64, floats -> float64, as in torch
        return minigrad.from_numpy(np.array(batch, np.float64 if isinstance(elem, float) else None))
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, abc.Mapping):
        return {key: default_collate([d[key] for d in batch]) for key in elem}
    if isinstance(elem, abc.Sequence):
        if any(len(e) != len(elem) for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        cols = [default_collate(list(s)) for s in zip(*batch)]
        return type(elem)(*cols) if hasattr(elem, "_fields") else cols  # namedtuples stay; tuples become lists
    raise TypeError(f"default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
                    f"found {getattr(elem, 'dtype', type(elem))}")


def _draw_seed(generator):
    return int(minigrad.randint(0, 2 ** 62, (1,), generator=generator).item())


class DataLoader:
    """Iterate over a dataset in batches: optionally shuffled, optionally loaded by worker processes."""

    def __init__(self, dataset, batch_size=1, shuffle=False, sampler=None, num_workers=0, collate_fn=None,
                 drop_last=False, generator=None, worker_init_fn=None, persistent_workers=False):
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size}")
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.")
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        self.dataset, self.batch_size, self.shuffle, self.sampler = dataset, batch_size, shuffle, sampler
        self.num_workers, self.collate_fn, self.drop_last = num_workers, collate_fn or default_collate, drop_last
        self.generator, self.worker_init_fn, self.persistent_workers = generator, worker_init_fn, persistent_workers
        self._pool = None

    def __len__(self):
        n = len(self.dataset if self.sampler is None else self.sampler)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def _batches(self):
        order = self.sampler
        if order is None and self.shuffle:  # without a generator, seed one from the global RNG (like torch)
            g = self.generator or minigrad.Generator().manual_seed(_draw_seed(None))
            order = minigrad.randperm(len(self.dataset), generator=g).tolist()
        order = iter(range(len(self.dataset)) if order is None else order)
        while batch := list(itertools.islice(order, self.batch_size)):
            if len(batch) == self.batch_size or not self.drop_last:
                yield batch

    def __iter__(self):
        base_seed = _draw_seed(self.generator)  # drawn whatever num_workers is, so the order does not depend on it
        if self.num_workers == 0:
            return (self.collate_fn([self.dataset[i] for i in b]) for b in self._batches())
        # persistent workers serve every pass, unless the last one was left midway (their replies are stale)
        if not self.persistent_workers or self._pool is None or any(self._pool.pending):
            self._pool = _WorkerPool(self, base_seed)
        return self._pool.run(self._batches(), close=not self.persistent_workers)


class _WorkerPool:
    """Worker processes with a private pipe each; batch k goes to worker k % n, so results come back in order."""

    def __init__(self, loader, base_seed):
        ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else None)
        self.procs, self.conns = [], []
        for wid in range(loader.num_workers):
            conn, child = ctx.Pipe()
            args = (child, loader.dataset, loader.collate_fn, loader.worker_init_fn, base_seed + wid, wid, os.getpid())
            self.procs.append(ctx.Process(target=_worker_loop, args=args, daemon=True))  # daemon: ended at exit
            self.procs[-1].start()
            child.close()
            self.conns.append(conn)
        self.pending = [0] * len(self.procs)  # replies each worker still owes us
        self.close = weakref.finalize(self, _stop_workers, self.procs, self.conns, os.getpid())

    def run(self, batches, close):
        """Yield the collated batches in order, keeping two batches per worker in flight."""
        n, sent = len(self.procs), 0
        try:
            for done in itertools.count():
                while sent - done < 2 * n and (indices := next(batches, None)) is not None:
                    with contextlib.suppress(OSError):  # a dead worker's pipe: _recv reports it
                        self.conns[sent % n].send(indices)
                    self.pending[sent % n] += 1
                    sent += 1
                if done == sent:
                    return
                yield self._recv(done % n)
        finally:
            if close:
                self.close()

    def _recv(self, w):
        conn, p = self.conns[w], self.procs[w]
        try:
            failed, data = conn.recv()
        except (EOFError, OSError):  # only the worker holds the other end of the pipe: it closed, so the worker died
            p.join(5.0)
            raise RuntimeError(f"DataLoader worker (pid {p.pid}) exited unexpectedly with exit code {p.exitcode}") \
                from None
        self.pending[w] -= 1
        if failed:
            raise data  # the worker's exception; its message holds the worker's traceback
        return data


def _worker_loop(conn, dataset, collate_fn, init_fn, seed, wid, parent_pid):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle; it then stops us
    random.seed(seed)
    np.random.seed(seed % 2 ** 32)
    minigrad.manual_seed(seed)
    try:
        while os.getppid() == parent_pid:  # the main process gone, we stop rather than linger as an orphan
            if not conn.poll(1.0):
                continue
            indices = conn.recv()
            try:
                if init_fn is not None:  # run before the first batch; a failure is reported with it
                    init_fn(wid)
                    init_fn = None
                conn.send((False, collate_fn([dataset[i] for i in indices])))
            except Exception as e:  # also a batch that cannot be pickled
                msg = f"Caught {type(e).__name__} in DataLoader worker process {wid}.\nOriginal {traceback.format_exc()}"
                try:  # re-raised in the main process as its own type, or RuntimeError if it can't be rebuilt
                    err = pickle.loads(pickle.dumps(type(e)(msg)))
                except Exception:
                    err = RuntimeError(msg)
                conn.send((True, err))
    except (EOFError, OSError):
        return  # the main process closed our pipe


def _stop_workers(procs, conns, owner_pid):
    """Terminate the workers: each owns nothing but its private pipe, so nothing shared is left half-written."""
    if os.getpid() != owner_pid:
        return  # a forked child holding a copy of the pool must not stop the owner's workers
    for p, conn in zip(procs, conns):
        p.terminate()
        p.join()
        conn.close()
