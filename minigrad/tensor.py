"""Tensor: a numpy array plus the autograd bookkeeping (the core; the ops live in minigrad/ops/).

A tensor holds `_data`, a numpy array (a view of its storage), and a version box shared with every view of that
storage, which each in-place op bumps. `Tensor._op` records a graph node when grad mode is on and an input
requires grad; `backward` hands the graph to the engine (autograd/graph.py). The ops in minigrad/ops/ attach
themselves to this class (tensor.py imports none of them).
"""
import sys

import numpy as np

from . import dtypes
from .autograd.grad_mode import _grad_enabled as _grad_mode, is_grad_enabled
from .autograd.graph import Node, accumulate_node, run_backward

_new = object.__new__
_BORROWS = sys.version_info >= (3, 14)  # its interpreter may skip counting references: getrefcount can undercount
_FLOAT_ONLY = "Only Tensors of floating point and complex dtype can require gradients"


class Size(tuple):
    """A tensor's shape: a tuple that prints like torch.Size."""

    def __repr__(self):
        return f"minigrad.Size({list(self)})"

    def numel(self):
        """Number of elements a tensor of this shape holds."""
        return int(np.prod(self, dtype=np.int64))


def _dims(args):
    """Accept f(2, 3), f((2, 3)) and f([2, 3]) alike, as torch does for shapes and dims."""
    return tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list, Size)) else tuple(args)


def _axis(dim, ndim):
    """Normalise a possibly negative dim, with torch's IndexError when out of range."""
    lo, hi = -max(ndim, 1), max(ndim, 1) - 1
    if not lo <= dim <= hi:
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})")
    return dim % max(ndim, 1)


def _axes(dim, ndim):
    """A dim argument (None, int or tuple) as a tuple of non-negative axes (None = all)."""
    if dim is None or ndim == 0:
        for d in () if dim is None else (dim if isinstance(dim, (tuple, list)) else (dim,)):
            _axis(d, ndim)  # a 0-d tensor accepts dims 0 and -1, meaning itself
        return tuple(range(ndim))
    axes = tuple(sorted(_axis(d, ndim) for d in (dim if isinstance(dim, (tuple, list)) else (dim,))))
    for a, b in zip(axes, axes[1:]):
        if a == b:
            raise RuntimeError(f"dim {a} appears multiple times in the list of dims")
    return axes


def _to_array(data, dtype=None):
    """numpy array from nested lists, scalars, arrays or Tensors, with torch's dtype inference."""
    if isinstance(data, Tensor):
        arr = data._data
    elif isinstance(data, (np.ndarray, np.generic)):
        arr = np.asarray(data)
    else:
        if isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in data):
            data = [x._data if isinstance(x, Tensor) else x for x in data]
        arr = np.array(data)
        if dtype is not None:
            return arr.astype(dtype.np)  # straight to the requested dtype: no float32 detour for float64
        if arr.dtype.kind == "f":
            arr = arr.astype(dtypes.get_default_dtype().np)
        elif arr.dtype.kind in "iu" and arr.dtype != np.uint8:
            arr = arr.astype(np.int64)
        elif arr.dtype.kind not in "biu":
            raise TypeError(f"can't convert data of type {arr.dtype} to a tensor")
    if dtype is not None:
        return arr.astype(dtype.np, copy=False)
    dtypes.from_np(arr.dtype)  # rejects unsupported numpy dtypes (float16, complex, ...)
    return arr


def _unshared(g):
    """True when only the engine holds array g's memory: run_backward's name for it, _accumulate's, ours, getrefcount's."""
    if _BORROWS or sys.getrefcount(g) > 4:
        return False
    base = g.base  # a view (a transposed or reshaped gradient): free when only g (and our name) holds all its base
    return base is None or type(base) is np.ndarray and base.base is None and base.size == g.size \
        and sys.getrefcount(base) <= 3


def _wrap(data):
    """A graph-free tensor around an op's result array (Tensor.__init__'s checks are for user data)."""
    out = _new(Tensor)
    if type(data) is not np.ndarray:  # numpy gives scalars for 0-d results
        data = np.asarray(data)
    out._data, out._version_box, out._base, out.requires_grad, out.grad, out.grad_fn, out._accum = \
        data, [0], None, False, None, None, None
    return out


class Tensor:
    """An n-dimensional array with autograd, mirroring torch.Tensor."""
    __slots__ = ("_data", "requires_grad", "grad", "grad_fn", "_accum", "_version_box", "_base", "__weakref__")
    __array_ufunc__ = None  # numpy scalars defer to our reflected operators instead of converting us

    def __init__(self, data, requires_grad=False):
        if not isinstance(data, np.ndarray):
            # numpy ops on 0-d arrays return numpy scalars: keep their dtype; other data is torch.Tensor(list)
            data = np.asarray(data) if isinstance(data, np.generic) else _to_array(data, dtypes.get_default_dtype())
        if requires_grad and data.dtype.kind != "f":
            raise RuntimeError(_FLOAT_ONLY)
        self._data, self._version_box, self._base = data, [0], None
        self.requires_grad, self.grad, self.grad_fn, self._accum = requires_grad, None, None, None

    # ---- graph bookkeeping -------------------------------------------------------------------------
    @staticmethod
    def _op(data, parents, rule, name, saved=(), save_out=False, const=False):
        """Wrap an op's result; record its node when grad mode is on and an input requires grad.

        rule(xp, g, *saved) returns one gradient per parent; `saved` are the tensors it needs (their versions
        are checked at backward), save_out adds the output itself; const adds torch's None edge for a number.
        """
        out = _wrap(data)
        if _grad_mode[0]:
            for p in parents:
                if p.requires_grad:
                    out.requires_grad = True
                    nodes = [p._node() for p in parents]
                    nodes = tuple(nodes + [None] if const else nodes)
                    shapes = tuple([p._data.shape for p in parents])
                    if save_out:
                        o = _wrap(out._data)
                        o._version_box = out._version_box
                        out.grad_fn = Node(name, nodes, shapes, rule, saved + (o,), o)
                    else:
                        out.grad_fn = Node(name, nodes, shapes, rule, saved)
                    break
        return out

    def _view(self, data, rule, name):
        """An op whose result shares this tensor's storage: same version box, and a base to refuse in-place."""
        out = Tensor._op(data, (self,), rule, name)
        out._version_box, out._base = self._version_box, self._base if self._base is not None else self
        return out

    @property
    def _version(self):
        """How many in-place ops have changed this tensor's storage (shared by its views)."""
        return self._version_box[0]

    def _node(self):
        """The node gradients for this tensor flow into (its grad_fn, or its leaf accumulator)."""
        if self.grad_fn is not None:
            return self.grad_fn
        return accumulate_node(self) if self.requires_grad else None

    def _accumulate(self, g):
        """Leaf gradient accumulation; a gradient with a graph (create_graph) is added out of place."""
        if type(g) is np.ndarray and self.grad is not None:  # the usual step: add into the existing .grad
            self.grad._data += g
        elif isinstance(g, Tensor):
            self.grad = g if self.grad is None else self.grad + g
        elif g.flags.c_contiguous and g.dtype == self._data.dtype and g.shape == self._data.shape and _unshared(g):
            self.grad = _wrap(g)  # as torch's AccumulateGrad: a gradient no one else holds is kept, not copied
        else:  # a copy in C order: .grad has its parameter's layout, so optimizers update in one contiguous pass
            self.grad = _wrap(np.array(g, dtype=self._data.dtype, order="C").reshape(self._data.shape))

    def _seed_grad(self, gradient, graph=False):
        """The gradient backward starts from: 1 for scalars, else the caller's `gradient`."""
        if not self.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        if gradient is None:
            if self._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            g = np.array(1, self._data.dtype).reshape(self._data.shape)  # np.ones_like's Python wrapper costs more
            return Tensor(g) if graph else g
        g = gradient if isinstance(gradient, Tensor) else Tensor(_to_array(gradient))
        if g._data.shape != self._data.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of {g.shape} and "
                               f"output[0] has a shape of {self.shape}.")
        if g._data.dtype != self._data.dtype:
            g = g.to(self.dtype)
        return g if graph else g._data

    def backward(self, gradient=None, retain_graph=None, create_graph=False):
        """Accumulate d(self)/d(leaf) * gradient into every leaf's .grad (with a graph if create_graph)."""
        g = self._seed_grad(gradient, create_graph)
        run_backward([self._node()], [g], create_graph if retain_graph is None else retain_graph, create_graph)

    def register_hook(self, hook):
        """Call hook(grad) when this tensor's gradient is computed; a returned tensor replaces grad."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")

        def on_grad(g):
            if isinstance(g, Tensor):
                return hook(g)
            out = hook(Tensor(g))
            return None if out is None else out._data
        self._node().register_hook(on_grad)

    def retain_grad(self):
        """Keep .grad on this non-leaf tensor after backward."""
        if self.grad_fn is not None:
            self.grad_fn.register_hook(lambda g: self._accumulate(g))

    @property
    def is_leaf(self):
        """True for tensors not produced by a recorded op."""
        return self.grad_fn is None

    def requires_grad_(self, requires_grad=True):
        """Set requires_grad in place (leaves only; floating dtypes only)."""
        if not isinstance(requires_grad, bool):
            raise TypeError("requires_grad_(): argument 'requires_grad' (position 1) must be bool, not "
                            f"{type(requires_grad).__name__}")
        if not requires_grad and self.grad_fn is not None:
            raise RuntimeError("you can only change requires_grad flags of leaf variables.")
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self.requires_grad = requires_grad
        return self

    def detach(self):
        """A tensor sharing this storage (and its version counter), cut from the graph."""
        out = Tensor(self._data)
        out._version_box = self._version_box
        return out

    @property
    def data(self):
        """This tensor's values as a graph-free tensor sharing storage, but not the version counter."""
        return Tensor(self._data)  # torch's escape hatch: writes through .data are invisible to autograd

    @data.setter
    def data(self, value):
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    # ---- metadata and conversion -------------------------------------------------------------------
    @property
    def shape(self):
        """The shape, as a minigrad.Size."""
        return Size(self._data.shape)

    def size(self, dim=None):
        """The shape, or one dimension of it."""
        return self.shape if dim is None else self._data.shape[_axis(dim, self.ndim)]

    @property
    def ndim(self):
        """Number of dimensions."""
        return self._data.ndim

    def dim(self):
        """Number of dimensions."""
        return self._data.ndim

    def numel(self):
        """Number of elements."""
        return self._data.size

    @property
    def dtype(self):
        """The element type."""
        return dtypes.from_np(self._data.dtype)

    @property
    def device(self):
        """Always the CPU."""
        from .device import device
        return device("cpu")

    @property
    def is_cuda(self):
        """Always False: minigrad runs on the CPU."""
        return False

    def is_floating_point(self):
        """True for float32/float64 tensors."""
        return self._data.dtype.kind == "f"

    def item(self):
        """The single value as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        """Nested Python lists of the values."""
        return self._data.tolist()

    def numpy(self):
        """The underlying numpy array (shared, not copied)."""
        if self.requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        return self._data if dtype is None else self._data.astype(dtype)

    def to(self, *args, **kwargs):
        """Convert to a dtype (differentiably); devices other than the CPU are refused."""
        from .device import device
        target = kwargs.get("dtype")
        for a in args + tuple(v for k, v in kwargs.items() if k == "device"):
            if isinstance(a, dtypes.dtype):
                target = a
            elif isinstance(a, Tensor):
                target = a.dtype
            else:
                device(a)  # raises for anything but the CPU
        if target is None or target.np == self._data.dtype:
            return self
        if target.category < 2:
            return Tensor(self._data.astype(target.np))  # integers carry no gradient
        src = self.dtype
        # d(cast x)/dx = 1, cast back to the source dtype
        return Tensor._op(self._data.astype(target.np), (self,), lambda xp, g: (xp.astype(g, src),), "ToCopyBackward0")

    def cpu(self):
        """This tensor (it already lives on the CPU)."""
        return self

    type = to  # .float(), .long(), ... are defined from a table below the class

    def clone(self):
        """A copy of the data that stays in the graph (gradient passes straight through)."""
        return Tensor._op(self._data.copy(), (self,), lambda xp, g: (g,), "CloneBackward0")  # d clone = g

    def is_contiguous(self):
        """True when the elements lie in memory in row-major order without gaps."""
        return self._data.flags.c_contiguous

    def contiguous(self):
        """A C-contiguous tensor with the same values."""
        return self if self._data.flags.c_contiguous else self.clone()

    def __repr__(self):
        from .printing import tensor_repr
        return tensor_repr(self)

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(()))

    def __index__(self):
        if self._data.size != 1 or self._data.dtype.kind not in "iu":
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.reshape(()))

    def __int__(self):
        return int(self.item())

    def __float__(self):
        return float(self.item())

    __hash__ = object.__hash__


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=False):
    """Gradients of outputs w.r.t. inputs, returned as a tuple instead of accumulated into .grad."""
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if grad_outputs is None or isinstance(grad_outputs, Tensor):
        grad_outputs = [grad_outputs] * len(outputs) if grad_outputs is None else [grad_outputs]
    pairs = list(zip(outputs, grad_outputs))
    gs = [o._seed_grad(go, create_graph) for o, go in pairs]
    nodes = [t._node() for t in inputs]
    captured = run_backward([o._node() for o, _ in pairs], gs, create_graph if retain_graph is None else retain_graph,
                            create_graph, inputs=[n for n in nodes if n is not None])
    result = []
    for t, n in zip(inputs, nodes):
        g = captured.get(n)
        if g is None and not allow_unused:
            raise RuntimeError("One of the differentiated Tensors appears to not have been used in the graph. "
                               "Set allow_unused=True if this is the desired behavior.")
        result.append(g if g is None or isinstance(g, Tensor) else Tensor(g.reshape(t._data.shape)))
    return tuple(result)


def _cast(dtype):
    def method(self):
        return self.to(dtype)
    method.__doc__ = f"Convert to {dtype.name}."
    return method


for _name, _dt in (("float", dtypes.float32), ("double", dtypes.float64), ("long", dtypes.int64),
                   ("int", dtypes.int32), ("bool", dtypes.bool_)):
    setattr(Tensor, _name, _cast(_dt))
