"""Process settings minigrad makes at import: BLAS threads (at run time, whatever the import order) and malloc.

MINIGRAD_BLAS_THREADS: unset or "auto" -> one OpenBLAS thread (the lecture's thin matmuls gain nothing from more
at step level, and extra threads thrash a busy machine: benchmarks/bench_blas.py); an integer N -> N threads;
"off" -> leave OpenBLAS alone (its default, or OPENBLAS_NUM_THREADS).
MINIGRAD_MALLOPT=0 -> leave glibc's allocator alone.
"""
import contextlib
import ctypes
import os

import numpy as np

# OpenBLAS builds name the setter differently: plain, 64-bit-integer, and numpy's bundled scipy-openblas
_SETTERS = ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_", "openblas_set_num_threads")


def _loaded_libraries():
    """Paths of the shared libraries mapped into this process (Linux: /proc/self/maps)."""
    try:
        with open("/proc/self/maps") as f:
            return list(dict.fromkeys(ln.split()[-1] for ln in f if ".so" in ln and "/" in ln))
    except OSError:
        return []


def _find_openblas():
    """(getter, setter) of the OpenBLAS numpy loaded, preferring the one bundled with numpy; else (None, reason)."""
    libs = [p for p in _loaded_libraries() if "openblas" in os.path.basename(p).lower()]
    if not libs:
        return None, "no OpenBLAS library is loaded (numpy uses another BLAS, or this is not Linux)"
    numpy_dir = os.path.dirname(os.path.dirname(np.__file__))
    libs.sort(key=lambda p: not p.startswith(numpy_dir))  # numpy's own copy (numpy.libs, numpy/.libs) first
    for path in libs:
        lib = ctypes.CDLL(path)
        for name in _SETTERS:
            if hasattr(lib, name):
                getter = getattr(lib, name.replace("set", "get"), None)
                return (getter, getattr(lib, name)), path
    return None, f"no openblas_set_num_threads symbol in {libs[0]}"


class _Blas:
    """The OpenBLAS thread count, read and set through ctypes."""

    def __init__(self):
        fns, self.detail = _find_openblas()
        self.getter, self.setter = fns or (None, None)

    def get(self):
        """Current thread count (None when unknown)."""
        return self.getter() if self.getter else None

    def set(self, n):
        """Use n threads from now on (no-op without OpenBLAS)."""
        if self.setter:
            self.setter(int(n))


BLAS = _Blas()


@contextlib.contextmanager
def blas_threads(n):
    """Run the block with n OpenBLAS threads, restoring the previous count after."""
    before = BLAS.get()
    BLAS.set(n)
    try:
        yield
    finally:
        if before is not None:
            BLAS.set(before)


def configure_blas(setting=None):
    """Apply MINIGRAD_BLAS_THREADS (see the module docstring); returns a line describing the outcome."""
    setting = (setting if setting is not None else os.environ.get("MINIGRAD_BLAS_THREADS", "auto")).strip().lower()
    if setting == "off":
        return f"BLAS threads: left alone (MINIGRAD_BLAS_THREADS=off), {BLAS.get()}"
    if not BLAS.setter:
        return f"BLAS threads: not controlled: {BLAS.detail}"
    if setting == "auto" and "OPENBLAS_NUM_THREADS" in os.environ:
        return f"BLAS threads: {BLAS.get()} (OPENBLAS_NUM_THREADS is set: the user's choice)"
    if setting == "auto":
        BLAS.set(1)
        return f"BLAS threads: 1 ({BLAS.detail})"
    if not setting.isdigit() or int(setting) < 1:
        raise ValueError(f"MINIGRAD_BLAS_THREADS must be auto, off or a positive integer, got {setting!r}")
    BLAS.set(int(setting))
    return f"BLAS threads: {setting} (MINIGRAD_BLAS_THREADS) ({BLAS.detail})"


def keep_freed_arrays():
    """Stop glibc from unmapping large freed arrays: re-faulting their pages every training step made a step ~2x
    slower (torch's caching allocator avoids the same cost). Off with MINIGRAD_MALLOPT=0, or when MALLOC_* is set."""
    if os.environ.get("MINIGRAD_MALLOPT", "1") == "0" or any(k.startswith("MALLOC_") for k in os.environ):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD: blocks up to 32 MB come from the reusable heap
    libc.mallopt(-1, 512 << 20)  # M_TRIM_THRESHOLD: keep up to 512 MB of freed heap instead of returning it
    libc.mallopt(-2, 64 << 20)  # M_TOP_PAD: grow the heap in 64 MB steps
    return True


def configure():
    """Apply both settings at import; the outcome is kept in STATUS for benchmarks and bug reports."""
    global STATUS
    STATUS = {"blas": configure_blas(), "mallopt": keep_freed_arrays()}


STATUS = {}
