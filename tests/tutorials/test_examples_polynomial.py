"""Learning PyTorch with Examples: y = sin(x) fitted by a third-order polynomial, eight ways (numpy, tensors,
autograd, a custom autograd Function, nn, optim, a custom Module, a dynamic net)."""
import math
import random

import numpy as np
import pytest
from swap import run_both, set_weights, tied_randn

STEPS = 500  # the tutorials take 2000 (30000 for the dynamic net): the comparison needs fewer


def coefficients(lib, dtype, requires_grad=False):
    """a, b, c, d: the tutorials draw randn(()) each; here numpy draws them, so both libraries start equal."""
    return [tied_randn(lib, seed=i).to(dtype).requires_grad_(requires_grad) for i in range(4)]


def warm_up_numpy(steps=STEPS):
    """The numpy warm-up, forward and backward by hand (float64, numpy's own)."""
    x = np.linspace(-math.pi, math.pi, 2000)
    y = np.sin(x)
    a, b, c, d = (float(np.float32(np.random.default_rng(i).standard_normal())) for i in range(4))
    learning_rate, losses = 1e-6, []
    for t in range(steps):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = np.square(y_pred - y).sum()
        if t % 100 == 99:
            losses.append(loss)
        grad_y_pred = 2.0 * (y_pred - y)
        grad_a, grad_b = grad_y_pred.sum(), (grad_y_pred * x).sum()
        grad_c, grad_d = (grad_y_pred * x ** 2).sum(), (grad_y_pred * x ** 3).sum()
        a, b, c, d = (a - learning_rate * grad_a, b - learning_rate * grad_b, c - learning_rate * grad_c,
                      d - learning_rate * grad_d)
    return losses, [a, b, c, d]


def polynomial_tensors(lib, dtype_name="float", steps=STEPS):
    """The same by hand on tensors: linspace, sin, pow, sum, item, in-place updates."""
    dtype = getattr(lib, dtype_name)
    device = lib.device("cpu")
    x = lib.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = lib.sin(x)
    drawn = lib.randn((), device=device, dtype=dtype)
    a, b, c, d = coefficients(lib, dtype)
    learning_rate, losses = 1e-6, []
    for t in range(steps):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum().item()
        if t % 100 == 99:
            losses.append(loss)
        grad_y_pred = 2.0 * (y_pred - y)
        grad_a, grad_b = grad_y_pred.sum(), (grad_y_pred * x).sum()
        grad_c, grad_d = (grad_y_pred * x ** 2).sum(), (grad_y_pred * x ** 3).sum()
        a -= learning_rate * grad_a
        b -= learning_rate * grad_b
        c -= learning_rate * grad_c
        d -= learning_rate * grad_d
    return {"drawn": (drawn.shape, drawn.dtype), "losses": losses, "result": [a, b, c, d],
            "text": f"Result: y = {a.item():.4f} + {b.item():.4f} x + {c.item():.4f} x^2 + {d.item():.4f} x^3"}


def polynomial_autograd(lib, steps=STEPS):
    """Gradients from backward(); updates under no_grad; grads reset to None."""
    x = lib.linspace(-math.pi, math.pi, 2000, dtype=lib.float)
    y = lib.sin(x)
    a, b, c, d = coefficients(lib, lib.float, requires_grad=True)
    learning_rate, losses, grads = 1e-6, [], None
    for t in range(steps):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            losses.append(loss.item())
        loss.backward()
        grads = grads or [p.grad.clone() for p in (a, b, c, d)]
        with lib.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = b.grad = c.grad = d.grad = None
    return {"losses": losses, "first grads": grads, "result": [a, b, c, d],
            "leaf": [(p.is_leaf, p.requires_grad, p.grad is None) for p in (a, b, c, d)]}


def legendre(lib):
    """The tutorial's custom Function P3(x) = (5x^3 - 3x) / 2, its backward written by hand."""

    class LegendrePolynomial3(lib.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input ** 3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            input, = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input ** 2 - 1)

    return LegendrePolynomial3


def polynomial_custom_function(lib, steps=STEPS):
    """y = a + b P3(c + d x), with P3 = LegendrePolynomial3.apply; the tutorial's starting point and rate."""
    x = lib.linspace(-math.pi, math.pi, 2000, dtype=lib.float)
    y = lib.sin(x)
    a, b, c, d = (lib.full((), v, dtype=lib.float, requires_grad=True) for v in (0.0, -1.0, 0.0, 0.3))
    P3 = legendre(lib).apply
    learning_rate, losses = 5e-6, []
    for t in range(steps):
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            losses.append(loss.item())
        loss.backward()
        with lib.no_grad():
            for p in (a, b, c, d):
                p -= learning_rate * p.grad
                p.grad = None
    node = P3(c + d * x).grad_fn
    return {"losses": losses, "result": [a, b, c, d], "node": node.name()}


def polynomial_features(lib):
    x = lib.linspace(-math.pi, math.pi, 2000)
    p = lib.tensor([1, 2, 3])
    return x, lib.sin(x), x.unsqueeze(-1).pow(p)


def polynomial_nn(lib, steps=STEPS):
    """nn.Sequential(Linear(3, 1), Flatten(0, 1)) on the features (x, x^2, x^3), MSELoss(sum), manual updates."""
    x, y, xx = polynomial_features(lib)
    model = set_weights(lib.nn.Sequential(lib.nn.Linear(3, 1), lib.nn.Flatten(0, 1)), lib)
    loss_fn = lib.nn.MSELoss(reduction="sum")
    learning_rate, losses = 1e-6, []
    for t in range(steps):
        y_pred = model(xx)
        loss = loss_fn(y_pred, y)
        if t % 100 == 99:
            losses.append(loss.item())
        model.zero_grad()
        loss.backward()
        with lib.no_grad():
            for param in model.parameters():
                param -= learning_rate * param.grad
    linear_layer = model[0]
    return {"xx": (xx.shape, xx.dtype), "losses": losses, "y_pred": y_pred,
            "result": [linear_layer.bias.item(), *(linear_layer.weight[:, i].item() for i in range(3))]}


def polynomial_optim(lib, steps=STEPS):
    """The same model trained by optim.RMSprop(lr=1e-3)."""
    x, y, xx = polynomial_features(lib)
    model = set_weights(lib.nn.Sequential(lib.nn.Linear(3, 1), lib.nn.Flatten(0, 1)), lib)
    loss_fn = lib.nn.MSELoss(reduction="sum")
    optimizer = lib.optim.RMSprop(model.parameters(), lr=1e-3)
    losses = []
    for t in range(steps):
        loss = loss_fn(model(xx), y)
        if t % 100 == 99:
            losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {"losses": losses, "state": model.state_dict(), "optimizer state": optimizer.state_dict()["state"]}


def polynomial3(lib):
    """The tutorial's Module with four scalar Parameters and a string() describing itself."""

    class Polynomial3(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b, self.c, self.d = (lib.nn.Parameter(p) for p in coefficients(lib, lib.float))

        def forward(self, x):
            return self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3

        def string(self):
            return f"y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2 + {self.d.item()} x^3"

    return Polynomial3()


def polynomial_module(lib, steps=STEPS):
    """Polynomial3 trained with MSELoss(sum) and SGD(lr=1e-6)."""
    x = lib.linspace(-math.pi, math.pi, 2000)
    y = lib.sin(x)
    model = polynomial3(lib)
    criterion = lib.nn.MSELoss(reduction="sum")
    optimizer = lib.optim.SGD(model.parameters(), lr=1e-6)
    losses = []
    for t in range(steps):
        loss = criterion(model(x), y)
        if t % 100 == 99:
            losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {"losses": losses, "named": [(n, p.shape, p.requires_grad) for n, p in model.named_parameters()],
            "result": [p.item() for p in model.parameters()], "string": model.string().startswith("y = ")}


def polynomial_dynamic(lib, steps=STEPS):
    """DynamicNet: each forward adds e x^4 (and maybe e x^5) by a Python coin, e shared; SGD with momentum."""

    class DynamicNet(lib.nn.Module):
        def __init__(self):
            super().__init__()
            params = coefficients(lib, lib.float) + [tied_randn(lib, seed=4)]
            self.a, self.b, self.c, self.d, self.e = (lib.nn.Parameter(p) for p in params)

        def forward(self, x):
            y = self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3
            for exp in range(4, random.randint(4, 6)):
                y = y + self.e * x ** exp
            return y

    random.seed(0)  # the same coins for both libraries
    x = lib.linspace(-math.pi, math.pi, 2000)
    y = lib.sin(x)
    model = DynamicNet()
    criterion = lib.nn.MSELoss(reduction="sum")
    optimizer = lib.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
    losses = []
    for t in range(steps):
        loss = criterion(model(x), y)
        if t % 100 == 99:
            losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {"losses": losses, "result": [p.item() for p in model.parameters()]}


def test_numpy_warm_up_and_tensors_agree():
    """The warm-up in numpy and the tensor version in float64 take the same steps, in either library."""
    losses, result = warm_up_numpy()
    want = run_both(polynomial_tensors, "double", rtol=1e-12)
    np.testing.assert_allclose(want["losses"], losses, rtol=1e-10)
    np.testing.assert_allclose(np.array(want["result"], dtype=float), result, rtol=1e-10)
    assert want["drawn"] == [(), "float64"] and losses[-1] < losses[0]


@pytest.mark.parametrize("program", [polynomial_tensors, polynomial_autograd, polynomial_custom_function,
                                     polynomial_nn, polynomial_optim, polynomial_module, polynomial_dynamic],
                         ids=lambda p: p.__name__.removeprefix("polynomial_"))
def test_polynomial(program):
    # float32 sums over 2000 points, in torch's and numpy's orders, drift apart by a few ulps a step
    want = run_both(program, rtol=2e-4, atol=1e-6)
    assert want["losses"][-1] < want["losses"][0]  # the fit improves
