"""SGD with momentum, dampening, Nesterov and weight decay (torch's update)."""
import numpy as np

from ..tensor import Tensor
from .optimizer import Optimizer


class SGD(Optimizer):
    """Stochastic gradient descent; the momentum buffer starts as the first gradient, as in torch."""

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
                 maximize=False, foreach=None, differentiable=False, fused=None):
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov, maximize=maximize, differentiable=differentiable))

    def _update(self, p, g, state, group):
        momentum = group["momentum"]
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                state["momentum_buffer"] = buf = Tensor(np.array(g, copy=True))
            else:
                buf._data *= momentum
                buf._data += (1 - group["dampening"]) * g if group["dampening"] else g
            g = g + momentum * buf._data if group["nesterov"] else buf._data
        p += -group["lr"] * g
