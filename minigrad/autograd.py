"""The autograd engine: graph nodes, the backward walk, grad mode, custom Functions, gradcheck."""
import functools

import numpy as np

_grad_enabled = [True]


def is_grad_enabled():
    """True when ops record the graph for backward."""
    return _grad_enabled[0]


class _GradMode:
    """A context manager and decorator that sets grad mode inside, and restores the previous mode after."""

    def __init__(self, mode):
        self.mode = mode

    def __enter__(self):
        self.prev = _grad_enabled[0]
        _grad_enabled[0] = self.mode

    def __exit__(self, *exc):
        _grad_enabled[0] = self.prev

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with _GradMode(self.mode):  # a fresh one per call: recursion keeps each call's previous mode
                return fn(*args, **kwargs)
        return wrapper


class no_grad(_GradMode):
    """Disable graph recording (context manager or decorator)."""

    def __init__(self):
        super().__init__(False)


class enable_grad(_GradMode):
    """Enable graph recording (context manager or decorator)."""

    def __init__(self):
        super().__init__(True)


class set_grad_enabled(_GradMode):
    """Set grad mode at once, like torch; used with `with` (or as a decorator) the previous mode comes back after."""

    def __init__(self, mode):
        super().__init__(bool(mode))
        self.prev, _grad_enabled[0] = _grad_enabled[0], self.mode

    def __enter__(self):
        pass  # already switched by __init__

    def __call__(self, fn):
        _grad_enabled[0] = self.prev  # as a decorator it applies only inside fn
        return super().__call__(fn)


class Node:
    """One recorded op: how to turn its output's gradient into its inputs' gradients."""
    __slots__ = ("_name", "parents", "shapes", "backward", "hooks", "variable")

    def __init__(self, name, parents, shapes, backward):
        self._name, self.parents, self.shapes, self.backward = name, parents, shapes, backward
        self.hooks = self.variable = None

    def name(self):
        """torch's name for this backward node, e.g. 'MulBackward0'."""
        return self._name

    @property
    def next_functions(self):
        """The nodes gradients flow to next, as torch's ((node, 0), ...) tuple."""
        return tuple((p, 0) for p in self.parents)

    def register_hook(self, fn):
        """Call fn(grad) -> grad or None when this node's output gradient is complete."""
        self.hooks = (self.hooks or []) + [fn]

    def __repr__(self):
        return f"<{self._name} object at {id(self):#x}>"


def accumulate_node(t):
    """The AccumulateGrad node that stores gradients into leaf t.grad (one per leaf, cached)."""
    node = t._accum
    if node is None:
        node = t._accum = Node("AccumulateGrad", (), (), None)
        node.variable = t
    return node


def _unbroadcast(g, shape):
    """Sum a broadcast gradient back to shape: d(broadcast x)/dx sums over the repeated axes."""
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, n in enumerate(shape) if n == 1 and g.shape[i + lead] != 1)
    return g.sum(axis=axes, keepdims=True).reshape(shape) if axes else g.reshape(shape)


def _toposort(roots):
    """Nodes reachable from roots, each after all nodes that feed gradient into it (no recursion)."""
    order, seen = [], set()
    for root in roots:
        if root is None or root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(root.parents))]
        while stack:
            node, it = stack[-1]
            for p in it:
                if p is not None and p not in seen:
                    seen.add(p)
                    stack.append((p, iter(p.parents)))
                    break
            else:
                stack.pop()
                order.append(node)
    return order[::-1]


def run_backward(roots, grads, retain_graph=False, inputs=None):
    """Propagate grads from root nodes; accumulate into leaves, or return grads of `inputs` nodes."""
    pending = {}  # node -> the sum of the gradients that reached it so far
    for r, g in zip(roots, grads):
        if r is not None:
            pending[r] = pending[r] + g if r in pending else g
    wanted = set(inputs) if inputs is not None else None
    captured = {}
    for node in _toposort(roots):
        g = pending.pop(node, None)
        if g is None:
            continue
        if node.hooks:
            for hook in node.hooks:
                out = hook(g)
                g = g if out is None else out
        if wanted is not None and node in wanted:
            captured[node] = g
        backward = node.backward
        if backward is None:
            if node.variable is None:
                raise RuntimeError(
                    "Trying to backward through the graph a second time (or directly access saved tensors after "
                    "they have already been freed). Saved intermediate values of the graph are freed when you call "
                    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
                    "graph a second time or if you need to access saved tensors after calling backward.")
            if wanted is None:
                node.variable._accumulate(g)
            continue
        if not retain_graph:
            node.backward = None
        for p, shape, pg in zip(node.parents, node.shapes, backward(g)):
            if p is None or pg is None:
                continue
            if pg.shape != shape:
                pg = _unbroadcast(pg, shape)
            pending[p] = pending[p] + pg if p in pending else pg
    return captured


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=False):
    """Gradients of outputs w.r.t. inputs, returned as a tuple instead of accumulated into .grad."""
    from .tensor import Tensor
    if create_graph:
        raise NotImplementedError("minigrad does not support create_graph=True (higher-order gradients)")
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    elif isinstance(grad_outputs, Tensor):
        grad_outputs = [grad_outputs]
    roots, gs = [], []
    for o, go in zip(outputs, grad_outputs):
        if not o.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        roots.append(o._node())
        gs.append(o._seed_grad(go))
    nodes = [t._node() for t in inputs]
    captured = run_backward(roots, gs, bool(retain_graph), inputs=[n for n in nodes if n is not None])
    result = []
    for t, n in zip(inputs, nodes):
        g = captured.get(n) if n is not None else None
        if g is None and not allow_unused:
            raise RuntimeError("One of the differentiated Tensors appears to not have been used in the graph. "
                               "Set allow_unused=True if this is the desired behavior.")
        result.append(None if g is None else Tensor(_unbroadcast(g, t.shape)))
    return tuple(result)


class FunctionCtx:
    """The ctx a custom Function's forward and backward share."""

    def save_for_backward(self, *tensors):
        """Keep tensors for backward."""
        self.saved_tensors = tensors

    def mark_non_differentiable(self, *tensors):
        """Accepted for API compatibility; minigrad never differentiates integer outputs anyway."""


class Function:
    """Base class for ops with a hand-written backward: subclass with static forward(ctx, ...) and backward(ctx, grad)."""

    @classmethod
    def apply(cls, *args):
        """Run forward without recording, then record one node whose backward calls cls.backward."""
        from .tensor import Tensor
        ctx = FunctionCtx()
        with no_grad():
            out = cls.forward(ctx, *args)
        tensors = [a for a in args if isinstance(a, Tensor)]

        def backward(g):
            gs = cls.backward(ctx, Tensor(g))
            gs = gs if isinstance(gs, tuple) else (gs,)
            per_arg = [x for a, x in zip(args, gs) if isinstance(a, Tensor)]
            return tuple(None if x is None else x._data for x in per_arg)
        return Tensor._op(out._data, tuple(tensors), backward, cls.__name__ + "Backward")


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Compare autograd gradients of sum(fn(*inputs)) with central differences in float64."""
    from .tensor import Tensor
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    diff = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
    out = fn(*inputs)
    analytic = grad(out.sum(), diff, allow_unused=True)
    for x, a in zip(diff, analytic):
        if x.dtype.name != "float64":
            raise ValueError("gradcheck needs float64 inputs for accurate central differences")
        numeric = np.zeros(x.shape)
        flat = x._data.reshape(-1)
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + eps
            with no_grad():
                hi = float(fn(*inputs).sum())
            flat[i] = old - eps
            with no_grad():
                lo = float(fn(*inputs).sum())
            flat[i] = old
            numeric.reshape(-1)[i] = (hi - lo) / (2 * eps)
        a = np.zeros(x.shape) if a is None else a._data
        if not np.allclose(a, numeric, atol=atol, rtol=rtol):
            if raise_exception:
                raise RuntimeError(f"Jacobian mismatch for input of shape {tuple(x.shape)}:\n"
                                   f"numerical: {numeric}\nanalytical: {a}")
            return False
    return True
