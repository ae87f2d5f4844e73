"""TensorBoard logging with torch.utils.tensorboard's API (needs the tensorboard package; pillow/matplotlib for images/figures)."""
from .writer import SummaryWriter
