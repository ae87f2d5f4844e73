"""The autograd engine: graph nodes, the backward walk, and broadcast gradients summed back (imports no Tensor).

Each recorded op leaves a Node: its parents' nodes, their shapes, the tensors its rule saved (with their
versions at save time) and the rule `rule(xp, g, *saved) -> one gradient per parent`. run_backward walks the
nodes in topological order, calling each rule once with the sum of the gradients that reached it, in the
namespace xp (numpy arrays, or Tensors when create_graph=True: see namespace.py). torch: engine.cpp.
"""
import itertools
import operator

from .grad_mode import _grad_enabled
from .namespace import ARRAYS, TENSORS

_created, _SEQ = itertools.count(), operator.attrgetter("seq")


class Node:
    """One recorded op: how to turn its output's gradient into its inputs' gradients."""
    __slots__ = ("_name", "parents", "shapes", "rule", "saved", "versions", "out", "hooks", "variable", "seq",
                 "__weakref__")

    def __init__(self, name, parents, shapes, rule, saved=(), out=None):
        self._name, self.parents, self.shapes, self.rule, self.saved = name, parents, shapes, rule, saved
        self.seq = next(_created)  # creation number: a node is always newer than the nodes it sends gradient to
        # out: the op's output (a detached tensor) when the rule needs it; saved last, unpacked as a graph tensor
        self.out, self.hooks, self.variable = out, None, None
        self.versions = tuple([None if t is None else t._version_box[0] for t in saved]) if saved else ()

    def name(self):
        """torch's name for this backward node, e.g. 'MulBackward0'."""
        return self._name

    @property
    def next_functions(self):
        """The nodes gradients flow to next, as torch's ((node, 0), ...) tuple (None: needs no gradient)."""
        return tuple([(p, 0) for p in self.parents])

    def register_hook(self, fn):
        """Call fn(grad) -> grad or None when this node's output gradient is complete."""
        self.hooks = (self.hooks or []) + [fn]

    def unpack(self, xp):
        """The saved values for the rule, after checking no in-place op changed them since the forward."""
        values = []
        for t, v in zip(self.saved, self.versions):
            if t is None:
                values.append(None)
            elif t._version_box[0] != v:
                _raise_modified(t, v, self if t is self.out else t.grad_fn)
            else:  # first order, the hot path: the saved array itself
                values.append(t._data if xp is ARRAYS else xp.unpack(t, self if t is self.out else None))
        return values

    def __repr__(self):
        # torch's C++ nodes print by class name, a custom Function's node (a name without a version) by module path
        name = self._name.rsplit(":", 1)[-1]
        name = name if name[-1].isdigit() or name == "AccumulateGrad" else f"minigrad.autograd.function.{name}"
        return f"<{name} object at {id(self):#x}>"


def _raise_modified(t, expected, producer):
    """torch's error for a saved tensor that an in-place op changed before backward used it."""
    name = f"[torch.{t.dtype.title}Tensor [{', '.join(map(str, t.shape))}]]"
    if producer is not None and producer.rule is not None:
        name += f", which is output 0 of {producer.name().split('Backward')[0]},"
    raise RuntimeError("one of the variables needed for gradient computation has been modified by an inplace "
                       f"operation: {name} is at version {t._version_box[0]}; expected version {expected} instead. "
                       "Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
                       "with torch.autograd.set_detect_anomaly(True, check_nan=False).")


ACCUMULATE = "torch::autograd::AccumulateGrad"  # torch's name() for it; its repr says <AccumulateGrad ...>


def accumulate_node(t):
    """The AccumulateGrad node that stores gradients into leaf t.grad (one per leaf, cached)."""
    node = t._accum
    if node is None:
        node = t._accum = Node(ACCUMULATE, (), (), None)
        node.variable = t
    return node


def unbroadcast(xp, g, shape):
    """Sum a broadcast gradient back to shape: d(broadcast x)/dx sums over the repeated axes."""
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, n in enumerate(shape) if n == 1 and g.shape[i + lead] != 1)
    return (xp.sum(g, axes, True) if axes else g).reshape(shape)


def _toposort(roots):
    """Nodes reachable from roots, each after all nodes that feed gradient into it.

    An op's node is made after its inputs' nodes, so the newest node first is a topological order (torch's engine
    also runs ready nodes by sequence number): collect the reachable nodes, then sort them by creation number.
    """
    stack = [r for r in roots if r is not None]
    seen = set(stack)
    while stack:
        for p in stack.pop().parents:
            if p is not None and p not in seen:
                seen.add(p)
                stack.append(p)
    return sorted(seen, key=_SEQ, reverse=True)


_FREED = ("Trying to backward through the graph a second time (or directly access saved tensors after they have "
          "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
          "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or "
          "if you need to access saved tensors after calling backward.")


def run_backward(roots, grads, retain_graph=False, create_graph=False, inputs=None):
    """Propagate grads from root nodes; accumulate into leaves, or return the grads reaching `inputs` nodes."""
    xp = TENSORS if create_graph else ARRAYS
    pending = {}  # node -> the sum of the gradients that reached it so far
    for r, g in zip(roots, grads):
        if r is not None:
            pending[r] = pending[r] + g if r in pending else g
    wanted = set(inputs) if inputs is not None else None
    captured = {}
    prev, _grad_enabled[0] = _grad_enabled[0], create_graph  # rules record only for create_graph
    pop = pending.pop
    try:
        for node in _toposort(roots):
            g = pop(node, None)
            if g is None:
                continue
            if node.hooks:
                for hook in node.hooks:
                    out = hook(g)
                    g = g if out is None else out
            if wanted is not None and node in wanted:
                captured[node] = g
            rule = node.rule
            if rule is None:
                if node.variable is None:
                    raise RuntimeError(_FREED)
                if wanted is None:
                    node.variable._accumulate(g)
                continue
            if node.saved:
                grads = rule(xp, g, *node.unpack(xp))
                if not retain_graph:
                    node.saved, node.out = (), None
            else:
                grads = rule(xp, g)
            if not retain_graph:
                node.rule = None
            for p, shape, pg in zip(node.parents, node.shapes, grads):
                if p is None or pg is None:
                    continue
                if pg.shape != shape:
                    pg = unbroadcast(xp, pg, shape)
                pending[p] = pending[p] + pg if p in pending else pg
            grads = pg = None  # only pending holds the gradients now: a leaf can take one without a copy
    finally:
        _grad_enabled[0] = prev
    return captured
