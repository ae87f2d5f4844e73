"""torch-style printing of tensors: tensor([1., 2.], requires_grad=True) (torch: _tensor_str.py, same layout rules)."""
import numpy as np

from . import dtypes

_WIDTH, _EDGE, _THRESHOLD = 80, 3, 1000  # torch's default print options: line width, edge items, summary size


def _formatter(x):
    """One format for every element, padded to one width, chosen like torch from the nonzero finite values."""
    if x.dtype.kind != "f":
        f = (lambda v: "True" if v else "False") if x.dtype.kind == "b" else str
        return f, max((len(f(v)) for v in x.reshape(-1)), default=1)
    vals = x[np.isfinite(x) & (x != 0)]
    big, small = (np.abs(vals).max(), np.abs(vals).min()) if vals.size else (0.0, 0.0)
    wide = vals.size and (big / small > 1000 or big > 1e8)
    if np.all(vals == np.round(vals)):  # integral values print as '1.'
        f = (lambda v: f"{v:.4e}") if wide else (lambda v: f"{v:.0f}." if np.isfinite(v) else f"{v}")
    else:
        f = (lambda v: f"{v:.4e}") if wide or small < 1e-4 else (lambda v: f"{v:.4f}")
    return f, max((len(f(v)) for v in vals), default=1)


def _text(x, indent, summarize, fmt, width):
    """torch's nested-list layout: rows of as many elements as fit in the line width, blank lines between blocks."""
    def items(rows):
        return list(rows) if not summarize or len(rows) <= 2 * _EDGE else [*rows[:_EDGE], "...", *rows[-_EDGE:]]
    if x.ndim == 0:
        return fmt(x.item()).rjust(width)
    if x.ndim == 1:
        data = [" ..." if v == "..." else fmt(v).rjust(width) for v in items(x.tolist())]
        per_line = max(1, (_WIDTH - indent) // (width + 2))
        lines = [", ".join(data[i:i + per_line]) for i in range(0, len(data), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = [r if isinstance(r, str) else _text(r, indent + 1, summarize, fmt, width) for r in items(list(x))]
    return "[" + ("," + "\n" * (x.ndim - 1) + " " * (indent + 1)).join(rows) + "]"


def tensor_repr(t):
    """The text torch prints for this tensor."""
    x, extras = t._data, []
    summarize, shown = x.size > _THRESHOLD, x
    for ax in range(x.ndim) if summarize else ():  # torch sizes the columns by the edge items it shows
        shown = np.take(shown, [0, 1, 2, -3, -2, -1], axis=ax) if shown.shape[ax] > 2 * _EDGE else shown
    body = _text(x, 7, summarize, *_formatter(shown)) if x.size else "[]"
    if x.size == 0 and x.ndim != 1:
        extras.append(f"size={tuple(x.shape)}")
    if t.dtype is not dtypes.get_default_dtype() and (x.size == 0 or t.dtype not in (dtypes.int64, dtypes.bool_)):
        extras.append(f"dtype={t.dtype!r}")
    if t.grad_fn is not None:
        extras.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t.requires_grad:
        extras.append("requires_grad=True")
    out = "tensor(" + body
    last = len(out) - out.rfind("\n") + 1
    for e in extras:  # a suffix that would pass the line width goes on its own line, as torch's _add_suffixes does
        out, last = (out + ",\n       " + e, 7 + len(e)) if last + len(e) + 2 > _WIDTH else (out + ", " + e, last + len(e) + 2)
    return out + ")"
