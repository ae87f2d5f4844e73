"""RMSprop, optionally centered and with momentum (torch's update)."""
import numpy as np

from .optimizer import Optimizer, _lerp_, _step, _zeros


class RMSprop(Optimizer):
    """Divide the gradient by a running RMS of recent gradients (optionally centered, with momentum)."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                                      weight_decay=weight_decay, maximize=maximize,
                                      capturable=capturable, differentiable=differentiable))

    def _update(self, p, g, state, group):
        alpha = group["alpha"]
        _step(state)
        sq = _zeros(state, "square_avg", p)
        sq *= alpha
        sq += (1 - alpha) * g * g
        if group["centered"]:
            ga = _zeros(state, "grad_avg", p)
            _lerp_(ga, g, 1 - alpha)
            sq = sq + -1 * ga * ga
        update = g / (np.sqrt(sq) + group["eps"])
        if group["momentum"] > 0:
            buf = _zeros(state, "momentum_buffer", p)
            buf *= group["momentum"]
            buf += update
            update = buf
        p += -group["lr"] * update
