"""The two namespaces a backward rule computes in: numpy arrays (first order) or Tensors (create_graph=True).

A rule is written once, as `rule(xp, g, *saved)`. Operators (+, *, @, g[idx]) and .reshape work on both
arrays and Tensors; everything else a rule needs is called through `xp`. With ARRAYS the rule is plain numpy
(fast, no graph); with TENSORS every step is a recorded op, so the gradient has a graph of its own and can be
differentiated again. This module imports no Tensor: TENSORS calls Tensor methods by name.
"""
import operator

import numpy as np


def scatter_add(g, shape, index, unique=False):
    """zeros(shape) with g added at index; repeated positions accumulate (the adjoint of x[index])."""
    if len(shape) == 1 and isinstance(index, np.ndarray) and index.dtype.kind in "iu" and not unique:
        return np.bincount((index % shape[0]).ravel(), g.ravel(), shape[0]).astype(g.dtype)  # fast sum, flat index
    out = np.zeros(shape, g.dtype)
    parts = index if isinstance(index, tuple) else (index,)
    if unique or all(isinstance(p, (int, np.integer, slice, type(None), type(Ellipsis))) for p in parts):
        out[index] = g  # basic indexing (or a caller's promise) never repeats a position: assignment is enough
    else:
        np.add.at(out, index, g)
    return out


def cumsum(x, axis, reverse=False):
    """Running sums along axis; reverse sums from the end (the adjoint of the forward running sum)."""
    if x.ndim == 0:
        return x.copy()
    return np.flip(np.cumsum(np.flip(x, axis), axis), axis) if reverse else np.cumsum(x, axis)


def power(x, p):
    """x ** p for a scalar p; small integer powers by multiplication, which is much faster than powf."""
    if p in (0, 1, 2, 3, 4):
        out = np.ones_like(x) if p == 0 else x
        for _ in range(int(p) - 1):
            out = out * x
        return out
    return np.power(x, x.dtype.type(p))


class ARRAYS:
    """First-order backward: rules run on numpy arrays; saved tensors unpack to their arrays."""
    graph = False
    exp, log, sin, cos, tanh, sign = np.exp, np.log, np.sin, np.cos, np.tanh, np.sign
    where, broadcast_to = np.where, np.broadcast_to
    transpose = staticmethod(lambda x, axes: x.transpose(axes))  # methods: np.transpose's wrapper costs more
    swapaxes = staticmethod(lambda x, a, b: x.swapaxes(a, b))
    expand_dims = np.expand_dims
    scatter_add, power, cumsum = staticmethod(scatter_add), staticmethod(power), staticmethod(cumsum)
    astype = staticmethod(lambda x, dtype: x.astype(dtype.np, copy=False))
    sum = staticmethod(lambda x, axis=None, keepdims=False: x.sum(axis, keepdims=keepdims))  # np.sum: slower
    unpack = staticmethod(lambda t, node: t._data)
    wrap = staticmethod(lambda g, like: like.__class__(g))  # a Tensor around g, for hooks and custom Functions
    unwrap = staticmethod(lambda t: t._data)


class TENSORS:
    """create_graph=True: rules run on Tensors, so each step of the gradient is itself recorded."""
    graph = True
    exp, log, sin, cos, tanh, sign = map(operator.methodcaller, ("exp", "log", "sin", "cos", "tanh", "sign"))
    where = staticmethod(lambda c, a, b: a.where(c, b))
    broadcast_to = staticmethod(lambda x, shape: x.expand(shape))
    transpose = staticmethod(lambda x, axes: x.permute(axes))
    swapaxes = staticmethod(lambda x, a, b: x.transpose(a, b))
    scatter_add = staticmethod(lambda g, shape, index, unique=False: g.scatter_add_into(shape, index, unique))
    power = staticmethod(lambda x, p: x ** p)
    astype = staticmethod(lambda x, dtype: x.to(dtype))
    cumsum = staticmethod(lambda x, axis, reverse=False: x._cumsum(axis, reverse))
    sum = staticmethod(lambda x, axis=None, keepdims=False: x if axis == () else x.sum(axis, keepdims))  # as numpy
    wrap, unwrap = staticmethod(lambda g, like: g), staticmethod(lambda t: t)

    @staticmethod
    def expand_dims(x, axes):
        for a in sorted(axes if isinstance(axes, tuple) else (axes,)):
            x = x.unsqueeze(a)
        return x

    @staticmethod
    def unpack(t, node):
        if node is None:
            return t
        out = t.detach()  # the node's own output: a tensor whose gradient flows back into this node
        out.grad_fn, out.requires_grad = node, True
        return out
