"""minigrad.vision.io (read_file / decode_image / read_image / ImageReadMode) against torchvision.io on PNG and
JPEG files in every mode, plus its errors and the message when Pillow is missing."""
import builtins

import numpy as np
import pytest
import torchvision.io as tio
from PIL import Image

import minigrad
import minigrad.vision.io as mio

MODES = list(tio.ImageReadMode.__members__)


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    d = tmp_path_factory.mktemp("img")
    rng = np.random.default_rng(0)
    files = {}
    for name, mode, shape in (("rgb", "RGB", (9, 7, 3)), ("gray", "L", (9, 7)), ("rgba", "RGBA", (9, 7, 4)),
                              ("la", "LA", (9, 7, 2))):
        files[name] = d / f"{name}.png"
        Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8), mode).save(files[name])
    files["jpg"] = d / "a.jpg"
    Image.fromarray(rng.integers(0, 256, (24, 20, 3), dtype=np.uint8)).save(files["jpg"], quality=85)
    files["gray_jpg"] = d / "g.jpg"
    Image.fromarray(rng.integers(0, 256, (16, 16), dtype=np.uint8)).save(files["gray_jpg"], quality=85)
    return {k: str(v) for k, v in files.items()}


def outcome(read, path, mode):
    try:
        return read(path, mode).numpy()
    except RuntimeError as e:
        return RuntimeError, str(e).rsplit(", ", 1)[-1]  # torchvision prefixes the C++ source location


@pytest.mark.parametrize("name", ["rgb", "gray", "rgba", "la", "jpg", "gray_jpg"])
@pytest.mark.parametrize("mode", MODES)
def test_read_image_matches_torchvision(images, name, mode):
    mine = outcome(mio.read_image, images[name], getattr(mio.ImageReadMode, mode))
    ref = outcome(tio.read_image, images[name], getattr(tio.ImageReadMode, mode))
    if isinstance(ref, tuple):
        assert mine == ref
        return
    assert mine.dtype == np.uint8 and mine.shape == ref.shape
    # RGBA to gray: libpng rounds a few pixels one level lower than its RGB formula; everything else is exact
    tol = 1 if name == "rgba" and mode.startswith("GRAY") else 0
    assert np.abs(mine.astype(int) - ref).max() <= tol


def test_decode_image_from_bytes_path_and_mode_names(images):
    data = mio.read_file(images["rgb"])
    assert data.dtype == minigrad.uint8 and data.dim() == 1
    np.testing.assert_array_equal(data.numpy(), tio.read_file(images["rgb"]).numpy())
    a = mio.decode_image(data)
    np.testing.assert_array_equal(a.numpy(), mio.read_image(images["rgb"]).numpy())
    np.testing.assert_array_equal(mio.decode_image(images["rgb"], "gray").numpy(),
                                  tio.decode_image(images["rgb"], tio.ImageReadMode.GRAY).numpy())
    assert mio.ImageReadMode.RGBA is mio.ImageReadMode.RGB_ALPHA and mio.ImageReadMode.RGB.value == 3
    # the float pipeline the tutorials use next
    assert (a.float() / 255).max().item() <= 1


def test_palette_png_expands_to_its_colours(tmp_path):
    rgb = np.random.default_rng(1).integers(0, 256, (4, 5, 3), dtype=np.uint8)
    p = Image.fromarray(rgb).quantize(8)
    p.save(tmp_path / "p.png")
    out = mio.read_image(str(tmp_path / "p.png"))
    np.testing.assert_array_equal(out.numpy(), np.asarray(p.convert("RGB")).transpose(2, 0, 1))


def test_errors(tmp_path, images):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"hello")
    with pytest.raises(RuntimeError, match="Unsupported image file. Only jpeg, png, webp and gif are currently"):
        mio.read_image(str(bad))
    with pytest.raises(RuntimeError):
        tio.read_image(str(bad))
    with pytest.raises(FileNotFoundError):
        mio.read_image(str(tmp_path / "nope.png"))
    Image.fromarray(np.arange(12, dtype=np.uint16).reshape(3, 4) * 5000).save(tmp_path / "i16.png")
    with pytest.raises(RuntimeError, match="16-bit images are not supported"):
        mio.read_image(str(tmp_path / "i16.png"))


def test_missing_pillow_names_the_extra(monkeypatch, images):
    real_import = builtins.__import__

    def no_pil(name, *args, **kwargs):
        if name == "PIL" or name.startswith("PIL."):
            raise ImportError("No module named 'PIL'")
        return real_import(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_pil)
    with pytest.raises(ImportError, match=r'pip install "minigrad\[tensorboard\]"'):
        mio.read_image(images["rgb"])
