"""Adagrad with lr_decay and initial_accumulator_value (torch's update)."""
import numpy as np

from ..tensor import Tensor
from .optimizer import Optimizer, _check, _step


class Adagrad(Optimizer):
    """Scale each coordinate's step by the root of its summed squared gradients."""

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                 foreach=None, *, maximize=False, differentiable=False, fused=None):
        inf = float("inf")
        _check(**{"learning rate": (lr, 0, inf), "lr_decay value": (lr_decay, 0, inf),
                  "weight_decay value": (weight_decay, 0, inf), "epsilon value": (eps, 0, inf),
                  "initial_accumulator_value value": (initial_accumulator_value, 0, inf)})
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value, maximize=maximize))
        for group in self.param_groups:  # torch creates Adagrad's state eagerly
            for p in group["params"]:
                self.state[p]["step"] = Tensor(np.zeros((), np.float32))
                self.state[p]["sum"] = Tensor(np.full_like(p._data, group["initial_accumulator_value"]))

    def _update(self, p, g, state, group):
        step = _step(state)
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        s = state["sum"]._data
        s += g * g
        p += -clr * (g / (np.sqrt(s) + group["eps"]))
