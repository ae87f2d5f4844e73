"""Optimizer: the base class holding param_groups and per-parameter state, with torch's state_dict format."""
from collections import defaultdict

import numpy as np

from ..autograd import enable_grad
from ..tensor import Tensor

required = object()  # marks a hyperparameter every param group must set


class Optimizer:
    """Base class: param_groups (dicts of params and options) and state (per-parameter dicts of tensors).

    Subclasses implement _update(p, g, state, group) on numpy arrays: p is the parameter's array (updated
    in place, outside autograd), g its gradient.
    """

    def __init__(self, params, defaults):
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
        params = param_group["params"]
        if isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering of "
                            "tensors in sets will change between runs. Please use a list instead.")
        params = [params] if isinstance(params, Tensor) else list(params)
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        group = dict(param_group, params=params)
        for k, v in self.defaults.items():
            if v is required and k not in group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {k}")
            group.setdefault(k, v)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if seen & {id(p) for p in params}:
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none=True):
        """Reset every parameter's gradient: to None by default, else to zeros."""
        for g in self.param_groups:
            for p in g["params"]:
                if p.grad is not None:
                    if set_to_none:
                        p.grad = None
                    else:
                        p.grad._data[...] = 0

    def step(self, closure=None):
        """Update every parameter that has a gradient; closure re-evaluates and returns the loss."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    g = p.grad._data
                    self._update(p._data, -g if group.get("maximize") else g, self.state[p], group)
        return loss

    def _update(self, p, g, state, group):
        raise NotImplementedError

    def state_dict(self):
        """{'state': {index: {...}}, 'param_groups': [{..., 'params': [indices]}]}, as torch packs it."""
        index, groups = {}, []
        for g in self.param_groups:
            for p in g["params"]:
                index.setdefault(id(p), len(index))
            packed = {k: v for k, v in g.items() if k != "params"}
            groups.append(dict(packed, params=[index[id(p)] for p in g["params"]]))
        state = {index[id(p)] if isinstance(p, Tensor) else p: s for p, s in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore options and state from state_dict() output (values copied and cast to each param's dtype)."""
        saved = state_dict["param_groups"]
        if len(saved) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(s["params"]) != len(g["params"]) for s, g in zip(saved, self.param_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                             "optimizer's group")
        params = {i: p for s, g in zip(saved, self.param_groups) for i, p in zip(s["params"], g["params"])}
        self.state = defaultdict(dict)
        for k, st in state_dict["state"].items():
            p = params.get(k)
            if p is None:
                self.state[k] = st
                continue
            self.state[p] = {name: v if v is None or isinstance(v, (int, float)) else
                             Tensor(np.array(np.asarray(v), dtype=np.float32 if name == "step" else p._data.dtype))
                             for name, v in st.items()}
        self.param_groups = [dict(s, params=g["params"]) for s, g in zip(saved, self.param_groups)]

    def __repr__(self):
        lines = [type(self).__name__ + " ("]
        for i, g in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(g.items()) if k != "params"]
        return "\n".join(lines) + "\n)"


def _step(state):
    """Count one more step in state['step'] (a float32 tensor, as in torch) and return it as a float."""
    if "step" not in state:
        state["step"] = Tensor(np.zeros((), np.float32))
    state["step"]._data += 1
    return float(state["step"]._data)


def _zeros(state, name, p, fill=0.0):
    """state[name] as an array, created as a tensor filled with fill on first use."""
    if name not in state:
        state[name] = Tensor(np.full_like(p, fill))
    return state[name]._data


def _lerp_(a, b, w):
    """a += w * (b - a) in place, with torch's two-sided formula for accuracy."""
    a[...] = a + w * (b - a) if abs(w) < 0.5 else b - (b - a) * (1 - w)


def _check(**values):
    for name, (v, lo, hi) in values.items():
        if not lo <= v <= hi:
            raise ValueError(f"Invalid {name}: {v}")
