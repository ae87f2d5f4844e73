"""torch's graph (issue 10): for the layers and losses of the lecture and the beginner tutorials, the graph a
student walks (`grad_fn.name()`, `next_functions` in order, None edges, AccumulateGrad's variable) is torch's."""
import numpy as np
import pytest
import torch

import minigrad


def walk(fn, names, depth=12):
    """The graph below fn as nested tuples: (name, children) with leaves as ('AccumulateGrad', parameter name)."""
    if fn is None:
        return None
    if fn.name() == "torch::autograd::AccumulateGrad":
        return ("AccumulateGrad", names.get(id(fn.variable), "input"))
    if depth == 0:
        return (fn.name(), "...")
    return (fn.name(), tuple(walk(f, names, depth - 1) for f, _ in fn.next_functions))


def build(lib, case):
    """Run the case in lib: its graph, from the output's grad_fn, with parameters named as in the module."""
    torch_like = lib
    nn, F = torch_like.nn, torch_like.nn.functional
    x = lib.tensor(np.random.default_rng(0).uniform(-1, 1, case["shape"]).astype(np.float32), requires_grad=True)
    model = case["model"](nn, F)
    out = case["forward"](lib, nn, F, model, x)
    names = {id(p): n for n, p in model.named_parameters()} if isinstance(model, nn.Module) else {}
    names[id(x)] = "x"
    return walk(out.grad_fn, names)


def target(lib, n=4, c=3):
    return lib.tensor(np.arange(n) % c)


CASES = {
    "Linear 2-D": dict(shape=(4, 3), model=lambda nn, F: nn.Linear(3, 2), forward=lambda L, nn, F, m, x: m(x)),
    "Linear batched": dict(shape=(2, 4, 3), model=lambda nn, F: nn.Linear(3, 2), forward=lambda L, nn, F, m, x: m(x)),
    "Linear no bias": dict(shape=(4, 3), model=lambda nn, F: nn.Linear(3, 2, bias=False),
                           forward=lambda L, nn, F, m, x: m(x)),
    "Conv2d": dict(shape=(2, 1, 6, 6), model=lambda nn, F: nn.Conv2d(1, 2, 3), forward=lambda L, nn, F, m, x: m(x)),
    "MaxPool2d module": dict(shape=(1, 1, 4, 4), model=lambda nn, F: nn.MaxPool2d(2, 2),
                             forward=lambda L, nn, F, m, x: m(x)),
    "F.max_pool2d": dict(shape=(1, 1, 4, 4), model=lambda nn, F: None,
                         forward=lambda L, nn, F, m, x: F.max_pool2d(x, 2)),
    "ReLU": dict(shape=(3,), model=lambda nn, F: nn.ReLU(), forward=lambda L, nn, F, m, x: m(x)),
    "F.relu": dict(shape=(3,), model=lambda nn, F: None, forward=lambda L, nn, F, m, x: F.relu(x)),
    "view": dict(shape=(2, 3), model=lambda nn, F: None, forward=lambda L, nn, F, m, x: (x * 2).view(-1)),
    "flatten": dict(shape=(2, 3, 2), model=lambda nn, F: None, forward=lambda L, nn, F, m, x: L.flatten(x * 2, 1)),
    "Flatten module": dict(shape=(2, 3, 2), model=lambda nn, F: nn.Flatten(), forward=lambda L, nn, F, m, x: m(x * 2)),
    "mean": dict(shape=(2, 3), model=lambda nn, F: None, forward=lambda L, nn, F, m, x: x.mean()),
    "mean(dim)": dict(shape=(2, 3), model=lambda nn, F: None, forward=lambda L, nn, F, m, x: x.mean(1)),
    "sum": dict(shape=(2, 3), model=lambda nn, F: None, forward=lambda L, nn, F, m, x: x.sum()),
    "sum(dim)": dict(shape=(2, 3), model=lambda nn, F: None, forward=lambda L, nn, F, m, x: x.sum(0)),
    "Dropout": dict(shape=(4, 3), model=lambda nn, F: nn.Dropout(0.5), forward=lambda L, nn, F, m, x: m(x)),
    "CrossEntropyLoss": dict(shape=(4, 3), model=lambda nn, F: nn.CrossEntropyLoss(),
                             forward=lambda L, nn, F, m, x: m(x, target(L))),
    "NLLLoss": dict(shape=(4, 3), model=lambda nn, F: nn.NLLLoss(),
                    forward=lambda L, nn, F, m, x: m(F.log_softmax(x, 1), target(L))),
    "blitz: Linear + MSELoss": dict(shape=(1, 3), model=lambda nn, F: nn.Linear(3, 2),
                                    forward=lambda L, nn, F, m, x: nn.MSELoss()(m(x), L.ones(1, 2))),
    "lecture Net": dict(shape=(2, 1, 28, 28), model=lambda nn, F: __import__("demos.lecture_net").lecture_net
                        .make_net(nn, F)(), forward=lambda L, nn, F, m, x: m(x)),
}
for reduction in ("mean", "sum", "none"):
    CASES[f"MSELoss {reduction}"] = dict(
        shape=(4, 3), model=lambda nn, F, r=reduction: nn.MSELoss(reduction=r),
        forward=lambda L, nn, F, m, x: m(x * 2, L.zeros(4, 3)))


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_graph_is_torchs(case):
    torch.manual_seed(0)
    want = build(torch, CASES[case])
    got = build(minigrad, CASES[case])
    assert got == want


def test_blitz_walk_names():
    """The 60-minute blitz's three prints, literally."""
    for lib in (torch, minigrad):
        net, x = lib.nn.Linear(3, 2), lib.ones(1, 3)
        loss = lib.nn.MSELoss()(net(x), lib.zeros(1, 2))
        f = loss.grad_fn
        assert (f.name(), f.next_functions[0][0].name(), f.next_functions[0][0].next_functions[0][0].name()) == \
            ("MseLossBackward0", "AddmmBackward0", "torch::autograd::AccumulateGrad")
        assert repr(f.next_functions[0][0].next_functions[0][0]).startswith("<AccumulateGrad object at")
        assert f.next_functions[0][0].next_functions[0][0].variable is net.bias
