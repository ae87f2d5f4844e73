"""torch-style printing of tensors: tensor([1., 2.], requires_grad=True)."""
import numpy as np

from . import dtypes


def _float_formatter(finite):
    """One format for all elements, chosen like torch: integral -> '1.', wide range -> sci, else 4 decimals."""
    nonzero = np.abs(finite[finite != 0])
    big, small = (nonzero.max(), nonzero.min()) if nonzero.size else (0.0, 0.0)
    wide = nonzero.size and (big / small > 1000 or big > 1e8)
    if np.all(finite == np.round(finite)):
        return (lambda v: f"{v:.4e}") if wide else (lambda v: f"{v:.0f}." if np.isfinite(v) else f"{v}")
    if wide or (nonzero.size and small < 1e-4):
        return lambda v: f"{v:.4e}"
    return lambda v: f"{v:.4f}"


def tensor_repr(t):
    """The text torch prints for this tensor."""
    x = t._data
    flat = x.reshape(-1)
    shown = flat if flat.size <= 1000 else np.concatenate([flat[:3], flat[-3:]])  # summarised like torch
    if x.dtype.kind == "f":
        shown = shown[np.isfinite(shown)]  # torch sizes columns by the finite values only
        f = _float_formatter(shown)
    elif x.dtype.kind == "b":
        f = lambda v: "True" if v else "False"  # noqa: E731
    else:
        f = str
    width = max((len(f(v)) for v in shown), default=0)
    body = np.array2string(x, separator=", ", prefix="tensor(", formatter={"all": lambda v: f(v).rjust(width)},
                           threshold=1000, edgeitems=3, max_line_width=80) if x.size else "[]"
    body = body.replace(", ...,", ",  ...,")
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
