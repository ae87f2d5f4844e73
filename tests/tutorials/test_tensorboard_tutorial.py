"""Visualizing Models, Data, and Training with TensorBoard: FashionMNIST, a grid image, the model's graph, an
embedding projector, training-loss scalars and prediction figures, per-class PR curves; each library writes
its own run, and TensorBoard's reader finds the same tags, pixels, numbers and files in both."""
import io

import matplotlib
import numpy as np
import pytest
from swap import fashion, run_both, set_weights, vision

from demos.lecture_net import make_net

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402
from tensorboard.backend.event_processing.event_accumulator import DEFAULT_SIZE_GUIDANCE, EventAccumulator  # noqa
from tensorboard.util.tensor_util import make_ndarray  # noqa: E402

classes = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle Boot")


def tensorboard_tutorial(lib, tmp_path):
    transforms, data, F = vision(lib).transforms, lib.utils.data, lib.nn.functional
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
    trainset = fashion(lib, True, transform)
    trainloader = data.DataLoader(data.Subset(trainset, range(200)), batch_size=4, shuffle=False)  # not shuffled:
    testloader = data.DataLoader(data.Subset(fashion(lib, False, transform), range(100)), batch_size=4)  # see below
    out = {}

    def matplotlib_imshow(img, one_channel=False):
        if one_channel:
            img = img.mean(dim=0)
        img = img / 2 + 0.5  # unnormalize
        npimg = img.numpy()
        if one_channel:
            plt.imshow(npimg, cmap="Greys")
        else:
            plt.imshow(np.transpose(npimg, (1, 2, 0)))
        return npimg

    net = set_weights(make_net(lib.nn, lib.nn.functional)(), lib)  # the tutorial's Net is the lecture's
    criterion = lib.nn.CrossEntropyLoss()
    optimizer = lib.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)  # the tutorial's 0.001, for 15000 batches
    writer = lib.utils.tensorboard.SummaryWriter(tmp_path / lib.__name__ / "fashion_mnist_experiment_1")

    images, labels = next(iter(trainloader))
    img_grid = vision(lib).utils.make_grid(images)
    out["imshow"] = matplotlib_imshow(img_grid, one_channel=True)
    plt.close("all")
    writer.add_image("four_fashion_mnist_images", img_grid)
    writer.add_graph(net, images)

    def select_n_random(data, labels, n=100):
        assert len(data) == len(labels)
        perm = lib.randperm(len(data))
        out["randperm"] = perm.dtype, sorted(perm.tolist()) == list(range(len(data)))
        # the two libraries' generators differ: the same n draws for both, from numpy
        perm = lib.from_numpy(np.random.default_rng(0).permutation(len(data)))
        return data[perm][:n], labels[perm][:n]

    images, labels = select_n_random(trainset.data, trainset.targets)
    class_labels = [classes[lab] for lab in labels]
    features = images.view(-1, 28 * 28)
    writer.add_embedding(features, metadata=class_labels, label_img=images.unsqueeze(1))

    def images_to_probs(net, images):
        output = net(images)
        _, preds_tensor = lib.max(output, 1)
        preds = np.squeeze(preds_tensor.numpy())
        return preds, [F.softmax(el, dim=0)[i].item() for i, el in zip(preds, output)]

    def plot_classes_preds(net, images, labels):
        preds, probs = images_to_probs(net, images)
        fig = plt.figure(figsize=(6, 2))  # the tutorial's is 12 x 48 inches
        for idx in np.arange(4):
            ax = fig.add_subplot(1, 4, idx + 1, xticks=[], yticks=[])
            matplotlib_imshow(images[idx], one_channel=True)
            ax.set_title("{0}, {1:.1f}%\n(label: {2})".format(classes[preds[idx]], probs[idx] * 100.0,
                                                                 classes[labels[idx]]),
                         color=("green" if preds[idx] == labels[idx].item() else "red"))
        return fig

    running_loss = 0.0
    for epoch in range(1):
        for i, (inputs, labels) in enumerate(trainloader, 0):
            optimizer.zero_grad()
            loss = criterion(net(inputs), labels)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
            if i % 10 == 9:  # the tutorial logs every 1000 mini-batches
                writer.add_scalar("training loss", running_loss / 10, epoch * len(trainloader) + i)
                if i == 49:  # its figure, once here
                    writer.add_figure("predictions vs. actuals", plot_classes_preds(net, inputs, labels),
                                      global_step=epoch * len(trainloader) + i)
                running_loss = 0.0

    class_probs, class_label = [], []
    with lib.no_grad():
        for images, labels in testloader:
            output = net(images)
            class_probs.append([F.softmax(el, dim=0) for el in output])
            class_label.append(labels)
    test_probs = lib.cat([lib.stack(batch) for batch in class_probs])
    test_label = lib.cat(class_label)
    out["test"] = test_probs, test_label

    def add_pr_curve_tensorboard(class_index, test_probs, test_label, global_step=0):
        tensorboard_truth = test_label == class_index
        tensorboard_probs = test_probs[:, class_index]
        writer.add_pr_curve(classes[class_index], tensorboard_truth, tensorboard_probs, global_step=global_step)

    for i in range(len(classes)):
        add_pr_curve_tensorboard(i, test_probs, test_label)
    writer.close()
    out["run"] = read_run(tmp_path / lib.__name__ / "fashion_mnist_experiment_1")
    return out


def read_run(run):
    """What TensorBoard reads back from a run folder: tags, images' pixels, scalars, PR-curve tensors, the graph's
    operation scopes (torch's trace adds prim:: nodes for attribute reads, minigrad Parameter nodes) and the
    projector's files."""
    ea = EventAccumulator(str(run), size_guidance={k: 0 for k in DEFAULT_SIZE_GUIDANCE})
    ea.Reload()
    tags = ea.Tags()
    return {
        "tags": {k: sorted(v) if isinstance(v, list) else v for k, v in tags.items() if k != "meta_graph"},
        "images": {t: [np.asarray(Image.open(io.BytesIO(e.encoded_image_string))) for e in ea.Images(t)]
                   for t in tags["images"]},
        "scalars": {t: [(e.step, e.value) for e in ea.Scalars(t)] for t in tags["scalars"]},
        "pr curves": {t: [make_ndarray(e.tensor_proto) for e in ea.Tensors(t)] for t in tags["tensors"]},
        "graph ops": sorted({n.name.rpartition("/")[0] for n in ea.Graph().node
                             if n.op not in ("IO Node", "Parameter") and not n.op.startswith("prim::")}),
        "projector": {str(p.relative_to(run)): (p.read_text() if p.suffix in (".tsv", ".pbtxt") else
                                                np.asarray(Image.open(p)))
                      for p in sorted(run.rglob("*")) if p.is_file() and "events" not in p.name},
    }


@pytest.mark.slow
def test_tensorboard_tutorial(tmp_path):
    want = run_both(tensorboard_tutorial, tmp_path, rtol=1e-4, atol=1e-5)
    run = want["run"]
    assert run["tags"]["images"] == ["four_fashion_mnist_images", "predictions vs. actuals"]
    assert run["tags"]["scalars"] == ["training loss"] and len(run["scalars"]["training loss"]) == 5
    assert sorted(run["pr curves"]) == sorted(classes) and run["tags"]["graph"] is True
    assert "Net/Conv2d[conv1]" in run["graph ops"] and "00000/default/sprite.png" in run["projector"]
