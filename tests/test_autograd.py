"""The autograd engine: errors in torch's words, deep graphs, accumulation, hooks, Function, grad."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import minigrad
from parity.models import make_legendre


def both(values, **kw):
    """The same leaf in minigrad and torch."""
    return minigrad.tensor(values, **kw), torch.tensor(values, **kw)


def test_backward_non_scalar_needs_gradient():
    x = minigrad.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        (x * 2).backward()


def test_backward_without_requires_grad():
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        minigrad.ones(3).sum().backward()


def test_second_backward_through_freed_graph():
    x = minigrad.ones(3, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()


def test_retain_graph_allows_second_backward_and_accumulates():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [4.0, 8.0])


def test_inplace_on_leaf_requiring_grad():
    x = minigrad.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        x += 1
    with minigrad.no_grad():
        x -= 1  # allowed under no_grad, as in the lecture's update step
    np.testing.assert_array_equal(x.detach().numpy(), 0)


def test_inplace_on_non_leaf_keeps_gradients_right():
    xm, xt = both([1.0, -2.0, 3.0], requires_grad=True)
    outs = []
    for lib, x in ((minigrad, xm), (torch, xt)):
        y = x * x
        z = y * 3  # saved y must not see the in-place change below
        y += x
        y *= 2
        (y.sum() + z.sum()).backward()
        outs.append(x.grad.numpy())
    np.testing.assert_allclose(*outs)


def test_inplace_dtype_and_shape_errors():
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Long"):
        t = minigrad.tensor([1, 2])
        t += 0.5
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        t = minigrad.ones(3)
        t += minigrad.ones(2, 3)


def test_deep_chain_does_not_recurse():
    x = minigrad.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    y.backward()
    assert x.grad.item() == pytest.approx(1.0001 ** 10_000, rel=1e-3)


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 30), st.lists(st.floats(-3, 3), min_size=1, max_size=5))
def test_gradient_accumulates_over_many_uses(n, values):
    xm, xt = both(values, dtype=torch.float64 if False else None, requires_grad=True)
    for x in (xm, xt):
        total = x * 0
        for i in range(n):
            total = total + x * (i + 1) + x.exp()
        total.sum().backward()
    np.testing.assert_allclose(xm.grad.numpy(), xt.grad.numpy(), rtol=1e-5)


def test_grad_accumulates_across_backward_calls_and_none_resets():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 6.0])
    x.grad = None
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 3.0])


def test_non_leaf_has_no_grad_unless_retained():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y, z = x * 2, x * 3
    z.retain_grad()
    (y * z).sum().backward()
    assert y.grad is None and not y.is_leaf and x.is_leaf
    np.testing.assert_allclose(z.grad.numpy(), y.detach().numpy())


def test_backward_with_gradient_argument_matches_torch():
    xm, xt = both([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    g = [[0.5, -1.0], [2.0, 0.0]]
    (xm.sin() * 2).backward(minigrad.tensor(g))
    (xt.sin() * 2).backward(torch.tensor(g))
    np.testing.assert_allclose(xm.grad.numpy(), xt.grad.numpy(), rtol=1e-6)


def test_no_grad_context_and_decorator():
    x = minigrad.ones(2, requires_grad=True)
    with minigrad.no_grad():
        assert not minigrad.is_grad_enabled()
        assert (x * 2).grad_fn is None
        with minigrad.enable_grad():
            assert (x * 2).requires_grad

    @minigrad.no_grad()
    def f(t):
        return t * 2
    assert not f(x).requires_grad and minigrad.is_grad_enabled()


def test_set_grad_enabled_acts_like_torch():
    for lib in (minigrad, torch):
        lib.set_grad_enabled(False)  # a plain call switches at once
        assert not lib.is_grad_enabled()
        lib.set_grad_enabled(True)
        with lib.set_grad_enabled(False):
            assert not lib.is_grad_enabled()
        assert lib.is_grad_enabled()

        @lib.set_grad_enabled(False)
        def f():
            return lib.is_grad_enabled()
        assert lib.is_grad_enabled() and f() is False and lib.is_grad_enabled()


def test_register_hook_changes_gradient_like_torch():
    grads = []
    for lib in (minigrad, torch):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * x
        y.register_hook(lambda g: g * 10)
        x.register_hook(lambda g: grads.append(g.numpy().copy()))
        y.sum().backward()
        grads.append(x.grad.numpy().copy())
    np.testing.assert_allclose(grads[0], grads[2])
    np.testing.assert_allclose(grads[1], grads[3])


@settings(max_examples=20, deadline=None)
@given(st.lists(st.floats(-2, 2), min_size=1, max_size=6))
def test_custom_function_matches_torch(values):
    xm, xt = both(values, requires_grad=True)
    ym, yt = make_legendre(minigrad).apply(xm), make_legendre(torch).apply(xt)
    np.testing.assert_allclose(ym.detach().numpy(), yt.detach().numpy(), rtol=1e-5, atol=1e-6)
    (ym * ym).sum().backward()
    (yt * yt).sum().backward()
    np.testing.assert_allclose(xm.grad.numpy(), xt.grad.numpy(), rtol=1e-5, atol=1e-5)
    assert "LegendrePolynomial3" in ym.grad_fn.name()


def test_autograd_grad_returns_without_accumulating():
    xm, xt = both([1.0, 2.0], requires_grad=True)
    (gm,) = minigrad.autograd.grad((xm ** 3).sum(), xm)
    (gt,) = torch.autograd.grad((xt ** 3).sum(), xt)
    np.testing.assert_allclose(gm.numpy(), gt.numpy())
    assert xm.grad is None
    with pytest.raises(RuntimeError, match="appears to not have been used"):
        minigrad.autograd.grad((xm * 2).sum(), [xm, minigrad.ones(1, requires_grad=True)])


def test_gradcheck_accepts_right_and_rejects_wrong_gradients():
    x = minigrad.tensor([0.3, -1.2, 2.0], dtype=minigrad.float64, requires_grad=True)
    assert minigrad.autograd.gradcheck(lambda t: (t.tanh() * t).sum(), (x,))

    class Wrong(minigrad.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            return t * t

        @staticmethod
        def backward(ctx, g):
            return g  # should be 2 t g
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        minigrad.autograd.gradcheck(Wrong.apply, (x,))


def test_graph_nodes_have_torch_names():
    x = minigrad.ones(2, requires_grad=True)
    y = (x * 2 + 1).sum()
    assert y.grad_fn.name() == "SumBackward0"
    add = y.grad_fn.next_functions[0][0]
    assert add.name() == "AddBackward0"
    mul = add.next_functions[0][0]
    assert mul.next_functions[0][0].name() == "torch::autograd::AccumulateGrad"  # torch's name(); repr: AccumulateGrad
    assert repr(mul.next_functions[0][0]).startswith("<AccumulateGrad object at")
    assert mul.next_functions[0][0].variable is x


def _aliasing_workload(lib):
    """Leaf gradients the engine may keep without a copy (torch's AccumulateGrad does too), then mutated."""
    a, b = lib.ones(3, requires_grad=True), lib.ones(3, requires_grad=True)
    (a + b).sum().backward()  # one gradient array flows to both leaves: they must not share it
    a.grad.mul_(5)
    kept = []
    x = lib.ones(2, 3, requires_grad=True)
    x.register_hook(lambda g: kept.append(g) or None)  # the hook holds the gradient: .grad must be its own copy
    y = x * 2
    y.retain_grad()
    (y * 3).sum().backward()
    x.grad.add_(1)
    y.grad.mul_(10)
    seed = lib.ones(3)
    z = lib.zeros(3, requires_grad=True)
    z.backward(seed)  # the caller's gradient tensor is not adopted as z.grad
    seed.mul_(7)
    w = lib.nn.Linear(3, 2)
    w(lib.ones(4, 3)).sum().backward()
    w(lib.ones(4, 3)).sum().backward()  # accumulates into the first gradient in place
    return [t.detach().numpy().copy() for t in (a.grad, b.grad, kept[0], x.grad, y.grad, z.grad, seed,
                                                w.weight.grad, w.bias.grad)], w.weight.grad.is_contiguous()


def test_leaf_gradients_never_alias_what_others_hold():
    mine, theirs = _aliasing_workload(minigrad), _aliasing_workload(torch)
    for m, t in zip(mine[0], theirs[0]):
        np.testing.assert_array_equal(m, t)
    assert mine[1] and theirs[1]  # .grad has the parameter's (contiguous) layout, as torch's layout contract says
