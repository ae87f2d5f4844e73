"""Lecture step 4 (cells 82-83): the cubic fit as nn.Sequential(Linear, Flatten) with MSELoss (minigrad or torch)."""
import math

try:
    from ._common import parse, result_line
except ImportError:
    from _common import parse, result_line


def fit(torch, weight, bias, steps=2000, learning_rate=1e-6, log=print):
    """Cells 82-83 from the given initial Linear(3, 1) weight and bias; returns the printed losses and weights."""
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)
    p = torch.tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    model.load_state_dict({"0.weight": torch.tensor(weight, dtype=torch.float32),
                           "0.bias": torch.tensor(bias, dtype=torch.float32)})
    loss_fn = torch.nn.MSELoss(reduction='sum')
    losses = []
    for t in range(steps):
        y_pred = model(xx)
        loss = loss_fn(y_pred, y)
        if t % 100 == 99:
            log(t, loss.item())
            losses.append(loss.item())
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for param in model.parameters():
                param -= learning_rate * param.grad
    linear_layer = model[0]
    return losses, (linear_layer.bias.item(),) + tuple(linear_layer.weight[:, i].item() for i in range(3))


def main():
    import minigrad
    args = parse(__doc__.splitlines()[0])
    minigrad.manual_seed(args.seed)
    init = minigrad.nn.Linear(3, 1)  # torch's default initialisation, drawn from the seeded generator
    _, coeffs = fit(minigrad, init.weight.tolist(), init.bias.tolist(), args.steps)
    print(result_line(*coeffs))


if __name__ == "__main__":
    main()
