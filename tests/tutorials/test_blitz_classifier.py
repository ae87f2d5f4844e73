"""60-minute blitz, Training a Classifier: normalised images through a DataLoader, a small CNN trained with
CrossEntropyLoss and SGD with momentum, saved and reloaded, overall and per-class test accuracy.

The tutorial's CIFAR-10 is not in the shared data: FashionMNIST stands in (one channel, 28x28, so the first
convolution takes 1 channel and fc1 16*4*4 inputs), on a few hundred images.
"""
from swap import fashion, run_both, set_weights, vision

classes = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
batch_size = 4


def net_of(lib):
    nn, F = lib.nn, lib.nn.functional

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 6, 5)
            self.pool = nn.MaxPool2d(2, 2)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 4 * 4, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x):
            x = self.pool(F.relu(self.conv1(x)))
            x = self.pool(F.relu(self.conv2(x)))
            x = lib.flatten(x, 1)  # flatten all dimensions except batch
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            return self.fc3(x)

    return Net()


def classifier(lib, tmp_path):
    transforms, data = vision(lib).transforms, lib.utils.data
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
    trainset = data.Subset(fashion(lib, True, transform), range(400))
    # the tutorial shuffles; the two libraries' generators would shuffle differently, so the order is kept
    trainloader = data.DataLoader(trainset, batch_size=batch_size, shuffle=False, num_workers=2)
    testset = data.Subset(fashion(lib, False, transform), range(200))
    testloader = data.DataLoader(testset, batch_size=batch_size, shuffle=False)

    images, labels = next(iter(trainloader))
    img = vision(lib).utils.make_grid(images) / 2 + 0.5  # unnormalize, as the tutorial's imshow does
    out = {"grid": img.numpy(), "print labels": " ".join(f"{classes[labels[j]]:5s}" for j in range(batch_size))}

    device = lib.device("cuda:0" if lib.cuda.is_available() else "cpu")
    net = set_weights(net_of(lib), lib).to(device)
    criterion = lib.nn.CrossEntropyLoss()
    optimizer = lib.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)  # the tutorial's lr=0.001, for 2 epochs of 50k
    log = []
    for epoch in range(2):
        running_loss = 0.0
        for i, batch in enumerate(trainloader, 0):
            inputs, labels = batch[0].to(device), batch[1].to(device)
            optimizer.zero_grad()
            outputs = net(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
            if i % 50 == 49:  # the tutorial prints every 2000 mini-batches
                log.append(running_loss / 50)
                running_loss = 0.0
    out["losses"], out["weights"] = log, net.state_dict()

    PATH = tmp_path / f"{lib.__name__}_net.pth"
    lib.save(net.state_dict(), PATH)
    images, labels = next(iter(testloader))
    net = net_of(lib)
    net.load_state_dict(lib.load(PATH, weights_only=True))
    outputs = net(images)
    _, predicted = lib.max(outputs, 1)
    out["print predicted"] = "Predicted: " + " ".join(f"{classes[predicted[j]]:5s}" for j in range(batch_size))

    correct = total = 0
    correct_pred = {classname: 0 for classname in classes}
    total_pred = {classname: 0 for classname in classes}
    with lib.no_grad():  # not training: no gradients needed
        for images, labels in testloader:
            outputs = net(images)
            _, predictions = lib.max(outputs.data, 1)
            total += labels.size(0)
            correct += (predictions == labels).sum().item()
            for label, prediction in zip(labels, predictions):
                if label == prediction:
                    correct_pred[classes[label]] += 1
                total_pred[classes[label]] += 1
    out["accuracy"] = f"Accuracy of the network on the {total} test images: {100 * correct // total} %"
    out["per class"] = [f"Accuracy for class: {name:5s} is {100 * float(n) / total_pred[name]:.1f} %"
                        for name, n in correct_pred.items()]
    return out


def test_classifier(tmp_path):
    want = run_both(classifier, tmp_path, rtol=1e-4, atol=1e-5)
    assert want["losses"][-1] < want["losses"][0] and want["grid"].shape == (3, 32, 122)
