"""add_graph: one forward pass of a minigrad model, its autograd graph written as a TensorBoard GraphDef."""
import re

from tensorboard.compat.proto.attr_value_pb2 import AttrValue
from tensorboard.compat.proto.config_pb2 import RunMetadata
from tensorboard.compat.proto.graph_pb2 import GraphDef
from tensorboard.compat.proto.node_def_pb2 import NodeDef
from tensorboard.compat.proto.step_stats_pb2 import DeviceStepStats, StepStats
from tensorboard.compat.proto.versions_pb2 import VersionDef

from ...autograd import _toposort, enable_grad
from ...tensor import Tensor
from .summary import _shape


def _tensors(x):
    """The tensors in a (nested) module input or output."""
    if isinstance(x, Tensor):
        return [x]
    if isinstance(x, dict):
        x = list(x.values())
    return [t for v in x for t in _tensors(v)] if isinstance(x, (list, tuple)) else []


def _scopes(model):
    """Each module's name scope as torch's trace writes it: Net/Sequential[features]/Conv2d[0]."""
    mods = dict(model.named_modules())
    scopes = {}
    for name, m in mods.items():
        parts = name.split(".") if name else []
        scopes.setdefault(id(m), type(model).__name__ + "".join(
            f"/{type(mods['.'.join(parts[:i + 1])]).__name__}[{p}]" for i, p in enumerate(parts)))
    return mods, scopes


def graph(model, args):
    """(GraphDef, RunMetadata) of model(*args): modules as name scopes, an op node per autograd node."""
    args = args if isinstance(args, (tuple, list)) else (args,)
    # inputs become leaves that require grad, so their first ops are recorded and reach them by AccumulateGrad
    args = [a.detach().requires_grad_(a.is_floating_point()) if isinstance(a, Tensor) else a for a in args]
    mods, scopes = _scopes(model)
    owner, stack, handles = {}, [], []

    def pre(mod, inputs):
        stack.append({id(t.grad_fn) for t in _tensors(inputs) if t.grad_fn is not None})

    def post(mod, inputs, output):
        # the nodes this call created: reachable from its output without passing its inputs; innermost claims first
        stop, todo = stack.pop(), [t.grad_fn for t in _tensors(output)]
        while todo:
            n = todo.pop()
            if n is not None and id(n) not in owner and id(n) not in stop and n.name() != "AccumulateGrad":
                owner[id(n)] = (n, scopes[id(mod)])
                todo.extend(p for p, _ in n.next_functions)

    training = model.training
    try:
        model.train(False)
        for m in mods.values():
            handles += [m.register_forward_pre_hook(pre), m.register_forward_hook(post)]
        with enable_grad():
            outputs = _tensors(model(*args))
    finally:
        for h in handles:
            h.remove()
        model.train(training)

    root = type(model).__name__
    names = {id(t): f"{scopes[id(mods[k.rpartition('.')[0]])]}/{k.rpartition('.')[2]}"
             for k, t in model.named_parameters()}
    order = _toposort([t.grad_fn for t in outputs])[::-1]
    shapes = {id(t.grad_fn): t.shape for t in outputs}
    for n in order:
        shapes.update((id(p), s) for p, s in zip(n.parents, n.shapes) if p is not None)
    nodes, used, node_name = [], set(), {}

    def add(name, op, inputs, shape):
        base, k = name, 0
        while name in used:
            k += 1
            name = f"{base}_{k}"
        used.add(name)
        attr = {"_output_shapes": AttrValue(list=AttrValue.ListValue(shape=[_shape(shape)]))}
        nodes.append(NodeDef(name=name, op=op, input=inputs, attr=attr))
        return name

    for i, t in enumerate(_tensors(args)):
        node_name[id(t)] = add(f"input/input.{i}", "IO Node", [], t.shape)
    for n in order:
        if n.name() == "AccumulateGrad":
            v = n.variable
            if id(v) not in node_name:
                node_name[id(v)] = add(names.get(id(v), f"{root}/tensor"), "Parameter", [], v.shape)
            node_name[id(n)] = node_name[id(v)]
        else:
            ins = [node_name[id(p)] for p, _ in n.next_functions if p is not None]
            op = re.sub(r"Backward\d*$", "", n.name())
            node_name[id(n)] = add(f"{owner.get(id(n), (n, root))[1]}/{op}", op, ins, shapes.get(id(n), ()))
    for i, t in enumerate(outputs):
        src = t.grad_fn if t.grad_fn is not None else t
        add(f"output/output.{i}", "IO Node", [node_name[id(src)]] if id(src) in node_name else [], t.shape)
    meta = RunMetadata(step_stats=StepStats(dev_stats=[DeviceStepStats(device="/device:CPU:0")]))
    return GraphDef(node=nodes, versions=VersionDef(producer=22)), meta
