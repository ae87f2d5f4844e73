"""minigrad: PyTorch's core (Tensor, autograd, nn, optim, data, TensorBoard) in readable numpy."""
from . import _runtime

_runtime.configure()  # BLAS threads and malloc, whatever was imported first (see _runtime.py)
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
from . import linalg, nn, optim, utils  # noqa: E402  (they build on everything above)
from .serialization import load, save  # noqa: E402

__version__ = "0.1.0"
from . import accelerator  # noqa: E402,F401
