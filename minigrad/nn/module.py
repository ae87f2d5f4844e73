"""Module and Parameter: layers register parameters, buffers and submodules; hooks, state_dict, printing."""
import itertools
from collections import OrderedDict, namedtuple
from collections.abc import Mapping

import numpy as np

from .. import _checks, dtypes
from ..device import device as _device
from ..tensor import Tensor, _to_array

_IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


class Parameter(Tensor):
    """A Tensor that Modules collect in parameters(); requires grad by default."""

    def __init__(self, data=None, requires_grad=True):
        if not isinstance(requires_grad, bool):
            raise TypeError(f"_make_subclass(): argument 'require_grad' (position 3) must be bool, not "
                            f"{type(requires_grad).__name__}")
        arr = np.empty(0, np.float32) if data is None else _to_array(data)
        if requires_grad and arr.dtype.kind != "f":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        super().__init__(arr, requires_grad=requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


class RemovableHandle:
    """What register_*_hook returns; .remove() unregisters the hook."""
    _ids = itertools.count()

    def __init__(self, hooks, hook):
        self.hooks_dict, self.id = hooks, next(self._ids)
        hooks[self.id] = hook

    def remove(self):
        """Unregister the hook (a no-op the second time)."""
        self.hooks_dict.pop(self.id, None)


class Module:
    """Base class for all neural-network modules (torch.nn.Module's interface)."""

    def __init__(self):
        self._parameters, self._buffers, self._modules = OrderedDict(), OrderedDict(), OrderedDict()
        self._forward_pre_hooks, self._forward_hooks = OrderedDict(), OrderedDict()
        self._non_persistent_buffers_set, self.training = set(), True

    def forward(self, *args, **kwargs):
        """The computation; subclasses override it."""
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')

    def __call__(self, *args, **kwargs):
        if not (self._forward_pre_hooks or self._forward_hooks):  # the usual case: no hooks, nothing to copy
            return self.forward(*args, **kwargs)
        for hook in list(self._forward_pre_hooks.values()):
            res = hook(self, args)
            if res is not None:
                args = res if isinstance(res, tuple) else (res,)
        out = self.forward(*args, **kwargs)
        for hook in list(self._forward_hooks.values()):
            res = hook(self, args, out)
            out = out if res is None else res
        return out

    def register_forward_pre_hook(self, hook):
        """Call hook(module, args) before forward; a non-None result replaces args."""
        return RemovableHandle(self._forward_pre_hooks, hook)

    def register_forward_hook(self, hook):
        """Call hook(module, args, output) after forward; a non-None result replaces output."""
        return RemovableHandle(self._forward_hooks, hook)

    # ---- registration ------------------------------------------------------------------------------
    def _register(self, store, name, value):  # attribute assignment's type check, in torch's words
        kind, torch_type, ok = _STORES[store]
        if value is not None and not isinstance(value, ok):
            raise TypeError(f"cannot assign '{_checks.typename(value)}' as {kind} '{name}' "
                            f"({torch_type} or None expected)")
        self.__dict__[store][name] = value

    def _check_name(self, store, kind, name):  # what torch refuses as a name to register under
        if store not in self.__dict__:
            raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {_checks.typename(name)}")
        if "." in name:  # a dot would make the state_dict key ambiguous, so it could not be loaded back
            raise KeyError(f"{kind} name can't contain \".\"" + (f", got: {name}" if kind == "module" else ""))
        if name == "":
            raise KeyError(f"{kind} name can't be empty string \"\"")
        if hasattr(self, name) and name not in self.__dict__[store]:
            raise KeyError(f"attribute '{name}' already exists")

    def register_parameter(self, name, param):
        """Add a parameter (or None) under name."""
        self._check_name("_parameters", "parameter", name)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{_checks.typename(param)}' object to parameter '{name}' "
                            "(torch.nn.Parameter or None required)")
        self._parameters[name] = param

    def register_buffer(self, name, tensor, persistent=True):
        """Add a buffer: state that is saved in state_dict (if persistent) but is not a parameter."""
        self._check_name("_buffers", "buffer", name)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{_checks.typename(tensor)}' object to buffer '{name}' "
                            "(torch Tensor or None required)")
        self._buffers[name] = tensor
        (self._non_persistent_buffers_set.discard if persistent else self._non_persistent_buffers_set.add)(name)

    def add_module(self, name, module):
        """Add a child module (or None) under name."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{_checks.typename(module)} is not a Module subclass")
        self._check_name("_modules", "module", name)
        self._modules[name] = module

    register_module = add_module

    def __setattr__(self, name, value):
        # Parameters and Modules go to their stores; other values replace an existing parameter, buffer or
        # child of that name (None or a type the store accepts), or become plain attributes
        d = self.__dict__
        store = ("_parameters" if isinstance(value, Parameter) else "_modules" if isinstance(value, Module) else
                 next((s for s in _STORES if name in d.get(s, ())), None))
        if store is None:
            return object.__setattr__(self, name, value)
        if "_parameters" not in d:
            raise AttributeError(f"cannot assign {'parameters' if store == '_parameters' else 'module'} "
                                 "before Module.__init__() call")
        for other in (d, *(d[s] for s in _STORES if s != store)):
            other.pop(name, None)  # a name lives in one place only
        if isinstance(value, Parameter):
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            self.add_module(name, value)
        else:
            self._register(store, name, value)

    def __getattr__(self, name):  # only called when normal lookup fails
        for store in _STORES:
            if name in self.__dict__.get(store, ()):
                return self.__dict__[store][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        store = next((s for s in _STORES if name in self.__dict__[s]), None)
        if store:
            del self.__dict__[store][name]
        else:
            object.__delattr__(self, name)

    # ---- traversal ---------------------------------------------------------------------------------
    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """Yield (qualified name, module) for self and every descendant, depth first."""
        memo = set() if memo is None else memo
        if remove_duplicate:
            if self in memo:
                return
            memo.add(self)
        yield prefix, self
        for name, m in self._modules.items():
            if m is not None:
                yield from m.named_modules(memo, prefix + ("." if prefix else "") + name, remove_duplicate)

    def modules(self):
        """Yield self and every descendant module."""
        return (m for _, m in self.named_modules())

    def named_children(self):
        """Yield (name, module) for the direct children (each module once)."""
        seen = set()
        for name, m in self._modules.items():
            if m is not None and m not in seen:
                seen.add(m)
                yield name, m

    def children(self):
        """Yield the direct child modules."""
        return (m for _, m in self.named_children())

    def _named_members(self, store, prefix, recurse, remove_duplicate=True):
        seen = set()
        mods = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse else [(prefix, self)]
        for mod_prefix, m in mods:
            for name, v in getattr(m, store).items():
                if v is not None and not (remove_duplicate and v in seen):
                    seen.add(v)
                    yield mod_prefix + ("." if mod_prefix else "") + name, v

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """Yield (qualified name, parameter), e.g. ('0.weight', ...), each shared parameter once."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse=True):
        """Yield every parameter (each shared parameter once)."""
        return (p for _, p in self._named_members("_parameters", "", recurse))

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        """Yield (qualified name, buffer)."""
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        """Yield every buffer."""
        return (b for _, b in self._named_members("_buffers", "", recurse))

    # ---- modes and bulk operations -----------------------------------------------------------------
    def train(self, mode=True):
        """Set training mode on self and all descendants; returns self."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for m in self.modules():
            m.training = mode
        return self

    def eval(self):
        """Set evaluation mode (train(False))."""
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        """Set requires_grad on every parameter; returns self."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        """Reset every parameter's gradient: to None by default, else to zeros."""
        for p in self.parameters():
            if p.grad is not None and set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad._data[...] = 0

    def apply(self, fn):
        """Call fn on every descendant (children first) and on self; returns self."""
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    def to(self, *args, device=None, dtype=None, non_blocking=False):
        """Move to a device ('cpu' only) and/or cast floating parameters and buffers to a floating dtype."""
        args = args[:-1] if args and isinstance(args[-1], bool) else args  # a trailing non_blocking
        if len(args) == 1 and isinstance(args[0], Tensor):  # .to(other): other's dtype
            args = (args[0].dtype,)
        kinds = [isinstance(a, dtypes.dtype) for a in args]
        if len(args) > 2 or kinds.count(True) > 1 or kinds == [True, False]:  # torch's forms: (device, dtype)
            got = ", ".join("minigrad.dtype" if k else _checks.typename(a) for a, k in zip(args, kinds))
            raise TypeError(f"to() received an invalid combination of arguments - got ({got})")
        for a in (*args, device, dtype):
            if isinstance(a, dtypes.dtype):
                self._cast(a)
            elif a is not None:
                _device(a)  # raises for anything but the CPU
        return self

    def _cast(self, dtype):
        if not dtype.is_floating_point:
            raise TypeError(f"nn.Module.to only accepts floating point dtypes, but got desired dtype={dtype}")
        for t in itertools.chain(self.parameters(), self.buffers()):
            if t._data.dtype.kind == "f":
                t._data = t._data.astype(dtype.np)
                if t.grad is not None:
                    t.grad._data = t.grad._data.astype(dtype.np)
        return self

    def cpu(self):
        """A no-op: minigrad lives on the CPU."""
        return self

    def float(self):
        """Cast floating parameters and buffers to float32."""
        return self._cast(dtypes.float32)

    def double(self):
        """Cast floating parameters and buffers to float64."""
        return self._cast(dtypes.float64)

    # ---- state_dict --------------------------------------------------------------------------------
    def _local_state(self):  # this module's own parameters and persistent buffers, as state_dict stores them
        bufs = {k: b for k, b in self._buffers.items() if k not in self._non_persistent_buffers_set}
        return {k: v for k, v in itertools.chain(self._parameters.items(), bufs.items()) if v is not None}

    def state_dict(self, *, destination=None, prefix="", keep_vars=False):
        """An OrderedDict of every parameter and persistent buffer under torch's dotted keys."""
        out = OrderedDict() if destination is None else destination
        for name, m in self.named_modules(prefix=prefix.rstrip("."), remove_duplicate=False):
            for k, v in m._local_state().items():
                out[(name + "." if name else "") + k] = v if keep_vars else v.detach()
        return out

    def load_state_dict(self, state_dict, strict=True):
        """Copy values from state_dict into parameters and buffers; torch's errors for bad keys or shapes."""
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing, unexpected, errors, copies = [], [], [], []
        for name, m in self.named_modules(remove_duplicate=False):
            p, local = (name + "." if name else ""), m._local_state()
            for k, t in local.items():
                v = state_dict.get(p + k)
                arr = v._data if isinstance(v, Tensor) else None
                if v is None:
                    missing.append(p + k)
                elif arr is None:  # a list or array would be copied by broadcasting: refused, as in torch
                    errors.append(f'While copying the parameter named "{p + k}", expected minigrad.Tensor or '
                                  f"Tensor-like object from checkpoint but received {type(v)}")
                elif arr.shape != t._data.shape:
                    errors.append(f"size mismatch for {p + k}: copying a param with shape "
                                  f"torch.Size({list(arr.shape)}) from checkpoint, the shape in current model is "
                                  f"torch.Size({list(t.shape)}).")
                else:
                    copies.append((t, arr))
            # a key is this module's if its next component is neither a child nor one of its own entries
            unexpected += [key for key in state_dict if key.startswith(p)
                           and key[len(p):].split(".", 1)[0] not in m._modules.keys() | local.keys()]
        for what, keys in (("Unexpected", unexpected), ("Missing", missing)) if strict else ():
            if keys:
                errors.insert(0, f"{what} key(s) in state_dict: " + ", ".join(f'"{k}"' for k in keys) + ". ")
        if errors:
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t" + "\n\t".join(errors))
        for t, arr in copies:  # only once all is checked: a failed load leaves the model as it was (torch's does not)
            t._data[...] = arr
        return _IncompatibleKeys(missing, unexpected)

    # ---- printing ----------------------------------------------------------------------------------
    def extra_repr(self):
        """The text inside this module's parentheses; subclasses override it."""
        return ""

    def __repr__(self):
        extra = self.extra_repr().split("\n") if self.extra_repr() else []
        lines = extra + [f"({k}): " + repr(m).replace("\n", "\n  ") for k, m in self._modules.items()]
        if len(extra) == 1 and not self._modules:
            return f"{type(self).__name__}({extra[0]})"
        return f"{type(self).__name__}(" + "".join("\n  " + line for line in lines) + ("\n" if lines else "") + ")"


# where a module keeps each kind of attribute: store -> (torch's name for the kind, its type name, the type)
_STORES = {"_parameters": ("parameter", "torch.nn.Parameter", Parameter),
           "_modules": ("child module", "torch.nn.Module", Module), "_buffers": ("buffer", "torch.Tensor", Tensor)}


class _Options(Module):
    """A parameter-free layer computing function(input, *options); the options are attributes, printed as torch."""

    def __init__(self, **options):
        super().__init__()
        self.__dict__.update(options)
        self._shown = list(options)

    def forward(self, input):
        return self.function(input, *(getattr(self, k) for k in self._shown))

    def extra_repr(self):
        return ", ".join(f"{k}={getattr(self, k)}" for k in self._shown)
