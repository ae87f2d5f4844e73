"""Learn the Basics, Optimizing Model Parameters: hyperparameters, a train loop and a test loop over epochs, SGD."""
from swap import fashion, run_both, set_weights, vision
from test_basics_quickstart import neural_network

learning_rate, batch_size, epochs = 1e-1, 64, 2  # the tutorial's rate is 1e-3 over 10 epochs: fewer, larger steps


def optimization(lib):
    data = lib.utils.data
    ToTensor = vision(lib).transforms.ToTensor
    train_dataloader = data.DataLoader(data.Subset(fashion(lib, True, ToTensor()), range(640)), batch_size=batch_size)
    test_dataloader = data.DataLoader(data.Subset(fashion(lib, False, ToTensor()), range(200)), batch_size=batch_size)
    model = set_weights(neural_network(lib), lib)
    log = []

    def train_loop(dataloader, model, loss_fn, optimizer):
        size = len(dataloader.dataset)
        model.train()
        for batch, (X, y) in enumerate(dataloader):
            pred = model(X)
            loss = loss_fn(pred, y)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            if batch % 4 == 0:  # the tutorial logs every 100 batches
                loss, current = loss.item(), batch * batch_size + len(X)
                log.append((loss, current, size, f"[{current:>5d}/{size:>5d}]"))

    def test_loop(dataloader, model, loss_fn):
        model.eval()
        size, num_batches = len(dataloader.dataset), len(dataloader)
        test_loss, correct = 0, 0
        with lib.no_grad():
            for X, y in dataloader:
                pred = model(X)
                test_loss += loss_fn(pred, y).item()
                correct += (pred.argmax(1) == y).type(lib.float).sum().item()
        test_loss /= num_batches
        correct /= size
        log.append((100 * correct, test_loss))

    loss_fn = lib.nn.CrossEntropyLoss()
    optimizer = lib.optim.SGD(model.parameters(), lr=learning_rate)
    for t in range(epochs):
        train_loop(train_dataloader, model, loss_fn, optimizer)
        test_loop(test_dataloader, model, loss_fn)
    return {"log": log, "grads after zero_grad": [p.grad is None for p in model.parameters()],
            "weights": model.state_dict()}


def test_optimization():
    want = run_both(optimization, rtol=1e-4, atol=1e-5)
    (first, *_), (last_accuracy, _) = want["log"], want["log"][-1]
    assert want["grads after zero_grad"] == [True] * 6 and first[1:] == [64, 640, "[   64/  640]"]
    assert last_accuracy > 50  # it learns: the comparison is of a run that moves
