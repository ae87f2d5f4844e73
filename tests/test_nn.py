"""nn parity: every layer, functional and loss against torch (outputs and all gradients), Module behaviour."""
import math
from collections import OrderedDict

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F

DTYPES = {"float32": (np.float32, 1e-4), "float64": (np.float64, 1e-7)}
SETTINGS = settings(max_examples=25, deadline=None)
dtypes = st.sampled_from(sorted(DTYPES))


def both(arr, requires_grad=True):
    """The same array as a minigrad tensor and a torch tensor."""
    return (minigrad.tensor(arr, requires_grad=requires_grad),
            torch.tensor(arr, requires_grad=requires_grad))


def close(m, t, rtol):
    t = t.detach().numpy() if isinstance(t, torch.Tensor) else t
    np.testing.assert_allclose(m.detach().numpy(), t, rtol=rtol, atol=rtol)
    assert m.detach().numpy().dtype == t.dtype


def twin(mm, tm):
    """Copy the minigrad module's weights into its torch twin (exercising state_dict interop)."""
    tm.load_state_dict({k: torch.from_numpy(v.numpy().copy()) for k, v in mm.state_dict().items()})
    return tm


def check(mfn, tfn, arrays, rtol, seed=0):
    """Outputs of mfn/tfn on the arrays, then grads of every input (and params) for a random upstream grad."""
    ms, ts = zip(*(both(a) for a in arrays))
    mo, to = mfn(*ms), tfn(*ts)
    close(mo, to, rtol)
    g = np.random.default_rng(seed).standard_normal(to.shape).astype(arrays[0].dtype)
    mo.backward(minigrad.tensor(g))
    to.backward(torch.tensor(g))
    for m, t in zip(ms, ts):
        close(m.grad, t.grad, rtol)
    return mo, to


def check_module(mm, tm, x, rtol):
    twin(mm, tm)
    check(mm, tm, [x], rtol)
    mp, tp = dict(mm.named_parameters()), dict(tm.named_parameters())
    assert list(mp) == list(tp)
    for k in mp:
        close(mp[k].grad, tp[k].grad, rtol)


def arr(rng, shape, dt):
    return rng.standard_normal(shape).astype(DTYPES[dt][0])


# ---- layers -------------------------------------------------------------------------------------------
@SETTINGS
@given(st.integers(1, 6), st.integers(1, 6), st.lists(st.integers(1, 4), max_size=2), st.booleans(), dtypes,
       st.integers(0, 2 ** 31))
def test_linear(fin, fout, lead, bias, dt, seed):
    mm = nn.Linear(fin, fout, bias=bias, dtype=minigrad.float64 if dt == "float64" else None)
    tm = torch.nn.Linear(fin, fout, bias=bias, dtype=torch.float64 if dt == "float64" else None)
    check_module(mm, tm, arr(np.random.default_rng(seed), lead + [fin], dt), DTYPES[dt][1])


@st.composite
def conv_args(draw):
    k = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    d = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = draw(st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2))))
    h = draw(st.integers(d[0] * (k[0] - 1) + 1, 9))
    w = draw(st.integers(d[1] * (k[1] - 1) + 1, 9))
    return k, s, padding, d, h, w


@SETTINGS
@given(conv_args(), st.integers(1, 3), st.integers(1, 3), st.integers(0, 3), st.booleans(), dtypes,
       st.integers(0, 2 ** 31))
def test_conv2d(args, cin, cout, n, bias, dt, seed):
    k, s, p, d, h, w = args
    kw = dict(stride=s, padding=p, dilation=d, bias=bias)
    mm, tm = nn.Conv2d(cin, cout, k, **kw), torch.nn.Conv2d(cin, cout, k, **kw)
    if dt == "float64":
        mm, tm = mm.double(), tm.double()
    shape = [n, cin, h, w] if n else [cin, h, w]  # n == 0: unbatched input
    check_module(mm, tm, arr(np.random.default_rng(seed), shape, dt), DTYPES[dt][1])
    assert repr(mm) == repr(tm)


@st.composite
def pool_args(draw, dilation=True):
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    s = draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    p = (draw(st.integers(0, k[0] // 2)), draw(st.integers(0, k[1] // 2)))
    d = (draw(st.integers(1, 2)), draw(st.integers(1, 2))) if dilation else (1, 1)
    h, w = draw(st.integers(d[0] * (k[0] - 1) + 1, 8)), draw(st.integers(d[1] * (k[1] - 1) + 1, 8))
    return k, s, p, d, h, w, draw(st.booleans())


@SETTINGS
@given(pool_args(), st.integers(0, 2), dtypes, st.integers(0, 2 ** 31))
def test_max_pool2d(args, n, dt, seed):
    k, s, p, d, h, w, ceil = args
    x = arr(np.random.default_rng(seed), [n, 2, h, w] if n else [2, h, w], dt)
    kw = dict(kernel_size=k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
    check(lambda a: F.max_pool2d(a, **kw), lambda a: torch.nn.functional.max_pool2d(a, **kw), [x], DTYPES[dt][1])


def test_max_pool2d_ties_route_gradient_to_first_maximum():
    x = np.zeros((1, 1, 4, 6), np.float32)
    x[0, 0, :2, :2] = 1.0
    for kw in (dict(kernel_size=2), dict(kernel_size=3, stride=1, padding=1)):
        check(lambda a: F.max_pool2d(a, **kw), lambda a: torch.nn.functional.max_pool2d(a, **kw), [x], 1e-6)
    mm, tm = nn.MaxPool2d(2, 2), torch.nn.MaxPool2d(2, 2)
    assert repr(mm) == repr(tm)


@SETTINGS
@given(pool_args(dilation=False), st.booleans(), dtypes, st.integers(0, 2 ** 31))
def test_avg_pool2d(args, count_include_pad, dt, seed):
    k, s, p, _, h, w, ceil = args
    x = arr(np.random.default_rng(seed), [2, 3, h, w], dt)
    kw = dict(kernel_size=k, stride=s, padding=p, ceil_mode=ceil, count_include_pad=count_include_pad)
    check(lambda a: F.avg_pool2d(a, **kw), lambda a: torch.nn.functional.avg_pool2d(a, **kw), [x], DTYPES[dt][1])
    assert repr(nn.AvgPool2d(**kw)) == repr(torch.nn.AvgPool2d(**kw))


ACTIVATIONS = [("ReLU", ()), ("Sigmoid", ()), ("Tanh", ()), ("Softmax", (1,)), ("LogSoftmax", (-1,)),
               ("Identity", ()), ("Flatten", ()), ("Flatten", (0, 1)), ("Softmax", ()), ("LogSoftmax", ())]


@SETTINGS
@given(st.sampled_from(ACTIVATIONS), st.lists(st.integers(1, 4), min_size=2, max_size=4), dtypes,
       st.integers(0, 2 ** 31))
def test_activations(act, shape, dt, seed):
    name, args = act
    mm, tm = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    check(mm, tm, [arr(np.random.default_rng(seed), shape, dt)], DTYPES[dt][1])
    assert repr(mm) == repr(tm)


@SETTINGS
@given(st.sampled_from(["relu", "sigmoid", "tanh", "softmax", "log_softmax", "logsigmoid"]),
       st.lists(st.integers(1, 4), min_size=1, max_size=3), dtypes, st.integers(0, 2 ** 31))
def test_functional_activations(name, shape, dt, seed):
    kw = {"dim": -1} if "softmax" in name else {}
    x = arr(np.random.default_rng(seed), shape, dt) * 10
    check(lambda a: getattr(F, name)(a, **kw), lambda a: getattr(torch.nn.functional, name)(a, **kw), [x],
          DTYPES[dt][1])


# ---- losses -------------------------------------------------------------------------------------------
reductions = st.sampled_from(["mean", "sum", "none"])


@SETTINGS
@given(st.sampled_from(["mse_loss", "l1_loss"]), reductions, st.lists(st.integers(1, 4), min_size=1, max_size=3),
       dtypes, st.integers(0, 2 ** 31))
def test_pointwise_losses(name, reduction, shape, dt, seed):
    rng = np.random.default_rng(seed)
    x, y = arr(rng, shape, dt), arr(rng, shape, dt)
    check(lambda a, b: getattr(F, name)(a, b, reduction=reduction),
          lambda a, b: getattr(torch.nn.functional, name)(a, b, reduction=reduction), [x, y], DTYPES[dt][1])


@SETTINGS
@given(st.integers(1, 5), st.integers(2, 5), st.sampled_from([(), (3,), (2, 2)]), reductions, st.booleans(),
       st.sampled_from([-100, 0, 1]), st.sampled_from([0.0, 0.1, 0.5]), dtypes, st.integers(0, 2 ** 31))
def test_cross_entropy_class_indices(n, c, extra, reduction, weighted, ignore, smoothing, dt, seed):
    rng = np.random.default_rng(seed)
    x = arr(rng, (n, c) + extra, dt) * 3
    t = rng.integers(0, c, (n,) + extra)
    t.flat[0] = 0  # at least one target, so that 'mean' with ignore_index=0 can divide by zero like torch
    w = (rng.random(c) + 0.5).astype(x.dtype)
    mw, tw = (minigrad.tensor(w), torch.tensor(w)) if weighted else (None, None)
    kw = dict(ignore_index=ignore, reduction=reduction, label_smoothing=smoothing)
    check(lambda a: F.cross_entropy(a, minigrad.tensor(t), mw, **kw),
          lambda a: torch.nn.functional.cross_entropy(a, torch.tensor(t), tw, **kw), [x], DTYPES[dt][1])
    if smoothing == 0:
        lp = x - np.log(np.exp(x).sum(1, keepdims=True))
        check(lambda a: F.nll_loss(a, minigrad.tensor(t), mw, ignore_index=ignore, reduction=reduction),
              lambda a: torch.nn.functional.nll_loss(a, torch.tensor(t), tw, ignore_index=ignore,
                                                     reduction=reduction), [lp], DTYPES[dt][1])


@SETTINGS
@given(st.integers(1, 5), st.integers(2, 5), reductions, st.booleans(), st.sampled_from([0.0, 0.2]), dtypes,
       st.integers(0, 2 ** 31))
def test_cross_entropy_probabilities(n, c, reduction, weighted, smoothing, dt, seed):
    rng = np.random.default_rng(seed)
    x, p = arr(rng, (n, c), dt), rng.random((n, c)).astype(DTYPES[dt][0])
    p /= p.sum(1, keepdims=True)
    w = (rng.random(c) + 0.5).astype(x.dtype)
    mw, tw = (minigrad.tensor(w), torch.tensor(w)) if weighted else (None, None)
    check(lambda a, b: F.cross_entropy(a, b, mw, reduction=reduction, label_smoothing=smoothing),
          lambda a, b: torch.nn.functional.cross_entropy(a, b, tw, reduction=reduction, label_smoothing=smoothing),
          [x, p], DTYPES[dt][1])


def test_cross_entropy_unbatched_and_module():
    x, t = np.random.default_rng(0).standard_normal(5), 3
    check(lambda a: nn.CrossEntropyLoss()(a, minigrad.tensor(t)),
          lambda a: torch.nn.CrossEntropyLoss()(a, torch.tensor(t)), [x], 1e-7)
    assert nn.CrossEntropyLoss(weight=minigrad.ones(3)).state_dict().keys() == {"weight"}


@SETTINGS
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), reductions, st.booleans(), st.booleans(), dtypes,
       st.integers(0, 2 ** 31))
def test_binary_cross_entropy(shape, reduction, weighted, pos_weighted, dt, seed):
    rng = np.random.default_rng(seed)
    x, y = arr(rng, shape, dt) * 4, rng.random(shape).astype(DTYPES[dt][0])
    w = (rng.random(shape) + 0.5).astype(x.dtype)
    pw = (rng.random(shape[-1:]) + 0.5).astype(x.dtype)
    mw, tw = (minigrad.tensor(w), torch.tensor(w)) if weighted else (None, None)
    mp, tp = (minigrad.tensor(pw), torch.tensor(pw)) if pos_weighted else (None, None)
    check(lambda a, b: F.binary_cross_entropy_with_logits(a, b, mw, reduction=reduction, pos_weight=mp),
          lambda a, b: torch.nn.functional.binary_cross_entropy_with_logits(a, b, tw, reduction=reduction,
                                                                            pos_weight=tp), [x, y], DTYPES[dt][1])
    prob = 1 / (1 + np.exp(-x))
    check(lambda a, b: nn.BCELoss(mw, reduction=reduction)(a, b),
          lambda a, b: torch.nn.BCELoss(tw, reduction=reduction)(a, b), [prob, y], DTYPES[dt][1])


def test_loss_modules_match_torch_repr_and_values():
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    for name in ("MSELoss", "L1Loss"):
        for red in ("mean", "sum", "none"):
            check(getattr(nn, name)(reduction=red), getattr(torch.nn, name)(reduction=red), [x, y], 1e-7)
        assert repr(getattr(nn, name)()) == repr(getattr(torch.nn, name)())
    with pytest.raises(ValueError, match="bogus is not a valid value for reduction"):
        nn.MSELoss(reduction="bogus")


# ---- dropout ------------------------------------------------------------------------------------------
def test_dropout_train_and_eval():
    minigrad.manual_seed(0)
    x = minigrad.ones(200, 50, requires_grad=True)
    d = nn.Dropout(0.3)
    assert repr(d) == repr(torch.nn.Dropout(0.3))
    y = d(x)
    vals = np.unique(y.detach().numpy())
    np.testing.assert_allclose(vals, [0, 1 / 0.7], rtol=1e-6)
    assert abs((y.detach().numpy() == 0).mean() - 0.3) < 0.02
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.detach().numpy())  # d(x * mask / (1-p))/dx = mask / (1-p)
    d.eval()
    assert d(x) is x
    assert (F.dropout(x, 1.0).detach().numpy() == 0).all()
    assert F.dropout(x, 0.0) is x


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_dropout_probability_error(p):
    with pytest.raises(ValueError) as m:
        nn.Dropout(p)
    with pytest.raises(ValueError) as t:
        torch.nn.Dropout(p)
    assert str(m.value) == str(t.value)
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
        F.dropout(minigrad.ones(3), p)


# ---- errors in torch's words --------------------------------------------------------------------------
def same_error(mfn, tfn, exc):
    with pytest.raises(exc) as m:
        mfn()
    with pytest.raises(exc) as t:
        tfn()
    assert str(m.value) == str(t.value)


@pytest.mark.parametrize("shape", [(4, 3), (2, 4, 3), (3,)])
def test_linear_shape_error(shape):
    x = np.zeros(shape, np.float32)
    mm, tm = nn.Linear(5, 2), torch.nn.Linear(5, 2)
    same_error(lambda: mm(minigrad.tensor(x)), lambda: tm(torch.tensor(x)), RuntimeError)


@pytest.mark.parametrize("shape", [(4, 3, 28, 28), (2, 3), (1, 1, 3, 3), (3, 28, 28), (1, 1, 2, 2, 2)])
def test_conv2d_input_errors(shape):
    x = np.zeros(shape, np.float32)
    mm, tm = nn.Conv2d(1, 6, 5), torch.nn.Conv2d(1, 6, 5)
    same_error(lambda: mm(minigrad.tensor(x)), lambda: tm(torch.tensor(x)), RuntimeError)


@pytest.mark.parametrize("target", [[1, 5, 2], [1, -1, 2]])
def test_cross_entropy_target_out_of_range(target):
    x = np.zeros((3, 5), np.float32)
    same_error(lambda: F.cross_entropy(minigrad.tensor(x), minigrad.tensor(target)),
               lambda: torch.nn.functional.cross_entropy(torch.tensor(x), torch.tensor(target)), IndexError)


def test_pool_and_bce_errors():
    x = np.zeros((1, 1, 4, 4), np.float32)
    same_error(lambda: F.max_pool2d(minigrad.tensor(x), 2, padding=2),
               lambda: torch.nn.functional.max_pool2d(torch.tensor(x), 2, padding=2), RuntimeError)
    same_error(lambda: F.binary_cross_entropy(minigrad.tensor([1.5]), minigrad.tensor([1.0])),
               lambda: torch.nn.functional.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([1.0])),
               RuntimeError)
    same_error(lambda: F.binary_cross_entropy(minigrad.tensor([[0.5]]), minigrad.tensor([1.0])),
               lambda: torch.nn.functional.binary_cross_entropy(torch.tensor([[0.5]]), torch.tensor([1.0])),
               ValueError)


# ---- Module behaviour ---------------------------------------------------------------------------------
def lecture_net(lib):
    """The lecture's CNN, written once for both libraries."""
    class Net(lib.nn.Module):
        def __init__(self):
            super(Net, self).__init__()
            self.conv1 = lib.nn.Conv2d(1, 6, 5)
            self.pool = lib.nn.MaxPool2d(2, 2)
            self.conv2 = lib.nn.Conv2d(6, 16, 5)
            self.fc1 = lib.nn.Linear(16 * 4 * 4, 120)
            self.fc2 = lib.nn.Linear(120, 84)
            self.fc3 = lib.nn.Linear(84, 10)

        def forward(self, x):
            relu = lib.nn.functional.relu
            x = self.pool(relu(self.conv1(x)))
            x = self.pool(relu(self.conv2(x)))
            x = x.view(-1, 16 * 4 * 4)
            x = relu(self.fc1(x))
            x = relu(self.fc2(x))
            return self.fc3(x)
    return Net()


def test_lecture_net_matches_torch():
    mm, tm = lecture_net(minigrad), lecture_net(torch)
    assert repr(mm) == repr(tm)
    assert list(mm.state_dict()) == list(tm.state_dict())
    assert [n for n, _ in mm.named_modules()] == [n for n, _ in tm.named_modules()]
    assert [n for n, _ in mm.named_children()] == [n for n, _ in tm.named_children()]
    x = np.random.default_rng(0).standard_normal((4, 1, 28, 28)).astype(np.float32)
    check_module(mm, tm, x, 1e-4)
    t = np.array([1, 0, 9, 3])
    ml = F.cross_entropy(mm(minigrad.tensor(x)), minigrad.tensor(t))
    tl = torch.nn.functional.cross_entropy(tm(torch.tensor(x)), torch.tensor(t))
    close(ml, tl, 1e-5)


def test_default_init_statistics():
    minigrad.manual_seed(0)
    lin, conv = nn.Linear(400, 300), nn.Conv2d(16, 32, 5)
    for m, fan_in in ((lin, 400), (conv, 400)):
        bound = 1 / math.sqrt(fan_in)  # kaiming_uniform_(a=sqrt(5)) and the bias rule both give 1/sqrt(fan_in)
        for p in (m.weight, m.bias):
            a = p.detach().numpy()
            assert a.dtype == np.float32 and np.abs(a).max() <= bound
        w = m.weight.detach().numpy()
        assert abs(w.std() - bound / math.sqrt(3)) < 0.02 * bound and abs(w.mean()) < 0.02 * bound


def test_init_functions():
    minigrad.manual_seed(0)
    t = minigrad.empty(200, 300)
    nn.init.xavier_uniform_(t, gain=2.0)
    assert np.abs(t.numpy()).max() <= 2.0 * math.sqrt(6 / 500)
    nn.init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu")
    assert abs(t.numpy().std() - math.sqrt(2 / 200)) < 0.01 * math.sqrt(2 / 200) * 5
    nn.init.normal_(t, 3.0, 0.5)
    assert abs(t.numpy().mean() - 3.0) < 0.01 and abs(t.numpy().std() - 0.5) < 0.01
    nn.init.uniform_(t, -2, -1)
    assert t.numpy().min() >= -2 and t.numpy().max() <= -1
    nn.init.constant_(t, 0.25)
    assert (t.numpy() == 0.25).all()
    nn.init.zeros_(t)
    assert (t.numpy() == 0).all()
    nn.init.ones_(t)
    assert (t.numpy() == 1).all()
    p = nn.Parameter(minigrad.zeros(3, 4))
    nn.init.kaiming_uniform_(p, a=math.sqrt(5))  # works on leaves that require grad (under no_grad)
    assert p.requires_grad and p.grad_fn is None and np.abs(p.detach().numpy()).max() > 0
    assert nn.init.calculate_gain("tanh") == torch.nn.init.calculate_gain("tanh")
    assert nn.init.calculate_gain("leaky_relu", 0.2) == torch.nn.init.calculate_gain("leaky_relu", 0.2)


def test_state_dict_interop_both_ways():
    mm, tm = lecture_net(minigrad), lecture_net(torch)
    x = np.random.default_rng(0).standard_normal((2, 1, 28, 28)).astype(np.float32)
    # torch -> minigrad
    mm.load_state_dict({k: minigrad.tensor(v.numpy()) for k, v in tm.state_dict().items()})
    close(mm(minigrad.tensor(x)), tm(torch.tensor(x)), 1e-4)
    # minigrad -> torch, with fresh weights on both sides
    mm2, tm2 = lecture_net(minigrad), lecture_net(torch)
    result = tm2.load_state_dict({k: torch.tensor(v.numpy()) for k, v in mm2.state_dict().items()})
    assert not result.missing_keys and not result.unexpected_keys
    close(mm2(minigrad.tensor(x)), tm2(torch.tensor(x)), 1e-4)


def test_state_dict_is_detached_and_shares_storage():
    m = nn.Linear(2, 2)
    sd = m.state_dict()
    assert isinstance(sd, OrderedDict) and not sd["weight"].requires_grad
    assert np.shares_memory(sd["weight"].numpy(), m.weight.detach().numpy())
    assert m.state_dict(keep_vars=True)["weight"] is m.weight


@pytest.mark.parametrize("edit", ["missing", "unexpected", "both", "shape", "nested_unexpected"])
def test_load_state_dict_errors_match_torch(edit):
    mm, tm = lecture_net(minigrad), lecture_net(torch)
    sd = {k: v.numpy().copy() for k, v in tm.state_dict().items()}
    if edit in ("missing", "both"):
        del sd["fc3.weight"], sd["conv1.bias"]
    if edit in ("unexpected", "both"):
        sd["extra"] = np.zeros(1, np.float32)
    if edit == "nested_unexpected":
        sd["fc1.extra"] = np.zeros(1, np.float32)
    if edit == "shape":
        sd["fc2.bias"] = np.zeros(3, np.float32)
    same_error(lambda: mm.load_state_dict({k: minigrad.tensor(v) for k, v in sd.items()}),
               lambda: tm.load_state_dict({k: torch.tensor(v) for k, v in sd.items()}), RuntimeError)
    if edit != "shape":
        mres = mm.load_state_dict({k: minigrad.tensor(v) for k, v in sd.items()}, strict=False)
        tres = tm.load_state_dict({k: torch.tensor(v) for k, v in sd.items()}, strict=False)
        assert (mres.missing_keys, mres.unexpected_keys) == (tres.missing_keys, tres.unexpected_keys)


def test_hooks_and_handles():
    m = nn.Sequential(nn.Linear(3, 2), nn.ReLU())
    seen = []
    h1 = m[0].register_forward_hook(lambda mod, args, out: seen.append((type(mod).__name__, out.shape)))
    h2 = m.register_forward_pre_hook(lambda mod, args: (args[0] * 0,))
    h3 = m.register_forward_hook(lambda mod, args, out: out + 1)
    y = m(minigrad.ones(4, 3))
    assert seen == [("Linear", (4, 2))]
    expected = np.maximum(m[0].bias.detach().numpy(), 0) + 1  # input zeroed by the pre-hook, then +1
    np.testing.assert_allclose(y.detach().numpy(), np.broadcast_to(expected, (4, 2)), rtol=1e-6)
    for h in (h1, h2, h3):
        h.remove()
    h1.remove()  # removing twice is harmless
    x = minigrad.ones(4, 3)
    np.testing.assert_allclose(m(x).detach().numpy(), np.maximum(m[0](x).detach().numpy(), 0))
    assert len(seen) == 1


def test_registration_buffers_modes_and_zero_grad():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 2)
            self.register_buffer("running", minigrad.zeros(2))
            self.register_buffer("scratch", minigrad.zeros(1), persistent=False)
            self.scale = nn.Parameter(minigrad.ones(()))
            self.plain = 3

        def forward(self, x):
            return self.fc(x) * self.scale + self.running

    net = Net()
    assert [n for n, _ in net.named_parameters()] == ["scale", "fc.weight", "fc.bias"]
    assert [n for n, _ in net.named_buffers()] == ["running", "scratch"]
    assert list(net.state_dict()) == ["scale", "running", "fc.weight", "fc.bias"]
    assert len(list(net.buffers())) == 2 and list(net.children()) == [net.fc]
    net.train(False)
    assert not net.training and not net.fc.training
    net.train()
    assert net.fc.training
    net(minigrad.ones(1, 2)).sum().backward()
    assert net.scale.grad is not None
    net.zero_grad(set_to_none=False)
    assert (net.scale.grad.numpy() == 0).all()
    net.zero_grad()
    assert net.scale.grad is None and net.fc.weight.grad is None
    visited = []
    assert net.apply(lambda m: visited.append(type(m).__name__)) is net and visited == ["Linear", "Net"]
    assert net.to("cpu") is net
    with pytest.raises(RuntimeError, match="CPU only"):
        net.to("cuda")
    assert net.double().fc.weight.dtype == minigrad.float64 and net.running.dtype == minigrad.float64
    with pytest.raises(TypeError, match="cannot assign 'int' as parameter 'scale'"):
        net.scale = 1
    with pytest.raises(AttributeError, match="'Net' object has no attribute 'nope'"):
        net.nope
    del net.fc
    assert "fc" not in dict(net.named_children())
    with pytest.raises(NotImplementedError, match='missing the required "forward" function'):
        nn.Module()(1)


def test_sequential_and_modulelist():
    layers = [nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)]
    seq = nn.Sequential(*layers)
    tseq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    assert repr(seq) == repr(tseq)
    assert len(seq) == 3 and seq[0] is layers[0] and seq[-1] is layers[2] and list(seq) == layers
    sub = seq[1:]
    assert isinstance(sub, nn.Sequential) and list(sub.state_dict()) == ["2.weight", "2.bias"]
    with pytest.raises(IndexError, match="index 3 is out of range"):
        seq[3]
    named = nn.Sequential(OrderedDict([("a", nn.Linear(1, 1)), ("b", nn.Tanh())]))
    assert list(named.state_dict()) == ["a.weight", "a.bias"]
    seq.append(nn.Sigmoid())
    assert len(seq) == 4
    ml = nn.ModuleList([nn.Linear(1, 1)])
    ml.append(nn.Linear(1, 2)).extend([nn.ReLU()])
    ml.insert(0, nn.Tanh())
    assert [type(m).__name__ for m in ml] == ["Tanh", "Linear", "Linear", "ReLU"]
    assert list(ml.state_dict()) == ["1.weight", "1.bias", "2.weight", "2.bias"]
    assert isinstance(ml[1:], nn.ModuleList) and len(ml[1:]) == 3
    holder = nn.Module()
    holder.layers = ml
    assert len(list(holder.parameters())) == 4


def test_parameter():
    p = nn.Parameter(minigrad.zeros(2))
    assert p.requires_grad and isinstance(p, minigrad.Tensor)
    assert repr(p).startswith("Parameter containing:\ntensor(")
    assert not nn.Parameter(minigrad.zeros(2), requires_grad=False).requires_grad
    shared = nn.Linear(2, 2)
    m = nn.Sequential(shared, shared)
    assert len(list(m.parameters())) == 2  # shared parameters are yielded once
