"""Weight initialisation in place (torch.nn.init), drawing from minigrad's generators."""
import math
import warnings

import numpy as np

from ..autograd import no_grad
from ..creation import empty

_GAINS = {**dict.fromkeys(("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                           "conv_transpose3d", "sigmoid"), 1), "tanh": 5.0 / 3, "relu": math.sqrt(2.0), "selu": 3.0 / 4}


def calculate_gain(nonlinearity, param=None):
    """The recommended gain for a nonlinearity, as torch computes it."""
    if nonlinearity == "leaky_relu":
        if not (param is None or isinstance(param, (int, float)) and not isinstance(param, bool)):
            raise ValueError(f"negative_slope {param} not a valid number")
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity not in _GAINS:
        raise ValueError(f"Unsupported nonlinearity {nonlinearity}")
    return _GAINS[nonlinearity]


def _calculate_fan_in_and_fan_out(tensor):
    """(fan_in, fan_out) of a weight: input/output features times the receptive field size."""
    if tensor.dim() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill tensor with samples from U(a, b)."""
    with no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill tensor with samples from N(mean, std^2)."""
    with no_grad():
        return tensor.normal_(mean, std, generator=generator)


def constant_(tensor, val):
    """Fill tensor with val."""
    with no_grad():
        return tensor.fill_(val)


def zeros_(tensor):
    """Fill tensor with zeros."""
    return constant_(tensor, 0.0)


def ones_(tensor):
    """Fill tensor with ones."""
    return constant_(tensor, 1.0)


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """Glorot uniform: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out))."""
    bound = math.sqrt(3.0) * gain * math.sqrt(2.0 / sum(_calculate_fan_in_and_fan_out(tensor)))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Glorot normal: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / sum(_calculate_fan_in_and_fan_out(tensor))), generator)


def _kaiming_std(tensor, a, mode, nonlinearity):
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", UserWarning, stacklevel=3)
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of {['fan_in', 'fan_out']}")
    fan = _calculate_fan_in_and_fan_out(tensor)[mode == "fan_out"]
    return calculate_gain(nonlinearity, a) / math.sqrt(fan) if fan else 0.0  # torch leaves empty tensors alone


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He uniform: U(-b, b) with b = gain * sqrt(3 / fan)."""
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He normal: N(0, std^2) with std = gain / sqrt(fan)."""
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)


def _empty(shape, dtype=None, device=None, fill=0.0):
    """A layer's parameter or buffer array, its sizes, dtype and device checked as torch.empty checks them (a
    negative size gets torch's RuntimeError, device='cuda' minigrad's), filled with fill."""
    arr = empty(*shape, dtype=dtype, device=device)._data
    arr[...] = fill
    return arr


def _layer_parameters(module, weight_shape, bias, dtype, device=None):
    """Give a Linear/Conv2d its weight and bias with torch's default init: kaiming_uniform_(a=sqrt(5)) weights,
    U(+-1/sqrt(fan_in)) bias, so untrained models have torch's statistics."""
    from .module import Parameter
    module.weight = Parameter(_empty(weight_shape, dtype, device))
    module.bias = Parameter(_empty(weight_shape[:1], dtype, device)) if bias else None
    kaiming_uniform_(module.weight, a=math.sqrt(5))
    if bias:
        fan_in, _ = _calculate_fan_in_and_fan_out(module.weight)
        uniform_(module.bias, -1 / math.sqrt(fan_in) if fan_in > 0 else 0, 1 / math.sqrt(fan_in) if fan_in > 0 else 0)
