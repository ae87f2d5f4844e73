"""add_graph: one forward pass of a minigrad model, its autograd graph written as a TensorBoard GraphDef."""
import re

from tensorboard.compat.proto.attr_value_pb2 import AttrValue
from tensorboard.compat.proto.config_pb2 import RunMetadata
from tensorboard.compat.proto.graph_pb2 import GraphDef
from tensorboard.compat.proto.node_def_pb2 import NodeDef
from tensorboard.compat.proto.step_stats_pb2 import DeviceStepStats, StepStats
from tensorboard.compat.proto.versions_pb2 import VersionDef

from ...autograd import _toposort, enable_grad
from ...autograd.graph import ACCUMULATE
from ...tensor import Tensor
from .summary import _shape


def _tensors(x):
    """The tensors in a (nested) module input or output."""
    x = list(x.values()) if isinstance(x, dict) else x
    return [x] if isinstance(x, Tensor) else [t for v in x for t in _tensors(v)] if isinstance(x, (list, tuple)) else []


def _scopes(model):
    """Name scopes as torch's trace writes them (Net/Sequential[features]/Conv2d[0]), by module name and by id."""
    by_name, by_id = {}, {}
    for name, m in model.named_modules():  # parents come before their children
        parent, _, last = name.rpartition(".")
        by_name[name] = f"{by_name[parent]}/{type(m).__name__}[{last}]" if name else type(model).__name__
        by_id[id(m)] = by_name[name]
    return by_name, by_id


def graph(model, args):
    """(GraphDef, RunMetadata) of model(*args): modules as name scopes, an op node per autograd node."""
    args = args if isinstance(args, (tuple, list)) else (args,)
    # inputs become leaves that require grad, so their first ops are recorded and reach them by AccumulateGrad
    args = [a.detach().requires_grad_(a.is_floating_point()) if isinstance(a, Tensor) else a for a in args]
    by_name, by_id = _scopes(model)
    owner, stack, handles = {}, [], []

    def pre(mod, inputs):
        stack.append({id(t.grad_fn) for t in _tensors(inputs) if t.grad_fn is not None})

    def post(mod, inputs, output):
        # the nodes this call created: reachable from its output without passing its inputs; innermost claims first
        stop, todo = stack.pop(), [t.grad_fn for t in _tensors(output)]
        while todo:
            n = todo.pop()
            if n is not None and id(n) not in owner and id(n) not in stop and n.name() != ACCUMULATE:
                owner[id(n)] = (n, by_id[id(mod)])  # n is kept alive, so its id stays unique
                todo.extend(p for p, _ in n.next_functions)

    training = model.training
    try:
        model.train(False)
        for m in model.modules():
            handles += [m.register_forward_pre_hook(pre), m.register_forward_hook(post)]
        with enable_grad():
            outputs = _tensors(model(*args))
    finally:
        for h in handles:
            h.remove()
        model.train(training)

    params = {id(t): by_name[k.rpartition(".")[0]] + "/" + k.rpartition(".")[2] for k, t in model.named_parameters()}
    order = _toposort([t.grad_fn for t in outputs])[::-1]
    shapes = {id(t.grad_fn): t.shape for t in outputs}
    for n in order:
        shapes.update((id(p), s) for p, s in zip(n.parents, n.shapes) if p is not None)
    nodes, seen, node_name = [], {}, {}

    def add(name, op, inputs, shape):
        k = seen[name] = seen.get(name, -1) + 1  # repeated names get _1, _2, ... like torch's
        nodes.append(NodeDef(name=f"{name}_{k}" if k else name, op=op, input=inputs,
                             attr={"_output_shapes": AttrValue(list=AttrValue.ListValue(shape=[_shape(shape)]))}))
        return nodes[-1].name

    for i, t in enumerate(_tensors(args)):
        node_name[id(t)] = add(f"input/input.{i}", "IO Node", [], t.shape)
    for n in order:
        if n.name() == ACCUMULATE:  # a leaf: an input, a parameter or another tensor
            v = n.variable
            if id(v) not in node_name:
                node_name[id(v)] = add(params.get(id(v), by_name[""] + "/tensor"), "Parameter", [], v.shape)
            node_name[id(n)] = node_name[id(v)]
        else:
            op = re.sub(r"Backward\d*$", "", n.name())
            ins = [node_name[id(p)] for p, _ in n.next_functions if p is not None]
            node_name[id(n)] = add(f"{owner.get(id(n), (n, by_name['']))[1]}/{op}", op, ins, shapes.get(id(n), ()))
    for i, t in enumerate(outputs):  # fed by the op that made it, or by the leaf itself
        src = [node_name[k] for k in (id(t.grad_fn), id(t)) if k in node_name][:1]
        add(f"output/output.{i}", "IO Node", src, t.shape)
    meta = RunMetadata(step_stats=StepStats(dev_stats=[DeviceStepStats(device="/device:CPU:0")]))
    return GraphDef(node=nodes, versions=VersionDef(producer=22)), meta
