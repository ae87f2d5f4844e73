"""DataLoader: batches of a dataset, in order or shuffled, loaded in-process or by worker processes."""
import collections.abc as abc
import contextlib
import copyreg
import io
import itertools
import math
import multiprocessing as mp
import os
import pickle
import random
import signal
import traceback
import warnings
import weakref

import numpy as np

import minigrad
from minigrad import _checks


def default_collate(batch):
    """Merge a list of samples into a batch like torch: stack tensors/arrays, numbers -> tensors, recurse."""
    elem = batch[0]
    if isinstance(elem, minigrad.Tensor):
        for i, t in enumerate(batch):
            if not isinstance(t, minigrad.Tensor):
                raise TypeError(f"expected Tensor as element {i} in argument 0, but got {_checks.typename(t)}")
        arrays = [t._data for t in batch]
        if any(t.requires_grad for t in batch) or len({a.dtype for a in arrays}) > 1:
            return minigrad.stack(batch)  # keeps autograd, and promotes dtypes as torch.stack does
        _checks.same_shapes([a.shape for a in arrays])
        return minigrad.from_numpy(np.array(arrays))  # of equal shapes: a stack, faster than np.stack
    if isinstance(elem, (np.ndarray, np.generic)) and elem.dtype.kind not in "OSUV":
        return default_collate([minigrad.from_numpy(np.asarray(a)) for a in batch])  # as tensors, like torch
    if isinstance(elem, (int, float)):  # by the first: bools -> bool, ints -> int64 (float32 if mixed), floats ->
        return minigrad.tensor(batch, dtype=minigrad.float64 if isinstance(elem, float) else None)  # float64
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


def default_convert(data):
    """What a loader with batch_size=None applies to each sample: numpy arrays and scalars become tensors."""
    if isinstance(data, (np.ndarray, np.generic)) and data.dtype.kind not in "OSUV":
        return minigrad.from_numpy(np.asarray(data))
    if isinstance(data, abc.Mapping):
        return {key: default_convert(v) for key, v in data.items()}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, abc.Sequence) and not isinstance(data, (str, bytes)):
        return [default_convert(d) for d in data]
    return data


def _fetch(dataset, collate_fn, item):  # item: a batch's indices, or one index when auto-batching is off
    return collate_fn([dataset[i] for i in item] if isinstance(item, list) else dataset[item])


def _draw_seed(generator):
    return int(minigrad.randint(0, 2 ** 62, (1,), generator=generator).item())


class DataLoader:
    """Iterate over a dataset in batches: optionally shuffled, optionally loaded by worker processes."""

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, *, prefetch_factor=None, persistent_workers=False):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 "
                             "to enable multiprocessing, otherwise set prefetch_factor to None.")
        if prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if multiprocessing_context is not None and num_workers == 0:
            raise ValueError("multiprocessing_context can only be used with multi-process loading (num_workers > 0), "
                             f"but got num_workers={num_workers}")
        if isinstance(multiprocessing_context, str) and multiprocessing_context not in mp.get_all_start_methods():
            raise ValueError("multiprocessing_context option should specify a valid start method in "
                             f"{mp.get_all_start_methods()!r}, but got multiprocessing_context={multiprocessing_context!r}")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and "
                                 "drop_last")
            batch_size = None
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with drop_last")
        elif batch_size is not None and (not isinstance(batch_size, int) or isinstance(batch_size, bool)
                                         or batch_size <= 0):
            raise ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        _check_worker_number(num_workers)
        self.dataset, self.batch_size, self.shuffle, self.sampler = dataset, batch_size, shuffle, sampler
        self.batch_sampler, self.num_workers, self.drop_last = batch_sampler, num_workers, drop_last
        auto = batch_size is not None or batch_sampler is not None  # else each sample on its own, converted
        self.collate_fn = collate_fn or (default_collate if auto else default_convert)
        self.timeout, self.prefetch_factor = timeout, 2 if prefetch_factor is None else prefetch_factor
        self.generator, self.worker_init_fn, self.persistent_workers = generator, worker_init_fn, persistent_workers
        self.multiprocessing_context, self.pin_memory, self._pool = multiprocessing_context, pin_memory, None

    def __len__(self):
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        n = len(self.dataset if self.sampler is None else self.sampler)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def _batches(self):
        if self.batch_sampler is not None:
            yield from (list(b) for b in self.batch_sampler)
            return
        order = self.sampler
        if order is None and self.shuffle:  # without a generator, seed one from the global RNG (like torch)
            g = self.generator or minigrad.Generator().manual_seed(_draw_seed(None))
            order = minigrad.randperm(len(self.dataset), generator=g).tolist()
        order = iter(range(len(self.dataset)) if order is None else order)
        if self.batch_size is None:
            yield from order
            return
        while batch := list(itertools.islice(order, self.batch_size)):
            if len(batch) == self.batch_size or not self.drop_last:
                yield batch

    def __iter__(self):
        if self.pin_memory:  # pinned memory speeds copies to a GPU; minigrad has none, as torch says
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, then device pinned "
                          "memory won't be used.", UserWarning, stacklevel=2)
        base_seed = _draw_seed(self.generator)  # drawn whatever num_workers is, so the order does not depend on it
        if self.num_workers == 0:
            return (_fetch(self.dataset, self.collate_fn, b) for b in self._batches())
        # persistent workers serve every pass, unless the last one was left midway (their replies are stale)
        if not self.persistent_workers or self._pool is None or any(self._pool.pending):
            self._pool = _WorkerPool(self, base_seed)
        return self._pool.run(self._batches(), close=not self.persistent_workers)


class _WorkerPool:
    """Worker processes with a private pipe each; batch k goes to worker k % n, so results come back in order."""

    def __init__(self, loader, base_seed):
        ctx = loader.multiprocessing_context or ("fork" if "fork" in mp.get_all_start_methods() else None)
        ctx = mp.get_context(ctx) if ctx is None or isinstance(ctx, str) else ctx
        self.procs, self.conns, self.timeout = [], [], loader.timeout
        self.in_flight = max(1, loader.prefetch_factor * loader.num_workers)
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
        """Yield the collated batches in order, keeping prefetch_factor batches per worker in flight."""
        n, sent = len(self.procs), 0
        try:
            for done in itertools.count():
                while sent - done < self.in_flight and (indices := next(batches, None)) is not None:
                    with contextlib.suppress(OSError):  # a dead worker's pipe: _recv reports it
                        self.conns[sent % n].send_bytes(_dumps(indices))
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
        if self.timeout and not conn.poll(self.timeout):
            raise RuntimeError(f"DataLoader timed out after {self.timeout} seconds")
        try:
            failed, data = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):  # only the worker holds the other end of the pipe: it closed, so the worker died
            p.join(5.0)
            raise RuntimeError(f"DataLoader worker (pid {p.pid}) exited unexpectedly with exit code {p.exitcode}") \
                from None
        self.pending[w] -= 1
        if failed:
            raise data  # the worker's exception; its message holds the worker's traceback
        return data


def _rebuild_tensor(buf, dtype, shape):
    return minigrad.from_numpy(np.frombuffer(buf, dtype).reshape(shape))


def _reduce_tensor(t):  # a plain tensor travels as its bytes (a pickled Tensor's slots cost 4x the time to load)
    if t.requires_grad or t.grad is not None or t._base is not None or not t._data.flags.c_contiguous:
        return t.__reduce_ex__(pickle.HIGHEST_PROTOCOL)  # all of it, its memory layout too
    return _rebuild_tensor, (pickle.PickleBuffer(t._data), t._data.dtype.str, t.shape)


class _Pickler(pickle.Pickler):
    dispatch_table = {**copyreg.dispatch_table, minigrad.Tensor: _reduce_tensor}


def _dumps(obj):
    """obj pickled for the pipes between loader and workers (protocol 5: arrays' bytes are copied once)."""
    _Pickler(buf := io.BytesIO(), pickle.HIGHEST_PROTOCOL).dump(obj)
    return buf.getbuffer()


def _worker_loop(conn, dataset, collate_fn, init_fn, seed, wid, parent_pid):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle; it then stops us
    random.seed(seed)
    np.random.seed(seed % 2 ** 32)
    minigrad.manual_seed(seed)
    try:
        while os.getppid() == parent_pid:  # the main process gone, we stop rather than linger as an orphan
            if not conn.poll(1.0):
                continue
            indices = pickle.loads(conn.recv_bytes())
            try:
                if init_fn is not None:  # run before the first batch; a failure is reported with it
                    init_fn(wid)
                    init_fn = None
                conn.send_bytes(_dumps((False, _fetch(dataset, collate_fn, indices))))
            except Exception as e:  # also a batch that cannot be pickled
                msg = f"Caught {type(e).__name__} in DataLoader worker process {wid}.\nOriginal {traceback.format_exc()}"
                try:  # re-raised in the main process as its own type, or RuntimeError if it can't be rebuilt
                    err = pickle.loads(pickle.dumps(type(e)(msg)))
                except Exception:
                    err = RuntimeError(msg)
                conn.send_bytes(_dumps((True, err)))
    except (EOFError, OSError):
        return  # the main process closed our pipe


def _check_worker_number(n):
    """torch's warning when a loader would start more workers than this process may use CPUs."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if cpus and n > cpus:
        warnings.warn(f"This DataLoader will create {n} worker processes in total. Our suggested max number of worker "
                      f"in current system is {cpus}, which is smaller than what this DataLoader is going to create. "
                      "Please be aware that excessive worker creation might get DataLoader running slow or even "
                      "freeze, lower the worker number to avoid potential slowness/freeze if necessary.",
                      UserWarning, stacklevel=3)


def _stop_workers(procs, conns, owner_pid):
    """Terminate the workers: each owns nothing but its private pipe, so nothing shared is left half-written."""
    if os.getpid() != owner_pid:
        return  # a forked child holding a copy of the pool must not stop the owner's workers
    for p, conn in zip(procs, conns):
        p.terminate()
        p.join()
        conn.close()
