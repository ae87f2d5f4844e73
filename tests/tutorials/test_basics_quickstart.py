"""Learn the Basics, Quickstart: FashionMNIST, DataLoader, an MLP, a train and a test loop, save, load, predict."""
import numpy as np
from swap import fashion, run_both, set_weights, vision

# float32 sums of 784-long products: torch and numpy order them differently (blocked BLAS), a few ulps per step
RTOL, ATOL = 2e-5, 1e-6


def neural_network(lib):
    """The tutorial's model: Flatten, then Linear-ReLU-Linear-ReLU-Linear, 784 -> 512 -> 512 -> 10."""
    nn = lib.nn

    class NeuralNetwork(nn.Module):
        def __init__(self):
            super().__init__()
            self.flatten = nn.Flatten()
            self.linear_relu_stack = nn.Sequential(
                nn.Linear(28 * 28, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))

        def forward(self, x):
            return self.linear_relu_stack(self.flatten(x))

    return NeuralNetwork()


def quickstart(lib, tmp_path):
    device = lib.accelerator.current_accelerator().type if lib.accelerator.is_available() else "cpu"
    data = lib.utils.data
    training_data = data.Subset(fashion(lib, True, vision(lib).transforms.ToTensor()), range(256))
    test_data = data.Subset(fashion(lib, False, vision(lib).transforms.ToTensor()), range(128))
    train_dataloader = data.DataLoader(training_data, batch_size=64)
    test_dataloader = data.DataLoader(test_data, batch_size=64)
    X, y = next(iter(test_dataloader))
    out = {"device": device, "X": (X.shape, X.dtype), "y": (y.shape, y.dtype)}

    model = set_weights(neural_network(lib).to(device), lib)
    out["repr"] = repr(model)
    loss_fn = lib.nn.CrossEntropyLoss()
    optimizer = lib.optim.SGD(model.parameters(), lr=1e-3)

    def train(dataloader):
        model.train()
        losses = []
        for X, y in dataloader:
            X, y = X.to(device), y.to(device)
            loss = loss_fn(model(X), y)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses.append(loss.item())
        return losses

    def test(dataloader):
        model.eval()
        test_loss, correct = 0, 0
        with lib.no_grad():
            for X, y in dataloader:
                pred = model(X)
                test_loss += loss_fn(pred, y).item()
                correct += (pred.argmax(1) == y).type(lib.float).sum().item()
        return test_loss / len(dataloader), correct / len(dataloader.dataset)

    for epoch in range(2):
        out[f"epoch {epoch}"] = train(train_dataloader), test(test_dataloader)
    lib.save(model.state_dict(), tmp_path / f"{lib.__name__}.pth")
    model = neural_network(lib).to(device)
    model.load_state_dict(lib.load(tmp_path / f"{lib.__name__}.pth", weights_only=True))
    model.eval()
    x, y = test_data[0][0], test_data[0][1]
    with lib.no_grad():
        pred = model(x)
        out["predicted"], out["actual"] = pred[0].argmax(0).item(), y
    out["weights"] = model.state_dict()
    return out


def test_quickstart(tmp_path):
    want = run_both(quickstart, tmp_path, rtol=RTOL, atol=ATOL)
    assert want["device"] == "cpu" and want["X"] == [(64, 1, 28, 28), "float32"] and want["y"] == [(64,), "int64"]
    first, last = want["epoch 0"][0], want["epoch 1"][0]
    assert np.mean(last) < np.mean(first)  # it learns: the comparison is of a run that moves
