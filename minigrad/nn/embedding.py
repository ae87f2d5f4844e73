"""Embedding: a lookup table of vectors, indexed by integer tensors (functional form and module); one primitive."""
import numpy as np

from .. import _checks
from ..autograd import no_grad
from ..tensor import Tensor
from . import init
from .module import Module, Parameter


def _padding_idx(padding_idx, num_embeddings):
    """padding_idx as a non-negative row (None stays None); torch's assertion when out of range."""
    if padding_idx is None:
        return None
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise AssertionError("Padding_idx must be within num_embeddings")
    return padding_idx % num_embeddings


def _renorm_(weight, idx, max_norm, norm_type):
    """Rescale, in place, the rows idx refers to whose norm exceeds max_norm (torch.embedding_renorm_)."""
    with no_grad():
        rows = np.unique(idx)
        w = weight.detach().numpy()
        norms = np.linalg.norm(w[rows].astype(np.float64), ord=norm_type, axis=1)
        big = norms > max_norm
        w[rows[big]] *= (max_norm / (norms[big] + 1e-7))[:, None].astype(w.dtype)


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """weight[input]: row i of weight for each index i; the padding row gets no gradient."""
    _checks.tensor("embedding", "weight", 1, weight), _checks.tensor("embedding", "indices", 2, input)
    if input.dtype.name not in ("int64", "int32"):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got torch.{input.dtype.title}Tensor instead (while checking arguments for embedding)")
    if weight.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    idx = input.numpy()
    n = weight.shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise IndexError("index out of range in self")
    padding_idx = _padding_idx(padding_idx, n)
    if max_norm is not None:
        _renorm_(weight, idx, max_norm, norm_type)
    scale = None
    if weight.requires_grad and (padding_idx is not None or scale_grad_by_freq):
        # torch drops the padding row's gradient and, with scale_grad_by_freq, divides each row's gradient by the
        # number of times it occurs in this batch
        scale = np.ones(idx.shape)
        if scale_grad_by_freq:
            scale = scale / np.bincount(idx.reshape(-1), minlength=n)[idx]
        if padding_idx is not None:
            scale = np.where(idx == padding_idx, 0, scale)
        scale = np.asarray(scale, weight.dtype.np)[..., None]
    d = weight.shape[1]

    def rule(xp, g):
        # d weight[idx] = g added into row idx[i] for each i (repeats accumulate), through flat positions
        # row * d + column so that the sum is one bincount
        pos = (idx[..., None] * d + np.arange(d)).reshape(-1)
        return xp.scatter_add((g if scale is None else g * scale).reshape(-1), (n * d,), pos).reshape(n, d),
    return Tensor._op(weight._data[idx], (weight,), rule, "EmbeddingBackward0")


class Embedding(Module):
    """A (num_embeddings, embedding_dim) table of N(0, 1) vectors looked up by index; the padding row is zero."""

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0,
                 scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, device=None, dtype=None):
        super().__init__()
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = _padding_idx(padding_idx, num_embeddings)
        self.max_norm, self.norm_type, self.scale_grad_by_freq, self.sparse = max_norm, norm_type, \
            scale_grad_by_freq, sparse
        if _weight is None:
            self.weight = Parameter(init._empty((num_embeddings, embedding_dim), dtype, device), requires_grad=not _freeze)
            self.reset_parameters()
        else:
            if list(_weight.shape) != [num_embeddings, embedding_dim]:
                raise AssertionError("Shape of weight does not match num_embeddings and embedding_dim")
            self.weight = Parameter(_weight.detach().numpy(), requires_grad=not _freeze)

    def reset_parameters(self):
        """Draw the weights from N(0, 1) and zero the padding row."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx] = 0

    def forward(self, input):
        return embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                         self.scale_grad_by_freq, self.sparse)

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        for k, default in (("padding_idx", None), ("max_norm", None), ("norm_type", 2), ("scale_grad_by_freq", False),
                           ("sparse", False)):
            if getattr(self, k) != default:
                s += f", {k}={getattr(self, k)}"
        return s

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None, max_norm=None, norm_type=2.0,
                        scale_grad_by_freq=False, sparse=False):
        """An Embedding whose weight is (a copy of) the 2-D tensor embeddings; frozen by default."""
        if embeddings.dim() != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        return cls(rows, cols, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse, _weight=embeddings,
                   _freeze=freeze)
