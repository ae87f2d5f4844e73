"""Shared hypothesis strategies for the parity tests: shapes, broadcasting groups, values, dtypes and dims.

Every strategy here produces plain Python / numpy objects (never tensors), so one drawn example can be
fed to minigrad and to PyTorch alike. Values are finite and, where asked, kept a gap away from the
points where an op is not differentiable (0 for abs/relu, clamp bounds, ties for max/min), because at
those points the two libraries may legitimately pick different subgradients.

Typical use::

    from hypothesis import given
    from strategies import shapes, arrays, float_dtypes

    @given(shape=shapes(), dtype=float_dtypes, data=st.data())
    def test_x(shape, dtype, data):
        x = data.draw(arrays(shape, dtype, lo=0.1, hi=5))
"""
import math

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

FLOAT_DTYPES = ("float32", "float64")
"""Names of the floating dtypes both libraries share (minigrad.<name> and torch.<name>)."""

float_dtypes = st.sampled_from(FLOAT_DTYPES)
"""One of 'float32' / 'float64'."""

int_dtypes = st.sampled_from(("int32", "int64", "uint8"))
"""One of the integer dtype names both libraries share."""

all_dtypes = st.sampled_from(("bool", "uint8", "int32", "int64", "float32", "float64"))
"""Every dtype name minigrad supports."""

seeds = st.integers(0, 2**32 - 1)
"""A seed for numpy-generated auxiliary data (e.g. the upstream gradient w of `(out * w).sum()`)."""

MAX_SIDE = 4
MAX_DIMS = 4


def shapes(min_dims=0, max_dims=MAX_DIMS, min_side=1, max_side=MAX_SIDE):
    """Tensor shapes; the defaults include 0-d `()` and size-1 dims."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def broadcastable_shapes(num=2, min_dims=0, max_dims=MAX_DIMS, min_side=1, max_side=MAX_SIDE):
    """Tuples of `num` shapes that broadcast together (missing leading dims and size-1 dims included)."""
    return hnp.mutually_broadcastable_shapes(num_shapes=num, min_dims=min_dims, max_dims=max_dims,
                                             min_side=min_side, max_side=max_side).map(lambda r: r.input_shapes)


def _width(dtype):
    return 32 if np.dtype(dtype) == np.float32 else 64


def _push_away(v, avoid, gap, lo, hi):
    """Move v at least `gap` away from every point in `avoid`, staying inside [lo, hi] where possible."""
    for p in avoid:
        if abs(v - p) < gap:
            up, down = p + gap, p - gap
            v = up if (v >= p and up <= hi) or down < lo else down
    return v


def _inward(lo, hi, dtype):
    """[lo, hi] shrunk to the nearest bounds representable in dtype (hypothesis insists on exact bounds)."""
    flo, fhi = np.asarray(lo, dtype=dtype), np.asarray(hi, dtype=dtype)
    flo = flo if flo >= lo else np.nextafter(flo, np.asarray(np.inf, dtype))
    fhi = fhi if fhi <= hi else np.nextafter(fhi, np.asarray(-np.inf, dtype))
    return float(flo), float(fhi)


def floats(lo=-3.0, hi=3.0, dtype="float64", avoid=(), gap=0.05):
    """Finite floats in [lo, hi], exactly representable in `dtype`, at least `gap` away from each `avoid` point."""
    lo, hi = _inward(lo, hi, dtype)
    el = st.floats(lo, hi, width=_width(dtype), allow_nan=False, allow_infinity=False, allow_subnormal=False)
    if avoid:
        el = el.map(lambda v: float(np.asarray(_push_away(v, tuple(avoid), gap, lo, hi), dtype=dtype)))
    return el


def arrays(shape, dtype="float64", lo=-3.0, hi=3.0, avoid=(), gap=0.05, unique=False):
    """Float numpy arrays of `shape`/`dtype` with elements from `floats(lo, hi, dtype, avoid, gap)`."""
    return hnp.arrays(np.dtype(dtype), shape, elements=floats(lo, hi, dtype, avoid, gap), unique=unique)


def signed_arrays(shape, dtype="float64", lo=0.1, hi=3.0):
    """Float arrays whose magnitudes lie in [lo, hi] with random signs: never near 0 (for abs, relu, 1/x)."""
    mags = arrays(shape, dtype, lo, hi)
    signs = hnp.arrays(np.bool_, shape)
    return st.tuples(mags, signs).map(lambda ms: np.asarray(np.where(ms[1], ms[0], -ms[0]), dtype=dtype))


def distinct_arrays(shape, dtype="float64", spacing=0.25, offset=0.0):
    """Arrays whose elements are a shuffled grid `offset + spacing * k`: all distinct, exact in float32.

    Use where ties would make the gradient ambiguous (max/min/amax/argmax/sort-like ops). Two arrays with
    offsets differing by spacing/2 never share a value (tie-free operands for maximum/minimum).
    """
    n = math.prod(shape)
    return st.permutations(range(n)).map(
        lambda p: np.asarray(offset + spacing * (np.array(p, dtype=np.float64).reshape(shape) - n // 2), dtype=dtype))


def grid_arrays(shape, dtype="float64", spacing=0.5, offset=0.0, k=6):
    """Arrays with elements `offset + spacing * j` for integer j in [-k, k] (repeats allowed, exact in float32)."""
    return hnp.arrays(np.int64, shape, elements=st.integers(-k, k)).map(
        lambda a: np.asarray(offset + spacing * a, dtype=dtype))


def masks(shape):
    """Boolean arrays of `shape` (any pattern, all-False and all-True included)."""
    return hnp.arrays(np.bool_, shape)


def dim(ndim):
    """A single valid dim for an ndim tensor, negative forms included (0-d tensors accept 0 and -1)."""
    n = max(ndim, 1)
    return st.integers(-n, n - 1)


def dims(ndim, allow_none=True, allow_int=True, min_size=1):
    """A reduction dim argument: None, an int, or a tuple of distinct dims (mixed signs allowed)."""
    options = []
    if allow_none:
        options.append(st.none())
    if allow_int:
        options.append(dim(ndim))
    if ndim > 0:
        subsets = st.lists(st.integers(0, ndim - 1), min_size=min_size, max_size=ndim, unique=True)
        options.append(st.tuples(subsets, st.lists(st.booleans(), min_size=ndim, max_size=ndim)).map(
            lambda sb: tuple(d - ndim if neg else d for d, neg in zip(sb[0], sb[1]))))
    return st.one_of(*options)


keepdims = st.booleans()
"""keepdim=True/False."""


def _positive_slice(s):
    """torch slices need step >= 1; turn a negative-step slice into a forward one."""
    if not isinstance(s, slice) or s.step is None or s.step > 0:
        return s
    return slice(s.stop, s.start, -s.step)


def basic_indices(shape, allow_newaxis=True, allow_ellipsis=True):
    """Indices made of ints, forward slices, None and Ellipsis that are valid for `shape` in torch and numpy."""
    def fix(ix):
        return tuple(_positive_slice(s) for s in ix) if isinstance(ix, tuple) else _positive_slice(ix)
    return hnp.basic_indices(shape, allow_newaxis=allow_newaxis, allow_ellipsis=allow_ellipsis).map(fix)


def int_index_arrays(side, max_len=6):
    """1-D int64 arrays of positions into a dim of size `side`, with repeats and negative indices."""
    return hnp.arrays(np.int64, st.integers(1, max_len), elements=st.integers(-side, side - 1))


def broadcast_shape(*shape_list):
    """The broadcast result shape of numpy-style shapes."""
    return np.broadcast_shapes(*shape_list)


# ---- issue 10 (engine rebuild): convolution / pooling geometries and class targets -------------------------
@st.composite
def conv2d_cases(draw, max_side=6):
    """(input shape (N, C, H, W), weight shape (O, C, kh, kw), stride, padding, dilation) valid for conv2d."""
    n, c, o = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = draw(st.integers(1, 3) | st.tuples(st.integers(1, 3), st.integers(1, 3)))
    padding = draw(st.integers(0, 2) | st.tuples(st.integers(0, 2), st.integers(0, 2)))
    dilation = draw(st.integers(1, 2) | st.tuples(st.integers(1, 2), st.integers(1, 2)))
    p = padding if isinstance(padding, tuple) else (padding, padding)
    d = dilation if isinstance(dilation, tuple) else (dilation, dilation)
    # the padded input must hold one dilated kernel
    h = draw(st.integers(max(1, d[0] * (kh - 1) + 1 - 2 * p[0]), max_side + d[0] * (kh - 1)))
    w = draw(st.integers(max(1, d[1] * (kw - 1) + 1 - 2 * p[1]), max_side + d[1] * (kw - 1)))
    return (n, c, h, w), (o, c, kh, kw), stride, padding, dilation


@st.composite
def pool2d_cases(draw, max_side=6, allow_dilation=True):
    """(input shape (N, C, H, W), kernel_size, stride or None, padding, dilation) valid for max/avg_pool2d."""
    k = draw(st.integers(1, 3) | st.tuples(st.integers(1, 3), st.integers(1, 3)))
    ks = k if isinstance(k, tuple) else (k, k)
    stride = draw(st.none() | st.integers(1, 3))
    padding = draw(st.integers(0, min(ks) // 2))  # torch: pad at most half the kernel
    dilation = draw(st.integers(1, 2)) if allow_dilation else 1
    lo = [dilation * (s - 1) + 1 for s in ks]
    # every side at least the dilated kernel: no window made of padding alone (torch's gradient there is arbitrary)
    h, w = (draw(st.integers(m, max_side + m)) for m in lo)
    return (draw(st.integers(1, 2)), draw(st.integers(1, 2)), h, w), k, stride, padding, dilation


def class_targets(shape, classes):
    """int64 class-index arrays of `shape` with values in [0, classes)."""
    return hnp.arrays(np.int64, shape, elements=st.integers(0, classes - 1))
