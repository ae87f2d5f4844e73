"""Lecture step 5 (cells 84-85): the Polynomial3 module trained by optim.SGD(lr=1e-6) (minigrad or torch)."""
import math

try:
    from ._common import parse, result_line
except ImportError:
    from _common import parse, result_line


def polynomial3(torch):
    """The lecture's Polynomial3 class, built on `torch` (minigrad or PyTorch)."""
    class Polynomial3(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Parameter(torch.randn(()))
            self.b = torch.nn.Parameter(torch.randn(()))
            self.c = torch.nn.Parameter(torch.randn(()))
            self.d = torch.nn.Parameter(torch.randn(()))

        def forward(self, x):
            return self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3

        def string(self):
            return f'y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2 + {self.d.item()} x^3'
    return Polynomial3


def fit(torch, init, steps=2000, log=print):
    """Cell 85 from the given initial (a, b, c, d); returns the printed losses and the fitted coefficients."""
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)
    model = polynomial3(torch)()
    model.load_state_dict({k: torch.tensor(v, dtype=torch.float32) for k, v in zip("abcd", init)})
    criterion = torch.nn.MSELoss(reduction='sum')
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
    losses = []
    for t in range(steps):
        y_pred = model(x)
        loss = criterion(y_pred, y)
        if t % 100 == 99:
            log(t, loss.item())
            losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses, tuple(getattr(model, k).item() for k in "abcd")


def main():
    import minigrad
    args = parse(__doc__.splitlines()[0])
    minigrad.manual_seed(args.seed)
    _, coeffs = fit(minigrad, [minigrad.randn(()).item() for _ in range(4)], args.steps)
    print(result_line(*coeffs))


if __name__ == "__main__":
    main()
