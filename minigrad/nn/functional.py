"""torch.nn.functional: linear, activations and dropout here; convolution, pooling and losses from their files."""
import math

from ..random import _gen
from ..tensor import Tensor
from .conv import avg_pool2d, conv2d, max_pool2d  # noqa: F401
from .loss import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, l1_loss,  # noqa: F401
                   logsigmoid, mse_loss, nll_loss)


def linear(input, weight, bias=None):
    """y = x @ W^T + b over the last dim of x, as one graph node."""
    x, w = input._data, weight._data
    if x.shape[-1] != w.shape[-1]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({math.prod(x.shape[:-1])}x{x.shape[-1]} and "
                           f"{w.shape[1]}x{w.shape[0]})")
    x2 = x.reshape(-1, w.shape[1])
    out = x2 @ w.T
    if bias is not None:
        out += bias._data

    def backward(g):
        # d(x W^T + b) = (g W, g^T x, sum of g over rows)
        g2 = g.reshape(-1, w.shape[0])
        gx = (g2 @ w).reshape(x.shape) if input.requires_grad else None
        gw = g2.T @ x2 if weight.requires_grad else None
        return gx, gw, (g2.sum(0) if bias is not None else None)
    return Tensor._op(out.reshape(x.shape[:-1] + (w.shape[0],)), (input, weight) if bias is None else
                      (input, weight, bias), backward, "AddmmBackward0" if bias is not None else "MmBackward0")


def relu(input, inplace=False):
    """max(x, 0)."""
    return input.relu()


def sigmoid(input):
    """1 / (1 + exp(-x))."""
    return input.sigmoid()


def tanh(input):
    """Hyperbolic tangent."""
    return input.tanh()


def _implicit_dim(input, dim):
    return (0 if input.dim() in (0, 1, 3) else 1) if dim is None else dim  # torch's legacy choice for dim=None


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """exp(x) / sum(exp(x)) along dim."""
    input = input if dtype is None else input.to(dtype)
    return input.softmax(_implicit_dim(input, dim))


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log(softmax(x)) along dim, computed stably."""
    input = input if dtype is None else input.to(dtype)
    return input.log_softmax(_implicit_dim(input, dim))


def _check_dropout(p):
    if p < 0 or p > 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout(input, p=0.5, training=True, inplace=False):
    """Identity when not training; else zero each element with probability p and scale by 1/(1-p)."""
    _check_dropout(p)
    if not training or p == 0:
        return input
    if p == 1:
        return input * 0
    keep = _gen(None).random(input.shape) >= p
    return input * Tensor((keep / (1 - p)).astype(input._data.dtype))
