"""Linear algebra: matmul (1-D, 2-D and broadcast batched operands) and addmm, the op under nn.Linear."""
import numpy as np

from ..tensor import Tensor
from .elementwise import _pair


def _check(x, y):
    if x.ndim == 0 or y.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {x.ndim}D and {y.ndim}D")
    if x.shape[-1] != y.shape[-2 if y.ndim > 1 else 0]:
        if x.ndim == 1 and y.ndim == 1:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{x.shape[0]}] and src [{y.shape[0]}] "
                               "to have the same number of elements, but got "
                               f"{x.shape[0]} and {y.shape[0]} elements respectively")
        xs = "x".join(map(str, x.shape if x.ndim > 1 else (1,) + x.shape))
        ys = "x".join(map(str, y.shape if y.ndim > 1 else y.shape + (1,)))
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({xs} and {ys})")


def matmul(self, other):
    """Matrix product with numpy/torch semantics for 1-D, 2-D and batched (broadcast) operands."""
    a, b, _ = _pair(self, other)
    x, y = a._data, b._data
    _check(x, y)
    vx, vy = x.ndim == 1, y.ndim == 1

    def rule(xp, g, x, y):
        # d(X @ Y) = (G @ Y^T, X^T @ G); 1-D operands are lifted to matrices, and squeezed back after
        g2 = g.reshape(g.shape[:-1] + (1,) + g.shape[-1:]) if vx else g
        g2 = g2.reshape(g2.shape + (1,)) if vy else g2
        gx = gy = None
        if y is not None:
            y2 = y.reshape(y.shape + (1,)) if vy else y
            gx = g2 @ xp.swapaxes(y2, -1, -2)
            gx = gx.reshape(gx.shape[:-2] + gx.shape[-1:]) if vx else gx
        if x is not None:
            x2 = x.reshape((1,) + x.shape) if vx else x
            gy = xp.swapaxes(x2, -1, -2) @ g2
            gy = gy.reshape(gy.shape[:-1]) if vy else gy
        return gx, gy
    saved = (a if b.requires_grad else None, b if a.requires_grad else None)
    return Tensor._op(np.matmul(x, y), (a, b), rule, "MmBackward0", saved)


def addmm(input, mat1, mat2):
    """input + mat1 @ mat2 for matrices, as one node (torch.addmm; nn.Linear's op)."""
    m1, m2 = mat1._data, mat2._data
    _check(m1, m2)
    out = m1 @ m2
    if input is not None:
        out += input._data

    def rule(xp, g, m1, m2):
        # d(b + X W) = (g, summed to b's shape by the engine; g W^T; X^T g)
        return g, (None if m2 is None else g @ xp.swapaxes(m2, 0, 1)), (None if m1 is None else
                                                                         xp.swapaxes(m1, 0, 1) @ g)
    saved = (mat1 if mat2.requires_grad else None, mat2 if mat1.requires_grad else None)
    if input is None:
        return Tensor._op(out, (mat1, mat2), lambda xp, g, m1, m2: rule(xp, g, m1, m2)[1:], "MmBackward0", saved)
    return Tensor._op(out, (input, mat1, mat2), rule, "AddmmBackward0", saved)


Tensor.matmul = Tensor.__matmul__ = Tensor.mm = matmul
