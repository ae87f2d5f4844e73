"""Lecture step 2: the same fit with tensors (run by minigrad or torch), backward still by hand."""
import math

try:
    from ._common import parse, result_line
except ImportError:
    from _common import parse, result_line


def fit(torch, init, steps=2000, learning_rate=1e-6, log=print, dtype=None):
    """The lecture's cell 80 with `torch` being minigrad or PyTorch; returns the printed losses and weights."""
    dtype = dtype or torch.float
    device = torch.device("cpu")
    x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = torch.sin(x)
    a, b, c, d = (torch.tensor(v, device=device, dtype=dtype) for v in init)
    losses = []
    for t in range(steps):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum().item()
        if t % 100 == 99:
            log(t, loss)
            losses.append(loss)
        grad_y_pred = 2.0 * (y_pred - y)
        grad_a = grad_y_pred.sum()
        grad_b = (grad_y_pred * x).sum()
        grad_c = (grad_y_pred * x ** 2).sum()
        grad_d = (grad_y_pred * x ** 3).sum()
        a -= learning_rate * grad_a
        b -= learning_rate * grad_b
        c -= learning_rate * grad_c
        d -= learning_rate * grad_d
    return losses, tuple(v.item() for v in (a, b, c, d))


def main():
    import minigrad
    args = parse(__doc__)
    minigrad.manual_seed(args.seed)
    _, weights = fit(minigrad, [minigrad.randn(()).item() for _ in range(4)], args.steps)
    print(result_line(*weights))


if __name__ == "__main__":
    main()
