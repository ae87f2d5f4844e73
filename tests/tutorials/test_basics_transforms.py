"""Learn the Basics, Transforms: ToTensor for the images, a Lambda turning each label into a one-hot vector."""
from swap import fashion, run_both, vision


def transforms_tutorial(lib):
    one_hot = vision(lib).transforms.Lambda(
        lambda y: lib.zeros(10, dtype=lib.float).scatter_(0, lib.tensor(y), value=1))
    ds = fashion(lib, False, vision(lib).transforms.ToTensor(), one_hot)
    return [ds[i] for i in range(5)]


def test_transforms():
    want = run_both(transforms_tutorial)
    for img, target in want:
        assert img.shape == (1, 28, 28) and 0 <= img.min() and img.max() <= 1 and target.sum() == 1
