"""Learn the Basics, Datasets & DataLoaders: FashionMNIST items, a custom image Dataset read with read_image, batches."""
import os

import numpy as np
from swap import fashion, run_both, vision

LABELS = {0: "T-Shirt", 1: "Trouser", 2: "Pullover", 3: "Dress", 4: "Coat",
          5: "Sandal", 6: "Shirt", 7: "Sneaker", 8: "Bag", 9: "Ankle Boot"}


def datasets_and_loaders(lib, tmp_path):
    transforms = vision(lib).transforms
    training_data = fashion(lib, True, transforms.ToTensor())
    out = {"len": len(training_data), "classes": training_data.classes}
    for sample_idx in (0, 7, 59999):  # the tutorial draws one with randint: the same few for both here
        img, label = training_data[sample_idx]
        out[sample_idx] = img.squeeze(), LABELS[label]
    lib.manual_seed(0)
    idx = lib.randint(len(training_data), size=(1,)).item()
    out["randint"] = type(idx).__name__, 0 <= idx < len(training_data)

    class CustomImageDataset(lib.utils.data.Dataset):
        """The tutorial's Dataset: a labels file (name, label) and a folder of images read with read_image."""

        def __init__(self, annotations_file, img_dir, transform=None, target_transform=None):
            with open(annotations_file) as f:
                self.img_labels = [line.strip().split(",") for line in f if line.strip()]
            self.img_dir, self.transform, self.target_transform = img_dir, transform, target_transform

        def __len__(self):
            return len(self.img_labels)

        def __getitem__(self, idx):
            name, label = self.img_labels[idx]
            image = vision(lib).io.read_image(os.path.join(self.img_dir, name))
            label = int(label)
            if self.transform:
                image = self.transform(image)
            if self.target_transform:
                label = self.target_transform(label)
            return image, label

    folder = tmp_path / lib.__name__
    folder.mkdir()
    rng = np.random.default_rng(0)
    with open(folder / "labels.csv", "w") as f:
        for i in range(6):
            pixels = lib.from_numpy(rng.integers(0, 256, (1, 28, 28), dtype=np.uint8))
            vision(lib).utils.save_image(pixels.float() / 255, folder / f"img{i}.png")
            f.write(f"img{i}.png,{i % 10}\n")
    custom = CustomImageDataset(folder / "labels.csv", folder,
                                target_transform=lambda y: lib.zeros(10, dtype=lib.float).scatter_(
                                    0, lib.tensor(y), value=1))  # the Transforms tutorial's one-hot
    out["custom"] = [custom[i] for i in range(len(custom))]

    lib.manual_seed(0)
    train_dataloader = lib.utils.data.DataLoader(lib.utils.data.Subset(training_data, range(200)), batch_size=64,
                                                 shuffle=True)
    train_features, train_labels = next(iter(train_dataloader))
    out["batch"] = train_features.size(), train_labels.size(), train_features.dtype, train_labels.dtype
    out["batches"] = len(train_dataloader), [len(y) for _, y in train_dataloader]
    seen = lib.cat([y for _, y in train_dataloader]).sort().values
    out["each once"] = seen.equal(lib.stack([training_data[i][1] * lib.ones((), dtype=lib.long) for i in range(200)])
                                  .sort().values)
    return out


def test_datasets_and_dataloaders(tmp_path):
    want = run_both(datasets_and_loaders, tmp_path)
    assert want["len"] == 60000 and want["batches"] == [4, [64, 64, 64, 8]] and want["each once"] is True
