"""Image grids with torchvision's semantics: make_grid and save_image."""
import math

import numpy as np

import minigrad
from minigrad import _checks


def make_grid(tensor, nrow=8, padding=2, normalize=False, value_range=None, scale_each=False, pad_value=0.0):
    """Tile a B x C x H x W batch (or list of images) into one C x H' x W' image; 1 channel becomes 3."""
    if isinstance(tensor, list):
        for t in tensor:
            if not isinstance(t, minigrad.Tensor):
                raise TypeError(f"tensor or list of tensors expected, got a list containing {type(t)}")
        _checks.same_shapes([t.shape for t in tensor])
        tensor = minigrad.from_numpy(np.stack([t.detach().numpy() for t in tensor]))
    if not isinstance(tensor, minigrad.Tensor):
        raise TypeError(f"tensor or list of tensors expected, got {type(tensor)}")
    x = tensor.detach().numpy()  # a picture of the values: no gradient flows back through it
    if not 2 <= x.ndim <= 4:  # torchvision fails on these too: IndexError below 2-D, RuntimeError above 4-D
        raise (IndexError if x.ndim < 2 else RuntimeError)(f"make_grid expects an H x W, C x H x W or B x C x H x W "
                                                           f"tensor, got {x.ndim} dimensions")
    if padding < 0:  # torchvision fails slicing the grid (IndexError); numpy slices would misplace the images
        raise IndexError(f"padding must be non-negative, got {padding}")
    if normalize and x.dtype.kind != "f":  # numpy would truncate the normalised values into the integer array
        raise RuntimeError(f"result type Float can't be cast to the desired output type {tensor.dtype}")
    x = x.reshape((1,) * (4 - x.ndim) + x.shape)  # an H x W or C x H x W image is a batch of one
    x = np.repeat(x, 3, 1) if x.shape[1] == 1 else x.copy()  # a copy either way: the input stays untouched
    if normalize:
        if value_range is not None and not isinstance(value_range, tuple):
            raise TypeError("value_range has to be a tuple (min, max) if specified. min and max are numbers")
        for img in (x if scale_each else [x]):  # views of x, normalised in place
            low, high = (value_range[0], value_range[1]) if value_range else (float(img.min()), float(img.max()))
            img[...] = (img.clip(low, high) - low) / max(high - low, 1e-5)
    if x.shape[0] == 1:
        return minigrad.from_numpy(x[0])
    n, c, h, w = x.shape
    cols = min(nrow, n)
    rows = math.ceil(n / cols)
    size = (c, (h + padding) * rows + padding, (w + padding) * cols + padding)
    grid = np.full(_checks.size("full", size), _checks.number("new_full", "fill_value", 2, pad_value), x.dtype)
    for k in range(n):
        top, left = (k // cols) * (h + padding) + padding, (k % cols) * (w + padding) + padding
        grid[:, top:top + h, left:left + w] = x[k]
    return minigrad.from_numpy(grid)


def save_image(tensor, fp, format=None, **kwargs):
    """Save a tensor (a batch is tiled with make_grid first) as an image file, via Pillow."""
    grid = make_grid(tensor, **kwargs).numpy()  # first, so a bad tensor fails before any file is touched
    from PIL import Image
    Image.fromarray(np.clip(grid * 255 + 0.5, 0, 255).transpose(1, 2, 0).astype(np.uint8)).save(fp, format=format)
