"""Losses: functional forms (mse, l1, nll, cross_entropy, binary cross entropy) and their modules."""
import numpy as np

from ..tensor import Tensor
from .activation import logsigmoid
from .module import Module


def _reduction(size_average, reduce, reduction):
    """torch's mapping of the legacy size_average/reduce flags onto reduction."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduction = "none" if reduce is False else ("mean" if size_average else "sum")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce(loss, reduction):
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss


def _torch_size(t):
    return f"torch.Size({list(t.shape)})"


def _pointwise(err, weight, reduction):
    if weight is None:
        return _reduce(err, reduction)
    if weight.shape != err.shape:
        raise ValueError("Weights and input must have the same size.")
    err = err * weight  # torch's weighted form: 'mean' divides by the total weight
    return err.sum() / weight.sum() if reduction == "mean" else _reduce(err, reduction)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean (or sum) of squared differences, optionally weighted."""
    return _pointwise((input - target).square(), weight, _reduction(size_average, reduce, reduction))


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean (or sum) of absolute differences, optionally weighted."""
    return _pointwise((input - target).abs(), weight, _reduction(size_average, reduce, reduction))


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """Negative log-likelihood of class indices given log-probabilities (N, C, ...) or (C,)."""
    reduction = _reduction(size_average, reduce, reduction)
    lp, t = input._data, target._data
    if lp.ndim == 1:
        lp, t = lp[None], t[None]
    if lp.shape[0] != t.shape[0]:
        raise ValueError(f"Expected input batch_size ({lp.shape[0]}) to match target batch_size ({t.shape[0]}).")
    lp = np.moveaxis(lp, 1, -1)
    valid = t != ignore_index
    bad = valid & ((t < 0) | (t >= lp.shape[-1]))
    if bad.any():
        raise IndexError(f"Target {t[bad].flat[0]} is out of bounds.")
    tt = np.where(valid, t, 0)[..., None]
    w = (weight._data[tt[..., 0]] if weight is not None else np.ones(t.shape, lp.dtype)) * valid
    losses = -w * np.take_along_axis(lp, tt, -1)[..., 0]
    if reduction == "none":
        out, scale = losses.reshape(target.shape), w
    elif reduction == "sum":
        out, scale = losses.sum(), w
    else:
        total = w.sum()
        with np.errstate(invalid="ignore", divide="ignore"):  # everything ignored: nan loss, zero gradient
            out, scale = losses.sum() / total, (w / total if total else w)

    def backward(g):
        # d(-sum w_i lp[i, t_i] / total) = -w_i / total at (i, t_i), zero elsewhere
        gl = np.zeros(lp.shape, lp.dtype)
        np.put_along_axis(gl, tt, (-scale * np.reshape(g, scale.shape if g.ndim else ()))[..., None], -1)
        return (np.moveaxis(gl, -1, 1).reshape(input.shape),)
    return Tensor._op(np.asarray(out, lp.dtype), (input,), backward, "NllLossBackward0")


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                  label_smoothing=0.0):
    """log_softmax + nll_loss for class indices, or -sum(p log q) for class-probability targets."""
    reduction = _reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    cdim = 0 if input.dim() == 1 else 1
    n_classes = input.shape[cdim]
    logp = input.log_softmax(cdim)
    wshape = [1] * input.dim()
    wshape[cdim] = n_classes
    wb = None if weight is None else weight.reshape(wshape)
    if target.is_floating_point():  # class probabilities
        if target.shape != input.shape:
            raise RuntimeError(f"Expected target size {list(input.shape)}, got {list(target.shape)}")
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / n_classes
        prod = logp * target if wb is None else logp * target * wb
        loss = -prod.sum(cdim)
        if reduction == "mean":
            return loss.sum() / (input.numel() / n_classes)
        return _reduce(loss, reduction)
    nll = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing == 0:
        return nll
    valid = target._data != ignore_index
    smooth = -(logp if wb is None else logp * wb).sum(cdim) * Tensor(valid.astype(input._data.dtype))
    if reduction == "mean":
        denom = weight._data[target._data[valid]].sum() if weight is not None else valid.sum()
        # everything ignored: torch gives a nan loss but zero gradients
        smooth = smooth.sum() / float(denom) if denom else smooth.sum() * 0 + float("nan")
    else:
        smooth = _reduce(smooth, reduction)
    return nll * (1 - label_smoothing) + smooth * (label_smoothing / n_classes)


def _check_same_size(input, target):
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({_torch_size(target)}) that is different to the input size "
                         f"({_torch_size(input)}) is deprecated. Please ensure they have the same size.")


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """-(t log x + (1 - t) log(1 - x)), logs clamped at -100 like torch."""
    reduction = _reduction(size_average, reduce, reduction)
    _check_same_size(input, target)
    if ((input._data < 0) | (input._data > 1)).any():
        raise RuntimeError("all elements of input should be between 0 and 1")
    loss = -(target * input.log().clamp(min=-100) + (1 - target) * (1 - input).log().clamp(min=-100))
    return _reduce(loss if weight is None else loss * weight, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction="mean",
                                     pos_weight=None):
    """Binary cross entropy of sigmoid(input), computed stably from the logits."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({_torch_size(target)}) must be the same as input size "
                         f"({_torch_size(input)})")
    log_w = 1 if pos_weight is None else 1 + (pos_weight - 1) * target
    loss = (1 - target) * input - log_w * logsigmoid(input)
    return _reduce(loss if weight is None else loss * weight, reduction)


class _Loss(Module):
    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        self.reduction = _reduction(size_average, reduce, reduction)


class MSELoss(_Loss):
    """Mean squared error (reduction='mean' | 'sum' | 'none')."""

    def forward(self, input, target):
        return mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error."""

    def forward(self, input, target):
        return l1_loss(input, target, reduction=self.reduction)


class NLLLoss(_Loss):
    """Negative log-likelihood of class indices given log-probabilities."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return nll_loss(input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction)


class CrossEntropyLoss(_Loss):
    """Cross entropy of logits against class indices or class probabilities."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                 label_smoothing=0.0):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing

    def forward(self, input, target):
        return cross_entropy(input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction,
                             label_smoothing=self.label_smoothing)


class BCELoss(_Loss):
    """Binary cross entropy of probabilities."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)

    def forward(self, input, target):
        return binary_cross_entropy(input, target, self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross entropy of logits (sigmoid folded in for stability)."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean", pos_weight=None):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return binary_cross_entropy_with_logits(input, target, self.weight, reduction=self.reduction,
                                                pos_weight=self.pos_weight)
