"""torchvision.io's image reading: PNG / JPEG (and whatever else Pillow opens) to a uint8 (C, H, W) tensor."""
import enum
import io as _io

import numpy as np

from ..tensor import Tensor


class ImageReadMode(enum.Enum):
    """The channels to decode into: as stored, gray, gray + alpha, RGB or RGB + alpha."""
    UNCHANGED = 0
    GRAY = 1
    GRAY_ALPHA = 2
    RGB = 3
    RGB_ALPHA = 4
    RGBA = RGB_ALPHA


def _pil():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError('minigrad.vision.io reads images with Pillow, which is not installed: '
                          'pip install "minigrad[tensorboard]" (or pip install pillow)') from None
    return Image


def read_file(path):
    """The bytes of a file as a 1-D uint8 tensor."""
    with open(path, "rb") as f:
        return Tensor(np.frombuffer(f.read(), np.uint8).copy())


def _channels(img, mode):
    """img converted to mode's channels; UNCHANGED keeps gray / gray+alpha / RGB / RGBA as stored."""
    if img.mode == "P":  # a palette: its colours, with alpha if the palette has transparency
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    elif img.mode not in ("L", "LA", "RGB", "RGBA"):
        if img.mode.startswith("I;16") or img.mode == "I":
            raise RuntimeError(f"16-bit images are not supported (minigrad has no uint16 dtype); got mode {img.mode}")
        img = img.convert("RGBA" if "A" in img.mode else "RGB")
    if mode is ImageReadMode.UNCHANGED:
        return np.asarray(img)
    if mode in (ImageReadMode.GRAY, ImageReadMode.GRAY_ALPHA) and img.mode in ("RGB", "RGBA"):
        # libpng's conversion, which torchvision uses: BT.601 weights in 15-bit fixed point, truncated
        a = np.asarray(img).astype(np.int64)
        gray = ((9798 * a[..., 0] + 19235 * a[..., 1] + 3735 * a[..., 2]) >> 15).astype(np.uint8)
        if mode is ImageReadMode.GRAY:
            return gray
        alpha = a[..., 3].astype(np.uint8) if img.mode == "RGBA" else np.full(gray.shape, 255, np.uint8)
        return np.stack([gray, alpha], -1)
    return np.asarray(img.convert({ImageReadMode.GRAY: "L", ImageReadMode.GRAY_ALPHA: "LA",
                                   ImageReadMode.RGB: "RGB", ImageReadMode.RGB_ALPHA: "RGBA"}[mode]))


def decode_image(input, mode=ImageReadMode.UNCHANGED, apply_exif_orientation=False):
    """Decode an encoded image (a 1-D uint8 tensor of its bytes, or a path) into a uint8 (C, H, W) tensor."""
    Image = _pil()
    mode = ImageReadMode[mode.upper()] if isinstance(mode, str) else mode
    data = input if isinstance(input, Tensor) else read_file(str(input))  # torchvision reads anything else as a path
    if data.dtype.name != "uint8":
        raise RuntimeError("Expected a torch.uint8 tensor")
    if data.dim() != 1 or not data.numel():
        raise RuntimeError("Expected a non empty 1-dimensional tensor")
    try:
        img = Image.open(_io.BytesIO(data.numpy().tobytes()))
    except Exception:
        raise RuntimeError("Unsupported image file. Only jpeg, png, webp and gif are currently supported.") from None
    if img.format == "JPEG":
        if mode in (ImageReadMode.GRAY_ALPHA, ImageReadMode.RGB_ALPHA):
            raise RuntimeError("The provided mode is not supported for JPEG files")
        if mode is ImageReadMode.GRAY:
            img.draft("L", img.size)  # gray straight from the luma channel, as libjpeg decodes it for torchvision
    if apply_exif_orientation:
        from PIL import ImageOps
        img = ImageOps.exif_transpose(img)
    arr = _channels(img, mode)
    arr = arr[..., None] if arr.ndim == 2 else arr
    return Tensor(np.ascontiguousarray(arr.transpose(2, 0, 1)))


def read_image(path, mode=ImageReadMode.UNCHANGED, apply_exif_orientation=False):
    """Read a PNG / JPEG file into a uint8 (C, H, W) tensor."""
    return decode_image(read_file(path), mode, apply_exif_orientation)
