"""torch.nn.functional's forms, gathered from the files that define them."""
from .activation import log_softmax, logsigmoid, relu, sigmoid, softmax, tanh  # noqa: F401
from .conv import conv2d  # noqa: F401
from .dropout import dropout  # noqa: F401
from .linear import linear  # noqa: F401
from .loss import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, l1_loss,  # noqa: F401
                   mse_loss, nll_loss)
from .pooling import avg_pool2d, max_pool2d  # noqa: F401
