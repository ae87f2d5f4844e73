"""The ops: each attaches its methods to Tensor. The primitives (one backward rule each, its math on the right):

| op                       | torch node             | backward rule: the input gradients given the output's g | file          |
|--------------------------|------------------------|----------------------------------------------------------|---------------|
| x + y, x - y, c - x      | AddBackward0/SubBackward0 | (g, g), (g, -g); RsubBackward1: -g                    | elementwise   |
| x * y, x / y             | MulBackward0/DivBackward0 | (g y, g x), (g / y, -g x / y^2); c / x = 1/x * c      | elementwise   |
| x ** p, c ** x           | PowBackward0/1/2       | g p x^(p-1), g x^p log x; g c^x ln c                     | elementwise   |
| -x, exp, log, sqrt       | NegBackward0, ...      | -g, g e^x, g / x, g / (2 sqrt x)                         | elementwise   |
| sin, cos, tanh, sigmoid  | SinBackward0, ...      | g cos x, -g sin x, g (1 - y^2), g y (1 - y)              | elementwise   |
| tan, log2, log10, log1p  | TanBackward0, ...      | g (1 + y^2), g / (x ln 2), g / (x ln 10), g / (1 + x)    | elementwise   |
| exp2, expm1, rsqrt, 1/x  | Exp2Backward0, ...     | g y ln 2, g (y + 1), -g y^3 / 2, -g y^2                  | elementwise   |
| ceil floor round trunc   | CeilBackward0, ...     | 0 (piecewise constant); frac: g                          | elementwise   |
| abs, relu, clamp, sign   | AbsBackward0, ...      | g sign x, g [y > 0], g [lo <= x <= hi], 0                | elementwise   |
| maximum, minimum         | MaximumBackward0, ...  | g to the winner, half each on ties                       | elementwise   |
| sum, mean                | SumBackward0/1, Mean.. | g (or g / n) broadcast back over the reduced dims        | reduction     |
| amax, amin               | AmaxBackward0, ...     | g shared evenly by the tied extremes                     | reduction     |
| softmax, log_softmax     | SoftmaxBackward0, ...  | s (g - sum(g s)), g - softmax sum(g)                     | reduction     |
| logsumexp                | LogsumexpBackward0     | g exp(x - y) (g times the softmax)                       | reduction     |
| cumsum                   | CumsumBackward0        | the running sum of g from the end                        | reduction     |
| reshape/view, permute, t | ViewBackward0, ...     | g reshaped / permuted back                               | shape         |
| expand, repeat           | ExpandBackward0, ...   | g summed over the copies                                 | shape         |
| flip, roll               | FlipBackward0, Roll..  | g moved back: g[the inverse positions]                   | shape         |
| x[idx], gather           | SliceBackward0, ...    | scatter_add(g) into zeros at idx                         | indexing      |
| scatter_add_into         | IndexPutBackward0      | G[idx] (a gather: the adjoint of the adjoint)            | indexing      |
| x[idx] = y, where, cat   | IndexPutBackward0, ... | (g with g[idx] = 0, g[idx]), (g [c], g [not c]), slices  | indexing      |
| matmul, addmm            | MmBackward0, Addmm..   | (g Y^T, X^T g), plus g for the bias                      | linalg        |
| .to(dtype), clone        | ToCopyBackward0, ...   | g (cast back)                                            | ../tensor.py  |

Derived ops (square, var, std, max(dim), split, flatten, squeeze, stack, lerp, addcmul, prod and cumprod as
multiplication trees, norms, sort/topk as gathers, outer, einsum as batched matmuls, tril/triu and masked_fill as
where, scatter as x[idx] = y, scatter_add, index_select, take_along_dim, ...) are written with these. nn/ adds its
own primitives: linear (addmm), convolution (1-3 d and its transpose, one op), unfold/fold, pooling, constant
padding, mse/nll losses, layer_norm, gelu, embedding and fused (4-D, unmasked) attention (nn/_windows.py, conv.py,
padding.py, normalization.py, activation.py, embedding.py, attention.py, ...).
"""
from . import elementwise, indexing, linalg, reduction, shape  # noqa: F401  (importing attaches the methods)
