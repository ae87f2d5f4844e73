"""Image transforms with torchvision's API: Compose, ToTensor, Normalize, Lambda, RandomHorizontalFlip."""
import functools

import numpy as np

import minigrad
from minigrad import _checks


class _Transform:
    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"


def _takes_arrays(transform):
    """True when transform starts with ToTensor, which gives the same tensor for an array as for its PIL image."""
    first = transform.transforms[0] if type(transform) is Compose and transform.transforms else transform
    return type(first) is ToTensor


class Compose(_Transform):
    """Apply transforms one after another."""

    def __init__(self, transforms):
        self.transforms = list(transforms)

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img


class ToTensor(_Transform):
    """PIL image or H x W (x C) array -> C x H x W tensor; uint8 becomes float32 in [0, 1], other dtypes are kept."""

    def __call__(self, pic):
        if not isinstance(pic, np.ndarray):
            if not hasattr(pic, "getbands"):
                raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
            pic = np.array(pic.convert("L") if pic.mode == "1" else pic)  # 1-bit images: 0 / 255, as torchvision
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        img = pic[None] if pic.ndim == 2 else pic.transpose(2, 0, 1)
        if img.dtype == np.uint8:  # torchvision's img.float().div(255), in one pass
            return minigrad.from_numpy(np.divide(img, 255, dtype=np.float32, order="C"))
        return minigrad.from_numpy(np.ascontiguousarray(img))


class Normalize(_Transform):
    """Per-channel (x - mean) / std of a (..., C, H, W) float tensor."""

    def __init__(self, mean, std, inplace=False):
        self.mean, self.std, self.inplace = mean, std, inplace

    def __call__(self, tensor):
        if not isinstance(tensor, minigrad.Tensor):
            raise TypeError(f"img should be Tensor Image. Got {type(tensor)}")
        x = tensor.numpy()
        if x.dtype.kind != "f":
            raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
        if x.ndim < 3:
            raise ValueError(f"Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = "
                             f"{tensor.shape}")
        plain = all(type(v) in (int, float) or type(v) is tuple and all(type(e) in (int, float) for e in v)
                    for v in (self.mean, self.std))  # immutable, so their arrays can be kept for the next image
        mean, std = (_mean_std if plain else _mean_std.__wrapped__)(self.mean, self.std, tensor.dtype, x.shape)
        y = np.subtract(x, mean, out=x if self.inplace else None)  # inplace: into the tensor's own array
        y /= std
        return tensor if self.inplace else minigrad.from_numpy(y)


@functools.lru_cache(64)
def _mean_std(mean, std, dtype, shape):
    """Normalize's mean and std as arrays of dtype that broadcast over images of `shape`, checked like torchvision."""
    mean, std = (minigrad.as_tensor(v, dtype=dtype).numpy() for v in (mean, std))
    if (std == 0).any():
        raise ValueError(f"std evaluated to zero after conversion to {dtype}, leading to division by zero.")
    mean, std = (v.reshape(-1, 1, 1) if v.ndim == 1 else v for v in (mean, std))  # one value per channel
    for v in (mean, std):  # torchvision works in place: 3 means on a 1-channel image must not make 3 channels
        _checks.inplace_shape(shape, _checks.broadcast_shapes(shape, v.shape))
    return mean, std


class Lambda(_Transform):
    """Apply a user function as a transform."""

    def __init__(self, lambd):
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {repr(type(lambd).__name__)}")
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)


class RandomHorizontalFlip(_Transform):
    """Mirror the image left-right with probability p, drawn from minigrad's global RNG."""

    def __init__(self, p=0.5):
        self.p = p

    def __call__(self, img):
        if minigrad.rand(1).item() >= self.p:
            return img
        if isinstance(img, minigrad.Tensor):
            if img.dim() < 2:
                raise TypeError("Tensor is not a torch image.")
            return minigrad.from_numpy(np.ascontiguousarray(img.numpy()[..., ::-1]))
        if isinstance(img, np.ndarray):  # H x W (x C); torchvision refuses arrays
            return np.ascontiguousarray(img[:, ::-1])
        if not hasattr(img, "getbands"):
            raise TypeError(f"img should be PIL Image. Got {type(img)}")
        return img.transpose(0)  # PIL's Image.FLIP_LEFT_RIGHT
