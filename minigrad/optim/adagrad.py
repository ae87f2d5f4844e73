"""Adagrad with lr_decay and an initial accumulator (torch's update)."""
import numpy as np

from ..tensor import Tensor
from .optimizer import Optimizer, _step


class Adagrad(Optimizer):
    """Scale each coordinate's step by the root of its summed squared gradients."""

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                 foreach=None, *, maximize=False, differentiable=False, fused=None):
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value, maximize=maximize,
                                      differentiable=differentiable))
        for group in self.param_groups:  # torch creates Adagrad's state eagerly
            for p in group["params"]:
                self.state[p] = {"step": Tensor(np.zeros((), np.float32)),
                                 "sum": Tensor(np.full_like(p._data, group["initial_accumulator_value"]))}

    def _update(self, p, g, state, group):
        clr = group["lr"] / (1 + (_step(state) - 1) * group["lr_decay"])
        s = state["sum"]._data
        s += g * g
        p += -clr * (g / (np.sqrt(s) + group["eps"]))
