"""Top-level function forms: minigrad.exp(x) is x.exp(), and so on (cat, stack, where live in ops/indexing.py,
einsum in ops/linalg.py, the samplers in sampling.py)."""
import warnings

from .autograd import grad_mode
from .ops.indexing import cat, stack, where  # noqa: F401
from .ops.linalg import einsum  # noqa: F401
from .sampling import bernoulli, multinomial, normal  # noqa: F401
from .tensor import Tensor, _to_array


def _write_out(name, result, out):
    """torch's out=: the result written into `out` (resized, with torch's warning, when its shape differs)."""
    if grad_mode.is_grad_enabled() and (result.requires_grad or out.requires_grad):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic differentiation, "
                           "but one of the arguments requires grad.")
    if result.dtype.category > out.dtype.category:
        raise RuntimeError(f"result type {result.dtype.title} can't be cast to the desired output type "
                           f"{out.dtype.title}")
    if out.shape != result.shape:
        if out.numel():
            warnings.warn(f"An output with one or more elements was resized since it had shape {list(out.shape)}, "
                          f"which does not match the required output shape {list(result.shape)}.", stacklevel=3)
        out._data = result._data.astype(out.dtype.np)
    else:
        out._data[...] = result._data
    out._version_box[0] += 1
    return out


def _method(name):
    def fn(input, *args, out=None, **kwargs):
        result = getattr(input if isinstance(input, Tensor) else Tensor(_to_array(input)), name)(*args, **kwargs)
        return result if out is None else _write_out(name, result, out)
    fn.__name__ = name
    fn.__doc__ = f"minigrad.{name}(input, ...) is input.{name}(...)."
    return fn


_NAMES = ("add sub mul div pow neg exp log sqrt abs sin cos tanh sigmoid relu clamp clip maximum minimum matmul mm "
          "sum mean var std max min amax amin argmax argmin softmax log_softmax reshape flatten unsqueeze squeeze "
          "transpose permute t gather split chunk square sign numel allclose equal eq ne lt le gt ge "
          "detach clone tan log2 log10 log1p exp2 expm1 rsqrt reciprocal ceil floor round trunc frac isnan isinf "
          "isfinite lerp addcmul addcdiv logsumexp prod cumsum cumprod any all norm outer sort argsort topk flip roll tril "
          "triu masked_fill nonzero unique index_select scatter scatter_add take_along_dim").split()
globals().update({n: _method(n) for n in _NAMES})
__all__ = _NAMES + ["cat", "concat", "stack", "where", "is_tensor", "einsum", "multinomial", "bernoulli", "normal"]
Tensor.multinomial, Tensor.bernoulli = multinomial, bernoulli


def is_tensor(obj):
    """True for minigrad tensors."""
    return isinstance(obj, Tensor)


concat = cat
