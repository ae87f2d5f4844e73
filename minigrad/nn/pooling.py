"""Pooling: max_pool2d and avg_pool2d over kernel windows (stride-trick views), and their modules."""
import numpy as np

from ..tensor import Tensor
from .conv import _col2im, _pair, _windows
from .module import Module


def _geometry(x, kernel_size, stride, padding, dilation, ceil_mode):
    """Normalised (k, s, p, d), output size, and the padded extent the windows need."""
    k, p, d = _pair(kernel_size), _pair(padding), _pair(dilation)
    s = _pair(kernel_size if stride is None or stride == [] else stride)
    for i in range(2):
        if p[i] > (d[i] * (k[i] - 1) + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p[i]}, "
                               f"kernel_size={k[i]} and dilation={d[i]}")
    out, need = [], []
    for i, size in enumerate(x.shape[-2:]):
        o = (size + 2 * p[i] - d[i] * (k[i] - 1) - 1 + (s[i] - 1 if ceil_mode else 0)) // s[i] + 1
        if ceil_mode and (o - 1) * s[i] >= size + p[i]:
            o -= 1  # the last window must start inside the input or its left padding
        out.append(o)
        need.append(max((o - 1) * s[i] + d[i] * (k[i] - 1) + 1, size + 2 * p[i]))
    if min(out) < 1:
        raise RuntimeError(f"Given input size: ({'x'.join(map(str, x.shape[-3:]))}). Calculated output size: "
                           f"({x.shape[-3]}x{out[0]}x{out[1]}). Output size is too small")
    return k, s, p, d, tuple(out), need


def _pad(x, p, need, value):
    return np.pad(x, ((0, 0), (0, 0), (p[0], need[0] - x.shape[2] - p[0]), (p[1], need[1] - x.shape[3] - p[1])),
                  constant_values=value)


def _unbatched(fn):
    def wrapper(input, *args, **kwargs):
        if input.dim() == 3:
            res = fn(input.unsqueeze(0), *args, **kwargs)
            return tuple(r.squeeze(0) for r in res) if isinstance(res, tuple) else res.squeeze(0)
        if input.dim() != 4:
            raise RuntimeError(f"{fn.__name__}: Expected 3D or 4D (batch mode) tensor for input, but got: "
                               f"{list(input.shape)}")
        return fn(input, *args, **kwargs)
    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


@_unbatched
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Max over each kernel window; the gradient goes to the first maximum, as in torch."""
    x = input._data
    k, s, p, d, out, need = _geometry(x, kernel_size, stride, padding, dilation, ceil_mode)
    n, c, h, w = x.shape
    fast = (k == s and p == (0, 0) and d == (1, 1) and not return_indices
            and out[0] * k[0] <= h and out[1] * k[1] <= w)
    if fast:
        # non-overlapping windows: the max of kh*kw strided slices; backward hands g to the first slice that
        # holds the max (torch's first-maximum rule)
        oh, ow = out[0] * k[0], out[1] * k[1]
        parts = [x[:, :, i:oh:k[0], j:ow:k[1]] for i, j in np.ndindex(*k)]
        y = parts[0]
        for part in parts[1:]:
            y = np.maximum(y, part)

        def backward(g):
            gx, free = np.zeros(x.shape, g.dtype), np.ones(y.shape, bool)
            for (i, j), part in zip(np.ndindex(*k), parts):
                hit = (part == y) & free
                gx[:, :, i:oh:k[0], j:ow:k[1]] = np.where(hit, g, 0)
                free &= ~hit
            return (gx,)
        return Tensor._op(y, (input,), backward, "MaxPool2DWithIndicesBackward0")
    low = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    xp = _pad(x, p, need, low)
    flat = _windows(xp, k, s, d, out).reshape(n, c, out[0], out[1], k[0] * k[1])
    idx = flat.argmax(-1)[..., None]
    y = np.take_along_axis(flat, idx, -1)[..., 0]

    def backward(g):
        # d max = g routed to the arg-max position of each window
        gwin = np.zeros(flat.shape, g.dtype)
        np.put_along_axis(gwin, idx, g[..., None], -1)
        gwin = gwin.reshape(n, c, out[0], out[1], k[0], k[1])
        return (_col2im(gwin, xp.shape, k, s, d, out)[:, :, p[0]:p[0] + h, p[1]:p[1] + w],)
    res = Tensor._op(y, (input,), backward, "MaxPool2DWithIndicesBackward0")
    if not return_indices:
        return res
    ki, kj = np.divmod(idx[..., 0], k[1])
    rows = np.arange(out[0])[:, None] * s[0] - p[0] + ki * d[0]
    cols = np.arange(out[1]) * s[1] - p[1] + kj * d[1]
    return res, Tensor((rows * w + cols).astype(np.int64))


@_unbatched
def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """Mean over each kernel window, with torch's divisor rules for padding and ceil_mode."""
    x = input._data
    k, s, p, _, out, need = _geometry(x, kernel_size, stride, padding, 1, ceil_mode)
    n, c, h, w = x.shape
    xp = _pad(x, p, need, 0)
    if divisor_override:
        div = np.asarray(divisor_override, x.dtype)
    else:  # count the window cells that lie in the input (or its padding, with count_include_pad)
        m = np.zeros((1, 1) + tuple(need), x.dtype)
        if count_include_pad:
            m[..., :h + 2 * p[0], :w + 2 * p[1]] = 1
        else:
            m[..., p[0]:p[0] + h, p[1]:p[1] + w] = 1
        div = _windows(m, k, s, (1, 1), out).sum((-2, -1))[0, 0]
    y = (_windows(xp, k, s, (1, 1), out).sum((-2, -1)) / div).astype(x.dtype)

    def backward(g):
        # d mean = g / divisor spread over every cell of the window
        gwin = np.broadcast_to((g / div).astype(g.dtype)[..., None, None], (n, c) + out + k)
        return (_col2im(gwin, xp.shape, k, s, (1, 1), out)[:, :, p[0]:p[0] + h, p[1]:p[1] + w],)
    return Tensor._op(y, (input,), backward, "AvgPool2DBackward0")


class MaxPool2d(Module):
    """Max pooling layer (stride defaults to kernel_size)."""

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False):
        super().__init__()
        self.kernel_size, self.stride = kernel_size, stride if stride is not None else kernel_size
        self.padding, self.dilation, self.return_indices, self.ceil_mode = padding, dilation, return_indices, ceil_mode

    def forward(self, input):
        return max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                          self.return_indices)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class AvgPool2d(Module):
    """Average pooling layer (stride defaults to kernel_size)."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                 divisor_override=None):
        super().__init__()
        self.kernel_size, self.stride = kernel_size, stride if stride is not None else kernel_size
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, input):
        return avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                          self.count_include_pad, self.divisor_override)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"
