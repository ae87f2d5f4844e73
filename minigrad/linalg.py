"""minigrad.linalg, after torch.linalg: vector and matrix norms, composed of differentiable ops (ops/reduction.py)."""
from .ops.reduction import vector_norm
from .tensor import _axes

__all__ = ["matrix_norm", "norm", "vector_norm"]


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """Frobenius ('fro'), max column sum (1), max row sum (inf) norms, or their minima (-1, -inf), over two dims."""
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    if len(dim) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}")
    rows, cols = _axes(dim[0], A.ndim)[0], _axes(dim[1], A.ndim)[0]
    _axes((rows, cols), A.ndim)  # torch's error for a repeated dim
    if ord == "fro":
        return vector_norm(A, 2, (rows, cols), keepdim, dtype=dtype)
    if ord in (2, -2, "nuc"):
        raise NotImplementedError(f"minigrad.linalg.matrix_norm: ord={ord!r} needs singular values (not implemented)")
    if ord not in (1, -1, float("inf"), float("-inf")):
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    summed, over = (rows, cols) if ord in (1, -1) else (cols, rows)  # 1: the largest column sum; inf: row sum
    s = (A.to(dtype) if dtype is not None else A).abs().sum(summed, keepdim=True)
    out = s.amax(over, keepdim=True) if ord > 0 else s.amin(over, keepdim=True)
    return out if keepdim else out.squeeze((rows, cols))


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """The vector norm (1-D input or one dim), or the matrix norm (2-D input or two dims; 'fro' by default)."""
    dims = (dim,) if isinstance(dim, int) else dim
    if dims is None and ord is not None and A.ndim > 2:
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                           f"Got {A.ndim}D.")
    if dims is not None and len(dims) not in (1, 2):
        raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dims)}")
    if not isinstance(ord, str) and (dims is None and (ord is None or A.ndim == 1) or dims and len(dims) == 1):
        return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
    return matrix_norm(A, "fro" if ord is None else ord, (-2, -1) if dims is None else dims, keepdim, dtype=dtype)
