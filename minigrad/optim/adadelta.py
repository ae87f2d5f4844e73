"""Adadelta (torch's update)."""
import numpy as np

from .optimizer import Optimizer, _step, _zeros


class Adadelta(Optimizer):
    """Step size from the ratio of running RMS of past updates to running RMS of gradients."""

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, capturable=False,
                 maximize=False, differentiable=False):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
                                      capturable=capturable, differentiable=differentiable))

    def _update(self, p, g, state, group):
        rho, eps = group["rho"], group["eps"]
        _step(state)
        sq, acc = _zeros(state, "square_avg", p), _zeros(state, "acc_delta", p)
        sq *= rho
        sq += (1 - rho) * g * g
        delta = np.sqrt(acc + eps) / np.sqrt(sq + eps) * g
        acc *= rho
        acc += (1 - rho) * delta * delta
        p += -group["lr"] * delta
