"""minigrad: PyTorch's core (Tensor, autograd, nn, optim, data, TensorBoard) in readable numpy."""
import os

# The lecture's matrices are small: OpenBLAS threads cost more than they save (and thrash on a busy machine),
# so use one unless the user chose otherwise. This only takes effect if numpy is not imported yet.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _keep_freed_arrays():
    """Stop glibc from unmapping large freed arrays: re-faulting their pages every training step made a step ~2x
    slower. torch's caching allocator avoids the same cost. No-op off glibc or when MALLOC_* is set by the user."""
    if any(k.startswith("MALLOC_") for k in os.environ):
        return
    try:
        libc = __import__("ctypes").CDLL("libc.so.6")
    except OSError:
        return
    libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD: blocks up to 32 MB come from the reusable heap
    libc.mallopt(-1, 512 << 20)  # M_TRIM_THRESHOLD: keep up to 512 MB of freed heap instead of returning it
    libc.mallopt(-2, 64 << 20)  # M_TOP_PAD: grow the heap in 64 MB steps


_keep_freed_arrays()
from . import autograd, ops  # noqa: F401  (ops attach Tensor's methods)
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .creation import (arange, as_tensor, empty, empty_like, eye, from_numpy, full, full_like, linspace, ones,
                       ones_like, rand, rand_like, randint, randn, randn_like, randperm, tensor, zeros, zeros_like)
from .device import cuda, device, set_default_device
from .dtypes import dtype, get_default_dtype, set_default_dtype
from .dtypes import bool_ as bool
from .dtypes import float32, float64, int32, int64, uint8
from .functions import *  # noqa: F401,F403  (top-level forms: minigrad.exp, minigrad.cat, ...)
from .random import Generator, default_generator, initial_seed, manual_seed, seed
from .tensor import Size, Tensor

float, double, long, int = float32, float64, int64, int32  # noqa: A001  torch's aliases
half = None
from . import nn, optim, utils  # noqa: E402  (they build on everything above)
from .serialization import load, save  # noqa: E402

__version__ = "0.1.0"
