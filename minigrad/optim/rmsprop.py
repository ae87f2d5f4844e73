"""RMSprop with optional centering and momentum (torch's update)."""
import numpy as np

from .optimizer import Optimizer, _check, _lerp_, _step, _zeros


class RMSprop(Optimizer):
    """Divide the gradient by a running RMS of recent gradients."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        inf = float("inf")
        _check(**{"learning rate": (lr, 0, inf), "epsilon value": (eps, 0, inf), "momentum value": (momentum, 0, inf),
                  "weight_decay value": (weight_decay, 0, inf), "alpha value": (alpha, 0, inf)})
        super().__init__(params, dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                                      weight_decay=weight_decay, maximize=maximize))

    def _update(self, p, g, state, group):
        alpha, lr, momentum = group["alpha"], group["lr"], group["momentum"]
        _step(state)
        sq = _zeros(state, "square_avg", p)
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p
        sq *= alpha
        sq += (1 - alpha) * g * g
        if group["centered"]:
            ga = _zeros(state, "grad_avg", p)
            _lerp_(ga, g, 1 - alpha)
            avg = np.sqrt(sq + -1 * ga * ga) + group["eps"]
        else:
            avg = np.sqrt(sq) + group["eps"]
        if momentum > 0:
            buf = _zeros(state, "momentum_buffer", p)
            buf *= momentum
            buf += g / avg
            p += -lr * buf
        else:
            p += -lr * (g / avg)
