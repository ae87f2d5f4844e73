"""Optimizer: the base class holding param_groups and per-parameter state, with torch's state_dict format."""
import warnings
from collections import defaultdict
from collections.abc import Mapping

import numpy as np

from .. import _checks
from ..autograd import enable_grad
from ..tensor import Tensor

# the options torch range-checks in its constructors, named as its messages name them
_CHECKED = {"lr": "learning rate", "eps": "epsilon value", "momentum": "momentum value", "rho": "rho value",
            "alpha": "alpha value", "weight_decay": "weight_decay value", "lr_decay": "lr_decay value",
            "initial_accumulator_value": "initial_accumulator_value value"}


class Optimizer:
    """Base class: param_groups (dicts of params and options) and state (per-parameter dicts of tensors)."""
    # Subclasses implement _update(p, g, state, group) on numpy arrays: p is the parameter's array, updated in
    # place outside autograd; g its gradient, already negated for maximize and with L2 weight decay added.

    def __init__(self, params, defaults):
        if defaults.get("differentiable"):  # torch's option for steps that autograd records (meta-learning)
            raise NotImplementedError("differentiable=True is not supported: minigrad's optimizers update parameters "
                                      "in place outside autograd")
        for k, v in defaults.items():
            if k in _CHECKED and not 0.0 <= v <= (1.0 if k == "rho" else float("inf")):
                raise ValueError(f"Invalid {_CHECKED[k]}: {v}")
            for i, beta in enumerate(v if k == "betas" else ()):
                if not 0.0 <= beta < 1.0:
                    raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
        self.defaults, self.state, self.param_groups = defaults, defaultdict(dict), []
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, "
                            f"but got {type(params).__name__}")
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        for g in groups if isinstance(groups[0], dict) else [{"params": groups}]:
            self.add_param_group(g)

    def add_param_group(self, param_group):
        """Add a group of parameters with its own options (missing ones taken from the defaults)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering of "
                            "tensors in sets will change between runs. Please use a list instead.")
        params = [params] if isinstance(params, Tensor) else list(params)
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is {_checks.typename(p)}")
        if not all(p.is_leaf for p in params):
            raise ValueError("can't optimize a non-leaf Tensor")
        if {id(p) for g in self.param_groups for p in g["params"]} & {id(p) for p in params}:
            raise ValueError("some parameters appear in more than one parameter group")
        if len({id(p) for p in params}) != len(params):  # step() would update such a parameter twice, as torch does
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, this will cause "
                          "an error; see github.com/pytorch/pytorch/issues/40967 for more information", UserWarning,
                          stacklevel=3)
        group = {**param_group, "params": params}
        for k, v in self.defaults.items():
            group.setdefault(k, v)
        self.param_groups.append(group)

    def zero_grad(self, set_to_none=True):
        """Reset every parameter's gradient: to None by default, else to zeros."""
        for p in (p for g in self.param_groups for p in g["params"] if p.grad is not None):
            if set_to_none:
                p.grad = None
            else:
                p.grad._data[...] = 0

    def step(self, closure=None):
        """Update every parameter that has a gradient; closure re-evaluates and returns the loss."""
        loss, self._opt_called = None, True  # schedulers warn when stepped before any optimizer step
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            if group.get("capturable"):  # CUDA-graph capture: torch refuses it for CPU tensors at the first step
                raise AssertionError("If capturable=True, params and state_steps must be on supported devices: "
                                     "['cuda', 'xpu', 'hpu', 'privateuseone', 'xla'].")
            maximize, decay = group.get("maximize"), not group.get("decoupled_weight_decay") and group.get("weight_decay")
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = -p.grad._data if maximize else p.grad._data
                if decay:
                    g = g + decay * p._data  # L2 penalty: its gradient joins the loss's
                self._update(p._data, g, self.state[p], group)
                p._version_box[0] += 1  # an in-place update: graphs that saved p now refuse to backward
        return loss

    def state_dict(self):
        """{'state': {index: {...}}, 'param_groups': [{..., 'params': [indices]}]}, as torch packs it."""
        index = {}
        for p in (p for g in self.param_groups for p in g["params"]):
            index.setdefault(id(p), len(index))
        groups = [{**{k: v for k, v in g.items() if k != "params"}, "params": [index[id(p)] for p in g["params"]]}
                  for g in self.param_groups]
        return {"state": {index[id(p)]: s for p, s in self.state.items()}, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore options and state from state_dict() output (values copied and cast to each param's dtype)."""
        if not isinstance(state_dict, Mapping):  # torch fails on .copy() (AttributeError) or on ["state"] (TypeError)
            raise (TypeError if hasattr(state_dict, "copy") else AttributeError)(
                f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        saved = state_dict["param_groups"]
        if len(saved) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(s["params"]) != len(g["params"]) for s, g in zip(saved, self.param_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                             "optimizer's group")
        params = {i: p for s, g in zip(saved, self.param_groups) for i, p in zip(s["params"], g["params"])}
        state = defaultdict(dict)  # built aside: a load that fails midway leaves the optimizer as it was
        for i, st in state_dict["state"].items():  # torch keeps step a float32 tensor, the rest in p's dtype
            state[params[i]] = {k: Tensor(np.array(np.asarray(v), np.float32 if k == "step" else
                                                   params[i]._data.dtype)) for k, v in st.items()}
        self.state, self.param_groups = state, [{**s, "params": g["params"]} for s, g in zip(saved, self.param_groups)]

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, g in enumerate(self.param_groups):
            lines += [f"Parameter Group {i}"] + [f"    {k}: {v}" for k, v in sorted(g.items()) if k != "params"]
        return "\n".join(lines + [")"])


def _step(state):  # count one more step in state['step'] (a float32 tensor, as in torch); return it as a float
    if "step" not in state:
        state["step"] = Tensor(np.zeros((), np.float32))
    state["step"]._data += 1
    return float(state["step"]._data)


def _zeros(state, name, p):  # state[name]'s array, created as a zero tensor like p on first use
    if name not in state:
        state[name] = Tensor(np.zeros_like(p))
    return state[name]._data


def _lerp_(a, b, w):  # a += w * (b - a) in place, with torch's two-sided formula for accuracy
    a[...] = a + w * (b - a) if abs(w) < 0.5 else b - (b - a) * (1 - w)
