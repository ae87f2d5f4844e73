"""State dicts between engines, always through numpy, so that minigrad never sees (or imports) torch."""
import contextlib

import numpy as np


def to_numpy(state):
    """A module's state dict (or a {name: tensor or number} dict) as {name: independent ndarray copy}."""
    if hasattr(state, "state_dict"):
        state = state.state_dict()
    return {k: (v.detach().cpu().numpy() if hasattr(v, "detach") else np.asarray(v)).copy() for k, v in state.items()}


def to_engine(lib, state):
    """{name: ndarray} as {name: tensor of `lib`}, dtypes kept; torch places them by the active device context."""
    return {k: lib.tensor(np.array(v)) for k, v in state.items()}


def load(module, lib, state):
    """Load a numpy state dict into a `lib` module (strictly: names and shapes must match) and return it."""
    module.load_state_dict(to_engine(lib, state))
    return module


def placed(lib, device):
    """A context in which `lib`'s factories create tensors on `device` (torch only; minigrad is CPU-only)."""
    if device == "cpu" or lib.__name__ != "torch":
        return contextlib.nullcontext()
    return lib.device(device)
