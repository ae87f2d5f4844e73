"""60-minute blitz, A Gentle Introduction to torch.autograd: one training step, Q = 3a^3 - b^2 and its gradients,
the graph behind Q walked through grad_fn.next_functions, what is excluded from the DAG, freezing for finetuning."""
from swap import graph_walk, printed, run_both, set_weights, tied_rand, values
from test_blitz_neural_networks import lenet

# the tutorial's model is torchvision's resnet18 with ImageNet weights (a download; torchvision models are out of
# minigrad's scope): the blitz's own LeNet stands in, on 32x32 inputs, with 10 labels for resnet's 1000


def one_step(lib):
    model = set_weights(lenet(lib), lib)
    data = tied_rand(lib, 1, 1, 32, 32)
    labels = tied_rand(lib, 1, 10, seed=1)
    prediction = model(data)  # forward pass
    loss = (prediction - labels).sum()
    loss.backward()  # backward pass
    optim = lib.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
    optim.step()  # gradient descent
    return {"prediction": prediction, "loss": loss, "grads": [p.grad for p in model.parameters()],
            "weights": model.state_dict(), "momentum": [s["momentum_buffer"] for s in optim.state.values()]}


def differentiation(lib):
    a = lib.tensor([2., 3.], requires_grad=True)
    b = lib.tensor([6., 4.], requires_grad=True)
    Q = 3 * a ** 3 - b ** 2
    external_grad = lib.tensor([1., 1.])
    Q.backward(gradient=external_grad)
    return {"grads": (a.grad, b.grad), "check": (9 * a ** 2 == a.grad, -2 * b == b.grad),
            "print check": f"{9 * a ** 2 == a.grad}\n{-2 * b == b.grad}", "print walk": graph_walk(Q.grad_fn),
            "print Q": printed(Q)}


def exclusion(lib):
    x = tied_rand(lib, 5, 5)
    y = tied_rand(lib, 5, 5, seed=1)
    z = tied_rand(lib, 5, 5, seed=2).requires_grad_()
    a = x + y
    b = x + z
    out = {"print requires": (f"Does `a` require gradients?: {a.requires_grad}", f"Does `b` require gradients?: {b.requires_grad}")}

    model = set_weights(lenet(lib), lib)
    for param in model.parameters():  # freeze all the parameters in the network
        param.requires_grad = False
    model.fc3 = set_weights(lib.nn.Linear(84, 10), lib, seed=3)  # the classifier replaced: only it learns
    optimizer = lib.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
    loss = model(tied_rand(lib, 2, 1, 32, 32)).pow(2).sum()
    loss.backward()
    optimizer.step()
    out["trainable"] = [(n, p.requires_grad, p.grad is None) for n, p in model.named_parameters()]
    out["weights"] = model.state_dict()
    return out


def test_one_training_step():
    want = run_both(one_step, rtol=1e-5, atol=1e-6)
    assert len(want["momentum"]) == 10


def test_differentiation():
    want = run_both(differentiation, keys=values)
    assert all(check.all() for check in want["check"])


def test_exclusion_and_finetuning():
    want = run_both(exclusion, rtol=1e-5, atol=1e-6)
    assert want["print requires"] == ["Does `a` require gradients?: False", "Does `b` require gradients?: True"]
    assert [n for n, trainable, _ in want["trainable"] if trainable] == ["fc3.weight", "fc3.bias"]
