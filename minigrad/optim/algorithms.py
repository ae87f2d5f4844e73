"""The optimizers' update rules (torch's formulas), applied by Optimizer.step to each parameter's numpy array."""
import numpy as np

from ..tensor import Tensor
from .optimizer import Optimizer, _lerp_, _step, _zeros


class SGD(Optimizer):
    """Stochastic gradient descent; the momentum buffer starts as the first gradient, as in torch."""

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
                 maximize=False, foreach=None, differentiable=False, fused=None):
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov, maximize=maximize))

    def _update(self, p, g, state, group):
        momentum = group["momentum"]
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                state["momentum_buffer"] = buf = Tensor(np.array(g, copy=True))
            else:
                buf._data *= momentum
                buf._data += (1 - group["dampening"]) * g
            g = g + momentum * buf._data if group["nesterov"] else buf._data
        p += -group["lr"] * g


class Adam(Optimizer):
    """Adam: bias-corrected running averages of the gradient and its square."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
                 decoupled_weight_decay=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize, decoupled_weight_decay=decoupled_weight_decay))

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
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize,
                         decoupled_weight_decay=True)


class RMSprop(Optimizer):
    """Divide the gradient by a running RMS of recent gradients (optionally centered, with momentum)."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                                      weight_decay=weight_decay, maximize=maximize))

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


class Adagrad(Optimizer):
    """Scale each coordinate's step by the root of its summed squared gradients."""

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                 foreach=None, *, maximize=False, differentiable=False, fused=None):
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value, maximize=maximize))
        for group in self.param_groups:  # torch creates Adagrad's state eagerly
            for p in group["params"]:
                self.state[p] = {"step": Tensor(np.zeros((), np.float32)),
                                 "sum": Tensor(np.full_like(p._data, group["initial_accumulator_value"]))}

    def _update(self, p, g, state, group):
        clr = group["lr"] / (1 + (_step(state) - 1) * group["lr_decay"])
        s = state["sum"]._data
        s += g * g
        p += -clr * (g / (np.sqrt(s) + group["eps"]))


class Adadelta(Optimizer):
    """Step size from the ratio of running RMS of past updates to running RMS of gradients."""

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, capturable=False,
                 maximize=False, differentiable=False):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize))

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
