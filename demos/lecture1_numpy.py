"""Lecture step 1: fit a cubic to sin(x) with numpy, forward and backward pass written by hand."""
import math

import numpy as np

try:
    from ._common import parse, result_line
except ImportError:
    from _common import parse, result_line


def fit(init, steps=2000, learning_rate=1e-6, log=print):
    """Gradient descent on a, b, c, d from init; returns the losses printed every 100 steps and the weights."""
    x = np.linspace(-math.pi, math.pi, 2000)
    y = np.sin(x)
    a, b, c, d = init
    losses = []
    for t in range(steps):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = np.square(y_pred - y).sum()
        if t % 100 == 99:
            log(t, loss)
            losses.append(loss)
        # d loss / d y_pred = 2 (y_pred - y); the chain rule through y_pred = a + b x + c x^2 + d x^3
        grad_y_pred = 2.0 * (y_pred - y)
        grad_a = grad_y_pred.sum()
        grad_b = (grad_y_pred * x).sum()
        grad_c = (grad_y_pred * x ** 2).sum()
        grad_d = (grad_y_pred * x ** 3).sum()
        a -= learning_rate * grad_a
        b -= learning_rate * grad_b
        c -= learning_rate * grad_c
        d -= learning_rate * grad_d
    return losses, (a, b, c, d)


def main():
    args = parse(__doc__)
    rng = np.random.default_rng(args.seed)
    _, weights = fit([rng.standard_normal() for _ in range(4)], args.steps)
    print(result_line(*weights))


if __name__ == "__main__":
    main()
