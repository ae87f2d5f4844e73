"""F.pad: constant padding is one op (ConstantPadNdBackward0: its gradient is g cropped back); reflect, replicate
and circular padding are one gather, through an index per padded dim, so their gradients come from indexing."""
import numpy as np

from ..tensor import Tensor

# where each output cell of a dim of size n, padded by (a, b), reads from
_SOURCES = {
    "reflect": lambda n, a, b: (n - 1) - np.abs((n - 1) - np.abs(np.arange(-a, n + b))),
    "replicate": lambda n, a, b: np.clip(np.arange(-a, n + b), 0, n - 1),
    # circular crops first (negative pads), then wraps around what is left
    "circular": lambda n, a, b: max(-a, 0) + np.arange(-max(a, 0), n + min(a, 0) + b) % (n - max(-a, 0) - max(-b, 0)),
}


def pad(input, pad, mode="constant", value=None):
    """Pad input's last len(pad) // 2 dims; pad holds (left, right) pairs, the last dim's first, as in torch."""
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    nd = len(pad) // 2
    if nd > input.dim():
        raise RuntimeError(f"Padding length should be less than or equal to two times the input dimension but got "
                           f"padding length {len(pad)} and input of dimension {input.dim()}")
    pairs = [tuple(pad[2 * i:2 * i + 2]) for i in reversed(range(nd))]  # the first padded dim's pair first
    sizes = input.shape[input.dim() - nd:]
    if mode == "constant":
        return _constant(input, pairs, 0 if value is None else value)
    if mode not in _SOURCES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    if nd > 3 or input.dim() not in (nd + 1, nd + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.dim()}D input tensor.\nSupported combinations for "
            "non-constant padding:\n  - 2D or 3D input: padding size = 2 (pads last dimension)\n  - 3D or 4D input: "
            "padding size = 4 (pads last 2 dimensions)\n  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    for i, (n, (a, b)) in enumerate(zip(sizes, pairs)):
        if mode == "reflect" and max(a, b) >= n:
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, but "
                               f"got: padding ({a}, {b}) at dimension {input.dim() - nd + i} of input "
                               f"{list(input.shape)}")
        if mode == "circular" and max(a, b) > n:
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if n + a + b < (mode != "circular"):
            raise RuntimeError("Negative padding value is resulting in an empty dimension" if mode == "circular" else
                               f"input (W: {n}) is too small. Calculated output W: {n + a + b}")
    return input[(...,) + np.ix_(*[_SOURCES[mode](n, a, b) for n, (a, b) in zip(sizes, pairs)])]


def _constant(input, pairs, value):
    """Constant padding; a negative pad crops, as in torch."""
    nd = len(pairs)
    sizes = input.shape[input.dim() - nd:]
    if any(n + a + b < 0 for n, (a, b) in zip(sizes, pairs)):
        raise RuntimeError("narrow(): length must be non-negative.")
    if any(min(ab) < 0 for ab in pairs):
        input = input[(...,) + tuple(slice(max(-a, 0), n - max(-b, 0)) for n, (a, b) in zip(sizes, pairs))]
    widths = ((0, 0),) * (input.dim() - nd) + tuple((max(a, 0), max(b, 0)) for a, b in pairs)
    keep = tuple(slice(a, a + n) for (a, _), n in zip(widths, input.shape))
    # d pad = g cropped back to the input's cells
    return Tensor._op(np.pad(input._data, widths, constant_values=value), (input,), lambda xp, g: (g[keep],),
                      "ConstantPadNdBackward0")
