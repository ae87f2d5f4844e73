"""torch.nn's building blocks: Module, Parameter, layers, losses, init and functional."""
from . import functional, init  # noqa: F401
from .container import ModuleList, Sequential  # noqa: F401
from .layers import (AvgPool2d, Conv2d, Dropout, Flatten, Identity, Linear, LogSoftmax, MaxPool2d, ReLU,  # noqa: F401
                     Sigmoid, Softmax, Tanh)
from .loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, MSELoss, NLLLoss  # noqa: F401
from .module import Module, Parameter  # noqa: F401
