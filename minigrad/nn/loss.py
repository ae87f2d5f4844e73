"""Losses: functional forms (mse, l1, nll, cross_entropy, binary cross entropy) and their modules."""
import inspect
import warnings

import numpy as np

from .. import _checks
from ..ops.elementwise import _pair
from ..tensor import Tensor
from .module import Module


def _reduction(size_average, reduce, reduction):  # maps torch's legacy size_average/reduce flags too
    if size_average is not None or reduce is not None:
        reduction = "none" if reduce is False else ("sum" if size_average is False else "mean")
        warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{reduction}' "
                      "instead.", UserWarning, stacklevel=3)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce(loss, reduction):
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Mean (or sum) of squared differences, as one node (MseLossBackward0)."""
    reduction = _reduction(size_average, reduce, reduction)
    _checks.target_size(input, target)
    x, t, _ = _pair(input, target)
    _checks.floating("mse_cpu", x.dtype)
    d = x._data - t._data
    n = d.size if reduction == "mean" else 1
    out = d * d if reduction == "none" else np.asarray((d * d).sum() / n if d.size else np.nan, d.dtype)

    def rule(xp, g, x, t):
        # d sum((x - t)^2) / n = (2 (x - t) g / n, -2 (x - t) g / n)
        gx = (x - t) * g * (2 / n)
        return gx, -gx
    return Tensor._op(out.astype(d.dtype, copy=False), (x, t), rule, "MseLossBackward0", (x, t))


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Mean (or sum) of absolute differences."""
    _checks.target_size(input, target)
    return _reduce((input - target).abs(), _reduction(size_average, reduce, reduction))


def _nll(logp, target, weight, ignore_index, reduction, smoothing=0.0):
    # loss = -sum_c w_c q_c logp_c per sample, q the target's one-hot row mixed with label smoothing's uniform
    # one: this single form is torch's nll_loss (smoothing 0) and its smoothed cross entropy for class indices;
    # 'mean' divides by the summed class weight of the targets that are not ignored
    cdim, t = min(1, logp.dim() - 1), target._data
    c = logp._data.shape[cdim]
    valid = t != ignore_index
    bad = valid & ((t < 0) | (t >= c))
    if bad.any():
        raise IndexError(f"Target {t[bad].flat[0]} is out of bounds.")
    every = valid.all()
    tt = t if every else np.where(valid, t, 0)
    q = np.zeros(tt.shape + (c,), logp._data.dtype)
    q.reshape(-1, c)[np.arange(tt.size), tt.reshape(-1)] = 1 - smoothing  # one-hot rows, no (c, c) identity
    if smoothing or weight is not None:
        q = (q + smoothing / c) * (1 if weight is None else weight._data)
    if not every:
        q *= valid[..., None]
    if cdim != q.ndim - 1:
        q = np.moveaxis(q, -1, cdim)
    if reduction == "none":
        # d loss_i / d logp_ic = -w_c q_ic: for plain nll, -w_t at the target class and 0 elsewhere
        return Tensor._op((logp._data * -q).sum(cdim), (logp,), lambda xp, g: (xp.expand_dims(g, cdim) * -q,),
                          "NllLossBackward0")
    total = (float(valid.sum()) if weight is None else float((weight._data[tt] * valid).sum())) \
        if reduction == "mean" else 1.0
    # d nll / d logp = -w_t / N at each target class (N: the summed weight). After log_softmax's rule this makes
    # cross entropy's gradient (softmax - onehot) / N, the formula to remember
    scale = q * (-1 / (total or 1.0))
    out = (logp._data * scale).sum() if total else np.nan  # every target ignored: torch's mean is nan
    return Tensor._op(np.asarray(out, logp._data.dtype), (logp,), lambda xp, g: (g * scale,), "NllLossBackward0")


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """Negative log-likelihood of class indices given log-probabilities (N, C, ...) or (C,)."""
    _checks.class_targets(input, target, weight)
    return _nll(input, target, weight, ignore_index, _reduction(size_average, reduce, reduction))


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                  label_smoothing=0.0):
    """log_softmax + nll_loss for class indices, or -sum(p log q) for class-probability targets."""
    reduction = _reduction(size_average, reduce, reduction)
    _checks.tensor("cross_entropy_loss", "input", 1, input), _checks.tensor("cross_entropy_loss", "target", 2, target)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    cdim = min(1, input.dim() - 1)
    if target.shape != input.shape:  # torch's rule: a target shaped like the input holds class probabilities
        _checks.class_targets(input, target, weight)
        return _nll(input.log_softmax(cdim), target, weight, ignore_index, reduction, label_smoothing)
    c = input.shape[cdim] if input.dim() else 0
    if not target.is_floating_point():
        raise RuntimeError(f"Expected floating point type for target with class probabilities, got {target.dtype.title}")
    if ignore_index >= 0:
        raise RuntimeError("ignore_index is not supported for floating point target")
    if weight is not None and (weight.dim() != 1 or weight.numel() != c):
        raise RuntimeError(f"cross_entropy: weight tensor should be defined either for all {c} classes or no classes "
                           f"but got weight tensor of shape: {list(weight.shape)}")
    logp = input.log_softmax(cdim)
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + label_smoothing / c
    if weight is not None:
        target = target * weight.reshape([c if i == cdim else 1 for i in range(input.dim())])
    loss = -(logp * target).sum(cdim)
    return loss.sum() / (input.numel() / c) if reduction == "mean" else _reduce(loss, reduction)


def _size(t):
    return f"torch.Size({list(t.shape)})"


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """-(t log x + (1 - t) log(1 - x)), logs clamped at -100 like torch."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({_size(target)}) that is different to the input size "
                         f"({_size(input)}) is deprecated. Please ensure they have the same size.")
    if target.dtype != input.dtype:
        raise RuntimeError(f"Found dtype {target.dtype.title} but expected {input.dtype.title}")
    if weight is not None:
        _checks.infer_size(target.shape, weight.shape), _checks.weight_fits(input.shape, weight)
    if ((input._data < 0) | (input._data > 1)).any():
        raise RuntimeError("all elements of input should be between 0 and 1")
    loss = -(target * input.log().clamp(min=-100) + (1 - target) * (1 - input).log().clamp(min=-100))
    return _reduce(loss if weight is None else loss * weight, reduction)


def logsigmoid(input):
    """log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), stable for large |x|."""
    # d logsigmoid = g sigmoid(-x), written with recorded ops so it can be differentiated again
    x = input._data
    return Tensor._op(np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x))), (input,),
                      lambda xp, g, x: (g * (1 - _sigmoid(xp, x)),), "LogSigmoidBackward0", (input,))


def _sigmoid(xp, x):
    return (xp.tanh(x * 0.5) + 1) * 0.5


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction="mean",
                                     pos_weight=None):
    """Binary cross entropy of sigmoid(input), computed stably from the logits."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({_size(target)}) must be the same as input size ({_size(input)})")
    if not target.is_floating_point():  # torch computes in the target's dtype and cannot store floats there
        raise RuntimeError(f"result type {input.dtype.title} can't be cast to the desired output type "
                           f"{target.dtype.title}")
    _checks.weight_fits(input.shape, weight), _checks.weight_fits(input.shape, pos_weight, first=True)
    log_w = 1 if pos_weight is None else 1 + (pos_weight - 1) * target
    loss = (1 - target) * input - log_w * logsigmoid(input)
    return _reduce(loss if weight is None else loss * weight, reduction)


class _Loss(Module):
    """Base of the loss modules: the constructor takes the options of `function` (torch's order and defaults)."""

    def __init__(self, *args, **kwargs):
        super().__init__()
        options = inspect.signature(self.function).bind(None, None, *args, **kwargs)  # None, None: input, target
        options.apply_defaults()
        options = dict(list(options.arguments.items())[2:])
        self.reduction = _reduction(options.pop("size_average"), options.pop("reduce"), options.pop("reduction"))
        self._options = list(options)
        for k, v in options.items():
            if k in ("weight", "pos_weight"):  # buffers, as in torch: they follow .to() and state_dict
                self.register_buffer(k, v)
            else:
                setattr(self, k, v)

    def forward(self, input, target):
        return self.function(input, target, reduction=self.reduction, **{k: getattr(self, k) for k in self._options})


class MSELoss(_Loss):
    """Mean squared error (reduction='mean' | 'sum' | 'none')."""
    function = staticmethod(mse_loss)


class L1Loss(_Loss):
    """Mean absolute error."""
    function = staticmethod(l1_loss)


class NLLLoss(_Loss):
    """Negative log-likelihood of class indices given log-probabilities."""
    function = staticmethod(nll_loss)


class CrossEntropyLoss(_Loss):
    """Cross entropy of logits against class indices or class probabilities."""
    function = staticmethod(cross_entropy)


class BCELoss(_Loss):
    """Binary cross entropy of probabilities."""
    function = staticmethod(binary_cross_entropy)


class BCEWithLogitsLoss(_Loss):
    """Binary cross entropy of logits (sigmoid folded in for stability)."""
    function = staticmethod(binary_cross_entropy_with_logits)
