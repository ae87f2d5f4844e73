"""torchvision's API for the lecture: datasets (MNIST, FashionMNIST), transforms, utils (make_grid, save_image)."""
from . import datasets, io, transforms, utils  # noqa: F401
