"""60-minute blitz, Neural Networks: LeNet (conv, max-pool, flatten, linear), its parameters, a backward with a
random gradient, MSELoss and the graph behind it walked through next_functions, a manual and an SGD update."""
from swap import graph_walk, printed, run_both, set_weights, tied_randn, values


def lenet(lib):
    """The blitz's Net: two 5x5 convolutions with 2x2 max-pooling, three linear layers, on 1x32x32 inputs."""
    nn, F = lib.nn, lib.nn.functional

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 6, 5)  # 1 input image channel, 6 output channels, 5x5 square convolution
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)  # 5*5 from the image dimension
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, input):
            c1 = F.relu(self.conv1(input))
            s2 = F.max_pool2d(c1, (2, 2))
            c3 = F.relu(self.conv2(s2))
            s4 = F.max_pool2d(c3, 2)
            s4 = lib.flatten(s4, 1)
            f5 = F.relu(self.fc1(s4))
            f6 = F.relu(self.fc2(f5))
            return self.fc3(f6)

    return Net()


def neural_networks(lib):
    net = set_weights(lenet(lib), lib)
    params = list(net.parameters())
    out = {"print net": str(net), "params": (len(params), params[0].size())}
    input = tied_randn(lib, 1, 1, 32, 32)
    output = net(input)
    out["out"], out["print out"] = output, str(output)
    net.zero_grad()
    output.backward(tied_randn(lib, 1, 10, seed=1))
    out["random backward"] = [p.grad for p in params]

    output = net(input)
    target = tied_randn(lib, 10, seed=2)  # a dummy target
    target = target.view(1, -1)  # the same shape as the output
    criterion = lib.nn.MSELoss()
    loss = criterion(output, target)
    out["loss"], out["print loss"] = loss, str(loss)
    out["print walk"] = [printed(loss.grad_fn), printed(loss.grad_fn.next_functions[0][0]),
                         printed(loss.grad_fn.next_functions[0][0].next_functions[0][0])]
    out["print graph"] = graph_walk(loss.grad_fn)

    net.zero_grad()
    out["print bias grad before"] = f"conv1.bias.grad before backward\n{net.conv1.bias.grad}"
    loss.backward()
    out["print bias grad after"] = f"conv1.bias.grad after backward\n{net.conv1.bias.grad}"
    out["bias grad"] = net.conv1.bias.grad

    learning_rate = 0.01
    for f in net.parameters():
        f.data.sub_(f.grad.data * learning_rate)
    out["manual update"] = net.state_dict()

    optimizer = lib.optim.SGD(net.parameters(), lr=0.01)
    optimizer.zero_grad()  # the gradients accumulate otherwise
    output = net(input)
    loss = criterion(output, target)
    loss.backward()
    optimizer.step()
    out["sgd update"], out["last loss"] = net.state_dict(), loss
    return out


def test_neural_networks():
    want = run_both(neural_networks, rtol=1e-5, atol=1e-6, keys=values)
    assert want["params"] == [10, (6, 1, 5, 5)] and want["last loss"] < want["loss"]



def test_neural_networks_graph():
    """The walk back from the loss prints torch's nodes; conv1's bias has no gradient until backward."""
    want = run_both(neural_networks, keys=lambda k: k in ("print walk", "print graph", "print bias grad before"))
    assert want["print walk"] == ["<MseLossBackward0>", "<AddmmBackward0>", "<AccumulateGrad>"]
    assert want["print bias grad before"].endswith("None")
