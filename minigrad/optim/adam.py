"""Adam and AdamW (decoupled weight decay), with amsgrad (torch's update)."""
import numpy as np

from .optimizer import Optimizer, _lerp_, _step, _zeros


class Adam(Optimizer):
    """Adam: bias-corrected running averages of the gradient and its square."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
                 decoupled_weight_decay=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize, decoupled_weight_decay=decoupled_weight_decay,
                                      capturable=capturable, differentiable=differentiable))

    def _update(self, p, g, state, group):
        lr, (beta1, beta2) = group["lr"], group["betas"]
        step = _step(state)
        m, v = _zeros(state, "exp_avg", p), _zeros(state, "exp_avg_sq", p)
        if group["decoupled_weight_decay"]:
            p *= 1 - lr * group["weight_decay"]  # AdamW: decay the weights themselves, not through the gradient
        _lerp_(m, g, 1 - beta1)
        v *= beta2
        v += (1 - beta2) * g * g
        if group["amsgrad"]:
            vmax = _zeros(state, "max_exp_avg_sq", p)
            v = np.maximum(vmax, v, out=vmax)
        p += -lr / (1 - beta1 ** step) * (m / (np.sqrt(v) / (1 - beta2 ** step) ** 0.5 + group["eps"]))


class AdamW(Adam):
    """Adam with decoupled weight decay: p *= 1 - lr * weight_decay before the Adam step."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *,
                 maximize=False, foreach=None, capturable=False, differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize, capturable=capturable,
                         differentiable=differentiable, decoupled_weight_decay=True)
