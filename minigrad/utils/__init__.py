"""Utilities mirroring torch.utils: `data` here; `tensorboard` is imported only when asked for."""
from . import data

__all__ = ["data"]
