"""Linear algebra: matmul (1-D, 2-D and broadcast batched operands) and addmm, the op under nn.Linear; outer and
einsum derived from them."""
import numpy as np

from ..tensor import Tensor, _to_array
from .elementwise import _broadcast_error, _pair


def _check(x, y):
    if x.ndim == 0 or y.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {x.ndim}D and {y.ndim}D")
    if x.shape[-1] != y.shape[-2 if y.ndim > 1 else 0]:
        if x.ndim == 1 and y.ndim == 1:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{x.shape[0]}] and src [{y.shape[0]}] "
                               "to have the same number of elements, but got "
                               f"{x.shape[0]} and {y.shape[0]} elements respectively")
        xs = "x".join(map(str, x.shape if x.ndim > 1 else (1,) + x.shape))
        ys = "x".join(map(str, y.shape if y.ndim > 1 else y.shape + (1,)))
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({xs} and {ys})")


def matmul(self, other):
    """Matrix product with numpy/torch semantics for 1-D, 2-D and batched (broadcast) operands."""
    a, b, _ = _pair(self, other)
    x, y = a._data, b._data
    _check(x, y)
    vx, vy = x.ndim == 1, y.ndim == 1

    def rule(xp, g, x, y):
        # d(X @ Y) = (G @ Y^T, X^T @ G); 1-D operands are lifted to matrices, and squeezed back after
        g = g.reshape(g.shape[:-1] + (1,) + g.shape[-1:]) if vx else g
        g = g.reshape(g.shape + (1,)) if vy else g
        gx = None if y is None else g @ xp.swapaxes(y.reshape(y.shape + (1,)) if vy else y, -1, -2)
        gy = None if x is None else xp.swapaxes(x.reshape((1,) + x.shape) if vx else x, -1, -2) @ g
        return (gx.reshape(gx.shape[:-2] + gx.shape[-1:]) if vx and gx is not None else gx,
                gy.reshape(gy.shape[:-1]) if vy and gy is not None else gy)
    saved = (a if b.requires_grad else None, b if a.requires_grad else None)
    try:
        out = np.matmul(x, y)
    except ValueError:  # _check passed, so the batch dims clash
        raise _broadcast_error(x.shape[:-2], y.shape[:-2]) from None
    return Tensor._op(out, (a, b), rule, "MmBackward0", saved)


def addmm(input, mat1, mat2):
    """input + mat1 @ mat2 for matrices, as one node (torch.addmm; nn.Linear's op)."""
    m1, m2 = mat1._data, mat2._data
    _check(m1, m2)
    out = m1 @ m2
    if input is not None:
        out += input._data

    row_bias = input is not None and input._data.shape == out.shape[1:]  # nn.Linear's bias: sum g's rows here
    # nn.Linear's mat2 is weight.t(): its gradient computed as (g^T X)^T comes back C-ordered through TBackward0
    transposed = m2.ndim == 2 and not m2.flags.c_contiguous and m2.flags.f_contiguous

    def rule(xp, g, m1, m2):
        # d(b + X W) = (g, summed to b's shape; g W^T; X^T g)
        gm2 = None if m1 is None else (g.T @ m1).T if transposed else m1.T @ g
        return (xp.sum(g, 0) if row_bias else g), (None if m2 is None else g @ m2.T), gm2
    saved = (mat1 if mat2.requires_grad else None, mat2 if mat1.requires_grad else None)
    if input is None:
        return Tensor._op(out, (mat1, mat2), lambda xp, g, m1, m2: rule(xp, g, m1, m2)[1:], "MmBackward0", saved)
    return Tensor._op(out, (input, mat1, mat2), rule, "AddmmBackward0", saved)


def outer(self, vec2):
    """The outer product self[i] * vec2[j] of two vectors."""
    for name, v in (("self", self), ("vec2", vec2)):
        if v.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v.ndim}-D")
    return self.reshape(-1, 1) * vec2


# ---- einsum: parse the equation, then diagonals, sums, and one batched matmul per pair of operands ---------------
def _einsum_error(msg):
    return RuntimeError(f"einsum(): {msg}")


def _parse(equation, operands):
    """(input subscripts per operand, output subscripts); an ellipsis becomes digits, one per broadcast dim."""
    lhs, arrow, rhs = equation.replace(" ", "").partition("->")
    arrow_at = equation.find("->")
    for i, c in enumerate(equation):
        if not (c.isascii() and c.isalpha() or c in " ." or c == "," and not 0 <= arrow_at < i
                or 0 <= arrow_at and i in (arrow_at, arrow_at + 1)):
            raise _einsum_error(f"invalid subscript given at index {i} in the equation string, subscripts must be "
                                "in [a-zA-Z]")
    terms = lhs.split(",")
    if len(terms) != len(operands):
        raise _einsum_error(f"{'fewer' if len(terms) > len(operands) else 'more'} operands were provided than "
                            "specified in the equation")
    ell = max([x.ndim - len(s.replace("...", "")) for s, x in zip(terms, operands) if "..." in s], default=0)
    digits = "".join(map(str, range(ell)))
    subs = []
    for k, (s, x) in enumerate(zip(terms, operands)):
        if "." in s.replace("...", ""):
            raise _einsum_error(f"found '.' for operand {k} that is not part of any ellipsis")
        n = x.ndim - len(s.replace("...", ""))
        if "..." not in s and n:
            raise _einsum_error(f"the number of subscripts in the equation ({len(s)}) does not match the number of "
                                f"dimensions ({x.ndim}) for operand {k} and no ellipsis was given")
        subs.append(s.replace("...", digits[ell - n:]))
    if not arrow:  # implicit output: the broadcast dims, then the letters used once, in alphabetical order
        letters = "".join(subs)
        return subs, digits + "".join(sorted(c for c in set(letters) if c.isalpha() and letters.count(c) == 1))
    out = rhs.replace("...", digits)
    for c in out:
        if c not in "".join(subs):
            raise _einsum_error(f"output subscript {c} does not appear in the equation for any input operand")
        if out.count(c) > 1:
            raise _einsum_error(f"output subscript {c} appears more than once in the output")
    return subs, out


def _diagonals(x, s, k):
    """Take the diagonal for every subscript repeated within one operand ('ii->i')."""
    while len(set(s)) < len(s):
        c = next(c for c in s if s.count(c) > 1)
        p, q = s.index(c), s.index(c, s.index(c) + 1)
        if x.shape[p] != x.shape[q]:
            raise _einsum_error(f"subscript {c} is repeated for operand {k} but the sizes don't match, "
                                f"{x.shape[q]} != {x.shape[p]}")
        rest = [i for i in range(x.ndim) if i not in (p, q)]
        r = np.arange(x.shape[p])
        x, s = x.permute(rest + [p, q])[..., r, r], "".join(s[i] for i in rest) + c
    return x, s


def _sum_out(x, s, keep):
    """Sum over the subscripts no later operand or the output needs."""
    gone = [i for i, c in enumerate(s) if c not in keep]
    return (x.sum(gone), "".join(c for c in s if c in keep)) if gone else (x, s)


def _contract(a, sa, b, sb, keep):
    """Two operands to one: shared subscripts still needed are batch dims, the others are summed by a matmul."""
    batch = [c for c in sa if c in sb and c in keep]
    inner = [c for c in sa if c in sb and c not in keep]
    left, right = [c for c in sa if c not in sb], [c for c in sb if c not in sa]
    size = {c: n for s, x in ((sa, a), (sb, b)) for c, n in zip(s, x.shape) if n != 1}
    size.update({c: 1 for c in sa + sb if c not in size})
    a = a.permute([sa.index(c) for c in batch + left + inner]).expand([size[c] for c in batch + left + inner])
    b = b.permute([sb.index(c) for c in batch + inner + right]).expand([size[c] for c in batch + inner + right])
    n = lambda cs: int(np.prod([size[c] for c in cs]))  # noqa: E731
    out = a.reshape(n(batch), n(left), n(inner)) @ b.reshape(n(batch), n(inner), n(right))
    return out.reshape([size[c] for c in batch + left + right]), "".join(batch + left + right)


def einsum(equation, *operands):
    """Einstein summation (torch.einsum): diagonals, sums and batched matmuls, so it differentiates to any order."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = operands[0]
    xs = [x if isinstance(x, Tensor) else Tensor(_to_array(x)) for x in operands]
    subs, out = _parse(equation, xs)
    parts, seen = [_diagonals(x, s, k) for k, (x, s) in enumerate(zip(xs, subs))], {}
    for k, (x, s) in enumerate(parts):
        for c, n in zip(s, x.shape):
            if n != 1 and seen.setdefault(c, n) != n:
                raise _einsum_error(f"subscript {c} has size {n} for operand {k} which does not broadcast with "
                                    f"previously seen size {seen[c]}")
    x, s = _sum_out(*parts[0], out + "".join(p[1] for p in parts[1:]))
    for k, (y, sy) in enumerate(parts[1:], 2):
        keep = out + "".join(p[1] for p in parts[k:])
        y, sy = _sum_out(y, sy, keep + s)
        x, s = _contract(x, s, y, sy, keep)
    return x.permute([s.index(c) for c in out]) if s != out else x


Tensor.matmul = Tensor.__matmul__ = Tensor.mm = matmul
Tensor.outer = outer
