"""TensorBoard logging with torch.utils.tensorboard's API (needs the tensorboard package; pillow/matplotlib for images/figures)."""
try:
    from .writer import SummaryWriter
except ImportError as e:  # without the extra, the bare error would name protobuf's 'google' package
    if (e.name or "").split(".")[0] not in ("tensorboard", "google"):
        raise
    raise ImportError('minigrad.utils.tensorboard needs the tensorboard package: pip install "minigrad[tensorboard]"',
                      name=e.name) from e
