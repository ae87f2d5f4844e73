"""Attention: scaled_dot_product_attention and MultiheadAttention (torch's parameters, masks and layouts), composed
from matmul, softmax and where; unmasked 4-D attention (a GPT's, causal or not) is one fused node, as in torch."""
import math
import warnings

import numpy as np

from .. import dtypes
from ..functions import cat, where
from ..tensor import Tensor
from . import init
from .dropout import _dropout
from .linear import Linear, linear
from .init import _empty
from .module import Module, Parameter




def _neg_inf_mask(mask, dtype):
    """An additive float mask: a bool mask's True entries become -inf (torch's _canonical_mask)."""
    return Tensor(np.zeros(mask.shape, dtype.np)).masked_fill(mask, float("-inf")) if mask.dtype == dtypes.bool_ \
        else mask


def _softmax_rows(scores, zero_dead_rows):
    """softmax over the last dim; rows masked entirely give 0 (SDPA) instead of nan (the explicit formula)."""
    dead = np.isneginf(scores.detach().numpy()).all(-1, keepdims=True)
    if not (zero_dead_rows and dead.any()):
        return scores.softmax(-1)
    dead = Tensor(dead)
    return where(dead, 0.0, where(dead, 0.0, scores).softmax(-1))  # 0 in, so no nan reaches the gradient either


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
                                 enable_gqa=False):
    """softmax(Q K^T * scale + mask) V over the last two dims; a bool mask (or is_causal) marks what may be seen."""
    if not 0 <= dropout_p <= 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {dropout_p}")
    if min(query.dim(), key.dim(), value.dim()) < 2:
        raise RuntimeError("Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: "
                           f"{query.dim()} key.dim: {key.dim()} and value.dim: {value.dim()} instead.")
    if not query.is_floating_point():
        raise RuntimeError(f"expected scalar type Float but found {query.dtype.title}")
    if not query.dtype == key.dtype == value.dtype:
        raise RuntimeError("Expected query, key, and value to have the same dtype, but got query.dtype: "
                           f"{_c_name(query)} key.dtype: {_c_name(key)} and value.dtype: {_c_name(value)} instead.")
    if attn_mask is not None and attn_mask.dtype != dtypes.bool_ and not attn_mask.is_floating_point():
        raise RuntimeError("Expected attn_mask dtype to be bool or float or to match query dtype, but got "
                           f"attn_mask.dtype: {_c_name(attn_mask)} and  query.dtype: {_c_name(query)} instead.")
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")
    if enable_gqa and key.shape[-3] != query.shape[-3]:  # each key/value head serves a group of query heads
        rep = query.shape[-3] // key.shape[-3]
        key, value = (t.unsqueeze(-3).expand(*t.shape[:-2], rep, *t.shape[-2:]).reshape(
            *t.shape[:-3], t.shape[-3] * rep, *t.shape[-2:]) for t in (key, value))
    scale = 1 / math.sqrt(query.shape[-1]) if scale is None else scale
    if attn_mask is None and dropout_p == 0 and query.dim() == 4 and query.shape[:2] == key.shape[:2] == \
            value.shape[:2] and query.shape[-1] == value.shape[-1]:  # the cases torch's fused CPU kernel takes
        return _flash_attention(query, key, value, is_causal, scale)
    weights = _attention_weights(query, key, attn_mask, is_causal, scale)
    if dropout_p > 0:
        weights = _dropout(weights, dropout_p, True, False, weights.shape)
    return weights @ value


def _attention_weights(query, key, attn_mask, is_causal, scale):
    """softmax(Q K^T * scale + mask) over the keys, composed from Tensor ops."""
    L, S = query.shape[-2], key.shape[-2]
    scores = (query @ key.transpose(-2, -1)) * scale
    if is_causal:
        attn_mask = Tensor(np.tri(L, S, dtype=bool))
    if attn_mask is not None:
        scores = where(attn_mask, scores, float("-inf")) if attn_mask.dtype == dtypes.bool_ else scores + attn_mask
    return _softmax_rows(scores, zero_dead_rows=attn_mask is not None and not is_causal)


def _flash_attention(query, key, value, is_causal, scale):
    """softmax(Q K^T * scale) V as one node: a fused numpy forward, and a rule that needs only P and the output."""
    q, k, v = query._data, key._data, value._data
    s = (q * q.dtype.type(scale)) @ k.swapaxes(-1, -2)
    shift = s.size and not -60 < s.min() <= s.max() < 60  # within +-60 e^s cannot overflow or vanish: no shift
    if is_causal:  # position i sees keys j <= i: every row keeps at least one key
        s += np.where(np.tri(*s.shape[-2:], dtype=bool), 0, -np.inf).astype(s.dtype)
    if shift:
        s -= s.max(-1, keepdims=True)
    p = np.exp(s, out=s)
    p /= (p @ np.ones(p.shape[-1], p.dtype))[..., None]  # row sums as a matrix-vector product: 5x numpy's sum
    out, ones = p @ v, np.ones(v.shape[-1], v.dtype)

    def rule(xp, g, q, k, v):
        # O = P V, P = softmax(S), S = Q K^T scale:  dV = P^T g,  dP = g V^T,  dS = P (dP - sum_j dP P),
        # dQ = dS K scale,  dK = dS^T Q scale;  sum_j dP_ij P_ij = g_i . O_i, a sum over V's dim, not over keys
        # (second order: P and O recomputed from the graph's Q, K and V)
        w = _attention_weights(q, k, None, is_causal, scale) if xp.graph else p
        d = (g * (w @ v if xp.graph else out)) @ ones  # row sums by BLAS, as in the forward
        ds = w * (g @ xp.swapaxes(v, -1, -2) - d.reshape(d.shape + (1,)))
        return ds @ (k * scale), xp.swapaxes(ds, -1, -2) @ (q * scale), xp.swapaxes(w, -1, -2) @ g
    return Tensor._op(out, (query, key, value), rule, "ScaledDotProductFlashAttentionForCpuBackward0",
                      (query, key, value))


def _c_name(t):
    """A dtype as torch's C++ messages name it (float, double, long int, ...)."""
    return {"float32": "float", "float64": "double", "int64": "long int", "int32": "int", "uint8": "unsigned char",
            "bool": "bool"}[t.dtype.name]


def _size(shape):
    return f"torch.Size({list(shape)})"


def _in_projection(query, key, value, in_proj_weight, in_proj_bias, q_w=None, k_w=None, v_w=None):
    """Q, K, V = the three projections: one matmul for self-attention's packed weight, else one each."""
    b = [None] * 3 if in_proj_bias is None else in_proj_bias.chunk(3)
    if q_w is not None:
        for name, w, x in (("query", q_w, query), ("key", k_w, key), ("value", v_w, value)):
            if tuple(w.shape) != (query.shape[-1], x.shape[-1]):
                raise AssertionError(f"expecting {name} weights shape of {(query.shape[-1], x.shape[-1])}, but got "
                                     f"{_size(w.shape)}")
        return linear(query, q_w, b[0]), linear(key, k_w, b[1]), linear(value, v_w, b[2])
    if query is key and key is value:
        return linear(query, in_proj_weight, in_proj_bias).chunk(3, -1)
    w = in_proj_weight.chunk(3)
    return linear(query, w[0], b[0]), linear(key, w[1], b[1]), linear(value, w[2], b[2])


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias,
                                 bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias,
                                 training=True, key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None, k_proj_weight=None,
                                 v_proj_weight=None, static_k=None, static_v=None, average_attn_weights=True,
                                 is_causal=False):
    """Multi-head attention on (L, N, E) inputs (or unbatched (L, E)): (output, weights averaged over heads,
    per head, or None)."""
    if static_k is not None or static_v is not None:
        raise NotImplementedError("minigrad's multi_head_attention_forward does not support static_k / static_v")
    d = query.dim()  # torch's _mha_shape_check
    if d not in (2, 3):
        raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received {d}-D query tensor")
    kind = "batched (3-D)" if d == 3 else "unbatched (2-D)"
    if key.dim() != d or value.dim() != d:
        raise AssertionError(f"For {kind} `query`, expected `key` and `value` to be {d}-D but found {key.dim()}-D and "
                             f"{value.dim()}-D tensors respectively")
    if key_padding_mask is not None and key_padding_mask.dim() != d - 1:
        raise AssertionError(f"For {kind} `query`, expected `key_padding_mask` to be `None` or {d - 1}-D but found "
                             f"{key_padding_mask.dim()}-D tensor instead")
    if attn_mask is not None and attn_mask.dim() not in (2, 3):
        raise AssertionError(f"For {kind} `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
                             f"{attn_mask.dim()}-D tensor instead")
    batched = d == 3
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        key_padding_mask = None if key_padding_mask is None else key_padding_mask.unsqueeze(0)
    L, N, E = query.shape
    if E != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but got {E}")
    if use_separate_proj_weight and key.shape[:2] != value.shape[:2]:
        raise AssertionError(f"key's sequence and batch dims {_size(key.shape[:2])} do not match value's "
                             f"{_size(value.shape[:2])}")
    if not use_separate_proj_weight and key.shape != value.shape:
        raise AssertionError(f"key shape {_size(key.shape)} does not match value shape {_size(value.shape)}")
    for name, m in (("key_padding_mask", key_padding_mask), ("attn_mask", attn_mask)):
        if m is not None and m.dtype != dtypes.bool_ and not m.is_floating_point():
            raise AssertionError(f"only bool and floating types of {name} are supported")
    key_padding_mask = None if key_padding_mask is None else _neg_inf_mask(key_padding_mask, query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the Transformer module "
                           "method `generate_square_subsequent_mask` to create this mask.")
    # is_causal only hints that attn_mask is causal: the SDPA path then uses its own causal mask instead
    sdpa_causal = is_causal and key_padding_mask is None and not need_weights
    attn_mask = None if attn_mask is None or sdpa_causal else _neg_inf_mask(attn_mask, query.dtype)
    S, H, D = key.shape[0], num_heads, E // num_heads
    if attn_mask is not None:
        want = (L, S) if attn_mask.dim() == 2 else (N * H, L, S)
        if tuple(attn_mask.shape) != want:
            raise RuntimeError(f"The shape of the {attn_mask.dim()}D attn_mask is {_size(attn_mask.shape)}, but should be "
                               f"{want}.")
        attn_mask = attn_mask.reshape(-1, L, S)
    q, k, v = _in_projection(query, key, value, in_proj_weight, in_proj_bias,
                             *((q_proj_weight, k_proj_weight, v_proj_weight) if use_separate_proj_weight else ()))

    def pad_masks(attn_mask, key_padding_mask):  # one more key position, visible to every query
        return [None if m is None else cat([m, Tensor(np.zeros(m.shape[:-1] + (1,), m.dtype.np))], -1)
                for m in (attn_mask, key_padding_mask)]
    if bias_k is not None and bias_v is not None:
        k, v = cat([k, bias_k.repeat(1, N, 1)]), cat([v, bias_v.repeat(1, N, 1)])
        attn_mask, key_padding_mask = pad_masks(attn_mask, key_padding_mask)
    q, k, v = (t.reshape(t.shape[0], N * H, D).transpose(0, 1) for t in (q, k, v))  # (N * H, len, D)
    if add_zero_attn:
        zeros = Tensor(np.zeros((N * H, 1, D), k.dtype.np))
        k, v = cat([k, zeros], 1), cat([v, zeros], 1)
        attn_mask, key_padding_mask = pad_masks(attn_mask, key_padding_mask)
    S = k.shape[1]
    if key_padding_mask is not None:
        for i, want in enumerate((N, S)):
            if key_padding_mask.shape[i] != want:
                raise AssertionError(f"Expected key_padded_mask.shape[{i}] to be {want}, but got "
                                     f"{key_padding_mask.shape[i]}")
        kpm = key_padding_mask.reshape(N, 1, 1, S).expand(N, H, 1, S).reshape(N * H, 1, S)
        attn_mask = kpm if attn_mask is None else attn_mask + kpm
    p = dropout_p if training else 0.0
    if need_weights:
        scores = (q * math.sqrt(1.0 / D)) @ k.transpose(-2, -1)
        weights = _softmax_rows(scores if attn_mask is None else scores + attn_mask, zero_dead_rows=False)
        if p > 0:
            weights = _dropout(weights, p, True, False, weights.shape)
        out = weights @ v
    else:
        out, weights = scaled_dot_product_attention(q, k, v, attn_mask, p, sdpa_causal), None
    out = linear(out.transpose(0, 1).reshape(L * N, E), out_proj_weight, out_proj_bias).reshape(L, N, -1)
    if weights is not None:
        weights = weights.reshape(N, H, L, S)
        weights = weights.mean(1) if average_attn_weights else weights
        weights = weights if batched else weights.squeeze(0)
    return (out if batched else out.squeeze(1)), weights


class NonDynamicallyQuantizableLinear(Linear):
    """MultiheadAttention's output projection: a Linear under the name torch gives it."""


class MultiheadAttention(Module):
    """Attention with num_heads heads of embed_dim // num_heads dims each; torch's parameter names and init."""

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False,
                 kdim=None, vdim=None, batch_first=False, device=None, dtype=None):
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} and "
                             f"num_heads={num_heads} instead")
        self.embed_dim, self.num_heads, self.dropout, self.batch_first = embed_dim, num_heads, dropout, batch_first
        self.kdim, self.vdim = kdim or embed_dim, vdim or embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")
        separate = not self._qkv_same_embed_dim
        for name, shape in (("in_proj_weight", (3 * embed_dim, embed_dim)), ("q_proj_weight", (embed_dim, embed_dim)),
                            ("k_proj_weight", (embed_dim, self.kdim)), ("v_proj_weight", (embed_dim, self.vdim))):
            self.register_parameter(name, Parameter(_empty(shape, dtype, device)) if (name != "in_proj_weight") == separate
                                    else None)
        self.in_proj_bias = Parameter(_empty((3 * embed_dim,), dtype, device)) if bias else None
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, device=device, dtype=dtype)
        self.bias_k = Parameter(_empty((1, 1, embed_dim), dtype, device)) if add_bias_kv else None
        self.bias_v = Parameter(_empty((1, 1, embed_dim), dtype, device)) if add_bias_kv else None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self):
        """Xavier-uniform projections, zero biases, Xavier-normal bias_k / bias_v (torch's init)."""
        for w in (self.in_proj_weight, self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
            if w is not None:
                init.xavier_uniform_(w)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)
        for b in (self.bias_k, self.bias_v):
            if b is not None:
                init.xavier_normal_(b)

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
                average_attn_weights=True, is_causal=False):
        if key_padding_mask is not None and attn_mask is not None and \
                (key_padding_mask.dtype == dtypes.bool_) != (attn_mask.dtype == dtypes.bool_):
            warnings.warn("Support for mismatched key_padding_mask and attn_mask is deprecated. Use same type for "
                          "both instead.", UserWarning, stacklevel=2)
        if self.batch_first and query.dim() == 3:  # transpose each distinct tensor once: self-attention stays packed
            seen = {}
            query, key, value = (seen.setdefault(id(x), x.transpose(1, 0)) for x in (query, key, value))
        out, weights = multi_head_attention_forward(
            query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight, self.in_proj_bias, self.bias_k,
            self.bias_v, self.add_zero_attn, self.dropout, self.out_proj.weight, self.out_proj.bias, self.training,
            key_padding_mask, need_weights, attn_mask, not self._qkv_same_embed_dim, self.q_proj_weight,
            self.k_proj_weight, self.v_proj_weight, average_attn_weights=average_attn_weights, is_causal=is_causal)
        return (out.transpose(1, 0) if self.batch_first and query.dim() == 3 else out), weights
