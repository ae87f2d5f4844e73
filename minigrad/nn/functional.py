"""torch.nn.functional: activations and dropout here; linear, convolution, pooling and losses from their files."""
from .. import _checks
from .conv import conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d  # noqa: F401
from .padding import pad  # noqa: F401
from .linear import linear  # noqa: F401
from .pooling import avg_pool1d, avg_pool2d, max_pool1d, max_pool2d  # noqa: F401
from .loss import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, l1_loss,  # noqa: F401
                   logsigmoid, mse_loss, nll_loss)


def relu(input, inplace=False):
    """max(x, 0); inplace=True writes it into input, as torch's relu_ does."""
    return input.copy_(input.clone().relu()) if inplace else input.relu()


def sigmoid(input):
    """1 / (1 + exp(-x))."""
    return input.sigmoid()


def tanh(input):
    """Hyperbolic tangent."""
    return input.tanh()


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """exp(x) / sum(exp(x)) along dim."""
    input = input if dtype is None else input.to(dtype)
    return input.softmax(_checks.implicit_dim("softmax", input, dim, _stacklevel))


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log(softmax(x)) along dim, computed stably."""
    input = input if dtype is None else input.to(dtype)
    return input.log_softmax(_checks.implicit_dim("log_softmax", input, dim, _stacklevel))


def dropout(input, p=0.5, training=True, inplace=False):
    """Identity when not training; else zero each element with probability p and scale by 1/(1-p)."""
    if training and 0 < p <= 1 and not input.is_floating_point():
        raise RuntimeError(f"result type Float can't be cast to the desired output type {input.dtype.title}")
    return _dropout(input, p, training, inplace, input.shape)


from .activation import (celu, elu, gelu, hardsigmoid, hardswish, hardtanh, leaky_relu, mish, relu6,  # noqa: E402,F401
                         selu, silu, softmin, softplus, softsign)
from .dropout import _dropout  # noqa: E402
from .embedding import embedding  # noqa: E402,F401
from .normalization import batch_norm, group_norm, layer_norm  # noqa: E402,F401
from .attention import multi_head_attention_forward, scaled_dot_product_attention  # noqa: E402,F401
from .dropout import dropout1d, dropout2d, dropout3d  # noqa: E402,F401
from .adaptive_pool import adaptive_avg_pool2d  # noqa: E402,F401
from .upsampling import interpolate  # noqa: E402,F401
