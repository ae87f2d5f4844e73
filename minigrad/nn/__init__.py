"""torch.nn's building blocks: Module, Parameter, layers, losses, init and functional."""
from . import functional, init  # noqa: F401
from .container import ModuleList, Sequential  # noqa: F401
from .conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d  # noqa: F401
from .layers import Dropout, Flatten, Identity, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh  # noqa: F401
from .linear import Linear  # noqa: F401
from .pooling import AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d  # noqa: F401
from .loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, MSELoss, NLLLoss  # noqa: F401
from .module import Module, Parameter  # noqa: F401
from .activation import (CELU, ELU, GELU, Hardsigmoid, Hardswish, Hardtanh, LeakyReLU, LogSigmoid, Mish,  # noqa: F401
                         ReLU6, SELU, SiLU, Softmin, Softplus, Softsign)
from .embedding import Embedding  # noqa: F401
from .normalization import BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm  # noqa: F401
from .attention import MultiheadAttention  # noqa: F401
from .dropout import Dropout1d, Dropout2d, Dropout3d  # noqa: F401
from . import utils  # noqa: F401,E402
from .adaptive_pool import AdaptiveAvgPool2d  # noqa: F401,E402
from .upsampling import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d  # noqa: F401,E402
