"""Lecture step 3: the same fit, gradients from autograd (run by minigrad or torch)."""
import math

try:
    from ._common import parse, result_line
except ImportError:
    from _common import parse, result_line


def fit(torch, init, steps=2000, learning_rate=1e-6, log=print):
    """The lecture's cell 81 with `torch` being minigrad or PyTorch; returns the printed losses and weights."""
    dtype = torch.float
    x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
    y = torch.sin(x)
    a, b, c, d = (torch.tensor(v, dtype=dtype, requires_grad=True) for v in init)
    losses = []
    for t in range(steps):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            log(t, loss.item())
            losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad, b.grad, c.grad, d.grad = None, None, None, None
    return losses, tuple(v.item() for v in (a, b, c, d))


def main():
    import minigrad
    args = parse(__doc__)
    minigrad.manual_seed(args.seed)
    _, weights = fit(minigrad, [minigrad.randn(()).item() for _ in range(4)], args.steps)
    print(result_line(*weights))


if __name__ == "__main__":
    main()
