"""torch-style printing of tensors: tensor([1., 2.], requires_grad=True)."""
import numpy as np

from . import dtypes


def _float_formatter(x):
    """One format for all elements, chosen like torch: integral -> '1.', tiny/huge -> sci, else 4 decimals."""
    finite = x[np.isfinite(x)]
    if finite.size == 0:
        return lambda v: f"{v:.4f}".replace("nan", "nan")
    big, small = np.abs(finite).max(), np.abs(finite[finite != 0]).min() if (finite != 0).any() else 1
    if np.all(finite == np.round(finite)) and big < 1e8:
        return lambda v: f"{v:.0f}." if np.isfinite(v) else f"{v}"
    if big >= 1e8 or small < 1e-4 or big / small > 1e8:
        return lambda v: f"{v:.4e}"
    return lambda v: f"{v:.4f}"


def tensor_repr(t):
    """The text torch prints for this tensor."""
    x = t._data
    if x.dtype.kind == "f":
        f = _float_formatter(x)
    elif x.dtype.kind == "b":
        f = lambda v: "True" if v else "False"  # noqa: E731
    else:
        f = str
    # torch pads every element to the widest one
    flat = x.reshape(-1)
    shown = flat if flat.size <= 1000 else np.concatenate([flat[:500], flat[-500:]])  # summarised like torch
    width = max((len(f(v)) for v in shown), default=0)
    fmt = {"all": lambda v: f(v).rjust(width)}
    body = np.array2string(x, separator=", ", prefix="tensor(", formatter=fmt, threshold=1000, edgeitems=3,
                           max_line_width=80) if x.size else "[]"
    extras = []
    if x.size == 0 and x.ndim != 1:
        extras.append(f"size={tuple(x.shape)}")
    if t.dtype not in (dtypes.get_default_dtype(), dtypes.int64, dtypes.bool_):
        extras.append(f"dtype={t.dtype!r}")
    if t.grad_fn is not None:
        extras.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t.requires_grad:
        extras.append("requires_grad=True")
    return "tensor(" + ", ".join([body] + extras) + ")"
