"""Lecture step 6: the FashionMNIST CNN logged to TensorBoard (images, graph, embedding, loss, figures, PR curves).

Runs the lecture's TensorBoard section unchanged on minigrad (default) or on PyTorch (--backend torch), e.g.
    python demos/lecture6_tensorboard.py --steps 3000
then open the printed `tensorboard --logdir ...` command's page.
"""
import argparse
import contextlib
import gzip
import os
import shutil
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # figures go to TensorBoard, never to a window
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from minigrad.utils.progress import Progress

try:
    from ._common import fresh_run_dir
    from .lecture_net import make_net
except ImportError:
    from _common import fresh_run_dir
    from lecture_net import make_net


def parse():
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=os.environ.get("MINIGRAD_DATA") or "./data",
                   help="root holding FashionMNIST/raw/ (default: $MINIGRAD_DATA, else the lecture's ./data, "
                        "downloaded when missing)")
    p.add_argument("--logdir", default=None, help="TensorBoard run directory (default: a fresh "
                   "runs/fashion_mnist_experiment_1_<date-time>, so re-runs never share a curve)")
    p.add_argument("--steps", type=int, default=None, help="train on this many batches only (default: one epoch)")
    p.add_argument("--seed", type=int, default=0, help="seed for weights and shuffling")
    p.add_argument("--backend", choices=["minigrad", "torch"], default="minigrad", help="library that runs it")
    return p.parse_args()


def backend(name):
    """The lecture's imports, from minigrad or from PyTorch."""
    if name == "torch":
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        import torch.optim as optim
        import torchvision
        import torchvision.transforms as transforms
        from torch.utils.tensorboard import SummaryWriter
    else:
        import minigrad as torch
        import minigrad.nn as nn
        import minigrad.nn.functional as F
        import minigrad.optim as optim
        import minigrad.vision as torchvision
        import minigrad.vision.transforms as transforms
        from minigrad.utils.tensorboard import SummaryWriter
    return torch, torchvision, transforms, nn, F, optim, SummaryWriter


@contextlib.contextmanager
def torchvision_root(root):
    """torchvision reads only unpacked IDX files: unpack the .gz copies into a temporary root, removed on exit."""
    raw = Path(root) / "FashionMNIST" / "raw"
    if (raw / "train-images-idx3-ubyte").exists() or not raw.is_dir():
        yield root
        return
    with tempfile.TemporaryDirectory(prefix="fashion_mnist_") as tmp:
        (Path(tmp) / "FashionMNIST" / "raw").mkdir(parents=True)
        for gz in raw.glob("*.gz"):
            with gzip.open(gz) as src, open(Path(tmp) / "FashionMNIST" / "raw" / gz.stem, "wb") as dst:
                shutil.copyfileobj(src, dst)
        yield tmp


def run(args):
    """The lecture's TensorBoard section; returns (test accuracy, training seconds)."""
    torch, torchvision, transforms, nn, F, optim, SummaryWriter = backend(args.backend)
    torch.manual_seed(args.seed)

    # transforms
    transform = transforms.Compose(
        [transforms.ToTensor(),
         transforms.Normalize((0.5,), (0.5,))])
    # datasets (both libraries read the files into memory here, so torch's unpacked copy can go right after)
    with (torchvision_root(args.data) if args.backend == "torch" else contextlib.nullcontext(args.data)) as root:
        trainset = torchvision.datasets.FashionMNIST(root, download=True, train=True, transform=transform)
        testset = torchvision.datasets.FashionMNIST(root, download=True, train=False, transform=transform)
    # dataloaders
    trainloader = torch.utils.data.DataLoader(trainset, batch_size=4, shuffle=True, num_workers=2)
    testloader = torch.utils.data.DataLoader(testset, batch_size=4, shuffle=False, num_workers=2)

    # constant for classes
    classes = ('T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle Boot')

    # helper function to show an image (used in the `plot_classes_preds` function below)
    def matplotlib_imshow(img, one_channel=False):
        if one_channel:
            img = img.mean(dim=0)
        img = img / 2 + 0.5     # unnormalize
        npimg = img.numpy()
        if one_channel:
            plt.imshow(npimg, cmap="Greys")
        else:
            plt.imshow(np.transpose(npimg, (1, 2, 0)))

    Net = make_net(nn, F)  # the lecture's Net class, verbatim, in demos/lecture_net.py
    net = Net()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)

    # TensorBoard setup
    writer = SummaryWriter(args.logdir)

    # writing to TensorBoard: a grid of four training images
    dataiter = iter(trainloader)
    images, labels = next(dataiter)
    img_grid = torchvision.utils.make_grid(images)
    matplotlib_imshow(img_grid, one_channel=True)
    plt.close("all")
    writer.add_image('four_fashion_mnist_images', img_grid)
    del dataiter  # lets the loader's worker processes go

    # inspecting the model
    writer.add_graph(model=net, input_to_model=images)
    writer.close()

    # the projector: 100 random training images
    def select_n_random(data, labels, n=100):
        assert len(data) == len(labels)
        perm = torch.randperm(len(data))
        return data[perm][:n], labels[perm][:n]

    images, labels = select_n_random(trainset.data, trainset.targets)
    class_labels = [classes[lab] for lab in labels]
    features = images.view(-1, 28 * 28)
    writer.add_embedding(features, metadata=class_labels, label_img=images.unsqueeze(1))
    writer.close()

    # tracking training
    def images_to_probs(net, images):
        output = net(images)
        _, preds_tensor = torch.max(output, 1)
        preds = np.squeeze(preds_tensor.numpy())
        return preds, [F.softmax(el, dim=0)[i].item() for i, el in zip(preds, output)]

    def plot_classes_preds(net, images, labels):
        preds, probs = images_to_probs(net, images)
        fig = plt.figure(figsize=(12, 48))
        for idx in np.arange(4):
            ax = fig.add_subplot(1, 4, idx + 1, xticks=[], yticks=[])
            matplotlib_imshow(images[idx], one_channel=True)
            ax.set_title("{0}, {1:.1f}%\n(label: {2})".format(
                classes[preds[idx]],
                probs[idx] * 100.0,
                classes[labels[idx]]),
                color=("green" if preds[idx] == labels[idx].item() else "red"))
        return fig

    steps = len(trainloader) if args.steps is None else min(args.steps, len(trainloader))
    every = min(1000, steps)  # the lecture logs every 1000 batches; shorter runs log at least once
    bar, start = Progress(steps, desc="train"), time.time()
    running_loss = 0.0
    for epoch in range(1):  # loop over the dataset multiple times
        for i, data in enumerate(trainloader, 0):
            if i == steps:
                break
            inputs, labels = data
            optimizer.zero_grad()
            outputs = net(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()

            running_loss += loss.item()
            bar.update(1, postfix=f"loss {loss.item():.3f}")
            if i % every == every - 1:    # every 1000 mini-batches...
                writer.add_scalar('training loss', running_loss / every, epoch * len(trainloader) + i)
                writer.add_figure('predictions vs. actuals', plot_classes_preds(net, inputs, labels),
                                  global_step=epoch * len(trainloader) + i)
                running_loss = 0.0
    bar.close()
    train_seconds = time.time() - start
    print('Finished Training')

    # assessing the trained model: test-set probabilities, one PR curve per class
    class_probs = []
    class_label = []
    bar = Progress(len(testloader), desc="test")
    with torch.no_grad(), bar:
        for data in testloader:
            images, labels = data
            output = net(images)
            class_probs_batch = [F.softmax(el, dim=0) for el in output]
            class_probs.append(class_probs_batch)
            class_label.append(labels)
            bar.update(1)
    test_probs = torch.cat([torch.stack(batch) for batch in class_probs])
    test_label = torch.cat(class_label)

    def add_pr_curve_tensorboard(class_index, test_probs, test_label, global_step=0):
        tensorboard_truth = test_label == class_index
        tensorboard_probs = test_probs[:, class_index]
        writer.add_pr_curve(classes[class_index], tensorboard_truth, tensorboard_probs, global_step=global_step)
        writer.close()

    for i in range(len(classes)):
        add_pr_curve_tensorboard(i, test_probs, test_label)
    accuracy = float((test_probs.argmax(1) == test_label).float().mean().item())
    return accuracy, train_seconds


def main():
    args = parse()
    args.logdir = args.logdir or fresh_run_dir("runs/fashion_mnist_experiment_1")
    print(f"logging to {os.path.abspath(args.logdir)}", flush=True)
    accuracy, seconds = run(args)
    print(f"test accuracy: {100 * accuracy:.2f}% ({args.backend}, training took {seconds:.1f} s)")
    print(f"log directory: {os.path.abspath(args.logdir)}")
    print(f"open it with:  tensorboard --logdir {os.path.dirname(os.path.abspath(args.logdir))} --port 6006")


if __name__ == "__main__":
    main()
